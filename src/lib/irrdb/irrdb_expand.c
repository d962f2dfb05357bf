/*
 * irrdb_expand.c - set expansion: as-sets into ASNs, route-sets into
 * prefix ranges (RFC 2622 sections 5.1 and 5.2, RFC 4012 section 4).
 *
 * Expansion is a depth-first walk with a per-call visited map: a set
 * reached again on the current path is a loop (reported, not fatal), a
 * set reached again elsewhere is skipped.  Depth, sets visited, ASNs and
 * prefixes are bounded by struct manrs_irrdb_limits; reaching a bound
 * is reported and the partial result is returned.  mbrs-by-ref: an
 * object with "member-of: SET" is a member only when one of its mnt-by
 * maintainers is listed in the set's mbrs-by-ref, or that lists ANY.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "irrdb_int.h"

/* Small open-addressing map set index -> state (per expansion call). */
struct visit {
	uint32_t	*key;
	uint8_t		*st;	/* 0 empty, 1 on path, 2 done */
	size_t		 cap, n;
};

static uint8_t *
visit_slot(struct visit *v, uint32_t k, bool add)
{
	size_t i, j;

	if (add && (v->n + 1) * 2 > v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 64;
		uint32_t *nk = calloc(nc, sizeof(*nk));
		uint8_t *ns = calloc(nc, 1);

		if (nk == NULL || ns == NULL) {
			free(nk);
			free(ns);
			return NULL;
		}
		for (i = 0; i < v->cap; i++) {
			if (v->st[i] == 0)
				continue;
			for (j = (v->key[i] * 2654435761u) & (nc - 1);
			    ns[j] != 0; j = (j + 1) & (nc - 1))
				;
			nk[j] = v->key[i];
			ns[j] = v->st[i];
		}
		free(v->key);
		free(v->st);
		v->key = nk;
		v->st = ns;
		v->cap = nc;
	}
	if (v->cap == 0)
		return NULL;
	for (i = (k * 2654435761u) & (v->cap - 1); v->st[i] != 0;
	    i = (i + 1) & (v->cap - 1))
		if (v->key[i] == k)
			return &v->st[i];
	if (!add)
		return NULL;
	v->key[i] = k;
	v->n++;
	return &v->st[i];
}

struct ctx {
	const struct manrs_irrdb	*db;
	const struct manrs_irrdb_sel	*sel;
	struct manrs_irrdb_limits	 lim;
	struct visit			 vis;
	struct manrs_irrdb_asns		*asns;
	struct manrs_irrdb_ranges	*ranges;
	uint8_t				 af;
	int				 root_src;	/* of the top set */
	unsigned			 flags;
	size_t				 nsets;
	struct manrs_diag_sink		*sink;
};

static void
note(struct ctx *c, unsigned flag, const char *what, uint32_t set)
{
	const struct name *n = &c->db->names.v[set];

	if (c->flags & flag)
		return;		/* once per kind is enough */
	c->flags |= flag;
	manrs_diag_report(c->sink, MANRS_SEV_WARNING, NULL, 0, UINT64_MAX,
	    "%s %.*s", what, (int)n->len, irrdb_str(c->db, n->s));
}

static int
push_asn(struct ctx *c, uint32_t asn)
{
	if (c->asns->n >= c->lim.max_asns) {
		c->flags |= MANRS_IRRDB_F_SIZE;
		return 0;
	}
	return VPUSH(*c->asns, asn);
}

/* Does object obj's mnt-by pass set s's mbrs-by-ref? */
static bool
mbrs_ok(const struct manrs_irrdb *db, const struct set *s,
    const struct mof *m)
{
	uint32_t i, j;

	for (i = 0; i < s->mbr_n; i++) {
		uint32_t want = db->ids.v[s->mbr_off + i];

		if (want == db->any_id)
			return true;
		for (j = 0; j < m->mnt_n; j++)
			if (db->ids.v[m->mnt_off + j] == want)
				return true;
	}
	return false;
}

static int walk_set(struct ctx *c, uint32_t s, unsigned depth,
    const struct member *op);

