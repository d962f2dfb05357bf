/*
 * test_irrdb.c - the IRR database: source priority, as-set expansion
 * (nesting, hierarchical names, SOURCE::NAME, loops, depth and size
 * limits, mbrs-by-ref/member-of with the maintainer check), route-set
 * range operators (RFC 2622 section 2), origin and prefix lookups, bad
 * objects skipped with file and line, and the real dumps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <manrs/irrdb.h>

#include "testutil.h"

static const char db_a[] =
    "as-set: AS-TOP\n"
    "members: AS1, AS-MID, AS64500:AS-CUST\n"
    "mp-members: AS2\n"
    "source: A\n"
    "\n"
    "as-set: AS-MID\n"
    "members: AS3, AS-TOP, AS-MISSING, B::AS-ONLYB\n"
    "\n"
    "as-set: AS64500:AS-CUST\n"
    "members: AS4\n"
    "mbrs-by-ref: CUST-MNT\n"
    "\n"
    "as-set: AS-SHARED\n"
    "members: AS10\n"
    "\n"
    "aut-num: AS5\n"
    "member-of: AS64500:AS-CUST\n"
    "mnt-by: CUST-MNT\n"
    "\n"
    "aut-num: AS6\n"
    "member-of: AS64500:AS-CUST\n"
    "mnt-by: OTHER-MNT\n"
    "\n"
    "route: 192.0.2.0/24\n"
    "origin: AS1\n"
    "mnt-by: CUST-MNT\n"
    "member-of: RS-REF\n"
    "\n"
    "route: 192.0.2.0/24\n"
    "origin: AS2\n"
    "\n"
    "route: 192.0.2.128/25\n"
    "origin: AS1\n"
    "\n"
    "route: 10.0.0.0/8\n"
    "origin: AS1\n"
    "\n"
    "route6: 2001:db8::/32\n"
    "origin: AS1\n"
    "\n"
    "route: 198.51.100.1/24\n"
    "origin: AS1\n"
    "\n"
    "route: 203.0.113.0/24\n"
    "\n"
    "route-set: RS-TOP\n"
    "members: 192.0.2.0/24^+, 198.51.100.0/24^-, RS-INNER^24-26\n"
    "mp-members: 2001:db8::/32^48, AS1\n"
    "\n"
    "route-set: RS-INNER\n"
    "members: 203.0.113.0/24, 10.0.0.0/8^16\n"
    "\n"
    "route-set: RS-REF\n"
    "mbrs-by-ref: ANY\n"
    "\n"
    "mntner: CUST-MNT\n"
    "mnt-by: CUST-MNT\n";

static const char db_b[] =
    "as-set: AS-SHARED\n"
    "members: AS20\n"
    "\n"
    "as-set: AS-BTOP\n"
    "members: AS-SHARED\n"
    "\n"
    "as-set: AS-ONLYB\n"
    "members: AS7\n"
    "\n"
    "route: 192.0.2.0/24\n"
    "origin: AS1\n"
    "\n"
    "route: 100.64.0.0/10\n"
    "origin: AS7\n";

struct diags {
	char	msg[16][600];
	int	n;
};

static void
collect(void *arg, const struct manrs_diag *d)
{
	struct diags *ds = arg;

	if (ds->n < 16)
		manrs_diag_format(d, ds->msg[ds->n++], sizeof(ds->msg[0]));
}

static struct diags ds;
static struct manrs_diag_sink sink = { collect, &ds, 0, 0, 0 };

static struct manrs_irrdb *
build(void)
{
	struct manrs_irrdb *db;
	struct manrs_input *in;
	int err, a, b;

	memset(&ds, 0, sizeof(ds));
	db = manrs_irrdb_new(&err);
	assert_non_null(db);
	a = manrs_irrdb_source_add(db, "a");
	b = manrs_irrdb_source_add(db, "B");
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(manrs_irrdb_source_add(db, "A"), MANRS_E_EXIST);
	in = manrs_input_mem(db_a, strlen(db_a), "a.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, a, in, &sink), 0);
	manrs_input_close(in);
	in = manrs_input_mem(db_b, strlen(db_b), "b.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, b, in, &sink), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	return db;
}

/* Origin of the i-th generated route: both 16-bit halves vary. */
static uint32_t
gen_origin(size_t i)
{
	return (uint32_t)((i * 7919) % 97) * 65536u + (uint32_t)(i % 13) + 1;
}

