/*
 * manrs/util.h - errors, diagnostics, bounded byte readers and writers,
 * text views, arenas and streaming (gzip/bzip2/plain) input.
 *
 * Every parser of outside input in libmanrs is built on these pieces:
 * binary input goes through struct manrs_reader, text through
 * struct manrs_view, and files through struct manrs_input.
 * The library never prints and never exits: problems are returned as
 * negative error codes and, where a caller wants the details, delivered
 * to a struct manrs_diag_sink.
 */
#ifndef MANRS_UTIL_H
#define MANRS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>

/*
 * MANRS_API marks what libmanrs exports: every function and object
 * declared in a public header.  Everything else is hidden
 * (-fvisibility=hidden); tests/unit/symbols.sh fails when the shared
 * library exports a symbol that is not manrs_ or not declared so.
 */
#ifndef MANRS_API
#define MANRS_API	__attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes: fallible functions return 0 or one of these (negative). */
enum manrs_err {
	MANRS_OK = 0,
	MANRS_E_NOMEM = -1,	/* allocation failed */
	MANRS_E_SHORT = -2,	/* input ends before a declared length */
	MANRS_E_SYNTAX = -3,	/* malformed text */
	MANRS_E_RANGE = -4,	/* value outside its allowed range */
	MANRS_E_HOSTBITS = -5,	/* prefix has bits set after its length */
	MANRS_E_LIMIT = -6,	/* a named limit was exceeded */
	MANRS_E_IO = -7,	/* read/write/open failed (see errno) */
	MANRS_E_EXIST = -8,	/* already present */
	MANRS_E_NOTFOUND = -9,	/* not present */
	MANRS_E_FAMILY = -10,	/* address family mismatch */
	MANRS_E_TRAILING = -11,	/* bytes left after a complete structure */
	MANRS_E_FORMAT = -12,	/* well-formed but not what was expected */
	MANRS_E_INVAL = -13,	/* invalid argument from the caller */
	MANRS_E_CORRUPT = -14,	/* compressed stream is corrupt */
};

/* A static, human-readable string for an error code. */
MANRS_API const char *manrs_strerror(int err);

/*
 * Diagnostics: where and why.  "file" is borrowed (it must outlive the
 * callback); line is 1-based (0 = not applicable); offset is a byte offset
 * into the (decompressed) input, or UINT64_MAX when not applicable.
 */
enum manrs_severity {
	MANRS_SEV_NOTE,
	MANRS_SEV_WARNING,
	MANRS_SEV_ERROR,
};

#define MANRS_DIAG_MSG_MAX	512

struct manrs_diag {
	enum manrs_severity	 severity;
	const char		*file;
	uint64_t		 line;
	uint64_t		 offset;
	char			 msg[MANRS_DIAG_MSG_MAX];
};

/*
 * A sink receives diagnostics.  fn may be NULL: then diagnostics are only
 * counted.  The counters are updated by manrs_diag_report().
 */
struct manrs_diag_sink {
	void	(*fn)(void *arg, const struct manrs_diag *d);
	void	 *arg;
	uint64_t  warnings;
	uint64_t  errors;
	uint64_t  max_reports;	/* 0 = unlimited; past it only counted */
};

/* Report one diagnostic; sink may be NULL (then it is dropped). */
MANRS_API void	manrs_diag_report(struct manrs_diag_sink *sink,
	    enum manrs_severity sev, const char *file, uint64_t line,
	    uint64_t offset, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

/*
 * Format a diagnostic the conventional way:
 *   "file: line 12: message" / "file: byte 1843: message" / "file: message"
 * into buf (always NUL-terminated).  Returns buf.
 */
MANRS_API
char	*manrs_diag_format(const struct manrs_diag *d, char *buf, size_t size);

/*
 * An error with its reason: format the message into buf (when buf is
 * not NULL and size > 0; always NUL-terminated, cut to fit) and return
 * err, so a checker can "return manrs_errf(wb, ws, MANRS_E_SYNTAX,
 * ...)".  Use this one; do not write another.
 */
MANRS_API int	manrs_errf(char *buf, size_t size, int err, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));

