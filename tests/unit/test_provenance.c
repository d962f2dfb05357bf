/*
 * test_provenance.c - the JSON string escaper and the provenance record:
 * text and JSON printers (exact), lists and warnings, mtime fallback.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"

static char *
buf_str(struct manrs_buf *b)
{
	manrs_buf_put_u8(b, '\0');
	assert_int_equal(b->err, 0);
	return (char *)b->p;
}

static void
test_json_str(void **state)
{
	static const char in[] = "a\"b\\c\n\r\t\x01\x7f"
	    "\xc3\xa9"		/* valid U+00E9 */
	    "\xff"		/* never valid */
	    "\xc3"		/* truncated sequence */
	    "x\xed\xa0\x80"	/* surrogate */
	    "\xe2\x82\xac";	/* valid U+20AC */
	struct manrs_buf b;
	json_error_t jerr;
	json_t *j;

	(void)state;
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_buf_put_json_str(&b, in, sizeof(in) - 1), 0);
	assert_string_equal(buf_str(&b), "\"a\\\"b\\\\c\\n\\r\\t\\u0001\x7f"
	    "\xc3\xa9\\ufffd\\ufffdx\\ufffd\\ufffd\\ufffd\xe2\x82\xac\"");
	/* What it writes is valid JSON that decodes to the text. */
	j = json_loads((char *)b.p, JSON_DECODE_ANY, &jerr);
	assert_non_null(j);
	assert_true(json_is_string(j));
	json_decref(j);
	manrs_buf_reset(&b);
	assert_int_equal(manrs_buf_put_json_str(&b, NULL, 5), 0);
	assert_string_equal(buf_str(&b), "\"\"");
	manrs_buf_clear(&b);
}

static void
test_time_iso(void **state)
{
	char t[32];

	(void)state;
	assert_string_equal(manrs_time_iso(1682942400, t, sizeof(t)),
	    "2023-05-01T12:00:00Z");
	assert_string_equal(manrs_time_iso(0, t, sizeof(t)), "-");
	assert_string_equal(manrs_time_iso(-5, t, sizeof(t)), "-");
	assert_string_equal(manrs_time_iso(1682942400, t, 5), "-");
}

static void
test_print(void **state)
{
	struct manrs_provenance p;
	struct manrs_buf b;

	(void)state;
	manrs_buf_init(&b, 0);
	manrs_provenance_init(&p, "vrps", "/data/rpki/json.gz");
	p.records = 0;
	p.skipped = 2;
	manrs_provenance_set_time(&p, 1682942400, MANRS_PROV_TIME_CONTENT,
	    "buildtime");
	p.has_expiry = true;
	p.in_force = 0;
	p.expired = 424223;
	p.judged_at = 1764547200;
	manrs_provenance_print(&p, &b);
	assert_string_equal(buf_str(&b), "vrps /data/rpki/json.gz: 0 records, "
	    "2 skipped; time 2023-05-01T12:00:00Z (buildtime); 0 in force, "
	    "424223 expired at 2025-12-01T00:00:00Z\n");
	manrs_buf_reset(&b);
	manrs_provenance_print_json(&p, &b);
	assert_string_equal(buf_str(&b), "{\"kind\":\"vrps\",\"path\":"
	    "\"/data/rpki/json.gz\",\"records\":0,\"skipped\":2,\"time\":"
	    "\"2023-05-01T12:00:00Z\",\"time_unix\":1682942400,"
	    "\"time_source\":\"content\",\"time_field\":\"buildtime\","
	    "\"in_force\":0,\"expired\":424223,\"judged_at\":"
	    "\"2025-12-01T00:00:00Z\"}");

	/* An MRT file: first and last record; no data time at all. */
	manrs_buf_reset(&b);
	manrs_provenance_init(&p, "updates", "u\"1.gz");
	p.records = 7;
	manrs_provenance_see_time(&p, 1682942500);
	manrs_provenance_see_time(&p, 1682942400);
	manrs_provenance_see_time(&p, 0);
	manrs_provenance_see_time(&p, 1682942700);
	manrs_provenance_print(&p, &b);
	assert_string_equal(buf_str(&b), "updates u\"1.gz: 7 records, 0 skipped;"
	    " time unknown; records 2023-05-01T12:00:00Z to "
	    "2023-05-01T12:05:00Z\n");
	manrs_buf_reset(&b);
	manrs_provenance_print_json(&p, &b);
	assert_string_equal(buf_str(&b), "{\"kind\":\"updates\",\"path\":"
	    "\"u\\\"1.gz\",\"records\":7,\"skipped\":0,\"time\":null,"
	    "\"time_unix\":null,\"time_source\":\"unknown\",\"time_field\":"
	    "null,\"first\":\"2023-05-01T12:00:00Z\",\"last\":"
	    "\"2023-05-01T12:05:00Z\"}");
	manrs_buf_clear(&b);
}

