/*
 * cmd_prefix_aggregate.c - "manrs prefix aggregate": aggregate(1) for
 * IPv4 and IPv6.
 *
 * IPv4 output is byte for byte what Debian's aggregate(1) prints for the
 * same input and options (-m -o -p -q -t -v), IPv6 follows the same rules
 * (--max6, --opt6, --default6), printed after IPv4 in RFC 5952 form.
 * Lines are read the way aggregate reads them, so the same lines are
 * accepted: "ADDR/LEN", where ADDR may be a short dotted form ("10.1/16"
 * is 10.0.0.1/16) with decimal (never octal) parts, whitespace and any
 * text may follow ADDR before the "/", and LEN is read like atoi(3)
 * (leading blanks, trailing text ignored); with -p only the leading run
 * of address characters counts and every line gets the default length.
 * Differences, by intent: a rejected line is reported with file and
 * line and makes the exit status 1 (aggregate exits 0); blank lines and
 * "#" comment lines are skipped silently; lines are not cut at 62 bytes
 * (aggregate's fgets() buffer) and an over-long line is not re-read from
 * stale buffer bytes; several files may be given (read as if
 * concatenated).  See docs/trie.md.
 *
 * With -A the list is instead folded into prefix ranges the way bgpq4 -A
 * folds the prefixes it gets from an IRR (manrs_trie_walk_ranges; -R and
 * -r as bgpq4's refine options, alone or with -A),
 * printed as "P", "P le M" or "P ge m le M" (Cisco prefix-list terms), or
 * with -F in bgpq4's user format (%n %l %a %A, \n \t).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_prefix.h"

/* aggregate(1) reads lines with fgets() into a 63-byte buffer. */
#define AGG_FGETS_CHUNK	62

struct agg_opts {
	unsigned	max4, opt4, def4;	/* -m -o -p */
	unsigned	max6, opt6, def6;	/* --max6 --opt6 --default6 */
	bool		quiet, truncate, verbose;
	bool		bgpq4;			/* -A, -R or -r */
	struct manrs_range_opts ranges;		/* -A -R -r */
	uint8_t		family;		/* -4 / -6; 0 both */
	const char	*format;		/* -F */
};

/* Longest -F format accepted. */
#define AGG_FORMAT_MAX	256

struct agg_ctx {
	struct agg_opts		 o;
	struct manrs_aggregate_line_opts lo;
	struct manrs_aggregate	*a;
	uint64_t		 line;	/* aggregate's line counter */
	int			 status;
	int			 fatal;
};

/* Most bytes of an input line quoted in a diagnostic. */
#define AGG_QUOTE_MAX	80

/* The line, quoted: non-printable bytes as \xNN, cut after 80 bytes. */
static void
quote(FILE *fp, struct manrs_view text)
{
	size_t i;

	fputc('\'', fp);
	for (i = 0; i < text.len && i < AGG_QUOTE_MAX; i++) {
		unsigned char ch = (unsigned char)text.p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			fputc(ch, fp);
		else
			fprintf(fp, "\\x%02x", ch);
	}
	fputs(i < text.len ? "'..." : "'", fp);
}

static void
agg_warn(struct agg_ctx *c, const char *file, uint64_t no,
    struct manrs_view text, const char *why)
{
	c->status = 1;
	if (c->o.quiet)
		return;
	fprintf(stderr, "manrs: %s: line %llu: ", file, (unsigned long long)no);
	quote(stderr, text);
	fprintf(stderr, ": %s; ignoring line\n", why);
}

static int
agg_line(void *arg, const char *file, uint64_t no, struct manrs_view text)
{
	struct agg_ctx *c = arg;
	struct manrs_aggregate_line l;
	char msg[128], buf[MANRS_PREFIX_STRLEN];
	int rc;

	(void)no;
	rc = manrs_aggregate_parse_line(text, &c->lo, &l);
	if (rc == MANRS_E_RANGE) {
		snprintf(msg, sizeof(msg), "mask length %ld out of range",
		    l.len);
		agg_warn(c, file, c->line, text, msg);
		return 0;
	}
	if (rc == MANRS_E_HOSTBITS) {
		manrs_prefix_print(&l.prefix, buf, sizeof(buf));
		snprintf(msg, sizeof(msg), "host bits set after /%u "
		    "(inconsistent; -t truncates to %s)", l.prefix.len, buf);
		agg_warn(c, file, c->line, text, msg);
		return 0;
	}
	if (rc != 0) {
		agg_warn(c, file, c->line, text, l.why);
		return 0;
	}
	if (l.truncated && !c->o.quiet) {
		manrs_prefix_print(&l.prefix, buf, sizeof(buf));
		fprintf(stderr, "manrs: %s: line %llu: ", file,
		    (unsigned long long)c->line);
		quote(stderr, text);
		fprintf(stderr, " truncated to %s\n", buf);
	}
	if ((rc = manrs_aggregate_add(c->a, &l.prefix, c->line)) != 0) {
		cli_warnx("%s: line %llu: %s", file,
		    (unsigned long long)c->line, manrs_strerror(rc));
		c->fatal = rc;
		return 1;
	}
	return 0;
}

