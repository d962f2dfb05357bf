/*
 * cmd_spoof_probe.c - "manrs spoof-probe": send bounded, rate-limited UDP
 * probes with chosen source addresses over raw sockets (like CAIDA's
 * Spoofer client) to a "manrs spoof-probe --receive" listener, then ask
 * the listener which arrived.
 *
 *   manrs spoof-probe --to ADDR [--to ADDR]... [options]    sender
 *   manrs spoof-probe --receive ADDR [--receive ADDR]...    receiver
 *
 * Classes: legit (our own address, the control), private, routable
 * (another routable prefix) and neighbour (the /24 next door in the same
 * /16; for IPv6 the /48 next door).  The sender never runs without an
 * explicit receiver address, sends at most PROBE_COUNT_MAX probes per
 * class and family at most PROBE_RATE_MAX per second, and nothing else.
 *
 * Receiver protocol: probes are UDP datagrams to ADDR:PORT (payload in
 * manrs/sav.h); results are asked over TCP to the same ADDR:PORT with
 * "RESULTS SESSION\n" and answered "GOT SEQ FROM-ADDR\n"... "END\n".  The
 * receiver bounds what it stores (RECV_RECORDS_MAX), what it reads from a
 * client (RECV_QUERY_MAX bytes, RECV_CLIENT_TIMEOUT seconds) and how long
 * it runs (--duration), and never exits on a client's bytes.
 *
 * Sender output: a text report (or --json) and, with --csv, the rows the
 * audit reads for MANRS M5: "time,asn,prefix,spoofed".  The CSV is
 * replaced atomically (outfile_open_at: a temporary file in its folder,
 * created before the drop, renamed over the previous CSV only after a
 * conclusive run), so a failed or interrupted run leaves the last
 * results as they were.  The temporary file is handed to the run-as user
 * before the drop (csv_hand_over: a sticky folder such as /tmp lets only
 * a file's owner rename it).
 * Exit: 0 spoofing blocked, 5 spoofed probes got through, 1 error or
 * inconclusive (no legit probe arrived), 2 bad command line.
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "daemon_priv.h"
#include "outfile.h"

#define EXIT_FOUND		5
#define PROBE_PORT_DEFAULT	47001
#define PROBE_COUNT_DEFAULT	3
#define PROBE_COUNT_MAX		10	/* per class and family */
#define PROBE_RATE_DEFAULT	10
#define PROBE_RATE_MAX		100	/* probes per second */
#define PROBE_WAIT_MAX		30	/* seconds before asking */
#define PROBE_FAMILIES_MAX	2
#define PROBE_TOTAL_MAX		(PROBE_COUNT_MAX * MANRS_SAV_PROBE_CLASS_COUNT)
#define RESULT_LINES_MAX	(PROBE_TOTAL_MAX + 16)
#define RESULT_TIMEOUT		5	/* seconds, for the TCP query */
#define RECV_RECORDS_MAX	65536
#define RECV_QUERY_MAX		64	/* bytes of a TCP query */
#define RECV_CLIENT_TIMEOUT	2	/* seconds */
#define RECV_DURATION_DEFAULT	300
#define RECV_DURATION_MAX	86400

struct family_run {
	struct manrs_prefix	 to;
	struct manrs_prefix	 own;
	struct manrs_prefix	 prefix;	/* reported in the CSV */
	struct manrs_prefix	 src[MANRS_SAV_PROBE_CLASS_COUNT];
	unsigned		 sent[MANRS_SAV_PROBE_CLASS_COUNT];
	unsigned		 got[MANRS_SAV_PROBE_CLASS_COUNT];
	uint64_t		 session;
	bool			 done;		/* results were fetched */
};

struct sender {
	struct family_run	 fam[PROBE_FAMILIES_MAX];
	int			 nfam;
	struct manrs_prefix	 routable[PROBE_FAMILIES_MAX];
	int			 nroutable;
	struct manrs_prefix	 prefixes[PROBE_FAMILIES_MAX];
	int			 nprefixes;
	uint16_t		 port;
	unsigned		 count;
	unsigned		 rate;
	unsigned		 wait;
	uint32_t		 asn;
	bool			 have_asn;
	bool			 json;
	const char		*csv;
	struct outfile_at	 csv_of;	/* opened before the drop */
	struct daemon_priv_opts	 priv;
};

