/*
 * daemon.h - the daemon layer shared by "manrs irrd" and "manrs rtrd":
 * listeners with capped accept, per-connection buffers, deadlines and
 * half-close, signals, a reload worker, logging and a Prometheus
 * /metrics endpoint.  A daemon supplies callbacks; the layer owns every
 * socket, timer and signal (the library never does).
 *
 * Life of a daemon (every call on the main thread):
 *
 *	struct daemon_opts o;
 *	daemon_opts_init(&o, "rtrd", 7500);	defaults; then getopt_long
 *	    with DAEMON_LONGOPTS in the table, forwarding every code
 *	    >= DAEMON_OPT_BASE to daemon_opt(&o, ch, optarg)
 *	d = daemon_new(&cfg, &o);		base, logging
 *	daemon_start(d);			rlimit, bind listeners and
 *						metrics, open the port file,
 *						drop privileges (--user)
 *	daemon_reload_now(d, "start");		first load, in place
 *	daemon_run(d);				port file written; loop
 *						until SIGTERM / SIGINT
 *	daemon_free(d);
 *
 * Connections: the layer reads into a bounded input buffer and offers
 * the bytes to ops->input, which consumes what it can; unconsumed bytes
 * stay and are offered again after daemon_conn_resume() or more input.
 * Output queued with daemon_conn_write() is flushed by the layer;
 * ops->drained runs when the queue falls to the low-water mark.  On EOF
 * from the client, reading stops, all buffered input is offered, then
 * ops->eof runs: answer what is complete, and call daemon_conn_close()
 * when nothing more will be queued; the layer flushes, then closes.
 *
 * Limits enforced by the layer: --max-clients (clamped below the fd
 * limit), --max-per-address, a request deadline (the daemon says when
 * a partial request is pending with daemon_conn_set_partial()), an idle
 * timeout (daemon_conn_set_idle()), and a write timeout (no output
 * progress for the idle time).  On EMFILE/ENFILE accepting pauses.
 */
#ifndef MANRS_DAEMON_H
#define MANRS_DAEMON_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <syslog.h>

#include <manrs/manrs.h>

struct event_base;
struct sockaddr;

#define DAEMON_LISTEN_MAX		8
#define DAEMON_MAX_CLIENTS_DEFAULT	1024
#define DAEMON_PER_ADDRESS_DEFAULT	64
#define DAEMON_REQUEST_TIMEOUT_DEFAULT	10	/* seconds */
#define DAEMON_INPUT_MAX_DEFAULT	(64u * 1024u)
#define DAEMON_PEER_STRLEN		(MANRS_ADDR_STRLEN + 8)

/* Command-line options shared by the daemons (see daemon_opt()). */
enum {
	DAEMON_OPT_BASE = 0x1000,
	DAEMON_OPT_LISTEN = DAEMON_OPT_BASE,
	DAEMON_OPT_PORT_FILE,
	DAEMON_OPT_MAX_CLIENTS,
	DAEMON_OPT_PER_ADDRESS,
	DAEMON_OPT_REQUEST_TIMEOUT,
	DAEMON_OPT_IDLE_TIMEOUT,
	DAEMON_OPT_LOG_FORMAT,
	DAEMON_OPT_SYSLOG,
	DAEMON_OPT_METRICS,
	DAEMON_OPT_USER,
	DAEMON_OPT_NO_SECCOMP,
	DAEMON_OPT_END
};

