/*
 * whois_irrd.c - IRRd-style "!" queries (IRRd 4 query reference):
 *
 *   !!            multiple-command mode (no answer)
 *   !a[4|6]SET    prefixes of every route object of the set's ASNs
 *   !gASN !6ASN   IPv4 / IPv6 prefixes with origin ASN
 *   !iSET[,1]     members of an as-set or route-set (",1": recursive)
 *   !j-* !jSRC    serial ranges of the sources
 *   !mCLASS,KEY   one object;  !oMNT  objects with mnt-by MNT
 *   !n<client>    client name;  !q  quit;  !v  version;  !t<secs>
 *   !rPREFIX[,o|,l|,L|,M]  route objects exact / origins / less / more
 *   !s-lc  !sA,B  current sources / select sources
 *   !fno-rpki-filter  show RPKI-invalid route objects on this connection
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/whois.h>

#include "whois_int.h"

static int
put_f(struct manrs_buf *out, const char *msg, struct manrs_view arg)
{
	size_t n = arg.len > 64 ? 64 : arg.len, i;

	manrs_buf_printf(out, "F %s", msg);
	for (i = 0; i < n; i++) {	/* echo only printable bytes */
		char c = arg.p[i];

		manrs_buf_put_u8(out, (uint8_t)(c >= 0x20 && c < 0x7f ?
		    c : '?'));
	}
	return manrs_buf_puts(out, "\n");
}

/* Append a space-separated item to the payload. */
static void
item(struct manrs_whois_session *s, const char *p, size_t n)
{
	if (s->data.len > 0)
		manrs_buf_put_u8(&s->data, ' ');
	manrs_buf_put(&s->data, p, n);
}

static void
items_end(struct manrs_whois_session *s)
{
	if (s->data.len > 0)
		manrs_buf_put_u8(&s->data, '\n');
}

static void
put_ranges(struct manrs_whois_session *s, const struct manrs_irrdb_ranges *r)
{
	char buf[MANRS_PREFIX_STRLEN + 16];
	size_t i;

	for (i = 0; i < r->n; i++)
		item(s, buf, manrs_irrdb_range_print(&r->v[i], buf,
		    sizeof(buf)));
	items_end(s);
}

/*
 * Expansion answers ("!a", "!i...,1") are cached per snapshot under the
 * selected sources and the query as parsed (tag: 'a', '4', '6' for the
 * family of "!a", 'i'; then the set name); 0 when not cacheable.
 */
#define KEY_MAX	512

/* The argument of "!a[4|6]SET" as q_a reads it: family and set name. */
static struct manrs_view
a_arg(struct manrs_view arg, uint8_t *af, char *tag)
{
	*af = 0;
	*tag = 'a';
	if (arg.len > 0 && (arg.p[0] == '4' || arg.p[0] == '6')) {
		*af = arg.p[0] == '4' ? MANRS_AF_INET : MANRS_AF_INET6;
		*tag = arg.p[0];
		arg.p++;
		arg.len--;
	}
	return manrs_view_trim(arg);
}

static size_t
cache_key(const struct manrs_irrdb_sel *sel, char tag, struct manrs_view arg,
    unsigned char *k)
{
	size_t n = 0;

	if (arg.len + 3 + sel->n > KEY_MAX)
		return 0;
	k[n++] = (unsigned char)tag;
	k[n++] = sel->flags;
	k[n++] = sel->n;
	memcpy(k + n, sel->idx, sel->n);
	n += sel->n;
	memcpy(k + n, arg.p, arg.len);
	return n + arg.len;
}

static int
frame_blob(struct manrs_whois_session *s, struct whois_blob *b,
    struct manrs_buf *out)
{
	if (b->len == 0) {
		whois_blob_unref(b);
		return manrs_buf_puts(out, "C\n");
	}
	manrs_buf_printf(out, "A%zu\n", b->len);
	s->ans.blob = b;
	s->ans.kind = BODY_BLOB;
	s->ans.tail = "C\n";
	return out->err;
}

static void
cache_data(struct manrs_whois_session *s, const unsigned char *k, size_t klen)
{
	if (klen > 0 && s->data.err == 0)
		whois_cache_put(s->w, k, klen, s->data.p, s->data.len);
}

