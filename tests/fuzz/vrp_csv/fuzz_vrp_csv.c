/*
 * fuzz_vrp_csv.c - the CSV VRP reader.  Invariants:
 * no crash or leak on any input; after a successful read the set
 * finishes, is sorted and unique, and every VRP validates as Valid for
 * its own prefix and AS (unless AS0).
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/vrp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	struct manrs_vrp_read_opts o;
	struct manrs_diag_sink sink;
	size_t i, n;

	if (s == NULL)
		return 0;
	memset(&o, 0, sizeof(o));
	memset(&sink, 0, sizeof(sink));
	o.format = MANRS_VRP_FMT_CSV;
	o.now = 1700000000;
	o.max_vrps = 100000;
	if (manrs_vrp_read_mem(s, data, size, "fuzz", &o, &sink) == 0 &&
	    manrs_vrp_set_finish(s) == 0) {
		n = manrs_vrp_count(s, 0);
		for (i = 0; i < n; i++) {
			const struct manrs_vrp *v = manrs_vrp_get(s, i);

			if (i > 0 && manrs_vrp_cmp(manrs_vrp_get(s, i - 1),
			    v) >= 0)
				abort();
			if (v->asn != 0 && manrs_rov_validate(s, &v->prefix,
			    v->asn, false, NULL) != MANRS_ROV_VALID)
				abort();
		}
	}
	manrs_vrp_set_free(s);
	return 0;
}
