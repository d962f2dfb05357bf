/*
 * diag.c - error strings and diagnostics (where + why).
 *
 * The library never prints: diagnostics go to a caller-supplied sink,
 * which a program turns into "file: line N: message" lines on stderr.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <manrs/util.h>

const char *
manrs_strerror(int err)
{
	switch (err) {
	case MANRS_OK:		return "success";
	case MANRS_E_NOMEM:	return "out of memory";
	case MANRS_E_SHORT:	return "input ends early";
	case MANRS_E_SYNTAX:	return "syntax error";
	case MANRS_E_RANGE:	return "value out of range";
	case MANRS_E_HOSTBITS:	return "host bits set after prefix length";
	case MANRS_E_LIMIT:	return "limit exceeded";
	case MANRS_E_IO:	return "input/output error";
	case MANRS_E_EXIST:	return "already exists";
	case MANRS_E_NOTFOUND:	return "not found";
	case MANRS_E_FAMILY:	return "address family mismatch";
	case MANRS_E_TRAILING:	return "trailing bytes";
	case MANRS_E_FORMAT:	return "unexpected format";
	case MANRS_E_INVAL:	return "invalid argument";
	case MANRS_E_CORRUPT:	return "corrupt compressed data";
	default:		return "unknown error";
	}
}

void
manrs_diag_report(struct manrs_diag_sink *sink, enum manrs_severity sev,
    const char *file, uint64_t line, uint64_t offset, const char *fmt, ...)
{
	struct manrs_diag d;
	uint64_t n;
	va_list ap;

	if (sink == NULL)
		return;
	if (sev == MANRS_SEV_ERROR)
		n = ++sink->errors;
	else if (sev == MANRS_SEV_WARNING)
		n = ++sink->warnings;
	else
		n = 0;
	if (sink->fn == NULL)
		return;
	if (sink->max_reports != 0 && n > sink->max_reports)
		return;
	d.severity = sev;
	d.file = file;
	d.line = line;
	d.offset = offset;
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	va_end(ap);
	sink->fn(sink->arg, &d);
}

char *
manrs_diag_format(const struct manrs_diag *d, char *buf, size_t size)
{
	const char *file = d->file != NULL ? d->file : "-";
	const char *sev = "";

	if (d->severity == MANRS_SEV_WARNING)
		sev = "warning: ";
	else if (d->severity == MANRS_SEV_NOTE)
		sev = "note: ";
	if (d->line != 0)
		snprintf(buf, size, "%s: line %" PRIu64 ": %s%s", file,
		    d->line, sev, d->msg);
	else if (d->offset != UINT64_MAX)
		snprintf(buf, size, "%s: byte %" PRIu64 ": %s%s", file,
		    d->offset, sev, d->msg);
	else
		snprintf(buf, size, "%s: %s%s", file, sev, d->msg);
	return buf;
}

int
manrs_errf(char *buf, size_t size, int err, const char *fmt, ...)
{
	va_list ap;

	if (buf != NULL && size > 0) {
		va_start(ap, fmt);
		vsnprintf(buf, size, fmt, ap);
		va_end(ap);
	}
	return err;
}
