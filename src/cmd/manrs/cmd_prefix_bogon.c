/*
 * cmd_prefix_bogon.c - "manrs prefix bogon": which prefixes, ASNs and AS
 * paths of a list are bogons, and which registry entry makes them so.
 *
 * Each input line is a prefix, an ASN or an AS path (ASNs separated by
 * spaces, AS_SETs in braces allowed).  Output is one tab-separated line
 * per finding:
 *   ITEM  VERDICT  ENTRY  NAME  REFERENCE  [path ...]
 * VERDICT is bogon, covers-bogon (the prefix is not inside a bogon but
 * covers one: one line per maximal covered entry), unallocated (from
 * --delegated), bogon-asn, unallocated-asn; with --all also ok and
 * reachable (inside a globally reachable special-purpose entry).
 * Exit: 0 nothing found, 5 something found, 1 bad input (wins), 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_prefix.h"

#define EXIT_FOUND		5	/* documented in manrs(1) */
#define BOGON_PATH_MAX		1024	/* ASNs in one AS path line */
#define BOGON_DELEGATED_MAX	16	/* --delegated files */

struct bogon_ctx {
	struct manrs_bogon_delegated	*deleg;
	bool				 all;
	bool				 json;
	bool				 found;
	struct manrs_provenance_list	 prov;	/* the --delegated files */
};

/*
 * A JSON string through the library's one escaper (RFC 8259 section 7:
 * quotes, backslash, controls; bytes that are not UTF-8 as U+FFFD).
 */
static void
json_str(const char *s, size_t n)
{
	struct manrs_buf b;

	manrs_buf_init(&b, 0);
	if (manrs_buf_put_json_str(&b, s, n) == 0)
		fwrite(b.p, 1, b.len, stdout);
	manrs_buf_clear(&b);
}

/*
 * One output line: tab-separated ITEM VERDICT [ENTRY NAME REFERENCE]
 * [path PATH], or with --json one object per line (JSON Lines) with the
 * keys item, verdict, entry, name, reference and path (absent ones left
 * out).  entry == NULL: an "ok" line.
 */
static void
emit(struct bogon_ctx *c, const char *item, const char *verdict,
    const char *entry, const char *name, const char *ref,
    const struct manrs_view *path)
{
	if (!c->json) {
		printf("%s\t%s", item, verdict);
		if (entry != NULL)
			printf("\t%s\t%s\t%s", entry, name, ref);
		if (path != NULL)
			printf("\tpath %.*s", (int)path->len, path->p);
		putchar('\n');
		return;
	}
	fputs("{\"item\":", stdout);
	json_str(item, strlen(item));
	fputs(",\"verdict\":", stdout);
	json_str(verdict, strlen(verdict));
	if (entry != NULL) {
		fputs(",\"entry\":", stdout);
		json_str(entry, strlen(entry));
		fputs(",\"name\":", stdout);
		json_str(name, strlen(name));
		fputs(",\"reference\":", stdout);
		json_str(ref, strlen(ref));
	}
	if (path != NULL) {
		fputs(",\"path\":", stdout);
		json_str(path->p, path->len);
	}
	fputs("}\n", stdout);
}

struct covered_arg {
	struct bogon_ctx	*c;
	const char		*item;
};

/*
 * Print a line of untrusted input for a diagnostic: at most 80 bytes,
 * non-printable bytes as \xNN, so hostile input cannot drive a terminal.
 */
static void
put_quoted(FILE *fp, struct manrs_view v)
{
	size_t i, n = v.len > 80 ? 80 : v.len;

	fputc('\'', fp);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v.p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			fputc(ch, fp);
		else
			fprintf(fp, "\\x%02x", ch);
	}
	fputs(n < v.len ? "'..." : "'", fp);
}

static void
bad_line(const char *file, uint64_t no, struct manrs_view text,
    const char *why, struct manrs_view tok)
{
	fprintf(stderr, "%s: line %llu: ", file, (unsigned long long)no);
	put_quoted(stderr, text);
	fputs(": not a prefix, ASN or AS path (", stderr);
	if (tok.p != NULL) {
		fputs("bad ASN ", stderr);
		put_quoted(stderr, tok);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s)\n", why);
}

/* AS_SETs: "{...}" one level deep, balanced. */
static bool
braces_ok(struct manrs_view text)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < text.len; i++) {
		if (text.p[i] == '{' && ++depth > 1)
			return false;
		if (text.p[i] == '}' && --depth < 0)
			return false;
	}
	return depth == 0;
}

