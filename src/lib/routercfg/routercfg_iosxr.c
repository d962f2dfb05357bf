/*
 * routercfg_iosxr.c - Cisco IOS-XR configurations ("show running-config"
 * form):
 *
 *   router bgp ASN: "rpki server A" (an RTR cache), "neighbor A" and
 *     "neighbor-group NAME" blocks with "remote-as", "description", "use
 *     neighbor-group", "address-family ipv4|ipv6 unicast" holding
 *     "route-policy NAME in|out" and "maximum-prefix N";
 *   prefix-set / as-path-set ... end-set (entries "P [ge N] [le N] [eq
 *     N]", "ios-regex '...'", "passes-through '...'", "originates-from
 *     '...'", "neighbor-is '...'", ASNs or "[lo..hi]");
 *   route-policy ... end-policy: RPL "if C then ... [elseif C then ...]
 *     [else ...] endif", "drop", "pass", "done", "set ..." (implies
 *     pass), "apply P"; conditions "destination in SET|(inline)",
 *     "as-path in SET", "as-path passes-through|originates-from|
 *     neighbor-is '...'", "as-path length ge|gt|le|lt N",
 *     "validation-state is valid|invalid|not-found", "community ...",
 *     "not", "and", "or";
 *   interfaces: "ipv4|ipv6 address", "ipv4|ipv6 verify unicast source
 *     reachable-via rx|any", "ipv4|ipv6 access-group NAME
 *     ingress|egress"; "ipv4|ipv6 access-list NAME" with "SEQ
 *     permit|deny ipv4 SRC DST" (routercfg_ios.c).
 *
 * RPL is turned into first-match rules: a drop or done under the path of
 * conditions that leads to it is a rule rejecting or accepting; a pass
 * (or a set) marks the route, and the marks become accepting rules at
 * the end; what is neither passed nor dropped is dropped (end-policy).
 * An eBGP neighbor without a policy exchanges no routes (IOS-XR's
 * default, as RFC 8212).  What cannot be put in that form (a negated
 * "or", an "apply", an unknown condition) is an undecided atom.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routercfg_ios.h"

#define XR_TOKS		64
#define XR_DISJ		8	/* disjuncts of a condition */
#define XR_CONJ		8	/* atoms of one disjunct */
#define XR_PASS		64	/* pass marks of one policy */

struct conj {
	struct rc_atom	a[XR_CONJ];
	size_t		n;
};

struct cond {
	struct conj	d[XR_DISJ];
	size_t		n;
};

enum xctx { X_TOP, X_BGP, X_NB, X_NBAF, X_SET, X_ASSET, X_RPL, X_IFACE,
	X_ACL, X_OTHER };

struct xr {
	struct frr	 f;	/* ACLs, interfaces (routercfg_ios.c) */
	struct manrs_rc	*rc;
	enum xctx	 ctx;
	size_t		 nbi;		/* the neighbor (an index) */
	size_t		 nb_indent;
	int		 af;
	uint32_t	 set;		/* X_SET: plist; X_ASSET: aslist */
	char		 setname[MANRS_RC_NAME_MAX];
	uint32_t	 pol;		/* X_RPL */
	/* RPL: the conditions of the open ifs (each level's branch). */
	struct cond	 lvl[MANRS_RC_DEPTH_MAX];
	struct cond	 raw[MANRS_RC_DEPTH_MAX];	/* branch's own */
	struct cond	 taken[MANRS_RC_DEPTH_MAX];	/* earlier ones */
	bool		 has_taken[MANRS_RC_DEPTH_MAX];
	size_t		 depth;
	struct conj	 pass[XR_PASS];
	size_t		 npass;
	bool		 pass_over;
	uint32_t	 line;
};

static bool
eq(struct manrs_view v, const char *s)
{
	return manrs_view_eq(v, s);
}

/* The text between single quotes (or the token as it is). */
static struct manrs_view
unquote(struct manrs_view v)
{
	if (v.len >= 2 && v.p[0] == '\'' && v.p[v.len - 1] == '\'') {
		v.p++;
		v.len -= 2;
	}
	return v;
}

