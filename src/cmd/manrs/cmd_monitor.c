/*
 * cmd_monitor.c - "manrs monitor": alerts for your own prefixes and ASes
 * (BGPalerter's prefixes.yml), replayed from MRT update archives as
 * fast as they decode; "manrs monitor generate" writes a prefixes.yml
 * from what the ASes announce in a RIB.
 *
 *   manrs monitor --prefixes FILE [--mrt FILE...] [--data DIR]
 *       [--vrps FILE] [--asrel FILE] [--json] [--log FILE]
 *       [--repeat DURATION] [--min-peers [TYPE=]N] [--disable TYPE]
 *   manrs monitor generate --asn ASN... [--rib FILE... | --data DIR]
 *       -o prefixes.yml
 *
 * Alerts: text lines on stderr, or with --json one JSON object per line
 * on stdout; --log FILE appends the same lines to FILE.  The engine is
 * the library's (manrs/monitor.h); this file only feeds it routes in
 * time order and writes what it says.  Exit 5 when an alert was raised.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <manrs/monitor.h>
#include <manrs/mrt.h>

#include "cli.h"
#include "daemon.h"
#include "fetch_source.h"
#include "monitor_bmp.h"
#include "monitor_hook.h"
#include "monitor_ws.h"

#define MON_FILES_MAX	4096

struct mon_out {
	bool		 json;
	bool		 live;		/* flush each alert; syslog too */
	bool		 syslog;
	bool		 direct_syslog;	/* not the daemon layer's */
	struct monitor_hook *hook;	/* --webhook */
	FILE		*log;
	struct manrs_buf buf;
	uint64_t	 alerts;
	uint64_t	 resolved;
	int		 err;
};

static void
monitor_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs monitor --prefixes FILE [--mrt FILE...] "
	    "[--data DIR]\n"
	    "           [--ris-live -|FILE|URL] [--bmp-listen ADDR:PORT "
	    "[daemon options]]\n"
	    "           [--vrps FILE] [--asrel FILE] [--json] [--log FILE]\n"
	    "           [--repeat DURATION] [--min-peers [TYPE=]N] "
	    "[--disable TYPE] [--stats]\n"
	    "       manrs monitor generate --asn ASN... [--rib FILE... | "
	    "--data DIR] -o FILE\n"
	    "  --prefixes FILE  BGPalerter prefixes.yml: what to watch\n"
	    "  --mrt FILE       replay an MRT update (or RIB) archive, "
	    "repeatable, in order\n"
	    "  --data DIR       updates/ replayed in name order, rpki/ as "
	    "--vrps, asrel/ as --asrel\n"
	    "  --vrps FILE      VRPs for the rpki-invalid / rpki-not-covered "
	    "monitors\n"
	    "  --roa-expiry H   alert on ROAs of monitored prefixes / ASes "
	    "expiring within H hours\n"
	    "  --vrps-refresh D live: reload the VRPs every D (SIGHUP "
	    "too); ROAs added,\n"
	    "                   removed or changed are roa-change alerts\n"
	    "  --asrel FILE     CAIDA AS relationships for the leak monitor\n"
	    "  --json           one JSON alert per line on stdout (else text "
	    "on "
	    "stderr)\n"
	    "  --log FILE       append the alert lines to FILE too\n"
	    "  --webhook URL    POST each alert's JSON to URL (a sender "
	    "thread; never waits)\n"
	    "  --webhook-format json|slack  slack: {\"text\": ...}\n"
	    "  --webhook-queue N alerts waiting to be sent (default 1024), "
	    "then dropped\n"
	    "  --syslog         the alerts to syslog too (replays as well)\n"
	    "  --repeat D       repeat an open alert at most every D "
	    "(default 30m)\n"
	    "  --min-peers N    peers that must see an event (TYPE=N for one "
	    "monitor)\n"
	    "  --disable TYPE   turn a monitor off (repeatable)\n"
	    "  --stats          routes, alerts, events and memory on stderr at "
	    "the end;\n                   each input (VRPs, as-rel, MRT file) "
	    "as an \"input\" line\n"
	    "  --ris-live -|F   RIS Live messages, one JSON object a line, "
	    "from "
	    "stdin or a file\n"
	    "  --ris-live URL   RIS Live's websocket (ws:// or wss://, e.g.\n"
	    "                   wss://ris-live.ripe.net/v1/ws/): subscribe "
	    "to the\n"
	    "                   monitored prefixes and ASes, reconnect with "
	    "backoff\n"
	    "  --bmp-listen A:P BMP station: routers connect and send BMP "
	    "(RFC 7854);\n"
	    "                   with it the daemon options below apply, "
	    "--syslog also\n"
	    "                   sends the alerts to syslog\n"
	    "monitors (TYPE): hijack hijack-less-specific more-specific "
	    "rpki-invalid\n"
	    "  rpki-not-covered visibility new-prefix path leak bogon-prefix "
	    "bogon-asn\n  roa-expiry roa-change neighbor\n"
	    "exit: 0 quiet, 5 alerts raised, 1 failure, 2 usage "
	    "(docs/monitor.md)\n");
	daemon_usage(fp);
}

