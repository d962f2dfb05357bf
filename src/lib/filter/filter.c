/*
 * filter.c - the filter job: objects, expansion with bgpq4 1.9 semantics,
 * bogon and RPKI policy.
 *
 * An as-set's prefixes are the route objects of every ASN of its
 * recursive expansion (what an IRRd answers to "!a4SET"); with -L or
 * EXCEPT the sets are walked member by member as bgpq4 does (a set at
 * depth d is entered while d + 1 < depth; every ASN goes through bgpq4's
 * add_as(), which skips its special ASNs unless -p).  A route-set member
 * with a range operator (RFC 2622 section 2) stands for every prefix
 * under it with a length in the range, capped at -m and bounded by
 * MANRS_FILTER_RANGE_PREFIXES_MAX.  Bogon prefixes (RFC 6890 registries,
 * not globally reachable) and bogon origin ASNs are removed unless
 * keep_bogons; with VRPs, RFC 6811 Invalid routes are dropped.  Every
 * removal is one event.  Gathered prefixes go into the trie sorted and
 * deduplicated (insertion in address order is several times faster).
 * Folding, rendering, --explain and the gates are in filter_result.c.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <manrs/bogon.h>

#include "filter_int.h"

void
manrs_filter_opts_init(struct manrs_filter_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->af = MANRS_AF_INET;
	o->render.vendor = MANRS_RENDER_CISCO;
	o->render.gen = MANRS_RENDER_PREFIXLIST;
	o->render.af = MANRS_AF_INET;
	o->render.aswidth = 8;
	o->max_change = MANRS_FILTER_MAX_CHANGE_DEFAULT;
}

/*
 * One event: formatted once, given to the event callback, reported to
 * the sink as a diagnostic of file "filter".
 */
void
filter_event(struct manrs_filter *f, enum manrs_severity sev,
    struct manrs_filter_event *ev, const char *fmt, ...)
{
	char msg[MANRS_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ev->msg = msg;
	if (f->o.event != NULL)
		f->o.event(f->o.event_arg, ev);
	manrs_diag_report(f->o.sink, sev, "filter", 0, UINT64_MAX, "%s", msg);
}

int
filter_strvec_add(struct filter_strvec *s, const char *p)
{
	if (manrs_grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v)) != 0)
		return MANRS_E_NOMEM;
	if ((s->v[s->n] = strdup(p)) == NULL)
		return MANRS_E_NOMEM;
	s->n++;
	return 0;
}

bool
filter_strvec_has(const struct filter_strvec *s, const char *p)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcasecmp(s->v[i], p) == 0)
			return true;
	return false;
}

