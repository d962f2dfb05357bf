/*
 * cmd_mrt.c - "manrs mrt": MRT archives as text, the way bgpdump 1.6.2
 * prints them, or as JSON.
 *
 *   manrs mrt [-H|-m|-M] [-t dump|change] [-l] [-u] [--json] [-O FILE] FILE...
 *   manrs mrt --prefix P | --origin ASN | --rib-stats FILE...
 *
 * -H (the default, as in bgpdump) prints one block per record; -m and
 * -M are bgpdump's one-line formats; -t change
 * prints RIB entries with their originated time; -l adds the large
 * communities field, -u the unknown-attributes field.  Files may be plain,
 * gzip or bzip2; "-" is stdin.  Problems go to stderr with the file and
 * byte offset; a truncated file prints every complete record.
 *
 * --prefix, --origin and --rib-stats load the files in order (a RIB dump,
 * then update files) into a RIB view and print the current routes for a
 * prefix, the routes originated by an AS, or the view's size:
 *   PREFIX|PEER|PEER_AS|PATH_ID|AS_PATH|ORIGIN_AS|LAST_CHANGE
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <manrs/mrt.h>

#include "cli.h"
#include "outfile.h"

#define OUT_FLUSH	(1024u * 1024u)

static void
mrt_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs mrt [-m|-M|-H|--json] [-t dump|change] [-l] [-u] [-p] "
	    "[-O FILE] FILE...\n"
	    "  -H          multi-line, one block per record (the default)\n"
	    "  -m          one line per route, unix timestamps\n"
	    "  -M          one line per route, human-readable timestamps\n"
	    "  --json      one JSON object per route\n"
	    "  -t change   RIB entries show their last change time\n"
	    "  -l          add the large communities field\n"
	    "  -u          add the unknown attributes field\n"
	    "  -p          add bgpdump's packet index after the type\n"
	    "  -O FILE     write to FILE instead of stdout\n"
	    "  --prefix P  load FILEs into a RIB view; routes for prefix P\n"
	    "  --origin N  load FILEs into a RIB view; routes originated by N\n"
	    "  --rib-stats load FILEs into a RIB view; print its size\n"
	    "  --stats     (or --inputs) after each FILE, its input line on "
	    "stderr\n"
	    "              (records, skipped, first and last record time)\n"
	    "Output is byte-identical to bgpdump 1.6.2 with the same flags "
	    "(see docs/mrt.md).\n");
}

static int
flush(struct manrs_buf *b, FILE *out)
{
	if (b->len > 0 && fwrite(b->p, 1, b->len, out) != b->len) {
		cli_warnx("write: %s", strerror(errno));
		return -1;
	}
	manrs_buf_reset(b);
	return 0;
}

/* -H: one block per record. */
static int
one_file_h(struct manrs_mrt_reader *rd, const char *path,
    struct manrs_mrt_printer *pr, struct manrs_buf *b, FILE *out)
{
	struct manrs_mrt_record rec;
	int rc, err, status = 0;

	while ((rc = manrs_mrt_next(rd, &rec)) > 0) {
		if ((err = manrs_mrt_printer_record(pr, b, rd, &rec)) != 0) {
			cli_warnx("%s: byte %llu: %s", path,
			    (unsigned long long)rec.offset,
			    manrs_strerror(err));
			status = 1;
			manrs_buf_reset(b);
		}
		if (b->len >= OUT_FLUSH && flush(b, out) != 0)
			return 1;
	}
	if (rc < 0) {
		cli_warnx("%s: %s", path, rc == MANRS_E_IO ? strerror(errno) :
		    manrs_strerror(rc));
		status = 1;
	}
	return status;
}

/* --stats: the file's input line on stderr (standard output unchanged). */
static void
file_input(const struct manrs_mrt_reader *rd, const char *path, bool stats)
{
	struct manrs_provenance p;

	if (!stats)
		return;
	manrs_provenance_init(&p, "mrt", path);
	manrs_mrt_provenance(rd, &p);
	cli_input_print(&p);
}

