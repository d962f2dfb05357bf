/*
 * peeringdb.c - streaming reader for PeeringDB API JSON (net, poc,
 * netixlan), with yajl: no document tree is ever built.
 *
 * Records are the objects inside the top-level "data" array (or inside a
 * top-level array).  Scalars directly in a record are captured by key;
 * "poc_set" arrays inside a record give pocs of that record's net.  At
 * the end of a record its kind is decided from the fields it had.
 * All strings live in one arena; arrays are sorted after each file so
 * lookups are binary searches.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include <manrs/peeringdb.h>
#include <manrs/spoofer.h>

#define PDB_DEPTH_MAX	64
#define PDB_CHUNK	(64u * 1024u)

enum field {
	F_ID, F_ASN, F_NAME, F_IRR_AS_SET, F_POLICY_GENERAL, F_POLICY_URL,
	F_INFO_TYPE, F_PFX4, F_PFX6, F_UPDATED, F_NET_ID, F_ROLE, F_EMAIL,
	F_PHONE, F_VISIBLE, F_IX_ID, F_IP4, F_IP6, F_IS_RS_PEER, F_NFIELDS,
	F_NONE = -1
};

static const char *const field_names[F_NFIELDS] = {
	"id", "asn", "name", "irr_as_set", "policy_general", "policy_url",
	"info_type", "info_prefixes4", "info_prefixes6", "updated", "net_id",
	"role", "email", "phone", "visible", "ix_id", "ipaddr4", "ipaddr6",
	"is_rs_peer",
};

struct rec {
	bool		 have[F_NFIELDS];
	uint64_t	 num[F_NFIELDS];
	const char	*str[F_NFIELDS];
};

struct manrs_peeringdb {
	struct manrs_arena		*arena;
	struct manrs_pdb_net		*nets;
	size_t				 nnets, capnets;
	struct manrs_pdb_poc		*pocs;
	size_t				 npocs, cappocs;
	struct manrs_pdb_netixlan	*ixl;
	size_t				 nixl, capixl;
	int64_t				 updated;	/* newest "updated" */
	int64_t				 read_updated;	/* ... of the last read */
	uint64_t			 read_records;	/* records of the last read */
};

struct parse {
	struct manrs_peeringdb	*db;
	struct manrs_diag_sink	*sink;
	const char		*file;
	yajl_handle		 h;
	int			 depth;
	char			 kind[PDB_DEPTH_MAX + 1];	/* '{' or '[' */
	enum field		 key;		/* current scalar key */
	bool			 key_poc_set;	/* current key is poc_set */
	int			 rec_depth;	/* depth of the record map */
	bool			 in_poc;
	size_t			 poc_start;	/* pocs pending this record */
	struct rec		 rec;
	struct rec		 poc;
	int			 err;
	bool			 any_records;
};

static const char *
s(const struct rec *r, enum field f)
{
	return r->have[f] ? r->str[f] : NULL;
}

static uint32_t
u(const struct rec *r, enum field f)
{
	return r->have[f] && r->num[f] <= UINT32_MAX ? (uint32_t)r->num[f] : 0;
}

/* Fold a record's "updated" (ISO 8601) into the newest seen. */
static void
see_updated(struct manrs_peeringdb *db, const struct rec *r)
{
	int64_t t;

	if (!r->have[F_UPDATED] || r->str[F_UPDATED] == NULL ||
	    manrs_time_parse(manrs_view_cstr(r->str[F_UPDATED]), &t) != 0)
		return;
	if (t > db->read_updated)
		db->read_updated = t;
	if (t > db->updated)
		db->updated = t;
}

