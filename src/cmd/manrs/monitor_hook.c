/*
 * monitor_hook.c - the webhook sender of manrs monitor: a ring of
 * request bodies filled by the monitor's thread (never blocking: a full
 * ring drops the alert and counts it) and emptied by one sender thread
 * that POSTs each body with libcurl (Content-Type: application/json,
 * MONITOR_HOOK_TIMEOUT seconds each).  A failed POST is counted and
 * reported (the first ten), not retried: the next alert goes on.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "cli.h"
#include "monitor_hook.h"

struct monitor_hook {
	char			*url;
	bool			 slack;
	pthread_t		 thr;
	bool			 started;
	bool			 failed;	/* the thread did not start */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;		/* work, or stop */
	pthread_cond_t		 idle;		/* queue empty, nothing sending */
	char			**ring;
	size_t			 cap, head, n;
	bool			 busy;
	bool			 stop;
	struct monitor_hook_stats st;
};

static struct monitor_hook *hook_active;

static size_t
discard_body(char *p, size_t sz, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return sz * n;
}

static void *
hook_main(void *arg)
{
	struct monitor_hook *h = arg;
	struct curl_slist *hdr = NULL;
	char ebuf[CURL_ERROR_SIZE];
	CURL *c;
	CURLcode cc;
	char *body;
	long code;

	c = curl_easy_init();
	hdr = curl_slist_append(NULL, "Content-Type: application/json");
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->n == 0 && !h->stop) {
			h->busy = false;
			pthread_cond_broadcast(&h->idle);
			pthread_cond_wait(&h->cv, &h->mu);
		}
		if (h->n == 0 && h->stop)
			break;
		body = h->ring[h->head];
		h->head = (h->head + 1) % h->cap;
		h->n--;
		h->busy = true;
		pthread_mutex_unlock(&h->mu);

		code = 0;
		ebuf[0] = '\0';
		cc = CURLE_FAILED_INIT;
		if (c != NULL && hdr != NULL) {
			curl_easy_setopt(c, CURLOPT_URL, h->url);
			curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
			    (long)strlen(body));
			curl_easy_setopt(c, CURLOPT_TIMEOUT,
			    (long)MONITOR_HOOK_TIMEOUT);
			curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
			curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
			curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
			curl_easy_setopt(c, CURLOPT_WRITEFUNCTION,
			    discard_body);
			curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
			    "http,https");
			cc = curl_easy_perform(c);
			if (cc == CURLE_OK)
				curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE,
				    &code);
		}
		free(body);

		pthread_mutex_lock(&h->mu);
		if (cc == CURLE_OK && code >= 200 && code < 300)
			h->st.sent++;
		else if (h->st.failed++ < 10)
			cli_warnx("monitor: --webhook %s: %s", h->url,
			    cc != CURLE_OK ? (ebuf[0] ? ebuf :
			    curl_easy_strerror(cc)) : code >= 300 ?
			    "the receiver answered with an error status" :
			    "no answer");
	}
	h->busy = false;
	pthread_cond_broadcast(&h->idle);
	pthread_mutex_unlock(&h->mu);
	curl_slist_free_all(hdr);
	if (c != NULL)
		curl_easy_cleanup(c);
	return NULL;
}

struct monitor_hook *
monitor_hook_new(const char *url, bool slack, size_t qmax)
{
	struct monitor_hook *h;

	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) {
		cli_warnx("monitor: --webhook %s: an http:// or https:// URL",
		    url);
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->url = strdup(url)) == NULL ||
	    (h->ring = calloc(qmax, sizeof(*h->ring))) == NULL) {
		if (h != NULL)
			free(h->url);
		free(h);
		cli_warnx("monitor: %s", manrs_strerror(MANRS_E_NOMEM));
		return NULL;
	}
	h->slack = slack;
	h->cap = qmax;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	pthread_cond_init(&h->idle, NULL);
	/* the thread starts with the first alert: after a privilege drop */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	hook_active = h;
	return h;
}

