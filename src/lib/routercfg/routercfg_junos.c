/*
 * routercfg_junos.c - Junos configurations, in the curly-brace form
 * ("show configuration") or as "set" commands ("display set", and what
 * `manrs sav -d junos` prints).  Both become statements: the path of
 * words from the top of the hierarchy ("protocols bgp group T neighbor
 * 192.0.2.1 import P"), with its line; "[ a b ]" lists become one
 * statement per element, "inactive:" statements and "deactivate" lines
 * are left out.
 *
 * Modelled: routing-options autonomous-system and validation (RTR
 * sessions, static records); policy-options prefix-list,
 * route-filter-list, as-path and as-path-group (Junos AS-path regexes:
 * atoms are whole ASNs, "." any ASN, "a-b" ranges, implicitly anchored;
 * compiled to POSIX over "A B C "), policy-statement terms (from
 * prefix-list, prefix-list-filter, route-filter, route-filter-list,
 * as-path, as-path-group, validation-database, community, protocol,
 * neighbor, family; then accept, reject, next term, next policy);
 * protocols bgp groups and neighbors (type, peer-as, local-as,
 * import/export chains, prefix-limit / accepted-prefix-limit); BGP's
 * default policies (import accepts, export advertises active BGP
 * routes); interfaces units with addresses, rpf-check (mode loose) and
 * input/output filters; firewall family inet/inet6 filters (terms on
 * source-address; implicit discard at the end).
 *
 * Values of one kind in a term's "from" are alternatives, different
 * kinds all must hold: a term becomes one rule per combination (bounded).
 */
#include <stdlib.h>
#include <string.h>

#include "routercfg_int.h"

#define JUNOS_WORDS_MAX		64	/* words in one statement */
#define JUNOS_DEPTH_MAX		32	/* hierarchy levels */
#define JUNOS_TERM_COMBOS_MAX	256	/* rules one term may become */

struct stmt {
	struct manrs_view	w[JUNOS_WORDS_MAX];
	uint32_t		wl[JUNOS_WORDS_MAX];	/* line of each word */
	size_t			n;
	uint32_t		line;
};

struct jterm {
	char		*policy;	/* owner policy name */
	char		*name;
	uint32_t	 line;
	/* from: per kind a list of atoms (alternatives) */
	struct rc_atom	*from[8];
	size_t		 nfrom[8], capfrom[8];
	enum rc_action	 act;
	bool		 has_act;
	bool		 firewall;
};

struct jgroup {
	char		*name;
	uint32_t	 line;
	bool		 internal;
	uint32_t	 peer_as, local_as, limit;
	char		*imp[8], *exp[8];
	size_t		 nimp, nexp;
	uint32_t	 imp_line, exp_line;
	bool		 fam_set, fam[2];	/* "family inet|inet6" given */
};

struct junos {
	struct manrs_rc	*rc;
	struct jterm	*t;
	size_t		 nt, capt;
	struct jgroup	*g;
	size_t		 ng, capg;
	/* neighbors: a group of their own with parent index */
	struct jgroup	*nb;
	size_t		 nnb, capnb;
	size_t		*nb_parent;
	size_t		 capnbp;
	unsigned	 anon;
};

static bool
eq(struct manrs_view v, const char *s)
{
	return manrs_view_eq(v, s);
}

/* Kinds of "from" (index into jterm.from). */
enum { K_PREFIX, K_ASPATH, K_RPKI, K_COMM, K_PROTO, K_NEIGHBOR, K_FAMILY,
	K_OTHER };

static struct jterm *
term_get(struct junos *j, struct manrs_view pol, struct manrs_view name,
    bool firewall, uint32_t line)
{
	struct jterm *t;

	for (size_t i = j->nt; i-- > 0;) {
		t = &j->t[i];
		if (t->firewall == firewall && manrs_view_eq(pol, t->policy) &&
		    manrs_view_eq(name, t->name))
			return t;
	}
	if (j->nt >= MANRS_RC_OBJECTS_MAX ||
	    manrs_grow((void **)&j->t, &j->capt, j->nt, sizeof(*j->t))) {
		j->rc->err = MANRS_E_NOMEM;
		return NULL;
	}
	t = &j->t[j->nt++];
	memset(t, 0, sizeof(*t));
	t->policy = rc_strdup(j->rc, pol);
	t->name = rc_strdup(j->rc, name);
	t->firewall = firewall;
	t->line = line;
	return t;
}

static void
term_from(struct junos *j, struct jterm *t, int kind, const struct rc_atom *a)
{
	if (t->nfrom[kind] >= 4096 || manrs_grow((void **)&t->from[kind],
	    &t->capfrom[kind], t->nfrom[kind], sizeof(*a))) {
		j->rc->err = MANRS_E_NOMEM;
		return;
	}
	t->from[kind][t->nfrom[kind]++] = *a;
}