/*
 * The origin index is sorted by a radix sort whose digit width depends
 * on the number of routes (8 bits below 4096, 16 above): both must give
 * every origin exactly its prefixes.
 */
static void
origin_order(size_t n)
{
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	struct manrs_irrdb *db;
	struct manrs_input *in;
	size_t i, j, len = 0, cap = n * 64 + 1, total = 0;
	char *text = malloc(cap);
	bool found;
	int err;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "route: "
		    "10.%zu.%zu.0/24\norigin: AS%u\nsource: A\n\n",
		    i / 256, i % 256, gen_origin(i));
	db = manrs_irrdb_new(&err);
	assert_non_null(db);
	manrs_irrdb_source_add(db, "A");
	in = manrs_input_mem(text, len, "gen.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, 0, in, &sink), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	manrs_irrdb_sel_all(db, &sel);
	for (i = 0; i < n; i++) {
		r.n = 0;
		assert_int_equal(manrs_irrdb_origin_prefixes(db,
		    gen_origin(i), 0, &sel, &r), 0);
		for (found = false, j = 0; j < r.n; j++)
			found |= r.v[j].prefix.addr[1] == i / 256 &&
			    r.v[j].prefix.addr[2] == i % 256;
		assert_true(found);
	}
	for (i = 0; i < 97 * 65536u; i += 65536)
		for (j = 1; j <= 13; j++) {
			r.n = 0;
			manrs_irrdb_origin_prefixes(db, (uint32_t)(i + j), 0,
			    &sel, &r);
			total += r.n;
		}
	assert_int_equal(total, n);
	manrs_irrdb_ranges_clear(&r);
	manrs_irrdb_free(db);
	free(text);
}

static void
test_origin_order(void **state)
{
	(void)state;
	origin_order(300);
	origin_order(6000);
}

static void
asns_str(const struct manrs_irrdb_asns *a, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < a->n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%u", i ? " " : "",
		    a->v[i]);
}

static void
ranges_str(const struct manrs_irrdb_ranges *r, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n && n < size; i++) {
		if (i)
			buf[n++] = ' ';
		n += manrs_irrdb_range_print(&r->v[i], buf + n, size - n);
		buf[n] = '\0';
	}
}

static void
test_load_errors(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_irrdb_stats st;

	(void)state;
	manrs_irrdb_stats(db, &st);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.routes, 7);
	assert_string_equal(ds.msg[0], "a.db: line 41: invalid prefix "
	    "\"198.51.100.1/24\" (RFC 2622 section 4, RFC 4012 section 3); "
	    "route object at line 41 skipped");
	assert_string_equal(ds.msg[1], "a.db: line 44: missing mandatory "
	    "\"origin\" (RFC 2622 section 4); route object at line 44 skipped");
	manrs_irrdb_free(db);
}