/* Entries for a struct option table (put before its NULL terminator). */
#define DAEMON_LONGOPTS							\
	{ "listen", required_argument, NULL, DAEMON_OPT_LISTEN },	\
	{ "port-file", required_argument, NULL, DAEMON_OPT_PORT_FILE },	\
	{ "max-clients", required_argument, NULL, DAEMON_OPT_MAX_CLIENTS }, \
	{ "max-per-address", required_argument, NULL,			\
	    DAEMON_OPT_PER_ADDRESS },					\
	{ "request-timeout", required_argument, NULL,			\
	    DAEMON_OPT_REQUEST_TIMEOUT },				\
	{ "idle-timeout", required_argument, NULL,			\
	    DAEMON_OPT_IDLE_TIMEOUT },					\
	{ "log-format", required_argument, NULL, DAEMON_OPT_LOG_FORMAT }, \
	{ "syslog", no_argument, NULL, DAEMON_OPT_SYSLOG },		\
	{ "metrics", required_argument, NULL, DAEMON_OPT_METRICS },	\
	{ "user", required_argument, NULL, DAEMON_OPT_USER },		\
	{ "no-seccomp", no_argument, NULL, DAEMON_OPT_NO_SECCOMP }

enum daemon_log_format { DAEMON_LOG_TEXT, DAEMON_LOG_JSON };

struct daemon_opts {
	const char		*name;		/* "irrd", "rtrd" */
	const char		*listen[DAEMON_LISTEN_MAX];
	int			 nlisten;
	const char		*port_file;	/* one bound port a line */
	const char		*metrics;	/* ADDR:PORT or NULL */
	const char		*user;		/* NULL: daemon_priv default */
	bool			 seccomp;	/* default true */
	unsigned		 max_clients;
	unsigned		 max_per_address;	/* 0 = no cap */
	unsigned		 request_timeout;	/* s, 0 = none */
	unsigned		 idle_timeout;		/* s, 0 = none */
	enum daemon_log_format	 log_format;
	bool			 syslog;
	/* URL sources (fetch_source.h): outbound TCP/UDP after the drop. */
	bool			 fetch;
};

/* Defaults (idle: the daemon's own default idle timeout in seconds). */
void	daemon_opts_init(struct daemon_opts *o, const char *name,
	    unsigned idle);
/*
 * Handle one shared option (ch in [DAEMON_OPT_BASE, DAEMON_OPT_END)).
 * 0, or -1 after a message on stderr naming the option.
 */
int	daemon_opt(struct daemon_opts *o, int ch, const char *arg);
/* The shared options' lines for a daemon's usage text. */
void	daemon_usage(FILE *fp);

/*
 * Logging: one line per call, timestamped (RFC 3339 UTC), as text
 * ("2026-12-01T15:00:00Z manrs rtrd: msg") or JSON ({"ts":..,
 * "daemon":..,"level":..,"msg":..}) on stderr, or to syslog with ident
 * "manrs-<name>".  prio is a syslog level (LOG_ERR, LOG_WARNING,
 * LOG_INFO, ...).  Thread-safe (the reload worker logs too).
 */
