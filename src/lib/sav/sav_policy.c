/*
 * sav_policy.c - what SAV enforces: the checks on a parsed customer file,
 * the uRPF mode per interface (RFC 3704, RFC 8704) and the bogon sources
 * that are always dropped.
 *
 * Invariant after manrs_sav_check() returns 0: every customer has an
 * interface (unique, not an uplink), a homing and at least one prefix,
 * and no customer or own prefix overlaps a bogon source prefix, so
 * "drop bogon sources, then permit the customer's prefixes" never drops
 * a legitimate source.  After manrs_sav_check_families() returns 0,
 * every rendered filter either permits prefixes in a family or carries
 * the operator's empty-family choice for it: no filter silently drops
 * a whole family.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/bogon.h>

#include "sav_int.h"

#define SAV_BOGON_SOURCES_MAX	64

struct src_collect {
	struct manrs_prefix	v[SAV_BOGON_SOURCES_MAX];
	size_t			n;
};

static int
collect(const struct manrs_bogon_entry *e, void *arg)
{
	struct src_collect *c = arg;

	if (c->n == SAV_BOGON_SOURCES_MAX)
		return MANRS_E_LIMIT;
	c->v[c->n++] = e->prefix;
	return 0;
}

static int
pcmp(const void *a, const void *b)
{
	return manrs_prefix_cmp(a, b);
}

int
manrs_sav_bogon_sources(uint8_t af,
    int (*cb)(const struct manrs_prefix *p, void *arg), void *arg)
{
	struct src_collect c;
	struct manrs_prefix all;
	size_t i;
	int rc;

	memset(&all, 0, sizeof(all));
	all.af = af == MANRS_AF_INET ? MANRS_AF_INET : MANRS_AF_INET6;
	c.n = 0;
	if ((rc = manrs_bogon_walk_covered(&all, collect, &c)) != 0)
		return rc;
	qsort(c.v, c.n, sizeof(c.v[0]), pcmp);
	for (i = 0; i < c.n; i++)
		if ((rc = cb(&c.v[i], arg)) != 0)
			return rc;
	return 0;
}

struct overlap {
	const struct manrs_prefix	*p;
	const struct manrs_prefix	*hit;
	struct manrs_prefix		 store;
};

static int
overlap_cb(const struct manrs_prefix *b, void *arg)
{
	struct overlap *o = arg;

	if (manrs_prefix_covers(b, o->p) || manrs_prefix_covers(o->p, b)) {
		o->store = *b;
		o->hit = &o->store;
		return 1;
	}
	return 0;
}

/* Report p when it overlaps a bogon source; true when it does. */
static bool
bogon_overlap(const struct manrs_prefix *p, const char *file, uint64_t line,
    const char *who, struct manrs_diag_sink *sink)
{
	struct overlap o = { p, NULL, { 0, 0, { 0, 0 }, { 0 } } };
	struct manrs_bogon_match m;
	char a[MANRS_PREFIX_STRLEN], b[MANRS_PREFIX_STRLEN];

	manrs_sav_bogon_sources(p->af, overlap_cb, &o);
	if (o.hit == NULL)
		return false;
	manrs_prefix_print(p, a, sizeof(a));
	manrs_prefix_print(o.hit, b, sizeof(b));
	manrs_bogon_prefix_check(o.hit, &m);
	manrs_diag_report(sink, MANRS_SEV_ERROR, file, line, UINT64_MAX,
	    "%s: prefix %s overlaps bogon space %s (%s, %s); SAV drops bogon "
	    "sources, so it could never pass", who, a, b,
	    m.entry != NULL ? m.entry->name : "?",
	    m.entry != NULL ? m.entry->rfc : "?");
	return true;
}

/* Index + 1 of the first customer before i with c's interface, or 0;
 * records i in the hash (ifs: SAV_HASH_SLOTS slots). */
static size_t
ifname_seen(const struct manrs_sav *s, size_t i, uint32_t *ifs)
{
	const char *n = s->cust[i].ifname;
	uint32_t h;

	for (h = sav_hash(n, strlen(n)); ifs[h] != 0;
	    h = (h + 1) & (SAV_HASH_SLOTS - 1))
		if (strcmp(s->cust[ifs[h] - 1].ifname, n) == 0)
			return ifs[h];
	ifs[h] = (uint32_t)i + 1;
	return 0;
}

