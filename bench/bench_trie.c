/*
 * bench_trie.c - longest-match lookups: manrs_trie against rtrlib's
 * pfx_table (Debian librtr-dev), on the same deterministic table and the
 * same queries, in the same run.
 *
 * The table mimics a default-free zone: N prefixes (default 1 M), 80 %
 * IPv4 with the DFZ length mix (mostly /24) and 20 % IPv6 /32../48,
 * nested inside shorter allocations.  Queries are host addresses, half
 * drawn inside stored prefixes and half uniformly random.  Both structures
 * must agree on which queries are covered (rtrlib answers "not found"
 * exactly when no record covers the address; every record has max_len =
 * its length, so a covered host address is "invalid"), or the run fails.
 *
 * usage: bench_trie [-n PREFIXES] [-q QUERIES] [-r ROUNDS]
 *     [--only manrs|rtrlib|none]   (none: input only, the RSS baseline)
 * Prints lookups/s of each, the ratio, build time, memory (bytes in use
 * on the heap after building each structure, from mallinfo2(), which
 * does not depend on which side frees first; RSS growth; and
 * manrs_trie_memory()), bytes/prefix.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <manrs/trie.h>
#include <rtrlib/rtrlib.h>

struct entry {
	struct manrs_prefix	p;
};

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t
rnd64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set size in bytes (second field of /proc/self/statm). */
static size_t
rss(void)
{
	char buf[128], *sp;
	FILE *fp = fopen("/proc/self/statm", "r");
	size_t n;

	if (fp == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if ((sp = strchr(buf, ' ')) == NULL)
		return 0;
	return (size_t)strtoul(sp + 1, NULL, 10) *
	    (size_t)sysconf(_SC_PAGESIZE);
}

/* Bytes allocated and in use (heap + mmapped chunks), from glibc. */
static size_t
heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void
set_bits(struct manrs_prefix *p, unsigned from, unsigned to)
{
	unsigned i;

	for (i = from; i < to; i++)
		if (rnd64() & 1)
			p->addr[i >> 3] |= (uint8_t)(0x80 >> (i & 7));
}

/* DFZ-like IPv4 length mix (percent per length). */
static unsigned
v4_len(void)
{
	static const struct { unsigned len, pct; } mix[] = {
		{ 24, 60 }, { 23, 9 }, { 22, 11 }, { 21, 5 }, { 20, 5 },
		{ 19, 3 }, { 18, 2 }, { 17, 1 }, { 16, 2 }, { 15, 1 },
		{ 14, 1 },
	};
	unsigned r = (unsigned)(rnd64() % 100), i, acc = 0;

	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		acc += mix[i].pct;
		if (r < acc)
			return mix[i].len;
	}
	return 24;
}

static unsigned
v6_len(void)
{
	static const unsigned lens[] = { 32, 48, 48, 48, 48, 44, 40, 36, 48,
	    29, 48, 46 };

	return lens[rnd64() % (sizeof(lens) / sizeof(lens[0]))];
}

/*
 * Build n prefixes: allocations (IPv4 /8../16 in 1-223, IPv6 /20../32 in
 * 2000::/3) and more specifics inside them.
 */
static struct entry *
make_table(size_t n)
{
	struct entry *e = calloc(n, sizeof(*e));
	struct manrs_prefix alloc4[4096], alloc6[2048];
	size_t i;

	if (e == NULL)
		return NULL;
	for (i = 0; i < 4096; i++) {
		memset(&alloc4[i], 0, sizeof(alloc4[i]));
		alloc4[i].af = MANRS_AF_INET;
		alloc4[i].addr[0] = (uint8_t)(1 + rnd64() % 223);
		alloc4[i].len = (uint8_t)(8 + rnd64() % 9);
		set_bits(&alloc4[i], 8, alloc4[i].len);
	}
	for (i = 0; i < 2048; i++) {
		memset(&alloc6[i], 0, sizeof(alloc6[i]));
		alloc6[i].af = MANRS_AF_INET6;
		alloc6[i].addr[0] = 0x20;
		alloc6[i].len = (uint8_t)(20 + rnd64() % 13);
		set_bits(&alloc6[i], 3, alloc6[i].len);
	}
	for (i = 0; i < n; i++) {
		struct manrs_prefix *p = &e[i].p;

		if (i % 5 != 4) {
			*p = alloc4[rnd64() % 4096];
			p->len = (uint8_t)v4_len();
		} else {
			*p = alloc6[rnd64() % 2048];
			p->len = (uint8_t)v6_len();
		}
		if (p->len < 8)
			p->len = 8;
		set_bits(p, 8, p->len);
		manrs_prefix_mask(p);
	}
	return e;
}

