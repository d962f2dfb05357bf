/*
 * routercfg_check.c - the MANRS / BCP 194 / NLNOG BGP Filter Guide
 * checks over the model.  Each check builds test routes and runs them
 * through the session's policy (routercfg_eval.c); a test route that
 * gets through is a finding on the session's line, with a fix in the
 * session's dialect (bogon lists rendered by manrs/render.h).
 *
 * Roles decide which checks apply (docs/check-config.md); a session
 * without a role gets the role-independent checks and a note naming the
 * ones that were not judged.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/bogon.h>
#include <manrs/render.h>

#include "routercfg_int.h"

static const char *const checks[] = {
	"customer-import-filter", "export-filter", "bogon-prefixes",
	"bogon-asns", "default-route", "small-prefixes", "long-as-path",
	"transit-free", "max-prefix", "rpki-invalid", "aspa", "urpf",
	"ingress-acl", NULL,
};

const char *const *
manrs_rc_check_names(void)
{
	return checks;
}

int
manrs_rc_check_action(const char *check)
{
	for (size_t i = 0; checks[i] != NULL; i++)
		if (strcmp(check, checks[i]) == 0)
			return i >= 11 ? 2 : 1;
	return 0;
}

void
manrs_rc_findings_init(struct manrs_rc_findings *f)
{
	memset(f, 0, sizeof(*f));
}

void
manrs_rc_findings_clear(struct manrs_rc_findings *f)
{
	free(f->v);
	manrs_arena_free(f->arena);
	memset(f, 0, sizeof(*f));
}

size_t
manrs_rc_findings_serious(const struct manrs_rc_findings *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].severity != MANRS_RC_NOTE;
	return n;
}

static char *
adup(struct rc_ctx *c, const char *s)
{
	char *d = manrs_arena_strndup(c->out->arena, s, strlen(s));

	if (d == NULL)
		c->err = MANRS_E_NOMEM;
	return d;
}

void
rc_add(struct rc_ctx *c, const char *check, enum manrs_rc_sev sev,
    uint32_t line, const char *nb, const char *ifn, const char *fix,
    const char *fmt, ...)
{
	struct manrs_rc_finding *f;
	char text[1024];
	va_list ap;

	if (c->err != 0)
		return;
	if (manrs_grow((void **)&c->out->v, &c->out->cap, c->out->n,
	    sizeof(*f)) != 0) {
		c->err = MANRS_E_NOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	f = &c->out->v[c->out->n];
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->action = manrs_rc_check_action(check);
	f->severity = sev;
	f->file = adup(c, c->rc->file);
	f->line = line;
	f->neighbor = nb != NULL ? adup(c, nb) : NULL;
	f->interface = ifn != NULL ? adup(c, ifn) : NULL;
	f->text = adup(c, text);
	f->fix = adup(c, fix != NULL ? fix : "");
	if (c->err == 0)
		c->out->n++;
}

/*
 * Fixes: templates in the session's dialect; "@N" is the neighbor,
 * "@A" the local AS.
 */
