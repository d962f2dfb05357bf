/*
 * routercfg_bird.c - BIRD 2 configurations (bird -p -c; BIRD 2.0):
 * "define" of prefix sets, int sets and numbers, "roa4/roa6 table" and
 * "protocol rpki" (ROV), functions and filters, "template bgp" and
 * "protocol bgp NAME [from T]" with local/neighbor AS, description and
 * ipv4/ipv6 channels (import all|none|filter NAME|filter { }|where C,
 * import limit / receive limit).  EBGP channels without import/export
 * get BIRD's default for EBGP, none (RFC 8212).
 *
 * Filter bodies are flattened into first-match rules: "if C then S
 * else S" puts C (a disjunction of conjunctions: &&, ||, !, parentheses)
 * in front of the rules of S; accept/reject are terminal; a statement
 * call "f();" calls the function (which may end without a decision); a
 * predicate function "function f() { return C; }" is inlined into a
 * condition.  Conditions on net, net.len, net.type, bgp_path (.len,
 * .first, .last, ~ set), roa_check() and communities are modelled;
 * anything else is an unknown atom: the checks through it say
 * "undecided", never "pass".
 */
#include <stdlib.h>
#include <string.h>

#include "routercfg_int.h"

#define BIRD_TOKENS_MAX		(1u << 20)
#define BIRD_DNF_TERMS		32	/* disjuncts of a condition */
#define BIRD_DNF_ATOMS		16	/* atoms in one disjunct */
#define BIRD_DEFINES_MAX	4096
#define BIRD_FUNCS_MAX		4096

struct tok {
	struct manrs_view	v;
	uint32_t		line;
};

/* A condition in disjunctive normal form. */
struct conj {
	struct rc_atom	a[BIRD_DNF_ATOMS];
	size_t		n;
};

struct dnf {
	struct conj	t[BIRD_DNF_TERMS];
	size_t		n;
	bool		overflow;
};

enum def_kind { D_PREFIXES, D_INTS, D_NUMBER };

struct define {
	struct manrs_view name;
	enum def_kind	kind;
	uint32_t	idx;		/* plist / aslist, or the number */
};

struct func {
	struct manrs_view name;
	uint32_t	policy;
	bool		pred;		/* "return COND;" */
	struct dnf	*cond;
};

struct bird {
	struct manrs_rc	*rc;
	struct tok	*t;
	size_t		 n, i, cap;
	struct define	 def[BIRD_DEFINES_MAX];
	size_t		 ndef;
	struct func	 fn[BIRD_FUNCS_MAX];
	size_t		 nfn;
	unsigned	 anon;
	unsigned	 depth;
};

static bool
is_punct(char c)
{
	return strchr("{}()[];,=!<>~&|+-*/.:", c) != NULL;
}

static bool
word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '_';
}

/*
 * The end of a word at p[i]: an address, prefix or number (it starts
 * with a digit or holds ':') runs over '.', ':' and '/' followed by a
 * digit, but stops before ".."; an identifier stops at '.'.
 */
static size_t
word_end(const char *p, size_t len, size_t i)
{
	size_t j = i;
	bool addr = p[i] >= '0' && p[i] <= '9';

	while (j < len && (word_char(p[j]) || p[j] == ':' || (p[j] == '.' &&
	    !(j + 1 < len && p[j + 1] == '.')) || (p[j] == '/' &&
	    j + 1 < len && p[j + 1] >= '0' && p[j + 1] <= '9'))) {
		if (p[j] == ':')
			addr = true;
		j++;
	}
	if (!addr)
		for (size_t k = i; k < j; k++)
			if (!word_char(p[k]))
				return k > i ? k : i + 1;
	return j > i ? j : i + 1;
}

/*
 * Tokens: words (letters, digits, '_', '.', ':', '/' inside prefixes
 * and addresses), strings, and the operators == != <= >= && || .. as
 * one token each; '#' and C comments skipped.
 */
static int
tokenize(struct bird *b, const char *p, size_t len)
{
	uint32_t line = 1;
	size_t i = 0;

	while (i < len) {
		char c = p[i];
		size_t j = i + 1;

		if (c == '\n') {
			line++;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c == '#') {
			while (i < len && p[i] != '\n')
				i++;
			continue;
		}
		if (c == '/' && i + 1 < len && p[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(p[i] == '*' &&
			    p[i + 1] == '/'); i++)
				if (p[i] == '\n')
					line++;
			i += 2;
			continue;
		}
		if (c == '"') {
			while (j < len && p[j] != '"' && p[j] != '\n')
				j++;
			j = j < len ? j + 1 : j;
		} else if (is_punct(c) && c != '.' && c != ':') {
			if (i + 1 < len && ((c == '=' && p[i + 1] == '=') ||
			    (c == '!' && p[i + 1] == '=') || (c == '<' &&
			    p[i + 1] == '=') || (c == '>' && p[i + 1] == '=') ||
			    (c == '&' && p[i + 1] == '&') || (c == '|' &&
			    p[i + 1] == '|') || (c == '!' && p[i + 1] == '~')))
				j = i + 2;
		} else if (c == '.' && i + 1 < len && p[i + 1] == '.') {
			j = i + 2;
		} else {
			j = word_end(p, len, i);
		}
		if (b->n >= BIRD_TOKENS_MAX)
			return MANRS_E_LIMIT;
		if (manrs_grow((void **)&b->t, &b->cap, b->n, sizeof(*b->t)))
			return MANRS_E_NOMEM;
		b->t[b->n].v = manrs_view_make(p + i, j - i);
		b->t[b->n].line = line;
		b->n++;
		i = j;
	}
	return 0;
}

