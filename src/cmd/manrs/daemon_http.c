/*
 * daemon_http.c - the daemons' /metrics endpoint: just enough HTTP/1.x
 * (RFC 9112) to answer "GET /metrics" with Prometheus text, and bounded
 * everywhere, unlike evhttp (which buffers headers without limit):
 * - at most DAEMON_HTTP_CONN_MAX connections (more get a 503 and close);
 * - the request line and headers within DAEMON_HTTP_HEADER_MAX bytes
 *   (else 431, RFC 6585 section 5), read no further;
 * - the whole request within DAEMON_HTTP_TIMEOUT seconds (else closed);
 * - one request per connection ("Connection: close"), no body read.
 * The request head is judged from its bytes by daemon_http_parse.c
 * (fuzzed: tests/fuzz/http_request); this file owns the sockets.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "daemon_http_parse.h"
#include "daemon_int.h"

struct http_conn {
	LIST_ENTRY(http_conn)	 entry;
	struct daemon_http	*h;
	struct bufferevent	*bev;
	struct event		*timer;
	bool			 answered;
};

struct daemon_http {
	struct event_base	*base;
	daemon_http_render_fn	*render;
	void			*arg;
	LIST_HEAD(, http_conn)	 conns;
	unsigned		 n;
	struct daemon_http_stats st;
};

struct daemon_http *
daemon_http_new(struct event_base *base, daemon_http_render_fn *render,
    void *arg)
{
	struct daemon_http *h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->base = base;
	h->render = render;
	h->arg = arg;
	LIST_INIT(&h->conns);
	return h;
}

static void
http_close(struct http_conn *hc)
{
	LIST_REMOVE(hc, entry);
	hc->h->n--;
	event_free(hc->timer);
	bufferevent_free(hc->bev);
	free(hc);
}

void
daemon_http_free(struct daemon_http *h)
{
	if (h == NULL)
		return;
	while (!LIST_EMPTY(&h->conns))
		http_close(LIST_FIRST(&h->conns));
	free(h);
}

void
daemon_http_stats(const struct daemon_http *h, struct daemon_http_stats *st)
{
	if (h == NULL)
		memset(st, 0, sizeof(*st));
	else
		*st = h->st;
}

/* Queue the status line, headers and body; close once written. */
static void
http_reply(struct http_conn *hc, int code, const char *reason,
    const char *type, const void *body, size_t len, bool head)
{
	struct evbuffer *out = bufferevent_get_output(hc->bev);
	struct evbuffer *in = bufferevent_get_input(hc->bev);

	hc->answered = true;
	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n"
	    "Cache-Control: no-store\r\n\r\n", code, reason, type, len);
	if (!head && len > 0)
		evbuffer_add(out, body, len);
	evbuffer_drain(in, evbuffer_get_length(in));
	/* keep reading (and discarding) so closing does not reset */
	bufferevent_setwatermark(hc->bev, EV_READ, 0, 0);
}

static void
http_error(struct http_conn *hc, int code, const char *reason)
{
	char body[128];
	int n = snprintf(body, sizeof(body), "%d %s\n", code, reason);

	http_reply(hc, code, reason, "text/plain; charset=utf-8", body,
	    n > 0 ? (size_t)n : 0, false);
}

/* Answer the request head judged by daemon_http_parse(). */
static void
http_request(struct http_conn *hc, const struct daemon_http_req *req)
{
	struct daemon_http *h = hc->h;
	struct manrs_buf page;

	if (req->status == DAEMON_HTTP_TOO_LARGE)
		h->st.too_large++;
	else if (req->status != DAEMON_HTTP_OK)
		h->st.bad++;
	if (req->status != DAEMON_HTTP_OK) {
		http_error(hc, req->status, daemon_http_reason(req->status));
		return;
	}
	h->st.requests++;
	manrs_buf_init(&page, DAEMON_HTTP_BODY_MAX);
	h->render(h->arg, &page);
	if (page.err != 0)
		http_error(hc, 500, "Internal Server Error");
	else
		http_reply(hc, 200, "OK", "text/plain; version=0.0.4; "
		    "charset=utf-8", page.p, page.len, req->head);
	manrs_buf_clear(&page);
}

static void
http_read(struct bufferevent *bev, void *arg)
{
	struct http_conn *hc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct daemon_http_req req;
	size_t len;
	const char *p;

	if (hc->answered) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	/*
	 * At most DAEMON_HTTP_HEADER_MAX bytes are buffered (the read
	 * watermark), so making them contiguous is bounded too.
	 */
	len = evbuffer_get_length(in);
	p = len > 0 ? (const char *)evbuffer_pullup(in, -1) : NULL;
	if (len > 0 && p == NULL)
		return;		/* out of memory: the timeout closes */
	if (daemon_http_parse(p, len, DAEMON_HTTP_HEADER_MAX, &req) !=
	    DAEMON_HTTP_MORE)
		http_request(hc, &req);
}

static void
http_write(struct bufferevent *bev, void *arg)
{
	struct http_conn *hc = arg;

	if (hc->answered &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		shutdown(bufferevent_getfd(bev), SHUT_WR);
		http_close(hc);
	}
}

/*
 * The client closed its side (EOF) or the connection failed.  After an
 * EOF, what it sent is still judged (a whole head, or one too large) and
 * answered: the connection closes once the answer is out (http_write).
 */
static void
http_event(struct bufferevent *bev, short what, void *arg)
{
	struct http_conn *hc = arg;

	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR)) {
		if (!hc->answered)
			http_read(bev, hc);
		if (hc->answered &&
		    evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
			bufferevent_disable(bev, EV_READ);
			return;
		}
	}
	http_close(hc);
}

static void
http_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct http_conn *hc = arg;

	(void)fd;
	(void)what;
	if (!hc->answered)
		hc->h->st.timeouts++;
	http_close(hc);
}

void
daemon_http_accept(struct daemon_http *h, evutil_socket_t fd)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";
	struct timeval tv = { DAEMON_HTTP_TIMEOUT, 0 };
	struct http_conn *hc;

	if (h->n >= DAEMON_HTTP_CONN_MAX ||
	    (hc = calloc(1, sizeof(*hc))) == NULL) {
		h->st.refused++;
		if (send(fd, busy, sizeof(busy) - 1,
		    MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			(void)0;
		evutil_closesocket(fd);
		return;
	}
	hc->h = h;
	hc->bev = bufferevent_socket_new(h->base, fd, BEV_OPT_CLOSE_ON_FREE);
	hc->timer = evtimer_new(h->base, http_timeout, hc);
	if (hc->bev == NULL || hc->timer == NULL) {
		if (hc->bev != NULL)
			bufferevent_free(hc->bev);
		else
			evutil_closesocket(fd);
		if (hc->timer != NULL)
			event_free(hc->timer);
		free(hc);
		h->st.refused++;
		return;
	}
	LIST_INSERT_HEAD(&h->conns, hc, entry);
	h->n++;
	bufferevent_setcb(hc->bev, http_read, http_write, http_event, hc);
	/* libevent stops reading once this much is buffered */
	bufferevent_setwatermark(hc->bev, EV_READ, 0, DAEMON_HTTP_HEADER_MAX);
	bufferevent_enable(hc->bev, EV_READ | EV_WRITE);
	evtimer_add(hc->timer, &tv);
}
