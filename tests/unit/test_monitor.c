/*
 * test_monitor.c - the monitor engine: BGPalerter prefixes.yml reading
 * (every key, errors with their line), each monitor with its peer
 * threshold, deduplication, repeat and dampening, resolution on
 * withdrawal and peer down, UPDATE feeding, the JSON form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define MAXA	64

struct got {
	struct manrs_monitor_alert a[MAXA];
	char	 json[MAXA][1024];
	size_t	 n;
};

static void
collect(void *arg, const struct manrs_monitor_alert *a)
{
	struct got *g = arg;
	struct manrs_buf b;

	assert_true(g->n < MAXA);
	g->a[g->n] = *a;
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_monitor_alert_json(a, &b), 0);
	manrs_buf_put_u8(&b, 0);
	strlcpy(g->json[g->n], (const char *)b.p, sizeof(g->json[0]));
	manrs_buf_clear(&b);
	if (getenv("MON_DEBUG"))
		fprintf(stderr, "alert %s\n", g->json[g->n]);
	g->n++;
}

static const char yml[] =
    "192.0.2.0/24:\n"
    "  description: doc net\n"
    "  asn: 15562\n"
    "  ignoreMorespecifics: false\n"
    "  ignore: false\n"
    "  group: noc\n"
    "198.51.100.0/24:\n"
    "  description: no more-specifics\n"
    "  asn:\n"
    "    - 2914\n"
    "    - 3333\n"
    "  ignoreMorespecifics: true\n"
    "2001:db8::/32:\n"
    "  description: v6 with a path rule\n"
    "  asn: 15562\n"
    "  ignoreMorespecifics: false\n"
    "  path:\n"
    "    match: \".*,666,.*\"\n"
    "    matchDescription: via the bad AS\n"
    "203.0.113.0/24:\n"
    "  description: ignored\n"
    "  asn: 15562\n"
    "  ignore: true\n"
    "  ignoreMorespecifics: false\n"
    "options:\n"
    "  monitorASns:\n"
    "    15562:\n"
    "      group: core\n";

static struct manrs_monitor_config *
config(const char *text)
{
	struct manrs_monitor_config *c;
	int err;

	c = manrs_monitor_config_parse(text, strlen(text), "t.yml", NULL,
	    &err);
	assert_non_null(c);
	assert_int_equal(err, 0);
	return c;
}

/* AS_SEQUENCE wire segment of n four-octet ASNs. */
static size_t
path(uint8_t *buf, const uint32_t *asns, size_t n)
{
	size_t i, o = 2;

	buf[0] = MANRS_BGP_AS_SEQUENCE;
	buf[1] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		buf[o++] = (uint8_t)(asns[i] >> 24);
		buf[o++] = (uint8_t)(asns[i] >> 16);
		buf[o++] = (uint8_t)(asns[i] >> 8);
		buf[o++] = (uint8_t)asns[i];
	}
	return o;
}

static int
feed(struct manrs_monitor *m, unsigned peer, const char *pfx, bool withdraw,
    uint64_t t, const uint32_t *asns, size_t n)
{
	struct manrs_monitor_route r;
	uint8_t buf[256];

	memset(&r, 0, sizeof(r));
	r.peer_as = 65000 + peer;
	r.peer_af = MANRS_AF_INET;
	r.peer_addr[0] = 10;
	r.peer_addr[3] = (uint8_t)peer;
	r.time = t;
	r.withdraw = withdraw;
	assert_int_equal(manrs_prefix_parse(V(pfx), 0, &r.prefix), 0);
	if (!withdraw) {
		r.aspath = buf;
		r.aspath_len = path(buf, asns, n);
	}
	return manrs_monitor_route(m, &r);
}

static struct manrs_monitor *
monitor_b(const struct manrs_monitor_config *c, struct got *g,
    struct manrs_monitor_opts *o, bool bogons)
{
	struct manrs_monitor *m;
	int err;

	memset(g, 0, sizeof(*g));
	/* the test ASNs are real ones; bogon ASNs only where tested */
	if (!bogons)
		o->enabled[MANRS_MON_BOGON_ASN] = false;
	m = manrs_monitor_new(c, o, collect, g, &err);
	assert_non_null(m);
	return m;
}

static struct manrs_monitor *
monitor(const struct manrs_monitor_config *c, struct got *g,
    struct manrs_monitor_opts *o)
{
	return monitor_b(c, g, o, false);
}

