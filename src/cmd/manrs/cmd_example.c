/*
 * cmd_example.c - "manrs example DIR": write the bundled example world,
 * a small deterministic internet for the demo and the audit tests.
 *
 * About three hundred ASes in three tiers with customer/provider and peer
 * relationships; every AS announces an IPv4 /16 and an IPv6 /32 and has
 * route objects, an aut-num with its policy, contacts, ROAs and an ASPA.
 * Routes are computed by Gao-Rexford propagation (prefer customer, then
 * peer, then provider routes; then the shortest path; then the lowest
 * neighbour ASN) to eight collector peers, which export full tables into a
 * TABLE_DUMP_V2 RIB at the start of the day and BGP4MP_ET updates during
 * it.  Named ASes commit known faults (struct plant below); the audit
 * tests assert that exactly these are found.
 *
 * Output (the layout of "manrs audit --data DIR"):
 *   DIR/rib/rib.20260101.0000.mrt   DIR/updates/updates.20260101.mrt
 *   DIR/rpki/vrps.json              DIR/irr/EXAMPLE/example.db
 *   DIR/asrel/example.as-rel.txt    DIR/peeringdb/net.json, poc.json
 *   DIR/spoofer/spoofer.csv         DIR/PLANTED (what was planted)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <manrs/mrt.h>

#include "cli.h"

#define N_T1		5
#define N_T2		40
#define N_STUB		255
#define N_AS		(N_T1 + N_T2 + N_STUB)
#define MAX_NB		64
#define MAX_PATH	32
#define T0		1767225600u	/* 2026-01-01T00:00:00Z */
#define DAY		86400u
#define PRIVATE_AS	64512u		/* the bogon ASN of plant 4 */

/* The planted faults (README and docs/audit.md name them). */
#define AS_LEAKER	3010u	/* leaks provider routes to its other provider */
#define AS_HIJACKER	3020u	/* originates a more-specific of AS_VICTIM */
#define AS_VICTIM	3030u
#define AS_BOGON	3040u	/* originates 192.168.0.0/16 */
#define AS_BOGON_ASN	3050u	/* passes on a path with AS64512 */
#define AS_INVALID_MS	3060u	/* RPKI-invalid (maxLength) more-specific */
#define AS_NO_CONTACT	3070u	/* no contacts anywhere */
#define AS_SPOOFER	3080u	/* a spoofing test got through */
#define AS_NO_ROA	3090u	/* no ROA, no route object */
#define AS_CLEAN	3100u	/* nothing wrong */

enum rel { R_NONE, R_CUST, R_PEER, R_PROV };	/* what nb is to me */

struct as {
	uint32_t	asn;
	int		tier;
	int		nnb;
	uint32_t	nb[MAX_NB];	/* indexes */
	enum rel	rel[MAX_NB];
};

/* A route at an AS: learned from whom, and the path (self first). */
struct route {
	int		len;		/* 0 = none */
	enum rel	from;		/* R_NONE for own origination */
	uint32_t	path[MAX_PATH];	/* asns, path[0] = this AS */
};

struct world {
	struct as	as[N_AS];
	uint64_t	rng;
	FILE		*planted;
};

static uint32_t
rnd(struct world *w, uint32_t n)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return (uint32_t)(w->rng % n);
}

static int
idx_of(uint32_t asn)
{
	if (asn >= 1001 && asn < 1001 + N_T1)
		return (int)(asn - 1001);
	if (asn >= 2001 && asn < 2001 + N_T2)
		return N_T1 + (int)(asn - 2001);
	if (asn >= 3001 && asn < 3001 + N_STUB)
		return N_T1 + N_T2 + (int)(asn - 3001);
	return -1;
}

static enum rel
rel_of(const struct world *w, int a, int b)
{
	int i;

	for (i = 0; i < w->as[a].nnb; i++)
		if ((int)w->as[a].nb[i] == b)
			return w->as[a].rel[i];
	return R_NONE;
}

