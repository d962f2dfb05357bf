/*
 * audit.c - the audit context: streaming routes through the classifier,
 * tracking fault events per (peer, prefix, path id), recording announced
 * prefix/origin pairs, and closing everything at the end of the period.
 *
 * Invariants: only routes that carry a fault have an entry, in the
 * vector of their prefix (an entry whose faults all clear is removed); an
 * event is appended exactly when a fault of a route stops (withdrawn,
 * replaced by a route without it or with another culprit, peer down, or
 * the period ends).
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/audit.h>
#include <manrs/bgp.h>
#include <manrs/bogon.h>
#include <manrs/irrdb.h>
#include <manrs/mrt.h>
#include <manrs/rpsl.h>
#include <manrs/vrp.h>

#include "audit_int.h"

#define PEER_KEY_LEN	24	/* af, addr[16], as, pad */
#define PAIR_KEY_LEN	(sizeof(struct manrs_prefix) + 4)
#define PATH_MAX_ASNS	(MANRS_BGP_ASPATH4_MAX / 4)

static void	free_tracks(struct manrs_audit *);

static const uint8_t culprit_metric[FAULT_COUNT] = {
	MANRS_M1, MANRS_M2, MANRS_M3, MANRS_M4,
};

struct manrs_audit *
manrs_audit_new(const struct manrs_audit_config *cfg, int *err)
{
	struct manrs_audit *a;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	if (cfg != NULL)
		a->cfg = *cfg;
	else
		manrs_audit_config_default(&a->cfg);
	htab_init(&a->peers, PEER_KEY_LEN);
	htab_init(&a->pair_idx, PAIR_KEY_LEN);
	htab_init(&a->tracked, sizeof(struct manrs_prefix));
	htab_init(&a->inc_idx, sizeof(uint64_t));
	htab_init(&a->routes, AUDIT_ROUTE_KEY_LEN);
	htab_init(&a->rpfx, sizeof(struct manrs_prefix));
	a->lpair_idx = -1;
	a->lrp_idx = -1;
	return a;
}

void
manrs_audit_free(struct manrs_audit *a)
{
	size_t i;

	if (a == NULL)
		return;
	htab_clear(&a->peers);
	htab_clear(&a->pair_idx);
	htab_clear(&a->tracked);
	htab_clear(&a->routes);
	htab_clear(&a->rpfx);
	free(a->rbits);
	free(a->heads);
	free(a->hevs);
	free_tracks(a);
	free(a->slots);
	free(a->pairs);
	free(a->pair_seq);
	free(a->pair_rank);
	free(a->pcache);
	for (i = 0; i < a->nincs; i++)
		free(a->incs[i].v);
	free(a->incs);
	htab_clear(&a->inc_idx);
	for (i = 0; i < 65536; i++)
		free(a->seen[i]);
	free(a->asns);
	free(a->pair_by_origin);
	for (i = 0; i < a->nfiles; i++)
		free(a->files[i].path);
	free(a->files);
	free(a->gaps);
	audit_holders_clear(&a->holders);
	free(a);
}

void
manrs_audit_set_vrps(struct manrs_audit *a, const struct manrs_vrp_set *v)
{
	/* A set with nothing in force (all expired, --allow-stale) is no
	 * RPKI data: its metrics say so instead of "all not found". */
	a->vrps_empty = v != NULL && manrs_vrp_count(v, 0) == 0 &&
	    manrs_vrp_aspa_count(v) == 0;
	a->vrps = a->vrps_empty ? NULL : v;
}

void
manrs_audit_set_irr(struct manrs_audit *a, const struct manrs_irrdb *db)
{
	struct manrs_irrdb_stats st;

	a->irr = db;
	a->irr_routes = a->irr_autnums = a->irr_contacts = 0;
	if (db == NULL)
		return;
	manrs_irrdb_stats(db, &st);
	a->irr_routes = st.routes;
	a->irr_autnums = st.per_class[MANRS_RPSL_AUT_NUM];
	a->irr_contacts = st.per_class[MANRS_RPSL_PERSON] +
	    st.per_class[MANRS_RPSL_ROLE];
}

void
manrs_audit_set_asgraph(struct manrs_audit *a, const struct manrs_asgraph *g)
{
	a->asrel = g;
}

void
manrs_audit_set_peeringdb(struct manrs_audit *a,
    const struct manrs_peeringdb *p)
{
	a->pdb = p;
}

void
manrs_audit_set_spoofer(struct manrs_audit *a, const struct manrs_spoofer *s)
{
	a->spoof = s;
}

void
manrs_audit_set_delegated(struct manrs_audit *a,
    struct manrs_bogon_delegated *d)
{
	if (d != NULL)
		(void)manrs_bogon_delegated_finish(d);
	a->deleg = d;
}

void
manrs_audit_set_delegated_time(struct manrs_audit *a, int64_t t)
{
	a->deleg_time = t;
}

const struct manrs_audit_config *
manrs_audit_config(const struct manrs_audit *a)
{
	return &a->cfg;
}

/*
 * Is the sample (start, prefix, origin, other, file) of y before that of
 * x?  The earliest event is the sample; events of equal start are
 * ordered by what they show, so an incident does not depend on the order
 * its events closed in (one run, its shards and its jobs agree).
 */
