/*
 * trie_aggregate.c - prefix-list aggregation with two semantics (see
 * manrs/aggregate.h).
 *
 * 1. The rules of aggregate(1) (Joe Abley, Debian package "aggregate"):
 *    the supplied prefixes are sorted by address, then length (equal
 *    prefixes: the later one first); a prefix no longer than max-opt that
 *    an earlier entry covers is removed; then, until nothing changes, the
 *    leftmost pair of consecutive remaining entries that are siblings of
 *    equal length (no longer than max-opt) is replaced by their parent,
 *    inserted in front of the pair.  aggregate restarts its scan from the
 *    head after each merge; a stack gives the same merges in the same
 *    order in linear time (rewrites never overlap, and the stack always
 *    holds the irreducible part left of the scan).  Its list surgery is
 *    reproduced too, because "aggregate -v" prints the list removed
 *    entries included: the merged parent is linked after the previous
 *    remaining entry, which unlinks the removed entries in between.
 *
 * 2. bgpq4 -A: the fold of sx_radix_node_aggregate() (bgpq4 1.9,
 *    sx_prefix.c), post-order over the radix tree, with its "son" chains
 *    (a second and third range hanging on one prefix), and the printers'
 *    pre-order walk (node, its son chain, 0 subtree, 1 subtree).  Our
 *    trie has exactly bgpq4's shape for a set (glue only at branches), so
 *    the fold runs on a mirror of the trie's nodes.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/aggregate.h>

#include "trie_int.h"

#define NIL	UINT32_MAX

struct agg_node {
	struct manrs_prefix	p;
	uint64_t		line;
	uint32_t		seq;	/* order of addition */
	uint32_t		next;
	uint8_t			origin;
};

struct manrs_aggregate {
	struct agg_node	*n;
	size_t		 len;
	size_t		 cap;
	uint32_t	 head[2];	/* IPv4, IPv6 */
	bool		 ran;
};

struct manrs_aggregate *
manrs_aggregate_new(int *err)
{
	struct manrs_aggregate *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		if (err != NULL)
			*err = MANRS_E_NOMEM;
		return NULL;
	}
	a->head[0] = a->head[1] = NIL;
	return a;
}

void
manrs_aggregate_free(struct manrs_aggregate *a)
{
	if (a == NULL)
		return;
	free(a->n);
	free(a);
}

static int
reserve(struct manrs_aggregate *a, size_t want)
{
	struct agg_node *nn;
	size_t ncap;

	if (want <= a->cap)
		return 0;
	ncap = a->cap < 256 ? 256 : a->cap;
	while (ncap < want)
		ncap += ncap / 2;
	if ((nn = reallocarray(a->n, ncap, sizeof(*nn))) == NULL)
		return MANRS_E_NOMEM;
	a->n = nn;
	a->cap = ncap;
	return 0;
}

int
manrs_aggregate_add(struct manrs_aggregate *a, const struct manrs_prefix *p,
    uint64_t line)
{
	struct agg_node *n;

	if (a->ran || p == NULL || (p->af != MANRS_AF_INET &&
	    p->af != MANRS_AF_INET6) || p->len > manrs_af_bits(p->af))
		return MANRS_E_INVAL;
	if (manrs_prefix_has_hostbits(p))
		return MANRS_E_HOSTBITS;
	if (a->len >= MANRS_AGGREGATE_ITEMS_MAX)
		return MANRS_E_LIMIT;
	if (reserve(a, a->len + 1) != 0)
		return MANRS_E_NOMEM;
	n = &a->n[a->len];
	memset(n, 0, sizeof(*n));
	n->p = *p;
	n->line = line;
	n->seq = (uint32_t)a->len++;
	n->origin = MANRS_AGGREGATE_SUPPLIED;
	n->next = NIL;
	return 0;
}

/* Address, then length; equal prefixes: the later addition first. */
static int
agg_cmp(const void *x, const void *y)
{
	const struct agg_node *a = x, *b = y;
	int c = manrs_prefix_cmp(&a->p, &b->p);

	if (c != 0)
		return c;
	return a->seq < b->seq ? 1 : (a->seq > b->seq ? -1 : 0);
}

