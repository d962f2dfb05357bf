/*
 * sav_render.c - SAV configuration in router dialects: per customer
 * interface the uRPF mode and an explicit-permit ingress filter (BCP 38,
 * RFC 2827: drop bogon sources, permit the customer's prefixes, drop the
 * rest), and per uplink an egress filter (only the operator's and its
 * customers' space may leave).
 *
 * Dialects: Cisco IOS, IOS-XR, Junos ("set" form), Arista EOS, Nokia SR
 * OS (classic CLI, full-path lines), Linux nftables (nft -f) and the
 * rp_filter sysctl.d file, and a tab-separated summary.  Every name that
 * reaches the output passed the character checks of sav.c, so nothing
 * needs quoting beyond what each dialect requires anyway.
 *
 * On IPv6 the router ACL dialects first permit neighbour discovery from
 * link-local and unspecified sources (RFC 4861), because an interface
 * ingress filter also sees traffic addressed to the router itself; the
 * nftables ruleset filters the forward hook only, so it needs no such rule.
 */
#include <stdlib.h>
#include <string.h>

#include "sav_int.h"

struct rctx {
	const struct manrs_sav	*s;
	struct manrs_buf	*b;
	enum manrs_sav_dialect	 d;
	unsigned		 flags;
	struct manrs_prefix	*egress;	/* own + all customers */
	size_t			 negress;
};

/* A printable prefix: "a.b.c.d/n" */
struct ptext {
	char	s[MANRS_PREFIX_STRLEN];
};

static struct ptext
P(const struct manrs_prefix *p)
{
	struct ptext t;

	manrs_prefix_print(p, t.s, sizeof(t.s));
	return t;
}

static const char *const dialect_names[MANRS_SAV_DIALECT_COUNT] = {
	"cisco", "iosxr", "junos", "eos", "sros", "nft", "sysctl", "summary",
};

int
manrs_sav_dialect_parse(const char *name, enum manrs_sav_dialect *d)
{
	int i;

	for (i = 0; i < MANRS_SAV_DIALECT_COUNT; i++)
		if (strcmp(name, dialect_names[i]) == 0) {
			*d = (enum manrs_sav_dialect)i;
			return 0;
		}
	return MANRS_E_NOTFOUND;
}

const char *
manrs_sav_dialect_name(enum manrs_sav_dialect d)
{
	return (unsigned)d < MANRS_SAV_DIALECT_COUNT ? dialect_names[d] : "?";
}

/* ------------------------------------------------------------------ */
/* Shared walkers                                                      */

typedef void (*term_fn)(struct rctx *r, const struct manrs_prefix *p,
    void *arg);

struct bogon_walk {
	struct rctx	*r;
	term_fn		 fn;
	void		*arg;
};

static int
bogon_cb(const struct manrs_prefix *p, void *arg)
{
	struct bogon_walk *w = arg;

	w->fn(w->r, p, w->arg);
	return 0;
}

static void
each_bogon(struct rctx *r, uint8_t af, term_fn fn, void *arg)
{
	struct bogon_walk w = { r, fn, arg };

	manrs_sav_bogon_sources(af, bogon_cb, &w);
}

static void
each_prefix(struct rctx *r, const struct manrs_prefix *v, size_t n,
    uint8_t af, term_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].af == af)
			fn(r, &v[i], arg);
}

static size_t
count_af(const struct manrs_prefix *v, size_t n, uint8_t af)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += v[i].af == af;
	return c;
}

static int
pcmp(const void *a, const void *b)
{
	return manrs_prefix_cmp(a, b);
}

/* own + every customer prefix, sorted, without duplicates. */
static int
build_egress(struct rctx *r)
{
	const struct manrs_sav *s = r->s;
	size_t i, j, n = s->nown, out;

	for (i = 0; i < s->ncust; i++)
		n += s->cust[i].nprefixes;
	if (n == 0)
		return 0;
	if ((r->egress = reallocarray(NULL, n, sizeof(*r->egress))) == NULL)
		return MANRS_E_NOMEM;
	if (s->nown > 0)
		memcpy(r->egress, s->own, s->nown * sizeof(*s->own));
	n = s->nown;
	for (i = 0; i < s->ncust; i++)
		for (j = 0; j < s->cust[i].nprefixes; j++)
			r->egress[n++] = s->cust[i].prefixes[j];
	qsort(r->egress, n, sizeof(*r->egress), pcmp);
	for (out = 0, i = 0; i < n; i++)
		if (out == 0 || !manrs_prefix_eq(&r->egress[out - 1],
		    &r->egress[i]))
			r->egress[out++] = r->egress[i];
	r->negress = out;
	return 0;
}

