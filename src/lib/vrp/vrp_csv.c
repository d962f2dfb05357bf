/*
 * vrp_csv.c - CSV VRP lists as rpki-client (-c) and Routinator (csv,
 * csvcompat, csvext) write them:
 *   ASN,IP Prefix,Max Length,Trust Anchor[,Expires]
 *   AS13335,1.0.0.0/24,24,apnic,1683277596
 * Columns are found by the header's names when there is a header
 * ("ASN", "IP Prefix", "Max Length", "Expires", "Not After"), else the
 * first three columns are ASN, prefix and max length.  Lines are bounded
 * (MANRS_VRP_CSV_LINE_MAX); the first bad line fails the read with its
 * number.  Blank lines and lines starting with '#' are skipped.
 */
#include <string.h>

#include "vrp_int.h"

#define CSV_COLS_MAX	32

struct cols {
	int	asn, prefix, maxlen, expires;
};

static void
header(struct manrs_view line, struct cols *c)
{
	struct manrs_view f;
	int i = 0;

	c->asn = c->prefix = c->maxlen = c->expires = -1;
	while (manrs_view_field(&line, ",", false, &f) && i < CSV_COLS_MAX) {
		f = manrs_view_trim(f);
		if (manrs_view_caseeq(f, "ASN"))
			c->asn = i;
		else if (manrs_view_caseeq(f, "IP Prefix") ||
		    manrs_view_caseeq(f, "Prefix"))
			c->prefix = i;
		else if (manrs_view_caseeq(f, "Max Length") ||
		    manrs_view_caseeq(f, "maxLength"))
			c->maxlen = i;
		else if (manrs_view_caseeq(f, "Expires") ||
		    manrs_view_caseeq(f, "Not After"))
			c->expires = i;
		i++;
	}
}

static int
record(struct manrs_vrp_set *s, struct manrs_view line, const struct cols *c,
    const struct manrs_vrp_read_opts *o, const char **why)
{
	struct manrs_view f[CSV_COLS_MAX];
	struct manrs_vrp v;
	uint32_t ml;
	int64_t t = 0;
	int n = 0, rc;

	while (n < CSV_COLS_MAX && manrs_view_field(&line, ",", false, &f[n]))
		f[n] = manrs_view_trim(f[n]), n++;
	if (c->asn < 0 || c->prefix < 0 || c->maxlen < 0 || c->asn >= n ||
	    c->prefix >= n || c->maxlen >= n || c->expires >= n) {
		*why = "too few columns";
		return MANRS_E_FORMAT;
	}
	memset(&v, 0, sizeof(v));
	if (manrs_asn_parse(f[c->asn], &v.asn) != 0) {
		*why = "bad ASN";
		return MANRS_E_SYNTAX;
	}
	if ((rc = manrs_prefix_parse(f[c->prefix], 0, &v.prefix)) != 0) {
		*why = manrs_strerror(rc);
		return rc;
	}
	if (manrs_view_u32(f[c->maxlen], 255, &ml) != 0 ||
	    ml < v.prefix.len || ml > manrs_af_bits(v.prefix.af)) {
		*why = "Max Length outside prefix length..address bits "
		    "(RFC 6482 section 3.3)";
		return MANRS_E_RANGE;
	}
	v.maxlen = (uint8_t)ml;
	s->stats.vrps_read++;
	if (c->expires >= 0 && f[c->expires].len > 0) {
		if (vrp_time_parse(f[c->expires], &t) != 0) {
			*why = "bad expiry time";
			return MANRS_E_SYNTAX;
		}
		if (t <= (int64_t)o->now) {
			s->stats.vrps_expired++;
			return 0;
		}
		if (s->stats.next_expiry == 0 || t < s->stats.next_expiry)
			s->stats.next_expiry = t;
	}
	if ((rc = vrp_add_exp(s, &v, t)) != 0)
		*why = rc == MANRS_E_LIMIT ? "too many VRPs" :
		    manrs_strerror(rc);
	return rc;
}

int
vrp_csv_read(struct manrs_vrp_set *s, struct manrs_input *in,
    const struct manrs_vrp_read_opts *o, struct manrs_diag_sink *diag)
{
	struct cols c = { 0, 1, 2, -1 };
	struct manrs_view line, t;
	const char *why;
	bool first = true;
	int rc;

	manrs_input_set_line_max(in, MANRS_VRP_CSV_LINE_MAX);
	for (;;) {
		rc = manrs_input_line(in, &line);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			manrs_diag_report(diag, MANRS_SEV_ERROR,
			    manrs_input_name(in), manrs_input_lineno(in),
			    UINT64_MAX, "%s", rc == MANRS_E_LIMIT ?
			    "line longer than 4096 bytes" :
			    manrs_strerror(rc));
			return rc;
		}
		t = manrs_view_trim(line);
		if (t.len == 0 || t.p[0] == '#')
			continue;
		/* a header: anything not starting like a record does */
		if (first && ((!(t.p[0] >= '0' && t.p[0] <= '9') &&
		    !manrs_view_case_starts_with(t, "AS")) ||
		    manrs_view_case_starts_with(t, "ASN"))) {
			header(t, &c);
			first = false;
			if (c.asn < 0 || c.prefix < 0 || c.maxlen < 0) {
				manrs_diag_report(diag, MANRS_SEV_ERROR,
				    manrs_input_name(in),
				    manrs_input_lineno(in), UINT64_MAX,
				    "CSV header lacks ASN, IP Prefix or "
				    "Max Length");
				return MANRS_E_FORMAT;
			}
			continue;
		}
		first = false;
		why = "";
		if ((rc = record(s, t, &c, o, &why)) != 0) {
			manrs_diag_report(diag, MANRS_SEV_ERROR,
			    manrs_input_name(in), manrs_input_lineno(in),
			    UINT64_MAX, "%s", why);
			return rc;
		}
	}
}
