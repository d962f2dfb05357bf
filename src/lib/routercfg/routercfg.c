/*
 * routercfg.c - the router-config model: building it (for the dialect
 * parsers), names, roles, dialect guessing and line iteration.
 *
 * Invariants: every string of the model lives in rc->arena; object counts
 * are capped by MANRS_RC_OBJECTS_MAX and list entries in all by
 * MANRS_RC_ENTRIES_MAX, so a hostile config costs bounded memory.  The
 * first allocation failure is sticky in rc->err.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "routercfg_int.h"

static const char *const dialects[] = { "unknown", "frr", "bird",
	"openbgpd", "junos", "iosxr", "ios", "eos" };

/* Dialects with a parser. */
static bool
parsed(size_t d)
{
	return d == MANRS_RC_FRR || d == MANRS_RC_BIRD ||
	    d == MANRS_RC_OPENBGPD || d == MANRS_RC_JUNOS ||
	    d == MANRS_RC_IOS || d == MANRS_RC_EOS || d == MANRS_RC_IOSXR;
}

int
manrs_rc_dialect_parse(const char *name, enum manrs_rc_dialect *d)
{
	for (size_t i = 1; i < sizeof(dialects) / sizeof(dialects[0]); i++)
		if (parsed(i) && strcmp(name, dialects[i]) == 0) {
			*d = (enum manrs_rc_dialect)i;
			return 0;
		}
	return MANRS_E_NOTFOUND;
}

const char *
manrs_rc_dialect_name(enum manrs_rc_dialect d)
{
	if ((size_t)d >= sizeof(dialects) / sizeof(dialects[0]))
		return "unknown";
	return dialects[d];
}

static const char *const roles[] = { "unknown", "customer", "peer",
	"provider", "ibgp" };

const char *
manrs_rc_role_name(enum manrs_rc_role r)
{
	if ((size_t)r >= sizeof(roles) / sizeof(roles[0]))
		return "unknown";
	return roles[r];
}

int
manrs_rc_role_parse(const char *name, enum manrs_rc_role *r)
{
	for (size_t i = 1; i < 4; i++)
		if (strcmp(name, roles[i]) == 0) {
			*r = (enum manrs_rc_role)i;
			return 0;
		}
	return MANRS_E_NOTFOUND;
}

const char *
manrs_rc_sev_name(enum manrs_rc_sev s)
{
	switch (s) {
	case MANRS_RC_ERROR:
		return "error";
	case MANRS_RC_WARNING:
		return "warning";
	default:
		return "note";
	}
}

bool
rc_line_next(struct rc_lines *l, struct manrs_view *line)
{
	const char *nl;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	if (nl == NULL)
		nl = l->end;
	*line = manrs_view_make(l->p, (size_t)(nl - l->p));
	if (line->len > 0 && line->p[line->len - 1] == '\r')
		line->len--;
	l->p = nl < l->end ? nl + 1 : nl;
	l->no++;
	return true;
}

/*
 * Guessing: each dialect has statements no other one has.  A line is
 * compared after leading blanks.
 */
static bool
has_line(const char *text, size_t len, const char *start)
{
	struct rc_lines l = { text, text + len, 0 };
	struct manrs_view v;

	while (rc_line_next(&l, &v)) {
		v = manrs_view_trim(v);
		if (manrs_view_starts_with(v, start))
			return true;
	}
	return false;
}

/* Some line holds word (anywhere). */
static bool
has_text(const char *text, size_t len, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= len; i++)
		if (text[i] == word[0] && memcmp(text + i, word, w) == 0)
			return true;
	return false;
}

