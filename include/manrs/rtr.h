/*
 * manrs/rtr.h - the RPKI-to-Router protocol, cache side: PDU codec for
 * versions 0 (RFC 6810), 1 (RFC 8210) and 2 (draft-ietf-sidrops-8210bis,
 * with the ASPA PDU of 12 + 4n bytes), a cache holding the current
 * snapshot plus the deltas of recent serials, and a per-connection
 * session state machine.  Bytes in, bytes out: no sockets here.
 *
 * Ownership: a cache owns its snapshots (each a finished manrs_vrp_set,
 * reference counted); a session borrows the cache and holds references
 * to the snapshot/delta it is streaming, so swapping in a new snapshot
 * never tears a response in progress.  Single-threaded: a cache and its
 * sessions are used from one thread (the daemon's event loop).
 */
#ifndef MANRS_RTR_H
#define MANRS_RTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>
#include <manrs/vrp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_RTR_VERSION_MAX	2

enum manrs_rtr_pdu_type {
	MANRS_RTR_SERIAL_NOTIFY = 0,
	MANRS_RTR_SERIAL_QUERY = 1,
	MANRS_RTR_RESET_QUERY = 2,
	MANRS_RTR_CACHE_RESPONSE = 3,
	MANRS_RTR_IPV4_PREFIX = 4,
	MANRS_RTR_IPV6_PREFIX = 6,
	MANRS_RTR_END_OF_DATA = 7,
	MANRS_RTR_CACHE_RESET = 8,
	MANRS_RTR_ROUTER_KEY = 9,
	MANRS_RTR_ERROR_REPORT = 10,
	MANRS_RTR_ASPA = 11,
};

enum manrs_rtr_error {
	MANRS_RTR_ERR_CORRUPT = 0,
	MANRS_RTR_ERR_INTERNAL = 1,
	MANRS_RTR_ERR_NO_DATA = 2,
	MANRS_RTR_ERR_INVALID_REQUEST = 3,
	MANRS_RTR_ERR_UNSUP_VERSION = 4,
	MANRS_RTR_ERR_UNSUP_PDU = 5,
	MANRS_RTR_ERR_UNKNOWN_WITHDRAW = 6,
	MANRS_RTR_ERR_DUPLICATE = 7,
	MANRS_RTR_ERR_UNEXPECTED_VERSION = 8,
	MANRS_RTR_ERR_ASPA_PROVIDER_LIST = 9,
};

/* Named limits. */
#define MANRS_RTR_HDR_LEN	8
#define MANRS_RTR_PDU_MAX	(64u * 1024u)	/* largest PDU accepted */
#define MANRS_RTR_ERROR_TEXT_MAX 1024u		/* error text we keep */
#define MANRS_RTR_DELTAS_MAX	32u		/* serials kept for deltas */

/* Timer ranges, RFC 8210 section 6. */
#define MANRS_RTR_REFRESH_MIN	1u
#define MANRS_RTR_REFRESH_MAX	86400u
#define MANRS_RTR_RETRY_MIN	1u
#define MANRS_RTR_RETRY_MAX	7200u
#define MANRS_RTR_EXPIRE_MIN	600u
#define MANRS_RTR_EXPIRE_MAX	172800u

#define MANRS_RTR_FLAG_ANNOUNCE	0x01

/* A decoded PDU; pointers point into the decoded buffer. */
struct manrs_rtr_pdu {
	uint8_t		 version;
	uint8_t		 type;
	uint16_t	 session;	/* session id / error code / flags */
	uint32_t	 length;
	uint32_t	 serial;
	uint32_t	 refresh, retry, expire;	/* End of Data v1+ */
	uint8_t		 flags;
	struct manrs_vrp vrp;		/* prefix PDUs */
	uint8_t		 ski[20];	/* router key */
	uint32_t	 asn;		/* router key / ASPA customer */
	const uint8_t	*spki;
	size_t		 spki_len;
	const uint8_t	*providers;	/* ASPA: n big-endian u32 */
	size_t		 nproviders;
	const uint8_t	*encap;		/* error report: erroneous PDU */
	size_t		 encap_len;
	const uint8_t	*text;		/* error report: text (not NUL-ended) */
	size_t		 text_len;
};

/*
 * Decode one PDU from the start of p[len].  Returns the PDU length (>0)
 * when a whole PDU was decoded into *out; 0 when more bytes are needed;
 * or a negative error with *rtr_err set to the Error Report code to
 * send (MANRS_RTR_ERR_CORRUPT for bad lengths, _UNSUP_PDU for an unknown
 * type, _UNSUP_VERSION for a version above MANRS_RTR_VERSION_MAX).
 */
MANRS_API ptrdiff_t manrs_rtr_pdu_decode(const uint8_t *p, size_t len,
	    struct manrs_rtr_pdu *out, int *rtr_err);

/* Encoders append one PDU to b (sticky errors in b->err). */
MANRS_API void	manrs_rtr_encode_serial_notify(struct manrs_buf *b, uint8_t ver,
	    uint16_t session, uint32_t serial);
MANRS_API void	manrs_rtr_encode_serial_query(struct manrs_buf *b, uint8_t ver,
	    uint16_t session, uint32_t serial);
MANRS_API void	manrs_rtr_encode_reset_query(struct manrs_buf *b, uint8_t ver);
MANRS_API
void	manrs_rtr_encode_cache_response(struct manrs_buf *b, uint8_t ver,
	    uint16_t session);
