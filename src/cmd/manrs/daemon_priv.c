/*
 * daemon_priv.c - leave root, shed capabilities, set no-new-privs and
 * confine the process with a seccomp filter (STYLE.md "Daemons": bind,
 * then run the network-facing part without root).
 *
 * Order matters and is fixed here:
 *   0. refuse when more than one thread runs: capabilities, the
 *      bounding set and no-new-privs belong to a thread;
 *   1. resolve the user while NSS still works (getpwnam, initgroups);
 *   2. as root: supplementary groups, then gid, then the capability
 *      bounding set, then uid (setresuid from 0 to non-zero clears the
 *      permitted, effective and ambient sets), then prove that neither
 *      uid 0 nor gid 0 can be taken back;
 *   3. clear whatever capabilities are left (a daemon started by
 *      systemd as the manrs user with AmbientCapabilities= holds
 *      CAP_NET_BIND_SERVICE until here; --user root keeps uid 0 but no
 *      capability at all);
 *   4. PR_SET_NO_NEW_PRIVS;
 *   5. the seccomp filter, synchronised to every thread (TSYNC).
 *
 * Seccomp default action: EPERM, not kill.  The allow list is what the
 * serving paths call; a syscall it misses is a benign libc path we did
 * not foresee far more often than an attack (a reload taking a rarer
 * glibc route), and EPERM turns that into an error the
 * daemon already handles and logs while it keeps serving the data it
 * has.  The calls that only an exploit makes (execve, ptrace, mount,
 * module loading, namespaces, bpf, identity changes, ...) kill the
 * process instead, so an attacker gets no second try and the kernel
 * logs the attempt.  clone3 answers ENOSYS so glibc falls back to clone,
 * whose flags a filter can see (clone3 passes them in memory): threads
 * (CLONE_THREAD) are allowed, fork is not.  Mappings both writable and
 * executable, and mprotect adding PROT_EXEC, are refused (the same rule
 * as systemd's MemoryDenyWriteExecute=).  Files are opened for reading
 * only: whatever a daemon writes is opened before the drop (spoof-probe
 * then renames its CSV's temporary file over the last one after a good
 * run: renameat/unlinkat relative to that folder's descriptor only).  New
 * sockets: AF_UNIX only (the syslog socket, libevent's signal pair);
 * spoof-probe may also open the TCP connection that asks its receiver
 * for results.  Never a raw or a packet socket once the filter is in.
 *
 * Sanitizer builds (ASan/LSan/UBSan): LeakSanitizer stops the world at
 * exit with a tracer that shares our memory (clone with CLONE_VM but not
 * CLONE_THREAD) and ptrace()s every thread, and reports symbolise by
 * fork+exec of a symbolizer.  There the filter also allows ptrace,
 * wait4, prctl, getdents, CLONE_VM clones and opening files for writing
 * (log_path=), leaves execve to the EPERM default (not kill)
 * so a report degrades to unsymbolised frames, and the process stays
 * dumpable (setuid cleared it) so the tracer may attach.  The rest of
 * the profile is the same, so the sanitizer runs still exercise it.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <linux/capability.h>
#include <linux/sched.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <unistd.h>

#include "daemon_priv.h"

#if defined(MANRS_SANITIZED) || defined(__SANITIZE_ADDRESS__) || \
    defined(__SANITIZE_THREAD__)
#define PRIV_SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(undefined_behavior_sanitizer)
#define PRIV_SANITIZED	1
#endif
#endif
#ifndef PRIV_SANITIZED
#define PRIV_SANITIZED	0
#endif

static void	(*priv_log_fn)(int, const char *);

void
daemon_priv_set_log(void (*fn)(int prio, const char *msg))
{
	priv_log_fn = fn;
}

static void priv_log(const struct daemon_priv_opts *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
priv_log(const struct daemon_priv_opts *o, int prio, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	const char *name = o->name != NULL ? o->name : "daemon";

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (priv_log_fn != NULL)
		priv_log_fn(prio, msg);
	else {
		fprintf(stderr, "manrs %s: %s\n", name, msg);
		fflush(stderr);
	}
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Identity                                                            */

