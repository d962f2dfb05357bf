/*
 * daemon.c - the daemon layer of "manrs irrd" and "manrs rtrd" (see
 * daemon.h for the contract; docs/daemons.md for the design): options,
 * listeners and caps, refusals, signals, metrics, life cycle.  One
 * connection: daemon_conn.c; the reload worker: daemon_reload.c.
 *
 * One libevent loop owns every socket.  Invariants:
 * - accepting never spins: EMFILE/ENFILE pause every listener for
 *   ACCEPT_PAUSE_MS, logged at most once per LOG_EVERY seconds with the
 *   number of lines suppressed; max_clients stays below RLIMIT_NOFILE
 *   minus the descriptors kept for listeners, metrics, refusals, files;
 * - no connection outlives its limits: a partial request must complete
 *   within --request-timeout whatever the trickle, a silent client goes
 *   after its idle timeout, a non-reading one after its write timeout;
 * - a client's half-close ends reading, not the answer: every complete
 *   request is answered and the output flushed before the socket closes;
 * - a SIGHUP is never lost: one arriving during a reload queues one more;
 * - ops->closed runs from the loop, never inside a call the daemon
 *   made; a conn struct is freed after it, once no hold is left.
 */
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "daemon_int.h"
#include "daemon_priv.h"

static const char *const refuse_name[DAEMON_REFUSE_NREASONS] = {
	"cap", "per-address", "fd"
};

static int	signals_setup(struct daemon *);

/* -------------------------------------------------------------------- */
/* Options */

void
daemon_opts_init(struct daemon_opts *o, const char *name, unsigned idle)
{
	memset(o, 0, sizeof(*o));
	o->name = name;
	o->seccomp = true;
	o->max_clients = DAEMON_MAX_CLIENTS_DEFAULT;
	o->max_per_address = DAEMON_PER_ADDRESS_DEFAULT;
	o->request_timeout = DAEMON_REQUEST_TIMEOUT_DEFAULT;
	o->idle_timeout = idle;
	o->log_format = DAEMON_LOG_TEXT;
}

