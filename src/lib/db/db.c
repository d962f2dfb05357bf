/*
 * db.c - the snapshot file: header, section table, writing, mapping and
 * checking (manrs/db.h; the format is in docs/db.md).
 *
 * Layout: a 64-byte header at offset 0, the section table right after
 * it (16 bytes an entry), the sections from offset DB_DATA_OFF on, each
 * starting on a 64-byte boundary.  Everything is in the byte order of
 * the machine that wrote it; the byte-order mark tells a foreign file,
 * which is refused (rebuild the snapshot on the reading machine).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <manrs/db.h>

#define DB_MAGIC	"MANRSDB\n"
#define DB_BOM		0x01020304u
#define DB_BOM_SWAPPED	0x04030201u
#define DB_ALIGN	64
#define DB_DATA_OFF	4096
#define SECT_PROV	1u
#define SECT_IRR	0x100u		/* + enum manrs_irrdb_part_id */
#define SECT_VRP	0x200u		/* + enum manrs_vrp_part_id */

struct db_hdr {
	char		magic[8];
	uint32_t	bom;
	uint32_t	version;
	uint64_t	file_size;
	int64_t		build_time;
	uint32_t	nsect;
	uint32_t	hdr_crc;	/* the first DB_DATA_OFF bytes, this 0 */
	uint32_t	input_size;	/* sizeof(struct manrs_db_input) */
	uint32_t	reserved0;
	uint64_t	reserved[2];
};

struct db_sect {
	uint32_t	id;
	uint32_t	crc;
	uint64_t	off;
	uint64_t	len;
};

_Static_assert(sizeof(struct db_hdr) == 64, "header size");
_Static_assert(sizeof(struct db_hdr) + MANRS_DB_SECTIONS_MAX *
    sizeof(struct db_sect) <= DB_DATA_OFF, "section table");

struct manrs_db {
	const uint8_t		*base;
	size_t			 size;
	bool			 mapped;
	struct db_hdr		 hdr;
	const struct db_sect	*sect;
	const struct manrs_db_input *inputs;
	size_t			 ninputs;
	struct manrs_irrdb	*irrdb;
	struct manrs_vrp_set	*vrps;
};

static const char *const irr_names[MANRS_IRRDB_PART_COUNT] = {
	"IRR_META", "IRR_OBJS", "IRR_TEXT", "IRR_NAMES", "IRR_STRS",
	"IRR_SLOTS", "IRR_SETS", "IRR_MEMBERS", "IRR_RANGES", "IRR_IDS",
	"IRR_ROUTES", "IRR_BY_PREFIX", "IRR_MOFS", "IRR_MNTBY", "IRR_INVALID",
};

static const char *const vrp_names[MANRS_VRP_PART_COUNT] = {
	"VRP_META", "VRP_VRPS", "VRP_VEXP", "VRP_ASPAS", "VRP_ASPA_PROV",
	"VRP_ASPA_PEXP", "VRP_RKEYS", "VRP_RKEY_BLOB", "VRP_NODE4",
	"VRP_BUCKET4", "VRP_NODE6", "VRP_LO6", "VRP_BUCKET6",
};

static const char *
sect_name(uint32_t id)
{
	if (id == SECT_PROV)
		return "PROV";
	if (id >= SECT_IRR && id < SECT_IRR + MANRS_IRRDB_PART_COUNT)
		return irr_names[id - SECT_IRR];
	if (id >= SECT_VRP && id < SECT_VRP + MANRS_VRP_PART_COUNT)
		return vrp_names[id - SECT_VRP];
	return "unknown";
}

static uint32_t
crc(uint32_t c, const void *p, size_t n)
{
	return (uint32_t)crc32_z(c, p, n);
}

/* The reason into buf[size]; MANRS_E_FORMAT. */
#define why(buf, size, ...)						\
	manrs_errf((buf), (size), MANRS_E_FORMAT, __VA_ARGS__)

/* Writing. */

struct wr {
	FILE		*fp;
	uint64_t	 pos;
	uint32_t	 crc;
};

