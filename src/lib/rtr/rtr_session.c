/*
 * rtr_session.c - one router connection, cache side (RFC 8210 sections
 * 5, 7, 8, 10; RFC 6810 for version 0; draft-ietf-sidrops-8210bis for
 * version 2).  Bytes in, bytes out.
 *
 * Version negotiation (RFC 8210 section 7): the first PDU fixes the
 * version when the cache supports it; a higher one gets "Unsupported
 * Protocol Version" in the cache's highest version and the session ends;
 * a later PDU of another version gets "Unexpected Protocol Version".
 * Responses are streamed: the session holds a reference to the snapshot
 * or composed delta it is sending and produces PDUs as output space
 * frees up, so a reload during a transfer never tears it and a full sync
 * never sits in memory.  Queries that arrive during a response wait in
 * the (bounded) input buffer.  Any Error Report from the router, and any
 * fatal error we send, ends the session once the output is written.
 */
#include <stdlib.h>
#include <string.h>

#include "rtr_int.h"

#define SESSION_IN_MAX	(2 * MANRS_RTR_PDU_MAX)

enum phase {
	PH_NONE,
	/* full */
	PH_KEYS, PH_ASPA, PH_VRP,
	/* delta */
	PH_D_VA, PH_D_VW, PH_D_KW, PH_D_KA, PH_D_ASPA,
	PH_EOD,
};

struct manrs_rtr_session {
	struct manrs_rtr_cache	*c;
	int			 version;
	struct manrs_buf	 in;
	struct manrs_buf	 pend;
	enum phase		 ph;
	size_t			 idx;
	struct rtr_snap		*snap;
	struct rtr_delta	*delta;
	bool			 closing;
	const char		*reason;
	bool			 synced;
	uint32_t		 serial;
	int			 err_version;	/* for errors before negotiation */
};

struct manrs_rtr_session *
manrs_rtr_session_new(struct manrs_rtr_cache *c)
{
	struct manrs_rtr_session *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->c = c;
	s->version = -1;
	s->err_version = -1;
	manrs_buf_init(&s->in, SESSION_IN_MAX);
	manrs_buf_init(&s->pend, 4 * MANRS_RTR_PDU_MAX);
	return s;
}

static void
stream_end(struct manrs_rtr_session *s)
{
	rtr_snap_unref(s->snap);
	rtr_delta_unref(s->delta);
	s->snap = NULL;
	s->delta = NULL;
	s->ph = PH_NONE;
	s->idx = 0;
}

void
manrs_rtr_session_free(struct manrs_rtr_session *s)
{
	if (s == NULL)
		return;
	stream_end(s);
	manrs_buf_clear(&s->in);
	manrs_buf_clear(&s->pend);
	free(s);
}

static uint8_t
ver(const struct manrs_rtr_session *s)
{
	if (s->version >= 0)
		return (uint8_t)s->version;
	return s->err_version >= 0 ? (uint8_t)s->err_version :
	    s->c->cfg.max_version;
}

static void
send_error(struct manrs_rtr_session *s, int code, const uint8_t *pdu,
    size_t pdu_len, const char *text, bool fatal)
{
	manrs_rtr_encode_error(&s->pend, ver(s), (uint16_t)code, pdu,
	    pdu_len, text);
	if (fatal) {
		s->closing = true;
		s->reason = text;
	}
}

static void
start_full(struct manrs_rtr_session *s)
{
	s->snap = s->c->cur;
	s->snap->refs++;
	manrs_rtr_encode_cache_response(&s->pend, ver(s),
	    s->c->cfg.session_id);
	s->ph = PH_KEYS;
	s->idx = 0;
}

static void
start_delta(struct manrs_rtr_session *s, struct rtr_delta *d)
{
	s->delta = d;	/* reference taken by rtr_cache_delta_from */
	manrs_rtr_encode_cache_response(&s->pend, ver(s),
	    s->c->cfg.session_id);
	s->ph = PH_D_VA;
	s->idx = 0;
}

static void
serial_query(struct manrs_rtr_session *s, const struct manrs_rtr_pdu *p,
    const uint8_t *raw)
{
	struct rtr_delta *d;

	/*
	 * Another session's serials are not commensurate with ours: "the
	 * party which detects the mismatch MUST immediately terminate the
	 * session with an Error Report PDU with code 0 ("Corrupt Data")"
	 * (RFC 8210 section 5.1; RFC 6810 section 5.1 for version 0 asks
	 * to "completely drop the session", which this does too).  The
	 * router then flushes what it learned and starts over with a
	 * Reset Query.
	 */
	if (p->session != s->c->cfg.session_id) {
		send_error(s, MANRS_RTR_ERR_CORRUPT, raw, p->length,
		    "Session ID mismatch (RFC 8210 section 5.1)", true);
		return;
	}
	if (p->serial == s->c->serial) {
		manrs_rtr_encode_cache_response(&s->pend, ver(s),
		    s->c->cfg.session_id);
		s->ph = PH_EOD;
		return;
	}
	if ((d = rtr_cache_delta_from(s->c, p->serial)) == NULL) {
		/* Too old, from the future, or unknown: RFC 8210 5.9. */
		manrs_rtr_encode_cache_reset(&s->pend, ver(s));
		return;
	}
	start_delta(s, d);
}

