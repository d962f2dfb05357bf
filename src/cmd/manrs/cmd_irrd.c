/*
 * cmd_irrd.c - "manrs irrd": an IRRd-compatible whois server (port 43
 * protocol) over an in-memory IRR loaded from RPSL dumps.
 *
 *   manrs irrd --listen ADDR:PORT [--listen ...] --source NAME=FILE[,FILE]
 *       [--source ...] [daemon options] [--vrps FILE] [--max-shrink PCT]
 *       [--workers N] [--cache-size MIB] [--client-output KIB]
 *       [--output-budget MIB] [--check]
 *
 * The daemon layer (daemon.c) owns sockets, caps, deadlines, half-close,
 * signals, the reload worker, logging and /metrics; this file wraps the
 * whois engine (a bytes-in / bytes-out machine in the library) around
 * it.  Per client, queries are answered strictly in order:
 *
 *  - a cheap query is answered on the loop thread; a heavy one (set
 *    expansions "!a", "!i...,1", more-specific and inverse lookups) on
 *    the heavy lane of the worker pool, whose threads run at a lower
 *    priority, so one client's "!aAS-BIG" never delays another's "!g";
 *  - answers are handed out in chunks (manrs_whois_emit): a client's
 *    queued output stays under --client-output whatever the answer
 *    size, and all clients' together under --output-budget (a client
 *    over it waits until others drain);
 *  - answers point into a reference-counted database snapshot: a reload
 *    installs a new one and the old is freed when the last answer or
 *    worker using it is done.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <manrs/db.h>
#include <manrs/irrdb.h>
#include <manrs/whois.h>

#include "cli.h"
#include "daemon.h"
#include "fetch_source.h"
#include "irr_load.h"
#include "workpool.h"

#define IDLE_DEFAULT		30	/* IRRd's default */
/* --refresh when a source is a URL and none was given: hourly. */
#define IRRD_URL_REFRESH_DEFAULT	3600
#define WORKERS_DEFAULT		2	/* heavy lane threads */
#define WORKERS_NICE		10
#define CACHE_MIB_DEFAULT	64
#define CLIENT_OUT_KIB_DEFAULT	256
#define OUTPUT_MIB_DEFAULT	128
#define LANE_HEAVY		0
#define EMIT_CHUNK		(16u * 1024u)	/* per client per turn */

/* Query kinds counted in metrics (manrs_whois_peek's names). */
static const char *const kinds[] = {
	"!!", "!a", "!6", "!g", "!i", "!j", "!m", "!n", "!o", "!q", "!r",
	"!s", "!t", "!v", "!f", "ripe", "other"
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* Latency buckets (seconds) of the answer-ready histogram. */
static const double lat_le[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
	2.5, 5, 10
};
#define NLAT	(sizeof(lat_le) / sizeof(lat_le[0]))

struct client;

struct irrd {
	struct daemon		*dmn;
	struct workpool		*wp;
	struct manrs_whois_db	*w;		/* served snapshot */
	struct irr_sources	 src;
	struct fetch_set	 fetch;		/* NAME=URL sources */
	unsigned		 refresh;	/* --refresh, s */
	struct fetch_refresh	*refresher;
	const char		*db_file;	/* --db: a snapshot instead */
	const char		*vrps;		/* RPKI-aware mode */
	int64_t			 vrps_now;	/* --now; 0 = the current time */
	bool			 allow_stale;	/* --allow-stale */
	unsigned		 max_shrink;
	unsigned		 workers;
	size_t			 cache_bytes;
	size_t			 client_out;	/* per-client queued output */
	size_t			 output_budget;	/* all clients */
	size_t			 queued;	/* estimate: sum of outq */
	TAILQ_HEAD(, client)	 starved;	/* waiting for the budget */
	struct manrs_buf	 scratch;	/* one chunk at a time */
	/* data */
	time_t			 loaded_at;	/* last successful load */
	time_t			 data_mtime;	/* oldest source file */
	/* data time of each source served (oldest of its files; 0: ?) */
	int64_t			 src_time[MANRS_IRRDB_SOURCES_MAX];
	/* metrics */
	uint64_t		 queries[NKINDS];
	uint64_t		 lat[NLAT + 1];
	double			 lat_sum;
	uint64_t		 lat_n;
	uint64_t		 heavy_jobs, budget_waits, answer_bytes;
	uint64_t		 snapshots_live;
	struct irr_reload_stats	 refused;
};

struct client {
	struct irrd			*srv;
	struct daemon_conn		*conn;
	struct manrs_whois_session	*ws;
	size_t				 acct;	/* our share of srv->queued */
	bool				 busy;	/* a worker has ws */
	bool				 running; /* job_done in client_run */
	bool				 gone;	/* closed while busy */
	bool				 eof;	/* half-closed: finish, close */
	bool				 starving;
	bool				 timed;	/* latency pending */
	unsigned			 heavy;	/* expansions sent to workers */
	int				 kind;
	double				 t0;
	struct manrs_whois_db		*jw;	/* the job's snapshot */
	int				 jrc;
	TAILQ_ENTRY(client)		 sentry;
};

static void	client_run(struct client *);

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs irrd --listen ADDR:PORT [--listen ...]\n"
	    "           --source NAME=FILE|URL[,...] [--source ...] | "
	    "--db FILE\n"
	    "           [--refresh DURATION (1h)] [--cacert FILE]\n"
	    "           [--vrps FILE [--now TIME] [--allow-stale]]\n"
	    "           [--max-shrink PCT (50)]\n"
	    "           [--workers N (2)] [--cache-size MIB (64)]\n"
	    "           [--client-output KIB (256)] [--output-budget MIB "
	    "(128)]\n"
	    "           [daemon options] [--check]\n\n"
	    "IRRd-compatible whois server (bgpq4/bgpq3 work unchanged).\n"
	    "Sources are in priority order; files are RPSL dumps or the\n"
	    "ARIN origin-AS JSON (plain, gzip or bzip2); an http(s):// URL\n"
	    "is fetched at start and again every --refresh (N, Ns, Nm, Nh,\n"
	    "Nd) with If-None-Match / If-Modified-Since; a failed fetch\n"
	    "keeps the data served, logs why and counts in /metrics\n"
	    "(manrs_irrd_fetch_total).  --vrps hides\n"
	    "RPKI-invalid route objects as IRRd 4 does (\"!fno-rpki-filter\"\n"
	    "shows them on a connection); --now TIME (ISO 8601 UTC or Unix\n"
	    "seconds; alias --vrps-now) judges their expiry, and a file\n"
	    "with every VRP expired is refused unless --allow-stale.\n"
	    "--db FILE maps a snapshot (manrs db build; RPKI marks from\n"
	    "its --vrps) instead of loading dumps: start and SIGHUP reload\n"
	    "map the file anew, the old mapping goes with its last reader.\n"
	    "--check loads, prints statistics\n"
	    "and exits (1 when a file cannot be read whole or holds no\n"
	    "object).  SIGHUP reloads; a reload that fails, empties a source\n"
	    "or shrinks one by more than --max-shrink percent keeps the data\n"
	    "served and logs why.  Set expansions run on --workers threads;\n"
	    "their answers are cached per loaded snapshot (--cache-size 0:\n"
	    "off).  A client's queued output stays under --client-output,\n"
	    "all clients' under --output-budget.\n\n"
	    "daemon options:\n");
	daemon_usage(fp);
}

