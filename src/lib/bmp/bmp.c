/*
 * bmp.c - BMP message decoding (RFC 7854, RFC 9069 Loc-RIB, RFC 8671
 * Adj-RIB-Out) and a byte-stream framer.
 *
 * Every field is read through struct manrs_reader: the message is one
 * reader bounded by the common header's length, the per-peer header and
 * each PDU are sub-views split off by their declared lengths, so a wrong
 * inner length can never read past its field.  The BGP PDU of a Route
 * Monitoring message is checked with manrs_bgp_msg_header() and split
 * with manrs_bgp_update_split(); attributes and NLRI are left to the
 * caller (manrs_bgp_attrs_decode(), manrs_bgp_nlri_next()).
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/bmp.h>

#define BGP_HEADER_LEN	19

int
manrs_bmp_msg_length(const uint8_t *p, size_t len, size_t *msg_len)
{
	uint32_t l;

	if (len < MANRS_BMP_COMMON_LEN)
		return MANRS_E_SHORT;
	if (p[0] != MANRS_BMP_VERSION)
		return MANRS_E_FORMAT;
	l = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 8 | p[4];
	if (l < MANRS_BMP_COMMON_LEN)
		return MANRS_E_FORMAT;
	if (l > MANRS_BMP_MSG_MAX)
		return MANRS_E_LIMIT;
	*msg_len = l;
	return 0;
}

/* Per-peer header (RFC 7854 section 4.2). */
static int
peer_decode(struct manrs_reader *r, struct manrs_bmp_msg *m)
{
	struct manrs_bmp_peer *pe = &m->peer;
	const uint8_t *addr;

	manrs_reader_u8(r, &pe->type);
	manrs_reader_u8(r, &pe->flags);
	manrs_reader_copy(r, pe->rd, sizeof(pe->rd));
	manrs_reader_bytes(r, 16, &addr);
	manrs_reader_u32(r, &pe->asn);
	manrs_reader_copy(r, pe->bgp_id, sizeof(pe->bgp_id));
	manrs_reader_u32(r, &pe->ts_sec);
	manrs_reader_u32(r, &pe->ts_usec);
	if (r->err != 0)
		return r->err;
	if (pe->type > MANRS_BMP_PEER_LOC_RIB)
		return MANRS_E_FORMAT;
	memset(pe->addr, 0, sizeof(pe->addr));
	m->loc_rib = pe->type == MANRS_BMP_PEER_LOC_RIB;
	if (m->loc_rib) {
		/* RFC 9069 4.1: address zero; only the F flag is defined. */
		pe->af = MANRS_AF_INET;
		m->filtered = (pe->flags & MANRS_BMP_FLAG_F) != 0;
		m->asn_size = 4;
		return 0;
	}
	if (pe->flags & MANRS_BMP_FLAG_V) {
		pe->af = MANRS_AF_INET6;
		memcpy(pe->addr, addr, 16);
	} else {
		pe->af = MANRS_AF_INET;
		memcpy(pe->addr, addr + 12, 4);
	}
	m->post_policy = (pe->flags & MANRS_BMP_FLAG_L) != 0;
	m->adj_rib_out = (pe->flags & MANRS_BMP_FLAG_O) != 0;
	m->asn_size = (pe->flags & MANRS_BMP_FLAG_A) ? 2 : 4;
	return 0;
}

/*
 * A whole BGP PDU at the reader: its length comes from its own header;
 * *pdu / *pdu_len cover it, *type is its message type.
 */
static int
bgp_pdu(struct manrs_reader *r, const uint8_t **pdu, size_t *pdu_len,
    uint8_t *type)
{
	const uint8_t *p = r->p + r->off, *body;
	size_t left = manrs_reader_left(r), body_len;
	int rc;

	if (r->err != 0)
		return r->err;
	rc = manrs_bgp_msg_header(p, left, type, &body, &body_len);
	if (rc != 0)
		return rc;
	*pdu = p;
	*pdu_len = BGP_HEADER_LEN + body_len;
	return manrs_reader_skip(r, *pdu_len);
}

static int
route_monitoring(struct manrs_reader *r, struct manrs_bmp_msg *m)
{
	uint8_t type;
	int rc;

	rc = bgp_pdu(r, &m->bgp, &m->bgp_len, &type);
	if (rc != 0)
		return rc;
	if (type != MANRS_BGP_MSG_UPDATE)
		return MANRS_E_FORMAT;
	rc = manrs_bgp_update_split(m->bgp + BGP_HEADER_LEN,
	    m->bgp_len - BGP_HEADER_LEN, &m->update);
	if (rc != 0)
		return rc;
	/* RFC 7854 4.6: exactly one BGP UPDATE PDU. */
	return manrs_reader_end(r);
}

