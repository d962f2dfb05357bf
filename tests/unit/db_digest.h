/*
 * db_digest.h - a fixed set of IRR queries rendered as text, so a heap
 * database and the same database mapped from a snapshot can be compared
 * byte for byte (test_db.c), and a fuzzed snapshot that opens is queried
 * everywhere (tests/fuzz/db).  Header-only: static functions.
 */
#ifndef MANRS_DB_DIGEST_H
#define MANRS_DB_DIGEST_H

#include <stdio.h>
#include <string.h>

#include <manrs/irrdb.h>
#include <manrs/vrp.h>

static int
digest_obj(const struct manrs_irrdb_objinfo *o, void *arg)
{
	struct manrs_buf *b = arg;
	char p[MANRS_PREFIX_STRLEN];
	char h[64];
	int n;

	manrs_prefix_print(&o->prefix, p, sizeof(p));
	n = snprintf(h, sizeof(h), "obj %u cls %d src %d %s AS%u key=",
	    o->handle, (int)o->cls, o->source, p, o->origin);
	manrs_buf_put(b, h, (size_t)n);
	manrs_buf_put(b, o->key.p, o->key.len);
	manrs_buf_put(b, "\n", 1);
	manrs_buf_put(b, o->text.p, o->text.len);
	manrs_buf_put(b, "\n", 1);
	return 0;
}

static int
digest_member(struct manrs_view m, void *arg)
{
	struct manrs_buf *b = arg;

	manrs_buf_put(b, "member ", 7);
	manrs_buf_put(b, m.p, m.len);
	manrs_buf_put(b, "\n", 1);
	return 0;
}

static void
digest_ranges(struct manrs_buf *b, const struct manrs_irrdb_ranges *r)
{
	char t[128];
	size_t i, n;

	for (i = 0; i < r->n; i++) {
		n = manrs_irrdb_range_print(&r->v[i], t, sizeof(t));
		manrs_buf_put(b, t, n);
		manrs_buf_put(b, " ", 1);
	}
	manrs_buf_put(b, "\n", 1);
}

/* Run the queries against db (names may come from anywhere). */
static void
db_digest(const struct manrs_irrdb *db, struct manrs_buf *b)
{
	static const char *const sets[] = { "AS-TOP", "AS-MID",
	    "AS64500:AS-CUST", "A::AS-TOP", "B::AS-ONLYB", "AS-NONE",
	    "RS-TOP", "RS-REF", "RS-INNER", "AS-TEDATA", "AS-RAYA",
	    "AS-DTAG" };
	static const uint32_t origins[] = { 0, 1, 2, 3, 4, 5, 6, 7, 3320,
	    12389, 8075, 64500 };
	static const char *const pfx[] = { "192.0.2.0/24", "10.0.0.0/8",
	    "2001:db8::/32", "0.0.0.0/0" };
	static const char *const keys[] = { "AS5", "AS-TOP", "CUST-MNT",
	    "192.0.2.0/24AS1" };
	struct manrs_irrdb_asns a = { 0 };
	struct manrs_irrdb_ranges r = { 0 };
	struct manrs_irrdb_sel sel;
	struct manrs_irrdb_stats st;
	enum manrs_rpsl_class cls;
	struct manrs_prefix p;
	unsigned flags, m;
	char t[64];
	size_t i, j;
	int n, k;

	manrs_irrdb_sel_all(db, &sel);
	manrs_irrdb_stats(db, &st);
	n = snprintf(t, sizeof(t), "%llu %llu %llu %d\n",
	    (unsigned long long)st.objects, (unsigned long long)st.routes,
	    (unsigned long long)st.rpki_invalid, manrs_irrdb_source_count(db));
	manrs_buf_put(b, t, (size_t)n);
	for (k = 0; k < manrs_irrdb_source_count(db); k++) {
		const char *s = manrs_irrdb_source_name(db, k);

		manrs_buf_put(b, s, strlen(s));
		manrs_buf_put(b, "\n", 1);
	}
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		a.n = 0;
		flags = 0;
		manrs_irrdb_expand_asset(db, manrs_view_cstr(sets[i]), &sel,
		    NULL, &a, &flags, NULL);
		for (j = 0; j < a.n; j++) {
			n = snprintf(t, sizeof(t), "AS%u ", a.v[j]);
			manrs_buf_put(b, t, (size_t)n);
		}
		n = snprintf(t, sizeof(t), "flags %u\n", flags);
		manrs_buf_put(b, t, (size_t)n);
		r.n = 0;
		manrs_irrdb_expand_routeset(db, manrs_view_cstr(sets[i]), &sel,
		    0, NULL, &r, &flags, NULL);
		digest_ranges(b, &r);
		cls = MANRS_RPSL_OTHER;
		manrs_irrdb_set_members(db, manrs_view_cstr(sets[i]), &sel,
		    digest_member, b, &cls);
		manrs_irrdb_find_member_of(db, manrs_view_cstr(sets[i]), &sel,
		    digest_obj, b);
	}
	for (i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
		r.n = 0;
		manrs_irrdb_origin_prefixes(db, origins[i], 0, &sel, &r);
		manrs_irrdb_ranges_sort(&r);
		digest_ranges(b, &r);
		manrs_irrdb_find_origin(db, origins[i], &sel, digest_obj, b);
	}
	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		if (manrs_prefix_parse(manrs_view_cstr(pfx[i]), 0, &p) != 0)
			continue;
		for (m = MANRS_IRRDB_EXACT; m <= MANRS_IRRDB_MORE; m++)
			manrs_irrdb_find_route(db, &p,
			    (enum manrs_irrdb_match)m, &sel, digest_obj, b);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		manrs_irrdb_find_key(db, MANRS_RPSL_OTHER,
		    manrs_view_cstr(keys[i]), &sel, digest_obj, b);
		manrs_irrdb_find_mntby(db, manrs_view_cstr(keys[i]), &sel,
		    digest_obj, b);
	}
	manrs_irrdb_asns_clear(&a);
	manrs_irrdb_ranges_clear(&r);
}

