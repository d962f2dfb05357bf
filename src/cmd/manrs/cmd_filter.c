/*
 * cmd_filter.c - "manrs filter": bgpq4-compatible filter generation from
 * the local IRR database, with MANRS safety gates.
 *
 * The flags and objects are bgpq4 1.9's (see docs/filter.md); the list is
 * computed from the local database (--source NAME=FILE[,FILE...]) the way
 * bgpq4 computes it from an IRRd (an as-set's prefixes are its "!a"
 * answer; with -L or EXCEPT the sets are walked member by member as
 * bgpq4 does), folded by the trie module (-A, -R, -r) and printed by the
 * render module.  The extras: bogon prefixes and ASNs are removed (and
 * reported) unless --keep-bogons; --rpki drops RPKI-invalid routes,
 * --rpki-add adds the ROA prefixes of the expanded ASNs; an empty result
 * exits 3 unless --allow-empty; --previous refuses (exit 4) a list that
 * changed by more than --max-change percent; --beacon prefixes must be
 * in the result; --explain tells why a prefix is in or out;
 * --max-prefix suggests a BGP max-prefix limit.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <manrs/manrs.h>
#include <manrs/aggregate.h>
#include <manrs/bogon.h>
#include <manrs/irrdb.h>
#include <manrs/peeringdb.h>
#include <manrs/render.h>
#include <manrs/trie.h>
#include <manrs/vrp.h>

#include "cli.h"
#include "irr_load.h"
#include "rtrd_load.h"
#include "filter_remote.h"

#define FILTER_OBJECTS_MAX	4096	/* objects on one command line */
#define FILTER_BEACONS_MAX	64
#define FILTER_PREV_MAX		(1u << 24) /* lines of a --previous file */
#define FILTER_STOP_MAX		4096
/* Most prefixes one "p^n-m" range may stand for (bgpq4 lists them all). */
#define FILTER_RANGE_PREFIXES_MAX	(1u << 20)

struct strvec {
	char	**v;
	size_t	  n, cap;
};

struct filter {
	struct manrs_render_opts ro;
	uint8_t		 af;
	bool		 aggregate;
	unsigned	 refine, refine_low, maxlen;
	int		 maxdepth;
	const char	*sources;	/* -S */
	bool		 validate_asns;	/* -w */
	bool		 special;	/* -p */
	bool		 validate_real;	/* --validate-asns */
	/* extras */
	bool		 keep_bogons;
	bool		 allow_empty;
	bool		 rpki_add;
	bool		 max_prefix;
	const char	*previous;
	double		 max_change;
	const char	*explain;
	const char	*peeringdb;
	struct manrs_prefix beacons[FILTER_BEACONS_MAX];
	size_t		 nbeacons;
	struct cli_vrps	 rpki;		/* --vrps/--rpki, --now, --allow-stale */
	/* objects */
	const char	*sets[FILTER_OBJECTS_MAX];
	size_t		 nsets;
	const char	*rsets[FILTER_OBJECTS_MAX];
	size_t		 nrsets;
	uint32_t	 cli_asns[FILTER_OBJECTS_MAX];
	size_t		 ncli_asns;
	struct manrs_prefix_range prefixes[FILTER_OBJECTS_MAX];
	size_t		 nprefixes;
	bool		 pdash[FILTER_OBJECTS_MAX];	/* "^n-m" form */
	struct strvec	 stop;		/* EXCEPT objects */
	struct strvec	 already;	/* sets walked (manual mode) */
	/* -h: remote IRRd; answers fetched before the expansion */
	const char	*host;
	int		 timeout;
	struct manrs_irrdb_asns	 *r_sets;	/* per sets[i] */
	unsigned	*r_setflags;
	struct manrs_irrdb_ranges *r_rsets;	/* per rsets[i] */
	uint32_t	*r_oasn;		/* origin cache, sorted */
	struct manrs_irrdb_ranges *r_orig;
	size_t		 r_on;
	/* state */
	struct manrs_irrdb	*db;
	struct manrs_irrdb_sel	 sel;
	struct manrs_vrp_set	*vrps;
	struct manrs_irrdb_asns	 asns;	/* ASNs (as-path lists, --rpki-add) */
	struct manrs_trie	*trie;
	struct manrs_prefix	*pend;	/* gathered, not yet in the trie */
	size_t			 npend, cpend;
	struct manrs_diag_sink	 sink;
	uint64_t	 routes, bogon_prefixes, bogon_asns, rpki_dropped,
			 rpki_added;
};

static int
strvec_add(struct strvec *s, const char *p)
{
	if (manrs_grow((void **)&s->v, &s->cap, s->n,
	    sizeof(*s->v)) != 0)
		return MANRS_E_NOMEM;
	if ((s->v[s->n] = strdup(p)) == NULL)
		return MANRS_E_NOMEM;
	s->n++;
	return 0;
}

static bool
strvec_has(const struct strvec *s, const char *p)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcasecmp(s->v[i], p) == 0)
			return true;
	return false;
}

static void
strvec_free(struct strvec *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* bgpq4's special ASNs, skipped without -p. */
static bool
asn_special(uint32_t a)
{
	return a >= 4200000000u || (a >= 64496 && a <= 65551);
}

/* bgpq4's AS number syntax (-f/-G/-H/-a): "N" or "N.M". */
static int
parse_asnumber(const char *s, uint32_t *out)
{
	char *e = NULL;
	unsigned long v, lo;

	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno != 0 || v < 1 || v > 65535ul * 65535ul)
		goto bad;
	if (*e == '.') {
		lo = strtoul(e + 1, &e, 10);
		if (v > 65535 || lo < 1 || lo > 65535 || *e != '\0')
			goto bad;
		v = (v << 16) + lo;
	} else if (*e != '\0')
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	cli_warnx("filter: Invalid AS number: %s", s);
	return -1;
}

static int
add_asn(struct filter *f, uint32_t asn)
{
	struct manrs_irrdb_asns *a = &f->asns;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		uint32_t *v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return MANRS_E_NOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = asn;
	return 0;
}

static int
add_asn_vec(struct manrs_irrdb_asns *a, uint32_t asn)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		uint32_t *v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return MANRS_E_NOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = asn;
	return 0;
}

