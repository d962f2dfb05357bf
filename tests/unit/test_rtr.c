/*
 * test_rtr.c - RTR PDU encodings (hand-computed bytes for every PDU type
 * and version), decoding of hostile PDUs, RFC 1982 serial arithmetic.
 */
#include <string.h>

#include "testutil.h"

static void
expect(struct manrs_buf *b, const uint8_t *want, size_t n)
{
	assert_int_equal(b->err, 0);
	assert_int_equal(b->len, n);
	assert_memory_equal(b->p, want, n);
	manrs_buf_reset(b);
}

static struct manrs_vrp
mkvrp(const char *pfx, unsigned maxlen, uint32_t asn)
{
	struct manrs_vrp v;

	memset(&v, 0, sizeof(v));
	assert_int_equal(manrs_prefix_parse(V(pfx), 0, &v.prefix), 0);
	v.maxlen = (uint8_t)maxlen;
	v.asn = asn;
	return v;
}

static void
test_encode_queries(void **state)
{
	struct manrs_buf b;
	static const uint8_t notify_v1[] = { 1, 0, 0x12, 0x34, 0, 0, 0, 12,
	    0xde, 0xad, 0xbe, 0xef };
	static const uint8_t squery_v0[] = { 0, 1, 0x12, 0x34, 0, 0, 0, 12,
	    0, 0, 0, 5 };
	static const uint8_t rquery_v2[] = { 2, 2, 0, 0, 0, 0, 0, 8 };
	static const uint8_t cresp_v1[] = { 1, 3, 0, 7, 0, 0, 0, 8 };
	static const uint8_t creset_v0[] = { 0, 8, 0, 0, 0, 0, 0, 8 };
	static const uint8_t creset_v2[] = { 2, 8, 0, 0, 0, 0, 0, 8 };

	(void)state;
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_serial_notify(&b, 1, 0x1234, 0xdeadbeef);
	expect(&b, notify_v1, sizeof(notify_v1));
	manrs_rtr_encode_serial_query(&b, 0, 0x1234, 5);
	expect(&b, squery_v0, sizeof(squery_v0));
	manrs_rtr_encode_reset_query(&b, 2);
	expect(&b, rquery_v2, sizeof(rquery_v2));
	manrs_rtr_encode_cache_response(&b, 1, 7);
	expect(&b, cresp_v1, sizeof(cresp_v1));
	manrs_rtr_encode_cache_reset(&b, 0);
	expect(&b, creset_v0, sizeof(creset_v0));
	manrs_rtr_encode_cache_reset(&b, 2);
	expect(&b, creset_v2, sizeof(creset_v2));
	manrs_buf_clear(&b);
}

static void
test_encode_prefixes(void **state)
{
	struct manrs_buf b;
	struct manrs_vrp v4 = mkvrp("192.0.2.0/24", 24, 64496);
	struct manrs_vrp v6 = mkvrp("2001:db8::/32", 48, 65536);
	static const uint8_t p4_v1[] = { 1, 4, 0, 0, 0, 0, 0, 20,
	    1, 24, 24, 0, 192, 0, 2, 0, 0, 0, 0xfb, 0xf0 };
	static const uint8_t p6_v0_wd[] = { 0, 6, 0, 0, 0, 0, 0, 32,
	    0, 32, 48, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 1, 0, 0 };
	static const uint8_t p6_v2[] = { 2, 6, 0, 0, 0, 0, 0, 32,
	    1, 32, 48, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 1, 0, 0 };

	(void)state;
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_prefix(&b, 1, MANRS_RTR_FLAG_ANNOUNCE, &v4);
	expect(&b, p4_v1, sizeof(p4_v1));
	manrs_rtr_encode_prefix(&b, 0, 0, &v6);
	expect(&b, p6_v0_wd, sizeof(p6_v0_wd));
	manrs_rtr_encode_prefix(&b, 2, MANRS_RTR_FLAG_ANNOUNCE, &v6);
	expect(&b, p6_v2, sizeof(p6_v2));
	manrs_buf_clear(&b);
}

static void
test_encode_eod(void **state)
{
	struct manrs_buf b;
	static const uint8_t eod_v0[] = { 0, 7, 0, 1, 0, 0, 0, 12,
	    0, 0, 0, 2 };
	static const uint8_t eod_v1[] = { 1, 7, 0, 1, 0, 0, 0, 24,
	    0, 0, 0, 2, 0, 0, 0x0e, 0x10, 0, 0, 0x02, 0x58, 0, 0, 0x1c, 0x20 };
	static const uint8_t eod_v2[] = { 2, 7, 0xab, 0xcd, 0, 0, 0, 24,
	    0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0x02, 0x58 };

	(void)state;
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_end_of_data(&b, 0, 1, 2, 3600, 600, 7200);
	expect(&b, eod_v0, sizeof(eod_v0));
	manrs_rtr_encode_end_of_data(&b, 1, 1, 2, 3600, 600, 7200);
	expect(&b, eod_v1, sizeof(eod_v1));
	manrs_rtr_encode_end_of_data(&b, 2, 0xabcd, 0xffffffff, 1, 1, 600);
	expect(&b, eod_v2, sizeof(eod_v2));
	manrs_buf_clear(&b);
}

