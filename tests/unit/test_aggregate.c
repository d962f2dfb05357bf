/*
 * test_aggregate.c - aggregation: aggregate(1) semantics (hand-worked
 * cases, checked against the tool's own output when written) and bgpq4
 * -A semantics (hand-worked from sx_radix_node_aggregate's rules).
 */
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

struct out {
	char	buf[8192];
	size_t	len;
};

static int
item_cb(const struct manrs_aggregate_item *it, void *arg)
{
	struct out *o = arg;
	char tmp[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(&it->prefix, tmp, sizeof(tmp));
	o->len += (size_t)snprintf(o->buf + o->len, sizeof(o->buf) - o->len,
	    "%s%c%s@%llu", o->len ? " " : "",
	    it->origin == MANRS_AGGREGATE_REMOVED ? '-' :
	    it->origin == MANRS_AGGREGATE_ADDED ? '+' : '=', tmp,
	    (unsigned long long)it->line);
	return 0;
}

/* Aggregate the space-separated list; return the walk text. */
static const char *
agg(const char *list, unsigned opt4, unsigned opt6, bool all)
{
	static struct out o;
	struct manrs_aggregate *a;
	struct manrs_view v = V(list), tok;
	struct manrs_prefix p;
	char buf[MANRS_PREFIX_STRLEN];
	uint64_t line = 0;
	int err;

	assert_non_null(a = manrs_aggregate_new(&err));
	while (manrs_view_token(&v, &tok)) {
		assert_int_equal(manrs_view_copy(tok, buf, sizeof(buf)), 0);
		p = P(buf);
		assert_int_equal(manrs_aggregate_add(a, &p, ++line), 0);
	}
	assert_int_equal(manrs_aggregate_run(a, opt4, opt6), 0);
	memset(&o, 0, sizeof(o));
	assert_int_equal(manrs_aggregate_walk(a, all, item_cb, &o), 0);
	manrs_aggregate_free(a);
	return o.buf;
}

static void
test_tool_basic(void **state)
{
	(void)state;
	/* The man page's example list (output checked with aggregate). */
	assert_string_equal(agg("193.58.204.0/22 193.58.208.0/22 "
	    "193.193.160.0/22 193.193.168.0/22 193.243.164.0/22 "
	    "194.126.128.0/22 194.126.132.0/22 194.126.134.0/23 "
	    "194.151.128.0/19 195.42.240.0/21 195.240.0.0/16 "
	    "195.241.0.0/16", 32, 128, false),
	    "=193.58.204.0/22@1 =193.58.208.0/22@2 =193.193.160.0/22@3 "
	    "=193.193.168.0/22@4 =193.243.164.0/22@5 +194.126.128.0/21@0 "
	    "=194.151.128.0/19@9 =195.42.240.0/21@10 +195.240.0.0/15@0");
	/* Covered entries and duplicates go; the later duplicate first. */
	assert_string_equal(agg("10.0.0.0/24 10.0.0.0/8 10.0.0.0/24", 32,
	    128, true), "=10.0.0.0/8@2 -10.0.0.0/24@3 -10.0.0.0/24@1");
	/* Cascading merges, and the unlinked entries of aggregate -v. */
	assert_string_equal(agg("10.0.0.0/24 10.0.1.0/24 10.0.2.0/24 "
	    "10.0.3.0/25 10.0.3.128/25 192.168.0.0/16", 32, 128, true),
	    "+10.0.0.0/22@0 -10.0.0.0/23@0 -10.0.2.0/23@0 -10.0.2.0/24@3 "
	    "-10.0.3.0/24@0 -10.0.3.0/25@4 -10.0.3.128/25@5 "
	    "=192.168.0.0/16@6");
	/* Two /1 halves make the default route. */
	assert_string_equal(agg("128.0.0.0/1 0.0.0.0/1", 32, 128, false),
	    "+0.0.0.0/0@0");
	/* Not siblings: 10.0.1.0/24 + 10.0.2.0/24 stay. */
	assert_string_equal(agg("10.0.1.0/24 10.0.2.0/24", 32, 128, false),
	    "=10.0.1.0/24@1 =10.0.2.0/24@2");
	assert_string_equal(agg("", 32, 128, true), "");
}

static void
test_tool_maxopt(void **state)
{
	(void)state;
	/* A /32 longer than -o 24 is kept, and blocks the /23 merge. */
	assert_string_equal(agg("10.0.0.0/24 10.0.1.0/24 10.0.1.5/32 "
	    "10.0.2.0/23", 24, 128, false),
	    "+10.0.0.0/23@0 =10.0.1.5/32@3 =10.0.2.0/23@4");
	/* Longer than max-opt: not merged even when siblings. */
	assert_string_equal(agg("10.0.0.0/25 10.0.0.128/25", 24, 128, false),
	    "=10.0.0.0/25@1 =10.0.0.128/25@2");
}

static void
test_tool_v6(void **state)
{
	(void)state;
	assert_string_equal(agg("2001:db8:8000::/33 10.0.0.0/8 "
	    "2001:db8::/33 2001:db8:1::/48", 32, 128, true),
	    "=10.0.0.0/8@2 +2001:db8::/32@0 -2001:db8::/33@3 "
	    "-2001:db8:1::/48@4 -2001:db8:8000::/33@1");
	assert_string_equal(agg("2001:db8::/48 2001:db8:1::/48", 32, 40,
	    false), "=2001:db8::/48@1 =2001:db8:1::/48@2");
}

static void
test_tool_errors(void **state)
{
	struct manrs_aggregate *a;
	struct manrs_prefix p = P("10.0.0.0/8");
	int err;

	(void)state;
	assert_non_null(a = manrs_aggregate_new(&err));
	p.addr[3] = 1;
	assert_int_equal(manrs_aggregate_add(a, &p, 1), MANRS_E_HOSTBITS);
	p.af = 9;
	assert_int_equal(manrs_aggregate_add(a, &p, 1), MANRS_E_INVAL);
	p = P("10.0.0.0/8");
	assert_int_equal(manrs_aggregate_add(a, &p, 1), 0);
	assert_int_equal(manrs_aggregate_run(a, 32, 128), 0);
	assert_int_equal(manrs_aggregate_add(a, &p, 2), MANRS_E_INVAL);
	assert_int_equal(manrs_aggregate_run(a, 32, 128), MANRS_E_INVAL);
	manrs_aggregate_free(a);
	manrs_aggregate_free(NULL);
}

/* aggregate(1) line reading: accepted forms and the exact errors. */
static void
expect_line(const char *text, const struct manrs_aggregate_line_opts *o,
    int want_rc, const char *want)
{
	struct manrs_aggregate_line l;
	char buf[MANRS_PREFIX_STRLEN];

	assert_int_equal(manrs_aggregate_parse_line(V(text), o, &l), want_rc);
	if (want_rc == 0 || want_rc == MANRS_E_HOSTBITS) {
		manrs_prefix_print(&l.prefix, buf, sizeof(buf));
		assert_string_equal(buf, want);
	} else {
		assert_string_equal(l.why, want);
	}
}

static void
test_tool_lines(void **state)
{
	struct manrs_aggregate_line_opts o = { 32, 128, 0, 0, false };
	struct manrs_aggregate_line l;

	(void)state;
	expect_line("10.0.0.0/24", &o, 0, "10.0.0.0/24");
	expect_line("010.000.3.0/ 24 text", &o, 0, "10.0.3.0/24");
	expect_line("10.0.0.0 comment/+8", &o, 0, "10.0.0.0/8");
	expect_line("167772160/8", &o, 0, "10.0.0.0/8");
	expect_line("10.4/16", &o, MANRS_E_HOSTBITS, "10.0.0.0/16");
	expect_line("10.0.0.0", &o, MANRS_E_SYNTAX, "no '/LENGTH'");
	expect_line(" 10.0.0.0/8", &o, MANRS_E_SYNTAX, "bad IPv4 address");
	expect_line("10.0.0.256/32", &o, MANRS_E_SYNTAX, "bad IPv4 address");
	expect_line("1.2.3.4.5/32", &o, MANRS_E_SYNTAX, "bad IPv4 address");
	expect_line("10.0.0.0/33", &o, MANRS_E_RANGE,
	    "mask length out of range");
	expect_line("10.0.0.0/0", &o, MANRS_E_RANGE,
	    "mask length out of range");
	expect_line("2001:db8::/32 x", &o, 0, "2001:db8::/32");
	expect_line("2001:db8::1/64", &o, MANRS_E_HOSTBITS, "2001:db8::/64");
	expect_line("2001:zz::/32", &o, MANRS_E_SYNTAX, "bad IPv6 address");
	assert_int_equal(manrs_aggregate_parse_line(V("10.0.0.0/-5"), &o, &l),
	    MANRS_E_RANGE);
	assert_int_equal(l.len, -5);
	o.max4 = 24;
	expect_line("10.0.0.0/25", &o, MANRS_E_RANGE,
	    "mask length out of range");
	o.truncate = true;
	assert_int_equal(manrs_aggregate_parse_line(V("10.0.0.1/24"), &o, &l),
	    0);
	assert_true(l.truncated);
	/* A default length: the leading address run, length unchecked. */
	o.def4 = 32;
	o.def6 = 128;
	expect_line("10.0.0.1/24", &o, 0, "10.0.0.1/32");
	expect_line("2001:db8::1 x", &o, 0, "2001:db8::1/128");
}

/* --- bgpq4 -A --- */

static int
range_cb(const struct manrs_prefix_range *r, void *arg)
{
	struct out *o = arg;
	char tmp[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(&r->prefix, tmp, sizeof(tmp));
	o->len += (size_t)snprintf(o->buf + o->len, sizeof(o->buf) - o->len,
	    "%s%s", o->len ? " " : "", tmp);
	if (r->min != r->prefix.len || r->max != r->prefix.len)
		o->len += (size_t)snprintf(o->buf + o->len,
		    sizeof(o->buf) - o->len, "{%u,%u}", r->min, r->max);
	return 0;
}

static const char *
ranges_opts(const char *list, uint8_t af, const struct manrs_range_opts *ro,
    int want_rc)
{
	static struct out o;
	struct manrs_trie *t = manrs_trie_new(NULL);
	struct manrs_view v = V(list), tok;
	struct manrs_prefix p;
	char buf[MANRS_PREFIX_STRLEN];

	assert_non_null(t);
	while (manrs_view_token(&v, &tok)) {
		assert_int_equal(manrs_view_copy(tok, buf, sizeof(buf)), 0);
		p = P(buf);
		(void)manrs_trie_add(t, &p, 0, NULL);
	}
	memset(&o, 0, sizeof(o));
	if (ro == NULL)
		assert_int_equal(manrs_trie_walk_aggregated(t, af, range_cb,
		    &o), want_rc);
	else
		assert_int_equal(manrs_trie_walk_ranges(t, af, ro, range_cb,
		    &o), want_rc);
	manrs_trie_free(t);
	return o.buf;
}

static const char *
ranges(const char *list, uint8_t af)
{
	return ranges_opts(list, af, NULL, 0);
}

/* bgpq4 -R / -r (cases checked against bgpq4 1.9 through manrs irrd). */
static void
test_bgpq4_refine(void **state)
{
	static const char *set = "10.0.0.0/22 10.0.0.0/24 10.0.1.0/24 "
	    "10.5.0.0/24 10.6.0.0/25";
	struct manrs_range_opts o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.refine = 24;
	assert_string_equal(ranges_opts(set, MANRS_AF_INET, &o, 0),
	    "10.0.0.0/22{22,24} 10.5.0.0/24 10.6.0.0/25");
	/* -r alone refines to /32 first. */
	o.refine = 0;
	o.refine_low = 22;
	assert_string_equal(ranges_opts(set, MANRS_AF_INET, &o, 0),
	    "10.0.0.0/22{22,32} 10.5.0.0/24{24,32} 10.6.0.0/25{25,32}");
	o.refine_low = 24;
	assert_string_equal(ranges_opts(set, MANRS_AF_INET, &o, 0),
	    "10.0.0.0/22{24,32} 10.5.0.0/24{24,32} 10.6.0.0/25{25,32}");
	o.aggregate = true;
	o.refine_low = 23;
	assert_string_equal(ranges_opts(set, MANRS_AF_INET, &o, 0),
	    "10.0.0.0/22{23,32} 10.5.0.0/24{24,32} 10.6.0.0/25{25,32}");
	/* -r longer than -R, -R longer than the family. */
	o.refine = 22;
	o.refine_low = 23;
	assert_string_equal(ranges_opts(set, MANRS_AF_INET, &o,
	    MANRS_E_INVAL), "");
	o.refine = 33;
	o.refine_low = 0;
	assert_string_equal(ranges_opts(set, MANRS_AF_INET, &o,
	    MANRS_E_INVAL), "");
}

static void
test_bgpq4(void **state)
{
	(void)state;
	/* Nothing to fold. */
	assert_string_equal(ranges("10.0.0.0/24 10.0.2.0/24",
	    MANRS_AF_INET), "10.0.0.0/24 10.0.2.0/24");
	/* Two halves under glue: the glue prints as ge/le. */
	assert_string_equal(ranges("10.0.1.0/24 10.0.0.0/24",
	    MANRS_AF_INET), "10.0.0.0/23{24,24}");
	/* Halves under a stored parent: "le". */
	assert_string_equal(ranges("10.0.0.0/23 10.0.0.0/24 10.0.1.0/24",
	    MANRS_AF_INET), "10.0.0.0/23{23,24}");
	/* Four /24s fold twice. */
	assert_string_equal(ranges("10.0.0.0/24 10.0.1.0/24 10.0.2.0/24 "
	    "10.0.3.0/24", MANRS_AF_INET), "10.0.0.0/22{24,24}");
	/* Stored /22 above two folded /23s: a son range on the /22. */
	assert_string_equal(ranges("10.0.0.0/22 10.0.0.0/24 10.0.1.0/24 "
	    "10.0.2.0/24 10.0.3.0/24", MANRS_AF_INET),
	    "10.0.0.0/22 10.0.0.0/22{24,24}");
	/* Stored /22 above stored /23s with their /24s: one "le" range. */
	assert_string_equal(ranges("10.0.0.0/22 10.0.0.0/23 10.0.2.0/23 "
	    "10.0.0.0/24 10.0.1.0/24 10.0.2.0/24 10.0.3.0/24",
	    MANRS_AF_INET), "10.0.0.0/22{22,24}");
	/* One half missing a /24: no fold at the /22. */
	assert_string_equal(ranges("10.0.0.0/24 10.0.1.0/24 10.0.2.0/24",
	    MANRS_AF_INET), "10.0.0.0/23{24,24} 10.0.2.0/24");
	/* Halves of different lengths do not fold. */
	assert_string_equal(ranges("10.0.0.0/24 10.0.1.0/25",
	    MANRS_AF_INET), "10.0.0.0/24 10.0.1.0/25");
	/* IPv6, and the family filter. */
	assert_string_equal(ranges("2001:db8::/48 2001:db8:1::/48 "
	    "10.0.0.0/8", MANRS_AF_INET6), "2001:db8::/47{48,48}");
	assert_string_equal(ranges("2001:db8::/48 10.0.0.0/8",
	    MANRS_AF_INET), "10.0.0.0/8");
	assert_string_equal(ranges("", MANRS_AF_INET), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tool_basic),
		cmocka_unit_test(test_tool_maxopt),
		cmocka_unit_test(test_tool_v6),
		cmocka_unit_test(test_tool_errors),
		cmocka_unit_test(test_tool_lines),
		cmocka_unit_test(test_bgpq4),
		cmocka_unit_test(test_bgpq4_refine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