static void
on_alert(void *arg, const struct manrs_monitor_alert *a)
{
	struct mon_out *o = arg;

	if (a->resolved)
		o->resolved++;
	else
		o->alerts++;
	manrs_buf_reset(&o->buf);
	if (o->json)
		manrs_monitor_alert_json(a, &o->buf);
	else
		manrs_monitor_alert_text(a, &o->buf);
	manrs_buf_put_u8(&o->buf, '\n');
	if (o->buf.err != 0) {
		o->err = o->buf.err;
		return;
	}
	if (fwrite(o->buf.p, 1, o->buf.len, o->json ? stdout : stderr) !=
	    o->buf.len || (o->live && fflush(o->json ? stdout : stderr) != 0))
		o->err = MANRS_E_IO;
	if (o->log != NULL) {
		if (fwrite(o->buf.p, 1, o->buf.len, o->log) != o->buf.len ||
		    fflush(o->log) != 0)
			o->err = MANRS_E_IO;
	}
	if (o->syslog || o->hook != NULL) {
		/* the text form after the JSON one, NUL-terminated */
		size_t jlen = o->buf.len;

		if (!o->json) {
			manrs_buf_reset(&o->buf);
			manrs_monitor_alert_json(a, &o->buf);
			jlen = o->buf.len;
		}
		manrs_monitor_alert_text(a, &o->buf);
		manrs_buf_put_u8(&o->buf, 0);
		if (o->buf.err != 0)
			return;
		if (o->syslog && o->direct_syslog)
			syslog(a->resolved ? LOG_NOTICE : LOG_WARNING,
			    "alert: %s", (const char *)o->buf.p + jlen);
		else if (o->syslog)
			daemon_log(a->resolved ? LOG_NOTICE : LOG_WARNING,
			    "alert: %s", (const char *)o->buf.p + jlen);
		if (o->hook != NULL)
			monitor_hook_alert(o->hook, (const char *)o->buf.p,
			    jlen, (const char *)o->buf.p + jlen,
			    o->buf.len - jlen - 1);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Regular files of DIR/sub in name order, appended to files[] (strdup'd,
 * the caller frees).  A missing folder is no input; -1 on failure.
 */
static int
dir_files(const char *dir, const char *sub, char **files, int *n)
{
	char path[4096];
	struct dirent *de;
	DIR *d;
	int first = *n;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*n >= MON_FILES_MAX) {
			closedir(d);
			cli_warnx("monitor: %s: more than %d files", path,
			    MON_FILES_MAX);
			return -1;
		}
		if (asprintf(&files[*n], "%s/%s", path, de->d_name) < 0) {
			closedir(d);
			return -1;
		}
		(*n)++;
	}
	closedir(d);
	qsort(files + first, (size_t)(*n - first), sizeof(char *), cmp_str);
	return 0;
}

/* The AS path of rt as four-octet segments, merged once per attributes. */
struct path_cache {
	uint64_t	 rec_off;
	const uint8_t	*raw;
	size_t		 len;
	int		 rc;
	uint8_t		 buf[MANRS_BGP_ASPATH4_MAX];
};

/* --stats: each input (VRPs, as-rel, MRT file) as an "input" line. */
static bool mon_inputs;

static int
replay_file(struct manrs_monitor *m, const char *path,
    struct manrs_diag_sink *diag, struct path_cache *pc, uint64_t *last_tick)
{
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_routes *it;
	struct manrs_mrt_route rt;
	struct manrs_monitor_route r;
	ptrdiff_t n;
	int err, rc, status = 0;

