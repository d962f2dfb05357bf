/*
 * cmd_filter.c - "manrs filter": bgpq4-compatible filter generation from
 * the local IRR database (or a remote IRRd), with MANRS safety gates.
 *
 * The flags and objects are bgpq4 1.9's (see docs/filter.md); the job
 * itself (expansion, bogon and RPKI policy, folding, rendering, --explain,
 * the gates) is the library's filter module (manrs/filter.h).  This file
 * parses flags, loads the data, reads --previous, writes the output (a
 * named output file atomically, only when the job is accepted: outfile.h)
 * and maps verdicts to exit codes: an empty result exits 3 unless
 * --allow-empty; --previous refuses (exit 4) a list that changed by more
 * than --max-change percent; --beacon prefixes must be in the result
 * (exit 1); errors bgpq4 1.9 treats as fatal exit 255 as there.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <manrs/manrs.h>
#include <manrs/db.h>
#include <manrs/filter.h>
#include <manrs/peeringdb.h>

#include "cli.h"
#include "irr_load.h"
#include "rtrd_load.h"
#include "filter_remote.h"
#include "outfile.h"
#include "filter_cli.h"

#define EXIT_FATAL		255	/* bgpq4's exit(-1) after FATAL ERROR */
#define FILTER_PREV_BYTES_MAX	(1u << 30)	/* a --previous file */


/* "manrs: filter: [JOB: ]msg" on stderr. */
static void
fwarn(const struct filter *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fwarn(const struct filter *f, const char *fmt, ...)
{
	va_list ap;

	fputs("manrs: filter: ", stderr);
	if (f->job != NULL)
		fprintf(stderr, "%s: ", f->job);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * The engine's events on stderr: objects bgpq4 reports with "ERROR:"
 * in its words, everything else as "manrs: filter: [JOB: ]msg".
 */
static void
engine_event(void *arg, const struct manrs_filter_event *ev)
{
	if (ev->kind == MANRS_FILTER_EV_OBJECT_INVALID)
		fprintf(stderr, "ERROR:%s\n", ev->msg);
	else if (ev->kind != MANRS_FILTER_EV_EXPLAIN_ROUTE)
		fwarn(arg, "%s", ev->msg);
}

/* bgpq4's "FATAL ERROR:" line (msg as bgpq4 words it); exit 255. */
static int
fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("FATAL ERROR:", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FATAL;
}

/* bgpq4's AS number syntax (-a/-f/-G/-H): "N" or "N.M"; FATAL if bad. */
static int
parse_asnumber(const char *s, uint32_t *out)
{
	char *e = NULL;
	unsigned long v, lo;

	v = strtoul(s, &e, 10);
	if (v < 1 || v > 65535ul * 65535ul)
		return fatal("Invalid AS number: %s", s);
	if (*e == '.') {
		lo = strtoul(e + 1, &e, 10);
		if (v > 65535 || lo < 1 || lo > 65535)
			return fatal("Invalid AS number: %s", s);
		if (*e != '\0')
			return fatal("Invalid symbol in AS number: %c (%s)", *e,
			    s);
		v = (v << 16) + lo;
	} else if (*e != '\0')
		return fatal("Invalid symbol in AS number: %c (%s)", *e, s);
	*out = (uint32_t)v;
	return 0;
}

/* ---- command line ------------------------------------------------ */

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: manrs filter --source NAME=FILE[,FILE...] | --db FILE\n"
"           [bgpq4 flags]\n"
"           OBJECT... [EXCEPT OBJECT...]\n"
"bgpq4 1.9 flags: -4 -6 -A -b -B -e -E -f ASN -F fmt -G ASN -H ASN -j -J\n"
"  -K[7] -l name -L depth -m len -M match -n -N -p -r len -R len -s\n"
"  -S sources -t -u -U -w -W len -X -z (-3 -d -T accepted, ignored)\n"
"objects: ASNNN, AS-SET, RS-SET, SOURCE::SET, PREFIX\n"
"extras:\n"
"  --db FILE            map a snapshot (manrs db build) instead of\n"
"                       loading --source dumps: same output, no load\n"
"  -o FILE, --output FILE  write the list to FILE, replaced atomically\n"
"                       and only when the job is accepted\n"
"  --keep-bogons        keep bogon prefixes and ASNs (default: removed,\n"
"                       each removal reported on stderr)\n"
"  --vrps FILE          drop RPKI-invalid routes (VRP JSON/CSV; repeat;\n"
"                       alias --rpki)\n"
"  --rpki-add           also add the ROA prefixes of the expanded ASNs\n"
"  --now TIME           judge VRP expiry at TIME (ISO 8601 UTC or Unix\n"
"                       seconds; alias --vrps-now, --rpki-now)\n"
"  --allow-stale        go on when every VRP is expired (else exit 1)\n"
"  --allow-empty        an empty result is not an error (else exit 3)\n"
"  --previous FILE      refuse (exit 4) a list that changed by more than\n"
"  --max-change PCT     percent of lines (default 20); FILE may be the\n"
"                       output itself (read before anything is written)\n"
"  --previous-missing ok|fail  a missing --previous FILE is a first run\n"
"                       (ok) or an error (fail, the default)\n"
"  --beacon PREFIX      this prefix must be permitted (else exit 1)\n"
"  --explain PREFIX     why PREFIX is in or out of the result\n"
"  --max-prefix         suggest a BGP max-prefix limit (stderr)\n"
"  --peeringdb FILE     ... from PeeringDB info_prefixes4/6 of -a ASN\n"
"  --validate-asns      -w done right: drop ASNs without route objects\n"
"  -h HOST[:PORT]       query a remote IRRd (pipelined) instead\n"
"  --timeout SECONDS    wait at most this long for -h (default 30)\n"
"  --batch FILE         one job a line: OUTPUT-FILE [flags] OBJECT...;\n"
"                       the database is loaded once\n"
"  --inputs, --stats    each input (IRR file, --vrps file, --db\n"
"                       snapshot's inputs) as an \"input\" line on stderr\n"
"                       (kind, path, records loaded and skipped, data\n"
"                       time); once with --batch\n");
}

