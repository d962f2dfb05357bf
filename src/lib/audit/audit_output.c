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

/* JSON string: the one escaper (RFC 8259; invalid UTF-8 as U+FFFD). */
static void
json_str(struct manrs_buf *o, const char *s)
{
	(void)manrs_buf_put_json_str(o, s, s != NULL ? strlen(s) : 0);
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
	if (!m->has_value && m->missing != NULL) {
		manrs_buf_puts(o, ",\"missing\":");
		json_str(o, m->missing);
	}
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
	if (e->file != NULL) {
		manrs_buf_puts(o, ",\"file\":");
		json_str(o, e->file);
		iso_time(e->file_time, t, sizeof(t));
		manrs_buf_puts(o, ",\"file_time\":");
		json_str(o, t);
	}
	if (e->has_route) {
		manrs_prefix_print(&e->route_prefix, pfx, sizeof(pfx));
		manrs_buf_puts(o, ",\"route_object\":{\"prefix\":");
		json_str(o, pfx);
		manrs_buf_printf(o, ",\"key\":\"%sAS%u\",\"origin\":%u,"
		    "\"source\":", pfx, e->route_origin, e->route_origin);
		json_str(o, e->route_source);
		manrs_buf_put_u8(o, '}');
	}
	if (e->has_roa) {
		manrs_prefix_print(&e->roa_prefix, pfx, sizeof(pfx));
		manrs_buf_puts(o, ",\"roa\":{\"prefix\":");
		json_str(o, pfx);
		manrs_buf_printf(o, ",\"max_length\":%u,\"asn\":%u}",
		    e->roa_max_length, e->roa_asn);
	}
	manrs_buf_puts(o, ",\"text\":");
	json_str(o, e->text);
	manrs_buf_put_u8(o, '}');
}

/* The structured fields of a fix (docs/audit.md "Fixes"). */
static void
json_fix_fields(struct manrs_buf *o, const struct manrs_audit_fix *f)
{
	char pfx[MANRS_PREFIX_STRLEN];
	size_t i;

	switch (f->kind) {
	case MANRS_FIX_ROA:
		manrs_buf_printf(o, ",\"type\":\"roa\",\"asn\":%u,\"rir\":",
		    f->asn);
		if (f->rir[0] != '\0')
			json_str(o, f->rir);
		else
			manrs_buf_puts(o, "null");
		manrs_buf_puts(o, ",\"allocation\":");
		if (f->has_allocation) {
			manrs_prefix_print(&f->allocation, pfx, sizeof(pfx));
			json_str(o, pfx);
		} else {
			manrs_buf_puts(o, "null");
		}
		manrs_buf_puts(o, ",\"prefixes\":[");
		for (i = 0; i < f->nroas; i++) {
			manrs_prefix_print(&f->roas[i].prefix, pfx,
			    sizeof(pfx));
			manrs_buf_printf(o, "%s{\"prefix\":\"%s\","
			    "\"max_length\":%u,\"asn\":%u}", i > 0 ? "," : "",
			    pfx, f->roas[i].max_length, f->asn);
		}
		manrs_buf_put_u8(o, ']');
		break;
	case MANRS_FIX_ROUTE_OBJECT:
		manrs_prefix_print(&f->prefix, pfx, sizeof(pfx));
		manrs_buf_printf(o, ",\"type\":\"%s\",\"prefix\":\"%s\","
		    "\"origin\":%u,\"source\":", f->prefix.af ==
		    MANRS_AF_INET ? "route" : "route6", pfx, f->asn);
		json_str(o, f->source);
		manrs_buf_puts(o, ",\"rpsl\":");
		json_str(o, f->rpsl);
		break;
	case MANRS_FIX_AUTNUM:
		manrs_buf_printf(o, ",\"type\":\"aut-num\",\"asn\":%u,"
		    "\"source\":", f->asn);
		json_str(o, f->source);
		manrs_buf_puts(o, ",\"rpsl\":");
		json_str(o, f->rpsl);
		break;
	default:
		manrs_buf_printf(o, ",\"type\":\"%s\",\"asn\":%u",
		    fix_kind_name(f->kind), f->asn);
		break;
	}
}

static void
json_fix(struct manrs_buf *o, const struct manrs_audit_fix *f)
{
	manrs_buf_puts(o, "{\"action\":");
	json_str(o, action_keys[f->action]);
	manrs_buf_puts(o, ",\"kind\":");
	json_str(o, fix_kind_name(f->kind));
	json_fix_fields(o, f);
	manrs_buf_puts(o, ",\"text\":");
	json_str(o, f->text);
	manrs_buf_put_u8(o, '}');
}

int
manrs_audit_report_json(const struct manrs_audit_report *r,
    const struct manrs_audit_config *cfg, struct manrs_buf *o)
{
	return manrs_audit_report_json_in(r, cfg, NULL, o);
}

int
manrs_audit_report_json_in(const struct manrs_audit_report *r,
    const struct manrs_audit_config *cfg, const struct manrs_audit_inputs *in,
    struct manrs_buf *o)
{
	char t[32];
	size_t i;
	int m;

