/*
 * mrt_route.c - iterate over the routes of an MRT stream: RIB entries of
 * TABLE_DUMP and TABLE_DUMP_V2 records, prefixes announced and withdrawn
 * by BGP4MP UPDATE messages, and session state changes.
 *
 * Per UPDATE the order is: IPv4 withdrawn routes, MP_UNREACH_NLRI, IPv4
 * NLRI, MP_REACH_NLRI (the order bgpdump prints them).  Attributes are
 * decoded once per UPDATE or RIB entry into the iterator and shared by
 * its prefixes.  Records that cannot be decoded are skipped and reported
 * with their offset; a malformed NLRI list ends that list with a warning.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/mrt.h>

#include "mrt_int.h"

enum phase {
	PH_RECORD,	/* read the next record */
	PH_RIB,		/* TABLE_DUMP_V2 entries */
	PH_WITHDRAWN,	/* UPDATE: IPv4 withdrawn routes */
	PH_UNREACH,
	PH_NLRI,
	PH_REACH,
};

struct manrs_mrt_routes {
	struct manrs_mrt_reader	*rd;
	struct manrs_mrt_record	 rec;
	enum phase		 phase;
	struct manrs_mrt_route	 tmpl;
	struct manrs_bgp_attrs	 attrs;
	struct manrs_mrt_rib	 rib;
	struct manrs_bgp_update	 upd;
	struct manrs_bgp_nlri_iter it;
	bool			 it_live;
	uint64_t		 accepted;	/* records bgpdump decodes */
	uint64_t		 cur_index;	/* bgpdump index of rec */
	manrs_mrt_keep_fn	*keep;		/* manrs_mrt_routes_filter */
	void			*keep_arg;
	bool			 skip_rec;	/* RIB record not kept */
	uint64_t		 pseen[65536 / 64];	/* peer indexes shown */
	uint32_t		 pseen_table;	/* of this PEER_INDEX_TABLE */
	bool			 pend;		/* an entry read, not handled */
	int			 pend_rc;
	struct manrs_mrt_rib_entry pend_e;
};

struct manrs_mrt_routes *
manrs_mrt_routes_new(struct manrs_mrt_reader *rd)
{
	struct manrs_mrt_routes *it;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return NULL;
	it->rd = rd;
	return it;
}

void
manrs_mrt_routes_free(struct manrs_mrt_routes *it)
{
	free(it);
}

void
manrs_mrt_routes_filter(struct manrs_mrt_routes *it, manrs_mrt_keep_fn *keep,
    void *arg)
{
	it->keep = keep;
	it->keep_arg = arg;
}

/* A route of a prefix the filter does not keep: no attributes. */
static bool
filtered(struct manrs_mrt_routes *it, const struct manrs_bgp_nlri *n)
{
	return it->keep != NULL && !it->keep(it->keep_arg, n);
}

static void
report_attrs(struct manrs_mrt_routes *it, int rc)
{
	const char *why;

	switch (rc) {
	case MANRS_E_SHORT:
		why = "path attribute runs past the attribute field "
		    "(RFC 4271 section 4.3); rest ignored";
		break;
	case MANRS_E_EXIST:
		why = "path attribute appears twice (RFC 7606 section 3 g); "
		    "second ignored";
		break;
	default:
		why = "path attribute has a bad length (RFC 7606 section 7); "
		    "ignored";
		break;
	}
	mrt_report(it->rd, MANRS_SEV_WARNING, it->rec.offset, why, NULL);
}

static const uint8_t *
rib_nexthop(const struct manrs_bgp_attrs *a, uint8_t *len)
{
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_MP_REACH) &&
	    a->reach.nh_len > 0) {
		*len = a->reach.nh_len;
		return a->reach.nh;
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_NEXT_HOP)) {
		*len = 4;
		return a->next_hop;
	}
	*len = 0;
	return NULL;
}

