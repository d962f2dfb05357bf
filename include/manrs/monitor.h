/*
 * manrs/monitor.h - live alerts for an operator's own prefixes and ASes
 * (the BGPalerter class of monitor), fed route by route.
 *
 * Configuration is BGPalerter's prefixes.yml, read unchanged: one key
 * per monitored prefix (asn, description, ignoreMorespecifics, ignore,
 * group, path, includeMonitors / excludeMonitors) and options.monitorASns.
 *
 * The engine is sans-I/O: the caller feeds routes (from MRT, BMP, RIS
 * Live) with their time, and receives alerts through a callback.  Each
 * event (monitor, prefix, AS) is raised when at least the monitor's
 * minimum number of peers see it, repeated at most once per repeat
 * interval while it lasts, and reported resolved once when the last
 * peer stops seeing it (withdrawal, new origin, peer down).
 *
 * Monitors: hijack (another origin on a monitored prefix or a more
 * specific of it; a less specific covering it is its own type), new
 * more-specific from an expected origin, RPKI invalid and not covered
 * (RFC 6811 with a VRP set), visibility loss, new prefix from a
 * monitored AS, AS-path rules (POSIX extended regular expressions on the
 * comma-separated path, as BGPalerter's "path"), route leaks (RFC 7908
 * valley-free check with CAIDA relationships), bogon prefixes and bogon
 * ASNs in paths from a monitored AS.
 */
#ifndef MANRS_MONITOR_H
#define MANRS_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/asgraph.h>
#include <manrs/prefix.h>
#include <manrs/util.h>
#include <manrs/vrp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on the configuration file. */
#define MANRS_MONITOR_YAML_MAX		(64u * 1024u * 1024u)
#define MANRS_MONITOR_RULES_MAX		1000000u
#define MANRS_MONITOR_ASNS_MAX		1024u	/* per prefix */
#define MANRS_MONITOR_PATHS_MAX		64u	/* path rules per prefix */
#define MANRS_MONITOR_TEXT_MAX		1024u	/* description, group */
#define MANRS_MONITOR_PEERS_MAX		65536u	/* distinct peers tracked */
#define MANRS_MONITOR_EVIDENCE_MAX	512u
#define MANRS_MONITOR_RIS_MAX		(1024u * 1024u)	/* one message */

enum manrs_monitor_type {
	MANRS_MON_HIJACK = 0,		/* other origin, exact or longer */
	MANRS_MON_HIJACK_LESS,		/* other origin, covering prefix */
	MANRS_MON_MORESPECIFIC,		/* new more specific, expected origin */
	MANRS_MON_RPKI_INVALID,
	MANRS_MON_RPKI_NOTCOVERED,
	MANRS_MON_VISIBILITY,		/* fewer peers than the threshold */
	MANRS_MON_NEWPREFIX,		/* monitored AS, unlisted prefix */
	MANRS_MON_PATH,			/* a path rule matched */
	MANRS_MON_LEAK,			/* valley-free violation */
	MANRS_MON_BOGON_PREFIX,
	MANRS_MON_BOGON_ASN,
	MANRS_MON_ROA_EXPIRY,		/* a ROA of yours expires soon */
	MANRS_MON_ROA_CHANGE,		/* ROAs changed between loads */
	MANRS_MON_NEIGHBOR,		/* unexpected up/downstream */
	MANRS_MON_NTYPES
};

/* Stable names used in JSON, logs and options ("hijack", ...). */
MANRS_API const char *manrs_monitor_type_name(enum manrs_monitor_type t);
/* The type named s, or -1. */
MANRS_API int	manrs_monitor_type_parse(const char *s);

/* Engine options.  manrs_monitor_opts_init() sets the defaults. */
struct manrs_monitor_opts {
	/* minimum distinct peers before an event is raised, per monitor */
	unsigned	 min_peers[MANRS_MON_NTYPES];
	uint64_t	 repeat;		/* seconds between repeats */
	bool		 enabled[MANRS_MON_NTYPES];
	const struct manrs_vrp_set *vrps;	/* borrowed; NULL: no RPKI */
	const struct manrs_asgraph *asrel;	/* borrowed; NULL: no leaks */
};

MANRS_API void	manrs_monitor_opts_init(struct manrs_monitor_opts *o);

