/*
 * cmd_sav.c - "manrs sav": source address validation configuration
 * (uRPF mode + explicit-permit ingress filters per customer interface,
 * egress filter on uplinks, bogon sources dropped) from a customer file.
 *
 *   manrs sav [-d DIALECT] [--source NAME=FILE[,FILE]]... [--no-egress]
 *             [--no-ingress] [--empty-family drop|open] FILE
 *
 * With --source, the customers' "origin" ASNs and "as-set"s are expanded
 * from the IRR (route/route6 objects of every ASN, RFC 2622), and the
 * prefixes found are added to the static ones.  An IRR prefix in bogon
 * space is left out with a warning (SAV drops bogon sources anyway).
 * The customer file format is in manrs(1), "SAV CUSTOMER FILE".  Bad
 * input is reported with file and line and nothing is printed (a partial
 * filter is worse than none).  A filter with no prefix in one address
 * family (a customer with IPv4 space only) would drop that whole family:
 * it is refused, naming the customer and the family, unless
 * --empty-family (or "empty-family" in the customer's block) says drop
 * or open; what was chosen is noted on stderr and in the output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "irr_load.h"

#define SAV_OUTPUT_MAX	(512u * 1024u * 1024u)	/* rendered config bytes */

static void
sav_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: manrs sav [-d DIALECT] [--source NAME=FILE[,FILE]]... "
	    "[--no-egress]\n                 [--no-ingress] "
	    "[--empty-family drop|open] FILE\n"
	    "Source address validation (BCP 38/84, RFC 8704) from a customer "
	    "file:\nper customer interface the uRPF mode (strict for "
	    "single-homed, feasible-path\nor loose for multi-homed, with the "
	    "reason) and an explicit-permit ingress\nfilter; an egress "
	    "filter on uplinks; bogon sources always dropped.\n"
	    "  -d, --dialect D   cisco, iosxr, junos, eos, sros, nft, sysctl, "
	    "summary\n                    (default summary)\n"
	    "  --source NAME=FILE[,FILE]\n"
	    "                    IRR source (repeatable, highest priority "
	    "first): expand\n                    the customers' origin and "
	    "as-set lines\n"
	    "  --no-egress       leave out the uplink egress filter\n"
	    "  --inputs, --stats each input (customer file, IRR files) as "
	    "one line on\n                    stderr: records, skipped, data "
	    "time and its source\n"
	    "  --no-ingress      leave out the customer filters\n"
	    "  --empty-family drop|open\n"
	    "                    a filter with no prefix in one address family "
	    "(e.g. a\n                    customer without IPv6 space): drop "
	    "that family's\n                    traffic, or leave it "
	    "unfiltered (no filter, no uRPF);\n                    without "
	    "it such a customer is refused\n"
	    "The file format is in manrs(1), section SAV CUSTOMER FILE.\n"
	    "exit status: 0 ok, 1 bad input (nothing printed), 2 bad command "
	    "line\n");
}

/* Add the IRR prefixes of asn to customer i; -1 on a hard error. */
static int
add_origin(struct manrs_sav *s, size_t i, const struct manrs_irrdb *db,
    const struct manrs_irrdb_sel *sel, uint32_t asn, unsigned *skipped)
{
	const struct manrs_sav_customer *c = manrs_sav_customer(s, i);
	struct manrs_irrdb_ranges r = { NULL, 0, 0 };
	struct manrs_bogon_match m;
	char buf[MANRS_PREFIX_STRLEN];
	size_t j;
	int rc = 0;

	if (manrs_irrdb_origin_prefixes(db, asn, 0, sel, &r) != 0) {
		cli_warnx("sav: out of memory");
		return -1;
	}
	for (j = 0; j < r.n && rc == 0; j++) {
		manrs_bogon_prefix_check(&r.v[j].prefix, &m);
		if (m.kind == MANRS_BOGON_INSIDE ||
		    m.kind == MANRS_BOGON_COVERS) {
			manrs_prefix_print(&r.v[j].prefix, buf, sizeof(buf));
			cli_warnx("sav: customer '%s': IRR route %s (origin "
			    "AS%u) is bogon space: left out", c->name, buf,
			    asn);
			(*skipped)++;
			continue;
		}
		if ((rc = manrs_sav_customer_add_prefix(s, i,
		    &r.v[j].prefix)) != 0)
			cli_warnx("sav: customer '%s': %s (at most %d prefixes)",
			    c->name, manrs_strerror(rc),
			    MANRS_SAV_PREFIXES_MAX);
	}
	manrs_irrdb_ranges_clear(&r);
	return rc == 0 ? 0 : -1;
}

