/*
 * mrt_decode.c - decode-only throughput of the MRT library: every route
 * of the files is iterated, its attributes decoded, its AS path merged
 * (RFC 6793) and its origin AS taken; nothing is printed.
 *
 *   mrt_decode FILE...   prints routes, input bytes, seconds and MB/s
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <manrs/mrt.h>

int
main(int argc, char **argv)
{
	static uint8_t path[MANRS_BGP_ASPATH4_MAX];
	struct timespec t0, t1;
	uint64_t routes = 0, bytes = 0, origins = 0;
	double secs;
	int i, err, rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i < argc; i++) {
		struct manrs_mrt_reader *rd;
		struct manrs_mrt_routes *it;
		struct manrs_mrt_route rt;

		if ((rd = manrs_mrt_open(argv[i], NULL, &err)) == NULL) {
			fprintf(stderr, "%s: %s\n", argv[i],
			    manrs_strerror(err));
			return 1;
		}
		if ((it = manrs_mrt_routes_new(rd)) == NULL)
			return 1;
		while ((rc = manrs_mrt_route_next(it, &rt)) > 0) {
			ptrdiff_t n;
			uint32_t asn;

			routes++;
			if (rt.attrs == NULL)
				continue;
			n = manrs_bgp_aspath4(rt.attrs, path);
			if (n > 0 && manrs_bgp_aspath_origin(path, (size_t)n,
			    &asn))
				origins += asn & 1;
		}
		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", argv[i],
			    manrs_strerror(rc));
			return 1;
		}
		manrs_mrt_routes_free(it);
		manrs_mrt_close(rd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");

		if (fp != NULL && fseek(fp, 0, SEEK_END) == 0)
			bytes += (uint64_t)ftell(fp);
		if (fp != NULL)
			fclose(fp);
	}
	printf("decode-only: %llu routes, %llu input bytes, %.3f s, "
	    "%.1f MB/s, %.2f M routes/s (odd origins %llu)\n",
	    (unsigned long long)routes, (unsigned long long)bytes, secs,
	    (double)bytes / 1e6 / secs, (double)routes / 1e6 / secs,
	    (unsigned long long)origins);
	return 0;
}
