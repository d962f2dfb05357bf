/*
 * bogon_delegated.c - administrative ("unallocated") bogons from RIR
 * delegated statistics files (NRO "extended allocation and assignment
 * reports" format: registry|cc|type|start|value|date|status[|extensions]).
 *
 * Records with status "available" or "reserved" are unallocated space.
 * Each becomes an inclusive range of addresses (IPv4: start + value
 * addresses; IPv6: start/value prefix) or ASNs (start + value).  After
 * reading, ranges are sorted per family and adjacent or overlapping ones
 * merged, so a lookup is one binary search: the last range starting at or
 * before the query must reach its end.
 *
 * Limits: MANRS_BOGON_DELEG_LINE_MAX per line, _FIELDS_MAX fields, and
 * _RECORDS_MAX ranges in total.  Bad lines are reported and skipped.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bogon_int.h"

/* A 128-bit unsigned value as two halves; IPv4 and ASNs use lo only. */
struct u128 {
	uint64_t	hi;
	uint64_t	lo;
};

enum deleg_fam { FAM_V4, FAM_V6, FAM_ASN, FAM_COUNT };

struct deleg_range {
	struct u128	first;
	struct u128	last;
	uint8_t		reg;		/* index into registries[] */
};

#define DELEG_REGISTRIES_MAX	16	/* distinct registry names */
#define DELEG_REGISTRY_LEN	32

struct deleg_list {
	struct deleg_range	*v;
	size_t			 len;
	size_t			 cap;
};

struct manrs_bogon_delegated {
	struct deleg_list	 fam[FAM_COUNT];
	size_t			 total;
	bool			 sorted;
	char			 registries[DELEG_REGISTRIES_MAX][DELEG_REGISTRY_LEN];
	int			 nregistries;
	/* The last file read (provenance). */
	int64_t			 read_time;	/* version line's end date */
	uint64_t		 read_records, read_bad;
};

static int
u128_cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static struct u128
u128_inc(struct u128 a)
{
	if (++a.lo == 0)
		a.hi++;
	return a;
}

static struct u128
prefix_first(const struct manrs_prefix *p)
{
	struct u128 v = { 0, 0 };
	int i;

	if (p->af == MANRS_AF_INET) {
		for (i = 0; i < 4; i++)
			v.lo = (v.lo << 8) | p->addr[i];
		return v;
	}
	for (i = 0; i < 8; i++) {
		v.hi = (v.hi << 8) | p->addr[i];
		v.lo = (v.lo << 8) | p->addr[i + 8];
	}
	return v;
}

static struct u128
prefix_last(const struct manrs_prefix *p)
{
	struct u128 v = prefix_first(p);
	unsigned host = manrs_af_bits(p->af) - p->len;

	if (host >= 128) {
		v.hi = v.lo = UINT64_MAX;
	} else if (host >= 64) {
		v.lo = UINT64_MAX;
		v.hi |= host == 64 ? 0 : (UINT64_MAX >> (128 - host));
	} else if (host > 0) {
		v.lo |= UINT64_MAX >> (64 - host);
	}
	return v;
}

static struct manrs_bogon_delegated *
bogon_delegated_alloc(void)
{
	return calloc(1, sizeof(struct manrs_bogon_delegated));
}

/* The constructor: *err (may be NULL) is 0 or MANRS_E_NOMEM. */
struct manrs_bogon_delegated *
manrs_bogon_delegated_new(int *err)
{
	struct manrs_bogon_delegated *p = bogon_delegated_alloc();

	if (err != NULL)
		*err = p != NULL ? 0 : MANRS_E_NOMEM;
	return p;
}

void
manrs_bogon_delegated_free(struct manrs_bogon_delegated *d)
{
	int f;

	if (d == NULL)
		return;
	for (f = 0; f < FAM_COUNT; f++)
		free(d->fam[f].v);
	free(d);
}

static int
deleg_add(struct manrs_bogon_delegated *d, enum deleg_fam f,
    struct u128 first, struct u128 last, uint8_t reg)
{
	struct deleg_list *l = &d->fam[f];

