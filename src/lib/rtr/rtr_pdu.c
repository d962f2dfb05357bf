/*
 * rtr_pdu.c - RTR PDU encoding and decoding: RFC 6810 (version 0),
 * RFC 8210 (version 1: Router Key, timers in End of Data) and
 * draft-ietf-sidrops-8210bis (version 2: ASPA PDU, type 11, 12 + 4n
 * bytes, flags bit 0 = announce).
 *
 * Decoding goes through struct manrs_reader: the header's length is
 * checked against the fixed size of each PDU type (RFC 8210 section 5)
 * before any field is read, then the PDU body is parsed inside a
 * sub-reader that must be consumed exactly.
 */
#include <string.h>

#include <manrs/rtr.h>

static void
hdr(struct manrs_buf *b, uint8_t ver, uint8_t type, uint16_t field,
    uint32_t len)
{
	manrs_buf_put_u8(b, ver);
	manrs_buf_put_u8(b, type);
	manrs_buf_put_u16(b, field);
	manrs_buf_put_u32(b, len);
}

void
manrs_rtr_encode_serial_notify(struct manrs_buf *b, uint8_t ver,
    uint16_t session, uint32_t serial)
{
	hdr(b, ver, MANRS_RTR_SERIAL_NOTIFY, session, 12);
	manrs_buf_put_u32(b, serial);
}

void
manrs_rtr_encode_serial_query(struct manrs_buf *b, uint8_t ver,
    uint16_t session, uint32_t serial)
{
	hdr(b, ver, MANRS_RTR_SERIAL_QUERY, session, 12);
	manrs_buf_put_u32(b, serial);
}

void
manrs_rtr_encode_reset_query(struct manrs_buf *b, uint8_t ver)
{
	hdr(b, ver, MANRS_RTR_RESET_QUERY, 0, 8);
}

void
manrs_rtr_encode_cache_response(struct manrs_buf *b, uint8_t ver,
    uint16_t session)
{
	hdr(b, ver, MANRS_RTR_CACHE_RESPONSE, session, 8);
}

/* The hot path of a full sync: one reserve, then plain stores. */
void
manrs_rtr_encode_prefix(struct manrs_buf *b, uint8_t ver, uint8_t flags,
    const struct manrs_vrp *v)
{
	bool v4 = v->prefix.af == MANRS_AF_INET;
	size_t n = v4 ? 20 : 32, alen = v4 ? 4 : 16;
	uint8_t *p;

	if (b->len + n > b->cap || b->err != 0) {
		if (manrs_buf_reserve(b, n) != 0)
			return;
	}
	p = b->p + b->len;
	p[0] = ver;
	p[1] = v4 ? MANRS_RTR_IPV4_PREFIX : MANRS_RTR_IPV6_PREFIX;
	p[2] = 0;
	p[3] = 0;
	p[4] = 0;
	p[5] = 0;
	p[6] = 0;
	p[7] = (uint8_t)n;
	p[8] = flags;
	p[9] = v->prefix.len;
	p[10] = v->maxlen;
	p[11] = 0;
	memcpy(p + 12, v->prefix.addr, alen);
	p[12 + alen] = (uint8_t)(v->asn >> 24);
	p[13 + alen] = (uint8_t)(v->asn >> 16);
	p[14 + alen] = (uint8_t)(v->asn >> 8);
	p[15 + alen] = (uint8_t)v->asn;
	b->len += n;
}

void
manrs_rtr_encode_end_of_data(struct manrs_buf *b, uint8_t ver,
    uint16_t session, uint32_t serial, uint32_t refresh, uint32_t retry,
    uint32_t expire)
{
	hdr(b, ver, MANRS_RTR_END_OF_DATA, session, ver == 0 ? 12 : 24);
	manrs_buf_put_u32(b, serial);
	if (ver == 0)
		return;
	manrs_buf_put_u32(b, refresh);
	manrs_buf_put_u32(b, retry);
	manrs_buf_put_u32(b, expire);
}

void
manrs_rtr_encode_cache_reset(struct manrs_buf *b, uint8_t ver)
{
	hdr(b, ver, MANRS_RTR_CACHE_RESET, 0, 8);
}

void
manrs_rtr_encode_router_key(struct manrs_buf *b, uint8_t ver, uint8_t flags,
    const struct manrs_rkey *k)
{
	hdr(b, ver, MANRS_RTR_ROUTER_KEY, (uint16_t)(flags << 8),
	    (uint32_t)(32 + k->spki_len));
	manrs_buf_put(b, k->ski, 20);
	manrs_buf_put_u32(b, k->asn);
	manrs_buf_put(b, k->spki, k->spki_len);
}