enum {
	O_SOURCE = 1000, O_KEEP, O_RPKI, O_RPKI_ADD, O_NOW, O_ALLOW_EMPTY,
	O_PREVIOUS, O_MAX_CHANGE, O_BEACON, O_EXPLAIN, O_MAX_PREFIX,
	O_PEERINGDB, O_HELP, O_BATCH, O_VALIDATE, O_TIMEOUT, O_ALLOW_STALE,
	O_PREV_MISSING, O_DB, O_INPUTS,
};

static const struct option longopts[] = {
	{ "source", required_argument, NULL, O_SOURCE },
	{ "db", required_argument, NULL, O_DB },
	{ "keep-bogons", no_argument, NULL, O_KEEP },
	{ "rpki", required_argument, NULL, O_RPKI },
	{ "vrps", required_argument, NULL, O_RPKI },
	{ "vrps-now", required_argument, NULL, O_NOW },
	{ "rpki-now", required_argument, NULL, O_NOW },
	{ "allow-stale", no_argument, NULL, O_ALLOW_STALE },
	{ "rpki-add", no_argument, NULL, O_RPKI_ADD },
	{ "now", required_argument, NULL, O_NOW },
	{ "allow-empty", no_argument, NULL, O_ALLOW_EMPTY },
	{ "previous", required_argument, NULL, O_PREVIOUS },
	{ "previous-missing", required_argument, NULL, O_PREV_MISSING },
	{ "max-change", required_argument, NULL, O_MAX_CHANGE },
	{ "beacon", required_argument, NULL, O_BEACON },
	{ "explain", required_argument, NULL, O_EXPLAIN },
	{ "max-prefix", no_argument, NULL, O_MAX_PREFIX },
	{ "peeringdb", required_argument, NULL, O_PEERINGDB },
	{ "help", no_argument, NULL, O_HELP },
	{ "batch", required_argument, NULL, O_BATCH },
	{ "validate-asns", no_argument, NULL, O_VALIDATE },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "output", required_argument, NULL, 'o' },
	{ "inputs", no_argument, NULL, O_INPUTS },
	{ "stats", no_argument, NULL, O_INPUTS },
	{ NULL, 0, NULL, 0 },
};

static void
vendor_exclusive(const struct filter *f)
{
	fwarn(f, "-b (BIRD), -B (OpenBGPD), -F (formatted), -J "
	    "(Junos), -j (JSON), -K[7] (Microtik ROS), -N (Nokia SR OS "
	    "Classic), -n (Nokia SR OS MD-CLI), -U (Huawei), -u (Huawei "
	    "XPL),-e (Arista) and -X (IOS XR) options are mutually exclusive");
}

static int
set_vendor(struct filter *f, enum manrs_render_vendor v, bool *vset)
{
	if (*vset) {
		vendor_exclusive(f);
		return -1;
	}
	*vset = true;
	f->o.render.vendor = v;
	return 0;
}

/* The flags that only choose an output dialect, as in bgpq4. */
static const struct {
	int				opt;
	enum manrs_render_vendor	vendor;
} vendor_flags[] = {
	{ 'b', MANRS_RENDER_BIRD },	{ 'B', MANRS_RENDER_OPENBGPD },
	{ 'J', MANRS_RENDER_JUNIPER },	{ 'j', MANRS_RENDER_JSON },
	{ 'K', MANRS_RENDER_MIKROTIK6 },	{ 'N', MANRS_RENDER_NOKIA },
	{ 'n', MANRS_RENDER_NOKIA_MD },	{ 'U', MANRS_RENDER_HUAWEI },
	{ 'u', MANRS_RENDER_HUAWEI_XPL },	{ 'X', MANRS_RENDER_CISCO_XR },
};

