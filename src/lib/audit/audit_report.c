/*
 * audit_report.c - one AS's MANRS metrics, evidence and fixes from a
 * finished audit context.
 *
 * Filtering (M1..M4C): the AS's events, merged per metric into
 * incidents where they overlap in time, weighted by duration.
 * Anti-spoofing (M5, M5C): spoofing tests of the AS and its customers.
 * Coordination (M8) and the aut-num's policy (M6): audit_coord.c.
 * Global validation (M7IRR, M7RPKI, M7RPKIN): the announced prefix/origin
 * pairs against IRR and RPKI, with the route object and ROA each verdict
 * stands on; fixes (audit_fixes.c).  A metric whose input is absent has
 * no value and names the input (MISS_* in audit_int.h).
 * Every threshold comes from struct manrs_audit_config.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <manrs/asgraph.h>
#include <manrs/bogon.h>
#include <manrs/irrdb.h>
#include <manrs/peeringdb.h>
#include <manrs/provenance.h>
#include <manrs/rpsl.h>
#include <manrs/spoofer.h>
#include <manrs/vrp.h>

#include "audit_int.h"

static const char *const metric_names[MANRS_METRIC_COUNT] = {
	"M1", "M1C", "M2", "M2C", "M3", "M3C", "M4", "M4C", "M5", "M5C",
	"M6", "M7IRR", "M7RPKI", "M7RPKIN", "M8",
};

const char *
manrs_metric_name(enum manrs_metric m)
{
	return (unsigned)m < MANRS_METRIC_COUNT ? metric_names[m] : "?";
}

int
manrs_metric_parse(struct manrs_view name)
{
	int i;

	for (i = 0; i < MANRS_METRIC_COUNT; i++)
		if (manrs_view_caseeq(name, metric_names[i]))
			return i;
	return -1;
}

const char *
manrs_readiness_name(enum manrs_readiness r)
{
	switch (r) {
	case MANRS_READY_READY:		return "ready";
	case MANRS_READY_ASPIRING:	return "aspiring";
	case MANRS_READY_LAGGING:	return "lagging";
	default:			return "no data";
	}
}

const char *
manrs_action_name(enum manrs_action a)
{
	switch (a) {
	case MANRS_ACTION_FILTERING:	return "Filtering";
	case MANRS_ACTION_ANTISPOOFING:	return "Anti-spoofing";
	case MANRS_ACTION_COORDINATION:	return "Coordination";
	case MANRS_ACTION_VALIDATION:	return "Global validation";
	}
	return "?";
}

double
audit_incident_weight(int64_t seconds)
{
	if (seconds < 30 * 60)
		return 0.5;
	if (seconds < 86400)
		return 1.0;
	/* 1 for the first day, plus 1 per further (started) day. */
	return 1.0 + (double)((seconds - 1) / 86400);
}

/* A pair's IRR state, for evidence and fixes. */
enum {
	IRR_NOT_LOADED = -2,
	IRR_NONE = -1,		/* no route object covers the prefix */
	IRR_OTHER = 0,		/* only route objects with other origins */
	IRR_COVERED = 1,	/* a covering one with this origin */
	IRR_MATCH = 2,		/* the exact one with this origin */
};

static unsigned
popcount64(uint64_t v)
{
	return (unsigned)__builtin_popcountll(v);
}

/* The MRT file with index + 1 idx, and its first record time. */
static void
ev_file(const struct manrs_audit *a, uint16_t idx,
    struct manrs_audit_evidence *ev)
{
	if (idx == 0 || idx > a->nfiles)
		return;
	ev->file = a->files[idx - 1].path;
	ev->file_time = a->files[idx - 1].first;
}

static const char *
base_name(const char *path)
{
	const char *s = path != NULL ? strrchr(path, '/') : NULL;

	return s != NULL ? s + 1 : path != NULL ? path : "";
}

/*
 * The relationship line behind a leak: what "to" is to the leaker, as
 * the CAIDA serial-1 line "provider|customer|-1" or "peer|peer|0", or
 * where the relationship came from ASPA.
 */
