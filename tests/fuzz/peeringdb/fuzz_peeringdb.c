/*
 * fuzz_peeringdb.c - the streaming PeeringDB JSON reader.
 */
#include <stdlib.h>

#include <manrs/peeringdb.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_peeringdb *db = manrs_peeringdb_new(NULL);
	struct manrs_diag_sink sink = { 0 };
	const struct manrs_pdb_poc *p;
	const struct manrs_pdb_netixlan *x;
	const struct manrs_pdb_net *n;
	struct manrs_input *in;
	int err;

	if (db == NULL)
		return 0;
	if ((in = manrs_input_mem(data, size, "fuzz", &err)) != NULL) {
		(void)manrs_peeringdb_read(db, in, &sink);
		manrs_input_close(in);
	}
	if ((n = manrs_peeringdb_net(db, 64500)) != NULL)
		(void)manrs_peeringdb_pocs(db, n->id, &p);
	(void)manrs_peeringdb_netixlans(db, 64500, &x);
	manrs_peeringdb_free(db);
	return 0;
}
