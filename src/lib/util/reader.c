/*
 * reader.c - bounded, non-owning big-endian byte reader.
 *
 * Invariant: off <= len always.  Every getter checks the remaining length
 * before touching a byte; the first failure is sticky.  Length-prefixed
 * fields are split off with manrs_reader_sub() and parsed only inside
 * the sub-reader, so a wrong inner length can never read past its field.
 */
#include <string.h>

#include <manrs/util.h>

void
manrs_reader_init(struct manrs_reader *r, const void *p, size_t len,
    uint64_t base)
{
	r->p = p;
	r->len = p != NULL ? len : 0;
	r->off = 0;
	r->base = base;
	r->err = 0;
}

static inline int
need(struct manrs_reader *r, size_t n)
{
	if (r->err != 0)
		return r->err;
	if (r->len - r->off < n) {
		r->err = MANRS_E_SHORT;
		return r->err;
	}
	return 0;
}

int
manrs_reader_u8(struct manrs_reader *r, uint8_t *v)
{
	if (need(r, 1) != 0)
		return r->err;
	*v = r->p[r->off++];
	return 0;
}

int
manrs_reader_u16(struct manrs_reader *r, uint16_t *v)
{
	const uint8_t *q;

	if (need(r, 2) != 0)
		return r->err;
	q = r->p + r->off;
	*v = (uint16_t)(q[0] << 8 | q[1]);
	r->off += 2;
	return 0;
}

int
manrs_reader_u32(struct manrs_reader *r, uint32_t *v)
{
	const uint8_t *q;

	if (need(r, 4) != 0)
		return r->err;
	q = r->p + r->off;
	*v = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
	r->off += 4;
	return 0;
}

int
manrs_reader_u64(struct manrs_reader *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (need(r, 8) != 0)
		return r->err;
	manrs_reader_u32(r, &hi);
	manrs_reader_u32(r, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int
manrs_reader_bytes(struct manrs_reader *r, size_t n, const uint8_t **v)
{
	if (need(r, n) != 0)
		return r->err;
	*v = r->p + r->off;
	r->off += n;
	return 0;
}

int
manrs_reader_copy(struct manrs_reader *r, void *dst, size_t n)
{
	if (need(r, n) != 0)
		return r->err;
	if (n != 0)
		memcpy(dst, r->p + r->off, n);
	r->off += n;
	return 0;
}

int
manrs_reader_skip(struct manrs_reader *r, size_t n)
{
	if (need(r, n) != 0)
		return r->err;
	r->off += n;
	return 0;
}

int
manrs_reader_sub(struct manrs_reader *r, size_t n, struct manrs_reader *sub)
{
	if (need(r, n) != 0) {
		manrs_reader_init(sub, NULL, 0, manrs_reader_pos(r));
		sub->err = r->err;
		return r->err;
	}
	manrs_reader_init(sub, r->p + r->off, n, manrs_reader_pos(r));
	r->off += n;
	return 0;
}

int
manrs_reader_end(const struct manrs_reader *r)
{
	if (r->err != 0)
		return r->err;
	if (r->off != r->len)
		return MANRS_E_TRAILING;
	return 0;
}
