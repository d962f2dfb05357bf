/*
 * test_sav.c - SAV customer file parser, checks, uRPF decisions and the
 * shape of the rendered filters.
 */
#include <string.h>

#include "testutil.h"

static const char good[] =
    "operator AS64500\n"
    "own 185.0.0.0/22 2a0a:1000::/32\n"
    "uplink eth0\n"
    "customer acme\n"
    "  interface eth1\n"
    "  homing single\n"
    "  prefix 185.0.4.0/24 2a0a:1000:100::/48\n"
    "customer beta  # comment\n"
    "  interface eth2\n"
    "  homing multi-homed\n"
    "  prefix 193.8.0.0/22\n"
    "  prefix 193.8.0.0/22\n"		/* duplicate: kept once */
    "  origin AS64501 1.10\n"
    "  as-set AS-BETA AS64501:AS-CUST\n";

static struct manrs_sav *
parse(const char *text, int want_rc, uint64_t want_errors)
{
	struct manrs_sav *s = manrs_sav_new(NULL);
	struct manrs_diag_sink sink;

	memset(&sink, 0, sizeof(sink));
	assert_non_null(s);
	assert_int_equal(manrs_sav_parse(s, text, strlen(text), "t", &sink),
	    want_rc);
	assert_int_equal(sink.errors, want_errors);
	return s;
}

static void
test_parse(void **state)
{
	const struct manrs_sav_customer *c;
	struct manrs_sav *s;
	const char *const *up;
	size_t n;

	(void)state;
	s = parse(good, 0, 0);
	assert_int_equal(manrs_sav_check(s, "t", NULL), 0);
	assert_int_equal(manrs_sav_operator_asn(s), 64500);
	assert_int_equal(manrs_sav_customer_count(s), 2);
	manrs_sav_own(s, &n);
	assert_int_equal(n, 2);
	up = manrs_sav_uplinks(s, &n);
	assert_int_equal(n, 1);
	assert_string_equal(up[0], "eth0");
	c = manrs_sav_customer(s, 0);
	assert_string_equal(c->name, "acme");
	assert_string_equal(c->ifname, "eth1");
	assert_int_equal(c->homing, MANRS_SAV_SINGLE);
	assert_int_equal(c->nprefixes, 2);
	assert_int_equal(c->line, 4);
	c = manrs_sav_customer(s, 1);
	assert_int_equal(c->homing, MANRS_SAV_MULTI);
	assert_int_equal(c->nprefixes, 1);
	assert_int_equal(c->nasns, 2);
	assert_int_equal(c->asns[1], 65546);
	assert_int_equal(c->nsets, 2);
	assert_string_equal(c->sets[1], "AS64501:AS-CUST");
	assert_null(manrs_sav_customer(s, 2));
	manrs_sav_free(s);
}

static void
test_urpf(void **state)
{
	struct manrs_sav_customer c;
	const char *why;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.homing = MANRS_SAV_SINGLE;
	assert_int_equal(manrs_sav_urpf_mode(&c, MANRS_SAV_CISCO, &why),
	    MANRS_SAV_URPF_STRICT);
	assert_non_null(strstr(why, "single-homed"));
	c.homing = MANRS_SAV_MULTI;
	assert_int_equal(manrs_sav_urpf_mode(&c, MANRS_SAV_JUNOS, &why),
	    MANRS_SAV_URPF_FEASIBLE);
	assert_non_null(strstr(why, "RFC 8704"));
	assert_int_equal(manrs_sav_urpf_mode(&c, MANRS_SAV_NFT, &why),
	    MANRS_SAV_URPF_LOOSE);
	assert_int_equal(manrs_sav_urpf_mode(&c, MANRS_SAV_CISCO, &why),
	    MANRS_SAV_URPF_LOOSE);
	c.urpf = MANRS_SAV_URPF_FEASIBLE;
	assert_int_equal(manrs_sav_urpf_mode(&c, MANRS_SAV_EOS, &why),
	    MANRS_SAV_URPF_LOOSE);
	assert_non_null(strstr(why, "no feasible-path"));
	c.urpf = MANRS_SAV_URPF_OFF;
	assert_int_equal(manrs_sav_urpf_mode(&c, MANRS_SAV_SROS, &why),
	    MANRS_SAV_URPF_OFF);
}

static int
count_cb(const struct manrs_prefix *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
	return 0;
}

