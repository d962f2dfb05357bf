/*
 * manrs/bgp.h - BGP UPDATE messages and path attributes (RFC 4271),
 * decoded in place without copies.
 *
 * Standards: RFC 4271 (BGP-4), RFC 4760 (MP_REACH/MP_UNREACH), RFC 6793
 * (four-octet ASNs: AS4_PATH / AS4_AGGREGATOR merging), RFC 1997
 * (communities), RFC 8092 (large communities), RFC 4456 (ORIGINATOR_ID,
 * CLUSTER_LIST), RFC 7911 and RFC 8050 (ADD-PATH path identifiers),
 * RFC 6396 section 4.3.4 (abbreviated MP_REACH_NLRI in RIB entries).
 *
 * A struct manrs_bgp_attrs is a view: every pointer in it points into
 * the caller's attribute bytes, which must outlive the view.  Nothing is
 * allocated.  Attributes that are not decoded are kept as "unknown"
 * (type, flags, bytes) so that they can be printed or re-encoded.
 */
#ifndef MANRS_BGP_H
#define MANRS_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Path attribute type codes (IANA "BGP Path Attributes"). */
#define MANRS_BGP_ATTR_ORIGIN		1
#define MANRS_BGP_ATTR_AS_PATH		2
#define MANRS_BGP_ATTR_NEXT_HOP		3
#define MANRS_BGP_ATTR_MED		4
#define MANRS_BGP_ATTR_LOCAL_PREF	5
#define MANRS_BGP_ATTR_ATOMIC_AGGREGATE	6
#define MANRS_BGP_ATTR_AGGREGATOR	7
#define MANRS_BGP_ATTR_COMMUNITIES	8
#define MANRS_BGP_ATTR_ORIGINATOR_ID	9
#define MANRS_BGP_ATTR_CLUSTER_LIST	10
#define MANRS_BGP_ATTR_MP_REACH		14
#define MANRS_BGP_ATTR_MP_UNREACH	15
#define MANRS_BGP_ATTR_EXT_COMMUNITIES	16
#define MANRS_BGP_ATTR_AS4_PATH		17
#define MANRS_BGP_ATTR_AS4_AGGREGATOR	18
#define MANRS_BGP_ATTR_LARGE_COMMUNITIES 32

/* Attribute flags (RFC 4271 section 4.3). */
#define MANRS_BGP_FLAG_OPTIONAL		0x80
#define MANRS_BGP_FLAG_TRANSITIVE	0x40
#define MANRS_BGP_FLAG_PARTIAL		0x20
#define MANRS_BGP_FLAG_EXTLEN		0x10

/* AS_PATH segment types (RFC 4271, RFC 5065). */
#define MANRS_BGP_AS_SET		1
#define MANRS_BGP_AS_SEQUENCE		2
#define MANRS_BGP_AS_CONFED_SEQUENCE	3
#define MANRS_BGP_AS_CONFED_SET		4

#define MANRS_BGP_AS_TRANS		23456	/* RFC 6793 */

/* AFI / SAFI values used here. */
#define MANRS_AFI_IPV4			1
#define MANRS_AFI_IPV6			2
#define MANRS_SAFI_UNICAST		1
#define MANRS_SAFI_MULTICAST		2

/* BGP message types (RFC 4271 section 4.1). */
#define MANRS_BGP_MSG_OPEN		1
#define MANRS_BGP_MSG_UPDATE		2
#define MANRS_BGP_MSG_NOTIFICATION	3
#define MANRS_BGP_MSG_KEEPALIVE		4
#define MANRS_BGP_MSG_ROUTE_REFRESH	5

/* Limits. */
#define MANRS_BGP_MSG_MAX		65535	/* RFC 8654 extended messages */
#define MANRS_BGP_UNKNOWN_MAX		16	/* unknown attributes kept */
/* A merged four-octet AS_PATH never exceeds this many bytes. */
#define MANRS_BGP_ASPATH4_MAX		(2u * 65535u + 16u)

