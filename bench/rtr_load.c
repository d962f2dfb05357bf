/*
 * rtr_load.c - N concurrent RTR routers against one cache: each opens a
 * TCP connection, sends a Reset Query and reads until End of Data,
 * counting prefix PDUs.  One epoll loop; PDUs are framed by their length
 * field only (the point is load, not parsing).  Prints how many routers
 * completed, how many prefix PDUs each got, and the total time.
 *
 * usage: rtr_load HOST PORT [-n ROUTERS] [-v VERSION] [-t TIMEOUT_S]
 * Exit 0 when every router got End of Data with the same PDU count.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct router {
	int		fd;
	uint8_t		hdr[8];
	size_t		have;		/* bytes of the current header */
	uint32_t	skip;		/* body bytes still to skip */
	uint64_t	prefixes;
	int		done;		/* 1 ok, -1 failed */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Consume bytes; returns 1 at End of Data, -1 on an error PDU. */
static int
feed(struct router *r, const uint8_t *p, size_t n)
{
	while (n > 0) {
		if (r->skip > 0) {
			size_t k = n < r->skip ? n : r->skip;

			r->skip -= (uint32_t)k;
			p += k;
			n -= k;
			continue;
		}
		while (r->have < 8 && n > 0) {
			r->hdr[r->have++] = *p++;
			n--;
		}
		if (r->have < 8)
			return 0;
		r->have = 0;
		{
			uint32_t len = (uint32_t)r->hdr[4] << 24 |
			    (uint32_t)r->hdr[5] << 16 |
			    (uint32_t)r->hdr[6] << 8 | r->hdr[7];

			if (len < 8)
				return -1;
			r->skip = len - 8;
			switch (r->hdr[1]) {
			case 4:
			case 6:
				r->prefixes++;
				break;
			case 7:
				if (r->skip <= n)
					return 1;
				break;
			case 10:
				return -1;
			default:
				break;
			}
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct epoll_event ev, evs[256];
	struct router *rs;
	uint8_t buf[65536];
	int n = 1000, ver = 1, timeout = 600, ep, i, a, left, failed = 0;
	double t0, tlast = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: rtr_load HOST PORT [-n N] [-v VER] "
		    "[-t SECONDS]\n");
		return 2;
	}
	for (a = 3; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "-n") == 0)
			n = atoi(argv[a + 1]);
		else if (strcmp(argv[a], "-v") == 0)
			ver = atoi(argv[a + 1]);
		else if (strcmp(argv[a], "-t") == 0)
			timeout = atoi(argv[a + 1]);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
		return 2;
	rs = calloc((size_t)n, sizeof(*rs));
	ep = epoll_create1(0);
	if (rs == NULL || ep < 0)
		return 1;
	t0 = now();
	for (i = 0; i < n; i++) {
		uint8_t q[8] = { (uint8_t)ver, 2, 0, 0, 0, 0, 0, 8 };

		rs[i].fd = socket(AF_INET, SOCK_STREAM, 0);
		if (rs[i].fd < 0 || connect(rs[i].fd, (struct sockaddr *)&sa,
		    sizeof(sa)) != 0 || write(rs[i].fd, q, 8) != 8) {
			fprintf(stderr, "router %d: %s\n", i, strerror(errno));
			rs[i].done = -1;
			failed++;
			continue;
		}
		fcntl(rs[i].fd, F_SETFL, O_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, rs[i].fd, &ev);
	}
	left = n - failed;
	while (left > 0) {
		int k = epoll_wait(ep, evs, 256, 1000);

		if (now() - t0 > timeout)
			break;
		for (i = 0; i < k; i++) {
			struct router *r = &rs[evs[i].data.u32];
			ssize_t got = read(r->fd, buf, sizeof(buf));
			int rc;

			if (got <= 0) {
				if (got < 0 && errno == EAGAIN)
					continue;
				rc = -1;
			} else
				rc = feed(r, buf, (size_t)got);
			if (rc == 0)
				continue;
			r->done = rc;
			failed += rc < 0;
			left--;
			tlast = now() - t0;
			epoll_ctl(ep, EPOLL_CTL_DEL, r->fd, NULL);
			close(r->fd);
		}
	}
	{
		uint64_t min = UINT64_MAX, max = 0;
		int ok = 0;

		for (i = 0; i < n; i++) {
			if (rs[i].done != 1)
				continue;
			ok++;
			if (rs[i].prefixes < min)
				min = rs[i].prefixes;
			if (rs[i].prefixes > max)
				max = rs[i].prefixes;
		}
		printf("routers %d: %d complete, %d failed, %d unfinished; "
		    "prefix PDUs per router %llu..%llu; total %.2f s\n", n, ok,
		    failed, n - ok - failed, (unsigned long long)(ok ? min : 0),
		    (unsigned long long)max, tlast);
		return ok == n && min == max ? 0 : 1;
	}
}