static void
test_bogon_sources(void **state)
{
	int n4 = 0, n6 = 0;

	(void)state;
	manrs_sav_bogon_sources(MANRS_AF_INET, count_cb, &n4);
	manrs_sav_bogon_sources(MANRS_AF_INET6, count_cb, &n6);
	assert_int_equal(n4, 15);
	assert_int_equal(n6, 11);
}

/* Render s in d and return it NUL-terminated (static buffer). */
static const char *
render(struct manrs_sav *s, enum manrs_sav_dialect d, unsigned flags)
{
	static char out[256 * 1024];
	struct manrs_buf b;
	const char *why;

	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_sav_render(s, d, flags, &b, &why), 0);
	assert_true(b.len < sizeof(out));
	memcpy(out, b.p, b.len);
	out[b.len] = '\0';
	manrs_buf_clear(&b);
	return out;
}

/* The lines of text in this order (each found after the previous). */
static void
in_order(const char *text, const char *const *lines)
{
	const char *p = text, *q;

	for (; *lines != NULL; lines++) {
		if ((q = strstr(p, *lines)) == NULL)
			fail_msg("missing (in order): %s", *lines);
		p = q + strlen(*lines);
	}
}

static void
test_render(void **state)
{
	static const char *const ios[] = {
		"ip access-list extended MANRS-SAV-IN-acme-V4",
		" deny   ip 10.0.0.0 0.255.255.255 any",
		" deny   ip 240.0.0.0 15.255.255.255 any",
		" permit ip 185.0.4.0 0.0.0.255 any",
		" deny   ip any any",
		"interface eth1",
		" ip verify unicast source reachable-via rx",
		" ip access-group MANRS-SAV-IN-acme-V4 in",
		"interface eth2",
		" ip verify unicast source reachable-via any",
		"ip access-list extended MANRS-SAV-OUT-V4",
		" permit ip 185.0.0.0 0.0.3.255 any",
		"interface eth0\n ip access-group MANRS-SAV-OUT-V4 out", NULL,
	};
	static const char *const nft[] = {
		"table inet manrs_sav {",
		"set in_acme_v4 {", "elements = { 185.0.4.0/24 }",
		"iifname \"eth1\" meta nfproto ipv6 fib saddr . iif oif missing",
		"iifname \"eth2\" meta nfproto ipv6 fib saddr oif missing",
		"iifname \"eth1\" jump in_acme", "oifname \"eth0\" jump out",
		"chain in_acme {", "ip saddr @bogon_v4 counter drop",
		"ip saddr @in_acme_v4 return", "counter drop", NULL,
	};
	struct manrs_sav *s;
	const char *out;

	(void)state;
	s = parse(good, 0, 0);
	/* beta has no IPv6 space: say what its IPv6 filter does */
	manrs_sav_set_empty_family(s, MANRS_SAV_EMPTY_DROP);
	in_order(render(s, MANRS_SAV_CISCO, 0), ios);
	in_order(render(s, MANRS_SAV_NFT, 0), nft);
	out = render(s, MANRS_SAV_NFT, MANRS_SAV_NO_EGRESS);
	assert_null(strstr(out, "jump out"));
	out = render(s, MANRS_SAV_JUNOS, 0);
	assert_non_null(strstr(out, "set routing-options forwarding-table "
	    "unicast-reverse-path feasible-paths"));
	out = render(s, MANRS_SAV_SYSCTL, 0);
	assert_non_null(strstr(out, "net.ipv4.conf.eth1.rp_filter = 1\n"));
	assert_non_null(strstr(out, "net.ipv4.conf.eth2.rp_filter = 2\n"));
	assert_non_null(strstr(out, "net.ipv4.conf.all.rp_filter = 0\n"));
	manrs_sav_free(s);
}

