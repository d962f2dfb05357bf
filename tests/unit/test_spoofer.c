/*
 * test_spoofer.c - spoofing results (our CSV, CAIDA Spoofer's session
 * JSON) and the M5 raw value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	struct manrs_spoofer *sp = manrs_spoofer_new(NULL);
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

/* The last diagnostic, for exact messages and offsets. */
static struct manrs_diag last;

static void
keep(void *arg, const struct manrs_diag *d)
{
	(void)arg;
	last = *d;
}

static struct manrs_spoofer *
caida(const char *json, struct manrs_diag_sink *sink, int want)
{
	struct manrs_spoofer *sp = manrs_spoofer_new(NULL);
	struct manrs_input *in;
	int err;

	memset(sink, 0, sizeof(*sink));
	memset(&last, 0, sizeof(last));
	sink->fn = keep;
	assert_non_null(sp);
	in = manrs_input_mem(json, strlen(json), "s.json", &err);
	assert_non_null(in);
	assert_int_equal(manrs_spoofer_read_caida(sp, in, sink), want);
	manrs_input_close(in);
	return sp;
}

/* CAIDA Spoofer's Data API: a JSON-LD collection page. */
static void
test_caida_collection(void **state)
{
	static const char json[] =
	    "{\"@context\":\"/contexts/Session\",\"@id\":\"/sessions\","
	    "\"@type\":\"hydra:Collection\",\"hydra:member\":["
	    "{\"@id\":\"/sessions/891176\",\"@type\":\"Session\","
	    "\"asn4\":\"3356\",\"asn6\":null,\"client4\":\"4.30.179.0/24\","
	    "\"client6\":null,\"country\":\"usa\",\"nat4\":true,"
	    "\"nat6\":null,\"privatespoof\":\"blocked\","
	    "\"privatespoof6\":null,\"routedspoof\":\"blocked\","
	    "\"routedspoof6\":null,\"session\":891176,"
	    "\"timestamp\":\"2020-05-07T14:34:59+00:00\"},"
	    /* v4 rewritten by a NAT (not spoofed), v6 private received */
	    "{\"session\":2,\"timestamp\":\"2020-05-07T16:34:59+02:00\","
	    "\"asn4\":\"3356\",\"client4\":\"8.9.89.0/24\","
	    "\"routedspoof\":\"rewritten\",\"privatespoof\":\"blocked\","
	    "\"asn6\":\"3356\",\"client6\":\"2001:1900::/40\","
	    "\"routedspoof6\":\"blocked\",\"privatespoof6\":\"received\"},"
	    /* no test ran: no test */
	    "{\"session\":3,\"timestamp\":\"2020-05-08T00:00:00Z\","
	    "\"asn4\":\"3356\",\"client4\":\"8.9.89.0/24\","
	    "\"routedspoof\":\"unknown\",\"privatespoof\":null}],"
	    "\"hydra:totalItems\":3,\"hydra:view\":{\"@id\":\"/sessions?"
	    "page=1\",\"hydra:next\":\"/sessions?page=2\"}}";
	struct manrs_diag_sink sink;
	struct manrs_spoof_summary s;
	const struct manrs_spoof_test *t;
	struct manrs_spoofer *sp;

	(void)state;
	sp = caida(json, &sink, 0);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(manrs_spoofer_count(sp), 3);
	assert_int_equal(manrs_spoofer_tests(sp, 3356, &t), 3);
	/* 2020-05-07T14:34:59Z; +02:00 is the same instant */
	assert_int_equal(t[0].time, 1588862099);
	assert_int_equal(t[1].time, 1588862099);
	assert_true(manrs_spoofer_summary(sp, 3356, 0, INT64_MAX, &s));
	assert_int_equal(s.tests, 3);
	assert_int_equal(s.spoofable, 1);
	assert_int_equal(s.prefixes, 3);
	assert_int_equal(s.leaking, 1);
	manrs_spoofer_free(sp);
}

/* One session per line (CAIDA's dump script), and a plain array. */
static void
test_caida_lines(void **state)
{
	static const char lines[] =
	    "{\"session\":1,\"timestamp\":\"2022-07-01T00:00:00+00:00\","
	    "\"asn4\":\"64500\",\"client4\":\"192.0.2.0/24\","
	    "\"routedspoof\":\"received\"}\n"
	    "{\"session\":2,\"timestamp\":\"2022-07-02T00:00:00+00:00\","
	    "\"asn4\":64501,\"client4\":\"198.51.100.9\","
	    "\"routedspoof\":\"blocked\",\"x\":{\"asn4\":\"1\"}}\n";
	static const char array[] =
	    "[{\"session\":1,\"timestamp\":\"2022-07-01T00:00:00+00:00\","
	    "\"asn4\":\"64500\",\"client4\":\"192.0.2.0/24\","
	    "\"routedspoof\":\"received\"}]";
	struct manrs_diag_sink sink;
	const struct manrs_spoof_test *t;
	struct manrs_spoofer *sp;

	(void)state;
	sp = caida(lines, &sink, 0);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(manrs_spoofer_count(sp), 2);
	assert_int_equal(manrs_spoofer_tests(sp, 64500, &t), 1);
	assert_true(t[0].spoofed);
	/* A nested object's members are not the session's. */
	assert_int_equal(manrs_spoofer_tests(sp, 1, &t), 0);
	assert_int_equal(manrs_spoofer_tests(sp, 64501, &t), 1);
	assert_false(t[0].spoofed);
	assert_int_equal(t[0].prefix.len, 32);
	manrs_spoofer_free(sp);
	sp = caida(array, &sink, 0);
	assert_int_equal(manrs_spoofer_count(sp), 1);
	manrs_spoofer_free(sp);
}