static void
test_config(void **state)
{
	struct manrs_monitor_config *c;
	struct manrs_monitor_config_stats st;
	struct manrs_diag_sink sink;
	const uint32_t *asns;
	int err;

	(void)state;
	c = config(yml);
	manrs_monitor_config_stats(c, &st);
	assert_int_equal(st.prefixes, 4);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(st.path_rules, 1);
	assert_int_equal(manrs_monitor_config_asns(c, &asns), 1);
	assert_int_equal(asns[0], 15562);
	manrs_monitor_config_free(c);

	memset(&sink, 0, sizeof(sink));
	/* a bad prefix, a bad regular expression, a prefix twice */
	assert_null(manrs_monitor_config_parse("192.0.2.0/33:\n  asn: 1\n",
	    22, "t", &sink, &err));
	assert_int_equal(err, MANRS_E_SYNTAX);
	assert_null(c = manrs_monitor_config_parse(
	    "192.0.2.0/24:\n  asn: 1\n  path:\n    match: \"(\"\n", 47, "t",
	    &sink, &err));
	assert_int_equal(err, MANRS_E_SYNTAX);
	assert_null(manrs_monitor_config_parse(
	    "192.0.2.0/24:\n  asn: 1\n192.0.2.0/24:\n  asn: 2\n", 46, "t",
	    &sink, &err));
	assert_int_equal(err, MANRS_E_EXIST);
	assert_null(manrs_monitor_config_parse("192.0.2.0/24:\n  asn: x\n",
	    23, "t", &sink, &err));
	assert_int_equal(err, MANRS_E_SYNTAX);
	/* not YAML at all */
	assert_null(manrs_monitor_config_parse("a: [\n", 5, "t", &sink,
	    &err));
	assert_int_equal(err, MANRS_E_SYNTAX);
	/* an unknown key is only a warning */
	c = manrs_monitor_config_parse("192.0.2.0/24:\n  asn: 1\n  x: 2\n",
	    29, "t", &sink, &err);
	assert_non_null(c);
	assert_int_equal(sink.warnings, 1);
	manrs_monitor_config_free(c);
}