/* 1 when c is a dialect flag (then set), 0 when not, -1 on conflict. */
static int
vendor_flag(struct filter *f, int c, bool *vset)
{
	size_t i;

	for (i = 0; i < sizeof(vendor_flags) / sizeof(vendor_flags[0]); i++)
		if (vendor_flags[i].opt == c)
			return set_vendor(f, vendor_flags[i].vendor, vset) == 0 ?
			    1 : -1;
	return 0;
}

/* bgpq4 reads these numbers with atoi(3)/strtoul(3): leading digits. */
static long
lenient_number(const char *s)
{
	return strtol(s, NULL, 10);
}

static int
set_gen(struct filter *f, enum manrs_render_gen g, bool *gset)
{
	if (*gset) {
		fwarn(f, "-E, -F, -K , -f <asnum>, -G <asnum>, and -t are "
		    "mutually exclusive");
		return -1;
	}
	*gset = true;
	f->o.render.gen = g;
	return 0;
}

/* bgpq4's -M escapes: \n (a real newline after the backslash), \r, \t,
 * \\; others are FATAL there. */
static int
decode_match(char *s)
{
	char *mc = s, *md = s;

	while (*mc != '\0') {
		if (*mc == '\\') {
			char c = mc[1];

			if (c == '\n' || c == 'r' || c == 't' || c == '\\') {
				*md++ = c == 'r' ? '\r' : c == 't' ? '\t' : c;
				mc += 2;
			} else
				return fatal("Unsupported escape \\%c (0x%2.2x) "
				    "in -M", isprint((unsigned char)c) ? c : ' ',
				    (unsigned char)c);
		} else
			*md++ = *mc++;
	}
	*md = '\0';
	return 0;
}

static bool
asn_gen(const struct filter *f)
{
	enum manrs_render_gen g = f->o.render.gen;

	return g == MANRS_RENDER_ASPATH || g == MANRS_RENDER_OASPATH ||
	    g == MANRS_RENDER_ASLIST || g == MANRS_RENDER_ASSET;
}

static void
max_prefix_hint(struct filter *f, size_t nprefixes)
{
	uint64_t suggest = nprefixes + (nprefixes + 9) / 10;
	uint32_t asn = f->o.render.asnumber;

	if (suggest < 10)
		suggest = 10;
	if (f->peeringdb != NULL) {
		struct manrs_peeringdb *pdb = manrs_peeringdb_new(NULL);
		const struct manrs_pdb_net *net = NULL;

		if (pdb != NULL && manrs_peeringdb_load(pdb, f->peeringdb,
		    &f->sink) == 0 && asn != 0)
			net = manrs_peeringdb_net(pdb, asn);
		if (net != NULL) {
			fwarn(f, "max-prefix %" PRIu32 " (PeeringDB "
			    "info_prefixes%c of AS%" PRIu32 "; the list has %zu "
			    "prefixes)", f->o.af == MANRS_AF_INET ?
			    net->info_prefixes4 : net->info_prefixes6,
			    f->o.af == MANRS_AF_INET ? '4' : '6', asn,
			    nprefixes);
			manrs_peeringdb_free(pdb);
			return;
		}
		fwarn(f, "no PeeringDB record for AS%" PRIu32 " (give it with "
		    "-a), counting instead", asn);
		manrs_peeringdb_free(pdb);
	}
	fwarn(f, "max-prefix %" PRIu64 " (%zu IRR prefixes + 10%%)", suggest,
	    nprefixes);
}

/* The flags, one by one; -1 to go on, else the exit code. */
struct parse_state {
	struct irr_sources	*srcs;
	const char		**batch;
	bool			 vset, gset, sel4, wset;
	unsigned long		 maxlen;
	unsigned long		 refine, refine_low;
};

