/*
 * manrs/audit.h - MANRS conformance metrics per AS (the audit) and over
 * every AS in the data (the observatory).
 *
 * An audit context borrows its reference data (VRPs/ASPAs, IRR, AS
 * relationships, PeeringDB, spoofing results, delegated stats), then
 * streams MRT files (a RIB dump first, then update files in time order)
 * through manrs_audit_add_mrt().  Every route is classified as it comes:
 * leaks (RFC 7908 valley-free violations from the AS relationships, and
 * ASPA-invalid paths as a second signal), hijacks (origin not authorised
 * by RPKI, or by the IRR where RPKI is silent), bogon prefixes (IANA
 * special-purpose registries) and bogon ASNs in paths.  A fault that
 * starts is an event; it ends when the route is withdrawn or replaced,
 * the peer session goes down, or the data ends.  Events of one culprit
 * and metric that overlap in time merge into one incident, weighted
 * 0.5 under 30 minutes, 1 under 24 hours, plus 1 per further day.
 *
 * After manrs_audit_finish() the context is read-only: manrs_audit_as()
 * computes one AS's report.  Definitions and the JSON schema are in
 * docs/audit.md.  Nothing here prints.
 */
#ifndef MANRS_AUDIT_H
#define MANRS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

struct manrs_vrp_set;
struct manrs_irrdb;
struct manrs_asgraph;
struct manrs_peeringdb;
struct manrs_spoofer;
struct manrs_bogon_delegated;

enum manrs_metric {
	MANRS_M1,	/* route leaks by the AS */
	MANRS_M1C,	/* route leaks by its direct customers, propagated */
	MANRS_M2,	/* hijacks (bad origin) by the AS */
	MANRS_M2C,
	MANRS_M3,	/* bogon prefixes originated */
	MANRS_M3C,
	MANRS_M4,	/* bogon ASNs in paths it announced */
	MANRS_M4C,
	MANRS_M5,	/* spoofing: prefixes that leaked spoofed packets */
	MANRS_M5C,	/* direct customers found spoofable */
	MANRS_M6,	/* aut-num documents imports and exports */
	MANRS_M7IRR,	/* announced prefixes with a route object */
	MANRS_M7RPKI,	/* share valid - 10 x share invalid */
	MANRS_M7RPKIN,	/* share not found in RPKI */
	MANRS_M8,	/* contacts registered and reachable */
	MANRS_METRIC_COUNT
};

/* "M1", "M7IRR", ... */
MANRS_API const char *manrs_metric_name(enum manrs_metric m);
/* Metric by name (case-insensitive), or -1. */
MANRS_API int	manrs_metric_parse(struct manrs_view name);

enum manrs_action {
	MANRS_ACTION_FILTERING = 1,
	MANRS_ACTION_ANTISPOOFING = 2,
	MANRS_ACTION_COORDINATION = 3,
	MANRS_ACTION_VALIDATION = 4,
};
#define MANRS_ACTION_COUNT	4

enum manrs_readiness {
	MANRS_READY_NODATA = 0,	/* no data to judge */
	MANRS_READY_LAGGING,
	MANRS_READY_ASPIRING,
	MANRS_READY_READY,
};

MANRS_API const char *manrs_readiness_name(enum manrs_readiness r);
MANRS_API const char *manrs_action_name(enum manrs_action a);

/*
 * Configuration: every threshold and weight is here, none in code.
 * Defaults are documented in docs/audit.md and set by
 * manrs_audit_config_default().
 */
struct manrs_audit_config {
	unsigned	min_peers;		/* peers that must see a route */
	double		ready;			/* action score >= : ready */
	double		aspiring;		/* action score >= : aspiring */
	double		incident_penalty;	/* score points per incident weight */
	double		m5_k;			/* M5 = 100 exp(-k sqrt(raw)) */
	double		rpki_invalid_factor;	/* M7RPKI = valid - f x invalid */
	bool		irr_covering;		/* M7IRR: a less-specific route
						   object with the same origin
						   counts too */
	bool		aspa_leaks;		/* ASPA-invalid hops as leaks */
	bool		irr_hijacks;		/* IRR decides where RPKI is silent */
	unsigned	evidence_max;		/* evidence items kept per metric */
	int64_t		period_start;		/* 0 = from the data */
	int64_t		period_end;
	/*
	 * A jump of more than max_skew seconds between consecutive route
	 * times (two RIBs months apart) is a gap in the data: every open
	 * event closes at the time before the gap, so nothing is weighed
	 * for time no input covers.  0 = no limit.
	 */
	int64_t		max_skew;
};

