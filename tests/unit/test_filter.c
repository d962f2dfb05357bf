/*
 * test_filter.c - the filter job (manrs/filter.h) on a small hand-made
 * IRR database: expansion (recursive, -L, EXCEPT, loops), bogon prefixes
 * and ASNs removed with their events, RPKI drop and add, route-set
 * ranges ("p^n" ignored as bgpq4 1.9 does, a range past the bound
 * refused), the gates (empty, beacon, change against a previous list),
 * --explain chains, AS-path generations, and the lookup interface (a
 * remote-style data source) giving the same bytes as the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char db_text[] =
"as-set:  AS-TOP\n"
"members: AS196615, AS196616, AS-SUB\n"
"source:  T\n"
"\n"
"as-set:  AS-SUB\n"
"members: AS196617, AS-TOP, AS23456, AS64512\n"
"source:  T\n"
"\n"
"as-set:  AS-BOGONONLY\n"
"members: AS23456\n"
"source:  T\n"
"\n"
"route-set: RS-R\n"
"members: 185.2.0.0/23^24, 185.3.0.0/22^23-24, 185.9.0.0/24\n"
"source:  T\n"
"\n"
"route-set: RS-HUGE\n"
"members: 11.0.0.0/8^+\n"
"source:  T\n"
"\n"
"route:   193.0.0.0/22\norigin:  AS196615\nsource:  T\n\n"
"route:   193.0.4.0/22\norigin:  AS196615\nsource:  T\n\n"
"route:   193.0.4.0/23\norigin:  AS196615\nsource:  T\n\n"
"route:   192.0.2.0/24\norigin:  AS196616\nsource:  T\n\n"
"route:   194.1.0.0/24\norigin:  AS196616\nsource:  T\n\n"
"route:   185.1.0.0/24\norigin:  AS196617\nsource:  T\n\n"
"route:   100.1.0.0/16\norigin:  AS23456\nsource:  T\n\n"
"route:   100.2.0.0/16\norigin:  AS64512\nsource:  T\n\n"
"route6:  2a00:1::/32\norigin:  AS196615\nsource:  T\n\n";

static struct manrs_irrdb *db;

/* Events seen by the job's callback. */
struct seen {
	int	n[MANRS_FILTER_EV_EXPLAIN_ROUTE + 1];
	char	last[MANRS_FILTER_EV_EXPLAIN_ROUTE + 1][MANRS_DIAG_MSG_MAX];
	size_t	chain;
};

static void
on_event(void *arg, const struct manrs_filter_event *ev)
{
	struct seen *s = arg;

	s->n[ev->kind]++;
	snprintf(s->last[ev->kind], sizeof(s->last[ev->kind]), "%s", ev->msg);
	if (ev->kind == MANRS_FILTER_EV_EXPLAIN_ROUTE)
		s->chain = ev->nchain;
}

