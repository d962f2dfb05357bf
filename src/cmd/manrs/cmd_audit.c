/*
 * cmd_audit.c - "manrs audit ASN...": the MANRS conformance report of one
 * or more ASes, as text, JSON lines (--json) or a self-contained HTML
 * page (--html FILE).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_load.h"
#include "check_config.h"
#include "cli.h"
#include "observe_site.h"
#include "observe_store.h"
#include "outfile.h"

#define AUDIT_ASNS_MAX	1024
#define AUDIT_ROUTER_CONFIGS_MAX	256

struct audit_opts {
	bool		json;
	const char	*html;
	unsigned	flags;
	double		fail_under;	/* < 0: off */
	int		fixes;		/* enum manrs_audit_fixes_fmt, -1 off */
	/* --router-config: the inside view (manrs check-config). */
	const char	*rcfg[AUDIT_ROUTER_CONFIGS_MAX];
	int		nrcfg;
	/* --store: the history, for the trend (observe_store.h). */
	const char	*store_path;
	struct store	*store;
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: manrs audit ASN [ASN...] [--json] [--html FILE] "
	    "[--no-evidence]\n                   [--fixes rpsl|csv|json] "
	    "[--fail-under SCORE] [inputs...]\n\n"
	    "Report, per MANRS action, the verdict, the score, the evidence "
	    "and the fix.\n"
	    "  --fixes FORMAT        write only the fixes, ready to submit: "
	    "rpsl (route,\n"
	    "                        route6, aut-num objects), csv or json "
	    "(also ROAs)\n"
	    "  --fail-under SCORE    exit 5 when an action of an AS scores "
	    "below SCORE\n"
	    "  --router-config FILE  the inside view: FRR, BIRD, OpenBGPD or "
	    "Junos config\n"
	    "                        checked as manrs check-config does "
	    "(roles from\n"
	    "                        --asrel); exit 5 on warnings or errors "
	    "(repeat)\n"
	    "  --store FILE          the trend of each AS from the history "
	    "that manrs\n                        observe --store writes\n\n%s",
	    audit_inputs_help);
}

