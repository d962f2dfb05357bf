/*
 * audit_html.c - a self-contained HTML page for one or more audit
 * reports: inline CSS and SVG charts (score bars per action and metric,
 * an incident timeline), no scripts, no external assets.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <manrs/audit.h>

#include "audit_int.h"

static void
esc(struct manrs_buf *o, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<':	manrs_buf_puts(o, "&lt;"); break;
		case '>':	manrs_buf_puts(o, "&gt;"); break;
		case '&':	manrs_buf_puts(o, "&amp;"); break;
		case '"':	manrs_buf_puts(o, "&quot;"); break;
		default:	manrs_buf_put_u8(o, (uint8_t)*s); break;
		}
	}
}

static const char *
color(double score)
{
	return score >= 90 ? "#2e7d32" : score >= 50 ? "#f9a825" : "#c62828";
}

static void
day(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, size, "-");
	else
		strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

/* Horizontal bars: one per action (id "actions-ASN"). */
static void
svg_actions(struct manrs_buf *o, const struct manrs_audit_report *r)
{
	unsigned i;

	manrs_buf_printf(o, "<svg class=\"chart\" id=\"actions-%u\" "
	    "role=\"img\" aria-label=\"action scores\" width=\"560\" "
	    "height=\"150\" viewBox=\"0 0 560 150\">\n", r->asn);
	for (i = 1; i <= MANRS_ACTION_COUNT; i++) {
		const struct manrs_audit_action *a = &r->action[i];
		double w = a->has_score ? 3.6 * a->score : 0;
		unsigned y = 10 + (i - 1) * 34;

		manrs_buf_printf(o, "<text x=\"0\" y=\"%u\">%s</text>", y + 17,
		    manrs_action_name((enum manrs_action)i));
		manrs_buf_printf(o, "<rect x=\"150\" y=\"%u\" width=\"360\" "
		    "height=\"24\" fill=\"#eee\"/>", y);
		if (a->has_score)
			manrs_buf_printf(o, "<rect class=\"bar\" "
			    "data-score=\"%.1f\" x=\"150\" y=\"%u\" "
			    "width=\"%.1f\" height=\"24\" fill=\"%s\"/>",
			    a->score, y, w, color(a->score));
		manrs_buf_printf(o, "<text x=\"516\" y=\"%u\">%s</text>\n",
		    y + 17, a->has_score ? "" : "n/a");
		if (a->has_score)
			manrs_buf_printf(o, "<text x=\"516\" y=\"%u\">%.0f"
			    "</text>\n", y + 17, a->score);
	}
	manrs_buf_puts(o, "</svg>\n");
}

/* Incidents on a time axis over the period (id "timeline-ASN"). */
static void
svg_timeline(struct manrs_buf *o, const struct manrs_audit_report *r)
{
	double span = (double)(r->period_end - r->period_start);
	unsigned row = 0;
	size_t i, rows = 1;

	for (i = 0; i < r->nev; i++)
		rows += r->ev[i].kind == MANRS_EV_INCIDENT;
	manrs_buf_printf(o, "<svg class=\"chart\" id=\"timeline-%u\" "
	    "role=\"img\" aria-label=\"incident timeline\" width=\"560\" "
	    "height=\"%zu\" viewBox=\"0 0 560 %zu\">\n", r->asn,
	    (size_t)30 + 14 * rows, (size_t)30 + 14 * rows);
	manrs_buf_puts(o, "<line x1=\"60\" y1=\"20\" x2=\"550\" y2=\"20\" "
	    "stroke=\"#333\"/>\n");
	for (i = 0; i < r->nev; i++) {
		const struct manrs_audit_evidence *e = &r->ev[i];
		double x0 = 60, x1 = 550;

		if (e->kind != MANRS_EV_INCIDENT)
			continue;
		if (span > 0) {
			x0 = 60 + 490 * (double)(e->start - r->period_start) /
			    span;
			x1 = 60 + 490 * (double)(e->end - r->period_start) /
			    span;
		}
		if (x1 - x0 < 3)
			x1 = x0 + 3;
		manrs_buf_printf(o, "<text x=\"0\" y=\"%u\">%s</text>"
		    "<rect class=\"incident\" x=\"%.1f\" y=\"%u\" "
		    "width=\"%.1f\" height=\"10\" fill=\"#c62828\"><title>",
		    36 + row * 14, manrs_metric_name(e->metric), x0,
		    27 + row * 14, x1 - x0);
		esc(o, e->text);
		manrs_buf_puts(o, "</title></rect>\n");
		row++;
	}
	if (row == 0)
		manrs_buf_puts(o, "<text x=\"60\" y=\"36\">no incidents in "
		    "the period</text>\n");
	manrs_buf_puts(o, "</svg>\n");
}

