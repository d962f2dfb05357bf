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
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "cli.h"
#include "daemon.h"
#include "fetch_source.h"
#include "rtrd_load.h"

/* --reload-interval when a --vrps is a URL and none was given. */
#define RTRD_URL_RELOAD_DEFAULT	600
#define RTRD_OUT_HIGH		(32u * 1024u)	/* refill up to this */
#define RTRD_OUT_CHUNK		(16u * 1024u)
#define RTRD_IDLE_DEFAULT	7500		/* s; past expire (7200) */
#define RTRD_CLIENTS_DEFAULT	4096

struct rtrd;

struct client {
	struct rtrd			*d;
	struct daemon_conn		*conn;
	struct manrs_rtr_session	*sess;
	/* framing, to know when a PDU is half-received (the deadline) */
	uint8_t				 hdr[MANRS_RTR_HDR_LEN];
	size_t				 hdr_have;
	uint64_t			 body_left;
	bool				 drained;	/* session is empty */
};

struct rtrd {
	struct daemon		*dmn;
	struct manrs_rtr_cache	*cache;
	struct rtrd_load_opts	 load;
	const char		*dbfile;	/* --db */
	struct fetch_set	 fetch;		/* --vrps URL sources */
	unsigned		 reload_interval, notify_interval;
	bool			 watch;
	/* file identity at the last load attempt (load_st: the worker's) */
	struct stat		 st[RTRD_VRP_FILES_MAX + 1];
	struct stat		 load_st[RTRD_VRP_FILES_MAX + 1];
	time_t			 last_load, last_notify;
	bool			 notify_pending;
	struct event		*tick, *notify_ev;
	struct manrs_buf	 scratch;	/* shared drain buffer */
	struct manrs_diag_sink	 load_sink;
	/* metrics */
	uint64_t		 reloads_ok, reloads_failed, reloads_same;
	uint64_t		 withdrawn;	/* expired, taken out */
};

static void	reload(struct rtrd *, const char *);

/* Refill the socket's output from the session. */
static void
client_pump(struct client *c)
{
	struct manrs_buf *sb = &c->d->scratch;

	c->drained = false;
	while (daemon_conn_outq(c->conn) < RTRD_OUT_HIGH) {
		manrs_buf_reset(sb);
		if (manrs_rtr_session_drain(c->sess, sb, RTRD_OUT_CHUNK) == 0) {
			c->drained = true;
			break;
		}
		if (sb->err != 0 ||
		    daemon_conn_write(c->conn, sb->p, sb->len) != 0) {
			daemon_conn_abort(c->conn, "out of memory");
			return;
		}
	}
	if (!c->drained || daemon_conn_closing(c->conn))
		return;
	if (manrs_rtr_session_closing(c->sess)) {
		const char *why = manrs_rtr_session_reason(c->sess);

		daemon_log(LOG_INFO, "%s: closing: %s",
		    daemon_conn_peer(c->conn), why ? why : "error");
		daemon_conn_close(c->conn);
	} else if (daemon_conn_eof(c->conn))
		/* half-closed: everything asked for is queued; flush, close */
		daemon_conn_close(c->conn);
}

/* Follow PDU boundaries (RFC 8210 section 5): is one half-received? */
static bool
client_frame(struct client *c, const uint8_t *p, size_t len)
{
	size_t n;

	while (len > 0) {
		if (c->body_left > 0) {
			n = len < c->body_left ? len : (size_t)c->body_left;
			c->body_left -= n;
			p += n;
			len -= n;
			continue;
		}
		n = MANRS_RTR_HDR_LEN - c->hdr_have;
		if (n > len)
			n = len;
		memcpy(c->hdr + c->hdr_have, p, n);
		c->hdr_have += n;
		p += n;
		len -= n;
		if (c->hdr_have < MANRS_RTR_HDR_LEN)
			break;
		c->hdr_have = 0;
		c->body_left = (uint64_t)c->hdr[4] << 24 |
		    (uint64_t)c->hdr[5] << 16 | (uint64_t)c->hdr[6] << 8 |
		    c->hdr[7];
		/* a bad length is the session's to report; stop framing */
		c->body_left = c->body_left < MANRS_RTR_HDR_LEN ||
		    c->body_left > MANRS_RTR_PDU_MAX ? 0 :
		    c->body_left - MANRS_RTR_HDR_LEN;
	}
	return c->hdr_have > 0 || c->body_left > 0;
}