static void
link(struct world *w, int a, int b, enum rel b_to_a)
{
	enum rel back = b_to_a == R_CUST ? R_PROV : b_to_a == R_PROV ? R_CUST :
	    R_PEER;

	if (a == b || rel_of(w, a, b) != R_NONE ||
	    w->as[a].nnb == MAX_NB || w->as[b].nnb == MAX_NB)
		return;
	w->as[a].nb[w->as[a].nnb] = (uint32_t)b;
	w->as[a].rel[w->as[a].nnb++] = b_to_a;
	w->as[b].nb[w->as[b].nnb] = (uint32_t)a;
	w->as[b].rel[w->as[b].nnb++] = back;
}

static void
build_topology(struct world *w)
{
	int i, j, p;

	for (i = 0; i < N_AS; i++) {
		w->as[i].tier = i < N_T1 ? 1 : i < N_T1 + N_T2 ? 2 : 3;
		w->as[i].asn = i < N_T1 ? 1001 + (uint32_t)i :
		    i < N_T1 + N_T2 ? 2001 + (uint32_t)(i - N_T1) :
		    3001 + (uint32_t)(i - N_T1 - N_T2);
	}
	for (i = 0; i < N_T1; i++)		/* tier-1 clique */
		for (j = i + 1; j < N_T1; j++)
			link(w, i, j, R_PEER);
	for (i = N_T1; i < N_T1 + N_T2; i++) {	/* tier-2: two tier-1s */
		link(w, i, (int)rnd(w, N_T1), R_PROV);
		link(w, i, (int)rnd(w, N_T1), R_PROV);
		if (i + 1 < N_T1 + N_T2 && (i % 3) == 0)
			link(w, i, i + 1, R_PEER);
	}
	for (i = N_T1 + N_T2; i < N_AS; i++) {	/* stubs: one or two */
		p = N_T1 + (int)rnd(w, N_T2);
		link(w, i, p, R_PROV);
		if (rnd(w, 3) == 0)
			link(w, i, N_T1 + (int)rnd(w, N_T2), R_PROV);
	}
	/* The leaker is multi-homed to two distinct tier-2s. */
	link(w, idx_of(AS_LEAKER), N_T1 + 2, R_PROV);
	link(w, idx_of(AS_LEAKER), N_T1 + 3, R_PROV);
}

/* Providers of AS i (indexes), for the planted-fault bookkeeping. */
static int
providers(const struct world *w, int i, int *out, int max)
{
	int k, n = 0;

	for (k = 0; k < w->as[i].nnb && n < max; k++)
		if (w->as[i].rel[k] == R_PROV)
			out[n++] = (int)w->as[i].nb[k];
	return n;
}

/* Is route r (at AS a) better than cur? */
static bool
better(const struct route *r, const struct route *cur)
{
	static const int pref[] = { 3, 2, 1, 0 };	/* NONE CUST PEER PROV */

	if (cur->len == 0)
		return true;
	if (pref[r->from] != pref[cur->from])
		return pref[r->from] > pref[cur->from];
	if (r->len != cur->len)
		return r->len < cur->len;
	return r->path[1] < cur->path[1];
}

/*
 * Gao-Rexford propagation of one prefix from origin (an index, or -1
 * with origin_path giving a path that starts outside the world).  leak:
 * the AS that also exports provider routes learned from leak_from to its
 * other providers.  rt[] gets each AS's best route.
 */
static void
propagate(const struct world *w, int origin, const uint32_t *tail,
    int ntail, int leaker, int leak_from, struct route *rt)
{
	struct route cand;
	bool changed = true;
	int a, k, rounds = 0;

	memset(rt, 0, sizeof(*rt) * N_AS);
	rt[origin].len = 1 + ntail;
	rt[origin].from = R_NONE;
	rt[origin].path[0] = w->as[origin].asn;
	if (ntail > 0)
		memcpy(rt[origin].path + 1, tail, sizeof(*tail) * (size_t)ntail);
	while (changed && rounds++ < 64) {
		changed = false;
		for (a = 0; a < N_AS; a++) {
			if (a == origin)
				continue;
			for (k = 0; k < w->as[a].nnb; k++) {
				int b = (int)w->as[a].nb[k];
				const struct route *rb = &rt[b];
				enum rel b_is = w->as[a].rel[k];
				enum rel a_is_to_b = rel_of(w, b, a);
				bool exports;
				int i;

				if (rb->len == 0 || rb->len >= MAX_PATH)
					continue;
				/* b exports to a? customer routes to all,
				 * others only to customers. */
				exports = rb->from == R_NONE ||
				    rb->from == R_CUST || a_is_to_b == R_CUST;
				if (b == leaker && rb->from == R_PROV &&
				    rb->path[1] == w->as[leak_from].asn &&
				    a_is_to_b == R_PROV)
					exports = true;
				if (!exports)
					continue;
				for (i = 0; i < rb->len; i++)
					if (rb->path[i] == w->as[a].asn)
						break;
				if (i < rb->len)
					continue;	/* loop */
				cand.len = rb->len + 1;
				cand.from = b_is;
				cand.path[0] = w->as[a].asn;
				memcpy(cand.path + 1, rb->path,
				    sizeof(uint32_t) * (size_t)rb->len);
				if (rt[a].len != 0 && rt[a].path[1] ==
				    w->as[b].asn && (rt[a].len != cand.len ||
				    memcmp(rt[a].path, cand.path, sizeof(uint32_t)
				    * (size_t)cand.len) != 0)) {
					rt[a] = cand;	/* same neighbour, new path */
					changed = true;
				} else if (better(&cand, &rt[a])) {
					rt[a] = cand;
					changed = true;
				}
			}
		}
	}
}