static int
parse_bgpq4_flag(struct filter *f, struct parse_state *ps, int c, char *arg)
{
	switch (c) {
	case '2': case '3': case 'd': case 'D': case 'T':
		return -1;
	case '4':
		if (f->o.af == MANRS_AF_INET6)
			return fatal("-4 and -6 are mutually exclusive");
		ps->sel4 = true;
		return -1;
	case '6':
		if (ps->sel4)
			return fatal("-4 and -6 are mutually exclusive");
		f->o.af = MANRS_AF_INET6;
		return -1;
	case '7':
		if (f->o.render.vendor != MANRS_RENDER_MIKROTIK6 || !ps->vset)
			return fatal("'7' can only be used after -K");
		f->o.render.vendor = MANRS_RENDER_MIKROTIK7;
		return -1;
	case 'a':
		return parse_asnumber(arg, &f->o.render.asnumber) == 0 ? -1 :
		    EXIT_FATAL;
	case 'A':
		f->o.aggregate = true;
		return -1;
	case 'E':
		return set_gen(f, MANRS_RENDER_EACL, &ps->gset) == 0 ? -1 :
		    EXIT_USAGE;
	case 'e':
		if (set_vendor(f, MANRS_RENDER_ARISTA, &ps->vset) != 0)
			return EXIT_USAGE;
		f->o.render.sequence = true;
		return -1;
	case 'F':
		if (set_vendor(f, MANRS_RENDER_FORMAT, &ps->vset) != 0)
			return EXIT_USAGE;
		if (manrs_render_format_check(arg) != 0) {
			fwarn(f, "bad -F format '%s' (%%n %%l %%a %%A %%N %%m "
			    "%%i %%%% \\n \\t)", arg);
			return EXIT_USAGE;
		}
		f->o.render.format = arg;
		return -1;
	case 'f':
	case 'G':
	case 'H':
		if (set_gen(f, c == 'f' ? MANRS_RENDER_ASPATH : c == 'G' ?
		    MANRS_RENDER_OASPATH : MANRS_RENDER_ASLIST,
		    &ps->gset) != 0)
			return EXIT_USAGE;
		return parse_asnumber(arg, &f->o.render.asnumber) == 0 ? -1 :
		    EXIT_FATAL;
	case 'h':
		f->host = arg;
		return -1;
	case 'l':
		f->o.render.name = arg;
		return -1;
	case 'L':
		f->o.maxdepth = (int)lenient_number(arg);
		if (f->o.maxdepth < 1)
			return fatal("Invalid maximum recursion (-L): %s", arg);
		return -1;
	case 'm':
		if ((ps->maxlen = strtoul(arg, NULL, 10)) == 0)
			return fatal("Invalid maxlen (-m): %s", arg);
		return -1;
	case 'M':
		if (decode_match(arg) != 0)
			return EXIT_FATAL;
		f->o.render.match = arg;
		return -1;
	case 'p':
		f->o.special = true;
		return -1;
	case 'r':
		if ((ps->refine_low = strtoul(arg, NULL, 10)) == 0)
			return fatal("Invalid refineLow value: %s", arg);
		return -1;
	case 'R':
		if ((ps->refine = strtoul(arg, NULL, 10)) == 0)
			return fatal("Invalid refine length: %s", arg);
		return -1;
	case 's':
		f->o.render.sequence = true;
		return -1;
	case 'S':
		f->o.sources = arg;
		return -1;
	case 't':
		return set_gen(f, MANRS_RENDER_ASSET, &ps->gset) == 0 ? -1 :
		    EXIT_USAGE;
	case 'W':
		if (lenient_number(arg) < 0)
			return fatal("Invalid as-width: %s", arg);
		f->o.render.aswidth = (unsigned)lenient_number(arg);
		ps->wset = true;
		return -1;
	case 'w':
		f->o.validate_asns = true;
		return -1;
	case 'v':
		printf("manrs filter (bgpq4 1.9 compatible)\n");
		return EXIT_OK;
	case 'z':
		return set_gen(f, MANRS_RENDER_ROUTE_FILTER_LIST,
		    &ps->gset) == 0 ? -1 : EXIT_USAGE;
	default:
		return EXIT_USAGE;
	}
}