/* Expand every customer's origin and as-set lines from the IRR. */
static int
expand_irr(struct manrs_sav *s, const struct manrs_irrdb *db)
{
	const struct manrs_sav_customer *c;
	struct manrs_irrdb_asns asns = { NULL, 0, 0 };
	struct manrs_irrdb_sel sel;
	struct manrs_diag_sink sink;
	unsigned flags, skipped = 0;
	size_t i, j, k;

	cli_diag_sink(&sink);
	manrs_irrdb_sel_all(db, &sel);
	for (i = 0; i < manrs_sav_customer_count(s); i++) {
		c = manrs_sav_customer(s, i);
		for (j = 0; j < c->nasns; j++)
			if (add_origin(s, i, db, &sel, c->asns[j],
			    &skipped) != 0)
				goto fail;
		for (j = 0; j < c->nsets; j++) {
			flags = 0;
			asns.n = 0;
			if (manrs_irrdb_expand_asset(db,
			    manrs_view_cstr(c->sets[j]), &sel, NULL, &asns,
			    &flags, &sink) != 0)
				goto fail;
			if (flags & MANRS_IRRDB_F_NOTFOUND)
				cli_warnx("sav: customer '%s': as-set %s not "
				    "in the IRR", c->name, c->sets[j]);
			for (k = 0; k < asns.n; k++)
				if (add_origin(s, i, db, &sel, asns.v[k],
				    &skipped) != 0)
					goto fail;
		}
	}
	manrs_irrdb_asns_clear(&asns);
	return 0;
fail:
	manrs_irrdb_asns_clear(&asns);
	return -1;
}

/* Say on stderr which filters drop or leave open a whole family. */
static void
note_families(const struct manrs_sav *s, unsigned flags)
{
	static const uint8_t afs[2] = { MANRS_AF_INET, MANRS_AF_INET6 };
	const struct manrs_sav_customer *c;
	enum manrs_sav_fam m;
	size_t i, n;
	int f;

	for (i = 0; i < manrs_sav_customer_count(s) &&
	    !(flags & MANRS_SAV_NO_INGRESS); i++) {
		c = manrs_sav_customer(s, i);
		for (f = 0; f < 2; f++) {
			m = manrs_sav_family(s, c, afs[f]);
			if (m == MANRS_SAV_FAM_DROP)
				cli_warnx("sav: customer '%s' has no IPv%c "
				    "prefix: all its IPv%c traffic is dropped "
				    "(empty-family drop)", c->name,
				    f ? '6' : '4', f ? '6' : '4');
			else if (m == MANRS_SAV_FAM_OPEN)
				cli_warnx("sav: customer '%s' has no IPv%c "
				    "prefix: its IPv%c traffic is not filtered "
				    "(empty-family open)", c->name,
				    f ? '6' : '4', f ? '6' : '4');
		}
	}
	manrs_sav_uplinks(s, &n);
	for (f = 0; f < 2 && n > 0 && !(flags & MANRS_SAV_NO_EGRESS); f++) {
		m = manrs_sav_family(s, NULL, afs[f]);
		if (m == MANRS_SAV_FAM_DROP || m == MANRS_SAV_FAM_OPEN)
			cli_warnx("sav: no IPv%c prefix in own or customer "
			    "space: the uplinks' egress filter %s IPv%c "
			    "(empty-family %s)", f ? '6' : '4',
			    m == MANRS_SAV_FAM_DROP ? "drops all" :
			    "does not filter", f ? '6' : '4',
			    m == MANRS_SAV_FAM_DROP ? "drop" : "open");
	}
}

