/*
 * filter_remote.c - the socket side of "manrs filter -h": connect with a
 * timeout, "!!" (multiple-command mode), then each batch of queries is
 * written while the answers are read (poll), decoded by manrs_irrq_*.
 * Every wait is bounded by the timeout: a dead or silent server ends
 * the run with a message, never a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* ---- the filter job's lookup over a remote IRRd -------------------- */

/*
 * The queries bgpq4 sends, pipelined: "!iSET,1" for every as-set and
 * route-set of the job first (filter_remote_fetch_sets), then, when the
 * engine knows every origin, one batch of "!gasN" / "!6asN" (the same
 * union as bgpq4's "!a4SET", with each prefix's origin kept so bogon
 * origins and RPKI work remotely).  The engine reads the answers through
 * struct manrs_filter_lookup; the socket stays in this program.
 */
struct filter_remote {
	const char		*host;
	int			 timeout;
	const char		*sources;	/* -S */
	uint8_t			 af;
	const struct manrs_filter *job;
	struct manrs_irrdb_asns	*sets;		/* per as-set of the job */
	unsigned		*setflags;
	struct manrs_irrdb_ranges *rsets;	/* per route-set */
	uint32_t		*oasn;		/* origins asked, sorted */
	struct manrs_irrdb_ranges *orig;
	size_t			 on;
};

struct plan {
	char			**q;
	int			 *kind;	/* 0 control, 1 set, 2 route-set, 3 origin */
	size_t			 *idx;
	size_t			  n, cap, ckind, cidx;
	struct filter_remote	 *r;
	char			  defaults[IRRQ_QUERY_MAX];
};

static int
plan_add(struct plan *pl, int kind, size_t idx, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
plan_add(struct plan *pl, int kind, size_t idx, const char *fmt, ...)
{
	va_list ap;
	char buf[IRRQ_QUERY_MAX + 1];
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k > IRRQ_QUERY_MAX) {
		cli_warnx("filter: -h: query too long");
		return -1;
	}
	if (manrs_grow((void **)&pl->q, &pl->cap, pl->n, sizeof(*pl->q)) != 0 ||
	    manrs_grow((void **)&pl->kind, &pl->ckind, pl->n,
	    sizeof(*pl->kind)) != 0 || manrs_grow((void **)&pl->idx,
	    &pl->cidx, pl->n, sizeof(*pl->idx)) != 0 ||
	    (pl->q[pl->n] = strdup(buf)) == NULL)
		return -1;
	pl->kind[pl->n] = kind;
	pl->idx[pl->n] = idx;
	pl->n++;
	return 0;
}

static void
plan_reset(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->q[i]);
	pl->n = 0;
}

static void
plan_free(struct plan *pl)
{
	plan_reset(pl);
	free(pl->q);
	free(pl->kind);
	free(pl->idx);
}

static bool
token_asn(struct manrs_view tok, uint32_t *asn)
{
	if (tok.len < 2 || strncasecmp(tok.p, "AS", 2) != 0)
		return false;
	return manrs_asn_parse(tok, asn) == 0;
}

static int
push_range(struct manrs_irrdb_ranges *r, const struct manrs_prefix_range *x)
{
	if (manrs_grow((void **)&r->v, &r->cap, r->n, sizeof(*r->v)) != 0)
		return -1;
	r->v[r->n++] = *x;
	return 0;
}

static int
push_asn(struct manrs_irrdb_asns *a, uint32_t asn)
{
	if (manrs_grow((void **)&a->v, &a->cap, a->n, sizeof(*a->v)) != 0)
		return -1;
	a->v[a->n++] = asn;
	return 0;
}

/* Space-separated tokens of an answer into the plan's slot. */
static int
answer_data(struct plan *pl, int kind, size_t idx, struct manrs_view v)
{
	struct filter_remote *r = pl->r;
	struct manrs_view tok;
	struct manrs_prefix_range x;
	uint32_t asn;

	while (manrs_view_field(&v, " \t\r\n", true, &tok)) {
		if (kind == 1) {
			/* "ANY" and nested names are not ASNs */
			if (token_asn(tok, &asn) &&
			    push_asn(&r->sets[idx], asn) != 0)
				return -1;
		} else if (kind == 2) {
			if (manrs_irrdb_range_parse(tok, &x) == 0 &&
			    x.prefix.af == r->af &&
			    push_range(&r->rsets[idx], &x) != 0)
				return -1;
		} else if (manrs_prefix_parse(tok, 0, &x.prefix) == 0 &&
		    x.prefix.af == r->af) {
			x.min = x.max = x.prefix.len;
			if (push_range(&r->orig[idx], &x) != 0)
				return -1;
		}
	}
	return 0;
}

