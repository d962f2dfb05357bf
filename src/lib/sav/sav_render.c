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
 *
 * Each filter lists its prefixes aggregated with the aggregate(1) rules
 * of the trie module (covered prefixes dropped, adjacent siblings
 * merged): the same address space in fewer terms.  A family in which a
 * filter has no prefix follows the operator's empty-family choice: DROP
 * renders the filter without permit terms (and says so), OPEN renders no
 * filter and no uRPF for that family (and says so); with no choice
 * nothing is rendered (manrs_sav_check_families refuses it first).
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/aggregate.h>

#include "sav_int.h"

/* A filter's prefixes, aggregated, IPv4 then IPv6 in address order. */
struct plist {
	struct manrs_prefix	*v;
	size_t			 n;
};

struct rctx {
	const struct manrs_sav	*s;
	struct manrs_buf	*b;
	enum manrs_sav_dialect	 d;
	unsigned		 flags;
	struct plist		*cagg;		/* per customer */
	struct plist		 egress;	/* own + all customers */
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
agg_collect(const struct manrs_aggregate_item *it, void *arg)
{
	struct plist *l = arg;

	l->v[l->n++] = it->prefix;
	return 0;
}

static int
agg_add(struct manrs_aggregate *a, const struct manrs_prefix *v, size_t n)
{
	struct manrs_prefix p;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		p = v[i];
		manrs_prefix_mask(&p);
		if ((rc = manrs_aggregate_add(a, &p, 0)) != 0)
			return rc;
	}
	return 0;
}

/*
 * Aggregate v1[0..n1) and v2[0..n2) into l (at most n1 + n2 entries:
 * each merge replaces two).  0 or an error.
 */
static int
aggregate(const struct manrs_prefix *v1, size_t n1,
    const struct manrs_prefix *v2, size_t n2, struct plist *l)
{
	struct manrs_aggregate *a;
	int err, rc;

	l->v = NULL;
	l->n = 0;
	if (n1 + n2 == 0)
		return 0;
	if ((a = manrs_aggregate_new(&err)) == NULL)
		return err;
	if ((rc = agg_add(a, v1, n1)) == 0 && (rc = agg_add(a, v2, n2)) == 0 &&
	    (rc = manrs_aggregate_run(a, 32, 128)) == 0) {
		if ((l->v = reallocarray(NULL, n1 + n2, sizeof(*l->v))) ==
		    NULL)
			rc = MANRS_E_NOMEM;
		else
			rc = manrs_aggregate_walk(a, false, agg_collect, l);
	}
	manrs_aggregate_free(a);
	return rc;
}

/* Every customer's list, and the egress list (own + all customers). */
static int
build_lists(struct rctx *r)
{
	const struct manrs_sav *s = r->s;
	struct manrs_aggregate *a;
	size_t i;
	int err, rc = 0;

	if (s->ncust > 0 &&
	    (r->cagg = calloc(s->ncust, sizeof(*r->cagg))) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < s->ncust && rc == 0; i++)
		rc = aggregate(s->cust[i].prefixes, s->cust[i].nprefixes, NULL,
		    0, &r->cagg[i]);
	if (rc != 0 || s->nuplinks == 0 || (r->flags & MANRS_SAV_NO_EGRESS))
		return rc;
	/* Customers first, one aggregation over everything. */
	if ((a = manrs_aggregate_new(&err)) == NULL)
		return err;
	for (i = 0; i < s->ncust && rc == 0; i++)
		rc = agg_add(a, s->cust[i].prefixes, s->cust[i].nprefixes);
	if (rc == 0 && (rc = agg_add(a, s->own, s->nown)) == 0 &&
	    (rc = manrs_aggregate_run(a, 32, 128)) == 0) {
		size_t n = s->nown;

		for (i = 0; i < s->ncust; i++)
			n += s->cust[i].nprefixes;
		if (n > 0 && (r->egress.v = reallocarray(NULL, n,
		    sizeof(*r->egress.v))) == NULL)
			rc = MANRS_E_NOMEM;
		else if (n > 0)
			rc = manrs_aggregate_walk(a, false, agg_collect,
			    &r->egress);
	}
	manrs_aggregate_free(a);
	return rc;
}

