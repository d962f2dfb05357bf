/*
 * whois_answer.c - building one answer, shared by the IRRd (whois_irrd.c)
 * and RIPE-style (whois_ripe.c) query engines and the session
 * (whois.c): the session's source selection, framing a data answer
 * ("A<len>" ... "C", or "C", or "F" past MANRS_WHOIS_ANSWER_MAX), the
 * objects an answer points to and their length (whole, or only the key
 * lines for -K).  A leaf of the module, so the engines and the session
 * do not depend on each other both ways.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/whois.h>

#include "whois_int.h"

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

/* Make s->data the body of the answer (swapped, not copied). */
static void
body_from_data(struct manrs_whois_session *s)
{
	struct manrs_buf t = s->ans.buf;
	uint8_t *np;

	/* Held until the client has read it all: no slack (it doubled). */
	if (s->data.cap - s->data.len > 65536 && s->data.len > 0 &&
	    (np = realloc(s->data.p, s->data.len)) != NULL) {
		s->data.p = np;
		s->data.cap = s->data.len;
	}
	s->ans.buf = s->data;
	s->data = t;
	manrs_buf_reset(&s->data);
	s->data.err = 0;
	s->ans.kind = BODY_BUF;
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
	body_from_data(s);
	s->ans.tail = "C\n";
	return out->err;
}

int
whois_obj_add(struct manrs_whois_session *s,
    const struct manrs_irrdb_objinfo *o)
{
	struct whois_ans *a = &s->ans;

	if (a->nobjs == a->objs_cap && manrs_grow((void **)&a->objs,
	    &a->objs_cap, a->nobjs, sizeof(*a->objs)) != 0)
		return MANRS_E_NOMEM;
	a->objs[a->nobjs].p = o->text.p;
	a->objs[a->nobjs].len = (uint32_t)o->text.len;
	a->objs[a->nobjs].cls = (uint8_t)o->cls;
	a->nobjs++;
	return 0;
}

uint64_t
whois_objs_len(const struct manrs_whois_session *s)
{
	const struct whois_ans *a = &s->ans;
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < a->nobjs; i++)
		n += (i > 0) + (a->keys_only ? whois_key_lines(NULL,
		    a->objs[i].p, a->objs[i].len, a->objs[i].cls) :
		    a->objs[i].len);
	return n;
}

/*
 * Only the primary key lines (class line; route: + origin) and the
 * members / mp-members lines with their continuations (IRRd's -K).
 */
size_t
whois_key_lines(struct manrs_buf *b, const char *p, size_t len, uint8_t cls)
{
	const char *e = p + len;
	bool first = true, keep = false;
	size_t total = 0;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(e - p);
		struct manrs_view l = manrs_view_make(p, n);

		if (n > 0 && (p[0] == ' ' || p[0] == '\t' || p[0] == '+'))
			;	/* continuation: same decision as its attribute */
		else
			keep = first || manrs_view_case_starts_with(l,
			    "members:") || manrs_view_case_starts_with(l,
			    "mp-members:") || ((cls == MANRS_RPSL_ROUTE ||
			    cls == MANRS_RPSL_ROUTE6) &&
			    manrs_view_case_starts_with(l, "origin:"));
		if (keep) {
			if (b != NULL)
				manrs_buf_put(b, p, n);
			total += n;
		}
		first = false;
		p += n;
	}
	return total;
}