static void
unknown(struct xr *x, struct rc_atom *a, const char *what)
{
	memset(a, 0, sizeof(*a));
	a->kind = RC_A_UNKNOWN;
	a->str = what;
	rc_note(x->rc, x->line, "%s not modelled: checks through it are "
	    "undecided", what);
}

/* "P [ge N] [le N] [eq N]" into e; 0 or MANRS_E_SYNTAX. */
static int
set_entry(struct manrs_view *t, size_t n, struct rc_plent *e)
{
	uint32_t v;
	size_t i;

	memset(e, 0, sizeof(*e));
	if (n < 1 || rc_prefix(t[0], &e->p) != 0)
		return MANRS_E_SYNTAX;
	e->permit = true;
	e->min = e->max = e->p.len;
	for (i = 1; i + 1 < n; i += 2) {
		if (manrs_view_u32(t[i + 1], manrs_af_bits(e->p.af), &v) != 0 ||
		    v < e->p.len)
			return MANRS_E_SYNTAX;
		if (eq(t[i], "ge")) {
			e->min = (uint8_t)v;
			if (e->max < v)
				e->max = (uint8_t)manrs_af_bits(e->p.af);
		} else if (eq(t[i], "le"))
			e->max = (uint8_t)v;
		else if (eq(t[i], "eq"))
			e->min = e->max = (uint8_t)v;
		else
			return MANRS_E_SYNTAX;
	}
	return i < n || e->min > e->max ? MANRS_E_SYNTAX : 0;
}

/*
 * One as-path element ("passes-through '174'", "originates-from
 * '[64512..65534]'", "ios-regex '_174_'", "neighbor-is '3356'") into the
 * lists of base name nm: each kind has its own list (" re NAME", " pt
 * NAME", " of NAME", " nb NAME").
 */
static int
aspath_elem(struct xr *x, const char *nm, struct manrs_view kind,
    struct manrs_view val)
{
	static const char *const kinds[] = { "ios-regex", "passes-through",
	    "originates-from", "neighbor-is" };
	static const char *const tags[] = { "re", "pt", "of", "nb" };
	char name[MANRS_RC_NAME_MAX + 8];
	struct rc_asent e;
	size_t k;
	uint32_t lo, hi;

	for (k = 0; k < 4 && !eq(kind, kinds[k]); k++)
		;
	if (k == 4)
		return MANRS_E_SYNTAX;
	snprintf(name, sizeof(name), " %s %s", tags[k], nm);
	memset(&e, 0, sizeof(e));
	e.permit = true;
	val = unquote(val);
	if (k == 0) {
		e.is_re = true;
		e.re_ok = rc_regex_compile(&e.re, val) == 0;
		if (!e.re_ok)
			rc_note(x->rc, x->line, "as-path regex not understood: "
			    "the policies using it are undecided");
	} else if (val.len > 4 && val.p[0] == '[' &&
	    val.p[val.len - 1] == ']') {
		const char *dots = memchr(val.p, '.', val.len);

		if (dots == NULL || dots + 1 >= val.p + val.len ||
		    dots[1] != '.' ||
		    manrs_asn_parse((struct manrs_view){ val.p + 1,
		    (size_t)(dots - val.p - 1) }, &lo) != 0 ||
		    manrs_asn_parse((struct manrs_view){ dots + 2,
		    (size_t)(val.p + val.len - 1 - dots - 2) }, &hi) != 0 ||
		    lo > hi)
			return MANRS_E_SYNTAX;
		e.lo = lo;
		e.hi = hi;
	} else if (manrs_asn_parse(val, &lo) == 0)
		e.lo = e.hi = lo;
	else
		return MANRS_E_SYNTAX;
	return rc_aslist_add(x->rc, rc_aslist_get(x->rc,
	    manrs_view_cstr(name)), &e);
}

