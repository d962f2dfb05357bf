/*
 * vrp_slurm.c - Simplified Local Internet Number Resource Management
 * with the RPKI (SLURM, RFC 8416) plus its ASPA extension
 * (draft-ietf-sidrops-aspa-slurm: slurmVersion 2, "aspaFilters" and
 * "aspaAssertions").
 *
 * A SLURM file is small (bounded by MANRS_SLURM_FILE_MAX) and is parsed
 * with jansson into plain arrays.  Applying it to an unfinished set:
 * prefix filters drop every VRP whose prefix is covered by the filter's
 * prefix and/or whose ASN equals the filter's (RFC 8416 section 3.3.1);
 * BGPsec filters drop router keys by ASN and/or SKI; ASPA filters drop
 * every ASPA of the customer; then assertions are added (section 3.4).
 * An ASPA assertion replaces whatever the validator produced for that
 * customer.  Members other than the ones RFC 8416 defines (and
 * "comment") are refused, as section 3 requires.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vrp_int.h"

#define MANRS_SLURM_FILE_MAX	(16u * 1024u * 1024u)
#define MANRS_SLURM_ENTRIES_MAX	65536u

struct sl_pfilter {
	bool			has_prefix, has_asn;
	struct manrs_prefix	prefix;
	uint32_t		asn;
};

struct sl_kfilter {
	bool		has_ski, has_asn;
	uint8_t		ski[20];
	uint32_t	asn;
};

struct sl_aspa {
	uint32_t	customer;
	uint32_t	*prov;
	size_t		nprov;
};

struct sl_key {
	uint32_t	asn;
	uint8_t		ski[20];
	uint8_t		spki[MANRS_VRP_SPKI_MAX];
	size_t		spki_len;
};

struct manrs_slurm {
	struct sl_pfilter	*pf;
	size_t			 npf;
	struct sl_kfilter	*kf;
	size_t			 nkf;
	uint32_t		*af;
	size_t			 naf;
	struct manrs_vrp	*pa;
	size_t			 npa;
	struct sl_key		*ka;
	size_t			 nka;
	struct sl_aspa		*aa;
	size_t			 naa;
};

struct slctx {
	struct manrs_slurm	*sl;
	struct manrs_diag_sink	*diag;
	const char		*name;
	int			 version;
};

static int
slerr(struct slctx *c, const char *where, size_t i, const char *why)
{
	manrs_diag_report(c->diag, MANRS_SEV_ERROR, c->name, 0, UINT64_MAX,
	    "%s[%zu]: %s (RFC 8416 section 3)", where, i, why);
	return MANRS_E_FORMAT;
}

void
manrs_slurm_free(struct manrs_slurm *sl)
{
	size_t i;

	if (sl == NULL)
		return;
	for (i = 0; i < sl->naa; i++)
		free(sl->aa[i].prov);
	free(sl->pf);
	free(sl->kf);
	free(sl->af);
	free(sl->pa);
	free(sl->ka);
	free(sl->aa);
	free(sl);
}

/* Only the listed members (and "comment") may appear. */
static bool
members_ok(json_t *o, const char *const *allowed)
{
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach(o, k, v) {
		(void)v;
		if (strcmp(k, "comment") == 0)
			continue;
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return false;
	}
	return true;
}

static int
get_asn(json_t *o, const char *key, bool *has, uint32_t *asn)
{
	json_t *v = json_object_get(o, key);
	json_int_t n;

	*has = false;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v))
		return MANRS_E_FORMAT;
	n = json_integer_value(v);
	if (n < 0 || n > (json_int_t)UINT32_MAX)
		return MANRS_E_RANGE;
	*asn = (uint32_t)n;
	*has = true;
	return 0;
}

static int
get_prefix(json_t *o, bool *has, struct manrs_prefix *p)
{
	json_t *v = json_object_get(o, "prefix");

	*has = false;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return MANRS_E_FORMAT;
	*has = true;
	return manrs_prefix_parse(manrs_view_make(json_string_value(v),
	    json_string_length(v)), 0, p);
}