/* The passwd entry of the user to run as; the name is copied to who. */
static int
pick_user(const struct daemon_priv_opts *o, char *who, size_t wholen,
    uid_t *uid, gid_t *gid, char *err, size_t errlen)
{
	const char *name = o->user;
	struct passwd *pw;

	errno = 0;
	if (name != NULL)
		pw = getpwnam(name);
	else if ((pw = getpwnam(DAEMON_PRIV_USER)) != NULL)
		name = DAEMON_PRIV_USER;
	else {
		name = DAEMON_PRIV_FALLBACK;
		errno = 0;
		pw = getpwnam(name);
	}
	if (pw == NULL)
		return fail(err, errlen, "--user %s: %s", name, errno != 0 ?
		    strerror(errno) : "no such user");
	if (pw->pw_uid == 0 && strcmp(name, "root") != 0)
		return fail(err, errlen, "--user %s: has uid 0; only "
		    "\"--user root\" keeps root", name);
	if (strlcpy(who, name, wholen) >= wholen)
		return fail(err, errlen, "--user: name too long");
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Drop every capability from the bounding set (needs CAP_SETPCAP). */
static void
drop_bounding_set(void)
{
	int c;

	for (c = 0; c <= 63; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno == EINVAL)
			break;
}

/* Empty the permitted, effective, inheritable and ambient sets. */
static int
clear_caps(char *err, size_t errlen)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
	    errno != EINVAL)
		return fail(err, errlen, "clearing ambient capabilities: %s",
		    strerror(errno));
	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &h, d) != 0)
		return fail(err, errlen, "capset: %s", strerror(errno));
	memset(d, 0xff, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		return fail(err, errlen, "capget: %s", strerror(errno));
	if (d[0].permitted | d[1].permitted | d[0].effective |
	    d[1].effective | d[0].inheritable | d[1].inheritable)
		return fail(err, errlen, "capabilities still held after "
		    "capset");
	return 0;
}

static int
become(const char *who, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	uid_t r, e, s;
	gid_t rg, eg, sg, groups[256];
	int i, n;

	if (initgroups(who, gid) != 0)
		return fail(err, errlen, "--user %s: initgroups: %s", who,
		    strerror(errno));
	if (setresgid(gid, gid, gid) != 0)
		return fail(err, errlen, "--user %s: setresgid %u: %s", who,
		    (unsigned)gid, strerror(errno));
	drop_bounding_set();
	if (setresuid(uid, uid, uid) != 0)
		return fail(err, errlen, "--user %s: setresuid %u: %s", who,
		    (unsigned)uid, strerror(errno));
	/* Prove it: every id is the user's and root cannot come back. */
	if (getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != gid || eg != gid ||
	    sg != gid)
		return fail(err, errlen, "--user %s: ids not all changed", who);
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0 ||
	    setegid(0) == 0)
		return fail(err, errlen, "--user %s: could regain root", who);
	if ((n = getgroups((int)(sizeof(groups) / sizeof(groups[0])),
	    groups)) < 0)
		return fail(err, errlen, "--user %s: getgroups: %s", who,
		    strerror(errno));
	for (i = 0; i < n; i++)
		if (groups[i] == 0)
			return fail(err, errlen, "--user %s: member of group "
			    "0 (root); refusing", who);
	return 0;
}

int
daemon_priv_uid(const struct daemon_priv_opts *o, uid_t *uid, char *who,
    size_t wholen)
{
	char err[256];
	struct passwd *pw;
	gid_t gid;

	if (geteuid() == 0 || getuid() == 0)
		return pick_user(o, who, wholen, uid, &gid, err, sizeof(err));
	*uid = geteuid();
	pw = getpwuid(*uid);
	(void)strlcpy(who, pw != NULL ? pw->pw_name : "the current user",
	    wholen);
	return 0;
}

/*
 * A child takes the identity the drop will give (groups, gid, uid) and
 * asks the kernel: only it knows modes, ACLs and supplementary groups.
 */