static void
test_hijack(void **state)
{
	struct manrs_monitor_config *c = config(yml);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct got g;
	static const uint32_t bad[] = { 6939, 3356, 4134 };
	static const uint32_t good[] = { 6939, 3356, 15562 };

	(void)state;
	manrs_monitor_opts_init(&o);
	o.min_peers[MANRS_MON_HIJACK] = 2;
	m = monitor(c, &g, &o);
	assert_int_equal(feed(m, 1, "192.0.2.0/24", false, 100, bad, 3), 0);
	assert_int_equal(g.n, 0);		/* one peer: below 2 */
	assert_int_equal(feed(m, 2, "192.0.2.0/24", false, 101, bad, 3), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.a[0].type, MANRS_MON_HIJACK);
	assert_false(g.a[0].resolved);
	assert_int_equal(g.a[0].origin, 4134);
	assert_int_equal(g.a[0].peers, 2);
	assert_int_equal(g.a[0].first_seen, 100);
	assert_string_equal(g.a[0].description, "doc net");
	assert_string_equal(g.a[0].group, "noc");
	assert_non_null(strstr(g.a[0].evidence, "announced by AS4134"));
	assert_non_null(strstr(g.a[0].evidence, "path 6939,3356,4134"));
	assert_non_null(strstr(g.json[0], "\"type\":\"hijack\""));
	assert_non_null(strstr(g.json[0], "\"prefix\":\"192.0.2.0/24\""));
	assert_non_null(strstr(g.json[0], "\"origin\":4134"));
	assert_non_null(strstr(g.json[0], "\"peers\":2"));
	assert_non_null(strstr(g.json[0],
	    "\"first_seen\":\"1970-01-01T00:01:40Z\""));
	/* a third peer and a repeat from the second: deduplicated */
	feed(m, 3, "192.0.2.0/24", false, 102, bad, 3);
	feed(m, 2, "192.0.2.0/24", false, 103, bad, 3);
	assert_int_equal(g.n, 1);
	/* the expected origin from peer 1, withdrawal from 2: still open */
	feed(m, 1, "192.0.2.0/24", false, 104, good, 3);
	feed(m, 2, "192.0.2.0/24", true, 105, NULL, 0);
	assert_int_equal(g.n, 1);
	/* the last peer withdraws: resolved, once */
	feed(m, 3, "192.0.2.0/24", true, 106, NULL, 0);
	assert_int_equal(g.n, 2);
	assert_true(g.a[1].resolved);
	assert_int_equal(g.a[1].type, MANRS_MON_HIJACK);
	assert_int_equal(g.a[1].peers, 0);
	assert_int_equal(g.a[1].peers_max, 3);
	feed(m, 3, "192.0.2.0/24", true, 107, NULL, 0);
	assert_int_equal(g.n, 2);

	/* more specific with another origin: a hijack naming the rule */
	feed(m, 1, "192.0.2.128/25", false, 200, bad, 3);
	feed(m, 2, "192.0.2.128/25", false, 200, bad, 3);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.a[2].type, MANRS_MON_HIJACK);
	assert_true(g.a[2].has_rule);
	assert_int_equal(g.a[2].rule.len, 24);
	assert_int_equal(g.a[2].prefix.len, 25);
	/* more specific with the expected origin: new more-specific */
	o.min_peers[MANRS_MON_MORESPECIFIC] = 1;
	manrs_monitor_free(m);
	m = monitor(c, &g, &o);
	feed(m, 1, "192.0.2.0/25", false, 300, good, 3);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.a[0].type, MANRS_MON_MORESPECIFIC);
	/* ignoreMorespecifics: nothing for 198.51.100.0/25 */
	feed(m, 1, "198.51.100.0/25", false, 300, bad, 3);
	feed(m, 2, "198.51.100.0/25", false, 300, bad, 3);
	assert_int_equal(g.n, 1);
	/* ... but the exact prefix is watched, with both origins allowed */
	{
		static const uint32_t o2[] = { 6939, 3333 };

		feed(m, 1, "198.51.100.0/24", false, 300, o2, 2);
		feed(m, 2, "198.51.100.0/24", false, 300, o2, 2);
		assert_int_equal(g.n, 1);
		feed(m, 1, "198.51.100.0/24", false, 300, bad, 3);
		feed(m, 2, "198.51.100.0/24", false, 300, bad, 3);
		assert_int_equal(g.n, 2);
		assert_int_equal(g.a[1].nexpected, 2);
	}
	/* ignore: true: a hijack of 203.0.113.0/24 is not reported */
	feed(m, 1, "203.0.113.0/24", false, 300, bad, 3);
	feed(m, 2, "203.0.113.0/24", false, 300, bad, 3);
	assert_int_equal(g.n, 2);
	/* less specific covering 192.0.2.0/24 from another origin */
	o.min_peers[MANRS_MON_HIJACK_LESS] = 1;
	manrs_monitor_free(m);
	m = monitor(c, &g, &o);
	feed(m, 1, "192.0.0.0/16", false, 400, bad, 3);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.a[0].type, MANRS_MON_HIJACK_LESS);
	assert_int_equal(g.a[0].rule.len, 24);
	/* peer down resolves it */
	{
		uint8_t addr[4] = { 10, 0, 0, 1 };

		assert_int_equal(manrs_monitor_peer_down(m, 65001,
		    MANRS_AF_INET, addr, 401), 0);
	}
	assert_int_equal(g.n, 2);
	assert_true(g.a[1].resolved);
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
}

