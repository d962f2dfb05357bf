/*
 * test_rpsl.c - the RPSL reader: continuation lines (space, tab, "+"),
 * comments, case-insensitive names, classes, malformed objects reported
 * with file and line and skipped (exact messages), and truncated gzip /
 * bzip2 input (generated and the real RIPE dumps) ending with the read
 * error and never with a half-read object.
 */
#include <bzlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <manrs/rpsl.h>

#include "testutil.h"

struct diags {
	char	msg[8][600];
	int	n;
};

static void
collect(void *arg, const struct manrs_diag *d)
{
	struct diags *ds = arg;

	if (ds->n < 8)
		manrs_diag_format(d, ds->msg[ds->n++], sizeof(ds->msg[0]));
}

static struct manrs_rpsl_reader *
reader(const char *text, struct manrs_input **in, struct manrs_diag_sink *sink,
    struct diags *ds)
{
	struct manrs_rpsl_reader *r;
	int err;

	memset(sink, 0, sizeof(*sink));
	memset(ds, 0, sizeof(*ds));
	sink->fn = collect;
	sink->arg = ds;
	*in = manrs_input_mem(text, strlen(text), "t.db", &err);
	assert_non_null(*in);
	r = manrs_rpsl_reader_new(*in, sink, &err);
	assert_non_null(r);
	return r;
}

static void
test_continuation(void **state)
{
	static const char text[] =
	    "% comment before\n"
	    "# another\n"
	    "\n"
	    "AS-SET:  AS-Foo   # trailing comment\n"
	    "Members: AS1, AS2\n"
	    " AS3\n"
	    "\tAS4 # c\n"
	    "+\n"
	    "+ AS-BAR\n"
	    "# comment inside\n"
	    "source: TEST\n"
	    "\n\n"
	    "route6: 2001:db8::/32\n"
	    "origin: AS65000\n";
	struct manrs_rpsl_reader *r;
	const struct manrs_rpsl_obj *o;
	const struct manrs_rpsl_attr *a;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	struct diags ds;

	(void)state;
	r = reader(text, &in, &sink, &ds);
	assert_int_equal(manrs_rpsl_reader_next(r, &o), 1);
	assert_int_equal(o->cls, MANRS_RPSL_AS_SET);
	assert_true(manrs_view_eq(o->key, "AS-Foo"));
	assert_int_equal(o->line, 4);
	assert_int_equal(o->nattrs, 3);
	a = manrs_rpsl_obj_attr(o, "members");
	assert_non_null(a);
	assert_int_equal(a->line, 5);
	assert_true(manrs_view_eq(a->value, "AS1, AS2\nAS3\nAS4\nAS-BAR"));
	/* the text is kept exactly, comments included */
	assert_int_equal(o->text.len, strlen(text) - 28 - 40);
	assert_memory_equal(o->text.p, text + 28, o->text.len);
	assert_int_equal(manrs_rpsl_reader_next(r, &o), 1);
	assert_int_equal(o->cls, MANRS_RPSL_ROUTE6);
	assert_int_equal(o->line, 14);
	assert_int_equal(manrs_rpsl_reader_next(r, &o), 0);
	assert_int_equal(ds.n, 0);
	manrs_rpsl_reader_free(r);
	manrs_input_close(in);
}

static void
test_malformed(void **state)
{
	static const char text[] =
	    "route: 192.0.2.0/24\n"
	    "origin AS1\n"
	    "source: X\n"
	    "\n"
	    " continued: first\n"
	    "\n"
	    "bad name!: x\n"
	    "\n"
	    "aut-num:\n"
	    "\n"
	    "mntner: GOOD-MNT\n";
	struct manrs_rpsl_reader *r;
	const struct manrs_rpsl_obj *o;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	struct diags ds;

	(void)state;
	r = reader(text, &in, &sink, &ds);
	assert_int_equal(manrs_rpsl_reader_next(r, &o), 1);
	assert_int_equal(o->cls, MANRS_RPSL_MNTNER);
	assert_int_equal(o->line, 11);
	assert_int_equal(manrs_rpsl_reader_next(r, &o), 0);
	assert_int_equal(manrs_rpsl_reader_skipped(r), 4);
	assert_int_equal(ds.n, 4);
	assert_string_equal(ds.msg[0], "t.db: line 2: attribute line without "
	    "\":\" (RFC 2622 section 2); object starting at line 1 skipped");
	assert_string_equal(ds.msg[1], "t.db: line 5: continuation line "
	    "before any attribute (RFC 2622 section 2); object starting at "
	    "line 5 skipped");
	assert_string_equal(ds.msg[2], "t.db: line 7: invalid attribute name "
	    "(RFC 2622 section 2); object starting at line 7 skipped");
	assert_string_equal(ds.msg[3], "t.db: line 9: empty primary key "
	    "(RFC 2622 section 2); object starting at line 9 skipped");
	manrs_rpsl_reader_free(r);
	manrs_input_close(in);
}