int
daemon_priv_can_write(const struct daemon_priv_opts *o, int dirfd,
    char *who, size_t wholen)
{
	char err[256];
	uid_t uid;
	gid_t gid;
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		(void)strlcpy(who, "the current user", wholen);
		return faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS) == 0 ||
		    errno != EACCES ? 0 : -1;
	}
	if (pick_user(o, who, wholen, &uid, &gid, err, sizeof(err)) != 0 ||
	    uid == 0)
		return 0;	/* the drop says why, or stays root */
	if ((pid = fork()) < 0)
		return 0;	/* cannot tell: the rename will say */
	if (pid == 0) {
		if (initgroups(who, gid) != 0 ||
		    setresgid(gid, gid, gid) != 0 ||
		    setresuid(uid, uid, uid) != 0)
			_exit(2);
		_exit(faccessat(dirfd, ".", W_OK | X_OK, 0) == 0 ? 0 :
		    errno == EACCES ? 1 : 2);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 1 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Seccomp                                                             */

/*
 * The profiles are one table: each row names the calls it covers, the
 * action, when it applies (any of the facts F_* that hold for this
 * process: its profile, its options, the build) and, for a conditional
 * rule, the arguments it must match.  Rows are added in table order.
 */
#define F_IRRD		0x01u	/* the irrd profile */
#define F_RTRD		0x02u	/* rtrd, and monitor's BMP station */
#define F_SPOOF		0x04u	/* spoof-probe */
#define F_FETCH		0x08u	/* URL sources (daemon_priv_allow_fetch) */
#define F_CSVDIR	0x10u	/* spoof-probe with a CSV folder descriptor */
#define F_PLAIN		0x20u	/* a build without sanitizers */
#define F_SANITIZED	0x40u	/* a sanitizer build */
#define F_ALL		(F_IRRD | F_RTRD | F_SPOOF)

#define ALLOW		SCMP_ACT_ALLOW
#define KILL		SCMP_ACT_KILL_PROCESS

/* An argument value known only when the filter is built. */
enum { V_CONST, V_PID, V_DIRFD };

struct sc_arg {
	unsigned char		 n;	/* which argument */
	unsigned char		 var;	/* V_PID, V_DIRFD: datum a is that */
	enum scmp_compare	 op;
	scmp_datum_t		 a, b;	/* EQ: a; MASKED_EQ: (arg & a) == b */
};

#define EQ(n, v)	{ (n), V_CONST, SCMP_CMP_EQ, (scmp_datum_t)(v), 0 }
#define EQ_VAR(n, var)	{ (n), (var), SCMP_CMP_EQ, 0, 0 }
#define MASKED(n, m, v)	{ (n), V_CONST, SCMP_CMP_MASKED_EQ,		\
	(scmp_datum_t)(m), (scmp_datum_t)(v) }
#define OPEN_WRITE	(O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

struct sc_row {
	unsigned	 when;	/* F_*: the row applies when any holds */
	uint32_t	 act;	/* SCMP_ACT_* */
	const char	*calls;	/* system call names, space-separated */
	unsigned	 nargs;
	struct sc_arg	 arg[3];
};