static bool
at(struct bird *b, const char *s)
{
	return b->i < b->n && manrs_view_eq(b->t[b->i].v, s);
}

static bool
take(struct bird *b, const char *s)
{
	if (!at(b, s))
		return false;
	b->i++;
	return true;
}

static uint32_t
cur_line(struct bird *b)
{
	return b->i < b->n ? b->t[b->i].line : (b->n ? b->t[b->n - 1].line :
	    0);
}

/* Skip to the end of the current statement or balanced block. */
static void
skip_stmt(struct bird *b)
{
	int depth = 0;

	for (; b->i < b->n; b->i++) {
		if (at(b, "{"))
			depth++;
		else if (at(b, "}")) {
			if (depth == 0)
				return;
			if (--depth == 0) {
				b->i++;
				take(b, ";");
				return;
			}
		} else if (at(b, ";") && depth == 0) {
			b->i++;
			return;
		}
	}
}

static struct define *
find_def(struct bird *b, struct manrs_view name)
{
	for (size_t k = b->ndef; k-- > 0;)
		if (b->def[k].name.len == name.len &&
		    memcmp(b->def[k].name.p, name.p, name.len) == 0)
			return &b->def[k];
	return NULL;
}

static struct func *
find_fn(struct bird *b, struct manrs_view name)
{
	for (size_t k = 0; k < b->nfn; k++)
		if (b->fn[k].name.len == name.len &&
		    memcmp(b->fn[k].name.p, name.p, name.len) == 0)
			return &b->fn[k];
	return NULL;
}

static bool
number(struct bird *b, struct manrs_view v, uint32_t *out)
{
	struct define *d;

	if (manrs_view_u32(v, UINT32_MAX, out) == 0)
		return true;
	d = find_def(b, v);
	if (d != NULL && d->kind == D_NUMBER) {
		*out = d->idx;
		return true;
	}
	return false;
}

/*
 * A set literal "[ ... ]" (b->i at "["): prefixes (p, p+, p-, p{a,b})
 * or ints (n, a..b).  *pfx tells which; the index of the new list.
 */
static int
set_literal(struct bird *b, bool *pfx, uint32_t *idx)
{
	char name[32];
	uint32_t v, w;

	snprintf(name, sizeof(name), " set%u", b->anon++);
	*pfx = b->i + 1 < b->n && manrs_view_find(b->t[b->i + 1].v, '/') >= 0;
	*idx = *pfx ? rc_plist_get(b->rc, manrs_view_cstr(name)) :
	    rc_aslist_get(b->rc, manrs_view_cstr(name));
	b->i++;
	while (b->i < b->n && !at(b, "]")) {
		if (take(b, ","))
			continue;
		if (*pfx) {
			struct rc_plent e;

			memset(&e, 0, sizeof(e));
			e.permit = true;
			if (rc_prefix(b->t[b->i].v, &e.p) != 0)
				return MANRS_E_SYNTAX;
			b->i++;
			e.min = e.max = e.p.len;
			if (take(b, "+"))
				e.max = (uint8_t)manrs_af_bits(e.p.af);
			else if (take(b, "-"))
				e.min = 0;
			else if (take(b, "{")) {
				if (b->i + 3 >= b->n ||
				    !number(b, b->t[b->i].v, &v) ||
				    !manrs_view_eq(b->t[b->i + 1].v, ",") ||
				    !number(b, b->t[b->i + 2].v, &w) ||
				    w > manrs_af_bits(e.p.af) || v > w)
					return MANRS_E_SYNTAX;
				e.min = (uint8_t)v;
				e.max = (uint8_t)w;
				b->i += 3;
				if (!take(b, "}"))
					return MANRS_E_SYNTAX;
			}
			rc_plist_add(b->rc, *idx, &e);
		} else {
			struct rc_asent e;

			memset(&e, 0, sizeof(e));
			e.permit = true;
			if (!number(b, b->t[b->i].v, &e.lo))
				return MANRS_E_SYNTAX;
			b->i++;
			e.hi = e.lo;
			if (take(b, "..")) {
				if (b->i >= b->n ||
				    !number(b, b->t[b->i].v, &e.hi))
					return MANRS_E_SYNTAX;
				b->i++;
			}
			rc_aslist_add(b->rc, *idx, &e);
		}
	}
	return take(b, "]") ? 0 : MANRS_E_SYNTAX;
}

