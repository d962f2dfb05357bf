/*
 * test_aspa.c - ASPA verification (draft-ietf-sidrops-aspa-verification
 * sections 5 and 6), upstream and downstream, on a small hand-drawn
 * topology:
 *
 *        AS30 (ASPA: none, "AS0")
 *       /    \
 *    AS20    AS40 (ASPA: 30)   AS60 (ASPA: 20, 30) customer of both
 *     |
 *    AS10 (ASPA: 20)           AS50, AS70: no ASPA
 */
#include <string.h>

#include "testutil.h"

static struct manrs_vrp_set *set;

static int
setup(void **state)
{
	static const uint32_t p10[] = { 20 }, p20[] = { 30 }, p40[] = { 30 },
	    p60[] = { 30, 20 };

	(void)state;
	set = manrs_vrp_set_new(NULL);
	assert_int_equal(manrs_vrp_aspa_add(set, 10, p10, 1), 0);
	assert_int_equal(manrs_vrp_aspa_add(set, 20, p20, 1), 0);
	assert_int_equal(manrs_vrp_aspa_add(set, 30, NULL, 0), 0);
	assert_int_equal(manrs_vrp_aspa_add(set, 40, p40, 1), 0);
	assert_int_equal(manrs_vrp_aspa_add(set, 60, p60, 2), 0);
	assert_int_equal(manrs_vrp_set_finish(set), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	manrs_vrp_set_free(set);
	return 0;
}

static const char *
up(const uint32_t *p, size_t n)
{
	return manrs_aspa_state_name(manrs_aspa_verify(set, p, n, false,
	    MANRS_ASPA_UPSTREAM));
}

static const char *
down(const uint32_t *p, size_t n)
{
	return manrs_aspa_state_name(manrs_aspa_verify(set, p, n, false,
	    MANRS_ASPA_DOWNSTREAM));
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
test_hop(void **state)
{
	(void)state;
	assert_int_equal(manrs_aspa_hop(set, 10, 20), MANRS_ASPA_HOP_PROVIDER);
	assert_int_equal(manrs_aspa_hop(set, 10, 30),
	    MANRS_ASPA_HOP_NOTPROVIDER);
	assert_int_equal(manrs_aspa_hop(set, 30, 1),
	    MANRS_ASPA_HOP_NOTPROVIDER);
	assert_int_equal(manrs_aspa_hop(set, 50, 20), MANRS_ASPA_HOP_NOATT);
}

static void
test_upstream(void **state)
{
	static const uint32_t a[] = { 20, 10 }, b[] = { 30, 20, 10 },
	    c[] = { 40, 30, 20, 10 }, d[] = { 20, 50 }, e[] = { 10 },
	    f[] = { 20, 20, 20, 10, 10 }, g[] = { 30, 60 },
	    h[] = { 50, 30, 20, 10 };

	(void)state;
	assert_string_equal(up(a, N(a)), "valid");
	assert_string_equal(up(b, N(b)), "valid");
	/* 30 has no providers, so 30 -> 40 is not an up hop: a leak */
	assert_string_equal(up(c, N(c)), "invalid");
	/* 50 attests nothing */
	assert_string_equal(up(d, N(d)), "unknown");
	assert_string_equal(up(e, N(e)), "valid");
	/* prepends collapse */
	assert_string_equal(up(f, N(f)), "valid");
	assert_string_equal(up(g, N(g)), "valid");
	/* the Not Provider+ hop 30 -> 50 wins over anything unknown */
	assert_string_equal(up(h, N(h)), "invalid");
	/* an AS_SET or nothing at all is invalid */
	assert_int_equal(manrs_aspa_verify(set, a, N(a), true,
	    MANRS_ASPA_UPSTREAM), MANRS_ASPA_INVALID);
	assert_int_equal(manrs_aspa_verify(set, a, 0, false,
	    MANRS_ASPA_UPSTREAM), MANRS_ASPA_INVALID);
}

static void
test_downstream(void **state)
{
	/* up 10->20->30, down 30->40 */
	static const uint32_t a[] = { 40, 30, 20, 10 };
	/* 60 leaks provider 20's route to provider 30 */
	static const uint32_t b[] = { 30, 60, 20, 10 };
	/* 10 says 70 is not its provider; 70, 50 attest nothing */
	static const uint32_t c[] = { 50, 70, 10 };
	static const uint32_t d[] = { 30, 20 }, e[] = { 30, 20, 10 };

	(void)state;
	assert_string_equal(down(a, N(a)), "valid");
	assert_string_equal(down(b, N(b)), "invalid");
	assert_string_equal(down(c, N(c)), "unknown");
	/* two ASes from a provider are always valid */
	assert_string_equal(down(d, N(d)), "valid");
	assert_string_equal(down(e, N(e)), "valid");
	/* the same leak is invalid upstream too */
	assert_string_equal(up(b, N(b)), "invalid");
}


/*
 * Small topologies worked through by hand, one ASPA set each (the kind
 * of cases the draft's authors and implementers use): {customer,
 * providers...} rows end with 0 as a terminator; AS0 rows are {c, 0}.
 */
struct case_ {
	const char	*name;
	uint32_t	 aspa[4][4];	/* {customer, p1, p2, 0}; customer 0 ends */
	uint32_t	 path[5];	/* neighbor first; 0 ends */
	enum manrs_aspa_dir dir;
	enum manrs_aspa_state want;
};

static void
test_cases(void **state)
{
	static const struct case_ cases[] = {
		{ "up: no ASPAs", { { 0 } }, { 3, 2, 1 },
		    MANRS_ASPA_UPSTREAM, MANRS_ASPA_UNKNOWN },
		{ "up: 1 -> 2 not a provider", { { 1, 3 }, { 2, 3 } },
		    { 3, 2, 1 }, MANRS_ASPA_UPSTREAM, MANRS_ASPA_INVALID },
		{ "up: AS0 only", { { 1, 0 } }, { 2, 1 },
		    MANRS_ASPA_UPSTREAM, MANRS_ASPA_INVALID },
		{ "down: no ASPAs", { { 0 } }, { 3, 2, 1 },
		    MANRS_ASPA_DOWNSTREAM, MANRS_ASPA_UNKNOWN },
		{ "down: origin attests 2", { { 1, 2 } }, { 3, 2, 1 },
		    MANRS_ASPA_DOWNSTREAM, MANRS_ASPA_VALID },
		{ "down: neighbor attests 2", { { 3, 2 } }, { 3, 2, 1 },
		    MANRS_ASPA_DOWNSTREAM, MANRS_ASPA_VALID },
		{ "down: apex 2, all attest", { { 1, 2 }, { 2, 0 }, { 3, 2 } },
		    { 3, 2, 1 }, MANRS_ASPA_DOWNSTREAM, MANRS_ASPA_VALID },
		{ "down: origin denies 2, neighbor attests",
		    { { 1, 4 }, { 3, 2 } }, { 3, 2, 1 },
		    MANRS_ASPA_DOWNSTREAM, MANRS_ASPA_VALID },
		{ "down: origin denies 2, neighbor silent", { { 1, 4 } },
		    { 3, 2, 1 }, MANRS_ASPA_DOWNSTREAM, MANRS_ASPA_UNKNOWN },
		{ "down: both deny 2 (leak)", { { 1, 4 }, { 3, 5 } },
		    { 3, 2, 1 }, MANRS_ASPA_DOWNSTREAM, MANRS_ASPA_INVALID },
		{ "down: two apexes", { { 1, 2 }, { 2, 0 }, { 3, 2, 4 },
		    { 4, 0 } }, { 4, 3, 2, 1 }, MANRS_ASPA_DOWNSTREAM,
		    MANRS_ASPA_INVALID },
	};
	size_t i, j, k, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);

		for (j = 0; j < 4 && c->aspa[j][0] != 0; j++) {
			for (k = 1; k < 4 && c->aspa[j][k] != 0; k++)
				;
			/* {c, 0}: AS0 alone */
			assert_int_equal(manrs_vrp_aspa_add(s, c->aspa[j][0],
			    c->aspa[j] + 1, k == 1 ? 1 : k - 1), 0);
		}
		assert_int_equal(manrs_vrp_set_finish(s), 0);
		for (n = 0; n < 5 && c->path[n] != 0; n++)
			;
		if (manrs_aspa_verify(s, c->path, n, false, c->dir) !=
		    c->want)
			fail_msg("%s: got %s, want %s", c->name,
			    manrs_aspa_state_name(manrs_aspa_verify(s,
			    c->path, n, false, c->dir)),
			    manrs_aspa_state_name(c->want));
		manrs_vrp_set_free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hop),
		cmocka_unit_test(test_upstream),
		cmocka_unit_test(test_downstream),
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
