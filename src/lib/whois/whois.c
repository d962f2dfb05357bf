/*
 * whois.c - the IRRd query language as a bytes-in / bytes-out machine.
 *
 * IRRd-style queries ("!!", "!a", "!g", "!6", "!i", "!j", "!m", "!n",
 * "!o", "!q", "!r", "!s", "!t", "!v", "!f") are answered with IRRd's
 * framing: "A<len>\n<data>C\n", "C\n", "D\n" or "F <message>\n".
 * RIPE-style queries ("-i origin", "-i member-of", "-i mnt-by", "-l",
 * "-L", "-M", "-x", "-s", "-T", "-K", "-k", "-V", or a plain key) are
 * answered with RPSL text, objects separated by blank lines, then one
 * blank line; "%" lines for "not found" and errors.
 *
 * Invariants: one complete line is answered per step, in arrival order;
 * input pending is bounded by MANRS_WHOIS_PENDING_MAX, a line by
 * MANRS_WHOIS_LINE_MAX and one answer by MANRS_WHOIS_ANSWER_MAX.
 *
 * An answer is prepared into the session as head bytes ("A<n>\n", or a
 * whole short answer), a body and a tail ("C\n"), and handed out by
 * manrs_whois_emit() in chunks.  The body is the payload built in a
 * buffer, a blob shared with the snapshot's expansion cache, or a list
 * of objects whose text stays in the database snapshot (so "-M 0/0"
 * costs 16 bytes an object, not its text); the answer holds a reference
 * on the snapshot until it is out.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/whois.h>

#include "whois_int.h"

struct manrs_whois_session *
manrs_whois_session_new(int *err)
{
	struct manrs_whois_session *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	manrs_buf_init(&s->in, MANRS_WHOIS_PENDING_MAX);
	manrs_buf_init(&s->data, MANRS_WHOIS_ANSWER_MAX);
	manrs_buf_init(&s->ans.head, 0);
	manrs_buf_init(&s->ans.buf, MANRS_WHOIS_ANSWER_MAX);
	*err = 0;
	return s;
}

/* The answer is out (or abandoned): drop its body and snapshot. */
static void
ans_end(struct manrs_whois_session *s)
{
	struct whois_ans *a = &s->ans;

	if (!a->active)
		return;
	a->active = false;
	if (a->buf.cap > 1024u * 1024u)
		manrs_buf_clear(&a->buf);	/* do not keep huge buffers */
	manrs_buf_reset(&a->buf);
	a->buf.err = 0;
	if (a->head.cap > 64u * 1024u)
		manrs_buf_clear(&a->head);
	manrs_buf_reset(&a->head);
	a->head.err = 0;
	whois_blob_unref(a->blob);
	a->blob = NULL;
	if (a->objs_cap > 65536) {
		free(a->objs);
		a->objs = NULL;
		a->objs_cap = 0;
	}
	a->nobjs = 0;
	a->kind = BODY_NONE;
	a->tail = NULL;
	if (a->w != NULL)
		manrs_whois_db_unref(a->w);
	a->w = NULL;
}

static void
ans_begin(struct manrs_whois_session *s, struct manrs_whois_db *w)
{
	struct whois_ans *a = &s->ans;

	a->active = true;
	a->head_off = a->body_off = a->obj_i = a->obj_off = a->tail_off = 0;
	a->keys_only = false;
	a->kind = BODY_NONE;
	a->tail = NULL;
	a->w = manrs_whois_db_ref(w);
}

void
manrs_whois_session_free(struct manrs_whois_session *s)
{
	if (s == NULL)
		return;
	ans_end(s);
	manrs_buf_clear(&s->in);
	manrs_buf_clear(&s->data);
	manrs_buf_clear(&s->ans.head);
	manrs_buf_clear(&s->ans.buf);
	free(s->ans.objs);
	free(s);
}

bool
manrs_whois_answering(const struct manrs_whois_session *s)
{
	return s->ans.active;
}

int
manrs_whois_input(struct manrs_whois_session *s, const void *p, size_t n)
{
	if (s->in.len + n > MANRS_WHOIS_PENDING_MAX)
		return MANRS_E_LIMIT;
	return manrs_buf_put(&s->in, p, n);
}