enum manrs_rc_dialect
manrs_rc_guess(const char *text, size_t len, const char **why)
{
	if (has_line(text, len, "set protocols bgp ") ||
	    has_line(text, len, "set policy-options ") ||
	    has_line(text, len, "policy-options {") ||
	    has_line(text, len, "protocols {")) {
		*why = "\"protocols\"/\"policy-options\" hierarchy (Junos "
		    "syntax)";
		return MANRS_RC_JUNOS;
	}
	if (has_line(text, len, "route-policy ") ||
	    has_line(text, len, "end-policy") ||
	    has_line(text, len, "end-set")) {
		*why = "RPL (\"route-policy\" / \"end-policy\" / "
		    "\"end-set\": Cisco IOS-XR syntax)";
		return MANRS_RC_IOSXR;
	}
	if (has_line(text, len, "router bgp ")) {
		/* FRR, IOS and EOS share the language: their own words. */
		if (has_line(text, len, "frr version") ||
		    has_line(text, len, "frr defaults") ||
		    has_line(text, len, "bgp as-path access-list")) {
			*why = "\"frr version\"/\"frr defaults\"/\"bgp "
			    "as-path access-list\" (FRR syntax)";
			return MANRS_RC_FRR;
		}
		if (has_line(text, len, "! device: ") ||
		    has_line(text, len, "management api ") ||
		    has_text(text, len, " maximum-routes ") ||
		    has_text(text, len, "match origin-as validity") ||
		    has_text(text, len, " peer group")) {
			*why = "\"! device:\", \"management api\", "
			    "\"maximum-routes\", \"peer group\" or \"match "
			    "origin-as validity\" (Arista EOS syntax)";
			return MANRS_RC_EOS;
		}
		if (has_line(text, len, "ip as-path access-list ") ||
		    has_line(text, len, "bgp rpki server ") ||
		    has_line(text, len, "ip access-list extended ") ||
		    has_line(text, len, "ip verify unicast ") ||
		    has_line(text, len, "version 1")) {
			*why = "\"ip as-path access-list\", \"bgp rpki "
			    "server\", \"ip access-list extended\", \"ip "
			    "verify unicast\" or \"version 1x\" (Cisco IOS "
			    "syntax)";
			return MANRS_RC_IOS;
		}
		*why = "a \"router bgp ASN\" block (FRR/vtysh syntax; IOS "
		    "and EOS words absent)";
		return MANRS_RC_FRR;
	}
	if (has_line(text, len, "protocol bgp")) {
		*why = "a \"protocol bgp\" block (BIRD syntax)";
		return MANRS_RC_BIRD;
	}
	if (has_line(text, len, "AS ") && (has_line(text, len, "neighbor ") ||
	    has_line(text, len, "allow ") || has_line(text, len, "deny "))) {
		*why = "a global \"AS\" line with neighbor/filter rules "
		    "(OpenBGPD bgpd.conf syntax)";
		return MANRS_RC_OPENBGPD;
	}
	*why = "no statement of a known dialect";
	return MANRS_RC_UNKNOWN;
}

struct manrs_rc *
manrs_rc_new(void)
{
	struct manrs_rc *rc = calloc(1, sizeof(*rc));

	if (rc == NULL)
		return NULL;
	rc->arena = manrs_arena_new(64 * 1024);
	if (rc->arena == NULL) {
		free(rc);
		return NULL;
	}
	rc->ebgp_requires_policy = true;
	return rc;
}

void
manrs_rc_free(struct manrs_rc *rc)
{
	if (rc == NULL)
		return;
	for (size_t i = 0; i < rc->nal; i++)
		for (size_t j = 0; j < rc->al[i].n; j++)
			if (rc->al[i].e[j].re_ok)
				regfree(&rc->al[i].e[j].re);
	for (size_t i = 0; i < rc->nal; i++)
		free(rc->al[i].e);
	for (size_t i = 0; i < rc->npl; i++)
		free(rc->pl[i].e);
	for (size_t i = 0; i < rc->npol; i++) {
		for (size_t j = 0; j < rc->pol[i].n; j++)
			free(rc->pol[i].r[j].atoms);
		free(rc->pol[i].r);
	}
	free(rc->s);
	free(rc->pol);
	free(rc->pl);
	free(rc->al);
	free(rc->ifs);
	manrs_arena_free(rc->arena);
	free(rc);
}

static void	rc_vdiag(struct manrs_rc *, enum manrs_severity, uint32_t,
		    const char *, va_list) __attribute__((format(printf, 4, 0)));

