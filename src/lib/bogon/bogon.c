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
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#include "bogon_int.h"

/*
 * The table again as 128-bit network/mask pairs per family (IPv4 in the
 * top 32 bits), built once: a covering test is then two ANDs and two
 * compares instead of memcmp() on bytes.
 */
#define BOGON_FAST_MAX	128

struct fast_entry {
	uint64_t	hi, lo;		/* network */
	uint64_t	mhi, mlo;	/* mask */
	uint8_t		len;
	bool		bogon;
	uint16_t	idx;		/* into manrs_bogon_iana */
};

static struct fast_entry fast[2][BOGON_FAST_MAX];
static size_t nfast[2];
static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

static void
to_u128(const struct manrs_prefix *p, uint64_t *hi, uint64_t *lo)
{
	int i;

	*hi = *lo = 0;
	for (i = 0; i < 8; i++) {
		*hi = *hi << 8 | p->addr[i];
		*lo = *lo << 8 | p->addr[i + 8];
	}
}

static void
mask_u128(unsigned len, uint64_t *mhi, uint64_t *mlo)
{
	*mhi = len == 0 ? 0 : len >= 64 ? UINT64_MAX :
	    UINT64_MAX << (64 - len);
	*mlo = len <= 64 ? 0 : len >= 128 ? UINT64_MAX :
	    UINT64_MAX << (128 - len);
}

static void
fast_build(void)
{
	const struct manrs_bogon_entry *e;
	struct fast_entry *f;
	size_t i;
	int fam;

	for (i = 0; i < manrs_bogon_iana_count; i++) {
		e = &manrs_bogon_iana[i];
		fam = e->prefix.af == MANRS_AF_INET ? 0 : 1;
		if (nfast[fam] == BOGON_FAST_MAX)
			abort();	/* the generated table outgrew us */
		f = &fast[fam][nfast[fam]++];
		to_u128(&e->prefix, &f->hi, &f->lo);
		mask_u128(e->prefix.len, &f->mhi, &f->mlo);
		f->hi &= f->mhi;
		f->lo &= f->mlo;
		f->len = e->prefix.len;
		f->bogon = manrs_bogon_entry_is_bogon(e);
		f->idx = (uint16_t)i;
	}
}

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
	const struct fast_entry *f, *best = NULL, *covered = NULL;
	uint64_t hi, lo, mhi, mlo;
	unsigned len = p->len;
	size_t i, n;
	int fam;

	pthread_once(&fast_once, fast_build);
	fam = p->af == MANRS_AF_INET ? 0 : 1;
	n = nfast[fam];
	if (p->af == MANRS_AF_INET)
		len = len > 32 ? 32 : len;
	to_u128(p, &hi, &lo);
	mask_u128(len, &mhi, &mlo);
	hi &= mhi;
	lo &= mlo;
	for (i = 0; i < n; i++) {
		f = &fast[fam][i];
		if (f->len <= len) {
			if ((hi & f->mhi) == f->hi && (lo & f->mlo) == f->lo &&
			    (best == NULL || f->len > best->len))
				best = f;
		} else if (covered == NULL && f->bogon &&
		    (f->hi & mhi) == hi && (f->lo & mlo) == lo)
			covered = f;
	}
	if (best != NULL) {
		m->kind = best->bogon ? MANRS_BOGON_INSIDE :
		    MANRS_BOGON_REACHABLE;
		m->entry = &manrs_bogon_iana[best->idx];
	} else if (covered != NULL) {
		m->kind = MANRS_BOGON_COVERS;
		m->entry = &manrs_bogon_iana[covered->idx];
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

	/* Fast path: the public ranges, where nearly every ASN of a path is
	 * (the binary search below stays the definition). */
	if ((asn > 0 && asn < 23456) || (asn > 23456 && asn < 64496) ||
	    (asn > 131071 && asn < 4200000000u))
		return NULL;

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
