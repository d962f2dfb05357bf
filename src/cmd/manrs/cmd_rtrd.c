/*
 * cmd_rtrd.c - "manrs rtrd": an RPKI-to-Router cache (RFC 6810, RFC 8210,
 * draft-ietf-sidrops-8210bis) serving VRPs, router keys and ASPAs from
 * rpki-client / Routinator / StayRTR JSON or CSV, with SLURM.
 *
 * One libevent loop: listeners, one bufferevent per router, a 1 s tick
 * that watches the input files (reload on change, on SIGHUP, every
 * --reload-interval seconds, or when a served entry expires), and an
 * optional Prometheus endpoint.  A reload builds a complete new set in a
 * worker thread, beside the served one, and the loop swaps it in only
 * when it loaded cleanly (lib/rtr keeps the deltas); a bad file is
 * logged and counted and the last good data stays.  Serial Notify goes
 * out at most once per --notify-interval (default 60 s, RFC 8210 section
 * 8.2 asks for rate limiting).  Per client: bounded input (lib/rtr), an
 * output window refilled from the snapshot as it drains, an idle timeout,
 * and a cap on the number of clients.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pthread.h>
#include <netdb.h>
#include <pwd.h>
#include <unistd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "cli.h"
#include "rtrd_load.h"

#define RTRD_LISTEN_MAX		8
#define RTRD_OUT_HIGH		(32u * 1024u)	/* refill up to this */
#define RTRD_OUT_CHUNK		(16u * 1024u)
#define RTRD_READ_CHUNK		4096u

struct rtrd;

struct client {
	TAILQ_ENTRY(client)		 entry;
	struct rtrd			*d;
	struct bufferevent		*bev;
	struct manrs_rtr_session	*sess;
	char				 peer[MANRS_ADDR_STRLEN + 8];
	bool				 closing;
};

struct rtrd {
	struct event_base	*base;
	struct manrs_rtr_cache	*cache;
	struct rtrd_load_opts	 load;
	TAILQ_HEAD(, client)	 clients;
	unsigned		 nclients, max_clients;
	unsigned		 idle_timeout, reload_interval, notify_interval;
	bool			 watch;
	/* file identity at the last load attempt */
	struct stat		 st[RTRD_VRP_FILES_MAX + 1];
	time_t			 last_load, last_notify;
	bool			 notify_pending;
	struct event		*tick, *notify_ev, *sig_hup, *sig_term,
				*sig_int;
	struct evhttp		*http;
	struct evconnlistener	*listeners[RTRD_LISTEN_MAX];
	int			 nlisteners;
	struct manrs_buf	 scratch;	/* shared drain buffer */
	/* reloads run in a worker thread (load_worker) */
	struct manrs_diag_sink	 load_sink;
	pthread_t		 load_thread;
	int			 load_pipe[2];
	struct event		*load_ev;
	bool			 loading;
	const char		*load_why, *reload_again;
	struct manrs_vrp_set	*loaded;	/* the worker's result */
	int			 load_err;
	/* metrics */
	uint64_t		 reloads_ok, reloads_failed, reloads_same;
	uint64_t		 clients_total, clients_refused;
	time_t			 last_reload;
	bool			 last_reload_ok;
};

static void
logx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
logx(const char *fmt, ...)
{
	char ts[32];
	time_t t = time(NULL);
	struct tm tm;
	va_list ap;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s manrs rtrd: ", ts);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int	reload(struct rtrd *, const char *);

static void
client_free(struct client *c)
{
	struct rtrd *d = c->d;

	TAILQ_REMOVE(&d->clients, c, entry);
	d->nclients--;
	bufferevent_free(c->bev);
	manrs_rtr_session_free(c->sess);
	free(c);
}

/* Refill the socket's output from the session. */
static void
client_pump(struct client *c)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	struct manrs_buf *sb = &c->d->scratch;

	while (evbuffer_get_length(out) < RTRD_OUT_HIGH) {
		manrs_buf_reset(sb);
		if (manrs_rtr_session_drain(c->sess, sb, RTRD_OUT_CHUNK) == 0)
			break;
		if (sb->err != 0 || evbuffer_add(out, sb->p, sb->len) != 0) {
			c->closing = true;
			break;
		}
	}
	if (manrs_rtr_session_closing(c->sess) && !c->closing) {
		const char *why = manrs_rtr_session_reason(c->sess);

		logx("%s: closing: %s", c->peer, why ? why : "error");
		c->closing = true;
	}
	if (c->closing) {
		/* write callback fires when everything is written */
		bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
		bufferevent_disable(c->bev, EV_READ);
		if (evbuffer_get_length(out) == 0)
			client_free(c);
	}
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t buf[RTRD_READ_CHUNK];
	int n;

	while ((n = evbuffer_remove(in, buf, sizeof(buf))) > 0) {
		if (manrs_rtr_session_input(c->sess, buf, (size_t)n) != 0)
			break;
	}
	client_pump(c);
}