/* The decimal numbers lo..hi as an ERE alternation (no anchors). */
static void
range_re(uint32_t lo, uint32_t hi, char *buf, size_t size, size_t *o)
{
	char a[16], b[16];
	size_t la, lb, k;

	if (lo > hi || *o >= size)
		return;
	la = (size_t)snprintf(a, sizeof(a), "%u", lo);
	lb = (size_t)snprintf(b, sizeof(b), "%u", hi);
	if (la < lb) {
		uint32_t top = 9;

		for (k = 1; k < la; k++)
			top = top * 10 + 9;
		range_re(lo, top, buf, size, o);
		range_re(top + 1, hi, buf, size, o);
		return;
	}
	/* Same length: split at the first differing digit. */
	for (k = 0; k < la && a[k] == b[k]; k++)
		;
	if (k == la) {
		*o += (size_t)snprintf(buf + *o, size - *o, "%s%s",
		    *o > 0 && buf[*o - 1] != '(' ? "|" : "", a);
		return;
	}
	{
		bool lo_all0 = true, hi_all9 = true;

		for (size_t m = k + 1; m < la; m++) {
			lo_all0 &= a[m] == '0';
			hi_all9 &= b[m] == '9';
		}
		if (lo_all0 && hi_all9) {
			*o += (size_t)snprintf(buf + *o, size - *o,
			    "%s%.*s[%c-%c]", *o > 0 && buf[*o - 1] != '(' ?
			    "|" : "", (int)k, a, a[k], b[k]);
			for (size_t m = k + 1; m < la; m++)
				*o += (size_t)snprintf(buf + *o, size - *o,
				    "[0-9]");
			return;
		}
	}
	{
		/* lo .. lo's prefix with 9s, the middle digits, hi's
		 * prefix with 0s .. hi. */
		uint32_t p = 1, l1, h1;

		for (size_t m = k + 1; m < la; m++)
			p *= 10;
		l1 = (lo / p) * p + p - 1;
		h1 = (hi / p) * p;
		range_re(lo, l1, buf, size, o);
		if (l1 + 1 <= h1 - 1 && h1 > 0)
			range_re(l1 + 1, h1 - 1, buf, size, o);
		range_re(h1, hi, buf, size, o);
	}
}

/*
 * A Junos AS-path regex as POSIX ERE over "A B C " (every ASN followed
 * by one space): an ASN atom N becomes "(N )", "." "([0-9]+ )", "a-b"
 * a range; operators stay; the whole is anchored.
 */
static int
junos_re(struct manrs_view src, regex_t *re)
{
	char buf[MANRS_RC_LINE_MAX * 4];
	size_t o = 0, i = 0;

	o += (size_t)snprintf(buf, sizeof(buf), "^(");
	while (i < src.len && o + 64 + src.len < sizeof(buf)) {
		char c = src.p[i];

		if (c == ' ' || c == '\t') {
			i++;
		} else if (c == '{') {
			/* A quantifier: copied as it is. */
			while (i < src.len && src.p[i] != '}')
				buf[o++] = src.p[i++];
			if (i < src.len)
				buf[o++] = src.p[i++];
		} else if (c >= '0' && c <= '9') {
			uint64_t lo = 0, hi;

			while (i < src.len && src.p[i] >= '0' &&
			    src.p[i] <= '9' && lo <= UINT32_MAX)
				lo = lo * 10 + (uint64_t)(src.p[i++] - '0');
			hi = lo;
			if (i < src.len && src.p[i] == '-') {
				hi = 0;
				for (i++; i < src.len && src.p[i] >= '0' &&
				    src.p[i] <= '9' && hi <= UINT32_MAX; i++)
					hi = hi * 10 + (uint64_t)(src.p[i] -
					    '0');
			}
			if (lo > UINT32_MAX || hi > UINT32_MAX)
				return MANRS_E_RANGE;
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "((");
			range_re((uint32_t)lo, (uint32_t)hi, buf,
			    sizeof(buf) - 8, &o);
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, ") )");
		} else if (c == '.') {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    "([0-9]+ )");
			i++;
		} else if (c == '[' || c == ']') {
			/* "[64496-64511]": a bracketed range or set. */
			i++;
		} else {
			buf[o++] = c;
			i++;
		}
	}
	if (o + 4 >= sizeof(buf))
		return MANRS_E_LIMIT;
	o += (size_t)snprintf(buf + o, sizeof(buf) - o, ")$");
	return regcomp(re, buf, REG_EXTENDED | REG_NOSUB) == 0 ? 0 :
	    MANRS_E_SYNTAX;
}

static void
as_path(struct junos *j, struct manrs_view name, struct manrs_view re,
    uint32_t line)
{
	struct rc_asent e;
	uint32_t al = rc_aslist_get(j->rc, name);

	memset(&e, 0, sizeof(e));
	e.permit = true;
	e.is_re = true;
	e.spaced = true;
	e.re_ok = junos_re(re, &e.re) == 0;
	if (!e.re_ok)
		rc_note(j->rc, line, "as-path regex not understood: the "
		    "policies using it are undecided");
	if (j->rc->err == 0 || j->rc->err == MANRS_E_SYNTAX)
		rc_aslist_add(j->rc, al, &e);
}

/* A route-filter modifier (w[0..n)) applied to e: exact, orlonger,
 * longer, upto /n, prefix-length-range /a-/b. */
