/*
 * manrs/sav.h - source address validation (MANRS Action 2; BCP 38 =
 * RFC 2827, BCP 84 = RFC 3704 and RFC 8704).
 *
 * A customer file (format in manrs(1), section "SAV CUSTOMER FILE")
 * describes the operator (ASN, own space, uplink interfaces) and its
 * customers (interface, single- or multi-homed, static prefixes, and
 * ASNs / AS-SETs for IRR expansion).  From it the library decides the
 * uRPF mode per interface, with the reason, and renders explicit-permit
 * ingress filters, an egress filter for the operator's edge, and uRPF
 * configuration for several router dialects.  Bogon sources (the special-
 * purpose table of manrs/bogon.h) are always dropped first.
 *
 * The library never prints: rendering appends to a struct manrs_buf.
 */
#ifndef MANRS_SAV_H
#define MANRS_SAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits of the customer-file parser. */
#define MANRS_SAV_LINE_MAX		1024	/* bytes per line */
#define MANRS_SAV_NAME_MAX		48	/* customer name, bytes */
#define MANRS_SAV_IFNAME_MAX		48	/* interface name, bytes */
#define MANRS_SAV_CUSTOMERS_MAX		16384
#define MANRS_SAV_PREFIXES_MAX		65536	/* per customer, and own */
#define MANRS_SAV_ORIGINS_MAX		256	/* ASNs + AS-SETs per customer */
#define MANRS_SAV_UPLINKS_MAX		64

enum manrs_sav_homing {
	MANRS_SAV_HOMING_UNSET = 0,
	MANRS_SAV_SINGLE,
	MANRS_SAV_MULTI,
};

enum manrs_sav_urpf {
	MANRS_SAV_URPF_AUTO = 0,	/* decide from homing */
	MANRS_SAV_URPF_STRICT,		/* RFC 3704 section 2.2 */
	MANRS_SAV_URPF_FEASIBLE,	/* RFC 3704 2.3 / RFC 8704 EFP-uRPF */
	MANRS_SAV_URPF_LOOSE,		/* RFC 3704 section 2.4 */
	MANRS_SAV_URPF_OFF,		/* ACL only */
};

/*
 * What to do with an address family in which a filter has no prefix to
 * permit: a customer with IPv4 prefixes only, say.  An explicit-permit
 * filter for that family would drop all of its traffic, so nothing is
 * rendered until the operator says which of the two is meant.
 */
enum manrs_sav_empty {
	MANRS_SAV_EMPTY_UNSET = 0,	/* not said: refused */
	MANRS_SAV_EMPTY_DROP,		/* filter every source of it */
	MANRS_SAV_EMPTY_OPEN,		/* no filter, no uRPF for it */
};

/* How one filter treats one address family. */
enum manrs_sav_fam {
	MANRS_SAV_FAM_PERMIT,		/* has prefixes: explicit permit */
	MANRS_SAV_FAM_DROP,		/* none; empty-family drop */
	MANRS_SAV_FAM_OPEN,		/* none; empty-family open */
	MANRS_SAV_FAM_UNSET,		/* none and no choice: refused */
};

struct manrs_sav_customer {
	char			 name[MANRS_SAV_NAME_MAX];
	char			 ifname[MANRS_SAV_IFNAME_MAX];
	enum manrs_sav_homing	 homing;
	enum manrs_sav_urpf	 urpf;		/* AUTO unless overridden */
	enum manrs_sav_empty	 empty;		/* "empty-family" line, or
						   UNSET: the file default */
	struct manrs_prefix	*prefixes;	/* static, then IRR-added */
	size_t			 nprefixes;
	uint32_t		*asns;		/* origin ASNs for the IRR */
	size_t			 nasns;
	char			**sets;		/* AS-SET names for the IRR */
	size_t			 nsets;
	uint64_t		 line;		/* where it was declared */
};

/* The parsed file.  Opaque; built once, then read. */
struct manrs_sav;

/* NULL when out of memory. */
MANRS_API struct manrs_sav *manrs_sav_new(int *err);
MANRS_API void	manrs_sav_free(struct manrs_sav *s);

/*
 * Read a customer file.  Every problem is reported to sink with file and
 * line; the return is 0, MANRS_E_SYNTAX when any line was bad,
 * MANRS_E_LIMIT when a named limit was passed, MANRS_E_NOMEM or an input
 * error.  After a non-zero return the object holds what was read so far
 * and must not be rendered.
 */
MANRS_API int	manrs_sav_read(struct manrs_sav *s, struct manrs_input *in,
	    struct manrs_diag_sink *sink);
/* Same, from memory (for tests and fuzzing). */
MANRS_API
int	manrs_sav_parse(struct manrs_sav *s, const char *text, size_t len,
	    const char *name, struct manrs_diag_sink *sink);