/* The sibling of p at its own length (p->len >= 1). */
static struct manrs_prefix
sibling(const struct manrs_prefix *p)
{
	struct manrs_prefix s = *p;
	unsigned b = p->len - 1u;

	s.addr[b >> 3] ^= (uint8_t)(0x80 >> (b & 7));
	return s;
}

/* p is the lower half and q the upper half of one parent. */
static bool
mergeable(const struct manrs_prefix *p, const struct manrs_prefix *q,
    unsigned max_opt)
{
	struct manrs_prefix s;

	if (p->len != q->len || p->len == 0 || p->len > max_opt ||
	    manrs_prefix_bit(p, p->len - 1u) != 0)
		return false;
	s = sibling(p);
	return manrs_prefix_eq(&s, q);
}

/* Remove every entry (no longer than max_opt) an earlier entry covers. */
static void
remove_covered(struct agg_node *n, size_t lo, size_t hi, unsigned max_opt,
    uint32_t *stack)
{
	size_t i, sp = 0;

	for (i = lo; i < hi; i++) {
		while (sp > 0 && !manrs_prefix_covers(&n[stack[sp - 1]].p,
		    &n[i].p))
			sp--;
		if (sp > 0 && n[i].p.len <= max_opt)
			n[i].origin = MANRS_AGGREGATE_REMOVED;
		stack[sp++] = (uint32_t)i;
	}
}

/*
 * Merge siblings over the list n[lo..hi) (already linked in order);
 * new parents are appended at a->len.  Returns the list head.
 */
static uint32_t
merge_siblings(struct manrs_aggregate *a, size_t lo, size_t hi,
    unsigned max_opt, uint32_t *stack)
{
	struct agg_node *n = a->n, *s;
	uint32_t head = (uint32_t)lo, cur, p;
	size_t i, sp = 0;

	for (i = lo; i < hi; i++) {
		if (n[i].origin == MANRS_AGGREGATE_REMOVED)
			continue;
		cur = (uint32_t)i;
		while (sp > 0 && mergeable(&n[stack[sp - 1]].p, &n[cur].p,
		    max_opt)) {
			p = stack[--sp];
			s = &n[a->len];
			memset(s, 0, sizeof(*s));
			s->p = n[p].p;
			s->p.len--;
			s->origin = MANRS_AGGREGATE_ADDED;
			s->seq = (uint32_t)a->len;
			s->next = p;
			if (sp > 0)
				n[stack[sp - 1]].next = (uint32_t)a->len;
			else
				head = (uint32_t)a->len;
			n[p].origin = n[cur].origin = MANRS_AGGREGATE_REMOVED;
			cur = (uint32_t)a->len++;
		}
		stack[sp++] = cur;
	}
	return head;
}

int
manrs_aggregate_run(struct manrs_aggregate *a, unsigned max_opt4,
    unsigned max_opt6)
{
	uint32_t *stack;
	size_t n4, i, total = a->len;

	if (a->ran)
		return MANRS_E_INVAL;
	/* Each merge adds one entry; at most total - 1 merges. */
	if (reserve(a, total * 2 + 1) != 0 ||
	    (stack = reallocarray(NULL, total + 1, sizeof(*stack))) == NULL)
		return MANRS_E_NOMEM;
	a->ran = true;
	qsort(a->n, total, sizeof(*a->n), agg_cmp);
	for (n4 = 0; n4 < total && a->n[n4].p.af == MANRS_AF_INET; n4++)
		continue;
	for (i = 0; i + 1 < total; i++)
		a->n[i].next = (i + 1 == n4) ? NIL : (uint32_t)(i + 1);
	if (total > 0)
		a->n[total - 1].next = NIL;
	remove_covered(a->n, 0, n4, max_opt4, stack);
	remove_covered(a->n, n4, total, max_opt6, stack);
	if (n4 > 0)
		a->head[0] = merge_siblings(a, 0, n4, max_opt4, stack);
	if (total > n4)
		a->head[1] = merge_siblings(a, n4, total, max_opt6, stack);
	free(stack);
	return 0;
}

int
manrs_aggregate_walk(const struct manrs_aggregate *a, bool all,
    manrs_aggregate_cb cb, void *arg)
{
	struct manrs_aggregate_item it;
	uint32_t i;
	int f, rc;

	for (f = 0; f < 2; f++)
		for (i = a->head[f]; i != NIL; i = a->n[i].next) {
			if (!all && a->n[i].origin == MANRS_AGGREGATE_REMOVED)
				continue;
			it.prefix = a->n[i].p;
			it.line = a->n[i].line;
			it.origin = (enum manrs_aggregate_origin)a->n[i].origin;
			if ((rc = cb(&it, arg)) != 0)
				return rc;
		}
	return 0;
}

