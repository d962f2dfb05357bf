/*
 * test_whois.c - the IRRd query engine, byte for byte: IRRd framing
 * ("A<len>", "C", "D", "F"), pipelining, "!!" and single-command mode,
 * source selection, RIPE-style queries, and hostile input (over-long
 * lines, pending-input limit, garbage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/whois.h>

#include "testutil.h"

static const char db_text[] =
    "as-set: AS-TOP\n"
    "members: AS1, AS-MID\n"
    "\n"
    "as-set: AS-MID\n"
    "members: AS3, AS-TOP\n"
    "\n"
    "route: 192.0.2.0/24\n"
    "origin: AS1\n"
    "mnt-by: X-MNT\n"
    "\n"
    "route: 192.0.2.0/25\n"
    "origin: AS3\n"
    "\n"
    "route6: 2001:db8::/32\n"
    "origin: AS1\n"
    "\n"
    "route-set: RS-A\n"
    "members: 10.0.0.0/8^16-24, AS3\n";

static const char db2_text[] =
    "route: 198.51.100.0/24\n"
    "origin: AS1\n";

static struct manrs_irrdb *
build(void)
{
	struct manrs_irrdb *db;
	struct manrs_input *in;
	int err;

	db = manrs_irrdb_new(&err);
	assert_int_equal(manrs_irrdb_source_add(db, "TEST"), 0);
	assert_int_equal(manrs_irrdb_source_add(db, "TWO"), 1);
	in = manrs_input_mem(db_text, strlen(db_text), "t.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, 0, in, NULL), 0);
	manrs_input_close(in);
	in = manrs_input_mem(db2_text, strlen(db2_text), "t2.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, 1, in, NULL), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	return db;
}

/* Feed q, run to completion, return the output (static). */
static const char *
run(struct manrs_irrdb *db, struct manrs_whois_session *s, const char *q)
{
	static struct manrs_buf out;
	static char text[65536];

	manrs_buf_init(&out, 0);
	assert_int_equal(manrs_whois_input(s, q, strlen(q)), 0);
	while (manrs_whois_step(s, db, &out) == 1)
		;
	assert_true(out.len < sizeof(text));
	if (out.len > 0)
		memcpy(text, out.p, out.len);
	text[out.len] = '\0';
	manrs_buf_clear(&out);
	return text;
}

static void
test_irrd_queries(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_whois_session *s;
	int err;

	(void)state;
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s,
	    "!!\n!nbgpq4 1.9\n!a\n!s-lc\n!gAS1\n!gas1\n!6AS1\n!gAS9\n"
	    "!iAS-TOP\n!iAS-TOP,1\n!iAS-NONE,1\n!iRS-A,1\n!a4AS-TOP\n"
	    "!aAS-TOP\n!a4AS-NONE\n"),
	    "C\n"
	    "F Missing required set name for A query\n"
	    "A9\nTEST,TWO\nC\n"
	    "A29\n192.0.2.0/24 198.51.100.0/24\nC\n"
	    "A29\n192.0.2.0/24 198.51.100.0/24\nC\n"
	    "A14\n2001:db8::/32\nC\n"
	    "C\n"
	    "A11\nAS1 AS-MID\nC\n"
	    "A8\nAS1 AS3\nC\n"
	    "D\n"
	    "A30\n10.0.0.0/8^16-24 192.0.2.0/25\nC\n"
	    "A42\n192.0.2.0/24 192.0.2.0/25 198.51.100.0/24\nC\n"
	    "A56\n192.0.2.0/24 192.0.2.0/25 198.51.100.0/24 2001:db8::/32\n"
	    "C\n"
	    "D\n");
	/* Source selection and objects. */
	assert_string_equal(run(db, s, "!sTWO\n!gAS1\n!sTEST,NOPE\n!s-lc\n"
	    "!sTEST\n!mroute,192.0.2.0/24AS1\n!mfoo,x\n!maut-num,AS9\n"
	    "!r192.0.2.0/25,o\n!r192.0.2.0/25,l\n!r10.0.0.0/8\n!oX-MNT\n"
	    "!t30\n!t0\n!j-*\n!zz\n!fno-rpki-filter\n"),
	    "C\n"
	    "A16\n198.51.100.0/24\nC\n"
	    "F Unknown source NOPE\n"
	    "A4\nTWO\nC\n"
	    "C\n"
	    "A46\nroute: 192.0.2.0/24\norigin: AS1\nmnt-by: X-MNT\nC\n"
	    "F Unknown object class foo\n"
	    "D\n"
	    "A4\nAS3\nC\n"
	    "A46\nroute: 192.0.2.0/24\norigin: AS1\nmnt-by: X-MNT\nC\n"
	    "D\n"
	    "A46\nroute: 192.0.2.0/24\norigin: AS1\nmnt-by: X-MNT\nC\n"
	    "C\n"
	    "F Invalid timeout 0\n"
	    "A21\nTEST:N:0-0\nTWO:N:0-0\nC\n"
	    "F Unrecognized command zz\n"
	    "C\n");
	assert_int_equal(manrs_whois_timeout(s), 30);
	assert_true(manrs_whois_rpki_filter_off(s));
	assert_false(manrs_whois_closing(s));
	assert_string_equal(run(db, s, "!q\n!gAS1\n"), "");
	assert_true(manrs_whois_closing(s));
	manrs_whois_session_free(s);
	manrs_irrdb_free(db);
}