MANRS_API void	manrs_audit_config_default(struct manrs_audit_config *c);
/*
 * Read "key = value" lines ("#" comments) over the current values.  Keys
 * are the field names above.  Errors name the file and line.
 */
MANRS_API int	manrs_audit_config_load(struct manrs_audit_config *c,
	    const char *path, struct manrs_diag_sink *sink);
/* The same from an open input (not closed). */
MANRS_API int	manrs_audit_config_read(struct manrs_audit_config *c,
	    struct manrs_input *in, struct manrs_diag_sink *sink);

struct manrs_audit;

/* NULL with *err on failure.  cfg is copied. */
MANRS_API
struct manrs_audit *manrs_audit_new(const struct manrs_audit_config *cfg,
	    int *err);
MANRS_API void	manrs_audit_free(struct manrs_audit *a);

/* Reference data, borrowed: it must outlive the context.  Any may be
 * NULL (absent): metrics needing it then have no value. */
MANRS_API void	manrs_audit_set_vrps(struct manrs_audit *a,
	    const struct manrs_vrp_set *v);
MANRS_API
void	manrs_audit_set_irr(struct manrs_audit *a, const struct manrs_irrdb *db);
MANRS_API void	manrs_audit_set_asgraph(struct manrs_audit *a,
	    const struct manrs_asgraph *g);
MANRS_API void	manrs_audit_set_peeringdb(struct manrs_audit *a,
	    const struct manrs_peeringdb *p);
MANRS_API void	manrs_audit_set_spoofer(struct manrs_audit *a,
	    const struct manrs_spoofer *s);
/*
 * RIR delegated stats: announced prefixes in unallocated space become
 * evidence (not scored: MANRS scores special-purpose bogons only).  The
 * table is finished by this call and must not change afterwards.
 */
MANRS_API void	manrs_audit_set_delegated(struct manrs_audit *a,
	    struct manrs_bogon_delegated *d);
/*
 * The data time of the delegated stats (their version line's end date;
 * 0 = unknown).  When the routes are newer than it by more than
 * max_skew, unallocated space is not advised on (it may have been
 * allocated since): the evidence says so instead.
 */
MANRS_API
void	manrs_audit_set_delegated_time(struct manrs_audit *a, int64_t t);
/*
 * Who holds the address space: the allocated and assigned records of
 * RIR delegated stats ("registry|cc|ipv4|start|count|date|allocated"),
 * read from in (not closed) into the context; any number of files.
 * Fixes then name the RIR (ROA "rir", route object "source:") and group
 * ROAs per covering allocation.  Lines that are not such records are
 * ignored here (the bogon reader of the same file reports bad ones).
 * 0, MANRS_E_NOMEM, MANRS_E_LIMIT (past MANRS_BOGON_DELEG_RECORDS_MAX)
 * or the input's error.
 */
MANRS_API int	manrs_audit_read_holders(struct manrs_audit *a,
	    struct manrs_input *in);

/*
 * Stream one MRT file through the classifier.  Files must come in time
 * order (RIB dump, then updates).  Undecodable records are reported and
 * skipped.  Returns 0 or an I/O error.
 */
MANRS_API int	manrs_audit_add_mrt(struct manrs_audit *a, const char *path,
	    struct manrs_diag_sink *sink);
/*
 * The same for all the MRT files paths[0..n) (rib[i]: a RIB, see
 * manrs_audit_mark_rib; rib may be NULL) on njobs threads: each reads
 * every file and classifies one shard of the prefixes (a hash), and the
 * shards are merged into a; the result is the one of manrs_audit_add_mrt()
 * and manrs_audit_mark_rib() file by file.  Diagnostics reach sink in
 * stream order, each once.  For a fresh context (no file, route or
 * partial yet) that is not in partial mode; the files must be readable
 * more than once (no pipe).  Afterwards nothing more can be streamed or
 * merged: manrs_audit_finish() is next.  0, MANRS_E_INVAL, or the first
 * error in stream order (after which a is not usable but for freeing).
 */
MANRS_API int	manrs_audit_add_mrt_jobs(struct manrs_audit *a,
	    const char *const *paths, const bool *rib, size_t n,
	    unsigned njobs, struct manrs_diag_sink *sink);
/*
 * One route event, for callers that decode BGP themselves.  path is the
 * four-octet AS path flattened (sets marked by has_set), path[0] the
 * neighbour of the collector.  withdraw: path is ignored.
 */
