/*
 * audit_coord.c - what the IRR and PeeringDB say about an AS: its aut-num
 * (policy lines for M6, admin-c/tech-c and abuse contacts, name, source,
 * maintainer) and its PeeringDB contacts (M8).
 *
 * Absence is "no data", never failure: admin-c/tech-c are judged only when
 * person or role objects are loaded, abuse contacts only when aut-nums
 * are, PeeringDB contacts only when poc records are; a part not judged
 * says which input is missing and proposes no fix.
 */
#include <stdio.h>
#include <string.h>

#include <manrs/irrdb.h>
#include <manrs/peeringdb.h>
#include <manrs/rpsl.h>

#include "audit_int.h"

/* The aut-num of asn, parsed. */
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
			else if (manrs_view_caseeq(at->name, "mnt-by") &&
			    s->mntby[0] == '\0')
				(void)manrs_view_copy(at->value, s->mntby,
				    sizeof(s->mntby));
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
	s->src = o->source;
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

	audit_irr_sel(a, &sel);
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

void
audit_find_autnum(const struct manrs_audit *a, uint32_t asn,
    struct autnum_scan *s)
{
	struct manrs_irrdb_sel sel;
	const char *src;
	char key[16];

	memset(s, 0, sizeof(*s));
	if (a->irr == NULL)
		return;
	snprintf(key, sizeof(key), "AS%u", asn);
	audit_irr_sel(a, &sel);
	s->src = -1;
	(void)manrs_irrdb_find_key(a->irr, MANRS_RPSL_AUT_NUM,
	    manrs_view_cstr(key), &sel, autnum_cb, s);
	if (s->found && s->src >= 0 && (src = manrs_irrdb_source_name(a->irr,
	    s->src)) != NULL)
		(void)strlcpy(s->source, src, sizeof(s->source));
	if (a->irr_contacts > 0)
		resolve_handles(a, s);
}

void
audit_policy(struct builder *b, const struct autnum_scan *s)
{
	const struct manrs_audit *a = b->a;
	struct manrs_audit_metric *m6 = &b->r->m[MANRS_M6];
	struct manrs_audit_evidence *e;

	if (a->irr == NULL || a->irr_autnums == 0) {
		m6->missing = a->irr == NULL ? MISS_IRR : MISS_AUTNUMS;
		return;
	}
	m6->has_value = true;
	m6->raw = (s->imports > 0 ? 0.5 : 0) + (s->exports > 0 ? 0.5 : 0);
	m6->score = 100.0 * m6->raw;
	m6->total = s->imports + s->exports;
	if ((e = audit_add_ev(b, MANRS_M6, MANRS_EV_OBJECT)) != NULL) {
		if (!s->found)
			snprintf(e->text, sizeof(e->text), "no aut-num object "
			    "for AS%u in the loaded IRR", b->r->asn);
		else
			snprintf(e->text, sizeof(e->text), "aut-num AS%u "
			    "(source %s): %u import and %u export lines",
			    b->r->asn, s->source, s->imports, s->exports);
	}
	if (m6->raw < 1.0)
		audit_fix_autnum(b);
}

