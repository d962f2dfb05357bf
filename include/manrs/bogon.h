/*
 * manrs/bogon.h - bogon prefixes and bogon ASNs.
 *
 * Special-purpose ("full") bogons come from the IANA IPv4 and IPv6
 * special-purpose address registries (RFC 6890 as updated by RFC 8190),
 * compiled into the library by scripts/gen-bogon-table.py.  An entry whose
 * "Globally Reachable" flag is True is not a bogon; when it lies inside a
 * bogon entry (2001:3::/32 AMT inside 2001::/23) it carves out an
 * exception.  "N/A" (Teredo, 6to4) and deprecated entries count as bogons
 * (see docs/bogon.md for the reasoning).  Multicast (224.0.0.0/4,
 * ff00::/8) is added from the multicast registries.
 *
 * Bogon ASNs: 0 (RFC 7607), 23456 (RFC 6793), 64496-64511 and
 * 65536-65551 (RFC 5398), 64512-65534 and 4200000000-4294967294
 * (RFC 6996), 65535 and 4294967295 (RFC 7300), 65552-131071 (reserved).
 *
 * Optionally, "administrative" (unallocated) bogons are loaded from an
 * RIR delegated(-extended) statistics file into a separate table: MANRS
 * scores only special-purpose bogons, so callers ask for those apart.
 */
#ifndef MANRS_BOGON_H
#define MANRS_BOGON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/prefix.h>
#include <manrs/provenance.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Registry flags of a special-purpose entry (RFC 6890 section 2.2.2). */
#define MANRS_BOGON_F_GLOBAL		0x01	/* Globally Reachable: True */
#define MANRS_BOGON_F_GLOBAL_NA		0x02	/* Globally Reachable: N/A */
#define MANRS_BOGON_F_SOURCE		0x04
#define MANRS_BOGON_F_DESTINATION	0x08
#define MANRS_BOGON_F_FORWARDABLE	0x10
#define MANRS_BOGON_F_RESERVED		0x20	/* Reserved-by-Protocol */
#define MANRS_BOGON_F_DEPRECATED	0x40	/* registry gives no flags */
#define MANRS_BOGON_F_SUPPLEMENT	0x80	/* not from the special-purpose
						   registries (multicast) */

/* One registry entry.  Static storage: never freed. */
struct manrs_bogon_entry {
	struct manrs_prefix	 prefix;
	unsigned		 flags;
	const char		*name;		/* registry "Name" */
	const char		*rfc;		/* "RFC 1918" / "RFC 8190, RFC 919" */
	const char		*registry;	/* IANA registry id */
};

/* True when the entry makes its space a bogon (not globally reachable). */
static inline bool
manrs_bogon_entry_is_bogon(const struct manrs_bogon_entry *e)
{
	return (e->flags & MANRS_BOGON_F_GLOBAL) == 0;
}

/* The compiled-in special-purpose table, registry order (IPv4 first). */
MANRS_API const struct manrs_bogon_entry *manrs_bogon_entries(size_t *count);

enum manrs_bogon_kind {
	MANRS_BOGON_NONE = 0,	/* not inside any bogon, covers none */
	MANRS_BOGON_INSIDE,	/* inside a bogon entry: a bogon */
	MANRS_BOGON_COVERS,	/* not inside one, but covers bogon space
				   (0.0.0.0/0, 10.0.0.0/7) */
	MANRS_BOGON_REACHABLE,	/* inside a globally reachable special-
				   purpose entry (and no bogon more specific
				   than it): not a bogon */
	MANRS_BOGON_UNALLOCATED, /* inside unallocated space (delegated
				   stats table only) */
};

struct manrs_bogon_match {
	enum manrs_bogon_kind		 kind;
	/* INSIDE/REACHABLE: the most specific entry covering the prefix;
	 * COVERS: the first (least specific, lowest) covered bogon entry;
	 * NONE/UNALLOCATED: NULL. */
	const struct manrs_bogon_entry	*entry;
};

/*
 * Classify p against the special-purpose table.  The most specific entry
 * covering p decides: not globally reachable -> INSIDE, globally reachable
 * -> REACHABLE.  With no covering entry, p is COVERS when it covers a
 * bogon entry, else NONE.  Host bits in p are ignored.
 */
