/*
 * daemon_priv.h - privilege drop for the manrs daemons: leave root for
 * an unprivileged user, shed every capability, set no-new-privs and
 * install a seccomp filter that allows only what serving needs.
 *
 * Called once per process, after the listening sockets are bound and
 * before any input file or client byte is read.
 */
#ifndef MANRS_DAEMON_PRIV_H
#define MANRS_DAEMON_PRIV_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

/* The default user when --user is not given and it exists. */
#define DAEMON_PRIV_USER	"manrs"
/* The fallback when DAEMON_PRIV_USER does not exist. */
#define DAEMON_PRIV_FALLBACK	"nobody"

struct daemon_priv_opts {
	/*
	 * NULL: "manrs" if that system user exists, else "nobody".
	 * "root" is the only way to stay root (logged loudly).
	 */
	const char	*user;
	/* "irrd", "rtrd", "spoof-probe": log ident and seccomp profile. */
	const char	*name;
	/* Install the seccomp filter (false: --no-seccomp). */
	bool		 seccomp;
};

/*
 * The daemon fetches URL sources (rtrd --vrps URL, irrd --source
 * NAME=URL, docs/sync.md): its profile then also allows new TCP
 * sockets, and UDP ones for DNS.  Call before daemon_priv_drop().
 */
void	daemon_priv_allow_fetch(bool on);

/*
 * spoof-probe --csv: after the drop, renameat(2) and unlinkat(2) within
 * this folder descriptor only (the CSV replaced atomically after a good
 * run, outfile_open_at); -1 (the default) allows none.  Call before
 * daemon_priv_drop().  Only the spoof-probe profile honours it.
 */
void	daemon_priv_allow_rename_at(int dirfd);

/*
 * Before the drop: may the user daemon_priv_drop() will become create
 * and rename files in the folder dirfd (write and search access, as the
 * kernel decides for that user's groups, gid and uid: a short-lived
 * child process takes them)?  -1 when it may not (its name in who), 0
 * when it may or that cannot be told (then the rename will say).
 */
int	daemon_priv_can_write(const struct daemon_priv_opts *o, int dirfd,
	    char *who, size_t wholen);

/*
 * Before the drop: the user daemon_priv_drop() will leave the process
 * as (started as root: the --user, or its default; else the current
 * user), its uid in *uid and its name in who.  0, or -1 when the user
 * cannot be resolved (the drop will then say why).
 */
int	daemon_priv_uid(const struct daemon_priv_opts *o, uid_t *uid,
	    char *who, size_t wholen);

/*
 * Must run before any thread is started (capabilities, the bounding
 * set and no-new-privs are per thread): fails when more than one runs.
 * Started as root: drop to the user (supplementary groups, gid, uid,
 * verified not to be regainable).  Not root: no identity change.  In
 * every case drop all capabilities, set PR_SET_NO_NEW_PRIVS and, if
 * o->seccomp, install the profile named by o->name on every thread.
 * What it did is logged (daemon_priv_set_log).  Returns 0, or -1 with a message in
 * err (the process must then exit: it may be half-dropped).
 */
int	daemon_priv_drop(const struct daemon_priv_opts *o, char *err,
	    size_t errlen);

/*
 * Where daemon_priv_drop() logs (the daemon layer's logger), with a
 * syslog(3) priority (LOG_WARNING for --user root, LOG_INFO otherwise);
 * NULL, the default, writes "manrs NAME: MSG" lines to stderr.
 */
void	daemon_priv_set_log(void (*fn)(int prio, const char *msg));

#endif /* MANRS_DAEMON_PRIV_H */