	if (d->total >= MANRS_BOGON_DELEG_RECORDS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&l->v, &l->cap, l->len, sizeof(*l->v)) != 0)
		return MANRS_E_NOMEM;
	l->v[l->len].first = first;
	l->v[l->len].last = last;
	l->v[l->len].reg = reg;
	l->len++;
	d->total++;
	d->sorted = false;
	return 0;
}

/* The range of one record; MANRS_E_SYNTAX/RANGE with *why set. */
static int
record_range(struct manrs_view type, struct manrs_view start,
    struct manrs_view value, enum deleg_fam *fam, struct u128 *first,
    struct u128 *last, const char **why)
{
	struct manrs_prefix p;
	uint64_t n;
	uint32_t asn;
	int rc;

	if (manrs_view_eq(type, "asn")) {
		*fam = FAM_ASN;
		*why = "bad ASN start";
		if ((rc = manrs_view_u32(start, UINT32_MAX, &asn)) != 0)
			return rc;
		*why = "bad ASN count";
		if ((rc = manrs_view_u64(value, (uint64_t)UINT32_MAX + 1 - asn,
		    &n)) != 0 || n == 0)
			return rc ? rc : MANRS_E_RANGE;
		first->hi = last->hi = 0;
		first->lo = asn;
		last->lo = asn + n - 1;
		return 0;
	}
	if (manrs_view_eq(type, "ipv4")) {
		*fam = FAM_V4;
		*why = "bad IPv4 start address";
		if ((rc = manrs_addr_parse(start, MANRS_PREFIX_V4_ONLY,
		    &p)) != 0)
			return rc;
		*first = prefix_first(&p);
		*why = "bad IPv4 address count";
		if ((rc = manrs_view_u64(value, (1ull << 32) - first->lo,
		    &n)) != 0 || n == 0)
			return rc ? rc : MANRS_E_RANGE;
		*last = *first;
		last->lo += n - 1;
		return 0;
	}
	if (manrs_view_eq(type, "ipv6")) {
		uint32_t len;

		*fam = FAM_V6;
		*why = "bad IPv6 prefix length";
		if ((rc = manrs_view_u32(value, 128, &len)) != 0)
			return rc;
		*why = "bad IPv6 start address (or host bits after length)";
		if ((rc = manrs_addr_parse(start, MANRS_PREFIX_V6_ONLY,
		    &p)) != 0)
			return rc;
		p.len = (uint8_t)len;
		if (manrs_prefix_has_hostbits(&p))
			return MANRS_E_HOSTBITS;
		*first = prefix_first(&p);
		*last = prefix_last(&p);
		return 0;
	}
	*why = "unknown record type (want asn, ipv4 or ipv6)";
	return MANRS_E_SYNTAX;
}

/* Index of registry name v (added when new), or -1. */
static int
registry_index(struct manrs_bogon_delegated *d, struct manrs_view v)
{
	int i;

	for (i = 0; i < d->nregistries; i++)
		if (manrs_view_eq(v, d->registries[i]))
			return i;
	if (d->nregistries == DELEG_REGISTRIES_MAX ||
	    manrs_view_copy(v, d->registries[i], DELEG_REGISTRY_LEN) != 0)
		return -1;
	return d->nregistries++;
}

/* The version line's end date (YYYYMMDD) at 00:00 UTC: the data time. */
static void
version_date(struct manrs_bogon_delegated *d, struct manrs_view v)
{
	struct tm tm;
	uint32_t ymd;
	int64_t t;

	if (v.len != 8 || manrs_view_u32(v, 99991231, &ymd) != 0)
		return;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(ymd / 10000) - 1900;
	tm.tm_mon = (int)(ymd / 100 % 100) - 1;
	tm.tm_mday = (int)(ymd % 100);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || (t = (int64_t)timegm(&tm)) <= 0)
		return;
	if (t > d->read_time)
		d->read_time = t;
}

