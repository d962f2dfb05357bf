/*
 * manrs/asgraph.h - the AS relationship graph (CAIDA as-rel) and the
 * valley-free check that finds route leaks (RFC 7908).
 *
 * Input lines are "A|B|REL[|SOURCE]":
 *   REL -1: A is a provider of B (CAIDA serial-1 and serial-2);
 *   REL  0: A and B are peers;
 *   REL  1: A is a customer of B (files that list every link in both
 *           directions use this for the reverse of -1);
 *   REL  2: siblings (CAIDA's older files).
 * "#" lines are comments.  A link given twice with different types is
 * reported and the first kept.
 *
 * Build with manrs_asgraph_add/read, then manrs_asgraph_finish(); after
 * that the graph is read-only and safe to share between threads.
 */
#ifndef MANRS_ASGRAPH_H
#define MANRS_ASGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/provenance.h>
#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What B is to A. */
enum manrs_asrel {
	MANRS_ASREL_NONE = 0,	/* no known link */
	MANRS_ASREL_CUSTOMER,	/* B is a customer of A */
	MANRS_ASREL_PROVIDER,	/* B is a provider of A */
	MANRS_ASREL_PEER,
	MANRS_ASREL_SIBLING,
};

struct manrs_asgraph;

MANRS_API struct manrs_asgraph *manrs_asgraph_new(int *err);
MANRS_API void	manrs_asgraph_free(struct manrs_asgraph *g);
/* Add one link: rel is what b is to a.  Only before finish. */
MANRS_API
int	manrs_asgraph_add(struct manrs_asgraph *g, uint32_t a, uint32_t b,
	    enum manrs_asrel rel);
/*
 * Read an as-rel file (plain, gzip or bzip2).  Bad lines are reported to
 * sink with file and line and skipped.  Returns 0 or an I/O error.
 */
MANRS_API
int	manrs_asgraph_read(struct manrs_asgraph *g, struct manrs_input *in,
	    struct manrs_diag_sink *sink);
MANRS_API int	manrs_asgraph_load(struct manrs_asgraph *g, const char *path,
	    struct manrs_diag_sink *sink);
/*
 * Provenance of the last file read: links loaded, bad lines skipped, and
 * its data time: the YYYYMMDD its name starts with (CAIDA's
 * "20210901.as-rel2.txt.bz2"), else the newest date of its
 * "# source:topology|BGP|YYYYMMDD|..." header lines, else the mtime of
 * p->path.  p's kind and path are the caller's (manrs_provenance_init).
 */
MANRS_API void	manrs_asgraph_provenance(const struct manrs_asgraph *g,
	    struct manrs_provenance *p);
/* Freeze: build the adjacency arrays.  Returns 0 or MANRS_E_NOMEM. */
MANRS_API int	manrs_asgraph_finish(struct manrs_asgraph *g);

/* What b is to a. */
MANRS_API enum manrs_asrel manrs_asgraph_rel(const struct manrs_asgraph *g,
	    uint32_t a, uint32_t b);
MANRS_API size_t	manrs_asgraph_as_count(const struct manrs_asgraph *g);
MANRS_API size_t	manrs_asgraph_link_count(const struct manrs_asgraph *g);
MANRS_API bool	manrs_asgraph_has(const struct manrs_asgraph *g, uint32_t asn);
/*
 * Neighbours of asn with the given relation (what they are to asn);
 * *out points into the graph (valid until free).  Returns the count.
 */
MANRS_API
size_t	manrs_asgraph_neighbours(const struct manrs_asgraph *g, uint32_t asn,
	    enum manrs_asrel rel, const uint32_t **out);
/*
 * Customer cone of asn (asn itself included): caller frees *out.
 * Returns the size, or a negative error.
 */
MANRS_API
ptrdiff_t manrs_asgraph_cone(const struct manrs_asgraph *g, uint32_t asn,
	    uint32_t **out);

/*
 * Valley-free check of an AS path as seen at a collector: path[0] is the
 * collector's neighbour, path[n-1] the origin.  Consecutive duplicates
 * (prepends) are ignored.  A leak (RFC 7908 type 1, "hairpin turn") is
 * an AS that passed a route learned from a provider or peer on to a
 * provider or peer.
 */
struct manrs_leak {
	size_t		index;		/* position of the leaker in path[] */
	uint32_t	leaker;
	uint32_t	from;		/* whom it learned the route from */
	uint32_t	to;		/* whom it leaked the route to */
	enum manrs_asrel from_rel;	/* what "from" is to the leaker */
	enum manrs_asrel to_rel;	/* what "to" is to the leaker */
};

enum manrs_vf_result {
	MANRS_VF_VALID,		/* valley-free over the known links */
	MANRS_VF_LEAK,		/* a leak was found (see *leak) */
	MANRS_VF_UNKNOWN,	/* a link has no known relationship */
};

MANRS_API
enum manrs_vf_result manrs_asgraph_check_path(const struct manrs_asgraph *g,
	    const uint32_t *path, size_t n, struct manrs_leak *leak);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_ASGRAPH_H */