static void
probe_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs spoof-probe --to ADDR [--to ADDR] [--port N] "
	    "[--count N] [--rate PPS]\n"
	    "                         [--wait S] [--routable ADDR] [--asn ASN] "
	    "[--prefix PFX]\n"
	    "                         [--csv FILE] [--json]\n"
	    "       manrs spoof-probe --receive ADDR [--receive ADDR] "
	    "[--port N] [--duration S]\n"
	    "Send UDP probes with spoofed source addresses (classes legit, "
	    "private,\nroutable, neighbour) over raw sockets to a receiver, "
	    "and report which got\nthrough.  Needs root or CAP_NET_RAW.  One "
	    "--to per address family.\n"
	    "  --port N        receiver UDP and TCP port (default %d)\n"
	    "  --count N       probes per class and family (default %d, max "
	    "%d)\n"
	    "  --rate PPS      probes per second (default %d, max %d)\n"
	    "  --wait S        seconds to wait before asking (default 1, max "
	    "%d)\n"
	    "  --routable ADDR source of the routable class (default: derived, "
	    "non-bogon)\n"
	    "  --asn ASN       AS of the tested network (needed for --csv)\n"
	    "  --prefix PFX    tested prefix (default: own /24 or /48)\n"
	    "  --csv FILE      write time,asn,prefix,spoofed for the audit "
	    "(MANRS M5);\n"
	    "                  replaced only after a conclusive run (its "
	    "folder must be\n                  writable by the --user)\n"
	    "  --json          JSON report instead of text\n"
	    "  --duration S    receiver run time (default %d, max %d)\n"
	    "  --user NAME     started as root: run as NAME once the sockets "
	    "are open\n"
	    "                  (default manrs, else nobody; \"root\" stays "
	    "root)\n"
	    "  --no-seccomp    no seccomp filter (debugging)\n"
	    "exit status: 0 spoofing blocked, 5 spoofed probes got through, "
	    "1 error or\ninconclusive (no legit probe arrived), 2 bad command "
	    "line\n", PROBE_PORT_DEFAULT, PROBE_COUNT_DEFAULT, PROBE_COUNT_MAX,
	    PROBE_RATE_DEFAULT, PROBE_RATE_MAX, PROBE_WAIT_MAX,
	    RECV_DURATION_DEFAULT, RECV_DURATION_MAX);
}

/* sockaddr for a host prefix and port. */
static socklen_t
to_sockaddr(const struct manrs_prefix *p, uint16_t port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (p->af == MANRS_AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, p->addr, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, p->addr, 16);
		return sizeof(*sin6);
	}
}

static void
from_sockaddr(const struct sockaddr_storage *ss, struct manrs_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		p->af = MANRS_AF_INET;
		p->len = 32;
		memcpy(p->addr, &sin->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)ss;

		p->af = MANRS_AF_INET6;
		p->len = 128;
		memcpy(p->addr, &sin6->sin6_addr, 16);
	}
}

static const char *
addr_str(const struct manrs_prefix *p, char *buf)
{
	manrs_addr_print(p, buf, MANRS_ADDR_STRLEN);
	return buf;
}

static int
host_arg(const char *opt, const char *arg, struct manrs_prefix *p)
{
	if (manrs_addr_parse(manrs_view_cstr(arg), 0, p) != 0) {
		cli_warnx("spoof-probe: %s '%s': not an IPv4 or IPv6 address",
		    opt, arg);
		return -1;
	}
	return 0;
}

