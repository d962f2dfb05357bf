/*
 * monitor_config.c - BGPalerter's prefixes.yml, read with libyaml.
 *
 * The file is a mapping: each key is a prefix to monitor, with asn
 * (integer or list), description, ignoreMorespecifics, ignore, group
 * (string or list), path (a mapping or a list of mappings with match,
 * notMatch, matchDescription, maxLength, minLength) and includeMonitors /
 * excludeMonitors (monitor names from BGPalerter's config.yml or ours);
 * the key "options" holds monitorASns: a mapping ASN -> {group}.
 *
 * The document is loaded whole (libyaml's document API, the file capped
 * at MANRS_MONITOR_YAML_MAX) and walked; every scalar is converted with
 * the library's own parsers (manrs_prefix_parse, manrs_asn_parse).
 * Regular expressions are POSIX extended, compiled here once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include <manrs/prefix.h>

#include "monitor_int.h"

struct cfg_ctx {
	yaml_document_t	*doc;
	const char	*name;
	struct manrs_diag_sink *diag;
	struct manrs_monitor_config *c;
	int		 err;
};

static uint64_t
line_of(const yaml_node_t *n)
{
	return (uint64_t)n->start_mark.line + 1;
}

static void cfg_error(struct cfg_ctx *, const yaml_node_t *, int,
    const char *, ...) __attribute__((format(printf, 4, 5)));

static void
cfg_error(struct cfg_ctx *x, const yaml_node_t *n, int err, const char *fmt,
    ...)
{
	char msg[MANRS_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	manrs_diag_report(x->diag, MANRS_SEV_ERROR, x->name,
	    n != NULL ? line_of(n) : 0, 0, "%s", msg);
	if (x->err == 0)
		x->err = err;
}

static const char *
scalar(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

static int
parse_bool(struct cfg_ctx *x, const yaml_node_t *n, bool *v)
{
	const char *s = scalar(n);

	if (s == NULL)
		goto bad;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0) {
		*v = true;
		return 0;
	}
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0) {
		*v = false;
		return 0;
	}
bad:
	cfg_error(x, n, MANRS_E_SYNTAX, "expected true or false, got \"%s\"",
	    s != NULL ? s : "(not a scalar)");
	return MANRS_E_SYNTAX;
}

static int
parse_asn(struct cfg_ctx *x, const yaml_node_t *n, uint32_t *asn)
{
	const char *s = scalar(n);

	if (s == NULL || manrs_asn_parse(manrs_view_cstr(s), asn) != 0) {
		cfg_error(x, n, MANRS_E_SYNTAX, "bad AS number \"%s\"",
		    s != NULL ? s : "(not a scalar)");
		return MANRS_E_SYNTAX;
	}
	return 0;
}

static int
parse_int(struct cfg_ctx *x, const yaml_node_t *n, int *v)
{
	const char *s = scalar(n), *e;

	if (s != NULL) {
		e = NULL;
		*v = (int)strtonum(s, 0, 100000, &e);
		if (e == NULL)
			return 0;
	}
	cfg_error(x, n, MANRS_E_SYNTAX, "bad length \"%s\" (0..100000)",
	    s != NULL ? s : "(not a scalar)");
	return MANRS_E_SYNTAX;
}

static char *
dup_text(struct cfg_ctx *x, const yaml_node_t *n)
{
	const char *s = scalar(n);
	char *d;

	if (s == NULL) {
		cfg_error(x, n, MANRS_E_SYNTAX, "expected a string");
		return NULL;
	}
	if (strlen(s) > MANRS_MONITOR_TEXT_MAX) {
		cfg_error(x, n, MANRS_E_LIMIT, "text longer than %s bytes",
		    "1024");
		return NULL;
	}
	if ((d = strdup(s)) == NULL && x->err == 0)
		x->err = MANRS_E_NOMEM;
	return d;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* upstreams / downstreams: a list of ASNs, one ASN, or empty (none). */
