/*
 * mrt_print_h.c - bgpdump 1.6.2's default multi-line output ("-H"), one
 * block per MRT record: TIME, TYPE, FROM/TO or PEER, the attributes in
 * bgpdump's fixed order, WITHDRAW / ANNOUNCE prefix lists, OPEN,
 * NOTIFICATION, KEEPALIVE and STATE_CHANGE details.
 *
 * Records bgpdump does not print (PEER_INDEX_TABLE, multicast and generic
 * RIBs, ROUTE-REFRESH, undecodable records) print nothing here either.
 * Not a hot path: plain manrs_buf_printf().
 */
#include <string.h>

#include <manrs/mrt.h>

#include "mrt_int.h"

static const char *state_names[] = {
	"Unknown", "Idle", "Connect", "Active", "Opensent", "Openconfirm",
	"Established", "Clearing", "Deleted",
};

static void
put_ip4(struct manrs_buf *b, const uint8_t a[4])
{
	char t[16];

	manrs_buf_put(b, t, mrt_fmt_ip4(t, a));
}

static void
put_ip6(struct manrs_buf *b, const uint8_t a[16])
{
	char t[MANRS_ADDR_STRLEN];

	manrs_buf_put(b, t, manrs_mrt_ntop6(a, t));
}

static void
put_addr(struct manrs_buf *b, uint8_t af, const uint8_t *a)
{
	if (af == MANRS_AF_INET6)
		put_ip6(b, a);
	else
		put_ip4(b, a);
}

static void
put_time(struct manrs_buf *b, uint32_t ts)
{
	char t[32];

	manrs_buf_put(b, t, mrt_time2str(t, ts));
}

/* " ADDR " or " N/A " for a zero IPv4 address, as bgpdump. */
static void
put_peer(struct manrs_buf *b, uint16_t afi, const uint8_t *a)
{
	static const uint8_t zero[4];

	manrs_buf_put_u8(b, ' ');
	if (afi == MANRS_AFI_IPV6)
		put_ip6(b, a);
	else if (memcmp(a, zero, 4) == 0)
		manrs_buf_puts(b, "N/A");
	else
		put_ip4(b, a);
	manrs_buf_put_u8(b, ' ');
}

static void
show_mp(struct manrs_buf *b, const struct manrs_bgp_attrs *a, bool reach)
{
	static const char *v6n[] = { "", "(IPv6 Unicast)\n",
	    "(IPv6 Multicast)\n", "(IPv6 Both unicast and multicast)\n" };
	static const char *v4n[] = { "", "(IPv4 Unicast)\n",
	    "(IPv4 Multicast)\n", "(IPv4 Both unicast and multicast)\n" };
	const struct manrs_bgp_mp *m = reach ? &a->reach : &a->unreach;
	uint8_t nh[32];
	unsigned safi = m->safi;
	bool v6;

	manrs_buf_puts(b, reach ? "MP_REACH_NLRI" : "MP_UNREACH_NLRI");
	if (reach && a->reach_abbrev) {
		v6 = true;
		safi = MANRS_SAFI_UNICAST;
	} else if ((m->afi == MANRS_AFI_IPV4 || m->afi == MANRS_AFI_IPV6) &&
	    safi >= 1 && safi <= 3)
		v6 = m->afi == MANRS_AFI_IPV6;
	else
		return;		/* bgpdump prints no newline either */
	manrs_buf_puts(b, v6 ? v6n[safi] : v4n[safi]);
	if (!reach)
		return;
	memset(nh, 0, sizeof(nh));
	memcpy(nh, m->nh, m->nh_len < 32 ? m->nh_len : 32);
	manrs_buf_puts(b, "NEXT_HOP: ");
	if (v6)
		put_ip6(b, nh);
	else
		put_ip4(b, nh);
	manrs_buf_put_u8(b, '\n');
	if (m->nh_len == 32) {
		manrs_buf_puts(b, "NEXT_HOP: ");
		if (v6)
			put_ip6(b, nh + 16);
		else
			put_ip4(b, nh + 16);
		manrs_buf_put_u8(b, '\n');
	}
}

