/*
 * manrs/bmp.h - BGP Monitoring Protocol messages, decoded in place
 * (sans-I/O: the caller brings the bytes, nothing here owns a socket).
 *
 * Standards: RFC 7854 (BMP: common header, per-peer header, Route
 * Monitoring, Statistics Report, Peer Down, Peer Up, Initiation,
 * Termination, Route Mirroring), RFC 9069 (Loc-RIB peer type 3 and its
 * F flag), RFC 8671 (Adj-RIB-Out: the O flag of the per-peer header).
 *
 * A struct manrs_bmp_msg is a view: every pointer in it points into the
 * caller's message bytes.  Every length is checked through struct
 * manrs_reader before it is used; the BGP PDU carried by Route
 * Monitoring is handed to the BGP decoder (manrs/bgp.h).
 *
 * For a byte stream (a TCP connection from a router), struct
 * manrs_bmp_stream buffers bytes up to MANRS_BMP_MSG_MAX and yields one
 * complete message at a time.
 */
#ifndef MANRS_BMP_H
#define MANRS_BMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/bgp.h>
#include <manrs/prefix.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_BMP_VERSION		3	/* RFC 7854 section 4.1 */
#define MANRS_BMP_COMMON_LEN		6
#define MANRS_BMP_PEER_LEN		42	/* per-peer header */
/* Largest message accepted: a Peer Up with two extended OPENs and TLVs. */
#define MANRS_BMP_MSG_MAX		(1024u * 1024u)

/* Message types (RFC 7854 section 4.1). */
#define MANRS_BMP_ROUTE_MONITORING	0
#define MANRS_BMP_STATS_REPORT		1
#define MANRS_BMP_PEER_DOWN		2
#define MANRS_BMP_PEER_UP		3
#define MANRS_BMP_INITIATION		4
#define MANRS_BMP_TERMINATION		5
#define MANRS_BMP_ROUTE_MIRRORING	6

/* Peer types (RFC 7854 section 4.2, RFC 9069 section 4.1). */
#define MANRS_BMP_PEER_GLOBAL		0
#define MANRS_BMP_PEER_RD		1
#define MANRS_BMP_PEER_LOCAL		2
#define MANRS_BMP_PEER_LOC_RIB		3

/* Peer flags (RFC 7854 section 4.2, RFC 8671 section 4, RFC 9069 4.2). */
#define MANRS_BMP_FLAG_V		0x80	/* IPv6 peer address */
#define MANRS_BMP_FLAG_L		0x40	/* post-policy */
#define MANRS_BMP_FLAG_A		0x20	/* legacy 2-octet AS_PATH */
#define MANRS_BMP_FLAG_O		0x10	/* Adj-RIB-Out (RFC 8671) */
#define MANRS_BMP_FLAG_F		0x80	/* Loc-RIB filtered, RFC 9069 */

/* Information TLV types (RFC 7854 section 4.4, RFC 9069 section 5.3). */
#define MANRS_BMP_INFO_STRING		0
#define MANRS_BMP_INFO_SYSDESCR		1
#define MANRS_BMP_INFO_SYSNAME		2
#define MANRS_BMP_INFO_VRF_NAME		3	/* RFC 9069 */
/* Termination reason TLV type (RFC 7854 section 4.5). */
#define MANRS_BMP_TERM_REASON		1

/* Peer Down reasons (RFC 7854 section 4.9, RFC 9069 section 5.5). */
#define MANRS_BMP_DOWN_LOCAL_NOTIFY	1
#define MANRS_BMP_DOWN_LOCAL_FSM	2
#define MANRS_BMP_DOWN_REMOTE_NOTIFY	3
#define MANRS_BMP_DOWN_REMOTE_NODATA	4
#define MANRS_BMP_DOWN_DECONFIGURED	5

/* The per-peer header (RFC 7854 section 4.2). */
struct manrs_bmp_peer {
	uint8_t		 type;		/* MANRS_BMP_PEER_* */
	uint8_t		 flags;
	uint8_t		 rd[8];		/* peer distinguisher */
	uint8_t		 af;		/* MANRS_AF_INET / MANRS_AF_INET6 */
	uint8_t		 addr[16];	/* IPv4 in the first 4 bytes */
	uint32_t	 asn;
	uint8_t		 bgp_id[4];
	uint32_t	 ts_sec;
	uint32_t	 ts_usec;
};

/* One decoded message; pointers point into the caller's bytes. */
struct manrs_bmp_msg {
	uint8_t		 type;
	uint32_t	 len;		/* whole message, common header incl. */
	bool		 has_peer;	/* types 0, 1, 2, 3, 6 */
	struct manrs_bmp_peer peer;

	/* Route Monitoring: the UPDATE, split (RFC 4271 section 4.3). */
	const uint8_t	*bgp;		/* whole BGP PDU, header included */
	size_t		 bgp_len;
	struct manrs_bgp_update update;
	uint8_t		 asn_size;	/* 2 with the A flag, else 4 */
	bool		 post_policy;	/* L flag */
	bool		 adj_rib_out;	/* O flag (RFC 8671) */
	bool		 loc_rib;	/* peer type 3 (RFC 9069) */
	bool		 filtered;	/* Loc-RIB F flag */

