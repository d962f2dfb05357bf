/*
 * outfile.c - output files replaced atomically (temporary file in the
 * target's folder, fsync, rename), only on success.  See outfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* The mode a new file gets from open(2) with 0666. */
static mode_t
new_file_mode(void)
{
	mode_t m = umask(022);

	umask(m);
	return 0666 & ~m;
}

/* The folder of path (a copy, for fsync after the rename). */
static char *
folder_of(const char *path)
{
	char *c = strdup(path), *d;

	if (c == NULL)
		return NULL;
	d = strdup(dirname(c));
	free(c);
	return d;
}

/* The last component of path (the name inside its folder). */
static const char *
base_of(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

/* Write a non-regular target directly: path set, tmp NULL. */
static int
open_direct(struct outfile *o, const char *path)
{
	int e;

	if ((o->path = strdup(path)) == NULL)
		return -1;
	if ((o->fp = fopen(path, "w")) == NULL) {
		e = errno;
		free(o->path);
		o->path = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

int
outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	mode_t mode;
	char *dir;
	int fd, e;

	memset(o, 0, sizeof(*o));
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		/*
		 * A device, FIFO or socket (/dev/null, /dev/stdout, a
		 * pipe) is written in place: renaming a file over it
		 * would replace the device node itself.
		 */
		if (!S_ISREG(st.st_mode))
			return open_direct(o, path);
		mode = st.st_mode & 07777;
	} else if (errno == ENOENT)
		mode = new_file_mode();
	else
		return -1;
	if ((o->path = strdup(path)) == NULL || (dir = folder_of(path)) ==
	    NULL)
		goto fail;
	if (asprintf(&o->tmp, "%s/.%s.XXXXXX", dir, base_of(path)) < 0) {
		o->tmp = NULL;
		free(dir);
		goto fail;
	}
	free(dir);
	if ((fd = mkostemp(o->tmp, O_CLOEXEC)) < 0)
		goto fail;
	if (fchmod(fd, mode) != 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		unlink(o->tmp);
		errno = e;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	errno = e;
	return -1;
}

int
outfile_open_at(struct outfile_at *o, const char *path)
{
	char *dir;
	int e;

	o->dirfd = -1;
	if (outfile_open(&o->of, path) != 0)
		return -1;
	if (o->of.tmp == NULL)		/* stdout */
		return 0;
	if ((dir = folder_of(path)) == NULL)
		goto fail;
	o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (o->dirfd < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	outfile_abort(&o->of);
	errno = e;
	return -1;
}

static void
sync_folder(const char *path)
{
	char *dir = folder_of(path);
	int fd;

	if (dir == NULL)
		return;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* dirfd >= 0: rename and unlink relative to it (outfile_open_at). */
static int
commit(struct outfile *o, int dirfd)
{
	int e = 0;

	errno = 0;
	if (o->fp == NULL) {
		errno = EBADF;
		return -1;
	}
	if (o->tmp == NULL) {		/* stdout, or a device written in place */
		e = fflush(o->fp) != 0 || ferror(o->fp) ? errno : 0;
		if (o->path != NULL && fclose(o->fp) != 0 && e == 0)
			e = errno;
		free(o->path);
		memset(o, 0, sizeof(*o));
		errno = e;
		return e != 0 ? -1 : 0;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
		e = errno != 0 ? errno : EIO;
	if (fclose(o->fp) != 0 && e == 0)
		e = errno;
	o->fp = NULL;
	if (dirfd >= 0) {
		if (e == 0 && renameat(dirfd, base_of(o->tmp), dirfd,
		    base_of(o->path)) != 0)
			e = errno;
		if (e != 0)
			(void)unlinkat(dirfd, base_of(o->tmp), 0);
		else
			(void)fsync(dirfd);
	} else {
		if (e == 0 && rename(o->tmp, o->path) != 0)
			e = errno;
		if (e != 0)
			unlink(o->tmp);
		else
			sync_folder(o->path);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	errno = e;
	return e != 0 ? -1 : 0;
}

int
outfile_commit(struct outfile *o)
{
	return commit(o, -1);
}

int
outfile_commit_at(struct outfile_at *o)
{
	int rc = commit(&o->of, o->dirfd), e = errno;

	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
	errno = e;
	return rc;
}

static void
abort_file(struct outfile *o, int dirfd)
{
	if (o->fp != NULL && o->tmp == NULL && o->path != NULL)
		fclose(o->fp);		/* a device written in place */
	if (o->fp != NULL && o->tmp != NULL) {
		fclose(o->fp);
		if (dirfd >= 0)
			(void)unlinkat(dirfd, base_of(o->tmp), 0);
		else
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

void
outfile_abort(struct outfile *o)
{
	abort_file(o, -1);
}

void
outfile_abort_at(struct outfile_at *o)
{
	abort_file(&o->of, o->dirfd);
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
}

int
outfile_write(const char *path, const void *buf, size_t len)
{
	struct outfile o;

	if (outfile_open(&o, path) != 0)
		return -1;
	if (len > 0 && fwrite(buf, 1, len, o.fp) != len) {
		int e = errno;

		outfile_abort(&o);
		errno = e != 0 ? e : EIO;
		return -1;
	}
	return outfile_commit(&o);
}
