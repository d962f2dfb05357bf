/*
 * filter_batch.c - "manrs filter --batch FILE": one job a line,
 * "OUTPUT-FILE [bgpq4 flags] OBJECT..." (single quotes group words), the
 * IRR database and VRPs loaded once.  Each job's output is replaced only
 * when the job is accepted (outfile.h); its messages carry its output
 * name; a failing job is reported with file:line and its exit code, and
 * the batch exits with the largest.  Lines and words are bounded
 * (FILTER_BATCH_LINE_MAX, FILTER_BATCH_ARGS_MAX).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "filter_cli.h"

/* Split a batch line into words; single quotes group.  argv[0] = "filter". */
static int
split_words(char *line, char **argv, int max)
{
	int n = 0;
	char *p = line, *w;

	argv[n++] = (char *)"filter";
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n >= max - 1)
			return -1;
		w = p;
		if (*p == '\'') {
			w = ++p;
			while (*p != '\0' && *p != '\'')
				p++;
			if (*p != '\'')
				return -1;
		} else
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
		if (*p != '\0')
			*p++ = '\0';
		argv[n++] = w;
	}
	argv[n] = NULL;
	return n;
}

/* One batch job: "OUTPUT [flags] OBJECT..." in argv[1..]. */
static int
batch_job(const struct filter *dflt, int argc, char **argv)
{
	struct filter *g;
	int ret;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return EXIT_FAIL;
	g->job = argv[1];
	ret = filter_parse(g, NULL, NULL, argc - 1, argv + 1);
	if (ret < 0) {
		g->o.keep_bogons |= dflt->o.keep_bogons;
		g->o.allow_empty |= dflt->o.allow_empty;
		g->previous_missing_ok |= dflt->previous_missing_ok;
		g->db = dflt->db;
		g->vrps = dflt->vrps;
		ret = filter_run(g, argv[1]);
	}
	free(g);
	return ret;
}

/*
 * --batch FILE: one job a line, "OUTPUT-FILE [bgpq4 flags] OBJECT...";
 * the database and VRPs are loaded once.  Each job's output is replaced
 * only when the job is accepted; its messages are prefixed with its
 * output name, and its exit code (when not 0) is reported on stderr; the
 * batch exits with the largest.
 */
int
filter_batch(const char *path, const struct filter *dflt)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, *argv[FILTER_BATCH_ARGS_MAX];
	size_t cap = 0, lineno = 0, jobs = 0, failed = 0;
	ssize_t len;
	int argc, ret, worst = EXIT_OK;

	if (fp == NULL) {
		cli_warnx("filter: --batch %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		if (len > FILTER_BATCH_LINE_MAX) {
			cli_warnx("filter: %s:%zu: line longer than %u bytes",
			    path, lineno, FILTER_BATCH_LINE_MAX);
			worst = EXIT_FAIL;
			break;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if ((argc = split_words(line, argv, FILTER_BATCH_ARGS_MAX)) < 0) {
			cli_warnx("filter: %s:%zu: bad quoting or more than %u "
			    "words", path, lineno, FILTER_BATCH_ARGS_MAX - 2);
			worst = EXIT_FAIL;
			continue;
		}
		if (argc < 2)
			continue;
		jobs++;
		if ((ret = batch_job(dflt, argc, argv)) > 0) {
			cli_warnx("filter: %s:%zu: job exit code %d (%s)", path,
			    lineno, ret, argv[1]);
			failed++;
			if (ret > worst)
				worst = ret;
		}
	}
	if (ferror(fp)) {
		cli_warnx("filter: --batch %s: %s", path, strerror(errno));
		worst = EXIT_FAIL;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	cli_warnx("filter: %zu jobs, %zu failed", jobs, failed);
	return worst;
}