static int
start_td1(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt)
{
	struct manrs_mrt_td1 t;
	int rc;

	if (manrs_mrt_td1_decode(&it->rec, &t) != 0) {
		mrt_skip_report(it->rd, &it->rec, "TABLE_DUMP record is "
		    "truncated or has a bad prefix (RFC 6396 section 4.2)");
		return 0;
	}
	memset(rt, 0, sizeof(*rt));
	rt->kind = MANRS_MRT_ROUTE_RIB;
	rt->rec = &it->rec;
	rt->peer_af = t.peer_af;
	memcpy(rt->peer_addr, t.peer_addr, 16);
	rt->peer_as = t.peer_as;
	rt->afi = t.prefix.af == MANRS_AF_INET ? 1 : 2;
	rt->safi = MANRS_SAFI_UNICAST;
	rt->nlri = t.prefix;
	rt->originated = t.originated;
	if (filtered(it, &t.prefix)) {
		rt->kind = MANRS_MRT_ROUTE_FILTERED;
		return 1;
	}
	rc = manrs_bgp_attrs_decode(&it->attrs, t.attrs, t.attrs_len,
	    it->rec.subtype >= 3 ? 4 : 2, MANRS_BGP_DECODE_MRT_RIB, NULL);
	if (rc != 0)
		report_attrs(it, rc);
	rt->attr_err = rc;
	rt->attrs = &it->attrs;
	rt->nh = rib_nexthop(&it->attrs, &rt->nh_len);
	return 1;
}

/* Has this peer index been shown (and mark it so)? */
static bool
peer_shown(struct manrs_mrt_routes *it, uint16_t idx)
{
	uint64_t bit = 1ULL << (idx & 63);
	bool was = (it->pseen[idx >> 6] & bit) != 0;

	it->pseen[idx >> 6] |= bit;
	return was;
}

/*
 * The entries of a RIB record the filter does not keep, walked without
 * their attributes: one whose peer is new comes alone with its peer, the
 * others as runs.  A problem (an entry cut short, a peer index out of
 * the table) ends the run before it and is then handled as for a kept
 * record, so it is reported at the same point of the stream.
 */
static int
next_rib_filtered(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt,
    size_t npeers)
{
	struct manrs_mrt_rib_entry e;
	uint32_t n = 0;
	int rc;

	for (;;) {
		rc = manrs_mrt_rib_next(&it->rib, &e);
		if (rc < 0 || (rc > 0 && (e.peer_index >= npeers ||
		    !peer_shown(it, e.peer_index)))) {
			it->pend = true;	/* for next_rib, after the run */
			it->pend_rc = rc;
			it->pend_e = e;
			break;
		}
		if (rc == 0)
			break;
		n++;
	}
	if (n == 0)
		return 0;
	rt->kind = MANRS_MRT_ROUTE_FILTERED;
	rt->rec = &it->rec;
	rt->nlri = it->tmpl.nlri;
	rt->attrs = NULL;
	rt->count = n;
	return 1;
}

static int
next_rib(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt)
{
	struct manrs_mrt_rib_entry e;
	const struct manrs_mrt_peer *peers;
	size_t npeers;
	int rc;

	for (;;) {
		peers = manrs_mrt_peers(it->rd, &npeers);
		if (it->skip_rec && !it->pend &&
		    (rc = next_rib_filtered(it, rt, npeers)) != 0)
			return rc;
		if (it->pend) {
			it->pend = false;
			rc = it->pend_rc;
			e = it->pend_e;
		} else
			rc = manrs_mrt_rib_next(&it->rib, &e);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			mrt_skip_report(it->rd, &it->rec, "RIB entry is "
			    "truncated (RFC 6396 section 4.3.4); rest of the "
			    "record skipped");
			return 0;
		}
		if (e.peer_index >= npeers) {
			mrt_report(it->rd, MANRS_SEV_ERROR, it->rec.offset,
			    "RIB entry skipped", "peer index not in the "
			    "PEER_INDEX_TABLE (RFC 6396 section 4.3.4)");
			continue;
		}
		(void)peer_shown(it, e.peer_index);
		if (it->skip_rec) {
			/* Filtered, its peer new: what the doc promises. */
			rt->kind = MANRS_MRT_ROUTE_FILTERED;
			rt->count = 0;
			rt->rec = &it->rec;
			rt->peer_index = e.peer_index;
			rt->peer_table = it->tmpl.peer_table;
			rt->peer_af = peers[e.peer_index].af;
			memcpy(rt->peer_addr, peers[e.peer_index].addr, 16);
			rt->peer_as = peers[e.peer_index].asn;
			rt->nlri = it->tmpl.nlri;
			rt->nlri.path_id = e.path_id;
			rt->attrs = NULL;
			return 1;
		}
		*rt = it->tmpl;
		rt->peer_index = e.peer_index;
		rt->peer_af = peers[e.peer_index].af;
		memcpy(rt->peer_addr, peers[e.peer_index].addr, 16);
		rt->peer_as = peers[e.peer_index].asn;
		rt->originated = e.originated;
		rt->nlri.path_id = e.path_id;
		rc = manrs_bgp_attrs_decode(&it->attrs, e.attrs, e.attrs_len,
		    4, MANRS_BGP_DECODE_MRT_RIB, NULL);
		if (rc != 0)
			report_attrs(it, rc);
		rt->attr_err = rc;
		rt->attrs = &it->attrs;
		rt->nh = rib_nexthop(&it->attrs, &rt->nh_len);
		return 1;
	}
}

