/*
 * cmd_sav.c - "manrs sav": source address validation configuration
 * (uRPF mode + explicit-permit ingress filters per customer interface,
 * egress filter on uplinks, bogon sources dropped) from a customer file.
 *
 *   manrs sav [-d DIALECT] [--no-egress] [--no-ingress] FILE
 *
 * The customer file format is in manrs(1), "SAV CUSTOMER FILE".  Bad
 * input is reported with file and line and nothing is printed (a partial
 * filter is worse than none).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define SAV_OUTPUT_MAX	(512u * 1024u * 1024u)	/* rendered config bytes */

static void
sav_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs sav [-d DIALECT] [--no-egress] [--no-ingress] "
	    "FILE\n"
	    "Source address validation (BCP 38/84, RFC 8704) from a customer "
	    "file:\nper customer interface the uRPF mode (strict for "
	    "single-homed, feasible-path\nor loose for multi-homed, with the "
	    "reason) and an explicit-permit ingress\nfilter; an egress "
	    "filter on uplinks; bogon sources always dropped.\n"
	    "  -d, --dialect D   cisco, iosxr, junos, eos, sros, nft, sysctl, "
	    "summary\n                    (default summary)\n"
	    "  --no-egress       leave out the uplink egress filter\n"
	    "  --no-ingress      leave out the customer filters\n"
	    "The file format is in manrs(1), section SAV CUSTOMER FILE.\n"
	    "exit status: 0 ok, 1 bad input (nothing printed), 2 bad command "
	    "line\n");
}

static int
load(const char *path, struct manrs_sav *s)
{
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	int err, rc;

	if ((in = manrs_input_open(path, &err)) == NULL) {
		cli_warnx("%s: %s", path, err == MANRS_E_IO ?
		    strerror(errno) : manrs_strerror(err));
		return -1;
	}
	cli_diag_sink(&sink);
	rc = manrs_sav_read(s, in, &sink);
	manrs_input_close(in);
	if (rc != 0)
		return -1;
	return manrs_sav_check(s, path, &sink) == 0 ? 0 : -1;
}

int
cmd_sav(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dialect", required_argument, NULL, 'd' },
		{ "no-egress", no_argument, NULL, 'E' },
		{ "no-ingress", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum manrs_sav_dialect d = MANRS_SAV_SUMMARY;
	struct manrs_sav *s = NULL;
	struct manrs_buf out;
	unsigned flags = 0;
	const char *why;
	int ch, rc, status = EXIT_FAIL;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (manrs_sav_dialect_parse(optarg, &d) != 0) {
				cli_warnx("sav: unknown dialect '%s'", optarg);
				sav_usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'E':
			flags |= MANRS_SAV_NO_EGRESS;
			break;
		case 'I':
			flags |= MANRS_SAV_NO_INGRESS;
			break;
		case 'h':
			sav_usage(stdout);
			return EXIT_OK;
		default:
			cli_warnx("sav: unknown option or missing argument: "
			    "%s", argv[optind - 1]);
			sav_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		sav_usage(stderr);
		return EXIT_USAGE;
	}
	if ((s = manrs_sav_new()) == NULL) {
		cli_warnx("out of memory");
		return EXIT_FAIL;
	}
	manrs_buf_init(&out, SAV_OUTPUT_MAX);
	if (load(argv[optind], s) != 0)
		goto done;
	rc = manrs_sav_render(s, d, flags, &out, &why);
	if (rc != 0) {
		cli_warnx("%s: %s: %s", argv[optind],
		    manrs_sav_dialect_name(d), why != NULL ? why :
		    manrs_strerror(rc));
		goto done;
	}
	if (fwrite(out.p, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		cli_warnx("stdout: %s", strerror(errno));
		goto done;
	}
	status = EXIT_OK;
done:
	manrs_buf_clear(&out);
	manrs_sav_free(s);
	return status;
}
