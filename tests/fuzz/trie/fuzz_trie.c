/*
 * fuzz_trie.c - the radix trie driven by an operation sequence read from
 * the input, cross-checked against a brute-force list after every
 * operation, with the trie's structural invariants verified.
 *
 * Each operation is 5 bytes: op, len, and three address bytes placed at
 * the start and the end of the address (so prefixes nest and collide).
 * op & 3: 0 add, 1 delete, 2 find + longest, 3 covering/covered walks;
 * op & 4: IPv6; op & 0x80: manrs_trie_compact() afterwards (renumbers
 * every node).  Any mismatch aborts.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/trie.h>

#include "trie/trie_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MODEL_MAX	256

struct model {
	struct manrs_prefix	p[MODEL_MAX];
	uint32_t		v[MODEL_MAX];
	size_t			n;
};

struct walk {
	const struct model	*m;
	const struct manrs_prefix *q;
	int			 covering;
	size_t			 seen;
	struct manrs_prefix	 last;
};

static ptrdiff_t
model_find(const struct model *m, const struct manrs_prefix *p)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (manrs_prefix_eq(&m->p[i], p))
			return (ptrdiff_t)i;
	return -1;
}

static int
walk_cb(const struct manrs_prefix *p, uint32_t value, void *arg)
{
	struct walk *w = arg;
	ptrdiff_t i = model_find(w->m, p);

	if (i < 0 || w->m->v[i] != value)
		abort();
	if (w->covering ? !manrs_prefix_covers(p, w->q) :
	    !manrs_prefix_covers(w->q, p))
		abort();
	if (w->seen > 0 && manrs_prefix_cmp(&w->last, p) >= 0)
		abort();
	w->last = *p;
	w->seen++;
	return 0;
}

static void
check_query(const struct manrs_trie *t, const struct model *m,
    const struct manrs_prefix *q)
{
	struct manrs_prefix got;
	struct walk w;
	size_t i, ncov = 0, ncovd = 0;
	ptrdiff_t best = -1;
	uint32_t v;

	for (i = 0; i < m->n; i++) {
		if (manrs_prefix_covers(&m->p[i], q)) {
			ncov++;
			if (best < 0 || m->p[i].len > m->p[best].len)
				best = (ptrdiff_t)i;
		}
		if (manrs_prefix_covers(q, &m->p[i]))
			ncovd++;
	}
	if (manrs_trie_longest(t, q, &got, &v) != (best >= 0))
		abort();
	if (best >= 0 && (!manrs_prefix_eq(&got, &m->p[best]) ||
	    v != m->v[best]))
		abort();
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.q = q;
	w.covering = 1;
	if (manrs_trie_walk_covering(t, q, walk_cb, &w) != 0 || w.seen != ncov)
		abort();
	w.covering = 0;
	w.seen = 0;
	if (manrs_trie_walk_covered(t, q, walk_cb, &w) != 0 || w.seen != ncovd)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct manrs_trie *t;
	struct manrs_prefix p;
	uint32_t v, old, serial = 0;
	ptrdiff_t i;
	int rc;

	if ((t = manrs_trie_new(NULL)) == NULL)
		return 0;
	memset(&m, 0, sizeof(m));
	for (; size >= 5; data += 5, size -= 5) {
		memset(&p, 0, sizeof(p));
		p.af = (data[0] & 4) ? MANRS_AF_INET6 : MANRS_AF_INET;
		p.len = (uint8_t)(data[1] % (manrs_af_bits(p.af) + 1));
		p.addr[0] = data[2];
		p.addr[1] = data[3];
		p.addr[manrs_af_bits(p.af) / 8 - 1] = data[4];
		manrs_prefix_mask(&p);
		i = model_find(&m, &p);
		switch (data[0] & 3) {
		case 0:
			if (i < 0 && m.n == MODEL_MAX)
				break;
			v = ++serial;
			rc = manrs_trie_add(t, &p, v, &old);
			if (i >= 0 ? (rc != MANRS_E_EXIST || old != m.v[i]) :
			    rc != 0)
				abort();
			if (i < 0) {
				m.p[m.n] = p;
				i = (ptrdiff_t)m.n++;
			}
			m.v[i] = v;
			break;
		case 1:
			rc = manrs_trie_del(t, &p, &old);
			if (i < 0 ? rc != MANRS_E_NOTFOUND :
			    (rc != 0 || old != m.v[i]))
				abort();
			if (i >= 0) {
				m.p[i] = m.p[m.n - 1];
				m.v[i] = m.v[--m.n];
			}
			break;
		case 2:
			if (manrs_trie_find(t, &p, &v) != (i >= 0) ||
			    (i >= 0 && v != m.v[i]))
				abort();
			check_query(t, &m, &p);
			break;
		default:
			check_query(t, &m, &p);
			break;
		}
		if (data[0] & 0x80)
			manrs_trie_compact(t);
		if (manrs_trie_check(t) != 0 || manrs_trie_count(t, 0) != m.n)
			abort();
	}
	manrs_trie_free(t);
	return 0;
}
