/*
 * manrs/vrp.h - validated RPKI data: VRPs, ASPAs and router keys; loading
 * (rpki-client JSON, Routinator json/jsonext, StayRTR JSON, CSV), SLURM
 * (RFC 8416 and its ASPA extension), route origin validation (RFC 6811,
 * reasons named as in RFC 6907) and ASPA path verification
 * (draft-ietf-sidrops-aspa-verification).
 *
 * A struct manrs_vrp_set is built (add / read / slurm apply), then
 * finished with manrs_vrp_set_finish(); after that it is immutable and
 * any number of threads may read it.  VRPs are kept sorted (family,
 * address, length, maxLength, ASN) and unique; ASPAs are kept sorted by
 * customer with one merged, sorted provider set per customer; router keys
 * sorted by (ASN, SKI, key).
 */
#ifndef MANRS_VRP_H
#define MANRS_VRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <manrs/prefix.h>
#include <manrs/provenance.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits. */
#define MANRS_VRP_MAX_DEFAULT		(16u * 1024u * 1024u) /* VRPs per set */
#define MANRS_VRP_ASPA_MAX_DEFAULT	(1024u * 1024u)	/* customers */
#define MANRS_VRP_ASPA_PROVIDERS_MAX	16380u	/* per customer: RTR PDU fits 64 KiB */
#define MANRS_VRP_RKEY_MAX_DEFAULT	(1024u * 1024u)
#define MANRS_VRP_SPKI_MAX		1024u	/* bytes of SubjectPublicKeyInfo */
#define MANRS_VRP_JSON_STRING_MAX	4096u	/* longest JSON string/number */
#define MANRS_VRP_JSON_DEPTH_MAX	32u
#define MANRS_VRP_CSV_LINE_MAX		4096u

/* One Validated ROA Payload (RFC 6811 section 2). */
struct manrs_vrp {
	struct manrs_prefix	prefix;
	uint8_t			maxlen;		/* >= prefix.len */
	uint8_t			pad[3];		/* zero */
	uint32_t		asn;
};

/* One ASPA: the set of providers of a customer AS (providers sorted). */
struct manrs_aspa {
	uint32_t		 customer;
	uint32_t		 nproviders;
	const uint32_t		*providers;	/* owned by the set */
};

/* One BGPsec router key (RFC 8210 section 5.10). */
struct manrs_rkey {
	uint32_t		 asn;
	uint8_t			 ski[20];
	uint16_t		 spki_len;
	const uint8_t		*spki;		/* owned by the set */
};

/* Input formats; AUTO detects JSON vs CSV by the first byte. */
enum manrs_vrp_format {
	MANRS_VRP_FMT_AUTO = 0,
	MANRS_VRP_FMT_JSON,	/* rpki-client, Routinator json/jsonext, StayRTR */
	MANRS_VRP_FMT_CSV,	/* rpki-client / Routinator CSV */
};

struct manrs_vrp_read_opts {
	enum manrs_vrp_format	format;
	/*
	 * "now" for expiry checks; 0 = time(NULL).  Entries whose
	 * "expires" is at or before now are dropped (counted in stats).
	 */
	time_t			now;
	/*
	 * Staleness limit on the whole file: when its metadata build time
	 * (or generated) is older than now - max_age seconds, the read
	 * fails with MANRS_E_RANGE.  0 = no limit.
	 */
	uint64_t		max_age;
	/* Size limits; 0 = the defaults above. */
	size_t			max_vrps;
	size_t			max_aspas;
	size_t			max_rkeys;
};

/* What a read saw (cumulative over reads into one set). */
struct manrs_vrp_stats {
	uint64_t	vrps_read;
	uint64_t	vrps_expired;
	uint64_t	aspas_read;
	uint64_t	aspas_expired;
	uint64_t	rkeys_read;
	uint64_t	rkeys_expired;
	uint64_t	slurm_vrps_filtered;
	uint64_t	slurm_aspas_filtered;
	uint64_t	slurm_rkeys_filtered;
	int64_t		buildtime;	/* from metadata; 0 = unknown */
	/* earliest expiry among the entries kept; 0 = none carried one */
	int64_t		next_expiry;
};