static const struct {
	const char *check, *frr, *bird, *bgpd, *junos;
} fixes[] = {
	{ "customer-import-filter",
	  "ip prefix-list CUSTOMER-IN permit <prefix> le 24  (manrs filter "
	  "-l CUSTOMER-IN AS-SET)\nroute-map CUSTOMER-IN permit 100\n match "
	  "ip address prefix-list CUSTOMER-IN\nrouter bgp @A\n "
	  "address-family ipv4 unicast\n  neighbor @N route-map CUSTOMER-IN "
	  "in",
	  "filter customer_in { if net ~ CUSTOMER then accept; reject; }  "
	  "(CUSTOMER from manrs filter -b -l CUSTOMER AS-SET)\n"
	  "protocol bgp @N { ipv4 { import filter customer_in; }; }",
	  "prefix-set customer { <prefixes> }  (manrs filter -B -l customer "
	  "AS-SET)\nallow from @N prefix-set customer",
	  "set policy-options prefix-list CUSTOMER <prefixes>  (manrs filter"
	  " -J -l CUSTOMER AS-SET)\n"
	  "set policy-options policy-statement CUSTOMER-IN term prefixes from"
	  " prefix-list-filter CUSTOMER orlonger\n"
	  "set policy-options policy-statement CUSTOMER-IN term prefixes then"
	  " accept\n"
	  "set policy-options policy-statement CUSTOMER-IN then reject\n"
	  "set protocols bgp group <group> neighbor @N import CUSTOMER-IN" },
	{ "export-filter",
	  "route-map @N-OUT permit 10\n match ip address prefix-list "
	  "OWN-AND-CUSTOMERS\nrouter bgp @A\n address-family ipv4 unicast\n"
	  "  neighbor @N route-map @N-OUT out",
	  "filter export_@N { if net ~ OWN_AND_CUSTOMERS then accept; "
	  "reject; }\nprotocol bgp @N { ipv4 { export filter export_@N; }; }",
	  "allow to @N prefix-set own_and_customers",
	  "set policy-options policy-statement EXPORT term own from prefix-list"
	  " OWN-AND-CUSTOMERS\n"
	  "set policy-options policy-statement EXPORT term own then accept\n"
	  "set policy-options policy-statement EXPORT then reject\n"
	  "set protocols bgp group <group> neighbor @N export EXPORT" },
	{ "max-prefix",
	  "router bgp @A\n address-family ipv4 unicast\n  neighbor @N "
	  "maximum-prefix <limit>  (manrs filter --max-prefix)",
	  "protocol bgp @N { ipv4 { import limit <limit> action restart; }; "
	  "}",
	  "neighbor @N { max-prefix <limit> restart 15 }",
	  "set protocols bgp group <group> neighbor @N family inet unicas"
	  "t prefix"
	  "-limit maximum <limit>" },
	{ "rpki-invalid",
	  "rpki\n rpki cache <cache, e.g. manrs rtrd> 323 preference 1\nexit\n"
	  "route-map @I deny 1\n match rpki invalid",
	  "roa4 table r4;\nprotocol rpki { roa4 { table r4; }; remote "
	  "<cache> port 323; }\n# import filter: if roa_check(r4, net, "
	  "bgp_path.last) = ROA_INVALID then reject;",
	  "rtr <cache address> { port 323 }\ndeny quick from ebgp ovs "
	  "invalid",
	  "set routing-options validation group rpki session <cache> port 323\n"
	  "set policy-options policy-statement RPKI term invalid from"
	  " validation-"
	  "database invalid\n"
	  "set policy-options policy-statement RPKI term invalid then reject\n"
	  "(first in the import chain: import [ RPKI ... ])" },
	{ "long-as-path",
	  "bgp as-path access-list LONG-PATH seq 5 permit ([0-9]+_){100,}\n"
	  "route-map @I deny 2\n match as-path LONG-PATH",
	  "if ( bgp_path.len > 100 ) then reject;",
	  "deny from any max-as-len 100",
	  "set policy-options as-path TOO-LONG \".{101,}\"\n"
	  "set policy-options policy-statement SANITY term long from as-path"
	  " TOO-LONG\n"
	  "set policy-options policy-statement SANITY term long then reject" },
	{ "small-prefixes",
	  "ip prefix-list SMALL seq 5 permit 0.0.0.0/0 ge 25\n"
	  "ipv6 prefix-list SMALL6 seq 5 permit ::/0 ge 49\n"
	  "route-map @I deny 3\n match ip address "
	  "prefix-list SMALL",
	  "if (net.type = NET_IP4 && net.len > 24) || (net.type = NET_IP6 && "
	  "net.len > 48) then reject;",
	  "deny from any inet prefixlen > 24\n"
	  "deny from any inet6 prefixlen > 48",
	  "set policy-options policy-statement SANITY term small4 from"
	  " route-filt"
	  "er 0.0.0.0/0 prefix-length-range /25-/32\n"
	  "set policy-options policy-statement SANITY term small4 then reject\n"
	  "set policy-options policy-statement SANITY term small6 from"
	  " route-filt"
	  "er ::/0 prefix-length-range /49-/128\n"
	  "set policy-options policy-statement SANITY term small6 then"
	  " reject" },
	{ "default-route",
	  "ip prefix-list DEFAULT seq 5 permit 0.0.0.0/0\n"
	  "route-map @I deny 4\n match ip address "
	  "prefix-list DEFAULT",
	  "if net = 0.0.0.0/0 || net = ::/0 then reject;",
	  "deny quick from @N prefix 0.0.0.0/0\n"
	  "deny quick from @N prefix ::/0",
	  "set policy-options policy-statement SANITY term default from"
	  " route-fil"
	  "ter 0.0.0.0/0 exact\n"
	  "set policy-options policy-statement SANITY term default from"
	  " route-fil"
	  "ter ::/0 exact\n"
	  "set policy-options policy-statement SANITY term default then"
	  " reject" },
	{ "bogon-asns",
	  "bgp as-path access-list BOGON-ASN seq 5 permit _(0|23456|"
	  "6449[6-9]|64[5-9][0-9]{2}|65[0-9]{3}|6[6-9][0-9]{3}|[7-9][0-9]{4}|"
	  "1[0-2][0-9]{4}|130[0-9]{3}|1310[0-6][0-9]|13107[01]|"
	  "4[2-9][0-9]{8})_\n"
	  "route-map @I deny 5\n match as-path BOGON-ASN",
	  "if bgp_path ~ [0, 23456, 64496..131071, 4200000000..4294967295] "
	  "then reject;",
	  "deny quick from any AS 23456\ndeny quick from any AS 64496 - "
	  "131071\ndeny quick from any AS 4200000000 - 4294967295",
	  "set policy-options as-path-group BOGON-ASNS as-path bogon"
	  " \".* (0|2345"
	  "6|64496-131071|4200000000-4294967295) .*\"\n"
	  "set policy-options policy-statement SANITY term bogon-asns"
	  " from as-pat"
	  "h-group BOGON-ASNS\n"
	  "set policy-options policy-statement SANITY term bogon-asns"
	  " then reject" },
	{ "transit-free",
	  "bgp as-path access-list TRANSIT seq 5 permit _(174|701|1299|2914|"
	  "3257|3320|3356|3491|5511|6453|6461|6762|6830|7018|12956)_\n"
	  "route-map @I deny 6\n match as-path TRANSIT",
	  "if bgp_path ~ [174, 701, 1299, 2914, 3257, 3320, 3356, 3491, "
	  "5511, 6453, 6461, 6762, 6830, 7018, 12956] then reject;",
	  "deny quick from @N transit-as { 174 701 1299 2914 3257 3320 3356 "
	  "3491 5511 6453 6461 6762 6830 7018 12956 }",
	  "set policy-options as-path-group TRANSIT as-path transit"
	  " \".* (174|701"
	  "|1299|2914|3257|3320|3356|3491|5511|6453|6461|6762|6830|7018|12956)"
	  " .*\"\n"
	  "set policy-options policy-statement PEER-SANITY term transit from"
	  " as-path-group TRANSIT\n"
	  "set policy-options policy-statement PEER-SANITY term transit then"
	  " reject" },
};