static void
free_lists(struct rctx *r)
{
	size_t i;

	for (i = 0; r->cagg != NULL && i < r->s->ncust; i++)
		free(r->cagg[i].v);
	free(r->cagg);
	free(r->egress.v);
}

static enum manrs_sav_fam
fam(const struct rctx *r, const struct manrs_sav_customer *cu, uint8_t af)
{
	return manrs_sav_family(r->s, cu, af);
}

static const char *
ipv(uint8_t af)
{
	return af == MANRS_AF_INET ? "IPv4" : "IPv6";
}

/* A comment saying what a filter does with a family it has no prefix in. */
static void
fam_note(struct rctx *r, const char *c, const struct manrs_sav_customer *cu,
    uint8_t af)
{
	enum manrs_sav_fam m = fam(r, cu, af);
	const char *v = ipv(af);

	if (m == MANRS_SAV_FAM_DROP)
		manrs_buf_printf(r->b, "%s no %s prefix: every %s source is "
		    "dropped (empty-family drop)\n", c, v, v);
	else if (m == MANRS_SAV_FAM_OPEN)
		manrs_buf_printf(r->b, "%s no %s prefix: no %s filter%s here "
		    "(empty-family open)\n", c, v, v, cu != NULL ?
		    " and no uRPF" : "");
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

static const struct plist *
clist(const struct rctx *r, const struct manrs_sav_customer *cu)
{
	return &r->cagg[cu - r->s->cust];
}

static void
cust_comment(struct rctx *r, const char *c,
    const struct manrs_sav_customer *cu)
{
	const struct plist *l = clist(r, cu);
	size_t n4 = count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET);
	size_t n6 = count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET6);
	size_t a4 = count_af(l->v, l->n, MANRS_AF_INET);
	size_t a6 = count_af(l->v, l->n, MANRS_AF_INET6);
	enum manrs_sav_urpf m;
	const char *why;

	m = manrs_sav_urpf_mode(cu, r->d, &why);
	manrs_buf_printf(r->b, "%s customer %s on %s, %s-homed, %zu IPv4 + "
	    "%zu IPv6 prefix(es)", c, cu->name, cu->ifname,
	    cu->homing == MANRS_SAV_SINGLE ? "single" : "multi", n4, n6);
	if (a4 != n4 || a6 != n6)
		manrs_buf_printf(r->b, ", aggregated to %zu + %zu", a4, a6);
	manrs_buf_printf(r->b, "\n%s uRPF %s: %s\n", c,
	    manrs_sav_urpf_name(m), why);
	fam_note(r, c, cu, MANRS_AF_INET);
	fam_note(r, c, cu, MANRS_AF_INET6);
}

static void
egress_comment(struct rctx *r, const char *c)
{
	manrs_buf_printf(r->b, "%s egress: only our and our customers' space "
	    "leaves (BCP 38)\n", c);
	fam_note(r, c, NULL, MANRS_AF_INET);
	fam_note(r, c, NULL, MANRS_AF_INET6);
}

