/*
 * asgraph.c - AS relationship graph (CAIDA as-rel) and the valley-free
 * test for route leaks (RFC 7908 section 3.1, type 1 "hairpin turn").
 *
 * While building, links are an append-only array.  manrs_asgraph_finish()
 * maps ASNs to dense indexes, stores every link in both directions, sorts
 * by (AS, relation, neighbour) and drops repeats (the first given wins;
 * a conflicting repeat was reported by the reader).  Lookups are then
 * binary searches inside one AS's relation group.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/asgraph.h>
#include <manrs/prefix.h>
#include <manrs/spoofer.h>
#include <manrs/u32map.h>

#define ASREL_KINDS	5
#define ASREL_LINE_MAX	1024

struct link {
	uint32_t	a;
	uint32_t	b;
	uint32_t	seq;
	uint8_t		rel;	/* what b is to a */
};

struct manrs_asgraph {
	struct link		*links;
	size_t			 nlinks;
	size_t			 caplinks;
	bool			 finished;

	struct manrs_u32map	 index;		/* ASN -> dense index */
	uint32_t		*asns;		/* dense index -> ASN */
	size_t			 nas;
	/* For AS i and relation r: nb[off[i*K + r] .. off[i*K + r + 1]) */
	uint32_t		*off;
	uint32_t		*nb;		/* neighbour ASNs */
	size_t			 nnb;

	/* The last file read (provenance). */
	uint64_t		 read_links, read_bad;
	int64_t			 read_header_time;	/* newest "# source" */
	int64_t			 read_name_time;	/* YYYYMMDD of the name */
};

static enum manrs_asrel
inverse(enum manrs_asrel r)
{
	switch (r) {
	case MANRS_ASREL_CUSTOMER:	return MANRS_ASREL_PROVIDER;
	case MANRS_ASREL_PROVIDER:	return MANRS_ASREL_CUSTOMER;
	default:			return r;
	}
}

static struct manrs_asgraph *
asgraph_alloc(void)
{
	struct manrs_asgraph *g = calloc(1, sizeof(*g));

	if (g != NULL)
		manrs_u32map_init(&g->index);
	return g;
}

/* The constructor: *err (may be NULL) is 0 or MANRS_E_NOMEM. */
struct manrs_asgraph *
manrs_asgraph_new(int *err)
{
	struct manrs_asgraph *p = asgraph_alloc();

	if (err != NULL)
		*err = p != NULL ? 0 : MANRS_E_NOMEM;
	return p;
}

void
manrs_asgraph_free(struct manrs_asgraph *g)
{
	if (g == NULL)
		return;
	free(g->links);
	manrs_u32map_clear(&g->index);
	free(g->asns);
	free(g->off);
	free(g->nb);
	free(g);
}

int
manrs_asgraph_add(struct manrs_asgraph *g, uint32_t a, uint32_t b,
    enum manrs_asrel rel)
{
	struct link *nl;

	if (g->finished || rel == MANRS_ASREL_NONE || rel >= ASREL_KINDS ||
	    a == b)
		return MANRS_E_INVAL;
	if (manrs_grow((void **)&g->links, &g->caplinks, g->nlinks,
	    sizeof(*g->links)) != 0)
		return MANRS_E_NOMEM;
	nl = &g->links[g->nlinks];
	nl->a = a;
	nl->b = b;
	nl->rel = (uint8_t)rel;
	nl->seq = (uint32_t)g->nlinks;
	g->nlinks++;
	return 0;
}

static int
parse_line(struct manrs_view line, uint32_t *a, uint32_t *b,
    enum manrs_asrel *rel, const char **why)
{
	struct manrs_view f[4], rest = line;
	int n = 0;

	while (n < 4 && manrs_view_field(&rest, "|", false, &f[n]))
		n++;
	if (n < 3) {
		*why = "expected A|B|REL";
		return MANRS_E_SYNTAX;
	}
	if (manrs_asn_parse(f[0], a) != 0 || manrs_asn_parse(f[1], b) != 0) {
		*why = "bad AS number";
		return MANRS_E_SYNTAX;
	}
	if (*a == *b) {
		*why = "link from an AS to itself";
		return MANRS_E_SYNTAX;
	}
	if (manrs_view_eq(f[2], "-1"))
		*rel = MANRS_ASREL_CUSTOMER;	/* A provider of B */
	else if (manrs_view_eq(f[2], "0"))
		*rel = MANRS_ASREL_PEER;
	else if (manrs_view_eq(f[2], "1"))
		*rel = MANRS_ASREL_PROVIDER;	/* A customer of B */
	else if (manrs_view_eq(f[2], "2"))
		*rel = MANRS_ASREL_SIBLING;
	else {
		*why = "relationship must be -1, 0, 1 or 2";
		return MANRS_E_SYNTAX;
	}
	return 0;
}

