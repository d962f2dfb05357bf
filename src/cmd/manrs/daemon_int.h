/*
 * daemon_int.h - between daemon.c and daemon_http.c (not for daemons).
 */
#ifndef MANRS_DAEMON_INT_H
#define MANRS_DAEMON_INT_H

#include <event2/util.h>

#include "daemon.h"

#define DAEMON_HTTP_CONN_MAX	16		/* metrics connections */
#define DAEMON_HTTP_HEADER_MAX	(8u * 1024u)	/* request line + headers */
#define DAEMON_HTTP_TIMEOUT	5		/* s for the whole request */
#define DAEMON_HTTP_BODY_MAX	(16u * 1024u * 1024u)

struct daemon_http;

/* Render the page (Prometheus text) into out. */
typedef void	daemon_http_render_fn(void *arg, struct manrs_buf *out);

struct daemon_http *daemon_http_new(struct event_base *base,
	    daemon_http_render_fn *render, void *arg);
/* Serve one accepted connection (takes fd). */
void	daemon_http_accept(struct daemon_http *h, evutil_socket_t fd);
void	daemon_http_free(struct daemon_http *h);

struct daemon_http_stats {
	uint64_t	requests;	/* answered 200 */
	uint64_t	refused;	/* over DAEMON_HTTP_CONN_MAX */
	uint64_t	too_large;	/* headers over the bound: 431 */
	uint64_t	timeouts;	/* no full request in time */
	uint64_t	bad;		/* 400, 404, 405 */
};
void	daemon_http_stats(const struct daemon_http *h,
	    struct daemon_http_stats *st);

#endif /* MANRS_DAEMON_INT_H */
