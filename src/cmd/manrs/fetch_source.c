/*
 * fetch_source.c - URL data sources of the daemons (see
 * fetch_source.h).  The worker thread writes a source's buffers and
 * counters; the main thread reads only the counters (atomics) for
 * /metrics.  A body stays in memory while it is served data's origin,
 * so a reload caused by something else (SIGHUP, another source) reparses
 * it without a transfer.
 */
#include <errno.h>
#include <syslog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "daemon.h"
#include "fetch_source.h"

bool
fetch_is_url(const char *arg)
{
	return strncmp(arg, "http://", 7) == 0 ||
	    strncmp(arg, "https://", 8) == 0;
}

void
fetch_source_init(struct fetch_source *fs, const char *name,
    const char *url)
{
	memset(fs, 0, sizeof(*fs));
	strlcpy(fs->name, name, sizeof(fs->name));
	fs->url = url;
	manrs_buf_init(&fs->body, FETCH_SOURCE_BYTES_MAX);
	manrs_buf_init(&fs->fresh, FETCH_SOURCE_BYTES_MAX);
}

void
fetch_source_clear(struct fetch_source *fs)
{
	manrs_buf_clear(&fs->body);
	manrs_buf_clear(&fs->fresh);
}

void
fetch_daemon_opts(struct fetch_opts *o)
{
	fetch_opts_init(o);
	o->jobs = 1;
	o->per_host = 1;
	o->retries = 2;
	o->user_agent = "manrs-daemon";
}

int
fetch_source_refresh(struct fetch_source *fs, const struct fetch_opts *o)
{
	struct fetch_item it;

	memset(&it, 0, sizeof(it));
	it.url = fs->url;
	manrs_buf_reset(&fs->fresh);
	fs->fresh.err = 0;
	it.mem = &fs->fresh;
	fs->have_fresh = false;
	/* Conditional only when there is a loaded body to fall back on. */
	if (fs->have_body) {
		it.etag = fs->etag[0] != '\0' ? fs->etag : NULL;
		it.mtime = fs->last_modified;
	}
	if (fetch_run(&it, 1, o) < 0 && it.error[0] == '\0')
		snprintf(it.error, sizeof(it.error), "%s: cannot start",
		    fs->url);
	switch (it.status) {
	case FETCH_NOT_MODIFIED:
		__atomic_add_fetch(&fs->n_not_modified, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&fs->last_success, (int64_t)time(NULL),
		    __ATOMIC_RELAXED);
		return 0;
	case FETCH_OK:
		if (it.size == 0) {
			snprintf(fs->error, sizeof(fs->error),
			    "%s: empty body", fs->url);
			break;
		}
		strlcpy(fs->fresh_etag, it.etag_out, sizeof(fs->fresh_etag));
		fs->fresh_lm = it.last_modified;
		fs->have_fresh = true;
		__atomic_add_fetch(&fs->n_ok, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&fs->last_success, (int64_t)time(NULL),
		    __ATOMIC_RELAXED);
		return 1;
	default:
		strlcpy(fs->error, it.error, sizeof(fs->error));
		break;
	}
	__atomic_add_fetch(&fs->n_failed, 1, __ATOMIC_RELAXED);
	manrs_buf_reset(&fs->fresh);
	return -1;
}

const struct manrs_buf *
fetch_source_data(const struct fetch_source *fs)
{
	return fs->have_fresh ? &fs->fresh : &fs->body;
}

void
fetch_source_commit(struct fetch_source *fs)
{
	struct manrs_buf t;

	if (!fs->have_fresh)
		return;
	t = fs->body;
	fs->body = fs->fresh;
	fs->fresh = t;
	manrs_buf_reset(&fs->fresh);
	strlcpy(fs->etag, fs->fresh_etag, sizeof(fs->etag));
	fs->last_modified = fs->fresh_lm;
	fs->have_body = true;
	fs->have_fresh = false;
}

void
fetch_source_discard(struct fetch_source *fs)
{
	if (!fs->have_fresh)
		return;
	manrs_buf_reset(&fs->fresh);
	fs->have_fresh = false;
	__atomic_add_fetch(&fs->n_refused, 1, __ATOMIC_RELAXED);
}

void
fetch_source_metrics(struct fetch_source *const *v, size_t n,
    const char *prefix, struct manrs_buf *out)
{
	static const char *const results[] = {
		"ok", "not_modified", "failed", "refused",
	};
	char name[128];
	size_t i, r;

	if (n == 0)
		return;
	snprintf(name, sizeof(name), "%s_fetch_total", prefix);
	daemon_metric_head(out, name, "counter",
	    "URL source fetches by result (not_modified: 304; refused: "
	    "fetched but not loaded)");
	for (i = 0; i < n; i++) {
		const uint64_t c[] = {
			__atomic_load_n(&v[i]->n_ok, __ATOMIC_RELAXED),
			__atomic_load_n(&v[i]->n_not_modified,
			    __ATOMIC_RELAXED),
			__atomic_load_n(&v[i]->n_failed, __ATOMIC_RELAXED),
			__atomic_load_n(&v[i]->n_refused, __ATOMIC_RELAXED),
		};

		for (r = 0; r < 4; r++)
			manrs_buf_printf(out,
			    "%s{source=\"%s\",result=\"%s\"} %llu\n", name,
			    v[i]->name, results[r], (unsigned long long)c[r]);
	}
	snprintf(name, sizeof(name), "%s_fetch_last_success_timestamp_seconds",
	    prefix);
	daemon_metric_head(out, name, "gauge",
	    "when a URL source last answered 200 or 304");
	for (i = 0; i < n; i++)
		manrs_buf_printf(out, "%s{source=\"%s\"} %lld\n", name,
		    v[i]->name, (long long)__atomic_load_n(
		    &v[i]->last_success, __ATOMIC_RELAXED));
}

