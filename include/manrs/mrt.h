/*
 * manrs/mrt.h - MRT routing archives (RFC 6396, RFC 8050): a streaming
 * record reader, decoded views of TABLE_DUMP, TABLE_DUMP_V2 and
 * BGP4MP(_ET) records, a route iterator, a bgpdump-compatible text
 * printer, a writer, and a RIB view.
 *
 * Reading never copies record bodies: a record (and every view decoded
 * from it) points into the reader's buffer and is valid until the next
 * manrs_mrt_next() / manrs_mrt_route_next() call.  Input may be plain,
 * gzip or bzip2 (detected by magic) or stdin ("-").
 *
 * Problems are reported to the diag sink with the file and the byte
 * offset of the record in the decompressed stream: a record that cannot
 * be decoded is skipped; a stream cut off inside a record ends the
 * iteration after every complete record, with a warning.
 */
#ifndef MANRS_MRT_H
#define MANRS_MRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/bgp.h>
#include <manrs/prefix.h>
#include <manrs/provenance.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MRT types (RFC 6396 section 4). */
#define MANRS_MRT_TABLE_DUMP		12
#define MANRS_MRT_TABLE_DUMP_V2		13
#define MANRS_MRT_BGP4MP		16
#define MANRS_MRT_BGP4MP_ET		17

/* TABLE_DUMP subtypes: the AFI. */
#define MANRS_MRT_TD_AFI_IPV4		1
#define MANRS_MRT_TD_AFI_IPV6		2

/* TABLE_DUMP_V2 subtypes (RFC 6396 4.3, RFC 8050 section 4). */
#define MANRS_MRT_PEER_INDEX_TABLE	1
#define MANRS_MRT_RIB_IPV4_UNICAST	2
#define MANRS_MRT_RIB_IPV4_MULTICAST	3
#define MANRS_MRT_RIB_IPV6_UNICAST	4
#define MANRS_MRT_RIB_IPV6_MULTICAST	5
#define MANRS_MRT_RIB_GENERIC		6
#define MANRS_MRT_RIB_IPV4_UNICAST_AP	8
#define MANRS_MRT_RIB_IPV4_MULTICAST_AP	9
#define MANRS_MRT_RIB_IPV6_UNICAST_AP	10
#define MANRS_MRT_RIB_IPV6_MULTICAST_AP	11
#define MANRS_MRT_RIB_GENERIC_AP	12

/* BGP4MP subtypes (RFC 6396 4.4, RFC 8050 section 3). */
#define MANRS_MRT_STATE_CHANGE		0
#define MANRS_MRT_MESSAGE		1
#define MANRS_MRT_MESSAGE_AS4		4
#define MANRS_MRT_STATE_CHANGE_AS4	5
#define MANRS_MRT_MESSAGE_LOCAL		6
#define MANRS_MRT_MESSAGE_AS4_LOCAL	7
#define MANRS_MRT_MESSAGE_AP		8
#define MANRS_MRT_MESSAGE_AS4_AP	9
#define MANRS_MRT_MESSAGE_LOCAL_AP	10
#define MANRS_MRT_MESSAGE_AS4_LOCAL_AP	11

/* Limits. */
#define MANRS_MRT_HEADER_LEN		12
#define MANRS_MRT_RECORD_MAX		(16u * 1024u * 1024u)	/* body bytes */
#define MANRS_MRT_VIEW_NAME_MAX		255

/* One record; body points into the reader's buffer. */
struct manrs_mrt_record {
	uint32_t	 ts;		/* seconds since the epoch */
	uint32_t	 usec;		/* BGP4MP_ET microseconds, else 0 */
	uint16_t	 type;
	uint16_t	 subtype;
	const uint8_t	*body;		/* after the (extended) header */
	size_t		 len;
	uint64_t	 offset;	/* of the header in the stream */
};

/* A TABLE_DUMP_V2 PEER_INDEX_TABLE entry. */
struct manrs_mrt_peer {
	uint8_t		 af;		/* MANRS_AF_INET / MANRS_AF_INET6 */
	uint8_t		 bgp_id[4];
	uint8_t		 addr[16];
	uint32_t	 asn;
};