static int
emit_poc(struct parse *ps, const struct rec *r, uint32_t net_id)
{
	struct manrs_peeringdb *db = ps->db;
	struct manrs_pdb_poc *p;

	see_updated(db, r);
	if (manrs_grow((void **)&db->pocs, &db->cappocs, db->npocs,
	    sizeof(*db->pocs)) != 0)
		return MANRS_E_NOMEM;
	p = &db->pocs[db->npocs++];
	p->id = u(r, F_ID);
	p->net_id = net_id != 0 ? net_id : u(r, F_NET_ID);
	p->role = s(r, F_ROLE);
	p->name = s(r, F_NAME);
	p->email = s(r, F_EMAIL);
	p->phone = s(r, F_PHONE);
	p->visible = s(r, F_VISIBLE);
	return 0;
}

static int
emit_record(struct parse *ps)
{
	struct manrs_peeringdb *db = ps->db;
	const struct rec *r = &ps->rec;
	size_t i;

	ps->any_records = true;
	see_updated(db, r);
	if (r->have[F_ROLE] && (r->have[F_NET_ID] || r->have[F_EMAIL]))
		return emit_poc(ps, r, 0);
	if (r->have[F_IX_ID] && r->have[F_ASN] &&
	    (r->have[F_IP4] || r->have[F_IP6])) {
		struct manrs_pdb_netixlan *x;

		if (manrs_grow((void **)&db->ixl, &db->capixl, db->nixl,
		    sizeof(*db->ixl)) != 0)
			return MANRS_E_NOMEM;
		x = &db->ixl[db->nixl++];
		x->asn = u(r, F_ASN);
		x->ix_id = u(r, F_IX_ID);
		x->net_id = u(r, F_NET_ID);
		x->ipaddr4 = s(r, F_IP4);
		x->ipaddr6 = s(r, F_IP6);
		x->is_rs_peer = r->num[F_IS_RS_PEER] != 0;
		return 0;
	}
	if (r->have[F_ASN] && r->have[F_ID]) {
		struct manrs_pdb_net *n;

		if (manrs_grow((void **)&db->nets, &db->capnets, db->nnets,
		    sizeof(*db->nets)) != 0)
			return MANRS_E_NOMEM;
		n = &db->nets[db->nnets++];
		n->id = u(r, F_ID);
		n->asn = u(r, F_ASN);
		n->name = s(r, F_NAME);
		n->irr_as_set = s(r, F_IRR_AS_SET);
		n->policy_general = s(r, F_POLICY_GENERAL);
		n->policy_url = s(r, F_POLICY_URL);
		n->info_type = s(r, F_INFO_TYPE);
		n->info_prefixes4 = u(r, F_PFX4);
		n->info_prefixes6 = u(r, F_PFX6);
		n->updated = s(r, F_UPDATED);
		/* pocs from this net's poc_set get its id */
		for (i = ps->poc_start; i < db->npocs; i++)
			db->pocs[i].net_id = n->id;
	}
	return 0;
}

static struct rec *
cur_rec(struct parse *ps)
{
	if (ps->in_poc && ps->depth == ps->rec_depth + 2)
		return &ps->poc;
	if (ps->rec_depth != 0 && ps->depth == ps->rec_depth)
		return &ps->rec;
	return NULL;
}

static int
on_scalar(struct parse *ps, const char *str, size_t len, uint64_t num,
    bool is_str)
{
	struct rec *r = cur_rec(ps);
	enum field f = ps->key;

	ps->key = F_NONE;
	if (r == NULL || f == F_NONE || ps->kind[ps->depth] != '{')
		return 1;
	r->have[f] = true;
	r->num[f] = num;
	r->str[f] = NULL;
	if (is_str) {
		if (len > MANRS_PDB_STR_MAX) {
			manrs_diag_report(ps->sink, MANRS_SEV_WARNING, ps->file,
			    0, yajl_get_bytes_consumed(ps->h),
			    "\"%s\" longer than %d bytes, cut",
			    field_names[f], MANRS_PDB_STR_MAX);
			len = MANRS_PDB_STR_MAX;
		}
		r->str[f] = manrs_arena_strndup(ps->db->arena, str, len);
		if (r->str[f] == NULL) {
			ps->err = MANRS_E_NOMEM;
			return 0;
		}
	}
	return 1;
}