static void
test_encode_router_key(void **state)
{
	struct manrs_buf b;
	struct manrs_rkey k;
	static const uint8_t spki[] = { 0xaa, 0xbb, 0xcc };
	uint8_t want[35] = { 1, 9, 1, 0, 0, 0, 0, 35 };
	uint8_t wd_v2[35];
	unsigned i;

	(void)state;
	memset(&k, 0, sizeof(k));
	for (i = 0; i < 20; i++) {
		k.ski[i] = (uint8_t)(i + 1);
		want[8 + i] = (uint8_t)(i + 1);
	}
	k.asn = 64496;
	k.spki = spki;
	k.spki_len = 3;
	want[28] = 0;
	want[29] = 0;
	want[30] = 0xfb;
	want[31] = 0xf0;
	want[32] = 0xaa;
	want[33] = 0xbb;
	want[34] = 0xcc;
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_router_key(&b, 1, MANRS_RTR_FLAG_ANNOUNCE, &k);
	expect(&b, want, sizeof(want));
	memcpy(wd_v2, want, sizeof(want));
	wd_v2[0] = 2;
	wd_v2[2] = 0;	/* flags: withdraw */
	manrs_rtr_encode_router_key(&b, 2, 0, &k);
	expect(&b, wd_v2, sizeof(wd_v2));
	manrs_buf_clear(&b);
}

static void
test_encode_error(void **state)
{
	struct manrs_buf b;
	static const uint8_t rq[] = { 1, 2, 0, 0, 0, 0, 0, 8 };
	static const uint8_t want[] = { 1, 10, 0, 3, 0, 0, 0, 27,
	    0, 0, 0, 8, 1, 2, 0, 0, 0, 0, 0, 8, 0, 0, 0, 3, 'b', 'a', 'd' };
	static const uint8_t bare_v0[] = { 0, 10, 0, 2, 0, 0, 0, 16,
	    0, 0, 0, 0, 0, 0, 0, 0 };

	(void)state;
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_error(&b, 1, MANRS_RTR_ERR_INVALID_REQUEST, rq,
	    sizeof(rq), "bad");
	expect(&b, want, sizeof(want));
	manrs_rtr_encode_error(&b, 0, MANRS_RTR_ERR_NO_DATA, NULL, 0, NULL);
	expect(&b, bare_v0, sizeof(bare_v0));
	manrs_buf_clear(&b);
}

static void
test_encode_aspa(void **state)
{
	struct manrs_buf b;
	static const uint32_t prov[] = { 64497, 64498 };
	static const uint8_t ann[] = { 2, 11, 1, 0, 0, 0, 0, 20,
	    0, 0, 0xfb, 0xf0, 0, 0, 0xfb, 0xf1, 0, 0, 0xfb, 0xf2 };
	static const uint8_t wd[] = { 2, 11, 0, 0, 0, 0, 0, 12,
	    0, 0, 0xfb, 0xf0 };
	static const uint8_t none[] = { 2, 11, 1, 0, 0, 0, 0, 12,
	    0, 0, 0xfb, 0xf0 };

	(void)state;
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_aspa(&b, 2, MANRS_RTR_FLAG_ANNOUNCE, 64496, prov, 2);
	expect(&b, ann, sizeof(ann));
	manrs_rtr_encode_aspa(&b, 2, 0, 64496, prov, 2);
	expect(&b, wd, sizeof(wd));
	manrs_rtr_encode_aspa(&b, 2, MANRS_RTR_FLAG_ANNOUNCE, 64496, NULL, 0);
	expect(&b, none, sizeof(none));
	manrs_buf_clear(&b);
}

