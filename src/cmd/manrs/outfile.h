/*
 * outfile.h - output files replaced atomically, only on success.
 *
 * Every command that writes a named output file writes it through this:
 * a temporary file in the same folder (so rename(2) is atomic), written,
 * fflush + fsync, then renamed over the target (and the folder synced);
 * on any failure, or when the caller aborts (a refused job), the
 * temporary file is removed and the previous file stays byte for byte.
 * The mode of an existing target is kept; a new one gets 0666 & ~umask
 * (as fopen(3) would).  "-" means standard output (written directly).
 */
#ifndef MANRS_OUTFILE_H
#define MANRS_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

struct outfile {
	FILE	*fp;		/* write here between open and commit */
	char	*path;		/* the target (owned copy) */
	char	*tmp;		/* the temporary file, NULL for stdout */
};

/* An outfile with its folder held open (outfile_open_at). */
struct outfile_at {
	struct outfile	 of;
	int		 dirfd;	/* the folder; -1 for stdout or closed */
};

/*
 * Start writing path.  0, or -1 with errno set (the folder is missing or
 * not writable, path is a folder: EISDIR).
 */
int	outfile_open(struct outfile *o, const char *path);
/*
 * The same, and the target's folder is kept open (o->dirfd, O_RDONLY |
 * O_DIRECTORY): outfile_commit_at and outfile_abort_at rename and
 * unlink only by renameat(2) / unlinkat(2) relative to it.  For a
 * process that drops its privileges and installs a seccomp filter
 * between open and commit (spoof-probe): the filter can allow renameat
 * on that one descriptor only.  "-" is standard output (dirfd -1).
 */
int	outfile_open_at(struct outfile_at *o, const char *path);
int	outfile_commit_at(struct outfile_at *o);
void	outfile_abort_at(struct outfile_at *o);
/*
 * Finish: flush, fsync, rename over the target.  0, or -1 with errno set
 * (then the temporary file is removed and the target is untouched).
 * Either way o is closed.
 */
int	outfile_commit(struct outfile *o);
/* Drop what was written; the target is untouched.  o may be closed. */
void	outfile_abort(struct outfile *o);
/* open + write len bytes + commit; 0 or -1 with errno set. */
int	outfile_write(const char *path, const void *buf, size_t len);

#endif /* MANRS_OUTFILE_H */
