/*
 * spoofer_caida.c - CAIDA Spoofer's published session results (the
 * Spoofer Data API's JSON, https://api.spoofer.caida.org/sessions) as
 * spoofing tests for MANRS M5/M5C.
 *
 * Streamed through yajl: any JSON object holding session members is a
 * session, wherever it sits (in "hydra:member" of the JSON-LD collection,
 * in a plain array, or one object per line), so the read needs memory
 * for one session only.  Members of one session, as the API and CAIDA's
 * dump script write them:
 *
 *   {"@id":"/sessions/891176","@type":"Session","asn4":"3356",
 *    "asn6":null,"client4":"4.30.179.0/24","client6":null,
 *    "country":"usa","nat4":true,"nat6":null,"privatespoof":"blocked",
 *    "privatespoof6":null,"routedspoof":"blocked","routedspoof6":null,
 *    "session":891176,"timestamp":"2020-05-07T14:34:59+00:00"}
 *
 * A status "received" means a packet with a spoofed source reached
 * CAIDA's servers: the client's network does not validate source
 * addresses.  "rewritten" means a NAT rewrote the spoofed source (the
 * packet did not leave spoofed), "blocked" that it was filtered;
 * "unknown" or null that the test did not run.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "spoofer_int.h"

#define CHUNK		(64u * 1024u)
#define VALUE_MAX	64		/* longest member value kept */

enum member {
	M_OTHER = -1,
	M_SESSION, M_TIMESTAMP, M_ASN4, M_ASN6, M_CLIENT4, M_CLIENT6,
	M_PRIVATE4, M_PRIVATE6, M_ROUTED4, M_ROUTED6,
	M_COUNT
};

static const char *const member_names[M_COUNT] = {
	"session", "timestamp", "asn4", "asn6", "client4", "client6",
	"privatespoof", "privatespoof6", "routedspoof", "routedspoof6",
};

struct session {
	bool	any;			/* a session member was seen */
	bool	set[M_COUNT];		/* present and not null */
	bool	toolong[M_COUNT];
	char	v[M_COUNT][VALUE_MAX];
};

struct cctx {
	struct manrs_spoofer	*sp;
	struct manrs_diag_sink	*diag;
	const char		*name;
	yajl_handle		 h;
	uint64_t		 base;		/* offset of the chunk */
	unsigned		 level;	/* maps and arrays open */
	unsigned		 rec_level; /* the session's map; 0 none */
	enum member		 key;		/* at rec_level */
	struct session		 s;
	uint64_t		 sessions;
	int			 err;		/* stops the parse */
};

static uint64_t
offset(const struct cctx *c)
{
	return c->base + yajl_get_bytes_consumed(c->h);
}

static void
bad(struct cctx *c, const char *fmt, ...) __attribute__((format(printf, 2,
    3)));