static void
test_asset(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_irrdb_asns a = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	char buf[256];
	unsigned flags;

	(void)state;
	manrs_irrdb_sel_all(db, &sel);
	memset(&ds, 0, sizeof(ds));
	assert_int_equal(manrs_irrdb_expand_asset(db, V("as-top"), &sel, NULL,
	    &a, &flags, &sink), 0);
	asns_str(&a, buf, sizeof(buf));
	/* AS5 by member-of (CUST-MNT ok), not AS6 (OTHER-MNT); AS7 pinned */
	assert_string_equal(buf, "1 2 3 4 5 7");
	assert_int_equal(flags, MANRS_IRRDB_F_MISSING | MANRS_IRRDB_F_LOOP);
	assert_int_equal(ds.n, 2);
	assert_string_equal(ds.msg[0], "-: warning: expansion: loop through AS-TOP");
	assert_string_equal(ds.msg[1], "-: warning: expansion: no such set AS-MISSING");
	manrs_irrdb_asns_clear(&a);

	/* Source priority: first source defining the set wins. */
	assert_int_equal(manrs_irrdb_expand_asset(db, V("AS-SHARED"), &sel,
	    NULL, &a, &flags, NULL), 0);
	asns_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "10");
	manrs_irrdb_asns_clear(&a);
	assert_int_equal(manrs_irrdb_sel_parse(db, V("B,A"), &sel, NULL), 0);
	assert_int_equal(manrs_irrdb_expand_asset(db, V("AS-SHARED"), &sel,
	    NULL, &a, &flags, NULL), 0);
	asns_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "20");
	manrs_irrdb_asns_clear(&a);
	/*
	 * IRRd 4: nested sets are looked up in the root set's source first:
	 * AS-BTOP (only in B) -> AS-SHARED from B, although A comes first.
	 */
	manrs_irrdb_sel_all(db, &sel);
	assert_int_equal(manrs_irrdb_expand_asset(db, V("AS-BTOP"), &sel,
	    NULL, &a, &flags, NULL), 0);
	asns_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "20");
	manrs_irrdb_asns_clear(&a);
	assert_int_equal(manrs_irrdb_sel_parse(db, V("B,A"), &sel, NULL), 0);
	/* Pinning overrides the selection. */
	assert_int_equal(manrs_irrdb_expand_asset(db, V("A::AS-SHARED"), &sel,
	    NULL, &a, &flags, NULL), 0);
	asns_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "10");
	manrs_irrdb_asns_clear(&a);
	assert_int_equal(manrs_irrdb_expand_asset(db, V("NOPE::AS-SHARED"),
	    &sel, NULL, &a, &flags, NULL), 0);
	assert_int_equal(flags, MANRS_IRRDB_F_NOTFOUND);
	assert_int_equal(a.n, 0);
	manrs_irrdb_free(db);
}

static void
test_limits(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_irrdb_asns a = { NULL, 0, 0 };
	struct manrs_irrdb_limits lim = { 1, 0, 0, 0 };
	struct manrs_irrdb_sel sel;
	char buf[256];
	unsigned flags;

	(void)state;
	manrs_irrdb_sel_all(db, &sel);
	assert_int_equal(manrs_irrdb_expand_asset(db, V("AS-TOP"), &sel, &lim,
	    &a, &flags, NULL), 0);
	asns_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "1 2");
	assert_true(flags & MANRS_IRRDB_F_DEPTH);
	manrs_irrdb_asns_clear(&a);
	lim.max_depth = 0;
	lim.max_asns = 3;
	assert_int_equal(manrs_irrdb_expand_asset(db, V("AS-TOP"), &sel, &lim,
	    &a, &flags, NULL), 0);
	assert_int_equal(a.n, 3);
	assert_true(flags & MANRS_IRRDB_F_SIZE);
	manrs_irrdb_asns_clear(&a);
	manrs_irrdb_free(db);
}

static void
test_routeset(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	char buf[512];
	unsigned flags;

	(void)state;
	manrs_irrdb_sel_all(db, &sel);
	assert_int_equal(manrs_irrdb_expand_routeset(db, V("RS-TOP"), &sel, 0,
	    NULL, &r, &flags, NULL), 0);
	ranges_str(&r, buf, sizeof(buf));
	/*
	 * RS-INNER^24-26: 203.0.113.0/24 -> ^24-26; 10.0.0.0/8^16 narrowed
	 * by 24-26 is empty, so dropped.  AS1: its routes, both families.
	 */
	assert_string_equal(buf, "10.0.0.0/8 192.0.2.0/24 192.0.2.0/24^+ "
	    "192.0.2.128/25 198.51.100.0/24^- 203.0.113.0/24^24-26 "
	    "2001:db8::/32 2001:db8::/32^48");
	assert_int_equal(flags, 0);
	manrs_irrdb_ranges_clear(&r);
	assert_int_equal(manrs_irrdb_expand_routeset(db, V("RS-TOP"), &sel,
	    MANRS_AF_INET6, NULL, &r, &flags, NULL), 0);
	ranges_str(&r, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::/32 2001:db8::/32^48");
	manrs_irrdb_ranges_clear(&r);
	/* mbrs-by-ref: ANY */
	assert_int_equal(manrs_irrdb_expand_routeset(db, V("RS-REF"), &sel, 0,
	    NULL, &r, &flags, NULL), 0);
	ranges_str(&r, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.0/24");
	manrs_irrdb_ranges_clear(&r);
	manrs_irrdb_free(db);
}

static void
test_range_syntax(void **state)
{
	struct manrs_prefix_range r;
	char buf[64];

	(void)state;
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^-"), &r), 0);
	assert_int_equal(r.min, 9);
	assert_int_equal(r.max, 32);
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^+"), &r), 0);
	assert_int_equal(r.min, 8);
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^24"), &r), 0);
	manrs_irrdb_range_print(&r, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8^24");
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^16-24"), &r),
	    0);
	manrs_irrdb_range_print(&r, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8^16-24");
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^4"), &r),
	    MANRS_E_RANGE);
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^33"), &r),
	    MANRS_E_RANGE);
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^24-16"), &r),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_irrdb_range_parse(V("10.0.0.0/8^x"), &r),
	    MANRS_E_SYNTAX);
}

