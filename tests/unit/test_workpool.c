/*
 * test_workpool.c - the worker pool of the daemons (src/cmd/manrs/
 * workpool.c): every job runs once and its completion is delivered on
 * the loop thread; a lane runs its jobs in order, urgent ones first; a
 * job stuck in one lane does not hold up another lane; freeing the pool
 * completes the jobs that never ran with ran == false.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "testutil.h"
#include "workpool.h"

struct rec {
	pthread_t	 loop;		/* the loop thread */
	int		 order[64];
	int		 norder;
	int		 done, ran_false, wrong_thread;
	int		 want;
	struct event_base *base;
	pthread_mutex_t	 mu;
	volatile int	 gate;		/* blocks "stuck" jobs while 0 */
	volatile int	 stuck;		/* stuck jobs started */
};

struct job {
	struct rec	*r;
	int		 id;
	bool		 stuck;
};

static void
job_fn(void *arg)
{
	struct job *j = arg;

	if (j->stuck)
		__atomic_add_fetch(&j->r->stuck, 1, __ATOMIC_RELEASE);
	while (j->stuck && !__atomic_load_n(&j->r->gate, __ATOMIC_ACQUIRE))
		usleep(1000);
	pthread_mutex_lock(&j->r->mu);
	j->r->order[j->r->norder++] = j->id;
	pthread_mutex_unlock(&j->r->mu);
}

static void
job_done(void *arg, bool ran)
{
	struct job *j = arg;
	struct rec *r = j->r;

	if (!pthread_equal(pthread_self(), r->loop))
		r->wrong_thread++;
	if (!ran)
		r->ran_false++;
	if (++r->done == r->want)
		event_base_loopbreak(r->base);
	free(j);
}

static struct job *
mk(struct rec *r, int id, bool stuck)
{
	struct job *j = calloc(1, sizeof(*j));

	assert_non_null(j);
	j->r = r;
	j->id = id;
	j->stuck = stuck;
	return j;
}

static void
rec_init(struct rec *r, struct event_base *base, int want)
{
	memset(r, 0, sizeof(*r));
	r->loop = pthread_self();
	r->base = base;
	r->want = want;
	pthread_mutex_init(&r->mu, NULL);
}

static void
run_loop(struct event_base *base)
{
	struct timeval tv = { 10, 0 };	/* bounded */

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static void
test_order(void **state)
{
	struct workpool_lane_conf conf[WORKPOOL_LANES] = { { 1, 0 }, { 0, 0 } };
	struct event_base *base = event_base_new();
	struct workpool *wp;
	struct rec r;
	int err, i;

	(void)state;
	rec_init(&r, base, 6);
	wp = workpool_new(base, conf, &err);
	assert_non_null(wp);
	/* Job 0 holds the only thread while the others queue up. */
	assert_int_equal(workpool_submit(wp, 0, false, job_fn, job_done,
	    mk(&r, 0, true)), 0);
	for (i = 0; i < 5000 && !__atomic_load_n(&r.stuck, __ATOMIC_ACQUIRE);
	    i++)
		usleep(1000);
	for (i = 1; i <= 3; i++)
		assert_int_equal(workpool_submit(wp, 0, false, job_fn,
		    job_done, mk(&r, i, false)), 0);
	assert_int_equal(workpool_submit(wp, 0, true, job_fn, job_done,
	    mk(&r, 10, false)), 0);
	assert_int_equal(workpool_submit(wp, 0, true, job_fn, job_done,
	    mk(&r, 11, false)), 0);
	/* A lane without threads refuses. */
	assert_int_equal(workpool_submit(wp, 1, false, job_fn, job_done,
	    &r), -1);
	assert_int_equal(workpool_backlog(wp, 0), 6);
	__atomic_store_n(&r.gate, 1, __ATOMIC_RELEASE);
	run_loop(base);
	assert_int_equal(r.done, 6);
	assert_int_equal(r.wrong_thread, 0);
	assert_int_equal(r.ran_false, 0);
	assert_int_equal(r.norder, 6);
	assert_int_equal(r.order[0], 0);
	assert_int_equal(r.order[1], 10);	/* urgent first, in order */
	assert_int_equal(r.order[2], 11);
	assert_int_equal(r.order[3], 1);
	assert_int_equal(r.order[4], 2);
	assert_int_equal(r.order[5], 3);
	assert_int_equal(workpool_backlog(wp, 0), 0);
	workpool_free(wp);
	event_base_free(base);
}

static void
test_lanes(void **state)
{
	struct workpool_lane_conf conf[WORKPOOL_LANES] = { { 1, 5 }, { 2, 0 } };
	struct event_base *base = event_base_new();
	struct workpool *wp;
	struct rec r;
	int err, i;

	(void)state;
	rec_init(&r, base, 20);
	wp = workpool_new(base, conf, &err);
	assert_non_null(wp);
	/* Lane 0 is stuck; lane 1's 20 jobs all complete meanwhile. */
	assert_int_equal(workpool_submit(wp, 0, false, job_fn, job_done,
	    mk(&r, 99, true)), 0);
	assert_int_equal(workpool_submit(wp, 0, false, job_fn, job_done,
	    mk(&r, 98, false)), 0);
	for (i = 0; i < 5000 && !__atomic_load_n(&r.stuck, __ATOMIC_ACQUIRE);
	    i++)
		usleep(1000);
	for (i = 0; i < 20; i++)
		assert_int_equal(workpool_submit(wp, 1, false, job_fn,
		    job_done, mk(&r, i, false)), 0);
	run_loop(base);
	assert_int_equal(r.done, 20);
	assert_int_equal(r.wrong_thread, 0);
	assert_int_equal(workpool_backlog(wp, 0), 2);
	/*
	 * Free while the stuck job runs: it finishes (ran), the one queued
	 * behind it never starts (ran == false); both are completed.
	 */
	r.want = 0;
	__atomic_store_n(&r.gate, 1, __ATOMIC_RELEASE);
	workpool_free(wp);
	assert_int_equal(r.done, 22);
	assert_true(r.ran_false <= 1);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_lanes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
