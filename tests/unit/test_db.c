/*
 * test_db.c - compiled snapshots (manrs/db.h): a database written and
 * mapped back answers every query byte for byte as the heap database
 * did; the header and provenance round-trip; damaged files are refused
 * with the reason (truncated at many lengths, wrong magic, wrong format
 * version, foreign byte order, header bytes overwritten, an index
 * pointing outside its section with the checksums made consistent);
 * every single byte overwritten is either refused at open or caught by
 * manrs_db_verify, and never read out of bounds (ASan); VRPs, ASPA and
 * router keys answer the same from a snapshot, a hostile index parent is
 * refused; the real RIPE dumps round-trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <manrs/db.h>

#include "testutil.h"
#include "db_digest.h"

static const char rpsl_a[] =
    "as-set: AS-TOP\n"
    "members: AS1, AS-MID, AS64500:AS-CUST\n"
    "mp-members: AS2\n"
    "\n"
    "as-set: AS-MID\n"
    "members: AS3, AS-TOP, AS-MISSING, B::AS-ONLYB\n"
    "\n"
    "as-set: AS64500:AS-CUST\n"
    "members: AS4\n"
    "mbrs-by-ref: CUST-MNT\n"
    "\n"
    "aut-num: AS5\n"
    "member-of: AS64500:AS-CUST\n"
    "mnt-by: CUST-MNT\n"
    "\n"
    "route: 192.0.2.0/24\n"
    "origin: AS1\n"
    "mnt-by: CUST-MNT\n"
    "member-of: RS-REF\n"
    "\n"
    "route: 192.0.2.128/25\n"
    "origin: AS1\n"
    "\n"
    "route: 10.0.0.0/8\n"
    "origin: AS2\n"
    "\n"
    "route6: 2001:db8::/32\n"
    "origin: AS1\n"
    "\n"
    "route-set: RS-TOP\n"
    "members: 192.0.2.0/24^+, RS-INNER^24-26\n"
    "mp-members: 2001:db8::/32^48, AS1\n"
    "\n"
    "route-set: RS-INNER\n"
    "members: 10.0.0.0/8^16\n"
    "\n"
    "route-set: RS-REF\n"
    "mbrs-by-ref: ANY\n"
    "\n"
    "mntner: CUST-MNT\n"
    "mnt-by: CUST-MNT\n";

static const char rpsl_b[] =
    "as-set: AS-ONLYB\n"
    "members: AS7\n"
    "\n"
    "as-set: AS-TOP\n"
    "members: AS6\n"
    "\n"
    "route: 192.0.2.0/24\n"
    "origin: AS6\n";

static struct manrs_irrdb *
build(void)
{
	struct manrs_irrdb *db;
	struct manrs_input *in;
	int err, a, b;

	db = manrs_irrdb_new(&err);
	assert_non_null(db);
	a = manrs_irrdb_source_add(db, "A");
	b = manrs_irrdb_source_add(db, "B");
	in = manrs_input_mem(rpsl_a, sizeof(rpsl_a) - 1, "a.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, a, in, NULL), 0);
	manrs_input_close(in);
	in = manrs_input_mem(rpsl_b, sizeof(rpsl_b) - 1, "b.db", &err);
	assert_int_equal(manrs_irrdb_load_input(db, b, in, NULL), 0);
	manrs_input_close(in);
	assert_int_equal(manrs_irrdb_finish(db), 0);
	return db;
}

static struct manrs_vrp_set *
build_vrps(void)
{
	static const char *const pfx[] = { "192.0.2.0/24", "192.0.2.0/24",
	    "10.0.0.0/8", "10.1.0.0/16", "2001:db8::/32", "2001:db8:1::/48" };
	static const uint8_t maxlen[] = { 24, 26, 16, 16, 48, 48 };
	static const uint32_t asn[] = { 1, 2, 2, 0, 1, 64496 };
	static const uint32_t prov[] = { 2, 3 };
	static const uint8_t ski[20] = { 1, 2, 3 };
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	struct manrs_vrp v;
	size_t i;

	assert_non_null(s);
	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		memset(&v, 0, sizeof(v));
		assert_int_equal(manrs_prefix_parse(V(pfx[i]), 0, &v.prefix),
		    0);
		v.maxlen = maxlen[i];
		v.asn = asn[i];
		assert_int_equal(manrs_vrp_add(s, &v), 0);
	}
	assert_int_equal(manrs_vrp_aspa_add(s, 1, prov, 2), 0);
	assert_int_equal(manrs_vrp_rkey_add(s, 64496, ski,
	    (const uint8_t *)"spki-bytes", 10), 0);
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	return s;
}

static const struct manrs_vrp_set *snap_vrps;	/* for snapshot() */

