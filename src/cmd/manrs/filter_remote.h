/*
 * filter_remote.h - "manrs filter -h host[:port]": a pipelining IRRd
 * client (the queries bgpq4 sends) with connect and answer timeouts.
 */
#ifndef MANRS_FILTER_REMOTE_H
#define MANRS_FILTER_REMOTE_H

#include <stddef.h>

#include <manrs/filter.h>
#include <manrs/irrq.h>

#define IRRQ_TIMEOUT_DEFAULT	30	/* seconds without progress */
#define IRRQ_QUERY_MAX		512	/* bytes of one query line */

struct irrq_conn;

/* Connect to "host", "host:port", "[v6]:port" (default port 43). */
struct irrq_conn *irrq_connect(const char *hostport, int timeout_s);
/*
 * Send n queries (lines without "\n") pipelined and call cb for each
 * answer, in order.  0, or -1 after a message on stderr (timeout, EOF,
 * a malformed answer with its byte offset, cb's non-zero return).
 */
typedef int (*irrq_cb)(size_t i, const struct manrs_irrq_answer *a,
	    void *arg);
int	irrq_pipeline(struct irrq_conn *c, char *const *queries, size_t n,
	    irrq_cb cb, void *arg);
void	irrq_close(struct irrq_conn *c);

/*
 * The filter job's lookup (manrs/filter.h) over a remote IRRd: the
 * job's sets are fetched first (one pipelined batch of "!iSET,1"; -1
 * after a message on stderr), then the engine asks for the origins'
 * routes through the lookup, which sends them as one more batch.  host,
 * sources and the job are borrowed.
 */
struct filter_remote;
struct filter_remote *filter_remote_new(const char *host, int timeout_s,
	    const char *sources, uint8_t af);
int	filter_remote_fetch_sets(struct filter_remote *r,
	    const struct manrs_filter *job);
void	filter_remote_lookup(struct filter_remote *r,
	    struct manrs_filter_lookup *l);
void	filter_remote_free(struct filter_remote *r);

#endif
