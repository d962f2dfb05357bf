/*
 * sync_manifest.c - DIR/sync.json, what `manrs sync` wrote:
 *
 *   {"format": "manrs-sync/1", "synced": "ISO",
 *    "peeringdb_access": "api-key" | "public",
 *    "files": [{"path": "rib/bview.20240101.0000.rrc00.gz",
 *      "source": "ris", "url": "https://...", "etag": "\"...\"",
 *      "last_modified": "ISO", "fetched": "ISO", "changed": "ISO",
 *      "size": N, "sha256": "hex", "data_time": "ISO",
 *      "time_field": "file name", "checksum": "md5 URL"}, ...]}
 *
 * Times are ISO 8601 UTC ("2024-01-01T00:00:00Z"); absent values are
 * omitted.  The file is written atomically (temporary file in the same
 * folder, fsync, rename) and read with a size limit; sync_manifest_parse
 * and sync_manifest_print work in memory (tests/fuzz/sync_manifest).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "sync.h"

void
sync_manifest_init(struct sync_manifest *m)
{
	memset(m, 0, sizeof(*m));
}

static void
entry_clear(struct sync_entry *e)
{
	free(e->path);
	free(e->source);
	free(e->url);
	free(e->etag);
	free(e->time_field);
	free(e->checksum);
	memset(e, 0, sizeof(*e));
}

void
sync_manifest_clear(struct sync_manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		entry_clear(&m->v[i]);
	free(m->v);
	free(m->peeringdb_access);
	memset(m, 0, sizeof(*m));
}

struct sync_entry *
sync_manifest_find(struct sync_manifest *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].path, path) == 0)
			return &m->v[i];
	return NULL;
}

static int
dup_str(char **dst, const char *s)
{
	*dst = NULL;
	if (s == NULL)
		return 0;
	return (*dst = strdup(s)) == NULL ? -1 : 0;
}

int
sync_manifest_set(struct sync_manifest *m, const struct sync_entry *e)
{
	struct sync_entry c, *old, *nv;
	size_t cap;

	if (e->path == NULL)
		return -1;
	c = *e;
	if (dup_str(&c.path, e->path) || dup_str(&c.source, e->source) ||
	    dup_str(&c.url, e->url) || dup_str(&c.etag, e->etag) ||
	    dup_str(&c.time_field, e->time_field) ||
	    dup_str(&c.checksum, e->checksum)) {
		entry_clear(&c);
		return -1;
	}
	if ((old = sync_manifest_find(m, e->path)) != NULL) {
		entry_clear(old);
		*old = c;
		return 0;
	}
	if (m->n == SYNC_MANIFEST_FILES_MAX) {
		entry_clear(&c);
		return -1;
	}
	if (m->n == m->cap) {
		cap = m->cap ? m->cap * 2 : 32;
		if ((nv = reallocarray(m->v, cap, sizeof(*nv))) == NULL) {
			entry_clear(&c);
			return -1;
		}
		m->v = nv;
		m->cap = cap;
	}
	m->v[m->n++] = c;
	return 0;
}

void
sync_manifest_del(struct sync_manifest *m, const char *path)
{
	struct sync_entry *e;
	size_t i;

	if ((e = sync_manifest_find(m, path)) == NULL)
		return;
	i = (size_t)(e - m->v);
	entry_clear(e);
	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(*m->v));
	m->n--;
}

static int64_t
iso_parse(const char *s)
{
	struct tm tm;
	const char *end;

	if (s == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	return (int64_t)timegm(&tm);
}

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int
sync_manifest_parse(struct sync_manifest *m, const char *buf, size_t len,
    const char *name, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root, *files, *f;
	struct sync_entry e;
	const char *s;
	size_t i;
	int rc = 0;

	if (len > SYNC_MANIFEST_MAX) {
		snprintf(err, errlen, "%s: larger than %u bytes", name,
		    SYNC_MANIFEST_MAX);
		return -1;
	}
	if ((root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		snprintf(err, errlen, "%s: line %d: %s", name, jerr.line,
		    jerr.text);
		return -1;
	}
	s = jstr(root, "format");
	files = json_object_get(root, "files");
	if (!json_is_object(root) || s == NULL ||
	    strcmp(s, "manrs-sync/1") != 0 || !json_is_array(files)) {
		snprintf(err, errlen, "%s: not a manrs-sync/1 manifest", name);
		json_decref(root);
		return -1;
	}
	m->synced = iso_parse(jstr(root, "synced"));
	if ((s = jstr(root, "peeringdb_access")) != NULL) {
		free(m->peeringdb_access);
		if (dup_str(&m->peeringdb_access, s) != 0)
			rc = -1;
	}
	json_array_foreach(files, i, f) {
		json_t *sz = json_object_get(f, "size");

		if (rc != 0)
			break;
		memset(&e, 0, sizeof(e));
		e.path = (char *)(uintptr_t)jstr(f, "path");
		e.source = (char *)(uintptr_t)jstr(f, "source");
		e.url = (char *)(uintptr_t)jstr(f, "url");
		e.etag = (char *)(uintptr_t)jstr(f, "etag");
		e.time_field = (char *)(uintptr_t)jstr(f, "time_field");
		e.checksum = (char *)(uintptr_t)jstr(f, "checksum");
		e.last_modified = iso_parse(jstr(f, "last_modified"));
		e.fetched = iso_parse(jstr(f, "fetched"));
		e.changed = iso_parse(jstr(f, "changed"));
		e.data_time = iso_parse(jstr(f, "data_time"));
		e.size = json_is_integer(sz) && json_integer_value(sz) >= 0 ?
		    (uint64_t)json_integer_value(sz) : 0;
		if ((s = jstr(f, "sha256")) != NULL && strlen(s) == 64)
			memcpy(e.sha256, s, 65);
		if (e.path == NULL || e.path[0] == '/' ||
		    strstr(e.path, "..") != NULL) {
			snprintf(err, errlen, "%s: file %zu: bad path", name,
			    i);
			json_decref(root);
			return -1;
		}
		if (m->n == SYNC_MANIFEST_FILES_MAX &&
		    sync_manifest_find(m, e.path) == NULL) {
			snprintf(err, errlen, "%s: more than %d files", name,
			    SYNC_MANIFEST_FILES_MAX);
			json_decref(root);
			return -1;
		}
		if (sync_manifest_set(m, &e) != 0)
			rc = -1;
	}
	json_decref(root);
	if (rc != 0)
		snprintf(err, errlen, "%s: out of memory", name);
	return rc;
}

int
sync_manifest_load(struct sync_manifest *m, const char *path, char *err,
    size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t r;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0)
		goto io;
	if (st.st_size > (off_t)SYNC_MANIFEST_MAX) {
		snprintf(err, errlen, "%s: larger than %u bytes", path,
		    SYNC_MANIFEST_MAX);
		close(fd);
		return -1;
	}
	/* One byte more than the limit: a file that grew is refused. */
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto io;
	for (;;) {
		if (len == (size_t)st.st_size + 1) {
			snprintf(err, errlen, "%s: grew while read", path);
			free(buf);
			close(fd);
			return -1;
		}
		r = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto io;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	rc = sync_manifest_parse(m, buf, len, path, err, errlen);
	free(buf);
	return rc;
io:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	free(buf);
	close(fd);
	return -1;
}

