/*
 * test_bogon.c - special-purpose bogon table, bogon ASNs, delegated-stats
 * (unallocated) bogons, and a cross-check against Team Cymru fullbogons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static struct manrs_prefix
P(const char *s)
{
	struct manrs_prefix p;

	if (manrs_prefix_parse(V(s), MANRS_PREFIX_HOST, &p) != 0)
		fail_msg("bad prefix %s", s);
	return p;
}

/* Check kind and (when want_entry) the deciding entry's prefix. */
static void
check(const char *pfx, enum manrs_bogon_kind kind, const char *want_entry)
{
	struct manrs_prefix p = P(pfx);
	struct manrs_bogon_match m;
	char buf[MANRS_PREFIX_STRLEN];

	manrs_bogon_prefix_check(&p, &m);
	if (m.kind != kind)
		fail_msg("%s: kind %d, want %d", pfx, m.kind, kind);
	if (want_entry == NULL) {
		assert_null(m.entry);
		return;
	}
	assert_non_null(m.entry);
	manrs_prefix_print(&m.entry->prefix, buf, sizeof(buf));
	if (strcmp(buf, want_entry) != 0)
		fail_msg("%s: entry %s, want %s", pfx, buf, want_entry);
}

static void
test_prefix_v4(void **state)
{
	(void)state;
	check("10.1.2.0/24", MANRS_BOGON_INSIDE, "10.0.0.0/8");
	check("10.0.0.0/8", MANRS_BOGON_INSIDE, "10.0.0.0/8");
	check("192.168.1.1", MANRS_BOGON_INSIDE, "192.168.0.0/16");
	check("0.0.0.0/32", MANRS_BOGON_INSIDE, "0.0.0.0/32");
	check("0.1.0.0/16", MANRS_BOGON_INSIDE, "0.0.0.0/8");
	check("100.64.0.0/10", MANRS_BOGON_INSIDE, "100.64.0.0/10");
	check("100.128.0.0/10", MANRS_BOGON_NONE, NULL);
	check("192.0.2.0/24", MANRS_BOGON_INSIDE, "192.0.2.0/24");
	check("192.88.99.0/24", MANRS_BOGON_INSIDE, "192.88.99.0/24");
	check("224.0.0.0/24", MANRS_BOGON_INSIDE, "224.0.0.0/4");
	check("255.255.255.255/32", MANRS_BOGON_INSIDE, "255.255.255.255/32");
	check("255.0.0.0/8", MANRS_BOGON_INSIDE, "240.0.0.0/4");
	/* Globally reachable exceptions inside 192.0.0.0/24. */
	check("192.0.0.9/32", MANRS_BOGON_REACHABLE, "192.0.0.9/32");
	check("192.0.0.10/32", MANRS_BOGON_REACHABLE, "192.0.0.10/32");
	check("192.0.0.11/32", MANRS_BOGON_INSIDE, "192.0.0.0/24");
	check("192.0.0.8/32", MANRS_BOGON_INSIDE, "192.0.0.8/32");
	check("192.0.0.170/32", MANRS_BOGON_INSIDE, "192.0.0.170/32");
	check("192.0.0.171/32", MANRS_BOGON_INSIDE, "192.0.0.171/32");
	/* Globally reachable, not inside a bogon. */
	check("192.31.196.0/24", MANRS_BOGON_REACHABLE, "192.31.196.0/24");
	check("192.175.48.0/24", MANRS_BOGON_REACHABLE, "192.175.48.0/24");
	/* Ordinary space and covering prefixes. */
	check("8.8.8.0/24", MANRS_BOGON_NONE, NULL);
	check("11.0.0.0/8", MANRS_BOGON_NONE, NULL);
	check("0.0.0.0/0", MANRS_BOGON_COVERS, "0.0.0.0/8");
	check("10.0.0.0/7", MANRS_BOGON_COVERS, "10.0.0.0/8");
	check("192.0.0.0/23", MANRS_BOGON_COVERS, "192.0.0.0/24");
	check("192.168.0.0/15", MANRS_BOGON_COVERS, "192.168.0.0/16");
}