static int
agg_print(const struct manrs_aggregate_item *it, void *arg)
{
	const struct agg_ctx *c = arg;
	char buf[MANRS_PREFIX_STRLEN];

	if (c->o.family != 0 && it->prefix.af != c->o.family)
		return 0;
	manrs_prefix_print(&it->prefix, buf, sizeof(buf));
	if (c->o.verbose)
		printf("[%5llu] %c %s\n", (unsigned long long)it->line,
		    it->origin == MANRS_AGGREGATE_REMOVED ? '-' :
		    it->origin == MANRS_AGGREGATE_ADDED ? '+' : ' ', buf);
	else
		printf("%s\n", buf);
	return 0;
}

/*
 * Read the files line by line, numbering lines as aggregate does (one
 * number per fgets() chunk of up to 62 bytes, newline included).
 */
static int
agg_read(struct agg_ctx *c, int nfiles, char **files)
{
	static char *stdin_only[] = { (char *)"-" };
	struct manrs_input *in;
	struct manrs_view line, t;
	ptrdiff_t hash;
	int i, rc, err;

	if (nfiles == 0) {
		nfiles = 1;
		files = stdin_only;
	}
	for (i = 0; i < nfiles && c->fatal == 0; i++) {
		if ((in = manrs_input_open(files[i], &err)) == NULL) {
			cli_warnx("%s: %s", files[i], err == MANRS_E_IO ?
			    strerror(errno) : manrs_strerror(err));
			c->status = 1;
			continue;
		}
		while ((rc = manrs_input_line(in, &line)) != 0) {
			if (rc == MANRS_E_LIMIT) {
				c->line++;
				cli_warnx("%s: line %llu: longer than %u "
				    "bytes; ignoring line", files[i],
				    (unsigned long long)c->line,
				    MANRS_INPUT_LINE_MAX_DEFAULT);
				c->status = 1;
				continue;
			}
			if (rc < 0) {
				c->line++;
				cli_warnx("%s: line %llu: %s", files[i],
				    (unsigned long long)c->line,
				    manrs_strerror(rc));
				c->status = 1;
				break;
			}
			c->line += (line.len + 1 + AGG_FGETS_CHUNK - 1) /
			    AGG_FGETS_CHUNK;
			t = manrs_view_trim(line);
			hash = manrs_view_find(t, '#');
			if (t.len == 0 || hash == 0)
				continue;
			if (agg_line(c, files[i], c->line, line) != 0)
				break;
		}
		manrs_input_close(in);
	}
	return c->fatal;
}

struct ranges_ctx {
	struct manrs_trie	*t;
	struct agg_opts		*o;
	int			 status;
};

static int
ranges_line(void *arg, const char *file, uint64_t no, struct manrs_view text)
{
	struct ranges_ctx *c = arg;
	struct manrs_prefix p;
	unsigned flags = MANRS_PREFIX_HOST;
	int rc;

	if (c->o->truncate)
		flags |= MANRS_PREFIX_NORMALIZE;
	if ((rc = manrs_prefix_parse(text, flags, &p)) != 0) {
		if (!c->o->quiet) {
			fprintf(stderr, "manrs: %s: line %llu: ", file,
			    (unsigned long long)no);
			quote(stderr, text);
			fprintf(stderr, ": %s\n", manrs_strerror(rc));
		}
		return 1;
	}
	rc = manrs_trie_add(c->t, &p, 0, NULL);
	if (rc != 0 && rc != MANRS_E_EXIST) {
		cli_warnx("%s: line %llu: %s", file, (unsigned long long)no,
		    manrs_strerror(rc));
		return 1;
	}
	return 0;
}

