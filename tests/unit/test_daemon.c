/*
 * test_daemon.c - the daemon layer (src/cmd/manrs/daemon*.c) with a toy
 * line protocol, so that the suite runs it under ASan+UBSan: a child
 * process serves ("ok LINE" for each line, "big" answers 1 MiB, "bye"
 * closes), the parent is the client.  Covered: answers, half-close with
 * a big answer queued, the request deadline on a trickled line, the
 * per-address cap with the refusal's last words, the close after an EOF
 * the daemon does not act on, two SIGHUPs during a
 * slow reload (the second queued), the metrics endpoint's header bound
 * and its counters, and a clean exit on SIGTERM (no leak, no error).
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "daemon.h"

#define BIG	(1024u * 1024u)

/* ---- the child: a toy daemon ---- */

struct toy_conn {
	char	line[256];
	size_t	len;
	bool	hang;	/* "hang": a daemon that forgets to close */
};

static void
toy_line(struct daemon_conn *c, const char *line)
{
	char out[300];
	static char big[BIG];
	int n;

	if (strcmp(line, "big") == 0) {
		memset(big, 'x', sizeof(big));
		if (daemon_conn_write(c, big, sizeof(big)) != 0 ||
		    daemon_conn_write(c, "\nend\n", 5) != 0)
			daemon_conn_abort(c, "out of memory");
		return;
	}
	if (strcmp(line, "hang") == 0) {
		((struct toy_conn *)daemon_conn_data(c))->hang = true;
		return;
	}
	if (strcmp(line, "bye") == 0) {
		daemon_conn_write(c, "bye\n", 4);
		daemon_conn_close(c);
		return;
	}
	n = snprintf(out, sizeof(out), "ok %s\n", line);
	daemon_conn_write(c, out, (size_t)n);
}

static size_t
toy_input(struct daemon_conn *c, const uint8_t *p, size_t len)
{
	struct toy_conn *t = daemon_conn_data(c);
	size_t i;

	for (i = 0; i < len && !daemon_conn_closing(c); i++) {
		if (p[i] == '\n') {
			t->line[t->len] = '\0';
			t->len = 0;
			toy_line(c, t->line);
		} else if (t->len < sizeof(t->line) - 1)
			t->line[t->len++] = (char)p[i];
	}
	daemon_conn_set_partial(c, t->len > 0);
	return len;
}

static void *
toy_accepted(struct daemon_conn *c)
{
	(void)c;
	return calloc(1, sizeof(struct toy_conn));
}

static void
toy_eof(struct daemon_conn *c)
{
	daemon_conn_set_partial(c, false);
	if (!((struct toy_conn *)daemon_conn_data(c))->hang)
		daemon_conn_close(c);
}

static void
toy_closed(struct daemon_conn *c, const char *why)
{
	(void)why;
	free(daemon_conn_data(c));
}

static size_t
toy_refusal(void *arg, enum daemon_refuse why, const uint8_t *in,
    size_t inlen, uint8_t *out, size_t outsize)
{
	(void)arg;
	(void)why;
	(void)in;
	(void)inlen;
	if (outsize < 5)
		return 0;
	memcpy(out, "busy\n", 5);
	return 5;
}

static unsigned toy_loads;

