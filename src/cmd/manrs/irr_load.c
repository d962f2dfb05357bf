/*
 * irr_load.c - IRR sources from the command line.
 */
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
				rc = manrs_irrdb_load(db, src, f, sink);
		free(files);
	}
	if (rc == 0)
		rc = manrs_irrdb_finish(db);
	if (rc != 0) {
		manrs_irrdb_free(db);
		*errp = rc;
		return NULL;
	}
	*errp = 0;
	return db;
}
