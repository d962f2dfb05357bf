/*
 * mrt_write.c - MRT writer: TABLE_DUMP_V2 (PEER_INDEX_TABLE, RIB_IPV4/
 * IPV6_UNICAST and their RFC 8050 ADD-PATH subtypes) and BGP4MP_ET
 * (MESSAGE_AS4, MESSAGE_AS4_LOCAL, STATE_CHANGE_AS4), RFC 6396 sections
 * 2, 3, 4.3 and 4.4; plus a one-prefix BGP UPDATE encoder (RFC 4271 4.3,
 * RFC 4760).
 *
 * Invariants: each record is built completely in one buffer and written
 * with one fwrite, so a reader never sees half a record from a writer
 * that fails; the first write error is sticky and returned by
 * manrs_mrt_writer_free().  Every length field is checked against its
 * width before it is written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/mrt.h>

#include "mrt_int.h"

struct manrs_mrt_writer {
	FILE		*fp;
	struct manrs_buf b;
	int		 err;
};

struct manrs_mrt_writer *
manrs_mrt_writer_new(FILE *fp, int *err)
{
	struct manrs_mrt_writer *w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	w->fp = fp;
	manrs_buf_init(&w->b, MANRS_MRT_HEADER_LEN + MANRS_MRT_RECORD_MAX);
	return w;
}

int
manrs_mrt_writer_free(struct manrs_mrt_writer *w)
{
	int err;

	if (w == NULL)
		return 0;
	if (fflush(w->fp) != 0 && w->err == 0)
		w->err = MANRS_E_IO;
	err = w->err;
	manrs_buf_clear(&w->b);
	free(w);
	return err;
}

/* Start a record in w->b; the length is patched by finish(). */
static void
start(struct manrs_mrt_writer *w, uint32_t ts, uint16_t type,
    uint16_t subtype)
{
	manrs_buf_reset(&w->b);
	manrs_buf_put_u32(&w->b, ts);
	manrs_buf_put_u16(&w->b, type);
	manrs_buf_put_u16(&w->b, subtype);
	manrs_buf_put_u32(&w->b, 0);
}

static int
finish(struct manrs_mrt_writer *w)
{
	size_t len;

	if (w->err != 0)
		return w->err;
	if (w->b.err != 0)
		return w->b.err;
	len = w->b.len - MANRS_MRT_HEADER_LEN;
	if (len > MANRS_MRT_RECORD_MAX)
		return MANRS_E_LIMIT;
	manrs_buf_patch_u32(&w->b, 8, (uint32_t)len);
	if (fwrite(w->b.p, 1, w->b.len, w->fp) != w->b.len) {
		w->err = MANRS_E_IO;
		return w->err;
	}
	return 0;
}

int
manrs_mrt_write_peer_index(struct manrs_mrt_writer *w, uint32_t ts,
    const uint8_t collector_id[4], const char *view,
    const struct manrs_mrt_peer *peers, size_t npeers)
{
	size_t vlen = view != NULL ? strlen(view) : 0, i;

	if (vlen > MANRS_MRT_VIEW_NAME_MAX || npeers > UINT16_MAX)
		return MANRS_E_LIMIT;
	start(w, ts, MANRS_MRT_TABLE_DUMP_V2, MANRS_MRT_PEER_INDEX_TABLE);
	manrs_buf_put(&w->b, collector_id, 4);
	manrs_buf_put_u16(&w->b, (uint16_t)vlen);
	manrs_buf_put(&w->b, view, vlen);
	manrs_buf_put_u16(&w->b, (uint16_t)npeers);
	for (i = 0; i < npeers; i++) {
		bool v6 = peers[i].af == MANRS_AF_INET6;

		/* Peer type: bit 0 IPv6 address, bit 1 four-octet AS. */
		manrs_buf_put_u8(&w->b, (uint8_t)(2 | (v6 ? 1 : 0)));
		manrs_buf_put(&w->b, peers[i].bgp_id, 4);
		manrs_buf_put(&w->b, peers[i].addr, v6 ? 16 : 4);
		manrs_buf_put_u32(&w->b, peers[i].asn);
	}
	return finish(w);
}

