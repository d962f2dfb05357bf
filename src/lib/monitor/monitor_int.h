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
	regex_t		 match;
	regex_t		 notmatch;
	char		*match_text;
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

struct mon_asn {
	uint32_t	 asn;
	char		*group;
};

struct manrs_monitor_config {
	struct mon_rule	*rules;
	size_t		 nrules;
	size_t		 rules_cap;
	struct manrs_trie *trie;	/* prefix -> index in rules */
	struct mon_asn	*asns;		/* options.monitorASns, sorted */
	uint32_t	*asn_list;
	size_t		 nasns;
	size_t		 ignored;
	size_t		 npaths;
};

bool	mon_rule_has_asn(const struct mon_rule *r, uint32_t asn);
const struct mon_asn *mon_config_asn(const struct manrs_monitor_config *c,
	    uint32_t asn);

#endif /* MANRS_MONITOR_INT_H */