static int
get_ski(json_t *o, bool *has, uint8_t ski[20])
{
	json_t *v = json_object_get(o, "SKI");
	size_t n;

	*has = false;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) || vrp_base64(manrs_view_make(
	    json_string_value(v), json_string_length(v)), ski, 20, &n) != 0 ||
	    n != 20)
		return MANRS_E_FORMAT;
	*has = true;
	return 0;
}

static json_t *
array_at(json_t *parent, const char *key, struct slctx *c, int *err)
{
	json_t *a = json_object_get(parent, key);

	if (a == NULL) {
		*err = 0;
		return NULL;
	}
	if (!json_is_array(a)) {
		*err = slerr(c, key, 0, "not an array");
		return NULL;
	}
	if (json_array_size(a) > MANRS_SLURM_ENTRIES_MAX) {
		*err = slerr(c, key, 0, "too many entries");
		return NULL;
	}
	*err = 0;
	return a;
}

static int
parse_pfilters(struct slctx *c, json_t *a)
{
	static const char *const allowed[] = { "prefix", "asn", NULL };
	json_t *o;
	size_t i;

	if ((c->sl->pf = calloc(json_array_size(a) + 1,
	    sizeof(*c->sl->pf))) == NULL)
		return MANRS_E_NOMEM;
	json_array_foreach(a, i, o) {
		struct sl_pfilter *f = &c->sl->pf[c->sl->npf];

		if (!json_is_object(o) || !members_ok(o, allowed))
			return slerr(c, "prefixFilters", i, "bad member");
		if (get_prefix(o, &f->has_prefix, &f->prefix) != 0)
			return slerr(c, "prefixFilters", i, "bad prefix");
		if (get_asn(o, "asn", &f->has_asn, &f->asn) != 0)
			return slerr(c, "prefixFilters", i, "bad asn");
		if (!f->has_prefix && !f->has_asn)
			return slerr(c, "prefixFilters", i,
			    "needs prefix or asn");
		c->sl->npf++;
	}
	return 0;
}

static int
parse_kfilters(struct slctx *c, json_t *a)
{
	static const char *const allowed[] = { "SKI", "asn", NULL };
	json_t *o;
	size_t i;

	if ((c->sl->kf = calloc(json_array_size(a) + 1,
	    sizeof(*c->sl->kf))) == NULL)
		return MANRS_E_NOMEM;
	json_array_foreach(a, i, o) {
		struct sl_kfilter *f = &c->sl->kf[c->sl->nkf];

		if (!json_is_object(o) || !members_ok(o, allowed))
			return slerr(c, "bgpsecFilters", i, "bad member");
		if (get_ski(o, &f->has_ski, f->ski) != 0)
			return slerr(c, "bgpsecFilters", i,
			    "SKI is not base64url of 20 bytes");
		if (get_asn(o, "asn", &f->has_asn, &f->asn) != 0)
			return slerr(c, "bgpsecFilters", i, "bad asn");
		if (!f->has_ski && !f->has_asn)
			return slerr(c, "bgpsecFilters", i, "needs SKI or asn");
		c->sl->nkf++;
	}
	return 0;
}

static int
get_customer(json_t *o, uint32_t *asn)
{
	bool has;

	if (get_asn(o, "customerAsid", &has, asn) != 0)
		return MANRS_E_FORMAT;
	if (has)
		return 0;
	if (get_asn(o, "customerAsn", &has, asn) != 0 || !has)
		return MANRS_E_FORMAT;
	return 0;
}

static int
parse_afilters(struct slctx *c, json_t *a)
{
	static const char *const allowed[] = { "customerAsid", "customerAsn",
	    NULL };
	json_t *o;
	size_t i;

	if ((c->sl->af = calloc(json_array_size(a) + 1,
	    sizeof(*c->sl->af))) == NULL)
		return MANRS_E_NOMEM;
	json_array_foreach(a, i, o) {
		if (!json_is_object(o) || !members_ok(o, allowed) ||
		    get_customer(o, &c->sl->af[c->sl->naf]) != 0)
			return slerr(c, "aspaFilters", i,
			    "needs customerAsid");
		c->sl->naf++;
	}
	return 0;
}