/*
 * Bounded, non-owning big-endian byte reader.  Errors are sticky: after
 * the first failure every getter fails, so a parser can check once at the
 * end of a structure.  "base" is the absolute offset of p[0] in the whole
 * input, so nested readers report file offsets.
 */
struct manrs_reader {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	uint64_t	 base;
	int		 err;
};

MANRS_API
void	manrs_reader_init(struct manrs_reader *r, const void *p, size_t len,
	    uint64_t base);
MANRS_API int	manrs_reader_u8(struct manrs_reader *r, uint8_t *v);
MANRS_API int	manrs_reader_u16(struct manrs_reader *r, uint16_t *v);
MANRS_API int	manrs_reader_u32(struct manrs_reader *r, uint32_t *v);
MANRS_API int	manrs_reader_u64(struct manrs_reader *r, uint64_t *v);
/* Point *v at the next n bytes (no copy) and advance. */
MANRS_API
int	manrs_reader_bytes(struct manrs_reader *r, size_t n, const uint8_t **v);
/* Copy the next n bytes into dst and advance. */
MANRS_API int	manrs_reader_copy(struct manrs_reader *r, void *dst, size_t n);
MANRS_API int	manrs_reader_skip(struct manrs_reader *r, size_t n);
/* Split the next n bytes off as sub-reader *sub and advance past them. */
MANRS_API int	manrs_reader_sub(struct manrs_reader *r, size_t n,
	    struct manrs_reader *sub);
/* MANRS_E_TRAILING when bytes remain, else the sticky error or 0. */
MANRS_API int	manrs_reader_end(const struct manrs_reader *r);

static inline size_t
manrs_reader_left(const struct manrs_reader *r)
{
	return r->len - r->off;
}

/* Absolute offset of the next unread byte. */
static inline uint64_t
manrs_reader_pos(const struct manrs_reader *r)
{
	return r->base + r->off;
}

/*
 * Growable output buffer with a hard cap (max; 0 = SIZE_MAX).  Errors are
 * sticky like the reader's: check err once at the end.
 */
struct manrs_buf {
	uint8_t	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 err;
};