/*
 * Check the whole configuration: each customer has an interface and a
 * homing, interfaces are unique and not uplinks, every customer has at
 * least one prefix (after IRR expansion), no customer or own prefix lies
 * in or covers bogon space (SAV drops bogon sources first, so such a
 * prefix could never pass).  0 or MANRS_E_FORMAT (details to sink).
 */
MANRS_API int	manrs_sav_check(const struct manrs_sav *s, const char *file,
	    struct manrs_diag_sink *sink);

/*
 * The empty-family choice for customers without an "empty-family" line
 * of their own, and for the uplinks' egress filter (default UNSET).
 */
MANRS_API
void	manrs_sav_set_empty_family(struct manrs_sav *s, enum manrs_sav_empty e);
/* "drop", "open"; 0 or MANRS_E_NOTFOUND. */
MANRS_API
int	manrs_sav_empty_parse(const char *name, enum manrs_sav_empty *e);
MANRS_API const char *manrs_sav_empty_name(enum manrs_sav_empty e);
/*
 * How the filter of customer c (NULL: the uplinks' egress filter, own and
 * every customer's space) treats family af (MANRS_AF_INET or _INET6).
 */
MANRS_API enum manrs_sav_fam manrs_sav_family(const struct manrs_sav *s,
	    const struct manrs_sav_customer *c, uint8_t af);
/*
 * After manrs_sav_check(): refuse every filter that would be rendered
 * (flags: MANRS_SAV_NO_INGRESS, MANRS_SAV_NO_EGRESS) with a family
 * without prefixes and no empty-family choice, naming the customer (or
 * the uplinks) and the family.  0 or MANRS_E_FORMAT (details to sink).
 */
MANRS_API
int	manrs_sav_check_families(const struct manrs_sav *s, unsigned flags,
	    const char *file, struct manrs_diag_sink *sink);

MANRS_API size_t	manrs_sav_customer_count(const struct manrs_sav *s);
/* Borrowed; valid until manrs_sav_free. NULL past the end. */
MANRS_API
const struct manrs_sav_customer *manrs_sav_customer(const struct manrs_sav *s,
	    size_t i);
/*
 * Sort each customer's prefixes and the own prefixes, dropping duplicates
 * (manrs_sav_read does it; call it again after adding prefixes).
 */
MANRS_API void	manrs_sav_finish(struct manrs_sav *s);
/* Mutable access, to add IRR-expanded prefixes (then manrs_sav_finish).
 * The limit MANRS_SAV_PREFIXES_MAX counts prefixes before duplicates are
 * dropped. */
MANRS_API int	manrs_sav_customer_add_prefix(struct manrs_sav *s, size_t i,
	    const struct manrs_prefix *p);
MANRS_API uint32_t manrs_sav_operator_asn(const struct manrs_sav *s);
MANRS_API const struct manrs_prefix *manrs_sav_own(const struct manrs_sav *s,
	    size_t *count);
/* Uplink interface names (borrowed). */
MANRS_API const char *const *manrs_sav_uplinks(const struct manrs_sav *s,
	    size_t *count);

/* Output dialects. */
enum manrs_sav_dialect {
	MANRS_SAV_CISCO,	/* Cisco IOS / IOS-XE */
	MANRS_SAV_IOSXR,	/* Cisco IOS-XR */
	MANRS_SAV_JUNOS,	/* Juniper Junos, "set" commands */
	MANRS_SAV_EOS,		/* Arista EOS */
	MANRS_SAV_SROS,		/* Nokia SR OS, classic CLI */
	MANRS_SAV_NFT,		/* Linux nftables ruleset (nft -f) */
	MANRS_SAV_SYSCTL,	/* Linux rp_filter sysctl.d file */
	MANRS_SAV_SUMMARY,	/* tab-separated per-interface summary */
	MANRS_SAV_DIALECT_COUNT,
};

/* "cisco", "iosxr", "junos", "eos", "sros", "nft", "sysctl", "summary". */
MANRS_API
int	manrs_sav_dialect_parse(const char *name, enum manrs_sav_dialect *d);
MANRS_API const char *manrs_sav_dialect_name(enum manrs_sav_dialect d);

/*
 * The uRPF mode for a customer on a dialect, and why (a static string).
 * Single-homed -> strict; multi-homed -> feasible-path where the dialect
 * has it (Junos), else loose; an explicit "urpf" line in the file wins.
 */
MANRS_API
enum manrs_sav_urpf manrs_sav_urpf_mode(const struct manrs_sav_customer *c,
	    enum manrs_sav_dialect d, const char **reason);
MANRS_API const char *manrs_sav_urpf_name(enum manrs_sav_urpf m);