static void
test_errors(void **state)
{
	struct manrs_diag_sink sink;
	struct manrs_sav *s;

	(void)state;
	manrs_sav_free(parse("prefix 185.0.4.0/24\n", MANRS_E_SYNTAX, 1));
	manrs_sav_free(parse("customer a\ncustomer a\n", MANRS_E_SYNTAX, 1));
	manrs_sav_free(parse("customer a b\n", MANRS_E_SYNTAX, 1));
	manrs_sav_free(parse("customer a\n interface x\"y\n",
	    MANRS_E_SYNTAX, 1));
	manrs_sav_free(parse("customer a\n prefix 10.0.0.1/8\n",
	    MANRS_E_SYNTAX, 1));
	/* Semantics: bogon overlap and missing fields. */
	s = parse("customer a\n interface e1\n homing single\n"
	    " prefix 10.0.0.0/7\n", 0, 0);
	memset(&sink, 0, sizeof(sink));
	assert_int_equal(manrs_sav_check(s, "t", &sink), MANRS_E_FORMAT);
	assert_int_equal(sink.errors, 1);
	manrs_sav_free(s);
	s = parse("customer a\n", 0, 0);
	memset(&sink, 0, sizeof(sink));
	assert_int_equal(manrs_sav_check(s, "t", &sink), MANRS_E_FORMAT);
	assert_int_equal(sink.errors, 3);
	manrs_sav_free(s);
}

static char last_diag[1024];

static void
keep_diag(void *arg, const struct manrs_diag *d)
{
	(void)arg;
	manrs_diag_format(d, last_diag, sizeof(last_diag));
}

static size_t
count_str(const char *text, const char *what)
{
	size_t n = 0;

	while ((text = strstr(text, what)) != NULL) {
		n++;
		text += strlen(what);
	}
	return n;
}

/*
 * A customer with space in one family only: refused until the operator
 * says drop or open (issue 11 item 7), then rendered as said; the file's
 * "empty-family" line wins over the default; the uplinks' egress filter
 * too; ACL terms aggregated.
 */
