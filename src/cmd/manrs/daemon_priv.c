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

enum { P_IRRD, P_RTRD, P_SPOOF };

/* Calls every profile needs to serve. */
static const int allow_common[] = {
	/* I/O on sockets and files already open, and accept. */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(preadv),
	SCMP_SYS(pwritev), SCMP_SYS(recvfrom), SCMP_SYS(recvmsg),
	SCMP_SYS(recvmmsg), SCMP_SYS(sendto), SCMP_SYS(sendmsg),
	SCMP_SYS(sendmmsg), SCMP_SYS(accept), SCMP_SYS(accept4),
	SCMP_SYS(shutdown), SCMP_SYS(getsockname), SCMP_SYS(getpeername),
	SCMP_SYS(getsockopt), SCMP_SYS(setsockopt), SCMP_SYS(connect),
	SCMP_SYS(socketpair), SCMP_SYS(close), SCMP_SYS(dup),
	SCMP_SYS(dup2), SCMP_SYS(dup3), SCMP_SYS(fcntl), SCMP_SYS(lseek),
	SCMP_SYS(pipe), SCMP_SYS(pipe2), SCMP_SYS(eventfd), SCMP_SYS(eventfd2),
	/* Event loops. */
	SCMP_SYS(epoll_create), SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl),
	SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_pwait2),
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(select),
	SCMP_SYS(pselect6),
	/* Timers and clocks. */
	SCMP_SYS(timerfd_create), SCMP_SYS(timerfd_settime),
	SCMP_SYS(timerfd_gettime), SCMP_SYS(nanosleep),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(time),
	/*
	 * Files, read only: reloads read; every file a daemon writes (the
	 * port file, spoof-probe's CSV) is opened before the drop.  open and
	 * openat are conditional, below.
	 */
	SCMP_SYS(stat), SCMP_SYS(fstat), SCMP_SYS(lstat),
	SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(statfs),
	SCMP_SYS(fstatfs), SCMP_SYS(access), SCMP_SYS(faccessat),
	SCMP_SYS(faccessat2), SCMP_SYS(readlink), SCMP_SYS(readlinkat),
	SCMP_SYS(getdents64), SCMP_SYS(fadvise64), SCMP_SYS(fsync),
	SCMP_SYS(fdatasync), SCMP_SYS(getcwd), SCMP_SYS(inotify_init1),
	SCMP_SYS(inotify_add_watch), SCMP_SYS(inotify_rm_watch),
	/* Memory (mmap and mprotect are conditional, below). */
	SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(brk),
	SCMP_SYS(mincore),
	/* Threads: the reload worker and the query pool. */
	SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(get_robust_list),
	SCMP_SYS(rseq), SCMP_SYS(set_tid_address), SCMP_SYS(gettid),
	SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
	SCMP_SYS(membarrier),
	/* Signals. */
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigtimedwait),
	SCMP_SYS(rt_sigsuspend), SCMP_SYS(rt_sigpending), SCMP_SYS(signalfd),
	SCMP_SYS(signalfd4),
	SCMP_SYS(sigaltstack), SCMP_SYS(restart_syscall),
	/* Harmless reads of our own state. */
	SCMP_SYS(getpid), SCMP_SYS(getppid), SCMP_SYS(getuid),
	SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid),
	SCMP_SYS(getresuid), SCMP_SYS(getresgid), SCMP_SYS(getgroups),
	SCMP_SYS(getrlimit), SCMP_SYS(setrlimit), SCMP_SYS(getrusage),
	SCMP_SYS(uname), SCMP_SYS(sysinfo), SCMP_SYS(getrandom),
	SCMP_SYS(exit), SCMP_SYS(exit_group),
};