/* bgpdump's show_attr(): fixed order, not wire order. */
static int
show_attr(struct manrs_mrt_printer *p, struct manrs_buf *b,
    const struct manrs_bgp_attrs *a)
{
	static const char *origins[] = { "IGP", "EGP", "INCOMPLETE" };
	struct mrt_attr_text t;
	uint32_t as;
	uint8_t addr[4];
	unsigned i, j;
	int rc;

	if ((rc = mrt_attr_text(p, a, &t)) != 0)
		return rc;
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_ORIGIN) && a->origin < 3)
		manrs_buf_printf(b, "ORIGIN: %s\n", origins[a->origin]);
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_AS_PATH)) {
		manrs_buf_puts(b, "ASPATH: ");
		manrs_buf_put(b, t.aspath, t.aspath_len);
		manrs_buf_put_u8(b, '\n');
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_NEXT_HOP)) {
		manrs_buf_puts(b, "NEXT_HOP: ");
		put_ip4(b, a->next_hop);
		manrs_buf_put_u8(b, '\n');
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_MED))
		manrs_buf_printf(b, "MULTI_EXIT_DISC: %u\n", a->med);
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_LOCAL_PREF))
		manrs_buf_printf(b, "LOCAL_PREF: %u\n", a->local_pref);
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_ATOMIC_AGGREGATE))
		manrs_buf_puts(b, "ATOMIC_AGGREGATE\n");
	if (manrs_bgp_aggregator(a, &as, addr)) {
		manrs_buf_printf(b, "AGGREGATOR: AS%u ", as);
		put_ip4(b, addr);
		manrs_buf_put_u8(b, '\n');
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_ORIGINATOR_ID)) {
		manrs_buf_puts(b, "ORIGINATOR_ID: ");
		put_ip4(b, a->originator_id);
		manrs_buf_put_u8(b, '\n');
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_CLUSTER_LIST)) {
		manrs_buf_puts(b, "CLUSTER_LIST: ");
		for (i = 0; i + 4 <= a->cluster_list_len; i += 4) {
			put_ip4(b, a->cluster_list + i);
			manrs_buf_put_u8(b, ' ');
		}
		manrs_buf_put_u8(b, '\n');
	}
	for (i = 0; i < a->nunknown; i++) {
		const struct manrs_bgp_unknown *u = &a->unknown[i];

		manrs_buf_printf(b, "   UNKNOWN_ATTR(%i, %i, %i):", u->flags,
		    u->type, u->len);
		for (j = 0; j < u->len; j++)
			manrs_buf_printf(b, " %02x", u->data[j]);
		manrs_buf_put_u8(b, '\n');
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_MP_REACH))
		show_mp(b, a, true);
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_MP_UNREACH))
		show_mp(b, a, false);
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_COMMUNITIES)) {
		manrs_buf_puts(b, "COMMUNITY:");
		if (t.comm_len > 0)
			manrs_buf_put_u8(b, ' ');
		manrs_buf_put(b, t.comm, t.comm_len);
		manrs_buf_put_u8(b, '\n');
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_LARGE_COMMUNITIES)) {
		manrs_buf_puts(b, "LARGE_COMMUNITY:");
		if (t.lcomm_len > 0)
			manrs_buf_put_u8(b, ' ');
		manrs_buf_put(b, t.lcomm, t.lcomm_len);
		manrs_buf_put_u8(b, '\n');
	}
	return 0;
}

static void
put_time_line(struct manrs_buf *b, const struct manrs_mrt_record *rec)
{
	manrs_buf_puts(b, "TIME: ");
	put_time(b, rec->ts);
	if (rec->type == MANRS_MRT_BGP4MP_ET)
		manrs_buf_printf(b, ".%06u", rec->usec);
	manrs_buf_put_u8(b, '\n');
}