/* The atoms (one disjunct each) an as-path list name nm stands for. */
static void
aspath_atoms(struct xr *x, const char *nm, struct cond *c)
{
	static const char *const tags[] = { "re", "pt", "of", "nb" };
	static const enum rc_atom_kind kind[] = { RC_A_ASPATH, RC_A_PATH_HAS,
	    RC_A_ORIGIN_IN, RC_A_PATH_HAS };
	char name[MANRS_RC_NAME_MAX + 8];
	int l;

	for (size_t k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), " %s %s", tags[k], nm);
		if ((l = rc_aslist_find(x->rc, manrs_view_cstr(name))) < 0)
			continue;
		if (c->n >= XR_DISJ)
			return;
		memset(&c->d[c->n], 0, sizeof(c->d[c->n]));
		c->d[c->n].a[0].kind = kind[k];
		c->d[c->n].a[0].arg = (uint32_t)l;
		if (k == 3)	/* neighbor-is: the first ASN */
			c->d[c->n].a[0].kind = RC_A_PATH_HAS;
		c->d[c->n].n = 1;
		c->n++;
	}
}

/* "destination in (P [le N], P ...)" from t[*i + 2] up to ")". */
static void
inline_set(struct xr *x, struct manrs_view *t, size_t n, size_t *i,
    struct rc_atom *a)
{
	char name[32];
	struct manrs_view u[8];
	struct rc_plent e;
	size_t j, m = 0;
	uint32_t pl;
	bool done = false;

	snprintf(name, sizeof(name), " inline %zu", x->rc->npl);
	pl = rc_plist_get(x->rc, manrs_view_cstr(name));
	for (j = *i + 2; j < n && !done; j++) {
		struct manrs_view w = t[j];
		bool end = false;

		if (j == *i + 2) {
			w.p++;
			w.len--;
		}
		while (w.len > 0 && (w.p[w.len - 1] == ')' ||
		    w.p[w.len - 1] == ',')) {
			done |= w.p[w.len - 1] == ')';
			end = true;
			w.len--;
		}
		if (w.len > 0 && m < 8)
			u[m++] = w;
		if ((end || done || j + 1 == n) && m > 0) {
			if (set_entry(u, m, &e) == 0)
				rc_plist_add(x->rc, pl, &e);
			else
				rc_error(x->rc, x->line, "bad inline "
				    "prefix-set entry");
			m = 0;
		}
	}
	a->kind = RC_A_PREFIX_IN;
	a->arg = pl;
	*i = j;
}

/*
 * One simple condition at t[*i] into a (a single atom) or, for "as-path
 * in SET" with several kinds, into the disjuncts of one (set *multi).
 */
static void
atom(struct xr *x, struct manrs_view *t, size_t n, size_t *i,
    struct rc_atom *a, struct cond *multi)
{
	size_t k = *i;
	uint32_t v;

