/*
 * fuzz_monitor_config.c - BGPalerter prefixes.yml (manrs monitor's
 * configuration) through manrs_monitor_config_parse().  When it loads,
 * a monitor over it takes a few routes (covering the watched space in
 * both families, announced then withdrawn), so every rule's regexes and
 * monitors run.  Checked: no crash, no leak; a loaded config reports
 * counts consistent with itself.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/monitor.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
sink(void *arg, const struct manrs_monitor_alert *a)
{
	struct manrs_buf *b = arg;

	manrs_buf_reset(b);
	manrs_monitor_alert_json(a, b);
	manrs_monitor_alert_text(a, b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t path[] = { 2, 3, 0, 0, 0x1b, 0x1b, 0, 0, 0xfc,
	    0, 0, 0, 0xfb, 0xf0 };
	static const char *const pfx[] = { "0.0.0.0/0", "192.0.2.0/24",
	    "192.0.2.128/25", "10.0.0.0/8", "::/0", "2001:db8::/32",
	    "2001:db8:1::/48" };
	struct manrs_monitor_config *c;
	struct manrs_monitor_config_stats st;
	struct manrs_monitor_opts o;
	struct manrs_monitor_route r;
	struct manrs_monitor *m;
	struct manrs_buf b;
	const uint32_t *asns;
	size_t i;
	int err, k;

	c = manrs_monitor_config_parse(data, size, "fuzz", NULL, &err);
	if (c == NULL)
		return 0;
	manrs_monitor_config_stats(c, &st);
	if (st.ignored > st.prefixes ||
	    manrs_monitor_config_asns(c, &asns) != st.monitor_asns)
		abort();
	manrs_monitor_opts_init(&o);
	for (k = 0; k < MANRS_MON_NTYPES; k++)
		o.min_peers[k] = 1;
	manrs_buf_init(&b, 0);
	if ((m = manrs_monitor_new(c, &o, sink, &b, &err)) != NULL) {
		for (k = 0; k < 2; k++)
			for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
				memset(&r, 0, sizeof(r));
				r.peer_af = MANRS_AF_INET;
				r.peer_as = 174;
				r.time = (uint64_t)(k * 4000 + 1);
				r.withdraw = k == 1;
				r.aspath = path;
				r.aspath_len = sizeof(path);
				manrs_prefix_parse(manrs_view_cstr(pfx[i]), 0,
				    &r.prefix);
				manrs_monitor_route(m, &r);
			}
		manrs_monitor_tick(m, 10000);
		manrs_monitor_free(m);
	}
	manrs_buf_clear(&b);
	manrs_monitor_config_free(c);
	return 0;
}