static void
test_empty_family(void **state)
{
	static const char v4only[] =
	    "operator AS64500\nown 185.0.0.0/22 2a0a:1000::/32\n"
	    "uplink eth0\n"
	    "customer x\n interface eth1\n homing multi\n"
	    " prefix 185.0.8.0/24 185.0.9.0/24 185.0.10.0/23\n"
	    " prefix 185.0.10.128/25\n";
	struct manrs_diag_sink sink = { keep_diag, NULL, 0, 0, 0 };
	const struct manrs_sav_customer *c;
	struct manrs_sav *s;
	struct manrs_buf b;
	const char *out, *why;

	(void)state;
	s = parse(v4only, 0, 0);
	c = manrs_sav_customer(s, 0);
	assert_int_equal(manrs_sav_check(s, "t", &sink), 0);
	assert_int_equal(manrs_sav_family(s, c, MANRS_AF_INET),
	    MANRS_SAV_FAM_PERMIT);
	assert_int_equal(manrs_sav_family(s, c, MANRS_AF_INET6),
	    MANRS_SAV_FAM_UNSET);
	assert_int_equal(manrs_sav_check_families(s, 0, "t", &sink),
	    MANRS_E_FORMAT);
	assert_string_equal(last_diag, "t: line 4: customer 'x' has no IPv6 "
	    "prefix: its explicit-permit filter would drop all its IPv6 "
	    "traffic; say --empty-family drop (filter it all) or open (no "
	    "IPv6 filter), or 'empty-family' in its block");
	assert_int_equal(manrs_sav_check_families(s, MANRS_SAV_NO_INGRESS,
	    "t", &sink), 0);
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_sav_render(s, MANRS_SAV_CISCO, 0, &b, &why),
	    MANRS_E_FORMAT);
	assert_non_null(why);
	manrs_buf_clear(&b);

	/* drop: the IPv6 filter is there, without a permit term */
	manrs_sav_set_empty_family(s, MANRS_SAV_EMPTY_DROP);
	assert_int_equal(manrs_sav_family(s, c, MANRS_AF_INET6),
	    MANRS_SAV_FAM_DROP);
	assert_int_equal(manrs_sav_check_families(s, 0, "t", &sink), 0);
	out = render(s, MANRS_SAV_CISCO, MANRS_SAV_NO_EGRESS);
	assert_non_null(strstr(out, "ipv6 access-list MANRS-SAV-IN-x-V6"));
	assert_null(strstr(out, "permit ipv6"));
	assert_non_null(strstr(out, " ipv6 traffic-filter MANRS-SAV-IN-x-V6 "
	    "in"));
	assert_non_null(strstr(out, "! no IPv6 prefix: every IPv6 source is "
	    "dropped (empty-family drop)"));
	/* aggregated: four prefixes, one permit term */
	assert_int_equal(count_str(out, " permit ip "), 1);
	assert_non_null(strstr(out, " permit ip 185.0.8.0 0.0.3.255 any"));
	assert_non_null(strstr(out, "4 IPv4 + 0 IPv6 prefix(es), aggregated "
	    "to 1 + 0"));
	out = render(s, MANRS_SAV_JUNOS, MANRS_SAV_NO_EGRESS);
	assert_int_equal(count_str(out, "term permitted-source from "
	    "source-address"), 1);
	assert_non_null(strstr(out, "set interfaces eth1 unit 0 family inet6 "
	    "filter input MANRS-SAV-IN-x-V6"));
	out = render(s, MANRS_SAV_NFT, 0);
	assert_non_null(strstr(out, "meta nfproto ipv6 counter drop comment "
	    "\"no IPv6 prefix: empty-family drop\""));
	assert_non_null(strstr(out, "elements = { 185.0.8.0/22 }"));
	assert_non_null(strstr(render(s, MANRS_SAV_SUMMARY, 0),
	    "\t4\t0\tipv6 drop\t"));

	/* open: no IPv6 filter and no IPv6 uRPF on eth1 */
	manrs_sav_set_empty_family(s, MANRS_SAV_EMPTY_OPEN);
	out = render(s, MANRS_SAV_CISCO, MANRS_SAV_NO_EGRESS);
	assert_null(strstr(out, "MANRS-SAV-IN-x-V6"));
	assert_null(strstr(out, "ipv6 verify"));
	assert_non_null(strstr(out, " ip verify unicast source reachable-via "
	    "any\n ip access-group MANRS-SAV-IN-x-V4 in\n!"));
	out = render(s, MANRS_SAV_NFT, 0);
	assert_non_null(strstr(out, "chain in_x {\n\t\tmeta nfproto ipv6 "
	    "counter return"));
	assert_null(strstr(out, "iifname \"eth1\" meta nfproto ipv6 fib"));
	assert_non_null(strstr(render(s, MANRS_SAV_SUMMARY, 0),
	    "\tipv6 open\t"));
	manrs_sav_free(s);

	/* the customer's own line wins; an IPv4-less operator's egress */
	s = parse("own 185.0.0.0/22\nuplink eth0\ncustomer y\n"
	    " interface eth1\n homing single\n empty-family open\n"
	    " prefix 185.0.4.0/24\n", 0, 0);
	c = manrs_sav_customer(s, 0);
	assert_int_equal(c->empty, MANRS_SAV_EMPTY_OPEN);
	manrs_sav_set_empty_family(s, MANRS_SAV_EMPTY_DROP);
	assert_int_equal(manrs_sav_family(s, c, MANRS_AF_INET6),
	    MANRS_SAV_FAM_OPEN);
	assert_int_equal(manrs_sav_family(s, NULL, MANRS_AF_INET6),
	    MANRS_SAV_FAM_DROP);
	manrs_sav_set_empty_family(s, MANRS_SAV_EMPTY_UNSET);
	assert_int_equal(manrs_sav_check_families(s, 0, "t", &sink),
	    MANRS_E_FORMAT);
	assert_string_equal(last_diag, "t: uplink egress filter: no IPv6 "
	    "prefix in own or customer space: it would drop all IPv6 "
	    "leaving; say --empty-family drop or open (or --no-egress)");
	assert_int_equal(manrs_sav_check_families(s, MANRS_SAV_NO_EGRESS,
	    "t", &sink), 0);
	manrs_sav_free(s);
	manrs_sav_free(parse("customer z\n empty-family sometimes\n",
	    MANRS_E_SYNTAX, 1));
}

static struct manrs_prefix
H(const char *s)
{
	struct manrs_prefix p;

	if (manrs_addr_parse(V(s), 0, &p) != 0)
		fail_msg("bad address %s", s);
	return p;
}