MANRS_API int	manrs_audit_add_route(struct manrs_audit *a, uint32_t peer,
	    const struct manrs_prefix *p, uint32_t path_id, int64_t time,
	    bool withdraw, const uint32_t *path, size_t n, bool has_set);
/* A peer session went down at time: its routes are gone. */
MANRS_API int	manrs_audit_peer_down(struct manrs_audit *a, uint32_t peer,
	    int64_t time);
/* Close open events at the period end, merge incidents, build indexes. */
MANRS_API int	manrs_audit_finish(struct manrs_audit *a);

/* Period covered by the data (after finish). */
MANRS_API void	manrs_audit_period(const struct manrs_audit *a, int64_t *start,
	    int64_t *end);

/*
 * Gaps in the data: route times that jumped by more than max_skew (the
 * events open before were closed at "from").  before/after: the MRT
 * files on either side (NULL for routes fed without a file).
 */
struct manrs_audit_gap {
	int64_t		 from;
	int64_t		 to;
	const char	*before;
	const char	*after;
};

MANRS_API size_t	manrs_audit_gaps(const struct manrs_audit *a,
	    const struct manrs_audit_gap **out);
/* The MRT files streamed, in order, with what was read from each. */
struct manrs_audit_file {
	char		*path;		/* owned by the context */
	uint64_t	 records;	/* MRT records read */
	uint64_t	 skipped;	/* undecodable */
	int64_t		 first;		/* first and last route time */
	int64_t		 last;
	bool		 rib;		/* a RIB (manrs_audit_mark_rib) */
};

MANRS_API size_t	manrs_audit_files(const struct manrs_audit *a,
	    const struct manrs_audit_file **out);
/* True when asn appeared in the BGP data (origin or on a path). */
MANRS_API bool	manrs_audit_seen(const struct manrs_audit *a, uint32_t asn);

/* Every AS seen (origins, path members, culprits), ascending. */
MANRS_API
size_t	manrs_audit_asns(const struct manrs_audit *a, const uint32_t **out);

/* One metric's value for one AS. */
struct manrs_audit_metric {
	bool		has_value;	/* false: no data (no score) */
	double		raw;		/* count, weight, or share (0..1) */
	double		score;		/* 0..100 */
	/* Counts behind the value (meaning per metric, see docs). */
	uint32_t	total;		/* announced pairs / tests / incidents */
	uint32_t	valid;		/* M7RPKI */
	uint32_t	invalid;	/* M7RPKI */
	uint32_t	not_found;	/* M7RPKI / M7RPKIN */
	uint32_t	matched;	/* M7IRR with a route object */
	uint32_t	events;		/* M1..M4C: events before merging */
	/*
	 * Without a value: which input is missing and where to get it
	 * (static text), e.g. "no VRPs loaded (--vrps; manrs sync rpki)";
	 * NULL when the metric has a value.
	 */
	const char	*missing;
};

/* One piece of evidence: a route, event, object or test. */
enum manrs_evidence_kind {
	MANRS_EV_INCIDENT,	/* merged incident (time span, weight) */
	MANRS_EV_ROUTE,		/* an announced prefix/origin with a state */
	MANRS_EV_OBJECT,	/* an IRR / PeeringDB object or its absence */
	MANRS_EV_TEST,		/* a spoofing test */
};

struct manrs_audit_evidence {
	enum manrs_metric	 metric;
	enum manrs_evidence_kind kind;
	struct manrs_prefix	 prefix;
	uint32_t		 origin;
	uint32_t		 other_as;	/* leak: from/to; C: the customer */
	int64_t			 start;
	int64_t			 end;
	double			 weight;
	uint32_t		 events;
	/* The MRT file the route (or the incident's first event) was
	 * first seen in, and that file's first record time; NULL/0 when
	 * routes were fed without a file. */
	const char		*file;
	int64_t			 file_time;
	/* The route object relied on (has_route): exact or covering, with
	 * this origin or (for "other origins only") another one. */
	bool			 has_route;
	struct manrs_prefix	 route_prefix;
	uint32_t		 route_origin;
	char			 route_source[32];
	/* The ROA (VRP) relied on (has_roa): the matching one for Valid,
	 * the one RFC 6811 rejected the route by for Invalid. */
	bool			 has_roa;
	struct manrs_prefix	 roa_prefix;
	uint8_t			 roa_max_length;
	uint32_t		 roa_asn;
	char			 text[512];	/* the reason, or a path */
};