/* DNF helpers. */
static void
dnf_atom(struct dnf *d, const struct rc_atom *a)
{
	d->n = 1;
	d->t[0].n = 1;
	d->t[0].a[0] = *a;
}

static void
dnf_or(struct dnf *d, const struct dnf *e)
{
	for (size_t k = 0; k < e->n; k++) {
		if (d->n >= BIRD_DNF_TERMS) {
			d->overflow = true;
			return;
		}
		d->t[d->n++] = e->t[k];
	}
	d->overflow |= e->overflow;
}

static void
dnf_and(struct dnf *d, const struct dnf *e, struct dnf *tmp)
{
	tmp->n = 0;
	tmp->overflow = d->overflow || e->overflow;
	for (size_t x = 0; x < d->n; x++)
		for (size_t y = 0; y < e->n; y++) {
			struct conj *c;

			if (tmp->n >= BIRD_DNF_TERMS ||
			    d->t[x].n + e->t[y].n > BIRD_DNF_ATOMS) {
				tmp->overflow = true;
				continue;
			}
			c = &tmp->t[tmp->n++];
			*c = d->t[x];
			memcpy(c->a + c->n, e->t[y].a, e->t[y].n *
			    sizeof(c->a[0]));
			c->n += e->t[y].n;
		}
	*d = *tmp;
}

/* not(d): De Morgan; a disjunction of conjunctions becomes a
 * conjunction of disjunctions, multiplied out. */
static void
dnf_not(struct dnf *d, struct dnf *tmp, struct dnf *acc)
{
	struct dnf *one = calloc(1, sizeof(*one));

	if (one == NULL) {
		d->overflow = true;
		return;
	}
	acc->n = 1;
	acc->t[0].n = 0;
	acc->overflow = d->overflow;
	for (size_t k = 0; k < d->n; k++) {
		one->n = 0;
		one->overflow = false;
		for (size_t m = 0; m < d->t[k].n; m++) {
			struct rc_atom a = d->t[k].a[m];

			a.neg = !a.neg;
			if (one->n >= BIRD_DNF_TERMS) {
				one->overflow = true;
				break;
			}
			one->t[one->n].n = 1;
			one->t[one->n++].a[0] = a;
		}
		dnf_and(acc, one, tmp);
	}
	*d = *acc;
	free(one);
}

static void
unknown(struct dnf *d, const char *why)
{
	struct rc_atom a = { RC_A_UNKNOWN, false, 0, 0, 0, why };

	dnf_atom(d, &a);
}

static int cond_or(struct bird *b, struct dnf *d);

/* "net ~ X", "bgp_path ~ X", "bgp_path.last ~ X": X a set or define. */
static void
match_set(struct bird *b, struct dnf *d, int what, bool neg)
{
	struct rc_atom a = { RC_A_UNKNOWN, neg, 0, 0, 0, NULL };
	struct define *df;
	bool pfx;
	uint32_t idx;

	if (at(b, "[")) {
		if (set_literal(b, &pfx, &idx) != 0) {
			rc_error(b->rc, cur_line(b), "bad set literal");
			unknown(d, "a bad set");
			return;
		}
	} else if (b->i < b->n && (df = find_def(b, b->t[b->i].v)) != NULL &&
	    df->kind != D_NUMBER) {
		pfx = df->kind == D_PREFIXES;
		idx = df->idx;
		b->i++;
	} else {
		b->i++;
		unknown(d, "a match against something not modelled");
		return;
	}
	if (what == 0 && pfx)
		a.kind = RC_A_PREFIX_IN;
	else if (what == 1 && !pfx)
		a.kind = RC_A_PATH_HAS;
	else if (what == 2 && !pfx)
		a.kind = RC_A_ORIGIN_IN;
	else
		a.str = "a set match not modelled";
	a.arg = idx;
	dnf_atom(d, &a);
}

static bool
cmp_op(struct bird *b, const char **op)
{
	static const char *const ops[] = { ">", ">=", "<", "<=", "=", "==",
		"!=", NULL };

	for (size_t k = 0; ops[k] != NULL; k++)
		if (take(b, ops[k])) {
			*op = ops[k];
			return true;
		}
	return false;
}

/* "LHS OP N" for net.len and bgp_path.len: greater-than forms only. */
static void
length_cmp(struct bird *b, struct dnf *d, enum rc_atom_kind k)
{
	struct rc_atom a = { k, false, 0, 0, 0, NULL };
	const char *op = NULL;
	uint32_t v;

	if (!cmp_op(b, &op) || b->i >= b->n ||
	    !number(b, b->t[b->i].v, &v)) {
		unknown(d, "a length comparison not modelled");
		skip_stmt(b);
		return;
	}
	b->i++;
	if (strcmp(op, ">") == 0)
		a.arg = v;
	else if (strcmp(op, ">=") == 0 && v > 0)
		a.arg = v - 1;
	else if (strcmp(op, "<=") == 0) {
		a.arg = v;
		a.neg = true;
	} else if (strcmp(op, "<") == 0 && v > 0) {
		a.arg = v - 1;
		a.neg = true;
	} else {
		unknown(d, "a length comparison not modelled");
		return;
	}
	dnf_atom(d, &a);
}

