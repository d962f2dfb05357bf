/*
 * fuzz_monitor_ris.c - RIS Live messages (JSON) through
 * manrs_monitor_ris_message() into a monitor watching 192.0.2.0/24,
 * 2001:db8::/32 and AS 15562 with every monitor at one peer.  Checked:
 * no crash, no leak, the engine's counters stay consistent.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/monitor.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char yml[] =
    "192.0.2.0/24:\n  asn: 15562\n  path:\n    match: \",666,\"\n"
    "2001:db8::/32:\n  asn: [15562, 3333]\n"
    "options:\n  monitorASns:\n    15562:\n      group: x\n";

static void
sink(void *arg, const struct manrs_monitor_alert *a)
{
	struct manrs_buf *b = arg;

	manrs_buf_reset(b);
	manrs_monitor_alert_json(a, b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct manrs_monitor_config *c;
	struct manrs_monitor_opts o;
	struct manrs_monitor_stats st;
	struct manrs_monitor *m;
	struct manrs_buf b;
	int err, k;

	if (c == NULL && (c = manrs_monitor_config_parse(yml, strlen(yml),
	    "fuzz", NULL, &err)) == NULL)
		abort();
	manrs_monitor_opts_init(&o);
	for (k = 0; k < MANRS_MON_NTYPES; k++)
		o.min_peers[k] = 1;
	manrs_buf_init(&b, 0);
	if ((m = manrs_monitor_new(c, &o, sink, &b, &err)) == NULL)
		return 0;
	/* twice: the second pass meets the state the first one left */
	manrs_monitor_ris_message(m, (const char *)data, size);
	manrs_monitor_ris_message(m, (const char *)data, size);
	manrs_monitor_tick(m, 1u << 31);
	manrs_monitor_stats(m, &st);
	if (st.open > st.events || st.resolved > st.alerts)
		abort();
	manrs_monitor_free(m);
	manrs_buf_clear(&b);
	return 0;
}