static void
test_prefix_v6(void **state)
{
	(void)state;
	check("2001:db8:1::/48", MANRS_BOGON_INSIDE, "2001:db8::/32");
	check("2001::/23", MANRS_BOGON_INSIDE, "2001::/23");
	check("2001:100::/24", MANRS_BOGON_INSIDE, "2001::/23");
	check("2001:200::/23", MANRS_BOGON_NONE, NULL);
	check("2001:4::/32", MANRS_BOGON_INSIDE, "2001::/23");
	check("2001:2::/48", MANRS_BOGON_INSIDE, "2001:2::/48");
	/* RFC 6890 "N/A": Teredo and 6to4 count as bogons. */
	check("2001::/32", MANRS_BOGON_INSIDE, "2001::/32");
	check("2001:0:1::/48", MANRS_BOGON_INSIDE, "2001::/32");
	check("2002:c000:201::/48", MANRS_BOGON_INSIDE, "2002::/16");
	/* Globally reachable carve-outs inside 2001::/23. */
	check("2001:3::/32", MANRS_BOGON_REACHABLE, "2001:3::/32");
	check("2001:3:1::/48", MANRS_BOGON_REACHABLE, "2001:3::/32");
	check("2001:4:112::/48", MANRS_BOGON_REACHABLE, "2001:4:112::/48");
	check("2001:1::1/128", MANRS_BOGON_REACHABLE, "2001:1::1/128");
	check("2001:1::3/128", MANRS_BOGON_INSIDE, "2001::/23");
	check("2001:20::/28", MANRS_BOGON_REACHABLE, "2001:20::/28");
	check("2001:10::/28", MANRS_BOGON_INSIDE, "2001:10::/28");
	check("64:ff9b::/96", MANRS_BOGON_REACHABLE, "64:ff9b::/96");
	check("64:ff9b:1::/48", MANRS_BOGON_INSIDE, "64:ff9b:1::/48");
	check("::ffff:10.0.0.0/104", MANRS_BOGON_INSIDE, "::ffff:0.0.0.0/96");
	check("fc00::/7", MANRS_BOGON_INSIDE, "fc00::/7");
	check("fd12:3456::/32", MANRS_BOGON_INSIDE, "fc00::/7");
	check("fe80::/64", MANRS_BOGON_INSIDE, "fe80::/10");
	check("ff02::1/128", MANRS_BOGON_INSIDE, "ff00::/8");
	check("::/128", MANRS_BOGON_INSIDE, "::/128");
	check("::1/128", MANRS_BOGON_INSIDE, "::1/128");
	check("2a00::/12", MANRS_BOGON_NONE, NULL);
	check("::/0", MANRS_BOGON_COVERS, "::1/128");
	check("2000::/3", MANRS_BOGON_COVERS, "2001::/23");
}

