/*
 * audit_int.h - private structures of the audit (never installed).
 */
#ifndef MANRS_AUDIT_INT_H
#define MANRS_AUDIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/audit.h>
#include <manrs/irrdb.h>
#include <manrs/mrt.h>
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

/*
 * A route (peer, prefix, path id) that currently carries a fault.  They
 * are kept per prefix (struct trackvec), so finding the one of a route is
 * a short linear scan of that prefix's routes, with no hash table.
 */
struct active {
	uint32_t		peer;
	uint32_t		path_id;
	uint32_t		origin;		/* culprit of hijack, bogon prefix */
	uint32_t		start[FAULT_COUNT];	/* unix seconds */
	uint32_t		acc_hijack;	/* their accomplices */
	uint32_t		acc_bogon_pfx;
	struct fault_info	leak;		/* path faults: all three ASNs */
	struct fault_info	bogon_asn;
	uint8_t			faults;		/* bit per enum fault */
	uint16_t		file;		/* MRT file (index + 1) */
	uint8_t			head;		/* faults opened by the route's
						 * first operation (partial) */
};

/*
 * Partial mode (manrs_audit_set_partial): what merging this shard after
 * others needs.  The first operation of each route, each peer down and
 * each gap, in stream order (an earlier shard's open faults meet them),
 * and the events opened by a first operation, kept raw: they may go on
 * an earlier shard's event.
 */
enum head_kind {
	HEAD_ROUTE,
	HEAD_PEER_DOWN,
	HEAD_GAP,
};

struct head {
	uint8_t			kind;
	uint8_t			faults;
	uint32_t		peer;
	uint32_t		path_id;
	struct manrs_prefix	prefix;
	int64_t			t;
	uint32_t		culprit[FAULT_COUNT];
	uint32_t		accomplice[FAULT_COUNT];
};

struct hevent {
	uint32_t		peer;
	uint32_t		path_id;
	struct manrs_prefix	prefix;
	uint8_t			k;		/* enum fault */
	int64_t			start;
	int64_t			end;
	struct fault_info	f;
	uint32_t		origin;
	uint16_t		file;
};

#define AUDIT_ROUTE_KEY_LEN	(8 + sizeof(struct manrs_prefix))
void	audit_route_key(uint8_t key[AUDIT_ROUTE_KEY_LEN], uint32_t peer,
	    uint32_t path_id, const struct manrs_prefix *p);
/* The event e (fault k) as closed, from start: into the incidents. */
int	audit_push_hevent(struct manrs_audit *a, const struct hevent *e,
	    int64_t start);

/*
 * An incident: the events (one fault of one route over [start, end]) of
 * one AS and metric that overlap in time, merged as they close.  The
 * earliest event is kept as the sample for the evidence.
 */
struct incident {
	int64_t			start;
	int64_t			end;
	uint64_t		peers;		/* bit (peer id mod 64) per peer */
	uint32_t		events;
	uint32_t		origin;		/* of the sample event */
	uint32_t		other;
	uint16_t		file;		/* its MRT file (index + 1) */
	struct manrs_prefix	prefix;
};

/* The incidents of one AS and metric: disjoint, sorted by start. */
struct inclist {
	struct incident		*v;
	size_t			 n, cap;
};

/* The faulty routes of one tracked prefix. */
struct trackvec {
	struct active		*v;
	uint32_t		 n, cap;
};

