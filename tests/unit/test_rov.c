/*
 * test_rov.c - route origin validation (RFC 6811 section 2) and the
 * RFC 6907 reasons, hand-worked cases plus a randomized cross-check
 * against a brute-force scan of every VRP.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static struct manrs_vrp_set *set;

static void
add(struct manrs_vrp_set *s, const char *pfx, unsigned ml, uint32_t asn)
{
	struct manrs_vrp v;

	memset(&v, 0, sizeof(v));
	assert_int_equal(manrs_prefix_parse(V(pfx), 0, &v.prefix), 0);
	v.maxlen = (uint8_t)ml;
	v.asn = asn;
	assert_int_equal(manrs_vrp_add(s, &v), 0);
}

static int
setup(void **state)
{
	(void)state;
	set = manrs_vrp_set_new(NULL);
	add(set, "10.0.0.0/8", 16, 1);
	add(set, "10.0.0.0/16", 24, 2);
	add(set, "192.0.2.0/24", 24, 3);
	add(set, "198.51.100.0/24", 24, 0);	/* AS0 ROA */
	add(set, "2001:db8::/32", 48, 4);
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

static void
check(const char *pfx, uint32_t origin, bool is_set, const char *want,
    const char *reason)
{
	struct manrs_prefix p;
	struct manrs_rov_result r;

	assert_int_equal(manrs_prefix_parse(V(pfx), 0, &p), 0);
	manrs_rov_validate(set, &p, origin, is_set, &r);
	assert_string_equal(manrs_rov_state_name(r.state), want);
	assert_string_equal(manrs_rov_reason_name(r.reason), reason);
}

static void
test_cases(void **state)
{
	(void)state;
	check("10.0.0.0/8", 1, false, "valid", "");
	check("10.0.0.0/16", 1, false, "valid", "");
	check("10.0.0.0/24", 2, false, "valid", "");
	/* AS1 is authorized but only up to /16: ML */
	check("10.1.0.0/20", 1, false, "invalid", "ML");
	/* length fine under 10/8, AS not: AS */
	check("10.1.0.0/16", 2, false, "invalid", "AS");
	/* neither */
	check("10.1.0.0/20", 2, false, "invalid", "ML-AS");
	check("10.0.0.0/25", 9, false, "invalid", "ML-AS");
	check("11.0.0.0/8", 1, false, "not-found", "");
	check("192.0.2.0/24", 3, true, "invalid", "AS-SET");
	/* an AS0 ROA makes the space invalid for everyone, even "AS0" */
	check("198.51.100.0/24", 0, false, "invalid", "AS");
	check("198.51.100.0/24", 5, false, "invalid", "AS");
	check("2001:db8:1::/48", 4, false, "valid", "");
	check("2001:db8:1::/49", 4, false, "invalid", "ML");
	check("2001:db9::/32", 4, false, "not-found", "");
	/* a less specific route than any VRP is not covered */
	check("0.0.0.0/0", 1, false, "not-found", "");
	check("::/0", 4, false, "not-found", "");
}

/* Brute force: RFC 6811 literally, over every VRP. */
static enum manrs_rov_state
brute(const struct manrs_vrp_set *s, const struct manrs_prefix *p,
    uint32_t origin)
{
	size_t i, n = manrs_vrp_count(s, 0);
	bool covered = false;

	for (i = 0; i < n; i++) {
		const struct manrs_vrp *v = manrs_vrp_get(s, i);

		if (!manrs_prefix_covers(&v->prefix, p))
			continue;
		covered = true;
		if (v->asn != 0 && v->asn == origin && p->len <= v->maxlen)
			return MANRS_ROV_VALID;
	}
	return covered ? MANRS_ROV_INVALID : MANRS_ROV_NOTFOUND;
}

static void
random_prefix(struct manrs_prefix *p, unsigned minlen)
{
	uint8_t a[4];
	unsigned len = minlen + (unsigned)(random() % (33 - minlen));

	a[0] = 10;
	a[1] = (uint8_t)(random() % 4);
	a[2] = (uint8_t)random();
	a[3] = (uint8_t)random();
	manrs_prefix_set(p, MANRS_AF_INET, a, 4, len);
}

static void
test_random(void **state)
{
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	struct manrs_vrp v;
	struct manrs_prefix p;
	struct manrs_rov_result r;
	unsigned i, counts[3] = { 0, 0, 0 };

	(void)state;
	srandom(6811);
	for (i = 0; i < 3000; i++) {
		memset(&v, 0, sizeof(v));
		random_prefix(&v.prefix, 16);
		v.maxlen = (uint8_t)(v.prefix.len + random() %
		    (33 - v.prefix.len));
		v.asn = (uint32_t)(random() % 8);
		assert_int_equal(manrs_vrp_add(s, &v), 0);
	}
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	for (i = 0; i < 50000; i++) {
		uint32_t origin = (uint32_t)(random() % 8);

		random_prefix(&p, 8);
		manrs_rov_validate(s, &p, origin, false, &r);
		assert_int_equal(r.state, brute(s, &p, origin));
		/* the fast path (no result wanted) agrees */
		assert_int_equal(manrs_rov_validate(s, &p, origin, false,
		    NULL), r.state);
		counts[r.state]++;
	}
	/* the batch call gives the same answers */
	{
		static struct manrs_prefix ps[1000];
		static uint32_t os[1000];
		static enum manrs_rov_state out[1000];
		size_t j;

		for (j = 0; j < 1000; j++) {
			random_prefix(&ps[j], 8);
			os[j] = (uint32_t)(random() % 8);
		}
		manrs_rov_validate_many(s, ps, os, 1000, out);
		for (j = 0; j < 1000; j++)
			assert_int_equal(out[j], brute(s, &ps[j], os[j]));
	}
	/* the mix exercises every outcome */
	print_message("not-found %u valid %u invalid %u\n", counts[0],
	    counts[1], counts[2]);
	assert_true(counts[0] > 100 && counts[1] > 100 && counts[2] > 100);
	manrs_vrp_set_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
