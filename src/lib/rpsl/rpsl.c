/*
 * rpsl.c - streaming RPSL object reader (RFC 2622 section 2, RFC 4012,
 * RFC 2725 syntax).
 *
 * Objects are runs of non-blank lines.  An attribute line is
 * "name: value"; a line starting with space, tab or "+" continues the
 * previous value; "#" starts a comment to the end of the line.  Every
 * line, object and attribute count is bounded (MANRS_RPSL_*_MAX); an
 * object that breaks a rule is reported with file and line and skipped
 * whole, and reading goes on with the next object.  A read error
 * (truncated or corrupt compressed input, I/O) ends the stream with that
 * error: the object in progress is dropped, never returned half-read.
 *
 * Invariants: the object text, the values and the attribute array are
 * owned by the reader and valid until the next call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/rpsl.h>

struct attr_off {
	size_t		noff, nlen;	/* name, in text */
	size_t		voff, vlen;	/* value, in vals */
	uint64_t	line;
};

struct manrs_rpsl_reader {
	struct manrs_input	*in;
	struct manrs_diag_sink	*sink;
	const char		*file;
	struct manrs_buf	 text;
	struct manrs_buf	 vals;
	struct attr_off		*offs;
	struct manrs_rpsl_attr	*attrs;
	size_t			 nattrs, cap;
	struct manrs_rpsl_obj	 obj;
	uint64_t		 start_line;
	uint64_t		 skipped;
	bool			 bad;
	bool			 done;
	int			 err;		/* sticky read error */
};

static const char *const class_names[MANRS_RPSL_CLASS_COUNT] = {
	[MANRS_RPSL_OTHER] = "",
	[MANRS_RPSL_ROUTE] = "route",
	[MANRS_RPSL_ROUTE6] = "route6",
	[MANRS_RPSL_AUT_NUM] = "aut-num",
	[MANRS_RPSL_AS_SET] = "as-set",
	[MANRS_RPSL_ROUTE_SET] = "route-set",
	[MANRS_RPSL_MNTNER] = "mntner",
	[MANRS_RPSL_PERSON] = "person",
	[MANRS_RPSL_ROLE] = "role",
	[MANRS_RPSL_ORGANISATION] = "organisation",
	[MANRS_RPSL_INETNUM] = "inetnum",
	[MANRS_RPSL_INET6NUM] = "inet6num",
};

enum manrs_rpsl_class
manrs_rpsl_class_parse(struct manrs_view name)
{
	int c;

	for (c = 1; c < MANRS_RPSL_CLASS_COUNT; c++)
		if (manrs_view_caseeq(name, class_names[c]))
			return (enum manrs_rpsl_class)c;
	return MANRS_RPSL_OTHER;
}

const char *
manrs_rpsl_class_name(enum manrs_rpsl_class cls)
{
	if ((int)cls < 0 || cls >= MANRS_RPSL_CLASS_COUNT)
		return "";
	return class_names[cls];
}

struct manrs_rpsl_reader *
manrs_rpsl_reader_new(struct manrs_input *in, struct manrs_diag_sink *sink,
    int *err)
{
	struct manrs_rpsl_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	r->in = in;
	r->sink = sink;
	r->file = manrs_input_name(in);
	manrs_input_set_line_max(in, MANRS_RPSL_LINE_MAX);
	manrs_buf_init(&r->text, MANRS_RPSL_OBJECT_MAX + MANRS_RPSL_LINE_MAX);
	manrs_buf_init(&r->vals, MANRS_RPSL_OBJECT_MAX + MANRS_RPSL_LINE_MAX);
	*err = 0;
	return r;
}

void
manrs_rpsl_reader_free(struct manrs_rpsl_reader *r)
{
	if (r == NULL)
		return;
	manrs_buf_clear(&r->text);
	manrs_buf_clear(&r->vals);
	free(r->offs);
	free(r->attrs);
	free(r);
}

uint64_t
manrs_rpsl_reader_skipped(const struct manrs_rpsl_reader *r)
{
	return r->skipped;
}

