/*
 * rtrd_load.c - build a finished VRP set from VRP files and SLURM.
 */
#include "rtrd_load.h"

struct manrs_vrp_set *
rtrd_load(const struct rtrd_load_opts *o, struct manrs_diag_sink *diag,
    int *err)
{
	struct manrs_vrp_set *s;
	struct manrs_slurm *sl = NULL;
	int i, rc;

	if ((s = manrs_vrp_set_new()) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	for (i = 0; i < o->nfiles; i++)
		if ((rc = manrs_vrp_read(s, o->files[i], &o->read, diag)) != 0)
			goto fail;
	if (o->slurm != NULL) {
		if ((sl = manrs_slurm_read(o->slurm, diag, &rc)) == NULL)
			goto fail;
		rc = manrs_slurm_apply(sl, s);
		manrs_slurm_free(sl);
		if (rc != 0) {
			manrs_diag_report(diag, MANRS_SEV_ERROR, o->slurm, 0,
			    UINT64_MAX, "applying SLURM: %s",
			    manrs_strerror(rc));
			goto fail;
		}
	}
	if ((rc = manrs_vrp_set_finish(s)) != 0) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, o->files[0], 0,
		    UINT64_MAX, "building the set: %s", manrs_strerror(rc));
		goto fail;
	}
	*err = 0;
	return s;
fail:
	manrs_vrp_set_free(s);
	*err = rc;
	return NULL;
}
