/*
 * cmd_prefix.c - "manrs prefix": operator utilities on prefix lists.
 *
 *   manrs prefix canon [FILE...]      canonical form of prefixes / ASNs
 *   manrs prefix aggregate [...]      see cmd_prefix_aggregate.c
 *   manrs prefix bogon [...]          see cmd_prefix_bogon.c
 *
 * Input is one item per line (plain, gzip or bzip2; "-" or nothing is
 * stdin); "#" starts a comment.  Bad lines are reported with file and
 * line and make the exit status non-zero.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_prefix.h"

static const struct cli_cmd prefix_cmds[] = {
	{ "canon", prefix_canon,
	    "print prefixes and ASNs in canonical form (RFC 5952, asplain)" },
	{ "aggregate", prefix_aggregate,
	    "aggregate a prefix list (aggregate(1) rules, IPv4 and IPv6)" },
	{ "bogon", prefix_bogon,
	    "report bogon prefixes, ASNs and AS paths, with the registry entry" },
	{ NULL, NULL, NULL },
};

int
prefix_each_line(int nfiles, char **files,
    int (*fn)(void *arg, const char *file, uint64_t line,
    struct manrs_view text), void *arg)
{
	static char *stdin_only[] = { (char *)"-" };
	struct manrs_input *in;
	struct manrs_view line;
	int i, rc, err, status = 0;

	if (nfiles == 0) {
		nfiles = 1;
		files = stdin_only;
	}
	for (i = 0; i < nfiles; i++) {
		if ((in = manrs_input_open(files[i], &err)) == NULL) {
			cli_warnx("%s: %s", files[i], err == MANRS_E_IO ?
			    strerror(errno) : manrs_strerror(err));
			status = 1;
			continue;
		}
		while ((rc = manrs_input_line(in, &line)) != 0) {
			uint64_t no = manrs_input_lineno(in);
			ptrdiff_t hash;

			if (rc < 0) {
				cli_warnx("%s: line %llu: %s", files[i],
				    (unsigned long long)no, manrs_strerror(rc));
				status = 1;
				if (rc != MANRS_E_LIMIT)
					break;
				continue;
			}
			if ((hash = manrs_view_find(line, '#')) >= 0)
				line.len = (size_t)hash;
			line = manrs_view_trim(line);
			if (line.len == 0)
				continue;
			if (fn(arg, files[i], no, line) != 0)
				status = 1;
		}
		manrs_input_close(in);
	}
	return status;
}

static int
canon_one(void *arg, const char *file, uint64_t no, struct manrs_view text)
{
	struct manrs_prefix p;
	char buf[MANRS_PREFIX_STRLEN];
	uint32_t asn;
	int rc;

	(void)arg;
	if (manrs_asn_parse(text, &asn) == 0) {
		printf("AS%u\n", asn);
		return 0;
	}
	rc = manrs_prefix_parse(text, MANRS_PREFIX_HOST, &p);
	if (rc != 0) {
		fprintf(stderr, "%s: line %llu: '%.*s': %s\n", file,
		    (unsigned long long)no, (int)text.len, text.p,
		    manrs_strerror(rc));
		return 1;
	}
	manrs_prefix_print(&p, buf, sizeof(buf));
	puts(buf);
	return 0;
}

int
prefix_canon(int argc, char **argv)
{
	if (argc > 1 && cli_is_help(argv[1])) {
		printf("usage: manrs prefix canon [FILE...]\n"
		    "Print each prefix (RFC 5952 form) or ASN (asplain) of "
		    "the input, one per line.\n"
		    "Host bits set after the length are an error.\n");
		return EXIT_OK;
	}
	return prefix_each_line(argc - 1, argv + 1, canon_one, NULL) == 0 ?
	    EXIT_OK : EXIT_FAIL;
}

int
cmd_prefix(int argc, char **argv)
{
	return cli_dispatch("manrs prefix", prefix_cmds, argc - 1, argv + 1);
}
