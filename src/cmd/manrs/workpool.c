/*
 * workpool.c - lanes of worker threads with completions delivered to a
 * libevent loop (see workpool.h).
 *
 * Each lane has a FIFO of jobs and its threads.  A finished job moves to
 * the done list and one byte on a pipe wakes the loop, which runs the
 * done callbacks.  Threads of a lane with a nice value lower their own
 * priority (Linux: per-thread setpriority), so that heavy work yields
 * the CPU to the loop and the light lane; where a sandbox refuses the
 * call they keep the normal priority.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/resource.h>
#include <sys/syscall.h>

#include <event2/event.h>

#include "workpool.h"

struct job {
	struct job	*next;
	workpool_fn	 fn;
	workpool_done	 done;
	void		*arg;
};

struct lane {
	struct workpool	*wp;
	struct job	*head, *tail;
	struct job	*uhead, *utail;	/* urgent: taken first */
	unsigned	 backlog;	/* queued + running */
	pthread_t	*thr;
	unsigned	 nthr;
	int		 nice;
	pthread_cond_t	 cv;
};

struct workpool {
	pthread_mutex_t	 mu;
	struct lane	 lanes[WORKPOOL_LANES];
	struct job	*done_head, *done_tail;
	bool		 stop;
	unsigned	 ready;		/* threads past their setup */
	pthread_cond_t	 ready_cv;
	int		 pipe[2];
	struct event	*ev;
};

static void *
lane_main(void *arg)
{
	struct lane *l = arg;
	struct workpool *wp = l->wp;
	struct job *j;
	char b = 1;

	if (l->nice != 0)
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), l->nice);
	pthread_mutex_lock(&wp->mu);
	wp->ready++;
	pthread_cond_broadcast(&wp->ready_cv);
	for (;;) {
		while (l->head == NULL && l->uhead == NULL && !wp->stop)
			pthread_cond_wait(&l->cv, &wp->mu);
		if (wp->stop)
			break;
		if ((j = l->uhead) != NULL) {
			if ((l->uhead = j->next) == NULL)
				l->utail = NULL;
		} else {
			j = l->head;
			if ((l->head = j->next) == NULL)
				l->tail = NULL;
		}
		pthread_mutex_unlock(&wp->mu);
		j->fn(j->arg);
		pthread_mutex_lock(&wp->mu);
		l->backlog--;
		j->next = NULL;
		if (wp->done_tail != NULL)
			wp->done_tail->next = j;
		else
			wp->done_head = j;
		wp->done_tail = j;
		if (write(wp->pipe[1], &b, 1) < 0)
			(void)0;	/* pipe full: a wakeup is pending */
	}
	pthread_mutex_unlock(&wp->mu);
	return NULL;
}

static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	struct workpool *wp = arg;
	struct job *j, *n;
	char buf[256];

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&wp->mu);
	j = wp->done_head;
	wp->done_head = wp->done_tail = NULL;
	pthread_mutex_unlock(&wp->mu);
	for (; j != NULL; j = n) {
		n = j->next;
		j->done(j->arg, true);
		free(j);
	}
}

struct workpool *
workpool_new(struct event_base *base,
    const struct workpool_lane_conf conf[WORKPOOL_LANES], int *err)
{
	struct workpool *wp;
	unsigned i, k;

	if ((wp = calloc(1, sizeof(*wp))) == NULL) {
		*err = ENOMEM;
		return NULL;
	}
	wp->pipe[0] = wp->pipe[1] = -1;
	pthread_mutex_init(&wp->mu, NULL);
	pthread_cond_init(&wp->ready_cv, NULL);
	if (pipe2(wp->pipe, O_NONBLOCK | O_CLOEXEC) != 0 ||
	    (wp->ev = event_new(base, wp->pipe[0], EV_READ | EV_PERSIST,
	    on_done, wp)) == NULL || event_add(wp->ev, NULL) != 0) {
		*err = errno != 0 ? errno : ENOMEM;
		workpool_free(wp);
		return NULL;
	}
	for (i = 0; i < WORKPOOL_LANES; i++) {
		struct lane *l = &wp->lanes[i];

		l->wp = wp;
		l->nice = conf[i].nice;
		pthread_cond_init(&l->cv, NULL);
		if (conf[i].threads == 0)
			continue;
		if ((l->thr = calloc(conf[i].threads, sizeof(*l->thr))) ==
		    NULL) {
			*err = ENOMEM;
			workpool_free(wp);
			return NULL;
		}
		for (k = 0; k < conf[i].threads; k++) {
			if ((*err = pthread_create(&l->thr[k], NULL,
			    lane_main, l)) != 0) {
				workpool_free(wp);
				return NULL;
			}
			l->nthr++;
		}
	}
	/* Every thread is running (and has asked for its priority). */
	pthread_mutex_lock(&wp->mu);
	for (i = 0, k = 0; i < WORKPOOL_LANES; i++)
		k += wp->lanes[i].nthr;
	while (wp->ready < k)
		pthread_cond_wait(&wp->ready_cv, &wp->mu);
	pthread_mutex_unlock(&wp->mu);
	*err = 0;
	return wp;
}

int
workpool_submit(struct workpool *wp, unsigned lane, bool urgent,
    workpool_fn fn, workpool_done done, void *arg)
{
	struct lane *l;
	struct job *j, **head, **tail;

	if (lane >= WORKPOOL_LANES || (l = &wp->lanes[lane])->nthr == 0 ||
	    (j = calloc(1, sizeof(*j))) == NULL)
		return -1;
	j->fn = fn;
	j->done = done;
	j->arg = arg;
	head = urgent ? &l->uhead : &l->head;
	tail = urgent ? &l->utail : &l->tail;
	pthread_mutex_lock(&wp->mu);
	if (*tail != NULL)
		(*tail)->next = j;
	else
		*head = j;
	*tail = j;
	l->backlog++;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&wp->mu);
	return 0;
}

unsigned
workpool_backlog(struct workpool *wp, unsigned lane)
{
	unsigned n;

	pthread_mutex_lock(&wp->mu);
	n = lane < WORKPOOL_LANES ? wp->lanes[lane].backlog : 0;
	pthread_mutex_unlock(&wp->mu);
	return n;
}

void
workpool_free(struct workpool *wp)
{
	struct job *j, *n;
	unsigned i, k;

	if (wp == NULL)
		return;
	pthread_mutex_lock(&wp->mu);
	wp->stop = true;
	for (i = 0; i < WORKPOOL_LANES; i++)
		pthread_cond_broadcast(&wp->lanes[i].cv);
	pthread_mutex_unlock(&wp->mu);
	for (i = 0; i < WORKPOOL_LANES; i++) {
		struct lane *l = &wp->lanes[i];

		for (k = 0; k < l->nthr; k++)
			pthread_join(l->thr[k], NULL);
		free(l->thr);
		for (j = l->uhead; j != NULL; j = n) {
			n = j->next;
			j->done(j->arg, false);
			free(j);
		}
		for (j = l->head; j != NULL; j = n) {
			n = j->next;
			j->done(j->arg, false);
			free(j);
		}
		pthread_cond_destroy(&l->cv);
	}
	for (j = wp->done_head; j != NULL; j = n) {
		n = j->next;
		j->done(j->arg, true);
		free(j);
	}
	if (wp->ev != NULL)
		event_free(wp->ev);
	if (wp->pipe[0] >= 0)
		close(wp->pipe[0]);
	if (wp->pipe[1] >= 0)
		close(wp->pipe[1]);
	pthread_cond_destroy(&wp->ready_cv);
	pthread_mutex_destroy(&wp->mu);
	free(wp);
}