static struct manrs_prefix *
make_queries(const struct entry *e, size_t n, size_t nq)
{
	struct manrs_prefix *q = calloc(nq, sizeof(*q));
	size_t i;

	if (q == NULL)
		return NULL;
	for (i = 0; i < nq; i++) {
		if (i % 2 == 0) {
			q[i] = e[rnd64() % n].p;
			set_bits(&q[i], q[i].len, manrs_af_bits(q[i].af));
		} else {
			memset(&q[i], 0, sizeof(q[i]));
			q[i].af = (i % 10 == 9) ? MANRS_AF_INET6 :
			    MANRS_AF_INET;
			if (q[i].af == MANRS_AF_INET6)
				q[i].addr[0] = 0x20;
			set_bits(&q[i], q[i].af == MANRS_AF_INET ? 0 : 3,
			    manrs_af_bits(q[i].af));
		}
		q[i].len = (uint8_t)manrs_af_bits(q[i].af);
	}
	return q;
}

static void
to_lrtr(const struct manrs_prefix *p, struct lrtr_ip_addr *a)
{
	unsigned w;

	memset(a, 0, sizeof(*a));
	if (p->af == MANRS_AF_INET) {
		a->ver = LRTR_IPV4;
		a->u.addr4.addr = (uint32_t)p->addr[0] << 24 |
		    (uint32_t)p->addr[1] << 16 | (uint32_t)p->addr[2] << 8 |
		    p->addr[3];
		return;
	}
	a->ver = LRTR_IPV6;
	for (w = 0; w < 4; w++)
		a->u.addr6.addr[w] = (uint32_t)p->addr[4 * w] << 24 |
		    (uint32_t)p->addr[4 * w + 1] << 16 |
		    (uint32_t)p->addr[4 * w + 2] << 8 | p->addr[4 * w + 3];
}

struct result {
	double	build_s;
	double	lookup_s;
	size_t	rss_bytes;
	size_t	heap_bytes;
	size_t	found;
	size_t	stored;
};

