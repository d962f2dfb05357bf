/*
 * observe_site.c - "manrs observe --site DIR": the observatory as a
 * static site (docs/observatory.md "The web view").
 *
 *   DIR/index.html          every AS: a sortable, filterable table
 *   DIR/as/AS<asn>.html     the full report of one AS (actions, metrics,
 *                           incidents, evidence, fixes) and its trend
 *   DIR/country/<CC>.html   one country: summary and its ASes
 *   DIR/rir/<rir>.html      one RIR: the same
 *
 * Self-contained pages: inline CSS, SVG and (index and group pages) a
 * little inline JavaScript for sorting and filtering; no external asset.
 * Each file is replaced atomically (outfile.h).  Pages are built on this
 * thread and handed to SITE_WRITERS writer threads: each atomic write
 * waits for two fsyncs, so one writer would spend the run waiting.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "observe_site.h"
#include "outfile.h"

static const char *const action_short[MANRS_ACTION_COUNT + 1] = {
	NULL, "filtering", "anti-spoofing", "coordination",
	"global validation",
};
static const char *const action_color[MANRS_ACTION_COUNT + 1] = {
	NULL, "#1565c0", "#6a1b9a", "#ef6c00", "#2e7d32",
};

static const char *
color(double score)
{
	return score >= 90 ? "#2e7d32" : score >= 50 ? "#f9a825" : "#c62828";
}

/* A RIR name usable as a file name, or NULL. */
static const char *
rir_key(const struct manrs_audit_report *r)
{
	const char *p;

	if (r->rir == NULL || r->rir[0] == '\0')
		return NULL;
	for (p = r->rir; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return NULL;
	return r->rir;
}

static void
head(struct manrs_buf *o, const char *title)
{
	manrs_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width\"><title>");
	manrs_buf_put_html_str(o, title);
	manrs_buf_puts(o, "</title>\n");
	manrs_audit_html_style(o);
	manrs_buf_puts(o, "<style>\n"
	    "nav{margin-bottom:1em}\nnav a{margin-right:1em}\n"
	    "table.ases th{cursor:pointer;background:#f4f4f4;"
	    "white-space:nowrap}\n"
	    "table.ases th[aria-sort=ascending]::after{content:\" \\25b2\"}\n"
	    "table.ases th[aria-sort=descending]::after{content:\" \\25bc\"}\n"
	    "table.ases{width:100%;font-size:90%}\n"
	    "#filter{width:100%;max-width:30em;padding:4px;"
	    "margin-bottom:.5em}\n"
	    "ul.groups{columns:12em}\n"
	    "</style></head><body>\n");
}

/* Sorting and filtering of table.ases (no data sorts last). */
static const char table_js[] =
"<script>\n(function () {\n"
"var t = document.getElementById('ases');\n"
"var f = document.getElementById('filter');\n"
"var c = document.getElementById('count');\n"
"var rows = Array.prototype.slice.call(t.tBodies[0].rows);\n"
"function update() {\n"
"  var q = f.value.toLowerCase(), k = 0;\n"
"  rows.forEach(function (r) {\n"
"    var show = r.textContent.toLowerCase().indexOf(q) >= 0;\n"
"    r.hidden = !show; if (show) k++;\n"
"  });\n"
"  c.textContent = k + ' of ' + rows.length + ' ASes';\n"
"}\n"
"f.addEventListener('input', update);\n"
"var ths = t.tHead.rows[0].cells;\n"
"Array.prototype.forEach.call(ths, function (th, i) {\n"
"  th.addEventListener('click', function () {\n"
"    var num = th.getAttribute('data-type') === 'num';\n"
"    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;\n"
"    Array.prototype.forEach.call(ths, function (h) {\n"
"      h.removeAttribute('aria-sort'); });\n"
"    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');\n"
"    rows.sort(function (a, b) {\n"
"      var x = a.cells[i].getAttribute('data-v');\n"
"      var y = b.cells[i].getAttribute('data-v');\n"
"      if (num) {\n"
"        if (x === '' || y === '') return (x === '') - (y === '');\n"
"        return (Number(x) - Number(y)) * dir;\n"
"      }\n"
"      return x.localeCompare(y) * dir;\n"
"    });\n"
"    rows.forEach(function (r) { t.tBodies[0].appendChild(r); });\n"
"  });\n"
"});\n"
"update();\n})();\n</script>\n";

