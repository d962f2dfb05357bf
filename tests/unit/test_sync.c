/*
 * test_sync.c - manrs sync's pieces without a network: the index-page
 * parser (Apache, nginx and hostile pages), the times in archive file
 * names, the sync.json manifest (round trip, atomic save, bad input) and
 * the verification a download passes before it may replace the last good
 * file (real data, cut, wrong kind, garbage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "sync.h"

static size_t
parse(const char *html, char ***names)
{
	size_t n;

	assert_int_equal(sync_index_parse(html, strlen(html), names, &n), 0);
	return n;
}

static void
test_index_nginx(void **state)
{
	/* nginx autoindex, as served by the interop test's mirror. */
	static const char page[] =
	    "<html>\r\n<head><title>Index of /rrc00/2024.01/</title></head>\r\n"
	    "<body>\r\n<h1>Index of /rrc00/2024.01/</h1><hr><pre>"
	    "<a href=\"../\">../</a>\r\n"
	    "<a href=\"bview.20240101.0000.gz\">bview.20240101.0000.gz</a>"
	    "        01-Jan-2024 00:52    1G\r\n"
	    "<a href=\"updates.20240101.0005.gz\">updates.20240101.0005.gz"
	    "</a>\r\n"
	    "<a href=\"sub/\">sub/</a>\r\n"
	    "</pre><hr></body>\r\n</html>\r\n";
	char **names;
	size_t n;

	(void)state;
	n = parse(page, &names);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "bview.20240101.0000.gz");
	assert_string_equal(names[1], "updates.20240101.0005.gz");
	sync_index_free(names, n);
}

static void
test_index_apache(void **state)
{
	/* Apache: sort links, icons, escapes, single quotes, duplicates. */
	static const char page[] =
	    "<tr><th><a href=\"?C=N;O=D\">Name</a></th>"
	    "<th><a href=\"?C=M;O=A\">Last modified</a></th></tr>"
	    "<tr><td><img src=\"/icons/back.gif\"></td>"
	    "<td><a href=\"/datasets/as-relationships/\">Parent</a></td></tr>"
	    "<tr><td><a href=\"20240101.as-rel2.txt.bz2\">x</a></td></tr>"
	    "<tr><td><A HREF='20240101.as-rel2.txt.bz2.md5'>x</A></td></tr>"
	    "<tr><td><a href=\"20240101.as-rel2.txt.bz2\">again</a></td></tr>"
	    "<tr><td><a href=\"a%20b.txt\">space</a></td></tr>"
	    "<tr><td><a href=\"x&amp;y.txt\">amp</a></td></tr>"
	    "<tr><td><a href=./dot.txt>unquoted</a></td></tr>";
	char **names;
	size_t n;

	(void)state;
	n = parse(page, &names);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "20240101.as-rel2.txt.bz2");
	assert_string_equal(names[1], "20240101.as-rel2.txt.bz2.md5");
	assert_string_equal(names[2], "a b.txt");
	assert_string_equal(names[3], "x&y.txt");
	assert_string_equal(names[4], "dot.txt");
	sync_index_free(names, n);
}

static void
test_index_hostile(void **state)
{
	/* Nothing that leaves the folder or names something else. */
	static const char page[] =
	    "<a href=\"../../etc/passwd\">1</a>"
	    "<a href=\"/etc/passwd\">2</a>"
	    "<a href=\"https://evil.example/x.gz\">3</a>"
	    "<a href=\"..\">4</a><a href=\".\">5</a>"
	    "<a href=\"%2e%2e%2fetc\">6</a>"
	    "<a href=\"a%00b\">7</a>"
	    "<a href=\"a\\b\">8</a>"
	    "<a href=\"javascript:x\">9</a>"
	    "<a href=\"#top\">10</a>"
	    "<a data-href=\"notalink\">11</a>"
	    "<a href=\"\">12</a>"
	    "<a href=\"unterminated";
	char **names, big[600];
	size_t n;

	(void)state;
	n = parse(page, &names);
	assert_int_equal(n, 0);
	sync_index_free(names, n);
	/* A name past SYNC_NAME_MAX is dropped. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "<a href=\"", 9);
	memcpy(big + sizeof(big) - 3, "\">", 3);
	n = parse(big, &names);
	assert_int_equal(n, 0);
	sync_index_free(names, n);
	/* Empty input. */
	assert_int_equal(sync_index_parse("", 0, &names, &n), 0);
	assert_int_equal(n, 0);
	sync_index_free(names, n);
}