static void
header(struct rctx *r, const char *c)
{
	manrs_buf_printf(r->b, "%s manrs sav: source address validation "
	    "(BCP 38 / RFC 2827, BCP 84 / RFC 3704, RFC 8704)\n", c);
	manrs_buf_printf(r->b, "%s dialect %s; %zu customer interface(s), "
	    "%zu uplink(s)", c, manrs_sav_dialect_name(r->d), r->s->ncust,
	    r->s->nuplinks);
	if (r->s->operator_asn != 0)
		manrs_buf_printf(r->b, "; operator AS%u", r->s->operator_asn);
	manrs_buf_puts(r->b, "\n");
}

static void
cust_comment(struct rctx *r, const char *c,
    const struct manrs_sav_customer *cu)
{
	enum manrs_sav_urpf m;
	const char *why;

	m = manrs_sav_urpf_mode(cu, r->d, &why);
	manrs_buf_printf(r->b, "%s customer %s on %s, %s-homed, %zu IPv4 + "
	    "%zu IPv6 prefix(es)\n", c, cu->name, cu->ifname,
	    cu->homing == MANRS_SAV_SINGLE ? "single" : "multi",
	    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET),
	    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET6));
	manrs_buf_printf(r->b, "%s uRPF %s: %s\n", c, manrs_sav_urpf_name(m),
	    why);
}

/* ------------------------------------------------------------------ */
/* Cisco IOS                                                           */

