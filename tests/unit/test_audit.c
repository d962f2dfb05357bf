/*
 * test_audit.c - the audit engine on hand-fed routes: classification,
 * culprit and accomplice, event merging and weights, min_peers, peer
 * down, configuration files.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <manrs/asgraph.h>
#include <manrs/audit.h>
#include <manrs/bogon.h>
#include <manrs/irrdb.h>
#include <manrs/vrp.h>

#include "testutil.h"

#define T0	1767225600

/* 1 and 2 are peers; 3 is a customer of 1; 4 a customer of 2 and 3. */
static struct manrs_asgraph *
graph(void)
{
	struct manrs_asgraph *g = manrs_asgraph_new(NULL);

	manrs_asgraph_add(g, 1, 2, MANRS_ASREL_PEER);
	manrs_asgraph_add(g, 1, 3, MANRS_ASREL_CUSTOMER);
	manrs_asgraph_add(g, 2, 4, MANRS_ASREL_CUSTOMER);
	manrs_asgraph_add(g, 3, 4, MANRS_ASREL_CUSTOMER);
	assert_int_equal(manrs_asgraph_finish(g), 0);
	return g;
}

static struct manrs_prefix
P(const char *s)
{
	struct manrs_prefix p;

	assert_int_equal(manrs_prefix_parse(V(s), 0, &p), 0);
	return p;
}

static struct manrs_audit_report *
report(struct manrs_audit *a, uint32_t asn)
{
	struct manrs_audit_report *r;

	assert_int_equal(manrs_audit_as(a, asn, MANRS_AUDIT_EVIDENCE |
	    MANRS_AUDIT_FIXES, &r), 0);
	return r;
}

static void
test_weights(void **state)
{
	(void)state;
	/* The MANRS weights (DESIGN): 0.5 / 1 / +1 per further day. */
	struct manrs_audit_report *r;
	struct manrs_audit *a;
	struct manrs_audit_config cfg;
	struct manrs_prefix p = P("192.168.0.0/16");	/* bogon */
	const uint32_t path[] = { 1, 3 };
	int err;

	/* No route in 2.5 days would be a gap in the data (max_skew). */
	manrs_audit_config_default(&cfg);
	cfg.max_skew = 0;
	a = manrs_audit_new(&cfg, &err);
	/* 10 minutes, then 2 hours, then 2.5 days, separated in time. */
	manrs_audit_add_route(a, 0, &p, 0, T0, false, path, 2, false);
	manrs_audit_add_route(a, 0, &p, 0, T0 + 600, true, NULL, 0, false);
	manrs_audit_add_route(a, 0, &p, 0, T0 + 3600, false, path, 2, false);
	manrs_audit_add_route(a, 0, &p, 0, T0 + 3 * 3600, true, NULL, 0,
	    false);
	manrs_audit_add_route(a, 0, &p, 0, T0 + 4 * 3600, false, path, 2,
	    false);
	manrs_audit_add_route(a, 0, &p, 0, T0 + 4 * 3600 + 216000, true,
	    NULL, 0, false);
	assert_int_equal(manrs_audit_finish(a), 0);
	r = report(a, 3);
	assert_int_equal(r->m[MANRS_M3].total, 3);
	assert_true(fabs(r->m[MANRS_M3].raw - (0.5 + 1.0 + 3.0)) < 1e-9);
	assert_true(fabs(r->m[MANRS_M3].score - 10.0) < 1e-9); /* 100-20*4.5 */
	assert_int_equal(r->action[MANRS_ACTION_FILTERING].readiness,
	    MANRS_READY_LAGGING);
	/* No AS relationships and no ASPA: nobody is an accomplice. */
	assert_int_equal(r->m[MANRS_M3C].total, 0);
	manrs_audit_report_free(r);
	manrs_audit_free(a);
}

