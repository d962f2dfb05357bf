/*
 * manrs/aggregate.h - prefix-list aggregation, two semantics.
 *
 * 1. struct manrs_aggregate: the rules of Joe Abley's aggregate(1) tool
 *    (Debian package "aggregate"), for IPv4 and, with the same rules,
 *    IPv6.  A prefix covered by another supplied prefix is removed, then
 *    pairs of adjacent sibling prefixes of equal length are repeatedly
 *    replaced by their parent.  Only prefixes no longer than the
 *    family's max-opt length take part: a longer one is neither removed
 *    nor merged, and it stays between its neighbours in address order,
 *    so it keeps them from merging (as in aggregate).  The result list,
 *    removed entries included, is what "aggregate -v" prints.
 *
 * 2. manrs_trie_walk_aggregated(): bgpq4's "-A" semantics.  The stored
 *    prefixes of a trie are folded into prefix ranges (prefix, ge/le) the
 *    way bgpq4 1.9's sx_radix_tree_aggregate() does, and walked in the
 *    order bgpq4 prints them, so a filter generator renders the same
 *    list bgpq4 would.
 */
#ifndef MANRS_AGGREGATE_H
#define MANRS_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>
#include <manrs/trie.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Most prefixes one aggregation accepts (MANRS_E_LIMIT past it). */
#define MANRS_AGGREGATE_ITEMS_MAX	(1u << 27)

enum manrs_aggregate_origin {
	MANRS_AGGREGATE_SUPPLIED,	/* given, and kept */
	MANRS_AGGREGATE_REMOVED,	/* given, made redundant */
	MANRS_AGGREGATE_ADDED,		/* made by merging two siblings */
};

struct manrs_aggregate_item {
	struct manrs_prefix		prefix;
	uint64_t			line;	/* caller's; 0: ADDED */
	enum manrs_aggregate_origin	origin;
};

struct manrs_aggregate;

/* NULL with *err = MANRS_E_NOMEM. */
MANRS_API struct manrs_aggregate *manrs_aggregate_new(int *err);
MANRS_API void	manrs_aggregate_free(struct manrs_aggregate *a);
/*
 * Add a prefix (host bits must be clear: MANRS_E_HOSTBITS; a bad family
 * or length: MANRS_E_INVAL).  line is returned in the items (aggregate -v
 * prints it).  Duplicates are allowed (all but one end up REMOVED).
 * MANRS_E_LIMIT past MANRS_AGGREGATE_ITEMS_MAX, MANRS_E_NOMEM.  No add
 * after manrs_aggregate_run() (MANRS_E_INVAL).
 */
MANRS_API int	manrs_aggregate_add(struct manrs_aggregate *a,
	    const struct manrs_prefix *p, uint64_t line);
/*
 * Aggregate.  max_opt4 / max_opt6 are the longest lengths that take part
 * (aggregate -o; 32 and 128 for everything).  0 or MANRS_E_NOMEM.
 */
MANRS_API
int	manrs_aggregate_run(struct manrs_aggregate *a, unsigned max_opt4,
	    unsigned max_opt6);

typedef int (*manrs_aggregate_cb)(const struct manrs_aggregate_item *it,
	    void *arg);
/*
 * The result in aggregate's output order (IPv4 first, then IPv6): the
 * kept and added prefixes, and with all also the removed entries that
 * aggregate -v lists.  The callback returns 0 to go on, else the walk
 * stops and returns that value.
 */
MANRS_API int	manrs_aggregate_walk(const struct manrs_aggregate *a, bool all,
	    manrs_aggregate_cb cb, void *arg);

/*
 * Reading a prefix-list line as aggregate(1) does (see
 * trie_aggregate_line.c for the exact rules): "ADDR/LEN" with
 * aggregate's address forms ("10.1/16" is 10.0.0.1/16, zero padding is
 * decimal, text after whitespace before the "/" is ignored) and an
 * atoi-read length; IPv6 the same way.  Options mirror aggregate's -m,
 * -p and -t, per family.
 */
struct manrs_aggregate_line_opts {
	uint8_t	max4, max6;	/* longest accepted length (-m) */
	uint8_t	def4, def6;	/* length of every line (-p), or 0 */
	bool	truncate;	/* clear host bits, do not fail (-t) */
};

struct manrs_aggregate_line {
	struct manrs_prefix	 prefix;	/* host bits cleared */
	long			 len;	/* the length as read */
	bool			 truncated; /* host bits cleared */
	const char		*why;	/* static reason on failure */
};

/*
 * Parse one line (without its newline).  0; MANRS_E_SYNTAX (no "/LEN",
 * bad address), MANRS_E_RANGE (length outside 1..max; l->len has it) or
 * MANRS_E_HOSTBITS (l->prefix has the masked prefix), each with l->why.
 */
MANRS_API int	manrs_aggregate_parse_line(struct manrs_view line,
	    const struct manrs_aggregate_line_opts *o,
	    struct manrs_aggregate_line *l);

/*
 * bgpq4 -A: walk the prefix ranges that cover exactly the stored
 * prefixes of family af of t (MANRS_AF_INET or MANRS_AF_INET6) in
 * bgpq4's output order.  Each range is (prefix, min, max): every prefix
 * under "prefix" with a length in [min, max]; min == max == prefix.len
 * is the plain prefix.  The trie is not modified.  Returns 0, the
 * callback's non-zero value, MANRS_E_INVAL or MANRS_E_NOMEM.
 */
typedef int (*manrs_range_cb)(const struct manrs_prefix_range *r,
	    void *arg);
MANRS_API
int	manrs_trie_walk_aggregated(const struct manrs_trie *t, uint8_t af,
	    manrs_range_cb cb, void *arg);

/*
 * The general form, with bgpq4's other range options, applied in
 * bgpq4's order (refine, refine_low, then aggregate):
 *   refine (-R len): a stored prefix shorter than len also permits its
 *	more specifics up to len (stored prefixes inside it, up to len,
 *	are then not listed themselves); 0 = off.
 *   refine_low (-r len): as bgpq4, implies refine = the family's width
 *	when refine is 0, then a stored prefix no longer than len permits
 *	its more specifics from len on (not itself); 0 = off.
 *   aggregate (-A): the fold above.
 * MANRS_E_INVAL when refine exceeds the family's width or refine_low
 * exceeds refine (bgpq4: "Incompatible values for -r and -R").
 */
struct manrs_range_opts {
	bool	aggregate;
	uint8_t	refine;
	uint8_t	refine_low;
};

MANRS_API int	manrs_trie_walk_ranges(const struct manrs_trie *t, uint8_t af,
	    const struct manrs_range_opts *o, manrs_range_cb cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_AGGREGATE_H */
