/*
 * cmd_db.c - "manrs db": build and check compiled snapshots (manrs/db.h,
 * docs/db.md).
 *
 *   manrs db build -o FILE [--source NAME=FILE[,FILE]]...
 *                  [--vrps FILE]... [--slurm FILE] [--now TIME]
 *                  [--allow-stale]
 *   manrs db check FILE
 *
 * build loads the IRR sources as every other command does (same
 * messages, same refusal of an empty or unreadable file), reads --vrps
 * with --slurm as validate does (expiry judged at --now or the current
 * time), keeps the finished VRP/ASPA/router-key set and marks the route
 * objects that are RPKI-invalid against it (as irrd --vrps does), and
 * writes the snapshot atomically (outfile.c: a temporary file
 * in the same folder, fsync, rename).  check maps the file (header,
 * bounds and every index checked), verifies every section's checksum
 * and prints the header, the inputs and the sections.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <manrs/db.h>
#include <manrs/irrdb.h>

#include "cli.h"
#include "irr_load.h"
#include "outfile.h"

static void
db_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs db build -o FILE [--source NAME=FILE[,FILE]]...\n"
	    "                      [--vrps FILE]... [--slurm FILE] "
	    "[--now TIME] [--allow-stale]\n"
	    "       manrs db check FILE\n"
	    "\n"
	    "build compiles the IRR sources (RPSL dumps or the ARIN JSON\n"
	    "dump; plain, gzip or bzip2; first source = highest priority)\n"
	    "and the VRP files (with --slurm; expiry judged at --now or\n"
	    "now) into one snapshot that filter, irrd and validate map\n"
	    "with --db FILE instead of parsing the inputs.  With both, the\n"
	    "route objects that are RPKI-invalid are marked (irrd's\n"
	    "RPKI-aware mode).\n"
	    "The file is replaced atomically.  check verifies the header,\n"
	    "every bound and index and every section checksum, and prints\n"
	    "the inputs' provenance; exit 1 when the file is damaged.\n");
}

/* One file into source src, with its provenance appended to in. */
static int
load_one(struct manrs_irrdb *db, int src, const char *name, const char *path,
    struct manrs_db_input *in, struct manrs_diag_sink *sink)
{
	struct manrs_irrdb_stats before, after;
	int rc;

	manrs_irrdb_stats(db, &before);
	errno = 0;
	if ((rc = manrs_irrdb_load(db, src, path, sink)) != 0) {
		int e = errno;

		cli_warnx("%s: not loaded: %s", path, rc == MANRS_E_IO &&
		    e != 0 ? strerror(e) : manrs_strerror(rc));
		return rc;
	}
	manrs_irrdb_stats(db, &after);
	if (after.objects == before.objects) {
		cli_warnx("%s: no objects (%s); not loaded", path,
		    after.skipped > before.skipped ? "every object "
		    "malformed" : "empty, or not an RPSL dump or ARIN JSON");
		return MANRS_E_FORMAT;
	}
	memset(in, 0, sizeof(*in));
	strlcpy(in->source, name, sizeof(in->source));
	manrs_provenance_init(&in->prov, "irr", path);
	manrs_irrdb_provenance(db, &in->prov);
	return 0;
}

static int
db_build(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "source", required_argument, NULL, 'S' },
		{ "vrps", required_argument, NULL, 'v' },
		{ "slurm", required_argument, NULL, 's' },
		{ "now", required_argument, NULL, 'n' },
		{ "allow-stale", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct manrs_db_input inputs[MANRS_DB_INPUTS_MAX];
	struct manrs_provenance_list prov;
	struct manrs_db_contents c;
	struct manrs_diag_sink sink;
	struct irr_sources srcs;
	struct manrs_irrdb *irr = NULL;
	struct manrs_vrp_set *vs = NULL;
	struct cli_vrps vr;
	struct outfile of;
	const char *out = NULL;
	char *files, *f, *rest;
	size_t nin = 0, k;
	uint64_t ninv = 0;
	int ch, li, i, src, rc, ret = EXIT_FAIL;

	memset(&srcs, 0, sizeof(srcs));
	memset(&vr, 0, sizeof(vr));
	manrs_provenance_list_init(&prov);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+ho:", lo, &li)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'S':
			if (irr_sources_add(&srcs, optarg, "db build") != 0)
				return EXIT_USAGE;
			break;
		case 'v':
		case 's':
		case 'n':
		case 'A':
			if (cli_vrps_option(&vr, lo[li].name, optarg) != 1)
				return EXIT_USAGE;
			break;
		case 'h':
			db_usage(stdout);
			return EXIT_OK;
		default:
			db_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (out == NULL || optind != argc ||
	    (srcs.n == 0 && vr.load.nfiles == 0)) {
		cli_warnx("db build: %s", out == NULL ? "-o FILE is required" :
		    optind != argc ? "unexpected argument" : "nothing to "
		    "build: give --source NAME=FILE and/or --vrps FILE");
		db_usage(stderr);
		return EXIT_USAGE;
	}
	cli_diag_sink(&sink);
	if (srcs.n > 0 && (irr = manrs_irrdb_new(&rc)) == NULL)
		goto fail_rc;
	for (i = 0; i < srcs.n; i++) {
		if ((src = manrs_irrdb_source_add(irr, srcs.src[i].name)) < 0) {
			cli_warnx("db build: source %s: %s", srcs.src[i].name,
			    manrs_strerror(src));
			goto done;
		}
		if ((files = strdup(srcs.src[i].files)) == NULL) {
			rc = MANRS_E_NOMEM;
			goto fail_rc;
		}
		rest = files;
		rc = 0;
		while (rc == 0 && (f = strsep(&rest, ",")) != NULL) {
			if (*f == '\0')
				continue;
			if (nin == MANRS_DB_INPUTS_MAX) {
				rc = MANRS_E_LIMIT;
				break;
			}
			rc = load_one(irr, src, srcs.src[i].name, f,
			    &inputs[nin++], &sink);
		}
		free(files);
		if (rc != 0)
			goto done;
	}
	if (irr != NULL && (rc = manrs_irrdb_finish(irr)) != 0)
		goto fail_rc;
	if (vr.load.nfiles > 0) {
		if ((vs = cli_vrps_load(&vr, "db build", &prov)) == NULL)
			goto done;
		if (irr != NULL &&
		    (rc = manrs_irrdb_rpki_apply(irr, vs, &ninv)) != 0)
			goto fail_rc;
		for (k = 0; k < prov.n && nin < MANRS_DB_INPUTS_MAX; k++) {
			memset(&inputs[nin], 0, sizeof(inputs[nin]));
			inputs[nin++].prov = prov.v[k];
		}
	}
	memset(&c, 0, sizeof(c));
	c.irrdb = irr;
	c.vrps = vs;
	c.inputs = inputs;
	c.ninputs = nin;
	c.build_time = (int64_t)time(NULL);
	if (outfile_open(&of, out) != 0) {
		cli_warnx("db build: %s: %s", out, strerror(errno));
		goto done;
	}
	if ((rc = manrs_db_write(of.fp, &c)) != 0) {
		cli_warnx("db build: %s: %s", out, rc == MANRS_E_IO ?
		    strerror(errno) : manrs_strerror(rc));
		outfile_abort(&of);
		goto done;
	}
	if (outfile_commit(&of) != 0) {
		cli_warnx("db build: %s: %s", out, strerror(errno));
		goto done;
	}
	ret = EXIT_OK;
	goto done;
fail_rc:
	cli_warnx("db build: %s", manrs_strerror(rc));
done:
	manrs_vrp_set_free(vs);
	manrs_irrdb_free(irr);
	manrs_provenance_list_clear(&prov);
	return ret;
}

