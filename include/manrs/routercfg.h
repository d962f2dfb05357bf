/*
 * manrs/routercfg.h - router configurations read into a vendor-neutral
 * model and checked against the MANRS actions, BCP 194 (RFC 7454) and
 * the NLNOG BGP Filter Guide (`manrs check-config`, docs/check-config.md).
 *
 * Dialects really parsed: FRR (frr.conf / vtysh), BIRD 2, OpenBGPD,
 * Junos (curly-brace or "set" form), Cisco IOS-XR (RPL), Cisco IOS /
 * IOS-XE and Arista EOS (one parser with FRR: the same route-map /
 * prefix-list / neighbor language), with the uRPF and ACLs of the
 * interfaces of Junos, IOS-XR, IOS and EOS.
 * The parsers are sans-I/O: they read text from memory, keep file and
 * line of everything, bound every line and count (MANRS_RC_*_MAX) and
 * report what they do not understand to a diag sink instead of guessing.
 *
 * The model holds BGP sessions (neighbor, remote AS, import and export
 * policy, max-prefix), policies as ordered rules of conditions and an
 * action, prefix lists, AS-path filters, RPKI (RTR cache / ROA table) and
 * interfaces.  The checks do not pattern-match config text: each one
 * runs test routes (a bogon, a /25, a 101-hop path, an RPKI-invalid
 * route, a route learned from another peer ...) through the session's
 * policy the way the router would and reports the route that gets
 * through, with the line of the session and a fix in the same dialect.
 */
#ifndef MANRS_ROUTERCFG_H
#define MANRS_ROUTERCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/asgraph.h>
#include <manrs/prefix.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits. */
#define MANRS_RC_FILE_MAX	(16u << 20)	/* bytes of one config */
#define MANRS_RC_LINE_MAX	4096		/* bytes per line */
#define MANRS_RC_OBJECTS_MAX	65536		/* sessions, lists, rules */
#define MANRS_RC_ENTRIES_MAX	(1u << 20)	/* list entries in all */
#define MANRS_RC_NAME_MAX	128		/* names, neighbors */
#define MANRS_RC_DEPTH_MAX	16		/* nested calls / blocks */

enum manrs_rc_dialect {
	MANRS_RC_UNKNOWN = 0,
	MANRS_RC_FRR,
	MANRS_RC_BIRD,
	MANRS_RC_OPENBGPD,
	MANRS_RC_JUNOS,
	MANRS_RC_IOSXR,
	MANRS_RC_IOS,
	MANRS_RC_EOS,
};

/* "frr", "bird", "openbgpd", "junos", "iosxr", "ios", "eos"; 0 or
 * MANRS_E_NOTFOUND. */
MANRS_API
int	manrs_rc_dialect_parse(const char *name, enum manrs_rc_dialect *d);
MANRS_API const char *manrs_rc_dialect_name(enum manrs_rc_dialect d);
/*
 * Guess the dialect of a config from statements only one dialect has;
 * *why (static) names the evidence.  MANRS_RC_UNKNOWN when none.
 */
MANRS_API enum manrs_rc_dialect manrs_rc_guess(const char *text, size_t len,
	    const char **why);

enum manrs_rc_role {
	MANRS_RC_ROLE_UNKNOWN = 0,
	MANRS_RC_ROLE_CUSTOMER,
	MANRS_RC_ROLE_PEER,
	MANRS_RC_ROLE_PROVIDER,
	MANRS_RC_ROLE_IBGP,	/* same AS: not judged */
};

MANRS_API const char *manrs_rc_role_name(enum manrs_rc_role r);
MANRS_API int	manrs_rc_role_parse(const char *name, enum manrs_rc_role *r);

/* A BGP session, as the config has it (read-only for callers). */
struct manrs_rc_session {
	const char		*neighbor;	/* address, or BIRD protocol */
	const char		*address;	/* neighbor address, or "" */
	const char		*descr;		/* description, or "" */
	uint32_t		 remote_as;	/* 0 = not configured */
	uint32_t		 local_as;
	uint32_t		 line;		/* where the session is */
	enum manrs_rc_role	 role;
	const char		*role_source;	/* "--role", "CAIDA as-rel",
						   "same AS", "unknown" */
	uint32_t		 max_prefix;	/* 0 = none */
};

struct manrs_rc;

/* A model for one file; NULL when out of memory. */
MANRS_API struct manrs_rc *manrs_rc_new(void);
MANRS_API void	manrs_rc_free(struct manrs_rc *rc);