static void
ios_v4(struct rctx *r, const struct manrs_prefix *p, void *arg)
{
	const char *act = arg;
	uint32_t a, w;

	a = (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 |
	    (uint32_t)p->addr[2] << 8 | p->addr[3];
	w = p->len == 0 ? UINT32_MAX : (p->len == 32 ? 0 :
	    UINT32_MAX >> p->len);
	if (p->len == 32)
		manrs_buf_printf(r->b, " %s ip host %u.%u.%u.%u any\n", act,
		    a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	else
		manrs_buf_printf(r->b, " %s ip %u.%u.%u.%u %u.%u.%u.%u any\n",
		    act, a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255,
		    w >> 24, (w >> 16) & 255, (w >> 8) & 255, w & 255);
}

static void
ios_v6(struct rctx *r, const struct manrs_prefix *p, void *arg)
{
	manrs_buf_printf(r->b, " %s ipv6 %s any\n", (const char *)arg,
	    P(p).s);
}

static void
ios_acls(struct rctx *r, const char *name, const struct manrs_prefix *v,
    size_t n, bool nd)
{
	manrs_buf_printf(r->b, "ip access-list extended %s-V4\n", name);
	manrs_buf_puts(r->b, " remark bogon sources (RFC 6890)\n");
	each_bogon(r, MANRS_AF_INET, ios_v4, (void *)"deny  ");
	manrs_buf_puts(r->b, " remark permitted sources\n");
	each_prefix(r, v, n, MANRS_AF_INET, ios_v4, (void *)"permit");
	manrs_buf_puts(r->b, " deny   ip any any\n!\n");
	manrs_buf_printf(r->b, "ipv6 access-list %s-V6\n", name);
	if (nd)
		manrs_buf_puts(r->b,
		    " remark neighbour discovery to this router (RFC 4861)\n"
		    " permit icmp FE80::/10 any nd-ns\n"
		    " permit icmp FE80::/10 any nd-na\n"
		    " permit icmp FE80::/10 any router-solicitation\n"
		    " permit icmp host :: any nd-ns\n");
	manrs_buf_puts(r->b, " remark bogon sources (RFC 6890)\n");
	each_bogon(r, MANRS_AF_INET6, ios_v6, (void *)"deny  ");
	manrs_buf_puts(r->b, " remark permitted sources\n");
	each_prefix(r, v, n, MANRS_AF_INET6, ios_v6, (void *)"permit");
	manrs_buf_puts(r->b, " deny   ipv6 any any\n!\n");
}

static void
render_cisco(struct rctx *r)
{
	const struct manrs_sav_customer *cu;
	char name[MANRS_SAV_NAME_MAX + 32];
	enum manrs_sav_urpf m;
	const char *why, *via;
	size_t i;

	header(r, "!");
	for (i = 0; i < r->s->ncust && !(r->flags & MANRS_SAV_NO_INGRESS);
	    i++) {
		cu = &r->s->cust[i];
		manrs_buf_puts(r->b, "!\n");
		cust_comment(r, "!", cu);
		snprintf(name, sizeof(name), "MANRS-SAV-IN-%s", cu->name);
		ios_acls(r, name, cu->prefixes, cu->nprefixes, true);
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		manrs_buf_printf(r->b, "interface %s\n", cu->ifname);
		via = m == MANRS_SAV_URPF_STRICT ? "rx" : "any";
		if (m != MANRS_SAV_URPF_OFF)
			manrs_buf_printf(r->b,
			    " ip verify unicast source reachable-via %s\n"
			    " ipv6 verify unicast source reachable-via %s\n",
			    via, via);
		manrs_buf_printf(r->b, " ip access-group %s-V4 in\n"
		    " ipv6 traffic-filter %s-V6 in\n!\n", name, name);
	}
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	manrs_buf_puts(r->b, "!\n! egress: only our and our customers' "
	    "space leaves (BCP 38)\n");
	ios_acls(r, "MANRS-SAV-OUT", r->egress, r->negress, false);
	for (i = 0; i < r->s->nuplinks; i++)
		manrs_buf_printf(r->b, "interface %s\n"
		    " ip access-group MANRS-SAV-OUT-V4 out\n"
		    " ipv6 traffic-filter MANRS-SAV-OUT-V6 out\n!\n",
		    r->s->uplinks[i]);
}

/* ------------------------------------------------------------------ */
/* Cisco IOS-XR and Arista EOS: numbered entries, prefix/len syntax    */

struct seq_acl {
	unsigned	 seq;
	const char	*act;
	const char	*proto;
};

static void
seq_term(struct rctx *r, const struct manrs_prefix *p, void *arg)
{
	struct seq_acl *a = arg;

	a->seq += 10;
	manrs_buf_printf(r->b, "%s%u %s %s %s any\n",
	    r->d == MANRS_SAV_EOS ? "   " : " ", a->seq, a->act, a->proto,
	    P(p).s);
}

static void
seq_acl(struct rctx *r, const char *kw, const char *name, uint8_t af,
    const struct manrs_prefix *v, size_t n, bool nd)
{
	bool xr = r->d == MANRS_SAV_IOSXR;
	const char *ind = xr ? " " : "   ";
	struct seq_acl a = { 0, "deny", af == MANRS_AF_INET ?
	    (xr ? "ipv4" : "ip") : "ipv6" };
	static const char *const nd_xr[] = { "nd-ns", "nd-na",
	    "router-solicitation" };
	static const char *const nd_eos[] = { "neighbor-solicitation",
	    "neighbor-advertisement", "router-solicitation" };
	int i;

	manrs_buf_printf(r->b, "%s access-list %s-V%c\n", kw, name,
	    af == MANRS_AF_INET ? '4' : '6');
	if (af == MANRS_AF_INET6 && nd) {
		for (i = 0; i < 3; i++) {
			a.seq += 10;
			manrs_buf_printf(r->b, "%s%u permit icmpv6 fe80::/10 "
			    "any %s\n", ind, a.seq, xr ? nd_xr[i] : nd_eos[i]);
		}
		a.seq += 10;
		manrs_buf_printf(r->b, "%s%u permit icmpv6 host :: any %s\n",
		    ind, a.seq, xr ? nd_xr[0] : nd_eos[0]);
	}
	each_bogon(r, af, seq_term, &a);
	a.act = "permit";
	each_prefix(r, v, n, af, seq_term, &a);
	manrs_buf_printf(r->b, "%s%u deny %s any any\n%s", ind, a.seq + 10,
	    a.proto, xr ? "!\n" : "!\n");
}

static void
render_seq(struct rctx *r)
{
	bool xr = r->d == MANRS_SAV_IOSXR;
	const char *ind = xr ? " " : "   ";
	const char *k4 = xr ? "ipv4" : "ip";
	const char *dirin = xr ? "ingress" : "in";
	const char *dirout = xr ? "egress" : "out";
	const struct manrs_sav_customer *cu;
	char name[MANRS_SAV_NAME_MAX + 32];
	enum manrs_sav_urpf m;
	const char *why, *via;
	size_t i;

	header(r, "!");
	for (i = 0; i < r->s->ncust && !(r->flags & MANRS_SAV_NO_INGRESS);
	    i++) {
		cu = &r->s->cust[i];
		manrs_buf_puts(r->b, "!\n");
		cust_comment(r, "!", cu);
		snprintf(name, sizeof(name), "MANRS-SAV-IN-%s", cu->name);
		seq_acl(r, k4, name, MANRS_AF_INET, cu->prefixes,
		    cu->nprefixes, true);
		seq_acl(r, "ipv6", name, MANRS_AF_INET6, cu->prefixes,
		    cu->nprefixes, true);
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		via = m == MANRS_SAV_URPF_STRICT ? "rx" : "any";
		manrs_buf_printf(r->b, "interface %s\n", cu->ifname);
		if (m != MANRS_SAV_URPF_OFF)
			manrs_buf_printf(r->b,
			    "%s%s verify unicast source reachable-via %s\n"
			    "%sipv6 verify unicast source reachable-via %s\n",
			    ind, k4, via, ind, via);
		manrs_buf_printf(r->b, "%s%s access-group %s-V4 %s\n"
		    "%sipv6 access-group %s-V6 %s\n!\n", ind, k4, name, dirin,
		    ind, name, dirin);
	}
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	manrs_buf_puts(r->b, "!\n! egress: only our and our customers' "
	    "space leaves (BCP 38)\n");
	seq_acl(r, k4, "MANRS-SAV-OUT", MANRS_AF_INET, r->egress, r->negress,
	    false);
	seq_acl(r, "ipv6", "MANRS-SAV-OUT", MANRS_AF_INET6, r->egress,
	    r->negress, false);
	for (i = 0; i < r->s->nuplinks; i++)
		manrs_buf_printf(r->b, "interface %s\n"
		    "%s%s access-group MANRS-SAV-OUT-V4 %s\n"
		    "%sipv6 access-group MANRS-SAV-OUT-V6 %s\n!\n",
		    r->s->uplinks[i], ind, k4, dirout, ind, dirout);
}

/* ------------------------------------------------------------------ */
/* Junos ("set" commands)                                              */

struct junos_term {
	const char	*filter;
	const char	*fam;
	const char	*term;
};

static void
junos_src(struct rctx *r, const struct manrs_prefix *p, void *arg)
{
	struct junos_term *t = arg;

	manrs_buf_printf(r->b, "set firewall family %s filter %s term %s "
	    "from source-address %s\n", t->fam, t->filter, t->term, P(p).s);
}

static void
junos_filter(struct rctx *r, const char *filter, uint8_t af,
    const struct manrs_prefix *v, size_t n, bool nd)
{
	const char *fam = af == MANRS_AF_INET ? "inet" : "inet6";
	struct junos_term t = { filter, fam, "bogon-source" };
	const char *pre = "set firewall family";

	if (af == MANRS_AF_INET6 && nd) {
		manrs_buf_printf(r->b,
		    "%s inet6 filter %s term nd from source-address fe80::/10\n"
		    "%s inet6 filter %s term nd from source-address ::/128\n"
		    "%s inet6 filter %s term nd from next-header icmp6\n"
		    "%s inet6 filter %s term nd from icmp-type "
		    "[ neighbor-solicit neighbor-advertisement router-solicit ]\n"
		    "%s inet6 filter %s term nd then accept\n",
		    pre, filter, pre, filter, pre, filter, pre, filter, pre,
		    filter);
	}
	each_bogon(r, af, junos_src, &t);
	manrs_buf_printf(r->b, "%s %s filter %s term bogon-source then count "
	    "%s-bogon\n%s %s filter %s term bogon-source then discard\n",
	    pre, fam, filter, filter, pre, fam, filter);
	t.term = "permitted-source";
	if (count_af(v, n, af) > 0) {
		each_prefix(r, v, n, af, junos_src, &t);
		manrs_buf_printf(r->b, "%s %s filter %s term permitted-source "
		    "then accept\n", pre, fam, filter);
	}
	manrs_buf_printf(r->b, "%s %s filter %s term default then count "
	    "%s-drop\n%s %s filter %s term default then discard\n",
	    pre, fam, filter, filter, pre, fam, filter);
}

/* "ge-0/0/1.100" -> "ge-0/0/1 unit 100"; no unit -> unit 0. */
static void
junos_ifl(const char *ifname, char *buf, size_t size)
{
	const char *dot = strrchr(ifname, '.');

	if (dot != NULL && dot[1] != '\0' &&
	    strspn(dot + 1, "0123456789") == strlen(dot + 1))
		snprintf(buf, size, "%.*s unit %s", (int)(dot - ifname),
		    ifname, dot + 1);
	else
		snprintf(buf, size, "%s unit 0", ifname);
}

static void
render_junos(struct rctx *r)
{
	const struct manrs_sav_customer *cu;
	char name[MANRS_SAV_NAME_MAX + 32], ifl[MANRS_SAV_IFNAME_MAX + 16];
	enum manrs_sav_urpf m;
	bool feasible = false;
	const char *why;
	size_t i;
	int f;

	header(r, "#");
	for (i = 0; i < r->s->ncust && !(r->flags & MANRS_SAV_NO_INGRESS);
	    i++) {
		cu = &r->s->cust[i];
		cust_comment(r, "#", cu);
		snprintf(name, sizeof(name), "MANRS-SAV-IN-%s", cu->name);
		junos_ifl(cu->ifname, ifl, sizeof(ifl));
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		for (f = 0; f < 2; f++) {
			const char *fam = f == 0 ? "inet" : "inet6";
			char fname[MANRS_SAV_NAME_MAX + 40];

			snprintf(fname, sizeof(fname), "%s-V%c", name,
			    f == 0 ? '4' : '6');
			junos_filter(r, fname, f == 0 ? MANRS_AF_INET :
			    MANRS_AF_INET6, cu->prefixes, cu->nprefixes,
			    true);
			manrs_buf_printf(r->b, "set interfaces %s family %s "
			    "filter input %s\n", ifl, fam, fname);
			if (m == MANRS_SAV_URPF_OFF)
				continue;
			manrs_buf_printf(r->b, "set interfaces %s family %s "
			    "rpf-check%s\n", ifl, fam,
			    m == MANRS_SAV_URPF_LOOSE ? " mode loose" : "");
		}
		feasible |= m == MANRS_SAV_URPF_FEASIBLE;
	}
	if (feasible)
		manrs_buf_puts(r->b, "# feasible-path uRPF is chassis-wide on "
		    "Junos; a single-homed customer's only feasible path is\n"
		    "# its own interface, so strict interfaces stay strict in "
		    "effect\nset routing-options forwarding-table "
		    "unicast-reverse-path feasible-paths\n");
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	manrs_buf_puts(r->b, "# egress: only our and our customers' space "
	    "leaves (BCP 38)\n");
	junos_filter(r, "MANRS-SAV-OUT-V4", MANRS_AF_INET, r->egress,
	    r->negress, false);
	junos_filter(r, "MANRS-SAV-OUT-V6", MANRS_AF_INET6, r->egress,
	    r->negress, false);
	for (i = 0; i < r->s->nuplinks; i++) {
		junos_ifl(r->s->uplinks[i], ifl, sizeof(ifl));
		manrs_buf_printf(r->b, "set interfaces %s family inet filter "
		    "output MANRS-SAV-OUT-V4\nset interfaces %s family inet6 "
		    "filter output MANRS-SAV-OUT-V6\n", ifl, ifl);
	}
}

/* ------------------------------------------------------------------ */
/* Nokia SR OS (classic CLI, full-path lines)                          */

#define SROS_FILTER_EGRESS	19999
#define SROS_FILTER_BASE	20000

struct sros_entry {
	const char	*kind;	/* ip-filter / ipv6-filter */
	unsigned	 id;
	unsigned	 entry;
	const char	*action;
};

static void
sros_term(struct rctx *r, const struct manrs_prefix *p, void *arg)
{
	struct sros_entry *e = arg;

	e->entry += 10;
	manrs_buf_printf(r->b, "/configure filter %s %u entry %u create\n"
	    "/configure filter %s %u entry %u match src-ip %s\n"
	    "/configure filter %s %u entry %u action %s\n",
	    e->kind, e->id, e->entry, e->kind, e->id, e->entry, P(p).s,
	    e->kind, e->id, e->entry, e->action);
}

static void
sros_filter(struct rctx *r, unsigned id, const char *desc, uint8_t af,
    const struct manrs_prefix *v, size_t n, bool nd)
{
	struct sros_entry e = { af == MANRS_AF_INET ? "ip-filter" :
	    "ipv6-filter", id, 0, "drop" };

	manrs_buf_printf(r->b, "/configure filter %s %u create\n"
	    "/configure filter %s %u description \"%s\"\n"
	    "/configure filter %s %u default-action drop\n",
	    e.kind, id, e.kind, id, desc, e.kind, id);
	if (af == MANRS_AF_INET6 && nd) {
		e.entry += 10;
		manrs_buf_printf(r->b, "/configure filter %s %u entry %u "
		    "create\n/configure filter %s %u entry %u match "
		    "next-header ipv6-icmp\n/configure filter %s %u entry %u "
		    "match src-ip fe80::/10\n/configure filter %s %u entry %u "
		    "action forward\n", e.kind, id, e.entry, e.kind, id,
		    e.entry, e.kind, id, e.entry, e.kind, id, e.entry);
	}
	each_bogon(r, af, sros_term, &e);
	e.action = "forward";
	each_prefix(r, v, n, af, sros_term, &e);
}

static void
render_sros(struct rctx *r)
{
	const struct manrs_sav_customer *cu;
	char desc[MANRS_SAV_NAME_MAX + 40];
	enum manrs_sav_urpf m;
	const char *why, *mode;
	unsigned id;
	size_t i;

	header(r, "#");
	for (i = 0; i < r->s->ncust && !(r->flags & MANRS_SAV_NO_INGRESS);
	    i++) {
		cu = &r->s->cust[i];
		id = SROS_FILTER_BASE + (unsigned)i;
		cust_comment(r, "#", cu);
		snprintf(desc, sizeof(desc), "manrs sav ingress %s", cu->name);
		sros_filter(r, id, desc, MANRS_AF_INET, cu->prefixes,
		    cu->nprefixes, true);
		sros_filter(r, id, desc, MANRS_AF_INET6, cu->prefixes,
		    cu->nprefixes, true);
		manrs_buf_printf(r->b, "/configure router interface \"%s\" "
		    "ingress filter ip %u\n/configure router interface \"%s\" "
		    "ingress filter ipv6 %u\n", cu->ifname, id, cu->ifname,
		    id);
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		if (m == MANRS_SAV_URPF_OFF)
			continue;
		mode = m == MANRS_SAV_URPF_STRICT ? "strict" : "loose";
		manrs_buf_printf(r->b, "/configure router interface \"%s\" "
		    "urpf-check mode %s\n/configure router interface \"%s\" "
		    "ipv6 urpf-check mode %s\n", cu->ifname, mode, cu->ifname,
		    mode);
	}
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	manrs_buf_puts(r->b, "# egress: only our and our customers' space "
	    "leaves (BCP 38)\n");
	sros_filter(r, SROS_FILTER_EGRESS, "manrs sav egress", MANRS_AF_INET,
	    r->egress, r->negress, false);
	sros_filter(r, SROS_FILTER_EGRESS, "manrs sav egress", MANRS_AF_INET6,
	    r->egress, r->negress, false);
	for (i = 0; i < r->s->nuplinks; i++)
		manrs_buf_printf(r->b, "/configure router interface \"%s\" "
		    "egress filter ip %u\n/configure router interface \"%s\" "
		    "egress filter ipv6 %u\n", r->s->uplinks[i],
		    SROS_FILTER_EGRESS, r->s->uplinks[i], SROS_FILTER_EGRESS);
}

/* ------------------------------------------------------------------ */
/* Linux: nftables ruleset and rp_filter sysctls                       */

#define LINUX_IFNAME_MAX	15	/* IFNAMSIZ - 1 */

static int
linux_ifname_ok(const char *n)
{
	return strlen(n) <= LINUX_IFNAME_MAX && strchr(n, '/') == NULL &&
	    strchr(n, ':') == NULL;
}

struct nft_elems {
	bool	first;
};

static void
nft_elem(struct rctx *r, const struct manrs_prefix *p, void *arg)
{
	struct nft_elems *e = arg;

	manrs_buf_printf(r->b, "%s%s", e->first ? "" : ", ", P(p).s);
	e->first = false;
}

/* A named interval set; nothing when it would be empty. */
static bool
nft_set(struct rctx *r, const char *name, uint8_t af,
    const struct manrs_prefix *v, size_t n, bool bogons)
{
	struct nft_elems e = { true };

	if (!bogons && count_af(v, n, af) == 0)
		return false;
	manrs_buf_printf(r->b, "\tset %s {\n\t\ttype %s; flags interval; "
	    "auto-merge;\n\t\telements = { ", name, af == MANRS_AF_INET ?
	    "ipv4_addr" : "ipv6_addr");
	if (bogons)
		each_bogon(r, af, nft_elem, &e);
	else
		each_prefix(r, v, n, af, nft_elem, &e);
	manrs_buf_puts(r->b, " }\n\t}\n");
	return true;
}

static void
nft_chain(struct rctx *r, const char *chain, const char *setbase,
    bool has4, bool has6)
{
	manrs_buf_printf(r->b, "\tchain %s {\n"
	    "\t\tip saddr @bogon_v4 counter drop comment \"bogon source\"\n"
	    "\t\tip6 saddr @bogon_v6 counter drop comment \"bogon source\"\n",
	    chain);
	if (has4)
		manrs_buf_printf(r->b, "\t\tip saddr @%s_v4 return\n",
		    setbase);
	if (has6)
		manrs_buf_printf(r->b, "\t\tip6 saddr @%s_v6 return\n",
		    setbase);
	manrs_buf_puts(r->b, "\t\tcounter drop comment \"source not "
	    "permitted\"\n\t}\n");
}

/* Every interval set: bogons, each customer's prefixes, the egress. */
static void
nft_sets(struct rctx *r, bool ingress, bool egress)
{
	const struct manrs_sav_customer *cu;
	char set[MANRS_SAV_NAME_MAX + 16];
	size_t i;

	nft_set(r, "bogon_v4", MANRS_AF_INET, NULL, 0, true);
	nft_set(r, "bogon_v6", MANRS_AF_INET6, NULL, 0, true);
	for (i = 0; ingress && i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		snprintf(set, sizeof(set), "in_%s_v4", cu->name);
		nft_set(r, set, MANRS_AF_INET, cu->prefixes, cu->nprefixes,
		    false);
		snprintf(set, sizeof(set), "in_%s_v6", cu->name);
		nft_set(r, set, MANRS_AF_INET6, cu->prefixes, cu->nprefixes,
		    false);
	}
	if (egress) {
		nft_set(r, "out_v4", MANRS_AF_INET, r->egress, r->negress,
		    false);
		nft_set(r, "out_v6", MANRS_AF_INET6, r->egress, r->negress,
		    false);
	}
}

/* IPv6 uRPF (rp_filter is IPv4 only): a fib lookup in prerouting. */
static void
nft_urpf6(struct rctx *r, bool ingress)
{
	const struct manrs_sav_customer *cu;
	enum manrs_sav_urpf m;
	const char *reason;
	size_t i;

	manrs_buf_puts(r->b, "\tchain urpf6 {\n\t\ttype filter hook "
	    "prerouting priority filter; policy accept;\n"
	    "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, "
	    "nd-router-solicit, nd-router-advert } return\n");
	for (i = 0; ingress && i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		m = manrs_sav_urpf_mode(cu, r->d, &reason);
		if (m == MANRS_SAV_URPF_OFF)
			continue;
		manrs_buf_printf(r->b, "\t\tiifname \"%s\" meta nfproto ipv6 "
		    "fib saddr%s oif missing counter drop comment \"uRPF %s\"\n",
		    cu->ifname, m == MANRS_SAV_URPF_STRICT ? " . iif" : "",
		    manrs_sav_urpf_name(m));
	}
	manrs_buf_puts(r->b, "\t}\n");
}

/* The forward hook dispatches per interface to the filter chains. */
static void
nft_forward(struct rctx *r, bool ingress, bool egress)
{
	const struct manrs_sav_customer *cu;
	char chain[MANRS_SAV_NAME_MAX + 16];
	size_t i;

	manrs_buf_puts(r->b, "\tchain forward {\n\t\ttype filter hook "
	    "forward priority filter; policy accept;\n");
	for (i = 0; ingress && i < r->s->ncust; i++)
		manrs_buf_printf(r->b, "\t\tiifname \"%s\" jump in_%s\n",
		    r->s->cust[i].ifname, r->s->cust[i].name);
	for (i = 0; egress && i < r->s->nuplinks; i++)
		manrs_buf_printf(r->b, "\t\toifname \"%s\" jump out\n",
		    r->s->uplinks[i]);
	manrs_buf_puts(r->b, "\t}\n");
	for (i = 0; ingress && i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		cust_comment(r, "\t#", cu);
		snprintf(chain, sizeof(chain), "in_%s", cu->name);
		nft_chain(r, chain, chain,
		    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET) > 0,
		    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET6) > 0);
	}
	if (egress) {
		manrs_buf_puts(r->b, "\t# egress: only our and our customers' "
		    "space leaves (BCP 38)\n");
		nft_chain(r, "out", "out",
		    count_af(r->egress, r->negress, MANRS_AF_INET) > 0,
		    count_af(r->egress, r->negress, MANRS_AF_INET6) > 0);
	}
}