/* Bad sessions are reported with the session id and skipped. */
static void
test_caida_hostile(void **state)
{
	struct manrs_diag_sink sink;
	struct manrs_spoofer *sp;
	char deep[80];

	(void)state;
	sp = caida("[{\"session\":5,\"timestamp\":\"2022-07-01T00:00:00Z\","
	    "\"asn4\":\"64500\",\"client4\":\"192.0.2.0/24\","
	    "\"routedspoof\":\"maybe\"}]", &sink, 0);
	assert_int_equal(sink.errors, 1);
	assert_string_equal(last.msg, "session 5: routedspoof \"maybe\": "
	    "received, blocked, rewritten or unknown expected");
	assert_int_equal(last.offset, 111);	/* the session's end */
	assert_int_equal(manrs_spoofer_count(sp), 0);
	manrs_spoofer_free(sp);

	sp = caida("{\"session\":6,\"timestamp\":\"2022-07-01T00:00:00Z\","
	    "\"asn6\":\"64500\",\"client6\":\"192.0.2.0/24\","
	    "\"routedspoof6\":\"received\"}", &sink, 0);
	assert_string_equal(last.msg, "session 6: client6 \"192.0.2.0/24\" "
	    "is not an IPv6 prefix");
	manrs_spoofer_free(sp);

	sp = caida("{\"session\":7,\"timestamp\":\"last week\","
	    "\"asn4\":\"64500\",\"client4\":\"192.0.2.0/24\","
	    "\"routedspoof\":\"received\"}", &sink, 0);
	assert_string_equal(last.msg, "session 7: timestamp \"last week\" "
	    "is not RFC 3339");
	manrs_spoofer_free(sp);

	sp = caida("{\"session\":8,\"timestamp\":\"2022-07-01T00:00:00Z\","
	    "\"asn4\":\"AS-FOO\",\"client4\":\"192.0.2.0/24\","
	    "\"routedspoof\":\"received\"}", &sink, 0);
	assert_string_equal(last.msg, "session 8: asn4 \"AS-FOO\" is not an "
	    "AS number");
	manrs_spoofer_free(sp);

	/* Cut off: a syntax error, what came before is kept. */
	sp = caida("{\"session\":9,\"timestamp\":\"2022-07-01T00:00:00Z\","
	    "\"asn4\":\"64500\",\"client4\":\"192.0.2.0/24\","
	    "\"routedspoof\":\"received\"}\n{\"session\":10,",
	    &sink, MANRS_E_SYNTAX);
	assert_int_equal(manrs_spoofer_count(sp), 1);
	assert_non_null(strstr(last.msg, "JSON: "));
	manrs_spoofer_free(sp);

	memset(deep, '[', 40);
	memset(deep + 40, ']', 39);
	deep[79] = '\0';
	sp = caida(deep, &sink, MANRS_E_LIMIT);
	assert_string_equal(last.msg, "JSON nested deeper than 32 levels");
	manrs_spoofer_free(sp);
}

/* manrs_spoofer_load() tells CAIDA's JSON from our CSV. */
static void
test_load_detect(void **state)
{
	static const char json[] =
	    "\xef\xbb\xbf \n[{\"session\":1,\"timestamp\":"
	    "\"2022-07-01T00:00:00+00:00\",\"asn4\":\"64500\","
	    "\"client4\":\"192.0.2.0/24\",\"routedspoof\":\"received\"}]";
	static const char csv[] = "time,asn,prefix,spoofed\n"
	    "1000,64500,192.0.2.0/24,yes\n";
	char path[] = "/tmp/test_spoofer.XXXXXX";
	struct manrs_spoofer *sp;
	FILE *fp;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(json, fp);
	fclose(fp);
	sp = manrs_spoofer_new(NULL);
	assert_int_equal(manrs_spoofer_load(sp, path, NULL), 0);
	assert_int_equal(manrs_spoofer_count(sp), 1);
	assert_non_null(fp = fopen(path, "w"));
	fputs(csv, fp);
	fclose(fp);
	assert_int_equal(manrs_spoofer_load(sp, path, NULL), 0);
	assert_int_equal(manrs_spoofer_count(sp), 2);
	manrs_spoofer_free(sp);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_caida_collection),
		cmocka_unit_test(test_caida_lines),
		cmocka_unit_test(test_caida_hostile),
		cmocka_unit_test(test_load_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
