/*
 * test_mrt.c - MRT reader, record views, route iterator, printer,
 * writer round trips, hostile records (exact diagnostics expected) and
 * the shared real archives.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

struct diags {
	char	 last[MANRS_DIAG_MSG_MAX + 64];
	int	 n;
};

static void
on_diag(void *arg, const struct manrs_diag *d)
{
	struct diags *ds = arg;

	manrs_diag_format(d, ds->last, sizeof(ds->last));
	ds->n++;
}

/* All "-m" lines of an in-memory archive into a malloc'd string. */
static char *
print_mem(const void *p, size_t len, const struct manrs_mrt_print_opts *o,
    struct diags *ds, size_t *nroutes)
{
	struct manrs_diag_sink sink = { on_diag, ds, 0, 0, 0 };
	struct manrs_input *in;
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_routes *it;
	struct manrs_mrt_printer *pr;
	struct manrs_mrt_route rt;
	struct manrs_buf b;
	char *s;
	int err;

	memset(ds, 0, sizeof(*ds));
	in = manrs_input_mem(p, len, "mem.mrt", &err);
	assert_non_null(in);
	rd = manrs_mrt_open_input(in, &sink, &err);
	assert_non_null(rd);
	it = manrs_mrt_routes_new(rd);
	pr = manrs_mrt_printer_new(o);
	manrs_buf_init(&b, 0);
	*nroutes = 0;
	while (manrs_mrt_route_next(it, &rt) > 0) {
		assert_int_equal(manrs_mrt_printer_route(pr, &b, &rt), 0);
		(*nroutes)++;
	}
	manrs_buf_put_u8(&b, 0);
	s = strdup((const char *)b.p);
	manrs_buf_clear(&b);
	manrs_mrt_printer_free(pr);
	manrs_mrt_routes_free(it);
	manrs_mrt_close(rd);
	return s;
}

static const struct manrs_mrt_print_opts opt_m = { .fmt = MANRS_MRT_FMT_M,
    .large = true, .unknown = true };

