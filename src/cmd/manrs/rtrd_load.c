/*
 * rtrd_load.c - build a finished VRP set from VRP files and SLURM; for
 * rtrd, refuse a set with nothing in force, withdraw entries as they
 * expire (DESIGN.md: "stale RPKI data (past its expiry) is withdrawn,
 * not served forever") and describe the data's age for /metrics.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <manrs/db.h>

#include "rtrd_load.h"

static size_t
set_entries(const struct manrs_vrp_set *s)
{
	return manrs_vrp_count(s, 0) + manrs_vrp_aspa_count(s) +
	    manrs_vrp_rkey_count(s);
}

/* Nothing in force: say why, and how to serve it anyway. */
static int
refuse_empty(const struct rtrd_load_opts *o, const struct manrs_vrp_set *s,
    struct manrs_diag_sink *diag)
{
	const struct manrs_vrp_stats *st = manrs_vrp_set_stats(s);
	char bt[32] = "unknown";
	time_t t = (time_t)st->buildtime;
	struct tm tm;

	if (st->buildtime != 0 && gmtime_r(&t, &tm) != NULL)
		strftime(bt, sizeof(bt), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (st->vrps_read + st->aspas_read + st->rkeys_read == 0)
		manrs_diag_report(diag, MANRS_SEV_ERROR, o->files[0], 0,
		    UINT64_MAX, "no VRP, ASPA or router key in the input; "
		    "refusing to serve an empty set (--allow-empty serves "
		    "it)");
	else
		manrs_diag_report(diag, MANRS_SEV_ERROR, o->files[0], 0,
		    UINT64_MAX, "every entry expired: %" PRIu64 " of %"
		    PRIu64 " VRPs (build time %s); refusing to serve an "
		    "empty set (--allow-empty serves it; --now judges at "
		    "another time)", st->vrps_expired, st->vrps_read, bt);
	return MANRS_E_NOTFOUND;
}

/* A body in memory: JSON or CSV by its first byte, decompressed. */
static int
read_mem(struct manrs_vrp_set *s, const struct manrs_buf *b,
    const char *name, const struct manrs_vrp_read_opts *ro,
    struct manrs_diag_sink *diag)
{
	struct manrs_vrp_read_opts o = *ro;
	struct manrs_input *in;
	char buf[512];
	ptrdiff_t n, i;
	int err;

	if (o.format == MANRS_VRP_FMT_AUTO &&
	    (in = manrs_input_mem(b->p, b->len, name, &err)) != NULL) {
		n = manrs_input_read(in, buf, sizeof(buf));
		manrs_input_close(in);
		o.format = MANRS_VRP_FMT_JSON;
		for (i = 0; i < n; i++)
			if (buf[i] != ' ' && buf[i] != '\t' &&
			    buf[i] != '\r' && buf[i] != '\n') {
				if (buf[i] != '{' && buf[i] != '[')
					o.format = MANRS_VRP_FMT_CSV;
				break;
			}
	}
	return manrs_vrp_read_mem(s, b->p, b->len, name, &o, diag);
}

/*
 * --db: the snapshot's VRP set, mapped anew; the same staleness rules as
 * for the files (--max-age on its build time, expired entries withdrawn
 * in a heap copy at the judging time, nothing in force refused).
 */
static struct manrs_vrp_set *
load_db(const struct rtrd_load_opts *o, struct manrs_diag_sink *diag,
    int *err)
{
	const char *path = o->files[0];
	const struct manrs_vrp_stats *st;
	struct manrs_vrp_set *s, *n;
	struct manrs_db *db;
	char why[512];
	int64_t now = o->read.now != 0 ? (int64_t)o->read.now :
	    (int64_t)time(NULL);
	int rc;

	if ((db = manrs_db_open(path, why, sizeof(why), &rc)) == NULL) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "%s", why);
		*err = rc;
		return NULL;
	}
	if ((s = manrs_db_take_vrps(db)) == NULL) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "no VRPs in the snapshot (manrs db build --vrps)");
		*err = MANRS_E_NOTFOUND;
		return NULL;
	}
	st = manrs_vrp_set_stats(s);
	if (o->read.max_age != 0 && st->buildtime != 0 &&
	    st->buildtime < now - (int64_t)o->read.max_age) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "stale: VRPs built %lld s ago, limit %llu s",
		    (long long)(now - st->buildtime),
		    (unsigned long long)o->read.max_age);
		rc = MANRS_E_RANGE;
		goto fail;
	}
	if (st->next_expiry != 0 && st->next_expiry <= now) {
		if ((n = manrs_vrp_set_expire(s, (time_t)now, &rc)) == NULL) {
			manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0,
			    UINT64_MAX, "withdrawing expired entries: %s",
			    manrs_strerror(rc));
			goto fail;
		}
		manrs_vrp_set_free(s);
		s = n;
	}
	if (o->refuse_empty && set_entries(s) == 0) {
		rc = refuse_empty(o, s, diag);
		goto fail;
	}
	*err = 0;
	return s;
