/*
 * trie_af.h - the per-family trie engine, written once and included by
 * trie.c twice: once for IPv4 (uint32_t keys) and once for IPv6
 * (128-bit keys).  The includer defines:
 *
 *   TRIE_AF	 the family's struct (struct trie4 / struct trie6)
 *   TRIE_NODE	 its node struct
 *   TRIE_KEY	 the key type
 *   TRIE_BITS	 key width in bits
 *   TRIE_FN(x)	 x with the family suffix (x##4 / x##6)
 *   TRIE_CLZ(x) leading zero bits of a non-zero key
 *   TRIE_PREFIX(key, len, p)  key back to a struct manrs_prefix
 *
 * Invariants (see trie_int.h): keys are masked to their length; every
 * glue node has two children; a child is longer than its parent and
 * agrees with it on the parent's bits.  No function here allocates
 * memory that outlives a failed call.
 */

static inline TRIE_KEY
TRIE_FN(mask)(unsigned len)
{
	return len == 0 ? 0 : (TRIE_KEY)(~(TRIE_KEY)0 << (TRIE_BITS - len));
}

/* Bit i (0 = most significant) of key; i < TRIE_BITS. */
static inline unsigned
TRIE_FN(bit)(TRIE_KEY key, unsigned i)
{
	return (unsigned)(key >> (TRIE_BITS - 1 - i)) & 1;
}

/* True when the first len bits of a and b agree. */
static inline bool
TRIE_FN(agree)(TRIE_KEY a, TRIE_KEY b, unsigned len)
{
	return len == 0 || ((a ^ b) >> (TRIE_BITS - len)) == 0;
}

/* Number of leading bits a and b share (TRIE_BITS when equal). */
static inline unsigned
TRIE_FN(common)(TRIE_KEY a, TRIE_KEY b)
{
	TRIE_KEY x = a ^ b;

	return x == 0 ? TRIE_BITS : (unsigned)TRIE_CLZ(x);
}

/* A fresh node index, or 0 when out of memory or past the node cap. */
static uint32_t
TRIE_FN(alloc)(TRIE_AF *a)
{
	TRIE_NODE *nn;
	uint32_t i, ncap;

	if ((i = a->freelist) != 0) {
		a->freelist = a->nodes[i].child[0];
		return i;
	}
	if (a->used == a->cap) {
		if (a->cap >= MANRS_TRIE_NODES_MAX)
			return 0;
		ncap = a->cap < 64 ? 64 : a->cap + a->cap / 2;
		if (ncap > MANRS_TRIE_NODES_MAX)
			ncap = MANRS_TRIE_NODES_MAX;
		nn = reallocarray(a->nodes, ncap, sizeof(*nn));
		if (nn == NULL)
			return 0;
		a->nodes = nn;
		a->cap = ncap;
		if (a->used == 0)
			a->used = 1;	/* index 0 is the sentinel */
	}
	return a->used++;
}

static void
TRIE_FN(release)(TRIE_AF *a, uint32_t i)
{
	a->nodes[i].flags = 0;
	a->nodes[i].child[0] = a->freelist;
	a->freelist = i;
}

static void
TRIE_FN(init_node)(TRIE_AF *a, uint32_t i, TRIE_KEY key, unsigned len,
    uint8_t flags, uint32_t value)
{
	TRIE_NODE *n = &a->nodes[i];

	n->key = key;
	n->len = (uint8_t)len;
	n->flags = flags;
	n->value = value;
	n->child[0] = n->child[1] = 0;
}

/* Make idx the child "side" of parent (parent 0: the root). */
static inline void
TRIE_FN(link)(TRIE_AF *a, uint32_t parent, unsigned side, uint32_t idx)
{
	if (parent == 0)
		a->root = idx;
	else
		a->nodes[parent].child[side] = idx;
}

/*
 * Split at cur, which disagrees with key within its own length: the new
 * prefix becomes cur's parent, or a glue node becomes the parent of both.
 */
static int
TRIE_FN(split)(TRIE_AF *a, uint32_t parent, unsigned side, uint32_t cur,
    TRIE_KEY key, unsigned len, unsigned cl, uint32_t value)
{
	TRIE_KEY ckey = a->nodes[cur].key;
	uint32_t leaf, glue;

	if ((leaf = TRIE_FN(alloc)(a)) == 0)
		return MANRS_E_NOMEM;
	TRIE_FN(init_node)(a, leaf, key, len, TRIE_F_STORED, value);
	if (cl == len) {
		a->nodes[leaf].child[TRIE_FN(bit)(ckey, len)] = cur;
		TRIE_FN(link)(a, parent, side, leaf);
		return 0;
	}
	if ((glue = TRIE_FN(alloc)(a)) == 0) {
		TRIE_FN(release)(a, leaf);
		return MANRS_E_NOMEM;
	}
	TRIE_FN(init_node)(a, glue, key & TRIE_FN(mask)(cl), cl, 0, 0);
	a->nodes[glue].child[TRIE_FN(bit)(key, cl)] = leaf;
	a->nodes[glue].child[TRIE_FN(bit)(ckey, cl)] = cur;
	TRIE_FN(link)(a, parent, side, glue);
	return 0;
}