int
manrs_bogon_delegated_parse_line(struct manrs_bogon_delegated *d,
    struct manrs_view line, const char *file, uint64_t lineno,
    struct manrs_diag_sink *sink)
{
	struct manrs_view f[MANRS_BOGON_DELEG_FIELDS_MAX], rest = line;
	struct u128 first, last;
	enum deleg_fam fam;
	const char *why;
	size_t n = 0;
	int rc, reg;

	if (line.len > MANRS_BOGON_DELEG_LINE_MAX) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, lineno,
		    UINT64_MAX, "line longer than %u bytes",
		    MANRS_BOGON_DELEG_LINE_MAX);
		return MANRS_E_SYNTAX;
	}
	line = manrs_view_trim(line);
	if (line.len == 0 || line.p[0] == '#')
		return 0;
	rest = line;
	while (n < MANRS_BOGON_DELEG_FIELDS_MAX &&
	    manrs_view_field(&rest, "|", false, &f[n]))
		n++;
	if (rest.len > 0) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, lineno,
		    UINT64_MAX, "more than %u '|'-separated fields",
		    MANRS_BOGON_DELEG_FIELDS_MAX);
		return MANRS_E_SYNTAX;
	}
	/* Version line "2|ripencc|serial|records|start|end|utcoffset". */
	if (n >= 1 && f[0].len > 0 && f[0].p[0] >= '0' && f[0].p[0] <= '9') {
		if (n >= 6)
			version_date(d, f[5]);
		return 0;
	}
	/* Summary line "registry|*|type|*|count|summary". */
	if (n == 6 && manrs_view_eq(f[5], "summary"))
		return 0;
	if (n < 7) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, lineno,
		    UINT64_MAX, "%zu fields, want at least 7 "
		    "(registry|cc|type|start|value|date|status)", n);
		return MANRS_E_SYNTAX;
	}
	if ((rc = record_range(f[2], f[3], f[4], &fam, &first, &last,
	    &why)) != 0) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, lineno,
		    UINT64_MAX, "%s: '%.*s|%.*s'", why, (int)f[3].len, f[3].p,
		    (int)f[4].len, f[4].p);
		return rc;
	}
	if (!manrs_view_eq(f[6], "available") &&
	    !manrs_view_eq(f[6], "reserved"))
		return 0;
	if ((reg = registry_index(d, f[0])) < 0) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, lineno,
		    UINT64_MAX, "registry name longer than %d bytes, or more "
		    "than %d registries", DELEG_REGISTRY_LEN - 1,
		    DELEG_REGISTRIES_MAX);
		return MANRS_E_SYNTAX;
	}
	if ((rc = deleg_add(d, fam, first, last, (uint8_t)reg)) ==
	    MANRS_E_LIMIT)
		manrs_diag_report(sink, MANRS_SEV_ERROR, file, lineno,
		    UINT64_MAX, "more than %u unallocated ranges",
		    MANRS_BOGON_DELEG_RECORDS_MAX);
	return rc;
}

int
manrs_bogon_delegated_read(struct manrs_bogon_delegated *d,
    struct manrs_input *in, struct manrs_diag_sink *sink)
{
	struct manrs_view line;
	int rc, status = 0;

	manrs_input_set_line_max(in, MANRS_BOGON_DELEG_LINE_MAX);
	d->read_time = 0;
	d->read_records = d->read_bad = 0;
	while ((rc = manrs_input_line(in, &line)) != 0) {
		if (rc == MANRS_E_LIMIT) {
			d->read_bad++;
			manrs_diag_report(sink, MANRS_SEV_ERROR,
			    manrs_input_name(in), manrs_input_lineno(in),
			    UINT64_MAX, "line longer than %u bytes",
			    MANRS_BOGON_DELEG_LINE_MAX);
			status = MANRS_E_SYNTAX;
			continue;
		}
		if (rc < 0)
			return rc;
		rc = manrs_bogon_delegated_parse_line(d, line,
		    manrs_input_name(in), manrs_input_lineno(in), sink);
		if (rc == MANRS_E_LIMIT || rc == MANRS_E_NOMEM)
			return rc;
		if (rc != 0) {
			status = MANRS_E_SYNTAX;
			d->read_bad++;
		} else if (line.len > 0 && line.p[0] != '#') {
			d->read_records++;
		}
	}
	return status;
}