MANRS_API void	manrs_rtr_encode_prefix(struct manrs_buf *b, uint8_t ver,
	    uint8_t flags, const struct manrs_vrp *v);
MANRS_API void	manrs_rtr_encode_end_of_data(struct manrs_buf *b, uint8_t ver,
	    uint16_t session, uint32_t serial, uint32_t refresh,
	    uint32_t retry, uint32_t expire);
MANRS_API void	manrs_rtr_encode_cache_reset(struct manrs_buf *b, uint8_t ver);
MANRS_API void	manrs_rtr_encode_router_key(struct manrs_buf *b, uint8_t ver,
	    uint8_t flags, const struct manrs_rkey *k);
MANRS_API
void	manrs_rtr_encode_aspa(struct manrs_buf *b, uint8_t ver, uint8_t flags,
	    uint32_t customer, const uint32_t *providers, size_t n);
MANRS_API void	manrs_rtr_encode_error(struct manrs_buf *b, uint8_t ver,
	    uint16_t code, const uint8_t *pdu, size_t pdu_len,
	    const char *text);

/* RFC 1982 serial arithmetic (SERIAL_BITS = 32): a < b. */
MANRS_API bool	manrs_rtr_serial_lt(uint32_t a, uint32_t b);

MANRS_API const char *manrs_rtr_error_name(unsigned code);
MANRS_API const char *manrs_rtr_pdu_name(unsigned type);

/*
 * The cache: current snapshot, serial, session id, timers, deltas.
 */
struct manrs_rtr_cache;

struct manrs_rtr_config {
	uint16_t	session_id;	/* 0 = random */
	uint32_t	serial;		/* first serial; 0 = random start ok */
	uint32_t	refresh, retry, expire;	/* 0 = 3600 / 600 / 7200 */
	uint8_t		max_version;	/* highest offered, 0..2 (above: 2) */
	unsigned	deltas;		/* history kept; 0 = 16 */
};

/* NULL with *err (MANRS_E_RANGE for timers outside RFC 8210 sec. 6). */
MANRS_API
struct manrs_rtr_cache *manrs_rtr_cache_new(const struct manrs_rtr_config *c,
	    int *err);
MANRS_API void	manrs_rtr_cache_free(struct manrs_rtr_cache *c);
/*
 * Install a finished set as the new snapshot (the cache takes ownership,
 * also on failure).  When a snapshot existed and the data differ, the
 * serial is incremented and a delta recorded; *changed (may be NULL)
 * tells whether it did.  On error the old snapshot stays.
 */
MANRS_API int	manrs_rtr_cache_update(struct manrs_rtr_cache *c,
	    struct manrs_vrp_set *set, bool *changed);
MANRS_API bool	manrs_rtr_cache_ready(const struct manrs_rtr_cache *c);
MANRS_API uint32_t manrs_rtr_cache_serial(const struct manrs_rtr_cache *c);
MANRS_API uint16_t manrs_rtr_cache_session_id(const struct manrs_rtr_cache *c);
MANRS_API const struct manrs_vrp_set *manrs_rtr_cache_set(
	    const struct manrs_rtr_cache *c);
/* Number of serials for which a delta can be served. */
MANRS_API size_t	manrs_rtr_cache_deltas(const struct manrs_rtr_cache *c);

/*
 * A session: one router connection.  Feed it the bytes read from the
 * socket; drain the bytes to write.  After an error it wants to close
 * (manrs_rtr_session_closing) once its output is written.
 */
struct manrs_rtr_session;

MANRS_API
struct manrs_rtr_session *manrs_rtr_session_new(struct manrs_rtr_cache *c);
MANRS_API void	manrs_rtr_session_free(struct manrs_rtr_session *s);
/*
 * Consume bytes from the router.  Returns 0, or a negative error when the
 * session must be closed (after its queued output, e.g. an Error
 * Report, is written).  Bytes of an incomplete PDU are kept (bounded by
 * MANRS_RTR_PDU_MAX).
 */
MANRS_API
int	manrs_rtr_session_input(struct manrs_rtr_session *s, const void *p,
	    size_t len);
/*
 * Append up to about max bytes of pending output to out (PDUs are
 * generated lazily from the snapshot, so a full sync of a million VRPs
 * never sits in memory).  Returns the bytes appended (0 = nothing).
 */
MANRS_API size_t	manrs_rtr_session_drain(struct manrs_rtr_session *s,
	    struct manrs_buf *out, size_t max);
MANRS_API bool	manrs_rtr_session_pending(const struct manrs_rtr_session *s);
MANRS_API bool	manrs_rtr_session_closing(const struct manrs_rtr_session *s);
/* Queue a Serial Notify when the router has synced before and is idle. */
MANRS_API void	manrs_rtr_session_notify(struct manrs_rtr_session *s);
/* Negotiated version, or -1 before the first PDU. */
MANRS_API int	manrs_rtr_session_version(const struct manrs_rtr_session *s);
/* Why the session ends (static text), or NULL. */
MANRS_API
const char *manrs_rtr_session_reason(const struct manrs_rtr_session *s);
/* The serial the router last got (valid after one End of Data). */
MANRS_API bool	manrs_rtr_session_synced(const struct manrs_rtr_session *s,
	    uint32_t *serial);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_RTR_H */
