/*
 * audit_load.h - the inputs of "manrs audit" and "manrs observe": flags
 * or a data directory, loaded into an audit context.
 */
#ifndef MANRS_AUDIT_LOAD_H
#define MANRS_AUDIT_LOAD_H

#include <stdbool.h>

#include <manrs/manrs.h>
#include <manrs/asgraph.h>
#include <manrs/audit.h>
#include <manrs/irrdb.h>
#include <manrs/peeringdb.h>
#include <manrs/spoofer.h>

#include "cli.h"
#include "irr_load.h"

#define AUDIT_FILES_MAX	256

struct file_list {
	const char	*v[AUDIT_FILES_MAX];
	int		 n;
};

struct audit_inputs {
	struct file_list	 rib, updates, vrps, asrel, peeringdb,
				 spoofer, delegated;
	struct irr_sources	 irr;
	const char		*data_dir;
	const char		*db;		/* --db: IRR and VRPs */
	const char		*config;
	long			 min_peers;	/* -1 = from config */
	struct cli_vrps		 v;		/* --now, --allow-stale */
	int64_t			 max_skew;	/* -1 = from config */
	bool			 progress;
	long			 jobs;		/* --jobs, 1 by default */
	bool			 streamed;	/* the MRT files by jobs */
	/* observe --merge: partials instead of (or after) MRT files;
	 * observe --partial: stop before finishing the audit. */
	struct file_list	 parts;
	bool			 partial;

	/* Loaded. */
	struct manrs_audit_config cfg;
	struct manrs_vrp_set	*vrp_set;
	struct manrs_irrdb	*irrdb;
	struct manrs_asgraph	*graph;
	struct manrs_peeringdb	*pdb;
	struct manrs_spoofer	*spoof;
	struct manrs_bogon_delegated *deleg;
	struct manrs_audit	*audit;
	struct manrs_db		*snap;		/* --db, open: irrdb and
						   vrp_set may be its own */
	char			*owned[AUDIT_FILES_MAX * 4];
	int			 nowned;

	/* What the reports stand on: every input, and the warnings. */
	struct manrs_provenance_list prov;
	int64_t			 deleg_time;
	char			**lines;	/* one text line per input */
	size_t			 nlines;
	char			*json;		/* "inputs", "warnings" */
	struct manrs_audit_inputs summary;	/* views of the above */
};

/* getopt_long options shared by audit and observe (codes >= 256). */
extern const struct option audit_input_options[];
#define AUDIT_INPUT_OPTIONS_N	19

void	audit_inputs_init(struct audit_inputs *in);
/* Handle one shared option; 1 handled, 0 not ours, -1 error. */
int	audit_inputs_option(struct audit_inputs *in, int opt, char *arg);
/* Load everything and stream the MRT files.  0 or -1 (reported). */
int	audit_inputs_load(struct audit_inputs *in, const char *cmd);
void	audit_inputs_clear(struct audit_inputs *in);
/* The "inputs:" section and the warnings, as text. */
int	audit_inputs_text(const struct audit_inputs *in, struct manrs_buf *out);
/* Help text for the shared options. */
extern const char audit_inputs_help[];

#endif /* MANRS_AUDIT_LOAD_H */
