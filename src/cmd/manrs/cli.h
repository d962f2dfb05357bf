/*
 * cli.h - what the manrs subcommands share: the dispatch table entry,
 * diagnostics to stderr, and exit codes.
 */
#ifndef MANRS_CLI_H
#define MANRS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <manrs/manrs.h>

#include "rtrd_load.h"

/* Exit codes (documented in manrs(1)). */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* bad input, I/O error, runtime failure */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_EMPTY	3	/* safety gate: empty result */
#define EXIT_CHANGED	4	/* safety gate: result changed too much */
#define EXIT_FINDINGS	5	/* findings: something was reported */

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

/*
 * Time arguments (--now and its aliases): ISO 8601 UTC ("2023-05-01",
 * "2023-05-01T00:00[:00][Z]") or Unix seconds, after 1970.  0 and *out,
 * or -1 after a message naming flag and arg.
 */
int	cli_parse_time(const char *flag, const char *arg, int64_t *out);

/*
 * The staleness policy for VRPs, one for every command that judges
 * routes (docs/rpki.md "Staleness"):
 * - more than CLI_STALE_WARN_PCT % of a file's VRPs expired at the judging
 *   time: stderr says how many, the snapshot's build time and --now;
 * - every VRP loaded expired (or none loaded at all): refused (exit 1)
 *   unless --allow-stale, naming the count, the build time and both flags.
 */
#define CLI_STALE_WARN_PCT	1

/* VRP inputs of a judging command. */
struct cli_vrps {
	struct rtrd_load_opts	 load;		/* files, slurm; read.now set */
	int64_t			 now;		/* --now; 0 = not given */
	bool			 allow_stale;	/* --allow-stale */
	/*
	 * Without --now, judge each file at its own build time (archived
	 * snapshots: audit, observe) instead of the current time.
	 */
	bool			 at_buildtime;
	/* Where diagnostics and policy messages go; NULL: stderr. */
	struct manrs_diag_sink	*sink;
	void			(*warn)(const char *msg);
};

/*
 * Handle the shared VRP flags: --vrps FILE (repeatable), --slurm FILE,
 * --now TIME, --allow-stale, given by name (without "--").  1 taken, 0
 * not ours, -1 bad argument (message printed).  "vrps-now", "rpki-now"
 * are aliases of "now"; "rpki" of "vrps".
 */
int	cli_vrps_option(struct cli_vrps *v, const char *name, const char *arg);

/*
 * Read every file (each one's provenance, kind "vrps", appended to prov
 * when not NULL), apply SLURM, finish, then apply the staleness policy
 * (warnings also added to prov).  cmd names the command in messages.
 * NULL when the input is bad (diagnostics printed) or refused.
 */
struct manrs_vrp_set *cli_vrps_load(const struct cli_vrps *v,
	    const char *cmd, struct manrs_provenance_list *prov);

/*
 * The policy alone, for one VRP input's provenance (has_expiry set):
 * prints the warning (> 1 % expired) and adds it to prov (may be NULL);
 * true when every VRP of it is expired (the caller refuses unless
 * --allow-stale).
 */
bool	cli_vrps_stale(const struct manrs_provenance *p, const char *cmd,
	    struct manrs_provenance_list *prov);

/*
 * Each input as one line on stderr, "input " then manrs_provenance_print()
 * (what validate --stats, sav, prefix bogon and mrt --stats print).
 */
void	cli_input_print(const struct manrs_provenance *p);
void	cli_inputs_print(const struct manrs_provenance_list *l);

/* Subcommands, one file each. */
int	cmd_audit(int argc, char **argv);
int	cmd_check_config(int argc, char **argv);
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
int	cmd_sync(int argc, char **argv);
int	cmd_db(int argc, char **argv);
int	cmd_monitor(int argc, char **argv);

#endif /* MANRS_CLI_H */