void
manrs_rtr_encode_aspa(struct manrs_buf *b, uint8_t ver, uint8_t flags,
    uint32_t customer, const uint32_t *providers, size_t n)
{
	size_t i;

	if (!(flags & MANRS_RTR_FLAG_ANNOUNCE))
		n = 0;	/* a withdrawal carries no providers */
	hdr(b, ver, MANRS_RTR_ASPA, (uint16_t)(flags << 8),
	    (uint32_t)(12 + 4 * n));
	manrs_buf_put_u32(b, customer);
	for (i = 0; i < n; i++)
		manrs_buf_put_u32(b, providers[i]);
}

void
manrs_rtr_encode_error(struct manrs_buf *b, uint8_t ver, uint16_t code,
    const uint8_t *pdu, size_t pdu_len, const char *text)
{
	size_t tl = text != NULL ? strlen(text) : 0;

	if (tl > MANRS_RTR_ERROR_TEXT_MAX)
		tl = MANRS_RTR_ERROR_TEXT_MAX;
	if (pdu_len > MANRS_RTR_PDU_MAX / 2)
		pdu_len = 0;	/* never echo a huge PDU */
	hdr(b, ver, MANRS_RTR_ERROR_REPORT, code,
	    (uint32_t)(16 + pdu_len + tl));
	manrs_buf_put_u32(b, (uint32_t)pdu_len);
	if (pdu_len > 0)
		manrs_buf_put(b, pdu, pdu_len);
	manrs_buf_put_u32(b, (uint32_t)tl);
	if (tl > 0)
		manrs_buf_put(b, text, tl);
}

bool
manrs_rtr_serial_lt(uint32_t a, uint32_t b)
{
	/* RFC 1982 section 3.2 with SERIAL_BITS 32. */
	return a != b && (uint32_t)(b - a) < 0x80000000u;
}

/* Fixed lengths per type and version; 0 = variable, checked later. */
static int
check_len(uint8_t ver, uint8_t type, uint32_t len)
{
	switch (type) {
	case MANRS_RTR_SERIAL_NOTIFY:
	case MANRS_RTR_SERIAL_QUERY:
		return len == 12;
	case MANRS_RTR_RESET_QUERY:
	case MANRS_RTR_CACHE_RESPONSE:
	case MANRS_RTR_CACHE_RESET:
		return len == 8;
	case MANRS_RTR_IPV4_PREFIX:
		return len == 20;
	case MANRS_RTR_IPV6_PREFIX:
		return len == 32;
	case MANRS_RTR_END_OF_DATA:
		return len == (ver == 0 ? 12u : 24u);
	case MANRS_RTR_ROUTER_KEY:
		return len > 32;
	case MANRS_RTR_ERROR_REPORT:
		return len >= 16;
	case MANRS_RTR_ASPA:
		return len >= 12 && (len - 12) % 4 == 0;
	default:
		return 0;
	}
}

static bool
type_known(uint8_t ver, uint8_t type)
{
	switch (type) {
	case MANRS_RTR_SERIAL_NOTIFY:
	case MANRS_RTR_SERIAL_QUERY:
	case MANRS_RTR_RESET_QUERY:
	case MANRS_RTR_CACHE_RESPONSE:
	case MANRS_RTR_IPV4_PREFIX:
	case MANRS_RTR_IPV6_PREFIX:
	case MANRS_RTR_END_OF_DATA:
	case MANRS_RTR_CACHE_RESET:
	case MANRS_RTR_ERROR_REPORT:
		return true;
	case MANRS_RTR_ROUTER_KEY:
		return ver >= 1;
	case MANRS_RTR_ASPA:
		return ver >= 2;
	default:
		return false;
	}
}

static int
decode_prefix(struct manrs_reader *r, struct manrs_rtr_pdu *o, uint8_t af)
{
	uint8_t plen, maxlen, zero;
	const uint8_t *addr;
	size_t alen = af == MANRS_AF_INET ? 4 : 16;

	manrs_reader_u8(r, &o->flags);
	manrs_reader_u8(r, &plen);
	manrs_reader_u8(r, &maxlen);
	manrs_reader_u8(r, &zero);
	manrs_reader_bytes(r, alen, &addr);
	manrs_reader_u32(r, &o->vrp.asn);
	if (r->err != 0)
		return r->err;
	if (plen > alen * 8 || maxlen > alen * 8 || maxlen < plen)
		return MANRS_E_RANGE;
	if (manrs_prefix_set(&o->vrp.prefix, af, addr, alen, plen) != 0)
		return MANRS_E_RANGE;
	o->vrp.maxlen = maxlen;
	return 0;
}