static int
neighbor_asns(struct cfg_ctx *x, const yaml_node_t *n, uint32_t **out,
    size_t *nout)
{
	yaml_node_item_t *it;
	const char *v;
	size_t cnt;

	free(*out);
	*out = NULL;
	*nout = 0;
	if (n->type == YAML_SCALAR_NODE) {
		v = scalar(n);
		if (v == NULL || v[0] == '\0' || strcmp(v, "~") == 0 ||
		    strcmp(v, "null") == 0)
			return 0;
		if ((*out = malloc(sizeof(uint32_t))) == NULL)
			return MANRS_E_NOMEM;
		*nout = 1;
		return parse_asn(x, n, &(*out)[0]);
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_error(x, n, MANRS_E_SYNTAX,
		    "upstreams / downstreams must be a list of ASNs");
		return MANRS_E_SYNTAX;
	}
	cnt = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (cnt > MANRS_MONITOR_ASNS_MAX) {
		cfg_error(x, n, MANRS_E_LIMIT, "more than %s neighbours",
		    "1024");
		return MANRS_E_LIMIT;
	}
	if (cnt > 0 && (*out = calloc(cnt, sizeof(uint32_t))) == NULL)
		return MANRS_E_NOMEM;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (parse_asn(x, yaml_document_get_node(x->doc, *it),
		    &(*out)[*nout]) != 0)
			return MANRS_E_SYNTAX;
		(*nout)++;
	}
	if (*nout > 1)
		qsort(*out, *nout, sizeof(uint32_t), cmp_u32);
	return 0;
}

static int
rule_asns(struct cfg_ctx *x, struct mon_rule *r, const yaml_node_t *n)
{
	yaml_node_item_t *it;
	size_t cnt;

	if (n->type == YAML_SCALAR_NODE) {
		if ((r->asns = malloc(sizeof(uint32_t))) == NULL)
			return MANRS_E_NOMEM;
		r->nasns = 1;
		return parse_asn(x, n, &r->asns[0]);
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_error(x, n, MANRS_E_SYNTAX,
		    "\"asn\" must be a number or a list");
		return MANRS_E_SYNTAX;
	}
	cnt = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (cnt > MANRS_MONITOR_ASNS_MAX) {
		cfg_error(x, n, MANRS_E_LIMIT, "more than %s origin ASes",
		    "1024");
		return MANRS_E_LIMIT;
	}
	if (cnt > 0 && (r->asns = calloc(cnt, sizeof(uint32_t))) == NULL)
		return MANRS_E_NOMEM;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (parse_asn(x, yaml_document_get_node(x->doc, *it),
		    &r->asns[r->nasns]) != 0)
			return MANRS_E_SYNTAX;
		r->nasns++;
	}
	qsort(r->asns, r->nasns, sizeof(uint32_t), cmp_u32);
	return 0;
}

/* A group: a string, or a list whose entries are joined with ",". */
static char *
group_text(struct cfg_ctx *x, const yaml_node_t *n)
{
	struct manrs_buf b;
	yaml_node_item_t *it;
	const char *s;
	char *d;

	if (n->type != YAML_SEQUENCE_NODE)
		return dup_text(x, n);
	manrs_buf_init(&b, MANRS_MONITOR_TEXT_MAX);
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		s = scalar(yaml_document_get_node(x->doc, *it));
		if (s == NULL)
			continue;
		if (b.len > 0)
			manrs_buf_put_u8(&b, ',');
		manrs_buf_puts(&b, s);
	}
	manrs_buf_put_u8(&b, 0);
	if (b.err != 0) {
		cfg_error(x, n, b.err, "group list too long");
		manrs_buf_clear(&b);
		return NULL;
	}
	d = strdup((const char *)b.p);
	manrs_buf_clear(&b);
	return d;
}

static uint32_t
text_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static int
re_tab_grow(struct manrs_monitor_config *c)
{
	size_t ncap = c->re_tab_cap ? c->re_tab_cap * 2 : 64, i, j;
	uint32_t *nt;

	if ((nt = malloc(ncap * sizeof(*nt))) == NULL)
		return MANRS_E_NOMEM;
	memset(nt, 0xff, ncap * sizeof(*nt));
	for (i = 0; i < c->nre; i++) {
		for (j = text_hash(c->re[i].text) & (ncap - 1);
		    nt[j] != UINT32_MAX; j = (j + 1) & (ncap - 1))
			;
		nt[j] = (uint32_t)i;
	}
	free(c->re_tab);
	c->re_tab = nt;
	c->re_tab_cap = ncap;
	return 0;
}