/* The import route-map (FRR, IOS, EOS) or route-policy (IOS-XR) of s
 * (IPv4), or the name a fix gives one. */
static void
import_name(struct rc_ctx *c, const struct rc_session *s, char *buf,
    size_t size)
{
	if (s->rm[0][0] != 0)
		snprintf(buf, size, "%s", c->rc->pol[s->rm[0][0] - 1].name);
	else if (c->rc->dialect == MANRS_RC_IOSXR &&
	    s->in[0].kind == RC_POL_REF)
		snprintf(buf, size, "%s", c->rc->pol[s->in[0].policy].name);
	else
		snprintf(buf, size, "%s-IN", s->pub.neighbor);
}

/*
 * Cisco IOS and Arista EOS: FRR's templates (the same route-map and
 * prefix-list language) but where they differ.
 */
static const struct {
	const char *check, *ios, *eos;
} fixes_ios[] = {
	{ "max-prefix",
	  "router bgp @A\n neighbor @N maximum-prefix <limit>  (manrs filter "
	  "--max-prefix)",
	  "router bgp @A\n neighbor @N maximum-routes <limit>  (manrs filter "
	  "--max-prefix)" },
	{ "rpki-invalid",
	  "router bgp @A\n bgp rpki server tcp <cache, e.g. manrs rtrd> port "
	  "323 refresh 600\nroute-map @I deny 1\n match rpki invalid",
	  "router bgp @A\n rpki cache RPKI\n  host <cache, e.g. manrs rtrd> "
	  "port 323\n rpki origin-validation\n  ebgp local\nroute-map @I "
	  "deny 1\n match origin-as validity invalid" },
	{ "long-as-path",
	  "router bgp @A\n bgp maxas-limit 100",
	  "ip as-path access-list LONG-PATH permit ([0-9]+_){100,} any\n"
	  "route-map @I deny 2\n match as-path LONG-PATH" },
	{ "bogon-asns",
	  "ip as-path access-list BOGON-ASN permit _(0|23456|6449[6-9]|"
	  "64[5-9][0-9][0-9]|65[0-9][0-9][0-9]|6[6-9][0-9][0-9][0-9]|"
	  "[7-9][0-9][0-9][0-9][0-9]|1[0-2][0-9][0-9][0-9][0-9]|"
	  "130[0-9][0-9][0-9]|1310[0-6][0-9]|"
	  "13107[01]|4[2-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9])_\n"
	  "route-map @I deny 5\n match as-path BOGON-ASN",
	  "ip as-path access-list BOGON-ASN permit _(0|23456|6449[6-9]|"
	  "64[5-9][0-9]{2}|65[0-9]{3}|6[6-9][0-9]{3}|[7-9][0-9]{4}|"
	  "1[0-2][0-9]{4}|130[0-9]{3}|1310[0-6][0-9]|13107[01]|"
	  "4[2-9][0-9]{8})_ any\n"
	  "route-map @I deny 5\n match as-path BOGON-ASN" },
	{ "transit-free",
	  "ip as-path access-list TRANSIT permit _(174|701|1299|2914|"
	  "3257|3320|3356|3491|5511|6453|6461|6762|6830|7018|12956)_\n"
	  "route-map @I deny 6\n match as-path TRANSIT",
	  "ip as-path access-list TRANSIT permit _(174|701|1299|2914|"
	  "3257|3320|3356|3491|5511|6453|6461|6762|6830|7018|12956)_ any\n"
	  "route-map @I deny 6\n match as-path TRANSIT" },
	{ "customer-import-filter",
	  "ip prefix-list CUSTOMER-IN permit <prefix> le 24  (manrs filter "
	  "-l CUSTOMER-IN AS-SET)\nroute-map CUSTOMER-IN permit 100\n match "
	  "ip address prefix-list CUSTOMER-IN\nrouter bgp @A\n "
	  "neighbor @N route-map CUSTOMER-IN in",
	  "ip prefix-list CUSTOMER-IN\n   seq 10 permit <prefix> le 24  "
	  "(manrs filter -e -l CUSTOMER-IN AS-SET)\nroute-map CUSTOMER-IN "
	  "permit 100\n match ip address prefix-list CUSTOMER-IN\nrouter bgp "
	  "@A\n neighbor @N route-map CUSTOMER-IN in" },
	{ "small-prefixes",
	  "ip prefix-list SMALL seq 5 permit 0.0.0.0/0 ge 25\n"
	  "ipv6 prefix-list SMALL6 seq 5 permit ::/0 ge 49\n"
	  "route-map @I deny 3\n match ip address prefix-list SMALL",
	  "ip prefix-list SMALL\n   seq 5 permit 0.0.0.0/0 ge 25\n"
	  "ipv6 prefix-list SMALL6\n   seq 5 permit ::/0 ge 49\n"
	  "route-map @I deny 3\n match ip address prefix-list SMALL" },
	{ "default-route",
	  "ip prefix-list DEFAULT seq 5 permit 0.0.0.0/0\n"
	  "route-map @I deny 4\n match ip address prefix-list DEFAULT",
	  "ip prefix-list DEFAULT\n   seq 5 permit 0.0.0.0/0\n"
	  "route-map @I deny 4\n match ip address prefix-list DEFAULT" },
};