void
filter_strvec_free(struct filter_strvec *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* bgpq4's special ASNs, skipped without -p. */
static bool
asn_special(uint32_t a)
{
	return a >= 4200000000u || (a >= 64496 && a <= 65551);
}

/* "AS123" -> 123; false if not an ASN. */
bool
filter_text_asn(const char *s, uint32_t *asn)
{
	if (strncasecmp(s, "AS", 2) != 0)
		return false;
	return manrs_asn_parse(manrs_view_cstr(s), asn) == 0;
}

/* As bgpq4: a set name has "AS-" at its start, or a '-' or ':'. */
bool
filter_is_set_name(const char *s)
{
	return strncasecmp(s, "AS-", 3) == 0 || strchr(s, '-') != NULL ||
	    strchr(s, ':') != NULL;
}

/* The name without a "SOURCE::" pin (as bgpq4 sends it). */
static const char *
unpinned(const char *s)
{
	const char *d = strstr(s, "::");

	return d != NULL ? d + 2 : s;
}

bool
filter_asn_gen(const struct manrs_filter *f)
{
	return f->o.render.gen == MANRS_RENDER_ASPATH ||
	    f->o.render.gen == MANRS_RENDER_OASPATH ||
	    f->o.render.gen == MANRS_RENDER_ASLIST ||
	    f->o.render.gen == MANRS_RENDER_ASSET;
}

static bool
manual_mode(const struct manrs_filter *f)
{
	return f->o.maxdepth != 0 || f->stop.n > 0;
}

/* ---- the job ----------------------------------------------------- */

struct manrs_filter *
manrs_filter_new(const struct manrs_filter_opts *o, int *err)
{
	struct manrs_filter *f;
	unsigned bits;

	*err = MANRS_E_INVAL;
	if (o->af != MANRS_AF_INET && o->af != MANRS_AF_INET6)
		return NULL;
	bits = manrs_af_bits(o->af);
	if (o->maxlen > bits || o->refine > bits || o->refine_low > bits ||
	    (o->refine != 0 && o->refine_low > o->refine) ||
	    o->nbeacons > MANRS_FILTER_BEACONS_MAX || o->maxdepth < 0 ||
	    !(o->max_change >= 0) || (o->nbeacons > 0 && o->beacons == NULL))
		return NULL;
	if ((unsigned)o->render.vendor > MANRS_RENDER_FORMAT ||
	    (unsigned)o->render.gen > MANRS_RENDER_ASSET ||
	    (o->render.vendor == MANRS_RENDER_FORMAT &&
	    (o->render.format == NULL ||
	    manrs_render_format_check(o->render.format) != 0)))
		return NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	f->o = *o;
	f->o.render.af = o->af;
	if (f->o.refine_low != 0 && f->o.refine == 0)
		f->o.refine = bits;
	f->maxlen = o->maxlen != 0 ? o->maxlen : bits;
	*err = 0;
	return f;
}

void
manrs_filter_free(struct manrs_filter *f)
{
	if (f == NULL)
		return;
	free(f->sets);
	free(f->rsets);
	free(f->cli_asns);
	free(f->prefixes);
	free(f->pdash);
	filter_strvec_free(&f->stop);
	filter_strvec_free(&f->already);
	manrs_irrdb_asns_clear(&f->asns);
	if (f->trie != NULL)
		manrs_trie_free(f->trie);
	free(f->pend);
	free(f);
}

static int
push_name(const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n >= MANRS_FILTER_OBJECTS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)v, cap, *n, sizeof(**v)) != 0)
		return MANRS_E_NOMEM;
	(*v)[(*n)++] = s;
	return 0;
}

static int
add_asn_object(struct manrs_filter *f, const char *arg, const char *obj)
{
	struct manrs_filter_event ev = { .kind = MANRS_FILTER_EV_OBJECT_INVALID,
	    .object = arg };
	const char *e = obj + 2;
	uint32_t asn;

	if (!filter_text_asn(obj, &asn)) {
		/* bgpq4's words: the first character that is not a digit */
		while (*e >= '0' && *e <= '9')
			e++;
		filter_event(f, MANRS_SEV_ERROR, &ev, "Invalid symbol in AS "
		    "number: '%c' in %s", *e != '\0' ? *e : ' ', arg);
		return 0;
	}
	if (!f->o.special && asn_special(asn)) {
		ev.asn = asn;
		filter_event(f, MANRS_SEV_ERROR, &ev,
		    "Invalid AS number: %" PRIu32, asn);
		return 0;
	}
	if (f->ncli_asns >= MANRS_FILTER_OBJECTS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&f->cli_asns, &f->ccli_asns, f->ncli_asns,
	    sizeof(*f->cli_asns)) != 0)
		return MANRS_E_NOMEM;
	f->cli_asns[f->ncli_asns++] = asn;
	return 0;
}

static int
add_prefix_object(struct manrs_filter *f, const char *arg)
{
	struct manrs_filter_event ev = { .kind = MANRS_FILTER_EV_OBJECT_INVALID,
	    .object = arg };
	struct manrs_prefix_range r;
	const char *op = strchr(arg, '^');

	if (manrs_irrdb_range_parse(manrs_view_cstr(arg), &r) != 0 ||
	    r.prefix.af != f->o.af || r.prefix.len > f->maxlen) {
		filter_event(f, MANRS_SEV_ERROR, &ev, "Unable to add %s %s "
		    "(bad %s or address-family)", op ? "prefix-range" :
		    "prefix", arg, op ? "range" : "prefix");
		return MANRS_E_SYNTAX;
	}
	if (f->nprefixes >= MANRS_FILTER_OBJECTS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&f->prefixes, &f->cprefixes, f->nprefixes,
	    sizeof(*f->prefixes)) != 0 || manrs_grow((void **)&f->pdash,
	    &f->cpdash, f->nprefixes, sizeof(*f->pdash)) != 0)
		return MANRS_E_NOMEM;
	f->prefixes[f->nprefixes] = r;
	f->pdash[f->nprefixes] = op != NULL && strchr(op, '-') != NULL &&
	    op[1] != '-';
	f->nprefixes++;
	return 0;
}

