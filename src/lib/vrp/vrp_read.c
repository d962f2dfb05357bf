/*
 * vrp_read.c - reading a VRP file or buffer into a set: rpki-client /
 * Routinator JSON (vrp_json.c) or CSV (vrp_csv.c), chosen by the first
 * non-blank byte when the format is not given.  Kept apart from
 * vrp_set.c so the loaders depend on the set and not the reverse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vrp_int.h"

time_t
vrp_now(const struct manrs_vrp_read_opts *o)
{
	return (o != NULL && o->now != 0) ? o->now : time(NULL);
}

static int
read_input(struct manrs_vrp_set *s, struct manrs_input *in,
    const struct manrs_vrp_read_opts *opts, struct manrs_diag_sink *diag)
{
	struct manrs_vrp_read_opts o;

	memset(&o, 0, sizeof(o));
	if (opts != NULL)
		o = *opts;
	if (s->finished)
		return MANRS_E_INVAL;
	if (o.max_vrps)
		s->max_vrps = o.max_vrps;
	if (o.max_aspas)
		s->max_aspas = o.max_aspas;
	if (o.max_rkeys)
		s->max_rkeys = o.max_rkeys;
	o.now = vrp_now(&o);
	if (o.format == MANRS_VRP_FMT_CSV)
		return vrp_csv_read(s, in, &o, diag);
	return vrp_json_read(s, in, &o, diag);
}

/* JSON when the first non-blank byte is '{', else CSV. */
static enum manrs_vrp_format
sniff(const char *path)
{
	struct manrs_input *in;
	char buf[512];
	ptrdiff_t n, i;
	int err;

	if ((in = manrs_input_open(path, &err)) == NULL)
		return MANRS_VRP_FMT_JSON;	/* the open error comes later */
	n = manrs_input_read(in, buf, sizeof(buf));
	manrs_input_close(in);
	for (i = 0; i < n; i++) {
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
		    buf[i] == '\n')
			continue;
		return buf[i] == '{' || buf[i] == '[' ? MANRS_VRP_FMT_JSON :
		    MANRS_VRP_FMT_CSV;
	}
	return MANRS_VRP_FMT_JSON;
}

int
manrs_vrp_read(struct manrs_vrp_set *s, const char *path,
    const struct manrs_vrp_read_opts *opts, struct manrs_diag_sink *diag)
{
	struct manrs_input *in;
	int err, rc;

	struct manrs_vrp_read_opts o;

	memset(&o, 0, sizeof(o));
	if (opts != NULL)
		o = *opts;
	if (o.format == MANRS_VRP_FMT_AUTO && strcmp(path, "-") != 0)
		o.format = sniff(path);
	if ((in = manrs_input_open(path, &err)) == NULL) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "%s", err == MANRS_E_IO ? strerror(errno) :
		    manrs_strerror(err));
		return err;
	}
	rc = read_input(s, in, &o, diag);
	manrs_input_close(in);
	return rc;
}

int
manrs_vrp_read_mem(struct manrs_vrp_set *s, const void *p, size_t len,
    const char *name, const struct manrs_vrp_read_opts *opts,
    struct manrs_diag_sink *diag)
{
	struct manrs_input *in;
	int err, rc;

	struct manrs_vrp_read_opts o;
	const char *c = p;
	size_t i;

	memset(&o, 0, sizeof(o));
	if (opts != NULL)
		o = *opts;
	for (i = 0; o.format == MANRS_VRP_FMT_AUTO && i < len; i++) {
		if (c[i] == ' ' || c[i] == '\t' || c[i] == '\r' ||
		    c[i] == '\n')
			continue;
		o.format = (c[i] == '{' || c[i] == '[') ? MANRS_VRP_FMT_JSON :
		    MANRS_VRP_FMT_CSV;
	}
	if ((in = manrs_input_mem(p, len, name, &err)) == NULL)
		return err;
	rc = read_input(s, in, &o, diag);
	manrs_input_close(in);
	return rc;
}