static void
rc_vdiag(struct manrs_rc *rc, enum manrs_severity sev, uint32_t line,
    const char *fmt, va_list ap)
{
	char msg[MANRS_DIAG_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	manrs_diag_report(rc->sink, sev, rc->file, line, UINT64_MAX, "%s",
	    msg);
}

void
rc_note(struct manrs_rc *rc, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc_vdiag(rc, MANRS_SEV_NOTE, line, fmt, ap);
	va_end(ap);
}

void
rc_error(struct manrs_rc *rc, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc_vdiag(rc, MANRS_SEV_ERROR, line, fmt, ap);
	va_end(ap);
	if (rc->err == 0)
		rc->err = MANRS_E_SYNTAX;
}

char *
rc_strdup(struct manrs_rc *rc, struct manrs_view v)
{
	char *s;

	if (v.len > MANRS_RC_NAME_MAX)
		v.len = MANRS_RC_NAME_MAX;
	s = manrs_arena_strndup(rc->arena, v.p, v.len);
	if (s == NULL)
		rc->err = MANRS_E_NOMEM;
	return s;
}

/* Make room for one more object; false (rc->err set) when not. */
static bool
room(struct manrs_rc *rc, void **v, size_t *cap, size_t n, size_t size)
{
	if (rc->err == MANRS_E_NOMEM || rc->err == MANRS_E_LIMIT)
		return false;
	if (n >= MANRS_RC_OBJECTS_MAX) {
		rc->err = MANRS_E_LIMIT;
		return false;
	}
	if (manrs_grow(v, cap, n, size) != 0) {
		rc->err = MANRS_E_NOMEM;
		return false;
	}
	memset((char *)*v + n * size, 0, size);
	return true;
}

struct rc_session *
rc_session_find(struct manrs_rc *rc, struct manrs_view nb)
{
	for (size_t i = 0; i < rc->ns; i++)
		if (manrs_view_eq(nb, rc->s[i].pub.neighbor))
			return &rc->s[i];
	return NULL;
}

struct rc_session *
rc_session_add(struct manrs_rc *rc, struct manrs_view nb, uint32_t line)
{
	struct rc_session *s;

	if (!room(rc, (void **)&rc->s, &rc->caps, rc->ns, sizeof(*rc->s)))
		return NULL;
	s = &rc->s[rc->ns];
	s->pub.neighbor = rc_strdup(rc, nb);
	if (s->pub.neighbor == NULL)
		return NULL;
	s->pub.descr = "";
	s->pub.address = s->pub.neighbor;
	s->pub.line = line;
	s->pub.role_source = "unknown";
	s->af_on[0] = s->af_on[1] = true;
	rc->ns++;
	return s;
}

static int
find_name(const void *base, size_t n, size_t size, struct manrs_view name)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = *(char *const *)(const void *)
		    ((const char *)base + i * size);

		if (manrs_view_eq(name, s))
			return (int)i;
	}
	return -1;
}

int
rc_plist_find(const struct manrs_rc *rc, struct manrs_view name)
{
	return find_name(rc->pl, rc->npl, sizeof(*rc->pl), name);
}

int
rc_aslist_find(const struct manrs_rc *rc, struct manrs_view name)
{
	return find_name(rc->al, rc->nal, sizeof(*rc->al), name);
}

uint32_t
rc_policy_get(struct manrs_rc *rc, struct manrs_view name)
{
	int i = find_name(rc->pol, rc->npol, sizeof(*rc->pol), name);

	if (i >= 0)
		return (uint32_t)i;
	if (!room(rc, (void **)&rc->pol, &rc->cappol, rc->npol,
	    sizeof(*rc->pol)))
		return 0;
	rc->pol[rc->npol].name = rc_strdup(rc, name);
	rc->pol[rc->npol].fallthrough = RC_ACT_REJECT;
	return (uint32_t)rc->npol++;
}

uint32_t
rc_plist_get(struct manrs_rc *rc, struct manrs_view name)
{
	int i = rc_plist_find(rc, name);

	if (i >= 0)
		return (uint32_t)i;
	if (!room(rc, (void **)&rc->pl, &rc->cappl, rc->npl, sizeof(*rc->pl)))
		return 0;
	rc->pl[rc->npl].name = rc_strdup(rc, name);
	return (uint32_t)rc->npl++;
}

uint32_t
rc_aslist_get(struct manrs_rc *rc, struct manrs_view name)
{
	int i = rc_aslist_find(rc, name);

	if (i >= 0)
		return (uint32_t)i;
	if (!room(rc, (void **)&rc->al, &rc->capal, rc->nal, sizeof(*rc->al)))
		return 0;
	rc->al[rc->nal].name = rc_strdup(rc, name);
	return (uint32_t)rc->nal++;
}

