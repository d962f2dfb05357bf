/*
 * rtrd_load.h - loading VRP files plus an optional SLURM file into a
 * finished set; shared by "manrs rtrd" and the commands that judge
 * routes.  For rtrd also: refusing an empty or all-expired set,
 * withdrawing what expires while it is served, and the data-age metrics.
 */
#ifndef MANRS_RTRD_LOAD_H
#define MANRS_RTRD_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <manrs/manrs.h>

#define RTRD_VRP_FILES_MAX	16

struct rtrd_load_opts {
	const char			*files[RTRD_VRP_FILES_MAX];
	int				 nfiles;
	/*
	 * A file fetched into memory (rtrd --vrps URL, fetch_source.h):
	 * read from mem[i] instead, files[i] naming it in diagnostics.
	 */
	const struct manrs_buf		*mem[RTRD_VRP_FILES_MAX];
	const char			*slurm;
	struct manrs_vrp_read_opts	 read;
	/*
	 * Refuse a set with nothing in force (no VRP, ASPA or router key:
	 * the files were empty or every entry expired): rtrd without
	 * --allow-empty.  The load then fails with MANRS_E_NOTFOUND.
	 */
	bool				 refuse_empty;
	/*
	 * files[0] is a snapshot ("manrs db build --vrps", --db): its VRP
	 * set is mapped in place (a new mapping per load), what expired
	 * since it was built is withdrawn at read.now, read.max_age judges
	 * its build time; nfiles is 1 and slurm NULL (applied at build).
	 */
	bool				 db;
};

/*
 * Read every file, apply SLURM, finish.  NULL on failure (diagnostics
 * went to diag; *err set).
 */
struct manrs_vrp_set *rtrd_load(const struct rtrd_load_opts *o,
	    struct manrs_diag_sink *diag, int *err);

/*
 * Withdraw from the set cache serves what expired at now (a VRP past its
 * "expires" is never served, also when the reload that should have
 * dropped it fails or does not run).  1 when a smaller set was installed
 * (new serial and delta: send Serial Notify), with *withdrawn (may be
 * NULL) the entries removed; 0 when nothing was due; or a negative
 * error (the served set stays).
 */
int	rtrd_expire(struct manrs_rtr_cache *cache, time_t now,
	    uint64_t *withdrawn);

/*
 * rtrd's data metrics in Prometheus text for the set served (may be
 * NULL): build time and age (when the input carries a build time),
 * entries expired (at load and withdrawn since), the next expiry, and
 * withdrawn_total (entries rtrd_expire() removed since start).
 */
void	rtrd_metrics(const struct manrs_vrp_set *s, time_t now,
	    uint64_t withdrawn_total, struct manrs_buf *out);

#endif
