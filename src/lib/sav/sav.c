/*
 * sav.c - the SAV customer file: parser, checks and accessors.
 *
 * Format (documented in manrs(1), "SAV CUSTOMER FILE"): one statement per
 * line, "#" to end of line is a comment, leading blanks are ignored.
 *   operator ASN            own PREFIX...          uplink IFNAME...
 *   customer NAME           then, for that customer:
 *     interface IFNAME      homing single|multi    urpf strict|feasible|loose|off
 *     prefix PREFIX...      origin ASN...          as-set AS-SET...
 *     empty-family drop|open   (a family without prefixes: drop it all,
 *                               or leave it unfiltered)
 * Names and interface names are restricted to a safe character set so
 * they can be pasted into any router configuration without quoting.
 * Limits: MANRS_SAV_*_MAX in sav.h; each is checked before allocating.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/bogon.h>

#include "sav_int.h"

struct sav_parse {
	struct manrs_sav	*s;
	const char		*file;
	uint64_t		 line;
	struct manrs_diag_sink	*sink;
	int			 status;
};

int
sav_grow(void *vp, size_t n, size_t sz)
{
	void **v = vp, *nv;
	size_t cap;

	/* Capacity doubles at powers of two: grow when n is one. */
	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	cap = n == 0 ? 4 : n * 2;
	if ((nv = reallocarray(*v, cap, sz)) == NULL)
		return MANRS_E_NOMEM;
	*v = nv;
	return 0;
}

/* FNV-1a, folded to a slot of SAV_HASH_SLOTS (a power of two). */
uint32_t
sav_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h & (SAV_HASH_SLOTS - 1);
}

static struct manrs_sav *
sav_alloc(void)
{
	return calloc(1, sizeof(struct manrs_sav));
}

/* The constructor: *err (may be NULL) is 0 or MANRS_E_NOMEM. */
struct manrs_sav *
manrs_sav_new(int *err)
{
	struct manrs_sav *p = sav_alloc();

	if (err != NULL)
		*err = p != NULL ? 0 : MANRS_E_NOMEM;
	return p;
}

void
manrs_sav_free(struct manrs_sav *s)
{
	size_t i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncust; i++) {
		free(s->cust[i].prefixes);
		free(s->cust[i].asns);
		for (j = 0; j < s->cust[i].nsets; j++)
			free(s->cust[i].sets[j]);
		free(s->cust[i].sets);
	}
	for (i = 0; i < s->nuplinks; i++)
		free(s->uplinks[i]);
	free(s->uplinks);
	free(s->cust);
	free(s->own);
	free(s->names);
	free(s);
}

static void
perr(struct sav_parse *ps, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
perr(struct sav_parse *ps, int rc, const char *fmt, ...)
{
	char msg[MANRS_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	manrs_diag_report(ps->sink, MANRS_SEV_ERROR, ps->file, ps->line,
	    UINT64_MAX, "%s", msg);
	if (ps->status == 0 || rc == MANRS_E_LIMIT || rc == MANRS_E_NOMEM)
		ps->status = rc;
}

/* Token as printable text for a diagnostic (cut at 64, escaped). */
static const char *
show(struct manrs_view v, char *buf, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < v.len && i < 64 && o + 5 < size; i++) {
		unsigned char ch = (unsigned char)v.p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
			buf[o++] = (char)ch;
		} else {
			snprintf(buf + o, size - o, "\\x%02x", ch);
			o += 4;
		}
	}
	if (i < v.len && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static bool
safe_chars(struct manrs_view v, const char *extra)
{
	size_t i;

	for (i = 0; i < v.len; i++) {
		char c = v.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(extra, c) != NULL) ||
		    c == '\0')
			return false;
	}
	return v.len > 0;
}

static struct manrs_sav_customer *
cur(struct sav_parse *ps, struct manrs_view kw)
{
	char b[80];

	if (ps->s->ncust == 0) {
		perr(ps, MANRS_E_SYNTAX, "'%s' outside a customer block "
		    "(start one with 'customer NAME')", show(kw, b, sizeof(b)));
		return NULL;
	}
	return &ps->s->cust[ps->s->ncust - 1];
}

