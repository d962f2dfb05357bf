/*
 * filter_remote.h - "manrs filter -h host[:port]": a pipelining IRRd
 * client (the queries bgpq4 sends) with connect and answer timeouts.
 */
#ifndef MANRS_FILTER_REMOTE_H
#define MANRS_FILTER_REMOTE_H

#include <stddef.h>

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

#endif