static size_t
client_input(struct daemon_conn *conn, const uint8_t *p, size_t len)
{
	struct client *c = daemon_conn_data(conn);

	if (manrs_rtr_session_closing(c->sess))
		return len;	/* after an error: ignore the rest */
	daemon_conn_set_partial(conn, client_frame(c, p, len));
	(void)manrs_rtr_session_input(c->sess, p, len);
	client_pump(c);
	return len;
}

static void
client_drained(struct daemon_conn *conn)
{
	client_pump(daemon_conn_data(conn));
}

/* The router shut its side: answer what it asked, then close. */
static void
client_eof(struct daemon_conn *conn)
{
	struct client *c = daemon_conn_data(conn);

	daemon_conn_set_partial(conn, false);	/* never completes now */
	client_pump(c);
}

static void *
client_accepted(struct daemon_conn *conn)
{
	struct rtrd *d = daemon_conn_arg(conn);
	struct client *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->d = d;
	c->conn = conn;
	if ((c->sess = manrs_rtr_session_new(d->cache)) == NULL) {
		free(c);
		return NULL;
	}
	daemon_conn_set_lowat(conn, RTRD_OUT_CHUNK);
	return c;
}

static void
client_closed(struct daemon_conn *conn, const char *why)
{
	struct client *c = daemon_conn_data(conn);

	(void)why;
	if (c == NULL)
		return;
	manrs_rtr_session_free(c->sess);
	free(c);
}

/*
 * A router refused at a cap gets an Error Report before the close, in
 * the version of the query it sent (RFC 8210 section 7: the router
 * speaks first), with that query encapsulated.  Code 1 "Internal
 * Error", which RFC 8210 section 12 defines as fatal and "unrelated to
 * protocol operation (ran out of memory, ...)": running out of
 * connection slots is such a resource limit.  Not 2 "No Data
 * Available": that one is non-fatal (the session would be expected to
 * stay up) and tells the operator the cache has no data, which is
 * false.  A client that sent no PDU header within the layer's wait
 * gets the close alone: its version is unknown.
 */
static size_t
client_refusal(void *arg, enum daemon_refuse why, const uint8_t *in,
    size_t inlen, uint8_t *out, size_t outsize)
{
	struct manrs_buf b;
	uint8_t ver = MANRS_RTR_VERSION_MAX;
	size_t plen, n = 0;

	(void)arg;
	if (inlen < MANRS_RTR_HDR_LEN)
		return 0;
	if (in[0] <= MANRS_RTR_VERSION_MAX)
		ver = in[0];
	plen = (size_t)in[4] << 24 | (size_t)in[5] << 16 |
	    (size_t)in[6] << 8 | in[7];
	if (plen < MANRS_RTR_HDR_LEN || plen > inlen || plen > 64)
		plen = 0;
	manrs_buf_init(&b, outsize);
	manrs_rtr_encode_error(&b, ver, MANRS_RTR_ERR_INTERNAL,
	    plen > 0 ? in : NULL, plen, why == DAEMON_REFUSE_PER_ADDRESS ?
	    "too many connections from this address" :
	    "too many connections");
	if (b.err == 0 && b.len <= outsize) {
		memcpy(out, b.p, b.len);
		n = b.len;
	}
	manrs_buf_clear(&b);
	return n;
}

static void
notify_one(struct daemon_conn *conn, void *arg)
{
	struct client *c = daemon_conn_data(conn);

	(void)arg;
	if (c == NULL || daemon_conn_closing(conn))
		return;
	manrs_rtr_session_notify(c->sess);
	client_pump(c);
}