	if ((rd = manrs_mrt_open(path, diag, &err)) == NULL) {
		cli_warnx("monitor: %s: %s", path, err == MANRS_E_IO ?
		    strerror(errno) : manrs_strerror(err));
		return -1;
	}
	if ((it = manrs_mrt_routes_new(rd)) == NULL) {
		manrs_mrt_close(rd);
		return -1;
	}
	pc->raw = NULL;
	while ((rc = manrs_mrt_route_next(it, &rt)) > 0) {
		uint64_t t = rt.rec->ts;

		if (t >= *last_tick + 1) {
			manrs_monitor_tick(m, t);
			*last_tick = t;
		}
		if (rt.local)
			continue;
		if (rt.kind == MANRS_MRT_ROUTE_STATE) {
			/* leaving Established (6): its routes are gone */
			if (rt.old_state == 6 && rt.new_state != 6 &&
			    (err = manrs_monitor_peer_down(m, rt.peer_as,
			    rt.peer_af, rt.peer_addr, t)) < 0 &&
			    err != MANRS_E_FORMAT) {
				status = err;
				break;
			}
			continue;
		}
		if (rt.afi != MANRS_AFI_IPV4 && rt.afi != MANRS_AFI_IPV6)
			continue;
		if (rt.safi != 0 && rt.safi != MANRS_SAFI_UNICAST)
			continue;
		memset(&r, 0, sizeof(r));
		r.peer_as = rt.peer_as;
		r.peer_af = rt.peer_af;
		memcpy(r.peer_addr, rt.peer_addr, sizeof(r.peer_addr));
		r.time = t;
		manrs_bgp_nlri_prefix(&rt.nlri, &r.prefix);
		r.withdraw = rt.kind == MANRS_MRT_ROUTE_WITHDRAW ||
		    rt.attrs == NULL;
		if (!r.withdraw) {
			if (pc->raw != rt.attrs->raw ||
			    pc->rec_off != rt.rec->offset) {
				pc->raw = rt.attrs->raw;
				pc->rec_off = rt.rec->offset;
				n = manrs_bgp_aspath4(rt.attrs, pc->buf);
				pc->rc = n < 0 ? (int)n : 0;
				pc->len = n > 0 ? (size_t)n : 0;
			}
			/* RFC 7606: a broken path withdraws the route */
			if (pc->rc != 0 || rt.attr_err == MANRS_E_SHORT ||
			    rt.attr_err == MANRS_E_FORMAT)
				r.withdraw = true;
			r.aspath = pc->buf;
			r.aspath_len = pc->len;
		}
		err = manrs_monitor_route(m, &r);
		if (err < 0 && err != MANRS_E_FORMAT) {
			status = err;
			break;
		}
	}
	if (rc < 0) {
		cli_warnx("monitor: %s: %s", path, rc == MANRS_E_IO ?
		    strerror(errno) : manrs_strerror(rc));
		if (status == 0)
			status = rc;
	}
	manrs_mrt_routes_free(it);
	if (mon_inputs) {
		struct manrs_provenance p;

		manrs_provenance_init(&p, "mrt", path);
		manrs_mrt_provenance(rd, &p);
		cli_input_print(&p);
	}
	manrs_mrt_close(rd);
	return status;
}

/* The RPKI data of a live monitor: reloads and the ROA monitors. */
struct mon_rpki {
	struct manrs_monitor	*m;
	struct cli_vrps		*vr;
	struct manrs_vrp_set	*cur;
	uint64_t		 window;	/* --roa-expiry, seconds */
	time_t			 wall0;
};

/* --now pinned: it, plus the time since the start; else the clock. */
static uint64_t
rpki_now(const struct mon_rpki *r)
{
	time_t t = time(NULL);

	if (r->vr->now > 0)
		return (uint64_t)r->vr->now + (uint64_t)(t > r->wall0 ?
		    t - r->wall0 : 0);
	return (uint64_t)t;
}

static void *
rpki_load(void *arg, int *err)
{
	struct mon_rpki *r = arg;
	struct manrs_vrp_set *s;

	if ((s = cli_vrps_load(r->vr, "monitor", NULL)) == NULL)
		*err = MANRS_E_FORMAT;
	return s;
}

static void
rpki_apply(void *arg, void *data)
{
	struct mon_rpki *r = arg;
	struct manrs_vrp_set *n = data;

	if (manrs_monitor_roas(r->m, r->cur, n, rpki_now(r), r->window) != 0)
		cli_warnx("monitor: ROA monitors: %s",
		    manrs_strerror(MANRS_E_NOMEM));
	manrs_vrp_set_free(r->cur);
	r->cur = n;
}

static void
rpki_discard(void *arg, void *data)
{
	(void)arg;
	manrs_vrp_set_free(data);
}

static void
rpki_minute(void *arg)
{
	struct mon_rpki *r = arg;

	if (r->window > 0)
		(void)manrs_monitor_roas(r->m, NULL, r->cur, rpki_now(r),
		    r->window);
}

static void
ws_flush(void *arg)
{
	struct mon_out *o = arg;

	if (o->err == 0)
		fflush(o->json ? stdout : stderr);
}

/* RIS Live messages, one a line ("-" = stdin), in order. */
static int
replay_ris(struct manrs_monitor *m, const char *path, struct mon_out *o)
{
	struct manrs_input *in;
	struct manrs_view line;
	uint64_t n = 0, bad = 0;
	int rc, err;

	if ((in = manrs_input_open(path, &err)) == NULL) {
		cli_warnx("monitor: --ris-live %s: %s", path,
		    err == MANRS_E_IO ? strerror(errno) : manrs_strerror(err));
		return -1;
	}
	manrs_input_set_line_max(in, MANRS_MONITOR_RIS_MAX);
	while ((rc = manrs_input_line(in, &line)) != 0) {
		if (rc < 0 && rc != MANRS_E_LIMIT)
			break;
		n++;
		if (rc == MANRS_E_LIMIT) {
			rc = 1;
			bad++;
			continue;
		}
		if (line.len == 0)
			continue;
		err = manrs_monitor_ris_message(m, line.p, line.len);
		if (err == MANRS_E_NOMEM) {
			rc = err;
			break;
		}
		if (err != 0 && bad++ < 10)
			cli_warnx("monitor: %s: line %llu: %s",
			    manrs_input_name(in),
			    (unsigned long long)manrs_input_lineno(in),
			    manrs_strerror(err));
		if ((n & 1023) == 0)
			manrs_monitor_tick(m, 0);
		if (o->live && o->err == 0)
			fflush(o->json ? stdout : stderr);
	}
	manrs_monitor_tick(m, 0);
	manrs_input_close(in);
	if (bad > 10)
		cli_warnx("monitor: %s: %llu bad messages in all", path,
		    (unsigned long long)bad);
	if (rc < 0) {
		cli_warnx("monitor: %s: %s", path, rc == MANRS_E_IO ?
		    strerror(errno) : manrs_strerror(rc));
		return -1;
	}
	return 0;
}

