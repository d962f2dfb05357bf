/*
 * manrs/spoofer.h - spoofing test results (CAIDA Spoofer-style), the
 * input of MANRS metric M5 (anti-spoofing).
 *
 * CSV, one test per line: "time,asn,prefix,spoofed".  time is unix
 * seconds or ISO 8601 UTC ("2026-11-26T12:00:00Z"); asn in any form
 * manrs_asn_parse() takes; prefix is the tested source prefix; spoofed
 * is yes/no (also true/false, 1/0, received/blocked).  A first line
 * whose first field is "time" is a header.  "#" lines are comments.
 * This is what "manrs spoof-probe" writes.
 */
#ifndef MANRS_SPOOFER_H
#define MANRS_SPOOFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_SPOOFER_LINE_MAX		1024
#define MANRS_SPOOFER_RECORDS_MAX	(64u * 1024u * 1024u)

struct manrs_spoof_test {
	int64_t			time;
	uint32_t		asn;
	bool			spoofed;	/* spoofed packets got through */
	struct manrs_prefix	prefix;
};

/* What the tests say about one AS. */
struct manrs_spoof_summary {
	uint32_t	tests;
	uint32_t	spoofable;	/* tests where spoofing got through */
	uint32_t	prefixes;	/* distinct prefixes tested */
	uint32_t	leaking;	/* distinct prefixes that leaked (raw M5) */
	int64_t		first;
	int64_t		last;
};

struct manrs_spoofer;

MANRS_API struct manrs_spoofer *manrs_spoofer_new(int *err);
MANRS_API void	manrs_spoofer_free(struct manrs_spoofer *sp);
/* Bad lines are reported (file, line) and skipped. */
MANRS_API
int	manrs_spoofer_read(struct manrs_spoofer *sp, struct manrs_input *in,
	    struct manrs_diag_sink *sink);
/*
 * CAIDA Spoofer's published session results: the Data API's JSON
 * (https://api.spoofer.caida.org/sessions: a JSON-LD collection with the
 * sessions in "hydra:member", a plain array, or one session object per
 * line as CAIDA's dump script writes).  Each session object
 *   {"session": N, "timestamp": "2020-05-07T14:34:59+00:00",
 *    "asn4": "3356", "client4": "4.30.179.0/24", "privatespoof": S,
 *    "routedspoof": S, "asn6", "client6", "privatespoof6",
 *    "routedspoof6", "country", "nat4", "nat6"}
 * gives one test per address family whose AS, client prefix and a
 * status are present: spoofed when routedspoof or privatespoof (…6) is
 * "received"; "blocked" and "rewritten" (a NAT rewrote the source) are
 * not; "unknown" or null is no test.  Other members are ignored.  A
 * session with a bad value is reported (byte offset, session id) and
 * skipped; bad JSON stops the read with MANRS_E_SYNTAX.  Objects nest at
 * most MANRS_SPOOFER_JSON_DEPTH_MAX deep.
 */
#define MANRS_SPOOFER_JSON_DEPTH_MAX	32
MANRS_API int	manrs_spoofer_read_caida(struct manrs_spoofer *sp,
	    struct manrs_input *in, struct manrs_diag_sink *sink);
/* A file of either form: JSON when its first byte is "{" or "[". */
MANRS_API int	manrs_spoofer_load(struct manrs_spoofer *sp, const char *path,
	    struct manrs_diag_sink *sink);
/*
 * Summary of the tests of asn between from and to (inclusive; 0/INT64_MAX
 * for all).  Returns false when the AS has no test in the window.
 */
MANRS_API
bool	manrs_spoofer_summary(const struct manrs_spoofer *sp, uint32_t asn,
	    int64_t from, int64_t to, struct manrs_spoof_summary *out);
/* The tests of asn, sorted by time; *out points into the set. */
MANRS_API
size_t	manrs_spoofer_tests(const struct manrs_spoofer *sp, uint32_t asn,
	    const struct manrs_spoof_test **out);
MANRS_API size_t	manrs_spoofer_count(const struct manrs_spoofer *sp);
/* Distinct ASNs, ascending; *out points into the set. */
MANRS_API size_t	manrs_spoofer_asns(const struct manrs_spoofer *sp,
	    const uint32_t **out);

/* Parse unix seconds or ISO 8601 UTC ("YYYY-MM-DD[THH:MM[:SS]][Z]"). */
MANRS_API int	manrs_time_parse(struct manrs_view v, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_SPOOFER_H */