static int
render_nft(struct rctx *r, const char **why)
{
	bool ingress = !(r->flags & MANRS_SAV_NO_INGRESS);
	bool egress = !(r->flags & MANRS_SAV_NO_EGRESS) &&
	    r->s->nuplinks > 0;
	size_t i;

	for (i = 0; i < r->s->ncust; i++)
		if (!linux_ifname_ok(r->s->cust[i].ifname))
			goto badname;
	for (i = 0; i < r->s->nuplinks; i++)
		if (!linux_ifname_ok(r->s->uplinks[i]))
			goto badname;
	manrs_buf_puts(r->b, "#!/usr/sbin/nft -f\n");
	header(r, "#");
	manrs_buf_puts(r->b, "# IPv4 uRPF is rp_filter (manrs sav --dialect "
	    "sysctl); IPv6 uRPF is the fib rule below.\n"
	    "table inet manrs_sav\ndelete table inet manrs_sav\n"
	    "table inet manrs_sav {\n");
	nft_sets(r, ingress, egress);
	nft_urpf6(r, ingress);
	nft_forward(r, ingress, egress);
	manrs_buf_puts(r->b, "}\n");
	return 0;
badname:
	*why = "a Linux interface name is at most 15 bytes, without '/' or "
	    "':'";
	return MANRS_E_FORMAT;
}

