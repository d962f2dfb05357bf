/*
 * rtr_delta.c - differences between two data sets, as RTR serves them
 * (RFC 8210 section 5.3 incremental updates).
 *
 * A raw delta is the set difference of two finished sets: VRPs, ASPA
 * records (customer with its whole provider list) and router keys that
 * were added (a) or removed (w).  Several raw deltas compose by set
 * algebra: A = (A1 - W2) u (A2 - W1), W = (W1 - A2) u (W2 - A1), so a
 * router that asks from an older serial gets one consistent net change
 * in which nothing is both announced and withdrawn.  For the wire an
 * ASPA change becomes one PDU per customer (announce replaces, withdraw
 * removes; draft-ietf-sidrops-8210bis), announced VRPs go out more
 * specific first and withdrawn ones less specific first, so a router
 * never sees a transient Invalid caused by ordering.
 */
#include <stdlib.h>
#include <string.h>

#include "rtr_int.h"

typedef int (*cmp_fn)(const void *, const void *);

static int
vrp_cmp(const void *a, const void *b)
{
	return manrs_vrp_cmp(a, b);
}

static int
aspa_cmp(const void *a, const void *b)
{
	const struct rtr_aspa_item *x = a, *y = b;

	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->n ? memcmp(x->prov, y->prov, x->n * 4) : 0;
}

static int
rkey_cmp(const void *a, const void *b)
{
	const struct manrs_rkey *x = &((const struct rtr_rkey_item *)a)->k;
	const struct manrs_rkey *y = &((const struct rtr_rkey_item *)b)->k;
	int c;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	if ((c = memcmp(x->ski, y->ski, 20)) != 0)
		return c;
	if (x->spki_len != y->spki_len)
		return x->spki_len < y->spki_len ? -1 : 1;
	return memcmp(x->spki, y->spki, x->spki_len);
}

void
rtr_delta_unref(struct rtr_delta *d)
{
	size_t i;

	if (d == NULL || --d->refs > 0)
		return;
	free(d->va);
	free(d->vw);
	free(d->aa);
	free(d->aw);
	free(d->ka);
	free(d->kw);
	free(d->aout);
	for (i = 0; i < d->nsrcs; i++)
		rtr_delta_unref(d->srcs[i]);
	free(d->srcs);
	manrs_arena_free(d->arena);
	free(d);
}

bool
rtr_delta_empty(const struct rtr_delta *d)
{
	return d->nva + d->nvw + d->naa + d->naw + d->nka + d->nkw == 0;
}

/* X - Y (minus) or X u Y, both sorted by cmp; result malloc'ed. */
static void *
set_op(const void *x, size_t nx, const void *y, size_t ny, size_t sz,
    cmp_fn cmp, bool minus, size_t *nout)
{
	const char *px = x, *py = y;
	char *out;
	size_t i = 0, j = 0, o = 0;
	int c;

	if ((out = malloc((nx + ny + 1) * sz)) == NULL)
		return NULL;
	while (i < nx || j < ny) {
		if (i == nx)
			c = 1;
		else if (j == ny)
			c = -1;
		else
			c = cmp(px + i * sz, py + j * sz);
		if (c < 0) {
			memcpy(out + o++ * sz, px + i++ * sz, sz);
		} else if (c > 0) {
			if (!minus)
				memcpy(out + o++ * sz, py + j * sz, sz);
			j++;
		} else {
			if (!minus)
				memcpy(out + o++ * sz, px + i * sz, sz);
			i++;
			j++;
		}
	}
	*nout = o;
	return out;
}

/* Differences of two sorted arrays into *a (in y only), *w (in x only). */
static int
diff_arrays(const void *x, size_t nx, const void *y, size_t ny, size_t sz,
    cmp_fn cmp, void **a, size_t *na, void **w, size_t *nw)
{
	if ((*w = set_op(x, nx, y, ny, sz, cmp, true, nw)) == NULL)
		return MANRS_E_NOMEM;
	if ((*a = set_op(y, ny, x, nx, sz, cmp, true, na)) == NULL)
		return MANRS_E_NOMEM;
	return 0;
}

static struct rtr_aspa_item *
aspa_items(const struct manrs_vrp_set *s, size_t *n)
{
	struct rtr_aspa_item *it;
	struct manrs_aspa a;
	size_t i;

	*n = s != NULL ? manrs_vrp_aspa_count(s) : 0;
	if ((it = calloc(*n + 1, sizeof(*it))) == NULL)
		return NULL;
	for (i = 0; i < *n; i++) {
		manrs_vrp_aspa_get(s, i, &a);
		it[i].customer = a.customer;
		it[i].n = a.nproviders;
		it[i].prov = a.providers;
	}
	return it;
}

