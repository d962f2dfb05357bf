/*
 * routercfg_eval.c - run a test route through a session's policy the way
 * the router would: FRR route-maps and BIRD filters first-match (a BIRD
 * function that ends without a decision returns to its caller),
 * OpenBGPD rules last-match with "quick".  Three-valued: a condition the
 * parser could not model makes the outcome undecided, never a pass.
 */
#include <string.h>

#include "routercfg_int.h"

enum tri { T_FALSE, T_TRUE, T_UNKNOWN };

bool
rc_plist_match(const struct rc_plist *pl, const struct manrs_prefix *p,
    bool *permit)
{
	for (size_t i = 0; i < pl->n; i++) {
		const struct rc_plent *e = &pl->e[i];

		if (e->p.af != p->af || !manrs_prefix_covers(&e->p, p))
			continue;
		if (p->len < e->min || p->len > e->max)
			continue;
		*permit = e->permit;
		return true;
	}
	return false;
}

static bool
as_in(const struct rc_aslist *al, uint32_t asn)
{
	for (size_t i = 0; i < al->n; i++)
		if (!al->e[i].is_re && asn >= al->e[i].lo &&
		    asn <= al->e[i].hi)
			return true;
	return false;
}

static enum tri
aspath_match(const struct rc_aslist *al, const struct rc_route *r)
{
	char buf[RC_PATH_MAX * 11 + 2];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->npath; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
		    i ? " " : "", r->path[i]);
	for (size_t i = 0; i < al->n; i++) {
		const struct rc_asent *e = &al->e[i];

		if (!e->is_re)
			continue;
		if (!e->re_ok)
			return T_UNKNOWN;
		/* Junos form: every ASN followed by a space. */
		if (e->spaced && o > 0 && buf[o - 1] != ' ') {
			buf[o++] = ' ';
			buf[o] = '\0';
		}
		if (!e->spaced && o > 0 && buf[o - 1] == ' ')
			buf[--o] = '\0';
		if (regexec(&e->re, buf, 0, NULL, 0) == 0)
			return e->permit ? T_TRUE : T_FALSE;
	}
	return T_FALSE;
}

static enum tri
peer_match(const struct rc_session *s, const struct rc_atom *a)
{
	switch (a->arg) {
	case RC_PEER_ANY:
		return T_TRUE;
	case RC_PEER_EBGP:
		return s->pub.role != MANRS_RC_ROLE_IBGP ? T_TRUE : T_FALSE;
	case RC_PEER_IBGP:
		return s->pub.role == MANRS_RC_ROLE_IBGP ? T_TRUE : T_FALSE;
	case RC_PEER_ADDR:
		return strcmp(a->str, s->pub.neighbor) == 0 ? T_TRUE : T_FALSE;
	case RC_PEER_AS:
		return s->pub.remote_as == a->arg2 ? T_TRUE : T_FALSE;
	case RC_PEER_GROUP:
		return s->group != NULL && strcmp(a->str, s->group) == 0 ?
		    T_TRUE : T_FALSE;
	default:
		return T_UNKNOWN;
	}
}

static enum tri
atom(const struct manrs_rc *rc, const struct rc_session *s,
    const struct rc_atom *a, const struct rc_route *r)
{
	bool permit = false;
	size_t i;

	switch (a->kind) {
	case RC_A_TRUE:
		return T_TRUE;
	case RC_A_PLIST:
		return rc_plist_match(&rc->pl[a->arg], &r->p, &permit) &&
		    permit ? T_TRUE : T_FALSE;
	case RC_A_PREFIX_IN:
		return rc_plist_match(&rc->pl[a->arg], &r->p, &permit) ?
		    T_TRUE : T_FALSE;
	case RC_A_ASPATH:
		return aspath_match(&rc->al[a->arg], r);
	case RC_A_PATH_HAS:
		for (i = 0; i < r->npath; i++)
			if (as_in(&rc->al[a->arg], r->path[i]))
				return T_TRUE;
		return T_FALSE;
	case RC_A_ORIGIN_IN:
		return r->npath > 0 && as_in(&rc->al[a->arg],
		    r->path[r->npath - 1]) ? T_TRUE : T_FALSE;
	case RC_A_PEER_AS:
		return r->npath > 0 && r->path[0] == a->arg ? T_TRUE : T_FALSE;
	case RC_A_PATHLEN_GT:
		return r->npath > a->arg ? T_TRUE : T_FALSE;
	case RC_A_PREFLEN_GT:
		return (a->af == 0 || a->af == r->p.af) && r->p.len > a->arg ?
		    T_TRUE : T_FALSE;
	case RC_A_PREFLEN_RANGE:
		return (a->af == 0 || a->af == r->p.af) &&
		    r->p.len >= a->arg && r->p.len <= a->arg2 ?
		    T_TRUE : T_FALSE;
	case RC_A_AF:
		return r->p.af == a->af ? T_TRUE : T_FALSE;
	case RC_A_RPKI:
		return r->rpki == (int)a->arg ? T_TRUE : T_FALSE;
	case RC_A_DEFAULT:
		return r->p.len == 0 ? T_TRUE : T_FALSE;
	case RC_A_SESSION:
		return peer_match(s, a);
	case RC_A_COMMUNITY:
		return T_FALSE;
	default:
		return T_UNKNOWN;
	}
}