static int
cb_null(void *ctx)
{
	struct parse *ps = ctx;

	ps->key = F_NONE;
	return 1;
}

static int
cb_bool(void *ctx, int b)
{
	return on_scalar(ctx, NULL, 0, b ? 1 : 0, false);
}

static int
cb_number(void *ctx, const char *num, size_t len)
{
	struct manrs_view v = manrs_view_make(num, len);
	uint64_t n = 0;

	/* Non-integers and negatives are kept as "absent" numbers. */
	(void)manrs_view_u64(v, UINT64_MAX, &n);
	return on_scalar(ctx, NULL, 0, n, false);
}

static int
cb_string(void *ctx, const unsigned char *str, size_t len)
{
	return on_scalar(ctx, (const char *)str, len, 0, true);
}

static int
cb_key(void *ctx, const unsigned char *key, size_t len)
{
	struct parse *ps = ctx;
	struct manrs_view k = manrs_view_make((const char *)key, len);
	int f;

	ps->key = F_NONE;
	ps->key_poc_set = ps->depth == ps->rec_depth &&
	    manrs_view_eq(k, "poc_set");
	if (ps->depth == 1 && manrs_view_eq(k, "data"))
		ps->key_poc_set = false;
	for (f = 0; f < F_NFIELDS; f++)
		if (manrs_view_eq(k, field_names[f])) {
			ps->key = (enum field)f;
			break;
		}
	return 1;
}

static int
open_container(struct parse *ps, char kind)
{
	if (ps->depth >= PDB_DEPTH_MAX) {
		manrs_diag_report(ps->sink, MANRS_SEV_ERROR, ps->file, 0,
		    yajl_get_bytes_consumed(ps->h),
		    "JSON nested deeper than %d", PDB_DEPTH_MAX);
		ps->err = MANRS_E_LIMIT;
		return 0;
	}
	ps->depth++;
	ps->kind[ps->depth] = kind;
	if (kind == '{' && ps->rec_depth == 0 && ps->depth >= 2 &&
	    ps->kind[ps->depth - 1] == '[') {
		/* A record: its array is top-level or top-level "data". */
		bool top = ps->depth == 2 || (ps->depth == 3 &&
		    ps->kind[1] == '{');

		if (top) {
			ps->rec_depth = ps->depth;
			memset(&ps->rec, 0, sizeof(ps->rec));
			ps->poc_start = ps->db->npocs;
		}
	} else if (kind == '{' && ps->rec_depth != 0 &&
	    ps->depth == ps->rec_depth + 2 && ps->kind[ps->depth - 1] == '[' &&
	    ps->in_poc) {
		memset(&ps->poc, 0, sizeof(ps->poc));
	}
	return 1;
}

static int
cb_start_map(void *ctx)
{
	struct parse *ps = ctx;

	ps->key = F_NONE;
	return open_container(ps, '{');
}

static int
cb_start_array(void *ctx)
{
	struct parse *ps = ctx;
	bool poc_set = ps->key_poc_set && ps->depth == ps->rec_depth;

	ps->key = F_NONE;
	ps->key_poc_set = false;
	if (!open_container(ps, '['))
		return 0;
	if (poc_set)
		ps->in_poc = true;
	return 1;
}

static int
cb_end_map(void *ctx)
{
	struct parse *ps = ctx;
	int rc = 0;

	if (ps->in_poc && ps->depth == ps->rec_depth + 2)
		rc = emit_poc(ps, &ps->poc, 0);
	else if (ps->rec_depth != 0 && ps->depth == ps->rec_depth) {
		rc = emit_record(ps);
		ps->rec_depth = 0;
	}
	if (rc != 0) {
		ps->err = rc;
		return 0;
	}
	ps->depth--;
	ps->key = F_NONE;
	return 1;
}

