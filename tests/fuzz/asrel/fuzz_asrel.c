/*
 * fuzz_asrel.c - CAIDA as-rel reader, graph build and the leak check on
 * paths taken from the same bytes.
 */
#include <stdlib.h>

#include <manrs/asgraph.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_asgraph *g;
	struct manrs_diag_sink sink = { 0 };
	struct manrs_input *in;
	struct manrs_leak leak;
	uint32_t path[16], *cone;
	size_t i, n;
	ptrdiff_t c;
	int err;

	if ((g = manrs_asgraph_new(NULL)) == NULL)
		return 0;
	if ((in = manrs_input_mem(data, size, "fuzz", &err)) != NULL) {
		(void)manrs_asgraph_read(g, in, &sink);
		manrs_input_close(in);
	}
	if (manrs_asgraph_finish(g) == 0) {
		n = size < 16 ? size : 16;
		for (i = 0; i < n; i++)
			path[i] = data[i] % 8;
		if (manrs_asgraph_check_path(g, path, n, &leak) ==
		    MANRS_VF_LEAK && leak.index >= n)
			abort();
		if ((c = manrs_asgraph_cone(g, 1, &cone)) >= 0)
			free(cone);
	}
	manrs_asgraph_free(g);
	return 0;
}