/* Calls only an exploit makes once serving: kill the process. */
static const int kill_always[] = {
	SCMP_SYS(mount), SCMP_SYS(umount2), SCMP_SYS(pivot_root),
	SCMP_SYS(chroot), SCMP_SYS(unshare), SCMP_SYS(setns),
	SCMP_SYS(move_mount), SCMP_SYS(open_tree), SCMP_SYS(fsopen),
	SCMP_SYS(fsconfig), SCMP_SYS(fsmount), SCMP_SYS(fspick),
	SCMP_SYS(mount_setattr), SCMP_SYS(bpf), SCMP_SYS(init_module),
	SCMP_SYS(finit_module), SCMP_SYS(delete_module),
	SCMP_SYS(kexec_load), SCMP_SYS(kexec_file_load), SCMP_SYS(reboot),
	SCMP_SYS(swapon), SCMP_SYS(swapoff), SCMP_SYS(acct),
	SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
	SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd),
	SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
	SCMP_SYS(pidfd_getfd), SCMP_SYS(kcmp), SCMP_SYS(iopl),
	SCMP_SYS(ioperm), SCMP_SYS(open_by_handle_at),
	SCMP_SYS(name_to_handle_at), SCMP_SYS(fanotify_init),
	SCMP_SYS(settimeofday), SCMP_SYS(clock_settime),
	SCMP_SYS(clock_adjtime), SCMP_SYS(adjtimex), SCMP_SYS(quotactl),
	SCMP_SYS(personality), SCMP_SYS(setuid), SCMP_SYS(setgid),
	SCMP_SYS(setreuid), SCMP_SYS(setregid), SCMP_SYS(setresuid),
	SCMP_SYS(setresgid), SCMP_SYS(setgroups), SCMP_SYS(setfsuid),
	SCMP_SYS(setfsgid), SCMP_SYS(capset), SCMP_SYS(execveat),
};

/* Killed in normal builds; what sanitizers need in theirs. */
static const int kill_unless_sanitized[] = {
	SCMP_SYS(ptrace), SCMP_SYS(execve),
};

/* Sanitizer runtimes: LSan's tracer, symbolizer spawning, reports. */
static const int allow_sanitized[] = {
	SCMP_SYS(ptrace), SCMP_SYS(wait4), SCMP_SYS(waitid), SCMP_SYS(prctl),
	SCMP_SYS(kill), SCMP_SYS(tgkill), SCMP_SYS(tkill),
	SCMP_SYS(sched_setaffinity),
	SCMP_SYS(mlock), SCMP_SYS(munlock), SCMP_SYS(msync), SCMP_SYS(getdents),
	/* log_path=, coverage data */
	SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(unlink), SCMP_SYS(rename),
	SCMP_SYS(ftruncate), SCMP_SYS(umask),
};

static int
add_list(scmp_filter_ctx ctx, uint32_t action, const int *sys, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = seccomp_rule_add(ctx, action, sys[i], 0)) != 0 &&
		    rc != -EDOM)	/* not on this architecture */
			return rc;
	return 0;
}

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define OPEN_WRITE	(O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)
/* Argument n equals v (datum_b spelled out: clang's field check). */
#define ARG_EQ(n, v)	SCMP_CMP64((n), SCMP_CMP_EQ, (scmp_datum_t)(v), 0)
#define ALLOW		SCMP_ACT_ALLOW
#define RULE(sys, ...)	do {						\
	if ((rc = seccomp_rule_add(ctx, ALLOW, SCMP_SYS(sys),		\
	    __VA_ARGS__)) != 0)						\
		goto out;						\
} while (0)

/* spoof-probe's CSV folder (daemon_priv_allow_rename_at), or -1. */
static int rename_dirfd = -1;

void
daemon_priv_allow_rename_at(int dirfd)
{
	rename_dirfd = dirfd;
}

