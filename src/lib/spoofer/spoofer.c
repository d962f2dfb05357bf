/*
 * spoofer.c - spoofing test results (time,asn,prefix,spoofed CSV); a
 * file is read as CAIDA Spoofer sessions (spoofer_caida.c) when it is
 * JSON.
 *
 * Tests are appended while reading; at the end of each read they are
 * sorted by (asn, time, prefix) and the distinct-ASN list is rebuilt, so
 * the query functions only read.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "spoofer_int.h"

static int
days_from_civil(int64_t y, unsigned m, unsigned d, int64_t *out)
{
	/* H. Hinnant's algorithm: days since 1970-01-01. */
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = era * 146097 + (int64_t)doe - 719468;
	return 0;
}

static int
num(struct manrs_view v, size_t at, size_t len, uint32_t max, uint32_t *out)
{
	if (at + len > v.len)
		return MANRS_E_SYNTAX;
	return manrs_view_u32(manrs_view_make(v.p + at, len), max, out);
}

int
manrs_time_parse(struct manrs_view v, int64_t *out)
{
	uint32_t y, mo, d, h = 0, mi = 0, s = 0;
	uint64_t secs;
	int64_t days;

	if (manrs_view_find(v, '-') < 0) {
		if (manrs_view_u64(v, (uint64_t)INT64_MAX, &secs) != 0)
			return MANRS_E_SYNTAX;
		*out = (int64_t)secs;
		return 0;
	}
	if (v.len > 0 && (v.p[v.len - 1] == 'Z' || v.p[v.len - 1] == 'z'))
		v.len--;
	if (num(v, 0, 4, 9999, &y) || v.len < 10 || v.p[4] != '-' ||
	    num(v, 5, 2, 12, &mo) || v.p[7] != '-' || num(v, 8, 2, 31, &d) ||
	    mo == 0 || d == 0)
		return MANRS_E_SYNTAX;
	if (v.len > 10) {
		if ((v.p[10] != 'T' && v.p[10] != ' ') ||
		    num(v, 11, 2, 23, &h) || v.len < 16 || v.p[13] != ':' ||
		    num(v, 14, 2, 59, &mi))
			return MANRS_E_SYNTAX;
		if (v.len > 16 && (v.len != 19 || v.p[16] != ':' ||
		    num(v, 17, 2, 60, &s)))
			return MANRS_E_SYNTAX;
	}
	days_from_civil(y, mo, d, &days);
	*out = days * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

static int
parse_bool(struct manrs_view v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "1", "received",
	    "spoofable", NULL };
	static const char *const no[] = { "no", "false", "0", "blocked",
	    NULL };
	int i;

	for (i = 0; yes[i] != NULL; i++)
		if (manrs_view_caseeq(v, yes[i])) {
			*out = true;
			return 0;
		}
	for (i = 0; no[i] != NULL; i++)
		if (manrs_view_caseeq(v, no[i])) {
			*out = false;
			return 0;
		}
	return MANRS_E_SYNTAX;
}

static struct manrs_spoofer *
spoofer_alloc(void)
{
	return calloc(1, sizeof(struct manrs_spoofer));
}

/* The constructor: *err (may be NULL) is 0 or MANRS_E_NOMEM. */
struct manrs_spoofer *
manrs_spoofer_new(int *err)
{
	struct manrs_spoofer *p = spoofer_alloc();

	if (err != NULL)
		*err = p != NULL ? 0 : MANRS_E_NOMEM;
	return p;
}

void
manrs_spoofer_free(struct manrs_spoofer *sp)
{
	if (sp == NULL)
		return;
	free(sp->t);
	free(sp->asns);
	free(sp);
}

int
spoofer_add(struct manrs_spoofer *sp, const struct manrs_spoof_test *t)
{
	if (sp->n == MANRS_SPOOFER_RECORDS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&sp->t, &sp->cap, sp->n, sizeof(*sp->t)) != 0)
		return MANRS_E_NOMEM;
	sp->t[sp->n++] = *t;
	return 0;
}

static const char *
parse_line(struct manrs_view line, struct manrs_spoof_test *t)
{
	struct manrs_view f[5], rest = line;
	int n = 0;

	while (n < 5 && manrs_view_field(&rest, ",", false, &f[n]))
		f[n] = manrs_view_trim(f[n]), n++;
	if (n != 4)
		return "expected 4 fields: time,asn,prefix,spoofed";
	if (manrs_time_parse(f[0], &t->time) != 0)
		return "bad time (unix seconds or ISO 8601)";
	if (manrs_asn_parse(f[1], &t->asn) != 0)
		return "bad AS number";
	if (manrs_prefix_parse(f[2], MANRS_PREFIX_HOST | MANRS_PREFIX_NORMALIZE,
	    &t->prefix) != 0)
		return "bad prefix";
	if (parse_bool(f[3], &t->spoofed) != 0)
		return "spoofed must be yes or no";
	return NULL;
}

int
manrs_spoofer_read(struct manrs_spoofer *sp, struct manrs_input *in,
    struct manrs_diag_sink *sink)
{
	const char *file = manrs_input_name(in), *why;
	struct manrs_spoof_test t;
	struct manrs_view line;
	int rc;