static void
test_single_command(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_whois_session *s;
	int err;

	(void)state;
	/* Without "!!", IRRd answers one query and closes. */
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s, "!gAS3\n!gAS1\n"),
	    "A13\n192.0.2.0/25\nC\n");
	assert_true(manrs_whois_closing(s));
	manrs_whois_session_free(s);
	manrs_irrdb_free(db);
}

static void
test_ripe(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_whois_session *s;
	int err;

	(void)state;
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s,
	    "-k\n-i origin AS3\n-x 10.0.0.0/8\n-K -T route6 -i origin AS1\n"
	    "-s TWO -M 0.0.0.0/0\n-i origin AS1\n-a -l 192.0.2.0/25\n-Q\n"
	    "-V bgpq4 as-top\n-s NOPE AS1\n\n"),
	    "route: 192.0.2.0/25\norigin: AS3\n\n"
	    "%  No entries found for the selected source(s).\n\n"
	    "route6: 2001:db8::/32\norigin: AS1\n\n"
	    "route: 198.51.100.0/24\norigin: AS1\n\n"
	    /* -s persists (IRRd) */
	    "route: 198.51.100.0/24\norigin: AS1\n\n"
	    "route: 192.0.2.0/24\norigin: AS1\nmnt-by: X-MNT\n\n"
	    "%% ERROR: unsupported flag -Q\n\n"
	    "as-set: AS-TOP\nmembers: AS1, AS-MID\n\n"
	    "%% ERROR: unknown source NOPE\n\n");
	assert_false(manrs_whois_closing(s));
	/* "-k" again ends the persistent connection. */
	assert_string_equal(run(db, s, "-k\nAS-MID\n"), "");
	assert_true(manrs_whois_closing(s));
	manrs_whois_session_free(s);
	/* Without -k: one answer, then close. */
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s, "AS-MID\nAS-TOP\n"),
	    "as-set: AS-MID\nmembers: AS3, AS-TOP\n\n");
	assert_true(manrs_whois_closing(s));
	manrs_whois_session_free(s);
	manrs_irrdb_free(db);
}