static void
relationship(const struct manrs_audit *a, uint32_t leaker, uint32_t to,
    char *buf, size_t size)
{
	enum manrs_asrel r = a->asrel != NULL ?
	    manrs_asgraph_rel(a->asrel, leaker, to) : MANRS_ASREL_NONE;

	if (r == MANRS_ASREL_PROVIDER)
		snprintf(buf, size, "AS%u is its provider (as-rel line "
		    "%u|%u|-1)", to, to, leaker);
	else if (r == MANRS_ASREL_PEER)
		snprintf(buf, size, "AS%u is its peer (as-rel line %u|%u|0)",
		    to, leaker < to ? leaker : to, leaker < to ? to : leaker);
	else if (r == MANRS_ASREL_CUSTOMER)
		snprintf(buf, size, "AS%u is its customer (as-rel line "
		    "%u|%u|-1)", to, leaker, to);
	else if (r == MANRS_ASREL_SIBLING)
		snprintf(buf, size, "AS%u is its sibling (as-rel line "
		    "%u|%u|1)", to, leaker < to ? leaker : to,
		    leaker < to ? to : leaker);
	else
		snprintf(buf, size, "no AS relationship known: by ASPA, "
		    "AS%u attests AS%u as a provider", leaker, to);
}

/* The text of an evidence item, cut to fit (a path or a list may be long). */
static void
ev_printf(struct manrs_audit_evidence *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ev_printf(struct manrs_audit_evidence *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

static void	route_object(struct builder *, const struct pair *,
		    struct manrs_audit_evidence *, char *, size_t);
static void	roa_text(struct builder *, const struct pair *,
		    struct manrs_audit_evidence *, char *, size_t);

/*
 * Why a route was a hijack (audit_classify.c): RPKI Invalid by a ROA, or
 * RPKI silent and only route objects of other origins cover it.
 */
static void
hijack_grounds(struct builder *b, const struct incident *x,
    struct manrs_audit_evidence *ev, char *buf, size_t size)
{
	struct pair pr;
	char rpki[200], ro[200];

	memset(&pr, 0, sizeof(pr));
	pr.prefix = x->prefix;
	pr.origin = x->origin;
	snprintf(rpki, sizeof(rpki), "not loaded");
	snprintf(ro, sizeof(ro), "not loaded");
	if (b->a->vrps != NULL)
		roa_text(b, &pr, ev, rpki, sizeof(rpki));
	if (b->a->irr != NULL)
		route_object(b, &pr, ev, ro, sizeof(ro));
	snprintf(buf, size, "RPKI %s; IRR %s", rpki, ro);
}

static void
incident_evidence(struct builder *b, unsigned metric,
    const struct incident *x, double w)
{
	struct manrs_audit_evidence *ev;
	char pfx[MANRS_PREFIX_STRLEN], rel[420], seen[160];

	if ((ev = audit_add_ev(b, (enum manrs_metric)metric,
	    MANRS_EV_INCIDENT)) == NULL)
		return;
	ev->prefix = x->prefix;
	ev->origin = x->origin;
	ev->other_as = x->other;
	ev->start = x->start;
	ev->end = x->end;
	ev->weight = w;
	ev->events = x->events;
	ev_file(b->a, x->file, ev);
	manrs_prefix_print(&x->prefix, pfx, sizeof(pfx));
	seen[0] = '\0';
	if (ev->file != NULL)
		snprintf(seen, sizeof(seen), "; first seen in %s",
		    base_name(ev->file));
	switch (metric) {
	case MANRS_M1:
		relationship(b->a, b->r->asn, x->other, rel, sizeof(rel));
		ev_printf(ev, "route leak: %s "
		    "(origin AS%u) passed on to AS%u, learned from a provider "
		    "or peer (RFC 7908 type 1); %s%s", pfx, x->origin,
		    x->other, rel, seen);
		break;
	case MANRS_M2:
		hijack_grounds(b, x, ev, rel, sizeof(rel));
		ev_printf(ev, "%s originated by AS%u "
		    "without authorisation: %s%s", pfx, x->origin, rel, seen);
		break;
	case MANRS_M3:
		ev_printf(ev, "bogon prefix %s "
		    "originated (IANA special-purpose, not globally "
		    "reachable)%s", pfx, seen);
		break;
	case MANRS_M4:
		ev_printf(ev, "bogon AS%u in the path "
		    "of %s, passed on%s", x->other, pfx, seen);
		break;
	default:
		ev_printf(ev, "propagated a direct "
		    "customer's %s incident: %s (origin AS%u)%s",
		    manrs_metric_name((enum manrs_metric)(metric - 1)), pfx,
		    x->origin, seen);
		break;
	}
}

static void
filtering(struct builder *b)
{
	const struct manrs_audit *a = b->a;
	unsigned metric;
	size_t i;

	for (metric = MANRS_M1; metric <= MANRS_M4C; metric++) {
		struct manrs_audit_metric *m = &b->r->m[metric];
		uint64_t k = (uint64_t)b->r->asn << 8 | metric;
		const struct inclist *l;
		int64_t li;

		if (a->st.routes == 0 || !b->r->seen) {
			m->missing = a->st.routes == 0 ? MISS_BGP :
			    MISS_NOTSEEN;
			continue;
		}
		m->has_value = true;
		if ((li = htab_find(&a->inc_idx, &k)) >= 0) {
			l = &a->incs[li];
			for (i = 0; i < l->n; i++) {
				const struct incident *x = &l->v[i];
				double w;

				if (popcount64(x->peers) < a->cfg.min_peers)
					continue;
				w = audit_incident_weight(x->end - x->start);
				m->raw += w;
				m->total++;
				m->events += x->events;
				incident_evidence(b, metric, x, w);
			}
		}
		m->score = fmax(0.0, 100.0 - a->cfg.incident_penalty * m->raw);
	}
}

static double
m5_score(const struct manrs_audit *a, double raw)
{
	return 100.0 * exp(-a->cfg.m5_k * sqrt(raw));
}

static void
antispoofing(struct builder *b)
{
	const struct manrs_audit *a = b->a;
	struct manrs_audit_metric *m5 = &b->r->m[MANRS_M5];
	struct manrs_audit_metric *m5c = &b->r->m[MANRS_M5C];
	struct manrs_spoof_summary s;
	const struct manrs_spoof_test *t;
	const uint32_t *cust;
	size_t i, n;

	if (a->spoof == NULL) {
		m5->missing = m5c->missing = MISS_SPOOFER;
		return;
	}
	m5->missing = MISS_SPOOF_AS;
	m5c->missing = a->asrel == NULL ? MISS_ASREL : MISS_SPOOF_CUST;
	if (manrs_spoofer_summary(a->spoof, b->r->asn, INT64_MIN, INT64_MAX,
	    &s)) {
		m5->missing = NULL;
		m5->has_value = true;
		m5->raw = s.leaking;
		m5->total = s.tests;
		m5->score = m5_score(a, m5->raw);
		n = manrs_spoofer_tests(a->spoof, b->r->asn, &t);
		for (i = 0; i < n; i++) {
			struct manrs_audit_evidence *e;
			char pfx[MANRS_PREFIX_STRLEN];

			if (!t[i].spoofed ||
			    (e = audit_add_ev(b, MANRS_M5, MANRS_EV_TEST)) == NULL)
				continue;
			e->prefix = t[i].prefix;
			e->start = e->end = t[i].time;
			manrs_prefix_print(&t[i].prefix, pfx, sizeof(pfx));
			snprintf(e->text, sizeof(e->text), "spoofed packets "
			    "from %s left the network", pfx);
			audit_add_fix(b, MANRS_FIX_SAV,
			    MANRS_ACTION_ANTISPOOFING,
			    "deploy source address validation (BCP 38/84) "
			    "covering %s: see 'manrs sav'", pfx);
		}
	}
	if (a->asrel == NULL)
		return;
	n = manrs_asgraph_neighbours(a->asrel, b->r->asn,
	    MANRS_ASREL_CUSTOMER, &cust);
	for (i = 0; i < n; i++) {
		struct manrs_audit_evidence *e;

		if (!manrs_spoofer_summary(a->spoof, cust[i], INT64_MIN,
		    INT64_MAX, &s))
			continue;
		m5c->has_value = true;
		m5c->total++;
		if (s.leaking == 0)
			continue;
		m5c->raw += 1;
		if ((e = audit_add_ev(b, MANRS_M5C, MANRS_EV_TEST)) != NULL) {
			e->other_as = cust[i];
			snprintf(e->text, sizeof(e->text), "customer AS%u "
			    "lets spoofed packets out from %u prefixes", cust[i],
			    s.leaking);
		}
		audit_add_fix(b, MANRS_FIX_SAV, MANRS_ACTION_ANTISPOOFING,
		    "apply strict uRPF or an ingress prefix filter on the "
		    "session of customer AS%u (see 'manrs sav')", cust[i]);
	}
	if (m5c->has_value) {
		m5c->missing = NULL;
		m5c->score = m5_score(a, m5c->raw);
	}
}

static void
route_fixes(struct builder *b, const struct pair *pr,
    enum manrs_rov_state st, const struct manrs_rov_result *res, int irr)
{
	char pfx[MANRS_PREFIX_STRLEN];
	uint32_t asn = b->r->asn;

	manrs_prefix_print(&pr->prefix, pfx, sizeof(pfx));
	if ((st == MANRS_ROV_NOTFOUND && b->a->vrps != NULL) ||
	    (st == MANRS_ROV_INVALID && res->reason == MANRS_ROV_REASON_ML))
		audit_fix_roa(b, &pr->prefix);
	else if (st == MANRS_ROV_INVALID)
		audit_add_fix(b, MANRS_FIX_WITHDRAW, MANRS_ACTION_FILTERING,
		    "%s is RPKI-invalid for origin AS%u: withdraw it, or if "
		    "the announcement is legitimate ask the holder for a ROA "
		    "(prefix %s maxLength %u origin AS%u)", pfx, asn, pfx,
		    pr->prefix.len, asn);
	if (irr == IRR_NONE || irr == IRR_OTHER ||
	    (irr == IRR_COVERED && !b->a->cfg.irr_covering))
		audit_fix_route(b, &pr->prefix);
}

/*
 * The route objects behind a pair's IRR state: the exact one with its
 * origin, else a covering one with its origin, else one with another
 * origin (the most specific of each kind).
 */
struct ro_pick {
	uint32_t		origin;
	struct manrs_prefix	want;
	int			rank;	/* 3 exact, 2 covering, 1 other */
	struct manrs_irrdb_objinfo best;
	unsigned		others;
};

static int
ro_pick_cb(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct ro_pick *k = arg;
	int rank = o->origin != k->origin ? 1 :
	    o->prefix.len == k->want.len ? 3 : 2;

	if (rank == 1)
		k->others++;
	if (rank > k->rank || (rank == k->rank &&
	    o->prefix.len > k->best.prefix.len)) {
		k->rank = rank;
		k->best = *o;
	}
	return 0;
}

static void
route_object(struct builder *b, const struct pair *pr,
    struct manrs_audit_evidence *e, char *buf, size_t size)
{
	const struct manrs_audit *a = b->a;
	struct manrs_irrdb_sel sel;
	struct ro_pick k;
	const char *src;
	char pfx[MANRS_PREFIX_STRLEN];

	memset(&k, 0, sizeof(k));
	k.origin = pr->origin;
	k.want = pr->prefix;
	audit_irr_sel(a, &sel);
	(void)manrs_irrdb_find_route(a->irr, &pr->prefix, MANRS_IRRDB_LESS,
	    &sel, ro_pick_cb, &k);
	if (k.rank == 0) {
		snprintf(buf, size, "no route object covers it");
		return;
	}
	e->has_route = true;
	e->route_prefix = k.best.prefix;
	e->route_origin = k.best.origin;
	src = manrs_irrdb_source_name(a->irr, k.best.source);
	(void)strlcpy(e->route_source, src != NULL ? src : "?",
	    sizeof(e->route_source));
	manrs_prefix_print(&k.best.prefix, pfx, sizeof(pfx));
	snprintf(buf, size, "%s %s %s AS%u (source %s)%s",
	    k.rank == 3 ? "exact object" : k.rank == 2 ?
	    "no exact route object; covered by" :
	    "route objects with other origins only, e.g.",
	    k.best.prefix.af == MANRS_AF_INET ? "route" : "route6", pfx,
	    k.best.origin, e->route_source, k.rank == 2 ?
	    (a->cfg.irr_covering ? ", same origin: counts (irr_covering)" :
	    ", same origin: counts only with irr_covering = yes") : "");
}

/* The ROA behind a pair's RPKI state. */
static void
roa_text(struct builder *b, const struct pair *pr,
    struct manrs_audit_evidence *e, char *buf, size_t size)
{
	struct manrs_rov_result res;
	char pfx[MANRS_PREFIX_STRLEN];

	memset(&res, 0, sizeof(res));
	(void)manrs_rov_validate(b->a->vrps, &pr->prefix, pr->origin, false,
	    &res);
	if (res.state == MANRS_ROV_NOTFOUND) {
		snprintf(buf, size, "not-found: no ROA covers it");
		return;
	}
	e->has_roa = true;
	e->roa_prefix = res.vrp.prefix;
	e->roa_max_length = res.vrp.maxlen;
	e->roa_asn = res.vrp.asn;
	manrs_prefix_print(&res.vrp.prefix, pfx, sizeof(pfx));
	snprintf(buf, size, "%s%s%s by ROA %s maxLength %u AS%u%s",
	    manrs_rov_state_name(res.state),
	    res.state == MANRS_ROV_INVALID ? " " : "",
	    res.state == MANRS_ROV_INVALID ?
	    manrs_rov_reason_name(res.reason) : "", pfx, res.vrp.maxlen,
	    res.vrp.asn, res.covering > 1 ? " (and other covering ROAs)" : "");
}

static void
route_evidence(struct builder *b, const struct pair *pr,
    enum manrs_rov_state st, int irr)
{
	struct manrs_audit_evidence *e;
	enum manrs_metric m;
	char rpki[200], ro[200], t[32];

	if (st == MANRS_ROV_VALID && (irr == IRR_MATCH ||
	    (irr == IRR_COVERED && b->a->cfg.irr_covering)))
		return;
	m = st == MANRS_ROV_INVALID ? MANRS_M7RPKI :
	    st == MANRS_ROV_NOTFOUND && b->a->vrps != NULL ? MANRS_M7RPKIN :
	    MANRS_M7IRR;
	if ((e = audit_add_ev(b, m, MANRS_EV_ROUTE)) == NULL)
		return;
	e->prefix = pr->prefix;
	e->origin = pr->origin;
	e->start = pr->first;
	e->end = pr->last;
	ev_file(b->a, pr->file, e);
	if (b->a->vrps != NULL)
		roa_text(b, pr, e, rpki, sizeof(rpki));
	else
		snprintf(rpki, sizeof(rpki), "not loaded");
	if (b->a->irr != NULL)
		route_object(b, pr, e, ro, sizeof(ro));
	else
		snprintf(ro, sizeof(ro), "not loaded");
	manrs_time_iso(pr->first, t, sizeof(t));
	snprintf(e->text, sizeof(e->text), "RPKI %s; IRR %s; first seen %s%s%s",
	    rpki, ro, t, e->file != NULL ? " in " : "",
	    e->file != NULL ? base_name(e->file) : "");
}

/*
 * Administrative bogons (RIR delegated stats): evidence, not scored.  No
 * advice from delegated stats older than the route by more than
 * max_skew: the space may have been allocated since.
 */
static void
unallocated(struct builder *b, const struct pair *pr)
{
	const struct manrs_audit *a = b->a;
	struct manrs_audit_evidence *e;
	const char *reg = NULL;
	char pfx[MANRS_PREFIX_STRLEN], t1[32], t2[32];
	bool stale;

	if (a->deleg == NULL ||
	    !manrs_bogon_delegated_prefix(a->deleg, &pr->prefix, &reg) ||
	    (e = audit_add_ev(b, MANRS_M3, MANRS_EV_ROUTE)) == NULL)
		return;
	e->prefix = pr->prefix;
	e->origin = pr->origin;
	e->start = pr->first;
	e->end = pr->last;
	ev_file(a, pr->file, e);
	manrs_prefix_print(&pr->prefix, pfx, sizeof(pfx));
	stale = a->deleg_time > 0 && a->cfg.max_skew > 0 &&
	    pr->first > a->deleg_time + a->cfg.max_skew;
	if (stale) {
		manrs_time_iso(a->deleg_time, t1, sizeof(t1));
		manrs_time_iso(pr->first, t2, sizeof(t2));
		snprintf(e->text, sizeof(e->text), "%s is unallocated space "
		    "of %s in the delegated stats of %s, but the route is "
		    "from %s: the stats are older than the route, so no "
		    "advice (the space may have been allocated since)", pfx,
		    reg != NULL ? reg : "an RIR", t1, t2);
		return;
	}
	snprintf(e->text, sizeof(e->text), "%s is unallocated space of %s "
	    "(an administrative bogon: reported, not scored, as MANRS scores "
	    "special-purpose bogons only)", pfx, reg != NULL ? reg : "an RIR");
	audit_add_fix(b, MANRS_FIX_WITHDRAW, MANRS_ACTION_FILTERING,
	    "stop announcing %s (unallocated %s space)", pfx,
	    reg != NULL ? reg : "RIR");
}

static void
validation(struct builder *b)
{
	const struct manrs_audit *a = b->a;
	struct manrs_audit_metric *irr = &b->r->m[MANRS_M7IRR];
	struct manrs_audit_metric *rpki = &b->r->m[MANRS_M7RPKI];
	struct manrs_audit_metric *rpkin = &b->r->m[MANRS_M7RPKIN];
	size_t i;
	uint32_t total = 0;

	for (i = audit_pairs_of(a, b->r->asn); i < a->npairs &&
	    a->pairs[a->pair_by_origin[i]].origin == b->r->asn; i++) {
		const struct pair *pr = &a->pairs[a->pair_by_origin[i]];
		struct manrs_rov_result res;
		enum manrs_rov_state st = MANRS_ROV_NOTFOUND;
		int v = IRR_NOT_LOADED;

		if (popcount64(pr->peers) < a->cfg.min_peers)
			continue;
		total++;
		if (pr->prefix.af == MANRS_AF_INET)
			b->r->announced4++;
		else
			b->r->announced6++;
		/* RPKI and IRR state were kept when the pair was first seen. */
		memset(&res, 0, sizeof(res));
		if (a->vrps != NULL) {
			st = (enum manrs_rov_state)pr->rov;
			res.state = st;
			res.reason = (enum manrs_rov_reason)pr->rov_reason;
			if (st == MANRS_ROV_VALID)
				rpki->valid++;
			else if (st == MANRS_ROV_INVALID)
				rpki->invalid++;
			else
				rpki->not_found++;
		}
		if (a->irr != NULL) {
			v = pr->irr & AUDIT_IRR_EXACT ? IRR_MATCH :
			    pr->irr & AUDIT_IRR_COVER ? IRR_COVERED :
			    pr->irr & AUDIT_IRR_ANY ? IRR_OTHER : IRR_NONE;
			if (v == IRR_MATCH || (v == IRR_COVERED &&
			    a->cfg.irr_covering))
				irr->matched++;
		}
		route_evidence(b, pr, st, v);
		route_fixes(b, pr, st, &res, v);
		unallocated(b, pr);
	}
	audit_fix_roas_flush(b);
	if (total == 0) {
		irr->missing = rpki->missing = rpkin->missing =
		    a->st.routes == 0 ? MISS_BGP : !b->r->seen ? MISS_NOTSEEN :
		    MISS_NOPFX;
		if (a->irr == NULL || a->irr_routes == 0)
			irr->missing = a->irr == NULL ? MISS_IRR : MISS_ROUTES;
		if (a->vrps == NULL)
			rpki->missing = rpkin->missing = a->vrps_empty ?
			    MISS_VRPS_EXPIRED : MISS_VRPS;
		return;
	}
	if (a->irr == NULL || a->irr_routes == 0)
		irr->missing = a->irr == NULL ? MISS_IRR : MISS_ROUTES;
	else {
		irr->has_value = true;
		irr->total = total;
		irr->raw = (double)irr->matched / total;
		irr->score = 100.0 * irr->raw;
	}
	if (a->vrps == NULL) {
		rpki->missing = rpkin->missing = a->vrps_empty ?
		    MISS_VRPS_EXPIRED : MISS_VRPS;
		return;
	}
	rpki->has_value = rpkin->has_value = true;
	rpki->total = rpkin->total = total;
	rpkin->valid = rpki->valid;
	rpkin->invalid = rpki->invalid;
	rpkin->not_found = rpki->not_found;
	rpki->raw = ((double)rpki->valid -
	    a->cfg.rpki_invalid_factor * rpki->invalid) / total;
	rpki->score = fmax(0.0, 100.0 * rpki->raw);
	rpkin->raw = (double)rpki->not_found / total;
	rpkin->score = 100.0 * (1.0 - rpkin->raw);
}

static void
withdraw_fixes(struct builder *b)
{
	size_t i;
	char pfx[MANRS_PREFIX_STRLEN];

	for (i = 0; i < b->r->nev; i++) {
		const struct manrs_audit_evidence *e = &b->r->ev[i];

		if (e->kind != MANRS_EV_INCIDENT)
			continue;
		manrs_prefix_print(&e->prefix, pfx, sizeof(pfx));
		switch (e->metric) {
		case MANRS_M1:
			audit_add_fix(b, MANRS_FIX_FILTER,
			    MANRS_ACTION_FILTERING,
			    "export only your own and your customers' routes "
			    "to AS%u (leaked %s): apply an export filter",
			    e->other_as, pfx);
			break;
		case MANRS_M2:
		case MANRS_M3:
			audit_add_fix(b, MANRS_FIX_WITHDRAW,
			    MANRS_ACTION_FILTERING,
			    "stop announcing %s (origin AS%u)", pfx, e->origin);
			break;
		case MANRS_M4:
			audit_add_fix(b, MANRS_FIX_FILTER,
			    MANRS_ACTION_FILTERING,
			    "strip or reject bogon AS%u in paths you announce "
			    "(seen with %s)", e->other_as, pfx);
			break;
		case MANRS_M1C:
		case MANRS_M2C:
		case MANRS_M3C:
		case MANRS_M4C:
			audit_add_fix(b, MANRS_FIX_FILTER,
			    MANRS_ACTION_FILTERING,
			    "filter your customer's announcements (%s, origin "
			    "AS%u) with IRR/RPKI-based prefix lists: see "
			    "'manrs filter'", pfx, e->origin);
			break;
		default:
			break;
		}
	}
}

static void
set_action(struct builder *b, enum manrs_action act, const unsigned *ms,
    size_t n, bool mean)
{
	struct manrs_audit_action *ac = &b->r->action[act];
	double acc = mean ? 0.0 : 100.0;
	unsigned used = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct manrs_audit_metric *m = &b->r->m[ms[i]];

		if (!m->has_value) {
			if (b->r->action_missing[act] == NULL)
				b->r->action_missing[act] = m->missing;
			continue;
		}
		acc = mean ? acc + m->score : fmin(acc, m->score);
		used++;
	}
	if (used == 0)
		return;
	b->r->action_missing[act] = NULL;
	ac->has_score = true;
	ac->score = mean ? acc / used : acc;
	ac->readiness = ac->score >= b->a->cfg.ready ? MANRS_READY_READY :
	    ac->score >= b->a->cfg.aspiring ? MANRS_READY_ASPIRING :
	    MANRS_READY_LAGGING;
}

static void
actions(struct builder *b)
{
	static const unsigned filt[] = { MANRS_M1, MANRS_M1C, MANRS_M2,
	    MANRS_M2C, MANRS_M3, MANRS_M3C, MANRS_M4, MANRS_M4C };
	static const unsigned spoof[] = { MANRS_M5, MANRS_M5C };
	static const unsigned coord[] = { MANRS_M8 };
	static const unsigned valid[] = { MANRS_M6, MANRS_M7IRR,
	    MANRS_M7RPKI };

	set_action(b, MANRS_ACTION_FILTERING, filt, 8, false);
	set_action(b, MANRS_ACTION_ANTISPOOFING, spoof, 2, false);
	set_action(b, MANRS_ACTION_COORDINATION, coord, 1, false);
	set_action(b, MANRS_ACTION_VALIDATION, valid, 3, true);
	/* Not seen in the BGP data: no routing verdict, whatever the
	 * aut-num says (M6 keeps its value, the action has none). */
	if (!b->r->seen) {
		memset(&b->r->action[MANRS_ACTION_VALIDATION], 0,
		    sizeof(b->r->action[0]));
		b->r->action_missing[MANRS_ACTION_VALIDATION] =
		    b->a->st.routes == 0 ? MISS_BGP : MISS_NOTSEEN;
	}
}

/* Name (PeeringDB, else as-name), RIR and country (delegated stats). */
static void
who(struct builder *b, const struct autnum_scan *s)
{
	const struct manrs_pdb_net *net;
	const char *reg, *cc;

	if (b->r->name == NULL && b->a->pdb != NULL &&
	    (net = manrs_peeringdb_net(b->a->pdb, b->r->asn)) != NULL &&
	    net->name != NULL && net->name[0] != '\0')
		b->r->name = net->name;
	if (b->r->name == NULL && s->found && s->name[0] != '\0') {
		strlcpy(b->r->as_name, s->name, sizeof(b->r->as_name));
		b->r->name = b->r->as_name;
	}
	if (audit_asn_holder_find(b->a, b->r->asn, &reg, &cc)) {
		b->r->rir = reg;
		if (cc != NULL) {
			strlcpy(b->r->cc, cc, sizeof(b->r->cc));
			b->r->country = b->r->cc;
		}
	}
}

void
manrs_audit_report_free(struct manrs_audit_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfix; i++) {
		free(r->fix[i].text);
		free(r->fix[i].roas);
	}
	free(r->fix);
	free(r->ev);
	free(r);
}