/* One's-complement sum of a UDP datagram and its pseudo-header. */
static uint16_t
verify_sum(const uint8_t *ip, size_t iplen, size_t alen, const uint8_t *src,
    const uint8_t *dst, const uint8_t *udp, size_t ulen)
{
	uint32_t sum = 0;
	size_t i;

	(void)ip;
	(void)iplen;
	for (i = 0; i < alen; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) +
		    (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += 17u + (uint32_t)ulen;
	for (i = 0; i + 1 < ulen; i += 2)
		sum += (uint32_t)(udp[i] << 8 | udp[i + 1]);
	if (ulen & 1)
		sum += (uint32_t)udp[ulen - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void
test_probe(void **state)
{
	struct manrs_prefix own4 = H("185.0.4.2"), own6 = H("2a0a:1000:100::2");
	struct manrs_prefix out, dst4 = H("45.0.0.2"), dst6 = H("2a0b::2");
	struct manrs_sav_probe p, q;
	char buf[MANRS_SAV_PROBE_PAYLOAD_MAX + 1], a[MANRS_ADDR_STRLEN];
	struct manrs_buf b;
	uint32_t seq;
	size_t n;

	(void)state;
	assert_int_equal(manrs_sav_probe_source(MANRS_SAV_PROBE_NEIGHBOUR,
	    &own4, NULL, &out), 0);
	manrs_addr_print(&out, a, sizeof(a));
	assert_string_equal(a, "185.0.5.2");
	assert_int_equal(manrs_sav_probe_source(MANRS_SAV_PROBE_NEIGHBOUR,
	    &own6, NULL, &out), 0);
	manrs_addr_print(&out, a, sizeof(a));
	assert_string_equal(a, "2a0a:1000:101::2");
	assert_int_equal(manrs_sav_probe_source(MANRS_SAV_PROBE_PRIVATE,
	    &own4, NULL, &out), 0);
	manrs_addr_print(&out, a, sizeof(a));
	assert_string_equal(a, "10.66.0.1");
	assert_int_equal(manrs_sav_probe_source(MANRS_SAV_PROBE_ROUTABLE,
	    &own4, NULL, &out), 0);
	manrs_addr_print(&out, a, sizeof(a));
	assert_string_equal(a, "222.0.4.2");	/* 185 + 37, not a bogon */
	assert_int_equal(manrs_sav_probe_source(MANRS_SAV_PROBE_ROUTABLE,
	    &own4, &dst6, &out), MANRS_E_INVAL);

	/* Payload round trip and hostile payloads. */
	p.session = 0x0123456789abcdefULL;
	p.seq = 31;
	p.cls = MANRS_SAV_PROBE_NEIGHBOUR;
	p.claimed = own6;
	n = manrs_sav_probe_format(&p, buf, sizeof(buf));
	buf[n] = '\0';
	assert_string_equal(buf, "MANRS-SPOOF/1 0123456789abcdef 31 "
	    "neighbour 2a0a:1000:100::2\n");
	assert_int_equal(manrs_sav_probe_parse(manrs_view_make(buf, n), &q),
	    0);
	assert_true(q.session == p.session && q.seq == 31 &&
	    q.cls == p.cls && manrs_prefix_eq(&q.claimed, &own6));
	assert_int_equal(manrs_sav_probe_parse(V("MANRS-SPOOF/1 0123456789abcdef "
	    "31 neighbour 1.2.3.4"), &q), MANRS_E_SYNTAX);	/* no newline */
	assert_int_equal(manrs_sav_probe_parse(V("MANRS-SPOOF/1 0123456789ABCDEF "
	    "31 legit 1.2.3.4\n"), &q), MANRS_E_SYNTAX);
	assert_int_equal(manrs_sav_probe_parse(V("MANRS-SPOOF/1 0123456789abcdef "
	    "31 evil 1.2.3.4\n"), &q), MANRS_E_SYNTAX);
	assert_int_equal(manrs_sav_probe_parse(V("MANRS-SPOOF/1 0123456789abcdef "
	    "31 legit 1.2.3.4 x\n"), &q), MANRS_E_SYNTAX);
	assert_int_equal(manrs_sav_probe_result_parse(V("GOT 12 2a0b::9"),
	    &seq, &out), 0);
	assert_int_equal(seq, 12);
	assert_int_equal(manrs_sav_probe_result_parse(V("GOT 12"), &seq,
	    &out), MANRS_E_SYNTAX);

	/* Packets: header fields and a UDP checksum that verifies. */
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_sav_probe_packet(&own4, &dst4, 40000, 47001,
	    buf, n, &b), 0);
	assert_int_equal(b.len, 20 + 8 + n);
	assert_int_equal(b.p[0], 0x45);
	assert_int_equal(b.p[9], 17);
	assert_int_equal(b.p[2] << 8 | b.p[3], (int)b.len);
	assert_memory_equal(b.p + 12, own4.addr, 4);
	assert_int_equal(verify_sum(b.p, 20, 4, own4.addr, dst4.addr,
	    b.p + 20, 8 + n), 0xffff);
	manrs_buf_reset(&b);
	assert_int_equal(manrs_sav_probe_packet(&own6, &dst6, 40000, 47001,
	    buf, n, &b), 0);
	assert_int_equal(b.len, 40 + 8 + n);
	assert_int_equal(b.p[0], 0x60);
	assert_int_equal(b.p[6], 17);
	assert_int_equal(b.p[4] << 8 | b.p[5], (int)(8 + n));
	assert_int_equal(verify_sum(b.p, 40, 16, own6.addr, dst6.addr,
	    b.p + 40, 8 + n), 0xffff);
	assert_int_equal(manrs_sav_probe_packet(&own4, &dst6, 1, 2, buf, n,
	    &b), MANRS_E_INVAL);
	manrs_buf_clear(&b);
}

/* Parse generated text; return the parse result and error count. */
static int
parse_gen(struct manrs_buf *b, uint64_t *errors)
{
	struct manrs_sav *s = manrs_sav_new(NULL);
	struct manrs_diag_sink sink;
	int rc;

	memset(&sink, 0, sizeof(sink));
	assert_int_equal(b->err, 0);
	rc = manrs_sav_parse(s, (const char *)b->p, b->len, "gen", &sink);
	*errors = sink.errors;
	manrs_sav_free(s);
	manrs_buf_reset(b);
	return rc;
}

static void
test_limits(void **state)
{
	struct manrs_buf b;
	uint64_t errors;
	unsigned i;

	(void)state;
	manrs_buf_init(&b, 0);
	/* MANRS_SAV_CUSTOMERS_MAX customers parse; one more is a limit. */
	for (i = 0; i < MANRS_SAV_CUSTOMERS_MAX; i++)
		manrs_buf_printf(&b, "customer c%u\n", i);
	assert_int_equal(parse_gen(&b, &errors), 0);
	for (i = 0; i <= MANRS_SAV_CUSTOMERS_MAX; i++)
		manrs_buf_printf(&b, "customer c%u\n", i);
	assert_int_equal(parse_gen(&b, &errors), MANRS_E_LIMIT);
	assert_int_equal(errors, 1);
	/* Prefixes per customer. */
	manrs_buf_puts(&b, "customer a\n");
	for (i = 0; i <= MANRS_SAV_PREFIXES_MAX; i++)
		manrs_buf_printf(&b, "prefix %u.%u.%u.0/24\n", 1 + (i >> 16),
		    (i >> 8) & 255, i & 255);
	assert_int_equal(parse_gen(&b, &errors), MANRS_E_LIMIT);
	assert_int_equal(errors, 1);
	/* Origins and AS-SETs per customer. */
	manrs_buf_puts(&b, "customer a\n");
	for (i = 0; i < MANRS_SAV_ORIGINS_MAX; i++)
		manrs_buf_printf(&b, "origin AS%u\n", 64512 + i);
	assert_int_equal(parse_gen(&b, &errors), 0);
	manrs_buf_puts(&b, "customer a\n");
	for (i = 0; i < MANRS_SAV_ORIGINS_MAX; i++)
		manrs_buf_printf(&b, "origin AS%u\n", 64512 + i);
	manrs_buf_puts(&b, "as-set AS-ONEMORE\n");
	assert_int_equal(parse_gen(&b, &errors), MANRS_E_LIMIT);
	/* Uplinks. */
	for (i = 0; i <= MANRS_SAV_UPLINKS_MAX; i++)
		manrs_buf_printf(&b, "uplink up%u\n", i);
	assert_int_equal(parse_gen(&b, &errors), MANRS_E_LIMIT);
	/* A line of exactly MANRS_SAV_LINE_MAX bytes is fine, one more not. */
	manrs_buf_puts(&b, "customer a\n#");
	for (i = 1; i < MANRS_SAV_LINE_MAX; i++)
		manrs_buf_put_u8(&b, 'x');
	manrs_buf_puts(&b, "\n");
	assert_int_equal(parse_gen(&b, &errors), 0);
	manrs_buf_puts(&b, "#");
	for (i = 0; i < MANRS_SAV_LINE_MAX; i++)
		manrs_buf_put_u8(&b, 'x');
	manrs_buf_puts(&b, "\ncustomer a\n");
	assert_int_equal(parse_gen(&b, &errors), MANRS_E_SYNTAX);
	assert_int_equal(errors, 1);
	manrs_buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_urpf),
		cmocka_unit_test(test_bogon_sources),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_family),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
