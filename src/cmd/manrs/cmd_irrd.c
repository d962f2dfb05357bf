/*
 * cmd_irrd.c - "manrs irrd": an IRRd-compatible whois server (port 43
 * protocol) over an in-memory IRR loaded from RPSL dumps.
 *
 *   manrs irrd --listen ADDR:PORT [--listen ...] --source NAME=FILE[,FILE]
 *       [--source ...] [--max-clients N] [--idle-timeout SECS]
 *       [--vrps FILE] [--port-file FILE] [--check]
 *
 * A single-threaded libevent loop wraps the whois engine (a bytes-in /
 * bytes-out machine in the library).  Per client: pipelined queries are
 * answered in order; input pending and output queued are bounded (when
 * output passes OUT_HIGH we stop reading that client until it drains);
 * an idle or non-reading client is cut off after the idle timeout.
 * SIGHUP reloads every source in a thread and swaps the new database in
 * atomically; a failed reload keeps the old data and logs why.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <manrs/irrdb.h>
#include <manrs/whois.h>

#include "cli.h"
#include "irr_load.h"

#define LISTEN_MAX		8
#define OUT_HIGH		(4u * 1024u * 1024u)	/* queued output */
#define READ_CHUNK		(16u * 1024u)
#define CLIENTS_DEFAULT		1024
#define IDLE_DEFAULT		30	/* IRRd's default */
#define LINGER_SECS		2	/* drain input after the last answer */

struct client;

struct server {
	struct event_base	*base;
	LIST_HEAD(, client)	 all;		/* every connected client */
	struct manrs_irrdb	*db;
	struct irr_sources	 src;
	const char		*vrps;		/* RPKI-aware mode */
	time_t			 vrps_now;	/* expiry clock; 0 = now */
	unsigned		 max_clients;
	unsigned		 clients;
	unsigned		 idle;
	/* reload */
	pthread_t		 thr;
	bool			 reloading;
	int			 pipe[2];
	struct manrs_irrdb	*newdb;
	int			 newerr;
	uint64_t		 queries;
	unsigned		 max_shrink;	/* --max-shrink, percent */
	struct irr_reload_stats	 refused;	/* for /metrics */
};

struct client {
	struct server			*srv;
	struct bufferevent		*bev;
	struct manrs_whois_session	*ws;
	struct manrs_buf		 out;
	unsigned			 timeout;
	struct event			*linger;	/* set once closing */
	LIST_ENTRY(client)		 entry;
};

static void
logx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
logx(const char *fmt, ...)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s manrs irrd: ", ts);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs irrd --listen ADDR:PORT [--listen ...]\n"
	    "           --source NAME=FILE[,FILE...] [--source ...]\n"
	    "           [--max-clients N] [--idle-timeout SECS (30)]\n"
	    "           [--vrps FILE [--vrps-now UNIXTIME]] [--port-file FILE]\n"
	    "           [--max-shrink PCT (50)] [--check]\n\n"
	    "IRRd-compatible whois server (bgpq4/bgpq3 work unchanged).\n"
	    "Sources are in priority order; files are RPSL dumps or the\n"
	    "ARIN origin-AS JSON (plain, gzip or bzip2).  --vrps hides\n"
	    "RPKI-invalid route objects as IRRd 4 does (\"!fno-rpki-filter\"\n"
	    "shows them on a connection).  --check loads,\n"
	    "prints statistics and exits (1 when a file cannot be read\n"
	    "whole or holds no object).  SIGHUP reloads; a reload that\n"
	    "fails, empties a source or shrinks one by more than\n"
	    "--max-shrink percent keeps the data served and logs why.\n");
}

/*
 * RPKI-aware mode, as IRRd 4: route objects that are RPKI-invalid
 * (RFC 6811) against the VRPs are hidden unless the client sends
 * "!fno-rpki-filter".
 */
static int
apply_vrps(struct manrs_irrdb *db, const char *path, time_t now,
    struct manrs_diag_sink *sink)
{
	struct manrs_vrp_read_opts opts;
	struct manrs_vrp_set *vs;
	uint64_t n = 0;
	int rc;