/* Where a depth-limited expansion was cut (from the expansion's sink). */
struct cut {
	char	at[MANRS_IRRDB_SET_NAME_MAX + 1];
};

static void
cut_note(void *arg, const struct manrs_diag *d)
{
	static const char pfx[] = "expansion: depth limit at ";
	struct cut *c = arg;

	if (c->at[0] == '\0' && strncmp(d->msg, pfx, sizeof(pfx) - 1) == 0)
		snprintf(c->at, sizeof(c->at), "%s", d->msg + sizeof(pfx) - 1);
}

/*
 * An expansion cut at a limit is answered with "F" (IRRd's error
 * answer), never silently with a partial list: 1 when reported.
 */
static int
cut_report(struct manrs_buf *out, struct manrs_view name, unsigned flags,
    const struct cut *c)
{
	size_t i, n = name.len > 64 ? 64 : name.len;

	if (!(flags & (MANRS_IRRDB_F_DEPTH | MANRS_IRRDB_F_SIZE)))
		return 0;
	manrs_buf_puts(out, "F Expansion of ");
	for (i = 0; i < n; i++)
		manrs_buf_put_u8(out, (uint8_t)(name.p[i] >= 0x20 &&
		    name.p[i] < 0x7f ? name.p[i] : '?'));
	if (flags & MANRS_IRRDB_F_DEPTH)
		manrs_buf_printf(out, " incomplete: sets nested deeper than "
		    "%u levels (cut at %s)\n", MANRS_IRRDB_DEPTH_DEFAULT,
		    c->at[0] != '\0' ? c->at : "?");
	else
		manrs_buf_printf(out, " incomplete: more than %u sets, "
		    "%u ASNs or %u prefixes\n", MANRS_IRRDB_SETS_DEFAULT,
		    MANRS_IRRDB_ASNS_DEFAULT, MANRS_IRRDB_PREFIXES_DEFAULT);
	return 1;
}

bool
whois_irrd_cached(struct manrs_whois_session *s, struct manrs_whois_db *w,
    struct manrs_view q)
{
	struct manrs_irrdb_sel sel;
	struct manrs_view arg, name, opt;
	unsigned char key[KEY_MAX];
	size_t klen = 0;
	uint8_t af;
	char tag;

	if (q.len < 2 || (q.p[0] != 'a' && q.p[0] != 'i'))
		return false;
	arg = manrs_view_make(q.p + 1, q.len - 1);
	whois_sel(s, w->db, &sel);
	if (q.p[0] == 'a') {
		name = a_arg(arg, &af, &tag);
		klen = cache_key(&sel, tag, name, key);
	} else {
		manrs_view_split(arg, ',', &name, &opt);
		if (manrs_view_eq(manrs_view_trim(opt), "1"))
			klen = cache_key(&sel, 'i', manrs_view_trim(name), key);
	}
	return klen > 0 && whois_cache_has(w, key, klen);
}

static int
q_origin(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, uint8_t af, struct manrs_buf *out)
{
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	uint32_t asn;
	int rc;

	if (manrs_asn_parse(manrs_view_trim(arg), &asn) != 0)
		return put_f(out, "Invalid AS number ", arg);
	whois_sel(s, db, &sel);
	if ((rc = manrs_irrdb_origin_prefixes(db, asn, af, &sel, &r)) != 0)
		goto done;
	manrs_irrdb_ranges_sort(&r);
	put_ranges(s, &r);
	rc = whois_frame(s, out);
done:
	manrs_irrdb_ranges_clear(&r);
	return rc;
}