static double
now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- loading ------------------------------------------------------ */

/*
 * RPKI-aware mode, as IRRd 4: route objects that are RPKI-invalid
 * (RFC 6811) against the VRPs are hidden unless the client sends
 * "!fno-rpki-filter".
 */
static void
vrps_warn(const char *msg)
{
	daemon_log(LOG_WARNING, "%s", msg);
}

/*
 * The VRPs under the staleness policy of every judging command (cli.h):
 * all expired at --now (default: the current time) is refused unless
 * --allow-stale, at start and on reload (which then keeps the served
 * data).
 */
static int
apply_vrps(struct manrs_irrdb *db, const char *path, int64_t now,
    bool allow_stale, struct manrs_diag_sink *sink)
{
	struct cli_vrps v;
	struct manrs_vrp_set *vs;
	uint64_t n = 0;
	int rc;

	memset(&v, 0, sizeof(v));
	v.load.files[v.load.nfiles++] = path;
	v.now = now;
	v.allow_stale = allow_stale;
	v.sink = sink;
	v.warn = vrps_warn;
	if ((vs = cli_vrps_load(&v, "--vrps", NULL)) == NULL)
		rc = MANRS_E_RANGE;
	else if ((rc = manrs_irrdb_rpki_apply(db, vs, &n)) == 0)
		daemon_log(LOG_INFO, "%s: %zu VRPs (%llu expired, dropped); "
		    "%llu route objects RPKI-invalid, hidden", path,
		    manrs_vrp_count(vs, 0), (unsigned long long)
		    manrs_vrp_set_stats(vs)->vrps_expired,
		    (unsigned long long)n);
	else
		daemon_log(LOG_ERR, "%s: %s", path, manrs_strerror(rc));
	manrs_vrp_set_free(vs);
	return rc;
}

static void
log_stats(const struct manrs_irrdb *db, double secs)
{
	struct manrs_irrdb_stats st;

	manrs_irrdb_stats(db, &st);
	daemon_log(LOG_INFO, "loaded %llu objects (%llu route/route6, %llu "
	    "aut-num, %llu as-set, %llu route-set), %llu skipped, %.1f MiB, "
	    "%.2f s", (unsigned long long)st.objects,
	    (unsigned long long)st.routes,
	    (unsigned long long)st.per_class[MANRS_RPSL_AUT_NUM],
	    (unsigned long long)st.per_class[MANRS_RPSL_AS_SET],
	    (unsigned long long)st.per_class[MANRS_RPSL_ROUTE_SET],
	    (unsigned long long)st.skipped, st.bytes / 1048576.0, secs);
}

/* Oldest modification time among the source files (0: unknown). */
static time_t
sources_mtime(const struct irr_sources *s)
{
	char buf[4096], *p, *f;
	struct stat sb;
	time_t t = 0;
	int i;

	for (i = 0; i < s->n; i++) {
		if (strlcpy(buf, s->src[i].files, sizeof(buf)) >= sizeof(buf))
			continue;
		for (p = buf; (f = strsep(&p, ",")) != NULL;)
			if (stat(f, &sb) == 0 && (t == 0 || sb.st_mtime < t))
				t = sb.st_mtime;
	}
	return t;
}

struct loaded {
	struct manrs_irrdb	*db;
	time_t			 mtime;
	double			 secs;
	/* each IRR file read: its source and provenance (manrs/db.h) */
	struct manrs_db_input	*in;
	size_t			 nin, cap;
};