static void
client_write(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;

	(void)bev;
	client_pump(c);
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	struct client *c = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT)
		logx("%s: idle timeout", c->peer);
	else if (what & BEV_EVENT_ERROR)
		logx("%s: %s", c->peer, strerror(errno));
	client_free(c);
}

static void
peer_name(const struct sockaddr *sa, char *buf, size_t size)
{
	char a[MANRS_ADDR_STRLEN];

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, size, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, size, "%s:%u", a, ntohs(s4->sin_port));
	}
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct rtrd *d = arg;
	struct client *c;
	struct timeval idle = { (time_t)d->idle_timeout, 0 };
	struct timeval wto = { 120, 0 };

	(void)l;
	(void)salen;
	if (d->nclients >= d->max_clients) {
		d->clients_refused++;
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	c->d = d;
	peer_name(sa, c->peer, sizeof(c->peer));
	c->sess = manrs_rtr_session_new(d->cache);
	c->bev = bufferevent_socket_new(d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->sess == NULL || c->bev == NULL) {
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		else
			evutil_closesocket(fd);
		manrs_rtr_session_free(c->sess);
		free(c);
		return;
	}
	TAILQ_INSERT_TAIL(&d->clients, c, entry);
	d->nclients++;
	d->clients_total++;
	bufferevent_setcb(c->bev, client_read, client_write, client_event, c);
	bufferevent_setwatermark(c->bev, EV_WRITE, RTRD_OUT_CHUNK, 0);
	bufferevent_setwatermark(c->bev, EV_READ, 0, 2 * MANRS_RTR_PDU_MAX);
	bufferevent_set_timeouts(c->bev, d->idle_timeout ? &idle : NULL,
	    &wto);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

static void
notify_all(struct rtrd *d)
{
	struct client *c, *t;

	d->last_notify = time(NULL);
	d->notify_pending = false;
	TAILQ_FOREACH_SAFE(c, &d->clients, entry, t) {
		if (c->closing)
			continue;
		manrs_rtr_session_notify(c->sess);
		client_pump(c);
	}
}

static void
on_notify(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	notify_all(arg);
}

static void
schedule_notify(struct rtrd *d)
{
	time_t now = time(NULL);
	struct timeval tv = { 0, 0 };

	if (d->notify_pending)
		return;
	if (now - d->last_notify >= (time_t)d->notify_interval) {
		notify_all(d);
		return;
	}
	tv.tv_sec = (time_t)d->notify_interval - (now - d->last_notify);
	d->notify_pending = true;
	evtimer_add(d->notify_ev, &tv);
}

static void
stat_files(struct rtrd *d, struct stat *st)
{
	int i;

	memset(st, 0, sizeof(struct stat) * (RTRD_VRP_FILES_MAX + 1));
	for (i = 0; i < d->load.nfiles; i++)
		(void)stat(d->load.files[i], &st[i]);
	if (d->load.slurm != NULL)
		(void)stat(d->load.slurm, &st[RTRD_VRP_FILES_MAX]);
}

static bool
files_changed(struct rtrd *d)
{
	struct stat now[RTRD_VRP_FILES_MAX + 1];
	int i;

	stat_files(d, now);
	for (i = 0; i <= RTRD_VRP_FILES_MAX; i++)
		if (now[i].st_mtim.tv_sec != d->st[i].st_mtim.tv_sec ||
		    now[i].st_mtim.tv_nsec != d->st[i].st_mtim.tv_nsec ||
		    now[i].st_size != d->st[i].st_size ||
		    now[i].st_ino != d->st[i].st_ino)
			return true;
	return false;
}

/* Install a loaded set (or record the failure); on the loop thread. */
static int
apply_load(struct rtrd *d, const char *why, struct manrs_vrp_set *s,
    int err)
{
	const struct manrs_vrp_set *cur;
	bool changed;

	if (s == NULL) {
		d->reloads_failed++;
		d->last_reload_ok = false;
		logx("reload (%s) failed: %s; keeping serial %u", why,
		    manrs_strerror(err), manrs_rtr_cache_serial(d->cache));
		return err;
	}
	if ((err = manrs_rtr_cache_update(d->cache, s, &changed)) != 0) {
		d->reloads_failed++;
		d->last_reload_ok = false;
		logx("reload (%s): %s", why, manrs_strerror(err));
		return err;
	}
	d->last_reload_ok = true;
	if (!changed) {
		d->reloads_same++;
		logx("reload (%s): unchanged, serial %u", why,
		    manrs_rtr_cache_serial(d->cache));
		return 0;
	}
	d->reloads_ok++;
	cur = manrs_rtr_cache_set(d->cache);
	logx("loaded (%s): %zu IPv4 + %zu IPv6 VRPs, %zu ASPAs, %zu router "
	    "keys; serial %u", why, manrs_vrp_count(cur, MANRS_AF_INET),
	    manrs_vrp_count(cur, MANRS_AF_INET6), manrs_vrp_aspa_count(cur),
	    manrs_vrp_rkey_count(cur), manrs_rtr_cache_serial(d->cache));
	schedule_notify(d);
	return 0;
}

/* The worker: build the new set beside the served one. */
static void *
load_worker(void *arg)
{
	struct rtrd *d = arg;
	char b = 'x';

	d->loaded = rtrd_load(&d->load, &d->load_sink, &d->load_err);
	while (write(d->load_pipe[1], &b, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* The worker finished: join it and swap the new set in. */
static void
on_loaded(evutil_socket_t fd, short what, void *arg)
{
	struct rtrd *d = arg;
	const char *again;
	char b;

	(void)what;
	if (read(fd, &b, 1) != 1)
		return;
	pthread_join(d->load_thread, NULL);
	d->loading = false;
	apply_load(d, d->load_why, d->loaded, d->load_err);
	d->loaded = NULL;
	if ((again = d->reload_again) != NULL) {
		d->reload_again = NULL;
		reload(d, again);
	}
}

/*
 * Load the files again.  Before the loop runs (start) this is done in
 * place; afterwards in a worker thread, so routers keep being served
 * while a million VRPs load.  A reload asked for during a load runs
 * right after it.
 */
static int
reload(struct rtrd *d, const char *why)
{
	struct manrs_vrp_set *s;
	int err;

	if (d->loading) {
		d->reload_again = why;
		return 0;
	}
	stat_files(d, d->st);
	d->last_load = time(NULL);
	d->last_reload = d->last_load;
	if (d->load_ev != NULL) {
		d->load_why = why;
		d->loading = true;
		if (pthread_create(&d->load_thread, NULL, load_worker, d) == 0)
			return 0;
		d->loading = false;
	}
	s = rtrd_load(&d->load, &d->load_sink, &err);
	return apply_load(d, why, s, err);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct rtrd *d = arg;
	const struct manrs_vrp_set *cur = manrs_rtr_cache_set(d->cache);
	int64_t next = cur != NULL ? manrs_vrp_set_stats(cur)->next_expiry : 0;
	time_t now = time(NULL);

	(void)fd;
	(void)what;
	if (d->loading)
		return;
	/* stale data is withdrawn, not served forever: reloading drops
	 * what expired (not with a fixed --now clock) */
	if (d->load.read.now == 0 && next != 0 && (int64_t)now >= next &&
	    now - d->last_load >= 1)
		reload(d, "an entry expired");
	else if (d->reload_interval > 0 &&
	    now - d->last_load >= (time_t)d->reload_interval)
		reload(d, "interval");
	else if (d->watch && files_changed(d))
		reload(d, "file changed");
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct rtrd *d = arg;

	(void)what;
	if (sig == SIGHUP) {
		reload(d, "SIGHUP");
		return;
	}
	logx("signal %d: exiting", (int)sig);
	event_base_loopbreak(d->base);
}

static void
on_metrics(struct evhttp_request *req, void *arg)
{
	struct rtrd *d = arg;
	const struct manrs_vrp_set *s = manrs_rtr_cache_set(d->cache);
	struct evbuffer *b;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET ||
	    strcmp(evhttp_request_get_uri(req), "/metrics") != 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, NULL);
		return;
	}
	if ((b = evbuffer_new()) == NULL) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	evbuffer_add_printf(b,
	    "# HELP manrs_rtr_vrps VRPs served, by address family.\n"
	    "# TYPE manrs_rtr_vrps gauge\n"
	    "manrs_rtr_vrps{af=\"ipv4\"} %zu\nmanrs_rtr_vrps{af=\"ipv6\"} %zu\n"
	    "# HELP manrs_rtr_aspas ASPA records served (version 2).\n"
	    "# TYPE manrs_rtr_aspas gauge\nmanrs_rtr_aspas %zu\n"
	    "# HELP manrs_rtr_router_keys BGPsec router keys served.\n"
	    "# TYPE manrs_rtr_router_keys gauge\nmanrs_rtr_router_keys %zu\n"
	    "# HELP manrs_rtr_clients Connected routers.\n"
	    "# TYPE manrs_rtr_clients gauge\nmanrs_rtr_clients %u\n"
	    "# TYPE manrs_rtr_clients_total counter\n"
	    "manrs_rtr_clients_total %llu\n"
	    "# TYPE manrs_rtr_clients_refused_total counter\n"
	    "manrs_rtr_clients_refused_total %llu\n"
	    "# HELP manrs_rtr_serial Current serial number.\n"
	    "# TYPE manrs_rtr_serial gauge\nmanrs_rtr_serial %u\n"
	    "# TYPE manrs_rtr_session_id gauge\nmanrs_rtr_session_id %u\n"
	    "# TYPE manrs_rtr_deltas gauge\nmanrs_rtr_deltas %zu\n"
	    "# HELP manrs_rtr_last_reload_timestamp_seconds Last reload "
	    "attempt.\n"
	    "# TYPE manrs_rtr_last_reload_timestamp_seconds gauge\n"
	    "manrs_rtr_last_reload_timestamp_seconds %lld\n"
	    "# HELP manrs_rtr_last_reload_success 1 if the last reload "
	    "loaded cleanly.\n"
	    "# TYPE manrs_rtr_last_reload_success gauge\n"
	    "manrs_rtr_last_reload_success %d\n"
	    "# TYPE manrs_rtr_reloads_total counter\n"
	    "manrs_rtr_reloads_total{result=\"changed\"} %llu\n"
	    "manrs_rtr_reloads_total{result=\"unchanged\"} %llu\n"
	    "manrs_rtr_reloads_total{result=\"failed\"} %llu\n",
	    s ? manrs_vrp_count(s, MANRS_AF_INET) : 0,
	    s ? manrs_vrp_count(s, MANRS_AF_INET6) : 0,
	    s ? manrs_vrp_aspa_count(s) : 0, s ? manrs_vrp_rkey_count(s) : 0,
	    d->nclients, (unsigned long long)d->clients_total,
	    (unsigned long long)d->clients_refused,
	    manrs_rtr_cache_serial(d->cache),
	    manrs_rtr_cache_session_id(d->cache),
	    manrs_rtr_cache_deltas(d->cache), (long long)d->last_reload,
	    d->last_reload_ok ? 1 : 0, (unsigned long long)d->reloads_ok,
	    (unsigned long long)d->reloads_same,
	    (unsigned long long)d->reloads_failed);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	evbuffer_free(b);
}

/* "ADDR:PORT" or "[V6]:PORT" into host/port strings. */
static int
split_hostport(const char *s, char *host, size_t hsize, const char **port)
{
	const char *colon;

	if (s[0] == '[') {
		const char *e = strchr(s, ']');

		if (e == NULL || e[1] != ':' || (size_t)(e - s) >= hsize)
			return -1;
		memcpy(host, s + 1, (size_t)(e - s - 1));
		host[e - s - 1] = '\0';
		*port = e + 2;
		return 0;
	}
	if ((colon = strrchr(s, ':')) == NULL || (size_t)(colon - s) >= hsize)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	*port = colon + 1;
	return 0;
}

static void
print_bound(const char *what, evutil_socket_t fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char name[MANRS_ADDR_STRLEN + 8];

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	peer_name((struct sockaddr *)&ss, name, sizeof(name));
	printf("%s %s\n", what, name);
	fflush(stdout);
}

static int
listen_on(struct rtrd *d, const char *spec)
{
	struct addrinfo hints, *res;
	struct evconnlistener *l;
	char host[256];
	const char *port;
	int rc;

	if (split_hostport(spec, host, sizeof(host), &port) != 0) {
		cli_warnx("--listen %s: want ADDR:PORT", spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res))
	    != 0) {
		cli_warnx("--listen %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	l = evconnlistener_new_bind(d->base, on_accept, d,
	    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
	    1024, res->ai_addr, (int)res->ai_addrlen);
	freeaddrinfo(res);
	if (l == NULL) {
		cli_warnx("--listen %s: %s", spec, strerror(errno));
		return -1;
	}
	d->listeners[d->nlisteners++] = l;
	print_bound("rtr listening on", evconnlistener_get_fd(l));
	return 0;
}

static int
metrics_on(struct rtrd *d, const char *spec)
{
	struct evhttp_bound_socket *bs;
	char host[256];
	const char *port;
	uint32_t p;

	if (split_hostport(spec, host, sizeof(host), &port) != 0 ||
	    manrs_view_u32(manrs_view_cstr(port), 65535, &p) != 0) {
		cli_warnx("--metrics %s: want ADDR:PORT", spec);
		return -1;
	}
	if ((d->http = evhttp_new(d->base)) == NULL)
		return -1;
	evhttp_set_gencb(d->http, on_metrics, d);
	evhttp_set_timeout(d->http, 10);
	if ((bs = evhttp_bind_socket_with_handle(d->http, host,
	    (uint16_t)p)) == NULL) {
		cli_warnx("--metrics %s: cannot bind", spec);
		return -1;
	}
	print_bound("metrics listening on", evhttp_bound_socket_get_fd(bs));
	return 0;
}

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: manrs rtrd --listen ADDR:PORT --vrps FILE [--vrps FILE ...]\n"
"                  [--slurm FILE] [--metrics ADDR:PORT] [options]\n"
"  RTR cache (RFC 6810 v0, RFC 8210 v1, 8210bis v2 with ASPA).\n"
"  --format json|csv       input format (default: detected)\n"
"  --refresh N --retry N --expire N   timers sent to routers\n"
"                          (RFC 8210 section 6 ranges; 3600/600/7200)\n"
"  --max-version N         highest protocol version (default 2)\n"
"  --session-id N          fixed session id (default random)\n"
"  --deltas N              serials kept for incremental updates (16)\n"
"  --reload-interval N     reload every N s (default: only on change)\n"
"  --no-watch              do not reload when the files change\n"
"  --notify-interval N     minimum s between Serial Notifies (60)\n"
"  --max-clients N         connection limit (4096)\n"
"  --idle-timeout N        drop a silent router after N s (7500)\n"
"  --max-age N             refuse files built more than N s ago\n"
"  --now EPOCH             clock for expiry checks (testing)\n"
"  --user NAME             drop to this user once the sockets are bound\n");
}

