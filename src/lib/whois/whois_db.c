/*
 * whois_db.c - a reference-counted database snapshot for the whois
 * engine, with a bounded cache of set-expansion answers.
 *
 * Sessions and worker threads take a reference on the snapshot they
 * read; a reload installs a new snapshot and drops the server's
 * reference, and the old database is freed by whoever drops the last
 * one.  The cache maps (selected sources, query text) to the rendered
 * payload of the answer, shared by reference with the sessions sending
 * it; least recently used entries go when it is over its byte budget.
 * The database is immutable, so a cached answer is exact for the life
 * of the snapshot.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/whois.h>

#include "whois_int.h"

#define CACHE_SLOTS	4096u	/* hash chains */

struct cache_ent {
	struct cache_ent	*chain;		/* same slot */
	struct cache_ent	*prev, *next;	/* LRU list */
	uint64_t		 hash;
	struct whois_blob	*blob;
	size_t			 klen;
	unsigned char		 key[];
};

struct manrs_whois_db *
manrs_whois_db_new(struct manrs_irrdb *db, size_t cache_bytes, int *err)
{
	struct manrs_whois_db *w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	if (cache_bytes > 0 &&
	    (w->tab = calloc(CACHE_SLOTS, sizeof(*w->tab))) == NULL) {
		free(w);
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	if (pthread_mutex_init(&w->mu, NULL) != 0) {
		free(w->tab);
		free(w);
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	w->nslots = cache_bytes > 0 ? CACHE_SLOTS : 0;
	w->max_bytes = cache_bytes;
	w->db = db;
	w->refs = 1;
	*err = 0;
	return w;
}

struct manrs_whois_db *
manrs_whois_db_ref(struct manrs_whois_db *w)
{
	__atomic_add_fetch(&w->refs, 1, __ATOMIC_RELAXED);
	return w;
}

void
whois_blob_unref(struct whois_blob *b)
{
	if (b != NULL && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) ==
	    0)
		free(b);
}

void
manrs_whois_db_unref(struct manrs_whois_db *w)
{
	struct cache_ent *e, *n;

	if (w == NULL ||
	    __atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (w->borrowed)
		return;		/* manrs_whois_step()'s stack snapshot */
	for (e = w->lru_head; e != NULL; e = n) {
		n = e->next;
		whois_blob_unref(e->blob);
		free(e);
	}
	free(w->tab);
	pthread_mutex_destroy(&w->mu);
	manrs_irrdb_free(w->db);
	free(w);
}

const struct manrs_irrdb *
manrs_whois_db_irrdb(const struct manrs_whois_db *w)
{
	return w->db;
}

void
manrs_whois_db_stats(struct manrs_whois_db *w, struct manrs_whois_db_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (w->nslots == 0)
		return;
	pthread_mutex_lock(&w->mu);
	st->cache_hits = w->hits;
	st->cache_misses = w->misses;
	st->cache_entries = w->nents;
	st->cache_bytes = w->bytes;
	pthread_mutex_unlock(&w->mu);
}

static uint64_t
hash_key(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */

	while (n-- > 0)
		h = (h ^ *p++) * 1099511628211ull;
	return h;
}

static void
lru_unlink(struct manrs_whois_db *w, struct cache_ent *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		w->lru_head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		w->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct manrs_whois_db *w, struct cache_ent *e)
{
	e->prev = NULL;
	e->next = w->lru_head;
	if (w->lru_head != NULL)
		w->lru_head->prev = e;
	w->lru_head = e;
	if (w->lru_tail == NULL)
		w->lru_tail = e;
}

static size_t
ent_bytes(const struct cache_ent *e)
{
	return sizeof(*e) + e->klen + sizeof(*e->blob) + e->blob->len;
}

static struct cache_ent **
find(struct manrs_whois_db *w, const void *key, size_t klen, uint64_t h)
{
	struct cache_ent **pp = &w->tab[h % w->nslots];

	for (; *pp != NULL; pp = &(*pp)->chain)
		if ((*pp)->hash == h && (*pp)->klen == klen &&
		    memcmp((*pp)->key, key, klen) == 0)
			break;
	return pp;
}

struct whois_blob *
whois_cache_get(struct manrs_whois_db *w, const void *key, size_t klen)
{
	struct cache_ent *e;
	struct whois_blob *b = NULL;
	uint64_t h;

	if (w == NULL || w->nslots == 0)
		return NULL;
	h = hash_key(key, klen);
	pthread_mutex_lock(&w->mu);
	if ((e = *find(w, key, klen, h)) != NULL) {
		lru_unlink(w, e);
		lru_push(w, e);
		b = e->blob;
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
		w->hits++;
	} else {
		w->misses++;
	}
	pthread_mutex_unlock(&w->mu);
	return b;
}

bool
whois_cache_has(struct manrs_whois_db *w, const void *key, size_t klen)
{
	bool has;

	if (w == NULL || w->nslots == 0)
		return false;
	pthread_mutex_lock(&w->mu);
	has = *find(w, key, klen, hash_key(key, klen)) != NULL;
	pthread_mutex_unlock(&w->mu);
	return has;
}

static void
evict(struct manrs_whois_db *w, struct cache_ent *e)
{
	struct cache_ent **pp = find(w, e->key, e->klen, e->hash);

	*pp = e->chain;
	lru_unlink(w, e);
	w->bytes -= ent_bytes(e);
	w->nents--;
	whois_blob_unref(e->blob);
	free(e);
}

void
whois_cache_put(struct manrs_whois_db *w, const void *key, size_t klen,
    const void *p, size_t len)
{
	struct cache_ent *e, **pp;
	struct whois_blob *b;
	uint64_t h;

	/* One answer may take at most a quarter of the cache. */
	if (w == NULL || w->nslots == 0 || len > w->max_bytes / 4)
		return;
	if ((b = malloc(sizeof(*b) + len)) == NULL)
		return;
	if ((e = calloc(1, sizeof(*e) + klen)) == NULL) {
		free(b);
		return;
	}
	b->refs = 1;
	b->len = len;
	if (len > 0)
		memcpy(b->p, p, len);
	e->blob = b;
	e->klen = klen;
	memcpy(e->key, key, klen);
	e->hash = h = hash_key(key, klen);
	pthread_mutex_lock(&w->mu);
	if (*(pp = find(w, key, klen, h)) != NULL) {
		pthread_mutex_unlock(&w->mu);	/* another thread won */
		whois_blob_unref(b);
		free(e);
		return;
	}
	*pp = e;
	lru_push(w, e);
	w->bytes += ent_bytes(e);
	w->nents++;
	while (w->bytes > w->max_bytes && w->lru_tail != NULL &&
	    w->lru_tail != e)
		evict(w, w->lru_tail);
	pthread_mutex_unlock(&w->mu);
}
