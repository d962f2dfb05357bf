/*
 * cmd_sync.c - `manrs sync`: fetch current public data into the layout
 * `--data DIR` reads, safely (docs/sync.md).
 *
 * A run is: plan (read folder index pages, pick files by --at and
 * --window), fetch every planned file with conditional requests into a
 * temporary file beside its destination, verify it (length, full
 * decompression, the project's own reader for its format, a published
 * checksum where the upstream offers one), then rename it over the last
 * good copy (kept under DIR/.keep/ with --keep N) and record it in
 * DIR/sync.json.  A file that fails any step never replaces the last
 * good one; the run then exits 1 and stderr names every failure.  Files
 * a source no longer plans (an older RIB, last month's as-rel) are
 * retired only when every file of that source succeeded.  Planning is
 * in sync_plan.c, the format checks in sync_verify.c (sync_int.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cli.h"
#include "fetch.h"
#include "sync.h"
#include "sync_int.h"

static const struct option sync_options[] = {
	{ "data", required_argument, NULL, 'd' },
	{ "only", required_argument, NULL, 'o' },
	{ "url", required_argument, NULL, 'u' },
	{ "at", required_argument, NULL, 'a' },
	{ "window", required_argument, NULL, 'w' },
	{ "collectors", required_argument, NULL, 'c' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "keep", required_argument, NULL, 'k' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "cacert", required_argument, NULL, 'C' },
	{ "build-db", required_argument, NULL, 'B' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: manrs sync [--data DIR] [--only NAME[,NAME...]] [--url NAME=URL]...\n"
"                  [--at TIME] [--window DURATION] [--collectors LIST]\n"
"                  [--jobs N] [--keep N] [--dry-run] [--cacert FILE]\n"
"\n"
"Fetch current public data into DIR (default ./manrs-data) in the layout\n"
"`manrs audit --data DIR` reads, and record every file in DIR/sync.json\n"
"(source, URL, ETag/Last-Modified, fetch time, size, SHA-256, data time).\n"
"A file is renamed into place only after it was fetched whole, fully\n"
"decompressed, parsed and checked against a published checksum where the\n"
"upstream offers one; a failure keeps the last good file and exits 1.\n"
"\n"
"sources (NAME; default base URL in docs/sync.md):\n"
"  ris         RIPE RIS bview + updates   -> DIR/rib/, DIR/updates/\n"
"  routeviews  RouteViews RIBS + UPDATES  -> DIR/rib/, DIR/updates/\n"
"  rpki        a VRP/ASPA JSON or CSV URL -> DIR/rpki/vrps.json\n"
"  irr         IRR split dumps, irr.NAME per registry -> DIR/irr/NAME/\n"
"  asrel       CAIDA serial-2 as-rel (newest at or before --at)\n"
"  peeringdb   API net, poc, netixlan, org (PEERINGDB_API_KEY)\n"
"  delegated   RIR delegated-extended stats, delegated.NAME per RIR\n"
"  iana        IANA special-purpose registries (XML)\n"
"  bogons      Team Cymru full bogons\n"
"  spoofer     CAIDA Spoofer sessions (Data API JSON) or a results CSV\n"
"\n"
"options:\n"
"  --data DIR          data directory (default ./manrs-data)\n"
"  --only LIST         only these sources (irr.ripe, delegated.arin ...)\n"
"  --url NAME=URL      base URL of a source (also `url.NAME = URL` lines\n"
"                      in DIR/manrs.conf; the flag wins)\n"
"  --at TIME           newest RIB / as-rel at or before TIME (default now)\n"
"  --window DURATION   update files covering [at - DURATION, at]\n"
"                      (N, Ns, Nm, Nh, Nd; default 0: no updates)\n"
"  --collectors LIST   rrcNN for ris, route-views* for routeviews\n"
"                      (default rrc00,route-views2)\n"
"  --jobs N            parallel transfers (default 4, at most 2 per host)\n"
"  --keep N            keep N older versions of each file in DIR/.keep/\n"
"  --dry-run           print the plan (URLs and destinations); reads the\n"
"                      folders' index pages, fetches no data file\n"
"  --cacert FILE       CA bundle for HTTPS (default: the system's)\n"
"  --build-db FILE     then build a snapshot of DIR/irr/NAME/ (source\n"
"                      NAME, folders in name order) and DIR/rpki/ into\n"
"                      FILE (manrs db build; also after a partial\n"
"                      failure: from the last good files)\n"
"\n"
"Proxies come from http_proxy / https_proxy / no_proxy.  DIR/manrs.conf may\n"
"also set sync.retries, sync.connect-timeout, sync.low-speed-time (a stalled\n"
"transfer is cut after it), sync.low-speed-limit and sync.max-time.\n");
}

/* ---- small helpers ---------------------------------------------------- */

