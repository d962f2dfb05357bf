/*
 * render_prefix.c - prefix lists, extended ACLs / route-filters (-E) and
 * Junos route-filter-lists (-z) in bgpq4 1.9's dialects.
 *
 * Each range is one bgpq4 radix node: "exact" when min == max == len;
 * otherwise an aggregate whose low bound is printed as "ge" only when it
 * is above the prefix length (bgpq4's aggregateLow > masklen test).
 */
#include <stdio.h>
#include <string.h>

#include <manrs/manrs.h>
#include <manrs/render.h>

#include "render_int.h"

static const char *
nm(const struct manrs_render_opts *o)
{
	return o->name != NULL ? o->name : "NN";
}

static const char *
fam(uint8_t af)
{
	return af == MANRS_AF_INET ? "ip" : "ipv6";
}

static const char *
anyroute(uint8_t af)
{
	return af == MANRS_AF_INET ? "0.0.0.0/0" : "::/0";
}

/* "addr<sep>len" */
static void
ptext(const struct manrs_prefix_range *r, char sep, char *buf, size_t size)
{
	size_t k = manrs_addr_print(&r->prefix, buf, size);

	snprintf(buf + k, size - k, "%c%u", sep, r->prefix.len);
}

static bool
is_exact(const struct manrs_prefix_range *r)
{
	return r->min == r->prefix.len && r->max == r->prefix.len;
}

static bool
is_ge(const struct manrs_prefix_range *r)
{
	return r->min > r->prefix.len;
}

static void
cisco_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8], seqno[24] = "";
	int seq = o->sequence ? 1 : 0;
	size_t i;

	fprintf(f, "no %s prefix-list %s\n", fam(o->af), nm(o));
	if (n == 0) {
		fprintf(f, "! generated prefix-list %s is empty\n", nm(o));
		fprintf(f, "%s prefix-list %s%s deny %s\n", fam(o->af), nm(o),
		    seq ? " seq 1" : "", anyroute(o->af));
		return;
	}
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		if (seq)
			snprintf(seqno, sizeof(seqno), " seq %i", seq++);
		if (is_exact(&r[i]))
			fprintf(f, "%s prefix-list %s%s permit %s\n",
			    fam(o->af), nm(o), seqno, p);
		else if (is_ge(&r[i]))
			fprintf(f, "%s prefix-list %s%s permit %s ge %u le "
			    "%u\n", fam(o->af), nm(o), seqno, p, r[i].min,
			    r[i].max);
		else
			fprintf(f, "%s prefix-list %s%s permit %s le %u\n",
			    fam(o->af), nm(o), seqno, p, r[i].max);
	}
}

static void
arista_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	int seq = o->sequence ? 1 : 0;
	size_t i;

	fprintf(f, "no %s prefix-list %s\n", fam(o->af), nm(o));
	if (n == 0) {
		fprintf(f, "! generated prefix-list %s is empty\n", nm(o));
		fprintf(f, "%s prefix-list %s\n   seq %i deny %s\n",
		    fam(o->af), nm(o), seq, anyroute(o->af));
		return;
	}
	fprintf(f, "%s prefix-list %s\n", fam(o->af), nm(o));
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "    seq %i permit %s\n", seq++, p);
		else if (is_ge(&r[i]))
			fprintf(f, "    seq %i permit %s ge %u le %u\n", seq++,
			    p, r[i].min, r[i].max);
		else
			fprintf(f, "    seq %i permit %s le %u\n", seq++, p,
			    r[i].max);
	}
}

static void
xr_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "no prefix-set %s\nprefix-set %s\n", nm(o), nm(o));
	for (i = 0; i < n; i++) {
		const char *sep = i > 0 ? ",\n " : " ";

		ptext(&r[i], '/', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "%s%s", sep, p);
		else if (is_ge(&r[i]))
			fprintf(f, "%s%s ge %u le %u", sep, p, r[i].min,
			    r[i].max);
		else
			fprintf(f, "%s%s le %u", sep, p, r[i].max);
	}
	fprintf(f, "\nend-set\n");
}