static bool
modifier(const struct manrs_view *w, size_t n, struct rc_plent *e)
{
	uint32_t a, b;

	e->min = e->max = e->p.len;
	if (n < 1 || eq(w[0], "exact"))
		return true;
	if (eq(w[0], "orlonger")) {
		e->max = (uint8_t)manrs_af_bits(e->p.af);
	} else if (eq(w[0], "longer")) {
		if (e->p.len >= manrs_af_bits(e->p.af))
			return false;
		e->min = (uint8_t)(e->p.len + 1);
		e->max = (uint8_t)manrs_af_bits(e->p.af);
	} else if (eq(w[0], "upto") && n > 1 && w[1].len > 1 &&
	    manrs_view_u32(manrs_view_make(w[1].p + 1, w[1].len - 1),
	    manrs_af_bits(e->p.af), &a) == 0 && a >= e->p.len) {
		e->max = (uint8_t)a;
	} else if (eq(w[0], "prefix-length-range") && n > 1) {
		struct manrs_view lo, hi;

		if (!manrs_view_split(w[1], '-', &lo, &hi) || lo.len < 2 ||
		    hi.len < 2 || manrs_view_u32(manrs_view_make(lo.p + 1,
		    lo.len - 1), 128, &a) != 0 ||
		    manrs_view_u32(manrs_view_make(hi.p + 1, hi.len - 1), 128,
		    &b) != 0 || a > b || a < e->p.len ||
		    b > manrs_af_bits(e->p.af))
			return false;
		e->min = (uint8_t)a;
		e->max = (uint8_t)b;
	} else
		return false;
	return true;
}

/* "P [modifier]" */
static bool
route_filter(const struct manrs_view *w, size_t n, struct rc_plent *e)
{
	memset(e, 0, sizeof(*e));
	e->permit = true;
	if (n < 1 || rc_prefix(w[0], &e->p) != 0)
		return false;
	return modifier(w + 1, n - 1, e);
}

/* A one-entry anonymous list for a route-filter / source-address. */
static uint32_t
anon_list(struct junos *j, const struct rc_plent *e)
{
	char name[32];
	uint32_t pl;

	snprintf(name, sizeof(name), " jrf%u", j->anon++);
	pl = rc_plist_get(j->rc, manrs_view_cstr(name));
	rc_plist_add(j->rc, pl, e);
	return pl;
}

/* policy-options policy-statement P [term T] from|then ... */
static void
policy_stmt(struct junos *j, const struct stmt *s, size_t i)
{
	struct manrs_view pol = s->w[2], tname = manrs_view_cstr(" final");
	struct rc_atom a = { RC_A_UNKNOWN, false, 0, 0, 0, NULL };
	struct jterm *t;
	struct rc_plent e;
	int kind = K_OTHER, idx;
	uint32_t tline = s->line;

	if (i < s->n && eq(s->w[i], "term") && i + 1 < s->n) {
		tname = s->w[i + 1];
		tline = s->wl[i];
		i += 2;
	}
	if ((t = term_get(j, pol, tname, false, tline)) == NULL)
		return;
	if (i >= s->n)
		return;
	if (eq(s->w[i], "then")) {
		if (i + 1 >= s->n)
			return;
		if (eq(s->w[i + 1], "accept") || eq(s->w[i + 1], "reject")) {
			t->act = eq(s->w[i + 1], "accept") ? RC_ACT_ACCEPT :
			    RC_ACT_REJECT;
			t->has_act = true;
		} else if (eq(s->w[i + 1], "next") && i + 2 < s->n &&
		    eq(s->w[i + 2], "policy")) {
			t->act = RC_ACT_RETURN;
			t->has_act = true;
		}
		return;
	}
	if (!eq(s->w[i], "from") || i + 1 >= s->n)
		return;
	i++;
	if ((eq(s->w[i], "prefix-list") || eq(s->w[i], "prefix-list-filter"))
	    && i + 1 < s->n) {
		/* prefix-list: exact; -filter with a modifier: a copy. */
		idx = rc_plist_find(j->rc, s->w[i + 1]);
		kind = K_PREFIX;
		if (idx < 0) {
			a.str = "a prefix-list not defined (before use)";
		} else if (eq(s->w[i], "prefix-list-filter") && i + 2 < s->n &&
		    !eq(s->w[i + 2], "exact")) {
			const struct rc_plist *src = &j->rc->pl[idx];
			char name[32];
			uint32_t pl;

			snprintf(name, sizeof(name), " jpf%u", j->anon++);
			pl = rc_plist_get(j->rc, manrs_view_cstr(name));
			src = &j->rc->pl[idx];
			for (size_t k = 0; k < src->n; k++) {
				e = src->e[k];
				if (!modifier(&s->w[i + 2], s->n - i - 2,
				    &e)) {
					a.str = "a prefix-list-filter "
					    "modifier not modelled";
					break;
				}
				rc_plist_add(j->rc, pl, &e);
				src = &j->rc->pl[idx];
			}
			if (a.str == NULL) {
				a.kind = RC_A_PREFIX_IN;
				a.arg = pl;
			}
		} else {
			a.kind = RC_A_PREFIX_IN;
			a.arg = (uint32_t)idx;
		}
	} else if (eq(s->w[i], "route-filter") && i + 1 < s->n) {
		kind = K_PREFIX;
		if (route_filter(&s->w[i + 1], s->n - i - 1, &e)) {
			a.kind = RC_A_PREFIX_IN;
			a.arg = anon_list(j, &e);
		} else
			a.str = "a route-filter not modelled";
	} else if (eq(s->w[i], "route-filter-list") && i + 1 < s->n) {
		kind = K_PREFIX;
		idx = rc_plist_find(j->rc, s->w[i + 1]);
		if (idx >= 0) {
			a.kind = RC_A_PREFIX_IN;
			a.arg = (uint32_t)idx;
		} else
			a.str = "a route-filter-list not defined";
	} else if ((eq(s->w[i], "as-path") || eq(s->w[i], "as-path-group")) &&
	    i + 1 < s->n) {
		kind = K_ASPATH;
		a.kind = RC_A_ASPATH;
		a.arg = rc_aslist_get(j->rc, s->w[i + 1]);
	} else if (eq(s->w[i], "validation-database") && i + 1 < s->n) {
		kind = K_RPKI;
		a.kind = RC_A_RPKI;
		a.arg = eq(s->w[i + 1], "invalid") ? RC_RPKI_INVALID :
		    eq(s->w[i + 1], "valid") ? RC_RPKI_VALID :
		    RC_RPKI_NOTFOUND;
	} else if (eq(s->w[i], "community")) {
		kind = K_COMM;
		a.kind = RC_A_COMMUNITY;
	} else if (eq(s->w[i], "protocol") && i + 1 < s->n) {
		/* Test routes are BGP routes. */
		kind = K_PROTO;
		a.kind = RC_A_TRUE;
		a.neg = !eq(s->w[i + 1], "bgp");
	} else if (eq(s->w[i], "neighbor") && i + 1 < s->n) {
		kind = K_NEIGHBOR;
		a.kind = RC_A_SESSION;
		a.arg = RC_PEER_ADDR;
		a.str = rc_strdup(j->rc, s->w[i + 1]);
	} else if (eq(s->w[i], "family") && i + 1 < s->n) {
		kind = K_FAMILY;
		a.kind = RC_A_AF;
		a.af = eq(s->w[i + 1], "inet6") ? MANRS_AF_INET6 :
		    MANRS_AF_INET;
	} else
		a.str = "a policy condition not modelled";
	term_from(j, t, kind, &a);
}