static int
inputs_add(struct loaded *l, const char *source,
    const struct manrs_provenance *p)
{
	struct manrs_db_input *v;
	size_t cap;

	if (l->nin == l->cap) {
		cap = l->cap == 0 ? 8 : l->cap * 2;
		if (cap > MANRS_PROV_LIST_MAX)
			return MANRS_E_LIMIT;
		if ((v = reallocarray(l->in, cap, sizeof(*v))) == NULL)
			return MANRS_E_NOMEM;
		l->in = v;
		l->cap = cap;
	}
	v = &l->in[l->nin++];
	(void)strlcpy(v->source, source, sizeof(v->source));
	v->prov = *p;
	return 0;
}

/*
 * The files' provenance (irr_sources_load() lists one per file read, in
 * the order of the --source arguments) with each file's source.  prov
 * is the caller's scratch list (its times may be filled in).
 */
static int
inputs_from_sources(struct loaded *l, const struct irr_sources *s,
    struct manrs_provenance_list *prov)
{
	char *files, *f, *rest;
	size_t k = 0;
	int i, rc = 0;

	for (i = 0; i < s->n && rc == 0; i++) {
		if ((files = strdup(s->src[i].files)) == NULL)
			return MANRS_E_NOMEM;
		rest = files;
		while (rc == 0 && (f = strsep(&rest, ",")) != NULL)
			if (*f != '\0' && k < prov->n) {
				/* no time in the content: the file's mtime */
				if (prov->v[k].time <= 0)
					(void)manrs_provenance_use_mtime(
					    &prov->v[k]);
				rc = inputs_add(l, s->src[i].name,
				    &prov->v[k++]);
			}
		free(files);
	}
	return rc;
}

/* The oldest known data time of source s's files (0: none known). */
static int64_t
source_time(const struct loaded *l, const char *name)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < l->nin; i++)
		if (strcmp(l->in[i].source, name) == 0 &&
		    l->in[i].prov.time > 0 &&
		    (t == 0 || l->in[i].prov.time < t))
			t = l->in[i].prov.time;
	return t;
}

/* --db: map the snapshot; the irrdb owns the mapping (manrs/db.h). */
static struct manrs_irrdb *
snapshot_map(const char *path, time_t *mtime, struct loaded *l, int *err)
{
	struct manrs_irrdb *irr;
	struct manrs_db *db;
	struct manrs_db_input in;
	struct stat sb;
	char why[512];
	size_t i;

	*mtime = stat(path, &sb) == 0 ? sb.st_mtime : 0;
	if ((db = manrs_db_open(path, why, sizeof(why), err)) == NULL) {
		daemon_log(LOG_ERR, "--db %s: %s", path, why);
		return NULL;
	}
	/* the IRR files `manrs db build` read, with their source */
	for (i = 0; manrs_db_input(db, i, &in) == 0; i++)
		if (strcmp(in.prov.kind, "irr") == 0 &&
		    (*err = inputs_add(l, in.source, &in.prov)) != 0) {
			manrs_db_close(db);
			return NULL;
		}
	if ((irr = manrs_db_take_irrdb(db)) == NULL) {
		daemon_log(LOG_ERR, "--db %s: no IRR data in it", path);
		*err = MANRS_E_FORMAT;
	}
	return irr;
}

/* Reload worker (or main thread at start): build a new database. */
static void *
irrd_load(void *arg, int *err)
{
	struct irrd *srv = arg;
	struct manrs_diag_sink sink;
	struct loaded *l;
	double t0 = now_secs();
	int rc;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	daemon_diag_sink(&sink);
	/* URL sources: a conditional fetch, the last good body if it fails */
	if (srv->fetch.n > 0 && fetch_set_refresh(&srv->fetch,
	    daemon_log) < 0) {
		free(l);
		*err = MANRS_E_IO;
		return NULL;
	}
	if (srv->db_file != NULL)
		l->db = snapshot_map(srv->db_file, &l->mtime, l, err);
	else {
		struct irr_sources src = srv->src;
		struct manrs_provenance_list prov;

		manrs_provenance_list_init(&prov);
		src.prov = &prov;
		l->mtime = sources_mtime(&srv->src);
		l->db = irr_sources_load(&src, &sink, err);
		if (l->db != NULL &&
		    (rc = inputs_from_sources(l, &src, &prov)) != 0) {
			manrs_irrdb_free(l->db);
			l->db = NULL;
			*err = rc;
		}
		manrs_provenance_list_clear(&prov);
	}
	if (l->db == NULL) {
		fetch_set_done(&srv->fetch, false);
		free(l->in);
		free(l);
		return NULL;
	}
	if (srv->vrps != NULL && (rc = apply_vrps(l->db, srv->vrps,
	    srv->vrps_now, srv->allow_stale, &sink)) != 0) {
		fetch_set_done(&srv->fetch, false);
		manrs_irrdb_free(l->db);
		free(l->in);
		free(l);
		*err = rc;
		return NULL;
	}
	fetch_set_done(&srv->fetch, true);
	l->secs = now_secs() - t0;
	*err = 0;
	return l;
}

static void
irrd_discard(void *arg, void *data)
{
	struct loaded *l = data;

	(void)arg;
	if (l != NULL) {
		manrs_irrdb_free(l->db);
		free(l->in);
	}
	free(l);
}

/* One line a file: "input SOURCE irr PATH: N records, ...; time ...". */
static void
log_inputs(const struct loaded *l)
{
	struct manrs_buf b;
	size_t i;

	manrs_buf_init(&b, 0);
	for (i = 0; i < l->nin; i++) {
		manrs_buf_reset(&b);
		if (manrs_provenance_print(&l->in[i].prov, &b) != 0 ||
		    b.len == 0)
			continue;
		daemon_log(LOG_INFO, "input %s %.*s", l->in[i].source,
		    (int)(b.len - 1), b.p);
	}
	manrs_buf_clear(&b);
}