static int
count_cb(const struct manrs_irrdb_objinfo *o, void *arg)
{
	(void)o;
	(*(int *)arg)++;
	return 0;
}

static void
test_lookups(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	struct manrs_prefix p;
	char buf[256];
	int n;

	(void)state;
	manrs_irrdb_sel_all(db, &sel);
	assert_int_equal(manrs_irrdb_origin_prefixes(db, 1, MANRS_AF_INET,
	    &sel, &r), 0);
	manrs_irrdb_ranges_sort(&r);
	ranges_str(&r, buf, sizeof(buf));
	/* 192.0.2.0/24 from both sources, once */
	assert_string_equal(buf, "10.0.0.0/8 192.0.2.0/24 192.0.2.128/25");
	manrs_irrdb_ranges_clear(&r);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/24"), 0, &p), 0);
	n = 0;
	manrs_irrdb_find_route(db, &p, MANRS_IRRDB_EXACT, &sel, count_cb, &n);
	assert_int_equal(n, 3);
	n = 0;
	manrs_irrdb_find_route(db, &p, MANRS_IRRDB_MORE, &sel, count_cb, &n);
	assert_int_equal(n, 1);
	n = 0;
	manrs_irrdb_find_route(db, &p, MANRS_IRRDB_LESS1, &sel, count_cb, &n);
	assert_int_equal(n, 0);
	assert_int_equal(manrs_prefix_parse(V("192.0.2.128/25"), 0, &p), 0);
	n = 0;
	manrs_irrdb_find_route(db, &p, MANRS_IRRDB_LESS1, &sel, count_cb, &n);
	assert_int_equal(n, 3);
	n = 0;
	manrs_irrdb_find_route(db, &p, MANRS_IRRDB_LESS, &sel, count_cb, &n);
	assert_int_equal(n, 4);
	n = 0;
	manrs_irrdb_find_key(db, MANRS_RPSL_ROUTE, V("192.0.2.0/24AS2"), &sel,
	    count_cb, &n);
	assert_int_equal(n, 1);
	n = 0;
	manrs_irrdb_find_key(db, MANRS_RPSL_AUT_NUM, V("as5"), &sel, count_cb,
	    &n);
	assert_int_equal(n, 1);
	n = 0;
	manrs_irrdb_find_mntby(db, V("cust-mnt"), &sel, count_cb, &n);
	assert_int_equal(n, 3);
	n = 0;
	manrs_irrdb_find_member_of(db, V("AS64500:AS-CUST"), &sel, count_cb,
	    &n);
	assert_int_equal(n, 2);
	n = 0;
	manrs_irrdb_find_origin(db, 1, &sel, count_cb, &n);
	assert_int_equal(n, 5);
	manrs_irrdb_free(db);
}