static int
ranges_push(struct manrs_irrdb_ranges *r, const struct manrs_prefix_range *x)
{
	if (manrs_grow((void **)&r->v, &r->cap, r->n,
	    sizeof(*r->v)) != 0)
		return MANRS_E_NOMEM;
	r->v[r->n++] = *x;
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

/* "AS123" -> 123; false if not an ASN. */
static bool
text_asn(const char *s, uint32_t *asn)
{
	if (strncasecmp(s, "AS", 2) != 0)
		return false;
	return manrs_asn_parse(manrs_view_cstr(s), asn) == 0;
}

/* As bgpq4: a set name has "AS-" at its start, or a '-' or ':'. */
static bool
is_set_name(const char *s)
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

/* ---- manual walk (-L depth or EXCEPT), as bgpq4 does it ---------- */

struct members {
	struct strvec	v;
	int		err;
};

static int
member_cb(struct manrs_view m, void *arg)
{
	struct members *mb = arg;
	char buf[MANRS_IRRDB_SET_NAME_MAX + 1];

	if (manrs_view_copy(m, buf, sizeof(buf)) != 0)
		return 0;
	if ((mb->err = strvec_add(&mb->v, buf)) != 0)
		return 1;
	return 0;
}

static int
walk_set(struct filter *f, const char *name, int depth)
{
	struct members mb = { { NULL, 0, 0 }, 0 };
	size_t i;
	int rc = 0;

	manrs_irrdb_set_members(f->db, manrs_view_cstr(name), &f->sel,
	    member_cb, &mb, NULL);
	if (mb.err != 0) {
		rc = mb.err;
		goto out;
	}
	for (i = 0; i < mb.v.n && rc == 0; i++) {
		const char *m = mb.v.v[i];
		uint32_t asn;

		if (is_set_name(m)) {
			if (strvec_has(&f->already, m) ||
			    strvec_has(&f->stop, m))
				continue;
			if (f->maxdepth != 0 && depth + 1 >= f->maxdepth)
				continue;
			if ((rc = strvec_add(&f->already, m)) != 0)
				break;
			rc = walk_set(f, m, depth + 1);
		} else if (strncasecmp(m, "AS", 2) == 0) {
			if (strvec_has(&f->stop, m))
				continue;
			if (!text_asn(m, &asn))
				continue;
			if (!f->special && asn_special(asn))
				continue;
			rc = add_asn(f, asn);
		}
	}
out:
	strvec_free(&mb.v);
	return rc;
}

static int	get_origin(struct filter *f, uint32_t asn,
		    struct manrs_irrdb_ranges *r);

/* ---- route filtering: bogons, RPKI ------------------------------- */

static const struct manrs_bogon_asn *
bogon_asn(const struct filter *f, uint32_t asn)
{
	return f->keep_bogons ? NULL : manrs_bogon_asn_find(asn);
}

/* True when p must be dropped as a bogon (reported). */
static bool
bogon_prefix(struct filter *f, const struct manrs_prefix *p, uint32_t asn,
    bool quiet)
{
	struct manrs_bogon_match m;
	char buf[MANRS_PREFIX_STRLEN];

	if (f->keep_bogons)
		return false;
	manrs_bogon_prefix_check(p, &m);
	if (m.kind != MANRS_BOGON_INSIDE && m.kind != MANRS_BOGON_COVERS)
		return false;
	if (!quiet) {
		manrs_prefix_print(p, buf, sizeof(buf));
		if (asn != 0)
			fprintf(stderr, "manrs: filter: bogon prefix %s "
			    "(origin AS%" PRIu32 ") removed: %s %s (%s)\n",
			    buf, asn, m.kind == MANRS_BOGON_INSIDE ?
			    "inside" : "covers", m.entry->name, m.entry->rfc);
		else
			fprintf(stderr, "manrs: filter: bogon prefix %s "
			    "removed: %s %s (%s)\n", buf,
			    m.kind == MANRS_BOGON_INSIDE ? "inside" : "covers",
			    m.entry->name, m.entry->rfc);
	}
	f->bogon_prefixes++;
	return true;
}

/*
 * Prefixes are gathered first and put into the trie sorted and
 * deduplicated (flush): inserting in address order is several times
 * faster than in the order the origins give them.
 */
static int
insert(struct filter *f, const struct manrs_prefix *p)
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

static int
flush(struct filter *f)
{
	size_t i;
	int rc = 0;

	if (f->npend > 1)
		qsort(f->pend, f->npend, sizeof(*f->pend), pcmp);
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
 * A prefix range ("p^+", "p^-", "p^n", "p^n-m") the way bgpq4 takes it
 * (sx_prefix_range_parse / sx_radix_tree_insert_specifics): every prefix
 * under p with a length in [min, max], max capped at -m; a range longer
 * than -m at its base is ignored.  Bounded by FILTER_RANGE_PREFIXES_MAX.
 */
static int
specifics(struct filter *f, struct manrs_prefix p, unsigned min, unsigned max)
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

static int
insert_range(struct filter *f, const struct manrs_prefix_range *r,
    const char *from, bool dash)
{
	unsigned max = r->max, l;
	uint64_t count = 0;
	char buf[MANRS_PREFIX_STRLEN + 16];

	if (r->prefix.af != f->af || r->prefix.len > f->maxlen)
		return 0;
	if (bogon_prefix(f, &r->prefix, 0, false))
		return 0;
	if (r->min == r->prefix.len && r->max == r->prefix.len)
		return insert(f, &r->prefix);
	if (r->min == r->max && !dash) {
		/*
		 * "p^n" (an IRRd prints n-n so): bgpq4 1.9 reads it as
		 * n-0 and inserts nothing; so do we, for the same bytes.
		 */
		manrs_irrdb_range_print(r, buf, sizeof(buf));
		fprintf(stderr, "manrs: filter: %s: %s ignored, as bgpq4 1.9 "
		    "does (it reads \"^n\" as n-0; write ^n-n in a prefix "
		    "argument)\n", from, buf);
		return 0;
	}
	if (max > f->maxlen)
		max = f->maxlen;
	for (l = r->min; l <= max; l++) {
		count += (uint64_t)1 << (l - r->prefix.len > 40 ? 40 :
		    l - r->prefix.len);
		if (count > FILTER_RANGE_PREFIXES_MAX) {
			manrs_irrdb_range_print(r, buf, sizeof(buf));
			cli_warnx("filter: %s: range %s stands for more than "
			    "%u prefixes (use -m)", from, buf,
			    FILTER_RANGE_PREFIXES_MAX);
			return MANRS_E_LIMIT;
		}
	}
	return specifics(f, r->prefix, r->min, max);
}

/* The route objects of one origin into the trie. */
static int
origin_routes(struct filter *f, uint32_t asn)
{
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	const struct manrs_bogon_asn *b;
	size_t i;
	int rc;

	if ((rc = get_origin(f, asn, &r)) != 0)
		goto out;
	manrs_irrdb_ranges_sort(&r);
	if (r.n > 0 && (b = bogon_asn(f, asn)) != NULL) {
		fprintf(stderr, "manrs: filter: bogon AS%" PRIu32 " removed "
		    "(%zu route%s): %s (%s)\n", asn, r.n, r.n == 1 ? "" : "s",
		    b->name, b->rfc);
		f->bogon_asns++;
		goto out;
	}
	for (i = 0; i < r.n && rc == 0; i++) {
		const struct manrs_prefix *p = &r.v[i].prefix;
		char buf[MANRS_PREFIX_STRLEN];

		if (p->len > f->maxlen)
			continue;
		f->routes++;
		if (bogon_prefix(f, p, asn, false))
			continue;
		if (f->vrps != NULL && manrs_rov_validate(f->vrps, p, asn,
		    false, NULL) == MANRS_ROV_INVALID) {
			manrs_prefix_print(p, buf, sizeof(buf));
			fprintf(stderr, "manrs: filter: RPKI-invalid %s "
			    "(origin AS%" PRIu32 ") removed\n", buf, asn);
			f->rpki_dropped++;
			continue;
		}
		rc = insert(f, p);
	}
out:
	manrs_irrdb_ranges_clear(&r);
	return rc;
}

/* --rpki-add: the ROA prefixes of the expanded ASNs. */
static int
rpki_add(struct filter *f, const struct manrs_irrdb_asns *a)
{
	size_t i, n = manrs_vrp_count(f->vrps, f->af);
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const struct manrs_vrp *v = manrs_vrp_get(f->vrps, i);
		uint32_t key;

		if (v == NULL)
			break;
		if (v->prefix.af != f->af || v->prefix.len > f->maxlen)
			continue;
		key = v->asn;
		if (a->n == 0 || bsearch(&key, a->v, a->n, sizeof(*a->v),
		    u32cmp) == NULL)
			continue;
		if (bogon_asn(f, v->asn) != NULL ||
		    bogon_prefix(f, &v->prefix, v->asn, false))
			continue;
		rc = insert(f, &v->prefix);
	}
	return rc;
}

/* ---- remote IRRd (-h) -------------------------------------------- */

struct plan {
	char	**q;
	int	 *kind;		/* 0 control, 1 set, 2 route-set, 3 origin */
	size_t	 *idx;
	size_t	  n, cap;
	struct filter *f;
	char	 defaults[IRRQ_QUERY_MAX];
};

static int
plan_add(struct plan *pl, int kind, size_t idx, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
plan_add(struct plan *pl, int kind, size_t idx, const char *fmt, ...)
{
	va_list ap;
	char buf[IRRQ_QUERY_MAX + 1];
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k > IRRQ_QUERY_MAX) {
		cli_warnx("filter: -h: query too long");
		return -1;
	}
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 64;
		char **q = realloc(pl->q, cap * sizeof(*q));
		int *kd = q ? realloc(pl->kind, cap * sizeof(*kd)) : NULL;
		size_t *ix;

		if (q != NULL)
			pl->q = q;
		if (kd != NULL)
			pl->kind = kd;
		if (q == NULL || kd == NULL ||
		    (ix = realloc(pl->idx, cap * sizeof(*ix))) == NULL)
			return -1;
		pl->idx = ix;
		pl->cap = cap;
	}
	if ((pl->q[pl->n] = strdup(buf)) == NULL)
		return -1;
	pl->kind[pl->n] = kind;
	pl->idx[pl->n] = idx;
	pl->n++;
	return 0;
}

static void
plan_free(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->q[i]);
	free(pl->q);
	free(pl->kind);
	free(pl->idx);
	memset(pl, 0, sizeof(*pl));
}

/* Space-separated tokens of an answer. */
static bool
next_token(struct manrs_view *v, struct manrs_view *tok)
{
	return manrs_view_field(v, " \t\r\n", true, tok);
}

static int
answer_cb(size_t i, const struct manrs_irrq_answer *a, void *arg)
{
	struct plan *pl = arg;
	struct filter *f = pl->f;
	struct manrs_view v = a->data, tok;
	size_t idx = pl->idx[i];

	if (a->kind == MANRS_IRRQ_ERROR) {
		/* bgpq4 goes on after "F": so do we, with a message */
		fprintf(stderr, "manrs: filter: -h: %s: F %.*s\n", pl->q[i],
		    (int)a->data.len, a->data.p);
		return 0;
	}
	switch (pl->kind[i]) {
	case 0:
		if (strcmp(pl->q[i], "!s-lc") == 0 &&
		    a->kind == MANRS_IRRQ_DATA)
			manrs_view_copy(manrs_view_trim(a->data),
			    pl->defaults, sizeof(pl->defaults));
		return 0;
	case 1:
		if (a->kind == MANRS_IRRQ_NOTFOUND)
			f->r_setflags[idx] |= MANRS_IRRDB_F_NOTFOUND;
		while (next_token(&v, &tok)) {
			char t[32];
			uint32_t asn;

			if (manrs_view_copy(tok, t, sizeof(t)) != 0 ||
			    !text_asn(t, &asn))
				continue;	/* "ANY", nested names */
			if (add_asn_vec(&f->r_sets[idx], asn) != 0)
				return -1;
		}
		return 0;
	case 2:
		while (next_token(&v, &tok)) {
			struct manrs_prefix_range r;

			if (manrs_irrdb_range_parse(tok, &r) != 0 ||
			    r.prefix.af != f->af)
				continue;
			if (ranges_push(&f->r_rsets[idx], &r) != 0)
				return -1;
		}
		return 0;
	default:
		while (next_token(&v, &tok)) {
			struct manrs_prefix_range r;

			if (manrs_prefix_parse(tok, 0, &r.prefix) != 0 ||
			    r.prefix.af != f->af)
				continue;
			r.min = r.max = r.prefix.len;
			if (ranges_push(&f->r_orig[idx], &r) != 0)
				return -1;
		}
		return 0;
	}
}

