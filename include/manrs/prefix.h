/*
 * manrs/prefix.h - IPv4/IPv6 addresses and prefixes, ASNs.
 *
 * Prefixes are plain values.  Addresses are kept in network byte order
 * in a 16-byte array (IPv4 uses the first 4 bytes; the rest are zero), so
 * two equal prefixes compare equal with memcmp() on the whole struct.
 *
 * Text forms: every IPv6 form RFC 4291 section 2.2 allows is parsed
 * (including "::" compression and embedded IPv4); output is the RFC 5952
 * canonical form.  ASNs are parsed in asplain ("65000"), asdot ("1.10",
 * RFC 5396) and with an "AS" prefix ("AS65000", "as1.10").
 */
#ifndef MANRS_PREFIX_H
#define MANRS_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_AF_INET	4
#define MANRS_AF_INET6	6

struct manrs_prefix {
	uint8_t	af;		/* MANRS_AF_INET or MANRS_AF_INET6 */
	uint8_t	len;		/* 0..32 or 0..128 */
	uint8_t	pad[2];		/* always zero */
	uint8_t	addr[16];	/* network byte order; unused bytes zero */
};

/* Longest text forms, with the terminating NUL. */
#define MANRS_ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */
#define MANRS_PREFIX_STRLEN	(MANRS_ADDR_STRLEN + 4)

static inline unsigned
manrs_af_bits(uint8_t af)
{
	return af == MANRS_AF_INET ? 32 : 128;
}

/* Flags for manrs_prefix_parse(). */
#define MANRS_PREFIX_NORMALIZE	0x01	/* clear host bits instead of failing */
#define MANRS_PREFIX_HOST	0x02	/* accept a bare address as a host prefix */
#define MANRS_PREFIX_V4_ONLY	0x04
#define MANRS_PREFIX_V6_ONLY	0x08

/*
 * Parse "ADDR/LEN" (or "ADDR" with MANRS_PREFIX_HOST).  Returns 0,
 * MANRS_E_SYNTAX, MANRS_E_RANGE (length too long), MANRS_E_HOSTBITS (bits
 * set after the length, unless MANRS_PREFIX_NORMALIZE) or MANRS_E_FAMILY.
 */
MANRS_API int	manrs_prefix_parse(struct manrs_view text, unsigned flags,
	    struct manrs_prefix *out);
/* Parse an address alone (no "/"). */
MANRS_API int	manrs_addr_parse(struct manrs_view text, unsigned flags,
	    struct manrs_prefix *out);
/*
 * Canonical text into buf (at least MANRS_PREFIX_STRLEN bytes).
 * Returns the length written (without NUL).
 */
MANRS_API
size_t	manrs_prefix_print(const struct manrs_prefix *p, char *buf,
	    size_t size);
/* The address alone (at least MANRS_ADDR_STRLEN bytes). */
MANRS_API
size_t	manrs_addr_print(const struct manrs_prefix *p, char *buf,
	    size_t size);

/* Set a prefix from raw bytes (e.g. BGP NLRI); host bits are cleared. */
MANRS_API int	manrs_prefix_set(struct manrs_prefix *p, uint8_t af,
	    const uint8_t *addr, size_t addrlen, unsigned len);
/* Clear the bits after p->len. */
MANRS_API void	manrs_prefix_mask(struct manrs_prefix *p);
/* True when bits after p->len are set. */
MANRS_API bool	manrs_prefix_has_hostbits(const struct manrs_prefix *p);
/* True when outer covers inner (same family, outer->len <= inner->len). */
MANRS_API bool	manrs_prefix_covers(const struct manrs_prefix *outer,
	    const struct manrs_prefix *inner);
MANRS_API bool	manrs_prefix_eq(const struct manrs_prefix *a,
	    const struct manrs_prefix *b);
/* Total order: family, then address, then length (shorter first). */
MANRS_API int	manrs_prefix_cmp(const struct manrs_prefix *a,
	    const struct manrs_prefix *b);
/* Bit i (0 = most significant) of the address. */
static inline unsigned
manrs_prefix_bit(const struct manrs_prefix *p, unsigned i)
{
	return (p->addr[i >> 3] >> (7 - (i & 7))) & 1;
}

/*
 * A prefix with a length range, as in RPSL "^n-m", bgpq4 ge/le and ROA
 * maxLength: every prefix under "prefix" whose length is in [min, max].
 */
struct manrs_prefix_range {
	struct manrs_prefix	prefix;
	uint8_t			min;
	uint8_t			max;
};

/* ASNs. */
#define MANRS_ASN_MAX	UINT32_MAX

enum manrs_asn_fmt {
	MANRS_ASN_ASPLAIN,	/* "65546" */
	MANRS_ASN_ASDOT,	/* "65535", "1.10" (RFC 5396 asdot) */
	MANRS_ASN_ASDOTPLUS,	/* "0.65535", "1.10" (RFC 5396 asdot+) */
};

/*
 * Parse an ASN: optional "AS"/"as" prefix, then asplain or asdot.
 * No sign, spaces or leading zeros.  MANRS_E_SYNTAX or MANRS_E_RANGE.
 */
MANRS_API int	manrs_asn_parse(struct manrs_view text, uint32_t *asn);
/* Print without the "AS" prefix; buf >= 12 bytes.  Returns length. */
MANRS_API
size_t	manrs_asn_print(uint32_t asn, enum manrs_asn_fmt fmt, char *buf,
	    size_t size);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_PREFIX_H */
