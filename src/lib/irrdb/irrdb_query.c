/*
 * irrdb_query.c - lookups in a finished IRR database: route objects by
 * origin and by prefix (exact, less and more specific), objects by
 * primary key, by maintainer and by member-of, and the direct members
 * of a set.
 *
 * Routes are kept in two sorted orders (origin, prefix) instead of a
 * trie: in (address, length) order the routes more specific than P are
 * one contiguous run starting at P, and the less specific ones are found
 * by one binary search per shorter length.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "irrdb_int.h"

static void
objinfo(const struct manrs_irrdb *db, uint32_t i,
    struct manrs_irrdb_objinfo *oi)
{
	const struct obj *o = &db->objs.v[i];

	oi->handle = i;
	oi->cls = (enum manrs_rpsl_class)o->cls;
	oi->source = o->src;
	oi->text = manrs_view_make(irrdb_text(db, o), o->len);
	oi->key = o->key != NONE ? manrs_view_make(irrdb_str(db,
	    db->names.v[o->key].s),
	    db->names.v[o->key].len) : manrs_view_make("", 0);
	memset(&oi->prefix, 0, sizeof(oi->prefix));
	oi->origin = 0;
}

static int
emit(const struct manrs_irrdb *db, uint32_t i, manrs_irrdb_obj_cb cb,
    void *arg)
{
	struct manrs_irrdb_objinfo oi;

	objinfo(db, i, &oi);
	return cb(&oi, arg);
}

/* A route object: its prefix and origin come from the route index. */
static int
emit_route(const struct manrs_irrdb *db, const struct route *rt,
    manrs_irrdb_obj_cb cb, void *arg)
{
	struct manrs_irrdb_objinfo oi;

	objinfo(db, rt->obj, &oi);
	oi.prefix = rt->p;
	oi.origin = rt->origin;
	return cb(&oi, arg);
}

uint32_t
irrdb_set_find_id(const struct manrs_irrdb *db, uint32_t name, int pin,
    const struct manrs_irrdb_sel *sel)
{
	uint32_t s;
	unsigned i;

	if (name == NONE)
		return NONE;
	for (i = 0; i < (pin > 0 ? 1u : sel->n); i++) {
		unsigned want = pin > 0 ? (unsigned)pin - 1 : sel->idx[i];

		for (s = db->names.v[name].first_set; s != NONE;
		    s = db->sets.v[s].next)
			if (db->sets.v[s].src == want)
				return s;
	}
	return NONE;
}

/* Split "SRC::NAME"; *pin gets source + 1 (or -1: unknown source). */
static struct manrs_view
split_pin(const struct manrs_irrdb *db, struct manrs_view name, int *pin)
{
	size_t i;
	int s;

	*pin = 0;
	for (i = 0; i + 1 < name.len; i++)
		if (name.p[i] == ':' && name.p[i + 1] == ':') {
			s = manrs_irrdb_source_find(db,
			    manrs_view_make(name.p, i));
			*pin = s < 0 ? -1 : s + 1;
			return manrs_view_make(name.p + i + 2,
			    name.len - i - 2);
		}
	return name;
}

uint32_t
irrdb_set_find(const struct manrs_irrdb *db, struct manrs_view name,
    const struct manrs_irrdb_sel *sel)
{
	int pin;

	name = split_pin(db, name, &pin);
	if (pin < 0)
		return NONE;
	return irrdb_set_find_id(db, irrdb_name_find(db, name), pin, sel);
}

enum manrs_rpsl_class
manrs_irrdb_set_class(const struct manrs_irrdb *db, struct manrs_view name,
    const struct manrs_irrdb_sel *sel)
{
	uint32_t s = irrdb_set_find(db, name, sel);

	return s == NONE ? MANRS_RPSL_OTHER :
	    (enum manrs_rpsl_class)db->sets.v[s].cls;
}

/* First member-of entry for name id, or mofs.n. */
size_t
irrdb_mof_first(const struct manrs_irrdb *db, uint32_t name)
{
	return manrs_lower_bound_u32(db->mofs.v, db->mofs.n,
	    sizeof(*db->mofs.v), offsetof(struct mof, set), name);
}

