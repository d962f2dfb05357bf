/*
 * audit_jobs.c - streaming the MRT files of an audit on several threads.
 *
 * Every job reads every file itself and classifies the routes of its
 * shard of the prefixes (a hash of the prefix picks the job); the routes
 * of other shards come filtered (manrs_mrt_routes_filter: their
 * attributes are not even decoded) and are only counted, with their
 * peers and times, so that peer numbers, route ordinals, the period and
 * the gaps are the same in every job.  A route's faults, events and pair
 * depend only on the routes of its prefix, which one job sees whole and
 * in stream order.  At the end each job closes what is still open, and
 * the jobs are merged into the first context:
 * - pairs ranked in the order of their first route, which is the order
 *   one run interns them in (so every report lists them alike);
 * - incidents as partials merge them (union of overlapping spans; the
 *   sample chosen by audit.c's order-independent rule);
 * - the ASes seen, and the counters of routes, withdrawals, events.
 * Diagnostics are collected per job with the route ordinal they came at
 * and reported in stream order, each once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/audit.h>
#include <manrs/bgp.h>
#include <manrs/bogon.h>
#include <manrs/mrt.h>

#include "audit_int.h"

#define JOBS_MAX	64
#define JOB_DIAGS_MAX	4096	/* kept per job; more are only counted */

struct jdiag {
	uint64_t		 ord;
	uint64_t		 seq;	/* within the job */
	unsigned		 job;
	struct manrs_diag	 d;
	char			*file;
};

struct job {
	struct manrs_audit	*a;
	unsigned		 shard;
	unsigned		 n;
	const char *const	*paths;
	const bool		*rib;
	size_t			 npaths;
	size_t			 done;		/* files streamed */
	struct manrs_diag_sink	 sink;
	struct jdiag		*diags;
	size_t			 ndiags, capdiags;
	uint64_t		 dropped[3];	/* by severity, past the cap */
	int			 rc;
	pthread_t		 tid;
};

/* The job of a prefix: its bytes mixed (splitmix64), then scaled. */
static unsigned
shard_of(const struct manrs_prefix *p, unsigned n)
{
	uint64_t lo, hi, h;

	memcpy(&lo, p->addr, 8);
	memcpy(&hi, p->addr + 8, 8);
	h = lo ^ (hi * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)p->af << 56 |
	    (uint64_t)p->len << 48);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (unsigned)(((h >> 32) * n) >> 32);
}

static bool
keep_shard(void *arg, const struct manrs_bgp_nlri *nl)
{
	const struct job *j = arg;
	struct manrs_prefix p;

	manrs_bgp_nlri_prefix(nl, &p);
	return shard_of(&p, j->n) == j->shard;
}

/* A job's sink: keep the diagnostic with the ordinal it came at. */
static void
collect(void *arg, const struct manrs_diag *d)
{
	struct job *j = arg;
	struct jdiag *x;

	if (j->ndiags == JOB_DIAGS_MAX || manrs_grow((void **)&j->diags,
	    &j->capdiags, j->ndiags, sizeof(*j->diags)) != 0) {
		j->dropped[d->severity == MANRS_SEV_ERROR ? 2 :
		    d->severity == MANRS_SEV_WARNING ? 1 : 0]++;
		return;
	}
	x = &j->diags[j->ndiags];
	x->d = *d;
	x->file = d->file != NULL ? strdup(d->file) : NULL;
	if (d->file != NULL && x->file == NULL) {
		j->dropped[0]++;
		return;
	}
	x->d.file = NULL;
	x->ord = j->a->ord;
	x->seq = j->ndiags;
	x->job = j->shard;
	j->ndiags++;
}

static void *
job_run(void *arg)
{
	struct job *j = arg;
	size_t i;

	for (i = 0; i < j->npaths && j->rc == 0; i++) {
		j->rc = audit_stream_mrt(j->a, j->paths[i], &j->sink,
		    keep_shard, j);
		j->done = i + 1;
		if (j->rib != NULL && j->rib[i])
			manrs_audit_mark_rib(j->a);
	}
	if (j->rc == 0)
		j->rc = audit_close_stream(j->a);
	return NULL;
}

static int
jdiag_cmp(const void *x, const void *y)
{
	const struct jdiag *l = x, *r = y;

	if (l->ord != r->ord)
		return l->ord < r->ord ? -1 : 1;
	if (l->job != r->job)
		return l->job < r->job ? -1 : 1;
	return l->seq < r->seq ? -1 : l->seq > r->seq;
}

static bool
jdiag_same(const struct jdiag *l, const struct jdiag *r)
{
	return l->ord == r->ord && l->d.offset == r->d.offset &&
	    l->d.line == r->d.line && l->d.severity == r->d.severity &&
	    (l->file == NULL) == (r->file == NULL) &&
	    (l->file == NULL || strcmp(l->file, r->file) == 0) &&
	    strcmp(l->d.msg, r->d.msg) == 0;
}