/* Write db as a snapshot into 8-byte-aligned heap memory. */
static uint64_t *
snapshot(const struct manrs_irrdb *db, size_t *len)
{
	struct manrs_db_input in[2];
	struct manrs_db_contents c;
	uint64_t *mem;
	FILE *fp;
	long n;

	memset(in, 0, sizeof(in));
	strlcpy(in[0].source, "A", sizeof(in[0].source));
	manrs_provenance_init(&in[0].prov, "irr", "a.db");
	in[0].prov.records = 9;
	in[0].prov.time = 1700000000;
	manrs_provenance_init(&in[1].prov, "vrps", "vrps.json");
	in[1].prov.has_expiry = true;
	memset(&c, 0, sizeof(c));
	c.irrdb = db;
	c.vrps = snap_vrps;
	c.inputs = in;
	c.ninputs = 2;
	c.build_time = 1764600000;
	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(manrs_db_write(fp, &c), 0);
	n = ftell(fp);
	assert_true(n >= 4096 && n % 64 == 0);
	mem = calloc((size_t)n / 8 + 1, 8);
	assert_non_null(mem);
	rewind(fp);
	assert_int_equal(fread(mem, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return mem;
}

static void
digest_eq(const struct manrs_irrdb *x, const struct manrs_irrdb *y)
{
	struct manrs_buf a, b;

	manrs_buf_init(&a, 0);
	manrs_buf_init(&b, 0);
	db_digest(x, &a);
	db_digest(y, &b);
	assert_true(a.len > 1000);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.p, b.p, a.len);
	manrs_buf_clear(&a);
	manrs_buf_clear(&b);
}

static void
test_roundtrip(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_db_input in;
	struct manrs_db *sn;
	uint64_t *mem;
	size_t len;
	char why[256];
	int err;

	(void)state;
	mem = snapshot(db, &len);
	sn = manrs_db_open_mem(mem, len, why, sizeof(why), &err);
	assert_non_null(sn);
	assert_int_equal(manrs_db_verify(sn, why, sizeof(why)), 0);
	assert_int_equal(manrs_db_version(sn), MANRS_DB_VERSION);
	assert_int_equal(manrs_db_build_time(sn), 1764600000);
	assert_int_equal(manrs_db_input_count(sn), 2);
	assert_int_equal(manrs_db_input(sn, 0, &in), 0);
	assert_string_equal(in.source, "A");
	assert_string_equal(in.prov.path, "a.db");
	assert_int_equal(in.prov.records, 9);
	assert_int_equal(in.prov.time, 1700000000);
	assert_int_equal(manrs_db_input(sn, 1, &in), 0);
	assert_string_equal(in.prov.kind, "vrps");
	assert_true(in.prov.has_expiry);
	assert_int_equal(manrs_db_input(sn, 2, &in), MANRS_E_NOTFOUND);
	digest_eq(db, manrs_db_irrdb(sn));
	manrs_db_close(sn);
	free(mem);
	manrs_irrdb_free(db);
}

static void
expect_refused(const void *p, size_t len, const char *reason)
{
	struct manrs_db *sn;
	char why[256];
	int err;

	why[0] = '\0';
	sn = manrs_db_open_mem(p, len, why, sizeof(why), &err);
	if (sn != NULL)
		fail_msg("opened, expected \"%s\"", reason);
	assert_int_equal(err, MANRS_E_FORMAT);
	if (strstr(why, reason) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", why, reason);
}

static void expect_refused(const void *p, size_t len, const char *reason);

static void
vrp_digest_eq(const struct manrs_vrp_set *x, const struct manrs_vrp_set *y)
{
	struct manrs_buf a, b;

	manrs_buf_init(&a, 0);
	manrs_buf_init(&b, 0);
	vrp_digest(x, &a);
	vrp_digest(y, &b);
	assert_true(a.len > 1000);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.p, b.p, a.len);
	manrs_buf_clear(&a);
	manrs_buf_clear(&b);
}

/* VRPs, ASPA and router keys: ROV answers the same from the snapshot;
 * a hostile parent link (CRCs made consistent) is refused. */
static void
test_vrps(void **state)
{
	struct manrs_vrp_set *vs = build_vrps();
	struct manrs_db_section_info si;
	struct manrs_db *sn;
	uint64_t *mem;
	uint32_t bad = 0x7fffffu;
	size_t len, i, node4 = 0;
	char why[256];
	int err;

	(void)state;
	snap_vrps = vs;
	mem = snapshot(NULL, &len);
	sn = manrs_db_open_mem(mem, len, why, sizeof(why), &err);
	if (sn == NULL)
		fail_msg("%s", why);
	assert_null(manrs_db_irrdb(sn));
	assert_non_null(manrs_db_vrps(sn));
	assert_int_equal(manrs_db_verify(sn, why, sizeof(why)), 0);
	vrp_digest_eq(vs, manrs_db_vrps(sn));
	for (i = 0; manrs_db_section(sn, i, &si) == 0; i++)
		if (strcmp(si.name, "VRP_NODE4") == 0)
			node4 = si.offset;
	manrs_db_close(sn);
	assert_true(node4 > 0);
	/* node 1's parent (at byte 8 of the 24-byte node) */
	memcpy((uint8_t *)mem + node4 + 24 + 8, &bad, 4);
	expect_refused(mem, len, "bad length or parent");
	free(mem);
	snap_vrps = NULL;
	manrs_vrp_set_free(vs);
}

static void
test_truncated(void **state)
{
	struct manrs_irrdb *db = build();
	uint64_t *mem;
	size_t len, cut;

	(void)state;
	mem = snapshot(db, &len);
	expect_refused(mem, 0, "truncated");
	expect_refused(mem, 100, "truncated");
	expect_refused(mem, 4095, "truncated");
	for (cut = 4096; cut < len; cut += 64)
		expect_refused(mem, cut, "truncated");
	expect_refused(mem, len - 1, "truncated");
	free(mem);
	manrs_irrdb_free(db);
}

static void fix_header(uint8_t *b);

static void
test_header(void **state)
{
	struct manrs_irrdb *db = build();
	uint8_t *b;
	uint64_t *mem;
	uint32_t v;
	size_t len;

	(void)state;
	mem = snapshot(db, &len);
	b = (uint8_t *)mem;
	/* wrong version */
	memcpy(&v, b + 12, 4);
	assert_int_equal(v, MANRS_DB_VERSION);
	v = MANRS_DB_VERSION + 1;
	memcpy(b + 12, &v, 4);
	expect_refused(mem, len, "format version 2");
	v = MANRS_DB_VERSION;
	memcpy(b + 12, &v, 4);
	/* foreign byte order: the mark as the other order writes it */
	v = 0x04030201u;
	memcpy(b + 8, &v, 4);
	expect_refused(mem, len, "other byte order");
	v = 0x01020304u;
	memcpy(b + 8, &v, 4);
	/* wrong magic */
	b[0] ^= 0x20;
	expect_refused(mem, len, "bad magic");
	b[0] ^= 0x20;
	/* any other header or section-table byte overwritten */
	b[40] ^= 1;
	expect_refused(mem, len, "header checksum");
	b[40] ^= 1;
	b[64 + 20] ^= 0x80;	/* a section's offset */
	expect_refused(mem, len, "header checksum");
	b[64 + 20] ^= 0x80;
	/* another build's input record layout, checksum made consistent */
	memcpy(&v, b + 40, 4);
	v += 8;
	memcpy(b + 40, &v, 4);
	fix_header(b);
	expect_refused(mem, len, "another layout");
	free(mem);
	manrs_irrdb_free(db);
}

/* Recompute the header CRC (as a forger would) after editing. */
static void
fix_header(uint8_t *b)
{
	uint32_t c;

	memset(b + 36, 0, 4);
	c = (uint32_t)crc32_z(0, b, 4096);
	memcpy(b + 36, &c, 4);
}

static void
test_hostile_index(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_db_section_info si;
	struct manrs_db *sn;
	uint64_t *mem;
	uint8_t *b;
	uint32_t bad = 0x7fffffffu;
	size_t len, i, objs = 0, routes = 0;
	char why[256];
	int err;

	(void)state;
	mem = snapshot(db, &len);
	b = (uint8_t *)mem;
	sn = manrs_db_open_mem(mem, len, why, sizeof(why), &err);
	assert_non_null(sn);
	for (i = 0; manrs_db_section(sn, i, &si) == 0; i++) {
		if (strcmp(si.name, "IRR_OBJS") == 0)
			objs = si.offset;
		if (strcmp(si.name, "IRR_ROUTES") == 0)
			routes = si.offset;
	}
	manrs_db_close(sn);
	assert_true(objs > 0 && routes > 0);
	/* An object's text length past the text section. */
	memcpy(b + objs + 8, &bad, 4);
	expect_refused(mem, len, "text out of bounds");
	free(mem);
	mem = snapshot(db, &len);
	b = (uint8_t *)mem;
	/* A route's object index (after its 20-byte prefix). */
	memcpy(b + routes + 24, &bad, 4);
	expect_refused(mem, len, "route 0");
	/* A section moved past the end, CRC fixed: bounds, not CRC. */
	free(mem);
	mem = snapshot(db, &len);
	b = (uint8_t *)mem;
	memcpy(b + 64 + 8, &len, 8);
	fix_header(b);
	expect_refused(mem, len, "outside the file");
	free(mem);
	/* A name table with no empty slot: a lookup would never end. */
	mem = snapshot(db, &len);
	b = (uint8_t *)mem;
	sn = manrs_db_open_mem(mem, len, why, sizeof(why), &err);
	assert_non_null(sn);
	for (i = 0; manrs_db_section(sn, i, &si) == 0; i++)
		if (strcmp(si.name, "IRR_SLOTS") == 0)
			break;
	assert_int_equal(manrs_db_section(sn, i, &si), 0);
	manrs_db_close(sn);
	for (i = 0; i < si.length; i += 16)
		memset(b + si.offset + i + 4, 0, 12);	/* id 0, string 0 */
	expect_refused(mem, len, "no empty slot");
	free(mem);
	manrs_irrdb_free(db);
}

static bool
in_section(const struct manrs_db *sn, size_t i)
{
	struct manrs_db_section_info si;
	size_t k;

	if (i < 4096)
		return true;
	for (k = 0; manrs_db_section(sn, k, &si) == 0; k++)
		if (i >= si.offset && i < si.offset + si.length)
			return true;
	return false;
}

/* Every byte overwritten: refused, or opened and then verify fails. */
static void
test_every_byte(void **state)
{
	struct manrs_irrdb *db = build();
	struct manrs_vrp_set *vs = build_vrps();
	struct manrs_buf d;
	struct manrs_db *sn;
	uint64_t *mem;
	uint8_t *b, old;
	size_t len, i, opened = 0;
	char why[256];
	int err;

	(void)state;
	snap_vrps = vs;
	mem = snapshot(db, &len);
	snap_vrps = NULL;
	b = (uint8_t *)mem;
	manrs_buf_init(&d, 0);
	for (i = 0; i < len; i++) {
		old = b[i];
		b[i] = (uint8_t)~old;
		sn = manrs_db_open_mem(mem, len, why, sizeof(why), &err);
		if (sn != NULL) {
			opened++;
			/* Queries on what opened stay in bounds (ASan). */
			manrs_buf_reset(&d);
			if (manrs_db_irrdb(sn) != NULL)
				db_digest(manrs_db_irrdb(sn), &d);
			if (manrs_db_vrps(sn) != NULL)
				vrp_digest(manrs_db_vrps(sn), &d);
			/* Only the padding between sections is not covered. */
			if (manrs_db_verify(sn, why, sizeof(why)) == 0 &&
			    in_section(sn, i))
				fail_msg("byte %zu changed, verify passed", i);
			manrs_db_close(sn);
		}
		b[i] = old;
	}
	assert_true(opened > 0);
	manrs_buf_clear(&d);
	free(mem);
	manrs_vrp_set_free(vs);
	manrs_irrdb_free(db);
}

/* The irrdb taken with its mapping: freeing it closes the snapshot. */
static void
test_take(void **state)
{
	struct manrs_irrdb *db = build(), *irr;
	struct manrs_vrp_set *vs;
	struct manrs_db *sn;
	char snap[] = "/tmp/manrs-test-db-XXXXXX", why[256];
	uint64_t *mem;
	size_t len;
	FILE *fp;
	int fd, err;

	(void)state;
	mem = snapshot(db, &len);
	fd = mkstemp(snap);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_int_equal(fwrite(mem, 1, len, fp), len);
	fclose(fp);
	sn = manrs_db_open(snap, why, sizeof(why), &err);
	unlink(snap);
	assert_non_null(sn);
	irr = manrs_db_take_irrdb(sn);
	assert_non_null(irr);
	digest_eq(db, irr);
	manrs_irrdb_free(irr);	/* unmaps; ASan: nothing leaks */
	/* The VRP set taken the same way. */
	free(mem);
	snap_vrps = build_vrps();
	mem = snapshot(db, &len);
	strlcpy(snap, "/tmp/manrs-test-db-XXXXXX", sizeof(snap));
	fd = mkstemp(snap);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_int_equal(fwrite(mem, 1, len, fp), len);
	fclose(fp);
	sn = manrs_db_open(snap, why, sizeof(why), &err);
	unlink(snap);
	assert_non_null(sn);
	vs = manrs_db_take_vrps(sn);
	assert_non_null(vs);
	vrp_digest_eq(snap_vrps, vs);
	manrs_vrp_set_free(vs);	/* unmaps, frees the irrdb part too */
	manrs_vrp_set_free((struct manrs_vrp_set *)(uintptr_t)snap_vrps);
	snap_vrps = NULL;
	free(mem);
	manrs_irrdb_free(db);
}

static void
test_real(void **state)
{
	struct manrs_irrdb *db;
	struct manrs_db_contents c;
	struct manrs_db *sn;
	static const char *const files[] = { "irr/ripe.db.as-set.gz",
	    "irr/ripe-nonauth.db.aut-num.gz", "irr/ripe-nonauth.db.route.gz" };
	char path[4096], snap[] = "/tmp/manrs-test-db-XXXXXX", why[256];
	FILE *fp;
	size_t i;
	int err, fd;

	(void)state;
	if (shared_path(files[0], path, sizeof(path)) == NULL)
		skip();
	db = manrs_irrdb_new(&err);
	assert_int_equal(manrs_irrdb_source_add(db, "RIPE"), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_non_null(shared_path(files[i], path, sizeof(path)));
		assert_int_equal(manrs_irrdb_load(db, 0, path, NULL), 0);
	}
	assert_int_equal(manrs_irrdb_finish(db), 0);
	fd = mkstemp(snap);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w+");
	memset(&c, 0, sizeof(c));
	c.irrdb = db;
	assert_int_equal(manrs_db_write(fp, &c), 0);
	fclose(fp);
	sn = manrs_db_open(snap, why, sizeof(why), &err);
	unlink(snap);
	if (sn == NULL)
		fail_msg("%s", why);
	assert_int_equal(manrs_db_verify(sn, why, sizeof(why)), 0);
	digest_eq(db, manrs_db_irrdb(sn));
	manrs_db_close(sn);
	manrs_irrdb_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_hostile_index),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_vrps),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
