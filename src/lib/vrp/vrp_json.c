/*
 * vrp_json.c - streaming reader for the JSON forms of validated RPKI
 * data, built on yajl's event parser so that a 100 MB file is never held
 * as a document: memory stays at the size of the result.
 *
 * Accepted (one state machine, keyed on member names):
 *   rpki-client -j   {"metadata":{"buildtime":..}, "roas":[{asn,prefix,
 *                    maxLength,ta,expires}], "aspas":[{customer,expires,
 *                    providers:[..]}], "bgpsec_keys":[{asn,ski,pubkey,..}],
 *                    older "provider_authorizations":{"ipv4":[{
 *                    customer_asid,expires,providers}],"ipv6":[..]}}
 *   Routinator json / jsonext: "asn":"AS65000", jsonext "source":[{
 *                    "chainValidity":{"notAfter":..}}], "aspas":[{
 *                    "customer":"AS..","providers":["AS.."]}],
 *                    "routerKeys":[{"asn","SKI","routerPublicKey"}]
 *   StayRTR / Cloudflare: {"metadata":{"generated":N,"valid":N},
 *                    "roas":[..], "bgpsec_keys":[..]}
 * Expired entries (expires or chain notAfter at or before "now") are
 * dropped and counted.  A file whose build time is older than max_age is
 * refused.  Every string is bounded (MANRS_VRP_JSON_STRING_MAX), nesting
 * is bounded (MANRS_VRP_JSON_DEPTH_MAX); the first bad entry fails the
 * read with its byte offset.  maxLength rules: RFC 6482 section 3.3.
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "vrp_int.h"

#define JSON_CHUNK	(64u * 1024u)

enum sec { SEC_NONE, SEC_META, SEC_ROAS, SEC_ASPAS, SEC_RKEYS, SEC_PA,
	SEC_OTHER };

enum key {
	K_OTHER, K_ASN, K_PREFIX, K_MAXLEN, K_EXPIRES, K_CUSTOMER,
	K_PROVIDERS, K_PROVIDER, K_SKI, K_PUBKEY, K_NOTAFTER, K_CHAIN,
	K_BUILDTIME, K_GENERATED, K_VALID, K_SOURCE,
};

struct frame {
	bool		map;
	enum key	key;	/* key under which this container sits */
};

struct entry {
	bool		prefix_ok, asn_ok, maxlen_ok, customer_ok, ski_ok;
	struct manrs_prefix prefix;
	uint32_t	asn, maxlen, customer;
	int64_t		expires, chain_expires;
	uint8_t		ski[20];
	uint8_t		spki[MANRS_VRP_SPKI_MAX];
	size_t		spki_len;
	uint32_t	*prov;
	size_t		nprov, capprov;
};

struct jctx {
	struct manrs_vrp_set	*s;
	const struct manrs_vrp_read_opts *o;
	struct manrs_diag_sink	*diag;
	const char		*name;
	yajl_handle		 h;
	uint64_t		 base;	/* offset of the current chunk */
	struct frame		 st[MANRS_VRP_JSON_DEPTH_MAX];
	unsigned		 depth;
	enum key		 curkey;	/* last map key at top frame */
	char			 curkey_text[64];
	enum sec		 sec;
	unsigned		 entry_depth;	/* 0 = not in an entry */
	struct entry		 e;
	int			 err;
	int64_t			 buildtime;
};