int
fetch_parse_duration(const char *arg, unsigned *out)
{
	char *end;
	unsigned long v, mul = 1;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || arg[0] == '-')
		return -1;
	switch (*end) {
	case '\0': case 's': break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	default: return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v == 0 || v > 365ul * 86400 / mul)
		return -1;
	*out = (unsigned)(v * mul);
	return 0;
}

struct fetch_refresh {
	struct daemon	*d;
	struct event	*ev;
};

static void
refresh_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch_refresh *r = arg;

	(void)fd;
	(void)what;
	daemon_reload(r->d, "refresh");
}

struct fetch_refresh *
fetch_refresh_start(struct daemon *d, unsigned secs)
{
	struct fetch_refresh *r;
	struct timeval tv = { (time_t)secs, 0 };

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->d = d;
	if ((r->ev = event_new(daemon_base(d), -1, EV_PERSIST, refresh_cb,
	    r)) == NULL || event_add(r->ev, &tv) != 0) {
		fetch_refresh_free(r);
		return NULL;
	}
	return r;
}

void
fetch_refresh_free(struct fetch_refresh *r)
{
	if (r == NULL)
		return;
	if (r->ev != NULL)
		event_free(r->ev);
	free(r);
}

struct fetch_source *
fetch_set_add(struct fetch_set *fs, const char *url)
{
	struct fetch_source *src;
	char label[FETCH_SOURCE_NAME_MAX], *p;

	if ((src = fetch_set_find(fs, url)) != NULL)
		return src;
	if (fs->n == FETCH_SET_MAX) {
		fprintf(stderr, "manrs: more than %d URL sources\n",
		    FETCH_SET_MAX);
		return NULL;
	}
	if (!fs->inited) {
		if (fetch_global_init() != 0) {
			fprintf(stderr, "manrs: libcurl: cannot initialise\n");
			return NULL;
		}
		fetch_daemon_opts(&fs->o);
		fs->inited = true;
	}
	/* The label: the URL without scheme, quotes or backslashes. */
	strlcpy(label, strstr(url, "://") != NULL ? strstr(url, "://") + 3 :
	    url, sizeof(label));
	for (p = label; *p != '\0'; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = '_';
	if ((fs->url[fs->n] = strdup(url)) == NULL) {
		fprintf(stderr, "manrs: out of memory\n");
		return NULL;
	}
	src = &fs->src[fs->n];
	fetch_source_init(src, label, fs->url[fs->n]);
	fs->n++;
	return src;
}

struct fetch_source *
fetch_set_find(struct fetch_set *fs, const char *url)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->src[i].url, url) == 0)
			return &fs->src[i];
	return NULL;
}

int
fetch_set_refresh(struct fetch_set *fs,
    void (*say)(int prio, const char *fmt, ...))
{
	size_t i;
	int fresh = 0, rc;

	fs->o.cacert = fs->cacert;
	for (i = 0; i < fs->n; i++) {
		struct fetch_source *src = &fs->src[i];

		rc = fetch_source_refresh(src, &fs->o);
		if (rc > 0) {
			fresh++;
			say(LOG_INFO, "fetched %s: %zu bytes", src->url,
			    src->fresh.len);
		} else if (rc == 0)
			say(LOG_INFO, "%s: not modified", src->url);
		else if (src->have_body)
			say(LOG_WARNING, "fetch failed: %s; keeping the last "
			    "good data", src->error);
		else {
			say(LOG_ERR, "fetch failed: %s; nothing to serve from "
			    "it yet", src->error);
			return -1;
		}
	}
	return fresh;
}

void
fetch_set_done(struct fetch_set *fs, bool loaded)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (loaded)
			fetch_source_commit(&fs->src[i]);
		else
			fetch_source_discard(&fs->src[i]);
	}
}

void
fetch_set_metrics(struct fetch_set *fs, const char *prefix,
    struct manrs_buf *out)
{
	struct fetch_source *v[FETCH_SET_MAX];
	size_t i;

	for (i = 0; i < fs->n; i++)
		v[i] = &fs->src[i];
	fetch_source_metrics(v, fs->n, prefix, out);
}

void
fetch_set_clear(struct fetch_set *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		fetch_source_clear(&fs->src[i]);
		free(fs->url[i]);
	}
	fs->n = 0;
	if (fs->inited)
		fetch_global_cleanup();
	fs->inited = false;
}