int
manrs_filter_add_object(struct manrs_filter *f, const char *arg, bool except)
{
	const char *obj = unpinned(arg);

	if (except) {
		if (f->stop.n >= MANRS_FILTER_EXCEPT_MAX)
			return MANRS_E_LIMIT;
		return filter_strvec_add(&f->stop, arg);
	}
	if (strncasecmp(obj, "AS-", 3) == 0)
		return push_name(&f->sets, &f->nsets, &f->csets, arg);
	if (strncasecmp(obj, "RS-", 3) == 0)
		return push_name(&f->rsets, &f->nrsets, &f->crsets, arg);
	if (strncasecmp(obj, "AS", 2) == 0) {
		const char *ec = strchr(obj, ':');
		struct manrs_filter_event ev = {
		    .kind = MANRS_FILTER_EV_OBJECT_IGNORED, .object = arg };

		if (ec == NULL)
			return add_asn_object(f, arg, obj);
		if (strncasecmp(ec + 1, "AS-", 3) == 0)
			return push_name(&f->sets, &f->nsets, &f->csets, arg);
		if (strncasecmp(ec + 1, "RS-", 3) == 0)
			return push_name(&f->rsets, &f->nrsets, &f->crsets,
			    arg);
		filter_event(f, MANRS_SEV_WARNING, &ev,
		    "unknown sub-as object %s ignored", arg);
		return 0;
	}
	return add_prefix_object(f, arg);
}

size_t
manrs_filter_nsets(const struct manrs_filter *f, bool routesets)
{
	return routesets ? f->nrsets : f->nsets;
}

const char *
manrs_filter_set(const struct manrs_filter *f, bool routesets, size_t i)
{
	if (routesets)
		return i < f->nrsets ? f->rsets[i] : NULL;
	return i < f->nsets ? f->sets[i] : NULL;
}

bool
manrs_filter_needs_db(const struct manrs_filter *f)
{
	return manual_mode(f) || f->o.explain || f->o.validate_real;
}

/* ---- data: local database or the caller's lookup ----------------- */

static int
get_asset(struct manrs_filter *f, const char *name,
    struct manrs_irrdb_asns *a, unsigned *flags)
{
	const struct manrs_filter_lookup *l = f->data->lookup;

	if (l == NULL)
		return manrs_irrdb_expand_asset(f->data->db,
		    manrs_view_cstr(name), &f->sel, NULL, a, flags, NULL);
	return l->asset(l->arg, name, a, flags);
}

static int
get_rset(struct manrs_filter *f, const char *name,
    struct manrs_irrdb_ranges *r, unsigned *flags)
{
	const struct manrs_filter_lookup *l = f->data->lookup;

	if (l == NULL)
		return manrs_irrdb_expand_routeset(f->data->db,
		    manrs_view_cstr(name), &f->sel, f->o.af, NULL, r, flags,
		    NULL);
	return l->routeset(l->arg, name, f->o.af, r, flags);
}

static int
get_origin(struct manrs_filter *f, uint32_t asn, struct manrs_irrdb_ranges *r)
{
	const struct manrs_filter_lookup *l = f->data->lookup;

	if (l == NULL)
		return manrs_irrdb_origin_prefixes(f->data->db, asn, f->o.af,
		    &f->sel, r);
	return l->origin(l->arg, asn, f->o.af, r);
}

struct members {
	struct filter_strvec	*v;
	int			 err;
};

