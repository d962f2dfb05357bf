/*
 * fuzz_asn.c - ASN parsing.  Invariant: a parsed ASN prints in asplain
 * and asdot forms that parse back to the same number.
 */
#include <stdlib.h>

#include <manrs/prefix.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t asn, back;
	char buf[16];
	size_t n;
	int f;

	if (manrs_asn_parse(manrs_view_make((const char *)data, size),
	    &asn) != 0)
		return 0;
	for (f = MANRS_ASN_ASPLAIN; f <= MANRS_ASN_ASDOTPLUS; f++) {
		n = manrs_asn_print(asn, (enum manrs_asn_fmt)f, buf,
		    sizeof(buf));
		if (manrs_asn_parse(manrs_view_make(buf, n), &back) != 0 ||
		    back != asn)
			abort();
	}
	return 0;
}
