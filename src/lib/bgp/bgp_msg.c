/*
 * bgp_msg.c - BGP message header, UPDATE layout and NLRI iteration
 * (RFC 4271 sections 4.1 and 4.3, RFC 4760 section 5, RFC 7911 section 3).
 *
 * Invariants: an NLRI element is read only when all its bytes are
 * present; its address bytes are kept as sent (bits past the length
 * included) so a printer can show exactly what was on the wire, and
 * manrs_bgp_nlri_prefix() masks them for every semantic use.
 */
#include <string.h>

#include <manrs/bgp.h>

#define BGP_HEADER_LEN	19

int
manrs_bgp_msg_header(const uint8_t *p, size_t len, uint8_t *type,
    const uint8_t **body, size_t *body_len)
{
	size_t mlen, i;

	if (len < BGP_HEADER_LEN)
		return MANRS_E_SHORT;
	for (i = 0; i < 16; i++)
		if (p[i] != 0xff)
			return MANRS_E_FORMAT;
	mlen = (size_t)p[16] << 8 | p[17];
	if (mlen < BGP_HEADER_LEN)
		return MANRS_E_FORMAT;
	if (mlen > len)
		return MANRS_E_SHORT;
	*type = p[18];
	*body = p + BGP_HEADER_LEN;
	*body_len = mlen - BGP_HEADER_LEN;
	return 0;
}

int
manrs_bgp_update_split(const uint8_t *p, size_t len,
    struct manrs_bgp_update *u)
{
	struct manrs_reader r;
	uint16_t wl, al;

	memset(u, 0, sizeof(*u));
	manrs_reader_init(&r, p, len, 0);
	manrs_reader_u16(&r, &wl);
	manrs_reader_bytes(&r, wl, &u->withdrawn);
	manrs_reader_u16(&r, &al);
	manrs_reader_bytes(&r, al, &u->attrs);
	if (r.err != 0)
		return r.err;
	u->withdrawn_len = wl;
	u->attrs_len = al;
	u->nlri = r.p + r.off;
	u->nlri_len = manrs_reader_left(&r);
	return 0;
}

void
manrs_bgp_nlri_init(struct manrs_bgp_nlri_iter *it, const uint8_t *p,
    size_t len, uint8_t af, bool addpath)
{
	it->p = p;
	it->len = p != NULL ? len : 0;
	it->off = 0;
	it->af = af;
	it->addpath = addpath;
}

int
manrs_bgp_nlri_next(struct manrs_bgp_nlri_iter *it, struct manrs_bgp_nlri *n)
{
	size_t left = it->len - it->off, nbytes, hdr;
	const uint8_t *q = it->p + it->off;
	unsigned plen;

	if (left == 0)
		return 0;
	hdr = it->addpath ? 5 : 1;
	if (left < hdr)
		return MANRS_E_SHORT;
	n->path_id = 0;
	if (it->addpath)
		n->path_id = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		    (uint32_t)q[2] << 8 | q[3];
	plen = q[hdr - 1];
	if (plen > manrs_af_bits(it->af))
		return MANRS_E_RANGE;
	nbytes = (plen + 7) / 8;
	if (left - hdr < nbytes)
		return MANRS_E_SHORT;
	n->af = it->af;
	n->len = (uint8_t)plen;
	memset(n->addr, 0, sizeof(n->addr));
	memcpy(n->addr, q + hdr, nbytes);
	it->off += hdr + nbytes;
	return 1;
}

void
manrs_bgp_nlri_prefix(const struct manrs_bgp_nlri *n, struct manrs_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->af = n->af;
	p->len = n->len;
	memcpy(p->addr, n->addr, n->af == MANRS_AF_INET ? 4 : 16);
	manrs_prefix_mask(p);
}