static int
q_a(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, struct manrs_buf *out)
{
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_irrdb_asns a = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	struct cut cut = { "" };
	struct manrs_diag_sink sink = { cut_note, &cut, 0, 0, 0 };
	struct whois_blob *b;
	unsigned char key[KEY_MAX];
	size_t klen;
	unsigned flags = 0;
	uint8_t af;
	size_t i;
	int rc = 0;
	char tag;

	arg = a_arg(arg, &af, &tag);
	if (arg.len == 0)
		return manrs_buf_puts(out, "F Missing required set name for "
		    "A query\n");
	whois_sel(s, db, &sel);
	klen = cache_key(&sel, tag, arg, key);
	if (klen > 0 && (b = whois_cache_get(s->w, key, klen)) != NULL)
		return frame_blob(s, b, out);
	if (manrs_irrdb_set_class(db, arg, &sel) == MANRS_RPSL_ROUTE_SET) {
		rc = manrs_irrdb_expand_routeset(db, arg, &sel, af, NULL, &r,
		    &flags, &sink);
	} else {
		rc = manrs_irrdb_expand_asset(db, arg, &sel, NULL, &a, &flags,
		    &sink);
		for (i = 0; i < a.n && rc == 0; i++)
			rc = manrs_irrdb_origin_prefixes(db, a.v[i], af, &sel,
			    &r);
		manrs_irrdb_ranges_sort(&r);
	}
	if (rc != 0)
		goto done;
	if (flags & MANRS_IRRDB_F_NOTFOUND) {
		rc = manrs_buf_puts(out, "D\n");
		goto done;
	}
	if (cut_report(out, arg, flags, &cut)) {
		rc = out->err;
		goto done;
	}
	put_ranges(s, &r);
	cache_data(s, key, klen);
	rc = whois_frame(s, out);
done:
	manrs_irrdb_ranges_clear(&r);
	manrs_irrdb_asns_clear(&a);
	return rc;
}

static int
member_item(struct manrs_view m, void *arg)
{
	item(arg, m.p, m.len);
	return 0;
}

static int
q_i(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, struct manrs_buf *out)
{
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_irrdb_asns a = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	struct manrs_view name, opt;
	enum manrs_rpsl_class cls;
	struct cut cut = { "" };
	struct manrs_diag_sink sink = { cut_note, &cut, 0, 0, 0 };
	struct whois_blob *b;
	unsigned char key[KEY_MAX];
	size_t klen = 0;
	char buf[16];
	unsigned flags = 0;
	size_t i;
	int rc = 0;

	manrs_view_split(arg, ',', &name, &opt);
	name = manrs_view_trim(name);
	opt = manrs_view_trim(opt);
	if (name.len == 0)
		return manrs_buf_puts(out, "F Missing required set name\n");
	whois_sel(s, db, &sel);
	if ((cls = manrs_irrdb_set_class(db, name, &sel)) == MANRS_RPSL_OTHER)
		return manrs_buf_puts(out, "D\n");
	if (!manrs_view_eq(opt, "1")) {
		if (opt.len > 0)
			return put_f(out, "Invalid option ", opt);
		rc = manrs_irrdb_set_members(db, name, &sel, member_item, s,
		    NULL);
		items_end(s);
		if (rc == 0)
			rc = whois_frame(s, out);
		return rc;
	}
	klen = cache_key(&sel, 'i', name, key);
	if (klen > 0 && (b = whois_cache_get(s->w, key, klen)) != NULL)
		return frame_blob(s, b, out);
	if (cls == MANRS_RPSL_AS_SET) {
		rc = manrs_irrdb_expand_asset(db, name, &sel, NULL, &a, &flags,
		    &sink);
		for (i = 0; i < a.n; i++) {
			int k = snprintf(buf, sizeof(buf), "AS%u", a.v[i]);

			item(s, buf, (size_t)k);
		}
		items_end(s);
	} else {
		rc = manrs_irrdb_expand_routeset(db, name, &sel, 0, NULL, &r,
		    &flags, &sink);
		put_ranges(s, &r);
	}
	if (rc == 0 && cut_report(out, name, flags, &cut)) {
		rc = out->err;
	} else if (rc == 0) {
		cache_data(s, key, klen);
		rc = whois_frame(s, out);
	}
	manrs_irrdb_ranges_clear(&r);
	manrs_irrdb_asns_clear(&a);
	return rc;
}

/* Callback: collect one object (its text stays in the snapshot). */
static int
whois_obj_text(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct manrs_whois_session *s = arg;

	if (whois_obj_add(s, o) != 0) {
		s->data.err = MANRS_E_NOMEM;
		return 1;
	}
	return 0;
}

static int
first_text(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct manrs_whois_session *s = arg;

	manrs_buf_put(&s->data, o->text.p, o->text.len);
	return 1;
}

