/*
 * bogon.c - special-purpose bogon prefixes (IANA registries, RFC 6890 /
 * RFC 8190) and bogon ASNs.
 *
 * The prefix table is small (under 50 entries) and fixed at build time,
 * so lookups scan it: a covering test per entry is a few byte compares,
 * cheaper than building a trie for it.  Invariant: the most specific
 * covering entry decides, so a globally reachable entry nested in a bogon
 * entry (2001:3::/32 in 2001::/23) is an exception, and a bogon nested in
 * a reachable entry would be a bogon again (none exists today).
 */
#include <stddef.h>

#include "bogon_int.h"

/*
 * Bogon ASNs, ascending and disjoint.  There is no IANA special-purpose
 * AS registry file in the data set, so this short table is written by
 * hand from the RFCs it cites.
 */
static const struct manrs_bogon_asn bogon_asns[] = {
	{ 0, 0, "Reserved (AS 0)", "RFC 7607" },
	{ 23456, 23456, "AS_TRANS", "RFC 6793" },
	{ 64496, 64511, "Documentation", "RFC 5398" },
	{ 64512, 65534, "Private Use", "RFC 6996" },
	{ 65535, 65535, "Reserved (last 16-bit ASN)", "RFC 7300" },
	{ 65536, 65551, "Documentation", "RFC 5398" },
	{ 65552, 131071, "Reserved by IANA", "IANA AS numbers registry" },
	{ 4200000000u, 4294967294u, "Private Use", "RFC 6996" },
	{ 4294967295u, 4294967295u, "Reserved (last 32-bit ASN)", "RFC 7300" },
};

const struct manrs_bogon_entry *
manrs_bogon_entries(size_t *count)
{
	*count = manrs_bogon_iana_count;
	return manrs_bogon_iana;
}

void
manrs_bogon_prefix_check(const struct manrs_prefix *p,
    struct manrs_bogon_match *m)
{
	const struct manrs_bogon_entry *e, *best = NULL, *covered = NULL;
	size_t i;

	for (i = 0; i < manrs_bogon_iana_count; i++) {
		e = &manrs_bogon_iana[i];
		if (manrs_prefix_covers(&e->prefix, p)) {
			if (best == NULL || e->prefix.len > best->prefix.len)
				best = e;
		} else if (covered == NULL && manrs_bogon_entry_is_bogon(e) &&
		    manrs_prefix_covers(p, &e->prefix))
			covered = e;
	}
	if (best != NULL) {
		m->kind = manrs_bogon_entry_is_bogon(best) ?
		    MANRS_BOGON_INSIDE : MANRS_BOGON_REACHABLE;
		m->entry = best;
	} else if (covered != NULL) {
		m->kind = MANRS_BOGON_COVERS;
		m->entry = covered;
	} else {
		m->kind = MANRS_BOGON_NONE;
		m->entry = NULL;
	}
}

/* True when e lies inside another bogon entry that p also covers. */
static bool
nested_in_covered(const struct manrs_prefix *p,
    const struct manrs_bogon_entry *e)
{
	const struct manrs_bogon_entry *f;
	size_t i;

	for (i = 0; i < manrs_bogon_iana_count; i++) {
		f = &manrs_bogon_iana[i];
		if (f == e || !manrs_bogon_entry_is_bogon(f) ||
		    f->prefix.len >= e->prefix.len)
			continue;
		if (manrs_prefix_covers(&f->prefix, &e->prefix) &&
		    manrs_prefix_covers(p, &f->prefix))
			return true;
	}
	return false;
}

int
manrs_bogon_walk_covered(const struct manrs_prefix *p,
    int (*cb)(const struct manrs_bogon_entry *e, void *arg), void *arg)
{
	const struct manrs_bogon_entry *e;
	size_t i;
	int rc;

	for (i = 0; i < manrs_bogon_iana_count; i++) {
		e = &manrs_bogon_iana[i];
		if (!manrs_bogon_entry_is_bogon(e) ||
		    !manrs_prefix_covers(p, &e->prefix) ||
		    nested_in_covered(p, e))
			continue;
		if ((rc = cb(e, arg)) != 0)
			return rc;
	}
	return 0;
}

const struct manrs_bogon_asn *
manrs_bogon_asns(size_t *count)
{
	*count = sizeof(bogon_asns) / sizeof(bogon_asns[0]);
	return bogon_asns;
}

const struct manrs_bogon_asn *
manrs_bogon_asn_find(uint32_t asn)
{
	size_t lo = 0, hi = sizeof(bogon_asns) / sizeof(bogon_asns[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (asn < bogon_asns[mid].first)
			hi = mid;
		else if (asn > bogon_asns[mid].last)
			lo = mid + 1;
		else
			return &bogon_asns[mid];
	}
	return NULL;
}
