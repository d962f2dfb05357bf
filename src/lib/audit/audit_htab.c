/*
 * audit_htab.c - fixed-size byte keys -> dense indexes, open addressing.
 *
 * Invariant: n < cap * 3 / 4, so probing always ends at an empty slot.
 * Keys are stored by index; a slot holds the key's hash and index + 1,
 * so a probe touches the key only when the hashes agree.
 */
#include <stdlib.h>
#include <string.h>

#include "audit_int.h"

/*
 * Keys are a few machine words (prefixes, ASNs, ids): mix 8 bytes at a
 * time with a multiply and xor-shift (as in splitmix64); the tail bytes
 * one by one.
 */
static uint32_t
hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

void
htab_init(struct htab *h, size_t ksz)
{
	memset(h, 0, sizeof(*h));
	h->ksz = ksz;
}

void
htab_clear(struct htab *h)
{
	free(h->slot);
	free(h->keys);
	htab_init(h, h->ksz);
}

static size_t
htab_probe(const struct htab *h, const void *key, uint32_t hv)
{
	size_t i = hv & (h->cap - 1);
	uint64_t s;

	while ((s = h->slot[i]) != 0) {
		if ((uint32_t)(s >> 32) == hv && memcmp(h->keys +
		    ((uint32_t)s - 1) * h->ksz, key, h->ksz) == 0)
			break;
		i = (i + 1) & (h->cap - 1);
	}
	return i;
}

static int
rehash(struct htab *h)
{
	size_t nc = h->cap != 0 ? h->cap * 2 : 1024, i, j;
	uint64_t *ns;

	if ((ns = calloc(nc, sizeof(*ns))) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < h->cap; i++) {
		if (h->slot[i] == 0)
			continue;
		j = (h->slot[i] >> 32) & (nc - 1);
		while (ns[j] != 0)
			j = (j + 1) & (nc - 1);
		ns[j] = h->slot[i];
	}
	free(h->slot);
	h->slot = ns;
	h->cap = nc;
	return 0;
}

int64_t
htab_find(const struct htab *h, const void *key)
{
	uint32_t hv;
	size_t i;

	if (h->cap == 0)
		return -1;
	hv = hash_bytes(key, h->ksz);
	i = htab_probe(h, key, hv);
	return h->slot[i] != 0 ? (int64_t)(uint32_t)h->slot[i] - 1 : -1;
}

int64_t
htab_intern(struct htab *h, const void *key, bool *inserted)
{
	uint32_t hv = hash_bytes(key, h->ksz);
	size_t i;

	*inserted = false;
	if (h->cap != 0) {
		i = htab_probe(h, key, hv);
		if (h->slot[i] != 0)
			return (int64_t)(uint32_t)h->slot[i] - 1;
	}
	if (h->n >= UINT32_MAX - 1)
		return -1;
	if ((h->n + 1) * 4 >= h->cap * 3 && rehash(h) != 0)
		return -1;
	if (manrs_grow((void **)&h->keys, &h->keycap, h->n, h->ksz) != 0)
		return -1;
	memcpy(h->keys + h->n * h->ksz, key, h->ksz);
	i = htab_probe(h, key, hv);
	h->slot[i] = (uint64_t)hv << 32 | (uint64_t)(h->n + 1);
	*inserted = true;
	return (int64_t)h->n++;
}

size_t
htab_memory(const struct htab *h)
{
	return h->cap * sizeof(uint64_t) + h->keycap * h->ksz;
}
