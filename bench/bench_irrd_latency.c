/*
 * bench_irrd_latency.c - head-of-line blocking in "manrs irrd": the
 * latency a well-behaved client sees for a cheap query ("!gAS3333")
 * while H heavy clients loop a large set expansion ("!aAS-DECIX").
 *
 * One thread drives the heavy clients (each in "!!" mode: send the
 * query, read the whole answer, send it again); the measuring client
 * runs in its own thread with a blocking socket, sends its query every
 * --gap milliseconds and times each answer.  Prints p50 / p99 / max of
 * the measuring client and the heavy answers completed.  Everything is
 * bounded: --count light queries and at most --seconds of wall time.
 *
 * usage: bench_irrd_latency --port P [--heavy H] [--heavy-query Q]
 *            [--light-query Q] [--count N] [--gap MS] [--seconds S]
 *            [--warmup S]
 * exit 0, or 1 when an answer is malformed or the server goes away.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#define MAXH	512

static int port;
static const char *heavy_q = "!aAS-DECIX";
static const char *light_q = "!gAS3333";
static volatile int stop;
static unsigned long long heavy_done;
static int heavy_err;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
dial(void)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/*
 * Length of the first complete IRRd answer in b[0..n), 0 when more is
 * needed, -1 when malformed.
 */
static long
answer_len(const char *b, size_t n)
{
	const char *nl = memchr(b, '\n', n);
	unsigned long long len = 0;
	size_t h;
	const char *p;

	if (nl == NULL)
		return 0;
	h = (size_t)(nl - b) + 1;
	if (b[0] == 'C' || b[0] == 'D' || b[0] == 'F')
		return (long)h;
	if (b[0] != 'A')
		return -1;
	for (p = b + 1; p < nl; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		len = len * 10 + (unsigned)(*p - '0');
	}
	if (n < h + len + 2)
		return 0;
	if (memcmp(b + h + len, "C\n", 2) != 0)
		return -1;
	return (long)(h + len + 2);
}

