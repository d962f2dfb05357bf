/*
 * cmd_observe.c - "manrs observe": the MANRS metrics of every AS in the
 * data, as CSV (default) or JSON lines, sorted by AS or by a metric.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_load.h"
#include "cli.h"
#include "observe.h"
#include "observe_site.h"
#include "observe_store.h"
#include "outfile.h"

struct row {
	uint32_t		 asn;
	struct manrs_audit_report *r;
};

static int sort_metric = -1;
static bool sort_reverse;

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: manrs observe [--csv | --json] [--sort METRIC] "
	    "[--reverse]\n                     [--asns FILE] [--group-by "
	    "country|rir]\n                     [--store FILE [--month "
	    "YYYY-MM]] [--site DIR]\n                     [--output FILE] "
	    "[inputs...]"
	    "\n       manrs observe --partial OUT [inputs...]"
	    "\n       manrs observe --merge [options] [inputs...] PART..."
	    "\n\n"
	    "The MANRS metrics of every AS seen in the data.  --sort orders "
	    "by a metric's\nscore, worst first (ASes without a value last); "
	    "METRIC is M1..M8, M7IRR,\nM7RPKI, M7RPKIN, or A1..A4 for the "
	    "action scores.  The inputs section (every\ninput with its data "
	    "time, and the warnings) goes to stderr with --csv, and\nis the "
	    "first line with --json (schema manrs-inputs/1).  Each row names "
	    "the\nAS (PeeringDB, else aut-num as-name), its RIR and country "
	    "(--delegated).\n\n"
	    "  --asns FILE           only these ASes (one per line, 64500 or "
	    "AS64500),\n                        seen in the data or not\n"
	    "  --group-by country|rir  one summary row per country or RIR "
	    "instead of\n                        one row per AS\n"
	    "  --store FILE --month YYYY-MM  keep this month's metrics per AS "
	    "in the\n                        SQLite history FILE (replacing "
	    "that month)\n"
	    "  --site DIR            write the static web view into DIR "
	    "(with trends\n                        from --store)\n"
	    "  --partial OUT         write the mergeable state of this shard "
	    "of the BGP\n                        data to OUT instead of a "
	    "table\n"
	    "  --merge PART...       the table of the partials merged, as "
	    "one run over\n                        all their MRT files "
	    "(give the same reference inputs)\n\n%s",
	    audit_inputs_help);
}

static double
key_of(const struct row *r, bool *has)
{
	if (sort_metric >= 100) {
		const struct manrs_audit_action *a =
		    &r->r->action[sort_metric - 100];

		*has = a->has_score;
		return a->score;
	}
	*has = r->r->m[sort_metric].has_value;
	return r->r->m[sort_metric].score;
}

static int
row_cmp(const void *x, const void *y)
{
	const struct row *l = x, *r = y;
	bool hl, hr;
	double kl, kr;
	int c = 0;

	if (sort_metric >= 0) {
		kl = key_of(l, &hl);
		kr = key_of(r, &hr);
		if (hl != hr)
			return hl ? -1 : 1;	/* no value: last */
		if (hl && kl != kr)
			c = kl < kr ? -1 : 1;
		if (sort_reverse)
			c = -c;
	}
	if (c == 0)
		c = l->asn < r->asn ? -1 : l->asn > r->asn;
	return c;
}

static void
csv_header(struct manrs_buf *o)
{
	int m, a;

	manrs_buf_puts(o, "asn");
	for (m = 0; m < MANRS_METRIC_COUNT; m++)
		manrs_buf_printf(o, ",%s", manrs_metric_name(
		    (enum manrs_metric)m));
	for (a = 1; a <= MANRS_ACTION_COUNT; a++)
		manrs_buf_printf(o, ",A%d_score,A%d_readiness", a, a);
	manrs_buf_puts(o, ",announced4,announced6,name,country,rir\n");
}