/* Writer -> reader: a RIB with two peers and an update file. */
static void
test_roundtrip(void **state)
{
	struct manrs_mrt_peer peers[2];
	struct manrs_mrt_writer *w;
	struct manrs_prefix p4, p6;
	struct manrs_buf msg;
	struct diags ds;
	static const uint8_t id[4] = { 10, 0, 0, 1 };
	static const uint8_t a4[] = { 0x40, 1, 1, 0, 0x40, 2, 6, 2, 1,
	    0, 0, 0xfd, 0xe8, 0x40, 3, 4, 192, 0, 2, 1 };
	static const uint8_t a6[] = { 0x40, 1, 1, 2, 0x40, 2, 10, 2, 2,
	    0, 0, 0xfd, 0xe9, 0, 1, 0x11, 0x70, 0x80, 14, 17, 16, 0x20, 1,
	    0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	const uint8_t *attrs[1];
	size_t alen[1], n;
	uint16_t pidx[1];
	uint32_t orig[1] = { 1600000000 }, pid[1] = { 42 };
	char *buf = NULL, *out;
	size_t blen = 0;
	FILE *fp;
	int err;

	(void)state;
	memset(peers, 0, sizeof(peers));
	peers[0].af = MANRS_AF_INET;
	memcpy(peers[0].addr, "\xc0\x00\x02\x01", 4);
	peers[0].asn = 65000;
	peers[1].af = MANRS_AF_INET6;
	memcpy(peers[1].addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02",
	    16);
	peers[1].asn = 4200000000U;
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/24"), 0, &p4), 0);
	assert_int_equal(manrs_prefix_parse(V("2001:db8:1::/48"), 0, &p6),
	    0);
	fp = open_memstream(&buf, &blen);
	w = manrs_mrt_writer_new(fp, &err);
	assert_non_null(w);
	assert_int_equal(manrs_mrt_write_peer_index(w, 1700000000, id, "v",
	    peers, 2), 0);
	attrs[0] = a4;
	alen[0] = sizeof(a4);
	pidx[0] = 0;
	assert_int_equal(manrs_mrt_write_rib(w, 1700000000, 0, &p4, 1, pidx,
	    orig, NULL, attrs, alen), 0);
	attrs[0] = a6;
	alen[0] = sizeof(a6);
	pidx[0] = 1;
	assert_int_equal(manrs_mrt_write_rib(w, 1700000000, 1, &p6, 1, pidx,
	    orig, pid, attrs, alen), 0);
	manrs_buf_init(&msg, 0);
	assert_int_equal(manrs_bgp_encode_update(&msg, false, &p4, 0, false,
	    a4, sizeof(a4), NULL, 0), 0);
	assert_int_equal(manrs_mrt_write_message(w, 1700000001, 5, false,
	    65000, 65001, MANRS_AF_INET, peers[0].addr, id, msg.p, msg.len),
	    0);
	manrs_buf_reset(&msg);
	assert_int_equal(manrs_bgp_encode_update(&msg, true, &p6, 0, false,
	    NULL, 0, NULL, 0), 0);
	assert_int_equal(manrs_mrt_write_message(w, 1700000002, 999999,
	    true, 4200000000U, 65001, MANRS_AF_INET6, peers[1].addr,
	    peers[1].addr, msg.p, msg.len), 0);
	assert_int_equal(manrs_mrt_write_state(w, 1700000003, 0, 65000,
	    65001, MANRS_AF_INET, peers[0].addr, id, 6, 1), 0);
	manrs_buf_clear(&msg);
	assert_int_equal(manrs_mrt_writer_free(w), 0);
	fclose(fp);

	out = print_mem(buf, blen, &opt_m, &ds, &n);
	assert_int_equal(n, 5);
	assert_int_equal(ds.n, 0);
	assert_string_equal(out,
	    "TABLE_DUMP2|1700000000|B|192.0.2.1|65000|192.0.2.0/24|65000|IGP|"
	    "192.0.2.1|0|0|||NAG|||\n"
	    "TABLE_DUMP2_AP|1700000000|B|2001:db8::2|4200000000|"
	    "2001:db8:1::/48|42|65001 70000|INCOMPLETE|2001:db8::2|0|0|||NAG"
	    "|||\n"
	    "BGP4MP_ET|1700000001.000005|A|192.0.2.1|65000|192.0.2.0/24|65000|"
	    "IGP|192.0.2.1|0|0|||NAG|||\n"
	    "BGP4MP_ET_LOCAL|1700000002.999999|W|2001:db8::2|4200000000|"
	    "2001:db8:1::/48\n"
	    "BGP4MP_ET|1700000003.000000|STATE|192.0.2.1|65000|6|1\n");
	free(out);
	free(buf);
}

/* A stream cut inside a record: complete records, then one warning. */
static void
test_truncated(void **state)
{
	uint8_t rec[12 + 20 + 4];
	uint8_t two[2 * sizeof(rec)];
	struct diags ds;
	size_t n;
	char *out;

	(void)state;
	memset(rec, 0, sizeof(rec));
	/* BGP4MP STATE_CHANGE (2-byte ASNs, IPv4): 20-byte body */
	rec[3] = 1;
	rec[5] = MANRS_MRT_BGP4MP;
	rec[11] = 20;
	rec[12 + 1] = 1;		/* peer AS 1 */
	rec[12 + 7] = 1;		/* AFI 1 */
	rec[12 + 8] = 10;		/* peer 10.0.0.0 */
	rec[12 + 17] = 1;		/* old 1 */
	rec[12 + 19] = 2;		/* new 2 */
	memcpy(two, rec, 32);
	memcpy(two + 32, rec, 32);
	out = print_mem(two, 32 + 20, &opt_m, &ds, &n);
	assert_int_equal(n, 1);
	assert_string_equal(out, "BGP4MP|1|STATE|10.0.0.0|1|1|2\n");
	assert_int_equal(ds.n, 1);
	assert_string_equal(ds.last, "mem.mrt: byte 32: warning: stream ends "
	    "inside a record: 8 of 20 bytes");
	free(out);
	/* header cut */
	out = print_mem(two, 32 + 5, &opt_m, &ds, &n);
	assert_int_equal(n, 1);
	assert_string_equal(ds.last, "mem.mrt: byte 32: warning: stream ends "
	    "inside an MRT header: 5 of 12 header bytes");
	free(out);
}

/* Corrupt records are skipped with their offset; reading goes on. */
static void
test_corrupt(void **state)
{
	uint8_t buf[256];
	size_t off = 0, n;
	struct diags ds;
	char *out;
	static const uint8_t state_rec[] = { 0, 0, 0, 1, 0, 16, 0, 0, 0, 0, 0,
	    20, 0, 1, 0, 2, 0, 0, 0, 1, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0,
	    6 };

	(void)state;
	/* BGP4MP MESSAGE whose BGP marker is wrong */
	memset(buf, 0, sizeof(buf));
	buf[3] = 1;
	buf[5] = MANRS_MRT_BGP4MP;
	buf[7] = MANRS_MRT_MESSAGE;
	buf[11] = 16 + 19;
	buf[12 + 7] = 1;
	memset(buf + 12 + 16, 0xff, 16);
	buf[12 + 16 + 3] = 0;
	buf[12 + 16 + 17] = 19;
	buf[12 + 16 + 18] = 4;
	off = 12 + 35;
	/* TABLE_DUMP_V2 RIB before any PEER_INDEX_TABLE */
	static const uint8_t rib[] = { 0, 0, 0, 1, 0, 13, 0, 2, 0, 0, 0, 16,
	    0, 0, 0, 0, 8, 10, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	memcpy(buf + off, rib, sizeof(rib));
	off += sizeof(rib);
	memcpy(buf + off, state_rec, sizeof(state_rec));
	off += sizeof(state_rec);
	out = print_mem(buf, off, &opt_m, &ds, &n);
	assert_int_equal(n, 1);
	assert_string_equal(out, "BGP4MP|1|STATE|10.0.0.1|1|1|6\n");
	assert_int_equal(ds.n, 2);
	assert_string_equal(ds.last, "mem.mrt: byte 47: RIB entry "
	    "skipped: peer index not in the PEER_INDEX_TABLE (RFC 6396 "
	    "section 4.3.4)");
	free(out);

	/* the bad marker alone */
	out = print_mem(buf, 47, &opt_m, &ds, &n);
	assert_int_equal(n, 0);
	assert_string_equal(ds.last, "mem.mrt: byte 0: record "
	    "skipped: BGP message has a bad marker or length (RFC 4271 4.1)");
	free(out);

	/* a length no record can have: reading stops with an error */
	memset(buf, 0, 12);
	buf[8] = 0x7f;
	out = print_mem(buf, 12, &opt_m, &ds, &n);
	assert_int_equal(n, 0);
	assert_string_equal(ds.last, "mem.mrt: byte 0: corrupt MRT "
	    "header: length 2130706432 exceeds 16777216 (RFC 6396 section 2); "
	    "cannot resynchronise");
	free(out);
}

/* manrs_mrt_ntop6() writes what bgpdump's fmt_ipv6() writes. */
static void
test_ntop6(void **state)
{
	static const char *cases[][2] = {
		{ "::", "::" }, { "::1", "::1" }, { "::2", "::0.0.0.2" },
		{ "::1.2.3.4", "::1.2.3.4" },
		{ "::ffff:1.2.3.4", "::ffff:1.2.3.4" },
		{ "::ffff:0:1.2.3.4", "::ffff:0:102:304" },
		{ "1::", "1::" }, { "1:0:2::3", "1:0:2::3" },
		{ "2001:db8::1:0:0:1", "2001:db8::1:0:0:1" },
		/* a single zero group is compressed (bgpdump, not RFC 5952) */
		{ "2001:668:0:3:ffff:0:adcd:39ea", "2001:668::3:ffff:0:adcd:39ea" },
		{ "2001:7f8:30::2:1:0:8447", "2001:7f8:30::2:1:0:8447" },
		{ "0:1:2:3:4:5:6:7", "::1:2:3:4:5:6:7" },
		{ "1:0:0:2:0:0:0:3", "1:0:0:2::3" },
		{ "fe80::", "fe80::" }, { "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
		{ "64:ff9b::192.0.2.1", "64:ff9b::c000:201" },
	};
	char got[MANRS_ADDR_STRLEN];
	uint8_t a[16], b[16];
	unsigned i, j, seed = 1;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(inet_pton(AF_INET6, cases[i][0], a), 1);
		manrs_mrt_ntop6(a, got);
		assert_string_equal(got, cases[i][1]);
	}
	/* random sparse addresses: every text parses back to the address */
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 16; j += 2) {
			seed = seed * 1103515245 + 12345;
			a[j] = (seed >> 16) % 3 == 0 ? (uint8_t)(seed >> 8) : 0;
			a[j + 1] = (seed >> 20) % 2 ? (uint8_t)(seed >> 3) : 0;
		}
		manrs_mrt_ntop6(a, got);
		assert_int_equal(inet_pton(AF_INET6, got, b), 1);
		assert_memory_equal(a, b, 16);
	}
}

