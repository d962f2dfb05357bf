/*
 * audit_classify.c - what is wrong with one announced route, and whose
 * fault it is.
 *
 *   leak        RFC 7908 type 1: an AS passed a route learned from a
 *               provider or peer to a provider or peer (AS relationships);
 *               where no relationship is known, ASPA (an AS whose ASPA
 *               does not list the receiver, then a receiver that passes
 *               it to a provider it attests) as the second signal.
 *   hijack      RPKI ROV Invalid (RFC 6811); where RPKI is silent
 *               (NotFound), route objects exist for the prefix (exact or
 *               less specific) and none has this origin.
 *   bogon pfx   inside a non-globally-reachable IANA special-purpose
 *               block (RFC 6890); culprit: the origin.
 *   bogon ASN   a bogon ASN in the path; culprit: the AS that passed it
 *               toward the collector (nearest non-bogon neighbour).
 * The accomplice of a culprit is the AS that received the route from it
 * and is its provider (M1C..M4C: "propagated a customer's incident").
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/asgraph.h>
#include <manrs/bogon.h>
#include <manrs/irrdb.h>
#include <manrs/vrp.h>

#include "audit_int.h"

/* The AS at path[i-1] if it is a provider of path[i], else 0. */
/* Mark every ASN of a path as seen (for observe's AS list). */
void
audit_see_path(struct manrs_audit *a, const uint32_t *path, size_t n)
{
	uint64_t **page, bit;
	size_t i;

	for (i = 0; i < n; i++) {
		if (path[i] == 0)
			continue;
		page = &a->seen[path[i] >> 16];
		if (*page == NULL &&
		    (*page = calloc(65536 / 64, sizeof(uint64_t))) == NULL) {
			a->err = MANRS_E_NOMEM;
			return;
		}
		bit = 1ULL << (path[i] & 63);
		if (((*page)[(path[i] & 0xffff) >> 6] & bit) == 0) {
			(*page)[(path[i] & 0xffff) >> 6] |= bit;
			a->nseen++;
		}
	}
}

static uint32_t
provider_before(const struct manrs_audit *a, const uint32_t *path,
    size_t i)
{
	enum manrs_asrel r;

	if (i == 0)
		return 0;
	if (a->asrel != NULL) {
		r = manrs_asgraph_rel(a->asrel, path[i], path[i - 1]);
		return r == MANRS_ASREL_PROVIDER ? path[i - 1] : 0;
	}
	if (a->vrps != NULL && manrs_aspa_hop(a->vrps, path[i], path[i - 1]) ==
	    MANRS_ASPA_HOP_PROVIDER)
		return path[i - 1];
	return 0;
}

/* Index of path[i] ignoring prepends: collapse into dst; returns count. */
static size_t
collapse(const uint32_t *path, size_t n, uint32_t *dst)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (k == 0 || dst[k - 1] != path[i])
			dst[k++] = path[i];
	return k;
}

static bool
aspa_leak(const struct manrs_audit *a, const uint32_t *p, size_t n,
    struct fault_info *f)
{
	size_t i;

	/* Walk from the origin: from = p[i], leaker = p[i-1], to = p[i-2]. */
	for (i = n - 1; i >= 2; i--) {
		if (manrs_aspa_hop(a->vrps, p[i], p[i - 1]) !=
		    MANRS_ASPA_HOP_NOTPROVIDER)
			continue;
		if (manrs_aspa_hop(a->vrps, p[i - 1], p[i - 2]) ==
		    MANRS_ASPA_HOP_PROVIDER) {
			f->culprit = p[i - 1];
			f->other = p[i - 2];
			f->accomplice = p[i - 2];
			return true;
		}
	}
	return false;
}

static void
classify_leak(struct manrs_audit *a, const uint32_t *p, size_t n,
    struct fault_info *f, uint8_t *faults)
{
	struct manrs_leak leak;

	if (n < 3)
		return;
	if (a->asrel != NULL &&
	    manrs_asgraph_check_path(a->asrel, p, n, &leak) == MANRS_VF_LEAK) {
		f->culprit = leak.leaker;
		f->other = leak.to;
		f->accomplice = leak.to_rel == MANRS_ASREL_PROVIDER ?
		    leak.to : 0;
		*faults |= 1u << FAULT_LEAK;
		return;
	}
	if (a->cfg.aspa_leaks && a->vrps != NULL && aspa_leak(a, p, n, f))
		*faults |= 1u << FAULT_LEAK;
}

/*
 * Faults that depend only on prefix and origin (bogon prefix, hijack);
 * the pair (when given) also keeps its RPKI and IRR state for the
 * reports, so neither is looked up twice.
 */
uint8_t
audit_classify_pair(struct manrs_audit *a, const struct manrs_prefix *pfx,
    uint32_t origin, struct pair *pr)
{
	struct manrs_rov_result res;
	struct manrs_bogon_match m;
	uint8_t faults = 0, irr = 0;

	manrs_bogon_prefix_check(pfx, &m);
	if (m.kind == MANRS_BOGON_INSIDE)
		faults |= 1u << FAULT_BOGON_PFX;
	if (origin == 0)
		return faults;
	memset(&res, 0, sizeof(res));
	res.state = MANRS_ROV_NOTFOUND;
	if (a->vrps != NULL)
		(void)manrs_rov_validate(a->vrps, pfx, origin, false, &res);
	if (a->irr != NULL)
		irr = audit_irr_bits(a, pfx, origin);
	if (res.state == MANRS_ROV_INVALID || (res.state ==
	    MANRS_ROV_NOTFOUND && a->cfg.irr_hijacks && a->irr != NULL &&
	    (irr & AUDIT_IRR_ANY) && !(irr & AUDIT_IRR_COVER)))
		faults |= 1u << FAULT_HIJACK;
	if (pr != NULL) {
		pr->rov = (uint8_t)res.state;
		pr->rov_reason = (uint8_t)res.reason;
		pr->irr = irr;
	}
	return faults;
}

