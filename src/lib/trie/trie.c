/*
 * trie.c - path-compressed binary radix (Patricia) trie of prefixes, one
 * per address family, with exact, longest-match, covering, covered and
 * in-order walks.
 *
 * The engine is trie_af.h, instantiated here for 32-bit IPv4 keys and
 * 128-bit IPv6 keys.  Nodes are 20 bytes (IPv4) or 32 bytes (IPv6) in one
 * growable array per family; a set of N prefixes needs at most 2N - 1
 * nodes (N stored, fewer than N glue), so memory is bounded by about
 * 40 (IPv4) or 64 (IPv6) bytes per prefix plus the array's growth slack
 * (at most a half).  manrs_trie_memory() reports what is held.
 *
 * Invariants: see trie_int.h.  Deleting a prefix turns its node into glue
 * when it has two children, and otherwise removes it together with a glue
 * parent left with a single child, so the shape never depends on history.
 */
#include <stdlib.h>
#include <string.h>

#include "trie_int.h"

static inline unsigned
clz128(trie_u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);

	return hi != 0 ? (unsigned)__builtin_clzll(hi) :
	    64 + (unsigned)__builtin_clzll((uint64_t)x);
}

#define TRIE_AF		struct trie4
#define TRIE_NODE	struct trie4_node
#define TRIE_KEY	uint32_t
#define TRIE_BITS	32
#define TRIE_FN(x)	x##4
#define TRIE_CLZ(x)	__builtin_clz(x)
#define TRIE_PREFIX(k, l, p)	manrs_trie_prefix4((k), (l), (p))
#include "trie_af.h"
#undef TRIE_AF
#undef TRIE_NODE
#undef TRIE_KEY
#undef TRIE_BITS
#undef TRIE_FN
#undef TRIE_CLZ
#undef TRIE_PREFIX

#define TRIE_AF		struct trie6
#define TRIE_NODE	struct trie6_node
#define TRIE_KEY	trie_u128
#define TRIE_BITS	128
#define TRIE_FN(x)	x##6
#define TRIE_CLZ(x)	clz128(x)
#define TRIE_PREFIX(k, l, p)	manrs_trie_prefix6((k), (l), (p))
#include "trie_af.h"