static bool
sample_before(const struct incident *y, const struct incident *x)
{
	int c;

	if (y->start != x->start)
		return y->start < x->start;
	if ((c = manrs_prefix_cmp(&y->prefix, &x->prefix)) != 0)
		return c < 0;
	if (y->origin != x->origin)
		return y->origin < x->origin;
	if (y->other != x->other)
		return y->other < x->other;
	return y->file < x->file;
}

/* x absorbs y (they overlap): span, peers, events and the sample. */
static void
absorb(struct incident *x, const struct incident *y)
{
	if (sample_before(y, x)) {
		x->start = y->start;
		x->prefix = y->prefix;
		x->origin = y->origin;
		x->other = y->other;
		x->file = y->file;
	}
	if (y->end > x->end)
		x->end = y->end;
	x->peers |= y->peers;
	x->events += y->events;
}

/* Incident i of l grew: absorb the following ones it now overlaps. */
static void
coalesce(struct inclist *l, size_t i)
{
	struct incident *x = &l->v[i];

	while (i + 1 < l->n && l->v[i + 1].start <= x->end) {
		absorb(x, &l->v[i + 1]);
		memmove(&l->v[i + 1], &l->v[i + 2],
		    (l->n - i - 2) * sizeof(*x));
		l->n--;
	}
}

/* One closed event of asn/metric: merge it into that AS's incidents. */
static int
push_event(struct manrs_audit *a, uint32_t asn, unsigned metric,
    int64_t start, int64_t end, uint32_t tidx, const struct active *ac,
    const struct fault_info *f)
{
	struct incident y;

	if (asn == 0)
		return 0;
	if (end < start)
		end = start;
	y.start = start;
	y.end = end;
	y.peers = 1ULL << (ac->peer & 63);
	y.events = 1;
	y.origin = ac->origin;
	y.other = f->other;
	y.file = ac->file;
	y.prefix = *(const struct manrs_prefix *)htab_key(&a->tracked, tidx);
	return audit_merge_incident(a, (uint64_t)asn << 8 | metric, &y);
}

/* Fault k of a route, as stored compactly in struct active. */
static void
get_fault(const struct active *ac, unsigned k, struct fault_info *f)
{
	memset(f, 0, sizeof(*f));
	switch (k) {
	case FAULT_LEAK:
		*f = ac->leak;
		break;
	case FAULT_BOGON_ASN:
		*f = ac->bogon_asn;
		break;
	case FAULT_HIJACK:
		f->culprit = ac->origin;
		f->accomplice = ac->acc_hijack;
		break;
	default:
		f->culprit = ac->origin;
		f->accomplice = ac->acc_bogon_pfx;
		break;
	}
}

static void
set_fault(struct active *ac, unsigned k, const struct fault_info *f)
{
	switch (k) {
	case FAULT_LEAK:
		ac->leak = *f;
		break;
	case FAULT_BOGON_ASN:
		ac->bogon_asn = *f;
		break;
	case FAULT_HIJACK:
		ac->acc_hijack = f->accomplice;
		break;
	default:
		ac->acc_bogon_pfx = f->accomplice;
		break;
	}
}

/* Partial mode: one more entry of the ordered first operations. */
static struct head *
add_head(struct manrs_audit *a, enum head_kind kind, uint32_t peer,
    int64_t t)
{
	struct head *h;

	if (manrs_grow((void **)&a->heads, &a->capheads, a->nheads,
	    sizeof(*a->heads)) != 0)
		return NULL;
	h = &a->heads[a->nheads++];
	memset(h, 0, sizeof(*h));
	h->kind = (uint8_t)kind;
	h->peer = peer;
	h->t = t;
	return h;
}

/* Partial mode: an event opened by a route's first operation closes. */
static int
keep_hevent(struct manrs_audit *a, uint32_t tidx, struct active *ac,
    unsigned k, int64_t t, const struct fault_info *f)
{
	struct hevent *e;

	if (manrs_grow((void **)&a->hevs, &a->caphevs, a->nhevs,
	    sizeof(*a->hevs)) != 0)
		return MANRS_E_NOMEM;
	e = &a->hevs[a->nhevs++];
	memset(e, 0, sizeof(*e));
	e->peer = ac->peer;
	e->path_id = ac->path_id;
	e->prefix = *(const struct manrs_prefix *)htab_key(&a->tracked, tidx);
	e->k = (uint8_t)k;
	e->start = ac->start[k];
	e->end = t < e->start ? e->start : t;
	e->f = *f;
	e->origin = ac->origin;
	e->file = ac->file;
	ac->head &= (uint8_t)~(1u << k);
	ac->faults &= (uint8_t)~(1u << k);
	return 0;
}

/* Fault k of the route ac (of tracked prefix tidx) stops at time t. */
static int
close_fault(struct manrs_audit *a, uint32_t tidx, struct active *ac,
    unsigned k, int64_t t)
{
	struct fault_info fi, *f = &fi;

	get_fault(ac, k, &fi);
	if (a->partial && (ac->head & (1u << k)))
		return keep_hevent(a, tidx, ac, k, t, &fi);
	if (push_event(a, f->culprit, culprit_metric[k], ac->start[k], t,
	    tidx, ac, f) != 0)
		return MANRS_E_NOMEM;
	/* The accomplice's event: its customer's fault, propagated. */
	if (push_event(a, f->accomplice, culprit_metric[k] + 1u, ac->start[k],
	    t, tidx, ac, f) != 0)
		return MANRS_E_NOMEM;
	ac->faults &= (uint8_t)~(1u << k);
	return 0;
}

