/*
 * sync_verify.c - is a downloaded file what its source publishes?  Full
 * decompression (a cut or corrupt gzip/bzip2 stream fails), then the
 * format read with the project's own readers: MRT records (RFC 6396),
 * VRP JSON/CSV, RPSL objects (RFC 2622), CAIDA as-rel lines, PeeringDB
 * JSON, RIR delegated statistics, IANA registry XML, bogon prefix lists,
 * spoofer CSV.  Also the data time the content carries.  Used by `manrs
 * sync` before a file may replace the last good one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/manrs.h>

#include "sync.h"

static const char *const kind_name[] = {
	"MRT RIB", "MRT updates", "VRP JSON/CSV", "RPSL", "CAIDA as-rel",
	"PeeringDB JSON", "RIR delegated stats", "IANA registry XML",
	"bogon prefix list", "spoofer CSV",
};

struct vctx {
	const char		*path;
	enum sync_kind		 kind;
	struct sync_verified	*v;
	char			*why;
	size_t			 size;
	bool			 failed;
};

static void
vfail(struct vctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
vfail(struct vctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(c->why, c->size, fmt, ap);
	va_end(ap);
	c->failed = true;
}

struct first_diag {
	char	msg[MANRS_DIAG_MSG_MAX + 64];
	bool	any;
};

static void
first_diag_fn(void *arg, const struct manrs_diag *d)
{
	struct first_diag *f = arg;

	if (f->any || d->severity == MANRS_SEV_NOTE)
		return;
	f->any = true;
	manrs_diag_format(d, f->msg, sizeof(f->msg));
}

static void
sink_init(struct manrs_diag_sink *sink, struct first_diag *f)
{
	memset(sink, 0, sizeof(*sink));
	memset(f, 0, sizeof(*f));
	sink->fn = first_diag_fn;
	sink->arg = f;
}

/* Decompress the whole file: a cut or corrupt stream fails here. */
static int
check_stream(struct vctx *c)
{
	struct manrs_input *in;
	char buf[65536];
	ptrdiff_t n;
	uint64_t total = 0;
	int err;

	if ((in = manrs_input_open(c->path, &err)) == NULL) {
		vfail(c, "%s", manrs_strerror(err));
		return -1;
	}
	while ((n = manrs_input_read(in, buf, sizeof(buf))) > 0)
		total += (uint64_t)n;
	manrs_input_close(in);
	if (n < 0) {
		vfail(c, "%s stream after %llu bytes: %s",
		    n == MANRS_E_SHORT ? "truncated compressed" :
		    "bad compressed", (unsigned long long)total,
		    manrs_strerror((int)n));
		return -1;
	}
	if (total == 0) {
		vfail(c, "empty after decompression");
		return -1;
	}
	return 0;
}

static void
verify_mrt(struct vctx *c)
{
	struct manrs_diag_sink sink;
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_record rec;
	struct first_diag fd;
	uint64_t ok = 0, other = 0;
	int64_t first = 0;
	int rc, err;

	sink_init(&sink, &fd);
	if ((rd = manrs_mrt_open(c->path, &sink, &err)) == NULL) {
		vfail(c, "%s", manrs_strerror(err));
		return;
	}
	while ((rc = manrs_mrt_next(rd, &rec)) == 1) {
		bool rib = rec.type == MANRS_MRT_TABLE_DUMP ||
		    rec.type == MANRS_MRT_TABLE_DUMP_V2;
		bool upd = rec.type == MANRS_MRT_BGP4MP ||
		    rec.type == MANRS_MRT_BGP4MP_ET;

		if ((c->kind == SYNC_K_MRT_RIB && rib) ||
		    (c->kind == SYNC_K_MRT_UPDATES && upd))
			ok++;
		else
			other++;
		if (first == 0 || (rec.ts > 0 && rec.ts < first))
			first = rec.ts;
	}
	c->v->records = manrs_mrt_records(rd);
	manrs_mrt_close(rd);
	if (rc < 0)
		vfail(c, "MRT: %s", fd.any ? fd.msg :
		    manrs_strerror(rc));
	else if (sink.warnings > 0 || sink.errors > 0)
		vfail(c, "MRT: %s", fd.msg);
	else if (ok == 0 && (c->kind == SYNC_K_MRT_RIB || other > 0))
		vfail(c, "no %s record in %llu MRT records (RFC 6396)",
		    c->kind == SYNC_K_MRT_RIB ? "TABLE_DUMP(_V2)" : "BGP4MP",
		    (unsigned long long)c->v->records);
	else if (first > 0) {
		c->v->data_time = first;
		c->v->time_field = "first record";
	}
}