static int
collect(const struct manrs_bogon_entry *e, void *arg)
{
	char *out = arg, buf[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(&e->prefix, buf, sizeof(buf));
	strlcat(out, buf, 4096);
	strlcat(out, " ", 4096);
	return 0;
}

static void
test_walk_covered(void **state)
{
	char out[4096];
	struct manrs_prefix p;

	(void)state;
	out[0] = '\0';
	p = P("192.0.0.0/16");
	manrs_bogon_walk_covered(&p, collect, out);
	/* 192.0.0.0/24 swallows its bogon sub-entries. */
	assert_string_equal(out, "192.0.0.0/24 192.0.2.0/24 ");
	out[0] = '\0';
	p = P("2000::/3");
	manrs_bogon_walk_covered(&p, collect, out);
	assert_string_equal(out, "2001::/23 2001:db8::/32 2002::/16 ");
	out[0] = '\0';
	p = P("0.0.0.0/0");
	manrs_bogon_walk_covered(&p, collect, out);
	assert_string_equal(out, "0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 "
	    "127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.0.0.0/24 "
	    "192.0.2.0/24 192.88.99.0/24 192.168.0.0/16 198.18.0.0/15 "
	    "198.51.100.0/24 203.0.113.0/24 240.0.0.0/4 224.0.0.0/4 ");
}

static void
test_asn(void **state)
{
	static const struct {
		uint32_t	asn;
		const char	*rfc;	/* NULL: not a bogon */
	} cases[] = {
		{ 0, "RFC 7607" }, { 1, NULL }, { 23455, NULL },
		{ 23456, "RFC 6793" }, { 23457, NULL }, { 64495, NULL },
		{ 64496, "RFC 5398" }, { 64511, "RFC 5398" },
		{ 64512, "RFC 6996" }, { 65534, "RFC 6996" },
		{ 65535, "RFC 7300" }, { 65536, "RFC 5398" },
		{ 65551, "RFC 5398" }, { 65552, "IANA AS numbers registry" },
		{ 131071, "IANA AS numbers registry" }, { 131072, NULL },
		{ 4199999999u, NULL }, { 4200000000u, "RFC 6996" },
		{ 4294967294u, "RFC 6996" }, { 4294967295u, "RFC 7300" },
	};
	const struct manrs_bogon_asn *r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = manrs_bogon_asn_find(cases[i].asn);
		if (cases[i].rfc == NULL) {
			if (r != NULL)
				fail_msg("AS%u is not a bogon", cases[i].asn);
			continue;
		}
		if (r == NULL)
			fail_msg("AS%u is a bogon", cases[i].asn);
		assert_string_equal(r->rfc, cases[i].rfc);
	}
}

static int
deleg_lines(struct manrs_bogon_delegated *d, const char *const *lines,
    struct manrs_diag_sink *sink)
{
	int rc, status = 0;
	size_t i;

	for (i = 0; lines[i] != NULL; i++)
		if ((rc = manrs_bogon_delegated_parse_line(d, V(lines[i]),
		    "t", i + 1, sink)) != 0)
			status = rc;
	return status;
}

static bool
dp(struct manrs_bogon_delegated *d, const char *s)
{
	struct manrs_prefix p = P(s);

	return manrs_bogon_delegated_prefix(d, &p, NULL);
}

static void
test_delegated(void **state)
{
	static const char *const good[] = {
		"2|ripencc|1366322399|111223|19830705|20130418|+0200",
		"ripencc|*|ipv4|*|49504|summary",
		"ripencc|FR|ipv4|2.0.0.0|1048576|20100712|allocated",
		"ripencc||ipv4|185.1.13.0|256||available",
		"ripencc||ipv4|185.1.14.0|512||reserved",
		"ripencc||ipv6|2001:678:a0::|43||available",
		"ripencc||ipv6|2001:678:c0::|42||available|",
		"ripencc||asn|1547|1||available",
		"ripencc||asn|1548|2||reserved",
		"ripencc|NL|asn|3333|1|19930901|allocated|x",
		NULL,
	};
	static const char *const bad[] = {
		"ripencc||ipv4|185.1.300.0|256||available",
		"ripencc||ipv4|255.255.255.0|257||available",
		"ripencc||ipv4|1.0.0.0|0||available",
		"ripencc||ipv6|2001:678:a0::|33||available",
		"ripencc||ipv6|2001:678:a0::|129||available",
		"ripencc||asn|4294967295|2||available",
		"ripencc||ipx|1|1||available",
		"ripencc||ipv4|1.0.0.0|256",
		"a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q",
		NULL,
	};
	struct manrs_bogon_delegated *d = manrs_bogon_delegated_new(NULL);
	struct manrs_diag_sink sink;
	const char *reg;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	assert_non_null(d);
	assert_int_equal(deleg_lines(d, good, &sink), 0);
	assert_int_equal(sink.errors, 0);
	/* 185.1.13.0/24 + 185.1.14.0/23 are not one CIDR but are adjacent:
	 * they merge, so 185.1.13.0 .. 185.1.15.255 is one range. */
	assert_int_equal(manrs_bogon_delegated_count(d, MANRS_AF_INET), 1);
	assert_true(dp(d, "185.1.13.0/24"));
	assert_true(dp(d, "185.1.14.0/23"));
	assert_true(dp(d, "185.1.15.255/32"));
	assert_false(dp(d, "185.1.12.0/22"));
	assert_false(dp(d, "185.1.16.0/24"));
	assert_false(dp(d, "2.0.0.0/12"));
	/* 2001:678:a0::/43 and 2001:678:c0::/42 are adjacent too. */
	assert_int_equal(manrs_bogon_delegated_count(d, MANRS_AF_INET6), 1);
	assert_true(dp(d, "2001:678:a0::/43"));
	assert_true(dp(d, "2001:678:e0::/44"));
	assert_false(dp(d, "2001:678:80::/42"));
	assert_false(dp(d, "2001:678:100::/48"));
	assert_true(manrs_bogon_delegated_asn(d, 1547, &reg));
	assert_string_equal(reg, "ripencc");
	assert_true(manrs_bogon_delegated_asn(d, 1549, NULL));
	assert_false(manrs_bogon_delegated_asn(d, 1550, NULL));
	assert_false(manrs_bogon_delegated_asn(d, 3333, NULL));
	assert_false(manrs_bogon_delegated_asn(d, 1546, NULL));

	memset(&sink, 0, sizeof(sink));
	assert_int_not_equal(deleg_lines(d, bad, &sink), 0);
	assert_int_equal(sink.errors, 9);
	manrs_bogon_delegated_free(d);
}

