/*
 * filter_result.c - the filter job's result: fold (-A, -R, -r by the trie
 * module's bgpq4 fold), render (render module, bgpq4 1.9's printer),
 * --explain, and the gates: an empty list, a beacon not permitted, a list
 * that changed more than max_change percent of the previous one's lines
 * (added + removed over the previous line count, lines compared as
 * multisets).  The rendered text is kept for every verdict; writing it is
 * the caller's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/aggregate.h>
#include <manrs/bogon.h>

#include "filter_int.h"

struct rangevec {
	struct manrs_prefix_range	*v;
	size_t				 n, cap;
};

static int
range_cb(const struct manrs_prefix_range *r, void *arg)
{
	struct rangevec *rv = arg;

	if (manrs_grow((void **)&rv->v, &rv->cap, rv->n, sizeof(*rv->v)) != 0)
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
	char	*v[MANRS_FILTER_CHAIN_MAX];
	size_t	 n;
};

/* Depth-first search for the set chain from name down to asn. */
static bool
find_chain(struct manrs_filter *f, const char *name, uint32_t asn,
    struct chain *c, struct filter_strvec *seen)
{
	struct filter_strvec mv = { NULL, 0, 0 };
	bool found = false;
	size_t i;
	uint32_t a;

	if (c->n >= MANRS_FILTER_CHAIN_MAX || filter_strvec_has(seen, name) ||
	    filter_strvec_add(seen, name) != 0)
		return false;
	if ((c->v[c->n] = strdup(name)) == NULL)
		return false;
	c->n++;
	filter_set_members(f, name, &mv);
	for (i = 0; i < mv.n && !found; i++)
		if (!filter_is_set_name(mv.v[i]) &&
		    filter_text_asn(mv.v[i], &a) && a == asn)
			found = true;
	for (i = 0; i < mv.n && !found; i++)
		if (filter_is_set_name(mv.v[i]))
			found = find_chain(f, mv.v[i], asn, c, seen);
	filter_strvec_free(&mv);
	if (!found)
		free(c->v[--c->n]);
	return found;
}

struct explain {
	struct manrs_filter		*f;
	const struct manrs_prefix	*p;
	FILE				*out;
	int				 n;
};

/* The origin from a route object's text ("origin:" attribute). */
static uint32_t
object_origin(struct manrs_view text)
{
	struct manrs_view line, tok;
	uint32_t origin = 0;

	while (text.len > 0) {
		manrs_view_split(text, '\n', &line, &text);
		if (manrs_view_case_starts_with(line, "origin:")) {
			tok = manrs_view_trim(manrs_view_make(line.p + 7,
			    line.len - 7));
			manrs_asn_parse(tok, &origin);
			break;
		}
	}
	return origin;
}

static void
explain_chains(struct explain *e, uint32_t origin)
{
	struct manrs_filter *f = e->f;
	size_t i, j;

	for (i = 0; i < f->nsets; i++) {
		struct chain c = { { NULL }, 0 };
		struct filter_strvec seen = { NULL, 0, 0 };
		struct manrs_filter_event ev = {
		    .kind = MANRS_FILTER_EV_EXPLAIN_ROUTE, .prefix = *e->p,
		    .asn = origin, .object = f->sets[i] };

		if (find_chain(f, f->sets[i], origin, &c, &seen)) {
			fprintf(e->out, "  set chain:");
			for (j = 0; j < c.n; j++)
				fprintf(e->out, " %s ->", c.v[j]);
			fprintf(e->out, " AS%" PRIu32 "\n", origin);
			ev.chain = (const char *const *)c.v;
			ev.nchain = c.n;
			ev.msg = "set chain";
			if (f->o.event != NULL)
				f->o.event(f->o.event_arg, &ev);
		}
		for (j = 0; j < c.n; j++)
			free(c.v[j]);
		filter_strvec_free(&seen);
	}
}

