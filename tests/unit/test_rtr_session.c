/*
 * test_rtr_session.c - the cache-side RTR state machine: version
 * negotiation (RFC 8210 section 7), full sync per version, deltas after
 * an update (and composed over several updates), Cache Reset for unknown
 * serials, Corrupt Data for another session id (RFC 8210 section 5.1),
 * Error Reports both ways, streaming in small
 * output windows, input split byte by byte.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct out_pdus {
	struct manrs_rtr_pdu	p[256];
	size_t			n;
	struct manrs_buf	raw;
};

static void
add_vrp(struct manrs_vrp_set *s, const char *pfx, unsigned ml, uint32_t asn)
{
	struct manrs_vrp v;

	memset(&v, 0, sizeof(v));
	assert_int_equal(manrs_prefix_parse(V(pfx), 0, &v.prefix), 0);
	v.maxlen = (uint8_t)ml;
	v.asn = asn;
	assert_int_equal(manrs_vrp_add(s, &v), 0);
}

/* Base data: 3 VRPs, 1 ASPA, 1 router key. */
static struct manrs_vrp_set *
base_set(bool changed)
{
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	static const uint32_t prov[] = { 64500, 64501 };
	static const uint32_t prov2[] = { 64502 };
	uint8_t ski[20], spki[4] = { 1, 2, 3, 4 };

	assert_non_null(s);
	memset(ski, 0x11, sizeof(ski));
	add_vrp(s, "192.0.2.0/24", 24, 64496);
	add_vrp(s, "192.0.2.128/25", 25, 64496);
	add_vrp(s, "2001:db8::/32", 48, 64497);
	if (changed) {
		add_vrp(s, "198.51.100.0/24", 24, 64498);	/* new */
		assert_int_equal(manrs_vrp_aspa_add(s, 64496, prov2, 1), 0);
	} else {
		add_vrp(s, "203.0.113.0/24", 24, 64499);	/* goes */
		assert_int_equal(manrs_vrp_aspa_add(s, 64496, prov, 2), 0);
	}
	assert_int_equal(manrs_vrp_rkey_add(s, 64496, ski, spki, 4), 0);
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	return s;
}

static struct manrs_rtr_cache *
new_cache(void)
{
	struct manrs_rtr_config cfg;
	struct manrs_rtr_cache *c;
	int err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.session_id = 0x1234;
	cfg.serial = 100;
	cfg.max_version = 2;
	c = manrs_rtr_cache_new(&cfg, &err);
	assert_non_null(c);
	assert_int_equal(manrs_rtr_cache_update(c, base_set(false), NULL), 0);
	return c;
}

/* Drain everything in windows of win bytes and decode it. */
static void
collect(struct manrs_rtr_session *s, struct out_pdus *o, size_t win)
{
	size_t off = 0;
	ptrdiff_t n;
	int rerr;

	o->n = 0;
	manrs_buf_init(&o->raw, 0);
	while (manrs_rtr_session_drain(s, &o->raw, win) > 0)
		;
	while (off < o->raw.len) {
		n = manrs_rtr_pdu_decode(o->raw.p + off, o->raw.len - off,
		    &o->p[o->n], &rerr);
		assert_true(n > 0);
		assert_true(o->n < 255);
		o->n++;
		off += (size_t)n;
	}
}

static void
query(struct manrs_rtr_session *s, uint8_t ver, int type, uint16_t sess,
    uint32_t serial)
{
	struct manrs_buf b;

	manrs_buf_init(&b, 0);
	if (type == MANRS_RTR_RESET_QUERY)
		manrs_rtr_encode_reset_query(&b, ver);
	else
		manrs_rtr_encode_serial_query(&b, ver, sess, serial);
	manrs_rtr_session_input(s, b.p, b.len);
	manrs_buf_clear(&b);
}

static size_t
count_type(const struct out_pdus *o, int type)
{
	size_t i, n = 0;

	for (i = 0; i < o->n; i++)
		n += o->p[i].type == type;
	return n;
}

