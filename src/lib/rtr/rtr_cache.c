/*
 * rtr_cache.c - the cache side's data: the current snapshot, its serial
 * and session id, the timers it advertises, and the deltas of the last
 * serials (RFC 8210 sections 5.1, 5.3, 6).
 *
 * Invariants: cur is NULL until the first update; hist holds raw deltas
 * in serial order ending at the current serial; served[i] (lazily built)
 * is the composition hist[i..nhist) and is dropped on every update.  A
 * failed update leaves everything as it was.  Serials advance by one per
 * changed update, wrapping per RFC 1982.
 */
#include <stdlib.h>
#include <string.h>

#include "rtr_int.h"

void
rtr_snap_unref(struct rtr_snap *s)
{
	if (s == NULL || --s->refs > 0)
		return;
	manrs_vrp_set_free(s->set);
	free(s->order);
	free(s);
}

struct manrs_rtr_cache *
manrs_rtr_cache_new(const struct manrs_rtr_config *cfg, int *err)
{
	struct manrs_rtr_cache *c;
	struct manrs_rtr_config k;

	memset(&k, 0, sizeof(k));
	if (cfg != NULL)
		k = *cfg;
	if (k.refresh == 0)
		k.refresh = 3600;
	if (k.retry == 0)
		k.retry = 600;
	if (k.expire == 0)
		k.expire = 7200;
	if (k.max_version > MANRS_RTR_VERSION_MAX)
		k.max_version = MANRS_RTR_VERSION_MAX;
	if (k.deltas == 0 || k.deltas > MANRS_RTR_DELTAS_MAX)
		k.deltas = 16;
	if (k.session_id == 0)
		k.session_id = (uint16_t)(arc4random_uniform(65535) + 1);
	/* RFC 8210 section 6: ranges, and expire above refresh and retry. */
	if (k.refresh > MANRS_RTR_REFRESH_MAX ||
	    k.retry > MANRS_RTR_RETRY_MAX || k.expire < MANRS_RTR_EXPIRE_MIN ||
	    k.expire > MANRS_RTR_EXPIRE_MAX || k.expire <= k.refresh ||
	    k.expire <= k.retry) {
		*err = MANRS_E_RANGE;
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	c->cfg = k;
	c->serial = k.serial;
	*err = 0;
	return c;
}

static void
drop_served(struct manrs_rtr_cache *c)
{
	size_t i;

	for (i = 0; i < MANRS_RTR_DELTAS_MAX; i++) {
		rtr_delta_unref(c->served[i]);
		c->served[i] = NULL;
	}
}

void
manrs_rtr_cache_free(struct manrs_rtr_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	drop_served(c);
	for (i = 0; i < c->nhist; i++)
		rtr_delta_unref(c->hist[i]);
	rtr_snap_unref(c->cur);
	free(c);
}

/* VRP indexes grouped by family, then prefix length, longest first. */
static uint32_t *
wire_order(const struct manrs_vrp_set *s)
{
	size_t n = manrs_vrp_count(s, 0), i, pos[2][129], cnt[2][129];
	uint32_t *o;
	unsigned f, l, base = 0;

	if ((o = calloc(n + 1, sizeof(*o))) == NULL)
		return NULL;
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++) {
		const struct manrs_vrp *v = manrs_vrp_get(s, i);

		cnt[v->prefix.af == MANRS_AF_INET6][v->prefix.len]++;
	}
	for (f = 0; f < 2; f++)
		for (l = 129; l-- > 0;) {
			pos[f][l] = base;
			base += (unsigned)cnt[f][l];
		}
	for (i = 0; i < n; i++) {
		const struct manrs_vrp *v = manrs_vrp_get(s, i);

		o[pos[v->prefix.af == MANRS_AF_INET6][v->prefix.len]++] =
		    (uint32_t)i;
	}
	return o;
}

int
manrs_rtr_cache_update(struct manrs_rtr_cache *c, struct manrs_vrp_set *set,
    bool *changed)
{
	struct rtr_snap *sn;
	struct rtr_delta *d = NULL;
	int rc;

	if (changed != NULL)
		*changed = false;
	if (!manrs_vrp_set_finished(set)) {
		manrs_vrp_set_free(set);
		return MANRS_E_INVAL;
	}
	if ((sn = calloc(1, sizeof(*sn))) == NULL) {
		manrs_vrp_set_free(set);
		return MANRS_E_NOMEM;
	}
	sn->refs = 1;
	sn->set = set;
	if ((sn->order = wire_order(set)) == NULL) {
		rtr_snap_unref(sn);
		return MANRS_E_NOMEM;
	}
	if (c->cur != NULL) {
		if ((d = rtr_delta_diff(c->cur->set, set, &rc)) == NULL) {
			rtr_snap_unref(sn);
			return rc;
		}
		if (rtr_delta_empty(d)) {
			/* Same data: keep serial, swap nothing. */
			rtr_delta_unref(d);
			rtr_snap_unref(sn);
			return 0;
		}
		d->from = c->serial;
		d->to = c->serial + 1;
		c->serial++;
		drop_served(c);
		if (c->nhist == c->cfg.deltas) {
			rtr_delta_unref(c->hist[0]);
			memmove(c->hist, c->hist + 1,
			    (c->nhist - 1) * sizeof(c->hist[0]));
			c->nhist--;
		}
		c->hist[c->nhist++] = d;
	}
	sn->serial = c->serial;
	rtr_snap_unref(c->cur);
	c->cur = sn;
	if (changed != NULL)
		*changed = true;
	return 0;
}

bool
manrs_rtr_cache_ready(const struct manrs_rtr_cache *c)
{
	return c->cur != NULL;
}

uint32_t
manrs_rtr_cache_serial(const struct manrs_rtr_cache *c)
{
	return c->serial;
}

uint16_t
manrs_rtr_cache_session_id(const struct manrs_rtr_cache *c)
{
	return c->cfg.session_id;
}

const struct manrs_vrp_set *
manrs_rtr_cache_set(const struct manrs_rtr_cache *c)
{
	return c->cur != NULL ? c->cur->set : NULL;
}

size_t
manrs_rtr_cache_deltas(const struct manrs_rtr_cache *c)
{
	return c->nhist;
}

struct rtr_delta *
rtr_cache_delta_from(struct manrs_rtr_cache *c, uint32_t from)
{
	size_t i;
	int err;

	for (i = 0; i < c->nhist; i++)
		if (c->hist[i]->from == from)
			break;
	if (i == c->nhist)
		return NULL;
	if (c->served[i] == NULL)
		c->served[i] = rtr_delta_compose(c->hist + i, c->nhist - i,
		    &err);
	if (c->served[i] != NULL)
		c->served[i]->refs++;
	return c->served[i];
}