static int
setup(void **state)
{
	struct manrs_input *in;
	int err, src;

	(void)state;
	db = manrs_irrdb_new(&err);
	assert_non_null(db);
	src = manrs_irrdb_source_add(db, "T");
	in = manrs_input_mem(db_text, strlen(db_text), "t.db", &err);
	assert_non_null(in);
	assert_int_equal(manrs_irrdb_load_input(db, src, in, NULL), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	manrs_irrdb_free(db);
	return 0;
}

/*
 * Run one job over the database (or lookup); objects NULL-terminated.
 * Returns the run's code; res filled.
 */
static int
run(struct manrs_filter_opts *o, const char *const *objs, bool except_last,
    const struct manrs_filter_data *data, struct manrs_filter_result *res,
    struct seen *s)
{
	struct manrs_filter_data d = { db, NULL, NULL };
	struct manrs_filter *f;
	int err, rc;
	size_t i;

	memset(s, 0, sizeof(*s));
	o->event = on_event;
	o->event_arg = s;
	f = manrs_filter_new(o, &err);
	assert_non_null(f);
	assert_int_equal(err, 0);
	for (i = 0; objs[i] != NULL; i++)
		assert_int_equal(manrs_filter_add_object(f, objs[i],
		    except_last && objs[i + 1] == NULL), 0);
	rc = manrs_filter_run(f, data != NULL ? data : &d, res);
	manrs_filter_free(f);
	return rc;
}

static void
test_asset_cisco(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	const char *objs[] = { "AS-TOP", NULL };

	(void)state;
	manrs_filter_opts_init(&o);
	assert_int_equal(run(&o, objs, false, NULL, &res, &s), 0);
	assert_int_equal(res.verdict, MANRS_FILTER_OK);
	/* AS23456 and AS64512 (private) are bogon origins */
	assert_string_equal(res.text,
	    "no ip prefix-list NN\n"
	    "ip prefix-list NN permit 185.1.0.0/24\n"
	    "ip prefix-list NN permit 193.0.0.0/22\n"
	    "ip prefix-list NN permit 193.0.4.0/22\n"
	    "ip prefix-list NN permit 193.0.4.0/23\n"
	    "ip prefix-list NN permit 194.1.0.0/24\n");
	assert_int_equal(res.len, strlen(res.text));
	assert_int_equal(res.entries, 5);
	assert_int_equal(res.bogon_prefixes, 1);
	assert_int_equal(res.bogon_asns, 2);
	assert_int_equal(s.n[MANRS_FILTER_EV_BOGON_PREFIX], 1);
	assert_string_equal(s.last[MANRS_FILTER_EV_BOGON_PREFIX],
	    "bogon prefix 192.0.2.0/24 (origin AS196616) removed: inside "
	    "Documentation (TEST-NET-1) (RFC 5737)");
	assert_int_equal(s.n[MANRS_FILTER_EV_BOGON_ASN], 2);
	assert_non_null(strstr(s.last[MANRS_FILTER_EV_BOGON_ASN],
	    "bogon AS64512 removed (1 route): "));
	assert_int_equal(s.n[MANRS_FILTER_EV_SUMMARY], 1);
	manrs_filter_result_clear(&res);

	/* keep_bogons: all back, no event */
	manrs_filter_opts_init(&o);
	o.keep_bogons = true;
	o.aggregate = true;
	assert_int_equal(run(&o, objs, false, NULL, &res, &s), 0);
	assert_non_null(strstr(res.text, "permit 192.0.2.0/24\n"));
	assert_non_null(strstr(res.text, "permit 100.1.0.0/16\n"));
	/* bgpq4's "!a4AS-TOP": AS64512 (special) stays for prefix lists */
	assert_non_null(strstr(res.text, "permit 100.2.0.0/16\n"));
	/* -A folds the two /22 into one entry; the /23 stays */
	assert_non_null(strstr(res.text, "permit 193.0.0.0/21 ge 22 le 22\n"));
	assert_non_null(strstr(res.text, "permit 193.0.4.0/23\n"));
	assert_int_equal(s.n[MANRS_FILTER_EV_BOGON_PREFIX], 0);
	manrs_filter_result_clear(&res);
}

static void
test_junos_and_v6(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	const char *objs[] = { "AS196615", NULL };

	(void)state;
	manrs_filter_opts_init(&o);
	o.af = MANRS_AF_INET6;
	o.render.vendor = MANRS_RENDER_JUNIPER;
	o.render.name = "V6";
	assert_int_equal(run(&o, objs, false, NULL, &res, &s), 0);
	assert_string_equal(res.text,
	    "policy-options {\nreplace:\n prefix-list V6 {\n"
	    "    2a00:1::/32;\n }\n}\n");
	manrs_filter_result_clear(&res);

	/* IPv6 extended ACLs for Arista (-e -E -6): refused (found by
	 * fuzzing: the IPv4 ACL printer shifted by 128) */
	manrs_filter_opts_init(&o);
	o.af = MANRS_AF_INET6;
	o.render.vendor = MANRS_RENDER_ARISTA;
	o.render.gen = MANRS_RENDER_EACL;
	assert_int_equal(run(&o, objs, false, NULL, &res, &s), MANRS_E_INVAL);
}

static void
test_walk_except(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	const char *ex[] = { "AS-TOP", "AS-SUB", NULL };

	(void)state;
	/* EXCEPT AS-SUB: AS196617's route is not reached */
	manrs_filter_opts_init(&o);
	assert_int_equal(run(&o, ex, true, NULL, &res, &s), 0);
	assert_null(strstr(res.text, "185.1.0.0/24"));
	assert_non_null(strstr(res.text, "193.0.0.0/22"));
	manrs_filter_result_clear(&res);
	/* -L/EXCEPT walks use add_as(): AS64512 is skipped without -p */
	manrs_filter_opts_init(&o);
	o.keep_bogons = true;
	o.maxdepth = 5;
	assert_int_equal(run(&o, (const char *const[]){ "AS-SUB", NULL },
	    false, NULL, &res, &s), 0);
	assert_null(strstr(res.text, "100.2.0.0/16"));
	assert_non_null(strstr(res.text, "100.1.0.0/16"));
	manrs_filter_result_clear(&res);

	/* -L 1: only AS-TOP's own members */
	manrs_filter_opts_init(&o);
	o.maxdepth = 1;
	assert_int_equal(run(&o, (const char *const[]){ "AS-TOP", NULL },
	    false, NULL, &res, &s), 0);
	assert_null(strstr(res.text, "185.1.0.0/24"));
	manrs_filter_result_clear(&res);
	o.maxdepth = 2;
	assert_int_equal(run(&o, (const char *const[]){ "AS-TOP", NULL },
	    false, NULL, &res, &s), 0);
	assert_non_null(strstr(res.text, "185.1.0.0/24"));
	manrs_filter_result_clear(&res);
}

static void
test_routeset_ranges(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	const char *objs[] = { "RS-R", NULL };
	const char *huge[] = { "RS-HUGE", NULL };

	(void)state;
	manrs_filter_opts_init(&o);
	assert_int_equal(run(&o, objs, false, NULL, &res, &s), 0);
	/* "^24" on a /23 is read as 24-0 by bgpq4 1.9: nothing, a note */
	assert_null(strstr(res.text, "185.2."));
	assert_int_equal(s.n[MANRS_FILTER_EV_RANGE_IGNORED], 1);
	/* 185.3.0.0/22^23-24: two /23 and four /24 */
	assert_non_null(strstr(res.text, "permit 185.3.2.0/23\n"));
	assert_non_null(strstr(res.text, "permit 185.3.3.0/24\n"));
	assert_null(strstr(res.text, "185.3.0.0/22\n"));
	assert_int_equal(res.entries, 7);
	manrs_filter_result_clear(&res);

	/* 11.0.0.0/8^+ stands for 2^25 prefixes: refused, or capped by -m */
	assert_int_equal(run(&o, huge, false, NULL, &res, &s), MANRS_E_LIMIT);
	assert_null(res.text);
	o.maxlen = 10;
	assert_int_equal(run(&o, huge, false, NULL, &res, &s), 0);
	assert_int_equal(res.entries, 7);	/* /8, 2 x /9, 4 x /10 */
	manrs_filter_result_clear(&res);
}

static void
test_gates(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	struct manrs_prefix beacon;
	const char *bog[] = { "AS-BOGONONLY", NULL };
	const char *top[] = { "AS196616", NULL };
	const char prev[] = "no ip prefix-list NN\n"
	    "ip prefix-list NN permit 194.1.0.0/24\n"
	    "ip prefix-list NN permit 194.9.0.0/24\n";

	(void)state;
	manrs_filter_opts_init(&o);
	assert_int_equal(run(&o, bog, false, NULL, &res, &s), 0);
	assert_int_equal(res.verdict, MANRS_FILTER_EMPTY);
	assert_non_null(res.text);	/* what was refused */
	assert_int_equal(s.n[MANRS_FILTER_EV_GATE], 1);
	manrs_filter_result_clear(&res);
	o.allow_empty = true;
	assert_int_equal(run(&o, bog, false, NULL, &res, &s), 0);
	assert_int_equal(res.verdict, MANRS_FILTER_OK);
	manrs_filter_result_clear(&res);

	/* 1 line added, 1 removed over 3: 66.7 % */
	manrs_filter_opts_init(&o);
	o.previous = prev;
	o.previous_len = strlen(prev);
	o.previous_name = "prev.txt";
	assert_int_equal(run(&o, top, false, NULL, &res, &s), 0);
	assert_int_equal(res.verdict, MANRS_FILTER_CHANGED);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.removed, 1);
	assert_true(res.change_pct > 33.3 && res.change_pct < 33.4);
	assert_non_null(strstr(s.last[MANRS_FILTER_EV_GATE], "prev.txt"));
	manrs_filter_result_clear(&res);
	o.max_change = 50;
	assert_int_equal(run(&o, top, false, NULL, &res, &s), 0);
	assert_int_equal(res.verdict, MANRS_FILTER_OK);
	manrs_filter_result_clear(&res);

	/* a beacon must be permitted */
	manrs_filter_opts_init(&o);
	assert_int_equal(manrs_prefix_parse(V("194.9.0.0/24"), 0, &beacon), 0);
	o.beacons = &beacon;
	o.nbeacons = 1;
	assert_int_equal(run(&o, top, false, NULL, &res, &s), 0);
	assert_int_equal(res.verdict, MANRS_FILTER_BEACON);
	assert_int_equal(res.failed_beacon, 0);
	manrs_filter_result_clear(&res);
}

