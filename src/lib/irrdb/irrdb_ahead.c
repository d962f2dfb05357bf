/*
 * irrdb_ahead.c - loading an RPSL dump with the reading on a thread of
 * its own (manrs_irrdb_set_read_ahead): one thread splits the text into
 * objects (lines, continuations, comments: about a third of the load)
 * and hands them over in batches, deep-copied; the caller's thread adds
 * them to the database in the order read.  The reader's diagnostics go
 * with the batch, before the object they came before, so the sink sees
 * what one thread would have shown, in the same order.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/rpsl.h>

#include "irrdb_int.h"

#define AHEAD_OBJS	4096		/* objects per batch */
#define AHEAD_BYTES	(4u << 20)	/* or bytes of text per batch */
#define AHEAD_BATCHES	3		/* read ahead at most */
#define AHEAD_DIAGS	1000		/* kept per batch; more counted */

struct adiag {
	struct manrs_diag	 d;
	size_t			 before;	/* object index in the batch */
	size_t			 file;		/* offset of its file name + 1 */
};

struct batch {
	struct manrs_buf	 bytes;		/* texts, names, values */
	struct manrs_rpsl_obj	*objs;
	size_t			 n, cap;
	struct manrs_rpsl_attr	*attrs;
	size_t			 na, capa;
	struct adiag		*diags;
	size_t			 nd, capd;
	uint64_t		 more_w, more_e;	/* past AHEAD_DIAGS */
	int			 rc;		/* the reader's end: 0 or error */
	bool			 last;
	struct batch		*next;
};

struct ahead {
	struct manrs_rpsl_reader *r;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct batch		*head, *tail;	/* full, in order */
	unsigned		 queued;
	struct batch		*spare;		/* used ones, to fill again */
	bool			 stop;		/* the consumer gave up */
	struct batch		*cur;		/* being filled (reader) */
	int			 err;		/* out of memory (reader) */
};

static void
batch_free(struct batch *b)
{
	if (b == NULL)
		return;
	manrs_buf_clear(&b->bytes);
	free(b->objs);
	free(b->attrs);
	free(b->diags);
	free(b);
}

/* Copy n bytes into the batch: the offset + 1 (0: out of memory). */
static size_t
keep(struct batch *b, const char *p, size_t n)
{
	size_t off = b->bytes.len;

	if (manrs_buf_put(&b->bytes, p, n) != 0)
		return 0;
	return off + 1;
}

/* The reader's sink: the diagnostic goes before the next object. */
static void
ahead_diag(void *arg, const struct manrs_diag *d)
{
	struct ahead *A = arg;
	struct batch *b = A->cur;
	struct adiag *x;

	if (b->nd == AHEAD_DIAGS || manrs_grow((void **)&b->diags, &b->capd,
	    b->nd, sizeof(*b->diags)) != 0) {
		if (d->severity == MANRS_SEV_ERROR)
			b->more_e++;
		else if (d->severity == MANRS_SEV_WARNING)
			b->more_w++;
		return;
	}
	x = &b->diags[b->nd++];
	x->d = *d;
	x->d.file = NULL;
	x->before = b->n;
	x->file = d->file != NULL ? keep(b, d->file, strlen(d->file) + 1) : 0;
}

/* Views of a full batch from offsets (stored as offset + 1) to pointers. */
static void
batch_fix(struct batch *b)
{
	const char *base = (const char *)b->bytes.p;
	size_t i;

#define FIX(v)	((v).p = (v).p == NULL ? NULL : base + \
	    ((uintptr_t)(v).p - 1))
	for (i = 0; i < b->na; i++) {
		FIX(b->attrs[i].name);
		FIX(b->attrs[i].value);
	}
	for (i = 0; i < b->n; i++) {
		FIX(b->objs[i].cls_name);
		FIX(b->objs[i].key);
		FIX(b->objs[i].text);
		b->objs[i].attrs = b->attrs == NULL ? NULL :
		    b->attrs + (uintptr_t)b->objs[i].attrs;
	}
