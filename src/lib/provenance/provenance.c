/*
 * provenance.c - one record per input (kind, path, counts, data time and
 * its source), a list of them with warnings, and their text and JSON
 * forms.  Times are Unix seconds, printed as ISO 8601 UTC.
 *
 * Invariants: strings in struct manrs_provenance are always
 * NUL-terminated (truncated to fit); a list owns its copies and warnings.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <manrs/provenance.h>

void
manrs_provenance_init(struct manrs_provenance *p, const char *kind,
    const char *path)
{
	memset(p, 0, sizeof(*p));
	if (kind != NULL)
		strlcpy(p->kind, kind, sizeof(p->kind));
	if (path != NULL)
		strlcpy(p->path, path, sizeof(p->path));
}

void
manrs_provenance_set_time(struct manrs_provenance *p, int64_t t,
    enum manrs_prov_time_src src, const char *field)
{
	if (t <= 0)
		return;
	p->time = t;
	p->time_src = src;
	if (field == NULL)
		field = src == MANRS_PROV_TIME_FILENAME ? "file name" :
		    src == MANRS_PROV_TIME_MTIME ? "mtime" : "";
	strlcpy(p->time_field, field, sizeof(p->time_field));
}

int
manrs_provenance_use_mtime(struct manrs_provenance *p)
{
	struct stat st;

	if (p->time > 0)
		return 0;
	if (p->path[0] == '\0' || strcmp(p->path, "-") == 0 ||
	    stat(p->path, &st) != 0)
		return MANRS_E_IO;
	manrs_provenance_set_time(p, (int64_t)st.st_mtime,
	    MANRS_PROV_TIME_MTIME, NULL);
	return 0;
}

const char *
manrs_prov_time_src_name(enum manrs_prov_time_src src)
{
	switch (src) {
	case MANRS_PROV_TIME_CONTENT:	return "content";
	case MANRS_PROV_TIME_FILENAME:	return "file name";
	case MANRS_PROV_TIME_MTIME:	return "mtime";
	case MANRS_PROV_TIME_NONE:	break;
	}
	return "unknown";
}

char *
manrs_time_iso(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (size == 0)
		return buf;
	if (t <= 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strlcpy(buf, "-", size);
	return buf;
}

int
manrs_provenance_print(const struct manrs_provenance *p,
    struct manrs_buf *out)
{
	char t[32], u[32];

	manrs_buf_printf(out, "%s %s: %llu records, %llu skipped",
	    p->kind[0] != '\0' ? p->kind : "input",
	    p->path[0] != '\0' ? p->path : "-",
	    (unsigned long long)p->records, (unsigned long long)p->skipped);
	if (p->time > 0)
		manrs_buf_printf(out, "; time %s (%s)",
		    manrs_time_iso(p->time, t, sizeof(t)),
		    p->time_field[0] != '\0' ? p->time_field :
		    manrs_prov_time_src_name(p->time_src));
	else
		manrs_buf_puts(out, "; time unknown");
	if (p->first > 0)
		manrs_buf_printf(out, "; records %s to %s",
		    manrs_time_iso(p->first, t, sizeof(t)),
		    manrs_time_iso(p->last, u, sizeof(u)));
	if (p->has_expiry)
		manrs_buf_printf(out, "; %llu in force, %llu expired at %s",
		    (unsigned long long)p->in_force,
		    (unsigned long long)p->expired,
		    manrs_time_iso(p->judged_at, t, sizeof(t)));
	if (p->url[0] != '\0')
		manrs_buf_printf(out, "; from %s fetched %s", p->url,
		    manrs_time_iso(p->fetched, t, sizeof(t)));
	return manrs_buf_put_u8(out, '\n');
}

static void
json_key(struct manrs_buf *out, const char *key)
{
	manrs_buf_printf(out, ",\"%s\":", key);
}

static void
json_time(struct manrs_buf *out, const char *key, int64_t t)
{
	char s[32];

	json_key(out, key);
	if (t > 0) {
		manrs_time_iso(t, s, sizeof(s));
		manrs_buf_put_json_str(out, s, strlen(s));
	} else {
		manrs_buf_puts(out, "null");
	}
}

int
manrs_provenance_print_json(const struct manrs_provenance *p,
    struct manrs_buf *out)
{
	const char *src = manrs_prov_time_src_name(p->time_src);

	manrs_buf_puts(out, "{\"kind\":");
	manrs_buf_put_json_str(out, p->kind, strlen(p->kind));
	json_key(out, "path");
	manrs_buf_put_json_str(out, p->path, strlen(p->path));
	manrs_buf_printf(out, ",\"records\":%llu,\"skipped\":%llu",
	    (unsigned long long)p->records, (unsigned long long)p->skipped);
	json_time(out, "time", p->time);
	json_key(out, "time_unix");
	if (p->time > 0)
		manrs_buf_printf(out, "%lld", (long long)p->time);
	else
		manrs_buf_puts(out, "null");
	json_key(out, "time_source");
	manrs_buf_put_json_str(out, src, strlen(src));
	json_key(out, "time_field");
	if (p->time_field[0] != '\0')
		manrs_buf_put_json_str(out, p->time_field,
		    strlen(p->time_field));
	else
		manrs_buf_puts(out, "null");
	if (p->first > 0) {
		json_time(out, "first", p->first);
		json_time(out, "last", p->last);
	}
	if (p->has_expiry) {
		manrs_buf_printf(out, ",\"in_force\":%llu,\"expired\":%llu",
		    (unsigned long long)p->in_force,
		    (unsigned long long)p->expired);
		json_time(out, "judged_at", p->judged_at);
	}
	if (p->url[0] != '\0') {
		json_key(out, "url");
		manrs_buf_put_json_str(out, p->url, strlen(p->url));
		json_time(out, "fetched", p->fetched);
		json_key(out, "sha256");
		if (p->sha256[0] != '\0')
			manrs_buf_put_json_str(out, p->sha256,
			    strlen(p->sha256));
		else
			manrs_buf_puts(out, "null");
	}
	return manrs_buf_put_u8(out, '}');
}

void
manrs_provenance_list_init(struct manrs_provenance_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
manrs_provenance_list_clear(struct manrs_provenance_list *l)
{
	size_t i;

	for (i = 0; i < l->nwarnings; i++)
		free(l->warnings[i]);
	free(l->warnings);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
manrs_provenance_list_add(struct manrs_provenance_list *l,
    const struct manrs_provenance *p, struct manrs_provenance **out)
{
	int rc;

	if (l->n >= MANRS_PROV_LIST_MAX)
		return MANRS_E_LIMIT;
	if ((rc = manrs_grow((void **)&l->v, &l->cap, l->n,
	    sizeof(*l->v))) != 0)
		return rc;
	l->v[l->n] = *p;
	if (out != NULL)
		*out = &l->v[l->n];
	l->n++;
	return 0;
}

struct manrs_provenance *
manrs_provenance_list_find(struct manrs_provenance_list *l,
    const char *kind)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].kind, kind) == 0)
			return &l->v[i];
	return NULL;
}

int
manrs_provenance_warn(struct manrs_provenance_list *l, const char *fmt,
    ...)
{
	char msg[MANRS_PROV_WARN_MAX];
	va_list ap;
	char *w;
	int rc;

	if (l->nwarnings >= MANRS_PROV_LIST_MAX)
		return MANRS_E_LIMIT;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((rc = manrs_grow((void **)&l->warnings, &l->wcap, l->nwarnings,
	    sizeof(*l->warnings))) != 0)
		return rc;
	if ((w = strdup(msg)) == NULL)
		return MANRS_E_NOMEM;
	l->warnings[l->nwarnings++] = w;
	return 0;
}

int
manrs_provenance_list_print_json(const struct manrs_provenance_list *l,
    struct manrs_buf *out)
{
	size_t i;

	manrs_buf_puts(out, "\"inputs\":[");
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			manrs_buf_put_u8(out, ',');
		manrs_provenance_print_json(&l->v[i], out);
	}
	manrs_buf_puts(out, "],\"warnings\":[");
	for (i = 0; i < l->nwarnings; i++) {
		if (i > 0)
			manrs_buf_put_u8(out, ',');
		manrs_buf_put_json_str(out, l->warnings[i],
		    strlen(l->warnings[i]));
	}
	return manrs_buf_put_u8(out, ']');
}