static int
run_manrs(const struct entry *e, size_t n, const struct manrs_prefix *q,
    size_t nq, unsigned rounds, struct result *r, size_t *trie_mem)
{
	struct manrs_trie *t;
	size_t i, before = rss(), hbefore = heap_used();
	unsigned k;
	uint32_t v;
	double t0;
	int rc;

	memset(r, 0, sizeof(*r));
	t0 = now();
	if ((t = manrs_trie_new(NULL)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		rc = manrs_trie_add(t, &e[i].p, (uint32_t)i, NULL);
		if (rc != 0 && rc != MANRS_E_EXIST)
			return -1;
	}
	manrs_trie_compact(t);
	r->build_s = now() - t0;
	r->rss_bytes = rss() - before;
	r->heap_bytes = heap_used() - hbefore;
	r->stored = manrs_trie_count(t, 0);
	*trie_mem = manrs_trie_memory(t);
	t0 = now();
	for (k = 0; k < rounds; k++) {
		r->found = 0;
		for (i = 0; i < nq; i++)
			r->found += manrs_trie_longest(t, &q[i], NULL, &v);
	}
	r->lookup_s = now() - t0;
	manrs_trie_free(t);
	return 0;
}

static int
run_rtrlib(const struct entry *e, size_t n, const struct manrs_prefix *q,
    size_t nq, unsigned rounds, struct result *r)
{
	struct pfx_table *pt = calloc(1, sizeof(*pt));
	struct lrtr_ip_addr *qa;
	struct pfx_record rec;
	enum pfxv_state st;
	size_t i, before, hbefore;
	unsigned k;
	double t0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (pt == NULL || (qa = calloc(nq, sizeof(*qa))) == NULL)
		return -1;
	for (i = 0; i < nq; i++)
		to_lrtr(&q[i], &qa[i]);
	before = rss();
	hbefore = heap_used();
	t0 = now();
	pfx_table_init(pt, NULL);
	for (i = 0; i < n; i++) {
		memset(&rec, 0, sizeof(rec));
		rec.asn = 65000;
		to_lrtr(&e[i].p, &rec.prefix);
		rec.min_len = rec.max_len = e[i].p.len;
		rc = pfx_table_add(pt, &rec);
		if (rc == PFX_SUCCESS)
			r->stored++;
		else if (rc != PFX_DUPLICATE_RECORD)
			return -1;
	}
	r->build_s = now() - t0;
	r->rss_bytes = rss() - before;
	r->heap_bytes = heap_used() - hbefore;
	t0 = now();
	for (k = 0; k < rounds; k++) {
		r->found = 0;
		for (i = 0; i < nq; i++) {
			if (pfx_table_validate(pt, 0, &qa[i],
			    qa[i].ver == LRTR_IPV4 ? 32 : 128, &st) !=
			    PFX_SUCCESS)
				return -1;
			r->found += st != BGP_PFXV_STATE_NOT_FOUND;
		}
	}
	r->lookup_s = now() - t0;
	pfx_table_free(pt);
	free(pt);
	free(qa);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_trie [-n PREFIXES] [-q QUERIES] "
	    "[-r ROUNDS] [--only manrs|rtrlib|none]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	size_t n = 1000000, nq = 4000000, tmem = 0, distinct;
	unsigned rounds = 1;
	const char *only = NULL;
	struct result m, r;
	bool heap;
	struct entry *e;
	struct manrs_prefix *q;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			n = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-q") == 0 && i + 1 < argc)
			nq = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			rounds = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else
			usage();
	}
	if (n == 0 || nq == 0 || rounds == 0)
		usage();
	if ((e = make_table(n)) == NULL || (q = make_queries(e, n, nq)) ==
	    NULL) {
		fprintf(stderr, "bench_trie: out of memory\n");
		return 1;
	}
	memset(&m, 0, sizeof(m));
	memset(&r, 0, sizeof(r));
	if ((only == NULL || strcmp(only, "manrs") == 0) &&
	    run_manrs(e, n, q, nq, rounds, &m, &tmem) != 0) {
		fprintf(stderr, "bench_trie: manrs run failed\n");
		return 1;
	}
	if ((only == NULL || strcmp(only, "rtrlib") == 0) &&
	    run_rtrlib(e, n, q, nq, rounds, &r) != 0) {
		fprintf(stderr, "bench_trie: rtrlib run failed\n");
		return 1;
	}
	distinct = m.stored ? m.stored : r.stored;
	printf("table: %zu prefixes generated, %zu distinct; %zu queries x "
	    "%u rounds\n", n, distinct, nq, rounds);
	if (only == NULL || strcmp(only, "manrs") == 0)
		printf("manrs_trie:  build %.2f s, %.2f M lookups/s, "
		    "heap +%.1f MiB (%.1f B/prefix), RSS +%.1f MiB, "
		    "trie_memory %.1f MiB (%.1f B/prefix), %zu covered\n",
		    m.build_s, (double)nq * rounds / m.lookup_s / 1e6,
		    m.heap_bytes / 1048576.0, (double)m.heap_bytes / distinct,
		    m.rss_bytes / 1048576.0, tmem / 1048576.0,
		    (double)tmem / distinct, m.found);
	if (only == NULL || strcmp(only, "rtrlib") == 0)
		printf("rtrlib pfx:  build %.2f s, %.2f M lookups/s, "
		    "heap +%.1f MiB (%.1f B/prefix), RSS +%.1f MiB, "
		    "%zu covered\n", r.build_s,
		    (double)nq * rounds / r.lookup_s / 1e6,
		    r.heap_bytes / 1048576.0, (double)r.heap_bytes / distinct,
		    r.rss_bytes / 1048576.0, r.found);
	free(e);
	free(q);
	if (only != NULL)
		return 0;
	/* Under sanitizers mallinfo2() knows nothing: fall back to RSS. */
	heap = m.heap_bytes != 0 && r.heap_bytes != 0;
	printf("ratio (manrs/rtrlib): lookups %.2fx faster, memory %.2fx "
	    "(%s), build %.2fx faster\n", r.lookup_s / m.lookup_s,
	    heap ? (double)m.heap_bytes / (double)r.heap_bytes :
	    (double)m.rss_bytes / (double)r.rss_bytes,
	    heap ? "heap in use" : "RSS", r.build_s / m.build_s);
	if (m.found != r.found || m.stored != r.stored) {
		fprintf(stderr, "bench_trie: MISMATCH: manrs %zu/%zu, rtrlib "
		    "%zu/%zu (covered/stored)\n", m.found, m.stored, r.found,
		    r.stored);
		return 1;
	}
	return 0;
}