static enum tri
rule_holds(const struct manrs_rc *rc, const struct rc_session *s,
    const struct rc_rule *ru, const struct rc_route *r, const char **why)
{
	enum tri res = T_TRUE;

	for (size_t i = 0; i < ru->n; i++) {
		enum tri t = atom(rc, s, &ru->atoms[i], r);

		if (t != T_UNKNOWN && ru->atoms[i].neg)
			t = t == T_TRUE ? T_FALSE : T_TRUE;
		if (t == T_FALSE)
			return T_FALSE;
		if (t == T_UNKNOWN) {
			res = T_UNKNOWN;
			*why = ru->atoms[i].str != NULL ? ru->atoms[i].str :
			    "a condition not modelled";
		}
	}
	return res;
}

/* RC_ACT_NONE: no decision (a function ended, go on in the caller). */
static enum rc_action
policy(const struct manrs_rc *rc, const struct rc_session *s, uint32_t pi,
    const struct rc_route *r, unsigned depth, struct rc_outcome *o)
{
	const struct rc_policy *p = &rc->pol[pi];
	enum rc_action last = RC_ACT_NONE;
	uint32_t last_line = 0;

	if (depth > MANRS_RC_DEPTH_MAX) {
		o->v = RC_V_UNKNOWN;
		o->why = "calls nested too deep";
		return RC_ACT_NONE;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct rc_rule *ru = &p->r[i];
		enum tri t = rule_holds(rc, s, ru, r, &o->why);
		enum rc_action act = ru->action;

		if (t == T_FALSE || act == RC_ACT_NONE)
			continue;
		if (t == T_TRUE && act == RC_ACT_RETURN) {
			o->line = ru->line;
			return RC_ACT_NONE;
		}
		if (t == T_UNKNOWN) {
			o->v = RC_V_UNKNOWN;
			o->line = ru->line;
			return RC_ACT_NONE;
		}
		if (act == RC_ACT_CALL) {
			act = policy(rc, s, ru->call, r, depth + 1, o);
			if (o->v == RC_V_UNKNOWN)
				return RC_ACT_NONE;
			if (act == RC_ACT_NONE)
				continue;
			if (!p->last_match)
				return act;
		} else
			o->line = ru->line;
		if (!p->last_match || ru->quick) {
			if (p->last_match)
				o->line = ru->line;
			return act;
		}
		last = act;
		last_line = ru->line;
	}
	if (last != RC_ACT_NONE) {
		o->line = last_line;
		return last;
	}
	o->line = 0;
	return p->fallthrough;
}

void
rc_eval(const struct manrs_rc *rc, const struct rc_session *s, bool out,
    const struct rc_route *r, struct rc_outcome *o)
{
	const struct rc_dir *d = out ? &s->out[r->p.af == MANRS_AF_INET6] :
	    &s->in[r->p.af == MANRS_AF_INET6];
	enum rc_action act;

	o->v = RC_V_REJECT;
	o->line = 0;
	o->why = NULL;
	if (!s->af_on[r->p.af == MANRS_AF_INET6])
		return;
	switch (d->kind) {
	case RC_POL_ALL:
		o->v = RC_V_ACCEPT;
		o->line = d->line;
		return;
	case RC_POL_NONE:
		o->line = d->line;
		return;
	case RC_POL_UNSET:
		/* FRR: RFC 8212 ("bgp ebgp-requires-policy") on eBGP. */
		if (!rc->ebgp_requires_policy ||
		    s->pub.role == MANRS_RC_ROLE_IBGP)
			o->v = RC_V_ACCEPT;
		return;
	case RC_POL_REF:
		break;
	}
	if (!rc->pol[d->policy].defined) {
		/* A reference to a missing route-map/filter denies. */
		o->line = d->line;
		return;
	}
	act = policy(rc, s, d->policy, r, 0, o);
	if (o->v == RC_V_UNKNOWN)
		return;
	o->v = act == RC_ACT_ACCEPT ? RC_V_ACCEPT : RC_V_REJECT;
}

void
rc_eval_policy(const struct manrs_rc *rc, uint32_t pol,
    const struct rc_route *r, struct rc_outcome *o)
{
	struct rc_session none;
	enum rc_action act;

	memset(&none, 0, sizeof(none));
	none.pub.neighbor = "";
	none.pub.address = "";
	o->v = RC_V_REJECT;
	o->line = 0;
	o->why = NULL;
	act = policy(rc, &none, pol, r, 0, o);
	if (o->v == RC_V_UNKNOWN)
		return;
	o->v = act == RC_ACT_ACCEPT ? RC_V_ACCEPT : RC_V_REJECT;
}