static void
handle(struct manrs_rtr_session *s, const struct manrs_rtr_pdu *p,
    const uint8_t *raw)
{
	switch (p->type) {
	case MANRS_RTR_RESET_QUERY:
	case MANRS_RTR_SERIAL_QUERY:
		if (!manrs_rtr_cache_ready(s->c)) {
			send_error(s, MANRS_RTR_ERR_NO_DATA, raw, p->length,
			    "no data loaded yet", false);
			return;
		}
		if (p->type == MANRS_RTR_RESET_QUERY)
			start_full(s);
		else
			serial_query(s, p, raw);
		return;
	case MANRS_RTR_ERROR_REPORT:
		s->closing = true;
		s->reason = "router sent an Error Report";
		return;
	default:
		send_error(s, MANRS_RTR_ERR_INVALID_REQUEST, raw, p->length,
		    "PDU not expected by a cache", true);
		return;
	}
}

/* Handle complete PDUs while no response is being streamed. */
static void
process_input(struct manrs_rtr_session *s)
{
	struct manrs_rtr_pdu p;
	ptrdiff_t n;
	int rerr;

	while (!s->closing && s->ph == PH_NONE && s->in.len > 0) {
		n = manrs_rtr_pdu_decode(s->in.p, s->in.len, &p, &rerr);
		if (n == 0)
			return;
		if (n < 0) {
			size_t el = s->in.len < MANRS_RTR_HDR_LEN ? s->in.len :
			    MANRS_RTR_HDR_LEN;

			if (rerr == MANRS_RTR_ERR_UNSUP_VERSION &&
			    s->version >= 0)
				rerr = MANRS_RTR_ERR_UNEXPECTED_VERSION;
			/* before negotiation, answer in the PDU's version
			 * when we speak it (RFC 8210 section 7) */
			if (s->version < 0 && s->in.p[0] <=
			    s->c->cfg.max_version)
				s->err_version = s->in.p[0];
			send_error(s, rerr, s->in.p, el,
			    rerr == MANRS_RTR_ERR_UNSUP_VERSION ?
			    "unsupported protocol version" :
			    rerr == MANRS_RTR_ERR_UNEXPECTED_VERSION ?
			    "unexpected protocol version" :
			    rerr == MANRS_RTR_ERR_UNSUP_PDU ?
			    "unsupported PDU type" : "corrupt PDU", true);
			return;
		}
		if (s->version < 0) {
			if (p.version > s->c->cfg.max_version) {
				send_error(s, MANRS_RTR_ERR_UNSUP_VERSION,
				    s->in.p, (size_t)n,
				    "unsupported protocol version", true);
				return;
			}
			s->version = p.version;
		} else if (p.version != s->version) {
			send_error(s, MANRS_RTR_ERR_UNEXPECTED_VERSION,
			    s->in.p, (size_t)n,
			    "unexpected protocol version", true);
			return;
		}
		handle(s, &p, s->in.p);
		manrs_buf_consume(&s->in, (size_t)n);
	}
}

int
manrs_rtr_session_input(struct manrs_rtr_session *s, const void *p,
    size_t len)
{
	if (s->closing)
		return MANRS_E_INVAL;
	if (manrs_buf_put(&s->in, p, len) != 0) {
		send_error(s, MANRS_RTR_ERR_CORRUPT, NULL, 0,
		    "too much unread input", true);
		return MANRS_E_LIMIT;
	}
	process_input(s);
	return s->closing ? MANRS_E_FORMAT : 0;
}

/* Emit the next PDU of the current response; false when done. */
static bool
emit_full(struct manrs_rtr_session *s, struct manrs_buf *out)
{
	const struct manrs_vrp_set *set = s->snap->set;
	struct manrs_aspa a;
	struct manrs_rkey k;

	for (;;) {
		switch (s->ph) {
		case PH_KEYS:
			if (ver(s) >= 1 &&
			    manrs_vrp_rkey_get(set, s->idx, &k) == 0) {
				s->idx++;
				manrs_rtr_encode_router_key(out, ver(s),
				    MANRS_RTR_FLAG_ANNOUNCE, &k);
				return true;
			}
			s->ph = PH_ASPA;
			s->idx = 0;
			continue;
		case PH_ASPA:
			if (ver(s) >= 2 &&
			    manrs_vrp_aspa_get(set, s->idx, &a) == 0) {
				s->idx++;
				manrs_rtr_encode_aspa(out, ver(s),
				    MANRS_RTR_FLAG_ANNOUNCE, a.customer,
				    a.providers, a.nproviders);
				return true;
			}
			s->ph = PH_VRP;
			s->idx = 0;
			continue;
		case PH_VRP:
			if (s->idx < manrs_vrp_count(set, 0)) {
				manrs_rtr_encode_prefix(out, ver(s),
				    MANRS_RTR_FLAG_ANNOUNCE, manrs_vrp_get(set,
				    s->snap->order[s->idx++]));
				return true;
			}
			s->ph = PH_EOD;
			return false;
		default:
			return false;
		}
	}
}

