/*
 * prefix.c - IPv4/IPv6 prefixes: parse, print, compare, mask.
 *
 * Parsing uses inet_pton(3), which accepts every IPv6 text form of
 * RFC 4291 section 2.2 and only dotted-quad IPv4.  Printing follows
 * RFC 5952 section 4: lower case, leading zeros dropped, the longest run
 * (first on a tie) of two or more zero fields compressed to "::", and
 * mixed notation only for IPv4-mapped addresses (section 5).
 */
#include <arpa/inet.h>
#include <string.h>

#include <manrs/prefix.h>

#define ADDR_TEXT_MAX	(MANRS_ADDR_STRLEN - 1)

int
manrs_addr_parse(struct manrs_view text, unsigned flags,
    struct manrs_prefix *out)
{
	char buf[MANRS_ADDR_STRLEN];
	struct manrs_prefix p;

	if (text.len == 0 || text.len > ADDR_TEXT_MAX)
		return MANRS_E_SYNTAX;
	memcpy(buf, text.p, text.len);
	buf[text.len] = '\0';
	memset(&p, 0, sizeof(p));
	if (memchr(buf, ':', text.len) != NULL) {
		if (inet_pton(AF_INET6, buf, p.addr) != 1)
			return MANRS_E_SYNTAX;
		p.af = MANRS_AF_INET6;
		p.len = 128;
	} else {
		if (inet_pton(AF_INET, buf, p.addr) != 1)
			return MANRS_E_SYNTAX;
		p.af = MANRS_AF_INET;
		p.len = 32;
	}
	if ((flags & MANRS_PREFIX_V4_ONLY) && p.af != MANRS_AF_INET)
		return MANRS_E_FAMILY;
	if ((flags & MANRS_PREFIX_V6_ONLY) && p.af != MANRS_AF_INET6)
		return MANRS_E_FAMILY;
	*out = p;
	return 0;
}

int
manrs_prefix_parse(struct manrs_view text, unsigned flags,
    struct manrs_prefix *out)
{
	struct manrs_view addr, len;
	struct manrs_prefix p;
	uint32_t n;
	int rc;

	if (!manrs_view_split(text, '/', &addr, &len)) {
		if (!(flags & MANRS_PREFIX_HOST))
			return MANRS_E_SYNTAX;
		return manrs_addr_parse(text, flags, out);
	}
	if ((rc = manrs_addr_parse(addr, flags, &p)) != 0)
		return rc;
	/* No leading zeros ("/024"), no sign, at most 3 digits. */
	if (len.len == 0 || len.len > 3 || (len.len > 1 && len.p[0] == '0'))
		return MANRS_E_SYNTAX;
	if ((rc = manrs_view_u32(len, 999, &n)) != 0)
		return rc;
	if (n > manrs_af_bits(p.af))
		return MANRS_E_RANGE;
	p.len = (uint8_t)n;
	if (manrs_prefix_has_hostbits(&p)) {
		if (!(flags & MANRS_PREFIX_NORMALIZE))
			return MANRS_E_HOSTBITS;
		manrs_prefix_mask(&p);
	}
	*out = p;
	return 0;
}

void
manrs_prefix_mask(struct manrs_prefix *p)
{
	unsigned bytes = manrs_af_bits(p->af) / 8, i = p->len / 8;

	if (i < bytes && (p->len & 7) != 0) {
		p->addr[i] &= (uint8_t)(0xff << (8 - (p->len & 7)));
		i++;
	}
	for (; i < sizeof(p->addr); i++)
		p->addr[i] = 0;
}

bool
manrs_prefix_has_hostbits(const struct manrs_prefix *p)
{
	struct manrs_prefix q = *p;

	manrs_prefix_mask(&q);
	return memcmp(q.addr, p->addr, sizeof(q.addr)) != 0;
}