static int
remote_run(struct filter *f, struct plan *pl)
{
	struct irrq_conn *c = irrq_connect(f->host, f->timeout);
	int rc;

	if (c == NULL)
		return -1;
	rc = irrq_pipeline(c, pl->q, pl->n, answer_cb, pl);
	irrq_close(c);
	return rc;
}

/* Phase 1: the sets and route-sets, as bgpq4 asks for them. */
static int
remote_sets(struct filter *f)
{
	struct plan pl = { .f = f };
	size_t i;
	int rc = -1;

	f->r_sets = calloc(f->nsets + 1, sizeof(*f->r_sets));
	f->r_setflags = calloc(f->nsets + 1, sizeof(*f->r_setflags));
	f->r_rsets = calloc(f->nrsets + 1, sizeof(*f->r_rsets));
	if (f->r_sets == NULL || f->r_setflags == NULL || f->r_rsets == NULL)
		goto out;
	/* The server's default sources first (restored after pins). */
	if (plan_add(&pl, 0, 0, "!nmanrs-filter") != 0 ||
	    plan_add(&pl, 0, 0, "!s-lc") != 0 || remote_run(f, &pl) != 0)
		goto out;
	if (f->sources != NULL)
		snprintf(pl.defaults, sizeof(pl.defaults), "%s", f->sources);
	for (i = 0; i < pl.n; i++)
		free(pl.q[i]);
	pl.n = 0;
	if (pl.defaults[0] != '\0' &&
	    plan_add(&pl, 0, 0, "!s%s", pl.defaults) != 0)
		goto out;
	for (i = 0; i < f->nsets + f->nrsets; i++) {
		const char *s = i < f->nsets ? f->sets[i] :
		    f->rsets[i - f->nsets];
		const char *d = strstr(s, "::");

		if (d != NULL && plan_add(&pl, 0, 0, "!s%.*s", (int)(d - s),
		    s) != 0)
			goto out;
		if (plan_add(&pl, i < f->nsets ? 1 : 2, i < f->nsets ? i :
		    i - f->nsets, "!i%s,1", unpinned(s)) != 0)
			goto out;
		if (d != NULL && pl.defaults[0] != '\0' &&
		    plan_add(&pl, 0, 0, "!s%s", pl.defaults) != 0)
			goto out;
	}
	rc = remote_run(f, &pl);
out:
	plan_free(&pl);
	return rc;
}

