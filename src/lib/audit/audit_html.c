/*
 * audit_html.c - a self-contained HTML page for one or more audit
 * reports: inline CSS and SVG charts (score bars per action and metric,
 * an incident timeline), no scripts, no external assets.  A summary table
 * leads when several ASes are audited.
 *
 * Layout: nothing is wider than the page (SVGs scale to their box, long
 * evidence and RPSL wrap), so a 1280 px window never scrolls sideways;
 * timeline labels get a row each, taller than their font; "no data" is
 * drawn and styled apart from a score of 0 (class "nodata", hatched bar).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <manrs/audit.h>

#include "audit_int.h"

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

/* Hatching for "no data" bars (defined once per chart). */
#define NODATA_DEFS	"<defs><pattern id=\"nd-%u\" width=\"8\" " \
	"height=\"8\" patternUnits=\"userSpaceOnUse\" " \
	"patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" " \
	"fill=\"#f4f4f4\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" " \
	"stroke=\"#bbb\" stroke-width=\"3\"/></pattern></defs>\n"

/*
 * Horizontal bars: one per action (id "actions-ASN").  A score of 0 is an
 * empty track with "0"; no data is a hatched track with "no data".
 */
static void
svg_actions(struct manrs_buf *o, const struct manrs_audit_report *r)
{
	unsigned i;

	manrs_buf_printf(o, "<svg class=\"chart\" id=\"actions-%u\" "
	    "role=\"img\" aria-label=\"action scores\" width=\"600\" "
	    "height=\"146\" viewBox=\"0 0 600 146\" font-size=\"13\">\n",
	    r->asn);
	manrs_buf_printf(o, NODATA_DEFS, r->asn);
	for (i = 1; i <= MANRS_ACTION_COUNT; i++) {
		const struct manrs_audit_action *a = &r->action[i];
		double w = a->has_score ? 3.6 * a->score : 0;
		unsigned y = 8 + (i - 1) * 34;

		manrs_buf_printf(o, "<text class=\"label\" x=\"0\" "
		    "y=\"%u\">%s</text>", y + 17,
		    manrs_action_name((enum manrs_action)i));
		if (!a->has_score) {
			manrs_buf_printf(o, "<rect class=\"nodata\" x=\"150\" "
			    "y=\"%u\" width=\"360\" height=\"24\" "
			    "fill=\"url(#nd-%u)\" stroke=\"#bbb\"/>"
			    "<text class=\"label nodata\" x=\"518\" "
			    "y=\"%u\" fill=\"#777\" font-style=\"italic\">"
			    "no data</text>\n", y, r->asn, y + 17);
			continue;
		}
		manrs_buf_printf(o, "<rect x=\"150\" y=\"%u\" width=\"360\" "
		    "height=\"24\" fill=\"#eee\"/>", y);
		manrs_buf_printf(o, "<rect class=\"bar\" data-score=\"%.1f\" "
		    "x=\"150\" y=\"%u\" width=\"%.1f\" height=\"24\" "
		    "fill=\"%s\"/>", a->score, y, w, color(a->score));
		manrs_buf_printf(o, "<text class=\"label score\" x=\"518\" "
		    "y=\"%u\">%.0f</text>\n", y + 17, a->score);
	}
	manrs_buf_puts(o, "</svg>\n");
}

/* Rows of the timeline: label font 12 px in a 20 px row. */
#define TL_ROW		20
#define TL_TOP		40
#define TL_X0		70
#define TL_X1		590

/*
 * Incidents on a time axis over the period (id "timeline-ASN"): the
 * period's ends labelled under the axis, one row per incident with its
 * metric at the left.
 */