static int
wr_bytes(const void *p, size_t len, void *arg)
{
	struct wr *w = arg;

	if (len == 0)
		return 0;
	if (fwrite(p, 1, len, w->fp) != len)
		return MANRS_E_IO;
	w->crc = crc(w->crc, p, len);
	w->pos += len;
	return 0;
}

static int
wr_pad(struct wr *w)
{
	static const uint8_t zero[DB_ALIGN];
	size_t n = (size_t)((DB_ALIGN - w->pos % DB_ALIGN) % DB_ALIGN);

	if (n > 0 && fwrite(zero, 1, n, w->fp) != n)
		return MANRS_E_IO;
	w->pos += n;
	return 0;
}

static int
wr_begin(struct wr *w, struct db_sect *s, uint32_t id)
{
	int rc;

	if ((rc = wr_pad(w)) != 0)
		return rc;
	s->id = id;
	s->off = w->pos;
	w->crc = crc(0, NULL, 0);
	return 0;
}

static void
wr_end(struct wr *w, struct db_sect *s)
{
	s->len = w->pos - s->off;
	s->crc = w->crc;
}

int
manrs_db_write(FILE *fp, const struct manrs_db_contents *c)
{
	struct db_sect sect[MANRS_DB_SECTIONS_MAX];
	uint8_t head[DB_DATA_OFF];
	struct db_hdr h;
	struct wr w;
	unsigned i, n = 0;
	int rc;

	if (c->ninputs > MANRS_DB_INPUTS_MAX)
		return MANRS_E_LIMIT;
	memset(head, 0, sizeof(head));
	memset(sect, 0, sizeof(sect));
	w.fp = fp;
	w.pos = 0;
	if (fwrite(head, 1, sizeof(head), fp) != sizeof(head))
		return MANRS_E_IO;
	w.pos = sizeof(head);

	if ((rc = wr_begin(&w, &sect[n], SECT_PROV)) != 0 ||
	    (rc = wr_bytes(c->inputs, c->ninputs * sizeof(*c->inputs),
	    &w)) != 0)
		return rc;
	wr_end(&w, &sect[n++]);
	for (i = 0; c->irrdb != NULL && i < MANRS_IRRDB_PART_COUNT; i++) {
		if ((rc = wr_begin(&w, &sect[n], SECT_IRR + i)) != 0 ||
		    (rc = manrs_irrdb_part_write(c->irrdb, i, wr_bytes,
		    &w)) != 0)
			return rc;
		wr_end(&w, &sect[n++]);
	}
	for (i = 0; c->vrps != NULL && i < MANRS_VRP_PART_COUNT; i++) {
		if ((rc = wr_begin(&w, &sect[n], SECT_VRP + i)) != 0 ||
		    (rc = manrs_vrp_part_write(c->vrps, i, wr_bytes,
		    &w)) != 0)
			return rc;
		wr_end(&w, &sect[n++]);
	}
	if ((rc = wr_pad(&w)) != 0)
		return rc;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, DB_MAGIC, sizeof(h.magic));
	h.bom = DB_BOM;
	h.version = MANRS_DB_VERSION;
	h.file_size = w.pos;
	h.build_time = c->build_time;
	h.nsect = n;
	h.input_size = sizeof(struct manrs_db_input);
	memcpy(head, &h, sizeof(h));
	memcpy(head + sizeof(h), sect, n * sizeof(sect[0]));
	h.hdr_crc = crc(0, head, sizeof(head));
	memcpy(head, &h, sizeof(h));
	if (fflush(fp) != 0 || fseeko(fp, 0, SEEK_SET) != 0 ||
	    fwrite(head, 1, sizeof(head), fp) != sizeof(head) ||
	    fseeko(fp, 0, SEEK_END) != 0 || fflush(fp) != 0)
		return MANRS_E_IO;
	return 0;
}

/* Reading. */

static const struct db_sect *
find_sect(const struct manrs_db *db, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < db->hdr.nsect; i++)
		if (db->sect[i].id == id)
			return &db->sect[i];
	return NULL;
}