/* YYYYMMDD (8 digits) as Unix time at 00:00 UTC; 0 when not a date. */
static int64_t
yyyymmdd(const char *p, size_t len)
{
	char iso[11];
	int64_t t;
	size_t i;

	if (len < 8)
		return 0;
	for (i = 0; i < 8; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	if (len > 8 && p[8] >= '0' && p[8] <= '9')
		return 0;
	memcpy(iso, p, 4);
	iso[4] = '-';
	memcpy(iso + 5, p + 4, 2);
	iso[7] = '-';
	memcpy(iso + 8, p + 6, 2);
	iso[10] = '\0';
	if (manrs_time_parse(manrs_view_make(iso, 10), &t) != 0 || t <= 0)
		return 0;
	return t;
}

/* CAIDA names its files by date: "20210901.as-rel2.txt.bz2". */
static int64_t
name_date(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	return yyyymmdd(base, strlen(base));
}

/* "# source:topology|BGP|20210901|ripe|rrc00": keep the newest date. */
static void
header_date(struct manrs_asgraph *g, struct manrs_view line)
{
	struct manrs_view f;
	int64_t t;

	if (!manrs_view_starts_with(line, "# source:"))
		return;
	while (manrs_view_field(&line, "|", false, &f))
		if ((t = yyyymmdd(f.p, f.len)) > g->read_header_time &&
		    f.len == 8)
			g->read_header_time = t;
}

int
manrs_asgraph_read(struct manrs_asgraph *g, struct manrs_input *in,
    struct manrs_diag_sink *sink)
{
	const char *file = manrs_input_name(in), *why;
	struct manrs_view line;
	enum manrs_asrel rel;
	uint32_t a, b;
	int rc;

	manrs_input_set_line_max(in, ASREL_LINE_MAX);
	g->read_links = g->read_bad = 0;
	g->read_header_time = 0;
	g->read_name_time = name_date(file);
	while ((rc = manrs_input_line(in, &line)) != 0) {
		if (rc < 0) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, file,
			    manrs_input_lineno(in), UINT64_MAX, "%s",
			    manrs_strerror(rc));
			if (rc == MANRS_E_LIMIT)
				continue;
			return rc;
		}
		line = manrs_view_trim(line);
		if (line.len > 0 && line.p[0] == '#')
			header_date(g, line);
		if (line.len == 0 || line.p[0] == '#')
			continue;
		if (parse_line(line, &a, &b, &rel, &why) != 0) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, file,
			    manrs_input_lineno(in), UINT64_MAX, "%s: '%.*s'",
			    why, (int)(line.len > 80 ? 80 : line.len), line.p);
			g->read_bad++;
			continue;
		}
		if ((rc = manrs_asgraph_add(g, a, b, rel)) != 0)
			return rc;
		g->read_links++;
	}
	return 0;
}

int
manrs_asgraph_load(struct manrs_asgraph *g, const char *path,
    struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	int rc, err;

	if ((in = manrs_input_open_diag(path, sink, &err)) == NULL)
		return err;
	rc = manrs_asgraph_read(g, in, sink);
	manrs_input_close(in);
	return rc;
}

static int
link_cmp(const void *x, const void *y)
{
	const struct link *l = x, *r = y;

	if (l->a != r->a)
		return l->a < r->a ? -1 : 1;
	if (l->b != r->b)
		return l->b < r->b ? -1 : 1;
	if (l->seq != r->seq)
		return l->seq < r->seq ? -1 : 1;
	return 0;
}

static int
dense_cmp(const void *x, const void *y)
{
	const uint64_t *l = x, *r = y;

	return *l < *r ? -1 : *l > *r;
}

