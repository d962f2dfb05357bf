/*
 * routercfg_irr.c - a customer's inbound filter against the IRR
 * (manrs_rc_compare_irr): the ranges `manrs filter` expands, tested
 * through the session's policy (missing), and the entries of the prefix
 * lists the policy uses that no range covers (extra); the fix is the IRR
 * list rendered by manrs/render.h in the session's dialect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/render.h>

#include "routercfg_int.h"

/*
 * The IRR comparison (manrs_rc_compare_irr): the prefix lists an import
 * policy uses, through calls, as a bit per list.
 */
void
rc_used_lists(const struct manrs_rc *rc, uint32_t pol, unsigned depth,
    bool *used)
{
	const struct rc_policy *p = &rc->pol[pol];

	if (depth > MANRS_RC_DEPTH_MAX)
		return;
	for (size_t i = 0; i < p->n; i++) {
		const struct rc_rule *ru = &p->r[i];

		for (size_t k = 0; k < ru->n; k++)
			if (ru->atoms[k].kind == RC_A_PLIST ||
			    ru->atoms[k].kind == RC_A_PREFIX_IN)
				used[ru->atoms[k].arg] = true;
		if (ru->action == RC_ACT_CALL)
			rc_used_lists(rc, ru->call, depth + 1, used);
	}
}

static void
irr_fix(struct rc_ctx *c, const struct manrs_prefix_range *r, size_t n,
    const char *object, char *buf, size_t size)
{
	struct manrs_render_opts o;
	char *mem = NULL;
	size_t len = 0, off = 0;
	FILE *f;

	buf[0] = '\0';
	for (int af = 4; af <= 6; af += 2) {
		size_t first = n, count = 0;

		for (size_t i = 0; i < n; i++)
			if (r[i].prefix.af == af) {
				if (first == n)
					first = i;
				count++;
			}
		if (count == 0)
			continue;
		memset(&o, 0, sizeof(o));
		o.af = (uint8_t)af;
		o.vendor = c->rc->dialect == MANRS_RC_BIRD ? MANRS_RENDER_BIRD :
		    c->rc->dialect == MANRS_RC_OPENBGPD ?
		    MANRS_RENDER_OPENBGPD : c->rc->dialect == MANRS_RC_JUNOS ?
		    MANRS_RENDER_JUNIPER : c->rc->dialect == MANRS_RC_EOS ?
		    MANRS_RENDER_ARISTA : c->rc->dialect == MANRS_RC_IOSXR ?
		    MANRS_RENDER_CISCO_XR : MANRS_RENDER_CISCO;
		o.name = af == 4 ? "CUSTOMER" : "CUSTOMER6";
		if ((f = open_memstream(&mem, &len)) == NULL)
			return;
		/* Ranges of one family are contiguous (the caller's order). */
		(void)manrs_render_prefixes(f, &o, r + first, count);
		fclose(f);
		if (off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
			    c->rc->dialect == MANRS_RC_BIRD ? "define " : "",
			    mem != NULL ? mem : "");
		free(mem);
		mem = NULL;
	}
	if (off < size)
		snprintf(buf + off, size - off, "(manrs filter for %s)",
		    object);
}

int
manrs_rc_compare_irr(const struct manrs_rc *rc, size_t i, const char *object,
    const struct manrs_prefix_range *r, size_t n, const char *age,
    struct manrs_rc_findings *out)
{
	struct rc_ctx c = { rc, out, 0, NULL };
	const struct rc_session *s;
	char missing[512] = "", extra[512] = "", t[64];
	size_t nmiss = 0, nextra = 0;
	bool *used;
	char *fix;

	if (i >= rc->ns)
		return MANRS_E_INVAL;
	s = &rc->s[i];
	if (out->arena == NULL && (out->arena = manrs_arena_new(0)) == NULL)
		return MANRS_E_NOMEM;
	for (size_t k = 0; k < n; k++) {
		struct rc_route rt;

		if (!s->af_on[r[k].prefix.af == MANRS_AF_INET6])
			continue;
		memset(&rt, 0, sizeof(rt));
		rt.p = r[k].prefix;
		rt.rpki = RC_RPKI_NOTFOUND;
		rc_push(&rt, s->pub.remote_as);
		rt.p.len = r[k].min;
		manrs_prefix_mask(&rt.p);
		if (rc_accepts(&c, s, &rt)) {
			rt.p.len = r[k].max;
			if (rc_accepts(&c, s, &rt))
				continue;
		}
		nmiss++;
		rc_pfx_text(&r[k].prefix, t, sizeof(t));
		if (strlen(missing) + strlen(t) + 8 < sizeof(missing))
			rc_list_add(missing, sizeof(missing), t);
	}
	used = calloc(rc->npl + 1, sizeof(*used));
	if (used == NULL)
		return MANRS_E_NOMEM;
	for (int af = 0; af < 2; af++)
		if (s->in[af].kind == RC_POL_REF)
			rc_used_lists(rc, s->in[af].policy, 0, used);
	for (size_t l = 0; l < rc->npl; l++) {
		if (!used[l])
			continue;
		for (size_t j = 0; j < rc->pl[l].n; j++) {
			const struct rc_plent *e = &rc->pl[l].e[j];
			bool covered = false;

			if (!e->permit || e->p.len == 0 || rc_is_bogon(&e->p))
				continue;
			for (size_t k = 0; k < n && !covered; k++)
				covered = manrs_prefix_covers(&r[k].prefix,
				    &e->p) && e->p.len >= r[k].min;
			if (covered)
				continue;
			nextra++;
			rc_pfx_text(&e->p, t, sizeof(t));
			if (strlen(extra) + strlen(t) + 8 < sizeof(extra))
				rc_list_add(extra, sizeof(extra), t);
		}
	}
	free(used);
	if (nmiss == 0 && nextra == 0)
		return 0;
	fix = malloc(65536);
	if (fix == NULL)
		return MANRS_E_NOMEM;
	irr_fix(&c, r, n, object, fix, 65536);
	rc_add(&c, "customer-import-filter", MANRS_RC_WARNING, s->pub.line,
	    s->pub.neighbor, NULL, fix, "AS%u (customer): the inbound filter "
	    "differs from the IRR for %s: %zu missing%s%s%s, %zu extra%s%s%s; "
	    "%s", s->pub.remote_as, object, nmiss, nmiss ? " (" : "", missing,
	    nmiss ? ")" : "", nextra, nextra ? " (" : "", extra,
	    nextra ? ")" : "", age);
	free(fix);
	return c.err;
}