/* Close every open fault of the route at index i of vector tidx. */
static int
close_all(struct manrs_audit *a, uint32_t tidx, uint32_t i, int64_t t)
{
	struct trackvec *tv = &a->tv[tidx];
	unsigned k;

	for (k = 0; k < FAULT_COUNT; k++)
		if ((tv->v[i].faults & (1u << k)) &&
		    close_fault(a, tidx, &tv->v[i], k, t) != 0)
			return MANRS_E_NOMEM;
	return 0;
}

static void
free_tracks(struct manrs_audit *a)
{
	size_t i;

	for (i = 0; i < a->captv; i++)
		free(a->tv[i].v);
	free(a->tv);
	a->tv = NULL;
	a->captv = 0;
}

/* The pair of p/origin (interned, classified when new); -1: no memory. */
static int64_t
record_pair(struct manrs_audit *a, const struct manrs_prefix *p,
    uint32_t origin, uint32_t peer, int64_t t)
{
	uint8_t key[PAIR_KEY_LEN];
	struct pair *pr;
	bool fresh;
	int64_t i;

	memcpy(key, p, sizeof(*p));
	memcpy(key + sizeof(*p), &origin, 4);
	if (a->lpair_idx >= 0 && memcmp(key, a->lpair_key, sizeof(key)) == 0) {
		i = a->lpair_idx;
		fresh = false;
	} else if (manrs_grow((void **)&a->pairs, &a->cappairs, a->npairs,
	    sizeof(*a->pairs)) != 0 ||
	    (i = htab_intern(&a->pair_idx, key, &fresh)) < 0) {
		return -1;
	}
	memcpy(a->lpair_key, key, sizeof(key));
	a->lpair_idx = i;
	if (fresh) {
		if (a->nshards > 1) {
			if (manrs_grow((void **)&a->pair_seq, &a->cappseq,
			    a->npairs, sizeof(*a->pair_seq)) != 0)
				return -1;
			a->pair_seq[a->npairs] = a->ord - 1;
		}
		pr = &a->pairs[a->npairs++];
		memset(pr, 0, sizeof(*pr));
		pr->prefix = *p;
		pr->origin = origin;
		pr->first = t;
		pr->file = a->cur_file;
		pr->faults = audit_classify_pair(a, p, origin, pr);
	}
	pr = &a->pairs[i];
	pr->peers |= 1ULL << (peer & 63);
	if (t > pr->last)
		pr->last = t;
	if (t < pr->first)
		pr->first = t;
	return i;
}

/*
 * The data jumps from a->end to t, further than max_skew: no input
 * covers the time between, so every open event closes at a->end (an
 * event seen again after the gap is a new one) and the gap is recorded.
 */
static int
close_gap(struct manrs_audit *a, int64_t t)
{
	struct manrs_audit_gap *g;
	size_t tidx;
	uint32_t i;

	if (a->partial && add_head(a, HEAD_GAP, 0, a->end) == NULL)
		return MANRS_E_NOMEM;
	for (tidx = 0; tidx < a->captv; tidx++) {
		for (i = 0; i < a->tv[tidx].n; i++)
			if (close_all(a, (uint32_t)tidx, i, a->end) != 0)
				return MANRS_E_NOMEM;
		a->tv[tidx].n = 0;
	}
	if (manrs_grow((void **)&a->gaps, &a->capgaps, a->ngaps,
	    sizeof(*a->gaps)) != 0)
		return MANRS_E_NOMEM;
	g = &a->gaps[a->ngaps++];
	g->from = a->end;
	g->to = t;
	g->before = a->end_file > 0 ? a->files[a->end_file - 1].path : NULL;
	g->after = a->cur_file > 0 ? a->files[a->cur_file - 1].path : NULL;
	return 0;
}

static int
note_time(struct manrs_audit *a, int64_t t)
{
	struct manrs_audit_file *f;

	if (t <= 0) {
		a->bogus_time++;
		return 0;
	}
	if (a->cfg.max_skew > 0 && a->end > 0 && t > a->end + a->cfg.max_skew &&
	    close_gap(a, t) != 0)
		return MANRS_E_NOMEM;
	if (a->start == 0 || t < a->start)
		a->start = t;
	if (t > a->end) {
		a->end = t;
		a->end_file = a->cur_file;
	}
	if (a->cur_file > 0) {
		f = &a->files[a->cur_file - 1];
		if (f->first == 0 || t < f->first)
			f->first = t;
		if (t > f->last)
			f->last = t;
	}
	return 0;
}

/*
 * Has prefix p ever carried a fault on any route?  With create, record
 * that it has.  -1: no (or out of memory with create).
 */
static int64_t
tracked(struct manrs_audit *a, const struct manrs_prefix *p, bool create)
{
	bool fresh;

	if (!a->lp_valid || !manrs_prefix_eq(&a->lp, p) ||
	    (create && a->lp_idx < 0)) {
		a->lp = *p;
		a->lp_valid = true;
		a->lp_idx = create ? htab_intern(&a->tracked, p, &fresh) :
		    htab_find(&a->tracked, p);
	}
	return a->lp_idx;
}