static int
peer_up(struct manrs_reader *r, struct manrs_bmp_msg *m)
{
	uint8_t type;
	int rc;

	manrs_reader_copy(r, m->local_addr, sizeof(m->local_addr));
	manrs_reader_u16(r, &m->local_port);
	manrs_reader_u16(r, &m->remote_port);
	rc = bgp_pdu(r, &m->sent_open, &m->sent_open_len, &type);
	if (rc != 0)
		return rc;
	if (type != MANRS_BGP_MSG_OPEN)
		return MANRS_E_FORMAT;
	rc = bgp_pdu(r, &m->recv_open, &m->recv_open_len, &type);
	if (rc != 0)
		return rc;
	if (type != MANRS_BGP_MSG_OPEN)
		return MANRS_E_FORMAT;
	m->tlvs_len = manrs_reader_left(r);
	return manrs_reader_bytes(r, m->tlvs_len, &m->tlvs);
}

static int
peer_down(struct manrs_reader *r, struct manrs_bmp_msg *m)
{
	uint8_t type;
	int rc;

	manrs_reader_u8(r, &m->down_reason);
	if (r->err != 0)
		return r->err;
	m->down_data_len = manrs_reader_left(r);
	m->down_data = r->p + r->off;
	switch (m->down_reason) {
	case MANRS_BMP_DOWN_LOCAL_NOTIFY:
	case MANRS_BMP_DOWN_REMOTE_NOTIFY:
		rc = bgp_pdu(r, &m->down_data, &m->down_data_len, &type);
		if (rc != 0)
			return rc;
		if (type != MANRS_BGP_MSG_NOTIFICATION)
			return MANRS_E_FORMAT;
		return manrs_reader_end(r);
	case MANRS_BMP_DOWN_LOCAL_FSM:
		if (m->down_data_len != 2)
			return MANRS_E_FORMAT;
		break;
	default:
		/* 4, 5: no data; 6 and later (RFC 9069): TLVs, kept raw. */
		break;
	}
	return manrs_reader_skip(r, m->down_data_len);
}

static int
tlvs_check(const struct manrs_bmp_msg *m, bool stats)
{
	struct manrs_reader r;
	struct manrs_bmp_tlv t;
	struct manrs_bmp_stat s;
	uint32_t n = 0;
	int rc;

	manrs_bmp_tlv_init(&r, m);
	for (;;) {
		rc = stats ? manrs_bmp_stat_next(&r, &s) :
		    manrs_bmp_tlv_next(&r, &t);
		if (rc <= 0)
			break;
		n++;
	}
	if (rc < 0)
		return rc;
	if (stats && n != m->stats_count)
		return MANRS_E_FORMAT;
	return 0;
}

int
manrs_bmp_decode(const uint8_t *p, size_t len, struct manrs_bmp_msg *m,
    size_t *bad_off)
{
	struct manrs_reader r, body;
	uint8_t version;
	uint32_t mlen;
	int rc;

	memset(m, 0, sizeof(*m));
	m->asn_size = 4;
	manrs_reader_init(&r, p, len, 0);
	manrs_reader_u8(&r, &version);
	manrs_reader_u32(&r, &mlen);
	manrs_reader_u8(&r, &m->type);
	if (r.err != 0) {
		rc = r.err;
		goto out;
	}
	if (version != MANRS_BMP_VERSION || mlen < MANRS_BMP_COMMON_LEN) {
		r.off = 0;
		rc = MANRS_E_FORMAT;
		goto out;
	}
	m->len = mlen;
	if ((rc = manrs_reader_sub(&r, mlen - MANRS_BMP_COMMON_LEN,
	    &body)) != 0)
		goto out;
	if ((rc = manrs_reader_end(&r)) != 0)
		goto out;
	switch (m->type) {
	case MANRS_BMP_ROUTE_MONITORING:
	case MANRS_BMP_STATS_REPORT:
	case MANRS_BMP_PEER_DOWN:
	case MANRS_BMP_PEER_UP:
	case MANRS_BMP_ROUTE_MIRRORING:
		m->has_peer = true;
		if ((rc = peer_decode(&body, m)) != 0)
			goto body_err;
		break;
	case MANRS_BMP_INITIATION:
	case MANRS_BMP_TERMINATION:
		break;
	default:
		rc = MANRS_E_FORMAT;
		r.off = 5;
		goto out;
	}
	switch (m->type) {
	case MANRS_BMP_ROUTE_MONITORING:
		rc = route_monitoring(&body, m);
		break;
	case MANRS_BMP_STATS_REPORT:
		manrs_reader_u32(&body, &m->stats_count);
		m->tlvs_len = manrs_reader_left(&body);
		rc = manrs_reader_bytes(&body, m->tlvs_len, &m->tlvs);
		if (rc == 0)
			rc = tlvs_check(m, true);
		break;
	case MANRS_BMP_PEER_DOWN:
		rc = peer_down(&body, m);
		break;
	case MANRS_BMP_PEER_UP:
		rc = peer_up(&body, m);
		if (rc == 0)
			rc = tlvs_check(m, false);
		break;
	default:
		/* Initiation, Termination, Route Mirroring: TLVs. */
		m->tlvs_len = manrs_reader_left(&body);
		rc = manrs_reader_bytes(&body, m->tlvs_len, &m->tlvs);
		if (rc == 0)
			rc = tlvs_check(m, false);
		break;
	}
body_err:
	if (rc != 0 && bad_off != NULL) {
		*bad_off = (size_t)manrs_reader_pos(&body);
		return rc;
	}
out:
	if (rc != 0 && bad_off != NULL)
		*bad_off = r.off;
	return rc;
}

