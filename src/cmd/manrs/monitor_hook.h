/*
 * monitor_hook.h - manrs monitor --webhook: alerts POSTed by a sender
 * thread (libcurl) from a bounded queue, so a slow or dead receiver
 * never holds up the monitor; what does not fit is dropped and counted.
 */
#ifndef MANRS_MONITOR_HOOK_H
#define MANRS_MONITOR_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#define MONITOR_HOOK_QUEUE	1024	/* alerts waiting, default */
#define MONITOR_HOOK_TIMEOUT	10	/* seconds per POST */

struct monitor_hook;

struct monitor_hook_stats {
	uint64_t	sent;		/* 2xx answers */
	uint64_t	failed;		/* no answer, or not 2xx */
	uint64_t	dropped;	/* queue full */
	uint64_t	queued;		/* waiting now */
};

/*
 * A sender for url (http:// or https://); slack: the body is Slack's
 * {"text": TEXT}, else the alert's JSON.  qmax alerts may wait.  NULL
 * on failure (reported).
 */
struct monitor_hook *monitor_hook_new(const char *url, bool slack,
	    size_t qmax);
/* Queue one alert (json: its JSON, text: its text form); never blocks. */
void	monitor_hook_alert(struct monitor_hook *h, const char *json,
	    size_t jlen, const char *text, size_t tlen);
void	monitor_hook_stats(struct monitor_hook *h,
	    struct monitor_hook_stats *st);
/* Prometheus lines for /metrics (the hook in use, if any). */
void	monitor_hook_metrics(struct manrs_buf *b);
/*
 * Send what is queued (waiting at most drain seconds in all), stop the
 * thread, free; st (may be NULL) gets the final counts.  NULL is fine.
 */
void	monitor_hook_free(struct monitor_hook *h, unsigned drain,
	    struct monitor_hook_stats *st);

#endif /* MANRS_MONITOR_HOOK_H */