static int
send_all(int fd, const char *p, size_t n)
{
	ssize_t k;

	while (n > 0) {
		if ((k = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

struct hconn {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
};

static void *
heavy_main(void *arg)
{
	unsigned nh = *(unsigned *)arg, i;
	struct hconn *h = calloc(nh, sizeof(*h));
	struct pollfd *pf = calloc(nh, sizeof(*pf));
	char q[512];
	int qn = snprintf(q, sizeof(q), "%s\n", heavy_q);

	if (h == NULL || pf == NULL)
		goto out;
	for (i = 0; i < nh; i++) {
		if ((h[i].fd = dial()) < 0 ||
		    send_all(h[i].fd, "!!\n", 3) != 0 ||
		    send_all(h[i].fd, q, (size_t)qn) != 0) {
			heavy_err = 1;
			goto out;
		}
		h[i].cap = 1 << 20;
		h[i].buf = malloc(h[i].cap);
	}
	while (!stop) {
		for (i = 0; i < nh; i++) {
			pf[i].fd = h[i].fd;
			pf[i].events = POLLIN;
		}
		if (poll(pf, nh, 100) < 0 && errno != EINTR)
			break;
		for (i = 0; i < nh && !stop; i++) {
			struct hconn *c = &h[i];
			ssize_t k;
			long al;

			if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (c->len == c->cap) {
				c->cap *= 2;
				c->buf = realloc(c->buf, c->cap);
			}
			if ((k = read(c->fd, c->buf + c->len, c->cap -
			    c->len)) <= 0) {
				heavy_err = 1;
				goto out;
			}
			c->len += (size_t)k;
			while ((al = answer_len(c->buf, c->len)) > 0) {
				memmove(c->buf, c->buf + al, c->len -
				    (size_t)al);
				c->len -= (size_t)al;
				__atomic_add_fetch(&heavy_done, 1,
				    __ATOMIC_RELAXED);
				if (send_all(c->fd, q, (size_t)qn) != 0) {
					heavy_err = 1;
					goto out;
				}
			}
			if (al < 0) {
				heavy_err = 1;
				goto out;
			}
		}
	}
out:
	for (i = 0; h != NULL && i < nh; i++) {
		if (h[i].fd > 0)
			close(h[i].fd);
		free(h[i].buf);
	}
	free(h);
	free(pf);
	return NULL;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "heavy", required_argument, NULL, 'H' },
		{ "heavy-query", required_argument, NULL, 'a' },
		{ "light-query", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'n' },
		{ "gap", required_argument, NULL, 'g' },
		{ "seconds", required_argument, NULL, 's' },
		{ "warmup", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned nheavy = 0, count = 500, gap = 5, secs = 60, warm = 2, got = 0;
	double *lat, t0, deadline;
	char q[512], *buf;
	size_t len = 0, cap = 1 << 16;
	pthread_t thr;
	int ch, fd, qn, rc = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			port = (int)strtol(optarg, NULL, 10);
			break;
		case 'H':
			nheavy = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'a':
			heavy_q = optarg;
			break;
		case 'l':
			light_q = optarg;
			break;
		case 'n':
			count = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'g':
			gap = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			secs = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			warm = (unsigned)strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: bench_irrd_latency --port P "
			    "[--heavy H] [--heavy-query Q] [--light-query Q] "
			    "[--count N] [--gap MS] [--seconds S] "
			    "[--warmup S]\n");
			return 2;
		}
	}
	if (port <= 0 || port > 65535 || count == 0 || nheavy > MAXH) {
		fprintf(stderr, "bench_irrd_latency: bad arguments\n");
		return 2;
	}
	if ((lat = calloc(count, sizeof(*lat))) == NULL ||
	    (buf = malloc(cap)) == NULL)
		return 1;
	deadline = now() + secs;
	if (nheavy > 0) {
		pthread_create(&thr, NULL, heavy_main, &nheavy);
		usleep(warm * 1000000u);	/* let the load build up */
	}
	if ((fd = dial()) < 0 || send_all(fd, "!!\n", 3) != 0) {
		fprintf(stderr, "bench_irrd_latency: cannot connect\n");
		rc = 1;
		goto out;
	}
	qn = snprintf(q, sizeof(q), "%s\n", light_q);
	while (got < count && now() < deadline && !heavy_err) {
		long al = 0;
		ssize_t k;

		t0 = now();
		if (send_all(fd, q, (size_t)qn) != 0) {
			rc = 1;
			break;
		}
		while ((al = answer_len(buf, len)) == 0) {
			if (len == cap && (buf = realloc(buf, cap *= 2)) ==
			    NULL)
				return 1;
			if ((k = read(fd, buf + len, cap - len)) <= 0) {
				al = -1;
				break;
			}
			len += (size_t)k;
		}
		if (al < 0) {
			fprintf(stderr, "bench_irrd_latency: bad answer\n");
			rc = 1;
			break;
		}
		lat[got++] = now() - t0;
		memmove(buf, buf + al, len - (size_t)al);
		len -= (size_t)al;
		usleep(gap * 1000u);
	}
	close(fd);
out:
	stop = 1;
	if (nheavy > 0)
		pthread_join(thr, NULL);
	if (heavy_err)
		rc = 1;
	if (got > 0) {
		qsort(lat, got, sizeof(*lat), dcmp);
		printf("heavy=%u light=%u p50=%.2fms p99=%.2fms max=%.2fms "
		    "heavy_answers=%llu%s\n", nheavy, got,
		    lat[got / 2] * 1e3, lat[(size_t)(got * 0.99)] * 1e3,
		    lat[got - 1] * 1e3, heavy_done,
		    got < count ? " (time limit)" : "");
	}
	free(lat);
	free(buf);
	return rc;
}