static void
notify_all(struct rtrd *d)
{
	d->last_notify = time(NULL);
	d->notify_pending = false;
	daemon_conn_foreach(d->dmn, notify_one, d);
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

	if (d->notify_pending || d->notify_ev == NULL)
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
		daemon_log(LOG_ERR, "reload (%s) failed: %s; keeping serial %u",
		    why, manrs_strerror(err), manrs_rtr_cache_serial(d->cache));
		return err;
	}
	if ((err = manrs_rtr_cache_update(d->cache, s, &changed)) != 0) {
		d->reloads_failed++;
		daemon_log(LOG_ERR, "reload (%s): %s", why,
		    manrs_strerror(err));
		return err;
	}
	if (!changed) {
		d->reloads_same++;
		daemon_log(LOG_INFO, "reload (%s): unchanged, serial %u", why,
		    manrs_rtr_cache_serial(d->cache));
		return 0;
	}
	d->reloads_ok++;
	cur = manrs_rtr_cache_set(d->cache);
	daemon_log(LOG_INFO, "loaded (%s): %zu IPv4 + %zu IPv6 VRPs, %zu "
	    "ASPAs, %zu router keys; serial %u", why,
	    manrs_vrp_count(cur, MANRS_AF_INET),
	    manrs_vrp_count(cur, MANRS_AF_INET6), manrs_vrp_aspa_count(cur),
	    manrs_vrp_rkey_count(cur), manrs_rtr_cache_serial(d->cache));
	schedule_notify(d);
	return 0;
}

/*
 * The worker (daemon layer's reload thread): build the new set beside
 * the served one, noting the files' identity first so that a change
 * during the read is seen by the next tick.
 */
static void *
load_worker(void *arg, int *err)
{
	struct rtrd *d = arg;

	struct manrs_vrp_set *s;
	int i;

	stat_files(d, d->load_st);
	/* URL sources: a conditional fetch, the last good body if it fails */
	if (d->fetch.n > 0 && fetch_set_refresh(&d->fetch, daemon_log) < 0) {
		*err = MANRS_E_IO;
		return NULL;
	}
	for (i = 0; i < d->load.nfiles; i++)
		if (fetch_set_find(&d->fetch, d->load.files[i]) != NULL)
			d->load.mem[i] = fetch_source_data(fetch_set_find(
			    &d->fetch, d->load.files[i]));
	s = rtrd_load(&d->load, &d->load_sink, err);
	fetch_set_done(&d->fetch, s != NULL);
	return s;
}

/* On the loop: swap the new set in (or keep the old and retry later). */
static enum daemon_reload_result
on_loaded(void *arg, const char *why, void *data, int err)
{
	struct rtrd *d = arg;
	uint64_t ok = d->reloads_ok;

	memcpy(d->st, d->load_st, sizeof(d->st));
	d->last_load = time(NULL);
	if (apply_load(d, why, data, err) != 0)
		return DAEMON_RELOAD_RETRY;
	return d->reloads_ok > ok ? DAEMON_RELOAD_CHANGED :
	    DAEMON_RELOAD_UNCHANGED;
}

static void
load_discard(void *arg, void *data)
{
	(void)arg;
	manrs_vrp_set_free(data);
}

/*
 * Load the files again, in the layer's reload worker, so routers keep
 * being served while a million VRPs load.  A reload asked for during a
 * load runs right after it; a failed one is retried with backoff.
 */
static void
reload(struct rtrd *d, const char *why)
{
	d->last_load = time(NULL);
	daemon_reload(d->dmn, why);
}

/* The judging clock: --now when pinned, else the time. */
static time_t
judge_now(const struct rtrd *d)
{
	return d->load.read.now != 0 ? d->load.read.now : time(NULL);
}

