/*
 * monitor_int.h - the monitor module's private structures (never
 * installed; other modules must not include it).
 */
#ifndef MANRS_MONITOR_INT_H
#define MANRS_MONITOR_INT_H

#include <regex.h>

#include <manrs/monitor.h>
#include <manrs/trie.h>

/* One BGPalerter "path" rule; its conditions are ANDed. */
struct mon_path {
	bool		 has_match;
	bool		 has_notmatch;
	uint32_t	 match;		/* index in config's regexes */
	uint32_t	 notmatch;
	char		*description;	/* matchDescription */
	int		 max_len;	/* -1: none */
	int		 min_len;
};

/* One monitored prefix. */
struct mon_rule {
	struct manrs_prefix prefix;
	uint32_t	*asns;		/* sorted */
	size_t		 nasns;
	char		*description;
	char		*group;
	bool		 ignore_morespecifics;
	bool		 ignore;
	uint32_t	 monitors;	/* bit per manrs_monitor_type enabled */
	struct mon_path	*paths;
	size_t		 npaths;
	uint64_t	 line;
};

/* A compiled expression, shared by every rule that spells it the same. */
struct mon_regex {
	char		*text;
	regex_t		 re;
};

struct mon_asn {
	uint32_t	 asn;
	char		*group;
	/* BGPalerter's upstreams / downstreams: expected neighbours */
	uint32_t	*ups;		/* sorted */
	uint32_t	*downs;
	size_t		 nups, ndowns;
	bool		 has_ups;	/* key present (empty: none expected) */
	bool		 has_downs;
};

struct manrs_monitor_config {
	struct mon_rule	*rules;
	size_t		 nrules;
	size_t		 rules_cap;
	struct manrs_trie *trie;	/* prefix -> index in rules */
	struct mon_asn	*asns;		/* options.monitorASns, sorted */
	bool		 neighbors;	/* one of them has up/downstreams */
	uint32_t	*asn_list;
	size_t		 nasns;
	size_t		 ignored;
	size_t		 npaths;
	struct mon_regex *re;
	size_t		 nre, re_cap;
	uint32_t	*re_tab;	/* open addressing on the text */
	size_t		 re_tab_cap;
};

/* The monitor's MANRS_BGP_ASPATH4_MAX scratch buffer for a path. */
uint8_t	*mon_aspath_buf(struct manrs_monitor *m);
const regex_t *mon_config_regex(const struct manrs_monitor_config *c,
	    uint32_t i);

bool	mon_rule_has_asn(const struct mon_rule *r, uint32_t asn);
bool	mon_asns_have(const uint32_t *v, size_t n, uint32_t asn);
const struct mon_asn *mon_config_asn(const struct manrs_monitor_config *c,
	    uint32_t asn);

#endif /* MANRS_MONITOR_INT_H */