/* bgpq4's -F: %n %l %a %A %%, and backslash escapes. */
static void
print_format(const char *fmt, const struct manrs_prefix_range *r)
{
	char addr[MANRS_ADDR_STRLEN];
	const char *f;

	for (f = fmt; *f != '\0'; f++) {
		if (*f == '%' && f[1] != '\0') {
			f++;
			if (*f == 'n') {
				manrs_addr_print(&r->prefix, addr,
				    sizeof(addr));
				fputs(addr, stdout);
			} else if (*f == 'l')
				printf("%u", r->prefix.len);
			else if (*f == 'a')
				printf("%u", r->min);
			else if (*f == 'A')
				printf("%u", r->max);
			else
				putchar(*f);
		} else if (*f == '\\' && f[1] != '\0') {
			f++;
			putchar(*f == 'n' ? '\n' : *f == 't' ? '\t' : *f);
		} else
			putchar(*f);
	}
}

static int
ranges_print(const struct manrs_prefix_range *r, void *arg)
{
	struct agg_opts *o = arg;
	char buf[MANRS_PREFIX_STRLEN];

	if (o->format != NULL) {
		print_format(o->format, r);
		return 0;
	}
	manrs_prefix_print(&r->prefix, buf, sizeof(buf));
	if (r->min == r->prefix.len && r->max == r->prefix.len)
		printf("%s\n", buf);
	else if (r->min > r->prefix.len)
		printf("%s ge %u le %u\n", buf, r->min, r->max);
	else
		printf("%s le %u\n", buf, r->max);
	return 0;
}

