/*
 * cmd_check_config.c - manrs check-config: read router configurations
 * (FRR, BIRD, OpenBGPD, Junos), set each session's role (--role, else CAIDA
 * relationships, else unknown, said out loud) and report what the MANRS
 * actions, BCP 194 and the NLNOG BGP Filter Guide ask for that the
 * config does not do (docs/check-config.md).  Exit 5 on findings
 * (warnings or errors), 0 when clean, 1 on unreadable input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <time.h>

#include <manrs/filter.h>
#include <manrs/provenance.h>
#include <manrs/routercfg.h>

#include "check_config.h"
#include "cli.h"
#include "irr_load.h"

/* Prefix ranges of one IRR expansion (both families), at most. */
#define CC_IRR_RANGES_MAX	(1u << 20)

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs check-config\n"
	    "           [--dialect frr|bird|openbgpd|junos|iosxr|ios|eos]\n"
	    "           [--role NEIGHBOR=customer|peer|provider]... "
	    "[--asrel FILE]\n"
	    "           [--data DIR] [--json] FILE...\n"
	    "Is this router configured the MANRS way?  Per BGP session and\n"
	    "customer-facing interface: customer-import-filter, "
	    "export-filter,\nbogon-prefixes, bogon-asns, default-route, "
	    "small-prefixes,\nlong-as-path, transit-free, max-prefix, "
	    "rpki-invalid, aspa, urpf,\ningress-acl (docs/check-config.md).\n"
	    "  --dialect D    frr, bird, openbgpd, junos, iosxr (Cisco IOS-XR),"
	    "\n                 ios (Cisco IOS / IOS-XE) or eos (Arista)\n"
	    "                 (default: guessed, and said why)\n"
	    "  --role N=R     role of a neighbor (address, BIRD protocol "
	    "name, or\n                 ASnnn for every session to that "
	    "AS)\n"
	    "  --asrel FILE   CAIDA as-rel file for the roles not given\n"
	    "  --data DIR     as --asrel DIR/caida/*as-rel*.txt* and --source "
	    "for each\n                 DIR/irr/NAME/ (manrs sync)\n"
	    "  --source NAME=FILE[,FILE]  IRR dumps: compare each customer's "
	    "inbound\n                 filter with manrs filter for its AS "
	    "(or --as-set)\n"
	    "  --as-set N=OBJ the AS-SET (or ASn) to expand for customer N\n"
	    "  --json         findings as JSON (with \"inputs\": what was "
	    "read)\n"
	    "  --inputs       (or --stats) each input (as-rel, IRR file) as "
	    "one line\n                 on stderr: records, skipped, data "
	    "time and its source\n"
	    "exit: 0 clean, 5 findings, 1 unreadable input, 2 usage\n");
}

