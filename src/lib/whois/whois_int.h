/*
 * whois_int.h - private state of a whois session (see whois.c).
 */
#ifndef MANRS_WHOIS_INT_H
#define MANRS_WHOIS_INT_H

#include <pthread.h>

#include <manrs/whois.h>

/* A rendered answer payload shared by the expansion cache and sessions. */
struct whois_blob {
	unsigned	 refs;		/* atomic */
	size_t		 len;
	char		 p[];
};

/* One object of an object answer: points into the database snapshot. */
struct whois_objv {
	const char	*p;
	uint32_t	 len;
	uint8_t		 cls;
};

enum whois_body { BODY_NONE, BODY_BUF, BODY_BLOB, BODY_OBJS };

/*
 * The answer being handed out: head bytes, a body, a tail.  The body is
 * the payload built in a buffer, a shared blob, or objects (text in the
 * snapshot, separated by blank lines, optionally -K key lines only).
 */
struct whois_ans {
	bool			 active;
	struct manrs_buf	 head;
	size_t			 head_off;
	enum whois_body		 kind;
	struct manrs_buf	 buf;
	struct whois_blob	*blob;
	struct whois_objv	*objs;
	size_t			 nobjs, objs_cap;
	bool			 keys_only;
	size_t			 body_off;	/* bytes (buf, blob) */
	size_t			 obj_i, obj_off; /* objects: cursor */
	const char		*tail;
	size_t			 tail_off;
	struct manrs_whois_db	*w;		/* reference while active */
};

struct manrs_whois_session {
	struct manrs_buf	in;	/* bytes received, not yet answered */
	struct manrs_buf	data;	/* payload of the answer being built */
	struct whois_ans	ans;
	struct manrs_whois_db	*w;	/* while preparing */
	struct manrs_irrdb_sel	sel;
	bool			sel_set;	/* else: every source */
	bool			multi;		/* "!!" */
	bool			keep;		/* "-k" */
	bool			closing;
	bool			rpki_off;
	unsigned		timeout;
	uint64_t		queries;
};

struct cache_ent;

struct manrs_whois_db {
	struct manrs_irrdb	*db;
	unsigned		 refs;		/* atomic */
	bool			 borrowed;	/* db not ours (step()) */
	pthread_mutex_t		 mu;
	struct cache_ent	**tab;
	size_t			 nslots;
	struct cache_ent	*lru_head, *lru_tail;	/* head: newest */
	size_t			 max_bytes, bytes, nents;
	uint64_t		 hits, misses;
};

/* Internal: not exported from libmanrs. */
#pragma GCC visibility push(hidden)

void	whois_sel(struct manrs_whois_session *s, const struct manrs_irrdb *db,
	    struct manrs_irrdb_sel *sel);
/* Frame s->data as an IRRd answer ("A..C" or "C") into out. */
int	whois_frame(struct manrs_whois_session *s, struct manrs_buf *out);
/* One query without its "!"; one RIPE-style query line. */
int	whois_irrd(struct manrs_whois_session *s, const struct manrs_irrdb *db,
	    struct manrs_view q, struct manrs_buf *out);
int	whois_ripe(struct manrs_whois_session *s, const struct manrs_irrdb *db,
	    struct manrs_view q, struct manrs_buf *out);
/* Collect an object for an object answer; callback for irrdb finds. */
int	whois_obj_add(struct manrs_whois_session *s,
	    const struct manrs_irrdb_objinfo *o);
/* Bytes of o's -K key lines; appended to b unless b is NULL. */
size_t	whois_key_lines(struct manrs_buf *b, const char *p, size_t len,
	    uint8_t cls);
/* Total body bytes of the collected objects. */
uint64_t whois_objs_len(const struct manrs_whois_session *s);
/* Expansion cache of snapshot w (NULL-safe); blobs are referenced. */
struct whois_blob *whois_cache_get(struct manrs_whois_db *w,
	    const void *key, size_t klen);
void	whois_cache_put(struct manrs_whois_db *w, const void *key,
	    size_t klen, const void *p, size_t len);
void	whois_blob_unref(struct whois_blob *b);
bool	whois_cache_has(struct manrs_whois_db *w, const void *key,
	    size_t klen);
/* The line q (without "!") is an expansion cached in w. */
bool	whois_irrd_cached(struct manrs_whois_session *s,
	    struct manrs_whois_db *w, struct manrs_view q);

#pragma GCC visibility pop

#endif /* MANRS_WHOIS_INT_H */