/* The real archives: route counts bgpdump 1.6.2 prints ("-m" lines). */
static void
test_shared(void **state)
{
	static const struct { const char *file; size_t lines; } f[] = {
		{ "mrt/updates.20160811.1600.gz", 41234 },
		{ "mrt/bview.ipv6_unicast_add_path.gz", 62 },
		{ "mrt/bird-mrtdump_bgp", 24 },
		{ "mrt/rib.20140523.0600_firstMB.bz2", 270005 },
	};
	struct manrs_diag_sink sink;
	struct diags ds;
	char path[4096];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct manrs_mrt_reader *rd;
		struct manrs_mrt_routes *it;
		struct manrs_mrt_route rt;
		size_t n = 0;
		int err, rc;

		if (shared_path(f[i].file, path, sizeof(path)) == NULL)
			return;
		memset(&ds, 0, sizeof(ds));
		memset(&sink, 0, sizeof(sink));
		sink.fn = on_diag;
		sink.arg = &ds;
		rd = manrs_mrt_open(path, &sink, &err);
		assert_non_null(rd);
		it = manrs_mrt_routes_new(rd);
		while ((rc = manrs_mrt_route_next(it, &rt)) > 0)
			n++;
		assert_int_equal(rc, 0);
		assert_int_equal(n, f[i].lines);
		if (strstr(f[i].file, "firstMB") != NULL)
			assert_non_null(strstr(ds.last, "warning: stream ends "
			    "inside a record"));
		manrs_mrt_routes_free(it);
		manrs_mrt_close(rd);
	}
}

