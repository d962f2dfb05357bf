/*
 * vrp_int.h - private layout of a VRP set, shared by the vrp module's
 * files only (never installed, never included by other modules).
 */
#ifndef MANRS_VRP_INT_H
#define MANRS_VRP_INT_H

#include <manrs/vrp.h>

/*
 * Expiry times are kept per entry as uint32_t Unix seconds, 0 = never
 * (no "expires" in the input, SLURM assertions); later times are capped
 * at UINT32_MAX.  Duplicates merged by finish keep the latest expiry.
 */

/* While building: one (customer, provider) pair; provider 0 = AS0. */
struct vrp_aspa_pair {
	uint32_t	customer;
	uint32_t	provider;
	uint32_t	exp;
};

/* After finish: one customer with its providers in aspa_prov. */
struct vrp_aspa_rec {
	uint32_t	customer;
	uint32_t	off;
	uint32_t	n;
	uint32_t	exp;		/* latest of its ASPA objects */
};

struct vrp_rkey_rec {
	uint32_t	asn;
	uint8_t		ski[20];
	uint16_t	spki_len;
	uint32_t	spki_off;	/* into rkey_blob */
	uint32_t	exp;
};

/* One distinct prefix: what a ROV lookup touches, 24 bytes. */
struct vrp_node {
	uint64_t	hi;		/* key; IPv4 left-aligned */
	uint32_t	parent;		/* nearest covering prefix or NONE */
	uint32_t	first;		/* VRP run [first, next node's first) */
	uint32_t	asn;		/* of the run's only VRP (nrun == 1) */
	uint8_t		len;
	uint8_t		maxlen;		/* of the run's only VRP (nrun == 1) */
	uint16_t	nrun;		/* run length, capped at UINT16_MAX */
};

/* Covering-prefix index of one family (vrp_index.c). */
struct vrp_fam_index {
	bool		 v6;
	unsigned	 bbits;		/* bucket on the top address bits */
	size_t		 n;		/* distinct prefixes */
	uint64_t	*lo;		/* low key halves (IPv6 only) */
	struct vrp_node	*node;		/* n + 1 (sentinel: first = end) */
	uint32_t	*bucket;
};

int	vrp_index_build(struct vrp_fam_index *x, const struct manrs_vrp *v,
	    size_t from, size_t to, bool v6);
void	vrp_index_clear(struct vrp_fam_index *x);
size_t	vrp_index_memory(const struct vrp_fam_index *x);
uint32_t vrp_index_covering(const struct vrp_fam_index *x, uint64_t hi,
	    uint64_t lo, unsigned len);
void	vrp_index_key(const struct manrs_prefix *p, uint64_t *hi,
	    uint64_t *lo);

struct manrs_vrp_set {
	bool			 finished;
	bool			 mapped;	/* arrays in a snapshot (vrp_map.c) */
	void			(*on_free)(void *);	/* mapped: then */
	void			*on_free_arg;
	struct manrs_vrp	*vrps;
	size_t			 nvrps, capvrps, nv4;
	/*
	 * Expiry of vrps[i] after finish; NULL when no VRP carried one.
	 * While building it rides in each VRP's padding (vrp_set.c).
	 */
	uint32_t		*vexp;
	size_t			 capvexp;
	bool			 has_vexp;
	size_t			 max_vrps, max_aspas, max_rkeys;

	struct vrp_aspa_pair	*pairs;
	size_t			 npairs, cappairs;
	struct vrp_aspa_rec	*aspas;
	size_t			 naspas;
	uint32_t		*aspa_prov;
	uint32_t		*aspa_pexp;	/* expiry of aspa_prov[i] */

	struct vrp_rkey_rec	*rkeys;
	size_t			 nrkeys, caprkeys;
	struct manrs_buf	 rkey_blob;

	/* covering-prefix indexes for ROV: [0] IPv4, [1] IPv6 */
	struct vrp_fam_index	 idx[2];
	struct manrs_vrp_stats	 stats;
};

/* Parsers (vrp_json.c, vrp_csv.c). */
struct manrs_input;
int	vrp_json_read(struct manrs_vrp_set *s, struct manrs_input *in,
	    const struct manrs_vrp_read_opts *o, struct manrs_diag_sink *diag);
int	vrp_csv_read(struct manrs_vrp_set *s, struct manrs_input *in,
	    const struct manrs_vrp_read_opts *o, struct manrs_diag_sink *diag);

/* Adding with an expiry (Unix seconds, 0 = never) (vrp_set.c). */
int	vrp_add_exp(struct manrs_vrp_set *s, const struct manrs_vrp *v,
	    int64_t expires);
int	vrp_aspa_add_exp(struct manrs_vrp_set *s, uint32_t customer,
	    const uint32_t *providers, size_t n, int64_t expires);
int	vrp_rkey_add_exp(struct manrs_vrp_set *s, uint32_t asn,
	    const uint8_t ski[20], const uint8_t *spki, size_t spki_len,
	    int64_t expires);

/* Helpers (vrp_set.c). */
int	vrp_time_parse(struct manrs_view v, int64_t *out);
int	vrp_ski_hex(struct manrs_view v, uint8_t ski[20]);
int	vrp_base64(struct manrs_view v, uint8_t *out, size_t max, size_t *n);
time_t	vrp_now(const struct manrs_vrp_read_opts *o);

#endif