uint32_t
manrs_trie_key4(const struct manrs_prefix *p)
{
	return (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 |
	    (uint32_t)p->addr[2] << 8 | p->addr[3];
}

trie_u128
manrs_trie_key6(const struct manrs_prefix *p)
{
	trie_u128 k = 0;
	unsigned i;

	for (i = 0; i < 16; i++)
		k = k << 8 | p->addr[i];
	return k;
}

void
manrs_trie_prefix4(uint32_t key, unsigned len, struct manrs_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->af = MANRS_AF_INET;
	p->len = (uint8_t)len;
	p->addr[0] = (uint8_t)(key >> 24);
	p->addr[1] = (uint8_t)(key >> 16);
	p->addr[2] = (uint8_t)(key >> 8);
	p->addr[3] = (uint8_t)key;
}

void
manrs_trie_prefix6(trie_u128 key, unsigned len, struct manrs_prefix *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->af = MANRS_AF_INET6;
	p->len = (uint8_t)len;
	for (i = 15; i >= 0; i--) {
		p->addr[i] = (uint8_t)key;
		key >>= 8;
	}
}

static bool
valid(const struct manrs_prefix *p)
{
	return p != NULL && (p->af == MANRS_AF_INET ||
	    p->af == MANRS_AF_INET6) && p->len <= manrs_af_bits(p->af);
}

static struct manrs_trie *
trie_alloc(void)
{
	return calloc(1, sizeof(struct manrs_trie));
}

/* The constructor: *err (may be NULL) is 0 or MANRS_E_NOMEM. */
struct manrs_trie *
manrs_trie_new(int *err)
{
	struct manrs_trie *p = trie_alloc();

	if (err != NULL)
		*err = p != NULL ? 0 : MANRS_E_NOMEM;
	return p;
}

void
manrs_trie_free(struct manrs_trie *t)
{
	if (t == NULL)
		return;
	free(t->v4.nodes);
	free(t->v6.nodes);
	free(t->v4.jump);
	free(t->v6.jump);
	free(t);
}

int
manrs_trie_add(struct manrs_trie *t, const struct manrs_prefix *p,
    uint32_t value, uint32_t *old)
{
	if (!valid(p))
		return MANRS_E_INVAL;
	if (p->af == MANRS_AF_INET)
		return add4(&t->v4, manrs_trie_key4(p), p->len, value, old);
	return add6(&t->v6, manrs_trie_key6(p), p->len, value, old);
}

int
manrs_trie_del(struct manrs_trie *t, const struct manrs_prefix *p,
    uint32_t *old)
{
	if (!valid(p))
		return MANRS_E_INVAL;
	if (p->af == MANRS_AF_INET)
		return del4(&t->v4, manrs_trie_key4(p), p->len, old);
	return del6(&t->v6, manrs_trie_key6(p), p->len, old);
}

bool
manrs_trie_find(const struct manrs_trie *t, const struct manrs_prefix *p,
    uint32_t *value)
{
	uint32_t i;
	uint8_t flags;

	if (!valid(p))
		return false;
	if (p->af == MANRS_AF_INET) {
		i = lookup4(&t->v4, manrs_trie_key4(p), p->len, NULL, NULL);
		flags = i ? t->v4.nodes[i].flags : 0;
		if (value != NULL && (flags & TRIE_F_STORED))
			*value = t->v4.nodes[i].value;
	} else {
		i = lookup6(&t->v6, manrs_trie_key6(p), p->len, NULL, NULL);
		flags = i ? t->v6.nodes[i].flags : 0;
		if (value != NULL && (flags & TRIE_F_STORED))
			*value = t->v6.nodes[i].value;
	}
	return (flags & TRIE_F_STORED) != 0;
}

bool
manrs_trie_longest(const struct manrs_trie *t, const struct manrs_prefix *p,
    struct manrs_prefix *match, uint32_t *value)
{
	uint32_t i;

	if (!valid(p))
		return false;
	if (p->af == MANRS_AF_INET) {
		const struct trie4_node *n;

		if ((i = longest_fast4(&t->v4, manrs_trie_key4(p), p->len)) ==
		    0)
			return false;
		n = &t->v4.nodes[i];
		if (match != NULL)
			manrs_trie_prefix4(n->key, n->len, match);
		if (value != NULL)
			*value = n->value;
		return true;
	} else {
		const struct trie6_node *n;

		if ((i = longest_fast6(&t->v6, manrs_trie_key6(p), p->len)) ==
		    0)
			return false;
		n = &t->v6.nodes[i];
		if (match != NULL)
			manrs_trie_prefix6(n->key, n->len, match);
		if (value != NULL)
			*value = n->value;
		return true;
	}
}

int
manrs_trie_walk_covering(const struct manrs_trie *t,
    const struct manrs_prefix *p, manrs_trie_cb cb, void *arg)
{
	if (!valid(p))
		return MANRS_E_INVAL;
	if (p->af == MANRS_AF_INET)
		return walk_covering4(&t->v4, manrs_trie_key4(p), p->len, cb,
		    arg);
	return walk_covering6(&t->v6, manrs_trie_key6(p), p->len, cb, arg);
}

int
manrs_trie_walk_covered(const struct manrs_trie *t,
    const struct manrs_prefix *p, manrs_trie_cb cb, void *arg)
{
	if (!valid(p))
		return MANRS_E_INVAL;
	if (p->af == MANRS_AF_INET)
		return walk_covered4(&t->v4, manrs_trie_key4(p), p->len, cb,
		    arg);
	return walk_covered6(&t->v6, manrs_trie_key6(p), p->len, cb, arg);
}

int
manrs_trie_walk(const struct manrs_trie *t, uint8_t af, manrs_trie_cb cb,
    void *arg)
{
	int rc;

	if (af != 0 && af != MANRS_AF_INET && af != MANRS_AF_INET6)
		return MANRS_E_INVAL;
	if ((af == 0 || af == MANRS_AF_INET) &&
	    (rc = walk_sub4(&t->v4, t->v4.root, cb, arg)) != 0)
		return rc;
	if (af == 0 || af == MANRS_AF_INET6)
		return walk_sub6(&t->v6, t->v6.root, cb, arg);
	return 0;
}

size_t
manrs_trie_count(const struct manrs_trie *t, uint8_t af)
{
	switch (af) {
	case MANRS_AF_INET:
		return t->v4.count;
	case MANRS_AF_INET6:
		return t->v6.count;
	default:
		return t->v4.count + t->v6.count;
	}
}

size_t
manrs_trie_memory(const struct manrs_trie *t)
{
	return sizeof(*t) + (size_t)t->v4.cap * sizeof(struct trie4_node) +
	    (size_t)t->v6.cap * sizeof(struct trie6_node) +
	    ((t->v4.jump != NULL) + (t->v6.jump != NULL)) *
	    (sizeof(struct trie_jump) << TRIE_JUMP_BITS);
}

int
manrs_trie_check(const struct manrs_trie *t)
{
	if (check4(&t->v4) != 0 || check6(&t->v6) != 0)
		return MANRS_E_CORRUPT;
	return 0;
}

void
manrs_trie_compact(struct manrs_trie *t)
{
	relayout4(&t->v4);
	relayout6(&t->v6);
	jump_build4(&t->v4);
	jump_build6(&t->v6);
}