/* Take out what expired: new serial, delta, Serial Notify. */
static void
expire(struct rtrd *d)
{
	uint64_t n = 0;
	int rc;

	if ((rc = rtrd_expire(d->cache, judge_now(d), &n)) < 0) {
		daemon_log(LOG_ERR, "withdrawing expired entries: %s",
		    manrs_strerror(rc));
		return;
	}
	d->withdrawn += n;
	daemon_log(n > 0 ? LOG_WARNING : LOG_INFO, "withdrew %llu expired "
	    "entries; serving %zu VRPs, serial %u", (unsigned long long)n,
	    manrs_vrp_count(manrs_rtr_cache_set(d->cache), 0),
	    manrs_rtr_cache_serial(d->cache));
	if (rc == 1)
		schedule_notify(d);
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
	/* stale data is withdrawn, not served forever: in memory, so a
	 * reload that fails (or never runs) cannot keep it served */
	if (next != 0 && (int64_t)judge_now(d) >= next)
		expire(d);
	if (daemon_reloading(d->dmn))
		return;
	if (d->reload_interval > 0 &&
	    now - d->last_load >= (time_t)d->reload_interval)
		reload(d, "interval");
	else if (d->watch && files_changed(d))
		reload(d, "file changed");
}

/* rtrd's own series; the layer adds clients, refusals, reloads, ... */
static void
rtrd_serve_metrics(void *arg, struct manrs_buf *b)
{
	struct rtrd *d = arg;
	const struct manrs_vrp_set *s = manrs_rtr_cache_set(d->cache);

	manrs_buf_printf(b,
	    "# HELP manrs_rtr_vrps VRPs served, by address family.\n"
	    "# TYPE manrs_rtr_vrps gauge\n"
	    "manrs_rtr_vrps{af=\"ipv4\"} %zu\nmanrs_rtr_vrps{af=\"ipv6\"} %zu\n"
	    "# HELP manrs_rtr_aspas ASPA records served (version 2).\n"
	    "# TYPE manrs_rtr_aspas gauge\nmanrs_rtr_aspas %zu\n"
	    "# HELP manrs_rtr_router_keys BGPsec router keys served.\n"
	    "# TYPE manrs_rtr_router_keys gauge\nmanrs_rtr_router_keys %zu\n"
	    "# HELP manrs_rtr_serial Current serial number.\n"
	    "# TYPE manrs_rtr_serial gauge\nmanrs_rtr_serial %u\n"
	    "# HELP manrs_rtr_session_id Session id (RFC 8210 section 5.1).\n"
	    "# TYPE manrs_rtr_session_id gauge\nmanrs_rtr_session_id %u\n"
	    "# HELP manrs_rtr_deltas Serials kept for incremental updates.\n"
	    "# TYPE manrs_rtr_deltas gauge\nmanrs_rtr_deltas %zu\n",
	    s ? manrs_vrp_count(s, MANRS_AF_INET) : 0,
	    s ? manrs_vrp_count(s, MANRS_AF_INET6) : 0,
	    s ? manrs_vrp_aspa_count(s) : 0, s ? manrs_vrp_rkey_count(s) : 0,
	    manrs_rtr_cache_serial(d->cache),
	    manrs_rtr_cache_session_id(d->cache),
	    manrs_rtr_cache_deltas(d->cache));
	rtrd_metrics(s, judge_now(d), d->withdrawn, b);
	fetch_set_metrics(&d->fetch, "manrs_rtr", b);
}

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: manrs rtrd --listen ADDR:PORT --vrps FILE|URL [--vrps ...]\n"
"                  [--slurm FILE] [--metrics ADDR:PORT] [options]\n"
"       manrs rtrd --listen ADDR:PORT --db FILE [options]\n"
"  RTR cache (RFC 6810 v0, RFC 8210 v1, 8210bis v2 with ASPA).\n"
"  --db FILE               serve the VRP set of a snapshot (manrs db build\n"
"                          --vrps [--slurm]), mapped in place; a reload\n"
"                          maps the file anew (replace it by rename)\n"
"  --format json|csv       input format (default: detected)\n"
"  --refresh N --retry N --expire N   timers sent to routers\n"
"                          (RFC 8210 section 6 ranges; 3600/600/7200)\n"
"  --max-version N         highest protocol version (default 2)\n"
"  --session-id N          fixed session id (default random)\n"
"  --deltas N              serials kept for incremental updates (16)\n"
"  --reload-interval N     reload every N s (default: only on change;\n"
"                          600 with a --vrps URL: fetched then, with\n"
"                          If-None-Match / If-Modified-Since)\n"
"  --no-watch              do not reload when the files change\n"
"  --notify-interval N     minimum s between Serial Notifies (60)\n"
"  --max-age N             refuse files built more than N s ago\n"
"  --now TIME              judge expiry at TIME (ISO 8601 UTC or Unix\n"
"                          seconds) instead of the clock (testing)\n"
"  --cacert FILE           CA certificates for https:// --vrps\n"
"  --allow-empty           serve a set with nothing in force (empty or\n"
"                          all expired); refused at start and on reload\n"
"                          otherwise\n"
"  SIGHUP reloads (queued if a reload runs; failures retried with\n"
"  backoff, 1 s doubling to 5 min).  Daemon options (defaults for rtrd:\n"
"  --max-clients 4096, --idle-timeout 7500):\n");
	daemon_usage(fp);
}

