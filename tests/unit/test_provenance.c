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

/*
 * The data-time getters on the real files.  Expected values were read
 * independently (bzcat/zcat, grep, sort, bgpdump -m, Python's json).
 */
#define SHARED(rel, var)						\
	char var##_buf[4096];						\
	const char *var = shared_path(rel, var##_buf, sizeof(var##_buf)); \
	if (var == NULL) {						\
		skip();							\
		return;							\
	}

static void
test_asgraph_time(void **state)
{
	SHARED("caida/20210901.as-rel2.txt.bz2", dated);
	SHARED("caida/whole-internet-rel.txt", undated);
	struct manrs_asgraph *g;
	struct manrs_provenance p;
	struct stat st;

	(void)state;
	assert_non_null(g = manrs_asgraph_new(NULL));
	assert_int_equal(manrs_asgraph_load(g, dated, NULL), 0);
	manrs_provenance_init(&p, "asrel", dated);
	manrs_asgraph_provenance(g, &p);
	assert_int_equal(p.time, 1630454400);		/* 2021-09-01 */
	assert_int_equal(p.time_src, MANRS_PROV_TIME_FILENAME);
	assert_int_equal(p.records, 22);
	assert_int_equal(p.skipped, 0);
	/* No date in the name nor a "# source" header: the mtime. */
	assert_int_equal(manrs_asgraph_load(g, undated, NULL), 0);
	manrs_provenance_init(&p, "asrel", undated);
	manrs_asgraph_provenance(g, &p);
	assert_int_equal(stat(undated, &st), 0);
	assert_int_equal(p.time, st.st_mtime);
	assert_int_equal(p.time_src, MANRS_PROV_TIME_MTIME);
	assert_int_equal(p.records, 233860);
	manrs_asgraph_free(g);
}

static void
test_asgraph_header_time(void **state)
{
	static const char text[] =
	    "# source:topology|BGP|20210901|ripe|rrc00\n"
	    "# source:topology|BGP|20210905|ripe|rrc00\n"
	    "# source:topology|BGP|20210903|routeviews|route-views2\n"
	    "1|2|-1\nbad line\n";
	struct manrs_asgraph *g;
	struct manrs_provenance p;
	struct manrs_input *in;
	int err;

	(void)state;
	assert_non_null(g = manrs_asgraph_new(NULL));
	assert_non_null(in = manrs_input_mem(text, sizeof(text) - 1,
	    "asrel.txt", &err));
	assert_int_equal(manrs_asgraph_read(g, in, NULL), 0);
	manrs_input_close(in);
	manrs_provenance_init(&p, "asrel", "asrel.txt");
	manrs_asgraph_provenance(g, &p);
	assert_int_equal(p.time, 1630800000);		/* 2021-09-05 */
	assert_int_equal(p.time_src, MANRS_PROV_TIME_CONTENT);
	assert_string_equal(p.time_field, "# source");
	assert_int_equal(p.records, 1);
	assert_int_equal(p.skipped, 1);
	manrs_asgraph_free(g);
}

static void
test_peeringdb_time(void **state)
{
	SHARED("peeringdb/net/page-1.json", net);
	SHARED("peeringdb/netixlan/page-1.json", ixl);
	struct manrs_peeringdb *db;
	struct manrs_provenance p;

	(void)state;
	assert_non_null(db = manrs_peeringdb_new(NULL));
	assert_int_equal(manrs_peeringdb_load(db, net, NULL), 0);
	manrs_provenance_init(&p, "peeringdb", net);
	manrs_peeringdb_provenance(db, &p);
	assert_int_equal(p.time, 1776244805);	/* 2026-04-15T09:20:05Z */
	assert_string_equal(p.time_field, "updated");
	assert_int_equal(p.records, 250);
	assert_int_equal(manrs_peeringdb_load(db, ixl, NULL), 0);
	manrs_provenance_init(&p, "peeringdb", ixl);
	manrs_peeringdb_provenance(db, &p);
	assert_int_equal(p.time, 1774539700);	/* 2026-03-26T15:41:40Z */
	assert_int_equal(p.records, 250);
	/* Over both files: the newest. */
	assert_int_equal(manrs_peeringdb_updated(db), 1776244805);
	manrs_peeringdb_free(db);
}

static void
test_delegated_time(void **state)
{
	SHARED("iana/delegated-ripencc-extended-latest.gz", path);
	struct manrs_bogon_delegated *d;
	struct manrs_provenance p;
	struct manrs_input *in;
	int err;

	(void)state;
	assert_non_null(d = manrs_bogon_delegated_new(NULL));
	assert_non_null(in = manrs_input_open(path, &err));
	assert_int_equal(manrs_bogon_delegated_read(d, in, NULL), 0);
	manrs_input_close(in);
	manrs_provenance_init(&p, "delegated", path);
	manrs_bogon_delegated_provenance(d, &p);
	/* "2|ripencc|1366322399|111223|19830705|20130418|+0200" */
	assert_int_equal(p.time, 1366243200);
	assert_string_equal(p.time_field, "header");
	assert_int_equal(p.records, 111227);
	assert_int_equal(p.skipped, 0);
	manrs_bogon_delegated_free(d);
}

static void
test_mrt_time(void **state)
{
	SHARED("mrt/updates.20160811.1600.gz", path);
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_record rec;
	struct manrs_provenance p;
	int err, rc;

	(void)state;
	assert_non_null(rd = manrs_mrt_open(path, NULL, &err));
	while ((rc = manrs_mrt_next(rd, &rec)) == 1)
		;
	assert_int_equal(rc, 0);
	manrs_provenance_init(&p, "updates", path);
	manrs_mrt_provenance(rd, &p);
	assert_int_equal(p.first, 1470931200);	/* 2016-08-11T16:00:00Z */
	assert_int_equal(p.last, 1470931499);
	assert_int_equal(p.time, 1470931200);
	assert_string_equal(p.time_field, "first record");
	assert_true(p.records > 0);
	assert_int_equal(p.records, manrs_mrt_records(rd));
	manrs_mrt_close(rd);
}

static void
test_irrdb_time(void **state)
{
	SHARED("irr/ripe-nonauth.db.route.gz", route);
	SHARED("irr/ripe-nonauth.db.aut-num.gz", autnum);
	SHARED("irr/arin-whois-originas.json.bz2", arin);
	static const char changed[] = "route: 192.0.2.0/24\norigin: AS64496\n"
	    "changed: a@example.net 20010203\nchanged: b@example.net 19990101"
	    "\nsource: TEST\n\naut-num: AS64496\nchanged: x 20040506\n"
	    "last-modified: not a time at all\nsource: TEST\n";
	static const char lm[] = "aut-num: AS64497\n"
	    "last-modified: not a time at all\nsource: TEST\n\naut-num: AS64498\n"
	    "last-modified: 2005-01-02T03:04:05Z\nsource: TEST\n";
	struct manrs_irrdb *db;
	struct manrs_provenance p;
	struct manrs_input *in;
	int err, src;

	(void)state;
	assert_non_null(db = manrs_irrdb_new(&err));
	assert_true((src = manrs_irrdb_source_add(db, "RIPE-NONAUTH")) >= 0);
	assert_int_equal(manrs_irrdb_load(db, src, route, NULL), 0);
	manrs_provenance_init(&p, "irr", route);
	manrs_irrdb_provenance(db, &p);
	assert_int_equal(p.time, 1696933344);	/* 2023-10-10T10:22:24Z */
	assert_string_equal(p.time_field, "last-modified");
	assert_true(p.records > 0);
	assert_int_equal(manrs_irrdb_load(db, src, autnum, NULL), 0);
	manrs_provenance_init(&p, "irr", autnum);
	manrs_irrdb_provenance(db, &p);
	assert_int_equal(p.time, 1701201800);	/* 2023-11-28T20:03:20Z */
	/* ARIN's JSON dump: its generation_date (fraction dropped). */
	assert_true((src = manrs_irrdb_source_add(db, "ARIN")) >= 0);
	assert_int_equal(manrs_irrdb_load(db, src, arin, NULL), 0);
	manrs_provenance_init(&p, "irr", arin);
	manrs_irrdb_provenance(db, &p);
	assert_int_equal(p.time, 1664109089);	/* 2022-09-25T12:31:29 */
	assert_string_equal(p.time_field, "generation_date");
	/*
	 * Old dumps: the newest "changed" date (RFC 2622 section 3.1); a
	 * "last-modified" that is not a time does not count.
	 */
	assert_true((src = manrs_irrdb_source_add(db, "TEST")) >= 0);
	assert_non_null(in = manrs_input_mem(changed,
	    sizeof(changed) - 1, "changed.db", &err));
	assert_int_equal(manrs_irrdb_load_input(db, src, in, NULL), 0);
	manrs_input_close(in);
	manrs_provenance_init(&p, "irr", "changed.db");
	manrs_irrdb_provenance(db, &p);
	assert_int_equal(p.time, 1083801600);	/* 2004-05-06 */
	assert_string_equal(p.time_field, "changed");
	assert_int_equal(p.records, 2);
	/* ... nor hides a real one that sorts lower as text. */
	assert_non_null(in = manrs_input_mem(lm, sizeof(lm) - 1, "lm.db",
	    &err));
	assert_int_equal(manrs_irrdb_load_input(db, src, in, NULL), 0);
	manrs_input_close(in);
	manrs_provenance_init(&p, "irr", "lm.db");
	manrs_irrdb_provenance(db, &p);
	assert_int_equal(p.time, 1104635045);	/* 2005-01-02T03:04:05Z */
	assert_string_equal(p.time_field, "last-modified");
	manrs_irrdb_free(db);
}

static void
test_vrp_time(void **state)
{
	SHARED("rpki/json.gz", path);
	static const char csv[] = "ASN,IP Prefix,Max Length,Trust Anchor,"
	    "Expires\nAS64496,192.0.2.0/24,24,t,1600000000\n"
	    "AS64497,198.51.100.0/24,24,t,1700000000\n";
	char cpath[] = "/tmp/test_provenance_vrp.XXXXXX";
	struct timespec ts[2] = { { 1500000000, 0 }, { 1500000000, 0 } };
	struct manrs_vrp_read_opts o;
	struct manrs_vrp_stats b;
	struct manrs_vrp_set *s;
	struct manrs_provenance p;
	int fd;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_non_null(s = manrs_vrp_set_new(NULL));
	/* The prepdev snapshot: built 2023-05-04T14:52:07Z, 424223 ROAs,
	 * every one expired by 2023-05-05T09:06:36Z (1683277596). */
	o.now = 1683211927;
	assert_int_equal(manrs_vrp_read(s, path, &o, NULL), 0);
	manrs_provenance_init(&p, "vrps", path);
	manrs_vrp_provenance(NULL, manrs_vrp_set_stats(s), o.now, &p);
	assert_int_equal(p.time, 1683211927);
	assert_string_equal(p.time_field, "buildtime");
	assert_int_equal(p.in_force, 424223);
	assert_int_equal(p.expired, 0);
	assert_int_equal(p.judged_at, 1683211927);
	/* A CSV read after it: its own counts, dated by its mtime. */
	assert_true((fd = mkstemp(cpath)) >= 0);
	assert_int_equal(write(fd, csv, sizeof(csv) - 1),
	    (ssize_t)sizeof(csv) - 1);
	assert_int_equal(futimens(fd, ts), 0);
	close(fd);
	manrs_vrp_set_free(s);
	assert_non_null(s = manrs_vrp_set_new(NULL));
	b = *manrs_vrp_set_stats(s);
	o.now = 1650000000;
	assert_int_equal(manrs_vrp_read(s, cpath, &o, NULL), 0);
	manrs_provenance_init(&p, "vrps", cpath);
	manrs_vrp_provenance(&b, manrs_vrp_set_stats(s), o.now, &p);
	assert_int_equal(p.time, 1500000000);
	assert_int_equal(p.time_src, MANRS_PROV_TIME_MTIME);
	assert_int_equal(p.in_force, 1);
	assert_int_equal(p.expired, 1);
	assert_int_equal(p.records, 1);
	unlink(cpath);
	manrs_vrp_set_free(s);
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
		cmocka_unit_test(test_asgraph_time),
		cmocka_unit_test(test_asgraph_header_time),
		cmocka_unit_test(test_peeringdb_time),
		cmocka_unit_test(test_delegated_time),
		cmocka_unit_test(test_mrt_time),
		cmocka_unit_test(test_irrdb_time),
		cmocka_unit_test(test_vrp_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
