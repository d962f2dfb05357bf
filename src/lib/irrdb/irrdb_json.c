/*
 * irrdb_json.c - the ARIN origin-AS dump (as published by ARIN and
 * mirrored by NLNOG IRRexplorer: {"whois_records": {"v4": [{"prefix":
 * "...", "originas": "AS1 AS2", ...}, ...], "v6": [...]}}) as a source of
 * route/route6 objects, read as a stream (yajl) so the file is never
 * held whole.  Each (prefix, ASN) pair becomes a 3-line route object
 * ("route:", "origin:", "source:") that !r and RIPE-style queries show.
 *
 * Bounds: strings longer than JSON_STR_MAX, nesting deeper than
 * JSON_DEPTH_MAX are errors with the byte offset; a bad entry is
 * reported and skipped.
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "irrdb_int.h"

#define JSON_DEPTH_MAX	32
#define JSON_KEY_MAX	32
#define JSON_STR_MAX	256

struct jctx {
	struct manrs_irrdb	*db;
	int			 src;
	const char		*file;
	struct manrs_diag_sink	*sink;
	uint64_t		 base;		/* bytes before this chunk */
	yajl_handle		 h;
	int			 depth;
	char			 key[JSON_DEPTH_MAX + 1][JSON_KEY_MAX];
	char			 prefix[JSON_STR_MAX];
	char			 origin[JSON_STR_MAX];
	uint64_t		 index;		/* entry number in v4/v6 */
	int			 err;
};

static bool
in_entry(const struct jctx *c)
{
	return c->depth == 4 && strcmp(c->key[1], "whois_records") == 0 &&
	    (strcmp(c->key[2], "v4") == 0 || strcmp(c->key[2], "v6") == 0);
}

static uint64_t
offset(const struct jctx *c)
{
	return c->base + yajl_get_bytes_consumed(c->h);
}

/* One (prefix, ASN) pair as a route object of the source. */
static int
add_pair(struct jctx *c, bool v6, struct manrs_view asn)
{
	struct manrs_rpsl_attr at[3];
	struct manrs_rpsl_obj o;
	char text[3 * JSON_STR_MAX];
	const char *cls = v6 ? "route6" : "route";
	size_t pl = strlen(c->prefix), n = 0, k;
	const char *sn = c->db->src_name[c->src];

	memset(&o, 0, sizeof(o));
	memset(at, 0, sizeof(at));
	/* "route:          P\norigin:         AS\nsource:         S\n" */
	k = strlen(cls);
	memcpy(text, cls, k);
	text[k] = ':';
	memset(text + k + 1, ' ', 16 - k - 1);
	at[0].name = manrs_view_make(text, k);
	n = 16;
	memcpy(text + n, c->prefix, pl);
	at[0].value = manrs_view_make(text + n, pl);
	n += pl;
	memcpy(text + n, "\norigin:         ", 17);
	at[1].name = manrs_view_make(text + n + 1, 6);
	n += 17;
	memcpy(text + n, asn.p, asn.len);
	at[1].value = manrs_view_make(text + n, asn.len);
	n += asn.len;
	memcpy(text + n, "\nsource:         ", 17);
	at[2].name = manrs_view_make(text + n + 1, 6);
	n += 17;
	k = strlen(sn);
	memcpy(text + n, sn, k);
	at[2].value = manrs_view_make(text + n, k);
	n += k;
	text[n++] = '\n';
	o.cls = v6 ? MANRS_RPSL_ROUTE6 : MANRS_RPSL_ROUTE;
	o.cls_name = at[0].name;
	o.key = at[0].value;
	o.text = manrs_view_make(text, n);
	o.attrs = at;
	o.nattrs = 3;
	o.file = c->file;
	o.line = 0;
	return irrdb_add_object(c->db, c->src, &o, c->sink);
}

static void
entry_done(struct jctx *c)
{
	struct manrs_view ov, tok;
	struct manrs_prefix p;
	bool v6 = strcmp(c->key[2], "v6") == 0;
	uint32_t asn;

	c->index++;
	if (c->prefix[0] == '\0' || c->origin[0] == '\0') {
		manrs_diag_report(c->sink, MANRS_SEV_ERROR, c->file, 0,
		    offset(c), "whois_records.%s[%llu]: missing \"prefix\" or "
		    "\"originas\"; skipped", c->key[2],
		    (unsigned long long)c->index - 1);
		c->db->skipped++;
		return;
	}
	if (manrs_prefix_parse(manrs_view_cstr(c->prefix), v6 ?
	    MANRS_PREFIX_V6_ONLY : MANRS_PREFIX_V4_ONLY, &p) != 0) {
		manrs_diag_report(c->sink, MANRS_SEV_ERROR, c->file, 0,
		    offset(c), "whois_records.%s[%llu]: invalid prefix \"%s\"; "
		    "skipped", c->key[2], (unsigned long long)c->index - 1,
		    c->prefix);
		c->db->skipped++;
		return;
	}
	ov = manrs_view_cstr(c->origin);		/* may list several */
	while (c->err == 0 && manrs_rpsl_list_next(&ov, &tok)) {
		if (manrs_asn_parse(tok, &asn) != 0) {
			manrs_diag_report(c->sink, MANRS_SEV_ERROR, c->file, 0,
			    offset(c), "whois_records.%s[%llu]: invalid "
			    "origin \"%.*s\"; skipped", c->key[2],
			    (unsigned long long)c->index - 1, (int)tok.len,
			    tok.p);
			c->db->skipped++;
			continue;
		}
		c->err = add_pair(c, v6, tok);
	}
}