/* Phase 2: the route objects of every origin, pipelined. */
static int
remote_origins(struct filter *f, const uint32_t *v, size_t n)
{
	struct plan pl = { .f = f };
	size_t i;
	int rc = -1;

	if ((f->r_oasn = malloc((n + 1) * sizeof(*f->r_oasn))) == NULL ||
	    (f->r_orig = calloc(n + 1, sizeof(*f->r_orig))) == NULL)
		goto out;
	if (n > 0)
		memcpy(f->r_oasn, v, n * sizeof(*v));
	f->r_on = n;
	if (f->sources != NULL &&
	    plan_add(&pl, 0, 0, "!s%s", f->sources) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if (plan_add(&pl, 3, i, f->af == MANRS_AF_INET ? "!gas%" PRIu32 :
		    "!6as%" PRIu32, v[i]) != 0)
			goto out;
	rc = pl.n > 0 ? remote_run(f, &pl) : 0;
out:
	plan_free(&pl);
	return rc;
}

static void
remote_free(struct filter *f)
{
	size_t i;

	for (i = 0; f->r_sets != NULL && i < f->nsets; i++)
		manrs_irrdb_asns_clear(&f->r_sets[i]);
	for (i = 0; f->r_rsets != NULL && i < f->nrsets; i++)
		manrs_irrdb_ranges_clear(&f->r_rsets[i]);
	for (i = 0; f->r_orig != NULL && i < f->r_on; i++)
		manrs_irrdb_ranges_clear(&f->r_orig[i]);
	free(f->r_sets);
	free(f->r_setflags);
	free(f->r_rsets);
	free(f->r_oasn);
	free(f->r_orig);
}

/* The data, local or fetched. */
static int
get_asset(struct filter *f, size_t i, struct manrs_irrdb_asns *a,
    unsigned *flags)
{
	size_t j;

	if (f->host == NULL)
		return manrs_irrdb_expand_asset(f->db,
		    manrs_view_cstr(f->sets[i]), &f->sel, NULL, a, flags,
		    NULL);
	*flags = f->r_setflags[i];
	for (j = 0; j < f->r_sets[i].n; j++)
		if (add_asn_vec(a, f->r_sets[i].v[j]) != 0)
			return MANRS_E_NOMEM;
	return 0;
}

static int
get_origin(struct filter *f, uint32_t asn, struct manrs_irrdb_ranges *r)
{
	uint32_t *hit;
	size_t j, k;

	if (f->host == NULL)
		return manrs_irrdb_origin_prefixes(f->db, asn, f->af,
		    &f->sel, r);
	if (f->r_on == 0 || (hit = bsearch(&asn, f->r_oasn, f->r_on,
	    sizeof(*f->r_oasn), u32cmp)) == NULL)
		return 0;
	k = (size_t)(hit - f->r_oasn);
	for (j = 0; j < f->r_orig[k].n; j++)
		if (ranges_push(r, &f->r_orig[k].v[j]) != 0)
			return MANRS_E_NOMEM;
	return 0;
}

static int
get_rset(struct filter *f, size_t i, struct manrs_irrdb_ranges *r,
    unsigned *flags)
{
	size_t j;

	if (f->host == NULL)
		return manrs_irrdb_expand_routeset(f->db,
		    manrs_view_cstr(f->rsets[i]), &f->sel, f->af, NULL, r,
		    flags, NULL);
	for (j = 0; j < f->r_rsets[i].n; j++)
		if (ranges_push(r, &f->r_rsets[i].v[j]) != 0)
			return MANRS_E_NOMEM;
	return 0;
}

/* ---- expansion --------------------------------------------------- */

/* A limit cut the expansion: say so (the output is incomplete). */
static void
expansion_cut(const char *set, unsigned flags)
{
	if (flags & MANRS_IRRDB_F_DEPTH)
		fprintf(stderr, "manrs: filter: %s: expansion cut at the depth "
		    "limit (sets nested deeper than %u levels); the result is "
		    "incomplete\n", set, MANRS_IRRDB_DEPTH_DEFAULT);
	if (flags & MANRS_IRRDB_F_SIZE)
		fprintf(stderr, "manrs: filter: %s: expansion cut at a size "
		    "limit (%u sets, %u ASNs or %u prefixes); the result is "
		    "incomplete\n", set, MANRS_IRRDB_SETS_DEFAULT,
		    MANRS_IRRDB_ASNS_DEFAULT, MANRS_IRRDB_PREFIXES_DEFAULT);
}

static bool
manual_mode(const struct filter *f)
{
	return f->maxdepth != 0 || f->stop.n > 0;
}

static bool
asn_gen(const struct filter *f)
{
	return f->ro.gen == MANRS_RENDER_ASPATH ||
	    f->ro.gen == MANRS_RENDER_OASPATH ||
	    f->ro.gen == MANRS_RENDER_ASLIST ||
	    f->ro.gen == MANRS_RENDER_ASSET;
}

static int
expand(struct filter *f)
{
	struct manrs_irrdb_asns all = { NULL, 0, 0 };	/* prefix origins */
	size_t i, j;
	int rc = 0;

	for (i = 0; i < f->ncli_asns; i++)
		if ((rc = add_asn(f, f->cli_asns[i])) != 0)
			return rc;
	for (i = 0; i < f->nsets && rc == 0; i++) {
		const char *s = f->sets[i];
		struct manrs_irrdb_asns a = { NULL, 0, 0 };
		unsigned flags = 0;

		if (manual_mode(f)) {
			if ((rc = strvec_add(&f->already, unpinned(s))) != 0)
				break;
			rc = walk_set(f, s, 0);
			continue;
		}
		rc = get_asset(f, i, &a, &flags);
		if (flags & MANRS_IRRDB_F_NOTFOUND)
			fprintf(stderr, "manrs: filter: %s: no such set\n", s);
		expansion_cut(s, flags);
		for (j = 0; j < a.n && rc == 0; j++) {
			if (asn_gen(f) || f->validate_asns) {
				/* "!i SET,1": bgpq4 skips special ASNs */
				if (!f->special && asn_special(a.v[j]))
					continue;
				rc = add_asn(f, a.v[j]);
			} else {
				/* "!a4 SET": every origin's routes */
				if (all.n == all.cap) {
					size_t cap = all.cap ? all.cap * 2 : 64;
					uint32_t *v = realloc(all.v,
					    cap * sizeof(*v));

					if (v == NULL) {
						rc = MANRS_E_NOMEM;
						break;
					}
					all.v = v;
					all.cap = cap;
				}
				all.v[all.n++] = a.v[j];
			}
		}
		manrs_irrdb_asns_clear(&a);
	}
	if (rc != 0)
		goto out;
	asns_sort(&f->asns);
	asns_sort(&all);

	if (asn_gen(f)) {
		/*
		 * -w is meant to keep only ASNs with registered routes, but
		 * bgpq4 1.9 removes none (its check is inverted), and the
		 * output must be the same: --validate-asns does it for real.
		 */
		if (f->validate_real) {
			size_t k = 0;

			for (i = 0; i < f->asns.n; i++) {
				struct manrs_irrdb_ranges r = { NULL, 0, 0 };

				manrs_irrdb_origin_prefixes(f->db,
				    f->asns.v[i], f->af, &f->sel, &r);
				if (r.n > 0)
					f->asns.v[k++] = f->asns.v[i];
				manrs_irrdb_ranges_clear(&r);
			}
			f->asns.n = k;
		}
		if (!f->keep_bogons) {
			size_t k = 0;

			for (i = 0; i < f->asns.n; i++) {
				const struct manrs_bogon_asn *b =
				    manrs_bogon_asn_find(f->asns.v[i]);

				if (b == NULL) {
					f->asns.v[k++] = f->asns.v[i];
					continue;
				}
				fprintf(stderr, "manrs: filter: bogon AS%"
				    PRIu32 " removed: %s (%s)\n",
				    f->asns.v[i], b->name, b->rfc);
				f->bogon_asns++;
			}
			f->asns.n = k;
		}
		goto out;
	}

	/* Prefix generations. */
	if (f->host != NULL) {
		uint32_t *v = malloc((f->asns.n + all.n + 1) * sizeof(*v));
		struct manrs_irrdb_asns u = { v, f->asns.n + all.n,
		    f->asns.n + all.n };

		if (v == NULL) {
			rc = MANRS_E_NOMEM;
			goto out;
		}
		if (f->asns.n > 0)
			memcpy(v, f->asns.v, f->asns.n * sizeof(*v));
		if (all.n > 0)
			memcpy(v + f->asns.n, all.v, all.n * sizeof(*v));
		asns_sort(&u);
		if (remote_origins(f, u.v, u.n) != 0)
			rc = MANRS_E_IO;
		manrs_irrdb_asns_clear(&u);
		if (rc != 0)
			goto out;
	}
	for (i = 0; i < f->nrsets && rc == 0; i++) {
		struct manrs_irrdb_ranges r = { NULL, 0, 0 };
		unsigned flags = 0;

		rc = get_rset(f, i, &r, &flags);
		expansion_cut(f->rsets[i], flags);
		for (j = 0; j < r.n && rc == 0; j++)
			rc = insert_range(f, &r.v[j], f->rsets[i], false);
		manrs_irrdb_ranges_clear(&r);
	}
	for (i = 0; i < f->nprefixes && rc == 0; i++)
		rc = insert_range(f, &f->prefixes[i], "command line",
		    f->pdash[i]);
	/* Origins: the sets' (no special filter, as "!a") and the ASNs'. */
	for (i = 0; i < f->asns.n && rc == 0; i++)
		rc = origin_routes(f, f->asns.v[i]);
	for (i = 0; i < all.n && rc == 0; i++) {
		uint32_t key = all.v[i];

		if (f->asns.n > 0 && bsearch(&key, f->asns.v, f->asns.n,
		    sizeof(*f->asns.v), u32cmp) != NULL)
			continue;
		rc = origin_routes(f, all.v[i]);
	}
	if (rc == 0)
		rc = flush(f);
	if (rc == 0 && f->rpki_add && f->vrps != NULL) {
		struct manrs_irrdb_asns u = { NULL, 0, 0 };
		uint32_t *v = malloc((f->asns.n + all.n + 1) * sizeof(*v));

		if (v == NULL) {
			rc = MANRS_E_NOMEM;
			goto out;
		}
		if (f->asns.n > 0)
			memcpy(v, f->asns.v, f->asns.n * sizeof(*v));
		if (all.n > 0)
			memcpy(v + f->asns.n, all.v, all.n * sizeof(*v));
		u.v = v;
		u.n = u.cap = f->asns.n + all.n;
		asns_sort(&u);
		size_t before = manrs_trie_count(f->trie, f->af);

		rc = rpki_add(f, &u);
		manrs_irrdb_asns_clear(&u);
		if (rc == 0)
			rc = flush(f);
		f->rpki_added = manrs_trie_count(f->trie, f->af) - before;
	}
out:
	manrs_irrdb_asns_clear(&all);
	return rc;
}

/* ---- result ------------------------------------------------------ */

struct rangevec {
	struct manrs_prefix_range	*v;
	size_t				 n, cap;
};

static int
range_cb(const struct manrs_prefix_range *r, void *arg)
{
	struct rangevec *rv = arg;

	if (manrs_grow((void **)&rv->v, &rv->cap, rv->n,
	    sizeof(*rv->v)) != 0)
		return MANRS_E_NOMEM;
	rv->v[rv->n++] = *r;
	return 0;
}

/* True when range r permits prefix p. */
static bool
range_permits(const struct manrs_prefix_range *r, const struct manrs_prefix *p)
{
	return manrs_prefix_covers(&r->prefix, p) && p->len >= r->min &&
	    p->len <= r->max;
}

static bool
result_permits(const struct rangevec *rv, const struct manrs_prefix *p)
{
	size_t i;

	for (i = 0; i < rv->n; i++)
		if (range_permits(&rv->v[i], p))
			return true;
	return false;
}

/* ---- --explain --------------------------------------------------- */

struct chain {
	char	*v[64];
	int	 n;
};

/* Depth-first search for the set chain from name down to asn. */
static bool
find_chain(struct filter *f, const char *name, uint32_t asn,
    struct chain *c, struct strvec *seen)
{
	struct members mb = { { NULL, 0, 0 }, 0 };
	bool found = false;
	size_t i;

	if (c->n >= 64 || strvec_has(seen, name) ||
	    strvec_add(seen, name) != 0)
		return false;
	c->v[c->n++] = strdup(name);
	manrs_irrdb_set_members(f->db, manrs_view_cstr(name), &f->sel,
	    member_cb, &mb, NULL);
	for (i = 0; i < mb.v.n && !found; i++) {
		uint32_t a;

		if (!is_set_name(mb.v.v[i]) && text_asn(mb.v.v[i], &a) &&
		    a == asn)
			found = true;
	}
	for (i = 0; i < mb.v.n && !found; i++)
		if (is_set_name(mb.v.v[i]))
			found = find_chain(f, mb.v.v[i], asn, c, seen);
	strvec_free(&mb.v);
	if (!found)
		free(c->v[--c->n]);
	return found;
}

struct explain_route {
	struct filter			*f;
	const struct manrs_prefix	*p;
	int				 n;
};

static int
explain_route_cb(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct explain_route *e = arg;
	struct filter *f = e->f;
	struct manrs_view text = o->text, line, tok;
	const char *src = manrs_irrdb_source_name(f->db, o->source);
	char buf[MANRS_PREFIX_STRLEN];
	uint32_t origin = 0;
	size_t i;
	int j;

	e->n++;
	/* The origin from the object's text ("origin:" attribute). */
	while (text.len > 0) {
		manrs_view_split(text, '\n', &line, &text);
		if (manrs_view_case_starts_with(line, "origin:")) {
			tok = manrs_view_trim(manrs_view_make(line.p + 7,
			    line.len - 7));
			manrs_asn_parse(tok, &origin);
			break;
		}
	}
	manrs_prefix_print(e->p, buf, sizeof(buf));
	printf("route object: %s origin AS%" PRIu32 " source %s%s\n",
	    buf, origin, src != NULL ? src : "?",
	    manrs_irrdb_rpki_invalid(f->db, o->handle) ?
	    " (marked RPKI-invalid in the database)" : "");
	if (f->vrps != NULL) {
		struct manrs_rov_result res;
		enum manrs_rov_state st = manrs_rov_validate(f->vrps, e->p,
		    origin, false, &res);

		printf("  RPKI: %s", manrs_rov_state_name(st));
		if (st == MANRS_ROV_INVALID)
			printf(" (%s)", manrs_rov_reason_name(res.reason));
		printf("\n");
	} else
		printf("  RPKI: not checked (no --rpki)\n");
	if (bogon_asn(f, origin) != NULL)
		printf("  origin AS%" PRIu32 " is a bogon ASN\n", origin);
	for (i = 0; i < f->ncli_asns; i++)
		if (f->cli_asns[i] == origin)
			printf("  origin AS%" PRIu32 " is an object on the "
			    "command line\n", origin);
	for (i = 0; i < f->nsets; i++) {
		struct chain c = { { NULL }, 0 };
		struct strvec seen = { NULL, 0, 0 };

		if (find_chain(f, f->sets[i], origin, &c, &seen)) {
			printf("  set chain:");
			for (j = 0; j < c.n; j++)
				printf(" %s ->", c.v[j]);
			printf(" AS%" PRIu32 "\n", origin);
		}
		for (j = 0; j < c.n; j++)
			free(c.v[j]);
		strvec_free(&seen);
	}
	return 0;
}

static int
explain(struct filter *f, const struct rangevec *rv)
{
	struct manrs_prefix p;
	struct manrs_bogon_match m;
	struct explain_route e = { f, &p, 0 };
	char buf[MANRS_PREFIX_STRLEN];
	size_t i;

	if (manrs_prefix_parse(manrs_view_cstr(f->explain), 0, &p) != 0) {
		cli_warnx("filter: --explain: bad prefix '%s'", f->explain);
		return EXIT_USAGE;
	}
	manrs_prefix_print(&p, buf, sizeof(buf));
	printf("%s: %s\n", buf, result_permits(rv, &p) ?
	    "IN the result" : "NOT in the result");
	for (i = 0; i < rv->n; i++)
		if (range_permits(&rv->v[i], &p)) {
			char r[MANRS_PREFIX_STRLEN + 16];

			manrs_irrdb_range_print(&rv->v[i], r, sizeof(r));
			printf("  permitted by the entry %s\n", r);
		}
	if (p.af != f->af)
		printf("  address family not generated (use -%c)\n",
		    p.af == MANRS_AF_INET ? '4' : '6');
	if (p.len > f->maxlen)
		printf("  longer than the maximum length %u (-m)\n",
		    f->maxlen);
	manrs_bogon_prefix_check(&p, &m);
	if (m.kind == MANRS_BOGON_INSIDE || m.kind == MANRS_BOGON_COVERS)
		printf("  bogon: %s %s (%s)%s\n", m.kind == MANRS_BOGON_INSIDE ?
		    "inside" : "covers", m.entry->name, m.entry->rfc,
		    f->keep_bogons ? ", kept (--keep-bogons)" : "");
	manrs_irrdb_find_route(f->db, &p, MANRS_IRRDB_EXACT, &f->sel,
	    explain_route_cb, &e);
	if (e.n == 0)
		printf("  no route object for %s in the selected sources\n",
		    buf);
	return EXIT_OK;
}

/* ---- gates ------------------------------------------------------- */

static int
linecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split text into sorted lines (pointers into text, modified). */
static char **
split_lines(char *text, size_t len, size_t *n)
{
	char **v = NULL, *p = text, *end = text + len;
	size_t cap = 0;

	*n = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL)
			nl = end;
		*nl = '\0';
		if (*n == cap) {
			char **w;

			cap = cap ? cap * 2 : 256;
			if (cap > FILTER_PREV_MAX ||
			    (w = realloc(v, cap * sizeof(*w))) == NULL) {
				free(v);
				return NULL;
			}
			v = w;
		}
		v[(*n)++] = p;
		p = nl + 1;
	}
	if (*n > 0)
		qsort(v, *n, sizeof(*v), linecmp);
	return v;
}