static int
decode_body(struct manrs_reader *r, struct manrs_rtr_pdu *o)
{
	uint32_t n;

	switch (o->type) {
	case MANRS_RTR_SERIAL_NOTIFY:
	case MANRS_RTR_SERIAL_QUERY:
		return manrs_reader_u32(r, &o->serial);
	case MANRS_RTR_IPV4_PREFIX:
		return decode_prefix(r, o, MANRS_AF_INET);
	case MANRS_RTR_IPV6_PREFIX:
		return decode_prefix(r, o, MANRS_AF_INET6);
	case MANRS_RTR_END_OF_DATA:
		manrs_reader_u32(r, &o->serial);
		if (o->version >= 1) {
			manrs_reader_u32(r, &o->refresh);
			manrs_reader_u32(r, &o->retry);
			manrs_reader_u32(r, &o->expire);
		}
		return r->err;
	case MANRS_RTR_ROUTER_KEY:
		o->flags = (uint8_t)(o->session >> 8);
		manrs_reader_copy(r, o->ski, 20);
		manrs_reader_u32(r, &o->asn);
		o->spki_len = manrs_reader_left(r);
		return manrs_reader_bytes(r, o->spki_len, &o->spki);
	case MANRS_RTR_ASPA:
		o->flags = (uint8_t)(o->session >> 8);
		manrs_reader_u32(r, &o->asn);
		o->nproviders = manrs_reader_left(r) / 4;
		return manrs_reader_bytes(r, o->nproviders * 4, &o->providers);
	case MANRS_RTR_ERROR_REPORT:
		if (manrs_reader_u32(r, &n) != 0 || n > manrs_reader_left(r))
			return MANRS_E_SHORT;
		o->encap_len = n;
		manrs_reader_bytes(r, n, &o->encap);
		if (manrs_reader_u32(r, &n) != 0 || n != manrs_reader_left(r))
			return MANRS_E_SHORT;
		o->text_len = n;
		return manrs_reader_bytes(r, n, &o->text);
	default:
		return 0;
	}
}

ptrdiff_t
manrs_rtr_pdu_decode(const uint8_t *p, size_t len, struct manrs_rtr_pdu *o,
    int *rtr_err)
{
	struct manrs_reader r, body;
	int rc;

	memset(o, 0, sizeof(*o));
	*rtr_err = -1;
	if (len < MANRS_RTR_HDR_LEN)
		return 0;
	manrs_reader_init(&r, p, len, 0);
	manrs_reader_u8(&r, &o->version);
	manrs_reader_u8(&r, &o->type);
	manrs_reader_u16(&r, &o->session);
	manrs_reader_u32(&r, &o->length);
	if (o->length < MANRS_RTR_HDR_LEN || o->length > MANRS_RTR_PDU_MAX) {
		*rtr_err = MANRS_RTR_ERR_CORRUPT;
		return MANRS_E_RANGE;
	}
	if (o->version > MANRS_RTR_VERSION_MAX) {
		*rtr_err = MANRS_RTR_ERR_UNSUP_VERSION;
		return MANRS_E_FORMAT;
	}
	if (!type_known(o->version, o->type)) {
		*rtr_err = MANRS_RTR_ERR_UNSUP_PDU;
		return MANRS_E_FORMAT;
	}
	if (!check_len(o->version, o->type, o->length)) {
		*rtr_err = MANRS_RTR_ERR_CORRUPT;
		return MANRS_E_RANGE;
	}
	if (len < o->length)
		return 0;
	manrs_reader_init(&body, p + 8, o->length - 8, 8);
	rc = decode_body(&body, o);
	if (rc == 0)
		rc = manrs_reader_end(&body);
	if (rc != 0) {
		*rtr_err = MANRS_RTR_ERR_CORRUPT;
		return rc;
	}
	return (ptrdiff_t)o->length;
}

const char *
manrs_rtr_error_name(unsigned code)
{
	static const char *const names[] = {
		"Corrupt Data", "Internal Error", "No Data Available",
		"Invalid Request", "Unsupported Protocol Version",
		"Unsupported PDU Type", "Withdrawal of Unknown Record",
		"Duplicate Announcement Received",
		"Unexpected Protocol Version", "ASPA Provider List Error",
	};

	return code < sizeof(names) / sizeof(names[0]) ? names[code] :
	    "unknown error";
}

const char *
manrs_rtr_pdu_name(unsigned type)
{
	static const char *const names[] = {
		"Serial Notify", "Serial Query", "Reset Query",
		"Cache Response", "IPv4 Prefix", "type 5", "IPv6 Prefix",
		"End of Data", "Cache Reset", "Router Key", "Error Report",
		"ASPA",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] :
	    "unknown type";
}
