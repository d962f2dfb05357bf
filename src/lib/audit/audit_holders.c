/*
 * audit_holders.c - who holds the address space, from the allocated and
 * assigned records of RIR delegated statistics (NRO extended format,
 * "registry|cc|type|start|value|date|status[|opaque-id...]").
 *
 * The fixes use it to name the RIR of a prefix (a ROA's "rir", a route
 * object's "source:") and to group ROAs per covering allocation; the
 * reports name the RIR and country of an AS from its "asn" records.  IPv4
 * records are address ranges (start + count, not always a CIDR block),
 * IPv6 records are prefixes; records of one file never overlap, so a
 * lookup is one binary search per family.  Other lines (version,
 * summary, available/reserved space and ASNs, bad lines) are ignored: the
 * bogon reader of the same file reports the bad ones.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <manrs/bogon.h>

#include "audit_int.h"

/*
 * The version line "2|ripencc|serial|records|startdate|enddate|offset":
 * its end date (YYYYMMDD, UTC midnight) is the data time.
 */
static void
version_line(struct holders *h, const struct manrs_view *f, size_t n)
{
	struct tm tm;
	uint32_t d;
	int64_t t;

	if (n < 6 || f[5].len != 8 || manrs_view_u32(f[5], 99991231, &d) != 0)
		return;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(d / 10000) - 1900;
	tm.tm_mon = (int)(d / 100 % 100) - 1;
	tm.tm_mday = (int)(d % 100);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || (t = (int64_t)timegm(&tm)) <= 0)
		return;
	if (t > h->time)
		h->time = t;
}

/* The index of registry name f (added when new), or -1 when full. */
static int
registry_index(struct holders *h, struct manrs_view f)
{
	int reg;

	for (reg = 0; reg < h->nregs; reg++)
		if (manrs_view_eq(f, h->regs[reg]))
			return reg;
	if (h->nregs == AUDIT_HOLDER_REGS_MAX ||
	    manrs_view_copy(f, h->regs[reg], sizeof(h->regs[0])) != 0)
		return -1;
	h->nregs++;
	return reg;
}

/* "registry|cc|asn|first|count|date|allocated": count ASNs from first. */
static int
asn_parse(struct holders *h, const struct manrs_view *f)
{
	struct asn_holder *x;
	uint32_t first, count;
	int reg;

	if (manrs_view_u32(f[3], UINT32_MAX, &first) != 0 ||
	    manrs_view_u32(f[4], UINT32_MAX, &count) != 0 || count == 0 ||
	    count - 1 > UINT32_MAX - first)
		return 0;
	if ((reg = registry_index(h, f[0])) < 0)
		return 0;
	if (h->nas == MANRS_BOGON_DELEG_RECORDS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&h->as, &h->capas, h->nas, sizeof(*h->as)) !=
	    0)
		return MANRS_E_NOMEM;
	x = &h->as[h->nas++];
	memset(x, 0, sizeof(*x));
	x->first = first;
	x->last = first + (count - 1);
	x->reg = (uint8_t)reg;
	/* Two letters; "ZZ" and "" (unknown, reserved) say nothing. */
	if (f[1].len == 2 && !manrs_view_eq(f[1], "ZZ") &&
	    f[1].p[0] >= 'A' && f[1].p[0] <= 'Z' &&
	    f[1].p[1] >= 'A' && f[1].p[1] <= 'Z') {
		x->cc[0] = f[1].p[0];
		x->cc[1] = f[1].p[1];
	}
	h->sorted = false;
	return 0;
}

/* Lines that are not holder records count as nothing. */
static int
holder_parse(struct holders *h, struct manrs_view line)
{
	struct manrs_view f[7], rest = line;
	struct manrs_prefix p;
	struct holder *x;
	uint64_t n;
	uint32_t len;
	size_t k = 0;
	int reg;

	while (k < 7 && manrs_view_field(&rest, "|", false, &f[k]))
		k++;
	if (k > 0 && f[0].len > 0 && f[0].p[0] >= '0' && f[0].p[0] <= '9') {
		version_line(h, f, k);
		return 0;
	}
	if (k < 7 || (!manrs_view_eq(f[6], "allocated") &&
	    !manrs_view_eq(f[6], "assigned")))
		return 0;
	if (manrs_view_eq(f[2], "asn"))
		return asn_parse(h, f);
	if (manrs_view_eq(f[2], "ipv4")) {
		if (manrs_addr_parse(f[3], MANRS_PREFIX_V4_ONLY, &p) != 0 ||
		    manrs_view_u64(f[4], 1ull << 32, &n) != 0 || n == 0)
			return 0;
		p.len = 32;
	} else if (manrs_view_eq(f[2], "ipv6")) {
		if (manrs_addr_parse(f[3], MANRS_PREFIX_V6_ONLY, &p) != 0 ||
		    manrs_view_u32(f[4], 128, &len) != 0)
			return 0;
		p.len = (uint8_t)len;
		if (manrs_prefix_has_hostbits(&p))
			return 0;
		n = 0;
	} else {
		return 0;
	}
	if ((reg = registry_index(h, f[0])) < 0)
		return 0;
	if (h->n == MANRS_BOGON_DELEG_RECORDS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&h->v, &h->cap, h->n, sizeof(*h->v)) != 0)
		return MANRS_E_NOMEM;
	x = &h->v[h->n++];
	memset(x, 0, sizeof(*x));
	x->start = p;
	x->count = n;
	x->reg = (uint8_t)reg;
	h->sorted = false;
	return 0;
}

