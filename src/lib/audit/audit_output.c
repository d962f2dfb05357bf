/*
 * audit_output.c - an audit report as JSON (the stable schema of
 * docs/audit.md) and as text for a terminal.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <manrs/audit.h>

#include "audit_int.h"

static const char *const action_keys[MANRS_ACTION_COUNT + 1] = {
	NULL, "filtering", "anti_spoofing", "coordination",
	"global_validation",
};

static const char *
ev_kind_name(enum manrs_evidence_kind k)
{
	switch (k) {
	case MANRS_EV_INCIDENT:	return "incident";
	case MANRS_EV_ROUTE:	return "route";
	case MANRS_EV_OBJECT:	return "object";
	case MANRS_EV_TEST:	return "test";
	}
	return "?";
}

static const char *
fix_kind_name(enum manrs_fix_kind k)
{
	switch (k) {
	case MANRS_FIX_ROA:		return "roa";
	case MANRS_FIX_ROUTE_OBJECT:	return "route_object";
	case MANRS_FIX_AUTNUM:		return "aut_num";
	case MANRS_FIX_CONTACT:		return "contact";
	case MANRS_FIX_WITHDRAW:	return "withdraw";
	case MANRS_FIX_FILTER:		return "filter";
	case MANRS_FIX_SAV:		return "sav";
	}
	return "?";
}

/* JSON string with RFC 8259 escapes. */
static void
json_str(struct manrs_buf *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");

	manrs_buf_put_u8(o, '"');
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			manrs_buf_put_u8(o, '\\');
			manrs_buf_put_u8(o, *p);
		} else if (*p == '\n') {
			manrs_buf_puts(o, "\\n");
		} else if (*p < 0x20) {
			char e[6] = { '\\', 'u', '0', '0', hex[*p >> 4],
			    hex[*p & 15] };

			manrs_buf_put(o, e, sizeof(e));
		} else {
			manrs_buf_put_u8(o, *p);
		}
	}
	manrs_buf_put_u8(o, '"');
}

static void
iso_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, size, "-");
		return;
	}
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
json_num(struct manrs_buf *o, double v)
{
	if (!isfinite(v))
		manrs_buf_puts(o, "null");
	else if (v == floor(v) && fabs(v) < 1e15)
		manrs_buf_printf(o, "%.0f", v);
	else
		manrs_buf_printf(o, "%.4f", v);
}

static void
json_metric(struct manrs_buf *o, enum manrs_metric id,
    const struct manrs_audit_metric *m)
{
	json_str(o, manrs_metric_name(id));
	manrs_buf_puts(o, ":{\"has_value\":");
	manrs_buf_puts(o, m->has_value ? "true" : "false");
	manrs_buf_puts(o, ",\"value\":");
	if (m->has_value)
		json_num(o, m->raw);
	else
		manrs_buf_puts(o, "null");
	manrs_buf_puts(o, ",\"score\":");
	if (m->has_value)
		json_num(o, m->score);
	else
		manrs_buf_puts(o, "null");
	switch (id) {
	case MANRS_M7RPKI:
	case MANRS_M7RPKIN:
		manrs_buf_printf(o, ",\"valid\":%u,\"invalid\":%u,"
		    "\"not_found\":%u,\"total\":%u", m->valid, m->invalid,
		    m->not_found, m->total);
		break;
	case MANRS_M7IRR:
		manrs_buf_printf(o, ",\"matched\":%u,\"total\":%u",
		    m->matched, m->total);
		break;
	case MANRS_M5:
		manrs_buf_printf(o, ",\"tests\":%u", m->total);
		break;
	case MANRS_M5C:
		manrs_buf_printf(o, ",\"customers_tested\":%u", m->total);
		break;
	case MANRS_M6:
		manrs_buf_printf(o, ",\"policy_lines\":%u", m->total);
		break;
	case MANRS_M8:
		manrs_buf_printf(o, ",\"sources\":%u", m->total);
		break;
	default:
		manrs_buf_printf(o, ",\"incidents\":%u,\"events\":%u",
		    m->total, m->events);
		break;
	}
	manrs_buf_put_u8(o, '}');
}