static void
jerr(struct jctx *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
jerr(struct jctx *c, int err, const char *fmt, ...)
{
	char msg[MANRS_DIAG_MSG_MAX];
	va_list ap;

	if (c->err != 0)
		return;
	c->err = err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	manrs_diag_report(c->diag, MANRS_SEV_ERROR, c->name, 0,
	    c->base + yajl_get_bytes_consumed(c->h), "%s", msg);
}

static enum key
key_id(const unsigned char *k, size_t n)
{
	static const struct { const char *s; enum key k; } tab[] = {
		{ "asn", K_ASN }, { "asID", K_ASN }, { "prefix", K_PREFIX },
		{ "maxLength", K_MAXLEN }, { "max_length", K_MAXLEN },
		{ "maxPrefixLength", K_MAXLEN }, { "expires", K_EXPIRES },
		{ "customer", K_CUSTOMER }, { "customer_asid", K_CUSTOMER },
		{ "customerAsid", K_CUSTOMER }, { "customerAsn", K_CUSTOMER },
		{ "providers", K_PROVIDERS }, { "provider_asid", K_PROVIDER },
		{ "asid", K_PROVIDER }, { "provider", K_PROVIDER },
		{ "ski", K_SKI }, { "SKI", K_SKI }, { "pubkey", K_PUBKEY },
		{ "routerPublicKey", K_PUBKEY }, { "notAfter", K_NOTAFTER },
		{ "chainValidity", K_CHAIN }, { "buildtime", K_BUILDTIME },
		{ "generated", K_GENERATED }, { "valid", K_VALID },
		{ "source", K_SOURCE },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].s) == n && memcmp(tab[i].s, k, n) == 0)
			return tab[i].k;
	return K_OTHER;
}

static enum sec
sec_id(const unsigned char *k, size_t n)
{
	struct manrs_view v = manrs_view_make((const char *)k, n);

	if (manrs_view_eq(v, "metadata"))
		return SEC_META;
	if (manrs_view_eq(v, "roas"))
		return SEC_ROAS;
	if (manrs_view_eq(v, "aspas") || manrs_view_eq(v, "aspa"))
		return SEC_ASPAS;
	if (manrs_view_eq(v, "bgpsec_keys") || manrs_view_eq(v, "routerKeys") ||
	    manrs_view_eq(v, "router_keys"))
		return SEC_RKEYS;
	if (manrs_view_eq(v, "provider_authorizations"))
		return SEC_PA;
	return SEC_OTHER;
}

static unsigned
entry_level(enum sec s)
{
	switch (s) {
	case SEC_ROAS:
	case SEC_ASPAS:
	case SEC_RKEYS:
		return 3;
	case SEC_PA:
		return 4;
	default:
		return 0;
	}
}

static void
entry_reset(struct jctx *c)
{
	uint32_t *prov = c->e.prov;
	size_t cap = c->e.capprov;

	memset(&c->e, 0, sizeof(c->e));
	c->e.prov = prov;
	c->e.capprov = cap;
}

static int
prov_add(struct jctx *c, uint32_t asn)
{
	struct entry *e = &c->e;

	if (e->nprov >= MANRS_VRP_ASPA_PROVIDERS_MAX) {
		jerr(c, MANRS_E_LIMIT, "more than %u ASPA providers",
		    MANRS_VRP_ASPA_PROVIDERS_MAX);
		return -1;
	}
	if (manrs_grow((void **)&e->prov, &e->capprov, e->nprov,
	    sizeof(*e->prov)) != 0) {
		jerr(c, MANRS_E_NOMEM, "out of memory");
		return -1;
	}
	e->prov[e->nprov++] = asn;
	return 0;
}

/* When the entry stops being in force; 0 = it carries no time. */
static int64_t
entry_expiry(const struct jctx *c)
{
	return c->e.expires ? c->e.expires : c->e.chain_expires;
}

/* Past its expiry?  Else remember the earliest expiry kept. */
static bool
expired(struct jctx *c)
{
	int64_t t = entry_expiry(c);
	int64_t *next = &c->s->stats.next_expiry;

	if (t != 0 && t <= (int64_t)c->o->now)
		return true;
	if (t != 0 && (*next == 0 || t < *next))
		*next = t;
	return false;
}

static void
entry_end_roa(struct jctx *c)
{
	struct manrs_vrp v;
	int rc;

	if (!c->e.prefix_ok || !c->e.asn_ok) {
		jerr(c, MANRS_E_FORMAT, "ROA entry without %s",
		    c->e.prefix_ok ? "\"asn\"" : "\"prefix\"");
		return;
	}
	c->s->stats.vrps_read++;
	if (expired(c)) {
		c->s->stats.vrps_expired++;
		return;
	}
	memset(&v, 0, sizeof(v));
	v.prefix = c->e.prefix;
	v.asn = c->e.asn;
	v.maxlen = c->e.maxlen_ok ? (uint8_t)c->e.maxlen : c->e.prefix.len;
	if (c->e.maxlen_ok && (c->e.maxlen < c->e.prefix.len ||
	    c->e.maxlen > manrs_af_bits(c->e.prefix.af))) {
		jerr(c, MANRS_E_RANGE, "\"maxLength\" %u outside %u..%u "
		    "(RFC 6482 section 3.3)", c->e.maxlen, c->e.prefix.len,
		    manrs_af_bits(c->e.prefix.af));
		return;
	}
	if ((rc = vrp_add_exp(c->s, &v, entry_expiry(c))) != 0)
		jerr(c, rc, "ROA: %s%s", manrs_strerror(rc),
		    rc == MANRS_E_LIMIT ? " (too many VRPs)" : "");
}