/*
 * The expression of node n, compiled once per distinct text: configs
 * repeat one path rule on thousands of prefixes, and a compiled POSIX
 * expression costs kilobytes.
 */
static int
compile(struct cfg_ctx *x, const yaml_node_t *n, uint32_t *idx)
{
	struct manrs_monitor_config *c = x->c;
	const char *s = scalar(n);
	char msg[256];
	size_t j;
	int rc;

	if (s == NULL) {
		cfg_error(x, n, MANRS_E_SYNTAX,
		    "expected a regular expression");
		return MANRS_E_SYNTAX;
	}
	if ((c->nre + 1) * 2 > c->re_tab_cap && re_tab_grow(c) != 0)
		return MANRS_E_NOMEM;
	for (j = text_hash(s) & (c->re_tab_cap - 1);
	    c->re_tab[j] != UINT32_MAX; j = (j + 1) & (c->re_tab_cap - 1))
		if (strcmp(c->re[c->re_tab[j]].text, s) == 0) {
			*idx = c->re_tab[j];
			return 0;
		}
	if (manrs_grow((void **)&c->re, &c->re_cap, c->nre,
	    sizeof(*c->re)) != 0)
		return MANRS_E_NOMEM;
	if ((rc = regcomp(&c->re[c->nre].re, s, REG_EXTENDED | REG_NOSUB)) !=
	    0) {
		regerror(rc, &c->re[c->nre].re, msg, sizeof(msg));
		regfree(&c->re[c->nre].re);
		manrs_diag_report(x->diag, MANRS_SEV_ERROR, x->name,
		    line_of(n), 0, "bad regular expression \"%s\": %s", s,
		    msg);
		if (x->err == 0)
			x->err = MANRS_E_SYNTAX;
		return MANRS_E_SYNTAX;
	}
	if ((c->re[c->nre].text = strdup(s)) == NULL) {
		regfree(&c->re[c->nre].re);
		return MANRS_E_NOMEM;
	}
	c->re_tab[j] = (uint32_t)c->nre;
	*idx = (uint32_t)c->nre++;
	return 0;
}

const regex_t *
mon_config_regex(const struct manrs_monitor_config *c, uint32_t i)
{
	return &c->re[i].re;
}

static int
path_one(struct cfg_ctx *x, struct mon_path *p, const yaml_node_t *n)
{
	yaml_node_pair_t *pr;
	const yaml_node_t *k, *v;
	const char *key;

	p->max_len = p->min_len = -1;
	if (n->type != YAML_MAPPING_NODE) {
		cfg_error(x, n, MANRS_E_SYNTAX, "\"path\" must be a mapping");
		return MANRS_E_SYNTAX;
	}
	for (pr = n->data.mapping.pairs.start;
	    pr < n->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(x->doc, pr->key);
		v = yaml_document_get_node(x->doc, pr->value);
		if ((key = scalar(k)) == NULL || v == NULL)
			continue;
		if (strcmp(key, "match") == 0) {
			if (compile(x, v, &p->match) != 0)
				return MANRS_E_SYNTAX;
			p->has_match = true;
		} else if (strcmp(key, "notMatch") == 0) {
			if (compile(x, v, &p->notmatch) != 0)
				return MANRS_E_SYNTAX;
			p->has_notmatch = true;
		} else if (strcmp(key, "matchDescription") == 0) {
			free(p->description);
			p->description = dup_text(x, v);
		} else if (strcmp(key, "maxLength") == 0) {
			if (parse_int(x, v, &p->max_len) != 0)
				return MANRS_E_SYNTAX;
		} else if (strcmp(key, "minLength") == 0) {
			if (parse_int(x, v, &p->min_len) != 0)
				return MANRS_E_SYNTAX;
		} else
			manrs_diag_report(x->diag, MANRS_SEV_WARNING, x->name,
			    line_of(k), 0, "unknown path key \"%s\" ignored",
			    key);
	}
	return x->err;
}