enum { O_VRPS = 256, O_SLURM, O_FORMAT, O_REFRESH, O_RETRY, O_EXPIRE,
	O_MAXVER, O_SESSION, O_DELTAS, O_RELOAD, O_NOWATCH, O_NOTIFY,
	O_MAXAGE, O_NOW, O_ALLOW_EMPTY, O_CACERT, O_DB, O_END };

static const struct option longopts[] = {
	{ "vrps", required_argument, NULL, O_VRPS },
	{ "slurm", required_argument, NULL, O_SLURM },
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
	{ "max-age", required_argument, NULL, O_MAXAGE },
	{ "now", required_argument, NULL, O_NOW },
	{ "allow-empty", no_argument, NULL, O_ALLOW_EMPTY },
	{ "cacert", required_argument, NULL, O_CACERT },
	{ "db", required_argument, NULL, O_DB },
	DAEMON_LONGOPTS,
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

static int
parse_args(int argc, char **argv, struct rtrd *d, struct daemon_opts *o,
    struct manrs_rtr_config *cfg)
{
	uint64_t v;
	int64_t t = 0;
	int ch, bad = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		const char *on = ch >= O_VRPS && ch < O_END ?
		    longopts[ch - O_VRPS].name : "";

		v = 0;
		if (ch >= DAEMON_OPT_BASE && ch < DAEMON_OPT_END) {
			bad |= daemon_opt(o, ch, optarg) != 0;
			continue;
		}
		switch (ch) {
		case O_VRPS:
			if (d->load.nfiles == RTRD_VRP_FILES_MAX)
				bad = 1;
			else
				d->load.files[d->load.nfiles++] = optarg;
			/* http(s)://: fetched at start and every reload */
			if (fetch_is_url(optarg) &&
			    fetch_set_add(&d->fetch, optarg) == NULL)
				bad = 1;
			break;
		case O_SLURM:
			d->load.slurm = optarg;
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
		case O_MAXAGE:
			bad |= num(on, optarg, UINT32_MAX, &v);
			d->load.read.max_age = v;
			break;
		case O_NOW:
			if (cli_parse_time(on, optarg, &t) != 0)
				bad = 1;
			d->load.read.now = (time_t)t;
			break;
		case O_ALLOW_EMPTY:
			d->load.refuse_empty = false;
			break;
		case O_CACERT:
			d->fetch.cacert = optarg;
			break;
		case O_DB:
			if (d->load.db)
				bad = 1;
			d->load.db = true;
			d->dbfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			bad = 1;
			break;
		}
	}
	if (d->load.db && (d->load.nfiles > 0 || d->load.slurm != NULL)) {
		cli_warnx("rtrd: --db with --vrps or --slurm: the snapshot "
		    "holds the VRPs with SLURM applied (manrs db build)");
		bad = 1;
	} else if (d->load.db)
		d->load.files[d->load.nfiles++] = d->dbfile;
	if (bad || optind != argc || o->nlisten == 0 || d->load.nfiles == 0) {
		usage(stderr);
		return -1;
	}
	if (d->fetch.n > 0) {
		o->fetch = true;	/* outbound sockets after the drop */
		if (d->reload_interval == 0)
			d->reload_interval = RTRD_URL_RELOAD_DEFAULT;
	}
	return 0;
}