/* roa_check(TABLE, net, bgp_path.last) = ROA_X / != ROA_X */
static void
roa(struct bird *b, struct dnf *d)
{
	struct rc_atom a = { RC_A_RPKI, false, 0, 0, 0, NULL };
	const char *op = NULL;
	int depth = 0;

	b->i++;		/* roa_check */
	if (!at(b, "(")) {
		unknown(d, "a roa_check() use not modelled");
		return;
	}
	do {
		if (at(b, "("))
			depth++;
		else if (at(b, ")"))
			depth--;
		b->i++;
	} while (b->i < b->n && depth > 0);
	if (!cmp_op(b, &op) || (strcmp(op, "=") != 0 && strcmp(op, "==") !=
	    0 && strcmp(op, "!=") != 0) || b->i >= b->n) {
		unknown(d, "a roa_check() use not modelled");
		return;
	}
	a.neg = strcmp(op, "!=") == 0;
	a.arg = at(b, "ROA_INVALID") ? RC_RPKI_INVALID : at(b, "ROA_VALID") ?
	    RC_RPKI_VALID : RC_RPKI_NOTFOUND;
	b->i++;
	dnf_atom(d, &a);
}

static void
net_eq(struct bird *b, struct dnf *d, bool neg)
{
	struct rc_atom a = { RC_A_PREFIX_IN, neg, 0, 0, 0, NULL };
	struct rc_plent e;
	char name[32];

	memset(&e, 0, sizeof(e));
	if (b->i >= b->n || rc_prefix(b->t[b->i].v, &e.p) != 0) {
		unknown(d, "a net comparison not modelled");
		return;
	}
	b->i++;
	e.min = e.max = e.p.len;
	e.permit = true;
	snprintf(name, sizeof(name), " eq%u", b->anon++);
	a.arg = rc_plist_get(b->rc, manrs_view_cstr(name));
	rc_plist_add(b->rc, a.arg, &e);
	dnf_atom(d, &a);
}

/* One primary condition. */
static int
cond_atom(struct bird *b, struct dnf *d)
{
	struct func *f;
	struct dnf *tmp;
	bool neg;

	if (b->i >= b->n)
		return MANRS_E_SYNTAX;
	if (take(b, "!")) {
		int r = cond_atom(b, d);

		tmp = calloc(2, sizeof(*tmp));
		if (tmp == NULL)
			return MANRS_E_NOMEM;
		dnf_not(d, &tmp[0], &tmp[1]);
		free(tmp);
		return r;
	}
	if (take(b, "(")) {
		int r = cond_or(b, d);

		if (!take(b, ")"))
			return MANRS_E_SYNTAX;
		return r;
	}
	if (take(b, "net")) {
		if (take(b, ".")) {
			if (take(b, "len")) {
				length_cmp(b, d, RC_A_PREFLEN_GT);
				return 0;
			}
			if (take(b, "type") && (take(b, "=") ||
			    take(b, "==") || at(b, "!="))) {
				struct rc_atom a = { RC_A_AF, take(b, "!="),
				    0, 0, 0, NULL };

				a.af = at(b, "NET_IP6") ? MANRS_AF_INET6 :
				    MANRS_AF_INET;
				b->i++;
				dnf_atom(d, &a);
				return 0;
			}
			unknown(d, "a net attribute not modelled");
			skip_stmt(b);
			return 0;
		}
		if (take(b, "~") || at(b, "!~")) {
			neg = take(b, "!~");
			match_set(b, d, 0, neg);
			return 0;
		}
		if (take(b, "=") || take(b, "==")) {
			net_eq(b, d, false);
			return 0;
		}
		if (take(b, "!=")) {
			net_eq(b, d, true);
			return 0;
		}
		unknown(d, "a net condition not modelled");
		return 0;
	}
	if (take(b, "bgp_path")) {
		if (take(b, ".")) {
			if (take(b, "len")) {
				length_cmp(b, d, RC_A_PATHLEN_GT);
				return 0;
			}
			if (take(b, "last") && (take(b, "~") || at(b, "!~"))) {
				neg = take(b, "!~");
				match_set(b, d, 2, neg);
				return 0;
			}
			if (take(b, "first")) {
				struct rc_atom a = { RC_A_PEER_AS, false, 0,
				    0, 0, NULL };
				const char *op = NULL;

				if (cmp_op(b, &op) && b->i < b->n &&
				    (strcmp(op, "!=") == 0 || op[0] == '=') &&
				    number(b, b->t[b->i].v, &a.arg)) {
					a.neg = strcmp(op, "!=") == 0;
					b->i++;
					dnf_atom(d, &a);
					return 0;
				}
			}
			unknown(d, "a bgp_path attribute not modelled");
			return 0;
		}
		if (take(b, "~") || at(b, "!~")) {
			neg = take(b, "!~");
			match_set(b, d, 1, neg);
			return 0;
		}
		unknown(d, "a bgp_path condition not modelled");
		return 0;
	}
	if (at(b, "roa_check")) {
		roa(b, d);
		return 0;
	}
	if (b->i + 1 < b->n && manrs_view_eq(b->t[b->i + 1].v, "(") &&
	    (f = find_fn(b, b->t[b->i].v)) != NULL) {
		b->i += 2;
		if (!take(b, ")"))
			return MANRS_E_SYNTAX;
		if (f->pred && f->cond != NULL)
			*d = *f->cond;
		else
			unknown(d, "a function used as a condition");
		return 0;
	}
	if (take(b, "true") || take(b, "false")) {
		struct rc_atom a = { RC_A_TRUE, manrs_view_eq(b->t[b->i - 1].v,
		    "false"), 0, 0, 0, NULL };

		dnf_atom(d, &a);
		return 0;
	}
	/* "(a,b) ~ bgp_community" and the like: test routes carry no
	 * communities. */
	{
		size_t k = b->i;
		bool comm = false;

		for (; k < b->n && k < b->i + 16; k++) {
			if (manrs_view_eq(b->t[k].v, "then") ||
			    manrs_view_eq(b->t[k].v, "&&") ||
			    manrs_view_eq(b->t[k].v, "||"))
				break;
			if (manrs_view_starts_with(b->t[k].v,
			    "bgp_community") ||
			    manrs_view_starts_with(b->t[k].v,
			    "bgp_large_community") ||
			    manrs_view_starts_with(b->t[k].v,
			    "bgp_ext_community"))
				comm = true;
		}
		if (comm) {
			struct rc_atom a = { RC_A_COMMUNITY, false, 0, 0, 0,
			    NULL };

			b->i = k;
			dnf_atom(d, &a);
			return 0;
		}
	}
	unknown(d, "a condition not modelled");
	/* Skip the operand: to the next && || ) then ;. */
	for (int depth = 0; b->i < b->n; b->i++) {
		if (at(b, "(") || at(b, "["))
			depth++;
		else if ((at(b, ")") || at(b, "]")) && depth > 0)
			depth--;
		else if (depth == 0 && (at(b, "&&") || at(b, "||") ||
		    at(b, ")") || at(b, "then") || at(b, ";")))
			break;
	}
	return 0;
}

