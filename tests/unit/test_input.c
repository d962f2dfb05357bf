/*
 * test_input.c - streaming plain/gzip/bzip2 input, lines, truncation.
 */
#include <bzlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"

static size_t
gz(const char *text, size_t n, uint8_t *out, size_t cap)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)text;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	deflateEnd(&zs);
	return cap - zs.avail_out;
}

static size_t
bz(const char *text, size_t n, uint8_t *out, size_t cap)
{
	unsigned int len = (unsigned int)cap;

	assert_int_equal(BZ2_bzBuffToBuffCompress((char *)out, &len,
	    (char *)(uintptr_t)text, (unsigned)n, 9, 0, 0), BZ_OK);
	return len;
}

static char *
slurp(struct manrs_input *in, int *last, size_t *total)
{
	char *all = malloc(1 << 20);
	ptrdiff_t n;

	*total = 0;
	while ((n = manrs_input_read(in, all + *total, 4096)) > 0)
		*total += (size_t)n;
	*last = (int)n;
	return all;
}

static void
check_roundtrip(enum manrs_input_kind kind)
{
	static uint8_t comp[1 << 20];
	char *text = malloc(300000), *got;
	struct manrs_input *in;
	size_t n = 0, clen, total;
	int err, last, i;

	for (i = 0; n < 290000; i++)
		n += (size_t)snprintf(text + n, 300000 - n, "line %d\n", i);
	if (kind == MANRS_INPUT_GZIP)
		clen = gz(text, n, comp, sizeof(comp));
	else if (kind == MANRS_INPUT_BZIP2)
		clen = bz(text, n, comp, sizeof(comp));
	else
		memcpy(comp, text, clen = n);

	in = manrs_input_mem(comp, clen, "mem", &err);
	assert_non_null(in);
	assert_int_equal(manrs_input_kind(in), kind);
	got = slurp(in, &last, &total);
	assert_int_equal(last, 0);
	assert_int_equal(total, n);
	assert_memory_equal(got, text, n);
	manrs_input_close(in);
	free(got);

	/* Truncated: all that decompresses, then MANRS_E_SHORT once. */
	if (kind != MANRS_INPUT_PLAIN) {
		in = manrs_input_mem(comp, clen / 2, "mem", &err);
		assert_non_null(in);
		got = slurp(in, &last, &total);
		assert_int_equal(last, MANRS_E_SHORT);
		assert_true(total < n);
		assert_memory_equal(got, text, total);
		assert_int_equal(manrs_input_read(in, got, 10), 0);
		manrs_input_close(in);
		free(got);
	}
	free(text);
}

static void
test_plain(void **state)
{
	(void)state;
	check_roundtrip(MANRS_INPUT_PLAIN);
}

static void
test_gzip(void **state)
{
	(void)state;
	check_roundtrip(MANRS_INPUT_GZIP);
}

static void
test_bzip2(void **state)
{
	(void)state;
	check_roundtrip(MANRS_INPUT_BZIP2);
}

static void
test_gzip_members(void **state)
{
	static uint8_t comp[4096];
	struct manrs_input *in;
	struct manrs_view l;
	size_t n;
	int err;

	(void)state;
	n = gz("a\nb\n", 4, comp, sizeof(comp));
	n += gz("c\n", 2, comp + n, sizeof(comp) - n);
	in = manrs_input_mem(comp, n, "m", &err);
	assert_non_null(in);
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_true(manrs_view_eq(l, "a"));
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_true(manrs_view_eq(l, "c"));
	assert_int_equal(manrs_input_lineno(in), 3);
	assert_int_equal(manrs_input_line(in, &l), 0);
	manrs_input_close(in);
}

static void
test_corrupt(void **state)
{
	static uint8_t comp[4096];
	struct manrs_input *in;
	char buf[64];
	size_t n;
	int err;

	(void)state;
	n = gz("hello hello hello hello\n", 24, comp, sizeof(comp));
	memset(comp + 10, 0xff, n - 18);	/* destroy the deflate data */
	in = manrs_input_mem(comp, n, "m", &err);
	assert_non_null(in);
	assert_true(manrs_input_read(in, buf, sizeof(buf)) < 0 ||
	    manrs_input_read(in, buf, sizeof(buf)) < 0);
	manrs_input_close(in);
}

