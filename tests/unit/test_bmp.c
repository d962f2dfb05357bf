/*
 * test_bmp.c - BMP decoding (RFC 7854, RFC 9069 Loc-RIB, RFC 8671
 * Adj-RIB-Out) and the stream framer, including hostile messages with
 * the exact error and offset expected.
 */
#include <string.h>

#include "testutil.h"

struct msg {
	uint8_t	 b[4096];
	size_t	 len;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	assert_true(m->len + n <= sizeof(m->b));
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void
put8(struct msg *m, uint8_t v)
{
	put(m, &v, 1);
}

static void
put16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

static void
put32(struct msg *m, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 4);
}

/* Common header with the length patched by finish(). */
static void
start(struct msg *m, uint8_t type)
{
	m->len = 0;
	put8(m, 3);
	put32(m, 0);
	put8(m, type);
}

static void
finish(struct msg *m)
{
	m->b[1] = (uint8_t)(m->len >> 24);
	m->b[2] = (uint8_t)(m->len >> 16);
	m->b[3] = (uint8_t)(m->len >> 8);
	m->b[4] = (uint8_t)m->len;
}

static void
peer(struct msg *m, uint8_t type, uint8_t flags, uint32_t asn)
{
	static const uint8_t rd[8], v4[16] = { [12] = 192, 0, 2, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	put8(m, type);
	put8(m, flags);
	put(m, rd, 8);
	put(m, (flags & MANRS_BMP_FLAG_V) ? v6 : v4, 16);
	put32(m, asn);
	put32(m, 0x0a000001);
	put32(m, 1700000000);
	put32(m, 250000);
}

/* UPDATE announcing 192.0.2.0/24 with AS_PATH 64500 64501 (4-octet). */
static const uint8_t update4[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0, 51, 2,
	0, 0,			/* withdrawn */
	0, 24,			/* attributes */
	0x40, 1, 1, 0,
	0x40, 2, 10, 2, 2, 0, 0, 0xfb, 0xf4, 0, 0, 0xfb, 0xf5,
	0x40, 3, 4, 192, 0, 2, 1,
	24, 192, 0, 2,
};

/* The same path in two-octet form (A flag). */
static const uint8_t update2[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0, 47, 2,
	0, 0,
	0, 20,
	0x40, 1, 1, 0,
	0x40, 2, 6, 2, 2, 0xfb, 0xf4, 0xfb, 0xf5,
	0x40, 3, 4, 192, 0, 2, 1,
	24, 192, 0, 2,
};

static const uint8_t open_pdu[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0, 29, 1, 4, 0xfb, 0xf4, 0, 90, 10, 0, 0, 1, 0,
};

static void
route_origin(const struct manrs_bmp_msg *bm, uint32_t want)
{
	struct manrs_bgp_attrs a;
	struct manrs_bgp_nlri_iter it;
	struct manrs_bgp_nlri n;
	struct manrs_prefix p;
	uint8_t path[MANRS_BGP_ASPATH4_MAX];
	char text[MANRS_PREFIX_STRLEN];
	ptrdiff_t len;
	uint32_t origin;

	assert_int_equal(manrs_bgp_attrs_decode(&a, bm->update.attrs,
	    bm->update.attrs_len, bm->asn_size, 0, NULL), 0);
	len = manrs_bgp_aspath4(&a, path);
	assert_true(len > 0);
	assert_true(manrs_bgp_aspath_origin(path, (size_t)len, &origin));
	assert_int_equal(origin, want);
	manrs_bgp_nlri_init(&it, bm->update.nlri, bm->update.nlri_len,
	    MANRS_AF_INET, false);
	assert_int_equal(manrs_bgp_nlri_next(&it, &n), 1);
	manrs_bgp_nlri_prefix(&n, &p);
	manrs_prefix_print(&p, text, sizeof(text));
	assert_string_equal(text, "192.0.2.0/24");
	assert_int_equal(manrs_bgp_nlri_next(&it, &n), 0);
}

static void
test_route_monitoring(void **state)
{
	struct msg m;
	struct manrs_bmp_msg bm;
	size_t len;

	(void)state;
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, MANRS_BMP_FLAG_L, 64501);
	put(&m, update4, sizeof(update4));
	finish(&m);
	assert_int_equal(manrs_bmp_msg_length(m.b, m.len, &len), 0);
	assert_int_equal(len, m.len);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL), 0);
	assert_int_equal(bm.type, MANRS_BMP_ROUTE_MONITORING);
	assert_true(bm.has_peer);
	assert_int_equal(bm.peer.af, MANRS_AF_INET);
	assert_memory_equal(bm.peer.addr, "\xc0\x00\x02\x01", 4);
	assert_int_equal(bm.peer.asn, 64501);
	assert_int_equal(bm.peer.ts_sec, 1700000000);
	assert_int_equal(bm.peer.ts_usec, 250000);
	assert_true(bm.post_policy);
	assert_false(bm.adj_rib_out);
	assert_false(bm.loc_rib);
	assert_int_equal(bm.asn_size, 4);
	assert_int_equal(bm.bgp_len, sizeof(update4));
	route_origin(&bm, 64501);

	/* IPv6 peer, Adj-RIB-Out (RFC 8671), legacy 2-octet AS_PATH */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, MANRS_BMP_FLAG_V | MANRS_BMP_FLAG_O | MANRS_BMP_FLAG_A,
	    64501);
	put(&m, update2, sizeof(update2));
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL), 0);
	assert_int_equal(bm.peer.af, MANRS_AF_INET6);
	assert_memory_equal(bm.peer.addr,
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	assert_true(bm.adj_rib_out);
	assert_false(bm.post_policy);
	assert_int_equal(bm.asn_size, 2);
	route_origin(&bm, 64501);
}