static void
test_rpki(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	struct manrs_vrp_set *vrps = manrs_vrp_set_new(NULL);
	struct manrs_vrp v = { 0 };
	struct manrs_filter_data d = { NULL, NULL, NULL };
	const char *objs[] = { "AS196615", NULL };

	(void)state;
	assert_non_null(vrps);
	/* 193.0.0.0/21 max 22 for AS196615: the /23 is invalid (ML) */
	assert_int_equal(manrs_prefix_parse(V("193.0.0.0/21"), 0, &v.prefix),
	    0);
	v.maxlen = 22;
	v.asn = 196615;
	assert_int_equal(manrs_vrp_add(vrps, &v), 0);
	assert_int_equal(manrs_vrp_set_finish(vrps), 0);
	d.db = db;
	d.vrps = vrps;
	manrs_filter_opts_init(&o);
	assert_int_equal(run(&o, objs, false, &d, &res, &s), 0);
	assert_int_equal(res.rpki_dropped, 1);
	assert_string_equal(s.last[MANRS_FILTER_EV_RPKI_INVALID],
	    "RPKI-invalid 193.0.4.0/23 (origin AS196615) removed");
	assert_null(strstr(res.text, "193.0.4.0/23"));
	manrs_filter_result_clear(&res);
	o.rpki_add = true;
	assert_int_equal(run(&o, objs, false, &d, &res, &s), 0);
	assert_int_equal(res.rpki_added, 1);
	assert_non_null(strstr(res.text, "permit 193.0.0.0/21\n"));
	manrs_filter_result_clear(&res);
	manrs_vrp_set_free(vrps);
}

