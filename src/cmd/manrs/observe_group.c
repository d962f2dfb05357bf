/*
 * observe_group.c - "manrs observe --asns FILE" (the ASes to report on)
 * and "--group-by country|rir" (one summary line per country or RIR).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "observe.h"

static int
u32_cmp(const void *x, const void *y)
{
	uint32_t l = *(const uint32_t *)x, r = *(const uint32_t *)y;

	return l < r ? -1 : l > r;
}

/* The AS at the start of line s (after blanks); -1 when there is none. */
static int
line_asn(const char *s, uint32_t *asn, bool *blank)
{
	unsigned long long v = 0;
	const char *p;

	while (*s == ' ' || *s == '\t')
		s++;
	*blank = *s == '\0' || *s == '#' || *s == '\n' || *s == '\r';
	if (*blank)
		return 0;
	if ((s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
		s += 2;
	for (p = s; *p >= '0' && *p <= '9' && p - s < 11; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (p == s || (*p >= '0' && *p <= '9') || v > UINT32_MAX)
		return -1;
	if (*p != '\0' && *p != '\n' && *p != '\r' && *p != ' ' &&
	    *p != '\t' && *p != ',' && *p != ';' && *p != '#')
		return -1;
	*asn = (uint32_t)v;
	return 0;
}

int
observe_asns_read(const char *path, uint32_t **out, size_t *nout)
{
	uint32_t *v = NULL, asn;
	size_t n = 0, cap = 0, lineno = 0, i, k;
	char *line = NULL;
	size_t linecap = 0;
	FILE *fp;
	bool blank;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if ((fp = fopen(path, "r")) == NULL) {
		cli_warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &linecap, fp) != -1) {
		lineno++;
		if (line_asn(line, &asn, &blank) != 0) {
			cli_warnx("%s: line %zu: not an AS number (64500 or "
			    "AS64500 expected)", path, lineno);
			goto out;
		}
		if (blank)
			continue;
		if (n == OBSERVE_ASNS_MAX) {
			cli_warnx("%s: line %zu: more than %u ASes", path,
			    lineno, OBSERVE_ASNS_MAX);
			goto out;
		}
		if (manrs_grow((void **)&v, &cap, n, sizeof(*v)) != 0) {
			cli_warnx("%s: out of memory", path);
			goto out;
		}
		v[n++] = asn;
	}
	if (ferror(fp)) {
		cli_warnx("%s: %s", path, strerror(errno));
		goto out;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), u32_cmp);
	for (i = k = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	*out = v;
	*nout = k;
	v = NULL;
	rc = 0;
out:
	free(v);
	free(line);
	fclose(fp);
	return rc;
}

int
observe_group_parse(const char *s)
{
	if (strcmp(s, "country") == 0)
		return OBSERVE_GROUP_COUNTRY;
	if (strcmp(s, "rir") == 0)
		return OBSERVE_GROUP_RIR;
	return -1;
}

void
observe_csv_str(struct manrs_buf *o, const char *s)
{
	const char *p;

	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		manrs_buf_puts(o, s);
		return;
	}
	manrs_buf_put_u8(o, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			manrs_buf_put_u8(o, '"');
		manrs_buf_put_u8(o, (uint8_t)*p);
	}
	manrs_buf_put_u8(o, '"');
}

struct group {
	const char	*key;		/* NULL: unknown */
	size_t		 ases, seen;
	/* Per action: sum of scores, ASes with a score, per readiness. */
	double		 sum[MANRS_ACTION_COUNT + 1];
	size_t		 scored[MANRS_ACTION_COUNT + 1];
	size_t		 rd[MANRS_ACTION_COUNT + 1][4];
};

static const char *
group_key(enum observe_group by, const struct manrs_audit_report *r)
{
	return by == OBSERVE_GROUP_COUNTRY ? r->country : r->rir;
}

/* Named groups by name, the unknown group last. */
static int
group_cmp(const void *x, const void *y)
{
	const struct group *l = x, *r = y;

	if (l->key == NULL || r->key == NULL)
		return (l->key == NULL) - (r->key == NULL);
	return strcmp(l->key, r->key);
}

static const char *const action_keys[MANRS_ACTION_COUNT + 1] = {
	NULL, "filtering", "anti_spoofing", "coordination",
	"global_validation",
};
static const char *const rd_keys[4] = {
	"no_data", "lagging", "aspiring", "ready",
};

static void
group_json(struct manrs_buf *o, enum observe_group by, const struct group *g)
{
	int a, k;

	manrs_buf_printf(o, "{\"schema\":\"manrs-observe-group/1\","
	    "\"group_by\":\"%s\",\"group\":", by == OBSERVE_GROUP_COUNTRY ?
	    "country" : "rir");
	if (g->key != NULL)
		manrs_buf_put_json_str(o, g->key, strlen(g->key));
	else
		manrs_buf_puts(o, "null");
	manrs_buf_printf(o, ",\"ases\":%zu,\"seen\":%zu,\"actions\":{",
	    g->ases, g->seen);
	for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
		manrs_buf_printf(o, "%s\"%s\":{\"mean\":", a > 1 ? "," : "",
		    action_keys[a]);
		if (g->scored[a] > 0)
			manrs_buf_printf(o, "%.1f", g->sum[a] /
			    (double)g->scored[a]);
		else
			manrs_buf_puts(o, "null");
		manrs_buf_printf(o, ",\"scored\":%zu", g->scored[a]);
		for (k = 3; k >= 0; k--)
			manrs_buf_printf(o, ",\"%s\":%zu", rd_keys[k],
			    g->rd[a][k]);
		manrs_buf_put_u8(o, '}');
	}
	manrs_buf_puts(o, "}}\n");
}