enum { O_LISTEN = 256, O_VRPS, O_SLURM, O_METRICS, O_FORMAT, O_REFRESH,
	O_RETRY, O_EXPIRE, O_MAXVER, O_SESSION, O_DELTAS, O_RELOAD, O_NOWATCH,
	O_NOTIFY, O_MAXCLI, O_IDLE, O_MAXAGE, O_NOW, O_USER };

static const struct option longopts[] = {
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "vrps", required_argument, NULL, O_VRPS },
	{ "slurm", required_argument, NULL, O_SLURM },
	{ "metrics", required_argument, NULL, O_METRICS },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "refresh", required_argument, NULL, O_REFRESH },
	{ "retry", required_argument, NULL, O_RETRY },
	{ "expire", required_argument, NULL, O_EXPIRE },
	{ "max-version", required_argument, NULL, O_MAXVER },
	{ "session-id", required_argument, NULL, O_SESSION },
	{ "deltas", required_argument, NULL, O_DELTAS },
	{ "reload-interval", required_argument, NULL, O_RELOAD },
	{ "no-watch", no_argument, NULL, O_NOWATCH },
	{ "notify-interval", required_argument, NULL, O_NOTIFY },
	{ "max-clients", required_argument, NULL, O_MAXCLI },
	{ "idle-timeout", required_argument, NULL, O_IDLE },
	{ "max-age", required_argument, NULL, O_MAXAGE },
	{ "now", required_argument, NULL, O_NOW },
	{ "user", required_argument, NULL, O_USER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
num(const char *opt, const char *arg, uint64_t max, uint64_t *out)
{
	if (manrs_view_u64(manrs_view_cstr(arg), max, out) != 0) {
		cli_warnx("--%s %s: want a number up to %llu", opt, arg,
		    (unsigned long long)max);
		return -1;
	}
	return 0;
}

struct rtrd_args {
	const char	*listen[RTRD_LISTEN_MAX];
	int		 nlisten;
	const char	*metrics;
	const char	*user;
};

static int
parse_args(int argc, char **argv, struct rtrd *d, struct rtrd_args *a,
    struct manrs_rtr_config *cfg)
{
	uint64_t v;
	int ch, bad = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		const char *on = ch >= O_LISTEN ?
		    longopts[ch - O_LISTEN].name : "";

		v = 0;
		switch (ch) {
		case O_LISTEN:
			if (a->nlisten == RTRD_LISTEN_MAX)
				bad = 1;
			else
				a->listen[a->nlisten++] = optarg;
			break;
		case O_VRPS:
			if (d->load.nfiles == RTRD_VRP_FILES_MAX)
				bad = 1;
			else
				d->load.files[d->load.nfiles++] = optarg;
			break;
		case O_SLURM:
			d->load.slurm = optarg;
			break;
		case O_METRICS:
			a->metrics = optarg;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "json") == 0)
				d->load.read.format = MANRS_VRP_FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				d->load.read.format = MANRS_VRP_FMT_CSV;
			else
				bad = 1;
			break;
		case O_REFRESH:
			bad |= num(on, optarg, MANRS_RTR_REFRESH_MAX, &v) ||
			    v < MANRS_RTR_REFRESH_MIN;
			cfg->refresh = (uint32_t)v;
			break;
		case O_RETRY:
			bad |= num(on, optarg, MANRS_RTR_RETRY_MAX, &v) ||
			    v < MANRS_RTR_RETRY_MIN;
			cfg->retry = (uint32_t)v;
			break;
		case O_EXPIRE:
			bad |= num(on, optarg, MANRS_RTR_EXPIRE_MAX, &v) ||
			    v < MANRS_RTR_EXPIRE_MIN;
			cfg->expire = (uint32_t)v;
			break;
		case O_MAXVER:
			bad |= num(on, optarg, MANRS_RTR_VERSION_MAX, &v);
			cfg->max_version = (uint8_t)v;
			break;
		case O_SESSION:
			bad |= num(on, optarg, 65535, &v) || v == 0;
			cfg->session_id = (uint16_t)v;
			break;
		case O_DELTAS:
			bad |= num(on, optarg, MANRS_RTR_DELTAS_MAX, &v) ||
			    v == 0;
			cfg->deltas = (unsigned)v;
			break;
		case O_RELOAD:
			bad |= num(on, optarg, 86400 * 7, &v);
			d->reload_interval = (unsigned)v;
			break;
		case O_NOWATCH:
			d->watch = false;
			break;
		case O_NOTIFY:
			bad |= num(on, optarg, 86400, &v);
			d->notify_interval = (unsigned)v;
			break;
		case O_MAXCLI:
			bad |= num(on, optarg, 1000000, &v) || v == 0;
			d->max_clients = (unsigned)v;
			break;
		case O_IDLE:
			bad |= num(on, optarg, 86400 * 7, &v);
			d->idle_timeout = (unsigned)v;
			break;
		case O_MAXAGE:
			bad |= num(on, optarg, UINT32_MAX, &v);
			d->load.read.max_age = v;
			break;
		case O_NOW:
			bad |= num(on, optarg, INT64_MAX, &v);
			d->load.read.now = (time_t)v;
			break;
		case O_USER:
			a->user = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			bad = 1;
			break;
		}
	}
	if (bad || optind != argc || a->nlisten == 0 || d->load.nfiles == 0) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Bind, load, then run without root (STYLE.md "Daemons"). */