static void
json_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char a[MANRS_ADDR_STRLEN];
	size_t i;

	fprintf(f, "{ \"%s\": [", nm(o));
	for (i = 0; i < n; i++) {
		const char *c = i > 0 ? "," : "";

		manrs_addr_print(&r[i].prefix, a, sizeof(a));
		if (is_exact(&r[i]))
			fprintf(f, "%s\n    { \"prefix\": \"%s\\/%u\", "
			    "\"exact\": true }", c, a, r[i].prefix.len);
		else if (is_ge(&r[i]))
			fprintf(f, "%s\n    { \"prefix\": \"%s\\/%u\", "
			    "\"exact\": false,\n      \"greater-equal\": %u, "
			    "\"less-equal\": %u }", c, a, r[i].prefix.len,
			    r[i].min, r[i].max);
		else
			fprintf(f, "%s\n    { \"prefix\": \"%s\\/%u\", "
			    "\"exact\": false, \"less-equal\": %u }", c, a,
			    r[i].prefix.len, r[i].max);
	}
	fprintf(f, "\n] }\n");
}

static void
bird_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	if (n == 0)
		return;
	fprintf(f, "%s = [", nm(o));
	for (i = 0; i < n; i++) {
		const char *c = i > 0 ? "," : "";

		ptext(&r[i], '/', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "%s\n    %s", c, p);
		else if (is_ge(&r[i]))
			fprintf(f, "%s\n    %s{%u,%u}", c, p, r[i].min,
			    r[i].max);
		else
			fprintf(f, "%s\n    %s{%u,%u}", c, p, r[i].prefix.len,
			    r[i].max);
	}
	fprintf(f, "\n];\n");
}

static void
openbgpd_items(FILE *f, const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "\n\t%s", p);
		else if (r[i].min == r[i].max)
			fprintf(f, "\n\t%s prefixlen = %u", p, r[i].max);
		else if (is_ge(&r[i]))
			fprintf(f, "\n\t%s prefixlen %u - %u", p, r[i].min,
			    r[i].max);
		else
			fprintf(f, "\n\t%s prefixlen %u - %u", p,
			    r[i].prefix.len, r[i].max);
	}
}

static void
openbgpd_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	bool named = strcmp(nm(o), "NN") != 0;

	if (n == 0) {
		fprintf(f, "# generated prefix-list %s (AS %u) is empty\n",
		    nm(o), o->asnumber);
		if (o->asnumber == 0)
			fprintf(f, "# use -a <asn> to generate \"deny from "
			    "ASN <asn>\" instead of this list\n");
	}
	if (n > 0 || o->asnumber == 0) {
		if (named)
			fprintf(f, "%s=\"", nm(o));
		fprintf(f, "prefix { ");
		openbgpd_items(f, r, n);
		fprintf(f, "\n\t}");
		if (named)
			fprintf(f, "\"");
		fprintf(f, "\n");
	} else
		fprintf(f, "deny from AS %u\n", o->asnumber);
}

static void
openbgpd_set(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	fprintf(f, "prefix-set %s {", nm(o));
	openbgpd_items(f, r, n);
	fprintf(f, "\n}\n");
}

static void
juniper_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "policy-options {\nreplace:\n prefix-list %s {\n", nm(o));
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		fprintf(f, "    %s;\n", p);
	}
	fprintf(f, " }\n}\n");
}

static void
jrfilter(FILE *f, const struct manrs_prefix_range *r, size_t n,
    bool prefixed)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	const char *rf = prefixed ? "route-filter " : "";
	size_t i;

	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "    %s%s exact;\n", rf, p);
		else if (is_ge(&r[i]))
			fprintf(f, "    %s%s prefix-length-range /%u-/%u;\n",
			    rf, p, r[i].min, r[i].max);
		else
			fprintf(f, "    %s%s upto /%u;\n", rf, p, r[i].max);
	}
}

