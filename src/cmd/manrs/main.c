/*
 * main.c - the manrs command: table-driven dispatch to subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "manrs_config.h"

static const struct cli_cmd commands[] = {
	{ "audit", cmd_audit,
	    "MANRS conformance report of an AS: verdicts, evidence, fixes" },
	{ "observe", cmd_observe,
	    "MANRS metrics of every AS in the data (CSV or JSON)" },
	{ "example", cmd_example,
	    "write the bundled example world (data for the demo)" },
	{ "prefix", cmd_prefix,
	    "prefix utilities: aggregate, bogon, canonical form" },
	{ "sav", cmd_sav,
	    "source address validation configs: uRPF + ingress/egress filters" },
	{ "spoof-probe", cmd_spoof_probe,
	    "send spoofed-source probes to a receiver: is SAV working?" },
	{ "irrd", cmd_irrd,
	    "IRRd-compatible whois server over local IRR dumps (bgpq4/bgpq3)" },
	{ "mrt", cmd_mrt,
	    "MRT archives as bgpdump-compatible lines or JSON" },
	{ "validate", cmd_validate,
	    "RPKI route origin (RFC 6811) and ASPA path validation" },
	{ "filter", cmd_filter,
	    "bgpq4-compatible filters from the local IRR, with MANRS gates" },
	{ "sync", cmd_sync,
	    "fetch current public data (RIS, RouteViews, RPKI, IRR ...) safely" },
	{ "rtrd", cmd_rtrd,
	    "RTR cache (RFC 6810/8210/8210bis) serving VRPs, keys and ASPA" },
	{ "check-config", cmd_check_config,
	    "is this router configured the MANRS way? (FRR, BIRD, OpenBGPD, Junos)" },
	{ "db", cmd_db,
	    "compiled IRR snapshots for --db: build once, map instantly" },
	{ "monitor", cmd_monitor,
	    "alerts for your prefixes and ASes (BGPalerter prefixes.yml)" },
	{ NULL, NULL, NULL },
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "manrs %s - routing security (MANRS) toolkit for network "
	    "operators\n\n"
	    "usage: manrs COMMAND [ARGS]    (manrs COMMAND --help for "
	    "details)\n\ncommands:\n", MANRS_VERSION);
	cli_list(fp, "manrs", commands);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("manrs %s\n", MANRS_VERSION);
		return EXIT_OK;
	}
	if (cli_is_help(argv[1]) && argc == 2) {
		usage(stdout);
		return EXIT_OK;
	}
	return cli_dispatch("manrs", commands, argc - 1, argv + 1);
}