/* Every encoder's output decodes back to the same fields. */
static void
test_decode_roundtrip(void **state)
{
	struct manrs_buf b;
	struct manrs_rtr_pdu p;
	struct manrs_vrp v = mkvrp("2001:db8::/32", 48, 65536);
	static const uint32_t prov[] = { 1, 2, 3 };
	int rerr;

	(void)state;
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_prefix(&b, 1, 1, &v);
	assert_int_equal(manrs_rtr_pdu_decode(b.p, b.len, &p, &rerr), 32);
	assert_int_equal(p.type, MANRS_RTR_IPV6_PREFIX);
	assert_int_equal(p.flags, 1);
	assert_int_equal(manrs_vrp_cmp(&p.vrp, &v), 0);
	/* a partial PDU needs more bytes */
	assert_int_equal(manrs_rtr_pdu_decode(b.p, 31, &p, &rerr), 0);
	assert_int_equal(manrs_rtr_pdu_decode(b.p, 7, &p, &rerr), 0);
	manrs_buf_reset(&b);
	manrs_rtr_encode_aspa(&b, 2, 1, 99, prov, 3);
	assert_int_equal(manrs_rtr_pdu_decode(b.p, b.len, &p, &rerr), 24);
	assert_int_equal(p.asn, 99);
	assert_int_equal(p.nproviders, 3);
	assert_int_equal(p.flags, 1);
	manrs_buf_reset(&b);
	manrs_rtr_encode_end_of_data(&b, 1, 5, 6, 7, 8, 900);
	assert_int_equal(manrs_rtr_pdu_decode(b.p, b.len, &p, &rerr), 24);
	assert_int_equal(p.session, 5);
	assert_int_equal(p.serial, 6);
	assert_int_equal(p.expire, 900);
	manrs_buf_reset(&b);
	manrs_rtr_encode_error(&b, 1, 3, b.p, 0, "why");
	assert_int_equal(manrs_rtr_pdu_decode(b.p, b.len, &p, &rerr), 19);
	assert_int_equal(p.text_len, 3);
	assert_memory_equal(p.text, "why", 3);
	manrs_buf_clear(&b);
}

static void
hostile(const uint8_t *p, size_t n, int want_rerr)
{
	struct manrs_rtr_pdu pdu;
	int rerr;

	assert_true(manrs_rtr_pdu_decode(p, n, &pdu, &rerr) < 0);
	assert_int_equal(rerr, want_rerr);
}

static void
test_decode_hostile(void **state)
{
	/* length below the header, above the cap, wrong for the type */
	static const uint8_t short_len[] = { 1, 2, 0, 0, 0, 0, 0, 7 };
	static const uint8_t huge[] = { 1, 10, 0, 0, 0x7f, 0, 0, 0 };
	static const uint8_t rq_len12[] = { 1, 2, 0, 0, 0, 0, 0, 12, 0, 0,
	    0, 0 };
	static const uint8_t v3[] = { 3, 2, 0, 0, 0, 0, 0, 8 };
	static const uint8_t type5[] = { 1, 5, 0, 0, 0, 0, 0, 8 };
	static const uint8_t type99[] = { 1, 99, 0, 0, 0, 0, 0, 8 };
	static const uint8_t rkey_v0[] = { 0, 9, 0, 0, 0, 0, 0, 40 };
	static const uint8_t aspa_v1[] = { 1, 11, 0, 0, 0, 0, 0, 12 };
	static const uint8_t aspa_odd[] = { 2, 11, 1, 0, 0, 0, 0, 14 };
	static const uint8_t eod_v0_24[] = { 0, 7, 0, 0, 0, 0, 0, 24 };
	/* prefix length 33, maxlen below length */
	static const uint8_t p4_33[] = { 1, 4, 0, 0, 0, 0, 0, 20,
	    1, 33, 33, 0, 1, 2, 3, 4, 0, 0, 0, 1 };
	static const uint8_t p4_ml[] = { 1, 4, 0, 0, 0, 0, 0, 20,
	    1, 24, 16, 0, 1, 2, 3, 0, 0, 0, 0, 1 };
	/* error report whose encapsulated length overruns the PDU */
	static const uint8_t err_over[] = { 1, 10, 0, 0, 0, 0, 0, 16,
	    0, 0, 0, 9, 0, 0, 0, 0 };
	/* error report whose text length does not fill the PDU */
	static const uint8_t err_text[] = { 1, 10, 0, 0, 0, 0, 0, 17,
	    0, 0, 0, 0, 0, 0, 0, 0, 'x' };

	(void)state;
	hostile(short_len, sizeof(short_len), MANRS_RTR_ERR_CORRUPT);
	hostile(huge, sizeof(huge), MANRS_RTR_ERR_CORRUPT);
	hostile(rq_len12, sizeof(rq_len12), MANRS_RTR_ERR_CORRUPT);
	hostile(v3, sizeof(v3), MANRS_RTR_ERR_UNSUP_VERSION);
	hostile(type5, sizeof(type5), MANRS_RTR_ERR_UNSUP_PDU);
	hostile(type99, sizeof(type99), MANRS_RTR_ERR_UNSUP_PDU);
	hostile(rkey_v0, sizeof(rkey_v0), MANRS_RTR_ERR_UNSUP_PDU);
	hostile(aspa_v1, sizeof(aspa_v1), MANRS_RTR_ERR_UNSUP_PDU);
	hostile(aspa_odd, sizeof(aspa_odd), MANRS_RTR_ERR_CORRUPT);
	hostile(eod_v0_24, sizeof(eod_v0_24), MANRS_RTR_ERR_CORRUPT);
	hostile(p4_33, sizeof(p4_33), MANRS_RTR_ERR_CORRUPT);
	hostile(p4_ml, sizeof(p4_ml), MANRS_RTR_ERR_CORRUPT);
	hostile(err_over, sizeof(err_over), MANRS_RTR_ERR_CORRUPT);
	hostile(err_text, sizeof(err_text), MANRS_RTR_ERR_CORRUPT);
}