MANRS_API void	manrs_bogon_prefix_check(const struct manrs_prefix *p,
	    struct manrs_bogon_match *m);

/*
 * Call cb for each bogon entry strictly covered by p that is not itself
 * inside another bogon entry covered by p (the maximal covered bogons),
 * in table order.  cb returns non-zero to stop; that value is returned.
 */
MANRS_API int	manrs_bogon_walk_covered(const struct manrs_prefix *p,
	    int (*cb)(const struct manrs_bogon_entry *e, void *arg),
	    void *arg);

/* A bogon ASN range. Static storage. */
struct manrs_bogon_asn {
	uint32_t	 first;
	uint32_t	 last;
	const char	*name;
	const char	*rfc;
};

/* The bogon ASN ranges, ascending. */
MANRS_API const struct manrs_bogon_asn *manrs_bogon_asns(size_t *count);
/* The range making asn a bogon, or NULL. */
MANRS_API const struct manrs_bogon_asn *manrs_bogon_asn_find(uint32_t asn);

/*
 * Administrative (unallocated) bogons from RIR delegated statistics
 * (https://www.nro.net/wp-content/uploads/nro-extended-stats-readme5.txt
 * format: "registry|cc|type|start|value|date|status[|opaque-id...]").
 * Records with status "available" or "reserved" become unallocated
 * space; adjacent records merge.  Opaque handle, built once then read.
 */
struct manrs_bogon_delegated;

/* Named limits of the delegated-stats reader. */
#define MANRS_BOGON_DELEG_LINE_MAX	1024
#define MANRS_BOGON_DELEG_FIELDS_MAX	16
#define MANRS_BOGON_DELEG_RECORDS_MAX	(4u * 1024u * 1024u)

/*
 * Read a delegated file (any number may be read into one table).  Bad
 * lines are reported to sink (file and line) and skipped; the return is 0,
 * MANRS_E_SYNTAX when any line was bad (the good ones are kept),
 * MANRS_E_LIMIT past MANRS_BOGON_DELEG_RECORDS_MAX, MANRS_E_NOMEM, or an
 * input error.
 */
MANRS_API struct manrs_bogon_delegated *manrs_bogon_delegated_new(int *err);
MANRS_API void	manrs_bogon_delegated_free(struct manrs_bogon_delegated *d);
MANRS_API int	manrs_bogon_delegated_read(struct manrs_bogon_delegated *d,
	    struct manrs_input *in, struct manrs_diag_sink *sink);
/* Parse one line (no newline); for tests and fuzzing.  0 also for lines
 * that are valid but carry no unallocated space (header, summary). */
MANRS_API
int	manrs_bogon_delegated_parse_line(struct manrs_bogon_delegated *d,
	    struct manrs_view line, const char *file, uint64_t lineno,
	    struct manrs_diag_sink *sink);
/* Sort and merge; called by the lookups when needed (idempotent). */
MANRS_API int	manrs_bogon_delegated_finish(struct manrs_bogon_delegated *d);
/* Unallocated ranges held (after merging), per family (0 = both). */
MANRS_API
size_t	manrs_bogon_delegated_count(struct manrs_bogon_delegated *d,
	    uint8_t af);
/* True when all of p lies in unallocated space; *registry (may be NULL)
 * then gets the registry named in the record, e.g. "ripencc" (borrowed;
 * valid until the table is freed).  Adjacent ranges merge only within one
 * registry. */
MANRS_API bool	manrs_bogon_delegated_prefix(struct manrs_bogon_delegated *d,
	    const struct manrs_prefix *p, const char **registry);
/* True when asn lies in unallocated space (*registry as above). */
MANRS_API bool	manrs_bogon_delegated_asn(struct manrs_bogon_delegated *d,
	    uint32_t asn, const char **registry);
/*
 * Provenance of the last file read: its lines (records, header and
 * summaries), bad lines skipped, and its data time: the end date of its
 * version line ("2|ripencc|serial|records|startdate|enddate|offset", at
 * 00:00 UTC), else the mtime of p->path.  p's kind and path are the
 * caller's (manrs_provenance_init).
 */
MANRS_API void	manrs_bogon_delegated_provenance(
	    const struct manrs_bogon_delegated *d, struct manrs_provenance *p);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_BOGON_H */
