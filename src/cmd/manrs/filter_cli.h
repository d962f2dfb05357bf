/*
 * filter_cli.h - "manrs filter" inside the program: one command line
 * parsed into a job's options (cmd_filter.c), run with its output
 * written atomically, and --batch files of such lines (filter_batch.c).
 */
#ifndef MANRS_FILTER_CLI_H
#define MANRS_FILTER_CLI_H

#include <manrs/filter.h>

#include "cli.h"
#include "irr_load.h"

#define FILTER_BATCH_LINE_MAX	65536
#define FILTER_BATCH_ARGS_MAX	1024

struct filter {
	struct manrs_filter_opts o;
	struct manrs_prefix beacons[MANRS_FILTER_BEACONS_MAX];
	struct cli_vrps	 rpki;		/* --vrps/--rpki, --now, --allow-stale */
	const char	*host;		/* -h */
	int		 timeout;
	const char	*output;	/* -o */
	const char	*previous;	/* --previous FILE */
	bool		 previous_missing_ok;
	const char	*explain;
	bool		 max_prefix;
	const char	*peeringdb;
	char		**objects;	/* argv after the flags */
	int		 nobjects;
	const char	*job;		/* batch: the job's output name */
	struct manrs_diag_sink sink;	/* loaders (file: line: msg) */
	struct manrs_diag_sink fsink;	/* the engine (manrs: filter: msg) */
	const struct manrs_irrdb *db;
	const struct manrs_vrp_set *vrps;
	const char	*db_file;	/* --db: a snapshot (manrs db build) */
	bool		 inputs;	/* --inputs: each input on stderr */
};

/*
 * Parse one command line (the whole command, or one --batch job: srcs
 * and batch NULL).  Returns -1 to go on, else the exit code.
 */
int	filter_parse(struct filter *f, struct irr_sources *srcs,
	    const char **batch, int argc, char **argv);
/*
 * Run a parsed job against f->db / f->vrps (or -h): --previous read
 * first, the list written to out (NULL: stdout) only when accepted.
 * Returns the exit code.
 */
int	filter_run(struct filter *f, const char *out);
/* --batch FILE with dflt's data and defaults; the largest exit code. */
int	filter_batch(const char *path, const struct filter *dflt);

#endif /* MANRS_FILTER_CLI_H */
