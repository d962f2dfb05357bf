/*
 * routercfg_frr.c - FRR, Cisco IOS / IOS-XE and Arista EOS
 * configurations: one language (IOS's, which FRR and EOS follow), the
 * dialect only where they differ (routercfg_ios.c: IOS/EOS interfaces,
 * uRPF, ACLs, RPKI servers, "ip as-path access-list").
 *
 * FRR (frr.conf / vtysh -C -f; FRR 8):
 * "router bgp" with neighbors and peer-groups, address-families,
 * route-maps (ordered by sequence, implicit deny, "on-match next" /
 * "continue" go on), "ip[v6] prefix-list", "bgp as-path access-list",
 * "rpki cache", interfaces with addresses, "no bgp
 * ebgp-requires-policy" (RFC 8212 is FRR's default).
 *
 * A neighbor's import in one family is what FRR applies: prefix-list,
 * then filter-list, then route-map; each is folded into one policy.
 * Blocks are recognised by their opening commands, not indentation.
 */
#include <stdlib.h>
#include <string.h>

#include "routercfg_int.h"
#include "routercfg_ios.h"

#define TOKS_MAX	16

static size_t
tokens(struct manrs_view line, struct manrs_view *t)
{
	size_t n = 0;

	while (n < TOKS_MAX && manrs_view_token(&line, &t[n]))
		n++;
	return n;
}

static bool
eq(struct manrs_view v, const char *s)
{
	return manrs_view_eq(v, s);
}

static struct rc_session *
neighbor(struct frr *f, struct manrs_view nb, bool create)
{
	struct rc_session *s = rc_session_find(f->rc, nb);

	if (s == NULL && create) {
		s = rc_session_add(f->rc, nb, f->line);
		if (s != NULL)
			s->af_on[1] = false;
	}
	return s;
}

/* "ip prefix-list NAME [seq N] permit|deny PREFIX|any [ge N] [le N]" */
void
rc_frr_prefix_list(struct frr *f, struct manrs_view *t, size_t n, int af)
{
	struct rc_plent e;
	size_t i = 3;
	uint32_t v;

	memset(&e, 0, sizeof(e));
	if (n < 5 || eq(t[3], "description"))
		return;
	if (eq(t[3], "seq")) {
		if (manrs_view_u32(t[4], UINT32_MAX, &e.seq) != 0)
			goto bad;
		i = 5;
	} else {
		uint32_t pl = rc_plist_get(f->rc, t[2]);

		/* Out of memory or objects: no list to count. */
		if (f->rc->err != 0 && f->rc->err != MANRS_E_SYNTAX)
			return;
		e.seq = (uint32_t)f->rc->pl[pl].n * 5 + 5;
	}
	if (i >= n)
		goto bad;
	if (!eq(t[i], "permit") && !eq(t[i], "deny"))
		goto bad;
	e.permit = eq(t[i], "permit");
	if (i + 1 >= n)
		goto bad;
	if (eq(t[i + 1], "any")) {
		e.p.af = af == 0 ? MANRS_AF_INET : MANRS_AF_INET6;
		e.max = (uint8_t)manrs_af_bits(e.p.af);
	} else {
		if (rc_prefix(t[i + 1], &e.p) != 0 ||
		    e.p.af != (af == 0 ? MANRS_AF_INET : MANRS_AF_INET6))
			goto bad;
		e.min = e.max = e.p.len;
		for (i += 2; i + 1 < n; i += 2) {
			if (manrs_view_u32(t[i + 1], manrs_af_bits(e.p.af),
			    &v) != 0 || v < e.p.len)
				goto bad;
			if (eq(t[i], "ge")) {
				e.min = (uint8_t)v;
				if (e.max < v)
					e.max = (uint8_t)manrs_af_bits(e.p.af);
			} else if (eq(t[i], "le"))
				e.max = (uint8_t)v;
			else
				goto bad;
		}
		if (i < n || e.min > e.max)
			goto bad;
	}
	rc_plist_add(f->rc, rc_plist_get(f->rc, t[2]), &e);
	return;
bad:
	rc_error(f->rc, f->line, "bad prefix-list entry");
}