	memset(a, 0, sizeof(*a));
	multi->n = 0;
	if (k + 2 < n && eq(t[k], "destination") && eq(t[k + 1], "in")) {
		if (t[k + 2].p[0] == '(') {
			inline_set(x, t, n, i, a);
			return;
		}
		a->kind = RC_A_PREFIX_IN;
		if (rc_plist_find(x->rc, t[k + 2]) < 0)
			rc_note(x->rc, x->line, "prefix-set %.*s not defined "
			    "before its use", (int)t[k + 2].len, t[k + 2].p);
		a->arg = rc_plist_get(x->rc, t[k + 2]);
		*i = k + 3;
		return;
	}
	if (k + 2 < n && eq(t[k], "as-path") && eq(t[k + 1], "in")) {
		char nm[MANRS_RC_NAME_MAX];

		snprintf(nm, sizeof(nm), "%.*s", (int)t[k + 2].len,
		    t[k + 2].p);
		aspath_atoms(x, nm, multi);
		*i = k + 3;
		if (multi->n == 0)
			unknown(x, a, "an as-path-set not defined");
		return;
	}
	if (k + 2 < n && eq(t[k], "as-path") && (eq(t[k + 1],
	    "passes-through") || eq(t[k + 1], "originates-from") ||
	    eq(t[k + 1], "neighbor-is"))) {
		char nm[32];

		snprintf(nm, sizeof(nm), "inline %zu", x->rc->nal);
		if (aspath_elem(x, nm, t[k + 1], t[k + 2]) == 0)
			aspath_atoms(x, nm, multi);
		*i = k + 3;
		if (multi->n == 0)
			unknown(x, a, "an as-path condition");
		return;
	}
	if (k + 3 < n && eq(t[k], "as-path") && eq(t[k + 1], "length") &&
	    manrs_view_u32(t[k + 3], 1000, &v) == 0) {
		*i = k + 4;
		a->kind = RC_A_PATHLEN_GT;
		if (eq(t[k + 2], "ge") && v > 0)
			a->arg = v - 1;
		else if (eq(t[k + 2], "gt"))
			a->arg = v;
		else if (eq(t[k + 2], "le")) {
			a->arg = v;
			a->neg = true;
		} else if (eq(t[k + 2], "lt") && v > 0) {
			a->arg = v - 1;
			a->neg = true;
		} else
			unknown(x, a, "an as-path length comparison");
		return;
	}
	if (k + 2 < n && eq(t[k], "validation-state") && eq(t[k + 1], "is")) {
		a->kind = RC_A_RPKI;
		a->arg = eq(t[k + 2], "invalid") ? RC_RPKI_INVALID :
		    eq(t[k + 2], "valid") ? RC_RPKI_VALID : RC_RPKI_NOTFOUND;
		*i = k + 3;
		return;
	}
	if (k < n && (eq(t[k], "community") ||
	    eq(t[k], "large-community") || eq(t[k], "extcommunity"))) {
		a->kind = RC_A_COMMUNITY;
		/* "community matches-any SET" or "(...)". */
		k++;
		while (k < n && !eq(t[k], "and") && !eq(t[k], "or") &&
		    !eq(t[k], "then"))
			k++;
		*i = k;
		return;
	}
	/* Unknown: up to the next and / or / then. */
	while (k < n && !eq(t[k], "and") && !eq(t[k], "or") &&
	    !eq(t[k], "then"))
		k++;
	*i = k > *i ? k : *i + 1;
	unknown(x, a, "an RPL condition");
}

/* AND of two conditions in DNF (cross product); overflow: undecided. */
static void
cond_and(struct xr *x, struct cond *c, const struct cond *b)
{
	struct cond r;

	r.n = 0;
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			struct conj *o;

			if (r.n >= XR_DISJ || c->d[i].n + b->d[j].n >
			    XR_CONJ) {
				struct rc_atom a;

				unknown(x, &a, "a condition too large");
				r.n = 1;
				r.d[0].n = 1;
				r.d[0].a[0] = a;
				*c = r;
				return;
			}
			o = &r.d[r.n++];
			*o = c->d[i];
			memcpy(o->a + o->n, b->d[j].a, b->d[j].n *
			    sizeof(*o->a));
			o->n += b->d[j].n;
		}
	*c = r;
}

/* The negation of c: exact for a single disjunct of single atoms
 * (NOT (A) = not A; NOT (A or B) = not A and not B); else undecided. */
static void
cond_not(struct xr *x, const struct cond *c, struct cond *out)
{
	out->n = 1;
	out->d[0].n = 0;
	if (c->n == 1 && c->d[0].n == 1) {
		out->d[0].a[0] = c->d[0].a[0];
		out->d[0].a[0].neg = !out->d[0].a[0].neg;
		out->d[0].n = 1;
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (c->d[i].n != 1 || out->d[0].n >= XR_CONJ) {
			out->d[0].n = 1;
			unknown(x, &out->d[0].a[0], "a negated compound "
			    "condition");
			return;
		}
		out->d[0].a[out->d[0].n] = c->d[i].a[0];
		out->d[0].a[out->d[0].n].neg = !c->d[i].a[0].neg;
		out->d[0].n++;
	}
}

/* A condition from t[*i] up to "then": ORs of ANDs of [not] atoms. */
static void
condition(struct xr *x, struct manrs_view *t, size_t n, size_t *i,
    struct cond *c)
{
	struct cond term, one;

