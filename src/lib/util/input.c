/*
 * input.c - streaming input from plain, gzip and bzip2 files.
 *
 * The compression is detected from the magic bytes (1f 8b for gzip,
 * "BZh" for bzip2), never from the file name.  Concatenated gzip members
 * and bzip2 streams are read one after another, as gzip(1) and bzip2(1)
 * do.  A stream that is cut off yields all complete output first, then
 * MANRS_E_SHORT once; corrupt data yields MANRS_E_CORRUPT.
 *
 * Lines are split on "\n" with a trailing "\r" removed; a line longer
 * than line_max is reported as MANRS_E_LIMIT and skipped.  A last line
 * without "\n" is a line only at a clean end: when the stream failed,
 * the cut line is dropped and the error returned in its place.
 */
#include <bzlib.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <manrs/util.h>

#define RAW_SIZE	(256u * 1024u)	/* compressed read chunk */
#define OUT_SIZE	(256u * 1024u)	/* decompressed buffer */
#define MEM_OUT_MIN	4096u		/* decompressed, memory source */

struct manrs_input {
	FILE			*fp;
	const uint8_t		*mem;		/* memory source, or NULL */
	size_t			 memlen;
	size_t			 memoff;
	char			*name;
	enum manrs_input_kind	 kind;
	int			 state_err;	/* sticky terminal error */
	bool			 eof;		/* no more decompressed bytes */
	bool			 src_eof;	/* source exhausted */

	uint8_t			*raw;		/* compressed bytes */
	size_t			 rawcap;
	size_t			 rawlen;
	size_t			 rawoff;
	z_stream		 zs;
	bz_stream		 bz;
	bool			 codec_live;

	uint8_t			*out;		/* decompressed bytes */
	size_t			 outcap;	/* >= rawcap (plain copies) */
	size_t			 outlen;
	size_t			 outoff;

	char			*line;		/* line assembly */
	size_t			 linecap;
	size_t			 line_max;
	uint64_t		 lineno;
	uint64_t		 offset;
};

/* Refill raw[] from the source; returns bytes now available. */
static size_t
raw_fill(struct manrs_input *in)
{
	size_t n;

	if (in->rawoff < in->rawlen)
		return in->rawlen - in->rawoff;
	in->rawoff = in->rawlen = 0;
	if (in->src_eof)
		return 0;
	if (in->mem != NULL) {
		n = in->memlen - in->memoff;
		if (n > in->rawcap)
			n = in->rawcap;
		memcpy(in->raw, in->mem + in->memoff, n);
		in->memoff += n;
	} else {
		n = fread(in->raw, 1, in->rawcap, in->fp);
		if (n == 0 && ferror(in->fp)) {
			in->state_err = MANRS_E_IO;
			in->src_eof = true;
			return 0;
		}
	}
	if (n == 0)
		in->src_eof = true;
	in->rawlen = n;
	return n;
}

static int
codec_start(struct manrs_input *in)
{
	if (in->kind == MANRS_INPUT_GZIP) {
		memset(&in->zs, 0, sizeof(in->zs));
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK)
			return MANRS_E_NOMEM;
	} else if (in->kind == MANRS_INPUT_BZIP2) {
		memset(&in->bz, 0, sizeof(in->bz));
		if (BZ2_bzDecompressInit(&in->bz, 0, 0) != BZ_OK)
			return MANRS_E_NOMEM;
	}
	in->codec_live = true;
	return 0;
}

static void
codec_end(struct manrs_input *in)
{
	if (!in->codec_live)
		return;
	if (in->kind == MANRS_INPUT_GZIP)
		inflateEnd(&in->zs);
	else if (in->kind == MANRS_INPUT_BZIP2)
		BZ2_bzDecompressEnd(&in->bz);
	in->codec_live = false;
}

/* One step of gzip decompression into out[]; returns bytes produced. */
static size_t
gz_step(struct manrs_input *in)
{
	int rc;
	size_t have;

	in->zs.next_in = in->raw + in->rawoff;
	in->zs.avail_in = (uInt)(in->rawlen - in->rawoff);
	in->zs.next_out = in->out;
	in->zs.avail_out = (uInt)in->outcap;
	rc = inflate(&in->zs, Z_NO_FLUSH);
	in->rawoff = in->rawlen - in->zs.avail_in;
	have = in->outcap - in->zs.avail_out;
	if (rc == Z_STREAM_END) {
		/* Another member may follow. */
		inflateReset(&in->zs);
		if (raw_fill(in) == 0)
			in->eof = true;
	} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
		in->state_err = MANRS_E_CORRUPT;
		in->eof = true;
	}
	return have;
}

