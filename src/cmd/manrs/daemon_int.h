/*
 * daemon_int.h - between daemon.c and daemon_http.c (not for daemons).
 */
#ifndef MANRS_DAEMON_INT_H
#define MANRS_DAEMON_INT_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <pthread.h>
#include <time.h>

#include <event2/util.h>

#include "daemon.h"

struct bufferevent;
struct evconnlistener;

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

/* The layer's own state, shared by daemon.c, daemon_conn.c and
 * daemon_reload.c. */

#define ACCEPT_PAUSE_MS		250
#define LOG_EVERY		5	/* s between rate-limited lines */
#define FD_RESERVE		32	/* stdio, epoll, pipes, input files */
#define REFUSING_MAX		8	/* refused clients given a last word */
#define REFUSAL_WAIT		1	/* s to wait for their first bytes */
#define LINGER_SECS		2	/* discard input after the answer */
#define WRITE_TIMEOUT_MAX	120	/* s without output progress */
#define BACKOFF_MIN		1	/* s: first retry of a failed reload */
#define BACKOFF_MAX		300
#define BACKLOG			511
#define DAEMON_BANNER_MAX	(DAEMON_PEER_STRLEN + 32)

/* A rate-limited log line. */
struct ratelog {
	time_t		last;
	uint64_t	suppressed;
};

/* Connections per source address (IPv6: per /64), in a hash table. */
struct addr_ent {
	LIST_ENTRY(addr_ent)	 entry;
	uint8_t			 key[17];
	unsigned		 n;
};

LIST_HEAD(addr_list, addr_ent);

/* A refused client waiting (briefly) for its last word. */
struct refusing {
	LIST_ENTRY(refusing)	 entry;
	struct daemon		*d;
	struct event		*ev;
	evutil_socket_t		 fd;
	enum daemon_refuse	 why;
};

struct daemon_conn {
	TAILQ_ENTRY(daemon_conn) entry;
	struct daemon		*d;
	struct bufferevent	*bev;
	struct event		*deadline, *kick, *linger;
	void			*data;
	struct addr_ent		*addr;
	struct sockaddr_storage	 ss;
	char			 peer[DAEMON_PEER_STRLEN];
	const char		*why;		/* close reason */
	unsigned		 idle;
	size_t			 lowat;
	int			 refs, in_cb;
	bool			 paused, eof, eof_told, closing, closed,
				 closed_told, partial, offering;
};

struct daemon {
	struct daemon_config	 cfg;
	struct daemon_opts	 o;
	struct event_base	*base;
	struct evconnlistener	*ls[DAEMON_LISTEN_MAX + 1];
	int			 nls;		/* the last may be metrics */
	/* stdout lines printed when serving (no banner: " listening...") */
	char			 bound[DAEMON_LISTEN_MAX + 1]
				      [DAEMON_BANNER_MAX];
	struct event		*accept_ev;	/* re-enable after a pause */
	bool			 accept_paused;
	struct ratelog		 log_accept, log_refuse, log_timeout;
	TAILQ_HEAD(, daemon_conn) conns;
	TAILQ_HEAD(, daemon_conn) reap;		/* closed, to tell the daemon */
	struct event		*reap_ev;
	unsigned		 nconns, max_clients;
	struct addr_list	*addrs;		/* naddrs buckets */
	size_t			 naddrs;
	uint32_t		 addr_seed;	/* against hash flooding */
	LIST_HEAD(, refusing)	 refusing;
	unsigned		 nrefusing;
	struct event		*sig_hup, *sig_term, *sig_int;
	struct daemon_http	*http;
	FILE			*port_fp;	/* --port-file, until serving */
	/* the reload worker */
	pthread_t		 thr;
	bool			 thr_started;
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cv;
	bool			 job, quit;	/* under mtx */
	void			*job_data;	/* the worker's result */
	int			 job_err;
	int			 pipe[2];
	struct event		*pipe_ev, *retry_ev;
	bool			 reloading;
	const char		*reload_why, *queued;
	unsigned		 backoff;
	/* counters for /metrics */
	time_t			 started, last_reload;
	bool			 last_reload_ok;
	uint64_t		 accepted, refused[DAEMON_REFUSE_NREASONS];
	uint64_t		 accept_errors, accept_pauses;
	uint64_t		 request_timeouts, idle_timeouts,
				 write_timeouts, half_closes;
	uint64_t		 reloads[4], reloads_queued, reload_retries;
};


/* daemon.c */
void	daemon_ratelog(struct ratelog *r, int prio, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	daemon_addr_name(const struct sockaddr *sa, char *buf, size_t size);

/* daemon_conn.c */
struct addr_ent *daemon_addr_get(struct daemon *d, const struct sockaddr *sa,
	    bool create);
/* A client that passed the caps (takes fd). */
void	daemon_conn_accept(struct daemon *d, evutil_socket_t fd,
	    const struct sockaddr *sa, int salen);
/* Close now; ops->closed follows from the loop (daemon_conn_reap). */
void	daemon_conn_teardown(struct daemon_conn *c, const char *why);
/* Run ops->closed for the connections closed since the last call. */
void	daemon_conn_reap(struct daemon *d);

/* daemon_reload.c */
int	daemon_reload_setup(struct daemon *d);
void	daemon_reload_stop(struct daemon *d);

#endif /* MANRS_DAEMON_INT_H */
