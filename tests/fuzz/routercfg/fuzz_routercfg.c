/*
 * fuzz_routercfg.c - the router-config parsers (the first byte picks
 * FRR, OpenBGPD, BIRD, Junos, IOS, EOS or IOS-XR, the rest is the
 * config), roles and every check over what was parsed.  Checks must
 * never fail on a parsed model but for memory.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/routercfg.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manrs_diag_sink sink = { 0 };
	struct manrs_rc_findings f;
	enum manrs_rc_dialect d;
	struct manrs_rc *rc;
	const char *why;
	int r;

	if (size < 1)
		return 0;
	/* Seeds start with 'f', 'o', 'b', 'j', 'i', 'e' or 'x'; other
	 * bytes pick by value. */
	switch (data[0] == 'f' ? 0 : data[0] == 'o' ? 1 : data[0] == 'b' ?
	    2 : data[0] == 'j' ? 3 : data[0] == 'i' ? 4 : data[0] == 'e' ? 5 :
	    data[0] == 'x' ? 6 : data[0] % 7) {
	case 0:
		d = MANRS_RC_FRR;
		break;
	case 1:
		d = MANRS_RC_OPENBGPD;
		break;
	case 2:
		d = MANRS_RC_BIRD;
		break;
	case 4:
		d = MANRS_RC_IOS;
		break;
	case 5:
		d = MANRS_RC_EOS;
		break;
	case 6:
		d = MANRS_RC_IOSXR;
		break;
	default:
		d = MANRS_RC_JUNOS;
		break;
	}
	(void)manrs_rc_guess((const char *)data + 1, size - 1, &why);
	if ((rc = manrs_rc_new()) == NULL)
		return 0;
	r = manrs_rc_parse(rc, d, "fuzz", (const char *)data + 1, size - 1,
	    &sink);
	if (r == 0 || r == MANRS_E_SYNTAX) {
		for (size_t i = 0; i < manrs_rc_session_count(rc); i++)
			if (manrs_rc_session(rc, i)->neighbor == NULL)
				abort();
		(void)manrs_rc_set_role(rc, "AS1", MANRS_RC_ROLE_CUSTOMER);
		(void)manrs_rc_set_role(rc, "192.0.2.2", MANRS_RC_ROLE_PEER);
		if (size > 1 && (data[1] & 1))
			(void)manrs_rc_set_role(rc, "AS0",
			    MANRS_RC_ROLE_PROVIDER);
		manrs_rc_findings_init(&f);
		if (manrs_rc_session_count(rc) > 0) {
			struct manrs_prefix_range pr[2];

			memset(pr, 0, sizeof(pr));
			(void)manrs_prefix_parse(manrs_view_cstr("8.8.8.0/24"),
			    0, &pr[0].prefix);
			pr[0].min = 24;
			pr[0].max = 24;
			(void)manrs_prefix_parse(
			    manrs_view_cstr("2001:db8::/32"), 0,
			    &pr[1].prefix);
			pr[1].min = 32;
			pr[1].max = 48;
			(void)manrs_rc_compare_irr(rc, 0, "AS-X", pr, 2, "now",
			    &f);
		}
		if (manrs_rc_check(rc, &f) == 0)
			for (size_t i = 0; i < f.n; i++)
				if (f.v[i].check == NULL || f.v[i].text == NULL)
					abort();
		manrs_rc_findings_clear(&f);
	}
	manrs_rc_free(rc);
	return 0;
}
