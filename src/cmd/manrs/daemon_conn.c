/*
 * daemon_conn.c - one client connection of the daemon layer: a
 * bufferevent with bounded input offered to the daemon, queued output,
 * the request deadline, idle and write timeouts, half-close (answer,
 * flush, then close) and a graceful close that lingers so unread input
 * does not reset the answer.
 *
 * A conn struct is freed only when no layer callback is on the stack
 * (in_cb) and no hold is left (refs).  ops->closed runs once, from the
 * loop (the reap list), never inside a call the daemon made.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "daemon_int.h"


static void	conn_offer(struct daemon_conn *);
static void	conn_set_timeouts(struct daemon_conn *);
static void	conn_eof_wait(struct daemon_conn *);

static void
conn_unref(struct daemon_conn *c)
{
	if (--c->refs == 0)
		free(c);
}

/*
 * After a layer callback (or a teardown): once no callback is on the
 * stack, a closed connection is queued for ops->closed, which the loop
 * runs (daemon_conn_reap), never inside a call the daemon made.
 */
static void
conn_cb_done(struct daemon_conn *c)
{
	if (--c->in_cb > 0 || !c->closed || c->closed_told)
		return;
	c->closed_told = true;
	c->refs++;		/* the reap list's */
	TAILQ_INSERT_TAIL(&c->d->reap, c, entry);
	event_active(c->d->reap_ev, EV_TIMEOUT, 0);
}

void
daemon_conn_reap(struct daemon *d)
{
	struct daemon_conn *c;

	while ((c = TAILQ_FIRST(&d->reap)) != NULL) {
		TAILQ_REMOVE(&d->reap, c, entry);
		if (d->cfg.conn->closed != NULL)
			d->cfg.conn->closed(c, c->why);
		conn_unref(c);
	}
}

void
daemon_conn_teardown(struct daemon_conn *c, const char *why)
{
	struct daemon *d = c->d;

	if (c->closed)
		return;
	c->closed = true;
	c->why = why;
	TAILQ_REMOVE(&d->conns, c, entry);
	d->nconns--;
	if (c->addr != NULL && --c->addr->n == 0) {
		LIST_REMOVE(c->addr, entry);
		free(c->addr);
	}
	c->addr = NULL;
	event_free(c->deadline);
	event_free(c->kick);
	if (c->linger != NULL)
		event_free(c->linger);
	c->deadline = c->kick = c->linger = NULL;
	bufferevent_free(c->bev);
	c->bev = NULL;
	c->in_cb++;
	conn_cb_done(c);
	conn_unref(c);		/* the list's reference */
}

static void
linger_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	daemon_conn_teardown(arg, "closed");
}

/* Everything is written: close, or half-close and linger for input. */
static void
conn_finish(struct daemon_conn *c)
{
	struct timeval tv = { LINGER_SECS, 0 };

	if (c->eof) {
		daemon_conn_teardown(c, "closed");
		return;
	}
	if (c->linger != NULL)
		return;
	if ((c->linger = evtimer_new(c->d->base, linger_done, c)) == NULL) {
		daemon_conn_teardown(c, "closed");
		return;
	}
	shutdown(bufferevent_getfd(c->bev), SHUT_WR);
	bufferevent_set_timeouts(c->bev, NULL, NULL);
	evtimer_add(c->linger, &tv);
	bufferevent_enable(c->bev, EV_READ);
}

static void
conn_read(struct bufferevent *bev, void *arg)
{
	struct daemon_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	if (c->closing) {	/* discard while the answer flushes */
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	conn_offer(c);
}

static void
conn_write(struct bufferevent *bev, void *arg)
{
	struct daemon_conn *c = arg;

	if (c->closing) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			conn_finish(c);
		return;
	}
	if (c->idle > 0)	/* output progress counts as activity */
		conn_set_timeouts(c);
	conn_eof_wait(c);
	if (c->d->cfg.conn->drained != NULL) {
		c->refs++;
		c->in_cb++;
		c->d->cfg.conn->drained(c);
		conn_cb_done(c);
		conn_unref(c);
	}
}

