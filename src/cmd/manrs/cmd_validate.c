/*
 * cmd_validate.c - "manrs validate": route origin validation (RFC 6811,
 * reasons as RFC 6907 names them) and ASPA path verification
 * (draft-ietf-sidrops-aspa-verification) against VRP/ASPA files.
 *
 *   manrs validate --vrps FILE [--slurm FILE] [--json] [--downstream]
 *                  [PREFIX AS_PATH...]
 * Without route arguments, lines "PREFIX ORIGIN" or "PREFIX AS AS ... AS"
 * (neighbor first, origin last; "{a,b}" is an AS_SET) are read from
 * stdin; --mrt FILE validates every RIB entry and announcement of MRT
 * archives (RFC 6396) instead, with their effective four-octet AS_PATH
 * (RFC 6793; confederation segments are left out).  A path of two or more ASes is also ASPA-verified (upstream by
 * default).  Bad lines are reported with their number; the exit status
 * is then 1.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <manrs/bgp.h>
#include <manrs/db.h>
#include <manrs/mrt.h>

#include "cli.h"
#include "rtrd_load.h"

#define VALIDATE_PATH_MAX	1024	/* ASes per input path */
#define VALIDATE_MRT_MAX	64	/* --mrt files */
#define VALIDATE_SKEW_MAX	(2 * 86400)	/* routes vs VRP time, s */

struct vopts {
	bool			json, downstream, quiet, stats;
	int64_t			judged_at;	/* VRP expiry judged at */
	const struct manrs_vrp_set *s;
	uint64_t		n[3];
	uint64_t		aspa[3];
};