#undef FIX
	for (i = 0; i < b->nd; i++)
		b->diags[i].d.file = b->diags[i].file == 0 ? NULL :
		    base + b->diags[i].file - 1;
}

/* A view kept in the batch, as offset + 1 until batch_fix(). */
static int
keep_view(struct batch *b, struct manrs_view *v)
{
	size_t off;

	if (v->p == NULL)
		return 0;
	if ((off = keep(b, v->p, v->len)) == 0)
		return MANRS_E_NOMEM;
	v->p = (const char *)(uintptr_t)off;
	return 0;
}

static int
batch_add(struct batch *b, const struct manrs_rpsl_obj *o)
{
	struct manrs_rpsl_obj *c;
	size_t i;

	if (manrs_grow((void **)&b->objs, &b->cap, b->n, sizeof(*b->objs)) != 0)
		return MANRS_E_NOMEM;
	c = &b->objs[b->n];
	*c = *o;
	if (keep_view(b, &c->cls_name) != 0 || keep_view(b, &c->key) != 0 ||
	    keep_view(b, &c->text) != 0)
		return MANRS_E_NOMEM;
	c->attrs = (const struct manrs_rpsl_attr *)(uintptr_t)b->na;
	for (i = 0; i < o->nattrs; i++) {
		struct manrs_rpsl_attr *a;

		if (manrs_grow((void **)&b->attrs, &b->capa, b->na,
		    sizeof(*b->attrs)) != 0)
			return MANRS_E_NOMEM;
		a = &b->attrs[b->na++];
		*a = o->attrs[i];
		if (keep_view(b, &a->name) != 0 || keep_view(b, &a->value) != 0)
			return MANRS_E_NOMEM;
	}
	b->n++;
	return 0;
}

/* Hand a full batch over; false when the consumer stopped. */
static bool
push(struct ahead *A, struct batch *b)
{
	bool ok;

	batch_fix(b);
	pthread_mutex_lock(&A->mu);
	while (A->queued >= AHEAD_BATCHES && !A->stop)
		pthread_cond_wait(&A->cv, &A->mu);
	ok = !A->stop;
	if (ok) {
		if (A->tail != NULL)
			A->tail->next = b;
		else
			A->head = b;
		A->tail = b;
		A->queued++;
		pthread_cond_broadcast(&A->cv);
	}
	pthread_mutex_unlock(&A->mu);
	if (!ok)
		batch_free(b);
	return ok;
}

static void *
reader_run(void *arg)
{
	struct ahead *A = arg;
	const struct manrs_rpsl_obj *o;
	struct batch *b;
	int rc;

	for (;;) {
		/* A batch used before, emptied (its memory stays faulted in). */
		pthread_mutex_lock(&A->mu);
		if ((b = A->spare) != NULL)
			A->spare = b->next;
		pthread_mutex_unlock(&A->mu);
		if (b != NULL) {
			manrs_buf_reset(&b->bytes);
			b->n = b->na = b->nd = 0;
			b->more_w = b->more_e = 0;
			b->rc = 0;
			b->last = false;
			b->next = NULL;
		} else if ((b = calloc(1, sizeof(*b))) != NULL)
			manrs_buf_init(&b->bytes, 0);
		else {
			A->err = MANRS_E_NOMEM;
			break;
		}
		A->cur = b;
		while ((rc = manrs_rpsl_reader_next(A->r, &o)) == 1) {
			if (batch_add(b, o) != 0) {
				rc = MANRS_E_NOMEM;
				break;
			}
			if (b->n >= AHEAD_OBJS || b->bytes.len >= AHEAD_BYTES)
				break;
		}
		if (rc != 1) {
			b->rc = rc;
			b->last = true;
		}
		if (!push(A, b) || rc != 1)
			return NULL;
	}
	/* Out of memory for a batch: say so with an empty last one. */
	pthread_mutex_lock(&A->mu);
	A->stop = true;
	pthread_cond_broadcast(&A->cv);
	pthread_mutex_unlock(&A->mu);
	return NULL;
}

