/*
 * sav_probe.c - spoof-probe packets and payloads: the pure part of
 * "manrs spoof-probe" (the CLI owns the sockets).
 *
 * Packets: IPv4 header (RFC 791, no options, DF clear, TTL 64) or IPv6
 * header (RFC 8200, hop limit 64), then UDP (RFC 768) with its checksum
 * over the pseudo-header (mandatory for IPv6, RFC 8200 section 8.1).
 * Payload and result lines are parsed from untrusted datagrams and TCP
 * answers, so both are bounded (MANRS_SAV_PROBE_PAYLOAD_MAX) and strict.
 */
#include <stdio.h>
#include <string.h>

#include <manrs/bogon.h>

#include "sav_int.h"

static const char *const class_names[MANRS_SAV_PROBE_CLASS_COUNT] = {
	"legit", "private", "routable", "neighbour",
};

const char *
manrs_sav_probe_class_name(enum manrs_sav_probe_class c)
{
	return (unsigned)c < MANRS_SAV_PROBE_CLASS_COUNT ?
	    class_names[c] : "?";
}

size_t
manrs_sav_probe_format(const struct manrs_sav_probe *p, char *buf,
    size_t size)
{
	char a[MANRS_ADDR_STRLEN];
	int n;

	manrs_addr_print(&p->claimed, a, sizeof(a));
	n = snprintf(buf, size, "%s %016llx %u %s %s\n", MANRS_SAV_PROBE_MAGIC,
	    (unsigned long long)p->session, p->seq,
	    manrs_sav_probe_class_name(p->cls), a);
	if (n < 0 || (size_t)n >= size || n > MANRS_SAV_PROBE_PAYLOAD_MAX)
		return 0;
	return (size_t)n;
}

static int
hex64(struct manrs_view v, uint64_t *out)
{
	size_t i;

	if (v.len != 16)
		return MANRS_E_SYNTAX;
	*out = 0;
	for (i = 0; i < 16; i++) {
		char c = v.p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return MANRS_E_SYNTAX;
		*out = *out << 4 | d;
	}
	return 0;
}

int
manrs_sav_probe_parse(struct manrs_view v, struct manrs_sav_probe *p)
{
	struct manrs_view tok[5];
	size_t n = 0;
	int i;

	if (v.len > MANRS_SAV_PROBE_PAYLOAD_MAX)
		return MANRS_E_LIMIT;
	if (v.len == 0 || v.p[v.len - 1] != '\n')
		return MANRS_E_SYNTAX;
	v.len--;
	while (n < 5 && manrs_view_field(&v, " ", false, &tok[n]))
		n++;
	if (n != 5 || v.p != NULL || !manrs_view_eq(tok[0],
	    MANRS_SAV_PROBE_MAGIC))
		return MANRS_E_SYNTAX;
	if (hex64(tok[1], &p->session) != 0 ||
	    manrs_view_u32(tok[2], UINT32_MAX, &p->seq) != 0)
		return MANRS_E_SYNTAX;
	for (i = 0; i < MANRS_SAV_PROBE_CLASS_COUNT; i++)
		if (manrs_view_eq(tok[3], class_names[i]))
			break;
	if (i == MANRS_SAV_PROBE_CLASS_COUNT)
		return MANRS_E_SYNTAX;
	p->cls = (enum manrs_sav_probe_class)i;
	if (manrs_addr_parse(tok[4], 0, &p->claimed) != 0)
		return MANRS_E_SYNTAX;
	return 0;
}

int
manrs_sav_probe_result_parse(struct manrs_view line, uint32_t *seq,
    struct manrs_prefix *from)
{
	struct manrs_view tok[3];
	size_t n = 0;

	if (line.len > MANRS_SAV_PROBE_PAYLOAD_MAX)
		return MANRS_E_SYNTAX;
	while (n < 3 && manrs_view_field(&line, " ", false, &tok[n]))
		n++;
	if (n != 3 || line.p != NULL || !manrs_view_eq(tok[0], "GOT") ||
	    manrs_view_u32(tok[1], UINT32_MAX, seq) != 0 ||
	    manrs_addr_parse(tok[2], 0, from) != 0)
		return MANRS_E_SYNTAX;
	return 0;
}

static bool
is_bogon(const struct manrs_prefix *p)
{
	struct manrs_bogon_match m;

	manrs_bogon_prefix_check(p, &m);
	return m.kind == MANRS_BOGON_INSIDE;
}