static struct rtr_rkey_item *
rkey_items(const struct manrs_vrp_set *s, size_t *n)
{
	struct rtr_rkey_item *it;
	size_t i;

	*n = s != NULL ? manrs_vrp_rkey_count(s) : 0;
	if ((it = calloc(*n + 1, sizeof(*it))) == NULL)
		return NULL;
	for (i = 0; i < *n; i++)
		manrs_vrp_rkey_get(s, i, &it[i].k);
	/* The set sorts by (asn, ski, key) too, but keep it robust. */
	qsort(it, *n, sizeof(*it), rkey_cmp);
	return it;
}

/* Copy what items point to into the delta's arena (sets get freed). */
static int
own_items(struct rtr_delta *d)
{
	struct rtr_aspa_item *lists[2] = { d->aa, d->aw };
	size_t ns[2] = { d->naa, d->naw }, i, l;
	struct rtr_rkey_item *kl[2] = { d->ka, d->kw };
	size_t nk[2] = { d->nka, d->nkw };
	void *p;

	if ((d->arena = manrs_arena_new(0)) == NULL)
		return MANRS_E_NOMEM;
	for (l = 0; l < 2; l++)
		for (i = 0; i < ns[l]; i++) {
			if (lists[l][i].n == 0)
				continue;
			if ((p = manrs_arena_alloc(d->arena,
			    lists[l][i].n * 4)) == NULL)
				return MANRS_E_NOMEM;
			memcpy(p, lists[l][i].prov, lists[l][i].n * 4);
			lists[l][i].prov = p;
		}
	for (l = 0; l < 2; l++)
		for (i = 0; i < nk[l]; i++) {
			if ((p = manrs_arena_alloc(d->arena,
			    kl[l][i].k.spki_len)) == NULL)
				return MANRS_E_NOMEM;
			memcpy(p, kl[l][i].k.spki, kl[l][i].k.spki_len);
			kl[l][i].k.spki = p;
		}
	return 0;
}

struct rtr_delta *
rtr_delta_diff(const struct manrs_vrp_set *old,
    const struct manrs_vrp_set *new_, int *err)
{
	struct rtr_delta *d;
	struct rtr_aspa_item *oa = NULL, *na = NULL;
	struct rtr_rkey_item *ok = NULL, *nk = NULL;
	size_t noa, nna, nok, nnk;
	int rc = MANRS_E_NOMEM;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto fail;
	d->refs = 1;
	rc = diff_arrays(old != NULL ? manrs_vrp_get(old, 0) : NULL,
	    old != NULL ? manrs_vrp_count(old, 0) : 0, manrs_vrp_get(new_, 0),
	    manrs_vrp_count(new_, 0), sizeof(struct manrs_vrp), vrp_cmp,
	    (void **)&d->va, &d->nva, (void **)&d->vw, &d->nvw);
	if (rc != 0)
		goto fail;
	rc = MANRS_E_NOMEM;
	if ((oa = aspa_items(old, &noa)) == NULL ||
	    (na = aspa_items(new_, &nna)) == NULL ||
	    (ok = rkey_items(old, &nok)) == NULL ||
	    (nk = rkey_items(new_, &nnk)) == NULL)
		goto fail;
	if ((rc = diff_arrays(oa, noa, na, nna, sizeof(*oa), aspa_cmp,
	    (void **)&d->aa, &d->naa, (void **)&d->aw, &d->naw)) != 0)
		goto fail;
	if ((rc = diff_arrays(ok, nok, nk, nnk, sizeof(*ok), rkey_cmp,
	    (void **)&d->ka, &d->nka, (void **)&d->kw, &d->nkw)) != 0)
		goto fail;
	if ((rc = own_items(d)) != 0)
		goto fail;
	free(oa);
	free(na);
	free(ok);
	free(nk);
	*err = 0;
	return d;
fail:
	free(oa);
	free(na);
	free(ok);
	free(nk);
	rtr_delta_unref(d);
	*err = rc;
	return NULL;
}

/* One fold step for one kind of item. */
static int
fold(void **A, size_t *nA, void **W, size_t *nW, const void *A2, size_t nA2,
    const void *W2, size_t nW2, size_t sz, cmp_fn cmp)
{
	void *t1 = NULL, *t2 = NULL, *nA_ = NULL, *nW_ = NULL;
	size_t n1, n2, na, nw;
	int rc = MANRS_E_NOMEM;

	if ((t1 = set_op(*A, *nA, W2, nW2, sz, cmp, true, &n1)) == NULL ||
	    (t2 = set_op(A2, nA2, *W, *nW, sz, cmp, true, &n2)) == NULL ||
	    (nA_ = set_op(t1, n1, t2, n2, sz, cmp, false, &na)) == NULL)
		goto out;
	free(t1);
	free(t2);
	t1 = t2 = NULL;
	if ((t1 = set_op(*W, *nW, A2, nA2, sz, cmp, true, &n1)) == NULL ||
	    (t2 = set_op(W2, nW2, *A, *nA, sz, cmp, true, &n2)) == NULL ||
	    (nW_ = set_op(t1, n1, t2, n2, sz, cmp, false, &nw)) == NULL)
		goto out;
	free(*A);
	free(*W);
	*A = nA_;
	*nA = na;
	*W = nW_;
	*nW = nw;
	nA_ = nW_ = NULL;
	rc = 0;
out:
	free(t1);
	free(t2);
	free(nA_);
	free(nW_);
	return rc;
}