/* First route with origin >= asn. */
static size_t
origin_first(const struct manrs_irrdb *db, uint32_t asn)
{
	return manrs_lower_bound_u32(db->routes.v, db->routes.n,
	    sizeof(*db->routes.v), offsetof(struct route, origin), asn);
}

int
manrs_irrdb_origin_prefixes(const struct manrs_irrdb *db, uint32_t asn,
    uint8_t af, const struct manrs_irrdb_sel *sel,
    struct manrs_irrdb_ranges *out)
{
	struct manrs_prefix_range r;
	size_t i;
	int rc;

	for (i = origin_first(db, asn); i < db->routes.n &&
	    db->routes.v[i].origin == asn; i++) {
		const struct route *rt = &db->routes.v[i];

		if ((af != 0 && rt->p.af != af) ||
		    !irrdb_visible(db, sel, rt->obj))
			continue;
		if (out->n > 0 && manrs_prefix_eq(&out->v[out->n - 1].prefix,
		    &rt->p))
			continue;	/* same prefix, another source */
		r.prefix = rt->p;
		r.min = r.max = rt->p.len;
		if ((rc = VPUSH(*out, r)) != 0)
			return rc;
	}
	return 0;
}

/* Call cb for objs in sel, in sel's priority order. */
static int
emit_sel(const struct manrs_irrdb *db, const uint32_t *objs, size_t n,
    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb, void *arg)
{
	unsigned s;
	size_t i;
	int rc;

	for (s = 0; s < sel->n; s++)
		for (i = 0; i < n; i++)
			if (db->objs.v[objs[i]].src == sel->idx[s] &&
			    irrdb_visible(db, sel, objs[i]) &&
			    (rc = emit(db, objs[i], cb, arg)) != 0)
				return rc;
	return 0;
}

int
manrs_irrdb_find_origin(const struct manrs_irrdb *db, uint32_t asn,
    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb, void *arg)
{
	size_t i;
	int rc;

	for (i = origin_first(db, asn); i < db->routes.n &&
	    db->routes.v[i].origin == asn; i++)
		if (irrdb_visible(db, sel, db->routes.v[i].obj) &&
		    (rc = emit_route(db, &db->routes.v[i], cb, arg)) != 0)
			return rc;
	return 0;
}

static int
route_key_parse(struct manrs_view key, struct manrs_prefix *p, uint32_t *asn)
{
	size_t i;

	/* "192.0.2.0/24AS65000" (IRRd primary key of route objects). */
	for (i = 0; i + 1 < key.len; i++)
		if ((key.p[i] == 'A' || key.p[i] == 'a') &&
		    (key.p[i + 1] == 'S' || key.p[i + 1] == 's'))
			break;
	if (i + 1 >= key.len)
		return MANRS_E_SYNTAX;
	if (manrs_prefix_parse(manrs_view_trim(manrs_view_make(key.p, i)), 0,
	    p) != 0)
		return MANRS_E_SYNTAX;
	return manrs_asn_parse(manrs_view_make(key.p + i, key.len - i), asn);
}

int
manrs_irrdb_find_key(const struct manrs_irrdb *db, enum manrs_rpsl_class cls,
    struct manrs_view key, const struct manrs_irrdb_sel *sel,
    manrs_irrdb_obj_cb cb, void *arg)
{
	uint32_t id, o, buf[64], asn;
	struct manrs_prefix p;
	size_t n = 0, i;

	if (cls == MANRS_RPSL_ROUTE || cls == MANRS_RPSL_ROUTE6) {
		if (route_key_parse(key, &p, &asn) != 0)
			return 0;
		for (i = origin_first(db, asn); i < db->routes.n &&
		    db->routes.v[i].origin == asn && n < 64; i++)
			if (manrs_prefix_eq(&db->routes.v[i].p, &p))
				buf[n++] = db->routes.v[i].obj;
		return emit_sel(db, buf, n, sel, cb, arg);
	}
	if ((id = irrdb_name_find(db, key)) == NONE)
		return 0;
	for (o = db->names.v[id].first_obj; o != NONE && n < 64;
	    o = db->objs.v[o].next)
		if (cls == MANRS_RPSL_OTHER || db->objs.v[o].cls == cls)
			buf[n++] = o;
	/* The chain is newest first: keep load order within a source. */
	for (i = 0; i < n / 2; i++) {
		uint32_t t = buf[i];

		buf[i] = buf[n - 1 - i];
		buf[n - 1 - i] = t;
	}
	return emit_sel(db, buf, n, sel, cb, arg);
}

