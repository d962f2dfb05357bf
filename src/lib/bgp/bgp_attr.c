/*
 * bgp_attr.c - BGP path attribute decoding (RFC 4271 section 4.3 and
 * 5.1), AS_PATH / AS4_PATH merging (RFC 6793 section 4.2.3), AS path
 * length, origin and text form.
 *
 * Invariants: every attribute is split off by its declared length with
 * a sub-reader and decoded only inside it; a struct manrs_bgp_attrs only
 * points into the caller's bytes; a fixed-size attribute with another
 * length is ignored (RFC 7606 "attribute discard" spirit) and reported.
 */
#include <string.h>

#include <manrs/bgp.h>

static inline uint32_t
be32(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

static inline void
set_bit(struct manrs_bgp_attrs *a, unsigned type)
{
	a->present[(type >> 6) & 3] |= (uint64_t)1 << (type & 63);
}

static inline void
clear_bit(struct manrs_bgp_attrs *a, unsigned type)
{
	a->present[(type >> 6) & 3] &= ~((uint64_t)1 << (type & 63));
}

/* MP_REACH_NLRI (RFC 4760 section 3) or its RFC 6396 4.3.4 abbreviation. */
static int
decode_reach(struct manrs_bgp_attrs *a, struct manrs_reader *r,
    unsigned flags)
{
	struct manrs_bgp_mp *m = &a->reach;
	uint8_t reserved, first;

	if (manrs_reader_left(r) == 0)
		return MANRS_E_FORMAT;
	first = r->p[r->off];
	if ((flags & MANRS_BGP_DECODE_MRT_RIB) && first != 0) {
		a->reach_abbrev = true;
		manrs_reader_u8(r, &m->nh_len);
		manrs_reader_bytes(r, m->nh_len, &m->nh);
		return manrs_reader_end(r) == 0 ? 0 : MANRS_E_FORMAT;
	}
	manrs_reader_u16(r, &m->afi);
	manrs_reader_u8(r, &m->safi);
	manrs_reader_u8(r, &m->nh_len);
	manrs_reader_bytes(r, m->nh_len, &m->nh);
	manrs_reader_u8(r, &reserved);
	if (r->err != 0)
		return MANRS_E_FORMAT;
	m->nlri = r->p + r->off;
	m->nlri_len = manrs_reader_left(r);
	return 0;
}

static int
decode_unreach(struct manrs_bgp_attrs *a, struct manrs_reader *r)
{
	struct manrs_bgp_mp *m = &a->unreach;

	manrs_reader_u16(r, &m->afi);
	manrs_reader_u8(r, &m->safi);
	if (r->err != 0)
		return MANRS_E_FORMAT;
	m->nlri = r->p + r->off;
	m->nlri_len = manrs_reader_left(r);
	return 0;
}

static int
decode_aggregator(struct manrs_reader *r, unsigned asn_size, uint32_t *as,
    uint8_t addr[4])
{
	uint16_t as16;

	/* The length decides: 6 (two-octet) or 8 (four-octet, RFC 6793). */
	(void)asn_size;
	if (r->len == 6) {
		manrs_reader_u16(r, &as16);
		*as = as16;
	} else if (r->len == 8) {
		manrs_reader_u32(r, as);
	} else
		return MANRS_E_FORMAT;
	return manrs_reader_copy(r, addr, 4);
}

static void
keep_unknown(struct manrs_bgp_attrs *a, uint8_t type, uint8_t fl,
    struct manrs_reader *r)
{
	struct manrs_bgp_unknown *u;

	a->nunknown_total++;
	if (a->nunknown >= MANRS_BGP_UNKNOWN_MAX)
		return;
	u = &a->unknown[a->nunknown++];
	u->type = type;
	u->flags = fl;
	u->len = (uint16_t)r->len;
	u->data = r->p;
}

/* Decode one attribute whose value is in r; returns 0 or MANRS_E_FORMAT. */
static int
decode_one(struct manrs_bgp_attrs *a, uint8_t type, uint8_t fl,
    struct manrs_reader *r, unsigned asn_size, unsigned flags)
{
	size_t n = r->len;

	switch (type) {
	case MANRS_BGP_ATTR_ORIGIN:
		if (n != 1)
			return MANRS_E_FORMAT;
		a->origin = r->p[0];	/* length checked: direct loads */
		return 0;
	case MANRS_BGP_ATTR_AS_PATH:
		a->as_path = r->p;
		a->as_path_len = n;
		return 0;
	case MANRS_BGP_ATTR_NEXT_HOP:
		if (n != 4)
			return MANRS_E_FORMAT;
		memcpy(a->next_hop, r->p, 4);
		return 0;
	case MANRS_BGP_ATTR_MED:
		if (n != 4)
			return MANRS_E_FORMAT;
		a->med = be32(r->p);
		return 0;
	case MANRS_BGP_ATTR_LOCAL_PREF:
		if (n != 4)
			return MANRS_E_FORMAT;
		a->local_pref = be32(r->p);
		return 0;
	case MANRS_BGP_ATTR_ATOMIC_AGGREGATE:
		return n == 0 ? 0 : MANRS_E_FORMAT;
	case MANRS_BGP_ATTR_AGGREGATOR:
		return decode_aggregator(r, asn_size, &a->aggregator_as,
		    a->aggregator_addr);
	case MANRS_BGP_ATTR_COMMUNITIES:
		if (n % 4 != 0)
			return MANRS_E_FORMAT;
		a->communities = r->p;
		a->communities_len = n;
		return 0;
	case MANRS_BGP_ATTR_ORIGINATOR_ID:
		if (n != 4)
			return MANRS_E_FORMAT;
		return manrs_reader_copy(r, a->originator_id, 4);
	case MANRS_BGP_ATTR_CLUSTER_LIST:
		if (n % 4 != 0)
			return MANRS_E_FORMAT;
		a->cluster_list = r->p;
		a->cluster_list_len = n;
		return 0;
	case MANRS_BGP_ATTR_MP_REACH:
		return decode_reach(a, r, flags);
	case MANRS_BGP_ATTR_MP_UNREACH:
		return decode_unreach(a, r);
	case MANRS_BGP_ATTR_AS4_PATH:
		a->as4_path = r->p;
		a->as4_path_len = n;
		return 0;
	case MANRS_BGP_ATTR_AS4_AGGREGATOR:
		if (n != 8)
			return MANRS_E_FORMAT;
		manrs_reader_u32(r, &a->as4_aggregator_as);
		return manrs_reader_copy(r, a->as4_aggregator_addr, 4);
	case MANRS_BGP_ATTR_LARGE_COMMUNITIES:
		if (n % 12 != 0)
			return MANRS_E_FORMAT;
		a->large_communities = r->p;
		a->large_communities_len = n;
		return 0;
	default:
		keep_unknown(a, type, fl, r);
		return 0;
	}
}

int
manrs_bgp_attrs_decode(struct manrs_bgp_attrs *a, const uint8_t *p,
    size_t len, unsigned asn_size, unsigned flags, size_t *bad_off)
{
	struct manrs_reader sub;
	size_t off = 0;
	int rc = 0, one;

	memset(a, 0, offsetof(struct manrs_bgp_attrs, unknown));
	a->raw = p;
	a->raw_len = len;
	a->asn_size = (uint8_t)(asn_size == 2 ? 2 : 4);
	/*
	 * The attribute header (flags, type, 1- or 2-byte length) is read
	 * here with explicit bounds checks (the hot path of every MRT
	 * route); the value is then split off as a bounded sub-reader.
	 */
	while (off < len) {
		size_t start = off, left = len - off, hl, alen;
		uint8_t fl, type;

		fl = p[off];
		hl = (fl & MANRS_BGP_FLAG_EXTLEN) ? 4 : 3;
		if (left < hl) {
			if (rc == 0 && bad_off != NULL)
				*bad_off = start;
			return rc != 0 ? rc : MANRS_E_SHORT;
		}
		type = p[off + 1];
		alen = hl == 4 ? (size_t)p[off + 2] << 8 | p[off + 3] :
		    p[off + 2];
		if (left - hl < alen) {
			if (rc == 0 && bad_off != NULL)
				*bad_off = start;
			return rc != 0 ? rc : MANRS_E_SHORT;
		}
		sub.p = p + off + hl;
		sub.len = alen;
		sub.off = 0;
		sub.base = off + hl;
		sub.err = 0;
		off += hl + alen;
		if (manrs_bgp_attrs_has(a, type)) {
			one = MANRS_E_EXIST;
		} else {
			set_bit(a, type);
			one = decode_one(a, type, fl, &sub, a->asn_size, flags);
			if (one != 0) {
				one = MANRS_E_FORMAT;
				clear_bit(a, type);
			}
		}
		if (one != 0 && rc == 0) {
			rc = one;
			if (bad_off != NULL)
				*bad_off = start;
		}
	}
	return rc;
}

ptrdiff_t
manrs_bgp_aspath_length(const uint8_t *p, size_t len, unsigned asn_size)
{
	size_t off = 0;
	ptrdiff_t count = 0;

	while (off < len) {
		uint8_t type, n;

		if (len - off < 2)
			return MANRS_E_FORMAT;
		type = p[off];
		n = p[off + 1];
		off += 2;
		if ((size_t)n * asn_size > len - off)
			return MANRS_E_FORMAT;
		off += (size_t)n * asn_size;
		switch (type) {
		case MANRS_BGP_AS_SEQUENCE:
			count += n;
			break;
		case MANRS_BGP_AS_SET:
			count += 1;
			break;
		case MANRS_BGP_AS_CONFED_SEQUENCE:
		case MANRS_BGP_AS_CONFED_SET:
			break;
		default:
			return MANRS_E_FORMAT;
		}
	}
	return count;
}

/* Copy segments, widening two-octet ASNs; at most "limit" counted ASNs. */
static size_t
widen(const uint8_t *p, size_t len, uint8_t *out, ptrdiff_t limit)
{
	size_t off = 0, o = 0;
	unsigned i;

	while (off < len && limit > 0) {
		uint8_t type = p[off], n = p[off + 1], take = n;

		off += 2;
		if (type == MANRS_BGP_AS_SEQUENCE) {
			if (take > limit)
				take = (uint8_t)limit;
			limit -= take;
		} else if (type == MANRS_BGP_AS_SET)
			limit -= 1;
		out[o++] = type;
		out[o++] = take;
		for (i = 0; i < take; i++) {
			out[o++] = 0;
			out[o++] = 0;
			out[o++] = p[off + 2 * i];
			out[o++] = p[off + 2 * i + 1];
		}
		off += (size_t)n * 2;
	}
	return o;
}

ptrdiff_t
manrs_bgp_aspath4(const struct manrs_bgp_attrs *a, uint8_t *out)
{
	ptrdiff_t n2, n4;
	size_t o;

	if (!manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_AS_PATH))
		return 0;
	n2 = manrs_bgp_aspath_length(a->as_path, a->as_path_len,
	    a->asn_size);
	if (n2 < 0)
		return MANRS_E_FORMAT;
	if (a->asn_size == 4) {
		memcpy(out, a->as_path, a->as_path_len);
		return (ptrdiff_t)a->as_path_len;
	}
	n4 = -1;
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_AS4_PATH))
		n4 = manrs_bgp_aspath_length(a->as4_path, a->as4_path_len, 4);
	/* RFC 6793 4.2.3: an AGGREGATOR not from AS_TRANS voids AS4_PATH. */
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_AGGREGATOR) &&
	    a->aggregator_as != MANRS_BGP_AS_TRANS)
		n4 = -1;
	/* Widening at most doubles AS_PATH; never exceed the output size. */
	if (2 * a->as_path_len + a->as4_path_len > MANRS_BGP_ASPATH4_MAX)
		n4 = -1;
	if (n4 < 0 || n2 < n4)
		return (ptrdiff_t)widen(a->as_path, a->as_path_len, out,
		    PTRDIFF_MAX);
	o = widen(a->as_path, a->as_path_len, out, n2 - n4);
	memcpy(out + o, a->as4_path, a->as4_path_len);
	return (ptrdiff_t)(o + a->as4_path_len);
}

