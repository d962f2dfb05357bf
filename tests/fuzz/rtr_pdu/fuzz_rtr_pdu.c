/*
 * fuzz_rtr_pdu.c - bytes arriving at the RTR cache.  The input is fed to
 * a session in pieces whose sizes come from the first byte, against a
 * cache holding a few VRPs, an ASPA and a key, with one update between
 * pieces so that deltas are exercised.  Invariants: no crash, leak or
 * unbounded growth; everything the cache sends decodes as whole PDUs of
 * the negotiated version; once closing, the session accepts nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/rtr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct manrs_vrp_set *
mkset(int variant)
{
	struct manrs_vrp_set *s = manrs_vrp_set_new(NULL);
	struct manrs_vrp v;
	uint32_t prov[2] = { 64500, 64501 };
	uint8_t ski[20], key[8];

	memset(&v, 0, sizeof(v));
	memset(ski, 7, sizeof(ski));
	memset(key, 9, sizeof(key));
	v.prefix.af = MANRS_AF_INET;
	v.prefix.len = 24;
	v.prefix.addr[0] = 192;
	v.prefix.addr[2] = 2;
	v.maxlen = 24;
	v.asn = 64496;
	manrs_vrp_add(s, &v);
	v.prefix.addr[2] = (uint8_t)(3 + variant);
	manrs_vrp_add(s, &v);
	v.prefix.af = MANRS_AF_INET6;
	v.prefix.addr[0] = 0x20;
	v.prefix.len = 32;
	v.maxlen = 48;
	manrs_vrp_add(s, &v);
	manrs_vrp_aspa_add(s, 64496, prov, (size_t)(1 + variant));
	manrs_vrp_rkey_add(s, 64496, ski, key, sizeof(key));
	manrs_vrp_set_finish(s);
	return s;
}

static void
check_output(struct manrs_rtr_session *sess)
{
	struct manrs_buf out;
	struct manrs_rtr_pdu p;
	size_t off = 0;
	ptrdiff_t n;
	int rerr;

	manrs_buf_init(&out, 0);
	while (manrs_rtr_session_drain(sess, &out, 4096) > 0)
		if (out.len > (1u << 20))
			abort();
	while (off < out.len) {
		n = manrs_rtr_pdu_decode(out.p + off, out.len - off, &p, &rerr);
		if (n <= 0)
			abort();
		if (manrs_rtr_session_version(sess) >= 0 &&
		    p.version != manrs_rtr_session_version(sess) &&
		    p.type != MANRS_RTR_ERROR_REPORT)
			abort();
		off += (size_t)n;
	}
	manrs_buf_clear(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_rtr_config cfg;
	struct manrs_rtr_cache *c;
	struct manrs_rtr_session *sess;
	size_t piece, off = 1;
	int err, round = 0;

	if (size < 1)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.session_id = 0x1234;
	cfg.serial = 10;
	cfg.max_version = 2;
	if ((c = manrs_rtr_cache_new(&cfg, &err)) == NULL)
		abort();
	manrs_rtr_cache_update(c, mkset(0), NULL);
	sess = manrs_rtr_session_new(c);
	piece = (size_t)(data[0] % 32) + 1;
	while (off < size) {
		size_t n = size - off < piece ? size - off : piece;
		int rc = manrs_rtr_session_input(sess, data + off, n);

		check_output(sess);
		if (rc != 0 && !manrs_rtr_session_closing(sess))
			abort();
		if (manrs_rtr_session_closing(sess))
			break;
		off += n;
		if (++round % 3 == 0) {
			manrs_rtr_cache_update(c, mkset(round % 2), NULL);
			manrs_rtr_session_notify(sess);
		}
	}
	manrs_rtr_session_free(sess);
	manrs_rtr_cache_free(c);
	return 0;
}