/* ---- prefixes ---------------------------------------------------- */

/* Text of p in a static buffer (one at a time). */
static const char *
pstr(const struct manrs_prefix *p)
{
	static char buf[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(p, buf, sizeof(buf));
	return buf;
}

static void
v4_block(int i, unsigned len, unsigned third, struct manrs_prefix *p)
{
	uint8_t a[4] = { (uint8_t)(20 + i / 256), (uint8_t)(i % 256),
	    (uint8_t)third, 0 };

	manrs_prefix_set(p, MANRS_AF_INET, a, 4, len);
}

static void
v6_block(int i, struct manrs_prefix *p)
{
	uint8_t a[16] = { 0x2a, 0x10, (uint8_t)((i + 1) >> 8),
	    (uint8_t)(i + 1) };

	manrs_prefix_set(p, MANRS_AF_INET6, a, 16, 32);
}

static void
fixed(const char *text, struct manrs_prefix *p)
{
	if (manrs_prefix_parse(manrs_view_cstr(text), 0, p) != 0)
		abort();
}

/* ---- attributes ---------------------------------------------------- */

static const int collectors[] = { 0, 1, 2, 3, 4, N_T1, N_T1 + 1,
    N_T1 + N_T2 };
#define N_COLL	(int)(sizeof(collectors) / sizeof(collectors[0]))

static void
peer_addr(int k, uint8_t af, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (af == MANRS_AF_INET) {
		addr[0] = 198;
		addr[1] = 51;
		addr[2] = 100;
		addr[3] = (uint8_t)(k + 1);
	} else {
		addr[0] = 0x20;
		addr[1] = 0x01;
		addr[2] = 0x0d;
		addr[3] = 0xb8;
		addr[15] = (uint8_t)(k + 1);
	}
}

/* ORIGIN, AS_PATH (four-octet), NEXT_HOP or abbreviated MP_REACH. */
static void
encode_attrs(struct manrs_buf *b, const struct route *r, int k, uint8_t af,
    bool rib)
{
	uint8_t nh[16];
	int i;

	manrs_buf_reset(b);
	manrs_buf_put(b, "\x40\x01\x01\x00", 4);		/* ORIGIN IGP */
	manrs_buf_put_u8(b, 0x40);
	manrs_buf_put_u8(b, MANRS_BGP_ATTR_AS_PATH);
	manrs_buf_put_u8(b, (uint8_t)(2 + 4 * r->len));
	manrs_buf_put_u8(b, MANRS_BGP_AS_SEQUENCE);
	manrs_buf_put_u8(b, (uint8_t)r->len);
	for (i = 0; i < r->len; i++)
		manrs_buf_put_u32(b, r->path[i]);
	peer_addr(k, af, nh);
	if (af == MANRS_AF_INET) {
		manrs_buf_put(b, "\x40\x03\x04", 3);
		manrs_buf_put(b, nh, 4);
	} else if (rib) {
		manrs_buf_put(b, "\x80\x0e\x11\x10", 4);	/* RFC 6396 4.3.4 */
		manrs_buf_put(b, nh, 16);
	}
}

/* ---- the routing table ------------------------------------------- */

struct pfx {
	struct manrs_prefix	p;
	int			origin;		/* index */
	uint32_t		tail[2];	/* ASNs after the origin AS */
	int			ntail;
	bool			rib;		/* in the RIB at T0 */
};

#define MAX_PFX	(N_AS * 2 + 8)

static int
prefixes(struct world *w, struct pfx *v)
{
	int i, n = 0;

	for (i = 0; i < N_AS; i++) {
		v4_block(i, 16, 0, &v[n].p);
		v[n].origin = i;
		v[n++].rib = true;
		v6_block(i, &v[n].p);
		v[n].origin = i;
		v[n++].rib = true;
	}
	fixed("192.168.0.0/16", &v[n].p);		/* plant 3 */
	v[n].origin = idx_of(AS_BOGON);
	v[n++].rib = true;
	fixed("22.50.0.0/16", &v[n].p);			/* plant 4 */
	v[n].origin = idx_of(AS_BOGON_ASN);
	v[n].tail[0] = PRIVATE_AS;
	v[n].ntail = 1;
	v[n++].rib = true;
	v4_block(idx_of(AS_INVALID_MS), 24, 128, &v[n].p);	/* plant 5 */
	v[n].origin = idx_of(AS_INVALID_MS);
	v[n++].rib = true;
	(void)w;
	return n;
}

struct out {
	struct world		*w;
	struct manrs_mrt_writer	*rib;
	struct manrs_mrt_writer	*upd;
	struct manrs_buf	 attrs;
	struct manrs_buf	 msg;
	struct route		 rt[N_AS];
};

static int
write_rib(struct out *o, const struct pfx *v, int n)
{
	struct manrs_mrt_peer peers[N_COLL];
	static const uint8_t cid[4] = { 192, 0, 2, 1 };
	uint8_t *attrs[N_COLL];
	size_t alen[N_COLL];
	uint16_t pidx[N_COLL];
	uint32_t orig[N_COLL];
	int i, k, m;

	memset(peers, 0, sizeof(peers));
	for (k = 0; k < N_COLL; k++) {
		peers[k].af = MANRS_AF_INET;
		peer_addr(k, MANRS_AF_INET, peers[k].addr);
		memcpy(peers[k].bgp_id, peers[k].addr, 4);
		peers[k].asn = o->w->as[collectors[k]].asn;
	}
	if (manrs_mrt_write_peer_index(o->rib, T0, cid, "example", peers,
	    N_COLL) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (!v[i].rib)
			continue;
		propagate(o->w, v[i].origin, v[i].tail, v[i].ntail, -1, -1,
		    o->rt);
		for (k = m = 0; k < N_COLL; k++) {
			const struct route *r = &o->rt[collectors[k]];

			if (r->len == 0)
				continue;
			encode_attrs(&o->attrs, r, k, v[i].p.af, true);
			attrs[m] = malloc(o->attrs.len);
			if (attrs[m] == NULL)
				return -1;
			memcpy(attrs[m], o->attrs.p, o->attrs.len);
			alen[m] = o->attrs.len;
			pidx[m] = (uint16_t)k;
			orig[m] = T0 - 3600;
			m++;
		}
		if (m > 0 && manrs_mrt_write_rib(o->rib, T0, (uint32_t)i,
		    &v[i].p, (size_t)m, pidx, orig, NULL,
		    (const uint8_t *const *)attrs, alen) != 0)
			return -1;
		while (m-- > 0)
			free(attrs[m]);
	}
	return 0;
}

/* One UPDATE from collector peer k at time t. */
static int
update(struct out *o, uint32_t t, int k, const struct manrs_prefix *p,
    const struct route *r)
{
	static const uint8_t local[16] = { 198, 51, 100, 254 };
	uint8_t addr[16], nh[16];

	peer_addr(k, MANRS_AF_INET, addr);
	peer_addr(k, MANRS_AF_INET6, nh);
	manrs_buf_reset(&o->msg);
	if (r != NULL)
		encode_attrs(&o->attrs, r, k, p->af, false);
	if (manrs_bgp_encode_update(&o->msg, r == NULL, p, 0, false,
	    o->attrs.p, r != NULL ? o->attrs.len : 0, nh, 16) != 0)
		return -1;
	return manrs_mrt_write_message(o->upd, t, 0, false,
	    o->w->as[collectors[k]].asn, 12654, MANRS_AF_INET, addr, local,
	    o->msg.p, o->msg.len);
}

/* Announce at t every collector route that differs between a and b. */
static int
announce_changes(struct out *o, uint32_t t, const struct manrs_prefix *p,
    const struct route *before, const struct route *after)
{
	int k;

	for (k = 0; k < N_COLL; k++) {
		const struct route *x = &before[collectors[k]];
		const struct route *y = &after[collectors[k]];

		if (x->len == y->len && memcmp(x->path, y->path,
		    sizeof(uint32_t) * (size_t)x->len) == 0)
			continue;
		if (update(o, t, k, p, y->len != 0 ? y : NULL) != 0)
			return -1;
	}
	return 0;
}

static int
plant_leak(struct out *o, const struct pfx *v, int n)
{
	struct world *w = o->w;
	static struct route before[N_AS], after[N_AS];
	int leaker = idx_of(AS_LEAKER), prov[4], np, i, cnt = 0;

	np = providers(w, leaker, prov, 4);
	if (np < 2)
		return -1;
	for (i = 0; i < n && cnt < 5; i++) {
		if (v[i].p.af != MANRS_AF_INET || v[i].ntail != 0 ||
		    w->as[v[i].origin].tier != 3 || v[i].origin == leaker)
			continue;
		propagate(w, v[i].origin, NULL, 0, -1, -1, before);
		if (before[leaker].len == 0 || before[leaker].from != R_PROV ||
		    before[leaker].path[1] != w->as[prov[0]].asn)
			continue;
		propagate(w, v[i].origin, NULL, 0, leaker, prov[0], after);
		if (announce_changes(o, T0 + 3 * 3600, &v[i].p, before,
		    after) != 0 ||
		    announce_changes(o, T0 + 5 * 3600, &v[i].p, after,
		    before) != 0)
			return -1;
		fprintf(w->planted, "leak: AS%u passes %s from provider "
		    "AS%u to its other provider(s), 03:00-05:00\n",
		    AS_LEAKER, pstr(&v[i].p), w->as[prov[0]].asn);
		cnt++;
	}
	return cnt > 0 ? 0 : -1;
}

static int
plant_hijack(struct out *o)
{
	static struct route none[N_AS], hj[N_AS];
	struct manrs_prefix p;

	v4_block(idx_of(AS_VICTIM), 24, 1, &p);
	memset(none, 0, sizeof(none));
	propagate(o->w, idx_of(AS_HIJACKER), NULL, 0, -1, -1, hj);
	fprintf(o->w->planted, "hijack AS%u originates a more-specific of "
	    "AS%u, 06:00-06:20\n", AS_HIJACKER, AS_VICTIM);
	if (announce_changes(o, T0 + 6 * 3600, &p, none, hj) != 0)
		return -1;
	return announce_changes(o, T0 + 6 * 3600 + 20 * 60, &p, hj, none);
}

/* The period ends at T0 + DAY: one unchanged re-announcement then. */
static int
end_of_day(struct out *o)
{
	struct manrs_prefix p;

	v4_block(idx_of(AS_CLEAN), 16, 0, &p);
	propagate(o->w, idx_of(AS_CLEAN), NULL, 0, -1, -1, o->rt);
	return update(o, T0 + DAY, 0, &p, &o->rt[collectors[0]]);
}

/* ---- reference data ---------------------------------------------- */

static bool
has_roa(uint32_t asn)
{
	return asn != AS_NO_ROA;
}

static void
write_irr(struct world *w, FILE *fp, const struct pfx *v, int n)
{
	int i, k;

	for (i = 0; i < N_AS; i++) {
		const struct as *a = &w->as[i];

		fprintf(fp, "aut-num:        AS%u\nas-name:        EXAMPLE-%u\n",
		    a->asn, a->asn);
		for (k = 0; k < a->nnb; k++) {
			uint32_t nb = w->as[a->nb[k]].asn;

			if (a->rel[k] == R_PROV)
				fprintf(fp, "import:         from AS%u accept "
				    "ANY\nexport:         to AS%u announce "
				    "AS%u\n", nb, nb, a->asn);
			else if (a->rel[k] == R_PEER)
				fprintf(fp, "import:         from AS%u accept "
				    "AS%u\nexport:         to AS%u announce "
				    "AS%u\n", nb, nb, nb, a->asn);
			else
				fprintf(fp, "import:         from AS%u accept "
				    "AS%u\nexport:         to AS%u announce "
				    "ANY\n", nb, nb, nb);
		}
		if (a->asn != AS_NO_CONTACT)
			fprintf(fp, "admin-c:        EX%u-NOC\n"
			    "tech-c:         EX%u-NOC\n"
			    "abuse-c:        EX%u-ABUSE\n", a->asn, a->asn,
			    a->asn);
		fprintf(fp, "mnt-by:         MAINT-EX%u\nsource:         "
		    "EXAMPLE\n\n", a->asn);
		if (a->asn == AS_NO_CONTACT)
			continue;
		fprintf(fp, "role:           Example NOC of AS%u\n"
		    "nic-hdl:        EX%u-NOC\ne-mail:         noc@as%u.example"
		    "\nmnt-by:         MAINT-EX%u\nsource:         EXAMPLE\n\n",
		    a->asn, a->asn, a->asn, a->asn);
		fprintf(fp, "role:           Example abuse desk of AS%u\n"
		    "nic-hdl:        EX%u-ABUSE\nabuse-mailbox:  "
		    "abuse@as%u.example\nmnt-by:         MAINT-EX%u\n"
		    "source:         EXAMPLE\n\n", a->asn, a->asn, a->asn,
		    a->asn);
	}
	for (i = 0; i < n; i++) {
		uint32_t origin = v[i].ntail > 0 ? v[i].tail[v[i].ntail - 1] :
		    w->as[v[i].origin].asn;

		if (w->as[v[i].origin].asn == AS_NO_ROA && v[i].ntail == 0)
			continue;	/* plant 8: no route object either */
		if (v[i].p.af == MANRS_AF_INET && v[i].p.addr[0] == 192)
			continue;	/* nobody registers 192.168/16 */
		fprintf(fp, "%s%s\norigin:         AS%u\n",
		    v[i].p.af == MANRS_AF_INET ? "route:          " :
		    "route6:         ", pstr(&v[i].p), origin);
		fprintf(fp, "mnt-by:         MAINT-EX%u\nsource:         "
		    "EXAMPLE\n\n", w->as[v[i].origin].asn);
	}
}

static void
write_rpki(struct world *w, FILE *fp, const struct pfx *v, int n)
{
	const char *sep = "";
	int i, k;

	fprintf(fp, "{\"metadata\":{\"buildtime\":\"2026-01-01T00:00:00Z\"},"
	    "\"roas\":[\n");
	for (i = 0; i < n; i++) {
		uint32_t asn = w->as[v[i].origin].asn;

		/* Bogon, private-origin and invalid more-specific: no ROA. */
		if (v[i].ntail > 0 || v[i].p.addr[0] == 192 ||
		    v[i].p.len == 24 || !has_roa(asn))
			continue;
		fprintf(fp, "%s{\"asn\":%u,\"prefix\":\"%s", sep, asn,
		    pstr(&v[i].p));
		fprintf(fp, "\",\"maxLength\":%u,\"ta\":\"example\","
		    "\"expires\":4102444800}\n", v[i].p.len);
		sep = ",";
	}
	fprintf(fp, "],\"aspas\":[\n");
	sep = "";
	for (i = N_T1; i < N_AS; i++) {
		int prov[8], np = providers(w, i, prov, 8);

		fprintf(fp, "%s{\"customer_asid\":%u,\"expires\":4102444800,"
		    "\"providers\":[", sep, w->as[i].asn);
		for (k = 0; k < np; k++)
			fprintf(fp, "%s%u", k > 0 ? "," : "",
			    w->as[prov[k]].asn);
		fprintf(fp, "]}\n");
		sep = ",";
	}
	fprintf(fp, "]}\n");
}

static void
write_asrel(struct world *w, FILE *fp)
{
	int i, k;

	fprintf(fp, "# the example world: A|B|-1 A is a provider of B; "
	    "A|B|0 peers\n");
	for (i = 0; i < N_AS; i++)
		for (k = 0; k < w->as[i].nnb; k++) {
			int b = (int)w->as[i].nb[k];

			if (w->as[i].rel[k] == R_CUST)
				fprintf(fp, "%u|%u|-1\n", w->as[i].asn,
				    w->as[b].asn);
			else if (w->as[i].rel[k] == R_PEER && i < b)
				fprintf(fp, "%u|%u|0\n", w->as[i].asn,
				    w->as[b].asn);
		}
}

static void
write_peeringdb(struct world *w, FILE *net, FILE *poc)
{
	const char *sep = "";
	int i;

	fprintf(net, "{\"data\":[\n");
	fprintf(poc, "{\"data\":[\n");
	for (i = 0; i < N_AS; i++) {
		uint32_t asn = w->as[i].asn;

		if (asn == AS_NO_CONTACT)
			continue;
		fprintf(net, "%s{\"id\":%d,\"asn\":%u,\"name\":\"Example "
		    "network %u\",\"irr_as_set\":\"\",\"info_prefixes4\":%d,"
		    "\"info_prefixes6\":1,\"policy_general\":\"Open\"}\n", sep,
		    i + 1, asn, asn, w->as[i].tier == 3 ? 2 : 1000);
		fprintf(poc, "%s{\"id\":%d,\"net_id\":%d,\"role\":\"NOC\","
		    "\"name\":\"NOC\",\"email\":\"noc@as%u.example\","
		    "\"visible\":\"Public\"},\n{\"id\":%d,\"net_id\":%d,"
		    "\"role\":\"Abuse\",\"name\":\"Abuse\",\"email\":"
		    "\"abuse@as%u.example\",\"visible\":\"Public\"}\n", sep,
		    2 * i + 1, i + 1, asn, 2 * i + 2, i + 1, asn);
		sep = ",";
	}
	fprintf(net, "],\"meta\":{}}\n");
	fprintf(poc, "],\"meta\":{}}\n");
}

static void
write_spoofer(struct world *w, FILE *fp)
{
	struct manrs_prefix p;
	int i;

	fprintf(fp, "time,asn,prefix,spoofed\n");
	for (i = N_T1 + N_T2; i < N_AS; i += 5) {
		v4_block(i, 24, 7, &p);
		fprintf(fp, "2026-01-01T12:00:00Z,%u,%s,no\n",
		    w->as[i].asn, pstr(&p));
	}
	v4_block(idx_of(AS_SPOOFER), 24, 9, &p);
	fprintf(fp, "2026-01-01T12:30:00Z,%u,%s,yes\n", AS_SPOOFER, pstr(&p));
	v4_block(idx_of(AS_CLEAN), 24, 9, &p);
	fprintf(fp, "2026-01-01T12:30:00Z,%u,%s,no\n", AS_CLEAN, pstr(&p));
}

/* ---- the command ------------------------------------------------- */

static FILE *
create(const char *dir, const char *sub, const char *name)
{
	char path[4096];
	FILE *fp;

	char *slash;

	snprintf(path, sizeof(path), "%s/%s/", dir, sub);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			cli_warnx("example: %s: %s", path, strerror(errno));
			return NULL;
		}
		*slash = '/';
	}
	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	if ((fp = fopen(path, "w")) == NULL)
		cli_warnx("example: %s: %s", path, strerror(errno));
	return fp;
}

