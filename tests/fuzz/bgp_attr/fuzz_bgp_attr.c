/*
 * fuzz_bgp_attr.c - BGP path attributes and NLRI.  The first byte picks
 * the decoding mode (bit 0: four-octet ASNs, bit 1: MRT RIB form, bit 2:
 * ADD-PATH NLRI); the rest is a path attribute field.  Checked: no
 * crash; the merged AS path is well formed and no longer than
 * MANRS_BGP_ASPATH4_MAX; its text fits the length the printer reports;
 * the same bytes read as IPv4 and IPv6 NLRI never overrun.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/bgp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t path[MANRS_BGP_ASPATH4_MAX];
	static char text[64 * 1024];
	struct manrs_bgp_attrs a;
	struct manrs_bgp_nlri_iter it;
	struct manrs_bgp_nlri n;
	struct manrs_bgp_update u;
	struct manrs_prefix p;
	ptrdiff_t len;
	uint32_t asn;
	uint8_t mode, addr[4];
	size_t need;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	manrs_bgp_attrs_decode(&a, data, size, (mode & 1) ? 4 : 2,
	    (mode & 2) ? MANRS_BGP_DECODE_MRT_RIB : 0, NULL);
	len = manrs_bgp_aspath4(&a, path);
	if (len > (ptrdiff_t)MANRS_BGP_ASPATH4_MAX)
		abort();
	if (len > 0) {
		if (manrs_bgp_aspath_length(path, (size_t)len, 4) < 0)
			abort();
		need = manrs_bgp_aspath_print(path, (size_t)len, text,
		    sizeof(text));
		if (need < sizeof(text) && strlen(text) != need)
			abort();
		manrs_bgp_aspath_origin(path, (size_t)len, &asn);
	}
	manrs_bgp_aggregator(&a, &asn, addr);
	manrs_bgp_nlri_init(&it, data, size, MANRS_AF_INET, (mode & 4) != 0);
	while (manrs_bgp_nlri_next(&it, &n) == 1)
		manrs_bgp_nlri_prefix(&n, &p);
	manrs_bgp_nlri_init(&it, data, size, MANRS_AF_INET6, (mode & 4) != 0);
	while (manrs_bgp_nlri_next(&it, &n) == 1)
		manrs_bgp_nlri_prefix(&n, &p);
	if (manrs_bgp_update_split(data, size, &u) == 0)
		manrs_bgp_attrs_decode(&a, u.attrs, u.attrs_len, 4, 0, NULL);
	return 0;
}