static void
entry_end_aspa(struct jctx *c)
{
	int rc;

	if (!c->e.customer_ok) {
		jerr(c, MANRS_E_FORMAT, "ASPA entry without a customer");
		return;
	}
	c->s->stats.aspas_read++;
	if (expired(c)) {
		c->s->stats.aspas_expired++;
		return;
	}
	if ((rc = vrp_aspa_add_exp(c->s, c->e.customer, c->e.prov,
	    c->e.nprov, entry_expiry(c))) != 0)
		jerr(c, rc, "ASPA AS%u: %s", c->e.customer, manrs_strerror(rc));
}

static void
entry_end_rkey(struct jctx *c)
{
	int rc;

	if (!c->e.asn_ok || !c->e.ski_ok || c->e.spki_len == 0) {
		jerr(c, MANRS_E_FORMAT, "router key without asn, ski or key");
		return;
	}
	c->s->stats.rkeys_read++;
	if (expired(c)) {
		c->s->stats.rkeys_expired++;
		return;
	}
	if ((rc = vrp_rkey_add_exp(c->s, c->e.asn, c->e.ski, c->e.spki,
	    c->e.spki_len, entry_expiry(c))) != 0)
		jerr(c, rc, "router key: %s", manrs_strerror(rc));
}

static int
asn_value(struct jctx *c, const char *p, size_t n, uint32_t *out)
{
	int rc;

	if ((rc = manrs_asn_parse(manrs_view_make(p, n), out)) != 0)
		jerr(c, rc, "bad AS number \"%.*s\"", (int)(n > 40 ? 40 : n), p);
	return rc;
}