static void
test_gap(void **state)
{
	/* Nothing in the data for longer than max_skew (two RIBs months
	 * apart): open events close before the gap, none weighs across. */
	struct manrs_audit_report *r;
	const struct manrs_audit_gap *g;
	struct manrs_audit *a;
	struct manrs_prefix p = P("192.168.0.0/16");	/* bogon */
	const uint32_t path[] = { 1, 3 };
	int err;

	(void)state;
	a = manrs_audit_new(NULL, &err);
	manrs_audit_add_route(a, 0, &p, 0, T0, false, path, 2, false);
	manrs_audit_add_route(a, 0, &p, 0, T0 + 527 * 86400, false, path, 2,
	    false);
	assert_int_equal(manrs_audit_finish(a), 0);
	assert_int_equal(manrs_audit_gaps(a, &g), 1);
	assert_int_equal(g[0].from, T0);
	assert_int_equal(g[0].to, T0 + 527 * 86400);
	r = report(a, 3);
	assert_int_equal(r->m[MANRS_M3].total, 2);
	assert_true(fabs(r->m[MANRS_M3].raw - 1.0) < 1e-9);	/* 0.5 + 0.5 */
	manrs_audit_report_free(r);
	manrs_audit_free(a);
}

/* The ROA fix holding prefix s, or NULL. */
static const struct manrs_audit_fix *
roa_fix(const struct manrs_audit_report *r, const char *s)
{
	struct manrs_prefix p = P(s);
	size_t i, k;

	for (i = 0; i < r->nfix; i++)
		for (k = 0; r->fix[i].kind == MANRS_FIX_ROA &&
		    k < r->fix[i].nroas; k++)
			if (manrs_prefix_eq(&r->fix[i].roas[k].prefix, &p))
				return &r->fix[i];
	return NULL;
}

static void
test_holders(void **state)
{
	/* Delegated holder records: a non-CIDR IPv4 allocation (768
	 * addresses: the /23 and the /24 of it are separate blocks), an
	 * IPv6 assignment; ROAs grouped per block, maxLength = length. */
	static const char deleg[] =
	    "2|ripencc|1366322399|3|19830705|20130418|+0200\n"
	    "ripencc|*|ipv4|*|1|summary\n"
	    "ripencc|FR|ipv4|2.0.0.0|768|20100712|allocated\n"
	    "ripencc|EU|ipv6|2001:db8::|32|20100712|assigned\n"
	    "ripencc||ipv4|3.0.0.0|256||available\n";
	static const char rpsl[] = "route: 192.0.2.0/24\norigin: AS7\n"
	    "source: TEST\n\n";
	const char *pfx[] = { "2.0.0.0/24", "2.0.1.0/25", "2.0.2.0/24",
	    "2001:db8:1::/48", "9.9.9.0/24" };
	const struct manrs_audit_fix *f;
	struct manrs_audit_report *r;
	struct manrs_vrp_set *v;
	struct manrs_vrp vrp;
	struct manrs_input *in;
	struct manrs_audit *a;
	struct manrs_irrdb *db;
	const uint32_t path[] = { 1, 5 };
	struct manrs_prefix p;
	size_t i, routes = 0;
	int err, src;

	(void)state;
	v = manrs_vrp_set_new(NULL);
	memset(&vrp, 0, sizeof(vrp));
	vrp.prefix = P("10.0.0.0/8");
	vrp.maxlen = 8;
	vrp.asn = 1;
	assert_int_equal(manrs_vrp_add(v, &vrp), 0);
	assert_int_equal(manrs_vrp_set_finish(v), 0);
	/* An IRR with one unrelated route object: route fixes are made. */
	db = manrs_irrdb_new(&err);
	assert_non_null(db);
	src = manrs_irrdb_source_add(db, "TEST");
	in = manrs_input_mem(rpsl, sizeof(rpsl) - 1, "rpsl", &err);
	assert_int_equal(manrs_irrdb_load_input(db, src, in, NULL), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	a = manrs_audit_new(NULL, &err);
	manrs_audit_set_vrps(a, v);
	manrs_audit_set_irr(a, db);
	in = manrs_input_mem(deleg, sizeof(deleg) - 1, "deleg", &err);
	assert_non_null(in);
	assert_int_equal(manrs_audit_read_holders(a, in), 0);
	manrs_input_close(in);
	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		p = P(pfx[i]);
		manrs_audit_add_route(a, 0, &p, 0, T0, false, path, 2, false);
	}
	assert_int_equal(manrs_audit_finish(a), 0);
	r = report(a, 5);
	f = roa_fix(r, "2.0.0.0/24");
	assert_non_null(f);
	assert_string_equal(f->rir, "ripencc");
	assert_true(f->has_allocation);
	p = P("2.0.0.0/23");
	assert_true(manrs_prefix_eq(&f->allocation, &p));
	assert_int_equal(f->nroas, 2);		/* with 2.0.1.0/25 */
	assert_ptr_equal(roa_fix(r, "2.0.1.0/25"), f);
	assert_int_equal(f->roas[1].max_length, 25);
	f = roa_fix(r, "2.0.2.0/24");
	p = P("2.0.2.0/24");
	assert_true(f != NULL && manrs_prefix_eq(&f->allocation, &p));
	f = roa_fix(r, "2001:db8:1::/48");
	p = P("2001:db8::/32");
	assert_true(f != NULL && manrs_prefix_eq(&f->allocation, &p));
	f = roa_fix(r, "9.9.9.0/24");
	assert_true(f != NULL && !f->has_allocation && f->rir[0] == '\0');
	/* Route objects: source from the RIR, CHANGE-ME when unknown. */
	for (i = 0; i < r->nfix; i++) {
		if (r->fix[i].kind != MANRS_FIX_ROUTE_OBJECT)
			continue;
		p = P("9.9.9.0/24");
		assert_string_equal(r->fix[i].source,
		    manrs_prefix_eq(&r->fix[i].prefix, &p) ? "CHANGE-ME" :
		    "RIPE");
		routes++;
	}
	assert_int_equal(routes, 5);
	manrs_audit_report_free(r);
	manrs_audit_free(a);
	manrs_irrdb_free(db);
	manrs_vrp_set_free(v);
}

