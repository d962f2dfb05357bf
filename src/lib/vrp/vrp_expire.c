/*
 * vrp_expire.c - withdrawing what expired from a finished set, without
 * reading the input again.
 *
 * Loaders drop entries whose "expires" (or certificate chain notAfter) is
 * at or before the judging time, and record each kept entry's expiry
 * (vrp_int.h).  A daemon that serves a set for days must stop serving an
 * entry when its time comes, also when the reload that should have
 * dropped it fails (the file is gone, unreadable or broken): this builds
 * the set that is left at a given time.  The result keeps the order and
 * uniqueness invariants of vrp_set.c, so nothing is sorted again.
 */
#include <stdlib.h>
#include <string.h>

#include "vrp_int.h"

/* Still in force at now?  0 = never expires. */
static bool
live(uint32_t e, time_t now)
{
	return e == 0 || (int64_t)e > (int64_t)now;
}

static void
next_expiry(int64_t *next, uint32_t e)
{
	if (e != 0 && (*next == 0 || (int64_t)e < *next))
		*next = e;
}

static int
expire_vrps(const struct manrs_vrp_set *s, struct manrs_vrp_set *n,
    time_t now)
{
	size_t i, k = 0;
	int rc;

	if (s->nvrps > 0 && ((n->vrps = reallocarray(NULL, s->nvrps,
	    sizeof(*n->vrps))) == NULL || (s->vexp != NULL &&
	    (n->vexp = reallocarray(NULL, s->nvrps,
	    sizeof(*n->vexp))) == NULL)))
		return MANRS_E_NOMEM;
	for (i = 0; i < s->nvrps; i++) {
		uint32_t e = s->vexp != NULL ? s->vexp[i] : 0;

		if (!live(e, now)) {
			n->stats.vrps_expired++;
			continue;
		}
		if (i < s->nv4)
			n->nv4++;
		n->vrps[k] = s->vrps[i];
		if (n->vexp != NULL)
			n->vexp[k] = e;
		next_expiry(&n->stats.next_expiry, e);
		k++;
	}
	n->nvrps = k;
	n->capvrps = s->nvrps;
	n->capvexp = n->vexp != NULL ? s->nvrps : 0;
	if ((rc = vrp_index_build(&n->idx[0], n->vrps, 0, n->nv4,
	    false)) != 0)
		return rc;
	return vrp_index_build(&n->idx[1], n->vrps, n->nv4, n->nvrps, true);
}

static int
expire_aspas(const struct manrs_vrp_set *s, struct manrs_vrp_set *n,
    time_t now)
{
	size_t i, j, np = 0;

	if (s->naspas == 0)
		return 0;
	np = s->aspas[s->naspas - 1].off + s->aspas[s->naspas - 1].n;
	n->aspas = calloc(s->naspas, sizeof(*n->aspas));
	n->aspa_prov = calloc(np + 1, sizeof(*n->aspa_prov));
	n->aspa_pexp = calloc(np + 1, sizeof(*n->aspa_pexp));
	if (n->aspas == NULL || n->aspa_prov == NULL || n->aspa_pexp == NULL)
		return MANRS_E_NOMEM;
	np = 0;
	for (i = 0; i < s->naspas; i++) {
		const struct vrp_aspa_rec *r = &s->aspas[i];
		struct vrp_aspa_rec *o = &n->aspas[n->naspas];

		/* The customer stays while one of its objects does. */
		if (!live(r->exp, now)) {
			n->stats.aspas_expired++;
			continue;
		}
		*o = *r;
		o->off = (uint32_t)np;
		o->n = 0;
		next_expiry(&n->stats.next_expiry, r->exp);
		/* A provider stays while an object listing it does; none
		 * left means only an AS0 ("no providers") object is. */
		for (j = r->off; j < r->off + r->n; j++) {
			if (!live(s->aspa_pexp[j], now))
				continue;
			n->aspa_prov[np] = s->aspa_prov[j];
			n->aspa_pexp[np++] = s->aspa_pexp[j];
			next_expiry(&n->stats.next_expiry, s->aspa_pexp[j]);
			o->n++;
		}
		n->naspas++;
	}
	return 0;
}

static int
expire_rkeys(const struct manrs_vrp_set *s, struct manrs_vrp_set *n,
    time_t now)
{
	size_t i;
	int rc;

	if (s->nrkeys == 0)
		return 0;
	if ((n->rkeys = calloc(s->nrkeys, sizeof(*n->rkeys))) == NULL)
		return MANRS_E_NOMEM;
	n->caprkeys = s->nrkeys;
	if ((rc = manrs_buf_put(&n->rkey_blob, s->rkey_blob.p,
	    s->rkey_blob.len)) != 0)
		return rc;
	for (i = 0; i < s->nrkeys; i++) {
		if (!live(s->rkeys[i].exp, now)) {
			n->stats.rkeys_expired++;
			continue;
		}
		next_expiry(&n->stats.next_expiry, s->rkeys[i].exp);
		n->rkeys[n->nrkeys++] = s->rkeys[i];
	}
	return 0;
}

struct manrs_vrp_set *
manrs_vrp_set_expire(const struct manrs_vrp_set *s, time_t now, int *err)
{
	struct manrs_vrp_set *n;
	int rc;

	if (!s->finished) {
		*err = MANRS_E_INVAL;
		return NULL;
	}
	if ((n = manrs_vrp_set_new(NULL)) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	n->max_vrps = s->max_vrps;
	n->max_aspas = s->max_aspas;
	n->max_rkeys = s->max_rkeys;
	n->stats = s->stats;
	n->stats.next_expiry = 0;
	if ((rc = expire_vrps(s, n, now)) != 0 ||
	    (rc = expire_aspas(s, n, now)) != 0 ||
	    (rc = expire_rkeys(s, n, now)) != 0) {
		manrs_vrp_set_free(n);
		*err = rc;
		return NULL;
	}
	n->finished = true;
	*err = 0;
	return n;
}