static void
test_loc_rib(void **state)
{
	struct msg m;
	struct manrs_bmp_msg bm;

	(void)state;
	/* RFC 9069: peer type 3, F flag = filtered, 4-octet paths */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	m.len = 6;
	put8(&m, 3);
	put8(&m, MANRS_BMP_FLAG_F);
	put(&m, "\0\0\0\0\0\0\0\0", 8);
	put(&m, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	put32(&m, 64496);
	put32(&m, 0x0a000001);
	put32(&m, 1);
	put32(&m, 2);
	put(&m, update4, sizeof(update4));
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL), 0);
	assert_true(bm.loc_rib);
	assert_true(bm.filtered);
	assert_int_equal(bm.asn_size, 4);
	assert_int_equal(bm.peer.asn, 64496);
	route_origin(&bm, 64501);
}

static void
test_peer_up_down_stats(void **state)
{
	struct msg m;
	struct manrs_bmp_msg bm;
	struct manrs_reader r;
	struct manrs_bmp_tlv t;
	struct manrs_bmp_stat s;

	(void)state;
	start(&m, MANRS_BMP_PEER_UP);
	peer(&m, 0, 0, 64501);
	put(&m, "\0\0\0\0\0\0\0\0\0\0\0\0\xc0\x00\x02\x02", 16);
	put16(&m, 179);
	put16(&m, 50000);
	put(&m, open_pdu, sizeof(open_pdu));
	put(&m, open_pdu, sizeof(open_pdu));
	put16(&m, MANRS_BMP_INFO_VRF_NAME);
	put16(&m, 3);
	put(&m, "red", 3);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL), 0);
	assert_int_equal(bm.local_port, 179);
	assert_int_equal(bm.remote_port, 50000);
	assert_int_equal(bm.sent_open_len, sizeof(open_pdu));
	assert_int_equal(bm.recv_open_len, sizeof(open_pdu));
	manrs_bmp_tlv_init(&r, &bm);
	assert_int_equal(manrs_bmp_tlv_next(&r, &t), 1);
	assert_int_equal(t.type, MANRS_BMP_INFO_VRF_NAME);
	assert_int_equal(t.len, 3);
	assert_memory_equal(t.value, "red", 3);
	assert_int_equal(manrs_bmp_tlv_next(&r, &t), 0);

	/* Peer Up whose second PDU is an UPDATE, not an OPEN */
	start(&m, MANRS_BMP_PEER_UP);
	peer(&m, 0, 0, 64501);
	put(&m, "\0\0\0\0\0\0\0\0\0\0\0\0\xc0\x00\x02\x02", 16);
	put16(&m, 179);
	put16(&m, 50000);
	put(&m, open_pdu, sizeof(open_pdu));
	put(&m, update4, sizeof(update4));
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_FORMAT);

	/* Peer Down, local FSM event (reason 2, two-byte code) */
	start(&m, MANRS_BMP_PEER_DOWN);
	peer(&m, 0, 0, 64501);
	put8(&m, MANRS_BMP_DOWN_LOCAL_FSM);
	put16(&m, 5);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL), 0);
	assert_int_equal(bm.down_reason, MANRS_BMP_DOWN_LOCAL_FSM);
	assert_int_equal(bm.down_data_len, 2);
	/* ... with three bytes of data: refused */
	put8(&m, 0);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_FORMAT);

	/* Statistics: two counters, a 32-bit and a 64-bit gauge */
	start(&m, MANRS_BMP_STATS_REPORT);
	peer(&m, 0, 0, 64501);
	put32(&m, 2);
	put16(&m, 0);
	put16(&m, 4);
	put32(&m, 5);
	put16(&m, 7);
	put16(&m, 8);
	put32(&m, 1);
	put32(&m, 0);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL), 0);
	assert_int_equal(bm.stats_count, 2);
	manrs_bmp_tlv_init(&r, &bm);
	assert_int_equal(manrs_bmp_stat_next(&r, &s), 1);
	assert_int_equal(s.value, 5);
	assert_int_equal(manrs_bmp_stat_next(&r, &s), 1);
	assert_int_equal(s.type, 7);
	assert_true(s.value == ((uint64_t)1 << 32));
	assert_int_equal(manrs_bmp_stat_next(&r, &s), 0);
	/* count says 3, two are there */
	m.b[6 + MANRS_BMP_PEER_LEN + 3] = 3;
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_FORMAT);
}