/* The faulty route (peer, path id) in vector tidx, or NULL. */
static struct active *
find_active(struct trackvec *tv, uint32_t peer, uint32_t path_id,
    uint32_t *pos)
{
	uint32_t i;

	for (i = 0; i < tv->n; i++)
		if (tv->v[i].peer == peer && tv->v[i].path_id == path_id) {
			*pos = i;
			return &tv->v[i];
		}
	return NULL;
}

static struct active *
add_active(struct manrs_audit *a, uint32_t tidx, uint32_t peer,
    uint32_t path_id, uint32_t *pos)
{
	struct trackvec *tv;
	struct active *nv;
	uint32_t cap;

	if (tidx >= a->captv) {
		size_t nc = a->captv != 0 ? a->captv * 2 : 1024;
		struct trackvec *nt;

		while (nc <= tidx)
			nc *= 2;
		if ((nt = reallocarray(a->tv, nc, sizeof(*nt))) == NULL)
			return NULL;
		memset(nt + a->captv, 0, (nc - a->captv) * sizeof(*nt));
		a->tv = nt;
		a->captv = nc;
	}
	tv = &a->tv[tidx];
	if (tv->n == tv->cap) {
		/* Grow by half: a prefix has at most one route per peer. */
		cap = tv->cap + tv->cap / 2 + 2;
		if ((nv = reallocarray(tv->v, cap, sizeof(*nv))) == NULL)
			return NULL;
		tv->v = nv;
		tv->cap = cap;
	}
	*pos = tv->n;
	nv = &tv->v[tv->n++];
	memset(nv, 0, sizeof(*nv));
	nv->peer = peer;
	nv->path_id = path_id;
	return nv;
}

static int
update_faults(struct manrs_audit *a, uint32_t peer,
    const struct manrs_prefix *p, uint32_t path_id, int64_t t,
    uint32_t origin, const struct fault_info f[FAULT_COUNT], uint8_t faults)
{
	struct active *ac = NULL;
	struct trackvec *tv;
	int64_t tidx;
	uint32_t pos = 0;
	unsigned k;

	if ((tidx = tracked(a, p, false)) >= 0 && (size_t)tidx < a->captv)
		ac = find_active(&a->tv[tidx], peer, path_id, &pos);
	if (ac == NULL && faults == 0)
		return 0;
	if (ac == NULL) {
		if ((tidx = tracked(a, p, true)) < 0 ||
		    (ac = add_active(a, (uint32_t)tidx, peer, path_id,
		    &pos)) == NULL)
			return MANRS_E_NOMEM;
	}
	/* First close what stopped or changed hands, from the stored state;
	 * then open what started (the stored culprits are shared). */
	for (k = 0; k < FAULT_COUNT; k++) {
		bool had = ac->faults & (1u << k), has = faults & (1u << k);
		struct fault_info cur;

		if (!had)
			continue;
		get_fault(ac, k, &cur);
		if ((!has || cur.culprit != f[k].culprit ||
		    cur.accomplice != f[k].accomplice) &&
		    close_fault(a, (uint32_t)tidx, ac, k, t) != 0)
			return MANRS_E_NOMEM;
	}
	for (k = 0; k < FAULT_COUNT; k++) {
		bool has = faults & (1u << k);

		if (has && !(ac->faults & (1u << k))) {
			/* An origin change closes pair faults above first. */
			if (k == FAULT_HIJACK || k == FAULT_BOGON_PFX)
				ac->origin = f[k].culprit;
			ac->start[k] = (uint32_t)t;
			ac->file = a->cur_file;
			set_fault(ac, k, &f[k]);
			ac->faults |= (uint8_t)(1u << k);
			a->st.events++;
		}
	}
	/* The origin doubles as the culprit of the pair faults: a path
	 * ending in a set (no origin) keeps the culprit it had. */
	if (origin != 0 || !(ac->faults & ((1u << FAULT_HIJACK) |
	    (1u << FAULT_BOGON_PFX))))
		ac->origin = origin;
	if (ac->faults == 0) {		/* clean again: drop the entry */
		tv = &a->tv[tidx];
		tv->v[pos] = tv->v[--tv->n];
	}
	return 0;
}

void
audit_route_key(uint8_t key[AUDIT_ROUTE_KEY_LEN], uint32_t peer,
    uint32_t path_id, const struct manrs_prefix *p)
{
	memcpy(key, &peer, 4);
	memcpy(key + 4, &path_id, 4);
	memcpy(key + 8, p, sizeof(*p));
}

/*
 * Partial mode: the first operation of a route in this shard, and the
 * faults it opened marked as such (an earlier shard may have them open).
 */
static int
note_head(struct manrs_audit *a, uint32_t peer, const struct manrs_prefix *p,
    uint32_t path_id, int64_t t, const struct fault_info f[FAULT_COUNT],
    uint8_t faults)
{
	struct active *ac = NULL;
	struct head *h;
	int64_t tidx;
	uint32_t pos;
	unsigned k;

	if ((h = add_head(a, HEAD_ROUTE, peer, t)) == NULL)
		return MANRS_E_NOMEM;
	h->path_id = path_id;
	h->prefix = *p;
	h->faults = faults;
	for (k = 0; k < FAULT_COUNT; k++)
		if (faults & (1u << k)) {
			h->culprit[k] = f[k].culprit;
			h->accomplice[k] = f[k].accomplice;
		}
	if (faults != 0 && (tidx = tracked(a, p, false)) >= 0 &&
	    (size_t)tidx < a->captv)
		ac = find_active(&a->tv[tidx], peer, path_id, &pos);
	if (ac != NULL)
		ac->head = ac->faults;
	return 0;
}

