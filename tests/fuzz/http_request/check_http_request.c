/*
 * check_http_request.c - the verdicts of the /metrics request-head reader
 * (src/cmd/manrs/daemon_http_parse.c) on a table of requests, each with
 * the status, head length and method the daemons answered before the
 * reader was split out of daemon_http.c (checked against rtrd then).
 *
 * usage: check_http_request		run the table (exit 1 on a mismatch)
 *	  check_http_request --write DIR
 *		write the cases judged with the daemons' limit as seed files
 *		DIR/NAME and print "NAME STATUS" for each
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_http_parse.h"
#include "daemon_int.h"

#define BIG	(DAEMON_HTTP_HEADER_MAX + 2048)

struct hcase {
	const char	*name;
	const char	*req;		/* NULL: built by big() */
	size_t		 len;		/* 0: strlen(req) */
	size_t		 max;		/* 0: DAEMON_HTTP_HEADER_MAX */
	int		 status;
	long		 head_len;	/* -1: the whole input */
	int		 head;
};

#define S(s)	s, sizeof(s) - 1

static const struct hcase cases[] = {
	{ "get-metrics-http11", S("GET /metrics HTTP/1.1\r\nHost: "
	    "127.0.0.1:9100\r\nUser-Agent: Prometheus/2.45.0\r\nAccept: "
	    "text/plain;version=0.0.4;q=1,*/*;q=0.1\r\nAccept-Encoding: "
	    "gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n"),
	    0, 200, -1, 0 },
	{ "head-metrics", S("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), 0,
	    200, -1, 1 },
	{ "get-root-http10", S("GET / HTTP/1.0\r\n\r\n"), 0, 200, -1, 0 },
	{ "get-metrics-query", S("GET /metrics?name[]=up HTTP/1.1\r\n\r\n"),
	    0, 200, -1, 0 },
	{ "get-metrics-lf", S("GET /metrics HTTP/1.1\nHost: x\n\n"), 0, 200,
	    -1, 0 },
	{ "curl", S("GET /metrics HTTP/1.1\r\nHost: [::1]:9100\r\n"
	    "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"), 0, 200, -1, 0 },
	{ "version-trailer", S("GET /metrics HTTP/1.1 extra\r\n\r\n"), 0, 200,
	    -1, 0 },
	{ "extra-cr", S("GET /metrics HTTP/1.1\r\r\n\r\n"), 0, 200, -1, 0 },
	{ "nul-in-header", S("GET /metrics HTTP/1.1\r\nX-A: \0b\r\n\r\n"), 0,
	    200, -1, 0 },
	{ "lflf-then-crlfcrlf", S("GET /metrics HTTP/1.1\n\nX\r\n\r\n"), 0, 200,
	    -1, 0 },
	{ "pipelined", S("GET / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\n"), 0,
	    200, 18, 0 },
	{ "partial-line", S("GET /metr"), 0, 0, 0, 0 },
	{ "partial-headers", S("GET /metrics HTTP/1.1\r\nHost: x\r\n"), 0, 0, 0,
	    0 },
	{ "post", S("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), 0,
	    405, -1, 0 },
	{ "lowercase-get", S("get /metrics HTTP/1.1\r\n\r\n"), 0, 405, -1, 0 },
	{ "connect", S("CONNECT 127.0.0.1:22 HTTP/1.1\r\n\r\n"), 0, 405, -1,
	    0 },
	{ "head-prefix", S("HEADER /metrics HTTP/1.1\r\n\r\n"), 0, 405, -1,
	    0 },
	{ "get-prefix", S("GETS /metrics HTTP/1.1\r\n\r\n"), 0, 405, -1, 0 },
	{ "not-found", S("GET /nope HTTP/1.1\r\n\r\n"), 0, 404, -1, 0 },
	{ "metrics-slash", S("GET /metrics/ HTTP/1.1\r\n\r\n"), 0, 404, -1, 0 },
	{ "nul-in-path", S("GET /met\0rics HTTP/1.1\r\n\r\n"), 0, 404, -1, 0 },
	{ "head-not-found", S("HEAD /x HTTP/1.1\r\n\r\n"), 0, 404, -1, 1 },
	{ "absolute-form", S("GET http://x/metrics HTTP/1.1\r\n\r\n"), 0, 404,
	    -1, 0 },
	{ "http2", S("GET /metrics HTTP/2.0\r\n\r\n"), 0, 400, -1, 0 },
	{ "http2-preface", S("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 0, 400, 18,
	    0 },
	{ "http09", S("GET /metrics\r\n\r\n"), 0, 400, -1, 0 },
	{ "version-short", S("GET /metrics HTTP/1.\r\n\r\n"), 0, 400, -1, 0 },
	{ "double-space", S("GET  /metrics HTTP/1.1\r\n\r\n"), 0, 400, -1, 0 },
	{ "tab", S("GET\t/metrics HTTP/1.1\r\n\r\n"), 0, 400, -1, 0 },
	{ "empty-head", S("\r\n\r\n"), 0, 400, -1, 0 },
	{ "leading-lines", S("\n\nGET /metrics HTTP/1.1\r\n\r\n"), 0, 400, -1,
	    0 },
	{ "tls-hello", S("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n"),
	    0, 400, -1, 0 },
	/* Past the limit: no empty line within it, or one after it. */
	{ "oversize-headers", NULL, DAEMON_HTTP_HEADER_MAX, 0, 431, -1, 0 },
	{ "at-limit", NULL, DAEMON_HTTP_HEADER_MAX + 4, 0, 200, -1, 0 },
	{ "past-limit", NULL, DAEMON_HTTP_HEADER_MAX + 5, 0, 431, -1, 0 },
	{ "below-limit-partial", NULL, DAEMON_HTTP_HEADER_MAX - 1, 0, 0, 0,
	    0 },
	{ "small-limit", S("GET /metrics HTTP/1.1\r\n\r\n"), 16, 431, -1, 0 },
	{ "small-limit-partial", S("GET /metrics HTTP/1.1\r\n"), 16, 431, -1,
	    0 },
	{ "empty", "", 0, 0, 0, 0, 0 },
};

/*
 * "GET /metrics HTTP/1.1\r\n" and 1000-byte header lines "X-Filler:
 * aaa...\r\n" up to len bytes; the last 4 are "\r\n\r\n" when len is
 * past the limit.
 */
static char *
big(size_t len)
{
	static const char line[] = "GET /metrics HTTP/1.1\r\n";
	static const char name[] = "X-Filler: ";
	char *p;
	size_t i, j;

	if ((p = malloc(BIG)) == NULL || len > BIG)
		abort();
	memcpy(p, line, sizeof(line) - 1);
	for (i = sizeof(line) - 1; i < len; i++) {
		j = (i - sizeof(line) + 1) % 1000;
		p[i] = j < sizeof(name) - 1 ? name[j] : j == 998 ? '\r' :
		    j == 999 ? '\n' : 'a';
	}
	if (len > DAEMON_HTTP_HEADER_MAX)
		memcpy(p + len - 4, "\r\n\r\n", 4);
	return p;
}

int
main(int argc, char **argv)
{
	struct daemon_http_req r;
	const struct hcase *c;
	char path[4096], *buf;
	size_t i, len, max, want_head;
	int v, fails = 0;
	FILE *fp;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = &cases[i];
		len = c->req != NULL && c->len == 0 ? strlen(c->req) : c->len;
		max = c->max != 0 ? c->max : DAEMON_HTTP_HEADER_MAX;
		buf = c->req != NULL ? (char *)(uintptr_t)c->req : big(len);
		if (argc == 3 && strcmp(argv[1], "--write") == 0) {
			if (max == DAEMON_HTTP_HEADER_MAX && len > 0) {
				snprintf(path, sizeof(path), "%s/%s", argv[2],
				    c->name);
				if ((fp = fopen(path, "wb")) == NULL ||
				    fwrite(buf, 1, len, fp) != len ||
				    fclose(fp) != 0) {
					perror(path);
					return 1;
				}
				printf("%s %d %zu\n", c->name, c->status,
				    len);
			}
		} else {
			v = daemon_http_parse(len > 0 ? buf : NULL, len, max,
			    &r);
			want_head = c->head_len < 0 ? len :
			    (size_t)c->head_len;
			if (v != c->status || r.status != v ||
			    r.head_len != want_head ||
			    (v == DAEMON_HTTP_OK && r.head != (c->head != 0)) ||
			    (c->head && v != DAEMON_HTTP_MORE && !r.head)) {
				fprintf(stderr, "%s: verdict %d head_len %zu "
				    "head %d, want %d %zu %d\n", c->name, v,
				    r.head_len, r.head, c->status, want_head,
				    c->head);
				fails++;
			}
		}
		if (c->req == NULL)
			free(buf);
	}
	if (fails == 0 && argc == 1)
		printf("%zu cases\n", i);
	return fails != 0;
}