static int
check_customer(const struct manrs_sav *s, size_t i, const char *file,
    struct manrs_diag_sink *sink, uint32_t *ifs)
{
	const struct manrs_sav_customer *c = &s->cust[i];
	int bad = 0;
	size_t j;

#define CERR(...) do { manrs_diag_report(sink, MANRS_SEV_ERROR, file,	\
	c->line, UINT64_MAX, __VA_ARGS__); bad = 1; } while (0)
	if (c->ifname[0] == '\0')
		CERR("customer '%s': no 'interface'", c->name);
	if (c->homing == MANRS_SAV_HOMING_UNSET)
		CERR("customer '%s': no 'homing' (single or multi)", c->name);
	if (c->nprefixes == 0 && (c->nasns > 0 || c->nsets > 0))
		CERR("customer '%s': no prefixes: its origin/as-set lines "
		    "gave none (no IRR loaded, or no route objects)", c->name);
	else if (c->nprefixes == 0)
		CERR("customer '%s': no 'prefix' (an explicit-permit filter "
		    "needs at least one)", c->name);
	if (c->ifname[0] != '\0' && (j = ifname_seen(s, i, ifs)) != 0)
		CERR("customer '%s': interface '%s' already used by "
		    "customer '%s' (line %llu)", c->name, c->ifname,
		    s->cust[j - 1].name,
		    (unsigned long long)s->cust[j - 1].line);
	for (j = 0; j < s->nuplinks; j++)
		if (strcmp(s->uplinks[j], c->ifname) == 0)
			CERR("customer '%s': interface '%s' is also an uplink",
			    c->name, c->ifname);
#undef CERR
	for (j = 0; j < c->nprefixes; j++)
		if (bogon_overlap(&c->prefixes[j], file, c->line, c->name,
		    sink))
			bad = 1;
	return bad;
}

int
manrs_sav_check(const struct manrs_sav *s, const char *file,
    struct manrs_diag_sink *sink)
{
	uint32_t *ifs;
	int bad = 0;
	size_t i;

	if ((ifs = calloc(SAV_HASH_SLOTS, sizeof(*ifs))) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < s->ncust; i++)
		bad |= check_customer(s, i, file, sink, ifs);
	free(ifs);
	for (i = 0; i < s->nown; i++)
		if (bogon_overlap(&s->own[i], file, 0, "own", sink))
			bad = 1;
	if (s->ncust == 0 && s->nuplinks == 0) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, 0, UINT64_MAX,
		    "no customer and no uplink: nothing to filter");
		bad = 1;
	}
	if (s->nuplinks > 0 && s->nown == 0 && s->ncust == 0) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, 0, UINT64_MAX,
		    "uplinks but no 'own' prefix and no customer: the egress "
		    "filter would drop everything");
		bad = 1;
	}
	return bad ? MANRS_E_FORMAT : 0;
}

static bool
has_af(const struct manrs_prefix *v, size_t n, uint8_t af)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].af == af)
			return true;
	return false;
}

enum manrs_sav_fam
manrs_sav_family(const struct manrs_sav *s, const struct manrs_sav_customer *c,
    uint8_t af)
{
	enum manrs_sav_empty e = s->empty;
	size_t i;

	if (c != NULL) {
		if (has_af(c->prefixes, c->nprefixes, af))
			return MANRS_SAV_FAM_PERMIT;
		if (c->empty != MANRS_SAV_EMPTY_UNSET)
			e = c->empty;
	} else {
		if (has_af(s->own, s->nown, af))
			return MANRS_SAV_FAM_PERMIT;
		for (i = 0; i < s->ncust; i++)
			if (has_af(s->cust[i].prefixes, s->cust[i].nprefixes,
			    af))
				return MANRS_SAV_FAM_PERMIT;
	}
	return e == MANRS_SAV_EMPTY_DROP ? MANRS_SAV_FAM_DROP :
	    e == MANRS_SAV_EMPTY_OPEN ? MANRS_SAV_FAM_OPEN :
	    MANRS_SAV_FAM_UNSET;
}