static int
cb_end_array(void *ctx)
{
	struct parse *ps = ctx;

	if (ps->in_poc && ps->depth == ps->rec_depth + 1)
		ps->in_poc = false;
	ps->depth--;
	ps->key = F_NONE;
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_key, cb_end_map, cb_start_array, cb_end_array,
};

static int
net_cmp(const void *a, const void *b)
{
	const struct manrs_pdb_net *x = a, *y = b;

	return x->asn < y->asn ? -1 : x->asn > y->asn;
}

static int
poc_cmp(const void *a, const void *b)
{
	const struct manrs_pdb_poc *x = a, *y = b;

	return x->net_id < y->net_id ? -1 : x->net_id > y->net_id;
}

static int
ixl_cmp(const void *a, const void *b)
{
	const struct manrs_pdb_netixlan *x = a, *y = b;

	return x->asn < y->asn ? -1 : x->asn > y->asn;
}

static struct manrs_peeringdb *
peeringdb_alloc(void)
{
	struct manrs_peeringdb *db = calloc(1, sizeof(*db));

	if (db != NULL && (db->arena = manrs_arena_new(0)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

/* The constructor: *err (may be NULL) is 0 or MANRS_E_NOMEM. */
struct manrs_peeringdb *
manrs_peeringdb_new(int *err)
{
	struct manrs_peeringdb *p = peeringdb_alloc();

	if (err != NULL)
		*err = p != NULL ? 0 : MANRS_E_NOMEM;
	return p;
}

void
manrs_peeringdb_free(struct manrs_peeringdb *db)
{
	if (db == NULL)
		return;
	manrs_arena_free(db->arena);
	free(db->nets);
	free(db->pocs);
	free(db->ixl);
	free(db);
}

static void
report_yajl(struct parse *ps, const unsigned char *chunk, size_t n,
    uint64_t base)
{
	unsigned char *msg = yajl_get_error(ps->h, 0, chunk, n);

	manrs_diag_report(ps->sink, MANRS_SEV_ERROR, ps->file, 0,
	    base + yajl_get_bytes_consumed(ps->h), "invalid JSON: %s",
	    msg != NULL ? (const char *)msg : "parse error");
	if (msg != NULL)
		yajl_free_error(ps->h, msg);
}

int
manrs_peeringdb_read(struct manrs_peeringdb *db, struct manrs_input *in,
    struct manrs_diag_sink *sink)
{
	static unsigned char chunk[PDB_CHUNK];
	struct parse ps;
	uint64_t base = 0;
	size_t before;
	ptrdiff_t n;
	int rc = 0;

	memset(&ps, 0, sizeof(ps));
	db->read_updated = 0;
	before = db->nnets + db->npocs + db->nixl;
	ps.db = db;
	ps.sink = sink;
	ps.file = manrs_input_name(in);
	ps.key = F_NONE;
	if ((ps.h = yajl_alloc(&callbacks, NULL, &ps)) == NULL)
		return MANRS_E_NOMEM;
	while ((n = manrs_input_read(in, chunk, sizeof(chunk))) > 0) {
		if (base + (uint64_t)n > MANRS_PDB_FILE_MAX) {
			rc = MANRS_E_LIMIT;
			break;
		}
		if (yajl_parse(ps.h, chunk, (size_t)n) != yajl_status_ok) {
			rc = ps.err != 0 ? ps.err : MANRS_E_SYNTAX;
			if (ps.err == 0)
				report_yajl(&ps, chunk, (size_t)n, base);
			break;
		}
		base += (uint64_t)n;
	}
	if (n < 0) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, ps.file, 0, base,
		    "%s", manrs_strerror((int)n));
		rc = (int)n;
	}
	if (rc == 0 && yajl_complete_parse(ps.h) != yajl_status_ok) {
		report_yajl(&ps, (const unsigned char *)"", 0, base);
		rc = MANRS_E_SYNTAX;
	}
	if (rc == 0 && !ps.any_records) {
		manrs_diag_report(sink, MANRS_SEV_ERROR, ps.file, 0, UINT64_MAX,
		    "no PeeringDB records (expected {\"data\": [...]})");
		rc = MANRS_E_FORMAT;
	}
	yajl_free(ps.h);
	db->read_records = db->nnets + db->npocs + db->nixl - before;
	if (db->nnets > 1)
		qsort(db->nets, db->nnets, sizeof(*db->nets), net_cmp);
	if (db->npocs > 1)
		qsort(db->pocs, db->npocs, sizeof(*db->pocs), poc_cmp);
	if (db->nixl > 1)
		qsort(db->ixl, db->nixl, sizeof(*db->ixl), ixl_cmp);
	return rc;
}

int
manrs_peeringdb_load(struct manrs_peeringdb *db, const char *path,
    struct manrs_diag_sink *sink)
{
	struct manrs_input *in;
	int rc, err;

	if ((in = manrs_input_open_diag(path, sink, &err)) == NULL)
		return err;
	rc = manrs_peeringdb_read(db, in, sink);
	manrs_input_close(in);
	return rc;
}

/* First index in a sorted array whose key >= k. */
#define LOWER_BOUND(arr, n, field, k, out) do {			\
	size_t lo_ = 0, hi_ = (n);					\
	while (lo_ < hi_) {						\
		size_t mid_ = lo_ + (hi_ - lo_) / 2;			\
		if ((arr)[mid_].field < (k))				\
			lo_ = mid_ + 1;					\
		else							\
			hi_ = mid_;					\
	}								\
	(out) = lo_;							\
} while (0)