	/* Peer Up (RFC 7854 section 4.10). */
	uint8_t		 local_addr[16];
	uint16_t	 local_port;
	uint16_t	 remote_port;
	const uint8_t	*sent_open;	/* whole BGP OPEN PDUs */
	size_t		 sent_open_len;
	const uint8_t	*recv_open;
	size_t		 recv_open_len;

	/* Peer Down (RFC 7854 section 4.9). */
	uint8_t		 down_reason;
	const uint8_t	*down_data;	/* NOTIFICATION PDU, FSM code, ... */
	size_t		 down_data_len;

	/* Statistics Report (section 4.8): count then stat TLVs. */
	uint32_t	 stats_count;

	/*
	 * TLVs: Initiation / Termination / Peer Up information TLVs, or
	 * the Statistics Report's counters (read with the iterators).
	 */
	const uint8_t	*tlvs;
	size_t		 tlvs_len;
};

/*
 * Length of the message that starts at p[0..len): 0 with *msg_len set
 * when the common header is there (the message may not be complete yet),
 * MANRS_E_SHORT when fewer than 6 bytes are available, MANRS_E_FORMAT
 * for a version other than 3 or a length below the common header,
 * MANRS_E_LIMIT for a length above MANRS_BMP_MSG_MAX.
 */
MANRS_API
int	manrs_bmp_msg_length(const uint8_t *p, size_t len, size_t *msg_len);

/*
 * Decode one whole message p[0..len) (len as the common header says).
 * Returns 0, or MANRS_E_FORMAT (bad version, unknown message type, a
 * Route Monitoring PDU that is not an UPDATE, a bad BGP marker, a peer
 * type unknown to RFC 7854/9069), MANRS_E_SHORT (a declared length runs
 * past the end), MANRS_E_TRAILING (bytes after the BGP PDU of a Route
 * Monitoring message).  *bad_off (may be NULL) gets the byte offset of
 * the problem in p.
 */
MANRS_API int	manrs_bmp_decode(const uint8_t *p, size_t len,
	    struct manrs_bmp_msg *m, size_t *bad_off);

/* An information TLV (Initiation, Termination, Peer Up). */
struct manrs_bmp_tlv {
	uint16_t	 type;
	uint16_t	 len;
	const uint8_t	*value;
};

/* Iterate over m->tlvs: init, then next until it returns 0. */
MANRS_API void	manrs_bmp_tlv_init(struct manrs_reader *r,
	    const struct manrs_bmp_msg *m);
/* 1 with *t filled, 0 at the end, MANRS_E_SHORT for a cut TLV. */
MANRS_API
int	manrs_bmp_tlv_next(struct manrs_reader *r, struct manrs_bmp_tlv *t);

/* A statistics counter (RFC 7854 section 4.8): 32- or 64-bit gauges. */
struct manrs_bmp_stat {
	uint16_t	 type;
	uint16_t	 len;
	uint64_t	 value;		/* valid when len is 4 or 8 */
	const uint8_t	*raw;		/* other lengths: the bytes */
};

/* 1 with *s filled, 0 at the end, MANRS_E_SHORT for a cut counter. */
MANRS_API
int	manrs_bmp_stat_next(struct manrs_reader *r, struct manrs_bmp_stat *s);

/* Names for logs: "route-monitoring", "peer-up", ...; "unknown". */
MANRS_API const char *manrs_bmp_type_name(unsigned type);

/*
 * A byte stream framer.  Feed bytes as they arrive; take complete
 * messages with manrs_bmp_stream_next().  The stream owns a buffer of at
 * most MANRS_BMP_MSG_MAX + the bytes of one read.
 */
struct manrs_bmp_stream;

MANRS_API struct manrs_bmp_stream *manrs_bmp_stream_new(void);
MANRS_API void	manrs_bmp_stream_free(struct manrs_bmp_stream *s);
/* Append n bytes.  MANRS_E_NOMEM, or MANRS_E_LIMIT past the cap. */
MANRS_API int	manrs_bmp_stream_feed(struct manrs_bmp_stream *s, const void *p,
	    size_t n);
/*
 * 1 with *m decoded (valid until the next call), 0 when more bytes are
 * needed, or a negative error: a framing error (bad version, length over
 * the limit) is fatal for the stream, since nothing after it can be
 * trusted; a message that frames but does not decode returns its error
 * once and the stream goes on with the next message.  *off gets the
 * stream offset of the message.
 */
MANRS_API int	manrs_bmp_stream_next(struct manrs_bmp_stream *s,
	    struct manrs_bmp_msg *m, uint64_t *off);
/* Bytes buffered but not yet consumed. */
MANRS_API
size_t	manrs_bmp_stream_pending(const struct manrs_bmp_stream *s);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_BMP_H */
