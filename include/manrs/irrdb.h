/*
 * manrs/irrdb.h - an in-memory, multi-source IRR database and set
 * expansion.
 *
 * Build: manrs_irrdb_new(), then manrs_irrdb_source_add() for each
 * source in priority order (first = highest), manrs_irrdb_load() for
 * each file of a source (RPSL, or the ARIN origin-AS JSON dump; plain,
 * gzip or bzip2), then manrs_irrdb_finish().  After finish the database
 * is immutable and any number of threads may query it.  Everything
 * lives in one arena and is freed by manrs_irrdb_free().
 *
 * Queries take a source selection (struct manrs_irrdb_sel): the sources
 * to consult, in priority order.  A set defined in several selected
 * sources resolves to the first one (as IRRd 4 does); route objects are
 * the union over the selected sources.  A name may be pinned to one
 * source as "SOURCE::NAME".
 */
#ifndef MANRS_IRRDB_H
#define MANRS_IRRDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>
#include <manrs/rpsl.h>
#include <manrs/provenance.h>
#include <manrs/util.h>
#include <manrs/vrp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_IRRDB_SOURCES_MAX		32
#define MANRS_IRRDB_SOURCE_NAME_MAX	32
#define MANRS_IRRDB_SET_NAME_MAX	256	/* bytes in a set name */
#define MANRS_IRRDB_MEMBERS_MAX		(1u << 20) /* members of one set */
#define MANRS_IRRDB_JSON_MAX		(1u << 30) /* bytes of a JSON dump */
/* Expansion defaults (struct manrs_irrdb_limits). */
#define MANRS_IRRDB_DEPTH_DEFAULT	64
#define MANRS_IRRDB_SETS_DEFAULT	100000
#define MANRS_IRRDB_ASNS_DEFAULT	1000000
#define MANRS_IRRDB_PREFIXES_DEFAULT	10000000

struct manrs_irrdb;

/*
 * Sources to consult, in priority order.  flags MANRS_IRRDB_SEL_RPKI:
 * hide route objects that are RPKI-invalid (see manrs_irrdb_rpki_apply;
 * set by manrs_irrdb_sel_all/sel_parse, cleared for IRRd's
 * "!fno-rpki-filter").
 */
#define MANRS_IRRDB_SEL_RPKI	0x01
struct manrs_irrdb_sel {
	uint8_t	n;
	uint8_t	flags;
	uint8_t	idx[MANRS_IRRDB_SOURCES_MAX];
};

struct manrs_irrdb_stats {
	uint64_t	objects;
	uint64_t	per_class[MANRS_RPSL_CLASS_COUNT];
	uint64_t	routes;		/* route + route6 + JSON pairs */
	uint64_t	skipped;	/* malformed, reported and skipped */
	uint64_t	rpki_invalid;	/* route objects marked RPKI-invalid */
	uint64_t	bytes;		/* arena + index memory */
};

/* NULL with *err on allocation failure. */
MANRS_API struct manrs_irrdb *manrs_irrdb_new(int *err);
MANRS_API void	manrs_irrdb_free(struct manrs_irrdb *db);
/*
 * Add a source (name is upper-cased); returns its index (>= 0) or
 * MANRS_E_EXIST, MANRS_E_LIMIT, MANRS_E_INVAL.
 */
MANRS_API
int	manrs_irrdb_source_add(struct manrs_irrdb *db, const char *name);
/*
 * Load one file into source src.  Malformed objects are reported to sink
 * with file and line and skipped; only I/O or decompression errors and
 * allocation failure return an error (then the objects read so far stay).
 */
MANRS_API
int	manrs_irrdb_load(struct manrs_irrdb *db, int src, const char *path,
	    struct manrs_diag_sink *sink);
/* Load RPSL from an open input (used by tests and fuzzers). */
MANRS_API int	manrs_irrdb_load_input(struct manrs_irrdb *db, int src,
	    struct manrs_input *in, struct manrs_diag_sink *sink);
/*
 * Load the ARIN origin-AS JSON dump ({"whois_records": {"v4": [{"prefix":
 * P, "originas": "ASn [ASm]"}...], "v6": [...]}}) from an open input as
 * route/route6 objects of src.  Bad entries are reported (byte offset)
 * and skipped; invalid JSON is MANRS_E_SYNTAX (entries before it stay).
 */