static const struct sc_row sc_table[] = {
	/*
	 * Every profile, to serve.  I/O on sockets and files already
	 * open, and accept.
	 */
	{ F_ALL, ALLOW, "read write readv writev pread64 pwrite64 preadv "
	    "pwritev recvfrom recvmsg recvmmsg sendto sendmsg sendmmsg "
	    "accept accept4 shutdown getsockname getpeername getsockopt "
	    "setsockopt connect socketpair close dup dup2 dup3 fcntl lseek "
	    "pipe pipe2 eventfd eventfd2", 0, { { 0 } } },
	/* Event loops. */
	{ F_ALL, ALLOW, "epoll_create epoll_create1 epoll_ctl epoll_wait "
	    "epoll_pwait epoll_pwait2 poll ppoll select pselect6", 0,
	    { { 0 } } },
	/* Timers and clocks. */
	{ F_ALL, ALLOW, "timerfd_create timerfd_settime timerfd_gettime "
	    "nanosleep clock_nanosleep clock_gettime clock_getres "
	    "gettimeofday time", 0, { { 0 } } },
	/*
	 * Files, read only: reloads read; every file a daemon writes (the
	 * port file, spoof-probe's CSV) is opened before the drop.  open
	 * and openat are conditional, below.
	 */
	{ F_ALL, ALLOW, "stat fstat lstat newfstatat statx statfs fstatfs "
	    "access faccessat faccessat2 readlink readlinkat getdents64 "
	    "fadvise64 fsync fdatasync getcwd inotify_init1 "
	    "inotify_add_watch inotify_rm_watch", 0, { { 0 } } },
	/* Memory (mmap and mprotect are conditional, below). */
	{ F_ALL, ALLOW, "munmap mremap madvise brk mincore", 0, { { 0 } } },
	/* Threads: the reload worker and the query pool. */
	{ F_ALL, ALLOW, "futex set_robust_list get_robust_list rseq "
	    "set_tid_address gettid sched_yield sched_getaffinity "
	    "membarrier", 0, { { 0 } } },
	/* Signals. */
	{ F_ALL, ALLOW, "rt_sigaction rt_sigprocmask rt_sigreturn "
	    "rt_sigtimedwait rt_sigsuspend rt_sigpending signalfd signalfd4 "
	    "sigaltstack restart_syscall", 0, { { 0 } } },
	/* Harmless reads of our own state. */
	{ F_ALL, ALLOW, "getpid getppid getuid geteuid getgid getegid "
	    "getresuid getresgid getgroups getrlimit setrlimit getrusage "
	    "uname sysinfo getrandom exit exit_group", 0, { { 0 } } },

	/* Calls only an exploit makes once serving: kill the process. */
	{ F_ALL, KILL, "mount umount2 pivot_root chroot unshare setns "
	    "move_mount open_tree fsopen fsconfig fsmount fspick "
	    "mount_setattr bpf init_module finit_module delete_module "
	    "kexec_load kexec_file_load reboot swapon swapoff acct keyctl "
	    "add_key request_key perf_event_open userfaultfd "
	    "process_vm_readv process_vm_writev pidfd_getfd kcmp iopl ioperm "
	    "open_by_handle_at name_to_handle_at fanotify_init settimeofday "
	    "clock_settime clock_adjtime adjtimex quotactl personality "
	    "setuid setgid setreuid setregid setresuid setresgid setgroups "
	    "setfsuid setfsgid capset execveat", 0, { { 0 } } },

	/* Writable or executable, never both; PROT_EXEC never added. */
	{ F_ALL, ALLOW, "mmap", 1, { MASKED(2, PROT_EXEC, 0) } },
	{ F_ALL, ALLOW, "mmap", 1, { MASKED(2, PROT_WRITE, 0) } },
	{ F_ALL, ALLOW, "mprotect pkey_mprotect", 1,
	    { MASKED(2, PROT_EXEC, 0) } },
	/* Threads, not processes (glibc falls back from clone3). */
	{ F_ALL, ALLOW, "clone", 1,
	    { MASKED(0, CLONE_THREAD, CLONE_THREAD) } },
	{ F_SANITIZED, ALLOW, "clone", 1,
	    { MASKED(0, CLONE_VM | CLONE_THREAD, CLONE_VM) } },
	{ F_ALL, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, { { 0 } } },
	/* Opening for reading only (no write, create, truncate). */
	{ F_PLAIN, ALLOW, "open", 1, { MASKED(1, OPEN_WRITE, 0) } },
	{ F_PLAIN, ALLOW, "openat", 1, { MASKED(2, OPEN_WRITE, 0) } },
	/* Signals to ourselves only (raise, abort, pthread_kill). */
	{ F_PLAIN, ALLOW, "kill tgkill", 1, { EQ_VAR(0, V_PID) } },
	/* Thread names; nothing else of prctl. */
	{ F_PLAIN, ALLOW, "prctl", 1, { EQ(0, PR_SET_NAME) } },
	{ F_PLAIN, ALLOW, "prctl", 1, { EQ(0, PR_GET_NAME) } },
	/* Our own resource limits (the fd limit raise). */
	{ F_ALL, ALLOW, "prlimit64", 1, { EQ(0, 0) } },
	/*
	 * irrd's heavy-query workers lower their own priority (per-thread
	 * nice); raising it needs CAP_SYS_NICE, which is gone.
	 */
	{ F_ALL, ALLOW, "setpriority getpriority", 1,
	    { EQ(0, PRIO_PROCESS) } },
	/* Bytes waiting (libevent), non-blocking, stdio's isatty. */
	{ F_ALL, ALLOW, "ioctl", 1, { EQ(1, FIONREAD) } },
	{ F_ALL, ALLOW, "ioctl", 1, { EQ(1, FIONBIO) } },
	{ F_ALL, ALLOW, "ioctl", 1, { EQ(1, TCGETS) } },
	/* New sockets: AF_UNIX (syslog, libevent) only ... */
	{ F_ALL, ALLOW, "socket", 1, { EQ(0, AF_UNIX) } },
	/*
	 * ... but spoof-probe asks its receiver over TCP, and a daemon
	 * with URL sources fetches them ...
	 */
	{ F_SPOOF | F_FETCH, ALLOW, "socket", 2,
	    { EQ(0, AF_INET), MASKED(1, 0xf, SOCK_STREAM) } },
	{ F_SPOOF | F_FETCH, ALLOW, "socket", 2,
	    { EQ(0, AF_INET6), MASKED(1, 0xf, SOCK_STREAM) } },
	/*
	 * spoof-probe --csv: the results file is replaced atomically, as
	 * every manrs output file (outfile.c): its temporary file is
	 * created before the drop, and only after a good run renamed over
	 * the previous CSV.  Allowed: renameat (and glibc's renameat2
	 * with flags 0) and unlinkat (of the temporary file after a failed
	 * run), both only relative to the CSV's folder descriptor, opened
	 * before the drop (daemon_priv_allow_rename_at); never rename(2)
	 * or an AT_FDCWD path, so nothing outside that folder.
	 */
	{ F_CSVDIR, ALLOW, "renameat", 2,
	    { EQ_VAR(0, V_DIRFD), EQ_VAR(2, V_DIRFD) } },
	{ F_CSVDIR, ALLOW, "renameat2", 3,
	    { EQ_VAR(0, V_DIRFD), EQ_VAR(2, V_DIRFD), EQ(4, 0) } },
	{ F_CSVDIR, ALLOW, "unlinkat", 2, { EQ_VAR(0, V_DIRFD), EQ(2, 0) } },
	/* ... and resolves names (UDP). */
	{ F_FETCH, ALLOW, "socket", 2,
	    { EQ(0, AF_INET), MASKED(1, 0xf, SOCK_DGRAM) } },
	{ F_FETCH, ALLOW, "socket", 2,
	    { EQ(0, AF_INET6), MASKED(1, 0xf, SOCK_DGRAM) } },

	/*
	 * Sanitizer runtimes: LSan's tracer, symbolizer spawning, reports,
	 * log_path= and coverage data (execve falls to the default,
	 * EPERM).  Without sanitizers these two are killed.
	 */
	{ F_SANITIZED, ALLOW, "ptrace wait4 waitid prctl kill tgkill tkill "
	    "sched_setaffinity mlock munlock msync getdents open openat "
	    "unlink rename ftruncate umask", 0, { { 0 } } },
	{ F_PLAIN, KILL, "ptrace execve", 0, { { 0 } } },
};