static void
st_customer(struct sav_parse *ps, struct manrs_view *args)
{
	struct manrs_sav *s = ps->s;
	struct manrs_sav_customer *c;
	struct manrs_view name, extra;
	char b[80];
	uint32_t h;
	size_t i;

	if (!manrs_view_token(args, &name) || manrs_view_token(args, &extra)) {
		perr(ps, MANRS_E_SYNTAX, "'customer' takes one NAME");
		return;
	}
	if (name.len >= MANRS_SAV_NAME_MAX || !safe_chars(name, "_.-")) {
		perr(ps, MANRS_E_SYNTAX, "customer name '%s': want 1-%d of "
		    "A-Z a-z 0-9 _ . -", show(name, b, sizeof(b)),
		    MANRS_SAV_NAME_MAX - 1);
		return;
	}
	if (s->names == NULL &&
	    (s->names = calloc(SAV_HASH_SLOTS, sizeof(*s->names))) == NULL) {
		perr(ps, MANRS_E_NOMEM, "out of memory");
		return;
	}
	for (h = sav_hash(name.p, name.len); s->names[h] != 0;
	    h = (h + 1) & (SAV_HASH_SLOTS - 1)) {
		i = s->names[h] - 1;
		if (manrs_view_eq(name, s->cust[i].name)) {
			perr(ps, MANRS_E_SYNTAX, "customer '%s' already "
			    "declared at line %llu", s->cust[i].name,
			    (unsigned long long)s->cust[i].line);
			return;
		}
	}
	if (s->ncust >= MANRS_SAV_CUSTOMERS_MAX) {
		perr(ps, MANRS_E_LIMIT, "more than %d customers",
		    MANRS_SAV_CUSTOMERS_MAX);
		return;
	}
	if (sav_grow(&s->cust, s->ncust, sizeof(*s->cust)) != 0) {
		perr(ps, MANRS_E_NOMEM, "out of memory");
		return;
	}
	s->names[h] = (uint32_t)s->ncust + 1;
	c = &s->cust[s->ncust++];
	memset(c, 0, sizeof(*c));
	manrs_view_copy(name, c->name, sizeof(c->name));
	c->line = ps->line;
}

static int
ifname_parse(struct sav_parse *ps, struct manrs_view v, char *dst)
{
	char b[80];

	if (v.len >= MANRS_SAV_IFNAME_MAX || !safe_chars(v, "_./:-")) {
		perr(ps, MANRS_E_SYNTAX, "interface name '%s': want 1-%d of "
		    "A-Z a-z 0-9 _ . / : -", show(v, b, sizeof(b)),
		    MANRS_SAV_IFNAME_MAX - 1);
		return -1;
	}
	manrs_view_copy(v, dst, MANRS_SAV_IFNAME_MAX);
	return 0;
}

static void
st_interface(struct sav_parse *ps, struct manrs_view kw,
    struct manrs_view *args)
{
	struct manrs_sav_customer *c;
	struct manrs_view v, extra;

	if ((c = cur(ps, kw)) == NULL)
		return;
	if (!manrs_view_token(args, &v) || manrs_view_token(args, &extra)) {
		perr(ps, MANRS_E_SYNTAX, "'interface' takes one IFNAME");
		return;
	}
	if (c->ifname[0] != '\0') {
		perr(ps, MANRS_E_SYNTAX, "customer '%s' already has interface "
		    "'%s' (one interface per customer block)", c->name,
		    c->ifname);
		return;
	}
	ifname_parse(ps, v, c->ifname);
}

static void
st_homing(struct sav_parse *ps, struct manrs_view kw,
    struct manrs_view *args)
{
	struct manrs_sav_customer *c;
	struct manrs_view v, extra;
	char b[80];