static void
test_hostile(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_whois_session *s;
	char *big = malloc(MANRS_WHOIS_PENDING_MAX + 1);
	int err;

	(void)state;
	/* An over-long line is refused and the session closes. */
	s = manrs_whois_session_new(&err);
	memset(big, 'x', MANRS_WHOIS_LINE_MAX + 1);
	big[MANRS_WHOIS_LINE_MAX + 1] = '\0';
	assert_string_equal(run(db, s, big),
	    "F query line longer than MANRS_WHOIS_LINE_MAX\n");
	assert_true(manrs_whois_closing(s));
	manrs_whois_session_free(s);
	/* Pending input is capped. */
	s = manrs_whois_session_new(&err);
	memset(big, 'x', MANRS_WHOIS_PENDING_MAX);
	assert_int_equal(manrs_whois_input(s, big, MANRS_WHOIS_PENDING_MAX),
	    0);
	assert_int_equal(manrs_whois_input(s, "y", 1), MANRS_E_LIMIT);
	manrs_whois_session_free(s);
	/* Garbage and control bytes: errors, never echoed raw. */
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s, "!!\n!\n!g\x01\x02\n!r300.1.1.1/8\n"
	    "!i,1\n!a6\n!mroute\n\r\n"),
	    "F Missing command\n"
	    "F Invalid AS number ??\n"
	    "F Invalid prefix 300.1.1.1/8\n"
	    "F Missing required set name\n"
	    "F Missing required set name for A query\n"
	    "F Invalid !m query, expected !mCLASS,KEY: route\n");
	manrs_whois_session_free(s);
	/* 10k pipelined queries answered in order. */
	s = manrs_whois_session_new(&err);
	{
		struct manrs_buf out;
		int i, n = 0;	/* answers checked */

		manrs_buf_init(&out, 0);
		manrs_whois_input(s, "!!\n", 3);
		for (i = 0; i < 10000; i++) {
			const char *q = i % 2 ? "!gAS3\n" : "!gAS9\n";

			if (manrs_whois_input(s, q, 6) != 0) {
				while (manrs_whois_step(s, db, &out) == 1)
					;
				assert_int_equal(manrs_whois_input(s, q, 6), 0);
			}
		}
		while (manrs_whois_step(s, db, &out) == 1)
			;
		for (size_t k = 0; k < out.len; n++) {
			if (n % 2) {
				assert_memory_equal(out.p + k,
				    "A13\n192.0.2.0/25\nC\n", 19);
				k += 19;
			} else {
				assert_memory_equal(out.p + k, "C\n", 2);
				k += 2;
			}
		}
		assert_int_equal(n, 10000);
		assert_int_equal(manrs_whois_queries(s), 10001);
		manrs_buf_clear(&out);
	}
	manrs_whois_session_free(s);
	free(big);
	manrs_irrdb_free(db);
}

/* RPKI-aware mode: invalid route objects hidden unless !fno-rpki-filter. */
static void
test_rpki(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_whois_session *s;
	struct manrs_vrp_set *vrps = manrs_vrp_set_new(NULL);
	struct manrs_vrp v;
	uint64_t n;
	int err;

	(void)state;
	memset(&v, 0, sizeof(v));
	/* 192.0.2.0/24-24 AS3: AS1's /24 invalid (AS), AS3's /25 (ML). */
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/24"), 0, &v.prefix),
	    0);
	v.maxlen = 24;
	v.asn = 3;
	assert_int_equal(manrs_vrp_add(vrps, &v), 0);
	assert_int_equal(manrs_vrp_set_finish(vrps), 0);
	assert_int_equal(manrs_irrdb_rpki_apply(db, vrps, &n), 0);
	manrs_vrp_set_free(vrps);
	assert_int_equal(n, 2);
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s, "!!\n!gAS1\n!gAS3\n!a4AS-TOP\n"
	    "!r192.0.2.0/24\n!r192.0.2.0/24,M\n"),
	    "A16\n198.51.100.0/24\nC\n"
	    "C\n"
	    "A16\n198.51.100.0/24\nC\n"
	    "D\n"
	    "D\n");
	assert_string_equal(run(db, s, "-k\n-i origin AS3\n-k\n"),
	    "%  No entries found for the selected source(s).\n\n");
	manrs_whois_session_free(s);
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s, "!!\n!fno-rpki-filter\n!gAS1\n"
	    "!gAS3\n-k\n-s TEST -i origin AS3\n"),
	    "C\n"
	    "A29\n192.0.2.0/24 198.51.100.0/24\nC\n"
	    "A13\n192.0.2.0/25\nC\n"
	    "route: 192.0.2.0/25\norigin: AS3\n\n");
	manrs_whois_session_free(s);
	manrs_irrdb_free(db);
}