/* spoof-probe's CSV folder (daemon_priv_allow_rename_at), or -1. */
static int rename_dirfd = -1;

void
daemon_priv_allow_rename_at(int dirfd)
{
	rename_dirfd = dirfd;
}

/* URL sources: outbound TCP, and UDP for DNS (daemon_priv_allow_fetch). */
static bool allow_fetch;

void
daemon_priv_allow_fetch(bool on)
{
	allow_fetch = on;
}

/* One row: each of its calls, with its arguments. */
static int
add_row(scmp_filter_ctx ctx, const struct sc_row *r, char *err,
    size_t errlen)
{
	struct scmp_arg_cmp cmp[3];
	const char *p;
	char name[32];
	size_t len;
	unsigned i;
	int sys, rc;

	for (i = 0; i < r->nargs; i++) {
		cmp[i].arg = r->arg[i].n;
		cmp[i].op = r->arg[i].op;
		cmp[i].datum_a = r->arg[i].var == V_PID ?
		    (scmp_datum_t)getpid() : r->arg[i].var == V_DIRFD ?
		    (scmp_datum_t)rename_dirfd : r->arg[i].a;
		cmp[i].datum_b = r->arg[i].b;
	}
	for (p = r->calls; *(p += strspn(p, " ")) != '\0'; p += len) {
		len = strcspn(p, " ");
		if (len >= sizeof(name))
			return fail(err, errlen, "seccomp: call name too long "
			    "in the table");
		memcpy(name, p, len);
		name[len] = '\0';
		if ((sys = seccomp_syscall_resolve_name(name)) ==
		    __NR_SCMP_ERROR)
			return fail(err, errlen, "seccomp: unknown system call "
			    "\"%s\"", name);
		rc = seccomp_rule_add_array(ctx, r->act, sys, r->nargs, cmp);
		if (rc != 0 && rc != -EDOM)	/* not on this architecture */
			return fail(err, errlen, "seccomp: %s: %s", name,
			    strerror(-rc));
	}
	return 0;
}

