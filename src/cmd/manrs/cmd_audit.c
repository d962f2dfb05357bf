/*
 * cmd_audit.c - "manrs audit ASN...": the MANRS conformance report of one
 * or more ASes, as text, JSON lines (--json) or a self-contained HTML
 * page (--html FILE).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_load.h"
#include "cli.h"

#define AUDIT_ASNS_MAX	1024

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: manrs audit ASN [ASN...] [--json] [--html FILE] "
	    "[--no-evidence]\n                   [inputs...]\n\n"
	    "Report, per MANRS action, the verdict, the score, the evidence "
	    "and the fix.\n\n%s", audit_inputs_help);
}

static int
write_file(const char *path, const struct manrs_buf *b)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fwrite(b->p, 1, b->len, fp) != b->len) {
		cli_warnx("audit: %s: cannot write", path);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	return fclose(fp) == 0 ? 0 : -1;
}

static int
report_all(struct audit_inputs *in, const uint32_t *asns, int n, bool json,
    const char *html, unsigned flags)
{
	struct manrs_audit_report *r[AUDIT_ASNS_MAX];
	struct manrs_buf out;
	int i, rc, got = 0, status = EXIT_OK;

	manrs_buf_init(&out, 0);
	for (i = 0; i < n; i++) {
		if ((rc = manrs_audit_as(in->audit, asns[i], flags,
		    &r[got])) != 0) {
			cli_warnx("audit: AS%u: %s", asns[i],
			    manrs_strerror(rc));
			status = EXIT_FAIL;
			continue;
		}
		if (json)
			manrs_audit_report_json(r[got], &in->cfg, &out);
		else
			manrs_audit_report_text(r[got], &in->cfg, &out);
		if (!json && i + 1 < n)
			manrs_buf_puts(&out, "\n");
		got++;
	}
	if (out.err == 0)
		fwrite(out.p, 1, out.len, stdout);
	if (html != NULL) {
		manrs_buf_reset(&out);
		if (manrs_audit_report_html((const struct manrs_audit_report
		    *const *)r, (size_t)got, &in->cfg, &out) != 0 ||
		    write_file(html, &out) != 0)
			status = EXIT_FAIL;
	}
	for (i = 0; i < got; i++)
		manrs_audit_report_free(r[i]);
	manrs_buf_clear(&out);
	return status;
}

int
cmd_audit(int argc, char **argv)
{
	struct option opts[AUDIT_INPUT_OPTIONS_N + 5];
	struct audit_inputs in;
	uint32_t asns[AUDIT_ASNS_MAX];
	const char *html = NULL;
	unsigned flags = MANRS_AUDIT_EVIDENCE | MANRS_AUDIT_FIXES;
	bool json = false;
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
	memset(&opts[AUDIT_INPUT_OPTIONS_N + 4], 0, sizeof(opts[0]));
	audit_inputs_init(&in);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((rc = audit_inputs_option(&in, c, optarg)) < 0)
			return EXIT_USAGE;
		if (rc == 1)
			continue;
		switch (c) {
		case 'j':	json = true; break;
		case 'H':	html = optarg; break;
		case 'E':	flags &= ~(unsigned)MANRS_AUDIT_EVIDENCE; break;
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
	if (audit_inputs_load(&in, "audit") != 0) {
		audit_inputs_clear(&in);
		return EXIT_FAIL;
	}
	status = report_all(&in, asns, n, json, html, flags);
	audit_inputs_clear(&in);
	return status;
}
