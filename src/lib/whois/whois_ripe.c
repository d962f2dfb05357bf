/*
 * whois_ripe.c - RIPE-style queries as IRRd 4 answers them:
 *
 *   -i origin ASN | -i member-of SET | -i mnt-by MNT   inverse lookups
 *   -x | -l | -L | -M PREFIX   exact / one level less specific (not
 *                              the prefix itself) / all less specific /
 *                              all more specific route objects
 *   -s SRC[,SRC]  select sources;  -a  all sources (both persist)
 *   -T CLASS[,CLASS]  only these classes;  -K  primary key lines (and
 *                  members / mp-members) only
 *   -k  keep the connection open (toggle);  -V AGENT  client name
 *   -r -F -B -G  accepted and ignored
 *   KEY  an object by primary key (ASN: aut-num and as-set; prefix: the
 *        route objects less specific than or equal to it)
 *
 * Answer: the objects' text separated by blank lines and a final blank
 * line, "%  No entries found for the selected source(s)." or a
 * "%% ERROR:" line.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/whois.h>

#include "whois_int.h"

struct ripe {
	struct manrs_whois_session	*s;
	uint32_t			 classes;	/* bit per class; 0 all */
	bool				 keys_only;
};

/* Returns 1 (an answer was written) or an error. */
static int
ripe_err(struct manrs_buf *out, const char *msg, struct manrs_view arg)
{
	size_t i, n = arg.len > 64 ? 64 : arg.len;

	manrs_buf_printf(out, "%%%% ERROR: %s", msg);
	for (i = 0; i < n; i++)
		manrs_buf_put_u8(out, (uint8_t)(arg.p[i] >= 0x20 &&
		    arg.p[i] < 0x7f ? arg.p[i] : '?'));
	manrs_buf_puts(out, "\n\n");
	return out->err != 0 ? out->err : 1;	/* 1: answered */
}

static int
ripe_obj(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct ripe *r = arg;

	if (r->classes != 0 && !(r->classes & (1u << o->cls)))
		return 0;
	if (whois_obj_add(r->s, o) != 0) {
		r->s->data.err = MANRS_E_NOMEM;
		return 1;
	}
	return 0;
}

static int
parse_classes(struct manrs_view v, uint32_t *mask)
{
	struct manrs_view c;
	enum manrs_rpsl_class k;

	*mask = 0;
	while (manrs_view_field(&v, ",", true, &c)) {
		if ((k = manrs_rpsl_class_parse(c)) == MANRS_RPSL_OTHER)
			return MANRS_E_NOTFOUND;
		*mask |= 1u << k;
	}
	return 0;
}

static int
lookup(struct ripe *r, const struct manrs_irrdb *db,
    const struct manrs_irrdb_sel *sel, struct manrs_view inv,
    int match, struct manrs_view key, struct manrs_buf *out)
{
	struct manrs_prefix p;
	uint32_t asn;

	if (inv.len > 0) {
		if (manrs_view_caseeq(inv, "origin")) {
			if (manrs_asn_parse(key, &asn) != 0)
				return ripe_err(out, "invalid AS number ", key);
			return manrs_irrdb_find_origin(db, asn, sel, ripe_obj,
			    r);
		}
		if (manrs_view_caseeq(inv, "member-of"))
			return manrs_irrdb_find_member_of(db, key, sel,
			    ripe_obj, r);
		if (manrs_view_caseeq(inv, "mnt-by"))
			return manrs_irrdb_find_mntby(db, key, sel, ripe_obj,
			    r);
		return ripe_err(out, "unsupported inverse attribute ", inv);
	}
	if (manrs_prefix_parse(key, 0, &p) == 0 ||
	    manrs_prefix_parse(key, MANRS_PREFIX_HOST, &p) == 0) {
		if (match < 0)		/* IRRd: every less specific match */
			match = MANRS_IRRDB_LESS;
		return manrs_irrdb_find_route(db, &p,
		    (enum manrs_irrdb_match)match, sel, ripe_obj, r);
	}
	if (match >= 0)
		return ripe_err(out, "not a prefix: ", key);
	if (manrs_asn_parse(key, &asn) == 0) {
		char buf[16];
		int n = snprintf(buf, sizeof(buf), "AS%u", asn);
		int rc = manrs_irrdb_find_key(db, MANRS_RPSL_AUT_NUM,
		    manrs_view_make(buf, (size_t)n), sel, ripe_obj, r);

		if (rc != 0)
			return rc;
		return manrs_irrdb_find_key(db, MANRS_RPSL_AS_SET, key, sel,
		    ripe_obj, r);
	}
	return manrs_irrdb_find_key(db, MANRS_RPSL_OTHER, key, sel, ripe_obj,
	    r);
}