/* A scalar (string or number text) at the current position. */
static int
scalar(struct jctx *c, const char *p, size_t n, bool is_str)
{
	struct manrs_view v = manrs_view_make(p, n);
	struct frame *top;
	unsigned rel;
	int64_t t;
	int rc;

	if (c->depth == 0) {
		/* A bare "123" or "\"x\"": there is no frame to look at. */
		jerr(c, MANRS_E_FORMAT, "the document is a %s, not an object",
		    is_str ? "string" : "number");
		return 0;
	}
	top = &c->st[c->depth - 1];
	if (n > MANRS_VRP_JSON_STRING_MAX) {
		jerr(c, MANRS_E_LIMIT, "value longer than %u bytes",
		    MANRS_VRP_JSON_STRING_MAX);
		return 0;
	}
	if (c->sec == SEC_META && c->depth == 2 && top->map) {
		if ((c->curkey == K_BUILDTIME || c->curkey == K_GENERATED ||
		    manrs_view_eq(manrs_view_cstr(c->curkey_text),
		    "generatedTime")) && vrp_time_parse(v, &t) == 0 &&
		    t > c->buildtime)
			c->buildtime = t;
		return 1;
	}
	if (c->entry_depth == 0 || c->depth < c->entry_depth)
		return 1;
	rel = c->depth - c->entry_depth;
	/* Providers: numbers, "AS.." strings, or objects with an AS. */
	if ((rel == 1 && !top->map && top->key == K_PROVIDERS) ||
	    (rel == 2 && top->map && c->curkey == K_PROVIDER &&
	    c->st[c->depth - 2].key == K_PROVIDERS)) {
		uint32_t a;

		if (asn_value(c, p, n, &a) != 0)
			return 0;
		return prov_add(c, a) == 0;
	}
	if (rel >= 1 && top->map && c->curkey == K_NOTAFTER &&
	    top->key == K_CHAIN) {
		if (vrp_time_parse(v, &t) != 0) {
			jerr(c, MANRS_E_SYNTAX, "bad notAfter time");
			return 0;
		}
		if (t > c->e.chain_expires)
			c->e.chain_expires = t;
		return 1;
	}
	if (rel != 0 || !top->map)
		return 1;
	switch (c->curkey) {
	case K_ASN:
		if (asn_value(c, p, n, &c->e.asn) != 0)
			return 0;
		c->e.asn_ok = true;
		break;
	case K_CUSTOMER:
		if (asn_value(c, p, n, &c->e.customer) != 0)
			return 0;
		c->e.customer_ok = true;
		break;
	case K_PREFIX:
		if ((rc = manrs_prefix_parse(v, 0, &c->e.prefix)) != 0) {
			jerr(c, rc, "bad prefix \"%.*s\": %s",
			    (int)(n > 50 ? 50 : n), p, manrs_strerror(rc));
			return 0;
		}
		c->e.prefix_ok = true;
		break;
	case K_MAXLEN:
		if (manrs_view_u32(v, 255, &c->e.maxlen) != 0) {
			jerr(c, MANRS_E_RANGE, "bad maxLength \"%.*s\"",
			    (int)(n > 20 ? 20 : n), p);
			return 0;
		}
		c->e.maxlen_ok = true;
		break;
	case K_EXPIRES:
		if (vrp_time_parse(v, &c->e.expires) != 0) {
			jerr(c, MANRS_E_SYNTAX, "bad expires value");
			return 0;
		}
		break;
	case K_SKI:
		if (vrp_ski_hex(v, c->e.ski) != 0) {
			jerr(c, MANRS_E_SYNTAX, "SKI is not 20 hex bytes");
			return 0;
		}
		c->e.ski_ok = true;
		break;
	case K_PUBKEY:
		if (!is_str || vrp_base64(v, c->e.spki, sizeof(c->e.spki),
		    &c->e.spki_len) != 0) {
			jerr(c, MANRS_E_SYNTAX, "router key is not base64 of "
			    "at most %u bytes", MANRS_VRP_SPKI_MAX);
			return 0;
		}
		break;
	default:
		break;
	}
	return 1;
}

static int
cb_null(void *ctx)
{
	(void)ctx;
	return 1;
}

static int
cb_bool(void *ctx, int b)
{
	(void)ctx;
	(void)b;
	return 1;
}

static int
cb_number(void *ctx, const char *s, size_t n)
{
	struct jctx *c = ctx;

	return scalar(c, s, n, false) && c->err == 0;
}

static int
cb_string(void *ctx, const unsigned char *s, size_t n)
{
	struct jctx *c = ctx;

	return scalar(c, (const char *)s, n, true) && c->err == 0;
}

static int
open_frame(struct jctx *c, bool map)
{
	enum key k = K_OTHER;

	if (c->depth >= MANRS_VRP_JSON_DEPTH_MAX) {
		jerr(c, MANRS_E_LIMIT, "JSON nested deeper than %u",
		    MANRS_VRP_JSON_DEPTH_MAX);
		return 0;
	}
	if (c->depth > 0 && c->st[c->depth - 1].map)
		k = c->curkey;
	else if (c->depth > 0)
		k = c->st[c->depth - 1].key;	/* array element */
	c->st[c->depth].map = map;
	c->st[c->depth].key = k;
	c->depth++;
	c->curkey = K_OTHER;
	c->curkey_text[0] = '\0';
	if (map && c->entry_depth == 0 && c->depth == entry_level(c->sec) &&
	    !c->st[c->depth - 2].map) {
		c->entry_depth = c->depth;
		entry_reset(c);
	}
	return 1;
}

static int
close_frame(struct jctx *c)
{
	if (c->depth == 0)
		return 0;
	if (c->entry_depth != 0 && c->depth == c->entry_depth) {
		switch (c->sec) {
		case SEC_ROAS:
			entry_end_roa(c);
			break;
		case SEC_ASPAS:
		case SEC_PA:
			entry_end_aspa(c);
			break;
		case SEC_RKEYS:
			entry_end_rkey(c);
			break;
		default:
			break;
		}
		c->entry_depth = 0;
	}
	c->depth--;
	if (c->depth == 1)
		c->sec = SEC_NONE;
	c->curkey = K_OTHER;	/* keys after a nested value are new */
	return c->err == 0;
}