void	daemon_log(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	daemon_vlog(int prio, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Apply --log-format / --syslog (daemon_new does; for early use). */
void	daemon_log_setup(const struct daemon_opts *o);
/* A diagnostics sink that writes through daemon_log(). */
void	daemon_diag_sink(struct manrs_diag_sink *sink);

struct daemon;
struct daemon_conn;

/* Why a connection was refused (metric label "reason"). */
enum daemon_refuse {
	DAEMON_REFUSE_CAP,		/* --max-clients reached */
	DAEMON_REFUSE_PER_ADDRESS,	/* --max-per-address reached */
	DAEMON_REFUSE_FD,		/* EMFILE/ENFILE, out of memory */
	DAEMON_REFUSE_NREASONS
};

struct daemon_conn_ops {
	/*
	 * A client was accepted (caps passed).  Return the connection's
	 * state (daemon_conn_data()) or NULL to close it at once.
	 */
	void	*(*accepted)(struct daemon_conn *c);
	/*
	 * Input: consume up to len bytes of p, return how many were
	 * consumed.  Unconsumed bytes stay buffered (and reading pauses
	 * when DAEMON_INPUT_MAX_DEFAULT is buffered).  May queue output,
	 * pause, close.
	 */
	size_t	 (*input)(struct daemon_conn *c, const uint8_t *p, size_t len);
	/* Queued output fell to the low-water mark (NULL: ignored). */
	void	 (*drained)(struct daemon_conn *c);
	/*
	 * The client shut its write side (half-close) after every buffered
	 * byte was offered to input.  Answer what is complete, then
	 * daemon_conn_close().  NULL: the layer closes after the flush.
	 */
	void	 (*eof)(struct daemon_conn *c);
	/*
	 * The connection is gone; why is static text.  Free the state.
	 * Runs from the loop after the close, never inside a call the
	 * daemon made (close, abort, write ...), so the daemon may go on
	 * using its state after asking for a close.
	 */
	void	 (*closed)(struct daemon_conn *c, const char *why);
	/*
	 * Refused at a cap: the final words for the client (RTR Error
	 * Report, whois "F ..."), written into out[0..outsize) given the
	 * first bytes it sent (in[0..inlen), possibly none, read within a
	 * second).  Returns the length.  NULL: just close.
	 */
	size_t	 (*refusal)(void *arg, enum daemon_refuse why,
		    const uint8_t *in, size_t inlen, uint8_t *out,
		    size_t outsize);
};

/* Result of a reload's apply step (counted in metrics). */
enum daemon_reload_result {
	DAEMON_RELOAD_CHANGED,		/* new data installed */
	DAEMON_RELOAD_UNCHANGED,	/* loaded, same as served */
	DAEMON_RELOAD_FAILED,		/* old data kept, no retry */
	DAEMON_RELOAD_RETRY		/* old data kept, retry w/ backoff */
};

struct daemon_reload_ops {
	/*
	 * On the reload worker thread (or the main thread for
	 * daemon_reload_now): build the new data beside the served one.
	 * Returns it (owned by the daemon) or NULL with *err set.  Must
	 * not touch what the main thread uses without its own locking.
	 */
	void	*(*load)(void *arg, int *err);
	/*
	 * On the main thread: install data (or take the failure: data NULL
	 * and err).  why: what asked for the reload ("SIGHUP", "start",
	 * ...).  Owns data from here on.  The daemon logs what it did.
	 */
	enum daemon_reload_result (*apply)(void *arg, const char *why,
		    void *data, int err);
	/* Free a result never applied (loaded during shutdown). */
	void	 (*discard)(void *arg, void *data);
};

struct daemon_config {
	const struct daemon_conn_ops	*conn;
	const struct daemon_reload_ops	*reload;	/* NULL: no reloads */
	/* Append the daemon's own metrics (Prometheus text). */
	void	(*metrics)(void *arg, struct manrs_buf *out);
	void	*arg;			/* passed to every callback */
	/* Metric name prefix, e.g. "manrs_rtr"; "<prefix>_clients" ... */
	const char	*metric_prefix;
	/*
	 * If set, print "<banner> listening on ADDR:PORT" on stdout for
	 * each listener (and "metrics listening on ..."), when the loop
	 * starts: the data is loaded.
	 */
	const char	*banner;
};

/*
 * A daemon over the parsed options (o is copied).  Sets up logging.
 * NULL on failure (logged).
 */
struct daemon *daemon_new(const struct daemon_config *cfg,
	    const struct daemon_opts *o);
/*
 * Raise RLIMIT_NOFILE to the hard limit and clamp max_clients below it,
 * bind every --listen and --metrics address, open --port-file, then
 * drop privileges (daemon_priv_drop).  0, or -1 (logged).
 */
int	daemon_start(struct daemon *d);
/*
 * Write --port-file (the data is loaded: serving), then run the loop
 * until SIGTERM or SIGINT.  0, or -1.
 */
int	daemon_run(struct daemon *d);
/* Close every connection (ops->closed runs), join the reload worker. */
void	daemon_free(struct daemon *d);
/* Ask the loop to exit (as SIGTERM does). */
void	daemon_stop(struct daemon *d);

struct event_base *daemon_base(struct daemon *d);
unsigned	daemon_clients(const struct daemon *d);
const struct daemon_opts *daemon_options(const struct daemon *d);

/*
 * Reloads.  daemon_reload() starts one in the worker thread; one asked
 * for while another runs is queued (one more runs afterwards, whatever
 * the number asked for meanwhile), never dropped.  A RETRY result is
 * retried after 1 s, doubling to 5 min, until one succeeds.  SIGHUP
 * calls daemon_reload(d, "SIGHUP").  daemon_reload_now() loads and
 * applies in place (before the loop runs) and returns the result.
 */
void	daemon_reload(struct daemon *d, const char *why);
enum daemon_reload_result daemon_reload_now(struct daemon *d,
	    const char *why);
bool	daemon_reloading(const struct daemon *d);
/* A failed reload's retry is scheduled (backing off). */
bool	daemon_reload_retrying(const struct daemon *d);

/* Call f(c, arg) on every open connection (f may close any). */
void	daemon_conn_foreach(struct daemon *d,
	    void (*f)(struct daemon_conn *c, void *arg), void *arg);

/* Connections (main thread only). */
void	*daemon_conn_data(const struct daemon_conn *c);
/* cfg->arg of the connection's daemon. */
void	*daemon_conn_arg(const struct daemon_conn *c);
struct daemon *daemon_conn_daemon(const struct daemon_conn *c);
/* "ADDR:PORT" / "[V6]:PORT" of the client. */
const char *daemon_conn_peer(const struct daemon_conn *c);
const struct sockaddr *daemon_conn_addr(const struct daemon_conn *c);
/*
 * Queue output.  0, or -1 (out of memory, or the connection is closed):
 * the caller then aborts the connection.
 */
int	daemon_conn_write(struct daemon_conn *c, const void *p, size_t len);
/* Bytes queued and not yet written to the socket. */
size_t	daemon_conn_outq(const struct daemon_conn *c);
/* ops->drained runs when the queue falls to n bytes or less (0). */
void	daemon_conn_set_lowat(struct daemon_conn *c, size_t n);
/* Stop / restart offering input (resume offers what is buffered). */
void	daemon_conn_pause(struct daemon_conn *c);
void	daemon_conn_resume(struct daemon_conn *c);
/* Idle timeout in seconds (0: none); the default is --idle-timeout. */
void	daemon_conn_set_idle(struct daemon_conn *c, unsigned secs);
/*
 * The daemon holds an incomplete request (partial line or PDU).  The
 * first call with true after false starts the request deadline
 * (--request-timeout, from the arrival of the bytes); false stops it.
 * When it expires the connection is closed ("request timeout").
 */
void	daemon_conn_set_partial(struct daemon_conn *c, bool partial);
/*
 * No more output will be queued: stop reading, flush, shut the write
 * side, then close (input arriving meanwhile is discarded for up to
 * 2 s, so that unread input does not reset the connection).
 */
void	daemon_conn_close(struct daemon_conn *c);
/*
 * Close now, dropping queued output; why is static text for the log.
 * c stays valid (every call on it a no-op) until ops->closed returns.
 */
void	daemon_conn_abort(struct daemon_conn *c, const char *why);
/* True once close or abort was asked for, or EOF was seen. */
bool	daemon_conn_closing(const struct daemon_conn *c);
bool	daemon_conn_eof(const struct daemon_conn *c);
/*
 * Keep the struct (not the socket) alive across a close, for work
 * that finishes later on another thread: hold before handing c off,
 * release on the main thread when done (then daemon_conn_closing()
 * tells whether the client is still there).  ops->closed still runs
 * when the connection closes; only the struct outlives it.
 */
void	daemon_conn_hold(struct daemon_conn *c);
void	daemon_conn_release(struct daemon_conn *c);

/* Prometheus text helpers for the metrics callback. */
void	daemon_metric_head(struct manrs_buf *out, const char *name,
	    const char *type, const char *help);

#endif /* MANRS_DAEMON_H */