static int
cond_and(struct bird *b, struct dnf *d)
{
	struct dnf *e, *tmp;
	int r = cond_atom(b, d);

	if (r != 0 || !at(b, "&&"))
		return r;
	e = calloc(2, sizeof(*e));
	if (e == NULL)
		return MANRS_E_NOMEM;
	tmp = &e[1];
	while (r == 0 && take(b, "&&")) {
		memset(e, 0, sizeof(*e));
		r = cond_atom(b, e);
		dnf_and(d, e, tmp);
	}
	free(e);
	return r;
}

static int
cond_or(struct bird *b, struct dnf *d)
{
	struct dnf *e;
	int r;

	if (++b->depth > MANRS_RC_DEPTH_MAX) {
		b->depth--;
		return MANRS_E_LIMIT;
	}
	r = cond_and(b, d);
	if (r == 0 && at(b, "||")) {
		e = calloc(1, sizeof(*e));
		if (e == NULL)
			r = MANRS_E_NOMEM;
		while (r == 0 && take(b, "||")) {
			memset(e, 0, sizeof(*e));
			r = cond_and(b, e);
			dnf_or(d, e);
		}
		free(e);
	}
	b->depth--;
	return r;
}

/* Emit one rule per disjunct of the prefix condition. */
static void
emit(struct bird *b, uint32_t pol, const struct dnf *pre, enum rc_action act,
    uint32_t call, uint32_t line)
{
	for (size_t k = 0; k < pre->n; k++) {
		struct rc_rule *r = rc_rule_add(b->rc, pol, line);

		if (r == NULL)
			return;
		r->action = act;
		r->call = call;
		for (size_t m = 0; m < pre->t[k].n; m++)
			rc_atom_add(b->rc, r, &pre->t[k].a[m]);
		if (pre->overflow) {
			struct rc_atom a = { RC_A_UNKNOWN, false, 0, 0, 0,
			    "a condition too large to model" };

			rc_atom_add(b->rc, r, &a);
		}
	}
}

static int stmts(struct bird *b, uint32_t pol, const struct dnf *pre,
    bool block);

