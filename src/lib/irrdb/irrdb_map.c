/*
 * irrdb_map.c - a finished IRR database as flat parts for a snapshot
 * (manrs/db.h), and a database that uses such parts in place.
 *
 * Every index array of a finished database is already flat (32-bit
 * indexes into other arrays); only strings are pointers.  The writer
 * turns each string into an offset into one text part (object text) or
 * one string part (interned names, NUL-terminated); a mapped database
 * reads them as offsets from its two bases (irrdb_text, irrdb_str), so
 * the query and expansion code is the same for both.
 *
 * Mapping checks, before anything is read through them, that every part
 * has the size its element count implies, and then every index and
 * string offset in the parts against the part it points into, and that
 * every chain (objects or sets with the same name) only goes backwards,
 * so a damaged or hostile snapshot is refused with a reason and never
 * read out of bounds or looped over.  That pass is linear in the index
 * arrays (not in the text); docs/db.md has its cost.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irrdb_int.h"

#define MAP_MAGIC	0x49525244u	/* "IRRD" */
#define MAP_SRC_MAX	32
#define MAP_CLASS_MAX	32

/* MANRS_IRRDB_PART_META: fixed-width, native byte order. */
struct map_meta {
	uint32_t	magic;
	uint16_t	sz_obj, sz_name, sz_slot, sz_set;
	uint16_t	sz_member, sz_route, sz_mof, sz_pair;
	uint16_t	sz_range, nclass;
	uint32_t	nsrc;
	uint32_t	any_id;
	uint32_t	pad;
	uint64_t	skipped, ninvalid;
	uint64_t	per_class[MAP_CLASS_MAX];
	uint64_t	src_objs[MAP_SRC_MAX];
	uint64_t	lens[2][3];
	char		src_name[MAP_SRC_MAX][MANRS_IRRDB_SOURCE_NAME_MAX];
};

_Static_assert(MANRS_IRRDB_SOURCES_MAX <= MAP_SRC_MAX, "sources");
_Static_assert(MANRS_RPSL_CLASS_COUNT <= MAP_CLASS_MAX, "classes");

static void
meta_layout(struct map_meta *m)
{
	m->magic = MAP_MAGIC;
	m->sz_obj = sizeof(struct obj);
	m->sz_name = sizeof(struct name);
	m->sz_slot = sizeof(struct slot);
	m->sz_set = sizeof(struct set);
	m->sz_member = sizeof(struct member);
	m->sz_route = sizeof(struct route);
	m->sz_mof = sizeof(struct mof);
	m->sz_pair = sizeof(struct pair);
	m->sz_range = sizeof(struct manrs_prefix_range);
	m->nclass = MANRS_RPSL_CLASS_COUNT;
}

#define CHUNK	1024

/* Objects with their text as offsets into the text part. */
static int
write_objs(const struct manrs_irrdb *db, manrs_irrdb_write_cb cb, void *arg)
{
	struct obj buf[CHUNK];
	uint64_t off = 0;
	size_t i, k = 0;
	int rc;

	for (i = 0; i < db->objs.n; i++) {
		buf[k] = db->objs.v[i];
		buf[k].text = (uintptr_t)off;
		off += db->objs.v[i].len;
		if (++k == CHUNK) {
			if ((rc = cb(buf, sizeof(buf), arg)) != 0)
				return rc;
			k = 0;
		}
	}
	return k > 0 ? cb(buf, k * sizeof(buf[0]), arg) : 0;
}

static int
write_text(const struct manrs_irrdb *db, manrs_irrdb_write_cb cb, void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i < db->objs.n; i++)
		if (db->objs.v[i].len > 0 && (rc = cb(irrdb_text(db,
		    &db->objs.v[i]), db->objs.v[i].len, arg)) != 0)
			return rc;
	return 0;
}

/* Offsets of the names in the string part (heap; caller frees). */
static uint64_t *
name_offsets(const struct manrs_irrdb *db)
{
	uint64_t *off, o = 0;
	size_t i;

	if ((off = reallocarray(NULL, db->names.n + 1, sizeof(*off))) == NULL)
		return NULL;
	for (i = 0; i < db->names.n; i++) {
		off[i] = o;
		o += (uint64_t)db->names.v[i].len + 1;
	}
	off[i] = o;
	return off;
}

