/*
 * sync_plan.c - what `manrs sync` fetches: each source's upstream layout
 * (RIS rrcNN/YYYY.MM/, RouteViews [COLLECTOR/]bgpdata/YYYY.MM/{RIBS,
 * UPDATES}/, CAIDA serial-2/, the registries' split dumps, the RIRs'
 * delegated stats with their .md5, PeeringDB's API, IANA, Team Cymru),
 * the folders' index pages read for file names, the newest RIB and
 * as-rel at or before --at and the update files covering --window, and
 * a published checksum picked up where a listing has one.  Every planned
 * file becomes a job with its URL and its destination under DIR.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sync_int.h"

int
sync_pathf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

/* The value of --url NAME=URL or manrs.conf's url.NAME; NULL if none. */
static const char *
url_for(const struct sync *s, const char *name)
{
	int i;

	for (i = 0; i < s->nurls; i++)
		if (strcmp(s->urls[i].name, name) == 0)
			return s->urls[i].url;
	return NULL;
}

bool
sync_selected(const struct sync *s, const char *name)
{
	size_t gl = strcspn(name, ".");
	int i;

	if (s->nonly == 0)
		return true;
	for (i = 0; i < s->nonly; i++)
		if (strcmp(s->only[i], name) == 0 ||
		    (strlen(s->only[i]) == gl &&
		    strncmp(s->only[i], name, gl) == 0))
			return true;
	return false;
}

/* Was exactly this name asked for with --only? */
static bool
asked(const struct sync *s, const char *name)
{
	int i;

	for (i = 0; i < s->nonly; i++)
		if (strcmp(s->only[i], name) == 0)
			return true;
	return false;
}

static char *
join_url(const char *base, const char *name)
{
	char *u;
	size_t bl = strlen(base);

	if (asprintf(&u, "%s%s%s", base, bl > 0 && base[bl - 1] == '/' ?
	    "" : "/", name) < 0)
		return NULL;
	return u;
}

static struct job *
add_job(struct sync *s, const char *source, char *url, const char *rel,
    enum sync_kind kind)
{
	struct job *j, *nv;
	size_t i, cap;

	if (url == NULL)
		return NULL;
	for (i = 0; i < s->njobs; i++)
		if (strcmp(s->jobs[i].rel, rel) == 0) {
			cli_warnx("sync: %s and %s both write %s",
			    s->jobs[i].url, url, rel);
			free(url);
			s->failures++;
			return NULL;
		}
	if (s->njobs == SYNC_JOBS_PLANNED_MAX) {
		cli_warnx("sync: more than %d files planned",
		    SYNC_JOBS_PLANNED_MAX);
		free(url);
		s->failures++;
		return NULL;
	}
	if (s->njobs == s->cap) {
		cap = s->cap ? s->cap * 2 : 64;
		if ((nv = reallocarray(s->jobs, cap, sizeof(*nv))) == NULL) {
			free(url);
			return NULL;
		}
		s->jobs = nv;
		s->cap = cap;
	}
	j = &s->jobs[s->njobs++];
	memset(j, 0, sizeof(*j));
	strlcpy(j->source, source, sizeof(j->source));
	j->url = url;
	strlcpy(j->rel, rel, sizeof(j->rel));
	snprintf(j->dest, sizeof(j->dest), "%s/%s", s->dir, rel);
	j->kind = kind;
	return j;
}

/* ---- index pages --------------------------------------------------------- */

/*
 * Fetch a folder's index page and parse its links.  0, or -1 after a
 * message (counted as a failure of source).
 */
static int
get_index_impl(struct sync *s, const char *source, const char *url,
    char ***names, size_t *n)
{
	struct fetch_item it;
	char path[SYNC_PATH_MAX], *buf = NULL;
	struct stat st;
	FILE *fp = NULL;
	int rc = -1;

	*names = NULL;
	*n = 0;
	memset(&it, 0, sizeof(it));
	sync_pathf(path, sizeof(path), "%s/index-%d.html", s->workdir,
	    s->nindex++);
	it.url = url;
	it.path = path;
	if (fetch_run(&it, 1, &s->fo) != 0 || it.status != FETCH_OK) {
		if (source != NULL)
			cli_warnx("sync: %s: index page %s", source,
			    it.error[0] ? it.error : "failed");
		goto out;
	}
	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &st) != 0)
		goto io;
	if (st.st_size > (off_t)SYNC_INDEX_MAX) {
		cli_warnx("sync: %s: index page %s larger than %u bytes",
		    source != NULL ? source : "irr", url, SYNC_INDEX_MAX);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL ||
	    fread(buf, 1, (size_t)st.st_size, fp) != (size_t)st.st_size)
		goto io;
	buf[st.st_size] = '\0';
	if (sync_index_parse(buf, (size_t)st.st_size, names, n) != 0) {
		cli_warnx("sync: %s: index page %s: too many links",
		    source != NULL ? source : "irr", url);
		goto out;
	}
	rc = 0;
	goto out;