/* Replaced atomically, only when whole (outfile.h). */
static int
write_file(const char *path, const struct manrs_buf *b)
{
	if (outfile_write(path, b->p, b->len) != 0) {
		cli_warnx("audit: %s: %s (the previous file is unchanged)",
		    path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Does an action of r score below the threshold?  Named on stderr. */
static bool
below(const struct manrs_audit_report *r, double threshold)
{
	bool any = false;
	unsigned act;

	for (act = 1; act <= MANRS_ACTION_COUNT; act++) {
		const struct manrs_audit_action *a = &r->action[act];

		if (!a->has_score || a->score >= threshold)
			continue;
		cli_warnx("audit: AS%u: %s scores %.1f, below %.1f", r->asn,
		    manrs_action_name((enum manrs_action)act), a->score,
		    threshold);
		any = true;
	}
	return any;
}

/*
 * The trend of r's AS from the store: its JSON report (just appended to
 * out, from start) gets a "history" member, the text report a block.
 */
static int
trend(const struct audit_opts *o, const struct manrs_audit_report *r,
    size_t start, struct manrs_buf *out)
{
	struct store_point *p;
	size_t n;

	if (o->store == NULL)
		return 0;
	if (store_trend(o->store, r->asn, &p, &n) != 0)
		return -1;
	if (o->json && out->len >= start + 2 &&
	    out->p[out->len - 2] == '}' && out->p[out->len - 1] == '\n') {
		out->len -= 2;
		manrs_buf_put_u8(out, ',');
		store_trend_json(p, n, out);
		manrs_buf_puts(out, "}\n");
	} else if (!o->json)
		store_trend_text(p, n, out);
	free(p);
	return 0;
}

/*
 * The HTML page with each AS's trend at the end of its section (the
 * first "</section>" after its start: sections do not nest).
 */
static int
html_trends(const struct audit_opts *o, struct manrs_audit_report *const *r,
    int n, const struct manrs_buf *page, struct manrs_buf *out)
{
	struct store_point *p;
	char key[32];
	size_t at = 0, np;
	const uint8_t *s, *e;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "<section class=\"as\" id=\"AS%u\"",
		    r[i]->asn);
		if ((s = memmem(page->p + at, page->len - at, key,
		    strlen(key))) == NULL ||
		    (e = memmem(s, page->len - (size_t)(s - page->p),
		    "</section>", 10)) == NULL)
			continue;
		if (store_trend(o->store, r[i]->asn, &p, &np) != 0)
			return -1;
		manrs_buf_put(out, page->p + at, (size_t)(e - page->p) - at);
		site_trend(out, r[i]->asn, p, np);
		free(p);
		at = (size_t)(e - page->p);
	}
	manrs_buf_put(out, page->p + at, page->len - at);
	return out->err;
}

/*
 * The inside view: the router configurations checked (manrs
 * check-config), roles from the audit's AS relationships.  0, or -1
 * when a file could not be read.
 */
static int
inside_view(const struct audit_inputs *in, const struct audit_opts *o,
    struct manrs_buf *out, bool *findings)
{
	struct check_config *c = calloc(1, sizeof(*c));
	struct manrs_rc_findings f;
	struct manrs_buf sess;
	int rv = 0;

	if (c == NULL)
		return -1;
	c->json = o->json;
	c->graph = in->graph;
	manrs_rc_findings_init(&f);
	manrs_buf_init(&sess, 0);
	for (int i = 0; i < o->nrcfg && rv == 0; i++)
		if (check_config_file(c, o->rcfg[i], &f, &sess) != 0)
			rv = -1;
	if (rv == 0 && o->json) {
		struct manrs_buf j;

		/* One JSON line, like the reports: the layout newlines go
		 * (newlines inside strings are escaped). */
		manrs_buf_init(&j, 0);
		check_config_json(&f, &sess, &j);
		manrs_buf_puts(out, "{\"router_config\":");
		for (size_t i = 0; i < j.len; i++)
			if (j.p[i] != '\n')
				manrs_buf_put_u8(out, j.p[i]);
		manrs_buf_puts(out, "}\n");
		if (j.err != 0)
			out->err = j.err;
		manrs_buf_clear(&j);
	} else if (rv == 0) {
		manrs_buf_puts(out, "\nInside view: router configuration "
		    "(manrs check-config)\n");
		manrs_buf_put(out, sess.p, sess.len);
		check_config_text(&f, out);
	}
	if (manrs_rc_findings_serious(&f) > 0)
		*findings = true;
	manrs_rc_findings_clear(&f);
	manrs_buf_clear(&sess);
	free(c);
	return rv;
}

static int
report_all(struct audit_inputs *in, const uint32_t *asns, int n,
    const struct audit_opts *o)
{
	struct manrs_audit_report *r[AUDIT_ASNS_MAX];
	struct manrs_buf out;
	int i, rc, got = 0, status = EXIT_OK;
	bool findings = false;

	manrs_buf_init(&out, 0);
	if (!o->json && o->fixes < 0)
		audit_inputs_text(in, &out);
	for (i = 0; i < n; i++) {
		size_t start = out.len;

		if ((rc = manrs_audit_as(in->audit, asns[i], o->flags,
		    &r[got])) != 0) {
			cli_warnx("audit: AS%u: %s", asns[i],
			    manrs_strerror(rc));
			status = EXIT_FAIL;
			continue;
		}
		if (o->fail_under >= 0 && below(r[got], o->fail_under))
			findings = true;
		if (o->fixes >= 0)
			manrs_audit_fixes_write(r[got],
			    (enum manrs_audit_fixes_fmt)o->fixes, got == 0,
			    &out);
		else if (o->json)
			manrs_audit_report_json_in(r[got], &in->cfg,
			    &in->summary, &out);
		else
			manrs_audit_report_text(r[got], &in->cfg, &out);
		if (o->fixes < 0 && trend(o, r[got], start, &out) != 0)
			status = EXIT_FAIL;
		if (!o->json && o->fixes < 0 && i + 1 < n)
			manrs_buf_puts(&out, "\n");
		got++;
	}
	if (o->nrcfg > 0 && o->fixes < 0 &&
	    inside_view(in, o, &out, &findings) != 0)
		status = EXIT_FAIL;
	if (out.err == 0)
		fwrite(out.p, 1, out.len, stdout);
	if (o->html != NULL) {
		struct manrs_buf t;

		manrs_buf_reset(&out);
		manrs_buf_init(&t, 0);
		if (manrs_audit_report_html_in((const struct manrs_audit_report
		    *const *)r, (size_t)got, &in->cfg, &in->summary,
		    &out) != 0 || (o->store != NULL &&
		    html_trends(o, r, got, &out, &t) != 0) ||
		    write_file(o->html, o->store != NULL ? &t : &out) != 0)
			status = EXIT_FAIL;
		manrs_buf_clear(&t);
	}
	for (i = 0; i < got; i++)
		manrs_audit_report_free(r[i]);
	manrs_buf_clear(&out);
	if (status == EXIT_OK && findings)
		status = EXIT_FINDINGS;
	return status;
}

static int
fixes_format(const char *s)
{
	if (strcmp(s, "rpsl") == 0)
		return MANRS_AUDIT_FIXES_RPSL;
	if (strcmp(s, "csv") == 0)
		return MANRS_AUDIT_FIXES_CSV;
	if (strcmp(s, "json") == 0)
		return MANRS_AUDIT_FIXES_JSON;
	return -1;
}

int
cmd_audit(int argc, char **argv)
{
	struct option opts[AUDIT_INPUT_OPTIONS_N + 9];
	struct audit_inputs in;
	uint32_t asns[AUDIT_ASNS_MAX];
	static struct audit_opts o;
	char *end;
	int c, n = 0, status, rc;

	memcpy(opts, audit_input_options, AUDIT_INPUT_OPTIONS_N * sizeof(struct option));
	opts[AUDIT_INPUT_OPTIONS_N] = (struct option){ "json", no_argument,
	    NULL, 'j' };
	opts[AUDIT_INPUT_OPTIONS_N + 1] = (struct option){ "html",
	    required_argument, NULL, 'H' };
	opts[AUDIT_INPUT_OPTIONS_N + 2] = (struct option){ "no-evidence",
	    no_argument, NULL, 'E' };
	opts[AUDIT_INPUT_OPTIONS_N + 3] = (struct option){ "help",
	    no_argument, NULL, 'h' };
	opts[AUDIT_INPUT_OPTIONS_N + 4] = (struct option){ "fixes",
	    required_argument, NULL, 'F' };
	opts[AUDIT_INPUT_OPTIONS_N + 5] = (struct option){ "fail-under",
	    required_argument, NULL, 'U' };
	opts[AUDIT_INPUT_OPTIONS_N + 6] = (struct option){ "router-config",
	    required_argument, NULL, 'R' };
	opts[AUDIT_INPUT_OPTIONS_N + 7] = (struct option){ "store",
	    required_argument, NULL, 'T' };
	memset(&opts[AUDIT_INPUT_OPTIONS_N + 8], 0, sizeof(opts[0]));
	memset(&o, 0, sizeof(o));
	o.flags = MANRS_AUDIT_EVIDENCE | MANRS_AUDIT_FIXES;
	o.fail_under = -1.0;
	o.fixes = -1;
	audit_inputs_init(&in);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((rc = audit_inputs_option(&in, c, optarg)) < 0)
			return EXIT_USAGE;
		if (rc == 1)
			continue;
		switch (c) {
		case 'j':	o.json = true; break;
		case 'H':	o.html = optarg; break;
		case 'E':
			o.flags &= ~(unsigned)MANRS_AUDIT_EVIDENCE;
			break;
		case 'F':
			if ((o.fixes = fixes_format(optarg)) < 0) {
				cli_warnx("audit: --fixes wants rpsl, csv or "
				    "json: %s", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'U':
			o.fail_under = strtod(optarg, &end);
			if (*end != '\0' || end == optarg ||
			    !(o.fail_under >= 0 && o.fail_under <= 100)) {
				cli_warnx("audit: --fail-under wants a score "
				    "0..100: %s", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'R':
			if (o.nrcfg == AUDIT_ROUTER_CONFIGS_MAX) {
				cli_warnx("audit: more than %d --router-config",
				    AUDIT_ROUTER_CONFIGS_MAX);
				return EXIT_USAGE;
			}
			o.rcfg[o.nrcfg++] = optarg;
			break;
		case 'T':	o.store_path = optarg; break;
		case 'h':	usage(stdout); return EXIT_OK;
		default:	usage(stderr); return EXIT_USAGE;
		}
	}
	for (; optind < argc; optind++) {
		if (n == AUDIT_ASNS_MAX ||
		    manrs_asn_parse(manrs_view_cstr(argv[optind]),
		    &asns[n]) != 0) {
			cli_warnx("audit: not an AS number: %s", argv[optind]);
			return EXIT_USAGE;
		}
		n++;
	}
	if (n == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o.store_path != NULL && store_open(o.store_path, false,
	    &o.store) != 0)
		return EXIT_FAIL;
	if (audit_inputs_load(&in, "audit") != 0) {
		store_close(o.store);
		audit_inputs_clear(&in);
		return EXIT_FAIL;
	}
	status = report_all(&in, asns, n, &o);
	store_close(o.store);
	audit_inputs_clear(&in);
	return status;
}
