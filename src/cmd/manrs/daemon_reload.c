/*
 * daemon_reload.c - the reload worker of the daemon layer: one thread
 * that runs ops->load beside the served data and hands the result to
 * the loop (a pipe), which runs ops->apply.  A reload asked for while
 * one runs is queued (one more runs after it, never dropped); a RETRY
 * result is retried after 1 s, doubling to 5 min, until one succeeds.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon_int.h"


static void *
reload_worker(void *arg)
{
	struct daemon *d = arg;
	char b = 'r';
	void *data;
	int err;

	pthread_mutex_lock(&d->mtx);
	for (;;) {
		while (!d->job && !d->quit)
			pthread_cond_wait(&d->cv, &d->mtx);
		if (d->quit)
			break;
		pthread_mutex_unlock(&d->mtx);
		err = 0;
		data = d->cfg.reload->load(d->cfg.arg, &err);
		pthread_mutex_lock(&d->mtx);
		d->job = false;
		d->job_data = data;
		d->job_err = err;
		while (write(d->pipe[1], &b, 1) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&d->mtx);
	return NULL;
}

static void
reload_count(struct daemon *d, const char *why, enum daemon_reload_result r,
    bool retry)
{
	struct timeval tv = { 0, 0 };

	d->reloads[r]++;
	d->last_reload = time(NULL);
	d->last_reload_ok = r == DAEMON_RELOAD_CHANGED ||
	    r == DAEMON_RELOAD_UNCHANGED;
	if (d->last_reload_ok) {
		d->backoff = 0;
		return;
	}
	if (r != DAEMON_RELOAD_RETRY || !retry || d->retry_ev == NULL)
		return;
	d->backoff = d->backoff == 0 ? BACKOFF_MIN : d->backoff * 2;
	if (d->backoff > BACKOFF_MAX)
		d->backoff = BACKOFF_MAX;
	tv.tv_sec = (time_t)d->backoff;
	d->reload_retries++;
	evtimer_add(d->retry_ev, &tv);
	daemon_log(LOG_WARNING, "reload (%s) failed, old data kept; retrying "
	    "in %u s", why, d->backoff);
}

static void
on_reloaded(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	enum daemon_reload_result r;
	const char *next;
	void *data;
	char b;
	int err;

	(void)what;
	if (read(fd, &b, 1) != 1)
		return;
	pthread_mutex_lock(&d->mtx);
	data = d->job_data;
	err = d->job_err;
	d->job_data = NULL;
	pthread_mutex_unlock(&d->mtx);
	d->reloading = false;
	r = d->cfg.reload->apply(d->cfg.arg, d->reload_why, data, err);
	reload_count(d, d->reload_why, r, true);
	if ((next = d->queued) != NULL) {
		d->queued = NULL;
		daemon_reload(d, next);
	}
}

static void
on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	daemon_reload(arg, "retry");
}

void
daemon_reload(struct daemon *d, const char *why)
{
	if (d->cfg.reload == NULL)
		return;
	if (d->reloading) {
		if (d->queued == NULL) {
			d->reloads_queued++;
			daemon_log(LOG_INFO, "reload (%s) asked for during a "
			    "reload: queued, runs next", why);
		}
		d->queued = why;
		return;
	}
	if (!d->thr_started) {
		daemon_reload_now(d, why);
		return;
	}
	if (d->retry_ev != NULL)
		evtimer_del(d->retry_ev);
	d->reloading = true;
	d->reload_why = why;
	pthread_mutex_lock(&d->mtx);
	d->job = true;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mtx);
}

enum daemon_reload_result
daemon_reload_now(struct daemon *d, const char *why)
{
	enum daemon_reload_result r;
	void *data;
	int err = 0;

	if (d->cfg.reload == NULL)
		return DAEMON_RELOAD_FAILED;
	data = d->cfg.reload->load(d->cfg.arg, &err);
	r = d->cfg.reload->apply(d->cfg.arg, why, data, err);
	reload_count(d, why, r, d->thr_started);
	return r;
}

bool
daemon_reloading(const struct daemon *d)
{
	return d->reloading;
}

bool
daemon_reload_retrying(const struct daemon *d)
{
	return d->retry_ev != NULL && evtimer_pending(d->retry_ev, NULL);
}

int
daemon_reload_setup(struct daemon *d)
{
	if (d->cfg.reload == NULL)
		return 0;
	if ((d->retry_ev = evtimer_new(d->base, on_retry, d)) == NULL)
		return -1;
	if (pipe2(d->pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		d->pipe[0] = d->pipe[1] = -1;
		return -1;
	}
	d->pipe_ev = event_new(d->base, d->pipe[0], EV_READ | EV_PERSIST,
	    on_reloaded, d);
	if (d->pipe_ev == NULL || event_add(d->pipe_ev, NULL) != 0)
		return -1;
	if (pthread_create(&d->thr, NULL, reload_worker, d) != 0)
		return -1;
	d->thr_started = true;
	return 0;
}


/* Stop the worker (a load in progress finishes; its result discarded). */
void
daemon_reload_stop(struct daemon *d)
{
	void *late = NULL;

	if (d->thr_started) {
		pthread_mutex_lock(&d->mtx);
		d->quit = true;
		pthread_cond_signal(&d->cv);
		pthread_mutex_unlock(&d->mtx);
		pthread_join(d->thr, NULL);
		d->thr_started = false;
		late = d->job_data;
		d->job_data = NULL;
	}
	if (late != NULL && d->cfg.reload->discard != NULL)
		d->cfg.reload->discard(d->cfg.arg, late);
	if (d->pipe[0] >= 0) {
		close(d->pipe[0]);
		close(d->pipe[1]);
		d->pipe[0] = d->pipe[1] = -1;
	}
}
