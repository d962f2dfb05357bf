/*
 * audit_load.c - collecting and loading the audit inputs: repeatable
 * flags, or a data directory with one folder per kind of input:
 *
 *   DIR/rib/        MRT RIB dumps          DIR/updates/   MRT update files
 *   DIR/rpki/       VRP/ASPA JSON or CSV   DIR/irr/NAME/  RPSL per source
 *   DIR/asrel/      CAIDA as-rel files     DIR/peeringdb/ PeeringDB JSON
 *   DIR/spoofer/    spoofing results CSV   DIR/manrs.conf audit config
 *
 * Files in a folder are taken in name order (so update files named by
 * time are applied in time order); IRR sources (the folders under irr/)
 * in name order, the first with the highest priority.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <manrs/db.h>

#include "audit_load.h"
#include "cli.h"
#include "rtrd_load.h"
#include "sync.h"

enum {
	OPT_RIB = 256, OPT_UPDATES, OPT_VRPS, OPT_SOURCE, OPT_ASREL,
	OPT_PEERINGDB, OPT_SPOOFER, OPT_DATA, OPT_CONFIG, OPT_MIN_PEERS,
	OPT_NO_PROGRESS, OPT_RPKI_NOW, OPT_DELEGATED, OPT_MAX_SKEW,
	OPT_NOW, OPT_ALLOW_STALE, OPT_DB, OPT_JOBS,
};

const struct option audit_input_options[] = {
	{ "rib", required_argument, NULL, OPT_RIB },
	{ "updates", required_argument, NULL, OPT_UPDATES },
	{ "vrps", required_argument, NULL, OPT_VRPS },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "asrel", required_argument, NULL, OPT_ASREL },
	{ "peeringdb", required_argument, NULL, OPT_PEERINGDB },
	{ "spoofer", required_argument, NULL, OPT_SPOOFER },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "min-peers", required_argument, NULL, OPT_MIN_PEERS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "rpki-now", required_argument, NULL, OPT_RPKI_NOW },
	{ "delegated", required_argument, NULL, OPT_DELEGATED },
	{ "max-skew", required_argument, NULL, OPT_MAX_SKEW },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "allow-stale", no_argument, NULL, OPT_ALLOW_STALE },
	{ "vrps-now", required_argument, NULL, OPT_RPKI_NOW },
	{ "db", required_argument, NULL, OPT_DB },
	{ "jobs", required_argument, NULL, OPT_JOBS },
};

const char audit_inputs_help[] =
    "inputs (each repeatable):\n"
    "  --rib FILE            MRT RIB dump (TABLE_DUMP / TABLE_DUMP_V2)\n"
    "  --updates FILE        MRT update file (BGP4MP), in time order\n"
    "  --vrps FILE           VRPs and ASPAs (rpki-client/Routinator JSON, "
    "CSV)\n"
    "  --source NAME=FILE[,FILE]  IRR source, highest priority first\n"
    "  --asrel FILE          CAIDA AS relationships (serial-1 or -2)\n"
    "  --peeringdb FILE      PeeringDB API JSON (net, poc, netixlan)\n"
    "  --spoofer FILE        spoofing results: CSV (time,asn,prefix,"
    "spoofed) or CAIDA\n"
    "                        Spoofer sessions (Data API JSON)\n"
    "  --delegated FILE      RIR delegated stats: unallocated space "
    "(reported, not scored)\n"
    "  --data DIR            all of the above from DIR (see manrs(1))\n"
    "  --db FILE             IRR and VRPs from a snapshot (manrs db build)\n"
    "                        instead of --source/--vrps (and DIR/irr/,\n"
    "                        DIR/rpki/): mapped, not parsed\n"
    "  --config FILE         thresholds and weights (key = value)\n"
    "  --min-peers N         peers that must see a route (default 1)\n"
    "  --now TIME            judge ROA/ASPA expiry at TIME (unix or ISO "
    "8601;\n"
    "                        --rpki-now, --vrps-now: aliases); without "
    "it an\n"
    "                        archived snapshot is judged at its build "
    "time\n"
    "  --allow-stale         go on when every VRP loaded is expired\n"
    "  --max-skew DURATION   warn when inputs' times lie further apart "
    "(default 2d;\n"
    "                        N, Ns, Nm, Nh, Nd); a jump in the BGP data "
    "beyond it\n"
    "                        is a gap: open incidents close before it\n"
    "  --jobs N              decode and classify on N threads (0: one per "
    "CPU;\n"
    "                        default 1); the same output as one\n";

void
audit_inputs_init(struct audit_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->min_peers = -1;
	in->max_skew = -1;
	in->v.at_buildtime = true;
	manrs_provenance_list_init(&in->prov);
	in->progress = isatty(STDERR_FILENO);
	in->jobs = 1;
}

static int
list_add(struct file_list *l, const char *f, const char *what)
{
	if (l->n == AUDIT_FILES_MAX) {
		cli_warnx("more than %d %s files", AUDIT_FILES_MAX, what);
		return -1;
	}
	l->v[l->n++] = f;
	return 0;
}

/* "172800", "2d", "36h", "90m", "10s" into seconds (0 = no limit). */
static int
parse_duration(const char *arg, int64_t *out)
{
	static const struct { char c; int64_t mul; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	int64_t mul = 1;
	char *end;
	long long v;
	size_t i;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno != 0 || end == arg || v < 0)
		return -1;
	if (*end != '\0') {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (*end == units[i].c)
				mul = units[i].mul;
		if (mul == 1 && *end != 's')
			return -1;
		if (end[1] != '\0')
			return -1;
	}
	if (v > INT64_MAX / 86400)
		return -1;
	*out = (int64_t)v * mul;
	return 0;
}