/* A distinct prefix/origin pair seen in the data. */
struct pair {
	struct manrs_prefix	prefix;
	uint32_t		origin;
	uint8_t			faults;		/* audit_classify_pair() */
	uint8_t			rov;		/* enum manrs_rov_state */
	uint8_t			rov_reason;	/* enum manrs_rov_reason */
	uint8_t			irr;		/* AUDIT_IRR_* bits */
	uint16_t		file;		/* MRT file first seen in (+ 1) */
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

/*
 * Beyond the last path: a direct-mapped cache of path results keyed by a
 * 64-bit hash of the collapsed path (collisions are ignored: at 2^-64 a
 * lookup they do not happen at Internet scale).  A path's ASNs are
 * marked as seen when its entry is made, so a hit skips that too.
 */
#define AUDIT_PATH_SLOTS	(1u << 18)

struct path_slot {
	uint64_t		hash;		/* 0 = empty */
	struct fault_info	leak;
	struct fault_info	bogon_asn;
	uint8_t			faults;
};

/* Holders of address space (audit_holders.c). */
#define AUDIT_HOLDER_REGS_MAX	16

struct holder {
	struct manrs_prefix	start;	/* IPv4: first address (len 32) */
	uint64_t		count;	/* IPv4 addresses; 0 for IPv6 */
	uint8_t			reg;
};

/* An ASN range of delegated stats: who registered it, for which country. */
struct asn_holder {
	uint32_t		first;
	uint32_t		last;
	char			cc[3];	/* ISO 3166 alpha-2, "" unknown */
	uint8_t			reg;
};

struct holders {
	struct holder		*v;
	size_t			 n, cap;
	struct asn_holder	*as;	/* sorted by first (finish) */
	size_t			 nas, capas;
	bool			 sorted;
	char			 regs[AUDIT_HOLDER_REGS_MAX][16];
	int			 nregs;
	int64_t			 time;	/* newest version-line end date */
};

void	audit_holders_finish(struct holders *h);
void	audit_holders_clear(struct holders *h);
/* The RIR and the allocation (block) holding p, if known. */
bool	audit_holder_find(const struct manrs_audit *a,
	    const struct manrs_prefix *p, const char **registry,
	    struct manrs_prefix *allocation);

/* The RIR and country an ASN is delegated to, if known. */
bool	audit_asn_holder_find(const struct manrs_audit *a, uint32_t asn,
	    const char **registry, const char **cc);

/* MRT files streamed, in order; routes carry index + 1 (0: none). */
#define AUDIT_FILES_MAX		65535


struct manrs_audit {
	struct manrs_audit_config	 cfg;
	const struct manrs_vrp_set	*vrps;	/* NULL: none in force */
	bool				 vrps_empty; /* none in force */
	const struct manrs_irrdb	*irr;
	const struct manrs_asgraph	*asrel;
	const struct manrs_peeringdb	*pdb;
	const struct manrs_spoofer	*spoof;
	struct manrs_bogon_delegated	*deleg;
	int64_t				 deleg_time;
	uint64_t			 irr_routes;	/* route objects */
	uint64_t			 irr_autnums;
	uint64_t			 irr_contacts;	/* person + role */
	struct holders			 holders;
	struct manrs_audit_file		*files;
	size_t				 nfiles, capfiles;
	uint16_t			 cur_file;	/* index + 1 */
	uint16_t			 end_file;	/* of the latest time */
	struct manrs_audit_gap		*gaps;
	size_t				 ngaps, capgaps;

