/*
 * routercfg_ios.c - what Cisco IOS / IOS-XE and Arista EOS add to the
 * language they share with FRR (routercfg_frr.c):
 *
 *   router bgp: "bgp rpki server tcp A port P" (IOS), "rpki cache NAME"
 *     (EOS), "bgp maxas-limit N" (IOS), "neighbor X maximum-routes N"
 *     (EOS), "neighbor X peer group [NAME]" (EOS);
 *   EOS block prefix lists ("ip prefix-list NAME" then "seq N permit
 *     ..." lines, what bgpq4 -e and manrs filter -e print);
 *   route-map "match origin-as validity invalid" (EOS);
 *   interfaces: "ip address A MASK" (IOS), "ip|ipv6 verify unicast
 *     source reachable-via rx|any" (strict|loose uRPF), "ip access-group
 *     NAME in|out", "ipv6 traffic-filter NAME in|out" (IOS), "ipv6
 *     access-group NAME in|out" (EOS);
 *   ACLs: "ip access-list [standard|extended] NAME", "ipv6 access-list
 *     NAME", numbered "access-list N ...", entries "[SEQ] permit|deny
 *     [PROTO] SRC [DST]" with SRC "any", "host A", "A WILDCARD" (IOS) or
 *     "A/LEN" (EOS).  An ACL is a packet policy (first match, implicit
 *     deny): the SAV checks send test packets through it.
 */
#include <stdio.h>
#include <string.h>

#include "routercfg_ios.h"

static bool
eq(struct manrs_view v, const char *s)
{
	return manrs_view_eq(v, s);
}

/* Leading ones of a dotted IPv4 mask (inverted: a wildcard); -1 when
 * not contiguous. */
static int
mask_len(struct manrs_view v, bool wildcard)
{
	struct manrs_prefix a;
	uint32_t m;
	int n = 0;

	if (manrs_addr_parse(v, MANRS_PREFIX_V4_ONLY, &a) != 0)
		return -1;
	m = (uint32_t)a.addr[0] << 24 | (uint32_t)a.addr[1] << 16 |
	    (uint32_t)a.addr[2] << 8 | a.addr[3];
	if (wildcard)
		m = ~m;
	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n) != 0)
		return -1;
	return n;
}

/* "A MASK" or "A WILDCARD" into p (host bits cleared). */
static int
addr_mask(struct manrs_view a, struct manrs_view m, bool wildcard,
    struct manrs_prefix *p)
{
	int len = mask_len(m, wildcard);

	if (len < 0 || manrs_addr_parse(a, MANRS_PREFIX_V4_ONLY, p) != 0)
		return MANRS_E_SYNTAX;
	p->len = (uint8_t)len;
	manrs_prefix_mask(p);
	return 0;
}

/*
 * An address of an ACL entry at t[*i]: "any" (any = true), "host A",
 * "A/LEN", "A WILDCARD" or (standard lists) a bare "A".  *i moves past
 * it.  0 or MANRS_E_SYNTAX.
 */
static int
acl_addr(struct manrs_view *t, size_t n, size_t *i, bool std,
    struct manrs_prefix *p, bool *any)
{
	size_t k = *i;

	*any = false;
	if (k >= n)
		return MANRS_E_SYNTAX;
	if (eq(t[k], "any") || eq(t[k], "any4") || eq(t[k], "any6")) {
		*any = true;
		*i = k + 1;
		return 0;
	}
	if (eq(t[k], "host") && k + 1 < n) {
		*i = k + 2;
		return manrs_addr_parse(t[k + 1], 0, p);
	}
	if (memchr(t[k].p, '/', t[k].len) != NULL) {
		*i = k + 1;
		return manrs_prefix_parse(t[k], MANRS_PREFIX_NORMALIZE, p);
	}
	if (k + 1 < n && mask_len(t[k + 1], true) >= 0) {
		*i = k + 2;
		return addr_mask(t[k], t[k + 1], true, p);
	}
	if (std) {
		*i = k + 1;
		return manrs_addr_parse(t[k], 0, p);
	}
	return MANRS_E_SYNTAX;
}

