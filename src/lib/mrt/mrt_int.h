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

/* Text pieces shared by the one-line and multi-line printers. */
struct mrt_attr_text {
	const char	*aspath;
	size_t		 aspath_len;
	const char	*comm;		/* "a:b c:d", no leading space */
	size_t		 comm_len;
	const char	*lcomm;
	size_t		 lcomm_len;
};

size_t	mrt_fmt_ip4(char *d, const uint8_t a[4]);
/* bgpdump's time2str(): "MM/DD/YY HH:MM:SS" (UTC); NUL-terminated. */
size_t	mrt_time2str(char *d, uint32_t ts);
/* Text valid until the printer's next use. */
int	mrt_attr_text(struct manrs_mrt_printer *p,
	    const struct manrs_bgp_attrs *a, struct mrt_attr_text *t);

/* PEER_INDEX_TABLEs decoded so far (a route's peer_table). */
uint32_t	mrt_peer_tables(const struct manrs_mrt_reader *rd);

#endif /* MANRS_MRT_INT_H */
