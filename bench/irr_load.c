/*
 * irr_load.c - load generator for "manrs irrd" (bench/bench_irr.sh):
 * N concurrent clients on loopback, each keeping D queries in flight
 * (pipelining, "!!" mode), for S seconds; prints per-query latency
 * p50/p99 and throughput.  With --echo it runs the same load against a
 * loopback echo server of its own (one thread), each query line being
 * "answered" by its echo: the floor a network round trip costs.
 *
 * usage: irr_load [--echo] [--port P] [--clients N] [--depth D]
 *                 [--seconds S] QUERYFILE
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
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

#define MAXQ		100000
#define MAXC		1024
#define MAXD		64
#define RBUF		(4u << 20)

struct conn {
	int		 fd;
	unsigned	 next;		/* next query index */
	double		 sent[MAXD];	/* ring of send times */
	unsigned	 head, inflight;
	char		*rb;
	size_t		 rlen;
};

static char *queries[MAXQ];
static size_t nq;
static double *lat;
static size_t nlat, caplat;
static int echo_mode;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
echo_thread(void *arg)
{
	int ls = *(int *)arg, n = 1, i;
	struct pollfd pf[MAXC + 1];
	char buf[65536];
	ssize_t r;

	pf[0].fd = ls;
	pf[0].events = POLLIN;
	for (;;) {
		if (poll(pf, (nfds_t)n, -1) < 0)
			continue;
		if (pf[0].revents & POLLIN && n <= MAXC) {
			pf[n].fd = accept(ls, NULL, NULL);
			pf[n].events = POLLIN;
			setsockopt(pf[n].fd, IPPROTO_TCP, TCP_NODELAY, &n,
			    sizeof(n));
			n++;
		}
		for (i = 1; i < n; i++) {
			if (!(pf[i].revents & (POLLIN | POLLHUP)))
				continue;
			if ((r = read(pf[i].fd, buf, sizeof(buf))) <= 0) {
				close(pf[i].fd);
				pf[i] = pf[--n];
				i--;
				continue;
			}
			for (ssize_t o = 0, w; o < r; o += w)
				if ((w = write(pf[i].fd, buf + o,
				    (size_t)(r - o))) <= 0)
					break;
		}
	}
	return NULL;
}

static int
start_echo(void)
{
	static int ls;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	pthread_t t;

	ls = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(ls, 1024) != 0)
		return -1;
	getsockname(ls, (struct sockaddr *)&sa, &sl);
	pthread_create(&t, NULL, echo_thread, &ls);
	pthread_detach(t);
	return ntohs(sa.sin_port);
}

static void
record(double v)
{
	if (nlat == caplat) {
		caplat = caplat ? caplat * 2 : 1 << 20;
		if ((lat = realloc(lat, caplat * sizeof(*lat))) == NULL)
			abort();
	}
	lat[nlat++] = v;
}

/* Length of the first complete answer in b, or 0. */
static size_t
answer_len(const char *b, size_t n)
{
	const char *nl = memchr(b, '\n', n);
	size_t hl, dl;

	if (nl == NULL)
		return 0;
	hl = (size_t)(nl - b) + 1;
	if (echo_mode || b[0] != 'A')
		return hl;
	dl = strtoul(b + 1, NULL, 10);
	if (n < hl + dl + 2)
		return 0;
	return hl + dl + 2;
}

/* Top up to depth queries in flight, in one write. */
static void
send_more(struct conn *c, unsigned depth)
{
	char buf[MAXD * 512];
	size_t n = 0;
	double t = now();

	while (c->inflight < depth) {
		const char *q = queries[c->next++ % nq];
		size_t l = strlen(q);

		if (n + l > sizeof(buf))
			break;
		memcpy(buf + n, q, l);
		n += l;
		c->sent[(c->head + c->inflight) % MAXD] = t;
		c->inflight++;
	}
	if (n > 0 && write(c->fd, buf, n) != (ssize_t)n)
		abort();
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "echo", no_argument, NULL, 'e' },
		{ "port", required_argument, NULL, 'p' },
		{ "clients", required_argument, NULL, 'c' },
		{ "depth", required_argument, NULL, 'd' },
		{ "seconds", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned nc = 100, depth = 8, port = 43, i;
	double secs = 5, t0, t1;
	struct pollfd *pf;
	struct conn *cs;
	char line[4096];
	uint64_t bytes = 0;
	FILE *fp;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'e': echo_mode = 1; break;
		case 'p': port = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c': nc = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'd': depth = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': secs = strtod(optarg, NULL); break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || nc == 0 || nc > MAXC || depth == 0 ||
	    depth > MAXD || (fp = fopen(argv[optind], "r")) == NULL) {
		fprintf(stderr, "usage: irr_load [--echo] [--port P] "
		    "[--clients N] [--depth D] [--seconds S] QUERYFILE\n");
		return 2;
	}
	while (nq < MAXQ && fgets(line, sizeof(line), fp) != NULL)
		if (line[0] != '\n')
			queries[nq++] = strdup(line);
	fclose(fp);
	if (nq == 0)
		return 2;
	if (echo_mode)
		port = (unsigned)start_echo();
	cs = calloc(nc, sizeof(*cs));
	pf = calloc(nc, sizeof(*pf));
	for (i = 0; i < nc; i++) {
		struct sockaddr_in sa;
		int one = 1;

		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		cs[i].fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(cs[i].fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			perror("connect");
			return 1;
		}
		setsockopt(cs[i].fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		if (!echo_mode && write(cs[i].fd, "!!\n", 3) != 3)
			return 1;
		cs[i].rb = malloc(RBUF);
		cs[i].next = i * 7919u;
		pf[i].fd = cs[i].fd;
		pf[i].events = POLLIN;
	}
	t0 = now();
	for (i = 0; i < nc; i++)
		send_more(&cs[i], depth);
	while ((t1 = now()) - t0 < secs) {
		if (poll(pf, nc, 100) <= 0)
			continue;
		for (i = 0; i < nc; i++) {
			struct conn *c = &cs[i];
			ssize_t r;
			size_t al, off = 0;
			double t;

			if (!(pf[i].revents & POLLIN))
				continue;
			r = read(c->fd, c->rb + c->rlen, RBUF - c->rlen);
			if (r <= 0) {
				fprintf(stderr, "client %u: connection closed\n",
				    i);
				return 1;
			}
			c->rlen += (size_t)r;
			bytes += (uint64_t)r;
			t = now();
			while (c->inflight > 0 && (al = answer_len(c->rb + off,
			    c->rlen - off)) > 0) {
				record(t - c->sent[c->head]);
				c->head = (c->head + 1) % MAXD;
				c->inflight--;
				off += al;
			}
			memmove(c->rb, c->rb + off, c->rlen - off);
			c->rlen -= off;
			send_more(c, depth);
		}
	}
	qsort(lat, nlat, sizeof(*lat), cmp);
	printf("%s: %u clients x %u in flight, %.1f s: %zu answers, "
	    "%.0f q/s, %.1f MB/s, latency p50 %.1f us p99 %.1f us\n",
	    echo_mode ? "echo" : "irrd", nc, depth, t1 - t0, nlat,
	    nlat / (t1 - t0), bytes / (t1 - t0) / 1e6,
	    nlat ? lat[nlat / 2] * 1e6 : 0, nlat ? lat[nlat * 99 / 100] * 1e6 :
	    0);
	return 0;
}
