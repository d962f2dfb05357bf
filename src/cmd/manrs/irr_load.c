/*
 * irr_load.c - IRR sources from the command line, and the sanity check a
 * daemon applies before it replaces the database it serves.
 *
 * A load fails on any read error and on a file that yields no object, so
 * a truncated download, an empty file or a wrong path never becomes "0
 * objects".  irr_reload_check() then compares a reloaded database with
 * the served one per source: a source that had objects and has none, or
 * shrank by more than the allowed share, keeps the old data (as IRRd
 * keeps its last good import).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "irr_load.h"

int
irr_sources_add(struct irr_sources *s, char *arg, const char *cmd)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || eq[1] == '\0') {
		cli_warnx("%s: --source wants NAME=FILE[,FILE...]: %s", cmd,
		    arg);
		return -1;
	}
	if (s->n == MANRS_IRRDB_SOURCES_MAX) {
		cli_warnx("%s: more than %d sources", cmd,
		    MANRS_IRRDB_SOURCES_MAX);
		return -1;
	}
	*eq = '\0';
	s->src[s->n].name = arg;
	s->src[s->n].files = eq + 1;
	s->n++;
	return 0;
}

/*
 * One file into source src.  A read error (truncated or corrupt
 * compressed data, I/O) fails the load; so does a file that yields no
 * object at all: an empty file or one that is not RPSL is a broken
 * download or a wrong path, never "0 objects, fine".
 */
static int
load_file(struct manrs_irrdb *db, int src, const char *path,
    const struct manrs_buf *mem, struct manrs_diag_sink *sink,
    struct manrs_provenance_list *prov)
{
	struct manrs_provenance p;
	struct manrs_irrdb_stats before, after;
	struct manrs_input *in;
	int rc;

	manrs_irrdb_stats(db, &before);
	errno = 0;
	if (mem != NULL) {
		/* fetched: RPSL from memory, named by its URL */
		if ((in = manrs_input_mem(mem->p, mem->len, path, &rc)) !=
		    NULL) {
			rc = manrs_irrdb_load_input(db, src, in, sink);
			manrs_input_close(in);
		}
	} else
		rc = manrs_irrdb_load(db, src, path, sink);
	if (rc != 0) {
		/* the system's reason (ENOENT, EISDIR), kept in errno */
		int e = errno;

		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "not loaded: %s", rc == MANRS_E_IO && e != 0 ?
		    strerror(e) : manrs_strerror(rc));
		errno = e;
		return rc;
	}
	manrs_irrdb_stats(db, &after);
	if (after.objects == before.objects) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "no objects (%s); not loaded",
		    after.skipped > before.skipped ? "every object malformed" :
		    "empty, or not an RPSL dump or ARIN JSON");
		return MANRS_E_FORMAT;
	}
	if (prov != NULL) {
		manrs_provenance_init(&p, "irr", path);
		manrs_irrdb_provenance(db, &p);
		if (manrs_provenance_list_add(prov, &p, NULL) != 0)
			return MANRS_E_NOMEM;
	}
	return 0;
}

struct manrs_irrdb *
irr_sources_load(const struct irr_sources *s, struct manrs_diag_sink *sink,
    int *errp)
{
	struct manrs_irrdb *db;
	char *files, *f, *rest;
	int i, src, rc = 0, err;

	if ((db = manrs_irrdb_new(&err)) == NULL) {
		*errp = err;
		return NULL;
	}
	for (i = 0; i < s->n && rc == 0; i++) {
		if ((src = manrs_irrdb_source_add(db, s->src[i].name)) < 0) {
			manrs_diag_report(sink, MANRS_SEV_ERROR,
			    s->src[i].name, 0, UINT64_MAX, "source: %s",
			    manrs_strerror(src));
			rc = src;
			break;
		}
		if ((files = strdup(s->src[i].files)) == NULL) {
			rc = MANRS_E_NOMEM;
			break;
		}
		rest = files;
		while (rc == 0 && (f = strsep(&rest, ",")) != NULL)
			if (*f != '\0')
				rc = load_file(db, src, f, s->mem != NULL ?
				    s->mem(s->mem_arg, f) : NULL, sink,
				    s->prov);
		free(files);
	}
	if (rc == 0)
		rc = manrs_irrdb_finish(db);
	if (rc != 0) {
		int e = errno;

		manrs_irrdb_free(db);
		*errp = rc;
		errno = e;
		return NULL;
	}
	*errp = 0;
	return db;
}