/* Origin values. */
#define MANRS_BGP_ORIGIN_IGP		0
#define MANRS_BGP_ORIGIN_EGP		1
#define MANRS_BGP_ORIGIN_INCOMPLETE	2

/* MP_REACH_NLRI / MP_UNREACH_NLRI, pointing into the attribute bytes. */
struct manrs_bgp_mp {
	uint16_t	 afi;
	uint8_t		 safi;
	uint8_t		 nh_len;	/* next-hop length (0 for UNREACH) */
	const uint8_t	*nh;		/* next hop(s): 4, 16 or 32 bytes */
	const uint8_t	*nlri;		/* NLRI bytes */
	size_t		 nlri_len;
};

struct manrs_bgp_unknown {
	uint8_t		 type;
	uint8_t		 flags;
	uint16_t	 len;
	const uint8_t	*data;
};

/*
 * Decoded path attributes.  A field is valid only when
 * manrs_bgp_attrs_has(a, TYPE) is true.
 */
struct manrs_bgp_attrs {
	uint64_t	 present[4];	/* bit per attribute type 0..255 */
	const uint8_t	*raw;		/* all attribute bytes */
	size_t		 raw_len;
	uint8_t		 asn_size;	/* 2 or 4: size of AS_PATH ASNs */
	uint8_t		 origin;
	uint8_t		 next_hop[4];
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 aggregator_as;
	uint8_t		 aggregator_addr[4];
	uint32_t	 as4_aggregator_as;
	uint8_t		 as4_aggregator_addr[4];
	uint8_t		 originator_id[4];
	const uint8_t	*as_path;	/* wire segments, asn_size ASNs */
	size_t		 as_path_len;
	const uint8_t	*as4_path;	/* wire segments, 4-byte ASNs */
	size_t		 as4_path_len;
	const uint8_t	*communities;	/* n x 4 bytes */
	size_t		 communities_len;
	const uint8_t	*large_communities;	/* n x 12 bytes */
	size_t		 large_communities_len;
	const uint8_t	*cluster_list;	/* n x 4 bytes */
	size_t		 cluster_list_len;
	struct manrs_bgp_mp reach;
	struct manrs_bgp_mp unreach;
	bool		 reach_abbrev;	/* RFC 6396 4.3.4 form: next hop only */
	unsigned	 nunknown;	/* kept in unknown[] */
	unsigned	 nunknown_total;	/* seen (may exceed the limit) */
	struct manrs_bgp_unknown unknown[MANRS_BGP_UNKNOWN_MAX];
};

static inline bool
manrs_bgp_attrs_has(const struct manrs_bgp_attrs *a, unsigned type)
{
	return (a->present[(type >> 6) & 3] >> (type & 63)) & 1;
}

/* Flags for manrs_bgp_attrs_decode(). */
#define MANRS_BGP_DECODE_MRT_RIB	0x01	/* accept abbreviated MP_REACH */

/*
 * Decode path attributes p[0..len) (the "Path Attributes" field of an
 * UPDATE, or of an MRT RIB entry).  asn_size is 2 or 4 (the session's AS
 * number size).  Nothing is copied: *a points into p.
 *
 * Decoding goes on past a bad attribute where its length is still
 * trustworthy, so *a holds everything readable.  Returns 0, or the first
 * problem: MANRS_E_SHORT (an attribute runs past the end; decoding
 * stops), MANRS_E_FORMAT (an attribute has a length its type forbids; it
 * is ignored) or MANRS_E_EXIST (an attribute appears twice; the second is
 * ignored).  *bad_off (may be NULL) gets the offset in p of the bad
 * attribute.
 */
MANRS_API
int	manrs_bgp_attrs_decode(struct manrs_bgp_attrs *a, const uint8_t *p,
	    size_t len, unsigned asn_size, unsigned flags, size_t *bad_off);

/*
 * The effective AS path as four-octet wire segments: AS_PATH (widened to
 * four octets) merged with AS4_PATH as RFC 6793 section 4.2.3 says, or
 * AS_PATH alone when the session was four-octet.  out must hold
 * MANRS_BGP_ASPATH4_MAX bytes.  Returns the length written (0 when there
 * is no AS_PATH), or MANRS_E_FORMAT for a malformed AS_PATH.
 */
