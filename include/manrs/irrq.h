/*
 * manrs/irrq.h - client side of the IRRd query protocol (the "!"
 * commands bgpq4 sends): an incremental decoder of the answers.
 *
 * Answer framing (IRRd 4 documentation, "IRRD-style queries"):
 *   "A<length>\n" <length bytes> "C\n"   data
 *   "C\n"                                success, no data
 *   "D\n"                                key not found
 *   "E\n"                                multiple copies / no data
 *   "F <message>\n"                      error
 * The decoder takes bytes as they arrive (any split) and yields whole
 * answers in order; it never reads past MANRS_IRRQ_DATA_MAX bytes of
 * data or MANRS_IRRQ_LINE_MAX bytes of a status line.
 */
#ifndef MANRS_IRRQ_H
#define MANRS_IRRQ_H

#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MANRS_IRRQ_LINE_MAX	1024		/* a status line */
#define MANRS_IRRQ_DATA_MAX	(256u << 20)	/* one answer's data */

enum manrs_irrq_kind {
	MANRS_IRRQ_DATA = 'A',
	MANRS_IRRQ_OK = 'C',
	MANRS_IRRQ_NOTFOUND = 'D',
	MANRS_IRRQ_NODATA = 'E',
	MANRS_IRRQ_ERROR = 'F',
};

struct manrs_irrq_answer {
	enum manrs_irrq_kind	kind;
	struct manrs_view	data;	/* DATA: the payload; ERROR: message */
};

struct manrs_irrq_dec {
	int			state;
	size_t			need;	/* data bytes still expected */
	uint64_t		offset;	/* bytes consumed so far */
	struct manrs_buf	line;
	struct manrs_buf	data;
	char			err[128];
};

MANRS_API void	manrs_irrq_dec_init(struct manrs_irrq_dec *d);
MANRS_API void	manrs_irrq_dec_free(struct manrs_irrq_dec *d);
/*
 * Feed n bytes; *used gets how many were consumed.  Returns 1 when an
 * answer is complete (in *a, valid until the next call; feed the rest
 * of the bytes again), 0 when more bytes are needed (all consumed), or
 * MANRS_E_SYNTAX / MANRS_E_LIMIT / MANRS_E_NOMEM with a message naming
 * the byte offset in d->err (the decoder is then unusable).
 */
MANRS_API int	manrs_irrq_dec_feed(struct manrs_irrq_dec *d, const uint8_t *p,
	    size_t n, size_t *used, struct manrs_irrq_answer *a);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_IRRQ_H */