struct manrs_mrt_reader;

/*
 * Open a file ("-" = stdin).  diag may be NULL.  NULL with *err set
 * (MANRS_E_IO: see errno) on failure.  The reader owns the input.
 */
MANRS_API struct manrs_mrt_reader *manrs_mrt_open(const char *path,
	    struct manrs_diag_sink *diag, int *err);
/* Read from an already open input; the reader takes ownership of it. */
MANRS_API struct manrs_mrt_reader *manrs_mrt_open_input(struct manrs_input *in,
	    struct manrs_diag_sink *diag, int *err);
MANRS_API void	manrs_mrt_close(struct manrs_mrt_reader *rd);
MANRS_API const char *manrs_mrt_name(const struct manrs_mrt_reader *rd);

/*
 * Next record: 1 (filled), 0 at the end (also after a truncated stream,
 * which is reported as a warning), or a negative error for an I/O or
 * decompression failure.  PEER_INDEX_TABLE records are also decoded into
 * the reader (see manrs_mrt_peers()).
 */
MANRS_API int	manrs_mrt_next(struct manrs_mrt_reader *rd,
	    struct manrs_mrt_record *rec);
/* The current peer index table (n = 0 before one was read). */
MANRS_API
const struct manrs_mrt_peer *manrs_mrt_peers(const struct manrs_mrt_reader *rd,
	    size_t *n);
/* Records read, and records skipped as undecodable. */
MANRS_API uint64_t manrs_mrt_records(const struct manrs_mrt_reader *rd);
MANRS_API uint64_t manrs_mrt_skipped(const struct manrs_mrt_reader *rd);
/*
 * Provenance of what was read so far (call at the end of the file):
 * records read and skipped, the first (earliest) and last (latest)
 * record time, and as data time the earliest record time (time_field
 * "first record"), else the mtime of p->path.  p's kind ("rib",
 * "updates") and path are the caller's (manrs_provenance_init).
 */
MANRS_API void	manrs_mrt_provenance(const struct manrs_mrt_reader *rd,
	    struct manrs_provenance *p);

/* TABLE_DUMP (v1) record (RFC 6396 section 4.2). */
struct manrs_mrt_td1 {
	uint16_t	 view;
	uint16_t	 seq;
	struct manrs_bgp_nlri prefix;
	uint8_t		 status;
	uint32_t	 originated;
	uint8_t		 peer_af;
	uint8_t		 peer_addr[16];
	uint32_t	 peer_as;
	const uint8_t	*attrs;
	size_t		 attrs_len;
};

MANRS_API int	manrs_mrt_td1_decode(const struct manrs_mrt_record *rec,
	    struct manrs_mrt_td1 *t);

/* TABLE_DUMP_V2 RIB record (RFC 6396 4.3.2 / 4.3.3, RFC 8050 section 4). */
struct manrs_mrt_rib {
	uint32_t	 seq;
	uint16_t	 afi;
	uint8_t		 safi;
	bool		 addpath;
	struct manrs_bgp_nlri prefix;	/* not valid for unparsed generic */
	uint16_t	 count;
	struct manrs_reader entries;
};

struct manrs_mrt_rib_entry {
	uint16_t	 peer_index;
	uint32_t	 originated;
	uint32_t	 path_id;
	const uint8_t	*attrs;
	size_t		 attrs_len;
};

/*
 * Decode a RIB_* record header.  MANRS_E_FORMAT for a subtype that is
 * not a RIB, or a RIB_GENERIC whose AFI/SAFI is not IPv4/IPv6
 * unicast/multicast.
 */
MANRS_API int	manrs_mrt_rib_decode(const struct manrs_mrt_record *rec,
	    struct manrs_mrt_rib *rib);
/* 1 with *e filled, 0 after the last entry, or MANRS_E_SHORT. */
MANRS_API int	manrs_mrt_rib_next(struct manrs_mrt_rib *rib,
	    struct manrs_mrt_rib_entry *e);