static int
TRIE_FN(add)(TRIE_AF *a, TRIE_KEY key, unsigned len, uint32_t value,
    uint32_t *old)
{
	uint32_t cur = a->root, parent = 0, leaf;
	unsigned side = 0, cl;
	TRIE_NODE *n;
	int rc;

	a->jump_valid = false;
	key &= TRIE_FN(mask)(len);
	while (cur != 0) {
		n = &a->nodes[cur];
		cl = TRIE_FN(common)(key, n->key);
		if (cl > len)
			cl = len;
		if (cl < n->len) {
			if ((rc = TRIE_FN(split)(a, parent, side, cur, key,
			    len, cl, value)) == 0)
				a->count++;
			return rc;
		}
		if (n->len == len) {
			if (n->flags & TRIE_F_STORED) {
				if (old != NULL)
					*old = n->value;
				n->value = value;
				return MANRS_E_EXIST;
			}
			n->flags |= TRIE_F_STORED;
			n->value = value;
			a->count++;
			return 0;
		}
		parent = cur;
		side = TRIE_FN(bit)(key, n->len);
		cur = n->child[side];
	}
	if ((leaf = TRIE_FN(alloc)(a)) == 0)
		return MANRS_E_NOMEM;
	TRIE_FN(init_node)(a, leaf, key, len, TRIE_F_STORED, value);
	TRIE_FN(link)(a, parent, side, leaf);
	a->count++;
	return 0;
}

/* Index of the node holding exactly (key, len), stored or glue, or 0. */
static uint32_t
TRIE_FN(lookup)(const TRIE_AF *a, TRIE_KEY key, unsigned len,
    uint32_t *path, unsigned *depth)
{
	const TRIE_NODE *n;
	uint32_t cur = a->root;
	unsigned d = 0;

	key &= TRIE_FN(mask)(len);
	while (cur != 0) {
		n = &a->nodes[cur];
		if (n->len > len || !TRIE_FN(agree)(key, n->key, n->len))
			return 0;
		if (n->len == len)
			break;
		if (path != NULL)
			path[d++] = cur;
		cur = n->child[TRIE_FN(bit)(key, n->len)];
	}
	if (depth != NULL)
		*depth = d;
	return cur;
}

static inline unsigned
TRIE_FN(side_of)(const TRIE_AF *a, uint32_t parent, uint32_t child)
{
	return parent != 0 && a->nodes[parent].child[1] == child;
}

static int
TRIE_FN(del)(TRIE_AF *a, TRIE_KEY key, unsigned len, uint32_t *old)
{
	uint32_t path[TRIE_BITS + 1], cur, parent, gp, only, sib;
	unsigned depth = 0, side;
	TRIE_NODE *n;

	cur = TRIE_FN(lookup)(a, key, len, path, &depth);
	if (cur == 0 || !(a->nodes[cur].flags & TRIE_F_STORED))
		return MANRS_E_NOTFOUND;
	a->jump_valid = false;
	n = &a->nodes[cur];
	if (old != NULL)
		*old = n->value;
	a->count--;
	if (n->child[0] != 0 && n->child[1] != 0) {
		n->flags &= (uint8_t)~TRIE_F_STORED;	/* now glue */
		return 0;
	}
	parent = depth > 0 ? path[depth - 1] : 0;
	side = TRIE_FN(side_of)(a, parent, cur);
	only = n->child[0] != 0 ? n->child[0] : n->child[1];
	TRIE_FN(link)(a, parent, side, only);
	TRIE_FN(release)(a, cur);
	if (only != 0 || parent == 0 ||
	    (a->nodes[parent].flags & TRIE_F_STORED))
		return 0;
	/* The parent was glue with two children; now it has one. */
	sib = a->nodes[parent].child[!side];
	gp = depth > 1 ? path[depth - 2] : 0;
	TRIE_FN(link)(a, gp, TRIE_FN(side_of)(a, gp, parent), sib);
	TRIE_FN(release)(a, parent);
	return 0;
}