static int
print_td1(struct manrs_mrt_printer *p, struct manrs_buf *b,
    const struct manrs_mrt_record *rec)
{
	static const char *types[] = { "", "INET", "INET6", "INET_32BIT_AS",
	    "INET6_32BIT_AS" };
	struct manrs_mrt_td1 t;
	struct manrs_bgp_attrs a;

	if (manrs_mrt_td1_decode(rec, &t) != 0)
		return 0;
	manrs_bgp_attrs_decode(&a, t.attrs, t.attrs_len, rec->subtype >= 3 ?
	    4 : 2, MANRS_BGP_DECODE_MRT_RIB, NULL);
	put_time_line(b, rec);
	manrs_buf_printf(b, "TYPE: TABLE_DUMP/%s\nVIEW: %d\nSEQUENCE: %d\n"
	    "PREFIX: ", types[rec->subtype], t.view, t.seq);
	put_addr(b, t.prefix.af, t.prefix.addr);
	manrs_buf_printf(b, "/%d\nFROM:", t.prefix.len);
	if (t.peer_af == MANRS_AF_INET6)
		put_ip6(b, t.peer_addr);
	else if (memcmp(t.peer_addr, "\0\0\0\0", 4) == 0)
		manrs_buf_puts(b, "N/A");
	else
		put_ip4(b, t.peer_addr);
	manrs_buf_printf(b, " AS%u\nORIGINATED: ", t.peer_as);
	put_time(b, t.originated);
	manrs_buf_put_u8(b, '\n');
	if (t.attrs_len > 0 && show_attr(p, b, &a) != 0)
		return b->err != 0 ? b->err : MANRS_E_NOMEM;
	manrs_buf_printf(b, "STATUS: 0x%x\n\n", t.status);
	return b->err;
}

static int
print_td2(struct manrs_mrt_printer *p, struct manrs_buf *b,
    struct manrs_mrt_reader *rd, const struct manrs_mrt_record *rec)
{
	const struct manrs_mrt_peer *peers;
	struct manrs_mrt_rib rib;
	struct manrs_mrt_rib_entry e;
	struct manrs_bgp_attrs a;
	size_t npeers;
	unsigned i = 0;
	bool v6;

	switch (rec->subtype) {
	case MANRS_MRT_RIB_IPV4_UNICAST:
	case MANRS_MRT_RIB_IPV6_UNICAST:
	case MANRS_MRT_RIB_IPV4_UNICAST_AP:
	case MANRS_MRT_RIB_IPV6_UNICAST_AP:
		break;
	default:
		return 0;
	}
	if (manrs_mrt_rib_decode(rec, &rib) != 0)
		return 0;
	peers = manrs_mrt_peers(rd, &npeers);
	v6 = rib.afi == MANRS_AFI_IPV6;
	put_time_line(b, rec);
	while (manrs_mrt_rib_next(&rib, &e) == 1) {
		if (e.peer_index >= npeers)
			continue;	/* reported by the route iterator */
		if (i++ > 0) {
			manrs_buf_puts(b, "\nTIME: ");
			put_time(b, rec->ts);
			manrs_buf_put_u8(b, '\n');
		}
		manrs_buf_printf(b, "TYPE: TABLE_DUMP_V2/%s%s\nPREFIX: ",
		    v6 ? "IPV6_UNICAST" : "IPV4_UNICAST",
		    rib.addpath ? "_ADDPATH" : "");
		put_addr(b, rib.prefix.af, rib.prefix.addr);
		manrs_buf_printf(b, "/%d", rib.prefix.len);
		if (rib.addpath)
			manrs_buf_printf(b, " PATH_ID: %u", e.path_id);
		manrs_buf_printf(b, "\nSEQUENCE: %d\nFROM: ", (int)rib.seq);
		put_addr(b, peers[e.peer_index].af, peers[e.peer_index].addr);
		manrs_buf_printf(b, " AS%u\nORIGINATED: ",
		    peers[e.peer_index].asn);
		put_time(b, e.originated);
		manrs_buf_put_u8(b, '\n');
		manrs_bgp_attrs_decode(&a, e.attrs, e.attrs_len, 4,
		    MANRS_BGP_DECODE_MRT_RIB, NULL);
		if (e.attrs_len > 0 && show_attr(p, b, &a) != 0)
			return b->err != 0 ? b->err : MANRS_E_NOMEM;
	}
	manrs_buf_put_u8(b, '\n');
	return b->err;
}

static void
prefix_list(struct manrs_buf *b, const uint8_t *p, size_t len, uint8_t af,
    bool addpath)
{
	struct manrs_bgp_nlri_iter it;
	struct manrs_bgp_nlri n;

	manrs_bgp_nlri_init(&it, p, len, af, addpath);
	while (manrs_bgp_nlri_next(&it, &n) == 1) {
		manrs_buf_puts(b, "  ");
		put_addr(b, af, n.addr);
		manrs_buf_printf(b, "/%d", n.len);
		if (addpath)
			manrs_buf_printf(b, " PATH_ID: %u", n.path_id);
		manrs_buf_put_u8(b, '\n');
	}
}