/* BGP4MP / BGP4MP_ET record (RFC 6396 4.4). */
struct manrs_mrt_bgp4mp {
	bool		 state_change;
	bool		 local;		/* *_LOCAL: a message we sent */
	bool		 addpath;
	uint8_t		 asn_size;
	uint32_t	 peer_as;
	uint32_t	 local_as;
	uint16_t	 ifindex;
	uint16_t	 afi;
	uint8_t		 peer_addr[16];
	uint8_t		 local_addr[16];
	uint16_t	 old_state;
	uint16_t	 new_state;
	const uint8_t	*msg;		/* whole BGP message (with header) */
	size_t		 msg_len;
};

MANRS_API int	manrs_mrt_bgp4mp_decode(const struct manrs_mrt_record *rec,
	    struct manrs_mrt_bgp4mp *m);

/*
 * Route iteration: one element per RIB entry, announced prefix,
 * withdrawn prefix or state change, in the order bgpdump prints them
 * (per UPDATE: IPv4 withdrawals, MP_UNREACH, IPv4 NLRI, MP_REACH).
 */
enum manrs_mrt_route_kind {
	MANRS_MRT_ROUTE_RIB,		/* TABLE_DUMP / TABLE_DUMP_V2 entry */
	MANRS_MRT_ROUTE_ANNOUNCE,
	MANRS_MRT_ROUTE_WITHDRAW,
	MANRS_MRT_ROUTE_STATE,
	MANRS_MRT_ROUTE_FILTERED,	/* a prefix the filter did not keep */
};

struct manrs_mrt_route {
	enum manrs_mrt_route_kind kind;
	const struct manrs_mrt_record *rec;
	uint8_t		 peer_af;
	uint8_t		 peer_addr[16];
	uint32_t	 peer_as;
	uint16_t	 peer_index;	/* TABLE_DUMP_V2 only: of the */
	uint32_t	 peer_table;	/* peer_table-th PEER_INDEX_TABLE */
	bool		 local;		/* BGP4MP *_LOCAL */
	bool		 addpath;
	uint16_t	 afi;
	uint8_t		 safi;
	struct manrs_bgp_nlri nlri;	/* prefix (bytes as sent) + path id */
	uint32_t	 originated;	/* RIB entries */
	const struct manrs_bgp_attrs *attrs;	/* NULL for withdrawals */
	const uint8_t	*nh;		/* next hop for this NLRI, or NULL */
	uint8_t		 nh_len;
	uint16_t	 old_state;	/* STATE */
	uint16_t	 new_state;
	int		 attr_err;	/* result of attribute decoding */
	uint64_t	 index;		/* bgpdump's packet index ("-p"):
					   records bgpdump decodes, from 0 */
	uint32_t	 count;		/* FILTERED: 0 for one route (with
					   its peer), n for a run of n RIB
					   entries of one record whose peers
					   all came before (no peer) */
};

struct manrs_mrt_routes;

/* Iterate over rd (borrowed).  NULL when out of memory. */
MANRS_API
struct manrs_mrt_routes *manrs_mrt_routes_new(struct manrs_mrt_reader *rd);
MANRS_API void	manrs_mrt_routes_free(struct manrs_mrt_routes *it);
/*
 * Only the routes of prefixes keep() accepts (e.g. one shard of a prefix
 * hash) are decoded: any other comes as MANRS_MRT_ROUTE_FILTERED with its
 * record, peer (and peer_index) and NLRI, attrs NULL and the other fields
 * unspecified; the attributes of such RIB entries are not decoded at all
 * (nor their problems reported).  The entries of a RIB record not kept
 * come one by one only where their peer is new to the stream (its
 * PEER_INDEX_TABLE); the others as runs (count > 0, no peer), so that a
 * reader that numbers peers as they appear sees every peer first where
 * it would have without the filter.  Announcements
 * and withdrawals of UPDATEs are filtered alike; state changes never.
 */
typedef bool	 manrs_mrt_keep_fn(void *arg, const struct manrs_bgp_nlri *n);
MANRS_API void	manrs_mrt_routes_filter(struct manrs_mrt_routes *it,
	    manrs_mrt_keep_fn *keep, void *arg);
