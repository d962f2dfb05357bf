/*
 * fuzz_spoofer.c - the spoofing results CSV reader and summaries.
 */
#include <stdlib.h>

#include <manrs/spoofer.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_spoofer *sp = manrs_spoofer_new(NULL);
	struct manrs_diag_sink sink = { 0 };
	struct manrs_spoof_summary s;
	struct manrs_input *in;
	const uint32_t *asns;
	size_t i, n;
	int err;

	if (sp == NULL)
		return 0;
	if ((in = manrs_input_mem(data, size, "fuzz", &err)) != NULL) {
		(void)manrs_spoofer_read(sp, in, &sink);
		manrs_input_close(in);
	}
	n = manrs_spoofer_asns(sp, &asns);
	for (i = 0; i < n && i < 16; i++)
		if (manrs_spoofer_summary(sp, asns[i], 0, INT64_MAX, &s) &&
		    (s.leaking > s.prefixes || s.spoofable > s.tests))
			abort();
	manrs_spoofer_free(sp);
	return 0;
}
