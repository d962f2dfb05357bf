/*
 * routercfg_openbgpd.c - OpenBGPD bgpd.conf (7.x, bgpd.conf(5)): "AS",
 * prefix-set and as-set, "rtr" and "roa-set" (ROV), neighbor and group
 * blocks (remote-as, descr, max-prefix), and the filter rules
 * allow/deny/match [quick] from|to PEER with prefix, prefix-set,
 * prefixlen, inet/inet6, AS/source-as/transit-as/peer-as, as-set,
 * max-as-len, ovs and community.  The rules are last-match ("quick"
 * stops) and the default action is deny (bgpd.conf(5) "FILTER").
 * Conditions not modelled make the rule undecided, never a pass.
 */
#include <stdlib.h>
#include <string.h>

#include "routercfg_int.h"

#define TOKS_MAX	64

/* Macros: name="value" (bgpd.conf(5) "MACROS"), $name expanded. */
#define BGPD_MACROS_MAX		1024
#define BGPD_MACRO_MAX		(256 * 1024)	/* bytes of one value */
#define BGPD_EXPAND_MAX		(MANRS_RC_LINE_MAX * 64)

struct bgpd_macro {
	char		*name;
	char		*value;
};

struct bgpd {
	struct manrs_rc	*rc;
	struct bgpd_macro macro[BGPD_MACROS_MAX];
	size_t		 nmacro;
	char		 exp[BGPD_EXPAND_MAX];
	uint32_t	 line;
	/* open block: 0 none, 1 neighbor, 2 group, 3 prefix-set,
	 * 4 as-set, 5 other */
	int		 blk[MANRS_RC_DEPTH_MAX];
	int		 depth;
	struct rc_session *s;
	uint32_t	 group_as;
	char		*group;
	uint32_t	 set;
	unsigned	 anon;
};

static bool
eq(struct manrs_view v, const char *s)
{
	return manrs_view_eq(v, s);
}

/* Tokens; quotes kept out; "{" and "}" are tokens of their own. */
static size_t
tokens(struct manrs_view line, struct manrs_view *t)
{
	size_t n = 0, i = 0;

	while (i < line.len && n < TOKS_MAX) {
		char ch = line.p[i];
		size_t j;

		if (ch == ' ' || ch == '\t' || ch == ',') {
			i++;
			continue;
		}
		if (ch == '#')
			break;
		if (ch == '{' || ch == '}') {
			t[n++] = manrs_view_make(line.p + i, 1);
			i++;
			continue;
		}
		if (ch == '"') {
			for (j = i + 1; j < line.len && line.p[j] != '"'; j++)
				;
			t[n++] = manrs_view_make(line.p + i + 1, j - i - 1);
			i = j + 1;
			continue;
		}
		for (j = i; j < line.len && line.p[j] != ' ' &&
		    line.p[j] != '\t' && line.p[j] != '{' &&
		    line.p[j] != '}' && line.p[j] != ','; j++)
			;
		t[n++] = manrs_view_make(line.p + i, j - i);
		i = j;
	}
	return n;
}

static void
push_blk(struct bgpd *b, int kind)
{
	if (b->depth >= MANRS_RC_DEPTH_MAX) {
		rc_error(b->rc, b->line, "blocks nested too deep");
		return;
	}
	b->blk[b->depth++] = kind;
}

/* A prefix-set member: "P [or-longer | maxlen N | prefixlen A - B]". */
static size_t
set_prefix(struct bgpd *b, struct manrs_view *t, size_t n, size_t i)
{
	struct rc_plent e;
	uint32_t v, w;

	memset(&e, 0, sizeof(e));
	if (rc_prefix(t[i], &e.p) != 0) {
		rc_error(b->rc, b->line, "bad prefix in prefix-set");
		return i + 1;
	}
	e.permit = true;
	e.min = e.max = e.p.len;
	i++;
	if (i < n && eq(t[i], "or-longer")) {
		e.max = (uint8_t)manrs_af_bits(e.p.af);
		i++;
	} else if (i + 1 < n && eq(t[i], "maxlen") &&
	    manrs_view_u32(t[i + 1], manrs_af_bits(e.p.af), &v) == 0) {
		e.max = (uint8_t)v;
		i += 2;
	} else if (i + 3 < n && eq(t[i], "prefixlen") && eq(t[i + 2], "-") &&
	    manrs_view_u32(t[i + 1], manrs_af_bits(e.p.af), &v) == 0 &&
	    manrs_view_u32(t[i + 3], manrs_af_bits(e.p.af), &w) == 0 &&
	    v >= e.p.len && v <= w) {
		e.min = (uint8_t)v;
		e.max = (uint8_t)w;
		i += 4;
	}
	rc_plist_add(b->rc, b->set, &e);
	return i;
}

