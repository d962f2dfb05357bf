/*
 * routercfg_int.h - the vendor-neutral model the dialect parsers fill and
 * the checks read.  Never installed.
 *
 * A policy is an ordered list of rules; a rule is a conjunction of atoms
 * and an action.  FRR route-maps and BIRD filters are first-match (the
 * first terminal rule whose atoms hold decides), OpenBGPD's rule list is
 * last-match with "quick".  An atom the parser could not model is
 * RC_A_UNKNOWN: evaluation over it is undecided, never a pass.
 */
#ifndef MANRS_ROUTERCFG_INT_H
#define MANRS_ROUTERCFG_INT_H

#include <regex.h>

#include <manrs/routercfg.h>

/* One prefix-list entry: prefix with ge/le bounds (min..max). */
struct rc_plent {
	struct manrs_prefix	p;
	uint8_t			min, max;
	bool			permit;
	uint32_t		seq;
};

struct rc_plist {
	char		*name;
	uint32_t	 line;
	bool		 packet;	/* a packet filter's addresses */
	struct rc_plent	*e;
	size_t		 n, cap;
};

/* An AS-path filter entry: a regex (FRR) or an ASN range (BIRD, bgpd). */
struct rc_asent {
	bool		permit;
	bool		is_re;
	bool		spaced;		/* Junos: matched against "A B C " */
	bool		re_ok;
	regex_t		re;
	uint32_t	lo, hi;
};

struct rc_aslist {
	char		*name;
	uint32_t	 line;
	struct rc_asent	*e;
	size_t		 n, cap;
};

enum rc_atom_kind {
	RC_A_TRUE,
	RC_A_UNKNOWN,		/* not modelled: undecided */
	RC_A_PLIST,		/* arg: plist; prefix-list result is permit */
	RC_A_PREFIX_IN,		/* arg: plist; some entry matches (sets) */
	RC_A_ASPATH,		/* arg: aslist; FRR as-path access-list */
	RC_A_PATH_HAS,		/* arg: aslist; an ASN of the path in it */
	RC_A_ORIGIN_IN,		/* arg: aslist; origin ASN in it */
	RC_A_PEER_AS,		/* arg: ASN; first ASN of the path */
	RC_A_PATHLEN_GT,	/* arg: n */
	RC_A_PREFLEN_GT,	/* arg: n, af */
	RC_A_PREFLEN_RANGE,	/* lo..hi (arg, arg2), af */
	RC_A_AF,		/* af */
	RC_A_RPKI,		/* arg: RC_RPKI_* */
	RC_A_DEFAULT,		/* prefix is 0/0 or ::/0 */
	RC_A_SESSION,		/* OpenBGPD peer spec: arg RC_PEER_* */
	RC_A_COMMUNITY,		/* test routes carry none: false */
};

enum { RC_RPKI_VALID = 1, RC_RPKI_INVALID, RC_RPKI_NOTFOUND };
enum { RC_PEER_ANY, RC_PEER_EBGP, RC_PEER_IBGP, RC_PEER_ADDR, RC_PEER_AS,
	RC_PEER_GROUP };

struct rc_atom {
	enum rc_atom_kind	 kind;
	bool			 neg;
	uint8_t			 af;	/* 0 = any */
	uint32_t		 arg, arg2;
	const char		*str;	/* RC_PEER_ADDR/GROUP; UNKNOWN text */
};

enum rc_action {
	RC_ACT_NONE,		/* side effects only: go on */
	RC_ACT_ACCEPT,
	RC_ACT_REJECT,
	RC_ACT_CALL,		/* BIRD function: arg = policy index */
	RC_ACT_RETURN,		/* Junos "next policy": leave this one */
};

struct rc_rule {
	struct rc_atom	*atoms;
	size_t		 n, cap;
	enum rc_action	 action;
	uint32_t	 call;
	bool		 quick;		/* OpenBGPD */
	uint32_t	 line;
	uint32_t	 seq;		/* FRR route-map sequence */
};

struct rc_policy {
	char		*name;
	uint32_t	 line;
	bool		 last_match;	/* OpenBGPD */
	bool		 defined;	/* referenced before (or without) */
	enum rc_action	 fallthrough;	/* end of policy */
	struct rc_rule	*r;
	size_t		 n, cap;
};

/* What a session does with routes in one direction. */
enum rc_pol_kind {
	RC_POL_UNSET,		/* nothing configured: dialect default */
	RC_POL_ALL,
	RC_POL_NONE,
	RC_POL_REF,		/* policy index */
};

struct rc_dir {
	enum rc_pol_kind kind;
	uint32_t	 policy;
	uint32_t	 line;
};

struct rc_session {
	struct manrs_rc_session	 pub;
	char			*group;		/* OpenBGPD group / FRR
						   peer-group, or NULL */
	struct rc_dir		 in[2], out[2];	/* [0] IPv4, [1] IPv6 */
	bool			 af_on[2];
	bool			 is_group;	/* FRR peer-group itself */
	/* FRR: [af][0 in, 1 out] index + 1 of route-map, prefix-list,
	 * filter-list (0 = none), folded into in/out at the end. */
	uint32_t		 rm[2][2], pl[2][2], fl[2][2], dline[2][2];
};

struct rc_iface {
	char		*name;
	uint32_t	 line;
	struct manrs_prefix addr[8];
	size_t		 naddr;
	/* Junos: [0] inet, [1] inet6. */
	int		 urpf[2];	/* 0 none, 1 strict, 2 loose */
	uint32_t	 urpf_line[2];
	uint32_t	 fin[2], fout[2];	/* filter policy + 1, or 0 */
	uint32_t	 fin_line[2], fout_line[2];
};

