/*
 * cli.h - what the manrs subcommands share: the dispatch table entry,
 * diagnostics to stderr, and exit codes.
 */
#ifndef MANRS_CLI_H
#define MANRS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <manrs/manrs.h>

/* Exit codes (documented in manrs(1)). */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* bad input, I/O error, runtime failure */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_EMPTY	3	/* safety gate: empty result */
#define EXIT_CHANGED	4	/* safety gate: result changed too much */

struct cli_cmd {
	const char	*name;
	int		(*fn)(int argc, char **argv);
	const char	*summary;
};

/* Run the subcommand of table named argv[0]; help / unknown handled. */
int	cli_dispatch(const char *prog, const struct cli_cmd *table, int argc,
	    char **argv);
void	cli_list(FILE *fp, const char *prog, const struct cli_cmd *table);

/* Print "manrs: <msg>" to stderr. */
void	cli_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A diag sink that prints to stderr. */
void	cli_diag_sink(struct manrs_diag_sink *sink);
/* True for "-h", "--help" or "help". */
bool	cli_is_help(const char *arg);

/* Subcommands, one file each. */
int	cmd_audit(int argc, char **argv);
int	cmd_observe(int argc, char **argv);
int	cmd_example(int argc, char **argv);
int	cmd_prefix(int argc, char **argv);
int	cmd_sav(int argc, char **argv);
int	cmd_spoof_probe(int argc, char **argv);
int	cmd_irrd(int argc, char **argv);
int	cmd_mrt(int argc, char **argv);
int	cmd_validate(int argc, char **argv);
int	cmd_rtrd(int argc, char **argv);
int	cmd_filter(int argc, char **argv);

#endif /* MANRS_CLI_H */
