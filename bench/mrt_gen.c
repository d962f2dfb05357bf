/*
 * mrt_gen.c - synthetic MRT archives written with the library's MRT
 * writer, for the bgpdump interop test and the benchmarks.
 *
 *   mrt_gen rib [-4 N] [-6 N] [-p PEERS] [-a] [-s SEED]   TABLE_DUMP_V2
 *   mrt_gen updates [-n N] [-P POOL] [-s SEED]              BGP4MP_ET
 *                   (-P: prefixes drawn from a pool of POOL, default
 *                   N/3 + 1: fewer repeat the same routes more often)
 *
 * Output goes to stdout.  The content is deterministic for a seed: IPv4
 * and IPv6 prefixes of realistic lengths, PEERS peers (a third of them
 * IPv6, some with four-octet ASNs), AS paths from a pool of transit paths
 * ending in a per-prefix origin (sometimes an AS_SET), and every
 * attribute bgpdump prints: ORIGIN, NEXT_HOP / MP next hop, MED,
 * LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR, COMMUNITIES (with the
 * well-known names), LARGE_COMMUNITIES and an unknown attribute
 * (extended communities).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <manrs/mrt.h>

static uint64_t seed = 1;

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL + seed;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
put16(uint8_t **p, uint16_t v)
{
	(*p)[0] = (uint8_t)(v >> 8);
	(*p)[1] = (uint8_t)v;
	*p += 2;
}

static void
put32(uint8_t **p, uint32_t v)
{
	(*p)[0] = (uint8_t)(v >> 24);
	(*p)[1] = (uint8_t)(v >> 16);
	(*p)[2] = (uint8_t)(v >> 8);
	(*p)[3] = (uint8_t)v;
	*p += 4;
}

static void
attr_head(uint8_t **p, uint8_t flags, uint8_t type, size_t len)
{
	*(*p)++ = flags;
	*(*p)++ = type;
	*(*p)++ = (uint8_t)len;
}

static uint32_t
origin_of(uint64_t pfx)
{
	uint64_t h = mix(pfx * 7 + 3);

	if (h % 11 == 0)
		return 196608 + (uint32_t)(h >> 20) % 200000;	/* 4-byte */
	return 1 + (uint32_t)(h >> 20) % 64000;
}

/*
 * Path attributes for (prefix, peer): four-octet AS_PATH.  Prefixes come
 * in groups of 16 per origin AS (about 78 k origins for a full table), and
 * a peer sends one attribute set per group, so attribute sets are shared
 * as on real collectors.  v6 routes get
 * an abbreviated MP_REACH (RFC 6396 4.3.4) when rib, none otherwise (the
 * UPDATE encoder adds MP_REACH).  Returns the length.
 */
