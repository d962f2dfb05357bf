/*
 * rov_bench.c - route origin validation of N routes (default 1 M):
 * manrs_rov_validate against rtrlib's pfx_table_validate (Debian
 * librtr-dev) on the same VRPs and the same routes, in the same run.
 * Every answer must agree (RFC 6811 Valid / Invalid / NotFound), or the
 * run fails, so the benchmark is also a cross-check against rtrlib.
 *
 * Routes are deterministic: 70 % are drawn under a random VRP (length
 * from the VRP's length to two past its maxLength, the VRP's AS 70 % of
 * the time), 30 % are random global addresses with DFZ-like lengths.
 *
 * Both the one-route call and manrs_rov_validate_many() (interleaved
 * lookups) are timed; the batch must give the same answers.
 *
 * A run that loads no VRP fails (exit 1, saying why): validating against
 * nothing measures nothing.  Entries expired at --now (default: the
 * current time) are dropped by the loader and counted on stdout; bench
 * inputs carry expiries far in the future (bench/vrp_gen) so the run
 * does not depend on the calendar.
 *
 * usage: rov_bench VRPFILE [-q ROUTES] [-r ROUNDS] [--now EPOCH]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <manrs/vrp.h>
#include <rtrlib/rtrlib.h>

struct route {
	struct manrs_prefix	p;
	uint32_t		origin;
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
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

static void
make_routes(const struct manrs_vrp_set *s, struct route *r, size_t n)
{
	size_t nv = manrs_vrp_count(s, 0), i, k;

	for (i = 0; i < n; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		if (nv > 0 && rnd() % 10 < 7) {
			const struct manrs_vrp *v = manrs_vrp_get(s,
			    rnd() % nv);
			unsigned bits = manrs_af_bits(v->prefix.af);
			unsigned hi = (unsigned)v->maxlen + 2 > bits ? bits :
			    v->maxlen + 2u;
			unsigned len = v->prefix.len + (unsigned)(rnd() %
			    (hi - v->prefix.len + 1));

			r[i].p = v->prefix;
			for (k = v->prefix.len; k < len; k++)
				if (rnd() & 1)
					r[i].p.addr[k / 8] |=
					    (uint8_t)(0x80 >> (k % 8));
			r[i].p.len = (uint8_t)len;
			r[i].origin = rnd() % 10 < 7 ? v->asn :
			    (uint32_t)(rnd() % 400000 + 1);
		} else {
			uint8_t a[16];

			for (k = 0; k < 16; k++)
				a[k] = (uint8_t)rnd();
			if (rnd() % 5 == 0) {
				a[0] = (uint8_t)(0x20 | (a[0] & 0x0f));
				manrs_prefix_set(&r[i].p, MANRS_AF_INET6, a, 16,
				    32 + (unsigned)(rnd() % 17));
			} else {
				a[0] = (uint8_t)(1 + a[0] % 223);
				manrs_prefix_set(&r[i].p, MANRS_AF_INET, a, 4,
				    16 + (unsigned)(rnd() % 9));
			}
			r[i].origin = (uint32_t)(rnd() % 400000 + 1);
		}
		if (r[i].origin == 0)
			r[i].origin = 1;
	}
}

int
main(int argc, char **argv)
{
	struct manrs_vrp_read_opts o;
	struct manrs_vrp_set *s;
	struct pfx_table *pt;
	struct pfx_record rec;
	struct lrtr_ip_addr *qa;
	struct route *r;
	enum pfxv_state *rs;
	size_t nq = 1000000, i, nv, bad = 0, cnt[3] = { 0, 0, 0 };
	int rounds = 3, k, a;
	double t0, t_load, t_rtrlib = 1e9, t_manrs = 1e9, t_many = 1e9, t;

	memset(&o, 0, sizeof(o));
	if (argc < 2) {
		fprintf(stderr, "usage: rov_bench VRPFILE [-q N] [-r ROUNDS] "
		    "[--now EPOCH]\n");
		return 2;
	}
	for (a = 2; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "-q") == 0)
			nq = strtoul(argv[a + 1], NULL, 10);
		else if (strcmp(argv[a], "-r") == 0)
			rounds = (int)strtol(argv[a + 1], NULL, 10);
		else if (strcmp(argv[a], "--now") == 0)
			o.now = (time_t)strtoll(argv[a + 1], NULL, 10);
	}
	t0 = now();
	s = manrs_vrp_set_new(NULL);
	if (manrs_vrp_read(s, argv[1], &o, NULL) != 0 ||
	    manrs_vrp_set_finish(s) != 0) {
		fprintf(stderr, "rov_bench: cannot load %s\n", argv[1]);
		return 1;
	}
	t_load = now() - t0;
	nv = manrs_vrp_count(s, 0);
	if (manrs_vrp_set_stats(s)->vrps_expired > 0)
		printf("rov_bench: %llu VRPs of %s expired at the judging time "
		    "(dropped)\n", (unsigned long long)
		    manrs_vrp_set_stats(s)->vrps_expired, argv[1]);
	if (nv == 0 || rounds < 1 || nq == 0) {
		fprintf(stderr, "rov_bench: %s: %zu VRPs in force (%llu "
		    "expired; --now EPOCH judges at another time), %zu "
		    "routes, %d rounds: nothing to measure\n", argv[1], nv,
		    (unsigned long long)manrs_vrp_set_stats(s)->vrps_expired,
		    nq, rounds);
		return 1;
	}
	r = calloc(nq, sizeof(*r));
	qa = calloc(nq, sizeof(*qa));
	rs = calloc(nq, sizeof(*rs));
	pt = calloc(1, sizeof(*pt));
	if (!r || !qa || !rs || !pt)
		return 1;
	make_routes(s, r, nq);
	for (i = 0; i < nq; i++)
		to_lrtr(&r[i].p, &qa[i]);
	pfx_table_init(pt, NULL);
	t0 = now();
	for (i = 0; i < nv; i++) {
		const struct manrs_vrp *v = manrs_vrp_get(s, i);

		memset(&rec, 0, sizeof(rec));
		rec.asn = v->asn;
		to_lrtr(&v->prefix, &rec.prefix);
		rec.min_len = v->prefix.len;
		rec.max_len = v->maxlen;
		rec.socket = NULL;
		if (pfx_table_add(pt, &rec) != PFX_SUCCESS) {
			fprintf(stderr, "rov_bench: pfx_table_add failed\n");
			return 1;
		}
	}
	printf("VRPs %zu (manrs load+finish %.2f s, rtrlib build %.2f s), "
	    "routes %zu\n", nv, t_load, now() - t0, nq);
	for (k = 0; k < rounds; k++) {
		t0 = now();
		for (i = 0; i < nq; i++)
			pfx_table_validate(pt, r[i].origin, &qa[i], r[i].p.len,
			    &rs[i]);
		t = now() - t0;
		if (t < t_rtrlib)
			t_rtrlib = t;
		t0 = now();
		for (i = 0; i < nq; i++)
			cnt[manrs_rov_validate(s, &r[i].p, r[i].origin, false,
			    NULL)]++;
		t = now() - t0;
		if (t < t_manrs)
			t_manrs = t;
	}
	{
		struct manrs_prefix *pp = calloc(nq, sizeof(*pp));
		uint32_t *oo = calloc(nq, sizeof(*oo));
		enum manrs_rov_state *ms = calloc(nq, sizeof(*ms));

		if (!pp || !oo || !ms)
			return 1;
		for (i = 0; i < nq; i++) {
			pp[i] = r[i].p;
			oo[i] = r[i].origin;
		}
		for (k = 0; k < rounds; k++) {
			t0 = now();
			manrs_rov_validate_many(s, pp, oo, nq, ms);
			t = now() - t0;
			if (t < t_many)
				t_many = t;
		}
		for (i = 0; i < nq; i++)
			if (ms[i] != manrs_rov_validate(s, &r[i].p,
			    r[i].origin, false, NULL))
				bad++;
		free(pp);
		free(oo);
		free(ms);
	}
	for (i = 0; i < nq; i++) {
		enum manrs_rov_state m = manrs_rov_validate(s, &r[i].p,
		    r[i].origin, false, NULL);
		enum manrs_rov_state w = rs[i] == BGP_PFXV_STATE_VALID ?
		    MANRS_ROV_VALID : rs[i] == BGP_PFXV_STATE_INVALID ?
		    MANRS_ROV_INVALID : MANRS_ROV_NOTFOUND;

		if (m != w && bad++ < 5) {
			char b[MANRS_PREFIX_STRLEN];

			manrs_prefix_print(&r[i].p, b, sizeof(b));
			fprintf(stderr, "disagree: %s AS%u manrs %s rtrlib %s\n",
			    b, r[i].origin, manrs_rov_state_name(m),
			    manrs_rov_state_name(w));
		}
	}
	printf("mix per round: valid %zu invalid %zu not-found %zu\n",
	    cnt[1] / (size_t)rounds, cnt[2] / (size_t)rounds,
	    cnt[0] / (size_t)rounds);
	printf("rtrlib pfx_table_validate: %.0f routes/s\n",
	    (double)nq / t_rtrlib);
	printf("manrs_rov_validate:        %.0f routes/s\n",
	    (double)nq / t_manrs);
	printf("manrs_rov_validate_many:   %.0f routes/s\n",
	    (double)nq / t_many);
	printf("ratio manrs/rtrlib: %.2fx one at a time, %.2fx batched "
	    "(best of %d rounds); disagreements: %zu\n", t_rtrlib / t_manrs,
	    t_rtrlib / t_many, rounds, bad);
	pfx_table_free(pt);
	manrs_vrp_set_free(s);
	free(r);
	free(qa);
	free(rs);
	free(pt);
	return bad == 0 ? 0 : 1;
}