static void
print_vrp_text(const struct manrs_vrp *v)
{
	char p[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(&v->prefix, p, sizeof(p));
	printf(" (%s-%u AS%u)", p, v->maxlen, v->asn);
}

static void
print_result(struct vopts *o, const struct manrs_prefix *pfx,
    const uint32_t *path, size_t n, bool has_set,
    const struct manrs_rov_result *r, int aspa)
{
	char p[MANRS_PREFIX_STRLEN], vp[MANRS_PREFIX_STRLEN];
	const char *dir = o->downstream ? "downstream" : "upstream";
	size_t i;

	manrs_prefix_print(pfx, p, sizeof(p));
	if (!o->json) {
		printf("%s", p);
		for (i = 0; i < n; i++)
			printf(" %u", path[i]);
		if (has_set)
			printf(" {set}");
		printf(" %s", manrs_rov_state_name(r->state));
		if (r->state == MANRS_ROV_INVALID)
			printf(" %s", manrs_rov_reason_name(r->reason));
		if (r->state != MANRS_ROV_NOTFOUND)
			print_vrp_text(&r->vrp);
		if (aspa >= 0)
			printf(" aspa-%s %s", dir,
			    manrs_aspa_state_name((enum manrs_aspa_state)aspa));
		putchar('\n');
		return;
	}
	printf("{\"prefix\":\"%s\",\"path\":[", p);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", path[i]);
	printf("],\"as_set\":%s,\"rov\":\"%s\"", has_set ? "true" : "false",
	    manrs_rov_state_name(r->state));
	if (r->state == MANRS_ROV_INVALID)
		printf(",\"reason\":\"%s\"", manrs_rov_reason_name(r->reason));
	printf(",\"covering\":%u", r->covering);
	if (r->state != MANRS_ROV_NOTFOUND) {
		manrs_prefix_print(&r->vrp.prefix, vp, sizeof(vp));
		printf(",\"vrp\":{\"prefix\":\"%s\",\"maxLength\":%u,"
		    "\"asn\":%u}", vp, r->vrp.maxlen, r->vrp.asn);
	}
	if (aspa >= 0)
		printf(",\"aspa\":\"%s\",\"aspa_direction\":\"%s\"",
		    manrs_aspa_state_name((enum manrs_aspa_state)aspa), dir);
	printf("}\n");
}

/* One route: tokens PREFIX AS...; 0 or -1 with *why. */
static int
validate_tokens(struct vopts *o, struct manrs_view line, const char **why)
{
	struct manrs_view tok;
	struct manrs_prefix pfx;
	struct manrs_rov_result r;
	uint32_t path[VALIDATE_PATH_MAX];
	size_t n = 0;
	bool has_set = false, last_set = false, in_set = false;
	int aspa = -1;

	if (!manrs_view_token(&line, &tok) ||
	    manrs_prefix_parse(tok, 0, &pfx) != 0) {
		*why = "expected PREFIX first";
		return -1;
	}
	while (manrs_view_token(&line, &tok)) {
		/* an AS_SET: "{a,b}" or "{a, b}" spread over tokens */
		if (in_set || (tok.len > 0 && tok.p[0] == '{')) {
			in_set = manrs_view_find(tok, '}') < 0;
			has_set = last_set = true;
			continue;
		}
		last_set = false;
		if (n == VALIDATE_PATH_MAX) {
			*why = "AS path longer than 1024";
			return -1;
		}
		if (manrs_asn_parse(tok, &path[n]) != 0) {
			*why = "bad AS number";
			return -1;
		}
		n++;
	}
	if (n == 0 && !has_set) {
		*why = "expected an origin AS after the prefix";
		return -1;
	}
	manrs_rov_validate(o->s, &pfx, n ? path[n - 1] : 0, last_set || n == 0,
	    &r);
	if (n + (has_set ? 1 : 0) >= 2)
		aspa = (int)manrs_aspa_verify(o->s, path, n, has_set,
		    o->downstream ? MANRS_ASPA_DOWNSTREAM :
		    MANRS_ASPA_UPSTREAM);
	o->n[r.state]++;
	if (aspa >= 0)
		o->aspa[aspa]++;
	print_result(o, &pfx, path, n, has_set, &r, aspa);
	return 0;
}


/* Four-octet wire segments -> flat AS list; *has_set, *last_set. */
static size_t
flatten(const uint8_t *p, size_t len, uint32_t *path, size_t max,
    bool *has_set, bool *last_set)
{
	size_t off = 0, n = 0, i;

	*has_set = *last_set = false;
	while (off + 2 <= len) {
		uint8_t type = p[off], cnt = p[off + 1];

		off += 2;
		if (off + 4u * cnt > len)
			break;
		*last_set = false;
		if (type == 1) {		/* AS_SET */
			*has_set = *last_set = true;
		} else if (type == 2) {		/* AS_SEQUENCE */
			for (i = 0; i < cnt && n < max; i++)
				path[n++] = (uint32_t)p[off + 4 * i] << 24 |
				    (uint32_t)p[off + 4 * i + 1] << 16 |
				    (uint32_t)p[off + 4 * i + 2] << 8 |
				    p[off + 4 * i + 3];
		}
		off += 4u * cnt;
	}
	return n;
}

/*
 * What an MRT file held: with --stats its provenance line (records, first
 * and last record time); always a warning when its routes lie more than
 * VALIDATE_SKEW_MAX from the time the VRPs are judged at (routes of 2016
 * against VRPs of 2023 are not verdicts on 2016).
 */
static void
mrt_input(const struct vopts *o, const struct manrs_mrt_reader *rd,
    const char *file)
{
	struct manrs_provenance p;
	struct manrs_buf b;
	char t1[32], t2[32], tj[32];
	int64_t gap = 0;

	manrs_provenance_init(&p, "mrt", file);
	manrs_mrt_provenance(rd, &p);
	if (o->stats) {
		manrs_buf_init(&b, 0);
		manrs_buf_puts(&b, "input ");
		manrs_provenance_print(&p, &b);
		if (b.err == 0)
			fwrite(b.p, 1, b.len, stderr);
		manrs_buf_clear(&b);
	}
	if (p.first > 0 && o->judged_at < p.first)
		gap = p.first - o->judged_at;
	else if (p.last > 0 && o->judged_at > p.last)
		gap = o->judged_at - p.last;
	if (gap > VALIDATE_SKEW_MAX)
		cli_warnx("validate: %s: routes of %s to %s judged against "
		    "VRPs at %s, %lld days apart (--now TIME judges at "
		    "another time)", file, manrs_time_iso(p.first, t1,
		    sizeof(t1)), manrs_time_iso(p.last, t2, sizeof(t2)),
		    manrs_time_iso(o->judged_at, tj, sizeof(tj)),
		    (long long)(gap / 86400));
}

static int
validate_mrt(struct vopts *o, const char *file)
{
	static uint8_t wire[MANRS_BGP_ASPATH4_MAX];
	struct manrs_diag_sink sink;
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_routes *it;
	struct manrs_mrt_route rt;
	struct manrs_rov_result r;
	struct manrs_prefix pfx;
	uint32_t path[VALIDATE_PATH_MAX];
	bool has_set, last_set;
	ptrdiff_t wl;
	size_t n;
	int rc, err, aspa;

	cli_diag_sink(&sink);
	if ((rd = manrs_mrt_open(file, &sink, &err)) == NULL)
		return EXIT_FAIL;
	if ((it = manrs_mrt_routes_new(rd)) == NULL) {
		manrs_mrt_close(rd);
		return EXIT_FAIL;
	}
	while ((rc = manrs_mrt_route_next(it, &rt)) == 1) {
		if ((rt.kind != MANRS_MRT_ROUTE_RIB &&
		    rt.kind != MANRS_MRT_ROUTE_ANNOUNCE) || rt.attrs == NULL ||
		    rt.attr_err != 0)
			continue;
		if ((wl = manrs_bgp_aspath4(rt.attrs, wire)) < 0)
			continue;
		n = flatten(wire, (size_t)wl, path, VALIDATE_PATH_MAX,
		    &has_set, &last_set);
		manrs_bgp_nlri_prefix(&rt.nlri, &pfx);
		manrs_rov_validate(o->s, &pfx, n ? path[n - 1] : 0,
		    last_set || n == 0, &r);
		aspa = -1;
		if (n + (has_set ? 1 : 0) >= 2)
			aspa = (int)manrs_aspa_verify(o->s, path, n, has_set,
			    o->downstream ? MANRS_ASPA_DOWNSTREAM :
			    MANRS_ASPA_UPSTREAM);
		o->n[r.state]++;
		if (aspa >= 0)
			o->aspa[aspa]++;
		if (!o->quiet)
			print_result(o, &pfx, path, n, has_set, &r, aspa);
	}
	manrs_mrt_routes_free(it);
	mrt_input(o, rd, file);
	manrs_mrt_close(rd);
	if (rc < 0) {
		cli_warnx("%s: %s", file, manrs_strerror(rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int
validate_stdin(struct vopts *o)
{
	struct manrs_input *in;
	struct manrs_view line;
	const char *why;
	int rc, err, status = EXIT_OK;

	if ((in = manrs_input_open("-", &err)) == NULL)
		return EXIT_FAIL;
	while ((rc = manrs_input_line(in, &line)) != 0) {
		ptrdiff_t h;

		if (rc < 0) {
			cli_warnx("stdin: line %llu: %s", (unsigned long long)
			    manrs_input_lineno(in), manrs_strerror(rc));
			status = EXIT_FAIL;
			if (rc != MANRS_E_LIMIT)
				break;
			continue;
		}
		if ((h = manrs_view_find(line, '#')) >= 0)
			line.len = (size_t)h;
		if (manrs_view_trim(line).len == 0)
			continue;
		if (validate_tokens(o, line, &why) != 0) {
			cli_warnx("stdin: line %llu: %s", (unsigned long long)
			    manrs_input_lineno(in), why);
			status = EXIT_FAIL;
		}
	}
	manrs_input_close(in);
	return status;
}

/* --stats: each input, one line on stderr. */
static void
print_inputs(const struct manrs_provenance_list *prov)
{
	struct manrs_buf b;
	size_t i;

	manrs_buf_init(&b, 0);
	for (i = 0; i < prov->n; i++) {
		manrs_buf_puts(&b, "input ");
		manrs_provenance_print(&prov->v[i], &b);
	}
	if (b.err == 0 && b.len > 0)
		fwrite(b.p, 1, b.len, stderr);
	manrs_buf_clear(&b);
}

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: manrs validate --vrps FILE [--vrps FILE ...] [--slurm FILE] |\n"
"                      --db FILE\n"
"                      [--json] [--downstream] [--now TIME] [--allow-stale]\n"
"                      [--stats] [--mrt FILE ... [--quiet]]\n"
"                      [PREFIX ORIGIN | PREFIX AS_PATH...]\n"
"  Route origin validation (RFC 6811; reasons AS, ML, ML-AS, AS-SET as\n"
"  in RFC 6907) and, for paths, ASPA verification (upstream unless\n"
"  --downstream).  Without a route, lines are read from stdin.\n"
"  --mrt FILE validates the routes of MRT archives (--quiet: counts only).\n"
"  --now TIME judges expiry at TIME (ISO 8601 UTC or Unix seconds; alias\n"
"  --vrps-now, --rpki-now); VRP files with every entry expired are\n"
"  refused unless --allow-stale.  --db FILE uses the VRPs of a snapshot\n"
"  (manrs db build --vrps) in place of --vrps/--slurm.  --stats also\n"
"  names each input.\n"
"  Exit: 0 all routes valid or not-found, 5 some invalid (ROV or ASPA),\n"
"  1 bad input or refused data, 2 usage.\n");
}

/*
 * --db: the snapshot's VRP set, used in place; what expired since the
 * snapshot was built (at now) is withdrawn in a heap copy.  The inputs'
 * provenance goes to prov.  NULL after a message.
 */
static struct manrs_vrp_set *
db_vrps(const char *path, int64_t now, struct manrs_db **snap,
    struct manrs_provenance_list *prov)
{
	const struct manrs_vrp_set *vs;
	struct manrs_vrp_set *s;
	struct manrs_db_input in;
	char why[512];
	size_t i;
	int err;

	if ((*snap = manrs_db_open(path, why, sizeof(why), &err)) == NULL) {
		cli_warnx("validate: --db %s: %s", path, why);
		return NULL;
	}
	if ((vs = manrs_db_vrps(*snap)) == NULL) {
		cli_warnx("validate: --db %s: no VRPs in it (manrs db build "
		    "--vrps)", path);
		return NULL;
	}
	for (i = 0; manrs_db_input(*snap, i, &in) == 0; i++)
		if (strcmp(in.prov.kind, "vrps") == 0)
			(void)manrs_provenance_list_add(prov, &in.prov, NULL);
	if (manrs_vrp_set_stats(vs)->next_expiry == 0 ||
	    manrs_vrp_set_stats(vs)->next_expiry > now)
		return (struct manrs_vrp_set *)(uintptr_t)vs;
	if ((s = manrs_vrp_set_expire(vs, (time_t)now, &err)) == NULL)
		cli_warnx("validate: --db %s: %s", path, manrs_strerror(err));
	return s;
}

int
cmd_validate(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "vrps", required_argument, NULL, 'v' },
		{ "slurm", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ "downstream", no_argument, NULL, 'd' },
		{ "upstream", no_argument, NULL, 'u' },
		{ "now", required_argument, NULL, 'n' },
		{ "vrps-now", required_argument, NULL, 'n' },
		{ "rpki-now", required_argument, NULL, 'n' },
		{ "allow-stale", no_argument, NULL, 'A' },
		{ "stats", no_argument, NULL, 'S' },
		{ "mrt", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct manrs_provenance_list prov;
	struct manrs_db *snap = NULL;
	const char *dbfile = NULL;
	struct cli_vrps vr;
	struct manrs_vrp_set *s;
	struct vopts o;
	struct manrs_buf b;
	const char *why;
	const char *mrt[VALIDATE_MRT_MAX];
	bool stats = false;
	int ch, i, li, rc, nmrt = 0;

	memset(&vr, 0, sizeof(vr));
	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", lo, &li)) != -1) {
		switch (ch) {
		case 'v':
		case 's':
		case 'n':
		case 'A':
			if (cli_vrps_option(&vr, lo[li].name, optarg) != 1)
				return EXIT_USAGE;
			break;
		case 'j':
			o.json = true;
			break;
		case 'd':
			o.downstream = true;
			break;
		case 'u':
			o.downstream = false;
			break;
		case 'S':
			stats = true;
			break;
		case 'm':
			if (nmrt == VALIDATE_MRT_MAX) {
				cli_warnx("too many --mrt");
				return EXIT_USAGE;
			}
			mrt[nmrt++] = optarg;
			break;
		case 'q':
			o.quiet = true;
			stats = true;
			break;
		case 'D':
			dbfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if ((vr.load.nfiles == 0) == (dbfile == NULL) ||
	    (dbfile != NULL && vr.load.slurm != NULL)) {
		if (dbfile != NULL)
			cli_warnx("validate: --db with --vrps or --slurm (give "
			    "them to manrs db build)");
		usage(stderr);
		return EXIT_USAGE;
	}
	o.stats = stats;
	o.judged_at = vr.now > 0 ? vr.now : (int64_t)time(NULL);
	manrs_provenance_list_init(&prov);
	if (dbfile != NULL)
		s = db_vrps(dbfile, o.judged_at, &snap, &prov);
	else
		s = cli_vrps_load(&vr, "validate", &prov);
	if (s != NULL && stats)
		print_inputs(&prov);
	manrs_provenance_list_clear(&prov);
	if (s == NULL)
		return EXIT_FAIL;
	o.s = s;
	if (nmrt > 0) {
		rc = EXIT_OK;
		for (i = 0; i < nmrt; i++)
			if (validate_mrt(&o, mrt[i]) != EXIT_OK)
				rc = EXIT_FAIL;
	} else if (optind < argc) {
		manrs_buf_init(&b, 64 * 1024);
		for (i = optind; i < argc; i++)
			manrs_buf_printf(&b, "%s ", argv[i]);
		if (b.err != 0)
			rc = EXIT_USAGE;
		else if (validate_tokens(&o, manrs_view_make((const char *)b.p,
		    b.len), &why) != 0) {
			cli_warnx("%s", why);
			rc = EXIT_USAGE;
		} else
			rc = EXIT_OK;
		manrs_buf_clear(&b);
	} else
		rc = validate_stdin(&o);
	if (stats) {
		fprintf(stderr, "valid %llu invalid %llu not-found %llu\n",
		    (unsigned long long)o.n[MANRS_ROV_VALID],
		    (unsigned long long)o.n[MANRS_ROV_INVALID],
		    (unsigned long long)o.n[MANRS_ROV_NOTFOUND]);
		if (nmrt > 0)
			fprintf(stderr, "aspa valid %llu invalid %llu "
			    "unknown %llu\n",
			    (unsigned long long)o.aspa[MANRS_ASPA_VALID],
			    (unsigned long long)o.aspa[MANRS_ASPA_INVALID],
			    (unsigned long long)o.aspa[MANRS_ASPA_UNKNOWN]);
	}
	if (snap == NULL || s != manrs_db_vrps(snap))
		manrs_vrp_set_free(s);
	manrs_db_close(snap);
	if (rc == EXIT_OK && (o.n[MANRS_ROV_INVALID] > 0 ||
	    o.aspa[MANRS_ASPA_INVALID] > 0))
		rc = EXIT_FINDINGS;
	return rc;
}
