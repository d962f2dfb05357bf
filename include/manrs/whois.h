/*
 * manrs/whois.h - IRRd query-language engine (IRRd-style "!" queries and
 * RIPE-style "-" queries) as a bytes-in / bytes-out state machine.
 *
 * No sockets: a daemon (manrs irrd) feeds the bytes a client sent with
 * manrs_whois_input(), runs manrs_whois_step() to answer one complete
 * query line at a time into an output buffer, writes that buffer out and
 * closes the connection once manrs_whois_closing() is true and the
 * output is flushed.  Queries are answered strictly in order, so
 * pipelining is free.
 *
 * A daemon uses the resumable form instead: manrs_whois_prepare()
 * answers the next line into the session (on any thread; the expensive
 * part), then manrs_whois_emit() hands the answer out in chunks of at
 * most the bytes the caller has room for, so a client's queued output
 * stays bounded whatever the answer size.  A prepared answer keeps a
 * reference to the database snapshot (struct manrs_whois_db) it points
 * into, so a reload can swap snapshots while answers are being sent.
 *
 * Framing of "!" answers (IRRd): "A<n>\n" + n bytes of data + "C\n";
 * "C\n" success without data; "D\n" key not found; "F <message>\n"
 * error.  Without "!!" (multiple-command mode) or "-k" the connection
 * closes after the first answer, as IRRd does.
 */
#ifndef MANRS_WHOIS_H
#define MANRS_WHOIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/irrdb.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_WHOIS_LINE_MAX	(16u * 1024u)	/* bytes per query line */
#define MANRS_WHOIS_ANSWER_MAX	(64u * 1024u * 1024u) /* bytes per answer */
#define MANRS_WHOIS_PENDING_MAX	(256u * 1024u)	/* unprocessed input */
#define MANRS_WHOIS_TIMEOUT_MAX	1000u		/* "!t" seconds (IRRd: 1-1000) */

struct manrs_whois_session;

/*
 * A database snapshot shared by sessions and worker threads: reference
 * counted (the last unref frees the database) and with an optional cache
 * of set-expansion answers ("!a", "!i...,1") bounded by cache_bytes
 * (0: no cache).  The cache belongs to the snapshot, so a reload starts
 * with an empty one.  Thread-safe.
 */
struct manrs_whois_db;

struct manrs_whois_db_stats {
	uint64_t	cache_hits;
	uint64_t	cache_misses;
	uint64_t	cache_entries;
	uint64_t	cache_bytes;
};

/* Takes ownership of db (freed with the last reference). */
MANRS_API struct manrs_whois_db *manrs_whois_db_new(struct manrs_irrdb *db,
	    size_t cache_bytes, int *err);
MANRS_API struct manrs_whois_db *manrs_whois_db_ref(struct manrs_whois_db *w);
MANRS_API void	manrs_whois_db_unref(struct manrs_whois_db *w);
MANRS_API
const struct manrs_irrdb *manrs_whois_db_irrdb(const struct manrs_whois_db *w);
MANRS_API void	manrs_whois_db_stats(struct manrs_whois_db *w,
	    struct manrs_whois_db_stats *st);

/* NULL with *err on allocation failure. */
MANRS_API struct manrs_whois_session *manrs_whois_session_new(int *err);
MANRS_API void	manrs_whois_session_free(struct manrs_whois_session *s);
/*
 * Append client bytes.  Returns 0, or MANRS_E_LIMIT when more than
 * MANRS_WHOIS_PENDING_MAX bytes would be pending (the caller should stop
 * reading until step() has consumed some).  A line longer than
 * MANRS_WHOIS_LINE_MAX is answered with an "F" error and the session
 * closes.
 */
MANRS_API int	manrs_whois_input(struct manrs_whois_session *s, const void *p,
	    size_t n);
/*
 * Answer the next complete query line against db, appending the answer
 * to out.  Returns 1 when a line was handled, 0 when no complete line is
 * pending (or the session is closing), MANRS_E_NOMEM.
 */
MANRS_API int	manrs_whois_step(struct manrs_whois_session *s,
	    const struct manrs_irrdb *db, struct manrs_buf *out);
/*
 * Resumable form.  manrs_whois_prepare() answers the next complete line
 * into the session (taking a reference on w while the answer is out):
 * 1 when a line was handled, 0 when none is complete (or closing),
 * MANRS_E_NOMEM.  Call it only when manrs_whois_answering() is false.
 * manrs_whois_emit() appends at most max bytes of the answer to out (an
 * RPSL object shown with -K may overshoot by one object): 1 while more
 * remains, 0 when the answer is complete, or out's error.
 */
MANRS_API int	manrs_whois_prepare(struct manrs_whois_session *s,
	    struct manrs_whois_db *w);
MANRS_API
int	manrs_whois_emit(struct manrs_whois_session *s, struct manrs_buf *out,
	    size_t max);
MANRS_API bool	manrs_whois_answering(const struct manrs_whois_session *s);
/*
 * Cost class of the next complete query line: 0 none pending, 1 cheap,
 * 2 heavy (set expansions "!a", "!i", more-specific lookups) - a daemon
 * runs heavy ones on worker threads.  *kind (may be NULL) gets the query
 * type for metrics ("!a", "!g", "-i", "ripe", ...; static storage).
 */
MANRS_API int	manrs_whois_peek(const struct manrs_whois_session *s,
	    const char **kind);
/*
 * True when the next complete line is a set expansion whose answer is in
 * w's cache (so cheap: a daemon answers it without the worker pool).
 */
MANRS_API bool	manrs_whois_cached(struct manrs_whois_session *s,
	    struct manrs_whois_db *w);
/* Bytes received and not yet answered. */
MANRS_API
size_t	manrs_whois_pending(const struct manrs_whois_session *s);
/* True once the connection should close (after flushing output). */
MANRS_API bool	manrs_whois_closing(const struct manrs_whois_session *s);
/* Idle timeout the client asked for with "!t" (0 = server default). */
MANRS_API unsigned manrs_whois_timeout(const struct manrs_whois_session *s);
/* Queries answered so far. */
MANRS_API uint64_t manrs_whois_queries(const struct manrs_whois_session *s);
/* True when the client disabled RPKI filtering ("!fno-rpki-filter"). */
MANRS_API
bool	manrs_whois_rpki_filter_off(const struct manrs_whois_session *s);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_WHOIS_H */