	memset(&opts, 0, sizeof(opts));
	opts.now = now;
	if ((vs = manrs_vrp_set_new()) == NULL)
		return MANRS_E_NOMEM;
	if ((rc = manrs_vrp_read(vs, path, &opts, sink)) == 0 &&
	    (rc = manrs_vrp_set_finish(vs)) == 0 &&
	    (rc = manrs_irrdb_rpki_apply(db, vs, &n)) == 0)
		logx("%s: %zu VRPs (%llu expired, dropped); %llu route "
		    "objects RPKI-invalid, hidden", path,
		    manrs_vrp_count(vs, 0), (unsigned long long)
		    manrs_vrp_set_stats(vs)->vrps_expired,
		    (unsigned long long)n);
	else
		logx("%s: %s", path, manrs_strerror(rc));
	manrs_vrp_set_free(vs);
	return rc;
}

/* Build a database from the source arguments; NULL on failure. */
static struct manrs_irrdb *
load_db(const struct server *srv, struct manrs_diag_sink *sink, int *errp)
{
	struct manrs_irrdb *db;
	int rc;

	if ((db = irr_sources_load(&srv->src, sink, errp)) == NULL)
		return NULL;
	if (srv->vrps != NULL &&
	    (rc = apply_vrps(db, srv->vrps, srv->vrps_now, sink)) != 0) {
		manrs_irrdb_free(db);
		*errp = rc;
		return NULL;
	}
	*errp = 0;
	return db;
}

static void
log_stats(const struct manrs_irrdb *db, double secs)
{
	struct manrs_irrdb_stats st;

	manrs_irrdb_stats(db, &st);
	logx("loaded %llu objects (%llu route/route6, %llu aut-num, "
	    "%llu as-set, %llu route-set), %llu skipped, %.1f MiB, %.2f s",
	    (unsigned long long)st.objects, (unsigned long long)st.routes,
	    (unsigned long long)st.per_class[MANRS_RPSL_AUT_NUM],
	    (unsigned long long)st.per_class[MANRS_RPSL_AS_SET],
	    (unsigned long long)st.per_class[MANRS_RPSL_ROUTE_SET],
	    (unsigned long long)st.skipped, st.bytes / 1048576.0, secs);
}

static double
now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
client_free(struct client *c)
{
	c->srv->clients--;
	c->srv->queries += manrs_whois_queries(c->ws);
	LIST_REMOVE(c, entry);
	if (c->linger != NULL)
		event_free(c->linger);
	bufferevent_free(c->bev);
	manrs_whois_session_free(c->ws);
	manrs_buf_clear(&c->out);
	free(c);
}

static void
set_timeouts(struct client *c)
{
	unsigned t = manrs_whois_timeout(c->ws);
	struct timeval tv;

	if (t == 0)
		t = c->srv->idle;
	if (t == c->timeout)
		return;
	c->timeout = t;
	tv.tv_sec = t;
	tv.tv_usec = 0;
	bufferevent_set_timeouts(c->bev, &tv, &tv);
}

static void
linger_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	client_free(arg);
}

/*
 * The last answer is out: half-close and discard what the client still
 * sends for up to LINGER_SECS, so that closing with unread input does
 * not reset the connection before the client has read our answer.
 */
static void
start_linger(struct client *c)
{
	struct timeval tv = { LINGER_SECS, 0 };

	if (c->linger != NULL)
		return;
	if ((c->linger = evtimer_new(c->srv->base, linger_done, c)) == NULL) {
		client_free(c);
		return;
	}
	shutdown(bufferevent_getfd(c->bev), SHUT_WR);
	evtimer_add(c->linger, &tv);
	bufferevent_enable(c->bev, EV_READ);
}