static size_t
make_attrs(uint8_t *buf, uint64_t pfx, unsigned peer, uint32_t peer_as,
    bool v6, bool rib, const uint8_t *nh)
{
	uint64_t grp = pfx / 16, h = mix(grp * 131 + peer);
	uint8_t *p = buf, *seg;
	unsigned i, hops = 1 + (unsigned)(h % 5);

	attr_head(&p, 0x40, MANRS_BGP_ATTR_ORIGIN, 1);
	*p++ = (uint8_t)(h >> 8) % 3;
	attr_head(&p, 0x40, MANRS_BGP_ATTR_AS_PATH, 0);
	seg = p;
	*p++ = MANRS_BGP_AS_SEQUENCE;
	*p++ = (uint8_t)(hops + 1);
	put32(&p, peer_as);
	for (i = 0; i < hops - 1; i++)
		put32(&p, 100 + (uint32_t)(mix(h + i) % 7000));
	put32(&p, origin_of(grp));
	if ((h >> 12) % 97 == 0) {	/* an AS_SET at the end */
		*p++ = MANRS_BGP_AS_SET;
		*p++ = 2;
		put32(&p, 64512);
		put32(&p, 4200000001U);
	}
	seg[-1] = (uint8_t)(p - seg);
	if (!v6) {
		attr_head(&p, 0x40, MANRS_BGP_ATTR_NEXT_HOP, 4);
		memcpy(p, nh, 4);
		p += 4;
	}
	if ((h >> 16) % 3 == 0) {
		attr_head(&p, 0x80, MANRS_BGP_ATTR_MED, 4);
		put32(&p, (uint32_t)(h >> 24) % 5000);
	}
	if ((h >> 18) % 4 == 0) {
		attr_head(&p, 0x40, MANRS_BGP_ATTR_LOCAL_PREF, 4);
		put32(&p, 100 + (uint32_t)(h >> 30) % 3 * 50);
	}
	if ((h >> 20) % 53 == 0) {
		attr_head(&p, 0x40, MANRS_BGP_ATTR_ATOMIC_AGGREGATE, 0);
		attr_head(&p, 0xc0, MANRS_BGP_ATTR_AGGREGATOR, 8);
		put32(&p, origin_of(grp));
		put32(&p, 0xc0000201);
	}
	if ((h >> 22) % 2 == 0) {
		unsigned n = 1 + (unsigned)(h >> 40) % 4;

		attr_head(&p, 0xc0, MANRS_BGP_ATTR_COMMUNITIES, 4 * n);
		for (i = 0; i < n; i++)
			put32(&p, (h >> 44) % 9 == 0 && i == 0 ? 0xFFFFFF01 :
			    (peer_as & 0xffff) << 16 | (uint32_t)mix(h + 9 + i)
			    % 65536);
	}
	if ((h >> 26) % 5 == 0) {
		attr_head(&p, 0xc0, MANRS_BGP_ATTR_LARGE_COMMUNITIES, 24);
		for (i = 0; i < 2; i++) {
			put32(&p, peer_as);
			put32(&p, i + 1);
			put32(&p, (uint32_t)(h >> 32));
		}
	}
	if ((h >> 28) % 7 == 0) {	/* extended communities: "unknown" */
		attr_head(&p, 0xc0, MANRS_BGP_ATTR_EXT_COMMUNITIES, 8);
		put16(&p, 0x0002);
		put16(&p, (uint16_t)peer_as);
		put32(&p, (uint32_t)h);
	}
	if (v6 && rib) {
		attr_head(&p, 0x80, MANRS_BGP_ATTR_MP_REACH, 17);
		*p++ = 16;
		memcpy(p, nh, 16);
		p += 16;
	}
	return (size_t)(p - buf);
}

static void
prefix_of(uint64_t i, bool v6, struct manrs_prefix *p)
{
	uint64_t h = mix(i * 3 + (v6 ? 1 : 0));
	uint32_t a;

	memset(p, 0, sizeof(*p));
	if (!v6) {
		p->af = MANRS_AF_INET;
		p->len = (uint8_t)(h % 10 < 6 ? 24 : 16 + h % 8);
		a = (uint32_t)(i * 2654435761u) % (1u << 24);
		a = (a << 8) | 0x01000000;
		p->addr[0] = (uint8_t)(a >> 24);
		p->addr[1] = (uint8_t)(a >> 16);
		p->addr[2] = (uint8_t)(a >> 8);
		p->addr[3] = (uint8_t)a;
	} else {
		p->af = MANRS_AF_INET6;
		p->len = (uint8_t)(h % 10 < 7 ? 48 : 29 + h % 16);
		a = (uint32_t)(i * 2654435761u);
		p->addr[0] = 0x2a;
		p->addr[1] = (uint8_t)(0x00 | (h >> 8 & 0x0f));
		p->addr[2] = (uint8_t)(a >> 24);
		p->addr[3] = (uint8_t)(a >> 16);
		p->addr[4] = (uint8_t)(a >> 8);
		p->addr[5] = (uint8_t)a;
	}
	manrs_prefix_mask(p);
}

