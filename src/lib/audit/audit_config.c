/*
 * audit_config.c - audit thresholds and weights: defaults and a
 * "key = value" file.  Every number the audit uses comes from here.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/audit.h>
#include <manrs/spoofer.h>

#define CONFIG_LINE_MAX	1024

void
manrs_audit_config_default(struct manrs_audit_config *c)
{
	memset(c, 0, sizeof(*c));
	c->min_peers = 1;
	c->ready = 90.0;
	c->aspiring = 50.0;
	c->incident_penalty = 20.0;
	c->m5_k = 0.7224;
	c->rpki_invalid_factor = 10.0;
	c->irr_covering = false;
	c->aspa_leaks = true;
	c->irr_hijacks = true;
	c->evidence_max = 50;
	c->max_skew = 2 * 86400;
}

enum ktype { K_UINT, K_DOUBLE, K_BOOL, K_TIME, K_SECONDS };

struct key {
	const char	*name;
	enum ktype	 type;
	size_t		 off;
};

#define KEY(n, t) { #n, t, offsetof(struct manrs_audit_config, n) }
static const struct key keys[] = {
	KEY(min_peers, K_UINT),
	KEY(ready, K_DOUBLE),
	KEY(aspiring, K_DOUBLE),
	KEY(incident_penalty, K_DOUBLE),
	KEY(m5_k, K_DOUBLE),
	KEY(rpki_invalid_factor, K_DOUBLE),
	KEY(irr_covering, K_BOOL),
	KEY(aspa_leaks, K_BOOL),
	KEY(irr_hijacks, K_BOOL),
	KEY(evidence_max, K_UINT),
	KEY(period_start, K_TIME),
	KEY(period_end, K_TIME),
	KEY(max_skew, K_SECONDS),
};

static int
parse_double(struct manrs_view v, double *out)
{
	char buf[64], *end;
	double d;

	if (manrs_view_copy(v, buf, sizeof(buf)) != 0 || v.len == 0)
		return MANRS_E_SYNTAX;
	d = strtod(buf, &end);
	if (*end != '\0' || !isfinite(d) || d < 0)
		return MANRS_E_SYNTAX;
	*out = d;
	return 0;
}

static const char *
set_key(struct manrs_audit_config *c, const struct key *k,
    struct manrs_view v)
{
	char *base = (char *)c + k->off;
	uint32_t u;

	switch (k->type) {
	case K_UINT:
		if (manrs_view_u32(v, 1000000, &u) != 0)
			return "expected a whole number";
		memcpy(base, &u, sizeof(unsigned));
		return NULL;
	case K_DOUBLE:
		if (parse_double(v, (double *)(void *)base) != 0)
			return "expected a non-negative number";
		return NULL;
	case K_BOOL:
		if (manrs_view_caseeq(v, "yes") || manrs_view_caseeq(v, "true")
		    || manrs_view_eq(v, "1"))
			*(bool *)(void *)base = true;
		else if (manrs_view_caseeq(v, "no") ||
		    manrs_view_caseeq(v, "false") || manrs_view_eq(v, "0"))
			*(bool *)(void *)base = false;
		else
			return "expected yes or no";
		return NULL;
	case K_TIME:
		if (manrs_time_parse(v, (int64_t *)(void *)base) != 0)
			return "expected unix seconds or ISO 8601 time";
		return NULL;
	case K_SECONDS:
		if (manrs_view_u32(v, UINT32_MAX, &u) != 0)
			return "expected a whole number of seconds";
		*(int64_t *)(void *)base = u;
		return NULL;
	}
	return "unknown key type";
}

int
manrs_audit_config_load(struct manrs_audit_config *c, const char *path,
    struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	int rc, err;

	if ((in = manrs_input_open_diag(path, sink, &err)) == NULL)
		return err;
	rc = manrs_audit_config_read(c, in, sink);
	manrs_input_close(in);
	return rc;
}

int
manrs_audit_config_read(struct manrs_audit_config *c, struct manrs_input *in,
    struct manrs_diag_sink *sink)
{
	const char *path = manrs_input_name(in);
	struct manrs_view line, k, v;
	const char *why;
	size_t i;
	int rc, status = 0;

	manrs_input_set_line_max(in, CONFIG_LINE_MAX);
	while ((rc = manrs_input_line(in, &line)) != 0) {
		uint64_t no = manrs_input_lineno(in);
		ptrdiff_t hash;

		if (rc < 0) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, path, no,
			    UINT64_MAX, "%s", manrs_strerror(rc));
			status = rc;
			if (rc != MANRS_E_LIMIT)
				break;
			continue;
		}
		if ((hash = manrs_view_find(line, '#')) >= 0)
			line.len = (size_t)hash;
		line = manrs_view_trim(line);
		if (line.len == 0)
			continue;
		if (!manrs_view_split(line, '=', &k, &v)) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, path, no,
			    UINT64_MAX, "expected key = value");
			status = MANRS_E_SYNTAX;
			continue;
		}
		k = manrs_view_trim(k);
		v = manrs_view_trim(v);
		/* url.NAME and sync.* belong to manrs sync (docs/sync.md). */
		if (manrs_view_starts_with(k, "url.") ||
		    manrs_view_starts_with(k, "sync."))
			continue;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (manrs_view_eq(k, keys[i].name))
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, path, no,
			    UINT64_MAX, "unknown key '%.*s'", (int)k.len, k.p);
			status = MANRS_E_SYNTAX;
			continue;
		}
		if ((why = set_key(c, &keys[i], v)) != NULL) {
			manrs_diag_report(sink, MANRS_SEV_ERROR, path, no,
			    UINT64_MAX, "%s: %s", keys[i].name, why);
			status = MANRS_E_SYNTAX;
		}
	}
	if (status == 0 && c->aspiring > c->ready) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "aspiring (%g) must not exceed ready (%g)", c->aspiring,
		    c->ready);
		status = MANRS_E_RANGE;
	}
	return status;
}