/* Frame the collected objects: "A<n>" + text + "C", "D" when none. */
static int
frame_objs(struct manrs_whois_session *s, struct manrs_buf *out)
{
	uint64_t n;

	if (s->data.err != 0)
		return s->data.err;
	if (s->ans.nobjs == 0)
		return manrs_buf_puts(out, "D\n");
	if ((n = whois_objs_len(s)) > MANRS_WHOIS_ANSWER_MAX) {
		s->ans.nobjs = 0;
		return manrs_buf_puts(out, "F answer larger than "
		    "MANRS_WHOIS_ANSWER_MAX\n");
	}
	manrs_buf_printf(out, "A%llu\n", (unsigned long long)n);
	s->ans.kind = BODY_OBJS;
	s->ans.tail = "C\n";
	return out->err;
}

static int
q_m(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, struct manrs_buf *out)
{
	struct manrs_irrdb_sel sel;
	struct manrs_view cname, key;
	enum manrs_rpsl_class cls;

	if (!manrs_view_split(arg, ',', &cname, &key) ||
	    (key = manrs_view_trim(key)).len == 0)
		return put_f(out, "Invalid !m query, expected !mCLASS,KEY: ",
		    arg);
	if ((cls = manrs_rpsl_class_parse(manrs_view_trim(cname))) ==
	    MANRS_RPSL_OTHER)
		return put_f(out, "Unknown object class ", cname);
	whois_sel(s, db, &sel);
	manrs_irrdb_find_key(db, cls, key, &sel, first_text, s);
	if (s->data.len == 0 && s->data.err == 0)
		return manrs_buf_puts(out, "D\n");
	return whois_frame(s, out);
}

static int
q_o(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, struct manrs_buf *out)
{
	struct manrs_irrdb_sel sel;

	whois_sel(s, db, &sel);
	manrs_irrdb_find_mntby(db, manrs_view_trim(arg), &sel, whois_obj_text,
	    s);
	return frame_objs(s, out);
}

struct origins {
	struct manrs_irrdb_asns	a;
	int			err;
};

static int
origin_of(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct origins *og = arg;
	const char *p = o->text.p, *e = p + o->text.len;
	uint32_t asn;

	/* The "origin:" attribute line of a route object. */
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		struct manrs_view l = manrs_view_make(p, nl ?
		    (size_t)(nl - p) : (size_t)(e - p)), name, val;

		if (manrs_view_split(l, ':', &name, &val) &&
		    manrs_view_caseeq(manrs_view_trim(name), "origin")) {
			ptrdiff_t h = manrs_view_find(val, '#');

			if (h >= 0)
				val.len = (size_t)h;
			if (manrs_asn_parse(manrs_view_trim(val), &asn) == 0) {
				if (og->a.n == og->a.cap) {
					uint32_t *nv = reallocarray(og->a.v,
					    og->a.cap ? og->a.cap * 2 : 8, 4);

					if (nv == NULL)
						return og->err = MANRS_E_NOMEM;
					og->a.v = nv;
					og->a.cap = og->a.cap ? og->a.cap * 2 :
					    8;
				}
				og->a.v[og->a.n++] = asn;
			}
			break;
		}
		p = nl ? nl + 1 : e;
	}
	return 0;
}

static int
q_r(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, struct manrs_buf *out)
{
	struct manrs_irrdb_sel sel;
	struct manrs_view pv, opt;
	struct manrs_prefix p;
	enum manrs_irrdb_match m = MANRS_IRRDB_EXACT;
	struct origins og;
	char buf[16];
	size_t i, j;

	manrs_view_split(arg, ',', &pv, &opt);
	opt = manrs_view_trim(opt);
	if (manrs_prefix_parse(manrs_view_trim(pv), 0, &p) != 0)
		return put_f(out, "Invalid prefix ", pv);
	whois_sel(s, db, &sel);
	if (manrs_view_eq(opt, "l"))
		m = MANRS_IRRDB_LESS1;
	else if (manrs_view_eq(opt, "L"))
		m = MANRS_IRRDB_LESS;
	else if (manrs_view_eq(opt, "M"))
		m = MANRS_IRRDB_MORE;
	else if (opt.len > 0 && !manrs_view_eq(opt, "o"))
		return put_f(out, "Invalid option ", opt);
	if (!manrs_view_eq(opt, "o")) {
		manrs_irrdb_find_route(db, &p, m, &sel, whois_obj_text, s);
		return frame_objs(s, out);
	}
	memset(&og, 0, sizeof(og));
	manrs_irrdb_find_route(db, &p, MANRS_IRRDB_EXACT, &sel, origin_of,
	    &og);
	if (og.err != 0) {
		free(og.a.v);
		return og.err;
	}
	for (i = 0; i < og.a.n; i++) {
		for (j = 0; j < i && og.a.v[j] != og.a.v[i]; j++)
			;
		if (j == i)
			item(s, buf, (size_t)snprintf(buf, sizeof(buf),
			    "AS%u", og.a.v[i]));
	}
	free(og.a.v);
	if (s->data.len == 0)
		return manrs_buf_puts(out, "D\n");
	items_end(s);
	return whois_frame(s, out);
}