/*
 * Partial mode: is this the route's first operation in the shard?  The
 * routes of one prefix are found through the prefix (the last one is
 * cached: a RIB record's entries and an UPDATE's routes share it), each
 * of the first 64 peers a bit; other routes (add-path ids, peers from
 * 64 on) in a table of route keys.
 */
static int
first_op(struct manrs_audit *a, uint32_t peer, const struct manrs_prefix *p,
    uint32_t path_id, bool *fresh)
{
	uint8_t rkey[AUDIT_ROUTE_KEY_LEN];
	uint64_t bit;
	int64_t i;

	if (peer >= 64 || path_id != 0) {
		audit_route_key(rkey, peer, path_id, p);
		return htab_intern(&a->routes, rkey, fresh) < 0 ?
		    MANRS_E_NOMEM : 0;
	}
	if (a->lrp_idx < 0 || !manrs_prefix_eq(&a->lrp, p)) {
		if ((i = htab_intern(&a->rpfx, p, fresh)) < 0 ||
		    manrs_grow((void **)&a->rbits, &a->caprbits, (size_t)i,
		    sizeof(*a->rbits)) != 0)
			return MANRS_E_NOMEM;
		if (*fresh)
			a->rbits[i] = 0;
		a->lrp = *p;
		a->lrp_idx = i;
	}
	bit = 1ULL << peer;
	*fresh = (a->rbits[a->lrp_idx] & bit) == 0;
	a->rbits[a->lrp_idx] |= bit;
	return 0;
}

int
manrs_audit_add_route(struct manrs_audit *a, uint32_t peer,
    const struct manrs_prefix *p, uint32_t path_id, int64_t t,
    bool withdraw, const uint32_t *path, size_t n, bool has_set)
{
	struct fault_info f[FAULT_COUNT];
	uint8_t faults = 0, pair_faults;
	uint32_t origin = 0;
	int64_t pi;
	bool fresh = false;
	int rc;

	if (a->finished || a->closed)
		return MANRS_E_INVAL;
	if (t < 0 || t > UINT32_MAX)
		t = 0;		/* the MRT clock is 32-bit; out of range: unknown */
	if (note_time(a, t) != 0)
		return MANRS_E_NOMEM;
	if (a->partial && first_op(a, peer, p, path_id, &fresh) != 0)
		return MANRS_E_NOMEM;
	memset(f, 0, sizeof(f));
	if (withdraw) {
		a->st.withdrawals++;
		if ((rc = update_faults(a, peer, p, path_id, t, 0, f, 0)) != 0)
			return rc;
		return fresh ? note_head(a, peer, p, path_id, t, f, 0) : 0;
	}
	a->st.routes++;
	if (n > 0 && !has_set)
		origin = path[n - 1];
	if (origin != 0) {
		if ((pi = record_pair(a, p, origin, peer, t)) < 0)
			return MANRS_E_NOMEM;
		pair_faults = a->pairs[pi].faults;
	} else {
		pair_faults = audit_classify_pair(a, p, 0, NULL);
	}
	audit_classify(a, path, n, pair_faults, f, &faults);
	if (a->err != 0)
		return a->err;
	if ((rc = update_faults(a, peer, p, path_id, t, origin, f,
	    faults)) != 0)
		return rc;
	return fresh ? note_head(a, peer, p, path_id, t, f, faults) : 0;
}

int
manrs_audit_peer_down(struct manrs_audit *a, uint32_t peer, int64_t t)
{
	size_t tidx;
	uint32_t i;

	if (a->finished || a->closed)
		return MANRS_E_INVAL;
	if (note_time(a, t) != 0)
		return MANRS_E_NOMEM;
	if (a->partial && add_head(a, HEAD_PEER_DOWN, peer, t) == NULL)
		return MANRS_E_NOMEM;
	for (tidx = 0; tidx < a->captv; tidx++) {
		struct trackvec *tv = &a->tv[tidx];

		for (i = 0; i < tv->n;) {
			if (tv->v[i].peer != peer) {
				i++;
				continue;
			}
			if (close_all(a, (uint32_t)tidx, i, t) != 0)
				return MANRS_E_NOMEM;
			tv->v[i] = tv->v[--tv->n];
		}
	}
	return 0;
}

/* Dense peer id of (af, addr, as); -1 when out of memory. */
static int64_t
peer_id(struct manrs_audit *a, uint8_t af, const uint8_t *addr, uint32_t as)
{
	uint8_t key[PEER_KEY_LEN];
	bool fresh;
	int64_t id;

	memset(key, 0, sizeof(key));
	key[0] = af;
	memcpy(key + 1, addr, 16);
	memcpy(key + 17, &as, 4);
	id = htab_intern(&a->peers, key, &fresh);
	if (fresh)
		a->st.peers++;
	return id;
}

