/*
 * test_util.c - reader, buf, views, arena, diagnostics.
 */
#include <stddef.h>
#include <string.h>

#include "testutil.h"

static void
test_reader_basic(void **state)
{
	const uint8_t b[] = { 1, 0x02, 0x03, 0xde, 0xad, 0xbe, 0xef, 9, 9,
	    1, 2, 3, 4, 5, 6, 7, 8 };
	struct manrs_reader r, sub;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	manrs_reader_init(&r, b, sizeof(b), 100);
	assert_int_equal(manrs_reader_u8(&r, &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(manrs_reader_u16(&r, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(manrs_reader_u32(&r, &u32), 0);
	assert_int_equal(u32, 0xdeadbeef);
	assert_int_equal(manrs_reader_pos(&r), 107);
	assert_int_equal(manrs_reader_sub(&r, 2, &sub), 0);
	assert_int_equal(sub.base, 107);
	assert_int_equal(manrs_reader_left(&sub), 2);
	assert_int_equal(manrs_reader_u64(&r, &u64), 0);
	assert_true(u64 == 0x0102030405060708ULL);
	assert_int_equal(manrs_reader_end(&r), 0);
	/* The sub-reader cannot read past its own field. */
	assert_int_equal(manrs_reader_u16(&sub, &u16), 0);
	assert_int_equal(manrs_reader_u8(&sub, &u8), MANRS_E_SHORT);
}

static void
test_reader_sticky(void **state)
{
	const uint8_t b[] = { 1, 2, 3 };
	struct manrs_reader r, sub;
	uint32_t u32;
	uint8_t u8;
	const uint8_t *p;

	(void)state;
	manrs_reader_init(&r, b, sizeof(b), 0);
	assert_int_equal(manrs_reader_u32(&r, &u32), MANRS_E_SHORT);
	/* Sticky: even a 1-byte read fails now, and nothing moved. */
	assert_int_equal(manrs_reader_u8(&r, &u8), MANRS_E_SHORT);
	assert_int_equal(r.off, 0);
	assert_int_equal(manrs_reader_end(&r), MANRS_E_SHORT);

	manrs_reader_init(&r, b, sizeof(b), 0);
	assert_int_equal(manrs_reader_sub(&r, 4, &sub), MANRS_E_SHORT);
	assert_int_equal(manrs_reader_left(&sub), 0);
	manrs_reader_init(&r, b, sizeof(b), 0);
	assert_int_equal(manrs_reader_bytes(&r, SIZE_MAX, &p), MANRS_E_SHORT);
	manrs_reader_init(&r, b, sizeof(b), 0);
	assert_int_equal(manrs_reader_skip(&r, 1), 0);
	assert_int_equal(manrs_reader_end(&r), MANRS_E_TRAILING);
	manrs_reader_init(&r, NULL, 10, 0);
	assert_int_equal(manrs_reader_left(&r), 0);
}

static void
test_buf(void **state)
{
	struct manrs_buf b;
	int i;

	(void)state;
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_buf_put_u16(&b, 0x0102), 0);
	assert_int_equal(manrs_buf_put_u32(&b, 0x03040506), 0);
	assert_int_equal(manrs_buf_put_u64(&b, 0x0708090a0b0c0d0eULL), 0);
	assert_int_equal(b.len, 14);
	assert_int_equal(b.p[0], 1);
	assert_int_equal(b.p[13], 0x0e);
	assert_int_equal(manrs_buf_patch_u16(&b, 0, 0xaabb), 0);
	assert_int_equal(b.p[0], 0xaa);
	assert_int_equal(manrs_buf_patch_u32(&b, 12, 1), MANRS_E_INVAL);
	manrs_buf_reset(&b);
	for (i = 0; i < 1000; i++)
		assert_int_equal(manrs_buf_printf(&b, "%d,", i), 0);
	assert_int_equal(memcmp(b.p, "0,1,2,", 6), 0);
	manrs_buf_consume(&b, 2);
	assert_int_equal(memcmp(b.p, "1,2,", 4), 0);
	manrs_buf_clear(&b);

	/* A hard cap: the write that would pass it fails and sticks. */
	manrs_buf_init(&b, 8);
	assert_int_equal(manrs_buf_puts(&b, "12345678"), 0);
	assert_int_equal(manrs_buf_put_u8(&b, 9), MANRS_E_LIMIT);
	assert_int_equal(b.len, 8);
	assert_int_equal(manrs_buf_put_u8(&b, 9), MANRS_E_LIMIT);
	manrs_buf_clear(&b);
}

static void
test_html_str(void **state)
{
	struct manrs_buf b;

	(void)state;
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_buf_put_html_str(&b,
	    "a<b>&\"c'\xc3\xa9"), 0);
	assert_int_equal(manrs_buf_put_html_str(&b, NULL), 0);
	assert_int_equal(manrs_buf_put_html_str(&b, ""), 0);
	assert_int_equal(manrs_buf_put_html_str(&b, "&amp;"), 0);
	assert_int_equal(manrs_buf_put_u8(&b, 0), 0);
	assert_string_equal((char *)b.p,
	    "a&lt;b&gt;&amp;&quot;c'\xc3\xa9&amp;amp;");
	manrs_buf_clear(&b);

	/* The buffer's error comes back. */
	manrs_buf_init(&b, 3);
	assert_int_equal(manrs_buf_put_html_str(&b, "<"), MANRS_E_LIMIT);
	manrs_buf_clear(&b);
}

static void
test_errf(void **state)
{
	char m[8] = "old";

	(void)state;
	assert_int_equal(manrs_errf(m, sizeof(m), MANRS_E_SYNTAX,
	    "part %s: %d", "ab", 42), MANRS_E_SYNTAX);
	assert_string_equal(m, "part ab");	/* cut to fit */
	assert_int_equal(manrs_errf(m, sizeof(m), MANRS_E_FORMAT, "x"),
	    MANRS_E_FORMAT);
	assert_string_equal(m, "x");
	assert_int_equal(manrs_errf(NULL, 10, MANRS_E_FORMAT, "y"),
	    MANRS_E_FORMAT);
	assert_int_equal(manrs_errf(m, 0, MANRS_E_SYNTAX, "z"),
	    MANRS_E_SYNTAX);
	assert_string_equal(m, "x");
}

static void
test_hexval(void **state)
{
	(void)state;
	assert_int_equal(manrs_hexval('0'), 0);
	assert_int_equal(manrs_hexval('9'), 9);
	assert_int_equal(manrs_hexval('a'), 10);
	assert_int_equal(manrs_hexval('F'), 15);
	assert_int_equal(manrs_hexval('g'), -1);
	assert_int_equal(manrs_hexval('/'), -1);
	assert_int_equal(manrs_hexval('\0'), -1);
}

static void
test_view(void **state)
{
	struct manrs_view v, h, t, tok;
	uint32_t u32;
	uint64_t u64;
	int n;

	(void)state;
	v = manrs_view_trim(V("  \tabc def \r\n"));
	assert_true(manrs_view_eq(v, "abc def"));
	assert_true(manrs_view_caseeq(V("AS-Foo"), "as-foo"));
	assert_false(manrs_view_caseeq(V("AS-Foo"), "as-fo"));
	assert_true(manrs_view_case_starts_with(V("Route6:"), "route"));
	assert_true(manrs_view_split(V("a:b:c"), ':', &h, &t));
	assert_true(manrs_view_eq(h, "a") && manrs_view_eq(t, "b:c"));
	assert_false(manrs_view_split(V("abc"), ':', &h, &t));
	assert_true(manrs_view_eq(h, "abc") && t.len == 0);

	v = V(" one  two\tthree ");
	n = 0;
	while (manrs_view_token(&v, &tok))
		n++;
	assert_int_equal(n, 3);

	v = V("a,,b,");
	n = 0;
	while (manrs_view_field(&v, ",", false, &tok))
		n++;
	assert_int_equal(n, 4);
	v = V("a,,b,");
	n = 0;
	while (manrs_view_field(&v, ",", true, &tok))
		n++;
	assert_int_equal(n, 2);

	assert_int_equal(manrs_view_u32(V("4294967295"), UINT32_MAX, &u32), 0);
	assert_true(u32 == UINT32_MAX);
	assert_int_equal(manrs_view_u32(V("4294967296"), UINT32_MAX, &u32),
	    MANRS_E_RANGE);
	assert_int_equal(manrs_view_u64(V("18446744073709551615"), UINT64_MAX,
	    &u64), 0);
	assert_int_equal(manrs_view_u64(V("18446744073709551616"), UINT64_MAX,
	    &u64), MANRS_E_RANGE);
	assert_int_equal(manrs_view_u32(V("-1"), 10, &u32), MANRS_E_SYNTAX);
	assert_int_equal(manrs_view_u32(V(""), 10, &u32), MANRS_E_SYNTAX);
	assert_int_equal(manrs_view_u32(V("1 "), 10, &u32), MANRS_E_SYNTAX);
	assert_int_equal(manrs_view_u32(V("11"), 10, &u32), MANRS_E_RANGE);
}

static void
test_view_copy(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(manrs_view_copy(V("abc"), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "abc");
	assert_int_equal(manrs_view_copy(V("abcd"), buf, sizeof(buf)),
	    MANRS_E_LIMIT);
}

static void
test_arena(void **state)
{
	struct manrs_arena *a;
	char *s, *big;
	int i;

	(void)state;
	a = manrs_arena_new(4096);
	assert_non_null(a);
	for (i = 0; i < 10000; i++) {
		uint8_t *p = manrs_arena_alloc(a, 24);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xa5, 24);
	}
	big = manrs_arena_zalloc(a, 100000);
	assert_non_null(big);
	assert_int_equal(big[99999], 0);
	s = manrs_arena_strndup(a, "hello world", 5);
	assert_string_equal(s, "hello");
	assert_true(manrs_arena_size(a) >= 10000 * 32 + 100000);
	manrs_arena_free(a);
	manrs_arena_free(NULL);

	/* A small load in a big-block arena costs kilobytes (blocks start
	 * small and double), and big loads still reach full blocks. */
	a = manrs_arena_new(4u << 20);
	assert_non_null(manrs_arena_strndup(a, "AS-ONE", 6));
	assert_true(manrs_arena_size(a) < 64u * 1024u);
	for (i = 0; i < 100000; i++)
		assert_non_null(manrs_arena_alloc(a, 100));
	assert_true(manrs_arena_size(a) >= 100000u * 112u);
	assert_true(manrs_arena_size(a) < 100000u * 112u + (8u << 20));
	manrs_arena_free(a);
}

struct diag_capture {
	int	n;
	char	last[1024];
};

static void
capture(void *arg, const struct manrs_diag *d)
{
	struct diag_capture *c = arg;

	c->n++;
	manrs_diag_format(d, c->last, sizeof(c->last));
}

static void
test_diag(void **state)
{
	struct diag_capture c = { 0, "" };
	struct manrs_diag_sink sink = { capture, &c, 0, 0, 2 };

	(void)state;
	manrs_diag_report(&sink, MANRS_SEV_ERROR, "vrps.json", 0, 1843,
	    "\"maxLength\" %d exceeds %d (RFC 6482 section 3.3)", 33, 32);
	assert_string_equal(c.last, "vrps.json: byte 1843: \"maxLength\" 33 "
	    "exceeds 32 (RFC 6482 section 3.3)");
	manrs_diag_report(&sink, MANRS_SEV_WARNING, "ripe.db", 12,
	    UINT64_MAX, "unknown class");
	assert_string_equal(c.last, "ripe.db: line 12: warning: unknown class");
	manrs_diag_report(&sink, MANRS_SEV_ERROR, "x", 0, UINT64_MAX, "a");
	manrs_diag_report(&sink, MANRS_SEV_ERROR, "x", 0, UINT64_MAX, "b");
	/* max_reports = 2 per severity counter: third error only counted. */
	assert_int_equal(sink.errors, 3);
	assert_int_equal(sink.warnings, 1);
	assert_int_equal(c.n, 3);
	manrs_diag_report(NULL, MANRS_SEV_ERROR, "x", 0, 0, "dropped");
	assert_string_equal(manrs_strerror(MANRS_E_HOSTBITS),
	    "host bits set after prefix length");
}

struct lb_elem {
	uint16_t	pad;
	uint32_t	key;
};

static int
lb_cmp(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key;
	uint32_t e = ((const struct lb_elem *)elem)->key;

	return k < e ? -1 : k > e;
}

/* The one lower-bound search: generic and u32-at-offset forms agree. */
static void
test_lower_bound(void **state)
{
	static const uint32_t v[] = { 2, 4, 4, 4, 9 };
	struct lb_elem e[5];
	uint32_t k;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		e[i].pad = 0xffff;
		e[i].key = v[i];
	}
	assert_int_equal(manrs_lower_bound_u32(v, 0, 4, 0, 1), 0);
	assert_int_equal(manrs_lower_bound_u32(v, 5, 4, 0, 1), 0);
	assert_int_equal(manrs_lower_bound_u32(v, 5, 4, 0, 2), 0);
	assert_int_equal(manrs_lower_bound_u32(v, 5, 4, 0, 3), 1);
	assert_int_equal(manrs_lower_bound_u32(v, 5, 4, 0, 4), 1);
	assert_int_equal(manrs_lower_bound_u32(v, 5, 4, 0, 5), 4);
	assert_int_equal(manrs_lower_bound_u32(v, 5, 4, 0, 9), 4);
	assert_int_equal(manrs_lower_bound_u32(v, 5, 4, 0, 10), 5);
	for (k = 0; k < 12; k++) {
		size_t a = manrs_lower_bound_u32(e, 5, sizeof(e[0]),
		    offsetof(struct lb_elem, key), k);

		assert_int_equal(a, manrs_lower_bound(e, 5, sizeof(e[0]), &k,
		    lb_cmp));
		assert_int_equal(a, manrs_lower_bound_u32(v, 5, 4, 0, k));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_basic),
		cmocka_unit_test(test_reader_sticky),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_html_str),
		cmocka_unit_test(test_errf),
		cmocka_unit_test(test_hexval),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_view_copy),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_diag),
		cmocka_unit_test(test_lower_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
