/*
 * fetch.c - HTTP(S) fetcher on libcurl's multi interface (see fetch.h).
 *
 * Invariants: at most o->jobs easy handles are in the multi handle; an
 * item is retried only for transient failures and only o->retries
 * times; a body is written to the item's file only after the response
 * code is known (200: from byte 0, 206: at the resume offset, after the
 * Content-Range start was checked against it); an item is OK only when
 * the bytes on disk equal what the server declared (Content-Length, or
 * the Content-Range total).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"

#define FETCH_BACKOFF_MAX_MS	30000
#define FETCH_TICK_MS		200

struct xfer {
	struct fetch_item	*it;
	CURL			*h;
	struct curl_slist	*hdrs;
	int			 fd;
	char			 errbuf[CURL_ERROR_SIZE];
	uint64_t		 offset;	/* resumed from */
	uint64_t		 written;	/* this attempt's */
	int64_t			 clen;		/* -1: none */
	int64_t			 range_start;	/* -1: none */
	int64_t			 range_total;
	bool			 body_started;
	bool			 bad_range;
	bool			 write_failed;
	bool			 running;
	bool			 waiting;	/* a retry is scheduled */
	int64_t			 not_before;	/* ms, monotonic */
	/* The validator of the response a resume continues. */
	char			 validator[FETCH_ETAG_MAX];
	char			 resp_etag[FETCH_ETAG_MAX];
	int64_t			 resp_lm;
	curl_off_t		 dlnow, dltotal;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
fetch_opts_init(struct fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->jobs = 4;
	o->per_host = 2;
	o->retries = 3;
	o->backoff_ms = 1000;
	o->connect_timeout = 30;
	o->low_speed_limit = 1024;
	o->low_speed_time = 60;
	o->max_time = 0;
	o->user_agent = "manrs-sync";
}

int
fetch_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

uint64_t
fetch_item_now(const struct fetch_item *it)
{
	const struct xfer *x = it->priv;

	if (x == NULL)
		return it->size;
	return x->offset + (uint64_t)(x->dlnow > 0 ? x->dlnow : 0);
}

uint64_t
fetch_item_total(const struct fetch_item *it)
{
	const struct xfer *x = it->priv;

	if (x == NULL || x->dltotal <= 0)
		return it->size;
	return x->offset + (uint64_t)x->dltotal;
}

bool
fetch_item_running(const struct fetch_item *it)
{
	const struct xfer *x = it->priv;

	return x != NULL && x->running;
}

/* Value of header line "Name: value" when it is name, trimmed; or NULL. */
static const char *
header_value(const char *line, size_t len, const char *name, size_t *vlen)
{
	size_t n = strlen(name);
	const char *v, *end = line + len;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	v = line + n + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*vlen = (size_t)(end - v);
	return v;
}

static int64_t
parse_i64(const char *p, size_t len)
{
	int64_t v = 0;
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static size_t
on_header(char *buf, size_t size, size_t nitems, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * nitems, vlen;
	const char *v;
	char tmp[128];

	if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or 100): forget. */
		x->clen = -1;
		x->range_start = x->range_total = -1;
		x->resp_etag[0] = '\0';
		x->resp_lm = 0;
		return len;
	}
	if ((v = header_value(buf, len, "content-length", &vlen)) != NULL)
		x->clen = parse_i64(v, vlen);
	else if ((v = header_value(buf, len, "etag", &vlen)) != NULL) {
		if (vlen < sizeof(x->resp_etag)) {
			memcpy(x->resp_etag, v, vlen);
			x->resp_etag[vlen] = '\0';
		}
	} else if ((v = header_value(buf, len, "last-modified", &vlen)) !=
	    NULL) {
		if (vlen < sizeof(tmp)) {
			memcpy(tmp, v, vlen);
			tmp[vlen] = '\0';
			x->resp_lm = (int64_t)curl_getdate(tmp, NULL);
			if (x->resp_lm < 0)
				x->resp_lm = 0;
		}
	} else if ((v = header_value(buf, len, "content-range", &vlen)) !=
	    NULL) {
		/* "bytes START-END/TOTAL" (RFC 9110 section 14.4) */
		if (vlen > 6 && strncasecmp(v, "bytes ", 6) == 0) {
			const char *s = v + 6, *e = v + vlen, *dash, *slash;

			for (dash = s; dash < e && *dash != '-'; dash++)
				;
			for (slash = dash; slash < e && *slash != '/'; slash++)
				;
			if (dash < e && slash < e) {
				x->range_start = parse_i64(s,
				    (size_t)(dash - s));
				x->range_total = parse_i64(slash + 1,
				    (size_t)(e - slash - 1));
			}
		}
	}
	return len;
}