static int
answer_cb(size_t i, const struct manrs_irrq_answer *a, void *arg)
{
	struct plan *pl = arg;

	if (a->kind == MANRS_IRRQ_ERROR) {
		/* bgpq4 goes on after "F": so do we, with a message */
		fprintf(stderr, "manrs: filter: -h: %s: F %.*s\n", pl->q[i],
		    (int)a->data.len, a->data.p);
		return 0;
	}
	if (pl->kind[i] == 0) {
		if (strcmp(pl->q[i], "!s-lc") == 0 &&
		    a->kind == MANRS_IRRQ_DATA)
			manrs_view_copy(manrs_view_trim(a->data),
			    pl->defaults, sizeof(pl->defaults));
		return 0;
	}
	if (pl->kind[i] == 1 && a->kind == MANRS_IRRQ_NOTFOUND)
		pl->r->setflags[pl->idx[i]] |= MANRS_IRRDB_F_NOTFOUND;
	return answer_data(pl, pl->kind[i], pl->idx[i], a->data);
}

static int
plan_run(struct filter_remote *r, struct plan *pl)
{
	struct irrq_conn *c = irrq_connect(r->host, r->timeout);
	int rc;

	if (c == NULL)
		return -1;
	rc = irrq_pipeline(c, pl->q, pl->n, answer_cb, pl);
	irrq_close(c);
	return rc;
}

struct filter_remote *
filter_remote_new(const char *host, int timeout, const char *sources,
    uint8_t af)
{
	struct filter_remote *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->host = host;
	r->timeout = timeout;
	r->sources = sources;
	r->af = af;
	return r;
}

/* "SET" or "SOURCE::SET" as "!iSET,1", pinned by "!sSOURCE" around it. */
static int
plan_set(struct plan *pl, int kind, size_t idx, const char *s)
{
	const char *d = strstr(s, "::");
	const char *name = d != NULL ? d + 2 : s;

	if (d != NULL && plan_add(pl, 0, 0, "!s%.*s", (int)(d - s), s) != 0)
		return -1;
	if (plan_add(pl, kind, idx, "!i%s,1", name) != 0)
		return -1;
	if (d != NULL && pl->defaults[0] != '\0' &&
	    plan_add(pl, 0, 0, "!s%s", pl->defaults) != 0)
		return -1;
	return 0;
}

int
filter_remote_fetch_sets(struct filter_remote *r,
    const struct manrs_filter *job)
{
	struct plan pl = { .r = r };
	size_t i, ns = manrs_filter_nsets(job, false),
	    nr = manrs_filter_nsets(job, true);
	int rc = -1;

	r->job = job;
	r->sets = calloc(ns + 1, sizeof(*r->sets));
	r->setflags = calloc(ns + 1, sizeof(*r->setflags));
	r->rsets = calloc(nr + 1, sizeof(*r->rsets));
	if (r->sets == NULL || r->setflags == NULL || r->rsets == NULL)
		goto out;
	/* The server's default sources first (restored after pins). */
	if (plan_add(&pl, 0, 0, "!nmanrs-filter") != 0 ||
	    plan_add(&pl, 0, 0, "!s-lc") != 0 || plan_run(r, &pl) != 0)
		goto out;
	if (r->sources != NULL)
		snprintf(pl.defaults, sizeof(pl.defaults), "%s", r->sources);
	plan_reset(&pl);
	if (pl.defaults[0] != '\0' &&
	    plan_add(&pl, 0, 0, "!s%s", pl.defaults) != 0)
		goto out;
	for (i = 0; i < ns; i++)
		if (plan_set(&pl, 1, i, manrs_filter_set(job, false, i)) != 0)
			goto out;
	for (i = 0; i < nr; i++)
		if (plan_set(&pl, 2, i, manrs_filter_set(job, true, i)) != 0)
			goto out;
	rc = plan_run(r, &pl);
out:
	plan_free(&pl);
	return rc;
}

