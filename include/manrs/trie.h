/*
 * manrs/trie.h - path-compressed binary radix trie of prefixes.
 *
 * One trie holds both address families (two roots).  Each stored prefix
 * carries a 32-bit value chosen by the caller (an index into the caller's
 * own array, typically).  Nodes live in arrays addressed by 32-bit
 * indexes, so the trie is compact and cheap to free.
 *
 * Not thread-safe for writers; any number of concurrent readers is safe
 * when no writer runs (snapshots are built, then only read).
 */
#ifndef MANRS_TRIE_H
#define MANRS_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>

#ifdef __cplusplus
extern "C" {
#endif

struct manrs_trie;

/* Most nodes per family (indexes are 32-bit; 0 is reserved). */
#define MANRS_TRIE_NODES_MAX	(UINT32_MAX / 2)

/* NULL when out of memory. */
MANRS_API struct manrs_trie *manrs_trie_new(int *err);
MANRS_API void	manrs_trie_free(struct manrs_trie *t);

/*
 * Insert p with value.  Returns 0 when p was not present; when it was,
 * its value is replaced, *old (if old is not NULL) gets the previous
 * value and the return is MANRS_E_EXIST.  MANRS_E_NOMEM (the trie is
 * unchanged), MANRS_E_INVAL (bad family/len).  Host bits in p are
 * ignored.  At most MANRS_TRIE_NODES_MAX nodes per family (2 per prefix
 * at worst).
 */
MANRS_API
int	manrs_trie_add(struct manrs_trie *t, const struct manrs_prefix *p,
	    uint32_t value, uint32_t *old);
/* Remove p; 0, or MANRS_E_NOTFOUND.  *old gets the removed value. */
MANRS_API
int	manrs_trie_del(struct manrs_trie *t, const struct manrs_prefix *p,
	    uint32_t *old);
/* Exact match. */
MANRS_API bool	manrs_trie_find(const struct manrs_trie *t,
	    const struct manrs_prefix *p, uint32_t *value);
/*
 * Longest match: the most specific stored prefix covering p (p itself
 * included).  *match (may be NULL) gets it.
 */
MANRS_API bool	manrs_trie_longest(const struct manrs_trie *t,
	    const struct manrs_prefix *p, struct manrs_prefix *match,
	    uint32_t *value);

/*
 * Walk callback: return 0 to continue, non-zero to stop the walk (the
 * walk then returns that value).  p is valid during the call only.  The
 * callback must not add to or delete from the trie being walked.
 */
typedef int (*manrs_trie_cb)(const struct manrs_prefix *p, uint32_t value,
	    void *arg);

/* Every stored prefix covering p (p included), least specific first. */
MANRS_API int	manrs_trie_walk_covering(const struct manrs_trie *t,
	    const struct manrs_prefix *p, manrs_trie_cb cb, void *arg);
/* Every stored prefix covered by p (p included), in address order. */
MANRS_API int	manrs_trie_walk_covered(const struct manrs_trie *t,
	    const struct manrs_prefix *p, manrs_trie_cb cb, void *arg);
/*
 * Every stored prefix of family af (0 = both, IPv4 first) in order:
 * address, then shorter before longer.
 */
MANRS_API int	manrs_trie_walk(const struct manrs_trie *t, uint8_t af,
	    manrs_trie_cb cb, void *arg);

/* Stored prefixes (af 0 = both). */
MANRS_API
size_t	manrs_trie_count(const struct manrs_trie *t, uint8_t af);
/* Bytes of memory held by the trie. */
MANRS_API size_t	manrs_trie_memory(const struct manrs_trie *t);
/*
 * Prepare the trie for reading after a bulk load: renumber the nodes in
 * walk order into exactly sized arrays (no growth slack, no free slots,
 * better cache locality) and, for each family holding at least 4096
 * prefixes, build a 64 Ki-entry index of the top 16 bits (512 KiB) that
 * shortens longest-match lookups.  The next add or delete in a family
 * drops its index (until the next compact).  Never fails: when memory
 * is short, it does less.
 */
MANRS_API void	manrs_trie_compact(struct manrs_trie *t);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_TRIE_H */