/* Answer pending queries while the output queue has room. */
static void
client_run(struct client *c)
{
	struct evbuffer *ob = bufferevent_get_output(c->bev);
	int rc;

	while (evbuffer_get_length(ob) < OUT_HIGH) {
		manrs_buf_reset(&c->out);
		if ((rc = manrs_whois_step(c->ws, c->srv->db, &c->out)) < 0) {
			logx("client: %s; closing", manrs_strerror(rc));
			client_free(c);
			return;
		}
		if (c->out.len > 0)
			evbuffer_add(ob, c->out.p, c->out.len);
		if (rc == 0)
			break;
	}
	if (c->out.cap > OUT_HIGH)
		manrs_buf_clear(&c->out);
	set_timeouts(c);
	if (manrs_whois_closing(c->ws)) {
		/* Keep reading (and discarding) until the answer is out. */
		bufferevent_enable(c->bev, EV_READ);
		if (evbuffer_get_length(ob) == 0)
			start_linger(c);
		return;
	}
	/* Backpressure: read more only when output drained and room. */
	if (evbuffer_get_length(ob) >= OUT_HIGH ||
	    manrs_whois_pending(c->ws) >= MANRS_WHOIS_PENDING_MAX)
		bufferevent_disable(c->bev, EV_READ);
	else
		bufferevent_enable(c->bev, EV_READ);
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *ib = bufferevent_get_input(bev);
	char chunk[READ_CHUNK];
	size_t room;
	int n;

	if (manrs_whois_closing(c->ws)) {
		evbuffer_drain(ib, evbuffer_get_length(ib));
		return;
	}
	for (;;) {
		room = MANRS_WHOIS_PENDING_MAX - manrs_whois_pending(c->ws);
		if (room > sizeof(chunk))
			room = sizeof(chunk);
		if (room == 0 || (n = evbuffer_remove(ib, chunk, room)) <= 0)
			break;
		manrs_whois_input(c->ws, chunk, (size_t)n);
		if (manrs_whois_pending(c->ws) > MANRS_WHOIS_LINE_MAX)
			break;	/* let step() judge the line */
	}
	client_run(c);
}

static void
client_write(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;

	(void)bev;
	if (manrs_whois_closing(c->ws)) {
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
			start_linger(c);
		return;
	}
	/* Output drained: answer what is pending, then read again. */
	if (evbuffer_get_length(bufferevent_get_input(c->bev)) > 0)
		client_read(c->bev, c);
	else
		client_run(c);
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	struct client *c = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT)
		logx("client idle for %u s; closing", c->timeout);
	client_free(c);
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct server *srv = arg;
	struct client *c;
	int err, one = 1;

	(void)l;
	(void)sa;
	(void)salen;
	if (srv->clients >= srv->max_clients) {
		static const char msg[] = "F too many connections\n";

		if (write(fd, msg, sizeof(msg) - 1) < 0)
			(void)0;
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->ws = manrs_whois_session_new(&err)) == NULL ||
	    (c->bev = bufferevent_socket_new(srv->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		if (c != NULL)
			manrs_whois_session_free(c->ws);
		free(c);
		evutil_closesocket(fd);
		return;
	}
	c->srv = srv;
	/* Answers are small and pipelined: no Nagle delay. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	manrs_buf_init(&c->out, MANRS_WHOIS_ANSWER_MAX + 4096);
	srv->clients++;
	LIST_INSERT_HEAD(&srv->all, c, entry);
	bufferevent_setcb(c->bev, client_read, client_write, client_event, c);
	/* libevent stops reading the socket past this much unread input. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, MANRS_WHOIS_PENDING_MAX);
	set_timeouts(c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

static void *
reload_thread(void *arg)
{
	struct server *srv = arg;
	struct manrs_diag_sink sink;
	double t0 = now_secs();
	char b = 1;

	cli_diag_sink(&sink);
	srv->newdb = load_db(srv, &sink, &srv->newerr);
	if (srv->newdb != NULL)
		log_stats(srv->newdb, now_secs() - t0);
	if (write(srv->pipe[1], &b, 1) < 0)
		(void)0;
	return NULL;
}

static void
on_reload_done(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;
	enum irr_reload_verdict v;
	char b, why[256];

	(void)what;
	if (read(fd, &b, 1) < 0)
		return;
	pthread_join(srv->thr, NULL);
	srv->reloading = false;
	if (srv->newdb == NULL) {
		irr_reload_count(&srv->refused, IRR_RELOAD_FAILED);
		logx("reload failed (%s); keeping the previous data",
		    manrs_strerror(srv->newerr));
		return;
	}
	if ((v = irr_reload_check(srv->db, srv->newdb, srv->max_shrink, why,
	    sizeof(why))) != IRR_RELOAD_OK) {
		irr_reload_count(&srv->refused, v);
		logx("reload refused (%s): %s; keeping the previous data",
		    irr_reload_reason_name(v), why);
		manrs_irrdb_free(srv->newdb);
		srv->newdb = NULL;
		return;
	}
	/* Single-threaded loop: no query is running now; swap, free. */
	manrs_irrdb_free(srv->db);
	srv->db = srv->newdb;
	srv->newdb = NULL;
	logx("reload done");
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct server *srv = arg;

	(void)sig;
	(void)what;
	if (srv->reloading) {
		logx("SIGHUP: reload already running");
		return;
	}
	srv->reloading = true;
	if (pthread_create(&srv->thr, NULL, reload_thread, srv) != 0) {
		srv->reloading = false;
		logx("SIGHUP: cannot start reload thread");
	}
}

