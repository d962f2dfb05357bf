/*
 * sync_index.c - folder index pages (Apache, nginx and lighttpd
 * autoindex) into the file names they link to, and the times in the
 * archives' file names (RIS "bview.20240101.0800.gz", RouteViews
 * "rib.20240101.0000.bz2", CAIDA "20240101.as-rel2.txt.bz2").
 *
 * The page is untrusted: every name is bounded (SYNC_NAME_MAX), their
 * count too (SYNC_INDEX_NAMES_MAX), and only plain names in the folder
 * itself are returned, so a page cannot make sync write outside it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sync.h"

/* Decode %XX and &amp; of v[0..len) into out; false when not a name. */
static bool
decode_name(const char *v, size_t len, char *out, size_t size)
{
	size_t i = 0, o = 0;
	int hi, lo;
	char c;

	if (len >= 2 && v[0] == '.' && v[1] == '/') {
		v += 2;
		len -= 2;
	}
	while (i < len) {
		c = v[i];
		if (c == '%' && i + 2 < len &&
		    (hi = manrs_hexval(v[i + 1])) >= 0 &&
		    (lo = manrs_hexval(v[i + 2])) >= 0) {
			c = (char)(hi * 16 + lo);
			i += 3;
		} else if (c == '&' && len - i >= 5 &&
		    strncmp(v + i, "&amp;", 5) == 0) {
			c = '&';
			i += 5;
		} else
			i++;
		if (c == '\0' || c == '/' || c == '\\' || c == '?' ||
		    c == '#' || (unsigned char)c < 0x20 || c == 0x7f)
			return false;
		if (o + 1 >= size)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	if (o == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		return false;
	return true;
}

void
sync_index_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
sync_index_parse(const char *html, size_t len, char ***names, size_t *n)
{
	char **v = NULL, **nv, name[SYNC_NAME_MAX + 1];
	size_t cnt = 0, cap = 0, i, j, vlen;
	const char *val;
	char q;

	*names = NULL;
	*n = 0;
	for (i = 0; i + 5 <= len; i++) {
		if (strncasecmp(html + i, "href", 4) != 0)
			continue;
		/* Attribute name boundary, then optional blanks and '='. */
		if (i > 0 && html[i - 1] != ' ' && html[i - 1] != '\t' &&
		    html[i - 1] != '\n' && html[i - 1] != '\r')
			continue;
		j = i + 4;
		while (j < len && (html[j] == ' ' || html[j] == '\t'))
			j++;
		if (j >= len || html[j] != '=')
			continue;
		j++;
		while (j < len && (html[j] == ' ' || html[j] == '\t'))
			j++;
		if (j >= len)
			break;
		q = html[j];
		if (q == '"' || q == '\'') {
			val = html + ++j;
			while (j < len && html[j] != q)
				j++;
			if (j >= len)
				break;
		} else {
			val = html + j;
			while (j < len && html[j] != ' ' && html[j] != '>' &&
			    html[j] != '\t' && html[j] != '\n')
				j++;
		}
		vlen = (size_t)(html + j - val);
		i = j;
		if (vlen == 0 || vlen > 3 * SYNC_NAME_MAX ||
		    memchr(val, ':', vlen) != NULL ||
		    !decode_name(val, vlen, name, sizeof(name)))
			continue;
		for (j = 0; j < cnt; j++)
			if (strcmp(v[j], name) == 0)
				break;
		if (j < cnt)
			continue;
		if (cnt == SYNC_INDEX_NAMES_MAX)
			goto fail;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		if ((v[cnt] = strdup(name)) == NULL)
			goto fail;
		cnt++;
	}
	*names = v;
	*n = cnt;
	return 0;
fail:
	sync_index_free(v, cnt);
	return -1;
}

static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int64_t
sync_name_time(const char *name, const char *prefix)
{
	size_t pl = strlen(prefix);
	const char *s;
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0;

	if (strncmp(name, prefix, pl) != 0)
		return -1;
	s = name + pl;
	if (strlen(s) < 8 || (y = digits(s, 4)) < 1970 ||
	    (mo = digits(s + 4, 2)) < 1 || mo > 12 ||
	    (d = digits(s + 6, 2)) < 1 || d > 31)
		return -1;
	s += 8;
	if (s[0] == '.' && digits(s + 1, 4) >= 0 && strlen(s + 1) >= 4) {
		h = digits(s + 1, 2);
		mi = digits(s + 3, 2);
		s += 5;
		if (digits(s, 2) >= 0 && strlen(s) >= 2 &&
		    (s[2] == '.' || s[2] == '\0' || s[2] == '_')) {
			sec = digits(s, 2);
			s += 2;
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
	}
	if (s[0] != '\0' && s[0] != '.' && s[0] != '_' && s[0] != '-')
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm);
}