static void
juniper_routefilter(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	const char *name = nm(o), *c = strchr(name, '/');

	if (c != NULL) {
		fprintf(f, "policy-options {\n policy-statement %.*s {\n"
		    "  term %s {\nreplace:\n   from {\n", (int)(c - name),
		    name, c + 1);
	} else
		fprintf(f, "policy-options {\n policy-statement %s { \n"
		    "replace:\n  from {\n", name);
	if (o->match != NULL)
		fprintf(f, "    %s;\n", o->match);
	if (n > 0)
		jrfilter(f, r, n, true);
	else
		fprintf(f, "    route-filter %s/0 orlonger reject;\n",
		    o->af == MANRS_AF_INET ? "0.0.0.0" : "::");
	if (c != NULL)
		fprintf(f, "   }\n  }\n }\n}\n");
	else
		fprintf(f, "  }\n }\n}\n");
}

static void
juniper_rfl(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	fprintf(f, "policy-options {\nreplace:\n  route-filter-list %s {\n",
	    nm(o));
	if (n == 0)
		fprintf(f, "    %s/0 orlonger reject;\n",
		    o->af == MANRS_AF_INET ? "0.0.0.0" : "::");
	else
		jrfilter(f, r, n, false);
	fprintf(f, "  }\n}\n");
}

static void
quad(uint32_t v, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff,
	    (v >> 8) & 0xff, v & 0xff);
}

static void
cisco_eacl(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char a[MANRS_ADDR_STRLEN], b[16], c[16];
	size_t i;

	fprintf(f, "no ip access-list extended %s\n", nm(o));
	if (n == 0) {
		fprintf(f, "! generated access-list %s is empty\n", nm(o));
		fprintf(f, "ip access-list extended %s deny any any\n", nm(o));
		return;
	}
	fprintf(f, "ip access-list extended %s\n", nm(o));
	for (i = 0; i < n; i++) {
		unsigned len = r[i].prefix.len;
		uint32_t netmask = len == 0 ? 0 :
		    len == 32 ? 0 : (0xffffffffu << (32 - len));

		manrs_addr_print(&r[i].prefix, a, sizeof(a));
		if (len == 32)
			netmask = 0;
		else if (len == 0)
			netmask = 0xffffffffu;
		if (is_exact(&r[i])) {
			quad(netmask, b, sizeof(b));
			fprintf(f, " permit ip host %s host %s\n", a, b);
			continue;
		}
		{
			uint32_t wild2 = r[i].max == 32 ? 0 :
			    0xffffffffu >> r[i].max;
			uint32_t wildaddr = (len >= 32 ? 0 :
			    0xffffffffu >> len) & ~wild2;
			uint32_t mask = r[i].min == 32 ? 0xffffffffu :
			    r[i].min == 0 ? 0 :
			    0xffffffffu << (32 - r[i].min);
			uint32_t wildmask = (r[i].min >= 32 ? 0 :
			    0xffffffffu >> r[i].min) & ~wild2;

			if (wildaddr != 0) {
				quad(wildaddr, b, sizeof(b));
				fprintf(f, " permit ip %s %s ", a, b);
			} else
				fprintf(f, " permit ip host %s ", a);
			quad(mask, c, sizeof(c));
			if (wildmask != 0) {
				quad(wildmask, b, sizeof(b));
				fprintf(f, "%s %s\n", c, b);
			} else
				fprintf(f, "host %s\n", c);
		}
	}
}

static void
nokia_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "configure router policy-options\nbegin\n"
	    "no prefix-list \"%s\"\n", nm(o));
	fprintf(f, "prefix-list \"%s\"\n", nm(o));
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "    prefix %s exact\n", p);
		else
			fprintf(f, "    prefix %s prefix-length-range %u-%u\n",
			    p, is_ge(&r[i]) ? r[i].min : r[i].prefix.len,
			    r[i].max);
	}
	fprintf(f, "exit\ncommit\n");
}