	if ((c = cur(ps, kw)) == NULL)
		return;
	if (!manrs_view_token(args, &v) || manrs_view_token(args, &extra)) {
		perr(ps, MANRS_E_SYNTAX, "'homing' takes single or multi");
		return;
	}
	if (c->homing != MANRS_SAV_HOMING_UNSET) {
		perr(ps, MANRS_E_SYNTAX, "customer '%s': homing given twice",
		    c->name);
		return;
	}
	if (manrs_view_eq(v, "single") || manrs_view_eq(v, "single-homed"))
		c->homing = MANRS_SAV_SINGLE;
	else if (manrs_view_eq(v, "multi") || manrs_view_eq(v, "multi-homed"))
		c->homing = MANRS_SAV_MULTI;
	else
		perr(ps, MANRS_E_SYNTAX, "homing '%s': want single or multi",
		    show(v, b, sizeof(b)));
}

static void
st_urpf(struct sav_parse *ps, struct manrs_view kw, struct manrs_view *args)
{
	static const char *const names[] = { NULL, "strict", "feasible",
	    "loose", "off" };
	struct manrs_sav_customer *c;
	struct manrs_view v, extra;
	char b[80];
	int i;

	if ((c = cur(ps, kw)) == NULL)
		return;
	if (!manrs_view_token(args, &v) || manrs_view_token(args, &extra)) {
		perr(ps, MANRS_E_SYNTAX, "'urpf' takes one mode");
		return;
	}
	for (i = 1; i <= 4; i++)
		if (manrs_view_eq(v, names[i])) {
			c->urpf = (enum manrs_sav_urpf)i;
			return;
		}
	perr(ps, MANRS_E_SYNTAX, "urpf '%s': want strict, feasible, loose "
	    "or off", show(v, b, sizeof(b)));
}

static void
st_empty(struct sav_parse *ps, struct manrs_view kw, struct manrs_view *args)
{
	struct manrs_sav_customer *c;
	struct manrs_view v, extra;
	char b[80];

	if ((c = cur(ps, kw)) == NULL)
		return;
	if (!manrs_view_token(args, &v) || manrs_view_token(args, &extra)) {
		perr(ps, MANRS_E_SYNTAX, "'empty-family' takes drop or open");
		return;
	}
	if (c->empty != MANRS_SAV_EMPTY_UNSET) {
		perr(ps, MANRS_E_SYNTAX, "customer '%s': empty-family given "
		    "twice", c->name);
		return;
	}
	if (manrs_view_eq(v, "drop"))
		c->empty = MANRS_SAV_EMPTY_DROP;
	else if (manrs_view_eq(v, "open"))
		c->empty = MANRS_SAV_EMPTY_OPEN;
	else
		perr(ps, MANRS_E_SYNTAX, "empty-family '%s': want drop or "
		    "open", show(v, b, sizeof(b)));
}

/*
 * Append p to (*v, *n); limit MANRS_SAV_PREFIXES_MAX.  Duplicates are
 * removed later, all at once, by manrs_sav_finish() (a check here would
 * make a large customer quadratic).
 */
static int
prefix_push(struct manrs_prefix **v, size_t *n, const struct manrs_prefix *p)
{
	if (*n >= MANRS_SAV_PREFIXES_MAX)
		return MANRS_E_LIMIT;
	if (sav_grow(v, *n, sizeof(**v)) != 0)
		return MANRS_E_NOMEM;
	(*v)[(*n)++] = *p;
	return 0;
}

static void
st_prefixes(struct sav_parse *ps, struct manrs_view kw,
    struct manrs_view *args, struct manrs_prefix **v, size_t *n)
{
	struct manrs_prefix p;
	struct manrs_view tok;
	char b[80];
	int rc, count = 0;