int
manrs_sav_check_families(const struct manrs_sav *s, unsigned flags,
    const char *file, struct manrs_diag_sink *sink)
{
	static const uint8_t afs[2] = { MANRS_AF_INET, MANRS_AF_INET6 };
	const struct manrs_sav_customer *c;
	int bad = 0, f;
	size_t i;

	for (i = 0; i < s->ncust && !(flags & MANRS_SAV_NO_INGRESS); i++) {
		c = &s->cust[i];
		for (f = 0; f < 2; f++) {
			if (c->nprefixes == 0 || manrs_sav_family(s, c,
			    afs[f]) != MANRS_SAV_FAM_UNSET)
				continue;
			manrs_diag_report(sink, MANRS_SEV_ERROR, file, c->line,
			    UINT64_MAX, "customer '%s' has no IPv%c prefix: "
			    "its explicit-permit filter would drop all its "
			    "IPv%c traffic; say --empty-family drop (filter "
			    "it all) or open (no IPv%c filter), or "
			    "'empty-family' in its block", c->name,
			    f ? '6' : '4', f ? '6' : '4', f ? '6' : '4');
			bad = 1;
		}
	}
	for (f = 0; f < 2 && s->nuplinks > 0 &&
	    !(flags & MANRS_SAV_NO_EGRESS); f++) {
		if ((s->nown > 0 || s->ncust > 0) &&
		    manrs_sav_family(s, NULL, afs[f]) == MANRS_SAV_FAM_UNSET) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, file, 0,
			    UINT64_MAX, "uplink egress filter: no IPv%c prefix "
			    "in own or customer space: it would drop all "
			    "IPv%c leaving; say --empty-family drop or open "
			    "(or --no-egress)", f ? '6' : '4', f ? '6' : '4');
			bad = 1;
		}
	}
	return bad ? MANRS_E_FORMAT : 0;
}

const char *
manrs_sav_urpf_name(enum manrs_sav_urpf m)
{
	switch (m) {
	case MANRS_SAV_URPF_STRICT:
		return "strict";
	case MANRS_SAV_URPF_FEASIBLE:
		return "feasible";
	case MANRS_SAV_URPF_LOOSE:
		return "loose";
	case MANRS_SAV_URPF_OFF:
		return "off";
	case MANRS_SAV_URPF_AUTO:
		break;
	}
	return "auto";
}

/* Dialects with feasible-path uRPF (Junos "feasible-paths"). */
static bool
has_feasible(enum manrs_sav_dialect d)
{
	return d == MANRS_SAV_JUNOS || d == MANRS_SAV_SUMMARY;
}

enum manrs_sav_urpf
manrs_sav_urpf_mode(const struct manrs_sav_customer *c,
    enum manrs_sav_dialect d, const char **reason)
{
	switch (c->urpf) {
	case MANRS_SAV_URPF_FEASIBLE:
		if (has_feasible(d)) {
			*reason = "set in the customer file";
			return MANRS_SAV_URPF_FEASIBLE;
		}
		*reason = "feasible set in the customer file, but this dialect "
		    "has no feasible-path uRPF: loose, the explicit-permit "
		    "filter keeps it tight";
		return MANRS_SAV_URPF_LOOSE;
	case MANRS_SAV_URPF_STRICT:
	case MANRS_SAV_URPF_LOOSE:
	case MANRS_SAV_URPF_OFF:
		*reason = "set in the customer file";
		return c->urpf;
	case MANRS_SAV_URPF_AUTO:
		break;
	}
	if (c->homing == MANRS_SAV_SINGLE) {
		*reason = "single-homed: the only path back is this interface "
		    "(RFC 3704 section 2.2 strict uRPF)";
		return MANRS_SAV_URPF_STRICT;
	}
	if (has_feasible(d)) {
		*reason = "multi-homed: traffic may arrive on a link that is "
		    "not the best path back; feasible-path uRPF accepts every "
		    "path the customer announces (RFC 3704 2.3, RFC 8704)";
		return MANRS_SAV_URPF_FEASIBLE;
	}
	*reason = "multi-homed: strict uRPF would drop asymmetric traffic "
	    "and this dialect has no feasible-path mode: loose (RFC 3704 "
	    "2.4), the explicit-permit filter keeps it tight";
	return MANRS_SAV_URPF_LOOSE;
}