static void
metric_rows(struct manrs_buf *o, const struct manrs_audit_report *r)
{
	int m;

	manrs_buf_puts(o, "<table class=\"metrics\"><tr><th>metric</th>"
	    "<th>score</th><th>value</th><th>counts</th></tr>\n");
	for (m = 0; m < MANRS_METRIC_COUNT; m++) {
		const struct manrs_audit_metric *x = &r->m[m];

		manrs_buf_printf(o, "<tr data-metric=\"%s\"><td>%s</td>",
		    manrs_metric_name((enum manrs_metric)m),
		    manrs_metric_name((enum manrs_metric)m));
		if (!x->has_value) {
			manrs_buf_puts(o, "<td>no data</td><td></td><td "
			    "class=\"missing\">");
			esc(o, x->missing);
			manrs_buf_puts(o, "</td></tr>\n");
			continue;
		}
		manrs_buf_printf(o, "<td style=\"color:%s\">%.1f</td>"
		    "<td>%.3f</td><td>", color(x->score), x->score, x->raw);
		if (m == MANRS_M7RPKI || m == MANRS_M7RPKIN)
			manrs_buf_printf(o, "%u valid, %u invalid, %u not found"
			    " of %u", x->valid, x->invalid, x->not_found,
			    x->total);
		else if (m == MANRS_M7IRR)
			manrs_buf_printf(o, "%u of %u", x->matched, x->total);
		else if (m <= MANRS_M4C)
			manrs_buf_printf(o, "%u incidents, %u events",
			    x->total, x->events);
		else
			manrs_buf_printf(o, "%u", x->total);
		manrs_buf_puts(o, "</td></tr>\n");
	}
	manrs_buf_puts(o, "</table>\n");
}

static void
evidence_list(struct manrs_buf *o, const struct manrs_audit_report *r)
{
	char pfx[MANRS_PREFIX_STRLEN], t[32];
	size_t i;

	manrs_buf_puts(o, "<h3>Evidence</h3>\n<ul class=\"evidence\">\n");
	for (i = 0; i < r->nev; i++) {
		const struct manrs_audit_evidence *e = &r->ev[i];

		manrs_buf_printf(o, "<li data-metric=\"%s\"><b>%s</b> ",
		    manrs_metric_name(e->metric),
		    manrs_metric_name(e->metric));
		if (e->prefix.af != 0) {
			manrs_prefix_print(&e->prefix, pfx, sizeof(pfx));
			manrs_buf_printf(o, "<code>%s</code> ", pfx);
		}
		if (e->kind == MANRS_EV_INCIDENT) {
			day(e->start, t, sizeof(t));
			manrs_buf_printf(o, "(%s, weight %.1f) ", t,
			    e->weight);
		}
		esc(o, e->text);
		manrs_buf_puts(o, "</li>\n");
	}
	if (r->nev == 0)
		manrs_buf_puts(o, "<li>none</li>\n");
	manrs_buf_puts(o, "</ul>\n<h3>Fixes</h3>\n");
	for (i = 0; i < r->nfix; i++) {
		manrs_buf_puts(o, "<pre class=\"fix\">");
		esc(o, r->fix[i].text);
		manrs_buf_puts(o, "</pre>\n");
	}
	if (r->nfix == 0)
		manrs_buf_puts(o, "<p class=\"nofix\">nothing to fix</p>\n");
}

/* The inputs section: every input with its time, then the warnings. */
static void
inputs_section(struct manrs_buf *o, const struct manrs_audit_inputs *in)
{
	size_t i;

	if (in == NULL)
		return;
	manrs_buf_puts(o, "<section id=\"inputs\"><h2>Inputs</h2>\n"
	    "<ul class=\"inputs\">\n");
	for (i = 0; i < in->ninputs; i++) {
		manrs_buf_puts(o, "<li><code>");
		esc(o, in->inputs[i]);
		manrs_buf_puts(o, "</code></li>\n");
	}
	if (in->ninputs == 0)
		manrs_buf_puts(o, "<li>none</li>\n");
	manrs_buf_puts(o, "</ul>\n");
	if (in->nwarnings > 0) {
		manrs_buf_puts(o, "<ul class=\"warnings\">\n");
		for (i = 0; i < in->nwarnings; i++) {
			manrs_buf_puts(o, "<li class=\"warning\">");
			esc(o, in->warnings[i]);
			manrs_buf_puts(o, "</li>\n");
		}
		manrs_buf_puts(o, "</ul>\n");
	}
	manrs_buf_puts(o, "</section>\n");
}