static int
set_time(json_t *o, const char *key, int64_t t)
{
	char buf[32];

	if (t <= 0)
		return 0;
	manrs_time_iso(t, buf, sizeof(buf));
	return json_object_set_new(o, key, json_string(buf));
}

static int
set_str(json_t *o, const char *key, const char *s)
{
	if (s == NULL)
		return 0;
	return json_object_set_new(o, key, json_string(s));
}

static int
path_cmp(const void *a, const void *b)
{
	const struct sync_entry *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/* The JSON of m, files sorted by path; NULL when out of memory. */
static json_t *
manifest_json(const struct sync_manifest *m)
{
	const struct sync_entry **sorted = NULL;
	json_t *root, *files, *f;
	size_t i;

	root = json_object();
	files = json_array();
	if (root == NULL || files == NULL)
		goto fail;
	if (m->n > 0 && (sorted = calloc(m->n, sizeof(*sorted))) == NULL)
		goto fail;
	for (i = 0; i < m->n; i++)
		sorted[i] = &m->v[i];
	if (m->n > 1)
		qsort(sorted, m->n, sizeof(*sorted), path_cmp);
	if (set_str(root, "format", "manrs-sync/1") ||
	    set_time(root, "synced", m->synced) ||
	    set_str(root, "peeringdb_access", m->peeringdb_access))
		goto fail;
	for (i = 0; i < m->n; i++) {
		const struct sync_entry *e = sorted[i];

		if ((f = json_object()) == NULL ||
		    json_array_append_new(files, f) != 0 ||
		    set_str(f, "path", e->path) ||
		    set_str(f, "source", e->source) ||
		    set_str(f, "url", e->url) ||
		    set_str(f, "etag", e->etag) ||
		    set_time(f, "last_modified", e->last_modified) ||
		    set_time(f, "fetched", e->fetched) ||
		    set_time(f, "changed", e->changed) ||
		    json_object_set_new(f, "size",
		    json_integer((json_int_t)e->size)) ||
		    set_str(f, "sha256", e->sha256[0] ? e->sha256 : NULL) ||
		    set_time(f, "data_time", e->data_time) ||
		    set_str(f, "time_field", e->time_field) ||
		    set_str(f, "checksum", e->checksum))
			goto fail;
	}
	if (json_object_set_new(root, "files", files) != 0) {
		files = NULL;	/* set_new released it */
		goto fail;
	}
	free(sorted);
	return root;
fail:
	json_decref(files);
	json_decref(root);
	free(sorted);
	return NULL;
}

int
sync_manifest_print(const struct sync_manifest *m, char **out, size_t *len)
{
	json_t *root;
	char *s;
	size_t n;

	*out = NULL;
	*len = 0;
	if ((root = manifest_json(m)) == NULL)
		return -1;
	s = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	if (s == NULL)
		return -1;
	n = strlen(s);
	if ((*out = malloc(n + 2)) == NULL) {
		free(s);
		return -1;
	}
	memcpy(*out, s, n);
	free(s);
	(*out)[n] = '\n';
	(*out)[n + 1] = '\0';
	*len = n + 1;
	return 0;
}

int
sync_manifest_save(const struct sync_manifest *m, const char *path,
    char *err, size_t errlen)
{
	char tmp[4096], *text;
	size_t len;
	int fd = -1;
	FILE *fp = NULL;

	if (sync_manifest_print(m, &text, &len) != 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0644) != 0 ||
	    (fp = fdopen(fd, "w")) == NULL)
		goto io;
	fd = -1;
	if (fwrite(text, 1, len, fp) != len || fflush(fp) != 0 ||
	    fsync(fileno(fp)) != 0)
		goto io;
	if (fclose(fp) != 0) {
		fp = NULL;
		goto io;
	}
	fp = NULL;
	if (rename(tmp, path) != 0)
		goto io;
	free(text);
	return 0;
io:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	if (fp != NULL)
		fclose(fp);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(text);
	return -1;
}