static int
start_td2(struct manrs_mrt_routes *it)
{
	struct manrs_mrt_route *t = &it->tmpl;

	if (it->rec.subtype == MANRS_MRT_PEER_INDEX_TABLE)
		return 0;
	if (manrs_mrt_rib_decode(&it->rec, &it->rib) != 0) {
		if (it->rec.subtype == MANRS_MRT_RIB_GENERIC ||
		    it->rec.subtype == MANRS_MRT_RIB_GENERIC_AP)
			return 0;	/* another AFI/SAFI: not ours */
		mrt_skip_report(it->rd, &it->rec, "TABLE_DUMP_V2 record is "
		    "truncated or of an unknown subtype (RFC 6396 4.3)");
		return 0;
	}
	memset(t, 0, sizeof(*t));
	t->kind = MANRS_MRT_ROUTE_RIB;
	t->rec = &it->rec;
	t->addpath = it->rib.addpath;
	t->afi = it->rib.afi;
	t->safi = it->rib.safi;
	t->nlri = it->rib.prefix;
	t->peer_table = mrt_peer_tables(it->rd);
	if (it->pseen_table != t->peer_table) {
		memset(it->pseen, 0, sizeof(it->pseen));
		it->pseen_table = t->peer_table;
	}
	it->pend = false;
	it->skip_rec = filtered(it, &it->rib.prefix);
	it->phase = PH_RIB;
	return 0;
}

static int
start_bgp4mp(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt)
{
	struct manrs_mrt_bgp4mp m;
	struct manrs_mrt_route *t = &it->tmpl;
	const uint8_t *body;
	size_t blen;
	uint8_t type;
	int rc;

	if (manrs_mrt_bgp4mp_decode(&it->rec, &m) != 0) {
		mrt_skip_report(it->rd, &it->rec, "BGP4MP record is truncated "
		    "or has an unknown subtype or AFI (RFC 6396 4.4)");
		return 0;
	}
	memset(t, 0, sizeof(*t));
	t->rec = &it->rec;
	t->peer_af = m.afi == MANRS_AFI_IPV6 ? MANRS_AF_INET6 : MANRS_AF_INET;
	memcpy(t->peer_addr, m.peer_addr, 16);
	t->peer_as = m.peer_as;
	t->local = m.local;
	t->addpath = m.addpath;
	if (m.state_change) {
		*rt = *t;
		rt->kind = MANRS_MRT_ROUTE_STATE;
		rt->old_state = m.old_state;
		rt->new_state = m.new_state;
		return 1;
	}
	rc = manrs_bgp_msg_header(m.msg, m.msg_len, &type, &body, &blen);
	if (rc != 0) {
		mrt_skip_report(it->rd, &it->rec, rc == MANRS_E_FORMAT ?
		    "BGP message has a bad marker or length (RFC 4271 4.1)" :
		    "BGP message is truncated (RFC 4271 section 4.1)");
		return 0;
	}
	if (type != MANRS_BGP_MSG_UPDATE)
		return 0;
	if (manrs_bgp_update_split(body, blen, &it->upd) != 0) {
		mrt_skip_report(it->rd, &it->rec, "UPDATE lengths run past "
		    "the message (RFC 4271 section 4.3)");
		return 0;
	}
	rc = manrs_bgp_attrs_decode(&it->attrs, it->upd.attrs,
	    it->upd.attrs_len, m.asn_size, 0, NULL);
	if (rc != 0)
		report_attrs(it, rc);
	t->attr_err = rc;
	it->phase = PH_WITHDRAWN;
	it->it_live = false;
	return 0;
}