/* Calls allowed only with some arguments. */
static int
add_conditional(scmp_filter_ctx ctx, int profile, bool fetch)
{
	pid_t pid = getpid();
	int rc;

	/* Writable or executable, never both; PROT_EXEC never added. */
	RULE(mmap, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	RULE(mmap, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_WRITE, 0));
	RULE(mprotect, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	RULE(pkey_mprotect, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* Threads, not processes (glibc falls back from clone3). */
	RULE(clone, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
	    CLONE_THREAD));
	if (PRIV_SANITIZED)
		RULE(clone, 1, SCMP_A0(SCMP_CMP_MASKED_EQ,
		    CLONE_VM | CLONE_THREAD, CLONE_VM));
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(clone3), 0)) != 0)
		goto out;
	/* Signals to ourselves only (raise, abort, pthread_kill). */
	if (!PRIV_SANITIZED) {
		/* Opening for reading only (no write, create, truncate). */
		RULE(open, 1, SCMP_A1(SCMP_CMP_MASKED_EQ, OPEN_WRITE, 0));
		RULE(openat, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, OPEN_WRITE, 0));
		RULE(kill, 1, ARG_EQ(0, pid));
		RULE(tgkill, 1, ARG_EQ(0, pid));
		/* Thread names; nothing else of prctl. */
		RULE(prctl, 1, ARG_EQ(0, PR_SET_NAME));
		RULE(prctl, 1, ARG_EQ(0, PR_GET_NAME));
	}
	/* Our own resource limits (the fd limit raise). */
	RULE(prlimit64, 1, ARG_EQ(0, 0));
	/*
	 * irrd's heavy-query workers lower their own priority (per-thread
	 * nice); raising it needs CAP_SYS_NICE, which is gone.
	 */
	RULE(setpriority, 1, ARG_EQ(0, PRIO_PROCESS));
	RULE(getpriority, 1, ARG_EQ(0, PRIO_PROCESS));
	/* Bytes waiting (libevent), non-blocking, stdio's isatty. */
	RULE(ioctl, 1, ARG_EQ(1, FIONREAD));
	RULE(ioctl, 1, ARG_EQ(1, FIONBIO));
	RULE(ioctl, 1, ARG_EQ(1, TCGETS));
	/* New sockets: AF_UNIX (syslog, libevent) only ... */
	RULE(socket, 1, ARG_EQ(0, AF_UNIX));
	/* ... but spoof-probe asks its receiver over TCP ... */
	if (profile == P_SPOOF || fetch) {
		RULE(socket, 2, ARG_EQ(0, AF_INET),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_STREAM));
		RULE(socket, 2, ARG_EQ(0, AF_INET6),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_STREAM));
	}
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
	if (profile == P_SPOOF && rename_dirfd >= 0) {
		RULE(renameat, 2, ARG_EQ(0, rename_dirfd),
		    ARG_EQ(2, rename_dirfd));
		RULE(renameat2, 3, ARG_EQ(0, rename_dirfd),
		    ARG_EQ(2, rename_dirfd), ARG_EQ(4, 0));
		RULE(unlinkat, 2, ARG_EQ(0, rename_dirfd), ARG_EQ(2, 0));
	}
	/* ... and a daemon with URL sources resolves names (UDP). */
	if (fetch) {
		RULE(socket, 2, ARG_EQ(0, AF_INET),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_DGRAM));
		RULE(socket, 2, ARG_EQ(0, AF_INET6),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_DGRAM));
	}
	rc = 0;
out:
	return rc;
}

/* URL sources: outbound TCP, and UDP for DNS (daemon_priv_allow_fetch). */
static bool allow_fetch;

void
daemon_priv_allow_fetch(bool on)
{
	allow_fetch = on;
}

static int
install_seccomp(const struct daemon_priv_opts *o, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	int profile, rc;

	if (o->name != NULL && strcmp(o->name, "irrd") == 0)
		profile = P_IRRD;
	else if (o->name != NULL && (strcmp(o->name, "rtrd") == 0 ||
	    strcmp(o->name, "monitor") == 0))
		profile = P_RTRD;	/* monitor's BMP station: the same */
	else if (o->name != NULL && strcmp(o->name, "spoof-probe") == 0)
		profile = P_SPOOF;
	else
		return fail(err, errlen, "seccomp: no profile named \"%s\"",
		    o->name != NULL ? o->name : "(null)");
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
	    SCMP_ACT_KILL_PROCESS)) != 0 ||
	    (rc = add_list(ctx, ALLOW, allow_common,
	    NELEM(allow_common))) != 0 ||
	    (rc = add_list(ctx, SCMP_ACT_KILL_PROCESS, kill_always,
	    NELEM(kill_always))) != 0 ||
	    (rc = add_conditional(ctx, profile, allow_fetch)) != 0)
		goto out;
	/* Sanitized: execve falls to the default, EPERM. */
	if (PRIV_SANITIZED) {
		if ((rc = add_list(ctx, ALLOW, allow_sanitized,
		    NELEM(allow_sanitized))) != 0)
			goto out;
	} else if ((rc = add_list(ctx, SCMP_ACT_KILL_PROCESS,
	    kill_unless_sanitized, NELEM(kill_unless_sanitized))) != 0)
		goto out;
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