static void
test_aspath(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	const char *objs[] = { "AS-TOP", NULL };

	(void)state;
	manrs_filter_opts_init(&o);
	o.render.gen = MANRS_RENDER_ASPATH;
	o.render.asnumber = 196615;
	o.render.aswidth = 0;
	assert_int_equal(run(&o, objs, false, NULL, &res, &s), 0);
	/* AS23456 removed as a bogon, AS64512 skipped as bgpq4 does */
	assert_int_equal(res.entries, 3);
	assert_int_equal(res.bogon_asns, 1);
	assert_null(strstr(res.text, "23456"));
	assert_null(strstr(res.text, "64512"));
	manrs_filter_result_clear(&res);
}

static void
test_explain(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter_result res;
	struct seen s;
	const char *objs[] = { "AS-TOP", NULL };

	(void)state;
	manrs_filter_opts_init(&o);
	o.explain = true;
	assert_int_equal(manrs_prefix_parse(V("185.1.0.0/24"), 0,
	    &o.explain_prefix), 0);
	assert_int_equal(run(&o, objs, false, NULL, &res, &s), 0);
	assert_int_equal(res.verdict, MANRS_FILTER_EXPLAINED);
	assert_non_null(strstr(res.text, "185.1.0.0/24: IN the result\n"));
	assert_non_null(strstr(res.text,
	    "  set chain: AS-TOP -> AS-SUB -> AS196617\n"));
	assert_int_equal(s.n[MANRS_FILTER_EV_EXPLAIN_ROUTE], 1);
	assert_int_equal(s.chain, 2);
	manrs_filter_result_clear(&res);
}

