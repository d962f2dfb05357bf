/*
 * cmd_check_config.c - manrs check-config: read router configurations
 * (FRR, BIRD, OpenBGPD), set each session's role (--role, else CAIDA
 * relationships, else unknown, said out loud) and report what the MANRS
 * actions, BCP 194 and the NLNOG BGP Filter Guide ask for that the
 * config does not do (docs/check-config.md).  Exit 5 on findings
 * (warnings or errors), 0 when clean, 1 on unreadable input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/routercfg.h>

#include "check_config.h"
#include "cli.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs check-config [--dialect frr|bird|openbgpd]\n"
	    "           [--role NEIGHBOR=customer|peer|provider]... "
	    "[--asrel FILE]\n"
	    "           [--data DIR] [--json] FILE...\n"
	    "Is this router configured the MANRS way?  Per BGP session and\n"
	    "customer-facing interface: customer-import-filter, "
	    "export-filter,\nbogon-prefixes, bogon-asns, default-route, "
	    "small-prefixes,\nlong-as-path, transit-free, max-prefix, "
	    "rpki-invalid, aspa, urpf,\ningress-acl (docs/check-config.md).\n"
	    "  --dialect D    frr, bird or openbgpd (default: guessed, and "
	    "said why;\n                 junos, iosxr, ios and eos are not "
	    "parsed)\n"
	    "  --role N=R     role of a neighbor (address, BIRD protocol "
	    "name, or\n                 ASnnn for every session to that "
	    "AS)\n"
	    "  --asrel FILE   CAIDA as-rel file for the roles not given\n"
	    "  --data DIR     as --asrel DIR/caida/*as-rel*.txt* (manrs "
	    "sync)\n"
	    "  --json         findings as JSON\n"
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
				manrs_buf_printf(b, " neighbor %s", x->neighbor);
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
check_config_json(const struct manrs_rc_findings *f,
    const struct manrs_buf *sessions, struct manrs_buf *b)
{
	manrs_buf_puts(b, "{\"sessions\": [");
	manrs_buf_put(b, sessions->p, sessions->len);
	manrs_buf_puts(b, "\n  ],\n  \"findings\": [");
	for (size_t i = 0; i < f->n; i++)
		print_json_finding(b, &f->v[i], i == 0);
	manrs_buf_printf(b, "\n  ],\n  \"serious\": %zu}",
	    manrs_rc_findings_serious(f));
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
			    "%s; give --dialect frr|bird|openbgpd", path, why);
			free(text);
			return EXIT_FAIL;
		}
		fprintf(stderr, "manrs: check-config: %s: dialect %s, from %s\n",
		    path, manrs_rc_dialect_name(d), why);
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
	manrs_rc_free(rc);
	return r != 0 ? EXIT_FAIL : 0;
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
		if (v == NULL) {
			cli_warnx("check-config: %s needs an argument", a);
			return EXIT_USAGE;
		}
		i++;
		if (strcmp(a, "--dialect") == 0) {
			if (manrs_rc_dialect_parse(v, &c->dialect) != 0) {
				cli_warnx("check-config: --dialect %s: not a "
				    "parsed dialect (frr, openbgpd)", v);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--role") == 0) {
			const char *eqs = strchr(v, '=');
			struct check_config_role *r = &c->roles[c->nroles];

			if (eqs == NULL || eqs == v ||
			    c->nroles >= CHECK_CONFIG_ROLES_MAX ||
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
		else if (strcmp(a, "--data") == 0) {
			static char path[4096];

			if (find_asrel(v, path, sizeof(path)) != 0) {
				cli_warnx("check-config: --data %s: no CAIDA "
				    "as-rel file (manrs sync --only caida)", v);
				return EXIT_FAIL;
			}
			c->asrel = path;
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
	struct manrs_rc_findings f;
	struct manrs_buf sessions;
	struct manrs_diag_sink sink;
	int first, r, rv = EXIT_OK;

	memset(&c, 0, sizeof(c));
	r = parse_args(&c, argc, argv, &first);
	if (r >= 0)
		return r == EXIT_OK + 100 ? EXIT_OK : r;
	if (c.asrel != NULL) {
		cli_diag_sink(&sink);
		c.own_graph = manrs_asgraph_new();
		c.graph = c.own_graph;
		if (c.own_graph == NULL || manrs_asgraph_load(c.own_graph,
		    c.asrel, &sink) != 0 ||
		    manrs_asgraph_finish(c.own_graph) != 0) {
			cli_warnx("check-config: %s: cannot read the AS "
			    "relationships", c.asrel);
			manrs_asgraph_free(c.own_graph);
			return EXIT_FAIL;
		}
	}
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
			check_config_json(&f, &sessions, &b);
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
	return rv;
}