static void
set_asn(struct bgpd *b, struct manrs_view tok)
{
	struct rc_asent e;

	memset(&e, 0, sizeof(e));
	e.permit = true;
	if (manrs_asn_parse(tok, &e.lo) != 0) {
		rc_error(b->rc, b->line, "bad ASN in as-set");
		return;
	}
	e.hi = e.lo;
	rc_aslist_add(b->rc, b->set, &e);
}

static void
atom(struct bgpd *b, struct rc_rule *r, enum rc_atom_kind k, uint32_t arg,
    uint32_t arg2, uint8_t af, const char *str)
{
	struct rc_atom a = { k, false, af, arg, arg2, str };

	rc_atom_add(b->rc, r, &a);
}

/* "AS N", "AS A - B", "AS { ... }" into an anonymous AS list. */
static size_t
as_spec(struct bgpd *b, struct rc_rule *r, enum rc_atom_kind k,
    struct manrs_view *t, size_t n, size_t i)
{
	char name[32];
	struct rc_asent e;
	uint32_t al;

	snprintf(name, sizeof(name), " as%u", b->anon++);
	al = rc_aslist_get(b->rc, manrs_view_cstr(name));
	memset(&e, 0, sizeof(e));
	e.permit = true;
	if (i < n && eq(t[i], "{")) {
		for (i++; i < n && !eq(t[i], "}"); i++)
			if (manrs_asn_parse(t[i], &e.lo) == 0) {
				e.hi = e.lo;
				rc_aslist_add(b->rc, al, &e);
			}
		i++;
	} else if (i < n && manrs_asn_parse(t[i], &e.lo) == 0) {
		e.hi = e.lo;
		i++;
		if (i + 1 < n && eq(t[i], "-") &&
		    manrs_asn_parse(t[i + 1], &e.hi) == 0)
			i += 2;
		rc_aslist_add(b->rc, al, &e);
	} else {
		atom(b, r, RC_A_UNKNOWN, 0, 0, 0, "an AS condition not "
		    "modelled");
		return i + 1;
	}
	atom(b, r, k, al, 0, 0, NULL);
	return i;
}

static size_t
prefixlen(struct bgpd *b, struct rc_rule *r, struct manrs_view *t, size_t n,
    size_t i, uint8_t af)
{
	uint32_t v, w;

	if (i + 1 < n && manrs_view_u32(t[i + 1], 128, &v) == 0) {
		if (eq(t[i], ">")) {
			atom(b, r, RC_A_PREFLEN_GT, v, 0, af, NULL);
			return i + 2;
		}
		if (eq(t[i], ">=") && v > 0) {
			atom(b, r, RC_A_PREFLEN_GT, v - 1, 0, af, NULL);
			return i + 2;
		}
	}
	if (i + 2 < n && manrs_view_u32(t[i], 128, &v) == 0 &&
	    eq(t[i + 1], "-") && manrs_view_u32(t[i + 2], 128, &w) == 0) {
		atom(b, r, RC_A_PREFLEN_RANGE, v, w, af, NULL);
		return i + 3;
	}
	atom(b, r, RC_A_UNKNOWN, 0, 0, 0, "a prefixlen condition not "
	    "modelled");
	return i + 1;
}

static size_t
prefix(struct bgpd *b, struct rc_rule *r, struct manrs_view *t, size_t n,
    size_t i)
{
	char name[32];
	uint32_t save = b->set;

	snprintf(name, sizeof(name), " pfx%u", b->anon++);
	b->set = rc_plist_get(b->rc, manrs_view_cstr(name));
	if (i < n && eq(t[i], "{")) {
		for (i++; i < n && !eq(t[i], "}");)
			i = set_prefix(b, t, n, i);
		i++;
	} else
		i = set_prefix(b, t, n, i);
	atom(b, r, RC_A_PREFIX_IN, b->set, 0, 0, NULL);
	b->set = save;
	return i;
}

