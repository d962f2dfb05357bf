/*
 * asn.c - autonomous system numbers in asplain and asdot (RFC 5396).
 */
#include <stdio.h>
#include <string.h>

#include <manrs/prefix.h>

/* Digits only, no leading zero unless the number is "0". */
static int
parse_part(struct manrs_view v, uint32_t max, uint32_t *out)
{
	if (v.len > 1 && v.p[0] == '0')
		return MANRS_E_SYNTAX;
	return manrs_view_u32(v, max, out);
}

int
manrs_asn_parse(struct manrs_view text, uint32_t *asn)
{
	struct manrs_view hi, lo;
	uint32_t h, l;
	int rc;

	if (manrs_view_case_starts_with(text, "AS")) {
		text.p += 2;
		text.len -= 2;
	}
	if (text.len == 0)
		return MANRS_E_SYNTAX;
	if (manrs_view_split(text, '.', &hi, &lo)) {
		if ((rc = parse_part(hi, 65535, &h)) != 0 ||
		    (rc = parse_part(lo, 65535, &l)) != 0)
			return rc;
		*asn = h << 16 | l;
		return 0;
	}
	return parse_part(text, MANRS_ASN_MAX, asn);
}

size_t
manrs_asn_print(uint32_t asn, enum manrs_asn_fmt fmt, char *buf, size_t size)
{
	int n;

	if (fmt == MANRS_ASN_ASPLAIN ||
	    (fmt == MANRS_ASN_ASDOT && asn <= 65535))
		n = snprintf(buf, size, "%u", asn);
	else
		n = snprintf(buf, size, "%u.%u", asn >> 16, asn & 0xffff);
	return n < 0 ? 0 : (size_t)n;
}