static void
test_long_line(void **state)
{
	size_t n = MANRS_RPSL_LINE_MAX + 100;
	char *text = malloc(n + 200);
	struct manrs_rpsl_reader *r;
	const struct manrs_rpsl_obj *o;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	struct diags ds;

	(void)state;
	strcpy(text, "as-set: AS-X\nremarks: ");
	memset(text + strlen(text), 'x', n);
	strcpy(text + 22 + n, "\n\nas-set: AS-Y\n");
	r = reader(text, &in, &sink, &ds);
	assert_int_equal(manrs_rpsl_reader_next(r, &o), 1);
	assert_true(manrs_view_eq(o->key, "AS-Y"));
	assert_int_equal(ds.n, 1);
	assert_string_equal(ds.msg[0], "t.db: line 2: line longer than "
	    "MANRS_RPSL_LINE_MAX (RFC 2622 section 2); object starting at "
	    "line 1 skipped");
	manrs_rpsl_reader_free(r);
	manrs_input_close(in);
	free(text);
}

static void
test_classes(void **state)
{
	static const char *names[] = { "route", "route6", "aut-num", "as-set",
	    "route-set", "mntner", "person", "role", "organisation",
	    "inetnum", "inet6num" };
	struct manrs_view v, item;
	size_t i;
	int n = 0;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(manrs_rpsl_class_parse(V(names[i])), i + 1);
		assert_string_equal(manrs_rpsl_class_name(i + 1), names[i]);
	}
	assert_int_equal(manrs_rpsl_class_parse(V("ROUTE-SET")),
	    MANRS_RPSL_ROUTE_SET);
	assert_int_equal(manrs_rpsl_class_parse(V("filter-set")),
	    MANRS_RPSL_OTHER);
	v = V("AS1,AS2 ,\n AS3\t,,AS4");
	while (manrs_rpsl_list_next(&v, &item))
		n++;
	assert_int_equal(n, 4);
}

/* The real RIPE dumps: every object read, none malformed. */
static void
test_real_dump(void **state)
{
	char path[4096];
	struct manrs_rpsl_reader *r;
	const struct manrs_rpsl_obj *o;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	uint64_t n = 0;
	int err;

	(void)state;
	if (shared_path("irr/ripe.db.as-set.gz", path, sizeof(path)) == NULL)
		skip();
	memset(&sink, 0, sizeof(sink));
	in = manrs_input_open(path, &err);
	assert_non_null(in);
	r = manrs_rpsl_reader_new(in, &sink, &err);
	while (manrs_rpsl_reader_next(r, &o) == 1) {
		assert_int_equal(o->cls, MANRS_RPSL_AS_SET);
		n++;
	}
	/* PROVENANCE.md: 25,174 as-set objects */
	assert_int_equal(n, 25174);
	assert_int_equal(sink.errors, 0);
	manrs_rpsl_reader_free(r);
	manrs_input_close(in);
}

/* Compress n bytes of text as gzip or bzip2 into a new buffer. */
static uint8_t *
compress_text(const char *text, size_t n, bool bzip2, size_t *clen)
{
	size_t cap = n + n / 50 + 4096;
	uint8_t *out = malloc(cap);
	z_stream zs;
	unsigned int len = (unsigned int)cap;

	assert_non_null(out);
	if (bzip2) {
		assert_int_equal(BZ2_bzBuffToBuffCompress((char *)out, &len,
		    (char *)(uintptr_t)text, (unsigned)n, 9, 0, 0), BZ_OK);
		*clen = len;
		return out;
	}
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)text;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	deflateEnd(&zs);
	*clen = cap - zs.avail_out;
	return out;
}

/* The objects of a stream as read: FNV-1a of each object's text. */
struct objlist {
	uint64_t	*h;
	size_t		 n, cap;
	int		 last;		/* what ended the stream */
	int		 again;		/* the call after that */
	int		 errors;	/* diagnostics of severity error */
};

static uint64_t
fnv(struct manrs_view v)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < v.len; i++)
		h = (h ^ (uint8_t)v.p[i]) * 1099511628211ull;
	return h;
}

static void
read_objects(const uint8_t *p, size_t len, struct objlist *l,
    struct diags *ds)
{
	struct manrs_diag_sink sink;
	struct manrs_rpsl_reader *r;
	const struct manrs_rpsl_obj *o;
	struct manrs_input *in;
	int err, rc;