static int
one_file(const char *path, struct manrs_mrt_printer *pr,
    struct manrs_buf *b, FILE *out, struct manrs_diag_sink *diag,
    bool multiline, bool stats)
{
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_routes *it;
	struct manrs_mrt_route rt;
	int err, rc, status = 0;

	if ((rd = manrs_mrt_open(path, diag, &err)) == NULL) {
		cli_warnx("%s: %s", path, err == MANRS_E_IO ? strerror(errno) :
		    manrs_strerror(err));
		return 1;
	}
	if (multiline) {
		status = one_file_h(rd, path, pr, b, out);
		file_input(rd, path, stats);
		manrs_mrt_close(rd);
		return status;
	}
	if ((it = manrs_mrt_routes_new(rd)) == NULL) {
		manrs_mrt_close(rd);
		cli_warnx("%s", manrs_strerror(MANRS_E_NOMEM));
		return 1;
	}
	while ((rc = manrs_mrt_route_next(it, &rt)) > 0) {
		if ((err = manrs_mrt_printer_route(pr, b, &rt)) != 0) {
			cli_warnx("%s: byte %llu: %s", path,
			    (unsigned long long)rt.rec->offset,
			    manrs_strerror(err));
			status = 1;
			manrs_buf_reset(b);
		}
		if (b->len >= OUT_FLUSH && flush(b, out) != 0) {
			status = 1;
			break;
		}
	}
	if (rc < 0) {
		cli_warnx("%s: %s", path, rc == MANRS_E_IO ? strerror(errno) :
		    manrs_strerror(rc));
		status = 1;
	}
	manrs_mrt_routes_free(it);
	file_input(rd, path, stats);
	manrs_mrt_close(rd);
	return status;
}

static int
rib_line(void *arg, const struct manrs_rib_route *r)
{
	FILE *out = arg;
	char pfx[MANRS_PREFIX_STRLEN], peer[MANRS_ADDR_STRLEN];
	char path[8192];
	struct manrs_prefix pa;

	manrs_prefix_print(&r->prefix, pfx, sizeof(pfx));
	memset(&pa, 0, sizeof(pa));
	pa.af = r->peer_af;
	pa.len = r->peer_af == MANRS_AF_INET6 ? 128 : 32;
	memcpy(pa.addr, r->peer_addr, 16);
	manrs_addr_print(&pa, peer, sizeof(peer));
	manrs_bgp_aspath_print(r->aspath, r->aspath_len, path, sizeof(path));
	fprintf(out, "%s|%s|%u|%u|%s|%u|%u\n", pfx, peer, r->peer_as,
	    r->path_id, path, r->origin_as, r->last_change);
	return 0;
}

/* --prefix / --origin / --rib-stats over a RIB view of the files. */
static int
rib_query(int nfiles, char **files, const char *prefix, const char *origin,
    FILE *out)
{
	struct manrs_mrt_rib_view *v;
	struct manrs_diag_sink diag;
	struct manrs_prefix p;
	uint32_t asn = 0;
	size_t routes, pfx, paths, bytes;
	int i, err, status = 0;

	if (prefix != NULL && (err = manrs_prefix_parse(
	    manrs_view_cstr(prefix), 0, &p)) != 0) {
		cli_warnx("--prefix %s: %s", prefix, manrs_strerror(err));
		return EXIT_USAGE;
	}
	if (origin != NULL && manrs_asn_parse(manrs_view_cstr(origin),
	    &asn) != 0) {
		cli_warnx("--origin %s: not an AS number", origin);
		return EXIT_USAGE;
	}
	if ((v = manrs_mrt_rib_view_new(&err)) == NULL) {
		cli_warnx("%s", manrs_strerror(err));
		return EXIT_FAIL;
	}
	cli_diag_sink(&diag);
	for (i = 0; i < nfiles; i++) {
		if ((err = manrs_mrt_rib_view_load(v, files[i], &diag)) != 0) {
			cli_warnx("%s: %s", files[i], err == MANRS_E_IO ?
			    strerror(errno) : manrs_strerror(err));
			status = EXIT_FAIL;
		}
	}
	if (prefix != NULL)
		manrs_mrt_rib_view_prefix(v, &p, rib_line, out);
	else if (origin != NULL)
		manrs_mrt_rib_view_origin(v, asn, rib_line, out);
	else {
		manrs_mrt_rib_view_stats(v, &routes, &pfx, &paths, &bytes);
		fprintf(out, "routes %zu\nprefixes %zu\nattribute sets %zu\n"
		    "bytes %zu\n", routes, pfx, paths, bytes);
	}
	manrs_mrt_rib_view_free(v);
	return status;
}