/* Faults that depend only on the path (leak, bogon ASN); p collapsed. */
static void
classify_path(struct manrs_audit *a, const uint32_t *p, size_t n,
    struct fault_info f[], uint8_t *faults)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (manrs_bogon_asn_find(p[i]) == NULL)
			continue;
		if (i == 0)
			break;	/* the collector's own peer: nobody to blame */
		f[FAULT_BOGON_ASN].culprit = p[i - 1];
		f[FAULT_BOGON_ASN].other = p[i];
		f[FAULT_BOGON_ASN].accomplice = provider_before(a, p, i - 1);
		*faults |= 1u << FAULT_BOGON_ASN;
		break;
	}
	classify_leak(a, p, n, &f[FAULT_LEAK], faults);
}

static uint64_t
path_hash(const uint32_t *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
	size_t i;

	for (i = 0; i < n; i++) {
		h = (h ^ p[i]) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	return h != 0 ? h : 1;
}

/* Classify a collapsed path through the path-result cache. */
static void
classify_cached(struct manrs_audit *a, const uint32_t *p, size_t n,
    struct fault_info f[], uint8_t *faults)
{
	uint64_t h = path_hash(p, n);
	struct path_slot *s;

	if (a->slots == NULL &&
	    (a->slots = calloc(AUDIT_PATH_SLOTS, sizeof(*a->slots))) == NULL) {
		classify_path(a, p, n, f, faults);
		audit_see_path(a, p, n);
		return;
	}
	s = &a->slots[h & (AUDIT_PATH_SLOTS - 1)];
	if (s->hash != h) {
		memset(f, 0, sizeof(*f) * FAULT_COUNT);
		*faults = 0;
		classify_path(a, p, n, f, faults);
		audit_see_path(a, p, n);
		s->hash = h;
		s->leak = f[FAULT_LEAK];
		s->bogon_asn = f[FAULT_BOGON_ASN];
		s->faults = *faults;
		return;
	}
	f[FAULT_LEAK] = s->leak;
	f[FAULT_BOGON_ASN] = s->bogon_asn;
	*faults = s->faults;
}

void
audit_classify(struct manrs_audit *a, const uint32_t *path, size_t n,
    uint8_t pair_faults, struct fault_info f[FAULT_COUNT], uint8_t *faults)
{
	struct path_cache *c = &a->pc;
	uint32_t cp[AUDIT_PATH_CACHE_MAX];
	size_t k;

	*faults = 0;
	if (n == 0)
		return;
	if (n > AUDIT_PATH_CACHE_MAX) {
		/* Rare: classify without collapsing or caching. */
		classify_path(a, path, n, f, faults);
		audit_see_path(a, path, n);
		k = n;
	} else {
		k = collapse(path, n, cp);
		if (!c->valid || c->n != k ||
		    memcmp(c->path, cp, k * sizeof(*cp)) != 0) {
			memcpy(c->path, cp, k * sizeof(*cp));
			c->n = k;
			memset(c->f, 0, sizeof(c->f));
			c->faults = 0;
			classify_cached(a, cp, k, c->f, &c->faults);
			c->valid = true;
		}
		memcpy(f, c->f, sizeof(c->f));
		*faults = c->faults;
		path = cp;
	}
	if (pair_faults & (1u << FAULT_BOGON_PFX)) {
		f[FAULT_BOGON_PFX].culprit = path[k - 1];
		f[FAULT_BOGON_PFX].accomplice = provider_before(a, path, k - 1);
	}
	if (pair_faults & (1u << FAULT_HIJACK)) {
		f[FAULT_HIJACK].culprit = path[k - 1];
		f[FAULT_HIJACK].accomplice = provider_before(a, path, k - 1);
	}
	*faults |= pair_faults;
}

/*
 * IRR: whether route objects cover the prefix at all, and whether one
 * has this origin, for exactly this prefix or a covering one.  The
 * lookup hands over each route object's prefix and origin, so no object
 * text is parsed.
 */
struct irr_scan {
	uint32_t	origin;
	uint8_t		len;
	uint8_t		bits;
};

static int
irr_scan_cb(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct irr_scan *s = arg;

	s->bits |= AUDIT_IRR_ANY;
	if (o->origin == s->origin) {
		s->bits |= AUDIT_IRR_COVER;
		if (o->prefix.len == s->len)
			s->bits |= AUDIT_IRR_EXACT;
	}
	return 0;
}

void
audit_irr_sel(const struct manrs_audit *a, struct manrs_irrdb_sel *sel)
{
	manrs_irrdb_sel_all(a->irr, sel);
	sel->flags &= (uint8_t)~MANRS_IRRDB_SEL_RPKI;
}

uint8_t
audit_irr_bits(const struct manrs_audit *a, const struct manrs_prefix *p,
    uint32_t origin)
{
	struct manrs_irrdb_sel sel;
	struct irr_scan s = { origin, p->len, 0 };

	if (a->irr == NULL)
		return 0;
	audit_irr_sel(a, &sel);
	(void)manrs_irrdb_find_route(a->irr, p, MANRS_IRRDB_LESS, &sel,
	    irr_scan_cb, &s);
	return s.bits;
}