/* -A: the bgpq4 fold of the whole list, IPv4 then IPv6. */
static int
ranges_run(struct agg_opts *o, int nfiles, char **files)
{
	struct ranges_ctx c;
	int rc = 0, status;

	memset(&c, 0, sizeof(c));
	c.o = o;
	if ((c.t = manrs_trie_new(NULL)) == NULL) {
		cli_warnx("prefix aggregate: %s",
		    manrs_strerror(MANRS_E_NOMEM));
		return EXIT_FAIL;
	}
	status = prefix_each_line(nfiles, files, ranges_line, &c);
	if (o->family != MANRS_AF_INET6)
		rc = manrs_trie_walk_ranges(c.t, MANRS_AF_INET, &o->ranges,
		    ranges_print, o);
	if (rc == 0 && o->family != MANRS_AF_INET)
		rc = manrs_trie_walk_ranges(c.t, MANRS_AF_INET6, &o->ranges,
		    ranges_print, o);
	if (rc == MANRS_E_INVAL) {
		manrs_trie_free(c.t);
		cli_warnx("prefix aggregate: -R %u / -r %u: -R longer than the "
		    "family's prefixes (use -4 or -6), or -r longer than -R",
		    o->ranges.refine, o->ranges.refine_low);
		return EXIT_USAGE;
	}
	manrs_trie_free(c.t);
	if (rc != 0) {
		cli_warnx("prefix aggregate: %s", manrs_strerror(rc));
		return EXIT_FAIL;
	}
	if (fflush(stdout) != 0) {
		cli_warnx("prefix aggregate: stdout: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return status ? EXIT_FAIL : EXIT_OK;
}

static int
agg_len_opt(const char *opt, const char *arg, unsigned max, unsigned *out)
{
	uint32_t v;

	if (manrs_view_u32(manrs_view_cstr(arg), max, &v) != 0 || v < 1) {
		cli_warnx("prefix aggregate: %s: want 1..%u, not '%s'", opt,
		    max, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static void
agg_usage(FILE *fp)
{
	fprintf(fp, "usage: manrs prefix aggregate [-46qtv] [-m max-length] "
	    "[-o max-opt-length]\n"
	    "           [-p default-length] [--max6 N] [--opt6 N] "
	    "[--default6 N] [FILE...]\n"
	    "       manrs prefix aggregate [-46Aqt] [-R len] [-r len] "
	    "[-F format] [FILE...]\n"
	    "Aggregate a prefix list as aggregate(1) does: drop prefixes "
	    "covered by others,\nthen merge adjacent siblings.  IPv4 output "
	    "equals aggregate's; IPv6 follows\nthe same rules.  -m: longest "
	    "accepted length, -o: longest length optimised,\n-p: length "
	    "for bare addresses, -t: clear host bits instead of rejecting,\n"
	    "-q: no warnings, -v: list every entry with its line number "
	    "(- removed, + added).\n"
	    "-A: fold into prefix ranges as bgpq4 -A does (\"P\", \"P le M\", "
	    "\"P ge m le M\");\n-R len / -r len: bgpq4's refine options "
	    "(more specifics up to / from len);\n-4 / -6: print one family "
	    "only.\n-F FMT: print each range in "
	    "bgpq4's user format (%%n %%l %%a %%A).\n");
}

int
prefix_aggregate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max6", required_argument, NULL, 'M' },
		{ "opt6", required_argument, NULL, 'O' },
		{ "default6", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct agg_ctx c;
	unsigned v = 0;
	int ch, rc, err;

	memset(&c, 0, sizeof(c));
	c.o.max4 = c.o.opt4 = 32;
	c.o.max6 = c.o.opt6 = 128;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "46AF:hm:o:p:qR:r:tv", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'm':
			rc = agg_len_opt("-m", optarg, 32, &c.o.max4);
			break;
		case 'o':
			rc = agg_len_opt("-o", optarg, 32, &c.o.opt4);
			break;
		case 'p':
			rc = agg_len_opt("-p", optarg, 32, &c.o.def4);
			break;
		case 'M':
			rc = agg_len_opt("--max6", optarg, 128, &c.o.max6);
			break;
		case 'O':
			rc = agg_len_opt("--opt6", optarg, 128, &c.o.opt6);
			break;
		case 'P':
			rc = agg_len_opt("--default6", optarg, 128,
			    &c.o.def6);
			break;
		case '4':
		case '6':
			c.o.family = ch == '4' ? MANRS_AF_INET : MANRS_AF_INET6;
			rc = 0;
			break;
		case 'A':
			c.o.bgpq4 = c.o.ranges.aggregate = true;
			rc = 0;
			break;
		case 'R':
			c.o.bgpq4 = true;
			rc = agg_len_opt("-R", optarg, 128, &v);
			c.o.ranges.refine = (uint8_t)v;
			break;
		case 'r':
			c.o.bgpq4 = true;
			rc = agg_len_opt("-r", optarg, 128, &v);
			c.o.ranges.refine_low = (uint8_t)v;
			break;
		case 'F':
			c.o.format = optarg;
			rc = strlen(optarg) > AGG_FORMAT_MAX ? -1 : 0;
			if (rc != 0)
				cli_warnx("prefix aggregate: -F: longer than "
				    "%d bytes", AGG_FORMAT_MAX);
			break;
		case 'q':
			c.o.quiet = true;
			rc = 0;
			break;
		case 't':
			c.o.truncate = true;
			rc = 0;
			break;
		case 'v':
			c.o.verbose = true;
			rc = 0;
			break;
		case 'h':
			agg_usage(stdout);
			return EXIT_OK;
		default:
			agg_usage(stderr);
			return EXIT_USAGE;
		}
		if (rc != 0)
			return EXIT_USAGE;
	}
	if (c.o.format != NULL && !c.o.bgpq4) {
		cli_warnx("prefix aggregate: -F needs -A, -R or -r");
		return EXIT_USAGE;
	}
	if (c.o.bgpq4)
		return ranges_run(&c.o, argc - optind, argv + optind);
	c.lo.max4 = (uint8_t)c.o.max4;
	c.lo.max6 = (uint8_t)c.o.max6;
	c.lo.def4 = (uint8_t)c.o.def4;
	c.lo.def6 = (uint8_t)c.o.def6;
	c.lo.truncate = c.o.truncate;
	if ((c.a = manrs_aggregate_new(&err)) == NULL) {
		cli_warnx("prefix aggregate: %s", manrs_strerror(err));
		return EXIT_FAIL;
	}
	if (agg_read(&c, argc - optind, argv + optind) != 0 ||
	    (rc = manrs_aggregate_run(c.a, c.o.opt4, c.o.opt6)) != 0) {
		manrs_aggregate_free(c.a);
		return EXIT_FAIL;
	}
	manrs_aggregate_walk(c.a, c.o.verbose, agg_print, &c);
	manrs_aggregate_free(c.a);
	if (fflush(stdout) != 0) {
		cli_warnx("prefix aggregate: stdout: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return c.status ? EXIT_FAIL : EXIT_OK;
}