/* One statement under condition pre. */
static int
stmt(struct bird *b, uint32_t pol, const struct dnf *pre)
{
	uint32_t line = cur_line(b);
	struct func *f;
	int r = 0;

	if (at(b, "{")) {
		b->i++;
		return stmts(b, pol, pre, true);
	}
	if (take(b, "accept") || take(b, "reject")) {
		emit(b, pol, pre, manrs_view_eq(b->t[b->i - 1].v, "accept") ?
		    RC_ACT_ACCEPT : RC_ACT_REJECT, 0, line);
		skip_stmt(b);
		return 0;
	}
	if (take(b, "if")) {
		struct dnf *c = calloc(3, sizeof(*c));

		if (c == NULL)
			return MANRS_E_NOMEM;
		r = cond_or(b, &c[0]);
		if (r == 0 && !take(b, "then"))
			r = MANRS_E_SYNTAX;
		if (r == 0) {
			c[1] = *pre;
			dnf_and(&c[1], &c[0], &c[2]);
			r = stmt(b, pol, &c[1]);
		}
		if (r == 0 && take(b, "else")) {
			dnf_not(&c[0], &c[1], &c[2]);
			c[1] = *pre;
			dnf_and(&c[1], &c[0], &c[2]);
			r = stmt(b, pol, &c[1]);
		}
		free(c);
		return r;
	}
	if (b->i + 1 < b->n && manrs_view_eq(b->t[b->i + 1].v, "(") &&
	    (f = find_fn(b, b->t[b->i].v)) != NULL) {
		emit(b, pol, pre, RC_ACT_CALL, f->policy, line);
		skip_stmt(b);
		return 0;
	}
	if (at(b, "case")) {
		struct dnf u = { .n = 0 };

		unknown(&u, "a case statement");
		emit(b, pol, &u, RC_ACT_REJECT, 0, line);
		skip_stmt(b);
		return 0;
	}
	/* print, assignments, attribute methods: side effects only. */
	skip_stmt(b);
	return r;
}

static int
stmts(struct bird *b, uint32_t pol, const struct dnf *pre, bool block)
{
	while (b->i < b->n) {
		int r;

		if (block && take(b, "}")) {
			take(b, ";");
			return 0;
		}
		if (take(b, ";"))
			continue;
		r = stmt(b, pol, pre);
		if (r != 0)
			return r;
	}
	return block ? MANRS_E_SYNTAX : 0;
}

/* The body "{ ... }" of a filter or function into policy pol. */
static int
body(struct bird *b, uint32_t pol)
{
	struct dnf *all = calloc(1, sizeof(*all));
	int r;

	if (all == NULL)
		return MANRS_E_NOMEM;
	all->n = 1;
	all->t[0].n = 0;
	if (!take(b, "{"))
		r = MANRS_E_SYNTAX;
	else
		r = stmts(b, pol, all, true);
	free(all);
	return r;
}

static int
define(struct bird *b)
{
	struct define *d;
	uint32_t v;
	bool pfx;

	if (b->i + 2 >= b->n || b->ndef >= BIRD_DEFINES_MAX)
		return MANRS_E_SYNTAX;
	d = &b->def[b->ndef];
	d->name = b->t[b->i].v;
	b->i++;
	if (!take(b, "="))
		return MANRS_E_SYNTAX;
	if (at(b, "[")) {
		if (set_literal(b, &pfx, &d->idx) != 0)
			return MANRS_E_SYNTAX;
		d->kind = pfx ? D_PREFIXES : D_INTS;
		b->ndef++;
	} else if (number(b, b->t[b->i].v, &v)) {
		d->kind = D_NUMBER;
		d->idx = v;
		b->i++;
		b->ndef++;
	}
	skip_stmt(b);
	return 0;
}

/* "function NAME() [-> type] { ... }" */
static int
function(struct bird *b)
{
	struct func *f;
	size_t save;
	int r;

	if (b->i >= b->n || b->nfn >= BIRD_FUNCS_MAX)
		return MANRS_E_SYNTAX;
	f = &b->fn[b->nfn++];
	f->name = b->t[b->i].v;
	f->policy = rc_policy_get(b->rc, f->name);
	if (b->rc->err == MANRS_E_NOMEM || b->rc->err == MANRS_E_LIMIT)
		return b->rc->err;
	b->rc->pol[f->policy].defined = true;
	b->rc->pol[f->policy].fallthrough = RC_ACT_NONE;
	b->rc->pol[f->policy].line = cur_line(b);
	while (b->i < b->n && !at(b, "{"))
		b->i++;
	/* A predicate: "{ return COND; }". */
	save = b->i;
	if (b->i + 1 < b->n && manrs_view_eq(b->t[b->i + 1].v, "return")) {
		b->i += 2;
		f->cond = manrs_arena_zalloc(b->rc->arena, sizeof(*f->cond));
		if (f->cond == NULL)
			return MANRS_E_NOMEM;
		if (cond_or(b, f->cond) == 0 && take(b, ";") && take(b, "}")) {
			f->pred = true;
			return 0;
		}
		b->i = save;
	}
	r = body(b, f->policy);
	return r;
}

struct chan {
	struct rc_dir	in, out;
	bool		on;
	uint32_t	limit;
};

struct proto {
	struct manrs_view name;
	bool		 is_template;
	uint32_t	 line;
	struct manrs_view nb;
	uint32_t	 local_as, remote_as;
	struct manrs_view descr;
	struct chan	 ch[2];
};