static int
parse_extra_flag(struct filter *f, struct parse_state *ps, int c, char *arg)
{
	char *e = NULL;

	switch (c) {
	case 'o':
		if (ps->batch == NULL) {
			fwarn(f, "-o in a batch job (the first word is the "
			    "output)");
			return EXIT_USAGE;
		}
		f->output = arg;
		return -1;
	case O_SOURCE:
		if (ps->srcs == NULL) {
			fwarn(f, "--source in a batch job");
			return EXIT_USAGE;
		}
		return irr_sources_add(ps->srcs, arg, "filter") == 0 ? -1 :
		    EXIT_USAGE;
	case O_DB:
		if (ps->srcs == NULL) {
			fwarn(f, "--db in a batch job");
			return EXIT_USAGE;
		}
		f->db_file = arg;
		return -1;
	case O_INPUTS:
		if (ps->srcs == NULL) {
			fwarn(f, "--inputs in a batch job (give it on the "
			    "command line)");
			return EXIT_USAGE;
		}
		f->inputs = true;
		return -1;
	case O_BATCH:
		if (ps->batch == NULL) {
			fwarn(f, "--batch in a batch job");
			return EXIT_USAGE;
		}
		*ps->batch = arg;
		return -1;
	case O_TIMEOUT:
		if ((f->timeout = (int)strtonum(arg, 1, 3600, NULL)) == 0) {
			fwarn(f, "--timeout: 1..3600 seconds");
			return EXIT_USAGE;
		}
		return -1;
	case O_VALIDATE:
		f->o.validate_real = true;
		return -1;
	case O_KEEP:
		f->o.keep_bogons = true;
		return -1;
	case O_RPKI:
		return cli_vrps_option(&f->rpki, "vrps", arg) == 1 ? -1 :
		    EXIT_USAGE;
	case O_RPKI_ADD:
		f->o.rpki_add = true;
		return -1;
	case O_NOW:
		return cli_vrps_option(&f->rpki, "now", arg) == 1 ? -1 :
		    EXIT_USAGE;
	case O_ALLOW_STALE:
		f->rpki.allow_stale = true;
		return -1;
	case O_ALLOW_EMPTY:
		f->o.allow_empty = true;
		return -1;
	case O_PREVIOUS:
		f->previous = arg;
		return -1;
	case O_PREV_MISSING:
		if (strcmp(arg, "ok") != 0 && strcmp(arg, "fail") != 0) {
			fwarn(f, "--previous-missing: want ok or fail");
			return EXIT_USAGE;
		}
		f->previous_missing_ok = strcmp(arg, "ok") == 0;
		return -1;
	case O_MAX_CHANGE:
		f->o.max_change = strtod(arg, &e);
		if (e == arg || *e != '\0' || !(f->o.max_change >= 0)) {
			fwarn(f, "--max-change: want a percentage");
			return EXIT_USAGE;
		}
		return -1;
	case O_BEACON:
		if (f->o.nbeacons >= MANRS_FILTER_BEACONS_MAX ||
		    manrs_prefix_parse(manrs_view_cstr(arg), 0,
		    &f->beacons[f->o.nbeacons]) != 0) {
			fwarn(f, "--beacon: bad prefix '%s'", arg);
			return EXIT_USAGE;
		}
		f->o.nbeacons++;
		return -1;
	case O_EXPLAIN:
		f->explain = arg;
		return -1;
	case O_MAX_PREFIX:
		f->max_prefix = true;
		return -1;
	case O_PEERINGDB:
		f->peeringdb = arg;
		f->max_prefix = true;
		return -1;
	case O_HELP:
		usage(stdout);
		return EXIT_OK;
	default:
		return parse_bgpq4_flag(f, ps, c, arg);
	}
}

/* bgpq4 1.9's checks after its flags, in its order (FATAL: exit 255). */
static int
check_bgpq4(struct filter *f, struct parse_state *ps)
{
	struct manrs_render_opts *ro = &f->o.render;
	unsigned bits = manrs_af_bits(f->o.af);

	if (!ps->wset && (ro->gen == MANRS_RENDER_ASPATH || ro->gen ==
	    MANRS_RENDER_OASPATH || ro->gen == MANRS_RENDER_ASLIST))
		ro->aswidth = manrs_render_default_width(ro->vendor, ro->gen);
	ro->af = f->o.af;
	if (ps->vset && ro->vendor == MANRS_RENDER_FORMAT &&
	    ro->gen != MANRS_RENDER_PREFIXLIST)
		return fatal("Sorry, only prefix-lists supported in formatted "
		    "output");
	if (ro->gen == MANRS_RENDER_ROUTE_FILTER_LIST &&
	    ro->vendor != MANRS_RENDER_JUNIPER)
		return fatal("Route-filter-lists (-z) supported for Juniper (-J)"
		    " output only");
	if (ro->gen == MANRS_RENDER_ASSET && ro->vendor != MANRS_RENDER_JSON &&
	    ro->vendor != MANRS_RENDER_OPENBGPD &&
	    ro->vendor != MANRS_RENDER_BIRD)
		return fatal("As-Sets (-t) supported for JSON (-j), OpenBGPD "
		    "(-B) and BIRD (-b) output only");
	if (f->o.aggregate && ro->vendor == MANRS_RENDER_JUNIPER &&
	    ro->gen == MANRS_RENDER_PREFIXLIST)
		return fatal("Sorry, aggregation (-A) does not work in Juniper "
		    "prefix-lists\nYou can try route-filters (-E) or "
		    "route-filter-lists (-z) instead of prefix-lists\n.");
	if (ro->sequence && ro->vendor != MANRS_RENDER_CISCO &&
	    ro->vendor != MANRS_RENDER_ARISTA)
		return fatal("Sorry, prefix-lists sequencing (-s) supported only "
		    "for IOS, EOS and FRRouting");
	if (ro->sequence && asn_gen(f))
		return fatal("Sorry, prefix-lists sequencing (-s) can't be  used "
		    "for non prefix-list");
	if (ps->refine_low != 0 && ps->refine == 0)
		ps->refine = bits;
	if (ps->refine_low > ps->refine)
		return fatal("Incompatible values for -r %lu and -R %lu",
		    ps->refine_low, ps->refine);
	if (ps->refine > bits || ps->refine_low > bits)
		return fatal("Invalid value for %s: %lu (1-%u for IPv%c)",
		    ps->refine > bits ? "refine(-R)" : "refineLow(-r)",
		    ps->refine > bits ? ps->refine : ps->refine_low, bits,
		    f->o.af == MANRS_AF_INET ? '4' : '6');
	f->o.refine = (unsigned)ps->refine;
	f->o.refine_low = (unsigned)ps->refine_low;
	if (ps->maxlen > bits)
		return fatal("Invalid value for max-prefixlen: %lu (1-128 for "
		    "IPv6, 1-32 for IPv4)", ps->maxlen);
	f->o.maxlen = (unsigned)ps->maxlen;
	if (ro->gen == MANRS_RENDER_EACL && ro->vendor == MANRS_RENDER_CISCO &&
	    f->o.af == MANRS_AF_INET6)
		return fatal("Sorry, ipv6 access-lists not supported for Cisco "
		    "yet.");
	if (ro->match != NULL && (ro->vendor != MANRS_RENDER_JUNIPER ||
	    ro->gen != MANRS_RENDER_EACL))
		return fatal("Sorry, extra match conditions (-M) can be used "
		    "only with Juniper route-filters");
	if (asn_gen(f) && f->o.af != MANRS_AF_INET && !f->o.validate_asns &&
	    ro->gen != MANRS_RENDER_ASSET)
		return fatal("Sorry, -6 makes no sense with as-path (-f/-G) or "
		    "as-list (-H) generation");
	if (f->o.validate_asns && (!asn_gen(f) || ro->gen == MANRS_RENDER_ASSET))
		return fatal("Sorry, -w makes sense only for as-path (-f/-G) "
		    "generation");
	return -1;
}