static void
bad(struct cctx *c, const char *fmt, ...)
{
	char msg[MANRS_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	manrs_diag_report(c->diag, MANRS_SEV_ERROR, c->name, 0, offset(c),
	    "session %s: %s", c->s.set[M_SESSION] ? c->s.v[M_SESSION] : "?",
	    msg);
}

/*
 * RFC 3339 time with an offset ("2020-05-07T14:34:59+00:00"), or what
 * manrs_time_parse() takes (Z, unix seconds).
 */
static int
parse_time(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t off = 0;
	uint32_t h, m;

	if (n == 25 && (s[19] == '+' || s[19] == '-') && s[22] == ':') {
		if (manrs_view_u32(manrs_view_make(s + 20, 2), 23, &h) != 0 ||
		    manrs_view_u32(manrs_view_make(s + 23, 2), 59, &m) != 0)
			return MANRS_E_SYNTAX;
		off = (int64_t)h * 3600 + (int64_t)m * 60;
		if (s[19] == '-')
			off = -off;
		n = 19;
	}
	if (manrs_time_parse(manrs_view_make(s, n), out) != 0)
		return MANRS_E_SYNTAX;
	*out -= off;
	return 0;
}

/* 1 spoofed, 0 not, -1 no test ("unknown", absent), -2 not a status. */
static int
status(const struct session *s, enum member m)
{
	if (!s->set[m] || strcmp(s->v[m], "unknown") == 0)
		return -1;
	if (strcmp(s->v[m], "received") == 0)
		return 1;
	if (strcmp(s->v[m], "blocked") == 0 ||
	    strcmp(s->v[m], "rewritten") == 0)
		return 0;
	return -2;
}

/* The test of one address family, if the session has one. */
static void
family(struct cctx *c, int64_t t, enum member asn, enum member client,
    enum member priv, enum member routed)
{
	struct manrs_spoof_test x;
	int p, r, rc;

	if (!c->s.set[asn] || !c->s.set[client])
		return;
	p = status(&c->s, priv);
	r = status(&c->s, routed);
	if (p == -2 || r == -2) {
		bad(c, "%s \"%s\": received, blocked, rewritten or unknown "
		    "expected", member_names[p == -2 ? priv : routed],
		    c->s.v[p == -2 ? priv : routed]);
		return;
	}
	if (p < 0 && r < 0)
		return;
	memset(&x, 0, sizeof(x));
	x.time = t;
	x.spoofed = p == 1 || r == 1;
	if (manrs_asn_parse(manrs_view_cstr(c->s.v[asn]), &x.asn) != 0) {
		bad(c, "%s \"%s\" is not an AS number", member_names[asn],
		    c->s.v[asn]);
		return;
	}
	if (manrs_prefix_parse(manrs_view_cstr(c->s.v[client]),
	    MANRS_PREFIX_HOST | MANRS_PREFIX_NORMALIZE, &x.prefix) != 0 ||
	    (x.prefix.af == MANRS_AF_INET) != (client == M_CLIENT4)) {
		bad(c, "%s \"%s\" is not an IPv%c prefix", member_names[client],
		    c->s.v[client], client == M_CLIENT4 ? '4' : '6');
		return;
	}
	if ((rc = spoofer_add(c->sp, &x)) != 0) {
		c->err = rc;
		manrs_diag_report(c->diag, MANRS_SEV_ERROR, c->name, 0,
		    offset(c), "%s", manrs_strerror(rc));
	}
}

static void
session_end(struct cctx *c)
{
	int64_t t;
	int m;

	c->sessions++;
	for (m = 0; m < M_COUNT; m++)
		if (c->s.toolong[m]) {
			bad(c, "%s longer than %u bytes", member_names[m],
			    VALUE_MAX - 1);
			return;
		}
	if (!c->s.set[M_TIMESTAMP]) {
		bad(c, "no timestamp");
		return;
	}
	if (parse_time(c->s.v[M_TIMESTAMP], &t) != 0) {
		bad(c, "timestamp \"%s\" is not RFC 3339",
		    c->s.v[M_TIMESTAMP]);
		return;
	}
	family(c, t, M_ASN4, M_CLIENT4, M_PRIVATE4, M_ROUTED4);
	if (c->err == 0)
		family(c, t, M_ASN6, M_CLIENT6, M_PRIVATE6, M_ROUTED6);
}

/* A scalar member value directly inside the session's map. */
static int
value(struct cctx *c, const char *p, size_t n, bool null)
{
	if (c->rec_level == 0 || c->level != c->rec_level ||
	    c->key == M_OTHER)
		return 1;
	if (null)
		c->s.set[c->key] = false;
	else if (n >= VALUE_MAX)
		c->s.toolong[c->key] = true;
	else {
		memcpy(c->s.v[c->key], p, n);
		c->s.v[c->key][n] = '\0';
		c->s.set[c->key] = true;
	}
	c->key = M_OTHER;
	return 1;
}

static int
cb_null(void *ctx)
{
	return value(ctx, NULL, 0, true);
}

static int
cb_bool(void *ctx, int b)
{
	return value(ctx, b ? "true" : "false", b ? 4 : 5, false);
}

static int
cb_number(void *ctx, const char *p, size_t n)
{
	return value(ctx, p, n, false);
}

static int
cb_string(void *ctx, const unsigned char *p, size_t n)
{
	return value(ctx, (const char *)p, n, false);
}

static int
open_level(struct cctx *c, bool map)
{
	if (c->level == MANRS_SPOOFER_JSON_DEPTH_MAX) {
		manrs_diag_report(c->diag, MANRS_SEV_ERROR, c->name, 0,
		    offset(c), "JSON nested deeper than %u levels",
		    MANRS_SPOOFER_JSON_DEPTH_MAX);
		c->err = MANRS_E_LIMIT;
		return 0;
	}
	c->level++;
	/* A member's value that is an object or array is not a scalar. */
	if (c->rec_level != 0 && c->level == c->rec_level + 1)
		c->key = M_OTHER;
	if (map && (c->rec_level == 0 || !c->s.any)) {
		memset(&c->s, 0, sizeof(c->s));
		c->rec_level = c->level;
		c->key = M_OTHER;
	}
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return open_level(ctx, true);
}

static int
cb_start_array(void *ctx)
{
	return open_level(ctx, false);
}

static int
cb_end_map(void *ctx)
{
	struct cctx *c = ctx;

	if (c->level == c->rec_level) {
		if (c->s.any)
			session_end(c);
		memset(&c->s, 0, sizeof(c->s));
		c->rec_level = 0;
	}
	c->level--;
	return c->err == 0;
}

static int
cb_end_array(void *ctx)
{
	struct cctx *c = ctx;

	c->level--;
	return 1;
}

static int
cb_map_key(void *ctx, const unsigned char *k, size_t n)
{
	struct cctx *c = ctx;
	int m;

	c->key = M_OTHER;
	if (c->level != c->rec_level)
		return 1;
	for (m = 0; m < M_COUNT; m++)
		if (strlen(member_names[m]) == n &&
		    memcmp(member_names[m], k, n) == 0) {
			c->key = (enum member)m;
			c->s.any = true;
			break;
		}
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array,
};

static void
syntax_error(struct cctx *c, const unsigned char *buf, size_t len)
{
	unsigned char *msg;
	size_t n;

	if (c->err != 0)
		return;
	c->err = MANRS_E_SYNTAX;
	msg = yajl_get_error(c->h, 0, buf, len);
	if (msg != NULL)
		for (n = strlen((char *)msg); n > 0 && (msg[n - 1] == '\n' ||
		    msg[n - 1] == ' '); n--)
			msg[n - 1] = '\0';
	manrs_diag_report(c->diag, MANRS_SEV_ERROR, c->name, 0, offset(c),
	    "JSON: %s", msg != NULL ? (char *)msg : "syntax error");
	if (msg != NULL)
		yajl_free_error(c->h, msg);
}

int
manrs_spoofer_read_caida(struct manrs_spoofer *sp, struct manrs_input *in,
    struct manrs_diag_sink *sink)
{
	struct cctx *c;
	unsigned char *buf;
	ptrdiff_t n;
	int rc;

	c = calloc(1, sizeof(*c));
	buf = malloc(CHUNK);
	if (c == NULL || buf == NULL) {
		free(c);
		free(buf);
		return MANRS_E_NOMEM;
	}
	c->sp = sp;
	c->diag = sink;
	c->name = manrs_input_name(in);
	c->key = M_OTHER;
	if ((c->h = yajl_alloc(&callbacks, NULL, c)) == NULL) {
		rc = MANRS_E_NOMEM;
		goto out;
	}
	/* JSON lines: one session object after the other. */
	yajl_config(c->h, yajl_allow_multiple_values, 1);
	while ((n = manrs_input_read(in, buf, CHUNK)) > 0) {
		size_t skip = 0;

		/* A UTF-8 byte order mark (RFC 8259 section 8.1 allows
		 * ignoring it). */
		if (c->base == 0 && n >= 3 && buf[0] == 0xef &&
		    buf[1] == 0xbb && buf[2] == 0xbf)
			skip = 3;
		c->base += skip;
		if (yajl_parse(c->h, buf + skip, (size_t)n - skip) !=
		    yajl_status_ok) {
			syntax_error(c, buf + skip, (size_t)n - skip);
			break;
		}
		c->base += (uint64_t)n - skip;
	}
	if (n < 0 && c->err == 0) {
		c->err = (int)n;
		manrs_diag_report(sink, MANRS_SEV_ERROR, c->name, 0,
		    manrs_input_offset(in), "read: %s",
		    manrs_strerror((int)n));
	}
	if (c->err == 0 && yajl_complete_parse(c->h) != yajl_status_ok)
		syntax_error(c, NULL, 0);
	rc = c->err;
out:
	if (c->h != NULL)
		yajl_free(c->h);
	free(buf);
	free(c);
	if (rc == 0 || rc == MANRS_E_SYNTAX) {
		int s = spoofer_settle(sp);

		if (s != 0)
			rc = s;
	}
	return rc;
}