static int
explain_route_cb(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct explain *e = arg;
	struct manrs_filter *f = e->f;
	const char *src = manrs_irrdb_source_name(f->data->db, o->source);
	char buf[MANRS_PREFIX_STRLEN];
	uint32_t origin = object_origin(o->text);
	size_t i;

	e->n++;
	manrs_prefix_print(e->p, buf, sizeof(buf));
	fprintf(e->out, "route object: %s origin AS%" PRIu32 " source %s%s\n",
	    buf, origin, src != NULL ? src : "?",
	    manrs_irrdb_rpki_invalid(f->data->db, o->handle) ?
	    " (marked RPKI-invalid in the database)" : "");
	if (f->data->vrps != NULL) {
		struct manrs_rov_result res;
		enum manrs_rov_state st = manrs_rov_validate(f->data->vrps,
		    e->p, origin, false, &res);

		fprintf(e->out, "  RPKI: %s", manrs_rov_state_name(st));
		if (st == MANRS_ROV_INVALID)
			fprintf(e->out, " (%s)",
			    manrs_rov_reason_name(res.reason));
		fprintf(e->out, "\n");
	} else
		fprintf(e->out, "  RPKI: not checked (no --rpki)\n");
	if (!f->o.keep_bogons && manrs_bogon_asn_find(origin) != NULL)
		fprintf(e->out, "  origin AS%" PRIu32 " is a bogon ASN\n",
		    origin);
	for (i = 0; i < f->ncli_asns; i++)
		if (f->cli_asns[i] == origin)
			fprintf(e->out, "  origin AS%" PRIu32 " is an object on "
			    "the command line\n", origin);
	explain_chains(e, origin);
	return 0;
}

static void
explain(struct manrs_filter *f, const struct rangevec *rv, FILE *out)
{
	const struct manrs_prefix *p = &f->o.explain_prefix;
	struct manrs_bogon_match m;
	struct explain e = { f, p, out, 0 };
	char buf[MANRS_PREFIX_STRLEN], r[MANRS_PREFIX_STRLEN + 16];
	size_t i;

	manrs_prefix_print(p, buf, sizeof(buf));
	fprintf(out, "%s: %s\n", buf, result_permits(rv, p) ?
	    "IN the result" : "NOT in the result");
	for (i = 0; i < rv->n; i++)
		if (range_permits(&rv->v[i], p)) {
			manrs_irrdb_range_print(&rv->v[i], r, sizeof(r));
			fprintf(out, "  permitted by the entry %s\n", r);
		}
	if (p->af != f->o.af)
		fprintf(out, "  address family not generated (use -%c)\n",
		    p->af == MANRS_AF_INET ? '4' : '6');
	if (p->len > f->maxlen)
		fprintf(out, "  longer than the maximum length %u (-m)\n",
		    f->maxlen);
	manrs_bogon_prefix_check(p, &m);
	if (m.kind == MANRS_BOGON_INSIDE || m.kind == MANRS_BOGON_COVERS)
		fprintf(out, "  bogon: %s %s (%s)%s\n",
		    m.kind == MANRS_BOGON_INSIDE ? "inside" : "covers",
		    m.entry->name, m.entry->rfc,
		    f->o.keep_bogons ? ", kept (--keep-bogons)" : "");
	manrs_irrdb_find_route(f->data->db, p, MANRS_IRRDB_EXACT, &f->sel,
	    explain_route_cb, &e);
	if (e.n == 0)
		fprintf(out, "  no route object for %s in the selected "
		    "sources\n", buf);
}

/* ---- gates ------------------------------------------------------- */