/* Main thread: install a loaded database (or keep the old one). */
static enum daemon_reload_result
irrd_apply(void *arg, const char *why, void *data, int err)
{
	struct irrd *srv = arg;
	struct loaded *l = data;
	struct manrs_whois_db *w;
	const struct manrs_irrdb *db;
	enum irr_reload_verdict v;
	char reason[256];
	int e, s;

	if (l == NULL) {
		irr_reload_count(&srv->refused, IRR_RELOAD_FAILED);
		daemon_log(LOG_ERR, "%s: load failed (%s)%s", why,
		    manrs_strerror(err), srv->w != NULL ?
		    "; keeping the previous data" : "");
		return DAEMON_RELOAD_FAILED;
	}
	if (srv->w != NULL && (v = irr_reload_check(
	    manrs_whois_db_irrdb(srv->w), l->db, srv->max_shrink, reason,
	    sizeof(reason))) != IRR_RELOAD_OK) {
		irr_reload_count(&srv->refused, v);
		daemon_log(LOG_ERR, "%s: reload refused (%s): %s; keeping the "
		    "previous data", why, irr_reload_reason_name(v), reason);
		irrd_discard(srv, l);
		return DAEMON_RELOAD_FAILED;
	}
	log_stats(l->db, l->secs);
	log_inputs(l);
	if ((w = manrs_whois_db_new(l->db, srv->cache_bytes, &e)) == NULL) {
		daemon_log(LOG_ERR, "%s: %s; keeping the previous data", why,
		    manrs_strerror(e));
		irrd_discard(srv, l);
		return DAEMON_RELOAD_FAILED;
	}
	/* Answers and workers still on the old snapshot keep it alive. */
	if (srv->w != NULL) {
		manrs_whois_db_unref(srv->w);
		daemon_log(LOG_INFO, "%s: reload done", why);
	}
	srv->w = w;
	srv->loaded_at = time(NULL);
	srv->data_mtime = l->mtime;
	db = manrs_whois_db_irrdb(w);
	memset(srv->src_time, 0, sizeof(srv->src_time));
	for (s = 0; s < manrs_irrdb_source_count(db) &&
	    s < MANRS_IRRDB_SOURCES_MAX; s++)
		srv->src_time[s] = source_time(l,
		    manrs_irrdb_source_name(db, s));
	free(l->in);
	free(l);
	return DAEMON_RELOAD_CHANGED;
}

/* ---- output budget ------------------------------------------------ */

/* Bring our share of the global estimate up to date. */
static void
acct_update(struct client *cl)
{
	size_t q = cl->conn != NULL ? daemon_conn_outq(cl->conn) : 0;

	cl->srv->queued = cl->srv->queued - cl->acct + q;
	cl->acct = q;
}

static void
starve_stop(struct client *cl)
{
	if (cl->starving) {
		TAILQ_REMOVE(&cl->srv->starved, cl, sentry);
		cl->starving = false;
	}
}

/* Output drained somewhere: let clients waiting for the budget go on. */
static void
starved_kick(struct irrd *srv)
{
	struct client *cl;
	unsigned n = 0;

	while ((cl = TAILQ_FIRST(&srv->starved)) != NULL && n++ < 64 &&
	    srv->queued < srv->output_budget) {
		starve_stop(cl);
		client_run(cl);
	}
}

/* ---- clients ------------------------------------------------------ */

static int
kind_index(const char *k)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i], k) == 0)
			return (int)i;
	return (int)NKINDS - 1;
}

static void
latency_note(struct client *cl)
{
	struct irrd *srv = cl->srv;
	double dt = now_secs() - cl->t0;
	size_t i;

	if (!cl->timed)
		return;
	cl->timed = false;
	for (i = 0; i < NLAT && dt > lat_le[i]; i++)
		;
	srv->lat[i]++;
	srv->lat_sum += dt;
	srv->lat_n++;
}

static void
client_free(struct client *cl)
{
	starve_stop(cl);
	cl->srv->queued -= cl->acct;
	cl->acct = 0;
	manrs_whois_session_free(cl->ws);
	free(cl);
}

/* Worker thread: answer one heavy query into the session. */
static void
job_run(void *arg)
{
	struct client *cl = arg;

	cl->jrc = manrs_whois_prepare(cl->ws, cl->jw);
}

/* Loop thread: the worker is done with the session. */
static void
job_done(void *arg, bool ran)
{
	struct client *cl = arg;
	struct daemon_conn *conn = cl->conn;

	manrs_whois_db_unref(cl->jw);
	cl->jw = NULL;
	cl->busy = false;
	if (cl->gone) {
		client_free(cl);
		daemon_conn_release(conn);
		return;
	}
	if (!ran || cl->jrc < 0) {
		daemon_log(LOG_ERR, "%s: %s; closing", daemon_conn_peer(conn),
		    ran ? manrs_strerror(cl->jrc) : "shutting down");
		daemon_conn_abort(conn, "query failed");
		daemon_conn_release(conn);
		return;
	}
	/*
	 * Not inside a layer callback: a close while we run (a failed
	 * write) must not free cl under us; on_closed leaves it to us.
	 */
	cl->running = true;
	daemon_conn_resume(conn);
	client_run(cl);
	cl->running = false;
	if (cl->gone)
		client_free(cl);
	daemon_conn_release(conn);
}

/*
 * Hand out the next chunk of the current answer if the budgets allow:
 * 0 when the answer is complete, 1 when more remains (drained calls
 * again), or an error.
 */
