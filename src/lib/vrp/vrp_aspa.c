/*
 * vrp_aspa.c - ASPA-based AS_PATH verification, upstream and downstream
 * (draft-ietf-sidrops-aspa-verification, sections 5 and 6).
 *
 * Notation as in the draft: after collapsing prepends the path is
 * AS(N) .. AS(1), AS(1) the origin and AS(N) the neighbor that sent it.
 * hop(AS(i), AS(j)) is Provider+ when AS(i) has an ASPA listing AS(j),
 * Not Provider+ when AS(i) has an ASPA not listing it, No Attestation
 * when AS(i) has no ASPA.  An AS_SET or an empty path is Invalid.
 *   max_up_ramp: smallest I with hop(AS(I),AS(I+1)) = Not Provider+, else N
 *   min_up_ramp: smallest I with hop(AS(I),AS(I+1)) != Provider+, else N
 *   max_down_ramp: N-J+1, J largest with hop(AS(J),AS(J-1)) = Not
 *   Provider+, else N; min_down_ramp likewise with != Provider+.
 * Upstream: Invalid if max_up_ramp < N, Unknown if min_up_ramp < N,
 * else Valid.  Downstream: Invalid if max_up + max_down < N, Unknown if
 * min_up + min_down < N, else Valid.
 */
#include <stdlib.h>
#include <string.h>

#include "vrp_int.h"

#define ASPA_PATH_MAX	4096u	/* ASes after collapsing; longer = Invalid */

enum manrs_aspa_hop
manrs_aspa_hop(const struct manrs_vrp_set *s, uint32_t customer,
    uint32_t provider)
{
	struct manrs_aspa a;
	size_t lo;

	if (!manrs_vrp_aspa_find(s, customer, &a))
		return MANRS_ASPA_HOP_NOATT;
	lo = manrs_lower_bound_u32(a.providers, a.nproviders,
	    sizeof(*a.providers), 0, provider);
	if (lo < a.nproviders && a.providers[lo] == provider)
		return MANRS_ASPA_HOP_PROVIDER;
	return MANRS_ASPA_HOP_NOTPROVIDER;
}

enum manrs_aspa_state
manrs_aspa_verify(const struct manrs_vrp_set *s, const uint32_t *path,
    size_t n, bool has_set, enum manrs_aspa_dir dir)
{
	uint32_t as[ASPA_PATH_MAX + 1];	/* as[1..N], as[1] = origin */
	size_t N = 0, i, max_up, min_up, max_dn, min_dn;
	enum manrs_aspa_hop h;

	if (has_set || n == 0)
		return MANRS_ASPA_INVALID;
	for (i = n; i-- > 0;) {
		if (N > 0 && as[N] == path[i])
			continue;	/* prepend */
		if (N == ASPA_PATH_MAX)
			return MANRS_ASPA_INVALID;
		as[++N] = path[i];
	}
	if (N == 1 || (dir == MANRS_ASPA_DOWNSTREAM && N == 2))
		return MANRS_ASPA_VALID;
	max_up = min_up = N;
	for (i = 1; i < N; i++) {
		h = manrs_aspa_hop(s, as[i], as[i + 1]);
		if (h != MANRS_ASPA_HOP_PROVIDER && min_up == N)
			min_up = i;
		if (h == MANRS_ASPA_HOP_NOTPROVIDER) {
			max_up = i;
			break;
		}
	}
	if (dir == MANRS_ASPA_UPSTREAM) {
		if (max_up < N)
			return MANRS_ASPA_INVALID;
		return min_up < N ? MANRS_ASPA_UNKNOWN : MANRS_ASPA_VALID;
	}
	max_dn = min_dn = N;
	for (i = N; i > 1; i--) {
		h = manrs_aspa_hop(s, as[i], as[i - 1]);
		if (h != MANRS_ASPA_HOP_PROVIDER && min_dn == N)
			min_dn = N - i + 1;
		if (h == MANRS_ASPA_HOP_NOTPROVIDER) {
			max_dn = N - i + 1;
			break;
		}
	}
	if (max_up + max_dn < N)
		return MANRS_ASPA_INVALID;
	if (min_up + min_dn < N)
		return MANRS_ASPA_UNKNOWN;
	return MANRS_ASPA_VALID;
}

const char *
manrs_aspa_state_name(enum manrs_aspa_state st)
{
	switch (st) {
	case MANRS_ASPA_VALID:
		return "valid";
	case MANRS_ASPA_INVALID:
		return "invalid";
	default:
		return "unknown";
	}
}