/* Is family af filtered (PERMIT or DROP) by the filter of cu? */
static bool
filtered(const struct rctx *r, const struct manrs_sav_customer *cu,
    uint8_t af)
{
	return fam(r, cu, af) != MANRS_SAV_FAM_OPEN;
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

/* The filters of one interface (cu NULL: the egress), OPEN families out. */
static void
ios_acls(struct rctx *r, const char *name,
    const struct manrs_sav_customer *cu, const struct plist *l, bool nd)
{
	if (filtered(r, cu, MANRS_AF_INET)) {
		manrs_buf_printf(r->b, "ip access-list extended %s-V4\n",
		    name);
		manrs_buf_puts(r->b, " remark bogon sources (RFC 6890)\n");
		each_bogon(r, MANRS_AF_INET, ios_v4, (void *)"deny  ");
		manrs_buf_puts(r->b, " remark permitted sources\n");
		each_prefix(r, l->v, l->n, MANRS_AF_INET, ios_v4,
		    (void *)"permit");
		manrs_buf_puts(r->b, " deny   ip any any\n!\n");
	}
	if (!filtered(r, cu, MANRS_AF_INET6))
		return;
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
	each_prefix(r, l->v, l->n, MANRS_AF_INET6, ios_v6, (void *)"permit");
	manrs_buf_puts(r->b, " deny   ipv6 any any\n!\n");
}

static void
render_cisco(struct rctx *r)
{
	const struct manrs_sav_customer *cu;
	char name[MANRS_SAV_NAME_MAX + 32];
	enum manrs_sav_urpf m;
	const char *why, *via;
	bool f4, f6;
	size_t i;

	header(r, "!");
	for (i = 0; i < r->s->ncust && !(r->flags & MANRS_SAV_NO_INGRESS);
	    i++) {
		cu = &r->s->cust[i];
		f4 = filtered(r, cu, MANRS_AF_INET);
		f6 = filtered(r, cu, MANRS_AF_INET6);
		manrs_buf_puts(r->b, "!\n");
		cust_comment(r, "!", cu);
		snprintf(name, sizeof(name), "MANRS-SAV-IN-%s", cu->name);
		ios_acls(r, name, cu, &r->cagg[i], true);
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		manrs_buf_printf(r->b, "interface %s\n", cu->ifname);
		via = m == MANRS_SAV_URPF_STRICT ? "rx" : "any";
		if (m != MANRS_SAV_URPF_OFF && f4)
			manrs_buf_printf(r->b, " ip verify unicast source "
			    "reachable-via %s\n", via);
		if (m != MANRS_SAV_URPF_OFF && f6)
			manrs_buf_printf(r->b, " ipv6 verify unicast source "
			    "reachable-via %s\n", via);
		if (f4)
			manrs_buf_printf(r->b, " ip access-group %s-V4 in\n",
			    name);
		if (f6)
			manrs_buf_printf(r->b, " ipv6 traffic-filter %s-V6 "
			    "in\n", name);
		manrs_buf_puts(r->b, "!\n");
	}
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	f4 = filtered(r, NULL, MANRS_AF_INET);
	f6 = filtered(r, NULL, MANRS_AF_INET6);
	manrs_buf_puts(r->b, "!\n");
	egress_comment(r, "!");
	ios_acls(r, "MANRS-SAV-OUT", NULL, &r->egress, false);
	for (i = 0; i < r->s->nuplinks; i++) {
		manrs_buf_printf(r->b, "interface %s\n", r->s->uplinks[i]);
		if (f4)
			manrs_buf_puts(r->b,
			    " ip access-group MANRS-SAV-OUT-V4 out\n");
		if (f6)
			manrs_buf_puts(r->b,
			    " ipv6 traffic-filter MANRS-SAV-OUT-V6 out\n");
		manrs_buf_puts(r->b, "!\n");
	}
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
    const struct plist *l, bool nd)
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
	each_prefix(r, l->v, l->n, af, seq_term, &a);
	manrs_buf_printf(r->b, "%s%u deny %s any any\n!\n", ind, a.seq + 10,
	    a.proto);
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
	bool f4, f6;
	size_t i;

	header(r, "!");
	for (i = 0; i < r->s->ncust && !(r->flags & MANRS_SAV_NO_INGRESS);
	    i++) {
		cu = &r->s->cust[i];
		f4 = filtered(r, cu, MANRS_AF_INET);
		f6 = filtered(r, cu, MANRS_AF_INET6);
		manrs_buf_puts(r->b, "!\n");
		cust_comment(r, "!", cu);
		snprintf(name, sizeof(name), "MANRS-SAV-IN-%s", cu->name);
		if (f4)
			seq_acl(r, k4, name, MANRS_AF_INET, &r->cagg[i], true);
		if (f6)
			seq_acl(r, "ipv6", name, MANRS_AF_INET6, &r->cagg[i],
			    true);
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		via = m == MANRS_SAV_URPF_STRICT ? "rx" : "any";
		manrs_buf_printf(r->b, "interface %s\n", cu->ifname);
		if (m != MANRS_SAV_URPF_OFF && f4)
			manrs_buf_printf(r->b, "%s%s verify unicast source "
			    "reachable-via %s\n", ind, k4, via);
		if (m != MANRS_SAV_URPF_OFF && f6)
			manrs_buf_printf(r->b, "%sipv6 verify unicast source "
			    "reachable-via %s\n", ind, via);
		if (f4)
			manrs_buf_printf(r->b, "%s%s access-group %s-V4 %s\n",
			    ind, k4, name, dirin);
		if (f6)
			manrs_buf_printf(r->b, "%sipv6 access-group %s-V6 "
			    "%s\n", ind, name, dirin);
		manrs_buf_puts(r->b, "!\n");
	}
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	f4 = filtered(r, NULL, MANRS_AF_INET);
	f6 = filtered(r, NULL, MANRS_AF_INET6);
	manrs_buf_puts(r->b, "!\n");
	egress_comment(r, "!");
	if (f4)
		seq_acl(r, k4, "MANRS-SAV-OUT", MANRS_AF_INET, &r->egress,
		    false);
	if (f6)
		seq_acl(r, "ipv6", "MANRS-SAV-OUT", MANRS_AF_INET6,
		    &r->egress, false);
	for (i = 0; i < r->s->nuplinks; i++) {
		manrs_buf_printf(r->b, "interface %s\n", r->s->uplinks[i]);
		if (f4)
			manrs_buf_printf(r->b, "%s%s access-group "
			    "MANRS-SAV-OUT-V4 %s\n", ind, k4, dirout);
		if (f6)
			manrs_buf_printf(r->b, "%sipv6 access-group "
			    "MANRS-SAV-OUT-V6 %s\n", ind, dirout);
		manrs_buf_puts(r->b, "!\n");
	}
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
    const struct plist *l, bool nd)
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
	if (count_af(l->v, l->n, af) > 0) {
		each_prefix(r, l->v, l->n, af, junos_src, &t);
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
			uint8_t af = f == 0 ? MANRS_AF_INET : MANRS_AF_INET6;
			const char *fam = f == 0 ? "inet" : "inet6";
			char fname[MANRS_SAV_NAME_MAX + 40];

			if (!filtered(r, cu, af))
				continue;
			snprintf(fname, sizeof(fname), "%s-V%c", name,
			    f == 0 ? '4' : '6');
			junos_filter(r, fname, af, &r->cagg[i], true);
			manrs_buf_printf(r->b, "set interfaces %s family %s "
			    "filter input %s\n", ifl, fam, fname);
			if (m == MANRS_SAV_URPF_OFF)
				continue;
			manrs_buf_printf(r->b, "set interfaces %s family %s "
			    "rpf-check%s\n", ifl, fam,
			    m == MANRS_SAV_URPF_LOOSE ? " mode loose" : "");
			feasible |= m == MANRS_SAV_URPF_FEASIBLE;
		}
	}
	if (feasible)
		manrs_buf_puts(r->b, "# feasible-path uRPF is chassis-wide on "
		    "Junos; a single-homed customer's only feasible path is\n"
		    "# its own interface, so strict interfaces stay strict in "
		    "effect\nset routing-options forwarding-table "
		    "unicast-reverse-path feasible-paths\n");
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	egress_comment(r, "#");
	for (f = 0; f < 2; f++)
		if (filtered(r, NULL, f == 0 ? MANRS_AF_INET : MANRS_AF_INET6))
			junos_filter(r, f == 0 ? "MANRS-SAV-OUT-V4" :
			    "MANRS-SAV-OUT-V6", f == 0 ? MANRS_AF_INET :
			    MANRS_AF_INET6, &r->egress, false);
	for (i = 0; i < r->s->nuplinks; i++) {
		junos_ifl(r->s->uplinks[i], ifl, sizeof(ifl));
		if (filtered(r, NULL, MANRS_AF_INET))
			manrs_buf_printf(r->b, "set interfaces %s family inet "
			    "filter output MANRS-SAV-OUT-V4\n", ifl);
		if (filtered(r, NULL, MANRS_AF_INET6))
			manrs_buf_printf(r->b, "set interfaces %s family inet6 "
			    "filter output MANRS-SAV-OUT-V6\n", ifl);
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
    const struct plist *l, bool nd)
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
	each_prefix(r, l->v, l->n, af, sros_term, &e);
}

