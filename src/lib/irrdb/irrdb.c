/*
 * irrdb.c - building the in-memory IRR database: sources, loading RPSL
 * dumps and the ARIN origin-AS JSON dump, interning names and building
 * the indexes (routes by origin and by prefix, member-of, mnt-by).
 *
 * Invariants: every string lives in db->arena; index arrays are sorted
 * by manrs_irrdb_finish() and never change afterwards, so any number of
 * readers may query a finished database without locks.
 * RFC 2622 (RPSL), RFC 4012 (RPSLng: route6, mp-members).
 */
#include <ctype.h>
#include <endian.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "irrdb_int.h"

struct manrs_irrdb *
manrs_irrdb_new(int *err)
{
	struct manrs_irrdb *db;

	if ((db = calloc(1, sizeof(*db))) == NULL ||
	    (db->arena = manrs_arena_new(4u << 20)) == NULL ||
	    (db->strs = manrs_arena_new(1u << 20)) == NULL) {
		if (db != NULL)
			manrs_arena_free(db->arena);
		free(db);
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	db->any_id = NONE;
	*err = 0;
	return db;
}

void
manrs_irrdb_free(struct manrs_irrdb *db)
{
	if (db == NULL)
		return;
	if (db->mapped) {	/* the arrays belong to the mapping */
		void (*fn)(void *) = db->on_free;
		void *arg = db->on_free_arg;

		free(db);
		if (fn != NULL)
			fn(arg);
		return;
	}
	manrs_arena_free(db->arena);
	manrs_arena_free(db->strs);
	free(db->objs.v);
	free(db->names.v);
	free(db->slots);
	free(db->sets.v);
	free(db->members.v);
	free(db->ranges.v);
	free(db->ids.v);
	free(db->routes.v);
	free(db->by_prefix.v);
	free(db->mofs.v);
	free(db->mntby.v);
	free(db->invalid);
	free(db);
}

int
manrs_irrdb_source_add(struct manrs_irrdb *db, const char *name)
{
	size_t i, n = strlen(name);

	if (db->finished || n == 0 || n >= MANRS_IRRDB_SOURCE_NAME_MAX)
		return MANRS_E_INVAL;
	if (manrs_irrdb_source_find(db, manrs_view_cstr(name)) >= 0)
		return MANRS_E_EXIST;
	if (db->nsrc == MANRS_IRRDB_SOURCES_MAX)
		return MANRS_E_LIMIT;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return MANRS_E_INVAL;
		db->src_name[db->nsrc][i] = (char)toupper((unsigned char)name[i]);
	}
	db->src_name[db->nsrc][n] = '\0';
	return db->nsrc++;
}

int
manrs_irrdb_source_count(const struct manrs_irrdb *db)
{
	return db->nsrc;
}

const char *
manrs_irrdb_source_name(const struct manrs_irrdb *db, int i)
{
	return i >= 0 && i < db->nsrc ? db->src_name[i] : NULL;
}

uint64_t
manrs_irrdb_source_objects(const struct manrs_irrdb *db, int i)
{
	return i >= 0 && i < db->nsrc ? db->src_objs[i] : 0;
}

int
manrs_irrdb_source_find(const struct manrs_irrdb *db, struct manrs_view name)
{
	int i;

	for (i = 0; i < db->nsrc; i++)
		if (manrs_view_caseeq(name, db->src_name[i]))
			return i;
	return -1;
}

void
manrs_irrdb_sel_all(const struct manrs_irrdb *db, struct manrs_irrdb_sel *sel)
{
	int i;

	sel->n = (uint8_t)db->nsrc;
	sel->flags = MANRS_IRRDB_SEL_RPKI;
	for (i = 0; i < db->nsrc; i++)
		sel->idx[i] = (uint8_t)i;
}

int
manrs_irrdb_sel_parse(const struct manrs_irrdb *db, struct manrs_view list,
    struct manrs_irrdb_sel *sel, struct manrs_view *bad)
{
	struct manrs_view tok;
	int s;