fail:
	manrs_vrp_set_free(s);
	*err = rc;
	return NULL;
}

struct manrs_vrp_set *
rtrd_load(const struct rtrd_load_opts *o, struct manrs_diag_sink *diag,
    int *err)
{
	struct manrs_vrp_set *s;
	struct manrs_slurm *sl = NULL;
	int i, rc;

	if (o->db)
		return load_db(o, diag, err);
	if ((s = manrs_vrp_set_new(NULL)) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	for (i = 0; i < o->nfiles; i++)
		if ((rc = o->mem[i] != NULL ?
		    read_mem(s, o->mem[i], o->files[i], &o->read, diag) :
		    manrs_vrp_read(s, o->files[i], &o->read, diag)) != 0)
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
	if (o->refuse_empty && set_entries(s) == 0) {
		rc = refuse_empty(o, s, diag);
		goto fail;
	}
	*err = 0;
	return s;
fail:
	manrs_vrp_set_free(s);
	*err = rc;
	return NULL;
}

int
rtrd_expire(struct manrs_rtr_cache *cache, time_t now, uint64_t *withdrawn)
{
	const struct manrs_vrp_set *cur = manrs_rtr_cache_set(cache);
	struct manrs_vrp_set *n;
	size_t before;
	bool changed = false;
	int err;

	if (withdrawn != NULL)
		*withdrawn = 0;
	if (cur == NULL || manrs_vrp_set_stats(cur)->next_expiry == 0 ||
	    manrs_vrp_set_stats(cur)->next_expiry > (int64_t)now)
		return 0;
	before = set_entries(cur);
	if ((n = manrs_vrp_set_expire(cur, now, &err)) == NULL)
		return err;
	if (withdrawn != NULL)
		*withdrawn = before - set_entries(n);
	/* the cache owns n from here, also on failure */
	if ((err = manrs_rtr_cache_update(cache, n, &changed)) != 0)
		return err;
	return changed ? 1 : 0;
}

void
rtrd_metrics(const struct manrs_vrp_set *s, time_t now,
    uint64_t withdrawn_total, struct manrs_buf *out)
{
	const struct manrs_vrp_stats *st;

	manrs_buf_printf(out,
	    "# HELP manrs_rtr_expired_withdrawn_total Entries withdrawn "
	    "from the served set as they expired.\n"
	    "# TYPE manrs_rtr_expired_withdrawn_total counter\n"
	    "manrs_rtr_expired_withdrawn_total %" PRIu64 "\n",
	    withdrawn_total);
	if (s == NULL)
		return;
	st = manrs_vrp_set_stats(s);
	manrs_buf_printf(out,
	    "# HELP manrs_rtr_expired Entries of the input expired at the "
	    "judging time (dropped at load or withdrawn since).\n"
	    "# TYPE manrs_rtr_expired gauge\n"
	    "manrs_rtr_expired{kind=\"vrp\"} %" PRIu64 "\n"
	    "manrs_rtr_expired{kind=\"aspa\"} %" PRIu64 "\n"
	    "manrs_rtr_expired{kind=\"router_key\"} %" PRIu64 "\n"
	    "# HELP manrs_rtr_next_expiry_timestamp_seconds When the next "
	    "served entry expires (0: none carries a time).\n"
	    "# TYPE manrs_rtr_next_expiry_timestamp_seconds gauge\n"
	    "manrs_rtr_next_expiry_timestamp_seconds %" PRId64 "\n",
	    st->vrps_expired, st->aspas_expired, st->rkeys_expired,
	    st->next_expiry);
	if (st->buildtime == 0)
		return;
	manrs_buf_printf(out,
	    "# HELP manrs_rtr_data_buildtime_seconds Build time of the "
	    "served data (input metadata).\n"
	    "# TYPE manrs_rtr_data_buildtime_seconds gauge\n"
	    "manrs_rtr_data_buildtime_seconds %" PRId64 "\n"
	    "# HELP manrs_rtr_data_age_seconds Age of the served data "
	    "(judging time minus build time).\n"
	    "# TYPE manrs_rtr_data_age_seconds gauge\n"
	    "manrs_rtr_data_age_seconds %" PRId64 "\n",
	    st->buildtime, (int64_t)now - st->buildtime);
}
