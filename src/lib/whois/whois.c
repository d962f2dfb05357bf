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
	*err = 0;
	return s;
}

void
manrs_whois_session_free(struct manrs_whois_session *s)
{
	if (s == NULL)
		return;
	manrs_buf_clear(&s->in);
	manrs_buf_clear(&s->data);
	free(s);
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

void
whois_sel(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_irrdb_sel *sel)
{
	unsigned i;

	if (s->sel_set) {
		for (i = 0; i < s->sel.n; i++)
			if (s->sel.idx[i] >= manrs_irrdb_source_count(db))
				break;
		if (i == s->sel.n) {
			*sel = s->sel;
			goto out;
		}
		s->sel_set = false;	/* sources changed on reload */
	}
	manrs_irrdb_sel_all(db, sel);
out:
	/* IRRd 4: "!fno-rpki-filter" shows RPKI-invalid route objects. */
	if (s->rpki_off)
		sel->flags &= (uint8_t)~MANRS_IRRDB_SEL_RPKI;
}

int
whois_frame(struct manrs_whois_session *s, struct manrs_buf *out)
{
	if (s->data.err == MANRS_E_LIMIT)
		return manrs_buf_puts(out, "F answer larger than "
		    "MANRS_WHOIS_ANSWER_MAX\n");
	if (s->data.err != 0)
		return s->data.err;
	if (s->data.len == 0)
		return manrs_buf_puts(out, "C\n");
	manrs_buf_printf(out, "A%zu\n", s->data.len);
	manrs_buf_put(out, s->data.p, s->data.len);
	return manrs_buf_puts(out, "C\n");
}

static int
too_long(struct manrs_whois_session *s, struct manrs_buf *out)
{
	s->closing = true;
	manrs_buf_reset(&s->in);
	return manrs_buf_puts(out, "F query line longer than "
	    "MANRS_WHOIS_LINE_MAX\n") == 0 ? 1 : MANRS_E_NOMEM;
}

int
manrs_whois_step(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_buf *out)
{
	const uint8_t *nl;
	struct manrs_view line;
	size_t used;
	int rc;

	if (s->closing)
		return 0;
	nl = s->in.len ? memchr(s->in.p, '\n', s->in.len) : NULL;
	if (nl == NULL)
		return s->in.len > MANRS_WHOIS_LINE_MAX ? too_long(s, out) : 0;
	used = (size_t)(nl - s->in.p) + 1;
	if (used - 1 > MANRS_WHOIS_LINE_MAX)
		return too_long(s, out);
	line = manrs_view_trim(manrs_view_make((const char *)s->in.p,
	    used - 1));
	manrs_buf_reset(&s->data);
	s->data.err = 0;
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
	manrs_buf_consume(&s->in, used);
	if (s->data.cap > 4u * 1024u * 1024u)
		manrs_buf_clear(&s->data);	/* do not keep huge buffers */
	if (rc == 0 && out->err != 0)
		rc = out->err;
	return rc < 0 ? rc : 1;
}