static void
obj_reset(struct manrs_rpsl_reader *r)
{
	manrs_buf_reset(&r->text);
	manrs_buf_reset(&r->vals);
	r->text.err = r->vals.err = 0;
	r->nattrs = 0;
	r->start_line = 0;
	r->bad = false;
}

static void
obj_bad(struct manrs_rpsl_reader *r, uint64_t line, const char *why)
{
	if (r->bad)
		return;
	r->bad = true;
	manrs_diag_report(r->sink, MANRS_SEV_ERROR, r->file, line, UINT64_MAX,
	    "%s (RFC 2622 section 2); object starting at line %llu skipped",
	    why, (unsigned long long)r->start_line);
}

/* The value part of a line: up to a "#" comment, trimmed. */
static struct manrs_view
strip_value(struct manrs_view v)
{
	ptrdiff_t h = manrs_view_find(v, '#');

	if (h >= 0)
		v.len = (size_t)h;
	return manrs_view_trim(v);
}

static bool
valid_name(struct manrs_view n)
{
	size_t i;

	if (n.len == 0 || n.len > MANRS_RPSL_NAME_MAX)
		return false;
	for (i = 0; i < n.len; i++) {
		char c = n.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '*' && i == 0)))
			return false;
	}
	return true;
}

static int
add_attr(struct manrs_rpsl_reader *r, size_t noff, size_t nlen,
    struct manrs_view val, uint64_t line)
{
	struct attr_off *a;

	if (r->nattrs == MANRS_RPSL_ATTRS_MAX) {
		obj_bad(r, line, "more than MANRS_RPSL_ATTRS_MAX attributes");
		return 0;
	}
	if (r->nattrs == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct attr_off *no;
		struct manrs_rpsl_attr *na;

		if ((no = reallocarray(r->offs, ncap, sizeof(*no))) == NULL)
			return MANRS_E_NOMEM;
		r->offs = no;
		if ((na = reallocarray(r->attrs, ncap, sizeof(*na))) == NULL)
			return MANRS_E_NOMEM;
		r->attrs = na;
		r->cap = ncap;
	}
	a = &r->offs[r->nattrs++];
	a->noff = noff;
	a->nlen = nlen;
	a->voff = r->vals.len;
	a->vlen = val.len;
	a->line = line;
	manrs_buf_put(&r->vals, val.p, val.len);
	return 0;
}

/* One non-blank line of an object. */
static int
obj_line(struct manrs_rpsl_reader *r, struct manrs_view line, uint64_t lno)
{
	size_t base = r->text.len;
	struct manrs_view v;
	ptrdiff_t colon;

	if (r->text.len + line.len + 1 > MANRS_RPSL_OBJECT_MAX) {
		obj_bad(r, lno, "object longer than MANRS_RPSL_OBJECT_MAX");
		return 0;
	}
	manrs_buf_put(&r->text, line.p, line.len);
	manrs_buf_put_u8(&r->text, '\n');
	if (r->text.err != 0)
		return r->text.err;
	if (r->bad || line.p[0] == '#')
		return 0;
	if (line.p[0] == ' ' || line.p[0] == '\t' || line.p[0] == '+') {
		struct attr_off *a;

		if (r->nattrs == 0) {
			obj_bad(r, lno, "continuation line before any "
			    "attribute");
			return 0;
		}
		v = strip_value(manrs_view_make(line.p + 1, line.len - 1));
		if (v.len == 0)
			return 0;
		a = &r->offs[r->nattrs - 1];
		if (a->vlen > 0) {
			manrs_buf_put_u8(&r->vals, '\n');
			a->vlen++;
		}
		manrs_buf_put(&r->vals, v.p, v.len);
		a->vlen += v.len;
		return r->vals.err;
	}
	if ((colon = manrs_view_find(line, ':')) < 0) {
		obj_bad(r, lno, "attribute line without \":\"");
		return 0;
	}
	if (!valid_name(manrs_view_make(line.p, (size_t)colon))) {
		obj_bad(r, lno, "invalid attribute name");
		return 0;
	}
	v = strip_value(manrs_view_make(line.p + colon + 1,
	    line.len - (size_t)colon - 1));
	return add_attr(r, base, (size_t)colon, v, lno);
}