/* "bgp as-path access-list NAME [seq N] permit|deny REGEX" */
static void
as_path(struct frr *f, struct manrs_view line, struct manrs_view *t, size_t n)
{
	struct rc_asent e;
	size_t i = 4;
	struct manrs_view re;

	memset(&e, 0, sizeof(e));
	if (n > 5 && eq(t[4], "seq"))
		i = 6;
	if (n <= i + 1 || (!eq(t[i], "permit") && !eq(t[i], "deny"))) {
		rc_error(f->rc, f->line, "bad as-path access-list entry");
		return;
	}
	e.permit = eq(t[i], "permit");
	e.is_re = true;
	/* The regex is the rest of the line (it may hold spaces). */
	re.p = t[i + 1].p;
	re.len = (size_t)(line.p + line.len - re.p);
	re = manrs_view_trim(re);
	/* EOS: "... permit REGEX any|egp|igp|incomplete" (the origin). */
	if (f->rc->dialect == MANRS_RC_EOS && n > i + 2 &&
	    (eq(t[n - 1], "any") || eq(t[n - 1], "egp") ||
	    eq(t[n - 1], "igp") || eq(t[n - 1], "incomplete")))
		re = manrs_view_trim((struct manrs_view){ re.p,
		    (size_t)(t[n - 1].p - re.p) });
	e.re_ok = rc_regex_compile(&e.re, re) == 0;
	if (!e.re_ok)
		rc_note(f->rc, f->line, "as-path regex not understood: the "
		    "filters using it are undecided");
	rc_aslist_add(f->rc, rc_aslist_get(f->rc, t[3]), &e);
}

static void
set_dir(struct frr *f, struct rc_session *s, uint32_t (*a)[2],
    struct manrs_view dir, uint32_t idx)
{
	int af = f->ctx == C_AF ? f->af : 0;
	int d = eq(dir, "out");

	if (af < 0)
		return;
	a[af][d] = idx + 1;
	s->dline[af][d] = f->line;
}

static void
bgp_neighbor(struct frr *f, struct manrs_view *t, size_t n)
{
	struct rc_session *s;
	uint32_t v;

	if (n < 3)
		return;
	if (eq(t[2], "remote-as") && n >= 4) {
		s = neighbor(f, t[1], true);
		if (s == NULL)
			return;
		s->pub.line = f->line;
		if (eq(t[3], "internal"))
			s->pub.remote_as = f->rc->local_as;
		else if (manrs_asn_parse(t[3], &v) == 0)
			s->pub.remote_as = v;
		if (!f->v4_default)
			s->af_on[0] = false;
		return;
	}
	if (eq(t[2], "peer-group")) {
		s = neighbor(f, t[1], true);
		if (s == NULL)
			return;
		if (n == 3)
			s->is_group = true;
		else
			s->group = rc_strdup(f->rc, t[3]);
		return;
	}
	s = neighbor(f, t[1], false);
	if (s == NULL) {
		rc_note(f->rc, f->line, "neighbor without remote-as");
		return;
	}
	if (eq(t[2], "description") && n >= 4) {
		struct manrs_view d = t[3];

		d.len = (size_t)(t[n - 1].p + t[n - 1].len - d.p);
		s->pub.descr = rc_strdup(f->rc, d);
	} else if (eq(t[2], "route-map") && n >= 5)
		set_dir(f, s, s->rm, t[4], rc_policy_get(f->rc, t[3]));
	else if (eq(t[2], "prefix-list") && n >= 5)
		set_dir(f, s, s->pl, t[4], rc_plist_get(f->rc, t[3]));
	else if (eq(t[2], "filter-list") && n >= 5)
		set_dir(f, s, s->fl, t[4], rc_aslist_get(f->rc, t[3]));
	else if (eq(t[2], "maximum-prefix") && n >= 4 &&
	    manrs_view_u32(t[3], UINT32_MAX, &v) == 0)
		s->pub.max_prefix = v;
	else if (eq(t[2], "activate") && f->ctx == C_AF && f->af >= 0)
		s->af_on[f->af] = true;
}

static void
no_neighbor(struct frr *f, struct manrs_view *t, size_t n)
{
	struct rc_session *s;

	if (n >= 4 && eq(t[3], "activate") && f->ctx == C_AF && f->af >= 0 &&
	    (s = neighbor(f, t[2], false)) != NULL)
		s->af_on[f->af] = false;
}

