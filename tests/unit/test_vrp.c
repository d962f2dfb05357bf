/*
 * test_vrp.c - VRP/ASPA/router-key loading: rpki-client JSON (current
 * and provider_authorizations forms), Routinator json/jsonext, StayRTR
 * JSON, CSV; expiry, staleness, duplicates, ASPA merging and AS0, limits,
 * hostile input with the exact diagnostic; SLURM v1/v2; the real
 * rpki-client file from the shared corpus.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#define NOW	1700000000

static char last_diag[1024];

static void
keep_diag(void *arg, const struct manrs_diag *d)
{
	(void)arg;
	manrs_diag_format(d, last_diag, sizeof(last_diag));
}

static struct manrs_diag_sink sink = { keep_diag, NULL, 0, 0, 0 };

static struct manrs_vrp_set *
load(const char *text, int want_rc, enum manrs_vrp_format fmt)
{
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	struct manrs_vrp_read_opts o;

	memset(&o, 0, sizeof(o));
	o.now = NOW;
	o.format = fmt;
	last_diag[0] = '\0';
	assert_int_equal(manrs_vrp_read_mem(s, text, strlen(text), "t",
	    &o, &sink), want_rc);
	if (want_rc != 0) {
		manrs_vrp_set_free(s);
		return NULL;
	}
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	return s;
}

static void
vrp_str(const struct manrs_vrp_set *s, size_t i, char *buf, size_t size)
{
	const struct manrs_vrp *v = manrs_vrp_get(s, i);
	char p[MANRS_PREFIX_STRLEN];

	assert_non_null(v);
	manrs_prefix_print(&v->prefix, p, sizeof(p));
	snprintf(buf, size, "%s-%u AS%u", p, v->maxlen, v->asn);
}

static void
test_rpki_client(void **state)
{
	static const char j[] =
	    "{\"metadata\":{\"buildtime\":\"2023-11-14T22:13:20Z\",\"roas\":3},"
	    "\"roas\":[{\"asn\":64496,\"prefix\":\"192.0.2.0/24\","
	    "\"maxLength\":24,\"ta\":\"ripe\",\"expires\":1800000000},"
	    "{\"asn\":64496,\"prefix\":\"192.0.2.0/24\",\"maxLength\":24,"
	    "\"ta\":\"arin\",\"expires\":1800000000},"
	    "{\"asn\":64497,\"prefix\":\"2001:db8::/32\",\"maxLength\":48,"
	    "\"ta\":\"ripe\",\"expires\":1800000000},"
	    "{\"asn\":64498,\"prefix\":\"198.51.100.0/24\",\"maxLength\":24,"
	    "\"ta\":\"ripe\",\"expires\":1600000000}],"
	    "\"aspas\":[{\"customer\":64496,\"expires\":1800000000,"
	    "\"providers\":[64510,64500]},{\"customer\":64497,"
	    "\"expires\":1800000000,\"providers\":[0]},{\"customer\":64499,"
	    "\"expires\":1800000000,\"providers\":[0,64501]}],"
	    "\"bgpsec_keys\":[{\"asn\":64496,\"ski\":"
	    "\"0102030405060708090a0b0c0d0e0f1011121314\",\"pubkey\":"
	    "\"AQIDBA==\",\"ta\":\"ripe\",\"expires\":1800000000}]}";
	struct manrs_vrp_set *s = load(j, 0, MANRS_VRP_FMT_AUTO);
	const struct manrs_vrp_stats *st = manrs_vrp_set_stats(s);
	struct manrs_aspa a;
	struct manrs_rkey k;
	char buf[128];

	(void)state;
	/* duplicate (two TAs) merged; expired dropped */
	assert_int_equal(manrs_vrp_count(s, 0), 2);
	assert_int_equal(manrs_vrp_count(s, MANRS_AF_INET), 1);
	vrp_str(s, 0, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.0/24-24 AS64496");
	vrp_str(s, 1, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::/32-48 AS64497");
	assert_int_equal(st->vrps_read, 4);
	assert_int_equal(st->vrps_expired, 1);
	assert_int_equal(st->buildtime, 1700000000);
	/* the earliest expiry among the kept entries */
	assert_int_equal(st->next_expiry, 1800000000);
	assert_int_equal(manrs_vrp_aspa_count(s), 3);
	assert_true(manrs_vrp_aspa_find(s, 64496, &a));
	assert_int_equal(a.nproviders, 2);
	assert_int_equal(a.providers[0], 64500);	/* sorted */
	assert_int_equal(a.providers[1], 64510);
	/* AS0 alone: no providers; AS0 beside others: dropped */
	assert_true(manrs_vrp_aspa_find(s, 64497, &a));
	assert_int_equal(a.nproviders, 0);
	assert_true(manrs_vrp_aspa_find(s, 64499, &a));
	assert_int_equal(a.nproviders, 1);
	assert_int_equal(a.providers[0], 64501);
	assert_int_equal(manrs_vrp_rkey_count(s), 1);
	assert_int_equal(manrs_vrp_rkey_get(s, 0, &k), 0);
	assert_int_equal(k.asn, 64496);
	assert_int_equal(k.ski[19], 0x14);
	assert_int_equal(k.spki_len, 4);
	assert_int_equal(k.spki[3], 4);
	manrs_vrp_set_free(s);
}

static void
test_provider_authorizations(void **state)
{
	/* rpki-client 8.x: per-AFI lists of the same customer merge */
	static const char j[] =
	    "{\"roas\":[],\"provider_authorizations\":{\"ipv4\":["
	    "{\"customer_asid\":28,\"expires\":1800000000,\"providers\":"
	    "[41881,61036]}],\"ipv6\":[{\"customer_asid\":28,\"expires\":"
	    "1800000000,\"providers\":[61036,204096]},{\"customer_asid\":29,"
	    "\"expires\":1600000000,\"providers\":[1]}]}}";
	struct manrs_vrp_set *s = load(j, 0, MANRS_VRP_FMT_JSON);
	struct manrs_aspa a;

	(void)state;
	assert_int_equal(manrs_vrp_aspa_count(s), 1);
	assert_true(manrs_vrp_aspa_find(s, 28, &a));
	assert_int_equal(a.nproviders, 3);
	assert_int_equal(a.providers[2], 204096);
	assert_false(manrs_vrp_aspa_find(s, 29, NULL));
	assert_int_equal(manrs_vrp_set_stats(s)->aspas_expired, 1);
	manrs_vrp_set_free(s);
}

static void
test_routinator(void **state)
{
	static const char j[] =
	    "{\"metadata\":{\"generated\":1699990000,\"generatedTime\":"
	    "\"2023-11-14T19:26:40Z\"},\"roas\":[{\"asn\":\"AS13335\","
	    "\"prefix\":\"1.0.0.0/24\",\"maxLength\":24,\"source\":[{"
	    "\"type\":\"roa\",\"uri\":\"rsync://x/y.roa\",\"validity\":{"
	    "\"notBefore\":\"2023-01-01T00:00:00Z\",\"notAfter\":"
	    "\"2024-01-01T00:00:00Z\"},\"chainValidity\":{\"notBefore\":"
	    "\"2023-01-01T00:00:00Z\",\"notAfter\":\"2023-12-01T00:00:00Z\""
	    "}}]},{\"asn\":\"AS13336\",\"prefix\":\"1.0.1.0/24\","
	    "\"maxLength\":24,\"source\":[{\"chainValidity\":{\"notAfter\":"
	    "\"2023-11-01T00:00:00Z\"}}]}],\"aspas\":[{\"customer\":"
	    "\"AS64496\",\"providers\":[\"AS64497\",\"AS64498\"]}],"
	    "\"routerKeys\":[{\"asn\":\"AS64496\",\"SKI\":"
	    "\"0102030405060708090A0B0C0D0E0F1011121314\","
	    "\"routerPublicKey\":\"AQID\"}]}";
	struct manrs_vrp_set *s = load(j, 0, MANRS_VRP_FMT_AUTO);
	struct manrs_aspa a;
	char buf[128];

	(void)state;
	/* the second ROA's chain expired before NOW */
	assert_int_equal(manrs_vrp_count(s, 0), 1);
	vrp_str(s, 0, buf, sizeof(buf));
	assert_string_equal(buf, "1.0.0.0/24-24 AS13335");
	assert_true(manrs_vrp_aspa_find(s, 64496, &a));
	assert_int_equal(a.nproviders, 2);
	assert_int_equal(manrs_vrp_rkey_count(s), 1);
	manrs_vrp_set_free(s);
}

static void
test_stayrtr(void **state)
{
	static const char j[] =
	    "{\"metadata\":{\"counts\":2,\"generated\":1699999000,"
	    "\"valid\":1700003600},\"roas\":[{\"prefix\":\"10.0.0.0/8\","
	    "\"maxLength\":24,\"asn\":\"AS65001\",\"expires\":1800000000},"
	    "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":24,\"asn\":65001}]}";
	struct manrs_vrp_set *s = load(j, 0, MANRS_VRP_FMT_AUTO);
	char buf[128];

	(void)state;
	assert_int_equal(manrs_vrp_count(s, 0), 1);
	vrp_str(s, 0, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8-24 AS65001");
	manrs_vrp_set_free(s);
}

static void
test_stale(void **state)
{
	static const char j[] = "{\"metadata\":{\"buildtime\":"
	    "\"2023-11-14T20:00:00Z\"},\"roas\":[]}";
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	struct manrs_vrp_read_opts o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.now = NOW;	/* 2023-11-14T22:13:20Z: built 8000 s earlier */
	o.max_age = 3600;
	assert_int_equal(manrs_vrp_read_mem(s, j, strlen(j), "t", &o, &sink),
	    MANRS_E_RANGE);
	assert_string_equal(last_diag,
	    "t: stale: built 8000 s ago, limit 3600 s");
	manrs_vrp_set_free(s);
}

static void
bad_json(const char *text, int rc, const char *want)
{
	assert_null(load(text, rc, MANRS_VRP_FMT_AUTO));
	assert_string_equal(last_diag, want);
}

static void
bad_csv(const char *text, int rc, const char *want)
{
	assert_null(load(text, rc, MANRS_VRP_FMT_CSV));
	assert_string_equal(last_diag, want);
}

static void
test_hostile_json(void **state)
{
	(void)state;
	bad_json("{\"roas\":[{\"asn\":1,\"prefix\":\"192.0.2.0/24\","
	    "\"maxLength\":33}]}", MANRS_E_RANGE,
	    "t: byte 57: \"maxLength\" 33 outside 24..32 (RFC 6482 "
	    "section 3.3)");
	bad_json("{\"roas\":[{\"asn\":1,\"prefix\":\"192.0.2.0/24\","
	    "\"maxLength\":23}]}", MANRS_E_RANGE,
	    "t: byte 57: \"maxLength\" 23 outside 24..32 (RFC 6482 "
	    "section 3.3)");
	bad_json("{\"roas\":[{\"asn\":1,\"prefix\":\"192.0.2.1/24\"}]}",
	    MANRS_E_HOSTBITS, "t: byte 41: bad prefix \"192.0.2.1/24\": "
	    "host bits set after prefix length");
	bad_json("{\"roas\":[{\"asn\":\"ASx\",\"prefix\":\"192.0.2.0/24\"}]}",
	    MANRS_E_SYNTAX, "t: byte 21: bad AS number \"ASx\"");
	bad_json("{\"roas\":[{\"prefix\":\"192.0.2.0/24\"}]}", MANRS_E_FORMAT,
	    "t: byte 34: ROA entry without \"asn\"");
	bad_json("{\"aspas\":[{\"providers\":[1]}]}", MANRS_E_FORMAT,
	    "t: byte 27: ASPA entry without a customer");
	bad_json("{\"roas\":[{\"asn\":1,", MANRS_E_SYNTAX,
	    "t: byte 19: JSON: parse error: premature EOF");
}

/* A document that is a bare scalar: UBSan found c->st[-1] read for "123". */
static void
test_bare_scalar(void **state)
{
	(void)state;
	assert_null(load("123", MANRS_E_FORMAT, MANRS_VRP_FMT_JSON));
	assert_string_equal(last_diag, "t: byte 3: the document is a number, "
	    "not an object");
	assert_null(load("\"roas\"", MANRS_E_FORMAT, MANRS_VRP_FMT_JSON));
	assert_string_equal(last_diag, "t: byte 6: the document is a string, "
	    "not an object");
}

static void
test_depth_limit(void **state)
{
	char j[200];
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++)
		j[i] = '[';
	j[i] = '\0';
	bad_json(j, MANRS_E_LIMIT, "t: byte 33: JSON nested deeper than 32");
}

static void
test_csv(void **state)
{
	static const char rpki_client[] =
	    "ASN,IP Prefix,Max Length,Trust Anchor,Expires\n"
	    "AS13335,1.0.0.0/24,24,apnic,1800000000\n"
	    "AS13335,2606:4700::/32,48,arin,1800000000\n"
	    "AS64496,192.0.2.0/24,24,ripe,1600000000\n";
	static const char routinator[] =
	    "ASN,IP Prefix,Max Length,Trust Anchor\r\n"
	    "AS13335,1.0.0.0/24,24,apnic\r\n\r\n"
	    "AS13335,1.0.0.0/24,24,apnic\r\n";
	struct manrs_vrp_set *s;
	char buf[128];

	(void)state;
	s = load(rpki_client, 0, MANRS_VRP_FMT_AUTO);
	assert_int_equal(manrs_vrp_count(s, 0), 2);
	assert_int_equal(manrs_vrp_set_stats(s)->vrps_expired, 1);
	vrp_str(s, 1, buf, sizeof(buf));
	assert_string_equal(buf, "2606:4700::/32-48 AS13335");
	manrs_vrp_set_free(s);
	s = load(routinator, 0, MANRS_VRP_FMT_AUTO);
	assert_int_equal(manrs_vrp_count(s, 0), 1);
	manrs_vrp_set_free(s);
	bad_csv("ASN,IP Prefix,Max Length\nAS1,10.0.0.0/8,7\n", MANRS_E_RANGE,
	    "t: line 2: Max Length outside prefix length..address bits "
	    "(RFC 6482 section 3.3)");
	bad_csv("AS1,10.0.0.0/8\n", MANRS_E_FORMAT,
	    "t: line 1: too few columns");
	bad_csv("foo,bar\n", MANRS_E_FORMAT,
	    "t: line 1: CSV header lacks ASN, IP Prefix or Max Length");
	/* found by fuzzing: a header starting "ASN," without IP Prefix */
	bad_csv("ASN,IP Prefi\xe5,Max Length\nAS1,10.0.0.0/8,8\n",
	    MANRS_E_FORMAT, "t: line 1: CSV header lacks ASN, IP Prefix or "
	    "Max Length");
	bad_csv("AS1,10.0.0.0/8,8\nASx,10.0.0.0/8,8\n", MANRS_E_SYNTAX,
	    "t: line 2: bad ASN");
}

static void
test_limits(void **state)
{
	static const char j[] = "{\"roas\":[{\"asn\":1,\"prefix\":"
	    "\"10.0.0.0/8\",\"maxLength\":8},{\"asn\":2,\"prefix\":"
	    "\"10.0.0.0/8\",\"maxLength\":8}]}";
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	struct manrs_vrp_read_opts o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.now = NOW;
	o.max_vrps = 1;
	assert_int_equal(manrs_vrp_read_mem(s, j, strlen(j), "t", &o, &sink),
	    MANRS_E_LIMIT);
	assert_string_equal(last_diag,
	    "t: byte 100: ROA: limit exceeded (too many VRPs)");
	manrs_vrp_set_free(s);
}

static void
test_real_rpki_client(void **state)
{
	char path[4096];
	struct manrs_vrp_set *s;
	struct manrs_vrp_read_opts o;
	struct manrs_aspa a;

	(void)state;
	if (shared_path("rpki/json.gz", path, sizeof(path)) == NULL)
		skip();
	/* as of its build time (2023-05-04) nothing has expired */
	s = manrs_vrp_set_new(NULL);
	memset(&o, 0, sizeof(o));
	o.now = 1683200000;
	assert_int_equal(manrs_vrp_read(s, path, &o, &sink), 0);
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	/* PROVENANCE.md: 424,223 VRPs of which 100,620 IPv6; 6,647 ASPAs */
	assert_int_equal(manrs_vrp_count(s, MANRS_AF_INET), 323603);
	assert_int_equal(manrs_vrp_count(s, MANRS_AF_INET6), 100620);
	assert_int_equal(manrs_vrp_aspa_count(s), 6647);
	assert_int_equal(manrs_vrp_set_stats(s)->aspas_read, 13294);
	/* AS28: ipv4 {41881,61036,204096} + ipv6 {57485,60637,204096,210051} */
	assert_true(manrs_vrp_aspa_find(s, 28, &a));
	assert_int_equal(a.nproviders, 6);
	assert_int_equal(a.providers[5], 210051);
	assert_int_equal(manrs_vrp_set_stats(s)->buildtime, 1683211927);
	manrs_vrp_set_free(s);
	/* today everything in it has expired */
	s = manrs_vrp_set_new(NULL);
	assert_int_equal(manrs_vrp_read(s, path, NULL, &sink), 0);
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	assert_int_equal(manrs_vrp_count(s, 0), 0);
	assert_int_equal(manrs_vrp_set_stats(s)->vrps_expired, 424223);
	manrs_vrp_set_free(s);
}

static void
test_slurm(void **state)
{
	char path[4096];
	struct manrs_slurm *sl;
	struct manrs_vrp_set *s;
	struct manrs_aspa a;
	static const char j[] =
	    "{\"roas\":[{\"asn\":64496,\"prefix\":\"192.0.2.0/24\","
	    "\"maxLength\":24},{\"asn\":64501,\"prefix\":\"192.0.2.128/25\","
	    "\"maxLength\":25},{\"asn\":64497,\"prefix\":\"198.51.100.0/24\","
	    "\"maxLength\":24},{\"asn\":64498,\"prefix\":\"198.51.100.0/24\","
	    "\"maxLength\":24},{\"asn\":64496,\"prefix\":\"203.0.113.0/24\","
	    "\"maxLength\":24},{\"asn\":64499,\"prefix\":\"203.0.113.0/24\","
	    "\"maxLength\":24}],\"aspas\":[{\"customer\":64496,\"providers\":"
	    "[1,2]},{\"customer\":64500,\"providers\":[3]}],"
	    "\"bgpsec_keys\":[{\"asn\":64496,\"ski\":"
	    "\"0102030405060708090a0b0c0d0e0f1011121314\",\"pubkey\":\"AQ==\"}"
	    ",{\"asn\":64510,\"ski\":"
	    "\"0102030405060708090a0b0c0d0e0f1011121314\",\"pubkey\":\"AQ==\"}"
	    "]}";
	char buf[128];
	int err;

	(void)state;
	if (shared_path("rpki/full_v2.json", path, sizeof(path)) == NULL)
		skip();
	sl = manrs_slurm_read(path, &sink, &err);
	assert_non_null(sl);
	s = manrs_vrp_set_new(NULL);
	assert_int_equal(manrs_vrp_read_mem(s, j, strlen(j), "t", NULL,
	    &sink), 0);
	assert_int_equal(manrs_slurm_apply(sl, s), 0);
	assert_int_equal(manrs_vrp_set_finish(s), 0);
	/*
	 * Filters: 192.0.2.0/24 and everything under it; AS64496
	 * anywhere; 198.51.100.0/24 of AS64497.  Kept: 198.51.100.0/24
	 * AS64498, 203.0.113.0/24 AS64499.  Assertions add 198.51.100.0/24
	 * AS64496 and 2001:db8::/32-48 AS64496.
	 */
	assert_int_equal(manrs_vrp_count(s, 0), 4);
	vrp_str(s, 0, buf, sizeof(buf));
	assert_string_equal(buf, "198.51.100.0/24-24 AS64496");
	vrp_str(s, 1, buf, sizeof(buf));
	assert_string_equal(buf, "198.51.100.0/24-24 AS64498");
	vrp_str(s, 2, buf, sizeof(buf));
	assert_string_equal(buf, "203.0.113.0/24-24 AS64499");
	vrp_str(s, 3, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::/32-48 AS64496");
	/* ASPA: 64496 filtered, then asserted with 64497, 64498 */
	assert_int_equal(manrs_vrp_aspa_count(s), 2);
	assert_true(manrs_vrp_aspa_find(s, 64496, &a));
	assert_int_equal(a.nproviders, 2);
	assert_int_equal(a.providers[0], 64497);
	/* keys: AS64496's filtered, the asserted one added, 64510 kept */
	assert_int_equal(manrs_vrp_rkey_count(s), 2);
	manrs_vrp_set_free(s);
	manrs_slurm_free(sl);
}

static void
bad_slurm(const char *text, const char *want)
{
	int err;

	last_diag[0] = '\0';
	assert_null(manrs_slurm_read_mem(text, strlen(text), "s.json", &sink,
	    &err));
	assert_string_equal(last_diag, want);
}

static void
test_slurm_hostile(void **state)
{
	(void)state;
	bad_slurm("{\"slurmVersion\":3,\"validationOutputFilters\":{},"
	    "\"locallyAddedAssertions\":{}}",
	    "s.json: slurmVersion[0]: must be 1 or 2 (RFC 8416 section 3)");
	bad_slurm("{\"slurmVersion\":1,\"validationOutputFilters\":{"
	    "\"prefixFilters\":[{\"prefix\":\"10.0.0.0/8\",\"x\":1}]},"
	    "\"locallyAddedAssertions\":{}}",
	    "s.json: prefixFilters[0]: bad member (RFC 8416 section 3)");
	bad_slurm("{\"slurmVersion\":1,\"validationOutputFilters\":{"
	    "\"aspaFilters\":[{\"customerAsid\":1}]},"
	    "\"locallyAddedAssertions\":{}}",
	    "s.json: aspa[0]: ASPA members need slurmVersion 2 "
	    "(RFC 8416 section 3)");
	bad_slurm("{\"slurmVersion\":1,\"validationOutputFilters\":{},"
	    "\"locallyAddedAssertions\":{\"prefixAssertions\":[{\"asn\":1,"
	    "\"prefix\":\"10.0.0.0/8\",\"maxPrefixLength\":7}]}}",
	    "s.json: prefixAssertions[0]: maxPrefixLength outside prefix "
	    "length..address bits (RFC 8416 section 3)");
	bad_slurm("{\"slurmVersion\":1}",
	    "s.json: top[0]: validationOutputFilters and "
	    "locallyAddedAssertions are required objects (RFC 8416 section 3)");
	bad_slurm("{\"slurmVersion\":1,", "s.json: line 1: JSON: "
	    "string or '}' expected near end of file");
}

/*
 * manrs_vrp_set_expire: what is left at a later time, without reading
 * the input again (a daemon withdraws entries whose reload failed).
 */
static void
test_expire(void **state)
{
	static const char j[] =
	    "{\"roas\":["
	    "{\"asn\":1,\"prefix\":\"192.0.2.0/24\",\"maxLength\":24,"
	    "\"expires\":1700000100},"
	    /* the same VRP from another TA lives longer: merged, kept */
	    "{\"asn\":2,\"prefix\":\"198.51.100.0/24\",\"maxLength\":24,"
	    "\"expires\":1700000100},"
	    "{\"asn\":2,\"prefix\":\"198.51.100.0/24\",\"maxLength\":24,"
	    "\"expires\":1700000300},"
	    "{\"asn\":3,\"prefix\":\"2001:db8::/32\",\"maxLength\":48,"
	    "\"expires\":1700000200},"
	    "{\"asn\":4,\"prefix\":\"203.0.113.0/24\",\"maxLength\":24}],"
	    "\"aspas\":["
	    "{\"customer\":64500,\"expires\":1700000100,"
	    "\"providers\":[10,20]},"
	    "{\"customer\":64500,\"expires\":1700000200,"
	    "\"providers\":[20,30]},"
	    "{\"customer\":64501,\"expires\":1700000100,\"providers\":[0]}],"
	    "\"bgpsec_keys\":[{\"asn\":64496,\"ski\":"
	    "\"0102030405060708090a0b0c0d0e0f1011121314\",\"pubkey\":"
	    "\"AQIDBA==\",\"expires\":1700000100}]}";
	struct manrs_vrp_set *s = load(j, 0, MANRS_VRP_FMT_AUTO), *a, *b, *c;
	struct manrs_rov_result res;
	struct manrs_prefix p;
	struct manrs_aspa as;
	char buf[128];
	int err;

	(void)state;
	assert_int_equal(manrs_vrp_count(s, 0), 4);
	assert_int_equal(manrs_vrp_set_stats(s)->next_expiry, 1700000100);
	/* nothing due yet: the same content */
	a = manrs_vrp_set_expire(s, NOW + 99, &err);
	assert_non_null(a);
	assert_int_equal(manrs_vrp_count(a, 0), 4);
	assert_int_equal(manrs_vrp_aspa_count(a), 2);
	assert_int_equal(manrs_vrp_rkey_count(a), 1);
	assert_int_equal(manrs_vrp_set_stats(a)->vrps_expired, 0);
	manrs_vrp_set_free(a);
	/* at +100: AS1's VRP, the first ASPA object, AS64501, the key */
	a = manrs_vrp_set_expire(s, NOW + 100, &err);
	assert_non_null(a);
	assert_true(manrs_vrp_set_finished(a));
	assert_int_equal(manrs_vrp_count(a, 0), 3);
	assert_int_equal(manrs_vrp_count(a, MANRS_AF_INET), 2);
	vrp_str(a, 0, buf, sizeof(buf));
	assert_string_equal(buf, "198.51.100.0/24-24 AS2");
	vrp_str(a, 1, buf, sizeof(buf));
	assert_string_equal(buf, "203.0.113.0/24-24 AS4");
	vrp_str(a, 2, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::/32-48 AS3");
	assert_int_equal(manrs_vrp_set_stats(a)->vrps_expired, 1);
	assert_int_equal(manrs_vrp_set_stats(a)->aspas_expired, 1);
	assert_int_equal(manrs_vrp_set_stats(a)->rkeys_expired, 1);
	assert_int_equal(manrs_vrp_set_stats(a)->next_expiry, 1700000200);
	assert_int_equal(manrs_vrp_aspa_count(a), 1);
	assert_true(manrs_vrp_aspa_find(a, 64500, &as));
	assert_int_equal(as.nproviders, 2);
	assert_int_equal(as.providers[0], 20);
	assert_int_equal(as.providers[1], 30);
	assert_false(manrs_vrp_aspa_find(a, 64501, NULL));
	assert_int_equal(manrs_vrp_rkey_count(a), 0);
	/* the ROV index is rebuilt: 192.0.2.0/24 AS1 is no longer valid */
	assert_int_equal(manrs_prefix_parse(V("192.0.2.0/24"), 0, &p), 0);
	assert_int_equal(manrs_rov_validate(a, &p, 1, false, &res),
	    MANRS_ROV_NOTFOUND);
	assert_int_equal(manrs_prefix_parse(V("198.51.100.0/24"), 0, &p), 0);
	assert_int_equal(manrs_rov_validate(a, &p, 2, false, &res),
	    MANRS_ROV_VALID);
	/* expiring the result again, later: cumulative counts */
	b = manrs_vrp_set_expire(a, NOW + 250, &err);
	assert_non_null(b);
	assert_int_equal(manrs_vrp_count(b, 0), 2);
	assert_int_equal(manrs_vrp_count(b, MANRS_AF_INET6), 0);
	assert_int_equal(manrs_vrp_aspa_count(b), 0);
	assert_int_equal(manrs_vrp_set_stats(b)->vrps_expired, 2);
	assert_int_equal(manrs_vrp_set_stats(b)->next_expiry, 1700000300);
	/* past everything that expires: only the VRP without a time */
	c = manrs_vrp_set_expire(b, NOW + 1000000, &err);
	assert_non_null(c);
	assert_int_equal(manrs_vrp_count(c, 0), 1);
	vrp_str(c, 0, buf, sizeof(buf));
	assert_string_equal(buf, "203.0.113.0/24-24 AS4");
	assert_int_equal(manrs_vrp_set_stats(c)->next_expiry, 0);
	manrs_vrp_set_free(c);
	manrs_vrp_set_free(b);
	manrs_vrp_set_free(a);
	/* an unfinished set is refused */
	a = manrs_vrp_set_new(NULL);
	assert_null(manrs_vrp_set_expire(a, NOW, &err));
	assert_int_equal(err, MANRS_E_INVAL);
	manrs_vrp_set_free(a);
	manrs_vrp_set_free(s);
}

/* CSV "expires" column: the same per-entry expiry. */
static void
test_expire_csv(void **state)
{
	static const char t[] = "ASN,IP Prefix,Max Length,Trust Anchor,"
	    "Expires\nAS1,192.0.2.0/24,24,ripe,1700000100\n"
	    "AS2,192.0.2.0/24,24,ripe,1700000200\n";
	struct manrs_vrp_set *s = load(t, 0, MANRS_VRP_FMT_CSV), *a;
	int err;

	(void)state;
	a = manrs_vrp_set_expire(s, NOW + 150, &err);
	assert_non_null(a);
	assert_int_equal(manrs_vrp_count(a, 0), 1);
	assert_int_equal(manrs_vrp_get(a, 0)->asn, 2);
	manrs_vrp_set_free(a);
	manrs_vrp_set_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpki_client),
		cmocka_unit_test(test_provider_authorizations),
		cmocka_unit_test(test_routinator),
		cmocka_unit_test(test_stayrtr),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_hostile_json),
		cmocka_unit_test(test_bare_scalar),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_real_rpki_client),
		cmocka_unit_test(test_slurm),
		cmocka_unit_test(test_slurm_hostile),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_expire_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