static int
member_cb(struct manrs_view m, void *arg)
{
	struct members *mb = arg;
	char buf[MANRS_IRRDB_SET_NAME_MAX + 1];

	if (manrs_view_copy(m, buf, sizeof(buf)) != 0)
		return 0;
	if ((mb->err = filter_strvec_add(mb->v, buf)) != 0)
		return 1;
	return 0;
}

/* The direct members of a set (local database), names copied. */
int
filter_set_members(struct manrs_filter *f, const char *name,
    struct filter_strvec *out)
{
	struct members mb = { out, 0 };

	manrs_irrdb_set_members(f->data->db, manrs_view_cstr(name), &f->sel,
	    member_cb, &mb, NULL);
	return mb.err;
}

/* ---- ASN and prefix collection ----------------------------------- */

static int
asns_push(struct manrs_irrdb_asns *a, uint32_t asn)
{
	if (manrs_grow((void **)&a->v, &a->cap, a->n, sizeof(*a->v)) != 0)
		return MANRS_E_NOMEM;
	a->v[a->n++] = asn;
	return 0;
}

static int
u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
asns_sort(struct manrs_irrdb_asns *a)
{
	size_t i, k = 0;

	if (a->n == 0)
		return;
	qsort(a->v, a->n, sizeof(*a->v), u32cmp);
	for (i = 1; i < a->n; i++)
		if (a->v[i] != a->v[k])
			a->v[++k] = a->v[i];
	a->n = k + 1;
}

static bool
asns_has(const struct manrs_irrdb_asns *a, uint32_t asn)
{
	return a->n > 0 && bsearch(&asn, a->v, a->n, sizeof(*a->v),
	    u32cmp) != NULL;
}

/* The sorted unique union of a and b (new storage in *u). */
static int
asns_union(const struct manrs_irrdb_asns *a, const struct manrs_irrdb_asns *b,
    struct manrs_irrdb_asns *u)
{
	size_t i;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < a->n; i++)
		if (asns_push(u, a->v[i]) != 0)
			goto nomem;
	for (i = 0; i < b->n; i++)
		if (asns_push(u, b->v[i]) != 0)
			goto nomem;
	asns_sort(u);
	return 0;
nomem:
	manrs_irrdb_asns_clear(u);
	return MANRS_E_NOMEM;
}

/* -L / EXCEPT: bgpq4's walk with non-recursive "!i SET". */
static int
walk_set(struct manrs_filter *f, const char *name, int depth)
{
	struct filter_strvec mv = { NULL, 0, 0 };
	size_t i;
	int rc;

	if ((rc = filter_set_members(f, name, &mv)) != 0)
		goto out;
	for (i = 0; i < mv.n && rc == 0; i++) {
		const char *m = mv.v[i];
		uint32_t asn;

		if (filter_is_set_name(m)) {
			if (filter_strvec_has(&f->already, m) ||
			    filter_strvec_has(&f->stop, m))
				continue;
			if (f->o.maxdepth != 0 && depth + 1 >= f->o.maxdepth)
				continue;
			if ((rc = filter_strvec_add(&f->already, m)) != 0)
				break;
			rc = walk_set(f, m, depth + 1);
		} else if (strncasecmp(m, "AS", 2) == 0) {
			if (filter_strvec_has(&f->stop, m) ||
			    !filter_text_asn(m, &asn))
				continue;
			if (!f->o.special && asn_special(asn))
				continue;
			rc = asns_push(&f->asns, asn);
		}
	}
out:
	filter_strvec_free(&mv);
	return rc;
}

static const struct manrs_bogon_asn *
bogon_asn(const struct manrs_filter *f, uint32_t asn)
{
	return f->o.keep_bogons ? NULL : manrs_bogon_asn_find(asn);
}

