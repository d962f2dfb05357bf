/*
 * observe_site.h - "manrs observe --site DIR": a static web view of the
 * observatory (docs/observatory.md "The web view").
 */
#ifndef MANRS_OBSERVE_SITE_H
#define MANRS_OBSERVE_SITE_H

#include <stddef.h>

#include <manrs/audit.h>

#include "observe_store.h"

/* Longest trend drawn (months). */
#define SITE_TREND_MAX	STORE_TREND_MAX

/*
 * Write the site into dir (created; files replaced one by one,
 * atomically): index.html (every AS of r[0..n), sortable and
 * filterable), as/AS<asn>.html (the full report of each AS, with its
 * trend from st when st is not NULL), country/<CC>.html and
 * rir/<name>.html.  a: to compute each AS's evidence and fixes.
 * 0, or -1 (reported).
 */
int	site_write(const char *dir, const struct manrs_audit *a,
	    const struct manrs_audit_config *cfg,
	    const struct manrs_audit_inputs *in,
	    struct manrs_audit_report *const *r, size_t n, struct store *st);

/* The trend chart (inline SVG) and table of one AS (oldest first). */
void	site_trend(struct manrs_buf *o, uint32_t asn,
	    const struct store_point *p, size_t n);

#endif /* MANRS_OBSERVE_SITE_H */
