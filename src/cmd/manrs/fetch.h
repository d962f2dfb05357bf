/*
 * fetch.h - the HTTP(S) fetcher of the manrs programs (libcurl multi
 * interface): `manrs sync` and the daemons' URL sources.  It lives with
 * the programs because the library never owns sockets.
 *
 * A batch of items is fetched with at most jobs transfers at once and at
 * most per_host connections to one host (HTTP/2 multiplexed where the
 * server offers it), proxies from the environment (http_proxy,
 * https_proxy, no_proxy: libcurl's rules), conditional requests
 * (If-None-Match / If-Modified-Since from the item), retries with
 * exponential backoff for transient failures (connection errors, cut
 * transfers, timeouts, HTTP 408/429/5xx), a partial body resumed with a
 * Range request guarded by If-Range, and a stalled transfer cut by the
 * low-speed limit.  The body goes to the item's file; the fetcher checks
 * the length against Content-Length and Content-Range, the caller
 * verifies the content and renames.
 */
#ifndef MANRS_FETCH_H
#define MANRS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#define FETCH_ETAG_MAX		256
#define FETCH_ERR_MAX		512
#define FETCH_HEADERS_MAX	8

enum fetch_status {
	FETCH_PENDING = 0,
	FETCH_OK,		/* 200/206: the body is in path */
	FETCH_NOT_MODIFIED,	/* 304: path untouched */
	FETCH_FAILED,		/* error says why */
};

struct fetch_item {
	/* In: owned by the caller, unchanged by the fetcher. */
	const char	*url;
	const char	*path;		/* the body (truncated) */
	/*
	 * Or, with path NULL, into memory (the daemons: no file is
	 * written after their privilege drop); at most mem->max bytes.
	 */
	struct manrs_buf *mem;
	/*
	 * File mode: where the validator of a partial body is kept (URL
	 * and ETag or Last-Modified, written when the body starts), so
	 * that a later run resumes the partial path with Range / If-Range
	 * instead of starting over.  Removed when the item completes.
	 * NULL: resume within this run only.
	 */
	const char	*resume_meta;
	const char	*etag;		/* If-None-Match; NULL = none */
	int64_t		 mtime;		/* If-Modified-Since; 0 */
	/* Extra request headers, NULL-ended. */
	const char	*headers[FETCH_HEADERS_MAX];
	void		*user;

	/* Out. */
	enum fetch_status status;
	long		 http_code;
	char		 etag_out[FETCH_ETAG_MAX];	/* "": none */
	int64_t		 last_modified;	/* 0 = none sent */
	uint64_t	 size;		/* bytes of the body in path */
	int		 attempts;
	bool		 resumed;	/* a Range request completed it */
	char		 error[FETCH_ERR_MAX];

	/* Private to the fetcher. */
	void		*priv;
};

struct fetch_opts {
	int		 jobs;		/* parallel transfers (>= 1) */
	int		 per_host;	/* connections per host (>= 1) */
	int		 retries;	/* attempts after the first */
	long		 backoff_ms;	/* first retry delay; doubles */
	long		 connect_timeout; /* seconds */
	long		 low_speed_limit; /* bytes/s ... */
	long		 low_speed_time;  /* ... this long: cut */
	long		 max_time;	/* s per attempt; 0 none */
	const char	*cacert;	/* CA bundle; NULL = the system's */
	const char	*user_agent;
	/*
	 * Called about every 200 ms while transfers run (now: bytes so
	 * far over all items, total: expected bytes of the running ones,
	 * 0 unknown) and once per item when it is done.  May be NULL.
	 */
	void		(*progress)(void *arg,
			    const struct fetch_item *items, size_t n);
	void		(*done)(void *arg, struct fetch_item *it);
	void		*arg;
};

/* Sensible defaults: 4 jobs, 2 per host, 3 retries, 1 s backoff ... */
void	fetch_opts_init(struct fetch_opts *o);

/* libcurl's global init; call once before any thread is started. */
int	fetch_global_init(void);
void	fetch_global_cleanup(void);

/*
 * Fetch every item (blocking).  Returns the number of items that
 * FAILED (0: all OK or not modified), or -1 when the fetcher itself
 * could not start (item errors then say why).
 */
int	fetch_run(struct fetch_item *items, size_t n,
	    const struct fetch_opts *o);

/* The bytes of a finished item's progress (for progress callbacks). */
uint64_t fetch_item_now(const struct fetch_item *it);
uint64_t fetch_item_total(const struct fetch_item *it);
bool	fetch_item_running(const struct fetch_item *it);

#endif /* MANRS_FETCH_H */