MANRS_API
ptrdiff_t manrs_bgp_aspath4(const struct manrs_bgp_attrs *a, uint8_t *out);

/*
 * Effective aggregator (RFC 6793 section 4.2.3): AS4_AGGREGATOR replaces
 * an AGGREGATOR holding AS_TRANS.  False when there is no aggregator.
 */
MANRS_API
bool	manrs_bgp_aggregator(const struct manrs_bgp_attrs *a, uint32_t *asn,
	    uint8_t addr[4]);

/*
 * Checks four-octet wire segments; returns the number of ASNs counted as
 * RFC 4271 section 9.1.2.2 counts path length (a set counts 1,
 * confederation segments 0) or MANRS_E_FORMAT.
 */
MANRS_API ptrdiff_t manrs_bgp_aspath_length(const uint8_t *p, size_t len,
	    unsigned asn_size);

/*
 * The origin AS of a four-octet path: the last ASN of a final
 * AS_SEQUENCE.  False when the path is empty or ends in a set.
 */
MANRS_API
bool	manrs_bgp_aspath_origin(const uint8_t *p, size_t len, uint32_t *asn);

/*
 * Text form "1 2 {3,4} (5 6) [7,8]" of four-octet wire segments into
 * buf.  Returns the length the full text needs (like snprintf); buf is
 * always NUL-terminated when size > 0.
 */
MANRS_API
size_t	manrs_bgp_aspath_print(const uint8_t *p, size_t len, char *buf,
	    size_t size);

/*
 * NLRI iteration (RFC 4271 section 4.3, RFC 4760 section 5, RFC 7911
 * section 3 when addpath).  Each element keeps the bytes as sent
 * (including host bits after the length); manrs_bgp_nlri_prefix() turns
 * one into a masked prefix.
 */
struct manrs_bgp_nlri {
	uint8_t		 af;		/* MANRS_AF_INET or MANRS_AF_INET6 */
	uint8_t		 len;		/* prefix length in bits */
	uint32_t	 path_id;	/* 0 unless addpath */
	uint8_t		 addr[16];	/* bytes as sent, rest zero */
};

struct manrs_bgp_nlri_iter {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	uint8_t		 af;
	bool		 addpath;
};

MANRS_API
void	manrs_bgp_nlri_init(struct manrs_bgp_nlri_iter *it, const uint8_t *p,
	    size_t len, uint8_t af, bool addpath);
/*
 * 1 with *n filled, 0 at the end, MANRS_E_RANGE for a length longer than
 * the family allows, MANRS_E_SHORT when the bytes run out inside an
 * element (both stop the iteration; it->off is where).
 */
MANRS_API int	manrs_bgp_nlri_next(struct manrs_bgp_nlri_iter *it,
	    struct manrs_bgp_nlri *n);
MANRS_API void	manrs_bgp_nlri_prefix(const struct manrs_bgp_nlri *n,
	    struct manrs_prefix *p);

/* An UPDATE message body split into its three parts (RFC 4271 4.3). */
struct manrs_bgp_update {
	const uint8_t	*withdrawn;
	size_t		 withdrawn_len;
	const uint8_t	*attrs;
	size_t		 attrs_len;
	const uint8_t	*nlri;
	size_t		 nlri_len;
};

/*
 * Split the body of an UPDATE (the bytes after the 19-byte header).
 * MANRS_E_SHORT when a length runs past the end.
 */
MANRS_API int	manrs_bgp_update_split(const uint8_t *p, size_t len,
	    struct manrs_bgp_update *u);

/*
 * Check a BGP message header (marker, length, type) at p[0..len): on
 * success *type and *body / *body_len describe the message.
 * MANRS_E_FORMAT for a bad marker, MANRS_E_SHORT when len is shorter than
 * the header's length.
 */
MANRS_API
int	manrs_bgp_msg_header(const uint8_t *p, size_t len, uint8_t *type,
	    const uint8_t **body, size_t *body_len);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_BGP_H */