/* The table of ASes r[idx[0..k)]; up: "" or "../" to the site root. */
static void
as_table(struct manrs_buf *o, struct manrs_audit_report *const *r,
    const size_t *idx, size_t k, const char *up)
{
	size_t i;
	int a;

	manrs_buf_puts(o, "<input id=\"filter\" type=\"search\" "
	    "placeholder=\"filter: AS, name, country, RIR, readiness\" "
	    "aria-label=\"filter\"> <span id=\"count\"></span>\n"
	    "<table class=\"ases\" id=\"ases\"><thead><tr>"
	    "<th data-type=\"num\">AS</th><th>name</th><th>country</th>"
	    "<th>RIR</th>");
	for (a = 1; a <= MANRS_ACTION_COUNT; a++)
		manrs_buf_printf(o, "<th data-type=\"num\">%s</th>",
		    action_short[a]);
	manrs_buf_puts(o, "<th data-type=\"num\">prefixes</th></tr></thead>"
	    "\n<tbody>\n");
	for (i = 0; i < k; i++) {
		const struct manrs_audit_report *x = r[idx[i]];

		manrs_buf_printf(o, "<tr data-asn=\"%u\"><td data-v=\"%u\">"
		    "<a href=\"%sas/AS%u.html\">AS%u</a></td><td data-v=\"",
		    x->asn, x->asn, up, x->asn, x->asn);
		manrs_buf_put_html_str(o, x->name);
		manrs_buf_puts(o, "\">");
		manrs_buf_put_html_str(o, x->name);
		manrs_buf_printf(o, "</td><td data-v=\"%s\">",
		    x->country != NULL ? x->country : "");
		if (x->country != NULL)
			manrs_buf_printf(o, "<a href=\"%scountry/%s.html\">%s"
			    "</a>", up, x->country, x->country);
		manrs_buf_puts(o, "</td><td data-v=\"");
		manrs_buf_put_html_str(o, rir_key(x));
		manrs_buf_puts(o, "\">");
		if (rir_key(x) != NULL)
			manrs_buf_printf(o, "<a href=\"%srir/%s.html\">%s</a>",
			    up, rir_key(x), rir_key(x));
		manrs_buf_puts(o, "</td>");
		for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
			const struct manrs_audit_action *y = &x->action[a];

			if (y->has_score)
				manrs_buf_printf(o, "<td class=\"score\" "
				    "data-v=\"%.1f\" style=\"color:%s\">%.1f "
				    "<small>%s</small></td>", y->score,
				    color(y->score), y->score,
				    manrs_readiness_name(y->readiness));
			else
				manrs_buf_puts(o, "<td class=\"nodata\" "
				    "data-v=\"\">no data</td>");
		}
		manrs_buf_printf(o, "<td data-v=\"%u\">%u</td></tr>\n",
		    x->announced4 + x->announced6,
		    x->announced4 + x->announced6);
	}
	manrs_buf_puts(o, "</tbody></table>\n");
	manrs_buf_puts(o, table_js);
}

/* Mean score and readiness counts of the ASes r[idx[0..k)]. */
static void
group_summary(struct manrs_buf *o, struct manrs_audit_report *const *r,
    const size_t *idx, size_t k)
{
	size_t i, seen = 0;
	int a;

	for (i = 0; i < k; i++)
		seen += r[idx[i]]->seen;
	manrs_buf_printf(o, "<p>%zu ASes, %zu seen in the BGP data.</p>\n"
	    "<table class=\"summary\"><tr><th>action</th><th>mean score</th>"
	    "<th>ready</th><th>aspiring</th><th>lagging</th><th>no data</th>"
	    "</tr>\n", k, seen);
	for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
		size_t cnt[4] = { 0, 0, 0, 0 }, scored = 0;
		double sum = 0;

		for (i = 0; i < k; i++) {
			const struct manrs_audit_action *y =
			    &r[idx[i]]->action[a];

			cnt[y->has_score ? (int)y->readiness : 0]++;
			if (y->has_score) {
				sum += y->score;
				scored++;
			}
		}
		manrs_buf_printf(o, "<tr data-action=\"%d\"><td>%s</td>", a,
		    action_short[a]);
		if (scored > 0)
			manrs_buf_printf(o, "<td class=\"score\">%.1f</td>",
			    sum / (double)scored);
		else
			manrs_buf_puts(o, "<td class=\"nodata\">no data</td>");
		manrs_buf_printf(o, "<td>%zu</td><td>%zu</td><td>%zu</td>"
		    "<td>%zu</td></tr>\n", cnt[3], cnt[2], cnt[1], cnt[0]);
	}
	manrs_buf_puts(o, "</table>\n");
}

