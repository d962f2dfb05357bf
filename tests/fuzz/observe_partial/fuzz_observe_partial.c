/*
 * fuzz_observe_partial.c - "manrs observe --merge" partials
 * (audit_partial.c).  The trailer checksum is recomputed when the header
 * allows, so mutations reach the body.  Invariants: a partial that
 * merges into an empty context writes back a partial that merges again
 * and writes the same bytes (the merged form is stable), and the merged
 * context finishes.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/audit.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t
fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Merge p into a fresh context; its partial into out.  0 or error. */
static int
round_trip(const uint8_t *p, size_t len, struct manrs_buf *out, bool fin)
{
	struct manrs_diag_sink sink = { 0 };
	struct manrs_audit *a;
	int rc, err;

	if ((a = manrs_audit_new(NULL, &err)) == NULL)
		return err;
	rc = manrs_audit_partial_merge(a, p, len, "fuzz", &sink);
	if (rc == 0 && out != NULL)
		rc = manrs_audit_partial_write(a, out);
	if (rc == 0 && fin)
		rc = manrs_audit_finish(a);
	manrs_audit_free(a);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_buf b1, b2;
	uint8_t *copy;
	uint64_t blen, sum;
	int i;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (size >= 32) {
		for (blen = 0, i = 0; i < 8; i++)
			blen |= (uint64_t)copy[16 + i] << (8 * i);
		if (blen == size - 32) {
			sum = fnv1a(copy + 24, (size_t)blen);
			for (i = 0; i < 8; i++)
				copy[24 + blen + (size_t)i] =
				    (uint8_t)(sum >> (8 * i));
		}
	}
	manrs_buf_init(&b1, 0);
	manrs_buf_init(&b2, 0);
	/* b1: the merged form; b2 = that merged again; b1 again: equal. */
	if (round_trip(copy, size, &b1, true) == 0) {
		if (round_trip(b1.p, b1.len, &b2, true) != 0)
			abort();
		manrs_buf_reset(&b1);
		if (round_trip(b2.p, b2.len, &b1, false) != 0 ||
		    b1.len != b2.len || memcmp(b1.p, b2.p, b1.len) != 0)
			abort();
	}
	manrs_buf_clear(&b1);
	manrs_buf_clear(&b2);
	free(copy);
	return 0;
}