/* 1 with *rt filled, 0 at the end, or a negative I/O error. */
MANRS_API int	manrs_mrt_route_next(struct manrs_mrt_routes *it,
	    struct manrs_mrt_route *rt);

/*
 * bgpdump 1.6.2 compatible one-line output ("bgpdump -m" / "-M"), and a
 * JSON object per route.  The text is appended to out.
 */
enum manrs_mrt_fmt {
	MANRS_MRT_FMT_M,	/* -m: unix timestamps, all fields */
	MANRS_MRT_FMT_MM,	/* -M: human timestamps, short lines */
	MANRS_MRT_FMT_JSON,	/* one JSON object per line */
};

struct manrs_mrt_print_opts {
	enum manrs_mrt_fmt fmt;
	bool		 time_change;	/* -t change: RIB originated time */
	bool		 large;		/* -l: large communities field */
	bool		 unknown;	/* -u: unknown attributes field */
	bool		 packet_index;	/* -p: bgpdump's packet index */
};

/*
 * A printer keeps per-attribute-set text between routes (routes of one
 * UPDATE or RIB entry share it).  NULL when out of memory.
 */
struct manrs_mrt_printer;

MANRS_API struct manrs_mrt_printer *manrs_mrt_printer_new(
	    const struct manrs_mrt_print_opts *o);
MANRS_API void	manrs_mrt_printer_free(struct manrs_mrt_printer *p);
/*
 * Append the line for rt to out (nothing for routes bgpdump does not
 * print).  0, or MANRS_E_NOMEM / MANRS_E_LIMIT.
 */
MANRS_API int	manrs_mrt_printer_route(struct manrs_mrt_printer *p,
	    struct manrs_buf *out, const struct manrs_mrt_route *rt);
/*
 * bgpdump's default multi-line format ("-H"): append the block for one
 * record (read from rd, whose peer index table it uses).  Records bgpdump
 * does not show append nothing.  0 or MANRS_E_NOMEM / MANRS_E_LIMIT.
 */
MANRS_API int	manrs_mrt_printer_record(struct manrs_mrt_printer *p,
	    struct manrs_buf *out, struct manrs_mrt_reader *rd,
	    const struct manrs_mrt_record *rec);
/*
 * IPv6 text exactly as bgpdump 1.6.2 writes it (its own fmt_ipv6(), not
 * inet_ntop()): RFC 5952 lower-case hex without leading zeros, but the
 * first longest run of zero groups is compressed even when it is a
 * single group, and IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible
 * (::a.b.c.d, other than :: and ::1) addresses keep the dotted quad.
 * buf needs MANRS_ADDR_STRLEN bytes; returns the length.
 */
MANRS_API size_t	manrs_mrt_ntop6(const uint8_t a[16], char *buf);

/*
 * Writer: TABLE_DUMP_V2 (PEER_INDEX_TABLE + RIB_IPV4/IPV6_UNICAST, with
 * or without ADD-PATH) and BGP4MP_ET (MESSAGE_AS4, STATE_CHANGE_AS4).
 * Records are built in memory and appended to a stdio stream (plain).
 */
struct manrs_mrt_writer;

MANRS_API struct manrs_mrt_writer *manrs_mrt_writer_new(FILE *fp, int *err);
/* Flushes; returns the first write error (0 when all went well). */
MANRS_API int	manrs_mrt_writer_free(struct manrs_mrt_writer *w);
/* PEER_INDEX_TABLE; peers are copied. */
MANRS_API
int	manrs_mrt_write_peer_index(struct manrs_mrt_writer *w, uint32_t ts,
	    const uint8_t collector_id[4], const char *view,
	    const struct manrs_mrt_peer *peers, size_t npeers);
/*
 * One RIB record for prefix p with n entries; attrs[i] (attrs_len[i]
 * bytes) are encoded path attributes (four-octet AS_PATH; for IPv6 an
 * abbreviated MP_REACH per RFC 6396 4.3.4).  path_ids may be NULL;
 * non-NULL selects the RFC 8050 ADD-PATH subtype.
 */