/* True when p must be dropped as a bogon (reported). */
static bool
bogon_prefix(struct manrs_filter *f, const struct manrs_prefix *p,
    uint32_t asn)
{
	struct manrs_filter_event ev = { .kind = MANRS_FILTER_EV_BOGON_PREFIX,
	    .prefix = *p, .asn = asn };
	struct manrs_bogon_match m;
	char buf[MANRS_PREFIX_STRLEN], org[32] = "";
	const char *how;

	if (f->o.keep_bogons)
		return false;
	manrs_bogon_prefix_check(p, &m);
	if (m.kind != MANRS_BOGON_INSIDE && m.kind != MANRS_BOGON_COVERS)
		return false;
	manrs_prefix_print(p, buf, sizeof(buf));
	if (asn != 0)
		snprintf(org, sizeof(org), " (origin AS%" PRIu32 ")", asn);
	how = m.kind == MANRS_BOGON_INSIDE ? "inside" : "covers";
	ev.entry = m.entry->name;
	ev.rfc = m.entry->rfc;
	filter_event(f, MANRS_SEV_WARNING, &ev, "bogon prefix %s%s removed: "
	    "%s %s (%s)", buf, org, how, m.entry->name, m.entry->rfc);
	f->bogon_prefixes++;
	return true;
}

static int
insert(struct manrs_filter *f, const struct manrs_prefix *p)
{
	if (manrs_grow((void **)&f->pend, &f->cpend, f->npend,
	    sizeof(*f->pend)) != 0)
		return MANRS_E_NOMEM;
	f->pend[f->npend++] = *p;
	return 0;
}

static int
pcmp(const void *a, const void *b)
{
	return manrs_prefix_cmp(a, b);
}

/*
 * The key bytes of a prefix, least significant first: the order of
 * manrs_prefix_cmp() is (af, addr[0..15], len) compared byte by byte.
 */
#define KEY_BYTES	18

static uint8_t
key_byte(const struct manrs_prefix *p, int k)
{
	return k == 0 ? p->len : k == KEY_BYTES - 1 ? p->af :
	    p->addr[KEY_BYTES - 2 - k];
}

/*
 * Sort v[0..n) in manrs_prefix_cmp() order: an LSD radix sort over the
 * key bytes, skipping those all prefixes share (for IPv4 twelve zero
 * address bytes and the family): 5 passes and no comparisons instead of
 * qsort's n log n calls of memcmp.  Equal keys are equal prefixes, so
 * the result is the one qsort gives.  Falls back to qsort without memory.
 */