int
audit_inputs_option(struct audit_inputs *in, int opt, char *arg)
{
	char *end;

	switch (opt) {
	case OPT_RIB:		return list_add(&in->rib, arg, "rib") ? -1 : 1;
	case OPT_UPDATES:	return list_add(&in->updates, arg, "updates") ?
				    -1 : 1;
	case OPT_VRPS:		return list_add(&in->vrps, arg, "vrps") ? -1 : 1;
	case OPT_ASREL:		return list_add(&in->asrel, arg, "asrel") ?
				    -1 : 1;
	case OPT_PEERINGDB:	return list_add(&in->peeringdb, arg,
				    "peeringdb") ? -1 : 1;
	case OPT_SPOOFER:	return list_add(&in->spoofer, arg, "spoofer") ?
				    -1 : 1;
	case OPT_DELEGATED:	return list_add(&in->delegated, arg,
				    "delegated") ? -1 : 1;
	case OPT_SOURCE:	return irr_sources_add(&in->irr, arg, "audit") ?
				    -1 : 1;
	case OPT_DATA:		in->data_dir = arg; return 1;
	case OPT_DB:		in->db = arg; return 1;
	case OPT_CONFIG:	in->config = arg; return 1;
	case OPT_NO_PROGRESS:	in->progress = false; return 1;
	case OPT_RPKI_NOW:
	case OPT_NOW:
		return cli_vrps_option(&in->v, opt == OPT_NOW ? "now" :
		    "rpki-now", arg) < 0 ? -1 : 1;
	case OPT_ALLOW_STALE:
		return cli_vrps_option(&in->v, "allow-stale", arg) < 0 ? -1 : 1;
	case OPT_MAX_SKEW:
		if (parse_duration(arg, &in->max_skew) != 0) {
			cli_warnx("--max-skew wants a duration (N seconds, or "
			    "Ns, Nm, Nh, Nd): %s", arg);
			return -1;
		}
		return 1;
	case OPT_JOBS:
		errno = 0;
		in->jobs = strtol(arg, &end, 10);
		if (errno != 0 || *end != '\0' || in->jobs < 0 ||
		    in->jobs > 64) {
			cli_warnx("--jobs wants 0..64 (0: one per CPU): %s",
			    arg);
			return -1;
		}
		if (in->jobs == 0) {
			long c = sysconf(_SC_NPROCESSORS_ONLN);

			in->jobs = c < 1 ? 1 : c > 64 ? 64 : c;
		}
		return 1;
	case OPT_MIN_PEERS:
		errno = 0;
		in->min_peers = strtol(arg, &end, 10);
		if (errno != 0 || *end != '\0' || in->min_peers < 1 ||
		    in->min_peers > 1000) {
			cli_warnx("--min-peers wants 1..1000: %s", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

static char *
own(struct audit_inputs *in, char *s)
{
	if (s == NULL || in->nowned == AUDIT_FILES_MAX * 4) {
		free(s);
		return NULL;
	}
	in->owned[in->nowned++] = s;
	return s;
}

static int
name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every regular file of DIR/sub in name order, appended to l. */
static int
scan_dir(struct audit_inputs *in, const char *sub, struct file_list *l)
{
	struct dirent **ents;
	struct stat st;
	char path[4096], *f;
	int n, i, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", in->data_dir, sub);
	if ((n = scandir(path, &ents, NULL, name_cmp)) < 0)
		return 0;	/* absent: that input is simply not given */
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && rc == 0 &&
		    asprintf(&f, "%s/%s", path, ents[i]->d_name) >= 0 &&
		    own(in, f) != NULL && stat(f, &st) == 0 &&
		    S_ISREG(st.st_mode) &&
		    list_add(l, f, sub) != 0)
			rc = -1;
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* One DIR/irr/NAME/ folder as source NAME (its files in name order). */
static int
irr_folder(struct audit_inputs *in, const char *name)
{
	struct file_list files;
	struct manrs_buf b;
	char sub[512];
	int j;

	memset(&files, 0, sizeof(files));
	snprintf(sub, sizeof(sub), "irr/%s", name);
	if (scan_dir(in, sub, &files) != 0)
		return -1;
	if (files.n == 0)
		return 0;
	manrs_buf_init(&b, 1024 * 1024);
	manrs_buf_printf(&b, "%s=", name);
	for (j = 0; j < files.n; j++)
		manrs_buf_printf(&b, "%s%s", j > 0 ? "," : "", files.v[j]);
	if (manrs_buf_put_u8(&b, 0) != 0 || own(in, (char *)b.p) == NULL) {
		manrs_buf_clear(&b);
		return -1;
	}
	return irr_sources_add(&in->irr, (char *)b.p, "audit");
}

/* DIR/irr/NAME/ folders as sources, in name order. */
static int
scan_irr(struct audit_inputs *in)
{
	struct dirent **ents;
	struct stat st;
	char path[4096];
	int n, i, rc = 0;

	snprintf(path, sizeof(path), "%s/irr", in->data_dir);
	if ((n = scandir(path, &ents, NULL, name_cmp)) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/irr/%s", in->data_dir,
		    ents[i]->d_name);
		if (rc == 0 && ents[i]->d_name[0] != '.' &&
		    stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc = irr_folder(in, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int
scan_data_dir(struct audit_inputs *in, const char *cmd)
{
	char path[4096];
	struct stat st;
	char *conf;

	if (stat(in->data_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cli_warnx("%s: --data %s: %s", cmd, in->data_dir,
		    stat(in->data_dir, &st) != 0 ? strerror(errno) :
		    "not a directory");
		return -1;
	}
	/* --db holds the IRR and the VRPs: those folders are not read */
	if (scan_dir(in, "rib", &in->rib) || scan_dir(in, "updates",
	    &in->updates) || (in->db == NULL &&
	    scan_dir(in, "rpki", &in->vrps)) ||
	    scan_dir(in, "asrel", &in->asrel) || scan_dir(in, "peeringdb",
	    &in->peeringdb) || scan_dir(in, "spoofer", &in->spoofer) ||
	    scan_dir(in, "delegated", &in->delegated) ||
	    (in->db == NULL && scan_irr(in)))
		return -1;
	snprintf(path, sizeof(path), "%s/manrs.conf", in->data_dir);
	if (in->config == NULL && access(path, R_OK) == 0 &&
	    (conf = own(in, strdup(path))) != NULL)
		in->config = conf;
	return 0;
}

static void
progress(const struct audit_inputs *in, const char *what, int i, int n)
{
	if (in->progress)
		fprintf(stderr, "\r\033[Kmanrs: %s %d/%d", what, i, n);
}

/*
 * The IRR sources in priority order, one provenance record per file
 * (the files' semantics are irr_sources_load()'s: a file that cannot be
 * read whole or yields no object fails the load).
 */
static struct manrs_irrdb *
irr_load(struct audit_inputs *in, struct manrs_diag_sink *sink,
    struct manrs_provenance_list *prov)
{
	struct manrs_irrdb_stats before, after;
	struct manrs_provenance p;
	struct manrs_irrdb *db;
	char *files, *f, *rest;
	int i, src, rc = 0, err;

	if ((db = manrs_irrdb_new(&err)) == NULL)
		return NULL;
	/* --jobs: the IRR is the longest input to load; read it ahead. */
	manrs_irrdb_set_read_ahead(db, in->jobs > 1);
	for (i = 0; i < in->irr.n && rc == 0; i++) {
		if ((src = manrs_irrdb_source_add(db, in->irr.src[i].name)) <
		    0 || (files = strdup(in->irr.src[i].files)) == NULL) {
			rc = src < 0 ? src : MANRS_E_NOMEM;
			break;
		}
		rest = files;
		while (rc == 0 && (f = strsep(&rest, ",")) != NULL) {
			if (*f == '\0')
				continue;
			manrs_irrdb_stats(db, &before);
			if ((rc = manrs_irrdb_load(db, src, f, sink)) != 0)
				cli_warnx("%s: not loaded: %s", f,
				    manrs_strerror(rc));
			manrs_irrdb_stats(db, &after);
			if (rc == 0 && after.objects == before.objects) {
				cli_warnx("%s: no objects (empty, or not an "
				    "RPSL dump or ARIN JSON); not loaded", f);
				rc = MANRS_E_FORMAT;
			}
			manrs_provenance_init(&p, "irr", f);
			manrs_irrdb_provenance(db, &p);
			(void)manrs_provenance_list_add(prov, &p, NULL);
		}
		free(files);
	}
	if (rc == 0)
		rc = manrs_irrdb_finish(db);
	if (rc != 0) {
		manrs_irrdb_free(db);
		return NULL;
	}
	return db;
}

/*
 * --db: the snapshot's IRR database and VRP set, used in place.  The
 * inputs list names the snapshot ("db", its build time) and then each
 * input it was built from with the provenance recorded in it.  The VRPs
 * are those in force when the snapshot was built (db build --now); with
 * --now they are judged again there (what expired is withdrawn in a
 * heap copy).  Everything expired is refused as for --vrps unless
 * --allow-stale.
 */
static int
load_db(struct audit_inputs *in, const char *cmd)
{
	const struct manrs_vrp_set *vs;
	struct manrs_provenance p;
	struct manrs_db_input di;
	char why[512];
	bool stale = true, any = false;
	size_t i;
	int err;

	if ((in->snap = manrs_db_open(in->db, why, sizeof(why), &err)) ==
	    NULL) {
		cli_warnx("%s: --db %s: %s", cmd, in->db, why);
		return -1;
	}
	manrs_provenance_init(&p, "db", in->db);
	p.records = manrs_db_input_count(in->snap);
	if (manrs_db_build_time(in->snap) > 0)
		manrs_provenance_set_time(&p, manrs_db_build_time(in->snap),
		    MANRS_PROV_TIME_CONTENT, "build time");
	(void)manrs_provenance_list_add(&in->prov, &p, NULL);
	/* VRPs first, then IRR: the order of a load from the dumps */
	for (i = 0; manrs_db_input(in->snap, i, &di) == 0; i++) {
		if (strcmp(di.prov.kind, "vrps") != 0)
			continue;
		(void)manrs_provenance_list_add(&in->prov, &di.prov, NULL);
		any = true;
		if (in->v.now == 0 && !cli_vrps_stale(&di.prov, cmd,
		    &in->prov))
			stale = false;
	}
	for (i = 0; manrs_db_input(in->snap, i, &di) == 0; i++)
		if (strcmp(di.prov.kind, "vrps") != 0)
			(void)manrs_provenance_list_add(&in->prov, &di.prov,
			    NULL);
	in->irrdb = (struct manrs_irrdb *)(uintptr_t)manrs_db_irrdb(in->snap);
	if ((vs = manrs_db_vrps(in->snap)) == NULL)
		return 0;
	in->vrp_set = (struct manrs_vrp_set *)(uintptr_t)vs;
	if (in->v.now != 0 && manrs_vrp_set_stats(vs)->next_expiry != 0 &&
	    manrs_vrp_set_stats(vs)->next_expiry <= in->v.now) {
		if ((in->vrp_set = manrs_vrp_set_expire(vs,
		    (time_t)in->v.now, &err)) == NULL) {
			cli_warnx("%s: --db %s: %s", cmd, in->db,
			    manrs_strerror(err));
			return -1;
		}
	}
	if (in->v.now != 0)
		stale = manrs_vrp_count(in->vrp_set, 0) == 0;
	if (any && stale && manrs_vrp_count(in->vrp_set, 0) == 0) {
		if (!in->v.allow_stale) {
			cli_warnx("%s: refusing: no VRP of --db %s in force; "
			    "give --now TIME to judge at another time, or "
			    "--allow-stale to go on without them", cmd,
			    in->db);
			return -1;
		}
		manrs_provenance_warn(&in->prov, "no VRP in force "
		    "(--allow-stale): every route is not-found");
	}
	return 0;
}

/*
 * With --jobs the IRR (the largest input) loads on a thread beside the
 * VRPs.  Its diagnostics and provenance are kept and handed on after, in
 * the place one job would have had them.
 */
struct irr_task {
	struct audit_inputs		*in;
	struct manrs_provenance_list	 prov;
	struct manrs_diag_sink		 sink;
	struct manrs_diag		*d;
	char				**file;
	size_t				 n, cap;
	struct manrs_irrdb		*db;
	pthread_t			 tid;
};

static void
irr_task_diag(void *arg, const struct manrs_diag *d)
{
	struct irr_task *t = arg;
	char **nf;

	if (manrs_grow((void **)&t->d, &t->cap, t->n, sizeof(*t->d)) != 0 ||
	    (nf = reallocarray(t->file, t->cap, sizeof(*nf))) == NULL)
		return;
	t->file = nf;
	t->d[t->n] = *d;
	t->file[t->n] = d->file != NULL ? strdup(d->file) : NULL;
	t->n++;
}

static void *
irr_task_run(void *arg)
{
	struct irr_task *t = arg;

	t->db = irr_load(t->in, &t->sink, &t->prov);
	return NULL;
}

/* Join the IRR thread: its diagnostics, then its provenance, in order. */
static struct manrs_irrdb *
irr_task_join(struct irr_task *t, struct manrs_diag_sink *sink)
{
	size_t i;

	uint64_t w = 0, e = 0;

	(void)pthread_join(t->tid, NULL);
	for (i = 0; i < t->n; i++) {
		w += t->d[i].severity == MANRS_SEV_WARNING;
		e += t->d[i].severity == MANRS_SEV_ERROR;
		manrs_diag_report(sink, t->d[i].severity, t->file[i],
		    t->d[i].line, t->d[i].offset, "%s", t->d[i].msg);
		free(t->file[i]);
	}
	/* those past the cap were only counted, as they would have been */
	sink->warnings += t->sink.warnings - w;
	sink->errors += t->sink.errors - e;
	for (i = 0; i < t->prov.n; i++)
		(void)manrs_provenance_list_add(&t->in->prov, &t->prov.v[i],
		    NULL);
	free(t->d);
	free(t->file);
	manrs_provenance_list_clear(&t->prov);
	return t->db;
}

static int
load_refdata(struct audit_inputs *in, const char *cmd,
    struct manrs_diag_sink *sink)
{
	struct irr_task task;
	bool threaded = false;
	struct manrs_provenance p;
	int64_t deleg_time = 0;
	int i, err;

	if (in->db != NULL && (in->vrps.n > 0 || in->irr.n > 0)) {
		cli_warnx("%s: --db holds the IRR and the VRPs: not with "
		    "--vrps or --source", cmd);
		return -1;
	}
	if (in->db != NULL && load_db(in, cmd) != 0)
		return -1;
	if (in->jobs > 1 && in->irr.n > 0 && in->vrps.n > 0) {
		memset(&task, 0, sizeof(task));
		task.in = in;
		manrs_provenance_list_init(&task.prov);
		task.sink.fn = irr_task_diag;
		task.sink.arg = &task;
		task.sink.max_reports = sink->max_reports;
		threaded = pthread_create(&task.tid, NULL, irr_task_run,
		    &task) == 0;
	}
	if (in->vrps.n > 0) {
		for (i = 0; i < in->vrps.n; i++)
			if (cli_vrps_option(&in->v, "vrps", in->vrps.v[i]) < 0)
				break;
		if (i == in->vrps.n)
			in->vrp_set = cli_vrps_load(&in->v, cmd, &in->prov);
		if (in->vrp_set == NULL) {
			if (threaded)
				manrs_irrdb_free(irr_task_join(&task, sink));
			return -1;
		}
	}
	if (threaded)
		in->irrdb = irr_task_join(&task, sink);
	else if (in->irr.n > 0)
		in->irrdb = irr_load(in, sink, &in->prov);
	if (in->irr.n > 0 && in->irrdb == NULL)
		return -1;
	if (in->asrel.n > 0) {
		if ((in->graph = manrs_asgraph_new(NULL)) == NULL)
			return -1;
		for (i = 0; i < in->asrel.n; i++) {
			if (manrs_asgraph_load(in->graph, in->asrel.v[i],
			    sink) != 0)
				return -1;
			manrs_provenance_init(&p, "asrel", in->asrel.v[i]);
			manrs_asgraph_provenance(in->graph, &p);
			(void)manrs_provenance_list_add(&in->prov, &p, NULL);
		}
		if (manrs_asgraph_finish(in->graph) != 0)
			return -1;
	}
	if (in->peeringdb.n > 0) {
		if ((in->pdb = manrs_peeringdb_new(NULL)) == NULL)
			return -1;
		for (i = 0; i < in->peeringdb.n; i++) {
			if (manrs_peeringdb_load(in->pdb, in->peeringdb.v[i],
			    sink) != 0)
				return -1;
			manrs_provenance_init(&p, "peeringdb",
			    in->peeringdb.v[i]);
			manrs_peeringdb_provenance(in->pdb, &p);
			(void)manrs_provenance_list_add(&in->prov, &p, NULL);
		}
	}
	if (in->delegated.n > 0) {
		if ((in->deleg = manrs_bogon_delegated_new(NULL)) == NULL)
			return -1;
		for (i = 0; i < in->delegated.n; i++) {
			struct manrs_input *fin;

			if ((fin = manrs_input_open(in->delegated.v[i],
			    &err)) == NULL) {
				cli_warnx("%s: cannot open", in->delegated.v[i]);
				return -1;
			}
			err = manrs_bogon_delegated_read(in->deleg, fin, sink);
			manrs_input_close(fin);
			manrs_provenance_init(&p, "delegated",
			    in->delegated.v[i]);
			manrs_bogon_delegated_provenance(in->deleg, &p);
			(void)manrs_provenance_list_add(&in->prov, &p, NULL);
			if (p.time > deleg_time)
				deleg_time = p.time;
			/* Bad lines were reported; the good ones are used. */
			if (err != 0 && err != MANRS_E_SYNTAX)
				return -1;
		}
	}
	if (in->spoofer.n > 0) {
		if ((in->spoof = manrs_spoofer_new(NULL)) == NULL)
			return -1;
		for (i = 0; i < in->spoofer.n; i++) {
			size_t before = manrs_spoofer_count(in->spoof);

			if (manrs_spoofer_load(in->spoof, in->spoofer.v[i],
			    sink) != 0)
				return -1;
			manrs_provenance_init(&p, "spoofer", in->spoofer.v[i]);
			p.records = manrs_spoofer_count(in->spoof) - before;
			(void)manrs_provenance_use_mtime(&p);
			(void)manrs_provenance_list_add(&in->prov, &p, NULL);
		}
	}
	in->deleg_time = deleg_time;
	return 0;
}

/* The MRT files as inputs: records, and first and last route time. */
static void
mrt_inputs(struct audit_inputs *in)
{
	const struct manrs_audit_file *f;
	struct manrs_provenance p;
	size_t i, n;

	n = manrs_audit_files(in->audit, &f);
	for (i = 0; i < n; i++) {
		manrs_provenance_init(&p, f[i].rib ? "rib" : "updates",
		    f[i].path);
		p.records = f[i].records;
		p.skipped = f[i].skipped;
		p.first = f[i].first;
		p.last = f[i].last;
		if (f[i].first > 0)
			manrs_provenance_set_time(&p, f[i].first,
			    MANRS_PROV_TIME_CONTENT, "first record");
		else
			(void)manrs_provenance_use_mtime(&p);
		(void)manrs_provenance_list_add(&in->prov, &p, NULL);
	}
}

static void
days(int64_t secs, char *buf, size_t size)
{
	if (secs >= 2 * 86400)
		snprintf(buf, size, "%.0f days", (double)secs / 86400);
	else
		snprintf(buf, size, "%.1f hours", (double)secs / 3600);
}

/*
 * Each reference input (not MRT) whose data time lies further than skew
 * before or after the period of the BGP data, named with the distance.
 */
static void
outside_period(struct audit_inputs *in, int64_t skew)
{
	char t1[32], t2[32], t3[32], d[32];
	int64_t start, end, off;
	size_t i;

	manrs_audit_period(in->audit, &start, &end);
	if (start <= 0 || end <= 0)
		return;
	for (i = 0; i < in->prov.n; i++) {
		const struct manrs_provenance *p = &in->prov.v[i];

		if (p->time <= 0 || p->time_src == MANRS_PROV_TIME_MTIME ||
		    strcmp(p->kind, "db") == 0 ||
		    strcmp(p->kind, "rib") == 0 ||
		    strcmp(p->kind, "updates") == 0)
			continue;
		off = p->time < start ? start - p->time : p->time - end;
		if (off <= skew)
			continue;
		days(off, d, sizeof(d));
		manrs_provenance_warn(&in->prov, "%s %s: data of %s, %s %s the "
		    "BGP data (%s .. %s)", p->kind, p->path,
		    manrs_time_iso(p->time, t1, sizeof(t1)), d,
		    p->time < start ? "before" : "after",
		    manrs_time_iso(start, t2, sizeof(t2)),
		    manrs_time_iso(end, t3, sizeof(t3)));
	}
}

/*
 * Inputs whose data times lie further apart than max_skew: the oldest
 * and the newest are named (VRPs by the time they are judged at).
 */
static void
skew_warnings(struct audit_inputs *in)
{
	const struct manrs_provenance *lo = NULL, *hi = NULL;
	const struct manrs_audit_gap *g;
	char t1[32], t2[32], d1[32], d2[32];
	int64_t skew = in->cfg.max_skew;
	size_t i, n;

	for (i = 0; i < in->prov.n; i++) {
		const struct manrs_provenance *p = &in->prov.v[i];

		/*
		 * An mtime says when the copy was made, not the data; so
		 * does a snapshot's build time (its inputs follow it).
		 */
		if (p->time <= 0 || p->time_src == MANRS_PROV_TIME_MTIME ||
		    strcmp(p->kind, "db") == 0)
			continue;
		if (lo == NULL || p->time < lo->time)
			lo = p;
		if (hi == NULL || p->time > hi->time)
			hi = p;
	}
	if (skew > 0 && lo != NULL && hi->time - lo->time > skew) {
		days(hi->time - lo->time, d1, sizeof(d1));
		days(skew, d2, sizeof(d2));
		manrs_provenance_warn(&in->prov, "inputs lie %s apart (more "
		    "than --max-skew %s): oldest %s %s (%s), newest %s %s "
		    "(%s); verdicts combining them may be wrong", d1, d2,
		    lo->kind, lo->path, manrs_time_iso(lo->time, t1,
		    sizeof(t1)), hi->kind, hi->path, manrs_time_iso(hi->time,
		    t2, sizeof(t2)));
	}
	if (skew > 0 && lo != NULL)
		outside_period(in, skew);
	n = manrs_audit_gaps(in->audit, &g);
	for (i = 0; i < n; i++) {
		days(g[i].to - g[i].from, d1, sizeof(d1));
		manrs_provenance_warn(&in->prov, "the BGP data jumps %s, from "
		    "%s (%s) to %s (%s): incidents open before the gap were "
		    "closed at its start, none is weighed across it", d1,
		    manrs_time_iso(g[i].from, t1, sizeof(t1)),
		    g[i].before != NULL ? g[i].before : "-",
		    manrs_time_iso(g[i].to, t2, sizeof(t2)),
		    g[i].after != NULL ? g[i].after : "-");
	}
	for (i = 0; i < in->prov.n; i++) {
		const struct manrs_provenance *p = &in->prov.v[i];

		if (p->has_expiry && in->v.now == 0 && p->time > 0)
			manrs_provenance_warn(&in->prov, "%s: no --now given: "
			    "ROAs and ASPAs judged at the snapshot's build "
			    "time %s", p->path, manrs_time_iso(p->time, t1,
			    sizeof(t1)));
	}
}

/* Text lines and JSON members of the inputs and warnings, once. */
static int
summarise(struct audit_inputs *in, const char *cmd)
{
	struct manrs_buf b;
	size_t i;

	mrt_inputs(in);
	skew_warnings(in);
	/* Where each input came from, when manrs sync fetched it. */
	if (in->data_dir != NULL)
		(void)sync_provenance_annotate(in->data_dir, &in->prov);
	if ((in->lines = calloc(in->prov.n + 1, sizeof(*in->lines))) == NULL)
		return -1;
	manrs_buf_init(&b, 0);
	for (i = 0; i < in->prov.n; i++) {
		manrs_buf_reset(&b);
		manrs_provenance_print(&in->prov.v[i], &b);
		if (b.len > 0 && b.p[b.len - 1] == '\n')
			b.len--;
		if (manrs_buf_put_u8(&b, 0) != 0 ||
		    (in->lines[i] = strdup((char *)b.p)) == NULL)
			goto fail;
		in->nlines++;
	}
	manrs_buf_reset(&b);
	if (manrs_provenance_list_print_json(&in->prov, &b) != 0 ||
	    manrs_buf_put_u8(&b, 0) != 0 ||
	    (in->json = strdup((char *)b.p)) == NULL)
		goto fail;
	manrs_buf_clear(&b);
	for (i = 0; i < in->prov.nwarnings; i++)
		cli_warnx("%s: %s", cmd, in->prov.warnings[i]);
	in->summary.inputs = (const char *const *)in->lines;
	in->summary.ninputs = in->nlines;
	in->summary.warnings = (const char *const *)in->prov.warnings;
	in->summary.nwarnings = in->prov.nwarnings;
	in->summary.json = in->json;
	return 0;
fail:
	manrs_buf_clear(&b);
	return -1;
}

/* One partial of observe --merge, read whole and merged (checked). */
static int
merge_part(struct audit_inputs *in, const char *cmd, const char *path,
    struct manrs_diag_sink *sink)
{
	struct manrs_buf b;
	uint8_t chunk[65536];
	size_t n;
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "rb")) == NULL) {
		cli_warnx("%s: %s: %s", cmd, path, strerror(errno));
		return -1;
	}
	manrs_buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (manrs_buf_put(&b, chunk, n) != 0) {
			cli_warnx("%s: %s: out of memory", cmd, path);
			fclose(fp);
			manrs_buf_clear(&b);
			return -1;
		}
	if (ferror(fp)) {
		cli_warnx("%s: %s: %s", cmd, path, strerror(errno));
		fclose(fp);
		manrs_buf_clear(&b);
		return -1;
	}
	fclose(fp);
	rc = manrs_audit_partial_merge(in->audit, b.p, b.len, path, sink);
	manrs_buf_clear(&b);
	if (rc != 0) {
		cli_warnx("%s: %s: cannot merge: %s", cmd, path,
		    manrs_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * --jobs N: the MRT files on N threads (manrs_audit_add_mrt_jobs), when
 * they can be read more than once and no partial is written or merged;
 * otherwise one job, said once.  -1 when streaming failed (reported).
 */
static int
stream_jobs(struct audit_inputs *in, const char *cmd,
    struct manrs_diag_sink *sink, int n)
{
	const char *paths[2 * AUDIT_FILES_MAX], *why = NULL;
	bool rib[2 * AUDIT_FILES_MAX];
	struct stat st;
	int i;

	if (in->jobs <= 1)
		return 0;
	for (i = 0; i < n; i++) {
		paths[i] = i < in->rib.n ? in->rib.v[i] :
		    in->updates.v[i - in->rib.n];
		rib[i] = i < in->rib.n;
		/* (one that cannot be opened fails the jobs as one job) */
		if (why == NULL && (strcmp(paths[i], "-") == 0 ||
		    (stat(paths[i], &st) == 0 && !S_ISREG(st.st_mode))))
			why = "an MRT input is not a regular file";
	}
	if (in->partial || in->parts.n > 0)
		why = in->partial ? "--partial" : "--merge";
	if (why != NULL) {
		cli_warnx("%s: --jobs %ld: one job (%s)", cmd, in->jobs, why);
		return 0;
	}
	if (in->progress)
		fprintf(stderr, "\r\033[Kmanrs: reading MRT (%d files, %ld "
		    "jobs)", n, in->jobs);
	in->streamed = true;
	if (manrs_audit_add_mrt_jobs(in->audit, paths, rib, (size_t)n,
	    (unsigned)in->jobs, sink) != 0) {
		cli_warnx("%s: the MRT files could not be read (see above)",
		    cmd);
		return -1;
	}
	return 0;
}

int
audit_inputs_load(struct audit_inputs *in, const char *cmd)
{
	struct manrs_diag_sink sink;
	int i, n, err;

	cli_diag_sink(&sink);
#ifdef M_TRIM_THRESHOLD
	/*
	 * A batch run that grows to gigabytes: glibc giving freed memory
	 * back (and faulting it in again, zeroed) as arrays grow cost 1 to
	 * 2 s of system time at full-table scale; keep it until exit.
	 */
	(void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
	(void)mallopt(M_TOP_PAD, 64 << 20);
#endif
	if (in->data_dir != NULL && scan_data_dir(in, cmd) != 0)
		return -1;
	if (in->rib.n + in->updates.n + in->parts.n == 0) {
		cli_warnx("%s: no BGP data: give --rib/--updates or --data DIR",
		    cmd);
		return -1;
	}
	manrs_audit_config_default(&in->cfg);
	if (in->config != NULL) {
		struct manrs_provenance p;

		if (manrs_audit_config_load(&in->cfg, in->config, &sink) != 0)
			return -1;
		manrs_provenance_init(&p, "config", in->config);
		(void)manrs_provenance_use_mtime(&p);
		(void)manrs_provenance_list_add(&in->prov, &p, NULL);
	}
	if (in->min_peers > 0)
		in->cfg.min_peers = (unsigned)in->min_peers;
	if (in->max_skew >= 0)
		in->cfg.max_skew = in->max_skew;
	if (load_refdata(in, cmd, &sink) != 0) {
		cli_warnx("%s: cannot load the reference data", cmd);
		return -1;
	}
	if ((in->audit = manrs_audit_new(&in->cfg, &err)) == NULL)
		return -1;
	if (in->partial)
		manrs_audit_set_partial(in->audit);
	manrs_audit_set_vrps(in->audit, in->vrp_set);
	manrs_audit_set_irr(in->audit, in->irrdb);
	manrs_audit_set_asgraph(in->audit, in->graph);
	manrs_audit_set_peeringdb(in->audit, in->pdb);
	manrs_audit_set_spoofer(in->audit, in->spoof);
	manrs_audit_set_delegated(in->audit, in->deleg);
	manrs_audit_set_delegated_time(in->audit, in->deleg_time);
	for (i = 0; i < in->delegated.n; i++) {
		struct manrs_input *fin;

		if ((fin = manrs_input_open(in->delegated.v[i], &err)) ==
		    NULL)
			return -1;
		err = manrs_audit_read_holders(in->audit, fin);
		manrs_input_close(fin);
		if (err != 0) {
			cli_warnx("%s: %s: %s", cmd, in->delegated.v[i],
			    manrs_strerror(err));
			return -1;
		}
	}
	n = in->rib.n + in->updates.n;
	if (n > 0 && stream_jobs(in, cmd, &sink, n) != 0)
		return -1;
	for (i = 0; i < n && !in->streamed; i++) {
		const char *f = i < in->rib.n ? in->rib.v[i] :
		    in->updates.v[i - in->rib.n];

		progress(in, "reading MRT", i + 1, n);
		if (manrs_audit_add_mrt(in->audit, f, &sink) != 0) {
			cli_warnx("%s: %s: cannot read", cmd, f);
			return -1;
		}
		if (i < in->rib.n)
			manrs_audit_mark_rib(in->audit);
	}
	for (i = 0; i < in->parts.n; i++)
		if (merge_part(in, cmd, in->parts.v[i], &sink) != 0)
			return -1;
	if (in->progress)
		fputs("\r\033[K", stderr);
	if (in->partial)
		return 0;	/* the caller writes the state */
	if (manrs_audit_finish(in->audit) != 0)
		return -1;
	return summarise(in, cmd);
}

void
audit_inputs_clear(struct audit_inputs *in)
{
	int i;

	manrs_audit_free(in->audit);
	if (in->snap == NULL || in->vrp_set != manrs_db_vrps(in->snap))
		manrs_vrp_set_free(in->vrp_set);
	if (in->snap == NULL || in->irrdb != manrs_db_irrdb(in->snap))
		manrs_irrdb_free(in->irrdb);
	manrs_db_close(in->snap);
	manrs_asgraph_free(in->graph);
	manrs_peeringdb_free(in->pdb);
	manrs_spoofer_free(in->spoof);
	manrs_bogon_delegated_free(in->deleg);
	for (i = 0; i < in->nowned; i++)
		free(in->owned[i]);
	for (i = 0; i < (int)in->nlines; i++)
		free(in->lines[i]);
	free(in->lines);
	free(in->json);
	manrs_provenance_list_clear(&in->prov);
}

int
audit_inputs_text(const struct audit_inputs *in, struct manrs_buf *out)
{
	return manrs_audit_inputs_text(&in->summary, out);
}
