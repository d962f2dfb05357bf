/*
 * trie_aggregate_line.c - read one prefix-list line the way aggregate(1)
 * (Joe Abley, Debian 1.6) reads it, so that the same lines are accepted
 * and mean the same prefixes.
 *
 * "ADDR/LEN": ADDR is aggregate's own inet_aton(3) variant, 1 to 4
 * dot-separated decimal parts (a, a.b, a.b.c, a.b.c.d; zero padding is
 * decimal, never octal) ended by the end of the text or whitespace, after
 * which anything may follow up to the "/"; LEN is read like atoi(3)
 * (leading whitespace, a sign, digits, anything after ignored) and must
 * be 1..max.  With a default length, only the leading run of address
 * characters counts and every line gets the default, unchecked.  IPv6
 * lines (a ":" in the address) follow the same rules with their own
 * limits; the address is RFC 4291 text (manrs_addr_parse).
 *
 * Bounds: one pass over the view, no allocation; part values and the
 * length are capped before they could overflow.
 */
#include <ctype.h>
#include <string.h>

#include <manrs/aggregate.h>

/* Digits beyond this stop growing an atoi-read length (value capped). */
#define LINE_LEN_CAP	1000000L

static bool
parse_v4_compat(struct manrs_view t, uint32_t *out)
{
	uint32_t parts[4], val;
	size_t i = 0, np = 0;

	for (;;) {
		if (i >= t.len || !isdigit((unsigned char)t.p[i]))
			return false;
		for (val = 0; i < t.len && isdigit((unsigned char)t.p[i]);
		    i++) {
			if (val > (UINT32_MAX - 9) / 10)
				return false;
			val = val * 10 + (uint32_t)(t.p[i] - '0');
		}
		if (i < t.len && t.p[i] == '.') {
			if (np >= 3)
				return false;
			parts[np++] = val;
			i++;
			continue;
		}
		break;
	}
	if (i < t.len && !isspace((unsigned char)t.p[i]))
		return false;
	switch (np) {
	case 0:
		break;
	case 1:
		if (val > 0xffffff || parts[0] > 0xff)
			return false;
		val |= parts[0] << 24;
		break;
	case 2:
		if (val > 0xffff || parts[0] > 0xff || parts[1] > 0xff)
			return false;
		val |= parts[0] << 24 | parts[1] << 16;
		break;
	default:
		if (val > 0xff || parts[0] > 0xff || parts[1] > 0xff ||
		    parts[2] > 0xff)
			return false;
		val |= parts[0] << 24 | parts[1] << 16 | parts[2] << 8;
		break;
	}
	*out = val;
	return true;
}

static long
atoi_view(struct manrs_view t)
{
	size_t i = 0;
	long v = 0, sign = 1;

	while (i < t.len && isspace((unsigned char)t.p[i]))
		i++;
	if (i < t.len && (t.p[i] == '+' || t.p[i] == '-'))
		sign = t.p[i++] == '-' ? -1 : 1;
	for (; i < t.len && isdigit((unsigned char)t.p[i]); i++)
		if (v < LINE_LEN_CAP)
			v = v * 10 + (t.p[i] - '0');
	return sign * v;
}

/* The IPv6 address up to the first whitespace. */
static bool
parse_v6(struct manrs_view t, struct manrs_prefix *p)
{
	size_t n = 0;

	while (n < t.len && !isspace((unsigned char)t.p[n]))
		n++;
	return manrs_addr_parse(manrs_view_make(t.p, n), MANRS_PREFIX_V6_ONLY,
	    p) == 0;
}

static bool
addr_char(char ch, bool v6)
{
	return ch == '.' || isdigit((unsigned char)ch) ||
	    (v6 && (ch == ':' || isxdigit((unsigned char)ch)));
}

/*
 * Split a line into address text and length: "ADDR/LEN", or with a
 * default length the leading run of address characters.  *dflt is set
 * when the default length applies.
 */
static int
split_line(struct manrs_view text, const struct manrs_aggregate_line_opts *o,
    bool *v6, bool *dflt, struct manrs_view *addr, long *len)
{
	struct manrs_view rest;
	unsigned def;
	size_t n;

	*v6 = memchr(text.p, ':', text.len) != NULL;
	def = *v6 ? o->def6 : o->def4;
	if ((*dflt = def != 0)) {
		for (n = 0; n < text.len && addr_char(text.p[n], *v6); n++)
			continue;
		*addr = manrs_view_make(text.p, n);
		*len = (long)def;
		return 0;
	}
	if (!manrs_view_split(text, '/', addr, &rest))
		return MANRS_E_SYNTAX;
	*v6 = memchr(addr->p, ':', addr->len) != NULL;
	*len = atoi_view(rest);
	return 0;
}

int
manrs_aggregate_parse_line(struct manrs_view line,
    const struct manrs_aggregate_line_opts *o, struct manrs_aggregate_line *l)
{
	struct manrs_view addr;
	struct manrs_prefix *p = &l->prefix;
	uint32_t a4;
	bool v6, dflt;

	memset(l, 0, sizeof(*l));
	if (split_line(line, o, &v6, &dflt, &addr, &l->len) != 0) {
		l->why = "no '/LENGTH'";
		return MANRS_E_SYNTAX;
	}
	/* As aggregate: a default length is not range-checked. */
	if (l->len < (dflt ? 0 : 1) || l->len > (dflt ? (long)manrs_af_bits(
	    v6 ? MANRS_AF_INET6 : MANRS_AF_INET) : (long)(v6 ? o->max6 :
	    o->max4))) {
		l->why = "mask length out of range";
		return MANRS_E_RANGE;
	}
	if (v6) {
		if (!parse_v6(addr, p)) {
			l->why = "bad IPv6 address";
			return MANRS_E_SYNTAX;
		}
	} else {
		if (!parse_v4_compat(addr, &a4)) {
			l->why = "bad IPv4 address";
			return MANRS_E_SYNTAX;
		}
		p->af = MANRS_AF_INET;
		p->addr[0] = (uint8_t)(a4 >> 24);
		p->addr[1] = (uint8_t)(a4 >> 16);
		p->addr[2] = (uint8_t)(a4 >> 8);
		p->addr[3] = (uint8_t)a4;
	}
	p->len = (uint8_t)l->len;
	if (manrs_prefix_has_hostbits(p)) {
		manrs_prefix_mask(p);
		if (!o->truncate) {
			l->why = "host bits set after the length";
			return MANRS_E_HOSTBITS;
		}
		l->truncated = true;
	}
	return 0;
}