/*
 * The peer of a route.  A RIB names its peers by index into the file's
 * PEER_INDEX_TABLE: those are looked up once per table and index, not
 * hashed per entry.
 */
static int64_t
route_peer(struct manrs_audit *a, const struct manrs_mrt_route *rt)
{
	uint32_t v;
	int64_t id;

	if (rt->rec == NULL || rt->rec->type != MANRS_MRT_TABLE_DUMP_V2)
		return peer_id(a, rt->peer_af, rt->peer_addr, rt->peer_as);
	if (a->pcache == NULL &&
	    (a->pcache = calloc(65536, sizeof(*a->pcache))) == NULL)
		return -1;
	if (a->pcache_file != a->cur_file ||
	    a->pcache_table != rt->peer_table) {
		memset(a->pcache, 0, 65536 * sizeof(*a->pcache));
		a->pcache_file = a->cur_file;
		a->pcache_table = rt->peer_table;
	}
	if ((v = a->pcache[rt->peer_index]) != 0)
		return v - 1;
	if ((id = peer_id(a, rt->peer_af, rt->peer_addr, rt->peer_as)) >= 0)
		a->pcache[rt->peer_index] = (uint32_t)id + 1;
	return id;
}

/*
 * Flatten four-octet wire segments: AS_SEQUENCE members in order; a
 * final AS_SET means no origin (*ends_in_set); confederation segments
 * are skipped.  Returns the count.
 */
static size_t
flatten(const uint8_t *p, size_t len, uint32_t *out, bool *ends_in_set)
{
	size_t off = 0, n = 0, i;

	*ends_in_set = false;
	while (off + 2 <= len) {
		uint8_t type = p[off], cnt = p[off + 1];

		off += 2;
		if (off + (size_t)cnt * 4 > len)
			break;
		*ends_in_set = type == MANRS_BGP_AS_SET;
		for (i = 0; i < cnt; i++, off += 4) {
			uint32_t asn = (uint32_t)p[off] << 24 |
			    (uint32_t)p[off + 1] << 16 |
			    (uint32_t)p[off + 2] << 8 | p[off + 3];

			if (type == MANRS_BGP_AS_SEQUENCE && n < PATH_MAX_ASNS)
				out[n++] = asn;
		}
	}
	return n;
}

static int
feed_route(struct manrs_audit *a, const struct manrs_mrt_route *rt,
    uint8_t *pathbuf, uint32_t *path)
{
	struct manrs_prefix p;
	int64_t t = rt->rec != NULL ? (int64_t)rt->rec->ts : 0;
	int64_t peer;
	ptrdiff_t plen;
	bool set;
	size_t n;

	if (rt->kind == MANRS_MRT_ROUTE_FILTERED && rt->count > 0) {
		/* Routes of other jobs' prefixes, of peers seen before. */
		a->ord += rt->count;
		peer = 0;
	} else if ((peer = route_peer(a, rt)) < 0)
		return MANRS_E_NOMEM;
	else
		a->ord++;
	if (rt->kind == MANRS_MRT_ROUTE_FILTERED) {
		/* Another job's route: only its time (for the period and
		 * the gaps every job must see alike); a time just noted
		 * (a RIB record's entries share it) changes nothing. */
		if (t <= 0 || (t == a->last_t && a->cur_file == a->last_t_file))
			return 0;
		a->last_t = t;
		a->last_t_file = a->cur_file;
		return note_time(a, t);
	}
	if (rt->kind == MANRS_MRT_ROUTE_STATE) {
		/* Anything but Established (6) drops the session's routes. */
		if (rt->new_state != 6)
			return manrs_audit_peer_down(a, (uint32_t)peer, t);
		return 0;
	}
	manrs_bgp_nlri_prefix(&rt->nlri, &p);
	if (rt->kind == MANRS_MRT_ROUTE_WITHDRAW)
		return manrs_audit_add_route(a, (uint32_t)peer, &p,
		    rt->nlri.path_id, t, true, NULL, 0, false);
	/*
	 * A route whose attributes cannot be used is skipped, but its time
	 * is the data's (as it is for a job that filters it out unread).
	 */
	if (rt->attrs == NULL || rt->attr_err == MANRS_E_SHORT ||
	    (plen = manrs_bgp_aspath4(rt->attrs, pathbuf)) < 0) {
		a->st.skipped++;
		return t > 0 ? note_time(a, t) : 0;
	}
	n = flatten(pathbuf, (size_t)plen, path, &set);
	return manrs_audit_add_route(a, (uint32_t)peer, &p, rt->nlri.path_id,
	    t, false, path, n, set);
}

int
audit_stream_mrt(struct manrs_audit *a, const char *path,
    struct manrs_diag_sink *sink, manrs_mrt_keep_fn *keep, void *arg)
{
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_routes *it;
	struct manrs_mrt_route rt;
	uint8_t *pathbuf;
	uint32_t *flat;
	int rc, err;

