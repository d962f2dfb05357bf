/*
 * cli.c - subcommand dispatch and stderr diagnostics for the manrs CLI.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void
cli_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("manrs: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
print_diag(void *arg, const struct manrs_diag *d)
{
	char buf[MANRS_DIAG_MSG_MAX + 512];

	(void)arg;
	fprintf(stderr, "%s\n", manrs_diag_format(d, buf, sizeof(buf)));
}

void
cli_diag_sink(struct manrs_diag_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
	sink->fn = print_diag;
	sink->max_reports = 1000;
}

bool
cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0 ||
	    strcmp(arg, "help") == 0;
}

void
cli_list(FILE *fp, const char *prog, const struct cli_cmd *table)
{
	const struct cli_cmd *c;

	for (c = table; c->name != NULL; c++)
		fprintf(fp, "  %s %-12s %s\n", prog, c->name, c->summary);
}

int
cli_dispatch(const char *prog, const struct cli_cmd *table, int argc,
    char **argv)
{
	const struct cli_cmd *c;

	if (argc < 1) {
		fprintf(stderr, "usage: %s COMMAND [ARGS]\n", prog);
		cli_list(stderr, prog, table);
		return EXIT_USAGE;
	}
	if (cli_is_help(argv[0])) {
		if (argc > 1) {
			for (c = table; c->name != NULL; c++)
				if (strcmp(c->name, argv[1]) == 0) {
					char *hv[] = { argv[1], (char *)"--help",
					    NULL };

					return c->fn(2, hv);
				}
		}
		printf("usage: %s COMMAND [ARGS]\n", prog);
		cli_list(stdout, prog, table);
		return EXIT_OK;
	}
	for (c = table; c->name != NULL; c++)
		if (strcmp(c->name, argv[0]) == 0)
			return c->fn(argc, argv);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[0]);
	cli_list(stderr, prog, table);
	return EXIT_USAGE;
}