	memset(l, 0, sizeof(*l));
	memset(&sink, 0, sizeof(sink));
	memset(ds, 0, sizeof(*ds));
	sink.fn = collect;
	sink.arg = ds;
	in = manrs_input_mem(p, len, "dump.gz", &err);
	assert_non_null(in);
	r = manrs_rpsl_reader_new(in, &sink, &err);
	assert_non_null(r);
	while ((rc = manrs_rpsl_reader_next(r, &o)) == 1) {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 1024;
			l->h = realloc(l->h, l->cap * sizeof(*l->h));
			assert_non_null(l->h);
		}
		l->h[l->n++] = fnv(o->text);
	}
	l->last = rc;
	l->again = manrs_rpsl_reader_next(r, &o);
	l->errors = (int)sink.errors;
	manrs_rpsl_reader_free(r);
	manrs_input_close(in);
}

/*
 * Cut the compressed stream at several places: every object read must be
 * one of the complete stream's, in order, and the stream must end with
 * MANRS_E_SHORT (again on the next call), reported once with the line.
 */
static void
check_truncations(const char *text, size_t n, bool bzip2, size_t min_objs)
{
	static const unsigned pct[] = { 10, 37, 50, 83, 99 };
	struct objlist full, cut;
	struct diags ds;
	uint8_t *comp;
	size_t clen, i, k, len;

	comp = compress_text(text, n, bzip2, &clen);
	read_objects(comp, clen, &full, &ds);
	assert_int_equal(full.last, 0);
	assert_int_equal(full.errors, 0);
	assert_true(full.n >= min_objs);
	for (k = 0; k < sizeof(pct) / sizeof(pct[0]); k++) {
		len = clen * pct[k] / 100;
		read_objects(comp, len, &cut, &ds);
		assert_int_equal(cut.last, MANRS_E_SHORT);
		assert_int_equal(cut.again, MANRS_E_SHORT);
		assert_true(cut.n < full.n);
		for (i = 0; i < cut.n; i++)
			assert_true(cut.h[i] == full.h[i]);
		assert_int_equal(cut.errors, 1);
		assert_non_null(strstr(ds.msg[0], "dump.gz: line "));
		assert_non_null(strstr(ds.msg[0], "read failed after "));
		assert_non_null(strstr(ds.msg[0], "input ends early"));
		free(cut.h);
	}
	free(full.h);
	free(comp);
}

/* Generated objects with long multi-line values (so cuts land inside). */
static char *
gen_dump(size_t *len)
{
	size_t cap = 4u << 20, n = 0;
	char *t = malloc(cap);
	int i, j;

	assert_non_null(t);
	for (i = 0; n < cap - 4096; i++) {
		n += (size_t)snprintf(t + n, cap - n, "as-set: AS-GEN%d\n"
		    "members: AS%d", i, i);
		for (j = 1; j < 1 + i % 97; j++)
			n += (size_t)snprintf(t + n, cap - n, ",\n AS%d",
			    i * 131 + j * 7919);
		n += (size_t)snprintf(t + n, cap - n, "\nmnt-by: GEN-MNT\n"
		    "source: GEN\n\n");
	}
	*len = n;
	return t;
}

static void
test_truncated_generated(void **state)
{
	size_t n;
	char *t = gen_dump(&n);

	(void)state;
	check_truncations(t, n, false, 1000);
	check_truncations(t, n, true, 1000);
	free(t);
}

/* The real RIPE aut-num dump, as gzip (as shipped) and as bzip2. */
static void
test_truncated_real(void **state)
{
	char path[4096];
	struct manrs_input *in;
	size_t cap = 8u << 20, n = 0;
	char *t;
	ptrdiff_t k;
	int err;

	(void)state;
	if (shared_path("irr/ripe-nonauth.db.aut-num.gz", path,
	    sizeof(path)) == NULL)
		skip();
	in = manrs_input_open(path, &err);
	assert_non_null(in);
	t = malloc(cap);
	assert_non_null(t);
	while ((k = manrs_input_read(in, t + n, cap - n)) > 0)
		n += (size_t)k;
	assert_int_equal(k, 0);
	assert_true(n > 1000000 && n < cap);
	manrs_input_close(in);
	check_truncations(t, n, false, 1000);
	check_truncations(t, n, true, 1000);
	free(t);
}

/* A stream that is corrupt (not cut) ends with MANRS_E_CORRUPT. */
static void
test_corrupt_gzip(void **state)
{
	struct objlist l;
	struct diags ds;
	uint8_t *comp;
	size_t n, clen;
	char *t = gen_dump(&n);

	(void)state;
	comp = compress_text(t, n, false, &clen);
	memset(comp + clen / 2, 0x55, 64);
	read_objects(comp, clen, &l, &ds);
	/* (the bytes inflated before the CRC check may be garbage) */
	assert_int_equal(l.last, MANRS_E_CORRUPT);
	assert_int_equal(l.again, MANRS_E_CORRUPT);
	assert_true(l.errors >= 1);
	free(l.h);
	free(comp);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_real_dump),
		cmocka_unit_test(test_truncated_generated),
		cmocka_unit_test(test_truncated_real),
		cmocka_unit_test(test_corrupt_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