static int
client_emit(struct client *cl)
{
	struct irrd *srv = cl->srv;
	size_t q, room, groom;
	int rc;

	for (;;) {
		acct_update(cl);
		q = cl->acct;
		if (q >= srv->client_out)
			return 1;	/* wait for drained */
		room = srv->client_out - q;
		groom = srv->queued < srv->output_budget ?
		    srv->output_budget - srv->queued : 0;
		if (groom == 0) {
			if (!cl->starving && q == 0) {
				/* nothing of ours will drain: queue up */
				TAILQ_INSERT_TAIL(&srv->starved, cl, sentry);
				cl->starving = true;
				srv->budget_waits++;
			}
			return 1;
		}
		if (room > groom)
			room = groom;
		if (room > EMIT_CHUNK)
			room = EMIT_CHUNK;
		manrs_buf_reset(&srv->scratch);
		rc = manrs_whois_emit(cl->ws, &srv->scratch, room);
		if (rc < 0)
			return rc;
		if (srv->scratch.len > 0) {
			latency_note(cl);
			srv->answer_bytes += srv->scratch.len;
			if (daemon_conn_write(cl->conn, srv->scratch.p,
			    srv->scratch.len) != 0)
				return MANRS_E_NOMEM;
		}
		if (rc == 0) {
			latency_note(cl);
			acct_update(cl);
			return 0;
		}
		/* One chunk per turn: the next when this one is written. */
		acct_update(cl);
		return 1;
	}
}

/*
 * Answer what is pending: emit the current answer, prepare the next
 * (here when cheap, on a worker when heavy), until output is full, a
 * worker has the session, or nothing complete is pending.
 */
static void
client_run(struct client *cl)
{
	struct irrd *srv = cl->srv;
	const char *kind;
	unsigned t;
	int cost, rc;

	if (cl->busy || cl->gone || daemon_conn_closing(cl->conn))
		return;
	for (;;) {
		if (manrs_whois_answering(cl->ws)) {
			if ((rc = client_emit(cl)) < 0) {
				daemon_conn_abort(cl->conn, "out of memory");
				return;
			}
			if (rc == 1)
				return;		/* output full */
			continue;
		}
		if ((cost = manrs_whois_peek(cl->ws, &kind)) == 0) {
			/* an over-long line is refused by prepare */
			if (manrs_whois_closing(cl->ws) ||
			    manrs_whois_pending(cl->ws) <= MANRS_WHOIS_LINE_MAX)
				break;
			cost = 1;
		}
		if (strcmp(kind, "none") != 0) {
			cl->kind = kind_index(kind);
			srv->queries[cl->kind]++;
			cl->t0 = now_secs();
			cl->timed = true;
		}
		/* A cached expansion is cheap: answer it here. */
		if (cost == 2 && srv->wp != NULL &&
		    !manrs_whois_cached(cl->ws, srv->w)) {
			cl->busy = true;
			cl->jw = manrs_whois_db_ref(srv->w);
			daemon_conn_hold(cl->conn);
			daemon_conn_pause(cl->conn);
			/*
			 * A client's first expansion goes ahead of the
			 * others' repeats: a newcomer does not wait behind
			 * every looping client's queued expansion.
			 */
			if (workpool_submit(srv->wp, LANE_HEAVY,
			    cl->heavy == 0, job_run, job_done, cl) == 0) {
				cl->heavy++;
				srv->heavy_jobs++;
				return;
			}
			/* pool refused: answer it here */
			cl->busy = false;
			manrs_whois_db_unref(cl->jw);
			cl->jw = NULL;
			daemon_conn_release(cl->conn);
			daemon_conn_resume(cl->conn);
		}
		if ((rc = manrs_whois_prepare(cl->ws, srv->w)) < 0) {
			daemon_log(LOG_ERR, "%s: %s; closing",
			    daemon_conn_peer(cl->conn), manrs_strerror(rc));
			daemon_conn_abort(cl->conn, "query failed");
			return;
		}
	}
	cl->timed = false;
	if ((t = manrs_whois_timeout(cl->ws)) != 0)
		daemon_conn_set_idle(cl->conn, t);
	daemon_conn_set_partial(cl->conn, manrs_whois_pending(cl->ws) > 0 &&
	    !manrs_whois_closing(cl->ws));
	if (manrs_whois_closing(cl->ws) || cl->eof) {
		daemon_conn_close(cl->conn);
		return;
	}
	daemon_conn_resume(cl->conn);
}

static void *
on_accepted(struct daemon_conn *conn)
{
	struct irrd *srv = daemon_conn_arg(conn);
	struct client *cl;
	int err;

	if (srv->w == NULL || (cl = calloc(1, sizeof(*cl))) == NULL)
		return NULL;
	if ((cl->ws = manrs_whois_session_new(&err)) == NULL) {
		free(cl);
		return NULL;
	}
	cl->srv = srv;
	cl->conn = conn;
	daemon_conn_set_lowat(conn, srv->client_out / 2);
	return cl;
}

static size_t
on_input(struct daemon_conn *conn, const uint8_t *p, size_t len)
{
	struct client *cl = daemon_conn_data(conn);
	size_t used = 0, room, n;

	/*
	 * Take everything offered unless a query is being answered (then
	 * pause: the rest is offered again when the answer is out).
	 */
	while (used < len) {
		if (cl->busy || manrs_whois_answering(cl->ws) ||
		    daemon_conn_closing(conn)) {
			if (!daemon_conn_closing(conn))
				daemon_conn_pause(conn);
			break;
		}
		if (manrs_whois_closing(cl->ws))
			return len;	/* discard after the last answer */
		room = MANRS_WHOIS_PENDING_MAX - manrs_whois_pending(cl->ws);
		if ((n = len - used) > room)
			n = room;
		if (n == 0 || manrs_whois_input(cl->ws, p + used, n) != 0) {
			daemon_conn_pause(conn);
			break;
		}
		used += n;
		client_run(cl);
	}
	return used;
}