static void
test_merge_and_accomplice(void **state)
{
	struct manrs_asgraph *g = graph();
	struct manrs_audit_report *r;
	struct manrs_audit *a;
	struct manrs_prefix p1 = P("192.168.0.0/16"), p2 = P("10.0.0.0/8");
	const uint32_t path[] = { 1, 3 };	/* 3 originates, 1 passes */
	int err;

	(void)state;
	a = manrs_audit_new(NULL, &err);
	manrs_audit_set_asgraph(a, g);
	/* Two bogons from two peers that overlap: one incident. */
	manrs_audit_add_route(a, 0, &p1, 0, T0, false, path, 2, false);
	manrs_audit_add_route(a, 1, &p2, 0, T0 + 60, false, path, 2, false);
	manrs_audit_add_route(a, 0, &p1, 0, T0 + 1200, true, NULL, 0, false);
	manrs_audit_add_route(a, 1, &p2, 0, T0 + 1500, true, NULL, 0, false);
	assert_int_equal(manrs_audit_finish(a), 0);
	r = report(a, 3);
	assert_int_equal(r->m[MANRS_M3].total, 1);
	assert_int_equal(r->m[MANRS_M3].events, 2);
	assert_true(fabs(r->m[MANRS_M3].raw - 0.5) < 1e-9);	/* 25 min */
	manrs_audit_report_free(r);
	/* AS1 is the provider of AS3 and passed it on: M3C. */
	r = report(a, 1);
	assert_int_equal(r->m[MANRS_M3].total, 0);
	assert_int_equal(r->m[MANRS_M3C].total, 1);
	assert_true(r->nfix > 0);
	manrs_audit_report_free(r);
	manrs_audit_free(a);
	manrs_asgraph_free(g);
}

