/*
 * mrt_decode.c - decoded views of MRT record bodies: TABLE_DUMP (RFC 6396
 * section 4.2), TABLE_DUMP_V2 RIB records (4.3.2-4.3.4, RFC 8050 section
 * 4) and BGP4MP / BGP4MP_ET (4.4, RFC 8050 section 3).
 *
 * Invariants: every field is read through a bounded reader over the
 * record body; views point into the body; nothing is allocated.
 */
#include <string.h>

#include <manrs/mrt.h>

#include "mrt_int.h"

int
manrs_mrt_td1_decode(const struct manrs_mrt_record *rec,
    struct manrs_mrt_td1 *t)
{
	struct manrs_reader r;
	uint16_t as16, alen;
	unsigned alen_addr;
	bool v6, as4;

	memset(t, 0, sizeof(*t));
	/* Subtypes 3 and 4 are the 32-bit ASN variants some tools write. */
	switch (rec->subtype) {
	case 1: v6 = false; as4 = false; break;
	case 2: v6 = true; as4 = false; break;
	case 3: v6 = false; as4 = true; break;
	case 4: v6 = true; as4 = true; break;
	default:
		return MANRS_E_FORMAT;
	}
	alen_addr = v6 ? 16 : 4;
	manrs_reader_init(&r, rec->body, rec->len, 0);
	manrs_reader_u16(&r, &t->view);
	manrs_reader_u16(&r, &t->seq);
	manrs_reader_copy(&r, t->prefix.addr, alen_addr);
	manrs_reader_u8(&r, &t->prefix.len);
	manrs_reader_u8(&r, &t->status);
	manrs_reader_u32(&r, &t->originated);
	manrs_reader_copy(&r, t->peer_addr, alen_addr);
	if (as4)
		manrs_reader_u32(&r, &t->peer_as);
	else {
		manrs_reader_u16(&r, &as16);
		t->peer_as = as16;
	}
	manrs_reader_u16(&r, &alen);
	manrs_reader_bytes(&r, alen, &t->attrs);
	if (r.err != 0)
		return r.err;
	t->attrs_len = alen;
	t->prefix.af = v6 ? MANRS_AF_INET6 : MANRS_AF_INET;
	t->peer_af = t->prefix.af;
	if (t->prefix.len > alen_addr * 8)
		return MANRS_E_RANGE;
	return 0;
}

static int
rib_prefix(struct manrs_reader *r, uint8_t af, struct manrs_bgp_nlri *n)
{
	uint8_t plen;

	memset(n, 0, sizeof(*n));
	n->af = af;
	if (manrs_reader_u8(r, &plen) != 0)
		return r->err;
	if (plen > manrs_af_bits(af))
		return MANRS_E_RANGE;
	n->len = plen;
	return manrs_reader_copy(r, n->addr, (plen + 7u) / 8u);
}

int
manrs_mrt_rib_decode(const struct manrs_mrt_record *rec,
    struct manrs_mrt_rib *rib)
{
	struct manrs_reader r;
	uint8_t af = MANRS_AF_INET;
	int rc;

	memset(rib, 0, sizeof(*rib));
	if (rec->type != MANRS_MRT_TABLE_DUMP_V2)
		return MANRS_E_FORMAT;
	manrs_reader_init(&r, rec->body, rec->len, rec->offset);
	manrs_reader_u32(&r, &rib->seq);
	switch (rec->subtype) {
	case MANRS_MRT_RIB_IPV4_UNICAST_AP:
	case MANRS_MRT_RIB_IPV4_MULTICAST_AP:
	case MANRS_MRT_RIB_IPV6_UNICAST_AP:
	case MANRS_MRT_RIB_IPV6_MULTICAST_AP:
	case MANRS_MRT_RIB_GENERIC_AP:
		rib->addpath = true;
		break;
	}
	switch (rec->subtype) {
	case MANRS_MRT_RIB_IPV4_UNICAST:
	case MANRS_MRT_RIB_IPV4_UNICAST_AP:
		rib->afi = MANRS_AFI_IPV4;
		rib->safi = MANRS_SAFI_UNICAST;
		break;
	case MANRS_MRT_RIB_IPV4_MULTICAST:
	case MANRS_MRT_RIB_IPV4_MULTICAST_AP:
		rib->afi = MANRS_AFI_IPV4;
		rib->safi = MANRS_SAFI_MULTICAST;
		break;
	case MANRS_MRT_RIB_IPV6_UNICAST:
	case MANRS_MRT_RIB_IPV6_UNICAST_AP:
		rib->afi = MANRS_AFI_IPV6;
		rib->safi = MANRS_SAFI_UNICAST;
		break;
	case MANRS_MRT_RIB_IPV6_MULTICAST:
	case MANRS_MRT_RIB_IPV6_MULTICAST_AP:
		rib->afi = MANRS_AFI_IPV6;
		rib->safi = MANRS_SAFI_MULTICAST;
		break;
	case MANRS_MRT_RIB_GENERIC:
	case MANRS_MRT_RIB_GENERIC_AP:
		manrs_reader_u16(&r, &rib->afi);
		manrs_reader_u8(&r, &rib->safi);
		if (r.err != 0)
			return r.err;
		if ((rib->afi != MANRS_AFI_IPV4 && rib->afi != MANRS_AFI_IPV6)
		    || (rib->safi != MANRS_SAFI_UNICAST &&
		    rib->safi != MANRS_SAFI_MULTICAST))
			return MANRS_E_FORMAT;
		break;
	default:
		return MANRS_E_FORMAT;
	}
	if (rib->afi == MANRS_AFI_IPV6)
		af = MANRS_AF_INET6;
	if ((rc = rib_prefix(&r, af, &rib->prefix)) != 0)
		return rc;
	manrs_reader_u16(&r, &rib->count);
	if (r.err != 0)
		return r.err;
	manrs_reader_init(&rib->entries, r.p + r.off, manrs_reader_left(&r),
	    rec->offset + r.off);
	return 0;
}