static void
on_drained(struct daemon_conn *conn)
{
	struct client *cl = daemon_conn_data(conn);
	struct irrd *srv = cl->srv;

	acct_update(cl);
	client_run(cl);
	starved_kick(srv);
}

/* Half-close: answer every complete query received, then close. */
static void
on_eof(struct daemon_conn *conn)
{
	struct client *cl = daemon_conn_data(conn);

	cl->eof = true;
	client_run(cl);
}

static void
on_closed(struct daemon_conn *conn, const char *why)
{
	struct client *cl = daemon_conn_data(conn);

	(void)why;
	if (cl == NULL)
		return;
	if (cl->busy || cl->running) {
		cl->gone = true;	/* job_done frees it */
		starve_stop(cl);
		return;
	}
	client_free(cl);
}

static size_t
on_refusal(void *arg, enum daemon_refuse why, const uint8_t *in,
    size_t inlen, uint8_t *out, size_t outsize)
{
	static const char *const msg[DAEMON_REFUSE_NREASONS] = {
		"F too many connections\n",
		"F too many connections from your address\n",
		"F server busy, try again later\n",
	};
	size_t n = strlen(msg[why]);

	(void)arg;
	(void)in;
	(void)inlen;
	if (n > outsize)
		n = outsize;
	memcpy(out, msg[why], n);
	return n;
}

/* ---- metrics ------------------------------------------------------ */

static void
irrd_metrics(void *arg, struct manrs_buf *out)
{
	struct irrd *srv = arg;
	struct manrs_whois_db_stats ws;
	const struct manrs_irrdb *db;
	uint64_t cum = 0;
	size_t i;
	int s;

	daemon_metric_head(out, "manrs_irrd_queries_total", "counter",
	    "Queries answered, by type (IRRd command or \"ripe\").");
	for (i = 0; i < NKINDS; i++)
		manrs_buf_printf(out, "manrs_irrd_queries_total{type=\"%s\"} "
		    "%llu\n", kinds[i], (unsigned long long)srv->queries[i]);
	daemon_metric_head(out, "manrs_irrd_query_duration_seconds",
	    "histogram", "Time from a query's turn to its first answer byte.");
	for (i = 0; i < NLAT; i++) {
		cum += srv->lat[i];
		manrs_buf_printf(out, "manrs_irrd_query_duration_seconds_bucket"
		    "{le=\"%g\"} %llu\n", lat_le[i], (unsigned long long)cum);
	}
	cum += srv->lat[NLAT];
	manrs_buf_printf(out, "manrs_irrd_query_duration_seconds_bucket"
	    "{le=\"+Inf\"} %llu\nmanrs_irrd_query_duration_seconds_sum %.6f\n"
	    "manrs_irrd_query_duration_seconds_count %llu\n",
	    (unsigned long long)cum, srv->lat_sum,
	    (unsigned long long)srv->lat_n);
	daemon_metric_head(out, "manrs_irrd_heavy_queries_total", "counter",
	    "Queries run on the worker pool.");
	manrs_buf_printf(out, "manrs_irrd_heavy_queries_total %llu\n",
	    (unsigned long long)srv->heavy_jobs);
	daemon_metric_head(out, "manrs_irrd_worker_backlog", "gauge",
	    "Heavy queries queued or running.");
	manrs_buf_printf(out, "manrs_irrd_worker_backlog %u\n",
	    srv->wp != NULL ? workpool_backlog(srv->wp, LANE_HEAVY) : 0);
	daemon_metric_head(out, "manrs_irrd_answer_bytes_total", "counter",
	    "Answer bytes queued to clients.");
	manrs_buf_printf(out, "manrs_irrd_answer_bytes_total %llu\n",
	    (unsigned long long)srv->answer_bytes);
	daemon_metric_head(out, "manrs_irrd_output_queued_bytes", "gauge",
	    "Output queued to all clients (estimate).");
	manrs_buf_printf(out, "manrs_irrd_output_queued_bytes %zu\n",
	    srv->queued);
	daemon_metric_head(out, "manrs_irrd_output_budget_waits_total",
	    "counter", "Times a client waited for the global output budget.");
	manrs_buf_printf(out, "manrs_irrd_output_budget_waits_total %llu\n",
	    (unsigned long long)srv->budget_waits);
	irr_reload_metrics(&srv->refused, out);
	fetch_set_metrics(&srv->fetch, "manrs_irrd", out);
	if (srv->w == NULL)
		return;
	db = manrs_whois_db_irrdb(srv->w);
	daemon_metric_head(out, "manrs_irrd_objects", "gauge",
	    "Objects served, by source.");
	for (s = 0; s < manrs_irrdb_source_count(db); s++)
		manrs_buf_printf(out, "manrs_irrd_objects{source=\"%s\"} "
		    "%llu\n", manrs_irrdb_source_name(db, s),
		    (unsigned long long)manrs_irrdb_source_objects(db, s));
	daemon_metric_head(out, "manrs_irrd_data_loaded_timestamp_seconds",
	    "gauge", "When the data served was loaded (UNIX time).");
	manrs_buf_printf(out, "manrs_irrd_data_loaded_timestamp_seconds "
	    "%lld\n", (long long)srv->loaded_at);
	daemon_metric_head(out, "manrs_irrd_data_age_seconds", "gauge",
	    "Age of the oldest source file served (now - its mtime).");
	manrs_buf_printf(out, "manrs_irrd_data_age_seconds %lld\n",
	    srv->data_mtime > 0 ? (long long)(time(NULL) - srv->data_mtime) :
	    0LL);
	daemon_metric_head(out, "manrs_irrd_source_data_time_seconds",
	    "gauge", "Data time of each source served (UNIX time; the "
	    "oldest of its files: content time, else mtime; 0: unknown).");
	for (s = 0; s < manrs_irrdb_source_count(db) &&
	    s < MANRS_IRRDB_SOURCES_MAX; s++)
		manrs_buf_printf(out, "manrs_irrd_source_data_time_seconds"
		    "{source=\"%s\"} %lld\n", manrs_irrdb_source_name(db, s),
		    (long long)srv->src_time[s]);
	manrs_whois_db_stats(srv->w, &ws);
	daemon_metric_head(out, "manrs_irrd_cache_hits_total", "counter",
	    "Set-expansion answers served from the cache (this snapshot).");
	manrs_buf_printf(out, "manrs_irrd_cache_hits_total %llu\n",
	    (unsigned long long)ws.cache_hits);
	daemon_metric_head(out, "manrs_irrd_cache_misses_total", "counter",
	    "Set-expansion answers computed (this snapshot).");
	manrs_buf_printf(out, "manrs_irrd_cache_misses_total %llu\n",
	    (unsigned long long)ws.cache_misses);
	daemon_metric_head(out, "manrs_irrd_cache_bytes", "gauge",
	    "Bytes held by the expansion cache.");
	manrs_buf_printf(out, "manrs_irrd_cache_bytes %llu\n",
	    (unsigned long long)ws.cache_bytes);
}