/* policy-options prefix-list NAME P / route-filter-list / as-path ... */
static void
policy_options(struct junos *j, const struct stmt *s)
{
	struct rc_plent e;
	uint32_t pl;

	if (s->n < 3)
		return;
	if (eq(s->w[1], "prefix-list")) {
		pl = rc_plist_get(j->rc, s->w[2]);
		if (s->n >= 4 && route_filter(&s->w[3], 1, &e))
			rc_plist_add(j->rc, pl, &e);
		else if (s->n >= 4)
			rc_error(j->rc, s->line, "bad prefix-list entry");
	} else if (eq(s->w[1], "route-filter-list") && s->n >= 4) {
		pl = rc_plist_get(j->rc, s->w[2]);
		if (route_filter(&s->w[3], s->n - 3, &e))
			rc_plist_add(j->rc, pl, &e);
		else
			rc_error(j->rc, s->line, "bad route-filter-list entry");
	} else if (eq(s->w[1], "as-path") && s->n >= 4) {
		as_path(j, s->w[2], s->w[3], s->line);
	} else if (eq(s->w[1], "as-path-group") && s->n >= 6 &&
	    eq(s->w[3], "as-path")) {
		as_path(j, s->w[2], s->w[5], s->line);
	} else if (eq(s->w[1], "policy-statement")) {
		policy_stmt(j, s, 3);
	}
}

static struct jgroup *
group_get(struct junos *j, struct manrs_view name, uint32_t line)
{
	for (size_t i = 0; i < j->ng; i++)
		if (manrs_view_eq(name, j->g[i].name))
			return &j->g[i];
	if (j->ng >= MANRS_RC_OBJECTS_MAX ||
	    manrs_grow((void **)&j->g, &j->capg, j->ng, sizeof(*j->g))) {
		j->rc->err = MANRS_E_NOMEM;
		return NULL;
	}
	memset(&j->g[j->ng], 0, sizeof(j->g[0]));
	j->g[j->ng].name = rc_strdup(j->rc, name);
	j->g[j->ng].line = line;
	return &j->g[j->ng++];
}

static struct jgroup *
neighbor_get(struct junos *j, size_t parent, struct manrs_view addr,
    uint32_t line)
{
	for (size_t i = 0; i < j->nnb; i++)
		if (manrs_view_eq(addr, j->nb[i].name) &&
		    j->nb_parent[i] == parent)
			return &j->nb[i];
	if (j->nnb >= MANRS_RC_OBJECTS_MAX ||
	    manrs_grow((void **)&j->nb, &j->capnb, j->nnb, sizeof(*j->nb)) ||
	    manrs_grow((void **)&j->nb_parent, &j->capnbp, j->nnb,
	    sizeof(*j->nb_parent))) {
		j->rc->err = MANRS_E_NOMEM;
		return NULL;
	}
	memset(&j->nb[j->nnb], 0, sizeof(j->nb[0]));
	j->nb[j->nnb].name = rc_strdup(j->rc, addr);
	j->nb[j->nnb].line = line;
	j->nb_parent[j->nnb] = parent;
	return &j->nb[j->nnb++];
}