/* Directed links, both ways, sorted; conflicting repeats lose to the first. */
static struct link *
directed_links(struct manrs_asgraph *g, size_t *n)
{
	struct link *d;
	size_t i, k;

	if ((d = reallocarray(NULL, g->nlinks * 2 + 1, sizeof(*d))) == NULL)
		return NULL;
	for (i = 0; i < g->nlinks; i++) {
		d[2 * i] = g->links[i];
		d[2 * i + 1].a = g->links[i].b;
		d[2 * i + 1].b = g->links[i].a;
		d[2 * i + 1].rel = (uint8_t)inverse(g->links[i].rel);
		d[2 * i + 1].seq = g->links[i].seq;
	}
	qsort(d, g->nlinks * 2, sizeof(*d), link_cmp);
	for (i = k = 0; i < g->nlinks * 2; i++) {
		if (k > 0 && d[k - 1].a == d[i].a && d[k - 1].b == d[i].b)
			continue;
		d[k++] = d[i];
	}
	*n = k;
	return d;
}

int
manrs_asgraph_finish(struct manrs_asgraph *g)
{
	struct link *d;
	uint64_t *keys = NULL;
	size_t n, i;
	uint32_t idx;
	int rc = MANRS_E_NOMEM;

	if (g->finished)
		return 0;
	if ((d = directed_links(g, &n)) == NULL)
		return MANRS_E_NOMEM;
	/* Dense indexes in ASN order (d is sorted by a). */
	for (i = 0; i < n; i++) {
		if (i == 0 || d[i].a != d[i - 1].a) {
			if (manrs_u32map_put(&g->index, d[i].a,
			    (uint32_t)g->nas) != 0)
				goto out;
			g->nas++;
		}
	}
	g->asns = reallocarray(NULL, g->nas + 1, sizeof(*g->asns));
	g->off = reallocarray(NULL, g->nas * ASREL_KINDS + 1, sizeof(*g->off));
	g->nb = reallocarray(NULL, n + 1, sizeof(*g->nb));
	keys = reallocarray(NULL, n + 1, sizeof(*keys));
	if (g->asns == NULL || g->off == NULL || g->nb == NULL || keys == NULL)
		goto out;
	/* Order inside each AS by (rel, neighbour): key = idx|rel|b. */
	for (i = 0; i < n; i++) {
		manrs_u32map_get(&g->index, d[i].a, &idx);
		g->asns[idx] = d[i].a;
		keys[i] = (uint64_t)idx << 35 | (uint64_t)d[i].rel << 32 |
		    d[i].b;
	}
	qsort(keys, n, sizeof(*keys), dense_cmp);
	memset(g->off, 0, (g->nas * ASREL_KINDS + 1) * sizeof(*g->off));
	for (i = 0; i < n; i++) {
		size_t slot = (size_t)(keys[i] >> 32);	/* idx*8+rel */
		size_t grp = (slot >> 3) * ASREL_KINDS + (slot & 7);

		g->nb[i] = (uint32_t)keys[i];
		g->off[grp + 1]++;
	}
	for (i = 1; i <= g->nas * ASREL_KINDS; i++)
		g->off[i] += g->off[i - 1];
	g->nnb = n;
	free(g->links);
	g->links = NULL;
	g->nlinks = g->caplinks = 0;
	g->finished = true;
	rc = 0;
out:
	free(d);
	free(keys);
	return rc;
}

size_t
manrs_asgraph_neighbours(const struct manrs_asgraph *g, uint32_t asn,
    enum manrs_asrel rel, const uint32_t **out)
{
	uint32_t idx;
	size_t grp;

	*out = NULL;
	if (!g->finished || rel == MANRS_ASREL_NONE || rel >= ASREL_KINDS ||
	    !manrs_u32map_get(&g->index, asn, &idx))
		return 0;
	grp = (size_t)idx * ASREL_KINDS + rel;
	*out = g->nb + g->off[grp];
	return g->off[grp + 1] - g->off[grp];
}

static bool
contains(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] == x)
			return true;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

enum manrs_asrel
manrs_asgraph_rel(const struct manrs_asgraph *g, uint32_t a, uint32_t b)
{
	uint32_t idx;
	size_t grp;
	int r;

	if (!g->finished || !manrs_u32map_get(&g->index, a, &idx))
		return MANRS_ASREL_NONE;
	for (r = MANRS_ASREL_CUSTOMER; r < ASREL_KINDS; r++) {
		grp = (size_t)idx * ASREL_KINDS + (size_t)r;
		if (contains(g->nb + g->off[grp], g->off[grp + 1] -
		    g->off[grp], b))
			return (enum manrs_asrel)r;
	}
	return MANRS_ASREL_NONE;
}