#define BIRD_TEMPLATES_MAX	256

static int
filter_ref(struct bird *b, struct rc_dir *d, const char *what)
{
	d->line = cur_line(b);
	if (take(b, "all")) {
		d->kind = RC_POL_ALL;
	} else if (take(b, "none")) {
		d->kind = RC_POL_NONE;
	} else if (take(b, "filter")) {
		d->kind = RC_POL_REF;
		if (at(b, "{")) {
			char name[64];

			snprintf(name, sizeof(name), " %s%u", what, b->anon++);
			d->policy = rc_policy_get(b->rc,
			    manrs_view_cstr(name));
			if (b->rc->err == MANRS_E_NOMEM)
				return b->rc->err;
			b->rc->pol[d->policy].defined = true;
			return body(b, d->policy);
		}
		if (b->i >= b->n)
			return MANRS_E_SYNTAX;
		d->policy = rc_policy_get(b->rc, b->t[b->i].v);
		if (!b->rc->pol[d->policy].defined)
			rc_error(b->rc, cur_line(b), "filter not defined");
		b->i++;
	} else if (take(b, "where")) {
		struct dnf *c = calloc(1, sizeof(*c));
		char name[64];
		int r;

		if (c == NULL)
			return MANRS_E_NOMEM;
		snprintf(name, sizeof(name), " where%u", b->anon++);
		d->kind = RC_POL_REF;
		d->policy = rc_policy_get(b->rc, manrs_view_cstr(name));
		if (b->rc->err == MANRS_E_NOMEM) {
			free(c);
			return b->rc->err;
		}
		b->rc->pol[d->policy].defined = true;
		r = cond_or(b, c);
		if (r == 0)
			emit(b, d->policy, c, RC_ACT_ACCEPT, 0, d->line);
		free(c);
		return r;
	} else
		return MANRS_E_SYNTAX;
	return 0;
}

static int
channel(struct bird *b, struct chan *c)
{
	uint32_t v;
	int r;

	c->on = true;
	if (!take(b, "{"))
		return 0;
	while (b->i < b->n && !at(b, "}")) {
		if (take(b, "import")) {
			if (take(b, "limit") || take(b, "keep")) {
				if (b->i < b->n &&
				    number(b, b->t[b->i].v, &v) &&
				    manrs_view_eq(b->t[b->i - 1].v, "limit"))
					c->limit = v;
				skip_stmt(b);
				continue;
			}
			r = filter_ref(b, &c->in, "import");
			if (r != 0)
				return r;
		} else if (take(b, "export")) {
			if (take(b, "limit")) {
				skip_stmt(b);
				continue;
			}
			r = filter_ref(b, &c->out, "export");
			if (r != 0)
				return r;
		} else if (take(b, "receive")) {
			if (take(b, "limit") && b->i < b->n &&
			    number(b, b->t[b->i].v, &v))
				c->limit = v;
		}
		skip_stmt(b);
	}
	take(b, "}");
	take(b, ";");
	return 0;
}

static int
protocol_body(struct bird *b, struct proto *p)
{
	uint32_t v;
	int r;

	if (!take(b, "{"))
		return MANRS_E_SYNTAX;
	while (b->i < b->n && !at(b, "}")) {
		if (take(b, "local")) {
			while (b->i < b->n && !at(b, "as") && !at(b, ";"))
				b->i++;
			if (take(b, "as") && b->i < b->n &&
			    manrs_asn_parse(b->t[b->i].v, &v) == 0)
				p->local_as = v;
			else if (b->i < b->n && number(b, b->t[b->i].v, &v))
				p->local_as = v;
		} else if (take(b, "neighbor")) {
			if (b->i < b->n)
				p->nb = b->t[b->i].v;
			while (b->i < b->n && !at(b, "as") && !at(b, ";"))
				b->i++;
			if (take(b, "as") && b->i < b->n &&
			    (manrs_asn_parse(b->t[b->i].v, &v) == 0 ||
			    number(b, b->t[b->i].v, &v)))
				p->remote_as = v;
		} else if (take(b, "description")) {
			if (b->i < b->n)
				p->descr = b->t[b->i].v;
		} else if (at(b, "ipv4") || at(b, "ipv6")) {
			int af = at(b, "ipv6");

			b->i++;
			if (take(b, "multicast") || take(b, "mpls") ||
			    take(b, "multicast")) {
				skip_stmt(b);
				continue;
			}
			r = channel(b, &p->ch[af]);
			if (r != 0)
				return r;
			continue;
		}
		skip_stmt(b);
	}
	take(b, "}");
	return 0;
}