int
manrs_audit_as(const struct manrs_audit *a, uint32_t asn, unsigned flags,
    struct manrs_audit_report **out)
{
	struct builder b;
	struct autnum_scan s;

	*out = NULL;
	if (!a->finished)
		return MANRS_E_INVAL;
	memset(&b, 0, sizeof(b));
	b.a = a;
	b.flags = flags;
	if ((b.r = calloc(1, sizeof(*b.r))) == NULL)
		return MANRS_E_NOMEM;
	b.r->asn = asn;
	b.r->period_start = a->start;
	b.r->period_end = a->end;
	b.r->seen = manrs_audit_seen(a, asn);
	b.s = &s;
	filtering(&b);
	antispoofing(&b);
	audit_find_autnum(a, asn, &s);
	if (b.r->seen || s.found || (a->pdb != NULL &&
	    manrs_peeringdb_net(a->pdb, asn) != NULL)) {
		audit_policy(&b, &s);
		audit_contacts(&b, &s);
	} else {
		/* Seen in no input: nothing to judge, nothing to fix. */
		b.r->m[MANRS_M6].missing = b.r->m[MANRS_M8].missing =
		    MISS_NOWHERE;
	}
	who(&b, &s);
	validation(&b);
	withdraw_fixes(&b);
	actions(&b);
	free(b.roas);
	if (b.err != 0) {
		manrs_audit_report_free(b.r);
		return b.err;
	}
	*out = b.r;
	return 0;
}
