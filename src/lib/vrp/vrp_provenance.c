/*
 * vrp_provenance.c - what one VRP file read into a set stands on: its
 * records in force and expired at the judging time, and its build time
 * (rpki-client "metadata.buildtime", Routinator/StayRTR "generated"), or
 * for a file that carries none (CSV) its mtime, saying which.
 *
 * The read statistics are cumulative over the reads into one set, so a
 * file's share is the difference between a copy taken before its read
 * and the statistics after it.
 */
#include <manrs/vrp.h>

void
manrs_vrp_provenance(const struct manrs_vrp_stats *before,
    const struct manrs_vrp_stats *after, time_t judged_at,
    struct manrs_provenance *p)
{
	static const struct manrs_vrp_stats zero;

	if (before == NULL)
		before = &zero;
	/*
	 * JSON metadata sets buildtime on each read (CSV leaves it): a CSV
	 * file read after a JSON one with a build time is not told apart.
	 */
	if (after->buildtime > 0)
		manrs_provenance_set_time(p, after->buildtime,
		    MANRS_PROV_TIME_CONTENT, "buildtime");
	else
		(void)manrs_provenance_use_mtime(p);
	p->has_expiry = true;
	p->expired = after->vrps_expired - before->vrps_expired;
	p->in_force = after->vrps_read - before->vrps_read - p->expired;
	p->records = p->in_force;
	p->judged_at = (int64_t)judged_at;
}
