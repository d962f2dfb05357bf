/*
 * fuzz_rpsl.c - the RPSL reader and the IRR database built from it.
 * The input is loaded as one RPSL source (and, split at the first NUL,
 * as a second source; an input starting with "{" is loaded as the ARIN
 * origin-AS JSON instead), then every set name it defines is expanded as an
 * as-set and as a route-set, and its route lookups are run.  Invariants
 * checked: expansions are sorted and unique; loading never fails on
 * malformed text (only on allocation failure).
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/irrdb.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count(const struct manrs_irrdb_objinfo *o, void *arg)
{
	(void)o;
	(*(size_t *)arg)++;
	return 0;
}

static void
probe(const struct manrs_irrdb *db, struct manrs_view name,
    const struct manrs_irrdb_sel *sel)
{
	struct manrs_irrdb_limits lim = { 8, 200, 5000, 5000 };
	struct manrs_irrdb_asns a = { NULL, 0, 0 };
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_prefix p;
	unsigned flags;
	size_t i, n = 0;

	if (manrs_irrdb_expand_asset(db, name, sel, &lim, &a, &flags, NULL)
	    != 0)
		abort();
	for (i = 1; i < a.n; i++)
		if (a.v[i - 1] >= a.v[i])
			abort();
	for (i = 0; i < a.n && i < 50; i++)
		manrs_irrdb_origin_prefixes(db, a.v[i], 0, sel, &r);
	manrs_irrdb_ranges_clear(&r);
	if (manrs_irrdb_expand_routeset(db, name, sel, 0, &lim, &r, &flags,
	    NULL) != 0)
		abort();
	for (i = 0; i < r.n; i++) {
		if (r.v[i].min < r.v[i].prefix.len || r.v[i].min > r.v[i].max ||
		    r.v[i].max > manrs_af_bits(r.v[i].prefix.af))
			abort();
		if (i < 20) {
			p = r.v[i].prefix;
			manrs_irrdb_find_route(db, &p, MANRS_IRRDB_LESS, sel,
			    count, &n);
			manrs_irrdb_find_route(db, &p, MANRS_IRRDB_MORE, sel,
			    count, &n);
		}
	}
	manrs_irrdb_find_member_of(db, name, sel, count, &n);
	manrs_irrdb_find_key(db, MANRS_RPSL_OTHER, name, sel, count, &n);
	manrs_irrdb_asns_clear(&a);
	manrs_irrdb_ranges_clear(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n1 = nul ? (size_t)(nul - data) : size;
	struct manrs_diag_sink sink;
	struct manrs_irrdb_sel sel;
	struct manrs_irrdb *db;
	struct manrs_input *in;
	struct manrs_view v, tok;
	int err;

	memset(&sink, 0, sizeof(sink));
	if ((db = manrs_irrdb_new(&err)) == NULL)
		return 0;
	manrs_irrdb_source_add(db, "ONE");
	manrs_irrdb_source_add(db, "TWO");
	if ((in = manrs_input_mem(data, n1, "fuzz", &err)) != NULL) {
		if (size > 0 && data[0] == '{') {
			err = manrs_irrdb_load_json_input(db, 0, in, &sink);
			if (err != 0 && err != MANRS_E_SYNTAX &&
			    err != MANRS_E_LIMIT)
				abort();
		} else if (manrs_irrdb_load_input(db, 0, in, &sink) != 0) {
			abort();
		}
		manrs_input_close(in);
	}
	if (nul != NULL && (in = manrs_input_mem(nul + 1, size - n1 - 1,
	    "fuzz2", &err)) != NULL) {
		if (manrs_irrdb_load_input(db, 1, in, &sink) != 0)
			abort();
		manrs_input_close(in);
	}
	manrs_irrdb_finish(db);
	manrs_irrdb_sel_all(db, &sel);
	/* Every word of the input that looks like a name is probed. */
	v = manrs_view_make((const char *)data, size > 4096 ? 4096 : size);
	while (manrs_view_field(&v, " \t\r\n,:", true, &tok))
		if (tok.len > 2 && tok.len < 64 &&
		    (manrs_view_case_starts_with(tok, "AS") ||
		    manrs_view_case_starts_with(tok, "RS-")))
			probe(db, tok, &sel);
	manrs_irrdb_free(db);
	return 0;
}
