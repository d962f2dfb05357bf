/*
 * fuzz_sav_customers.c - the SAV customer-file parser, then (when the
 * file parses and checks) every rendering dialect.  The empty-family
 * default (unset, drop, open) is the input's length modulo 3.
 * Invariants: no crash, no leak; a file whose families do not check is
 * refused by the renderer too; a checked file renders in every dialect
 * (only the Linux ones may refuse an interface name, MANRS_E_FORMAT).
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/sav.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_sav *s;
	struct manrs_buf b;
	const char *why;
	int d, rc;

	if ((s = manrs_sav_new(NULL)) == NULL)
		return 0;
	manrs_sav_set_empty_family(s, (enum manrs_sav_empty)(size % 3));
	if (manrs_sav_parse(s, (const char *)data, size, "fuzz", NULL) == 0 &&
	    manrs_sav_check(s, "fuzz", NULL) == 0) {
		if (manrs_sav_check_families(s, 0, "fuzz", NULL) != 0) {
			manrs_buf_init(&b, 0);
			if (manrs_sav_render(s, MANRS_SAV_CISCO, 0, &b,
			    &why) != MANRS_E_FORMAT)
				abort();
			manrs_buf_clear(&b);
			manrs_sav_free(s);
			return 0;
		}
		for (d = 0; d < MANRS_SAV_DIALECT_COUNT; d++) {
			manrs_buf_init(&b, 64u * 1024u * 1024u);
			rc = manrs_sav_render(s, (enum manrs_sav_dialect)d, 0,
			    &b, &why);
			if (rc != 0 && !(rc == MANRS_E_FORMAT &&
			    (d == MANRS_SAV_NFT || d == MANRS_SAV_SYSCTL)))
				abort();
			manrs_buf_clear(&b);
		}
	}
	manrs_sav_free(s);
	return 0;
}
