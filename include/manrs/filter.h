/*
 * manrs/filter.h - the filter job: bgpq4 1.9-compatible prefix and
 * AS-path lists from IRR data, with MANRS policy (bogons, RPKI) and
 * safety gates (empty result, change against a previous list, beacons).
 *
 * A job is built from options and objects (as-sets, route-sets, ASNs,
 * prefixes and prefix ranges, EXCEPT objects), then run against a local
 * IRR database (struct manrs_irrdb) or against a lookup interface the
 * caller fills (a remote IRRd client, a cache, a test double).  The
 * result is the rendered list (or the --explain report) in memory, a
 * verdict of the gates and counters; every removal, cut, ignored object
 * and gate decision is also reported through the diagnostics sink and,
 * structured, through an optional event callback.  The library never
 * prints, exits, or opens a socket: writing the result is the caller's.
 *
 * Semantics: see docs/filter.md ("How the list is computed").
 */
#ifndef MANRS_FILTER_H
#define MANRS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>
#include <manrs/prefix.h>
#include <manrs/irrdb.h>
#include <manrs/render.h>
#include <manrs/vrp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_FILTER_OBJECTS_MAX	4096	/* objects of each kind */
#define MANRS_FILTER_EXCEPT_MAX		4096	/* EXCEPT objects */
#define MANRS_FILTER_BEACONS_MAX	64
#define MANRS_FILTER_PREV_LINES_MAX	(1u << 24) /* lines of a previous list */
/* Most prefixes one "p^n-m" range may stand for (bgpq4 lists them all). */
#define MANRS_FILTER_RANGE_PREFIXES_MAX	(1u << 20)
#define MANRS_FILTER_CHAIN_MAX		64	/* sets in one --explain chain */
#define MANRS_FILTER_MAX_CHANGE_DEFAULT	20.0	/* percent */

/* What a structured event is about (struct manrs_filter_event). */
enum manrs_filter_event_kind {
	MANRS_FILTER_EV_BOGON_PREFIX,	/* prefix (origin asn, 0 = none) removed */
	MANRS_FILTER_EV_BOGON_ASN,	/* asn removed (count = its routes) */
	MANRS_FILTER_EV_RPKI_INVALID,	/* prefix of origin asn dropped */
	MANRS_FILTER_EV_SET_NOT_FOUND,	/* object: no such set */
	MANRS_FILTER_EV_CUT,		/* object: expansion cut (flags) */
	MANRS_FILTER_EV_RANGE_IGNORED,	/* object's range prefix "p^n" */
	MANRS_FILTER_EV_OBJECT_INVALID,	/* object bgpq4 reports as ERROR */
	MANRS_FILTER_EV_OBJECT_IGNORED,	/* object or option skipped */
	MANRS_FILTER_EV_SUMMARY,	/* bogon / RPKI totals */
	MANRS_FILTER_EV_GATE,		/* verdict refused the list */
	MANRS_FILTER_EV_EXPLAIN_ROUTE,	/* --explain: a route object, chain */
};

/*
 * One structured event.  Every event is also reported as one diagnostic
 * (file "filter", no line, msg = the same words) to the job's sink.
 * Pointers are borrowed: valid during the callback only.
 */
struct manrs_filter_event {
	enum manrs_filter_event_kind	 kind;
	struct manrs_prefix		 prefix;	/* when about a prefix */
	uint32_t			 asn;		/* origin or removed ASN */
	const char			*object;	/* set or object name */
	const char			*entry;		/* bogon registry entry */
	const char			*rfc;		/* bogon entry's RFC */
	unsigned			 flags;		/* MANRS_IRRDB_F_* (CUT) */
	uint64_t			 count;
	const char *const		*chain;		/* EXPLAIN_ROUTE: sets */
	size_t				 nchain;
	const char			*msg;		/* the diagnostic's text */
};

typedef void (*manrs_filter_event_cb)(void *arg,
	    const struct manrs_filter_event *ev);

/*
 * The job's options: bgpq4's flags plus the extras.  Zero is a sensible
 * default for every field except render (vendor/gen default to Cisco IOS
 * prefix-list) and max_change; initialise with manrs_filter_opts_init().
 * Strings are borrowed: they must outlive the job.
 */
