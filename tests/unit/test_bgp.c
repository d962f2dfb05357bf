/*
 * test_bgp.c - BGP path attributes, AS4 merging (RFC 6793), AS path text,
 * NLRI iteration and UPDATE layout, including hostile inputs with the
 * exact error expected.
 */
#include <string.h>

#include "testutil.h"

static void
test_attrs_basic(void **state)
{
	/* ORIGIN IGP, AS_PATH (4-byte) 64500 64501, NEXT_HOP, MED, LP,
	 * COMMUNITIES 1:2 no-export, LARGE 1:2:3, ext community (unknown) */
	static const uint8_t a[] = {
		0x40, 1, 1, 0,
		0x40, 2, 10, 2, 2, 0, 0, 0xfb, 0xf4, 0, 0, 0xfb, 0xf5,
		0x40, 3, 4, 192, 0, 2, 1,
		0x80, 4, 4, 0, 0, 0, 7,
		0x40, 5, 4, 0, 0, 0, 100,
		0xc0, 8, 8, 0, 1, 0, 2, 0xff, 0xff, 0xff, 0x01,
		0xc0, 32, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
		0xc0, 16, 8, 0, 2, 0xfd, 0xe8, 0, 0, 0, 1,
	};
	struct manrs_bgp_attrs at;
	uint8_t path[MANRS_BGP_ASPATH4_MAX];
	char text[64];
	ptrdiff_t n;
	uint32_t origin;

	(void)state;
	assert_int_equal(manrs_bgp_attrs_decode(&at, a, sizeof(a), 4, 0,
	    NULL), 0);
	assert_true(manrs_bgp_attrs_has(&at, MANRS_BGP_ATTR_ORIGIN));
	assert_int_equal(at.origin, 0);
	assert_int_equal(at.med, 7);
	assert_int_equal(at.local_pref, 100);
	assert_memory_equal(at.next_hop, "\xc0\x00\x02\x01", 4);
	assert_int_equal(at.communities_len, 8);
	assert_int_equal(at.large_communities_len, 12);
	assert_int_equal(at.nunknown, 1);
	assert_int_equal(at.unknown[0].type, 16);
	assert_int_equal(at.unknown[0].flags, 0xc0);
	n = manrs_bgp_aspath4(&at, path);
	assert_int_equal(n, 10);
	manrs_bgp_aspath_print(path, (size_t)n, text, sizeof(text));
	assert_string_equal(text, "64500 64501");
	assert_true(manrs_bgp_aspath_origin(path, (size_t)n, &origin));
	assert_int_equal(origin, 64501);
}

/* RFC 6793 section 4.2.3: AS_PATH 1 2 23456 23456 + AS4_PATH 70000 80000. */
static void
test_as4_merge(void **state)
{
	static const uint8_t a[] = {
		0x40, 2, 10, 2, 4, 0, 1, 0, 2, 0x5b, 0xa0, 0x5b, 0xa0,
		0xc0, 17, 10, 2, 2, 0, 1, 0x11, 0x70, 0, 1, 0x38, 0x80,
	};
	/* the same with an AGGREGATOR from AS 5 (not AS_TRANS) */
	static const uint8_t b[] = {
		0x40, 2, 10, 2, 4, 0, 1, 0, 2, 0x5b, 0xa0, 0x5b, 0xa0,
		0xc0, 17, 10, 2, 2, 0, 1, 0x11, 0x70, 0, 1, 0x38, 0x80,
		0xc0, 7, 6, 0, 5, 10, 0, 0, 1,
	};
	/* AS4_PATH longer than AS_PATH: ignored */
	static const uint8_t c[] = {
		0x40, 2, 4, 2, 1, 0x5b, 0xa0,
		0xc0, 17, 10, 2, 2, 0, 1, 0x11, 0x70, 0, 1, 0x38, 0x80,
	};
	/* AGGREGATOR AS_TRANS + AS4_AGGREGATOR 70000 */
	static const uint8_t d[] = {
		0x40, 2, 4, 2, 1, 0, 1,
		0xc0, 7, 6, 0x5b, 0xa0, 10, 0, 0, 1,
		0xc0, 18, 8, 0, 1, 0x11, 0x70, 10, 0, 0, 2,
	};
	struct manrs_bgp_attrs at;
	uint8_t path[MANRS_BGP_ASPATH4_MAX], addr[4];
	char text[128];
	ptrdiff_t n;
	uint32_t as;

	(void)state;
	assert_int_equal(manrs_bgp_attrs_decode(&at, a, sizeof(a), 2, 0,
	    NULL), 0);
	n = manrs_bgp_aspath4(&at, path);
	manrs_bgp_aspath_print(path, (size_t)n, text, sizeof(text));
	assert_string_equal(text, "1 2 70000 80000");

	assert_int_equal(manrs_bgp_attrs_decode(&at, b, sizeof(b), 2, 0,
	    NULL), 0);
	n = manrs_bgp_aspath4(&at, path);
	manrs_bgp_aspath_print(path, (size_t)n, text, sizeof(text));
	assert_string_equal(text, "1 2 23456 23456");

	assert_int_equal(manrs_bgp_attrs_decode(&at, c, sizeof(c), 2, 0,
	    NULL), 0);
	n = manrs_bgp_aspath4(&at, path);
	manrs_bgp_aspath_print(path, (size_t)n, text, sizeof(text));
	assert_string_equal(text, "23456");

	assert_int_equal(manrs_bgp_attrs_decode(&at, d, sizeof(d), 2, 0,
	    NULL), 0);
	assert_true(manrs_bgp_aggregator(&at, &as, addr));
	assert_int_equal(as, 70000);
	assert_memory_equal(addr, "\x0a\x00\x00\x02", 4);
}