/*
 * Every job's diagnostics, in stream order: what every job reports
 * (record problems) once, what only the job of a prefix reports (its
 * attributes) where it came.  At one ordinal (before the route of that
 * number), the problems of records come first and the attributes of the
 * route last, so job order within the ordinal is stream order.
 */
static void
report_diags(struct job *jobs, unsigned n, struct manrs_diag_sink *sink)
{
	struct jdiag *all;
	size_t total = 0, k = 0, i, g;
	uint64_t more[3] = { 0, 0, 0 };
	unsigned w, s;

	for (w = 0; w < n; w++) {
		total += jobs[w].ndiags;
		for (s = 0; s < 3; s++)
			if (jobs[w].dropped[s] > more[s])
				more[s] = jobs[w].dropped[s];
	}
	if ((all = reallocarray(NULL, total + 1, sizeof(*all))) == NULL)
		return;
	for (w = 0; w < n; w++) {
		if (jobs[w].ndiags > 0)
			memcpy(all + k, jobs[w].diags,
			    jobs[w].ndiags * sizeof(*all));
		k += jobs[w].ndiags;
	}
	qsort(all, total, sizeof(*all), jdiag_cmp);
	for (i = 0, g = 0; i < total; i++) {
		size_t x;
		bool dup = false;

		/* g: the first of the group of equal ordinal */
		if (all[i].ord != all[g].ord)
			g = i;
		for (x = g; x < i && !dup; x++)
			dup = jdiag_same(&all[x], &all[i]);
		if (dup)
			continue;
		manrs_diag_report(sink, all[i].d.severity, all[i].file,
		    all[i].d.line, all[i].d.offset, "%s", all[i].d.msg);
	}
	if (sink != NULL) {
		sink->warnings += more[1];
		sink->errors += more[2];
	}
	free(all);
}

/*
 * Pairs of every job, one after another (the first job's array grown in
 * place), with the rank of each in the order of the first routes: the
 * order one run would have interned them in, which finish gives the
 * pairs of an AS in (pair_rank).
 */
static int
merge_pairs(struct manrs_audit *a, struct job *jobs, unsigned n)
{
	size_t total = 0, pos[JOBS_MAX], base[JOBS_MAX], k;
	struct pair *v;
	uint32_t *rank;
	unsigned w, best;

	for (w = 0; w < n; w++) {
		base[w] = total;
		total += jobs[w].a->npairs;
		pos[w] = 0;
	}
	if (total > UINT32_MAX ||
	    (rank = reallocarray(NULL, total + 1, sizeof(*rank))) == NULL)
		return MANRS_E_NOMEM;
	for (k = 0; k < total; k++) {
		best = n;
		for (w = 0; w < n; w++) {
			const struct manrs_audit *b = jobs[w].a;

			if (pos[w] < b->npairs && (best == n ||
			    b->pair_seq[pos[w]] <
			    jobs[best].a->pair_seq[pos[best]]))
				best = w;
		}
		rank[base[best] + pos[best]++] = (uint32_t)k;
	}
	if ((v = reallocarray(a->pairs, total + 1, sizeof(*v))) == NULL) {
		free(rank);
		return MANRS_E_NOMEM;
	}
	for (w = 1; w < n; w++)
		if (jobs[w].a->npairs > 0)
			memcpy(v + base[w], jobs[w].a->pairs,
			    jobs[w].a->npairs * sizeof(*v));
	a->pairs = v;
	a->npairs = total;
	a->cappairs = total + 1;
	a->pair_rank = rank;
	free(a->pair_seq);
	a->pair_seq = NULL;
	a->cappseq = 0;
	/* The index held the first job's pairs only: no pair is added now. */
	htab_clear(&a->pair_idx);
	a->lpair_idx = -1;
	return 0;
}

/* Job b's incidents, ASes seen and counters into a. */
static int
merge_job(struct manrs_audit *a, struct manrs_audit *b)
{
	size_t i, j;

	for (i = 0; i < b->nincs; i++) {
		uint64_t key = *(const uint64_t *)htab_key(&b->inc_idx, i);

		for (j = 0; j < b->incs[i].n; j++)
			if (audit_merge_incident(a, key, &b->incs[i].v[j]) != 0)
				return MANRS_E_NOMEM;
	}
	for (i = 0; i < 65536; i++) {
		if (b->seen[i] == NULL)
			continue;
		if (a->seen[i] == NULL) {
			a->seen[i] = b->seen[i];
			b->seen[i] = NULL;
			continue;
		}
		for (j = 0; j < 65536 / 64; j++)
			a->seen[i][j] |= b->seen[i][j];
	}
	a->st.routes += b->st.routes;
	a->st.withdrawals += b->st.withdrawals;
	a->st.events += b->st.events;
	a->st.skipped += b->st.skipped;
	a->bogus_time += b->bogus_time;
	return 0;
}