static int
j_start_map(void *arg)
{
	struct jctx *c = arg;

	if (++c->depth > JSON_DEPTH_MAX) {
		manrs_diag_report(c->sink, MANRS_SEV_ERROR, c->file, 0,
		    offset(c), "JSON nested deeper than JSON_DEPTH_MAX");
		c->err = MANRS_E_LIMIT;
		return 0;
	}
	c->key[c->depth][0] = '\0';
	if (in_entry(c))
		c->prefix[0] = c->origin[0] = '\0';
	return 1;
}

static int
j_end_map(void *arg)
{
	struct jctx *c = arg;

	if (in_entry(c))
		entry_done(c);
	c->depth--;
	return c->err == 0;
}

static int
j_start_array(void *arg)
{
	struct jctx *c = arg;

	if (++c->depth > JSON_DEPTH_MAX) {
		c->err = MANRS_E_LIMIT;
		return 0;
	}
	c->key[c->depth][0] = '\0';
	return 1;
}

static int
j_end_array(void *arg)
{
	((struct jctx *)arg)->depth--;
	return 1;
}

static int
j_map_key(void *arg, const unsigned char *s, size_t n)
{
	struct jctx *c = arg;

	if (n >= JSON_KEY_MAX)
		n = 0;		/* no key we care about is that long */
	memcpy(c->key[c->depth], s, n);
	c->key[c->depth][n] = '\0';
	return 1;
}

static int
j_string(void *arg, const unsigned char *s, size_t n)
{
	struct jctx *c = arg;
	char *dst;

	if (c->depth == 1 && strcmp(c->key[1], "generation_date") == 0) {
		c->db->read_gen = irrdb_iso_time(manrs_view_make(
		    (const char *)s, n));
		return 1;
	}
	if (!in_entry(c))
		return 1;
	if (strcmp(c->key[4], "prefix") == 0)
		dst = c->prefix;
	else if (strcmp(c->key[4], "originas") == 0)
		dst = c->origin;
	else
		return 1;
	if (n >= JSON_STR_MAX) {
		manrs_diag_report(c->sink, MANRS_SEV_ERROR, c->file, 0,
		    offset(c), "\"%s\" longer than JSON_STR_MAX; entry "
		    "skipped", c->key[4]);
		n = 0;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_start_map = j_start_map,
	.yajl_end_map = j_end_map,
	.yajl_start_array = j_start_array,
	.yajl_end_array = j_end_array,
	.yajl_map_key = j_map_key,
	.yajl_string = j_string,
};

int
irrdb_load_json(struct manrs_irrdb *db, int src, const char *path,
    struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	int rc, err;

	if ((in = manrs_input_open(path, &err)) == NULL)
		return err;
	rc = manrs_irrdb_load_json_input(db, src, in, sink);
	manrs_input_close(in);
	return rc;
}

int
manrs_irrdb_load_json_input(struct manrs_irrdb *db, int src,
    struct manrs_input *in, struct manrs_diag_sink *sink)
{
	const char *path = manrs_input_name(in);
	struct jctx *c;
	unsigned char chunk[65536];
	ptrdiff_t n;
	yajl_status st = yajl_status_ok;
	int rc = 0;

	if (manrs_irrdb_source_name(db, src) == NULL)
		return MANRS_E_INVAL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MANRS_E_NOMEM;
	irrdb_read_begin(db);
	c->db = db;
	c->src = src;
	c->file = path;
	c->sink = sink;
	if ((c->h = yajl_alloc(&callbacks, NULL, c)) == NULL) {
		rc = MANRS_E_NOMEM;
		goto out;
	}
	while ((n = manrs_input_read(in, chunk, sizeof(chunk))) > 0) {
		st = yajl_parse(c->h, chunk, (size_t)n);
		if (st != yajl_status_ok)
			break;
		c->base += (uint64_t)n;
	}
	if (n < 0) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0,
		    manrs_input_offset(in), "read failed: %s",
		    manrs_strerror((int)n));
		rc = (int)n;
	} else if (st == yajl_status_ok &&
	    (st = yajl_complete_parse(c->h)) == yajl_status_ok) {
		rc = 0;
	} else if (c->err != 0) {
		rc = c->err;
	} else {
		unsigned char *msg = yajl_get_error(c->h, 0, NULL, 0);
		size_t ml = strlen((const char *)msg);

		while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
			ml--;
		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0, offset(c),
		    "invalid JSON: %.*s", (int)ml, (const char *)msg);
		yajl_free_error(c->h, msg);
		rc = MANRS_E_SYNTAX;
	}
out:
	if (c->h != NULL)
		yajl_free(c->h);
	free(c);
	return rc;
}
