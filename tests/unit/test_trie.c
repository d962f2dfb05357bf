/*
 * test_trie.c - the radix trie: hand-made cases, then long random
 * operation sequences cross-checked against a brute-force list, with the
 * structural invariants verified after every step.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "trie/trie_int.h"

static struct manrs_prefix
P(const char *s)
{
	struct manrs_prefix p;

	if (manrs_prefix_parse(V(s), MANRS_PREFIX_HOST, &p) != 0)
		fail_msg("bad prefix %s", s);
	return p;
}

/* Collects walk output as text "a b c". */
struct collect {
	char	buf[4096];
	size_t	len;
	int	stop_after;
	int	seen;
};

static int
collect_cb(const struct manrs_prefix *p, uint32_t value, void *arg)
{
	struct collect *c = arg;
	char tmp[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(p, tmp, sizeof(tmp));
	c->len += (size_t)snprintf(c->buf + c->len, sizeof(c->buf) - c->len,
	    "%s%s=%u", c->len ? " " : "", tmp, value);
	c->seen++;
	return c->stop_after != 0 && c->seen >= c->stop_after ? 7 : 0;
}

static void
add(struct manrs_trie *t, const char *s, uint32_t v)
{
	struct manrs_prefix p = P(s);

	assert_int_equal(manrs_trie_add(t, &p, v, NULL), 0);
	assert_int_equal(manrs_trie_check(t), 0);
}

static void
test_basic(void **state)
{
	struct manrs_trie *t = manrs_trie_new(NULL);
	struct manrs_prefix p, m;
	uint32_t v;

	(void)state;
	assert_non_null(t);
	add(t, "10.0.0.0/8", 1);
	add(t, "10.1.0.0/16", 2);
	add(t, "10.1.2.0/24", 3);
	add(t, "192.0.2.0/24", 4);
	add(t, "2001:db8::/32", 5);
	add(t, "::/0", 6);
	assert_int_equal(manrs_trie_count(t, 0), 6);
	assert_int_equal(manrs_trie_count(t, MANRS_AF_INET), 4);
	assert_int_equal(manrs_trie_count(t, MANRS_AF_INET6), 2);

	/* Re-adding replaces the value and says so. */
	p = P("10.1.0.0/16");
	assert_int_equal(manrs_trie_add(t, &p, 22, &v), MANRS_E_EXIST);
	assert_int_equal(v, 2);
	assert_true(manrs_trie_find(t, &p, &v));
	assert_int_equal(v, 22);
	assert_int_equal(manrs_trie_count(t, 0), 6);

	/* Glue nodes are not found. */
	p = P("0.0.0.0/0");
	assert_false(manrs_trie_find(t, &p, NULL));
	p = P("10.1.2.0/23");
	assert_false(manrs_trie_find(t, &p, NULL));

	p = P("10.1.2.3");
	assert_true(manrs_trie_longest(t, &p, &m, &v));
	assert_int_equal(v, 3);
	p = P("10.1.3.3");
	assert_true(manrs_trie_longest(t, &p, &m, &v));
	assert_int_equal(v, 22);
	assert_true(manrs_prefix_eq(&m, &(struct manrs_prefix){ 0 }) ==
	    false);
	p = P("11.0.0.1");
	assert_false(manrs_trie_longest(t, &p, NULL, NULL));
	p = P("2001:db8:1::1");
	assert_true(manrs_trie_longest(t, &p, &m, &v));
	assert_int_equal(v, 5);
	p = P("2001:db9::1");
	assert_true(manrs_trie_longest(t, &p, &m, &v));
	assert_int_equal(v, 6);
	assert_int_equal(m.len, 0);

	/* Host bits are ignored on add and lookups. */
	p = P("10.1.2.0/24");
	p.addr[3] = 77;
	assert_true(manrs_trie_find(t, &p, &v));
	assert_int_equal(v, 3);

	/* Bad arguments. */
	p.af = 5;
	assert_int_equal(manrs_trie_add(t, &p, 0, NULL), MANRS_E_INVAL);
	assert_false(manrs_trie_find(t, &p, NULL));
	p = P("10.0.0.0/8");
	p.len = 33;
	assert_int_equal(manrs_trie_add(t, &p, 0, NULL), MANRS_E_INVAL);
	assert_int_equal(manrs_trie_del(t, &p, NULL), MANRS_E_INVAL);

	p = P("10.1.0.0/16");
	assert_int_equal(manrs_trie_del(t, &p, &v), 0);
	assert_int_equal(v, 22);
	assert_int_equal(manrs_trie_del(t, &p, &v), MANRS_E_NOTFOUND);
	assert_int_equal(manrs_trie_check(t), 0);
	p = P("10.1.2.3");
	assert_true(manrs_trie_longest(t, &p, NULL, &v));
	assert_int_equal(v, 3);
	p = P("10.1.3.3");
	assert_true(manrs_trie_longest(t, &p, NULL, &v));
	assert_int_equal(v, 1);
	assert_true(manrs_trie_memory(t) > 0);
	manrs_trie_free(t);
	manrs_trie_free(NULL);
}

static void
test_walks(void **state)
{
	struct manrs_trie *t = manrs_trie_new(NULL);
	struct collect c;
	struct manrs_prefix p;

	(void)state;
	add(t, "10.1.2.0/24", 3);
	add(t, "10.0.0.0/8", 1);
	add(t, "2001:db8::/32", 5);
	add(t, "10.1.0.0/16", 2);
	add(t, "192.0.2.0/24", 4);
	add(t, "10.0.0.0/16", 7);
	add(t, "10.128.0.0/9", 8);
	add(t, "0.0.0.0/0", 9);

	memset(&c, 0, sizeof(c));
	assert_int_equal(manrs_trie_walk(t, 0, collect_cb, &c), 0);
	assert_string_equal(c.buf, "0.0.0.0/0=9 10.0.0.0/8=1 10.0.0.0/16=7 "
	    "10.1.0.0/16=2 10.1.2.0/24=3 10.128.0.0/9=8 192.0.2.0/24=4 "
	    "2001:db8::/32=5");

	memset(&c, 0, sizeof(c));
	assert_int_equal(manrs_trie_walk(t, MANRS_AF_INET6, collect_cb, &c),
	    0);
	assert_string_equal(c.buf, "2001:db8::/32=5");

	memset(&c, 0, sizeof(c));
	p = P("10.1.2.200");
	assert_int_equal(manrs_trie_walk_covering(t, &p, collect_cb, &c), 0);
	assert_string_equal(c.buf,
	    "0.0.0.0/0=9 10.0.0.0/8=1 10.1.0.0/16=2 10.1.2.0/24=3");

	memset(&c, 0, sizeof(c));
	p = P("10.0.0.0/8");
	assert_int_equal(manrs_trie_walk_covered(t, &p, collect_cb, &c), 0);
	assert_string_equal(c.buf, "10.0.0.0/8=1 10.0.0.0/16=7 "
	    "10.1.0.0/16=2 10.1.2.0/24=3 10.128.0.0/9=8");

	/* A glue node (10.0.0.0/15) as the covered root. */
	memset(&c, 0, sizeof(c));
	p = P("10.0.0.0/15");
	assert_int_equal(manrs_trie_walk_covered(t, &p, collect_cb, &c), 0);
	assert_string_equal(c.buf, "10.0.0.0/16=7 10.1.0.0/16=2 "
	    "10.1.2.0/24=3");

	/* Between nodes: 10.1.2.0/20 lies between /16 and /24. */
	memset(&c, 0, sizeof(c));
	p = P("10.1.0.0/20");
	assert_int_equal(manrs_trie_walk_covered(t, &p, collect_cb, &c), 0);
	assert_string_equal(c.buf, "10.1.2.0/24=3");
	memset(&c, 0, sizeof(c));
	p = P("10.1.16.0/20");
	assert_int_equal(manrs_trie_walk_covered(t, &p, collect_cb, &c), 0);
	assert_string_equal(c.buf, "");

	/* Early stop returns the callback's value. */
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	assert_int_equal(manrs_trie_walk(t, 0, collect_cb, &c), 7);
	assert_int_equal(c.seen, 2);
	manrs_trie_free(t);
}

/* --- random operations against a brute-force model --- */

#define MODEL_MAX	400

struct model {
	struct manrs_prefix	p[MODEL_MAX];
	uint32_t		v[MODEL_MAX];
	size_t			n;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* Random prefix from a small space so that prefixes nest and collide. */
static struct manrs_prefix
rnd_prefix(uint8_t af)
{
	struct manrs_prefix p;
	unsigned bits = manrs_af_bits(af), i;

	memset(&p, 0, sizeof(p));
	p.af = af;
	p.addr[0] = (uint8_t)(rnd() & 0x83);
	for (i = 1; i < bits / 8; i++)
		p.addr[i] = (uint8_t)(rnd() % 3 == 0 ? rnd() : 0);
	p.len = (uint8_t)(rnd() % (bits + 1));
	if (rnd() % 2)
		p.len = (uint8_t)(rnd() % 12);
	manrs_prefix_mask(&p);
	return p;
}

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
cmp_prefix(const void *a, const void *b)
{
	return manrs_prefix_cmp(a, b);
}

struct expect {
	struct manrs_prefix	p[MODEL_MAX];
	size_t			n;
	size_t			at;
	const struct model	*m;
};

static int
expect_cb(const struct manrs_prefix *p, uint32_t value, void *arg)
{
	struct expect *e = arg;
	ptrdiff_t i;

	assert_true(e->at < e->n);
	assert_true(manrs_prefix_eq(p, &e->p[e->at]));
	i = model_find(e->m, p);
	assert_true(i >= 0);
	assert_int_equal(value, e->m->v[i]);
	e->at++;
	return 0;
}

static void
check_walks(struct manrs_trie *t, const struct model *m,
    const struct manrs_prefix *q)
{
	static struct expect e;
	size_t i;

	/* covering: by length */
	memset(&e, 0, sizeof(e));
	e.m = m;
	for (i = 0; i < m->n; i++)
		if (manrs_prefix_covers(&m->p[i], q))
			e.p[e.n++] = m->p[i];
	qsort(e.p, e.n, sizeof(e.p[0]), cmp_prefix);	/* same as by len */
	assert_int_equal(manrs_trie_walk_covering(t, q, expect_cb, &e), 0);
	assert_int_equal(e.at, e.n);

	/* covered: address order */
	memset(&e, 0, sizeof(e));
	e.m = m;
	for (i = 0; i < m->n; i++)
		if (manrs_prefix_covers(q, &m->p[i]))
			e.p[e.n++] = m->p[i];
	qsort(e.p, e.n, sizeof(e.p[0]), cmp_prefix);
	assert_int_equal(manrs_trie_walk_covered(t, q, expect_cb, &e), 0);
	assert_int_equal(e.at, e.n);
}

static void
check_all(struct manrs_trie *t, const struct model *m, uint8_t af)
{
	static struct expect e;
	size_t i;

	memset(&e, 0, sizeof(e));
	e.m = m;
	for (i = 0; i < m->n; i++)
		e.p[e.n++] = m->p[i];
	qsort(e.p, e.n, sizeof(e.p[0]), cmp_prefix);
	assert_int_equal(manrs_trie_walk(t, af, expect_cb, &e), 0);
	assert_int_equal(e.at, e.n);
	assert_int_equal(manrs_trie_count(t, af), m->n);
	assert_int_equal(manrs_trie_check(t), 0);
}

static void
check_longest(struct manrs_trie *t, const struct model *m,
    const struct manrs_prefix *q)
{
	struct manrs_prefix got;
	ptrdiff_t best = -1;
	uint32_t v;
	size_t i;
	bool found;

	for (i = 0; i < m->n; i++)
		if (manrs_prefix_covers(&m->p[i], q) &&
		    (best < 0 || m->p[i].len > m->p[best].len))
			best = (ptrdiff_t)i;
	found = manrs_trie_longest(t, q, &got, &v);
	assert_int_equal(found, best >= 0);
	if (found) {
		assert_true(manrs_prefix_eq(&got, &m->p[best]));
		assert_int_equal(v, m->v[best]);
	}
}

static void
random_run(uint8_t af, unsigned steps)
{
	static struct model m;
	struct manrs_trie *t = manrs_trie_new(NULL);
	struct manrs_prefix p;
	uint32_t v, old;
	ptrdiff_t i;
	unsigned s;
	int rc;

	memset(&m, 0, sizeof(m));
	for (s = 0; s < steps; s++) {
		p = rnd_prefix(af);
		i = model_find(&m, &p);
		switch (rnd() % 4) {
		case 0:
		case 1:
			if (i < 0 && m.n == MODEL_MAX)
				break;
			v = rnd();
			rc = manrs_trie_add(t, &p, v, &old);
			if (i >= 0) {
				assert_int_equal(rc, MANRS_E_EXIST);
				assert_int_equal(old, m.v[i]);
				m.v[i] = v;
			} else {
				assert_int_equal(rc, 0);
				m.p[m.n] = p;
				m.v[m.n++] = v;
			}
			break;
		case 2:
			/* delete an existing one half of the time */
			if (m.n > 0 && rnd() % 2) {
				i = (ptrdiff_t)(rnd() % m.n);
				p = m.p[i];
			}
			rc = manrs_trie_del(t, &p, &old);
			if (i >= 0) {
				assert_int_equal(rc, 0);
				assert_int_equal(old, m.v[i]);
				m.p[i] = m.p[m.n - 1];
				m.v[i] = m.v[m.n - 1];
				m.n--;
			} else {
				assert_int_equal(rc, MANRS_E_NOTFOUND);
			}
			break;
		default:
			assert_int_equal(manrs_trie_find(t, &p, &v), i >= 0);
			if (i >= 0)
				assert_int_equal(v, m.v[i]);
			check_longest(t, &m, &p);
			check_walks(t, &m, &p);
			break;
		}
		if (s % 16 == 0)
			check_all(t, &m, af);
	}
	check_all(t, &m, af);
	manrs_trie_compact(t);
	check_all(t, &m, af);
	/* Empty it: the trie ends with no node in use. */
	while (m.n > 0) {
		assert_int_equal(manrs_trie_del(t, &m.p[m.n - 1], NULL), 0);
		m.n--;
	}
	check_all(t, &m, af);
	manrs_trie_free(t);
}

static void
test_random_v4(void **state)
{
	(void)state;
	random_run(MANRS_AF_INET, 20000);
}

static void
test_random_v6(void **state)
{
	(void)state;
	random_run(MANRS_AF_INET6, 20000);
}

/*
 * The jump indexes built by manrs_trie_compact() (large sets only)
 * answer exactly as the plain walk, and are dropped by a change.
 */
static void
test_jump(void **state)
{
	enum { NP = 30000, NQ = 50000 };
	struct manrs_trie *t = manrs_trie_new(NULL);
	static struct manrs_prefix q[NQ], got[NQ];
	static uint32_t val[NQ];
	static bool hit[NQ];
	struct manrs_prefix p, m;
	uint32_t v;
	size_t i;

	(void)state;
	for (i = 0; i < NP; i++) {
		memset(&p, 0, sizeof(p));
		p.af = MANRS_AF_INET;
		p.addr[0] = (uint8_t)(rnd() % 4 == 0 ? 10 : rnd());
		p.addr[1] = (uint8_t)rnd();
		p.addr[2] = (uint8_t)rnd();
		p.len = (uint8_t)(rnd() % 33);
		manrs_prefix_mask(&p);
		(void)manrs_trie_add(t, &p, (uint32_t)i, NULL);
	}
	for (i = 0; i < NP / 3; i++) {
		memset(&p, 0, sizeof(p));
		p.af = MANRS_AF_INET6;
		p.addr[0] = 0x20;
		p.addr[1] = (uint8_t)(rnd() % 4 == 0 ? 0x01 : rnd() % 8);
		if (rnd() % 8 == 0)
			p.addr[1] = (uint8_t)rnd();
		p.addr[2] = (uint8_t)rnd();
		p.addr[3] = (uint8_t)rnd();
		p.addr[4] = (uint8_t)rnd();
		p.len = (uint8_t)(rnd() % 2 ? 16 + rnd() % 33 : rnd() % 129);
		manrs_prefix_mask(&p);
		(void)manrs_trie_add(t, &p, (uint32_t)(NP + i), NULL);
	}
	p = P("2000::/3");
	(void)manrs_trie_add(t, &p, 77, NULL);
	p = P("2000::/12");
	(void)manrs_trie_add(t, &p, 78, NULL);
	for (i = 0; i < NQ; i++) {
		memset(&q[i], 0, sizeof(q[i]));
		if (i % 3 == 2) {
			q[i].af = MANRS_AF_INET6;
			q[i].addr[0] = 0x20;
			q[i].addr[1] = (uint8_t)(rnd() % 4 == 0 ? 0x01 :
			    rnd() % 2 ? rnd() % 8 : rnd());
			q[i].addr[2] = (uint8_t)rnd();
			q[i].addr[3] = (uint8_t)rnd();
			q[i].addr[4] = (uint8_t)rnd();
			q[i].addr[15] = (uint8_t)rnd();
			q[i].len = (uint8_t)(rnd() % 2 ? 128 : rnd() % 129);
		} else {
			q[i].af = MANRS_AF_INET;
			q[i].addr[0] = (uint8_t)(rnd() % 4 == 0 ? 10 : rnd());
			q[i].addr[1] = (uint8_t)rnd();
			q[i].addr[2] = (uint8_t)rnd();
			q[i].addr[3] = (uint8_t)rnd();
			q[i].len = (uint8_t)(rnd() % 2 ? 32 : rnd() % 33);
		}
		manrs_prefix_mask(&q[i]);
		hit[i] = manrs_trie_longest(t, &q[i], &got[i], &val[i]);
	}
	manrs_trie_compact(t);
	assert_int_equal(manrs_trie_check(t), 0);
	/* Both families got a jump index (2 x 512 KiB). */
	assert_true(manrs_trie_memory(t) > (sizeof(uint32_t) * 4) << 16);
	for (i = 0; i < NQ; i++) {
		assert_int_equal(manrs_trie_longest(t, &q[i], &m, &v), hit[i]);
		if (hit[i]) {
			assert_true(manrs_prefix_eq(&m, &got[i]));
			assert_int_equal(v, val[i]);
		}
	}
	/* A change after compact: the answer follows the change. */
	p = P("10.20.30.0/24");
	(void)manrs_trie_del(t, &p, NULL);
	assert_int_equal(manrs_trie_add(t, &p, 4242, NULL), 0);
	p = P("10.20.30.40");
	assert_true(manrs_trie_longest(t, &p, &m, &v));
	if (m.len <= 24)
		assert_int_equal(v, 4242);
	p = P("10.20.30.0/24");
	assert_int_equal(manrs_trie_del(t, &p, NULL), 0);
	p = P("10.20.30.40");
	assert_true(!manrs_trie_longest(t, &p, &m, &v) || v != 4242);
	manrs_trie_free(t);
}

/* Both families in one trie stay apart. */
static void
test_families(void **state)
{
	struct manrs_trie *t = manrs_trie_new(NULL);
	struct manrs_prefix p;
	uint32_t v;

	(void)state;
	add(t, "0.0.0.0/0", 4);
	add(t, "::/0", 6);
	p = P("::1");
	assert_true(manrs_trie_longest(t, &p, NULL, &v));
	assert_int_equal(v, 6);
	p = P("1.2.3.4");
	assert_true(manrs_trie_longest(t, &p, NULL, &v));
	assert_int_equal(v, 4);
	p = P("0.0.0.0/0");
	assert_int_equal(manrs_trie_del(t, &p, NULL), 0);
	p = P("::/0");
	assert_true(manrs_trie_find(t, &p, NULL));
	p = P("255.255.255.255/32");
	add(t, "255.255.255.255/32", 1);
	add(t, "255.255.255.254/32", 2);
	assert_true(manrs_trie_find(t, &p, &v));
	assert_int_equal(v, 1);
	add(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 3);
	add(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", 9);
	p = P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	assert_true(manrs_trie_longest(t, &p, NULL, &v));
	assert_int_equal(v, 3);
	manrs_trie_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_walks),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_jump),
		cmocka_unit_test(test_random_v4),
		cmocka_unit_test(test_random_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