struct manrs_vrp_set;

/* An empty, unfinished set.  NULL when out of memory. */
MANRS_API struct manrs_vrp_set *manrs_vrp_set_new(int *err);
MANRS_API void	manrs_vrp_set_free(struct manrs_vrp_set *s);

/*
 * Add entries to an unfinished set (MANRS_E_INVAL once finished).
 * Duplicates are fine: finish merges them.  manrs_vrp_add checks the
 * prefix (no host bits) and maxlen (RFC 6482 section 3.3): MANRS_E_RANGE.
 * An ASPA with AS0 as its only provider records "no providers"; AS0
 * next to other providers is dropped from the set (draft-ietf-sidrops-
 * aspa-profile).  A customer's providers accumulate over several adds.
 * The ASPA "afi" split of older rpki-client output is merged.
 */
MANRS_API
int	manrs_vrp_add(struct manrs_vrp_set *s, const struct manrs_vrp *v);
MANRS_API int	manrs_vrp_aspa_add(struct manrs_vrp_set *s, uint32_t customer,
	    const uint32_t *providers, size_t n);
MANRS_API int	manrs_vrp_rkey_add(struct manrs_vrp_set *s, uint32_t asn,
	    const uint8_t ski[20], const uint8_t *spki, size_t spki_len);

/*
 * Read a file (plain, gzip or bzip2; "-" = stdin) into an unfinished set.
 * opts may be NULL (defaults).  Problems go to diag with file and line or
 * byte offset; the return is 0 or the first error (then the set holds a
 * partial load and should be freed).
 */
MANRS_API int	manrs_vrp_read(struct manrs_vrp_set *s, const char *path,
	    const struct manrs_vrp_read_opts *opts,
	    struct manrs_diag_sink *diag);
/* The same from memory (name is used in diagnostics). */
MANRS_API
int	manrs_vrp_read_mem(struct manrs_vrp_set *s, const void *p, size_t len,
	    const char *name, const struct manrs_vrp_read_opts *opts,
	    struct manrs_diag_sink *diag);

/*
 * Sort, merge duplicates, build the lookup structures.  After this the
 * set is read-only.  0 or MANRS_E_NOMEM / MANRS_E_LIMIT.
 */
MANRS_API int	manrs_vrp_set_finish(struct manrs_vrp_set *s);
MANRS_API bool	manrs_vrp_set_finished(const struct manrs_vrp_set *s);

/*
 * What is left of a finished set at time now: a new finished set without
 * the VRPs, ASPA providers (a customer goes when all its ASPA objects
 * have) and router keys whose "expires" is at or before now; the rest
 * keeps the same order.  Its stats are s's, with the entries withdrawn
 * added to the *_expired counts and next_expiry recomputed.  For a daemon
 * that must stop serving stale entries even when reloading the input
 * fails.  NULL with *err: MANRS_E_NOMEM, MANRS_E_INVAL (not finished).
 */
MANRS_API
struct manrs_vrp_set *manrs_vrp_set_expire(const struct manrs_vrp_set *s,
	    time_t now, int *err);

/*
 * Provenance of one file read into a set: before is a copy of the set's
 * statistics taken before the read (NULL = the first read), after the
 * statistics after it.  Fills p's records (VRPs in force), in_force,
 * expired (at judged_at, the "now" of the read), judged_at, and the data
 * time: the file's metadata build time ("buildtime"), else the mtime of
 * p->path.  p's kind ("vrps") and path are the caller's
 * (manrs_provenance_init); skipped is left to the caller (its sink
 * counts).
 */
MANRS_API void	manrs_vrp_provenance(const struct manrs_vrp_stats *before,
	    const struct manrs_vrp_stats *after, time_t judged_at,
	    struct manrs_provenance *p);

/* Accessors (finished set). af 0 = both families. */
MANRS_API
size_t	manrs_vrp_count(const struct manrs_vrp_set *s, uint8_t af);
/* i-th VRP in sort order (IPv4 first); NULL past the end. */
MANRS_API const struct manrs_vrp *manrs_vrp_get(const struct manrs_vrp_set *s,
	    size_t i);
