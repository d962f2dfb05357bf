/*
 * fuzz_aggregate.c - both aggregations on prefix sets read from the
 * input, checked against properties that define them:
 *
 *  aggregate(1) rules, every length optimised: the kept entries cover
 *  exactly the addresses the input covers, are in address order, pairwise
 *  disjoint, and no two neighbours are mergeable siblings.
 *
 *  bgpq4 -A fold: expanding every range (prefix, min..max) gives back
 *  exactly the stored set, and no prefix is produced twice.
 *
 * Prefixes are IPv4 with lengths 0..10 inside 10 leading bits (two bytes
 * each: length, then address bits), so coverage is a 1024-bit map.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/aggregate.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BITS	10
#define CELLS	(1u << BITS)
#define MAXP	512

static unsigned
top_bits(const struct manrs_prefix *p)
{
	return ((unsigned)p->addr[0] << 8 | p->addr[1]) >> (16 - BITS);
}

static void
cover(uint8_t *map, const struct manrs_prefix *p, uint8_t v)
{
	unsigned first = top_bits(p), n = 1u << (BITS - p->len), i;

	for (i = 0; i < n; i++)
		map[first + i] = v;
}

struct tool_check {
	uint8_t			map[CELLS];
	struct manrs_prefix	last;
	int			seen;
};

static int
tool_cb(const struct manrs_aggregate_item *it, void *arg)
{
	struct tool_check *c = arg;
	unsigned first, i;

	if (it->origin == MANRS_AGGREGATE_REMOVED)
		return 0;
	if (c->seen && manrs_prefix_cmp(&c->last, &it->prefix) >= 0)
		abort();
	if (c->seen && c->last.len == it->prefix.len && it->prefix.len > 0 &&
	    manrs_prefix_bit(&c->last, c->last.len - 1u) == 0) {
		struct manrs_prefix s = c->last;

		s.addr[(s.len - 1u) >> 3] ^=
		    (uint8_t)(0x80 >> ((s.len - 1u) & 7));
		if (manrs_prefix_eq(&s, &it->prefix))
			abort();	/* left mergeable */
	}
	first = top_bits(&it->prefix);
	for (i = 0; i < (1u << (BITS - it->prefix.len)); i++)
		if (c->map[first + i]++ != 0)
			abort();	/* overlap */
	c->last = it->prefix;
	c->seen = 1;
	return 0;
}

struct range_check {
	const uint8_t	*want;		/* [len][cell] stored */
	uint8_t		*got;
};

static int
range_cb(const struct manrs_prefix_range *r, void *arg)
{
	struct range_check *c = arg;
	unsigned len, first = top_bits(&r->prefix), i;

	if (r->min < r->prefix.len || r->max < r->min || r->max > BITS)
		abort();
	for (len = r->min; len <= r->max; len++)
		for (i = 0; i < (1u << (len - r->prefix.len)); i++) {
			/* i-th prefix of length len under r->prefix */
			unsigned cell = first + (i << (BITS - len));
			uint8_t *g = &c->got[len * CELLS + cell];

			if (*g++ != 0 || !c->want[len * CELLS + cell])
				abort();
			g[-1] = 1;
		}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t in_map[CELLS], want[(BITS + 1) * CELLS],
	    got[(BITS + 1) * CELLS];
	static struct tool_check tc;
	struct manrs_aggregate *a;
	struct manrs_trie *t;
	struct manrs_prefix p;
	struct range_check rc;
	size_t i, n = 0;
	int err;

	if ((a = manrs_aggregate_new(&err)) == NULL)
		return 0;
	if ((t = manrs_trie_new(NULL)) == NULL) {
		manrs_aggregate_free(a);
		return 0;
	}
	memset(in_map, 0, sizeof(in_map));
	memset(want, 0, sizeof(want));
	memset(got, 0, sizeof(got));
	for (i = 0; i + 1 < size && n < MAXP; i += 2, n++) {
		unsigned v = (unsigned)data[i + 1] << 2 | (data[i] >> 6);

		memset(&p, 0, sizeof(p));
		p.af = MANRS_AF_INET;
		p.len = (uint8_t)((data[i] & 0x3f) % (BITS + 1));
		v &= p.len ? ~0u << (BITS - p.len) : 0;
		p.addr[0] = (uint8_t)(v >> 2);
		p.addr[1] = (uint8_t)((v & 3) << 6);
		if (manrs_aggregate_add(a, &p, n + 1) != 0)
			abort();
		cover(in_map, &p, 1);
		(void)manrs_trie_add(t, &p, 0, NULL);
		want[p.len * CELLS + top_bits(&p)] = 1;
	}
	if (manrs_aggregate_run(a, 32, 128) != 0)
		abort();
	memset(&tc, 0, sizeof(tc));
	if (manrs_aggregate_walk(a, true, tool_cb, &tc) != 0)
		abort();
	if (memcmp(tc.map, in_map, sizeof(in_map)) != 0)
		abort();
	rc.want = want;
	rc.got = got;
	if (manrs_trie_walk_aggregated(t, MANRS_AF_INET, range_cb, &rc) != 0)
		abort();
	if (memcmp(want, got, sizeof(want)) != 0)
		abort();
	manrs_trie_free(t);
	manrs_aggregate_free(a);
	return 0;
}