static void
render_sros(struct rctx *r)
{
	const struct manrs_sav_customer *cu;
	char desc[MANRS_SAV_NAME_MAX + 40];
	enum manrs_sav_urpf m;
	const char *why, *mode;
	bool f4, f6;
	unsigned id;
	size_t i;

	header(r, "#");
	for (i = 0; i < r->s->ncust && !(r->flags & MANRS_SAV_NO_INGRESS);
	    i++) {
		cu = &r->s->cust[i];
		f4 = filtered(r, cu, MANRS_AF_INET);
		f6 = filtered(r, cu, MANRS_AF_INET6);
		id = SROS_FILTER_BASE + (unsigned)i;
		cust_comment(r, "#", cu);
		snprintf(desc, sizeof(desc), "manrs sav ingress %s", cu->name);
		if (f4)
			sros_filter(r, id, desc, MANRS_AF_INET, &r->cagg[i],
			    true);
		if (f6)
			sros_filter(r, id, desc, MANRS_AF_INET6, &r->cagg[i],
			    true);
		if (f4)
			manrs_buf_printf(r->b, "/configure router interface "
			    "\"%s\" ingress filter ip %u\n", cu->ifname, id);
		if (f6)
			manrs_buf_printf(r->b, "/configure router interface "
			    "\"%s\" ingress filter ipv6 %u\n", cu->ifname, id);
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		if (m == MANRS_SAV_URPF_OFF)
			continue;
		mode = m == MANRS_SAV_URPF_STRICT ? "strict" : "loose";
		if (f4)
			manrs_buf_printf(r->b, "/configure router interface "
			    "\"%s\" urpf-check mode %s\n", cu->ifname, mode);
		if (f6)
			manrs_buf_printf(r->b, "/configure router interface "
			    "\"%s\" ipv6 urpf-check mode %s\n", cu->ifname,
			    mode);
	}
	if ((r->flags & MANRS_SAV_NO_EGRESS) || r->s->nuplinks == 0)
		return;
	f4 = filtered(r, NULL, MANRS_AF_INET);
	f6 = filtered(r, NULL, MANRS_AF_INET6);
	egress_comment(r, "#");
	if (f4)
		sros_filter(r, SROS_FILTER_EGRESS, "manrs sav egress",
		    MANRS_AF_INET, &r->egress, false);
	if (f6)
		sros_filter(r, SROS_FILTER_EGRESS, "manrs sav egress",
		    MANRS_AF_INET6, &r->egress, false);
	for (i = 0; i < r->s->nuplinks; i++) {
		if (f4)
			manrs_buf_printf(r->b, "/configure router interface "
			    "\"%s\" egress filter ip %u\n", r->s->uplinks[i],
			    SROS_FILTER_EGRESS);
		if (f6)
			manrs_buf_printf(r->b, "/configure router interface "
			    "\"%s\" egress filter ipv6 %u\n", r->s->uplinks[i],
			    SROS_FILTER_EGRESS);
	}
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
nft_set(struct rctx *r, const char *name, uint8_t af, const struct plist *l)
{
	struct nft_elems e = { true };

	if (l != NULL && count_af(l->v, l->n, af) == 0)
		return false;
	manrs_buf_printf(r->b, "\tset %s {\n\t\ttype %s; flags interval; "
	    "auto-merge;\n\t\telements = { ", name, af == MANRS_AF_INET ?
	    "ipv4_addr" : "ipv6_addr");
	if (l == NULL)
		each_bogon(r, af, nft_elem, &e);
	else
		each_prefix(r, l->v, l->n, af, nft_elem, &e);
	manrs_buf_puts(r->b, " }\n\t}\n");
	return true;
}

/*
 * One filter chain.  Per family: OPEN returns at once (no filter), then
 * bogon sources drop, PERMIT returns for the set's prefixes, DROP drops
 * the family with its own counter; the rest is "not permitted".
 */
static void
nft_chain(struct rctx *r, const char *chain,
    const struct manrs_sav_customer *cu)
{
	static const uint8_t afs[2] = { MANRS_AF_INET, MANRS_AF_INET6 };
	static const char *const nfp[2] = { "ipv4", "ipv6" };
	static const char *const sel[2] = { "ip", "ip6" };
	enum manrs_sav_fam m[2];
	int f;

	manrs_buf_printf(r->b, "\tchain %s {\n", chain);
	for (f = 0; f < 2; f++) {
		m[f] = fam(r, cu, afs[f]);
		if (m[f] == MANRS_SAV_FAM_OPEN)
			manrs_buf_printf(r->b, "\t\tmeta nfproto %s counter "
			    "return comment \"no %s prefix: empty-family "
			    "open\"\n",
			    nfp[f], ipv(afs[f]));
	}
	manrs_buf_puts(r->b,
	    "\t\tip saddr @bogon_v4 counter drop comment \"bogon source\"\n"
	    "\t\tip6 saddr @bogon_v6 counter drop comment \"bogon source\"\n");
	for (f = 0; f < 2; f++)
		if (m[f] == MANRS_SAV_FAM_PERMIT)
			manrs_buf_printf(r->b, "\t\t%s saddr @%s_v%c return\n",
			    sel[f], chain, f == 0 ? '4' : '6');
	for (f = 0; f < 2; f++)
		if (m[f] == MANRS_SAV_FAM_DROP)
			manrs_buf_printf(r->b, "\t\tmeta nfproto %s counter "
			    "drop comment \"no %s prefix: empty-family "
			    "drop\"\n", nfp[f], ipv(afs[f]));
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

	nft_set(r, "bogon_v4", MANRS_AF_INET, NULL);
	nft_set(r, "bogon_v6", MANRS_AF_INET6, NULL);
	for (i = 0; ingress && i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		snprintf(set, sizeof(set), "in_%s_v4", cu->name);
		nft_set(r, set, MANRS_AF_INET, &r->cagg[i]);
		snprintf(set, sizeof(set), "in_%s_v6", cu->name);
		nft_set(r, set, MANRS_AF_INET6, &r->cagg[i]);
	}
	if (egress) {
		nft_set(r, "out_v4", MANRS_AF_INET, &r->egress);
		nft_set(r, "out_v6", MANRS_AF_INET6, &r->egress);
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
		if (m == MANRS_SAV_URPF_OFF || !filtered(r, cu, MANRS_AF_INET6))
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
		nft_chain(r, chain, cu);
	}
	if (egress) {
		egress_comment(r, "\t#");
		nft_chain(r, "out", NULL);
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
		relaxed |= m != MANRS_SAV_URPF_STRICT ||
		    !filtered(r, &r->s->cust[i], MANRS_AF_INET);
	}
	if (relaxed)
		manrs_buf_puts(r->b, "# some interfaces are loose or off: "
		    "all must be 0 for that to hold\n"
		    "net.ipv4.conf.all.rp_filter = 0\n");
	for (i = 0; i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		m = manrs_sav_urpf_mode(cu, r->d, &reason);
		if (!filtered(r, cu, MANRS_AF_INET)) {
			m = MANRS_SAV_URPF_OFF;
			reason = "no IPv4 prefix: no IPv4 filter and no uRPF "
			    "(empty-family open)";
		}
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

static int
pcmp(const void *a, const void *b)
{
	return manrs_prefix_cmp(a, b);
}

/* Distinct own and customer prefixes of each family (before aggregation). */
static int
space_count(const struct manrs_sav *s, size_t *n4, size_t *n6)
{
	struct manrs_prefix *v;
	size_t i, n = s->nown;

	*n4 = *n6 = 0;
	for (i = 0; i < s->ncust; i++)
		n += s->cust[i].nprefixes;
	if (n == 0)
		return 0;
	if ((v = reallocarray(NULL, n, sizeof(*v))) == NULL)
		return MANRS_E_NOMEM;
	if (s->nown > 0)
		memcpy(v, s->own, s->nown * sizeof(*v));
	n = s->nown;
	for (i = 0; i < s->ncust; i++) {
		if (s->cust[i].nprefixes > 0)
			memcpy(v + n, s->cust[i].prefixes,
			    s->cust[i].nprefixes * sizeof(*v));
		n += s->cust[i].nprefixes;
	}
	qsort(v, n, sizeof(*v), pcmp);
	for (i = 0; i < n; i++)
		if (i == 0 || !manrs_prefix_eq(&v[i - 1], &v[i]))
			*(v[i].af == MANRS_AF_INET ? n4 : n6) += 1;
	free(v);
	return 0;
}

/* The summary's "empty-family" column: "-", or e.g. "ipv6 drop". */
static void
empty_cell(struct rctx *r, const struct manrs_sav_customer *cu)
{
	static const uint8_t afs[2] = { MANRS_AF_INET, MANRS_AF_INET6 };
	enum manrs_sav_fam m;
	bool any = false;
	int f;

	for (f = 0; f < 2; f++) {
		m = fam(r, cu, afs[f]);
		if (m == MANRS_SAV_FAM_PERMIT)
			continue;
		manrs_buf_printf(r->b, "%sipv%c %s", any ? "," : "",
		    f == 0 ? '4' : '6', m == MANRS_SAV_FAM_DROP ? "drop" :
		    m == MANRS_SAV_FAM_OPEN ? "open" : "unset");
		any = true;
	}
	if (!any)
		manrs_buf_puts(r->b, "-");
}

static int
render_summary(struct rctx *r)
{
	const struct manrs_sav_customer *cu;
	enum manrs_sav_urpf m;
	const char *why;
	size_t i, n4, n6;
	int rc;

	if ((rc = space_count(r->s, &n4, &n6)) != 0)
		return rc;
	manrs_buf_puts(r->b, "interface\tcustomer\thoming\turpf\tipv4\tipv6"
	    "\tempty-family\treason\n");
	for (i = 0; i < r->s->ncust; i++) {
		cu = &r->s->cust[i];
		m = manrs_sav_urpf_mode(cu, r->d, &why);
		manrs_buf_printf(r->b, "%s\t%s\t%s\t%s\t%zu\t%zu\t",
		    cu->ifname, cu->name, cu->homing == MANRS_SAV_SINGLE ?
		    "single" : "multi", manrs_sav_urpf_name(m),
		    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET),
		    count_af(cu->prefixes, cu->nprefixes, MANRS_AF_INET6));
		empty_cell(r, cu);
		manrs_buf_printf(r->b, "\t%s\n", why);
	}
	for (i = 0; i < r->s->nuplinks; i++) {
		manrs_buf_printf(r->b, "%s\t-\tuplink\tegress\t%zu\t%zu\t",
		    r->s->uplinks[i], n4, n6);
		empty_cell(r, NULL);
		manrs_buf_puts(r->b, "\tegress filter: own and customer space "
		    "only\n");
	}
	return 0;
}

int
manrs_sav_render(const struct manrs_sav *s, enum manrs_sav_dialect d,
    unsigned flags, struct manrs_buf *out, const char **why)
{
	struct rctx r = { s, out, d, flags, NULL, { NULL, 0 } };
	int rc = 0;

	*why = NULL;
	if (manrs_sav_check_families(s, flags, NULL, NULL) != 0) {
		*why = "a filter has an address family without prefixes and "
		    "no empty-family choice (drop or open)";
		return MANRS_E_FORMAT;
	}
	if ((rc = build_lists(&r)) != 0)
		goto out;
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
		rc = render_summary(&r);
		break;
	default:
		rc = MANRS_E_INVAL;
	}
out:
	free_lists(&r);
	return rc != 0 ? rc : out->err;
}