static void
fail_job(struct sync *s, struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail_job(struct sync *s, struct job *j, const char *fmt, ...)
{
	va_list ap;

	if (j->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(j->why, sizeof(j->why), fmt, ap);
	va_end(ap);
	j->failed = true;
	s->failures++;
}

static int
parse_duration(const char *arg, int64_t *out)
{
	char *end;
	long long v;
	int64_t mul = 1;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno != 0 || end == arg || v < 0)
		return -1;
	switch (*end) {
	case '\0': case 's': break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	default: return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > INT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int
mkdirs(const char *path)
{
	char buf[SYNC_PATH_MAX], *p;

	if (strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int
file_digest(const char *path, const EVP_MD *md, char *hex, size_t hexlen)
{
	unsigned char buf[65536], out[EVP_MAX_MD_SIZE];
	unsigned int olen = 0, i;
	EVP_MD_CTX *ctx;
	FILE *fp;
	size_t n;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, md, NULL) != 1)
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (EVP_DigestUpdate(ctx, buf, n) != 1)
			goto out;
	if (ferror(fp) || EVP_DigestFinal_ex(ctx, out, &olen) != 1 ||
	    hexlen < olen * 2 + 1)
		goto out;
	for (i = 0; i < olen; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	fclose(fp);
	return rc;
}

static int
url_add(struct sync *s, const char *arg, bool from_conf)
{
	const char *eq = strchr(arg, '=');
	int i;

	if (eq == NULL || eq == arg || eq[1] == '\0') {
		cli_warnx("sync: --url %s: expected NAME=URL", arg);
		return -1;
	}
	for (i = 0; i < s->nurls; i++)
		if (strncmp(s->urls[i].name, arg, (size_t)(eq - arg)) == 0 &&
		    s->urls[i].name[eq - arg] == '\0') {
			if (from_conf)
				return 0;	/* the flag wins */
			free(s->urls[i].url);
			if ((s->urls[i].url = strdup(eq + 1)) == NULL)
				return -1;
			return 0;
		}
	if (s->nurls == SYNC_URLS_MAX) {
		cli_warnx("sync: more than %d --url", SYNC_URLS_MAX);
		return -1;
	}
	if ((s->urls[s->nurls].name = strndup(arg, (size_t)(eq - arg))) ==
	    NULL || (s->urls[s->nurls].url = strdup(eq + 1)) == NULL)
		return -1;
	s->nurls++;
	return 0;
}

/* DIR/manrs.conf: url.NAME = URL and sync.* keys; the rest is audit's. */
static int
read_conf(struct sync *s)
{
	char path[SYNC_PATH_MAX], line[8192], arg[8192];
	struct manrs_view v, k, val;
	unsigned lineno = 0;
	FILE *fp;
	int64_t n;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/manrs.conf", s->dir);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		ptrdiff_t hash;

		lineno++;
		v = manrs_view_cstr(line);
		if ((hash = manrs_view_find(v, '#')) >= 0)
			v.len = (size_t)hash;
		v = manrs_view_trim(v);
		if (!manrs_view_split(v, '=', &k, &val))
			continue;
		k = manrs_view_trim(k);
		val = manrs_view_trim(val);
		if (manrs_view_starts_with(k, "url.") && k.len > 4) {
			snprintf(arg, sizeof(arg), "%.*s=%.*s",
			    (int)k.len - 4, k.p + 4, (int)val.len, val.p);
			if (url_add(s, arg, true) != 0)
				rc = -1;
			continue;
		}
		if (!manrs_view_starts_with(k, "sync."))
			continue;
		snprintf(arg, sizeof(arg), "%.*s", (int)val.len, val.p);
		if (manrs_view_eq(k, "sync.retries")) {
			if (parse_duration(arg, &n) != 0 || n > 100)
				goto bad;
			s->fo.retries = (int)n;
		} else if (manrs_view_eq(k, "sync.connect-timeout")) {
			if (parse_duration(arg, &n) != 0 || n < 1)
				goto bad;
			s->fo.connect_timeout = (long)n;
		} else if (manrs_view_eq(k, "sync.low-speed-time")) {
			if (parse_duration(arg, &n) != 0 || n < 1)
				goto bad;
			s->fo.low_speed_time = (long)n;
		} else if (manrs_view_eq(k, "sync.low-speed-limit")) {
			if (parse_duration(arg, &n) != 0 || n < 1)
				goto bad;
			s->fo.low_speed_limit = (long)n;
		} else if (manrs_view_eq(k, "sync.max-time")) {
			if (parse_duration(arg, &n) != 0)
				goto bad;
			s->fo.max_time = (long)n;
		} else if (manrs_view_eq(k, "sync.backoff-ms")) {
			if (parse_duration(arg, &n) != 0 || n > 600000)
				goto bad;
			s->fo.backoff_ms = (long)n;
		} else {
			cli_warnx("sync: %s: line %u: unknown key '%.*s'",
			    path, lineno, (int)k.len, k.p);
			rc = -1;
		}
		continue;
bad:
		cli_warnx("sync: %s: line %u: bad value '%s'", path, lineno,
		    arg);
		rc = -1;
	}
	fclose(fp);
	return rc;
}

static int
hex_token(const char *buf, size_t len, size_t want, char *out)
{
	size_t i, run = 0;

	for (i = 0; i <= len; i++) {
		char c = i < len ? buf[i] : ' ';
		bool hx = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F');

		if (hx) {
			run++;
			continue;
		}
		if (run == want) {
			size_t k;

			for (k = 0; k < want; k++) {
				char h = buf[i - want + k];

				out[k] = h >= 'A' && h <= 'F' ?
				    (char)(h - 'A' + 'a') : h;
			}
			out[want] = '\0';
			return 0;
		}
		run = 0;
	}
	return -1;
}

static void
verify_checksum(struct sync *s, struct job *j)
{
	char buf[4096], want[65], got[65];
	size_t hl = j->sum_algo == SUM_MD5 ? 32 : 64;
	size_t n;
	FILE *fp;

	if (j->sum_it.status != FETCH_OK) {
		fail_job(s, j, "published checksum %s: %s", j->sum_url,
		    j->sum_it.error[0] ? j->sum_it.error : "not fetched");
		return;
	}
	if ((fp = fopen(j->sum_tmp, "rb")) == NULL) {
		fail_job(s, j, "%s: %s", j->sum_tmp, strerror(errno));
		return;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	if (hex_token(buf, n, hl, want) != 0) {
		fail_job(s, j, "%s: no %s digest in it", j->sum_url,
		    j->sum_algo == SUM_MD5 ? "MD5" : "SHA-256");
		return;
	}
	if (file_digest(j->tmp, j->sum_algo == SUM_MD5 ? EVP_md5() :
	    EVP_sha256(), got, sizeof(got)) != 0) {
		fail_job(s, j, "cannot compute the digest");
		return;
	}
	if (strcmp(want, got) != 0) {
		fail_job(s, j, "%s digest %s, published %s (%s)",
		    j->sum_algo == SUM_MD5 ? "MD5" : "SHA-256", got, want,
		    j->sum_url);
		return;
	}
	snprintf(j->checksum, sizeof(j->checksum), "%s %s",
	    j->sum_algo == SUM_MD5 ? "md5" : "sha256", j->sum_url);
}

static void
verify(struct sync *s, struct job *j)
{
	struct sync_verified v;
	char why[FETCH_ERR_MAX];

	if (j->it.size == 0) {
		fail_job(s, j, "empty body");
		return;
	}
	if (j->sum_url != NULL)
		verify_checksum(s, j);
	if (j->failed)
		return;
	if (sync_verify(j->tmp, j->kind, &v, why, sizeof(why)) != 0) {
		fail_job(s, j, "%s", why);
		return;
	}
	j->records = v.records;
	j->data_time = v.data_time;
	j->time_field = v.time_field;
	if (j->data_time == 0 && j->name_time > 0) {
		j->data_time = j->name_time;
		j->time_field = "file name";
	}
	if (j->data_time == 0 && j->it.last_modified > 0) {
		j->data_time = j->it.last_modified;
		j->time_field = "last-modified";
	}
}

/* ---- committing ---------------------------------------------------------- */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keep the newest s->keep versions of rel under DIR/.keep/. */
static void
trim_keep(struct sync *s, const char *rel)
{
	char dir[SYNC_PATH_MAX], path[SYNC_PATH_MAX], pre[SYNC_NAME_MAX + 2];
	const char *base = strrchr(rel, '/');
	char **names;
	size_t n, i, m = 0;
	DIR *d;
	struct dirent *de;

	base = base != NULL ? base + 1 : rel;
	snprintf(dir, sizeof(dir), "%s/.keep/%.*s", s->dir,
	    (int)(base - rel), rel);
	snprintf(pre, sizeof(pre), "%s.", base);
	if ((d = opendir(dir)) == NULL)
		return;
	n = 0;
	names = NULL;
	while ((de = readdir(d)) != NULL) {
		char **nv;

		if (strncmp(de->d_name, pre, strlen(pre)) != 0 ||
		    strlen(de->d_name) != strlen(pre) + 16)
			continue;
		if ((nv = reallocarray(names, n + 1, sizeof(*nv))) == NULL)
			break;
		names = nv;
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (n - i > (size_t)s->keep) {
			sync_pathf(path, sizeof(path), "%s/%s", dir, names[i]);
			unlink(path);
		} else
			m++;
		free(names[i]);
	}
	free(names);
	(void)m;
}

/* Move DIR/rel aside (--keep) or remove it. */
static void
retire_file(struct sync *s, const char *rel)
{
	char src[SYNC_PATH_MAX], dst[SYNC_PATH_MAX], stamp[32];
	time_t now = s->started;
	struct tm tm;
	char *slashp;

	snprintf(src, sizeof(src), "%s/%s", s->dir, rel);
	if (s->keep == 0) {
		unlink(src);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(dst, sizeof(dst), "%s/.keep/%s.%s", s->dir, rel, stamp);
	if ((slashp = strrchr(dst, '/')) != NULL) {
		*slashp = '\0';
		mkdirs(dst);
		*slashp = '/';
	}
	if (rename(src, dst) != 0 && errno != ENOENT)
		cli_warnx("sync: cannot keep %s as %s: %s", src, dst,
		    strerror(errno));
	trim_keep(s, rel);
}

static void
fsync_dir(const char *path)
{
	char dir[SYNC_PATH_MAX], *p;
	int fd;

	strlcpy(dir, path, sizeof(dir));
	if ((p = strrchr(dir, '/')) != NULL)
		*p = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static void
commit(struct sync *s, struct job *j)
{
	struct sync_entry e, *old;
	struct stat st;

	old = sync_manifest_find(&s->man, j->rel);
	if (j->unchanged) {
		if (old != NULL)
			old->fetched = s->started;
		return;
	}
	if (file_digest(j->tmp, EVP_sha256(), j->sha256,
	    sizeof(j->sha256)) != 0) {
		fail_job(s, j, "cannot compute SHA-256");
		return;
	}
	if (stat(j->dest, &st) == 0 && s->keep > 0 &&
	    (old == NULL || strcmp(old->sha256, j->sha256) != 0))
		retire_file(s, j->rel);
	if (rename(j->tmp, j->dest) != 0) {
		fail_job(s, j, "rename to %s: %s", j->dest, strerror(errno));
		return;
	}
	fsync_dir(j->dest);
	memset(&e, 0, sizeof(e));
	e.path = j->rel;
	e.source = j->source;
	e.url = j->url;
	e.etag = j->it.etag_out[0] ? j->it.etag_out : NULL;
	e.last_modified = j->it.last_modified;
	e.fetched = s->started;
	e.changed = s->started;
	e.size = j->it.size;
	memcpy(e.sha256, j->sha256, sizeof(e.sha256));
	e.data_time = j->data_time;
	e.time_field = (char *)(uintptr_t)j->time_field;
	e.checksum = j->checksum[0] ? j->checksum : NULL;
	if (sync_manifest_set(&s->man, &e) != 0)
		fail_job(s, j, "out of memory");
}

/*
 * Files of the sources of this run that the plan no longer has (an
 * older RIB, last month's as-rel): retired, only when nothing failed.
 */
static void
retire_unplanned(struct sync *s)
{
	size_t i, k;

	for (i = 0; i < s->man.n; ) {
		struct sync_entry *e = &s->man.v[i];
		bool planned = false;

		for (k = 0; k < s->njobs && !planned; k++)
			planned = strcmp(s->jobs[k].rel, e->path) == 0;
		if (planned || e->source == NULL ||
		    !sync_selected(s, e->source)) {
			i++;
			continue;
		}
		if (!s->tty)
			fprintf(stderr, "manrs: sync: %s: retired (no longer "
			    "planned)\n", e->path);
		retire_file(s, e->path);
		sync_manifest_del(&s->man, e->path);
	}
}

/* ---- progress ------------------------------------------------------------ */

static void
human(char *out, size_t size, uint64_t b)
{
	if (b >= 10ull * 1024 * 1024)
		snprintf(out, size, "%.1f MB", (double)b / 1e6);
	else if (b >= 10ull * 1024)
		snprintf(out, size, "%.1f kB", (double)b / 1e3);
	else
		snprintf(out, size, "%llu B", (unsigned long long)b);
}

static void
on_progress(void *arg, const struct fetch_item *items, size_t n)
{
	struct sync *s = arg;
	uint64_t now = 0, total = 0, cnow = 0, ctotal = 0;
	const char *cur = NULL;
	char a[32], b[32], bar[21], pct[16];
	size_t i, done = 0;
	int fill;

	if (!s->tty)
		return;
	for (i = 0; i < n; i++) {
		now += fetch_item_now(&items[i]);
		total += fetch_item_total(&items[i]);
		if (items[i].status != FETCH_PENDING)
			done++;
		else if (fetch_item_running(&items[i]) && cur == NULL) {
			cur = items[i].url;
			cnow = fetch_item_now(&items[i]);
			ctotal = fetch_item_total(&items[i]);
		}
	}
	fill = total > 0 ? (int)(now * 20 / total) : 0;
	if (fill > 20)
		fill = 20;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(20 - fill));
	bar[20] = '\0';
	human(a, sizeof(a), now);
	human(b, sizeof(b), total);
	if (cur != NULL && strrchr(cur, '/') != NULL)
		cur = strrchr(cur, '/') + 1;
	if (cur != NULL && ctotal > 0)
		snprintf(pct, sizeof(pct), " %3u%%", (unsigned)(cnow * 100 /
		    (ctotal > cnow ? ctotal : cnow)));
	else
		pct[0] = '\0';
	fprintf(stderr, "\r\033[Kmanrs: sync [%s] %zu/%zu files %s/%s %.40s%s",
	    bar, done, n, a, b, cur != NULL ? cur : "", pct);
}

static void
report(struct sync *s, const struct job *j)
{
	char sz[32];

	if (s->tty)
		fprintf(stderr, "\r\033[K");
	if (j->failed) {
		fprintf(stderr, "manrs: sync: %s: FAILED (%s): %s; the last "
		    "good file is kept%s\n", j->rel, j->url, j->why,
		    j->partial_kept ? " (the partial download is resumed "
		    "by the next run)" : "");
		return;
	}
	human(sz, sizeof(sz), j->it.size);
	if (j->unchanged)
		fprintf(stderr, "manrs: sync: %s: unchanged (304)\n", j->rel);
	else
		fprintf(stderr, "manrs: sync: %s: %s, %llu records%s%s%s\n",
		    j->rel, sz, (unsigned long long)j->records,
		    j->it.resumed ? ", resumed" : "",
		    j->checksum[0] ? ", checksum " : "",
		    j->checksum[0] ? "ok" : "");
}

/* ---- the command --------------------------------------------------------- */

static int
add_list(char **v, int *n, int max, char *arg, const char *flag)
{
	char *p, *save = NULL;

	for (p = strtok_r(arg, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (*n == max) {
			cli_warnx("sync: %s: more than %d names", flag, max);
			return -1;
		}
		v[(*n)++] = p;
	}
	return 0;
}

static void
sync_free(struct sync *s)
{
	size_t i;
	int k;

	for (i = 0; i < s->njobs; i++) {
		free(s->jobs[i].url);
		free(s->jobs[i].sum_url);
	}
	free(s->jobs);
	for (k = 0; k < s->nurls; k++) {
		free(s->urls[k].name);
		free(s->urls[k].url);
	}
	sync_manifest_clear(&s->man);
}

/* A fetch error without its leading "URL: " (the report names it). */
static const char *
strip_url(const char *e, const char *url)
{
	size_t ul = strlen(url);

	if (strncmp(e, url, ul) == 0 && e[ul] == ':' && e[ul + 1] == ' ')
		return e + ul + 2;
	return e;
}

static int
run(struct sync *s)
{
	struct fetch_item *items = NULL, *sums = NULL;
	struct job **sumjobs = NULL;
	char path[SYNC_PATH_MAX], err[1024];
	size_t i, nsum = 0;
	struct stat st;
	int rc = EXIT_FAIL;

	snprintf(path, sizeof(path), "%s/sync.json", s->dir);
	if (sync_manifest_load(&s->man, path, err, sizeof(err)) != 0) {
		cli_warnx("sync: %s", err);
		return EXIT_FAIL;
	}
	snprintf(s->workdir, sizeof(s->workdir), "%s/.sync", s->dir);
	if (mkdirs(s->workdir) != 0) {
		cli_warnx("sync: %s: %s", s->workdir, strerror(errno));
		return EXIT_FAIL;
	}
	sync_plan(s);
	if (s->dry_run) {
		for (i = 0; i < s->njobs; i++)
			printf("%s\t%s\t%s%s%s\n", s->jobs[i].source,
			    s->jobs[i].url, s->jobs[i].dest,
			    s->jobs[i].sum_url ? "\tchecksum " : "",
			    s->jobs[i].sum_url ? s->jobs[i].sum_url : "");
		return s->failures > 0 ? EXIT_FAIL : EXIT_OK;
	}
	if (s->njobs == 0) {
		cli_warnx("sync: nothing to fetch");
		return EXIT_FAIL;
	}
	if ((items = calloc(s->njobs, sizeof(*items))) == NULL ||
	    (sums = calloc(s->njobs, sizeof(*sums))) == NULL ||
	    (sumjobs = calloc(s->njobs, sizeof(*sumjobs))) == NULL)
		goto out;
	for (i = 0; i < s->njobs; i++) {
		struct job *j = &s->jobs[i];
		struct sync_entry *e = sync_manifest_find(&s->man, j->rel);
		const char *base = strrchr(j->dest, '/');
		int h;

		snprintf(path, sizeof(path), "%.*s", (int)(base - j->dest),
		    j->dest);
		if (mkdirs(path) != 0) {
			fail_job(s, j, "%s: %s", path, strerror(errno));
			continue;
		}
		sync_pathf(j->tmp, sizeof(j->tmp), "%s/.%s.part", path,
		    base + 1);
		items[i].url = j->url;
		items[i].path = j->tmp;
		/* A partial body of a run that was cut off is resumed. */
		sync_pathf(j->meta, sizeof(j->meta), "%s.meta", j->tmp);
		items[i].resume_meta = j->meta[0] != '\0' ? j->meta : NULL;
		/* Conditional only when the last good copy is intact. */
		if (e != NULL && stat(j->dest, &st) == 0 &&
		    (uint64_t)st.st_size == e->size) {
			items[i].etag = e->etag;
			items[i].mtime = e->last_modified;
		}
		for (h = 0; h < FETCH_HEADERS_MAX && j->headers[h]; h++)
			items[i].headers[h] = j->headers[h];
	}
	fetch_run(items, s->njobs, &s->fo);
	if (s->tty)
		fprintf(stderr, "\r\033[K");
	for (i = 0; i < s->njobs; i++) {
		struct job *j = &s->jobs[i];

		j->it = items[i];
		if (j->failed)
			continue;
		if (items[i].status == FETCH_NOT_MODIFIED)
			j->unchanged = true;
		else if (items[i].status != FETCH_OK)
			fail_job(s, j, "%s", strip_url(items[i].error, j->url));
		else if (j->sum_url != NULL) {
			sync_pathf(j->sum_tmp, sizeof(j->sum_tmp),
			    "%s/sum-%zu", s->workdir, i);
			sums[nsum].url = j->sum_url;
			sums[nsum].path = j->sum_tmp;
			sumjobs[nsum++] = j;
		}
	}
	/* Published checksums, for what changed. */
	if (nsum > 0)
		fetch_run(sums, nsum, &s->fo);
	for (i = 0; i < nsum; i++)
		sumjobs[i]->sum_it = sums[i];
	for (i = 0; i < s->njobs; i++) {
		struct job *j = &s->jobs[i];

		if (!j->failed && !j->unchanged)
			verify(s, j);
		if (!j->failed)
			commit(s, j);
		/*
		 * A transfer that failed part way keeps its partial body
		 * for the next run when the server named its version.
		 */
		j->partial_kept = j->it.status == FETCH_FAILED &&
		    j->meta[0] != '\0' && access(j->meta, F_OK) == 0 &&
		    stat(j->tmp, &st) == 0 && st.st_size > 0;
		if (!j->partial_kept && j->tmp[0] != '\0') {
			unlink(j->tmp);
			if (j->meta[0] != '\0')
				unlink(j->meta);
		}
		if (j->sum_tmp[0] != '\0')
			unlink(j->sum_tmp);
		report(s, j);
	}
	if (s->failures == 0)
		retire_unplanned(s);
	s->man.synced = s->started;
	if (sync_selected(s, "peeringdb")) {
		free(s->man.peeringdb_access);
		s->man.peeringdb_access = strdup(s->peeringdb_key ?
		    "api-key" : "public");
	}
	snprintf(path, sizeof(path), "%s/sync.json", s->dir);
	if (sync_manifest_save(&s->man, path, err, sizeof(err)) != 0) {
		cli_warnx("sync: %s", err);
		goto out;
	}
	if (s->failures > 0) {
		cli_warnx("sync: %d failure%s (see above); the last good "
		    "files are kept", s->failures, s->failures == 1 ? "" :
		    "s");
		goto out;
	}
	rc = EXIT_OK;
out:
	rmdir(s->workdir);
	free(items);
	free(sums);
	free(sumjobs);
	return rc;
}

static int
dot_or_missing(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/*
 * Append "--vrps F" per file of DIR/rpki/ (name NULL), or one "--source
 * NAME=F,F" for DIR/irr/NAME/ (name "NAME="), to av (the file strings
 * allocated).  -1 out of memory or room.
 */
static int
db_args(const char *dir, const char *sub, const char *name, char **av,
    int *ac, int max)
{
	struct dirent **ents;
	struct stat st;
	char path[SYNC_PATH_MAX], f[SYNC_PATH_MAX];
	size_t len = 0;
	char *list = NULL, *np;
	int n, i, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((n = scandir(path, &ents, dot_or_missing, alphasort)) < 0)
		return 0;	/* not fetched: not in the snapshot */
	for (i = 0; i < n; i++) {
		if (snprintf(f, sizeof(f), "%s/%s", path, ents[i]->d_name) >=
		    (int)sizeof(f))
			rc = -1;
		if (rc == 0 && stat(f, &st) == 0 && S_ISREG(st.st_mode)) {
			if (name == NULL) {
				if (*ac + 2 >= max ||
				    (av[*ac + 1] = strdup(f)) == NULL) {
					rc = -1;
				} else {
					av[*ac] = (char *)(uintptr_t)"--vrps";
					*ac += 2;
				}
			} else if ((np = realloc(list, len + strlen(f) +
			    strlen(name) + 3)) == NULL) {
				rc = -1;
			} else {
				list = np;
				len += (size_t)snprintf(list + len, strlen(f) +
				    strlen(name) + 3, "%s%s", len == 0 ?
				    name : ",", f);
			}
		}
		free(ents[i]);
	}
	free(ents);
	if (rc == 0 && list != NULL) {
		if (*ac + 2 >= max)
			rc = -1;
		else {
			av[(*ac)++] = (char *)(uintptr_t)"--source";
			av[(*ac)++] = list;
			list = NULL;
		}
	}
	free(list);
	return rc;
}

#define SYNC_DB_ARGS	512

/*
 * --build-db: "manrs db build -o FILE" over what DIR holds now (under
 * the directory's lock, so no sync changes the files meanwhile).
 */
static int
build_db(const char *dir, const char *out)
{
	struct dirent **ents;
	struct stat st;
	char *av[SYNC_DB_ARGS], path[SYNC_PATH_MAX], sub[SYNC_PATH_MAX];
	char *name;
	int ac = 0, first, n, i, rc = 0, ret;

	av[ac++] = (char *)(uintptr_t)"db";
	av[ac++] = (char *)(uintptr_t)"build";
	av[ac++] = (char *)(uintptr_t)"-o";
	av[ac++] = (char *)(uintptr_t)out;
	first = ac;
	snprintf(path, sizeof(path), "%s/irr", dir);
	if ((n = scandir(path, &ents, dot_or_missing, alphasort)) >= 0) {
		for (i = 0; i < n; i++) {
			if (snprintf(sub, sizeof(sub), "%s/%s", path,
			    ents[i]->d_name) >= (int)sizeof(sub))
				rc = -1;
			if (rc == 0 && stat(sub, &st) == 0 &&
			    S_ISDIR(st.st_mode)) {
				/* source NAME= ahead of the files */
				if ((name = malloc(strlen(ents[i]->d_name) +
				    2)) == NULL)
					rc = -1;
				else {
					snprintf(name, strlen(ents[i]->d_name) +
					    2, "%s=", ents[i]->d_name);
					snprintf(sub, sizeof(sub), "irr/%s",
					    ents[i]->d_name);
					rc = db_args(dir, sub, name, av, &ac,
					    SYNC_DB_ARGS);
					free(name);
				}
			}
			free(ents[i]);
		}
		free(ents);
	}
	if (rc == 0)
		rc = db_args(dir, "rpki", NULL, av, &ac, SYNC_DB_ARGS);
	if (rc != 0) {
		cli_warnx("sync: --build-db %s: too many files or out of "
		    "memory", out);
		ret = EXIT_FAIL;
	} else if (ac == first) {
		cli_warnx("sync: --build-db %s: no IRR or RPKI data in %s",
		    out, dir);
		ret = EXIT_FAIL;
	} else {
		av[ac] = NULL;
		ret = cmd_db(ac, av);
		if (ret == EXIT_OK)
			fprintf(stderr, "manrs: sync: built %s\n", out);
	}
	for (i = first; i < ac; i++)
		if (strcmp(av[i], "--vrps") != 0 &&
		    strcmp(av[i], "--source") != 0)
			free(av[i]);
	return ret;
}

int
cmd_sync(int argc, char **argv)
{
	const char *build_out = NULL;
	static char def_collectors[] = "rrc00,route-views2";
	struct sync s;
	char lockpath[SYNC_PATH_MAX];
	int64_t v;
	int lock;
	int ch, rc, i;
	bool have_collectors = false;

	memset(&s, 0, sizeof(s));
	s.dir = "./manrs-data";
	s.started = time(NULL);
	s.at = (int64_t)s.started;
	s.tty = isatty(STDERR_FILENO);
	fetch_opts_init(&s.fo);
	s.fo.progress = on_progress;
	s.fo.arg = &s;
	sync_manifest_init(&s.man);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", sync_options, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			s.dir = optarg;
			break;
		case 'o':
			if (add_list(s.only, &s.nonly, 64, optarg,
			    "--only") != 0)
				goto usage;
			break;
		case 'u':
			if (url_add(&s, optarg, false) != 0)
				goto usage;
			break;
		case 'a':
			if (cli_parse_time("--at", optarg, &s.at) != 0)
				goto usage;
			break;
		case 'w':
			if (parse_duration(optarg, &s.window) != 0 ||
			    s.window > 366 * 86400) {
				cli_warnx("sync: --window %s: expected N, Ns, "
				    "Nm, Nh or Nd (at most 366d)", optarg);
				goto usage;
			}
			break;
		case 'c':
			if (add_list(s.collectors, &s.ncollectors,
			    SYNC_COLLECTORS_MAX, optarg,
			    "--collectors") != 0)
				goto usage;
			have_collectors = true;
			break;
		case 'j':
			if (parse_duration(optarg, &v) != 0 || v < 1 ||
			    v > SYNC_JOBS_MAX || strspn(optarg,
			    "0123456789") != strlen(optarg)) {
				cli_warnx("sync: --jobs %s: 1 to %d", optarg,
				    SYNC_JOBS_MAX);
				goto usage;
			}
			s.fo.jobs = (int)v;
			break;
		case 'k':
			if (parse_duration(optarg, &v) != 0 ||
			    v > SYNC_KEEP_MAX || strspn(optarg,
			    "0123456789") != strlen(optarg)) {
				cli_warnx("sync: --keep %s: 0 to %d", optarg,
				    SYNC_KEEP_MAX);
				goto usage;
			}
			s.keep = (int)v;
			break;
		case 'n':
			s.dry_run = true;
			break;
		case 'C':
			s.fo.cacert = optarg;
			break;
		case 'B':
			build_out = optarg;
			break;
		case 'h':
			usage(stdout);
			sync_free(&s);
			return EXIT_OK;
		default:
			goto usage;
		}
	}
	if (optind != argc) {
		cli_warnx("sync: unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	for (i = 0; i < s.nonly; i++)
		if (!sync_known_source(s.only[i])) {
			cli_warnx("sync: --only %s: unknown source", s.only[i]);
			goto usage;
		}
	for (i = 0; i < s.nurls; i++)
		if (!sync_known_source(s.urls[i].name)) {
			cli_warnx("sync: --url %s: unknown source (irr and "
			    "delegated take irr.NAME, delegated.RIR)",
			    s.urls[i].name);
			goto usage;
		}
	for (i = 0; i < s.ncollectors; i++)
		if (!sync_safe_name(s.collectors[i])) {
			cli_warnx("sync: --collectors: bad name '%s'",
			    s.collectors[i]);
			goto usage;
		}
	if (!have_collectors)
		add_list(s.collectors, &s.ncollectors, SYNC_COLLECTORS_MAX,
		    def_collectors, "--collectors");
	if (s.fo.per_host > s.fo.jobs)
		s.fo.per_host = s.fo.jobs;
	if (mkdirs(s.dir) != 0) {
		cli_warnx("sync: --data %s: %s", s.dir, strerror(errno));
		sync_free(&s);
		return EXIT_FAIL;
	}
	if (read_conf(&s) != 0 || fetch_global_init() != 0) {
		sync_free(&s);
		return EXIT_FAIL;
	}
	if (s.fo.per_host > s.fo.jobs)
		s.fo.per_host = s.fo.jobs;
	/* One run per directory at a time (the timer and a hand-run one). */
	snprintf(lockpath, sizeof(lockpath), "%s/.sync.lock", s.dir);
	if ((lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0 ||
	    flock(lock, LOCK_EX | LOCK_NB) != 0) {
		cli_warnx("sync: %s: %s", lockpath, errno == EWOULDBLOCK ?
		    "another manrs sync runs on this directory" :
		    strerror(errno));
		if (lock >= 0)
			close(lock);
		sync_free(&s);
		fetch_global_cleanup();
		return EXIT_FAIL;
	}
	rc = run(&s);
	if (build_out != NULL && !s.dry_run &&
	    build_db(s.dir, build_out) != EXIT_OK)
		rc = EXIT_FAIL;
	close(lock);
	sync_free(&s);
	fetch_global_cleanup();
	return rc;
usage:
	usage(stderr);
	sync_free(&s);
	return EXIT_USAGE;
}