static uint32_t
TRIE_FN(longest)(const TRIE_AF *a, TRIE_KEY key, unsigned len)
{
	const TRIE_NODE *n;
	uint32_t cur = a->root, best = 0;

	while (cur != 0) {
		n = &a->nodes[cur];
		if (n->len > len || !TRIE_FN(agree)(key, n->key, n->len))
			break;
		if (n->flags & TRIE_F_STORED)
			best = cur;
		if (n->len == len)
			break;
		cur = n->child[TRIE_FN(bit)(key, n->len)];
	}
	return best;
}

static int
TRIE_FN(visit)(const TRIE_AF *a, uint32_t i, manrs_trie_cb cb, void *arg)
{
	const TRIE_NODE *n = &a->nodes[i];
	struct manrs_prefix p;

	TRIE_PREFIX(n->key, n->len, &p);
	return cb(&p, n->value, arg);
}

static int
TRIE_FN(walk_covering)(const TRIE_AF *a, TRIE_KEY key, unsigned len,
    manrs_trie_cb cb, void *arg)
{
	const TRIE_NODE *n;
	uint32_t cur = a->root;
	int rc;

	while (cur != 0) {
		n = &a->nodes[cur];
		if (n->len > len || !TRIE_FN(agree)(key, n->key, n->len))
			break;
		if ((n->flags & TRIE_F_STORED) &&
		    (rc = TRIE_FN(visit)(a, cur, cb, arg)) != 0)
			return rc;
		if (n->len == len)
			break;
		cur = n->child[TRIE_FN(bit)(key, n->len)];
	}
	return 0;
}

/* Pre-order: a node, then its 0 subtree, then its 1 subtree. */
static int
TRIE_FN(walk_sub)(const TRIE_AF *a, uint32_t i, manrs_trie_cb cb, void *arg)
{
	int rc;

	if (i == 0)
		return 0;
	if ((a->nodes[i].flags & TRIE_F_STORED) &&
	    (rc = TRIE_FN(visit)(a, i, cb, arg)) != 0)
		return rc;
	if ((rc = TRIE_FN(walk_sub)(a, a->nodes[i].child[0], cb, arg)) != 0)
		return rc;
	return TRIE_FN(walk_sub)(a, a->nodes[i].child[1], cb, arg);
}

static int
TRIE_FN(walk_covered)(const TRIE_AF *a, TRIE_KEY key, unsigned len,
    manrs_trie_cb cb, void *arg)
{
	const TRIE_NODE *n;
	uint32_t cur = a->root;

	key &= TRIE_FN(mask)(len);
	while (cur != 0) {
		n = &a->nodes[cur];
		if (n->len >= len) {
			if (!TRIE_FN(agree)(key, n->key, len))
				return 0;
			return TRIE_FN(walk_sub)(a, cur, cb, arg);
		}
		if (!TRIE_FN(agree)(key, n->key, n->len))
			return 0;
		cur = n->child[TRIE_FN(bit)(key, n->len)];
	}
	return 0;
}

/*
 * Check the invariants of the subtree at i, whose parent has length plen
 * and key pkey; counts stored and total nodes.  0 or MANRS_E_CORRUPT.
 */
static int
TRIE_FN(check_sub)(const TRIE_AF *a, uint32_t i, TRIE_KEY pkey, int plen,
    size_t *stored, size_t *nodes)
{
	const TRIE_NODE *n;
	unsigned b;

	if (i == 0)
		return 0;
	if (i >= a->used || *nodes > a->used)
		return MANRS_E_CORRUPT;
	n = &a->nodes[i];
	(*nodes)++;
	if (n->len > TRIE_BITS || (int)n->len <= plen ||
	    (n->key & ~TRIE_FN(mask)(n->len)) != 0 ||
	    (plen >= 0 && !TRIE_FN(agree)(n->key, pkey, (unsigned)plen)))
		return MANRS_E_CORRUPT;
	if (n->flags & TRIE_F_STORED)
		(*stored)++;
	else if (n->child[0] == 0 || n->child[1] == 0)
		return MANRS_E_CORRUPT;	/* glue must branch */
	for (b = 0; b < 2; b++) {
		if (n->child[b] != 0 && n->len < TRIE_BITS &&
		    (n->child[b] >= a->used ||
		    TRIE_FN(bit)(a->nodes[n->child[b]].key, n->len) != b))
			return MANRS_E_CORRUPT;
		if (TRIE_FN(check_sub)(a, n->child[b], n->key, n->len, stored,
		    nodes) != 0)
			return MANRS_E_CORRUPT;
	}
	return 0;
}