/* Cisco IOS-XR: RPL. */
static const struct {
	const char *check, *xr;
} fixes_xr[] = {
	{ "customer-import-filter",
	  "prefix-set CUSTOMER\n <prefixes>\nend-set  (manrs filter -X -l "
	  "CUSTOMER AS-SET)\nroute-policy CUSTOMER-IN\n  if destination in "
	  "CUSTOMER then\n    pass\n  endif\nend-policy\nrouter bgp @A\n "
	  "neighbor @N\n  address-family ipv4 unicast\n   route-policy "
	  "CUSTOMER-IN in" },
	{ "export-filter",
	  "route-policy @N-OUT\n  if destination in OWN-AND-CUSTOMERS then"
	  "\n    pass\n  endif\nend-policy\nrouter bgp @A\n neighbor @N\n"
	  "  address-family ipv4 unicast\n   route-policy @N-OUT out" },
	{ "max-prefix",
	  "router bgp @A\n neighbor @N\n  address-family ipv4 unicast\n"
	  "   maximum-prefix <limit> 90  (manrs filter --max-prefix)" },
	{ "rpki-invalid",
	  "router bgp @A\n rpki server <cache, e.g. manrs rtrd>\n  transport "
	  "tcp port 323\n bgp bestpath origin-as use validity\n"
	  "route-policy @I: if validation-state is invalid then drop endif" },
	{ "long-as-path",
	  "route-policy @I: if as-path length ge 101 then drop endif" },
	{ "small-prefixes",
	  "route-policy @I: if destination in (0.0.0.0/0 ge 25, ::/0 ge 49)"
	  " then drop endif" },
	{ "default-route",
	  "route-policy @I: if destination in (0.0.0.0/0, ::/0) then drop "
	  "endif" },
	{ "bogon-asns",
	  "as-path-set BOGON-ASNS\n  passes-through '0',\n  passes-through "
	  "'23456',\n  passes-through '[64496..131071]',\n  passes-through "
	  "'[4200000000..4294967295]'\nend-set\nroute-policy @I: if "
	  "as-path in BOGON-ASNS then drop endif" },
	{ "transit-free",
	  "as-path-set TRANSIT\n  ios-regex '_(174|701|1299|2914|3257|3320|"
	  "3356|3491|5511|6453|6461|6762|6830|7018|12956)_'\nend-set\n"
	  "route-policy @I: if as-path in TRANSIT then drop endif" },
};