	c->n = 0;
	term.n = 1;
	term.d[0].n = 0;
	while (*i < n && !eq(t[*i], "then")) {
		struct rc_atom a;
		struct cond multi;
		bool neg = false;

		if (eq(t[*i], "and")) {
			(*i)++;
			continue;
		}
		if (eq(t[*i], "or")) {
			for (size_t j = 0; j < term.n && c->n < XR_DISJ; j++)
				c->d[c->n++] = term.d[j];
			term.n = 1;
			term.d[0].n = 0;
			(*i)++;
			continue;
		}
		if (eq(t[*i], "not")) {
			neg = true;
			(*i)++;
		}
		atom(x, t, n, i, &a, &multi);
		if (multi.n == 0) {
			multi.n = 1;
			multi.d[0].n = 1;
			multi.d[0].a[0] = a;
		}
		if (neg) {
			cond_not(x, &multi, &one);
			multi = one;
		}
		cond_and(x, &term, &multi);
	}
	for (size_t j = 0; j < term.n && c->n < XR_DISJ; j++)
		c->d[c->n++] = term.d[j];
	if (*i < n)
		(*i)++;		/* "then" */
}

/* The path to the current statement: the conditions of the open ifs. */
static void
path(struct xr *x, struct cond *p)
{
	p->n = 1;
	p->d[0].n = 0;
	for (size_t l = 0; l < x->depth; l++)
		cond_and(x, p, &x->lvl[l]);
}

static void
emit(struct xr *x, enum rc_action act)
{
	struct cond p;

	path(x, &p);
	for (size_t i = 0; i < p.n; i++) {
		struct rc_rule *r = rc_rule_add(x->rc, x->pol, x->line);

		if (r == NULL)
			return;
		r->action = act;
		for (size_t j = 0; j < p.d[i].n; j++)
			rc_atom_add(x->rc, r, &p.d[i].a[j]);
	}
}

static void
mark_pass(struct xr *x)
{
	struct cond p;

	path(x, &p);
	for (size_t i = 0; i < p.n; i++) {
		if (x->npass >= XR_PASS) {
			x->pass_over = true;
			return;
		}
		x->pass[x->npass++] = p.d[i];
	}
}

static void
rpl_end(struct xr *x)
{
	struct rc_rule *r;

	for (size_t i = 0; i < x->npass; i++) {
		if ((r = rc_rule_add(x->rc, x->pol, x->line)) == NULL)
			return;
		r->action = RC_ACT_ACCEPT;
		for (size_t j = 0; j < x->pass[i].n; j++)
			rc_atom_add(x->rc, r, &x->pass[i].a[j]);
	}
	if (x->pass_over && (r = rc_rule_add(x->rc, x->pol, x->line)) !=
	    NULL) {
		struct rc_atom a;

		unknown(x, &a, "a policy with too many passes");
		rc_atom_add(x->rc, r, &a);
	}
	x->rc->pol[x->pol].fallthrough = RC_ACT_REJECT;
	x->ctx = X_TOP;
}