MANRS_API void	manrs_buf_init(struct manrs_buf *b, size_t max);
MANRS_API void	manrs_buf_clear(struct manrs_buf *b);	/* frees storage */
MANRS_API
void	manrs_buf_reset(struct manrs_buf *b);	/* len = 0, keeps storage */
MANRS_API int	manrs_buf_reserve(struct manrs_buf *b, size_t n);
MANRS_API int	manrs_buf_put(struct manrs_buf *b, const void *p, size_t n);
MANRS_API int	manrs_buf_put_u8(struct manrs_buf *b, uint8_t v);
MANRS_API int	manrs_buf_put_u16(struct manrs_buf *b, uint16_t v);
MANRS_API int	manrs_buf_put_u32(struct manrs_buf *b, uint32_t v);
MANRS_API int	manrs_buf_put_u64(struct manrs_buf *b, uint64_t v);
MANRS_API int	manrs_buf_puts(struct manrs_buf *b, const char *s);
MANRS_API int	manrs_buf_printf(struct manrs_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
MANRS_API
int	manrs_buf_vprintf(struct manrs_buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Overwrite 2/4 bytes at offset off (which must already exist). */
MANRS_API
int	manrs_buf_patch_u16(struct manrs_buf *b, size_t off, uint16_t v);
MANRS_API
int	manrs_buf_patch_u32(struct manrs_buf *b, size_t off, uint32_t v);
/* Drop the first n bytes (for output queues). */
MANRS_API void	manrs_buf_consume(struct manrs_buf *b, size_t n);

/*
 * The JSON string escaper (RFC 8259 section 7): append s[0..len) as a
 * quoted JSON string.  '"' and '\\' are escaped, control characters
 * as \n \r \t or \u00XX, bytes that are not valid UTF-8 as \ufffd, so
 * the output is always valid JSON.  s may be NULL (len 0).  0 or the
 * buffer's error.  Use this one; do not write another.
 */
MANRS_API
int	manrs_buf_put_json_str(struct manrs_buf *b, const char *s, size_t len);

/*
 * The HTML text and attribute escaper: append the NUL-terminated s
 * with '<', '>', '&' and '"' as &lt; &gt; &amp; &quot;, every other
 * byte as it is.  s may be NULL (nothing appended).  0 or the
 * buffer's error.  Use this one; do not write another.
 */
MANRS_API int	manrs_buf_put_html_str(struct manrs_buf *b, const char *s);

/*
 * Growable arrays: make room for element n of *v (size bytes each).
 * When n == *cap the array doubles (from 16 elements); 0, or
 * MANRS_E_NOMEM with the array unchanged.
 */
MANRS_API int	manrs_grow(void **v, size_t *cap, size_t n, size_t size);

/*
 * Lower bound in a sorted array: the first index i in [0, n) whose
 * element is not less than key (cmp(key, elem) <= 0), or n when every
 * element is less.  base holds n elements of size bytes.  Use this (or
 * the u32 form) instead of writing another binary search.
 */
MANRS_API
size_t	manrs_lower_bound(const void *base, size_t n, size_t size,
	    const void *key, int (*cmp)(const void *key, const void *elem));

/*
 * The same for a uint32_t key at byte offset off of each element (size
 * bytes each; a plain uint32_t array is size 4, off 0): the first index
 * whose key is >= key, or n.
 */
static inline size_t
manrs_lower_bound_u32(const void *base, size_t n, size_t size, size_t off,
    uint32_t key)
{
	const unsigned char *b = (const unsigned char *)base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t k;

		memcpy(&k, b + mid * size + off, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Text view: a length-bounded, non-owning slice of text.  Never assumed
 * to be NUL-terminated.
 */
struct manrs_view {
	const char	*p;
	size_t		 len;
};

static inline struct manrs_view
manrs_view_make(const char *p, size_t len)
{
	struct manrs_view v = { p, len };
	return v;
}

MANRS_API struct manrs_view manrs_view_cstr(const char *s);
MANRS_API struct manrs_view manrs_view_trim(struct manrs_view v);
MANRS_API bool	manrs_view_eq(struct manrs_view v, const char *s);
MANRS_API bool	manrs_view_caseeq(struct manrs_view v, const char *s);
MANRS_API
bool	manrs_view_caseeq_view(struct manrs_view a, struct manrs_view b);
MANRS_API bool	manrs_view_starts_with(struct manrs_view v, const char *s);
MANRS_API bool	manrs_view_case_starts_with(struct manrs_view v, const char *s);
/* Index of the first c, or -1. */
MANRS_API ptrdiff_t manrs_view_find(struct manrs_view v, char c);
/*
 * Split at the first occurrence of sep: *head gets what is before, the
 * return is what is after (empty, and *head = v, when sep is absent).
 * Returns true when sep was found.
 */
MANRS_API
bool	manrs_view_split(struct manrs_view v, char sep, struct manrs_view *head,
	    struct manrs_view *tail);
/*
 * Next whitespace-separated (space, tab, CR, LF) token of *v; advances *v.
 * Returns false when there is none.
 */
MANRS_API bool	manrs_view_token(struct manrs_view *v, struct manrs_view *tok);
/*
 * Next token separated by any character of seps; empty fields are skipped
 * when skip_empty.  Advances *v.  Returns false at the end.
 */
MANRS_API bool	manrs_view_field(struct manrs_view *v, const char *seps,
	    bool skip_empty, struct manrs_view *tok);
/*
 * Strict unsigned decimal: digits only, no sign, no spaces, value <= max.
 * MANRS_E_SYNTAX or MANRS_E_RANGE on failure.
 */
MANRS_API
int	manrs_view_u64(struct manrs_view v, uint64_t max, uint64_t *out);
MANRS_API
int	manrs_view_u32(struct manrs_view v, uint32_t max, uint32_t *out);
/* Copy into a NUL-terminated buffer; MANRS_E_LIMIT if it does not fit. */
MANRS_API int	manrs_view_copy(struct manrs_view v, char *dst, size_t size);

/* The value of one hex digit (either case), or -1.  Use this one. */
MANRS_API int	manrs_hexval(char c);

/*
 * Arena: bump allocation in large blocks, freed all at once.  Used for
 * bulk data with one lifetime (an IRR load, a VRP snapshot).
 */
struct manrs_arena;

/* block_size 0 picks a default (1 MiB).  NULL when out of memory. */
MANRS_API struct manrs_arena *manrs_arena_new(size_t block_size);
MANRS_API void	manrs_arena_free(struct manrs_arena *a);
/* 16-byte aligned, uninitialised; NULL when out of memory. */
MANRS_API void	*manrs_arena_alloc(struct manrs_arena *a, size_t n);
MANRS_API void	*manrs_arena_zalloc(struct manrs_arena *a, size_t n);
/* NUL-terminated copy of a view / string. */
MANRS_API
char	*manrs_arena_strndup(struct manrs_arena *a, const char *s, size_t n);
/* Bytes obtained from the system so far. */
MANRS_API size_t	manrs_arena_size(const struct manrs_arena *a);

/*
 * Streaming input: opens a plain, gzip or bzip2 file (detected by its
 * magic bytes, not its name; "-" is stdin) and yields decompressed bytes
 * or lines.  A truncated compressed stream yields everything that could
 * be decompressed and then reports MANRS_E_SHORT once.
 */
struct manrs_input;

enum manrs_input_kind {
	MANRS_INPUT_PLAIN,
	MANRS_INPUT_GZIP,
	MANRS_INPUT_BZIP2,
};

/* NULL on failure with *err set (MANRS_E_IO: see errno). */
MANRS_API struct manrs_input *manrs_input_open(const char *path, int *err);
/*
 * The same, reporting a failure to sink as "PATH: cannot open: REASON"
 * (the system's reason for MANRS_E_IO).
 */
MANRS_API struct manrs_input *manrs_input_open_diag(const char *path,
	    struct manrs_diag_sink *sink, int *err);
/* Take over an open stdio stream (closed by manrs_input_close). */
MANRS_API
struct manrs_input *manrs_input_fdopen(FILE *fp, const char *name, int *err);
/* Read from memory (not copied; must outlive the input). */
MANRS_API struct manrs_input *manrs_input_mem(const void *p, size_t len,
	    const char *name, int *err);
MANRS_API void	manrs_input_close(struct manrs_input *in);
MANRS_API const char *manrs_input_name(const struct manrs_input *in);
MANRS_API enum manrs_input_kind manrs_input_kind(const struct manrs_input *in);
/*
 * Read up to n bytes.  Returns the count (0 at end of input) or a negative
 * error (MANRS_E_IO, MANRS_E_CORRUPT, MANRS_E_SHORT for a stream cut off).
 */
MANRS_API
ptrdiff_t manrs_input_read(struct manrs_input *in, void *dst, size_t n);
/*
 * Read exactly n bytes.  0 on success, 1 at a clean end of input (no byte
 * read), MANRS_E_SHORT when it ends inside, or another error.
 */
MANRS_API
int	manrs_input_read_full(struct manrs_input *in, void *dst, size_t n);
/*
 * Next line without its "\n" (and without a "\r" before it).  *line
 * points into an internal buffer valid until the next call.  Returns 1
 * for a line, 0 at end of input, MANRS_E_LIMIT for a line longer than the
 * limit (the rest of that line is skipped; call again for the next one),
 * or another error.
 */
MANRS_API
int	manrs_input_line(struct manrs_input *in, struct manrs_view *line);
MANRS_API void	manrs_input_set_line_max(struct manrs_input *in, size_t max);
/* 1-based number of the last line returned. */
MANRS_API uint64_t manrs_input_lineno(const struct manrs_input *in);
/* Decompressed bytes consumed so far (offset of the next byte). */
MANRS_API uint64_t manrs_input_offset(const struct manrs_input *in);

#define MANRS_INPUT_LINE_MAX_DEFAULT	(64u * 1024u)

#ifdef __cplusplus
}
#endif

#endif /* MANRS_UTIL_H */
