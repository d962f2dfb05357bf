/*
 * irrdb_range.c - prefix ranges (RFC 2622 section 2): range operators
 * ("^-", "^+", "^n", "^n-m") parsed and applied, "p^op" parsed and
 * printed, range lists sorted and cleared.  A leaf of the module: the
 * loader (irrdb.c), the expansion and the queries use it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irrdb_int.h"

int
irrdb_parse_op(struct manrs_view op, struct member *m)
{
	struct manrs_view a, b;
	uint32_t n, k;

	if (manrs_view_eq(op, "-")) {
		m->op = OP_MINUS;
		return 0;
	}
	if (manrs_view_eq(op, "+")) {
		m->op = OP_PLUS;
		return 0;
	}
	if (manrs_view_split(op, '-', &a, &b)) {
		if (manrs_view_u32(a, 128, &n) != 0 ||
		    manrs_view_u32(b, 128, &k) != 0 || n > k)
			return MANRS_E_SYNTAX;
		m->op = OP_NM;
		m->n = (uint8_t)n;
		m->m = (uint8_t)k;
		return 0;
	}
	if (manrs_view_u32(op, 128, &n) != 0)
		return MANRS_E_SYNTAX;
	m->op = OP_N;
	m->n = m->m = (uint8_t)n;
	return 0;
}

/* Apply range operator op (of a member) to r: RFC 2622 section 2. */
bool
irrdb_apply_op(const struct member *op, struct manrs_prefix_range *r)
{
	unsigned bits = manrs_af_bits(r->prefix.af), len = r->prefix.len;
	unsigned lo, hi;

	if (op == NULL || op->op == OP_NONE)
		return true;
	switch (op->op) {
	case OP_MINUS:
		lo = len + 1;
		hi = bits;
		break;
	case OP_PLUS:
		lo = len;
		hi = bits;
		break;
	default:
		lo = op->n;
		hi = op->m;
		break;
	}
	/*
	 * An operator applied to a member that already has a range keeps
	 * the lengths both allow (intersection).
	 */
	if (!(r->min == len && r->max == len)) {
		if (lo < r->min)
			lo = r->min;
		if (hi > r->max)
			hi = r->max;
	}
	if (lo < len || hi > bits || lo > hi)
		return false;
	r->min = (uint8_t)lo;
	r->max = (uint8_t)hi;
	return true;
}

void
manrs_irrdb_asns_clear(struct manrs_irrdb_asns *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}

void
manrs_irrdb_ranges_clear(struct manrs_irrdb_ranges *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int
range_cmp(const void *a, const void *b)
{
	const struct manrs_prefix_range *x = a, *y = b;
	int c = manrs_prefix_cmp(&x->prefix, &y->prefix);

	if (c != 0)
		return c;
	if (x->min != y->min)
		return x->min < y->min ? -1 : 1;
	return x->max < y->max ? -1 : x->max > y->max;
}

void
manrs_irrdb_ranges_sort(struct manrs_irrdb_ranges *r)
{
	size_t i, j;

	if (r->n < 2)
		return;
	qsort(r->v, r->n, sizeof(*r->v), range_cmp);
	for (i = 1, j = 1; i < r->n; i++)
		if (range_cmp(&r->v[i], &r->v[j - 1]) != 0)
			r->v[j++] = r->v[i];
	r->n = j;
}

size_t
manrs_irrdb_range_print(const struct manrs_prefix_range *r, char *buf,
    size_t size)
{
	unsigned bits = manrs_af_bits(r->prefix.af), len = r->prefix.len;
	size_t n = manrs_prefix_print(&r->prefix, buf, size);
	int k = 0;

	if (r->min == len && r->max == len)
		return n;
	if (r->min == len + 1 && r->max == bits)
		k = snprintf(buf + n, size - n, "^-");
	else if (r->min == len && r->max == bits)
		k = snprintf(buf + n, size - n, "^+");
	else if (r->min == r->max)
		k = snprintf(buf + n, size - n, "^%u", r->min);
	else
		k = snprintf(buf + n, size - n, "^%u-%u", r->min, r->max);
	if (k < 0 || (size_t)k >= size - n)
		return n;
	return n + (size_t)k;
}

int
manrs_irrdb_range_parse(struct manrs_view text, struct manrs_prefix_range *out)
{
	ptrdiff_t c = manrs_view_find(text, '^');
	struct manrs_view pv = text;
	struct member m;
	int rc;

	memset(&m, 0, sizeof(m));
	if (c >= 0)
		pv.len = (size_t)c;
	if ((rc = manrs_prefix_parse(pv, 0, &out->prefix)) != 0)
		return rc;
	out->min = out->max = out->prefix.len;
	if (c < 0)
		return 0;
	if (irrdb_parse_op(manrs_view_make(text.p + c + 1,
	    text.len - (size_t)c - 1), &m) != 0)
		return MANRS_E_SYNTAX;
	if (!irrdb_apply_op(&m, out))
		return MANRS_E_RANGE;
	return 0;
}