static size_t
bz_step(struct manrs_input *in)
{
	int rc;
	size_t have;

	in->bz.next_in = (char *)(in->raw + in->rawoff);
	in->bz.avail_in = (unsigned)(in->rawlen - in->rawoff);
	in->bz.next_out = (char *)in->out;
	in->bz.avail_out = (unsigned)in->outcap;
	rc = BZ2_bzDecompress(&in->bz);
	in->rawoff = in->rawlen - in->bz.avail_in;
	have = in->outcap - in->bz.avail_out;
	if (rc == BZ_STREAM_END) {
		BZ2_bzDecompressEnd(&in->bz);
		in->codec_live = false;
		if (raw_fill(in) == 0 || codec_start(in) != 0)
			in->eof = true;
	} else if (rc != BZ_OK) {
		in->state_err = MANRS_E_CORRUPT;
		in->eof = true;
	}
	return have;
}

/* Refill out[]; returns false at the end (state_err may be set). */
static bool
out_fill(struct manrs_input *in)
{
	size_t have = 0;

	in->outoff = in->outlen = 0;
	while (have == 0 && !in->eof) {
		if (raw_fill(in) == 0) {
			/* Source ended: fine for plain, short for codecs. */
			if (in->kind != MANRS_INPUT_PLAIN && in->codec_live &&
			    in->state_err == 0)
				in->state_err = MANRS_E_SHORT;
			in->eof = true;
			break;
		}
		if (in->kind == MANRS_INPUT_PLAIN) {
			have = in->rawlen - in->rawoff;
			memcpy(in->out, in->raw + in->rawoff, have);
			in->rawoff = in->rawlen;
		} else if (in->kind == MANRS_INPUT_GZIP) {
			have = gz_step(in);
		} else {
			have = bz_step(in);
		}
	}
	in->outlen = have;
	return have != 0;
}

/*
 * rawcap/outcap: RAW_SIZE/OUT_SIZE for a file; a memory source gets
 * buffers no larger than it (outcap at least MEM_OUT_MIN, for what a
 * compressed one inflates to), so small inputs cost little.
 */