/* RIB_GENERIC and multicast RIBs: iterated, not printed by -m (bgpdump
 * 1.6.2 ignores them), printed as JSON. */
static void
test_generic(void **state)
{
	/* PEER_INDEX_TABLE: collector 10.0.0.9, no view, 1 peer (IPv4,
	 * AS4) 10.0.0.1 AS 65000 */
	static const uint8_t pit[] = { 0, 0, 0, 1, 0, 13, 0, 1, 0, 0, 0, 21,
	    10, 0, 0, 9, 0, 0, 0, 1, 2, 10, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0xfd,
	    0xe8 };
	/* RIB_GENERIC AFI 1 SAFI 2: 10.0.0.0/8, one entry, ORIGIN IGP */
	static const uint8_t gen[] = { 0, 0, 0, 1, 0, 13, 0, 6, 0, 0, 0, 23,
	    0, 0, 0, 0, 0, 1, 2, 8, 10, 0, 1, 0, 0, 0, 0, 0, 5, 0, 4, 0x40, 1,
	    1, 0 };
	/* RIB_IPV4_MULTICAST: 10.0.0.0/8 */
	static const uint8_t mc[] = { 0, 0, 0, 1, 0, 13, 0, 3, 0, 0, 0, 20,
	    0, 0, 0, 1, 8, 10, 0, 1, 0, 0, 0, 0, 0, 5, 0, 4, 0x40, 1, 1, 0 };
	static const struct manrs_mrt_print_opts json = {
	    .fmt = MANRS_MRT_FMT_JSON };
	uint8_t buf[sizeof(pit) + sizeof(gen) + sizeof(mc)];
	struct diags ds;
	size_t n;
	char *out;

	(void)state;
	memcpy(buf, pit, sizeof(pit));
	memcpy(buf + sizeof(pit), gen, sizeof(gen));
	memcpy(buf + sizeof(pit) + sizeof(gen), mc, sizeof(mc));
	out = print_mem(buf, sizeof(buf), &opt_m, &ds, &n);
	assert_int_equal(n, 2);
	assert_int_equal(ds.n, 0);
	assert_string_equal(out, "");
	free(out);
	out = print_mem(buf, sizeof(buf), &json, &ds, &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(out, "\"prefix\":\"10.0.0.0/8\",\"originated\":5,"
	    "\"as_path\":\"\",\"origin\":\"IGP\""));
	free(out);
}