static void
prefix_sort(struct manrs_prefix *v, size_t n)
{
	size_t (*cnt)[256], i, sum, c;
	struct manrs_prefix *tmp, *src = v, *dst, *t;
	int k;

	if (n < 64 || (cnt = calloc(KEY_BYTES, sizeof(*cnt))) == NULL) {
		qsort(v, n, sizeof(*v), pcmp);
		return;
	}
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL) {
		free(cnt);
		qsort(v, n, sizeof(*v), pcmp);
		return;
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < KEY_BYTES; k++)
			cnt[k][key_byte(&v[i], k)]++;
	dst = tmp;
	for (k = 0; k < KEY_BYTES; k++) {
		if (cnt[k][key_byte(&v[0], k)] == n)
			continue;	/* one value: the pass moves nothing */
		for (i = 0, sum = 0; i < 256; i++) {
			c = cnt[k][i];
			cnt[k][i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[k][key_byte(&src[i], k)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	free(cnt);
}

static int
flush(struct manrs_filter *f)
{
	size_t i;
	int rc = 0;

	if (f->npend > 1)
		prefix_sort(f->pend, f->npend);
	for (i = 0; i < f->npend && rc == 0; i++) {
		if (i > 0 && manrs_prefix_eq(&f->pend[i], &f->pend[i - 1]))
			continue;
		rc = manrs_trie_add(f->trie, &f->pend[i], 1, NULL);
		if (rc == MANRS_E_EXIST)
			rc = 0;
	}
	f->npend = 0;
	return rc;
}

/*
 * Every prefix under p with a length in [min, max] (bgpq4's
 * sx_radix_tree_insert_specifics).  Bounded by the caller.
 */
static int
specifics(struct manrs_filter *f, struct manrs_prefix p, unsigned min,
    unsigned max)
{
	struct manrs_prefix q;
	int rc;

	if (p.len >= min && (rc = insert(f, &p)) != 0)
		return rc;
	if (p.len + 1u > max)
		return 0;
	p.len++;
	if ((rc = specifics(f, p, min, max)) != 0)
		return rc;
	q = p;
	q.addr[(p.len - 1) / 8] |= (uint8_t)(0x80u >> ((p.len - 1) % 8));
	return specifics(f, q, min, max);
}

/* A prefix range ("p^+", "p^-", "p^n", "p^n-m") the way bgpq4 takes it. */
static int
insert_range(struct manrs_filter *f, const struct manrs_prefix_range *r,
    const char *from, bool dash)
{
	struct manrs_filter_event ev = { .prefix = r->prefix, .object = from };
	unsigned max = r->max, l;
	uint64_t count = 0;
	char buf[MANRS_PREFIX_STRLEN + 16];

	if (r->prefix.af != f->o.af || r->prefix.len > f->maxlen)
		return 0;
	if (bogon_prefix(f, &r->prefix, 0))
		return 0;
	if (r->min == r->prefix.len && r->max == r->prefix.len)
		return insert(f, &r->prefix);
	manrs_irrdb_range_print(r, buf, sizeof(buf));
	if (r->min == r->max && !dash) {
		/* "p^n" (an IRRd prints n-n so): bgpq4 1.9 reads n-0. */
		ev.kind = MANRS_FILTER_EV_RANGE_IGNORED;
		filter_event(f, MANRS_SEV_NOTE, &ev, "%s: %s ignored, as bgpq4 "
		    "1.9 does (it reads \"^n\" as n-0; write ^n-n in a prefix "
		    "argument)", from, buf);
		return 0;
	}
	if (max > f->maxlen)
		max = f->maxlen;
	for (l = r->min; l <= max; l++) {
		count += (uint64_t)1 << (l - r->prefix.len > 40 ? 40 :
		    l - r->prefix.len);
		if (count > MANRS_FILTER_RANGE_PREFIXES_MAX) {
			ev.kind = MANRS_FILTER_EV_OBJECT_IGNORED;
			filter_event(f, MANRS_SEV_ERROR, &ev, "%s: range %s "
			    "stands for more than %u prefixes (use -m)", from,
			    buf, MANRS_FILTER_RANGE_PREFIXES_MAX);
			return MANRS_E_LIMIT;
		}
	}
	return specifics(f, r->prefix, r->min, max);
}

static bool
rpki_invalid(struct manrs_filter *f, const struct manrs_prefix *p,
    uint32_t asn)
{
	struct manrs_filter_event ev = { .kind = MANRS_FILTER_EV_RPKI_INVALID,
	    .prefix = *p, .asn = asn };
	char buf[MANRS_PREFIX_STRLEN];

	if (f->data->vrps == NULL || manrs_rov_validate(f->data->vrps, p, asn,
	    false, NULL) != MANRS_ROV_INVALID)
		return false;
	manrs_prefix_print(p, buf, sizeof(buf));
	filter_event(f, MANRS_SEV_WARNING, &ev, "RPKI-invalid %s (origin AS%"
	    PRIu32 ") removed", buf, asn);
	f->rpki_dropped++;
	return true;
}

/* The route objects of one origin. */
static int
origin_routes(struct manrs_filter *f, uint32_t asn)
{
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	const struct manrs_bogon_asn *b;
	size_t i;
	int rc;

	if ((rc = get_origin(f, asn, &r)) != 0)
		goto out;
	manrs_irrdb_ranges_sort(&r);
	if (r.n > 0 && (b = bogon_asn(f, asn)) != NULL) {
		struct manrs_filter_event ev = {
		    .kind = MANRS_FILTER_EV_BOGON_ASN, .asn = asn,
		    .entry = b->name, .rfc = b->rfc, .count = r.n };

		filter_event(f, MANRS_SEV_WARNING, &ev, "bogon AS%" PRIu32
		    " removed (%zu route%s): %s (%s)", asn, r.n,
		    r.n == 1 ? "" : "s", b->name, b->rfc);
		f->bogon_asns++;
		goto out;
	}
	for (i = 0; i < r.n && rc == 0; i++) {
		const struct manrs_prefix *p = &r.v[i].prefix;

		if (p->len > f->maxlen)
			continue;
		f->routes++;
		if (bogon_prefix(f, p, asn) || rpki_invalid(f, p, asn))
			continue;
		rc = insert(f, p);
	}
out:
	manrs_irrdb_ranges_clear(&r);
	return rc;
}

/* rpki_add: the ROA prefixes (exact length) of the ASNs in a. */
static int
rpki_add(struct manrs_filter *f, const struct manrs_irrdb_asns *a)
{
	const struct manrs_vrp_set *vrps = f->data->vrps;
	size_t i, n = manrs_vrp_count(vrps, f->o.af), before;
	int rc = 0;

	before = manrs_trie_count(f->trie, f->o.af);
	for (i = 0; i < n && rc == 0; i++) {
		const struct manrs_vrp *v = manrs_vrp_get(vrps, i);

		if (v == NULL)
			break;
		if (v->prefix.af != f->o.af || v->prefix.len > f->maxlen ||
		    !asns_has(a, v->asn))
			continue;
		if (bogon_asn(f, v->asn) != NULL ||
		    bogon_prefix(f, &v->prefix, v->asn))
			continue;
		rc = insert(f, &v->prefix);
	}
	if (rc == 0)
		rc = flush(f);
	f->rpki_added = manrs_trie_count(f->trie, f->o.af) - before;
	return rc;
}

/* A limit cut the expansion, or the set is missing: say so. */
static void
set_flags(struct manrs_filter *f, const char *set, unsigned flags)
{
	struct manrs_filter_event ev = { .object = set, .flags = flags };

	if (flags & MANRS_IRRDB_F_NOTFOUND) {
		ev.kind = MANRS_FILTER_EV_SET_NOT_FOUND;
		filter_event(f, MANRS_SEV_WARNING, &ev, "%s: no such set",
		    set);
	}
	ev.kind = MANRS_FILTER_EV_CUT;
	if (flags & MANRS_IRRDB_F_DEPTH)
		filter_event(f, MANRS_SEV_WARNING, &ev, "%s: expansion cut at "
		    "the depth limit (sets nested deeper than %u levels); the "
		    "result is incomplete", set, MANRS_IRRDB_DEPTH_DEFAULT);
	if (flags & MANRS_IRRDB_F_SIZE)
		filter_event(f, MANRS_SEV_WARNING, &ev, "%s: expansion cut at "
		    "a size limit (%u sets, %u ASNs or %u prefixes); the "
		    "result is incomplete", set, MANRS_IRRDB_SETS_DEFAULT,
		    MANRS_IRRDB_ASNS_DEFAULT, MANRS_IRRDB_PREFIXES_DEFAULT);
}

/*
 * The as-sets: the ASNs of AS-path generations (and -w) into f->asns
 * (bgpq4's "!i SET,1", special ASNs skipped); for prefix generations
 * every ASN into *all (bgpq4's "!a4 SET": no special filter).
 */
static int
expand_sets(struct manrs_filter *f, struct manrs_irrdb_asns *all)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; i < f->nsets && rc == 0; i++) {
		const char *s = f->sets[i];
		struct manrs_irrdb_asns a = { NULL, 0, 0 };
		unsigned flags = 0;

		if (manual_mode(f)) {
			if ((rc = filter_strvec_add(&f->already,
			    unpinned(s))) == 0)
				rc = walk_set(f, s, 0);
			continue;
		}
		rc = get_asset(f, s, &a, &flags);
		set_flags(f, s, flags);
		for (j = 0; j < a.n && rc == 0; j++) {
			if (filter_asn_gen(f) || f->o.validate_asns) {
				if (!f->o.special && asn_special(a.v[j]))
					continue;
				rc = asns_push(&f->asns, a.v[j]);
			} else
				rc = asns_push(all, a.v[j]);
		}
		manrs_irrdb_asns_clear(&a);
	}
	return rc;
}

/* AS-path generations: --validate-asns, then bogon ASNs removed. */
static void
finish_asns(struct manrs_filter *f)
{
	size_t i, k = 0;

	/*
	 * -w is meant to keep only ASNs with registered routes, but bgpq4
	 * 1.9 removes none (its check is inverted), and the output must be
	 * the same: validate_real does it for real.
	 */
	if (f->o.validate_real) {
		for (i = 0; i < f->asns.n; i++) {
			struct manrs_irrdb_ranges r = { NULL, 0, 0 };

			manrs_irrdb_origin_prefixes(f->data->db, f->asns.v[i],
			    f->o.af, &f->sel, &r);
			if (r.n > 0)
				f->asns.v[k++] = f->asns.v[i];
			manrs_irrdb_ranges_clear(&r);
		}
		f->asns.n = k;
	}
	if (f->o.keep_bogons)
		return;
	for (i = k = 0; i < f->asns.n; i++) {
		const struct manrs_bogon_asn *b =
		    manrs_bogon_asn_find(f->asns.v[i]);
		struct manrs_filter_event ev = {
		    .kind = MANRS_FILTER_EV_BOGON_ASN, .asn = f->asns.v[i] };

		if (b == NULL) {
			f->asns.v[k++] = f->asns.v[i];
			continue;
		}
		ev.entry = b->name;
		ev.rfc = b->rfc;
		filter_event(f, MANRS_SEV_WARNING, &ev, "bogon AS%" PRIu32
		    " removed: %s (%s)", f->asns.v[i], b->name, b->rfc);
		f->bogon_asns++;
	}
	f->asns.n = k;
}

/* Prefix generations: route-sets, prefixes, then every origin's routes. */
static int
expand_prefixes(struct manrs_filter *f, const struct manrs_irrdb_asns *all)
{
	const struct manrs_filter_lookup *l = f->data->lookup;
	struct manrs_irrdb_asns u = { NULL, 0, 0 };
	size_t i, j;
	int rc;

	if ((rc = asns_union(&f->asns, all, &u)) != 0)
		return rc;
	if (l != NULL && l->origins != NULL &&
	    (rc = l->origins(l->arg, u.v, u.n, f->o.af)) != 0)
		goto out;
	for (i = 0; i < f->nrsets && rc == 0; i++) {
		struct manrs_irrdb_ranges r = { NULL, 0, 0 };
		unsigned flags = 0;

		rc = get_rset(f, f->rsets[i], &r, &flags);
		set_flags(f, f->rsets[i], flags & ~MANRS_IRRDB_F_NOTFOUND);
		for (j = 0; j < r.n && rc == 0; j++)
			rc = insert_range(f, &r.v[j], f->rsets[i], false);
		manrs_irrdb_ranges_clear(&r);
	}
	for (i = 0; i < f->nprefixes && rc == 0; i++)
		rc = insert_range(f, &f->prefixes[i], "command line",
		    f->pdash[i]);
	/* Origins: the command line's and -L walk's, then the sets'. */
	for (i = 0; i < f->asns.n && rc == 0; i++)
		rc = origin_routes(f, f->asns.v[i]);
	for (i = 0; i < all->n && rc == 0; i++)
		if (!asns_has(&f->asns, all->v[i]))
			rc = origin_routes(f, all->v[i]);
	if (rc == 0)
		rc = flush(f);
	if (rc == 0 && f->o.rpki_add && f->data->vrps != NULL)
		rc = rpki_add(f, &u);
out:
	manrs_irrdb_asns_clear(&u);
	return rc;
}

int
filter_expand(struct manrs_filter *f)
{
	struct manrs_irrdb_asns all = { NULL, 0, 0 };	/* prefix origins */
	size_t i;
	int rc = 0;

	for (i = 0; i < f->ncli_asns && rc == 0; i++)
		rc = asns_push(&f->asns, f->cli_asns[i]);
	if (rc == 0)
		rc = expand_sets(f, &all);
	if (rc != 0)
		goto out;
	asns_sort(&f->asns);
	asns_sort(&all);
	if (filter_asn_gen(f))
		finish_asns(f);
	else
		rc = expand_prefixes(f, &all);
out:
	manrs_irrdb_asns_clear(&all);
	return rc;
}
