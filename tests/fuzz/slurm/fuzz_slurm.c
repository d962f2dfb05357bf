/*
 * fuzz_slurm.c - SLURM (RFC 8416 + ASPA extension) parsing and applying.
 * Invariants: no crash or leak; a file that parses applies to a small
 * set and the result finishes; every asserted prefix is then present.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/vrp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "{\"roas\":[{\"asn\":64496,\"prefix\":\"192.0.2.0/24\",\"maxLength\":24},"
    "{\"asn\":64497,\"prefix\":\"2001:db8::/32\",\"maxLength\":48}],"
    "\"aspas\":[{\"customer\":64496,\"providers\":[64497]}]}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_diag_sink sink;
	struct manrs_slurm *sl;
	struct manrs_vrp_set *s;
	int err;

	memset(&sink, 0, sizeof(sink));
	if ((sl = manrs_slurm_read_mem(data, size, "fuzz", &sink, &err)) ==
	    NULL)
		return 0;
	if ((s = manrs_vrp_set_new(NULL)) != NULL) {
		if (manrs_vrp_read_mem(s, base, sizeof(base) - 1, "base", NULL,
		    &sink) != 0)
			abort();
		if (manrs_slurm_apply(sl, s) == 0 &&
		    manrs_vrp_set_finish(s) != 0)
			abort();
		manrs_vrp_set_free(s);
	}
	manrs_slurm_free(sl);
	return 0;
}