io:
	cli_warnx("sync: %s: %s: %s", source != NULL ? source : url, path,
	    strerror(errno));
out:
	if (fp != NULL)
		fclose(fp);
	free(buf);
	unlink(path);
	if (rc != 0)
		s->failures++;
	return rc;
}

static int
get_index(struct sync *s, const char *source, const char *url, char ***names,
    size_t *n)
{
	return get_index_impl(s, source, url, names, n);
}

/* The same without a message or failure: for optional index pages. */
static int
get_index_quiet(struct sync *s, const char *url, char ***names, size_t *n)
{
	int failures = s->failures, rc;

	rc = get_index_impl(s, NULL, url, names, n);
	s->failures = failures;
	return rc;
}

static bool
has_name(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* A published checksum beside name in the same folder listing. */
static void
sidecar(struct job *j, const char *folder, char **names, size_t n,
    const char *name)
{
	static const struct {
		const char *ext;
		enum sum_algo algo;
	} exts[] = {
		{ ".sha256", SUM_SHA256 }, { ".sha256sum", SUM_SHA256 },
		{ ".md5", SUM_MD5 }, { ".md5sum", SUM_MD5 },
	};
	char buf[SYNC_NAME_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", name, exts[i].ext);
		if (has_name(names, n, buf)) {
			j->sum_url = join_url(folder, buf);
			j->sum_algo = exts[i].algo;
			return;
		}
	}
}

/* ---- planning: the BGP archives ------------------------------------------ */

static void
ym(int64_t t, int *y, int *m)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
}

/* The collector inserted after the time: bview.20240101.0000.rrc00.gz */
static void
collector_name(char *out, size_t size, const char *name, size_t prefix_len,
    const char *coll)
{
	size_t k = prefix_len + 8;

	if (name[k] == '.' && strlen(name) >= k + 5)
		k += 5;
	snprintf(out, size, "%.*s.%s%s", (int)k, name, coll, name + k);
}

struct archive {
	const char	*source;	/* "ris" / "routeviews" */
	const char	*rib_prefix;	/* "bview." / "rib." */
	const char	*upd_prefix;	/* "updates." */
	int64_t		 upd_period;	/* one file, s */
	const char	*def_base;
	/* Upstream layout: the month folder of RIBs or updates. */
	void		(*folder)(char *out, size_t size, const char *base,
			    const char *coll, int y, int m, bool upd);
};

static const char *
slash(const char *base)
{
	size_t l = strlen(base);

	return l > 0 && base[l - 1] == '/' ? "" : "/";
}

/* RIS: rrcNN/YYYY.MM/ holds bviews and updates. */
static void
ris_folder(char *out, size_t size, const char *base, const char *coll,
    int y, int m, bool upd)
{
	(void)upd;
	snprintf(out, size, "%s%s%s/%04d.%02d/", base, slash(base), coll, y,
	    m);
}

/*
 * RouteViews: route-views2 is the archive's root, the others folders:
 * <collector>/bgpdata/YYYY.MM/{RIBS,UPDATES}/.
 */
static void
rv_folder(char *out, size_t size, const char *base, const char *coll,
    int y, int m, bool upd)
{
	bool root = strcmp(coll, "route-views2") == 0;

	snprintf(out, size, "%s%s%s%sbgpdata/%04d.%02d/%s/", base,
	    slash(base), root ? "" : coll, root ? "" : "/", y, m,
	    upd ? "UPDATES" : "RIBS");
}

/*
 * One collector: for each month folder covering [at - window, at]
 * (and the month before when no RIB at or before at is found), the
 * newest RIB at or before --at and the update files covering the window.
 */