static int
rule_paths(struct cfg_ctx *x, struct mon_rule *r, const yaml_node_t *n)
{
	yaml_node_item_t *it;
	size_t cnt;

	if (n->type == YAML_MAPPING_NODE) {
		if ((r->paths = calloc(1, sizeof(*r->paths))) == NULL)
			return MANRS_E_NOMEM;
		r->npaths = 1;
		return path_one(x, &r->paths[0], n);
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_error(x, n, MANRS_E_SYNTAX,
		    "\"path\" must be a mapping or a list");
		return MANRS_E_SYNTAX;
	}
	cnt = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (cnt > MANRS_MONITOR_PATHS_MAX) {
		cfg_error(x, n, MANRS_E_LIMIT, "more than %s path rules", "64");
		return MANRS_E_LIMIT;
	}
	if (cnt > 0 && (r->paths = calloc(cnt, sizeof(*r->paths))) == NULL)
		return MANRS_E_NOMEM;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		r->npaths++;
		if (path_one(x, &r->paths[r->npaths - 1],
		    yaml_document_get_node(x->doc, *it)) != 0)
			return MANRS_E_SYNTAX;
	}
	return 0;
}

/* BGPalerter's monitor names (config.yml) and ours, as type bits. */
static uint32_t
monitor_bits(const char *s)
{
	static const struct {
		const char	*name;
		uint32_t	 bits;
	} names[] = {
		{ "basic-hijack-detection", 1u << MANRS_MON_HIJACK |
		    1u << MANRS_MON_HIJACK_LESS },
		{ "prefix-detection", 1u << MANRS_MON_MORESPECIFIC },
		{ "path-matching", 1u << MANRS_MON_PATH },
		{ "withdrawal-detection", 1u << MANRS_MON_VISIBILITY },
		{ "asn-monitor", 1u << MANRS_MON_NEWPREFIX },
		{ "rpki-monitor", 1u << MANRS_MON_RPKI_INVALID |
		    1u << MANRS_MON_RPKI_NOTCOVERED },
	};
	size_t i;
	int t;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].bits;
	if ((t = manrs_monitor_type_parse(s)) >= 0)
		return 1u << t;
	return 0;
}

static int
rule_monitors(struct cfg_ctx *x, struct mon_rule *r, const yaml_node_t *n,
    bool include)
{
	yaml_node_item_t *it;
	const yaml_node_t *v;
	const char *s;
	uint32_t bits = 0, b;

	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_error(x, n, MANRS_E_SYNTAX, "expected a list of monitors");
		return MANRS_E_SYNTAX;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		v = yaml_document_get_node(x->doc, *it);
		if ((s = scalar(v)) == NULL)
			continue;
		if ((b = monitor_bits(s)) == 0)
			manrs_diag_report(x->diag, MANRS_SEV_WARNING, x->name,
			    line_of(v), 0, "unknown monitor \"%s\" ignored",
			    s);
		bits |= b;
	}
	r->monitors = include ? bits : r->monitors & ~bits;
	return 0;
}