/* An anonymous one-entry packet list for a source prefix. */
static uint32_t
packet_list(struct frr *f, const struct manrs_prefix *p)
{
	char name[64];
	struct rc_plent e;
	uint32_t pl;

	snprintf(name, sizeof(name), " acl-src %zu", f->rc->npl);
	pl = rc_plist_get(f->rc, manrs_view_cstr(name));
	if (f->rc->err != 0 && f->rc->err != MANRS_E_SYNTAX)
		return 0;
	memset(&e, 0, sizeof(e));
	e.p = *p;
	e.permit = true;
	e.min = p->len;
	e.max = (uint8_t)manrs_af_bits(p->af);
	f->rc->pl[pl].packet = true;
	rc_plist_add(f->rc, pl, &e);
	return pl;
}

uint32_t
rc_ios_acl_policy(struct frr *f, struct manrs_view name, bool define)
{
	char buf[MANRS_RC_NAME_MAX + 8];
	uint32_t pol;

	snprintf(buf, sizeof(buf), "acl %.*s", (int)name.len, name.p);
	pol = rc_policy_get(f->rc, manrs_view_cstr(buf));
	if (define && (f->rc->err == 0 || f->rc->err == MANRS_E_SYNTAX)) {
		f->rc->pol[pol].defined = true;
		if (f->rc->pol[pol].line == 0)
			f->rc->pol[pol].line = f->line;
		f->rc->pol[pol].fallthrough = RC_ACT_REJECT;
	}
	return pol;
}

/* One entry of ACL pol from t[0]: "[SEQ] permit|deny|remark ...". */
void
rc_ios_acl_entry(struct frr *f, uint32_t pol, bool std, struct manrs_view *t,
    size_t n)
{
	struct rc_atom a;
	struct rc_rule *r;
	struct manrs_prefix p;
	size_t i = 0;
	uint32_t seq;
	bool any, permit;

	if (n > 0 && manrs_view_u32(t[0], UINT32_MAX, &seq) == 0)
		i = 1;
	else
		seq = f->acl_seq + 10;
	if (i < n && eq(t[i], "remark"))
		return;
	if (i >= n || (!eq(t[i], "permit") && !eq(t[i], "deny"))) {
		rc_note(f->rc, f->line, "ACL entry not understood: the "
		    "interfaces using it are undecided");
		return;
	}
	permit = eq(t[i], "permit");
	i++;
	f->acl_seq = seq;
	if ((r = rc_rule_add(f->rc, pol, f->line)) == NULL)
		return;
	r->seq = seq;
	r->action = permit ? RC_ACT_ACCEPT : RC_ACT_REJECT;
	memset(&a, 0, sizeof(a));
	if (!std) {
		if (i >= n) {
			a.kind = RC_A_UNKNOWN;
			a.str = "an ACL entry without protocol";
			rc_atom_add(f->rc, r, &a);
			return;
		}
		/* The test packets are plain IP data: a protocol or port
		 * condition does not match them. */
		if (!eq(t[i], "ip") && !eq(t[i], "ipv4") &&
		    !eq(t[i], "ipv6")) {
			a.kind = RC_A_COMMUNITY;
			rc_atom_add(f->rc, r, &a);
		}
		i++;
	}
	if (acl_addr(t, n, &i, std, &p, &any) != 0) {
		a.kind = RC_A_UNKNOWN;
		a.str = "an ACL source not understood";
		rc_note(f->rc, f->line, "ACL source not understood: the "
		    "interfaces using it are undecided");
		rc_atom_add(f->rc, r, &a);
		return;
	}
	if (!any) {
		a.kind = RC_A_PREFIX_IN;
		a.arg = packet_list(f, &p);
		rc_atom_add(f->rc, r, &a);
	}
	if (std || i >= n)
		return;
	if (acl_addr(t, n, &i, false, &p, &any) != 0 || !any) {
		/* The test packets have no one destination. */
		a.kind = RC_A_UNKNOWN;
		a.str = "an ACL destination other than any";
		rc_atom_add(f->rc, r, &a);
	}
}