static int
plan_collector(struct sync *s, const struct archive *a, const char *coll,
    const char *base)
{
	char folder[SYNC_PATH_MAX], rel[SYNC_PATH_MAX], dn[SYNC_PATH_MAX];
	char best_name[SYNC_NAME_MAX + 1] = "", best_folder[SYNC_PATH_MAX];
	struct job best_sum;
	int64_t t, best = -1, from = s->at - s->window;
	int y, m, y0, m0, pass;
	char **names;
	size_t n, i;
	struct job *j;

	memset(&best_sum, 0, sizeof(best_sum));
	ym(from, &y0, &m0);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (best >= 0)
				break;
			/* The RIB before the window: the month before. */
			if (--m0 == 0) {
				m0 = 12;
				y0--;
			}
		}
		for (y = y0, m = m0;; ) {
			int ey, em;

			/* RIBs */
			a->folder(folder, sizeof(folder), base, coll, y, m,
			    false);
			if (get_index(s, a->source, folder, &names, &n) != 0)
				goto fail;
			for (i = 0; i < n; i++) {
				t = sync_name_time(names[i], a->rib_prefix);
				if (t < 0 || t > s->at || t < best)
					continue;
				if (strstr(names[i], ".md5") != NULL ||
				    strstr(names[i], ".sha256") != NULL)
					continue;
				best = t;
				strlcpy(best_name, names[i], sizeof(best_name));
				strlcpy(best_folder, folder,
				    sizeof(best_folder));
				free(best_sum.sum_url);
				best_sum.sum_url = NULL;
				best_sum.sum_algo = SUM_NONE;
				sidecar(&best_sum, folder, names, n, names[i]);
			}
			sync_index_free(names, n);
			/* Updates (same folder for RIS). */
			if (s->window > 0 && pass == 0) {
				a->folder(folder, sizeof(folder), base, coll,
				    y, m, true);
				if (get_index(s, a->source, folder, &names,
				    &n) != 0)
					goto fail;
				for (i = 0; i < n; i++) {
					t = sync_name_time(names[i],
					    a->upd_prefix);
					if (t < 0 || t > s->at ||
					    t + a->upd_period <= from ||
					    strstr(names[i], ".md5") != NULL ||
					    strstr(names[i], ".sha256") != NULL)
						continue;
					collector_name(dn, sizeof(dn), names[i],
					    strlen(a->upd_prefix), coll);
					sync_pathf(rel, sizeof(rel),
					    "updates/%s", dn);
					j = add_job(s, a->source,
					    join_url(folder, names[i]), rel,
					    SYNC_K_MRT_UPDATES);
					if (j != NULL) {
						j->name_time = t;
						sidecar(j, folder, names, n,
						    names[i]);
					}
				}
				sync_index_free(names, n);
			}
			ym(s->at, &ey, &em);
			if (pass == 1 || (y == ey && m == em) || y > ey)
				break;
			if (++m == 13) {
				m = 1;
				y++;
			}
		}
	}
	if (best < 0) {
		cli_warnx("sync: %s: %s: no RIB at or before --at", a->source,
		    coll);
		s->failures++;
		goto fail;
	}
	collector_name(dn, sizeof(dn), best_name, strlen(a->rib_prefix),
	    coll);
	sync_pathf(rel, sizeof(rel), "rib/%s", dn);
	if ((j = add_job(s, a->source, join_url(best_folder, best_name), rel,
	    SYNC_K_MRT_RIB)) != NULL) {
		j->name_time = best;
		j->sum_url = best_sum.sum_url;
		j->sum_algo = best_sum.sum_algo;
	} else
		free(best_sum.sum_url);
	return 0;
fail:
	free(best_sum.sum_url);
	return -1;
}

static bool
is_ris_collector(const char *c)
{
	return strncmp(c, "rrc", 3) == 0;
}

static void
plan_bgp(struct sync *s)
{
	static const struct archive ris = {
		"ris", "bview.", "updates.", 300,
		"https://data.ris.ripe.net/", ris_folder,
	};
	static const struct archive rv = {
		"routeviews", "rib.", "updates.", 900,
		"https://archive.routeviews.org/", rv_folder,
	};
	const struct archive *a;
	const char *base;
	bool any_ris = false, any_rv = false;
	int i;

	for (i = 0; i < s->ncollectors; i++) {
		const char *c = s->collectors[i];

		if (is_ris_collector(c)) {
			any_ris = true;
			a = &ris;
		} else {
			any_rv = true;
			a = &rv;
		}
		if (!sync_selected(s, a->source))
			continue;
		if ((base = url_for(s, a->source)) == NULL)
			base = a->def_base;
		plan_collector(s, a, c, base);
	}
	if (asked(s, "ris") && !any_ris) {
		cli_warnx("sync: ris: --collectors names no rrcNN collector");
		s->failures++;
	}
	if (asked(s, "routeviews") && !any_rv) {
		cli_warnx("sync: routeviews: --collectors names no "
		    "RouteViews collector");
		s->failures++;
	}
}