static void
test_hostile(void **state)
{
	struct msg m;
	struct manrs_bmp_msg bm;
	size_t len, off;

	(void)state;
	/* version 1 (RFC 7854 4.1 requires 3) */
	assert_int_equal(manrs_bmp_msg_length((const uint8_t *)
	    "\x01\0\0\0\x06\x04", 6, &len), MANRS_E_FORMAT);
	assert_int_equal(manrs_bmp_msg_length((const uint8_t *)
	    "\x03\0\0\0", 4, &len), MANRS_E_SHORT);
	assert_int_equal(manrs_bmp_msg_length((const uint8_t *)
	    "\x03\0\0\0\x05\x04", 6, &len), MANRS_E_FORMAT);
	assert_int_equal(manrs_bmp_msg_length((const uint8_t *)
	    "\x03\x01\0\0\0\x04", 6, &len), MANRS_E_LIMIT);

	/* unknown message type 7 */
	start(&m, 7);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, &off),
	    MANRS_E_FORMAT);
	assert_int_equal(off, 5);

	/* peer type 4 is not defined */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 4, 0, 1);
	put(&m, update4, sizeof(update4));
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_FORMAT);

	/* per-peer header cut short */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, 0, 1);
	m.len -= 10;
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, &off),
	    MANRS_E_SHORT);

	/* BGP PDU longer than the message */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, 0, 1);
	put(&m, update4, sizeof(update4) - 1);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_SHORT);

	/* a byte after the UPDATE (RFC 7854 4.6: one PDU) */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, 0, 1);
	put(&m, update4, sizeof(update4));
	put8(&m, 0);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, &off),
	    MANRS_E_TRAILING);
	assert_int_equal(off, m.len - 1);

	/* a KEEPALIVE where an UPDATE belongs */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, 0, 1);
	put(&m, update4, 16);
	put16(&m, 19);
	put8(&m, MANRS_BGP_MSG_KEEPALIVE);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_FORMAT);

	/* bad marker */
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, 0, 1);
	put(&m, update4, sizeof(update4));
	m.b[6 + MANRS_BMP_PEER_LEN + 3] = 0;
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_FORMAT);

	/* TLV whose length runs past the Initiation message */
	start(&m, MANRS_BMP_INITIATION);
	put16(&m, MANRS_BMP_INFO_SYSNAME);
	put16(&m, 10);
	put(&m, "r1", 2);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL),
	    MANRS_E_SHORT);

	/* the common header says more than the buffer holds */
	start(&m, MANRS_BMP_TERMINATION);
	put16(&m, 0);
	put16(&m, 0);
	finish(&m);
	assert_int_equal(manrs_bmp_decode(m.b, m.len - 1, &bm, NULL),
	    MANRS_E_SHORT);
	assert_int_equal(manrs_bmp_decode(m.b, m.len, &bm, NULL), 0);
}