static void
on_term(evutil_socket_t sig, short what, void *arg)
{
	struct server *srv = arg;

	(void)what;
	logx("signal %d: exiting after %llu queries", (int)sig,
	    (unsigned long long)srv->queries);
	event_base_loopexit(srv->base, NULL);
}

/* "ADDR:PORT", "[V6]:PORT"; port 0 picks an ephemeral port. */
static int
parse_listen(const char *arg, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon = strrchr(arg, ':'), *h = arg;
	size_t hl;
	const char *errstr = NULL;
	long long port;

	if (colon == NULL)
		return -1;
	hl = (size_t)(colon - arg);
	if (hl >= 2 && arg[0] == '[' && arg[hl - 1] == ']') {
		h = arg + 1;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	port = strtonum(colon + 1, 0, 65535, &errstr);
	if (errstr != NULL)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr)
	    == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, host,
	    &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -1;
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

static int
serve(struct server *srv, char **listen, int nlisten, const char *portfile)
{
	struct evconnlistener *ls[LISTEN_MAX];
	struct event *ev_hup, *ev_term, *ev_int, *ev_pipe;
	struct sockaddr_storage ss;
	socklen_t sl;
	FILE *pf = NULL;
	int i, n = 0, rc = EXIT_FAIL;

	LIST_INIT(&srv->all);
	if ((srv->base = event_base_new()) == NULL)
		return EXIT_FAIL;
	if (portfile != NULL && (pf = fopen(portfile, "w")) == NULL) {
		cli_warnx("irrd: %s: %s", portfile, strerror(errno));
		goto out;
	}
	for (n = 0; n < nlisten; n++) {
		if (parse_listen(listen[n], &ss, &sl) != 0) {
			cli_warnx("irrd: bad --listen %s (ADDR:PORT)",
			    listen[n]);
			goto out;
		}
		ls[n] = evconnlistener_new_bind(srv->base, on_accept, srv,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 128,
		    (struct sockaddr *)&ss, (int)sl);
		if (ls[n] == NULL) {
			cli_warnx("irrd: cannot listen on %s: %s", listen[n],
			    strerror(errno));
			goto out;
		}
		logx("listening on %s (port %d)", listen[n],
		    bound_port(ls[n]));
		if (pf != NULL)
			fprintf(pf, "%d\n", bound_port(ls[n]));
	}
	if (pf != NULL) {
		fclose(pf);
		pf = NULL;
	}
	if (pipe(srv->pipe) != 0)
		goto out;
	ev_hup = evsignal_new(srv->base, SIGHUP, on_hup, srv);
	ev_term = evsignal_new(srv->base, SIGTERM, on_term, srv);
	ev_int = evsignal_new(srv->base, SIGINT, on_term, srv);
	ev_pipe = event_new(srv->base, srv->pipe[0], EV_READ | EV_PERSIST,
	    on_reload_done, srv);
	event_add(ev_hup, NULL);
	event_add(ev_term, NULL);
	event_add(ev_int, NULL);
	event_add(ev_pipe, NULL);
	event_base_dispatch(srv->base);
	while (!LIST_EMPTY(&srv->all))
		client_free(LIST_FIRST(&srv->all));
	if (srv->reloading) {
		pthread_join(srv->thr, NULL);
		manrs_irrdb_free(srv->newdb);
	}
	event_free(ev_hup);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_pipe);
	close(srv->pipe[0]);
	close(srv->pipe[1]);
	rc = EXIT_OK;
out:
	if (pf != NULL)
		fclose(pf);
	for (i = 0; i < n; i++)
		evconnlistener_free(ls[i]);
	event_base_free(srv->base);
	return rc;
}