/* The job's index of a set name (the engine asks in the job's order). */
static size_t
set_index(const struct filter_remote *r, bool rs, const char *name)
{
	size_t i, n = manrs_filter_nsets(r->job, rs);

	for (i = 0; i < n; i++)
		if (strcmp(manrs_filter_set(r->job, rs, i), name) == 0)
			return i;
	return SIZE_MAX;
}

static int
remote_asset(void *arg, const char *name, struct manrs_irrdb_asns *out,
    unsigned *flags)
{
	struct filter_remote *r = arg;
	size_t i = set_index(r, false, name), j;

	if (i == SIZE_MAX)
		return MANRS_E_NOTFOUND;
	*flags = r->setflags[i];
	for (j = 0; j < r->sets[i].n; j++)
		if (push_asn(out, r->sets[i].v[j]) != 0)
			return MANRS_E_NOMEM;
	return 0;
}

static int
remote_routeset(void *arg, const char *name, uint8_t af,
    struct manrs_irrdb_ranges *out, unsigned *flags)
{
	struct filter_remote *r = arg;
	size_t i = set_index(r, true, name), j;

	(void)af;
	*flags = 0;
	if (i == SIZE_MAX)
		return MANRS_E_NOTFOUND;
	for (j = 0; j < r->rsets[i].n; j++)
		if (push_range(out, &r->rsets[i].v[j]) != 0)
			return MANRS_E_NOMEM;
	return 0;
}

/* Phase 2: the route objects of every origin, pipelined. */
static int
remote_origins(void *arg, const uint32_t *v, size_t n, uint8_t af)
{
	struct filter_remote *r = arg;
	struct plan pl = { .r = r };
	size_t i;
	int rc = MANRS_E_NOMEM;

	if ((r->oasn = malloc((n + 1) * sizeof(*r->oasn))) == NULL ||
	    (r->orig = calloc(n + 1, sizeof(*r->orig))) == NULL)
		goto out;
	if (n > 0)
		memcpy(r->oasn, v, n * sizeof(*v));
	r->on = n;
	if (r->sources != NULL &&
	    plan_add(&pl, 0, 0, "!s%s", r->sources) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if (plan_add(&pl, 3, i, af == MANRS_AF_INET ? "!gas%" PRIu32 :
		    "!6as%" PRIu32, v[i]) != 0)
			goto out;
	rc = pl.n > 0 && plan_run(r, &pl) != 0 ? MANRS_E_IO : 0;
out:
	plan_free(&pl);
	return rc;
}

static int
u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
remote_origin(void *arg, uint32_t asn, uint8_t af,
    struct manrs_irrdb_ranges *out)
{
	struct filter_remote *r = arg;
	const uint32_t *hit;
	size_t j, k;

	(void)af;
	if (r->on == 0 || (hit = bsearch(&asn, r->oasn, r->on,
	    sizeof(*r->oasn), u32cmp)) == NULL)
		return 0;
	k = (size_t)(hit - r->oasn);
	for (j = 0; j < r->orig[k].n; j++)
		if (push_range(out, &r->orig[k].v[j]) != 0)
			return MANRS_E_NOMEM;
	return 0;
}

void
filter_remote_lookup(struct filter_remote *r, struct manrs_filter_lookup *l)
{
	l->arg = r;
	l->asset = remote_asset;
	l->routeset = remote_routeset;
	l->origins = remote_origins;
	l->origin = remote_origin;
}

void
filter_remote_free(struct filter_remote *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; r->sets != NULL && i < manrs_filter_nsets(r->job, false);
	    i++)
		manrs_irrdb_asns_clear(&r->sets[i]);
	for (i = 0; r->rsets != NULL && i < manrs_filter_nsets(r->job, true);
	    i++)
		manrs_irrdb_ranges_clear(&r->rsets[i]);
	for (i = 0; r->orig != NULL && i < r->on; i++)
		manrs_irrdb_ranges_clear(&r->orig[i]);
	free(r->sets);
	free(r->setflags);
	free(r->rsets);
	free(r->oasn);
	free(r->orig);
	free(r);
}