	manrs_buf_puts(o, "{\"schema\":\"manrs-audit/1\",");
	if (in != NULL && in->json != NULL)
		manrs_buf_printf(o, "%s,", in->json);
	manrs_buf_printf(o, "\"asn\":%u,\"seen\":%s,\"name\":", r->asn,
	    r->seen ? "true" : "false");
	if (r->name != NULL)
		json_str(o, r->name);
	else
		manrs_buf_puts(o, "null");
	manrs_buf_puts(o, ",\"country\":");
	if (r->country != NULL)
		json_str(o, r->country);
	else
		manrs_buf_puts(o, "null");
	manrs_buf_puts(o, ",\"rir\":");
	if (r->rir != NULL)
		json_str(o, r->rir);
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
		if (!a->has_score && r->action_missing[i] != NULL) {
			manrs_buf_puts(o, ",\"missing\":");
			json_str(o, r->action_missing[i]);
		}
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
		json_fix(o, &r->fix[i]);
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
		manrs_buf_printf(o, "no data%s%s\n", m->missing != NULL ?
		    ": " : "", m->missing != NULL ? m->missing : "");
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
	if (r->country != NULL || r->rir != NULL)
		manrs_buf_printf(o, "registered%s%s%s%s\n",
		    r->rir != NULL ? " with " : "", r->rir != NULL ? r->rir :
		    "", r->country != NULL ? " in " : "",
		    r->country != NULL ? r->country : "");
	manrs_buf_printf(o, "period %s .. %s; announced %u IPv4 and %u IPv6 "
	    "prefixes (seen by >= %u peers)\n", t1, t2, r->announced4,
	    r->announced6, cfg->min_peers);
	if (!r->seen)
		manrs_buf_printf(o, "AS%u is not seen in the BGP data: no "
		    "routing verdict\n", r->asn);
	for (act = 1; act <= MANRS_ACTION_COUNT; act++) {
		const struct manrs_audit_action *a = &r->action[act];

		manrs_buf_printf(o, "\nAction %u  %-18s ", act,
		    manrs_action_name((enum manrs_action)act));
		if (a->has_score)
			manrs_buf_printf(o, "%-9s score %.1f\n",
			    manrs_readiness_name(a->readiness), a->score);
		else
			manrs_buf_printf(o, "no data%s%s\n",
			    r->action_missing[act] != NULL ? ": " : "",
			    r->action_missing[act] != NULL ?
			    r->action_missing[act] : "");
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

int
manrs_audit_inputs_text(const struct manrs_audit_inputs *in,
    struct manrs_buf *o)
{
	size_t i;

	if (in == NULL)
		return o->err;
	manrs_buf_puts(o, "inputs:\n");
	for (i = 0; i < in->ninputs; i++)
		manrs_buf_printf(o, "  %s\n", in->inputs[i]);
	if (in->ninputs == 0)
		manrs_buf_puts(o, "  (none)\n");
	for (i = 0; i < in->nwarnings; i++)
		manrs_buf_printf(o, "warning: %s\n", in->warnings[i]);
	return o->err;
}

/* One CSV field: quoted when it holds a comma, quote or newline. */
static void
csv_field(struct manrs_buf *o, const char *s)
{
	if (strpbrk(s, ",\"\n") == NULL) {
		manrs_buf_puts(o, s);
		return;
	}
	manrs_buf_put_u8(o, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			manrs_buf_put_u8(o, '"');
		manrs_buf_put_u8(o, (uint8_t)*s);
	}
	manrs_buf_put_u8(o, '"');
}

static void
csv_fixes(const struct manrs_audit_report *r, struct manrs_buf *o)
{
	char pfx[MANRS_PREFIX_STRLEN];
	size_t i, k;

	for (i = 0; i < r->nfix; i++) {
		const struct manrs_audit_fix *f = &r->fix[i];

		switch (f->kind) {
		case MANRS_FIX_ROA:
			for (k = 0; k < f->nroas; k++) {
				manrs_prefix_print(&f->roas[k].prefix, pfx,
				    sizeof(pfx));
				manrs_buf_printf(o, "roa,%u,%s,%u,", f->asn, pfx,
				    f->roas[k].max_length);
				csv_field(o, f->rir);
				manrs_buf_puts(o, ",\n");
			}
			break;
		case MANRS_FIX_ROUTE_OBJECT:
			manrs_prefix_print(&f->prefix, pfx, sizeof(pfx));
			manrs_buf_printf(o, "%s,%u,%s,,,",
			    f->prefix.af == MANRS_AF_INET ? "route" : "route6",
			    f->asn, pfx);
			csv_field(o, f->source);
			manrs_buf_puts(o, "\n");
			break;
		case MANRS_FIX_AUTNUM:
			manrs_buf_printf(o, "aut-num,%u,,,,", f->asn);
			csv_field(o, f->source);
			manrs_buf_puts(o, "\n");
			break;
		default:
			break;
		}
	}
}

int
manrs_audit_fixes_write(const struct manrs_audit_report *r,
    enum manrs_audit_fixes_fmt fmt, bool header, struct manrs_buf *o)
{
	size_t i;

	if (fmt == MANRS_AUDIT_FIXES_CSV) {
		if (header)
			manrs_buf_puts(o, "type,asn,prefix,max_length,rir,"
			    "source\n");
		csv_fixes(r, o);
		return o->err;
	}
	for (i = 0; i < r->nfix; i++) {
		const struct manrs_audit_fix *f = &r->fix[i];

		if (fmt == MANRS_AUDIT_FIXES_JSON) {
			json_fix(o, f);
			manrs_buf_put_u8(o, '\n');
		} else if (f->rpsl != NULL) {
			manrs_buf_printf(o, "%s\n\n", f->rpsl);
		}
	}
	return o->err;
}