/* group/neighbor settings: w[i..] after the group or neighbor name. */
static void
bgp_setting(struct junos *j, struct jgroup *g, const struct stmt *s,
    size_t i)
{
	uint32_t v;

	if (i >= s->n)
		return;
	if (eq(s->w[i], "type") && i + 1 < s->n)
		g->internal = eq(s->w[i + 1], "internal");
	else if (eq(s->w[i], "peer-as") && i + 1 < s->n &&
	    manrs_asn_parse(s->w[i + 1], &v) == 0)
		g->peer_as = v;
	else if (eq(s->w[i], "local-as") && i + 1 < s->n &&
	    manrs_asn_parse(s->w[i + 1], &v) == 0)
		g->local_as = v;
	else if ((eq(s->w[i], "import") || eq(s->w[i], "export")) &&
	    i + 1 < s->n) {
		bool imp = eq(s->w[i], "import");
		char **v2 = imp ? g->imp : g->exp;
		size_t *n = imp ? &g->nimp : &g->nexp;

		if (*n < 8)
			v2[(*n)++] = rc_strdup(j->rc, s->w[i + 1]);
		if (imp)
			g->imp_line = s->line;
		else
			g->exp_line = s->line;
	} else if (eq(s->w[i], "family")) {
		if (i + 1 < s->n && (eq(s->w[i + 1], "inet") ||
		    eq(s->w[i + 1], "inet6"))) {
			g->fam_set = true;
			g->fam[eq(s->w[i + 1], "inet6")] = true;
		}
		for (size_t k = i; k + 2 < s->n; k++)
			if ((eq(s->w[k], "prefix-limit") ||
			    eq(s->w[k], "accepted-prefix-limit")) &&
			    eq(s->w[k + 1], "maximum") &&
			    manrs_view_u32(s->w[k + 2], UINT32_MAX, &v) == 0)
				g->limit = v;
	}
}

static void
protocols_bgp(struct junos *j, const struct stmt *s)
{
	struct jgroup *g;
	size_t gi;

	if (s->n < 5 || !eq(s->w[2], "group"))
		return;
	if ((g = group_get(j, s->w[3], s->wl[2])) == NULL)
		return;
	gi = (size_t)(g - j->g);
	if (eq(s->w[4], "neighbor") && s->n >= 6) {
		struct jgroup *nb = neighbor_get(j, gi, s->w[5], s->wl[4]);

		if (nb != NULL)
			bgp_setting(j, nb, s, 6);
		return;
	}
	bgp_setting(j, g, s, 4);
}

static struct rc_iface *
iface(struct junos *j, const struct stmt *s, size_t *i)
{
	char name[MANRS_RC_NAME_MAX];
	size_t k = 2;

	/* interfaces IF [unit N] family ... */
	if (s->n > 4 && eq(s->w[2], "unit")) {
		snprintf(name, sizeof(name), "%.*s.%.*s", (int)s->w[1].len,
		    s->w[1].p, (int)s->w[3].len, s->w[3].p);
		k = 4;
	} else
		snprintf(name, sizeof(name), "%.*s", (int)s->w[1].len,
		    s->w[1].p);
	*i = k;
	return rc_iface_add(j->rc, manrs_view_cstr(name), s->wl[k - 2]);
}

static void
interfaces(struct junos *j, const struct stmt *s)
{
	struct rc_iface *ifc;
	struct manrs_prefix p;
	size_t i;
	int af;

	if (s->n < 4 || (ifc = iface(j, s, &i)) == NULL)
		return;
	if (i + 2 >= s->n || !eq(s->w[i], "family") ||
	    (!eq(s->w[i + 1], "inet") && !eq(s->w[i + 1], "inet6")))
		return;
	af = eq(s->w[i + 1], "inet6");
	i += 2;
	if (eq(s->w[i], "address") && i + 1 < s->n && ifc->naddr < 8 &&
	    manrs_prefix_parse(s->w[i + 1], MANRS_PREFIX_NORMALIZE, &p) == 0)
		ifc->addr[ifc->naddr++] = p;
	else if (eq(s->w[i], "rpf-check")) {
		bool loose = false;

		for (size_t k = i + 1; k + 1 < s->n; k++)
			if (eq(s->w[k], "mode") && eq(s->w[k + 1], "loose"))
				loose = true;
		if (ifc->urpf[af] != 2)
			ifc->urpf[af] = loose ? 2 : 1;
		ifc->urpf_line[af] = s->line;
	} else if (eq(s->w[i], "filter") && i + 2 < s->n &&
	    (eq(s->w[i + 1], "input") || eq(s->w[i + 1], "output"))) {
		char name[MANRS_RC_NAME_MAX + 8];
		uint32_t pol;

		snprintf(name, sizeof(name), "fw %.*s", (int)s->w[i + 2].len,
		    s->w[i + 2].p);
		pol = rc_policy_get(j->rc, manrs_view_cstr(name));
		if (eq(s->w[i + 1], "input")) {
			ifc->fin[af] = pol + 1;
			ifc->fin_line[af] = s->line;
		} else {
			ifc->fout[af] = pol + 1;
			ifc->fout_line[af] = s->line;
		}
	}
}