static void
test_rpki_visibility_path(void **state)
{
	struct manrs_monitor_config *c = config(yml);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct manrs_vrp_set *vs;
	struct manrs_vrp v;
	struct got g;
	static const uint32_t good[] = { 6939, 3356, 15562 };
	static const uint32_t bad666[] = { 6939, 666, 15562 };
	int i;

	(void)state;
	assert_non_null(vs = manrs_vrp_set_new(NULL));
	memset(&v, 0, sizeof(v));
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/24"), 0, &v.prefix),
	    0);
	v.maxlen = 24;
	v.asn = 15562;
	assert_int_equal(manrs_vrp_add(vs, &v), 0);
	assert_int_equal(manrs_vrp_set_finish(vs), 0);
	manrs_monitor_opts_init(&o);
	for (i = 0; i < MANRS_MON_NTYPES; i++)
		o.min_peers[i] = 1;
	o.min_peers[MANRS_MON_VISIBILITY] = 2;
	o.vrps = vs;
	m = monitor(c, &g, &o);
	/* valid: nothing */
	feed(m, 1, "192.0.2.0/24", false, 10, good, 3);
	assert_int_equal(g.n, 0);
	/* a /25 by the right AS is RPKI invalid (maxLength 24) */
	feed(m, 1, "192.0.2.0/25", false, 11, good, 3);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.a[0].type, MANRS_MON_MORESPECIFIC);
	assert_int_equal(g.a[1].type, MANRS_MON_RPKI_INVALID);
	assert_non_null(strstr(g.a[1].evidence, "RPKI invalid"));
	/* 2001:db8::/32 has no ROA: not covered; and a path rule hit */
	feed(m, 1, "2001:db8::/32", false, 12, bad666, 3);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.a[2].type, MANRS_MON_PATH);
	assert_non_null(strstr(g.a[2].evidence, "via the bad AS"));
	assert_int_equal(g.a[3].type, MANRS_MON_RPKI_NOTCOVERED);
	/* visibility: two peers carry 192.0.2.0/24, one withdraws */
	feed(m, 2, "192.0.2.0/24", false, 13, good, 3);
	assert_int_equal(g.n, 4);
	feed(m, 2, "192.0.2.0/24", true, 14, NULL, 0);
	assert_int_equal(g.n, 5);
	assert_int_equal(g.a[4].type, MANRS_MON_VISIBILITY);
	assert_int_equal(g.a[4].peers, 1);
	assert_int_equal(g.a[4].peers_max, 2);
	feed(m, 2, "192.0.2.0/24", false, 15, good, 3);
	assert_int_equal(g.n, 6);
	assert_int_equal(g.a[5].type, MANRS_MON_VISIBILITY);
	assert_true(g.a[5].resolved);
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
	manrs_vrp_set_free(vs);
}

static void
test_monitored_as(void **state)
{
	struct manrs_monitor_config *c = config(yml);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct manrs_asgraph *gr;
	struct got g;
	static const uint32_t mine[] = { 6939, 3356, 15562 };
	static const uint32_t bogon_path[] = { 6939, 64512, 15562 };
	static const uint32_t leak2[] = { 3356, 174, 15562 };
	int i;

	(void)state;
	manrs_monitor_opts_init(&o);
	for (i = 0; i < MANRS_MON_NTYPES; i++)
		o.min_peers[i] = 1;
	assert_non_null(gr = manrs_asgraph_new(NULL));
	assert_int_equal(manrs_asgraph_add(gr, 174, 15562,
	    MANRS_ASREL_CUSTOMER), 0);
	assert_int_equal(manrs_asgraph_add(gr, 174, 3356, MANRS_ASREL_PEER),
	    0);
	assert_int_equal(manrs_asgraph_finish(gr), 0);
	o.asrel = gr;
	m = monitor_b(c, &g, &o, true);
	/* a prefix of the monitored AS that is not in the list */
	feed(m, 1, "100.64.0.0/10", false, 10, mine, 3);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.a[0].type, MANRS_MON_NEWPREFIX);
	assert_string_equal(g.a[0].group, "core");
	assert_int_equal(g.a[1].type, MANRS_MON_BOGON_PREFIX);
	assert_non_null(strstr(g.a[1].evidence, "bogon"));
	/* a private ASN in the path of a monitored prefix */
	feed(m, 1, "192.0.2.0/24", false, 11, bogon_path, 3);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.a[2].type, MANRS_MON_BOGON_ASN);
	assert_int_equal(g.a[2].asn, 64512);
	/* the same peer's next path clears the bogon event */
	feed(m, 1, "192.0.2.0/24", false, 12, leak2, 3);
	assert_int_equal(g.n, 4);
	assert_true(g.a[3].resolved);
	assert_int_equal(g.a[3].type, MANRS_MON_BOGON_ASN);
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
	manrs_asgraph_free(gr);
}