/* Enter set member m (a name) of a set at depth. */
static int
walk_member_set(struct ctx *c, const struct member *m, unsigned depth,
    const struct member *op)
{
	uint32_t s = NONE;
	uint8_t *st;

	/*
	 * IRRd 4: a nested set is looked up first in the source where the
	 * root set was found, then in the normal source order.
	 */
	if (m->pin == 0 && c->root_src >= 0)
		s = irrdb_set_find_id(c->db, m->val, c->root_src + 1, c->sel);
	if (s == NONE)
		s = irrdb_set_find_id(c->db, m->val, m->pin, c->sel);

	if (s == NONE) {
		if (m->val != NONE &&
		    (c->db->names.v[m->val].len == 6 &&
		    (strcmp(irrdb_str(c->db, c->db->names.v[m->val].s),
		    "AS-ANY") == 0 ||
		    strcmp(irrdb_str(c->db, c->db->names.v[m->val].s),
		    "RS-ANY") == 0)))
			return 0;
		note(c, MANRS_IRRDB_F_MISSING, "expansion: no such set",
		    m->val);
		return 0;
	}
	if ((st = visit_slot(&c->vis, s, false)) != NULL && *st != 0) {
		if (*st == 1)
			note(c, MANRS_IRRDB_F_LOOP, "expansion: loop through",
			    m->val);
		return 0;
	}
	if (depth + 1 > c->lim.max_depth) {
		note(c, MANRS_IRRDB_F_DEPTH, "expansion: depth limit at",
		    m->val);
		return 0;
	}
	return walk_set(c, s, depth + 1, op);
}

static int
push_range(struct ctx *c, struct manrs_prefix_range r, const struct member *op)
{
	if (c->ranges == NULL)
		return 0;	/* a route-set met while expanding an as-set */
	if (c->af != 0 && r.prefix.af != c->af)
		return 0;
	if (!irrdb_apply_op(op, &r))
		return 0;
	if (c->ranges->n >= c->lim.max_prefixes) {
		c->flags |= MANRS_IRRDB_F_SIZE;
		return 0;
	}
	return VPUSH(*c->ranges, r);
}

/* Route-set member that is an ASN: its route objects. */
static int
asn_routes(struct ctx *c, uint32_t asn, const struct member *op)
{
	struct manrs_irrdb_ranges tmp = { NULL, 0, 0 };
	size_t i;
	int rc;

	if ((rc = manrs_irrdb_origin_prefixes(c->db, asn, c->af, c->sel,
	    &tmp)) != 0)
		return rc;
	for (i = 0; i < tmp.n && rc == 0; i++)
		rc = push_range(c, tmp.v[i], op);
	manrs_irrdb_ranges_clear(&tmp);
	return rc;
}

static int
walk_mbrs_by_ref(struct ctx *c, const struct set *s, const struct member *op)
{
	const struct manrs_irrdb *db = c->db;
	size_t i;
	int rc = 0;

	if (s->mbr_n == 0)
		return 0;
	for (i = irrdb_mof_first(db, s->name); i < db->mofs.n &&
	    db->mofs.v[i].set == s->name && rc == 0; i++) {
		const struct mof *m = &db->mofs.v[i];
		const struct obj *o = &db->objs.v[m->obj];

		if (!irrdb_visible(db, c->sel, m->obj) || !mbrs_ok(db, s, m))
			continue;
		if (s->cls == MANRS_RPSL_AS_SET && o->cls ==
		    MANRS_RPSL_AUT_NUM)
			rc = c->ranges != NULL ? asn_routes(c, m->val, op) :
			    push_asn(c, m->val);
		else if (s->cls == MANRS_RPSL_ROUTE_SET &&
		    (o->cls == MANRS_RPSL_ROUTE || o->cls == MANRS_RPSL_ROUTE6))
			rc = push_range(c, db->ranges.v[m->val], op);
	}
	return rc;
}