int
cmd_irrd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "source", required_argument, NULL, 's' },
		{ "max-clients", required_argument, NULL, 'c' },
		{ "idle-timeout", required_argument, NULL, 't' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "vrps", required_argument, NULL, 'v' },
		{ "vrps-now", required_argument, NULL, 'n' },
		{ "check", no_argument, NULL, 'k' },
		{ "max-shrink", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server srv;
	struct manrs_diag_sink sink;
	char *listen[LISTEN_MAX];
	const char *portfile = NULL, *errstr = NULL;
	int nlisten = 0, ch, err, rc;
	bool check = false;
	double t0;

	memset(&srv, 0, sizeof(srv));
	srv.max_clients = CLIENTS_DEFAULT;
	srv.idle = IDLE_DEFAULT;
	srv.max_shrink = IRR_MAX_SHRINK_DEFAULT;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (nlisten == LISTEN_MAX) {
				cli_warnx("irrd: at most %d --listen",
				    LISTEN_MAX);
				return EXIT_USAGE;
			}
			listen[nlisten++] = optarg;
			break;
		case 's':
			if (irr_sources_add(&srv.src, optarg, "irrd") != 0)
				return EXIT_USAGE;
			break;
		case 'c':
			srv.max_clients = (unsigned)strtonum(optarg, 1, 100000,
			    &errstr);
			break;
		case 't':
			srv.idle = (unsigned)strtonum(optarg, 1, 86400,
			    &errstr);
			break;
		case 'p':
			portfile = optarg;
			break;
		case 'v':
			srv.vrps = optarg;
			break;
		case 'n':	/* evaluate VRP expiry at this UNIX time */
			srv.vrps_now = (time_t)strtonum(optarg, 1,
			    INT64_MAX, &errstr);
			break;
		case 'k':
			check = true;
			break;
		case 'm':
			if (irr_max_shrink_parse(optarg, &srv.max_shrink)
			    != 0) {
				cli_warnx("irrd: --max-shrink %s: want a "
				    "percentage 0-100", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
		if (errstr != NULL) {
			cli_warnx("irrd: %s: %s", optarg, errstr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || srv.src.n == 0 || (nlisten == 0 && !check)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	cli_diag_sink(&sink);
	t0 = now_secs();
	if ((srv.db = load_db(&srv, &sink, &err)) == NULL) {
		cli_warnx("irrd: load failed: %s", manrs_strerror(err));
		return EXIT_FAIL;
	}
	log_stats(srv.db, now_secs() - t0);
	if (check) {
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		logx("peak RSS %ld KiB", ru.ru_maxrss);
		manrs_irrdb_free(srv.db);
		return EXIT_OK;
	}
	rc = serve(&srv, listen, nlisten, portfile);
	manrs_irrdb_free(srv.db);
	return rc;
}