size_t
manrs_whois_pending(const struct manrs_whois_session *s)
{
	return s->in.len;
}

bool
manrs_whois_closing(const struct manrs_whois_session *s)
{
	return s->closing;
}

unsigned
manrs_whois_timeout(const struct manrs_whois_session *s)
{
	return s->timeout;
}

uint64_t
manrs_whois_queries(const struct manrs_whois_session *s)
{
	return s->queries;
}

bool
manrs_whois_rpki_filter_off(const struct manrs_whois_session *s)
{
	return s->rpki_off;
}

/* Copy up to *room bytes of p[*off..len) to out. */
static void
put_part(struct manrs_buf *out, const void *p, size_t len, size_t *off,
    size_t *room)
{
	size_t n = len - *off;

	if (n > *room)
		n = *room;
	if (n == 0)
		return;
	manrs_buf_put(out, (const char *)p + *off, n);
	*off += n;
	*room -= n;
}

static void
emit_objs(struct whois_ans *a, struct manrs_buf *out, size_t *room)
{
	while (a->obj_i < a->nobjs && *room > 0 && out->err == 0) {
		const struct whois_objv *o = &a->objs[a->obj_i];

		if (a->keys_only) {	/* whole objects: may overshoot */
			size_t before = out->len, n;

			if (a->obj_i > 0)
				manrs_buf_put_u8(out, '\n');
			whois_key_lines(out, o->p, o->len, o->cls);
			n = out->len - before;
			*room -= n < *room ? n : *room;
			a->obj_i++;
			continue;
		}
		/* obj_off counts the separating newline of objects > 0. */
		if (a->obj_i > 0 && a->obj_off == 0) {
			manrs_buf_put_u8(out, '\n');
			a->obj_off = 1;
			(*room)--;
		}
		if (a->obj_i > 0) {
			size_t off = a->obj_off - 1;

			put_part(out, o->p, o->len, &off, room);
			a->obj_off = off + 1;
			if (off < o->len)
				break;
		} else {
			put_part(out, o->p, o->len, &a->obj_off, room);
			if (a->obj_off < o->len)
				break;
		}
		a->obj_i++;
		a->obj_off = 0;
	}
}

int
manrs_whois_emit(struct manrs_whois_session *s, struct manrs_buf *out,
    size_t max)
{
	struct whois_ans *a = &s->ans;
	size_t room = max, tl;

	if (!a->active)
		return 0;
	put_part(out, a->head.p, a->head.len, &a->head_off, &room);
	if (a->head_off < a->head.len)
		goto more;
	switch (a->kind) {
	case BODY_BUF:
		put_part(out, a->buf.p, a->buf.len, &a->body_off, &room);
		if (a->body_off < a->buf.len)
			goto more;
		break;
	case BODY_BLOB:
		put_part(out, a->blob->p, a->blob->len, &a->body_off, &room);
		if (a->body_off < a->blob->len)
			goto more;
		break;
	case BODY_OBJS:
		emit_objs(a, out, &room);
		if (a->obj_i < a->nobjs)
			goto more;
		break;
	case BODY_NONE:
		break;
	}
	tl = a->tail != NULL ? strlen(a->tail) : 0;
	put_part(out, a->tail, tl, &a->tail_off, &room);
	if (a->tail_off < tl)
		goto more;
	if (out->err != 0)
		return out->err;
	ans_end(s);
	return 0;
more:
	return out->err != 0 ? out->err : 1;
}

static int
too_long(struct manrs_whois_session *s, struct manrs_whois_db *w)
{
	s->closing = true;
	manrs_buf_reset(&s->in);
	ans_begin(s, w);
	if (manrs_buf_puts(&s->ans.head, "F query line longer than "
	    "MANRS_WHOIS_LINE_MAX\n") != 0) {
		ans_end(s);
		return MANRS_E_NOMEM;
	}
	return 1;
}