static int
prefix_entry(struct cfg_ctx *x, const yaml_node_t *k, const yaml_node_t *v)
{
	struct manrs_monitor_config *c = x->c;
	struct mon_rule *r;
	yaml_node_pair_t *pr;
	const yaml_node_t *kk, *vv;
	const char *key;
	bool have_asn = false;
	int rc;

	if (c->nrules >= MANRS_MONITOR_RULES_MAX) {
		cfg_error(x, k, MANRS_E_LIMIT, "more than %s prefixes",
		    "1000000");
		return MANRS_E_LIMIT;
	}
	if (v->type != YAML_MAPPING_NODE) {
		cfg_error(x, k, MANRS_E_SYNTAX,
		    "prefix %s: expected a mapping", scalar(k));
		return MANRS_E_SYNTAX;
	}
	if (manrs_grow((void **)&c->rules, &c->rules_cap, c->nrules,
	    sizeof(*c->rules)) != 0)
		return MANRS_E_NOMEM;
	r = &c->rules[c->nrules];
	memset(r, 0, sizeof(*r));
	r->monitors = ~0u;
	r->line = line_of(k);
	rc = manrs_prefix_parse(manrs_view_cstr(scalar(k)), 0, &r->prefix);
	if (rc != 0) {
		cfg_error(x, k, MANRS_E_SYNTAX, "bad prefix \"%s\"",
		    scalar(k));
		return MANRS_E_SYNTAX;
	}
	c->nrules++;
	for (pr = v->data.mapping.pairs.start;
	    pr < v->data.mapping.pairs.top; pr++) {
		kk = yaml_document_get_node(x->doc, pr->key);
		vv = yaml_document_get_node(x->doc, pr->value);
		if ((key = scalar(kk)) == NULL || vv == NULL)
			continue;
		rc = 0;
		if (strcmp(key, "asn") == 0) {
			rc = rule_asns(x, r, vv);
			have_asn = true;
		} else if (strcmp(key, "description") == 0)
			rc = (r->description = dup_text(x, vv)) ? 0 : x->err;
		else if (strcmp(key, "ignoreMorespecifics") == 0)
			rc = parse_bool(x, vv, &r->ignore_morespecifics);
		else if (strcmp(key, "ignore") == 0)
			rc = parse_bool(x, vv, &r->ignore);
		else if (strcmp(key, "group") == 0)
			rc = (r->group = group_text(x, vv)) ? 0 : x->err;
		else if (strcmp(key, "path") == 0)
			rc = rule_paths(x, r, vv);
		else if (strcmp(key, "includeMonitors") == 0)
			rc = rule_monitors(x, r, vv, true);
		else if (strcmp(key, "excludeMonitors") == 0)
			rc = rule_monitors(x, r, vv, false);
		else
			manrs_diag_report(x->diag, MANRS_SEV_WARNING, x->name,
			    line_of(kk), 0, "prefix %s: unknown key \"%s\" "
			    "ignored", scalar(k), key);
		if (rc != 0)
			return x->err != 0 ? x->err : rc;
	}
	if (!have_asn && !r->ignore) {
		cfg_error(x, k, MANRS_E_SYNTAX, "prefix %s: no \"asn\"",
		    scalar(k));
		return MANRS_E_SYNTAX;
	}
	if (r->ignore)
		c->ignored++;
	c->npaths += r->npaths;
	rc = manrs_trie_add(c->trie, &r->prefix, (uint32_t)(c->nrules - 1),
	    NULL);
	if (rc == MANRS_E_EXIST) {
		cfg_error(x, k, MANRS_E_EXIST, "prefix %s listed twice",
		    scalar(k));
		return MANRS_E_EXIST;
	}
	return rc;
}

static int
cmp_asn(const void *a, const void *b)
{
	return cmp_u32(&((const struct mon_asn *)a)->asn,
	    &((const struct mon_asn *)b)->asn);
}