/*
 * The resumable form (prepare + emit in chunks of any size, over a
 * reference-counted snapshot with its expansion cache) gives the same
 * bytes as step(), and the snapshot outlives its last unref by the
 * server while an answer still points into it.
 */
static const char *const stream_queries =
    "!!\n!gAS1\n!aAS-TOP\n!iAS-TOP,1\n!iRS-A,1\n!aAS-TOP\n!iAS-TOP,1\n"
    "!r0.0.0.0/0,M\n!oX-MNT\n!mroute,192.0.2.0/24AS1\n!a4AS-NONE\n"
    "!r192.0.2.0/25,o\n-k\n-i origin AS1\n-K -M 0.0.0.0/0\n"
    "-T route -i origin AS3\nAS-TOP\n-x 10.0.0.0/8\n!v\n";

static char *
stream(struct manrs_whois_db *w, const char *q, size_t chunk, bool unref)
{
	struct manrs_whois_session *s;
	struct manrs_buf out;
	char *text;
	int err, rc, e;

	manrs_buf_init(&out, 0);
	s = manrs_whois_session_new(&err);
	assert_non_null(s);
	assert_int_equal(manrs_whois_input(s, q, strlen(q)), 0);
	while ((rc = manrs_whois_prepare(s, w)) == 1) {
		if (unref)	/* the server swaps snapshots mid-answer */
			manrs_whois_db_unref(w);
		while ((e = manrs_whois_emit(s, &out, chunk)) == 1)
			;
		assert_int_equal(e, 0);
		assert_false(manrs_whois_answering(s));
		if (unref) {	/* w is gone with the answer */
			rc = 0;
			break;
		}
	}
	assert_int_equal(rc, 0);
	manrs_whois_session_free(s);
	manrs_buf_put_u8(&out, 0);
	text = strdup((char *)out.p);
	manrs_buf_clear(&out);
	return text;
}