/* {"text": TEXT} with TEXT escaped as a JSON string. */
static char *
slack_body(const char *t, size_t n)
{
	struct manrs_buf b;
	size_t i;
	char *out;

	manrs_buf_init(&b, 6 * n + 64);
	manrs_buf_printf(&b, "{\"text\":\"");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)t[i];

		if (ch == '"' || ch == '\\')
			manrs_buf_printf(&b, "\\%c", ch);
		else if (ch == '\n')
			manrs_buf_printf(&b, "\\n");
		else if (ch < 0x20)
			manrs_buf_printf(&b, "\\u%04x", ch);
		else
			manrs_buf_put_u8(&b, ch);
	}
	manrs_buf_printf(&b, "\"}");
	manrs_buf_put_u8(&b, 0);
	out = b.err == 0 ? strdup((const char *)b.p) : NULL;
	manrs_buf_clear(&b);
	return out;
}

void
monitor_hook_alert(struct monitor_hook *h, const char *json, size_t jlen,
    const char *text, size_t tlen)
{
	char *body;

	while (jlen > 0 && json[jlen - 1] == '\n')
		jlen--;
	while (tlen > 0 && text[tlen - 1] == '\n')
		tlen--;
	if (!h->started && !h->failed) {
		if (pthread_create(&h->thr, NULL, hook_main, h) != 0) {
			cli_warnx("monitor: --webhook: cannot start the "
			    "sender");
			h->failed = true;
		} else
			h->started = true;
	}
	body = h->slack ? slack_body(text, tlen) : strndup(json, jlen);
	pthread_mutex_lock(&h->mu);
	if (body == NULL || h->n == h->cap || !h->started) {
		h->st.dropped++;
		pthread_mutex_unlock(&h->mu);
		free(body);
		return;
	}
	h->ring[(h->head + h->n) % h->cap] = body;
	h->n++;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

void
monitor_hook_stats(struct monitor_hook *h, struct monitor_hook_stats *st)
{
	pthread_mutex_lock(&h->mu);
	*st = h->st;
	st->queued = h->n;
	pthread_mutex_unlock(&h->mu);
}

void
monitor_hook_metrics(struct manrs_buf *b)
{
	struct monitor_hook_stats st;

	if (hook_active == NULL)
		return;
	monitor_hook_stats(hook_active, &st);
	manrs_buf_printf(b,
	    "# HELP manrs_monitor_webhook_sent_total Alerts POSTed (2xx).\n"
	    "# TYPE manrs_monitor_webhook_sent_total counter\n"
	    "manrs_monitor_webhook_sent_total %llu\n"
	    "# HELP manrs_monitor_webhook_failed_total POSTs that failed.\n"
	    "# TYPE manrs_monitor_webhook_failed_total counter\n"
	    "manrs_monitor_webhook_failed_total %llu\n"
	    "# HELP manrs_monitor_webhook_dropped_total Alerts dropped: "
	    "the queue was full.\n"
	    "# TYPE manrs_monitor_webhook_dropped_total counter\n"
	    "manrs_monitor_webhook_dropped_total %llu\n"
	    "# HELP manrs_monitor_webhook_queued Alerts waiting.\n"
	    "# TYPE manrs_monitor_webhook_queued gauge\n"
	    "manrs_monitor_webhook_queued %llu\n",
	    (unsigned long long)st.sent, (unsigned long long)st.failed,
	    (unsigned long long)st.dropped, (unsigned long long)st.queued);
}

void
monitor_hook_free(struct monitor_hook *h, unsigned drain,
    struct monitor_hook_stats *st)
{
	struct timespec until;
	size_t i;

	if (h == NULL)
		return;
	if (hook_active == h)
		hook_active = NULL;
	if (h->started) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)drain;
		pthread_mutex_lock(&h->mu);
		while ((h->n > 0 || h->busy) &&
		    pthread_cond_timedwait(&h->idle, &h->mu, &until) == 0)
			;
		/* what is still queued is dropped */
		h->st.dropped += h->n;
		for (i = 0; i < h->n; i++)
			free(h->ring[(h->head + i) % h->cap]);
		h->n = 0;
		h->stop = true;
		pthread_cond_signal(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thr, NULL);
	}
	if (st != NULL) {
		*st = h->st;
		st->queued = 0;
	}
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	pthread_cond_destroy(&h->idle);
	free(h->ring);
	free(h->url);
	free(h);
}