static int
render_sysctl(struct rctx *r, const char **why)
{
	const struct manrs_sav_customer *cu;
	enum manrs_sav_urpf m;
	bool relaxed = false;
	const char *reason;
	char key[MANRS_SAV_IFNAME_MAX];
	size_t i, j;

	for (i = 0; i < r->s->ncust; i++)
		if (!linux_ifname_ok(r->s->cust[i].ifname)) {
			*why = "a Linux interface name is at most 15 bytes, "
			    "without '/' or ':'";
			return MANRS_E_FORMAT;
		}
	header(r, "#");
	manrs_buf_puts(r->b, "# /etc/sysctl.d/90-manrs-sav.conf: IPv4 uRPF "
	    "(rp_filter 1 = strict, 2 = loose).\n"
	    "# The kernel applies max(all, IFNAME); IPv6 uRPF is in the "
	    "nftables ruleset.\n");
	for (i = 0; i < r->s->ncust; i++) {
		m = manrs_sav_urpf_mode(&r->s->cust[i], r->d, &reason);
		relaxed |= m != MANRS_SAV_URPF_STRICT;
	}
	if (relaxed)
		manrs_buf_puts(r->b, "# some interfaces are loose or off: "
		    "all must be 0 for that to hold\n"
		    "net.ipv4.conf.all.rp_filter = 0\n");
	for (i = 0; i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		m = manrs_sav_urpf_mode(cu, r->d, &reason);
		/* sysctl.d writes a VLAN "eth0.100" as "eth0/100". */
		strlcpy(key, cu->ifname, sizeof(key));
		for (j = 0; key[j] != '\0'; j++)
			if (key[j] == '.')
				key[j] = '/';
		manrs_buf_printf(r->b, "# %s: %s\nnet.ipv4.conf.%s.rp_filter "
		    "= %d\n", cu->name, reason, key,
		    m == MANRS_SAV_URPF_STRICT ? 1 :
		    m == MANRS_SAV_URPF_OFF ? 0 : 2);
	}
	return 0;
}