/* --- bgpq4 -A --- */

/*
 * One annotated entry: a trie node (index < nt, same index) or a "son"
 * (an extra range on its owner's prefix, index >= nt).
 */
struct rnode {
	uint32_t	child[2];	/* trie nodes only */
	uint32_t	son;		/* 0: none */
	uint32_t	owner;		/* trie node of the prefix */
	uint8_t		len;
	uint8_t		glue;
	uint8_t		aggr;
	uint8_t		lo;
	uint8_t		hi;
};

struct rtree {
	struct rnode	*n;
	size_t		 used;
	size_t		 cap;
	uint8_t		 af;
	const struct manrs_trie *t;
};

/* A son of owner o with range [lo, hi]; 0 when out of memory. */
static uint32_t
new_son(struct rtree *rt, uint32_t o, uint8_t lo, uint8_t hi)
{
	struct rnode *nn;
	size_t ncap;

	if (rt->used == rt->cap) {
		ncap = rt->cap + rt->cap / 2 + 16;
		if ((nn = reallocarray(rt->n, ncap, sizeof(*nn))) == NULL)
			return 0;
		rt->n = nn;
		rt->cap = ncap;
	}
	nn = &rt->n[rt->used];
	memset(nn, 0, sizeof(*nn));
	nn->owner = rt->n[o].owner;
	nn->len = rt->n[o].len;
	nn->aggr = 1;
	nn->lo = lo;
	nn->hi = hi;
	return (uint32_t)rt->used++;
}

#define R(i)	(&rt->n[(i)])

/* Both children plain prefixes of equal length. */
static int
fold_plain(struct rtree *rt, uint32_t i, uint32_t l, uint32_t r)
{
	struct rnode *rs, *ls;
	uint32_t s;

	if (R(r)->len == R(i)->len + 1) {
		R(i)->aggr = 1;
		R(r)->glue = R(l)->glue = 1;
		R(i)->hi = R(r)->len;
		R(i)->lo = R(i)->glue ? R(r)->len : R(i)->len;
		R(i)->glue = 0;
	}
	if (R(r)->son == 0 || R(l)->son == 0)
		return 0;
	rs = R(R(r)->son);
	ls = R(R(l)->son);
	if (!rs->aggr || !ls->aggr || rs->hi != ls->hi || rs->lo != ls->lo ||
	    R(r)->len != R(i)->len + 1 || R(l)->len != R(i)->len + 1)
		return 0;
	if ((s = new_son(rt, i, rs->lo, rs->hi)) == 0)
		return MANRS_E_NOMEM;
	R(i)->son = s;
	R(R(r)->son)->glue = R(R(l)->son)->glue = 1;
	return 0;
}

/* Both children aggregates with one range. */
static int
fold_ranges(struct rtree *rt, uint32_t i, uint32_t l, uint32_t r)
{
	uint32_t s, ss;

	if (R(i)->glue) {
		R(r)->glue = R(l)->glue = 1;
		R(i)->aggr = 1;
		R(i)->glue = 0;
		R(i)->hi = R(r)->hi;
		R(i)->lo = R(r)->lo;
	} else if (R(r)->len == R(r)->lo) {
		R(r)->glue = R(l)->glue = 1;
		R(i)->aggr = 1;
		R(i)->hi = R(r)->hi;
		R(i)->lo = R(i)->len;
	} else {
		if ((s = new_son(rt, i, R(r)->lo, R(r)->hi)) == 0)
			return MANRS_E_NOMEM;
		R(i)->son = s;
		R(r)->glue = R(l)->glue = 1;
		if (R(r)->son != 0 && R(l)->son != 0 &&
		    R(R(r)->son)->hi == R(R(l)->son)->hi &&
		    R(R(r)->son)->lo == R(R(l)->son)->lo) {
			ss = new_son(rt, i, R(R(r)->son)->lo,
			    R(R(r)->son)->hi);
			if (ss == 0)
				return MANRS_E_NOMEM;
			R(R(i)->son)->son = ss;
			R(R(r)->son)->glue = R(R(l)->son)->glue = 1;
		}
	}
	return 0;
}

