/*
 * vrp_map.c - a finished VRP set as flat parts for a snapshot
 * (manrs/db.h), and a set that uses such parts in place.
 *
 * A finished set is already flat: the sorted VRPs (IPv4 first), their
 * expiry, the ASPA records with their providers, the router keys with
 * one blob of SPKIs, and per family the covering-prefix index (nodes
 * with parent links, IPv6 low key halves, buckets).  Mapping checks
 * every count, index and offset against the part it points into, that
 * parent links only go backwards and runs only forwards, before the set
 * is returned, so route origin validation on a damaged or hostile
 * snapshot never reads out of bounds or loops.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrp_int.h"

#define MAP_MAGIC	0x56525053u	/* "VRPS" */
#define NONE		UINT32_MAX
#define BBITS_MAX	24

struct map_meta {
	uint32_t	magic;
	uint16_t	sz_vrp, sz_node, sz_aspa, sz_rkey;
	uint32_t	has_vexp;
	uint32_t	bbits[2];
	uint32_t	pad;
	uint64_t	nv4;
	struct manrs_vrp_stats stats;
};

static void
meta_layout(struct map_meta *m)
{
	m->magic = MAP_MAGIC;
	m->sz_vrp = sizeof(struct manrs_vrp);
	m->sz_node = sizeof(struct vrp_node);
	m->sz_aspa = sizeof(struct vrp_aspa_rec);
	m->sz_rkey = sizeof(struct vrp_rkey_rec);
}

static size_t
nprov(const struct manrs_vrp_set *s)
{
	return s->naspas > 0 ? (size_t)s->aspas[s->naspas - 1].off +
	    s->aspas[s->naspas - 1].n : 0;
}

void
manrs_vrp_set_on_free(struct manrs_vrp_set *s, void (*fn)(void *), void *arg)
{
	if (!s->mapped)
		return;
	s->on_free = fn;
	s->on_free_arg = arg;
}

int
manrs_vrp_part_write(const struct manrs_vrp_set *s, unsigned part,
    manrs_vrp_write_cb cb, void *arg)
{
	const struct vrp_fam_index *x;
	struct map_meta m;

	if (!s->finished)
		return MANRS_E_INVAL;
	switch (part) {
	case MANRS_VRP_PART_META:
		memset(&m, 0, sizeof(m));
		meta_layout(&m);
		m.has_vexp = s->vexp != NULL;
		m.bbits[0] = s->idx[0].bbits;
		m.bbits[1] = s->idx[1].bbits;
		m.nv4 = s->nv4;
		m.stats = s->stats;
		return cb(&m, sizeof(m), arg);
	case MANRS_VRP_PART_VRPS:
		return cb(s->vrps, s->nvrps * sizeof(*s->vrps), arg);
	case MANRS_VRP_PART_VEXP:
		return s->vexp == NULL ? 0 :
		    cb(s->vexp, s->nvrps * sizeof(*s->vexp), arg);
	case MANRS_VRP_PART_ASPAS:
		return cb(s->aspas, s->naspas * sizeof(*s->aspas), arg);
	case MANRS_VRP_PART_ASPA_PROV:
		return cb(s->aspa_prov, nprov(s) * sizeof(uint32_t), arg);
	case MANRS_VRP_PART_ASPA_PEXP:
		return cb(s->aspa_pexp, nprov(s) * sizeof(uint32_t), arg);
	case MANRS_VRP_PART_RKEYS:
		return cb(s->rkeys, s->nrkeys * sizeof(*s->rkeys), arg);
	case MANRS_VRP_PART_RKEY_BLOB:
		return cb(s->rkey_blob.p, s->rkey_blob.len, arg);
	case MANRS_VRP_PART_NODE4:
	case MANRS_VRP_PART_NODE6:
		x = &s->idx[part == MANRS_VRP_PART_NODE6];
		return x->node == NULL ? 0 :
		    cb(x->node, (x->n + 1) * sizeof(*x->node), arg);
	case MANRS_VRP_PART_LO6:
		x = &s->idx[1];
		return x->lo == NULL ? 0 :
		    cb(x->lo, (x->n + 1) * sizeof(*x->lo), arg);
	case MANRS_VRP_PART_BUCKET4:
	case MANRS_VRP_PART_BUCKET6:
		x = &s->idx[part == MANRS_VRP_PART_BUCKET6];
		return x->bucket == NULL ? 0 : cb(x->bucket,
		    (((size_t)1 << x->bbits) + 1) * sizeof(*x->bucket), arg);
	}
	return MANRS_E_INVAL;
}