int
whois_ripe(struct manrs_whois_session *s, const struct manrs_irrdb *db,
    struct manrs_view q, struct manrs_buf *out)
{
	struct manrs_view tok, inv = { NULL, 0 }, key = { NULL, 0 }, bad;
	struct manrs_irrdb_sel sel;
	struct ripe r;
	bool any = false;
	int match = -1, rc;

	memset(&r, 0, sizeof(r));
	r.s = s;
	whois_sel(s, db, &sel);
	while (manrs_view_token(&q, &tok)) {
		if (tok.p[0] != '-' || tok.len < 2) {
			if (key.len > 0)
				return ripe_err(out, "more than one search "
				    "key: ", tok);
			key = tok;
			continue;
		}
		any = true;
		switch (tok.p[1]) {
		case 'i':
			if (!manrs_view_token(&q, &inv))
				return ripe_err(out, "-i needs an attribute",
				    tok);
			break;
		case 'x':
			match = MANRS_IRRDB_EXACT;
			break;
		case 'l':
			match = MANRS_IRRDB_LESS1;
			break;
		case 'L':
			match = MANRS_IRRDB_LESS;
			break;
		case 'M':
			match = MANRS_IRRDB_MORE;
			break;
		case 's':	/* persists, as IRRd's -s and !s */
			if (!manrs_view_token(&q, &tok) ||
			    manrs_irrdb_sel_parse(db, tok, &sel, &bad) != 0 ||
			    sel.n == 0)
				return ripe_err(out, "unknown source ", tok);
			s->sel = sel;
			s->sel_set = true;
			break;
		case 'a':
			manrs_irrdb_sel_all(db, &sel);
			s->sel_set = false;
			break;
		case 'T':
			if (!manrs_view_token(&q, &tok) ||
			    parse_classes(tok, &r.classes) != 0)
				return ripe_err(out, "unknown object class ",
				    tok);
			break;
		case 'K':
			r.keys_only = true;
			break;
		case 'k':
			s->keep = !s->keep;
			break;
		case 'V':
			if (tok.len == 2)
				manrs_view_token(&q, &tok);
			break;
		case 'r':
		case 'F':
		case 'B':
		case 'G':
			break;
		default:
			return ripe_err(out, "unsupported flag ", tok);
		}
	}
	if (key.len == 0) {
		if (any && inv.len == 0 && match < 0)
			return 0;	/* "-k" / "-V x" alone: no answer */
		return ripe_err(out, "no search key specified", key);
	}
	if (s->rpki_off)
		sel.flags &= (uint8_t)~MANRS_IRRDB_SEL_RPKI;
	s->ans.keys_only = r.keys_only;
	if ((rc = lookup(&r, db, &sel, inv, match, key, out)) < 0)
		return rc;
	if (s->data.err != 0)
		return s->data.err;
	if (rc == 1) {
		s->ans.nobjs = 0;
		return 0;	/* lookup answered with an error */
	}
	if (s->ans.nobjs == 0)
		return manrs_buf_puts(out, "%  No entries found for the "
		    "selected source(s).\n\n");
	if (whois_objs_len(s) > MANRS_WHOIS_ANSWER_MAX) {
		s->ans.nobjs = 0;
		return ripe_err(out, "answer larger than "
		    "MANRS_WHOIS_ANSWER_MAX", key) < 0 ? out->err : 0;
	}
	s->ans.kind = BODY_OBJS;
	s->ans.tail = "\n";
	return 0;
}