int
manrs_prefix_set(struct manrs_prefix *p, uint8_t af, const uint8_t *addr,
    size_t addrlen, unsigned len)
{
	if ((af != MANRS_AF_INET && af != MANRS_AF_INET6) ||
	    len > manrs_af_bits(af) || addrlen > manrs_af_bits(af) / 8)
		return MANRS_E_INVAL;
	memset(p, 0, sizeof(*p));
	p->af = af;
	p->len = (uint8_t)len;
	if (addrlen != 0)
		memcpy(p->addr, addr, addrlen);
	manrs_prefix_mask(p);
	return 0;
}

bool
manrs_prefix_covers(const struct manrs_prefix *outer,
    const struct manrs_prefix *inner)
{
	unsigned bytes, bits;

	if (outer->af != inner->af || outer->len > inner->len)
		return false;
	bytes = outer->len / 8;
	bits = outer->len & 7;
	if (bytes != 0 && memcmp(outer->addr, inner->addr, bytes) != 0)
		return false;
	if (bits != 0) {
		uint8_t m = (uint8_t)(0xff << (8 - bits));

		if ((outer->addr[bytes] & m) != (inner->addr[bytes] & m))
			return false;
	}
	return true;
}

bool
manrs_prefix_eq(const struct manrs_prefix *a, const struct manrs_prefix *b)
{
	return a->af == b->af && a->len == b->len &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

int
manrs_prefix_cmp(const struct manrs_prefix *a, const struct manrs_prefix *b)
{
	int c;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, sizeof(a->addr))) != 0)
		return c < 0 ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

static size_t
print_v4(const uint8_t *a, char *buf)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i != 0)
			buf[n++] = '.';
		if (v >= 100)
			buf[n++] = (char)('0' + v / 100);
		if (v >= 10)
			buf[n++] = (char)('0' + v / 10 % 10);
		buf[n++] = (char)('0' + v % 10);
	}
	buf[n] = '\0';
	return n;
}

static size_t
print_hex16(unsigned v, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int shift;
	bool lead = true;

	for (shift = 12; shift >= 0; shift -= 4) {
		unsigned d = (v >> shift) & 0xf;

		if (d == 0 && lead && shift != 0)
			continue;
		lead = false;
		buf[n++] = hex[d];
	}
	return n;
}

static size_t
print_v6(const uint8_t *a, char *buf)
{
	static const uint8_t mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned w[8];
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0;
	size_t n = 0;

	if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		memcpy(buf, "::ffff:", 7);
		return 7 + print_v4(a + 12, buf + 7);
	}
	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0) {
				cur = i;
				curlen = 0;
			}
			if (++curlen > bestlen) {
				best = cur;
				bestlen = curlen;
			}
		} else {
			cur = -1;
		}
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			buf[n++] = ':';
			buf[n++] = ':';
			i += bestlen - 1;
			continue;
		}
		if (i != 0 && i != best + bestlen)
			buf[n++] = ':';
		n += print_hex16(w[i], buf + n);
	}
	buf[n] = '\0';
	return n;
}

size_t
manrs_addr_print(const struct manrs_prefix *p, char *buf, size_t size)
{
	char tmp[MANRS_ADDR_STRLEN];
	size_t n;

	n = p->af == MANRS_AF_INET ? print_v4(p->addr, tmp) :
	    print_v6(p->addr, tmp);
	if (size == 0)
		return n;
	if (n >= size)
		n = size - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

size_t
manrs_prefix_print(const struct manrs_prefix *p, char *buf, size_t size)
{
	char tmp[MANRS_PREFIX_STRLEN];
	size_t n;
	unsigned len = p->len;

	n = manrs_addr_print(p, tmp, sizeof(tmp));
	tmp[n++] = '/';
	if (len >= 100)
		tmp[n++] = (char)('0' + len / 100);
	if (len >= 10)
		tmp[n++] = (char)('0' + len / 10 % 10);
	tmp[n++] = (char)('0' + len % 10);
	tmp[n] = '\0';
	if (size == 0)
		return n;
	if (n >= size)
		n = size - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}