#define SITE_WRITERS	8
#define SITE_QUEUE	64		/* pages waiting to be written */

struct job {
	char		*path;
	uint8_t		*p;
	size_t		 len;
};

/* The writer threads and their queue (a ring of SITE_QUEUE jobs). */
static struct {
	pthread_mutex_t	 mu;
	pthread_cond_t	 more, room;
	struct job	 q[SITE_QUEUE];
	size_t		 head, n;
	bool		 done;
	int		 err;		/* first failure's errno */
	char		 errpath[4096];
	pthread_t	 th[SITE_WRITERS];
	unsigned	 nth;
} wq;

static void *
writer(void *arg)
{
	struct job j;
	int e;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&wq.mu);
		while (wq.n == 0 && !wq.done)
			pthread_cond_wait(&wq.more, &wq.mu);
		if (wq.n == 0) {
			pthread_mutex_unlock(&wq.mu);
			return NULL;
		}
		j = wq.q[wq.head];
		wq.head = (wq.head + 1) % SITE_QUEUE;
		wq.n--;
		pthread_cond_signal(&wq.room);
		pthread_mutex_unlock(&wq.mu);
		e = outfile_write(j.path, j.p, j.len) != 0 ? errno : 0;
		pthread_mutex_lock(&wq.mu);
		if (e != 0 && wq.err == 0) {
			wq.err = e;
			strlcpy(wq.errpath, j.path, sizeof(wq.errpath));
		}
		pthread_mutex_unlock(&wq.mu);
		free(j.path);
		free(j.p);
	}
}

static void
writers_start(void)
{
	pthread_mutex_init(&wq.mu, NULL);
	pthread_cond_init(&wq.more, NULL);
	pthread_cond_init(&wq.room, NULL);
	wq.head = wq.n = 0;
	wq.done = false;
	wq.err = 0;
	for (wq.nth = 0; wq.nth < SITE_WRITERS; wq.nth++)
		if (pthread_create(&wq.th[wq.nth], NULL, writer, NULL) != 0)
			break;
}

/* Wait for every page to be written; 0 or -1 (reported). */
static int
writers_stop(void)
{
	unsigned i;

	pthread_mutex_lock(&wq.mu);
	wq.done = true;
	pthread_cond_broadcast(&wq.more);
	pthread_mutex_unlock(&wq.mu);
	for (i = 0; i < wq.nth; i++)
		pthread_join(wq.th[i], NULL);
	while (wq.n > 0) {		/* no thread could start */
		struct job *j = &wq.q[wq.head];

		if (outfile_write(j->path, j->p, j->len) != 0 && wq.err == 0) {
			wq.err = errno;
			strlcpy(wq.errpath, j->path, sizeof(wq.errpath));
		}
		free(j->path);
		free(j->p);
		wq.head = (wq.head + 1) % SITE_QUEUE;
		wq.n--;
	}
	pthread_cond_destroy(&wq.more);
	pthread_cond_destroy(&wq.room);
	pthread_mutex_destroy(&wq.mu);
	if (wq.err != 0) {
		cli_warnx("observe: --site: %s: %s", wq.errpath,
		    strerror(wq.err));
		return -1;
	}
	return 0;
}

/* Queue a copy of b as DIR/SUB/NAME for the writers. */
static int
put(const char *dir, const char *sub, const char *name,
    const struct manrs_buf *b)
{
	char path[4096];
	struct job j;

	if (b->err != 0) {
		cli_warnx("observe: --site: %s: out of memory", name);
		return -1;
	}
	if (snprintf(path, sizeof(path), "%s/%s%s%s", dir, sub,
	    sub[0] != '\0' ? "/" : "", name) >= (int)sizeof(path)) {
		cli_warnx("observe: --site: %s: path too long", dir);
		return -1;
	}
	j.len = b->len;
	if ((j.path = strdup(path)) == NULL ||
	    (j.p = malloc(b->len + 1)) == NULL) {
		free(j.path);
		cli_warnx("observe: --site: %s: out of memory", path);
		return -1;
	}
	memcpy(j.p, b->p, b->len);
	pthread_mutex_lock(&wq.mu);
	if (wq.nth == 0) {			/* no writer thread */
		pthread_mutex_unlock(&wq.mu);
		if (outfile_write(j.path, j.p, j.len) != 0) {
			cli_warnx("observe: --site: %s: %s", j.path,
			    strerror(errno));
			free(j.path);
			free(j.p);
			return -1;
		}
		free(j.path);
		free(j.p);
		return 0;
	}
	while (wq.n == SITE_QUEUE)
		pthread_cond_wait(&wq.room, &wq.mu);
	wq.q[(wq.head + wq.n) % SITE_QUEUE] = j;
	wq.n++;
	pthread_cond_signal(&wq.more);
	pthread_mutex_unlock(&wq.mu);
	return 0;
}