static void
test_aspath_text(void **state)
{
	/* SEQ 1 2, SET 3 4, CONFED_SEQ 5 6, CONFED_SET 7 8 */
	static const uint8_t p[] = {
		2, 2, 0, 0, 0, 1, 0, 0, 0, 2,
		1, 2, 0, 0, 0, 3, 0, 0, 0, 4,
		3, 2, 0, 0, 0, 5, 0, 0, 0, 6,
		4, 2, 0, 0, 0, 7, 0, 0, 0, 8,
	};
	char text[64], small[8];
	uint32_t o;

	(void)state;
	assert_int_equal(manrs_bgp_aspath_print(p, sizeof(p), text,
	    sizeof(text)), strlen("1 2 {3,4} (5 6) [7,8]"));
	assert_string_equal(text, "1 2 {3,4} (5 6) [7,8]");
	/* truncated output still NUL-terminated, full length reported */
	assert_int_equal(manrs_bgp_aspath_print(p, sizeof(p), small,
	    sizeof(small)), 21);
	assert_int_equal(strlen(small), 7);
	/* RFC 4271 9.1.2.2: a set counts 1, confederation segments 0 */
	assert_int_equal(manrs_bgp_aspath_length(p, sizeof(p), 4), 3);
	/* ends in a confed set: no origin */
	assert_false(manrs_bgp_aspath_origin(p, sizeof(p), &o));
}

static void
test_attrs_hostile(void **state)
{
	/* attribute length runs past the end */
	static const uint8_t trunc[] = { 0x40, 1, 1, 0, 0x40, 2, 20, 2, 1 };
	/* ORIGIN twice */
	static const uint8_t dup[] = { 0x40, 1, 1, 0, 0x40, 1, 1, 2 };
	/* NEXT_HOP of 3 bytes */
	static const uint8_t badlen[] = { 0x40, 3, 3, 1, 2, 3, 0x40, 1, 1, 1 };
	/* AS_PATH segment claims more ASNs than present */
	static const uint8_t badpath[] = { 0x40, 2, 4, 2, 5, 0, 1 };
	/* MP_REACH too short for its next hop */
	static const uint8_t badmp[] = { 0x90, 14, 0, 5, 0, 2, 1, 16, 0 };
	struct manrs_bgp_attrs at;
	uint8_t path[MANRS_BGP_ASPATH4_MAX];
	size_t off = 99;

	(void)state;
	assert_int_equal(manrs_bgp_attrs_decode(&at, trunc, sizeof(trunc), 2,
	    0, &off), MANRS_E_SHORT);
	assert_int_equal(off, 4);
	assert_true(manrs_bgp_attrs_has(&at, MANRS_BGP_ATTR_ORIGIN));
	assert_int_equal(manrs_bgp_attrs_decode(&at, dup, sizeof(dup), 2, 0,
	    &off), MANRS_E_EXIST);
	assert_int_equal(off, 4);
	assert_int_equal(at.origin, 0);		/* first one kept */
	assert_int_equal(manrs_bgp_attrs_decode(&at, badlen, sizeof(badlen),
	    2, 0, &off), MANRS_E_FORMAT);
	assert_int_equal(off, 0);
	assert_false(manrs_bgp_attrs_has(&at, MANRS_BGP_ATTR_NEXT_HOP));
	assert_int_equal(at.origin, 1);		/* decoding went on */
	assert_int_equal(manrs_bgp_attrs_decode(&at, badpath,
	    sizeof(badpath), 2, 0, NULL), 0);
	assert_int_equal(manrs_bgp_aspath4(&at, path), MANRS_E_FORMAT);
	assert_int_equal(manrs_bgp_attrs_decode(&at, badmp, sizeof(badmp), 4,
	    0, &off), MANRS_E_FORMAT);
	assert_false(manrs_bgp_attrs_has(&at, MANRS_BGP_ATTR_MP_REACH));
}

