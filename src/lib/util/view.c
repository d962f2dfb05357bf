/*
 * view.c - length-bounded text views and strict number parsing.
 *
 * Views never assume NUL termination; nothing here reads past p + len.
 */
#include <string.h>
#include <strings.h>

#include <manrs/util.h>

static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

static inline char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

struct manrs_view
manrs_view_cstr(const char *s)
{
	return manrs_view_make(s, s != NULL ? strlen(s) : 0);
}

struct manrs_view
manrs_view_trim(struct manrs_view v)
{
	while (v.len > 0 && is_space(v.p[0])) {
		v.p++;
		v.len--;
	}
	while (v.len > 0 && is_space(v.p[v.len - 1]))
		v.len--;
	return v;
}

bool
manrs_view_eq(struct manrs_view v, const char *s)
{
	size_t n = strlen(s);

	return v.len == n && (n == 0 || memcmp(v.p, s, n) == 0);
}

bool
manrs_view_caseeq_view(struct manrs_view a, struct manrs_view b)
{
	size_t i;

	if (a.len != b.len)
		return false;
	for (i = 0; i < a.len; i++)
		if (lower(a.p[i]) != lower(b.p[i]))
			return false;
	return true;
}

bool
manrs_view_caseeq(struct manrs_view v, const char *s)
{
	return manrs_view_caseeq_view(v, manrs_view_cstr(s));
}

bool
manrs_view_starts_with(struct manrs_view v, const char *s)
{
	size_t n = strlen(s);

	return v.len >= n && (n == 0 || memcmp(v.p, s, n) == 0);
}

bool
manrs_view_case_starts_with(struct manrs_view v, const char *s)
{
	size_t n = strlen(s);

	if (v.len < n)
		return false;
	v.len = n;
	return manrs_view_caseeq(v, s);
}

ptrdiff_t
manrs_view_find(struct manrs_view v, char c)
{
	const char *q;

	if (v.len == 0)
		return -1;
	q = memchr(v.p, c, v.len);
	return q != NULL ? q - v.p : -1;
}

bool
manrs_view_split(struct manrs_view v, char sep, struct manrs_view *head,
    struct manrs_view *tail)
{
	ptrdiff_t i = manrs_view_find(v, sep);

	if (i < 0) {
		*head = v;
		*tail = manrs_view_make(v.p + v.len, 0);
		return false;
	}
	*head = manrs_view_make(v.p, (size_t)i);
	*tail = manrs_view_make(v.p + i + 1, v.len - (size_t)i - 1);
	return true;
}

bool
manrs_view_token(struct manrs_view *v, struct manrs_view *tok)
{
	size_t i = 0, start;

	while (i < v->len && is_space(v->p[i]))
		i++;
	if (i == v->len) {
		v->p += v->len;
		v->len = 0;
		return false;
	}
	start = i;
	while (i < v->len && !is_space(v->p[i]))
		i++;
	*tok = manrs_view_make(v->p + start, i - start);
	v->p += i;
	v->len -= i;
	return true;
}

bool
manrs_view_field(struct manrs_view *v, const char *seps, bool skip_empty,
    struct manrs_view *tok)
{
	size_t i;

	for (;;) {
		if (v->len == 0 && v->p == NULL)
			return false;
		for (i = 0; i < v->len && strchr(seps, v->p[i]) == NULL; i++)
			;
		*tok = manrs_view_make(v->p, i);
		if (i < v->len) {
			v->p += i + 1;
			v->len -= i + 1;
		} else {
			/* Last field: mark the view exhausted. */
			v->p = NULL;
			v->len = 0;
		}
		if (!skip_empty || tok->len > 0)
			return true;
	}
}

int
manrs_view_u64(struct manrs_view v, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (v.len == 0 || v.len > 20)
		return MANRS_E_SYNTAX;
	for (i = 0; i < v.len; i++) {
		unsigned d = (unsigned char)v.p[i] - '0';

		if (d > 9)
			return MANRS_E_SYNTAX;
		if (n > (UINT64_MAX - d) / 10)
			return MANRS_E_RANGE;
		n = n * 10 + d;
	}
	if (n > max)
		return MANRS_E_RANGE;
	*out = n;
	return 0;
}

int
manrs_view_u32(struct manrs_view v, uint32_t max, uint32_t *out)
{
	uint64_t n;
	int rc;

	if ((rc = manrs_view_u64(v, max, &n)) != 0)
		return rc;
	*out = (uint32_t)n;
	return 0;
}

int
manrs_view_copy(struct manrs_view v, char *dst, size_t size)
{
	if (size == 0 || v.len >= size)
		return MANRS_E_LIMIT;
	if (v.len != 0)
		memcpy(dst, v.p, v.len);
	dst[v.len] = '\0';
	return 0;
}

int
manrs_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
