/*
 * mrt_rib.c - RIB view: the routes of a RIB dump with update files
 * applied in order, queryable by prefix and by origin AS.
 *
 * Layout: a prefix trie maps each prefix to a slot; a slot holds its
 * routes as 16-byte records (peer, path id, attribute set, last change).
 * Attribute sets are interned: one copy of the canonical attribute bytes
 * (MP_UNREACH dropped, MP_REACH reduced to its next hop as RFC 6396
 * 4.3.4 does in RIB entries) together with the merged four-octet AS path
 * and the origin AS, shared by every route that carries them.  Peers are
 * interned by (address, AS).  The origin index (origin AS -> slots) is
 * rebuilt lazily after changes.
 *
 * Semantics: a RIB entry or an announcement replaces the route with the
 * same (prefix, peer, path id); a withdrawal removes it; a state change
 * that leaves Established (RFC 4271 section 8.2.2) drops the peer's
 * routes.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/mrt.h>
#include <manrs/trie.h>

#include "mrt_int.h"

#define RIB_ATTRS_MAX	(64u * 1024u)	/* canonical attribute bytes */
#define BGP_ESTABLISHED	6

struct rib_route {
	uint32_t	attr;
	uint32_t	path_id;
	uint32_t	changed;
	uint32_t	peer;
};

struct rib_slot {
	struct manrs_prefix	 prefix;
	struct rib_route	*r;
	uint32_t		 n;
	uint32_t		 cap;
};

struct rib_attr {
	uint64_t	hash;
	uint64_t	off;		/* canonical attributes in bytes[] */
	uint32_t	len;
	uint32_t	path_len;	/* AS path follows the attributes */
	uint32_t	origin;
	uint8_t		asn_size;
};

struct rib_peer {
	uint8_t		af;
	uint8_t		addr[16];
	uint32_t	asn;
};

struct origin_ent {
	uint32_t	asn;
	uint32_t	slot;
};

struct manrs_mrt_rib_view {
	struct manrs_trie	*trie;
	struct rib_slot		*slots;
	size_t			 nslots, slots_cap;
	struct rib_attr		*attrs;
	size_t			 nattrs, attrs_cap;
	uint32_t		*ahash;		/* open addressing: attr+1 */
	size_t			 ahash_cap;
	uint8_t			*bytes;
	size_t			 nbytes, bytes_cap;
	struct rib_peer		*peers;
	size_t			 npeers, peers_cap;
	size_t			 nroutes;
	struct origin_ent	*oidx;
	size_t			 noidx;
	bool			 oidx_dirty;
	uint8_t			 scratch[RIB_ATTRS_MAX + 64];
	uint8_t			 path[MANRS_BGP_ASPATH4_MAX];
};

struct manrs_mrt_rib_view *
manrs_mrt_rib_view_new(int *err)
{
	struct manrs_mrt_rib_view *v;

	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->trie = manrs_trie_new(NULL)) == NULL) {
		free(v);
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	v->oidx_dirty = true;
	return v;
}

void
manrs_mrt_rib_view_free(struct manrs_mrt_rib_view *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nslots; i++)
		free(v->slots[i].r);
	free(v->slots);
	free(v->attrs);
	free(v->ahash);
	free(v->bytes);
	free(v->peers);
	free(v->oidx);
	manrs_trie_free(v->trie);
	free(v);
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if ((np = reallocarray(*p, ncap, size)) == NULL)
		return MANRS_E_NOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static uint64_t
