/*
 * audit_report.c - one AS's MANRS metrics, evidence and fixes from a
 * finished audit context.
 *
 * Filtering (M1..M4C): the AS's events, merged per metric into
 * incidents where they overlap in time, weighted by duration.
 * Anti-spoofing (M5, M5C): spoofing tests of the AS and its customers.
 * Coordination (M8): contacts in the IRR and PeeringDB.
 * Global validation (M6, M7IRR, M7RPKI, M7RPKIN): the aut-num's policy
 * and the announced prefix/origin pairs against IRR and RPKI.
 * Every threshold comes from struct manrs_audit_config.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/asgraph.h>
#include <manrs/bogon.h>
#include <manrs/irrdb.h>
#include <manrs/peeringdb.h>
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

/* Building a report: growable evidence and fixes. */
struct builder {
	const struct manrs_audit	*a;
	struct manrs_audit_report	*r;
	size_t				 capev;
	size_t				 capfix;
	unsigned			 flags;
	unsigned			 per_metric[MANRS_METRIC_COUNT];
	int				 err;
};

static struct manrs_audit_evidence *
add_ev(struct builder *b, enum manrs_metric m, enum manrs_evidence_kind k)
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

static void
add_fix(struct builder *b, enum manrs_fix_kind k, enum manrs_action act,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add_fix(struct builder *b, enum manrs_fix_kind k, enum manrs_action act,
    const char *fmt, ...)
{
	struct manrs_audit_fix *f;
	struct manrs_buf t;
	va_list ap;
	size_t i;

	if (!(b->flags & MANRS_AUDIT_FIXES) || b->err != 0)
		return;
	manrs_buf_init(&t, 0);
	va_start(ap, fmt);
	manrs_buf_vprintf(&t, fmt, ap);
	va_end(ap);
	if (manrs_buf_put_u8(&t, 0) != 0) {
		b->err = t.err;
		manrs_buf_clear(&t);
		return;
	}
	for (i = 0; i < b->r->nfix; i++)	/* no duplicates */
		if (strcmp(b->r->fix[i].text, (char *)t.p) == 0) {
			manrs_buf_clear(&t);
			return;
		}
	if (manrs_grow((void **)&b->r->fix, &b->capfix, b->r->nfix,
	    sizeof(*b->r->fix)) != 0) {
		manrs_buf_clear(&t);
		b->err = MANRS_E_NOMEM;
		return;
	}
	f = &b->r->fix[b->r->nfix++];
	f->kind = k;
	f->action = act;
	f->text = (char *)t.p;	/* ownership moves to the report */
}

static unsigned
popcount64(uint64_t v)
{
	return (unsigned)__builtin_popcountll(v);
}

static void
incident_evidence(struct builder *b, unsigned metric,
    const struct incident *x, double w)
{
	struct manrs_audit_evidence *ev;
	char pfx[MANRS_PREFIX_STRLEN];

	if ((ev = add_ev(b, (enum manrs_metric)metric, MANRS_EV_INCIDENT)) ==
	    NULL)
		return;
	ev->prefix = x->prefix;
	ev->origin = x->origin;
	ev->other_as = x->other;
	ev->start = x->start;
	ev->end = x->end;
	ev->weight = w;
	ev->events = x->events;
	manrs_prefix_print(&x->prefix, pfx, sizeof(pfx));
	switch (metric) {
	case MANRS_M1:
		snprintf(ev->text, sizeof(ev->text), "route leak: %s "
		    "(origin AS%u) passed on to AS%u, learned from a provider "
		    "or peer (RFC 7908 type 1)", pfx, x->origin, x->other);
		break;
	case MANRS_M2:
		snprintf(ev->text, sizeof(ev->text), "%s originated without "
		    "authorisation (RPKI Invalid, or no matching route object)",
		    pfx);
		break;
	case MANRS_M3:
		snprintf(ev->text, sizeof(ev->text), "bogon prefix %s "
		    "originated (IANA special-purpose, not globally reachable)",
		    pfx);
		break;
	case MANRS_M4:
		snprintf(ev->text, sizeof(ev->text), "bogon AS%u in the path "
		    "of %s, passed on", x->other, pfx);
		break;
	default:
		snprintf(ev->text, sizeof(ev->text), "propagated a direct "
		    "customer's %s incident: %s (origin AS%u)",
		    manrs_metric_name((enum manrs_metric)(metric - 1)), pfx,
		    x->origin);
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

		m->has_value = a->st.routes > 0;
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

	if (a->spoof == NULL)
		return;
	if (manrs_spoofer_summary(a->spoof, b->r->asn, INT64_MIN, INT64_MAX,
	    &s)) {
		m5->has_value = true;
		m5->raw = s.leaking;
		m5->total = s.tests;
		m5->score = m5_score(a, m5->raw);
		n = manrs_spoofer_tests(a->spoof, b->r->asn, &t);
		for (i = 0; i < n; i++) {
			struct manrs_audit_evidence *e;
			char pfx[MANRS_PREFIX_STRLEN];

			if (!t[i].spoofed ||
			    (e = add_ev(b, MANRS_M5, MANRS_EV_TEST)) == NULL)
				continue;
			e->prefix = t[i].prefix;
			e->start = e->end = t[i].time;
			manrs_prefix_print(&t[i].prefix, pfx, sizeof(pfx));
			snprintf(e->text, sizeof(e->text), "spoofed packets "
			    "from %s left the network", pfx);
			add_fix(b, MANRS_FIX_SAV, MANRS_ACTION_ANTISPOOFING,
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
		if ((e = add_ev(b, MANRS_M5C, MANRS_EV_TEST)) != NULL) {
			e->other_as = cust[i];
			snprintf(e->text, sizeof(e->text), "customer AS%u "
			    "lets spoofed packets out from %u prefixes", cust[i],
			    s.leaking);
		}
		add_fix(b, MANRS_FIX_SAV, MANRS_ACTION_ANTISPOOFING,
		    "apply strict uRPF or an ingress prefix filter on the "
		    "session of customer AS%u (see 'manrs sav')", cust[i]);
	}
	if (m5c->has_value)
		m5c->score = m5_score(a, m5c->raw);
}

/* The aut-num of asn, parsed; calls fn with the object. */
struct autnum_scan {
	unsigned	imports;
	unsigned	exports;
	unsigned	admin;		/* admin-c / tech-c handles */
	unsigned	abuse;		/* abuse-c or abuse-mailbox */
	unsigned	resolved;	/* handles found with an e-mail */
	unsigned	unresolved;
	bool		found;
	char		name[64];
	char		handles[8][64];
	unsigned	nhandles;
};

static int
scan_autnum_text(struct manrs_view text, struct autnum_scan *s)
{
	const struct manrs_rpsl_obj *obj;
	struct manrs_rpsl_reader *rd;
	struct manrs_input *in;
	size_t i;
	int err;

	if ((in = manrs_input_mem(text.p, text.len, "aut-num", &err)) == NULL)
		return err;
	if ((rd = manrs_rpsl_reader_new(in, NULL, &err)) == NULL) {
		manrs_input_close(in);
		return err;
	}
	if (manrs_rpsl_reader_next(rd, &obj) == 1) {
		s->found = true;
		for (i = 0; i < obj->nattrs; i++) {
			const struct manrs_rpsl_attr *at = &obj->attrs[i];

			if (manrs_view_caseeq(at->name, "import") ||
			    manrs_view_caseeq(at->name, "mp-import"))
				s->imports++;
			else if (manrs_view_caseeq(at->name, "export") ||
			    manrs_view_caseeq(at->name, "mp-export"))
				s->exports++;
			else if (manrs_view_caseeq(at->name, "abuse-c") ||
			    manrs_view_caseeq(at->name, "abuse-mailbox"))
				s->abuse++;
			else if (manrs_view_caseeq(at->name, "as-name"))
				(void)manrs_view_copy(at->value, s->name,
				    sizeof(s->name));
			else if ((manrs_view_caseeq(at->name, "admin-c") ||
			    manrs_view_caseeq(at->name, "tech-c"))) {
				s->admin++;
				if (s->nhandles < 8 && manrs_view_copy(
				    at->value, s->handles[s->nhandles],
				    sizeof(s->handles[0])) == 0)
					s->nhandles++;
			}
		}
	}
	manrs_rpsl_reader_free(rd);
	manrs_input_close(in);
	return 0;
}

static int
autnum_cb(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct autnum_scan *s = arg;

	(void)scan_autnum_text(o->text, s);
	return 1;	/* the first (highest priority source) only */
}

static int
has_email_cb(const struct manrs_irrdb_objinfo *o, void *arg)
{
	bool *ok = arg;
	struct manrs_view t = o->text, line;

	while (t.len > 0) {
		manrs_view_split(t, '\n', &line, &t);
		if (manrs_view_case_starts_with(line, "e-mail:") ||
		    manrs_view_case_starts_with(line, "abuse-mailbox:"))
			*ok = true;
	}
	return 1;
}

static void
resolve_handles(const struct manrs_audit *a, struct autnum_scan *s)
{
	struct manrs_irrdb_sel sel;
	unsigned i;

	manrs_irrdb_sel_all(a->irr, &sel);
	for (i = 0; i < s->nhandles; i++) {
		struct manrs_view h = manrs_view_cstr(s->handles[i]);
		bool ok = false;

		(void)manrs_irrdb_find_key(a->irr, MANRS_RPSL_PERSON, h, &sel,
		    has_email_cb, &ok);
		if (!ok)
			(void)manrs_irrdb_find_key(a->irr, MANRS_RPSL_ROLE, h,
			    &sel, has_email_cb, &ok);
		if (ok)
			s->resolved++;
		else
			s->unresolved++;
	}
}

static void
find_autnum(const struct manrs_audit *a, uint32_t asn, struct autnum_scan *s)
{
	struct manrs_irrdb_sel sel;
	char key[16];

	memset(s, 0, sizeof(*s));
	if (a->irr == NULL)
		return;
	snprintf(key, sizeof(key), "AS%u", asn);
	manrs_irrdb_sel_all(a->irr, &sel);
	(void)manrs_irrdb_find_key(a->irr, MANRS_RPSL_AUT_NUM,
	    manrs_view_cstr(key), &sel, autnum_cb, s);
	resolve_handles(a, s);
}

/* Neighbours listed per relation in a skeleton; the rest are counted. */
#define SKELETON_NEIGHBOURS	64

static void
skeleton_lines(struct manrs_buf *t, const uint32_t *v, size_t n,
    uint32_t asn, enum manrs_asrel rel, bool has_customers)
{
	size_t i;

	for (i = 0; i < n && i < SKELETON_NEIGHBOURS; i++) {
		manrs_buf_printf(t, "import:         from AS%u accept ", v[i]);
		if (rel == MANRS_ASREL_PROVIDER)
			manrs_buf_puts(t, "ANY\n");
		else
			manrs_buf_printf(t, "AS%u\n", v[i]);
		manrs_buf_printf(t, "export:         to AS%u announce ", v[i]);
		if (rel == MANRS_ASREL_CUSTOMER)
			manrs_buf_puts(t, "ANY\n");
		else
			manrs_buf_printf(t, "AS%u%s\n", asn, has_customers ?
			    ":AS-CUSTOMERS" : "");
	}
	if (n > SKELETON_NEIGHBOURS)
		manrs_buf_printf(t, "remarks:        and %zu more %s, "
		    "likewise\n", n - SKELETON_NEIGHBOURS,
		    rel == MANRS_ASREL_PROVIDER ? "providers" :
		    rel == MANRS_ASREL_PEER ? "peers" : "customers");
}

static void
autnum_skeleton(struct builder *b)
{
	static const enum manrs_asrel rels[] = { MANRS_ASREL_PROVIDER,
	    MANRS_ASREL_PEER, MANRS_ASREL_CUSTOMER };
	const struct manrs_audit *a = b->a;
	const uint32_t *v;
	struct manrs_buf t;
	uint32_t asn = b->r->asn;
	bool cust;
	size_t i, n;

	manrs_buf_init(&t, 0);
	manrs_buf_printf(&t, "aut-num:        AS%u\n"
	    "as-name:        CHANGE-ME\n", asn);
	if (a->asrel != NULL) {
		cust = manrs_asgraph_neighbours(a->asrel, asn,
		    MANRS_ASREL_CUSTOMER, &v) > 0;
		for (i = 0; i < 3; i++) {
			n = manrs_asgraph_neighbours(a->asrel, asn, rels[i], &v);
			skeleton_lines(&t, v, n, asn, rels[i], cust);
		}
	}
	manrs_buf_printf(&t, "admin-c:        CHANGE-ME\n"
	    "tech-c:         CHANGE-ME\nmnt-by:         CHANGE-ME\n"
	    "source:         CHANGE-ME");
	if (manrs_buf_put_u8(&t, 0) == 0)
		add_fix(b, MANRS_FIX_AUTNUM, MANRS_ACTION_VALIDATION, "%s",
		    (char *)t.p);
	else
		b->err = t.err;
	manrs_buf_clear(&t);
}

static void
policy(struct builder *b, const struct autnum_scan *s)
{
	struct manrs_audit_metric *m6 = &b->r->m[MANRS_M6];
	struct manrs_audit_evidence *e;

	if (b->a->irr == NULL)
		return;
	m6->has_value = true;
	m6->raw = (s->imports > 0 ? 0.5 : 0) + (s->exports > 0 ? 0.5 : 0);
	m6->score = 100.0 * m6->raw;
	m6->total = s->imports + s->exports;
	if ((e = add_ev(b, MANRS_M6, MANRS_EV_OBJECT)) != NULL)
		snprintf(e->text, sizeof(e->text), !s->found ?
		    "no aut-num object for AS%u in the loaded IRR" :
		    "aut-num AS%u: %u import and %u export lines", b->r->asn,
		    s->imports, s->exports);
	if (m6->raw < 1.0)
		autnum_skeleton(b);
}

static void
contacts(struct builder *b, const struct autnum_scan *s)
{
	const struct manrs_audit *a = b->a;
	struct manrs_audit_metric *m8 = &b->r->m[MANRS_M8];
	const struct manrs_pdb_net *net;
	const struct manrs_pdb_poc *poc;
	struct manrs_audit_evidence *e;
	unsigned points = 0, sources = 0, roles = 0;
	size_t i, n;

	if (a->irr != NULL) {
		sources += 2;
		if (s->admin > 0 && (s->resolved > 0 || s->unresolved > 0) &&
		    s->resolved >= s->unresolved)
			points++;
		if (s->abuse > 0)
			points++;
		if ((e = add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL)
			snprintf(e->text, sizeof(e->text), "IRR: %u admin-c/"
			    "tech-c (%u with e-mail, %u not resolvable), %u "
			    "abuse contacts", s->admin, s->resolved,
			    s->unresolved, s->abuse);
		if (s->admin == 0)
			add_fix(b, MANRS_FIX_CONTACT, MANRS_ACTION_COORDINATION,
			    "add admin-c and tech-c (person or role objects "
			    "with e-mail) to aut-num AS%u", b->r->asn);
		if (s->abuse == 0)
			add_fix(b, MANRS_FIX_CONTACT, MANRS_ACTION_COORDINATION,
			    "add abuse-c (a role object with abuse-mailbox) to "
			    "aut-num AS%u", b->r->asn);
	}
	if (a->pdb != NULL) {
		sources++;
		if ((net = manrs_peeringdb_net(a->pdb, b->r->asn)) != NULL) {
			b->r->name = net->name;
			n = manrs_peeringdb_pocs(a->pdb, net->id, &poc);
			for (i = 0; i < n; i++)
				if (poc[i].email != NULL && poc[i].role != NULL &&
				    (strcmp(poc[i].role, "NOC") == 0 ||
				    strcmp(poc[i].role, "Abuse") == 0 ||
				    strcmp(poc[i].role, "Policy") == 0 ||
				    strcmp(poc[i].role, "Technical") == 0))
					roles++;
			if (roles > 0)
				points++;
		}
		if ((e = add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL)
			snprintf(e->text, sizeof(e->text), net == NULL ?
			    "PeeringDB: no network record for AS%u" :
			    "PeeringDB: network record with %u NOC/abuse/policy"
			    " contacts", net == NULL ? b->r->asn : roles);
		if (net == NULL || roles == 0)
			add_fix(b, MANRS_FIX_CONTACT, MANRS_ACTION_COORDINATION,
			    "%s PeeringDB with NOC, Abuse and Policy contacts "
			    "(e-mail) for AS%u", net == NULL ?
			    "register the network in" : "add to", b->r->asn);
	}
	if (sources == 0)
		return;
	m8->has_value = true;
	m8->total = sources;
	m8->raw = points;
	m8->score = 100.0 * points / sources;
}

static void
route_fixes(struct builder *b, const struct pair *pr,
    enum manrs_rov_state st, const struct manrs_rov_result *res, int irr)
{
	char pfx[MANRS_PREFIX_STRLEN];
	uint32_t asn = b->r->asn;

	manrs_prefix_print(&pr->prefix, pfx, sizeof(pfx));
	if (st == MANRS_ROV_NOTFOUND && b->a->vrps != NULL)
		add_fix(b, MANRS_FIX_ROA, MANRS_ACTION_VALIDATION,
		    "ROA: prefix %s maxLength %u origin AS%u (RFC 9319: "
		    "maxLength equal to the announced length)", pfx,
		    pr->prefix.len, asn);
	else if (st == MANRS_ROV_INVALID && res->reason == MANRS_ROV_REASON_ML)
		add_fix(b, MANRS_FIX_ROA, MANRS_ACTION_VALIDATION,
		    "ROA: prefix %s maxLength %u origin AS%u (the announced "
		    "more-specific is RPKI-invalid: too long for the "
		    "existing ROA)", pfx, pr->prefix.len, asn);
	else if (st == MANRS_ROV_INVALID)
		add_fix(b, MANRS_FIX_WITHDRAW, MANRS_ACTION_FILTERING,
		    "%s is RPKI-invalid for origin AS%u: withdraw it, or if "
		    "the announcement is legitimate ask the holder for a ROA "
		    "(prefix %s maxLength %u origin AS%u)", pfx, asn, pfx,
		    pr->prefix.len, asn);
	if (irr == 0 || irr == -1)
		add_fix(b, MANRS_FIX_ROUTE_OBJECT, MANRS_ACTION_VALIDATION,
		    "%s:%*s%s\ndescr:          announced by AS%u\n"
		    "origin:         AS%u\nmnt-by:         CHANGE-ME\n"
		    "source:         CHANGE-ME",
		    pr->prefix.af == MANRS_AF_INET ? "route" : "route6",
		    pr->prefix.af == MANRS_AF_INET ? 10 : 9, "", pfx, asn,
		    asn);
}

static void
route_evidence(struct builder *b, const struct pair *pr,
    enum manrs_rov_state st, const struct manrs_rov_result *res, int irr)
{
	struct manrs_audit_evidence *e;
	enum manrs_metric m;

	if (st == MANRS_ROV_VALID && irr == 1)
		return;
	m = st == MANRS_ROV_INVALID ? MANRS_M7RPKI :
	    st == MANRS_ROV_NOTFOUND && b->a->vrps != NULL ? MANRS_M7RPKIN :
	    MANRS_M7IRR;
	if ((e = add_ev(b, m, MANRS_EV_ROUTE)) == NULL)
		return;
	e->prefix = pr->prefix;
	e->origin = pr->origin;
	e->start = pr->first;
	e->end = pr->last;
	snprintf(e->text, sizeof(e->text), "RPKI %s%s%s; IRR %s",
	    b->a->vrps == NULL ? "not loaded" : manrs_rov_state_name(st),
	    st == MANRS_ROV_INVALID ? " " : "",
	    st == MANRS_ROV_INVALID ? manrs_rov_reason_name(res->reason) : "",
	    b->a->irr == NULL ? "not loaded" : irr == 1 ? "route object" :
	    irr == 0 ? "route objects with other origins only" :
	    "no route object");
}

/* Administrative bogons (RIR delegated stats): evidence, not scored. */
static void
unallocated(struct builder *b, const struct pair *pr)
{
	struct manrs_audit_evidence *e;
	const char *reg = NULL;
	char pfx[MANRS_PREFIX_STRLEN];

	if (b->a->deleg == NULL ||
	    !manrs_bogon_delegated_prefix(b->a->deleg, &pr->prefix, &reg) ||
	    (e = add_ev(b, MANRS_M3, MANRS_EV_ROUTE)) == NULL)
		return;
	e->prefix = pr->prefix;
	e->origin = pr->origin;
	e->start = pr->first;
	e->end = pr->last;
	manrs_prefix_print(&pr->prefix, pfx, sizeof(pfx));
	snprintf(e->text, sizeof(e->text), "%s is unallocated space of %s "
	    "(an administrative bogon: reported, not scored, as MANRS scores "
	    "special-purpose bogons only)", pfx, reg != NULL ? reg : "an RIR");
	add_fix(b, MANRS_FIX_WITHDRAW, MANRS_ACTION_FILTERING,
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
	size_t lo = 0, hi = a->npairs, i;
	uint32_t total = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->pairs[a->pair_by_origin[mid]].origin < b->r->asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < a->npairs &&
	    a->pairs[a->pair_by_origin[i]].origin == b->r->asn; i++) {
		const struct pair *pr = &a->pairs[a->pair_by_origin[i]];
		struct manrs_rov_result res;
		enum manrs_rov_state st = MANRS_ROV_NOTFOUND;
		int v = -1;

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
			v = pr->irr & (a->cfg.irr_covering ? AUDIT_IRR_COVER :
			    AUDIT_IRR_EXACT) ? 1 : pr->irr & AUDIT_IRR_ANY ? 0 :
			    -1;
			if (v == 1)
				irr->matched++;
		}
		route_evidence(b, pr, st, &res, v);
		route_fixes(b, pr, st, &res, a->irr != NULL ? v : 1);
		unallocated(b, pr);
	}
	if (total == 0)
		return;
	if (a->irr != NULL) {
		irr->has_value = true;
		irr->total = total;
		irr->raw = (double)irr->matched / total;
		irr->score = 100.0 * irr->raw;
	}
	if (a->vrps != NULL) {
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
			add_fix(b, MANRS_FIX_FILTER, MANRS_ACTION_FILTERING,
			    "export only your own and your customers' routes "
			    "to AS%u (leaked %s): apply an export filter",
			    e->other_as, pfx);
			break;
		case MANRS_M2:
		case MANRS_M3:
			add_fix(b, MANRS_FIX_WITHDRAW, MANRS_ACTION_FILTERING,
			    "stop announcing %s (origin AS%u)", pfx, e->origin);
			break;
		case MANRS_M4:
			add_fix(b, MANRS_FIX_FILTER, MANRS_ACTION_FILTERING,
			    "strip or reject bogon AS%u in paths you announce "
			    "(seen with %s)", e->other_as, pfx);
			break;
		case MANRS_M1C:
		case MANRS_M2C:
		case MANRS_M3C:
		case MANRS_M4C:
			add_fix(b, MANRS_FIX_FILTER, MANRS_ACTION_FILTERING,
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

		if (!m->has_value)
			continue;
		acc = mean ? acc + m->score : fmin(acc, m->score);
		used++;
	}
	if (used == 0)
		return;
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
}

void
manrs_audit_report_free(struct manrs_audit_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfix; i++)
		free(r->fix[i].text);
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
	filtering(&b);
	antispoofing(&b);
	find_autnum(a, asn, &s);
	policy(&b, &s);
	contacts(&b, &s);
	validation(&b);
	withdraw_fixes(&b);
	actions(&b);
	if (b.err != 0) {
		manrs_audit_report_free(b.r);
		return b.err;
	}
	*out = b.r;
	return 0;
}
