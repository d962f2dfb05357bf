/*
 * observe_store.c - the monthly history of the MANRS metrics in SQLite
 * (docs/observatory.md "History").
 *
 * One row per (month, AS) in "ases", per (month, AS, metric) in
 * "metrics" and per (month, AS, action) in "actions", and one per month
 * in "months" (period, normalisation, configuration, inputs).  Writing a
 * month replaces it in one transaction, so a store never holds half a
 * month.  The schema version is SQLite's user_version; migrations[i]
 * takes a store from version i to i + 1, each in a transaction, and a
 * store newer than this program is refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cli.h"
#include "observe_store.h"

struct store {
	sqlite3		*db;
	char		*path;
};

static const char *const migrations[STORE_SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE months ("
	" month TEXT PRIMARY KEY,"		/* YYYY-MM */
	" period_start INTEGER NOT NULL,"	/* unix seconds */
	" period_end INTEGER NOT NULL,"
	" seconds INTEGER NOT NULL,"		/* counted (>= 1 day) */
	" norm_factor REAL NOT NULL,"		/* 30 days / seconds */
	" incident_penalty REAL NOT NULL,"
	" ready REAL NOT NULL,"
	" aspiring REAL NOT NULL,"
	" ases INTEGER NOT NULL,"
	" inputs TEXT,"			/* manrs-inputs/1 members */
	" written INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE ases ("
	" month TEXT NOT NULL, asn INTEGER NOT NULL,"
	" name TEXT, country TEXT, rir TEXT,"
	" seen INTEGER NOT NULL,"
	" announced4 INTEGER NOT NULL, announced6 INTEGER NOT NULL,"
	" PRIMARY KEY (month, asn)) WITHOUT ROWID;"
	"CREATE TABLE metrics ("
	" month TEXT NOT NULL, asn INTEGER NOT NULL, metric TEXT NOT NULL,"
	" value REAL, score REAL,"		/* NULL: no data */
	" rate REAL, norm_score REAL,"		/* per 30 days */
	" PRIMARY KEY (month, asn, metric)) WITHOUT ROWID;"
	"CREATE TABLE actions ("
	" month TEXT NOT NULL, asn INTEGER NOT NULL, action TEXT NOT NULL,"
	" score REAL, readiness TEXT NOT NULL,"
	" norm_score REAL, norm_readiness TEXT NOT NULL,"
	" PRIMARY KEY (month, asn, action)) WITHOUT ROWID;"
	"CREATE INDEX ases_asn ON ases (asn, month);"
	"CREATE INDEX metrics_asn ON metrics (asn, month);"
	"CREATE INDEX actions_asn ON actions (asn, month);",
};

static const char *const action_keys[MANRS_ACTION_COUNT + 1] = {
	NULL, "filtering", "anti_spoofing", "coordination",
	"global_validation",
};