static int
install_seccomp(const struct daemon_priv_opts *o, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	unsigned facts;
	size_t i;
	int rc;

	if (o->name != NULL && strcmp(o->name, "irrd") == 0)
		facts = F_IRRD;
	else if (o->name != NULL && (strcmp(o->name, "rtrd") == 0 ||
	    strcmp(o->name, "monitor") == 0))
		facts = F_RTRD;	/* monitor's BMP station: the same */
	else if (o->name != NULL && strcmp(o->name, "spoof-probe") == 0)
		facts = F_SPOOF | (rename_dirfd >= 0 ? F_CSVDIR : 0);
	else
		return fail(err, errlen, "seccomp: no profile named \"%s\"",
		    o->name != NULL ? o->name : "(null)");
	facts |= (allow_fetch ? F_FETCH : 0) |
	    (PRIV_SANITIZED ? F_SANITIZED : F_PLAIN);
	if (seccomp_api_get() < 3)
		return fail(err, errlen, "seccomp: API level %u, need 3: the "
		    "kernel or libseccomp is too old, or the seccomp() call "
		    "is filtered (a systemd SystemCallFilter= without "
		    "\"seccomp\"); --no-seccomp runs without",
		    seccomp_api_get());
	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL)
		return fail(err, errlen, "seccomp: cannot initialise");
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0)
		goto out;
	for (i = 0; i < sizeof(sc_table) / sizeof(sc_table[0]); i++)
		if ((sc_table[i].when & facts) != 0 &&
		    add_row(ctx, &sc_table[i], err, errlen) != 0) {
			seccomp_release(ctx);
			return -1;
		}
	rc = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	if (rc != 0)
		return fail(err, errlen, "seccomp: %s", strerror(-rc));
	return 0;
}

/*
 * Threads running, from /proc/self/status; 0 when it cannot be read
 * (no /proc: nothing to check against).
 */
static int
thread_count(void)
{
	char line[128];
	FILE *fp;
	int n = 0;

	if ((fp = fopen("/proc/self/status", "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "Threads:", 8) == 0) {
			n = (int)strtol(line + 8, NULL, 10);
			break;
		}
	fclose(fp);
	return n;
}

/* ------------------------------------------------------------------ */

int
daemon_priv_drop(const struct daemon_priv_opts *o, char *err, size_t errlen)
{
	char who[64];
	uid_t uid = 0, euid = geteuid();
	gid_t gid = 0;
	bool root = euid == 0 || getuid() == 0;
	int n;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	/* A thread started earlier would keep its capabilities. */
	if ((n = thread_count()) > 1)
		return fail(err, errlen, "privileges must be dropped before "
		    "any thread starts (%d running)", n);
	if (root) {
		if (pick_user(o, who, sizeof(who), &uid, &gid, err,
		    errlen) != 0)
			return -1;
		if (uid == 0) {
			priv_log(o, LOG_WARNING, "WARNING: running as root "
			    "(--user root): a flaw in the daemon would be a "
			    "flaw with uid 0; capabilities, no-new-privs and "
			    "seccomp still apply");
			drop_bounding_set();
		} else if (become(who, uid, gid, err, errlen) != 0)
			return -1;
	} else {
		struct passwd *pw = getpwuid(euid);

		if (strlcpy(who, pw != NULL ? pw->pw_name : "?",
		    sizeof(who)) >= sizeof(who))
			who[sizeof(who) - 1] = '\0';
		if (o->user != NULL && strcmp(o->user, who) != 0)
			priv_log(o, LOG_NOTICE, "not started as root: --user "
			    "%s ignored, staying %s", o->user, who);
		uid = euid;
		gid = getegid();
	}
	if (clear_caps(err, errlen) != 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return fail(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
	/* LeakSanitizer's tracer must attach; setuid made us undumpable. */
	if (PRIV_SANITIZED && root && uid != 0)
		(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (!o->seccomp)
		priv_log(o, LOG_WARNING, "seccomp filter disabled "
		    "(--no-seccomp)");
	else if (install_seccomp(o, err, errlen) != 0)
		return -1;
	priv_log(o, LOG_INFO, "running as %s (uid %u, gid %u), no "
	    "capabilities, no-new-privs%s%s", who, (unsigned)uid, (unsigned)gid,
	    o->seccomp ? ", seccomp profile " : "",
	    o->seccomp ? o->name : "");
	return 0;
}
