/*
 * irr_load.h - "--source NAME=FILE[,FILE...]" arguments and building an
 * IRR database from them; shared by the subcommands that read the IRR.
 */
#ifndef MANRS_IRR_LOAD_H
#define MANRS_IRR_LOAD_H

#include <manrs/manrs.h>
#include <manrs/irrdb.h>

struct irr_sources {
	int	n;
	struct {
		char	*name;
		char	*files;		/* comma-separated */
	} src[MANRS_IRRDB_SOURCES_MAX];
	/*
	 * A "file" fetched into memory (irrd --source NAME=URL): mem()
	 * gives its body (RPSL, plain, gzip or bzip2), NULL for a file.
	 */
	const struct manrs_buf *(*mem)(void *arg, const char *file);
	void	*mem_arg;
	/*
	 * NULL, or irr_sources_load() appends each file's provenance
	 * (kind "irr", manrs_irrdb_provenance()) here.
	 */
	struct manrs_provenance_list *prov;
};

/*
 * Add one --source argument (NAME=FILE[,FILE...]; arg is modified and
 * kept).  Returns 0, or -1 after a message naming the problem.
 */
int	irr_sources_add(struct irr_sources *s, char *arg, const char *cmd);
/*
 * Load every source in order and finish.  NULL (and *err) on failure:
 * a file that cannot be read whole (MANRS_E_IO, MANRS_E_SHORT for a
 * truncated gzip/bzip2 file, MANRS_E_CORRUPT) or that yields no object
 * (MANRS_E_FORMAT: empty, garbage), reported to sink with the file.
 * After MANRS_E_IO, errno holds the system's reason when there is one.
 */
struct manrs_irrdb *irr_sources_load(const struct irr_sources *s,
	    struct manrs_diag_sink *sink, int *err);

/*
 * Reload sanity (DESIGN.md "a failed reload keeps the last good
 * snapshot and reports why").  A daemon loads the new database with
 * irr_sources_load() (FAILED when that returns NULL: read error, empty
 * or garbage file), then asks irr_reload_check() before swapping it in.
 */
#define IRR_MAX_SHRINK_DEFAULT	50	/* --max-shrink, percent */

enum irr_reload_verdict {
	IRR_RELOAD_OK = 0,	/* install the new database */
	IRR_RELOAD_FAILED,	/* the load failed (metric "read_error") */
	IRR_RELOAD_EMPTY,	/* a source that had objects has none */
	IRR_RELOAD_SHRINK,	/* a source lost more than max_shrink % */
	IRR_RELOAD_NREASONS
};

/*
 * Compare new_db with old_db (the one served; NULL: first load, always
 * OK) source by source.  A source that had objects and has none is
 * EMPTY; one with fewer objects by more than max_shrink percent of its
 * old count is SHRINK (max_shrink 100: no limit).  why (size bytes)
 * gets a sentence naming the source and the counts ("" when OK).
 */
enum irr_reload_verdict irr_reload_check(const struct manrs_irrdb *old_db,
	    const struct manrs_irrdb *new_db, unsigned max_shrink, char *why,
	    size_t size);
/* Metric label of a verdict: "ok", "read_error", "empty", "shrink". */
const char *irr_reload_reason_name(enum irr_reload_verdict v);
/* "--max-shrink PCT": 0..100, an optional "%".  0, or -1 when invalid. */
int	irr_max_shrink_parse(const char *arg, unsigned *out);

/* Refused reloads by reason, for the daemon's /metrics. */
struct irr_reload_stats {
	uint64_t	refused[IRR_RELOAD_NREASONS];
};
/* Count a refused reload (OK is not counted). */
void	irr_reload_count(struct irr_reload_stats *st,
	    enum irr_reload_verdict v);
/* manrs_irrd_reloads_refused_total{reason="..."} in Prometheus text. */
void	irr_reload_metrics(const struct irr_reload_stats *st,
	    struct manrs_buf *out);

#endif /* MANRS_IRR_LOAD_H */
