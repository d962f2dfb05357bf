/*
 * test_prefix.c - prefix and ASN parsing and printing.
 */
#include <string.h>

#include "testutil.h"

static void
roundtrip(const char *in, const char *want)
{
	struct manrs_prefix p;
	char buf[MANRS_PREFIX_STRLEN];
	int rc;

	rc = manrs_prefix_parse(V(in), 0, &p);
	if (rc != 0)
		fail_msg("parse '%s': %s", in, manrs_strerror(rc));
	manrs_prefix_print(&p, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void
test_v4(void **state)
{
	(void)state;
	roundtrip("0.0.0.0/0", "0.0.0.0/0");
	roundtrip("192.0.2.0/24", "192.0.2.0/24");
	roundtrip("255.255.255.255/32", "255.255.255.255/32");
	roundtrip("10.0.0.0/8", "10.0.0.0/8");
}

static void
test_v6_rfc5952(void **state)
{
	(void)state;
	/* RFC 5952 section 4: lower case, no leading zeros, longest run. */
	roundtrip("2001:0DB8:0000:0000:0000:0000:0000:0001/128",
	    "2001:db8::1/128");
	roundtrip("2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128");
	roundtrip("2001:db8:0:1:1:1:1:1/128", "2001:db8:0:1:1:1:1:1/128");
	roundtrip("2001:0:0:1:0:0:0:1/128", "2001:0:0:1::1/128");
	roundtrip("::/0", "::/0");
	roundtrip("::1/128", "::1/128");
	roundtrip("1::/16", "1::/16");
	roundtrip("2001:db8::/32", "2001:db8::/32");
	roundtrip("::ffff:192.0.2.1/128", "::ffff:192.0.2.1/128");
	roundtrip("64:ff9b::192.0.2.0/120", "64:ff9b::c000:200/120");
	roundtrip("fe80:0:0:0:0:0:0:0/10", "fe80::/10");
	roundtrip("2001:db8:1:2:3:4:5:0/128", "2001:db8:1:2:3:4:5:0/128");
}

static void
test_errors(void **state)
{
	struct manrs_prefix p;

	(void)state;
	assert_int_equal(manrs_prefix_parse(V("192.0.2.1/24"), 0, &p),
	    MANRS_E_HOSTBITS);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.1/24"),
	    MANRS_PREFIX_NORMALIZE, &p), 0);
	assert_int_equal(p.addr[3], 0);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/33"), 0, &p),
	    MANRS_E_RANGE);
	assert_int_equal(manrs_prefix_parse(V("2001:db8::/129"), 0, &p),
	    MANRS_E_RANGE);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/024"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("192.0.2/24"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0.0/24"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("256.0.0.0/8"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.7"), MANRS_PREFIX_HOST,
	    &p), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(manrs_prefix_parse(V("2001:db8:::/48"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("2001:db8::g/48"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V(" 10.0.0.0/8"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("10.0.0.0/+8"), 0, &p),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("10.0.0.0/8"),
	    MANRS_PREFIX_V6_ONLY, &p), MANRS_E_FAMILY);
	assert_int_equal(manrs_prefix_parse(V("::/0"),
	    MANRS_PREFIX_V4_ONLY, &p), MANRS_E_FAMILY);
	assert_int_equal(manrs_prefix_parse(V(""), 0, &p), MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(V("/"), 0, &p), MANRS_E_SYNTAX);
	assert_int_equal(manrs_prefix_parse(
	    V("0000:0000:0000:0000:0000:0000:0000:0000:0000/0"), 0, &p),
	    MANRS_E_SYNTAX);
}

static void
test_cover_cmp(void **state)
{
	struct manrs_prefix a, b, c;

	(void)state;
	manrs_prefix_parse(V("10.0.0.0/8"), 0, &a);
	manrs_prefix_parse(V("10.1.0.0/16"), 0, &b);
	manrs_prefix_parse(V("11.0.0.0/8"), 0, &c);
	assert_true(manrs_prefix_covers(&a, &b));
	assert_true(manrs_prefix_covers(&a, &a));
	assert_false(manrs_prefix_covers(&b, &a));
	assert_false(manrs_prefix_covers(&a, &c));
	assert_true(manrs_prefix_cmp(&a, &b) < 0);
	assert_true(manrs_prefix_cmp(&b, &c) < 0);
	assert_int_equal(manrs_prefix_cmp(&a, &a), 0);
	manrs_prefix_parse(V("10.0.0.0/9"), 0, &b);
	assert_true(manrs_prefix_cmp(&a, &b) < 0);
	manrs_prefix_parse(V("::/0"), 0, &c);
	assert_true(manrs_prefix_cmp(&a, &c) < 0);
	assert_false(manrs_prefix_covers(&c, &a));
	manrs_prefix_parse(V("2001:db8::/31"), MANRS_PREFIX_NORMALIZE, &a);
	manrs_prefix_parse(V("2001:db9:1::/48"), 0, &b);
	assert_true(manrs_prefix_covers(&a, &b));
}

static void
test_set(void **state)
{
	const uint8_t nlri[] = { 192, 0, 2, 0xff };
	struct manrs_prefix p;
	char buf[MANRS_PREFIX_STRLEN];

	(void)state;
	assert_int_equal(manrs_prefix_set(&p, MANRS_AF_INET, nlri, 4, 23), 0);
	manrs_prefix_print(&p, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.0/23");
	assert_int_equal(manrs_prefix_set(&p, MANRS_AF_INET, nlri, 5, 23),
	    MANRS_E_INVAL);
	assert_int_equal(manrs_prefix_set(&p, MANRS_AF_INET, nlri, 4, 33),
	    MANRS_E_INVAL);
	assert_int_equal(manrs_prefix_set(&p, 5, nlri, 4, 8), MANRS_E_INVAL);
	/* Short buffers are truncated, never overrun. */
	assert_int_equal(manrs_prefix_print(&p, buf, 4), 3);
	assert_string_equal(buf, "192");
}

static void
test_asn(void **state)
{
	uint32_t a;
	char buf[16];

	(void)state;
	assert_int_equal(manrs_asn_parse(V("AS65000"), &a), 0);
	assert_int_equal(a, 65000);
	assert_int_equal(manrs_asn_parse(V("as1.10"), &a), 0);
	assert_int_equal(a, 65546);
	assert_int_equal(manrs_asn_parse(V("4294967295"), &a), 0);
	assert_true(a == 4294967295u);
	assert_int_equal(manrs_asn_parse(V("65535.65535"), &a), 0);
	assert_true(a == 4294967295u);
	assert_int_equal(manrs_asn_parse(V("0"), &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(manrs_asn_parse(V("4294967296"), &a), MANRS_E_RANGE);
	assert_int_equal(manrs_asn_parse(V("65536.0"), &a), MANRS_E_RANGE);
	assert_int_equal(manrs_asn_parse(V("AS"), &a), MANRS_E_SYNTAX);
	assert_int_equal(manrs_asn_parse(V("AS-FOO"), &a), MANRS_E_SYNTAX);
	assert_int_equal(manrs_asn_parse(V("AS 1"), &a), MANRS_E_SYNTAX);
	assert_int_equal(manrs_asn_parse(V("01"), &a), MANRS_E_SYNTAX);
	assert_int_equal(manrs_asn_parse(V("1."), &a), MANRS_E_SYNTAX);
	assert_int_equal(manrs_asn_parse(V(".1"), &a), MANRS_E_SYNTAX);
	assert_int_equal(manrs_asn_parse(V("1.2.3"), &a), MANRS_E_SYNTAX);
	assert_int_equal(manrs_asn_parse(V("+1"), &a), MANRS_E_SYNTAX);
	manrs_asn_print(65546, MANRS_ASN_ASPLAIN, buf, sizeof(buf));
	assert_string_equal(buf, "65546");
	manrs_asn_print(65546, MANRS_ASN_ASDOT, buf, sizeof(buf));
	assert_string_equal(buf, "1.10");
	manrs_asn_print(65000, MANRS_ASN_ASDOT, buf, sizeof(buf));
	assert_string_equal(buf, "65000");
	manrs_asn_print(65000, MANRS_ASN_ASDOTPLUS, buf, sizeof(buf));
	assert_string_equal(buf, "0.65000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4),
		cmocka_unit_test(test_v6_rfc5952),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_cover_cmp),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_asn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