static int
parse_passert(struct slctx *c, json_t *a)
{
	static const char *const allowed[] = { "prefix", "asn",
	    "maxPrefixLength", NULL };
	json_t *o, *ml;
	size_t i;
	bool hp, ha;

	if ((c->sl->pa = calloc(json_array_size(a) + 1,
	    sizeof(*c->sl->pa))) == NULL)
		return MANRS_E_NOMEM;
	json_array_foreach(a, i, o) {
		struct manrs_vrp *v = &c->sl->pa[c->sl->npa];

		if (!json_is_object(o) || !members_ok(o, allowed))
			return slerr(c, "prefixAssertions", i, "bad member");
		if (get_prefix(o, &hp, &v->prefix) != 0 || !hp)
			return slerr(c, "prefixAssertions", i,
			    "bad or missing prefix");
		if (get_asn(o, "asn", &ha, &v->asn) != 0 || !ha)
			return slerr(c, "prefixAssertions", i,
			    "bad or missing asn");
		v->maxlen = v->prefix.len;
		if ((ml = json_object_get(o, "maxPrefixLength")) != NULL) {
			if (!json_is_integer(ml) ||
			    json_integer_value(ml) < v->prefix.len ||
			    json_integer_value(ml) >
			    (json_int_t)manrs_af_bits(v->prefix.af))
				return slerr(c, "prefixAssertions", i,
				    "maxPrefixLength outside prefix "
				    "length..address bits");
			v->maxlen = (uint8_t)json_integer_value(ml);
		}
		c->sl->npa++;
	}
	return 0;
}

static int
parse_kassert(struct slctx *c, json_t *a)
{
	static const char *const allowed[] = { "asn", "SKI",
	    "routerPublicKey", NULL };
	json_t *o, *k;
	size_t i;
	bool has;

	if ((c->sl->ka = calloc(json_array_size(a) + 1,
	    sizeof(*c->sl->ka))) == NULL)
		return MANRS_E_NOMEM;
	json_array_foreach(a, i, o) {
		struct sl_key *r = &c->sl->ka[c->sl->nka];

		if (!json_is_object(o) || !members_ok(o, allowed))
			return slerr(c, "bgpsecAssertions", i, "bad member");
		if (get_asn(o, "asn", &has, &r->asn) != 0 || !has)
			return slerr(c, "bgpsecAssertions", i, "bad asn");
		if (get_ski(o, &has, r->ski) != 0 || !has)
			return slerr(c, "bgpsecAssertions", i, "bad SKI");
		k = json_object_get(o, "routerPublicKey");
		if (k == NULL || !json_is_string(k) ||
		    vrp_base64(manrs_view_make(json_string_value(k),
		    json_string_length(k)), r->spki, sizeof(r->spki),
		    &r->spki_len) != 0 || r->spki_len == 0)
			return slerr(c, "bgpsecAssertions", i,
			    "bad routerPublicKey");
		c->sl->nka++;
	}
	return 0;
}

static int
parse_aassert(struct slctx *c, json_t *a)
{
	static const char *const allowed[] = { "customerAsid", "customerAsn",
	    "providers", "providerAsns", "providerSet", NULL };
	json_t *o, *pl, *p;
	size_t i, j;

	if ((c->sl->aa = calloc(json_array_size(a) + 1,
	    sizeof(*c->sl->aa))) == NULL)
		return MANRS_E_NOMEM;
	json_array_foreach(a, i, o) {
		struct sl_aspa *r = &c->sl->aa[c->sl->naa];

		if (!json_is_object(o) || !members_ok(o, allowed) ||
		    get_customer(o, &r->customer) != 0)
			return slerr(c, "aspaAssertions", i,
			    "needs customerAsid");
		if ((pl = json_object_get(o, "providers")) == NULL &&
		    (pl = json_object_get(o, "providerAsns")) == NULL)
			pl = json_object_get(o, "providerSet");
		if (pl == NULL || !json_is_array(pl) ||
		    json_array_size(pl) > MANRS_VRP_ASPA_PROVIDERS_MAX)
			return slerr(c, "aspaAssertions", i,
			    "needs a providers array");
		c->sl->naa++;
		if ((r->prov = calloc(json_array_size(pl) + 1,
		    sizeof(uint32_t))) == NULL)
			return MANRS_E_NOMEM;
		json_array_foreach(pl, j, p) {
			if (!json_is_integer(p) || json_integer_value(p) < 0 ||
			    json_integer_value(p) > (json_int_t)UINT32_MAX)
				return slerr(c, "aspaAssertions", i,
				    "bad provider ASN");
			r->prov[r->nprov++] = (uint32_t)json_integer_value(p);
		}
	}
	return 0;
}