static int
walk_set(struct ctx *c, uint32_t si, unsigned depth, const struct member *op)
{
	const struct set *s = &c->db->sets.v[si];
	uint8_t *st;
	uint32_t i;
	int rc = 0;

	if (++c->nsets > c->lim.max_sets) {
		c->flags |= MANRS_IRRDB_F_SIZE;
		return 0;
	}
	if ((st = visit_slot(&c->vis, si, true)) == NULL)
		return MANRS_E_NOMEM;
	*st = 1;
	for (i = 0; i < s->mem_n && rc == 0; i++) {
		const struct member *m = &c->db->members.v[s->mem_off + i];
		const struct member *eff = m->op != OP_NONE ? m : op;

		switch (m->kind) {
		case M_ASN:
			rc = c->ranges != NULL ? asn_routes(c, m->val, eff) :
			    push_asn(c, m->val);
			break;
		case M_RANGE:
			if (c->ranges != NULL)
				rc = push_range(c, c->db->ranges.v[m->val],
				    eff);
			break;
		case M_SET:
			rc = walk_member_set(c, m, depth, eff);
			break;
		}
	}
	if (rc == 0)
		rc = walk_mbrs_by_ref(c, s, op);
	/* The slot may have moved when the map grew. */
	if ((st = visit_slot(&c->vis, si, false)) != NULL)
		*st = 2;
	return rc;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
ctx_init(struct ctx *c, const struct manrs_irrdb *db,
    const struct manrs_irrdb_sel *sel, const struct manrs_irrdb_limits *l,
    struct manrs_diag_sink *sink)
{
	memset(c, 0, sizeof(*c));
	c->root_src = -1;
	c->db = db;
	c->sel = sel;
	c->sink = sink;
	if (l != NULL)
		c->lim = *l;
	if (c->lim.max_depth == 0)
		c->lim.max_depth = MANRS_IRRDB_DEPTH_DEFAULT;
	if (c->lim.max_sets == 0)
		c->lim.max_sets = MANRS_IRRDB_SETS_DEFAULT;
	if (c->lim.max_asns == 0)
		c->lim.max_asns = MANRS_IRRDB_ASNS_DEFAULT;
	if (c->lim.max_prefixes == 0)
		c->lim.max_prefixes = MANRS_IRRDB_PREFIXES_DEFAULT;
}

int
manrs_irrdb_expand_asset(const struct manrs_irrdb *db, struct manrs_view name,
    const struct manrs_irrdb_sel *sel, const struct manrs_irrdb_limits *limits,
    struct manrs_irrdb_asns *out, unsigned *flags,
    struct manrs_diag_sink *sink)
{
	struct ctx c;
	uint32_t asn, s;
	size_t i, j;
	int rc = 0;

	ctx_init(&c, db, sel, limits, sink);
	c.asns = out;
	if (manrs_asn_parse(name, &asn) == 0) {
		rc = push_asn(&c, asn);
	} else if ((s = irrdb_set_find(db, name, sel)) == NONE ||
	    db->sets.v[s].cls != MANRS_RPSL_AS_SET) {
		c.flags |= MANRS_IRRDB_F_NOTFOUND;
	} else {
		c.root_src = db->sets.v[s].src;
		rc = walk_set(&c, s, 1, NULL);
	}
	free(c.vis.key);
	free(c.vis.st);
	if (out->n > 1) {
		qsort(out->v, out->n, sizeof(*out->v), u32_cmp);
		for (i = 1, j = 1; i < out->n; i++)
			if (out->v[i] != out->v[j - 1])
				out->v[j++] = out->v[i];
		out->n = j;
	}
	*flags = c.flags;
	return rc;
}

int
manrs_irrdb_expand_routeset(const struct manrs_irrdb *db,
    struct manrs_view name, const struct manrs_irrdb_sel *sel, uint8_t af,
    const struct manrs_irrdb_limits *limits, struct manrs_irrdb_ranges *out,
    unsigned *flags, struct manrs_diag_sink *sink)
{
	struct ctx c;
	uint32_t s, asn;
	int rc = 0;

	ctx_init(&c, db, sel, limits, sink);
	c.ranges = out;
	c.af = af;
	if (manrs_asn_parse(name, &asn) == 0)
		rc = asn_routes(&c, asn, NULL);
	else if ((s = irrdb_set_find(db, name, sel)) == NONE)
		c.flags |= MANRS_IRRDB_F_NOTFOUND;
	else {
		c.root_src = db->sets.v[s].src;
		rc = walk_set(&c, s, 1, NULL);
	}
	free(c.vis.key);
	free(c.vis.st);
	manrs_irrdb_ranges_sort(out);
	*flags = c.flags;
	return rc;
}