static int
check_header(struct manrs_db *db, char *wb, size_t ws)
{
	struct db_hdr *h = &db->hdr;
	uint8_t tmp[sizeof(struct db_hdr)];
	uint32_t i, j, c;

	if (db->size < DB_DATA_OFF)
		return why(wb, ws, "%zu bytes: shorter than a snapshot "
		    "header (%d): truncated?", db->size, DB_DATA_OFF);
	memcpy(h, db->base, sizeof(*h));
	if (memcmp(h->magic, DB_MAGIC, sizeof(h->magic)) != 0)
		return why(wb, ws, "not a manrs snapshot (bad magic)");
	if (h->bom == DB_BOM_SWAPPED)
		return why(wb, ws, "written on a machine of the other byte "
		    "order: rebuild it here (manrs db build)");
	if (h->bom != DB_BOM)
		return why(wb, ws, "bad byte-order mark 0x%08x", h->bom);
	if (h->version != MANRS_DB_VERSION)
		return why(wb, ws, "format version %u; this manrs reads "
		    "version %u: rebuild it (manrs db build)", h->version,
		    MANRS_DB_VERSION);
	if (h->nsect > MANRS_DB_SECTIONS_MAX)
		return why(wb, ws, "%u sections (at most %d)", h->nsect,
		    MANRS_DB_SECTIONS_MAX);
	memcpy(tmp, h, sizeof(tmp));
	memset(tmp + offsetof(struct db_hdr, hdr_crc), 0, sizeof(uint32_t));
	c = crc(crc(0, tmp, sizeof(tmp)), db->base + sizeof(*h),
	    DB_DATA_OFF - sizeof(*h));
	if (c != h->hdr_crc)
		return why(wb, ws, "header checksum mismatch (0x%08x, "
		    "stored 0x%08x): damaged", c, h->hdr_crc);
	if (h->input_size != sizeof(struct manrs_db_input))
		return why(wb, ws, "written by a manrs with another layout "
		    "(input records of %u bytes, here %zu): rebuild it "
		    "(manrs db build)", h->input_size,
		    sizeof(struct manrs_db_input));
	if (h->file_size != db->size)
		return why(wb, ws, "%zu bytes, the header says %llu: "
		    "truncated or extended", db->size,
		    (unsigned long long)h->file_size);
	db->sect = (const struct db_sect *)(const void *)
	    (db->base + sizeof(*h));
	for (i = 0; i < h->nsect; i++) {
		const struct db_sect *s = &db->sect[i];

		if (s->off < DB_DATA_OFF || s->off % DB_ALIGN != 0 ||
		    s->off > db->size || s->len > db->size - s->off)
			return why(wb, ws, "section %s: bytes %llu+%llu "
			    "outside the file or misaligned",
			    sect_name(s->id), (unsigned long long)s->off,
			    (unsigned long long)s->len);
		for (j = 0; j < i; j++) {
			const struct db_sect *t = &db->sect[j];

			if (t->id == s->id)
				return why(wb, ws, "section %s twice",
				    sect_name(s->id));
			if (s->len > 0 && t->len > 0 &&
			    s->off < t->off + t->len &&
			    t->off < s->off + s->len)
				return why(wb, ws, "sections %s and %s "
				    "overlap", sect_name(t->id),
				    sect_name(s->id));
		}
	}
	return 0;
}

static int
open_vrps(struct manrs_db *db, char *wb, size_t ws, int *err)
{
	struct manrs_vrp_part parts[MANRS_VRP_PART_COUNT];
	const struct db_sect *s;
	char sub[256];
	unsigned i, have = 0;
	int rc;

	memset(parts, 0, sizeof(parts));
	for (i = 0; i < MANRS_VRP_PART_COUNT; i++)
		if ((s = find_sect(db, SECT_VRP + i)) != NULL) {
			parts[i].p = db->base + s->off;
			parts[i].len = s->len;
			have++;
		}
	if (have == 0)
		return 0;
	if (have != MANRS_VRP_PART_COUNT)
		return why(wb, ws, "%u of the %d VRP sections", have,
		    MANRS_VRP_PART_COUNT);
	sub[0] = '\0';
	if ((db->vrps = manrs_vrp_map(parts, sub, sizeof(sub), &rc)) == NULL) {
		if (rc == MANRS_E_NOMEM) {
			*err = rc;
			return rc;
		}
		return why(wb, ws, "%s", sub);
	}
	return 0;
}