	sel->n = 0;
	sel->flags = MANRS_IRRDB_SEL_RPKI;
	while (manrs_view_field(&list, ", ", true, &tok)) {
		if ((s = manrs_irrdb_source_find(db, tok)) < 0) {
			if (bad != NULL)
				*bad = tok;
			return MANRS_E_NOTFOUND;
		}
		if (irrdb_sel_has(sel, (unsigned)s))
			continue;
		sel->idx[sel->n++] = (uint8_t)s;
	}
	return 0;
}

bool
irrdb_sel_has(const struct manrs_irrdb_sel *sel, unsigned src)
{
	unsigned i;

	for (i = 0; i < sel->n; i++)
		if (sel->idx[i] == src)
			return true;
	return false;
}

/* ASCII upper case (RPSL names are ASCII; no locale lookups). */
static inline uint8_t
up(uint8_t c)
{
	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 32) : c;
}

/* FNV-1a over the upper-cased bytes. */
static uint32_t
name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= up((uint8_t)s[i]);
		h *= 16777619u;
	}
	return h;
}

/* Stored names are upper case: compare s to them case-insensitively. */
static inline bool
name_eq(const char *stored, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((uint8_t)stored[i] != up((uint8_t)s[i]))
			return false;
	return true;
}

uint32_t
irrdb_name_find(const struct manrs_irrdb *db, struct manrs_view s)
{
	const struct slot *sl;
	uint32_t h;
	size_t i;

	if (db->nslots == 0)
		return NONE;
	h = name_hash(s.p, s.len);
	for (i = h & (db->nslots - 1);; i = (i + 1) & (db->nslots - 1)) {
		sl = &db->slots[i];
		if (sl->id == NONE)
			return NONE;
		/* Stored names are NUL-terminated: that checks the length. */
		if (sl->hash == h && name_eq(irrdb_str(db, sl->s), s.p,
		    s.len) && irrdb_str(db, sl->s)[s.len] == '\0')
			return sl->id;
	}
}

static int
slots_grow(struct manrs_irrdb *db)
{
	size_t ns = db->nslots ? db->nslots * 2 : 1024, i, j;
	struct slot *sl;

	if ((sl = reallocarray(NULL, ns, sizeof(*sl))) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < ns; i++)
		sl[i].id = NONE;
	for (i = 0; i < db->names.n; i++) {
		for (j = db->names.v[i].hash & (ns - 1); sl[j].id != NONE;
		    j = (j + 1) & (ns - 1))
			;
		sl[j].hash = db->names.v[i].hash;
		sl[j].id = (uint32_t)i;
		sl[j].s = db->names.v[i].s;
	}
	free(db->slots);
	db->slots = sl;
	db->nslots = ns;
	return 0;
}

/* Intern s (case-insensitive); *id gets its id. */
static int
name_intern(struct manrs_irrdb *db, struct manrs_view s, uint32_t *id)
{
	struct name nm;
	char *p;
	size_t i;
	int rc;

	if ((*id = irrdb_name_find(db, s)) != NONE)
		return 0;
	if ((db->names.n + 1) * 2 > db->nslots && (rc = slots_grow(db)) != 0)
		return rc;
	if ((p = manrs_arena_strndup(db->strs, s.p, s.len)) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < s.len; i++)
		p[i] = (char)up((uint8_t)p[i]);
	nm.s = (uintptr_t)p;
	nm.len = (uint32_t)s.len;
	nm.hash = name_hash(s.p, s.len);
	nm.first_obj = nm.first_set = NONE;
	*id = (uint32_t)db->names.n;
	if ((rc = VPUSH(db->names, nm)) != 0)
		return rc;
	for (i = nm.hash & (db->nslots - 1); db->slots[i].id != NONE;
	    i = (i + 1) & (db->nslots - 1))
		;
	db->slots[i].hash = nm.hash;
	db->slots[i].id = *id;
	db->slots[i].s = (uintptr_t)p;
	return 0;
}

