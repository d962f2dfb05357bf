/*
 * fuzz_bmp.c - BMP messages (RFC 7854, RFC 9069, RFC 8671) through the
 * stream framer, then the BGP UPDATE each Route Monitoring message
 * carries through the attribute decoder and the NLRI iterators, as
 * manrs monitor does.  The first byte sets the chunk size the bytes are
 * fed in (so messages split across reads are exercised).  Checked: no
 * crash; a decoded message never points outside the input; its length
 * is what the framer took; TLV and counter iteration stays in bounds.
 *
 * Seeds (corpus/): Route Monitoring messages wrapping real UPDATEs from
 * the RIS and PCH update files in ../shared/data/mrt (IPv4 and IPv6,
 * two- and four-octet sessions, pre/post-policy, Adj-RIB-Out, Loc-RIB),
 * Initiation, Peer Up with both OPENs, Peer Down, Statistics and
 * Termination messages.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/bgp.h>
#include <manrs/bmp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
route(const struct manrs_bmp_msg *m)
{
	static uint8_t path[MANRS_BGP_ASPATH4_MAX];
	struct manrs_bgp_attrs a;
	struct manrs_bgp_nlri_iter it;
	struct manrs_bgp_nlri n;
	struct manrs_prefix p;
	ptrdiff_t len;
	uint32_t asn;

	manrs_bgp_attrs_decode(&a, m->update.attrs, m->update.attrs_len,
	    m->asn_size, 0, NULL);
	len = manrs_bgp_aspath4(&a, path);
	if (len > (ptrdiff_t)MANRS_BGP_ASPATH4_MAX)
		abort();
	if (len > 0)
		manrs_bgp_aspath_origin(path, (size_t)len, &asn);
	manrs_bgp_nlri_init(&it, m->update.withdrawn, m->update.withdrawn_len,
	    MANRS_AF_INET, false);
	while (manrs_bgp_nlri_next(&it, &n) == 1)
		manrs_bgp_nlri_prefix(&n, &p);
	manrs_bgp_nlri_init(&it, m->update.nlri, m->update.nlri_len,
	    MANRS_AF_INET, false);
	while (manrs_bgp_nlri_next(&it, &n) == 1)
		manrs_bgp_nlri_prefix(&n, &p);
	if (manrs_bgp_attrs_has(&a, MANRS_BGP_ATTR_MP_REACH)) {
		manrs_bgp_nlri_init(&it, a.reach.nlri, a.reach.nlri_len,
		    a.reach.afi == MANRS_AFI_IPV6 ? MANRS_AF_INET6 :
		    MANRS_AF_INET, false);
		while (manrs_bgp_nlri_next(&it, &n) == 1)
			manrs_bgp_nlri_prefix(&n, &p);
	}
}

static void
check(const uint8_t *data, size_t size, const struct manrs_bmp_msg *m)
{
	struct manrs_reader r;
	struct manrs_bmp_tlv t;
	struct manrs_bmp_stat s;

	(void)data;
	(void)size;
	if (m->type == MANRS_BMP_ROUTE_MONITORING) {
		if (m->bgp == NULL || m->bgp_len < 19 ||
		    m->bgp_len > m->len)
			abort();
		route(m);
	}
	manrs_bmp_tlv_init(&r, m);
	if (m->type == MANRS_BMP_STATS_REPORT) {
		while (manrs_bmp_stat_next(&r, &s) == 1)
			if (s.len != 0 && s.raw == NULL)
				abort();
	} else {
		while (manrs_bmp_tlv_next(&r, &t) == 1)
			if (t.value < m->tlvs ||
			    t.value + t.len > m->tlvs + m->tlvs_len)
				abort();
	}
	if (r.off > m->tlvs_len)
		abort();
	manrs_bmp_type_name(m->type);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_bmp_stream *s;
	struct manrs_bmp_msg m;
	size_t chunk, off, n, mlen, before;
	uint64_t moff;
	int rc;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] * 7 + 1;
	data++;
	size--;
	/* One message decoded in place, as a datagram-style caller would. */
	if (manrs_bmp_msg_length(data, size, &mlen) == 0 && mlen <= size &&
	    manrs_bmp_decode(data, mlen, &m, NULL) == 0) {
		if (m.len != mlen)
			abort();
		check(data, size, &m);
	}
	if ((s = manrs_bmp_stream_new()) == NULL)
		return 0;
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		if (manrs_bmp_stream_feed(s, data + off, n) != 0)
			break;
		for (;;) {
			before = manrs_bmp_stream_pending(s);
			rc = manrs_bmp_stream_next(s, &m, &moff);
			if (rc == 0)
				break;
			if (rc == 1) {
				if (moff + m.len > off + n)
					abort();
				check(data, size, &m);
			} else if (manrs_bmp_stream_pending(s) == before) {
				/* framing error: fatal, nothing consumed */
				if (manrs_bmp_stream_next(s, &m, &moff) != rc)
					abort();
				goto done;
			}
		}
	}
done:
	manrs_bmp_stream_free(s);
	return 0;
}