	if (a->finished || a->closed)
		return MANRS_E_INVAL;
	if (a->nfiles == AUDIT_FILES_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&a->files, &a->capfiles, a->nfiles,
	    sizeof(*a->files)) != 0)
		return MANRS_E_NOMEM;
	memset(&a->files[a->nfiles], 0, sizeof(*a->files));
	if ((a->files[a->nfiles].path = strdup(path)) == NULL)
		return MANRS_E_NOMEM;
	a->cur_file = (uint16_t)++a->nfiles;
	if ((rd = manrs_mrt_open(path, sink, &err)) == NULL) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "cannot open: %s", manrs_strerror(err));
		return err;
	}
	pathbuf = malloc(MANRS_BGP_ASPATH4_MAX);
	flat = malloc(PATH_MAX_ASNS * sizeof(*flat));
	if ((it = manrs_mrt_routes_new(rd)) == NULL || pathbuf == NULL ||
	    flat == NULL) {
		rc = MANRS_E_NOMEM;
		goto out;
	}
	if (keep != NULL)
		manrs_mrt_routes_filter(it, keep, arg);
	while ((rc = manrs_mrt_route_next(it, &rt)) == 1)
		if ((rc = feed_route(a, &rt, pathbuf, flat)) != 0)
			break;
	if (rc < 0)
		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "%s", manrs_strerror(rc));
out:
	a->files[a->cur_file - 1].records = manrs_mrt_records(rd);
	a->files[a->cur_file - 1].skipped = manrs_mrt_skipped(rd);
	free(pathbuf);
	free(flat);
	manrs_mrt_routes_free(it);
	manrs_mrt_close(rd);
	return rc < 0 ? rc : 0;
}

int
manrs_audit_add_mrt(struct manrs_audit *a, const char *path,
    struct manrs_diag_sink *sink)
{
	return audit_stream_mrt(a, path, sink, NULL, NULL);
}

/*
 * Sort n 64-bit keys: LSD radix, four 16-bit digits (a full table's
 * millions of pairs in a few passes over memory, not n log n compares).
 * 0 or MANRS_E_NOMEM.
 */
static int
sort_u64(uint64_t *v, size_t n)
{
	uint64_t *tmp, *src = v, *dst;
	uint32_t *cnt;
	unsigned shift;
	size_t i, sum, c;

	if (n < 2)
		return 0;
	tmp = reallocarray(NULL, n, sizeof(*tmp));
	cnt = calloc(65536, sizeof(*cnt));
	if (tmp == NULL || cnt == NULL) {
		free(tmp);
		free(cnt);
		return MANRS_E_NOMEM;
	}
	dst = tmp;
	for (shift = 0; shift < 64; shift += 16) {
		memset(cnt, 0, 65536 * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> shift) & 0xffff]++;
		if (cnt[(src[0] >> shift) & 0xffff] == n)
			continue;	/* one digit value: already in order */
		for (i = 0, sum = 0; i < 65536; i++) {
			c = cnt[i];
			cnt[i] = (uint32_t)sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 0xffff]++] = src[i];
		dst = src;
		src = src == v ? tmp : v;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	free(cnt);
	return 0;
}

/* The period is over: every fault still open closes at its end. */
int
audit_close_stream(struct manrs_audit *a)
{
	size_t i;
	uint32_t j;

	if (a->closed)
		return 0;
	if (a->cfg.period_start != 0)
		a->start = a->cfg.period_start;
	if (a->cfg.period_end != 0)
		a->end = a->cfg.period_end;
	for (i = 0; i < a->captv; i++)
		for (j = 0; j < a->tv[i].n; j++)
			if (close_all(a, (uint32_t)i, j, a->end) != 0)
				return MANRS_E_NOMEM;
	a->closed = true;
	return 0;
}

int
manrs_audit_finish(struct manrs_audit *a)
{
	uint64_t *keys;
	size_t i, k;

	if (a->finished)
		return 0;
	if (audit_close_stream(a) != 0)
		return MANRS_E_NOMEM;
	audit_holders_finish(&a->holders);
	if (a->deleg_time == 0)
		a->deleg_time = a->holders.time;

	/* Pairs by origin, then first seen: sort (origin << 32 | index). */
	a->pair_by_origin = reallocarray(NULL, a->npairs + 1, sizeof(uint32_t));
	a->asns = reallocarray(NULL, a->nseen + 1, sizeof(uint32_t));
	keys = reallocarray(NULL, a->npairs + 1, sizeof(uint64_t));
	if (a->pair_by_origin == NULL || a->asns == NULL || keys == NULL) {
		free(keys);
		return MANRS_E_NOMEM;
	}
	for (i = 0; i < a->npairs; i++)
		keys[i] = (uint64_t)a->pairs[i].origin << 32 |
		    (a->pair_rank != NULL ? a->pair_rank[i] : i);
	if (sort_u64(keys, a->npairs) != 0) {
		free(keys);
		return MANRS_E_NOMEM;
	}
	if (a->pair_rank != NULL) {
		/* Jobs: from rank back to index (pair_by_origin as the
		 * inverse permutation for the moment). */
		for (i = 0; i < a->npairs; i++)
			a->pair_by_origin[a->pair_rank[i]] = (uint32_t)i;
		for (i = 0; i < a->npairs; i++)
			keys[i] = a->pair_by_origin[(uint32_t)keys[i]];
		free(a->pair_rank);
		a->pair_rank = NULL;
	}
	for (i = 0; i < a->npairs; i++)
		a->pair_by_origin[i] = (uint32_t)keys[i];
	free(keys);
	/* Bogon ASNs are no networks to score (they still can be audited). */
	for (i = k = 0; i < 65536; i++) {
		size_t w;

		for (w = 0; a->seen[i] != NULL && w < 65536 / 64; w++) {
			uint64_t bits = a->seen[i][w];

			while (bits != 0) {
				uint32_t asn = (uint32_t)(i << 16 | w << 6 |
				    (size_t)__builtin_ctzll(bits));

				bits &= bits - 1;
				if (manrs_bogon_asn_find(asn) == NULL)
					a->asns[k++] = asn;
			}
		}
	}
	a->nasns = k;	/* ascending by construction */
	a->st.pairs = a->npairs;
	/* The stream state is no longer needed. */
	free_tracks(a);
	htab_clear(&a->tracked);
	a->lp_valid = false;
	a->lpair_idx = -1;
	a->finished = true;
	return 0;
}