MANRS_API int	manrs_irrdb_load_json_input(struct manrs_irrdb *db, int src,
	    struct manrs_input *in, struct manrs_diag_sink *sink);
/*
 * Provenance of the last file loaded: objects added and skipped, and its
 * data time: the newest "last-modified" of its objects, else the newest
 * "changed" date (RFC 2622 section 3.1), else the ARIN JSON
 * "generation_date", else the mtime of p->path (time_field says which).
 * p's kind ("irr") and path are the caller's (manrs_provenance_init).
 */
/*
 * Read RPSL dumps on a thread of their own while this one adds the
 * objects (same result and diagnostics, in the same order; about a third
 * less time on two cores).  Off by default.
 */
MANRS_API void	manrs_irrdb_set_read_ahead(struct manrs_irrdb *db, bool on);
MANRS_API void	manrs_irrdb_provenance(const struct manrs_irrdb *db,
	    struct manrs_provenance *p);
/* Build the indexes; after this only queries are allowed. */
MANRS_API int	manrs_irrdb_finish(struct manrs_irrdb *db);
/*
 * RPKI-aware mode (as IRRd 4): mark every route/route6 object whose
 * (prefix, origin) is RPKI-invalid against vrps (RFC 6811) so that
 * queries with MANRS_IRRDB_SEL_RPKI hide it.  Call on a finished db
 * before it is shared; vrps must be finished and is not kept.  *invalid
 * (may be NULL) gets the number of objects marked.  MANRS_E_NOMEM,
 * MANRS_E_INVAL (db not finished).
 */
MANRS_API int	manrs_irrdb_rpki_apply(struct manrs_irrdb *db,
	    const struct manrs_vrp_set *vrps, uint64_t *invalid);
/* True when route object handle is marked RPKI-invalid. */
MANRS_API
bool	manrs_irrdb_rpki_invalid(const struct manrs_irrdb *db, uint32_t obj);

MANRS_API void	manrs_irrdb_stats(const struct manrs_irrdb *db,
	    struct manrs_irrdb_stats *st);
MANRS_API int	manrs_irrdb_source_count(const struct manrs_irrdb *db);
MANRS_API
const char *manrs_irrdb_source_name(const struct manrs_irrdb *db, int i);
/* Objects loaded into source i (0 for an unknown index). */
MANRS_API
uint64_t manrs_irrdb_source_objects(const struct manrs_irrdb *db, int i);
/* Index of a source by name (case-insensitive) or -1. */
MANRS_API int	manrs_irrdb_source_find(const struct manrs_irrdb *db,
	    struct manrs_view name);
/* Every source, in priority order. */
MANRS_API void	manrs_irrdb_sel_all(const struct manrs_irrdb *db,
	    struct manrs_irrdb_sel *sel);
/*
 * Parse "A,B,C" into a selection; MANRS_E_NOTFOUND (with *bad set to
 * the unknown name) if a name is not a source.
 */
MANRS_API int	manrs_irrdb_sel_parse(const struct manrs_irrdb *db,
	    struct manrs_view list, struct manrs_irrdb_sel *sel,
	    struct manrs_view *bad);

/* Growable arrays the queries fill (heap; manrs_irrdb_*_clear frees). */
struct manrs_irrdb_asns {
	uint32_t	*v;
	size_t		 n, cap;
};
struct manrs_irrdb_ranges {
	struct manrs_prefix_range	*v;
	size_t				 n, cap;
};
MANRS_API void	manrs_irrdb_asns_clear(struct manrs_irrdb_asns *a);
MANRS_API void	manrs_irrdb_ranges_clear(struct manrs_irrdb_ranges *r);

struct manrs_irrdb_limits {
	unsigned	max_depth;	/* nesting; 0 = default */
	size_t		max_sets;	/* sets visited; 0 = default */
	size_t		max_asns;	/* 0 = default */
	size_t		max_prefixes;	/* 0 = default */
};

/* What an expansion ran into (not fatal; reported to the sink too). */
#define MANRS_IRRDB_F_NOTFOUND	0x01	/* the top set does not exist */
#define MANRS_IRRDB_F_MISSING	0x02	/* a nested set does not exist */
#define MANRS_IRRDB_F_LOOP	0x04	/* a set contains itself */
#define MANRS_IRRDB_F_DEPTH	0x08	/* max_depth reached */
#define MANRS_IRRDB_F_SIZE	0x10	/* max_sets/asns/prefixes reached */

