/*
 * daemon_log.c - the daemons' one logging function: a timestamped line
 * per call on stderr, as text or JSON, or through syslog(3).
 *
 * Lines are built whole in a local buffer and written with one
 * write(2), so the reload worker and the loop never interleave.  The
 * JSON form uses the library's one escaper (manrs_buf_put_json_str).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

#define LOG_LINE_MAX	2048

static struct {
	char			 name[32];
	enum daemon_log_format	 format;
	bool			 syslog;
} logcfg = { "manrs", DAEMON_LOG_TEXT, false };

static const char *
level_name(int prio)
{
	switch (prio) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_DEBUG:
		return "debug";
	default:
		return "info";
	}
}

void
daemon_log_setup(const struct daemon_opts *o)
{
	static char ident[48];

	snprintf(logcfg.name, sizeof(logcfg.name), "%s", o->name);
	logcfg.format = o->log_format;
	logcfg.syslog = o->syslog;
	if (o->syslog) {
		snprintf(ident, sizeof(ident), "manrs-%s", o->name);
		/* LOG_NDELAY: connect now, before privileges are dropped */
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
}

static void
put_line(const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(STDERR_FILENO, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

void
daemon_vlog(int prio, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX], ts[32], line[2 * LOG_LINE_MAX];
	struct manrs_buf b;
	struct timespec now;
	struct tm tm;
	int n;

	if ((n = vsnprintf(msg, sizeof(msg), fmt, ap)) < 0)
		return;
	if (logcfg.syslog) {
		syslog(prio, "%s", msg);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (logcfg.format == DAEMON_LOG_TEXT) {
		n = snprintf(line, sizeof(line), "%s manrs %s: %s\n", ts,
		    logcfg.name, msg);
		if (n > 0)
			put_line(line, (size_t)n < sizeof(line) ?
			    (size_t)n : sizeof(line) - 1);
		return;
	}
	manrs_buf_init(&b, 8 * LOG_LINE_MAX);
	manrs_buf_printf(&b, "{\"ts\":\"%s\",\"daemon\":\"%s\",\"level\":"
	    "\"%s\",\"msg\":", ts, logcfg.name, level_name(prio));
	manrs_buf_put_json_str(&b, msg, strlen(msg));
	manrs_buf_puts(&b, "}\n");
	if (b.err == 0)
		put_line((const char *)b.p, b.len);
	manrs_buf_clear(&b);
}

void
daemon_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	daemon_vlog(prio, fmt, ap);
	va_end(ap);
}

static void
log_diag(void *arg, const struct manrs_diag *d)
{
	char buf[MANRS_DIAG_MSG_MAX + 512];

	(void)arg;
	daemon_log(d->severity == MANRS_SEV_ERROR ? LOG_ERR :
	    d->severity == MANRS_SEV_WARNING ? LOG_WARNING : LOG_NOTICE,
	    "%s", manrs_diag_format(d, buf, sizeof(buf)));
}

void
daemon_diag_sink(struct manrs_diag_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
	sink->fn = log_diag;
	sink->max_reports = 1000;
}
