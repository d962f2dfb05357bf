/*
 * sync_int.h - what the parts of `manrs sync` share: a planned file (job)
 * and the run (struct sync).  cmd_sync.c: the command, fetching,
 * committing, progress; sync_plan.c: sources, index pages, picking files
 * by --at and --window; sync_verify.c: format checks; sync_index.c and
 * sync_manifest.c: index pages and sync.json.
 */
#ifndef MANRS_SYNC_INT_H
#define MANRS_SYNC_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "fetch.h"
#include "sync.h"

#define SYNC_URLS_MAX		64
#define SYNC_COLLECTORS_MAX	64
#define SYNC_JOBS_MAX		64
#define SYNC_KEEP_MAX		1000
#define SYNC_JOBS_PLANNED_MAX	20000
#define SYNC_INDEX_MAX		(32u * 1024u * 1024u)	/* a page */
#define SYNC_PATH_MAX		4096

enum sum_algo { SUM_NONE, SUM_MD5, SUM_SHA256 };

struct job {
	char		 source[64];
	char		*url;
	char		 rel[SYNC_PATH_MAX];	/* under DIR */
	char		 dest[SYNC_PATH_MAX];
	char		 tmp[SYNC_PATH_MAX];
	enum sync_kind	 kind;
	int64_t		 name_time;	/* from the file name */
	char		*sum_url;
	enum sum_algo	 sum_algo;
	char		 sum_tmp[SYNC_PATH_MAX];
	char		 meta[SYNC_PATH_MAX];	/* resume validator */
	bool		 partial_kept;
	const char	*headers[FETCH_HEADERS_MAX];
	struct fetch_item it;
	struct fetch_item sum_it;
	/* Results. */
	bool		 failed;
	bool		 unchanged;
	char		 why[FETCH_ERR_MAX + 128];
	char		 sha256[65];
	int64_t		 data_time;
	const char	*time_field;
	uint64_t	 records;
	char		 checksum[FETCH_ERR_MAX];
};

struct url_override {
	char		*name;
	char		*url;
};

struct sync {
	const char	*dir;
	char		*only[64];
	int		 nonly;
	struct url_override urls[SYNC_URLS_MAX];
	int		 nurls;
	int64_t		 at;
	int64_t		 window;
	char		*collectors[SYNC_COLLECTORS_MAX];
	int		 ncollectors;
	int		 keep;
	bool		 dry_run;
	bool		 tty;
	struct fetch_opts fo;
	struct job	*jobs;
	size_t		 njobs, cap;
	struct sync_manifest man;
	char		 workdir[SYNC_PATH_MAX];	/* DIR/.sync */
	int		 nindex;
	int		 failures;
	char		 auth_header[512];
	bool		 peeringdb_key;
	time_t		 started;
	size_t		 ndone;
};

/* snprintf for paths: -1 (and an empty string) when it does not fit. */
int	sync_pathf(char *out, size_t size, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Is source name (or its group, "irr" for "irr.ripe") selected? */
bool	sync_selected(const struct sync *s, const char *name);
/* A plain name: no "/", not starting with ".", bounded. */
bool	sync_safe_name(const char *n);
/* A source name --only and --url take ("irr.NAME", "delegated.RIR" ...). */
bool	sync_known_source(const char *n);
/*
 * Plan every selected source into s->jobs (reading the folders' index
 * pages); failures are counted in s->failures after a message.
 */
void	sync_plan(struct sync *s);

#endif /* MANRS_SYNC_INT_H */