/*
 * Expand as-set name (or "ASnnn", or "SOURCE::NAME") recursively into
 * the sorted, unique ASNs it contains, following members, mp-members
 * and mbrs-by-ref/member-of (with the maintainer check of RFC 2622
 * section 5.1).  *flags gets MANRS_IRRDB_F_*.  Returns 0 (also when the
 * set is missing: see flags), or MANRS_E_NOMEM.  limits may be NULL.
 */
MANRS_API int	manrs_irrdb_expand_asset(const struct manrs_irrdb *db,
	    struct manrs_view name, const struct manrs_irrdb_sel *sel,
	    const struct manrs_irrdb_limits *limits,
	    struct manrs_irrdb_asns *out, unsigned *flags,
	    struct manrs_diag_sink *sink);
/*
 * Expand route-set name recursively into prefix ranges of family af
 * (0 = both), applying RFC 2622 section 5.3 range operators; as-set and
 * ASN members contribute their route objects.  Sorted, unique.
 */
MANRS_API int	manrs_irrdb_expand_routeset(const struct manrs_irrdb *db,
	    struct manrs_view name, const struct manrs_irrdb_sel *sel,
	    uint8_t af, const struct manrs_irrdb_limits *limits,
	    struct manrs_irrdb_ranges *out, unsigned *flags,
	    struct manrs_diag_sink *sink);
/*
 * Append the prefixes of route objects with origin asn, family af
 * (0 = both), from the selected sources to out (as ranges with
 * min = max = length).  Call manrs_irrdb_ranges_sort() to sort and
 * deduplicate after appending for several ASNs.
 */
MANRS_API int	manrs_irrdb_origin_prefixes(const struct manrs_irrdb *db,
	    uint32_t asn, uint8_t af, const struct manrs_irrdb_sel *sel,
	    struct manrs_irrdb_ranges *out);
MANRS_API void	manrs_irrdb_ranges_sort(struct manrs_irrdb_ranges *r);
/* Print a range as RPSL: "p", "p^-", "p^+", "p^n", "p^n-m". */
MANRS_API
size_t	manrs_irrdb_range_print(const struct manrs_prefix_range *r,
	    char *buf, size_t size);
/*
 * Parse an RPSL prefix with an optional range operator ("p^+" ...),
 * RFC 2622 section 2.  MANRS_E_SYNTAX / MANRS_E_RANGE.
 */
MANRS_API int	manrs_irrdb_range_parse(struct manrs_view text,
	    struct manrs_prefix_range *out);

/* Object lookups.  An object handle is an index valid for this db. */
struct manrs_irrdb_objinfo {
	uint32_t		handle;
	enum manrs_rpsl_class	cls;
	int			source;
	struct manrs_view	key;
	struct manrs_view	text;	/* the object as loaded */
	/* Route objects from find_route/find_origin (JSON pairs too): */
	struct manrs_prefix	prefix;
	uint32_t		origin;
};
/* Callback: return non-zero to stop. */
typedef int (*manrs_irrdb_obj_cb)(const struct manrs_irrdb_objinfo *o,
	    void *arg);

/*
 * Objects of class cls (OTHER: any class) with primary key key
 * (case-insensitive; a route's key is "PREFIXASnnn" as in IRRd), from the
 * selected sources, in source priority order.  Returns the callback's
 * stop value, or 0.
 */
MANRS_API int	manrs_irrdb_find_key(const struct manrs_irrdb *db,
	    enum manrs_rpsl_class cls, struct manrs_view key,
	    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb,
	    void *arg);
/* Objects whose mnt-by includes mntner. */
MANRS_API int	manrs_irrdb_find_mntby(const struct manrs_irrdb *db,
	    struct manrs_view mntner, const struct manrs_irrdb_sel *sel,
	    manrs_irrdb_obj_cb cb, void *arg);
/* route/route6 objects with this origin. */
MANRS_API
int	manrs_irrdb_find_origin(const struct manrs_irrdb *db, uint32_t asn,
	    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb,
	    void *arg);
