/*
 * manrs/db.h - a compiled snapshot of the finished IRR indexes, written
 * once and used in place after mmap(2) (docs/db.md has the format).
 *
 * A snapshot is a header (magic, format version, byte-order mark, build
 * time, a section table with a CRC-32 (zlib's) per section, and a
 * CRC-32 of the header itself), the provenance of every input, the
 * irrdb parts (manrs/irrdb.h) and the VRP set parts (manrs/vrp.h).  Opening checks the header, the
 * bounds and alignment of every section and then every index and offset
 * in the sections (manrs_irrdb_map) before anything is read through
 * them; it does not read the object text, so it costs far less than a
 * load.  manrs_db_verify() checks every section's CRC (manrs db check).
 *
 * An open snapshot is immutable: any number of threads may query it.
 */
#ifndef MANRS_DB_H
#define MANRS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <manrs/irrdb.h>
#include <manrs/provenance.h>
#include <manrs/vrp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_DB_VERSION	1
#define MANRS_DB_INPUTS_MAX	256
#define MANRS_DB_SECTIONS_MAX	64

/* One input of the snapshot: the IRR source (or "" for VRPs/SLURM). */
struct manrs_db_input {
	char			 source[MANRS_IRRDB_SOURCE_NAME_MAX];
	struct manrs_provenance	 prov;
};

/* What to write. */
struct manrs_db_contents {
	const struct manrs_irrdb	*irrdb;		/* finished, or NULL */
	const struct manrs_vrp_set	*vrps;		/* finished, or NULL */
	const struct manrs_db_input	*inputs;
	size_t				 ninputs;
	int64_t				 build_time;	/* Unix seconds */
};

/*
 * Write a snapshot to fp (seekable: the header is written last, at
 * offset 0).  0, MANRS_E_IO (errno set), MANRS_E_NOMEM, MANRS_E_INVAL,
 * MANRS_E_LIMIT (too many inputs).
 */
MANRS_API int	manrs_db_write(FILE *fp, const struct manrs_db_contents *c);

struct manrs_db;

/*
 * Map and open the snapshot at path.  NULL with *err (MANRS_E_IO with
 * errno, MANRS_E_FORMAT for a damaged or foreign file, MANRS_E_NOMEM)
 * and the reason in why.
 */
MANRS_API
struct manrs_db *manrs_db_open(const char *path, char *why, size_t whysize,
	    int *err);
/*
 * Open a snapshot held in memory (p 8-byte aligned, unchanged and alive
 * until manrs_db_close; not freed by it).  For tests and fuzzers.
 */
MANRS_API
struct manrs_db *manrs_db_open_mem(const void *p, size_t len, char *why,
	    size_t whysize, int *err);
/* Unmap and free; db may be NULL.  Databases from it become invalid. */
MANRS_API void	manrs_db_close(struct manrs_db *db);
/* Check every section's CRC-32: 0 or MANRS_E_FORMAT with why. */
MANRS_API
int	manrs_db_verify(const struct manrs_db *db, char *why, size_t whysize);

/* The VRP/ASPA/router-key set (owned by db; NULL: none in it). */
MANRS_API const struct manrs_vrp_set *manrs_db_vrps(const struct manrs_db *db);
/* The IRR database (owned by db; NULL when the snapshot has none). */
MANRS_API const struct manrs_irrdb *manrs_db_irrdb(const struct manrs_db *db);
/*
 * Hand the IRR database over together with the mapping: db is consumed
 * (do not close it) and manrs_irrdb_free() of the result unmaps the
 * file (a daemon's reference-counted snapshot owns just the irrdb).
 * NULL (db closed) when the snapshot has no IRR data.
 */
MANRS_API struct manrs_irrdb *manrs_db_take_irrdb(struct manrs_db *db);
/*
 * The same for the VRP set (for a daemon that frees the set it served
 * when the last RTR session lets go of it): db is consumed, and
 * manrs_vrp_set_free() of the result unmaps the file.  NULL (db closed)
 * when the snapshot has no VRPs.  Take one part only: the other part
 * of db is closed with it.
 */
MANRS_API struct manrs_vrp_set *manrs_db_take_vrps(struct manrs_db *db);
MANRS_API uint32_t manrs_db_version(const struct manrs_db *db);
MANRS_API int64_t	manrs_db_build_time(const struct manrs_db *db);
MANRS_API size_t	manrs_db_size(const struct manrs_db *db);
MANRS_API size_t	manrs_db_input_count(const struct manrs_db *db);
/* Input i copied to *in (strings NUL-terminated); MANRS_E_NOTFOUND. */
MANRS_API int	manrs_db_input(const struct manrs_db *db, size_t i,
	    struct manrs_db_input *in);

struct manrs_db_section_info {
	uint32_t	 id;
	const char	*name;		/* "PROV", "IRR_OBJS" ... */
	uint64_t	 offset;
	uint64_t	 length;
	uint32_t	 crc;
};
MANRS_API size_t	manrs_db_section_count(const struct manrs_db *db);
MANRS_API int	manrs_db_section(const struct manrs_db *db, size_t i,
	    struct manrs_db_section_info *info);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_DB_H */
