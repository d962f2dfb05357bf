/*
 * manrs/rpsl.h - RPSL object reader (RFC 2622, RFC 4012, RFC 2725 syntax).
 *
 * An RPSL stream is a sequence of objects separated by blank lines.  An
 * object is a sequence of "name: value" attribute lines; a line starting
 * with a space, a tab or "+" continues the previous attribute's value
 * (RFC 2622 section 2).  "#" starts a comment that runs to the end of the
 * line; lines starting with "%" or "#" between objects are ignored.
 * Attribute names are case-insensitive.  The class of an object is the
 * name of its first attribute.
 *
 * The reader never aborts on bad objects: each malformed object is
 * reported (file and line) to the diag sink and skipped; only I/O or
 * decompression failures end the stream with an error.
 */
#ifndef MANRS_RPSL_H
#define MANRS_RPSL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits on one object. */
#define MANRS_RPSL_LINE_MAX	(64u * 1024u)	/* bytes per line */
#define MANRS_RPSL_OBJECT_MAX	(8u * 1024u * 1024u) /* bytes per object */
#define MANRS_RPSL_ATTRS_MAX	(256u * 1024u)	/* attributes per object */
#define MANRS_RPSL_NAME_MAX	64u		/* bytes per attribute name */

enum manrs_rpsl_class {
	MANRS_RPSL_OTHER = 0,	/* any class not listed: kept as text */
	MANRS_RPSL_ROUTE,
	MANRS_RPSL_ROUTE6,
	MANRS_RPSL_AUT_NUM,
	MANRS_RPSL_AS_SET,
	MANRS_RPSL_ROUTE_SET,
	MANRS_RPSL_MNTNER,
	MANRS_RPSL_PERSON,
	MANRS_RPSL_ROLE,
	MANRS_RPSL_ORGANISATION,
	MANRS_RPSL_INETNUM,
	MANRS_RPSL_INET6NUM,
	MANRS_RPSL_CLASS_COUNT
};

struct manrs_rpsl_attr {
	struct manrs_view	name;	/* as written (compare case-insensitively) */
	/*
	 * Value with comments removed and continuation lines joined by
	 * "\n" (their leading blank or "+" dropped); trimmed.
	 */
	struct manrs_view	value;
	uint64_t		line;	/* 1-based line of the attribute */
};

struct manrs_rpsl_obj {
	enum manrs_rpsl_class		 cls;
	struct manrs_view		 cls_name;	/* first attribute name */
	struct manrs_view		 key;		/* first attribute value */
	/* The object's lines exactly as read, each ending in "\n". */
	struct manrs_view		 text;
	const struct manrs_rpsl_attr	*attrs;
	size_t				 nattrs;
	const char			*file;
	uint64_t			 line;		/* of the first line */
};

struct manrs_rpsl_reader;

/*
 * A reader over in (borrowed: the caller closes it after freeing the
 * reader).  Diagnostics go to sink (may be NULL).  NULL with *err set
 * on allocation failure.
 */
MANRS_API
struct manrs_rpsl_reader *manrs_rpsl_reader_new(struct manrs_input *in,
	    struct manrs_diag_sink *sink, int *err);
MANRS_API void	manrs_rpsl_reader_free(struct manrs_rpsl_reader *r);
/*
 * Next well-formed object: 1 and *obj (valid until the next call), 0 at
 * the end, or a negative error for an I/O or decompression failure
 * (MANRS_E_SHORT for a truncated gzip/bzip2 stream, MANRS_E_CORRUPT,
 * MANRS_E_IO), reported to the sink with file and line; the object being
 * read when the input failed is dropped, never returned, and every later
 * call returns the same error.  Malformed objects are reported and
 * skipped.
 */
MANRS_API int	manrs_rpsl_reader_next(struct manrs_rpsl_reader *r,
	    const struct manrs_rpsl_obj **obj);
/* Objects skipped as malformed so far. */
MANRS_API uint64_t manrs_rpsl_reader_skipped(const struct manrs_rpsl_reader *r);

/* Class from its name (case-insensitive); MANRS_RPSL_OTHER if unknown. */
MANRS_API enum manrs_rpsl_class manrs_rpsl_class_parse(struct manrs_view name);
/* Canonical lower-case class name ("route6", "as-set"); "" for OTHER. */
MANRS_API const char *manrs_rpsl_class_name(enum manrs_rpsl_class cls);
/* The first attribute named name, or NULL. */
MANRS_API const struct manrs_rpsl_attr *manrs_rpsl_obj_attr(
	    const struct manrs_rpsl_obj *obj, const char *name);
/*
 * Next item of an RPSL list value ("a, b c\nd"): items are separated by
 * commas and/or white space.  Advances *v; false at the end.
 */
MANRS_API
bool	manrs_rpsl_list_next(struct manrs_view *v, struct manrs_view *item);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_RPSL_H */
