/*
 * audit_fixes.c - submit-ready fixes of one AS's report: ROAs grouped per
 * origin and covering allocation, route/route6 objects and an aut-num
 * skeleton, each with structured fields (docs/audit.md "Fixes").
 *
 * ROAs follow RFC 9319: every prefix at maxLength = its announced length,
 * so a ROA never authorises more than what is announced.  The RIR comes
 * from the holder records of the delegated stats; "source:" of an RPSL
 * object is that RIR's IRR, else the IRR holding the AS's aut-num, and
 * only when neither is known CHANGE-ME.  The aut-num skeleton takes the
 * AS's as-set from PeeringDB (irr_as_set) and its neighbours' as-sets
 * from theirs, and invents none.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/asgraph.h>
#include <manrs/peeringdb.h>

#include "audit_int.h"

struct manrs_audit_fix *
audit_add_fix(struct builder *b, enum manrs_fix_kind k, enum manrs_action act,
    const char *fmt, ...)
{
	struct manrs_audit_fix *f;
	struct manrs_buf t;
	va_list ap;
	size_t i;

	if (!(b->flags & MANRS_AUDIT_FIXES) || b->err != 0)
		return NULL;
	manrs_buf_init(&t, 0);
	va_start(ap, fmt);
	manrs_buf_vprintf(&t, fmt, ap);
	va_end(ap);
	if (manrs_buf_put_u8(&t, 0) != 0) {
		b->err = t.err;
		manrs_buf_clear(&t);
		return NULL;
	}
	for (i = 0; i < b->r->nfix; i++)	/* no duplicates */
		if (strcmp(b->r->fix[i].text, (char *)t.p) == 0) {
			manrs_buf_clear(&t);
			return NULL;
		}
	if (manrs_grow((void **)&b->r->fix, &b->capfix, b->r->nfix,
	    sizeof(*b->r->fix)) != 0) {
		manrs_buf_clear(&t);
		b->err = MANRS_E_NOMEM;
		return NULL;
	}
	f = &b->r->fix[b->r->nfix++];
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->action = act;
	f->asn = b->r->asn;
	f->text = (char *)t.p;	/* ownership moves to the report */
	return f;
}