static void
verify_vrp(struct vctx *c)
{
	struct manrs_vrp_read_opts o;
	struct manrs_diag_sink sink;
	const struct manrs_vrp_stats *st;
	struct manrs_vrp_set *set;
	struct first_diag fd;
	int rc;

	sink_init(&sink, &fd);
	memset(&o, 0, sizeof(o));
	o.now = 1;	/* keep every entry: only the format is judged */
	if ((set = manrs_vrp_set_new(NULL)) == NULL) {
		vfail(c, "out of memory");
		return;
	}
	rc = manrs_vrp_read(set, c->path, &o, &sink);
	st = manrs_vrp_set_stats(set);
	if (rc != 0)
		vfail(c, "VRPs: %s", fd.any ? fd.msg :
		    manrs_strerror(rc));
	else if (st->vrps_read + st->aspas_read == 0)
		vfail(c, "VRPs: no VRP and no ASPA in the file");
	else {
		c->v->records = st->vrps_read + st->aspas_read;
		if (st->buildtime > 0) {
			c->v->data_time = st->buildtime;
			c->v->time_field = "buildtime";
		}
	}
	manrs_vrp_set_free(set);
}

static void
verify_rpsl(struct vctx *c)
{
	const struct manrs_rpsl_obj *obj;
	struct manrs_rpsl_reader *r;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	struct first_diag fd;
	uint64_t n = 0;
	int rc, err;

	sink_init(&sink, &fd);
	if ((in = manrs_input_open(c->path, &err)) == NULL) {
		vfail(c, "%s", manrs_strerror(err));
		return;
	}
	if ((r = manrs_rpsl_reader_new(in, &sink, &err)) == NULL) {
		manrs_input_close(in);
		vfail(c, "%s", manrs_strerror(err));
		return;
	}
	while ((rc = manrs_rpsl_reader_next(r, &obj)) == 1)
		n++;
	manrs_rpsl_reader_free(r);
	manrs_input_close(in);
	c->v->records = n;
	if (rc < 0)
		vfail(c, "RPSL: %s", fd.any ? fd.msg :
		    manrs_strerror(rc));
	else if (n == 0)
		vfail(c, "RPSL: no object (RFC 2622)%s%s",
		    fd.any ? ": " : "", fd.any ? fd.msg : "");
}

static void
verify_asrel(struct vctx *c)
{
	struct manrs_diag_sink sink;
	struct manrs_provenance p;
	struct manrs_asgraph *g;
	struct first_diag fd;
	int rc;

	sink_init(&sink, &fd);
	if ((g = manrs_asgraph_new(NULL)) == NULL) {
		vfail(c, "out of memory");
		return;
	}
	rc = manrs_asgraph_load(g, c->path, &sink);
	manrs_provenance_init(&p, "asrel", c->path);
	manrs_asgraph_provenance(g, &p);
	if (rc != 0)
		vfail(c, "as-rel: %s", fd.any ? fd.msg :
		    manrs_strerror(rc));
	else if (p.records == 0)
		vfail(c, "as-rel: no AS|AS|rel line%s%s",
		    fd.any ? ": " : "", fd.any ? fd.msg : "");
	else if (p.skipped > p.records / 100)
		vfail(c, "as-rel: %llu bad lines of %llu: %s",
		    (unsigned long long)p.skipped,
		    (unsigned long long)(p.records + p.skipped), fd.msg);
	c->v->records = p.records;
	manrs_asgraph_free(g);
}