static int
write_names(const struct manrs_irrdb *db, bool slots,
    manrs_irrdb_write_cb cb, void *arg)
{
	union {
		struct name	n[CHUNK];
		struct slot	s[CHUNK];
	} buf;
	uint64_t *off;
	size_t i, k = 0, n = slots ? db->nslots : db->names.n;
	size_t esz = slots ? sizeof(struct slot) : sizeof(struct name);
	int rc = 0;

	if ((off = name_offsets(db)) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < n && rc == 0; i++) {
		if (slots) {
			buf.s[k] = db->slots[i];
			buf.s[k].s = buf.s[k].id == NONE ? 0 :
			    (uintptr_t)off[buf.s[k].id];
		} else {
			buf.n[k] = db->names.v[i];
			buf.n[k].s = (uintptr_t)off[i];
		}
		if (++k == CHUNK) {
			rc = cb(&buf, k * esz, arg);
			k = 0;
		}
	}
	if (rc == 0 && k > 0)
		rc = cb(&buf, k * esz, arg);
	free(off);
	return rc;
}

static int
write_strs(const struct manrs_irrdb *db, manrs_irrdb_write_cb cb, void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i < db->names.n; i++)
		if ((rc = cb(irrdb_str(db, db->names.v[i].s),
		    (size_t)db->names.v[i].len + 1, arg)) != 0)
			return rc;
	return 0;
}

static int
write_meta(const struct manrs_irrdb *db, manrs_irrdb_write_cb cb, void *arg)
{
	struct map_meta *m;
	int rc;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return MANRS_E_NOMEM;
	meta_layout(m);
	m->nsrc = (uint32_t)db->nsrc;
	m->any_id = db->any_id;
	m->skipped = db->skipped;
	m->ninvalid = db->invalid != NULL ? db->ninvalid : 0;
	memcpy(m->per_class, db->per_class, sizeof(db->per_class));
	memcpy(m->src_objs, db->src_objs, sizeof(db->src_objs));
	memcpy(m->lens, db->lens, sizeof(m->lens));
	memcpy(m->src_name, db->src_name, sizeof(db->src_name));
	rc = cb(m, sizeof(*m), arg);
	free(m);
	return rc;
}

int
manrs_irrdb_part_write(const struct manrs_irrdb *db, unsigned part,
    manrs_irrdb_write_cb cb, void *arg)
{
	if (!db->finished)
		return MANRS_E_INVAL;
	switch (part) {
	case MANRS_IRRDB_PART_META:
		return write_meta(db, cb, arg);
	case MANRS_IRRDB_PART_OBJS:
		return write_objs(db, cb, arg);
	case MANRS_IRRDB_PART_TEXT:
		return write_text(db, cb, arg);
	case MANRS_IRRDB_PART_NAMES:
		return write_names(db, false, cb, arg);
	case MANRS_IRRDB_PART_STRS:
		return write_strs(db, cb, arg);
	case MANRS_IRRDB_PART_SLOTS:
		return write_names(db, true, cb, arg);
	case MANRS_IRRDB_PART_SETS:
		return cb(db->sets.v, db->sets.n * sizeof(*db->sets.v), arg);
	case MANRS_IRRDB_PART_MEMBERS:
		return cb(db->members.v, db->members.n *
		    sizeof(*db->members.v), arg);
	case MANRS_IRRDB_PART_RANGES:
		return cb(db->ranges.v, db->ranges.n * sizeof(*db->ranges.v),
		    arg);
	case MANRS_IRRDB_PART_IDS:
		return cb(db->ids.v, db->ids.n * sizeof(*db->ids.v), arg);
	case MANRS_IRRDB_PART_ROUTES:
		return cb(db->routes.v, db->routes.n * sizeof(*db->routes.v),
		    arg);
	case MANRS_IRRDB_PART_BY_PREFIX:
		return cb(db->by_prefix.v, db->by_prefix.n *
		    sizeof(*db->by_prefix.v), arg);
	case MANRS_IRRDB_PART_MOFS:
		return cb(db->mofs.v, db->mofs.n * sizeof(*db->mofs.v), arg);
	case MANRS_IRRDB_PART_MNTBY:
		return cb(db->mntby.v, db->mntby.n * sizeof(*db->mntby.v),
		    arg);
	case MANRS_IRRDB_PART_INVALID:
		return db->invalid == NULL ? 0 :
		    cb(db->invalid, db->objs.n / 8 + 1, arg);
	}
	return MANRS_E_INVAL;
}