static void
test_full_sync_versions(void **state)
{
	struct manrs_rtr_cache *c = new_cache();
	struct out_pdus o;
	uint8_t v;

	(void)state;
	for (v = 0; v <= 2; v++) {
		struct manrs_rtr_session *s = manrs_rtr_session_new(c);

		query(s, v, MANRS_RTR_RESET_QUERY, 0, 0);
		assert_int_equal(manrs_rtr_session_version(s), v);
		collect(s, &o, 7);	/* tiny windows: one PDU at a time */
		assert_int_equal(o.p[0].type, MANRS_RTR_CACHE_RESPONSE);
		assert_int_equal(o.p[0].session, 0x1234);
		assert_int_equal(o.p[o.n - 1].type, MANRS_RTR_END_OF_DATA);
		assert_int_equal(o.p[o.n - 1].serial, 100);
		assert_int_equal(count_type(&o, MANRS_RTR_IPV4_PREFIX), 3);
		assert_int_equal(count_type(&o, MANRS_RTR_IPV6_PREFIX), 1);
		assert_int_equal(count_type(&o, MANRS_RTR_ROUTER_KEY),
		    v >= 1 ? 1 : 0);
		assert_int_equal(count_type(&o, MANRS_RTR_ASPA),
		    v >= 2 ? 1 : 0);
		/* more specific first: the /25 precedes the /24s */
		if (v == 2) {
			assert_int_equal(o.p[3].type, MANRS_RTR_IPV4_PREFIX);
			assert_int_equal(o.p[3].vrp.prefix.len, 25);
			assert_int_equal(o.p[2].nproviders, 2);
		}
		assert_true(manrs_rtr_session_synced(s, NULL));
		manrs_buf_clear(&o.raw);
		manrs_rtr_session_free(s);
	}
	manrs_rtr_cache_free(c);
}

static void
test_delta(void **state)
{
	struct manrs_rtr_cache *c = new_cache();
	struct manrs_rtr_session *s = manrs_rtr_session_new(c);
	struct out_pdus o;
	bool changed;
	char buf[MANRS_PREFIX_STRLEN];

	(void)state;
	query(s, 2, MANRS_RTR_RESET_QUERY, 0, 0);
	collect(s, &o, 1 << 20);
	manrs_buf_clear(&o.raw);
	/* same data again: no new serial */
	assert_int_equal(manrs_rtr_cache_update(c, base_set(false),
	    &changed), 0);
	assert_false(changed);
	assert_int_equal(manrs_rtr_cache_serial(c), 100);
	assert_int_equal(manrs_rtr_cache_update(c, base_set(true), &changed),
	    0);
	assert_true(changed);
	assert_int_equal(manrs_rtr_cache_serial(c), 101);
	/* Serial Notify queued for a synced, idle router */
	manrs_rtr_session_notify(s);
	collect(s, &o, 1 << 20);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.p[0].type, MANRS_RTR_SERIAL_NOTIFY);
	assert_int_equal(o.p[0].serial, 101);
	manrs_buf_clear(&o.raw);
	query(s, 2, MANRS_RTR_SERIAL_QUERY, 0x1234, 100);
	collect(s, &o, 1 << 20);
	/* CR, announce 198.51.100.0/24, withdraw 203.0.113.0/24, ASPA, EOD */
	assert_int_equal(o.n, 5);
	assert_int_equal(o.p[0].type, MANRS_RTR_CACHE_RESPONSE);
	assert_int_equal(o.p[1].type, MANRS_RTR_IPV4_PREFIX);
	assert_int_equal(o.p[1].flags, 1);
	manrs_prefix_print(&o.p[1].vrp.prefix, buf, sizeof(buf));
	assert_string_equal(buf, "198.51.100.0/24");
	assert_int_equal(o.p[2].flags, 0);
	manrs_prefix_print(&o.p[2].vrp.prefix, buf, sizeof(buf));
	assert_string_equal(buf, "203.0.113.0/24");
	/* the changed ASPA is one announcement replacing the old set */
	assert_int_equal(o.p[3].type, MANRS_RTR_ASPA);
	assert_int_equal(o.p[3].flags, 1);
	assert_int_equal(o.p[3].nproviders, 1);
	assert_int_equal(o.p[4].type, MANRS_RTR_END_OF_DATA);
	assert_int_equal(o.p[4].serial, 101);
	manrs_buf_clear(&o.raw);
	/* back to the old data: serial 102; from 100 the net change is empty */
	assert_int_equal(manrs_rtr_cache_update(c, base_set(false), &changed),
	    0);
	query(s, 2, MANRS_RTR_SERIAL_QUERY, 0x1234, 100);
	collect(s, &o, 1 << 20);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.p[1].type, MANRS_RTR_END_OF_DATA);
	assert_int_equal(o.p[1].serial, 102);
	manrs_buf_clear(&o.raw);
	/* unknown serial: Cache Reset (RFC 8210 section 5.9) */
	query(s, 2, MANRS_RTR_SERIAL_QUERY, 0x1234, 7);
	collect(s, &o, 1 << 20);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.p[0].type, MANRS_RTR_CACHE_RESET);
	manrs_buf_clear(&o.raw);
	/* current serial: empty response */
	query(s, 2, MANRS_RTR_SERIAL_QUERY, 0x1234, 102);
	collect(s, &o, 1 << 20);
	assert_int_equal(o.n, 2);
	manrs_buf_clear(&o.raw);
	manrs_rtr_session_free(s);
	manrs_rtr_cache_free(c);
}