bool
manrs_bgp_aggregator(const struct manrs_bgp_attrs *a, uint32_t *asn,
    uint8_t addr[4])
{
	if (!manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_AGGREGATOR))
		return false;
	if (a->asn_size == 2 && a->aggregator_as == MANRS_BGP_AS_TRANS &&
	    manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_AS4_AGGREGATOR)) {
		*asn = a->as4_aggregator_as;
		memcpy(addr, a->as4_aggregator_addr, 4);
		return true;
	}
	*asn = a->aggregator_as;
	memcpy(addr, a->aggregator_addr, 4);
	return true;
}

bool
manrs_bgp_aspath_origin(const uint8_t *p, size_t len, uint32_t *asn)
{
	size_t off = 0, last = SIZE_MAX;

	while (off + 2 <= len) {
		last = off;
		off += 2 + (size_t)p[off + 1] * 4;
	}
	if (last == SIZE_MAX || off != len || p[last] !=
	    MANRS_BGP_AS_SEQUENCE || p[last + 1] == 0)
		return false;
	off = len - 4;
	*asn = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
	    (uint32_t)p[off + 2] << 8 | p[off + 3];
	return true;
}

static size_t
put_u32(char *dst, uint32_t v)
{
	char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

size_t
manrs_bgp_aspath_print(const uint8_t *p, size_t len, char *buf, size_t size)
{
	static const char open[] = "?{ ([", close[] = "?} )]";
	size_t off = 0, o = 0, need = 0;
	char tmp[16];
	unsigned i;

#define EMIT(s, n) do {							\
	size_t n_ = (n);						\
	if (o + n_ < size) {						\
		memcpy(buf + o, (s), n_);				\
		o += n_;						\
	}								\
	need += n_;							\
} while (0)
	while (off + 2 <= len) {
		uint8_t type = p[off], n = p[off + 1];
		bool set = type == MANRS_BGP_AS_SET ||
		    type == MANRS_BGP_AS_CONFED_SET;

		if (type < 1 || type > 4 || off + 2 + (size_t)n * 4 > len)
			break;
		if (off != 0)
			EMIT(" ", 1);
		if (type != MANRS_BGP_AS_SEQUENCE)
			EMIT(&open[type], 1);
		for (i = 0; i < n; i++) {
			const uint8_t *q = p + off + 2 + 4 * i;
			uint32_t v = (uint32_t)q[0] << 24 |
			    (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];

			if (i != 0)
				EMIT(set ? "," : " ", 1);
			EMIT(tmp, put_u32(tmp, v));
		}
		if (type != MANRS_BGP_AS_SEQUENCE)
			EMIT(&close[type], 1);
		off += 2 + (size_t)n * 4;
	}
#undef EMIT
	if (size > 0)
		buf[o < size ? o : size - 1] = '\0';
	return need;
}
