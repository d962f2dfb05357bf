/*
 * fuzz_sav_probe.c - the parsers that see bytes from the network in
 * "manrs spoof-probe": a received probe payload (receiver side) and a
 * result line (sender side).  Invariant: a payload that parses formats
 * back to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/sav.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_view v = manrs_view_make((const char *)data, size);
	char buf[MANRS_SAV_PROBE_PAYLOAD_MAX + 1];
	struct manrs_sav_probe p, q;
	struct manrs_prefix from;
	uint32_t seq;
	size_t n;

	if (manrs_sav_probe_parse(v, &p) == 0) {
		n = manrs_sav_probe_format(&p, buf, sizeof(buf));
		/* Addresses may print differently (RFC 5952), so only the
		 * round trip of the parsed value is checked. */
		if (n == 0 || manrs_sav_probe_parse(manrs_view_make(buf, n),
		    &q) != 0 || q.session != p.session || q.seq != p.seq ||
		    q.cls != p.cls || !manrs_prefix_eq(&q.claimed, &p.claimed))
			abort();
	}
	(void)manrs_sav_probe_result_parse(v, &seq, &from);
	return 0;
}
