/*
 * vrp_set.c - a set of VRPs, ASPAs and router keys: building, merging
 * duplicates, finishing into sorted read-only arrays plus a prefix trie,
 * accessors, and the small text helpers the loaders share.  Reading a
 * file (which loader) is vrp_read.c: the loaders call into this file,
 * never the other way round.
 *
 * Invariants after finish: vrps sorted by manrs_vrp_cmp and unique, IPv4
 * before IPv6 (nv4 of them); aspas sorted by customer, one record per
 * customer, providers sorted and unique, AS0 kept only when it is the
 * customer's sole provider (then the record has n = 0); rkeys sorted and
 * unique.  idx[] (vrp_index.c) maps each distinct VRP prefix to its run
 * of VRPs and to its nearest covering prefix.
 */
#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vrp_int.h"

static struct manrs_vrp_set *
vrp_set_alloc(void)
{
	struct manrs_vrp_set *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->max_vrps = MANRS_VRP_MAX_DEFAULT;
	s->max_aspas = MANRS_VRP_ASPA_MAX_DEFAULT;
	s->max_rkeys = MANRS_VRP_RKEY_MAX_DEFAULT;
	manrs_buf_init(&s->rkey_blob, (size_t)MANRS_VRP_RKEY_MAX_DEFAULT *
	    MANRS_VRP_SPKI_MAX);
	return s;
}

/* The constructor: *err (may be NULL) is 0 or MANRS_E_NOMEM. */
struct manrs_vrp_set *
manrs_vrp_set_new(int *err)
{
	struct manrs_vrp_set *p = vrp_set_alloc();

	if (err != NULL)
		*err = p != NULL ? 0 : MANRS_E_NOMEM;
	return p;
}

void
manrs_vrp_set_free(struct manrs_vrp_set *s)
{
	if (s == NULL)
		return;
	if (s->mapped) {	/* the arrays belong to the snapshot */
		void (*fn)(void *) = s->on_free;
		void *arg = s->on_free_arg;

		free(s);
		if (fn != NULL)
			fn(arg);
		return;
	}
	free(s->vrps);
	free(s->vexp);
	free(s->pairs);
	free(s->aspas);
	free(s->aspa_prov);
	free(s->aspa_pexp);
	free(s->rkeys);
	manrs_buf_clear(&s->rkey_blob);
	vrp_index_clear(&s->idx[0]);
	vrp_index_clear(&s->idx[1]);
	free(s);
}

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;	/* small sets stay small */
	while (ncap < need)
		ncap += ncap / 2;
	if ((np = reallocarray(*p, ncap, elem)) == NULL)
		return MANRS_E_NOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