static int
opt_num(const char *opt, const char *arg, long long lo, long long hi,
    unsigned *out)
{
	const char *errstr = NULL;
	long long v = strtonum(arg, lo, hi, &errstr);

	if (errstr != NULL) {
		fprintf(stderr, "manrs: --%s %s: %s (want %lld..%lld)\n", opt,
		    arg, errstr, lo, hi);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

int
daemon_opt(struct daemon_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case DAEMON_OPT_LISTEN:
		if (o->nlisten == DAEMON_LISTEN_MAX) {
			fprintf(stderr, "manrs: at most %d --listen\n",
			    DAEMON_LISTEN_MAX);
			return -1;
		}
		o->listen[o->nlisten++] = arg;
		return 0;
	case DAEMON_OPT_PORT_FILE:
		o->port_file = arg;
		return 0;
	case DAEMON_OPT_MAX_CLIENTS:
		return opt_num("max-clients", arg, 1, 1000000,
		    &o->max_clients);
	case DAEMON_OPT_PER_ADDRESS:
		return opt_num("max-per-address", arg, 0, 1000000,
		    &o->max_per_address);
	case DAEMON_OPT_REQUEST_TIMEOUT:
		return opt_num("request-timeout", arg, 1, 3600,
		    &o->request_timeout);
	case DAEMON_OPT_IDLE_TIMEOUT:
		return opt_num("idle-timeout", arg, 0, 86400 * 7,
		    &o->idle_timeout);
	case DAEMON_OPT_LOG_FORMAT:
		if (strcmp(arg, "text") == 0)
			o->log_format = DAEMON_LOG_TEXT;
		else if (strcmp(arg, "json") == 0)
			o->log_format = DAEMON_LOG_JSON;
		else {
			fprintf(stderr, "manrs: --log-format %s: want text "
			    "or json\n", arg);
			return -1;
		}
		return 0;
	case DAEMON_OPT_SYSLOG:
		o->syslog = true;
		return 0;
	case DAEMON_OPT_METRICS:
		o->metrics = arg;
		return 0;
	case DAEMON_OPT_USER:
		o->user = arg;
		return 0;
	case DAEMON_OPT_NO_SECCOMP:
		o->seccomp = false;
		return 0;
	default:
		return -1;
	}
}

void
daemon_usage(FILE *fp)
{
	fprintf(fp,
"  --listen ADDR:PORT      listen here ([V6]:PORT; port 0: ephemeral;\n"
"                          up to 8)\n"
"  --port-file FILE        write the bound ports there, one a line, once\n"
"                          the data is loaded\n"
"  --max-clients N         connection cap, kept below the fd limit (%u)\n"
"  --max-per-address N     connections per source address, IPv6 per /64\n"
"                          (%u; 0 = no cap)\n"
"  --request-timeout SECS  a request must be complete this long after\n"
"                          its first byte (%u)\n"
"  --idle-timeout SECS     drop a silent client (0 = never)\n"
"  --metrics ADDR:PORT     Prometheus text on http://ADDR:PORT/metrics\n"
"  --log-format text|json  log line format on stderr (text)\n"
"  --syslog                log to syslog instead of stderr\n"
"  --user NAME             run as NAME once the sockets are bound\n"
"                          (default: \"manrs\" if it exists, else nobody;\n"
"                          \"root\" stays root)\n"
"  --no-seccomp            do not install the seccomp filter\n",
	    DAEMON_MAX_CLIENTS_DEFAULT, DAEMON_PER_ADDRESS_DEFAULT,
	    DAEMON_REQUEST_TIMEOUT_DEFAULT);
}

/* -------------------------------------------------------------------- */
/* Small helpers */

/* At most one line per LOG_EVERY seconds; says how many were skipped. */
void
daemon_ratelog(struct ratelog *r, int prio, const char *fmt, ...)
{
	char msg[512];
	time_t now = time(NULL);
	va_list ap;

	if (r->last != 0 && now - r->last < LOG_EVERY) {
		r->suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->suppressed > 0)
		daemon_log(prio, "%s (%llu similar lines suppressed)", msg,
		    (unsigned long long)r->suppressed);
	else
		daemon_log(prio, "%s", msg);
	r->last = now;
	r->suppressed = 0;
}

void
daemon_addr_name(const struct sockaddr *sa, char *buf, size_t size)
{
	char a[MANRS_ADDR_STRLEN];

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, size, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, size, "%s:%u", a, ntohs(s4->sin_port));
	} else
		snprintf(buf, size, "?");
}