static int
open_sections(struct manrs_db *db, char *wb, size_t ws, int *err)
{
	struct manrs_irrdb_part parts[MANRS_IRRDB_PART_COUNT];
	const struct db_sect *s;
	char sub[256];
	unsigned i, have = 0;
	int rc;

	if ((s = find_sect(db, SECT_PROV)) == NULL)
		return why(wb, ws, "no PROV section");
	if (s->len % sizeof(struct manrs_db_input) != 0 ||
	    s->len / sizeof(struct manrs_db_input) > MANRS_DB_INPUTS_MAX)
		return why(wb, ws, "section PROV: %llu bytes",
		    (unsigned long long)s->len);
	db->inputs = (const struct manrs_db_input *)(const void *)
	    (db->base + s->off);
	db->ninputs = s->len / sizeof(struct manrs_db_input);
	if ((rc = open_vrps(db, wb, ws, err)) != 0)
		return rc;
	memset(parts, 0, sizeof(parts));
	for (i = 0; i < MANRS_IRRDB_PART_COUNT; i++)
		if ((s = find_sect(db, SECT_IRR + i)) != NULL) {
			parts[i].p = db->base + s->off;
			parts[i].len = s->len;
			have++;
		}
	if (have == 0)
		return 0;
	if (have != MANRS_IRRDB_PART_COUNT)
		return why(wb, ws, "%u of the %d IRR sections", have,
		    MANRS_IRRDB_PART_COUNT);
	sub[0] = '\0';
	if ((db->irrdb = manrs_irrdb_map(parts, sub, sizeof(sub),
	    &rc)) == NULL) {
		if (rc == MANRS_E_NOMEM) {
			*err = rc;
			return rc;
		}
		return why(wb, ws, "%s", sub);
	}
	return 0;
}

static struct manrs_db *
db_open(const void *p, size_t len, bool mapped, char *wb, size_t ws,
    int *err)
{
	struct manrs_db *db;
	int rc;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	db->base = p;
	db->size = len;
	db->mapped = mapped;
	*err = 0;
	if ((uintptr_t)p % 8 != 0) {
		rc = why(wb, ws, "snapshot not 8-byte aligned in memory");
		goto fail;
	}
	if ((rc = check_header(db, wb, ws)) != 0 ||
	    (rc = open_sections(db, wb, ws, err)) != 0)
		goto fail;
	return db;
fail:
	if (*err == 0)
		*err = rc;
	db->mapped = false;	/* the caller unmaps */
	manrs_db_close(db);
	return NULL;
}

struct manrs_db *
manrs_db_open_mem(const void *p, size_t len, char *wb, size_t ws, int *err)
{
	return db_open(p, len, false, wb, ws, err);
}

