/*
 * test_render.c - bgpq4 1.9 dialects (render module) on small hand-made
 * lists: edge cases the interop matrix does not reach (empty lists,
 * /0 and /32 in extended ACLs, -F escapes, -W 0, a list holding only
 * its own ASN), and the IRRd answer decoder (manrs/irrq.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/irrq.h>
#include <manrs/render.h>

#include "testutil.h"

static struct manrs_prefix_range
R(const char *p, unsigned min, unsigned max)
{
	struct manrs_prefix_range r;

	if (manrs_prefix_parse(V(p), 0, &r.prefix) != 0)
		fail_msg("bad prefix %s", p);
	r.min = (uint8_t)(min ? min : r.prefix.len);
	r.max = (uint8_t)(max ? max : r.prefix.len);
	return r;
}

/* Render ranges and compare with want. */
static void
check_prefixes(const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(manrs_render_prefixes(f, o, r, n), 0);
	fclose(f);
	assert_string_equal(out, want);
	free(out);
}

static void
check_asns(const struct manrs_render_opts *o, const uint32_t *v, size_t n,
    const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(manrs_render_asns(f, o, v, n), 0);
	fclose(f);
	assert_string_equal(out, want);
	free(out);
}

static void
test_empty(void **state)
{
	struct manrs_render_opts o = { .af = MANRS_AF_INET };

	(void)state;
	check_prefixes(&o, NULL, 0, "no ip prefix-list NN\n"
	    "! generated prefix-list NN is empty\n"
	    "ip prefix-list NN deny 0.0.0.0/0\n");
	o.af = MANRS_AF_INET6;
	o.sequence = true;
	check_prefixes(&o, NULL, 0, "no ipv6 prefix-list NN\n"
	    "! generated prefix-list NN is empty\n"
	    "ipv6 prefix-list NN seq 1 deny ::/0\n");
	o.vendor = MANRS_RENDER_BIRD;
	check_prefixes(&o, NULL, 0, "");
	o.vendor = MANRS_RENDER_ARISTA;
	check_prefixes(&o, NULL, 0, "no ipv6 prefix-list NN\n"
	    "! generated prefix-list NN is empty\n"
	    "ipv6 prefix-list NN\n   seq 1 deny ::/0\n");
	o.vendor = MANRS_RENDER_JUNIPER;
	o.gen = MANRS_RENDER_ROUTE_FILTER_LIST;
	o.sequence = false;
	check_prefixes(&o, NULL, 0, "policy-options {\nreplace:\n"
	    "  route-filter-list NN {\n    ::/0 orlonger reject;\n  }\n}\n");
	o.vendor = MANRS_RENDER_NOKIA;
	o.gen = MANRS_RENDER_EACL;
	check_prefixes(&o, NULL, 0, "configure filter match-list\n"
	    "no ipv6-prefix-list \"NN\"\nipv6-prefix-list \"NN\" create\n"
	    "# generated ip-prefix-list NN is empty\nexit\n");
	o.vendor = MANRS_RENDER_CISCO;
	o.af = MANRS_AF_INET;
	check_prefixes(&o, NULL, 0, "no ip access-list extended NN\n"
	    "! generated access-list NN is empty\n"
	    "ip access-list extended NN deny any any\n");
}

static void
test_cisco_eacl(void **state)
{
	struct manrs_render_opts o = { .af = MANRS_AF_INET,
	    .gen = MANRS_RENDER_EACL, .name = "ACL" };
	struct manrs_prefix_range r[3];

	(void)state;
	r[0] = R("192.0.2.0/24", 0, 0);
	r[1] = R("198.51.100.7/32", 0, 0);
	r[2] = R("203.0.112.0/22", 24, 24);
	check_prefixes(&o, r, 3, "no ip access-list extended ACL\n"
	    "ip access-list extended ACL\n"
	    " permit ip host 192.0.2.0 host 255.255.255.0\n"
	    " permit ip host 198.51.100.7 host 0.0.0.0\n"
	    " permit ip 203.0.112.0 0.0.3.0 host 255.255.255.0\n");
}

static void
test_ranges(void **state)
{
	struct manrs_render_opts o = { .af = MANRS_AF_INET };
	struct manrs_prefix_range r[2];

	(void)state;
	r[0] = R("10.0.0.0/8", 8, 24);		/* "le" */
	r[1] = R("10.0.0.0/16", 20, 24);	/* "ge le" */
	check_prefixes(&o, r, 2, "no ip prefix-list NN\n"
	    "ip prefix-list NN permit 10.0.0.0/8 le 24\n"
	    "ip prefix-list NN permit 10.0.0.0/16 ge 20 le 24\n");
	o.vendor = MANRS_RENDER_OPENBGPD;
	r[1] = R("10.0.0.0/16", 24, 24);
	check_prefixes(&o, r, 2, "prefix { \n\t10.0.0.0/8 prefixlen 8 - 24"
	    "\n\t10.0.0.0/16 prefixlen = 24\n\t}\n");
	o.vendor = MANRS_RENDER_MIKROTIK7;
	o.name = "C";
	check_prefixes(&o, r, 1, "/routing filter rule add chain=\"C-V4\"  "
	    "rule=\"if (dst in 10.0.0.0/8 && dst-len in 8-24) {accept}\"\n");
	o.vendor = MANRS_RENDER_HUAWEI_XPL;
	check_prefixes(&o, r, 2, "no xpl ip-prefix-list C\n"
	    "xpl ip-prefix-list C\n  10.0.0.0 8 le 24,\n  10.0.0.0 16 ge 24 "
	    "le 24\nend-list\n");
}