static void bad_obj(struct manrs_irrdb *db, struct manrs_diag_sink *sink,
    const struct manrs_rpsl_obj *o, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
bad_obj(struct manrs_irrdb *db, struct manrs_diag_sink *sink,
    const struct manrs_rpsl_obj *o, uint64_t line, const char *fmt, ...)
{
	char msg[MANRS_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	manrs_diag_report(sink, MANRS_SEV_ERROR, o->file, line, UINT64_MAX,
	    "%s; %s object at line %llu skipped", msg,
	    manrs_rpsl_class_name(o->cls), (unsigned long long)o->line);
	db->skipped++;
}

static bool
is_set_name(struct manrs_view v)
{
	struct manrs_view comp;

	/* RFC 2622 section 5: hierarchical names, a component AS-/RS-. */
	while (manrs_view_field(&v, ":", false, &comp))
		if (manrs_view_case_starts_with(comp, "AS-") ||
		    manrs_view_case_starts_with(comp, "RS-"))
			return true;
	return false;
}

/*
 * Parse one member token of an as-set or route-set:
 * ASN, set name (maybe "SRC::NAME"), or, in a route-set, a prefix; each
 * optionally followed by a range operator in a route-set.
 */
int
irrdb_parse_member(struct manrs_irrdb *db, struct manrs_view tok,
    bool routeset, struct member *m)
{
	struct manrs_view body = tok, op = { NULL, 0 }, src, nm;
	struct manrs_prefix_range r;
	uint32_t asn;
	int s, rc;

	memset(m, 0, sizeof(*m));
	if (routeset) {
		ptrdiff_t c = manrs_view_find(tok, '^');

		if (c >= 0) {
			body = manrs_view_make(tok.p, (size_t)c);
			op = manrs_view_make(tok.p + c + 1,
			    tok.len - (size_t)c - 1);
			if (irrdb_parse_op(op, m) != 0)
				return MANRS_E_SYNTAX;
		}
		if (manrs_view_find(body, '/') >= 0) {
			if ((rc = manrs_irrdb_range_parse(tok, &r)) != 0)
				return rc;
			m->kind = M_RANGE;
			m->op = OP_NONE;	/* applied by range_parse */
			m->val = (uint32_t)db->ranges.n;
			return VPUSH(db->ranges, r);
		}
	}
	if (manrs_asn_parse(body, &asn) == 0) {
		m->kind = M_ASN;
		m->val = asn;
		return 0;
	}
	nm = body;
	for (size_t i = 0; i + 1 < body.len; i++)
		if (body.p[i] == ':' && body.p[i + 1] == ':') {
			src = manrs_view_make(body.p, i);
			nm = manrs_view_make(body.p + i + 2, body.len - i - 2);
			if ((s = manrs_irrdb_source_find(db, src)) < 0)
				return MANRS_E_NOTFOUND;
			m->pin = (uint8_t)(s + 1);
			break;
		}
	if (nm.len == 0 || nm.len > MANRS_IRRDB_SET_NAME_MAX ||
	    !is_set_name(nm))
		return MANRS_E_SYNTAX;
	m->kind = M_SET;
	return name_intern(db, nm, &m->val);
}

/* Ids of the names in attribute attr of o, appended to db->ids. */
static int
collect_mnts(struct manrs_irrdb *db, const struct manrs_rpsl_obj *o,
    const char *attr, uint32_t *off, uint32_t *n)
{
	struct manrs_view v, tok;
	uint32_t id;
	size_t i;
	int rc;

	*off = (uint32_t)db->ids.n;
	*n = 0;
	for (i = 0; i < o->nattrs; i++) {
		if (!manrs_view_caseeq(o->attrs[i].name, attr))
			continue;
		v = o->attrs[i].value;
		while (manrs_rpsl_list_next(&v, &tok)) {
			if (tok.len > KEY_MAX)
				continue;
			if ((rc = name_intern(db, tok, &id)) != 0 ||
			    (rc = VPUSH(db->ids, id)) != 0)
				return rc;
			(*n)++;
		}
	}
	return 0;
}

static int
add_member_of(struct manrs_irrdb *db, const struct manrs_rpsl_obj *o,
    uint32_t obj, uint32_t val)
{
	struct manrs_view v, tok;
	struct mof mf;
	uint32_t moff, mn;
	size_t i;
	int rc;

	if (manrs_rpsl_obj_attr(o, "member-of") == NULL)
		return 0;
	if ((rc = collect_mnts(db, o, "mnt-by", &moff, &mn)) != 0)
		return rc;
	for (i = 0; i < o->nattrs; i++) {
		if (!manrs_view_caseeq(o->attrs[i].name, "member-of"))
			continue;
		v = o->attrs[i].value;
		while (manrs_rpsl_list_next(&v, &tok)) {
			if (tok.len > MANRS_IRRDB_SET_NAME_MAX)
				continue;
			if ((rc = name_intern(db, tok, &mf.set)) != 0)
				return rc;
			mf.obj = obj;
			mf.mnt_off = moff;
			mf.mnt_n = mn;
			mf.val = val;
			if ((rc = VPUSH(db->mofs, mf)) != 0)
				return rc;
		}
	}
	return 0;
}

static int
add_route(struct manrs_irrdb *db, struct manrs_diag_sink *sink,
    const struct manrs_rpsl_obj *o, uint32_t obj, bool *ok)
{
	const struct manrs_rpsl_attr *org = manrs_rpsl_obj_attr(o, "origin");
	struct manrs_prefix_range pr;
	struct route rt;
	int rc;

	*ok = false;
	memset(&rt, 0, sizeof(rt));
	if (manrs_prefix_parse(o->key, o->cls == MANRS_RPSL_ROUTE ?
	    MANRS_PREFIX_V4_ONLY : MANRS_PREFIX_V6_ONLY, &rt.p) != 0) {
		bad_obj(db, sink, o, o->line, "invalid prefix \"%.*s\" "
		    "(RFC 2622 section 4, RFC 4012 section 3)",
		    (int)o->key.len, o->key.p);
		return 0;
	}
	if (org == NULL) {
		bad_obj(db, sink, o, o->line, "missing mandatory "
		    "\"origin\" (RFC 2622 section 4)");
		return 0;
	}
	if (manrs_asn_parse(org->value, &rt.origin) != 0) {
		bad_obj(db, sink, o, org->line, "invalid origin \"%.*s\" "
		    "(RFC 2622 section 4)", (int)org->value.len, org->value.p);
		return 0;
	}
	rt.obj = obj;
	if ((rc = VPUSH(db->routes, rt)) != 0)
		return rc;
	*ok = true;
	if (manrs_rpsl_obj_attr(o, "member-of") == NULL)
		return 0;
	pr.prefix = rt.p;
	pr.min = pr.max = rt.p.len;
	if ((rc = VPUSH(db->ranges, pr)) != 0)
		return rc;
	return add_member_of(db, o, obj, (uint32_t)db->ranges.n - 1);
}

static int
add_set(struct manrs_irrdb *db, struct manrs_diag_sink *sink,
    const struct manrs_rpsl_obj *o, uint32_t obj, uint32_t key)
{
	bool rs = o->cls == MANRS_RPSL_ROUTE_SET;
	struct manrs_view v, tok;
	struct member m;
	struct set st;
	size_t i;
	int rc;

	memset(&st, 0, sizeof(st));
	st.obj = obj;
	st.name = key;
	st.src = db->objs.v[obj].src;
	st.cls = (uint8_t)o->cls;
	st.mem_off = (uint32_t)db->members.n;
	for (i = 0; i < o->nattrs; i++) {
		if (!manrs_view_caseeq(o->attrs[i].name, "members") &&
		    !manrs_view_caseeq(o->attrs[i].name, "mp-members"))
			continue;
		v = o->attrs[i].value;
		while (manrs_rpsl_list_next(&v, &tok)) {
			if (st.mem_n == MANRS_IRRDB_MEMBERS_MAX) {
				manrs_diag_report(sink, MANRS_SEV_WARNING,
				    o->file, o->attrs[i].line, UINT64_MAX,
				    "more than MANRS_IRRDB_MEMBERS_MAX "
				    "members; rest ignored");
				break;
			}
			rc = irrdb_parse_member(db, tok, rs, &m);
			if (rc == MANRS_E_NOMEM)
				return rc;
			if (rc != 0) {
				manrs_diag_report(sink, MANRS_SEV_WARNING,
				    o->file, o->attrs[i].line, UINT64_MAX,
				    "invalid member \"%.*s\" of %.*s ignored "
				    "(RFC 2622 section 5)", (int)tok.len, tok.p,
				    (int)o->key.len, o->key.p);
				continue;
			}
			if ((rc = VPUSH(db->members, m)) != 0)
				return rc;
			st.mem_n++;
		}
	}
	if ((rc = collect_mnts(db, o, "mbrs-by-ref", &st.mbr_off,
	    &st.mbr_n)) != 0)
		return rc;
	st.next = db->names.v[key].first_set;
	db->names.v[key].first_set = (uint32_t)db->sets.n;
	return VPUSH(db->sets, st);
}

static int
add_mntby(struct manrs_irrdb *db, const struct manrs_rpsl_obj *o,
    uint32_t obj)
{
	struct pair pr;
	uint32_t off, n, i;
	int rc;

	if ((rc = collect_mnts(db, o, "mnt-by", &off, &n)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		pr.a = db->ids.v[off + i];
		pr.b = obj;
		if ((rc = VPUSH(db->mntby, pr)) != 0)
			return rc;
	}
	db->ids.n = off;	/* not needed beyond the pairs */
	return 0;
}

int
irrdb_add_object(struct manrs_irrdb *db, int src,
    const struct manrs_rpsl_obj *o, struct manrs_diag_sink *sink)
{
	const struct manrs_rpsl_attr *hdl;
	struct manrs_view pkey;
	struct obj ob;
	char *p;
	uint32_t id = (uint32_t)db->objs.n, key = NONE, asn;
	bool ok = true;
	int rc;

	memset(&ob, 0, sizeof(ob));
	ob.cls = (uint8_t)o->cls;
	ob.src = (uint8_t)src;
	ob.key = NONE;
	ob.next = NONE;
	if (o->cls == MANRS_RPSL_AUT_NUM &&
	    manrs_asn_parse(o->key, &asn) != 0) {
		bad_obj(db, sink, o, o->line, "invalid aut-num \"%.*s\" "
		    "(RFC 2622 section 6)", (int)o->key.len, o->key.p);
		return 0;
	}
	if ((o->cls == MANRS_RPSL_AS_SET || o->cls == MANRS_RPSL_ROUTE_SET) &&
	    (o->key.len > MANRS_IRRDB_SET_NAME_MAX || !is_set_name(o->key))) {
		bad_obj(db, sink, o, o->line, "invalid set name \"%.*s\" "
		    "(RFC 2622 section 5)", (int)o->key.len, o->key.p);
		return 0;
	}
	if ((p = manrs_arena_strndup(db->arena, o->text.p,
	    o->text.len)) == NULL)
		return MANRS_E_NOMEM;
	ob.text = (uintptr_t)p;
	ob.len = (uint32_t)o->text.len;
	if ((rc = VPUSH(db->objs, ob)) != 0)
		return rc;
	switch (o->cls) {
	case MANRS_RPSL_ROUTE:
	case MANRS_RPSL_ROUTE6:
		rc = add_route(db, sink, o, id, &ok);
		break;
	default:
		pkey = o->key;
		/* person and role are keyed by nic-hdl (RFC 2622 3.2). */
		if ((o->cls == MANRS_RPSL_PERSON || o->cls == MANRS_RPSL_ROLE) &&
		    (hdl = manrs_rpsl_obj_attr(o, "nic-hdl")) != NULL)
			pkey = hdl->value;
		if (pkey.len > KEY_MAX) {
			bad_obj(db, sink, o, o->line, "primary key longer "
			    "than KEY_MAX");
			ok = false;
			break;
		}
		if ((rc = name_intern(db, pkey, &key)) != 0)
			return rc;
		db->objs.v[id].key = key;
		db->objs.v[id].next = db->names.v[key].first_obj;
		db->names.v[key].first_obj = id;
		if (o->cls == MANRS_RPSL_AS_SET ||
		    o->cls == MANRS_RPSL_ROUTE_SET)
			rc = add_set(db, sink, o, id, key);
		else if (o->cls == MANRS_RPSL_AUT_NUM)
			rc = add_member_of(db, o, id, asn);
		break;
	}
	if (rc != 0)
		return rc;
	if (!ok) {
		db->objs.n--;	/* the text stays in the arena, unused */
		return 0;
	}
	db->per_class[o->cls]++;
	db->src_objs[src]++;
	return add_mntby(db, o, id);
}

void
irrdb_read_begin(struct manrs_irrdb *db)
{
	db->read_objs0 = db->objs.n;
	db->read_skipped0 = db->skipped;
	db->read_lm[0] = db->read_changed[0] = '\0';
	db->read_gen = 0;
}

int64_t
irrdb_iso_time(struct manrs_view v)
{
	struct tm tm;
	uint32_t n[6] = { 0 };
	static const size_t at[6] = { 0, 5, 8, 11, 14, 17 };
	static const size_t len[6] = { 4, 2, 2, 2, 2, 2 };
	static const uint32_t max[6] = { 9999, 12, 31, 23, 59, 60 };
	size_t i, fields = v.len >= 19 ? 6 : 3;
	int64_t t;

	if (v.len < 10 || v.p[4] != '-' || v.p[7] != '-' || (fields == 6 &&
	    (v.p[13] != ':' || v.p[16] != ':')))
		return 0;
	for (i = 0; i < fields; i++)
		if (manrs_view_u32(manrs_view_make(v.p + at[i], len[i]),
		    max[i], &n[i]) != 0)
			return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)n[0] - 1900;
	tm.tm_mon = (int)n[1] - 1;
	tm.tm_mday = (int)n[2];
	tm.tm_hour = (int)n[3];
	tm.tm_min = (int)n[4];
	tm.tm_sec = (int)n[5];
	if (tm.tm_mon < 0 || tm.tm_mday < 1 || (t = timegm(&tm)) <= 0)
		return 0;
	return t;
}

/* "YYYYMMDD" (8 bytes, the date of a "changed" line) at 00:00 UTC. */
static int64_t
ymd_time(const char *d)
{
	char iso[10] = { d[0], d[1], d[2], d[3], '-', d[4], d[5], '-', d[6],
	    d[7] };

	return irrdb_iso_time(manrs_view_make(iso, sizeof(iso)));
}

/*
 * The newest "last-modified" (RFC 2622 successors: ISO 8601 UTC, so the
 * text orders like the time) and "changed" ("email YYYYMMDD", RFC 2622
 * section 3.1) of the file being loaded: text compares only, parsed once
 * at the end.
 */
void
irrdb_see_times(struct manrs_irrdb *db, const struct manrs_rpsl_obj *o)
{
	const struct manrs_rpsl_attr *a;
	struct manrs_view v;
	size_t i;

	for (i = 0; i < o->nattrs; i++) {
		a = &o->attrs[i];
		v = a->value;
		if (a->name.len == 13 && (a->name.p[0] | 0x20) == 'l' &&
		    v.len >= 10 && v.len < sizeof(db->read_lm) &&
		    manrs_view_caseeq(a->name, "last-modified") &&
		    strncmp(v.p, db->read_lm, v.len) > 0 &&
		    irrdb_iso_time(v) > 0) {
			memcpy(db->read_lm, v.p, v.len);
			db->read_lm[v.len] = '\0';
		} else if (a->name.len == 7 && (a->name.p[0] | 0x20) == 'c' &&
		    v.len >= 8 && manrs_view_caseeq(a->name, "changed") &&
		    memcmp(v.p + v.len - 8, db->read_changed, 8) > 0 &&
		    ymd_time(v.p + v.len - 8) > 0) {
			memcpy(db->read_changed, v.p + v.len - 8, 8);
			db->read_changed[8] = '\0';
		}
	}
}

void
manrs_irrdb_provenance(const struct manrs_irrdb *db,
    struct manrs_provenance *p)
{
	const char *c = db->read_changed;
	int64_t t;

	p->records = db->objs.n - db->read_objs0;
	p->skipped = db->skipped - db->read_skipped0;
	if ((t = irrdb_iso_time(manrs_view_cstr(db->read_lm))) > 0) {
		manrs_provenance_set_time(p, t, MANRS_PROV_TIME_CONTENT,
		    "last-modified");
	} else if (c[0] != '\0' && (t = ymd_time(c)) > 0) {
		manrs_provenance_set_time(p, t, MANRS_PROV_TIME_CONTENT,
		    "changed");
	} else if (db->read_gen > 0) {
		manrs_provenance_set_time(p, db->read_gen,
		    MANRS_PROV_TIME_CONTENT, "generation_date");
	} else {
		(void)manrs_provenance_use_mtime(p);
	}
}

int
manrs_irrdb_load_input(struct manrs_irrdb *db, int src,
    struct manrs_input *in, struct manrs_diag_sink *sink)
{
	struct manrs_rpsl_reader *r;
	const struct manrs_rpsl_obj *o;
	int rc, err;

	if (db->finished || src < 0 || src >= db->nsrc)
		return MANRS_E_INVAL;
	if (db->read_ahead)
		return irrdb_load_ahead(db, src, in, sink);
	if ((r = manrs_rpsl_reader_new(in, sink, &err)) == NULL)
		return err;
	irrdb_read_begin(db);
	while ((rc = manrs_rpsl_reader_next(r, &o)) == 1) {
		irrdb_see_times(db, o);
		if ((rc = irrdb_add_object(db, src, o, sink)) != 0)
			break;
	}
	db->skipped += manrs_rpsl_reader_skipped(r);
	manrs_rpsl_reader_free(r);
	return rc;
}

/* The manrs_prefix_cmp order (family, address, length), inline. */
static inline int
pfx_cmp(const struct manrs_prefix *x, const struct manrs_prefix *y)
{
	uint64_t a, b;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	memcpy(&a, x->addr, 8);
	memcpy(&b, y->addr, 8);
	if (a != b)
		return be64toh(a) < be64toh(b) ? -1 : 1;
	memcpy(&a, x->addr + 8, 8);
	memcpy(&b, y->addr + 8, 8);
	if (a != b)
		return be64toh(a) < be64toh(b) ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Routes in prefix order: (prefix, origin, object). */
static int
route_prefix_cmp(const void *a, const void *b)
{
	const struct route *x = a, *y = b;
	int c;

	if ((c = pfx_cmp(&x->p, &y->p)) != 0)
		return c;
	if (x->origin != y->origin)
		return x->origin < y->origin ? -1 : 1;
	return x->obj < y->obj ? -1 : x->obj > y->obj;
}

/*
 * Sort the routes into (origin, prefix, object) order and build
 * by_prefix (route indexes in (prefix, origin, object) order): one
 * direct sort by prefix, then a stable radix sort of the permutation by
 * origin (no indirect comparisons): two 16-bit passes, or for a small
 * set four 8-bit ones (a 64 Ki-entry count table would cost more than
 * the sort).
 */
static int
sort_routes(struct manrs_irrdb *db)
{
	size_t n = db->routes.n, i, nb;
	unsigned bits = n < 4096 ? 8 : 16, shift;
	uint32_t *a, *b, *cnt;
	struct route *nr;

	nb = (size_t)1 << bits;
	qsort(db->routes.v, n, sizeof(*db->routes.v), route_prefix_cmp);
	a = reallocarray(NULL, n, sizeof(*a));
	b = reallocarray(NULL, n, sizeof(*b));
	cnt = calloc(nb, sizeof(*cnt));
	nr = reallocarray(NULL, n, sizeof(*nr));
	if (a == NULL || b == NULL || cnt == NULL || nr == NULL) {
		free(a);
		free(b);
		free(cnt);
		free(nr);
		return MANRS_E_NOMEM;
	}
	for (i = 0; i < n; i++)
		a[i] = (uint32_t)i;
	for (shift = 0; shift < 32; shift += bits) {
		uint32_t sum = 0, c, mask = (uint32_t)nb - 1;

		memset(cnt, 0, nb * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(db->routes.v[a[i]].origin >> shift) & mask]++;
		for (i = 0; i < nb; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			b[cnt[(db->routes.v[a[i]].origin >> shift) & mask]++] =
			    a[i];
		memcpy(a, b, n * sizeof(*a));
	}
	/* a[k]: prefix rank of the k-th route in origin order. */
	for (i = 0; i < n; i++) {
		nr[i] = db->routes.v[a[i]];
		b[a[i]] = (uint32_t)i;
	}
	free(db->routes.v);
	db->routes.v = nr;
	db->routes.cap = n;
	db->by_prefix.v = b;
	db->by_prefix.n = db->by_prefix.cap = n;
	free(a);
	free(cnt);
	return 0;
}

static int
mof_cmp(const void *a, const void *b)
{
	const struct mof *x = a, *y = b;

	if (x->set != y->set)
		return x->set < y->set ? -1 : 1;
	return x->obj < y->obj ? -1 : x->obj > y->obj;
}

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

/* Which prefix lengths occur, per family. */
static void
irrdb_note_lengths(struct manrs_irrdb *db)
{
	size_t i;

	memset(db->lens, 0, sizeof(db->lens));
	for (i = 0; i < db->routes.n; i++) {
		const struct manrs_prefix *p = &db->routes.v[i].p;
		int f = p->af == MANRS_AF_INET6;

		db->lens[f][p->len >> 6] |= 1ULL << (p->len & 63);
	}
}

int
manrs_irrdb_finish(struct manrs_irrdb *db)
{
	int rc;

	if (db->finished)
		return 0;
	if (db->routes.n > 0 && (rc = sort_routes(db)) != 0)
		return rc;
	irrdb_note_lengths(db);
	if (db->mofs.n > 0)
		qsort(db->mofs.v, db->mofs.n, sizeof(*db->mofs.v), mof_cmp);
	if (db->mntby.n > 0)
		qsort(db->mntby.v, db->mntby.n, sizeof(*db->mntby.v),
		    pair_cmp);
	db->any_id = irrdb_name_find(db, manrs_view_cstr("ANY"));
	db->finished = true;
	return 0;
}

void
manrs_irrdb_stats(const struct manrs_irrdb *db, struct manrs_irrdb_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->objects = db->objs.n;
	memcpy(st->per_class, db->per_class, sizeof(st->per_class));
	st->routes = db->routes.n;
	st->skipped = db->skipped;
	st->rpki_invalid = db->ninvalid;
	st->bytes = (db->mapped ? 0 : manrs_arena_size(db->arena) +
	    manrs_arena_size(db->strs)) +
	    db->objs.cap * sizeof(struct obj) +
	    db->names.cap * sizeof(struct name) +
	    db->nslots * sizeof(struct slot) +
	    db->sets.cap * sizeof(struct set) +
	    db->members.cap * sizeof(struct member) +
	    db->ranges.cap * sizeof(struct manrs_prefix_range) +
	    db->ids.cap * sizeof(uint32_t) +
	    db->routes.cap * sizeof(struct route) +
	    db->by_prefix.cap * sizeof(uint32_t) +
	    db->mofs.cap * sizeof(struct mof) +
	    db->mntby.cap * sizeof(struct pair);
}

int
manrs_irrdb_rpki_apply(struct manrs_irrdb *db, const struct manrs_vrp_set *vrps,
    uint64_t *invalid)
{
	size_t i;

	if (!db->finished || db->mapped || vrps == NULL ||
	    !manrs_vrp_set_finished(vrps))
		return MANRS_E_INVAL;
	free(db->invalid);
	db->ninvalid = 0;
	if ((db->invalid = calloc(db->objs.n / 8 + 1, 1)) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < db->routes.n; i++) {
		const struct route *rt = &db->routes.v[i];

		/* RFC 6811 section 2; several routes may share one object. */
		if (manrs_rov_validate(vrps, &rt->p, rt->origin, false, NULL) !=
		    MANRS_ROV_INVALID)
			continue;
		if (!(db->invalid[rt->obj >> 3] & (1u << (rt->obj & 7))))
			db->ninvalid++;
		db->invalid[rt->obj >> 3] |= (uint8_t)(1u << (rt->obj & 7));
	}
	if (invalid != NULL)
		*invalid = db->ninvalid;
	return 0;
}

bool
manrs_irrdb_rpki_invalid(const struct manrs_irrdb *db, uint32_t obj)
{
	return db->invalid != NULL && obj < db->objs.n &&
	    (db->invalid[obj >> 3] & (1u << (obj & 7)));
}

void
manrs_irrdb_set_read_ahead(struct manrs_irrdb *db, bool on)
{
	db->read_ahead = on;
}