	struct htab		 peers;		/* af|addr|as -> peer id */
	struct trackvec		*tv;		/* per tracked prefix */
	size_t			 captv;
	struct htab		 pair_idx;	/* prefix|origin -> pair */
	struct pair		*pairs;
	size_t			 npairs, cappairs;
	struct htab		 inc_idx;	/* asn << 8 | metric -> list */
	struct inclist		*incs;
	size_t			 nincs, capincs;
	/* Every ASN seen: a bitmap of 2^16 lazily allocated 8 KiB pages. */
	uint64_t		*seen[65536];
	size_t			 nseen;
	struct path_cache	 pc;
	struct path_slot	*slots;		/* AUDIT_PATH_SLOTS, lazily */
	/*
	 * Consecutive routes mostly share their prefix (RIB records hold all
	 * peers of one prefix; UPDATEs many prefixes of one path): the last
	 * pair and whether the last prefix ever carried a fault are cached,
	 * so a clean route usually costs no hash probe of the fault table.
	 */
	struct htab		 tracked;	/* prefixes that had a fault */
	struct manrs_prefix	 lp;		/* last prefix looked up */
	int64_t			 lp_idx;	/* its tracked index or -1 */
	bool			 lp_valid;
	uint8_t			 lpair_key[sizeof(struct manrs_prefix) + 4];
	int64_t			 lpair_idx;	/* -1: none */
	int			 err;		/* sticky (out of memory) */
	/*
	 * Jobs (audit_jobs.c): a context of a job classifies the routes of
	 * its shard of the prefixes and only counts the others (FILTERED),
	 * so that peer ids, route ordinals and times agree in every job.
	 */
	unsigned		 shard, nshards;	/* nshards 0: no jobs */
	uint64_t		 ord;		/* routes streamed, all shards */
	uint64_t		*pair_seq;	/* jobs: ord of a pair's first */
	size_t			 cappseq;
	uint32_t		*pair_rank;	/* jobs merged: each pair's rank
						   in first-route order (one
						   run: its index) */
	uint32_t		*pcache;	/* TABLE_DUMP_V2 peer index ->
						   peer id + 1, per file and
						   PEER_INDEX_TABLE */
	uint16_t		 pcache_file;
	uint32_t		 pcache_table;
	int64_t			 last_t;	/* of the last note_time() */
	uint16_t		 last_t_file;
	bool			 closed;	/* audit_close_stream() done */
	bool			 partial;	/* manrs_audit_set_partial */
	struct htab		 routes;	/* partial: routes seen (peers
						   from 64 on, path ids) */
	struct htab		 rpfx;		/* partial: prefixes seen */
	uint64_t		*rbits;		/* per prefix: peers < 64
						   seen with path id 0 */
	size_t			 caprbits;
	struct manrs_prefix	 lrp;		/* last prefix of rpfx */
	int64_t			 lrp_idx;	/* -1: none */
	struct head		*heads;
	size_t			 nheads, capheads;
	struct hevent		*hevs;
	size_t			 nhevs, caphevs;

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
	    const struct manrs_prefix *p, uint32_t origin, struct pair *pr);
void	audit_classify(struct manrs_audit *a, const uint32_t *path, size_t n,
	    uint8_t pair_faults, struct fault_info f[FAULT_COUNT],
	    uint8_t *faults);
/* Mark every AS of a path as seen (sets a->err when out of memory). */
void	audit_see_path(struct manrs_audit *a, const uint32_t *path, size_t n);
/* What the IRR says about prefix/origin (audit_irr_bits). */
#define AUDIT_IRR_ANY	0x01	/* route objects cover the prefix */
#define AUDIT_IRR_EXACT	0x02	/* one for exactly this prefix and origin */
#define AUDIT_IRR_COVER	0x04	/* one with this origin, exact or covering */
uint8_t	audit_irr_bits(const struct manrs_audit *a,
	    const struct manrs_prefix *p, uint32_t origin);
/*
 * Every source, every object: what is registered counts as registered
 * even where RPKI says the route object is invalid (a snapshot built
 * with VRPs marks those, and irrd hides them; the audit judges RPKI on
 * its own, so --db and the dumps give the same verdicts).
 */
void	audit_irr_sel(const struct manrs_audit *a, struct manrs_irrdb_sel *sel);

/*
 * Building one AS's report (audit_report.c, audit_fixes.c).
 */
struct autnum_scan {
	unsigned	imports;
	unsigned	exports;
	unsigned	admin;		/* admin-c / tech-c handles */
	unsigned	abuse;		/* abuse-c or abuse-mailbox */
	unsigned	resolved;	/* handles found with an e-mail */
	unsigned	unresolved;
	bool		found;
	char		name[64];	/* as-name */
	char		source[32];	/* the IRR source holding it */
	int		src;		/* its index, -1 */
	char		mntby[64];	/* its first mnt-by */
	char		handles[8][64];
	unsigned	nhandles;
};

/* A ROA prefix to propose, before grouping. */
struct pending_roa {
	struct manrs_prefix	prefix;
	struct manrs_prefix	alloc;
	bool			has_alloc;
	const char		*rir;	/* "" unknown */
};

struct builder {
	const struct manrs_audit	*a;
	struct manrs_audit_report	*r;
	const struct autnum_scan	*s;
	size_t				 capev;
	size_t				 capfix;
	unsigned			 flags;
	unsigned			 per_metric[MANRS_METRIC_COUNT];
	struct pending_roa		*roas;
	size_t				 nroas, caproas;
	int				 err;
};

/* Without a value: the missing input and where to get it (docs/audit.md). */
#define MISS_BGP	"no BGP data loaded (--rib/--updates; manrs sync " \
			"ris or routeviews)"
#define MISS_NOTSEEN	"not seen: the AS is on no route of the BGP data"
#define MISS_NOWHERE	"the AS appears in no input (no route, aut-num or " \
			"PeeringDB record)"
#define MISS_NOPFX	"the AS originates no prefix in the BGP data"
#define MISS_IRR	"no IRR loaded (--source; manrs sync irr)"
#define MISS_ROUTES	"no route objects loaded (--source; manrs sync irr)"
#define MISS_AUTNUMS	"no aut-num objects loaded (--source with aut-num " \
			"objects; manrs sync irr)"
#define MISS_VRPS	"no VRPs loaded (--vrps; manrs sync rpki)"
#define MISS_VRPS_EXPIRED "no VRP in force at the judging time " \
			"(all expired; judge at the snapshot's build time " \
			"with --now)"
#define MISS_SPOOFER	"no spoofing results loaded (--spoofer; manrs sync " \
			"spoofer)"
#define MISS_SPOOF_AS	"no spoofing test of this AS in the loaded results"
#define MISS_ASREL	"no AS relationships loaded (--asrel; manrs sync asrel)"
#define MISS_SPOOF_CUST	"no spoofing test of a direct customer in the " \
			"loaded results"
#define MISS_CONTACTS	"no contact data: aut-num with person/role objects " \
			"(--source; manrs sync irr) or PeeringDB poc records " \
			"(--peeringdb; manrs sync peeringdb)"

/* Evidence item of metric m (NULL when not kept or out of memory). */
struct manrs_audit_evidence *audit_add_ev(struct builder *b,
	    enum manrs_metric m, enum manrs_evidence_kind k);
/* The aut-num of asn, and what it and PeeringDB say (audit_coord.c). */
void	audit_find_autnum(const struct manrs_audit *a, uint32_t asn,
	    struct autnum_scan *s);
void	audit_policy(struct builder *b, const struct autnum_scan *s);
void	audit_contacts(struct builder *b, const struct autnum_scan *s);
struct manrs_audit_fix *audit_add_fix(struct builder *b,
	    enum manrs_fix_kind k, enum manrs_action act, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* Index in pair_by_origin of the first pair of origin asn. */
size_t	audit_pairs_of(const struct manrs_audit *a, uint32_t asn);
/* ROAs (grouped), route objects, aut-num skeleton (audit_fixes.c). */
void	audit_fix_roa(struct builder *b, const struct manrs_prefix *p);
void	audit_fix_roas_flush(struct builder *b);
void	audit_fix_route(struct builder *b, const struct manrs_prefix *p);
void	audit_fix_autnum(struct builder *b);
/* The IRR source name ("RIPE", ...) for a delegated registry name. */
const char *audit_rir_source(const char *registry);

/*
 * For merging partials (audit_partial.c): the stream operations of
 * audit.c on whole incidents and faulty routes.
 */
int	audit_merge_incident(struct manrs_audit *a, uint64_t key,
	    const struct incident *y);
int	audit_close_gap(struct manrs_audit *a, int64_t t);
/* Close every open fault of route i of vector tidx at t. */
int	audit_close_all(struct manrs_audit *a, uint32_t tidx, uint32_t i,
	    int64_t t);
/* Fault k of a route as stored compactly in struct active. */
void	audit_get_fault(const struct active *ac, unsigned k,
	    struct fault_info *f);
struct active *audit_find_active(struct manrs_audit *a, uint32_t tidx,
	    uint32_t peer, uint32_t path_id, uint32_t *pos);
struct active *audit_add_active(struct manrs_audit *a, uint32_t tidx,
	    uint32_t peer, uint32_t path_id, uint32_t *pos);

/*
 * Stream one MRT file (keep: a prefix filter, or NULL), as
 * manrs_audit_add_mrt(); close every fault still open at the end of the
 * period (manrs_audit_finish() does it too).
 */
int	audit_stream_mrt(struct manrs_audit *a, const char *path,
	    struct manrs_diag_sink *sink, manrs_mrt_keep_fn *keep, void *arg);
int	audit_close_stream(struct manrs_audit *a);

/* Incident weighting (DESIGN "The MANRS metrics"). */
double	audit_incident_weight(int64_t seconds);

#endif /* MANRS_AUDIT_INT_H */