/* "ADDR:PORT" or "[V6]:PORT" (empty ADDR: any) into a socket address. */
static int
resolve(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints, *res;
	char host[256];
	const char *port, *colon;
	size_t hl;
	int rc;

	if (spec[0] == '[') {
		const char *e = strchr(spec, ']');

		if (e == NULL || e[1] != ':')
			return -1;
		hl = (size_t)(e - spec - 1);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, spec + 1, hl);
		port = e + 2;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL)
			return -1;
		hl = (size_t)(colon - spec);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, spec, hl);
		port = colon + 1;
	}
	host[hl] = '\0';
	if (*port == '\0')
		return -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(hl > 0 ? host : NULL, port, &hints, &res)) != 0)
		return -1;
	if (res->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(res);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = (socklen_t)res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* -------------------------------------------------------------------- */
/* Accepting */

static void
refusal_done(evutil_socket_t fd, short what, void *arg)
{
	struct refusing *r = arg;
	struct daemon *d = r->d;
	uint8_t in[256], out[1024];
	ssize_t n = 0;
	size_t len;

	(void)what;
	if ((n = recv(fd, in, sizeof(in), MSG_DONTWAIT)) < 0)
		n = 0;
	len = d->cfg.conn->refusal(d->cfg.arg, r->why, in, (size_t)n, out,
	    sizeof(out));
	if (len > sizeof(out))
		len = sizeof(out);
	if (len > 0 && send(fd, out, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		(void)0;	/* it gets the close */
	LIST_REMOVE(r, entry);
	d->nrefusing--;
	event_free(r->ev);
	evutil_closesocket(r->fd);
	free(r);
}

static void
refuse(struct daemon *d, evutil_socket_t fd, enum daemon_refuse why,
    const char *peer)
{
	struct timeval tv = { REFUSAL_WAIT, 0 };
	struct refusing *r;

	d->refused[why]++;
	if (why == DAEMON_REFUSE_PER_ADDRESS)
		daemon_ratelog(&d->log_refuse, LOG_WARNING, "%s: refused: "
		    "--max-per-address %u reached", peer,
		    d->o.max_per_address);
	else
		daemon_ratelog(&d->log_refuse, LOG_WARNING, "%s: refused: "
		    "%u clients (--max-clients)", peer, d->nconns);
	if (d->cfg.conn->refusal == NULL || d->nrefusing >= REFUSING_MAX ||
	    (r = calloc(1, sizeof(*r))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	r->d = d;
	r->fd = fd;
	r->why = why;
	if ((r->ev = event_new(d->base, fd, EV_READ, refusal_done, r)) ==
	    NULL) {
		free(r);
		evutil_closesocket(fd);
		return;
	}
	LIST_INSERT_HEAD(&d->refusing, r, entry);
	d->nrefusing++;
	event_add(r->ev, &tv);
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct daemon *d = arg;
	struct addr_ent *e;
	char peer[DAEMON_PEER_STRLEN];

	(void)l;
	daemon_addr_name(sa, peer, sizeof(peer));
	if (d->nconns >= d->max_clients) {
		refuse(d, fd, DAEMON_REFUSE_CAP, peer);
		return;
	}
	if (d->o.max_per_address > 0 &&
	    (e = daemon_addr_get(d, sa, false)) != NULL &&
	    e->n >= d->o.max_per_address) {
		refuse(d, fd, DAEMON_REFUSE_PER_ADDRESS, peer);
		return;
	}
	daemon_conn_accept(d, fd, sa, salen);
}

static void
accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	int i;

	(void)fd;
	(void)what;
	d->accept_paused = false;
	for (i = 0; i < d->nls; i++)
		evconnlistener_enable(d->ls[i]);
}

/*
 * accept() failed.  Out of descriptors (or memory) the pending
 * connection stays in the backlog and the listener stays readable: pause
 * every listener for a moment instead of spinning.
 */
static void
on_accept_error(struct evconnlistener *l, void *arg)
{
	struct daemon *d = arg;
	struct timeval tv = { 0, ACCEPT_PAUSE_MS * 1000 };
	int e = EVUTIL_SOCKET_ERROR(), i;

	(void)l;
	d->accept_errors++;
	if (e != EMFILE && e != ENFILE && e != ENOBUFS && e != ENOMEM) {
		daemon_ratelog(&d->log_accept, LOG_WARNING, "accept: %s",
		    strerror(e));
		return;
	}
	d->refused[DAEMON_REFUSE_FD]++;
	if (d->accept_paused)
		return;
	d->accept_paused = true;
	d->accept_pauses++;
	for (i = 0; i < d->nls; i++)
		evconnlistener_disable(d->ls[i]);
	evtimer_add(d->accept_ev, &tv);
	daemon_ratelog(&d->log_accept, LOG_WARNING, "accept: %s with %u "
	    "clients; not accepting for %d ms", strerror(e), d->nconns,
	    ACCEPT_PAUSE_MS);
}

static void
http_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct daemon *d = arg;

	(void)l;
	(void)sa;
	(void)salen;
	daemon_http_accept(d->http, fd);
}

/*
 * A bound, non-blocking socket; IPv6 ones are IPv6-only, so that
 * "0.0.0.0:P" and "[::]:P" can both be given.
 */
static int
listen_socket(const struct sockaddr_storage *ss, socklen_t sl)
{
	int fd, one = 1;

	if ((fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0
	    || (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
	    bind(fd, (const struct sockaddr *)ss, sl) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
bind_one(struct daemon *d, const char *spec, evconnlistener_cb cb,
    const char *what)
{
	struct sockaddr_storage ss;
	socklen_t sl, bl;
	struct evconnlistener *l = NULL;
	char name[DAEMON_PEER_STRLEN];
	int fd;

	if (resolve(spec, &ss, &sl) != 0) {
		daemon_log(LOG_ERR, "--%s %s: want ADDR:PORT or [V6]:PORT",
		    what, spec);
		return -1;
	}
	if ((fd = listen_socket(&ss, sl)) < 0 ||
	    (l = evconnlistener_new(d->base, cb, d, LEV_OPT_CLOSE_ON_FREE,
	    BACKLOG, fd)) == NULL) {
		daemon_log(LOG_ERR, "--%s %s: %s", what, spec,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	evconnlistener_set_error_cb(l, on_accept_error);
	d->ls[d->nls++] = l;
	bl = sizeof(ss);
	if (getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&ss,
	    &bl) == 0)
		daemon_addr_name((struct sockaddr *)&ss, name, sizeof(name));
	else
		snprintf(name, sizeof(name), "%s", spec);
	daemon_log(LOG_INFO, "%s on %s", strcmp(what, "metrics") == 0 ?
	    "metrics (http) listening" : "listening", name);
	snprintf(d->bound[d->nls - 1], sizeof(d->bound[0]), "%s listening "
	    "on %s", strcmp(what, "metrics") == 0 ? "metrics" :
	    d->cfg.banner != NULL ? d->cfg.banner : "", name);
	return 0;
}

static int
bound_port(struct evconnlistener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&ss,
	    &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/*
 * --port-file is opened before privileges are dropped (it may sit where
 * only root writes) and filled when the loop starts, once the data is
 * loaded: a non-empty file means "serving".
 */
static int
open_port_file(struct daemon *d)
{
	if (d->o.port_file == NULL)
		return 0;
	if ((d->port_fp = fopen(d->o.port_file, "w")) == NULL) {
		daemon_log(LOG_ERR, "%s: %s", d->o.port_file, strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_port_file(struct daemon *d)
{
	FILE *fp = d->port_fp;
	int i;

	if (fp == NULL)
		return 0;
	d->port_fp = NULL;
	for (i = 0; i < d->o.nlisten; i++)
		fprintf(fp, "%d\n", bound_port(d->ls[i]));
	if (fclose(fp) != 0) {
		daemon_log(LOG_ERR, "%s: %s", d->o.port_file, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Raise the soft fd limit to the hard one; keep max_clients below it,
 * leaving room for listeners, metrics, refusals and the files a reload
 * reads.
 */
static void
fit_fd_limit(struct daemon *d)
{
	struct rlimit rl;
	rlim_t keep, room;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max;

		if (want == RLIM_INFINITY || want > 1048576)
			want = 1048576;
		if (want > rl.rlim_cur) {
			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
				(void)getrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	keep = FD_RESERVE + DAEMON_LISTEN_MAX + 1 + DAEMON_HTTP_CONN_MAX +
	    REFUSING_MAX;
	room = rl.rlim_cur > keep + 1 ? rl.rlim_cur - keep : 1;
	d->max_clients = d->o.max_clients;
	if ((rlim_t)d->max_clients > room) {
		d->max_clients = (unsigned)room;
		daemon_log(LOG_WARNING, "--max-clients %u lowered to %u: the "
		    "file descriptor limit (RLIMIT_NOFILE) is %llu and %llu "
		    "are kept for listeners, metrics and files; raise it "
		    "(LimitNOFILE=, ulimit -n) to serve more", d->o.max_clients,
		    d->max_clients, (unsigned long long)rl.rlim_cur,
		    (unsigned long long)keep);
	} else
		daemon_log(LOG_INFO, "up to %u clients (%u per address), "
		    "file descriptor limit %llu", d->max_clients,
		    d->o.max_per_address, (unsigned long long)rl.rlim_cur);
}

/* Hash buckets for the per-address counts: about 4 clients a bucket. */
static int
addrs_setup(struct daemon *d)
{
	size_t i;

	d->naddrs = 256;
	while (d->naddrs < d->max_clients / 4)
		d->naddrs *= 2;
	if ((d->addrs = reallocarray(NULL, d->naddrs, sizeof(*d->addrs)))
	    == NULL)
		return -1;
	for (i = 0; i < d->naddrs; i++)
		LIST_INIT(&d->addrs[i]);
	return 0;
}

/* -------------------------------------------------------------------- */
/* Signals, metrics, life cycle */

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	if (sig == SIGHUP) {
		daemon_reload(d, "SIGHUP");
		return;
	}
	daemon_log(LOG_INFO, "signal %d: exiting", (int)sig);
	event_base_loopbreak(d->base);
}

void
daemon_metric_head(struct manrs_buf *out, const char *name,
    const char *type, const char *help)
{
	manrs_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

static void
metric_u64(struct manrs_buf *out, const char *p, const char *name,
    const char *type, const char *help, uint64_t v)
{
	char full[128];

	snprintf(full, sizeof(full), "%s_%s", p, name);
	daemon_metric_head(out, full, type, help);
	manrs_buf_printf(out, "%s %llu\n", full, (unsigned long long)v);
}

static void
render_metrics(void *arg, struct manrs_buf *out)
{
	static const char *const rname[4] = {
		"changed", "unchanged", "failed", "failed"
	};
	struct daemon *d = arg;
	const char *p = d->cfg.metric_prefix;
	struct daemon_http_stats hs;
	int i;

	metric_u64(out, p, "clients", "gauge", "Connected clients.",
	    d->nconns);
	metric_u64(out, p, "max_clients", "gauge", "Client cap in force "
	    "(after fitting the fd limit).", d->max_clients);
	metric_u64(out, p, "clients_total", "counter", "Clients accepted.",
	    d->accepted);
	manrs_buf_printf(out, "# HELP %s_clients_refused_total Connections "
	    "refused, by reason.\n# TYPE %s_clients_refused_total counter\n",
	    p, p);
	for (i = 0; i < DAEMON_REFUSE_NREASONS; i++)
		manrs_buf_printf(out, "%s_clients_refused_total{reason=\"%s\"} "
		    "%llu\n", p, refuse_name[i],
		    (unsigned long long)d->refused[i]);
	metric_u64(out, p, "accept_pauses_total", "counter", "Times accepting "
	    "paused for lack of file descriptors.", d->accept_pauses);
	manrs_buf_printf(out, "# HELP %s_timeouts_total Connections closed by "
	    "a limit.\n# TYPE %s_timeouts_total counter\n"
	    "%s_timeouts_total{kind=\"request\"} %llu\n"
	    "%s_timeouts_total{kind=\"idle\"} %llu\n"
	    "%s_timeouts_total{kind=\"write\"} %llu\n", p, p, p,
	    (unsigned long long)d->request_timeouts, p,
	    (unsigned long long)d->idle_timeouts, p,
	    (unsigned long long)d->write_timeouts);
	metric_u64(out, p, "half_closes_total", "counter", "Clients that shut "
	    "their write side (answered, then closed).", d->half_closes);
	if (d->cfg.reload != NULL) {
		manrs_buf_printf(out, "# HELP %s_reloads_total Reloads, by "
		    "result.\n# TYPE %s_reloads_total counter\n", p, p);
		for (i = 0; i < 3; i++)
			manrs_buf_printf(out, "%s_reloads_total{result=\"%s\"} "
			    "%llu\n", p, rname[i], (unsigned long long)
			    (d->reloads[i] + (i == 2 ? d->reloads[3] : 0)));
		metric_u64(out, p, "reloads_queued_total", "counter",
		    "Reloads asked for during a reload (run after it).",
		    d->reloads_queued);
		metric_u64(out, p, "reload_retries_total", "counter",
		    "Failed reloads scheduled for a retry.", d->reload_retries);
		metric_u64(out, p, "reload_backoff_seconds", "gauge",
		    "Delay before the next retry (0: none pending).",
		    d->backoff);
		metric_u64(out, p, "reload_running", "gauge", "1 while a "
		    "reload runs.", d->reloading ? 1 : 0);
		metric_u64(out, p, "last_reload_timestamp_seconds", "gauge",
		    "Last reload attempt.", (uint64_t)d->last_reload);
		metric_u64(out, p, "last_reload_success", "gauge", "1 if the "
		    "last reload loaded cleanly.", d->last_reload_ok ? 1 : 0);
	}
	metric_u64(out, p, "start_time_seconds", "gauge", "When the daemon "
	    "started (UNIX time).", (uint64_t)d->started);
	metric_u64(out, p, "uptime_seconds", "gauge", "Seconds since start.",
	    (uint64_t)(time(NULL) - d->started));
	daemon_http_stats(d->http, &hs);
	manrs_buf_printf(out, "# HELP %s_metrics_requests_total Requests to "
	    "this endpoint, by outcome.\n# TYPE %s_metrics_requests_total "
	    "counter\n%s_metrics_requests_total{outcome=\"ok\"} %llu\n"
	    "%s_metrics_requests_total{outcome=\"refused\"} %llu\n"
	    "%s_metrics_requests_total{outcome=\"too_large\"} %llu\n"
	    "%s_metrics_requests_total{outcome=\"timeout\"} %llu\n"
	    "%s_metrics_requests_total{outcome=\"bad\"} %llu\n", p, p, p,
	    (unsigned long long)hs.requests, p,
	    (unsigned long long)hs.refused, p,
	    (unsigned long long)hs.too_large, p,
	    (unsigned long long)hs.timeouts, p, (unsigned long long)hs.bad);
	if (d->cfg.metrics != NULL)
		d->cfg.metrics(d->cfg.arg, out);
}

static void
reap(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	daemon_conn_reap(arg);
}

struct daemon *
daemon_new(const struct daemon_config *cfg, const struct daemon_opts *o)
{
	struct daemon *d;

	daemon_log_setup(o);
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->cfg = *cfg;
	d->o = *o;
	d->pipe[0] = d->pipe[1] = -1;
	d->started = time(NULL);
	TAILQ_INIT(&d->conns);
	TAILQ_INIT(&d->reap);
	d->addr_seed = arc4random();
	LIST_INIT(&d->refusing);
	pthread_mutex_init(&d->mtx, NULL);
	pthread_cond_init(&d->cv, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((d->base = event_base_new()) == NULL ||
	    (d->accept_ev = evtimer_new(d->base, accept_resume, d)) == NULL ||
	    (d->reap_ev = event_new(d->base, -1, 0, reap, d)) == NULL) {
		daemon_log(LOG_ERR, "cannot set up the event loop");
		daemon_free(d);
		return NULL;
	}
	return d;
}

/* daemon_priv.c's lines go through the daemon's logger. */
static void
priv_log(int prio, const char *msg)
{
	daemon_log(prio, "%s", msg);
}

/*
 * The one place privileges are dropped: after every socket is bound,
 * before any input file or client byte is read, and before any thread
 * starts (capabilities are per thread; daemon_priv_drop checks).
 */
static int
drop_privileges(struct daemon *d)
{
	struct daemon_priv_opts po;
	char err[512];

	daemon_priv_set_log(priv_log);
	memset(&po, 0, sizeof(po));
	po.user = d->o.user;
	po.name = d->o.name;
	po.seccomp = d->o.seccomp;
	daemon_priv_allow_fetch(d->o.fetch);
	if (daemon_priv_drop(&po, err, sizeof(err)) != 0) {
		daemon_log(LOG_ERR, "%s", err);
		return -1;
	}
	return 0;
}

int
daemon_start(struct daemon *d)
{
	int i;

	if (signals_setup(d) != 0)
		return -1;
	fit_fd_limit(d);
	if (addrs_setup(d) != 0)
		return -1;
	for (i = 0; i < d->o.nlisten; i++)
		if (bind_one(d, d->o.listen[i], on_accept, "listen") != 0)
			return -1;
	if (d->o.metrics != NULL) {
		if ((d->http = daemon_http_new(d->base, render_metrics, d)) ==
		    NULL || bind_one(d, d->o.metrics, http_accept,
		    "metrics") != 0)
			return -1;
	}
	if (open_port_file(d) != 0 || drop_privileges(d) != 0)
		return -1;
	return daemon_reload_setup(d);
}

/*
 * Catch the signals from the start, so that one arriving during the
 * first load is handled when the loop runs instead of killing us.
 */
static int
signals_setup(struct daemon *d)
{
	d->sig_hup = evsignal_new(d->base, SIGHUP, on_signal, d);
	d->sig_term = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->sig_int = evsignal_new(d->base, SIGINT, on_signal, d);
	if (d->sig_hup == NULL || d->sig_term == NULL || d->sig_int == NULL ||
	    event_add(d->sig_hup, NULL) != 0 ||
	    event_add(d->sig_term, NULL) != 0 ||
	    event_add(d->sig_int, NULL) != 0)
		return -1;
	return 0;
}

int
daemon_run(struct daemon *d)
{
	int i;

	if (write_port_file(d) != 0)
		return -1;
	/* "<banner> listening on ADDR:PORT" on stdout, also once serving */
	for (i = 0; i < d->nls; i++)
		if (d->bound[i][0] != ' ')
			printf("%s\n", d->bound[i]);
	fflush(stdout);
	return event_base_dispatch(d->base) < 0 ? -1 : 0;
}

void
daemon_stop(struct daemon *d)
{
	event_base_loopbreak(d->base);
}

struct event_base *
daemon_base(struct daemon *d)
{
	return d->base;
}

unsigned
daemon_clients(const struct daemon *d)
{
	return d->nconns;
}

const struct daemon_opts *
daemon_options(const struct daemon *d)
{
	return &d->o;
}

static void
free_events(struct daemon *d)
{
	struct event **evs[] = { &d->sig_hup, &d->sig_term, &d->sig_int,
	    &d->accept_ev, &d->retry_ev, &d->pipe_ev, &d->reap_ev };
	size_t i;

	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (*evs[i] != NULL) {
			event_free(*evs[i]);
			*evs[i] = NULL;
		}
}

void
daemon_free(struct daemon *d)
{
	struct refusing *r;

	if (d == NULL)
		return;
	while (!TAILQ_EMPTY(&d->conns))
		daemon_conn_teardown(TAILQ_FIRST(&d->conns), "shutting down");
	daemon_conn_reap(d);
	while ((r = LIST_FIRST(&d->refusing)) != NULL) {
		LIST_REMOVE(r, entry);
		event_free(r->ev);
		evutil_closesocket(r->fd);
		free(r);
	}
	daemon_reload_stop(d);
	while (d->nls > 0)
		evconnlistener_free(d->ls[--d->nls]);
	daemon_http_free(d->http);
	if (d->port_fp != NULL)
		fclose(d->port_fp);
	free_events(d);
	if (d->base != NULL)
		event_base_free(d->base);
	pthread_mutex_destroy(&d->mtx);
	pthread_cond_destroy(&d->cv);
	free(d->addrs);
	free(d);
}