int
manrs_irrdb_find_mntby(const struct manrs_irrdb *db, struct manrs_view mntner,
    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb, void *arg)
{
	uint32_t id = irrdb_name_find(db, mntner);
	size_t lo;
	int rc;

	if (id == NONE)
		return 0;
	lo = manrs_lower_bound_u32(db->mntby.v, db->mntby.n,
	    sizeof(*db->mntby.v), offsetof(struct pair, a), id);
	for (; lo < db->mntby.n && db->mntby.v[lo].a == id; lo++)
		if (irrdb_visible(db, sel, db->mntby.v[lo].b) &&
		    (rc = emit(db, db->mntby.v[lo].b, cb, arg)) != 0)
			return rc;
	return 0;
}

int
manrs_irrdb_find_member_of(const struct manrs_irrdb *db, struct manrs_view set,
    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb, void *arg)
{
	uint32_t id = irrdb_name_find(db, set);
	size_t lo;
	int rc;

	if (id == NONE)
		return 0;
	lo = irrdb_mof_first(db, id);
	for (; lo < db->mofs.n && db->mofs.v[lo].set == id; lo++)
		if (irrdb_visible(db, sel, db->mofs.v[lo].obj) &&
		    (rc = emit(db, db->mofs.v[lo].obj, cb, arg)) != 0)
			return rc;
	return 0;
}