/* firewall family inet|inet6 filter F term T from|then ... */
static void
firewall(struct junos *j, const struct stmt *s)
{
	char name[MANRS_RC_NAME_MAX + 8];
	struct rc_atom a = { RC_A_UNKNOWN, false, 0, 0, 0, NULL };
	struct jterm *t;
	struct rc_plent e;
	size_t i = 7;

	if (s->n < 8 || !eq(s->w[1], "family") || !eq(s->w[3], "filter") ||
	    !eq(s->w[5], "term"))
		return;
	snprintf(name, sizeof(name), "fw %.*s", (int)s->w[4].len, s->w[4].p);
	if ((t = term_get(j, manrs_view_cstr(name), s->w[6], true,
	    s->wl[5])) == NULL)
		return;
	if (eq(s->w[i], "then") && i + 1 < s->n) {
		if (eq(s->w[i + 1], "accept")) {
			t->act = RC_ACT_ACCEPT;
			t->has_act = true;
		} else if (eq(s->w[i + 1], "discard") ||
		    eq(s->w[i + 1], "reject")) {
			t->act = RC_ACT_REJECT;
			t->has_act = true;
		}
		return;
	}
	if (!eq(s->w[i], "from") || i + 1 >= s->n)
		return;
	i++;
	if ((eq(s->w[i], "source-address") || eq(s->w[i], "address")) &&
	    i + 1 < s->n && rc_prefix(s->w[i + 1], &e.p) == 0) {
		e.permit = true;
		e.min = e.p.len;
		e.max = (uint8_t)manrs_af_bits(e.p.af);
		if (i + 2 < s->n && eq(s->w[i + 2], "except"))
			a.str = "an address with \"except\"";
		else {
			a.kind = RC_A_PREFIX_IN;
			a.arg = anon_list(j, &e);
			if (j->rc->err == 0 || j->rc->err == MANRS_E_SYNTAX)
				j->rc->pl[a.arg].packet = true;
		}
		term_from(j, t, K_PREFIX, &a);
	} else if (eq(s->w[i], "next-header") || eq(s->w[i], "icmp-type") ||
	    eq(s->w[i], "protocol") || eq(s->w[i], "destination-port") ||
	    eq(s->w[i], "source-port")) {
		/* The test packets are plain data from a source address. */
		a.kind = RC_A_COMMUNITY;
		term_from(j, t, eq(s->w[i], "icmp-type") ? K_COMM : K_OTHER,
		    &a);
	} else {
		a.str = "a firewall condition not modelled";
		term_from(j, t, K_OTHER, &a);
	}
}

/* One statement (the path of words). */
static void
statement(struct junos *j, const struct stmt *s)
{
	uint32_t v;

	if (s->n == 0)
		return;
	if (eq(s->w[0], "routing-options") && s->n >= 3) {
		if (eq(s->w[1], "autonomous-system") &&
		    manrs_asn_parse(s->w[2], &v) == 0)
			j->rc->local_as = v;
		else if (eq(s->w[1], "validation")) {
			j->rc->rpki_on = true;
			if (j->rc->rpki_line == 0)
				j->rc->rpki_line = s->line;
		}
	} else if (eq(s->w[0], "policy-options")) {
		policy_options(j, s);
	} else if (eq(s->w[0], "protocols") && s->n >= 2 &&
	    eq(s->w[1], "bgp")) {
		protocols_bgp(j, s);
	} else if (eq(s->w[0], "interfaces") && s->n >= 2) {
		interfaces(j, s);
	} else if (eq(s->w[0], "firewall")) {
		firewall(j, s);
	}
}

/*
 * A term into rules: one per combination of one atom of each kind
 * present (kinds AND, values of a kind OR).
 */
static void
term_rules(struct junos *j, const struct jterm *t, uint32_t pol)
{
	size_t idx[8] = { 0 }, combos = 1;
	int k;

	for (k = 0; k < 8; k++)
		if (t->nfrom[k] > 0)
			combos *= t->nfrom[k];
	if (combos > JUNOS_TERM_COMBOS_MAX) {
		struct rc_rule *r = rc_rule_add(j->rc, pol, t->line);
		struct rc_atom a = { RC_A_UNKNOWN, false, 0, 0, 0,
		    "a term too large to model" };

		if (r != NULL) {
			r->action = t->has_act ? t->act : RC_ACT_NONE;
			rc_atom_add(j->rc, r, &a);
		}
		return;
	}
	for (size_t c = 0; c < combos; c++) {
		struct rc_rule *r = rc_rule_add(j->rc, pol, t->line);

		if (r == NULL)
			return;
		r->action = t->has_act ? t->act : RC_ACT_NONE;
		for (k = 0; k < 8; k++)
			if (t->nfrom[k] > 0)
				rc_atom_add(j->rc, r, &t->from[k][idx[k]]);
		for (k = 0; k < 8; k++) {
			if (t->nfrom[k] == 0)
				continue;
			if (++idx[k] < t->nfrom[k])
				break;
			idx[k] = 0;
		}
	}
}

/* Terms into policies; a chain of policies into one policy per
 * session direction ("import [ A B ]": A, then B, then BGP's default). */
static void
build_policies(struct junos *j)
{
	for (size_t i = 0; i < j->nt; i++) {
		const struct jterm *t = &j->t[i];
		char name[MANRS_RC_NAME_MAX + 8];
		uint32_t pol;

		if (t->firewall)
			snprintf(name, sizeof(name), "%s", t->policy);
		else
			snprintf(name, sizeof(name), "%s", t->policy);
		pol = rc_policy_get(j->rc, manrs_view_cstr(name));
		if (j->rc->err == MANRS_E_NOMEM || j->rc->err == MANRS_E_LIMIT)
			return;
		j->rc->pol[pol].defined = true;
		/* Junos: no match falls to the next policy; a firewall
		 * filter ends in an implicit discard. */
		j->rc->pol[pol].fallthrough = t->firewall ? RC_ACT_REJECT :
		    RC_ACT_NONE;
		if (j->rc->pol[pol].line == 0)
			j->rc->pol[pol].line = t->line;
		term_rules(j, t, pol);
	}
}