static int
read_file(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t cap = 65536, n = 0;
	char *buf;

	if (f == NULL)
		return -1;
	buf = malloc(cap);
	while (buf != NULL) {
		size_t k = fread(buf + n, 1, cap - n, f);

		n += k;
		if (n > MANRS_RC_FILE_MAX) {
			errno = EFBIG;
			free(buf);
			buf = NULL;
			break;
		}
		if (k == 0)
			break;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (nb == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf != NULL && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	if (buf == NULL)
		return -1;
	*out = buf;
	*len = n;
	return 0;
}

static int
find_asrel(const char *dir, char *out, size_t size)
{
	static const char *const names[] = { "caida/as-rel.txt",
		"caida/as-rel2.txt", "caida/as-rel.txt.bz2",
		"caida/as-rel2.txt.bz2", "as-rel.txt", NULL };

	for (size_t i = 0; names[i] != NULL; i++) {
		FILE *f;

		snprintf(out, size, "%s/%s", dir, names[i]);
		if ((f = fopen(out, "r")) != NULL) {
			fclose(f);
			return 0;
		}
	}
	return -1;
}

static void
print_json_finding(struct manrs_buf *b, const struct manrs_rc_finding *f,
    bool first)
{
	manrs_buf_printf(b, "%s\n    {\"check\": ", first ? "" : ",");
	manrs_buf_put_json_str(b, f->check, strlen(f->check));
	manrs_buf_printf(b, ", \"action\": %d, \"severity\": \"%s\", "
	    "\"file\": ", f->action, manrs_rc_sev_name(f->severity));
	manrs_buf_put_json_str(b, f->file, strlen(f->file));
	manrs_buf_printf(b, ", \"line\": %u", f->line);
	if (f->neighbor != NULL) {
		manrs_buf_puts(b, ", \"neighbor\": ");
		manrs_buf_put_json_str(b, f->neighbor, strlen(f->neighbor));
	}
	if (f->interface != NULL) {
		manrs_buf_puts(b, ", \"interface\": ");
		manrs_buf_put_json_str(b, f->interface, strlen(f->interface));
	}
	manrs_buf_puts(b, ", \"text\": ");
	manrs_buf_put_json_str(b, f->text, strlen(f->text));
	manrs_buf_puts(b, ", \"fix\": ");
	manrs_buf_put_json_str(b, f->fix, strlen(f->fix));
	manrs_buf_puts(b, "}");
}

static const char *const action_names[] = { "", "Action 1: Filtering",
	"Action 2: Anti-spoofing" };

void
check_config_text(const struct manrs_rc_findings *f, struct manrs_buf *b)
{
	for (int a = 1; a <= 2; a++) {
		bool head = false;

		for (size_t i = 0; i < f->n; i++) {
			const struct manrs_rc_finding *x = &f->v[i];
			const char *p, *nl;

			if (x->action != a)
				continue;
			if (!head)
				manrs_buf_printf(b, "\n%s\n", action_names[a]);
			head = true;
			manrs_buf_printf(b, "  %s %s: %s:%u",
			    manrs_rc_sev_name(x->severity), x->check, x->file,
			    x->line);
			if (x->neighbor != NULL)
				manrs_buf_printf(b, " neighbor %s",
				    x->neighbor);
			if (x->interface != NULL)
				manrs_buf_printf(b, " interface %s",
				    x->interface);
			manrs_buf_printf(b, ": %s\n", x->text);
			if (x->fix[0] == '\0')
				continue;
			manrs_buf_puts(b, "    fix:\n");
			for (p = x->fix; *p != '\0'; p = *nl ? nl + 1 : nl) {
				nl = strchr(p, '\n');
				if (nl == NULL)
					nl = p + strlen(p);
				manrs_buf_printf(b, "      %.*s\n",
				    (int)(nl - p), p);
			}
		}
	}
	manrs_buf_printf(b, "\n%zu finding(s), %zu warning(s) or error(s)\n",
	    f->n, manrs_rc_findings_serious(f));
}

void
check_config_json_inputs(const struct manrs_rc_findings *f,
    const struct manrs_buf *sessions,
    const struct manrs_provenance_list *prov, struct manrs_buf *b)
{
	manrs_buf_puts(b, "{\"sessions\": [");
	manrs_buf_put(b, sessions->p, sessions->len);
	manrs_buf_puts(b, "\n  ],\n  \"findings\": [");
	for (size_t i = 0; i < f->n; i++)
		print_json_finding(b, &f->v[i], i == 0);
	manrs_buf_printf(b, "\n  ],\n  \"serious\": %zu",
	    manrs_rc_findings_serious(f));
	if (prov != NULL) {
		manrs_buf_puts(b, ",\n  ");
		manrs_provenance_list_print_json(prov, b);
	}
	manrs_buf_puts(b, "}");
}

void
check_config_json(const struct manrs_rc_findings *f,
    const struct manrs_buf *sessions, struct manrs_buf *b)
{
	check_config_json_inputs(f, sessions, NULL, b);
}

/* The ranges "manrs filter -F '%n/%l %a %A'" gives for object in af. */
static int
irr_ranges(const struct manrs_irrdb *db, const char *object, uint8_t af,
    struct manrs_prefix_range **v, size_t *n, size_t *cap)
{
	struct manrs_diag_sink quiet = { 0 };
	struct manrs_filter_data data = { db, NULL, NULL };
	struct manrs_filter_result res;
	struct manrs_filter_opts o;
	struct manrs_filter *job;
	struct manrs_view text, line, tok;
	uint32_t lo, hi;
	int err;

	manrs_filter_opts_init(&o);
	o.af = af;
	o.render.vendor = MANRS_RENDER_FORMAT;
	o.render.format = "%n/%l %a %A\\n";
	o.allow_empty = true;
	o.sink = &quiet;
	if ((job = manrs_filter_new(&o, &err)) == NULL)
		return err;
	if ((err = manrs_filter_add_object(job, object, false)) != 0 ||
	    (err = manrs_filter_run(job, &data, &res)) != 0) {
		manrs_filter_free(job);
		return err;
	}
	text = manrs_view_make(res.text != NULL ? res.text : "", res.len);
	while (err == 0 && manrs_view_field(&text, "\n", true, &line)) {
		struct manrs_prefix_range r;

		if (!manrs_view_token(&line, &tok) || manrs_prefix_parse(tok,
		    0, &r.prefix) != 0 || !manrs_view_token(&line, &tok) ||
		    manrs_view_u32(tok, 128, &lo) != 0 ||
		    !manrs_view_token(&line, &tok) ||
		    manrs_view_u32(tok, 128, &hi) != 0)
			continue;
		r.min = (uint8_t)lo;
		r.max = (uint8_t)hi;
		if (*n >= CC_IRR_RANGES_MAX)
			err = MANRS_E_LIMIT;
		else if (manrs_grow((void **)v, cap, *n, sizeof(**v)) != 0)
			err = MANRS_E_NOMEM;
		else
			(*v)[(*n)++] = r;
	}
	manrs_filter_result_clear(&res);
	manrs_filter_free(job);
	return err;
}

/* What to expand for customer session s: --as-set, else its AS. */
static const char *
irr_object(const struct check_config *c, const struct manrs_rc_session *s,
    char *buf, size_t size)
{
	char as[24];

	snprintf(as, sizeof(as), "AS%u", s->remote_as);
	for (size_t i = 0; i < c->nassets; i++)
		if (strcmp(c->assets[i].who, s->neighbor) == 0 ||
		    strcmp(c->assets[i].who, s->address) == 0 ||
		    strcmp(c->assets[i].who, as) == 0)
			return c->assets[i].object;
	snprintf(buf, size, "%s", as);
	return buf;
}

/* Compare every customer session's filter with the IRR. */
static int
irr_compare(const struct check_config *c, const struct manrs_rc *rc,
    struct manrs_rc_findings *out)
{
	struct manrs_prefix_range *v = NULL;
	size_t n, cap = 0;
	char buf[32];
	int r = 0;

	for (size_t i = 0; i < manrs_rc_session_count(rc) && r == 0; i++) {
		const struct manrs_rc_session *s = manrs_rc_session(rc, i);
		const char *obj;

		if (s->role != MANRS_RC_ROLE_CUSTOMER)
			continue;
		obj = irr_object(c, s, buf, sizeof(buf));
		n = 0;
		if ((r = irr_ranges(c->irr, obj, MANRS_AF_INET, &v, &n,
		    &cap)) != 0 || (r = irr_ranges(c->irr, obj,
		    MANRS_AF_INET6, &v, &n, &cap)) != 0) {
			cli_warnx("check-config: %s: IRR expansion of %s: %s",
			    s->neighbor, obj, manrs_strerror(r));
			break;
		}
		r = manrs_rc_compare_irr(rc, i, obj, v, n, c->irr_age, out);
	}
	free(v);
	return r;
}

int
check_config_file(struct check_config *c, const char *path,
    struct manrs_rc_findings *out, struct manrs_buf *sessions)
{
	enum manrs_rc_dialect d = c->dialect;
	struct manrs_diag_sink sink;
	struct manrs_rc *rc;
	const char *why = "--dialect";
	char *text = NULL;
	size_t len = 0;
	int r;

	if (read_file(path, &text, &len) != 0) {
		cli_warnx("check-config: %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	if (d == MANRS_RC_UNKNOWN) {
		d = manrs_rc_guess(text, len, &why);
		if (d == MANRS_RC_UNKNOWN) {
			cli_warnx("check-config: %s: dialect not recognised: "
			    "%s; give --dialect "
			    "frr|bird|openbgpd|junos|iosxr|ios|eos", path, why);
			free(text);
			return EXIT_FAIL;
		}
		fprintf(stderr, "manrs: check-config: %s: dialect %s, "
		    "from %s\n", path, manrs_rc_dialect_name(d), why);
	}
	rc = manrs_rc_new();
	if (rc == NULL) {
		free(text);
		return EXIT_FAIL;
	}
	cli_diag_sink(&sink);
	r = manrs_rc_parse(rc, d, path, text, len, &sink);
	free(text);
	if (r != 0 && r != MANRS_E_SYNTAX) {
		cli_warnx("check-config: %s: %s", path, manrs_strerror(r));
		manrs_rc_free(rc);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < c->nroles; i++)
		if (manrs_rc_set_role(rc, c->roles[i].who, c->roles[i].role))
			c->roles[i].used = true;
	manrs_rc_roles_from_graph(rc, c->graph);
	for (size_t i = 0; i < manrs_rc_session_count(rc); i++) {
		const struct manrs_rc_session *s = manrs_rc_session(rc, i);

		if (c->json) {
			manrs_buf_printf(sessions, "%s\n    {\"file\": ",
			    sessions->len ? "," : "");
			manrs_buf_put_json_str(sessions, path, strlen(path));
			manrs_buf_printf(sessions, ", \"line\": %u, "
			    "\"neighbor\": ", s->line);
			manrs_buf_put_json_str(sessions, s->neighbor,
			    strlen(s->neighbor));
			manrs_buf_printf(sessions, ", \"remote_as\": %u, "
			    "\"role\": \"%s\", \"role_source\": \"%s\", "
			    "\"max_prefix\": %u}", s->remote_as,
			    manrs_rc_role_name(s->role), s->role_source,
			    s->max_prefix);
		} else
			manrs_buf_printf(sessions, "%s:%u: neighbor %s AS%u: "
			    "%s (%s)\n", path, s->line, s->neighbor,
			    s->remote_as, manrs_rc_role_name(s->role),
			    s->role_source);
	}
	r = manrs_rc_check(rc, out);
	if (r == 0 && c->irr != NULL)
		r = irr_compare(c, rc, out);
	manrs_rc_free(rc);
	return r != 0 ? EXIT_FAIL : 0;
}

static struct irr_sources cc_sources;
static char cc_data_irr[CHECK_CONFIG_ROLES_MAX][4096];

/* DIR/irr/NAME/ folders as sources NAME, their files in name order. */
static int
data_irr(const char *dir)
{
	struct dirent **names, **files;
	char sub[4096];
	int nn, nf, used = 0, rv = 0;

	snprintf(sub, sizeof(sub), "%s/irr", dir);
	if ((nn = scandir(sub, &names, NULL, alphasort)) < 0)
		return 0;
	for (int i = 0; i < nn; i++) {
		char *p = cc_data_irr[used];
		size_t off;

		if (names[i]->d_name[0] == '.' ||
		    used >= CHECK_CONFIG_ROLES_MAX || rv != 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/irr/%s", dir, names[i]->d_name);
		if ((nf = scandir(sub, &files, NULL, alphasort)) < 0)
			continue;
		off = (size_t)snprintf(p, sizeof(cc_data_irr[0]), "%s=",
		    names[i]->d_name);
		for (int j = 0; j < nf; j++) {
			if (files[j]->d_name[0] != '.' &&
			    off < sizeof(cc_data_irr[0]))
				off += (size_t)snprintf(p + off,
				    sizeof(cc_data_irr[0]) - off, "%s%s/%s",
				    p[off - 1] == '=' ? "" : ",", sub,
				    files[j]->d_name);
			free(files[j]);
		}
		free(files);
		if (p[off - 1] != '=' && off < sizeof(cc_data_irr[0])) {
			rv = irr_sources_add(&cc_sources, p, "check-config");
			used++;
		}
	}
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	return rv;
}

/*
 * Load the IRR sources, and say how old the data is: the newest data
 * time of its files (RPSL last-modified/changed, else mtime).
 */
static struct manrs_irrdb *
load_irr(struct check_config *c)
{
	struct manrs_diag_sink sink;
	struct manrs_irrdb *db;
	int64_t newest = 0;
	char when[64];
	int err;

	cli_diag_sink(&sink);
	if ((db = manrs_irrdb_new(&err)) == NULL)
		return NULL;
	for (int i = 0; i < cc_sources.n; i++) {
		int src = manrs_irrdb_source_add(db, cc_sources.src[i].name);
		char *files = strdup(cc_sources.src[i].files), *rest = files;
		char *f;

		if (src < 0 || files == NULL) {
			free(files);
			goto fail;
		}
		while ((f = strsep(&rest, ",")) != NULL) {
			struct manrs_provenance p;

			if (*f == '\0')
				continue;
			if (manrs_irrdb_load(db, src, f, &sink) != 0) {
				cli_warnx("check-config: %s: cannot read", f);
				free(files);
				goto fail;
			}
			manrs_provenance_init(&p, "irr", f);
			manrs_irrdb_provenance(db, &p);
			if (p.time > newest)
				newest = p.time;
			if (manrs_provenance_list_add(&c->prov, &p,
			    NULL) != 0) {
				free(files);
				goto fail;
			}
		}
		free(files);
	}
	if (manrs_irrdb_finish(db) != 0)
		goto fail;
	if (newest > 0) {
		int64_t age = (int64_t)time(NULL) - newest;

		manrs_time_iso(newest, when, sizeof(when));
		snprintf(c->irr_age, sizeof(c->irr_age), "IRR data of %s "
		    "(%lld day(s) old)", when, (long long)(age > 0 ?
		    age / 86400 : 0));
	} else
		snprintf(c->irr_age, sizeof(c->irr_age), "IRR data of "
		    "unknown time");
	return db;
fail:
	manrs_irrdb_free(db);
	return NULL;
}

static int
parse_args(struct check_config *c, int argc, char **argv, int *first)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (cli_is_help(a)) {
			usage(stdout);
			return EXIT_OK + 100;
		}
		if (strcmp(a, "--json") == 0) {
			c->json = true;
			continue;
		}
		if (strcmp(a, "--inputs") == 0 || strcmp(a, "--stats") == 0) {
			c->inputs = true;
			continue;
		}
		if (v == NULL) {
			cli_warnx("check-config: %s needs an argument", a);
			return EXIT_USAGE;
		}
		i++;
		if (strcmp(a, "--dialect") == 0) {
			if (manrs_rc_dialect_parse(v, &c->dialect) != 0) {
				cli_warnx("check-config: --dialect %s: not a "
				    "parsed dialect (frr, bird, openbgpd, "
				    "junos, iosxr, ios, eos)", v);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--role") == 0) {
			const char *eqs = strchr(v, '=');
			struct check_config_role *r = &c->roles[c->nroles];

			if (c->nroles >= CHECK_CONFIG_ROLES_MAX) {
				cli_warnx("check-config: more than %d --role "
				    "(use --asrel)", CHECK_CONFIG_ROLES_MAX);
				return EXIT_USAGE;
			}
			if (eqs == NULL || eqs == v ||
			    manrs_rc_role_parse(eqs + 1, &r->role) != 0) {
				cli_warnx("check-config: --role %s: want "
				    "NEIGHBOR=customer|peer|provider", v);
				return EXIT_USAGE;
			}
			argv[i][eqs - v] = '\0';
			r->who = v;
			c->nroles++;
		} else if (strcmp(a, "--asrel") == 0)
			c->asrel = v;
		else if (strcmp(a, "--source") == 0) {
			if (irr_sources_add(&cc_sources, argv[i],
			    "check-config") != 0)
				return EXIT_USAGE;
		} else if (strcmp(a, "--as-set") == 0) {
			char *eqs = strchr(argv[i], '=');

			if (c->nassets >= CHECK_CONFIG_ROLES_MAX) {
				cli_warnx("check-config: more than %d "
				    "--as-set", CHECK_CONFIG_ROLES_MAX);
				return EXIT_USAGE;
			}
			if (eqs == NULL || eqs == argv[i] || eqs[1] == '\0') {
				cli_warnx("check-config: --as-set %s: want "
				    "NEIGHBOR=AS-SET", v);
				return EXIT_USAGE;
			}
			*eqs = '\0';
			c->assets[c->nassets].who = argv[i];
			c->assets[c->nassets++].object = eqs + 1;
		}
		else if (strcmp(a, "--data") == 0) {
			static char path[4096];

			int had = cc_sources.n;

			if (data_irr(v) != 0)
				return EXIT_USAGE;
			if (find_asrel(v, path, sizeof(path)) == 0)
				c->asrel = path;
			else if (cc_sources.n == had) {
				cli_warnx("check-config: --data %s: neither a "
				    "CAIDA as-rel file nor IRR dumps (manrs "
				    "sync --only caida,...)", v);
				return EXIT_FAIL;
			}
		} else {
			cli_warnx("check-config: unknown option %s", a);
			return EXIT_USAGE;
		}
	}
	*first = i;
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

int
cmd_check_config(int argc, char **argv)
{
	static struct check_config c;
	struct manrs_provenance p;
	struct manrs_rc_findings f;
	struct manrs_buf sessions;
	struct manrs_diag_sink sink;
	int first, r, rv = EXIT_OK;

	memset(&c, 0, sizeof(c));
	memset(&cc_sources, 0, sizeof(cc_sources));
	r = parse_args(&c, argc, argv, &first);
	if (r >= 0)
		return r == EXIT_OK + 100 ? EXIT_OK : r;
	manrs_provenance_list_init(&c.prov);
	if (c.asrel != NULL) {
		cli_diag_sink(&sink);
		c.own_graph = manrs_asgraph_new(NULL);
		c.graph = c.own_graph;
		if (c.own_graph == NULL || manrs_asgraph_load(c.own_graph,
		    c.asrel, &sink) != 0 ||
		    manrs_asgraph_finish(c.own_graph) != 0) {
			cli_warnx("check-config: %s: cannot read the AS "
			    "relationships", c.asrel);
			manrs_asgraph_free(c.own_graph);
			manrs_provenance_list_clear(&c.prov);
			return EXIT_FAIL;
		}
		manrs_provenance_init(&p, "asrel", c.asrel);
		manrs_asgraph_provenance(c.own_graph, &p);
		manrs_provenance_list_add(&c.prov, &p, NULL);
	}
	if (cc_sources.n > 0 && (c.irr = load_irr(&c)) == NULL) {
		cli_warnx("check-config: the IRR sources could not be loaded");
		manrs_asgraph_free(c.own_graph);
		manrs_provenance_list_clear(&c.prov);
		return EXIT_FAIL;
	}
	if (c.inputs)
		cli_inputs_print(&c.prov);
	manrs_rc_findings_init(&f);
	manrs_buf_init(&sessions, 0);
	for (int i = first; i < argc && rv == EXIT_OK; i++)
		rv = check_config_file(&c, argv[i], &f, &sessions);
	for (size_t i = 0; i < c.nroles && rv == EXIT_OK; i++)
		if (!c.roles[i].used)
			cli_warnx("check-config: --role %s: no such session "
			    "(ignored)", c.roles[i].who);
	if (rv == EXIT_OK) {
		struct manrs_buf b;

		manrs_buf_init(&b, 0);
		if (c.json) {
			check_config_json_inputs(&f, &sessions, &c.prov, &b);
			manrs_buf_puts(&b, "\n");
		} else {
			manrs_buf_put(&b, sessions.p, sessions.len);
			check_config_text(&f, &b);
		}
		if (b.err == 0)
			fwrite(b.p, 1, b.len, stdout);
		else
			rv = EXIT_FAIL;
		manrs_buf_clear(&b);
	}
	if (rv == EXIT_OK && manrs_rc_findings_serious(&f) > 0)
		rv = EXIT_FINDINGS;
	manrs_rc_findings_clear(&f);
	manrs_buf_clear(&sessions);
	manrs_asgraph_free(c.own_graph);
	manrs_irrdb_free((struct manrs_irrdb *)(uintptr_t)c.irr);
	manrs_provenance_list_clear(&c.prov);
	return rv;
}
