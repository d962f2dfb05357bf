/*
 * workpool.h - a small thread pool whose completions are delivered back
 * to a libevent loop.
 *
 * workpool_submit(wp, lane, fn, done, arg) runs fn(arg) on a thread of
 * that lane, then done(arg) on the event loop thread.  Lanes are
 * separate queues with their own threads, so work in one lane never
 * waits behind work in another (irrd: set expansions in the heavy lane,
 * everything else in the light lane).  A lane may run its threads at a
 * lower CPU priority (nice).  Jobs in a lane start in submission order,
 * urgent ones first.
 */
#ifndef MANRS_WORKPOOL_H
#define MANRS_WORKPOOL_H

#include <stdbool.h>

struct event_base;
struct workpool;

#define WORKPOOL_LANES	2

struct workpool_lane_conf {
	unsigned	threads;	/* 0: this lane is not used */
	int		nice;		/* added to the threads' priority */
};

typedef void (*workpool_fn)(void *arg);
/* ran: false when the pool was freed before fn could run. */
typedef void (*workpool_done)(void *arg, bool ran);

/* NULL with *err (errno value) on failure. */
struct workpool *workpool_new(struct event_base *base,
	    const struct workpool_lane_conf conf[WORKPOOL_LANES], int *err);
/*
 * 0, or -1 when the lane has no threads or memory is short.  An urgent
 * job starts before the lane's other queued jobs (still after urgent
 * ones queued earlier).
 */
int	workpool_submit(struct workpool *wp, unsigned lane, bool urgent,
	    workpool_fn fn, workpool_done done, void *arg);
/* Jobs queued or running in a lane. */
unsigned workpool_backlog(struct workpool *wp, unsigned lane);
/*
 * Stop: running jobs are waited for; every job not yet delivered gets
 * done(arg, ran) here, on the caller's thread.
 */
void	workpool_free(struct workpool *wp);

#endif /* MANRS_WORKPOOL_H */