static void
chain(struct junos *j, struct rc_session *s, char *const *names, size_t n,
    uint32_t line, bool out)
{
	char name[MANRS_RC_NAME_MAX + 32];
	struct rc_rule *r;
	uint32_t pol;

	for (int af = 0; af < 2; af++) {
		struct rc_dir *d = out ? &s->out[af] : &s->in[af];

		d->line = line;
		if (n == 0) {
			/* BGP's defaults: import all; export the active
			 * BGP routes (the test routes are BGP routes). */
			d->kind = RC_POL_ALL;
			continue;
		}
		snprintf(name, sizeof(name), " %s %s %d", s->pub.neighbor,
		    out ? "out" : "in", af);
		pol = rc_policy_get(j->rc, manrs_view_cstr(name));
		if (j->rc->err == MANRS_E_NOMEM || j->rc->err == MANRS_E_LIMIT)
			return;
		j->rc->pol[pol].defined = true;
		j->rc->pol[pol].fallthrough = RC_ACT_ACCEPT;
		for (size_t k = 0; k < n; k++) {
			uint32_t p = rc_policy_get(j->rc,
			    manrs_view_cstr(names[k]));

			if (!j->rc->pol[p].defined)
				rc_error(j->rc, line, "policy %s not defined",
				    names[k]);
			if ((r = rc_rule_add(j->rc, pol, line)) == NULL)
				return;
			r->action = RC_ACT_CALL;
			r->call = p;
		}
		d->kind = RC_POL_REF;
		d->policy = pol;
	}
}

static void
build_sessions(struct junos *j)
{
	for (size_t i = 0; i < j->nnb; i++) {
		const struct jgroup *nb = &j->nb[i];
		const struct jgroup *g = &j->g[j->nb_parent[i]];
		struct rc_session *s;

		s = rc_session_add(j->rc, manrs_view_cstr(nb->name), nb->line);
		if (s == NULL)
			return;
		s->group = g->name;
		s->pub.remote_as = nb->peer_as ? nb->peer_as : g->peer_as;
		s->pub.local_as = nb->local_as ? nb->local_as : g->local_as;
		if (g->internal && s->pub.remote_as == 0)
			s->pub.remote_as = j->rc->local_as;
		s->pub.max_prefix = nb->limit ? nb->limit : g->limit;
		/* Families: the neighbor's, else the group's, else the
		 * neighbor address's (Junos' default: inet unicast). */
		if (nb->fam_set) {
			s->af_on[0] = nb->fam[0];
			s->af_on[1] = nb->fam[1];
		} else if (g->fam_set) {
			s->af_on[0] = g->fam[0];
			s->af_on[1] = g->fam[1];
		} else {
			s->af_on[1] = strchr(nb->name, ':') != NULL;
			s->af_on[0] = !s->af_on[1];
		}
		if (nb->nimp > 0)
			chain(j, s, nb->imp, nb->nimp, nb->imp_line, false);
		else
			chain(j, s, g->imp, g->nimp, g->imp_line, false);
		if (nb->nexp > 0)
			chain(j, s, nb->exp, nb->nexp, nb->exp_line, true);
		else
			chain(j, s, g->exp, g->nexp, g->exp_line, true);
	}
}

/*
 * Statements from text.  Curly form: "a b {" opens, "}" closes, "a b;"
 * is a statement; "set a b" lines are statements as they are.
 */
struct lexer {
	const char	*p, *end;
	uint32_t	 line;
};

/* Next word: a quoted string (without quotes), or a run of non-blanks;
 * "{", "}", ";", "[", "]" are words of their own. */
static bool
word(struct lexer *lx, struct manrs_view *w, bool *nl)
{
	*nl = false;
	for (;;) {
		while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' ||
		    *lx->p == '\r' || *lx->p == '\n')) {
			if (*lx->p == '\n') {
				lx->line++;
				*nl = true;
			}
			lx->p++;
		}
		if (lx->p >= lx->end)
			return false;
		if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (*lx->p == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			for (lx->p += 2; lx->p + 1 < lx->end && !(lx->p[0] ==
			    '*' && lx->p[1] == '/'); lx->p++)
				if (*lx->p == '\n')
					lx->line++;
			lx->p = lx->p + 2 <= lx->end ? lx->p + 2 : lx->end;
			continue;
		}
		break;
	}
	if (*lx->p == '"') {
		const char *q = ++lx->p;

		while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n')
			lx->p++;
		*w = manrs_view_make(q, (size_t)(lx->p - q));
		if (lx->p < lx->end && *lx->p == '"')
			lx->p++;
		return true;
	}
	if (strchr("{};[]", *lx->p) != NULL) {
		*w = manrs_view_make(lx->p++, 1);
		return true;
	}
	{
		const char *q = lx->p;

		while (lx->p < lx->end && strchr(" \t\r\n{};[]\"", *lx->p) ==
		    NULL)
			lx->p++;
		*w = manrs_view_make(q, (size_t)(lx->p - q));
	}
	return true;
}