/*
 * A Serial Query with another Session ID, in every version, also as the
 * first PDU: Error Report "Corrupt Data" carrying the query, and the
 * session ends (RFC 8210 section 5.1; RFC 6810 section 5.1 for v0).
 */
static void
test_session_mismatch(void **state)
{
	static const char want[] = "Session ID mismatch (RFC 8210 section 5.1)";
	struct manrs_rtr_cache *c = new_cache();
	struct manrs_rtr_session *s;
	struct out_pdus o;
	uint8_t v;
	int first;

	(void)state;
	for (v = 0; v <= 2; v++) {
		for (first = 0; first <= 1; first++) {
			s = manrs_rtr_session_new(c);
			if (!first) {
				query(s, v, MANRS_RTR_RESET_QUERY, 0, 0);
				collect(s, &o, 1 << 20);
				manrs_buf_clear(&o.raw);
			}
			query(s, v, MANRS_RTR_SERIAL_QUERY, 0x9999, 100);
			collect(s, &o, 1 << 20);
			assert_int_equal(o.n, 1);
			assert_int_equal(o.p[0].type, MANRS_RTR_ERROR_REPORT);
			assert_int_equal(o.p[0].version, v);
			/* the error code sits where the session id does */
			assert_int_equal(o.p[0].session, MANRS_RTR_ERR_CORRUPT);
			assert_int_equal(o.p[0].encap_len, 12);
			assert_int_equal(o.p[0].encap[1],
			    MANRS_RTR_SERIAL_QUERY);
			assert_int_equal(o.p[0].text_len, strlen(want));
			assert_memory_equal(o.p[0].text, want, strlen(want));
			assert_true(manrs_rtr_session_closing(s));
			assert_false(manrs_rtr_session_synced(s, NULL) &&
			    first);
			manrs_buf_clear(&o.raw);
			manrs_rtr_session_free(s);
		}
	}
	manrs_rtr_cache_free(c);
}

static void
test_version_negotiation(void **state)
{
	struct manrs_rtr_cache *c = new_cache();
	struct manrs_rtr_session *s;
	struct out_pdus o;
	static const uint8_t v3[] = { 3, 2, 0, 0, 0, 0, 0, 8 };

	(void)state;
	/* a version above ours: Unsupported Protocol Version, in v2 */
	s = manrs_rtr_session_new(c);
	assert_true(manrs_rtr_session_input(s, v3, sizeof(v3)) < 0);
	collect(s, &o, 1 << 20);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.p[0].type, MANRS_RTR_ERROR_REPORT);
	assert_int_equal(o.p[0].version, 2);
	assert_int_equal(o.p[0].session, MANRS_RTR_ERR_UNSUP_VERSION);
	assert_int_equal(o.p[0].encap_len, 8);
	assert_true(manrs_rtr_session_closing(s));
	manrs_buf_clear(&o.raw);
	manrs_rtr_session_free(s);
	/* another version after the first PDU: Unexpected Protocol Version */
	s = manrs_rtr_session_new(c);
	query(s, 1, MANRS_RTR_RESET_QUERY, 0, 0);
	collect(s, &o, 1 << 20);
	manrs_buf_clear(&o.raw);
	query(s, 0, MANRS_RTR_RESET_QUERY, 0, 0);
	collect(s, &o, 1 << 20);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.p[0].version, 1);
	assert_int_equal(o.p[0].session, MANRS_RTR_ERR_UNEXPECTED_VERSION);
	assert_true(manrs_rtr_session_closing(s));
	manrs_buf_clear(&o.raw);
	manrs_rtr_session_free(s);
	manrs_rtr_cache_free(c);
}