struct peerset {
	struct manrs_mrt_peer	*p;
	uint8_t			 nh[64][16];	/* IPv6 next hop */
	uint8_t			 nh4[64][4];	/* IPv4 next hop */
	size_t			 n;
};

static void
make_peers(struct peerset *ps, size_t n)
{
	size_t i;

	ps->n = n;
	ps->p = calloc(n ? n : 1, sizeof(*ps->p));
	if (ps->p == NULL)
		exit(1);
	for (i = 0; i < n; i++) {
		struct manrs_mrt_peer *p = &ps->p[i];
		uint8_t *nh = ps->nh[i % 64];

		p->af = i % 3 == 2 ? MANRS_AF_INET6 : MANRS_AF_INET;
		p->asn = i % 4 == 3 ? 200000 + (uint32_t)i : 1000 +
		    (uint32_t)i * 7;
		p->bgp_id[0] = 10;
		p->bgp_id[3] = (uint8_t)i;
		if (p->af == MANRS_AF_INET) {
			p->addr[0] = 192;
			p->addr[1] = 0;
			p->addr[2] = 2;
			p->addr[3] = (uint8_t)(i + 1);
		} else {
			/* includes ::-compressible and single-zero groups */
			static const uint8_t base[16] = { 0x20, 0x01, 0x07,
			    0xf8, 0, 0x30, 0, 0, 0, 0x02, 0, 1, 0, 0, 0, 0 };

			memcpy(p->addr, base, 16);
			p->addr[15] = (uint8_t)(i + 1);
			if (i == 5) {	/* IPv4-compatible: ::192.0.2.6 */
				memset(p->addr, 0, 12);
				p->addr[12] = 192;
				p->addr[14] = 2;
			}
		}
		if (p->af == MANRS_AF_INET6)
			memcpy(nh, p->addr, 16);
		else {	/* 2001:db8::c000:2xx for IPv6 over an IPv4 session */
			memset(nh, 0, 16);
			nh[0] = 0x20;
			nh[1] = 0x01;
			nh[2] = 0x0d;
			nh[3] = 0xb8;
			memcpy(nh + 12, p->addr, 4);
		}
		ps->nh4[i % 64][0] = 192;
		ps->nh4[i % 64][1] = 0;
		ps->nh4[i % 64][2] = 2;
		ps->nh4[i % 64][3] = (uint8_t)(i + 1);
	}
}

static int
gen_rib(size_t n4, size_t n6, size_t npeers, bool addpath)
{
	struct manrs_mrt_writer *w;
	struct peerset ps;
	static const uint8_t cid[4] = { 198, 51, 100, 1 };
	uint16_t *pidx = calloc(npeers, sizeof(*pidx));
	uint32_t *orig = calloc(npeers, sizeof(*orig));
	uint32_t *pids = calloc(npeers, sizeof(*pids));
	uint8_t **attrs = calloc(npeers, sizeof(*attrs));
	size_t *alen = calloc(npeers, sizeof(*alen)), i, j;
	uint8_t *store = malloc(npeers * 512);
	uint32_t seq = 0, ts = 1700000000;
	int err = 0;

	if (pidx == NULL || orig == NULL || pids == NULL || attrs == NULL ||
	    alen == NULL || store == NULL || npeers == 0 || npeers > 64)
		return 1;
	make_peers(&ps, npeers);
	if ((w = manrs_mrt_writer_new(stdout, &err)) == NULL)
		return 1;
	err = manrs_mrt_write_peer_index(w, ts, cid, "manrs-gen", ps.p,
	    ps.n);
	for (i = 0; i < n4 + n6 && err == 0; i++) {
		struct manrs_prefix p;
		bool v6 = i >= n4;
		size_t k = 0;

		prefix_of(v6 ? i - n4 : i, v6, &p);
		for (j = 0; j < npeers; j++) {
			/* every peer is a full feed of both families */
			pidx[k] = (uint16_t)j;
			orig[k] = ts - 1 - (uint32_t)(mix(i * 31 + j) %
			    8000000);
			pids[k] = (uint32_t)j + 1;
			attrs[k] = store + 512 * k;
			alen[k] = make_attrs(attrs[k], v6 ? i - n4 : i,
			    (unsigned)j, ps.p[j].asn, v6, true, v6 ?
			    ps.nh[j % 64] : ps.nh4[j % 64]);
			k++;
		}
		err = manrs_mrt_write_rib(w, ts, seq++, &p, k, pidx, orig,
		    addpath ? pids : NULL, (const uint8_t *const *)attrs,
		    alen);
	}
	if (manrs_mrt_writer_free(w) != 0 || err != 0)
		return 1;
	return 0;
}