/* Our own checks of the extras and objects. */
static int
check_extras(struct filter *f, const char **batch)
{
	int i;
	bool except = false;

	for (i = 0; i < f->nobjects; i++)
		if (strcmp(f->objects[i], "EXCEPT") == 0)
			except = true;
	if (f->nobjects == 0 && (batch == NULL || *batch == NULL)) {
		fwarn(f, "no objects");
		return EXIT_USAGE;
	}
	if (f->o.rpki_add && f->rpki.load.nfiles == 0 && batch != NULL) {
		fwarn(f, "--rpki-add needs --rpki FILE");
		return EXIT_USAGE;
	}
	if (f->explain != NULL && manrs_prefix_parse(manrs_view_cstr(
	    f->explain), 0, &f->o.explain_prefix) != 0) {
		fwarn(f, "--explain: bad prefix '%s'", f->explain);
		return EXIT_USAGE;
	}
	f->o.explain = f->explain != NULL;
	if (f->host != NULL && (f->o.maxdepth != 0 || f->explain != NULL ||
	    f->o.validate_real)) {
		fwarn(f, "-h: -L, EXCEPT, --explain and --validate-asns need "
		    "the local database (--source)");
		return EXIT_USAGE;
	}
	if (f->host != NULL && except) {
		fwarn(f, "-h: EXCEPT needs the local database (--source)");
		return EXIT_USAGE;
	}
	return -1;
}

/* One command line (filter_cli.h). */
int
filter_parse(struct filter *f, struct irr_sources *srcs, const char **batch,
    int argc, char **argv)
{
	struct parse_state ps = { .srcs = srcs, .batch = batch };
	int c, ret;

	manrs_filter_opts_init(&f->o);
	f->o.beacons = f->beacons;
	f->timeout = IRRQ_TIMEOUT_DEFAULT;
	cli_diag_sink(&f->sink);
	memset(&f->fsink, 0, sizeof(f->fsink));	/* counts only */
	f->o.sink = &f->fsink;
	f->o.event = engine_event;
	f->o.event_arg = f;
	optind = 0;
	while ((c = getopt_long(argc, argv,
	    "+23467a:AbBdDEeF:S:jJKf:l:L:m:M:NnpW:r:R:G:H:tTh:UuwXsvzo:",
	    longopts, NULL)) != -1) {
		if ((ret = vendor_flag(f, c, &ps.vset)) != 0) {
			if (ret < 0)
				return EXIT_USAGE;
			continue;
		}
		if ((ret = parse_extra_flag(f, &ps, c, optarg)) >= 0)
			return ret;
	}
	f->objects = argv + optind;
	f->nobjects = argc - optind;
	if ((ret = check_bgpq4(f, &ps)) >= 0)
		return ret;
	return check_extras(f, batch);
}

/* ---- running a job ----------------------------------------------- */

/*
 * --previous, read whole before anything is written (so it may name the
 * output).  1 when read, 0 when missing and --previous-missing ok, -1
 * after a message naming the system's reason.
 */
