/*
 * monitor_ws.c - the RIS Live websocket client of manrs monitor
 * (https://ris-live.ripe.net/manual/): one connection, the
 * "ris_subscribe" messages of the configuration sent once it is up,
 * each text message (reassembled from its fragments, at most
 * MANRS_MONITOR_RIS_MAX bytes) into manrs_monitor_ris_message(), and a
 * reconnection with exponential backoff when the connection fails or
 * closes.  The monitor's clock ticks once a second.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "cli.h"
#include "monitor_ws.h"

#define WS_BACKOFF_MIN	1	/* seconds */
#define WS_BACKOFF_MAX	60
#define WS_SUB_MAX	512	/* one subscription message */

struct ws_state {
	struct manrs_monitor	*m;
	const struct manrs_monitor_config *c;
	struct lws_context	*ctx;
	struct lws		*wsi;
	char			 host[256];
	char			 path[1024];
	int			 port;
	bool			 tls;
	size_t			 sub;		/* next subscription */
	char			*msg;		/* reassembly */
	size_t			 len;
	bool			 toolong;
	int			 backoff;
	uint64_t		 msgs, bad, connects;
	lws_sorted_usec_list_t	 sul_conn;
	lws_sorted_usec_list_t	 sul_tick;
	void			(*flush)(void *);
	void			*arg;
	const struct monitor_rpki_ops *rpki;
	unsigned		 ticks;
};

static volatile sig_atomic_t ws_stop, ws_hup;
static struct lws_context *ws_ctx;

static void
ws_signal(int sig)
{
	if (sig == SIGHUP)
		ws_hup = 1;
	else
		ws_stop = 1;
	if (ws_ctx != NULL)
		lws_cancel_service(ws_ctx);
}

static void
ws_connect(lws_sorted_usec_list_t *sul)
{
	struct ws_state *s = lws_container_of(sul, struct ws_state,
	    sul_conn);
	struct lws_client_connect_info ci;

	memset(&ci, 0, sizeof(ci));
	ci.context = s->ctx;
	ci.address = s->host;
	ci.port = s->port;
	ci.path = s->path;
	ci.host = s->host;
	ci.origin = s->host;
	ci.ssl_connection = s->tls ? LCCSCF_USE_SSL : 0;
	ci.local_protocol_name = "manrs-ris-live";
	ci.userdata = s;
	ci.pwsi = &s->wsi;
	s->connects++;
	if (lws_client_connect_via_info(&ci) == NULL) {
		s->wsi = NULL;
		cli_warnx("monitor: --ris-live: cannot connect to %s:%d, "
		    "retrying in %d s", s->host, s->port, s->backoff);
		lws_sul_schedule(s->ctx, 0, &s->sul_conn, ws_connect,
		    (lws_usec_t)s->backoff * LWS_USEC_PER_SEC);
		if (s->backoff < WS_BACKOFF_MAX)
			s->backoff *= 2;
	}
}

static void
ws_retry(struct ws_state *s, const char *why)
{
	s->wsi = NULL;
	s->len = 0;
	s->toolong = false;
	if (ws_stop)
		return;
	cli_warnx("monitor: --ris-live %s:%d%s: %s, reconnecting in %d s",
	    s->host, s->port, s->path, why, s->backoff);
	lws_sul_schedule(s->ctx, 0, &s->sul_conn, ws_connect,
	    (lws_usec_t)s->backoff * LWS_USEC_PER_SEC);
	if (s->backoff < WS_BACKOFF_MAX)
		s->backoff = s->backoff * 2 > WS_BACKOFF_MAX ?
		    WS_BACKOFF_MAX : s->backoff * 2;
}

static void
ws_tick(lws_sorted_usec_list_t *sul)
{
	struct ws_state *s = lws_container_of(sul, struct ws_state,
	    sul_tick);

	const struct monitor_rpki_ops *r = s->rpki;
	void *data;
	int err;

	manrs_monitor_tick(s->m, 0);
	s->ticks++;
	if (r != NULL && (ws_hup || (r->refresh > 0 &&
	    s->ticks % r->refresh == 0))) {
		ws_hup = 0;
		if ((data = r->load(r->arg, &err)) != NULL)
			r->apply(r->arg, data);
	} else if (r != NULL && r->minute != NULL && s->ticks % 60 == 0)
		r->minute(r->arg);
	if (s->flush != NULL)
		s->flush(s->arg);
	lws_sul_schedule(s->ctx, 0, &s->sul_tick, ws_tick, LWS_USEC_PER_SEC);
}