/* Expiry of the i-th VRP (Unix seconds); 0: never, unknown, past the end. */
MANRS_API int64_t manrs_vrp_expires(const struct manrs_vrp_set *s, size_t i);
MANRS_API size_t	manrs_vrp_aspa_count(const struct manrs_vrp_set *s);
MANRS_API int	manrs_vrp_aspa_get(const struct manrs_vrp_set *s, size_t i,
	    struct manrs_aspa *out);
/* The ASPA of customer, if any. */
MANRS_API
bool	manrs_vrp_aspa_find(const struct manrs_vrp_set *s, uint32_t customer,
	    struct manrs_aspa *out);
MANRS_API size_t	manrs_vrp_rkey_count(const struct manrs_vrp_set *s);
MANRS_API int	manrs_vrp_rkey_get(const struct manrs_vrp_set *s, size_t i,
	    struct manrs_rkey *out);
MANRS_API const struct manrs_vrp_stats *manrs_vrp_set_stats(
	    const struct manrs_vrp_set *s);
/* Bytes of memory held by the set. */
MANRS_API size_t	manrs_vrp_set_memory(const struct manrs_vrp_set *s);
/* Total order used for VRPs (family, address, len, maxlen, asn). */
MANRS_API
int	manrs_vrp_cmp(const struct manrs_vrp *a, const struct manrs_vrp *b);

/*
 * SLURM (RFC 8416; slurmVersion 2 adds aspaFilters/aspaAssertions).
 * Parsed into an opaque object, then applied to an unfinished set:
 * filters remove matching loaded entries, assertions add entries
 * (RFC 8416 section 4: filters do not remove assertions).
 */
struct manrs_slurm;

MANRS_API struct manrs_slurm *manrs_slurm_read(const char *path,
	    struct manrs_diag_sink *diag, int *err);
MANRS_API struct manrs_slurm *manrs_slurm_read_mem(const void *p, size_t len,
	    const char *name, struct manrs_diag_sink *diag, int *err);
MANRS_API void	manrs_slurm_free(struct manrs_slurm *sl);
MANRS_API int	manrs_slurm_apply(const struct manrs_slurm *sl,
	    struct manrs_vrp_set *s);

/*
 * Route origin validation (RFC 6811 section 2).
 */
enum manrs_rov_state {
	MANRS_ROV_NOTFOUND = 0,
	MANRS_ROV_VALID = 1,
	MANRS_ROV_INVALID = 2,
};

/* Why a route is Invalid (RFC 6907 section 3 names). */
enum manrs_rov_reason {
	MANRS_ROV_REASON_NONE = 0,
	MANRS_ROV_REASON_AS,	/* covered, no VRP has the origin AS */
	MANRS_ROV_REASON_ML,	/* origin matches but prefix too long */
	MANRS_ROV_REASON_MLAS,	/* neither AS nor length matches */
	MANRS_ROV_REASON_ASSET,	/* origin is an AS_SET (RFC 6811 sec. 2) */
};

struct manrs_rov_result {
	enum manrs_rov_state	state;
	enum manrs_rov_reason	reason;
	uint32_t		covering;	/* covering VRPs seen */
	/*
	 * VALID: the matching VRP.  INVALID: for ML one with the origin AS,
	 * for AS one allowing the length, else the most specific covering.
	 */
	struct manrs_vrp	vrp;
};

/*
 * Validate a route.  origin_is_set: the origin is an AS_SET or the path
 * is empty, so no VRP can match (RFC 6811: "NONE").  res may be NULL.
 */
MANRS_API enum manrs_rov_state manrs_rov_validate(const struct manrs_vrp_set *s,
	    const struct manrs_prefix *p, uint32_t origin, bool origin_is_set,
	    struct manrs_rov_result *res);
/*
 * Validate n routes at once (origins never AS_SETs); out[i] gets the
 * state of p[i]/origin[i].  Same answers as manrs_rov_validate(), faster
 * for bulk work (lookups are interleaved so memory loads overlap).
 */
