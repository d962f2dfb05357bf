/*
 * test_spoofer.c - spoofing results CSV and the M5 raw value.
 */
#include <string.h>

#include <manrs/spoofer.h>

#include "testutil.h"

static void
test_time(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(manrs_time_parse(V("0"), &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(manrs_time_parse(V("1970-01-02"), &t), 0);
	assert_int_equal(t, 86400);
	assert_int_equal(manrs_time_parse(V("2026-11-26T12:34:56Z"), &t), 0);
	assert_int_equal(t, 1795696496);
	assert_int_equal(manrs_time_parse(V("2000-02-29T00:00"), &t), 0);
	assert_int_equal(t, 951782400);
	assert_int_equal(manrs_time_parse(V("2026-13-01"), &t),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_time_parse(V("2026-11-26T25:00:00Z"), &t),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_time_parse(V("2026-11-26T12:00:0"), &t),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_time_parse(V("-5"), &t), MANRS_E_SYNTAX);
	assert_int_equal(manrs_time_parse(V(""), &t), MANRS_E_SYNTAX);
}

static void
test_read(void **state)
{
	static const char csv[] =
	    "time,asn,prefix,spoofed\n"
	    "1000,AS64500,192.0.2.0/24,yes\n"
	    "2000,64500,192.0.2.0/24,no\n"
	    "3000,64500,198.51.100.7,yes\n"		/* host: /32 */
	    "2026-11-26T00:00:00Z,64501,2001:db8::/48,no\n"
	    "# comment\n"
	    "4000,64500,203.0.113.0/24\n"		/* 3 fields */
	    "4000,AS-X,203.0.113.0/24,yes\n"
	    "4000,64500,203.0.113.0/24,maybe\n";
	struct manrs_spoofer *sp = manrs_spoofer_new();
	struct manrs_diag_sink sink;
	struct manrs_spoof_summary s;
	struct manrs_input *in;
	const uint32_t *asns;
	int err;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	in = manrs_input_mem(csv, sizeof(csv) - 1, "s.csv", &err);
	assert_int_equal(manrs_spoofer_read(sp, in, &sink), 0);
	manrs_input_close(in);
	assert_int_equal(sink.errors, 3);
	assert_int_equal(manrs_spoofer_count(sp), 4);
	assert_int_equal(manrs_spoofer_asns(sp, &asns), 2);
	assert_int_equal(asns[0], 64500);

	assert_true(manrs_spoofer_summary(sp, 64500, 0, INT64_MAX, &s));
	assert_int_equal(s.tests, 3);
	assert_int_equal(s.spoofable, 2);
	assert_int_equal(s.prefixes, 2);
	assert_int_equal(s.leaking, 2);
	assert_int_equal(s.first, 1000);
	assert_int_equal(s.last, 3000);
	/* A window that holds only the clean test. */
	assert_true(manrs_spoofer_summary(sp, 64500, 1500, 2500, &s));
	assert_int_equal(s.leaking, 0);
	assert_true(manrs_spoofer_summary(sp, 64501, 0, INT64_MAX, &s));
	assert_int_equal(s.leaking, 0);
	assert_false(manrs_spoofer_summary(sp, 1, 0, INT64_MAX, &s));
	manrs_spoofer_free(sp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