static int
parse_doc(struct slctx *c, json_t *root)
{
	static const char *const top[] = { "slurmVersion",
	    "validationOutputFilters", "locallyAddedAssertions", NULL };
	static const char *const f2[] = { "prefixFilters", "bgpsecFilters",
	    "aspaFilters", NULL };
	static const char *const a2[] = { "prefixAssertions",
	    "bgpsecAssertions", "aspaAssertions", NULL };
	json_t *ver, *fo, *ao, *a;
	int rc;

	if (!json_is_object(root) || !members_ok(root, top))
		return slerr(c, "top", 0, "unknown member");
	ver = json_object_get(root, "slurmVersion");
	if (!json_is_integer(ver) || (json_integer_value(ver) != 1 &&
	    json_integer_value(ver) != 2))
		return slerr(c, "slurmVersion", 0, "must be 1 or 2");
	c->version = (int)json_integer_value(ver);
	fo = json_object_get(root, "validationOutputFilters");
	ao = json_object_get(root, "locallyAddedAssertions");
	if (!json_is_object(fo) || !json_is_object(ao))
		return slerr(c, "top", 0, "validationOutputFilters and "
		    "locallyAddedAssertions are required objects");
	if (!members_ok(fo, f2) || !members_ok(ao, a2))
		return slerr(c, "filters/assertions", 0, "unknown member");
	if (c->version == 1 && (json_object_get(fo, "aspaFilters") ||
	    json_object_get(ao, "aspaAssertions")))
		return slerr(c, "aspa", 0, "ASPA members need slurmVersion 2");
	if ((a = array_at(fo, "prefixFilters", c, &rc)) && (rc =
	    parse_pfilters(c, a)) != 0)
		return rc;
	if (rc == 0 && (a = array_at(fo, "bgpsecFilters", c, &rc)) &&
	    (rc = parse_kfilters(c, a)) != 0)
		return rc;
	if (rc == 0 && (a = array_at(fo, "aspaFilters", c, &rc)) &&
	    (rc = parse_afilters(c, a)) != 0)
		return rc;
	if (rc == 0 && (a = array_at(ao, "prefixAssertions", c, &rc)) &&
	    (rc = parse_passert(c, a)) != 0)
		return rc;
	if (rc == 0 && (a = array_at(ao, "bgpsecAssertions", c, &rc)) &&
	    (rc = parse_kassert(c, a)) != 0)
		return rc;
	if (rc == 0 && (a = array_at(ao, "aspaAssertions", c, &rc)) &&
	    (rc = parse_aassert(c, a)) != 0)
		return rc;
	return rc;
}

struct manrs_slurm *
manrs_slurm_read_mem(const void *p, size_t len, const char *name,
    struct manrs_diag_sink *diag, int *err)
{
	struct slctx c;
	json_error_t je;
	json_t *root;
	int rc;

	memset(&c, 0, sizeof(c));
	c.diag = diag;
	c.name = name;
	if (len > MANRS_SLURM_FILE_MAX) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, name, 0, UINT64_MAX,
		    "SLURM file larger than %u bytes", MANRS_SLURM_FILE_MAX);
		*err = MANRS_E_LIMIT;
		return NULL;
	}
	root = json_loadb(p, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, name, (uint64_t)
		    je.line, UINT64_MAX, "JSON: %s", je.text);
		*err = MANRS_E_SYNTAX;
		return NULL;
	}
	if ((c.sl = calloc(1, sizeof(*c.sl))) == NULL) {
		json_decref(root);
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	rc = parse_doc(&c, root);
	json_decref(root);
	if (rc != 0) {
		manrs_slurm_free(c.sl);
		*err = rc;
		return NULL;
	}
	*err = 0;
	return c.sl;
}