/* Turn the finished object into r->obj; false if it is not usable. */
static bool
obj_finish(struct manrs_rpsl_reader *r)
{
	const char *t = (const char *)r->text.p, *vp = (const char *)r->vals.p;
	size_t i;

	if (!r->bad && r->nattrs == 0)
		obj_bad(r, r->start_line, "object without attributes");
	if (!r->bad && r->offs[0].vlen == 0)
		obj_bad(r, r->start_line, "empty primary key");
	if (r->bad) {
		r->skipped++;
		return false;
	}
	for (i = 0; i < r->nattrs; i++) {
		r->attrs[i].name = manrs_view_make(t + r->offs[i].noff,
		    r->offs[i].nlen);
		r->attrs[i].value = manrs_view_make(vp + r->offs[i].voff,
		    r->offs[i].vlen);
		r->attrs[i].line = r->offs[i].line;
	}
	r->obj.attrs = r->attrs;
	r->obj.nattrs = r->nattrs;
	r->obj.cls_name = r->attrs[0].name;
	r->obj.cls = manrs_rpsl_class_parse(r->attrs[0].name);
	r->obj.key = r->attrs[0].value;
	r->obj.text = manrs_view_make(t, r->text.len);
	r->obj.file = r->file;
	r->obj.line = r->start_line;
	return true;
}

static bool
is_blank(struct manrs_view v)
{
	size_t i;

	for (i = 0; i < v.len; i++)
		if (v.p[i] != ' ' && v.p[i] != '\t' && v.p[i] != '\r')
			return false;
	return true;
}

/*
 * The input failed (cut off, corrupt, I/O): report where, drop the object
 * in progress (a partial object is never returned: its last attribute
 * may be cut mid-value) and end the stream with the error, for good.
 */
static int
read_failed(struct manrs_rpsl_reader *r, int rc, uint64_t lno)
{
	char obj[96] = "";

	if (r->start_line != 0)
		snprintf(obj, sizeof(obj), "; the object starting at line "
		    "%llu is incomplete and dropped",
		    (unsigned long long)r->start_line);
	manrs_diag_report(r->sink, MANRS_SEV_ERROR, r->file, lno + 1,
	    UINT64_MAX, "read failed after %llu bytes: %s%s%s",
	    (unsigned long long)manrs_input_offset(r->in), manrs_strerror(rc),
	    rc == MANRS_E_SHORT ? " (file truncated?)" : "", obj);
	obj_reset(r);
	r->done = true;
	r->err = rc;
	return rc;
}

int
manrs_rpsl_reader_next(struct manrs_rpsl_reader *r,
    const struct manrs_rpsl_obj **obj)
{
	struct manrs_view line;
	uint64_t lno;
	int rc;

	if (r->done)
		return r->err;
	obj_reset(r);
	for (;;) {
		rc = manrs_input_line(r->in, &line);
		lno = manrs_input_lineno(r->in);
		if (rc == MANRS_E_LIMIT) {
			if (r->start_line == 0)
				r->start_line = lno;
			obj_bad(r, lno, "line longer than MANRS_RPSL_LINE_MAX");
			continue;
		}
		if (rc < 0)
			return read_failed(r, rc, lno);
		if (rc == 0 || is_blank(line)) {
			if (r->start_line != 0) {
				if (obj_finish(r)) {
					*obj = &r->obj;
					return 1;
				}
				obj_reset(r);
			}
			if (rc == 0) {
				r->done = true;
				return 0;
			}
			continue;
		}
		if (r->start_line == 0) {
			if (line.p[0] == '%' || line.p[0] == '#')
				continue;
			r->start_line = lno;
		}
		if ((rc = obj_line(r, line, lno)) != 0)
			return rc;
	}
}

const struct manrs_rpsl_attr *
manrs_rpsl_obj_attr(const struct manrs_rpsl_obj *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->nattrs; i++)
		if (manrs_view_caseeq(obj->attrs[i].name, name))
			return &obj->attrs[i];
	return NULL;
}

bool
manrs_rpsl_list_next(struct manrs_view *v, struct manrs_view *item)
{
	return manrs_view_field(v, ", \t\r\n", true, item);
}