struct manrs_filter_opts {
	struct manrs_render_opts render;	/* dialect, generation, -l, -M ... */
	uint8_t		 af;		/* MANRS_AF_INET (-4) or INET6 (-6) */
	bool		 aggregate;	/* -A */
	unsigned	 refine;	/* -R (0 = off) */
	unsigned	 refine_low;	/* -r (0 = off) */
	unsigned	 maxlen;	/* -m (0 = the family's bits) */
	int		 maxdepth;	/* -L (0 = unlimited, recursive "!a") */
	const char	*sources;	/* -S "A,B" for a local database */
	bool		 special;	/* -p: keep bgpq4's special ASNs */
	bool		 validate_asns;	/* -w, as bgpq4 1.9 (removes nothing) */
	bool		 validate_real;	/* --validate-asns (local database) */
	bool		 keep_bogons;	/* else bogons are removed, reported */
	bool		 rpki_add;	/* add ROA prefixes of expanded ASNs */
	/* gates */
	bool		 allow_empty;	/* else an empty list: VERDICT_EMPTY */
	const char	*previous;	/* the previous list's bytes, or NULL */
	size_t		 previous_len;
	const char	*previous_name;	/* for messages ("--previous" file) */
	double		 max_change;	/* percent of lines (previous) */
	const struct manrs_prefix *beacons;	/* must be permitted */
	size_t		 nbeacons;
	/* --explain: a report on this prefix instead of the list */
	bool		 explain;
	struct manrs_prefix explain_prefix;
	/* where diagnostics and events go (both may be NULL) */
	struct manrs_diag_sink	*sink;
	manrs_filter_event_cb	 event;
	void			*event_arg;
};

/* Defaults: IPv4, Cisco IOS prefix-list "NN", -W 8, max_change 20. */
MANRS_API void	manrs_filter_opts_init(struct manrs_filter_opts *o);

/*
 * Data other than a local database: the caller answers the queries bgpq4
 * would send to an IRRd (a remote client lives in the program, which owns
 * the socket).  asset: the recursive ASN expansion ("!iSET,1"), flags
 * MANRS_IRRDB_F_NOTFOUND when the set does not exist; routeset: the
 * prefix ranges of a route-set in family af ("!iRS,1"); origin: the
 * route objects of asn in family af ("!gasN"/"!6asN"), as ranges with
 * min == max == len.  origins (may be NULL) is called once, before any
 * origin(), with every sorted unique ASN whose routes will be asked for,
 * so a client can pipeline them.  Each returns 0 or a negative
 * MANRS_E_*, which ends the run with that code.  Appended entries are
 * owned by the out vector (free with manrs_irrdb_*_clear).
 */
struct manrs_filter_lookup {
	void	*arg;
	int	(*asset)(void *arg, const char *name,
		    struct manrs_irrdb_asns *out, unsigned *flags);
	int	(*routeset)(void *arg, const char *name, uint8_t af,
		    struct manrs_irrdb_ranges *out, unsigned *flags);
	int	(*origins)(void *arg, const uint32_t *asns, size_t n,
		    uint8_t af);
	int	(*origin)(void *arg, uint32_t asn, uint8_t af,
		    struct manrs_irrdb_ranges *out);
};

/*
 * The data a job runs against: exactly one of db (a local database, the
 * only one that supports -L, EXCEPT, --explain and --validate-asns) and
 * lookup.  vrps (may be NULL) drops RPKI-invalid routes and feeds
 * rpki_add.  All borrowed.
 */
struct manrs_filter_data {
	const struct manrs_irrdb		*db;
	const struct manrs_filter_lookup	*lookup;
	const struct manrs_vrp_set		*vrps;
};

/* The gates' decision. */
enum manrs_filter_verdict {
	MANRS_FILTER_OK,	/* the list may be used */
	MANRS_FILTER_EMPTY,	/* empty and not allow_empty */
	MANRS_FILTER_BEACON,	/* a beacon is not permitted */
	MANRS_FILTER_CHANGED,	/* changed more than max_change */
	MANRS_FILTER_EXPLAINED,	/* text is the --explain report */
};

