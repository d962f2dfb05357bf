/*
 * monitor_bmp.h - manrs monitor's BMP station on the daemon layer.
 */
#ifndef MANRS_MONITOR_BMP_H
#define MANRS_MONITOR_BMP_H

#include <stdbool.h>

#include <manrs/monitor.h>

#include "daemon.h"

/*
 * Serve BMP on o's listeners, feeding m (borrowed) until SIGTERM or
 * SIGINT; /metrics with --metrics.  banner: print "bmp listening on
 * ADDR:PORT" (and the metrics address) on stdout when serving starts,
 * as rtrd does; JSON alerts follow those lines.  0, or -1 (logged).
 */
int	monitor_bmp_run(struct manrs_monitor *m, const struct daemon_opts *o,
	    bool banner);

#endif /* MANRS_MONITOR_BMP_H */
