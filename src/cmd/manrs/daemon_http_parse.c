/*
 * daemon_http_parse.c - the verdict on a /metrics request head (RFC 9112
 * section 3: request-line = method SP request-target SP HTTP-version),
 * from bytes alone.  Bounded: nothing is copied or allocated, the head
 * is judged only within max bytes (DAEMON_HTTP_HEADER_MAX in the
 * daemons), and only the request line is looked into.
 */
#include <string.h>

#include "daemon_http_parse.h"

const char *
daemon_http_reason(int status)
{
	switch (status) {
	case DAEMON_HTTP_OK:
		return "OK";
	case DAEMON_HTTP_BAD:
		return "Bad Request";
	case DAEMON_HTTP_NOT_FOUND:
		return "Not Found";
	case DAEMON_HTTP_BAD_METHOD:
		return "Method Not Allowed";
	case DAEMON_HTTP_TOO_LARGE:
		return "Request Header Fields Too Large";
	default:
		return NULL;
	}
}

static int
verdict(struct daemon_http_req *req, int status)
{
	req->status = status;
	return status;
}

/* "GET /metrics HTTP/1.1" (line[0..len), no CR LF). */
static int
request_line(const char *line, size_t len, struct daemon_http_req *req)
{
	const char *sp1, *sp2, *path, *q;
	size_t plen;

	sp1 = memchr(line, ' ', len);
	sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 -
	    line)) : NULL;
	if (sp1 == NULL || sp2 == NULL || len - (size_t)(sp2 + 1 - line) < 8 ||
	    memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return verdict(req, DAEMON_HTTP_BAD);
	req->head = (size_t)(sp1 - line) == 4 && memcmp(line, "HEAD", 4) == 0;
	if (!req->head && ((size_t)(sp1 - line) != 3 ||
	    memcmp(line, "GET", 3) != 0))
		return verdict(req, DAEMON_HTTP_BAD_METHOD);
	path = sp1 + 1;
	plen = (size_t)(sp2 - path);
	if ((q = memchr(path, '?', plen)) != NULL)
		plen = (size_t)(q - path);
	if (!(plen == 8 && memcmp(path, "/metrics", 8) == 0) &&
	    !(plen == 1 && path[0] == '/'))
		return verdict(req, DAEMON_HTTP_NOT_FOUND);
	req->path = path;
	req->path_len = plen;
	return verdict(req, DAEMON_HTTP_OK);
}

int
daemon_http_parse(const char *buf, size_t len, size_t max,
    struct daemon_http_req *req)
{
	const char *end, *eol;
	size_t pos, n;

	memset(req, 0, sizeof(*req));
	if (len == 0)
		return verdict(req, len >= max ? DAEMON_HTTP_TOO_LARGE :
		    DAEMON_HTTP_MORE);
	/* The empty line after the headers: CR LF CR LF, else bare LFs. */
	if ((end = memmem(buf, len, "\r\n\r\n", 4)) != NULL)
		req->head_len = (size_t)(end - buf) + 4;
	else if ((end = memmem(buf, len, "\n\n", 2)) != NULL)
		req->head_len = (size_t)(end - buf) + 2;
	else if (len >= max) {
		req->head_len = len;
		return verdict(req, DAEMON_HTTP_TOO_LARGE);
	} else
		return verdict(req, DAEMON_HTTP_MORE);
	pos = (size_t)(end - buf);
	if (pos > max)
		return verdict(req, DAEMON_HTTP_TOO_LARGE);
	/* The request line: up to the first LF, less one CR. */
	n = pos;
	if ((eol = memchr(buf, '\n', n)) != NULL)
		n = (size_t)(eol - buf);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	req->line_len = n;
	return request_line(buf, n, req);
}