static const struct daemon_conn_ops rtrd_conn_ops = {
	.accepted = client_accepted,
	.input = client_input,
	.drained = client_drained,
	.eof = client_eof,
	.closed = client_closed,
	.refusal = client_refusal,
};

static const struct daemon_reload_ops rtrd_reload_ops = {
	.load = load_worker,
	.apply = on_loaded,
	.discard = load_discard,
};

/* Bind, drop privileges, load, serve (STYLE.md "Daemons"). */
static int
run(struct rtrd *d, const struct daemon_opts *o)
{
	struct daemon_config dc;
	struct timeval one = { 1, 0 };
	int rc = EXIT_FAIL;

	memset(&dc, 0, sizeof(dc));
	dc.conn = &rtrd_conn_ops;
	dc.reload = &rtrd_reload_ops;
	dc.metrics = rtrd_serve_metrics;
	dc.arg = d;
	dc.metric_prefix = "manrs_rtr";
	dc.banner = "rtr";
	if ((d->dmn = daemon_new(&dc, o)) == NULL)
		return EXIT_FAIL;
	daemon_diag_sink(&d->load_sink);
	if (daemon_start(d->dmn) != 0)
		goto out;
	if (daemon_reload_now(d->dmn, "start") > DAEMON_RELOAD_UNCHANGED)
		goto out;
	d->tick = event_new(daemon_base(d->dmn), -1, EV_PERSIST, on_tick, d);
	d->notify_ev = evtimer_new(daemon_base(d->dmn), on_notify, d);
	if (d->tick == NULL || d->notify_ev == NULL ||
	    event_add(d->tick, &one) != 0)
		goto out;
	if (daemon_run(d->dmn) == 0)
		rc = EXIT_OK;
out:
	if (d->tick != NULL)
		event_free(d->tick);
	if (d->notify_ev != NULL)
		event_free(d->notify_ev);
	daemon_free(d->dmn);	/* closes clients (sessions freed) */
	return rc;
}

int
cmd_rtrd(int argc, char **argv)
{
	struct rtrd d;
	struct daemon_opts o;
	struct manrs_rtr_config cfg;
	int err, rc;

	memset(&d, 0, sizeof(d));
	memset(&cfg, 0, sizeof(cfg));
	daemon_opts_init(&o, "rtrd", RTRD_IDLE_DEFAULT);
	o.max_clients = RTRD_CLIENTS_DEFAULT;
	cfg.max_version = MANRS_RTR_VERSION_MAX;
	d.watch = true;
	d.notify_interval = 60;
	d.load.refuse_empty = true;
	if ((rc = parse_args(argc, argv, &d, &o, &cfg)) != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	if ((d.cache = manrs_rtr_cache_new(&cfg, &err)) == NULL) {
		cli_warnx("timers: %s (RFC 8210 section 6: expire must exceed "
		    "refresh and retry)", manrs_strerror(err));
		return EXIT_USAGE;
	}
	manrs_buf_init(&d.scratch, 2 * RTRD_OUT_CHUNK + MANRS_RTR_PDU_MAX);
	rc = run(&d, &o);
	manrs_rtr_cache_free(d.cache);
	manrs_buf_clear(&d.scratch);
	fetch_set_clear(&d.fetch);
	return rc;
}