/* One child's aggregate (a) matches the other child's son (b's son). */
static int
fold_mixed(struct rtree *rt, uint32_t i, uint32_t a, uint32_t b)
{
	uint32_t s;

	if (R(i)->glue) {
		R(a)->glue = 1;
		R(R(b)->son)->glue = 1;
		R(i)->aggr = 1;
		R(i)->glue = 0;
		R(i)->hi = R(a)->hi;
		R(i)->lo = R(a)->lo;
		return 0;
	}
	if ((s = new_son(rt, i, R(a)->lo, R(a)->hi)) == 0)
		return MANRS_E_NOMEM;
	R(i)->son = s;
	R(a)->glue = 1;
	R(R(b)->son)->glue = 1;
	return 0;
}

static bool
same_range(const struct rnode *x, const struct rnode *y)
{
	return x->hi == y->hi && x->lo == y->lo;
}

/* Post-order fold, as sx_radix_node_aggregate(). */
static int
fold(struct rtree *rt, uint32_t i)
{
	uint32_t l = R(i)->child[0], r = R(i)->child[1];
	bool halves;
	int rc;

	if (l != 0 && (rc = fold(rt, l)) != 0)
		return rc;
	if (r != 0 && (rc = fold(rt, r)) != 0)
		return rc;
	if (l == 0 || r == 0)
		return 0;
	halves = R(r)->len == R(i)->len + 1 && R(l)->len == R(i)->len + 1;
	if (!R(r)->aggr && !R(l)->aggr && !R(r)->glue && !R(l)->glue &&
	    R(r)->len == R(l)->len)
		return fold_plain(rt, i, l, r);
	if (R(r)->aggr && R(l)->aggr && same_range(R(r), R(l)))
		return halves ? fold_ranges(rt, i, l, r) : 0;
	if (R(l)->son != 0 && R(r)->aggr && R(R(l)->son)->aggr &&
	    same_range(R(r), R(R(l)->son)))
		return halves ? fold_mixed(rt, i, r, l) : 0;
	if (R(r)->son != 0 && R(l)->aggr && R(R(r)->son)->aggr &&
	    same_range(R(l), R(R(r)->son)))
		return halves ? fold_mixed(rt, i, l, r) : 0;
	return 0;
}

static void
owner_prefix(const struct rtree *rt, uint32_t owner, struct manrs_prefix *p)
{
	if (rt->af == MANRS_AF_INET)
		manrs_trie_prefix4(rt->t->v4.nodes[owner].key,
		    rt->t->v4.nodes[owner].len, p);
	else
		manrs_trie_prefix6(rt->t->v6.nodes[owner].key,
		    rt->t->v6.nodes[owner].len, p);
}

/* An entry and its son chain, as bgpq4's printers do. */
static int
emit(const struct rtree *rt, uint32_t i, manrs_range_cb cb, void *arg)
{
	struct manrs_prefix_range pr;
	const struct rnode *n;
	int rc;

	for (; i != 0; i = n->son) {
		n = &rt->n[i];
		if (n->glue)
			continue;
		memset(&pr, 0, sizeof(pr));
		owner_prefix(rt, n->owner, &pr.prefix);
		if (!n->aggr) {
			pr.min = pr.max = n->len;
		} else {
			pr.min = n->lo > n->len ? n->lo : n->len;
			pr.max = n->hi;
		}
		if ((rc = cb(&pr, arg)) != 0)
			return rc;
	}
	return 0;
}

static int
print_walk(const struct rtree *rt, uint32_t i, manrs_range_cb cb, void *arg)
{
	int rc;

	if (i == 0)
		return 0;
	if ((rc = emit(rt, i, cb, arg)) != 0 ||
	    (rc = print_walk(rt, rt->n[i].child[0], cb, arg)) != 0)
		return rc;
	return print_walk(rt, rt->n[i].child[1], cb, arg);
}

