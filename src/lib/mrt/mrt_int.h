/*
 * mrt_int.h - private helpers shared by the mrt module's files.
 */
#ifndef MANRS_MRT_INT_H
#define MANRS_MRT_INT_H

#include <stdint.h>

#include <manrs/mrt.h>

/* Big-endian loads from bytes whose presence the caller has checked. */
static inline uint16_t
mrt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
mrt_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void	mrt_report(struct manrs_mrt_reader *rd, enum manrs_severity sev,
	    uint64_t off, const char *msg, const char *detail);
/* Count a skipped record and report why, with its offset. */
void	mrt_skip_report(struct manrs_mrt_reader *rd,
	    const struct manrs_mrt_record *rec, const char *why);

#endif /* MANRS_MRT_INT_H */