static void
render_summary(struct rctx *r)
{
	const struct manrs_sav_customer *cu;
	enum manrs_sav_urpf m;
	const char *why;
	size_t i;

	manrs_buf_puts(r->b, "interface\tcustomer\thoming\turpf\tipv4\tipv6"
	    "\treason\n");
	for (i = 0; i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		manrs_buf_printf(r->b, "%s\t%s\t%s\t%s\t%zu\t%zu\t%s\n",
		    cu->ifname, cu->name, cu->homing == MANRS_SAV_SINGLE ?
		    "single" : "multi", manrs_sav_urpf_name(m),
		    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET),
		    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET6),
		    why);
	}
	for (i = 0; i < r->s->nuplinks; i++)
		manrs_buf_printf(r->b, "%s\t-\tuplink\tegress\t%zu\t%zu\t"
		    "egress filter: own and customer space only\n",
		    r->s->uplinks[i],
		    count_af(r->egress, r->negress, MANRS_AF_INET),
		    count_af(r->egress, r->negress, MANRS_AF_INET6));
}

int
manrs_sav_render(const struct manrs_sav *s, enum manrs_sav_dialect d,
    unsigned flags, struct manrs_buf *out, const char **why)
{
	struct rctx r = { s, out, d, flags, NULL, 0 };
	int rc = 0;

	*why = NULL;
	if ((rc = build_egress(&r)) != 0)
		return rc;
	switch (d) {
	case MANRS_SAV_CISCO:
		render_cisco(&r);
		break;
	case MANRS_SAV_IOSXR:
	case MANRS_SAV_EOS:
		render_seq(&r);
		break;
	case MANRS_SAV_JUNOS:
		render_junos(&r);
		break;
	case MANRS_SAV_SROS:
		render_sros(&r);
		break;
	case MANRS_SAV_NFT:
		rc = render_nft(&r, why);
		break;
	case MANRS_SAV_SYSCTL:
		rc = render_sysctl(&r, why);
		break;
	case MANRS_SAV_SUMMARY:
		render_summary(&r);
		break;
	default:
		rc = MANRS_E_INVAL;
	}
	free(r.egress);
	return rc != 0 ? rc : out->err;
}