static bool
mp_usable(const struct manrs_bgp_mp *m)
{
	return (m->afi == MANRS_AFI_IPV4 || m->afi == MANRS_AFI_IPV6) &&
	    m->safi >= 1 && m->safi <= 3;
}

/* Set up the NLRI list of the current phase; false when it is absent. */
static bool
phase_list(struct manrs_mrt_routes *it)
{
	const struct manrs_bgp_attrs *a = &it->attrs;
	struct manrs_mrt_route *t = &it->tmpl;
	const struct manrs_bgp_mp *m;
	bool reach = it->phase == PH_REACH;

	t->attrs = NULL;
	t->nh = NULL;
	t->nh_len = 0;
	switch (it->phase) {
	case PH_WITHDRAWN:
	case PH_NLRI:
		t->kind = it->phase == PH_NLRI ? MANRS_MRT_ROUTE_ANNOUNCE :
		    MANRS_MRT_ROUTE_WITHDRAW;
		t->afi = MANRS_AFI_IPV4;
		t->safi = MANRS_SAFI_UNICAST;
		if (it->phase == PH_NLRI) {
			t->attrs = a;
			if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_NEXT_HOP)) {
				t->nh = a->next_hop;
				t->nh_len = 4;
			}
			manrs_bgp_nlri_init(&it->it, it->upd.nlri,
			    it->upd.nlri_len, MANRS_AF_INET, t->addpath);
		} else
			manrs_bgp_nlri_init(&it->it, it->upd.withdrawn,
			    it->upd.withdrawn_len, MANRS_AF_INET, t->addpath);
		return true;
	case PH_UNREACH:
	case PH_REACH:
		if (!manrs_bgp_attrs_has(a, reach ? MANRS_BGP_ATTR_MP_REACH :
		    MANRS_BGP_ATTR_MP_UNREACH))
			return false;
		m = reach ? &a->reach : &a->unreach;
		if (!mp_usable(m))
			return false;
		t->kind = reach ? MANRS_MRT_ROUTE_ANNOUNCE :
		    MANRS_MRT_ROUTE_WITHDRAW;
		t->afi = m->afi;
		t->safi = m->safi;
		if (reach) {
			t->attrs = a;
			t->nh = m->nh;
			t->nh_len = m->nh_len;
		}
		manrs_bgp_nlri_init(&it->it, m->nlri, m->nlri_len,
		    m->afi == MANRS_AFI_IPV4 ? MANRS_AF_INET : MANRS_AF_INET6,
		    t->addpath);
		return true;
	default:
		return false;
	}
}

static int
next_update(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt)
{
	struct manrs_bgp_nlri n;
	int rc;

	for (;;) {
		if (!it->it_live) {
			if (it->phase > PH_REACH) {
				it->phase = PH_RECORD;
				return 0;
			}
			it->it_live = phase_list(it);
			if (!it->it_live) {
				it->phase++;
				continue;
			}
		}
		rc = manrs_bgp_nlri_next(&it->it, &n);
		if (rc == 1) {
			*rt = it->tmpl;
			rt->nlri = n;
			if (filtered(it, &n)) {
				rt->kind = MANRS_MRT_ROUTE_FILTERED;
				rt->attrs = NULL;
			}
			return 1;
		}
		if (rc < 0)
			mrt_report(it->rd, MANRS_SEV_WARNING, it->rec.offset,
			    rc == MANRS_E_RANGE ? "NLRI prefix length too long "
			    "(RFC 4271 section 4.3); rest of the list ignored" :
			    "NLRI list is truncated (RFC 4271 section 4.3); "
			    "rest ignored", NULL);
		it->it_live = false;
		it->phase++;
	}
}

/*
 * Whether bgpdump 1.6.2 decodes this record (its bgpdump_read_next()
 * returns an entry), which is what its "-p" packet index counts.
 */