/* ROV of a grid of routes, ASPA and router keys of a VRP set. */
static void
vrp_digest(const struct manrs_vrp_set *s, struct manrs_buf *b)
{
	static const char *const pfx[] = { "192.0.2.0/24", "192.0.2.0/25",
	    "192.0.2.128/26", "10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0",
	    "2001:db8::/32", "2001:db8:1::/48", "2001:db8::/64", "::/0",
	    "193.0.0.0/21", "8.8.8.0/24", "1.1.1.0/24", "2a00::/12" };
	static const uint32_t asns[] = { 0, 1, 2, 64496, 64500, 3333, 15169,
	    13335 };
	struct manrs_rov_result r;
	struct manrs_aspa a;
	struct manrs_rkey k;
	struct manrs_prefix p;
	char t[160], ps[MANRS_PREFIX_STRLEN];
	size_t i, j;
	int n;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		if (manrs_prefix_parse(manrs_view_cstr(pfx[i]), 0, &p) != 0)
			continue;
		for (j = 0; j < sizeof(asns) / sizeof(asns[0]); j++) {
			memset(&r, 0, sizeof(r));
			manrs_rov_validate(s, &p, asns[j], false, &r);
			/* r.vrp is only meaningful when a VRP covers p. */
			if (r.state == MANRS_ROV_NOTFOUND)
				memset(&r.vrp, 0, sizeof(r.vrp));
			manrs_prefix_print(&r.vrp.prefix, ps, sizeof(ps));
			n = snprintf(t, sizeof(t), "%s AS%u %d %d %u %s-%u "
			    "AS%u\n", pfx[i], asns[j], (int)r.state,
			    (int)r.reason, r.covering, ps, r.vrp.maxlen,
			    r.vrp.asn);
			manrs_buf_put(b, t, (size_t)n);
		}
	}
	for (i = 0; i < manrs_vrp_count(s, 0) && i < 64; i++) {
		const struct manrs_vrp *v = manrs_vrp_get(s, i);

		if (v == NULL)
			break;
		manrs_prefix_print(&v->prefix, ps, sizeof(ps));
		n = snprintf(t, sizeof(t), "vrp %s-%u AS%u\n", ps, v->maxlen,
		    v->asn);
		manrs_buf_put(b, t, (size_t)n);
	}
	for (i = 0; manrs_vrp_aspa_get(s, i, &a) == 0 && i < 64; i++) {
		n = snprintf(t, sizeof(t), "aspa AS%u", a.customer);
		manrs_buf_put(b, t, (size_t)n);
		for (j = 0; j < a.nproviders; j++) {
			n = snprintf(t, sizeof(t), " %u", a.providers[j]);
			manrs_buf_put(b, t, (size_t)n);
		}
		manrs_buf_put(b, "\n", 1);
	}
	for (i = 0; manrs_vrp_rkey_get(s, i, &k) == 0 && i < 64; i++) {
		n = snprintf(t, sizeof(t), "rkey AS%u %zu ", k.asn,
		    (size_t)k.spki_len);
		manrs_buf_put(b, t, (size_t)n);
		manrs_buf_put(b, k.spki, k.spki_len);
		manrs_buf_put(b, "\n", 1);
	}
}

#endif /* MANRS_DB_DIGEST_H */