int
manrs_audit_read_holders(struct manrs_audit *a, struct manrs_input *in)
{
	struct manrs_view line;
	int rc;

	manrs_input_set_line_max(in, MANRS_BOGON_DELEG_LINE_MAX);
	while ((rc = manrs_input_line(in, &line)) != 0) {
		if (rc == MANRS_E_LIMIT)
			continue;	/* the bogon reader reports it */
		if (rc < 0)
			return rc;
		if ((rc = holder_parse(&a->holders, manrs_view_trim(line))) !=
		    0)
			return rc;
	}
	return 0;
}

static int
holder_cmp(const void *x, const void *y)
{
	const struct holder *l = x, *r = y;

	if (l->start.af != r->start.af)
		return l->start.af < r->start.af ? -1 : 1;
	return memcmp(l->start.addr, r->start.addr, sizeof(l->start.addr));
}

static int
asn_holder_cmp(const void *x, const void *y)
{
	const struct asn_holder *l = x, *r = y;

	return l->first < r->first ? -1 : l->first > r->first;
}

void
audit_holders_finish(struct holders *h)
{
	if (!h->sorted && h->n > 0)
		qsort(h->v, h->n, sizeof(*h->v), holder_cmp);
	if (!h->sorted && h->nas > 0)
		qsort(h->as, h->nas, sizeof(*h->as), asn_holder_cmp);
	h->sorted = true;
}

bool
audit_asn_holder_find(const struct manrs_audit *a, uint32_t asn,
    const char **registry, const char **cc)
{
	const struct holders *h = &a->holders;
	size_t lo = 0, hi = h->nas;
	const struct asn_holder *x;

	if (h->nas == 0 || !h->sorted)
		return false;
	while (lo < hi) {	/* the first range starting after asn */
		size_t mid = lo + (hi - lo) / 2;

		if (h->as[mid].first <= asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || (x = &h->as[lo - 1])->last < asn)
		return false;
	*registry = h->regs[x->reg];
	*cc = x->cc[0] != '\0' ? x->cc : NULL;
	return true;
}

void
audit_holders_clear(struct holders *h)
{
	free(h->v);
	free(h->as);
	memset(h, 0, sizeof(*h));
}

static uint32_t
v4(const uint8_t *addr)
{
	return (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 |
	    (uint32_t)addr[2] << 8 | addr[3];
}

/*
 * The largest CIDR block that contains p and lies inside the IPv4 range
 * [first, first + count): a non-aligned allocation is reported as the
 * block of it that holds the prefix.
 */
static void
v4_block(const struct manrs_prefix *p, uint32_t first, uint64_t count,
    struct manrs_prefix *out)
{
	uint64_t last = (uint64_t)first + count - 1;
	uint32_t a = v4(p->addr);
	int len;

	for (len = 0; len < p->len; len++) {
		uint64_t size = 1ull << (32 - len);
		uint64_t lo = (uint64_t)a & ~(size - 1);

		if (lo >= first && lo + size - 1 <= last)
			break;
	}
	*out = *p;
	out->len = (uint8_t)len;
	manrs_prefix_mask(out);
}

bool
audit_holder_find(const struct manrs_audit *a, const struct manrs_prefix *p,
    const char **registry, struct manrs_prefix *allocation)
{
	const struct holders *h = &a->holders;
	struct holder key;
	size_t lo = 0, hi = h->n;
	const struct holder *x;

	if (h->n == 0 || !h->sorted)
		return false;
	memset(&key, 0, sizeof(key));
	key.start = *p;
	while (lo < hi) {	/* the first record starting after p */
		size_t mid = lo + (hi - lo) / 2;

		if (holder_cmp(&h->v[mid], &key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	x = &h->v[lo - 1];
	if (x->start.af != p->af)
		return false;
	if (p->af == MANRS_AF_INET) {
		uint64_t first = v4(x->start.addr), last = first + x->count - 1;
		uint64_t pf = v4(p->addr);
		uint64_t pl = pf + (1ull << (32 - p->len)) - 1;

		if (pf < first || pl > last)
			return false;
		v4_block(p, (uint32_t)first, x->count, allocation);
	} else {
		if (!manrs_prefix_covers(&x->start, p))
			return false;
		*allocation = x->start;
	}
	*registry = h->regs[x->reg];
	return true;
}