/* One line of RPL: statements token by token. */
static void
rpl_line(struct xr *x, struct manrs_view *t, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (t[i].p[0] == '#')
			return;
		if (eq(t[i], "if") || eq(t[i], "elseif")) {
			bool els = eq(t[i], "elseif");
			struct cond c, neg;

			i++;
			condition(x, t, n, &i, &c);
			if (!els) {
				if (x->depth >= MANRS_RC_DEPTH_MAX) {
					rc_error(x->rc, x->line, "ifs nested "
					    "too deep");
					return;
				}
				x->has_taken[x->depth] = false;
				x->raw[x->depth] = c;
				x->lvl[x->depth++] = c;
				continue;
			}
			if (x->depth == 0)
				return;
			/* Not the branches before, and this one. */
			cond_not(x, &x->raw[x->depth - 1], &neg);
			if (x->has_taken[x->depth - 1])
				cond_and(x, &neg, &x->taken[x->depth - 1]);
			x->taken[x->depth - 1] = neg;
			x->has_taken[x->depth - 1] = true;
			x->raw[x->depth - 1] = c;
			cond_and(x, &neg, &c);
			x->lvl[x->depth - 1] = neg;
		} else if (eq(t[i], "else")) {
			struct cond neg;

			i++;
			if (x->depth == 0)
				continue;
			cond_not(x, &x->raw[x->depth - 1], &neg);
			if (x->has_taken[x->depth - 1])
				cond_and(x, &neg, &x->taken[x->depth - 1]);
			x->lvl[x->depth - 1] = neg;
		} else if (eq(t[i], "endif")) {
			i++;
			if (x->depth > 0)
				x->depth--;
		} else if (eq(t[i], "drop")) {
			emit(x, RC_ACT_REJECT);
			i++;
		} else if (eq(t[i], "done")) {
			emit(x, RC_ACT_ACCEPT);
			i++;
		} else if (eq(t[i], "pass")) {
			mark_pass(x);
			i++;
		} else if (eq(t[i], "set") || eq(t[i], "prepend") ||
		    eq(t[i], "delete") || eq(t[i], "remove")) {
			/* An action changing the route passes it; its
			 * arguments run up to the next keyword. */
			if (!eq(t[i], "delete"))
				mark_pass(x);
			for (i++; i < n && !eq(t[i], "endif") &&
			    !eq(t[i], "else") && !eq(t[i], "elseif"); i++)
				;
		} else if (eq(t[i], "apply")) {
			struct rc_rule *r;
			struct rc_atom a;
			struct cond p;

			/* A sub-policy's drop, pass and done mix with
			 * this one's: not modelled. */
			path(x, &p);
			unknown(x, &a, "an RPL \"apply\"");
			if ((r = rc_rule_add(x->rc, x->pol, x->line)) !=
			    NULL) {
				r->action = RC_ACT_REJECT;
				rc_atom_add(x->rc, r, &a);
			}
			i += 2;
		} else
			i++;
	}
}

static struct rc_session *
cur_nb(struct xr *x)
{
	return x->nbi < x->rc->ns ? &x->rc->s[x->nbi] : NULL;
}

static void
bgp_line(struct xr *x, struct manrs_view *t, size_t n, size_t indent)
{
	struct rc_session *s;
	uint32_t v;

	if ((eq(t[0], "neighbor") || eq(t[0], "neighbor-group")) && n == 2) {
		if ((s = rc_session_find(x->rc, t[1])) == NULL)
			s = rc_session_add(x->rc, t[1], x->line);
		if (s == NULL)
			return;
		s->af_on[0] = s->af_on[1] = false;
		s->is_group = eq(t[0], "neighbor-group");
		x->nbi = (size_t)(s - x->rc->s);
		x->nb_indent = indent;
		x->ctx = X_NB;
		return;
	}
	if (n >= 2 && eq(t[0], "rpki") && eq(t[1], "server")) {
		x->rc->rpki_on = true;
		x->rc->rpki_line = x->line;
		x->ctx = X_BGP;
		return;
	}
	if (x->ctx == X_BGP || (s = cur_nb(x)) == NULL || indent <=
	    x->nb_indent) {
		if (x->ctx != X_BGP && indent <= x->nb_indent)
			x->ctx = X_BGP;
		return;
	}
	if (eq(t[0], "remote-as") && n >= 2) {
		if (manrs_asn_parse(t[1], &v) == 0)
			s->pub.remote_as = v;
		else
			rc_error(x->rc, x->line, "bad AS number");
	} else if (eq(t[0], "description") && n >= 2) {
		struct manrs_view d = t[1];

		d.len = (size_t)(t[n - 1].p + t[n - 1].len - d.p);
		s->pub.descr = rc_strdup(x->rc, d);
	} else if (eq(t[0], "use") && n >= 3 && eq(t[1], "neighbor-group"))
		s->group = rc_strdup(x->rc, t[2]);
	else if (eq(t[0], "address-family") && n >= 2) {
		x->af = eq(t[1], "ipv4") && (n == 2 || eq(t[2], "unicast")) ?
		    0 : eq(t[1], "ipv6") && (n == 2 || eq(t[2], "unicast")) ?
		    1 : -1;
		if (x->af >= 0)
			s->af_on[x->af] = true;
		x->ctx = X_NBAF;
	} else if (x->ctx == X_NBAF && x->af >= 0 && eq(t[0],
	    "route-policy") && n >= 3 && (eq(t[2], "in") || eq(t[2], "out"))) {
		struct rc_dir *d = eq(t[2], "in") ? &s->in[x->af] :
		    &s->out[x->af];
		struct manrs_view nm = t[1];
		const char *paren = memchr(nm.p, '(', nm.len);

		/* "route-policy NAME(ARGS) in": parameters not modelled. */
		if (paren != NULL)
			nm.len = (size_t)(paren - nm.p);
		d->kind = RC_POL_REF;
		d->policy = rc_policy_get(x->rc, nm);
		d->line = x->line;
		if (paren != NULL)
			rc_note(x->rc, x->line, "route-policy parameters are "
			    "not modelled");
	} else if (x->ctx == X_NBAF && eq(t[0], "maximum-prefix") && n >= 2 &&
	    manrs_view_u32(t[1], UINT32_MAX, &v) == 0)
		s->pub.max_prefix = v;
}