int
manrs_audit_report_html(const struct manrs_audit_report *const *rs, size_t n,
    const struct manrs_audit_config *cfg, struct manrs_buf *o)
{
	return manrs_audit_report_html_in(rs, n, cfg, NULL, o);
}

int
manrs_audit_report_html_in(const struct manrs_audit_report *const *rs,
    size_t n, const struct manrs_audit_config *cfg,
    const struct manrs_audit_inputs *in, struct manrs_buf *o)
{
	char t1[32], t2[32];
	size_t i;
	unsigned act;

	manrs_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>MANRS audit</title>\n<style>\n"
	    "body{font-family:sans-serif;max-width:60em;margin:2em auto;"
	    "color:#222}\nsection.as{border-top:2px solid #444;"
	    "margin-top:2em}\ntable{border-collapse:collapse}\n"
	    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}\n"
	    "pre.fix{background:#f4f4f4;padding:6px}\n"
	    ".verdict{font-weight:bold}\n.warning{color:#c62828}\n"
	    "</style></head><body>\n"
	    "<h1>MANRS conformance audit</h1>\n");
	inputs_section(o, in);
	for (i = 0; i < n; i++) {
		const struct manrs_audit_report *r = rs[i];

		day(r->period_start, t1, sizeof(t1));
		day(r->period_end, t2, sizeof(t2));
		manrs_buf_printf(o, "<section class=\"as\" id=\"AS%u\" "
		    "data-asn=\"%u\">\n<h2>AS%u", r->asn, r->asn, r->asn);
		if (r->name != NULL) {
			manrs_buf_puts(o, " &mdash; ");
			esc(o, r->name);
		}
		manrs_buf_puts(o, "</h2>\n");
		if (r->country != NULL || r->rir != NULL) {
			manrs_buf_puts(o, "<p class=\"who\">Registered");
			if (r->rir != NULL) {
				manrs_buf_puts(o, " with <span class=\"rir\">");
				esc(o, r->rir);
				manrs_buf_puts(o, "</span>");
			}
			if (r->country != NULL) {
				manrs_buf_puts(o, " in <span class=\"country\">");
				esc(o, r->country);
				manrs_buf_puts(o, "</span>");
			}
			manrs_buf_puts(o, ".</p>\n");
		}
		manrs_buf_printf(o, "<p>Period %s to %s UTC; %u IPv4 "
		    "and %u IPv6 prefixes announced (seen by at least %u "
		    "peers).</p>\n<table class=\"actions\">\n", t1, t2,
		    r->announced4, r->announced6, cfg->min_peers);
		for (act = 1; act <= MANRS_ACTION_COUNT; act++) {
			const struct manrs_audit_action *a = &r->action[act];

			manrs_buf_printf(o, "<tr data-action=\"%u\"><td>Action"
			    " %u: %s</td><td class=\"verdict\">%s</td><td>",
			    act, act, manrs_action_name((enum manrs_action)act),
			    manrs_readiness_name(a->readiness));
			if (a->has_score)
				manrs_buf_printf(o, "%.1f", a->score);
			else
				esc(o, r->action_missing[act]);
			manrs_buf_puts(o, "</td></tr>\n");
		}
		manrs_buf_puts(o, "</table>\n");
		svg_actions(o, r);
		metric_rows(o, r);
		manrs_buf_puts(o, "<h3>Incidents</h3>\n");
		svg_timeline(o, r);
		evidence_list(o, r);
		manrs_buf_puts(o, "</section>\n");
	}
	manrs_buf_puts(o, "<footer><p>Generated by manrs. Thresholds: ready "
	    ">= ");
	manrs_buf_printf(o, "%.0f, aspiring >= %.0f.</p></footer>\n"
	    "</body></html>\n", cfg->ready, cfg->aspiring);
	return o->err;
}