static void
write_planted(struct world *w)
{
	int prov[4], n, i;

	fprintf(w->planted, "# Faults planted in the example world (manrs "
	    "example); everything else is clean.\n");
	fprintf(w->planted, "hijack: AS%u -> M2; its provider -> M2C\n",
	    AS_HIJACKER);
	fprintf(w->planted, "bogon prefix 192.168.0.0/16 by AS%u -> M3; its "
	    "provider -> M3C\n", AS_BOGON);
	fprintf(w->planted, "bogon AS%u behind AS%u (22.50.0.0/16) -> M4 "
	    "for AS%u; its provider -> M4C\n", PRIVATE_AS, AS_BOGON_ASN,
	    AS_BOGON_ASN);
	fprintf(w->planted, "RPKI-invalid more-specific by AS%u -> M2, "
	    "M7RPKI invalid; its provider -> M2C\n", AS_INVALID_MS);
	fprintf(w->planted, "no contacts: AS%u -> M8 0\n", AS_NO_CONTACT);
	fprintf(w->planted, "spoofing: AS%u -> M5; its provider(s) -> M5C\n",
	    AS_SPOOFER);
	fprintf(w->planted, "no ROA, no route object: AS%u -> M7RPKIN, "
	    "M7IRR 0\n", AS_NO_ROA);
	fprintf(w->planted, "clean: AS%u\n", AS_CLEAN);
	n = providers(w, idx_of(AS_LEAKER), prov, 4);
	for (i = 0; i < n; i++)
		fprintf(w->planted, "leaker AS%u provider AS%u\n", AS_LEAKER,
		    w->as[prov[i]].asn);
}