static void
set_line(struct xr *x, struct manrs_view *t, size_t n)
{
	if (n == 1 && eq(t[0], "end-set")) {
		x->ctx = X_TOP;
		return;
	}
	/* Entries end with "," but the last. */
	if (n > 0 && t[n - 1].len > 0 && t[n - 1].p[t[n - 1].len - 1] == ',')
		t[n - 1].len--;
	if (n > 0 && t[n - 1].len == 0)
		n--;
	if (n == 0 || t[0].p[0] == '#')
		return;
	if (x->ctx == X_SET) {
		struct rc_plent e;

		if (set_entry(t, n, &e) == 0)
			rc_plist_add(x->rc, x->set, &e);
		else
			rc_error(x->rc, x->line, "bad prefix-set entry");
	} else if (n == 2) {
		if (aspath_elem(x, x->setname, t[0], t[1]) != 0)
			rc_error(x->rc, x->line, "as-path-set entry not "
			    "understood");
	} else
		rc_error(x->rc, x->line, "as-path-set entry not understood");
}

static void
line_xr(struct xr *x, struct manrs_view line)
{
	struct manrs_view t[XR_TOKS];
	size_t n = 0, indent = 0;
	uint32_t v;

	while (indent < line.len && line.p[indent] == ' ')
		indent++;
	while (n < XR_TOKS && manrs_view_token(&line, &t[n]))
		n++;
	if (n == 0 || t[0].p[0] == '!')
		return;
	if (x->ctx == X_SET || x->ctx == X_ASSET) {
		set_line(x, t, n);
		return;
	}
	if (x->ctx == X_RPL) {
		if (eq(t[0], "end-policy"))
			rpl_end(x);
		else
			rpl_line(x, t, n);
		return;
	}
	if (indent == 0) {
		x->ctx = X_OTHER;
		x->f.ctx = C_OTHER;
	}
	if (indent == 0 && eq(t[0], "router") && n >= 3 && eq(t[1], "bgp")) {
		if (manrs_asn_parse(t[2], &v) != 0)
			rc_error(x->rc, x->line, "bad AS number");
		else if (x->rc->local_as == 0)
			x->rc->local_as = v;
		x->ctx = X_BGP;
	} else if (indent == 0 && n >= 2 && eq(t[0], "prefix-set")) {
		x->set = rc_plist_get(x->rc, t[1]);
		x->ctx = X_SET;
	} else if (indent == 0 && n >= 2 && eq(t[0], "as-path-set")) {
		snprintf(x->setname, sizeof(x->setname), "%.*s",
		    (int)t[1].len, t[1].p);
		x->ctx = X_ASSET;
	} else if (indent == 0 && n >= 2 && eq(t[0], "route-policy")) {
		struct manrs_view nm = t[1];
		const char *paren = memchr(nm.p, '(', nm.len);

		if (paren != NULL)
			nm.len = (size_t)(paren - nm.p);
		x->pol = rc_policy_get(x->rc, nm);
		if (x->rc->err != 0 && x->rc->err != MANRS_E_SYNTAX)
			return;
		if (x->rc->pol[x->pol].defined)
			rc_error(x->rc, x->line, "route-policy defined twice");
		x->rc->pol[x->pol].defined = true;
		x->rc->pol[x->pol].line = x->line;
		x->depth = 0;
		x->npass = 0;
		x->pass_over = false;
		x->ctx = X_RPL;
	} else if (indent == 0 && n >= 2 && eq(t[0], "interface")) {
		struct rc_iface *ifc = rc_iface_add(x->rc, t[1], x->line);

		if (ifc != NULL) {
			x->f.ifc = (size_t)(ifc - x->rc->ifs);
			x->ctx = X_IFACE;
		}
	} else if (indent == 0 && n == 3 && (eq(t[0], "ipv4") ||
	    eq(t[0], "ipv6")) && eq(t[1], "access-list")) {
		x->f.acl = rc_ios_acl_policy(&x->f, t[2], true);
		x->f.acl_seq = 0;
		x->ctx = X_ACL;
	} else if (indent > 0 && x->ctx == X_ACL)
		rc_ios_acl_entry(&x->f, x->f.acl, false, t, n);
	else if (indent > 0 && x->ctx == X_IFACE && n >= 3 &&
	    (eq(t[0], "ipv4") || eq(t[0], "ipv6")))
		rc_ios_iface(&x->f, t, n);
	else if (indent > 0 && (x->ctx == X_BGP || x->ctx == X_NB ||
	    x->ctx == X_NBAF))
		bgp_line(x, t, n, indent);
}

