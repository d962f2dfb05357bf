/*
 * irrdb_int.h - private layout of the IRR database (see irrdb.c).
 */
#ifndef MANRS_IRRDB_INT_H
#define MANRS_IRRDB_INT_H

#include <manrs/irrdb.h>

#define NONE		UINT32_MAX
#define KEY_MAX		1024	/* bytes of an indexed primary key */

/*
 * Strings are uintptr_t: an address in a heap database, an offset from
 * db->tbase / db->sbase in a mapped snapshot (irrdb_map.c); read them
 * through irrdb_text() / irrdb_str().
 */
struct obj {
	uintptr_t	 text;
	uint32_t	 len;
	uint32_t	 key;		/* name id, or NONE (routes) */
	uint32_t	 next;		/* next object with the same key */
	uint8_t		 cls;
	uint8_t		 src;
};

/* Hash slot: hash and string beside the id, one cache line per probe. */
struct slot {
	uint32_t	 hash;
	uint32_t	 id;		/* NONE: empty */
	uintptr_t	 s;
};

struct name {
	uintptr_t	 s;		/* upper-cased, NUL-terminated */
	uint32_t	 len;
	uint32_t	 hash;
	uint32_t	 first_obj;
	uint32_t	 first_set;
};

enum mkind { M_ASN, M_SET, M_RANGE };
enum mop { OP_NONE, OP_MINUS, OP_PLUS, OP_N, OP_NM };

struct member {
	uint8_t		kind;
	uint8_t		op;
	uint8_t		n, m;		/* OP_N / OP_NM lengths */
	uint32_t	val;		/* ASN, name id or index in ranges */
	uint8_t		pin;		/* source index + 1, 0 = none */
};

struct set {
	uint32_t	obj;
	uint32_t	name;
	uint32_t	mem_off, mem_n;	/* in db->members */
	uint32_t	mbr_off, mbr_n;	/* mbrs-by-ref mntner ids in db->ids */
	uint32_t	next;		/* next set with the same name */
	uint8_t		src;
	uint8_t		cls;
};

struct route {
	struct manrs_prefix	p;
	uint32_t		origin;
	uint32_t		obj;
};

struct mof {				/* "member-of: set" in obj */
	uint32_t	set;		/* name id */
	uint32_t	obj;
	uint32_t	mnt_off, mnt_n;	/* mnt-by ids in db->ids */
	uint32_t	val;		/* ASN (aut-num) or index in ranges (route) */
};

struct pair {
	uint32_t	a, b;
};

#define VEC(T) struct { T *v; size_t n, cap; }

struct manrs_irrdb {
	bool			 read_ahead;	/* manrs_irrdb_set_read_ahead */
	struct manrs_arena	*arena;
	struct manrs_arena	*strs;		/* interned names only: compact */
	char			 src_name[MANRS_IRRDB_SOURCES_MAX]
				    [MANRS_IRRDB_SOURCE_NAME_MAX];
	int			 nsrc;
	bool			 finished;
	/* A snapshot used in place (irrdb_map.c): the arrays are not ours;
	 * strings are offsets from these bases (0 in a heap database). */
	bool			 mapped;
	uintptr_t		 tbase, sbase;
	void			(*on_free)(void *);
	void			*on_free_arg;
	uint64_t		 skipped;
	uint64_t		 per_class[MANRS_RPSL_CLASS_COUNT];
	uint64_t		 src_objs[MANRS_IRRDB_SOURCES_MAX];

	VEC(struct obj)		 objs;
	VEC(struct name)	 names;
	struct slot		*slots;		/* name hash table */
	size_t			 nslots;
	VEC(struct set)		 sets;
	VEC(struct member)	 members;
	VEC(struct manrs_prefix_range) ranges;
	VEC(uint32_t)		 ids;
	VEC(struct route)	 routes;	/* sorted by origin after finish */
	VEC(uint32_t)		 by_prefix;	/* route indexes, prefix order */
	VEC(struct mof)		 mofs;		/* sorted by set */
	VEC(struct pair)	 mntby;		/* (mntner id, obj), sorted */
	uint32_t		 any_id;	/* name id of "ANY" */
	uint8_t			*invalid;	/* bit per object: RPKI-invalid */
	/* Prefix lengths that occur among the routes, per family (bit per
	 * length, [0] IPv4, [1] IPv6): less-specific lookups skip the rest. */
	uint64_t		 lens[2][3];
	uint64_t		 ninvalid;