const struct manrs_pdb_net *
manrs_peeringdb_net(const struct manrs_peeringdb *db, uint32_t asn)
{
	size_t i;

	if (db->nnets == 0)
		return NULL;
	LOWER_BOUND(db->nets, db->nnets, asn, asn, i);
	return i < db->nnets && db->nets[i].asn == asn ? &db->nets[i] : NULL;
}

size_t
manrs_peeringdb_pocs(const struct manrs_peeringdb *db, uint32_t net_id,
    const struct manrs_pdb_poc **out)
{
	size_t i, j;

	*out = NULL;
	if (db->npocs == 0)
		return 0;
	LOWER_BOUND(db->pocs, db->npocs, net_id, net_id, i);
	for (j = i; j < db->npocs && db->pocs[j].net_id == net_id; j++)
		;
	*out = db->pocs + i;
	return j - i;
}

size_t
manrs_peeringdb_netixlans(const struct manrs_peeringdb *db, uint32_t asn,
    const struct manrs_pdb_netixlan **out)
{
	size_t i, j;

	*out = NULL;
	if (db->nixl == 0)
		return 0;
	LOWER_BOUND(db->ixl, db->nixl, asn, asn, i);
	for (j = i; j < db->nixl && db->ixl[j].asn == asn; j++)
		;
	*out = db->ixl + i;
	return j - i;
}

size_t
manrs_peeringdb_net_count(const struct manrs_peeringdb *db)
{
	return db->nnets;
}

size_t
manrs_peeringdb_poc_count(const struct manrs_peeringdb *db)
{
	return db->npocs;
}

size_t
manrs_peeringdb_netixlan_count(const struct manrs_peeringdb *db)
{
	return db->nixl;
}

int64_t
manrs_peeringdb_updated(const struct manrs_peeringdb *db)
{
	return db->updated;
}

int64_t
manrs_peeringdb_read_updated(const struct manrs_peeringdb *db)
{
	return db->read_updated;
}

void
manrs_peeringdb_provenance(const struct manrs_peeringdb *db,
    struct manrs_provenance *p)
{
	p->records = db->read_records;
	if (db->read_updated > 0)
		manrs_provenance_set_time(p, db->read_updated,
		    MANRS_PROV_TIME_CONTENT, "updated");
	else
		(void)manrs_provenance_use_mtime(p);
}