static void
test_leak(void **state)
{
	struct manrs_monitor_config *c = config(yml);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct manrs_asgraph *gr;
	struct got g;
	/* 9002 leaks 15562's route from its provider 174 to provider 3356 */
	static const uint32_t lk[] = { 3356, 9002, 174, 15562 };
	int i;

	(void)state;
	manrs_monitor_opts_init(&o);
	for (i = 0; i < MANRS_MON_NTYPES; i++) {
		o.min_peers[i] = 1;
		o.enabled[i] = i == MANRS_MON_LEAK;
	}
	assert_non_null(gr = manrs_asgraph_new(NULL));
	assert_int_equal(manrs_asgraph_add(gr, 174, 15562,
	    MANRS_ASREL_CUSTOMER), 0);
	assert_int_equal(manrs_asgraph_add(gr, 174, 9002,
	    MANRS_ASREL_CUSTOMER), 0);
	assert_int_equal(manrs_asgraph_add(gr, 3356, 9002,
	    MANRS_ASREL_CUSTOMER), 0);
	assert_int_equal(manrs_asgraph_finish(gr), 0);
	o.asrel = gr;
	m = monitor(c, &g, &o);
	feed(m, 1, "192.0.2.0/24", false, 10, lk, 4);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.a[0].type, MANRS_MON_LEAK);
	assert_int_equal(g.a[0].asn, 9002);
	assert_non_null(strstr(g.a[0].evidence, "RFC 7908"));
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
	manrs_asgraph_free(gr);
}

static void
test_repeat(void **state)
{
	struct manrs_monitor_config *c = config(yml);
	struct manrs_monitor_opts o;
	struct manrs_monitor_stats st;
	struct manrs_monitor *m;
	struct got g;
	static const uint32_t bad[] = { 6939, 4134 };

	(void)state;
	manrs_monitor_opts_init(&o);
	o.min_peers[MANRS_MON_HIJACK] = 1;
	o.repeat = 600;
	m = monitor(c, &g, &o);
	feed(m, 1, "192.0.2.0/24", false, 1000, bad, 2);
	assert_int_equal(g.n, 1);
	manrs_monitor_tick(m, 1500);
	assert_int_equal(g.n, 1);
	manrs_monitor_tick(m, 1600);		/* still open after 600 s */
	assert_int_equal(g.n, 2);
	assert_true(g.a[1].repeat);
	/* resolved, then back within the interval: held back */
	feed(m, 1, "192.0.2.0/24", true, 1700, NULL, 0);
	assert_int_equal(g.n, 3);
	assert_true(g.a[2].resolved);
	feed(m, 1, "192.0.2.0/24", false, 1800, bad, 2);
	assert_int_equal(g.n, 3);
	manrs_monitor_stats(m, &st);
	assert_int_equal(st.suppressed, 1);
	/* the interval passes with it still there: raised */
	manrs_monitor_tick(m, 2400);
	assert_int_equal(g.n, 4);
	assert_false(g.a[3].repeat);
	assert_false(g.a[3].resolved);
	/* resolved and forgotten after another interval */
	feed(m, 1, "192.0.2.0/24", true, 2500, NULL, 0);
	assert_int_equal(g.n, 5);
	manrs_monitor_tick(m, 4000);
	manrs_monitor_stats(m, &st);
	assert_int_equal(st.events, 0);
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
}

/* An UPDATE body withdrawing 192.0.2.0/24 and announcing 2001:db8::/32. */
static void
test_update(void **state)
{
	static const uint8_t body[] = {
		0, 4, 24, 192, 0, 2,
		0, 46,
		0x40, 1, 1, 0,
		0x40, 2, 10, 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xe8,
		0x80, 14, 26, 0, 2, 1, 16,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0, 32, 0x20, 0x01, 0x0d, 0xb8,
	};
	struct manrs_monitor_config *c = config(yml);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct got g;
	uint8_t addr[16] = { 10, 0, 0, 9 };

	(void)state;
	manrs_monitor_opts_init(&o);
	o.min_peers[MANRS_MON_HIJACK] = 1;
	m = monitor(c, &g, &o);
	/* 2001:db8::/32 from AS 65000 (path 6939 65000): hijack */
	assert_int_equal(manrs_monitor_update(m, 6939, MANRS_AF_INET, addr,
	    50, body, sizeof(body), 4, 0), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.a[0].type, MANRS_MON_HIJACK);
	assert_int_equal(g.a[0].origin, 65000);
	assert_int_equal(g.a[0].prefix.af, MANRS_AF_INET6);
	/* a cut UPDATE is refused */
	assert_int_equal(manrs_monitor_update(m, 6939, MANRS_AF_INET, addr,
	    50, body, 7, 4, 0), MANRS_E_SHORT);
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
}