static int
linecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split a copy of text into sorted lines; *copy owns them. */
static int
split_lines(const char *text, size_t len, char **copy, char ***lines,
    size_t *n)
{
	char *p, *end;
	size_t cap = 0;

	*n = 0;
	*lines = NULL;
	if ((*copy = malloc(len + 1)) == NULL)
		return MANRS_E_NOMEM;
	if (len > 0)
		memcpy(*copy, text, len);
	p = *copy;
	end = p + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL)
			nl = end;
		*nl = '\0';
		if (*n >= MANRS_FILTER_PREV_LINES_MAX)
			return MANRS_E_LIMIT;
		if (manrs_grow((void **)lines, &cap, *n, sizeof(**lines)) != 0)
			return MANRS_E_NOMEM;
		(*lines)[(*n)++] = p;
		p = nl + 1;
	}
	if (*n > 1)
		qsort(*lines, *n, sizeof(**lines), linecmp);
	return 0;
}

/* Lines added and removed between the previous list and the new one. */
static int
change(struct manrs_filter *f, struct manrs_filter_result *res)
{
	char *pc = NULL, *nc = NULL, **a = NULL, **b = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;
	int rc;

	if ((rc = split_lines(f->o.previous, f->o.previous_len, &pc, &a,
	    &na)) != 0 || (rc = split_lines(res->text, res->len, &nc, &b,
	    &nb)) != 0)
		goto out;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			res->removed++;
			i++;
		} else {
			res->added++;
			j++;
		}
	}
	res->change_pct = 100.0 * (double)(res->added + res->removed) /
	    (double)(na > 0 ? na : 1);
out:
	free(pc);
	free(nc);
	free(a);
	free(b);
	return rc;
}

static void
summary(struct manrs_filter *f, struct manrs_filter_result *res)
{
	struct manrs_filter_event ev = { .kind = MANRS_FILTER_EV_SUMMARY };

	if (!f->o.keep_bogons && (res->bogon_prefixes || res->bogon_asns)) {
		ev.count = res->bogon_prefixes + res->bogon_asns;
		filter_event(f, MANRS_SEV_NOTE, &ev, "removed %" PRIu64
		    " bogon prefix%s and %" PRIu64 " bogon ASN%s "
		    "(--keep-bogons keeps them)", res->bogon_prefixes,
		    res->bogon_prefixes == 1 ? "" : "es", res->bogon_asns,
		    res->bogon_asns == 1 ? "" : "s");
	}
	if (f->data->vrps != NULL) {
		ev.count = res->rpki_dropped;
		filter_event(f, MANRS_SEV_NOTE, &ev, "RPKI: %" PRIu64 " invalid "
		    "removed, %" PRIu64 " added from ROAs", res->rpki_dropped,
		    res->rpki_added);
	}
}

static int
gates(struct manrs_filter *f, const struct rangevec *rv,
    struct manrs_filter_result *res)
{
	struct manrs_filter_event ev = { .kind = MANRS_FILTER_EV_GATE };
	char b[MANRS_PREFIX_STRLEN];
	size_t i;
	int rc;

	if (res->entries == 0 && !f->o.allow_empty) {
		res->verdict = MANRS_FILTER_EMPTY;
		filter_event(f, MANRS_SEV_ERROR, &ev, "the result is empty "
		    "(refused; --allow-empty accepts it)");
		return 0;
	}
	for (i = 0; i < f->o.nbeacons; i++) {
		if (result_permits(rv, &f->o.beacons[i]))
			continue;
		res->verdict = MANRS_FILTER_BEACON;
		res->failed_beacon = (int)i;
		ev.prefix = f->o.beacons[i];
		manrs_prefix_print(&f->o.beacons[i], b, sizeof(b));
		filter_event(f, MANRS_SEV_ERROR, &ev, "beacon %s is not in the "
		    "result (refused)", b);
		return 0;
	}
	if (f->o.previous == NULL)
		return 0;
	if ((rc = change(f, res)) != 0)
		return rc;
	if (res->change_pct > f->o.max_change) {
		res->verdict = MANRS_FILTER_CHANGED;
		ev.count = res->added + res->removed;
		filter_event(f, MANRS_SEV_ERROR, &ev, "the list changed by "
		    "%.1f%% (%zu lines added, %zu removed) against %s, more "
		    "than --max-change %g%% (refused)", res->change_pct,
		    res->added, res->removed, f->o.previous_name != NULL ?
		    f->o.previous_name : "the previous list", f->o.max_change);
	}
	return 0;
}

