/*
 * fuzz_sync_manifest.c - the DIR/sync.json reader of manrs sync
 * (src/cmd/manrs/sync_manifest.c, sync_manifest_parse).  Checked on every
 * input, else abort():
 * - a refusal says why, prefixed with the name given;
 * - a manifest read has unique, relative paths without "..", at most
 *   SYNC_MANIFEST_FILES_MAX of them, and SHA-256 values of 64 bytes;
 * - round trip: printed (what sync_manifest_save writes) and read again,
 *   it has the same entries (times not after 1970 are not written, so
 *   they come back as 0), and printed again, the same bytes;
 * - deleting an entry removes exactly that one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t
norm(int64_t t)
{
	return t > 0 ? t : 0;
}

static bool
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static bool
same_entry(const struct sync_entry *a, const struct sync_entry *b)
{
	return same_str(a->path, b->path) && same_str(a->source, b->source) &&
	    same_str(a->url, b->url) && same_str(a->etag, b->etag) &&
	    same_str(a->time_field, b->time_field) &&
	    same_str(a->checksum, b->checksum) &&
	    norm(a->last_modified) == norm(b->last_modified) &&
	    norm(a->fetched) == norm(b->fetched) &&
	    norm(a->changed) == norm(b->changed) &&
	    norm(a->data_time) == norm(b->data_time) && a->size == b->size &&
	    strcmp(a->sha256, b->sha256) == 0;
}

static void
check_read(struct sync_manifest *m)
{
	const struct sync_entry *e;
	size_t i, l;

	if (m->n > SYNC_MANIFEST_FILES_MAX || m->n > m->cap)
		abort();
	for (i = 0; i < m->n; i++) {
		e = &m->v[i];
		l = strlen(e->sha256);
		if (e->path == NULL || e->path[0] == '/' ||
		    strstr(e->path, "..") != NULL || (l != 0 && l != 64) ||
		    sync_manifest_find(m, e->path) != e)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sync_manifest a, b;
	struct sync_entry *e;
	char err[512], *t1 = NULL, *t2 = NULL, *gone = NULL;
	size_t l1, l2, i, n;

	sync_manifest_init(&a);
	sync_manifest_init(&b);
	err[0] = '\0';
	if (sync_manifest_parse(&a, (const char *)data, size, "fuzz", err,
	    sizeof(err)) != 0) {
		if (strncmp(err, "fuzz: ", 6) != 0 || strlen(err) < 7)
			abort();
		goto out;
	}
	check_read(&a);
	if (sync_manifest_print(&a, &t1, &l1) != 0)
		goto out;		/* out of memory */
	if (strlen(t1) != l1 || l1 == 0 || t1[l1 - 1] != '\n')
		abort();
	if (sync_manifest_parse(&b, t1, l1, "printed", err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "printed manifest refused: %s\n", err);
		abort();
	}
	check_read(&b);
	if (a.n != b.n || norm(a.synced) != norm(b.synced) ||
	    !same_str(a.peeringdb_access, b.peeringdb_access))
		abort();
	for (i = 0; i < a.n; i++)
		if ((e = sync_manifest_find(&b, a.v[i].path)) == NULL ||
		    !same_entry(&a.v[i], e))
			abort();
	if (sync_manifest_print(&b, &t2, &l2) != 0)
		goto out;
	if (l1 != l2 || memcmp(t1, t2, l1) != 0)
		abort();
	if (a.n > 0) {
		n = a.n;
		if ((gone = strdup(a.v[n / 2].path)) == NULL)
			goto out;
		sync_manifest_del(&a, gone);
		if (a.n != n - 1 || sync_manifest_find(&a, gone) != NULL)
			abort();
		check_read(&a);
		for (i = 0; i < b.n; i++)
			if (strcmp(b.v[i].path, gone) != 0 &&
			    sync_manifest_find(&a, b.v[i].path) == NULL)
				abort();
	}
out:
	free(gone);
	free(t1);
	free(t2);
	sync_manifest_clear(&a);
	sync_manifest_clear(&b);
	return 0;
}