static void
rmap_match(struct frr *f, struct manrs_view *t, size_t n)
{
	struct rc_atom a;

	memset(&a, 0, sizeof(a));
	if (n >= 5 && (eq(t[1], "ip") || eq(t[1], "ipv6")) &&
	    eq(t[2], "address") && eq(t[3], "prefix-list")) {
		a.kind = RC_A_PLIST;
		a.arg = rc_plist_get(f->rc, t[4]);
	} else if (n >= 3 && eq(t[1], "as-path")) {
		a.kind = RC_A_ASPATH;
		a.arg = rc_aslist_get(f->rc, t[2]);
	} else if (n >= 3 && eq(t[1], "rpki")) {
		a.kind = RC_A_RPKI;
		a.arg = eq(t[2], "invalid") ? RC_RPKI_INVALID :
		    eq(t[2], "valid") ? RC_RPKI_VALID : RC_RPKI_NOTFOUND;
	} else if (n >= 2 && (eq(t[1], "community") ||
	    eq(t[1], "large-community") || eq(t[1], "extcommunity")))
		a.kind = RC_A_COMMUNITY;
	else {
		a.kind = RC_A_UNKNOWN;
		a.str = "a route-map match not modelled";
		rc_note(f->rc, f->line, "route-map match not modelled: "
		    "checks through it are undecided");
	}
	rc_atom_add(f->rc, f->rule, &a);
}

static void
route_map(struct frr *f, struct manrs_view *t, size_t n)
{
	uint32_t seq;

	if (n < 4 || (!eq(t[2], "permit") && !eq(t[2], "deny")) ||
	    manrs_view_u32(t[3], 65535, &seq) != 0) {
		rc_error(f->rc, f->line, "bad route-map line");
		f->ctx = C_OTHER;
		return;
	}
	f->rmap = rc_policy_get(f->rc, t[1]);
	if (f->rc->err != 0 && f->rc->err != MANRS_E_SYNTAX)
		return;
	f->rc->pol[f->rmap].defined = true;
	if (f->rc->pol[f->rmap].line == 0)
		f->rc->pol[f->rmap].line = f->line;
	f->rule = rc_rule_add(f->rc, f->rmap, f->line);
	if (f->rule == NULL)
		return;
	f->rule->seq = seq;
	f->rule->action = eq(t[2], "permit") ? RC_ACT_ACCEPT : RC_ACT_REJECT;
	f->ctx = C_RMAP;
}

static void
iface_addr(struct frr *f, struct manrs_view *t, size_t n)
{
	struct rc_iface *ifc = &f->rc->ifs[f->ifc];
	struct manrs_prefix p;

	if (n < 3 || !eq(t[1], "address") || ifc->naddr >= 8 ||
	    manrs_prefix_parse(t[2], MANRS_PREFIX_NORMALIZE, &p) != 0)
		return;
	ifc->addr[ifc->naddr++] = p;
}

static void
global(struct frr *f, struct manrs_view line, struct manrs_view *t, size_t n)
{
	if ((eq(t[0], "ip") || eq(t[0], "ipv6")) && n > 1 &&
	    eq(t[1], "prefix-list"))
		rc_frr_prefix_list(f, t, n, eq(t[0], "ipv6"));
	else if (n > 3 && (eq(t[0], "bgp") || eq(t[0], "ip")) &&
	    eq(t[1], "as-path") && eq(t[2], "access-list"))
		as_path(f, line, t, n);
}