	manrs_input_set_line_max(in, MANRS_SPOOFER_LINE_MAX);
	while ((rc = manrs_input_line(in, &line)) != 0) {
		uint64_t no = manrs_input_lineno(in);

		if (rc < 0) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, file, no,
			    UINT64_MAX, "%s", manrs_strerror(rc));
			if (rc == MANRS_E_LIMIT)
				continue;
			return rc;
		}
		line = manrs_view_trim(line);
		if (line.len == 0 || line.p[0] == '#' ||
		    (no == 1 && manrs_view_case_starts_with(line, "time")))
			continue;
		memset(&t, 0, sizeof(t));
		if ((why = parse_line(line, &t)) != NULL) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, file, no,
			    UINT64_MAX, "%s", why);
			continue;
		}
		if ((rc = spoofer_add(sp, &t)) != 0)
			return rc;
	}
	return spoofer_settle(sp);
}

/*
 * CAIDA Spoofer's JSON (spoofer_caida.c) starts with "{" or "[", our CSV
 * never does: the first byte that is not a blank (or a UTF-8 BOM) says.
 */
static int
is_json(const char *path, struct manrs_diag_sink *sink, bool *json)
{
	struct manrs_input *in;
	unsigned char buf[512];
	ptrdiff_t n, i;
	int err;

	*json = false;
	if ((in = manrs_input_open_diag(path, sink, &err)) == NULL)
		return err;
	n = manrs_input_read(in, buf, sizeof(buf));
	manrs_input_close(in);
	if (n < 0)
		return (int)n;
	i = n >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf ? 3 :
	    0;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n'))
		i++;
	*json = i < n && (buf[i] == '{' || buf[i] == '[');
	return 0;
}

int
manrs_spoofer_load(struct manrs_spoofer *sp, const char *path,
    struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	int rc, err;

	bool json;

	if ((rc = is_json(path, sink, &json)) != 0)
		return rc;
	if ((in = manrs_input_open_diag(path, sink, &err)) == NULL)
		return err;
	rc = json ? manrs_spoofer_read_caida(sp, in, sink) :
	    manrs_spoofer_read(sp, in, sink);
	manrs_input_close(in);
	return rc;
}

static int
test_cmp(const void *a, const void *b)
{
	const struct manrs_spoof_test *x = a, *y = b;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return manrs_prefix_cmp(&x->prefix, &y->prefix);
}

int
spoofer_settle(struct manrs_spoofer *sp)
{
	size_t i, k = 0;
	uint32_t *a;

	if (sp->n > 1)
		qsort(sp->t, sp->n, sizeof(*sp->t), test_cmp);
	if ((a = reallocarray(sp->asns, sp->n + 1, sizeof(*a))) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < sp->n; i++)
		if (k == 0 || a[k - 1] != sp->t[i].asn)
			a[k++] = sp->t[i].asn;
	sp->asns = a;
	sp->nasns = k;
	return 0;
}

size_t
manrs_spoofer_tests(const struct manrs_spoofer *sp, uint32_t asn,
    const struct manrs_spoof_test **out)
{
	size_t lo, j;

	*out = NULL;
	if (sp->n == 0)
		return 0;
	lo = manrs_lower_bound_u32(sp->t, sp->n, sizeof(*sp->t),
	    offsetof(struct manrs_spoof_test, asn), asn);
	for (j = lo; j < sp->n && sp->t[j].asn == asn; j++)
		;
	*out = sp->t + lo;
	return j - lo;
}

static int
pfx_cmp(const void *a, const void *b)
{
	return manrs_prefix_cmp(a, b);
}

bool
manrs_spoofer_summary(const struct manrs_spoofer *sp, uint32_t asn,
    int64_t from, int64_t to, struct manrs_spoof_summary *out)
{
	const struct manrs_spoof_test *t;
	struct manrs_prefix *all, *bad;
	size_t n, i, na = 0, nb = 0;

	memset(out, 0, sizeof(*out));
	n = manrs_spoofer_tests(sp, asn, &t);
	all = malloc((n + 1) * sizeof(*all));
	bad = malloc((n + 1) * sizeof(*bad));
	if (all == NULL || bad == NULL) {
		free(all);
		free(bad);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (t[i].time < from || t[i].time > to)
			continue;
		if (out->tests++ == 0)
			out->first = t[i].time;
		out->last = t[i].time;
		all[na++] = t[i].prefix;
		if (t[i].spoofed) {
			out->spoofable++;
			bad[nb++] = t[i].prefix;
		}
	}
	qsort(all, na, sizeof(*all), pfx_cmp);
	qsort(bad, nb, sizeof(*bad), pfx_cmp);
	for (i = 0; i < na; i++)
		if (i == 0 || !manrs_prefix_eq(&all[i], &all[i - 1]))
			out->prefixes++;
	for (i = 0; i < nb; i++)
		if (i == 0 || !manrs_prefix_eq(&bad[i], &bad[i - 1]))
			out->leaking++;
	free(all);
	free(bad);
	return out->tests > 0;
}

size_t
manrs_spoofer_count(const struct manrs_spoofer *sp)
{
	return sp->n;
}

size_t
manrs_spoofer_asns(const struct manrs_spoofer *sp, const uint32_t **out)
{
	*out = sp->asns;
	return sp->nasns;
}
