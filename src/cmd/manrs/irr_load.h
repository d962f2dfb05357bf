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
};

/*
 * Add one --source argument (NAME=FILE[,FILE...]; arg is modified and
 * kept).  Returns 0, or -1 after a message naming the problem.
 */
int	irr_sources_add(struct irr_sources *s, char *arg, const char *cmd);
/* Load every source in order and finish.  NULL (and *err) on failure. */
struct manrs_irrdb *irr_sources_load(const struct irr_sources *s,
	    struct manrs_diag_sink *sink, int *err);

#endif /* MANRS_IRR_LOAD_H */