static void
verify_pdb(struct vctx *c)
{
	struct manrs_diag_sink sink;
	struct manrs_peeringdb *db;
	struct manrs_provenance p;
	struct first_diag fd;
	int rc;

	sink_init(&sink, &fd);
	if ((db = manrs_peeringdb_new(NULL)) == NULL) {
		vfail(c, "out of memory");
		return;
	}
	rc = manrs_peeringdb_load(db, c->path, &sink);
	if (rc != 0)
		vfail(c, "PeeringDB: %s", fd.any ? fd.msg :
		    manrs_strerror(rc));
	manrs_provenance_init(&p, "peeringdb", NULL);
	manrs_peeringdb_provenance(db, &p);
	c->v->records = p.records;
	if (p.time_src == MANRS_PROV_TIME_CONTENT) {
		c->v->data_time = p.time;
		c->v->time_field = "updated";
	}
	manrs_peeringdb_free(db);
}

static void
verify_spoofer(struct vctx *c)
{
	struct manrs_diag_sink sink;
	struct manrs_spoofer *sp;
	struct first_diag fd;
	int rc;

	sink_init(&sink, &fd);
	if ((sp = manrs_spoofer_new(NULL)) == NULL) {
		vfail(c, "out of memory");
		return;
	}
	rc = manrs_spoofer_load(sp, c->path, &sink);
	c->v->records = manrs_spoofer_count(sp);
	if (rc != 0)
		vfail(c, "spoofer CSV: %s", fd.any ? fd.msg :
		    manrs_strerror(rc));
	else if (c->v->records == 0)
		vfail(c, "spoofer CSV: no test (expected time,asn,"
		    "prefix,spoofed)");
	manrs_spoofer_free(sp);
}