static void
svg_timeline(struct manrs_buf *o, const struct manrs_audit_report *r)
{
	double span = (double)(r->period_end - r->period_start);
	char t1[32], t2[32];
	unsigned row = 0;
	size_t i, rows = 1, h;

	for (i = 0; i < r->nev; i++)
		rows += r->ev[i].kind == MANRS_EV_INCIDENT;
	h = TL_TOP + TL_ROW * rows;
	day(r->period_start, t1, sizeof(t1));
	day(r->period_end, t2, sizeof(t2));
	manrs_buf_printf(o, "<svg class=\"chart\" id=\"timeline-%u\" "
	    "role=\"img\" aria-label=\"incident timeline\" width=\"600\" "
	    "height=\"%zu\" viewBox=\"0 0 600 %zu\" font-size=\"12\">\n",
	    r->asn, h, h);
	manrs_buf_printf(o, "<line x1=\"%d\" y1=\"12\" x2=\"%d\" "
	    "y2=\"12\" stroke=\"#333\"/>\n<text class=\"label\" "
	    "x=\"%d\" y=\"28\">%s</text><text class=\"label\" x=\"%d\" "
	    "y=\"28\" text-anchor=\"end\">%s</text>\n", TL_X0, TL_X1, TL_X0,
	    t1, TL_X1, t2);
	for (i = 0; i < r->nev; i++) {
		const struct manrs_audit_evidence *e = &r->ev[i];
		double x0 = TL_X0, x1 = TL_X1;
		unsigned y = TL_TOP + row * TL_ROW;

		if (e->kind != MANRS_EV_INCIDENT)
			continue;
		if (span > 0) {
			x0 = TL_X0 + (TL_X1 - TL_X0) *
			    (double)(e->start - r->period_start) / span;
			x1 = TL_X0 + (TL_X1 - TL_X0) *
			    (double)(e->end - r->period_start) / span;
		}
		if (x1 - x0 < 3)
			x1 = x0 + 3;
		manrs_buf_printf(o, "<text class=\"label\" x=\"0\" "
		    "y=\"%u\">%s</text><rect class=\"incident\" x=\"%.1f\" "
		    "y=\"%u\" width=\"%.1f\" height=\"12\" "
		    "fill=\"#c62828\"><title>", y + 12,
		    manrs_metric_name(e->metric), x0, y + 2, x1 - x0);
		manrs_buf_put_html_str(o, e->text);
		manrs_buf_puts(o, "</title></rect>\n");
		row++;
	}
	if (row == 0)
		manrs_buf_printf(o, "<text class=\"label\" x=\"%d\" y=\"%d\">"
		    "no incidents in the period</text>\n", TL_X0, TL_TOP + 12);
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
			manrs_buf_puts(o, "<td class=\"nodata\">no data</td>"
			    "<td class=\"nodata\"></td><td class=\"missing\">");
			manrs_buf_put_html_str(o, x->missing);
			manrs_buf_puts(o, "</td></tr>\n");
			continue;
		}
		manrs_buf_printf(o, "<td class=\"score\" style=\"color:%s\">"
		    "%.1f</td><td>%.3f</td><td>", color(x->score), x->score,
		    x->raw);
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
		manrs_buf_put_html_str(o, e->text);
		manrs_buf_puts(o, "</li>\n");
	}
	if (r->nev == 0)
		manrs_buf_puts(o, "<li>none</li>\n");
	manrs_buf_puts(o, "</ul>\n<h3>Fixes</h3>\n");
	for (i = 0; i < r->nfix; i++) {
		manrs_buf_puts(o, "<pre class=\"fix\">");
		manrs_buf_put_html_str(o, r->fix[i].text);
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
		manrs_buf_put_html_str(o, in->inputs[i]);
		manrs_buf_puts(o, "</code></li>\n");
	}
	if (in->ninputs == 0)
		manrs_buf_puts(o, "<li>none</li>\n");
	manrs_buf_puts(o, "</ul>\n");
	if (in->nwarnings > 0) {
		manrs_buf_puts(o, "<ul class=\"warnings\">\n");
		for (i = 0; i < in->nwarnings; i++) {
			manrs_buf_puts(o, "<li class=\"warning\">");
			manrs_buf_put_html_str(o, in->warnings[i]);
			manrs_buf_puts(o, "</li>\n");
		}
		manrs_buf_puts(o, "</ul>\n");
	}
	manrs_buf_puts(o, "</section>\n");
}