static void
line_frr(struct frr *f, struct manrs_view line)
{
	struct manrs_view t[TOKS_MAX];
	size_t n = tokens(line, t);
	uint32_t v;

	if (n == 0 || t[0].p[0] == '!' || t[0].p[0] == '#')
		return;
	if (f->rc->dialect != MANRS_RC_FRR && rc_ios_line(f, line, t, n))
		return;
	if (eq(t[0], "router") && n >= 3 && eq(t[1], "bgp")) {
		if (manrs_asn_parse(t[2], &v) != 0)
			rc_error(f->rc, f->line, "bad AS number");
		else if (f->rc->local_as == 0)
			f->rc->local_as = v;
		f->ctx = C_BGP;
		return;
	}
	if (eq(t[0], "router") || eq(t[0], "vrf") || eq(t[0], "line") ||
	    eq(t[0], "segment-routing")) {
		f->ctx = C_OTHER;
		return;
	}
	if (eq(t[0], "route-map") && n >= 2) {
		route_map(f, t, n);
		return;
	}
	if (eq(t[0], "interface") && n >= 2) {
		struct rc_iface *ifc = rc_iface_add(f->rc, t[1], f->line);

		/* A block may reopen an interface (IOS, EOS). */
		f->ctx = ifc != NULL ? C_IFACE : C_OTHER;
		if (ifc != NULL)
			f->ifc = (size_t)(ifc - f->rc->ifs);
		return;
	}
	if (n == 1 && eq(t[0], "rpki")) {
		f->ctx = C_RPKI;
		return;
	}
	if (eq(t[0], "exit-address-family")) {
		f->ctx = C_BGP;
		return;
	}
	if (eq(t[0], "exit") || eq(t[0], "end")) {
		f->ctx = f->ctx == C_AF ? C_BGP : C_TOP;
		return;
	}
	if (n > 1 && ((eq(t[0], "ip") || eq(t[0], "ipv6")) &&
	    eq(t[1], "prefix-list"))) {
		global(f, line, t, n);
		return;
	}
	if (n > 2 && (eq(t[0], "bgp") || eq(t[0], "ip")) &&
	    eq(t[1], "as-path")) {
		global(f, line, t, n);
		return;
	}
	switch (f->ctx) {
	case C_BGP:
	case C_AF:
		if (eq(t[0], "neighbor"))
			bgp_neighbor(f, t, n);
		else if (eq(t[0], "no") && n >= 3 && eq(t[1], "neighbor"))
			no_neighbor(f, t, n);
		else if (eq(t[0], "address-family") && n >= 2) {
			f->ctx = C_AF;
			f->af = eq(t[1], "ipv4") && (n == 2 ||
			    eq(t[2], "unicast")) ? 0 : eq(t[1], "ipv6") &&
			    (n == 2 || eq(t[2], "unicast")) ? 1 : -1;
		} else if (n >= 3 && eq(t[0], "no") && eq(t[1], "bgp") &&
		    eq(t[2], "ebgp-requires-policy"))
			f->rc->ebgp_requires_policy = false;
		else if (n >= 4 && eq(t[0], "no") && eq(t[1], "bgp") &&
		    eq(t[2], "default") && eq(t[3], "ipv4-unicast"))
			f->v4_default = false;
		break;
	case C_RMAP:
		if (eq(t[0], "match") && f->rule != NULL)
			rmap_match(f, t, n);
		else if (f->rule != NULL && (eq(t[0], "continue") ||
		    (eq(t[0], "on-match") && n > 1 && eq(t[1], "next"))) &&
		    f->rule->action == RC_ACT_ACCEPT)
			f->rule->action = RC_ACT_NONE;
		else if (eq(t[0], "call") && f->rule != NULL) {
			struct rc_atom a = { RC_A_UNKNOWN, false, 0, 0, 0,
			    "a route-map \"call\"" };

			rc_atom_add(f->rc, f->rule, &a);
		}
		break;
	case C_IFACE:
		if (eq(t[0], "ip") || eq(t[0], "ipv6"))
			iface_addr(f, t, n);
		break;
	case C_RPKI:
		if (n >= 3 && eq(t[0], "rpki") && eq(t[1], "cache")) {
			f->rc->rpki_on = true;
			f->rc->rpki_line = f->line;
		}
		break;
	default:
		break;
	}
}

