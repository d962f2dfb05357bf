/*
 * check_config.h - what "manrs check-config" shares with "manrs audit
 * --router-config": reading one router configuration into findings, and
 * printing them (docs/check-config.md).
 */
#ifndef MANRS_CHECK_CONFIG_H
#define MANRS_CHECK_CONFIG_H

#include <stdbool.h>

#include <manrs/asgraph.h>
#include <manrs/irrdb.h>
#include <manrs/provenance.h>
#include <manrs/routercfg.h>
#include <manrs/util.h>

#define CHECK_CONFIG_ROLES_MAX	1024

struct check_config_role {
	const char		*who;
	enum manrs_rc_role	 role;
	bool			 used;
};

struct check_config_asset {
	const char		*who;		/* neighbor, protocol, ASn */
	const char		*object;	/* AS-SET or ASn */
};

struct check_config {
	enum manrs_rc_dialect	 dialect;	/* UNKNOWN: guessed */
	struct check_config_role roles[CHECK_CONFIG_ROLES_MAX];
	size_t			 nroles;
	const char		*asrel;
	bool			 json;
	const struct manrs_asgraph *graph;	/* roles not given; or NULL */
	struct manrs_asgraph	*own_graph;	/* loaded by check-config */
	/* --source / --data: the IRR to compare customer filters with. */
	const struct manrs_irrdb *irr;
	char			 irr_age[256];	/* the IRR data's time, said */
	struct check_config_asset assets[CHECK_CONFIG_ROLES_MAX];
	size_t			 nassets;
	/* What it read (as-rel, IRR files); --inputs prints, --json has. */
	struct manrs_provenance_list prov;
	bool			 inputs;
};

/*
 * Read, parse and check one file: its sessions appended to sessions
 * (text lines, or JSON objects with c->json), its findings to out.  The
 * guessed dialect and parse problems go to stderr.  0 or EXIT_FAIL.
 */
int	check_config_file(struct check_config *c, const char *path,
	    struct manrs_rc_findings *out, struct manrs_buf *sessions);
/* The findings grouped by MANRS action, and a count line. */
void	check_config_text(const struct manrs_rc_findings *f,
	    struct manrs_buf *b);
/* {"sessions": [...], "findings": [...], "serious": N} (no newline). */
void	check_config_json(const struct manrs_rc_findings *f,
	    const struct manrs_buf *sessions, struct manrs_buf *b);
/* The same with "inputs" and "warnings" (prov, see provenance.h) last. */
void	check_config_json_inputs(const struct manrs_rc_findings *f,
	    const struct manrs_buf *sessions,
	    const struct manrs_provenance_list *prov, struct manrs_buf *b);

#endif /* MANRS_CHECK_CONFIG_H */
