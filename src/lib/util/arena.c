/*
 * arena.c - bump allocator for bulk data with one lifetime.
 *
 * Blocks are chained; an allocation larger than a quarter block gets a
 * block of its own so that big objects do not waste the current block.
 * The first block is small (ARENA_FIRST_BLOCK) and each next one twice
 * the last, up to the block size asked for: a small load (one object, a
 * fuzz input) costs kilobytes, not megabytes, and a large one still ends
 * up in full-size blocks after a few doublings.
 * Everything is released at once by manrs_arena_free().
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/util.h>

#define ARENA_ALIGN		16
#define ARENA_DEFAULT_BLOCK	(1u << 20)
#define ARENA_FIRST_BLOCK	(16u << 10)

struct block {
	struct block	*next;
	size_t		 size;	/* usable bytes after the header */
	size_t		 used;
	/* data follows, aligned */
};

struct manrs_arena {
	struct block	*head;
	size_t		 block_size;	/* largest regular block */
	size_t		 next_size;	/* the next regular block */
	size_t		 total;
};

#define HDR	((sizeof(struct block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

struct manrs_arena *
manrs_arena_new(size_t block_size)
{
	struct manrs_arena *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->block_size = block_size != 0 ? block_size : ARENA_DEFAULT_BLOCK;
	a->next_size = a->block_size < ARENA_FIRST_BLOCK ? a->block_size :
	    ARENA_FIRST_BLOCK;
	return a;
}

void
manrs_arena_free(struct manrs_arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static struct block *
block_new(struct manrs_arena *a, size_t size)
{
	struct block *b;

	if (size > SIZE_MAX - HDR)
		return NULL;
	if ((b = malloc(HDR + size)) == NULL)
		return NULL;
	b->size = size;
	b->used = 0;
	a->total += HDR + size;
	return b;
}

void *
manrs_arena_alloc(struct manrs_arena *a, size_t n)
{
	struct block *b;
	size_t need;

	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	if (need > a->block_size / 4) {
		/* Oversized: its own block, linked behind the head. */
		if ((b = block_new(a, need)) == NULL)
			return NULL;
		b->used = need;
		if (a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = NULL;
			a->head = b;
		}
		return (char *)b + HDR;
	}
	b = a->head;
	if (b == NULL || b->size - b->used < need) {
		if ((b = block_new(a, need > a->next_size ? need :
		    a->next_size)) == NULL)
			return NULL;
		b->next = a->head;
		a->head = b;
		if (a->next_size < a->block_size)
			a->next_size = a->next_size > a->block_size / 2 ?
			    a->block_size : a->next_size * 2;
	}
	b->used += need;
	return (char *)b + HDR + b->used - need;
}

void *
manrs_arena_zalloc(struct manrs_arena *a, size_t n)
{
	void *p = manrs_arena_alloc(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *
manrs_arena_strndup(struct manrs_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX || (p = manrs_arena_alloc(a, n + 1)) == NULL)
		return NULL;
	if (n != 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

size_t
manrs_arena_size(const struct manrs_arena *a)
{
	return a->total;
}
