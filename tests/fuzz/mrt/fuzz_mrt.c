/*
 * fuzz_mrt.c - MRT records end to end: reader, record views, route
 * iterator, every output format (bgpdump -m with -l -u, -M, -H, JSON)
 * and the RIB view.
 * Invariants checked: no crash, no out-of-bounds read (ASan), and every
 * "-m" line ends in a newline.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/mrt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count_cb(void *arg, const struct manrs_rib_route *r)
{
	size_t *n = arg;

	if (r->aspath_len > MANRS_BGP_ASPATH4_MAX)
		abort();
	(*n)++;
	return 0;
}

/*
 * One pass over the routes feeds every printer and the RIB view (each is
 * independent of the others, so this checks what one pass per consumer
 * would, at a third of the parsing and buffer set-up per input).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct manrs_mrt_print_opts opts[] = {
		{ .fmt = MANRS_MRT_FMT_M, .large = true, .unknown = true,
		    .packet_index = true },
		{ .fmt = MANRS_MRT_FMT_MM, .time_change = true },
		{ .fmt = MANRS_MRT_FMT_JSON },
	};
#define NPR	(sizeof(opts) / sizeof(opts[0]))
	struct manrs_diag_sink diag = { NULL, NULL, 0, 0, 0 };
	size_t i;

	{
		struct manrs_mrt_printer *pr[NPR];
		struct manrs_input *in;
		struct manrs_mrt_reader *rd;
		struct manrs_mrt_routes *it;
		struct manrs_mrt_rib_view *v;
		struct manrs_mrt_route rt;
		struct manrs_buf b;
		size_t a = 0, b2, c, d;
		bool pr_ok = true, v_ok;
		int err;

		if ((in = manrs_input_mem(data, size, "fuzz", &err)) == NULL)
			return 0;
		if ((rd = manrs_mrt_open_input(in, &diag, &err)) == NULL)
			return 0;
		it = manrs_mrt_routes_new(rd);
		for (i = 0; i < NPR; i++)
			pr_ok &= (pr[i] = manrs_mrt_printer_new(&opts[i])) !=
			    NULL;
		v = manrs_mrt_rib_view_new(&err);
		v_ok = v != NULL;
		manrs_buf_init(&b, 0);
		while (it != NULL && (pr_ok || v_ok) &&
		    manrs_mrt_route_next(it, &rt) > 0) {
			struct manrs_prefix px;

			for (i = 0; pr_ok && i < NPR; i++) {
				manrs_buf_reset(&b);
				if (manrs_mrt_printer_route(pr[i], &b,
				    &rt) == 0 && b.len > 0 &&
				    b.p[b.len - 1] != '\n')
					abort();
			}
			if (!v_ok)
				continue;
			/* the RIB view built from the same routes, queried */
			if (manrs_mrt_rib_view_apply(v, &rt) != 0) {
				v_ok = false;
				continue;
			}
			if (rt.kind == MANRS_MRT_ROUTE_STATE)
				continue;
			manrs_bgp_nlri_prefix(&rt.nlri, &px);
			manrs_mrt_rib_view_prefix(v, &px, count_cb, &a);
			manrs_mrt_rib_view_origin(v, rt.peer_as, count_cb, &a);
		}
		if (v != NULL)
			manrs_mrt_rib_view_stats(v, &a, &b2, &c, &d);
		manrs_buf_clear(&b);
		for (i = 0; i < NPR; i++)
			manrs_mrt_printer_free(pr[i]);
		manrs_mrt_rib_view_free(v);
		manrs_mrt_routes_free(it);
		manrs_mrt_close(rd);
	}
	/* bgpdump -H: one block per record */
	{
		static const struct manrs_mrt_print_opts h = {
		    .fmt = MANRS_MRT_FMT_M };
		struct manrs_input *in;
		struct manrs_mrt_reader *rd;
		struct manrs_mrt_printer *pr;
		struct manrs_mrt_record rec;
		struct manrs_buf b;
		int err;

		if ((in = manrs_input_mem(data, size, "fuzz", &err)) == NULL)
			return 0;
		if ((rd = manrs_mrt_open_input(in, &diag, &err)) == NULL)
			return 0;
		pr = manrs_mrt_printer_new(&h);
		manrs_buf_init(&b, 0);
		while (pr != NULL && manrs_mrt_next(rd, &rec) > 0) {
			manrs_buf_reset(&b);
			manrs_mrt_printer_record(pr, &b, rd, &rec);
		}
		manrs_buf_clear(&b);
		manrs_mrt_printer_free(pr);
		manrs_mrt_close(rd);
	}
	return 0;
}