/* The reason into buf[size]; MANRS_E_SYNTAX. */
#define why(buf, size, ...)						\
	manrs_errf((buf), (size), MANRS_E_SYNTAX, __VA_ARGS__)

static int
part_n(const struct manrs_vrp_part *p, size_t esz, const char *name,
    size_t *n, char *wb, size_t ws)
{
	if (p->len % esz != 0 || (p->len > 0 && (uintptr_t)p->p % 8 != 0))
		return why(wb, ws, "vrp part %s: %zu bytes, not whole "
		    "aligned entries of %zu", name, p->len, esz);
	*n = p->len / esz;
	if (*n >= NONE)
		return why(wb, ws, "vrp part %s: too many entries", name);
	return 0;
}

/* One family's index over VRPs [from, to). */
static int
check_index(struct vrp_fam_index *x, unsigned fam, size_t from, size_t to,
    char *wb, size_t ws)
{
	unsigned bits = fam ? 128 : 32;
	size_t i, nb;

	if (x->n == 0 && x->node == NULL)
		return 0;
	if (x->bbits == 0 || x->bbits > BBITS_MAX)
		return why(wb, ws, "vrp index %u: %u bucket bits", fam,
		    x->bbits);
	nb = (size_t)1 << x->bbits;
	for (i = 0; i <= nb; i++)
		if (x->bucket[i] > x->n || (i > 0 &&
		    x->bucket[i] < x->bucket[i - 1]))
			return why(wb, ws, "vrp index %u: bucket %zu out of "
			    "order or bounds", fam, i);
	for (i = 0; i <= x->n; i++) {
		const struct vrp_node *nd = &x->node[i];

		if (nd->first < from || nd->first > to ||
		    (i > 0 && nd->first < x->node[i - 1].first))
			return why(wb, ws, "vrp index %u: node %zu run out of "
			    "bounds", fam, i);
		if (i == x->n)
			break;
		if (nd->len > bits || (nd->parent != NONE && nd->parent >= i))
			return why(wb, ws, "vrp index %u: node %zu bad length "
			    "or parent", fam, i);
	}
	return 0;
}

static bool
vrp_ok(const struct manrs_vrp *v, bool v6)
{
	unsigned bits = v6 ? 128 : 32;

	return v->prefix.af == (v6 ? MANRS_AF_INET6 : MANRS_AF_INET) &&
	    v->prefix.len <= bits && v->maxlen >= v->prefix.len &&
	    v->maxlen <= bits;
}