void
manrs_bogon_delegated_provenance(const struct manrs_bogon_delegated *d,
    struct manrs_provenance *p)
{
	/* Records: the lines read (header and summaries included). */
	p->records = d->read_records;
	p->skipped = d->read_bad;
	if (d->read_time > 0)
		manrs_provenance_set_time(p, d->read_time,
		    MANRS_PROV_TIME_CONTENT, "header");
	else
		(void)manrs_provenance_use_mtime(p);
}

static int
range_cmp(const void *a, const void *b)
{
	const struct deleg_range *x = a, *y = b;

	return u128_cmp(x->first, y->first);
}

int
manrs_bogon_delegated_finish(struct manrs_bogon_delegated *d)
{
	struct deleg_list *l;
	size_t i, out;
	int f;

	if (d->sorted)
		return 0;
	for (f = 0; f < FAM_COUNT; f++) {
		l = &d->fam[f];
		if (l->len == 0)
			continue;
		qsort(l->v, l->len, sizeof(l->v[0]), range_cmp);
		for (out = 0, i = 1; i < l->len; i++) {
			struct u128 next = u128_inc(l->v[out].last);

			/* Merge when adjacent or overlapping (and no wrap)
			 * and from the same registry. */
			if ((next.hi | next.lo) != 0 &&
			    l->v[i].reg == l->v[out].reg &&
			    u128_cmp(l->v[i].first, next) <= 0) {
				if (u128_cmp(l->v[i].last, l->v[out].last) > 0)
					l->v[out].last = l->v[i].last;
			} else
				l->v[++out] = l->v[i];
		}
		d->total -= l->len - (out + 1);
		l->len = out + 1;
	}
	d->sorted = true;
	return 0;
}

size_t
manrs_bogon_delegated_count(struct manrs_bogon_delegated *d, uint8_t af)
{
	manrs_bogon_delegated_finish(d);
	if (af == MANRS_AF_INET)
		return d->fam[FAM_V4].len;
	if (af == MANRS_AF_INET6)
		return d->fam[FAM_V6].len;
	return d->fam[FAM_V4].len + d->fam[FAM_V6].len;
}

/* The range holding all of [first, last], or NULL. */
static const struct deleg_range *
deleg_contains(struct manrs_bogon_delegated *d, enum deleg_fam f,
    struct u128 first, struct u128 last)
{
	const struct deleg_list *l;
	size_t lo = 0, hi, mid;

	manrs_bogon_delegated_finish(d);
	l = &d->fam[f];
	hi = l->len;
	/* Find the last range whose first <= query first.  Ranges of
	 * different registries may overlap (bad input): the last one wins. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (u128_cmp(l->v[mid].first, first) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && u128_cmp(l->v[lo - 1].last, last) >= 0)
		return &l->v[lo - 1];
	return NULL;
}

bool
manrs_bogon_delegated_prefix(struct manrs_bogon_delegated *d,
    const struct manrs_prefix *p, const char **registry)
{
	const struct deleg_range *r;
	struct manrs_prefix q = *p;

	manrs_prefix_mask(&q);
	r = deleg_contains(d, q.af == MANRS_AF_INET ? FAM_V4 : FAM_V6,
	    prefix_first(&q), prefix_last(&q));
	if (r != NULL && registry != NULL)
		*registry = d->registries[r->reg];
	return r != NULL;
}

bool
manrs_bogon_delegated_asn(struct manrs_bogon_delegated *d, uint32_t asn,
    const char **registry)
{
	const struct deleg_range *r;
	struct u128 v = { 0, asn };

	r = deleg_contains(d, FAM_ASN, v, v);
	if (r != NULL && registry != NULL)
		*registry = d->registries[r->reg];
	return r != NULL;
}
