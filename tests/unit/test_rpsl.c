/*
 * test_rpsl.c - the RPSL reader: continuation lines (space, tab, "+"),
 * comments, case-insensitive names, classes, and malformed objects
 * reported with file and line and skipped (exact messages).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_real_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