/* What a configuration holds, for logs. */
struct manrs_monitor_config_stats {
	size_t		 prefixes;
	size_t		 ignored;
	size_t		 path_rules;
	size_t		 monitor_asns;
};

struct manrs_monitor_config;

/*
 * Read a BGPalerter prefixes.yml (path, or "-" for stdin).  Problems go
 * to diag with the file and line; an unknown key is a warning (BGPalerter
 * ignores it too), a bad prefix, ASN, regular expression or type is an
 * error and the load fails.  NULL with *err set on failure.
 */
MANRS_API
struct manrs_monitor_config *manrs_monitor_config_read(const char *path,
	    struct manrs_diag_sink *diag, int *err);
/* The same from memory (name is used in diagnostics). */
MANRS_API struct manrs_monitor_config *manrs_monitor_config_parse(const void *p,
	    size_t len, const char *name, struct manrs_diag_sink *diag,
	    int *err);
MANRS_API void	manrs_monitor_config_free(struct manrs_monitor_config *c);
MANRS_API void	manrs_monitor_config_stats(const struct manrs_monitor_config *c,
	    struct manrs_monitor_config_stats *st);
/* The monitored ASes (options.monitorASns), ascending. */
MANRS_API
size_t	manrs_monitor_config_asns(const struct manrs_monitor_config *c,
	    const uint32_t **asns);

/* An alert, valid during the callback only. */
struct manrs_monitor_alert {
	enum manrs_monitor_type type;
	bool		 resolved;	/* the event is over */
	bool		 repeat;	/* a repeat of an open event */
	struct manrs_prefix prefix;	/* the announced prefix */
	uint32_t	 origin;	/* its origin (0: AS_SET / none) */
	uint32_t	 asn;		/* leaker, bogon ASN, else = origin */
	struct manrs_prefix rule;	/* the configured prefix, if any */
	bool		 has_rule;
	const uint32_t	*expected;	/* the rule's origin ASes */
	size_t		 nexpected;
	unsigned	 peers;		/* peers seeing it now */
	unsigned	 peers_max;	/* most peers that saw it */
	uint64_t	 first_seen;	/* unix seconds */
	uint64_t	 last_seen;
	uint64_t	 time;		/* of this alert (the input's clock) */
	const char	*description;	/* the rule's, or "" */
	const char	*group;		/* the rule's or the AS's, or "" */
	char		 evidence[MANRS_MONITOR_EVIDENCE_MAX];
};

typedef void (*manrs_monitor_alert_fn)(void *arg,
	    const struct manrs_monitor_alert *a);

struct manrs_monitor;

/*
 * A monitor over config c (borrowed: it must outlive the monitor).
 * NULL with *err set when out of memory.
 */
MANRS_API
struct manrs_monitor *manrs_monitor_new(const struct manrs_monitor_config *c,
	    const struct manrs_monitor_opts *o, manrs_monitor_alert_fn fn,
	    void *arg, int *err);
MANRS_API void	manrs_monitor_free(struct manrs_monitor *m);

/* One route as seen by one peer. */
struct manrs_monitor_route {
	uint32_t	 peer_as;
	uint8_t		 peer_af;
	uint8_t		 peer_addr[16];
	uint64_t	 time;		/* unix seconds */
	bool		 withdraw;
	struct manrs_prefix prefix;
	const uint8_t	*aspath;	/* four-octet wire segments */
	size_t		 aspath_len;
};

/*
 * Feed one route.  0, MANRS_E_FORMAT for a malformed AS path (the route
 * is then treated as a withdrawal), MANRS_E_NOMEM, or MANRS_E_LIMIT when
 * more than MANRS_MONITOR_PEERS_MAX peers were seen.
 */
MANRS_API int	manrs_monitor_route(struct manrs_monitor *m,
	    const struct manrs_monitor_route *r);
/* ADD-PATH (RFC 7911) NLRI, per family, for manrs_monitor_update(). */
#define MANRS_MONITOR_ADDPATH_V4	0x01
#define MANRS_MONITOR_ADDPATH_V6	0x02

/*
 * Feed a BGP UPDATE body (after the 19-byte header) from one peer: every
 * withdrawn and announced prefix (IPv4 and MP_REACH/MP_UNREACH).  The
 * routes of an UPDATE whose attributes do not decode are treated as
 * withdrawn (RFC 7606 treat-as-withdraw).  addpath: the families whose
 * NLRI carry path identifiers (MANRS_MONITOR_ADDPATH_*); the paths of
 * one peer and prefix count as one route.
 */