static int
options_entry(struct cfg_ctx *x, const yaml_node_t *v)
{
	struct manrs_monitor_config *c = x->c;
	yaml_node_pair_t *pr, *gp;
	const yaml_node_t *k, *m, *gk, *gv;
	const char *key;
	size_t cnt, i;
	int rc;

	if (v->type != YAML_MAPPING_NODE)
		return 0;
	for (pr = v->data.mapping.pairs.start;
	    pr < v->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(x->doc, pr->key);
		m = yaml_document_get_node(x->doc, pr->value);
		if ((key = scalar(k)) == NULL || m == NULL)
			continue;
		if (strcmp(key, "monitorASns") != 0) {
			manrs_diag_report(x->diag, MANRS_SEV_WARNING, x->name,
			    line_of(k), 0, "unknown option \"%s\" ignored",
			    key);
			continue;
		}
		if (m->type != YAML_MAPPING_NODE) {
			if (m->type == YAML_SCALAR_NODE &&
			    scalar(m)[0] == '\0')
				continue;	/* "monitorASns:" empty */
			cfg_error(x, m, MANRS_E_SYNTAX,
			    "monitorASns must be a mapping");
			return MANRS_E_SYNTAX;
		}
		cnt = (size_t)(m->data.mapping.pairs.top -
		    m->data.mapping.pairs.start);
		if (cnt > MANRS_MONITOR_RULES_MAX)
			return MANRS_E_LIMIT;
		free(c->asns);
		c->asns = cnt ? calloc(cnt, sizeof(*c->asns)) : NULL;
		if (cnt && c->asns == NULL)
			return MANRS_E_NOMEM;
		c->nasns = 0;
		for (gp = m->data.mapping.pairs.start;
		    gp < m->data.mapping.pairs.top; gp++) {
			struct mon_asn *a = &c->asns[c->nasns];
			yaml_node_pair_t *q;

			gk = yaml_document_get_node(x->doc, gp->key);
			gv = yaml_document_get_node(x->doc, gp->value);
			if (parse_asn(x, gk, &a->asn) != 0)
				return MANRS_E_SYNTAX;
			c->nasns++;
			if (gv == NULL || gv->type != YAML_MAPPING_NODE)
				continue;
			for (q = gv->data.mapping.pairs.start;
			    q < gv->data.mapping.pairs.top; q++) {
				const yaml_node_t *qk, *qv;

				qk = yaml_document_get_node(x->doc, q->key);
				qv = yaml_document_get_node(x->doc, q->value);
				if (scalar(qk) != NULL && qv != NULL &&
				    strcmp(scalar(qk), "group") == 0) {
					free(a->group);
					if ((a->group = group_text(x, qv)) ==
					    NULL)
						return x->err;
				} else if (scalar(qk) != NULL && qv != NULL &&
				    strcmp(scalar(qk), "upstreams") == 0) {
					if ((rc = neighbor_asns(x, qv, &a->ups,
					    &a->nups)) != 0)
						return rc;
					a->has_ups = true;
					c->neighbors = true;
				} else if (scalar(qk) != NULL && qv != NULL &&
				    strcmp(scalar(qk), "downstreams") == 0) {
					if ((rc = neighbor_asns(x, qv,
					    &a->downs, &a->ndowns)) != 0)
						return rc;
					a->has_downs = true;
					c->neighbors = true;
				}
			}
		}
		qsort(c->asns, c->nasns, sizeof(*c->asns), cmp_asn);
		for (i = 1; i < c->nasns; i++)
			if (c->asns[i].asn == c->asns[i - 1].asn) {
				cfg_error(x, m, MANRS_E_EXIST,
				    "monitorASns lists an AS twice");
				return MANRS_E_EXIST;
			}
		free(c->asn_list);
		c->asn_list = c->nasns ? calloc(c->nasns, 4) : NULL;
		if (c->nasns && c->asn_list == NULL)
			return MANRS_E_NOMEM;
		for (i = 0; i < c->nasns; i++)
			c->asn_list[i] = c->asns[i].asn;
	}
	return 0;
}

struct manrs_monitor_config *
manrs_monitor_config_parse(const void *p, size_t len, const char *name,
    struct manrs_diag_sink *diag, int *err)
{
	struct manrs_monitor_config *c;
	struct cfg_ctx x;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *k, *v;
	yaml_node_pair_t *pr;
	bool have_doc = false;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->trie = manrs_trie_new(NULL)) == NULL) {
		rc = MANRS_E_NOMEM;
		goto out;
	}
	if (len > MANRS_MONITOR_YAML_MAX) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, name, 0, 0,
		    "file larger than %u bytes", MANRS_MONITOR_YAML_MAX);
		rc = MANRS_E_LIMIT;
		goto out;
	}
	if (!yaml_parser_initialize(&parser)) {
		rc = MANRS_E_NOMEM;
		goto out;
	}
	yaml_parser_set_input_string(&parser, p, len);
	if (!yaml_parser_load(&parser, &doc)) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, name,
		    (uint64_t)parser.problem_mark.line + 1, 0, "YAML: %s",
		    parser.problem != NULL ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		rc = MANRS_E_SYNTAX;
		goto out;
	}
	yaml_parser_delete(&parser);
	have_doc = true;
	x.doc = &doc;
	x.name = name;
	x.diag = diag;
	x.c = c;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL)
		goto out;		/* empty file: nothing to monitor */
	if (root->type != YAML_MAPPING_NODE) {
		cfg_error(&x, root, MANRS_E_SYNTAX,
		    "expected a mapping of prefixes");
		rc = x.err;
		goto out;
	}
	for (pr = root->data.mapping.pairs.start;
	    pr < root->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(&doc, pr->key);
		v = yaml_document_get_node(&doc, pr->value);
		if (scalar(k) == NULL || v == NULL)
			continue;
		if (strcmp(scalar(k), "options") == 0)
			rc = options_entry(&x, v);
		else
			rc = prefix_entry(&x, k, v);
		if (rc != 0)
			break;
	}
	if (rc == 0 && x.err != 0)
		rc = x.err;
	if (rc == 0)
		manrs_trie_compact(c->trie);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (rc != 0) {
		manrs_monitor_config_free(c);
		c = NULL;
	}
	if (err != NULL)
		*err = rc;
	return c;
}

