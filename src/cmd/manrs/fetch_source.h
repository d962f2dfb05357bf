/*
 * fetch_source.h - a URL data source of a daemon (`manrs rtrd --vrps
 * URL`, `manrs irrd --source NAME=URL`), on the fetcher of `manrs sync`.
 *
 * The daemon's reload worker calls fetch_source_refresh() before it
 * loads: a conditional request (the validators of the body it last
 * loaded) into memory, since no file is written after the privilege
 * drop.  A 304 keeps the loaded body; a 200 puts the new one beside it,
 * and the daemon calls fetch_source_commit() once it loaded the new data
 * (then the new validators are used) or fetch_source_discard() when it
 * refused it (the last good data stays; the next refresh asks again).
 * Every result is counted for /metrics; a failure keeps the last good
 * body and says why.  --refresh DURATION re-runs the reload on a timer.
 */
#ifndef MANRS_FETCH_SOURCE_H
#define MANRS_FETCH_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#include "fetch.h"

/* One body held in memory, at most. */
#define FETCH_SOURCE_BYTES_MAX	(1024u * 1024u * 1024u)
#define FETCH_SOURCE_NAME_MAX	64

struct daemon;

struct fetch_source {
	char		 name[FETCH_SOURCE_NAME_MAX];	/* label */
	const char	*url;			/* borrowed */
	/* The body the daemon loaded last, and its validators. */
	struct manrs_buf body;
	bool		 have_body;
	char		 etag[FETCH_ETAG_MAX];
	int64_t		 last_modified;
	/* A new body not yet committed (fresh) and its validators. */
	struct manrs_buf fresh;
	bool		 have_fresh;
	char		 fresh_etag[FETCH_ETAG_MAX];
	int64_t		 fresh_lm;
	/* Counters (read by the main thread: atomics). */
	uint64_t	 n_ok, n_not_modified, n_failed, n_refused;
	int64_t		 last_success;		/* 200 or 304 */
	char		 error[FETCH_ERR_MAX];	/* the last failure */
};

/* True for an http:// or https:// argument. */
bool	fetch_is_url(const char *arg);

void	fetch_source_init(struct fetch_source *fs, const char *name,
	    const char *url);
void	fetch_source_clear(struct fetch_source *fs);
/*
 * Fetch (blocking; the reload worker).  1: a new body (fresh), 0: not
 * modified (the loaded body stands), -1: failed (fs->error says why;
 * the loaded body, if any, stands).
 */
int	fetch_source_refresh(struct fetch_source *fs,
	    const struct fetch_opts *o);
/* What to load: the fresh body if there is one, else the loaded one. */
const struct manrs_buf *fetch_source_data(const struct fetch_source *fs);
/* The fresh body was loaded: it becomes the body, its validators used. */
void	fetch_source_commit(struct fetch_source *fs);
/* The fresh body was refused by the loader (counted; dropped). */
void	fetch_source_discard(struct fetch_source *fs);

/*
 * PREFIX_fetch_total{source,result="ok|not_modified|failed|refused"}
 * and PREFIX_fetch_last_success_timestamp_seconds{source}.
 */
void	fetch_source_metrics(struct fetch_source *const *v, size_t n,
	    const char *prefix, struct manrs_buf *out);

/* "3600", "90s", "30m", "6h", "1d" into seconds (> 0).  0 or -1. */
int	fetch_parse_duration(const char *arg, unsigned *out);

/*
 * Ask d for a reload ("refresh") every secs seconds, on its loop.
 * NULL when out of memory.  Free with fetch_refresh_free().
 */
struct fetch_refresh *fetch_refresh_start(struct daemon *d, unsigned secs);
void	fetch_refresh_free(struct fetch_refresh *r);

/* The fetch options the daemons use (30 s connect, 2 retries ...). */
void	fetch_daemon_opts(struct fetch_opts *o);

/*
 * A daemon's URL sources together: what the reload worker refreshes
 * before it loads, and what its /metrics show.
 */
#define FETCH_SET_MAX	32

struct fetch_set {
	struct fetch_source	 src[FETCH_SET_MAX];
	char			*url[FETCH_SET_MAX];	/* owned */
	size_t			 n;
	struct fetch_opts	 o;
	bool			 inited;
	const char		*cacert;	/* --cacert; NULL: system */
};

/*
 * Add (a copy of) url, labelled by it for /metrics.  The source, or
 * NULL after a message on stderr (too many, out of memory).  Calls
 * fetch_global_init() the first time: before any thread starts.
 */
struct fetch_source *fetch_set_add(struct fetch_set *fs, const char *url);
/* The source of url, or NULL (not a URL source). */
struct fetch_source *fetch_set_find(struct fetch_set *fs, const char *url);
/*
 * On the reload worker: refresh every source, logging through log
 * (daemon_log) what failed and that the last good body is kept.  The
 * number of sources with a new body, or -1 when a source has never
 * loaded and failed now (nothing to fall back on: the load fails).
 */
int	fetch_set_refresh(struct fetch_set *fs,
	    void (*say)(int prio, const char *fmt, ...));
/* After the load: commit the new bodies (loaded) or drop them. */
void	fetch_set_done(struct fetch_set *fs, bool loaded);
void	fetch_set_metrics(struct fetch_set *fs, const char *prefix,
	    struct manrs_buf *out);
void	fetch_set_clear(struct fetch_set *fs);

#endif /* MANRS_FETCH_SOURCE_H */