static int
print_covered(const struct manrs_bogon_entry *e, void *arg)
{
	struct covered_arg *a = arg;
	char buf[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(&e->prefix, buf, sizeof(buf));
	emit(a->c, a->item, "covers-bogon", buf, e->name, e->rfc, NULL);
	return 0;
}

static void
check_prefix(struct bogon_ctx *c, const struct manrs_prefix *p)
{
	struct manrs_bogon_match m;
	char item[MANRS_PREFIX_STRLEN], ent[MANRS_PREFIX_STRLEN];
	struct covered_arg ca = { c, item };
	const char *reg;

	manrs_prefix_print(p, item, sizeof(item));
	manrs_bogon_prefix_check(p, &m);
	switch (m.kind) {
	case MANRS_BOGON_INSIDE:
		manrs_prefix_print(&m.entry->prefix, ent, sizeof(ent));
		emit(c, item, "bogon", ent, m.entry->name, m.entry->rfc, NULL);
		c->found = true;
		return;
	case MANRS_BOGON_COVERS:
		manrs_bogon_walk_covered(p, print_covered, &ca);
		c->found = true;
		return;
	case MANRS_BOGON_REACHABLE:
		if (c->all) {
			manrs_prefix_print(&m.entry->prefix, ent, sizeof(ent));
			emit(c, item, "reachable", ent, m.entry->name,
			    m.entry->rfc, NULL);
		}
		return;
	case MANRS_BOGON_NONE:
	case MANRS_BOGON_UNALLOCATED:
		break;
	}
	if (c->deleg != NULL && manrs_bogon_delegated_prefix(c->deleg, p,
	    &reg)) {
		emit(c, item, "unallocated", reg, "available or reserved",
		    "delegated stats", NULL);
		c->found = true;
	} else if (c->all)
		emit(c, item, "ok", NULL, NULL, NULL, NULL);
}

/* One ASN; path is the whole path text (NULL for a lone ASN). */
static bool
check_asn(struct bogon_ctx *c, uint32_t asn, struct manrs_view *path)
{
	const struct manrs_bogon_asn *r = manrs_bogon_asn_find(asn);
	char item[16], ent[32];
	const char *reg;

	snprintf(item, sizeof(item), "AS%u", asn);
	if (r != NULL) {
		if (r->first == r->last)
			snprintf(ent, sizeof(ent), "AS%u", r->first);
		else
			snprintf(ent, sizeof(ent), "AS%u-AS%u", r->first,
			    r->last);
		emit(c, item, "bogon-asn", ent, r->name, r->rfc, path);
	} else if (c->deleg != NULL &&
	    manrs_bogon_delegated_asn(c->deleg, asn, &reg)) {
		emit(c, item, "unallocated-asn", reg, "available or reserved",
		    "delegated stats", path);
	} else {
		if (c->all && path == NULL)
			emit(c, item, "ok", NULL, NULL, NULL, NULL);
		return false;
	}
	c->found = true;
	return true;
}

static int
check_path(struct bogon_ctx *c, const char *file, uint64_t no,
    struct manrs_view text)
{
	struct manrs_view rest = text, tok;
	uint32_t asns[BOGON_PATH_MAX];
	size_t n = 0, i;
	bool any = false;
	int rc;

	if (!braces_ok(text)) {
		bad_line(file, no, text, "unbalanced or nested AS_SET braces",
		    manrs_view_make(NULL, 0));
		return 1;
	}
	while (manrs_view_field(&rest, " \t{},", true, &tok)) {
		if (n == BOGON_PATH_MAX) {
			fprintf(stderr, "%s: line %llu: AS path longer than "
			    "%d ASNs\n", file, (unsigned long long)no,
			    BOGON_PATH_MAX);
			return 1;
		}
		if ((rc = manrs_asn_parse(tok, &asns[n++])) != 0) {
			bad_line(file, no, text, manrs_strerror(rc), tok);
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		if (check_asn(c, asns[i], &text))
			any = true;
	if (!any && c->all) {
		char *item = strndup(text.p, text.len);

		if (item == NULL) {
			cli_warnx("out of memory");
			return 1;
		}
		emit(c, item, "ok", NULL, NULL, NULL, NULL);
		free(item);
	}
	return 0;
}

static int
bogon_one(void *arg, const char *file, uint64_t no, struct manrs_view text)
{
	struct bogon_ctx *c = arg;
	struct manrs_prefix p;
	uint32_t asn;
	int rc;

	bool path = false, addr = false;
	size_t i;

	/* One pass: blanks or braces make a path; '/' or ':' a prefix. */
	for (i = 0; i < text.len; i++) {
		char ch = text.p[i];

		if (ch == ' ' || ch == '\t' || ch == '{')
			path = true;
		else if (ch == '/' || ch == ':')
			addr = true;
	}
	if (path)
		return check_path(c, file, no, text);
	if (!addr && manrs_asn_parse(text, &asn) == 0) {
		check_asn(c, asn, NULL);
		return 0;
	}
	rc = manrs_prefix_parse(text, MANRS_PREFIX_HOST, &p);
	if (rc != 0) {
		bad_line(file, no, text, manrs_strerror(rc),
		    manrs_view_make(NULL, 0));
		return 1;
	}
	check_prefix(c, &p);
	return 0;
}

static void
bogon_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs prefix bogon [-a] [-j] [--delegated FILE]... "
	    "[FILE...]\n"
	    "Report the bogons of a list: each input line is a prefix, an "
	    "ASN or an\nAS path (ASNs separated by spaces; {AS_SET} "
	    "allowed).  One tab-separated\nline per finding: ITEM VERDICT "
	    "ENTRY NAME REFERENCE [path PATH]\n"
	    "verdicts: bogon, covers-bogon, unallocated, bogon-asn, "
	    "unallocated-asn\n"
	    "  -a, --all             also print ok / reachable items\n"
	    "  -j, --json            one JSON object per line (JSON Lines): "
	    "item, verdict,\n"
	    "                        entry, name, reference, path\n"
	    "  -d, --delegated FILE  RIR delegated stats: available and "
	    "reserved space\n"
	    "                        is reported as unallocated (may be "
	    "repeated)\n"
	    "  --inputs, --stats     each --delegated file as one line on "
	    "stderr: records,\n"
	    "                        skipped, data time and its source\n"
	    "exit status: 0 no bogon found, 5 some found, 1 bad input or "
	    "I/O error\n"
	    "(takes precedence), 2 bad command line\n");
}

static int
load_delegated(struct bogon_ctx *c, const char *path)
{
	struct manrs_provenance p;
	struct manrs_diag_sink sink;
	struct manrs_input *in;
	int err, rc;

	if (c->deleg == NULL &&
	    (c->deleg = manrs_bogon_delegated_new(NULL)) == NULL) {
		cli_warnx("out of memory");
		return -1;
	}
	if ((in = manrs_input_open(path, &err)) == NULL) {
		cli_warnx("%s: %s", path, err == MANRS_E_IO ?
		    strerror(errno) : manrs_strerror(err));
		return -1;
	}
	cli_diag_sink(&sink);
	rc = manrs_bogon_delegated_read(c->deleg, in, &sink);
	if (rc != 0 && rc != MANRS_E_SYNTAX)
		cli_warnx("%s: line %llu: %s", path, (unsigned long long)
		    manrs_input_lineno(in), manrs_strerror(rc));
	manrs_input_close(in);
	if (rc == 0) {
		manrs_provenance_init(&p, "delegated", path);
		manrs_bogon_delegated_provenance(c->deleg, &p);
		if (manrs_provenance_list_add(&c->prov, &p, NULL) != 0)
			rc = MANRS_E_NOMEM;
	}
	return rc == 0 ? 0 : -1;
}

static void
bogon_ctx_clear(struct bogon_ctx *c)
{
	manrs_bogon_delegated_free(c->deleg);
	manrs_provenance_list_clear(&c->prov);
}

int
prefix_bogon(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "delegated", required_argument, NULL, 'd' },
		{ "inputs", no_argument, NULL, 'i' },
		{ "stats", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bogon_ctx c;
	bool inputs = false;
	int ch, status = 0, ndeleg = 0;

	memset(&c, 0, sizeof(c));
	manrs_provenance_list_init(&c.prov);

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "ad:hj", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			c.all = true;
			break;
		case 'j':
			c.json = true;
			break;
		case 'i':
			inputs = true;
			break;
		case 'd':
			if (++ndeleg > BOGON_DELEGATED_MAX) {
				cli_warnx("more than %d --delegated files",
				    BOGON_DELEGATED_MAX);
				bogon_ctx_clear(&c);
				return EXIT_USAGE;
			}
			if (load_delegated(&c, optarg) != 0)
				status = 1;
			break;
		case 'h':
			bogon_usage(stdout);
			bogon_ctx_clear(&c);
			return EXIT_OK;
		default:
			cli_warnx("prefix bogon: unknown option or missing "
			    "argument: %s", argv[optind - 1]);
			bogon_usage(stderr);
			bogon_ctx_clear(&c);
			return EXIT_USAGE;
		}
	}
	if (inputs)
		cli_inputs_print(&c.prov);
	if (prefix_each_line(argc - optind, argv + optind, bogon_one, &c))
		status = 1;
	bogon_ctx_clear(&c);
	if (fflush(stdout) != 0) {
		cli_warnx("stdout: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (status != 0)
		return EXIT_FAIL;
	return c.found ? EXIT_FOUND : EXIT_OK;
}
