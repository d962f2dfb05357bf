/*
 * audit_builder.c - helpers a report's builder shares between its parts
 * (audit_report.c, audit_coord.c, audit_fixes.c): one evidence record
 * appended under the per-metric cap, and the first announced pair of an
 * origin.  Kept apart so those parts depend on this file and the report
 * on them, without file cycles.
 */
#include <stdlib.h>
#include <string.h>

#include "audit_int.h"

struct manrs_audit_evidence *
audit_add_ev(struct builder *b, enum manrs_metric m, enum manrs_evidence_kind k)
{
	struct manrs_audit_evidence *e;

	if (!(b->flags & MANRS_AUDIT_EVIDENCE) ||
	    b->per_metric[m] >= b->a->cfg.evidence_max)
		return NULL;
	if (manrs_grow((void **)&b->r->ev, &b->capev, b->r->nev,
	    sizeof(*b->r->ev)) != 0) {
		b->err = MANRS_E_NOMEM;
		return NULL;
	}
	b->per_metric[m]++;
	e = &b->r->ev[b->r->nev++];
	memset(e, 0, sizeof(*e));
	e->metric = m;
	e->kind = k;
	return e;
}

size_t
audit_pairs_of(const struct manrs_audit *a, uint32_t asn)
{
	size_t lo = 0, hi = a->npairs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->pairs[a->pair_by_origin[mid]].origin < asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
