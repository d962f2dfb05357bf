/*
 * test_asgraph.c - AS relationship graph and RFC 7908 leak detection.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/asgraph.h>

#include "testutil.h"

/*
 *        1 ---- 2        (peers, tier 1)
 *       / \      \
 *      3   4      5      (customers)
 *       \ /        \
 *        6          7
 */
static struct manrs_asgraph *
small(void)
{
	static const char text[] =
	    "# comment\n"
	    "1|2|0\n"
	    "1|3|-1\n"
	    "1|4|-1\n"
	    "2|5|-1\n"
	    "3|6|-1\n"
	    "4|6|-1\n"
	    "5|7|-1\n"
	    "7|5|1\n"		/* the same link again, reverse form */
	    "bad|line|x\n"
	    "8|8|0\n"
	    "9|10|7\n";
	struct manrs_asgraph *g = manrs_asgraph_new(NULL);
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	int err;

	memset(&sink, 0, sizeof(sink));
	in = manrs_input_mem(text, sizeof(text) - 1, "t.txt", &err);
	assert_int_equal(manrs_asgraph_read(g, in, &sink), 0);
	manrs_input_close(in);
	assert_int_equal(sink.errors, 3);
	assert_int_equal(manrs_asgraph_finish(g), 0);
	return g;
}

static void
test_rel(void **state)
{
	struct manrs_asgraph *g = small();
	const uint32_t *v;
	uint32_t *cone;
	ptrdiff_t n;

	(void)state;
	assert_int_equal(manrs_asgraph_as_count(g), 7);
	assert_int_equal(manrs_asgraph_link_count(g), 7);
	assert_int_equal(manrs_asgraph_rel(g, 1, 3), MANRS_ASREL_CUSTOMER);
	assert_int_equal(manrs_asgraph_rel(g, 3, 1), MANRS_ASREL_PROVIDER);
	assert_int_equal(manrs_asgraph_rel(g, 1, 2), MANRS_ASREL_PEER);
	assert_int_equal(manrs_asgraph_rel(g, 2, 1), MANRS_ASREL_PEER);
	assert_int_equal(manrs_asgraph_rel(g, 7, 5), MANRS_ASREL_PROVIDER);
	assert_int_equal(manrs_asgraph_rel(g, 1, 7), MANRS_ASREL_NONE);
	assert_int_equal(manrs_asgraph_rel(g, 99, 1), MANRS_ASREL_NONE);
	assert_int_equal(manrs_asgraph_neighbours(g, 6, MANRS_ASREL_PROVIDER,
	    &v), 2);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 4);
	n = manrs_asgraph_cone(g, 1, &cone);
	assert_int_equal(n, 4);		/* 1, 3, 4, 6 */
	free(cone);
	n = manrs_asgraph_cone(g, 2, &cone);
	assert_int_equal(n, 3);		/* 2, 5, 7 */
	free(cone);
	manrs_asgraph_free(g);
}

static void
test_leaks(void **state)
{
	struct manrs_asgraph *g = small();
	struct manrs_leak leak;
	/* Paths as seen at a collector: [0] neighbour ... [n-1] origin. */
	const uint32_t up_down[] = { 5, 2, 1, 3, 6 };
	const uint32_t prepended[] = { 5, 2, 2, 1, 3, 3, 6, 6 };
	const uint32_t hairpin[] = { 4, 6, 3, 1 };  /* 6 leaks 3 -> 4 */
	const uint32_t peer_to_peer[] = { 1, 2, 5, 7 };
	const uint32_t via_peer_up[] = { 3, 1, 2, 5 };
	const uint32_t unknown[] = { 9, 1, 3 };

	(void)state;
	assert_int_equal(manrs_asgraph_check_path(g, up_down, 5, &leak),
	    MANRS_VF_VALID);
	assert_int_equal(manrs_asgraph_check_path(g, prepended, 8, &leak),
	    MANRS_VF_VALID);
	assert_int_equal(manrs_asgraph_check_path(g, hairpin, 4, &leak),
	    MANRS_VF_LEAK);
	assert_int_equal(leak.leaker, 6);
	assert_int_equal(leak.from, 3);
	assert_int_equal(leak.to, 4);
	assert_int_equal(leak.index, 1);
	assert_int_equal(leak.from_rel, MANRS_ASREL_PROVIDER);
	assert_int_equal(leak.to_rel, MANRS_ASREL_PROVIDER);
	assert_int_equal(manrs_asgraph_check_path(g, peer_to_peer, 4, &leak),
	    MANRS_VF_VALID);
	/* 1 learned from peer 2 and sent to its customer 3: fine. */
	assert_int_equal(manrs_asgraph_check_path(g, via_peer_up, 4, &leak),
	    MANRS_VF_VALID);
	assert_int_equal(manrs_asgraph_check_path(g, unknown, 3, &leak),
	    MANRS_VF_UNKNOWN);
	manrs_asgraph_free(g);
}

static void
test_real(void **state)
{
	char path[4096];
	struct manrs_asgraph *g;
	struct manrs_diag_sink sink;

	(void)state;
	if (shared_path("caida/whole-internet-rel.txt", path,
	    sizeof(path)) == NULL)
		skip();
	memset(&sink, 0, sizeof(sink));
	g = manrs_asgraph_new(NULL);
	assert_int_equal(manrs_asgraph_load(g, path, &sink), 0);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(manrs_asgraph_finish(g), 0);
	/* PROVENANCE.md: 116,930 undirected links, both directions given. */
	assert_int_equal(manrs_asgraph_link_count(g), 116930);
	assert_int_equal(manrs_asgraph_rel(g, 1, 3705), MANRS_ASREL_CUSTOMER);
	assert_int_equal(manrs_asgraph_rel(g, 3, 293), MANRS_ASREL_PEER);
	assert_int_equal(manrs_asgraph_rel(g, 3, 174), MANRS_ASREL_PROVIDER);
	manrs_asgraph_free(g);

	if (shared_path("caida/20210901.as-rel2.txt.bz2", path,
	    sizeof(path)) == NULL)
		skip();
	memset(&sink, 0, sizeof(sink));
	g = manrs_asgraph_new(NULL);
	assert_int_equal(manrs_asgraph_load(g, path, &sink), 0);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(manrs_asgraph_finish(g), 0);
	assert_int_equal(manrs_asgraph_link_count(g), 22);
	assert_int_equal(manrs_asgraph_rel(g, 1, 1898), MANRS_ASREL_CUSTOMER);
	assert_int_equal(manrs_asgraph_rel(g, 1, 8641), MANRS_ASREL_PEER);
	manrs_asgraph_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rel),
		cmocka_unit_test(test_leaks),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
