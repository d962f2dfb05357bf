/*
 * buf.c - growable output buffer with a hard size cap.
 *
 * Invariant: len <= cap <= max (when cap has been allocated); p is NULL
 * only while cap is 0.  A write that would pass max fails with
 * MANRS_E_LIMIT and leaves the buffer as it was; errors are sticky.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/util.h>

int
manrs_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t nc;
	void *nv;

	if (n < *cap)
		return 0;
	nc = *cap != 0 ? *cap * 2 : 16;
	if (nc <= n)
		nc = n + 1;
	if ((nv = reallocarray(*v, nc, size)) == NULL)
		return MANRS_E_NOMEM;
	*v = nv;
	*cap = nc;
	return 0;
}

size_t
manrs_lower_bound(const void *base, size_t n, size_t size, const void *key,
    int (*cmp)(const void *key, const void *elem))
{
	const unsigned char *b = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(key, b + mid * size) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
manrs_buf_init(struct manrs_buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max != 0 ? max : SIZE_MAX;
	b->err = 0;
}

void
manrs_buf_clear(struct manrs_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->err = 0;
}

void
manrs_buf_reset(struct manrs_buf *b)
{
	b->len = 0;
	b->err = 0;
}

int
manrs_buf_reserve(struct manrs_buf *b, size_t n)
{
	size_t want, cap;
	uint8_t *np;

	if (b->err != 0)
		return b->err;
	if (n > b->max - b->len) {
		b->err = MANRS_E_LIMIT;
		return b->err;
	}
	want = b->len + n;
	if (want <= b->cap)
		return 0;
	cap = b->cap != 0 ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (cap > b->max)
		cap = b->max;
	np = realloc(b->p, cap);
	if (np == NULL) {
		b->err = MANRS_E_NOMEM;
		return b->err;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

int
manrs_buf_put(struct manrs_buf *b, const void *p, size_t n)
{
	if (manrs_buf_reserve(b, n) != 0)
		return b->err;
	if (n != 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

int
manrs_buf_put_u8(struct manrs_buf *b, uint8_t v)
{
	return manrs_buf_put(b, &v, 1);
}

int
manrs_buf_put_u16(struct manrs_buf *b, uint16_t v)
{
	uint8_t q[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return manrs_buf_put(b, q, sizeof(q));
}

int
manrs_buf_put_u32(struct manrs_buf *b, uint32_t v)
{
	uint8_t q[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return manrs_buf_put(b, q, sizeof(q));
}

int
manrs_buf_put_u64(struct manrs_buf *b, uint64_t v)
{
	if (manrs_buf_put_u32(b, (uint32_t)(v >> 32)) != 0)
		return b->err;
	return manrs_buf_put_u32(b, (uint32_t)v);
}

int
manrs_buf_puts(struct manrs_buf *b, const char *s)
{
	return manrs_buf_put(b, s, strlen(s));
}

int
manrs_buf_vprintf(struct manrs_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (b->err != 0)
		return b->err;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		b->err = MANRS_E_INVAL;
		return b->err;
	}
	if (manrs_buf_reserve(b, (size_t)n + 1) != 0)
		return b->err;
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
manrs_buf_printf(struct manrs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = manrs_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
manrs_buf_patch_u16(struct manrs_buf *b, size_t off, uint16_t v)
{
	if (off > b->len || b->len - off < 2)
		return MANRS_E_INVAL;
	b->p[off] = (uint8_t)(v >> 8);
	b->p[off + 1] = (uint8_t)v;
	return 0;
}

int
manrs_buf_patch_u32(struct manrs_buf *b, size_t off, uint32_t v)
{
	if (off > b->len || b->len - off < 4)
		return MANRS_E_INVAL;
	b->p[off] = (uint8_t)(v >> 24);
	b->p[off + 1] = (uint8_t)(v >> 16);
	b->p[off + 2] = (uint8_t)(v >> 8);
	b->p[off + 3] = (uint8_t)v;
	return 0;
}

void
manrs_buf_consume(struct manrs_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
}

/* Length of the valid UTF-8 sequence at s[0..n) (RFC 3629), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int
manrs_buf_put_json_str(struct manrs_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t i, start = 0, n;

	if (s == NULL)
		len = 0;
	manrs_buf_put_u8(b, '"');
	for (i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' &&
		    p[i] != '\\')
			continue;
		if (p[i] >= 0x80 && (n = utf8_len(p + i, len - i)) > 0) {
			i += n - 1;
			continue;
		}
		manrs_buf_put(b, p + start, i - start);
		start = i + 1;
		if (p[i] == '"' || p[i] == '\\') {
			manrs_buf_put_u8(b, '\\');
			manrs_buf_put_u8(b, p[i]);
		} else if (p[i] == '\n') {
			manrs_buf_puts(b, "\\n");
		} else if (p[i] == '\r') {
			manrs_buf_puts(b, "\\r");
		} else if (p[i] == '\t') {
			manrs_buf_puts(b, "\\t");
		} else if (p[i] < 0x20) {
			char e[6] = { '\\', 'u', '0', '0', hex[p[i] >> 4],
			    hex[p[i] & 15] };

			manrs_buf_put(b, e, sizeof(e));
		} else {
			manrs_buf_puts(b, "\\ufffd");
		}
	}
	manrs_buf_put(b, p + start, i - start);
	return manrs_buf_put_u8(b, '"');
}

int
manrs_buf_put_html_str(struct manrs_buf *b, const char *s)
{
	size_t start = 0, i;

	if (s == NULL)
		return b->err;
	for (i = 0; s[i] != '\0'; i++) {
		const char *e;

		switch (s[i]) {
		case '<':	e = "&lt;"; break;
		case '>':	e = "&gt;"; break;
		case '&':	e = "&amp;"; break;
		case '"':	e = "&quot;"; break;
		default:	continue;
		}
		manrs_buf_put(b, s + start, i - start);
		manrs_buf_puts(b, e);
		start = i + 1;
	}
	return manrs_buf_put(b, s + start, i - start);
}