static void
conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct daemon_conn *c = arg;
	struct daemon *d = c->d;

	(void)bev;
	if (what & BEV_EVENT_EOF) {
		if (c->closing) {
			c->eof = true;
			if (c->linger != NULL || evbuffer_get_length(
			    bufferevent_get_output(c->bev)) == 0)
				daemon_conn_teardown(c, "closed");
			return;
		}
		c->eof = true;
		d->half_closes++;
		conn_offer(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT) {
		if (what & BEV_EVENT_READING) {
			d->idle_timeouts++;
			daemon_ratelog(&d->log_timeout, LOG_INFO,
			    "%s: idle for %u s; closing", c->peer, c->idle);
			daemon_conn_teardown(c, "idle timeout");
		} else {
			d->write_timeouts++;
			daemon_ratelog(&d->log_timeout, LOG_INFO,
			    "%s: not reading its answer; closing", c->peer);
			daemon_conn_teardown(c, "write timeout");
		}
		return;
	}
	daemon_conn_teardown(c, (what & BEV_EVENT_ERROR) && errno != 0 ?
	    "connection error" : "closed");
}

/*
 * Offer buffered input to the daemon until it is all consumed, the
 * daemon pauses or stops consuming; then, after EOF, say so once.
 */
static void
conn_offer(struct daemon_conn *c)
{
	const struct daemon_conn_ops *ops = c->d->cfg.conn;
	struct evbuffer *in;
	struct evbuffer_iovec v;
	size_t used;

	if (c->offering || c->closed)
		return;
	c->offering = true;
	c->refs++;
	c->in_cb++;
	while (!c->closed && !c->closing && !c->paused) {
		in = bufferevent_get_input(c->bev);
		if (evbuffer_get_length(in) == 0 ||
		    evbuffer_peek(in, -1, NULL, &v, 1) < 1 || v.iov_len == 0)
			break;
		used = ops->input(c, v.iov_base, v.iov_len);
		if (c->closed)
			break;
		if (used > v.iov_len)
			used = v.iov_len;
		evbuffer_drain(bufferevent_get_input(c->bev), used);
		if (used < v.iov_len)
			break;
	}
	if (!c->closed && c->eof && !c->eof_told && !c->paused &&
	    !c->closing) {
		c->eof_told = true;
		if (ops->eof != NULL)
			ops->eof(c);
		else
			daemon_conn_close(c);
		conn_eof_wait(c);
	}
	c->offering = false;
	conn_cb_done(c);
	conn_unref(c);
}

static void
conn_kick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_offer(arg);
}

/*
 * After the client's EOF nothing else ends a connection the daemon
 * forgets to close (no reading, no output): the deadline timer then
 * waits for output progress for the write timeout, re-armed on each
 * drain, as a safety net.
 */
static void
conn_eof_wait(struct daemon_conn *c)
{
	struct timeval tv = { WRITE_TIMEOUT_MAX, 0 };

	if (c->closed || c->closing || c->partial || !c->eof_told)
		return;
	if (c->idle > 0 && c->idle < WRITE_TIMEOUT_MAX)
		tv.tv_sec = (time_t)c->idle;
	evtimer_add(c->deadline, &tv);
}

static void
conn_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct daemon_conn *c = arg;
	struct daemon *d = c->d;

	(void)fd;
	(void)what;
	if (!c->partial) {	/* the EOF wait */
		d->write_timeouts++;
		daemon_ratelog(&d->log_timeout, LOG_WARNING, "%s: nothing "
		    "answered or closed after its EOF; closing", c->peer);
		daemon_conn_teardown(c, "no answer after EOF");
		return;
	}
	d->request_timeouts++;
	daemon_ratelog(&d->log_timeout, LOG_INFO, "%s: no complete request "
	    "within %u s of its first byte; closing", c->peer,
	    d->o.request_timeout);
	daemon_conn_teardown(c, "request timeout");
}

static void
conn_set_timeouts(struct daemon_conn *c)
{
	struct timeval rt = { (time_t)c->idle, 0 };
	struct timeval wt = { WRITE_TIMEOUT_MAX, 0 };

	if (c->idle > 0 && c->idle < WRITE_TIMEOUT_MAX)
		wt.tv_sec = (time_t)c->idle;
	bufferevent_set_timeouts(c->bev, c->idle > 0 ? &rt : NULL, &wt);
}