static void
test_delegated_registries(void **state)
{
	static const char *const lines[] = {
		"apnic||ipv4|1.0.0.0|256||available",
		"ripencc||ipv4|1.0.1.0|256||available",
		"ripencc||ipv4|1.0.2.0|256||reserved",
		"arin||asn|1000|10||available",
		NULL,
	};
	struct manrs_bogon_delegated *d = manrs_bogon_delegated_new(NULL);
	struct manrs_diag_sink sink;
	struct manrs_prefix p;
	const char *reg = NULL;
	char line[64];
	int i;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	assert_int_equal(deleg_lines(d, lines, &sink), 0);
	/* Adjacent ranges of two registries do not merge; one registry's
	 * adjacent ranges do. */
	assert_int_equal(manrs_bogon_delegated_count(d, MANRS_AF_INET), 2);
	p = P("1.0.0.0/24");
	assert_true(manrs_bogon_delegated_prefix(d, &p, &reg));
	assert_string_equal(reg, "apnic");
	p = P("1.0.1.0/24");
	assert_true(manrs_bogon_delegated_prefix(d, &p, &reg));
	assert_string_equal(reg, "ripencc");
	p = P("1.0.2.0/24");
	assert_true(manrs_bogon_delegated_prefix(d, &p, &reg));
	assert_string_equal(reg, "ripencc");
	assert_false(dp(d, "1.0.0.0/23"));
	assert_true(manrs_bogon_delegated_asn(d, 1009, &reg));
	assert_string_equal(reg, "arin");
	/* At most 16 registry names. */
	for (i = 0; i < 13; i++) {
		snprintf(line, sizeof(line), "r%d||asn|%d|1||available", i,
		    2000 + i);
		assert_int_equal(manrs_bogon_delegated_parse_line(d, V(line),
		    "t", 1, &sink), 0);
	}
	assert_int_equal(manrs_bogon_delegated_parse_line(d,
	    V("r99||asn|3000|1||available"), "t", 2, &sink), MANRS_E_SYNTAX);
	assert_int_equal(sink.errors, 1);
	manrs_bogon_delegated_free(d);
}