size_t
manrs_asgraph_as_count(const struct manrs_asgraph *g)
{
	return g->nas;
}

size_t
manrs_asgraph_link_count(const struct manrs_asgraph *g)
{
	return g->finished ? g->nnb / 2 : g->nlinks;
}

bool
manrs_asgraph_has(const struct manrs_asgraph *g, uint32_t asn)
{
	return manrs_u32map_get(&g->index, asn, NULL);
}

ptrdiff_t
manrs_asgraph_cone(const struct manrs_asgraph *g, uint32_t asn,
    uint32_t **out)
{
	struct manrs_u32map seen;
	uint32_t *q, dummy;
	const uint32_t *c;
	size_t head = 0, tail = 0, n, i;

	*out = NULL;
	if ((q = malloc((g->nas + 1) * sizeof(*q))) == NULL)
		return MANRS_E_NOMEM;
	manrs_u32map_init(&seen);
	q[tail++] = asn;
	if (manrs_u32map_intern(&seen, asn, 0, &dummy) < 0)
		goto nomem;
	while (head < tail) {
		n = manrs_asgraph_neighbours(g, q[head++],
		    MANRS_ASREL_CUSTOMER, &c);
		for (i = 0; i < n; i++) {
			int rc = manrs_u32map_intern(&seen, c[i], 0, &dummy);

			if (rc < 0)
				goto nomem;
			if (rc == 1 && tail < g->nas + 1)
				q[tail++] = c[i];
		}
	}
	manrs_u32map_clear(&seen);
	*out = q;
	return (ptrdiff_t)tail;
nomem:
	manrs_u32map_clear(&seen);
	free(q);
	return MANRS_E_NOMEM;
}

enum manrs_vf_result
manrs_asgraph_check_path(const struct manrs_asgraph *g, const uint32_t *path,
    size_t n, struct manrs_leak *leak)
{
	uint32_t hop[3];
	size_t pos[3], k = 0, i;
	bool unknown = false;

	/* Walk from the origin; keep the last three distinct ASes. */
	for (i = n; i-- > 0;) {
		if (k > 0 && path[i] == hop[(k - 1) % 3])
			continue;
		hop[k % 3] = path[i];
		pos[k % 3] = i;
		k++;
		if (k < 2)
			continue;
		/* Link from hop[k-2] (sender) to hop[k-1] (receiver). */
		if (manrs_asgraph_rel(g, hop[(k - 1) % 3], hop[(k - 2) % 3]) ==
		    MANRS_ASREL_NONE)
			unknown = true;
		if (k < 3)
			continue;
		{
			uint32_t from = hop[(k - 3) % 3];
			uint32_t x = hop[(k - 2) % 3];
			uint32_t to = hop[(k - 1) % 3];
			enum manrs_asrel fr = manrs_asgraph_rel(g, x, from);
			enum manrs_asrel tr = manrs_asgraph_rel(g, x, to);

			if ((fr == MANRS_ASREL_PROVIDER ||
			    fr == MANRS_ASREL_PEER) &&
			    (tr == MANRS_ASREL_PROVIDER ||
			    tr == MANRS_ASREL_PEER)) {
				if (leak != NULL) {
					leak->index = pos[(k - 2) % 3];
					leak->leaker = x;
					leak->from = from;
					leak->to = to;
					leak->from_rel = fr;
					leak->to_rel = tr;
				}
				return MANRS_VF_LEAK;
			}
		}
	}
	return unknown ? MANRS_VF_UNKNOWN : MANRS_VF_VALID;
}

void
manrs_asgraph_provenance(const struct manrs_asgraph *g,
    struct manrs_provenance *p)
{
	p->records = g->read_links;
	p->skipped = g->read_bad;
	if (g->read_name_time > 0)
		manrs_provenance_set_time(p, g->read_name_time,
		    MANRS_PROV_TIME_FILENAME, NULL);
	else if (g->read_header_time > 0)
		manrs_provenance_set_time(p, g->read_header_time,
		    MANRS_PROV_TIME_CONTENT, "# source");
	else
		(void)manrs_provenance_use_mtime(p);
}
