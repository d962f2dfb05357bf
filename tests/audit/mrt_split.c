/*
 * mrt_split - split an MRT updates file in two with the project's own
 * writer (src/lib/mrt/mrt_write.c), for the scale-out tests of
 * "manrs observe --partial/--merge":
 *
 *   mrt_split peer IN A B    peers with an even hash to A, odd to B
 *                            (two collectors seeing disjoint peers)
 *   mrt_split time IN A B    records before the middle second to A,
 *                            the rest to B
 *
 * BGP4MP messages with four-octet ASNs and state changes are rewritten
 * (as BGP4MP_ET, same second); anything else is an error (exit 2), so a
 * test never compares shards that lost data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/mrt.h>

static int
usage(void)
{
	fputs("usage: mrt_split peer|time IN A B\n", stderr);
	return 2;
}

static unsigned
peer_hash(const struct manrs_mrt_bgp4mp *m)
{
	unsigned h = m->peer_as * 2654435761u;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ m->peer_addr[i]) * 16777619u;
	return h >> 7;
}

int
main(int argc, char **argv)
{
	struct manrs_mrt_writer *w[2];
	struct manrs_mrt_reader *rd;
	struct manrs_mrt_record rec;
	struct manrs_mrt_bgp4mp m;
	uint32_t lo = UINT32_MAX, hi = 0, mid;
	FILE *fp[2];
	bool bypeer;
	int rc, err, i, side;
	uint64_t nrec[2] = { 0, 0 };

	if (argc != 5 || (strcmp(argv[1], "peer") != 0 &&
	    strcmp(argv[1], "time") != 0))
		return usage();
	bypeer = strcmp(argv[1], "peer") == 0;
	if ((rd = manrs_mrt_open(argv[2], NULL, &err)) == NULL) {
		fprintf(stderr, "mrt_split: %s: %s\n", argv[2],
		    manrs_strerror(err));
		return 1;
	}
	while ((rc = manrs_mrt_next(rd, &rec)) == 1) {
		if (rec.ts < lo)
			lo = rec.ts;
		if (rec.ts > hi)
			hi = rec.ts;
	}
	manrs_mrt_close(rd);
	mid = lo + (hi - lo) / 2;
	if ((rd = manrs_mrt_open(argv[2], NULL, &err)) == NULL)
		return 1;
	for (i = 0; i < 2; i++) {
		if ((fp[i] = fopen(argv[3 + i], "wb")) == NULL ||
		    (w[i] = manrs_mrt_writer_new(fp[i], &err)) == NULL) {
			perror(argv[3 + i]);
			return 1;
		}
	}
	while ((rc = manrs_mrt_next(rd, &rec)) == 1) {
		if ((rec.type != MANRS_MRT_BGP4MP &&
		    rec.type != MANRS_MRT_BGP4MP_ET) ||
		    manrs_mrt_bgp4mp_decode(&rec, &m) != 0 ||
		    (!m.state_change && m.asn_size != 4) || m.addpath) {
			fprintf(stderr, "mrt_split: %s: record at offset %llu "
			    "is not a four-octet BGP4MP message or state "
			    "change\n", argv[2],
			    (unsigned long long)rec.offset);
			return 2;
		}
		side = bypeer ? (int)(peer_hash(&m) & 1) : rec.ts > mid;
		if (m.state_change)
			rc = manrs_mrt_write_state(w[side], rec.ts, 0,
			    m.peer_as, m.local_as, m.afi == 2 ?
			    MANRS_AF_INET6 : MANRS_AF_INET, m.peer_addr,
			    m.local_addr, m.old_state, m.new_state);
		else
			rc = manrs_mrt_write_message(w[side], rec.ts, 0,
			    m.local, m.peer_as, m.local_as, m.afi == 2 ?
			    MANRS_AF_INET6 : MANRS_AF_INET, m.peer_addr,
			    m.local_addr, m.msg, m.msg_len);
		if (rc != 0) {
			fprintf(stderr, "mrt_split: write: %s\n",
			    manrs_strerror(rc));
			return 1;
		}
		nrec[side]++;
	}
	manrs_mrt_close(rd);
	if (rc < 0) {
		fprintf(stderr, "mrt_split: %s: %s\n", argv[2],
		    manrs_strerror(rc));
		return 1;
	}
	for (i = 0; i < 2; i++)
		if (manrs_mrt_writer_free(w[i]) != 0 || fclose(fp[i]) != 0) {
			perror(argv[3 + i]);
			return 1;
		}
	printf("%llu %llu\n", (unsigned long long)nrec[0],
	    (unsigned long long)nrec[1]);
	return 0;
}