static void
test_stream(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 1000, SIZE_MAX };
	struct manrs_irrdb *db = build();
	struct manrs_whois_session *s;
	struct manrs_whois_db *w;
	struct manrs_whois_db_stats st;
	struct manrs_buf t;
	const char *want;
	char *ref, *got;
	size_t i;
	int err;

	(void)state;
	s = manrs_whois_session_new(&err);
	ref = strdup(run(db, s, stream_queries));
	manrs_whois_session_free(s);
	assert_non_null(strstr(ref, "A56\n192.0.2.0/24 192.0.2.0/25 "));
	w = manrs_whois_db_new(db, 1 << 20, &err);
	assert_non_null(w);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		got = stream(w, stream_queries, chunks[i], false);
		assert_string_equal(got, ref);
		free(got);
	}
	/* Expansions after the first pass come from the cache. */
	manrs_whois_db_stats(w, &st);
	assert_true(st.cache_hits >= 2 * 7);
	assert_true(st.cache_entries >= 3);
	manrs_buf_init(&t, 0);
	s = manrs_whois_session_new(&err);
	manrs_whois_input(s, "!!\n", 3);
	assert_false(manrs_whois_cached(s, w));
	manrs_whois_input(s, "!aAS-TOP\n", 9);
	assert_int_equal(manrs_whois_prepare(s, w), 1);	/* "!!" */
	assert_int_equal(manrs_whois_emit(s, &t, 10), 0);	/* nothing */
	assert_int_equal(t.len, 0);
	assert_true(manrs_whois_cached(s, w));
	assert_int_equal(manrs_whois_prepare(s, w), 1);
	while (manrs_whois_answering(s)) {
		struct manrs_buf b;

		manrs_buf_init(&b, 0);
		manrs_whois_emit(s, &b, 10);
		manrs_buf_clear(&b);
	}
	manrs_whois_input(s, "!a4AS-TOP\n!gAS1\n", 16);
	assert_false(manrs_whois_cached(s, w));	/* never asked */
	manrs_whois_session_free(s);
	/*
	 * The key is the query as parsed: "!a\f4RS-A" asks for a set named
	 * "4RS-A" (none), not for RS-A's IPv4 prefixes (fuzzer find).
	 */
	got = stream(w, "!!\n!a4RS-A\n!a\f4RS-A\n!a6RS-A\n", 5, false);
	assert_string_equal(got, "A30\n10.0.0.0/8^16-24 192.0.2.0/25\nC\n"
	    "D\nC\n");
	free(got);
	manrs_whois_db_unref(w);
	/* No cache: same answers. */
	db = build();
	w = manrs_whois_db_new(db, 0, &err);
	got = stream(w, stream_queries, 5, false);
	assert_string_equal(got, ref);
	free(got);
	/*
	 * The server drops its reference while an object answer is being
	 * sent: the snapshot lives until the answer is out (ASan checks).
	 */
	got = stream(w, "!r0.0.0.0/0,M\n", 3, true);
	assert_int_equal(strncmp(got, strstr(ref, "A115\n"), strlen(got)), 0);
	assert_int_equal(strlen(got), 4 + 1 + 115 + 2);
	free(got);
	free(ref);
	/* Cost classes and kinds for the daemon. */
	s = manrs_whois_session_new(&err);
	want = "!aAS-X\n";
	manrs_whois_input(s, want, strlen(want));
	assert_int_equal(manrs_whois_peek(s, &want), 2);
	assert_string_equal(want, "!a");
	manrs_whois_session_free(s);
	s = manrs_whois_session_new(&err);
	manrs_whois_input(s, "!gAS1\n", 6);
	assert_int_equal(manrs_whois_peek(s, &want), 1);
	assert_string_equal(want, "!g");
	manrs_whois_session_free(s);
	s = manrs_whois_session_new(&err);
	manrs_whois_input(s, "!gAS1", 5);
	assert_int_equal(manrs_whois_peek(s, &want), 0);
	manrs_whois_session_free(s);
}

/* A chain deeper than the expansion limit: "F", never a partial list. */
static void
test_depth_limit(void **state)
{
	struct manrs_buf t;
	struct manrs_irrdb *db;
	struct manrs_input *in;
	struct manrs_whois_session *s;
	int err, i;

	(void)state;
	manrs_buf_init(&t, 0);
	for (i = 0; i < 70; i++)
		manrs_buf_printf(&t, "as-set: AS-D%d\nmembers: AS-D%d\n\n", i,
		    i + 1);
	manrs_buf_puts(&t, "as-set: AS-D70\nmembers: AS65001\n\n"
	    "as-set: AS-OK\nmembers: AS-D60\n\n"
	    "route: 192.0.2.0/24\norigin: AS65001\n");
	db = manrs_irrdb_new(&err);
	manrs_irrdb_source_add(db, "TEST");
	in = manrs_input_mem(t.p, t.len, "deep.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, 0, in, NULL), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	s = manrs_whois_session_new(&err);
	assert_string_equal(run(db, s, "!!\n!iAS-D0,1\n!aAS-D0\n!aAS-OK\n"),
	    "F Expansion of AS-D0 incomplete: sets nested deeper than 64 "
	    "levels (cut at AS-D64)\n"
	    "F Expansion of AS-D0 incomplete: sets nested deeper than 64 "
	    "levels (cut at AS-D64)\n"
	    "A13\n192.0.2.0/24\nC\n");
	manrs_whois_session_free(s);
	manrs_irrdb_free(db);
	manrs_buf_clear(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_irrd_queries),
		cmocka_unit_test(test_single_command),
		cmocka_unit_test(test_ripe),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_rpki),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_depth_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
