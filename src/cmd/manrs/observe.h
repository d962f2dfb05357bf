/*
 * observe.h - the parts of "manrs observe" beside the table itself: the
 * list of ASes to restrict to (--asns) and per-group summaries
 * (--group-by country|rir).
 */
#ifndef MANRS_OBSERVE_H
#define MANRS_OBSERVE_H

#include <stddef.h>
#include <stdint.h>

#include <manrs/audit.h>
#include <manrs/util.h>

/* Most ASNs an --asns file may hold. */
#define OBSERVE_ASNS_MAX	(1u << 22)

/*
 * Read an AS list: one AS per line ("64500" or "AS64500"), blank lines
 * and "#" comments ignored, anything else after the AS on the line (a
 * comma, a name) ignored too.  *out: sorted, without duplicates, owned
 * by the caller.  0, or -1 with the file and line reported.
 */
int	observe_asns_read(const char *path, uint32_t **out, size_t *n);

enum observe_group {
	OBSERVE_GROUP_NONE = 0,
	OBSERVE_GROUP_COUNTRY,
	OBSERVE_GROUP_RIR,
};

/* "country" or "rir"; -1 otherwise. */
int	observe_group_parse(const char *s);
/*
 * Per-group summaries of reports r[0..n) (docs/audit.md "Groups"): CSV
 * with a header, or JSON lines.  0 or MANRS_E_NOMEM.
 */
int	observe_group_print(enum observe_group by,
	    struct manrs_audit_report *const *r, size_t n, bool json,
	    struct manrs_buf *out);
/* A CSV field (RFC 4180: quoted when it holds , " CR or LF). */
void	observe_csv_str(struct manrs_buf *o, const char *s);

#endif /* MANRS_OBSERVE_H */