static size_t
nlri_count(const uint8_t *p, size_t len, uint8_t af, bool addpath)
{
	struct manrs_bgp_nlri_iter it;
	struct manrs_bgp_nlri n;
	size_t c = 0;

	manrs_bgp_nlri_init(&it, p, len, af, addpath);
	while (manrs_bgp_nlri_next(&it, &n) == 1)
		c++;
	return c;
}

static bool
mp_ok(const struct manrs_bgp_mp *m)
{
	return (m->afi == MANRS_AFI_IPV4 || m->afi == MANRS_AFI_IPV6) &&
	    m->safi >= 1 && m->safi <= 3;
}

static uint8_t
mp_af(const struct manrs_bgp_mp *m)
{
	return m->afi == MANRS_AFI_IPV6 ? MANRS_AF_INET6 : MANRS_AF_INET;
}

static void
print_update(struct manrs_mrt_printer *p, struct manrs_buf *b,
    const struct manrs_mrt_bgp4mp *m, const uint8_t *body, size_t blen)
{
	struct manrs_bgp_update u;
	struct manrs_bgp_attrs a;
	bool ap = m->addpath, unreach, reach;
	size_t wc, mwc = 0;

	if (manrs_bgp_update_split(body, blen, &u) != 0)
		return;
	manrs_bgp_attrs_decode(&a, u.attrs, u.attrs_len, m->asn_size, 0,
	    NULL);
	if (u.attrs_len > 0)
		show_attr(p, b, &a);
	unreach = manrs_bgp_attrs_has(&a, MANRS_BGP_ATTR_MP_UNREACH);
	reach = manrs_bgp_attrs_has(&a, MANRS_BGP_ATTR_MP_REACH);
	wc = nlri_count(u.withdrawn, u.withdrawn_len, MANRS_AF_INET, ap);
	if (unreach && mp_ok(&a.unreach))
		mwc = nlri_count(a.unreach.nlri, a.unreach.nlri_len,
		    mp_af(&a.unreach), ap);
	if (wc > 0 || unreach) {
		if (wc > 0 || mwc > 0)
			manrs_buf_puts(b, "WITHDRAW\n");
		prefix_list(b, u.withdrawn, u.withdrawn_len, MANRS_AF_INET,
		    ap);
		if (mwc > 0)
			prefix_list(b, a.unreach.nlri, a.unreach.nlri_len,
			    mp_af(&a.unreach), ap);
	}
	if (u.nlri_len > 0 || reach) {
		manrs_buf_puts(b, "ANNOUNCE\n");
		prefix_list(b, u.nlri, u.nlri_len, MANRS_AF_INET, ap);
		if (reach && !a.reach_abbrev && mp_ok(&a.reach))
			prefix_list(b, a.reach.nlri, a.reach.nlri_len,
			    mp_af(&a.reach), ap);
	}
}

static void
print_notify(struct manrs_buf *b, const uint8_t *body, size_t blen)
{
	static const char *c1[] = { NULL, "Connection Not Synchronized",
	    "Bad Message Length", "Bad Message Type" };
	static const char *c2[] = { NULL, "Unsupported Version Number",
	    "Bad Peer AS", "Bad BGP Identifier",
	    "Unsupported Optional Parameter", "Authentication Failure",
	    "Unacceptable Hold Time" };
	static const char *c3[] = { NULL, "Malformed Attribute List",
	    "Unrecognized Well-known Attribute",
	    "Missing Well-known Attribute", "Attribute Flags Error",
	    "Attribute Length Error", "Invalid ORIGIN Attribute",
	    "AS Routing Loop", "Invalid NEXT-HOP Attribute",
	    "Optional Attribute Error", "Invalid Network Field",
	    "Malformed AS-PATH" };
	static const char *codes[] = { NULL, "Message Header Error",
	    "OPEN Message Error", "UPDATE Message Error",
	    "Hold Timer Expired", "Finite State Machine Error", "Cease" };
	unsigned code = blen > 0 ? body[0] : 0, sub = blen > 1 ? body[1] : 0;
	const char *sname = NULL;

	if (code >= 1 && code <= 6)
		manrs_buf_printf(b, "    ERROR CODE  : %u (%s)\n", code,
		    codes[code]);
	else
		manrs_buf_printf(b, "    ERROR CODE  : %u\n", code);
	if (code == 1 && sub >= 1 && sub <= 3)
		sname = c1[sub];
	else if (code == 2 && sub >= 1 && sub <= 6)
		sname = c2[sub];
	else if (code == 3 && sub >= 1 && sub <= 11)
		sname = c3[sub];
	if (code < 1 || code > 3)
		return;
	if (sname != NULL)
		manrs_buf_printf(b, "    SUB ERROR   : %u (%s)\n", sub, sname);
	else
		manrs_buf_printf(b, "    SUB ERROR   : %u\n", sub);
}

