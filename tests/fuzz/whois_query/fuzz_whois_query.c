/*
 * fuzz_whois_query.c - the whois query engine fed arbitrary client
 * bytes against a small fixed database.  Invariants checked: every
 * answer starts with one of IRRd's codes ("A", "C", "D", "F") or RPSL
 * text / "%"; a framed "A<n>" answer is followed by exactly n bytes and
 * "C\n"; the engine never reads past what it was given; the resumable
 * form (prepare, then emit in 5-byte pieces, over a snapshot whose
 * expansion cache lives across inputs) gives the same bytes as step().
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/whois.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char db_text[] =
    "as-set: AS-A\nmembers: AS1, AS-B, AS2:AS-C\nmbrs-by-ref: ANY\n\n"
    "as-set: AS-B\nmembers: AS2, AS-A\n\n"
    "as-set: AS2:AS-C\nmembers: AS3\n\n"
    "aut-num: AS4\nmember-of: AS-A\nmnt-by: M\n\n"
    "route: 192.0.2.0/24\norigin: AS1\nmnt-by: M\n\n"
    "route: 192.0.2.0/25\norigin: AS2\n\n"
    "route6: 2001:db8::/32\norigin: AS3\n\n"
    "route-set: RS-A\nmembers: 10.0.0.0/8^+, AS1, RS-B^24\n\n"
    "route-set: RS-B\nmembers: 172.16.0.0/12^-\n\n"
    "mntner: M\nmnt-by: M\n";

static struct manrs_irrdb *db;
static struct manrs_whois_db *w;	/* owns db; never freed */

static void
setup(void)
{
	struct manrs_input *in;
	int err;

	db = manrs_irrdb_new(&err);
	manrs_irrdb_source_add(db, "TEST");
	manrs_irrdb_source_add(db, "OTHER");
	in = manrs_input_mem(db_text, sizeof(db_text) - 1, "db", &err);
	manrs_irrdb_load_input(db, 0, in, NULL);
	manrs_input_close(in);
	manrs_irrdb_finish(db);
	w = manrs_whois_db_new(db, 1u << 20, &err);
}

/* The same input through prepare + emit in small pieces. */
static void
resumable(const uint8_t *data, size_t size, struct manrs_buf *out)
{
	struct manrs_whois_session *s;
	size_t off = 0, chunk;
	int err, rc, e;

	if (w == NULL || (s = manrs_whois_session_new(&err)) == NULL)
		return;
	while (off < size) {
		chunk = size - off < 7 ? size - off : 7;
		if (manrs_whois_input(s, data + off, chunk) != 0)
			break;
		off += chunk;
		while ((rc = manrs_whois_prepare(s, w)) == 1) {
			while ((e = manrs_whois_emit(s, out, 5)) == 1)
				;
			if (e < 0)
				abort();
		}
		if (rc < 0)
			abort();
	}
	manrs_whois_session_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_whois_session *s;
	struct manrs_buf out, again;
	size_t off = 0, chunk;
	int err, rc;

	if (db == NULL)
		setup();
	if ((s = manrs_whois_session_new(&err)) == NULL)
		return 0;
	manrs_buf_init(&out, 0);
	/* Feed in odd-sized chunks, as a network would. */
	while (off < size) {
		chunk = size - off < 7 ? size - off : 7;
		if (manrs_whois_input(s, data + off, chunk) != 0)
			break;
		off += chunk;
		while ((rc = manrs_whois_step(s, db, &out)) == 1)
			;
		if (rc < 0)
			abort();
	}
	/* Check the framing of "!" answers. */
	for (size_t i = 0; i < out.len;) {
		const uint8_t *nl = memchr(out.p + i, '\n', out.len - i);
		size_t ll;

		if (nl == NULL)
			abort();	/* every answer ends in a newline */
		ll = (size_t)(nl - (out.p + i));
		if (out.p[i] == 'A' && ll > 1 && out.p[i + 1] >= '0' &&
		    out.p[i + 1] <= '9') {
			size_t n = 0, k;

			for (k = 1; k < ll; k++)
				n = n * 10 + (size_t)(out.p[i + k] - '0');
			i += ll + 1 + n;
			if (i + 2 > out.len || memcmp(out.p + i, "C\n", 2))
				abort();
			i += 2;
		} else {
			i += ll + 1;
		}
	}
	manrs_buf_init(&again, 0);
	resumable(data, size, &again);
	if (w != NULL && (again.len != out.len ||
	    (out.len > 0 && memcmp(again.p, out.p, out.len) != 0)))
		abort();	/* the two forms must agree byte for byte */
	manrs_buf_clear(&again);
	manrs_buf_clear(&out);
	manrs_whois_session_free(s);
	return 0;
}