static void
test_stream(void **state)
{
	struct manrs_bmp_stream *s;
	struct manrs_bmp_msg bm;
	struct msg m, all;
	uint64_t off;
	size_t i, nmsg = 0;
	int rc;

	(void)state;
	all.len = 0;
	start(&m, MANRS_BMP_INITIATION);
	put16(&m, MANRS_BMP_INFO_SYSNAME);
	put16(&m, 2);
	put(&m, "r1", 2);
	finish(&m);
	put(&all, m.b, m.len);
	start(&m, MANRS_BMP_ROUTE_MONITORING);
	peer(&m, 0, 0, 64501);
	put(&m, update4, sizeof(update4));
	finish(&m);
	put(&all, m.b, m.len);
	/* a message that frames but does not decode: skipped with its error */
	start(&m, 7);
	finish(&m);
	put(&all, m.b, m.len);
	start(&m, MANRS_BMP_TERMINATION);
	finish(&m);
	put(&all, m.b, m.len);

	assert_non_null(s = manrs_bmp_stream_new());
	for (i = 0; i < all.len; i++) {
		assert_int_equal(manrs_bmp_stream_feed(s, all.b + i, 1), 0);
		while ((rc = manrs_bmp_stream_next(s, &bm, &off)) != 0) {
			if (nmsg == 2) {
				assert_int_equal(rc, MANRS_E_FORMAT);
			} else {
				assert_int_equal(rc, 1);
			}
			if (nmsg == 1) {
				assert_int_equal(off, 12);
				route_origin(&bm, 64501);
			}
			nmsg++;
		}
	}
	assert_int_equal(nmsg, 4);
	assert_int_equal(manrs_bmp_stream_pending(s), 0);

	/* a bad version is fatal: the stream is out of sync */
	assert_int_equal(manrs_bmp_stream_feed(s, "\x02\0\0\0\x06\x04", 6),
	    0);
	assert_int_equal(manrs_bmp_stream_next(s, &bm, &off), MANRS_E_FORMAT);
	assert_int_equal(manrs_bmp_stream_next(s, &bm, &off), MANRS_E_FORMAT);
	assert_int_equal(manrs_bmp_stream_feed(s, all.b, all.len),
	    MANRS_E_FORMAT);
	manrs_bmp_stream_free(s);
}

/*
 * The fuzz seeds wrap real UPDATEs from the RIS/PCH update files
 * (tests/fuzz/bmp/make_seeds.py): every one decodes, and its UPDATE's
 * attributes decode with the session's AS size.
 */
static void
test_real_seeds(void **state)
{
	static const char *const names[] = {
		"rm-updates.20160811.1600-0", "rm-updates.20160811.1600-1",
		"rm-updates.20160811.1600-2", "rm-updates.20160811.1600-3",
		"rm-updates.et-header.2015-0", "rm-updates.20020722.2238-0",
		"rm-updates.20070211.0141-2", "peer-up", "peer-down-notify",
		"stats", "initiation", "termination",
	};
	static uint8_t buf[1 << 16];
	struct manrs_bmp_msg bm;
	struct manrs_bgp_attrs a;
	char path[4096], rel[256];
	size_t i, n;
	FILE *fp;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(rel, sizeof(rel), "tests/fuzz/bmp/corpus/%s",
		    names[i]);
		assert_non_null(source_path(rel, path, sizeof(path)));
		assert_non_null(fp = fopen(path, "rb"));
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		assert_true(n > 1);
		assert_int_equal(manrs_bmp_decode(buf + 1, n - 1, &bm, NULL),
		    0);
		if (bm.type == MANRS_BMP_ROUTE_MONITORING)
			assert_int_equal(manrs_bgp_attrs_decode(&a,
			    bm.update.attrs, bm.update.attrs_len,
			    bm.asn_size, 0, NULL), 0);
	}
	/* seed 3 is the Loc-RIB form, seed 2 Adj-RIB-Out */
	snprintf(rel, sizeof(rel),
	    "tests/fuzz/bmp/corpus/rm-updates.20160811.1600-3");
	assert_non_null(fp = fopen(source_path(rel, path, sizeof(path)),
	    "rb"));
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(manrs_bmp_decode(buf + 1, n - 1, &bm, NULL), 0);
	assert_true(bm.loc_rib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_monitoring),
		cmocka_unit_test(test_loc_rib),
		cmocka_unit_test(test_peer_up_down_stats),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_real_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