/* RIS Live: envelope and bare form, AS_SET, withdrawals, peer down. */
static void
test_ris(void **state)
{
	static const char hij[] = "{\"type\":\"ris_message\",\"data\":"
	    "{\"timestamp\":1000.5,\"peer\":\"192.0.2.10\",\"peer_asn\":"
	    "\"174\",\"type\":\"UPDATE\",\"path\":[174,4134],"
	    "\"announcements\":[{\"next_hop\":\"192.0.2.10\",\"prefixes\":"
	    "[\"192.0.2.0/24\"]}]}}";
	static const char set[] = "{\"timestamp\":1001,\"peer\":"
	    "\"2001:db8::1\",\"peer_asn\":6939,\"type\":\"UPDATE\",\"path\":"
	    "[6939,[4134,4837]],\"announcements\":[{\"next_hop\":\"::1\","
	    "\"prefixes\":[\"192.0.2.0/24\"]}]}";
	static const char down[] = "{\"type\":\"ris_message\",\"data\":"
	    "{\"timestamp\":1002,\"peer\":\"192.0.2.10\",\"peer_asn\":\"174\","
	    "\"type\":\"RIS_PEER_STATE\",\"state\":\"down\"}}";
	static const char badasn[] = "{\"type\":\"UPDATE\",\"peer\":"
	    "\"192.0.2.1\",\"peer_asn\":\"x\"}";
	struct manrs_monitor_config *c = config(yml);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct got g;

	(void)state;
	manrs_monitor_opts_init(&o);
	o.min_peers[MANRS_MON_HIJACK] = 1;
	m = monitor(c, &g, &o);
	assert_int_equal(manrs_monitor_ris_message(m, hij, strlen(hij)), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.a[0].type, MANRS_MON_HIJACK);
	assert_int_equal(g.a[0].origin, 4134);
	assert_int_equal(g.a[0].first_seen, 1000);
	/* a path ending in an AS_SET names no origin: not a hijack */
	assert_int_equal(manrs_monitor_ris_message(m, set, strlen(set)), 0);
	assert_int_equal(g.n, 1);
	/* the peer goes down: resolved */
	assert_int_equal(manrs_monitor_ris_message(m, down, strlen(down)), 0);
	assert_int_equal(g.n, 2);
	assert_true(g.a[1].resolved);
	/* hostile: not JSON, a string ASN that is not a number */
	assert_int_equal(manrs_monitor_ris_message(m, "{", 1),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_monitor_ris_message(m, badasn,
	    strlen(badasn)), MANRS_E_FORMAT);
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
}

/* The RIS Live subscriptions of a configuration. */
static void
test_ris_subscribe(void **state)
{
	struct manrs_monitor_config *c = config(yml);
	char buf[512], all[4096] = "";
	size_t i;
	int n, subs = 0, skipped = 0;

	(void)state;
	for (i = 0; i < 100; i++) {
		n = manrs_monitor_ris_subscribe(c, i, buf, sizeof(buf));
		if (n == MANRS_E_NOTFOUND)
			break;
		assert_true(n >= 0);
		if (n == 0) {
			skipped++;
			continue;
		}
		assert_int_equal((size_t)n, strlen(buf));
		assert_non_null(strstr(buf, "{\"type\":\"ris_subscribe\","));
		subs++;
		strlcat(all, buf, sizeof(all));
		strlcat(all, "\n", sizeof(all));
	}
	assert_true(i < 100);
	/* peer state, three prefixes (one ignored), one AS */
	assert_int_equal(subs, 5);
	assert_int_equal(skipped, 1);
	assert_non_null(strstr(all, "{\"type\":\"ris_subscribe\",\"data\":"
	    "{\"type\":\"RIS_PEER_STATE\"}}\n"));
	assert_non_null(strstr(all, "\"prefix\":\"192.0.2.0/24\","
	    "\"moreSpecific\":true,\"lessSpecific\":true,"));
	assert_non_null(strstr(all, "\"prefix\":\"2001:db8::/32\""));
	assert_non_null(strstr(all, "\"prefix\":\"198.51.100.0/24\""));
	assert_null(strstr(all, "203.0.113.0"));
	assert_non_null(strstr(all, "\"path\":\"15562\""));
	/* too small a buffer: an error and an empty string */
	assert_int_equal(manrs_monitor_ris_subscribe(c, 1, buf, 16),
	    MANRS_E_LIMIT);
	assert_string_equal(buf, "");
	manrs_monitor_config_free(c);
}

