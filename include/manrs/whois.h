/*
 * manrs/whois.h - IRRd query-language engine (IRRd-style "!" queries and
 * RIPE-style "-" queries) as a bytes-in / bytes-out state machine.
 *
 * No sockets: a daemon (manrs irrd) feeds the bytes a client sent with
 * manrs_whois_input(), runs manrs_whois_step() to answer one complete
 * query line at a time into an output buffer, writes that buffer out and
 * closes the connection once manrs_whois_closing() is true and the
 * output is flushed.  Queries are answered strictly in order, so
 * pipelining is free.
 *
 * Framing of "!" answers (IRRd): "A<n>\n" + n bytes of data + "C\n";
 * "C\n" success without data; "D\n" key not found; "F <message>\n"
 * error.  Without "!!" (multiple-command mode) or "-k" the connection
 * closes after the first answer, as IRRd does.
 */
#ifndef MANRS_WHOIS_H
#define MANRS_WHOIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/irrdb.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_WHOIS_LINE_MAX	(16u * 1024u)	/* bytes per query line */
#define MANRS_WHOIS_ANSWER_MAX	(64u * 1024u * 1024u) /* bytes per answer */
#define MANRS_WHOIS_PENDING_MAX	(256u * 1024u)	/* unprocessed input */
#define MANRS_WHOIS_TIMEOUT_MAX	1000u		/* "!t" seconds (IRRd: 1-1000) */

struct manrs_whois_session;

/* NULL with *err on allocation failure. */
struct manrs_whois_session *manrs_whois_session_new(int *err);
void	manrs_whois_session_free(struct manrs_whois_session *s);
/*
 * Append client bytes.  Returns 0, or MANRS_E_LIMIT when more than
 * MANRS_WHOIS_PENDING_MAX bytes would be pending (the caller should stop
 * reading until step() has consumed some).  A line longer than
 * MANRS_WHOIS_LINE_MAX is answered with an "F" error and the session
 * closes.
 */
int	manrs_whois_input(struct manrs_whois_session *s, const void *p,
	    size_t n);
/*
 * Answer the next complete query line against db, appending the answer
 * to out.  Returns 1 when a line was handled, 0 when no complete line is
 * pending (or the session is closing), MANRS_E_NOMEM.
 */
int	manrs_whois_step(struct manrs_whois_session *s,
	    const struct manrs_irrdb *db, struct manrs_buf *out);
/* Bytes received and not yet answered. */
size_t	manrs_whois_pending(const struct manrs_whois_session *s);
/* True once the connection should close (after flushing output). */
bool	manrs_whois_closing(const struct manrs_whois_session *s);
/* Idle timeout the client asked for with "!t" (0 = server default). */
unsigned manrs_whois_timeout(const struct manrs_whois_session *s);
/* Queries answered so far. */
uint64_t manrs_whois_queries(const struct manrs_whois_session *s);
/* True when the client disabled RPKI filtering ("!fno-rpki-filter"). */
bool	manrs_whois_rpki_filter_off(const struct manrs_whois_session *s);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_WHOIS_H */
