/*
 * routercfg_sav.c - source address validation checks (urpf, ingress-acl;
 * MANRS Action 2, BCP 38 / RFC 2827, BCP 84 / RFC 3704): which interfaces
 * face customers and uplinks, Junos uRPF and test packets through the
 * input and output filters (Junos firewall filters, IOS / EOS ACLs and
 * "ip verify unicast"), fixes rendered by the SAV module (manrs/sav.h)
 * in the router's dialect; a note for the dialects whose SAV lives in
 * the kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/sav.h>

#include "routercfg_int.h"

/* The SAV module's dialect for a router dialect holding uRPF / ACLs. */
static enum manrs_sav_dialect
sav_dialect(const struct manrs_rc *rc)
{
	return rc->dialect == MANRS_RC_IOS ? MANRS_SAV_CISCO :
	    rc->dialect == MANRS_RC_EOS ? MANRS_SAV_EOS :
	    rc->dialect == MANRS_RC_IOSXR ? MANRS_SAV_IOSXR : MANRS_SAV_JUNOS;
}

/* Where the dialect keeps uRPF, for the finding's text. */
static const char *
urpf_word(const struct manrs_rc *rc)
{
	return rc->dialect == MANRS_RC_JUNOS ? "rpf-check" :
	    rc->dialect == MANRS_RC_IOSXR ? "ipv4 verify unicast source" :
	    "ip verify unicast source";
}

/*
 * The SAV fix for a customer interface: a customer file for the SAV
 * module (the prefixes of the lists the session's import uses) rendered
 * by manrs_sav_render() in the dialect, as `manrs sav` prints it.
 */
static void
sav_fix(struct rc_ctx *c, const struct rc_session *s, const char *ifname,
    char *buf, size_t size)
{
	const struct manrs_rc *rc = c->rc;
	struct manrs_buf in, out;
	struct manrs_sav *sav;
	const char *why = NULL;
	bool *used;
	size_t n = 0;

	buf[0] = '\0';
	if ((used = calloc(rc->npl + 1, sizeof(*used))) == NULL)
		return;
	for (int af = 0; af < 2; af++)
		if (s->in[af].kind == RC_POL_REF)
			rc_used_lists(rc, s->in[af].policy, 0, used);
	manrs_buf_init(&in, 1 << 20);
	manrs_buf_init(&out, 1 << 20);
	manrs_buf_printf(&in, "operator AS%u\ncustomer as%u\n    interface "
	    "%s\n    homing single\n", rc->local_as ? rc->local_as : 64496,
	    s->pub.remote_as, ifname);
	for (size_t l = 0; l < rc->npl; l++)
		for (size_t j = 0; used[l] && j < rc->pl[l].n; j++) {
			char t[64];

			if (!rc->pl[l].e[j].permit ||
			    rc_is_bogon(&rc->pl[l].e[j].p))
				continue;
			rc_pfx_text(&rc->pl[l].e[j].p, t, sizeof(t));
			manrs_buf_printf(&in, "    prefix %s\n", t);
			n++;
		}
	free(used);
	if (n == 0 || in.err != 0 || (sav = manrs_sav_new(NULL)) == NULL)
		goto out;
	manrs_sav_set_empty_family(sav, MANRS_SAV_EMPTY_OPEN);
	if (manrs_sav_parse(sav, (const char *)in.p, in.len, "check-config",
	    NULL) == 0 && manrs_sav_check(sav, "check-config", NULL) == 0) {
		manrs_sav_finish(sav);
		if (manrs_sav_render(sav, sav_dialect(rc), MANRS_SAV_NO_EGRESS,
		    &out, &why) == 0 && out.err == 0)
			snprintf(buf, size, "%.*s", (int)out.len,
			    (const char *)out.p);
	}
	manrs_sav_free(sav);
out:
	manrs_buf_clear(&in);
	manrs_buf_clear(&out);
}

/* A packet from src through firewall filter fw (index + 1). */
static enum rc_verdict
packet(const struct manrs_rc *rc, uint32_t fw, const char *src)
{
	struct rc_outcome o;
	struct rc_route r;

	memset(&r, 0, sizeof(r));
	manrs_prefix_parse(manrs_view_cstr(src), MANRS_PREFIX_HOST, &r.p);
	rc_eval_policy(rc, fw - 1, &r, &o);
	return o.v;
}

/* A source the customer's permitted space does not hold. */
static const char *const spoofed[] = { "8.8.8.8", "9.9.9.9", "1.1.1.1" };