static void
json_evidence(struct manrs_buf *o, const struct manrs_audit_evidence *e)
{
	char pfx[MANRS_PREFIX_STRLEN], t[32];

	manrs_buf_puts(o, "{\"metric\":");
	json_str(o, manrs_metric_name(e->metric));
	manrs_buf_puts(o, ",\"kind\":");
	json_str(o, ev_kind_name(e->kind));
	if (e->prefix.af != 0) {
		manrs_prefix_print(&e->prefix, pfx, sizeof(pfx));
		manrs_buf_puts(o, ",\"prefix\":");
		json_str(o, pfx);
	}
	if (e->origin != 0)
		manrs_buf_printf(o, ",\"origin\":%u", e->origin);
	if (e->other_as != 0)
		manrs_buf_printf(o, ",\"other_as\":%u", e->other_as);
	if (e->start != 0) {
		iso_time(e->start, t, sizeof(t));
		manrs_buf_puts(o, ",\"start\":");
		json_str(o, t);
		iso_time(e->end, t, sizeof(t));
		manrs_buf_puts(o, ",\"end\":");
		json_str(o, t);
	}
	if (e->kind == MANRS_EV_INCIDENT) {
		manrs_buf_puts(o, ",\"weight\":");
		json_num(o, e->weight);
		manrs_buf_printf(o, ",\"events\":%u", e->events);
	}
	manrs_buf_puts(o, ",\"text\":");
	json_str(o, e->text);
	manrs_buf_put_u8(o, '}');
}

int
manrs_audit_report_json(const struct manrs_audit_report *r,
    const struct manrs_audit_config *cfg, struct manrs_buf *o)
{
	char t[32];
	size_t i;
	int m;

	manrs_buf_printf(o, "{\"schema\":\"manrs-audit/1\",\"asn\":%u,"
	    "\"name\":", r->asn);
	if (r->name != NULL)
		json_str(o, r->name);
	else
		manrs_buf_puts(o, "null");
	iso_time(r->period_start, t, sizeof(t));
	manrs_buf_puts(o, ",\"period\":{\"start\":");
	json_str(o, t);
	iso_time(r->period_end, t, sizeof(t));
	manrs_buf_puts(o, ",\"end\":");
	json_str(o, t);
	manrs_buf_printf(o, "},\"announced\":{\"ipv4\":%u,\"ipv6\":%u},"
	    "\"min_peers\":%u,\"actions\":{", r->announced4, r->announced6,
	    cfg->min_peers);
	for (i = 1; i <= MANRS_ACTION_COUNT; i++) {
		const struct manrs_audit_action *a = &r->action[i];

		if (i > 1)
			manrs_buf_put_u8(o, ',');
		json_str(o, action_keys[i]);
		manrs_buf_puts(o, ":{\"score\":");
		if (a->has_score)
			json_num(o, a->score);
		else
			manrs_buf_puts(o, "null");
		manrs_buf_puts(o, ",\"readiness\":");
		json_str(o, manrs_readiness_name(a->readiness));
		manrs_buf_put_u8(o, '}');
	}
	manrs_buf_puts(o, "},\"metrics\":{");
	for (m = 0; m < MANRS_METRIC_COUNT; m++) {
		if (m > 0)
			manrs_buf_put_u8(o, ',');
		json_metric(o, (enum manrs_metric)m, &r->m[m]);
	}
	manrs_buf_puts(o, "},\"evidence\":[");
	for (i = 0; i < r->nev; i++) {
		if (i > 0)
			manrs_buf_put_u8(o, ',');
		json_evidence(o, &r->ev[i]);
	}
	manrs_buf_puts(o, "],\"fixes\":[");
	for (i = 0; i < r->nfix; i++) {
		if (i > 0)
			manrs_buf_put_u8(o, ',');
		manrs_buf_puts(o, "{\"action\":");
		json_str(o, action_keys[r->fix[i].action]);
		manrs_buf_puts(o, ",\"kind\":");
		json_str(o, fix_kind_name(r->fix[i].kind));
		manrs_buf_puts(o, ",\"text\":");
		json_str(o, r->fix[i].text);
		manrs_buf_put_u8(o, '}');
	}
	manrs_buf_puts(o, "]}\n");
	return o->err;
}