int
manrs_mrt_write_rib(struct manrs_mrt_writer *w, uint32_t ts, uint32_t seq,
    const struct manrs_prefix *p, size_t n, const uint16_t *peer_index,
    const uint32_t *originated, const uint32_t *path_ids,
    const uint8_t *const *attrs, const size_t *attrs_len)
{
	bool v6 = p->af == MANRS_AF_INET6;
	uint16_t subtype;
	size_t i;

	if (n > UINT16_MAX || p->len > manrs_af_bits(p->af))
		return MANRS_E_LIMIT;
	if (path_ids != NULL)
		subtype = v6 ? MANRS_MRT_RIB_IPV6_UNICAST_AP :
		    MANRS_MRT_RIB_IPV4_UNICAST_AP;
	else
		subtype = v6 ? MANRS_MRT_RIB_IPV6_UNICAST :
		    MANRS_MRT_RIB_IPV4_UNICAST;
	start(w, ts, MANRS_MRT_TABLE_DUMP_V2, subtype);
	manrs_buf_put_u32(&w->b, seq);
	manrs_buf_put_u8(&w->b, p->len);
	manrs_buf_put(&w->b, p->addr, (p->len + 7u) / 8u);
	manrs_buf_put_u16(&w->b, (uint16_t)n);
	for (i = 0; i < n; i++) {
		if (attrs_len[i] > UINT16_MAX)
			return MANRS_E_LIMIT;
		manrs_buf_put_u16(&w->b, peer_index[i]);
		manrs_buf_put_u32(&w->b, originated[i]);
		if (path_ids != NULL)
			manrs_buf_put_u32(&w->b, path_ids[i]);
		manrs_buf_put_u16(&w->b, (uint16_t)attrs_len[i]);
		manrs_buf_put(&w->b, attrs[i], attrs_len[i]);
	}
	return finish(w);
}

static void
put_bgp4mp_head(struct manrs_mrt_writer *w, uint32_t usec, uint32_t peer_as,
    uint32_t local_as, uint8_t af, const uint8_t *peer_addr,
    const uint8_t *local_addr)
{
	size_t alen = af == MANRS_AF_INET6 ? 16 : 4;

	manrs_buf_put_u32(&w->b, usec);
	manrs_buf_put_u32(&w->b, peer_as);
	manrs_buf_put_u32(&w->b, local_as);
	manrs_buf_put_u16(&w->b, 0);		/* interface index */
	manrs_buf_put_u16(&w->b, af == MANRS_AF_INET6 ? MANRS_AFI_IPV6 :
	    MANRS_AFI_IPV4);
	manrs_buf_put(&w->b, peer_addr, alen);
	manrs_buf_put(&w->b, local_addr, alen);
}

int
manrs_mrt_write_message(struct manrs_mrt_writer *w, uint32_t ts,
    uint32_t usec, bool local, uint32_t peer_as, uint32_t local_as,
    uint8_t af, const uint8_t *peer_addr, const uint8_t *local_addr,
    const uint8_t *msg, size_t msg_len)
{
	if (usec > 999999 || msg_len > MANRS_BGP_MSG_MAX)
		return MANRS_E_RANGE;
	start(w, ts, MANRS_MRT_BGP4MP_ET, local ?
	    MANRS_MRT_MESSAGE_AS4_LOCAL : MANRS_MRT_MESSAGE_AS4);
	put_bgp4mp_head(w, usec, peer_as, local_as, af, peer_addr,
	    local_addr);
	manrs_buf_put(&w->b, msg, msg_len);
	return finish(w);
}