/* An expiry as stored: 0 = never, capped at UINT32_MAX. */
static uint32_t
exp32(int64_t t)
{
	if (t <= 0)
		return 0;
	return t > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

/* Merged duplicates live as long as the longest-lived of them. */
static uint32_t
exp_merge(uint32_t a, uint32_t b)
{
	if (a == 0 || b == 0)
		return 0;
	return a > b ? a : b;
}

/*
 * While a set is built, a VRP's expiry rides in its padding (pad[3] and
 * prefix.pad[0]: 32 bits that manrs_vrp_cmp never reads), so sorting
 * needs no second array; finish moves it into vexp and zeroes the pads.
 */
static void
vrp_exp_put(struct manrs_vrp *v, uint32_t e)
{
	v->pad[0] = (uint8_t)(e >> 24);
	v->pad[1] = (uint8_t)(e >> 16);
	v->pad[2] = (uint8_t)(e >> 8);
	v->prefix.pad[0] = (uint8_t)e;
}

static uint32_t
vrp_exp_take(struct manrs_vrp *v)
{
	uint32_t e = (uint32_t)v->pad[0] << 24 | (uint32_t)v->pad[1] << 16 |
	    (uint32_t)v->pad[2] << 8 | v->prefix.pad[0];

	memset(v->pad, 0, sizeof(v->pad));
	v->prefix.pad[0] = 0;
	return e;
}

int
manrs_vrp_add(struct manrs_vrp_set *s, const struct manrs_vrp *v)
{
	return vrp_add_exp(s, v, 0);
}

int
vrp_add_exp(struct manrs_vrp_set *s, const struct manrs_vrp *v,
    int64_t expires)
{
	struct manrs_vrp *d;
	unsigned bits;
	int rc;

	if (s->finished)
		return MANRS_E_INVAL;
	if (v->prefix.af != MANRS_AF_INET && v->prefix.af != MANRS_AF_INET6)
		return MANRS_E_FAMILY;
	bits = manrs_af_bits(v->prefix.af);
	if (v->prefix.len > bits || v->maxlen > bits ||
	    v->maxlen < v->prefix.len)
		return MANRS_E_RANGE;
	if (manrs_prefix_has_hostbits(&v->prefix))
		return MANRS_E_HOSTBITS;
	if (s->nvrps >= s->max_vrps)
		return MANRS_E_LIMIT;
	if ((rc = grow((void **)&s->vrps, &s->capvrps, s->nvrps + 1,
	    sizeof(*s->vrps))) != 0)
		return rc;
	d = &s->vrps[s->nvrps++];
	*d = *v;
	memset(d->prefix.pad, 0, sizeof(d->prefix.pad));
	memset(d->pad, 0, sizeof(d->pad));
	if (expires > 0) {
		vrp_exp_put(d, exp32(expires));
		s->has_vexp = true;
	}
	return 0;
}

int
manrs_vrp_aspa_add(struct manrs_vrp_set *s, uint32_t customer,
    const uint32_t *providers, size_t n)
{
	return vrp_aspa_add_exp(s, customer, providers, n, 0);
}

int
vrp_aspa_add_exp(struct manrs_vrp_set *s, uint32_t customer,
    const uint32_t *providers, size_t n, int64_t expires)
{
	uint32_t e = exp32(expires);
	size_t i;
	int rc;

	if (s->finished)
		return MANRS_E_INVAL;
	if (n > MANRS_VRP_ASPA_PROVIDERS_MAX)
		return MANRS_E_LIMIT;
	if (s->npairs + n + 1 > s->max_aspas * 64)
		return MANRS_E_LIMIT;
	if ((rc = grow((void **)&s->pairs, &s->cappairs, s->npairs + n + 1,
	    sizeof(*s->pairs))) != 0)
		return rc;
	/* An empty list is recorded as AS0: "no providers". */
	if (n == 0) {
		s->pairs[s->npairs].customer = customer;
		s->pairs[s->npairs].exp = e;
		s->pairs[s->npairs++].provider = 0;
	}
	for (i = 0; i < n; i++) {
		s->pairs[s->npairs].customer = customer;
		s->pairs[s->npairs].exp = e;
		s->pairs[s->npairs++].provider = providers[i];
	}
	return 0;
}

int
manrs_vrp_rkey_add(struct manrs_vrp_set *s, uint32_t asn,
    const uint8_t ski[20], const uint8_t *spki, size_t spki_len)
{
	return vrp_rkey_add_exp(s, asn, ski, spki, spki_len, 0);
}

int
vrp_rkey_add_exp(struct manrs_vrp_set *s, uint32_t asn,
    const uint8_t ski[20], const uint8_t *spki, size_t spki_len,
    int64_t expires)
{
	struct vrp_rkey_rec *r;
	int rc;

	if (s->finished)
		return MANRS_E_INVAL;
	if (spki_len == 0 || spki_len > MANRS_VRP_SPKI_MAX)
		return MANRS_E_RANGE;
	if (s->nrkeys >= s->max_rkeys)
		return MANRS_E_LIMIT;
	if ((rc = grow((void **)&s->rkeys, &s->caprkeys, s->nrkeys + 1,
	    sizeof(*s->rkeys))) != 0)
		return rc;
	r = &s->rkeys[s->nrkeys];
	memset(r, 0, sizeof(*r));
	r->asn = asn;
	memcpy(r->ski, ski, 20);
	r->spki_len = (uint16_t)spki_len;
	r->spki_off = (uint32_t)s->rkey_blob.len;
	r->exp = exp32(expires);
	if ((rc = manrs_buf_put(&s->rkey_blob, spki, spki_len)) != 0)
		return rc;
	s->nrkeys++;
	return 0;
}

int
manrs_vrp_cmp(const struct manrs_vrp *a, const struct manrs_vrp *b)
{
	int c;

	if (a->prefix.af != b->prefix.af)
		return a->prefix.af < b->prefix.af ? -1 : 1;
	if ((c = memcmp(a->prefix.addr, b->prefix.addr, 16)) != 0)
		return c;
	if (a->prefix.len != b->prefix.len)
		return a->prefix.len < b->prefix.len ? -1 : 1;
	if (a->maxlen != b->maxlen)
		return a->maxlen < b->maxlen ? -1 : 1;
	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	return 0;
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return manrs_vrp_cmp(a, b);
}

static int
pair_cmp(const void *a, const void *b)
{
	const struct vrp_aspa_pair *x = a, *y = b;

	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	if (x->provider != y->provider)
		return x->provider < y->provider ? -1 : 1;
	return 0;
}

static const struct manrs_vrp_set *rkey_sort_set;

static int
rkey_cmp_set(const struct manrs_vrp_set *s, const struct vrp_rkey_rec *x,
    const struct vrp_rkey_rec *y)
{
	int c;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	if ((c = memcmp(x->ski, y->ski, 20)) != 0)
		return c;
	if (x->spki_len != y->spki_len)
		return x->spki_len < y->spki_len ? -1 : 1;
	return memcmp(s->rkey_blob.p + x->spki_off,
	    s->rkey_blob.p + y->spki_off, x->spki_len);
}

static int
rkey_qcmp(const void *a, const void *b)
{
	return rkey_cmp_set(rkey_sort_set, a, b);
}

static int
finish_vrps(struct manrs_vrp_set *s)
{
	size_t i, o;
	void *np;
	int rc;

	if (s->nvrps > 1)
		qsort(s->vrps, s->nvrps, sizeof(*s->vrps), vrp_qcmp);
	if (s->has_vexp && s->nvrps > 0 && (s->vexp = reallocarray(NULL,
	    s->nvrps, sizeof(*s->vexp))) == NULL)
		return MANRS_E_NOMEM;
	s->capvexp = s->vexp != NULL ? s->nvrps : 0;
	for (i = 0, o = 0; i < s->nvrps; i++) {
		uint32_t e = vrp_exp_take(&s->vrps[i]);

		if (o > 0 && manrs_vrp_cmp(&s->vrps[o - 1],
		    &s->vrps[i]) == 0) {
			if (s->vexp != NULL)
				s->vexp[o - 1] = exp_merge(s->vexp[o - 1], e);
			continue;
		}
		if (s->vexp != NULL)
			s->vexp[o] = e;
		s->vrps[o++] = s->vrps[i];
	}
	s->nvrps = o;
	if (o > 0 && o < s->capvrps &&
	    (np = reallocarray(s->vrps, o, sizeof(*s->vrps))) != NULL) {
		s->vrps = np;
		s->capvrps = o;
	}
	if (s->vexp != NULL && o > 0 && o < s->capvexp &&
	    (np = reallocarray(s->vexp, o, sizeof(*s->vexp))) != NULL) {
		s->vexp = np;
		s->capvexp = o;
	}
	s->nv4 = 0;
	while (s->nv4 < s->nvrps && s->vrps[s->nv4].prefix.af ==
	    MANRS_AF_INET)
		s->nv4++;
	if ((rc = vrp_index_build(&s->idx[0], s->vrps, 0, s->nv4,
	    false)) != 0)
		return rc;
	return vrp_index_build(&s->idx[1], s->vrps, s->nv4, s->nvrps, true);
}

static int
finish_aspas(struct manrs_vrp_set *s)
{
	size_t i, j, k, nc = 0, np = 0;

	if (s->npairs > 1)
		qsort(s->pairs, s->npairs, sizeof(*s->pairs), pair_cmp);
	for (i = 0; i < s->npairs; i++) {
		if (i == 0 || s->pairs[i].customer != s->pairs[i - 1].customer)
			nc++;
		np++;
	}
	if (nc > s->max_aspas)
		return MANRS_E_LIMIT;
	if (nc == 0)
		goto done;
	s->aspas = calloc(nc, sizeof(*s->aspas));
	s->aspa_prov = calloc(np, sizeof(*s->aspa_prov));
	s->aspa_pexp = calloc(np, sizeof(*s->aspa_pexp));
	if (s->aspas == NULL || s->aspa_prov == NULL || s->aspa_pexp == NULL)
		return MANRS_E_NOMEM;
	np = 0;
	for (i = 0; i < s->npairs; i = j) {
		struct vrp_aspa_rec *r = &s->aspas[s->naspas];

		for (j = i; j < s->npairs &&
		    s->pairs[j].customer == s->pairs[i].customer; j++)
			;
		r->customer = s->pairs[i].customer;
		r->off = (uint32_t)np;
		r->exp = s->pairs[i].exp;
		for (k = i; k < j; k++) {
			uint32_t p = s->pairs[k].provider;

			r->exp = exp_merge(r->exp, s->pairs[k].exp);
			if (p == 0)	/* AS0 alone means "none" */
				continue;
			if (r->n > 0 && s->aspa_prov[np - 1] == p) {
				s->aspa_pexp[np - 1] = exp_merge(
				    s->aspa_pexp[np - 1], s->pairs[k].exp);
				continue;
			}
			s->aspa_pexp[np] = s->pairs[k].exp;
			s->aspa_prov[np++] = p;
			r->n++;
		}
		if (r->n > MANRS_VRP_ASPA_PROVIDERS_MAX)
			return MANRS_E_LIMIT;
		s->naspas++;
	}
done:
	free(s->pairs);
	s->pairs = NULL;
	s->npairs = s->cappairs = 0;
	return 0;
}

static void
finish_rkeys(struct manrs_vrp_set *s)
{
	size_t i, o;

	rkey_sort_set = s;
	if (s->nrkeys > 1)
		qsort(s->rkeys, s->nrkeys, sizeof(*s->rkeys), rkey_qcmp);
	rkey_sort_set = NULL;
	for (i = 0, o = 0; i < s->nrkeys; i++) {
		if (o > 0 && rkey_cmp_set(s, &s->rkeys[o - 1],
		    &s->rkeys[i]) == 0) {
			s->rkeys[o - 1].exp = exp_merge(s->rkeys[o - 1].exp,
			    s->rkeys[i].exp);
			continue;
		}
		s->rkeys[o++] = s->rkeys[i];
	}
	s->nrkeys = o;
}

int
manrs_vrp_set_finish(struct manrs_vrp_set *s)
{
	int rc;

	if (s->finished)
		return MANRS_E_INVAL;
	if ((rc = finish_vrps(s)) != 0)
		return rc;
	if ((rc = finish_aspas(s)) != 0)
		return rc;
	finish_rkeys(s);
	s->finished = true;
	return 0;
}

bool
manrs_vrp_set_finished(const struct manrs_vrp_set *s)
{
	return s->finished;
}

size_t
manrs_vrp_count(const struct manrs_vrp_set *s, uint8_t af)
{
	if (af == MANRS_AF_INET)
		return s->finished ? s->nv4 : 0;
	if (af == MANRS_AF_INET6)
		return s->finished ? s->nvrps - s->nv4 : 0;
	return s->nvrps;
}

const struct manrs_vrp *
manrs_vrp_get(const struct manrs_vrp_set *s, size_t i)
{
	return i < s->nvrps ? &s->vrps[i] : NULL;
}

int64_t
manrs_vrp_expires(const struct manrs_vrp_set *s, size_t i)
{
	if (!s->finished || s->vexp == NULL || i >= s->nvrps)
		return 0;
	return s->vexp[i];
}

size_t
manrs_vrp_aspa_count(const struct manrs_vrp_set *s)
{
	return s->naspas;
}

int
manrs_vrp_aspa_get(const struct manrs_vrp_set *s, size_t i,
    struct manrs_aspa *out)
{
	if (!s->finished || i >= s->naspas)
		return MANRS_E_NOTFOUND;
	out->customer = s->aspas[i].customer;
	out->nproviders = s->aspas[i].n;
	out->providers = s->aspa_prov + s->aspas[i].off;
	return 0;
}

bool
manrs_vrp_aspa_find(const struct manrs_vrp_set *s, uint32_t customer,
    struct manrs_aspa *out)
{
	size_t lo = manrs_lower_bound_u32(s->aspas, s->naspas,
	    sizeof(*s->aspas), offsetof(struct vrp_aspa_rec, customer),
	    customer);

	if (lo >= s->naspas || s->aspas[lo].customer != customer)
		return false;
	if (out != NULL)
		manrs_vrp_aspa_get(s, lo, out);
	return true;
}

size_t
manrs_vrp_rkey_count(const struct manrs_vrp_set *s)
{
	return s->nrkeys;
}

int
manrs_vrp_rkey_get(const struct manrs_vrp_set *s, size_t i,
    struct manrs_rkey *out)
{
	if (i >= s->nrkeys)
		return MANRS_E_NOTFOUND;
	out->asn = s->rkeys[i].asn;
	memcpy(out->ski, s->rkeys[i].ski, 20);
	out->spki_len = s->rkeys[i].spki_len;
	out->spki = s->rkey_blob.p + s->rkeys[i].spki_off;
	return 0;
}

const struct manrs_vrp_stats *
manrs_vrp_set_stats(const struct manrs_vrp_set *s)
{
	return &s->stats;
}

size_t
manrs_vrp_set_memory(const struct manrs_vrp_set *s)
{
	size_t n = sizeof(*s);

	n += s->capvrps * sizeof(*s->vrps);
	n += s->capvexp * sizeof(*s->vexp);
	n += s->cappairs * sizeof(*s->pairs);
	n += s->naspas * sizeof(*s->aspas);
	if (s->naspas > 0)
		n += (s->aspas[s->naspas - 1].off + s->aspas[s->naspas - 1].n) *
		    2 * sizeof(uint32_t);
	n += s->caprkeys * sizeof(*s->rkeys) + s->rkey_blob.cap;
	n += vrp_index_memory(&s->idx[0]) + vrp_index_memory(&s->idx[1]);
	return n;
}

/*
 * "2023-05-04T14:52:07Z" (RFC 3339, UTC, optional fraction) or a decimal
 * Unix time.
 */
int
vrp_time_parse(struct manrs_view v, int64_t *out)
{
	struct tm tm;
	uint32_t f[6];
	static const size_t pos[6] = { 0, 5, 8, 11, 14, 17 };
	static const size_t wid[6] = { 4, 2, 2, 2, 2, 2 };
	uint64_t u;
	size_t i;

	if (manrs_view_u64(v, INT64_MAX, &u) == 0) {
		*out = (int64_t)u;
		return 0;
	}
	if (v.len < 20 || v.p[4] != '-' || v.p[7] != '-' ||
	    (v.p[10] != 'T' && v.p[10] != 't' && v.p[10] != ' ') ||
	    v.p[13] != ':' || v.p[16] != ':')
		return MANRS_E_SYNTAX;
	for (i = 0; i < 6; i++)
		if (manrs_view_u32(manrs_view_make(v.p + pos[i], wid[i]),
		    9999, &f[i]) != 0)
			return MANRS_E_SYNTAX;
	i = 19;
	if (v.p[i] == '.')
		for (i++; i < v.len && v.p[i] >= '0' && v.p[i] <= '9'; i++)
			;
	if (i + 1 != v.len || (v.p[i] != 'Z' && v.p[i] != 'z'))
		return MANRS_E_SYNTAX;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
	    f[4] > 59 || f[5] > 60)
		return MANRS_E_RANGE;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)f[0] - 1900;
	tm.tm_mon = (int)f[1] - 1;
	tm.tm_mday = (int)f[2];
	tm.tm_hour = (int)f[3];
	tm.tm_min = (int)f[4];
	tm.tm_sec = (int)f[5];
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* 40 hex digits, optionally with ':' between bytes. */
int
vrp_ski_hex(struct manrs_view v, uint8_t ski[20])
{
	size_t i = 0, n = 0;
	int h, l;

	while (i < v.len) {
		if (n == 20)
			return MANRS_E_SYNTAX;
		if (i + 1 >= v.len || (h = manrs_hexval(v.p[i])) < 0 ||
		    (l = manrs_hexval(v.p[i + 1])) < 0)
			return MANRS_E_SYNTAX;
		ski[n++] = (uint8_t)(h << 4 | l);
		i += 2;
		if (i < v.len && v.p[i] == ':')
			i++;
	}
	return n == 20 ? 0 : MANRS_E_SYNTAX;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Base64 (standard or URL alphabet, padding optional) into out[max]. */
int
vrp_base64(struct manrs_view v, uint8_t *out, size_t max, size_t *n)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t i, o = 0;
	int d;

	for (i = 0; i < v.len; i++) {
		if (v.p[i] == '=')
			break;
		if ((d = b64val(v.p[i])) < 0)
			return MANRS_E_SYNTAX;
		acc = (acc << 6) | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= max)
				return MANRS_E_LIMIT;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	for (; i < v.len; i++)
		if (v.p[i] != '=')
			return MANRS_E_SYNTAX;
	*n = o;
	return 0;
}