/* Mirror the family's trie nodes (same indexes) into rt. */
static int
mirror(struct rtree *rt, const struct manrs_trie *t, uint8_t af,
    uint32_t *root)
{
	size_t used = af == MANRS_AF_INET ? t->v4.used : t->v6.used, i;

	rt->t = t;
	rt->af = af;
	rt->cap = used + used / 2 + 16;
	if ((rt->n = calloc(rt->cap, sizeof(*rt->n))) == NULL)
		return MANRS_E_NOMEM;
	rt->used = used > 0 ? used : 1;
	for (i = 1; i < used; i++) {
		struct rnode *n = &rt->n[i];

		if (af == MANRS_AF_INET) {
			n->child[0] = t->v4.nodes[i].child[0];
			n->child[1] = t->v4.nodes[i].child[1];
			n->len = t->v4.nodes[i].len;
			n->glue = !(t->v4.nodes[i].flags & TRIE_F_STORED);
		} else {
			n->child[0] = t->v6.nodes[i].child[0];
			n->child[1] = t->v6.nodes[i].child[1];
			n->len = t->v6.nodes[i].len;
			n->glue = !(t->v6.nodes[i].flags & TRIE_F_STORED);
		}
		n->owner = (uint32_t)i;
	}
	*root = af == MANRS_AF_INET ? t->v4.root : t->v6.root;
	return 0;
}

/* Mark every node of the subtree at i no longer than len as glue. */
static void
glue_upto(struct rtree *rt, uint32_t i, unsigned len)
{
	for (; i != 0; i = R(i)->child[1]) {
		if (R(i)->len <= len)
			R(i)->glue = 1;
		glue_upto(rt, R(i)->child[0], len);
	}
}

/* bgpq4's sx_radix_node_refine (-R). */
static void
refine(struct rtree *rt, uint32_t i, unsigned len)
{
	unsigned b;

	if (i == 0 || (!R(i)->glue && R(i)->len > len))
		return;		/* longer: passed as is */
	if (!R(i)->glue && R(i)->len < len) {
		R(i)->aggr = 1;
		R(i)->lo = R(i)->len;
		R(i)->hi = (uint8_t)len;
		for (b = 0; b < 2; b++)
			glue_upto(rt, R(i)->child[b], len);
	}
	for (b = 0; b < 2; b++)
		refine(rt, R(i)->child[b], len);
}

/* bgpq4's sx_radix_node_refineLow (-r). */
static void
refine_low(struct rtree *rt, uint32_t i, unsigned len)
{
	unsigned b;

	if (i == 0 || (!R(i)->glue && R(i)->len > len))
		return;
	if (!R(i)->glue) {
		if (!R(i)->aggr) {
			R(i)->aggr = 1;
			R(i)->hi = (uint8_t)manrs_af_bits(rt->af);
		}
		R(i)->lo = (uint8_t)len;
		for (b = 0; b < 2; b++)
			glue_upto(rt, R(i)->child[b], len);
	}
	for (b = 0; b < 2; b++)
		refine_low(rt, R(i)->child[b], len);
}

int
manrs_trie_walk_ranges(const struct manrs_trie *t, uint8_t af,
    const struct manrs_range_opts *o, manrs_range_cb cb, void *arg)
{
	struct rtree rt;
	unsigned ref, low;
	uint32_t root;
	int rc = 0;

	if ((af != MANRS_AF_INET && af != MANRS_AF_INET6) || o == NULL)
		return MANRS_E_INVAL;
	/* As bgpq4: -r without -R refines to the full width first. */
	ref = o->refine;
	low = o->refine_low;
	if (low != 0 && ref == 0)
		ref = manrs_af_bits(af);
	if (ref > manrs_af_bits(af) || low > ref)
		return MANRS_E_INVAL;
	memset(&rt, 0, sizeof(rt));
	if ((rc = mirror(&rt, t, af, &root)) != 0)
		return rc;
	if (root != 0) {
		if (ref != 0)
			refine(&rt, root, ref);
		if (low != 0)
			refine_low(&rt, root, low);
		if (o->aggregate)
			rc = fold(&rt, root);
		if (rc == 0)
			rc = print_walk(&rt, root, cb, arg);
	}
	free(rt.n);
	return rc;
}

int
manrs_trie_walk_aggregated(const struct manrs_trie *t, uint8_t af,
    manrs_range_cb cb, void *arg)
{
	struct manrs_range_opts o = { true, 0, 0 };

	return manrs_trie_walk_ranges(t, af, &o, cb, arg);
}