/*
 * Parse text (len bytes, MANRS_RC_FILE_MAX at most) of the given dialect
 * into rc; file is copied and used in findings and diagnostics.
 * Statements the parser does not model are reported to sink as notes
 * (a condition it cannot evaluate makes the checks that depend on it
 * say "could not be decided", never pass).  0, MANRS_E_SYNTAX (errors
 * were reported; the model holds what was read), MANRS_E_LIMIT,
 * MANRS_E_NOMEM, MANRS_E_INVAL (dialect).
 */
MANRS_API int	manrs_rc_parse(struct manrs_rc *rc, enum manrs_rc_dialect d,
	    const char *file, const char *text, size_t len,
	    struct manrs_diag_sink *sink);

MANRS_API size_t	manrs_rc_session_count(const struct manrs_rc *rc);
MANRS_API
const struct manrs_rc_session *manrs_rc_session(const struct manrs_rc *rc,
	    size_t i);
MANRS_API uint32_t manrs_rc_local_as(const struct manrs_rc *rc);

/*
 * Set the role of the sessions matching who: a neighbor address, a BIRD
 * protocol name (or its neighbor address), or "AS<n>" (every session to
 * that AS).  Returns the
 * number of sessions set (0 = none matched).
 */
MANRS_API size_t	manrs_rc_set_role(struct manrs_rc *rc, const char *who,
	    enum manrs_rc_role role);
/*
 * Sessions still without a role take it from the AS graph (what the
 * remote AS is to the local AS); siblings count as customers.  g may be
 * NULL.  Sessions to the local AS become IBGP.
 */
MANRS_API void	manrs_rc_roles_from_graph(struct manrs_rc *rc,
	    const struct manrs_asgraph *g);

enum manrs_rc_sev {
	MANRS_RC_NOTE,		/* not judged, not applicable: no exit 5 */
	MANRS_RC_WARNING,
	MANRS_RC_ERROR,
};

MANRS_API const char *manrs_rc_sev_name(enum manrs_rc_sev s);

/* One finding.  Strings are owned by the findings list. */
struct manrs_rc_finding {
	const char		*check;		/* "bogon-prefixes" ... */
	int			 action;	/* MANRS action 1..4 */
	enum manrs_rc_sev	 severity;
	const char		*file;
	uint32_t		 line;
	const char		*neighbor;	/* or NULL */
	const char		*interface;	/* or NULL */
	const char		*text;
	const char		*fix;		/* same dialect; "" = none */
};

struct manrs_rc_findings {
	struct manrs_rc_finding	*v;
	size_t			 n;
	size_t			 cap;
	struct manrs_arena	*arena;
};

MANRS_API void	manrs_rc_findings_init(struct manrs_rc_findings *f);
MANRS_API void	manrs_rc_findings_clear(struct manrs_rc_findings *f);

/* The check names, in report order; NULL-terminated. */
MANRS_API const char *const *manrs_rc_check_names(void);
/* The MANRS action a check belongs to (1..4), 0 for an unknown name. */
MANRS_API int	manrs_rc_check_action(const char *check);

/*
 * Run every check over rc and append the findings (sessions in file
 * order, checks in manrs_rc_check_names() order).  0 or MANRS_E_NOMEM.
 */
MANRS_API int	manrs_rc_check(const struct manrs_rc *rc,
	    struct manrs_rc_findings *out);

/*
 * Compare the prefixes customer session i accepts with the ranges the
 * IRR gives for object (what `manrs filter` expands for the customer's
 * AS-SET or AS; r: n ranges of both families, each with min..max):
 * missing = ranges whose prefix at its shortest or longest length the
 * session rejects; extra = permit entries of the prefix lists its import
 * policy uses that no range covers.  When either is not empty one
 * finding (customer-import-filter, warning) names object, both lists
 * (the first ones) and age (a sentence on the IRR data's time, copied),
 * with the IRR list rendered in the session's dialect as the fix.
 * 0, MANRS_E_INVAL (i out of range) or MANRS_E_NOMEM.
 */
MANRS_API int	manrs_rc_compare_irr(const struct manrs_rc *rc, size_t i,
	    const char *object, const struct manrs_prefix_range *r, size_t n,
	    const char *age, struct manrs_rc_findings *out);

/* Number of findings of severity warning or error. */
MANRS_API
size_t	manrs_rc_findings_serious(const struct manrs_rc_findings *f);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_ROUTERCFG_H */
