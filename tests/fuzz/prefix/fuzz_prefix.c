/*
 * fuzz_prefix.c - prefix parsing and printing.  Invariant checked: a
 * prefix that parses prints to a canonical form that parses back to the
 * same value and prints the same again.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/prefix.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flags[] = { 0, MANRS_PREFIX_NORMALIZE,
	    MANRS_PREFIX_HOST, MANRS_PREFIX_HOST | MANRS_PREFIX_NORMALIZE };
	struct manrs_prefix p, q;
	char a[MANRS_PREFIX_STRLEN], b[MANRS_PREFIX_STRLEN];
	size_t i, n;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (manrs_prefix_parse(manrs_view_make((const char *)data,
		    size), flags[i], &p) != 0)
			continue;
		n = manrs_prefix_print(&p, a, sizeof(a));
		if (manrs_prefix_parse(manrs_view_make(a, n), 0, &q) != 0 ||
		    !manrs_prefix_eq(&p, &q))
			abort();
		manrs_prefix_print(&q, b, sizeof(b));
		if (strcmp(a, b) != 0 || manrs_prefix_has_hostbits(&p))
			abort();
		if (!manrs_prefix_covers(&p, &q) || manrs_prefix_cmp(&p, &q))
			abort();
	}
	return 0;
}