/* ---- main --------------------------------------------------------- */

static int
check_only(struct irrd *srv)
{
	struct rusage ru;
	struct loaded *l;
	int err;

	if ((l = irrd_load(srv, &err)) == NULL) {
		cli_warnx("irrd: load failed: %s", manrs_strerror(err));
		return EXIT_FAIL;
	}
	log_stats(l->db, l->secs);
	getrusage(RUSAGE_SELF, &ru);
	daemon_log(LOG_INFO, "peak RSS %ld KiB", ru.ru_maxrss);
	irrd_discard(srv, l);
	return EXIT_OK;
}

static int
num_opt(const char *name, const char *arg, long long lo, long long hi,
    long long *out)
{
	const char *errstr = NULL;

	*out = strtonum(arg, lo, hi, &errstr);
	if (errstr != NULL) {
		cli_warnx("irrd: --%s %s: %s (want %lld..%lld)", name, arg,
		    errstr, lo, hi);
		return -1;
	}
	return 0;
}

enum {
	OPT_SOURCE = 's', OPT_VRPS = 'v', OPT_VRPS_NOW = 'n', OPT_CHECK = 'k',
	OPT_SHRINK = 'm', OPT_WORKERS = 'w', OPT_CACHE = 'C',
	OPT_CLIENT_OUT = 'O', OPT_BUDGET = 'B', OPT_HELP = 'h',
	OPT_ALLOW_STALE = 'S', OPT_DB = 'D', OPT_REFRESH = 'R',
	OPT_CACERT = 'A'
};

/* The body of a NAME=URL source (irr_sources' mem hook). */
static const struct manrs_buf *
url_body(void *arg, const char *file)
{
	struct fetch_source *fs = fetch_set_find(arg, file);

	return fs != NULL ? fetch_source_data(fs) : NULL;
}

/* Every http(s):// in "NAME=A,B,..." becomes a URL source. */
static int
add_urls(struct irrd *srv, const char *files)
{
	char *list, *f, *rest;
	int rc = 0;

	if ((list = strdup(files)) == NULL)
		return -1;
	rest = list;
	while (rc == 0 && (f = strsep(&rest, ",")) != NULL)
		if (fetch_is_url(f) && fetch_set_add(&srv->fetch, f) == NULL)
			rc = -1;
	free(list);
	return rc;
}

