/*
 * fuzz_aggregate_line.c - aggregate(1)-compatible line reading
 * (manrs_aggregate_parse_line) under several option sets.  Checked: a
 * line that parses gives a valid prefix within the limits, without host
 * bits, whose canonical text parses back to the same prefix; a line
 * rejected for host bits parses with -t, marked truncated, to the same
 * masked prefix.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/aggregate.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(struct manrs_view v, const struct manrs_aggregate_line_opts *o)
{
	struct manrs_aggregate_line l, l2;
	struct manrs_aggregate_line_opts plain = *o, trunc = *o;
	char buf[MANRS_PREFIX_STRLEN];
	size_t n;
	int rc;

	rc = manrs_aggregate_parse_line(v, o, &l);
	if (rc == MANRS_E_HOSTBITS) {
		trunc.truncate = true;
		if (manrs_aggregate_parse_line(v, &trunc, &l2) != 0 ||
		    !l2.truncated || !manrs_prefix_eq(&l.prefix, &l2.prefix))
			abort();
		return;
	}
	if (rc != 0) {
		if (l.why == NULL || (rc != MANRS_E_SYNTAX &&
		    rc != MANRS_E_RANGE))
			abort();
		return;
	}
	if ((l.prefix.af != MANRS_AF_INET && l.prefix.af != MANRS_AF_INET6) ||
	    l.prefix.len > manrs_af_bits(l.prefix.af) ||
	    manrs_prefix_has_hostbits(&l.prefix) ||
	    (l.truncated && !o->truncate))
		abort();
	if (l.prefix.len == 0)
		return;		/* defaults are never 0 */
	plain.def4 = plain.def6 = 0;
	plain.max4 = 32;
	plain.max6 = 128;
	n = manrs_prefix_print(&l.prefix, buf, sizeof(buf));
	if (manrs_aggregate_parse_line(manrs_view_make(buf, n), &plain,
	    &l2) != 0 || !manrs_prefix_eq(&l.prefix, &l2.prefix))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct manrs_aggregate_line_opts opts[] = {
		{ 32, 128, 0, 0, false },
		{ 32, 128, 0, 0, true },
		{ 24, 48, 0, 0, false },
		{ 32, 128, 32, 128, true },
		{ 32, 128, 24, 64, false },
	};
	struct manrs_view v = manrs_view_make((const char *)data, size);
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		check(v, &opts[i]);
	return 0;
}