static size_t
peer(struct bgpd *b, struct rc_rule *r, struct manrs_view *t, size_t n,
    size_t i)
{
	uint32_t v;

	if (i >= n)
		return i;
	if (eq(t[i], "any") || eq(t[i], "ebgp") || eq(t[i], "ibgp")) {
		atom(b, r, RC_A_SESSION, eq(t[i], "any") ? RC_PEER_ANY :
		    eq(t[i], "ebgp") ? RC_PEER_EBGP : RC_PEER_IBGP, 0, 0,
		    NULL);
		return i + 1;
	}
	if (eq(t[i], "group") && i + 1 < n) {
		atom(b, r, RC_A_SESSION, RC_PEER_GROUP, 0, 0,
		    rc_strdup(b->rc, t[i + 1]));
		return i + 2;
	}
	if (eq(t[i], "AS") && i + 1 < n &&
	    manrs_asn_parse(t[i + 1], &v) == 0) {
		atom(b, r, RC_A_SESSION, RC_PEER_AS, v, 0, NULL);
		return i + 2;
	}
	atom(b, r, RC_A_SESSION, RC_PEER_ADDR, 0, 0, rc_strdup(b->rc, t[i]));
	return i + 1;
}

static void
filter_rule(struct bgpd *b, struct manrs_view *t, size_t n)
{
	struct rc_rule *r;
	size_t i = 1;
	uint8_t af = 0;
	bool out;
	int idx;
	uint32_t v;

	if (i < n && eq(t[i], "quick"))
		i++;
	if (i >= n || (!eq(t[i], "from") && !eq(t[i], "to"))) {
		rc_error(b->rc, b->line, "filter rule without from/to");
		return;
	}
	out = eq(t[i], "to");
	r = rc_rule_add(b->rc, out ? b->rc->bgpd_out : b->rc->bgpd_in,
	    b->line);
	if (r == NULL)
		return;
	r->quick = eq(t[1], "quick");
	r->action = eq(t[0], "allow") ? RC_ACT_ACCEPT : eq(t[0], "deny") ?
	    RC_ACT_REJECT : RC_ACT_NONE;
	i = peer(b, r, t, n, i + 1);
	while (i < n) {
		struct manrs_view k = t[i];

		if (eq(k, "inet") || eq(k, "inet6")) {
			af = eq(k, "inet") ? MANRS_AF_INET : MANRS_AF_INET6;
			atom(b, r, RC_A_AF, 0, 0, af, NULL);
			i++;
		} else if (eq(k, "prefix") && i + 1 < n)
			i = prefix(b, r, t, n, i + 1);
		else if (eq(k, "prefix-set") && i + 1 < n) {
			idx = rc_plist_find(b->rc, t[i + 1]);
			if (idx < 0) {
				rc_error(b->rc, b->line, "unknown prefix-set");
				return;
			}
			i += 2;
			if (i < n && eq(t[i], "or-longer")) {
				atom(b, r, RC_A_UNKNOWN, 0, 0, 0,
				    "prefix-set or-longer");
				i++;
			} else
				atom(b, r, RC_A_PREFIX_IN, (uint32_t)idx, 0, 0,
				    NULL);
		} else if (eq(k, "prefixlen"))
			i = prefixlen(b, r, t, n, i + 1, af);
		else if (eq(k, "AS") || eq(k, "transit-as"))
			i = as_spec(b, r, RC_A_PATH_HAS, t, n, i + 1);
		else if (eq(k, "source-as"))
			i = as_spec(b, r, RC_A_ORIGIN_IN, t, n, i + 1);
		else if (eq(k, "as-set") && i + 1 < n) {
			idx = rc_aslist_find(b->rc, t[i + 1]);
			if (idx < 0) {
				rc_error(b->rc, b->line, "unknown as-set");
				return;
			}
			atom(b, r, RC_A_PATH_HAS, (uint32_t)idx, 0, 0, NULL);
			i += 2;
		} else if (eq(k, "max-as-len") && i + 1 < n &&
		    manrs_view_u32(t[i + 1], UINT32_MAX, &v) == 0) {
			atom(b, r, RC_A_PATHLEN_GT, v, 0, 0, NULL);
			i += 2;
		} else if (eq(k, "ovs") && i + 1 < n) {
			atom(b, r, RC_A_RPKI, eq(t[i + 1], "invalid") ?
			    RC_RPKI_INVALID : eq(t[i + 1], "valid") ?
			    RC_RPKI_VALID : RC_RPKI_NOTFOUND, 0, 0, NULL);
			i += 2;
		} else if (eq(k, "community") || eq(k, "large-community") ||
		    eq(k, "ext-community")) {
			atom(b, r, RC_A_COMMUNITY, 0, 0, 0, NULL);
			i += 2;
		} else if (eq(k, "set"))
			break;
		else {
			atom(b, r, RC_A_UNKNOWN, 0, 0, 0, "a filter condition "
			    "not modelled");
			rc_note(b->rc, b->line, "filter condition not "
			    "modelled: checks through this rule are "
			    "undecided");
			break;
		}
	}
}