/* ---- planning: the other sources ---------------------------------------- */

/*
 * IRR registries: folder, then the split dumps taken from it (the
 * object classes the audit and filters read: routes, aut-nums, sets,
 * maintainers and the contacts: role, organisation, irt).
 */
static const struct irr_registry {
	const char	*name;
	const char	*base;
	const char	*files[10];
} irr_registries[] = {
	{ "ripe", "https://ftp.ripe.net/ripe/dbase/split/", {
	    "ripe.db.route.gz", "ripe.db.route6.gz", "ripe.db.aut-num.gz",
	    "ripe.db.as-set.gz", "ripe.db.route-set.gz", "ripe.db.mntner.gz",
	    "ripe.db.role.gz", "ripe.db.organisation.gz", NULL } },
	{ "ripe-nonauth", "https://ftp.ripe.net/ripe/dbase/split/", {
	    "ripe-nonauth.db.route.gz", "ripe-nonauth.db.route6.gz",
	    "ripe-nonauth.db.aut-num.gz", NULL } },
	{ "apnic", "https://ftp.apnic.net/apnic/whois/", {
	    "apnic.db.route.gz", "apnic.db.route6.gz", "apnic.db.aut-num.gz",
	    "apnic.db.as-set.gz", "apnic.db.route-set.gz", "apnic.db.role.gz",
	    "apnic.db.irt.gz", NULL } },
	{ "afrinic", "https://ftp.afrinic.net/pub/dbase/", {
	    "afrinic.db.gz", NULL } },
	{ "lacnic", "https://ftp.lacnic.net/lacnic/irr/", {
	    "lacnic.db.gz", NULL } },
	{ "arin", "https://ftp.arin.net/pub/rr/", { "arin.db.gz", NULL } },
	{ "radb", "https://ftp.radb.net/radb/dbase/", { "radb.db.gz", NULL } },
	{ "altdb", "https://ftp.radb.net/radb/dbase/", {
	    "altdb.db.gz", NULL } },
};

static bool
is_dump_name(const char *n)
{
	size_t l = strlen(n);

	return strstr(n, ".db") != NULL && (strstr(n, ".db.") != NULL ||
	    (l > 3 && strcmp(n + l - 3, ".db") == 0)) &&
	    strstr(n, ".md5") == NULL && strstr(n, ".sha") == NULL &&
	    strstr(n, ".asc") == NULL && strstr(n, "CURRENTSERIAL") == NULL;
}

bool
sync_safe_name(const char *n)
{
	return n[0] != '\0' && n[0] != '.' && strchr(n, '/') == NULL &&
	    strlen(n) <= SYNC_NAME_MAX;
}

static void
plan_irr(struct sync *s)
{
	char name[96], rel[SYNC_PATH_MAX];
	const char *base;
	size_t r, f, n, i, taken;
	char **names;
	int u;

	for (r = 0; r < sizeof(irr_registries) / sizeof(irr_registries[0]);
	    r++) {
		const struct irr_registry *reg = &irr_registries[r];

		snprintf(name, sizeof(name), "irr.%s", reg->name);
		if (!sync_selected(s, name))
			continue;
		if ((base = url_for(s, name)) == NULL)
			base = reg->base;
		/*
		 * The folder's index page says which dumps exist (and any
		 * published checksum); without a readable page, every file
		 * of the list is asked for.
		 */
		if (get_index_quiet(s, base, &names, &n) != 0) {
			names = NULL;
			n = 0;
		}
		for (f = 0, taken = 0; reg->files[f] != NULL; f++) {
			struct job *j;

			if (names != NULL && !has_name(names, n, reg->files[f]))
				continue;
			snprintf(rel, sizeof(rel), "irr/%s/%s", reg->name,
			    reg->files[f]);
			j = add_job(s, name, join_url(base, reg->files[f]),
			    rel, SYNC_K_RPSL);
			if (j != NULL && names != NULL)
				sidecar(j, base, names, n, reg->files[f]);
			taken++;
		}
		if (names != NULL && taken == 0) {
			cli_warnx("sync: %s: %s lists none of its dumps (%s "
			    "...)", name, base, reg->files[0]);
			s->failures++;
		}
		sync_index_free(names, n);
	}
	/* Other registries given as --url irr.NAME=FOLDER: every dump. */
	for (u = 0; u < s->nurls; u++) {
		const char *un = s->urls[u].name;

		if (strncmp(un, "irr.", 4) != 0 || !sync_selected(s, un))
			continue;
		for (r = 0; r < sizeof(irr_registries) /
		    sizeof(irr_registries[0]); r++)
			if (strcmp(un + 4, irr_registries[r].name) == 0)
				break;
		if (r < sizeof(irr_registries) / sizeof(irr_registries[0]))
			continue;
		if (!sync_safe_name(un + 4)) {
			cli_warnx("sync: --url %s: bad registry name", un);
			s->failures++;
			continue;
		}
		if (get_index(s, un, s->urls[u].url, &names, &n) != 0)
			continue;
		for (i = 0; i < n; i++) {
			struct job *j;

			if (!is_dump_name(names[i]))
				continue;
			snprintf(rel, sizeof(rel), "irr/%s/%s", un + 4,
			    names[i]);
			j = add_job(s, un, join_url(s->urls[u].url, names[i]),
			    rel, SYNC_K_RPSL);
			if (j != NULL)
				sidecar(j, s->urls[u].url, names, n, names[i]);
		}
		sync_index_free(names, n);
	}
}

