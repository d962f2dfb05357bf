/*
 * irrdb_load.c - loading a file into a source: RPSL (irrdb.c) or, when
 * it starts with "{", the ARIN origin-AS JSON dump (irrdb_json.c).
 * Apart from irrdb.c so the JSON loader depends on the database and not
 * the reverse.
 */
#include <stddef.h>

#include "irrdb_int.h"

int
manrs_irrdb_load(struct manrs_irrdb *db, int src, const char *path,
    struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	char c = 0;
	ptrdiff_t n;
	int rc, err;

	if (db->finished || src < 0 || src >= db->nsrc)
		return MANRS_E_INVAL;
	if ((in = manrs_input_open_diag(path, sink, &err)) == NULL)
		return err;
	/* JSON starts with "{" (after white space); RPSL never does. */
	while ((n = manrs_input_read(in, &c, 1)) == 1 &&
	    (c == ' ' || c == '\n' || c == '\r' || c == '\t'))
		;
	manrs_input_close(in);
	if (n == 1 && c == '{')
		return irrdb_load_json(db, src, path, sink);
	if ((in = manrs_input_open(path, &err)) == NULL)
		return err;
	rc = manrs_irrdb_load_input(db, src, in, sink);
	manrs_input_close(in);
	return rc;
}