void
manrs_irrdb_on_free(struct manrs_irrdb *db, void (*fn)(void *), void *arg)
{
	if (!db->mapped)
		return;
	db->on_free = fn;
	db->on_free_arg = arg;
}

/* Checking a mapped database. */

/* The reason into buf[size]; MANRS_E_SYNTAX. */
#define why(buf, size, ...)						\
	manrs_errf((buf), (size), MANRS_E_SYNTAX, __VA_ARGS__)

/* n elements of esz bytes in part p, aligned for T. */
static int
part_array(const struct manrs_irrdb_part *p, size_t esz, size_t align,
    const char *name, size_t *n, char *wb, size_t ws)
{
	if (p->len % esz != 0)
		return why(wb, ws, "irrdb part %s: %zu bytes, not a multiple "
		    "of %zu", name, p->len, esz);
	if (p->len > 0 && (uintptr_t)p->p % align != 0)
		return why(wb, ws, "irrdb part %s: misaligned", name);
	*n = p->len / esz;
	if (*n >= NONE)
		return why(wb, ws, "irrdb part %s: %zu entries", name, *n);
	return 0;
}

static bool
prefix_ok(const struct manrs_prefix *p)
{
	return (p->af == MANRS_AF_INET && p->len <= 32) ||
	    (p->af == MANRS_AF_INET6 && p->len <= 128);
}

static bool
range_ok(const struct manrs_prefix_range *r)
{
	unsigned bits = r->prefix.af == MANRS_AF_INET ? 32 : 128;

	return prefix_ok(&r->prefix) && r->min <= r->max && r->max <= bits;
}

static int
check_names(const struct manrs_irrdb *db, size_t strs_len, char *wb,
    size_t ws)
{
	const char *s = (const char *)db->sbase;
	size_t i, empty;

	for (i = 0; i < db->names.n; i++) {
		const struct name *n = &db->names.v[i];

		if (n->s >= strs_len || n->len >= strs_len - n->s ||
		    s[n->s + n->len] != '\0')
			return why(wb, ws, "irrdb name %zu: string out of "
			    "bounds", i);
		if ((n->first_obj != NONE && n->first_obj >= db->objs.n) ||
		    (n->first_set != NONE && n->first_set >= db->sets.n))
			return why(wb, ws, "irrdb name %zu: index out of "
			    "bounds", i);
	}
	if (db->nslots == 0)
		return 0;
	if ((db->nslots & (db->nslots - 1)) != 0 ||
	    db->nslots < db->names.n + 1)
		return why(wb, ws, "irrdb name table: %zu slots for %zu "
		    "names", db->nslots, db->names.n);
	for (i = 0, empty = 0; i < db->nslots; i++) {
		const struct slot *sl = &db->slots[i];

		if (sl->id == NONE) {
			empty++;
			continue;
		}
		if (sl->id >= db->names.n || sl->s != db->names.v[sl->id].s)
			return why(wb, ws, "irrdb name slot %zu: bad entry",
			    i);
	}
	/* A lookup probes until an empty slot: there must be one. */
	if (empty == 0)
		return why(wb, ws, "irrdb name table: no empty slot");
	return 0;
}

