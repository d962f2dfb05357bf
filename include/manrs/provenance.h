/*
 * manrs/provenance.h - what an answer stands on: one record per input
 * (kind, path, records loaded and skipped, data time and where that time
 * came from), a list of them plus free-text warnings, and printers for
 * text and JSON.
 *
 * Loaders fill what they know (their read statistics, the data time they
 * found in the content); the program adds the path and, when the content
 * carries no time, the file's mtime.  Reports (audit, observe, validate
 * --stats ...) print the list so every verdict names its inputs and their
 * age.  Values are plain structs with fixed-size strings: copy them
 * freely; a list owns its copies.
 */
#ifndef MANRS_PROVENANCE_H
#define MANRS_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_PROV_KIND_MAX	16	/* "vrps", "rib", "updates" ... */
#define MANRS_PROV_PATH_MAX	4096
#define MANRS_PROV_FIELD_MAX	32	/* "buildtime", "last-modified" ... */
#define MANRS_PROV_WARN_MAX	512	/* bytes of one warning */
#define MANRS_PROV_LIST_MAX	4096	/* inputs or warnings in one list */

/*
 * Where the data time came from.  CONTENT: a field of the data (its name
 * in time_field: "buildtime", "generated", "last-modified", "changed",
 * "updated", "header", "records"); FILENAME: a date in the file name
 * (time_field "file name"); MTIME: the file's modification time, which
 * says when the copy was made, not when the data was; NONE: unknown.
 */
enum manrs_prov_time_src {
	MANRS_PROV_TIME_NONE = 0,
	MANRS_PROV_TIME_CONTENT,
	MANRS_PROV_TIME_FILENAME,
	MANRS_PROV_TIME_MTIME,
};

/*
 * One input.  Times are Unix seconds (UTC); 0 means unknown / not
 * applicable.  Conventional kinds: "vrps", "slurm", "rib", "updates",
 * "irr", "asrel", "peeringdb", "spoofer", "delegated", "iana", "config".
 */
struct manrs_provenance {
	char			 kind[MANRS_PROV_KIND_MAX];
	char			 path[MANRS_PROV_PATH_MAX];	/* "-" = stdin */
	uint64_t		 records;	/* loaded (VRPs: in force) */
	uint64_t		 skipped;	/* read, not loaded (bad input) */
	int64_t			 time;		/* the data's time */
	enum manrs_prov_time_src time_src;
	char			 time_field[MANRS_PROV_FIELD_MAX];
	/* Time-stamped records (MRT): the first and last record time. */
	int64_t			 first;
	int64_t			 last;
	/*
	 * VRP sets: has_expiry says the counts below apply.  in_force and
	 * expired count VRPs at judged_at (the --now in effect); expired
	 * VRPs are not in records.
	 */
	bool			 has_expiry;
	uint64_t		 in_force;
	uint64_t		 expired;
	int64_t			 judged_at;
	/*
	 * Where the file came from, when `manrs sync` fetched it (from its
	 * DIR/sync.json): the URL ("" = not known), when its content was
	 * last confirmed current (0 = not known) and its SHA-256 in hex.
	 */
	char			 url[MANRS_PROV_PATH_MAX];
	int64_t			 fetched;
	char			 sha256[65];
};

/* Zero p and set kind and path (either may be NULL; truncated to fit). */
MANRS_API
void	manrs_provenance_init(struct manrs_provenance *p, const char *kind,
	    const char *path);

/*
 * Set the data time and its source.  field may be NULL (then a default:
 * "file name" for FILENAME, "mtime" for MTIME).  A time <= 0 leaves p
 * unchanged.
 */
MANRS_API void	manrs_provenance_set_time(struct manrs_provenance *p, int64_t t,
	    enum manrs_prov_time_src src, const char *field);

/*
 * When p has no time yet, use the modification time of p->path (not for
 * "-").  0, or MANRS_E_IO when the file cannot be stat'ed (p unchanged).
 */
MANRS_API int	manrs_provenance_use_mtime(struct manrs_provenance *p);

/* Fold a record time into first/last (t <= 0 is ignored). */
static inline void
manrs_provenance_see_time(struct manrs_provenance *p, int64_t t)
{
	if (t <= 0)
		return;
	if (p->first == 0 || t < p->first)
		p->first = t;
	if (t > p->last)
		p->last = t;
}

/* "content", "file name", "mtime" or "unknown". */
MANRS_API const char *manrs_prov_time_src_name(enum manrs_prov_time_src src);

/*
 * ISO 8601 UTC ("2023-05-01T12:00:00Z") into buf; "-" for t <= 0.
 * Returns buf (always NUL-terminated; 21 bytes suffice).
 */
MANRS_API char	*manrs_time_iso(int64_t t, char *buf, size_t size);

/*
 * Append one line of text (with the newline) to out, e.g.
 *   vrps /data/rpki/json.gz: 0 records, 0 skipped; time
 *   2023-05-01T12:00:00Z (buildtime); 0 in force, 424223 expired at
 *   2026-12-01T00:00:00Z
 * (one line), then "; from URL fetched ISO" when url is set.  0 or the
 * buffer's error.
 */
MANRS_API int	manrs_provenance_print(const struct manrs_provenance *p,
	    struct manrs_buf *out);

/*
 * Append one JSON object (no newline) to out:
 *   {"kind":"vrps","path":"...","records":N,"skipped":N,
 *    "time":"ISO"|null,"time_unix":N|null,"time_source":"content"|
 *    "file name"|"mtime"|"unknown","time_field":"buildtime"|null,
 *    ["first":"ISO","last":"ISO",]                  (when known)
 *    ["in_force":N,"expired":N,"judged_at":"ISO"]   (when has_expiry)
 *    ["url":"...","fetched":"ISO"|null,"sha256":"hex"|null]}  (url set)
 * 0 or the buffer's error.
 */
MANRS_API int	manrs_provenance_print_json(const struct manrs_provenance *p,
	    struct manrs_buf *out);

/*
 * A list of inputs and warnings (in the order added).  Initialise with
 * manrs_provenance_list_init() (or zero it); free with _clear().
 */
struct manrs_provenance_list {
	struct manrs_provenance	*v;
	size_t			 n, cap;
	char			**warnings;	/* NUL-terminated, owned */
	size_t			 nwarnings, wcap;
};

MANRS_API void	manrs_provenance_list_init(struct manrs_provenance_list *l);
MANRS_API void	manrs_provenance_list_clear(struct manrs_provenance_list *l);
/*
 * Append a copy of p; returns 0, MANRS_E_NOMEM or MANRS_E_LIMIT (past
 * MANRS_PROV_LIST_MAX).  *out (may be NULL) points at the copy, valid
 * until the next add or clear.
 */
MANRS_API int	manrs_provenance_list_add(struct manrs_provenance_list *l,
	    const struct manrs_provenance *p, struct manrs_provenance **out);
/* The first input of kind, or NULL. */
MANRS_API struct manrs_provenance *manrs_provenance_list_find(
	    struct manrs_provenance_list *l, const char *kind);
/*
 * Append a warning (truncated to MANRS_PROV_WARN_MAX; no newline
 * needed).  0, MANRS_E_NOMEM or MANRS_E_LIMIT.
 */
MANRS_API int	manrs_provenance_warn(struct manrs_provenance_list *l,
	    const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The list as JSON members (no braces), for a caller's top-level object:
 *   "inputs":[{...},...],"warnings":["...",...]
 * 0 or the buffer's error.
 */
MANRS_API
int	manrs_provenance_list_print_json(const struct manrs_provenance_list *l,
	    struct manrs_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_PROVENANCE_H */