/* Percent of lines changed between the previous file and out. */
static int
change_percent(const char *path, const char *out, size_t outlen,
    double *pct, size_t *added, size_t *removed)
{
	FILE *fp = fopen(path, "r");
	char *prev = NULL, *cur = NULL, **a = NULL, **b = NULL;
	size_t plen = 0, na = 0, nb = 0, i = 0, j = 0;
	int rc = -1;

	if (fp == NULL) {
		cli_warnx("filter: --previous %s: %s", path, strerror(errno));
		return -1;
	}
	{
		size_t cap = 0, k;
		char tmp[65536];

		while ((k = fread(tmp, 1, sizeof(tmp), fp)) > 0) {
			if (plen + k + 1 > cap) {
				char *w;

				cap = (plen + k + 1) * 2;
				if ((w = realloc(prev, cap)) == NULL)
					goto done;
				prev = w;
			}
			memcpy(prev + plen, tmp, k);
			plen += k;
		}
		if (ferror(fp)) {
			cli_warnx("filter: --previous %s: read error", path);
			goto done;
		}
	}
	if ((cur = malloc(outlen + 1)) == NULL)
		goto done;
	memcpy(cur, out, outlen);
	if ((plen > 0 && (a = split_lines(prev, plen, &na)) == NULL) ||
	    (outlen > 0 && (b = split_lines(cur, outlen, &nb)) == NULL)) {
		cli_warnx("filter: --previous %s: too many lines", path);
		goto done;
	}
	*added = *removed = 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			(*removed)++;
			i++;
		} else {
			(*added)++;
			j++;
		}
	}
	*pct = 100.0 * (double)(*added + *removed) /
	    (double)(na > 0 ? na : 1);
	rc = 0;
done:
	fclose(fp);
	free(prev);
	free(cur);
	free(a);
	free(b);
	return rc;
}

/* ---- command line ------------------------------------------------ */

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: manrs filter --source NAME=FILE[,FILE...] [bgpq4 flags]\n"
"           OBJECT... [EXCEPT OBJECT...]\n"
"bgpq4 1.9 flags: -4 -6 -A -b -B -e -E -f ASN -F fmt -G ASN -H ASN -j -J\n"
"  -K[7] -l name -L depth -m len -M match -n -N -p -r len -R len -s\n"
"  -S sources -t -u -U -w -W len -X -z (-3 -d -T accepted, ignored)\n"
"objects: ASNNN, AS-SET, RS-SET, SOURCE::SET, PREFIX\n"
"extras:\n"
"  --keep-bogons        keep bogon prefixes and ASNs (default: removed,\n"
"                       each removal reported on stderr)\n"
"  --vrps FILE          drop RPKI-invalid routes (VRP JSON/CSV; repeat;\n"
"                       alias --rpki)\n"
"  --rpki-add           also add the ROA prefixes of the expanded ASNs\n"
"  --now TIME           judge VRP expiry at TIME (ISO 8601 UTC or Unix\n"
"                       seconds; alias --vrps-now, --rpki-now)\n"
"  --allow-stale        go on when every VRP is expired (else exit 1)\n"
"  --allow-empty        an empty result is not an error (else exit 3)\n"
"  --previous FILE      refuse (exit 4) a list that changed by more than\n"
"  --max-change PCT     percent of lines (default 20)\n"
"  --beacon PREFIX      this prefix must be permitted (else exit 1)\n"
"  --explain PREFIX     why PREFIX is in or out of the result\n"
"  --max-prefix         suggest a BGP max-prefix limit (stderr)\n"
"  --peeringdb FILE     ... from PeeringDB info_prefixes4/6 of -a ASN\n"
"  --validate-asns      -w done right: drop ASNs without route objects\n"
"  -h HOST[:PORT]       query a remote IRRd (pipelined) instead\n"
"  --timeout SECONDS    wait at most this long for -h (default 30)\n"
"  --batch FILE         one job a line: OUTPUT-FILE [flags] OBJECT...;\n"
"                       the database is loaded once\n");
}

enum {
	O_SOURCE = 1000, O_KEEP, O_RPKI, O_RPKI_ADD, O_NOW, O_ALLOW_EMPTY,
	O_PREVIOUS, O_MAX_CHANGE, O_BEACON, O_EXPLAIN, O_MAX_PREFIX,
	O_PEERINGDB, O_HELP, O_BATCH, O_VALIDATE, O_TIMEOUT, O_ALLOW_STALE,
};

