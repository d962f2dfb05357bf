/*
 * vrp_int.h - private layout of a VRP set, shared by the vrp module's
 * files only (never installed, never included by other modules).
 */
#ifndef MANRS_VRP_INT_H
#define MANRS_VRP_INT_H

#include <manrs/trie.h>
#include <manrs/vrp.h>

/* While building: one (customer, provider) pair; provider 0 = AS0. */
struct vrp_aspa_pair {
	uint32_t	customer;
	uint32_t	provider;
};

/* After finish: one customer with its providers in aspa_prov. */
struct vrp_aspa_rec {
	uint32_t	customer;
	uint32_t	off;
	uint32_t	n;
};

struct vrp_rkey_rec {
	uint32_t	asn;
	uint8_t		ski[20];
	uint16_t	spki_len;
	uint32_t	spki_off;	/* into rkey_blob */
};

struct manrs_vrp_set {
	bool			 finished;
	struct manrs_vrp	*vrps;
	size_t			 nvrps, capvrps, nv4;
	size_t			 max_vrps, max_aspas, max_rkeys;

	struct vrp_aspa_pair	*pairs;
	size_t			 npairs, cappairs;
	struct vrp_aspa_rec	*aspas;
	size_t			 naspas;
	uint32_t		*aspa_prov;

	struct vrp_rkey_rec	*rkeys;
	size_t			 nrkeys, caprkeys;
	struct manrs_buf	 rkey_blob;

	/* prefix -> index of the first VRP with that prefix */
	struct manrs_trie	*trie;
	struct manrs_vrp_stats	 stats;
};

/* Parsers (vrp_json.c, vrp_csv.c). */
struct manrs_input;
int	vrp_json_read(struct manrs_vrp_set *s, struct manrs_input *in,
	    const struct manrs_vrp_read_opts *o, struct manrs_diag_sink *diag);
int	vrp_csv_read(struct manrs_vrp_set *s, struct manrs_input *in,
	    const struct manrs_vrp_read_opts *o, struct manrs_diag_sink *diag);

/* Helpers (vrp_set.c). */
int	vrp_time_parse(struct manrs_view v, int64_t *out);
int	vrp_ski_hex(struct manrs_view v, uint8_t ski[20]);
int	vrp_base64(struct manrs_view v, uint8_t *out, size_t max, size_t *n);
time_t	vrp_now(const struct manrs_vrp_read_opts *o);

#endif