/* Render options. */
#define MANRS_SAV_NO_EGRESS	0x01	/* skip the egress filter */
#define MANRS_SAV_NO_INGRESS	0x02	/* skip the customer filters */

/*
 * Append the configuration in dialect d to out.  Call manrs_sav_check()
 * and manrs_sav_check_families() first.  Router ACL dialects and the nft
 * sets list each filter's prefixes aggregated (adjacent and covered
 * prefixes merged, the rules of aggregate(1), manrs/aggregate.h).
 * 0, MANRS_E_FORMAT when the dialect cannot express the input (e.g. a
 * Linux interface name longer than 15 bytes) or a family has no prefix
 * and no empty-family choice (*why gets a static explanation), or the
 * buffer's error.
 */
MANRS_API
int	manrs_sav_render(const struct manrs_sav *s, enum manrs_sav_dialect d,
	    unsigned flags, struct manrs_buf *out, const char **why);

/*
 * The maximal bogon source prefixes SAV drops, per family (af 4 or 6),
 * in address order.  Borrowed static storage via cb.
 */
MANRS_API int	manrs_sav_bogon_sources(uint8_t af,
	    int (*cb)(const struct manrs_prefix *p, void *arg), void *arg);


/*
 * Spoof probes (the engine of "manrs spoof-probe", like CAIDA's Spoofer
 * client): UDP datagrams whose source address is chosen per class, and
 * whose payload says who sent them, so a receiver can tell which classes
 * got through.  Payload (ASCII, one line):
 *   "MANRS-SPOOF/1 SESSION SEQ CLASS CLAIMED-SOURCE\n"
 * SESSION is 16 hex digits, SEQ decimal < 2^32, CLASS one of the names
 * below, CLAIMED-SOURCE the address the sender wrote into the IP header.
 */
#define MANRS_SAV_PROBE_MAGIC		"MANRS-SPOOF/1"
#define MANRS_SAV_PROBE_PAYLOAD_MAX	160	/* bytes */
#define MANRS_SAV_PROBE_PACKET_MAX	(40 + 8 + MANRS_SAV_PROBE_PAYLOAD_MAX)

enum manrs_sav_probe_class {
	MANRS_SAV_PROBE_LEGIT,		/* our own address: the control */
	MANRS_SAV_PROBE_PRIVATE,	/* 10.66.0.1 / fd00:6d61:6e72::1 */
	MANRS_SAV_PROBE_ROUTABLE,	/* another routable prefix */
	MANRS_SAV_PROBE_NEIGHBOUR,	/* neighbouring /24 (IPv4) or /48
					   (IPv6) in the same /16 or /32 */
	MANRS_SAV_PROBE_CLASS_COUNT,
};

struct manrs_sav_probe {
	uint64_t			session;
	uint32_t			seq;
	enum manrs_sav_probe_class	cls;
	struct manrs_prefix		claimed;	/* host prefix */
};

MANRS_API const char *manrs_sav_probe_class_name(enum manrs_sav_probe_class c);
/* Payload text into buf; returns its length, or 0 if it does not fit. */
MANRS_API
size_t	manrs_sav_probe_format(const struct manrs_sav_probe *p, char *buf,
	    size_t size);
/* Parse a received payload; 0, MANRS_E_SYNTAX or MANRS_E_LIMIT. */
MANRS_API int	manrs_sav_probe_parse(struct manrs_view payload,
	    struct manrs_sav_probe *p);
/*
 * The source address of class c for a sender whose own address is own
 * (a host prefix).  ROUTABLE: routable (if not NULL, its address) else a
 * non-bogon address outside own's /16 (IPv4) or /32 (IPv6).  0 or
 * MANRS_E_INVAL.
 */
MANRS_API int	manrs_sav_probe_source(enum manrs_sav_probe_class c,
	    const struct manrs_prefix *own, const struct manrs_prefix *routable,
	    struct manrs_prefix *out);
/*
 * A whole IPv4 (RFC 791) or IPv6 (RFC 8200) packet carrying one UDP
 * datagram (RFC 768, checksum per RFC 8200 section 8.1), for a raw
 * socket.  src and dst are host prefixes of one family.  Appends to out.
 */
MANRS_API int	manrs_sav_probe_packet(const struct manrs_prefix *src,
	    const struct manrs_prefix *dst, uint16_t sport, uint16_t dport,
	    const void *payload, size_t len, struct manrs_buf *out);
/*
 * One line of the receiver's answer to "RESULTS SESSION": "GOT SEQ ADDR"
 * (the address the datagram really came from).  0 or MANRS_E_SYNTAX.
 */
MANRS_API
int	manrs_sav_probe_result_parse(struct manrs_view line, uint32_t *seq,
	    struct manrs_prefix *from);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_SAV_H */