static bool
entry_room(struct manrs_rc *rc)
{
	if (rc->entries >= MANRS_RC_ENTRIES_MAX) {
		rc->err = MANRS_E_LIMIT;
		return false;
	}
	rc->entries++;
	return true;
}

int
rc_plist_add(struct manrs_rc *rc, uint32_t i, const struct rc_plent *e)
{
	struct rc_plist *pl;

	if (rc->err != 0 && rc->err != MANRS_E_SYNTAX)
		return rc->err;
	pl = &rc->pl[i];
	if (!entry_room(rc))
		return rc->err;
	if (manrs_grow((void **)&pl->e, &pl->cap, pl->n, sizeof(*pl->e))) {
		rc->err = MANRS_E_NOMEM;
		return rc->err;
	}
	pl->e[pl->n++] = *e;
	return 0;
}

int
rc_aslist_add(struct manrs_rc *rc, uint32_t i, struct rc_asent *e)
{
	struct rc_aslist *al;

	if (rc->err != 0 && rc->err != MANRS_E_SYNTAX)
		goto fail;
	al = &rc->al[i];
	if (!entry_room(rc))
		goto fail;
	if (manrs_grow((void **)&al->e, &al->cap, al->n, sizeof(*al->e))) {
		rc->err = MANRS_E_NOMEM;
		goto fail;
	}
	al->e[al->n++] = *e;
	return 0;
fail:
	if (e->re_ok)
		regfree(&e->re);
	return rc->err;
}

struct rc_rule *
rc_rule_add(struct manrs_rc *rc, uint32_t i, uint32_t line)
{
	struct rc_policy *p;

	if (rc->err != 0 && rc->err != MANRS_E_SYNTAX)
		return NULL;
	p = &rc->pol[i];
	if (!room(rc, (void **)&p->r, &p->cap, p->n, sizeof(*p->r)))
		return NULL;
	p->r[p->n].line = line;
	return &p->r[p->n++];
}

int
rc_atom_add(struct manrs_rc *rc, struct rc_rule *r, const struct rc_atom *a)
{
	if (!entry_room(rc))
		return rc->err;
	if (manrs_grow((void **)&r->atoms, &r->cap, r->n, sizeof(*a))) {
		rc->err = MANRS_E_NOMEM;
		return rc->err;
	}
	r->atoms[r->n++] = *a;
	return 0;
}

struct rc_iface *
rc_iface_add(struct manrs_rc *rc, struct manrs_view name, uint32_t line)
{
	for (size_t i = 0; i < rc->nifs; i++)
		if (manrs_view_eq(name, rc->ifs[i].name))
			return &rc->ifs[i];
	if (!room(rc, (void **)&rc->ifs, &rc->capifs, rc->nifs,
	    sizeof(*rc->ifs)))
		return NULL;
	rc->ifs[rc->nifs].name = rc_strdup(rc, name);
	rc->ifs[rc->nifs].line = line;
	return &rc->ifs[rc->nifs++];
}

int
rc_prefix(struct manrs_view v, struct manrs_prefix *p)
{
	return manrs_prefix_parse(v, 0, p);
}

/*
 * FRR/Cisco AS-path regexes are POSIX ERE with "_" meaning a delimiter:
 * start, end, space or one of ",{}()".  The path is matched as
 * "A B C" (see routercfg_eval.c).
 */
int
rc_regex_compile(regex_t *re, struct manrs_view src)
{
	char buf[MANRS_RC_LINE_MAX * 2];
	size_t o = 0;
	static const char us[] = "(^|$|[ ,{}()])";

	for (size_t i = 0; i < src.len; i++) {
		if (src.p[i] == '_') {
			if (o + sizeof(us) >= sizeof(buf))
				return MANRS_E_LIMIT;
			memcpy(buf + o, us, sizeof(us) - 1);
			o += sizeof(us) - 1;
		} else {
			if (o + 2 >= sizeof(buf))
				return MANRS_E_LIMIT;
			buf[o++] = src.p[i];
		}
	}
	buf[o] = '\0';
	if (regcomp(re, buf, REG_EXTENDED | REG_NOSUB) != 0)
		return MANRS_E_SYNTAX;
	return 0;
}