static int
load(const char *path, struct manrs_sav *s, struct irr_sources *irr,
    unsigned flags, struct manrs_provenance_list *prov)
{
	struct manrs_provenance p;
	struct manrs_diag_sink sink;
	struct manrs_irrdb *db;
	struct manrs_input *in;
	int err, rc;

	if ((in = manrs_input_open(path, &err)) == NULL) {
		cli_warnx("%s: %s", path, err == MANRS_E_IO ?
		    strerror(errno) : manrs_strerror(err));
		return -1;
	}
	cli_diag_sink(&sink);
	rc = manrs_sav_read(s, in, &sink);
	manrs_input_close(in);
	if (rc != 0)
		return -1;
	/* the customer file: customers read, its mtime (no time inside) */
	manrs_provenance_init(&p, "customers", path);
	p.records = manrs_sav_customer_count(s);
	(void)manrs_provenance_use_mtime(&p);
	if (manrs_provenance_list_add(prov, &p, NULL) != 0)
		return -1;
	irr->prov = prov;
	if (irr->n > 0) {
		if ((db = irr_sources_load(irr, &sink, &err)) == NULL)
			return -1;
		rc = expand_irr(s, db);
		manrs_irrdb_free(db);
		if (rc != 0)
			return -1;
		manrs_sav_finish(s);
	}
	if (manrs_sav_check(s, path, &sink) != 0 ||
	    manrs_sav_check_families(s, flags, path, &sink) != 0)
		return -1;
	note_families(s, flags);
	return 0;
}

int
cmd_sav(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dialect", required_argument, NULL, 'd' },
		{ "no-egress", no_argument, NULL, 'E' },
		{ "no-ingress", no_argument, NULL, 'I' },
		{ "empty-family", required_argument, NULL, 'F' },
		{ "source", required_argument, NULL, 'S' },
		{ "inputs", no_argument, NULL, 'i' },
		{ "stats", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum manrs_sav_dialect d = MANRS_SAV_SUMMARY;
	enum manrs_sav_empty empty = MANRS_SAV_EMPTY_UNSET;
	struct manrs_sav *s = NULL;
	struct irr_sources irr;
	struct manrs_provenance_list prov;
	struct manrs_buf out;
	bool inputs = false;
	unsigned flags = 0;
	const char *why;
	int ch, rc, status = EXIT_FAIL;

	memset(&irr, 0, sizeof(irr));
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (manrs_sav_dialect_parse(optarg, &d) != 0) {
				cli_warnx("sav: unknown dialect '%s'", optarg);
				sav_usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'E':
			flags |= MANRS_SAV_NO_EGRESS;
			break;
		case 'I':
			flags |= MANRS_SAV_NO_INGRESS;
			break;
		case 'F':
			if (manrs_sav_empty_parse(optarg, &empty) != 0) {
				cli_warnx("sav: --empty-family '%s': want drop "
				    "or open", optarg);
				sav_usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			if (irr_sources_add(&irr, optarg, "sav") != 0)
				return EXIT_USAGE;
			break;
		case 'i':
			inputs = true;
			break;
		case 'h':
			sav_usage(stdout);
			return EXIT_OK;
		default:
			cli_warnx("sav: unknown option or missing argument: "
			    "%s", argv[optind - 1]);
			sav_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		sav_usage(stderr);
		return EXIT_USAGE;
	}
	if ((s = manrs_sav_new(NULL)) == NULL) {
		cli_warnx("out of memory");
		return EXIT_FAIL;
	}
	manrs_sav_set_empty_family(s, empty);
	manrs_buf_init(&out, SAV_OUTPUT_MAX);
	manrs_provenance_list_init(&prov);
	rc = load(argv[optind], s, &irr, flags, &prov);
	if (inputs)
		cli_inputs_print(&prov);
	if (rc != 0)
		goto done;
	rc = manrs_sav_render(s, d, flags, &out, &why);
	if (rc != 0) {
		cli_warnx("%s: %s: %s", argv[optind],
		    manrs_sav_dialect_name(d), why != NULL ? why :
		    manrs_strerror(rc));
		goto done;
	}
	if (fwrite(out.p, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		cli_warnx("stdout: %s", strerror(errno));
		goto done;
	}
	status = EXIT_OK;
done:
	manrs_provenance_list_clear(&prov);
	manrs_buf_clear(&out);
	manrs_sav_free(s);
	return status;
}