/* "ip|ipv6|ipv4 access-list [standard|extended] NAME" */
static bool
acl_start(struct frr *f, struct manrs_view *t, size_t n)
{
	size_t k = 2;

	f->acl_std = false;
	if (n > 3 && (eq(t[2], "standard") || eq(t[2], "extended"))) {
		f->acl_std = eq(t[2], "standard");
		k = 3;
	}
	if (k + 1 != n)
		return false;
	f->acl = rc_ios_acl_policy(f, t[k], true);
	f->acl_seq = 0;
	f->ctx = C_ACL;
	return true;
}

void
rc_ios_iface(struct frr *f, struct manrs_view *t, size_t n)
{
	struct rc_iface *ifc = &f->rc->ifs[f->ifc];
	int af = eq(t[0], "ipv6");
	struct manrs_prefix p;

	if (n >= 4 && eq(t[1], "address") && af == 0 && ifc->naddr < 8 &&
	    addr_mask(t[2], t[3], false, &p) == 0)
		ifc->addr[ifc->naddr++] = p;
	else if (n >= 3 && eq(t[1], "address") && ifc->naddr < 8 &&
	    manrs_prefix_parse(t[2], MANRS_PREFIX_NORMALIZE, &p) == 0)
		ifc->addr[ifc->naddr++] = p;
	else if (n >= 3 && eq(t[1], "verify") && eq(t[2], "unicast")) {
		/* "source reachable-via rx|any" or "reverse-path" */
		ifc->urpf[af] = 1;
		for (size_t k = 3; k < n; k++)
			if (eq(t[k], "any"))
				ifc->urpf[af] = 2;
		ifc->urpf_line[af] = f->line;
	} else if (n >= 4 && (eq(t[1], "access-group") ||
	    eq(t[1], "traffic-filter")) && (eq(t[3], "in") ||
	    eq(t[3], "out") || eq(t[3], "ingress") || eq(t[3], "egress"))) {
		uint32_t pol = rc_ios_acl_policy(f, t[2], false);

		if (f->rc->err != 0 && f->rc->err != MANRS_E_SYNTAX)
			return;
		if (eq(t[3], "in") || eq(t[3], "ingress")) {
			ifc->fin[af] = pol + 1;
			ifc->fin_line[af] = f->line;
		} else {
			ifc->fout[af] = pol + 1;
			ifc->fout_line[af] = f->line;
		}
	}
}

static bool
bgp_line(struct frr *f, struct manrs_view *t, size_t n)
{
	struct rc_session *s;
	uint32_t v;

	if (n >= 4 && eq(t[0], "bgp") && eq(t[1], "rpki") &&
	    eq(t[2], "server")) {
		f->rc->rpki_on = true;
		f->rc->rpki_line = f->line;
		return true;
	}
	if (n >= 3 && eq(t[0], "rpki") && eq(t[1], "cache")) {
		f->rc->rpki_on = true;
		f->rc->rpki_line = f->line;
		return true;
	}
	if (n >= 3 && eq(t[0], "bgp") && eq(t[1], "maxas-limit")) {
		if (manrs_view_u32(t[2], 2000, &v) != 0)
			rc_error(f->rc, f->line, "bad maxas-limit");
		else {
			f->maxas = v;
			f->maxas_line = f->line;
		}
		return true;
	}
	if (n < 3 || !eq(t[0], "neighbor"))
		return false;
	if (eq(t[2], "maximum-routes") && n >= 4) {
		if ((s = rc_session_find(f->rc, t[1])) != NULL &&
		    manrs_view_u32(t[3], UINT32_MAX, &v) == 0)
			s->pub.max_prefix = v;
		return true;
	}
	if (n >= 4 && eq(t[2], "peer") && eq(t[3], "group")) {
		if ((s = rc_session_find(f->rc, t[1])) == NULL &&
		    (s = rc_session_add(f->rc, t[1], f->line)) != NULL)
			s->af_on[1] = false;
		if (s == NULL)
			return true;
		if (n == 4)
			s->is_group = true;
		else
			s->group = rc_strdup(f->rc, t[4]);
		return true;
	}
	return false;
}