static int
check_objs(const struct manrs_irrdb *db, size_t text_len, char *wb,
    size_t ws)
{
	size_t i;

	for (i = 0; i < db->objs.n; i++) {
		const struct obj *o = &db->objs.v[i];

		if (o->text > text_len || o->len > text_len - o->text)
			return why(wb, ws, "irrdb object %zu: text out of "
			    "bounds", i);
		if (o->cls >= MANRS_RPSL_CLASS_COUNT ||
		    o->src >= db->nsrc ||
		    (o->key != NONE && o->key >= db->names.n) ||
		    (o->next != NONE && o->next >= i))
			return why(wb, ws, "irrdb object %zu: bad class, "
			    "source, key or chain", i);
	}
	for (i = 0; i < db->sets.n; i++) {
		const struct set *s = &db->sets.v[i];

		if (s->obj >= db->objs.n || s->name >= db->names.n ||
		    s->mem_off > db->members.n ||
		    s->mem_n > db->members.n - s->mem_off ||
		    s->mbr_off > db->ids.n || s->mbr_n > db->ids.n - s->mbr_off ||
		    (s->next != NONE && s->next >= i) || s->src >= db->nsrc)
			return why(wb, ws, "irrdb set %zu: index out of "
			    "bounds", i);
	}
	for (i = 0; i < db->members.n; i++) {
		const struct member *m = &db->members.v[i];

		if (m->pin > db->nsrc || m->op > OP_NM ||
		    (m->kind == M_SET && m->val >= db->names.n) ||
		    (m->kind == M_RANGE && m->val >= db->ranges.n) ||
		    m->kind > M_RANGE)
			return why(wb, ws, "irrdb set member %zu: bad entry",
			    i);
	}
	for (i = 0; i < db->ranges.n; i++)
		if (!range_ok(&db->ranges.v[i]))
			return why(wb, ws, "irrdb range %zu: bad prefix", i);
	for (i = 0; i < db->ids.n; i++)
		if (db->ids.v[i] >= db->names.n)
			return why(wb, ws, "irrdb id %zu: out of bounds", i);
	return 0;
}

static int
check_routes(const struct manrs_irrdb *db, char *wb, size_t ws)
{
	size_t i;

	for (i = 0; i < db->routes.n; i++)
		if (db->routes.v[i].obj >= db->objs.n ||
		    !prefix_ok(&db->routes.v[i].p))
			return why(wb, ws, "irrdb route %zu: bad entry", i);
	if (db->by_prefix.n != db->routes.n)
		return why(wb, ws, "irrdb prefix index: %zu entries for %zu "
		    "routes", db->by_prefix.n, db->routes.n);
	for (i = 0; i < db->by_prefix.n; i++)
		if (db->by_prefix.v[i] >= db->routes.n)
			return why(wb, ws, "irrdb prefix index %zu: out of "
			    "bounds", i);
	for (i = 0; i < db->mofs.n; i++) {
		const struct mof *m = &db->mofs.v[i];
		uint8_t cls;

		if (m->set >= db->names.n || m->obj >= db->objs.n ||
		    m->mnt_off > db->ids.n || m->mnt_n > db->ids.n - m->mnt_off)
			return why(wb, ws, "irrdb member-of %zu: out of "
			    "bounds", i);
		cls = db->objs.v[m->obj].cls;
		if ((cls == MANRS_RPSL_ROUTE || cls == MANRS_RPSL_ROUTE6) &&
		    m->val >= db->ranges.n)
			return why(wb, ws, "irrdb member-of %zu: range out of "
			    "bounds", i);
	}
	for (i = 0; i < db->mntby.n; i++)
		if (db->mntby.v[i].a >= db->names.n ||
		    db->mntby.v[i].b >= db->objs.n)
			return why(wb, ws, "irrdb mnt-by %zu: out of bounds",
			    i);
	return 0;
}