/* ---- the run ----------------------------------------------------- */

static int
render(struct manrs_filter *f, const struct rangevec *rv,
    struct manrs_filter_result *res)
{
	FILE *mem;
	int rc;

	if ((mem = open_memstream(&res->text, &res->len)) == NULL)
		return MANRS_E_NOMEM;
	if (f->o.explain) {
		explain(f, rv, mem);
		rc = 0;
	} else if (filter_asn_gen(f))
		rc = manrs_render_asns(mem, &f->o.render, f->asns.v,
		    f->asns.n);
	else
		rc = manrs_render_prefixes(mem, &f->o.render, rv->v, rv->n);
	if (fclose(mem) != 0 && rc == 0)
		rc = MANRS_E_NOMEM;
	return rc;
}

int
filter_finish(struct manrs_filter *f, struct manrs_filter_result *res)
{
	struct rangevec rv = { NULL, 0, 0 };
	int rc = 0;

	if (!filter_asn_gen(f)) {
		struct manrs_range_opts ro = { f->o.aggregate,
		    (uint8_t)f->o.refine, (uint8_t)f->o.refine_low };

		if ((rc = manrs_trie_walk_ranges(f->trie, f->o.af, &ro,
		    range_cb, &rv)) != 0)
			goto out;
	}
	res->entries = filter_asn_gen(f) ? f->asns.n : rv.n;
	res->prefixes = manrs_trie_count(f->trie, f->o.af);
	res->routes = f->routes;
	res->bogon_prefixes = f->bogon_prefixes;
	res->bogon_asns = f->bogon_asns;
	res->rpki_dropped = f->rpki_dropped;
	res->rpki_added = f->rpki_added;
	if ((rc = render(f, &rv, res)) != 0 || f->o.explain) {
		if (rc == 0)
			res->verdict = MANRS_FILTER_EXPLAINED;
		goto out;
	}
	summary(f, res);
	rc = gates(f, &rv, res);
out:
	free(rv.v);
	return rc;
}

void
manrs_filter_result_clear(struct manrs_filter_result *res)
{
	free(res->text);
	memset(res, 0, sizeof(*res));
	res->failed_beacon = -1;
}

int
manrs_filter_run(struct manrs_filter *f, const struct manrs_filter_data *data,
    struct manrs_filter_result *res)
{
	struct manrs_view bad;
	int rc;

	memset(res, 0, sizeof(*res));
	res->failed_beacon = -1;
	if (f->ran || (data->db == NULL) == (data->lookup == NULL) ||
	    (data->lookup != NULL && (manrs_filter_needs_db(f) ||
	    data->lookup->asset == NULL || data->lookup->routeset == NULL ||
	    data->lookup->origin == NULL)))
		return MANRS_E_INVAL;
	f->ran = true;
	f->data = data;
	if (data->db != NULL && f->o.sources != NULL) {
		if (manrs_irrdb_sel_parse(data->db,
		    manrs_view_cstr(f->o.sources), &f->sel, &bad) != 0) {
			struct manrs_filter_event ev = {
			    .kind = MANRS_FILTER_EV_OBJECT_IGNORED };

			filter_event(f, MANRS_SEV_ERROR, &ev, "-S: unknown "
			    "source '%.*s'", (int)bad.len, bad.p);
			return MANRS_E_NOTFOUND;
		}
	} else if (data->db != NULL)
		manrs_irrdb_sel_all(data->db, &f->sel);
	if ((f->trie = manrs_trie_new(NULL)) == NULL)
		return MANRS_E_NOMEM;
	if ((rc = filter_expand(f)) == 0)
		rc = filter_finish(f, res);
	f->data = NULL;
	if (rc != 0)
		manrs_filter_result_clear(res);
	return rc;
}