/* Wire order: IPv4 first, then longer prefixes first (or shorter). */
static int
more_specific_first(const void *a, const void *b)
{
	const struct manrs_vrp *x = a, *y = b;

	if (x->prefix.af != y->prefix.af)
		return x->prefix.af < y->prefix.af ? -1 : 1;
	if (x->prefix.len != y->prefix.len)
		return x->prefix.len > y->prefix.len ? -1 : 1;
	return manrs_vrp_cmp(x, y);
}

static int
less_specific_first(const void *a, const void *b)
{
	const struct manrs_vrp *x = a, *y = b;

	if (x->prefix.af != y->prefix.af)
		return x->prefix.af < y->prefix.af ? -1 : 1;
	if (x->prefix.len != y->prefix.len)
		return x->prefix.len < y->prefix.len ? -1 : 1;
	return manrs_vrp_cmp(x, y);
}

/* One ASPA PDU per customer: announce (replace) or withdraw. */
static int
aspa_out(struct rtr_delta *d)
{
	size_t i = 0, j = 0;

	if ((d->aout = calloc(d->naa + d->naw + 1, sizeof(*d->aout))) == NULL)
		return MANRS_E_NOMEM;
	while (i < d->naa || j < d->naw) {
		if (j == d->naw || (i < d->naa &&
		    d->aa[i].customer <= d->aw[j].customer)) {
			if (j < d->naw && d->aw[j].customer ==
			    d->aa[i].customer)
				j++;
			d->aout[d->naout] = d->aa[i++];
			d->aout[d->naout++].flags = MANRS_RTR_FLAG_ANNOUNCE;
		} else {
			d->aout[d->naout] = d->aw[j++];
			d->aout[d->naout++].flags = 0;
		}
	}
	return 0;
}

static void *
dup_array(const void *p, size_t n, size_t sz)
{
	void *q = malloc((n + 1) * sz);

	if (q != NULL && n > 0)
		memcpy(q, p, n * sz);
	return q;
}

struct rtr_delta *
rtr_delta_compose(struct rtr_delta **src, size_t n, int *err)
{
	struct rtr_delta *d;
	size_t i;
	int rc = MANRS_E_NOMEM;

	if (n == 0 || (d = calloc(1, sizeof(*d))) == NULL) {
		*err = n == 0 ? MANRS_E_INVAL : MANRS_E_NOMEM;
		return NULL;
	}
	d->refs = 1;
	d->from = src[0]->from;
	d->to = src[n - 1]->to;
	if ((d->srcs = calloc(n, sizeof(*d->srcs))) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		src[i]->refs++;
		d->srcs[d->nsrcs++] = src[i];
	}
	d->va = dup_array(src[0]->va, src[0]->nva, sizeof(*d->va));
	d->vw = dup_array(src[0]->vw, src[0]->nvw, sizeof(*d->vw));
	d->aa = dup_array(src[0]->aa, src[0]->naa, sizeof(*d->aa));
	d->aw = dup_array(src[0]->aw, src[0]->naw, sizeof(*d->aw));
	d->ka = dup_array(src[0]->ka, src[0]->nka, sizeof(*d->ka));
	d->kw = dup_array(src[0]->kw, src[0]->nkw, sizeof(*d->kw));
	if (!d->va || !d->vw || !d->aa || !d->aw || !d->ka || !d->kw)
		goto fail;
	d->nva = src[0]->nva;
	d->nvw = src[0]->nvw;
	d->naa = src[0]->naa;
	d->naw = src[0]->naw;
	d->nka = src[0]->nka;
	d->nkw = src[0]->nkw;
	for (i = 1; i < n; i++) {
		if ((rc = fold((void **)&d->va, &d->nva, (void **)&d->vw,
		    &d->nvw, src[i]->va, src[i]->nva, src[i]->vw, src[i]->nvw,
		    sizeof(*d->va), vrp_cmp)) != 0 ||
		    (rc = fold((void **)&d->aa, &d->naa, (void **)&d->aw,
		    &d->naw, src[i]->aa, src[i]->naa, src[i]->aw, src[i]->naw,
		    sizeof(*d->aa), aspa_cmp)) != 0 ||
		    (rc = fold((void **)&d->ka, &d->nka, (void **)&d->kw,
		    &d->nkw, src[i]->ka, src[i]->nka, src[i]->kw, src[i]->nkw,
		    sizeof(*d->ka), rkey_cmp)) != 0)
			goto fail;
	}
	rc = MANRS_E_NOMEM;
	if (aspa_out(d) != 0)
		goto fail;
	qsort(d->va, d->nva, sizeof(*d->va), more_specific_first);
	qsort(d->vw, d->nvw, sizeof(*d->vw), less_specific_first);
	*err = 0;
	return d;
fail:
	rtr_delta_unref(d);
	*err = rc;
	return NULL;
}
