/*
 * sync.h - the pieces of `manrs sync` that others read or test: the
 * folder index-page parser, file-name times, and the DIR/sync.json
 * manifest (read by audit and observe for their provenance section).
 */
#ifndef MANRS_SYNC_H
#define MANRS_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/provenance.h>

#define SYNC_INDEX_NAMES_MAX	100000	/* links from one page */
#define SYNC_NAME_MAX		255
#define SYNC_MANIFEST_MAX	(64u * 1024u * 1024u)	/* bytes */
#define SYNC_MANIFEST_FILES_MAX	100000

/*
 * The file names an index page links to (Apache / nginx / lighttpd
 * autoindex: href="NAME"), each a plain name in that folder: no query,
 * fragment, scheme, absolute path or "..", no sub-folder; percent and
 * &amp; escapes decoded; duplicates dropped; in page order.  *names is
 * a malloc'ed array of malloc'ed strings (sync_index_free).  0, or -1
 * when out of memory or past SYNC_INDEX_NAMES_MAX.
 */
int	sync_index_parse(const char *html, size_t len, char ***names,
	    size_t *n);
void	sync_index_free(char **names, size_t n);

/*
 * The time in a name PREFIX YYYYMMDD[.HHMM[SS]]..., UTC ("bview.",
 * "updates.", "rib.", or "" for CAIDA's "20240101.as-rel2.txt.bz2").
 * -1 when name has no such time.
 */
int64_t	sync_name_time(const char *name, const char *prefix);

/* What a downloaded file must be (sync_verify.c). */
enum sync_kind {
	SYNC_K_MRT_RIB, SYNC_K_MRT_UPDATES, SYNC_K_VRP, SYNC_K_RPSL,
	SYNC_K_ASREL, SYNC_K_PDB, SYNC_K_DELEG, SYNC_K_IANA, SYNC_K_BOGONS,
	SYNC_K_SPOOFER,
};

struct sync_verified {
	uint64_t	 records;	/* what the reader took */
	int64_t		 data_time;	/* from the content; 0 none */
	const char	*time_field;	/* static: "buildtime" ... */
};

/*
 * Read path whole as kind: full decompression, then the format with the
 * project's reader.  0 and *v, or -1 with why (size bytes) saying what
 * is wrong (with the line or byte where the reader says it).
 */
int	sync_verify(const char *path, enum sync_kind kind,
	    struct sync_verified *v, char *why, size_t size);
/* "MRT RIB", "RPSL" ... */
const char *sync_kind_name(enum sync_kind kind);

/* One file sync wrote (paths relative to the data directory). */
struct sync_entry {
	char		*path;
	char		*source;	/* "ris", "irr.ripe" ... */
	char		*url;
	char		*etag;		/* NULL: none */
	int64_t		 last_modified;	/* 0: none */
	int64_t		 fetched;	/* last confirmed current */
	int64_t		 changed;	/* this content arrived */
	uint64_t	 size;
	char		 sha256[65];	/* hex */
	int64_t		 data_time;	/* 0: unknown */
	char		*time_field;	/* where data_time came from */
	char		*checksum;	/* "md5 URL" checked; NULL */
};

struct sync_manifest {
	struct sync_entry	*v;
	size_t			 n, cap;
	int64_t			 synced;	/* last run */
	/* PeeringDB: "api-key" or "public" (contacts not visible). */
	char			*peeringdb_access;
};

void	sync_manifest_init(struct sync_manifest *m);
void	sync_manifest_clear(struct sync_manifest *m);
/*
 * Read path (an absent file is an empty manifest).  0, or -1 with a
 * message in err.
 */
int	sync_manifest_load(struct sync_manifest *m, const char *path,
	    char *err, size_t errlen);
/*
 * The same from memory: buf[0..len) (not NUL-terminated, at most
 * SYNC_MANIFEST_MAX bytes), name for the messages.  Entries are added
 * to (or replace those of) m.  0, or -1 with a message in err.
 */
int	sync_manifest_parse(struct sync_manifest *m, const char *buf,
	    size_t len, const char *name, char *err, size_t errlen);
/*
 * The text sync_manifest_save writes, files sorted by path: *out is
 * malloc'ed and NUL-terminated, *len without the NUL.  0, or -1 (memory).
 */
int	sync_manifest_print(const struct sync_manifest *m, char **out,
	    size_t *len);
/* Write atomically (temporary file in the same folder, then rename). */
int	sync_manifest_save(const struct sync_manifest *m, const char *path,
	    char *err, size_t errlen);
struct sync_entry *sync_manifest_find(struct sync_manifest *m,
	    const char *path);
/* Add or replace (by path) a deep copy of e.  0 or -1 (memory). */
int	sync_manifest_set(struct sync_manifest *m,
	    const struct sync_entry *e);
void	sync_manifest_del(struct sync_manifest *m, const char *path);

/*
 * For audit/observe: when data_dir has a sync.json, fill url, fetched
 * and sha256 of every input of prov it lists (paths matched as
 * data_dir/PATH), and add warnings: a file whose size changed since
 * sync fetched it, PeeringDB fetched without an API key (contacts not
 * marked public unseen), a manifest that cannot be read.  Returns the
 * count of inputs annotated.
 */
size_t	sync_provenance_annotate(const char *data_dir,
	    struct manrs_provenance_list *prov);

#endif /* MANRS_SYNC_H */