static void
nokia_md_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "/configure policy-options\ndelete prefix-list \"%s\"\n",
	    nm(o));
	fprintf(f, "prefix-list \"%s\" {\n", nm(o));
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "    prefix %s type exact {\n    }\n", p);
		else if (is_ge(&r[i]))
			fprintf(f, "    prefix %s type range {\n"
			    "        start-length %u\n"
			    "        end-length %u\n    }\n", p, r[i].min,
			    r[i].max);
		else
			fprintf(f, "    prefix %s type through {\n"
			    "        through-length %u\n    }\n", p,
			    r[i].max);
	}
	fprintf(f, "}\n");
}

static void
nokia_ipprefixlist(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "configure filter match-list\nno %s-prefix-list \"%s\"\n",
	    fam(o->af), nm(o));
	fprintf(f, "%s-prefix-list \"%s\" create\n", fam(o->af), nm(o));
	if (n == 0)
		fprintf(f, "# generated ip-prefix-list %s is empty\n", nm(o));
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		fprintf(f, "    prefix %s\n", p);
	}
	fprintf(f, "exit\n");
}

static void
nokia_md_ipprefixlist(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "/configure filter match-list\n"
	    "delete %s-prefix-list \"%s\"\n", fam(o->af), nm(o));
	fprintf(f, "%s-prefix-list \"%s\" {\n", fam(o->af), nm(o));
	if (n == 0)
		fprintf(f, "# generated %s-prefix-list %s is empty\n",
		    fam(o->af), nm(o));
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		fprintf(f, "    prefix %s { }\n", p);
	}
	fprintf(f, "}\n");
}

static void
huawei_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "undo ip %s-prefix %s\n", fam(o->af), nm(o));
	if (n == 0) {
		fprintf(f, "ip %s-prefix %s%s deny %s\n", fam(o->af), nm(o),
		    o->sequence ? " seq 1" : "", anyroute(o->af));
		return;
	}
	for (i = 0; i < n; i++) {
		ptext(&r[i], ' ', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "ip %s-prefix %s permit %s\n", fam(o->af),
			    nm(o), p);
		else if (is_ge(&r[i]))
			fprintf(f, "ip %s-prefix %s permit %s greater-equal "
			    "%u less-equal %u\n", fam(o->af), nm(o), p,
			    r[i].min, r[i].max);
		else
			fprintf(f, "ip %s-prefix %s permit %s less-equal %u\n",
			    fam(o->af), nm(o), p, r[i].max);
	}
}

static void
huawei_xpl_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	size_t i;

	fprintf(f, "no xpl %s-prefix-list %s\nxpl %s-prefix-list %s\n",
	    fam(o->af), nm(o), fam(o->af), nm(o));
	for (i = 0; i < n; i++) {
		const char *sep = i > 0 ? ",\n " : " ";

		ptext(&r[i], ' ', p, sizeof(p));
		if (is_exact(&r[i]))
			fprintf(f, "%s %s", sep, p);
		else if (is_ge(&r[i]))
			fprintf(f, "%s %s ge %u le %u", sep, p, r[i].min,
			    r[i].max);
		else
			fprintf(f, "%s %s le %u", sep, p, r[i].max);
	}
	fprintf(f, "\nend-list\n");
}