static void
test_name_time(void **state)
{
	(void)state;
	assert_int_equal(sync_name_time("bview.20240101.0800.gz", "bview."),
	    1704096000);
	assert_int_equal(sync_name_time("updates.20020722.2238.gz",
	    "updates."), 1027377480);
	assert_int_equal(sync_name_time("rib.20140523.0600.bz2", "rib."),
	    1400824800);
	assert_int_equal(sync_name_time("20210901.as-rel2.txt.bz2", ""),
	    1630454400);
	/* Other prefixes, bad dates and times. */
	assert_int_equal(sync_name_time("bview.20240101.0800.gz", "rib."),
	    -1);
	assert_int_equal(sync_name_time("bview.20241301.0800.gz", "bview."),
	    -1);
	assert_int_equal(sync_name_time("bview.20240101.2460.gz", "bview."),
	    -1);
	assert_int_equal(sync_name_time("bview.2024010.gz", "bview."), -1);
	assert_int_equal(sync_name_time("bview.20240101x", "bview."), -1);
	assert_int_equal(sync_name_time("index.html", ""), -1);
}

static void
test_manifest(void **state)
{
	char dir[] = "/tmp/manrs-test-sync.XXXXXX", path[256], err[512];
	struct sync_manifest m, r;
	struct sync_entry e, *f;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sync.json", dir);

	/* Absent: empty. */
	sync_manifest_init(&m);
	assert_int_equal(sync_manifest_load(&m, path, err, sizeof(err)), 0);
	assert_int_equal(m.n, 0);

	memset(&e, 0, sizeof(e));
	e.path = (char *)"rib/bview.20240101.0000.rrc00.gz";
	e.source = (char *)"ris";
	e.url = (char *)"https://data.ris.ripe.net/rrc00/2024.01/"
	    "bview.20240101.0000.gz";
	e.etag = (char *)"\"65a1-5f\"";
	e.last_modified = 1704070000;
	e.fetched = 1704100000;
	e.changed = 1704100000;
	e.size = 123456789;
	memset(e.sha256, 'a', 64);
	e.data_time = 1704067200;
	e.time_field = (char *)"first record";
	assert_int_equal(sync_manifest_set(&m, &e), 0);
	e.path = (char *)"asrel/20240101.as-rel2.txt.bz2";
	e.source = (char *)"asrel";
	e.etag = NULL;
	e.checksum = (char *)"md5 https://x/20240101.as-rel2.txt.bz2.md5";
	assert_int_equal(sync_manifest_set(&m, &e), 0);
	/* Replace by path. */
	e.size = 42;
	assert_int_equal(sync_manifest_set(&m, &e), 0);
	assert_int_equal(m.n, 2);
	m.synced = 1704100000;
	m.peeringdb_access = strdup("public");
	assert_int_equal(sync_manifest_save(&m, path, err, sizeof(err)), 0);

	sync_manifest_init(&r);
	assert_int_equal(sync_manifest_load(&r, path, err, sizeof(err)), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.synced, 1704100000);
	assert_string_equal(r.peeringdb_access, "public");
	f = sync_manifest_find(&r, "rib/bview.20240101.0000.rrc00.gz");
	assert_non_null(f);
	assert_string_equal(f->source, "ris");
	assert_string_equal(f->etag, "\"65a1-5f\"");
	assert_int_equal(f->last_modified, 1704070000);
	assert_int_equal(f->fetched, 1704100000);
	assert_int_equal(f->size, 123456789);
	assert_int_equal(f->data_time, 1704067200);
	assert_string_equal(f->time_field, "first record");
	assert_int_equal(strlen(f->sha256), 64);
	f = sync_manifest_find(&r, "asrel/20240101.as-rel2.txt.bz2");
	assert_non_null(f);
	assert_int_equal(f->size, 42);
	assert_null(f->etag);
	assert_non_null(f->checksum);
	sync_manifest_del(&r, "asrel/20240101.as-rel2.txt.bz2");
	assert_int_equal(r.n, 1);
	assert_null(sync_manifest_find(&r, "asrel/20240101.as-rel2.txt.bz2"));
	sync_manifest_clear(&r);
	sync_manifest_clear(&m);

	/* Not a manifest, bad JSON, a path that leaves the folder. */
	fp = fopen(path, "w");
	fputs("{\"format\": \"other\", \"files\": []}", fp);
	fclose(fp);
	sync_manifest_init(&r);
	assert_int_equal(sync_manifest_load(&r, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a manrs-sync/1 manifest"));
	fp = fopen(path, "w");
	fputs("{\"format\": \"manrs-sync/1\", \"files\": [", fp);
	fclose(fp);
	assert_int_equal(sync_manifest_load(&r, path, err, sizeof(err)), -1);
	fp = fopen(path, "w");
	fputs("{\"format\": \"manrs-sync/1\", \"files\": "
	    "[{\"path\": \"../../etc/passwd\"}]}", fp);
	fclose(fp);
	assert_int_equal(sync_manifest_load(&r, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad path"));
	sync_manifest_clear(&r);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);	/* no temporary file left */
}

/* Write n bytes of p to a temporary file; its path in buf. */
static const char *
tmpfile_with(char *buf, size_t size, const void *p, size_t n)
{
	FILE *fp;
	int fd;

	snprintf(buf, size, "/tmp/manrs-test-verify.XXXXXX");
	assert_true((fd = mkstemp(buf)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* The first n bytes of a shared file (0: all) in a temporary file. */
static const char *
shared_cut(const char *rel, size_t n, char *buf, size_t size)
{
	char src[4096], *data;
	const char *path;
	size_t len;
	FILE *fp;

	if ((path = shared_path(rel, src, sizeof(src))) == NULL)
		return NULL;
	assert_non_null(fp = fopen(path, "rb"));
	assert_non_null(data = malloc(8u * 1024 * 1024));
	len = fread(data, 1, 8u * 1024 * 1024, fp);
	fclose(fp);
	tmpfile_with(buf, size, data, n > 0 && n < len ? n : len);
	free(data);
	return buf;
}

static void
expect(const char *path, enum sync_kind kind, int rc, const char *why)
{
	struct sync_verified v;
	char msg[512];

	assert_int_equal(sync_verify(path, kind, &v, msg, sizeof(msg)), rc);
	if (why != NULL && strstr(msg, why) == NULL)
		fail_msg("%s as %s: '%s' lacks '%s'", path,
		    sync_kind_name(kind), msg, why);
}

static void
test_verify_real(void **state)
{
	struct sync_verified v;
	char p[256], msg[512];

	(void)state;
	if (shared_cut("mrt/bview.20020722.2337.gz", 0, p, sizeof(p)) ==
	    NULL)
		skip();
	assert_int_equal(sync_verify(p, SYNC_K_MRT_RIB, &v, msg,
	    sizeof(msg)), 0);
	assert_true(v.records > 1000);
	assert_string_equal(v.time_field, "first record");
	assert_true(v.data_time >= 1027380960 && v.data_time < 1027384600);
	/* A RIB is no update file, and the reverse. */
	expect(p, SYNC_K_MRT_UPDATES, -1, "BGP4MP");
	/* Cut inside the gzip stream: the last good file must stay. */
	unlink(p);
	shared_cut("mrt/bview.20020722.2337.gz", 200000, p, sizeof(p));
	expect(p, SYNC_K_MRT_RIB, -1, "truncated compressed stream");
	unlink(p);
	shared_cut("mrt/updates.20020722.2238.gz", 0, p, sizeof(p));
	expect(p, SYNC_K_MRT_UPDATES, 0, NULL);
	expect(p, SYNC_K_MRT_RIB, -1, "TABLE_DUMP");
	unlink(p);
	shared_cut("rpki/json.gz", 0, p, sizeof(p));
	assert_int_equal(sync_verify(p, SYNC_K_VRP, &v, msg, sizeof(msg)),
	    0);
	assert_true(v.records > 100000);
	assert_string_equal(v.time_field, "buildtime");
	expect(p, SYNC_K_RPSL, -1, "no object");
	unlink(p);
	shared_cut("irr/ripe-nonauth.db.aut-num.gz", 0, p, sizeof(p));
	expect(p, SYNC_K_RPSL, 0, NULL);
	expect(p, SYNC_K_VRP, -1, "VRPs");
	expect(p, SYNC_K_DELEG, -1, "version line");
	unlink(p);
	shared_cut("iana/delegated-ripencc-extended-latest.gz", 0, p,
	    sizeof(p));
	assert_int_equal(sync_verify(p, SYNC_K_DELEG, &v, msg, sizeof(msg)),
	    0);
	assert_string_equal(v.time_field, "enddate");
	assert_int_equal(v.data_time, 1366243200);	/* 20130418 */
	unlink(p);
	shared_cut("iana/iana-ipv4-special-registry.xml", 0, p, sizeof(p));
	assert_int_equal(sync_verify(p, SYNC_K_IANA, &v, msg, sizeof(msg)),
	    0);
	assert_string_equal(v.time_field, "updated");
	expect(p, SYNC_K_BOGONS, -1, "not a prefix");
	unlink(p);
	shared_cut("caida/20210901.as-rel2.txt.bz2", 0, p, sizeof(p));
	expect(p, SYNC_K_ASREL, 0, NULL);
	expect(p, SYNC_K_PDB, -1, "PeeringDB");
	unlink(p);
	shared_cut("peeringdb/net/page-1.json", 0, p, sizeof(p));
	expect(p, SYNC_K_PDB, 0, NULL);
	unlink(p);
}

static void
test_verify_made(void **state)
{
	static const char bogons[] = "# last updated 1711541101 (x)\n"
	    "0.0.0.0/8\n10.0.0.0/8\n";
	static const char bad_bogons[] = "0.0.0.0/8\n10.0.0.0/33\n";
	static const char html[] = "<html><body>moved</body></html>\n";
	static const char gz_garbage[] = "\x1f\x8b\x08\x00garbage";
	struct sync_verified v;
	char p[256], msg[512];

	(void)state;
	tmpfile_with(p, sizeof(p), "", 0);
	expect(p, SYNC_K_RPSL, -1, "empty");
	unlink(p);
	tmpfile_with(p, sizeof(p), bogons, sizeof(bogons) - 1);
	assert_int_equal(sync_verify(p, SYNC_K_BOGONS, &v, msg, sizeof(msg)),
	    0);
	assert_int_equal(v.records, 2);
	assert_int_equal(v.data_time, 1711541101);
	unlink(p);
	tmpfile_with(p, sizeof(p), bad_bogons, sizeof(bad_bogons) - 1);
	expect(p, SYNC_K_BOGONS, -1, "line 2");
	unlink(p);
	tmpfile_with(p, sizeof(p), html, sizeof(html) - 1);
	expect(p, SYNC_K_VRP, -1, "VRPs");
	expect(p, SYNC_K_MRT_RIB, -1, NULL);
	expect(p, SYNC_K_IANA, -1, "registry");
	expect(p, SYNC_K_SPOOFER, -1, NULL);
	unlink(p);
	tmpfile_with(p, sizeof(p), gz_garbage, sizeof(gz_garbage) - 1);
	expect(p, SYNC_K_RPSL, -1, "compressed");
	unlink(p);
}

static void
test_annotate(void **state)
{
	char dir[] = "/tmp/manrs-test-annotate.XXXXXX", path[512], err[256];
	struct manrs_provenance_list l;
	struct manrs_provenance p, *q;
	struct sync_manifest m;
	struct sync_entry e;
	struct manrs_buf b;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rpki", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/rpki/vrps.json", dir);
	fp = fopen(path, "w");
	fputs("{}\n", fp);	/* 3 bytes */
	fclose(fp);
	sync_manifest_init(&m);
	memset(&e, 0, sizeof(e));
	e.path = (char *)"rpki/vrps.json";
	e.source = (char *)"rpki";
	e.url = (char *)"https://console.rpki-client.org/vrps.json";
	e.fetched = 1704100000;
	e.size = 3;
	memset(e.sha256, 'b', 64);
	assert_int_equal(sync_manifest_set(&m, &e), 0);
	e.path = (char *)"peeringdb/net.json";
	e.url = (char *)"https://www.peeringdb.com/api/net";
	e.size = 999;
	assert_int_equal(sync_manifest_set(&m, &e), 0);
	m.peeringdb_access = strdup("public");
	snprintf(path, sizeof(path), "%s/sync.json", dir);
	assert_int_equal(sync_manifest_save(&m, path, err, sizeof(err)), 0);
	sync_manifest_clear(&m);

	manrs_provenance_list_init(&l);
	snprintf(path, sizeof(path), "%s/rpki/vrps.json", dir);
	manrs_provenance_init(&p, "vrps", path);
	assert_int_equal(manrs_provenance_list_add(&l, &p, NULL), 0);
	snprintf(path, sizeof(path), "%s/peeringdb/net.json", dir);
	manrs_provenance_init(&p, "peeringdb", path);
	assert_int_equal(manrs_provenance_list_add(&l, &p, NULL), 0);
	manrs_provenance_init(&p, "rib", "/elsewhere/rib.gz");
	assert_int_equal(manrs_provenance_list_add(&l, &p, NULL), 0);
	assert_int_equal(sync_provenance_annotate(dir, &l), 2);
	q = &l.v[0];
	assert_string_equal(q->url,
	    "https://console.rpki-client.org/vrps.json");
	assert_int_equal(q->fetched, 1704100000);
	assert_int_equal(strlen(q->sha256), 64);
	assert_string_equal(l.v[2].url, "");
	/* The PeeringDB file is absent (no size warning); public access. */
	assert_int_equal(l.nwarnings, 1);
	assert_non_null(strstr(l.warnings[0], "without an API key"));
	/* Printed in text and JSON. */
	manrs_buf_init(&b, 0);
	assert_int_equal(manrs_provenance_print(q, &b), 0);
	manrs_buf_put_u8(&b, 0);
	assert_non_null(strstr((char *)b.p, "; from https://console.rpki-"
	    "client.org/vrps.json fetched 2024-01-01T09:06:40Z\n"));
	manrs_buf_reset(&b);
	assert_int_equal(manrs_provenance_print_json(q, &b), 0);
	manrs_buf_put_u8(&b, 0);
	assert_non_null(strstr((char *)b.p, ",\"url\":\"https://console."
	    "rpki-client.org/vrps.json\",\"fetched\":\"2024-01-01T09:06:40Z"
	    "\",\"sha256\":\"bbbb"));
	manrs_buf_clear(&b);
	manrs_provenance_list_clear(&l);

	/* The file changed since sync fetched it: said. */
	snprintf(path, sizeof(path), "%s/rpki/vrps.json", dir);
	fp = fopen(path, "w");
	fputs("{\"roas\": []}\n", fp);
	fclose(fp);
	manrs_provenance_list_init(&l);
	manrs_provenance_init(&p, "vrps", path);
	assert_int_equal(manrs_provenance_list_add(&l, &p, NULL), 0);
	assert_int_equal(sync_provenance_annotate(dir, &l), 1);
	assert_int_equal(l.nwarnings, 1);
	assert_non_null(strstr(l.warnings[0], "changed since"));
	manrs_provenance_list_clear(&l);
	/* No sync.json: nothing. */
	manrs_provenance_list_init(&l);
	assert_int_equal(sync_provenance_annotate("/nonexistent", &l), 0);
	assert_int_equal(l.nwarnings, 0);
	manrs_provenance_list_clear(&l);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sync.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/rpki", dir);
	rmdir(path);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_nginx),
		cmocka_unit_test(test_index_apache),
		cmocka_unit_test(test_index_hostile),
		cmocka_unit_test(test_name_time),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_verify_real),
		cmocka_unit_test(test_verify_made),
		cmocka_unit_test(test_annotate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