static void
test_format(void **state)
{
	struct manrs_render_opts o = { .af = MANRS_AF_INET,
	    .vendor = MANRS_RENDER_FORMAT, .name = "L" };
	struct manrs_prefix_range r[2];

	(void)state;
	r[0] = R("192.0.2.0/24", 0, 0);
	r[1] = R("10.0.0.0/8", 8, 16);
	o.format = "%N %n/%l %a-%A %m %i 100%%\\t.\\n";
	check_prefixes(&o, r, 2,
	    "L 192.0.2.0/24 24-24 255.255.255.0 0.0.0.255 100%\t.\n"
	    "L 10.0.0.0/8 8-16 255.0.0.0 0.255.255.255 100%\t.\n");
	o.format = "%n ";		/* no trailing \n: one at the end */
	check_prefixes(&o, r, 2, "192.0.2.0 10.0.0.0 \n");
	assert_int_equal(manrs_render_format_check("%q"), MANRS_E_SYNTAX);
	assert_int_equal(manrs_render_format_check("%"), MANRS_E_SYNTAX);
	assert_int_equal(manrs_render_format_check("\\x"), MANRS_E_SYNTAX);
	assert_int_equal(manrs_render_format_check("%n\\n"), 0);
}

static void
test_asns(void **state)
{
	struct manrs_render_opts o = { .af = MANRS_AF_INET,
	    .gen = MANRS_RENDER_ASPATH, .asnumber = 65001, .aswidth = 2 };
	uint32_t v[] = { 1, 2, 3, 65001 }, own[] = { 65001 };

	(void)state;
	check_asns(&o, v, 4, "no ip as-path access-list NN\n"
	    "ip as-path access-list NN permit ^65001(_65001)*$\n"
	    "ip as-path access-list NN permit ^65001(_[0-9]+)*_(1|2)$\n"
	    "ip as-path access-list NN permit ^65001(_[0-9]+)*_(3)$\n");
	o.aswidth = 0;			/* -W 0: one line */
	check_asns(&o, v, 3, "no ip as-path access-list NN\n"
	    "ip as-path access-list NN permit ^65001(_[0-9]+)*_(1|2|3)$\n");
	o.vendor = MANRS_RENDER_JUNIPER;
	o.gen = MANRS_RENDER_OASPATH;
	check_asns(&o, NULL, 0, "policy-options {\nreplace:\n"
	    " as-path-group NN {\n as-path aNone \"!.*\";\n }\n}\n");
	check_asns(&o, own, 1, "policy-options {\nreplace:\n"
	    " as-path-group NN {\n  as-path a0 \"^65001(65001)*$\";\n }\n}\n");
	o.vendor = MANRS_RENDER_OPENBGPD;
	o.gen = MANRS_RENDER_ASSET;
	o.aswidth = 2;
	check_asns(&o, v, 3, "as-set NN {\n\t1 2\n\t3\n}\n");
	o.vendor = MANRS_RENDER_CISCO;	/* -t is JSON/OpenBGPD/BIRD only */
	{
		FILE *f = fopen("/dev/null", "w");

		assert_non_null(f);
		assert_int_equal(manrs_render_asns(f, &o, v, 3),
		    MANRS_E_INVAL);
		fclose(f);
	}
}

/* Feed s in pieces of step bytes; collect "K:len" per answer. */
static int
decode(const char *s, size_t step, char *got, size_t size)
{
	struct manrs_irrq_dec d;
	size_t n = strlen(s), off = 0, k = 0;
	int rc = 0;

	manrs_irrq_dec_init(&d);
	got[0] = '\0';
	while (off < n && rc >= 0) {
		size_t end = off + step < n ? off + step : n;

		while (off < end) {
			struct manrs_irrq_answer a;
			size_t used;

			rc = manrs_irrq_dec_feed(&d, (const uint8_t *)s + off,
			    end - off, &used, &a);
			off += used;
			if (rc < 0) {
				snprintf(got + k, size - k, "ERR %s", d.err);
				break;
			}
			if (rc == 0)
				break;
			k += (size_t)snprintf(got + k, size - k, "%c:%.*s;",
			    a.kind, (int)a.data.len, a.data.p);
		}
	}
	manrs_irrq_dec_free(&d);
	return rc;
}

static void
test_irrq(void **state)
{
	const char *in = "C\nA8\nAS1 AS2\nC\nD\nF Invalid set\nE\n";
	const char *want = "C:;A:AS1 AS2\n;D:;F:Invalid set;E:;";
	char got[256];
	size_t step;

	(void)state;
	for (step = 1; step <= strlen(in); step++) {
		decode(in, step, got, sizeof(got));
		assert_string_equal(got, want);
	}
	assert_true(decode("A3\nabcX\n", 100, got, sizeof(got)) < 0);
	assert_string_equal(got, "ERR data not followed by C at byte 8");
	assert_true(decode("A1x\n", 100, got, sizeof(got)) < 0);
	assert_string_equal(got, "ERR bad A length at byte 4");
	assert_true(decode("A999999999\n", 100, got, sizeof(got)) < 0);
	assert_string_equal(got, "ERR answer longer than 256 MiB at byte 11");
	assert_true(decode("Q\n", 100, got, sizeof(got)) < 0);
	assert_string_equal(got, "ERR unknown answer code at byte 2");
	assert_true(decode("CC\n", 100, got, sizeof(got)) < 0);
	assert_string_equal(got, "ERR junk after status at byte 3");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cisco_eacl),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_asns),
		cmocka_unit_test(test_irrq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
