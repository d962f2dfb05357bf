/*
 * vrp_rov.c - route origin validation (RFC 6811 section 2) with the
 * reason for an Invalid named as in RFC 6907 section 3 (Invalid-AS,
 * Invalid-ML, Invalid-ML-AS; an AS_SET origin matches no VRP).
 *
 * A route (prefix P, origin AS) is Valid when some VRP covers P, has
 * maxLength >= len(P) and the same AS (and the origin is not an AS_SET);
 * Invalid when VRPs cover P but none matches; NotFound when none covers
 * P.  Covering VRPs come from the set's covering-prefix index
 * (vrp_index.c): the most specific covering prefix, then its ancestors,
 * each leading to its run of VRPs (sorted, contiguous).
 */
#include <string.h>

#include "vrp_int.h"

enum manrs_rov_state
manrs_rov_validate(const struct manrs_vrp_set *s,
    const struct manrs_prefix *p, uint32_t origin, bool origin_is_set,
    struct manrs_rov_result *res)
{
	const struct vrp_fam_index *x;
	struct manrs_rov_result r;
	struct manrs_vrp as_vrp, len_vrp;
	bool as_seen = false, len_seen = false;
	uint64_t hi, lo;
	uint32_t q, i;

	r.state = MANRS_ROV_NOTFOUND;
	r.reason = MANRS_ROV_REASON_NONE;
	r.covering = 0;
	if (!s->finished || (p->af != MANRS_AF_INET &&
	    p->af != MANRS_AF_INET6))
		goto done;
	x = &s->idx[p->af == MANRS_AF_INET6];
	vrp_index_key(p, &hi, &lo);
	for (q = vrp_index_covering(x, hi, lo, p->len); q != UINT32_MAX;
	    q = x->node[q].parent) {
		const struct vrp_node *nd = &x->node[q];

		if (nd->nrun == 1 && res == NULL) {
			/* fast path: the node carries its only VRP */
			r.covering++;
			if (nd->asn != 0 && nd->asn == origin &&
			    !origin_is_set && p->len <= nd->maxlen) {
				r.state = MANRS_ROV_VALID;
				goto done;
			}
			continue;
		}
		for (i = nd->first; i < x->node[q + 1].first; i++) {
			const struct manrs_vrp *v = &s->vrps[i];
			/* AS0 VRPs never match (RFC 6483 sec. 4, RFC 7607) */
			bool as_ok = !origin_is_set && v->asn != 0 &&
			    v->asn == origin;
			bool len_ok = p->len <= v->maxlen;

			if (r.covering++ == 0 && res != NULL)
				r.vrp = *v;
			if (as_ok && len_ok) {
				if (res != NULL)
					r.vrp = *v;
				r.state = MANRS_ROV_VALID;
				goto done;
			}
			/* keep the VRP that explains the reason best */
			if (as_ok && !as_seen && res != NULL)
				as_vrp = *v;
			if (len_ok && !len_seen && res != NULL)
				len_vrp = *v;
			as_seen |= as_ok;
			len_seen |= len_ok;
		}
	}
	if (r.covering > 0) {
		r.state = MANRS_ROV_INVALID;
		if (origin_is_set)
			r.reason = MANRS_ROV_REASON_ASSET;
		else if (as_seen) {
			r.reason = MANRS_ROV_REASON_ML;
			r.vrp = as_vrp;
		} else if (len_seen) {
			r.reason = MANRS_ROV_REASON_AS;
			r.vrp = len_vrp;
		}
		else
			r.reason = MANRS_ROV_REASON_MLAS;
	}
done:
	if (res != NULL)
		*res = r;
	return r.state;
}

#define ROV_BATCH	16

void
manrs_rov_validate_many(const struct manrs_vrp_set *s,
    const struct manrs_prefix *p, const uint32_t *origin, size_t n,
    enum manrs_rov_state *out)
{
	size_t i, j, k;

	for (i = 0; i < n; i += ROV_BATCH) {
		k = n - i < ROV_BATCH ? n - i : ROV_BATCH;
		/* touch the bucket of every route first, then validate */
		for (j = 0; j < k && s->finished; j++) {
			const struct manrs_prefix *q = &p[i + j];
			const struct vrp_fam_index *x;
			uint64_t hi, lo;

			if (q->af != MANRS_AF_INET && q->af != MANRS_AF_INET6)
				continue;
			x = &s->idx[q->af == MANRS_AF_INET6];
			if (x->n == 0)
				continue;
			vrp_index_key(q, &hi, &lo);
			__builtin_prefetch(&x->bucket[hi >> (64 - x->bbits)]);
		}
		/* then the nodes the search will land on */
		for (j = 0; j < k && s->finished; j++) {
			const struct manrs_prefix *q = &p[i + j];
			const struct vrp_fam_index *x;
			uint64_t hi, lo, b;

			if (q->af != MANRS_AF_INET && q->af != MANRS_AF_INET6)
				continue;
			x = &s->idx[q->af == MANRS_AF_INET6];
			if (x->n == 0)
				continue;
			vrp_index_key(q, &hi, &lo);
			b = hi >> (64 - x->bbits);
			if (x->bucket[b + 1] > 0)
				__builtin_prefetch(&x->node[x->bucket[b + 1] -
				    1]);
			if (x->bucket[b] < x->bucket[b + 1])
				__builtin_prefetch(&x->node[x->bucket[b]]);
		}
		for (j = 0; j < k; j++)
			out[i + j] = manrs_rov_validate(s, &p[i + j],
			    origin[i + j], false, NULL);
	}
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