static void
test_leak_and_peer_down(void **state)
{
	struct manrs_asgraph *g = graph();
	struct manrs_audit_report *r;
	struct manrs_audit *a;
	struct manrs_prefix p = P("20.0.0.0/16");
	/* 4 learned from provider 2 and passed to provider 3: a leak. */
	const uint32_t leak[] = { 1, 3, 4, 2 };
	const uint32_t fine[] = { 1, 2 };
	int err;

	(void)state;
	a = manrs_audit_new(NULL, &err);
	manrs_audit_set_asgraph(a, g);
	manrs_audit_add_route(a, 7, &p, 0, T0, false, leak, 4, false);
	/* The session drops after 2 hours: the event ends there. */
	manrs_audit_peer_down(a, 7, T0 + 7200);
	manrs_audit_add_route(a, 8, &p, 0, T0 + 9000, false, fine, 2, false);
	assert_int_equal(manrs_audit_finish(a), 0);
	r = report(a, 4);
	assert_int_equal(r->m[MANRS_M1].total, 1);
	assert_true(fabs(r->m[MANRS_M1].raw - 1.0) < 1e-9);
	assert_int_equal(r->ev[0].other_as, 3);
	manrs_audit_report_free(r);
	r = report(a, 3);		/* the provider that took the leak */
	assert_int_equal(r->m[MANRS_M1C].total, 1);
	assert_int_equal(r->m[MANRS_M1].total, 0);
	manrs_audit_report_free(r);
	r = report(a, 2);
	assert_int_equal(r->m[MANRS_M1].total + r->m[MANRS_M1C].total, 0);
	/* AS2 originates 20.0.0.0/16 (from both paths), announced once. */
	assert_int_equal(r->announced4, 1);
	manrs_audit_report_free(r);
	manrs_audit_free(a);
	manrs_asgraph_free(g);
}

static void
test_min_peers_and_bogon_asn(void **state)
{
	struct manrs_audit_config cfg;
	struct manrs_audit_report *r;
	struct manrs_audit *a;
	struct manrs_prefix p = P("20.1.0.0/16");
	const uint32_t path[] = { 1, 3, 64512 };
	const uint32_t *asns;
	size_t n, i;
	int err;

	(void)state;
	manrs_audit_config_default(&cfg);
	cfg.min_peers = 2;
	a = manrs_audit_new(&cfg, &err);
	manrs_audit_add_route(a, 0, &p, 0, T0, false, path, 3, false);
	assert_int_equal(manrs_audit_finish(a), 0);
	/* Seen by one peer only: no incident, not announced. */
	r = report(a, 3);
	assert_int_equal(r->m[MANRS_M4].total, 0);
	manrs_audit_report_free(r);
	r = report(a, 64512);
	assert_int_equal(r->announced4, 0);
	manrs_audit_report_free(r);
	n = manrs_audit_asns(a, &asns);
	for (i = 0; i < n; i++)
		assert_true(asns[i] != 64512);	/* bogon ASNs not listed */
	manrs_audit_free(a);

	a = manrs_audit_new(NULL, &err);
	manrs_audit_add_route(a, 0, &p, 0, T0, false, path, 3, false);
	assert_int_equal(manrs_audit_finish(a), 0);
	r = report(a, 3);		/* 3 passed on a path with AS64512 */
	assert_int_equal(r->m[MANRS_M4].total, 1);
	assert_int_equal(r->ev[0].other_as, 64512);
	manrs_audit_report_free(r);
	manrs_audit_free(a);
}

