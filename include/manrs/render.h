/*
 * manrs/render.h - filter rendering in the output dialects of bgpq4 1.9.
 *
 * The caller computes the list (prefix ranges in bgpq4's order, as
 * manrs_trie_walk_ranges() gives them, or a sorted unique ASN list);
 * these functions print it byte for byte as bgpq4 1.9 would for the
 * same vendor (-b -B -e -F -J -j -K -K7 -N -n -U -u -X, none = Cisco
 * IOS) and generation (prefix list, -E, -z, -f, -G, -H, -t).
 */
#ifndef MANRS_RENDER_H
#define MANRS_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <manrs/prefix.h>

#ifdef __cplusplus
extern "C" {
#endif

enum manrs_render_vendor {
	MANRS_RENDER_CISCO = 0,		/* default */
	MANRS_RENDER_CISCO_XR,		/* -X */
	MANRS_RENDER_JUNIPER,		/* -J */
	MANRS_RENDER_BIRD,		/* -b */
	MANRS_RENDER_OPENBGPD,		/* -B */
	MANRS_RENDER_ARISTA,		/* -e */
	MANRS_RENDER_NOKIA,		/* -N */
	MANRS_RENDER_NOKIA_MD,		/* -n */
	MANRS_RENDER_HUAWEI,		/* -U */
	MANRS_RENDER_HUAWEI_XPL,	/* -u */
	MANRS_RENDER_MIKROTIK6,		/* -K */
	MANRS_RENDER_MIKROTIK7,		/* -K7 */
	MANRS_RENDER_JSON,		/* -j */
	MANRS_RENDER_FORMAT,		/* -F fmt */
};

enum manrs_render_gen {
	MANRS_RENDER_PREFIXLIST = 0,	/* default */
	MANRS_RENDER_EACL,		/* -E */
	MANRS_RENDER_ROUTE_FILTER_LIST,	/* -z */
	MANRS_RENDER_ASPATH,		/* -f ASN */
	MANRS_RENDER_OASPATH,		/* -G ASN */
	MANRS_RENDER_ASLIST,		/* -H ASN */
	MANRS_RENDER_ASSET,		/* -t */
};

/* Longest -F format and -M match accepted. */
#define MANRS_RENDER_FORMAT_MAX	1024

struct manrs_render_opts {
	enum manrs_render_vendor vendor;
	enum manrs_render_gen	 gen;
	uint8_t			 af;		/* MANRS_AF_INET / INET6 */
	const char		*name;		/* -l; NULL = "NN" */
	uint32_t		 asnumber;	/* -f/-G/-H/-a */
	unsigned		 aswidth;	/* -W; 0 = unlimited */
	bool			 sequence;	/* -s (and -e) */
	const char		*match;		/* -M, escapes decoded */
	const char		*format;	/* -F, as given */
};

/* bgpq4's default -W for a vendor and generation. */
MANRS_API unsigned manrs_render_default_width(enum manrs_render_vendor v,
	    enum manrs_render_gen g);

/*
 * Print a prefix list / -E / -z generation of n ranges (bgpq4 order).
 * A range with min == max == prefix.len is a plain prefix.  Returns 0,
 * MANRS_E_INVAL for a vendor/generation pair bgpq4 does not have (and
 * IPv6 extended access lists for Cisco and Arista), or
 * MANRS_E_SYNTAX for a bad -F format (nothing printed then), MANRS_E_IO.
 */
MANRS_API
int	manrs_render_prefixes(FILE *f, const struct manrs_render_opts *o,
	    const struct manrs_prefix_range *r, size_t n);
/* Print an -f / -G / -H / -t generation of n sorted unique ASNs. */
MANRS_API int	manrs_render_asns(FILE *f, const struct manrs_render_opts *o,
	    const uint32_t *asns, size_t n);
/* Check a -F format: 0 or MANRS_E_SYNTAX (bad % or \ sequence). */
MANRS_API int	manrs_render_format_check(const char *fmt);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_RENDER_H */