static const struct option longopts[] = {
	{ "source", required_argument, NULL, O_SOURCE },
	{ "keep-bogons", no_argument, NULL, O_KEEP },
	{ "rpki", required_argument, NULL, O_RPKI },
	{ "vrps", required_argument, NULL, O_RPKI },
	{ "vrps-now", required_argument, NULL, O_NOW },
	{ "rpki-now", required_argument, NULL, O_NOW },
	{ "allow-stale", no_argument, NULL, O_ALLOW_STALE },
	{ "rpki-add", no_argument, NULL, O_RPKI_ADD },
	{ "now", required_argument, NULL, O_NOW },
	{ "allow-empty", no_argument, NULL, O_ALLOW_EMPTY },
	{ "previous", required_argument, NULL, O_PREVIOUS },
	{ "max-change", required_argument, NULL, O_MAX_CHANGE },
	{ "beacon", required_argument, NULL, O_BEACON },
	{ "explain", required_argument, NULL, O_EXPLAIN },
	{ "max-prefix", no_argument, NULL, O_MAX_PREFIX },
	{ "peeringdb", required_argument, NULL, O_PEERINGDB },
	{ "help", no_argument, NULL, O_HELP },
	{ "batch", required_argument, NULL, O_BATCH },
	{ "validate-asns", no_argument, NULL, O_VALIDATE },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

static int
fatal(const char *msg)
{
	fprintf(stderr, "FATAL ERROR:%s\n", msg);
	return EXIT_FAIL;
}

static void
vendor_exclusive(void)
{
	cli_warnx("filter: -b (BIRD), -B (OpenBGPD), -F (formatted), -J "
	    "(Junos), -j (JSON), -K[7] (Microtik ROS), -N (Nokia SR OS "
	    "Classic), -n (Nokia SR OS MD-CLI), -U (Huawei), -u (Huawei "
	    "XPL),-e (Arista) and -X (IOS XR) options are mutually exclusive");
}

static int
set_vendor(struct filter *f, enum manrs_render_vendor v, bool *vset)
{
	if (*vset) {
		vendor_exclusive();
		return -1;
	}
	*vset = true;
	f->ro.vendor = v;
	return 0;
}

/* The flags that only choose an output dialect, as in bgpq4. */
static const struct {
	int				opt;
	enum manrs_render_vendor	vendor;
} vendor_flags[] = {
	{ 'b', MANRS_RENDER_BIRD },	{ 'B', MANRS_RENDER_OPENBGPD },
	{ 'J', MANRS_RENDER_JUNIPER },	{ 'j', MANRS_RENDER_JSON },
	{ 'K', MANRS_RENDER_MIKROTIK6 },	{ 'N', MANRS_RENDER_NOKIA },
	{ 'n', MANRS_RENDER_NOKIA_MD },	{ 'U', MANRS_RENDER_HUAWEI },
	{ 'u', MANRS_RENDER_HUAWEI_XPL },	{ 'X', MANRS_RENDER_CISCO_XR },
};

/* 1 when c is a dialect flag (then set), 0 when not, -1 on conflict. */
static int
vendor_flag(struct filter *f, int c, bool *vset)
{
	size_t i;

	for (i = 0; i < sizeof(vendor_flags) / sizeof(vendor_flags[0]); i++)
		if (vendor_flags[i].opt == c)
			return set_vendor(f, vendor_flags[i].vendor, vset) == 0 ?
			    1 : -1;
	return 0;
}

/* bgpq4 reads these numbers with atoi(3): leading digits, else 0. */
static long
lenient_number(const char *s)
{
	return strtol(s, NULL, 10);
}

static int
set_gen(struct filter *f, enum manrs_render_gen g, bool *gset)
{
	if (*gset) {
		cli_warnx("filter: -E, -F, -K , -f <asnum>, -G <asnum>, and -t "
		    "are mutually exclusive");
		return -1;
	}
	*gset = true;
	f->ro.gen = g;
	return 0;
}

/* bgpq4's -M escapes: \n (a real newline after the backslash), \r, \t,
 * \\. */
static int
decode_match(char *s)
{
	char *mc = s, *md = s;

	while (*mc != '\0') {
		if (*mc == '\\') {
			char c = mc[1];

			if (c == '\n' || c == 'r' || c == 't' || c == '\\') {
				*md++ = c == 'r' ? '\r' : c == 't' ? '\t' : c;
				mc += 2;
			} else {
				cli_warnx("filter: Unsupported escape \\%c in "
				    "-M", c != '\0' ? c : '0');
				return -1;
			}
		} else
			*md++ = *mc++;
	}
	*md = '\0';
	return 0;
}

static int
add_object(struct filter *f, char *arg, bool except)
{
	const char *obj = unpinned(arg);
	uint32_t asn;

	if (except)
		return strvec_add(&f->stop, arg) == 0 &&
		    f->stop.n <= FILTER_STOP_MAX ? 0 : -1;
	if (f->nsets >= FILTER_OBJECTS_MAX || f->nrsets >= FILTER_OBJECTS_MAX ||
	    f->ncli_asns >= FILTER_OBJECTS_MAX ||
	    f->nprefixes >= FILTER_OBJECTS_MAX) {
		cli_warnx("filter: more than %u objects", FILTER_OBJECTS_MAX);
		return -1;
	}
	if (strncasecmp(obj, "AS-", 3) == 0) {
		f->sets[f->nsets++] = arg;
	} else if (strncasecmp(obj, "RS-", 3) == 0) {
		f->rsets[f->nrsets++] = arg;
	} else if (strncasecmp(obj, "AS", 2) == 0) {
		const char *ec = strchr(obj, ':');

		if (ec != NULL) {
			if (strncasecmp(ec + 1, "AS-", 3) == 0)
				f->sets[f->nsets++] = arg;
			else if (strncasecmp(ec + 1, "RS-", 3) == 0)
				f->rsets[f->nrsets++] = arg;
			else
				cli_warnx("filter: unknown sub-as object %s "
				    "ignored", arg);
			return 0;
		}
		if (!text_asn(obj, &asn)) {
			cli_warnx("filter: Invalid symbol in AS number: %s",
			    arg);
			return 0;
		}
		if (!f->special && asn_special(asn)) {
			cli_warnx("filter: Invalid AS number: %" PRIu32, asn);
			return 0;
		}
		f->cli_asns[f->ncli_asns++] = asn;
	} else {
		struct manrs_prefix_range *r = &f->prefixes[f->nprefixes];

		if (manrs_irrdb_range_parse(manrs_view_cstr(arg), r) != 0 ||
		    r->prefix.af != f->af || r->prefix.len > f->maxlen) {
			cli_warnx("filter: Unable to add prefix%s %s (bad "
			    "prefix%s or address-family)",
			    strchr(arg, '^') ? "-range" : "", arg,
			    strchr(arg, '^') ? " range" : "");
			return -1;
		}
		{
			const char *op = strchr(arg, '^');

			f->pdash[f->nprefixes] = op != NULL &&
			    strchr(op, '-') != NULL && op[1] != '-';
		}
		f->nprefixes++;
	}
	return 0;
}

static void
max_prefix_hint(struct filter *f, size_t nprefixes)
{
	uint64_t suggest = nprefixes + (nprefixes + 9) / 10;

	if (suggest < 10)
		suggest = 10;
	if (f->peeringdb != NULL) {
		struct manrs_peeringdb *pdb = manrs_peeringdb_new();
		const struct manrs_pdb_net *net = NULL;

		if (pdb != NULL && manrs_peeringdb_load(pdb, f->peeringdb,
		    &f->sink) == 0 && f->ro.asnumber != 0)
			net = manrs_peeringdb_net(pdb, f->ro.asnumber);
		if (net != NULL) {
			uint32_t v = f->af == MANRS_AF_INET ?
			    net->info_prefixes4 : net->info_prefixes6;

			fprintf(stderr, "manrs: filter: max-prefix %" PRIu32
			    " (PeeringDB info_prefixes%c of AS%" PRIu32
			    "; the list has %zu prefixes)\n", v,
			    f->af == MANRS_AF_INET ? '4' : '6',
			    f->ro.asnumber, nprefixes);
			manrs_peeringdb_free(pdb);
			return;
		}
		fprintf(stderr, "manrs: filter: no PeeringDB record for "
		    "AS%" PRIu32 " (give it with -a), counting instead\n",
		    f->ro.asnumber);
		manrs_peeringdb_free(pdb);
	}
	fprintf(stderr, "manrs: filter: max-prefix %" PRIu64 " (%zu IRR "
	    "prefixes + 10%%)\n", suggest, nprefixes);
}

/*
 * Parse one command line (the whole command, or one --batch job: srcs
 * and batch NULL).  Returns -1 to go on, else the exit code.
 */
static int
filter_parse(struct filter *f, struct irr_sources *srcs, const char **batch,
    int argc, char **argv)
{
	size_t i;
	bool vset = false, gset = false, sel4 = false, except = false;
	bool wset = false;
	unsigned long maxlen = 0;
	int c, rc, ret = EXIT_FAIL;

	f->af = MANRS_AF_INET;
	f->timeout = IRRQ_TIMEOUT_DEFAULT;
	f->ro.aswidth = 8;
	f->max_change = 20.0;
	cli_diag_sink(&f->sink);
	optind = 0;
	while ((c = getopt_long(argc, argv,
	    "+23467a:AbBdDEeF:S:jJKf:l:L:m:M:NnpW:r:R:G:H:tTh:UuwXsvz",
	    longopts, NULL)) != -1) {
		if ((rc = vendor_flag(f, c, &vset)) != 0) {
			if (rc < 0)
				goto usage;
			continue;
		}
		switch (c) {
		case '2': case '3': case 'd': case 'D': case 'T':
			break;
		case '4':
			if (f->af == MANRS_AF_INET6)
				goto excl46;
			sel4 = true;
			break;
		case '6':
			if (sel4) {
excl46:				cli_warnx("filter: -4 and -6 are mutually "
				    "exclusive");
				goto usage;
			}
			f->af = MANRS_AF_INET6;
			break;
		case '7':
			if (f->ro.vendor != MANRS_RENDER_MIKROTIK6 || !vset) {
				cli_warnx("filter: '7' can only be used after "
				    "-K");
				goto usage;
			}
			f->ro.vendor = MANRS_RENDER_MIKROTIK7;
			break;
		case 'a':
			if (parse_asnumber(optarg, &f->ro.asnumber) != 0)
				goto usage;
			break;
		case 'A':
			f->aggregate = true;
			break;
		case 'E':
			if (set_gen(f, MANRS_RENDER_EACL, &gset) != 0)
				goto usage;
			break;
		case 'e':
			if (set_vendor(f, MANRS_RENDER_ARISTA, &vset) != 0)
				goto usage;
			f->ro.sequence = true;
			break;
		case 'F':
			if (set_vendor(f, MANRS_RENDER_FORMAT, &vset) != 0)
				goto usage;
			if (manrs_render_format_check(optarg) != 0) {
				cli_warnx("filter: bad -F format '%s' (%%n %%l "
				    "%%a %%A %%N %%m %%i %%%% \\n \\t)", optarg);
				goto usage;
			}
			f->ro.format = optarg;
			break;
		case 'f':
		case 'G':
		case 'H':
			if (set_gen(f, c == 'f' ? MANRS_RENDER_ASPATH :
			    c == 'G' ? MANRS_RENDER_OASPATH :
			    MANRS_RENDER_ASLIST, &gset) != 0 ||
			    parse_asnumber(optarg, &f->ro.asnumber) != 0)
				goto usage;
			break;
		case 'h':
			f->host = optarg;
			break;
		case 'l':
			f->ro.name = optarg;
			break;
		case 'L':
			f->maxdepth = (int)lenient_number(optarg);
			if (f->maxdepth < 1) {
				cli_warnx("filter: Invalid maximum recursion "
				    "(-L): %s", optarg);
				goto usage;
			}
			break;
		case 'm':
			maxlen = strtoul(optarg, NULL, 10);
			if (maxlen == 0) {
				cli_warnx("filter: Invalid maxlen (-m): %s",
				    optarg);
				goto usage;
			}
			break;
		case 'M':
			if (decode_match(optarg) != 0)
				goto usage;
			f->ro.match = optarg;
			break;
		case 'p':
			f->special = true;
			break;
		case 'r':
		case 'R':
			{
				unsigned long v = strtoul(optarg, NULL, 10);

				if (v == 0 || v > 128) {
					cli_warnx("filter: Invalid %s: %s",
					    c == 'r' ? "refineLow value" :
					    "refine length", optarg);
					goto usage;
				}
				if (c == 'r')
					f->refine_low = (unsigned)v;
				else
					f->refine = (unsigned)v;
			}
			break;
		case 's':
			f->ro.sequence = true;
			break;
		case 'S':
			f->sources = optarg;
			break;
		case 't':
			if (set_gen(f, MANRS_RENDER_ASSET, &gset) != 0)
				goto usage;
			break;
		case 'W':
			if (lenient_number(optarg) < 0) {
				cli_warnx("filter: Invalid as-width: %s",
				    optarg);
				goto usage;
			}
			f->ro.aswidth = (unsigned)lenient_number(optarg);
			wset = true;
			break;
		case 'w':
			f->validate_asns = true;
			break;
		case 'v':
			printf("manrs filter (bgpq4 1.9 compatible)\n");
			ret = EXIT_OK;
			goto done;
		case 'z':
			if (set_gen(f, MANRS_RENDER_ROUTE_FILTER_LIST,
			    &gset) != 0)
				goto usage;
			break;
		case O_SOURCE:
			if (srcs == NULL) {
				cli_warnx("filter: --source in a batch job");
				goto usage;
			}
			if (irr_sources_add(srcs, optarg, "filter") != 0)
				goto usage;
			break;
		case O_BATCH:
			if (batch == NULL) {
				cli_warnx("filter: --batch in a batch job");
				goto usage;
			}
			*batch = optarg;
			break;
		case O_TIMEOUT:
			f->timeout = (int)strtonum(optarg, 1, 3600, NULL);
			if (f->timeout == 0) {
				cli_warnx("filter: --timeout: 1..3600 seconds");
				goto usage;
			}
			break;
		case O_VALIDATE:
			f->validate_real = true;
			break;
		case O_KEEP:
			f->keep_bogons = true;
			break;
		case O_RPKI:
			if (cli_vrps_option(&f->rpki, "vrps", optarg) != 1)
				goto usage;
			break;
		case O_RPKI_ADD:
			f->rpki_add = true;
			break;
		case O_NOW:
			if (cli_vrps_option(&f->rpki, "now", optarg) != 1)
				goto usage;
			break;
		case O_ALLOW_STALE:
			f->rpki.allow_stale = true;
			break;
		case O_ALLOW_EMPTY:
			f->allow_empty = true;
			break;
		case O_PREVIOUS:
			f->previous = optarg;
			break;
		case O_MAX_CHANGE:
			{
				char *e = NULL;

				f->max_change = strtod(optarg, &e);
				if (e == optarg || *e != '\0' ||
				    !(f->max_change >= 0)) {
					cli_warnx("filter: --max-change: want "
					    "a percentage");
					goto usage;
				}
			}
			break;
		case O_BEACON:
			if (f->nbeacons >= FILTER_BEACONS_MAX ||
			    manrs_prefix_parse(manrs_view_cstr(optarg), 0,
			    &f->beacons[f->nbeacons]) != 0) {
				cli_warnx("filter: --beacon: bad prefix '%s'",
				    optarg);
				goto usage;
			}
			f->nbeacons++;
			break;
		case O_EXPLAIN:
			f->explain = optarg;
			break;
		case O_MAX_PREFIX:
			f->max_prefix = true;
			break;
		case O_PEERINGDB:
			f->peeringdb = optarg;
			f->max_prefix = true;
			break;
		case O_HELP:
			usage(stdout);
			ret = EXIT_OK;
			goto done;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;

	/* bgpq4's defaults and checks, in its order. */
	if (!wset && (f->ro.gen == MANRS_RENDER_ASPATH || f->ro.gen ==
	    MANRS_RENDER_OASPATH || f->ro.gen == MANRS_RENDER_ASLIST))
		f->ro.aswidth = manrs_render_default_width(f->ro.vendor,
		    f->ro.gen);
	f->ro.af = f->af;
	if (vset && f->ro.vendor == MANRS_RENDER_FORMAT &&
	    f->ro.gen != MANRS_RENDER_PREFIXLIST)
	{
		ret = fatal("Sorry, only prefix-lists supported in formatted "
		    "output");
		goto done;
	}
	if (f->ro.gen == MANRS_RENDER_ROUTE_FILTER_LIST &&
	    f->ro.vendor != MANRS_RENDER_JUNIPER) {
		ret = fatal("Route-filter-lists (-z) supported for Juniper (-J)"
		    " output only");
		goto done;
	}
	if (f->ro.gen == MANRS_RENDER_ASSET && f->ro.vendor !=
	    MANRS_RENDER_JSON && f->ro.vendor != MANRS_RENDER_OPENBGPD &&
	    f->ro.vendor != MANRS_RENDER_BIRD) {
		ret = fatal("As-Sets (-t) supported for JSON (-j), OpenBGPD "
		    "(-B) and BIRD (-b) output only");
		goto done;
	}
	if (f->aggregate && f->ro.vendor == MANRS_RENDER_JUNIPER &&
	    f->ro.gen == MANRS_RENDER_PREFIXLIST) {
		ret = fatal("Sorry, aggregation (-A) does not work in Juniper "
		    "prefix-lists\nYou can try route-filters (-E) or "
		    "route-filter-lists (-z) instead of prefix-lists\n.");
		goto done;
	}
	if (f->ro.sequence && f->ro.vendor != MANRS_RENDER_CISCO &&
	    f->ro.vendor != MANRS_RENDER_ARISTA) {
		ret = fatal("Sorry, prefix-lists sequencing (-s) supported only "
		    "for IOS, EOS and FRRouting");
		goto done;
	}
	if (f->ro.sequence && asn_gen(f)) {
		ret = fatal("Sorry, prefix-lists sequencing (-s) can't be  used "
		    "for non prefix-list");
		goto done;
	}
	if (f->refine_low != 0 && f->refine == 0)
		f->refine = f->af == MANRS_AF_INET ? 32 : 128;
	if ((f->refine != 0 || f->refine_low != 0) &&
	    (f->refine > manrs_af_bits(f->af) ||
	    f->refine_low > f->refine)) {
		cli_warnx("filter: invalid -R %u / -r %u for IPv%c", f->refine,
		    f->refine_low, f->af == MANRS_AF_INET ? '4' : '6');
		goto usage;
	}
	if (maxlen > manrs_af_bits(f->af)) {
		cli_warnx("filter: Invalid value for max-prefixlen: %lu",
		    maxlen);
		goto usage;
	}
	f->maxlen = maxlen != 0 ? (unsigned)maxlen : manrs_af_bits(f->af);
	if (f->ro.match != NULL && (f->ro.vendor != MANRS_RENDER_JUNIPER ||
	    f->ro.gen != MANRS_RENDER_EACL)) {
		ret = fatal("Sorry, extra match conditions (-M) can be used "
		    "only with Juniper route-filters");
		goto done;
	}
	if (asn_gen(f) && f->af != MANRS_AF_INET && !f->validate_asns &&
	    f->ro.gen != MANRS_RENDER_ASSET) {
		ret = fatal("Sorry, -6 makes no sense with as-path (-f/-G) or "
		    "as-list (-H) generation");
		goto done;
	}
	if (argc == 0 && (batch == NULL || *batch == NULL)) {
		cli_warnx("filter: no objects");
		goto usage;
	}
	if (f->rpki_add && f->rpki.load.nfiles == 0 && batch != NULL) {
		cli_warnx("filter: --rpki-add needs --rpki FILE");
		goto usage;
	}
	if (f->host != NULL && (f->maxdepth != 0 || f->explain != NULL ||
	    f->validate_real)) {
		cli_warnx("filter: -h: -L, EXCEPT, --explain and "
		    "--validate-asns need the local database (--source)");
		goto usage;
	}
	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "EXCEPT") == 0) {
			except = true;
			continue;
		}
		if (add_object(f, argv[i], except) != 0)
			goto usage;
	}
	if (f->host != NULL && f->stop.n > 0) {
		cli_warnx("filter: -h: EXCEPT needs the local database "
		    "(--source)");
		goto usage;
	}

	return -1;
usage:
	ret = EXIT_USAGE;
done:
	return ret;
}