static void
mikrotik_list(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	char p[MANRS_PREFIX_STRLEN + 8];
	const char *v = o->af == MANRS_AF_INET ? "V4" : "V6";
	size_t i;

	if (n == 0) {
		fprintf(f, "# generated prefix-list %s is empty\n", nm(o));
		return;
	}
	for (i = 0; i < n; i++) {
		ptext(&r[i], '/', p, sizeof(p));
		if (o->vendor == MANRS_RENDER_MIKROTIK7) {
			if (is_exact(&r[i]))
				fprintf(f, "/routing filter rule add chain=\""
				    "%s-%s\" rule=\"if (dst=%s) {accept}\"\n",
				    nm(o), v, p);
			else
				fprintf(f, "/routing filter rule add chain=\""
				    "%s-%s\"  rule=\"if (dst in %s && dst-len "
				    "in %d-%d) {accept}\"\n", nm(o), v, p,
				    r[i].min, r[i].max);
		} else {
			if (is_exact(&r[i]))
				fprintf(f, "/routing filter add action=accept "
				    "chain=\"%s-%s\" prefix=%s\n", nm(o), v,
				    p);
			else
				fprintf(f, "/routing filter add action=accept "
				    "chain=\"%s-%s\" prefix=%s prefix-length="
				    "%d-%d\n", nm(o), v, p, r[i].min,
				    r[i].max);
		}
	}
}

int
manrs_render_prefixes(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	if (o->gen == MANRS_RENDER_PREFIXLIST) {
		switch (o->vendor) {
		case MANRS_RENDER_CISCO:
			cisco_list(f, o, r, n);
			break;
		case MANRS_RENDER_CISCO_XR:
			xr_list(f, o, r, n);
			break;
		case MANRS_RENDER_JUNIPER:
			juniper_list(f, o, r, n);
			break;
		case MANRS_RENDER_BIRD:
			bird_list(f, o, r, n);
			break;
		case MANRS_RENDER_OPENBGPD:
			openbgpd_list(f, o, r, n);
			break;
		case MANRS_RENDER_ARISTA:
			arista_list(f, o, r, n);
			break;
		case MANRS_RENDER_NOKIA:
			nokia_list(f, o, r, n);
			break;
		case MANRS_RENDER_NOKIA_MD:
			nokia_md_list(f, o, r, n);
			break;
		case MANRS_RENDER_HUAWEI:
			huawei_list(f, o, r, n);
			break;
		case MANRS_RENDER_HUAWEI_XPL:
			huawei_xpl_list(f, o, r, n);
			break;
		case MANRS_RENDER_MIKROTIK6:
		case MANRS_RENDER_MIKROTIK7:
			mikrotik_list(f, o, r, n);
			break;
		case MANRS_RENDER_JSON:
			json_list(f, o, r, n);
			break;
		case MANRS_RENDER_FORMAT:
			if (render_format(f, o, r, n) != 0)
				return MANRS_E_SYNTAX;
			break;
		}
	} else if (o->gen == MANRS_RENDER_EACL) {
		switch (o->vendor) {
		case MANRS_RENDER_JUNIPER:
			juniper_routefilter(f, o, r, n);
			break;
		case MANRS_RENDER_CISCO:
		case MANRS_RENDER_ARISTA:
			/*
			 * IPv4 access lists only (bgpq4 1.9 refuses -E -6 for
			 * Cisco and prints IPv6 prefixes with IPv4 masks for
			 * Arista, shifting by 128: not a list).
			 */
			if (o->af != MANRS_AF_INET)
				return MANRS_E_INVAL;
			cisco_eacl(f, o, r, n);
			break;
		case MANRS_RENDER_OPENBGPD:
			openbgpd_set(f, o, r, n);
			break;
		case MANRS_RENDER_NOKIA:
			nokia_ipprefixlist(f, o, r, n);
			break;
		case MANRS_RENDER_NOKIA_MD:
			nokia_md_ipprefixlist(f, o, r, n);
			break;
		default:
			return MANRS_E_INVAL;
		}
	} else if (o->gen == MANRS_RENDER_ROUTE_FILTER_LIST) {
		if (o->vendor != MANRS_RENDER_JUNIPER)
			return MANRS_E_INVAL;
		juniper_rfl(f, o, r, n);
	} else
		return MANRS_E_INVAL;
	return ferror(f) ? MANRS_E_IO : 0;
}