static void
test_real(void **state)
{
	char p1[4096], p2[4096], p3[4096], p4[4096];
	struct manrs_irrdb *db;
	struct manrs_irrdb_stats st;
	struct manrs_irrdb_asns a = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	struct manrs_diag_sink quiet;
	unsigned flags;
	int err, s;

	(void)state;
	if (shared_path("irr/ripe.db.as-set.gz", p1, sizeof(p1)) == NULL ||
	    shared_path("irr/ripe-nonauth.db.route.gz", p2, sizeof(p2)) ==
	    NULL || shared_path("irr/ripe-nonauth.db.aut-num.gz", p3,
	    sizeof(p3)) == NULL || shared_path(
	    "irr/arin-whois-originas.json.bz2", p4, sizeof(p4)) == NULL)
		skip();
	memset(&quiet, 0, sizeof(quiet));
	db = manrs_irrdb_new(&err);
	s = manrs_irrdb_source_add(db, "RIPE");
	assert_int_equal(manrs_irrdb_load(db, s, p1, &quiet), 0);
	s = manrs_irrdb_source_add(db, "RIPE-NONAUTH");
	assert_int_equal(manrs_irrdb_load(db, s, p2, &quiet), 0);
	assert_int_equal(manrs_irrdb_load(db, s, p3, &quiet), 0);
	s = manrs_irrdb_source_add(db, "ARIN-WHOIS");
	assert_int_equal(manrs_irrdb_load(db, s, p4, &quiet), 0);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	manrs_irrdb_stats(db, &st);
	/* PROVENANCE.md counts */
	assert_int_equal(st.per_class[MANRS_RPSL_AS_SET], 25174);
	assert_int_equal(st.per_class[MANRS_RPSL_AUT_NUM], 2109);
	assert_true(st.routes > 52082);
	assert_int_equal(st.skipped, 0);
	manrs_irrdb_sel_all(db, &sel);
	assert_int_equal(manrs_irrdb_expand_asset(db, V("AS-RESTENA"), &sel,
	    NULL, &a, &flags, NULL), 0);
	assert_int_equal(a.n, 5);
	assert_int_equal(a.v[0], 2602);
	manrs_irrdb_asns_clear(&a);
	manrs_irrdb_free(db);
}

/* Every diagnostic, formatted, one after another. */
static void
collect_all(void *arg, const struct manrs_diag *d)
{
	struct manrs_buf *b = arg;
	char line[700];

	manrs_diag_format(d, line, sizeof(line));
	manrs_buf_printf(b, "%s\n", line);
}

/* Load text into a fresh db, read ahead or not: stats, diagnostics. */
static struct manrs_irrdb *
load_text(const char *text, size_t len, bool ahead, struct manrs_buf *diag,
    struct manrs_irrdb_stats *st)
{
	struct manrs_diag_sink all = { collect_all, diag, 0, 0, 0 };
	struct manrs_irrdb *db;
	struct manrs_input *in;
	int err;

	db = manrs_irrdb_new(&err);
	assert_non_null(db);
	manrs_irrdb_set_read_ahead(db, ahead);
	assert_int_equal(manrs_irrdb_source_add(db, "A"), 0);
	in = manrs_input_mem(text, len, "gen.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, 0, in, &all), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	manrs_irrdb_stats(db, st);
	return db;
}

/*
 * manrs_irrdb_set_read_ahead: the same database and the same
 * diagnostics in the same order as one thread, over many batches, with
 * bad objects (reader and database problems) spread through them.
 */
static void
test_read_ahead(void **state)
{
	struct manrs_irrdb_ranges r1 = { NULL, 0, 0 }, r2 = { NULL, 0, 0 };
	struct manrs_irrdb_stats s1, s2;
	struct manrs_irrdb_sel sel;
	struct manrs_irrdb *d1, *d2;
	struct manrs_buf g1, g2;
	size_t i, len = 0, n = 30000, cap = n * 96 + 64;
	char *text = malloc(cap);
	uint32_t o;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < n; i++) {
		if (i % 997 == 5)	/* a bad prefix: skipped by the db */
			len += (size_t)snprintf(text + len, cap - len,
			    "route: 10.%zu.%zu.1/24\norigin: AS%zu\n\n",
			    i / 256 % 256, i % 256, i % 50 + 1);
		else if (i % 1499 == 7)	/* no origin */
			len += (size_t)snprintf(text + len, cap - len,
			    "route: 10.%zu.%zu.0/24\n\n", i / 256 % 256,
			    i % 256);
		else if (i % 2003 == 9)	/* not RPSL: the reader skips it */
			len += (size_t)snprintf(text + len, cap - len,
			    "this is not an attribute\n\n");
		else
			len += (size_t)snprintf(text + len, cap - len,
			    "route: 10.%zu.%zu.0/24\norigin: AS%zu\n"
			    "last-modified: 2023-01-%02zuT00:00:00Z\n\n",
			    i / 256 % 256, i % 256, i % 50 + 1, i % 28 + 1);
	}
	/* the last object without its final newline */
	len += (size_t)snprintf(text + len, cap - len,
	    "route: 192.0.2.0/24\norigin: AS7");
	manrs_buf_init(&g1, 0);
	manrs_buf_init(&g2, 0);
	d1 = load_text(text, len, false, &g1, &s1);
	d2 = load_text(text, len, true, &g2, &s2);
	assert_true(s1.objects > n / 2);
	assert_true(s1.skipped > 40);
	assert_int_equal(s1.objects, s2.objects);
	assert_int_equal(s1.routes, s2.routes);
	assert_int_equal(s1.skipped, s2.skipped);
	assert_true(g1.len > 1000);
	assert_int_equal(g1.len, g2.len);
	assert_memory_equal(g1.p, g2.p, g1.len);
	manrs_irrdb_sel_all(d1, &sel);
	for (o = 1; o <= 50; o++) {
		r1.n = r2.n = 0;
		manrs_irrdb_origin_prefixes(d1, o, 0, &sel, &r1);
		manrs_irrdb_origin_prefixes(d2, o, 0, &sel, &r2);
		assert_true(r1.n > 0);
		assert_int_equal(r1.n, r2.n);
		assert_memory_equal(r1.v, r2.v, r1.n * sizeof(*r1.v));
	}
	manrs_irrdb_ranges_clear(&r1);
	manrs_irrdb_ranges_clear(&r2);
	manrs_buf_clear(&g1);
	manrs_buf_clear(&g2);
	manrs_irrdb_free(d1);
	manrs_irrdb_free(d2);
	free(text);
}

