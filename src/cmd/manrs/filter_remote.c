/*
 * filter_remote.c - the socket side of "manrs filter -h": connect with a
 * timeout, "!!" (multiple-command mode), then each batch of queries is
 * written while the answers are read (poll), decoded by manrs_irrq_*.
 * Every wait is bounded by the timeout: a dead or silent server ends
 * the run with a message, never a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <manrs/manrs.h>
#include <manrs/irrq.h>

#include "cli.h"
#include "filter_remote.h"

struct irrq_conn {
	int			 fd;
	int			 timeout_ms;
	char			 host[256];
	struct manrs_irrq_dec	 dec;
};

static int
connect_one(const struct addrinfo *ai, int timeout_ms)
{
	struct pollfd pfd;
	int fd, err = 0;
	socklen_t len = sizeof(err);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
		goto bad;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto bad;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, timeout_ms) != 1) {
		errno = ETIMEDOUT;
		goto bad;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err) {
		errno = err ? err : errno;
		goto bad;
	}
	return fd;
bad:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

struct irrq_conn *
irrq_connect(const char *hostport, int timeout_s)
{
	struct irrq_conn *c;
	struct addrinfo hints, *res = NULL, *ai;
	char host[256];
	const char *port = "43", *colon;
	int rc;

	if (strlen(hostport) >= sizeof(host)) {
		cli_warnx("filter: -h: host name too long");
		return NULL;
	}
	if (hostport[0] == '[') {
		const char *e = strchr(hostport, ']');

		if (e == NULL) {
			cli_warnx("filter: -h %s: missing ']'", hostport);
			return NULL;
		}
		snprintf(host, sizeof(host), "%.*s", (int)(e - hostport - 1),
		    hostport + 1);
		if (e[1] == ':')
			port = e + 2;
	} else if ((colon = strchr(hostport, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - hostport),
		    hostport);
		port = colon + 1;
	} else
		snprintf(host, sizeof(host), "%s", hostport);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		cli_warnx("filter: -h %s: %s", hostport, gai_strerror(rc));
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		freeaddrinfo(res);
		return NULL;
	}
	c->fd = -1;
	c->timeout_ms = timeout_s * 1000;
	snprintf(c->host, sizeof(c->host), "%s", hostport);
	for (ai = res; ai != NULL && c->fd < 0; ai = ai->ai_next)
		c->fd = connect_one(ai, c->timeout_ms);
	freeaddrinfo(res);
	if (c->fd < 0) {
		cli_warnx("filter: -h %s: cannot connect: %s", hostport,
		    strerror(errno));
		free(c);
		return NULL;
	}
	manrs_irrq_dec_init(&c->dec);
	/* "!!" (multiple-command mode) has no answer: send it alone. */
	if (write(c->fd, "!!\n", 3) != 3) {
		cli_warnx("filter: -h %s: write: %s", hostport,
		    strerror(errno));
		irrq_close(c);
		return NULL;
	}
	return c;
}

void
irrq_close(struct irrq_conn *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0) {
		if (write(c->fd, "!q\n", 3) < 0) {
			/* closing anyway */
		}
		close(c->fd);
	}
	manrs_irrq_dec_free(&c->dec);
	free(c);
}

int
irrq_pipeline(struct irrq_conn *c, char *const *queries, size_t n,
    irrq_cb cb, void *arg)
{
	struct manrs_buf out;
	size_t i, sent = 0, answered = 0;
	uint8_t buf[65536];
	int rc = -1;

	manrs_buf_init(&out, 0);
	for (i = 0; i < n; i++) {
		if (strlen(queries[i]) > IRRQ_QUERY_MAX ||
		    strchr(queries[i], '\n') != NULL) {
			cli_warnx("filter: -h: bad query '%.40s'", queries[i]);
			goto done;
		}
		manrs_buf_puts(&out, queries[i]);
		manrs_buf_put_u8(&out, '\n');
	}
	if (out.err != 0)
		goto done;
	while (answered < n) {
		struct pollfd pfd = { c->fd, POLLIN, 0 };
		ssize_t k;

		if (sent < out.len)
			pfd.events |= POLLOUT;
		k = poll(&pfd, 1, c->timeout_ms);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			cli_warnx("filter: -h %s: no answer within %d s "
			    "(%zu of %zu queries answered)", c->host,
			    c->timeout_ms / 1000, answered, n);
			goto done;
		}
		if ((pfd.revents & POLLOUT) && sent < out.len) {
			k = write(c->fd, out.p + sent, out.len - sent);
			if (k < 0 && errno != EAGAIN && errno != EINTR) {
				cli_warnx("filter: -h %s: write: %s", c->host,
				    strerror(errno));
				goto done;
			}
			if (k > 0)
				sent += (size_t)k;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		k = read(c->fd, buf, sizeof(buf));
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k <= 0) {
			cli_warnx("filter: -h %s: connection closed after %zu "
			    "of %zu answers", c->host, answered, n);
			goto done;
		}
		{
			size_t off = 0;

			while (off < (size_t)k && answered < n) {
				struct manrs_irrq_answer a;
				size_t used = 0;
				int r = manrs_irrq_dec_feed(&c->dec, buf + off,
				    (size_t)k - off, &used, &a);

				off += used;
				if (r < 0) {
					cli_warnx("filter: -h %s: bad answer: "
					    "%s", c->host, c->dec.err);
					goto done;
				}
				if (r == 0)
					break;
				if (cb(answered, &a, arg) != 0)
					goto done;
				answered++;
			}
			if (off < (size_t)k) {
				cli_warnx("filter: -h %s: %zu unexpected bytes "
				    "after the last answer", c->host,
				    (size_t)k - off);
				goto done;
			}
		}
	}
	rc = 0;
done:
	manrs_buf_clear(&out);
	return rc;
}