/* IRR part of M8: admin-c/tech-c resolution and abuse contacts. */
static void
irr_contacts(struct builder *b, const struct autnum_scan *s,
    unsigned *points, unsigned *sources)
{
	const struct manrs_audit *a = b->a;
	struct manrs_audit_evidence *e;

	if (a->irr == NULL)
		return;
	if (a->irr_autnums == 0) {
		if ((e = audit_add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL)
			snprintf(e->text, sizeof(e->text), "IRR contacts: no "
			    "data: %s", MISS_AUTNUMS);
		return;
	}
	if (a->irr_contacts > 0) {
		(*sources)++;
		if (s->admin > 0 && s->resolved > 0 &&
		    s->resolved >= s->unresolved)
			(*points)++;
		if ((e = audit_add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL)
			snprintf(e->text, sizeof(e->text), "IRR%s%s: %u "
			    "admin-c/tech-c (%u with e-mail, %u not "
			    "resolvable to a person or role)",
			    s->found ? " aut-num in " : ": no aut-num",
			    s->found ? s->source : "", s->admin, s->resolved,
			    s->unresolved);
	} else if ((e = audit_add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL) {
		snprintf(e->text, sizeof(e->text), "IRR admin-c/tech-c: no "
		    "data: %u handles, but no person or role objects are "
		    "loaded to resolve them (--source with person/role "
		    "objects; manrs sync irr)", s->admin);
	}
	(*sources)++;
	if (s->abuse > 0)
		(*points)++;
	if ((e = audit_add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL)
		snprintf(e->text, sizeof(e->text), "IRR: %u abuse-c/"
		    "abuse-mailbox on %s", s->abuse, s->found ? "the aut-num" :
		    "no aut-num (none loaded for this AS)");
	if (s->admin == 0)
		audit_add_fix(b, MANRS_FIX_CONTACT, MANRS_ACTION_COORDINATION,
		    "add admin-c and tech-c (person or role objects with "
		    "e-mail) to aut-num AS%u", b->r->asn);
	if (s->abuse == 0)
		audit_add_fix(b, MANRS_FIX_CONTACT, MANRS_ACTION_COORDINATION,
		    "add abuse-c (a role object with abuse-mailbox) to "
		    "aut-num AS%u", b->r->asn);
}

static bool
contact_role(const struct manrs_pdb_poc *p)
{
	return p->email != NULL && p->role != NULL &&
	    (strcmp(p->role, "NOC") == 0 || strcmp(p->role, "Abuse") == 0 ||
	    strcmp(p->role, "Policy") == 0 ||
	    strcmp(p->role, "Technical") == 0);
}

/* PeeringDB part of M8: only when poc records were loaded. */
static void
pdb_contacts(struct builder *b, unsigned *points, unsigned *sources)
{
	const struct manrs_audit *a = b->a;
	const struct manrs_pdb_net *net;
	const struct manrs_pdb_poc *poc;
	struct manrs_audit_evidence *e;
	unsigned roles = 0;
	size_t i, n;

	if (a->pdb == NULL)
		return;
	if ((net = manrs_peeringdb_net(a->pdb, b->r->asn)) != NULL)
		b->r->name = net->name;
	if (manrs_peeringdb_poc_count(a->pdb) == 0) {
		if ((e = audit_add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL)
			snprintf(e->text, sizeof(e->text), "PeeringDB "
			    "contacts: no data: no poc records loaded "
			    "(--peeringdb with the poc objects; manrs sync "
			    "peeringdb)");
		return;
	}
	(*sources)++;
	if (net != NULL) {
		n = manrs_peeringdb_pocs(a->pdb, net->id, &poc);
		for (i = 0; i < n; i++)
			roles += contact_role(&poc[i]);
		if (roles > 0)
			(*points)++;
	}
	if ((e = audit_add_ev(b, MANRS_M8, MANRS_EV_OBJECT)) != NULL)
		snprintf(e->text, sizeof(e->text), net == NULL ?
		    "PeeringDB: no network record for AS%u" :
		    "PeeringDB: network record with %u NOC/abuse/policy"
		    " contacts", net == NULL ? b->r->asn : roles);
	if (net == NULL || roles == 0)
		audit_add_fix(b, MANRS_FIX_CONTACT, MANRS_ACTION_COORDINATION,
		    "%s PeeringDB with NOC, Abuse and Policy contacts "
		    "(e-mail) for AS%u", net == NULL ?
		    "register the network in" : "add to", b->r->asn);
}

void
audit_contacts(struct builder *b, const struct autnum_scan *s)
{
	struct manrs_audit_metric *m8 = &b->r->m[MANRS_M8];
	unsigned points = 0, sources = 0;

	irr_contacts(b, s, &points, &sources);
	pdb_contacts(b, &points, &sources);
	if (sources == 0) {
		m8->missing = MISS_CONTACTS;
		return;
	}
	m8->has_value = true;
	m8->total = sources;
	m8->raw = points;
	m8->score = 100.0 * points / sources;
}