static struct manrs_vrp_set *
vrps_json(const char *j, time_t now)
{
	struct manrs_vrp_read_opts ro;
	struct manrs_vrp_set *s;

	memset(&ro, 0, sizeof(ro));
	ro.now = now;
	assert_non_null(s = manrs_vrp_set_new(NULL));
	assert_int_equal(manrs_vrp_read_mem(s, j, strlen(j), "v.json", &ro,
	    NULL), 0);
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	return s;
}

/* ROAs expiring soon, ROAs changed between loads. */
static void
test_roas(void **state)
{
	/* now = 1700000000; 1700003600 is in an hour, 1800000000 far */
	static const char j1[] = "{\"roas\":["
	    "{\"asn\":15562,\"prefix\":\"192.0.2.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1700003600},"
	    "{\"asn\":2914,\"prefix\":\"198.51.100.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1800000000},"
	    "{\"asn\":64511,\"prefix\":\"203.0.113.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1700000100},"
	    "{\"asn\":64510,\"prefix\":\"100.64.0.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1700000100},"
	    "{\"asn\":15562,\"prefix\":\"100.65.0.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1700007200}]}";
	/* renewed; 198.51.100.0/24 maxLength 25 now, a /25 added by 666 */
	static const char j2[] = "{\"roas\":["
	    "{\"asn\":15562,\"prefix\":\"192.0.2.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1800000000},"
	    "{\"asn\":2914,\"prefix\":\"198.51.100.0/24\",\"maxLength\":25,"
	    "\"ta\":\"ripe\",\"expires\":1800000000},"
	    "{\"asn\":666,\"prefix\":\"192.0.2.128/25\",\"maxLength\":25,"
	    "\"ta\":\"ripe\",\"expires\":1800000000},"
	    "{\"asn\":64511,\"prefix\":\"203.0.113.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1700000100},"
	    "{\"asn\":15562,\"prefix\":\"100.65.0.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1700007200}]}";
	struct manrs_monitor_config *c = config(yml);
	struct manrs_vrp_set *a = vrps_json(j1, 1700000000);
	struct manrs_vrp_set *b = vrps_json(j2, 1700000000);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct got g;

	(void)state;
	manrs_monitor_opts_init(&o);
	m = monitor(c, &g, &o);
	/* sort order: 100.64.0.0/24 first; past the end: 0 */
	assert_int_equal(manrs_vrp_get(a, 0)->asn, 64510);
	assert_int_equal(manrs_vrp_expires(a, 0), 1700000100);
	assert_int_equal(manrs_vrp_expires(a, 5), 0);
	/* a 2-hour window: 192.0.2.0/24 (rule) and AS15562's 100.65.0.0/24
	 * (a monitored AS); not the ignored 203.0.113.0/24, not 100.64 */
	assert_int_equal(manrs_monitor_roas(m, NULL, a, 1700000000, 7200), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.a[0].type, MANRS_MON_ROA_EXPIRY);
	assert_false(g.a[0].resolved);
	assert_non_null(strstr(g.json[0], "\"type\":\"roa-expiry\""));
	/* in VRP order: 100.65.0.0/24 first */
	assert_non_null(strstr(g.json[1], "ROA 192.0.2.0/24 maxLength 24 "
	    "AS15562 expires 2023-11-14T23:13:20Z (in 60 min)"));
	assert_non_null(strstr(g.json[1], "\"description\":\"doc net\""));
	assert_non_null(strstr(g.json[0], "100.65.0.0/24"));
	assert_non_null(strstr(g.json[0], "\"group\":\"core\""));
	/* the same load again: nothing new (deduplicated) */
	assert_int_equal(manrs_monitor_roas(m, NULL, a, 1700000060, 7200), 0);
	assert_int_equal(g.n, 2);
	/* reload: 192.0.2.0/24 renewed (resolved), changes per prefix */
	assert_int_equal(manrs_monitor_roas(m, a, b, 1700000120, 7200), 0);
	assert_int_equal(g.n, 5);
	assert_int_equal(g.a[2].type, MANRS_MON_ROA_EXPIRY);
	assert_true(g.a[2].resolved);
	assert_non_null(strstr(g.json[2], "192.0.2.0/24"));
	assert_non_null(strstr(g.json[2], "renewed"));
	assert_int_equal(g.a[3].type, MANRS_MON_ROA_CHANGE);
	assert_non_null(strstr(g.json[3], "\"prefix\":\"192.0.2.128/25\""));
	assert_non_null(strstr(g.json[3], "added 192.0.2.128/25 maxLength 25 "
	    "AS666"));
	assert_non_null(strstr(g.json[4], "removed 198.51.100.0/24 maxLength "
	    "24 AS2914; added 198.51.100.0/24 maxLength 25 AS2914"));
	/* the ignored prefix and 100.64.0.0/24 (no one's) are not named */
	assert_null(strstr(g.json[3], "100.64"));
	assert_null(strstr(g.json[4], "100.64"));
	/* disabled: silent */
	manrs_monitor_free(m);
	o.enabled[MANRS_MON_ROA_CHANGE] = false;
	o.enabled[MANRS_MON_ROA_EXPIRY] = false;
	m = monitor(c, &g, &o);
	assert_int_equal(manrs_monitor_roas(m, a, b, 1700000000, 7200), 0);
	assert_int_equal(g.n, 0);
	manrs_monitor_free(m);
	manrs_vrp_set_free(a);
	manrs_vrp_set_free(b);
	manrs_monitor_config_free(c);
}