static void
neighbor_line(struct bgpd *b, struct manrs_view *t, size_t n)
{
	uint32_t v;

	if (n >= 2 && eq(t[0], "remote-as") && manrs_asn_parse(t[1], &v) == 0) {
		if (b->s != NULL)
			b->s->pub.remote_as = v;
		else
			b->group_as = v;
	} else if (n >= 2 && eq(t[0], "descr") && b->s != NULL)
		b->s->pub.descr = rc_strdup(b->rc, t[1]);
	else if (n >= 3 && eq(t[0], "announce") && b->s != NULL &&
	    (eq(t[1], "IPv4") || eq(t[1], "IPv6")))
		b->s->af_on[eq(t[1], "IPv6")] = !eq(t[2], "none");
	else if (n >= 2 && eq(t[0], "max-prefix") && b->s != NULL &&
	    manrs_view_u32(t[1], UINT32_MAX, &v) == 0) {
		if (n >= 3 && eq(t[2], "out"))
			return;
		b->s->pub.max_prefix = v;
	}
}

static void
open_neighbor(struct bgpd *b, struct manrs_view addr)
{
	b->s = rc_session_add(b->rc, addr, b->line);
	if (b->s == NULL)
		return;
	b->s->pub.remote_as = b->group_as;
	b->s->group = b->group;
	/* bgpd announces the neighbor address's family unless told
	 * ("announce IPv4/IPv6 unicast"). */
	b->s->af_on[0] = manrs_view_find(addr, ':') < 0;
	b->s->af_on[1] = !b->s->af_on[0];
	for (int af = 0; af < 2; af++) {
		b->s->in[af].kind = b->s->out[af].kind = RC_POL_REF;
		b->s->in[af].policy = b->rc->bgpd_in;
		b->s->out[af].policy = b->rc->bgpd_out;
	}
}

static void
line_bgpd(struct bgpd *b, struct manrs_view *t, size_t n)
{
	size_t i = 0;
	uint32_t v;
	int top = b->depth > 0 ? b->blk[b->depth - 1] : 0;

	if (n == 0)
		return;
	if (top == 3 || top == 4) {
		for (; i < n && !eq(t[i], "}");)
			if (top == 3)
				i = set_prefix(b, t, n, i);
			else
				set_asn(b, t[i++]);
		if (i < n)
			b->depth--;
		return;
	}
	if (eq(t[0], "}")) {
		if (b->depth == 0) {
			rc_error(b->rc, b->line, "\"}\" without a block");
			return;
		}
		if (top == 1)
			b->s = NULL;
		if (top == 2) {
			b->group = NULL;
			b->group_as = 0;
		}
		b->depth--;
		return;
	}
	if (b->depth == 0 && n >= 2 && eq(t[0], "AS") &&
	    manrs_asn_parse(t[1], &v) == 0) {
		b->rc->local_as = v;
		return;
	}
	if ((eq(t[0], "prefix-set") || eq(t[0], "as-set")) && n >= 3 &&
	    eq(t[2], "{")) {
		bool ps = eq(t[0], "prefix-set");

		b->set = ps ? rc_plist_get(b->rc, t[1]) :
		    rc_aslist_get(b->rc, t[1]);
		push_blk(b, ps ? 3 : 4);
		line_bgpd(b, t + 3, n - 3);
		return;
	}
	if (eq(t[0], "rtr") || eq(t[0], "roa-set")) {
		b->rc->rpki_on = true;
		b->rc->rpki_line = b->line;
	}
	if (eq(t[0], "neighbor") && n >= 2) {
		open_neighbor(b, t[1]);
		if (n >= 3 && eq(t[2], "{"))
			push_blk(b, 1);
		return;
	}
	if (eq(t[0], "group") && n >= 3 && eq(t[2], "{")) {
		b->group = rc_strdup(b->rc, t[1]);
		push_blk(b, 2);
		return;
	}
	if (b->depth == 0 && (eq(t[0], "allow") || eq(t[0], "deny") ||
	    eq(t[0], "match"))) {
		filter_rule(b, t, n);
		return;
	}
	if (top == 1 || top == 2) {
		neighbor_line(b, t, n);
		return;
	}
	if (eq(t[n - 1], "{"))
		push_blk(b, 5);
}

static bool
name_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * A macro definition "name = "value"" (the value may span lines): true
 * when line starts one; the value is read to its closing quote.
 */
