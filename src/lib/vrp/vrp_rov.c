/*
 * vrp_rov.c - route origin validation (RFC 6811 section 2) with the
 * reason for an Invalid named as in RFC 6907 section 3 (Invalid-AS,
 * Invalid-ML, Invalid-ML-AS; an AS_SET origin matches no VRP).
 *
 * A route (prefix P, origin AS) is Valid when some VRP covers P, has
 * maxLength >= len(P) and the same AS (and the origin is not an AS_SET);
 * Invalid when VRPs cover P but none matches; NotFound when none covers
 * P.  Covering VRPs come from the set's trie: each stored prefix leads
 * to the run of VRPs sharing it (sorted, contiguous).
 */
#include <string.h>

#include "vrp_int.h"

struct rov_walk {
	const struct manrs_vrp_set	*s;
	uint8_t				 len;
	uint32_t			 origin;
	bool				 is_set;
	bool				 as_seen;	/* a VRP had the AS */
	bool				 len_seen;	/* a VRP allowed the len */
	struct manrs_rov_result		 r;
};

static int
rov_cb(const struct manrs_prefix *p, uint32_t idx, void *arg)
{
	struct rov_walk *w = arg;
	const struct manrs_vrp *v = &w->s->vrps[idx];
	const struct manrs_vrp *end = w->s->vrps + w->s->nvrps;

	(void)p;
	for (; v < end && v->prefix.len == w->s->vrps[idx].prefix.len &&
	    memcmp(v->prefix.addr, w->s->vrps[idx].prefix.addr, 16) == 0 &&
	    v->prefix.af == w->s->vrps[idx].prefix.af; v++) {
		/* AS0 VRPs never match (RFC 6483 section 4, RFC 7607). */
		bool as_ok = !w->is_set && v->asn != 0 && v->asn == w->origin;
		bool len_ok = w->len <= v->maxlen;

		if (w->r.covering++ == 0)
			w->r.vrp = *v;
		if (as_ok && len_ok) {
			w->r.vrp = *v;
			w->r.state = MANRS_ROV_VALID;
			return 1;	/* stop: matched */
		}
		w->as_seen |= as_ok;
		w->len_seen |= len_ok;
	}
	return 0;
}

enum manrs_rov_state
manrs_rov_validate(const struct manrs_vrp_set *s,
    const struct manrs_prefix *p, uint32_t origin, bool origin_is_set,
    struct manrs_rov_result *res)
{
	struct rov_walk w;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.len = p->len;
	w.origin = origin;
	w.is_set = origin_is_set;
	w.r.state = MANRS_ROV_NOTFOUND;
	if (s->finished && s->trie != NULL && s->nvrps > 0)
		manrs_trie_walk_covering(s->trie, p, rov_cb, &w);
	if (w.r.state != MANRS_ROV_VALID && w.r.covering > 0) {
		w.r.state = MANRS_ROV_INVALID;
		if (origin_is_set)
			w.r.reason = MANRS_ROV_REASON_ASSET;
		else if (w.as_seen)
			w.r.reason = MANRS_ROV_REASON_ML;
		else if (w.len_seen)
			w.r.reason = MANRS_ROV_REASON_AS;
		else
			w.r.reason = MANRS_ROV_REASON_MLAS;
	}
	if (res != NULL)
		*res = w.r;
	return w.r.state;
}

const char *
manrs_rov_state_name(enum manrs_rov_state st)
{
	switch (st) {
	case MANRS_ROV_VALID:
		return "valid";
	case MANRS_ROV_INVALID:
		return "invalid";
	default:
		return "not-found";
	}
}

const char *
manrs_rov_reason_name(enum manrs_rov_reason r)
{
	switch (r) {
	case MANRS_ROV_REASON_AS:
		return "AS";
	case MANRS_ROV_REASON_ML:
		return "ML";
	case MANRS_ROV_REASON_MLAS:
		return "ML-AS";
	case MANRS_ROV_REASON_ASSET:
		return "AS-SET";
	default:
		return "";
	}
}