/* Objects with "member-of: set" (unchecked: every referencing object). */
MANRS_API int	manrs_irrdb_find_member_of(const struct manrs_irrdb *db,
	    struct manrs_view set, const struct manrs_irrdb_sel *sel,
	    manrs_irrdb_obj_cb cb, void *arg);

enum manrs_irrdb_match {
	MANRS_IRRDB_EXACT,	/* the prefix itself */
	MANRS_IRRDB_LESS1,	/* most specific covering, p excluded (-l) */
	MANRS_IRRDB_LESS,	/* all covering, itself included (-L, ",L") */
	MANRS_IRRDB_MORE,	/* all more specific, itself excluded (-M) */
};
/* route/route6 objects matching p.  Least specific first. */
MANRS_API int	manrs_irrdb_find_route(const struct manrs_irrdb *db,
	    const struct manrs_prefix *p, enum manrs_irrdb_match m,
	    const struct manrs_irrdb_sel *sel, manrs_irrdb_obj_cb cb,
	    void *arg);

/*
 * Direct members of set name (as written, plus member-of references that
 * pass the mbrs-by-ref check), each as text, to cb.  MANRS_E_NOTFOUND.
 */
typedef int (*manrs_irrdb_member_cb)(struct manrs_view member, void *arg);
MANRS_API int	manrs_irrdb_set_members(const struct manrs_irrdb *db,
	    struct manrs_view name, const struct manrs_irrdb_sel *sel,
	    manrs_irrdb_member_cb cb, void *arg,
	    enum manrs_rpsl_class *cls);
/* Class of the set name (AS_SET, ROUTE_SET) or OTHER when absent. */
MANRS_API
enum manrs_rpsl_class manrs_irrdb_set_class(const struct manrs_irrdb *db,
	    struct manrs_view name, const struct manrs_irrdb_sel *sel);


/*
 * Snapshots (manrs/db.h).  A finished database is a list of flat parts
 * in native byte order; manrs_irrdb_part_write() streams part number
 * part (may call cb several times; cb returns 0 or an error that stops
 * the walk).  manrs_irrdb_map() makes a finished, read-only database
 * that uses parts in place (they must outlive it and stay unchanged;
 * manrs_irrdb_free() frees only the handle).  It checks the layout and
 * every index and string offset in the parts before returning, and
 * refuses bad parts with MANRS_E_SYNTAX and the reason in why.
 */
enum manrs_irrdb_part_id {
	MANRS_IRRDB_PART_META,
	MANRS_IRRDB_PART_OBJS,
	MANRS_IRRDB_PART_TEXT,
	MANRS_IRRDB_PART_NAMES,
	MANRS_IRRDB_PART_STRS,
	MANRS_IRRDB_PART_SLOTS,
	MANRS_IRRDB_PART_SETS,
	MANRS_IRRDB_PART_MEMBERS,
	MANRS_IRRDB_PART_RANGES,
	MANRS_IRRDB_PART_IDS,
	MANRS_IRRDB_PART_ROUTES,
	MANRS_IRRDB_PART_BY_PREFIX,
	MANRS_IRRDB_PART_MOFS,
	MANRS_IRRDB_PART_MNTBY,
	MANRS_IRRDB_PART_INVALID,	/* empty: no RPKI marks */
	MANRS_IRRDB_PART_COUNT
};
struct manrs_irrdb_part {
	const void	*p;
	size_t		 len;
};
typedef int (*manrs_irrdb_write_cb)(const void *p, size_t len, void *arg);
MANRS_API
int	manrs_irrdb_part_write(const struct manrs_irrdb *db, unsigned part,
	    manrs_irrdb_write_cb cb, void *arg);
MANRS_API struct manrs_irrdb *manrs_irrdb_map(
	    const struct manrs_irrdb_part parts[MANRS_IRRDB_PART_COUNT],
	    char *why, size_t whysize, int *err);
/*
 * A mapped database: fn(arg) runs after manrs_irrdb_free() has freed
 * it, so the owner of the parts can release them then (manrs_db_take_
 * irrdb).  Ignored for a heap database.
 */
MANRS_API void	manrs_irrdb_on_free(struct manrs_irrdb *db, void (*fn)(void *),
	    void *arg);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_IRRDB_H */