static int
TRIE_FN(check)(const TRIE_AF *a)
{
	size_t stored = 0, nodes = 0, nfree = 0;
	uint32_t i;

	if (TRIE_FN(check_sub)(a, a->root, 0, -1, &stored, &nodes) != 0)
		return MANRS_E_CORRUPT;
	for (i = a->freelist; i != 0 && nfree <= a->used;
	    i = a->nodes[i].child[0])
		nfree++;
	if (stored != a->count || (stored > 0 && nodes > 2 * stored - 1) ||
	    (a->used > 0 && nodes + nfree + 1 != a->used))
		return MANRS_E_CORRUPT;
	return 0;
}

/* Copy the subtree at i into dst in pre-order; returns its new index. */
static uint32_t
TRIE_FN(copy_sub)(const TRIE_AF *a, uint32_t i, TRIE_NODE *dst,
    uint32_t *next)
{
	uint32_t at;

	if (i == 0)
		return 0;
	at = (*next)++;
	dst[at] = a->nodes[i];
	dst[at].child[0] = TRIE_FN(copy_sub)(a, a->nodes[i].child[0], dst,
	    next);
	dst[at].child[1] = TRIE_FN(copy_sub)(a, a->nodes[i].child[1], dst,
	    next);
	return at;
}

/*
 * Renumber the nodes in pre-order into an exactly sized array: no free
 * slots, no growth slack, and a node's 0-child right after it, so most
 * of a lookup's steps stay within a cache line or the next.  When memory
 * is short, nothing changes.
 */
static void
TRIE_FN(relayout)(TRIE_AF *a)
{
	size_t nfree = 0, live;
	TRIE_NODE *dst;
	uint32_t i, next = 1;

	if (a->used <= 1)
		return;
	for (i = a->freelist; i != 0; i = a->nodes[i].child[0])
		nfree++;
	live = a->used - 1 - nfree;
	if ((dst = reallocarray(NULL, live + 1, sizeof(*dst))) == NULL)
		return;
	memset(&dst[0], 0, sizeof(dst[0]));
	a->root = TRIE_FN(copy_sub)(a, a->root, dst, &next);
	free(a->nodes);
	a->nodes = dst;
	a->used = a->cap = (uint32_t)(live + 1);
	a->freelist = 0;
}

/*
 * Where the search for any key whose top TRIE_JUMP_BITS bits are hi
 * continues after the shorter nodes, and the best match among those.
 */
static struct trie_jump
TRIE_FN(jump_entry)(const TRIE_AF *a, uint32_t hi)
{
	struct trie_jump j = { 0, 0 };
	const TRIE_NODE *n;
	TRIE_KEY key = (TRIE_KEY)hi << (TRIE_BITS - TRIE_JUMP_BITS);
	uint32_t cur = a->root;

	while (cur != 0) {
		n = &a->nodes[cur];
		if (n->len >= TRIE_JUMP_BITS) {
			j.start = cur;
			break;
		}
		if (!TRIE_FN(agree)(key, n->key, n->len))
			break;
		if (n->flags & TRIE_F_STORED)
			j.best = cur;
		cur = n->child[TRIE_FN(bit)(key, n->len)];
	}
	return j;
}

/* Build (or drop, for small sets) the jump index. */
static void
TRIE_FN(jump_build)(TRIE_AF *a)
{
	uint32_t hi;

	a->jump_valid = false;
	if (a->count < TRIE_JUMP_MIN) {
		free(a->jump);
		a->jump = NULL;
		return;
	}
	if (a->jump == NULL && (a->jump = calloc((size_t)1 << TRIE_JUMP_BITS,
	    sizeof(*a->jump))) == NULL)
		return;		/* lookups walk from the root */
	for (hi = 0; hi < (1u << TRIE_JUMP_BITS); hi++)
		a->jump[hi] = TRIE_FN(jump_entry)(a, hi);
	a->jump_valid = true;
}

/* longest(), entering through the jump index when it is current. */
static uint32_t
TRIE_FN(longest_fast)(const TRIE_AF *a, TRIE_KEY key, unsigned len)
{
	const struct trie_jump *j;
	const TRIE_NODE *n;
	uint32_t cur, best;

	if (!a->jump_valid || len < TRIE_JUMP_BITS)
		return TRIE_FN(longest)(a, key, len);
	j = &a->jump[(uint32_t)(key >> (TRIE_BITS - TRIE_JUMP_BITS))];
	best = j->best;
	key &= TRIE_FN(mask)(len);
	for (cur = j->start; cur != 0; cur = n->child[TRIE_FN(bit)(key,
	    n->len)]) {
		n = &a->nodes[cur];
		if (n->len > len || !TRIE_FN(agree)(key, n->key, n->len))
			break;
		if (n->flags & TRIE_F_STORED)
			best = cur;
		if (n->len == len)
			break;
	}
	return best;
}
