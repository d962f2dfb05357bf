/*
 * observe_store.h - the history of the MANRS metrics: each month's
 * metrics per AS in an SQLite file ("manrs observe --store FILE --month
 * YYYY-MM" writes a month, "manrs audit --store FILE" and the web view
 * read the trend).  Schema and migrations: docs/observatory.md.
 */
#ifndef MANRS_OBSERVE_STORE_H
#define MANRS_OBSERVE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/audit.h>

/* The schema version this program writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION	1
/* Incident metrics are normalised to this period (30 days). */
#define STORE_NORM_SECONDS	(30 * 86400)
/* Periods shorter than a day count as a day (weights count days). */
#define STORE_MIN_SECONDS	86400
/* Months kept per AS in a trend. */
#define STORE_TREND_MAX		120

struct store;

/*
 * Open (create when absent) and migrate to STORE_SCHEMA_VERSION.  A store
 * written by a newer schema is refused.  0, or -1 (reported).
 */
int	store_open(const char *path, bool create, struct store **out);
void	store_close(struct store *s);

/* "YYYY-MM" (1970-01 .. 9999-12)? */
bool	store_month_valid(const char *month);

/*
 * Replace month's rows with the reports r[0..n) in one transaction.
 * inputs: the inputs JSON members (may be NULL).  0 or -1 (reported).
 */
int	store_put_month(struct store *s, const char *month,
	    const struct manrs_audit_config *cfg, const char *inputs,
	    struct manrs_audit_report *const *r, size_t n);

/*
 * Normalised (per 30 days) value and score of metric m of r; false when
 * the metric has no value.  Only the incident metrics M1 .. M4C scale
 * with the period; the others are returned as they are.
 */
bool	store_norm_metric(const struct manrs_audit_report *r,
	    const struct manrs_audit_config *cfg, int m, double *rate,
	    double *score);
/* The same for an action (Filtering: the lowest normalised score). */
bool	store_norm_action(const struct manrs_audit_report *r,
	    const struct manrs_audit_config *cfg, int act, double *score);

/* One month of one AS. */
struct store_point {
	char		month[8];
	bool		seen;
	bool		has[MANRS_ACTION_COUNT + 1];
	double		score[MANRS_ACTION_COUNT + 1]; /* normalised */
	char		readiness[MANRS_ACTION_COUNT + 1][12];
	bool		mhas[MANRS_METRIC_COUNT];
	double		mscore[MANRS_METRIC_COUNT]; /* normalised */
};

/*
 * The months stored for asn, oldest first (at most STORE_TREND_MAX, the
 * newest).  *out owned by the caller (free).  0 or -1 (reported).
 */
int	store_trend(struct store *s, uint32_t asn, struct store_point **out,
	    size_t *n);

/* The trend as JSON ("history":[...]) and as text lines. */
void	store_trend_json(const struct store_point *p, size_t n,
	    struct manrs_buf *out);
void	store_trend_text(const struct store_point *p, size_t n,
	    struct manrs_buf *out);

#endif /* MANRS_OBSERVE_STORE_H */