static int
q_s(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, struct manrs_buf *out)
{
	struct manrs_irrdb_sel sel;
	struct manrs_view bad;
	unsigned i;

	arg = manrs_view_trim(arg);
	if (manrs_view_eq(arg, "-lc")) {
		whois_sel(s, db, &sel);
		for (i = 0; i < sel.n; i++) {
			if (i > 0)
				manrs_buf_put_u8(&s->data, ',');
			manrs_buf_puts(&s->data, manrs_irrdb_source_name(db,
			    sel.idx[i]));
		}
		items_end(s);
		return whois_frame(s, out);
	}
	if (manrs_irrdb_sel_parse(db, arg, &sel, &bad) != 0)
		return put_f(out, "Unknown source ", bad);
	if (sel.n == 0)
		return manrs_buf_puts(out, "F Missing source list\n");
	s->sel = sel;
	s->sel_set = true;
	return manrs_buf_puts(out, "C\n");
}

static int
q_j(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view arg, struct manrs_buf *out)
{
	struct manrs_irrdb_sel sel;
	struct manrs_view bad;
	unsigned i;

	arg = manrs_view_trim(arg);
	if (manrs_view_eq(arg, "-*"))
		manrs_irrdb_sel_all(db, &sel);
	else if (manrs_irrdb_sel_parse(db, arg, &sel, &bad) != 0)
		return put_f(out, "Unknown source ", bad);
	/* Loaded from dumps: no mirroring, so no serials ("N"). */
	for (i = 0; i < sel.n; i++)
		manrs_buf_printf(&s->data, "%s:N:0-0\n",
		    manrs_irrdb_source_name(db, sel.idx[i]));
	return whois_frame(s, out);
}

static int
q_t(struct manrs_whois_session *s, struct manrs_view arg,
    struct manrs_buf *out)
{
	uint32_t t;

	if (manrs_view_u32(manrs_view_trim(arg), MANRS_WHOIS_TIMEOUT_MAX,
	    &t) != 0 || t == 0)
		return put_f(out, "Invalid timeout ", arg);
	s->timeout = t;
	return manrs_buf_puts(out, "C\n");
}

int
whois_irrd(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view q, struct manrs_buf *out)
{
	struct manrs_view arg = q;
	char c;

	if (q.len == 0)
		return manrs_buf_puts(out, "F Missing command\n");
	c = q.p[0];
	arg.p++;
	arg.len--;
	switch (c) {
	case '!':
		s->multi = true;
		return 0;
	case 'a':
		return q_a(s, db, arg, out);
	case 'g':
		return q_origin(s, db, arg, MANRS_AF_INET, out);
	case '6':
		return q_origin(s, db, arg, MANRS_AF_INET6, out);
	case 'i':
		return q_i(s, db, arg, out);
	case 'j':
		return q_j(s, db, arg, out);
	case 'm':
		return q_m(s, db, arg, out);
	case 'o':
		return q_o(s, db, arg, out);
	case 'r':
		return q_r(s, db, arg, out);
	case 's':
		return q_s(s, db, arg, out);
	case 't':
		return q_t(s, arg, out);
	case 'n':
		return manrs_buf_puts(out, "C\n");
	case 'q':
		s->closing = true;
		return 0;
	case 'v':
		manrs_buf_puts(&s->data, "manrs-irrd (IRRd 4 query protocol)\n");
		return whois_frame(s, out);
	case 'f':
		if (!manrs_view_eq(manrs_view_trim(arg), "no-rpki-filter"))
			return put_f(out, "Unknown filter option ", arg);
		s->rpki_off = true;
		return manrs_buf_puts(out, "C\n");
	default:
		return put_f(out, "Unrecognized command ", q);
	}
}