/* The next complete line (trimmed) and its length with "\n", or false. */
static bool
next_line(const struct manrs_whois_session *s, struct manrs_view *line,
    size_t *used)
{
	const uint8_t *nl;

	nl = s->in.len ? memchr(s->in.p, '\n', s->in.len) : NULL;
	if (nl == NULL)
		return false;
	*used = (size_t)(nl - s->in.p) + 1;
	*line = manrs_view_trim(manrs_view_make((const char *)s->in.p,
	    *used - 1));
	return true;
}

int
manrs_whois_prepare(struct manrs_whois_session *s, struct manrs_whois_db *w)
{
	const struct manrs_irrdb *db = w->db;
	struct manrs_buf *out = &s->ans.head;
	struct manrs_view line;
	size_t used;
	int rc;

	if (s->closing || s->ans.active)
		return 0;
	if (!next_line(s, &line, &used))
		return s->in.len > MANRS_WHOIS_LINE_MAX ? too_long(s, w) : 0;
	if (used - 1 > MANRS_WHOIS_LINE_MAX)
		return too_long(s, w);
	manrs_buf_reset(&s->data);
	s->data.err = 0;
	ans_begin(s, w);
	s->w = w;
	if (line.len == 0) {
		rc = 0;
	} else {
		s->queries++;
		if (line.p[0] == '!')
			rc = whois_irrd(s, db, manrs_view_make(line.p + 1,
			    line.len - 1), out);
		else
			rc = whois_ripe(s, db, line, out);
		if (!s->multi && !s->keep)
			s->closing = true;
	}
	s->w = NULL;
	manrs_buf_consume(&s->in, used);
	if (s->data.cap > 4u * 1024u * 1024u)
		manrs_buf_clear(&s->data);	/* do not keep huge buffers */
	if (rc == 0 && out->err != 0)
		rc = out->err;
	if (rc < 0) {
		ans_end(s);
		return rc;
	}
	return 1;
}

int
manrs_whois_step(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_buf *out)
{
	struct manrs_whois_db tmp;
	int rc, e;

	/* A borrowed, uncached snapshot that lives for this call only. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.db = (struct manrs_irrdb *)(uintptr_t)db;
	tmp.refs = 1;
	tmp.borrowed = true;
	if ((rc = manrs_whois_prepare(s, &tmp)) <= 0)
		return rc;
	while ((e = manrs_whois_emit(s, out, SIZE_MAX)) == 1)
		;
	ans_end(s);
	return e < 0 ? e : 1;
}

bool
manrs_whois_cached(struct manrs_whois_session *s, struct manrs_whois_db *w)
{
	struct manrs_view line;
	size_t used;

	if (s->closing || !next_line(s, &line, &used) || line.len < 2 ||
	    line.p[0] != '!')
		return false;
	return whois_irrd_cached(s, w, manrs_view_make(line.p + 1,
	    line.len - 1));
}

int
manrs_whois_peek(const struct manrs_whois_session *s, const char **kind)
{
	static const char cmds[] = "!a6gijmnoqrstvf";
	static const char *const names[] = { "!!", "!a", "!6", "!g", "!i",
	    "!j", "!m", "!n", "!o", "!q", "!r", "!s", "!t", "!v", "!f" };
	struct manrs_view line;
	const char *k = "other", *c;
	size_t used;
	int cost = 1;

	if (kind != NULL)
		*kind = "none";
	if (s->closing || !next_line(s, &line, &used))
		return 0;
	if (line.len == 0)
		return 1;	/* an empty line: no query, kind "none" */
	if (line.len >= 2 && line.p[0] == '!') {
		if ((c = memchr(cmds, line.p[1], sizeof(cmds) - 1)) != NULL)
			k = names[c - cmds];
		if (line.p[1] == 'a' || (line.p[1] == 'i' && line.len > 3 &&
		    line.p[line.len - 2] == ',' && line.p[line.len - 1] == '1'))
			cost = 2;
		else if (line.p[1] == 'r' && line.p[line.len - 1] == 'M')
			cost = 2;
	} else if (line.len > 0 && line.p[0] != '!') {
		k = "ripe";
		if (memmem(line.p, line.len, "-M", 2) != NULL ||
		    memmem(line.p, line.len, "-i", 2) != NULL)
			cost = 2;
	}
	if (kind != NULL)
		*kind = k;
	return cost;
}