bool
rc_ios_line(struct frr *f, struct manrs_view line, struct manrs_view *t,
    size_t n)
{
	bool ip = n > 1 && (eq(t[0], "ip") || eq(t[0], "ipv6") ||
	    eq(t[0], "ipv4"));

	(void)line;
	if (f->ctx == C_ACL && (eq(t[0], "permit") || eq(t[0], "deny") ||
	    eq(t[0], "remark") || (n > 1 && (t[0].p[0] >= '0' &&
	    t[0].p[0] <= '9')))) {
		rc_ios_acl_entry(f, f->acl, f->acl_std, t, n);
		return true;
	}
	if (f->ctx == C_PLIST && n > 2 && eq(t[0], "seq")) {
		struct manrs_view u[20];

		u[0] = u[1] = t[0];
		u[2] = manrs_view_cstr(f->plname);
		for (size_t k = 0; k < n && k + 3 < 20; k++)
			u[k + 3] = t[k];
		rc_frr_prefix_list(f, u, n + 3 < 20 ? n + 3 : 20, f->plaf);
		return true;
	}
	if (ip && eq(t[1], "access-list") && n >= 3)
		return acl_start(f, t, n);
	if (n >= 3 && eq(t[0], "access-list")) {
		/* Numbered: 1-99 and 1300-1999 standard. */
		uint32_t num = 0;

		(void)manrs_view_u32(t[1], UINT32_MAX, &num);
		f->acl = rc_ios_acl_policy(f, t[1], true);
		if (f->rc->err != 0 && f->rc->err != MANRS_E_SYNTAX)
			return true;
		f->acl_seq = (uint32_t)f->rc->pol[f->acl].n * 10;
		rc_ios_acl_entry(f, f->acl, num < 100 ||
		    (num >= 1300 && num < 2000),
		    t + 2, n - 2);
		f->ctx = C_TOP;
		return true;
	}
	if (ip && eq(t[1], "prefix-list") && n == 3) {
		snprintf(f->plname, sizeof(f->plname), "%.*s",
		    (int)t[2].len, t[2].p);
		f->plaf = eq(t[0], "ipv6");
		(void)rc_plist_get(f->rc, t[2]);
		f->ctx = C_PLIST;
		return true;
	}
	switch (f->ctx) {
	case C_BGP:
	case C_AF:
		return bgp_line(f, t, n);
	case C_IFACE:
		if (ip && (eq(t[1], "verify") || eq(t[1], "access-group") ||
		    eq(t[1], "traffic-filter") || (eq(t[1], "address") &&
		    n >= 4 && memchr(t[2].p, '/', t[2].len) == NULL))) {
			rc_ios_iface(f, t, n);
			return true;
		}
		return false;
	case C_RMAP:
		if (n >= 4 && eq(t[0], "match") && eq(t[1], "origin-as") &&
		    eq(t[2], "validity") && f->rule != NULL) {
			struct rc_atom a;

			memset(&a, 0, sizeof(a));
			a.kind = RC_A_RPKI;
			a.arg = eq(t[3], "invalid") ? RC_RPKI_INVALID :
			    eq(t[3], "valid") ? RC_RPKI_VALID :
			    RC_RPKI_NOTFOUND;
			rc_atom_add(f->rc, f->rule, &a);
			return true;
		}
		return false;
	default:
		return false;
	}
}

void
rc_ios_finish(struct frr *f)
{
	struct manrs_rc *rc = f->rc;

	/* An ACL applied but not defined filters nothing (IOS, EOS). */
	for (size_t i = 0; i < rc->nifs; i++)
		for (int af = 0; af < 2; af++) {
			uint32_t p[2] = { rc->ifs[i].fin[af],
			    rc->ifs[i].fout[af] };

			for (int d = 0; d < 2; d++) {
				if (p[d] == 0 || rc->pol[p[d] - 1].defined)
					continue;
				rc->pol[p[d] - 1].defined = true;
				rc->pol[p[d] - 1].fallthrough = RC_ACT_ACCEPT;
				rc_note(rc, d ? rc->ifs[i].fout_line[af] :
				    rc->ifs[i].fin_line[af], "access list "
				    "\"%s\" is applied but not defined: it "
				    "filters nothing", rc->pol[p[d] - 1].name +
				    4);
			}
		}
}
