/*
 * manrs/u32map.h - open-addressing hash map from uint32 keys (ASNs,
 * typically) to uint32 values (indexes into the caller's arrays).
 *
 * Linear probing on a power-of-two table kept at most 70% full; keys are
 * mixed with a multiplicative hash.  No deletion (build once, then read).
 */
#ifndef MANRS_U32MAP_H
#define MANRS_U32MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <manrs/util.h>

#ifdef __cplusplus
extern "C" {
#endif

struct manrs_u32map {
	uint32_t	*keys;
	uint32_t	*vals;
	uint8_t		*used;
	size_t		 cap;	/* power of two, or 0 */
	size_t		 count;
};

MANRS_API void	manrs_u32map_init(struct manrs_u32map *m);
MANRS_API void	manrs_u32map_clear(struct manrs_u32map *m);
/*
 * Insert or replace.  Returns 0, or MANRS_E_NOMEM (the map is unchanged).
 */
MANRS_API
int	manrs_u32map_put(struct manrs_u32map *m, uint32_t key, uint32_t val);
/*
 * Find key; when absent, insert it with value val.  *out gets the value
 * in the map.  Returns 1 when inserted, 0 when found, or MANRS_E_NOMEM.
 */
MANRS_API
int	manrs_u32map_intern(struct manrs_u32map *m, uint32_t key, uint32_t val,
	    uint32_t *out);
MANRS_API bool	manrs_u32map_get(const struct manrs_u32map *m, uint32_t key,
	    uint32_t *val);
/* Bytes held. */
MANRS_API size_t	manrs_u32map_memory(const struct manrs_u32map *m);

#ifdef __cplusplus
}
#endif

#endif /* MANRS_U32MAP_H */
