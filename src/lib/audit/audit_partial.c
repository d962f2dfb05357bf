/*
 * audit_partial.c - the state of an unfinished audit context as a
 * "partial" file, and merging partials (docs/observatory.md "Scale-out").
 *
 * Format (fixed-width integers little-endian):
 *   header  "MANRSOBP", u32 version (2), u32 flags (0), u64 body length
 *   body    period and counters, MRT files, gaps, peers (fixed widths);
 *           prefix/origin pairs, incidents, routes with an open fault,
 *           first operations, their events, ASNs seen (compact: LEB128
 *           varints, times as deltas, prefixes by their significant
 *           bytes, fault details only for the faults present)
 *   trailer u64 FNV-1a of the body
 * Version 1 (fixed widths throughout, 3 to 10 times larger) is refused.
 * A partial is checked whole (bounds, indexes, order) before anything of
 * it is merged, so a bad one leaves the context unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/audit.h>

#include "audit_int.h"

#define HDR_LEN		24
#define PEER_KEY_LEN	24
#define PATH_LEN_MAX	4096

static uint64_t
fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Writing. */

static void
put32(struct manrs_buf *b, uint32_t v, int *err)
{
	uint8_t x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	if (manrs_buf_put(b, x, 4) != 0)
		*err = MANRS_E_NOMEM;
}