static int
read_previous(struct filter *f, char **text, size_t *len)
{
	struct stat st;
	FILE *fp;
	size_t cap = 0, k;
	char tmp[65536], *w;

	*text = NULL;
	*len = 0;
	if ((fp = fopen(f->previous, "r")) == NULL) {
		if (errno == ENOENT && f->previous_missing_ok) {
			fwarn(f, "--previous %s: missing, a first run "
			    "(--previous-missing ok): no change check",
			    f->previous);
			return 0;
		}
		fwarn(f, "--previous %s: %s", f->previous, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto bad;
	}
	while ((k = fread(tmp, 1, sizeof(tmp), fp)) > 0) {
		if (*len + k > FILTER_PREV_BYTES_MAX) {
			errno = EFBIG;
			goto bad;
		}
		if (*len + k + 1 > cap) {
			cap = (*len + k + 1) * 2;
			if ((w = realloc(*text, cap)) == NULL)
				goto bad;
			*text = w;
		}
		memcpy(*text + *len, tmp, k);
		*len += k;
	}
	if (ferror(fp))
		goto bad;
	fclose(fp);
	return 1;
bad:
	fwarn(f, "--previous %s: %s", f->previous, strerror(errno != 0 ?
	    errno : EIO));
	fclose(fp);
	free(*text);
	*text = NULL;
	return -1;
}

/* The job's objects into the engine; -1 to go on, else the exit code. */
static int
add_objects(struct filter *f, struct manrs_filter *job)
{
	bool except = false;
	int i, rc;

	for (i = 0; i < f->nobjects; i++) {
		if (strcmp(f->objects[i], "EXCEPT") == 0) {
			except = true;
			continue;
		}
		rc = manrs_filter_add_object(job, f->objects[i], except);
		if (rc == MANRS_E_LIMIT) {
			fwarn(f, "more than %u objects",
			    MANRS_FILTER_OBJECTS_MAX);
			return EXIT_USAGE;
		}
		if (rc != 0)	/* a bad prefix: bgpq4 exits 1 */
			return EXIT_FAIL;
	}
	return -1;
}

/* The list to the output: stdout, or -o / a batch job's file. */
static int
write_output(struct filter *f, const char *out, const char *text, size_t len)
{
	if (out == NULL) {
		if (fwrite(text, 1, len, stdout) != len ||
		    fflush(stdout) != 0) {
			fwarn(f, "writing the output: %s", strerror(errno));
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if (outfile_write(out, text, len) != 0) {
		if (f->job != NULL)	/* the prefix names it */
			fwarn(f, "%s (the previous file is unchanged)",
			    strerror(errno));
		else
			fwarn(f, "%s: %s (the previous file is unchanged)",
			    out, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int
verdict_exit(enum manrs_filter_verdict v)
{
	switch (v) {
	case MANRS_FILTER_OK:
	case MANRS_FILTER_EXPLAINED:
		return EXIT_OK;
	case MANRS_FILTER_EMPTY:
		return EXIT_EMPTY;
	case MANRS_FILTER_CHANGED:
		return EXIT_CHANGED;
	case MANRS_FILTER_BEACON:
	default:
		return EXIT_FAIL;
	}
}

static int
run_job(struct filter *f, struct manrs_filter *job, const char *out)
{
	struct manrs_filter_result res;
	struct manrs_filter_lookup lk;
	struct manrs_filter_data data = { f->db, NULL, f->vrps };
	struct filter_remote *r = NULL;
	int rc, ret = EXIT_FAIL;

	if (f->host != NULL) {
		data.db = NULL;
		if ((r = filter_remote_new(f->host, f->timeout, f->o.sources,
		    f->o.af)) == NULL ||
		    filter_remote_fetch_sets(r, job) != 0)
			goto out;
		filter_remote_lookup(r, &lk);
		data.lookup = &lk;
	}
	if ((rc = manrs_filter_run(job, &data, &res)) != 0) {
		if (rc == MANRS_E_INVAL)
			ret = fatal("Unknown vendor/generation combination");
		else if (rc != MANRS_E_NOTFOUND && rc != MANRS_E_IO)
			fwarn(f, "expansion failed: %s", manrs_strerror(rc));
		goto out;
	}
	ret = verdict_exit(res.verdict);
	if (ret == EXIT_OK && f->max_prefix && !f->o.explain)
		max_prefix_hint(f, res.prefixes);
	if (ret == EXIT_OK)
		ret = write_output(f, f->o.explain ? NULL : out, res.text,
		    res.len);
	manrs_filter_result_clear(&res);
out:
	filter_remote_free(r);
	return ret;
}

/* Read --previous, build the job, run it, write the list if accepted. */
int
filter_run(struct filter *f, const char *out)
{
	struct manrs_filter *job = NULL;
	char *prev = NULL;
	size_t plen = 0;
	int err, ret;

	if (f->host == NULL && f->db == NULL) {
		fwarn(f, "no IRR data: give --source NAME=FILE or -h HOST");
		return EXIT_USAGE;
	}
	if (f->previous != NULL) {
		if ((ret = read_previous(f, &prev, &plen)) < 0)
			return EXIT_FAIL;
		if (ret == 1) {
			f->o.previous = prev != NULL ? prev : "";
			f->o.previous_len = plen;
			f->o.previous_name = f->previous;
		}
	}
	if ((job = manrs_filter_new(&f->o, &err)) == NULL) {
		fwarn(f, "%s", manrs_strerror(err));
		ret = EXIT_FAIL;
		goto out;
	}
	if ((ret = add_objects(f, job)) < 0)
		ret = run_job(f, job, out);
out:
	manrs_filter_free(job);
	free(prev);
	f->o.previous = NULL;
	return ret;
}

/*
 * --inputs with --db: the IRR files `manrs db build` read into the
 * snapshot, with their data times (the snapshot's VRPs are not used).
 */
static void
db_inputs(const struct manrs_db *snap, struct manrs_provenance_list *prov)
{
	struct manrs_db_input in;
	size_t i;

	for (i = 0; manrs_db_input(snap, i, &in) == 0; i++)
		if (strcmp(in.prov.kind, "irr") == 0)
			(void)manrs_provenance_list_add(prov, &in.prov, NULL);
}

int
cmd_filter(int argc, char **argv)
{
	struct filter *f;
	struct irr_sources srcs;
	const char *batch = NULL;
	struct manrs_irrdb *db = NULL;
	struct manrs_vrp_set *vrps = NULL;
	struct manrs_db *snap = NULL;
	struct manrs_provenance_list prov;
	char why[512];
	int ret, err = 0;

	manrs_provenance_list_init(&prov);
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		cli_warnx("filter: out of memory");
		return EXIT_FAIL;
	}
	memset(&srcs, 0, sizeof(srcs));
	if ((ret = filter_parse(f, &srcs, &batch, argc, argv)) >= 0)
		goto out;
	ret = EXIT_FAIL;
	if (f->db_file != NULL && (srcs.n > 0 || f->host != NULL)) {
		cli_warnx("filter: --db with --source or -h: give one");
		ret = EXIT_USAGE;
		goto out;
	}
	if (srcs.n == 0 && f->db_file == NULL && f->host == NULL &&
	    batch == NULL) {
		cli_warnx("filter: no IRR data: give --source NAME=FILE or -h "
		    "HOST");
		ret = EXIT_USAGE;
		goto out;
	}
	if (f->o.rpki_add && f->rpki.load.nfiles == 0) {
		cli_warnx("filter: --rpki-add needs --rpki FILE");
		ret = EXIT_USAGE;
		goto out;
	}
	if (batch != NULL && f->output != NULL) {
		cli_warnx("filter: -o with --batch (each job names its output)");
		ret = EXIT_USAGE;
		goto out;
	}
	if (f->inputs)
		srcs.prov = &prov;
	errno = 0;
	if (srcs.n > 0 &&
	    (db = irr_sources_load(&srcs, &f->sink, &err)) == NULL) {
		cli_warnx("filter: loading the IRR data failed: %s",
		    err == MANRS_E_IO && errno != 0 ? strerror(errno) :
		    manrs_strerror(err));
		goto out;
	}
	if (f->db_file != NULL) {
		if ((snap = manrs_db_open(f->db_file, why, sizeof(why),
		    &err)) == NULL) {
			cli_warnx("filter: --db %s: %s", f->db_file, why);
			goto out;
		}
		if (manrs_db_irrdb(snap) == NULL) {
			cli_warnx("filter: --db %s: no IRR data in it",
			    f->db_file);
			goto out;
		}
		if (f->inputs)
			db_inputs(snap, &prov);
	}
	/* The staleness policy of every judging command (cli.h). */
	if (f->rpki.load.nfiles > 0 &&
	    (vrps = cli_vrps_load(&f->rpki, "filter", f->inputs ? &prov :
	    NULL)) == NULL) {
		cli_warnx("filter: --vrps: not loaded");
		goto out;
	}
	f->db = snap != NULL ? manrs_db_irrdb(snap) : db;
	f->vrps = vrps;
	if (f->inputs) {
		/* no time in the content: the file's mtime, so marked */
		for (size_t i = 0; i < prov.n; i++)
			if (prov.v[i].time <= 0)
				(void)manrs_provenance_use_mtime(&prov.v[i]);
		cli_inputs_print(&prov);
		for (size_t i = 0; i < prov.nwarnings; i++)
			cli_warnx("filter: %s", prov.warnings[i]);
	}
	ret = batch != NULL ? filter_batch(batch, f) : filter_run(f, f->output);
out:
	free(f);
	if (vrps != NULL)
		manrs_vrp_set_free(vrps);
	if (db != NULL)
		manrs_irrdb_free(db);
	manrs_db_close(snap);
	manrs_provenance_list_clear(&prov);
	return ret;
}