struct collect {
	size_t	 n;
	uint32_t origin;
	uint32_t peer_as;
	uint32_t changed;
	char	 path[64];
};

static int
collect_cb(void *arg, const struct manrs_rib_route *r)
{
	struct collect *c = arg;

	c->n++;
	c->origin = r->origin_as;
	c->peer_as = r->peer_as;
	c->changed = r->last_change;
	manrs_bgp_aspath_print(r->aspath, r->aspath_len, c->path,
	    sizeof(c->path));
	return 0;
}

/* RIB view: a dump, then updates (replace, withdraw, session down). */
static void
test_rib_view(void **state)
{
	struct manrs_mrt_peer peers[2];
	struct manrs_mrt_writer *w;
	struct manrs_mrt_rib_view *v;
	struct manrs_prefix p, q;
	struct manrs_buf msg;
	struct collect c;
	static const uint8_t id[4] = { 10, 0, 0, 1 };
	/* AS_PATH 65000 65001 / 65010 65001 / 65000 65002 (2-byte, AS4) */
	static const uint8_t a1[] = { 0x40, 1, 1, 0, 0x40, 2, 10, 2, 2,
	    0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe9, 0x40, 3, 4, 10, 0, 0, 1 };
	static const uint8_t a2[] = { 0x40, 1, 1, 0, 0x40, 2, 10, 2, 2,
	    0, 0, 0xfd, 0xf2, 0, 0, 0xfd, 0xe9, 0x40, 3, 4, 10, 0, 0, 2 };
	static const uint8_t a3[] = { 0x40, 1, 1, 0, 0x40, 2, 10, 2, 2,
	    0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xea, 0x40, 3, 4, 10, 0, 0, 1 };
	const uint8_t *attrs[2] = { a1, a2 };
	size_t alen[2] = { sizeof(a1), sizeof(a2) }, routes, pfx, paths,
	    bytes;
	uint16_t pidx[2] = { 0, 1 };
	uint32_t orig[2] = { 100, 200 };
	char tmpl[] = "/tmp/test_mrt_ribXXXXXX";
	FILE *fp;
	int fd, err;

	(void)state;
	memset(peers, 0, sizeof(peers));
	peers[0].af = peers[1].af = MANRS_AF_INET;
	memcpy(peers[0].addr, "\x0a\x00\x00\x01", 4);
	memcpy(peers[1].addr, "\x0a\x00\x00\x02", 4);
	peers[0].asn = 65000;
	peers[1].asn = 65010;
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/24"), 0, &p), 0);
	assert_int_equal(manrs_prefix_parse(V("198.51.100.0/24"), 0, &q), 0);
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	w = manrs_mrt_writer_new(fp, &err);
	assert_int_equal(manrs_mrt_write_peer_index(w, 1000, id, NULL, peers,
	    2), 0);
	assert_int_equal(manrs_mrt_write_rib(w, 1000, 0, &p, 2, pidx, orig,
	    NULL, attrs, alen), 0);
	manrs_buf_init(&msg, 0);
	/* peer 0 withdraws p and announces q with another origin */
	assert_int_equal(manrs_bgp_encode_update(&msg, true, &p, 0, false,
	    NULL, 0, NULL, 0), 0);
	assert_int_equal(manrs_mrt_write_message(w, 2000, 0, false, 65000,
	    65100, MANRS_AF_INET, peers[0].addr, id, msg.p, msg.len), 0);
	manrs_buf_reset(&msg);
	assert_int_equal(manrs_bgp_encode_update(&msg, false, &q, 0, false,
	    a3, sizeof(a3), NULL, 0), 0);
	assert_int_equal(manrs_mrt_write_message(w, 2001, 0, false, 65000,
	    65100, MANRS_AF_INET, peers[0].addr, id, msg.p, msg.len), 0);
	manrs_buf_clear(&msg);
	assert_int_equal(manrs_mrt_writer_free(w), 0);
	fclose(fp);

	v = manrs_mrt_rib_view_new(&err);
	assert_non_null(v);
	assert_int_equal(manrs_mrt_rib_view_load(v, tmpl, NULL), 0);
	unlink(tmpl);
	memset(&c, 0, sizeof(c));
	manrs_mrt_rib_view_prefix(v, &p, collect_cb, &c);
	assert_int_equal(c.n, 1);		/* peer 0 withdrew it */
	assert_int_equal(c.peer_as, 65010);
	assert_int_equal(c.changed, 200);	/* originated time */
	assert_string_equal(c.path, "65010 65001");
	memset(&c, 0, sizeof(c));
	manrs_mrt_rib_view_origin(v, 65001, collect_cb, &c);
	assert_int_equal(c.n, 1);
	memset(&c, 0, sizeof(c));
	manrs_mrt_rib_view_origin(v, 65002, collect_cb, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.changed, 2001);
	assert_string_equal(c.path, "65000 65002");
	manrs_mrt_rib_view_stats(v, &routes, &pfx, &paths, &bytes);
	assert_int_equal(routes, 2);
	assert_int_equal(pfx, 2);
	assert_int_equal(paths, 3);	/* interned sets live as long as v */
	/* peer 1 leaves Established: its routes go (RFC 4271 8.2.2) */
	{
		struct manrs_mrt_record rec = { 3000, 0, MANRS_MRT_BGP4MP, 0,
		    NULL, 0, 0 };
		struct manrs_mrt_route st;

		memset(&st, 0, sizeof(st));
		st.kind = MANRS_MRT_ROUTE_STATE;
		st.rec = &rec;
		st.peer_af = MANRS_AF_INET;
		memcpy(st.peer_addr, peers[1].addr, 4);
		st.peer_as = 65010;
		st.old_state = 6;
		st.new_state = 1;
		assert_int_equal(manrs_mrt_rib_view_apply(v, &st), 0);
	}
	memset(&c, 0, sizeof(c));
	manrs_mrt_rib_view_prefix(v, &p, collect_cb, &c);
	assert_int_equal(c.n, 0);
	manrs_mrt_rib_view_stats(v, &routes, &pfx, &paths, &bytes);
	assert_int_equal(routes, 1);
	manrs_mrt_rib_view_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_ntop6),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_rib_view),
		cmocka_unit_test(test_generic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