static void *
toy_load(void *arg, int *err)
{
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	int *v;

	(void)arg;
	nanosleep(&ts, NULL);	/* long enough for a second SIGHUP */
	if ((v = malloc(sizeof(*v))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	*v = 1;
	return v;
}

static enum daemon_reload_result
toy_apply(void *arg, const char *why, void *data, int err)
{
	(void)arg;
	(void)why;
	(void)err;
	if (data == NULL)
		return DAEMON_RELOAD_RETRY;
	free(data);
	toy_loads++;
	return DAEMON_RELOAD_CHANGED;
}

static void
toy_discard(void *arg, void *data)
{
	(void)arg;
	free(data);
}

static void
toy_metrics(void *arg, struct manrs_buf *out)
{
	(void)arg;
	daemon_metric_head(out, "toy_loads", "counter", "Loads applied.");
	manrs_buf_printf(out, "toy_loads %u\n", toy_loads);
}

static int
toy_serve(void)
{
	static const struct daemon_conn_ops ops = {
		.accepted = toy_accepted, .input = toy_input,
		.eof = toy_eof, .closed = toy_closed,
		.refusal = toy_refusal,
	};
	static const struct daemon_reload_ops rops = {
		.load = toy_load, .apply = toy_apply, .discard = toy_discard,
	};
	struct daemon_opts o;
	struct daemon_config cfg;
	struct daemon *d;
	int rc = 1;

	daemon_opts_init(&o, "toyd", 2);	/* idle: 2 s */
	if (daemon_opt(&o, DAEMON_OPT_LISTEN, "127.0.0.1:0") != 0 ||
	    daemon_opt(&o, DAEMON_OPT_LISTEN, "127.0.0.1:0") != 0 ||
	    daemon_opt(&o, DAEMON_OPT_METRICS, "127.0.0.1:0") != 0 ||
	    daemon_opt(&o, DAEMON_OPT_PER_ADDRESS, "3") != 0 ||
	    daemon_opt(&o, DAEMON_OPT_REQUEST_TIMEOUT, "1") != 0 ||
	    daemon_opt(&o, DAEMON_OPT_USER, "root") != 0 ||
	    daemon_opt(&o, DAEMON_OPT_NO_SECCOMP, NULL) != 0)
		return 2;
	memset(&cfg, 0, sizeof(cfg));
	cfg.conn = &ops;
	cfg.reload = &rops;
	cfg.metrics = toy_metrics;
	cfg.metric_prefix = "toy";
	cfg.banner = "toy";	/* "toy listening on ADDR:PORT" on stdout */
	if ((d = daemon_new(&cfg, &o)) == NULL)
		return 3;
	if (daemon_start(d) == 0 &&
	    daemon_reload_now(d, "start") == DAEMON_RELOAD_CHANGED &&
	    daemon_run(d) == 0)
		rc = 0;
	daemon_free(d);
	return rc;
}

/* ---- the parent: a client ---- */

static pid_t child;
static int ports[2];		/* the two listeners */
static int mport;		/* metrics */

static int
dial(int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	return fd;
}

/* Read until EOF or secs pass; returns the bytes (caller frees). */
static char *
slurp(int fd, double secs, size_t *lenp, double *took)
{
	struct timespec t0, t1;
	struct pollfd pfd = { fd, POLLIN, 0 };
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	ssize_t n;
	double el = 0;

	assert_non_null(buf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		el = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (el >= secs ||
		    poll(&pfd, 1, (int)((secs - el) * 1000) + 1) <= 0)
			break;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		if ((n = read(fd, buf + len, cap - len)) <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*lenp = len;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (took != NULL)
		*took = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return buf;
}

static void
ask(int fd, const char *q, const char *want)
{
	char buf[256];
	size_t got = 0, wl = strlen(want);
	ssize_t n;

	assert_int_equal(write(fd, q, strlen(q)), (ssize_t)strlen(q));
	while (got < wl && (n = read(fd, buf + got, wl - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	assert_string_equal(buf, want);
}

static char *
http(const char *req, size_t *lenp)
{
	int fd = dial(mport);
	size_t off = 0, len = strlen(req);
	ssize_t n;
	char *r;

	while (off < len && (n = write(fd, req + off, len - off)) > 0)
		off += (size_t)n;
	r = slurp(fd, 5, lenp, NULL);
	close(fd);
	return r;
}

/* The port of a "... listening on 127.0.0.1:PORT" line. */
static int
line_port(const char *line)
{
	const char *c = strrchr(line, ':');

	return c != NULL ? (int)strtol(c + 1, NULL, 10) : 0;
}

static int
setup(void **state)
{
	char line[256];
	int pfd[2], n = 0;
	FILE *fp;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (pipe(pfd) != 0)
		return -1;
	if ((child = fork()) == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		_exit(toy_serve());
	}
	close(pfd[1]);
	/* printed once serving: the listeners in order, then metrics */
	if ((fp = fdopen(pfd[0], "r")) == NULL)
		return -1;
	while (n < 3 && fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "toy listening on ", 17) == 0 && n < 2)
			ports[n++] = line_port(line);
		else if (strncmp(line, "metrics listening on ", 21) == 0) {
			mport = line_port(line);
			n++;
		}
	}
	fclose(fp);
	return n == 3 && mport != 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	int st = 0;

	(void)state;
	kill(child, SIGTERM);
	if (waitpid(child, &st, 0) != child)
		return -1;
	/* a clean exit: no leak, no ASan or UBSan report */
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void
test_answers(void **state)
{
	int fd = dial(ports[0]);

	(void)state;
	ask(fd, "hello\n", "ok hello\n");
	ask(fd, "a\nb\n", "ok a\nok b\n");
	ask(fd, "bye\n", "bye\n");
	close(fd);
}

/* Half-close: the whole 1 MiB answer arrives after the client's EOF. */
static void
test_half_close(void **state)
{
	int fd = dial(ports[1]);
	size_t len;
	char *r;

	(void)state;
	assert_int_equal(write(fd, "big\n", 4), 4);
	shutdown(fd, SHUT_WR);
	r = slurp(fd, 20, &len, NULL);
	assert_int_equal(len, BIG + 5);
	assert_memory_equal(r + BIG, "\nend\n", 5);
	free(r);
	close(fd);
}

/* A line trickled without its end is cut at --request-timeout (1 s). */
static void
test_deadline(void **state)
{
	int fd = dial(ports[0]), i;
	double took;
	size_t len;
	char *r;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(write(fd, "x", 1), 1);
		usleep(300000);
	}
	r = slurp(fd, 5, &len, &took);
	assert_int_equal(len, 0);
	assert_true(took < 2.0);	/* cut ~1 s after the first byte */
	free(r);
	close(fd);
}

/* A daemon that never closes after the client's EOF: the layer does. */
static void
test_eof_wait(void **state)
{
	int fd = dial(ports[0]);
	double took;
	size_t len;
	char *r;

	(void)state;
	assert_int_equal(write(fd, "hang\n", 5), 5);
	shutdown(fd, SHUT_WR);
	r = slurp(fd, 8, &len, &took);
	assert_int_equal(len, 0);
	assert_true(took > 1.5 && took < 4.0);	/* the 2 s idle time */
	free(r);
	close(fd);
}

/* --max-per-address 3: the fourth gets the last words and the close. */
static void
test_per_address(void **state)
{
	int fds[3], fd, i;
	size_t len;
	char *r;

	(void)state;
	for (i = 0; i < 3; i++) {
		fds[i] = dial(ports[0]);
		ask(fds[i], "hi\n", "ok hi\n");
	}
	fd = dial(ports[0]);
	assert_int_equal(write(fd, "hi\n", 3), 3);
	r = slurp(fd, 5, &len, NULL);
	assert_string_equal(r, "busy\n");
	free(r);
	close(fd);
	for (i = 0; i < 3; i++)
		close(fds[i]);
}

static long
metric(const char *page, const char *name)
{
	const char *p = page;
	size_t nl = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == page || p[-1] == '\n') && p[nl] == ' ')
			return strtol(p + nl + 1, NULL, 10);
		p += nl;
	}
	return -1;
}

/* Two SIGHUPs during a 300 ms load: two reloads, the second queued. */
static void
test_reload_queued(void **state)
{
	size_t len;
	char *page;

	(void)state;
	kill(child, SIGHUP);
	usleep(100000);
	kill(child, SIGHUP);
	usleep(1200000);
	page = http("GET /metrics HTTP/1.1\r\n\r\n", &len);
	assert_int_equal(metric(page, "toy_loads"), 3);	/* start + 2 */
	assert_int_equal(metric(page, "toy_reloads_queued_total"), 1);
	assert_int_equal(metric(page,
	    "toy_reloads_total{result=\"changed\"}"), 3);
	free(page);
}

/* Request headers past 8 KiB: 431, and the counter says so. */
static void
test_metrics_bounds(void **state)
{
	char *req, *r;
	size_t len;

	(void)state;
	req = malloc(64 * 1024);
	assert_non_null(req);
	memcpy(req, "GET /metrics HTTP/1.1\r\nX: ", 26);
	memset(req + 26, 'a', 64 * 1024 - 27);
	req[64 * 1024 - 1] = '\0';
	r = http(req, &len);
	assert_true(len >= 12);
	assert_memory_equal(r, "HTTP/1.1 431", 12);
	free(r);
	free(req);
	r = http("GET /metrics HTTP/1.1\r\n\r\n", &len);
	assert_int_equal(metric(r,
	    "toy_metrics_requests_total{outcome=\"too_large\"}"), 1);
	assert_int_equal(metric(r,
	    "toy_clients_refused_total{reason=\"per-address\"}"), 1);
	assert_int_equal(metric(r,
	    "toy_timeouts_total{kind=\"request\"}"), 1);
	free(r);
	r = http("GET /nope HTTP/1.1\r\n\r\n", &len);
	assert_memory_equal(r, "HTTP/1.1 404", 12);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_half_close),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_eof_wait),
		cmocka_unit_test(test_per_address),
		cmocka_unit_test(test_reload_queued),
		cmocka_unit_test(test_metrics_bounds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