/* BGPalerter's monitorPathNeighbors: upstreams / downstreams. */
static void
test_neighbors(void **state)
{
	static const char nyml[] =
	    "options:\n"
	    "  monitorASns:\n"
	    "    15562:\n"
	    "      group: core\n"
	    "      upstreams: [3356, 1299]\n"
	    "      downstreams: []\n"
	    "    2914:\n"
	    "      group: other\n";
	static const uint32_t good[] = { 6939, 3356, 15562, 15562 };
	static const uint32_t badup[] = { 6939, 174, 15562 };
	static const uint32_t down[] = { 3356, 15562, 64500 };
	static const uint32_t through[] = { 2914, 174, 64501 };
	struct manrs_monitor_config *c = config(nyml);
	struct manrs_monitor_opts o;
	struct manrs_monitor *m;
	struct got g;

	(void)state;
	manrs_monitor_opts_init(&o);
	o.enabled[MANRS_MON_NEWPREFIX] = false;
	o.enabled[MANRS_MON_BOGON_PREFIX] = false;	/* documentation space */
	m = monitor(c, &g, &o);
	/* expected upstream, prepended origin: nothing */
	assert_int_equal(feed(m, 1, "192.0.2.0/24", false, 10, good, 4), 0);
	assert_int_equal(g.n, 0);
	/* AS174 before AS15562: an unknown upstream */
	assert_int_equal(feed(m, 1, "192.0.2.0/24", false, 11, badup, 3), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.a[0].type, MANRS_MON_NEIGHBOR);
	assert_int_equal(g.a[0].asn, 174);
	assert_non_null(strstr(g.json[0], "\"type\":\"neighbor\""));
	assert_non_null(strstr(g.json[0], "\"group\":\"core\""));
	assert_non_null(strstr(g.json[0], "AS174 is not a known upstream of "
	    "AS15562; path 6939,174,15562"));
	/* the peer goes back to the expected path: resolved */
	assert_int_equal(feed(m, 1, "192.0.2.0/24", false, 12, good, 4), 0);
	assert_int_equal(g.n, 2);
	assert_true(g.a[1].resolved);
	/* "downstreams: []": any AS after AS15562 is unknown */
	assert_int_equal(feed(m, 2, "198.51.100.0/24", false, 13, down, 3), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.a[2].asn, 64500);
	assert_non_null(strstr(g.json[2], "AS64500 is not a known downstream "
	    "of AS15562"));
	/* AS2914 has neither list: its neighbours are not checked */
	assert_int_equal(feed(m, 3, "203.0.113.0/24", false, 14, through, 3),
	    0);
	assert_int_equal(g.n, 3);
	manrs_monitor_free(m);
	manrs_monitor_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_hijack),
		cmocka_unit_test(test_rpki_visibility_path),
		cmocka_unit_test(test_monitored_as),
		cmocka_unit_test(test_leak),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_ris),
		cmocka_unit_test(test_ris_subscribe),
		cmocka_unit_test(test_roas),
		cmocka_unit_test(test_neighbors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