struct manrs_vrp_set *
manrs_vrp_map(const struct manrs_vrp_part parts[MANRS_VRP_PART_COUNT],
    char *wb, size_t ws, int *err)
{
	const struct manrs_vrp_part *pm = &parts[MANRS_VRP_PART_META];
	struct manrs_vrp_set *s;
	struct map_meta m, want;
	size_t n, np, i, nb;
	unsigned f;
	int rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	s->mapped = true;
	s->finished = true;
	if (pm->len != sizeof(m)) {
		rc = why(wb, ws, "vrp part META: %zu bytes", pm->len);
		goto fail;
	}
	memcpy(&m, pm->p, sizeof(m));
	memset(&want, 0, sizeof(want));
	meta_layout(&want);
	if (memcmp(&m, &want, offsetof(struct map_meta, has_vexp)) != 0) {
		rc = why(wb, ws, "vrp part META: built with another layout");
		goto fail;
	}
	s->stats = m.stats;
#define GET(part, field, cnt) do {					\
	if ((rc = part_n(&parts[MANRS_VRP_PART_##part],			\
	    sizeof(*s->field), #part, &(cnt), wb, ws)) != 0)		\
		goto fail;						\
	s->field = (void *)(uintptr_t)parts[MANRS_VRP_PART_##part].p;	\
} while (0)
	GET(VRPS, vrps, s->nvrps);
	GET(ASPAS, aspas, s->naspas);
	GET(RKEYS, rkeys, s->nrkeys);
	GET(ASPA_PROV, aspa_prov, np);
	GET(ASPA_PEXP, aspa_pexp, n);
	if (n != np) {
		rc = why(wb, ws, "vrp parts ASPA_PROV and ASPA_PEXP differ");
		goto fail;
	}
	GET(VEXP, vexp, n);
	if (n != 0 && n != s->nvrps) {
		rc = why(wb, ws, "vrp part VEXP: %zu for %zu VRPs", n,
		    s->nvrps);
		goto fail;
	}
	if (n == 0)
		s->vexp = NULL;
	s->has_vexp = s->vexp != NULL;
	s->capvrps = s->nvrps;
	if (m.nv4 > s->nvrps) {
		rc = why(wb, ws, "vrp part META: %llu IPv4 of %zu VRPs",
		    (unsigned long long)m.nv4, s->nvrps);
		goto fail;
	}
	s->nv4 = (size_t)m.nv4;
	for (i = 0; i < s->nvrps; i++)
		if (!vrp_ok(&s->vrps[i], i >= s->nv4)) {
			rc = why(wb, ws, "vrp %zu: bad prefix or maxLength",
			    i);
			goto fail;
		}
	for (i = 0; i < s->naspas; i++)
		if (s->aspas[i].off > np || s->aspas[i].n > np -
		    s->aspas[i].off) {
			rc = why(wb, ws, "vrp ASPA %zu: providers out of "
			    "bounds", i);
			goto fail;
		}
	s->rkey_blob.p = (uint8_t *)(uintptr_t)
	    parts[MANRS_VRP_PART_RKEY_BLOB].p;
	s->rkey_blob.len = parts[MANRS_VRP_PART_RKEY_BLOB].len;
	for (i = 0; i < s->nrkeys; i++)
		if (s->rkeys[i].spki_off > s->rkey_blob.len ||
		    s->rkeys[i].spki_len > s->rkey_blob.len -
		    s->rkeys[i].spki_off) {
			rc = why(wb, ws, "vrp router key %zu: SPKI out of "
			    "bounds", i);
			goto fail;
		}
	for (f = 0; f < 2; f++) {
		struct vrp_fam_index *x = &s->idx[f];
		unsigned pn = f ? MANRS_VRP_PART_NODE6 : MANRS_VRP_PART_NODE4;
		unsigned pb = f ? MANRS_VRP_PART_BUCKET6 :
		    MANRS_VRP_PART_BUCKET4;

		x->v6 = f == 1;
		x->bbits = m.bbits[f];
		if ((rc = part_n(&parts[pn], sizeof(*x->node), "NODE", &n, wb,
		    ws)) != 0 || (rc = part_n(&parts[pb], sizeof(uint32_t),
		    "BUCKET", &nb, wb, ws)) != 0)
			goto fail;
		if (n == 0 && nb == 0)
			continue;
		if (n == 0 || x->bbits == 0 || x->bbits > BBITS_MAX ||
		    nb != ((size_t)1 << x->bbits) + 1) {
			rc = why(wb, ws, "vrp index %u: %zu nodes, %zu buckets "
			    "for %u bits", f, n, nb, x->bbits);
			goto fail;
		}
		x->n = n - 1;
		x->node = (struct vrp_node *)(uintptr_t)parts[pn].p;
		x->bucket = (uint32_t *)(uintptr_t)parts[pb].p;
		if (f == 1) {
			if ((rc = part_n(&parts[MANRS_VRP_PART_LO6],
			    sizeof(uint64_t), "LO6", &n, wb, ws)) != 0)
				goto fail;
			if (n != x->n + 1) {
				rc = why(wb, ws, "vrp index 1: %zu low halves "
				    "for %zu nodes", n, x->n);
				goto fail;
			}
			x->lo = (uint64_t *)(uintptr_t)
			    parts[MANRS_VRP_PART_LO6].p;
		}
		if ((rc = check_index(x, f, f ? s->nv4 : 0, f ? s->nvrps :
		    s->nv4, wb, ws)) != 0)
			goto fail;
	}
	if (s->idx[0].node == NULL || s->idx[1].node == NULL) {
		rc = why(wb, ws, "vrp index missing");
		goto fail;
	}
	*err = 0;
	return s;
fail:
	free(s);
	*err = rc;
	return NULL;
}