static void
text_metric(struct manrs_buf *o, enum manrs_metric id,
    const struct manrs_audit_metric *m)
{
	manrs_buf_printf(o, "    %-8s ", manrs_metric_name(id));
	if (!m->has_value) {
		manrs_buf_puts(o, "no data\n");
		return;
	}
	manrs_buf_printf(o, "score %5.1f  ", m->score);
	switch (id) {
	case MANRS_M7RPKI:
		manrs_buf_printf(o, "%u valid, %u invalid, %u not found of "
		    "%u announced\n", m->valid, m->invalid, m->not_found,
		    m->total);
		break;
	case MANRS_M7RPKIN:
		manrs_buf_printf(o, "%.1f%% not found in RPKI\n",
		    100.0 * m->raw);
		break;
	case MANRS_M7IRR:
		manrs_buf_printf(o, "%u of %u announced with a route object\n",
		    m->matched, m->total);
		break;
	case MANRS_M5:
		manrs_buf_printf(o, "%.0f prefixes leaked spoofed packets "
		    "(%u tests)\n", m->raw, m->total);
		break;
	case MANRS_M5C:
		manrs_buf_printf(o, "%.0f of %u tested customers spoofable\n",
		    m->raw, m->total);
		break;
	case MANRS_M6:
		manrs_buf_printf(o, "%s\n", m->raw >= 1.0 ?
		    "imports and exports documented" : m->raw > 0 ?
		    "only one direction documented" :
		    "no routing policy documented");
		break;
	case MANRS_M8:
		manrs_buf_printf(o, "%.0f of %u contact sources good\n",
		    m->raw, m->total);
		break;
	default:
		manrs_buf_printf(o, "%u incidents (%u events), weight %.1f\n",
		    m->total, m->events, m->raw);
		break;
	}
}

static const unsigned action_of[MANRS_METRIC_COUNT] = {
	1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 4, 4, 4, 4, 3,
};

int
manrs_audit_report_text(const struct manrs_audit_report *r,
    const struct manrs_audit_config *cfg, struct manrs_buf *o)
{
	char t1[32], t2[32], pfx[MANRS_PREFIX_STRLEN];
	unsigned act;
	size_t i;
	int m;

	iso_time(r->period_start, t1, sizeof(t1));
	iso_time(r->period_end, t2, sizeof(t2));
	manrs_buf_printf(o, "MANRS audit of AS%u%s%s%s\n", r->asn,
	    r->name != NULL ? " (" : "", r->name != NULL ? r->name : "",
	    r->name != NULL ? ")" : "");
	manrs_buf_printf(o, "period %s .. %s; announced %u IPv4 and %u IPv6 "
	    "prefixes (seen by >= %u peers)\n", t1, t2, r->announced4,
	    r->announced6, cfg->min_peers);
	for (act = 1; act <= MANRS_ACTION_COUNT; act++) {
		const struct manrs_audit_action *a = &r->action[act];

		manrs_buf_printf(o, "\nAction %u  %-18s ", act,
		    manrs_action_name((enum manrs_action)act));
		if (a->has_score)
			manrs_buf_printf(o, "%-9s score %.1f\n",
			    manrs_readiness_name(a->readiness), a->score);
		else
			manrs_buf_puts(o, "no data\n");
		for (m = 0; m < MANRS_METRIC_COUNT; m++)
			if (action_of[m] == act)
				text_metric(o, (enum manrs_metric)m, &r->m[m]);
		for (i = 0; i < r->nev; i++) {
			const struct manrs_audit_evidence *e = &r->ev[i];

			if (action_of[e->metric] != act)
				continue;
			if (e->kind == MANRS_EV_INCIDENT) {
				iso_time(e->start, t1, sizeof(t1));
				manrs_buf_printf(o, "      - %s: %s (%s, weight "
				    "%.1f, %u events)\n",
				    manrs_metric_name(e->metric), e->text, t1,
				    e->weight, e->events);
			} else if (e->kind == MANRS_EV_ROUTE) {
				manrs_prefix_print(&e->prefix, pfx,
				    sizeof(pfx));
				manrs_buf_printf(o, "      - %s AS%u: %s\n", pfx,
				    e->origin, e->text);
			} else {
				manrs_buf_printf(o, "      - %s\n", e->text);
			}
		}
		for (i = 0; i < r->nfix; i++) {
			if (r->fix[i].action != act)
				continue;
			manrs_buf_printf(o, "    fix: ");
			/* Indent multi-line RPSL under the "fix:" line. */
			{
				const char *s = r->fix[i].text, *nl;

				while ((nl = strchr(s, '\n')) != NULL) {
					manrs_buf_put(o, s, (size_t)(nl - s) +
					    1);
					manrs_buf_puts(o, "         ");
					s = nl + 1;
				}
				manrs_buf_printf(o, "%s\n", s);
			}
		}
	}
	return o->err;
}