static const char *const reload_reasons[IRR_RELOAD_NREASONS] = {
	[IRR_RELOAD_OK] = "ok",
	[IRR_RELOAD_FAILED] = "read_error",
	[IRR_RELOAD_EMPTY] = "empty",
	[IRR_RELOAD_SHRINK] = "shrink",
};

const char *
irr_reload_reason_name(enum irr_reload_verdict v)
{
	if ((int)v < 0 || v >= IRR_RELOAD_NREASONS)
		return "unknown";
	return reload_reasons[v];
}

enum irr_reload_verdict
irr_reload_check(const struct manrs_irrdb *old_db,
    const struct manrs_irrdb *new_db, unsigned max_shrink, char *why,
    size_t size)
{
	const char *name;
	uint64_t was, now;
	int i, j;

	if (size > 0)
		why[0] = '\0';
	if (old_db == NULL)
		return IRR_RELOAD_OK;
	for (i = 0; i < manrs_irrdb_source_count(old_db); i++) {
		name = manrs_irrdb_source_name(old_db, i);
		was = manrs_irrdb_source_objects(old_db, i);
		j = manrs_irrdb_source_find(new_db, manrs_view_cstr(name));
		now = manrs_irrdb_source_objects(new_db, j);
		if (was == 0)
			continue;
		if (now == 0) {
			snprintf(why, size, "source %s: %" PRIu64 " objects "
			    "before, none now", name, was);
			return IRR_RELOAD_EMPTY;
		}
		/* shrank by more than max_shrink % of what it had */
		if (max_shrink < 100 && now < was &&
		    (was - now) * 100 > (uint64_t)max_shrink * was) {
			snprintf(why, size, "source %s: %" PRIu64 " objects, "
			    "%" PRIu64 " before (-%" PRIu64 "%%, more than "
			    "--max-shrink %u%%)", name, now, was,
			    (was - now) * 100 / was, max_shrink);
			return IRR_RELOAD_SHRINK;
		}
	}
	return IRR_RELOAD_OK;
}

int
irr_max_shrink_parse(const char *arg, unsigned *out)
{
	const char *errstr = NULL;
	char num[8];
	size_t n = strlen(arg);

	if (n > 0 && arg[n - 1] == '%')
		n--;
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, arg, n);
	num[n] = '\0';
	*out = (unsigned)strtonum(num, 0, 100, &errstr);
	return errstr != NULL ? -1 : 0;
}

void
irr_reload_metrics(const struct irr_reload_stats *st, struct manrs_buf *out)
{
	int i;

	manrs_buf_printf(out, "# HELP manrs_irrd_reloads_refused_total "
	    "Reloads whose data was refused (old data kept), by reason.\n"
	    "# TYPE manrs_irrd_reloads_refused_total counter\n");
	for (i = IRR_RELOAD_FAILED; i < IRR_RELOAD_NREASONS; i++)
		manrs_buf_printf(out, "manrs_irrd_reloads_refused_total"
		    "{reason=\"%s\"} %" PRIu64 "\n", reload_reasons[i],
		    st->refused[i]);
}

void
irr_reload_count(struct irr_reload_stats *st, enum irr_reload_verdict v)
{
	if ((int)v > IRR_RELOAD_OK && v < IRR_RELOAD_NREASONS)
		st->refused[v]++;
}