struct manrs_db *
manrs_db_open(const char *path, char *wb, size_t ws, int *err)
{
	struct manrs_db *db;
	struct stat st;
	void *p;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		goto io;
	if (fstat(fd, &st) == -1) {
		e = errno;
		close(fd);
		errno = e;
		goto io;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < DB_DATA_OFF) {
		close(fd);
		*err = why(wb, ws, "%s: %s", path, S_ISREG(st.st_mode) ?
		    "too short for a snapshot: truncated?" :
		    "not a regular file");
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	e = errno;
	close(fd);
	if (p == MAP_FAILED) {
		errno = e;
		goto io;
	}
	if ((db = db_open(p, (size_t)st.st_size, true, wb, ws, err)) == NULL) {
		munmap(p, (size_t)st.st_size);
		return NULL;
	}
	return db;
io:
	*err = MANRS_E_IO;
	if (wb != NULL && ws > 0)
		snprintf(wb, ws, "%s: %s", path, strerror(errno));
	return NULL;
}

void
manrs_db_close(struct manrs_db *db)
{
	if (db == NULL)
		return;
	manrs_irrdb_free(db->irrdb);
	manrs_vrp_set_free(db->vrps);
	if (db->mapped)
		munmap((void *)(uintptr_t)db->base, db->size);
	free(db);
}

int
manrs_db_verify(const struct manrs_db *db, char *wb, size_t ws)
{
	uint32_t i, c;

	for (i = 0; i < db->hdr.nsect; i++) {
		const struct db_sect *s = &db->sect[i];

		c = crc(crc(0, NULL, 0), db->base + s->off, (size_t)s->len);
		if (c != s->crc)
			return why(wb, ws, "section %s (bytes %llu+%llu): "
			    "checksum 0x%08x, stored 0x%08x: damaged",
			    sect_name(s->id), (unsigned long long)s->off,
			    (unsigned long long)s->len, c, s->crc);
	}
	return 0;
}

const struct manrs_irrdb *
manrs_db_irrdb(const struct manrs_db *db)
{
	return db->irrdb;
}

static void
db_release(void *arg)
{
	manrs_db_close(arg);
}

struct manrs_irrdb *
manrs_db_take_irrdb(struct manrs_db *db)
{
	struct manrs_irrdb *irr = db->irrdb;

	if (irr == NULL) {
		manrs_db_close(db);
		return NULL;
	}
	db->irrdb = NULL;
	manrs_irrdb_on_free(irr, db_release, db);
	return irr;
}

struct manrs_vrp_set *
manrs_db_take_vrps(struct manrs_db *db)
{
	struct manrs_vrp_set *s = db->vrps;

	if (s == NULL) {
		manrs_db_close(db);
		return NULL;
	}
	db->vrps = NULL;
	manrs_vrp_set_on_free(s, db_release, db);
	return s;
}

const struct manrs_vrp_set *
manrs_db_vrps(const struct manrs_db *db)
{
	return db->vrps;
}

uint32_t
manrs_db_version(const struct manrs_db *db)
{
	return db->hdr.version;
}

int64_t
manrs_db_build_time(const struct manrs_db *db)
{
	return db->hdr.build_time;
}

size_t
manrs_db_size(const struct manrs_db *db)
{
	return db->size;
}

size_t
manrs_db_input_count(const struct manrs_db *db)
{
	return db->ninputs;
}

int
manrs_db_input(const struct manrs_db *db, size_t i, struct manrs_db_input *in)
{
	unsigned src;
	uint8_t b;

	if (i >= db->ninputs)
		return MANRS_E_NOTFOUND;
	memcpy(in, &db->inputs[i], sizeof(*in));
	in->source[sizeof(in->source) - 1] = '\0';
	in->prov.kind[sizeof(in->prov.kind) - 1] = '\0';
	in->prov.path[sizeof(in->prov.path) - 1] = '\0';
	in->prov.time_field[sizeof(in->prov.time_field) - 1] = '\0';
	/* Values a hostile file may hold that these types cannot. */
	memcpy(&src, &in->prov.time_src, sizeof(src));
	if (src > MANRS_PROV_TIME_MTIME)
		in->prov.time_src = MANRS_PROV_TIME_NONE;
	memcpy(&b, &in->prov.has_expiry, 1);
	b = b != 0;
	memcpy(&in->prov.has_expiry, &b, 1);
	return 0;
}

size_t
manrs_db_section_count(const struct manrs_db *db)
{
	return db->hdr.nsect;
}

int
manrs_db_section(const struct manrs_db *db, size_t i,
    struct manrs_db_section_info *info)
{
	if (i >= db->hdr.nsect)
		return MANRS_E_NOTFOUND;
	info->id = db->sect[i].id;
	info->name = sect_name(db->sect[i].id);
	info->offset = db->sect[i].off;
	info->length = db->sect[i].len;
	info->crc = db->sect[i].crc;
	return 0;
}