	/* The last file loaded (provenance): objects and skipped before
	 * it, its newest "last-modified" text and "changed" date, the ARIN
	 * JSON "generation_date". */
	uint64_t		 read_objs0, read_skipped0;
	char			 read_lm[24];
	char			 read_changed[9];
	int64_t			 read_gen;
};

static inline const char *
irrdb_text(const struct manrs_irrdb *db, const struct obj *o)
{
	return (const char *)(db->tbase + o->text);
}

static inline const char *
irrdb_str(const struct manrs_irrdb *db, uintptr_t s)
{
	return (const char *)(db->sbase + s);
}

/* Start / account a load for manrs_irrdb_provenance() (irrdb.c). */
void	irrdb_read_begin(struct manrs_irrdb *db);
/* The newest last-modified/changed of an object read (provenance). */
void	irrdb_see_times(struct manrs_irrdb *db, const struct manrs_rpsl_obj *o);
/* manrs_irrdb_load_input() with the reading on a thread (irrdb_ahead.c). */
int	irrdb_load_ahead(struct manrs_irrdb *db, int src,
	    struct manrs_input *in, struct manrs_diag_sink *sink);
/* "YYYY-MM-DD[THH:MM:SS[.frac]][Z]" -> Unix seconds; 0 when not that. */
int64_t	irrdb_iso_time(struct manrs_view v);

/* Internal: not exported from libmanrs. */
#pragma GCC visibility push(hidden)

/* Grow vec v to hold one more; MANRS_E_NOMEM. */
#define VPUSH(vec, x) \
	(((vec).n == (vec).cap && manrs_grow((void **)&(vec).v, &(vec).cap, \
	    (vec).n, sizeof(*(vec).v)) != 0) ? MANRS_E_NOMEM : \
	    ((vec).v[(vec).n++] = (x), 0))

uint32_t irrdb_name_find(const struct manrs_irrdb *db, struct manrs_view s);
/* Resolve a set name (maybe "SRC::NAME") for sel; index in sets or NONE. */
uint32_t irrdb_set_find(const struct manrs_irrdb *db, struct manrs_view name,
	    const struct manrs_irrdb_sel *sel);
uint32_t irrdb_set_find_id(const struct manrs_irrdb *db, uint32_t name,
	    int pin, const struct manrs_irrdb_sel *sel);
bool	irrdb_sel_has(const struct manrs_irrdb_sel *sel, unsigned src);
/* Object obj is from a selected source and not hidden by RPKI. */
static inline bool
irrdb_visible(const struct manrs_irrdb *db, const struct manrs_irrdb_sel *sel,
    uint32_t obj)
{
	if (db->invalid != NULL && (sel->flags & MANRS_IRRDB_SEL_RPKI) &&
	    (db->invalid[obj >> 3] & (1u << (obj & 7))))
		return false;
	return irrdb_sel_has(sel, db->objs.v[obj].src);
}
/* First index in db->mofs with set == name (binary search). */
size_t	irrdb_mof_first(const struct manrs_irrdb *db, uint32_t name);
/* Add one parsed object to source src (reports and skips bad ones). */
int	irrdb_add_object(struct manrs_irrdb *db, int src,
	    const struct manrs_rpsl_obj *o, struct manrs_diag_sink *sink);
/* The ARIN origin-AS JSON dump (irrdb_json.c). */
int	irrdb_load_json(struct manrs_irrdb *db, int src, const char *path,
	    struct manrs_diag_sink *sink);
int	irrdb_parse_op(struct manrs_view op, struct member *m);
/* Apply a member's range operator to r (irrdb_range.c); false if empty. */
bool	irrdb_apply_op(const struct member *op, struct manrs_prefix_range *r);
int	irrdb_parse_member(struct manrs_irrdb *db, struct manrs_view tok,
	    bool routeset, struct member *m);

#pragma GCC visibility pop

#endif /* MANRS_IRRDB_INT_H */