static void
session_from(struct bird *b, const struct proto *p)
{
	struct rc_session *s;
	struct manrs_view d;

	s = rc_session_add(b->rc, p->name, p->line);
	if (s == NULL)
		return;
	s->pub.remote_as = p->remote_as;
	s->pub.local_as = p->local_as;
	s->pub.address = p->nb.len > 0 ? rc_strdup(b->rc, p->nb) : "";
	if (s->pub.address == NULL)
		return;
	if (p->descr.len > 2) {
		d = manrs_view_make(p->descr.p + 1, p->descr.len - 2);
		s->pub.descr = rc_strdup(b->rc, d);
	}
	for (int af = 0; af < 2; af++) {
		bool ebgp = p->remote_as != p->local_as;

		s->af_on[af] = p->ch[af].on;
		s->in[af] = p->ch[af].in;
		s->out[af] = p->ch[af].out;
		/* BIRD's defaults: EBGP none both ways (RFC 8212); IBGP
		 * import all, export none. */
		if (s->in[af].kind == RC_POL_UNSET)
			s->in[af].kind = ebgp ? RC_POL_NONE : RC_POL_ALL;
		if (s->out[af].kind == RC_POL_UNSET)
			s->out[af].kind = RC_POL_NONE;
		if (p->ch[af].limit != 0 && p->ch[af].on)
			s->pub.max_prefix = p->ch[af].limit;
	}
	if (b->rc->local_as == 0)
		b->rc->local_as = p->local_as;
}

static int
protocol(struct bird *b, struct proto *tpl, size_t *ntpl, bool is_template)
{
	struct proto p;
	int r;

	memset(&p, 0, sizeof(p));
	p.line = cur_line(b);
	if (b->i < b->n && !at(b, "{") && !at(b, "from"))
		p.name = b->t[b->i++].v;
	if (take(b, "from") && b->i < b->n) {
		for (size_t k = 0; k < *ntpl; k++)
			if ((tpl[k].name.len == b->t[b->i].v.len &&
			    memcmp(tpl[k].name.p, b->t[b->i].v.p,
			    tpl[k].name.len) == 0)) {
				struct manrs_view name = p.name;
				uint32_t line = p.line;

				p = tpl[k];
				p.name = name;
				p.line = line;
			}
		b->i++;
	}
	r = protocol_body(b, &p);
	if (r != 0)
		return r;
	if (is_template) {
		if (*ntpl < BIRD_TEMPLATES_MAX)
			tpl[(*ntpl)++] = p;
		return 0;
	}
	if (p.name.len == 0) {
		rc_error(b->rc, p.line, "protocol bgp without a name (not "
		    "modelled)");
		return 0;
	}
	session_from(b, &p);
	return 0;
}

static int
top(struct bird *b, struct proto *tpl, size_t *ntpl)
{
	if (take(b, "define"))
		return define(b);
	if (take(b, "function"))
		return function(b);
	if (take(b, "filter")) {
		uint32_t pol;

		if (b->i >= b->n)
			return MANRS_E_SYNTAX;
		pol = rc_policy_get(b->rc, b->t[b->i].v);
		if (b->rc->err == MANRS_E_NOMEM || b->rc->err == MANRS_E_LIMIT)
			return b->rc->err;
		b->rc->pol[pol].defined = true;
		b->rc->pol[pol].line = cur_line(b);
		b->i++;
		return body(b, pol);
	}
	if ((at(b, "roa4") || at(b, "roa6")) && b->i + 1 < b->n &&
	    manrs_view_eq(b->t[b->i + 1].v, "table")) {
		b->rc->rpki_on = true;
		b->rc->rpki_line = cur_line(b);
		skip_stmt(b);
		return 0;
	}
	if (take(b, "protocol") || at(b, "template")) {
		bool is_t = take(b, "template");

		if (take(b, "bgp"))
			return protocol(b, tpl, ntpl, is_t);
		if (take(b, "rpki")) {
			b->rc->rpki_on = true;
			b->rc->rpki_line = cur_line(b);
		}
		while (b->i < b->n && !at(b, "{") && !at(b, ";"))
			b->i++;
		skip_stmt(b);
		return 0;
	}
	skip_stmt(b);
	return 0;
}

int
rc_parse_bird(struct manrs_rc *rc, const char *text, size_t len)
{
	struct proto *tpl;
	struct bird *b;
	size_t ntpl = 0;
	int r;

	b = calloc(1, sizeof(*b));
	tpl = calloc(BIRD_TEMPLATES_MAX, sizeof(*tpl));
	if (b == NULL || tpl == NULL) {
		free(b);
		free(tpl);
		return MANRS_E_NOMEM;
	}
	b->rc = rc;
	r = tokenize(b, text, len);
	while (r == 0 && b->i < b->n) {
		size_t before = b->i;

		r = top(b, tpl, &ntpl);
		if (r == MANRS_E_SYNTAX) {
			rc_error(rc, cur_line(b), "BIRD syntax not understood "
			    "here");
			r = 0;
			skip_stmt(b);
		}
		if (b->i == before)
			b->i++;
		if (rc->err == MANRS_E_NOMEM || rc->err == MANRS_E_LIMIT)
			r = rc->err;
	}
	free(b->t);
	free(b);
	free(tpl);
	return r != 0 ? r : rc->err;
}