static int
cb_start_map(void *ctx)
{
	return open_frame(ctx, true);
}

static int
cb_end_map(void *ctx)
{
	return close_frame(ctx);
}

static int
cb_start_array(void *ctx)
{
	return open_frame(ctx, false);
}

static int
cb_end_array(void *ctx)
{
	return close_frame(ctx);
}

static int
cb_map_key(void *ctx, const unsigned char *k, size_t n)
{
	struct jctx *c = ctx;

	if (n > MANRS_VRP_JSON_STRING_MAX) {
		jerr(c, MANRS_E_LIMIT, "member name longer than %u bytes",
		    MANRS_VRP_JSON_STRING_MAX);
		return 0;
	}
	c->curkey = key_id(k, n);
	if (n < sizeof(c->curkey_text)) {
		memcpy(c->curkey_text, k, n);
		c->curkey_text[n] = '\0';
	} else
		c->curkey_text[0] = '\0';
	if (c->depth == 1)
		c->sec = sec_id(k, n);
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array,
};

static void
parse_error(struct jctx *c, const unsigned char *buf, size_t len)
{
	unsigned char *msg;

	if (c->err != 0)
		return;
	msg = yajl_get_error(c->h, 0, buf, len);
	if (msg != NULL) {
		size_t n = strlen((char *)msg);

		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
	}
	jerr(c, MANRS_E_SYNTAX, "JSON: %s", msg != NULL ? (char *)msg :
	    "syntax error");
	if (msg != NULL)
		yajl_free_error(c->h, msg);
}

static int
check_stale(struct jctx *c)
{
	int64_t now = (int64_t)c->o->now;

	c->s->stats.buildtime = c->buildtime;
	if (c->o->max_age == 0 || c->buildtime == 0)
		return 0;
	if (c->buildtime < now - (int64_t)c->o->max_age) {
		manrs_diag_report(c->diag, MANRS_SEV_ERROR, c->name, 0,
		    UINT64_MAX, "stale: built %lld s ago, limit %llu s",
		    (long long)(now - c->buildtime),
		    (unsigned long long)c->o->max_age);
		return MANRS_E_RANGE;
	}
	return 0;
}

int
vrp_json_read(struct manrs_vrp_set *s, struct manrs_input *in,
    const struct manrs_vrp_read_opts *o, struct manrs_diag_sink *diag)
{
	struct jctx *c;
	unsigned char *buf;
	ptrdiff_t n;
	yajl_status st;
	int rc;

	c = calloc(1, sizeof(*c));
	buf = malloc(JSON_CHUNK);
	if (c == NULL || buf == NULL) {
		free(c);
		free(buf);
		return MANRS_E_NOMEM;
	}
	c->s = s;
	c->o = o;
	c->diag = diag;
	c->name = manrs_input_name(in);
	if ((c->h = yajl_alloc(&callbacks, NULL, c)) == NULL) {
		rc = MANRS_E_NOMEM;
		goto out;
	}
	for (;;) {
		n = manrs_input_read(in, buf, JSON_CHUNK);
		if (n < 0) {
			manrs_diag_report(diag, MANRS_SEV_ERROR, c->name, 0,
			    manrs_input_offset(in), "read: %s",
			    manrs_strerror((int)n));
			c->err = (int)n;
			break;
		}
		if (n == 0) {
			if (yajl_complete_parse(c->h) != yajl_status_ok)
				parse_error(c, NULL, 0);
			break;
		}
		st = yajl_parse(c->h, buf, (size_t)n);
		if (st != yajl_status_ok) {
			parse_error(c, buf, (size_t)n);
			break;
		}
		c->base += (uint64_t)n;
	}
	rc = c->err;
	if (rc == 0)
		rc = check_stale(c);
out:
	if (c->h != NULL)
		yajl_free(c->h);
	free(c->e.prov);
	free(c);
	free(buf);
	return rc;
}
