/*
 * cli.c - subcommand dispatch and stderr diagnostics for the manrs CLI,
 * the one --now parser and the one VRP staleness policy (docs/rpki.md):
 * a file with more than 1 % of its VRPs expired at the judging time is
 * named on stderr; a set with none in force is refused unless
 * --allow-stale.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

void
cli_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("manrs: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
print_diag(void *arg, const struct manrs_diag *d)
{
	char buf[MANRS_DIAG_MSG_MAX + 512];

	(void)arg;
	fprintf(stderr, "%s\n", manrs_diag_format(d, buf, sizeof(buf)));
}

void
cli_diag_sink(struct manrs_diag_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
	sink->fn = print_diag;
	sink->max_reports = 1000;
}

bool
cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0 ||
	    strcmp(arg, "help") == 0;
}

void
cli_list(FILE *fp, const char *prog, const struct cli_cmd *table)
{
	const struct cli_cmd *c;

	for (c = table; c->name != NULL; c++)
		fprintf(fp, "  %s %-12s %s\n", prog, c->name, c->summary);
}

int
cli_dispatch(const char *prog, const struct cli_cmd *table, int argc,
    char **argv)
{
	const struct cli_cmd *c;

	if (argc < 1) {
		fprintf(stderr, "usage: %s COMMAND [ARGS]\n", prog);
		cli_list(stderr, prog, table);
		return EXIT_USAGE;
	}
	if (cli_is_help(argv[0])) {
		if (argc > 1) {
			for (c = table; c->name != NULL; c++)
				if (strcmp(c->name, argv[1]) == 0) {
					char *hv[] = { argv[1], (char *)"--help",
					    NULL };

					return c->fn(2, hv);
				}
		}
		printf("usage: %s COMMAND [ARGS]\n", prog);
		cli_list(stdout, prog, table);
		return EXIT_OK;
	}
	for (c = table; c->name != NULL; c++)
		if (strcmp(c->name, argv[0]) == 0)
			return c->fn(argc, argv);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[0]);
	cli_list(stderr, prog, table);
	return EXIT_USAGE;
}

int
cli_parse_time(const char *flag, const char *arg, int64_t *out)
{
	int64_t t;

	if (manrs_time_parse(manrs_view_cstr(arg), &t) != 0 || t <= 0) {
		cli_warnx("--%s wants ISO 8601 UTC (2023-05-01T00:00:00Z) or "
		    "Unix seconds: %s", flag, arg);
		return -1;
	}
	*out = t;
	return 0;
}

int
cli_vrps_option(struct cli_vrps *v, const char *name, const char *arg)
{
	if (strcmp(name, "vrps") == 0 || strcmp(name, "rpki") == 0) {
		if (v->load.nfiles == RTRD_VRP_FILES_MAX) {
			cli_warnx("more than %d --%s files", RTRD_VRP_FILES_MAX,
			    name);
			return -1;
		}
		v->load.files[v->load.nfiles++] = arg;
		return 1;
	}
	if (strcmp(name, "slurm") == 0) {
		v->load.slurm = arg;
		return 1;
	}
	if (strcmp(name, "now") == 0 || strcmp(name, "vrps-now") == 0 ||
	    strcmp(name, "rpki-now") == 0)
		return cli_parse_time(name, arg, &v->now) == 0 ? 1 : -1;
	if (strcmp(name, "allow-stale") == 0) {
		v->allow_stale = true;
		return 1;
	}
	return 0;
}

static void	say(const struct cli_vrps *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* A message of the VRP policy: through v->warn (daemons) or stderr. */
static void
say(const struct cli_vrps *v, const char *fmt, ...)
{
	char msg[MANRS_PROV_WARN_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	if (v != NULL && v->warn != NULL)
		v->warn(msg);
	else
		cli_warnx("%s", msg);
}

static bool
stale_check(const struct cli_vrps *v, const struct manrs_provenance *p,
    const char *cmd, struct manrs_provenance_list *prov)
{
	char at[32], built[32], msg[MANRS_PROV_WARN_MAX];
	uint64_t total = p->in_force + p->expired;

	if (!p->has_expiry || p->expired == 0 ||
	    p->expired * 100 <= total * CLI_STALE_WARN_PCT)
		return total == 0;
	manrs_time_iso(p->judged_at, at, sizeof(at));
	manrs_time_iso(p->time, built, sizeof(built));
	if (snprintf(msg, sizeof(msg), "%s: %llu of %llu VRPs (%.1f%%) expired at "
	    "%s; snapshot built %s (%s); judge at another time with --now "
	    "%s", p->path, (unsigned long long)p->expired,
	    (unsigned long long)total, 100.0 * (double)p->expired /
	    (double)total, at, built, p->time > 0 ? (p->time_field[0] ?
	    p->time_field : manrs_prov_time_src_name(p->time_src)) :
	    "unknown", p->time > 0 ? built : "TIME") < 0)
		msg[0] = '\0';
	say(v, "%s: %s", cmd, msg);
	if (prov != NULL)
		manrs_provenance_warn(prov, "%s", msg);
	return p->in_force == 0;
}

bool
cli_vrps_stale(const struct manrs_provenance *p, const char *cmd,
    struct manrs_provenance_list *prov)
{
	return stale_check(NULL, p, cmd, prov);
}

/* One file into s; its provenance into p. */
static int
vrps_read_one(struct manrs_vrp_set *s, const char *path, int64_t now,
    bool at_buildtime, struct manrs_diag_sink *sink,
    struct manrs_provenance *p)
{
	struct manrs_vrp_read_opts o = { 0 };
	struct manrs_vrp_stats b, a;
	uint64_t errs = sink->errors + sink->warnings;
	int rc;

	b = *manrs_vrp_set_stats(s);
	o.now = (time_t)(now > 0 ? now : at_buildtime ? 1 : time(NULL));
	rc = manrs_vrp_read(s, path, &o, sink);
	a = *manrs_vrp_set_stats(s);
	manrs_provenance_init(p, "vrps", path);
	manrs_vrp_provenance(&b, &a, o.now, p);
	p->skipped = sink->errors + sink->warnings - errs;
	/* An archived snapshot is judged at its own build time. */
	p->judged_at = now > 0 || !at_buildtime ? (int64_t)o.now : p->time;
	return rc;
}

struct manrs_vrp_set *
cli_vrps_load(const struct cli_vrps *v, const char *cmd,
    struct manrs_provenance_list *prov)
{
	struct manrs_provenance p;
	struct manrs_diag_sink own, *sink;
	struct manrs_vrp_set *s;
	struct manrs_slurm *sl;
	uint64_t in_force = 0, expired = 0;
	bool stale = true;
	int i, rc = 0;

	cli_diag_sink(&own);
	sink = v->sink != NULL ? v->sink : &own;
	if ((s = manrs_vrp_set_new(NULL)) == NULL)
		return NULL;
	for (i = 0; i < v->load.nfiles && rc == 0; i++) {
		rc = vrps_read_one(s, v->load.files[i], v->now,
		    v->at_buildtime, sink, &p);
		if (rc == 0 && prov != NULL)
			manrs_provenance_list_add(prov, &p, NULL);
		if (rc == 0 && !stale_check(v, &p, cmd, prov))
			stale = false;
		in_force += p.in_force;
		expired += p.expired;
	}
	if (rc == 0 && v->load.slurm != NULL) {
		if ((sl = manrs_slurm_read(v->load.slurm, sink, &rc)) != NULL) {
			rc = manrs_slurm_apply(sl, s);
			manrs_slurm_free(sl);
			if (rc != 0)
				say(v, "%s: applying SLURM: %s",
				    v->load.slurm, manrs_strerror(rc));
		}
	}
	if (rc == 0 && (rc = manrs_vrp_set_finish(s)) != 0)
		say(v, "%s: building the VRP set: %s", cmd,
		    manrs_strerror(rc));
	if (rc == 0 && v->load.nfiles > 0 && stale && in_force == 0 &&
	    manrs_vrp_count(s, 0) == 0) {
		if (!v->allow_stale) {
			if (expired > 0)
				say(v, "%s: refusing: all %llu VRPs loaded "
				    "are expired; give --now TIME to judge at "
				    "the snapshot's build time, or --allow-stale"
				    " to go on without them", cmd,
				    (unsigned long long)expired);
			else
				say(v, "%s: refusing: no VRPs loaded; give "
				    "--allow-stale to go on without them", cmd);
			rc = MANRS_E_RANGE;
		} else if (prov != NULL) {
			manrs_provenance_warn(prov, "no VRP in force "
			    "(--allow-stale): every route is not-found");
		}
	}
	if (rc != 0) {
		manrs_vrp_set_free(s);
		return NULL;
	}
	return s;
}

void
cli_input_print(const struct manrs_provenance *p)
{
	struct manrs_buf b;

	manrs_buf_init(&b, 0);
	manrs_buf_puts(&b, "input ");
	manrs_provenance_print(p, &b);
	if (b.err == 0 && b.len > 0)
		fwrite(b.p, 1, b.len, stderr);
	manrs_buf_clear(&b);
}

void
cli_inputs_print(const struct manrs_provenance_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cli_input_print(&l->v[i]);
}