int
manrs_mrt_rib_next(struct manrs_mrt_rib *rib, struct manrs_mrt_rib_entry *e)
{
	struct manrs_reader *r = &rib->entries;
	uint16_t alen;

	if (rib->count == 0)
		return 0;
	manrs_reader_u16(r, &e->peer_index);
	manrs_reader_u32(r, &e->originated);
	e->path_id = 0;
	if (rib->addpath)
		manrs_reader_u32(r, &e->path_id);
	manrs_reader_u16(r, &alen);
	manrs_reader_bytes(r, alen, &e->attrs);
	if (r->err != 0)
		return r->err;
	e->attrs_len = alen;
	rib->count--;
	return 1;
}

static void
read_asn(struct manrs_reader *r, unsigned size, uint32_t *v)
{
	uint16_t v16;

	if (size == 4) {
		manrs_reader_u32(r, v);
		return;
	}
	manrs_reader_u16(r, &v16);
	*v = v16;
}

int
manrs_mrt_bgp4mp_decode(const struct manrs_mrt_record *rec,
    struct manrs_mrt_bgp4mp *m)
{
	struct manrs_reader r;
	size_t alen;

	memset(m, 0, sizeof(*m));
	/* AS4 subtypes carry four-octet ASNs; LOCAL and ADD-PATH as named */
	switch (rec->subtype) {
	case MANRS_MRT_STATE_CHANGE:
	case MANRS_MRT_STATE_CHANGE_AS4:
		m->state_change = true;
		break;
	case MANRS_MRT_MESSAGE:
	case MANRS_MRT_MESSAGE_AS4:
	case MANRS_MRT_MESSAGE_LOCAL:
	case MANRS_MRT_MESSAGE_AS4_LOCAL:
	case MANRS_MRT_MESSAGE_AP:
	case MANRS_MRT_MESSAGE_AS4_AP:
	case MANRS_MRT_MESSAGE_LOCAL_AP:
	case MANRS_MRT_MESSAGE_AS4_LOCAL_AP:
		break;
	default:
		return MANRS_E_FORMAT;
	}
	m->asn_size = rec->subtype == MANRS_MRT_STATE_CHANGE_AS4 ||
	    rec->subtype == MANRS_MRT_MESSAGE_AS4 ||
	    rec->subtype == MANRS_MRT_MESSAGE_AS4_LOCAL ||
	    rec->subtype == MANRS_MRT_MESSAGE_AS4_AP ||
	    rec->subtype == MANRS_MRT_MESSAGE_AS4_LOCAL_AP ? 4 : 2;
	m->local = rec->subtype == MANRS_MRT_MESSAGE_LOCAL ||
	    rec->subtype == MANRS_MRT_MESSAGE_AS4_LOCAL ||
	    rec->subtype == MANRS_MRT_MESSAGE_LOCAL_AP ||
	    rec->subtype == MANRS_MRT_MESSAGE_AS4_LOCAL_AP;
	m->addpath = rec->subtype >= MANRS_MRT_MESSAGE_AP &&
	    rec->subtype <= MANRS_MRT_MESSAGE_AS4_LOCAL_AP;
	manrs_reader_init(&r, rec->body, rec->len, 0);
	read_asn(&r, m->asn_size, &m->peer_as);
	read_asn(&r, m->asn_size, &m->local_as);
	manrs_reader_u16(&r, &m->ifindex);
	manrs_reader_u16(&r, &m->afi);
	if (r.err != 0)
		return r.err;
	if (m->afi == MANRS_AFI_IPV4)
		alen = 4;
	else if (m->afi == MANRS_AFI_IPV6)
		alen = 16;
	else
		return MANRS_E_FAMILY;
	manrs_reader_copy(&r, m->peer_addr, alen);
	manrs_reader_copy(&r, m->local_addr, alen);
	if (m->state_change) {
		manrs_reader_u16(&r, &m->old_state);
		manrs_reader_u16(&r, &m->new_state);
		return r.err;
	}
	if (r.err != 0)
		return r.err;
	m->msg = r.p + r.off;
	m->msg_len = manrs_reader_left(&r);
	return 0;
}