	while (manrs_view_token(args, &tok)) {
		count++;
		if ((rc = manrs_prefix_parse(tok, 0, &p)) != 0) {
			perr(ps, MANRS_E_SYNTAX, "prefix '%s': %s",
			    show(tok, b, sizeof(b)), manrs_strerror(rc));
			continue;
		}
		if ((rc = prefix_push(v, n, &p)) != 0) {
			perr(ps, rc, rc == MANRS_E_LIMIT ? "more than %d "
			    "prefixes" : "out of memory (%d)",
			    MANRS_SAV_PREFIXES_MAX);
			return;
		}
	}
	if (count == 0)
		perr(ps, MANRS_E_SYNTAX, "'%s' needs at least one PREFIX",
		    show(kw, b, sizeof(b)));
}

static void
st_origin(struct sav_parse *ps, struct manrs_view kw, struct manrs_view *args)
{
	struct manrs_sav_customer *c;
	struct manrs_view tok;
	uint32_t asn;
	char b[80];
	int count = 0;

	if ((c = cur(ps, kw)) == NULL)
		return;
	while (manrs_view_token(args, &tok)) {
		count++;
		if (manrs_asn_parse(tok, &asn) != 0) {
			perr(ps, MANRS_E_SYNTAX, "origin '%s': not an ASN",
			    show(tok, b, sizeof(b)));
			continue;
		}
		if (c->nasns + c->nsets >= MANRS_SAV_ORIGINS_MAX) {
			perr(ps, MANRS_E_LIMIT, "customer '%s': more than %d "
			    "origins and AS-SETs", c->name,
			    MANRS_SAV_ORIGINS_MAX);
			return;
		}
		if (sav_grow(&c->asns, c->nasns, sizeof(*c->asns)) != 0) {
			perr(ps, MANRS_E_NOMEM, "out of memory");
			return;
		}
		c->asns[c->nasns++] = asn;
	}
	if (count == 0)
		perr(ps, MANRS_E_SYNTAX, "'origin' needs at least one ASN");
}

/* RPSL as-set name (RFC 2622 section 5.1, hierarchical RFC 2725). */
static bool
set_name_ok(struct manrs_view v)
{
	struct manrs_view rest = v, part;
	bool has_set = false;

	if (v.len == 0 || v.len >= SAV_SET_NAME_MAX ||
	    !safe_chars(v, "_-:"))
		return false;
	while (manrs_view_field(&rest, ":", false, &part)) {
		if (part.len == 0)
			return false;
		if (manrs_view_case_starts_with(part, "AS-"))
			has_set = part.len > 3 ? true : has_set;
	}
	return has_set;
}

static void
st_asset(struct sav_parse *ps, struct manrs_view kw, struct manrs_view *args)
{
	struct manrs_sav_customer *c;
	struct manrs_view tok;
	char b[80];
	int count = 0;

	if ((c = cur(ps, kw)) == NULL)
		return;
	while (manrs_view_token(args, &tok)) {
		count++;
		if (!set_name_ok(tok)) {
			perr(ps, MANRS_E_SYNTAX, "as-set '%s': not an RPSL "
			    "as-set name (AS-NAME or ASn:AS-NAME)",
			    show(tok, b, sizeof(b)));
			continue;
		}
		if (c->nasns + c->nsets >= MANRS_SAV_ORIGINS_MAX) {
			perr(ps, MANRS_E_LIMIT, "customer '%s': more than %d "
			    "origins and AS-SETs", c->name,
			    MANRS_SAV_ORIGINS_MAX);
			return;
		}
		if (sav_grow(&c->sets, c->nsets, sizeof(*c->sets)) != 0 ||
		    (c->sets[c->nsets] = strndup(tok.p, tok.len)) == NULL) {
			perr(ps, MANRS_E_NOMEM, "out of memory");
			return;
		}
		c->nsets++;
	}
	if (count == 0)
		perr(ps, MANRS_E_SYNTAX, "'as-set' needs at least one name");
}