/*
 * A run's result.  text (NUL-terminated, len bytes without the NUL) is
 * owned by the result, set for every verdict (so a caller can show what
 * was refused), and freed by manrs_filter_result_clear().
 */
struct manrs_filter_result {
	enum manrs_filter_verdict verdict;
	char		*text;
	size_t		 len;
	size_t		 entries;	/* ranges or ASNs in the list */
	size_t		 prefixes;	/* distinct prefixes kept, unfolded */
	uint64_t	 routes;	/* route objects considered */
	uint64_t	 bogon_prefixes, bogon_asns;
	uint64_t	 rpki_dropped, rpki_added;
	size_t		 added, removed;	/* lines against previous */
	double		 change_pct;
	int		 failed_beacon;	/* index, or -1 */
};

struct manrs_filter;

/*
 * A new job with options o (copied; its strings stay borrowed).  Returns
 * NULL with *err = MANRS_E_INVAL (af, maxlen, refine out of range, an
 * unknown dialect or generation, -F without a valid format, beacons
 * counted but NULL) or MANRS_E_NOMEM.  Free with manrs_filter_free().
 */
MANRS_API
struct manrs_filter *manrs_filter_new(const struct manrs_filter_opts *o,
	    int *err);
/* Free a job and everything it owns (not its result's text); NULL is ok. */
MANRS_API void	manrs_filter_free(struct manrs_filter *f);

/*
 * Add one object as bgpq4 classifies it: "AS-..." or "...:AS-..." an
 * as-set, "RS-..." a route-set (either may carry a "SOURCE::" pin), "ASn"
 * an ASN (bgpq4's special ASNs are skipped with a warning unless -p), else
 * a prefix or prefix range ("p^+", "p^-", "p^n", "p^n-m").  except: an
 * EXCEPT object (-L-style walk, never entered).  obj is borrowed.
 * Returns 0 (also for an object skipped with a warning), MANRS_E_SYNTAX
 * for a bad prefix or one of the other family or longer than maxlen (as
 * bgpq4 refuses it), MANRS_E_LIMIT past MANRS_FILTER_OBJECTS_MAX, or
 * MANRS_E_NOMEM.  Every refusal and skip is reported to the sink.
 */
MANRS_API int	manrs_filter_add_object(struct manrs_filter *f, const char *obj,
	    bool except);

/*
 * The objects the job holds, for a lookup that prefetches: the as-sets
 * (routesets false) or the route-sets, in the order added, as given
 * (with any "SOURCE::" pin).  manrs_filter_set() returns the job's
 * borrowed string, or NULL when i is out of range.
 */
MANRS_API
size_t	manrs_filter_nsets(const struct manrs_filter *f, bool routesets);
MANRS_API
const char *manrs_filter_set(const struct manrs_filter *f, bool routesets,
	    size_t i);
/* True when the job needs a local database (-L, EXCEPT, --explain,
 * --validate-asns): a lookup cannot answer those. */
MANRS_API bool	manrs_filter_needs_db(const struct manrs_filter *f);

/*
 * Run the job once: expand, apply the policy, fold, render, gate.  On 0
 * *res is filled (its verdict says whether the gates accept the list);
 * a refused list is reported to the sink with the reason.  Errors:
 * MANRS_E_INVAL (no data, a lookup with -L/EXCEPT/--explain, or a
 * vendor/generation pair bgpq4 does not have), MANRS_E_NOTFOUND (-S names
 * an unknown source), MANRS_E_LIMIT (a range past
 * MANRS_FILTER_RANGE_PREFIXES_MAX, a previous list past
 * MANRS_FILTER_PREV_LINES_MAX lines), MANRS_E_NOMEM, a lookup's error.
 * On error *res is cleared.  A job may be run once (MANRS_E_INVAL the
 * second time).  A job is used by one thread at a time; the database and
 * the VRP set are only read, so jobs over the same data may run in
 * parallel threads (as a lookup allows).
 */
MANRS_API int	manrs_filter_run(struct manrs_filter *f,
	    const struct manrs_filter_data *data,
	    struct manrs_filter_result *res);
/* Free the result's text and zero it (failed_beacon -1); twice is ok. */
MANRS_API void	manrs_filter_result_clear(struct manrs_filter_result *res);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_FILTER_H */