int
cmd_irrd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "db", required_argument, NULL, OPT_DB },
		{ "vrps", required_argument, NULL, OPT_VRPS },
		{ "vrps-now", required_argument, NULL, OPT_VRPS_NOW },
		{ "now", required_argument, NULL, OPT_VRPS_NOW },
		{ "rpki-now", required_argument, NULL, OPT_VRPS_NOW },
		{ "allow-stale", no_argument, NULL, OPT_ALLOW_STALE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "max-shrink", required_argument, NULL, OPT_SHRINK },
		{ "workers", required_argument, NULL, OPT_WORKERS },
		{ "cache-size", required_argument, NULL, OPT_CACHE },
		{ "client-output", required_argument, NULL, OPT_CLIENT_OUT },
		{ "output-budget", required_argument, NULL, OPT_BUDGET },
		{ "refresh", required_argument, NULL, OPT_REFRESH },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "help", no_argument, NULL, OPT_HELP },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const struct daemon_conn_ops conn_ops = {
		.accepted = on_accepted,
		.input = on_input,
		.drained = on_drained,
		.eof = on_eof,
		.closed = on_closed,
		.refusal = on_refusal,
	};
	static const struct daemon_reload_ops reload_ops = {
		.load = irrd_load,
		.apply = irrd_apply,
		.discard = irrd_discard,
	};
	struct workpool_lane_conf lanes[WORKPOOL_LANES];
	struct daemon_config dc;
	struct daemon_opts o;
	struct irrd srv;
	long long v;
	int ch, err, rc = EXIT_FAIL;
	bool check = false;

	memset(&srv, 0, sizeof(srv));
	TAILQ_INIT(&srv.starved);
	manrs_buf_init(&srv.scratch, 0);
	srv.max_shrink = IRR_MAX_SHRINK_DEFAULT;
	srv.workers = WORKERS_DEFAULT;
	srv.cache_bytes = (size_t)CACHE_MIB_DEFAULT << 20;
	srv.client_out = (size_t)CLIENT_OUT_KIB_DEFAULT << 10;
	srv.output_budget = (size_t)OUTPUT_MIB_DEFAULT << 20;
	daemon_opts_init(&o, "irrd", IDLE_DEFAULT);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_SOURCE:
			if (irr_sources_add(&srv.src, optarg, "irrd") != 0 ||
			    add_urls(&srv, srv.src.src[srv.src.n - 1].files))
				return EXIT_USAGE;
			break;
		case OPT_REFRESH:
			if (fetch_parse_duration(optarg, &srv.refresh) != 0) {
				cli_warnx("irrd: --refresh %s: want N, Ns, Nm, "
				    "Nh or Nd (at least 1 s)", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_CACERT:
			srv.fetch.cacert = optarg;
			break;
		case OPT_DB:
			srv.db_file = optarg;
			break;
		case OPT_VRPS:
			srv.vrps = optarg;
			break;
		case OPT_VRPS_NOW:	/* evaluate VRP expiry at this time */
			if (cli_parse_time("now", optarg, &srv.vrps_now) != 0)
				return EXIT_USAGE;
			break;
		case OPT_ALLOW_STALE:
			srv.allow_stale = true;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_SHRINK:
			if (irr_max_shrink_parse(optarg, &srv.max_shrink)
			    != 0) {
				cli_warnx("irrd: --max-shrink %s: want a "
				    "percentage 0-100", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_WORKERS:
			if (num_opt("workers", optarg, 0, 64, &v) != 0)
				return EXIT_USAGE;
			srv.workers = (unsigned)v;
			break;
		case OPT_CACHE:
			if (num_opt("cache-size", optarg, 0, 65536, &v) != 0)
				return EXIT_USAGE;
			srv.cache_bytes = (size_t)v << 20;
			break;
		case OPT_CLIENT_OUT:
			if (num_opt("client-output", optarg, 16, 1 << 20, &v)
			    != 0)
				return EXIT_USAGE;
			srv.client_out = (size_t)v << 10;
			break;
		case OPT_BUDGET:
			if (num_opt("output-budget", optarg, 1, 1 << 20, &v)
			    != 0)
				return EXIT_USAGE;
			srv.output_budget = (size_t)v << 20;
			break;
		case OPT_HELP:
			usage(stdout);
			return EXIT_OK;
		default:
			if (ch >= DAEMON_OPT_BASE && ch < DAEMON_OPT_END) {
				if (daemon_opt(&o, ch, optarg) != 0)
					return EXIT_USAGE;
				break;
			}
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (srv.db_file != NULL && (srv.src.n > 0 || srv.vrps != NULL)) {
		cli_warnx("irrd: --db with --source or --vrps (give the VRPs "
		    "to manrs db build)");
		return EXIT_USAGE;
	}
	if (optind != argc || (srv.src.n == 0 && srv.db_file == NULL) ||
	    (o.nlisten == 0 && !check)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	daemon_log_setup(&o);
	if (srv.fetch.n > 0) {
		srv.src.mem = url_body;
		srv.src.mem_arg = &srv.fetch;
		o.fetch = true;	/* outbound sockets after the drop */
		if (srv.refresh == 0)
			srv.refresh = IRRD_URL_REFRESH_DEFAULT;
	}
	if (check)
		return check_only(&srv);

	memset(&dc, 0, sizeof(dc));
	dc.conn = &conn_ops;
	dc.reload = &reload_ops;
	dc.metrics = irrd_metrics;
	dc.arg = &srv;
	dc.metric_prefix = "manrs_irrd";
	if ((srv.dmn = daemon_new(&dc, &o)) == NULL)
		return EXIT_FAIL;
	if (daemon_start(srv.dmn) != 0)
		goto out;
	/*
	 * After daemon_start: privileges are dropped before any thread
	 * starts.  The workers ask for a lower priority (nice); where the
	 * sandbox refuses setpriority they run at the loop's.
	 */
	memset(lanes, 0, sizeof(lanes));
	lanes[LANE_HEAVY].threads = srv.workers;
	lanes[LANE_HEAVY].nice = WORKERS_NICE;
	if (srv.workers > 0 && (srv.wp = workpool_new(daemon_base(srv.dmn),
	    lanes, &err)) == NULL) {
		daemon_log(LOG_ERR, "worker pool: %s", strerror(err));
		goto out;
	}
	if (daemon_reload_now(srv.dmn, "start") != DAEMON_RELOAD_CHANGED)
		goto out;
	/* URL sources: fetched again (conditionally) every --refresh */
	if (srv.fetch.n > 0 && (srv.refresher = fetch_refresh_start(srv.dmn,
	    srv.refresh)) == NULL)
		goto out;
	if (daemon_run(srv.dmn) == 0)
		rc = EXIT_OK;
out:
	fetch_refresh_free(srv.refresher);
	/* Workers first: their completions need the connections. */
	workpool_free(srv.wp);
	srv.wp = NULL;
	daemon_free(srv.dmn);
	manrs_whois_db_unref(srv.w);
	manrs_buf_clear(&srv.scratch);
	fetch_set_clear(&srv.fetch);
	return rc;
}
