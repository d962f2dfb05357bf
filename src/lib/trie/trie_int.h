/*
 * trie_int.h - private layout of struct manrs_trie, shared by trie.c and
 * trie_aggregate.c.  Never installed, never included by other modules.
 *
 * One path-compressed binary radix (Patricia) trie per address family.
 * Nodes live in one array per family and point at each other by uint32
 * index; index 0 is the null sentinel and never holds a node.  A node is
 * either a stored prefix (TRIE_F_STORED) or a glue node: glue exists only
 * where two subtrees branch, so every glue node has exactly two children
 * and the shape of the trie is a function of the stored set alone (the
 * same shape bgpq4's sx_radix_tree builds, which trie_aggregate.c uses).
 *
 * Keys are the address as an unsigned integer, most significant bit
 * first (bit 0 of a prefix is the top bit of the key), bits after len
 * always zero.  A child's key agrees with its parent's on the parent's
 * len bits, and child[b] holds the keys whose bit number len is b.
 */
#ifndef MANRS_TRIE_INT_H
#define MANRS_TRIE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <manrs/trie.h>

__extension__ typedef unsigned __int128 trie_u128;

#define TRIE_F_STORED	0x01


/*
 * Read accelerator, per family, built by manrs_trie_compact() when the
 * family holds at least TRIE_JUMP_MIN prefixes and dropped by any change:
 * for each value of the top TRIE_JUMP_BITS bits, where the search for a
 * longer key continues (start, 0 if it ends) and the best match seen
 * above it.
 */
#define TRIE_JUMP_BITS	16
#define TRIE_JUMP_MIN	4096

struct trie_jump {
	uint32_t	start;
	uint32_t	best;
};

struct trie4_node {
	uint32_t	key;
	uint32_t	child[2];
	uint32_t	value;
	uint8_t		len;
	uint8_t		flags;
};

struct trie6_node {
	trie_u128	key;
	uint32_t	child[2];
	uint32_t	value;
	uint8_t		len;
	uint8_t		flags;
};

struct trie4 {
	struct trie4_node	*nodes;
	uint32_t		 used;	/* slots used, sentinel incl. */
	uint32_t		 cap;
	uint32_t		 freelist;	/* chained through child[0] */
	uint32_t		 root;
	size_t			 count;	/* stored prefixes */
	struct trie_jump	*jump;	/* NULL: none */
	bool			 jump_valid;
};

struct trie6 {
	struct trie6_node	*nodes;
	uint32_t		 used;
	uint32_t		 cap;
	uint32_t		 freelist;
	uint32_t		 root;
	size_t			 count;
	struct trie_jump	*jump;
	bool			 jump_valid;
};

struct manrs_trie {
	struct trie4	v4;
	struct trie6	v6;
};

/* Key <-> prefix conversions (trie.c). */
uint32_t	manrs_trie_key4(const struct manrs_prefix *p);
trie_u128	manrs_trie_key6(const struct manrs_prefix *p);
void		manrs_trie_prefix4(uint32_t key, unsigned len,
		    struct manrs_prefix *p);
void		manrs_trie_prefix6(trie_u128 key, unsigned len,
		    struct manrs_prefix *p);

/*
 * Verify every invariant above, the counts and the free list (for tests
 * and fuzzers).  0 or MANRS_E_CORRUPT.
 */
int		manrs_trie_check(const struct manrs_trie *t);

#endif /* MANRS_TRIE_INT_H */