static void
csv_row(struct manrs_buf *o, const struct manrs_audit_report *r)
{
	int m, a;

	manrs_buf_printf(o, "%u", r->asn);
	for (m = 0; m < MANRS_METRIC_COUNT; m++) {
		if (r->m[m].has_value)
			manrs_buf_printf(o, ",%.1f", r->m[m].score);
		else
			manrs_buf_puts(o, ",");
	}
	for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
		if (r->action[a].has_score)
			manrs_buf_printf(o, ",%.1f,%s", r->action[a].score,
			    manrs_readiness_name(r->action[a].readiness));
		else
			manrs_buf_puts(o, ",,no data");
	}
	manrs_buf_printf(o, ",%u,%u,", r->announced4, r->announced6);
	observe_csv_str(o, r->name);
	manrs_buf_put_u8(o, ',');
	observe_csv_str(o, r->country);
	manrs_buf_put_u8(o, ',');
	observe_csv_str(o, r->rir);
	manrs_buf_put_u8(o, '\n');
}

/* This month's rows into the history (--store, --month). */
static int
store_rows(struct store *st, const char *month,
    const struct audit_inputs *in, const struct row *rows, size_t n)
{
	struct manrs_audit_report **rs;
	size_t i;
	int rc;

	if ((rs = calloc(n + 1, sizeof(*rs))) == NULL) {
		cli_warnx("observe: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		rs[i] = rows[i].r;
	rc = store_put_month(st, month, &in->cfg, in->summary.json, rs, n);
	free(rs);
	return rc;
}

/* The web view (--site DIR), with trends when a store is open. */
static int
site_rows(const char *dir, const struct audit_inputs *in,
    const struct row *rows, size_t n, struct store *st)
{
	struct manrs_audit_report **rs;
	size_t i;
	int rc;

	if ((rs = calloc(n + 1, sizeof(*rs))) == NULL) {
		cli_warnx("observe: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		rs[i] = rows[i].r;
	rc = site_write(dir, in->audit, &in->cfg, &in->summary, rs, n, st);
	free(rs);
	return rc;
}

/* The per-group summaries of the rows (--group-by). */
static int
group_by_print(struct manrs_audit_report **rs, const struct row *rows,
    size_t n, int by, bool json, struct manrs_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		rs[i] = rows[i].r;
	return observe_group_print((enum observe_group)by, rs, n, json, out);
}

/* --partial OUT: the shard's state, replaced atomically when complete. */
static int
write_partial(struct audit_inputs *in, const char *path)
{
	struct outfile of = { NULL, NULL, NULL };
	struct manrs_buf b;
	int rc, status = EXIT_OK;

	in->partial = true;
	if (audit_inputs_load(in, "observe") != 0) {
		audit_inputs_clear(in);
		return EXIT_FAIL;
	}
	manrs_buf_init(&b, 0);
	if ((rc = manrs_audit_partial_write(in->audit, &b)) != 0) {
		cli_warnx("observe: %s: %s", path, manrs_strerror(rc));
		status = EXIT_FAIL;
	} else if (outfile_open(&of, path) != 0) {
		cli_warnx("observe: %s: %s", path, strerror(errno));
		status = EXIT_FAIL;
	} else if (fwrite(b.p, 1, b.len, of.fp) != b.len ||
	    outfile_commit(&of) != 0) {
		cli_warnx("observe: %s: %s (the previous file is unchanged)",
		    path, strerror(errno));
		outfile_abort(&of);
		status = EXIT_FAIL;
	}
	manrs_buf_clear(&b);
	audit_inputs_clear(in);
	return status;
}

/*
 * The report of every row (flags 0: metrics only), on jobs threads taking
 * every jobs-th row (the context is read-only after finish).  Returns
 * the index of the first row that failed (out of memory), or n.
 */
struct report_job {
	const struct manrs_audit *a;
	struct row		*rows;
	size_t			 n, first, step, failed;
	bool			 progress;
	pthread_t		 tid;
};

static void *
report_job_run(void *arg)
{
	struct report_job *j = arg;
	size_t i;

	j->failed = j->n;
	for (i = j->first; i < j->n; i += j->step) {
		if (j->progress && (i % 256 == 0 || i + j->step >= j->n))
			fprintf(stderr, "\r\033[Kmanrs: observe %3.0f%% "
			    "(%zu/%zu ASes)", 100.0 * (double)(i + 1) /
			    (double)j->n, i + 1, j->n);
		if (manrs_audit_as(j->a, j->rows[i].asn, 0,
		    &j->rows[i].r) != 0) {
			j->failed = i;
			break;
		}
	}
	return NULL;
}

static size_t
report_rows(const struct manrs_audit *a, struct row *rows, size_t n,
    long jobs, bool progress)
{
	struct report_job j[64];
	size_t failed = n;
	long w, started = 1;

	if (jobs < 1 || (size_t)jobs > n)
		jobs = 1;
	if (jobs > 64)
		jobs = 64;
	for (w = 0; w < jobs; w++)
		j[w] = (struct report_job){ a, rows, n, (size_t)w,
		    (size_t)jobs, n, progress && w == 0, 0 };
	for (w = 1; w < jobs && pthread_create(&j[w].tid, NULL,
	    report_job_run, &j[w]) == 0; w++)
		started = w + 1;
	/* a thread that could not start: its rows on this one, after */
	(void)report_job_run(&j[0]);
	for (w = 1; w < started; w++)
		(void)pthread_join(j[w].tid, NULL);
	for (w = started; w < jobs; w++)
		(void)report_job_run(&j[w]);
	for (w = 0; w < jobs; w++)
		if (j[w].failed < failed)
			failed = j[w].failed;
	if (progress)
		fputs("\r\033[K", stderr);
	return failed;
}

/*
 * The rows as CSV or JSON lines into fp (NULL: nowhere), in blocks of
 * rows formatted on jobs threads, each a slice, written in order.
 */
#define PRINT_BLOCK	8192

struct print_job {
	const struct row		*rows;
	size_t				 from, to;
	bool				 json;
	const struct manrs_audit_config	*cfg;
	struct manrs_buf		 out;
	pthread_t			 tid;
};

static void *
print_job_run(void *arg)
{
	struct print_job *j = arg;
	size_t i;

	for (i = j->from; i < j->to; i++) {
		if (j->json)
			manrs_audit_report_json(j->rows[i].r, j->cfg, &j->out);
		else
			csv_row(&j->out, j->rows[i].r);
	}
	return NULL;
}

static int
print_rows(FILE *fp, const struct row *rows, size_t n, bool json,
    const struct manrs_audit_config *cfg, long jobs)
{
	struct print_job j[64];
	size_t at, k, per;
	long w, started;
	int err = 0;

	if (jobs < 1)
		jobs = 1;
	if (jobs > 64)
		jobs = 64;
	for (w = 0; w < jobs; w++) {
		j[w].rows = rows;
		j[w].json = json;
		j[w].cfg = cfg;
		manrs_buf_init(&j[w].out, 0);
	}
	for (at = 0; at < n; at += k) {
		k = n - at < PRINT_BLOCK ? n - at : PRINT_BLOCK;
		per = (k + (size_t)jobs - 1) / (size_t)jobs;
		for (w = 0; w < jobs; w++) {
			j[w].from = at + (size_t)w * per < at + k ?
			    at + (size_t)w * per : at + k;
			j[w].to = j[w].from + per < at + k ?
			    j[w].from + per : at + k;
			manrs_buf_reset(&j[w].out);
		}
		for (w = 1, started = 1; w < jobs && pthread_create(&j[w].tid,
		    NULL, print_job_run, &j[w]) == 0; w++)
			started = w + 1;
		(void)print_job_run(&j[0]);
		for (w = 1; w < started; w++)
			(void)pthread_join(j[w].tid, NULL);
		for (w = started; w < jobs; w++)	/* could not start */
			(void)print_job_run(&j[w]);
		for (w = 0; w < jobs; w++) {
			if (j[w].out.err != 0)
				err = j[w].out.err;
			else if (fp != NULL && j[w].out.len > 0)
				fwrite(j[w].out.p, 1, j[w].out.len, fp);
		}
	}
	for (w = 0; w < jobs; w++)
		manrs_buf_clear(&j[w].out);
	return err;
}

static int
parse_sort(const char *s)
{
	if ((s[0] == 'A' || s[0] == 'a') && s[1] >= '1' && s[1] <= '4' &&
	    s[2] == '\0')
		return 100 + (s[1] - '0');
	return manrs_metric_parse(manrs_view_cstr(s));
}

int
cmd_observe(int argc, char **argv)
{
	struct option opts[AUDIT_INPUT_OPTIONS_N + 14];
	struct audit_inputs in;
	struct manrs_buf out;
	const uint32_t *asns;
	const char *output = NULL, *asns_file = NULL, *store_path = NULL;
	const char *month = NULL, *site = NULL, *partial = NULL;
	bool merge = false;
	struct store *store = NULL;
	uint32_t *only = NULL;
	size_t nonly = 0;
	int group_by = OBSERVE_GROUP_NONE;
	struct row *rows;
	FILE *fp = stdout;
	struct outfile of = { NULL, NULL, NULL };
	bool json = false;
	size_t n, i;
	int c, rc, status = EXIT_OK;

	memcpy(opts, audit_input_options, AUDIT_INPUT_OPTIONS_N * sizeof(struct option));
	opts[AUDIT_INPUT_OPTIONS_N] = (struct option){ "json", no_argument,
	    NULL, 'j' };
	opts[AUDIT_INPUT_OPTIONS_N + 1] = (struct option){ "csv", no_argument,
	    NULL, 'c' };
	opts[AUDIT_INPUT_OPTIONS_N + 2] = (struct option){ "sort",
	    required_argument, NULL, 's' };
	opts[AUDIT_INPUT_OPTIONS_N + 3] = (struct option){ "reverse",
	    no_argument, NULL, 'r' };
	opts[AUDIT_INPUT_OPTIONS_N + 4] = (struct option){ "output",
	    required_argument, NULL, 'o' };
	opts[AUDIT_INPUT_OPTIONS_N + 5] = (struct option){ "help",
	    no_argument, NULL, 'h' };
	opts[AUDIT_INPUT_OPTIONS_N + 6] = (struct option){ "asns",
	    required_argument, NULL, 'A' };
	opts[AUDIT_INPUT_OPTIONS_N + 7] = (struct option){ "group-by",
	    required_argument, NULL, 'G' };
	opts[AUDIT_INPUT_OPTIONS_N + 8] = (struct option){ "store",
	    required_argument, NULL, 'S' };
	opts[AUDIT_INPUT_OPTIONS_N + 9] = (struct option){ "month",
	    required_argument, NULL, 'M' };
	opts[AUDIT_INPUT_OPTIONS_N + 10] = (struct option){ "site",
	    required_argument, NULL, 'W' };
	opts[AUDIT_INPUT_OPTIONS_N + 11] = (struct option){ "partial",
	    required_argument, NULL, 'P' };
	opts[AUDIT_INPUT_OPTIONS_N + 12] = (struct option){ "merge",
	    no_argument, NULL, 'm' };
	memset(&opts[AUDIT_INPUT_OPTIONS_N + 13], 0, sizeof(opts[0]));
	audit_inputs_init(&in);
	sort_metric = -1;
	sort_reverse = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		if ((rc = audit_inputs_option(&in, c, optarg)) < 0)
			return EXIT_USAGE;
		if (rc == 1)
			continue;
		switch (c) {
		case 'j':	json = true; break;
		case 'c':	json = false; break;
		case 'r':	sort_reverse = true; break;
		case 'o':	output = optarg; break;
		case 'A':	asns_file = optarg; break;
		case 'S':	store_path = optarg; break;
		case 'W':	site = optarg; break;
		case 'P':	partial = optarg; break;
		case 'm':	merge = true; break;
		case 'M':
			if (!store_month_valid(optarg)) {
				cli_warnx("observe: --month %s: YYYY-MM "
				    "expected", optarg);
				return EXIT_USAGE;
			}
			month = optarg;
			break;
		case 'G':
			if ((group_by = observe_group_parse(optarg)) < 0) {
				cli_warnx("observe: --group-by %s: country or "
				    "rir expected", optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			if ((sort_metric = parse_sort(optarg)) < 0) {
				cli_warnx("observe: unknown metric %s", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':	usage(stdout); return EXIT_OK;
		default:	usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc && !merge) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (merge && optind == argc) {
		cli_warnx("observe: --merge needs partial files");
		return EXIT_USAGE;
	}
	for (; optind < argc; optind++) {
		if (in.parts.n == AUDIT_FILES_MAX) {
			cli_warnx("observe: more than %d partials",
			    AUDIT_FILES_MAX);
			return EXIT_USAGE;
		}
		in.parts.v[in.parts.n++] = argv[optind];
	}
	if (partial != NULL && (merge || store_path != NULL || site != NULL ||
	    group_by != OBSERVE_GROUP_NONE || asns_file != NULL ||
	    output != NULL)) {
		cli_warnx("observe: --partial writes only the partial (no "
		    "--merge, --store, --site, --group-by, --asns or --output)");
		return EXIT_USAGE;
	}
	if (partial != NULL)
		return write_partial(&in, partial);
	if (month != NULL && store_path == NULL) {
		cli_warnx("observe: --month needs --store");
		return EXIT_USAGE;
	}
	if (store_path != NULL && month == NULL && site == NULL) {
		cli_warnx("observe: --store needs --month (to write) or --site "
		    "(to read the trends)");
		return EXIT_USAGE;
	}
	if (asns_file != NULL && observe_asns_read(asns_file, &only,
	    &nonly) != 0)
		return EXIT_FAIL;
	/* Opened (and migrated) first: a bad store costs no loading. */
	if (store_path != NULL && store_open(store_path, month != NULL,
	    &store) != 0) {
		free(only);
		return EXIT_FAIL;
	}
	if (audit_inputs_load(&in, "observe") != 0) {
		store_close(store);
		free(only);
		audit_inputs_clear(&in);
		return EXIT_FAIL;
	}
	n = manrs_audit_asns(in.audit, &asns);
	if (asns_file != NULL) {
		asns = only;
		n = nonly;
	}
	if ((rows = calloc(n + 1, sizeof(*rows))) == NULL) {
		store_close(store);
		free(only);
		audit_inputs_clear(&in);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++)
		rows[i].asn = asns[i];
	if ((i = report_rows(in.audit, rows, n, in.jobs, in.progress)) < n) {
		size_t k;

		cli_warnx("observe: out of memory");
		status = EXIT_FAIL;
		for (k = i; k < n; k++)	/* the rows before the first failed */
			manrs_audit_report_free(rows[k].r);
		n = i;
	}
	qsort(rows, n, sizeof(*rows), row_cmp);
	if (store != NULL && month != NULL && status == EXIT_OK &&
	    store_rows(store, month, &in, rows, n) != 0)
		status = EXIT_FAIL;
	if (site != NULL && status == EXIT_OK &&
	    site_rows(site, &in, rows, n, store) != 0)
		status = EXIT_FAIL;
	store_close(store);
	if (output != NULL && outfile_open(&of, output) != 0) {
		cli_warnx("observe: %s: %s", output, strerror(errno));
		status = EXIT_FAIL;
		fp = NULL;
	} else if (output != NULL)
		fp = of.fp;
	manrs_buf_init(&out, 0);
	if (json) {
		manrs_buf_printf(&out, "{\"schema\":\"manrs-inputs/1\",%s}\n",
		    in.summary.json != NULL ? in.summary.json :
		    "\"inputs\":[],\"warnings\":[]");
	} else {
		struct manrs_buf t;

		manrs_buf_init(&t, 0);
		if (audit_inputs_text(&in, &t) == 0)
			fwrite(t.p, 1, t.len, stderr);
		manrs_buf_clear(&t);
		if (group_by == OBSERVE_GROUP_NONE)
			csv_header(&out);
	}
	if (group_by != OBSERVE_GROUP_NONE) {
		struct manrs_audit_report **rs;

		if ((rs = calloc(n + 1, sizeof(*rs))) == NULL ||
		    (group_by_print(rs, rows, n, group_by, json, &out)) != 0) {
			cli_warnx("observe: out of memory");
			status = EXIT_FAIL;
		}
		free(rs);
		if (fp != NULL)
			fwrite(out.p, 1, out.len, fp);
	}
	if (group_by == OBSERVE_GROUP_NONE) {
		if (fp != NULL)
			fwrite(out.p, 1, out.len, fp);
		if (print_rows(fp, rows, n, json, &in.cfg, in.jobs) != 0) {
			cli_warnx("observe: out of memory");
			status = EXIT_FAIL;
		}
	}
	/* --output is replaced atomically, only when complete (outfile.h) */
	if (fp != NULL && fp != stdout && status == EXIT_OK &&
	    outfile_commit(&of) != 0) {
		cli_warnx("observe: %s: %s (the previous file is unchanged)",
		    output, strerror(errno));
		status = EXIT_FAIL;
	} else if (fp != NULL && fp != stdout)
		outfile_abort(&of);
	manrs_buf_clear(&out);
	for (i = 0; i < n; i++)
		manrs_audit_report_free(rows[i].r);
	free(rows);
	free(only);
	audit_inputs_clear(&in);
	return status;
}