/* Expand, render and gate one job; the list goes to outfp. */
static int
filter_run(struct filter *f, FILE *outfp)
{
	struct rangevec rv = { NULL, 0, 0 };
	char *out = NULL;
	size_t outlen = 0, i;
	FILE *mem = NULL;
	int rc, ret = EXIT_FAIL;

	if (f->host != NULL) {
		if (remote_sets(f) != 0)
			return EXIT_FAIL;
	} else if (f->db == NULL) {
		cli_warnx("filter: no IRR data: give --source NAME=FILE or "
		    "-h HOST");
		return EXIT_USAGE;
	} else if (f->sources != NULL) {
		struct manrs_view bad;

		if (manrs_irrdb_sel_parse(f->db, manrs_view_cstr(f->sources),
		    &f->sel, &bad) != 0) {
			cli_warnx("filter: -S: unknown source '%.*s'",
			    (int)bad.len, bad.p);
			return EXIT_FAIL;
		}
	} else
		manrs_irrdb_sel_all(f->db, &f->sel);
	if ((f->trie = manrs_trie_new()) == NULL) {
		cli_warnx("filter: out of memory");
		goto done;
	}
	if ((rc = expand(f)) != 0) {
		cli_warnx("filter: expansion failed: %s", manrs_strerror(rc));
		goto done;
	}
	if (!asn_gen(f)) {
		struct manrs_range_opts ro = { f->aggregate,
		    (uint8_t)f->refine, (uint8_t)f->refine_low };

		if ((rc = manrs_trie_walk_ranges(f->trie, f->af, &ro,
		    range_cb, &rv)) != 0) {
			cli_warnx("filter: %s", manrs_strerror(rc));
			goto done;
		}
	}
	if (f->explain != NULL) {
		ret = explain(f, &rv);
		goto done;
	}

	/* Render into memory first: the gates may refuse the list. */
	if ((mem = open_memstream(&out, &outlen)) == NULL) {
		cli_warnx("filter: out of memory");
		goto done;
	}
	if (asn_gen(f)) {
		rc = manrs_render_asns(mem, &f->ro, f->asns.v, f->asns.n);
	} else
		rc = manrs_render_prefixes(mem, &f->ro, rv.v, rv.n);
	if (fclose(mem) != 0 && rc == 0)
		rc = MANRS_E_IO;
	mem = NULL;
	if (rc == MANRS_E_INVAL) {
		ret = fatal("Unknown vendor/generation combination");
		goto done;
	}
	if (rc != 0) {
		cli_warnx("filter: rendering failed: %s", manrs_strerror(rc));
		goto done;
	}

	if (!f->keep_bogons && (f->bogon_prefixes || f->bogon_asns))
		fprintf(stderr, "manrs: filter: removed %" PRIu64 " bogon "
		    "prefix%s and %" PRIu64 " bogon ASN%s (--keep-bogons "
		    "keeps them)\n", f->bogon_prefixes,
		    f->bogon_prefixes == 1 ? "" : "es", f->bogon_asns,
		    f->bogon_asns == 1 ? "" : "s");
	if (f->vrps != NULL)
		fprintf(stderr, "manrs: filter: RPKI: %" PRIu64 " invalid "
		    "removed, %" PRIu64 " added from ROAs\n", f->rpki_dropped,
		    f->rpki_added);
	if ((asn_gen(f) ? f->asns.n : rv.n) == 0 && !f->allow_empty) {
		cli_warnx("filter: the result is empty (refused; "
		    "--allow-empty accepts it)");
		ret = EXIT_EMPTY;
		goto done;
	}
	for (i = 0; i < f->nbeacons; i++) {
		if (!result_permits(&rv, &f->beacons[i])) {
			char b[MANRS_PREFIX_STRLEN];

			manrs_prefix_print(&f->beacons[i], b, sizeof(b));
			cli_warnx("filter: beacon %s is not in the result "
			    "(refused)", b);
			goto done;
		}
	}
	if (f->previous != NULL) {
		double pct = 0;
		size_t added = 0, removed = 0;

		if (change_percent(f->previous, out, outlen, &pct, &added,
		    &removed) != 0)
			goto done;
		if (pct > f->max_change) {
			cli_warnx("filter: the list changed by %.1f%% (%zu "
			    "lines added, %zu removed) against %s, more than "
			    "--max-change %g%% (refused)", pct, added,
			    removed, f->previous, f->max_change);
			ret = EXIT_CHANGED;
			goto done;
		}
	}
	if (f->max_prefix) {
		size_t np = manrs_trie_count(f->trie, f->af);

		max_prefix_hint(f, np);
	}
	if (fwrite(out, 1, outlen, outfp) != outlen || fflush(outfp) != 0) {
		cli_warnx("filter: writing the output: %s", strerror(errno));
		goto done;
	}
	ret = EXIT_OK;
	goto done;
done:
	if (mem != NULL)
		fclose(mem);
	free(out);
	free(rv.v);
	return ret;
}

