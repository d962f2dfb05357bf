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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit_load.h"
#include "cli.h"
#include "rtrd_load.h"

enum {
	OPT_RIB = 256, OPT_UPDATES, OPT_VRPS, OPT_SOURCE, OPT_ASREL,
	OPT_PEERINGDB, OPT_SPOOFER, OPT_DATA, OPT_CONFIG, OPT_MIN_PEERS,
	OPT_NO_PROGRESS, OPT_RPKI_NOW, OPT_DELEGATED,
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
    "  --spoofer FILE        spoofing results CSV (time,asn,prefix,"
    "spoofed)\n"
    "  --delegated FILE      RIR delegated stats: unallocated space "
    "(reported, not scored)\n"
    "  --data DIR            all of the above from DIR (see manrs(1))\n"
    "  --config FILE         thresholds and weights (key = value)\n"
    "  --min-peers N         peers that must see a route (default 1)\n"
    "  --rpki-now TIME       judge ROA/ASPA expiry at TIME (unix or ISO "
    "8601),\n"
    "                        e.g. the time of an archived VRP snapshot\n";

void
audit_inputs_init(struct audit_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->min_peers = -1;
	in->progress = isatty(STDERR_FILENO);
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
	case OPT_CONFIG:	in->config = arg; return 1;
	case OPT_NO_PROGRESS:	in->progress = false; return 1;
	case OPT_RPKI_NOW:
		if (manrs_time_parse(manrs_view_cstr(arg), &in->rpki_now) != 0
		    || in->rpki_now <= 0) {
			cli_warnx("--rpki-now wants unix seconds or ISO 8601: "
			    "%s", arg);
			return -1;
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
scan_data_dir(struct audit_inputs *in)
{
	char path[4096];
	char *conf;

	if (scan_dir(in, "rib", &in->rib) || scan_dir(in, "updates",
	    &in->updates) || scan_dir(in, "rpki", &in->vrps) ||
	    scan_dir(in, "asrel", &in->asrel) || scan_dir(in, "peeringdb",
	    &in->peeringdb) || scan_dir(in, "spoofer", &in->spoofer) ||
	    scan_dir(in, "delegated", &in->delegated) ||
	    scan_irr(in))
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

static int
load_refdata(struct audit_inputs *in, struct manrs_diag_sink *sink)
{
	int i, err;

	if (in->vrps.n > 0) {
		struct rtrd_load_opts o;

		memset(&o, 0, sizeof(o));
		o.read.now = (time_t)in->rpki_now;
		for (i = 0; i < in->vrps.n && i < RTRD_VRP_FILES_MAX; i++)
			o.files[o.nfiles++] = in->vrps.v[i];
		if ((in->vrp_set = rtrd_load(&o, sink, &err)) == NULL)
			return -1;
	}
	if (in->irr.n > 0 &&
	    (in->irrdb = irr_sources_load(&in->irr, sink, &err)) == NULL)
		return -1;
	if (in->asrel.n > 0) {
		if ((in->graph = manrs_asgraph_new()) == NULL)
			return -1;
		for (i = 0; i < in->asrel.n; i++)
			if (manrs_asgraph_load(in->graph, in->asrel.v[i],
			    sink) != 0)
				return -1;
		if (manrs_asgraph_finish(in->graph) != 0)
			return -1;
	}
	if (in->peeringdb.n > 0) {
		if ((in->pdb = manrs_peeringdb_new()) == NULL)
			return -1;
		for (i = 0; i < in->peeringdb.n; i++)
			if (manrs_peeringdb_load(in->pdb, in->peeringdb.v[i],
			    sink) != 0)
				return -1;
	}
	if (in->delegated.n > 0) {
		if ((in->deleg = manrs_bogon_delegated_new()) == NULL)
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
			/* Bad lines were reported; the good ones are used. */
			if (err != 0 && err != MANRS_E_SYNTAX)
				return -1;
		}
	}
	if (in->spoofer.n > 0) {
		if ((in->spoof = manrs_spoofer_new()) == NULL)
			return -1;
		for (i = 0; i < in->spoofer.n; i++)
			if (manrs_spoofer_load(in->spoof, in->spoofer.v[i],
			    sink) != 0)
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
	if (in->data_dir != NULL && scan_data_dir(in) != 0)
		return -1;
	if (in->rib.n + in->updates.n == 0) {
		cli_warnx("%s: no BGP data: give --rib/--updates or --data DIR",
		    cmd);
		return -1;
	}
	manrs_audit_config_default(&in->cfg);
	if (in->config != NULL &&
	    manrs_audit_config_load(&in->cfg, in->config, &sink) != 0)
		return -1;
	if (in->min_peers > 0)
		in->cfg.min_peers = (unsigned)in->min_peers;
	if (load_refdata(in, &sink) != 0) {
		cli_warnx("%s: cannot load the reference data", cmd);
		return -1;
	}
	if ((in->audit = manrs_audit_new(&in->cfg, &err)) == NULL)
		return -1;
	manrs_audit_set_vrps(in->audit, in->vrp_set);
	manrs_audit_set_irr(in->audit, in->irrdb);
	manrs_audit_set_asgraph(in->audit, in->graph);
	manrs_audit_set_peeringdb(in->audit, in->pdb);
	manrs_audit_set_spoofer(in->audit, in->spoof);
	manrs_audit_set_delegated(in->audit, in->deleg);
	n = in->rib.n + in->updates.n;
	for (i = 0; i < n; i++) {
		const char *f = i < in->rib.n ? in->rib.v[i] :
		    in->updates.v[i - in->rib.n];

		progress(in, "reading MRT", i + 1, n);
		if (manrs_audit_add_mrt(in->audit, f, &sink) != 0) {
			cli_warnx("%s: %s: cannot read", cmd, f);
			return -1;
		}
	}
	if (in->progress)
		fputs("\r\033[K", stderr);
	if (manrs_audit_finish(in->audit) != 0)
		return -1;
	return 0;
}

void
audit_inputs_clear(struct audit_inputs *in)
{
	int i;

	manrs_audit_free(in->audit);
	manrs_vrp_set_free(in->vrp_set);
	manrs_irrdb_free(in->irrdb);
	manrs_asgraph_free(in->graph);
	manrs_peeringdb_free(in->pdb);
	manrs_spoofer_free(in->spoof);
	manrs_bogon_delegated_free(in->deleg);
	for (i = 0; i < in->nowned; i++)
		free(in->owned[i]);
}
