/*
 * audit_int.h - private structures of the audit (never installed).
 */
#ifndef MANRS_AUDIT_INT_H
#define MANRS_AUDIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/audit.h>
#include <manrs/u32map.h>

/*
 * Hash table of fixed-size byte keys -> dense index (0, 1, 2 ... in
 * insertion order).  Keys are copied into one growing array.  No
 * deletion: callers mark entries inactive instead.
 */
struct htab {
	uint64_t	*slot;		/* hash << 32 | (index + 1); 0 = empty */
	uint8_t		*keys;		/* n * ksz bytes */
	size_t		 cap;		/* slots, power of two */
	size_t		 n;
	size_t		 keycap;	/* entries room in keys/hash */
	size_t		 ksz;
};

void	htab_init(struct htab *h, size_t ksz);
void	htab_clear(struct htab *h);
/* Index of key, inserting it when absent (*inserted).  -1: no memory. */
int64_t	htab_intern(struct htab *h, const void *key, bool *inserted);
/* Index of key or -1. */
int64_t	htab_find(const struct htab *h, const void *key);
static inline const void *
htab_key(const struct htab *h, size_t i)
{
	return h->keys + i * h->ksz;
}
size_t	htab_memory(const struct htab *h);

/* Growable array helper: ensure room for one more element. */
int	audit_grow(void **p, size_t *cap, size_t n, size_t size);

/* Fault kinds a route can carry (one per culprit metric). */
enum fault {
	FAULT_LEAK,
	FAULT_HIJACK,
	FAULT_BOGON_PFX,
	FAULT_BOGON_ASN,
	FAULT_COUNT
};

/* One fault of one route: who, and who propagated it for them. */
struct fault_info {
	uint32_t	culprit;
	uint32_t	accomplice;	/* direct provider that passed it on, or 0 */
	uint32_t	other;		/* leak: the AS it was leaked to */
};

/* A route that currently carries at least one fault. */
struct active {
	int64_t			start[FAULT_COUNT];
	struct fault_info	f[FAULT_COUNT];
	uint32_t		origin;
	uint8_t			faults;		/* bit per enum fault */
};

/* A closed event: one fault of one route over [start, end]. */
struct event {
	uint32_t		asn;		/* culprit or accomplice */
	uint8_t			metric;		/* enum manrs_metric */
	uint8_t			pad[3];
	int64_t			start;
	int64_t			end;
	struct manrs_prefix	prefix;
	uint32_t		origin;
	uint32_t		other;
	uint32_t		peer;
};

/* A distinct prefix/origin pair seen in the data. */
struct pair {
	struct manrs_prefix	prefix;
	uint32_t		origin;
	uint8_t			faults;		/* audit_classify_pair() */
	uint64_t		peers;		/* bit (peer id mod 64) per peer */
	int64_t			first;
	int64_t			last;
};

/* Per-AS index into sorted arrays. */
struct span {
	uint32_t	first;
	uint32_t	count;
};

/*
 * The last path classified: consecutive routes of one UPDATE (and of
 * one peer in a RIB) mostly share it, so leak and bogon-ASN checks run
 * once per distinct path, not once per prefix.
 */
#define AUDIT_PATH_CACHE_MAX	256

struct path_cache {
	bool			valid;
	size_t			n;
	uint32_t		path[AUDIT_PATH_CACHE_MAX];
	struct fault_info	f[FAULT_COUNT];
	uint8_t			faults;
};

struct manrs_audit {
	struct manrs_audit_config	 cfg;
	const struct manrs_vrp_set	*vrps;
	const struct manrs_irrdb	*irr;
	const struct manrs_asgraph	*asrel;
	const struct manrs_peeringdb	*pdb;
	const struct manrs_spoofer	*spoof;
	struct manrs_bogon_delegated	*deleg;

	struct htab		 peers;		/* af|addr|as -> peer id */
	struct htab		 active_idx;	/* peer|prefix|path_id -> active */
	struct active		*active;
	size_t			 nactive, capactive;
	struct htab		 pair_idx;	/* prefix|origin -> pair */
	struct pair		*pairs;
	size_t			 npairs, cappairs;
	struct event		*events;
	size_t			 nevents, capevents;
	struct htab		 irr_cache;	/* prefix|origin -> verdict */
	uint8_t			*irr_verdict;
	size_t			 capverdict;
	struct manrs_u32map	 seen;		/* every ASN seen */
	struct path_cache	 pc;
	int			 err;		/* sticky (out of memory) */

	/* After finish. */
	bool			 finished;
	uint32_t		*asns;
	size_t			 nasns;
	uint32_t		*pair_by_origin;	/* pair indexes sorted by origin */
	int64_t			 start;
	int64_t			 end;
	struct manrs_audit_stats st;
	uint64_t		 bogus_time;	/* routes with time 0 */
};

/*
 * Classification of one announced route (audit_classify.c): the faults
 * of a prefix/origin pair (computed once per pair), then per route those
 * of its path, with culprits and accomplices.
 */
uint8_t	audit_classify_pair(struct manrs_audit *a,
	    const struct manrs_prefix *p, uint32_t origin);
void	audit_classify(struct manrs_audit *a, const uint32_t *path, size_t n,
	    uint8_t pair_faults, struct fault_info f[FAULT_COUNT],
	    uint8_t *faults);
/* Mark every AS of a path as seen (sets a->err when out of memory). */
void	audit_see_path(struct manrs_audit *a, const uint32_t *path, size_t n);
/* IRR verdict for prefix/origin: 1 authorised, 0 not, -1 no data. */
int	audit_irr_verdict(struct manrs_audit *a, const struct manrs_prefix *p,
	    uint32_t origin);
/* The same without caching (const context, for reports). */
int	audit_irr_lookup(const struct manrs_audit *a,
	    const struct manrs_prefix *p, uint32_t origin, bool covering);

/* Incident weighting (DESIGN "The MANRS metrics"). */
double	audit_incident_weight(int64_t seconds);

#endif /* MANRS_AUDIT_INT_H */
