/*
 * daemon_http_parse.h - the request head of the daemons' /metrics
 * endpoint judged from bytes alone (no socket, no libevent), so that
 * daemon_http.c, the unit check and the fuzzer share one decision:
 * daemon_http.c hands it everything that has arrived so far.
 */
#ifndef MANRS_DAEMON_HTTP_PARSE_H
#define MANRS_DAEMON_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* The verdicts: 0 (wait for more bytes) or the HTTP status to answer. */
#define DAEMON_HTTP_MORE	0
#define DAEMON_HTTP_OK		200	/* GET or HEAD of /metrics or / */
#define DAEMON_HTTP_BAD		400	/* not "METHOD SP TARGET SP HTTP/1.x" */
#define DAEMON_HTTP_NOT_FOUND	404	/* another path */
#define DAEMON_HTTP_BAD_METHOD	405	/* neither GET nor HEAD */
#define DAEMON_HTTP_TOO_LARGE	431	/* head past the limit (RFC 6585) */

struct daemon_http_req {
	int		 status;	/* the verdict, as returned */
	/*
	 * Bytes of the request head judged: the request line, the header
	 * lines and the empty line that ends them; for 431 without that
	 * empty line, all the bytes given.  0 with DAEMON_HTTP_MORE.
	 */
	size_t		 head_len;
	size_t		 line_len;	/* the request line, without CR LF */
	bool		 head;		/* HEAD: a 200 has no body */
	const char	*path;		/* 200: into the buffer, no query */
	size_t		 path_len;
};

/*
 * Judge the request head in buf[0..len) (the bytes received so far; NUL
 * and any other byte allowed; buf may be NULL when len is 0): complete
 * when an empty line ("\r\n\r\n", else "\n\n") has arrived within max
 * bytes; 431 when it arrives later or len reaches max without it.  Only
 * the request line is read; header lines are bounded, not interpreted
 * (one request per connection, no body).  Returns the verdict, also in
 * req->status.
 */
int	daemon_http_parse(const char *buf, size_t len, size_t max,
	    struct daemon_http_req *req);
/* "OK", "Bad Request" ... for a verdict (NULL for DAEMON_HTTP_MORE). */
const char *daemon_http_reason(int status);

#endif /* MANRS_DAEMON_HTTP_PARSE_H */