static int
db_check(int argc, char **argv)
{
	struct manrs_db_section_info si;
	struct manrs_irrdb_stats st;
	struct manrs_db_input in;
	struct manrs_db *db;
	struct manrs_buf b;
	char why[512], t[32];
	size_t i;
	int err, ret = EXIT_OK;

	if (argc == 2 && cli_is_help(argv[1])) {
		db_usage(stdout);
		return EXIT_OK;
	}
	if (argc != 2) {
		db_usage(stderr);
		return EXIT_USAGE;
	}
	if ((db = manrs_db_open(argv[1], why, sizeof(why), &err)) == NULL) {
		cli_warnx("db check: %s: refused: %s", argv[1], why);
		return EXIT_FAIL;
	}
	if (manrs_db_verify(db, why, sizeof(why)) != 0) {
		cli_warnx("db check: %s: %s", argv[1], why);
		ret = EXIT_FAIL;
	}
	printf("file: %s\nformat: %u\nbytes: %zu\nbuilt: %s\n", argv[1],
	    manrs_db_version(db), manrs_db_size(db),
	    manrs_time_iso(manrs_db_build_time(db), t, sizeof(t)));
	if (manrs_db_irrdb(db) != NULL) {
		manrs_irrdb_stats(manrs_db_irrdb(db), &st);
		printf("irr: %llu objects, %llu routes, %llu RPKI-invalid\n",
		    (unsigned long long)st.objects,
		    (unsigned long long)st.routes,
		    (unsigned long long)st.rpki_invalid);
	}
	if (manrs_db_vrps(db) != NULL)
		printf("vrps: %zu IPv4, %zu IPv6, %zu ASPA, %zu router keys\n",
		    manrs_vrp_count(manrs_db_vrps(db), MANRS_AF_INET),
		    manrs_vrp_count(manrs_db_vrps(db), MANRS_AF_INET6),
		    manrs_vrp_aspa_count(manrs_db_vrps(db)),
		    manrs_vrp_rkey_count(manrs_db_vrps(db)));
	manrs_buf_init(&b, 0);
	for (i = 0; manrs_db_input(db, i, &in) == 0; i++) {
		manrs_buf_reset(&b);
		if (manrs_provenance_print(&in.prov, &b) != 0)
			continue;
		while (b.len > 0 && b.p[b.len - 1] == '\n')
			b.len--;
		printf("input: %s%s%.*s\n", in.source,
		    in.source[0] != '\0' ? " " : "", (int)b.len,
		    (const char *)b.p);
	}
	manrs_buf_clear(&b);
	for (i = 0; manrs_db_section(db, i, &si) == 0; i++)
		printf("section: %-14s offset %llu length %llu crc32 "
		    "%08x\n", si.name, (unsigned long long)si.offset,
		    (unsigned long long)si.length, si.crc);
	printf("checksums: %s\n", ret == EXIT_OK ? "ok" : "MISMATCH");
	manrs_db_close(db);
	return ret;
}

int
cmd_db(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		db_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "build") == 0)
		return db_build(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return db_check(argc - 1, argv + 1);
	cli_warnx("db: unknown action \"%s\" (build, check)", argv[1]);
	db_usage(stderr);
	return EXIT_USAGE;
}