static void
test_serial(void **state)
{
	(void)state;
	/* RFC 1982 section 3.2, SERIAL_BITS = 32 */
	assert_true(manrs_rtr_serial_lt(1, 2));
	assert_false(manrs_rtr_serial_lt(2, 1));
	assert_false(manrs_rtr_serial_lt(7, 7));
	assert_true(manrs_rtr_serial_lt(0xffffffffu, 0));
	assert_true(manrs_rtr_serial_lt(0xfffffff0u, 5));
	assert_false(manrs_rtr_serial_lt(5, 0xfffffff0u));
	assert_true(manrs_rtr_serial_lt(0, 0x7fffffffu));
	/* exactly half way is undefined: neither is less */
	assert_false(manrs_rtr_serial_lt(0, 0x80000000u));
	assert_false(manrs_rtr_serial_lt(0x80000000u, 0));
	assert_string_equal(manrs_rtr_error_name(8),
	    "Unexpected Protocol Version");
	assert_string_equal(manrs_rtr_pdu_name(11), "ASPA");
}


/*
 * Every PDU type in every version that has it: the bytes are the
 * hand-checked ones above with only the version byte changed (End of
 * Data differs by version and is checked above; Router Key exists from
 * v1, ASPA in v2 only).
 */
static void
encode_all(struct manrs_buf *b, uint8_t v)
{
	struct manrs_vrp p4 = mkvrp("192.0.2.0/24", 24, 64496);
	struct manrs_vrp p6 = mkvrp("2001:db8::/32", 48, 65536);
	static const uint8_t rq[] = { 1, 2, 0, 0, 0, 0, 0, 8 };

	manrs_rtr_encode_serial_notify(b, v, 0x1234, 0xdeadbeef);
	manrs_rtr_encode_serial_query(b, v, 0x1234, 5);
	manrs_rtr_encode_reset_query(b, v);
	manrs_rtr_encode_cache_response(b, v, 7);
	manrs_rtr_encode_prefix(b, v, MANRS_RTR_FLAG_ANNOUNCE, &p4);
	manrs_rtr_encode_prefix(b, v, 0, &p6);
	manrs_rtr_encode_cache_reset(b, v);
	manrs_rtr_encode_error(b, v, MANRS_RTR_ERR_INVALID_REQUEST, rq,
	    sizeof(rq), "bad");
}

static void
test_encode_every_version(void **state)
{
	struct manrs_buf ref, b;
	struct manrs_rtr_pdu p;
	size_t off;
	ptrdiff_t n;
	uint8_t v;
	int rerr;

	(void)state;
	manrs_buf_init(&ref, 0);
	encode_all(&ref, 1);
	for (v = 0; v <= 2; v++) {
		manrs_buf_init(&b, 0);
		encode_all(&b, v);
		assert_int_equal(b.len, ref.len);
		for (off = 0; off < b.len; off += (size_t)n) {
			n = manrs_rtr_pdu_decode(b.p + off, b.len - off, &p,
			    &rerr);
			assert_true(n > 0);
			assert_int_equal(b.p[off], v);
			assert_memory_equal(b.p + off + 1, ref.p + off + 1,
			    (size_t)n - 1);
		}
		manrs_buf_clear(&b);
	}
	manrs_buf_clear(&ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_queries),
		cmocka_unit_test(test_encode_prefixes),
		cmocka_unit_test(test_encode_eod),
		cmocka_unit_test(test_encode_router_key),
		cmocka_unit_test(test_encode_error),
		cmocka_unit_test(test_encode_aspa),
		cmocka_unit_test(test_encode_every_version),
		cmocka_unit_test(test_decode_roundtrip),
		cmocka_unit_test(test_decode_hostile),
		cmocka_unit_test(test_serial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