static void
put64(struct manrs_buf *b, uint64_t v, int *err)
{
	uint8_t x[8];
	int i;

	for (i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	if (manrs_buf_put(b, x, 8) != 0)
		*err = MANRS_E_NOMEM;
}

static void
put8(struct manrs_buf *b, uint8_t v, int *err)
{
	if (manrs_buf_put_u8(b, v) != 0)
		*err = MANRS_E_NOMEM;
}

/* LEB128, 7 bits a byte, least significant first. */
static void
put_uv(struct manrs_buf *b, uint64_t v, int *err)
{
	uint8_t x[10];
	size_t n = 0;

	do {
		x[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			x[n] |= 0x80;
		n++;
	} while (v != 0);
	if (manrs_buf_put(b, x, n) != 0)
		*err = MANRS_E_NOMEM;
}

/* A signed difference, zigzag-coded (0, -1, 1, -2 ... -> 0, 1, 2, 3). */
static void
put_zz(struct manrs_buf *b, int64_t v, int *err)
{
	put_uv(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63), err);
}

/* A prefix by its family, length and significant bytes only. */
static void
put_cpfx(struct manrs_buf *b, const struct manrs_prefix *p, int *err)
{
	put8(b, p->af, err);
	put8(b, p->len, err);
	if (manrs_buf_put(b, p->addr, (p->len + 7u) / 8u) != 0)
		*err = MANRS_E_NOMEM;
}

static void
put_fi(struct manrs_buf *b, const struct fault_info *f, int *err)
{
	put_uv(b, f->culprit, err);
	put_uv(b, f->accomplice, err);
	put_uv(b, f->other, err);
}

/* The first operations' flag byte: kind, faults, what repeats. */
#define HF_KIND		0x03
#define HF_FAULTS_SHIFT	2
#define HF_SAME_PFX	0x40	/* the prefix of the last route head */
#define HF_SAME_T	0x80	/* the time of the last head */

static uint32_t
file_of(const struct manrs_audit *a, const char *path)
{
	size_t i;

	for (i = 0; path != NULL && i < a->nfiles; i++)
		if (a->files[i].path == path)
			return (uint32_t)i + 1;
	return 0;
}

int
manrs_audit_partial_write(const struct manrs_audit *a, struct manrs_buf *out)
{
	const struct manrs_prefix *lastpfx;
	size_t base = out->len, i, j, n;
	uint64_t cnt;
	int64_t prev;
	uint32_t last;
	int err = 0;
	unsigned k;

	if (a->finished)
		return MANRS_E_INVAL;
	if (a->err != 0)
		return a->err;
	if (manrs_buf_put(out, MANRS_AUDIT_PARTIAL_MAGIC, 8) != 0)
		return MANRS_E_NOMEM;
	put32(out, MANRS_AUDIT_PARTIAL_VERSION, &err);
	put32(out, 0, &err);
	put64(out, 0, &err);		/* body length, below */
	put64(out, (uint64_t)a->start, &err);
	put64(out, (uint64_t)a->end, &err);
	put64(out, a->bogus_time, &err);
	put32(out, a->end_file, &err);
	put64(out, a->st.routes, &err);
	put64(out, a->st.withdrawals, &err);
	put64(out, a->st.events, &err);
	put64(out, a->st.skipped, &err);

	put32(out, (uint32_t)a->nfiles, &err);
	for (i = 0; i < a->nfiles; i++) {
		const struct manrs_audit_file *f = &a->files[i];
		size_t pl = strlen(f->path);

		if (pl > PATH_LEN_MAX)
			return MANRS_E_LIMIT;
		put8(out, f->rib, &err);
		put32(out, (uint32_t)pl, &err);
		if (manrs_buf_put(out, f->path, pl) != 0)
			err = MANRS_E_NOMEM;
		put64(out, f->records, &err);
		put64(out, f->skipped, &err);
		put64(out, (uint64_t)f->first, &err);
		put64(out, (uint64_t)f->last, &err);
	}
	put32(out, (uint32_t)a->ngaps, &err);
	for (i = 0; i < a->ngaps; i++) {
		put64(out, (uint64_t)a->gaps[i].from, &err);
		put64(out, (uint64_t)a->gaps[i].to, &err);
		put32(out, file_of(a, a->gaps[i].before), &err);
		put32(out, file_of(a, a->gaps[i].after), &err);
	}
	put32(out, (uint32_t)a->peers.n, &err);
	if (manrs_buf_put(out, a->peers.keys, a->peers.n * PEER_KEY_LEN) != 0)
		err = MANRS_E_NOMEM;
	put_uv(out, a->npairs, &err);
	for (i = 0, prev = 0; i < a->npairs; i++) {
		const struct pair *pr = &a->pairs[i];

		put_cpfx(out, &pr->prefix, &err);
		put_uv(out, pr->origin, &err);
		put8(out, pr->faults, &err);
		put8(out, pr->rov, &err);
		put8(out, pr->rov_reason, &err);
		put8(out, pr->irr, &err);
		put_uv(out, pr->file, &err);
		put_uv(out, pr->peers, &err);
		put_zz(out, pr->first - prev, &err);
		put_zz(out, pr->last - pr->first, &err);
		prev = pr->first;
	}
	put_uv(out, a->nincs, &err);
	for (i = 0; i < a->nincs; i++) {
		const struct inclist *l = &a->incs[i];

		put_uv(out, *(const uint64_t *)htab_key(&a->inc_idx, i), &err);
		put_uv(out, l->n, &err);
		for (j = 0, prev = 0; j < l->n; j++) {
			const struct incident *x = &l->v[j];

			put_zz(out, x->start - prev, &err);
			put_zz(out, x->end - x->start, &err);
			put_uv(out, x->peers, &err);
			put_uv(out, x->events, &err);
			put_uv(out, x->origin, &err);
			put_uv(out, x->other, &err);
			put_uv(out, x->file, &err);
			put_cpfx(out, &x->prefix, &err);
			prev = x->start;
		}
	}
	for (i = 0, cnt = 0; i < a->captv && i < a->tracked.n; i++)
		cnt += a->tv[i].n > 0;
	put_uv(out, cnt, &err);
	for (i = 0; i < a->captv && i < a->tracked.n; i++) {
		const struct trackvec *tv = &a->tv[i];

		if (tv->n == 0)
			continue;
		put_cpfx(out, htab_key(&a->tracked, i), &err);
		put_uv(out, tv->n, &err);
		for (j = 0; j < tv->n; j++) {
			const struct active *ac = &tv->v[j];

			/* What a fault that is not there holds is never read. */
			put8(out, ac->faults, &err);
			put8(out, ac->head, &err);
			put_uv(out, ac->peer, &err);
			put_uv(out, ac->path_id, &err);
			put_uv(out, ac->origin, &err);
			put_uv(out, ac->file, &err);
			for (k = 0; k < FAULT_COUNT; k++)
				if (ac->faults & (1u << k))
					put_uv(out, ac->start[k], &err);
			if (ac->faults & (1u << FAULT_HIJACK))
				put_uv(out, ac->acc_hijack, &err);
			if (ac->faults & (1u << FAULT_BOGON_PFX))
				put_uv(out, ac->acc_bogon_pfx, &err);
			if (ac->faults & (1u << FAULT_LEAK))
				put_fi(out, &ac->leak, &err);
			if (ac->faults & (1u << FAULT_BOGON_ASN))
				put_fi(out, &ac->bogon_asn, &err);
		}
	}
	put_uv(out, a->nheads, &err);
	for (i = 0, prev = 0, lastpfx = NULL; i < a->nheads; i++) {
		const struct head *h = &a->heads[i];
		uint8_t fl = (uint8_t)(h->kind | h->faults << HF_FAULTS_SHIFT);
		bool samep = h->kind == HEAD_ROUTE && lastpfx != NULL &&
		    manrs_prefix_eq(lastpfx, &h->prefix);

		if (i > 0 && h->t == prev)
			fl |= HF_SAME_T;
		if (samep)
			fl |= HF_SAME_PFX;
		put8(out, fl, &err);
		put_uv(out, h->peer, &err);
		if (!(fl & HF_SAME_T))
			put_zz(out, h->t - prev, &err);
		prev = h->t;
		if (h->kind != HEAD_ROUTE)
			continue;
		put_uv(out, h->path_id, &err);
		if (!samep)
			put_cpfx(out, &h->prefix, &err);
		lastpfx = &h->prefix;
		/* A clean first operation has no culprits. */
		for (k = 0; k < FAULT_COUNT; k++)
			if (h->faults & (1u << k)) {
				put_uv(out, h->culprit[k], &err);
				put_uv(out, h->accomplice[k], &err);
			}
	}
	put_uv(out, a->nhevs, &err);
	for (i = 0; i < a->nhevs; i++) {
		const struct hevent *e = &a->hevs[i];

		put_uv(out, e->peer, &err);
		put_uv(out, e->path_id, &err);
		put_cpfx(out, &e->prefix, &err);
		put8(out, e->k, &err);
		put_uv(out, (uint64_t)e->start, &err);
		put_zz(out, e->end - e->start, &err);
		put_fi(out, &e->f, &err);
		put_uv(out, e->origin, &err);
		put_uv(out, e->file, &err);
	}
	put_uv(out, a->nseen, &err);
	for (i = n = 0, last = 0; i < 65536; i++) {
		size_t w;

		for (w = 0; a->seen[i] != NULL && w < 65536 / 64; w++) {
			uint64_t bits = a->seen[i][w];

			while (bits != 0) {
				uint32_t asn = (uint32_t)(i << 16 | w << 6 |
				    (size_t)__builtin_ctzll(bits));

				put_uv(out, asn - last, &err);	/* ascending */
				last = asn;
				bits &= bits - 1;
				n++;
			}
		}
	}
	if (err != 0)
		return err;
	if (n != a->nseen)
		return MANRS_E_INVAL;
	cnt = out->len - base - HDR_LEN;
	for (k = 0; k < 8; k++)
		out->p[base + 16 + k] = (uint8_t)(cnt >> (8 * k));
	put64(out, fnv1a(out->p + base + HDR_LEN, (size_t)cnt), &err);
	return err;
}

/* Reading: everything decoded and checked first, then merged. */

struct rd {
	const uint8_t		*p;
	size_t			 len, off;
	const char		*name;
	struct manrs_diag_sink	*sink;
	int			 err;
};

static void
bad(struct rd *r, int err, size_t off, const char *what)
{
	if (r->err != 0)
		return;
	r->err = err;
	manrs_diag_report(r->sink, MANRS_SEV_ERROR, r->name, 0, off,
	    "partial: %s", what);
}

static const uint8_t *
take(struct rd *r, size_t n)
{
	const uint8_t *q;

	if (r->err != 0)
		return NULL;
	if (n > r->len - r->off) {
		bad(r, MANRS_E_SHORT, r->off, "truncated");
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static uint64_t
get(struct rd *r, size_t n)
{
	const uint8_t *q = take(r, n);
	uint64_t v = 0;
	size_t i;

	if (q == NULL)
		return 0;
	for (i = 0; i < n; i++)
		v |= (uint64_t)q[i] << (8 * i);
	return v;
}

#define get8(r)		((uint8_t)get(r, 1))
#define get32(r)	((uint32_t)get(r, 4))
#define get64(r)	get(r, 8)

static void	check_time(struct rd *, int64_t, size_t);

/* A LEB128 varint of at most 64 bits (no overlong or cut-off form). */
static uint64_t
get_uv(struct rd *r)
{
	size_t off = r->off;
	uint64_t v = 0;
	unsigned shift = 0;
	const uint8_t *q;

	for (;;) {
		if ((q = take(r, 1)) == NULL)
			return 0;
		if (shift == 63 && *q > 1) {
			bad(r, MANRS_E_RANGE, off, "number too large");
			return 0;
		}
		v |= (uint64_t)(*q & 0x7f) << shift;
		if (!(*q & 0x80))
			break;
		shift += 7;
	}
	if (shift > 0 && *q == 0) {
		bad(r, MANRS_E_RANGE, off, "number not in its shortest form");
		return 0;
	}
	return v;
}

/* A varint that must fit 32 bits. */
static uint32_t
get_uv32(struct rd *r)
{
	size_t off = r->off;
	uint64_t v = get_uv(r);

	if (v > UINT32_MAX) {
		bad(r, MANRS_E_RANGE, off, "number out of range");
		return 0;
	}
	return (uint32_t)v;
}

static int64_t
get_zz(struct rd *r)
{
	uint64_t v = get_uv(r);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* base + a difference, which must land in [0, 2^32) (a time). */
static int64_t
get_time_delta(struct rd *r, int64_t base)
{
	size_t off = r->off;
	int64_t d = get_zz(r), t;

	if (d > (int64_t)UINT32_MAX || d < -(int64_t)UINT32_MAX)
		t = -1;
	else
		t = base + d;
	check_time(r, t, off);
	return r->err == 0 ? t : 0;
}

static void
get_cpfx(struct rd *r, struct manrs_prefix *p)
{
	size_t off = r->off, nb;
	const uint8_t *q;

	memset(p, 0, sizeof(*p));
	p->af = get8(r);
	p->len = get8(r);
	if (r->err != 0)
		return;
	if ((p->af != MANRS_AF_INET && p->af != MANRS_AF_INET6) ||
	    p->len > (p->af == MANRS_AF_INET ? 32 : 128)) {
		bad(r, MANRS_E_RANGE, off, "invalid prefix");
		return;
	}
	nb = (p->len + 7u) / 8u;
	if ((q = take(r, nb)) == NULL)
		return;
	memcpy(p->addr, q, nb);
	if (manrs_prefix_has_hostbits(p))
		bad(r, MANRS_E_RANGE, off, "invalid prefix");
}

/* A varint count of items of at least size bytes each, bounded. */
static size_t
get_vcount(struct rd *r, size_t size)
{
	size_t off = r->off;
	uint64_t n = get_uv(r);

	if (r->err != 0)
		return 0;	/* nothing is allocated for what failed */
	if (n > (r->len - r->off) / size) {
		bad(r, MANRS_E_SHORT, off, "count beyond the end of the file");
		return 0;
	}
	return (size_t)n;
}

/* A count of items of at least size bytes each, bounded by the rest. */
static size_t
get_count(struct rd *r, size_t nbytes, size_t size)
{
	size_t off = r->off;
	uint64_t n = get(r, nbytes);

	if (r->err == 0 && n > (r->len - r->off) / size) {
		bad(r, MANRS_E_SHORT, off, "count beyond the end of the file");
		return 0;
	}
	return (size_t)n;
}

struct pfile {
	struct manrs_audit_file	 f;
	const uint8_t		*path;
	size_t			 plen;
};

struct plist {
	uint64_t		 key;
	struct incident		*v;
	size_t			 n;
};

struct ptrack {
	struct manrs_prefix	 prefix;
	struct active		*v;
	size_t			 n;
};

struct partial {
	int64_t			 start, end;
	uint64_t		 bogus;
	uint32_t		 end_file;
	struct manrs_audit_stats st;
	struct pfile		*files;
	size_t			 nfiles;
	struct manrs_audit_gap	*gaps;
	uint32_t		*gapf;		/* before, after per gap */
	size_t			 ngaps;
	const uint8_t		*peers;
	size_t			 npeers;
	struct pair		*pairs;
	size_t			 npairs;
	struct plist		*lists;
	size_t			 nlists;
	struct ptrack		*tracks;
	size_t			 ntracks;
	struct head		*heads;
	size_t			 nheads;
	struct hevent		*hevs;
	size_t			 nhevs;
	uint32_t		*seen;
	size_t			 nseen;
};

static void
partial_free(struct partial *P)
{
	size_t i;

	free(P->files);
	free(P->gaps);
	free(P->gapf);
	free(P->pairs);
	for (i = 0; i < P->nlists; i++)
		free(P->lists[i].v);
	free(P->lists);
	for (i = 0; i < P->ntracks; i++)
		free(P->tracks[i].v);
	free(P->tracks);
	free(P->heads);
	free(P->hevs);
	free(P->seen);
}

static void
check_file(struct rd *r, struct partial *P, uint32_t f, size_t off)
{
	if (f > P->nfiles)
		bad(r, MANRS_E_RANGE, off, "file index out of range");
}

static void
check_time(struct rd *r, int64_t t, size_t off)
{
	if (t < 0 || t > UINT32_MAX)
		bad(r, MANRS_E_RANGE, off, "time out of range");
}

static void
read_files(struct rd *r, struct partial *P)
{
	size_t i, off;

	P->nfiles = get_count(r, 4, 38);
	if (r->err == 0 && P->nfiles > AUDIT_FILES_MAX)
		bad(r, MANRS_E_LIMIT, r->off - 4, "too many MRT files");
	if (r->err != 0 ||
	    (P->files = calloc(P->nfiles + 1, sizeof(*P->files))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->nfiles && r->err == 0; i++) {
		struct pfile *f = &P->files[i];
		uint8_t rib;

		off = r->off;
		rib = get8(r);
		if (rib > 1)
			bad(r, MANRS_E_RANGE, off, "invalid file kind");
		f->f.rib = rib != 0;
		off = r->off;
		f->plen = get32(r);
		if (r->err == 0 && (f->plen == 0 || f->plen > PATH_LEN_MAX))
			bad(r, MANRS_E_RANGE, off, "invalid path length");
		off = r->off;
		f->path = take(r, f->plen);
		if (f->path != NULL && memchr(f->path, 0, f->plen) != NULL)
			bad(r, MANRS_E_RANGE, off, "NUL in a path");
		f->f.records = get64(r);
		f->f.skipped = get64(r);
		off = r->off;
		f->f.first = (int64_t)get64(r);
		f->f.last = (int64_t)get64(r);
		check_time(r, f->f.first, off);
		check_time(r, f->f.last, off + 8);
		if (f->f.first > f->f.last)
			bad(r, MANRS_E_RANGE, off, "file ends before it starts");
	}
}

static void
read_gaps(struct rd *r, struct partial *P)
{
	size_t i, off;

	P->ngaps = get_count(r, 4, 24);
	if (r->err != 0 ||
	    (P->gaps = calloc(P->ngaps + 1, sizeof(*P->gaps))) == NULL ||
	    (P->gapf = calloc(2 * P->ngaps + 1, sizeof(*P->gapf))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->ngaps && r->err == 0; i++) {
		off = r->off;
		P->gaps[i].from = (int64_t)get64(r);
		P->gaps[i].to = (int64_t)get64(r);
		check_time(r, P->gaps[i].from, off);
		check_time(r, P->gaps[i].to, off + 8);
		if (P->gaps[i].from > P->gaps[i].to)
			bad(r, MANRS_E_RANGE, off, "gap ends before it starts");
		off = r->off;
		P->gapf[2 * i] = get32(r);
		P->gapf[2 * i + 1] = get32(r);
		check_file(r, P, P->gapf[2 * i], off);
		check_file(r, P, P->gapf[2 * i + 1], off + 4);
	}
}

static void
read_pairs(struct rd *r, struct partial *P)
{
	int64_t prev = 0;
	size_t i, off;

	P->npairs = get_vcount(r, 12);
	if (r->err != 0 ||
	    (P->pairs = calloc(P->npairs + 1, sizeof(*P->pairs))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->npairs && r->err == 0; i++) {
		struct pair *pr = &P->pairs[i];
		uint32_t f;

		get_cpfx(r, &pr->prefix);
		off = r->off;
		pr->origin = get_uv32(r);
		if (r->err == 0 && pr->origin == 0)
			bad(r, MANRS_E_RANGE, off, "pair without an origin");
		off = r->off;
		pr->faults = get8(r);
		pr->rov = get8(r);
		pr->rov_reason = get8(r);
		pr->irr = get8(r);
		if (pr->faults >= 1u << FAULT_COUNT || pr->rov > 3 ||
		    pr->irr > 7)
			bad(r, MANRS_E_RANGE, off, "invalid pair verdicts");
		off = r->off;
		f = get_uv32(r);
		check_file(r, P, f, off);
		pr->file = (uint16_t)f;
		if (r->err == 0 && pr->file == 0)
			bad(r, MANRS_E_RANGE, off, "pair without a file");
		pr->peers = get_uv(r);
		pr->first = prev = get_time_delta(r, prev);
		pr->last = get_time_delta(r, pr->first);
	}
}

static void
read_incidents(struct rd *r, struct partial *P)
{
	size_t i, j, off;
	int64_t prev;

	P->nlists = get_vcount(r, 2);
	if (r->err != 0 ||
	    (P->lists = calloc(P->nlists + 1, sizeof(*P->lists))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->nlists && r->err == 0; i++) {
		struct plist *l = &P->lists[i];

		off = r->off;
		l->key = get_uv(r);
		if (r->err == 0 && ((l->key & 0xff) >= MANRS_METRIC_COUNT ||
		    l->key >> 40 != 0 || l->key >> 8 == 0))
			bad(r, MANRS_E_RANGE, off, "invalid incident key");
		l->n = get_vcount(r, 9);
		if (r->err != 0 ||
		    (l->v = calloc(l->n + 1, sizeof(*l->v))) == NULL) {
			if (r->err == 0)
				r->err = MANRS_E_NOMEM;
			return;
		}
		for (j = 0, prev = 0; j < l->n && r->err == 0; j++) {
			struct incident *x = &l->v[j];
			uint32_t f;

			off = r->off;
			x->start = prev = get_time_delta(r, prev);
			x->end = get_time_delta(r, x->start);
			if (r->err == 0 && (x->start > x->end || (j > 0 &&
			    x->start <= l->v[j - 1].end)))
				bad(r, MANRS_E_RANGE, off, "incidents overlap "
				    "or are out of order");
			x->peers = get_uv(r);
			off = r->off;
			x->events = get_uv32(r);
			if (r->err == 0 && x->events == 0)
				bad(r, MANRS_E_RANGE, off, "incident without "
				    "events");
			x->origin = get_uv32(r);
			x->other = get_uv32(r);
			off = r->off;
			f = get_uv32(r);
			check_file(r, P, f, off);
			x->file = (uint16_t)f;
			get_cpfx(r, &x->prefix);
		}
	}
}

static void
get_fi(struct rd *r, struct fault_info *f)
{
	f->culprit = get_uv32(r);
	f->accomplice = get_uv32(r);
	f->other = get_uv32(r);
}

static void
read_tracks(struct rd *r, struct partial *P)
{
	size_t i, j, off;
	unsigned k;

	P->ntracks = get_vcount(r, 3);
	if (r->err != 0 ||
	    (P->tracks = calloc(P->ntracks + 1, sizeof(*P->tracks))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->ntracks && r->err == 0; i++) {
		struct ptrack *t = &P->tracks[i];

		get_cpfx(r, &t->prefix);
		off = r->off;
		t->n = get_vcount(r, 7);
		if (r->err == 0 && t->n == 0)
			bad(r, MANRS_E_RANGE, off, "prefix without routes");
		if (r->err != 0 ||
		    (t->v = calloc(t->n + 1, sizeof(*t->v))) == NULL) {
			if (r->err == 0)
				r->err = MANRS_E_NOMEM;
			return;
		}
		for (j = 0; j < t->n && r->err == 0; j++) {
			struct active *ac = &t->v[j];
			uint32_t f;

			off = r->off;
			ac->faults = get8(r);
			if (r->err == 0 && (ac->faults == 0 ||
			    ac->faults >= 1u << FAULT_COUNT))
				bad(r, MANRS_E_RANGE, off, "invalid faults");
			off = r->off;
			ac->head = get8(r);
			if (r->err == 0 && (ac->head & ~ac->faults) != 0)
				bad(r, MANRS_E_RANGE, off, "invalid first "
				    "operation faults");
			off = r->off;
			ac->peer = get_uv32(r);
			if (r->err == 0 && ac->peer >= P->npeers)
				bad(r, MANRS_E_RANGE, off, "peer index out of "
				    "range");
			ac->path_id = get_uv32(r);
			ac->origin = get_uv32(r);
			off = r->off;
			f = get_uv32(r);
			check_file(r, P, f, off);
			ac->file = (uint16_t)f;
			for (k = 0; k < FAULT_COUNT; k++)
				if (ac->faults & (1u << k))
					ac->start[k] = get_uv32(r);
			if (ac->faults & (1u << FAULT_HIJACK))
				ac->acc_hijack = get_uv32(r);
			if (ac->faults & (1u << FAULT_BOGON_PFX))
				ac->acc_bogon_pfx = get_uv32(r);
			if (ac->faults & (1u << FAULT_LEAK))
				get_fi(r, &ac->leak);
			if (ac->faults & (1u << FAULT_BOGON_ASN))
				get_fi(r, &ac->bogon_asn);
		}
	}
}

static void
read_heads(struct rd *r, struct partial *P)
{
	const struct manrs_prefix *lastpfx = NULL;
	int64_t prev = 0;
	size_t i, off;
	unsigned k;

	P->nheads = get_vcount(r, 2);
	if (r->err != 0 ||
	    (P->heads = calloc(P->nheads + 1, sizeof(*P->heads))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->nheads && r->err == 0; i++) {
		struct head *h = &P->heads[i];
		uint8_t fl;

		off = r->off;
		fl = get8(r);
		h->kind = fl & HF_KIND;
		h->faults = (uint8_t)((fl >> HF_FAULTS_SHIFT) & 0x0f);
		h->peer = get_uv32(r);
		if (r->err == 0 && (h->kind > HEAD_GAP ||
		    (h->kind != HEAD_GAP && h->peer >= P->npeers) ||
		    (h->kind != HEAD_ROUTE && (fl & ~(HF_KIND | HF_SAME_T))) ||
		    ((fl & HF_SAME_PFX) && lastpfx == NULL) ||
		    ((fl & HF_SAME_T) && i == 0)))
			bad(r, MANRS_E_RANGE, off, "invalid first operation");
		if (!(fl & HF_SAME_T))
			prev = get_time_delta(r, prev);
		h->t = prev;
		if (h->kind != HEAD_ROUTE || r->err != 0)
			continue;
		h->path_id = get_uv32(r);
		if (fl & HF_SAME_PFX)
			h->prefix = *lastpfx;
		else
			get_cpfx(r, &h->prefix);
		lastpfx = &h->prefix;
		/* A clean first operation has no culprits. */
		for (k = 0; k < FAULT_COUNT; k++)
			if (h->faults & (1u << k)) {
				h->culprit[k] = get_uv32(r);
				h->accomplice[k] = get_uv32(r);
			}
	}
}

static void
read_hevents(struct rd *r, struct partial *P)
{
	size_t i, off;

	P->nhevs = get_vcount(r, 14);
	if (r->err != 0 ||
	    (P->hevs = calloc(P->nhevs + 1, sizeof(*P->hevs))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->nhevs && r->err == 0; i++) {
		struct hevent *e = &P->hevs[i];
		uint32_t f;

		off = r->off;
		e->peer = get_uv32(r);
		if (r->err == 0 && e->peer >= P->npeers)
			bad(r, MANRS_E_RANGE, off, "peer index out of range");
		e->path_id = get_uv32(r);
		get_cpfx(r, &e->prefix);
		off = r->off;
		e->k = get8(r);
		if (r->err == 0 && e->k >= FAULT_COUNT)
			bad(r, MANRS_E_RANGE, off, "invalid fault");
		off = r->off;
		e->start = get_uv32(r);
		check_time(r, e->start, off);
		e->end = get_time_delta(r, e->start);
		if (r->err == 0 && e->start > e->end)
			bad(r, MANRS_E_RANGE, off, "event ends before it "
			    "starts");
		get_fi(r, &e->f);
		e->origin = get_uv32(r);
		off = r->off;
		f = get_uv32(r);
		check_file(r, P, f, off);
		e->file = (uint16_t)f;
	}
}

static void
read_seen(struct rd *r, struct partial *P)
{
	uint64_t asn = 0, d;
	size_t i, off;

	P->nseen = get_vcount(r, 1);
	if (r->err != 0 ||
	    (P->seen = calloc(P->nseen + 1, sizeof(*P->seen))) == NULL) {
		if (r->err == 0)
			r->err = MANRS_E_NOMEM;
		return;
	}
	for (i = 0; i < P->nseen && r->err == 0; i++) {
		off = r->off;
		d = get_uv(r);
		asn += d;
		if (r->err == 0 && (d == 0 || asn > UINT32_MAX))
			bad(r, MANRS_E_RANGE, off, "ASNs seen out of order");
		P->seen[i] = (uint32_t)asn;
	}
}

static int
decode(struct rd *r, struct partial *P)
{
	uint64_t blen, sum;
	uint32_t ver;
	size_t off;

	if (r->len < 8 || memcmp(r->p, MANRS_AUDIT_PARTIAL_MAGIC, 8) != 0) {
		bad(r, MANRS_E_FORMAT, 0, "not a manrs observe partial (no "
		    "MANRSOBP magic)");
		return r->err;
	}
	r->off = 8;
	ver = get32(r);
	if (r->err == 0 && ver != MANRS_AUDIT_PARTIAL_VERSION) {
		char why[128];

		snprintf(why, sizeof(why), "unsupported version %u (this "
		    "manrs reads version %u: observe the shard again)", ver,
		    MANRS_AUDIT_PARTIAL_VERSION);
		bad(r, MANRS_E_FORMAT, 8, why);
		return r->err;
	}
	if (get32(r) != 0 && r->err == 0) {
		bad(r, MANRS_E_FORMAT, 12, "unknown flags");
		return r->err;
	}
	blen = get64(r);
	if (r->err != 0)
		return r->err;
	if (blen > r->len - HDR_LEN || r->len - HDR_LEN - blen < 8) {
		bad(r, MANRS_E_SHORT, r->len, "truncated (shorter than its "
		    "declared length)");
		return r->err;
	}
	if (r->len - HDR_LEN - blen > 8) {
		bad(r, MANRS_E_TRAILING, HDR_LEN + blen + 8, "bytes after the "
		    "end");
		return r->err;
	}
	off = HDR_LEN + (size_t)blen;
	sum = 0;
	for (ver = 0; ver < 8; ver++)
		sum |= (uint64_t)r->p[off + ver] << (8 * ver);
	if (sum != fnv1a(r->p + HDR_LEN, (size_t)blen)) {
		bad(r, MANRS_E_CORRUPT, off, "checksum mismatch");
		return r->err;
	}
	r->len = off;			/* the body only, from here */
	off = r->off;
	P->start = (int64_t)get64(r);
	P->end = (int64_t)get64(r);
	check_time(r, P->start, off);
	check_time(r, P->end, off + 8);
	if (P->start > P->end)
		bad(r, MANRS_E_RANGE, off, "period ends before it starts");
	P->bogus = get64(r);
	off = r->off;
	P->end_file = get32(r);
	P->st.routes = get64(r);
	P->st.withdrawals = get64(r);
	P->st.events = get64(r);
	P->st.skipped = get64(r);
	read_files(r, P);
	check_file(r, P, P->end_file, off);
	read_gaps(r, P);
	P->npeers = get_count(r, 4, PEER_KEY_LEN);
	P->peers = take(r, P->npeers * PEER_KEY_LEN);
	read_pairs(r, P);
	read_incidents(r, P);
	read_tracks(r, P);
	read_heads(r, P);
	read_hevents(r, P);
	read_seen(r, P);
	if (r->err == 0 && r->off != r->len)
		bad(r, MANRS_E_TRAILING, r->off, "bytes after the ASNs seen");
	return r->err;
}

/* Merging a decoded partial. */

static uint64_t
remap_peers(uint64_t bits, const uint32_t *map, size_t npeers)
{
	uint64_t out = 0;
	unsigned i;

	/* Bit i stands for peer i (exact up to 64 peers per partial). */
	for (i = 0; i < 64; i++)
		if (bits & (1ULL << i))
			out |= 1ULL << ((i < npeers ? map[i] : i) & 63);
	return out;
}

static uint16_t
remap_file(uint32_t f, size_t base)
{
	return f == 0 ? 0 : (uint16_t)(base + f);
}

static int
merge_files(struct manrs_audit *a, const struct partial *P, size_t base)
{
	size_t i;

	for (i = 0; i < P->nfiles; i++) {
		struct manrs_audit_file *f;

		if (manrs_grow((void **)&a->files, &a->capfiles, a->nfiles,
		    sizeof(*a->files)) != 0)
			return MANRS_E_NOMEM;
		f = &a->files[a->nfiles];
		*f = P->files[i].f;
		if ((f->path = malloc(P->files[i].plen + 1)) == NULL)
			return MANRS_E_NOMEM;
		memcpy(f->path, P->files[i].path, P->files[i].plen);
		f->path[P->files[i].plen] = '\0';
		a->nfiles++;
	}
	(void)base;
	return 0;
}

static int
merge_pairs(struct manrs_audit *a, const struct partial *P, size_t base,
    const uint32_t *map)
{
	uint8_t key[sizeof(struct manrs_prefix) + 4];
	struct pair *pr;
	bool fresh;
	int64_t i;
	size_t j;

	for (j = 0; j < P->npairs; j++) {
		const struct pair *y = &P->pairs[j];

		memcpy(key, &y->prefix, sizeof(y->prefix));
		memcpy(key + sizeof(y->prefix), &y->origin, 4);
		if (manrs_grow((void **)&a->pairs, &a->cappairs, a->npairs,
		    sizeof(*a->pairs)) != 0 ||
		    (i = htab_intern(&a->pair_idx, key, &fresh)) < 0)
			return MANRS_E_NOMEM;
		if (fresh) {
			pr = &a->pairs[a->npairs++];
			*pr = *y;
			pr->file = remap_file(y->file, base);
			pr->peers = remap_peers(y->peers, map, P->npeers);
			continue;
		}
		pr = &a->pairs[i];
		pr->peers |= remap_peers(y->peers, map, P->npeers);
		if (y->first < pr->first)
			pr->first = y->first;
		if (y->last > pr->last)
			pr->last = y->last;
	}
	return 0;
}

/*
 * The faults an earlier shard left open on routes this shard touched go
 * on (same culprits: the start of the earlier shard is kept) or close at
 * the first operation, peer down or gap that ends them, as in one run.
 */
struct conts {
	struct htab	  idx;		/* route key -> index */
	uint32_t	(*start)[FAULT_COUNT];	/* 0: closed */
	size_t		  cap;
};

/* Close every fault of route pos of vector tidx at t, and drop it. */
static int
drop_route(struct manrs_audit *a, uint32_t tidx, uint32_t pos, int64_t t)
{
	struct trackvec *tv = &a->tv[tidx];

	if (audit_close_all(a, tidx, pos, t) != 0)
		return MANRS_E_NOMEM;
	tv->v[pos] = tv->v[--tv->n];
	return 0;
}

static int
head_route(struct manrs_audit *a, const struct head *h, uint32_t peer,
    struct conts *c)
{
	uint8_t key[AUDIT_ROUTE_KEY_LEN];
	uint32_t cs[FAULT_COUNT], pos;
	struct fault_info fo;
	struct active *ac;
	int64_t tidx, ci;
	bool any = false, fresh;
	unsigned k;

	if ((tidx = htab_find(&a->tracked, &h->prefix)) < 0 ||
	    (ac = audit_find_active(a, (uint32_t)tidx, peer, h->path_id,
	    &pos)) == NULL)
		return 0;
	memset(cs, 0, sizeof(cs));
	for (k = 0; k < FAULT_COUNT; k++) {
		if (!(ac->faults & (1u << k)))
			continue;
		audit_get_fault(ac, k, &fo);
		if ((h->faults & (1u << k)) && fo.culprit == h->culprit[k] &&
		    fo.accomplice == h->accomplice[k]) {
			cs[k] = ac->start[k];
			ac->faults &= (uint8_t)~(1u << k);
			any = true;
			if (a->st.events > 0)
				a->st.events--;
		}
	}
	if (drop_route(a, (uint32_t)tidx, pos, h->t) != 0)
		return MANRS_E_NOMEM;
	if (!any)
		return 0;
	audit_route_key(key, peer, h->path_id, &h->prefix);
	if ((ci = htab_intern(&c->idx, key, &fresh)) < 0 ||
	    manrs_grow((void **)&c->start, &c->cap, (size_t)ci,
	    sizeof(*c->start)) != 0)
		return MANRS_E_NOMEM;
	memcpy(c->start[ci], cs, sizeof(cs));
	return 0;
}

static int
apply_heads(struct manrs_audit *a, const struct partial *P,
    const uint32_t *map, struct conts *c)
{
	size_t i, tidx;
	uint32_t j;

	for (i = 0; i < P->nheads; i++) {
		const struct head *h = &P->heads[i];

		if (h->kind == HEAD_ROUTE) {
			if (head_route(a, h, map[h->peer], c) != 0)
				return MANRS_E_NOMEM;
			continue;
		}
		for (tidx = 0; tidx < a->captv; tidx++)
			for (j = 0; j < a->tv[tidx].n;) {
				if (h->kind == HEAD_PEER_DOWN &&
				    a->tv[tidx].v[j].peer != map[h->peer]) {
					j++;
					continue;
				}
				if (drop_route(a, (uint32_t)tidx, j, h->t) != 0)
					return MANRS_E_NOMEM;
			}
	}
	return 0;
}

static const uint32_t *
cont_of(struct conts *c, uint32_t peer, uint32_t path_id,
    const struct manrs_prefix *p)
{
	uint8_t key[AUDIT_ROUTE_KEY_LEN];
	int64_t ci;

	if (c->idx.n == 0)
		return NULL;
	audit_route_key(key, peer, path_id, p);
	if ((ci = htab_find(&c->idx, key)) < 0)
		return NULL;
	return c->start[ci];
}

static int
merge_hevents(struct manrs_audit *a, const struct partial *P, size_t base,
    const uint32_t *map, struct conts *c)
{
	const uint32_t *cs;
	struct hevent e;
	size_t i;

	for (i = 0; i < P->nhevs; i++) {
		e = P->hevs[i];
		e.peer = map[e.peer];
		e.file = remap_file(e.file, base);
		cs = cont_of(c, e.peer, e.path_id, &e.prefix);
		if (audit_push_hevent(a, &e, cs != NULL && cs[e.k] != 0 ?
		    cs[e.k] : e.start) != 0)
			return MANRS_E_NOMEM;
	}
	return 0;
}

static int
merge_tracks(struct manrs_audit *a, const struct partial *P, size_t base,
    const uint32_t *map, struct conts *c)
{
	const uint32_t *cs;
	struct active *ac, y;
	uint32_t pos;
	int64_t tidx;
	size_t i, j;
	unsigned k;
	bool fresh;

	for (i = 0; i < P->ntracks; i++) {
		if ((tidx = htab_intern(&a->tracked, &P->tracks[i].prefix,
		    &fresh)) < 0)
			return MANRS_E_NOMEM;
		for (j = 0; j < P->tracks[i].n; j++) {
			y = P->tracks[i].v[j];
			y.peer = map[y.peer];
			y.file = remap_file(y.file, base);
			cs = cont_of(c, y.peer, y.path_id,
			    &P->tracks[i].prefix);
			for (k = 0; cs != NULL && k < FAULT_COUNT; k++)
				if ((y.head & (1u << k)) && cs[k] != 0)
					y.start[k] = cs[k];
			y.head = 0;
			/* Routes this shard touched were dropped above. */
			if ((ac = audit_find_active(a, (uint32_t)tidx, y.peer,
			    y.path_id, &pos)) == NULL &&
			    (ac = audit_add_active(a, (uint32_t)tidx, y.peer,
			    y.path_id, &pos)) == NULL)
				return MANRS_E_NOMEM;
			*ac = y;
		}
	}
	return 0;
}

static int
merge(struct manrs_audit *a, const struct partial *P)
{
	size_t base = a->nfiles, i;
	struct conts c;
	uint32_t *map;
	bool fresh;
	int64_t id;
	int rc;

	memset(&c, 0, sizeof(c));
	htab_init(&c.idx, AUDIT_ROUTE_KEY_LEN);
	if ((map = calloc(P->npeers + 1, sizeof(*map))) == NULL)
		return MANRS_E_NOMEM;
	if ((rc = merge_files(a, P, base)) != 0)
		goto out;
	/* The data jumps between shards as it would within one stream. */
	if (a->cfg.max_skew > 0 && a->end > 0 && P->start > 0 &&
	    P->start > a->end + a->cfg.max_skew) {
		for (i = 0; i < P->nfiles; i++)
			if (P->files[i].f.first == P->start)
				break;
		a->cur_file = (uint16_t)(base + (i < P->nfiles ? i + 1 : 1));
		if ((rc = audit_close_gap(a, P->start)) != 0)
			goto out;
	}
	if (P->start > 0 && (a->start == 0 || P->start < a->start))
		a->start = P->start;
	if (P->end > a->end) {
		a->end = P->end;
		a->end_file = remap_file(P->end_file, base);
	}
	a->bogus_time += P->bogus;
	a->st.routes += P->st.routes;
	a->st.withdrawals += P->st.withdrawals;
	a->st.events += P->st.events;
	a->st.skipped += P->st.skipped;
	for (i = 0; i < P->ngaps; i++) {
		struct manrs_audit_gap *g;

		if (manrs_grow((void **)&a->gaps, &a->capgaps, a->ngaps,
		    sizeof(*a->gaps)) != 0) {
			rc = MANRS_E_NOMEM;
			goto out;
		}
		g = &a->gaps[a->ngaps++];
		*g = P->gaps[i];
		g->before = P->gapf[2 * i] == 0 ? NULL :
		    a->files[base + P->gapf[2 * i] - 1].path;
		g->after = P->gapf[2 * i + 1] == 0 ? NULL :
		    a->files[base + P->gapf[2 * i + 1] - 1].path;
	}
	for (i = 0; i < P->npeers; i++) {
		if ((id = htab_intern(&a->peers, P->peers + i * PEER_KEY_LEN,
		    &fresh)) < 0) {
			rc = MANRS_E_NOMEM;
			goto out;
		}
		if (fresh)
			a->st.peers++;
		map[i] = (uint32_t)id;
	}
	audit_see_path(a, P->seen, P->nseen);
	if ((rc = a->err) != 0)
		goto out;
	if ((rc = merge_pairs(a, P, base, map)) != 0)
		goto out;
	if ((rc = apply_heads(a, P, map, &c)) != 0 ||
	    (rc = merge_hevents(a, P, base, map, &c)) != 0)
		goto out;
	for (i = 0; i < P->nlists; i++) {
		size_t j;

		for (j = 0; j < P->lists[i].n; j++) {
			struct incident y = P->lists[i].v[j];

			y.file = remap_file(y.file, base);
			y.peers = remap_peers(y.peers, map, P->npeers);
			if ((rc = audit_merge_incident(a, P->lists[i].key,
			    &y)) != 0)
				goto out;
		}
	}
	rc = merge_tracks(a, P, base, map, &c);
out:
	htab_clear(&c.idx);
	free(c.start);
	a->cur_file = (uint16_t)a->nfiles;
	a->lp_valid = false;
	a->lpair_idx = -1;
	a->pc.valid = false;
	free(map);
	if (rc != 0)
		a->err = rc;
	return rc;
}

int
manrs_audit_partial_merge(struct manrs_audit *a, const uint8_t *p,
    size_t len, const char *name, struct manrs_diag_sink *sink)
{
	struct partial P;
	struct rd r;
	int rc;

	if (a->finished || a->closed)
		return MANRS_E_INVAL;
	memset(&P, 0, sizeof(P));
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.len = len;
	r.name = name;
	r.sink = sink;
	if ((rc = decode(&r, &P)) == 0) {
		if (a->nfiles + P.nfiles > AUDIT_FILES_MAX) {
			bad(&r, MANRS_E_LIMIT, 0, "more than 65535 MRT files "
			    "in all");
			rc = r.err;
		} else
			rc = merge(a, &P);
	}
	partial_free(&P);
	return rc;
}