static int
print_bgp4mp(struct manrs_mrt_printer *p, struct manrs_buf *b,
    const struct manrs_mrt_record *rec)
{
	const char *fmt = rec->type == MANRS_MRT_BGP4MP_ET ? "BGP4MP_ET" :
	    "BGP4MP";
	struct manrs_mrt_bgp4mp m;
	const uint8_t *body, *src, *dst;
	uint32_t src_as, dst_as;
	size_t blen;
	uint8_t type;
	uint16_t afi;

	if (manrs_mrt_bgp4mp_decode(rec, &m) != 0)
		return 0;
	afi = m.afi;
	if (m.state_change) {
		put_time_line(b, rec);
		manrs_buf_printf(b, "TYPE: %s/STATE_CHANGE\nPEER:", fmt);
		put_peer(b, afi, m.peer_addr);
		manrs_buf_printf(b, "AS%u\nSTATE: %s/%s\n\n", m.peer_as,
		    m.old_state < 9 ? state_names[m.old_state] : "(null)",
		    m.new_state < 9 ? state_names[m.new_state] : "(null)");
		return b->err;
	}
	if (manrs_bgp_msg_header(m.msg, m.msg_len, &type, &body, &blen) != 0)
		return 0;
	if (type < MANRS_BGP_MSG_OPEN || type > MANRS_BGP_MSG_KEEPALIVE)
		return 0;
	put_time_line(b, rec);
	manrs_buf_printf(b, "TYPE: %s/MESSAGE%s%s/%s\n", fmt,
	    m.local ? "_LOCAL" : "", m.addpath ? "_ADDPATH" : "",
	    type == MANRS_BGP_MSG_UPDATE ? "Update" : type ==
	    MANRS_BGP_MSG_OPEN ? "Open" : type == MANRS_BGP_MSG_NOTIFICATION ?
	    "Notify" : "Keepalive");
	/* FROM is the sender: the peer, or us for *_LOCAL records. */
	src = m.local ? m.local_addr : m.peer_addr;
	dst = m.local ? m.peer_addr : m.local_addr;
	src_as = m.local ? m.local_as : m.peer_as;
	dst_as = m.local ? m.peer_as : m.local_as;
	if (src_as != 0) {
		manrs_buf_puts(b, "FROM:");
		put_peer(b, afi, src);
		manrs_buf_printf(b, "AS%u\n", src_as);
	}
	if (dst_as != 0) {
		manrs_buf_puts(b, "TO:");
		put_peer(b, afi, dst);
		manrs_buf_printf(b, "AS%u\n", dst_as);
	}
	switch (type) {
	case MANRS_BGP_MSG_UPDATE:
		print_update(p, b, &m, body, blen);
		break;
	case MANRS_BGP_MSG_OPEN:
		if (blen >= 10) {
			manrs_buf_printf(b, "VERSION: %d\nAS: %u\nHOLD_TIME: %d\n"
			    "ID: ", body[0], mrt_get16(body + 1),
			    mrt_get16(body + 3));
			put_ip4(b, body + 5);
			manrs_buf_printf(b, "\nOPT_PARM_LEN: %d\n", body[9]);
		}
		break;
	case MANRS_BGP_MSG_NOTIFICATION:
		print_notify(b, body, blen);
		break;
	default:
		break;
	}
	manrs_buf_put_u8(b, '\n');
	return b->err;
}

int
manrs_mrt_printer_record(struct manrs_mrt_printer *p, struct manrs_buf *out,
    struct manrs_mrt_reader *rd, const struct manrs_mrt_record *rec)
{
	switch (rec->type) {
	case MANRS_MRT_TABLE_DUMP:
		return print_td1(p, out, rec);
	case MANRS_MRT_TABLE_DUMP_V2:
		return print_td2(p, out, rd, rec);
	case MANRS_MRT_BGP4MP:
	case MANRS_MRT_BGP4MP_ET:
		return print_bgp4mp(p, out, rec);
	default:
		return 0;
	}
}