/* Text formats read line by line: delegated stats, bogons, IANA XML. */
static void
verify_lines(struct vctx *c)
{
	struct manrs_input *in;
	struct manrs_view line, f[8], rest, tok;
	struct manrs_prefix pfx;
	bool header = false, reg_open = false, reg_close = false;
	uint64_t n = 0;
	int rc, err, k;

	if ((in = manrs_input_open(c->path, &err)) == NULL) {
		vfail(c, "%s", manrs_strerror(err));
		return;
	}
	manrs_input_set_line_max(in, 1024 * 1024);
	while ((rc = manrs_input_line(in, &line)) == 1) {
		line = manrs_view_trim(line);
		if (c->kind == SYNC_K_IANA) {
			if (manrs_view_find(line, '<') < 0)
				continue;
			if (manrs_view_starts_with(line, "<registry"))
				reg_open = true;
			if (line.len >= 11 && memcmp(line.p, "</registry>",
			    11) == 0)
				reg_close = true;
			/* <updated>2024-01-31</updated> */
			if (c->v->data_time == 0 && manrs_view_starts_with(line,
			    "<updated>") && line.len >= 19) {
				int64_t t;

				if (manrs_time_parse(manrs_view_make(
				    line.p + 9, 10), &t) == 0) {
					c->v->data_time = t;
					c->v->time_field = "updated";
				}
			}
			n++;
			continue;
		}
		if (line.len == 0 || line.p[0] == '#') {
			/* Team Cymru: "# last updated 1711541101 (...)" */
			if (c->kind == SYNC_K_BOGONS && c->v->data_time == 0 &&
			    manrs_view_starts_with(line, "# last updated ")) {
				uint64_t t;

				rest = manrs_view_make(line.p + 15,
				    line.len - 15);
				if (manrs_view_token(&rest, &tok) &&
				    manrs_view_u64(tok, INT64_MAX, &t) == 0) {
					c->v->data_time = (int64_t)t;
					c->v->time_field = "last updated";
				}
			}
			continue;
		}
		if (c->kind == SYNC_K_BOGONS) {
			if (manrs_prefix_parse(line, 0, &pfx) != 0) {
				vfail(c, "line %llu: not a prefix: "
				    "'%.*s'", (unsigned long long)
				    manrs_input_lineno(in),
				    (int)(line.len > 60 ? 60 : line.len),
				    line.p);
				break;
			}
			n++;
			continue;
		}
		/* Delegated: version line, summaries, records. */
		rest = line;
		for (k = 0; k < 8; k++) {
			ptrdiff_t bar = manrs_view_find(rest, '|');

			if (bar < 0) {
				f[k++] = rest;
				break;
			}
			f[k] = manrs_view_make(rest.p, (size_t)bar);
			rest = manrs_view_make(rest.p + bar + 1,
			    rest.len - (size_t)bar - 1);
		}
		if (!header) {
			char d[16];
			int64_t t;

			if (k < 6 || f[0].len == 0 || f[0].p[0] < '0' ||
			    f[0].p[0] > '9') {
				vfail(c, "line %llu: not a delegated "
				    "stats version line "
				    "(version|registry|serial|records|"
				    "startdate|enddate|UTCoffset)",
				    (unsigned long long)
				    manrs_input_lineno(in));
				break;
			}
			header = true;
			snprintf(d, sizeof(d), "%.*s", (int)f[5].len,
			    f[5].p);
			if (f[5].len == 8 && (t = sync_name_time(d, "")) > 0) {
				c->v->data_time = t;
				c->v->time_field = "enddate";
			}
			continue;
		}
		if (k < 6) {
			vfail(c, "line %llu: %d fields, a delegated "
			    "summary or record has at least 6",
			    (unsigned long long)manrs_input_lineno(in), k);
			break;
		}
		n++;
	}
	if (rc < 0 && !c->failed)
		vfail(c, "line %llu: %s", (unsigned long long)
		    manrs_input_lineno(in), manrs_strerror(rc));
	manrs_input_close(in);
	c->v->records = n;
	if (c->failed)
		return;
	if (c->kind == SYNC_K_IANA && (!reg_open || !reg_close))
		vfail(c, "not an IANA registry (<registry> ... "
		    "</registry>)");
	else if (c->kind != SYNC_K_IANA && n == 0)
		vfail(c, "no %s record", kind_name[c->kind]);
}


const char *
sync_kind_name(enum sync_kind kind)
{
	return (size_t)kind < sizeof(kind_name) / sizeof(kind_name[0]) ?
	    kind_name[kind] : "?";
}

int
sync_verify(const char *path, enum sync_kind kind, struct sync_verified *v,
    char *why, size_t size)
{
	struct vctx c;

	memset(v, 0, sizeof(*v));
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.kind = kind;
	c.v = v;
	c.why = why;
	c.size = size;
	if (size > 0)
		why[0] = '\0';
	if (check_stream(&c) != 0)
		return -1;
	switch (kind) {
	case SYNC_K_MRT_RIB:
	case SYNC_K_MRT_UPDATES:
		verify_mrt(&c);
		break;
	case SYNC_K_VRP:
		verify_vrp(&c);
		break;
	case SYNC_K_RPSL:
		verify_rpsl(&c);
		break;
	case SYNC_K_ASREL:
		verify_asrel(&c);
		break;
	case SYNC_K_PDB:
		verify_pdb(&c);
		break;
	case SYNC_K_SPOOFER:
		verify_spoofer(&c);
		break;
	case SYNC_K_DELEG:
	case SYNC_K_IANA:
	case SYNC_K_BOGONS:
		verify_lines(&c);
		break;
	}
	return c.failed ? -1 : 0;
}
