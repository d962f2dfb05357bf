/*
 * fuzz_view.c - text views, tokenizers and number parsing, and the
 * line splitter of the streaming input (which also sees the bytes as
 * possibly gzip/bzip2 data).  Invariant: tokens lie inside the input.
 */
#include <stdlib.h>

#include <manrs/util.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(struct manrs_view all, struct manrs_view t)
{
	if (t.len != 0 && (t.p < all.p || t.p + t.len > all.p + all.len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_view all = manrs_view_make((const char *)data, size);
	struct manrs_view v, tok, h, t;
	struct manrs_input *in;
	uint64_t u;
	int err, rc, lines = 0;

	v = all;
	while (manrs_view_token(&v, &tok)) {
		inside(all, tok);
		(void)manrs_view_u64(tok, UINT64_MAX, &u);
	}
	v = all;
	while (manrs_view_field(&v, ",:|", false, &tok))
		inside(all, tok);
	manrs_view_split(all, ':', &h, &t);
	inside(all, h);
	inside(all, t);
	inside(all, manrs_view_trim(all));

	if ((in = manrs_input_mem(data, size, "fuzz", &err)) == NULL)
		return 0;
	manrs_input_set_line_max(in, 256);
	while ((rc = manrs_input_line(in, &tok)) != 0 && lines++ < 100000) {
		if (rc < 0 && rc != MANRS_E_LIMIT)
			break;
		if (rc == 1 && tok.len > 256)
			abort();
	}
	manrs_input_close(in);
	return 0;
}