/* A routable address outside own's /16 (v4) or /32 (v6). */
static int
routable_default(const struct manrs_prefix *own, struct manrs_prefix *out)
{
	unsigned k, span = own->af == MANRS_AF_INET ? 2 : 4;

	for (k = 1; k < 256; k++) {
		*out = *own;
		/* Move the top byte by a prime stride, keep the rest. */
		out->addr[0] = (uint8_t)(own->addr[0] + k * 37);
		if (own->af == MANRS_AF_INET6)
			out->addr[0] = (uint8_t)(0x20 | (out->addr[0] & 0x1f));
		if (memcmp(out->addr, own->addr, span) != 0 && !is_bogon(out))
			return 0;
	}
	return MANRS_E_INVAL;
}

int
manrs_sav_probe_source(enum manrs_sav_probe_class c,
    const struct manrs_prefix *own, const struct manrs_prefix *routable,
    struct manrs_prefix *out)
{
	bool v4 = own->af == MANRS_AF_INET;

	if (own->len != manrs_af_bits(own->af))
		return MANRS_E_INVAL;
	switch (c) {
	case MANRS_SAV_PROBE_LEGIT:
		*out = *own;
		return 0;
	case MANRS_SAV_PROBE_PRIVATE:
		memset(out, 0, sizeof(*out));
		out->af = own->af;
		out->len = (uint8_t)manrs_af_bits(own->af);
		if (v4) {
			static const uint8_t a[4] = { 10, 66, 0, 1 };

			memcpy(out->addr, a, 4);
		} else {
			static const uint8_t a[16] = { 0xfd, 0x00, 0x6d, 0x61,
			    0x6e, 0x72, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

			memcpy(out->addr, a, 16);
		}
		return 0;
	case MANRS_SAV_PROBE_ROUTABLE:
		if (routable != NULL) {
			if (routable->af != own->af)
				return MANRS_E_INVAL;
			*out = *routable;
			out->len = (uint8_t)manrs_af_bits(own->af);
			return 0;
		}
		return routable_default(own, out);
	case MANRS_SAV_PROBE_NEIGHBOUR:
		*out = *own;
		/* Last bit of the /24 (v4: byte 2) or /48 (v6: byte 5). */
		out->addr[v4 ? 2 : 5] ^= 1;
		return 0;
	case MANRS_SAV_PROBE_CLASS_COUNT:
		break;
	}
	return MANRS_E_INVAL;
}

static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int
manrs_sav_probe_packet(const struct manrs_prefix *src,
    const struct manrs_prefix *dst, uint16_t sport, uint16_t dport,
    const void *payload, size_t len, struct manrs_buf *out)
{
	size_t alen = src->af == MANRS_AF_INET ? 4 : 16, start = out->len;
	uint16_t ulen = (uint16_t)(8 + len), uck;
	uint8_t udp[8];
	uint32_t sum;

	if (src->af != dst->af || len > MANRS_SAV_PROBE_PAYLOAD_MAX)
		return MANRS_E_INVAL;
	/* UDP checksum over the pseudo-header, header and payload. */
	sum = csum_add(0, src->addr, alen);
	sum = csum_add(sum, dst->addr, alen);
	sum += 17u + ulen;
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8);
	udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)(ulen >> 8);
	udp[5] = (uint8_t)ulen;
	udp[6] = udp[7] = 0;
	sum = csum_add(sum, udp, 8);
	sum = csum_add(sum, payload, len);
	uck = csum_fold(sum);
	if (uck == 0)
		uck = 0xffff;	/* RFC 768: 0 means "no checksum" */
	udp[6] = (uint8_t)(uck >> 8);
	udp[7] = (uint8_t)uck;
	if (src->af == MANRS_AF_INET) {
		uint8_t h[20] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0 };
		uint16_t tot = (uint16_t)(20 + ulen), hck;

		h[2] = (uint8_t)(tot >> 8);
		h[3] = (uint8_t)tot;
		memcpy(h + 12, src->addr, 4);
		memcpy(h + 16, dst->addr, 4);
		hck = csum_fold(csum_add(0, h, 20));
		h[10] = (uint8_t)(hck >> 8);
		h[11] = (uint8_t)hck;
		manrs_buf_put(out, h, 20);
	} else {
		uint8_t h[40] = { 0x60, 0, 0, 0, 0, 0, 17, 64 };

		h[4] = (uint8_t)(ulen >> 8);
		h[5] = (uint8_t)ulen;
		memcpy(h + 8, src->addr, 16);
		memcpy(h + 24, dst->addr, 16);
		manrs_buf_put(out, h, 40);
	}
	manrs_buf_put(out, udp, 8);
	manrs_buf_put(out, payload, len);
	if (out->err != 0) {
		out->len = start;
		return out->err;
	}
	return 0;
}