const char *
audit_rir_source(const char *registry)
{
	static const char *const map[][2] = {
		{ "ripencc", "RIPE" }, { "arin", "ARIN" }, { "apnic", "APNIC" },
		{ "lacnic", "LACNIC" }, { "afrinic", "AFRINIC" },
	};
	size_t i;

	for (i = 0; registry != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(registry, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* "source:" for an object about p (NULL: the aut-num itself). */
static const char *
object_source(const struct builder *b, const struct manrs_prefix *p)
{
	struct manrs_prefix alloc;
	const char *reg, *src;

	if (p != NULL && audit_holder_find(b->a, p, &reg, &alloc) &&
	    (src = audit_rir_source(reg)) != NULL)
		return src;
	if (b->s != NULL && b->s->source[0] != '\0')
		return b->s->source;
	return "CHANGE-ME";
}

static const char *
object_mntby(const struct builder *b)
{
	return b->s != NULL && b->s->mntby[0] != '\0' ? b->s->mntby :
	    "CHANGE-ME";
}

void
audit_fix_roa(struct builder *b, const struct manrs_prefix *p)
{
	struct pending_roa *x;
	const char *reg = NULL;
	size_t i;

	if (!(b->flags & MANRS_AUDIT_FIXES) || b->err != 0)
		return;
	for (i = 0; i < b->nroas; i++)
		if (manrs_prefix_eq(&b->roas[i].prefix, p))
			return;
	if (manrs_grow((void **)&b->roas, &b->caproas, b->nroas,
	    sizeof(*b->roas)) != 0) {
		b->err = MANRS_E_NOMEM;
		return;
	}
	x = &b->roas[b->nroas++];
	memset(x, 0, sizeof(*x));
	x->prefix = *p;
	x->has_alloc = audit_holder_find(b->a, p, &reg, &x->alloc);
	x->rir = x->has_alloc ? reg : "";
}

static int
pending_cmp(const void *l, const void *r)
{
	const struct pending_roa *x = l, *y = r;
	int c;

	if (x->has_alloc != y->has_alloc)
		return x->has_alloc ? -1 : 1;
	if (x->has_alloc && (c = manrs_prefix_cmp(&x->alloc, &y->alloc)) != 0)
		return c;
	return manrs_prefix_cmp(&x->prefix, &y->prefix);
}

/* One ROA: the pending prefixes [i, j) of one allocation. */
static void
roa_group(struct builder *b, size_t i, size_t j)
{
	const struct pending_roa *x = &b->roas[i];
	struct manrs_audit_fix *f;
	char alloc[MANRS_PREFIX_STRLEN], pfx[MANRS_PREFIX_STRLEN];
	struct manrs_buf t;
	size_t k;

	manrs_buf_init(&t, 0);
	if (x->has_alloc)
		manrs_prefix_print(&x->alloc, alloc, sizeof(alloc));
	manrs_buf_printf(&t, "ROA: origin AS%u, %u prefix%s, maxLength = the "
	    "announced length (RFC 9319); ", b->r->asn, (unsigned)(j - i),
	    j - i == 1 ? "" : "es");
	if (x->has_alloc)
		manrs_buf_printf(&t, "RIR %s, allocation %s", x->rir, alloc);
	else
		manrs_buf_puts(&t, "RIR unknown (no delegated record holds "
		    "these prefixes)");
	for (k = i; k < j; k++) {
		manrs_prefix_print(&b->roas[k].prefix, pfx, sizeof(pfx));
		manrs_buf_printf(&t, "\n  %s maxLength %u", pfx,
		    b->roas[k].prefix.len);
	}
	if (manrs_buf_put_u8(&t, 0) != 0) {
		b->err = t.err;
		manrs_buf_clear(&t);
		return;
	}
	f = audit_add_fix(b, MANRS_FIX_ROA, MANRS_ACTION_VALIDATION, "%s",
	    (char *)t.p);
	manrs_buf_clear(&t);
	if (f == NULL)
		return;
	if ((f->roas = calloc(j - i, sizeof(*f->roas))) == NULL) {
		b->err = MANRS_E_NOMEM;
		return;
	}
	for (k = i; k < j; k++) {
		f->roas[k - i].prefix = b->roas[k].prefix;
		f->roas[k - i].max_length = b->roas[k].prefix.len;
	}
	f->nroas = j - i;
	f->has_allocation = x->has_alloc;
	f->allocation = x->alloc;
	(void)strlcpy(f->rir, x->rir, sizeof(f->rir));
}

void
audit_fix_roas_flush(struct builder *b)
{
	size_t i, j;

	if (b->nroas > 0)
		qsort(b->roas, b->nroas, sizeof(*b->roas), pending_cmp);
	for (i = 0; i < b->nroas && b->err == 0; i = j) {
		for (j = i + 1; j < b->nroas &&
		    b->roas[j].has_alloc == b->roas[i].has_alloc &&
		    (!b->roas[i].has_alloc || manrs_prefix_eq(&b->roas[j].alloc,
		    &b->roas[i].alloc)); j++)
			;
		roa_group(b, i, j);
	}
	free(b->roas);
	b->roas = NULL;
	b->nroas = b->caproas = 0;
}

void
audit_fix_route(struct builder *b, const struct manrs_prefix *p)
{
	struct manrs_audit_fix *f;
	char pfx[MANRS_PREFIX_STRLEN];
	const char *src = object_source(b, p);
	bool v4 = p->af == MANRS_AF_INET;

	manrs_prefix_print(p, pfx, sizeof(pfx));
	f = audit_add_fix(b, MANRS_FIX_ROUTE_OBJECT, MANRS_ACTION_VALIDATION,
	    "%s:%*s%s\ndescr:          announced by AS%u\n"
	    "origin:         AS%u\nmnt-by:         %s\nsource:         %s",
	    v4 ? "route" : "route6", v4 ? 10 : 9, "", pfx, b->r->asn,
	    b->r->asn, object_mntby(b), src);
	if (f == NULL)
		return;
	f->prefix = *p;
	(void)strlcpy(f->source, src, sizeof(f->source));
	f->rpsl = f->text;
}

/* Neighbours listed per relation in a skeleton; the rest are counted. */
#define SKELETON_NEIGHBOURS	64
/* As-sets or ASNs named in one export expression. */
#define SKELETON_EXPORT_MAX	16

/*
 * The as-set of asn registered in PeeringDB (first word of irr_as_set,
 * without a "SOURCE::" prefix or "@SOURCE" suffix) into buf, or "ASn"
 * when none is known.
 * True when an as-set was found.
 */
static bool
as_set_of(const struct manrs_audit *a, uint32_t asn, char *buf,
    size_t size)
{
	const struct manrs_pdb_net *net;
	struct manrs_view v, w;
	const char *sep;

	snprintf(buf, size, "AS%u", asn);
	if (a->pdb == NULL || (net = manrs_peeringdb_net(a->pdb, asn)) ==
	    NULL || net->irr_as_set == NULL)
		return false;
	v = manrs_view_trim(manrs_view_cstr(net->irr_as_set));
	if (!manrs_view_field(&v, " \t,;", false, &w) || w.len == 0)
		return false;
	if ((sep = memmem(w.p, w.len, "::", 2)) != NULL) {
		w.len -= (size_t)(sep + 2 - w.p);
		w.p = sep + 2;
	}
	if ((sep = memchr(w.p, '@', w.len)) != NULL)	/* "AS-X@RADB" */
		w.len = (size_t)(sep - w.p);
	if (w.len == 0 || w.len >= size)
		return false;
	if (manrs_view_copy(w, buf, size) != 0)
		return false;
	return true;
}

/* What the AS announces to providers and peers. */
static void
export_expr(struct builder *b, struct manrs_buf *t)
{
	const struct manrs_audit *a = b->a;
	const uint32_t *cust;
	char set[128];
	size_t i, n = 0;

	if (as_set_of(a, b->r->asn, set, sizeof(set))) {
		manrs_buf_puts(t, set);
		return;
	}
	manrs_buf_printf(t, "AS%u", b->r->asn);
	if (a->asrel != NULL)
		n = manrs_asgraph_neighbours(a->asrel, b->r->asn,
		    MANRS_ASREL_CUSTOMER, &cust);
	for (i = 0; i < n && i + 1 < SKELETON_EXPORT_MAX; i++) {
		(void)as_set_of(a, cust[i], set, sizeof(set));
		manrs_buf_printf(t, " OR %s", set);
	}
	if (n > i)
		manrs_buf_printf(t, "\nremarks:        and %zu more customers: "
		    "register an as-set for AS%u and announce it", n - i,
		    b->r->asn);
}

static void
skeleton_lines(struct builder *b, struct manrs_buf *t, const uint32_t *v,
    size_t n, enum manrs_asrel rel)
{
	char set[128];
	size_t i;

	for (i = 0; i < n && i < SKELETON_NEIGHBOURS; i++) {
		manrs_buf_printf(t, "import:         from AS%u accept ", v[i]);
		if (rel == MANRS_ASREL_PROVIDER) {
			manrs_buf_puts(t, "ANY\n");
		} else {
			(void)as_set_of(b->a, v[i], set, sizeof(set));
			manrs_buf_printf(t, "%s\n", set);
		}
		manrs_buf_printf(t, "export:         to AS%u announce ", v[i]);
		if (rel == MANRS_ASREL_CUSTOMER)
			manrs_buf_puts(t, "ANY");
		else
			export_expr(b, t);
		manrs_buf_puts(t, "\n");
	}
	if (n > SKELETON_NEIGHBOURS)
		manrs_buf_printf(t, "remarks:        and %zu more %s, "
		    "likewise\n", n - SKELETON_NEIGHBOURS,
		    rel == MANRS_ASREL_PROVIDER ? "providers" :
		    rel == MANRS_ASREL_PEER ? "peers" : "customers");
}

/* The RIR IRR of most of the AS's announced prefixes, or NULL. */
static const char *
announced_source(const struct builder *b)
{
	const struct manrs_audit *a = b->a;
	const char *best = NULL, *src, *reg;
	struct manrs_prefix alloc;
	unsigned counts[AUDIT_HOLDER_REGS_MAX] = { 0 }, top = 0;
	size_t i;
	int k;

	for (i = audit_pairs_of(a, b->r->asn); i < a->npairs &&
	    a->pairs[a->pair_by_origin[i]].origin == b->r->asn; i++) {
		const struct pair *pr = &a->pairs[a->pair_by_origin[i]];

		if (!audit_holder_find(a, &pr->prefix, &reg, &alloc))
			continue;
		for (k = 0; k < a->holders.nregs; k++)
			if (strcmp(a->holders.regs[k], reg) == 0 &&
			    ++counts[k] > top &&
			    (src = audit_rir_source(reg)) != NULL) {
				top = counts[k];
				best = src;
			}
	}
	return best;
}

void
audit_fix_autnum(struct builder *b)
{
	static const enum manrs_asrel rels[] = { MANRS_ASREL_PROVIDER,
	    MANRS_ASREL_PEER, MANRS_ASREL_CUSTOMER };
	const struct manrs_audit *a = b->a;
	struct manrs_audit_fix *f;
	const uint32_t *v;
	const char *src;
	struct manrs_buf t;
	size_t i, n;

	if (!(b->flags & MANRS_AUDIT_FIXES) || b->err != 0)
		return;
	src = b->s != NULL && b->s->source[0] != '\0' ? b->s->source : NULL;
	if (src == NULL && (src = announced_source(b)) == NULL)
		src = "CHANGE-ME";
	manrs_buf_init(&t, 0);
	manrs_buf_printf(&t, "aut-num:        AS%u\nas-name:        %s\n",
	    b->r->asn, b->s != NULL && b->s->name[0] != '\0' ? b->s->name :
	    "CHANGE-ME");
	if (a->asrel != NULL)
		for (i = 0; i < 3; i++) {
			n = manrs_asgraph_neighbours(a->asrel, b->r->asn,
			    rels[i], &v);
			skeleton_lines(b, &t, v, n, rels[i]);
		}
	manrs_buf_printf(&t, "admin-c:        CHANGE-ME\n"
	    "tech-c:         CHANGE-ME\nmnt-by:         %s\n"
	    "source:         %s", object_mntby(b), src);
	if (manrs_buf_put_u8(&t, 0) != 0) {
		b->err = t.err;
		manrs_buf_clear(&t);
		return;
	}
	f = audit_add_fix(b, MANRS_FIX_AUTNUM, MANRS_ACTION_VALIDATION, "%s",
	    (char *)t.p);
	manrs_buf_clear(&t);
	if (f == NULL)
		return;
	(void)strlcpy(f->source, src, sizeof(f->source));
	f->rpsl = f->text;
}
