/*
 * test_peeringdb.c - streaming PeeringDB reader: real API pages, depth-2
 * poc_set, hostile JSON with byte offsets.
 */
#include <string.h>

#include <manrs/peeringdb.h>

#include "testutil.h"

static int
load_mem(struct manrs_peeringdb *db, const char *json,
    struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	int err, rc;

	in = manrs_input_mem(json, strlen(json), "t.json", &err);
	assert_non_null(in);
	rc = manrs_peeringdb_read(db, in, sink);
	manrs_input_close(in);
	return rc;
}

static void
test_real(void **state)
{
	char path[4096];
	struct manrs_peeringdb *db;
	struct manrs_diag_sink sink;
	const struct manrs_pdb_net *n;
	const struct manrs_pdb_netixlan *x;

	(void)state;
	if (shared_path("peeringdb/net/page-1.json", path, sizeof(path)) ==
	    NULL)
		skip();
	memset(&sink, 0, sizeof(sink));
	db = manrs_peeringdb_new(NULL);
	assert_int_equal(manrs_peeringdb_load(db, path, &sink), 0);
	assert_int_equal(manrs_peeringdb_net_count(db), 250);
	n = manrs_peeringdb_net(db, 4436);
	assert_non_null(n);
	assert_int_equal(n->id, 1);
	assert_string_equal(n->name, "GTT Communications (AS4436)");
	assert_int_equal(n->info_prefixes4, 200000);
	assert_int_equal(n->info_prefixes6, 10000);
	assert_string_equal(n->policy_general, "Restrictive");
	assert_null(manrs_peeringdb_net(db, 4294967295u));

	if (shared_path("peeringdb/netixlan/page-1.json", path,
	    sizeof(path)) == NULL)
		skip();
	assert_int_equal(manrs_peeringdb_load(db, path, &sink), 0);
	assert_int_equal(manrs_peeringdb_netixlan_count(db), 250);
	assert_true(manrs_peeringdb_netixlans(db, 8075, &x) >= 1);
	assert_int_equal(x[0].asn, 8075);
	assert_int_equal(sink.errors, 0);
	manrs_peeringdb_free(db);
}

static void
test_pocs(void **state)
{
	const char *json =
	    "{\"data\":[{\"id\":7,\"asn\":64500,\"name\":\"Example\","
	    "\"social_media\":[{\"service\":\"x\",\"identifier\":\"y\"}],"
	    "\"poc_set\":[{\"id\":1,\"role\":\"Abuse\","
	    "\"email\":\"abuse@example.net\",\"visible\":\"Public\"},"
	    "{\"id\":2,\"role\":\"NOC\",\"email\":\"noc@example.net\"}],"
	    "\"info_prefixes4\":10}],\"meta\":{}}";
	const char *pocs =
	    "{\"data\":[{\"id\":3,\"net_id\":9,\"role\":\"Policy\","
	    "\"name\":\"P\",\"email\":\"peering@example.org\"}]}";
	struct manrs_peeringdb *db = manrs_peeringdb_new(NULL);
	struct manrs_diag_sink sink;
	const struct manrs_pdb_poc *p;
	const struct manrs_pdb_net *n;

	(void)state;
	memset(&sink, 0, sizeof(sink));
	assert_int_equal(load_mem(db, json, &sink), 0);
	assert_int_equal(load_mem(db, pocs, &sink), 0);
	n = manrs_peeringdb_net(db, 64500);
	assert_non_null(n);
	assert_int_equal(n->info_prefixes4, 10);
	assert_int_equal(manrs_peeringdb_pocs(db, 7, &p), 2);
	assert_string_equal(p[0].role, "Abuse");
	assert_string_equal(p[1].email, "noc@example.net");
	assert_int_equal(manrs_peeringdb_pocs(db, 9, &p), 1);
	assert_string_equal(p[0].email, "peering@example.org");
	assert_int_equal(manrs_peeringdb_poc_count(db), 3);
	manrs_peeringdb_free(db);
}

static void
test_hostile(void **state)
{
	struct manrs_peeringdb *db = manrs_peeringdb_new(NULL);
	struct manrs_diag_sink sink;
	char deep[300];

	(void)state;
	memset(&sink, 0, sizeof(sink));
	/* Truncated: the record before the cut is kept. */
	assert_int_equal(load_mem(db, "{\"data\":[{\"id\":1,\"asn\":5},"
	    "{\"id\":2,\"as", &sink), MANRS_E_SYNTAX);
	assert_non_null(manrs_peeringdb_net(db, 5));
	assert_int_equal(load_mem(db, "{\"data\":[1,2,]}", &sink),
	    MANRS_E_SYNTAX);
	assert_int_equal(load_mem(db, "{\"foo\": 1}", &sink),
	    MANRS_E_FORMAT);
	assert_int_equal(load_mem(db, "", &sink), MANRS_E_SYNTAX);
	assert_int_equal(load_mem(db, "[]", &sink), MANRS_E_FORMAT);
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	assert_int_equal(load_mem(db, deep, &sink), MANRS_E_LIMIT);
	assert_true(sink.errors >= 4);
	manrs_peeringdb_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_pocs),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