static void
group_csv(struct manrs_buf *o, const struct group *g)
{
	int a, k;

	observe_csv_str(o, g->key);
	manrs_buf_printf(o, ",%zu,%zu", g->ases, g->seen);
	for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
		if (g->scored[a] > 0)
			manrs_buf_printf(o, ",%.1f", g->sum[a] /
			    (double)g->scored[a]);
		else
			manrs_buf_puts(o, ",");
		for (k = 3; k >= 0; k--)
			manrs_buf_printf(o, ",%zu", g->rd[a][k]);
	}
	manrs_buf_put_u8(o, '\n');
}

int
observe_group_print(enum observe_group by,
    struct manrs_audit_report *const *r, size_t n, bool json,
    struct manrs_buf *o)
{
	struct group *g = NULL;
	size_t ng = 0, cap = 0, i, j;
	int a, k;

	for (i = 0; i < n; i++) {
		const char *key = group_key(by, r[i]);

		for (j = 0; j < ng; j++)
			if (key == NULL ? g[j].key == NULL : g[j].key != NULL &&
			    strcmp(g[j].key, key) == 0)
				break;
		if (j == ng) {
			if (manrs_grow((void **)&g, &cap, ng, sizeof(*g)) !=
			    0) {
				free(g);
				return MANRS_E_NOMEM;
			}
			memset(&g[ng], 0, sizeof(g[0]));
			g[ng++].key = key;
		}
		g[j].ases++;
		g[j].seen += r[i]->seen;
		for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
			const struct manrs_audit_action *x = &r[i]->action[a];

			if (x->has_score) {
				g[j].sum[a] += x->score;
				g[j].scored[a]++;
			}
			g[j].rd[a][x->has_score ? (int)x->readiness : 0]++;
		}
	}
	if (ng > 0)
		qsort(g, ng, sizeof(*g), group_cmp);
	if (!json) {
		manrs_buf_puts(o, by == OBSERVE_GROUP_COUNTRY ? "country" :
		    "rir");
		manrs_buf_puts(o, ",ases,seen");
		for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
			manrs_buf_printf(o, ",A%d_mean", a);
			for (k = 3; k >= 0; k--)
				manrs_buf_printf(o, ",A%d_%s", a, rd_keys[k]);
		}
		manrs_buf_put_u8(o, '\n');
	}
	for (j = 0; j < ng; j++) {
		if (json)
			group_json(o, by, &g[j]);
		else
			group_csv(o, &g[j]);
	}
	free(g);
	return 0;
}