/* First index in by_prefix whose prefix is >= p. */
static size_t
prefix_first(const struct manrs_irrdb *db, const struct manrs_prefix *p)
{
	size_t lo = 0, hi = db->by_prefix.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (manrs_prefix_cmp(&db->routes.v[db->by_prefix.v[mid]].p,
		    p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Emit every route with exactly prefix q; *found set when any. */
/* Does any route have prefix length len in p's family? */
static bool
has_len(const struct manrs_irrdb *db, const struct manrs_prefix *p,
    int len)
{
	int f = p->af == MANRS_AF_INET6;

	return (db->lens[f][len >> 6] >> (len & 63)) & 1;
}

static int
emit_exact(const struct manrs_irrdb *db, const struct manrs_prefix *q,
    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb, void *arg,
    bool *found)
{
	size_t i;
	int rc;

	for (i = prefix_first(db, q); i < db->by_prefix.n; i++) {
		const struct route *rt = &db->routes.v[db->by_prefix.v[i]];

		if (!manrs_prefix_eq(&rt->p, q))
			break;
		if (!irrdb_visible(db, sel, rt->obj))
			continue;
		*found = true;
		if (cb != NULL && (rc = emit_route(db, rt, cb, arg)) != 0)
			return rc;
	}
	return 0;
}

int
manrs_irrdb_find_route(const struct manrs_irrdb *db,
    const struct manrs_prefix *p, enum manrs_irrdb_match m,
    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb, void *arg)
{
	struct manrs_prefix q;
	bool found = false;
	size_t i;
	int len, rc;

	switch (m) {
	case MANRS_IRRDB_EXACT:
		return emit_exact(db, p, sel, cb, arg, &found);
	case MANRS_IRRDB_LESS1:
		/* One level less specific, the prefix itself excluded. */
		for (len = p->len - 1; len >= 0; len--) {
			if (!has_len(db, p, len))
				continue;
			q = *p;
			q.len = (uint8_t)len;
			manrs_prefix_mask(&q);
			if ((rc = emit_exact(db, &q, sel, NULL, NULL,
			    &found)) != 0)
				return rc;
			if (found)
				return emit_exact(db, &q, sel, cb, arg, &found);
		}
		return 0;
	case MANRS_IRRDB_LESS:
		for (len = 0; len <= p->len; len++) {
			if (!has_len(db, p, len))
				continue;
			q = *p;
			q.len = (uint8_t)len;
			manrs_prefix_mask(&q);
			if ((rc = emit_exact(db, &q, sel, cb, arg,
			    &found)) != 0)
				return rc;
		}
		return 0;
	case MANRS_IRRDB_MORE:
		for (i = prefix_first(db, p); i < db->by_prefix.n; i++) {
			const struct route *rt =
			    &db->routes.v[db->by_prefix.v[i]];

			if (!manrs_prefix_covers(p, &rt->p))
				break;
			if (rt->p.len == p->len ||
			    !irrdb_visible(db, sel, rt->obj))
				continue;
			if ((rc = emit_route(db, rt, cb, arg)) != 0)
				return rc;
		}
		return 0;
	}
	return MANRS_E_INVAL;
}

static int
print_member(const struct manrs_irrdb *db, const struct member *m,
    manrs_irrdb_member_cb cb, void *arg)
{
	char buf[MANRS_IRRDB_SET_NAME_MAX + MANRS_IRRDB_SOURCE_NAME_MAX + 16];
	struct manrs_prefix_range r;
	size_t n = 0;
	int k = 0;

	switch (m->kind) {
	case M_ASN:
		k = snprintf(buf, sizeof(buf), "AS%u", m->val);
		break;
	case M_RANGE:
		return cb(manrs_view_make(buf, manrs_irrdb_range_print(
		    &db->ranges.v[m->val], buf, sizeof(buf))), arg);
	case M_SET:
		k = snprintf(buf, sizeof(buf), "%s%s%s", m->pin ?
		    db->src_name[m->pin - 1] : "", m->pin ? "::" : "",
		    irrdb_str(db, db->names.v[m->val].s));
		break;
	}
	if (k < 0 || (size_t)k >= sizeof(buf))
		return 0;
	n = (size_t)k;
	if (m->op != OP_NONE) {
		memset(&r, 0, sizeof(r));
		switch (m->op) {
		case OP_MINUS:
			k = snprintf(buf + n, sizeof(buf) - n, "^-");
			break;
		case OP_PLUS:
			k = snprintf(buf + n, sizeof(buf) - n, "^+");
			break;
		case OP_N:
			k = snprintf(buf + n, sizeof(buf) - n, "^%u", m->n);
			break;
		default:
			k = snprintf(buf + n, sizeof(buf) - n, "^%u-%u", m->n,
			    m->m);
			break;
		}
		if (k > 0 && (size_t)k < sizeof(buf) - n)
			n += (size_t)k;
	}
	return cb(manrs_view_make(buf, n), arg);
}

int
manrs_irrdb_set_members(const struct manrs_irrdb *db, struct manrs_view name,
    const struct manrs_irrdb_sel *sel, manrs_irrdb_member_cb cb, void *arg,
    enum manrs_rpsl_class *cls)
{
	uint32_t si = irrdb_set_find(db, name, sel), i;
	const struct set *s;
	char buf[MANRS_PREFIX_STRLEN + 16];
	int rc;

	if (si == NONE)
		return MANRS_E_NOTFOUND;
	s = &db->sets.v[si];
	if (cls != NULL)
		*cls = (enum manrs_rpsl_class)s->cls;
	for (i = 0; i < s->mem_n; i++)
		if ((rc = print_member(db, &db->members.v[s->mem_off + i], cb,
		    arg)) != 0)
			return rc;
	if (s->mbr_n == 0)
		return 0;
	for (size_t k = irrdb_mof_first(db, s->name); k < db->mofs.n &&
	    db->mofs.v[k].set == s->name; k++) {
		const struct mof *m = &db->mofs.v[k];
		const struct obj *o;
		uint32_t j, w;
		bool ok = false;

		o = &db->objs.v[m->obj];
		if (!irrdb_visible(db, sel, m->obj))
			continue;
		for (j = 0; j < s->mbr_n && !ok; j++) {
			w = db->ids.v[s->mbr_off + j];
			ok = w == db->any_id;
			for (uint32_t t = 0; t < m->mnt_n && !ok; t++)
				ok = db->ids.v[m->mnt_off + t] == w;
		}
		if (!ok)
			continue;
		if (o->cls == MANRS_RPSL_AUT_NUM)
			rc = snprintf(buf, sizeof(buf), "AS%u", m->val);
		else if (o->cls == MANRS_RPSL_ROUTE ||
		    o->cls == MANRS_RPSL_ROUTE6)
			rc = (int)manrs_irrdb_range_print(&db->ranges.v[m->val],
			    buf, sizeof(buf));
		else
			continue;
		if ((rc = cb(manrs_view_make(buf, (size_t)rc), arg)) != 0)
			return rc;
	}
	return 0;
}