static int
gen_updates(size_t n, size_t pool)
{
	struct manrs_mrt_writer *w;
	struct manrs_buf b;
	struct peerset ps;
	static const uint8_t me4[4] = { 198, 51, 100, 1 };
	uint8_t me6[16] = { 0x20, 0x01, 0x0d, 0xb8 }, attrs[512];
	uint32_t ts = 1700000000, usec = 0;
	size_t i;
	int err = 0;

	make_peers(&ps, 6);
	manrs_buf_init(&b, 0);
	if ((w = manrs_mrt_writer_new(stdout, &err)) == NULL)
		return 1;
	for (i = 0; i < ps.n && err == 0; i++)
		err = manrs_mrt_write_state(w, ts, (uint32_t)i, ps.p[i].asn,
		    65000, ps.p[i].af, ps.p[i].addr, ps.p[i].af ==
		    MANRS_AF_INET6 ? me6 : me4, 5, 6);
	for (i = 0; i < n && err == 0; i++) {
		struct manrs_prefix p;
		unsigned peer = (unsigned)(mix(i) % ps.n);
		bool v6 = ps.p[peer].af == MANRS_AF_INET6, wd;
		size_t alen;

		usec = (usec + 1 + (uint32_t)(mix(i + 5) % 300000)) % 1000000;
		if (usec < 300000)
			ts++;
		prefix_of(mix(i + 77) % pool, v6, &p);
		wd = mix(i + 3) % 5 == 0;
		alen = make_attrs(attrs, i, peer, ps.p[peer].asn, v6, false,
		    v6 ? ps.nh[peer] : ps.nh4[peer]);
		manrs_buf_reset(&b);
		err = manrs_bgp_encode_update(&b, wd, &p, 0, false, attrs,
		    alen, ps.nh[peer], 16);
		if (err == 0)
			err = manrs_mrt_write_message(w, ts, usec, i % 50 == 49,
			    ps.p[peer].asn, 65000, ps.p[peer].af,
			    ps.p[peer].addr, v6 ? me6 : me4, b.p, b.len);
	}
	manrs_buf_clear(&b);
	if (manrs_mrt_writer_free(w) != 0 || err != 0)
		return 1;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mrt_gen rib [-4 N] [-6 N] [-p PEERS] [-a] "
	    "[-s SEED]\n       mrt_gen updates [-n N] [-P POOL] [-s SEED]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	size_t n4 = 1000, n6 = 230, peers = 30, n = 10000, pool = 0;
	bool addpath = false;
	const char *mode;
	int c;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "4:6:p:as:n:P:")) != -1) {
		switch (c) {
		case '4': n4 = strtoul(optarg, NULL, 10); break;
		case '6': n6 = strtoul(optarg, NULL, 10); break;
		case 'p': peers = strtoul(optarg, NULL, 10); break;
		case 'a': addpath = true; break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'P': pool = strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "mrt_gen: refusing to write binary to a "
		    "terminal\n");
		return 2;
	}
	if (strcmp(mode, "rib") == 0)
		return gen_rib(n4, n6, peers, addpath);
	if (strcmp(mode, "updates") == 0)
		return gen_updates(n, pool != 0 ? pool : n / 3 + 1);
	usage();
	return 2;
}
