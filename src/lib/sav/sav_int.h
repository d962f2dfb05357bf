/*
 * sav_int.h - private to the sav module: the parsed customer file.
 */
#ifndef MANRS_SAV_INT_H
#define MANRS_SAV_INT_H

#include <manrs/sav.h>

#define SAV_SET_NAME_MAX	128	/* AS-SET name, bytes */

struct manrs_sav {
	uint32_t			 operator_asn;
	struct manrs_prefix		*own;
	size_t				 nown;
	char				**uplinks;
	size_t				 nuplinks;
	struct manrs_sav_customer	*cust;
	size_t				 ncust;
	size_t				 capcust;
	uint32_t			*names;	/* hash of names: index + 1 */
	enum manrs_sav_empty		 empty;	/* default; egress filter */
};

/* Open-addressing hash of customer strings: SAV_HASH_SLOTS > 2 x max. */
#define SAV_HASH_SLOTS	(2u * MANRS_SAV_CUSTOMERS_MAX)

uint32_t sav_hash(const char *s, size_t len);

/* Grow *v (elements of size sz) to hold n+1; 0 or MANRS_E_NOMEM. */
int	sav_grow(void *vp, size_t n, size_t sz);

#endif /* MANRS_SAV_INT_H */