static struct batch *
pop(struct ahead *A)
{
	struct batch *b;

	pthread_mutex_lock(&A->mu);
	while (A->head == NULL && !A->stop)
		pthread_cond_wait(&A->cv, &A->mu);
	b = A->head;
	if (b != NULL) {
		A->head = b->next;
		if (A->head == NULL)
			A->tail = NULL;
		A->queued--;
		pthread_cond_broadcast(&A->cv);
	}
	pthread_mutex_unlock(&A->mu);
	return b;
}

static void
flush_diags(struct batch *b, size_t *next, size_t upto,
    struct manrs_diag_sink *sink)
{
	for (; *next < b->nd && b->diags[*next].before <= upto; (*next)++)
		manrs_diag_report(sink, b->diags[*next].d.severity,
		    b->diags[*next].d.file, b->diags[*next].d.line,
		    b->diags[*next].d.offset, "%s", b->diags[*next].d.msg);
}

int
irrdb_load_ahead(struct manrs_irrdb *db, int src, struct manrs_input *in,
    struct manrs_diag_sink *sink)
{
	struct manrs_diag_sink rsink;
	struct ahead A;
	struct batch *b;
	pthread_t tid;
	size_t i, nd;
	int rc = 0, err;
	bool done = false;

	memset(&A, 0, sizeof(A));
	memset(&rsink, 0, sizeof(rsink));
	rsink.fn = ahead_diag;
	rsink.arg = &A;
	if ((A.r = manrs_rpsl_reader_new(in, &rsink, &err)) == NULL)
		return err;
	pthread_mutex_init(&A.mu, NULL);
	pthread_cond_init(&A.cv, NULL);
	if (pthread_create(&tid, NULL, reader_run, &A) != 0) {
		pthread_cond_destroy(&A.cv);
		pthread_mutex_destroy(&A.mu);
		manrs_rpsl_reader_free(A.r);
		return MANRS_E_NOMEM;
	}
	irrdb_read_begin(db);
	while (!done && (b = pop(&A)) != NULL) {
		for (i = 0, nd = 0; i < b->n && rc == 0; i++) {
			flush_diags(b, &nd, i, sink);
			irrdb_see_times(db, &b->objs[i]);
			rc = irrdb_add_object(db, src, &b->objs[i], sink);
		}
		if (rc == 0) {
			flush_diags(b, &nd, SIZE_MAX, sink);
			if (sink != NULL) {
				sink->warnings += b->more_w;
				sink->errors += b->more_e;
			}
		}
		done = b->last || rc != 0;
		if (rc == 0 && b->last)
			rc = b->rc;
		pthread_mutex_lock(&A.mu);
		b->next = A.spare;
		A.spare = b;
		pthread_mutex_unlock(&A.mu);
	}
	/* Stop the reader if it is still going, and wait for it. */
	pthread_mutex_lock(&A.mu);
	A.stop = true;
	pthread_cond_broadcast(&A.cv);
	pthread_mutex_unlock(&A.mu);
	(void)pthread_join(tid, NULL);
	while ((b = A.head) != NULL) {
		A.head = b->next;
		batch_free(b);
	}
	while ((b = A.spare) != NULL) {
		A.spare = b->next;
		batch_free(b);
	}
	if (rc == 0 && !done)
		rc = A.err != 0 ? A.err : MANRS_E_NOMEM;
	db->skipped += manrs_rpsl_reader_skipped(A.r);
	manrs_rpsl_reader_free(A.r);
	pthread_cond_destroy(&A.cv);
	pthread_mutex_destroy(&A.mu);
	return rc;
}
