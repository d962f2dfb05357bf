/*
 * fuzz_http_request.c - the request-head reader of the daemons' /metrics
 * endpoint (src/cmd/manrs/daemon_http_parse.c), with the daemons' limit
 * and with a small one (to reach 431 on short inputs).  Checked on every
 * input, else abort():
 * - the verdict is one of 0, 200, 400, 404, 405, 431 and has a reason;
 * - the head judged lies within the input, and within the limit (plus
 *   its empty line) unless the verdict is 431; it ends with the empty
 *   line ("\r\n\r\n" or "\n\n") unless 431 came without one;
 * - 0 only when no empty line arrived and the input is below the limit;
 * - the request line is within the head and holds no LF; a 200 is GET
 *   or HEAD (as req.head says) of /metrics or /, its path in the line;
 * - bytes arriving in pieces: once a prefix of the input has a verdict,
 *   every longer prefix has one, the same unless either is 431 (the
 *   first empty line can be a later CR LF CR LF past the limit).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_http_parse.h"
#include "daemon_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SMALL_MAX	64
#define PREFIXES_ALL	1024	/* every prefix up to this size, else 64 */

static bool
ends_head(const char *p, size_t n)
{
	return (n >= 4 && memcmp(p + n - 4, "\r\n\r\n", 4) == 0) ||
	    (n >= 2 && memcmp(p + n - 2, "\n\n", 2) == 0);
}

static void
check(const char *p, size_t len, size_t max, const struct daemon_http_req *r,
    int v)
{
	size_t tl;

	if (v != r->status || r->head_len > len || r->line_len > len)
		abort();
	switch (v) {
	case DAEMON_HTTP_MORE:
		if (r->head_len != 0 || len >= max ||
		    memmem(p, len, "\n\n", 2) != NULL ||
		    memmem(p, len, "\r\n\r\n", 4) != NULL)
			abort();
		return;
	case DAEMON_HTTP_OK:
	case DAEMON_HTTP_BAD:
	case DAEMON_HTTP_NOT_FOUND:
	case DAEMON_HTTP_BAD_METHOD:
	case DAEMON_HTTP_TOO_LARGE:
		break;
	default:
		abort();
	}
	if (daemon_http_reason(v) == NULL)
		abort();
	if (v == DAEMON_HTTP_TOO_LARGE) {
		if (!ends_head(p, r->head_len) && (r->head_len != len ||
		    len < max))
			abort();
		return;
	}
	if (!ends_head(p, r->head_len))
		abort();
	tl = r->head_len >= 4 && memcmp(p + r->head_len - 4, "\r\n\r\n",
	    4) == 0 ? 4 : 2;
	if (r->head_len - tl > max || r->line_len > r->head_len - tl ||
	    memchr(p, '\n', r->line_len) != NULL)
		abort();
	if (v != DAEMON_HTTP_OK)
		return;
	if (r->head ? memcmp(p, "HEAD ", 5) != 0 : memcmp(p, "GET ", 4) != 0)
		abort();
	if (r->path < p || r->path + r->path_len > p + r->line_len ||
	    !((r->path_len == 8 && memcmp(r->path, "/metrics", 8) == 0) ||
	    (r->path_len == 1 && r->path[0] == '/')))
		abort();
}

static void
pieces(const char *p, size_t len, size_t max, int whole)
{
	struct daemon_http_req r;
	size_t k, step;
	int v, first = DAEMON_HTTP_MORE;

	step = len <= PREFIXES_ALL ? 1 : len / 64;
	for (k = 0; k <= len; k += step) {
		v = daemon_http_parse(p, k, max, &r);
		check(p, k, max, &r, v);
		if (first != DAEMON_HTTP_MORE && v == DAEMON_HTTP_MORE)
			abort();
		if (first == DAEMON_HTTP_MORE)
			first = v;
		else if (v != first && v != DAEMON_HTTP_TOO_LARGE &&
		    first != DAEMON_HTTP_TOO_LARGE)
			abort();
	}
	if (first != DAEMON_HTTP_MORE && whole == DAEMON_HTTP_MORE)
		abort();
	if (first != DAEMON_HTTP_MORE && whole != first &&
	    whole != DAEMON_HTTP_TOO_LARGE && first != DAEMON_HTTP_TOO_LARGE)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct daemon_http_req r;
	const char *p = (const char *)data;
	static const size_t max[] = { DAEMON_HTTP_HEADER_MAX, SMALL_MAX };
	size_t i;
	int v;

	for (i = 0; i < sizeof(max) / sizeof(max[0]); i++) {
		v = daemon_http_parse(p, size, max[i], &r);
		check(p, size, max[i], &r, v);
		pieces(p, size, max[i], v);
	}
	return 0;
}