static void
test_mtime(void **state)
{
	char path[] = "/tmp/test_provenance.XXXXXX";
	struct manrs_provenance p;
	struct timespec ts[2] = { { 1600000000, 0 }, { 1600000000, 0 } };
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(futimens(fd, ts), 0);
	close(fd);
	manrs_provenance_init(&p, "irr", path);
	assert_int_equal(manrs_provenance_use_mtime(&p), 0);
	assert_int_equal(p.time, 1600000000);
	assert_int_equal(p.time_src, MANRS_PROV_TIME_MTIME);
	assert_string_equal(p.time_field, "mtime");
	/* A time from the content is not replaced. */
	manrs_provenance_init(&p, "irr", path);
	manrs_provenance_set_time(&p, 1500000000, MANRS_PROV_TIME_CONTENT,
	    "last-modified");
	assert_int_equal(manrs_provenance_use_mtime(&p), 0);
	assert_int_equal(p.time, 1500000000);
	unlink(path);
	manrs_provenance_init(&p, "irr", path);
	assert_int_equal(manrs_provenance_use_mtime(&p), MANRS_E_IO);
	manrs_provenance_init(&p, "irr", "-");
	assert_int_equal(manrs_provenance_use_mtime(&p), MANRS_E_IO);
	assert_int_equal(p.time, 0);
}

static void
test_list(void **state)
{
	struct manrs_provenance_list l;
	struct manrs_provenance p, *q;
	struct manrs_buf b;

	(void)state;
	manrs_provenance_list_init(&l);
	manrs_buf_init(&b, 0);
	manrs_provenance_list_print_json(&l, &b);
	assert_string_equal(buf_str(&b), "\"inputs\":[],\"warnings\":[]");
	manrs_provenance_init(&p, "rib", "a");
	assert_int_equal(manrs_provenance_list_add(&l, &p, &q), 0);
	q->records = 3;
	manrs_provenance_init(&p, "asrel", "b");
	manrs_provenance_set_time(&p, 1682899200, MANRS_PROV_TIME_FILENAME,
	    NULL);
	assert_int_equal(manrs_provenance_list_add(&l, &p, NULL), 0);
	assert_int_equal(manrs_provenance_warn(&l, "%d%% \"old\"", 5), 0);
	assert_ptr_equal(manrs_provenance_list_find(&l, "asrel"), &l.v[1]);
	assert_null(manrs_provenance_list_find(&l, "vrps"));
	manrs_buf_reset(&b);
	manrs_provenance_list_print_json(&l, &b);
	assert_string_equal(buf_str(&b), "\"inputs\":[{\"kind\":\"rib\","
	    "\"path\":\"a\",\"records\":3,\"skipped\":0,\"time\":null,"
	    "\"time_unix\":null,\"time_source\":\"unknown\",\"time_field\":"
	    "null},{\"kind\":\"asrel\",\"path\":\"b\",\"records\":0,"
	    "\"skipped\":0,\"time\":\"2023-05-01T00:00:00Z\",\"time_unix\":"
	    "1682899200,\"time_source\":\"file name\",\"time_field\":"
	    "\"file name\"}],\"warnings\":[\"5% \\\"old\\\"\"]");
	manrs_provenance_list_clear(&l);
	assert_int_equal(l.n, 0);
	manrs_buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_time_iso),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_mtime),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