/* A fix: ready-to-use text (RPSL, ROA line, action). */
enum manrs_fix_kind {
	MANRS_FIX_ROA,		/* "prefix maxLength asn" */
	MANRS_FIX_ROUTE_OBJECT,	/* RPSL route/route6 */
	MANRS_FIX_AUTNUM,	/* RPSL aut-num skeleton */
	MANRS_FIX_CONTACT,	/* a contact to add */
	MANRS_FIX_WITHDRAW,	/* an announcement to stop */
	MANRS_FIX_FILTER,	/* a filter to deploy */
	MANRS_FIX_SAV,		/* source address validation to deploy */
};

/*
 * One prefix of a ROA fix: ROAs are grouped per origin and covering
 * allocation (one ROA holds many prefixes), each prefix at maxLength =
 * its announced length (RFC 9319: nothing beyond what is announced).
 */
struct manrs_audit_roa_prefix {
	struct manrs_prefix	prefix;
	uint8_t			max_length;
};

struct manrs_audit_fix {
	enum manrs_fix_kind	 kind;
	enum manrs_action	 action;
	char			*text;		/* owned by the report */
	/*
	 * Submit-ready fields (docs/audit.md "Fixes"), by kind:
	 * ROA: asn, rir ("" unknown), allocation (has_allocation), roas;
	 * ROUTE_OBJECT: prefix, asn (the origin), source, rpsl;
	 * AUTNUM: asn, source, rpsl.  rpsl is NULL for the other kinds.
	 */
	uint32_t			 asn;
	char				 rir[16];
	char				 source[32];
	bool				 has_allocation;
	struct manrs_prefix		 allocation;
	struct manrs_prefix		 prefix;
	struct manrs_audit_roa_prefix	*roas;		/* owned */
	size_t				 nroas;
	const char			*rpsl;		/* = text when RPSL */
};

struct manrs_audit_action {
	bool			has_score;
	double			score;
	enum manrs_readiness	readiness;
};

struct manrs_audit_report {
	uint32_t			 asn;
	int64_t				 period_start;
	int64_t				 period_end;
	uint32_t			 announced4;	/* prefixes originated */
	uint32_t			 announced6;
	struct manrs_audit_metric	 m[MANRS_METRIC_COUNT];
	struct manrs_audit_action	 action[MANRS_ACTION_COUNT + 1];
	struct manrs_audit_evidence	*ev;
	size_t				 nev;
	struct manrs_audit_fix		*fix;
	size_t				 nfix;
	/*
	 * Who the AS is: name from PeeringDB (net "name"), else the aut-num's
	 * as-name; rir (the delegated stats' registry, "ripencc", "arin",
	 * ...) and country (ISO 3166 alpha-2) from the "asn" records of the
	 * delegated stats (--delegated).  NULL when no input says.
	 */
	const char			*name;
	const char			*country;
	const char			*rir;
	char				 as_name[64];	/* name's storage */
	char				 cc[3];		/* country's storage */
	/* The AS appears in the BGP data (as origin or on a path); when
	 * false the routing metrics are "not seen" (no value). */
	bool				 seen;
	/* Why an action has no score (static text) or NULL. */
	const char			*action_missing[MANRS_ACTION_COUNT + 1];
};

/*
 * Compute the report of asn.  The report is owned by the caller
 * (manrs_audit_report_free).  Flags select the expensive parts.
 */
#define MANRS_AUDIT_EVIDENCE	0x01
#define MANRS_AUDIT_FIXES	0x02

MANRS_API int	manrs_audit_as(const struct manrs_audit *a, uint32_t asn,
	    unsigned flags, struct manrs_audit_report **out);
MANRS_API void	manrs_audit_report_free(struct manrs_audit_report *r);

/* Output.  Appended to out; 0 or MANRS_E_NOMEM/LIMIT. */
MANRS_API int	manrs_audit_report_json(const struct manrs_audit_report *r,
	    const struct manrs_audit_config *cfg, struct manrs_buf *out);
MANRS_API int	manrs_audit_report_text(const struct manrs_audit_report *r,
	    const struct manrs_audit_config *cfg, struct manrs_buf *out);
MANRS_API
int	manrs_audit_report_html(const struct manrs_audit_report *const *r,
	    size_t n, const struct manrs_audit_config *cfg,
	    struct manrs_buf *out);
MANRS_API const struct manrs_audit_config *manrs_audit_config(
	    const struct manrs_audit *a);