struct manrs_rc {
	enum manrs_rc_dialect	 dialect;
	char			*file;
	struct manrs_arena	*arena;
	uint32_t		 local_as;
	bool			 ebgp_requires_policy;	/* FRR */
	uint32_t		 rpki_line;	/* RTR cache / ROA table */
	bool			 rpki_on;
	struct rc_session	*s;
	size_t			 ns, caps;
	struct rc_policy	*pol;
	size_t			 npol, cappol;
	struct rc_plist		*pl;
	size_t			 npl, cappl;
	struct rc_aslist	*al;
	size_t			 nal, capal;
	struct rc_iface		*ifs;
	size_t			 nifs, capifs;
	size_t			 entries;
	/* OpenBGPD: one global rule list per direction. */
	uint32_t		 bgpd_in, bgpd_out;
	struct manrs_diag_sink	*sink;
	int			 err;		/* sticky */
};

/* Model building (routercfg.c).  Names are copied into the arena. */
char	*rc_strdup(struct manrs_rc *rc, struct manrs_view v);
struct rc_session *rc_session_add(struct manrs_rc *rc, struct manrs_view nb,
	    uint32_t line);
struct rc_session *rc_session_find(struct manrs_rc *rc, struct manrs_view nb);
/* Find or create by name (kind decides namespace). */
uint32_t rc_policy_get(struct manrs_rc *rc, struct manrs_view name);
uint32_t rc_plist_get(struct manrs_rc *rc, struct manrs_view name);
uint32_t rc_aslist_get(struct manrs_rc *rc, struct manrs_view name);
int	rc_plist_find(const struct manrs_rc *rc, struct manrs_view name);
int	rc_aslist_find(const struct manrs_rc *rc, struct manrs_view name);
int	rc_plist_add(struct manrs_rc *rc, uint32_t pl,
	    const struct rc_plent *e);
int	rc_aslist_add(struct manrs_rc *rc, uint32_t al, struct rc_asent *e);
struct rc_rule *rc_rule_add(struct manrs_rc *rc, uint32_t pol,
	    uint32_t line);
int	rc_atom_add(struct manrs_rc *rc, struct rc_rule *r,
	    const struct rc_atom *a);
struct rc_iface *rc_iface_add(struct manrs_rc *rc, struct manrs_view name,
	    uint32_t line);
void	rc_note(struct manrs_rc *rc, uint32_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	rc_error(struct manrs_rc *rc, uint32_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Line iteration over text: next line (without newline), 1-based no. */
struct rc_lines {
	const char	*p, *end;
	uint32_t	 no;
};
bool	rc_line_next(struct rc_lines *l, struct manrs_view *line);
/* A prefix "a/b" with optional host bits refused; 0 or error. */
int	rc_prefix(struct manrs_view v, struct manrs_prefix *p);
/* FRR-style AS-path regex compiled for POSIX ERE. */
int	rc_regex_compile(regex_t *re, struct manrs_view src);

/* The dialect parsers. */
int	rc_parse_frr(struct manrs_rc *rc, const char *text, size_t len);
int	rc_parse_bird(struct manrs_rc *rc, const char *text, size_t len);
int	rc_parse_junos(struct manrs_rc *rc, const char *text, size_t len);
int	rc_parse_openbgpd(struct manrs_rc *rc, const char *text, size_t len);
int	rc_parse_iosxr(struct manrs_rc *rc, const char *text, size_t len);

/* A test route and its evaluation (routercfg_eval.c). */
#define RC_PATH_MAX	128

struct rc_route {
	struct manrs_prefix	 p;
	uint32_t		 path[RC_PATH_MAX];
	size_t			 npath;
	int			 rpki;		/* RC_RPKI_* */
};

enum rc_verdict { RC_V_ACCEPT, RC_V_REJECT, RC_V_UNKNOWN };

struct rc_outcome {
	enum rc_verdict	 v;
	uint32_t	 line;		/* deciding rule, 0 = default */
	const char	*why;		/* undecided: the atom's text */
};

/* Run r through policy pol alone (a Junos firewall filter: r.p is the
 * packet's source as a host prefix). */
void	rc_eval_policy(const struct manrs_rc *rc, uint32_t pol,
	    const struct rc_route *r, struct rc_outcome *o);

/* Run r through session s in direction out (false = import). */
void	rc_eval(const struct manrs_rc *rc, const struct rc_session *s,
	    bool out, const struct rc_route *r, struct rc_outcome *o);
bool	rc_plist_match(const struct rc_plist *pl, const struct manrs_prefix *p,
	    bool *permit);

/* Shared by the checks (routercfg_check.c, _sav.c, _irr.c). */
struct rc_ctx {
	const struct manrs_rc		*rc;
	struct manrs_rc_findings	*out;
	int				 err;
	/* The prefix lists the current session's import uses (npl). */
	bool				*used;
};

/* Append a finding (strings copied into the findings' arena). */
void	rc_add(struct rc_ctx *c, const char *check, enum manrs_rc_sev sev,
	    uint32_t line, const char *nb, const char *ifn, const char *fix,
	    const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void	rc_push(struct rc_route *r, uint32_t asn);
bool	rc_is_bogon(const struct manrs_prefix *p);
bool	rc_accepts(const struct rc_ctx *c, const struct rc_session *s,
	    const struct rc_route *r);
void	rc_pfx_text(const struct manrs_prefix *p, char *buf, size_t size);
/* Append item to a ", "-separated list in list (size bytes). */
void	rc_list_add(char *list, size_t size, const char *item);
/* Mark in used[] the prefix lists policy pol uses, through calls. */
void	rc_used_lists(const struct manrs_rc *rc, uint32_t pol, unsigned depth,
	    bool *used);
void	rc_check_sav(struct rc_ctx *c);

#endif /* MANRS_ROUTERCFG_INT_H */