static void
test_delegated_real(void **state)
{
	struct manrs_bogon_delegated *d;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	char path[4096];
	int err;

	(void)state;
	if (shared_path("iana/delegated-ripencc-extended-latest.gz", path,
	    sizeof(path)) == NULL)
		skip();
	memset(&sink, 0, sizeof(sink));
	assert_non_null(d = manrs_bogon_delegated_new(NULL));
	assert_non_null(in = manrs_input_open(path, &err));
	assert_int_equal(manrs_bogon_delegated_read(d, in, &sink), 0);
	manrs_input_close(in);
	assert_int_equal(sink.errors, 0);
	assert_true(manrs_bogon_delegated_count(d, 0) > 1000);
	/* Lines from the file itself (2013-04-18). */
	assert_true(dp(d, "185.1.13.0/24"));	/* available */
	assert_true(dp(d, "5.133.64.0/18"));	/* reserved, 16384 */
	assert_true(dp(d, "2001:678:90::/44"));
	assert_false(dp(d, "2.0.0.0/12"));	/* allocated FR */
	assert_true(manrs_bogon_delegated_asn(d, 1547, NULL));
	manrs_bogon_delegated_free(d);
}

/* Cymru fullbogons prefixes of one file, as a flat array. */
static struct manrs_prefix *
read_cymru(const char *rel, size_t *n)
{
	struct manrs_prefix *v = NULL, p;
	struct manrs_input *in;
	struct manrs_view line;
	char path[4096];
	size_t cap = 0;
	int err;

	*n = 0;
	if (shared_path(rel, path, sizeof(path)) == NULL)
		return NULL;
	if ((in = manrs_input_open(path, &err)) == NULL)
		fail_msg("%s: %s", path, manrs_strerror(err));
	while (manrs_input_line(in, &line) == 1) {
		line = manrs_view_trim(line);
		if (line.len == 0 || line.p[0] == '#')
			continue;
		if (manrs_prefix_parse(line, 0, &p) != 0)
			fail_msg("%s: line %llu unparsable", path,
			    (unsigned long long)manrs_input_lineno(in));
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			v = realloc(v, cap * sizeof(*v));
			assert_non_null(v);
		}
		v[(*n)++] = p;
	}
	manrs_input_close(in);
	return v;
}

/*
 * Every special-purpose bogon should lie inside Team Cymru's fullbogons,
 * except the entries Cymru leaves out on purpose: the IPv6 blocks under
 * 2001::/23 and 2002::/16, which Cymru treats as allocated space, and the
 * deprecated 6to4 relay anycast 192.88.99.0/24.  That exact list is
 * pinned here, so a change on either side shows up.
 */
static void
test_cymru(void **state)
{
	struct manrs_prefix *v4, *v6, *v;
	const struct manrs_bogon_entry *e;
	char out[4096], buf[MANRS_PREFIX_STRLEN];
	size_t n4, n6, n, i, j, count;

	(void)state;
	v4 = read_cymru("iana/bogons_ipv4.txt", &n4);
	v6 = read_cymru("iana/bogons_ipv6.txt", &n6);
	if (v4 == NULL || v6 == NULL) {
		free(v4);
		free(v6);
		skip();
	}
	assert_int_equal(n4, 3021);
	assert_int_equal(n6, 156815);
	out[0] = '\0';
	e = manrs_bogon_entries(&count);
	for (i = 0; i < count; i++) {
		if (!manrs_bogon_entry_is_bogon(&e[i]))
			continue;
		v = e[i].prefix.af == MANRS_AF_INET ? v4 : v6;
		n = e[i].prefix.af == MANRS_AF_INET ? n4 : n6;
		for (j = 0; j < n; j++)
			if (manrs_prefix_covers(&v[j], &e[i].prefix))
				break;
		if (j == n) {
			manrs_prefix_print(&e[i].prefix, buf, sizeof(buf));
			strlcat(out, buf, sizeof(out));
			strlcat(out, " ", 4096);
		}
	}
	free(v4);
	free(v6);
	assert_string_equal(out, "192.88.99.0/24 2001::/23 2001::/32 "
	    "2001:2::/48 2001:10::/28 2002::/16 ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_v4),
		cmocka_unit_test(test_prefix_v6),
		cmocka_unit_test(test_walk_covered),
		cmocka_unit_test(test_asn),
		cmocka_unit_test(test_delegated),
		cmocka_unit_test(test_delegated_registries),
		cmocka_unit_test(test_delegated_real),
		cmocka_unit_test(test_cymru),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