size_t
manrs_audit_files(const struct manrs_audit *a,
    const struct manrs_audit_file **out)
{
	*out = a->files;
	return a->nfiles;
}

size_t
manrs_audit_gaps(const struct manrs_audit *a,
    const struct manrs_audit_gap **out)
{
	*out = a->gaps;
	return a->ngaps;
}

bool
manrs_audit_seen(const struct manrs_audit *a, uint32_t asn)
{
	const uint64_t *page = a->seen[asn >> 16];

	return page != NULL && (page[(asn & 0xffff) >> 6] &
	    (1ULL << (asn & 63))) != 0;
}

void
manrs_audit_period(const struct manrs_audit *a, int64_t *start, int64_t *end)
{
	*start = a->start;
	*end = a->end;
}

size_t
manrs_audit_asns(const struct manrs_audit *a, const uint32_t **out)
{
	*out = a->asns;
	return a->nasns;
}

void
manrs_audit_stats(const struct manrs_audit *a, struct manrs_audit_stats *st)
{
	*st = a->st;
}

/*
 * Merging partials (audit_partial.c).  An incident of another context
 * (its events already merged) joins those of key as its events would
 * have one by one: the earliest start keeps its sample.
 */
int
audit_merge_incident(struct manrs_audit *a, uint64_t key,
    const struct incident *y)
{
	struct inclist *l;
	struct incident *x;
	size_t lo = 0, hi, mid;
	bool fresh;
	int64_t li;

	if (manrs_grow((void **)&a->incs, &a->capincs, a->nincs,
	    sizeof(*a->incs)) != 0 ||
	    (li = htab_intern(&a->inc_idx, &key, &fresh)) < 0)
		return MANRS_E_NOMEM;
	if (fresh)
		memset(&a->incs[a->nincs++], 0, sizeof(*a->incs));
	l = &a->incs[li];
	/*
	 * First incident that ends at or after y's start (the list is
	 * disjoint and sorted, so ends are sorted too): merge into it or
	 * insert before it.
	 */
	hi = l->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->v[mid].end < y->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->n && l->v[lo].start <= y->end) {
		x = &l->v[lo];
		absorb(x, y);
		coalesce(l, lo);
		return 0;
	}
	if (manrs_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)) != 0)
		return MANRS_E_NOMEM;
	memmove(&l->v[lo + 1], &l->v[lo], (l->n - lo) * sizeof(*l->v));
	l->n++;
	l->v[lo] = *y;
	return 0;
}

int
audit_close_gap(struct manrs_audit *a, int64_t t)
{
	return close_gap(a, t);
}

int
audit_close_all(struct manrs_audit *a, uint32_t tidx, uint32_t i, int64_t t)
{
	return close_all(a, tidx, i, t);
}

void
audit_get_fault(const struct active *ac, unsigned k, struct fault_info *f)
{
	get_fault(ac, k, f);
}

struct active *
audit_find_active(struct manrs_audit *a, uint32_t tidx, uint32_t peer,
    uint32_t path_id, uint32_t *pos)
{
	if (tidx >= a->captv)
		return NULL;
	return find_active(&a->tv[tidx], peer, path_id, pos);
}

struct active *
audit_add_active(struct manrs_audit *a, uint32_t tidx, uint32_t peer,
    uint32_t path_id, uint32_t *pos)
{
	return add_active(a, tidx, peer, path_id, pos);
}

int
audit_push_hevent(struct manrs_audit *a, const struct hevent *e,
    int64_t start)
{
	struct incident y;

	memset(&y, 0, sizeof(y));
	y.start = start;
	y.end = e->end < start ? start : e->end;
	y.peers = 1ULL << (e->peer & 63);
	y.events = 1;
	y.origin = e->origin;
	y.other = e->f.other;
	y.file = e->file;
	y.prefix = e->prefix;
	if (e->f.culprit != 0 && audit_merge_incident(a,
	    (uint64_t)e->f.culprit << 8 | culprit_metric[e->k], &y) != 0)
		return MANRS_E_NOMEM;
	if (e->f.accomplice != 0 && audit_merge_incident(a,
	    (uint64_t)e->f.accomplice << 8 | (culprit_metric[e->k] + 1u),
	    &y) != 0)
		return MANRS_E_NOMEM;
	return 0;
}

void
manrs_audit_set_partial(struct manrs_audit *a)
{
	a->partial = true;
}

void
manrs_audit_mark_rib(struct manrs_audit *a)
{
	if (a->nfiles > 0)
		a->files[a->nfiles - 1].rib = true;
}