static const struct {
	const char	*name;
	const char	*url;
} delegated_rirs[] = {
	{ "ripencc", "https://ftp.ripe.net/pub/stats/ripencc/"
	    "delegated-ripencc-extended-latest" },
	{ "arin", "https://ftp.arin.net/pub/stats/arin/"
	    "delegated-arin-extended-latest" },
	{ "apnic", "https://ftp.apnic.net/stats/apnic/"
	    "delegated-apnic-extended-latest" },
	{ "lacnic", "https://ftp.lacnic.net/pub/stats/lacnic/"
	    "delegated-lacnic-extended-latest" },
	{ "afrinic", "https://ftp.afrinic.net/pub/stats/afrinic/"
	    "delegated-afrinic-extended-latest" },
};

static void
plan_delegated(struct sync *s)
{
	char name[64], rel[SYNC_PATH_MAX];
	const char *url;
	struct job *j;
	size_t r;

	for (r = 0; r < sizeof(delegated_rirs) / sizeof(delegated_rirs[0]);
	    r++) {
		snprintf(name, sizeof(name), "delegated.%s",
		    delegated_rirs[r].name);
		if (!sync_selected(s, name))
			continue;
		if ((url = url_for(s, name)) == NULL)
			url = delegated_rirs[r].url;
		snprintf(rel, sizeof(rel),
		    "delegated/delegated-%s-extended-latest",
		    delegated_rirs[r].name);
		if ((j = add_job(s, name, strdup(url), rel, SYNC_K_DELEG)) !=
		    NULL) {
			/* Every RIR publishes FILE.md5 beside it. */
			if (asprintf(&j->sum_url, "%s.md5", url) < 0)
				j->sum_url = NULL;
			j->sum_algo = SUM_MD5;
		}
	}
}

static void
plan_asrel(struct sync *s)
{
	const char *base;
	char **names, rel[SYNC_PATH_MAX];
	int64_t t, best = -1;
	size_t n, i, bi = 0;
	struct job *j;

	if (!sync_selected(s, "asrel"))
		return;
	if ((base = url_for(s, "asrel")) == NULL)
		base = "https://publicdata.caida.org/datasets/"
		    "as-relationships/serial-2/";
	if (get_index(s, "asrel", base, &names, &n) != 0)
		return;
	for (i = 0; i < n; i++) {
		const char *rest = names[i] + 8;

		if ((t = sync_name_time(names[i], "")) < 0 || t > s->at ||
		    strlen(names[i]) < 9 ||
		    strncmp(rest, ".as-rel", 7) != 0 ||
		    strstr(rest, ".md5") != NULL ||
		    strstr(rest, ".sha256") != NULL)
			continue;
		if (t > best) {
			best = t;
			bi = i;
		}
	}
	if (best < 0) {
		cli_warnx("sync: asrel: %s lists no YYYYMMDD.as-rel file at "
		    "or before --at", base);
		s->failures++;
	} else {
		snprintf(rel, sizeof(rel), "asrel/%s", names[bi]);
		if ((j = add_job(s, "asrel", join_url(base, names[bi]), rel,
		    SYNC_K_ASREL)) != NULL) {
			j->name_time = best;
			sidecar(j, base, names, n, names[bi]);
		}
	}
	sync_index_free(names, n);
}

