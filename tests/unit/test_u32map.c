/*
 * test_u32map.c - the uint32 hash map against a direct array.
 */
#include <stdlib.h>

#include <manrs/u32map.h>

#include "testutil.h"

static void
test_map(void **state)
{
	struct manrs_u32map m;
	uint32_t v, *ref;
	uint32_t i, k;
	int rc;

	(void)state;
	manrs_u32map_init(&m);
	assert_false(manrs_u32map_get(&m, 1, &v));
	ref = calloc(100000, sizeof(*ref));
	srand(7);
	for (i = 0; i < 200000; i++) {
		k = (uint32_t)rand() % 100000;
		assert_int_equal(manrs_u32map_put(&m, k * 65537u, i + 1), 0);
		ref[k] = i + 1;
	}
	for (k = 0; k < 100000; k++) {
		bool have = manrs_u32map_get(&m, k * 65537u, &v);

		assert_int_equal(have, ref[k] != 0);
		if (have)
			assert_int_equal(v, ref[k]);
	}
	rc = manrs_u32map_intern(&m, 123456789u, 5, &v);
	assert_int_equal(rc, 1);
	rc = manrs_u32map_intern(&m, 123456789u, 6, &v);
	assert_int_equal(rc, 0);
	assert_int_equal(v, 5);
	assert_true(manrs_u32map_memory(&m) > 0);
	manrs_u32map_clear(&m);
	free(ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