static void
test_errors(void **state)
{
	struct manrs_rtr_cache *c = new_cache();
	struct manrs_rtr_session *s;
	struct manrs_rtr_cache *empty;
	struct manrs_rtr_config cfg;
	struct manrs_buf b;
	struct out_pdus o;
	static const uint8_t pfx[] = { 1, 4, 0, 0, 0, 0, 0, 20,
	    1, 24, 24, 0, 192, 0, 2, 0, 0, 0, 0, 1 };
	static const uint8_t rq[] = { 1, 2, 0, 0, 0, 0, 0, 8 };
	size_t i;
	int err;

	(void)state;
	/* a cache-to-router PDU from the router: Invalid Request */
	s = manrs_rtr_session_new(c);
	manrs_rtr_session_input(s, pfx, sizeof(pfx));
	collect(s, &o, 1 << 20);
	assert_int_equal(o.p[0].session, MANRS_RTR_ERR_INVALID_REQUEST);
	assert_int_equal(o.p[0].encap_len, 20);
	manrs_buf_clear(&o.raw);
	manrs_rtr_session_free(s);
	/* the router's Error Report ends the session, no answer */
	s = manrs_rtr_session_new(c);
	manrs_buf_init(&b, 0);
	manrs_rtr_encode_error(&b, 1, MANRS_RTR_ERR_INTERNAL, NULL, 0, "x");
	manrs_rtr_session_input(s, b.p, b.len);
	assert_true(manrs_rtr_session_closing(s));
	collect(s, &o, 1 << 20);
	assert_int_equal(o.n, 0);
	manrs_buf_clear(&o.raw);
	manrs_buf_clear(&b);
	manrs_rtr_session_free(s);
	/* byte-by-byte input still yields exactly one response */
	s = manrs_rtr_session_new(c);
	for (i = 0; i < sizeof(rq); i++)
		assert_int_equal(manrs_rtr_session_input(s, rq + i, 1), 0);
	collect(s, &o, 1 << 20);
	assert_int_equal(o.p[0].type, MANRS_RTR_CACHE_RESPONSE);
	assert_int_equal(o.p[o.n - 1].type, MANRS_RTR_END_OF_DATA);
	manrs_buf_clear(&o.raw);
	manrs_rtr_session_free(s);
	/* no data yet: No Data Available, not fatal */
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_version = 2;
	empty = manrs_rtr_cache_new(&cfg, &err);
	assert_non_null(empty);
	s = manrs_rtr_session_new(empty);
	manrs_rtr_session_input(s, rq, sizeof(rq));
	collect(s, &o, 1 << 20);
	assert_int_equal(o.p[0].session, MANRS_RTR_ERR_NO_DATA);
	assert_false(manrs_rtr_session_closing(s));
	manrs_buf_clear(&o.raw);
	manrs_rtr_session_free(s);
	manrs_rtr_cache_free(empty);
	/* timers outside RFC 8210 section 6 */
	cfg.expire = 300;
	assert_null(manrs_rtr_cache_new(&cfg, &err));
	assert_int_equal(err, MANRS_E_RANGE);
	cfg.expire = 7200;
	cfg.refresh = 8000;
	assert_null(manrs_rtr_cache_new(&cfg, &err));
	manrs_rtr_cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_sync_versions),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_version_negotiation),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