static const char *
fix_text(struct rc_ctx *c, const char *check, const struct rc_session *s,
    char *buf, size_t size)
{
	const char *t = NULL;
	size_t o = 0;

	for (size_t i = 0; i < sizeof(fixes_ios) / sizeof(fixes_ios[0]); i++)
		if (strcmp(fixes_ios[i].check, check) == 0 &&
		    (c->rc->dialect == MANRS_RC_IOS ||
		    c->rc->dialect == MANRS_RC_EOS))
			t = c->rc->dialect == MANRS_RC_IOS ? fixes_ios[i].ios :
			    fixes_ios[i].eos;
	for (size_t i = 0; i < sizeof(fixes_xr) / sizeof(fixes_xr[0]); i++)
		if (strcmp(fixes_xr[i].check, check) == 0 &&
		    c->rc->dialect == MANRS_RC_IOSXR)
			t = fixes_xr[i].xr;
	for (size_t i = 0; i < sizeof(fixes) / sizeof(fixes[0]) && t == NULL;
	    i++)
		if (strcmp(fixes[i].check, check) == 0)
			t = c->rc->dialect == MANRS_RC_FRR ||
			    c->rc->dialect == MANRS_RC_IOS ||
			    c->rc->dialect == MANRS_RC_EOS ? fixes[i].frr :
			    c->rc->dialect == MANRS_RC_BIRD ? fixes[i].bird :
			    c->rc->dialect == MANRS_RC_JUNOS ?
			    fixes[i].junos : fixes[i].bgpd;
	if (t == NULL)
		return "";
	for (; *t != '\0' && o + 1 < size; t++) {
		int k = 0;

		if (t[0] == '@' && t[1] == 'N') {
			k = snprintf(buf + o, size - o, "%s", s->pub.neighbor);
			t++;
		} else if (t[0] == '@' && t[1] == 'I') {
			char imp[MANRS_RC_NAME_MAX + 8];

			import_name(c, s, imp, sizeof(imp));
			k = snprintf(buf + o, size - o, "%s", imp);
			t++;
		} else if (t[0] == '@' && t[1] == 'A') {
			k = snprintf(buf + o, size - o, "%u", c->rc->local_as);
			t++;
		} else {
			buf[o] = *t;
			k = 1;
		}
		o += (size_t)k < size - o ? (size_t)k : size - o - 1;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * The bogon fix: the special-purpose table rendered as a prefix list of
 * the dialect by manrs_render_prefixes() (bgpq4 -b / -B / Cisco syntax,
 * which FRR reads), and the statement using it.
 */
static const char *
fix_bogons(struct rc_ctx *c, const struct rc_session *s, char *buf, size_t size)
{
	char imp[MANRS_RC_NAME_MAX + 8];
	struct manrs_prefix_range r[64];
	struct manrs_render_opts o;
	const struct manrs_bogon_entry *e;
	size_t n = 0, count, len = 0;
	char *mem = NULL;
	FILE *f;

	memset(&o, 0, sizeof(o));
	switch (c->rc->dialect) {
	case MANRS_RC_BIRD:
		o.vendor = MANRS_RENDER_BIRD;
		o.name = "BOGONS_V4";
		break;
	case MANRS_RC_OPENBGPD:
		o.vendor = MANRS_RENDER_OPENBGPD;
		o.name = "bogons";
		break;
	case MANRS_RC_JUNOS:
		o.vendor = MANRS_RENDER_JUNIPER;
		o.name = "BOGONS";
		break;
	case MANRS_RC_EOS:
		o.vendor = MANRS_RENDER_ARISTA;
		o.name = "BOGONS";
		break;
	case MANRS_RC_IOSXR:
		o.vendor = MANRS_RENDER_CISCO_XR;
		o.name = "BOGONS";
		break;
	default:
		o.vendor = MANRS_RENDER_CISCO;
		o.name = "BOGONS";
		break;
	}
	o.af = MANRS_AF_INET;
	import_name(c, s, imp, sizeof(imp));
	e = manrs_bogon_entries(&count);
	for (size_t i = 0; i < count && n < 64; i++) {
		if (!manrs_bogon_entry_is_bogon(&e[i]) ||
		    e[i].prefix.af != MANRS_AF_INET)
			continue;
		r[n].prefix = e[i].prefix;
		r[n].min = e[i].prefix.len;
		r[n].max = 32;
		n++;
	}
	f = open_memstream(&mem, &len);
	if (f == NULL)
		return "";
	if (manrs_render_prefixes(f, &o, r, n) != 0) {
		fclose(f);
		free(mem);
		return "";
	}
	fclose(f);
	switch (c->rc->dialect) {
	case MANRS_RC_BIRD:
		snprintf(buf, size, "define %s# in the import filter: if net ~ "
		    "BOGONS_V4 then reject;  (likewise IPv6: manrs prefix "
		    "bogon)", mem);
		break;
	case MANRS_RC_OPENBGPD:
		snprintf(buf, size, "%sdeny quick from any prefix-set bogons",
		    mem);
		break;
	case MANRS_RC_IOSXR:
		snprintf(buf, size, "%sroute-policy %s: if destination in "
		    "BOGONS then drop endif", mem, imp);
		break;
	case MANRS_RC_JUNOS:
		snprintf(buf, size, "%sset policy-options policy-statement "
		    "SANITY term bogons from prefix-list-filter BOGONS "
		    "orlonger\nset policy-options policy-statement SANITY term "
		    "bogons then reject", mem);
		break;
	default:
		snprintf(buf, size, "%sroute-map %s deny 1\n match ip "
		    "address prefix-list BOGONS", mem, imp);
		break;
	}
	free(mem);
	return buf;
}

/* Route construction. */
static void
route(struct rc_route *r, const char *pfx, int rpki)
{
	memset(r, 0, sizeof(*r));
	manrs_prefix_parse(manrs_view_cstr(pfx), MANRS_PREFIX_NORMALIZE,
	    &r->p);
	r->rpki = rpki;
}

void
rc_push(struct rc_route *r, uint32_t asn)
{
	if (r->npath < RC_PATH_MAX)
		r->path[r->npath++] = asn;
}

bool
rc_is_bogon(const struct manrs_prefix *p)
{
	struct manrs_bogon_match m;

	manrs_bogon_prefix_check(p, &m);
	return m.kind == MANRS_BOGON_INSIDE || m.kind == MANRS_BOGON_COVERS;
}

/* The path a neighbor of this role would send for a route it originates
 * (customer, peer, unknown) or carries from elsewhere (provider). */
static void
base_path(const struct rc_session *s, struct rc_route *r)
{
	rc_push(r, s->pub.remote_as);
	if (s->pub.role == MANRS_RC_ROLE_PROVIDER)
		rc_push(r, 15169);
}

bool
rc_accepts(const struct rc_ctx *c, const struct rc_session *s,
    const struct rc_route *r)
{
	struct rc_outcome o;

	rc_eval(c->rc, s, false, r, &o);
	return o.v == RC_V_ACCEPT;
}

/*
 * A baseline: a clean route of family af the session accepts, from the
 * permit entries of the config's prefix lists, then well-known public
 * prefixes.  The variant checks change one property of it.  false: the
 * session accepts none of them (the variants cannot get through either).
 */
static bool
baseline(const struct rc_ctx *c, const struct rc_session *s, uint8_t af,
    struct rc_route *b)
{
	static const char *const pub4[] = { "193.0.0.0/21", "8.8.8.0/24" };
	static const char *const pub6[] = { "2001:67c:2e8::/48",
		"2001:4860::/32" };
	const struct manrs_rc *rc = c->rc;
	unsigned maxlen = af == MANRS_AF_INET ? 24 : 48;

	for (int rpki = RC_RPKI_NOTFOUND; rpki >= RC_RPKI_VALID; rpki -= 2) {
		for (size_t i = 0; i < rc->npl; i++)
			for (size_t j = 0; c->used[i] && j < rc->pl[i].n;
			    j++) {
				const struct rc_plent *e = &rc->pl[i].e[j];

				if (rc->pl[i].packet || !e->permit ||
				    e->p.af != af ||
				    e->p.len < 8 || rc_is_bogon(&e->p))
					continue;
				memset(b, 0, sizeof(*b));
				b->p = e->p;
				if (b->p.len < e->min)
					b->p.len = e->min;
				if (b->p.len > maxlen)
					continue;
				b->rpki = rpki;
				base_path(s, b);
				if (rc_accepts(c, s, b))
					return true;
			}
		for (size_t i = 0; i < 2; i++) {
			route(b, af == MANRS_AF_INET ? pub4[i] : pub6[i], rpki);
			base_path(s, b);
			if (rc_accepts(c, s, b))
				return true;
		}
	}
	return false;
}

/* A prefix no permit entry of the config covers (a foreign route). */
static bool
foreign(const struct rc_ctx *c, uint8_t af, struct rc_route *r)
{
	static const char *const f4[] = { "8.8.8.0/24", "9.9.9.0/24",
		"1.1.1.0/24" };
	static const char *const f6[] = { "2001:4860::/32", "2620:fe::/48",
		"2606:4700::/32" };

	for (size_t i = 0; i < 3; i++) {
		bool hit = false;

		route(r, af == MANRS_AF_INET ? f4[i] : f6[i], RC_RPKI_NOTFOUND);
		for (size_t k = 0; k < c->rc->npl && !hit; k++)
			for (size_t j = 0; c->used[k] && j < c->rc->pl[k].n &&
			    !hit && !c->rc->pl[k].packet; j++) {
				const struct rc_plent *e = &c->rc->pl[k].e[j];

				hit = e->permit && e->p.af == af &&
				    e->p.len > 0 &&
				    manrs_prefix_covers(&e->p, &r->p);
			}
		if (!hit)
			return true;
	}
	return false;
}

void
rc_pfx_text(const struct manrs_prefix *p, char *buf, size_t size)
{
	manrs_prefix_print(p, buf, size);
}

/* Append the test route to a comma list of what got through. */
void
rc_list_add(char *list, size_t size, const char *item)
{
	size_t l = strlen(list);

	snprintf(list + l, size - l, "%s%s", l ? ", " : "", item);
}

static const char *
afs(const struct rc_session *s, int i)
{
	return s->af_on[i] ? "" : NULL;
}

struct verdicts {
	char	 got[512];	/* accepted */
	char	 undecided[512];
	uint32_t undecided_line;
};

static void
judge(struct rc_ctx *c, const struct rc_session *s, bool out,
    const struct rc_route *r, const char *label, struct verdicts *v)
{
	struct rc_outcome o;

	rc_eval(c->rc, s, out, r, &o);
	if (o.v == RC_V_ACCEPT)
		rc_list_add(v->got, sizeof(v->got), label);
	else if (o.v == RC_V_UNKNOWN) {
		char t[256];

		snprintf(t, sizeof(t), "%s (line %u: %s)", label, o.line,
		    o.why != NULL ? o.why : "?");
		rc_list_add(v->undecided, sizeof(v->undecided), t);
		v->undecided_line = o.line;
	}
}

static void
report(struct rc_ctx *c, const char *check, enum manrs_rc_sev sev,
    const struct rc_session *s, const struct verdicts *v, const char *what,
    const char *fix)
{
	if (v->got[0] != '\0')
		rc_add(c, check, sev, s->pub.line, s->pub.neighbor, NULL, fix,
		    "AS%u (%s) %s: %s", s->pub.remote_as,
		    manrs_rc_role_name(s->pub.role), what, v->got);
	else if (v->undecided[0] != '\0')
		rc_add(c, check, MANRS_RC_NOTE, s->pub.line, s->pub.neighbor,
		    NULL, fix, "AS%u: could not be decided: %s",
		    s->pub.remote_as, v->undecided);
}

static void
check_customer_filter(struct rc_ctx *c, const struct rc_session *s)
{
	struct verdicts v = { "", "", 0 };
	struct rc_route r;
	char t[64], fix[1024];

	for (int i = 0; i < 2; i++) {
		if (afs(s, i) == NULL || !foreign(c, i ? MANRS_AF_INET6 :
		    MANRS_AF_INET, &r))
			continue;
		rc_push(&r, s->pub.remote_as);
		rc_pfx_text(&r.p, t, sizeof(t));
		judge(c, s, false, &r, t, &v);
	}
	report(c, "customer-import-filter", MANRS_RC_ERROR, s, &v,
	    "has no inbound prefix filter: accepts a prefix that is in no "
	    "prefix list its import uses, originated by the customer",
	    fix_text(c, "customer-import-filter", s, fix, sizeof(fix)));
}

static void
check_export(struct rc_ctx *c, const struct rc_session *s)
{
	struct verdicts v = { "", "", 0 };
	struct rc_route r;
	char t[96], p[64], fix[1024];
	uint32_t via = s->pub.remote_as == 174 ? 1299 : 174;

	for (int i = 0; i < 2; i++) {
		if (afs(s, i) == NULL || !foreign(c, i ? MANRS_AF_INET6 :
		    MANRS_AF_INET, &r))
			continue;
		rc_push(&r, via);
		rc_push(&r, 15169);
		rc_pfx_text(&r.p, p, sizeof(p));
		snprintf(t, sizeof(t), "%s learned via AS%u", p, via);
		judge(c, s, true, &r, t, &v);
	}
	report(c, "export-filter", MANRS_RC_ERROR, s, &v,
	    "would be sent routes learned from another peer or provider "
	    "(a route leak, RFC 7908)",
	    fix_text(c, "export-filter", s, fix, sizeof(fix)));
}

static void
check_bogon_prefixes(struct rc_ctx *c, const struct rc_session *s)
{
	static const char *const b[] = { "10.0.0.0/8", "192.168.1.0/24",
		"100.64.0.0/10", "169.254.0.0/16", "198.18.0.0/15",
		"240.0.0.0/4", "fc00::/7", "fe80::/10", "2001:db8::/32",
		"3fff::/20", NULL };
	struct verdicts v = { "", "", 0 };
	struct rc_route r;
	static char fix[8192];

	for (size_t i = 0; b[i] != NULL; i++) {
		route(&r, b[i], RC_RPKI_NOTFOUND);
		if (afs(s, r.p.af == MANRS_AF_INET6) == NULL)
			continue;
		base_path(s, &r);
		judge(c, s, false, &r, b[i], &v);
	}
	/* Bogons the config's own prefix lists permit. */
	for (size_t i = 0; i < c->rc->npl; i++)
		for (size_t j = 0; c->used[i] && j < c->rc->pl[i].n; j++) {
			const struct rc_plent *e = &c->rc->pl[i].e[j];
			char t[64];

			if (c->rc->pl[i].packet || !e->permit ||
			    e->p.len == 0 || !rc_is_bogon(&e->p) ||
			    afs(s, e->p.af == MANRS_AF_INET6) == NULL)
				continue;
			memset(&r, 0, sizeof(r));
			r.p = e->p;
			r.rpki = RC_RPKI_NOTFOUND;
			base_path(s, &r);
			rc_pfx_text(&r.p, t, sizeof(t));
			if (strstr(v.got, t) == NULL)
				judge(c, s, false, &r, t, &v);
		}
	if (v.got[0] != '\0' || v.undecided[0] != '\0')
		report(c, "bogon-prefixes", MANRS_RC_ERROR, s, &v,
		    "accepts bogon prefixes", fix_bogons(c, s, fix,
		    sizeof(fix)));
}

/* The variant checks: the baseline with one property changed. */
enum variant { V_BOGON_ASN, V_SMALL, V_LONG, V_TRANSIT, V_INVALID };

static void
make_variant(const struct rc_session *s, const struct rc_route *b,
    enum variant k, unsigned which, struct rc_route *r, char *t, size_t size)
{
	static const uint32_t bogon_as[] = { 23456, 64512, 4200000000u };
	char p[64];

	*r = *b;
	switch (k) {
	case V_BOGON_ASN:
		rc_push(r, bogon_as[which]);
		break;
	case V_SMALL:
		r->p.len = r->p.af == MANRS_AF_INET ? 25 : 49;
		break;
	case V_LONG:
		r->npath = 0;
		while (r->npath + b->npath < 101)
			rc_push(r, s->pub.remote_as);
		for (size_t i = 0; i < b->npath; i++)
			rc_push(r, b->path[i]);
		break;
	case V_TRANSIT:
		r->npath = 0;
		rc_push(r, s->pub.remote_as);
		rc_push(r, s->pub.remote_as == 3356 ? 1299 : 3356);
		rc_push(r, b->path[b->npath - 1]);
		break;
	case V_INVALID:
		r->rpki = RC_RPKI_INVALID;
		break;
	}
	rc_pfx_text(&r->p, p, sizeof(p));
	switch (k) {
	case V_BOGON_ASN:
		snprintf(t, size, "%s with AS%u in the path", p,
		    bogon_as[which]);
		break;
	case V_SMALL:
		snprintf(t, size, "%s", p);
		break;
	case V_LONG:
		snprintf(t, size, "%s with a %zu-AS path", p, r->npath);
		break;
	case V_TRANSIT:
		snprintf(t, size, "%s via AS%u", p, r->path[1]);
		break;
	case V_INVALID:
		snprintf(t, size, "%s, RPKI invalid", p);
		break;
	}
}

static void
check_variant(struct rc_ctx *c, const struct rc_session *s, enum variant k,
    const char *check, const char *what)
{
	struct verdicts v = { "", "", 0 };
	struct rc_route b, r;
	char t[128], fix[1024];
	unsigned n = k == V_BOGON_ASN ? 3 : 1;

	for (int i = 0; i < 2; i++) {
		if (afs(s, i) == NULL || !baseline(c, s, i ? MANRS_AF_INET6 :
		    MANRS_AF_INET, &b))
			continue;
		for (unsigned w = 0; w < n; w++) {
			make_variant(s, &b, k, w, &r, t, sizeof(t));
			judge(c, s, false, &r, t, &v);
		}
	}
	report(c, check, MANRS_RC_ERROR, s, &v, what,
	    fix_text(c, check, s, fix, sizeof(fix)));
}

static void
check_default(struct rc_ctx *c, const struct rc_session *s)
{
	struct verdicts v = { "", "", 0 };
	struct rc_route r;
	char fix[1024];

	for (int i = 0; i < 2; i++) {
		if (afs(s, i) == NULL)
			continue;
		route(&r, i ? "::/0" : "0.0.0.0/0", RC_RPKI_NOTFOUND);
		rc_push(&r, s->pub.remote_as);
		judge(c, s, false, &r, i ? "::/0" : "0.0.0.0/0", &v);
	}
	report(c, "default-route", MANRS_RC_ERROR, s, &v,
	    "accepts a default route", fix_text(c, "default-route", s, fix,
	    sizeof(fix)));
}

static void
check_rpki(struct rc_ctx *c, const struct rc_session *s)
{
	char fix[1024];

	if (!c->rc->rpki_on) {
		rc_add(c, "rpki-invalid", MANRS_RC_ERROR, s->pub.line,
		    s->pub.neighbor, NULL, fix_text(c, "rpki-invalid", s, fix,
		    sizeof(fix)), "AS%u: no route origin validation: the "
		    "config has no RTR cache and no ROA table, so invalid "
		    "routes cannot be rejected", s->pub.remote_as);
		return;
	}
	check_variant(c, s, V_INVALID, "rpki-invalid",
	    "accepts RPKI-invalid routes (RFC 6811)");
}

static void
check_maxpfx(struct rc_ctx *c, const struct rc_session *s)
{
	char fix[1024];

	if (s->pub.max_prefix != 0)
		return;
	rc_add(c, "max-prefix", s->pub.role == MANRS_RC_ROLE_PROVIDER ?
	    MANRS_RC_WARNING : MANRS_RC_ERROR, s->pub.line, s->pub.neighbor,
	    NULL, fix_text(c, "max-prefix", s, fix, sizeof(fix)),
	    "AS%u (%s): no maximum-prefix limit on the session",
	    s->pub.remote_as, manrs_rc_role_name(s->pub.role));
}

static void
check_session(struct rc_ctx *c, const struct rc_session *s)
{
	enum manrs_rc_role role = s->pub.role;
	bool cust = role == MANRS_RC_ROLE_CUSTOMER;
	bool peer = role == MANRS_RC_ROLE_PEER;
	bool prov = role == MANRS_RC_ROLE_PROVIDER;

	if (role == MANRS_RC_ROLE_IBGP)
		return;
	if (role == MANRS_RC_ROLE_UNKNOWN)
		rc_add(c, "customer-import-filter", MANRS_RC_NOTE, s->pub.line,
		    s->pub.neighbor, NULL, "", "AS%u: role unknown (no "
		    "--role, not in the AS relationships given): "
		    "customer-import-filter, export-filter, default-route and "
		    "transit-free not judged", s->pub.remote_as);
	if (cust)
		check_customer_filter(c, s);
	if (peer || prov)
		check_export(c, s);
	check_bogon_prefixes(c, s);
	check_variant(c, s, V_BOGON_ASN, "bogon-asns",
	    "accepts bogon ASNs in the AS path");
	if (cust || peer)
		check_default(c, s);
	check_variant(c, s, V_SMALL, "small-prefixes",
	    "accepts prefixes longer than /24 (IPv4) or /48 (IPv6)");
	check_variant(c, s, V_LONG, "long-as-path",
	    "accepts AS paths longer than 100");
	if (cust || peer)
		check_variant(c, s, V_TRANSIT, "transit-free",
		    "accepts routes through a transit-free network (a leak "
		    "by the neighbor)");
	check_maxpfx(c, s);
	check_rpki(c, s);
}

static void
check_aspa(struct rc_ctx *c)
{
	const char *t;

	switch (c->rc->dialect) {
	case MANRS_RC_FRR:
		t = "FRR has no ASPA verification: not applicable";
		break;
	case MANRS_RC_BIRD:
		t = "no ASPA verification configured (BIRD 2.16 and later "
		    "have aspa_check(); the Debian 12 BIRD 2.0.12 does not)";
		break;
	case MANRS_RC_JUNOS:
		t = "ASPA verification is not modelled for Junos: not judged";
		break;
	case MANRS_RC_IOS:
	case MANRS_RC_EOS:
	case MANRS_RC_IOSXR:
		t = "Cisco IOS, IOS-XR and Arista EOS have no ASPA "
		    "verification: not applicable";
		break;
	default:
		t = "no ASPA verification configured (OpenBGPD 8.0 and later "
		    "have \"avs invalid\"; the Debian 12 OpenBGPD 7.7 does "
		    "not)";
		break;
	}
	rc_add(c, "aspa", MANRS_RC_NOTE, 0, NULL, NULL, "", "%s", t);
}

int
manrs_rc_check(const struct manrs_rc *rc, struct manrs_rc_findings *out)
{
	struct rc_ctx c = { rc, out, 0, NULL };

	if (out->arena == NULL) {
		out->arena = manrs_arena_new(64 * 1024);
		if (out->arena == NULL)
			return MANRS_E_NOMEM;
	}
	if ((c.used = calloc(rc->npl + 1, sizeof(*c.used))) == NULL)
		return MANRS_E_NOMEM;
	for (size_t i = 0; i < rc->ns; i++) {
		/* Candidates come from the lists this session's import
		 * uses: what its filter could let through. */
		memset(c.used, 0, (rc->npl + 1) * sizeof(*c.used));
		for (int af = 0; af < 2; af++)
			if (rc->s[i].in[af].kind == RC_POL_REF)
				rc_used_lists(rc, rc->s[i].in[af].policy, 0,
				    c.used);
		check_session(&c, &rc->s[i]);
	}
	free(c.used);
	c.used = NULL;
	check_aspa(&c);
	rc_check_sav(&c);
	return c.err;
}