MANRS_API int	manrs_mrt_write_rib(struct manrs_mrt_writer *w, uint32_t ts,
	    uint32_t seq, const struct manrs_prefix *p, size_t n,
	    const uint16_t *peer_index, const uint32_t *originated,
	    const uint32_t *path_ids, const uint8_t *const *attrs,
	    const size_t *attrs_len);
/* BGP4MP_ET MESSAGE_AS4 (or _LOCAL) carrying the BGP message msg. */
MANRS_API int	manrs_mrt_write_message(struct manrs_mrt_writer *w, uint32_t ts,
	    uint32_t usec, bool local, uint32_t peer_as, uint32_t local_as,
	    uint8_t af, const uint8_t *peer_addr, const uint8_t *local_addr,
	    const uint8_t *msg, size_t msg_len);
/* BGP4MP_ET STATE_CHANGE_AS4. */
MANRS_API int	manrs_mrt_write_state(struct manrs_mrt_writer *w, uint32_t ts,
	    uint32_t usec, uint32_t peer_as, uint32_t local_as, uint8_t af,
	    const uint8_t *peer_addr, const uint8_t *local_addr,
	    uint16_t old_state, uint16_t new_state);

/*
 * Encoding helpers for writers and tests: a BGP UPDATE carrying one
 * IPv4 (plain NLRI) or IPv6 (MP_REACH/MP_UNREACH) prefix.  attrs are the
 * other path attributes, already encoded (no MP_* attributes).
 */
MANRS_API int	manrs_bgp_encode_update(struct manrs_buf *out, bool withdraw,
	    const struct manrs_prefix *p, uint32_t path_id, bool addpath,
	    const uint8_t *attrs, size_t attrs_len, const uint8_t *nh,
	    size_t nh_len);

/*
 * RIB view: a RIB dump plus update files applied in order.  AS paths
 * and attribute sets are interned (one copy per distinct value).
 */
struct manrs_mrt_rib_view;

struct manrs_rib_route {
	struct manrs_prefix prefix;
	uint32_t	 path_id;
	uint32_t	 peer_as;
	uint8_t		 peer_af;
	uint8_t		 peer_addr[16];
	uint32_t	 origin_as;	/* 0 when the path ends in a set */
	uint32_t	 last_change;
	const uint8_t	*aspath;	/* four-octet wire segments */
	size_t		 aspath_len;
	const uint8_t	*attrs;		/* interned attribute bytes */
	size_t		 attrs_len;
	uint8_t		 asn_size;	/* of attrs */
};

MANRS_API struct manrs_mrt_rib_view *manrs_mrt_rib_view_new(int *err);
MANRS_API void	manrs_mrt_rib_view_free(struct manrs_mrt_rib_view *v);
/* Apply every route of a file (RIB dump or updates). */
MANRS_API int	manrs_mrt_rib_view_load(struct manrs_mrt_rib_view *v,
	    const char *path, struct manrs_diag_sink *diag);
/* Apply one route from an iterator. */
MANRS_API int	manrs_mrt_rib_view_apply(struct manrs_mrt_rib_view *v,
	    const struct manrs_mrt_route *rt);
/* Current routes for exactly prefix p; fn returns non-zero to stop. */
MANRS_API int	manrs_mrt_rib_view_prefix(const struct manrs_mrt_rib_view *v,
	    const struct manrs_prefix *p,
	    int (*fn)(void *arg, const struct manrs_rib_route *r), void *arg);
/* Every current route whose origin is asn. */
MANRS_API int	manrs_mrt_rib_view_origin(const struct manrs_mrt_rib_view *v,
	    uint32_t asn,
	    int (*fn)(void *arg, const struct manrs_rib_route *r), void *arg);
/* Counts: routes, distinct prefixes, interned paths, bytes used. */
MANRS_API void	manrs_mrt_rib_view_stats(const struct manrs_mrt_rib_view *v,
	    size_t *routes, size_t *prefixes, size_t *paths, size_t *bytes);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_MRT_H */