/* Neighbors take what their neighbor-group has and they do not. */
static void
groups(struct manrs_rc *rc)
{
	size_t n = 0;

	for (size_t i = 0; i < rc->ns; i++) {
		struct rc_session *s = &rc->s[i];

		for (size_t j = 0; s->group != NULL && j < rc->ns; j++) {
			const struct rc_session *g = &rc->s[j];

			if (!g->is_group || strcmp(g->pub.neighbor,
			    s->group) != 0)
				continue;
			if (s->pub.remote_as == 0)
				s->pub.remote_as = g->pub.remote_as;
			if (s->pub.max_prefix == 0)
				s->pub.max_prefix = g->pub.max_prefix;
			for (int af = 0; af < 2; af++) {
				if (s->in[af].kind == RC_POL_UNSET)
					s->in[af] = g->in[af];
				if (s->out[af].kind == RC_POL_UNSET)
					s->out[af] = g->out[af];
				s->af_on[af] |= g->af_on[af];
			}
		}
	}
	for (size_t i = 0; i < rc->ns; i++)
		if (!rc->s[i].is_group)
			rc->s[n++] = rc->s[i];
	rc->ns = n;
}

int
rc_parse_iosxr(struct manrs_rc *rc, const char *text, size_t len)
{
	struct rc_lines l = { text, text + len, 0 };
	struct manrs_view line;
	struct xr *x;
	int r;

	/* The open conditions are large: not on the stack. */
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return MANRS_E_NOMEM;
	x->rc = rc;
	x->f.rc = rc;
	x->nbi = SIZE_MAX;
	while (rc_line_next(&l, &line)) {
		x->line = x->f.line = l.no;
		if (line.len > MANRS_RC_LINE_MAX) {
			rc_error(rc, l.no, "line longer than %u bytes",
			    MANRS_RC_LINE_MAX);
			continue;
		}
		line_xr(x, line);
		if (rc->err != 0 && rc->err != MANRS_E_SYNTAX)
			break;
	}
	if (x->ctx == X_RPL && rc->err == 0)
		rc_error(rc, x->line, "route-policy without end-policy");
	if (rc->err == 0 || rc->err == MANRS_E_SYNTAX) {
		rc_ios_finish(&x->f);
		groups(rc);
	}
	r = rc->err;
	free(x);
	return r;
}
