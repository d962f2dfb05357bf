/*
 * fuzz_irrq.c - the IRRd answer decoder (manrs filter -h).  The input
 * is fed whole, then again split at every 7th byte: both must give the
 * same answers (kinds and data) and the same final result.
 * Invariants: data of an A answer never exceeds the declared length,
 * the decoder consumes what it says, errors name a byte offset.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/irrq.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXANS 256

struct run {
	int	kinds[MAXANS];
	size_t	lens[MAXANS];
	int	n;
	int	rc;
};

static void
decode(const uint8_t *data, size_t size, size_t step, struct run *r)
{
	struct manrs_irrq_dec d;
	size_t off = 0;

	manrs_irrq_dec_init(&d);
	memset(r, 0, sizeof(*r));
	while (off < size) {
		size_t end = off + step < size ? off + step : size;

		while (off < end) {
			struct manrs_irrq_answer a;
			size_t used = 0;
			int rc = manrs_irrq_dec_feed(&d, data + off, end - off,
			    &used, &a);

			if (used > end - off)
				abort();
			off += used;
			if (rc < 0) {
				if (strstr(d.err, "at byte") == NULL)
					abort();
				r->rc = rc;
				manrs_irrq_dec_free(&d);
				return;
			}
			if (rc == 1) {
				if (r->n < MAXANS) {
					r->kinds[r->n] = a.kind;
					r->lens[r->n] = a.data.len;
				}
				r->n++;
			} else if (used != end - (off - used))
				abort();	/* 0: all consumed */
			if (rc == 0)
				break;
		}
	}
	manrs_irrq_dec_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run a, b;

	decode(data, size, size > 0 ? size : 1, &a);
	decode(data, size, 7, &b);
	if (a.rc != b.rc)
		abort();
	if (a.rc == 0 && (a.n != b.n || memcmp(a.kinds, b.kinds,
	    sizeof(a.kinds)) != 0 || memcmp(a.lens, b.lens,
	    sizeof(a.lens)) != 0))
		abort();
	return 0;
}