void
manrs_bmp_tlv_init(struct manrs_reader *r, const struct manrs_bmp_msg *m)
{
	manrs_reader_init(r, m->tlvs, m->tlvs_len, 0);
}

int
manrs_bmp_tlv_next(struct manrs_reader *r, struct manrs_bmp_tlv *t)
{
	if (manrs_reader_left(r) == 0)
		return r->err;
	manrs_reader_u16(r, &t->type);
	manrs_reader_u16(r, &t->len);
	manrs_reader_bytes(r, t->len, &t->value);
	return r->err != 0 ? r->err : 1;
}

int
manrs_bmp_stat_next(struct manrs_reader *r, struct manrs_bmp_stat *s)
{
	struct manrs_reader v;
	uint32_t v32;

	if (manrs_reader_left(r) == 0)
		return r->err;
	manrs_reader_u16(r, &s->type);
	manrs_reader_u16(r, &s->len);
	manrs_reader_sub(r, s->len, &v);
	if (r->err != 0)
		return r->err;
	s->raw = v.p;
	s->value = 0;
	if (s->len == 4) {
		manrs_reader_u32(&v, &v32);
		s->value = v32;
	} else if (s->len == 8)
		manrs_reader_u64(&v, &s->value);
	return 1;
}

const char *
manrs_bmp_type_name(unsigned type)
{
	static const char *const names[] = {
		"route-monitoring", "statistics-report", "peer-down",
		"peer-up", "initiation", "termination", "route-mirroring",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] :
	    "unknown";
}

struct manrs_bmp_stream {
	uint8_t		*buf;
	size_t		 start;		/* first unconsumed byte */
	size_t		 len;		/* bytes held, from 0 */
	size_t		 cap;
	uint64_t	 consumed;	/* stream offset of buf[0] */
	int		 fatal;
};

struct manrs_bmp_stream *
manrs_bmp_stream_new(void)
{
	return calloc(1, sizeof(struct manrs_bmp_stream));
}

void
manrs_bmp_stream_free(struct manrs_bmp_stream *s)
{
	if (s == NULL)
		return;
	free(s->buf);
	free(s);
}

int
manrs_bmp_stream_feed(struct manrs_bmp_stream *s, const void *p, size_t n)
{
	size_t need, ncap;
	uint8_t *nb;

	if (s->fatal != 0)
		return s->fatal;
	if (s->start > 0) {
		memmove(s->buf, s->buf + s->start, s->len - s->start);
		s->len -= s->start;
		s->consumed += s->start;
		s->start = 0;
	}
	if (n > 2 * (size_t)MANRS_BMP_MSG_MAX ||
	    s->len + n > 2 * (size_t)MANRS_BMP_MSG_MAX)
		return MANRS_E_LIMIT;
	need = s->len + n;
	if (need > s->cap) {
		ncap = s->cap ? s->cap : 4096;
		while (ncap < need)
			ncap *= 2;
		nb = realloc(s->buf, ncap);
		if (nb == NULL)
			return MANRS_E_NOMEM;
		s->buf = nb;
		s->cap = ncap;
	}
	if (n > 0)
		memcpy(s->buf + s->len, p, n);
	s->len += n;
	return 0;
}

int
manrs_bmp_stream_next(struct manrs_bmp_stream *s, struct manrs_bmp_msg *m,
    uint64_t *off)
{
	size_t mlen, avail;
	const uint8_t *p;
	int rc;

	if (s->fatal != 0)
		return s->fatal;
	avail = s->len - s->start;
	p = s->buf + s->start;
	rc = manrs_bmp_msg_length(p, avail, &mlen);
	if (rc == MANRS_E_SHORT)
		return 0;
	if (rc != 0) {
		s->fatal = rc;
		return rc;
	}
	if (mlen > avail)
		return 0;
	if (off != NULL)
		*off = s->consumed + s->start;
	s->start += mlen;
	rc = manrs_bmp_decode(p, mlen, m, NULL);
	return rc != 0 ? rc : 1;
}

size_t
manrs_bmp_stream_pending(const struct manrs_bmp_stream *s)
{
	return s->len - s->start;
}