static void
test_lines(void **state)
{
	const char *t = "one\r\ntwo\n\nlast-without-newline";
	struct manrs_input *in;
	struct manrs_view l;
	char *longl;
	int err;

	(void)state;
	in = manrs_input_mem(t, strlen(t), "m", &err);
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_true(manrs_view_eq(l, "one"));
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_true(manrs_view_eq(l, "two"));
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_int_equal(l.len, 0);
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_true(manrs_view_eq(l, "last-without-newline"));
	assert_int_equal(manrs_input_line(in, &l), 0);
	assert_int_equal(manrs_input_offset(in), strlen(t));
	manrs_input_close(in);

	/* A line over the limit is reported and skipped, not truncated. */
	longl = malloc(3000);
	memset(longl, 'x', 2000);
	memcpy(longl + 2000, "\nok\n", 5);
	in = manrs_input_mem(longl, strlen(longl), "m", &err);
	manrs_input_set_line_max(in, 1000);
	assert_int_equal(manrs_input_line(in, &l), MANRS_E_LIMIT);
	assert_int_equal(manrs_input_line(in, &l), 1);
	assert_true(manrs_view_eq(l, "ok"));
	assert_int_equal(manrs_input_lineno(in), 2);
	manrs_input_close(in);
	free(longl);
}

static void
test_open_errors(void **state)
{
	int err = 0;

	(void)state;
	assert_null(manrs_input_open("/nonexistent/file", &err));
	assert_int_equal(err, MANRS_E_IO);
}

static void
test_shared_truncated_bz2(void **state)
{
	char path[4096];
	struct manrs_input *in;
	static uint8_t buf[65536];
	ptrdiff_t n;
	uint64_t total = 0;
	int err;

	(void)state;
	if (shared_path("mrt/rib.20140523.0600_firstMB.bz2", path,
	    sizeof(path)) == NULL)
		skip();
	in = manrs_input_open(path, &err);
	assert_non_null(in);
	assert_int_equal(manrs_input_kind(in), MANRS_INPUT_BZIP2);
	while ((n = manrs_input_read(in, buf, sizeof(buf))) > 0)
		total += (uint64_t)n;
	/* The file is cut mid-block on purpose (PROVENANCE.md). */
	assert_int_equal(n, MANRS_E_SHORT);
	assert_true(total > 1000000);
	manrs_input_close(in);
}

/*
 * A stream cut inside a line: the complete lines, then the error in
 * place of the cut line (never the cut line as a "last line").
 */
static void
test_cut_line(void **state)
{
	static uint8_t comp[1 << 16];
	static char text[40000];
	struct manrs_input *in;
	struct manrs_view l;
	size_t n = 0, clen;
	int err, rc, kind, lines;

	(void)state;
	while (n < sizeof(text) - 100)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "route: 10.%zu.0.0/16 origin AS%zu\n", n % 256, n);
	for (kind = 0; kind < 2; kind++) {
		clen = kind == 0 ? gz(text, n, comp, sizeof(comp)) :
		    bz(text, n, comp, sizeof(comp));
		in = manrs_input_mem(comp, clen - 20, "m", &err);
		assert_non_null(in);
		lines = 0;
		while ((rc = manrs_input_line(in, &l)) == 1) {
			/* every line returned is whole */
			assert_true(l.len > 20);
			assert_true(l.p[l.len - 1] >= '0' &&
			    l.p[l.len - 1] <= '9');
			assert_non_null(memmem(text, n, l.p, l.len));
			assert_int_equal(text[(const char *)memmem(text, n,
			    l.p, l.len) - text + (ptrdiff_t)l.len], '\n');
			lines++;
		}
		assert_int_equal(rc, MANRS_E_SHORT);
		/* bzip2 yields nothing of a block it has not read whole */
		assert_true(lines > 0 || kind == 1);
		assert_int_equal(manrs_input_line(in, &l), 0);
		manrs_input_close(in);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_bzip2),
		cmocka_unit_test(test_gzip_members),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_cut_line),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_shared_truncated_bz2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