/* The If-Range validator of the response being received ("" none). */
static void
make_validator(const struct xfer *x, char *out, size_t size)
{
	out[0] = '\0';
	if (x->resp_etag[0] != '\0' && x->resp_etag[0] != 'W')
		strlcpy(out, x->resp_etag, size);
	else if (x->resp_lm > 0) {
		struct tm tm;
		time_t lm = (time_t)x->resp_lm;

		gmtime_r(&lm, &tm);
		strftime(out, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	}
}

/* Remember what a partial body is part of, for a later run. */
static void
meta_write(const struct xfer *x)
{
	char tmp[4096 + 8], v[FETCH_ETAG_MAX];
	FILE *fp;

	make_validator(x, v, sizeof(v));
	if (v[0] == '\0') {
		unlink(x->it->resume_meta);
		return;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.new", x->it->resume_meta) >=
	    (int)sizeof(tmp) || (fp = fopen(tmp, "w")) == NULL)
		return;
	fprintf(fp, "%s\n%s\n", x->it->url, v);
	if (fclose(fp) != 0 || rename(tmp, x->it->resume_meta) != 0)
		unlink(tmp);
}

/* A partial body a previous run left: resume it (offset, validator). */
static void
meta_read(struct xfer *x)
{
	const struct fetch_item *it = x->it;
	char url[8192], v[FETCH_ETAG_MAX + 2];
	struct stat st;
	size_t l;
	FILE *fp;

	if ((fp = fopen(it->resume_meta, "r")) == NULL)
		return;
	if (fgets(url, sizeof(url), fp) != NULL &&
	    fgets(v, sizeof(v), fp) != NULL) {
		url[strcspn(url, "\n")] = '\0';
		if ((l = strcspn(v, "\n")) > 0 && v[l] == '\n' &&
		    strcmp(url, it->url) == 0 && stat(it->path, &st) == 0 &&
		    S_ISREG(st.st_mode) && st.st_size > 0) {
			v[l] = '\0';
			strlcpy(x->validator, v, sizeof(x->validator));
			x->offset = (uint64_t)st.st_size;
		}
	}
	fclose(fp);
}

static size_t
on_body(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * nmemb, off = 0;
	long code = 0;
	ssize_t w;

	if (!x->body_started) {
		x->body_started = true;
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
		if (code == 206 && x->offset > 0) {
			if (x->range_start != (int64_t)x->offset) {
				x->bad_range = true;
				return 0;
			}
			if (x->it->mem != NULL) {
				if (x->it->mem->len < x->offset) {
					x->bad_range = true;
					return 0;
				}
				x->it->mem->len = (size_t)x->offset;
			} else if (lseek(x->fd, (off_t)x->offset, SEEK_SET) < 0)
				goto fail;
		} else {
			/* The whole body: start over from byte 0. */
			x->offset = 0;
			if (x->it->mem != NULL)
				manrs_buf_reset(x->it->mem);
			else if (ftruncate(x->fd, 0) != 0 ||
			    lseek(x->fd, 0, SEEK_SET) < 0)
				goto fail;
		}
	}
	if (x->written == 0 && x->it->resume_meta != NULL &&
	    x->it->mem == NULL && x->offset == 0)
		meta_write(x);
	if (x->it->mem != NULL) {
		if (manrs_buf_put(x->it->mem, buf, len) != 0) {
			errno = EFBIG;
			goto fail;
		}
		x->written += len;
		return len;
	}
	while (off < len) {
		w = write(x->fd, buf + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	x->written += len;
	return len;
fail:
	x->write_failed = true;
	return 0;
}

static int
on_xferinfo(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = arg;

	(void)ultotal;
	(void)ulnow;
	x->dltotal = dltotal;
	x->dlnow = dlnow;
	return 0;
}

/* Set up and add one attempt of x.  0, or -1 with the item's error set. */
static int
start(CURLM *multi, struct xfer *x, const struct fetch_opts *o)
{
	struct fetch_item *it = x->it;
	char hdr[FETCH_ETAG_MAX + 32];
	int i;

	if (it->attempts == 0 && it->mem == NULL && it->resume_meta != NULL)
		meta_read(x);
	x->written = 0;
	x->clen = x->range_start = x->range_total = -1;
	x->body_started = x->bad_range = x->write_failed = false;
	x->resp_etag[0] = '\0';
	x->resp_lm = 0;
	x->dlnow = x->dltotal = 0;
	x->errbuf[0] = '\0';
	if (it->mem != NULL) {
		if (x->offset == 0)
			manrs_buf_reset(it->mem);
		it->mem->err = 0;
	} else if (x->fd < 0 && (x->fd = open(it->path, O_WRONLY | O_CREAT |
	    O_CLOEXEC, 0644)) < 0) {
		snprintf(it->error, sizeof(it->error), "%s: %s", it->path,
		    strerror(errno));
		return -1;
	}
	if (it->mem == NULL && x->offset == 0 && ftruncate(x->fd, 0) != 0) {
		snprintf(it->error, sizeof(it->error), "%s: %s", it->path,
		    strerror(errno));
		return -1;
	}
	if (x->h == NULL && (x->h = curl_easy_init()) == NULL) {
		snprintf(it->error, sizeof(it->error), "out of memory");
		return -1;
	}
	curl_easy_reset(x->h);
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	curl_easy_setopt(x->h, CURLOPT_URL, it->url);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(x->h, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
	curl_easy_setopt(x->h, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(x->h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->h, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(x->h, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(x->h, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
	curl_easy_setopt(x->h, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
	if (o->max_time > 0)
		curl_easy_setopt(x->h, CURLOPT_TIMEOUT, o->max_time);
	if (o->cacert != NULL)
		curl_easy_setopt(x->h, CURLOPT_CAINFO, o->cacert);
	if (o->user_agent != NULL)
		curl_easy_setopt(x->h, CURLOPT_USERAGENT, o->user_agent);
	if (x->offset > 0) {
		/* Resume: the rest, only if it is still the same file. */
		curl_easy_setopt(x->h, CURLOPT_RESUME_FROM_LARGE,
		    (curl_off_t)x->offset);
		snprintf(hdr, sizeof(hdr), "If-Range: %s", x->validator);
		x->hdrs = curl_slist_append(x->hdrs, hdr);
	} else {
		if (it->etag != NULL && it->etag[0] != '\0') {
			snprintf(hdr, sizeof(hdr), "If-None-Match: %s",
			    it->etag);
			x->hdrs = curl_slist_append(x->hdrs, hdr);
		}
		if (it->mtime > 0) {
			curl_easy_setopt(x->h, CURLOPT_TIMECONDITION,
			    (long)CURL_TIMECOND_IFMODSINCE);
			curl_easy_setopt(x->h, CURLOPT_TIMEVALUE_LARGE,
			    (curl_off_t)it->mtime);
		}
	}
	for (i = 0; i < FETCH_HEADERS_MAX && it->headers[i] != NULL; i++)
		x->hdrs = curl_slist_append(x->hdrs, it->headers[i]);
	if (x->hdrs != NULL)
		curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
	if (curl_multi_add_handle(multi, x->h) != CURLM_OK) {
		snprintf(it->error, sizeof(it->error), "cannot start transfer");
		return -1;
	}
	it->attempts++;
	x->running = true;
	x->waiting = false;
	return 0;
}

static bool
transient_code(long code)
{
	return code == 408 || code == 429 || code >= 500;
}

static bool
transient_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

/*
 * One attempt of x ended with rc: decide OK / not modified / retry /
 * failed.  Returns true when the item is final.
 */
static bool
finish(struct xfer *x, CURLcode rc, const struct fetch_opts *o)
{
	struct fetch_item *it = x->it;
	uint64_t have = x->offset + x->written;
	long code = 0;
	bool retry = false;
	int64_t delay;
	int shift;

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
	it->http_code = code;
	x->running = false;
	if (rc == CURLE_OK && code == 304) {
		it->status = FETCH_NOT_MODIFIED;
		if (it->resume_meta != NULL)
			unlink(it->resume_meta);
		return true;
	}
	if (rc == CURLE_OK && (code == 200 || code == 206 || code == 0)) {
		if (code == 206 && (x->range_total < 0 ||
		    (uint64_t)x->range_total != have)) {
			snprintf(it->error, sizeof(it->error),
			    "%s: %llu bytes, Content-Range total %lld", it->url,
			    (unsigned long long)have,
			    (long long)x->range_total);
			retry = true;
		} else if (x->clen >= 0 && (uint64_t)x->clen != x->written) {
			snprintf(it->error, sizeof(it->error),
			    "%s: %llu bytes, Content-Length %lld", it->url,
			    (unsigned long long)x->written,
			    (long long)x->clen);
			retry = true;
		} else {
			it->status = FETCH_OK;
			it->size = have;
			if (it->resume_meta != NULL)
				unlink(it->resume_meta);
			it->resumed = x->offset > 0;
			strlcpy(it->etag_out, x->resp_etag,
			    sizeof(it->etag_out));
			it->last_modified = x->resp_lm;
			return true;
		}
	} else if (x->bad_range) {
		snprintf(it->error, sizeof(it->error),
		    "%s: resumed at %llu, the server sent from %lld", it->url,
		    (unsigned long long)x->offset, (long long)x->range_start);
		x->offset = 0;
		retry = true;
	} else if (x->write_failed) {
		snprintf(it->error, sizeof(it->error), "%s: write: %s",
		    it->path != NULL ? it->path : it->url,
		    it->mem != NULL ? "larger than the memory limit" :
		    strerror(errno));
	} else if (rc == CURLE_HTTP_RETURNED_ERROR) {
		snprintf(it->error, sizeof(it->error), "%s: HTTP %ld", it->url,
		    code);
		if (code == 416)
			x->offset = 0;	/* our partial is stale */
		retry = transient_code(code) || code == 416;
	} else {
		snprintf(it->error, sizeof(it->error), "%s: %s", it->url,
		    x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(rc));
		retry = transient_curl(rc);
	}
	if (!retry || it->attempts > o->retries) {
		it->status = FETCH_FAILED;
		return true;
	}
	/* Resume what we have when the server named the version. */
	if (x->written > 0 && (code == 200 || code == 206) &&
	    (x->resp_etag[0] != '\0' || x->resp_lm > 0)) {
		if (code == 200)
			make_validator(x, x->validator, sizeof(x->validator));
		x->offset = x->validator[0] != '\0' ? have : 0;
	} else if (x->written > 0 || x->bad_range || code == 416)
		x->offset = 0;
	/* else: nothing came this time; a resume stays a resume. */
	shift = it->attempts - 1 < 10 ? it->attempts - 1 : 10;
	delay = o->backoff_ms << shift;
	if (delay > FETCH_BACKOFF_MAX_MS)
		delay = FETCH_BACKOFF_MAX_MS;
	x->waiting = true;
	x->not_before = now_ms() + delay;
	return false;
}

int
fetch_run(struct fetch_item *items, size_t n, const struct fetch_opts *o)
{
	struct xfer *xs;
	CURLM *multi;
	CURLMsg *msg;
	size_t i, finished = 0;
	int running = 0, still, failed = 0, left;
	int64_t last_tick = 0, t, wait;

	if (n == 0)
		return 0;
	if ((xs = calloc(n, sizeof(*xs))) == NULL)
		return -1;
	if ((multi = curl_multi_init()) == NULL) {
		free(xs);
		return -1;
	}
	curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)o->jobs);
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)o->per_host);
	curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	for (i = 0; i < n; i++) {
		xs[i].it = &items[i];
		xs[i].fd = -1;
		items[i].priv = &xs[i];
		items[i].status = FETCH_PENDING;
		items[i].attempts = 0;
		items[i].error[0] = '\0';
		items[i].etag_out[0] = '\0';
		items[i].size = 0;
	}
	while (finished < n) {
		t = now_ms();
		/* Start what may start: new items, then due retries. */
		for (i = 0; i < n && running < o->jobs; i++) {
			struct xfer *x = &xs[i];

			if (x->running || x->it->status != FETCH_PENDING)
				continue;
			if (x->waiting ? x->not_before > t :
			    x->it->attempts > 0)
				continue;
			if (start(multi, x, o) != 0) {
				x->it->status = FETCH_FAILED;
				finished++;
				failed++;
				if (o->done != NULL)
					o->done(o->arg, x->it);
				continue;
			}
			running++;
		}
		curl_multi_perform(multi, &still);
		while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
			struct xfer *x = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			curl_multi_remove_handle(multi, msg->easy_handle);
			running--;
			if (!finish(x, msg->data.result, o))
				continue;
			finished++;
			if (x->it->status == FETCH_FAILED)
				failed++;
			if (x->fd >= 0) {
				if (x->it->status == FETCH_OK &&
				    fsync(x->fd) != 0) {
					snprintf(x->it->error,
					    sizeof(x->it->error), "%s: %s",
					    x->it->path, strerror(errno));
					x->it->status = FETCH_FAILED;
					failed++;
				}
				close(x->fd);
				x->fd = -1;
			}
			if (o->done != NULL)
				o->done(o->arg, x->it);
		}
		if (finished == n)
			break;
		t = now_ms();
		if (o->progress != NULL && t - last_tick >= FETCH_TICK_MS) {
			o->progress(o->arg, items, n);
			last_tick = t;
		}
		wait = FETCH_TICK_MS;
		if (running == 0) {
			/* Only retries are waiting: sleep until the first. */
			for (i = 0; i < n; i++)
				if (xs[i].waiting &&
				    items[i].status == FETCH_PENDING &&
				    xs[i].not_before - t < wait)
					wait = xs[i].not_before - t;
			if (wait < 1)
				wait = 1;
		}
		curl_multi_poll(multi, NULL, 0, (int)wait, NULL);
	}
	for (i = 0; i < n; i++) {
		if (xs[i].h != NULL)
			curl_easy_cleanup(xs[i].h);
		curl_slist_free_all(xs[i].hdrs);
		if (xs[i].fd >= 0)
			close(xs[i].fd);
		items[i].priv = NULL;
	}
	curl_multi_cleanup(multi);
	free(xs);
	return failed;
}
