/*
 * manrs/peeringdb.h - PeeringDB objects as its API returns them:
 * "net" (networks), "poc" (points of contact) and "netixlan" (IXP
 * ports), in files shaped {"data": [ {...}, ... ], "meta": {...}}.
 *
 * Files are read as a stream (yajl), never as a whole document, so a full
 * dump costs only the records kept.  The object type of each record is
 * recognised from its fields; "poc_set" arrays inside net objects (API
 * depth 2) are read as pocs of that net.
 */
#ifndef MANRS_PEERINGDB_H
#define MANRS_PEERINGDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/provenance.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Field limits: longer strings are cut (and reported). */
#define MANRS_PDB_STR_MAX	512
#define MANRS_PDB_FILE_MAX	(4ULL << 30)	/* bytes of JSON per file */

struct manrs_pdb_net {
	uint32_t	 id;
	uint32_t	 asn;
	const char	*name;
	const char	*irr_as_set;
	const char	*policy_general;	/* Open, Selective, ... */
	const char	*policy_url;
	const char	*info_type;
	uint32_t	 info_prefixes4;
	uint32_t	 info_prefixes6;
	const char	*updated;		/* ISO 8601 text */
};

struct manrs_pdb_poc {
	uint32_t	 id;
	uint32_t	 net_id;
	const char	*role;		/* Abuse, NOC, Policy, Technical, ... */
	const char	*name;
	const char	*email;
	const char	*phone;
	const char	*visible;	/* Public, Users, Private */
};

struct manrs_pdb_netixlan {
	uint32_t	 asn;
	uint32_t	 ix_id;
	uint32_t	 net_id;
	const char	*ipaddr4;
	const char	*ipaddr6;
	bool		 is_rs_peer;
};

struct manrs_peeringdb;

MANRS_API struct manrs_peeringdb *manrs_peeringdb_new(int *err);
MANRS_API void	manrs_peeringdb_free(struct manrs_peeringdb *db);
/*
 * Add the records of one file (plain, gzip or bzip2).  JSON errors are
 * reported with the byte offset; records before the error are kept.
 * Returns 0, MANRS_E_IO, MANRS_E_FORMAT (not PeeringDB JSON) or
 * MANRS_E_SYNTAX.
 */
MANRS_API
int	manrs_peeringdb_load(struct manrs_peeringdb *db, const char *path,
	    struct manrs_diag_sink *sink);
MANRS_API int	manrs_peeringdb_read(struct manrs_peeringdb *db,
	    struct manrs_input *in, struct manrs_diag_sink *sink);

/* The net of an ASN, or NULL.  Pointers stay valid until free. */
MANRS_API const struct manrs_pdb_net *manrs_peeringdb_net(
	    const struct manrs_peeringdb *db, uint32_t asn);
/* The pocs of a net id: *out points into the db; returns the count. */
MANRS_API size_t	manrs_peeringdb_pocs(const struct manrs_peeringdb *db,
	    uint32_t net_id, const struct manrs_pdb_poc **out);
/* The IXP ports of an ASN. */
MANRS_API
size_t	manrs_peeringdb_netixlans(const struct manrs_peeringdb *db,
	    uint32_t asn, const struct manrs_pdb_netixlan **out);
MANRS_API
size_t	manrs_peeringdb_net_count(const struct manrs_peeringdb *db);
MANRS_API
size_t	manrs_peeringdb_poc_count(const struct manrs_peeringdb *db);
MANRS_API
size_t	manrs_peeringdb_netixlan_count(const struct manrs_peeringdb *db);
/*
 * Data time (provenance): the newest "updated" (ISO 8601) of any record
 * read, over all reads / in the last read only; 0 = none carried one.
 */
MANRS_API
int64_t	manrs_peeringdb_updated(const struct manrs_peeringdb *db);
MANRS_API
int64_t	manrs_peeringdb_read_updated(const struct manrs_peeringdb *db);
/*
 * Provenance of the last file read: records kept (nets, pocs and
 * netixlans) and its data time, the newest "updated" among them (else
 * the mtime of p->path).  p's kind and path are the caller's.
 */
MANRS_API void	manrs_peeringdb_provenance(const struct manrs_peeringdb *db,
	    struct manrs_provenance *p);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_PEERINGDB_H */