size_t
sync_provenance_annotate(const char *data_dir,
    struct manrs_provenance_list *prov)
{
	struct sync_manifest m;
	struct sync_entry *e;
	char path[4096], err[512];
	struct stat st;
	size_t i, dl, n = 0;
	bool pdb = false;

	if (data_dir == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/sync.json", data_dir);
	sync_manifest_init(&m);
	if (access(path, F_OK) != 0)
		return 0;
	if (sync_manifest_load(&m, path, err, sizeof(err)) != 0) {
		manrs_provenance_warn(prov, "%s; the inputs' origin is not "
		    "known", err);
		sync_manifest_clear(&m);
		return 0;
	}
	dl = strlen(data_dir);
	while (dl > 1 && data_dir[dl - 1] == '/')
		dl--;
	for (i = 0; i < prov->n; i++) {
		struct manrs_provenance *p = &prov->v[i];
		const char *rel = p->path;

		if (strncmp(rel, data_dir, dl) != 0 || rel[dl] != '/')
			continue;
		rel += dl + 1;
		while (rel[0] == '/')
			rel++;
		if (strcmp(p->kind, "peeringdb") == 0)
			pdb = true;
		if ((e = sync_manifest_find(&m, rel)) == NULL)
			continue;
		if (e->url != NULL)
			strlcpy(p->url, e->url, sizeof(p->url));
		p->fetched = e->fetched;
		memcpy(p->sha256, e->sha256, sizeof(p->sha256));
		n++;
		/* Changed since sync wrote it: the manifest no longer says. */
		if (stat(p->path, &st) == 0 && (uint64_t)st.st_size != e->size)
			manrs_provenance_warn(prov, "%s: %llu bytes, %llu when "
			    "manrs sync fetched it from %s: changed since",
			    p->path, (unsigned long long)st.st_size,
			    (unsigned long long)e->size, e->url != NULL ?
			    e->url : "-");
	}
	if (pdb && m.peeringdb_access != NULL &&
	    strcmp(m.peeringdb_access, "public") == 0)
		manrs_provenance_warn(prov, "PeeringDB was fetched without an "
		    "API key (sync.json): only contacts marked public were "
		    "seen; a network's other contacts are not known (set "
		    "PEERINGDB_API_KEY for manrs sync)");
	sync_manifest_clear(&m);
	return n;
}