static void
test_objects(void **state)
{
	struct manrs_filter_opts o;
	struct manrs_filter *f;
	struct seen s;
	int err;

	(void)state;
	memset(&s, 0, sizeof(s));
	manrs_filter_opts_init(&o);
	o.event = on_event;
	o.event_arg = &s;
	f = manrs_filter_new(&o, &err);
	assert_non_null(f);
	assert_int_equal(manrs_filter_add_object(f, "2001:db8::/32", false),
	    MANRS_E_SYNTAX);	/* other family, as bgpq4 refuses it */
	assert_int_equal(manrs_filter_add_object(f, "10.0.0.0/33", false),
	    MANRS_E_SYNTAX);
	assert_int_equal(manrs_filter_add_object(f, "AS64512", false), 0);
	assert_string_equal(s.last[MANRS_FILTER_EV_OBJECT_INVALID],
	    "Invalid AS number: 64512");
	assert_int_equal(manrs_filter_add_object(f, "AS12x", false), 0);
	assert_string_equal(s.last[MANRS_FILTER_EV_OBJECT_INVALID],
	    "Invalid symbol in AS number: 'x' in AS12x");
	assert_int_equal(manrs_filter_add_object(f, "RIPE::AS-X", false), 0);
	assert_int_equal(manrs_filter_add_object(f, "AS1:RS-Y", false), 0);
	assert_int_equal(manrs_filter_nsets(f, false), 1);
	assert_string_equal(manrs_filter_set(f, true, 0), "AS1:RS-Y");
	manrs_filter_free(f);
	/* options out of range */
	o.maxlen = 33;
	assert_null(manrs_filter_new(&o, &err));
	assert_int_equal(err, MANRS_E_INVAL);
}

/* A lookup answering from the same database, as a remote IRRd would. */
struct fake {
	int	origins_calls;
	size_t	origins_n;
};

static int
fake_asset(void *arg, const char *name, struct manrs_irrdb_asns *out,
    unsigned *flags)
{
	struct manrs_irrdb_sel sel;

	(void)arg;
	manrs_irrdb_sel_all(db, &sel);
	return manrs_irrdb_expand_asset(db, V(name), &sel, NULL, out, flags,
	    NULL);
}

static int
fake_routeset(void *arg, const char *name, uint8_t af,
    struct manrs_irrdb_ranges *out, unsigned *flags)
{
	struct manrs_irrdb_sel sel;

	(void)arg;
	manrs_irrdb_sel_all(db, &sel);
	return manrs_irrdb_expand_routeset(db, V(name), &sel, af, NULL, out,
	    flags, NULL);
}

static int
fake_origins(void *arg, const uint32_t *v, size_t n, uint8_t af)
{
	struct fake *fk = arg;
	size_t i;

	(void)af;
	for (i = 1; i < n; i++)
		assert_true(v[i - 1] < v[i]);	/* sorted, unique */
	fk->origins_calls++;
	fk->origins_n = n;
	return 0;
}

static int
fake_origin(void *arg, uint32_t asn, uint8_t af,
    struct manrs_irrdb_ranges *out)
{
	struct manrs_irrdb_sel sel;

	(void)arg;
	manrs_irrdb_sel_all(db, &sel);
	return manrs_irrdb_origin_prefixes(db, asn, af, &sel, out);
}

static void
test_lookup(void **state)
{
	struct fake fk = { 0, 0 };
	struct manrs_filter_lookup lk = { &fk, fake_asset, fake_routeset,
	    fake_origins, fake_origin };
	struct manrs_filter_data d = { NULL, &lk, NULL };
	struct manrs_filter_opts o;
	struct manrs_filter_result a, b;
	struct seen s;
	const char *objs[] = { "AS-TOP", "RS-R", "AS196617", NULL };

	(void)state;
	manrs_filter_opts_init(&o);
	o.render.vendor = MANRS_RENDER_JUNIPER;
	assert_int_equal(run(&o, objs, false, NULL, &a, &s), 0);
	assert_int_equal(run(&o, objs, false, &d, &b, &s), 0);
	assert_string_equal(a.text, b.text);
	assert_int_equal(fk.origins_calls, 1);
	assert_int_equal(fk.origins_n, 5);
	manrs_filter_result_clear(&a);
	manrs_filter_result_clear(&b);
	/* -L needs the database: refused with a lookup */
	o.maxdepth = 2;
	assert_int_equal(run(&o, objs, false, &d, &b, &s), MANRS_E_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asset_cisco),
		cmocka_unit_test(test_junos_and_v6),
		cmocka_unit_test(test_walk_except),
		cmocka_unit_test(test_routeset_ranges),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_rpki),
		cmocka_unit_test(test_aspath),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