int
manrs_rc_parse(struct manrs_rc *rc, enum manrs_rc_dialect d,
    const char *file, const char *text, size_t len,
    struct manrs_diag_sink *sink)
{
	int r;

	if (len > MANRS_RC_FILE_MAX)
		return MANRS_E_LIMIT;
	rc->dialect = d;
	rc->sink = sink;
	rc->file = manrs_arena_strndup(rc->arena, file, strlen(file));
	if (rc->file == NULL)
		return MANRS_E_NOMEM;
	switch (d) {
	case MANRS_RC_FRR:
	case MANRS_RC_IOS:
	case MANRS_RC_EOS:
		r = rc_parse_frr(rc, text, len);
		break;
	case MANRS_RC_BIRD:
		r = rc_parse_bird(rc, text, len);
		break;
	case MANRS_RC_OPENBGPD:
		r = rc_parse_openbgpd(rc, text, len);
		break;
	case MANRS_RC_JUNOS:
		r = rc_parse_junos(rc, text, len);
		break;
	case MANRS_RC_IOSXR:
		r = rc_parse_iosxr(rc, text, len);
		break;
	default:
		return MANRS_E_INVAL;
	}
	for (size_t i = 0; i < rc->ns; i++) {
		struct manrs_rc_session *s = &rc->s[i].pub;

		if (s->local_as == 0)
			s->local_as = rc->local_as;
		if (s->remote_as != 0 && s->remote_as == s->local_as) {
			s->role = MANRS_RC_ROLE_IBGP;
			s->role_source = "same AS";
		}
	}
	rc->sink = NULL;
	if (r == 0)
		r = rc->err;
	return r;
}

size_t
manrs_rc_session_count(const struct manrs_rc *rc)
{
	return rc->ns;
}

const struct manrs_rc_session *
manrs_rc_session(const struct manrs_rc *rc, size_t i)
{
	return i < rc->ns ? &rc->s[i].pub : NULL;
}

uint32_t
manrs_rc_local_as(const struct manrs_rc *rc)
{
	return rc->local_as;
}

size_t
manrs_rc_set_role(struct manrs_rc *rc, const char *who,
    enum manrs_rc_role role)
{
	struct manrs_view w = manrs_view_cstr(who);
	uint32_t asn = 0;
	bool by_as = false;
	size_t n = 0;

	if ((who[0] == 'A' || who[0] == 'a') && (who[1] == 'S' ||
	    who[1] == 's') && manrs_asn_parse(manrs_view_make(who + 2,
	    strlen(who + 2)), &asn) == 0)
		by_as = true;
	for (size_t i = 0; i < rc->ns; i++) {
		struct manrs_rc_session *s = &rc->s[i].pub;

		if (s->role == MANRS_RC_ROLE_IBGP)
			continue;
		if (by_as ? s->remote_as == asn :
		    (manrs_view_eq(w, s->neighbor) ||
		    manrs_view_eq(w, s->address))) {
			s->role = role;
			s->role_source = "--role";
			n++;
		}
	}
	return n;
}

void
manrs_rc_roles_from_graph(struct manrs_rc *rc, const struct manrs_asgraph *g)
{
	for (size_t i = 0; i < rc->ns && g != NULL; i++) {
		struct manrs_rc_session *s = &rc->s[i].pub;
		enum manrs_asrel rel;

		if (s->role != MANRS_RC_ROLE_UNKNOWN || s->remote_as == 0 ||
		    s->local_as == 0)
			continue;
		rel = manrs_asgraph_rel(g, s->local_as, s->remote_as);
		switch (rel) {
		case MANRS_ASREL_CUSTOMER:
		case MANRS_ASREL_SIBLING:
			s->role = MANRS_RC_ROLE_CUSTOMER;
			break;
		case MANRS_ASREL_PROVIDER:
			s->role = MANRS_RC_ROLE_PROVIDER;
			break;
		case MANRS_ASREL_PEER:
			s->role = MANRS_RC_ROLE_PEER;
			break;
		default:
			continue;
		}
		s->role_source = "CAIDA as-rel";
	}
}