static void
filter_free(struct filter *f)
{
	remote_free(f);
	free(f->pend);
	if (f->trie != NULL)
		manrs_trie_free(f->trie);
	manrs_irrdb_asns_clear(&f->asns);
	strvec_free(&f->stop);
	strvec_free(&f->already);
	free(f);
}

/* Split a batch line into words; single quotes group.  argv[0] = "filter". */
static int
split_words(char *line, char **argv, int max)
{
	int n = 0;
	char *p = line, *w;

	argv[n++] = (char *)"filter";
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n >= max - 1)
			return -1;
		w = p;
		if (*p == '\'') {
			w = ++p;
			while (*p != '\0' && *p != '\'')
				p++;
			if (*p != '\'')
				return -1;
		} else
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
		if (*p != '\0')
			*p++ = '\0';
		argv[n++] = w;
	}
	argv[n] = NULL;
	return n;
}

#define FILTER_BATCH_LINE_MAX	65536
#define FILTER_BATCH_ARGS_MAX	1024

/*
 * --batch FILE: one job a line, "OUTPUT-FILE [bgpq4 flags] OBJECT...";
 * the database and VRPs are loaded once.  Each job's exit code is
 * reported on stderr when not 0; the batch exits with the largest.
 */
static int
run_batch(const char *path, const struct filter *dflt, struct manrs_irrdb *db,
    struct manrs_vrp_set *vrps)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, *argv[FILTER_BATCH_ARGS_MAX];
	size_t cap = 0, lineno = 0, jobs = 0, failed = 0;
	ssize_t len;
	int worst = EXIT_OK;

	if (fp == NULL) {
		cli_warnx("filter: --batch %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct filter *g;
		FILE *out;
		int argc, ret;

		lineno++;
		if (len > FILTER_BATCH_LINE_MAX) {
			cli_warnx("filter: %s:%zu: line longer than %u bytes",
			    path, lineno, FILTER_BATCH_LINE_MAX);
			worst = EXIT_FAIL;
			break;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if ((argc = split_words(line, argv, FILTER_BATCH_ARGS_MAX)) < 0) {
			cli_warnx("filter: %s:%zu: bad quoting or more than %u "
			    "words", path, lineno, FILTER_BATCH_ARGS_MAX - 2);
			worst = EXIT_FAIL;
			continue;
		}
		if (argc < 2)
			continue;
		if ((g = calloc(1, sizeof(*g))) == NULL) {
			worst = EXIT_FAIL;
			break;
		}
		jobs++;
		g->keep_bogons = dflt->keep_bogons;
		g->allow_empty = dflt->allow_empty;
		ret = filter_parse(g, NULL, NULL, argc - 1, argv + 1);
		if (ret < 0) {
			g->db = db;
			g->vrps = vrps;
			if ((out = fopen(argv[1], "w")) == NULL) {
				cli_warnx("filter: %s:%zu: %s: %s", path, lineno,
				    argv[1], strerror(errno));
				ret = EXIT_FAIL;
			} else {
				ret = filter_run(g, out);
				if (fclose(out) != 0 && ret == EXIT_OK)
					ret = EXIT_FAIL;
			}
		}
		if (ret > 0) {
			fprintf(stderr, "manrs: filter: %s:%zu: job exit "
			    "code %d\n", path, lineno, ret);
			failed++;
			if (ret > worst)
				worst = ret;
		} else if (ret < 0)
			ret = 0;
		filter_free(g);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	fprintf(stderr, "manrs: filter: %zu jobs, %zu failed\n", jobs, failed);
	return worst;
}

int
cmd_filter(int argc, char **argv)
{
	struct filter *f;
	struct irr_sources srcs;
	const char *batch = NULL;
	struct manrs_irrdb *db = NULL;
	struct manrs_vrp_set *vrps = NULL;
	int ret, err = 0;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		cli_warnx("filter: out of memory");
		return EXIT_FAIL;
	}
	memset(&srcs, 0, sizeof(srcs));
	if ((ret = filter_parse(f, &srcs, &batch, argc, argv)) >= 0)
		goto out;
	ret = EXIT_FAIL;
	if (srcs.n == 0 && f->host == NULL && batch == NULL) {
		cli_warnx("filter: no IRR data: give --source NAME=FILE or -h "
		    "HOST");
		ret = EXIT_USAGE;
		goto out;
	}
	if (f->rpki_add && f->rpki.load.nfiles == 0) {
		cli_warnx("filter: --rpki-add needs --rpki FILE");
		ret = EXIT_USAGE;
		goto out;
	}
	if (srcs.n > 0 &&
	    (db = irr_sources_load(&srcs, &f->sink, &err)) == NULL) {
		cli_warnx("filter: loading the IRR data failed: %s",
		    manrs_strerror(err));
		goto out;
	}
	/* The staleness policy of every judging command (cli.h). */
	if (f->rpki.load.nfiles > 0 &&
	    (vrps = cli_vrps_load(&f->rpki, "filter", NULL)) == NULL) {
		cli_warnx("filter: --vrps: not loaded");
		goto out;
	}
	if (batch != NULL)
		ret = run_batch(batch, f, db, vrps);
	else {
		f->db = db;
		f->vrps = vrps;
		ret = filter_run(f, stdout);
	}
out:
	filter_free(f);
	if (vrps != NULL)
		manrs_vrp_set_free(vrps);
	if (db != NULL)
		manrs_irrdb_free(db);
	return ret;
}
