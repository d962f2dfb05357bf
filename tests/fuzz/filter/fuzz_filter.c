/*
 * fuzz_filter.c - the filter job (manrs/filter.h) on a fixed small IRR
 * database: the first two bytes choose the options (family, dialect,
 * generation, -A, -m, -R/-r, -L, bogons, an empty list allowed),
 * the rest is objects, one a line ("EXCEPT" switches to EXCEPT objects;
 * a line starting with '=' is a line of the previous list).  Invariants: no
 * crash or leak; a run returns 0 or a MANRS_E_* code; on 0 the text is
 * NUL-terminated with len bytes, and its verdict is one of the five.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/manrs.h>
#include <manrs/filter.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char db_text[] =
"as-set: AS-A\nmembers: AS196615, AS-B, AS23456, AS64512\nsource: F\n\n"
"as-set: AS-B\nmembers: AS196616, AS-A, F::AS-C\nsource: F\n\n"
"route-set: RS-A\nmembers: 185.0.0.0/16^18-20, 193.0.0.0/22^+, "
"192.0.2.0/24, 2a00::/32^33-34\nsource: F\n\n"
"route: 193.0.0.0/22\norigin: AS196615\nsource: F\n\n"
"route: 192.0.2.0/24\norigin: AS196616\nsource: F\n\n"
"route: 10.1.0.0/16\norigin: AS23456\nsource: F\n\n"
"route6: 2a00:1::/32\norigin: AS196615\nsource: F\n\n";

static struct manrs_irrdb *db;

static void
load(void)
{
	struct manrs_input *in;
	int err, src;

	if ((db = manrs_irrdb_new(&err)) == NULL)
		abort();
	src = manrs_irrdb_source_add(db, "F");
	if ((in = manrs_input_mem(db_text, strlen(db_text), "f.db",
	    &err)) == NULL || manrs_irrdb_load_input(db, src, in, NULL) != 0)
		abort();
	manrs_input_close(in);
	if (manrs_irrdb_finish(db) != 0)
		abort();
}

static void
options(struct manrs_filter_opts *o, uint8_t a, uint8_t b)
{
	manrs_filter_opts_init(o);
	o->af = (a & 1) ? MANRS_AF_INET6 : MANRS_AF_INET;
	o->render.vendor = (enum manrs_render_vendor)((a >> 1) % 14);
	o->render.gen = (enum manrs_render_gen)((a >> 5) % 7);
	o->render.asnumber = 65000;
	if (o->render.vendor == MANRS_RENDER_FORMAT)
		o->render.format = "%n/%l %a-%A %N\\n";
	o->aggregate = b & 1;
	o->keep_bogons = b & 2;
	o->allow_empty = b & 4;
	o->maxdepth = (b >> 3) & 3;
	o->maxlen = (b & 0x20) ? (o->af == MANRS_AF_INET ? 24 : 48) : 0;
	o->refine = (b & 0x40) ? (o->af == MANRS_AF_INET ? 26 : 64) : 0;
	o->refine_low = (b & 0x80) ? (o->af == MANRS_AF_INET ? 22 : 40) : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_filter_opts o;
	struct manrs_filter_data d = { NULL, NULL, NULL };
	struct manrs_filter_result res;
	struct manrs_filter *f;
	char *buf, *line, *next, *prev;
	size_t plen = 0;
	bool except = false;
	int err, rc;

	if (size < 2 || size > 4096)
		return 0;
	if (db == NULL)
		load();
	options(&o, data[0], data[1]);
	if ((buf = malloc(size - 1)) == NULL)
		return 0;
	if ((prev = malloc(size)) == NULL) {
		free(buf);
		return 0;
	}
	memcpy(buf, data + 2, size - 2);
	buf[size - 2] = '\0';
	for (line = buf; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			next++;
		if (line[0] == '=') {
			size_t n = next != NULL ? (size_t)(next - line) - 1 :
			    strlen(line + 1);

			memcpy(prev + plen, line + 1, n);
			plen += n;
		}
	}
	if (plen > 0) {
		o.previous = prev;
		o.previous_len = plen;
	}
	if ((f = manrs_filter_new(&o, &err)) == NULL) {
		free(buf);
		free(prev);
		return 0;
	}
	for (line = buf; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strcmp(line, "EXCEPT") == 0)
			except = true;
		else if (line[0] == '=')
			continue;	/* a previous list line (above) */
		else if (line[0] != '\0' &&
		    manrs_filter_add_object(f, line, except) == MANRS_E_NOMEM)
			break;
	}
	d.db = db;
	rc = manrs_filter_run(f, &d, &res);
	if (rc == 0) {
		if (res.text == NULL || strlen(res.text) != res.len ||
		    res.verdict > MANRS_FILTER_EXPLAINED)
			abort();
		manrs_filter_result_clear(&res);
	} else if (rc > 0)
		abort();
	manrs_filter_free(f);
	free(buf);
	free(prev);
	return 0;
}