static void
test_nlri(void **state)
{
	/* 11.13.0.0/13 sent with host bits, 10.0.0.0/8, then /33 */
	static const uint8_t v4[] = { 13, 11, 13, 8, 10, 33, 1, 2, 3, 4, 5 };
	/* addpath: id 7, 2001:db8::/32, then truncated */
	static const uint8_t v6[] = { 0, 0, 0, 7, 32, 0x20, 0x01, 0x0d, 0xb8,
	    0, 0, 0, 8, 64, 0x20 };
	struct manrs_bgp_nlri_iter it;
	struct manrs_bgp_nlri n;
	struct manrs_prefix p;
	char buf[MANRS_PREFIX_STRLEN];

	(void)state;
	manrs_bgp_nlri_init(&it, v4, sizeof(v4), MANRS_AF_INET, false);
	assert_int_equal(manrs_bgp_nlri_next(&it, &n), 1);
	assert_int_equal(n.len, 13);
	assert_int_equal(n.addr[1], 13);	/* bytes as sent */
	manrs_bgp_nlri_prefix(&n, &p);
	manrs_prefix_print(&p, buf, sizeof(buf));
	assert_string_equal(buf, "11.8.0.0/13");	/* masked */
	assert_int_equal(manrs_bgp_nlri_next(&it, &n), 1);
	assert_int_equal(manrs_bgp_nlri_next(&it, &n), MANRS_E_RANGE);
	assert_int_equal(it.off, 5);

	manrs_bgp_nlri_init(&it, v6, sizeof(v6), MANRS_AF_INET6, true);
	assert_int_equal(manrs_bgp_nlri_next(&it, &n), 1);
	assert_int_equal(n.path_id, 7);
	manrs_bgp_nlri_prefix(&n, &p);
	manrs_prefix_print(&p, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::/32");
	assert_int_equal(manrs_bgp_nlri_next(&it, &n), MANRS_E_SHORT);
}

static void
test_msg(void **state)
{
	uint8_t m[23];
	const uint8_t *body;
	size_t blen;
	uint8_t type;
	struct manrs_bgp_update u;
	static const uint8_t upd[] = { 0, 2, 8, 10, 0, 0, 24, 192, 0, 2 };

	(void)state;
	memset(m, 0xff, 16);
	m[16] = 0;
	m[17] = 23;
	m[18] = 2;
	m[19] = m[20] = m[21] = m[22] = 0;
	assert_int_equal(manrs_bgp_msg_header(m, sizeof(m), &type, &body,
	    &blen), 0);
	assert_int_equal(type, 2);
	assert_int_equal(blen, 4);
	m[17] = 24;
	assert_int_equal(manrs_bgp_msg_header(m, sizeof(m), &type, &body,
	    &blen), MANRS_E_SHORT);
	m[3] = 0;
	assert_int_equal(manrs_bgp_msg_header(m, sizeof(m), &type, &body,
	    &blen), MANRS_E_FORMAT);
	assert_int_equal(manrs_bgp_update_split(upd, sizeof(upd), &u), 0);
	assert_int_equal(u.withdrawn_len, 2);
	assert_int_equal(u.attrs_len, 0);
	assert_int_equal(u.nlri_len, 4);
	assert_int_equal(manrs_bgp_update_split(upd, 3, &u), MANRS_E_SHORT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attrs_basic),
		cmocka_unit_test(test_as4_merge),
		cmocka_unit_test(test_aspath_text),
		cmocka_unit_test(test_attrs_hostile),
		cmocka_unit_test(test_nlri),
		cmocka_unit_test(test_msg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