static int
mkdirs(const char *dir)
{
	static const char *const sub[] = { "", "/as", "/country", "/rir" };
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			cli_warnx("observe: --site: %s: %s", path,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

void
site_trend(struct manrs_buf *o, uint32_t asn, const struct store_point *p,
    size_t n)
{
	const double x0 = 70, x1 = 560, y0 = 180, y1 = 20;
	size_t i, step;
	int a;

	manrs_buf_printf(o, "<section class=\"trend\" id=\"trend-AS%u\">"
	    "<h3>Trend</h3>\n", asn);
	if (n == 0) {
		manrs_buf_puts(o, "<p class=\"nodata\">no month of this AS in "
		    "the history (manrs observe --store)</p></section>\n");
		return;
	}
	manrs_buf_printf(o, "<p>Action scores per month, incidents counted "
	    "per 30 days (docs/observatory.md); months without a score are "
	    "left out of the lines.</p>\n<svg class=\"chart\" "
	    "id=\"trend-%u\" role=\"img\" aria-label=\"trend\" width=\"600\" "
	    "height=\"250\" viewBox=\"0 0 600 250\" font-size=\"12\">\n", asn);
	for (a = 0; a <= 100; a += 50) {
		double y = y0 - (y0 - y1) * a / 100.0;

		manrs_buf_printf(o, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" "
		    "y2=\"%.1f\" stroke=\"#ddd\"/><text class=\"label\" "
		    "x=\"40\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n", x0,
		    y, x1, y, y + 4, a);
	}
	/* Month labels at least ~70 px apart. */
	step = (n + 6) / 7;
	for (i = 0; i < n; i += step) {
		double x = n == 1 ? (x0 + x1) / 2 : x0 + (x1 - x0) *
		    (double)i / (double)(n - 1);

		manrs_buf_printf(o, "<text class=\"label\" x=\"%.1f\" "
		    "y=\"200\" text-anchor=\"middle\">%s</text>\n", x,
		    p[i].month);
	}
	for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
		bool open = false;

		for (i = 0; i < n; i++) {
			double x = n == 1 ? (x0 + x1) / 2 : x0 + (x1 - x0) *
			    (double)i / (double)(n - 1);
			double y = y0 - (y0 - y1) * p[i].score[a] / 100.0;

			if (!p[i].has[a]) {
				if (open)
					manrs_buf_puts(o, "\"/>\n");
				open = false;
				continue;
			}
			if (!open)
				manrs_buf_printf(o, "<polyline class=\"line\" "
				    "data-action=\"%d\" fill=\"none\" "
				    "stroke=\"%s\" stroke-width=\"2\" "
				    "points=\"", a, action_color[a]);
			manrs_buf_printf(o, "%.1f,%.1f ", x, y);
			open = true;
		}
		if (open)
			manrs_buf_puts(o, "\"/>\n");
		for (i = 0; i < n; i++) {
			double x = n == 1 ? (x0 + x1) / 2 : x0 + (x1 - x0) *
			    (double)i / (double)(n - 1);

			if (p[i].has[a])
				manrs_buf_printf(o, "<circle class=\"pt\" "
				    "data-action=\"%d\" data-month=\"%s\" "
				    "data-score=\"%.1f\" cx=\"%.1f\" "
				    "cy=\"%.1f\" r=\"3\" fill=\"%s\">"
				    "<title>%s %s: %.1f</title></circle>\n", a,
				    p[i].month, p[i].score[a], x,
				    y0 - (y0 - y1) * p[i].score[a] / 100.0,
				    action_color[a],
				    p[i].month, action_short[a],
				    p[i].score[a]);
		}
		manrs_buf_printf(o, "<rect x=\"%d\" y=\"222\" width=\"12\" "
		    "height=\"12\" fill=\"%s\"/><text class=\"label\" x=\"%d\" "
		    "y=\"233\">%s</text>\n", 10 + (a - 1) * 148,
		    action_color[a], 26 + (a - 1) * 148, action_short[a]);
	}
	manrs_buf_puts(o, "</svg>\n<table class=\"trend\"><tr><th>month</th>");
	for (a = 1; a <= MANRS_ACTION_COUNT; a++)
		manrs_buf_printf(o, "<th>%s</th>", action_short[a]);
	manrs_buf_puts(o, "</tr>\n");
	for (i = 0; i < n; i++) {
		manrs_buf_printf(o, "<tr data-month=\"%s\"><td>%s%s</td>",
		    p[i].month, p[i].month, p[i].seen ? "" : " (not seen)");
		for (a = 1; a <= MANRS_ACTION_COUNT; a++)
			if (p[i].has[a])
				manrs_buf_printf(o, "<td class=\"score\" "
				    "style=\"color:%s\">%.1f %s</td>",
				    color(p[i].score[a]), p[i].score[a],
				    p[i].readiness[a]);
			else
				manrs_buf_puts(o, "<td class=\"nodata\">no data"
				    "</td>");
		manrs_buf_puts(o, "</tr>\n");
	}
	manrs_buf_puts(o, "</table></section>\n");
}

/* Find s in b at or after from; the offset or -1. */
static ptrdiff_t
find(const struct manrs_buf *b, size_t from, const char *s)
{
	size_t n = strlen(s), i;

	for (i = from; i + n <= b->len; i++)
		if (memcmp(b->p + i, s, n) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* One AS's page: the audit report, a navigation bar and the trend. */
static int
as_page(const char *dir, const struct manrs_audit *a,
    const struct manrs_audit_config *cfg,
    const struct manrs_audit_inputs *in, uint32_t asn, struct store *st,
    struct manrs_buf *page, struct manrs_buf *out)
{
	struct manrs_audit_report *r;
	const struct manrs_audit_report *rr[1];
	struct store_point *p = NULL;
	char name[32];
	ptrdiff_t body, foot;
	size_t np = 0;
	int rc;

	if ((rc = manrs_audit_as(a, asn, MANRS_AUDIT_EVIDENCE |
	    MANRS_AUDIT_FIXES, &r)) != 0) {
		cli_warnx("observe: --site: AS%u: %s", asn, manrs_strerror(rc));
		return -1;
	}
	rr[0] = r;
	manrs_buf_reset(page);
	manrs_buf_reset(out);
	if (manrs_audit_report_html_in(rr, 1, cfg, in, page) != 0 ||
	    (body = find(page, 0, "<body>\n")) < 0 ||
	    (foot = find(page, (size_t)body, "<footer>")) < 0) {
		manrs_audit_report_free(r);
		cli_warnx("observe: --site: AS%u: out of memory", asn);
		return -1;
	}
	body += 7;
	manrs_buf_put(out, page->p, (size_t)body);
	manrs_buf_puts(out, "<nav><a href=\"../index.html\">all ASes</a>");
	if (r->country != NULL)
		manrs_buf_printf(out, "<a href=\"../country/%s.html\">country "
		    "%s</a>", r->country, r->country);
	if (rir_key(r) != NULL)
		manrs_buf_printf(out, "<a href=\"../rir/%s.html\">RIR %s</a>",
		    rir_key(r), rir_key(r));
	manrs_buf_puts(out, "</nav>\n");
	manrs_buf_put(out, page->p + body, (size_t)(foot - body));
	if (st != NULL) {
		if (store_trend(st, asn, &p, &np) != 0) {
			manrs_audit_report_free(r);
			return -1;
		}
		site_trend(out, asn, p, np);
		free(p);
	}
	manrs_buf_put(out, page->p + foot, page->len - (size_t)foot);
	manrs_audit_report_free(r);
	snprintf(name, sizeof(name), "AS%u.html", asn);
	return put(dir, "as", name, out);
}

/* Group pages: the ASes of each country (by 0) or RIR (by 1). */
static int
group_pages(const char *dir, struct manrs_audit_report *const *r, size_t n,
    int by, size_t *idx, struct manrs_buf *o)
{
	size_t i, j, k;
	char name[64];
	const char *key, *kj;
	bool *done;
	int rc = 0;

	if ((done = calloc(n + 1, sizeof(*done))) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		key = by == 0 ? r[i]->country : rir_key(r[i]);
		if (done[i] || key == NULL)
			continue;
		for (j = i, k = 0; j < n; j++) {
			kj = by == 0 ? r[j]->country : rir_key(r[j]);
			if (!done[j] && kj != NULL && strcmp(kj, key) == 0) {
				done[j] = true;
				idx[k++] = j;
			}
		}
		manrs_buf_reset(o);
		snprintf(name, sizeof(name), "%s %s", by == 0 ? "Country" :
		    "RIR", key);
		head(o, name);
		manrs_buf_puts(o, "<nav><a href=\"../index.html\">all ASes"
		    "</a></nav>\n<h1>");
		manrs_buf_put_html_str(o, name);
		manrs_buf_puts(o, "</h1>\n");
		group_summary(o, r, idx, k);
		as_table(o, r, idx, k, "../");
		manrs_buf_puts(o, "</body></html>\n");
		snprintf(name, sizeof(name), "%s.html", key);
		rc = put(dir, by == 0 ? "country" : "rir", name, o);
	}
	free(done);
	return rc;
}

/* Links to every country or RIR page. */
static void
group_links(struct manrs_buf *o, struct manrs_audit_report *const *r,
    size_t n, int by)
{
	const char *key, *kj;
	size_t i, j;

	manrs_buf_printf(o, "<h2>%s</h2>\n<ul class=\"groups\">\n", by == 0 ?
	    "Countries" : "RIRs");
	for (i = 0; i < n; i++) {
		key = by == 0 ? r[i]->country : rir_key(r[i]);
		if (key == NULL)
			continue;
		for (j = 0; j < i; j++) {
			kj = by == 0 ? r[j]->country : rir_key(r[j]);
			if (kj != NULL && strcmp(kj, key) == 0)
				break;
		}
		if (j == i)
			manrs_buf_printf(o, "<li><a href=\"%s/%s.html\">%s</a>"
			    "</li>\n", by == 0 ? "country" : "rir", key, key);
	}
	manrs_buf_puts(o, "</ul>\n");
}

int
site_write(const char *dir, const struct manrs_audit *a,
    const struct manrs_audit_config *cfg,
    const struct manrs_audit_inputs *in,
    struct manrs_audit_report *const *r, size_t n, struct store *st)
{
	struct manrs_buf o, page;
	char t1[32], t2[32];
	size_t *idx, i;
	int rc = -1;

	if (mkdirs(dir) != 0)
		return -1;
	if ((idx = calloc(n + 1, sizeof(*idx))) == NULL) {
		cli_warnx("observe: --site: out of memory");
		return -1;
	}
	manrs_buf_init(&o, 0);
	manrs_buf_init(&page, 0);
	writers_start();
	for (i = 0; i < n; i++)
		if (as_page(dir, a, cfg, in, r[i]->asn, st, &page, &o) != 0)
			goto out;
	if (group_pages(dir, r, n, 0, idx, &o) != 0 ||
	    group_pages(dir, r, n, 1, idx, &o) != 0)
		goto out;
	manrs_buf_reset(&o);
	head(&o, "MANRS observatory");
	manrs_buf_puts(&o, "<h1>MANRS observatory</h1>\n");
	if (n > 0) {
		time_t ts = (time_t)r[0]->period_start;
		time_t te = (time_t)r[0]->period_end;
		struct tm tm;

		strftime(t1, sizeof(t1), "%Y-%m-%d %H:%M", gmtime_r(&ts, &tm));
		strftime(t2, sizeof(t2), "%Y-%m-%d %H:%M", gmtime_r(&te, &tm));
		manrs_buf_printf(&o, "<p>Period %s to %s UTC; %zu ASes; "
		    "%zu inputs, %zu warnings (each AS page lists them).</p>\n",
		    t1, t2, n, in != NULL ? in->ninputs : 0,
		    in != NULL ? in->nwarnings : 0);
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	as_table(&o, r, idx, n, "");
	group_links(&o, r, n, 0);
	group_links(&o, r, n, 1);
	manrs_buf_printf(&o, "<footer><p>Generated by manrs observe --site. "
	    "Thresholds: ready &gt;= %.0f, aspiring &gt;= %.0f.</p></footer>"
	    "\n</body></html>\n", cfg->ready, cfg->aspiring);
	rc = put(dir, "", "index.html", &o);
out:
	if (writers_stop() != 0)
		rc = -1;
	manrs_buf_clear(&o);
	manrs_buf_clear(&page);
	free(idx);
	return rc;
}