static void
test_json(void **state)
{
	struct manrs_audit_report *r;
	struct manrs_audit *a;
	struct manrs_buf b;
	struct manrs_prefix p = P("192.168.0.0/16");
	const uint32_t path[] = { 1, 3 };
	int err;

	(void)state;
	a = manrs_audit_new(NULL, &err);
	manrs_audit_add_route(a, 0, &p, 0, T0, false, path, 2, false);
	assert_int_equal(manrs_audit_finish(a), 0);
	r = report(a, 3);
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_audit_report_json(r, manrs_audit_config(a),
	    &b), 0);
	manrs_buf_put_u8(&b, 0);
	assert_non_null(strstr((char *)b.p, "\"schema\":\"manrs-audit/1\""));
	assert_non_null(strstr((char *)b.p, "\"M3\":{\"has_value\":true,"
	    "\"value\":0.5000,\"score\":90"));
	assert_non_null(strstr((char *)b.p, "\"M7RPKI\":{\"has_value\":false"));
	assert_non_null(strstr((char *)b.p, "\"prefix\":\"192.168.0.0/16\""));
	manrs_buf_reset(&b);
	assert_int_equal(manrs_audit_report_html((const struct
	    manrs_audit_report *const *)&r, 1, manrs_audit_config(a), &b), 0);
	manrs_buf_put_u8(&b, 0);
	assert_non_null(strstr((char *)b.p, "<svg"));
	assert_null(strstr((char *)b.p, "http"));	/* no external assets */
	manrs_buf_clear(&b);
	manrs_audit_report_free(r);
	manrs_audit_free(a);
}

static void
test_unallocated(void **state)
{
	struct manrs_bogon_delegated *d = manrs_bogon_delegated_new(NULL);
	struct manrs_audit_report *r;
	struct manrs_audit *a;
	struct manrs_prefix p = P("20.1.0.0/16"), q = P("21.0.0.0/16");
	const uint32_t path[] = { 1, 3 };
	size_t i, n = 0;
	int err;

	(void)state;
	assert_int_equal(manrs_bogon_delegated_parse_line(d,
	    V("ripencc||ipv4|20.0.0.0|16777216||available||"), "d", 1, NULL),
	    0);
	a = manrs_audit_new(NULL, &err);
	manrs_audit_set_delegated(a, d);
	manrs_audit_add_route(a, 0, &p, 0, T0, false, path, 2, false);
	manrs_audit_add_route(a, 0, &q, 0, T0, false, path, 2, false);
	assert_int_equal(manrs_audit_finish(a), 0);
	r = report(a, 3);
	for (i = 0; i < r->nev; i++)
		if (r->ev[i].metric == MANRS_M3 &&
		    r->ev[i].kind == MANRS_EV_ROUTE) {
			assert_true(manrs_prefix_eq(&r->ev[i].prefix, &p));
			n++;
		}
	assert_int_equal(n, 1);
	/* Reported, never scored. */
	assert_int_equal(r->m[MANRS_M3].total, 0);
	assert_true(r->m[MANRS_M3].score == 100.0);
	manrs_audit_report_free(r);
	manrs_audit_free(a);
	manrs_bogon_delegated_free(d);
}

static void
test_config(void **state)
{
	static const char good[] = "# thresholds\nready = 95\naspiring=60\n"
	    "min_peers = 3\nirr_covering = yes\nperiod_start = "
	    "2026-01-01T00:00:00Z\n";
	static const char bad[] = "ready = high\nnope = 1\nready 5\n"
	    "aspa_leaks = maybe\n";
	struct manrs_audit_config c;
	struct manrs_diag_sink sink;
	char path[] = "/tmp/manrs-test-conf-XXXXXX";
	FILE *fp;
	int fd;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(good, fp);
	fclose(fp);
	manrs_audit_config_default(&c);
	assert_int_equal(manrs_audit_config_load(&c, path, &sink), 0);
	assert_true(c.ready == 95.0 && c.aspiring == 60.0);
	assert_int_equal(c.min_peers, 3);
	assert_true(c.irr_covering);
	assert_int_equal(c.period_start, T0);
	fp = fopen(path, "w");
	fputs(bad, fp);
	fclose(fp);
	assert_int_equal(manrs_audit_config_load(&c, path, &sink),
	    MANRS_E_SYNTAX);
	assert_int_equal(sink.errors, 4);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_holders),
		cmocka_unit_test(test_merge_and_accomplice),
		cmocka_unit_test(test_leak_and_peer_down),
		cmocka_unit_test(test_min_peers_and_bogon_asn),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_unallocated),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