/*
 * What the reports stand on, rendered by the caller (the program knows
 * its files): one line of text per input and per warning, and the same
 * as JSON members for the top level of each JSON report
 * ("inputs":[...],"warnings":[...]; docs/audit.md).  All borrowed.
 */
struct manrs_audit_inputs {
	const char *const	*inputs;
	size_t			 ninputs;
	const char *const	*warnings;
	size_t			 nwarnings;
	const char		*json;		/* NULL: none */
};

/* As manrs_audit_report_json(), with in's JSON members (in may be NULL). */
MANRS_API int	manrs_audit_report_json_in(const struct manrs_audit_report *r,
	    const struct manrs_audit_config *cfg,
	    const struct manrs_audit_inputs *in, struct manrs_buf *out);
/* An "inputs:" section and "warning:" lines as text. */
MANRS_API int	manrs_audit_inputs_text(const struct manrs_audit_inputs *in,
	    struct manrs_buf *out);
/* The page's inline CSS (a <style> element), for pages that embed the
 * report's HTML (manrs observe --site). */
MANRS_API void	manrs_audit_html_style(struct manrs_buf *out);
/* As manrs_audit_report_html(), with an inputs section (in may be NULL). */
MANRS_API
int	manrs_audit_report_html_in(const struct manrs_audit_report *const *r,
	    size_t n, const struct manrs_audit_config *cfg,
	    const struct manrs_audit_inputs *in, struct manrs_buf *out);

/*
 * The fixes of a report alone, ready to submit:
 *   RPSL  the route/route6 and aut-num objects, blank-line separated
 *         (ROAs have no RPSL form: use CSV or JSON for them);
 *   CSV   "type,asn,prefix,max_length,rir,source" (header when asked):
 *         one row per ROA prefix, route object and aut-num;
 *   JSON  one fix object per line (docs/audit.md "Fixes").
 */
enum manrs_audit_fixes_fmt {
	MANRS_AUDIT_FIXES_RPSL,
	MANRS_AUDIT_FIXES_CSV,
	MANRS_AUDIT_FIXES_JSON,
};

MANRS_API int	manrs_audit_fixes_write(const struct manrs_audit_report *r,
	    enum manrs_audit_fixes_fmt fmt, bool header, struct manrs_buf *out);

/*
 * Scale-out (docs/observatory.md "Scale-out"): the state of a context
 * that is not finished yet, as a versioned binary "partial" that other
 * contexts merge.  Merging the partials of shards in order and finishing
 * gives the context one run over all their MRT files would have, exactly
 * when the shards hold disjoint peers; see the document for time shards.
 * The reference data (VRPs, IRR, AS relationships) must be the same.
 */
#define MANRS_AUDIT_PARTIAL_MAGIC	"MANRSOBP"
#define MANRS_AUDIT_PARTIAL_VERSION	2u
/*
 * Before any route: keep what merging this context after other shards
 * needs (the first operation of every route; costs memory per route).
 */
MANRS_API void	manrs_audit_set_partial(struct manrs_audit *a);
/* The MRT file last added is a RIB (reported as such). */
MANRS_API void	manrs_audit_mark_rib(struct manrs_audit *a);
/* The partial of a (before manrs_audit_finish), appended to out. */
MANRS_API int	manrs_audit_partial_write(const struct manrs_audit *a,
	    struct manrs_buf *out);
/*
 * Validate the partial p[0..len) (named name in diagnostics, with the
 * offset of the fault) and merge it into a (not finished).  On an error
 * a is unchanged when the partial is malformed (it is checked whole
 * before merging); MANRS_E_FORMAT (foreign or other version),
 * MANRS_E_SHORT (truncated), MANRS_E_RANGE, MANRS_E_LIMIT, MANRS_E_NOMEM.
 */
MANRS_API
int	manrs_audit_partial_merge(struct manrs_audit *a, const uint8_t *p,
	    size_t len, const char *name, struct manrs_diag_sink *sink);

/* Statistics of the stream. */
struct manrs_audit_stats {
	uint64_t	routes;		/* announcements + RIB entries */
	uint64_t	withdrawals;
	uint64_t	events;		/* fault events opened */
	uint64_t	pairs;		/* distinct prefix/origin pairs */
	uint64_t	peers;
	uint64_t	skipped;	/* undecodable */
};

MANRS_API void	manrs_audit_stats(const struct manrs_audit *a,
	    struct manrs_audit_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_AUDIT_H */