static int
generate(const char *dir)
{
	static struct world w;
	static struct pfx v[MAX_PFX];
	static struct out o;
	FILE *rib = NULL, *upd = NULL, *f;
	char path[4096];
	int n, err, rc = -1;

	memset(&w, 0, sizeof(w));
	memset(&o, 0, sizeof(o));
	w.rng = 0x6d616e7273ULL;	/* "manrs": the world never changes */
	build_topology(&w);
	n = prefixes(&w, v);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		cli_warnx("example: %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/PLANTED", dir);
	if ((w.planted = fopen(path, "w")) == NULL)
		return -1;
	write_planted(&w);
	o.w = &w;
	manrs_buf_init(&o.attrs, 65536);
	manrs_buf_init(&o.msg, 65536);
	if ((rib = create(dir, "rib", "rib.20260101.0000.mrt")) == NULL ||
	    (upd = create(dir, "updates", "updates.20260101.mrt")) == NULL ||
	    (o.rib = manrs_mrt_writer_new(rib, &err)) == NULL ||
	    (o.upd = manrs_mrt_writer_new(upd, &err)) == NULL)
		goto out;
	rib = upd = NULL;	/* owned by the writers */
	if (write_rib(&o, v, n) != 0 || plant_leak(&o, v, n) != 0 ||
	    plant_hijack(&o) != 0 || end_of_day(&o) != 0)
		goto out;
	if ((f = create(dir, "irr/EXAMPLE", "example.db")) == NULL)
		goto out;
	write_irr(&w, f, v, n);
	fclose(f);
	if ((f = create(dir, "rpki", "vrps.json")) == NULL)
		goto out;
	write_rpki(&w, f, v, n);
	fclose(f);
	if ((f = create(dir, "asrel", "example.as-rel.txt")) == NULL)
		goto out;
	write_asrel(&w, f);
	fclose(f);
	{
		FILE *net = create(dir, "peeringdb", "net.json");
		FILE *poc = create(dir, "peeringdb", "poc.json");

		if (net == NULL || poc == NULL) {
			if (net != NULL)
				fclose(net);
			if (poc != NULL)
				fclose(poc);
			goto out;
		}
		write_peeringdb(&w, net, poc);
		fclose(net);
		fclose(poc);
	}
	if ((f = create(dir, "spoofer", "spoofer.csv")) == NULL)
		goto out;
	write_spoofer(&w, f);
	fclose(f);
	rc = 0;
out:
	if (o.rib != NULL && manrs_mrt_writer_free(o.rib) != 0)
		rc = -1;
	if (o.upd != NULL && manrs_mrt_writer_free(o.upd) != 0)
		rc = -1;
	if (rib != NULL)
		fclose(rib);
	if (upd != NULL)
		fclose(upd);
	manrs_buf_clear(&o.attrs);
	manrs_buf_clear(&o.msg);
	fclose(w.planted);
	return rc;
}

int
cmd_example(int argc, char **argv)
{
	if (argc != 2 || cli_is_help(argv[1])) {
		fprintf(argc == 2 ? stdout : stderr,
		    "usage: manrs example DIR\n\n"
		    "Write the bundled example world into DIR: a small "
		    "deterministic internet\n(MRT RIB and updates, IRR, "
		    "RPKI, AS relationships, PeeringDB, spoofing\ntests) in "
		    "which named ASes commit known faults (DIR/PLANTED).  "
		    "Then:\n  manrs audit --data DIR 3010 3100\n");
		return argc == 2 ? EXIT_OK : EXIT_USAGE;
	}
	if (generate(argv[1]) != 0) {
		cli_warnx("example: cannot write the example world to %s",
		    argv[1]);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