static int
num_arg(const char *opt, const char *arg, uint32_t min, uint32_t max,
    uint32_t *out)
{
	if (manrs_view_u32(manrs_view_cstr(arg), max, out) != 0 ||
	    *out < min) {
		cli_warnx("spoof-probe: %s '%s': want %u..%u", opt, arg, min,
		    max);
		return -1;
	}
	return 0;
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Our own address toward the receiver: a connected UDP socket's name. */
static int
own_address(const struct manrs_prefix *to, uint16_t port,
    struct manrs_prefix *own)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char a[MANRS_ADDR_STRLEN];
	int fd;

	len = to_sockaddr(to, port, &ss);
	if ((fd = socket(ss.ss_family, SOCK_DGRAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&ss, len) != 0) {
		cli_warnx("spoof-probe: no route to %s: %s", addr_str(to, a),
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		cli_warnx("spoof-probe: getsockname: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	from_sockaddr(&ss, own);
	return 0;
}

static int
send_family(struct sender *s, struct family_run *f, int raw)
{
	struct manrs_sav_probe pr;
	struct sockaddr_storage ss;
	struct manrs_buf pkt;
	char payload[MANRS_SAV_PROBE_PAYLOAD_MAX + 1];
	uint16_t sport = (uint16_t)(40000 + f->session % 20000);
	socklen_t sl;
	unsigned c, i, gap = 1000 / s->rate;
	size_t n;

	/* Raw IPv6 sockets take the protocol, not a port, in sin6_port. */
	sl = to_sockaddr(&f->to, 0, &ss);
	manrs_buf_init(&pkt, MANRS_SAV_PROBE_PACKET_MAX);
	for (i = 0; i < s->count; i++) {
		for (c = 0; c < MANRS_SAV_PROBE_CLASS_COUNT; c++) {
			pr.session = f->session;
			pr.seq = c * PROBE_COUNT_MAX + i;
			pr.cls = (enum manrs_sav_probe_class)c;
			pr.claimed = f->src[c];
			n = manrs_sav_probe_format(&pr, payload,
			    sizeof(payload));
			manrs_buf_reset(&pkt);
			if (n == 0 || manrs_sav_probe_packet(&f->src[c],
			    &f->to, sport, s->port, payload, n, &pkt) != 0) {
				cli_warnx("spoof-probe: cannot build probe");
				manrs_buf_clear(&pkt);
				return -1;
			}
			if (sendto(raw, pkt.p, pkt.len, 0,
			    (struct sockaddr *)&ss, sl) < 0)
				cli_warnx("spoof-probe: send %s probe: %s",
				    manrs_sav_probe_class_name(pr.cls),
				    strerror(errno));
			else
				f->sent[c]++;
			sleep_ms(gap);
		}
	}
	manrs_buf_clear(&pkt);
	return 0;
}

/* Ask the receiver which probes of f's session arrived. */
static int
fetch_results(struct sender *s, struct family_run *f)
{
	struct timeval tv = { RESULT_TIMEOUT, 0 };
	struct sockaddr_storage ss;
	char buf[4096], a[MANRS_ADDR_STRLEN];
	struct manrs_prefix from;
	size_t have = 0, lines = 0;
	bool seen[PROBE_TOTAL_MAX] = { false };
	uint32_t seq;
	socklen_t sl;
	ssize_t r;
	int fd, n;

	sl = to_sockaddr(&f->to, s->port, &ss);
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0)
		goto fail;
	n = snprintf(buf, sizeof(buf), "RESULTS %016llx\n",
	    (unsigned long long)f->session);
	if (write(fd, buf, (size_t)n) != n)
		goto fail;
	for (;;) {
		char *nl;

		while ((nl = memchr(buf, '\n', have)) != NULL) {
			struct manrs_view line = manrs_view_make(buf,
			    (size_t)(nl - buf));

			if (++lines > RESULT_LINES_MAX) {
				cli_warnx("spoof-probe: receiver %s: more than "
				    "%d result lines", addr_str(&f->to, a),
				    RESULT_LINES_MAX);
				goto out;
			}
			if (manrs_view_eq(line, "END")) {
				f->done = true;
				goto out;
			}
			if (manrs_sav_probe_result_parse(line, &seq,
			    &from) != 0 || seq >= PROBE_TOTAL_MAX ||
			    seq % PROBE_COUNT_MAX >= s->count) {
				cli_warnx("spoof-probe: receiver %s: bad "
				    "result line", addr_str(&f->to, a));
				goto out;
			}
			if (!seen[seq]) {
				seen[seq] = true;
				f->got[seq / PROBE_COUNT_MAX]++;
			}
			have -= (size_t)(nl - buf) + 1;
			memmove(buf, nl + 1, have);
		}
		if (have == sizeof(buf)) {
			cli_warnx("spoof-probe: receiver %s: line too long",
			    addr_str(&f->to, a));
			goto out;
		}
		if ((r = read(fd, buf + have, sizeof(buf) - have)) <= 0) {
			cli_warnx("spoof-probe: receiver %s: answer ended "
			    "without END", addr_str(&f->to, a));
			goto out;
		}
		have += (size_t)r;
	}
fail:
	cli_warnx("spoof-probe: cannot ask receiver %s port %u: %s",
	    addr_str(&f->to, a), s->port, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	return f->done ? 0 : -1;
}

static bool
spoofed(const struct family_run *f)
{
	int c;

	for (c = 1; c < MANRS_SAV_PROBE_CLASS_COUNT; c++)
		if (f->got[c] > 0)
			return true;
	return false;
}

static bool
conclusive(const struct family_run *f)
{
	return f->done && f->got[MANRS_SAV_PROBE_LEGIT] > 0;
}

static void
report_text(const struct sender *s)
{
	const struct family_run *f;
	char a[MANRS_ADDR_STRLEN], b[MANRS_ADDR_STRLEN];
	char p[MANRS_PREFIX_STRLEN];
	int i, c;

	for (i = 0; i < s->nfam; i++) {
		f = &s->fam[i];
		manrs_prefix_print(&f->prefix, p, sizeof(p));
		printf("%s receiver %s port %u, own %s (prefix %s), session "
		    "%016llx\n", f->to.af == MANRS_AF_INET ? "ipv4" : "ipv6",
		    addr_str(&f->to, a), s->port, addr_str(&f->own, b), p,
		    (unsigned long long)f->session);
		for (c = 0; c < MANRS_SAV_PROBE_CLASS_COUNT; c++)
			printf("  %-10s %-40s sent %u received %u%s\n",
			    manrs_sav_probe_class_name(
			    (enum manrs_sav_probe_class)c),
			    addr_str(&f->src[c], a), f->sent[c], f->got[c],
			    c == 0 ? "" : f->got[c] ? "  GOT THROUGH" :
			    "  blocked");
		if (!conclusive(f))
			printf("  verdict: inconclusive (%s)\n", f->done ?
			    "no legit probe arrived" : "no answer from the "
			    "receiver");
		else
			printf("  verdict: %s\n", spoofed(f) ? "spoofed "
			    "packets got through" : "spoofing blocked");
	}
}

static void
report_json(const struct sender *s)
{
	const struct family_run *f;
	char a[MANRS_ADDR_STRLEN], p[MANRS_PREFIX_STRLEN];
	int i, c;

	printf("{\"port\":%u,\"asn\":", s->port);
	if (s->have_asn)
		printf("%u", s->asn);
	else
		fputs("null", stdout);
	fputs(",\"families\":[", stdout);
	for (i = 0; i < s->nfam; i++) {
		f = &s->fam[i];
		manrs_prefix_print(&f->prefix, p, sizeof(p));
		printf("%s{\"family\":\"%s\",\"receiver\":\"%s\",", i ? "," : "",
		    f->to.af == MANRS_AF_INET ? "ipv4" : "ipv6",
		    addr_str(&f->to, a));
		printf("\"own\":\"%s\",\"prefix\":\"%s\",\"session\":"
		    "\"%016llx\",\"probes\":[", addr_str(&f->own, a), p,
		    (unsigned long long)f->session);
		for (c = 0; c < MANRS_SAV_PROBE_CLASS_COUNT; c++)
			printf("%s{\"class\":\"%s\",\"source\":\"%s\","
			    "\"sent\":%u,\"received\":%u}", c ? "," : "",
			    manrs_sav_probe_class_name(
			    (enum manrs_sav_probe_class)c),
			    addr_str(&f->src[c], a), f->sent[c], f->got[c]);
		printf("],\"conclusive\":%s,\"spoofed\":%s}",
		    conclusive(f) ? "true" : "false",
		    conclusive(f) ? (spoofed(f) ? "true" : "false") : "null");
	}
	fputs("]}\n", stdout);
}

/* The temporary CSV, for on_sender_signal() (csv_signals). */
static int		 csv_dirfd = -1;
static char		 csv_tmpname[256];

/*
 * The rows, then the file replaced: only when ok (every family
 * conclusive); else the temporary file goes and the previous CSV stays
 * byte for byte.  "-" (standard output) gets the conclusive rows always.
 */
static int
write_csv(struct sender *s, bool ok)
{
	char t[32], p[MANRS_PREFIX_STRLEN];
	time_t now = time(NULL);
	struct tm tm;
	FILE *fp;
	int i;

	gmtime_r(&now, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fp = s->csv_of.of.fp;
	csv_dirfd = -1;		/* commit or abort from here on */
	fputs("time,asn,prefix,spoofed\n", fp);
	for (i = 0; i < s->nfam; i++) {
		if (!conclusive(&s->fam[i]))
			continue;	/* no test, no row (no score) */
		manrs_prefix_print(&s->fam[i].prefix, p, sizeof(p));
		fprintf(fp, "%s,%u,%s,%s\n", t, s->asn, p,
		    spoofed(&s->fam[i]) ? "yes" : "no");
	}
	if (!ok && fp != stdout) {
		outfile_abort_at(&s->csv_of);
		cli_warnx("%s: inconclusive run: the previous file is "
		    "unchanged", s->csv);
		return -1;
	}
	if (outfile_commit_at(&s->csv_of) != 0) {
		cli_warnx("%s: %s%s", s->csv, strerror(errno), fp != stdout ?
		    " (the previous file is unchanged)" : "");
		return -1;
	}
	return 0;
}

static int
prepare_family(struct sender *s, struct family_run *f)
{
	const struct manrs_prefix *routable = NULL;
	char a[MANRS_ADDR_STRLEN];
	int i, c;

	if (own_address(&f->to, s->port, &f->own) != 0)
		return -1;
	for (i = 0; i < s->nroutable; i++)
		if (s->routable[i].af == f->to.af)
			routable = &s->routable[i];
	for (c = 0; c < MANRS_SAV_PROBE_CLASS_COUNT; c++)
		if (manrs_sav_probe_source((enum manrs_sav_probe_class)c,
		    &f->own, routable, &f->src[c]) != 0) {
			cli_warnx("spoof-probe: no %s source for %s",
			    manrs_sav_probe_class_name(
			    (enum manrs_sav_probe_class)c),
			    addr_str(&f->own, a));
			return -1;
		}
	f->prefix = f->own;
	f->prefix.len = f->own.af == MANRS_AF_INET ? 24 : 48;
	manrs_prefix_mask(&f->prefix);
	for (i = 0; i < s->nprefixes; i++)
		if (s->prefixes[i].af == f->to.af)
			f->prefix = s->prefixes[i];
	if (getrandom(&f->session, sizeof(f->session), 0) !=
	    sizeof(f->session)) {
		cli_warnx("spoof-probe: getrandom: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * SIGINT / SIGTERM during a run with --csv: the temporary file goes
 * (unlinkat in the CSV's folder, async-signal-safe and allowed by the
 * filter), the previous CSV stays, exit 1.
 */
static void
on_sender_signal(int sig)
{
	(void)sig;
	if (csv_dirfd >= 0 && csv_tmpname[0] != '\0')
		(void)unlinkat(csv_dirfd, csv_tmpname, 0);
	_exit(EXIT_FAIL);
}

static void
csv_signals(const struct outfile_at *o)
{
	struct sigaction sa;
	const char *b;

	if (o->dirfd < 0 || o->of.tmp == NULL)
		return;
	b = strrchr(o->of.tmp, '/');
	if (strlcpy(csv_tmpname, b != NULL ? b + 1 : o->of.tmp,
	    sizeof(csv_tmpname)) >= sizeof(csv_tmpname))
		return;
	csv_dirfd = o->dirfd;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_sender_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* "NAME (uid N)" of a file's owner, for messages. */
static const char *
owner_str(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	snprintf(buf, len, "%s (uid %u)", pw != NULL ? pw->pw_name : "?",
	    (unsigned)uid);
	return buf;
}

/*
 * The temporary CSV goes to the run-as user, before the drop.  In a
 * sticky folder (/tmp) the kernel lets only the owner of a file, or of
 * the folder, rename or remove it, and after the drop no capability
 * (CAP_FOWNER) is left, not even with --user root: the temporary file
 * created here as root must be that user's, and a previous CSV that
 * belongs to someone else cannot be replaced, which is said now, before
 * a probe is sent, rather than by the rename after the run.
 */
static int
csv_hand_over(struct sender *s)
{
	const struct outfile *of = &s->csv_of.of;
	char who[64], o1[96];
	const char *base;
	struct stat dir, st;
	uid_t uid;
	int fd;

	if (s->csv_of.dirfd < 0 || of->tmp == NULL)
		return 0;	/* standard output, or a device in place */
	if (daemon_priv_uid(&s->priv, &uid, who, sizeof(who)) != 0)
		return 0;	/* the drop says why */
	fd = fileno(of->fp);
	if (geteuid() == 0 && uid != 0 && fchown(fd, uid, (gid_t)-1) != 0)
		cli_warnx("spoof-probe: --csv %s: giving its temporary file "
		    "to %s: %s", s->csv, who, strerror(errno));
	if (fstat(s->csv_of.dirfd, &dir) != 0 ||
	    (dir.st_mode & S_ISVTX) == 0 || dir.st_uid == uid)
		return 0;	/* not sticky, or the folder is the user's */
	if (fstat(fd, &st) == 0 && st.st_uid != uid) {
		cli_warnx("spoof-probe: --csv %s: its folder is sticky and "
		    "the temporary file belongs to %s, not to %s, the user "
		    "the probe runs as; nothing sent", s->csv,
		    owner_str(st.st_uid, o1, sizeof(o1)), who);
		return -1;
	}
	base = strrchr(of->path, '/') != NULL ? strrchr(of->path, '/') + 1 :
	    of->path;
	if (fstatat(s->csv_of.dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_uid != uid) {
		cli_warnx("spoof-probe: --csv %s: its folder is sticky and "
		    "the file belongs to %s, not to %s (uid %u), the user the "
		    "probe runs as: only its owner may replace it there "
		    "(remove it, chown it to %s, or use another folder); "
		    "nothing sent", s->csv, owner_str(st.st_uid, o1,
		    sizeof(o1)), who, (unsigned)uid, who);
		return -1;
	}
	return 0;
}

/*
 * Everything that needs root or a path the run-as user may not reach
 * happens first: sources, sessions, the CSV file and the raw sockets.
 * Then root (and CAP_NET_RAW) goes, before the first probe is sent or
 * a byte of the receiver's answer is read.
 */
static int
run_sender_open(struct sender *s, int *raw)
{
	char err[256], who[64];
	int i;

	for (i = 0; i < s->nfam; i++)
		if (prepare_family(s, &s->fam[i]) != 0)
			return -1;
	if (s->csv != NULL) {
		if (outfile_open_at(&s->csv_of, s->csv) != 0) {
			cli_warnx("%s: %s", s->csv, strerror(errno));
			return -1;
		}
		/*
		 * The rename after the run happens as the run-as user:
		 * find out now, before a probe is sent, whether it may
		 * (and while the temporary file can still be removed).
		 */
		if (s->csv_of.dirfd >= 0 && daemon_priv_can_write(&s->priv,
		    s->csv_of.dirfd, who, sizeof(who)) != 0) {
			cli_warnx("spoof-probe: --csv %s: its folder is not "
			    "writable by %s, the user the probe runs as "
			    "(the file is replaced by a rename); nothing "
			    "sent", s->csv, who);
			return -1;
		}
		if (csv_hand_over(s) != 0)
			return -1;
		/* the rename after the run: this folder only (seccomp) */
		if (s->csv_of.dirfd >= 0)
			daemon_priv_allow_rename_at(s->csv_of.dirfd);
		csv_signals(&s->csv_of);
	}
	for (i = 0; i < s->nfam; i++) {
		raw[i] = socket(s->fam[i].to.af == MANRS_AF_INET ? AF_INET :
		    AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
		if (raw[i] < 0) {
			cli_warnx("spoof-probe: raw socket: %s (needs root or "
			    "CAP_NET_RAW)", strerror(errno));
			return -1;
		}
	}
	if (daemon_priv_drop(&s->priv, err, sizeof(err)) != 0) {
		cli_warnx("spoof-probe: %s", err);
		return -1;
	}
	return 0;
}

static int
run_sender(struct sender *s)
{
	int i, raw[PROBE_FAMILIES_MAX], status = EXIT_OK;

	for (i = 0; i < PROBE_FAMILIES_MAX; i++)
		raw[i] = -1;
	if (run_sender_open(s, raw) != 0)
		status = EXIT_FAIL;
	for (i = 0; i < s->nfam && status == EXIT_OK; i++)
		if (send_family(s, &s->fam[i], raw[i]) != 0)
			status = EXIT_FAIL;
	for (i = 0; i < PROBE_FAMILIES_MAX; i++)
		if (raw[i] >= 0)
			close(raw[i]);
	if (status != EXIT_OK) {
		/* No run: the previous CSV stays as it was. */
		csv_dirfd = -1;
		outfile_abort_at(&s->csv_of);
		return status;
	}
	sleep_ms(s->wait * 1000);
	for (i = 0; i < s->nfam; i++)
		fetch_results(s, &s->fam[i]);
	if (s->json)
		report_json(s);
	else
		report_text(s);
	fflush(stdout);
	for (i = 0; i < s->nfam; i++) {
		if (!conclusive(&s->fam[i]))
			status = EXIT_FAIL;
		else if (spoofed(&s->fam[i]) && status == EXIT_OK)
			status = EXIT_FOUND;
	}
	if (s->csv != NULL && write_csv(s, status != EXIT_FAIL) != 0)
		return EXIT_FAIL;
	return status;
}

/* ------------------------------------------------------------------ */
/* Receiver                                                            */

struct recv_rec {
	uint64_t		session;
	uint32_t		seq;
	struct manrs_prefix	from;
};

struct receiver {
	struct recv_rec	*rec;
	size_t		 nrec;
	uint64_t	 dropped;
};

static volatile sig_atomic_t recv_stop;

static void
on_signal(int sig)
{
	(void)sig;
	recv_stop = 1;
}

static int
bind_one(const struct manrs_prefix *a, uint16_t port, int type)
{
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(a, port, &ss);
	int fd, one = 1;

	if ((fd = socket(ss.ss_family, type, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) != 0) ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
recv_datagram(struct receiver *r, int fd)
{
	char buf[MANRS_SAV_PROBE_PAYLOAD_MAX + 1], a[MANRS_ADDR_STRLEN],
	    b[MANRS_ADDR_STRLEN];
	struct sockaddr_storage ss;
	struct manrs_sav_probe p;
	socklen_t sl = sizeof(ss);
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &sl);
	if (n <= 0 || (size_t)n > MANRS_SAV_PROBE_PAYLOAD_MAX ||
	    manrs_sav_probe_parse(manrs_view_make(buf, (size_t)n), &p) != 0)
		return;		/* not a probe: ignore */
	if (r->nrec == RECV_RECORDS_MAX) {
		r->dropped++;
		return;
	}
	r->rec[r->nrec].session = p.session;
	r->rec[r->nrec].seq = p.seq;
	from_sockaddr(&ss, &r->rec[r->nrec].from);
	printf("probe session %016llx seq %u class %s claimed %s from %s\n",
	    (unsigned long long)p.session, p.seq,
	    manrs_sav_probe_class_name(p.cls), addr_str(&p.claimed, a),
	    addr_str(&r->rec[r->nrec].from, b));
	fflush(stdout);
	r->nrec++;
}

/* One TCP client: a bounded query, then the answer; never fatal. */
static void
recv_query(struct receiver *r, int lfd)
{
	struct timeval tv = { RECV_CLIENT_TIMEOUT, 0 };
	char q[RECV_QUERY_MAX + 1], line[96], a[MANRS_ADDR_STRLEN];
	struct manrs_view v, tok;
	uint64_t session = 0;
	size_t have = 0, i;
	ssize_t n;
	int fd, len, flags;
	bool ok = false;

	if ((fd = accept(lfd, NULL, NULL)) < 0)
		return;
	if ((flags = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (have < RECV_QUERY_MAX && memchr(q, '\n', have) == NULL &&
	    (n = read(fd, q + have, RECV_QUERY_MAX - have)) > 0)
		have += (size_t)n;
	v = manrs_view_make(q, have);
	if (have > 0 && q[have - 1] == '\n') {
		v.len--;
		if (manrs_view_token(&v, &tok) && manrs_view_eq(tok,
		    "RESULTS") && manrs_view_token(&v, &tok) &&
		    tok.len == 16 && !manrs_view_token(&v, &tok)) {
			ok = true;
			for (i = 0; i < 16 && ok; i++) {
				char c = tok.p[i];

				ok = (c >= '0' && c <= '9') ||
				    (c >= 'a' && c <= 'f');
				session = session << 4 | (uint64_t)(c <= '9' ?
				    c - '0' : c - 'a' + 10);
			}
		}
	}
	if (!ok) {
		(void)!write(fd, "ERR want RESULTS SESSION\n", 25);
		close(fd);
		return;
	}
	for (i = 0; i < r->nrec; i++) {
		if (r->rec[i].session != session)
			continue;
		len = snprintf(line, sizeof(line), "GOT %u %s\n",
		    r->rec[i].seq, addr_str(&r->rec[i].from, a));
		if (write(fd, line, (size_t)len) != len)
			break;
	}
	(void)!write(fd, "END\n", 4);
	close(fd);
}

static int
run_receiver(const struct manrs_prefix *addrs, int naddr, uint16_t port,
    unsigned duration, const struct daemon_priv_opts *priv)
{
	struct pollfd pfd[2 * PROBE_FAMILIES_MAX];
	struct receiver r = { NULL, 0, 0 };
	struct sigaction sa;
	char a[MANRS_ADDR_STRLEN], err[256];
	time_t end = time(NULL) + duration;
	int i, n = 0, status = EXIT_OK;

	for (i = 0; i < 2 * PROBE_FAMILIES_MAX; i++)
		pfd[i].fd = -1;
	if ((r.rec = calloc(RECV_RECORDS_MAX, sizeof(*r.rec))) == NULL) {
		cli_warnx("out of memory");
		return EXIT_FAIL;
	}
	for (i = 0; i < naddr; i++) {
		pfd[n].fd = bind_one(&addrs[i], port, SOCK_DGRAM);
		pfd[n + 1].fd = pfd[n].fd < 0 ? -1 :
		    bind_one(&addrs[i], port, SOCK_STREAM);
		if (pfd[n].fd < 0 || pfd[n + 1].fd < 0) {
			cli_warnx("spoof-probe: cannot listen on %s port %u: "
			    "%s", addr_str(&addrs[i], a), port,
			    strerror(errno));
			status = EXIT_FAIL;
			goto done;
		}
		pfd[n].events = pfd[n + 1].events = POLLIN;
		printf("listening on %s port %u (udp probes, tcp results)\n",
		    addr_str(&addrs[i], a), port);
		n += 2;
	}
	fflush(stdout);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Bound: no root for the part that reads strangers' packets. */
	if (daemon_priv_drop(priv, err, sizeof(err)) != 0) {
		cli_warnx("spoof-probe: %s", err);
		status = EXIT_FAIL;
		goto done;
	}
	while (!recv_stop && time(NULL) < end) {
		if (poll(pfd, (nfds_t)n, 500) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (i % 2 == 0)
				recv_datagram(&r, pfd[i].fd);
			else
				recv_query(&r, pfd[i].fd);
		}
	}
	printf("stopped: %zu probes stored, %llu dropped (limit %d)\n",
	    r.nrec, (unsigned long long)r.dropped, RECV_RECORDS_MAX);
done:
	for (i = 0; i < 2 * PROBE_FAMILIES_MAX; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	free(r.rec);
	return status;
}

int
cmd_spoof_probe(int argc, char **argv)
{
	enum { O_TO = 256, O_RECEIVE, O_PORT, O_COUNT, O_RATE, O_WAIT,
	    O_ROUTABLE, O_ASN, O_PREFIX, O_CSV, O_JSON, O_DURATION, O_USER,
	    O_NOSECCOMP };
	static const struct option opts[] = {
		{ "to", required_argument, NULL, O_TO },
		{ "receive", required_argument, NULL, O_RECEIVE },
		{ "port", required_argument, NULL, O_PORT },
		{ "count", required_argument, NULL, O_COUNT },
		{ "rate", required_argument, NULL, O_RATE },
		{ "wait", required_argument, NULL, O_WAIT },
		{ "routable", required_argument, NULL, O_ROUTABLE },
		{ "asn", required_argument, NULL, O_ASN },
		{ "prefix", required_argument, NULL, O_PREFIX },
		{ "csv", required_argument, NULL, O_CSV },
		{ "json", no_argument, NULL, O_JSON },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "user", required_argument, NULL, O_USER },
		{ "no-seccomp", no_argument, NULL, O_NOSECCOMP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct manrs_prefix recv_addr[PROBE_FAMILIES_MAX];
	struct sender s;
	uint32_t v, duration = RECV_DURATION_DEFAULT;
	int ch, nrecv = 0;

	memset(&s, 0, sizeof(s));
	s.csv_of.dirfd = -1;
	s.port = PROBE_PORT_DEFAULT;
	s.count = PROBE_COUNT_DEFAULT;
	s.rate = PROBE_RATE_DEFAULT;
	s.wait = 1;
	s.priv.name = "spoof-probe";
	s.priv.seccomp = true;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		struct manrs_prefix p;

		switch (ch) {
		case O_TO:
		case O_RECEIVE:
			if (host_arg(ch == O_TO ? "--to" : "--receive", optarg,
			    &p) != 0)
				return EXIT_USAGE;
			if ((ch == O_TO ? s.nfam : nrecv) == PROBE_FAMILIES_MAX) {
				cli_warnx("spoof-probe: at most %d addresses "
				    "(one per family)", PROBE_FAMILIES_MAX);
				return EXIT_USAGE;
			}
			if (ch == O_TO)
				s.fam[s.nfam++].to = p;
			else
				recv_addr[nrecv++] = p;
			break;
		case O_PORT:
			if (num_arg("--port", optarg, 1, 65535, &v) != 0)
				return EXIT_USAGE;
			s.port = (uint16_t)v;
			break;
		case O_COUNT:
			if (num_arg("--count", optarg, 1, PROBE_COUNT_MAX,
			    &s.count) != 0)
				return EXIT_USAGE;
			break;
		case O_RATE:
			if (num_arg("--rate", optarg, 1, PROBE_RATE_MAX,
			    &s.rate) != 0)
				return EXIT_USAGE;
			break;
		case O_WAIT:
			if (num_arg("--wait", optarg, 0, PROBE_WAIT_MAX,
			    &s.wait) != 0)
				return EXIT_USAGE;
			break;
		case O_DURATION:
			if (num_arg("--duration", optarg, 1,
			    RECV_DURATION_MAX, &duration) != 0)
				return EXIT_USAGE;
			break;
		case O_ROUTABLE:
			if (s.nroutable == PROBE_FAMILIES_MAX ||
			    host_arg("--routable", optarg,
			    &s.routable[s.nroutable]) != 0)
				return EXIT_USAGE;
			s.nroutable++;
			break;
		case O_PREFIX:
			if (s.nprefixes == PROBE_FAMILIES_MAX ||
			    manrs_prefix_parse(manrs_view_cstr(optarg), 0,
			    &s.prefixes[s.nprefixes]) != 0) {
				cli_warnx("spoof-probe: --prefix '%s': bad "
				    "prefix (or more than %d)", optarg,
				    PROBE_FAMILIES_MAX);
				return EXIT_USAGE;
			}
			s.nprefixes++;
			break;
		case O_ASN:
			if (manrs_asn_parse(manrs_view_cstr(optarg),
			    &s.asn) != 0) {
				cli_warnx("spoof-probe: --asn '%s': not an ASN",
				    optarg);
				return EXIT_USAGE;
			}
			s.have_asn = true;
			break;
		case O_CSV:
			s.csv = optarg;
			break;
		case O_JSON:
			s.json = true;
			break;
		case O_USER:
			s.priv.user = optarg;
			break;
		case O_NOSECCOMP:
			s.priv.seccomp = false;
			break;
		case 'h':
			probe_usage(stdout);
			return EXIT_OK;
		default:
			cli_warnx("spoof-probe: unknown option or missing "
			    "argument: %s", argv[optind - 1]);
			probe_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		cli_warnx("spoof-probe: unexpected argument '%s'",
		    argv[optind]);
		return EXIT_USAGE;
	}
	if (nrecv > 0 && s.nfam > 0) {
		cli_warnx("spoof-probe: --to and --receive are exclusive");
		return EXIT_USAGE;
	}
	if (nrecv > 0)
		return run_receiver(recv_addr, nrecv, s.port, duration,
		    &s.priv);
	if (s.nfam == 0) {
		cli_warnx("spoof-probe: refusing to send without an explicit "
		    "receiver address (--to ADDR)");
		probe_usage(stderr);
		return EXIT_USAGE;
	}
	if (s.nfam == 2 && s.fam[0].to.af == s.fam[1].to.af) {
		cli_warnx("spoof-probe: one --to per address family");
		return EXIT_USAGE;
	}
	if (s.csv != NULL && !s.have_asn) {
		cli_warnx("spoof-probe: --csv needs --asn (the audit keys "
		    "results by AS)");
		return EXIT_USAGE;
	}
	return run_sender(&s);
}