static int
min_peers_option(struct manrs_monitor_opts *mo, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *num = eq != NULL ? eq + 1 : arg, *e = NULL;
	char name[64];
	unsigned v;
	int t, i;

	v = (unsigned)strtonum(num, 1, 1000000, &e);
	if (e != NULL) {
		cli_warnx("monitor: --min-peers %s: %s", arg, e);
		return -1;
	}
	if (eq == NULL) {
		for (i = 0; i < MANRS_MON_NTYPES; i++)
			mo->min_peers[i] = v;
		return 0;
	}
	if ((size_t)(eq - arg) >= sizeof(name)) {
		cli_warnx("monitor: --min-peers %s: unknown monitor", arg);
		return -1;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if ((t = manrs_monitor_type_parse(name)) < 0) {
		cli_warnx("monitor: --min-peers: unknown monitor \"%s\"",
		    name);
		return -1;
	}
	mo->min_peers[t] = v;
	return 0;
}

static int cmd_monitor_generate(int argc, char **argv);

int
cmd_monitor(int argc, char **argv)
{
	enum { O_PREFIXES = 256, O_MRT, O_DATA, O_ASREL, O_JSON, O_LOG,
	    O_REPEAT, O_MINPEERS, O_DISABLE, O_STATS, O_HELP, O_VRPS,
	    O_SLURM, O_NOW, O_STALE, O_BMP, O_RIS, O_ROA_EXPIRY,
	    O_VRPS_REFRESH, O_WEBHOOK, O_WEBHOOK_FORMAT, O_WEBHOOK_QUEUE };
	static const struct option lo[] = {
		{ "prefixes", required_argument, NULL, O_PREFIXES },
		{ "mrt", required_argument, NULL, O_MRT },
		{ "data", required_argument, NULL, O_DATA },
		{ "vrps", required_argument, NULL, O_VRPS },
		{ "slurm", required_argument, NULL, O_SLURM },
		{ "now", required_argument, NULL, O_NOW },
		{ "allow-stale", no_argument, NULL, O_STALE },
		{ "asrel", required_argument, NULL, O_ASREL },
		{ "json", no_argument, NULL, O_JSON },
		{ "log", required_argument, NULL, O_LOG },
		{ "repeat", required_argument, NULL, O_REPEAT },
		{ "min-peers", required_argument, NULL, O_MINPEERS },
		{ "disable", required_argument, NULL, O_DISABLE },
		{ "stats", no_argument, NULL, O_STATS },
		{ "help", no_argument, NULL, O_HELP },
		{ "bmp-listen", required_argument, NULL, O_BMP },
		{ "ris-live", required_argument, NULL, O_RIS },
		{ "roa-expiry", required_argument, NULL, O_ROA_EXPIRY },
		{ "vrps-refresh", required_argument, NULL, O_VRPS_REFRESH },
		{ "webhook", required_argument, NULL, O_WEBHOOK },
		{ "webhook-format", required_argument, NULL, O_WEBHOOK_FORMAT },
		{ "webhook-queue", required_argument, NULL, O_WEBHOOK_QUEUE },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts dop;
	struct manrs_monitor_opts mo;
	struct manrs_monitor_config *cfg = NULL;
	struct manrs_monitor_config_stats cst;
	struct manrs_monitor_stats st;
	struct manrs_monitor *m = NULL;
	struct manrs_vrp_set *vrps = NULL;
	struct manrs_asgraph *asrel = NULL;
	struct manrs_provenance_list prov = { 0 };
	struct manrs_provenance ap;
	struct manrs_diag_sink sink;
	struct path_cache *pc = NULL;
	struct cli_vrps vr;
	struct mon_out out;
	struct timespec t0, t1;
	struct rusage ru, ru0;
	const char *prefixes = NULL, *asrel_path = NULL, *data = NULL;
	const char *logpath = NULL, *ris = NULL, *ris_url = NULL;
	const char *errstr = NULL;
	struct mon_rpki rp;
	struct monitor_rpki_ops rops;
	long long hours;
	const char *webhook = NULL;
	bool slack = false;
	size_t hqueue = MONITOR_HOOK_QUEUE;
	struct monitor_hook_stats hs;
	char *files[MON_FILES_MAX], *extra[MON_FILES_MAX];
	int nfiles = 0, nextra = 0, nupd = 0, ch, li, i, t, rc;
	int status = EXIT_FAIL;
	bool stats = false;
	uint64_t last_tick = 0;
	unsigned secs;

	if (argc >= 2 && strcmp(argv[1], "generate") == 0)
		return cmd_monitor_generate(argc - 1, argv + 1);
	memset(&vr, 0, sizeof(vr));
	memset(&out, 0, sizeof(out));
	memset(&rp, 0, sizeof(rp));
	memset(&rops, 0, sizeof(rops));
	manrs_buf_init(&out.buf, 64 * 1024);
	manrs_monitor_opts_init(&mo);
	daemon_opts_init(&dop, "monitor", 0);
	cli_diag_sink(&sink);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", lo, &li)) != -1) {
		if (ch >= DAEMON_OPT_BASE && ch < DAEMON_OPT_END) {
			if (daemon_opt(&dop, ch, optarg) != 0)
				goto usage_quiet;
			continue;
		}
		switch (ch) {
		case O_RIS:
			if (strstr(optarg, "://") != NULL &&
			    strncmp(optarg, "ws://", 5) != 0 &&
			    strncmp(optarg, "wss://", 6) != 0) {
				cli_warnx("monitor: --ris-live %s: a ws:// or "
				    "wss:// URL, a file or -", optarg);
				goto usage_quiet;
			}
			ris = optarg;
			break;
		case O_BMP:
			if (daemon_opt(&dop, DAEMON_OPT_LISTEN, optarg) != 0)
				goto usage_quiet;
			break;
		case O_PREFIXES:
			prefixes = optarg;
			break;
		case O_MRT:
			if (nfiles >= MON_FILES_MAX)
				goto usage;
			files[nfiles++] = optarg;
			break;
		case O_DATA:
			data = optarg;
			break;
		case O_VRPS:
		case O_SLURM:
		case O_NOW:
		case O_STALE:
			if (cli_vrps_option(&vr, lo[li].name, optarg) != 1)
				goto usage_quiet;
			break;
		case O_ASREL:
			asrel_path = optarg;
			break;
		case O_JSON:
			out.json = true;
			break;
		case O_LOG:
			logpath = optarg;
			break;
		case O_WEBHOOK:
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0) {
				cli_warnx("monitor: --webhook %s: an http:// "
				    "or https:// URL", optarg);
				goto usage_quiet;
			}
			webhook = optarg;
			break;
		case O_WEBHOOK_FORMAT:
			if (strcmp(optarg, "slack") == 0)
				slack = true;
			else if (strcmp(optarg, "json") == 0)
				slack = false;
			else {
				cli_warnx("monitor: --webhook-format %s: json "
				    "or slack", optarg);
				goto usage_quiet;
			}
			break;
		case O_WEBHOOK_QUEUE:
			hqueue = (size_t)strtonum(optarg, 1, 1000000, &errstr);
			if (errstr != NULL) {
				cli_warnx("monitor: --webhook-queue %s: %s",
				    optarg, errstr);
				goto usage_quiet;
			}
			break;
		case O_ROA_EXPIRY:
			hours = strtonum(optarg, 1, 24 * 366, &errstr);
			if (errstr != NULL) {
				cli_warnx("monitor: --roa-expiry %s: hours, "
				    "1 to 8784: %s", optarg, errstr);
				goto usage_quiet;
			}
			rp.window = (uint64_t)hours * 3600;
			break;
		case O_VRPS_REFRESH:
			if (fetch_parse_duration(optarg, &secs) != 0 ||
			    secs == 0) {
				cli_warnx("monitor: --vrps-refresh %s: not a "
				    "duration", optarg);
				goto usage_quiet;
			}
			rops.refresh = secs;
			break;
		case O_REPEAT:
			if (fetch_parse_duration(optarg, &secs) != 0) {
				cli_warnx("monitor: --repeat %s: expected N, "
				    "Ns, Nm, Nh or Nd", optarg);
				goto usage_quiet;
			}
			mo.repeat = secs;
			break;
		case O_MINPEERS:
			if (min_peers_option(&mo, optarg) != 0)
				goto usage_quiet;
			break;
		case O_DISABLE:
			if ((t = manrs_monitor_type_parse(optarg)) < 0) {
				cli_warnx("monitor: --disable: unknown monitor "
				    "\"%s\"", optarg);
				goto usage_quiet;
			}
			mo.enabled[t] = false;
			break;
		case O_STATS:
			stats = mon_inputs = true;
			break;
		case 'h':
		case O_HELP:
			monitor_usage(stdout);
			manrs_buf_clear(&out.buf);
			return EXIT_OK;
		default:
			goto usage;
		}
	}
	if (prefixes == NULL || optind != argc) {
		if (prefixes == NULL)
			cli_warnx("monitor: --prefixes FILE is required");
		goto usage;
	}
	if (data != NULL) {
		DIR *d = opendir(data);

		if (d == NULL) {
			cli_warnx("monitor: --data %s: %s", data,
			    strerror(errno));
			goto out;
		}
		closedir(d);
		if (dir_files(data, "updates", extra, &nextra) != 0)
			goto out;
		nupd = nextra;
		if (vr.load.nfiles == 0) {
			int first = nextra;

			if (dir_files(data, "rpki", extra, &nextra) != 0)
				goto out;
			for (i = first; i < nextra; i++)
				if (cli_vrps_option(&vr, "vrps", extra[i]) !=
				    1)
					goto out;
		}
		if (asrel_path == NULL) {
			int first = nextra;

			if (dir_files(data, "asrel", extra, &nextra) != 0)
				goto out;
			if (nextra > first)
				asrel_path = extra[nextra - 1];
		}
	}
	if ((cfg = manrs_monitor_config_read(prefixes, &sink, &rc)) == NULL) {
		cli_warnx("monitor: %s: %s", prefixes, manrs_strerror(rc));
		goto out;
	}
	manrs_monitor_config_stats(cfg, &cst);
	if (vr.load.nfiles > 0) {
		if ((vrps = cli_vrps_load(&vr, "monitor", &prov)) == NULL)
			goto out;
		mo.vrps = vrps;
		if (stats)
			cli_inputs_print(&prov);
	}
	if ((rp.window > 0 || rops.refresh > 0) && vrps == NULL) {
		cli_warnx("monitor: --roa-expiry and --vrps-refresh need "
		    "--vrps (or --data)");
		goto usage_quiet;
	}
	if (asrel_path != NULL) {
		if ((asrel = manrs_asgraph_new(NULL)) == NULL ||
		    manrs_asgraph_load(asrel, asrel_path, &sink) != 0 ||
		    manrs_asgraph_finish(asrel) != 0) {
			cli_warnx("monitor: %s: cannot load", asrel_path);
			goto out;
		}
		mo.asrel = asrel;
		if (stats) {
			manrs_provenance_init(&ap, "asrel", asrel_path);
			manrs_asgraph_provenance(asrel, &ap);
			cli_input_print(&ap);
		}
	}
	if (logpath != NULL && (out.log = fopen(logpath, "a")) == NULL) {
		cli_warnx("monitor: --log %s: %s", logpath, strerror(errno));
		goto out;
	}
	if ((m = manrs_monitor_new(cfg, &mo, on_alert, &out, &rc)) == NULL ||
	    (pc = calloc(1, sizeof(*pc))) == NULL) {
		cli_warnx("monitor: %s", manrs_strerror(MANRS_E_NOMEM));
		goto out;
	}
	rp.m = m;
	rp.vr = &vr;
	rp.cur = vrps;
	rp.wall0 = time(NULL);
	rops.load = rpki_load;
	rops.apply = rpki_apply;
	rops.discard = rpki_discard;
	rops.minute = rpki_minute;
	rops.arg = &rp;
	if (vrps != NULL && rp.window > 0 &&
	    manrs_monitor_roas(m, NULL, vrps, rpki_now(&rp), rp.window) != 0) {
		cli_warnx("monitor: %s", manrs_strerror(MANRS_E_NOMEM));
		goto out;
	}
	if (nfiles == 0 && data == NULL && dop.nlisten == 0 && ris == NULL) {
		cli_warnx("monitor: no input: give --mrt FILE, --data DIR, "
		    "--ris-live - or --bmp-listen ADDR:PORT");
		goto usage_quiet;
	}
	if (webhook != NULL) {
		if ((out.hook = monitor_hook_new(webhook, slack, hqueue)) ==
		    NULL)
			goto out;
		dop.fetch = true;	/* the sandbox lets the POSTs out */
	}
	if (dop.syslog && dop.nlisten == 0) {
		openlog("manrs-monitor", LOG_PID, LOG_DAEMON);
		out.syslog = true;
		out.direct_syslog = true;
	}
	getrusage(RUSAGE_SELF, &ru0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = EXIT_OK;
	for (i = 0; i < nfiles + nupd && status == EXIT_OK; i++) {
		const char *f = i < nfiles ? files[i] : extra[i - nfiles];

		if (replay_file(m, f, &sink, pc, &last_tick) != 0)
			status = EXIT_FAIL;
	}
	if (ris != NULL && strcmp(ris, "-") == 0)
		out.live = true;	/* a pipe from a websocket client */
	if (ris != NULL && strstr(ris, "://") != NULL) {
		ris_url = ris;
		ris = NULL;
	}
	if (ris_url != NULL && dop.nlisten > 0) {
		cli_warnx("monitor: --ris-live URL and --bmp-listen in one "
		    "process are not supported yet; run two monitors");
		status = EXIT_USAGE;
	}
	if (status == EXIT_OK && ris != NULL && replay_ris(m, ris, &out) != 0)
		status = EXIT_FAIL;
	if (status == EXIT_OK && ris_url != NULL) {
		/* live: after any replay, until SIGTERM / SIGINT */
		fflush(stdout);
		out.live = true;
		if (monitor_ws_run(m, cfg, ris_url, ws_flush, &out,
		    vrps != NULL ? &rops : NULL) != 0)
			status = EXIT_FAIL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (status == EXIT_OK && dop.nlisten > 0) {
		/* live: after any replay, serve until SIGTERM / SIGINT */
		fflush(stdout);
		out.live = true;
		out.syslog = dop.syslog;
		if (monitor_bmp_run(m, &dop, true,
		    vrps != NULL ? &rops : NULL) != 0)
			status = EXIT_FAIL;
	}
	if (out.hook != NULL) {
		/* send what is queued: 30 s at most */
		monitor_hook_free(out.hook, 30, &hs);
		out.hook = NULL;
		if (stats || hs.dropped > 0 || hs.failed > 0)
			fprintf(stderr, "monitor: webhook: %llu sent, %llu "
			    "failed, %llu dropped (queue full)\n",
			    (unsigned long long)hs.sent,
			    (unsigned long long)hs.failed,
			    (unsigned long long)hs.dropped);
	}
	if (out.err != 0) {
		cli_warnx("monitor: output: %s", manrs_strerror(out.err));
		status = EXIT_FAIL;
	}
	manrs_monitor_stats(m, &st);
	if (stats) {
		double s = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, cpu;

		getrusage(RUSAGE_SELF, &ru);
		cpu = (double)(ru.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
		    (double)(ru.ru_utime.tv_usec - ru0.ru_utime.tv_usec) /
		    1e6 + (double)(ru.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
		    (double)(ru.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
		fprintf(stderr, "monitor: %zu prefixes (%zu ignored), %zu "
		    "path rules, %zu monitored ASes\n", cst.prefixes,
		    cst.ignored, cst.path_rules, cst.monitor_asns);
		fprintf(stderr, "monitor: %llu routes in %.3f s wall, %.3f s "
		    "CPU (%.0f routes per CPU second), %llu looked at; %llu "
		    "alerts, %llu resolved, %llu held back; %zu events (%zu "
		    "open), %zu peers; engine %zu bytes, max RSS %ld KiB\n",
		    (unsigned long long)st.routes, s, cpu,
		    cpu > 0 ? (double)st.routes / cpu : 0.0,
		    (unsigned long long)st.matched,
		    (unsigned long long)st.alerts,
		    (unsigned long long)st.resolved,
		    (unsigned long long)st.suppressed, st.events, st.open,
		    st.peers, st.memory, ru.ru_maxrss);
	}
	if (status == EXIT_OK && st.alerts > 0 && dop.nlisten == 0 &&
	    ris_url == NULL)
		status = EXIT_FINDINGS;
	goto out;
usage:
	monitor_usage(stderr);
usage_quiet:
	status = EXIT_USAGE;
out:
	fflush(stdout);
	if (out.log != NULL)
		fclose(out.log);
	monitor_hook_free(out.hook, 0, NULL);
	manrs_monitor_free(m);
	manrs_monitor_config_free(cfg);
	manrs_vrp_set_free(rp.cur != NULL ? rp.cur : vrps);
	manrs_asgraph_free(asrel);
	manrs_provenance_list_clear(&prov);
	manrs_buf_clear(&out.buf);
	free(pc);
	for (i = 0; i < nextra; i++)
		free(extra[i]);
	return status;
}

/* generate: prefixes.yml from what the ASes announce in a RIB view. */
struct gen_ctx {
	struct manrs_prefix *p;
	uint32_t	*asn;
	size_t		 n, cap;
	int		 err;
};

static int
gen_route(void *arg, const struct manrs_rib_route *r)
{
	struct gen_ctx *g = arg;

	if (manrs_grow((void **)&g->p, &g->cap, g->n, sizeof(*g->p)) != 0) {
		g->err = MANRS_E_NOMEM;
		return 1;
	}
	g->asn = reallocarray(g->asn, g->cap, sizeof(*g->asn));
	if (g->asn == NULL) {
		g->err = MANRS_E_NOMEM;
		return 1;
	}
	g->p[g->n] = r->prefix;
	g->asn[g->n] = r->origin_as;
	g->n++;
	return 0;
}

struct gen_item {
	struct manrs_prefix p;
	uint32_t	 asn;
};

static int
cmp_item(const void *a, const void *b)
{
	const struct gen_item *x = a, *y = b;
	int c = manrs_prefix_cmp(&x->p, &y->p);

	if (c != 0)
		return c;
	return x->asn < y->asn ? -1 : x->asn > y->asn;
}

static int
cmd_monitor_generate(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "asn", required_argument, NULL, 'a' },
		{ "rib", required_argument, NULL, 'r' },
		{ "data", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct manrs_mrt_rib_view *v = NULL;
	struct manrs_diag_sink sink;
	struct gen_ctx g;
	struct gen_item *items = NULL;
	uint32_t asns[256];
	char *files[MON_FILES_MAX], pfx[MANRS_PREFIX_STRLEN];
	const char *outpath = NULL, *data = NULL;
	int nasns = 0, nfiles = 0, nown = 0, ch, i, err, status = EXIT_FAIL;
	size_t k, j, nitems = 0, ndistinct = 0;
	FILE *fp = NULL;

	memset(&g, 0, sizeof(g));
	cli_diag_sink(&sink);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+a:o:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'a': {
			char *s = optarg, *tok;

			/* "-a 2914,3333" as BGPalerter takes it, or repeated */
			while ((tok = strsep(&s, ",")) != NULL) {
				if (*tok == '\0')
					continue;
				if (nasns == 256 || manrs_asn_parse(
				    manrs_view_cstr(tok), &asns[nasns]) != 0) {
					cli_warnx("monitor generate: bad --asn "
					    "\"%s\"", tok);
					goto usage_quiet;
				}
				nasns++;
			}
			break;
		}
		case 'r':
			if (nfiles >= MON_FILES_MAX)
				goto usage;
			files[nfiles++] = optarg;
			break;
		case 'd':
			data = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			monitor_usage(stdout);
			return EXIT_OK;
		default:
			goto usage;
		}
	}
	/* further ASNs as operands */
	for (; optind < argc; optind++) {
		if (nasns == 256 || manrs_asn_parse(manrs_view_cstr(
		    argv[optind]), &asns[nasns]) != 0) {
			cli_warnx("monitor generate: bad AS \"%s\"",
			    argv[optind]);
			goto usage_quiet;
		}
		nasns++;
	}
	if (nasns == 0 || outpath == NULL || (nfiles == 0) == (data == NULL)) {
		cli_warnx("monitor generate: needs --asn, -o and one of --rib "
		    "or --data");
		goto usage;
	}
	if (data != NULL) {
		nown = nfiles;
		if (dir_files(data, "rib", files, &nfiles) != 0 ||
		    dir_files(data, "updates", files, &nfiles) != 0)
			goto out;
		if (nfiles == nown) {
			cli_warnx("monitor generate: %s: no rib/ or updates/ "
			    "files", data);
			goto out;
		}
	}
	if ((v = manrs_mrt_rib_view_new(&err)) == NULL)
		goto out;
	for (i = 0; i < nfiles; i++)
		if ((err = manrs_mrt_rib_view_load(v, files[i], &sink)) != 0) {
			cli_warnx("monitor generate: %s: %s", files[i],
			    manrs_strerror(err));
			goto out;
		}
	for (i = 0; i < nasns; i++)
		manrs_mrt_rib_view_origin(v, asns[i], gen_route, &g);
	if (g.err != 0)
		goto out;
	if (g.n > 0 && (items = calloc(g.n, sizeof(*items))) == NULL)
		goto out;
	for (k = 0; k < g.n; k++) {
		items[k].p = g.p[k];
		items[k].asn = g.asn[k];
	}
	qsort(items, g.n, sizeof(*items), cmp_item);
	for (k = 0; k < g.n; k++)
		if (nitems == 0 || manrs_prefix_cmp(&items[nitems - 1].p,
		    &items[k].p) != 0 || items[nitems - 1].asn !=
		    items[k].asn)
			items[nitems++] = items[k];
	if (strcmp(outpath, "-") == 0)
		fp = stdout;
	else if ((fp = fopen(outpath, "w")) == NULL) {
		cli_warnx("monitor generate: %s: %s", outpath,
		    strerror(errno));
		goto out;
	}
	fprintf(fp, "# generated by manrs monitor generate from what the AS "
	    "announced in the RIB;\n# check it before you rely on it "
	    "(docs/monitor.md)\n");
	for (k = 0; k < nitems; k = j) {
		ndistinct++;
		manrs_prefix_print(&items[k].p, pfx, sizeof(pfx));
		fprintf(fp, "%s:\n  description: No description provided\n"
		    "  asn:\n", pfx);
		for (j = k; j < nitems &&
		    manrs_prefix_cmp(&items[j].p, &items[k].p) == 0; j++)
			fprintf(fp, "    - %u\n", items[j].asn);
		fprintf(fp, "  ignoreMorespecifics: false\n  ignore: false\n"
		    "  group: default\n");
	}
	fprintf(fp, "options:\n  monitorASns:\n");
	for (i = 0; i < nasns; i++)
		fprintf(fp, "    %u:\n      group: default\n", asns[i]);
	if (fflush(fp) != 0 || ferror(fp)) {
		cli_warnx("monitor generate: %s: write failed", outpath);
		goto out;
	}
	fprintf(stderr, "monitor generate: %zu prefixes of %d AS%s written "
	    "to %s\n", ndistinct, nasns,
	    nasns > 1 ? "es" : "", outpath);
	status = EXIT_OK;
	goto out;
usage:
	monitor_usage(stderr);
usage_quiet:
	status = EXIT_USAGE;
out:
	if (fp != NULL && fp != stdout)
		fclose(fp);
	manrs_mrt_rib_view_free(v);
	free(items);
	free(g.p);
	free(g.asn);
	for (i = nown; i < nfiles && data != NULL; i++)
		free(files[i]);
	return status;
}
