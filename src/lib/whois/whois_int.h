/*
 * whois_int.h - private state of a whois session (see whois.c).
 */
#ifndef MANRS_WHOIS_INT_H
#define MANRS_WHOIS_INT_H

#include <manrs/whois.h>

struct manrs_whois_session {
	struct manrs_buf	in;	/* bytes received, not yet answered */
	struct manrs_buf	data;	/* payload of the answer being built */
	struct manrs_irrdb_sel	sel;
	bool			sel_set;	/* else: every source */
	bool			multi;		/* "!!" */
	bool			keep;		/* "-k" */
	bool			closing;
	bool			rpki_off;
	unsigned		timeout;
	uint64_t		queries;
};

/* Internal: not exported from libmanrs. */
#pragma GCC visibility push(hidden)

void	whois_sel(struct manrs_whois_session *s, const struct manrs_irrdb *db,
	    struct manrs_irrdb_sel *sel);
/* Frame s->data as an IRRd answer ("A..C" or "C") into out. */
int	whois_frame(struct manrs_whois_session *s, struct manrs_buf *out);
/* One query without its "!"; one RIPE-style query line. */
int	whois_irrd(struct manrs_whois_session *s, const struct manrs_irrdb *db,
	    struct manrs_view q, struct manrs_buf *out);
int	whois_ripe(struct manrs_whois_session *s, const struct manrs_irrdb *db,
	    struct manrs_view q, struct manrs_buf *out);

#pragma GCC visibility pop

#endif /* MANRS_WHOIS_INT_H */