hash_bytes(const uint8_t *p, size_t n, uint64_t h)
{
	size_t i;

	h ^= n * 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static int
peer_id(struct manrs_mrt_rib_view *v, const struct manrs_mrt_route *rt,
    uint32_t *id)
{
	size_t i, alen = rt->peer_af == MANRS_AF_INET6 ? 16 : 4;
	struct rib_peer *p;

	for (i = v->npeers; i-- > 0;) {
		p = &v->peers[i];
		if (p->asn == rt->peer_as && p->af == rt->peer_af &&
		    memcmp(p->addr, rt->peer_addr, alen) == 0) {
			*id = (uint32_t)i;
			return 0;
		}
	}
	if (grow((void **)&v->peers, &v->peers_cap, v->npeers + 1,
	    sizeof(*v->peers)) != 0)
		return MANRS_E_NOMEM;
	p = &v->peers[v->npeers];
	memset(p, 0, sizeof(*p));
	p->af = rt->peer_af;
	memcpy(p->addr, rt->peer_addr, alen);
	p->asn = rt->peer_as;
	*id = (uint32_t)v->npeers++;
	return 0;
}

/* Canonical attribute bytes of rt into v->scratch; returns the length. */
static size_t
canonical(struct manrs_mrt_rib_view *v, const struct manrs_mrt_route *rt)
{
	const struct manrs_bgp_attrs *a = rt->attrs;
	size_t off = 0, o = 0;

	while (off + 3 <= a->raw_len) {
		uint8_t fl = a->raw[off], type = a->raw[off + 1];
		size_t hl = (fl & MANRS_BGP_FLAG_EXTLEN) ? 4 : 3, len;

		if (off + hl > a->raw_len)
			break;
		len = hl == 4 ? mrt_get16(a->raw + off + 2) : a->raw[off + 2];
		if (off + hl + len > a->raw_len)
			break;
		if (type == MANRS_BGP_ATTR_MP_REACH) {
			if (rt->nh != NULL && rt->nh_len > 0 &&
			    rt->nh_len <= 32 && rt->nlri.af == MANRS_AF_INET6) {
				v->scratch[o++] = MANRS_BGP_FLAG_OPTIONAL;
				v->scratch[o++] = MANRS_BGP_ATTR_MP_REACH;
				v->scratch[o++] = (uint8_t)(rt->nh_len + 1);
				v->scratch[o++] = rt->nh_len;
				memcpy(v->scratch + o, rt->nh, rt->nh_len);
				o += rt->nh_len;
			}
		} else if (type != MANRS_BGP_ATTR_MP_UNREACH &&
		    o + hl + len <= RIB_ATTRS_MAX) {
			memcpy(v->scratch + o, a->raw + off, hl + len);
			o += hl + len;
		}
		off += hl + len;
	}
	return o;
}

static int
attr_id(struct manrs_mrt_rib_view *v, const struct manrs_mrt_route *rt,
    uint32_t *id)
{
	size_t len = canonical(v, rt), i, mask;
	uint8_t asn_size = rt->attrs->asn_size;
	uint64_t h = hash_bytes(v->scratch, len, asn_size);
	struct rib_attr *e;
	ptrdiff_t plen;
	int rc;

	if (v->ahash_cap == 0 || (v->nattrs + 1) * 2 > v->ahash_cap) {
		size_t ncap = v->ahash_cap ? v->ahash_cap * 2 : 1024, j;
		uint32_t *nt = calloc(ncap, sizeof(*nt));

		if (nt == NULL)
			return MANRS_E_NOMEM;
		for (j = 0; j < v->nattrs; j++) {
			i = v->attrs[j].hash & (ncap - 1);
			while (nt[i] != 0)
				i = (i + 1) & (ncap - 1);
			nt[i] = (uint32_t)j + 1;
		}
		free(v->ahash);
		v->ahash = nt;
		v->ahash_cap = ncap;
	}
	mask = v->ahash_cap - 1;
	for (i = h & mask; v->ahash[i] != 0; i = (i + 1) & mask) {
		e = &v->attrs[v->ahash[i] - 1];
		if (e->hash == h && e->len == len && e->asn_size == asn_size &&
		    (len == 0 || memcmp(v->bytes + e->off, v->scratch,
		    len) == 0)) {
			*id = v->ahash[i] - 1;
			return 0;
		}
	}
	plen = manrs_bgp_aspath4(rt->attrs, v->path);
	if (plen < 0)
		plen = 0;
	if ((rc = grow((void **)&v->attrs, &v->attrs_cap, v->nattrs + 1,
	    sizeof(*v->attrs))) != 0 ||
	    (rc = grow((void **)&v->bytes, &v->bytes_cap, v->nbytes + len +
	    (size_t)plen, 1)) != 0)
		return rc;
	e = &v->attrs[v->nattrs];
	e->hash = h;
	e->off = v->nbytes;
	e->len = (uint32_t)len;
	e->path_len = (uint32_t)plen;
	e->asn_size = asn_size;
	e->origin = 0;
	manrs_bgp_aspath_origin(v->path, (size_t)plen, &e->origin);
	if (len > 0)
		memcpy(v->bytes + v->nbytes, v->scratch, len);
	if (plen > 0)
		memcpy(v->bytes + v->nbytes + len, v->path, (size_t)plen);
	v->nbytes += len + (size_t)plen;
	v->ahash[i] = (uint32_t)v->nattrs + 1;
	*id = (uint32_t)v->nattrs++;
	return 0;
}

static int
slot_of(struct manrs_mrt_rib_view *v, const struct manrs_prefix *p,
    bool create, uint32_t *slot)
{
	struct rib_slot *s;
	int rc;

	if (manrs_trie_find(v->trie, p, slot))
		return 0;
	if (!create)
		return MANRS_E_NOTFOUND;
	if ((rc = grow((void **)&v->slots, &v->slots_cap, v->nslots + 1,
	    sizeof(*v->slots))) != 0)
		return rc;
	if ((rc = manrs_trie_add(v->trie, p, (uint32_t)v->nslots, NULL)) != 0)
		return rc;
	s = &v->slots[v->nslots];
	memset(s, 0, sizeof(*s));
	s->prefix = *p;
	*slot = (uint32_t)v->nslots++;
	return 0;
}

static void
drop_peer(struct manrs_mrt_rib_view *v, uint32_t peer)
{
	size_t i;
	uint32_t j;

	for (i = 0; i < v->nslots; i++) {
		struct rib_slot *s = &v->slots[i];

		for (j = 0; j < s->n;) {
			if (s->r[j].peer == peer) {
				s->r[j] = s->r[--s->n];
				v->nroutes--;
				v->oidx_dirty = true;
			} else
				j++;
		}
	}
}

int
manrs_mrt_rib_view_apply(struct manrs_mrt_rib_view *v,
    const struct manrs_mrt_route *rt)
{
	struct manrs_prefix p;
	struct rib_slot *s;
	uint32_t peer, slot, attr, j;
	int rc;

	if ((rc = peer_id(v, rt, &peer)) != 0)
		return rc;
	if (rt->kind == MANRS_MRT_ROUTE_STATE) {
		if (rt->old_state == BGP_ESTABLISHED &&
		    rt->new_state != BGP_ESTABLISHED)
			drop_peer(v, peer);
		return 0;
	}
	manrs_bgp_nlri_prefix(&rt->nlri, &p);
	rc = slot_of(v, &p, rt->kind != MANRS_MRT_ROUTE_WITHDRAW, &slot);
	if (rc == MANRS_E_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	s = &v->slots[slot];
	for (j = 0; j < s->n; j++)
		if (s->r[j].peer == peer && s->r[j].path_id == rt->nlri.path_id)
			break;
	v->oidx_dirty = true;
	if (rt->kind == MANRS_MRT_ROUTE_WITHDRAW) {
		if (j < s->n) {
			s->r[j] = s->r[--s->n];
			v->nroutes--;
		}
		return 0;
	}
	if ((rc = attr_id(v, rt, &attr)) != 0)
		return rc;
	if (j == s->n) {
		if (s->n == s->cap) {
			uint32_t ncap = s->cap ? s->cap * 2 : 2;
			struct rib_route *nr = reallocarray(s->r, ncap,
			    sizeof(*nr));

			if (nr == NULL)
				return MANRS_E_NOMEM;
			s->r = nr;
			s->cap = ncap;
		}
		s->n++;
		v->nroutes++;
	}
	s->r[j].peer = peer;
	s->r[j].path_id = rt->nlri.path_id;
	s->r[j].attr = attr;
	s->r[j].changed = rt->kind == MANRS_MRT_ROUTE_RIB ? rt->originated :
	    rt->rec->ts;
	return 0;
}

int
manrs_mrt_rib_view_load(struct manrs_mrt_rib_view *v, const char *path,
    struct manrs_diag_sink *diag)
{
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_routes *it;
	struct manrs_mrt_route rt;
	int err, rc;

	if ((rd = manrs_mrt_open(path, diag, &err)) == NULL)
		return err;
	if ((it = manrs_mrt_routes_new(rd)) == NULL) {
		manrs_mrt_close(rd);
		return MANRS_E_NOMEM;
	}
	while ((rc = manrs_mrt_route_next(it, &rt)) > 0)
		if ((rc = manrs_mrt_rib_view_apply(v, &rt)) != 0)
			break;
	manrs_mrt_routes_free(it);
	manrs_mrt_close(rd);
	return rc;
}

static void
fill(const struct manrs_mrt_rib_view *v, const struct rib_slot *s,
    const struct rib_route *r, struct manrs_rib_route *out)
{
	static const uint8_t none[1];
	const struct rib_attr *a = &v->attrs[r->attr];
	const struct rib_peer *p = &v->peers[r->peer];
	const uint8_t *base = v->bytes != NULL ? v->bytes : none;

	out->prefix = s->prefix;
	out->path_id = r->path_id;
	out->peer_as = p->asn;
	out->peer_af = p->af;
	memcpy(out->peer_addr, p->addr, 16);
	out->origin_as = a->origin;
	out->last_change = r->changed;
	out->attrs = base + a->off;
	out->attrs_len = a->len;
	out->aspath = base + a->off + a->len;
	out->aspath_len = a->path_len;
	out->asn_size = a->asn_size;
}

int
manrs_mrt_rib_view_prefix(const struct manrs_mrt_rib_view *v,
    const struct manrs_prefix *p,
    int (*fn)(void *arg, const struct manrs_rib_route *r), void *arg)
{
	struct manrs_rib_route out;
	const struct rib_slot *s;
	uint32_t slot, j;
	int rc;

	if (!manrs_trie_find(v->trie, p, &slot))
		return 0;
	s = &v->slots[slot];
	for (j = 0; j < s->n; j++) {
		fill(v, s, &s->r[j], &out);
		if ((rc = fn(arg, &out)) != 0)
			return rc;
	}
	return 0;
}

static int
cmp_origin(const void *a, const void *b)
{
	const struct origin_ent *x = a, *y = b;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* (origin, slot) pairs, one per distinct origin of each slot. */
static int
build_origin_index(struct manrs_mrt_rib_view *v)
{
	size_t i, n = 0, cap = v->nslots + 16;
	struct origin_ent *e = malloc(cap * sizeof(*e));
	uint32_t j, k;

	if (e == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < v->nslots; i++) {
		const struct rib_slot *s = &v->slots[i];

		for (j = 0; j < s->n; j++) {
			uint32_t o = v->attrs[s->r[j].attr].origin;

			for (k = 0; k < j; k++)
				if (v->attrs[s->r[k].attr].origin == o)
					break;
			if (k < j || o == 0)
				continue;
			if (n == cap) {
				struct origin_ent *ne = reallocarray(e,
				    cap * 2, sizeof(*e));

				if (ne == NULL) {
					free(e);
					return MANRS_E_NOMEM;
				}
				e = ne;
				cap *= 2;
			}
			e[n].asn = o;
			e[n].slot = (uint32_t)i;
			n++;
		}
	}
	qsort(e, n, sizeof(*e), cmp_origin);
	free(v->oidx);
	v->oidx = e;
	v->noidx = n;
	v->oidx_dirty = false;
	return 0;
}

int
manrs_mrt_rib_view_origin(const struct manrs_mrt_rib_view *cv, uint32_t asn,
    int (*fn)(void *arg, const struct manrs_rib_route *r), void *arg)
{
	/* The index is a cache: rebuilding it does not change the view. */
	struct manrs_mrt_rib_view *v = (struct manrs_mrt_rib_view *)(uintptr_t)cv;
	struct manrs_rib_route out;
	size_t lo, i;
	uint32_t j;
	int rc;

	if (v->oidx_dirty && (rc = build_origin_index(v)) != 0)
		return rc;
	lo = manrs_lower_bound_u32(v->oidx, v->noidx, sizeof(*v->oidx),
	    offsetof(struct origin_ent, asn), asn);
	for (i = lo; i < v->noidx && v->oidx[i].asn == asn; i++) {
		const struct rib_slot *s = &v->slots[v->oidx[i].slot];

		for (j = 0; j < s->n; j++) {
			if (v->attrs[s->r[j].attr].origin != asn)
				continue;
			fill(v, s, &s->r[j], &out);
			if ((rc = fn(arg, &out)) != 0)
				return rc;
		}
	}
	return 0;
}

void
manrs_mrt_rib_view_stats(const struct manrs_mrt_rib_view *v, size_t *routes,
    size_t *prefixes, size_t *paths, size_t *bytes)
{
	size_t i, b;

	b = sizeof(*v) + v->slots_cap * sizeof(*v->slots) +
	    v->attrs_cap * sizeof(*v->attrs) + v->ahash_cap * 4 +
	    v->bytes_cap + v->peers_cap * sizeof(*v->peers) +
	    v->noidx * sizeof(*v->oidx) + manrs_trie_memory(v->trie);
	for (i = 0; i < v->nslots; i++)
		b += v->slots[i].cap * sizeof(struct rib_route);
	*routes = v->nroutes;
	*prefixes = v->nslots;
	*paths = v->nattrs;
	*bytes = b;
}