static bool
bgpdump_accepts(const struct manrs_mrt_record *rec)
{
	const uint8_t *b = rec->body;
	size_t len = rec->len, asz, alen, off, i;
	uint16_t afi;

	switch (rec->type) {
	case MANRS_MRT_TABLE_DUMP:
		return rec->subtype >= 1 && rec->subtype <= 4;
	case MANRS_MRT_TABLE_DUMP_V2:
		return rec->subtype == MANRS_MRT_RIB_IPV4_UNICAST ||
		    rec->subtype == MANRS_MRT_RIB_IPV6_UNICAST ||
		    rec->subtype == MANRS_MRT_RIB_IPV4_UNICAST_AP ||
		    rec->subtype == MANRS_MRT_RIB_IPV6_UNICAST_AP;
	case 5:		/* MRTd BGP: every subtype */
		return true;
	case MANRS_MRT_BGP4MP:
	case MANRS_MRT_BGP4MP_ET:
		break;
	default:
		return false;
	}
	switch (rec->subtype) {
	case MANRS_MRT_STATE_CHANGE:
	case MANRS_MRT_STATE_CHANGE_AS4:
		asz = rec->subtype == MANRS_MRT_STATE_CHANGE ? 2 : 4;
		if (len == 8)
			return true;	/* bgpdump's "zebra bug" case */
		if (len < 2 * asz + 4)
			return false;
		afi = mrt_get16(b + 2 * asz + 2);
		if (afi == MANRS_AFI_IPV4)
			return len == 20 || len == 24;
		if (afi == MANRS_AFI_IPV6)
			return len == 44 || len == 48;
		return false;
	case MANRS_MRT_MESSAGE:
	case MANRS_MRT_MESSAGE_LOCAL:
	case MANRS_MRT_MESSAGE_AP:
	case MANRS_MRT_MESSAGE_LOCAL_AP:
		asz = 2;
		break;
	case MANRS_MRT_MESSAGE_AS4:
	case MANRS_MRT_MESSAGE_AS4_LOCAL:
	case MANRS_MRT_MESSAGE_AS4_AP:
	case MANRS_MRT_MESSAGE_AS4_LOCAL_AP:
		asz = 4;
		break;
	default:
		return false;
	}
	if (len < 2 * asz + 4)
		return false;
	afi = mrt_get16(b + 2 * asz + 2);
	if (afi == MANRS_AFI_IPV4)
		alen = 4;
	else if (afi == MANRS_AFI_IPV6)
		alen = 16;
	else
		return false;
	off = 2 * asz + 4 + 2 * alen;
	if (len < off + 19)
		return false;
	for (i = 0; i < 16; i++)
		if (b[off + i] != 0xff)
			return false;
	return b[off + 18] >= MANRS_BGP_MSG_OPEN &&
	    b[off + 18] <= MANRS_BGP_MSG_KEEPALIVE;
}

static int
route_next(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt);

int
manrs_mrt_route_next(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt)
{
	int rc = route_next(it, rt);

	if (rc > 0)
		rt->index = it->cur_index;
	return rc;
}

static int
route_next(struct manrs_mrt_routes *it, struct manrs_mrt_route *rt)
{
	int rc;

	for (;;) {
		switch (it->phase) {
		case PH_RIB:
			if ((rc = next_rib(it, rt)) != 0)
				return rc;
			it->phase = PH_RECORD;
			continue;
		case PH_WITHDRAWN:
		case PH_UNREACH:
		case PH_NLRI:
		case PH_REACH:
			if ((rc = next_update(it, rt)) != 0)
				return rc;
			continue;
		case PH_RECORD:
			break;
		}
		rc = manrs_mrt_next(it->rd, &it->rec);
		if (rc <= 0)
			return rc;
		it->cur_index = it->accepted;
		if (bgpdump_accepts(&it->rec))
			it->accepted++;
		switch (it->rec.type) {
		case MANRS_MRT_TABLE_DUMP:
			rc = start_td1(it, rt);
			break;
		case MANRS_MRT_TABLE_DUMP_V2:
			rc = start_td2(it);
			break;
		case MANRS_MRT_BGP4MP:
		case MANRS_MRT_BGP4MP_ET:
			rc = start_bgp4mp(it, rt);
			break;
		default:
			rc = 0;
			break;
		}
		if (rc != 0)
			return rc;
	}
}