static bool
macro_def(struct bgpd *b, struct manrs_view line, struct rc_lines *l)
{
	struct manrs_view v = manrs_view_trim(line), name, val;
	struct bgpd_macro *m;
	ptrdiff_t eqi = manrs_view_find(v, '=');
	const char *q, *end;
	size_t k;

	if (eqi <= 0)
		return false;
	name = manrs_view_trim(manrs_view_make(v.p, (size_t)eqi));
	for (k = 0; k < name.len; k++)
		if (!name_char(name.p[k]))
			return false;
	val = manrs_view_trim(manrs_view_make(v.p + eqi + 1,
	    v.len - (size_t)eqi - 1));
	if (name.len == 0 || val.len == 0)
		return false;
	if (val.p[0] != '"') {
		end = val.p + val.len;
		q = val.p;
	} else {
		q = val.p + 1;
		end = memchr(q, '"', (size_t)(l->end - q));
		if (end == NULL || (size_t)(end - q) > BGPD_MACRO_MAX) {
			rc_error(b->rc, l->no, "unterminated macro");
			l->p = l->end;
			return true;
		}
		/* Skip the lines the value spans. */
		for (const char *c = val.p; c < end; c++)
			if (*c == '\n')
				l->no++;
		l->p = memchr(end, '\n', (size_t)(l->end - end));
		l->p = l->p == NULL ? l->end : l->p + 1;
	}
	if (b->nmacro >= BGPD_MACROS_MAX) {
		rc_error(b->rc, l->no, "more than %u macros", BGPD_MACROS_MAX);
		return true;
	}
	m = &b->macro[b->nmacro];
	m->name = manrs_arena_strndup(b->rc->arena, name.p, name.len);
	m->value = manrs_arena_strndup(b->rc->arena, q, (size_t)(end - q));
	if (m->name == NULL || m->value == NULL)
		b->rc->err = MANRS_E_NOMEM;
	else
		b->nmacro++;
	return true;
}

/* Expand $name in line into b->exp; newlines become spaces. */
static struct manrs_view
expand(struct bgpd *b, struct manrs_view line)
{
	size_t o = 0;

	if (manrs_view_find(line, '$') < 0)
		return line;
	for (size_t i = 0; i < line.len; i++) {
		const char *val = NULL;
		size_t nl = 0;

		if (line.p[i] == '$') {
			while (i + 1 + nl < line.len &&
			    name_char(line.p[i + 1 + nl]))
				nl++;
			for (size_t m = b->nmacro; m-- > 0;)
				if (strlen(b->macro[m].name) == nl &&
				    memcmp(b->macro[m].name, line.p + i + 1,
				    nl) == 0) {
					val = b->macro[m].value;
					break;
				}
			if (val == NULL) {
				rc_error(b->rc, b->line, "undefined macro");
				return manrs_view_make(line.p, 0);
			}
			for (; *val != '\0' && o < sizeof(b->exp); val++)
				b->exp[o++] = *val == '\n' ? ' ' : *val;
			i += nl;
		} else if (o < sizeof(b->exp))
			b->exp[o++] = line.p[i];
	}
	if (o >= sizeof(b->exp)) {
		rc_error(b->rc, b->line, "line longer than %u bytes after "
		    "macro expansion", BGPD_EXPAND_MAX);
		return manrs_view_make(line.p, 0);
	}
	return manrs_view_make(b->exp, o);
}

int
rc_parse_openbgpd(struct manrs_rc *rc, const char *text, size_t len)
{
	struct rc_lines l = { text, text + len, 0 };
	struct manrs_view line, t[TOKS_MAX];
	struct bgpd *b;
	size_t n;
	int err;

	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return MANRS_E_NOMEM;
	b->rc = rc;
	rc->bgpd_in = rc_policy_get(rc, manrs_view_cstr(" from"));
	rc->bgpd_out = rc_policy_get(rc, manrs_view_cstr(" to"));
	if (rc->err != 0)
		goto out;
	for (int i = 0; i < 2; i++) {
		struct rc_policy *p = &rc->pol[i ? rc->bgpd_out : rc->bgpd_in];

		p->defined = p->last_match = true;
		p->fallthrough = RC_ACT_REJECT;
	}
	while (rc_line_next(&l, &line)) {
		b->line = l.no;
		if (line.len > MANRS_RC_LINE_MAX) {
			rc_error(rc, l.no, "line longer than %u bytes",
			    MANRS_RC_LINE_MAX);
			continue;
		}
		if (b->depth == 0 && macro_def(b, line, &l))
			continue;
		n = tokens(expand(b, line), t);
		line_bgpd(b, t, n);
		if (rc->err != 0 && rc->err != MANRS_E_SYNTAX)
			goto out;
	}
	if (b->depth != 0)
		rc_error(rc, l.no, "unclosed block at the end");
out:
	err = rc->err;
	free(b);
	return err;
}