static void
plan_simple(struct sync *s)
{
	static const char *const pdb[] = { "net", "poc", "netixlan", "org" };
	const char *base, *key;
	char rel[SYNC_PATH_MAX];
	struct job *j;
	size_t i;

	if (sync_selected(s, "rpki")) {
		if ((base = url_for(s, "rpki")) == NULL)
			base = "https://console.rpki-client.org/vrps.json";
		add_job(s, "rpki", strdup(base), "rpki/vrps.json", SYNC_K_VRP);
	}
	if (sync_selected(s, "peeringdb")) {
		if ((base = url_for(s, "peeringdb")) == NULL)
			base = "https://www.peeringdb.com/api/";
		key = getenv("PEERINGDB_API_KEY");
		s->peeringdb_key = key != NULL && key[0] != '\0';
		if (s->peeringdb_key)
			snprintf(s->auth_header, sizeof(s->auth_header),
			    "Authorization: Api-Key %s", key);
		for (i = 0; i < sizeof(pdb) / sizeof(pdb[0]); i++) {
			snprintf(rel, sizeof(rel), "peeringdb/%s.json",
			    pdb[i]);
			j = add_job(s, "peeringdb", join_url(base, pdb[i]),
			    rel, SYNC_K_PDB);
			if (j != NULL && s->peeringdb_key)
				j->headers[0] = s->auth_header;
		}
	}
	if (sync_selected(s, "iana")) {
		static const char *const f[] = {
			"iana-ipv4-special-registry",
			"iana-ipv6-special-registry",
		};

		base = url_for(s, "iana");
		for (i = 0; i < 2; i++) {
			char *u;

			if (base != NULL)
				u = join_url(base, f[i]);
			else if (asprintf(&u, "https://www.iana.org/"
			    "assignments/%s/%s.xml", f[i], f[i]) < 0)
				u = NULL;
			if (base != NULL && u != NULL) {
				char *x;

				if (asprintf(&x, "%s.xml", u) < 0)
					x = NULL;
				free(u);
				u = x;
			}
			snprintf(rel, sizeof(rel), "iana/%s.xml", f[i]);
			add_job(s, "iana", u, rel, SYNC_K_IANA);
		}
	}
	if (sync_selected(s, "bogons")) {
		static const char *const f[] = {
			"fullbogons-ipv4.txt", "fullbogons-ipv6.txt",
		};

		if ((base = url_for(s, "bogons")) == NULL)
			base = "https://www.team-cymru.org/Services/Bogons/";
		for (i = 0; i < 2; i++) {
			snprintf(rel, sizeof(rel), "bogons/%s", f[i]);
			add_job(s, "bogons", join_url(base, f[i]), rel,
			    SYNC_K_BOGONS);
		}
	}
	if (sync_selected(s, "spoofer")) {
		/*
		 * CAIDA Spoofer's Data API: the sessions as it serves them
		 * (JSON-LD); --url may add its query parameters, or name a
		 * CSV (time,asn,prefix,spoofed) instead.
		 */
		if ((base = url_for(s, "spoofer")) == NULL)
			base = "https://api.spoofer.caida.org/sessions";
		add_job(s, "spoofer", strdup(base), strstr(base, ".csv") !=
		    NULL ? "spoofer/spoofer.csv" : "spoofer/sessions.json",
		    SYNC_K_SPOOFER);
	}
}

bool
sync_known_source(const char *n)
{
	static const char *const names[] = {
		"ris", "routeviews", "rpki", "irr", "asrel", "peeringdb",
		"delegated", "iana", "bogons", "spoofer",
	};
	size_t i;

	if (strncmp(n, "irr.", 4) == 0 && sync_safe_name(n + 4))
		return true;
	if (strncmp(n, "delegated.", 10) == 0) {
		for (i = 0; i < sizeof(delegated_rirs) /
		    sizeof(delegated_rirs[0]); i++)
			if (strcmp(n + 10, delegated_rirs[i].name) == 0)
				return true;
		return false;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(n, names[i]) == 0)
			return true;
	return false;
}

void
sync_plan(struct sync *s)
{
	plan_bgp(s);
	plan_simple(s);
	plan_asrel(s);
	plan_irr(s);
	plan_delegated(s);
}
