/*
 * fuzz_audit_config.c - the audit's "key = value" configuration reader.
 * Invariant: whatever is read, the thresholds stay ordered when the read
 * succeeds (aspiring <= ready).
 */
#include <stdlib.h>

#include <manrs/audit.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_audit_config c;
	struct manrs_diag_sink sink = { 0 };
	struct manrs_input *in;
	int err;

	manrs_audit_config_default(&c);
	if ((in = manrs_input_mem(data, size, "fuzz", &err)) == NULL)
		return 0;
	if (manrs_audit_config_read(&c, in, &sink) == 0 &&
	    c.aspiring > c.ready)
		abort();
	manrs_input_close(in);
	return 0;
}
