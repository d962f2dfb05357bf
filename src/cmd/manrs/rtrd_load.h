/*
 * rtrd_load.h - loading VRP files plus an optional SLURM file into a
 * finished set; shared by "manrs rtrd" and "manrs validate".
 */
#ifndef MANRS_RTRD_LOAD_H
#define MANRS_RTRD_LOAD_H

#include <manrs/manrs.h>

#define RTRD_VRP_FILES_MAX	16

struct rtrd_load_opts {
	const char			*files[RTRD_VRP_FILES_MAX];
	int				 nfiles;
	const char			*slurm;
	struct manrs_vrp_read_opts	 read;
};

/*
 * Read every file, apply SLURM, finish.  NULL on failure (diagnostics
 * went to diag; *err set).
 */
struct manrs_vrp_set *rtrd_load(const struct rtrd_load_opts *o,
	    struct manrs_diag_sink *diag, int *err);

#endif