static int
drop_privileges(const char *user)
{
	struct passwd *pw;

	if ((pw = getpwnam(user)) == NULL) {
		cli_warnx("--user %s: no such user", user);
		return -1;
	}
	if (setgroups(1, &pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		cli_warnx("--user %s: %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		cli_warnx("--user %s: could regain root", user);
		return -1;
	}
	logx("running as %s (uid %u)", user, (unsigned)pw->pw_uid);
	return 0;
}

static int
run(struct rtrd *d, struct rtrd_args *a)
{
	struct timeval one = { 1, 0 };
	int i;

	for (i = 0; i < a->nlisten; i++)
		if (listen_on(d, a->listen[i]) != 0)
			return EXIT_FAIL;
	if (a->metrics != NULL && metrics_on(d, a->metrics) != 0)
		return EXIT_FAIL;
	if (a->user != NULL && drop_privileges(a->user) != 0)
		return EXIT_FAIL;
	if (pipe2(d->load_pipe, O_CLOEXEC) != 0)
		return EXIT_FAIL;
	d->load_ev = event_new(d->base, d->load_pipe[0], EV_READ | EV_PERSIST,
	    on_loaded, d);
	if (d->load_ev == NULL || event_add(d->load_ev, NULL) != 0)
		return EXIT_FAIL;
	d->tick = event_new(d->base, -1, EV_PERSIST, on_tick, d);
	d->notify_ev = evtimer_new(d->base, on_notify, d);
	d->sig_hup = evsignal_new(d->base, SIGHUP, on_signal, d);
	d->sig_term = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->sig_int = evsignal_new(d->base, SIGINT, on_signal, d);
	if (!d->tick || !d->notify_ev || !d->sig_hup || !d->sig_term ||
	    !d->sig_int)
		return EXIT_FAIL;
	event_add(d->tick, &one);
	event_add(d->sig_hup, NULL);
	event_add(d->sig_term, NULL);
	event_add(d->sig_int, NULL);
	event_base_dispatch(d->base);
	return EXIT_OK;
}

int
cmd_rtrd(int argc, char **argv)
{
	struct rtrd d;
	struct rtrd_args a;
	struct manrs_rtr_config cfg;
	struct client *c;
	int err, rc;

	memset(&d, 0, sizeof(d));
	memset(&a, 0, sizeof(a));
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_version = MANRS_RTR_VERSION_MAX;
	TAILQ_INIT(&d.clients);
	d.watch = true;
	d.notify_interval = 60;
	d.max_clients = 4096;
	d.idle_timeout = 7500;
	manrs_buf_init(&d.scratch, 2 * RTRD_OUT_CHUNK + MANRS_RTR_PDU_MAX);
	cli_diag_sink(&d.load_sink);
	d.load_pipe[0] = d.load_pipe[1] = -1;
	if ((rc = parse_args(argc, argv, &d, &a, &cfg)) != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	if ((d.cache = manrs_rtr_cache_new(&cfg, &err)) == NULL) {
		cli_warnx("timers: %s (RFC 8210 section 6: expire must exceed "
		    "refresh and retry)", manrs_strerror(err));
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	if (reload(&d, "start") != 0) {
		manrs_rtr_cache_free(d.cache);
		return EXIT_FAIL;
	}
	if ((d.base = event_base_new()) == NULL)
		rc = EXIT_FAIL;
	else
		rc = run(&d, &a);
	if (d.loading) {
		pthread_join(d.load_thread, NULL);
		manrs_vrp_set_free(d.loaded);
	}
	if (d.load_ev != NULL)
		event_free(d.load_ev);
	if (d.load_pipe[0] >= 0) {
		close(d.load_pipe[0]);
		close(d.load_pipe[1]);
	}
	while ((c = TAILQ_FIRST(&d.clients)) != NULL)
		client_free(c);
	while (d.nlisteners > 0)
		evconnlistener_free(d.listeners[--d.nlisteners]);
	if (d.http != NULL)
		evhttp_free(d.http);
	if (d.tick)
		event_free(d.tick);
	if (d.notify_ev)
		event_free(d.notify_ev);
	if (d.sig_hup)
		event_free(d.sig_hup);
	if (d.sig_term)
		event_free(d.sig_term);
	if (d.sig_int)
		event_free(d.sig_int);
	if (d.base != NULL)
		event_base_free(d.base);
	manrs_rtr_cache_free(d.cache);
	manrs_buf_clear(&d.scratch);
	return rc;
}
