/*
 * spoofer_int.h - the test set shared by the readers of the spoofer
 * module (spoofer.c: our CSV; spoofer_caida.c: CAIDA Spoofer sessions).
 * Never installed.
 */
#ifndef MANRS_SPOOFER_INT_H
#define MANRS_SPOOFER_INT_H

#include <manrs/spoofer.h>

struct manrs_spoofer {
	struct manrs_spoof_test	*t;
	size_t			 n, cap;
	uint32_t		*asns;
	size_t			 nasns;
};

/* Append one test: 0, MANRS_E_LIMIT or MANRS_E_NOMEM. */
int	spoofer_add(struct manrs_spoofer *sp,
	    const struct manrs_spoof_test *t);
/* Sort the tests and rebuild the ASN list (end of every read). */
int	spoofer_settle(struct manrs_spoofer *sp);

#endif /* MANRS_SPOOFER_INT_H */
