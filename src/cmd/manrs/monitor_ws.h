/*
 * monitor_ws.h - manrs monitor --ris-live URL: a RIS Live websocket
 * client (libwebsockets).
 */
#ifndef MANRS_MONITOR_WS_H
#define MANRS_MONITOR_WS_H

#include <manrs/monitor.h>

#include "monitor_bmp.h"

/*
 * Connect to url (ws:// or wss://), send the RIS Live subscriptions for
 * c, and feed every message to m until SIGTERM or SIGINT; reconnect
 * after a failure or a close, waiting 1 s, then twice as long each time
 * up to 60 s (back to 1 s once a message arrives).  flush is called
 * after each message (alerts out promptly).  rpki (may be NULL): the
 * RPKI data is reloaded on SIGHUP and every rpki->refresh seconds, on
 * this thread.  0, or -1 (reported).
 */
int	monitor_ws_run(struct manrs_monitor *m,
	    const struct manrs_monitor_config *c, const char *url,
	    void (*flush)(void *), void *arg,
	    const struct monitor_rpki_ops *rpki);

#endif /* MANRS_MONITOR_WS_H */