static void
ws_message(struct ws_state *s)
{
	int err;

	if (s->toolong) {
		if (s->bad++ < 10)
			cli_warnx("monitor: --ris-live: message %llu over %u "
			    "bytes, dropped", (unsigned long long)s->msgs + 1,
			    (unsigned)MANRS_MONITOR_RIS_MAX);
		s->msgs++;
		return;
	}
	s->msgs++;
	s->backoff = WS_BACKOFF_MIN;
	if (s->len > 12 && memmem(s->msg, s->len > 64 ? 64 : s->len,
	    "\"ris_error\"", 11) != NULL) {
		cli_warnx("monitor: --ris-live: server error: %.*s",
		    (int)(s->len > 300 ? 300 : s->len), s->msg);
		return;
	}
	err = manrs_monitor_ris_message(s->m, s->msg, s->len);
	if (err != 0 && s->bad++ < 10)
		cli_warnx("monitor: --ris-live: message %llu: %s",
		    (unsigned long long)s->msgs, manrs_strerror(err));
	if (err == MANRS_E_NOMEM)
		ws_stop = 1;
	if (s->flush != NULL)
		s->flush(s->arg);
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct ws_state *s = user;
	unsigned char buf[LWS_PRE + WS_SUB_MAX];
	int n;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (s != NULL)
			ws_retry(s, in != NULL ? (const char *)in :
			    "connection failed");
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		s->sub = 0;
		s->len = 0;
		s->toolong = false;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		/* the subscriptions, one a writable callback */
		for (;;) {
			n = manrs_monitor_ris_subscribe(s->c, s->sub,
			    (char *)buf + LWS_PRE, WS_SUB_MAX);
			if (n == MANRS_E_NOTFOUND)
				return 0;
			s->sub++;
			if (n > 0)
				break;
		}
		if (lws_write(wsi, buf + LWS_PRE, (size_t)n,
		    LWS_WRITE_TEXT) < n)
			return -1;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_frame_is_binary(wsi))
			return 0;
		if (s->len + len > MANRS_MONITOR_RIS_MAX)
			s->toolong = true;
		else if (!s->toolong) {
			memcpy(s->msg + s->len, in, len);
			s->len += len;
		}
		if (lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0) {
			ws_message(s);
			s->len = 0;
			s->toolong = false;
		}
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		ws_retry(s, "connection closed");
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols ws_protocols[] = {
	{ "manrs-ris-live", ws_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static int
ws_parse_url(struct ws_state *s, const char *url)
{
	char tmp[1024];
	const char *prot, *ads, *path;
	int port, n;

	if (strlen(url) >= sizeof(tmp))
		return -1;
	memcpy(tmp, url, strlen(url) + 1);
	if (lws_parse_uri(tmp, &prot, &ads, &port, &path) != 0)
		return -1;
	if (strcmp(prot, "wss") == 0)
		s->tls = true;
	else if (strcmp(prot, "ws") != 0)
		return -1;
	if (*ads == '\0' || strlen(ads) >= sizeof(s->host))
		return -1;
	memcpy(s->host, ads, strlen(ads) + 1);
	s->port = port;
	/* RIS Live asks every client to name itself */
	n = snprintf(s->path, sizeof(s->path), "/%s%s", path,
	    strchr(path, '?') == NULL ? "?client=manrs-monitor" : "");
	if (n < 0 || (size_t)n >= sizeof(s->path))
		return -1;
	return 0;
}

int
monitor_ws_run(struct manrs_monitor *m, const struct manrs_monitor_config *c,
    const char *url, void (*flush)(void *), void *arg,
    const struct monitor_rpki_ops *rpki)
{
	struct lws_context_creation_info info;
	struct sigaction sa, oterm, oint, ohup;
	struct ws_state *s;
	int rc = 0;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->msg = malloc(MANRS_MONITOR_RIS_MAX)) == NULL) {
		if (s != NULL)
			free(s);
		cli_warnx("monitor: %s", manrs_strerror(MANRS_E_NOMEM));
		return -1;
	}
	s->m = m;
	s->c = c;
	s->flush = flush;
	s->arg = arg;
	s->rpki = rpki;
	s->backoff = WS_BACKOFF_MIN;
	if (ws_parse_url(s, url) != 0) {
		cli_warnx("monitor: --ris-live %s: not a ws:// or wss:// URL",
		    url);
		free(s->msg);
		free(s);
		return -1;
	}
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = ws_protocols;
	info.fd_limit_per_thread = 4;
	if (s->tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	if ((s->ctx = lws_create_context(&info)) == NULL) {
		cli_warnx("monitor: --ris-live: cannot create the websocket "
		    "context");
		free(s->msg);
		free(s);
		return -1;
	}
	ws_ctx = s->ctx;
	ws_stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ws_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &oterm);
	sigaction(SIGINT, &sa, &oint);
	ws_hup = 0;
	if (rpki != NULL)
		sigaction(SIGHUP, &sa, &ohup);
	lws_sul_schedule(s->ctx, 0, &s->sul_conn, ws_connect, 1);
	lws_sul_schedule(s->ctx, 0, &s->sul_tick, ws_tick, LWS_USEC_PER_SEC);
	while (!ws_stop)
		if (lws_service(s->ctx, 0) < 0) {
			cli_warnx("monitor: --ris-live: event loop failed");
			rc = -1;
			break;
		}
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGINT, &oint, NULL);
	if (rpki != NULL)
		sigaction(SIGHUP, &ohup, NULL);
	manrs_monitor_tick(m, 0);
	if (flush != NULL)
		flush(arg);
	ws_ctx = NULL;
	lws_context_destroy(s->ctx);
	if (s->bad > 10)
		cli_warnx("monitor: --ris-live: %llu bad messages in all",
		    (unsigned long long)s->bad);
	free(s->msg);
	free(s);
	return rc;
}
