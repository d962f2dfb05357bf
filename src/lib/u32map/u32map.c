/*
 * u32map.c - open-addressing uint32 -> uint32 hash map.
 *
 * Invariant: count < cap * 7 / 10 whenever cap != 0, so a probe always
 * reaches an empty slot.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/u32map.h>
#include <manrs/util.h>

static inline size_t
slot_of(uint32_t key, size_t cap)
{
	/* Fibonacci hashing: the high bits of key * 2^32/phi. */
	return (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ULL) >> 32) &
	    (cap - 1);
}

void
manrs_u32map_init(struct manrs_u32map *m)
{
	memset(m, 0, sizeof(*m));
}

void
manrs_u32map_clear(struct manrs_u32map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	manrs_u32map_init(m);
}

static size_t
u32map_probe(const struct manrs_u32map *m, uint32_t key)
{
	size_t i = slot_of(key, m->cap);

	while (m->used[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int
grow(struct manrs_u32map *m)
{
	struct manrs_u32map n;
	size_t i, j;

	n.cap = m->cap != 0 ? m->cap * 2 : 64;
	n.count = m->count;
	n.keys = malloc(n.cap * sizeof(*n.keys));
	n.vals = malloc(n.cap * sizeof(*n.vals));
	n.used = calloc(n.cap, 1);
	if (n.keys == NULL || n.vals == NULL || n.used == NULL) {
		free(n.keys);
		free(n.vals);
		free(n.used);
		return MANRS_E_NOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		if (!m->used[i])
			continue;
		j = u32map_probe(&n, m->keys[i]);
		n.used[j] = 1;
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	free(m->used);
	*m = n;
	return 0;
}

int
manrs_u32map_intern(struct manrs_u32map *m, uint32_t key, uint32_t val,
    uint32_t *out)
{
	size_t i;

	if (m->cap != 0) {
		i = u32map_probe(m, key);
		if (m->used[i]) {
			*out = m->vals[i];
			return 0;
		}
	}
	if ((m->count + 1) * 10 >= m->cap * 7 && grow(m) != 0)
		return MANRS_E_NOMEM;
	i = u32map_probe(m, key);
	m->used[i] = 1;
	m->keys[i] = key;
	m->vals[i] = val;
	m->count++;
	*out = val;
	return 1;
}

int
manrs_u32map_put(struct manrs_u32map *m, uint32_t key, uint32_t val)
{
	uint32_t cur;
	int rc;

	if ((rc = manrs_u32map_intern(m, key, val, &cur)) < 0)
		return rc;
	if (rc == 0)
		m->vals[u32map_probe(m, key)] = val;
	return 0;
}

bool
manrs_u32map_get(const struct manrs_u32map *m, uint32_t key, uint32_t *val)
{
	size_t i;

	if (m->cap == 0)
		return false;
	i = u32map_probe(m, key);
	if (!m->used[i])
		return false;
	if (val != NULL)
		*val = m->vals[i];
	return true;
}

size_t
manrs_u32map_memory(const struct manrs_u32map *m)
{
	return m->cap * (2 * sizeof(uint32_t) + 1);
}