static void
st_operator(struct sav_parse *ps, struct manrs_view *args)
{
	struct manrs_view tok, extra;
	char b[80];

	if (!manrs_view_token(args, &tok) || manrs_view_token(args, &extra)) {
		perr(ps, MANRS_E_SYNTAX, "'operator' takes one ASN");
		return;
	}
	if (ps->s->operator_asn != 0) {
		perr(ps, MANRS_E_SYNTAX, "operator given twice");
		return;
	}
	if (manrs_asn_parse(tok, &ps->s->operator_asn) != 0 ||
	    ps->s->operator_asn == 0)
		perr(ps, MANRS_E_SYNTAX, "operator '%s': not an ASN (or AS0)",
		    show(tok, b, sizeof(b)));
}

static void
st_uplink(struct sav_parse *ps, struct manrs_view *args)
{
	struct manrs_sav *s = ps->s;
	char name[MANRS_SAV_IFNAME_MAX];
	struct manrs_view tok;
	int count = 0;

	while (manrs_view_token(args, &tok)) {
		count++;
		if (ifname_parse(ps, tok, name) != 0)
			continue;
		if (s->nuplinks >= MANRS_SAV_UPLINKS_MAX) {
			perr(ps, MANRS_E_LIMIT, "more than %d uplinks",
			    MANRS_SAV_UPLINKS_MAX);
			return;
		}
		if (sav_grow(&s->uplinks, s->nuplinks,
		    sizeof(*s->uplinks)) != 0 ||
		    (s->uplinks[s->nuplinks] = strdup(name)) == NULL) {
			perr(ps, MANRS_E_NOMEM, "out of memory");
			return;
		}
		s->nuplinks++;
	}
	if (count == 0)
		perr(ps, MANRS_E_SYNTAX, "'uplink' needs at least one IFNAME");
}

static void
statement(struct sav_parse *ps, struct manrs_view line)
{
	struct manrs_sav_customer *c;
	struct manrs_view kw;
	ptrdiff_t hash;
	char b[80];

	if (line.len > MANRS_SAV_LINE_MAX) {
		perr(ps, MANRS_E_SYNTAX, "line longer than %d bytes",
		    MANRS_SAV_LINE_MAX);
		return;
	}
	if ((hash = manrs_view_find(line, '#')) >= 0)
		line.len = (size_t)hash;
	if (memchr(line.p, '\0', line.len) != NULL) {
		perr(ps, MANRS_E_SYNTAX, "NUL byte in line");
		return;
	}
	if (!manrs_view_token(&line, &kw))
		return;
	if (manrs_view_eq(kw, "customer"))
		st_customer(ps, &line);
	else if (manrs_view_eq(kw, "interface"))
		st_interface(ps, kw, &line);
	else if (manrs_view_eq(kw, "homing"))
		st_homing(ps, kw, &line);
	else if (manrs_view_eq(kw, "urpf"))
		st_urpf(ps, kw, &line);
	else if (manrs_view_eq(kw, "empty-family"))
		st_empty(ps, kw, &line);
	else if (manrs_view_eq(kw, "prefix")) {
		if ((c = cur(ps, kw)) != NULL)
			st_prefixes(ps, kw, &line, &c->prefixes,
			    &c->nprefixes);
	} else if (manrs_view_eq(kw, "origin"))
		st_origin(ps, kw, &line);
	else if (manrs_view_eq(kw, "as-set"))
		st_asset(ps, kw, &line);
	else if (manrs_view_eq(kw, "operator"))
		st_operator(ps, &line);
	else if (manrs_view_eq(kw, "own"))
		st_prefixes(ps, kw, &line, &ps->s->own, &ps->s->nown);
	else if (manrs_view_eq(kw, "uplink"))
		st_uplink(ps, &line);
	else
		perr(ps, MANRS_E_SYNTAX, "unknown keyword '%s' (want customer, "
		    "interface, homing, urpf, empty-family, prefix, origin, "
		    "as-set, operator, own or uplink)", show(kw, b, sizeof(b)));
}

static int
pcmp(const void *a, const void *b)
{
	return manrs_prefix_cmp(a, b);
}