static void
junos_sav(struct rc_ctx *c, const struct rc_iface *ifc,
    const struct rc_session *s)
{
	const struct manrs_rc *rc = c->rc;
	static char fix[65536];
	const char *spoof = NULL, *through = NULL;
	bool acl_ok = false;

	for (size_t k = 0; k < 3 && spoof == NULL; k++) {
		struct manrs_prefix a;

		manrs_addr_parse(manrs_view_cstr(spoofed[k]), 0, &a);
		spoof = spoofed[k];
		for (size_t i = 0; i < ifc->naddr; i++)
			if (manrs_prefix_covers(&ifc->addr[i], &a))
				spoof = NULL;
	}
	if (ifc->fin[0] != 0) {
		/* An interface subnet covering every candidate (a /0)
		 * leaves no spoofed source to send: not shown to drop. */
		enum rc_verdict v1 = spoof != NULL ?
		    packet(rc, ifc->fin[0], spoof) : RC_V_UNKNOWN;
		enum rc_verdict v2 = packet(rc, ifc->fin[0], "10.1.2.3");

		if (v1 == RC_V_ACCEPT)
			through = spoof;
		else if (v2 == RC_V_ACCEPT)
			through = "10.1.2.3";
		acl_ok = v1 == RC_V_REJECT && v2 == RC_V_REJECT;
	}
	sav_fix(c, s, ifc->name, fix, sizeof(fix));
	if (ifc->urpf[0] == 2)
		rc_add(c, "urpf", MANRS_RC_NOTE, ifc->urpf_line[0],
		    s->pub.neighbor, ifc->name, fix, "interface %s faces "
		    "customer AS%u: uRPF is loose; a single-homed customer "
		    "wants strict (RFC 3704 section 2.2)", ifc->name,
		    s->pub.remote_as);
	else if (ifc->urpf[0] == 0)
		rc_add(c, "urpf", acl_ok ? MANRS_RC_NOTE : MANRS_RC_ERROR,
		    ifc->line, s->pub.neighbor, ifc->name, fix, "interface %s "
		    "faces customer AS%u: no %s (uRPF)%s", ifc->name,
		    s->pub.remote_as, urpf_word(rc), acl_ok ? "; its input "
		    "filter does "
		    "source address validation" : "");
	if (through != NULL)
		rc_add(c, "ingress-acl", MANRS_RC_ERROR, ifc->fin_line[0],
		    s->pub.neighbor, ifc->name, fix, "interface %s faces "
		    "customer AS%u: its input filter passes a spoofed source "
		    "(%s)", ifc->name, s->pub.remote_as, through);
	else if (ifc->fin[0] == 0)
		rc_add(c, "ingress-acl", ifc->urpf[0] == 1 ? MANRS_RC_NOTE :
		    MANRS_RC_ERROR, ifc->line, s->pub.neighbor, ifc->name, fix,
		    "interface %s faces customer AS%u: no input filter%s",
		    ifc->name, s->pub.remote_as, ifc->urpf[0] == 1 ?
		    "; strict uRPF does source address validation" : "");
}

/* Border egress (Action 2): an uplink's output filter drops foreign
 * sources. */
static void
junos_egress(struct rc_ctx *c, const struct rc_iface *ifc,
    const struct rc_session *s)
{
	char fix[128];

	if (ifc->fout[0] != 0 && packet(c->rc, ifc->fout[0], "8.8.8.8") ==
	    RC_V_REJECT)
		return;
	snprintf(fix, sizeof(fix), "manrs sav -d %s (uplink line of the "
	    "customer file)", manrs_sav_dialect_name(sav_dialect(c->rc)));
	rc_add(c, "ingress-acl", MANRS_RC_WARNING, ifc->fout[0] ?
	    ifc->fout_line[0] : ifc->line, s->pub.neighbor, ifc->name, fix,
	    "interface %s faces %s AS%u: %s (egress filtering at the "
	    "border: only own and customer sources may leave)", ifc->name,
	    manrs_rc_role_name(s->pub.role), s->pub.remote_as, ifc->fout[0] ?
	    "its output filter passes a foreign source (8.8.8.8)" :
	    "no output filter");
}

/*
 * Source address validation: which interfaces face customers (a
 * customer session's neighbor address is on their subnet).  FRR, BIRD
 * and OpenBGPD do not hold uRPF or packet filters: the kernel does
 * (rp_filter, nftables, pf); the finding says so and where to look.
 */
void
rc_check_sav(struct rc_ctx *c)
{
	const struct manrs_rc *rc = c->rc;

	for (size_t i = 0; i < rc->nifs; i++) {
		const struct rc_iface *ifc = &rc->ifs[i];
		const struct rc_session *cust = NULL;
		char fix[256];

		const struct rc_session *up = NULL;

		for (size_t j = 0; j < rc->ns && cust == NULL; j++) {
			enum manrs_rc_role role = rc->s[j].pub.role;
			struct manrs_prefix a;

			if (manrs_addr_parse(manrs_view_cstr(
			    rc->s[j].pub.address), 0, &a) != 0)
				continue;
			for (size_t k = 0; k < ifc->naddr; k++) {
				if (!manrs_prefix_covers(&ifc->addr[k], &a))
					continue;
				if (role == MANRS_RC_ROLE_CUSTOMER)
					cust = &rc->s[j];
				else if (role == MANRS_RC_ROLE_PEER ||
				    role == MANRS_RC_ROLE_PROVIDER)
					up = &rc->s[j];
			}
		}
		if (rc->dialect == MANRS_RC_JUNOS ||
		    rc->dialect == MANRS_RC_IOS ||
		    rc->dialect == MANRS_RC_EOS ||
		    rc->dialect == MANRS_RC_IOSXR) {
			if (cust != NULL)
				junos_sav(c, ifc, cust);
			else if (up != NULL)
				junos_egress(c, ifc, up);
			continue;
		}
		if (cust == NULL)
			continue;
		snprintf(fix, sizeof(fix), "net.ipv4.conf.%s.rp_filter = 1  "
		    "(manrs sav -d sysctl / -d nft with a customer file)",
		    ifc->name);
		rc_add(c, "urpf", MANRS_RC_NOTE, ifc->line, cust->pub.neighbor,
		    ifc->name, fix, "interface %s faces customer AS%u: %s "
		    "does not configure uRPF; check the kernel's rp_filter "
		    "(strict for a single-homed customer)", ifc->name,
		    cust->pub.remote_as, manrs_rc_dialect_name(rc->dialect));
		rc_add(c, "ingress-acl", MANRS_RC_NOTE, ifc->line,
		    cust->pub.neighbor, ifc->name, "manrs sav -d nft",
		    "interface %s faces customer AS%u: %s holds no packet "
		    "filter; check the nftables ingress filter", ifc->name,
		    cust->pub.remote_as, manrs_rc_dialect_name(rc->dialect));
	}
}