/* The ARIN origin-AS JSON: entries, bad entries, truncated file. */
static void
test_json(void **state)
{
	static const char good[] = "{\"whois_records\": {\"v4\": ["
	    "{\"prefix\": \"192.0.2.0/24\", \"originas\": \"AS1 AS2\"}, "
	    "{\"prefix\": \"x\"}, "
	    "{\"prefix\": \"300.0.0.0/8\", \"originas\": \"AS3\"}], "
	    "\"v6\": [{\"prefix\": \"2001:db8::/32\", \"originas\": "
	    "\"AS4\", \"name\": \"NET6\"}]}}";
	static const char cut[] = "{\"whois_records\": {\"v4\": [{";
	char path[] = "/tmp/test_irrdb_XXXXXX";
	struct manrs_irrdb *db;
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	struct manrs_irrdb_stats st;
	FILE *fp;
	int fd, err, s;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(good, fp);
	fclose(fp);
	memset(&ds, 0, sizeof(ds));
	db = manrs_irrdb_new(&err);
	s = manrs_irrdb_source_add(db, "ARIN-WHOIS");
	assert_int_equal(manrs_irrdb_load(db, s, path, &sink), 0);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	manrs_irrdb_stats(db, &st);
	assert_int_equal(st.routes, 3);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(ds.n, 2);
	assert_non_null(strstr(ds.msg[0], ": byte "));
	assert_non_null(strstr(ds.msg[0], "whois_records.v4[1]: missing "
	    "\"prefix\" or \"originas\"; skipped"));
	assert_non_null(strstr(ds.msg[1], "whois_records.v4[2]: invalid "
	    "prefix \"300.0.0.0/8\"; skipped"));
	manrs_irrdb_sel_all(db, &sel);
	manrs_irrdb_origin_prefixes(db, 2, 0, &sel, &r);
	assert_int_equal(r.n, 1);
	manrs_irrdb_ranges_clear(&r);
	manrs_irrdb_origin_prefixes(db, 4, MANRS_AF_INET6, &sel, &r);
	assert_int_equal(r.n, 1);
	manrs_irrdb_ranges_clear(&r);
	manrs_irrdb_free(db);

	fp = fopen(path, "w");
	fputs(cut, fp);
	fclose(fp);
	memset(&ds, 0, sizeof(ds));
	db = manrs_irrdb_new(&err);
	s = manrs_irrdb_source_add(db, "ARIN-WHOIS");
	assert_int_equal(manrs_irrdb_load(db, s, path, &sink),
	    MANRS_E_SYNTAX);
	assert_int_equal(ds.n, 1);
	assert_non_null(strstr(ds.msg[0], "invalid JSON: parse error: "
	    "premature EOF"));
	manrs_irrdb_free(db);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_asset),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_routeset),
		cmocka_unit_test(test_range_syntax),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_origin_order),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_read_ahead),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