struct manrs_monitor_config *
manrs_monitor_config_read(const char *path, struct manrs_diag_sink *diag,
    int *err)
{
	struct manrs_monitor_config *c = NULL;
	struct manrs_input *in;
	struct manrs_buf b;
	ptrdiff_t n;
	int rc = 0;

	manrs_buf_init(&b, MANRS_MONITOR_YAML_MAX + 1);
	if ((in = manrs_input_open_diag(path, diag, &rc)) == NULL)
		goto out;
	for (;;) {
		if ((rc = manrs_buf_reserve(&b, 65536)) != 0)
			break;
		n = manrs_input_read(in, b.p + b.len, 65536);
		if (n <= 0) {
			rc = (int)n;
			break;
		}
		b.len += (size_t)n;
	}
	manrs_input_close(in);
	if (rc == MANRS_E_LIMIT)
		manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0, 0,
		    "file larger than %u bytes", MANRS_MONITOR_YAML_MAX);
	if (rc != 0)
		goto out;
	c = manrs_monitor_config_parse(b.p, b.len, path, diag, &rc);
out:
	manrs_buf_clear(&b);
	if (err != NULL)
		*err = rc;
	return c;
}

void
manrs_monitor_config_free(struct manrs_monitor_config *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->nrules; i++) {
		struct mon_rule *r = &c->rules[i];

		free(r->asns);
		free(r->description);
		free(r->group);
		for (j = 0; j < r->npaths; j++)
			free(r->paths[j].description);
		free(r->paths);
	}
	for (i = 0; i < c->nre; i++) {
		regfree(&c->re[i].re);
		free(c->re[i].text);
	}
	free(c->re);
	free(c->re_tab);
	for (i = 0; i < c->nasns; i++) {
		free(c->asns[i].group);
		free(c->asns[i].ups);
		free(c->asns[i].downs);
	}
	free(c->asns);
	free(c->asn_list);
	free(c->rules);
	manrs_trie_free(c->trie);
	free(c);
}

void
manrs_monitor_config_stats(const struct manrs_monitor_config *c,
    struct manrs_monitor_config_stats *st)
{
	st->prefixes = c->nrules;
	st->ignored = c->ignored;
	st->path_rules = c->npaths;
	st->monitor_asns = c->nasns;
}

size_t
manrs_monitor_config_asns(const struct manrs_monitor_config *c,
    const uint32_t **asns)
{
	*asns = c->asn_list;
	return c->nasns;
}

bool
mon_asns_have(const uint32_t *v, size_t n, uint32_t asn)
{
	size_t i = manrs_lower_bound_u32(v, n, 4, 0, asn);

	return i < n && v[i] == asn;
}

bool
mon_rule_has_asn(const struct mon_rule *r, uint32_t asn)
{
	size_t i = manrs_lower_bound_u32(r->asns, r->nasns, 4, 0, asn);

	return i < r->nasns && r->asns[i] == asn;
}

const struct mon_asn *
mon_config_asn(const struct manrs_monitor_config *c, uint32_t asn)
{
	size_t i;

	if (c->nasns == 0)
		return NULL;
	i = manrs_lower_bound_u32(c->asns, c->nasns, sizeof(*c->asns),
	    offsetof(struct mon_asn, asn), asn);
	return i < c->nasns && c->asns[i].asn == asn ? &c->asns[i] : NULL;
}