#define ARRAY(part, vec, align) do {					\
	size_t n_;							\
	if ((rc = part_array(&parts[MANRS_IRRDB_PART_##part],		\
	    sizeof(*(vec).v), align, #part, &n_, wb, ws)) != 0)		\
		goto fail;						\
	(vec).v = (void *)(uintptr_t)parts[MANRS_IRRDB_PART_##part].p;	\
	(vec).n = (vec).cap = n_;					\
} while (0)

struct manrs_irrdb *
manrs_irrdb_map(const struct manrs_irrdb_part parts[MANRS_IRRDB_PART_COUNT],
    char *wb, size_t ws, int *err)
{
	const struct manrs_irrdb_part *pm = &parts[MANRS_IRRDB_PART_META];
	struct map_meta want, m;
	struct manrs_irrdb *db;
	size_t n, i;
	int rc;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	db->mapped = true;
	db->finished = true;
	if (pm->len != sizeof(m)) {
		rc = why(wb, ws, "irrdb part META: %zu bytes, want %zu",
		    pm->len, sizeof(m));
		goto fail;
	}
	memcpy(&m, pm->p, sizeof(m));
	memset(&want, 0, sizeof(want));
	meta_layout(&want);
	if (memcmp(&m, &want, offsetof(struct map_meta, nsrc)) != 0) {
		rc = why(wb, ws, "irrdb part META: built with another "
		    "layout (magic or structure sizes differ)");
		goto fail;
	}
	if (m.nsrc == 0 || m.nsrc > MANRS_IRRDB_SOURCES_MAX) {
		rc = why(wb, ws, "irrdb part META: %u sources", m.nsrc);
		goto fail;
	}
	db->nsrc = (int)m.nsrc;
	for (i = 0; i < MANRS_IRRDB_SOURCES_MAX; i++) {
		m.src_name[i][MANRS_IRRDB_SOURCE_NAME_MAX - 1] = '\0';
		memcpy(db->src_name[i], m.src_name[i],
		    MANRS_IRRDB_SOURCE_NAME_MAX);
		db->src_objs[i] = m.src_objs[i];
	}
	memcpy(db->per_class, m.per_class, sizeof(db->per_class));
	memcpy(db->lens, m.lens, sizeof(db->lens));
	db->skipped = m.skipped;
	db->ninvalid = m.ninvalid;
	db->any_id = m.any_id;

	ARRAY(OBJS, db->objs, 8);
	ARRAY(NAMES, db->names, 8);
	ARRAY(SETS, db->sets, 4);
	ARRAY(MEMBERS, db->members, 4);
	ARRAY(RANGES, db->ranges, 1);
	ARRAY(IDS, db->ids, 4);
	ARRAY(ROUTES, db->routes, 4);
	ARRAY(BY_PREFIX, db->by_prefix, 4);
	ARRAY(MOFS, db->mofs, 4);
	ARRAY(MNTBY, db->mntby, 4);
	if ((rc = part_array(&parts[MANRS_IRRDB_PART_SLOTS],
	    sizeof(struct slot), 8, "SLOTS", &n, wb, ws)) != 0)
		goto fail;
	db->slots = (struct slot *)(uintptr_t)parts[MANRS_IRRDB_PART_SLOTS].p;
	db->nslots = n;
	db->tbase = (uintptr_t)parts[MANRS_IRRDB_PART_TEXT].p;
	db->sbase = (uintptr_t)parts[MANRS_IRRDB_PART_STRS].p;
	if (parts[MANRS_IRRDB_PART_INVALID].len > 0) {
		if (parts[MANRS_IRRDB_PART_INVALID].len !=
		    db->objs.n / 8 + 1) {
			rc = why(wb, ws, "irrdb part INVALID: %zu bytes for "
			    "%zu objects", parts[MANRS_IRRDB_PART_INVALID].len,
			    db->objs.n);
			goto fail;
		}
		db->invalid = (uint8_t *)(uintptr_t)
		    parts[MANRS_IRRDB_PART_INVALID].p;
	}
	if (db->any_id != NONE && db->any_id >= db->names.n) {
		rc = why(wb, ws, "irrdb part META: bad name id");
		goto fail;
	}
	if ((rc = check_names(db, parts[MANRS_IRRDB_PART_STRS].len, wb,
	    ws)) != 0 ||
	    (rc = check_objs(db, parts[MANRS_IRRDB_PART_TEXT].len, wb,
	    ws)) != 0 ||
	    (rc = check_routes(db, wb, ws)) != 0)
		goto fail;
	*err = 0;
	return db;
fail:
	free(db);
	*err = rc;
	return NULL;
}