int
manrs_mrt_write_state(struct manrs_mrt_writer *w, uint32_t ts,
    uint32_t usec, uint32_t peer_as, uint32_t local_as, uint8_t af,
    const uint8_t *peer_addr, const uint8_t *local_addr, uint16_t old_state,
    uint16_t new_state)
{
	if (usec > 999999)
		return MANRS_E_RANGE;
	start(w, ts, MANRS_MRT_BGP4MP_ET, MANRS_MRT_STATE_CHANGE_AS4);
	put_bgp4mp_head(w, usec, peer_as, local_as, af, peer_addr,
	    local_addr);
	manrs_buf_put_u16(&w->b, old_state);
	manrs_buf_put_u16(&w->b, new_state);
	return finish(w);
}

static void
put_nlri(struct manrs_buf *b, const struct manrs_prefix *p, uint32_t path_id,
    bool addpath)
{
	if (addpath)
		manrs_buf_put_u32(b, path_id);
	manrs_buf_put_u8(b, p->len);
	manrs_buf_put(b, p->addr, (p->len + 7u) / 8u);
}

int
manrs_bgp_encode_update(struct manrs_buf *out, bool withdraw,
    const struct manrs_prefix *p, uint32_t path_id, bool addpath,
    const uint8_t *attrs, size_t attrs_len, const uint8_t *nh, size_t nh_len)
{
	size_t start = out->len, mark, alen_off;
	bool v6 = p->af == MANRS_AF_INET6;

	if (nh_len > 255 || p->len > manrs_af_bits(p->af))
		return MANRS_E_RANGE;
	for (mark = 0; mark < 16; mark++)
		manrs_buf_put_u8(out, 0xff);
	manrs_buf_put_u16(out, 0);		/* length, patched below */
	manrs_buf_put_u8(out, MANRS_BGP_MSG_UPDATE);
	/* Withdrawn routes (IPv4 only). */
	mark = out->len;
	manrs_buf_put_u16(out, 0);
	if (withdraw && !v6) {
		put_nlri(out, p, path_id, addpath);
		manrs_buf_patch_u16(out, mark, (uint16_t)(out->len - mark -
		    2));
	}
	alen_off = out->len;
	manrs_buf_put_u16(out, 0);
	if (!withdraw)
		manrs_buf_put(out, attrs, attrs_len);
	if (v6) {
		size_t l_off;

		/* Optional, extended length (RFC 4760 sections 3 and 4). */
		manrs_buf_put_u8(out, MANRS_BGP_FLAG_OPTIONAL |
		    MANRS_BGP_FLAG_EXTLEN);
		manrs_buf_put_u8(out, withdraw ? MANRS_BGP_ATTR_MP_UNREACH :
		    MANRS_BGP_ATTR_MP_REACH);
		l_off = out->len;
		manrs_buf_put_u16(out, 0);
		manrs_buf_put_u16(out, MANRS_AFI_IPV6);
		manrs_buf_put_u8(out, MANRS_SAFI_UNICAST);
		if (!withdraw) {
			manrs_buf_put_u8(out, (uint8_t)nh_len);
			manrs_buf_put(out, nh, nh_len);
			manrs_buf_put_u8(out, 0);	/* reserved */
		}
		put_nlri(out, p, path_id, addpath);
		manrs_buf_patch_u16(out, l_off, (uint16_t)(out->len - l_off -
		    2));
	}
	if (out->len - alen_off - 2 > UINT16_MAX)
		return MANRS_E_LIMIT;
	manrs_buf_patch_u16(out, alen_off, (uint16_t)(out->len - alen_off -
	    2));
	if (!withdraw && !v6)
		put_nlri(out, p, path_id, addpath);
	if (out->err != 0)
		return out->err;
	if (out->len - start > MANRS_BGP_MSG_MAX)
		return MANRS_E_LIMIT;
	manrs_buf_patch_u16(out, start + 16, (uint16_t)(out->len - start));
	return out->err;
}