/*
 * Standard output flushed, or -O FILE replaced atomically: only when
 * every input was read whole (a bad input leaves the previous file).
 */
static int
finish_output(FILE *out, struct outfile *of, int status)
{
	if (out == stdout)
		return fflush(out) != 0 ? EXIT_FAIL : status;
	if (status != EXIT_OK) {
		outfile_abort(of);
		return status;
	}
	if (outfile_commit(of) != 0) {
		cli_warnx("%s (the previous -O file is unchanged)",
		    strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int
cmd_mrt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prefix", required_argument, NULL, 'P' },
		{ "origin", required_argument, NULL, 'A' },
		{ "rib-stats", no_argument, NULL, 'S' },
		{ "stats", no_argument, NULL, 'I' },
		{ "inputs", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct manrs_mrt_print_opts o = { .fmt = MANRS_MRT_FMT_M };
	struct manrs_mrt_printer *pr;
	struct manrs_diag_sink diag;
	struct manrs_buf b;
	FILE *out = stdout;
	struct outfile of = { NULL, NULL, NULL };
	const char *qprefix = NULL, *qorigin = NULL;
	bool qstats = false, istats = false;
	bool multiline = true;	/* bgpdump's default: -H */
	int c, i, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hHmMt:lpuO:qvs", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'H':
			multiline = true;
			break;
		case 'm':
			o.fmt = MANRS_MRT_FMT_M;
			multiline = false;
			break;
		case 'M':
			o.fmt = MANRS_MRT_FMT_MM;
			multiline = false;
			break;
		case 'j':
			o.fmt = MANRS_MRT_FMT_JSON;
			multiline = false;
			break;
		case 'P':
			qprefix = optarg;
			break;
		case 'A':
			qorigin = optarg;
			break;
		case 'S':
			qstats = true;
			break;
		case 'I':
			istats = true;
			break;
		case 't':
			if (strcmp(optarg, "dump") == 0)
				o.time_change = false;
			else if (strcmp(optarg, "change") == 0)
				o.time_change = true;
			else {
				cli_warnx("-t: expected dump or change");
				return EXIT_USAGE;
			}
			break;
		case 'l':
			o.large = true;
			break;
		case 'u':
			o.unknown = true;
			break;
		case 'p':
			o.packet_index = true;
			break;
		case 'O':
			if (out != stdout)
				outfile_abort(&of);
			if (outfile_open(&of, optarg) != 0) {
				cli_warnx("%s: %s", optarg, strerror(errno));
				return EXIT_FAIL;
			}
			out = of.fp;
			break;
		case 'q':
		case 'v':
		case 's':
			break;	/* bgpdump logging switches: accepted */
		case 'h':
			mrt_usage(stdout);
			return EXIT_OK;
		default:
			mrt_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		mrt_usage(stderr);
		return EXIT_USAGE;
	}
	if (qprefix != NULL || qorigin != NULL || qstats) {
		status = rib_query(argc - optind, argv + optind, qprefix,
		    qorigin, out);
		return finish_output(out, &of, status);
	}
	if ((pr = manrs_mrt_printer_new(&o)) == NULL) {
		cli_warnx("%s", manrs_strerror(MANRS_E_NOMEM));
		return EXIT_FAIL;
	}
	cli_diag_sink(&diag);
	manrs_buf_init(&b, 0);
	for (i = optind; i < argc; i++) {
		if (one_file(argv[i], pr, &b, out, &diag, multiline,
		    istats) != 0)
			status = 1;
		if (flush(&b, out) != 0)
			status = 1;
	}
	manrs_buf_clear(&b);
	manrs_mrt_printer_free(pr);
	return finish_output(out, &of, status == 0 ? EXIT_OK : EXIT_FAIL);
}