MANRS_API void	manrs_rov_validate_many(const struct manrs_vrp_set *s,
	    const struct manrs_prefix *p, const uint32_t *origin, size_t n,
	    enum manrs_rov_state *out);
MANRS_API const char *manrs_rov_state_name(enum manrs_rov_state st);
MANRS_API const char *manrs_rov_reason_name(enum manrs_rov_reason r);

/*
 * ASPA path verification (draft-ietf-sidrops-aspa-verification).
 * path is the AS_PATH as received: path[0] = the neighbor that sent it,
 * path[n-1] = the origin.  Prepends are collapsed.  has_set: the AS_PATH
 * held an AS_SET (then the result is INVALID).
 */
enum manrs_aspa_state {
	MANRS_ASPA_VALID = 0,
	MANRS_ASPA_UNKNOWN = 1,
	MANRS_ASPA_INVALID = 2,
};

enum manrs_aspa_dir {
	MANRS_ASPA_UPSTREAM,	/* received from a customer or lateral peer */
	MANRS_ASPA_DOWNSTREAM,	/* received from a provider */
};

/* hop(a, b): does a attest b as provider? */
enum manrs_aspa_hop {
	MANRS_ASPA_HOP_NOATT = 0,	/* a has no ASPA */
	MANRS_ASPA_HOP_PROVIDER,
	MANRS_ASPA_HOP_NOTPROVIDER,
};

MANRS_API enum manrs_aspa_hop manrs_aspa_hop(const struct manrs_vrp_set *s,
	    uint32_t customer, uint32_t provider);
MANRS_API enum manrs_aspa_state manrs_aspa_verify(const struct manrs_vrp_set *s,
	    const uint32_t *path, size_t n, bool has_set,
	    enum manrs_aspa_dir dir);
MANRS_API const char *manrs_aspa_state_name(enum manrs_aspa_state st);


/*
 * Snapshots (manrs/db.h).  A finished set as flat parts in native byte
 * order: manrs_vrp_part_write() streams part number part through cb
 * (0 or an error that stops it).  manrs_vrp_map() makes a finished,
 * read-only set that uses parts in place (they must outlive it;
 * manrs_vrp_set_free() frees only the handle), after checking every
 * count, index and offset; MANRS_E_SYNTAX with the reason in why.
 */
enum manrs_vrp_part_id {
	MANRS_VRP_PART_META,
	MANRS_VRP_PART_VRPS,
	MANRS_VRP_PART_VEXP,		/* empty: no expiry carried */
	MANRS_VRP_PART_ASPAS,
	MANRS_VRP_PART_ASPA_PROV,
	MANRS_VRP_PART_ASPA_PEXP,
	MANRS_VRP_PART_RKEYS,
	MANRS_VRP_PART_RKEY_BLOB,
	MANRS_VRP_PART_NODE4,
	MANRS_VRP_PART_BUCKET4,
	MANRS_VRP_PART_NODE6,
	MANRS_VRP_PART_LO6,
	MANRS_VRP_PART_BUCKET6,
	MANRS_VRP_PART_COUNT
};
struct manrs_vrp_part {
	const void	*p;
	size_t		 len;
};
typedef int (*manrs_vrp_write_cb)(const void *p, size_t len, void *arg);
MANRS_API
int	manrs_vrp_part_write(const struct manrs_vrp_set *s, unsigned part,
	    manrs_vrp_write_cb cb, void *arg);
MANRS_API struct manrs_vrp_set *manrs_vrp_map(
	    const struct manrs_vrp_part parts[MANRS_VRP_PART_COUNT],
	    char *why, size_t whysize, int *err);
/*
 * A mapped set: fn(arg) runs after manrs_vrp_set_free() has freed it,
 * so the owner of the parts can release them (manrs_db_take_vrps).
 * Ignored for a heap set.
 */
MANRS_API
void	manrs_vrp_set_on_free(struct manrs_vrp_set *s, void (*fn)(void *),
	    void *arg);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_VRP_H */