static void
count_seen(struct manrs_audit *a)
{
	size_t i, j;

	a->nseen = 0;
	for (i = 0; i < 65536; i++)
		for (j = 0; a->seen[i] != NULL && j < 65536 / 64; j++)
			a->nseen += (size_t)__builtin_popcountll(a->seen[i][j]);
}

/* A context for job w, borrowing a's reference data. */
static struct manrs_audit *
job_context(const struct manrs_audit *a, int *err)
{
	struct manrs_audit *b;

	if ((b = manrs_audit_new(&a->cfg, err)) == NULL)
		return NULL;
	b->vrps = a->vrps;
	b->vrps_empty = a->vrps_empty;
	b->irr = a->irr;
	b->asrel = a->asrel;
	b->pdb = a->pdb;
	b->spoof = a->spoof;
	b->deleg = a->deleg;
	b->deleg_time = a->deleg_time;
	b->irr_routes = a->irr_routes;
	b->irr_autnums = a->irr_autnums;
	b->irr_contacts = a->irr_contacts;
	return b;
}

int
manrs_audit_add_mrt_jobs(struct manrs_audit *a, const char *const *paths,
    const bool *rib, size_t npaths, unsigned njobs,
    struct manrs_diag_sink *sink)
{
	struct job jobs[JOBS_MAX];
	unsigned w, started = 0;
	size_t i;
	int rc = 0, err;

	if (a->finished || a->closed || a->partial || a->nfiles > 0 ||
	    a->st.routes > 0 || a->npairs > 0)
		return MANRS_E_INVAL;
	if (njobs > JOBS_MAX)
		njobs = JOBS_MAX;
	if (njobs <= 1) {
		for (i = 0; i < npaths; i++) {
			if ((rc = manrs_audit_add_mrt(a, paths[i], sink)) != 0)
				return rc;
			if (rib != NULL && rib[i])
				manrs_audit_mark_rib(a);
		}
		return 0;
	}
	/*
	 * The bogon tables are built once (pthread_once) by their first
	 * user; build them here, before the threads, so that no race
	 * detector has to know that pthread_once orders them.
	 */
	{
		struct manrs_prefix p;
		struct manrs_bogon_match m;

		memset(&p, 0, sizeof(p));
		p.af = MANRS_AF_INET;
		manrs_bogon_prefix_check(&p, &m);
	}
	memset(jobs, 0, sizeof(jobs));
	for (w = 0; w < njobs; w++) {
		struct job *j = &jobs[w];

		j->a = w == 0 ? a : job_context(a, &err);
		if (j->a == NULL) {
			rc = err;
			break;
		}
		j->a->shard = w;
		j->a->nshards = njobs;
		j->shard = w;
		j->n = njobs;
		j->paths = paths;
		j->rib = rib;
		j->npaths = npaths;
		j->sink.fn = collect;
		j->sink.arg = j;
	}
	/*
	 * Every job on a thread of its own, the first too: on the main
	 * thread, glibc's main arena (which holds the reference data) made
	 * the same work ~20 % slower than on a thread's arena.
	 */
	for (w = 0; w < njobs && rc == 0; w++) {
		if (pthread_create(&jobs[w].tid, NULL, job_run, &jobs[w]) != 0)
			rc = MANRS_E_NOMEM;
		else
			started = w + 1;
	}
	for (w = 0; w < started; w++)
		(void)pthread_join(jobs[w].tid, NULL);
	report_diags(jobs, njobs, sink);
	/* The first failure in stream order, as one run would stop there. */
	if (rc == 0) {
		size_t first = SIZE_MAX;

		for (w = 0; w < njobs; w++)
			if (jobs[w].rc != 0 && jobs[w].done < first) {
				first = jobs[w].done;
				rc = jobs[w].rc;
			}
	}
	if (rc == 0)
		rc = merge_pairs(a, jobs, njobs);
	for (w = 1; w < njobs && rc == 0; w++)
		rc = merge_job(a, jobs[w].a);
	if (rc == 0)
		count_seen(a);
	for (w = 0; w < njobs; w++) {
		for (i = 0; i < jobs[w].ndiags; i++)
			free(jobs[w].diags[i].file);
		free(jobs[w].diags);
		if (w > 0)
			manrs_audit_free(jobs[w].a);
	}
	a->nshards = 0;
	if (rc != 0)
		a->err = rc;
	return rc;
}