static int
seq_cmp(const void *a, const void *b)
{
	const struct rc_rule *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
pl_cmp(const void *a, const void *b)
{
	const struct rc_plent *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Fold prefix-list, filter-list and route-map of one direction into a
 * policy: not permitted by the prefix list -> reject; not permitted by
 * the filter list -> reject; then the route-map (or accept).
 */
static void
fold(struct frr *f, struct rc_session *s, int af, int d, uint32_t k)
{
	struct manrs_rc *rc = f->rc;
	bool maxas = f->maxas != 0 && d == 0;
	struct rc_dir *dir = d ? &s->out[af] : &s->in[af];
	char name[MANRS_RC_NAME_MAX + 32];
	struct rc_rule *r;
	struct rc_atom a;
	uint32_t p;

	if (s->rm[af][d] == 0 && s->pl[af][d] == 0 && s->fl[af][d] == 0 &&
	    !maxas)
		return;
	dir->line = s->dline[af][d] ? s->dline[af][d] : s->pub.line;
	dir->kind = RC_POL_REF;
	if (s->pl[af][d] == 0 && s->fl[af][d] == 0 && !maxas) {
		dir->policy = s->rm[af][d] - 1;
		return;
	}
	snprintf(name, sizeof(name), " %s %u", s->pub.neighbor, k);
	p = rc_policy_get(rc, manrs_view_cstr(name));
	if (rc->err != 0 && rc->err != MANRS_E_SYNTAX)
		return;
	rc->pol[p].defined = true;
	memset(&a, 0, sizeof(a));
	/* IOS "bgp maxas-limit": longer paths are dropped on receipt. */
	if (maxas && (r = rc_rule_add(rc, p, f->maxas_line)) != NULL) {
		a.kind = RC_A_PATHLEN_GT;
		a.arg = f->maxas;
		r->action = RC_ACT_REJECT;
		rc_atom_add(rc, r, &a);
	}
	if (s->pl[af][d] != 0 && (r = rc_rule_add(rc, p, dir->line)) != NULL) {
		a.kind = RC_A_PLIST;
		a.neg = true;
		a.arg = s->pl[af][d] - 1;
		r->action = RC_ACT_REJECT;
		rc_atom_add(rc, r, &a);
	}
	if (s->fl[af][d] != 0 && (r = rc_rule_add(rc, p, dir->line)) != NULL) {
		a.kind = RC_A_ASPATH;
		a.neg = true;
		a.arg = s->fl[af][d] - 1;
		r->action = RC_ACT_REJECT;
		rc_atom_add(rc, r, &a);
	}
	if ((r = rc_rule_add(rc, p, dir->line)) != NULL) {
		r->action = s->rm[af][d] ? RC_ACT_CALL : RC_ACT_ACCEPT;
		r->call = s->rm[af][d] - 1;
	}
	dir->policy = p;
}

static void
inherit(struct rc_session *s, const struct rc_session *g)
{
	if (s->pub.remote_as == 0)
		s->pub.remote_as = g->pub.remote_as;
	if (s->pub.max_prefix == 0)
		s->pub.max_prefix = g->pub.max_prefix;
	for (int af = 0; af < 2; af++)
		for (int d = 0; d < 2; d++) {
			if (s->rm[af][d] == 0 && s->pl[af][d] == 0 &&
			    s->fl[af][d] == 0) {
				s->rm[af][d] = g->rm[af][d];
				s->pl[af][d] = g->pl[af][d];
				s->fl[af][d] = g->fl[af][d];
				s->dline[af][d] = g->dline[af][d];
			}
			if (g->af_on[af])
				s->af_on[af] = true;
		}
}

static void
finish(struct frr *f)
{
	struct manrs_rc *rc = f->rc;
	size_t n = 0;
	uint32_t k = 0;

	/* Empty lists and policies (an EOS list header, an ACL applied but
	 * not defined) have no array: qsort must not see NULL. */
	for (size_t i = 0; i < rc->npol; i++)
		if (rc->pol[i].n > 0)
			qsort(rc->pol[i].r, rc->pol[i].n,
			    sizeof(*rc->pol[i].r), seq_cmp);
	for (size_t i = 0; i < rc->npl; i++)
		if (rc->pl[i].n > 0)
			qsort(rc->pl[i].e, rc->pl[i].n, sizeof(*rc->pl[i].e),
			    pl_cmp);
	for (size_t i = 0; i < rc->ns; i++) {
		struct rc_session *s = &rc->s[i];

		if (s->group == NULL)
			continue;
		for (size_t j = 0; j < rc->ns; j++)
			if (rc->s[j].is_group &&
			    strcmp(rc->s[j].pub.neighbor, s->group) == 0)
				inherit(s, &rc->s[j]);
	}
	for (size_t i = 0; i < rc->ns; i++)
		if (!rc->s[i].is_group)
			rc->s[n++] = rc->s[i];
	rc->ns = n;
	for (size_t i = 0; i < rc->ns; i++)
		for (int af = 0; af < 2; af++)
			for (int d = 0; d < 2; d++)
				fold(f, &rc->s[i], af, d, k++);
}

int
rc_parse_frr(struct manrs_rc *rc, const char *text, size_t len)
{
	struct rc_lines l = { text, text + len, 0 };
	struct frr f;
	struct manrs_view line;

	memset(&f, 0, sizeof(f));
	f.rc = rc;
	f.v4_default = true;
	while (rc_line_next(&l, &line)) {
		f.line = l.no;
		if (line.len > MANRS_RC_LINE_MAX) {
			rc_error(rc, l.no, "line longer than %u bytes",
			    MANRS_RC_LINE_MAX);
			continue;
		}
		line_frr(&f, line);
		if (rc->err != 0 && rc->err != MANRS_E_SYNTAX)
			return rc->err;
	}
	if (rc->dialect != MANRS_RC_FRR) {
		/* IOS and EOS accept every route without a policy. */
		rc->ebgp_requires_policy = false;
		rc_ios_finish(&f);
	}
	finish(&f);
	return rc->err;
}