/* Sort v and drop duplicates; returns the new count. */
static size_t
sort_unique(struct manrs_prefix *v, size_t n)
{
	size_t i, out;

	if (n < 2)
		return n;
	qsort(v, n, sizeof(*v), pcmp);
	for (out = 1, i = 1; i < n; i++)
		if (!manrs_prefix_eq(&v[out - 1], &v[i]))
			v[out++] = v[i];
	return out;
}

void
manrs_sav_finish(struct manrs_sav *s)
{
	size_t i;

	for (i = 0; i < s->ncust; i++)
		s->cust[i].nprefixes = sort_unique(s->cust[i].prefixes,
		    s->cust[i].nprefixes);
	s->nown = sort_unique(s->own, s->nown);
}

int
manrs_sav_read(struct manrs_sav *s, struct manrs_input *in,
    struct manrs_diag_sink *sink)
{
	struct sav_parse ps = { s, manrs_input_name(in), 0, sink, 0 };
	struct manrs_view line;
	int rc;

	manrs_input_set_line_max(in, MANRS_SAV_LINE_MAX);
	while ((rc = manrs_input_line(in, &line)) != 0) {
		ps.line = manrs_input_lineno(in);
		if (rc == MANRS_E_LIMIT) {
			perr(&ps, MANRS_E_SYNTAX, "line longer than %d bytes",
			    MANRS_SAV_LINE_MAX);
			continue;
		}
		if (rc < 0) {
			perr(&ps, rc, "read error: %s", manrs_strerror(rc));
			return rc;
		}
		statement(&ps, line);
		if (ps.status == MANRS_E_LIMIT || ps.status == MANRS_E_NOMEM)
			return ps.status;
	}
	manrs_sav_finish(s);
	return ps.status;
}

int
manrs_sav_parse(struct manrs_sav *s, const char *text, size_t len,
    const char *name, struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	int err, rc;

	if ((in = manrs_input_mem(text, len, name, &err)) == NULL)
		return err;
	rc = manrs_sav_read(s, in, sink);
	manrs_input_close(in);
	return rc;
}

size_t
manrs_sav_customer_count(const struct manrs_sav *s)
{
	return s->ncust;
}

const struct manrs_sav_customer *
manrs_sav_customer(const struct manrs_sav *s, size_t i)
{
	return i < s->ncust ? &s->cust[i] : NULL;
}

int
manrs_sav_customer_add_prefix(struct manrs_sav *s, size_t i,
    const struct manrs_prefix *p)
{
	struct manrs_prefix q = *p;

	if (i >= s->ncust)
		return MANRS_E_INVAL;
	manrs_prefix_mask(&q);
	return prefix_push(&s->cust[i].prefixes, &s->cust[i].nprefixes, &q);
}

void
manrs_sav_set_empty_family(struct manrs_sav *s, enum manrs_sav_empty e)
{
	s->empty = e;
}

int
manrs_sav_empty_parse(const char *name, enum manrs_sav_empty *e)
{
	if (strcmp(name, "drop") == 0)
		*e = MANRS_SAV_EMPTY_DROP;
	else if (strcmp(name, "open") == 0)
		*e = MANRS_SAV_EMPTY_OPEN;
	else
		return MANRS_E_NOTFOUND;
	return 0;
}

const char *
manrs_sav_empty_name(enum manrs_sav_empty e)
{
	return e == MANRS_SAV_EMPTY_DROP ? "drop" :
	    e == MANRS_SAV_EMPTY_OPEN ? "open" : "unset";
}

uint32_t
manrs_sav_operator_asn(const struct manrs_sav *s)
{
	return s->operator_asn;
}

const struct manrs_prefix *
manrs_sav_own(const struct manrs_sav *s, size_t *count)
{
	*count = s->nown;
	return s->own;
}

const char *const *
manrs_sav_uplinks(const struct manrs_sav *s, size_t *count)
{
	*count = s->nuplinks;
	return (const char *const *)s->uplinks;
}