void
manrs_audit_html_style(struct manrs_buf *o)
{
	manrs_buf_puts(o, "<style>\n"
	    "*{box-sizing:border-box}\n"
	    "body{font-family:sans-serif;max-width:66em;margin:2em auto;"
	    "padding:0 1em;color:#222}\n"
	    "section.as{border-top:2px solid #444;margin-top:2em}\n"
	    "table{border-collapse:collapse;max-width:100%}\n"
	    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;"
	    "overflow-wrap:anywhere}\n"
	    "svg.chart{display:block;max-width:100%;height:auto}\n"
	    "pre.fix{background:#f4f4f4;padding:6px;white-space:pre-wrap;"
	    "overflow-wrap:anywhere}\n"
	    "code,li,p{overflow-wrap:anywhere}\n"
	    ".verdict{font-weight:bold}\n.warning{color:#c62828}\n"
	    ".nodata{color:#777;font-style:italic;background:#f4f4f4}\n"
	    "td.missing{color:#555;font-size:90%}\n"
	    "</style>\n");
}

/* Several ASes: one row each, linking to its section. */
static void
summary(struct manrs_buf *o, const struct manrs_audit_report *const *rs,
    size_t n)
{
	size_t i;
	unsigned act;

	manrs_buf_puts(o, "<section id=\"summary\"><h2>Summary</h2>\n"
	    "<table class=\"summary\"><tr><th>AS</th><th>name</th>"
	    "<th>country</th><th>RIR</th>");
	for (act = 1; act <= MANRS_ACTION_COUNT; act++)
		manrs_buf_printf(o, "<th>%s</th>", manrs_action_name(
		    (enum manrs_action)act));
	manrs_buf_puts(o, "</tr>\n");
	for (i = 0; i < n; i++) {
		const struct manrs_audit_report *r = rs[i];

		manrs_buf_printf(o, "<tr data-asn=\"%u\"><td><a href=\"#AS%u\">"
		    "AS%u</a></td><td>", r->asn, r->asn, r->asn);
		manrs_buf_put_html_str(o, r->name);
		manrs_buf_puts(o, "</td><td>");
		manrs_buf_put_html_str(o, r->country);
		manrs_buf_puts(o, "</td><td>");
		manrs_buf_put_html_str(o, r->rir);
		manrs_buf_puts(o, "</td>");
		for (act = 1; act <= MANRS_ACTION_COUNT; act++) {
			const struct manrs_audit_action *a = &r->action[act];

			if (a->has_score)
				manrs_buf_printf(o, "<td class=\"score\" "
				    "data-action=\"%u\" style=\"color:%s\">"
				    "%.1f %s</td>", act, color(a->score),
				    a->score, manrs_readiness_name(
				    a->readiness));
			else
				manrs_buf_printf(o, "<td class=\"nodata\" "
				    "data-action=\"%u\">no data</td>", act);
		}
		manrs_buf_puts(o, "</tr>\n");
	}
	manrs_buf_puts(o, "</table></section>\n");
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
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width\"><title>MANRS audit</title>\n");
	manrs_audit_html_style(o);
	manrs_buf_puts(o, "</head><body>\n<h1>MANRS conformance audit</h1>\n");
	if (n > 1)
		summary(o, rs, n);
	inputs_section(o, in);
	for (i = 0; i < n; i++) {
		const struct manrs_audit_report *r = rs[i];

		day(r->period_start, t1, sizeof(t1));
		day(r->period_end, t2, sizeof(t2));
		manrs_buf_printf(o, "<section class=\"as\" id=\"AS%u\" "
		    "data-asn=\"%u\">\n<h2>AS%u", r->asn, r->asn, r->asn);
		if (r->name != NULL) {
			manrs_buf_puts(o, " &mdash; ");
			manrs_buf_put_html_str(o, r->name);
		}
		manrs_buf_puts(o, "</h2>\n");
		if (r->country != NULL || r->rir != NULL) {
			manrs_buf_puts(o, "<p class=\"who\">Registered");
			if (r->rir != NULL) {
				manrs_buf_puts(o, " with <span class=\"rir\">");
				manrs_buf_put_html_str(o, r->rir);
				manrs_buf_puts(o, "</span>");
			}
			if (r->country != NULL) {
				manrs_buf_puts(o, " in <span "
				    "class=\"country\">");
				manrs_buf_put_html_str(o, r->country);
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
			else {
				manrs_buf_puts(o, "<span class=\"nodata\">");
				manrs_buf_put_html_str(o,
				    r->action_missing[act]);
				manrs_buf_puts(o, "</span>");
			}
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