static bool
emit_delta(struct manrs_rtr_session *s, struct manrs_buf *out)
{
	struct rtr_delta *d = s->delta;

	for (;;) {
		switch (s->ph) {
		case PH_D_VA:
			if (s->idx < d->nva) {
				manrs_rtr_encode_prefix(out, ver(s),
				    MANRS_RTR_FLAG_ANNOUNCE, &d->va[s->idx++]);
				return true;
			}
			break;
		case PH_D_VW:
			if (s->idx < d->nvw) {
				manrs_rtr_encode_prefix(out, ver(s), 0,
				    &d->vw[s->idx++]);
				return true;
			}
			break;
		case PH_D_KW:
			if (ver(s) >= 1 && s->idx < d->nkw) {
				manrs_rtr_encode_router_key(out, ver(s), 0,
				    &d->kw[s->idx++].k);
				return true;
			}
			break;
		case PH_D_KA:
			if (ver(s) >= 1 && s->idx < d->nka) {
				manrs_rtr_encode_router_key(out, ver(s),
				    MANRS_RTR_FLAG_ANNOUNCE, &d->ka[s->idx++].k);
				return true;
			}
			break;
		case PH_D_ASPA:
			if (ver(s) >= 2 && s->idx < d->naout) {
				const struct rtr_aspa_item *a =
				    &d->aout[s->idx++];

				manrs_rtr_encode_aspa(out, ver(s), a->flags,
				    a->customer, a->prov, a->n);
				return true;
			}
			s->ph = PH_EOD;
			return false;
		default:
			return false;
		}
		s->ph++;
		s->idx = 0;
	}
}

static void
emit_eod(struct manrs_rtr_session *s, struct manrs_buf *out)
{
	uint32_t serial = s->c->serial;

	if (s->snap != NULL)
		serial = s->snap->serial;
	else if (s->delta != NULL)
		serial = s->delta->to;
	manrs_rtr_encode_end_of_data(out, ver(s), s->c->cfg.session_id,
	    serial, s->c->cfg.refresh, s->c->cfg.retry, s->c->cfg.expire);
	s->synced = true;
	s->serial = serial;
	stream_end(s);
}

size_t
manrs_rtr_session_drain(struct manrs_rtr_session *s, struct manrs_buf *out,
    size_t max)
{
	size_t start = out->len;
	bool more;

	for (;;) {
		if (s->pend.len > 0) {
			manrs_buf_put(out, s->pend.p, s->pend.len);
			manrs_buf_reset(&s->pend);
		}
		if (s->closing)
			break;
		while (s->ph != PH_NONE && out->len - start < max) {
			if (s->ph == PH_EOD) {
				emit_eod(s, out);
				break;
			}
			more = s->snap != NULL ? emit_full(s, out) :
			    emit_delta(s, out);
			(void)more;
		}
		if (s->ph != PH_NONE || out->len - start >= max)
			break;
		process_input(s);
		if (s->ph == PH_NONE && s->pend.len == 0)
			break;
	}
	return out->len - start;
}

bool
manrs_rtr_session_pending(const struct manrs_rtr_session *s)
{
	return s->pend.len > 0 || s->ph != PH_NONE;
}

bool
manrs_rtr_session_closing(const struct manrs_rtr_session *s)
{
	return s->closing;
}

void
manrs_rtr_session_notify(struct manrs_rtr_session *s)
{
	if (!s->synced || s->closing || s->ph != PH_NONE || s->version < 0 ||
	    s->serial == s->c->serial)
		return;
	manrs_rtr_encode_serial_notify(&s->pend, ver(s), s->c->cfg.session_id,
	    s->c->serial);
}

int
manrs_rtr_session_version(const struct manrs_rtr_session *s)
{
	return s->version;
}

const char *
manrs_rtr_session_reason(const struct manrs_rtr_session *s)
{
	return s->reason;
}

bool
manrs_rtr_session_synced(const struct manrs_rtr_session *s, uint32_t *serial)
{
	if (s->synced && serial != NULL)
		*serial = s->serial;
	return s->synced;
}
