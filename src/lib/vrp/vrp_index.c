/*
 * vrp_index.c - the covering-prefix index behind route origin validation.
 *
 * Distinct VRP prefixes of one family form a laminar family (any two are
 * nested or disjoint).  Sorted by (start address, length) - the order the
 * VRP array already has - each prefix gets a parent: the nearest prefix
 * that covers it.  For a route P, let q be the last prefix whose start is
 * <= P's start: every prefix covering P is q or an ancestor of q (a
 * covering prefix C has C.start <= q.start <= P.start <= C.end, so q lies
 * inside C).  So ROV is one bounded search plus a walk up a short chain.
 * A bucket table on the top address bits narrows the search to a few
 * entries.  Everything a lookup touches (the key's high 64 bits, parent,
 * VRP run, length, and the AS and maxLength when the run is a single
 * VRP, the common case) sits in one 24-byte node, so the search and the
 * first step share cache lines and most steps never touch the VRP array.
 * IPv6 keys' low halves live in a side array (most VRPs are <= /64).
 *
 * This replaces a generic trie walk with callbacks for ROV: it is several
 * times faster and smaller (docs/rpki.md has the numbers).
 */
#include <stdlib.h>
#include <string.h>

#include "vrp_int.h"

#define NONE	UINT32_MAX

static uint32_t
key4(const struct manrs_prefix *p)
{
	return (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 |
	    (uint32_t)p->addr[2] << 8 | p->addr[3];
}

static void
key6(const struct manrs_prefix *p, uint64_t *hi, uint64_t *lo)
{
	unsigned i;

	*hi = *lo = 0;
	for (i = 0; i < 8; i++) {
		*hi = *hi << 8 | p->addr[i];
		*lo = *lo << 8 | p->addr[8 + i];
	}
}

/* Does (s, len) cover (t, tlen)?  Keys as 128-bit (hi, lo); v4 in hi. */
static bool
covers(uint64_t shi, uint64_t slo, unsigned len, uint64_t thi, uint64_t tlo,
    unsigned tlen)
{
	if (len > tlen)
		return false;
	if (len == 0)
		return true;
	if (len <= 64)
		return ((shi ^ thi) >> (64 - len)) == 0;
	if (shi != thi)
		return false;
	return ((slo ^ tlo) >> (128 - len)) == 0;
}

void
vrp_index_clear(struct vrp_fam_index *x)
{
	free(x->lo);
	free(x->node);
	free(x->bucket);
	memset(x, 0, sizeof(*x));
}

static uint64_t
hi_of(const struct vrp_fam_index *x, uint32_t i)
{
	return x->node[i].hi;
}

static uint64_t
lo_of(const struct vrp_fam_index *x, uint32_t i)
{
	return x->lo != NULL ? x->lo[i] : 0;
}

/*
 * Build the index of VRPs [from, to) of one family.  IPv4 keys are kept
 * left-aligned in the high 64 bits so one covers() serves both.
 */
int
vrp_index_build(struct vrp_fam_index *x, const struct manrs_vrp *v,
    size_t from, size_t to, bool v6)
{
	uint32_t *stack = NULL, sp = 0, n = 0;
	size_t i, nb, b;
	int rc = MANRS_E_NOMEM;

	memset(x, 0, sizeof(*x));
	x->v6 = v6;
	/* about one bucket per prefix, so small sets stay small */
	x->bbits = 4;
	while (x->bbits < (v6 ? 20u : 18u) &&
	    ((size_t)1 << x->bbits) < to - from)
		x->bbits++;
	nb = (size_t)1 << x->bbits;
	x->lo = v6 ? calloc(to - from + 1, sizeof(*x->lo)) : NULL;
	x->node = calloc(to - from + 2, sizeof(*x->node));
	x->bucket = calloc(nb + 1, sizeof(*x->bucket));
	stack = calloc(130, sizeof(*stack));
	if ((v6 && !x->lo) || !x->node || !x->bucket || !stack)
		goto out;
	for (i = from; i < to; i++) {
		uint64_t hi, lo;

		if (i > from && v[i].prefix.len == v[i - 1].prefix.len &&
		    memcmp(v[i].prefix.addr, v[i - 1].prefix.addr, 16) == 0)
			continue;
		if (v6)
			key6(&v[i].prefix, &hi, &lo);
		else {
			hi = (uint64_t)key4(&v[i].prefix) << 32;
			lo = 0;
		}
		x->node[n].hi = hi;
		if (v6)
			x->lo[n] = lo;
		x->node[n].len = v[i].prefix.len;
		x->node[n].first = (uint32_t)i;
		x->node[n].asn = v[i].asn;
		x->node[n].maxlen = v[i].maxlen;
		if (n > 0) {
			size_t run = i - x->node[n - 1].first;

			x->node[n - 1].nrun = (uint16_t)(run > UINT16_MAX ?
			    UINT16_MAX : run);
		}
		while (sp > 0 && !covers(hi_of(x, stack[sp - 1]),
		    lo_of(x, stack[sp - 1]), x->node[stack[sp - 1]].len, hi,
		    lo, x->node[n].len))
			sp--;
		x->node[n].parent = sp > 0 ? stack[sp - 1] : NONE;
		stack[sp++] = n;	/* depth <= 129: lengths strictly grow */
		n++;
	}
	x->node[n].first = (uint32_t)to;
	if (n > 0) {
		size_t run = to - x->node[n - 1].first;

		x->node[n - 1].nrun = (uint16_t)(run > UINT16_MAX ?
		    UINT16_MAX : run);
	}
	x->n = n;
	/* bucket[b] = first entry whose top bbits are >= b */
	for (i = 0, b = 0; b <= nb; b++) {
		while (i < n && (x->node[i].hi >> (64 - x->bbits)) < b)
			i++;
		x->bucket[b] = (uint32_t)i;
	}
	rc = 0;
out:
	free(stack);
	if (rc != 0)
		vrp_index_clear(x);
	return rc;
}

size_t
vrp_index_memory(const struct vrp_fam_index *x)
{
	if (x->bucket == NULL)
		return 0;
	return x->n * (x->v6 ? 8 : 0) + (x->n + 1) * sizeof(*x->node) +
	    (((size_t)1 << x->bbits) + 1) * 4;
}

/*
 * The most specific indexed prefix covering (hi, lo, len), or NONE.
 */
uint32_t
vrp_index_covering(const struct vrp_fam_index *x, uint64_t hi, uint64_t lo,
    unsigned len)
{
	uint32_t b, l, r, m, q;

	if (x->n == 0)
		return NONE;
	b = (uint32_t)(hi >> (64 - x->bbits));
	/* last entry with key <= (hi, lo) among entries before bucket b+1 */
	l = x->bucket[b];
	r = x->bucket[b + 1];
	while (l < r) {
		m = l + (r - l) / 2;
		if (x->node[m].hi < hi || (x->node[m].hi == hi &&
		    lo_of(x, m) <= lo))
			l = m + 1;
		else
			r = m;
	}
	if (l == 0)
		return NONE;
	for (q = l - 1; q != NONE; q = x->node[q].parent)
		if (covers(x->node[q].hi, lo_of(x, q), x->node[q].len, hi, lo,
		    len))
			return q;
	return NONE;
}

/* Route keys of p in the index's form. */
void
vrp_index_key(const struct manrs_prefix *p, uint64_t *hi, uint64_t *lo)
{
	if (p->af == MANRS_AF_INET6)
		key6(p, hi, lo);
	else {
		*hi = (uint64_t)key4(p) << 32;
		*lo = 0;
	}
}
