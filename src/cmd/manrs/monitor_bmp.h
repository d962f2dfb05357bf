/*
 * monitor_bmp.h - manrs monitor's BMP station on the daemon layer.
 */
#ifndef MANRS_MONITOR_BMP_H
#define MANRS_MONITOR_BMP_H

#include <stdbool.h>

#include <manrs/monitor.h>

#include "daemon.h"

/*
 * Reloading the RPKI data of a live monitor (SIGHUP, every refresh
 * seconds when not 0) and the ROA expiry check each minute.  load may
 * run on a worker thread; apply (compare with the data in use, install
 * it) and minute on the main one.
 */
struct monitor_rpki_ops {
	void	*(*load)(void *arg, int *err);
	void	 (*apply)(void *arg, void *data);
	void	 (*discard)(void *arg, void *data);
	void	 (*minute)(void *arg);
	unsigned refresh;
	void	*arg;
};

/*
 * Serve BMP on o's listeners, feeding m (borrowed) until SIGTERM or
 * SIGINT; /metrics with --metrics.  banner: print "bmp listening on
 * ADDR:PORT" (and the metrics address) on stdout when serving starts,
 * as rtrd does; JSON alerts follow those lines.  0, or -1 (logged).
 */
int	monitor_bmp_run(struct manrs_monitor *m, const struct daemon_opts *o,
	    bool banner, const struct monitor_rpki_ops *rpki);

#endif /* MANRS_MONITOR_BMP_H */
