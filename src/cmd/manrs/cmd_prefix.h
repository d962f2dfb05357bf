/*
 * cmd_prefix.h - the "manrs prefix" subcommands (private to the CLI).
 */
#ifndef MANRS_CMD_PREFIX_H
#define MANRS_CMD_PREFIX_H

#include <stdint.h>

#include <manrs/manrs.h>

/*
 * Call fn for each non-empty, comment-stripped, trimmed line of the files
 * ("-" or none: stdin).  Returns non-zero when any file or line failed.
 */
int	prefix_each_line(int nfiles, char **files,
	    int (*fn)(void *arg, const char *file, uint64_t line,
	    struct manrs_view text), void *arg);

int	prefix_canon(int argc, char **argv);
int	prefix_bogon(int argc, char **argv);
int	prefix_aggregate(int argc, char **argv);

#endif /* MANRS_CMD_PREFIX_H */