static int
fail(struct store *s, const char *what)
{
	cli_warnx("store: %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	return -1;
}

static int
exec(struct store *s, const char *sql, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		cli_warnx("store: %s: %s: %s", s->path, what,
		    msg != NULL ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
user_version(struct store *s, int *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return fail(s, "schema version");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : fail(s, "schema version");
}

static int
migrate(struct store *s)
{
	char sql[64];
	int v;

	if (user_version(s, &v) != 0)
		return -1;
	if (v > STORE_SCHEMA_VERSION) {
		cli_warnx("store: %s: schema version %d is newer than this "
		    "manrs (%d): not changed", s->path, v,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	for (; v < STORE_SCHEMA_VERSION; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (exec(s, "BEGIN IMMEDIATE", "migration") != 0)
			return -1;
		if (exec(s, migrations[v], "migration") != 0 ||
		    exec(s, sql, "migration") != 0) {
			(void)exec(s, "ROLLBACK", "migration");
			return -1;
		}
		if (exec(s, "COMMIT", "migration") != 0)
			return -1;
	}
	return 0;
}

int
store_open(const char *path, bool create, struct store **out)
{
	struct store *s;
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		free(s);
		cli_warnx("store: %s: out of memory", path);
		return -1;
	}
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		cli_warnx("store: %s: %s", path, s->db != NULL ?
		    sqlite3_errmsg(s->db) : "cannot open");
		store_close(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if (exec(s, "PRAGMA journal_mode = WAL", "open") != 0 ||
	    migrate(s) != 0) {
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

bool
store_month_valid(const char *m)
{
	int i;

	if (strlen(m) != 7 || m[4] != '-')
		return false;
	for (i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return false;
	return strncmp(m, "1970", 4) >= 0 && strncmp(m + 5, "01", 2) >= 0 &&
	    strncmp(m + 5, "12", 2) <= 0;
}

/* Seconds the report's period counts for (at least a day). */
static double
period_seconds(const struct manrs_audit_report *r)
{
	double s = (double)(r->period_end - r->period_start);

	return s < STORE_MIN_SECONDS ? STORE_MIN_SECONDS : s;
}

bool
store_norm_metric(const struct manrs_audit_report *r,
    const struct manrs_audit_config *cfg, int m, double *rate, double *score)
{
	const struct manrs_audit_metric *x = &r->m[m];

	if (!x->has_value)
		return false;
	if (m > MANRS_M4C) {
		*rate = x->raw;
		*score = x->score;
		return true;
	}
	*rate = x->raw * STORE_NORM_SECONDS / period_seconds(r);
	*score = fmax(0.0, 100.0 - cfg->incident_penalty * *rate);
	return true;
}

bool
store_norm_action(const struct manrs_audit_report *r,
    const struct manrs_audit_config *cfg, int act, double *score)
{
	double rate, sc, low = 101.0;
	int m;

	if (!r->action[act].has_score)
		return false;
	if (act != MANRS_ACTION_FILTERING) {
		*score = r->action[act].score;
		return true;
	}
	for (m = MANRS_M1; m <= MANRS_M4C; m++)
		if (store_norm_metric(r, cfg, m, &rate, &sc) && sc < low)
			low = sc;
	*score = low <= 100.0 ? low : r->action[act].score;
	return true;
}

static const char *
readiness(const struct manrs_audit_config *cfg, bool has, double score)
{
	if (!has)
		return "no data";
	return score >= cfg->ready ? "ready" : score >= cfg->aspiring ?
	    "aspiring" : "lagging";
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_real(sqlite3_stmt *st, int i, bool has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int
step(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : fail(s, "write");
}

static int
put_as(struct store *s, sqlite3_stmt *const *st, const char *month,
    const struct manrs_audit_config *cfg, const struct manrs_audit_report *r)
{
	double rate, sc;
	bool has;
	int m, a;

	sqlite3_bind_text(st[0], 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st[0], 2, r->asn);
	bind_text(st[0], 3, r->name);
	bind_text(st[0], 4, r->country);
	bind_text(st[0], 5, r->rir);
	sqlite3_bind_int(st[0], 6, r->seen);
	sqlite3_bind_int64(st[0], 7, r->announced4);
	sqlite3_bind_int64(st[0], 8, r->announced6);
	if (step(s, st[0]) != 0)
		return -1;
	for (m = 0; m < MANRS_METRIC_COUNT; m++) {
		const struct manrs_audit_metric *x = &r->m[m];

		has = store_norm_metric(r, cfg, m, &rate, &sc);
		sqlite3_bind_text(st[1], 1, month, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[1], 2, r->asn);
		sqlite3_bind_text(st[1], 3, manrs_metric_name(
		    (enum manrs_metric)m), -1, SQLITE_STATIC);
		bind_real(st[1], 4, x->has_value, x->raw);
		bind_real(st[1], 5, x->has_value, x->score);
		bind_real(st[1], 6, has, rate);
		bind_real(st[1], 7, has, sc);
		if (step(s, st[1]) != 0)
			return -1;
	}
	for (a = 1; a <= MANRS_ACTION_COUNT; a++) {
		const struct manrs_audit_action *x = &r->action[a];

		has = store_norm_action(r, cfg, a, &sc);
		sqlite3_bind_text(st[2], 1, month, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[2], 2, r->asn);
		sqlite3_bind_text(st[2], 3, action_keys[a], -1, SQLITE_STATIC);
		bind_real(st[2], 4, x->has_score, x->score);
		sqlite3_bind_text(st[2], 5, manrs_readiness_name(
		    x->has_score ? x->readiness : MANRS_READY_NODATA), -1,
		    SQLITE_STATIC);
		bind_real(st[2], 6, has, sc);
		sqlite3_bind_text(st[2], 7, readiness(cfg, has, sc), -1,
		    SQLITE_STATIC);
		if (step(s, st[2]) != 0)
			return -1;
	}
	return 0;
}

int
store_put_month(struct store *s, const char *month,
    const struct manrs_audit_config *cfg, const char *inputs,
    struct manrs_audit_report *const *r, size_t n)
{
	static const char *const del[] = {
		"DELETE FROM months WHERE month = ?1",
		"DELETE FROM ases WHERE month = ?1",
		"DELETE FROM metrics WHERE month = ?1",
		"DELETE FROM actions WHERE month = ?1",
	};
	static const char *const ins[] = {
		"INSERT INTO ases VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		"INSERT INTO metrics VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		"INSERT INTO actions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		"INSERT INTO months VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		"?9, ?10, ?11)",
	};
	sqlite3_stmt *st[4] = { NULL, NULL, NULL, NULL }, *d;
	int64_t ps = 0, pe = 0;
	double secs = STORE_MIN_SECONDS;
	size_t i;
	int rc = -1;

	if (n > 0) {
		ps = r[0]->period_start;
		pe = r[0]->period_end;
		secs = period_seconds(r[0]);
	}
	if (exec(s, "BEGIN IMMEDIATE", "write") != 0)
		return -1;
	for (i = 0; i < sizeof(del) / sizeof(del[0]); i++) {
		if (sqlite3_prepare_v2(s->db, del[i], -1, &d, NULL) !=
		    SQLITE_OK) {
			fail(s, "write");
			goto out;
		}
		sqlite3_bind_text(d, 1, month, -1, SQLITE_STATIC);
		rc = sqlite3_step(d) == SQLITE_DONE ? 0 : fail(s, "write");
		sqlite3_finalize(d);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	for (i = 0; i < 4; i++)
		if (sqlite3_prepare_v2(s->db, ins[i], -1, &st[i], NULL) !=
		    SQLITE_OK) {
			fail(s, "write");
			goto out;
		}
	for (i = 0; i < n; i++)
		if (put_as(s, st, month, cfg, r[i]) != 0)
			goto out;
	sqlite3_bind_text(st[3], 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st[3], 2, ps);
	sqlite3_bind_int64(st[3], 3, pe);
	sqlite3_bind_int64(st[3], 4, (sqlite3_int64)secs);
	sqlite3_bind_double(st[3], 5, STORE_NORM_SECONDS / secs);
	sqlite3_bind_double(st[3], 6, cfg->incident_penalty);
	sqlite3_bind_double(st[3], 7, cfg->ready);
	sqlite3_bind_double(st[3], 8, cfg->aspiring);
	sqlite3_bind_int64(st[3], 9, (sqlite3_int64)n);
	bind_text(st[3], 10, inputs);
	sqlite3_bind_int64(st[3], 11, (sqlite3_int64)time(NULL));
	if (step(s, st[3]) != 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < 4; i++)
		sqlite3_finalize(st[i]);
	if (rc == 0 && exec(s, "COMMIT", "write") != 0)
		rc = -1;
	if (rc != 0)
		(void)exec(s, "ROLLBACK", "write");
	return rc;
}

static struct store_point *
point_of(struct store_point *p, size_t n, const unsigned char *month)
{
	size_t i;

	if (month == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(p[i].month, (const char *)month) == 0)
			return &p[i];
	return NULL;
}

int
store_trend(struct store *s, uint32_t asn, struct store_point **out,
    size_t *nout)
{
	sqlite3_stmt *st = NULL;
	struct store_point *p, *q, tmp;
	size_t n = 0, i;
	int rc, k;

	*out = NULL;
	*nout = 0;
	if ((p = calloc(STORE_TREND_MAX, sizeof(*p))) == NULL) {
		cli_warnx("store: out of memory");
		return -1;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT month, seen FROM ases WHERE "
	    "asn = ?1 ORDER BY month DESC LIMIT ?2", -1, &st, NULL) !=
	    SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, asn);
	sqlite3_bind_int(st, 2, STORE_TREND_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(st, 0);

		strlcpy(p[n].month, m != NULL ? (const char *)m : "",
		    sizeof(p[n].month));
		p[n++].seen = sqlite3_column_int(st, 1) != 0;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	for (i = 0; i < n / 2; i++) {		/* oldest first */
		tmp = p[i];
		p[i] = p[n - 1 - i];
		p[n - 1 - i] = tmp;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT month, action, norm_score, "
	    "norm_readiness FROM actions WHERE asn = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, asn);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *a = sqlite3_column_text(st, 1);
		const unsigned char *rd = sqlite3_column_text(st, 3);

		if ((q = point_of(p, n, sqlite3_column_text(st, 0))) == NULL ||
		    a == NULL)
			continue;
		for (k = 1; k <= MANRS_ACTION_COUNT; k++)
			if (strcmp((const char *)a, action_keys[k]) == 0)
				break;
		if (k > MANRS_ACTION_COUNT)
			continue;
		q->has[k] = sqlite3_column_type(st, 2) != SQLITE_NULL;
		q->score[k] = sqlite3_column_double(st, 2);
		strlcpy(q->readiness[k], rd != NULL ? (const char *)rd :
		    "no data", sizeof(q->readiness[k]));
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "SELECT month, metric, norm_score FROM "
	    "metrics WHERE asn = ?1 AND norm_score IS NOT NULL", -1, &st,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, asn);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(st, 1);

		if ((q = point_of(p, n, sqlite3_column_text(st, 0))) == NULL ||
		    m == NULL ||
		    (k = manrs_metric_parse(manrs_view_cstr((const char *)m)))
		    < 0)
			continue;
		q->mhas[k] = true;
		q->mscore[k] = sqlite3_column_double(st, 2);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	*out = p;
	*nout = n;
	return 0;
fail:
	fail(s, "read");
	sqlite3_finalize(st);
	free(p);
	return -1;
}

void
store_trend_json(const struct store_point *p, size_t n, struct manrs_buf *o)
{
	size_t i;
	int k;

	manrs_buf_puts(o, "\"history\":[");
	for (i = 0; i < n; i++) {
		manrs_buf_printf(o, "%s{\"month\":\"%s\",\"seen\":%s,"
		    "\"actions\":{", i > 0 ? "," : "", p[i].month,
		    p[i].seen ? "true" : "false");
		for (k = 1; k <= MANRS_ACTION_COUNT; k++) {
			manrs_buf_printf(o, "%s\"%s\":{\"score\":", k > 1 ?
			    "," : "", action_keys[k]);
			if (p[i].has[k])
				manrs_buf_printf(o, "%.1f", p[i].score[k]);
			else
				manrs_buf_puts(o, "null");
			manrs_buf_printf(o, ",\"readiness\":\"%s\"}",
			    p[i].has[k] ? p[i].readiness[k] : "no data");
		}
		manrs_buf_puts(o, "},\"metrics\":{");
		for (k = 0; k < MANRS_METRIC_COUNT; k++) {
			manrs_buf_printf(o, "%s\"%s\":", k > 0 ? "," : "",
			    manrs_metric_name((enum manrs_metric)k));
			if (p[i].mhas[k])
				manrs_buf_printf(o, "%.1f", p[i].mscore[k]);
			else
				manrs_buf_puts(o, "null");
		}
		manrs_buf_puts(o, "}}");
	}
	manrs_buf_put_u8(o, ']');
}

void
store_trend_text(const struct store_point *p, size_t n, struct manrs_buf *o)
{
	size_t i;
	int k;

	if (n == 0) {
		manrs_buf_puts(o, "history: no month stored for this AS\n");
		return;
	}
	manrs_buf_puts(o, "history (action scores, incidents per 30 "
	    "days):\n  month     filtering  anti-spoofing  coordination  "
	    "global-validation\n");
	for (i = 0; i < n; i++) {
		manrs_buf_printf(o, "  %-8s", p[i].month);
		for (k = 1; k <= MANRS_ACTION_COUNT; k++) {
			static const int w[] = { 0, 11, 15, 14, 19 };

			if (p[i].has[k])
				manrs_buf_printf(o, "  %*.1f", w[k] - 2,
				    p[i].score[k]);
			else
				manrs_buf_printf(o, "  %*s", w[k] - 2,
				    "no data");
		}
		manrs_buf_puts(o, p[i].seen ? "\n" : "  (not seen)\n");
	}
}