static struct manrs_input *
input_new(const char *name, size_t rawcap, size_t outcap, int *err)
{
	struct manrs_input *in;

	if ((in = calloc(1, sizeof(*in))) == NULL ||
	    (in->raw = malloc(rawcap)) == NULL ||
	    (in->out = malloc(outcap)) == NULL ||
	    (in->name = strdup(name != NULL ? name : "-")) == NULL) {
		if (in != NULL) {
			free(in->raw);
			free(in->out);
			free(in);
		}
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	in->rawcap = rawcap;
	in->outcap = outcap;
	in->line_max = MANRS_INPUT_LINE_MAX_DEFAULT;
	return in;
}

/* Peek at the magic bytes and start the right codec. */
static int
input_detect(struct manrs_input *in)
{
	size_t n = raw_fill(in);
	const uint8_t *r = in->raw;

	if (in->state_err != 0)
		return in->state_err;
	if (n >= 2 && r[0] == 0x1f && r[1] == 0x8b)
		in->kind = MANRS_INPUT_GZIP;
	else if (n >= 3 && r[0] == 'B' && r[1] == 'Z' && r[2] == 'h')
		in->kind = MANRS_INPUT_BZIP2;
	else
		in->kind = MANRS_INPUT_PLAIN;
	return codec_start(in);
}

struct manrs_input *
manrs_input_fdopen(FILE *fp, const char *name, int *err)
{
	struct manrs_input *in;
	int rc;

	if ((in = input_new(name, RAW_SIZE, OUT_SIZE, err)) == NULL) {
		fclose(fp);
		return NULL;
	}
	in->fp = fp;
	if ((rc = input_detect(in)) != 0) {
		manrs_input_close(in);
		*err = rc;
		return NULL;
	}
	return in;
}

struct manrs_input *
manrs_input_open(const char *path, int *err)
{
	FILE *fp;

	if (strcmp(path, "-") == 0) {
		int fd = dup(fileno(stdin));

		fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
	} else {
		fp = fopen(path, "rb");
	}
	if (fp == NULL) {
		*err = MANRS_E_IO;
		return NULL;
	}
	return manrs_input_fdopen(fp, path, err);
}

struct manrs_input *
manrs_input_open_diag(const char *path, struct manrs_diag_sink *sink,
    int *err)
{
	struct manrs_input *in;

	errno = 0;
	if ((in = manrs_input_open(path, err)) == NULL)
		manrs_diag_report(sink, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "cannot open: %s", *err == MANRS_E_IO && errno != 0 ?
		    strerror(errno) : manrs_strerror(*err));
	return in;
}

struct manrs_input *
manrs_input_mem(const void *p, size_t len, const char *name, int *err)
{
	struct manrs_input *in;
	size_t raw = p == NULL || len == 0 ? 1 : len;
	int rc;

	if (raw > RAW_SIZE)
		raw = RAW_SIZE;
	if ((in = input_new(name, raw, raw < MEM_OUT_MIN ? MEM_OUT_MIN : raw,
	    err)) == NULL)
		return NULL;
	in->mem = p != NULL ? p : (const uint8_t *)"";
	in->memlen = p != NULL ? len : 0;
	if ((rc = input_detect(in)) != 0) {
		manrs_input_close(in);
		*err = rc;
		return NULL;
	}
	return in;
}

void
manrs_input_close(struct manrs_input *in)
{
	if (in == NULL)
		return;
	codec_end(in);
	if (in->fp != NULL)
		fclose(in->fp);
	free(in->raw);
	free(in->out);
	free(in->line);
	free(in->name);
	free(in);
}

const char *
manrs_input_name(const struct manrs_input *in)
{
	return in->name;
}

enum manrs_input_kind
manrs_input_kind(const struct manrs_input *in)
{
	return in->kind;
}

/* Report the terminal error once, then plain end of input. */
static int
take_err(struct manrs_input *in)
{
	int rc = in->state_err;

	in->state_err = 0;
	return rc;
}

ptrdiff_t
manrs_input_read(struct manrs_input *in, void *dst, size_t n)
{
	size_t got = 0, k;

	while (got < n) {
		if (in->outoff == in->outlen && !out_fill(in))
			break;
		k = in->outlen - in->outoff;
		if (k > n - got)
			k = n - got;
		memcpy((uint8_t *)dst + got, in->out + in->outoff, k);
		in->outoff += k;
		got += k;
	}
	in->offset += got;
	if (got == 0 && in->state_err != 0)
		return take_err(in);
	return (ptrdiff_t)got;
}

int
manrs_input_read_full(struct manrs_input *in, void *dst, size_t n)
{
	ptrdiff_t got;

	if (n == 0)
		return 0;
	got = manrs_input_read(in, dst, n);
	if (got < 0)
		return (int)got;
	if (got == 0)
		return 1;
	if ((size_t)got < n)
		return in->state_err != 0 ? take_err(in) : MANRS_E_SHORT;
	return 0;
}

static int
line_append(struct manrs_input *in, size_t *len, const uint8_t *p, size_t n)
{
	size_t cap;
	char *nl;

	if (*len + n + 1 > in->linecap) {
		cap = in->linecap != 0 ? in->linecap : 256;
		while (cap < *len + n + 1)
			cap *= 2;
		if ((nl = realloc(in->line, cap)) == NULL)
			return MANRS_E_NOMEM;
		in->line = nl;
		in->linecap = cap;
	}
	memcpy(in->line + *len, p, n);
	*len += n;
	return 0;
}

int
manrs_input_line(struct manrs_input *in, struct manrs_view *line)
{
	size_t len = 0, k;
	bool toolong = false, any = false;
	const uint8_t *nl;
	int rc;

	for (;;) {
		if (in->outoff == in->outlen && !out_fill(in)) {
			/* A stream that failed mid-line: the line is cut. */
			if (in->state_err != 0)
				return take_err(in);
			if (!any)
				return 0;
			break;	/* last line without "\n" */
		}
		any = true;
		k = in->outlen - in->outoff;
		nl = memchr(in->out + in->outoff, '\n', k);
		if (nl != NULL)
			k = (size_t)(nl - (in->out + in->outoff));
		if (!toolong && len + k > in->line_max)
			toolong = true;
		if (!toolong &&
		    (rc = line_append(in, &len, in->out + in->outoff, k)) != 0)
			return rc;
		in->outoff += k;
		in->offset += k;
		if (nl != NULL) {
			in->outoff++;
			in->offset++;
			break;
		}
	}
	in->lineno++;
	if (toolong)
		return MANRS_E_LIMIT;
	if (len > 0 && in->line[len - 1] == '\r')
		len--;
	*line = manrs_view_make(in->line != NULL ? in->line : "", len);
	return 1;
}

void
manrs_input_set_line_max(struct manrs_input *in, size_t max)
{
	in->line_max = max;
}

uint64_t
manrs_input_lineno(const struct manrs_input *in)
{
	return in->lineno;
}

uint64_t
manrs_input_offset(const struct manrs_input *in)
{
	return in->offset;
}