static void
declare_policy(struct junos *j, struct manrs_view name)
{
	uint32_t pol = rc_policy_get(j->rc, name);

	if (j->rc->err == MANRS_E_NOMEM || j->rc->err == MANRS_E_LIMIT ||
	    j->rc->pol[pol].defined)
		return;
	j->rc->pol[pol].defined = true;
	j->rc->pol[pol].fallthrough = RC_ACT_NONE;
}

static void
emit(struct junos *j, const struct manrs_view *path, const uint32_t *pl,
    size_t np, const struct manrs_view *w, const uint32_t *wl, size_t nw,
    uint32_t line, bool inactive)
{
	struct stmt s;
	size_t lb = nw;

	if (np + nw > JUNOS_WORDS_MAX)
		return;
	if (inactive) {
		/* An inactive term leaves its policy-statement in place. */
		if (np >= 3 && eq(path[0], "policy-options") &&
		    eq(path[1], "policy-statement"))
			declare_policy(j, path[2]);
		return;
	}
	s.line = line;
	/* "[ a b ]": one statement per element. */
	for (size_t k = 0; k < nw; k++)
		if (eq(w[k], "[")) {
			lb = k;
			break;
		}
	memcpy(s.w, path, np * sizeof(*path));
	memcpy(s.wl, pl, np * sizeof(*pl));
	if (lb == nw) {
		memcpy(s.w + np, w, nw * sizeof(*w));
		memcpy(s.wl + np, wl, nw * sizeof(*wl));
		s.n = np + nw;
		statement(j, &s);
		return;
	}
	for (size_t k = lb + 1; k < nw && !eq(w[k], "]"); k++) {
		memcpy(s.w + np, w, lb * sizeof(*w));
		memcpy(s.wl + np, wl, lb * sizeof(*wl));
		s.w[np + lb] = w[k];
		s.wl[np + lb] = wl[k];
		s.n = np + lb + 1;
		statement(j, &s);
	}
}

int
rc_parse_junos(struct manrs_rc *rc, const char *text, size_t len)
{
	struct manrs_view path[JUNOS_WORDS_MAX], w[JUNOS_WORDS_MAX], t;
	uint32_t pl[JUNOS_WORDS_MAX], wl[JUNOS_WORDS_MAX];
	size_t plen[JUNOS_DEPTH_MAX], np = 0, depth = 0, nw = 0;
	bool inact[JUNOS_DEPTH_MAX], inactive = false, setmode = false, nl;
	struct lexer lx = { text, text + len, 1 };
	uint32_t line = 1;
	struct junos j;

	memset(&j, 0, sizeof(j));
	j.rc = rc;
	memset(inact, 0, sizeof(inact));
	while (word(&lx, &t, &nl)) {
		if (nl && setmode) {
			/* A "set" line ends at its newline. */
			emit(&j, path, pl, 0, w, wl, nw, line, false);
			nw = 0;
			setmode = false;
		}
		if (nw == 0) {
			line = lx.line;
			if (eq(t, "set") && depth == 0) {
				setmode = true;
				continue;
			}
			if ((eq(t, "deactivate") || eq(t, "delete") ||
			    eq(t, "activate")) && depth == 0) {
				rc_note(rc, line, "\"%.*s\" lines are not "
				    "applied", (int)t.len, t.p);
				while (lx.p < lx.end && *lx.p != '\n')
					lx.p++;
				continue;
			}
			if (eq(t, "inactive:")) {
				inactive = true;
				continue;
			}
		}
		if (setmode) {
			if (nw < JUNOS_WORDS_MAX) {
				wl[nw] = lx.line;
				w[nw++] = t;
			}
			continue;
		}
		if (eq(t, "{")) {
			if (depth >= JUNOS_DEPTH_MAX || np + nw >
			    JUNOS_WORDS_MAX) {
				rc_error(rc, lx.line, "nested too deep");
				goto out;	/* the work arrays are freed */
			}
			plen[depth] = np;
			inact[depth] = inactive || (depth > 0 &&
			    inact[depth - 1]);
			depth++;
			for (size_t k = 0; k < nw; k++) {
				pl[np] = wl[k];
				path[np++] = w[k];
			}
			nw = 0;
			inactive = false;
			continue;
		}
		if (eq(t, "}")) {
			if (depth == 0) {
				rc_error(rc, lx.line, "\"}\" without a block");
				continue;
			}
			depth--;
			np = plen[depth];
			nw = 0;
			continue;
		}
		if (eq(t, ";")) {
			emit(&j, path, pl, np, w, wl, nw, line, inactive ||
			    (depth > 0 && inact[depth - 1]));
			nw = 0;
			inactive = false;
			continue;
		}
		if (nw < JUNOS_WORDS_MAX) {
			wl[nw] = lx.line;
			w[nw++] = t;
		}
		if (rc->err == MANRS_E_NOMEM || rc->err == MANRS_E_LIMIT)
			break;
	}
	if (setmode)
		emit(&j, path, pl, 0, w, wl, nw, line, false);
	if (depth != 0)
		rc_error(rc, lx.line, "unclosed block at the end");
	build_policies(&j);
	build_sessions(&j);
out:
	for (size_t i = 0; i < j.nt; i++)
		for (int k = 0; k < 8; k++)
			free(j.t[i].from[k]);
	free(j.t);
	free(j.g);
	free(j.nb);
	free(j.nb_parent);
	return rc->err;
}
