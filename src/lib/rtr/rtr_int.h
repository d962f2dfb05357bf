/*
 * rtr_int.h - private structures of the rtr module: snapshots, deltas
 * and the cache.  Never installed; only src/lib/rtr includes it.
 */
#ifndef MANRS_RTR_INT_H
#define MANRS_RTR_INT_H

#include <manrs/rtr.h>

/* A served data set: a finished VRP set plus its wire order. */
struct rtr_snap {
	unsigned		 refs;
	uint32_t		 serial;
	struct manrs_vrp_set	*set;
	uint32_t		*order;	/* VRP indexes, more specific first */
};

struct rtr_aspa_item {
	uint32_t	 customer;
	uint32_t	 n;
	const uint32_t	*prov;
	uint8_t		 flags;	/* in served lists: announce or withdraw */
};

struct rtr_rkey_item {
	struct manrs_rkey	k;
};

/*
 * A delta between two serials: what to announce and to withdraw.  A raw
 * delta (one reload) owns copies of the ASPA provider lists and keys in
 * blob; a composed delta points into the raw deltas it holds refs on.
 */
struct rtr_delta {
	unsigned		 refs;
	uint32_t		 from, to;
	struct manrs_vrp	*va, *vw;
	size_t			 nva, nvw;
	struct rtr_aspa_item	*aa, *aw;
	size_t			 naa, naw;
	struct rtr_rkey_item	*ka, *kw;
	size_t			 nka, nkw;
	struct manrs_arena	*arena;	/* raw: copies of providers, keys */
	/* composed (served) form only */
	struct rtr_aspa_item	*aout;	/* merged per customer */
	size_t			 naout;
	struct rtr_delta	**srcs;
	size_t			 nsrcs;
};

struct manrs_rtr_cache {
	struct manrs_rtr_config	 cfg;
	struct rtr_snap		*cur;
	uint32_t		 serial;
	/* hist[i] is the raw delta hist[i]->from -> hist[i]->to, oldest first */
	struct rtr_delta	*hist[MANRS_RTR_DELTAS_MAX];
	size_t			 nhist;
	/* served[i]: hist[i]->from -> current, built on demand */
	struct rtr_delta	*served[MANRS_RTR_DELTAS_MAX];
};

void	rtr_snap_unref(struct rtr_snap *s);
void	rtr_delta_unref(struct rtr_delta *d);
/* Raw delta from old to new (both finished); NULL when out of memory. */
struct rtr_delta *rtr_delta_diff(const struct manrs_vrp_set *old,
	    const struct manrs_vrp_set *new_, int *err);
bool	rtr_delta_empty(const struct rtr_delta *d);
/* Served delta composed of raw deltas d[0..n). */
struct rtr_delta *rtr_delta_compose(struct rtr_delta **d, size_t n,
	    int *err);
/* Snapshot for the served delta of serial from (NULL: reset needed). */
struct rtr_delta *rtr_cache_delta_from(struct manrs_rtr_cache *c,
	    uint32_t from);

#endif