MANRS_API int	manrs_monitor_update(struct manrs_monitor *m,
	    uint32_t peer_as, uint8_t peer_af, const uint8_t *peer_addr,
	    uint64_t time, const uint8_t *body, size_t len, unsigned asn_size,
	    unsigned addpath);
/*
 * Feed one RIS Live message (JSON text, the websocket envelope
 * {"type":"ris_message","data":{...}} or the data object alone): UPDATE
 * withdrawals and announcements, RIS_PEER_STATE "down".  Other message
 * types are ignored.  0, MANRS_E_SYNTAX (not JSON, a bad prefix: the
 * rest of the message is still fed), MANRS_E_FORMAT (a field of the
 * wrong type), MANRS_E_LIMIT (over MANRS_MONITOR_RIS_MAX bytes, 1024
 * ASNs or 65536 prefixes), MANRS_E_NOMEM.
 */
MANRS_API
int	manrs_monitor_ris_message(struct manrs_monitor *m, const char *json,
	    size_t len);
/*
 * The i-th RIS Live subscription (https://ris-live.ripe.net/manual/) a
 * client sends for configuration c, as a {"type": "ris_subscribe", ...}
 * JSON text in buf (NUL-terminated): 0 peer state changes, then one
 * UPDATE subscription per monitored prefix (more- and less-specifics
 * too, so hijacks of either kind are seen), then one per monitored AS
 * (its routes: path ending in it, and paths through it, for the
 * neighbour monitors).  Returns the length, 0 for an index whose entry
 * needs none (an "ignore: true" prefix), MANRS_E_NOTFOUND past the
 * end, MANRS_E_LIMIT if buf is too small.
 */
MANRS_API
int	manrs_monitor_ris_subscribe(const struct manrs_monitor_config *c,
	    size_t i, char *buf, size_t cap);
/*
 * The ROA monitors over VRP set cur (borrowed; it also becomes the set
 * the RPKI monitors use), at now (Unix seconds; the alerts' time).  A
 * VRP concerns the configuration when its prefix is a monitored prefix,
 * covers one or is covered by one (not "ignore: true"), or its ASN is in
 * options.monitorASns.
 *   roa-expiry (when window > 0): each such VRP whose "expires" is
 *     within window seconds of now raises one event per (prefix, ASN);
 *     one that no longer does (renewed, or gone) is resolved.
 *   roa-change (when prev is not NULL, the previous load): per prefix,
 *     the VRPs removed and added (a changed maxLength is both), one
 *     alert each time, never resolved.
 * 0 or MANRS_E_NOMEM.
 */
MANRS_API
int	manrs_monitor_roas(struct manrs_monitor *m,
	    const struct manrs_vrp_set *prev, const struct manrs_vrp_set *cur,
	    uint64_t now, uint64_t window);
/* A peer went down: everything it announced is withdrawn. */
MANRS_API
int	manrs_monitor_peer_down(struct manrs_monitor *m, uint32_t peer_as,
	    uint8_t peer_af, const uint8_t *peer_addr, uint64_t time);
/*
 * Advance the clock: open events whose last alert is older than the
 * repeat interval are repeated; resolved events older than it are
 * forgotten (memory stays flat).
 */
MANRS_API void	manrs_monitor_tick(struct manrs_monitor *m, uint64_t now);

struct manrs_monitor_stats {
	uint64_t	 routes;	/* routes fed */
	uint64_t	 matched;	/* routes some monitor looked at */
	uint64_t	 alerts;
	uint64_t	 resolved;
	uint64_t	 suppressed;	/* held back by the repeat interval */
	size_t		 events;	/* events held now */
	size_t		 open;		/* of which raised and not resolved */
	size_t		 peers;
	size_t		 memory;	/* bytes held by the engine */
};

MANRS_API void	manrs_monitor_stats(const struct manrs_monitor *m,
	    struct manrs_monitor_stats *st);

/*
 * The alert as one JSON object (no newline) / one text line, appended
 * to out.  0 or the buffer's error.
 */
MANRS_API int	manrs_monitor_alert_json(const struct manrs_monitor_alert *a,
	    struct manrs_buf *out);
MANRS_API int	manrs_monitor_alert_text(const struct manrs_monitor_alert *a,
	    struct manrs_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_MONITOR_H */