/* Per-address key: family and address, IPv6 cut to its /64. */
static void
addr_key(const struct sockaddr *sa, uint8_t key[17])
{
	memset(key, 0, 17);
	key[0] = (uint8_t)sa->sa_family;
	if (sa->sa_family == AF_INET6)
		memcpy(key + 1, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, 8);	/* the /64 */
	else if (sa->sa_family == AF_INET)
		memcpy(key + 1, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, 4);
}

/* The address's entry; created (n = 0) if asked to. */
struct addr_ent *
daemon_addr_get(struct daemon *d, const struct sockaddr *sa, bool create)
{
	struct addr_list *b;
	struct addr_ent *e;
	uint8_t key[17];
	uint32_t h = 2166136261u ^ d->addr_seed;	/* FNV-1a */
	size_t i;

	addr_key(sa, key);
	for (i = 0; i < sizeof(key); i++)
		h = (h ^ key[i]) * 16777619u;
	b = &d->addrs[h & (d->naddrs - 1)];
	LIST_FOREACH(e, b, entry)
		if (memcmp(e->key, key, sizeof(key)) == 0)
			return e;
	if (!create || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	memcpy(e->key, key, sizeof(key));
	LIST_INSERT_HEAD(b, e, entry);
	return e;
}

static struct daemon_conn *
conn_new(struct daemon *d, evutil_socket_t fd, const struct sockaddr *sa,
    int salen)
{
	struct daemon_conn *c;
	int one = 1;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->d = d;
	c->refs = 1;
	if (salen > 0 && (size_t)salen <= sizeof(c->ss))
		memcpy(&c->ss, sa, (size_t)salen);
	daemon_addr_name(sa, c->peer, sizeof(c->peer));
	c->bev = bufferevent_socket_new(d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->deadline = evtimer_new(d->base, conn_deadline, c);
	c->kick = event_new(d->base, -1, 0, conn_kick, c);
	if ((c->addr = daemon_addr_get(d, sa, true)) == NULL ||
	    c->bev == NULL || c->deadline == NULL || c->kick == NULL) {
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		else
			evutil_closesocket(fd);
		if (c->deadline != NULL)
			event_free(c->deadline);
		if (c->kick != NULL)
			event_free(c->kick);
		if (c->addr != NULL && c->addr->n == 0) {
			LIST_REMOVE(c->addr, entry);
			free(c->addr);
		}
		free(c);
		return NULL;
	}
	c->addr->n++;
	TAILQ_INSERT_TAIL(&d->conns, c, entry);
	d->nconns++;
	/* answers are small and pipelined: no Nagle delay */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->idle = d->o.idle_timeout;
	bufferevent_setcb(c->bev, conn_read, conn_write, conn_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, DAEMON_INPUT_MAX_DEFAULT);
	conn_set_timeouts(c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	return c;
}

/* A client passed the caps: set it up and tell the daemon. */
void
daemon_conn_accept(struct daemon *d, evutil_socket_t fd,
    const struct sockaddr *sa, int salen)
{
	struct daemon_conn *c;
	char peer[DAEMON_PEER_STRLEN];

	if ((c = conn_new(d, fd, sa, salen)) == NULL) {	/* fd closed */
		d->refused[DAEMON_REFUSE_FD]++;
		daemon_addr_name(sa, peer, sizeof(peer));
		daemon_ratelog(&d->log_refuse, LOG_WARNING, "%s: refused: out "
		    "of memory", peer);
		return;
	}
	d->accepted++;
	c->refs++;
	c->in_cb++;
	c->data = d->cfg.conn->accepted(c);
	if (c->data == NULL && !c->closed)
		daemon_conn_teardown(c, "refused by the daemon");
	conn_cb_done(c);
	conn_unref(c);
}

void *
daemon_conn_data(const struct daemon_conn *c)
{
	return c->data;
}

void *
daemon_conn_arg(const struct daemon_conn *c)
{
	return c->d->cfg.arg;
}

struct daemon *
daemon_conn_daemon(const struct daemon_conn *c)
{
	return c->d;
}

const char *
daemon_conn_peer(const struct daemon_conn *c)
{
	return c->peer;
}

const struct sockaddr *
daemon_conn_addr(const struct daemon_conn *c)
{
	return (const struct sockaddr *)&c->ss;
}

int
daemon_conn_write(struct daemon_conn *c, const void *p, size_t len)
{
	if (c->closed || bufferevent_write(c->bev, p, len) != 0)
		return -1;
	return 0;
}

size_t
daemon_conn_outq(const struct daemon_conn *c)
{
	if (c->closed)
		return 0;
	return evbuffer_get_length(bufferevent_get_output(c->bev));
}

void
daemon_conn_set_lowat(struct daemon_conn *c, size_t n)
{
	c->lowat = n;
	if (!c->closed && !c->closing)
		bufferevent_setwatermark(c->bev, EV_WRITE, n, 0);
}

void
daemon_conn_pause(struct daemon_conn *c)
{
	if (c->closed || c->paused)
		return;
	c->paused = true;
	if (!c->closing)
		bufferevent_disable(c->bev, EV_READ);
}

void
daemon_conn_resume(struct daemon_conn *c)
{
	if (c->closed || !c->paused)
		return;
	c->paused = false;
	if (c->closing)
		return;
	if (!c->eof)
		bufferevent_enable(c->bev, EV_READ);
	/* offer what is buffered from the loop, not from inside a caller */
	if (evbuffer_get_length(bufferevent_get_input(c->bev)) > 0 ||
	    (c->eof && !c->eof_told))
		event_active(c->kick, EV_TIMEOUT, 0);
}

void
daemon_conn_set_idle(struct daemon_conn *c, unsigned secs)
{
	if (c->closed || c->idle == secs)
		return;
	c->idle = secs;
	if (!c->closing)
		conn_set_timeouts(c);
}

void
daemon_conn_set_partial(struct daemon_conn *c, bool partial)
{
	struct timeval tv = { (time_t)c->d->o.request_timeout, 0 };

	if (c->closed || c->partial == partial)
		return;
	c->partial = partial;
	if (!partial)
		evtimer_del(c->deadline);
	else if (c->d->o.request_timeout > 0)
		evtimer_add(c->deadline, &tv);
}

void
daemon_conn_close(struct daemon_conn *c)
{
	struct evbuffer *in;

	if (c->closed || c->closing)
		return;
	daemon_conn_set_partial(c, false);
	evtimer_del(c->deadline);	/* also the EOF wait */
	c->closing = true;
	/* no idle limit while the answer flushes; the write one stays */
	c->idle = 0;
	conn_set_timeouts(c);
	bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
	in = bufferevent_get_input(c->bev);
	evbuffer_drain(in, evbuffer_get_length(in));
	if (!c->eof)
		bufferevent_enable(c->bev, EV_READ);	/* to discard */
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		conn_finish(c);
}

void
daemon_conn_abort(struct daemon_conn *c, const char *why)
{
	daemon_conn_teardown(c, why);
}

bool
daemon_conn_closing(const struct daemon_conn *c)
{
	return c->closed || c->closing;
}

bool
daemon_conn_eof(const struct daemon_conn *c)
{
	return c->eof;
}

void
daemon_conn_hold(struct daemon_conn *c)
{
	c->refs++;
}

void
daemon_conn_release(struct daemon_conn *c)
{
	conn_unref(c);
}

void
daemon_conn_foreach(struct daemon *d,
    void (*f)(struct daemon_conn *c, void *arg), void *arg)
{
	struct daemon_conn **v, *c;
	size_t n = 0, i;

	/* a held snapshot: f may close any connection */
	if (d->nconns == 0 ||
	    (v = reallocarray(NULL, d->nconns, sizeof(*v))) == NULL)
		return;
	TAILQ_FOREACH(c, &d->conns, entry) {
		c->refs++;
		v[n++] = c;
	}
	for (i = 0; i < n; i++) {
		c = v[i];
		if (!c->closed) {
			c->in_cb++;
			f(c, arg);
			conn_cb_done(c);
		}
		conn_unref(c);
	}
	free(v);
}