struct manrs_slurm *
manrs_slurm_read(const char *path, struct manrs_diag_sink *diag, int *err)
{
	struct manrs_input *in;
	struct manrs_buf b;
	struct manrs_slurm *sl = NULL;
	uint8_t chunk[8192];
	ptrdiff_t n;

	if ((in = manrs_input_open(path, err)) == NULL) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "cannot open: %s", manrs_strerror(*err));
		return NULL;
	}
	manrs_buf_init(&b, MANRS_SLURM_FILE_MAX + 1);
	while ((n = manrs_input_read(in, chunk, sizeof(chunk))) > 0)
		if (manrs_buf_put(&b, chunk, (size_t)n) != 0)
			break;
	if (n < 0 || b.err != 0) {
		manrs_diag_report(diag, MANRS_SEV_ERROR, path, 0, UINT64_MAX,
		    "%s", b.err ? "SLURM file too large" :
		    manrs_strerror((int)n));
		*err = b.err ? MANRS_E_LIMIT : (int)n;
	} else
		sl = manrs_slurm_read_mem(b.p != NULL ? (void *)b.p : "", b.len,
		    path, diag, err);
	manrs_buf_clear(&b);
	manrs_input_close(in);
	return sl;
}

static bool
pfilter_hit(const struct manrs_slurm *sl, const struct manrs_vrp *v)
{
	size_t i;

	for (i = 0; i < sl->npf; i++) {
		const struct sl_pfilter *f = &sl->pf[i];

		if (f->has_asn && f->asn != v->asn)
			continue;
		if (f->has_prefix && !manrs_prefix_covers(&f->prefix,
		    &v->prefix))
			continue;
		return true;
	}
	return false;
}

static bool
kfilter_hit(const struct manrs_slurm *sl, const struct vrp_rkey_rec *r)
{
	size_t i;

	for (i = 0; i < sl->nkf; i++) {
		if (sl->kf[i].has_asn && sl->kf[i].asn != r->asn)
			continue;
		if (sl->kf[i].has_ski && memcmp(sl->kf[i].ski, r->ski, 20))
			continue;
		return true;
	}
	return false;
}

static bool
afilter_hit(const struct manrs_slurm *sl, uint32_t customer)
{
	size_t i;

	for (i = 0; i < sl->naf; i++)
		if (sl->af[i] == customer)
			return true;
	for (i = 0; i < sl->naa; i++)	/* replaced by an assertion */
		if (sl->aa[i].customer == customer)
			return true;
	return false;
}

int
manrs_slurm_apply(const struct manrs_slurm *sl, struct manrs_vrp_set *s)
{
	size_t i, o;
	int rc;

	if (s->finished)
		return MANRS_E_INVAL;
	for (i = 0, o = 0; i < s->nvrps; i++) {
		if (sl->npf > 0 && pfilter_hit(sl, &s->vrps[i])) {
			s->stats.slurm_vrps_filtered++;
			continue;
		}
		s->vrps[o++] = s->vrps[i];
	}
	s->nvrps = o;
	for (i = 0, o = 0; i < s->nrkeys; i++) {
		if (sl->nkf > 0 && kfilter_hit(sl, &s->rkeys[i])) {
			s->stats.slurm_rkeys_filtered++;
			continue;
		}
		s->rkeys[o++] = s->rkeys[i];
	}
	s->nrkeys = o;
	for (i = 0, o = 0; i < s->npairs; i++) {
		if (afilter_hit(sl, s->pairs[i].customer)) {
			s->stats.slurm_aspas_filtered++;
			continue;
		}
		s->pairs[o++] = s->pairs[i];
	}
	s->npairs = o;
	for (i = 0; i < sl->npa; i++)
		if ((rc = manrs_vrp_add(s, &sl->pa[i])) != 0)
			return rc;
	for (i = 0; i < sl->nka; i++)
		if ((rc = manrs_vrp_rkey_add(s, sl->ka[i].asn, sl->ka[i].ski,
		    sl->ka[i].spki, sl->ka[i].spki_len)) != 0)
			return rc;
	for (i = 0; i < sl->naa; i++)
		if ((rc = manrs_vrp_aspa_add(s, sl->aa[i].customer,
		    sl->aa[i].prov, sl->aa[i].nprov)) != 0)
			return rc;
	return 0;
}
