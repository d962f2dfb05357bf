/*
 * mrt_print.c - routes as text: the one-line formats of bgpdump 1.6.2
 * ("-m", "-M", with "-t change", "-l", "-u") byte for byte, and JSON.
 *
 * bgpdump conventions reproduced on purpose (see docs/mrt.md):
 *  - IPv4 text as inet_ntoa(), IPv6 as bgpdump's own fmt_ipv6(): the
 *    first longest zero run is compressed even when it is one group
 *    (RFC 5952 4.2.2 says not to), and ::a.b.c.d / ::ffff:a.b.c.d keep
 *    the dotted quad;
 *  - prefixes printed with the bytes as sent (host bits not cleared);
 *  - a missing NEXT_HOP prints 255.255.255.255, missing LOCAL_PREF and
 *    MED print 0, a missing ORIGIN prints INCOMPLETE;
 *  - an IPv4 route learnt through MP_REACH prints LOCAL_PREF and MED as
 *    signed integers (bgpdump uses %d there);
 *  - AS paths longer than 7900 characters end in "...";
 *  - TABLE_DUMP_V2 "-t change" prints the entry's originated time (the
 *    value bgpdump 1.6.2 means to print; it prints an uninitialised one).
 *
 * Speed: every line is formatted with hand-written integer and address
 * formatters straight into the output buffer after one reservation; the
 * attribute fields are formatted once per attribute set and reused for
 * every prefix that shares it.
 */
#include <stdlib.h>
#include <string.h>

#include <manrs/mrt.h>

#include "mrt_int.h"

#define ASPATH_TEXT_MAX		8000	/* bgpdump MAX_ASPATH_LEN */
#define ASPATH_TEXT_CUT		(ASPATH_TEXT_MAX - 100)
#define FIELD_MAX		(64u * 1024u)

struct field {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

struct manrs_mrt_printer {
	struct manrs_mrt_print_opts o;
	/* attribute cache, keyed by record offset and attribute bytes */
	uint64_t	 key_off;
	const uint8_t	*key_raw;
	size_t		 key_len;
	bool		 key_valid;
	struct field	 aspath, comm, lcomm, aggr, unknown;
	const char	*origin;
	bool		 ag;
	uint8_t		*path4;		/* 128 KiB, on first use */
	/* peer address text cache */
	uint8_t		 pk_addr[16];
	uint8_t		 pk_af;
	bool		 pk_valid;
	char		 pk_text[MANRS_ADDR_STRLEN];
	size_t		 pk_len;
	/* time cache */
	uint64_t	 t_key;
	bool		 t_valid;
	char		 t_text[48];
	size_t		 t_len;
};

static void	octets_init(void);

struct manrs_mrt_printer *
manrs_mrt_printer_new(const struct manrs_mrt_print_opts *o)
{
	struct manrs_mrt_printer *p;

	octets_init();
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->o = *o;
	return p;
}

/* The merged AS path buffer, allocated when a path first needs it. */
static uint8_t *
path4_buf(struct manrs_mrt_printer *p)
{
	if (p->path4 == NULL)
		p->path4 = malloc(MANRS_BGP_ASPATH4_MAX);
	return p->path4;
}

void
manrs_mrt_printer_free(struct manrs_mrt_printer *p)
{
	if (p == NULL)
		return;
	free(p->aspath.p);
	free(p->comm.p);
	free(p->lcomm.p);
	free(p->aggr.p);
	free(p->unknown.p);
	free(p->path4);
	free(p);
}

static int
field_reserve(struct field *f, size_t n)
{
	char *np;

	if (n > FIELD_MAX)
		return MANRS_E_LIMIT;
	if (f->cap >= n)
		return 0;
	if ((np = realloc(f->p, n)) == NULL)
		return MANRS_E_NOMEM;
	f->p = np;
	f->cap = n;
	return 0;
}

/* ---- formatters: write at d, return the number of bytes ---- */

static const char digits2[201] =
    "0001020304050607080910111213141516171819"
    "2021222324252627282930313233343536373839"
    "4041424344454647484950515253545556575859"
    "6061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static inline size_t
fmt_u32(char *d, uint32_t v)
{
	char tmp[10];
	size_t n = 10, len;

	while (v >= 100) {
		unsigned r = v % 100;

		v /= 100;
		tmp[--n] = digits2[2 * r + 1];
		tmp[--n] = digits2[2 * r];
	}
	if (v >= 10) {
		tmp[--n] = digits2[2 * v + 1];
		tmp[--n] = digits2[2 * v];
	} else
		tmp[--n] = (char)('0' + v);
	len = 10 - n;
	memcpy(d, tmp + n, len);
	return len;
}

static inline size_t
fmt_i32(char *d, uint32_t v)
{
	if ((int32_t)v < 0) {
		d[0] = '-';
		return 1 + fmt_u32(d + 1, (uint32_t)(-(int64_t)(int32_t)v));
	}
	return fmt_u32(d, v);
}

/* "0." .. "255." with their lengths, for dotted quads. */
struct octet {
	char	t[4];
	uint8_t	n;
};

static struct octet octets[256];
static bool octets_ready;

static void
octets_init(void)
{
	unsigned i;

	if (octets_ready)
		return;
	for (i = 0; i < 256; i++) {
		char b[4];
		size_t n = 0;

		if (i >= 100)
			b[n++] = (char)('0' + i / 100);
		if (i >= 10)
			b[n++] = (char)('0' + i / 10 % 10);
		b[n++] = (char)('0' + i % 10);
		b[n] = '.';
		memcpy(octets[i].t, b, 4);
		octets[i].n = (uint8_t)n;
	}
	octets_ready = true;
}

static inline size_t
fmt_ip4(char *d, const uint8_t a[4])
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < 4; i++) {
		memcpy(d + n, octets[a[i]].t, 4);
		n += octets[a[i]].n + 1u;
	}
	return n - 1;
}

static inline size_t
fmt_hex16(char *d, unsigned v)
{
	static const char hx[] = "0123456789abcdef";
	size_t n = 0;
	int s;

	for (s = 12; s > 0 && ((v >> s) & 0xf) == 0; s -= 4)
		;
	for (; s >= 0; s -= 4)
		d[n++] = hx[(v >> s) & 0xf];
	return n;
}

size_t
manrs_mrt_ntop6(const uint8_t a[16], char *d)
{
	static const uint8_t zero[12];
	unsigned w[8], i;
	int best = -1, bestlen = 0, cur = -1, curlen = 0;
	size_t n = 0;

	/*
	 * bgpdump's fmt_ipv6(): IPv4-mapped (::ffff:a.b.c.d) and
	 * IPv4-compatible addresses (::a.b.c.d, not :: or ::1) keep the
	 * dotted quad; otherwise the first longest run of zero groups,
	 * even a single group, becomes "::".
	 */
	if (memcmp(a, zero, 10) == 0 && ((a[10] == 0xff && a[11] == 0xff) ||
	    (a[10] == 0 && a[11] == 0 && mrt_get32(a + 12) > 1))) {
		memcpy(d, "::ffff:", 7);
		n = a[10] == 0xff ? 7 : 2;
		n += fmt_ip4(d + n, a + 12);
		d[n] = '\0';
		return n;
	}
	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0) {
				cur = (int)i;
				curlen = 1;
			} else
				curlen++;
			if (curlen > bestlen) {
				best = cur;
				bestlen = curlen;
			}
		} else
			cur = -1;
	}
	for (i = 0; i < 8; i++) {
		if (best >= 0 && (int)i >= best && (int)i < best + bestlen) {
			if ((int)i == best)
				d[n++] = ':';
			continue;
		}
		if (i != 0)
			d[n++] = ':';
		n += fmt_hex16(d + n, w[i]);
	}
	if (best >= 0 && best + bestlen == 8)
		d[n++] = ':';
	d[n] = '\0';
	return n;
}

static inline size_t
fmt_addr(char *d, uint8_t af, const uint8_t *a)
{
	return af == MANRS_AF_INET6 ? manrs_mrt_ntop6(a, d) : fmt_ip4(d, a);
}

static inline size_t
put2(char *d, unsigned v)
{
	d[0] = (char)('0' + v / 10 % 10);
	d[1] = (char)('0' + v % 10);
	return 2;
}

/* Days since 1970-01-01 to civil date (proleptic Gregorian). */
static void
civil(int64_t days, int *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468, era, yy;
	unsigned doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

/* Time text for ts (+ ".usec" when et) in the selected format. */
static const char *
fmt_time(struct manrs_mrt_printer *p, uint32_t ts, bool et, uint32_t usec,
    size_t *len)
{
	uint64_t key = (uint64_t)ts << 21 | (et ? (uint64_t)1 << 20 : 0) |
	    (usec & 0xfffff);
	char *d = p->t_text;
	size_t n = 0;

	if (p->t_valid && p->t_key == key) {
		*len = p->t_len;
		return p->t_text;
	}
	if (p->o.fmt == MANRS_MRT_FMT_MM) {
		int y;
		unsigned mo, da, sod = ts % 86400;

		civil(ts / 86400, &y, &mo, &da);
		n += put2(d + n, mo);
		d[n++] = '/';
		n += put2(d + n, da);
		d[n++] = '/';
		n += put2(d + n, (unsigned)(y % 100));
		d[n++] = ' ';
		n += put2(d + n, sod / 3600);
		d[n++] = ':';
		n += put2(d + n, sod / 60 % 60);
		d[n++] = ':';
		n += put2(d + n, sod % 60);
	} else
		n += fmt_u32(d, ts);
	if (et) {
		char u[12];
		size_t un = fmt_u32(u, usec), i;

		d[n++] = '.';
		for (i = un; i < 6; i++)
			d[n++] = '0';
		memcpy(d + n, u, un);
		n += un;
	}
	p->t_key = key;
	p->t_valid = true;
	p->t_len = n;
	*len = n;
	return p->t_text;
}

/* bgpdump's AS path text (process_attr_aspath_string()). */
static int
fmt_aspath(struct manrs_mrt_printer *p, const struct manrs_bgp_attrs *a)
{
	static const char open[] = " { ([", close[] = " } )]";
	struct field *f = &p->aspath;
	ptrdiff_t len;
	size_t off = 0, n = 0;
	uint8_t prev = MANRS_BGP_AS_SEQUENCE, last = MANRS_BGP_AS_SEQUENCE;
	bool space = false, any = false;
	unsigned i;
	int rc;

	f->len = 0;
	if (!manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_AS_PATH))
		return 0;
	if ((rc = field_reserve(f, ASPATH_TEXT_MAX + 16)) != 0)
		return rc;
	if (path4_buf(p) == NULL)
		return MANRS_E_NOMEM;
	len = manrs_bgp_aspath4(a, p->path4);
	if (len < 0) {
		memcpy(f->p, "! Error !", 9);
		f->len = 9;
		return 0;
	}
	while (off + 2 <= (size_t)len) {
		uint8_t type = p->path4[off], cnt = p->path4[off + 1];
		bool set = type == MANRS_BGP_AS_SET ||
		    type == MANRS_BGP_AS_CONFED_SET;

		if (prev != MANRS_BGP_AS_SEQUENCE)
			f->p[n++] = close[prev];
		if (space)
			f->p[n++] = ' ';
		if (type != MANRS_BGP_AS_SEQUENCE)
			f->p[n++] = open[type];
		space = false;
		for (i = 0; i < cnt; i++) {
			if (space)
				f->p[n++] = set ? ',' : ' ';
			else
				space = true;
			n += fmt_u32(f->p + n, mrt_get32(p->path4 + off + 2 +
			    4 * i));
			if (n > ASPATH_TEXT_CUT) {
				memcpy(f->p + n, "...", 3);
				f->len = n + 3;
				return 0;
			}
		}
		prev = last = type;
		any = true;
		off += 2 + (size_t)cnt * 4;
	}
	if (any && last != MANRS_BGP_AS_SEQUENCE)
		f->p[n++] = close[last];
	f->len = n;
	return 0;
}

static int
fmt_communities(struct manrs_mrt_printer *p, const struct manrs_bgp_attrs *a)
{
	struct field *f = &p->comm;
	size_t i, n = 0;
	int rc;

	f->len = 0;
	if (!manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_COMMUNITIES))
		return 0;
	if ((rc = field_reserve(f, a->communities_len / 4 * 14 + 1)) != 0)
		return rc;
	for (i = 0; i + 4 <= a->communities_len; i += 4) {
		uint32_t c = mrt_get32(a->communities + i);

		if (n != 0)
			f->p[n++] = ' ';
		if (c == 0xFFFFFF01) {
			memcpy(f->p + n, "no-export", 9);
			n += 9;
		} else if (c == 0xFFFFFF02) {
			memcpy(f->p + n, "no-advertise", 12);
			n += 12;
		} else if (c == 0xFFFFFF03) {
			memcpy(f->p + n, "local-AS", 8);
			n += 8;
		} else {
			n += fmt_u32(f->p + n, c >> 16);
			f->p[n++] = ':';
			n += fmt_u32(f->p + n, c & 0xffff);
		}
	}
	f->len = n;
	return 0;
}

static int
fmt_large(struct manrs_mrt_printer *p, const struct manrs_bgp_attrs *a)
{
	struct field *f = &p->lcomm;
	size_t i, n = 0;
	int rc;

	f->len = 0;
	if (!manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_LARGE_COMMUNITIES))
		return 0;
	if ((rc = field_reserve(f, a->large_communities_len / 12 * 34 + 1))
	    != 0)
		return rc;
	for (i = 0; i + 12 <= a->large_communities_len; i += 12) {
		if (n != 0)
			f->p[n++] = ' ';
		n += fmt_u32(f->p + n, mrt_get32(a->large_communities + i));
		f->p[n++] = ':';
		n += fmt_u32(f->p + n, mrt_get32(a->large_communities + i +
		    4));
		f->p[n++] = ':';
		n += fmt_u32(f->p + n, mrt_get32(a->large_communities + i +
		    8));
	}
	f->len = n;
	return 0;
}

static int
fmt_unknown(struct manrs_mrt_printer *p, const struct manrs_bgp_attrs *a)
{
	static const char hx[] = "0123456789abcdef";
	struct field *f = &p->unknown;
	size_t need = 1, n = 0;
	unsigned i, j;
	int rc;

	f->len = 0;
	for (i = 0; i < a->nunknown; i++)
		need += 8 + 2 * (size_t)a->unknown[i].len;
	if ((rc = field_reserve(f, need)) != 0)
		return rc;
	for (i = 0; i < a->nunknown; i++) {
		const struct manrs_bgp_unknown *u = &a->unknown[i];

		if (i != 0)
			f->p[n++] = ' ';
		f->p[n++] = hx[u->type >> 4];
		f->p[n++] = hx[u->type & 15];
		f->p[n++] = ':';
		f->p[n++] = hx[u->flags >> 4];
		f->p[n++] = hx[u->flags & 15];
		f->p[n++] = ':';
		for (j = 0; j < u->len; j++) {
			f->p[n++] = hx[u->data[j] >> 4];
			f->p[n++] = hx[u->data[j] & 15];
		}
	}
	f->len = n;
	return 0;
}

static int
fmt_attrs(struct manrs_mrt_printer *p, const struct manrs_mrt_route *rt)
{
	const struct manrs_bgp_attrs *a = rt->attrs;
	int rc;

	if (p->key_valid && p->key_off == rt->rec->offset &&
	    p->key_raw == a->raw && p->key_len == a->raw_len)
		return 0;
	p->key_valid = false;
	if ((rc = fmt_aspath(p, a)) != 0)
		return rc;
	p->origin = "INCOMPLETE";
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_ORIGIN)) {
		if (a->origin == 0)
			p->origin = "IGP";
		else if (a->origin == 1)
			p->origin = "EGP";
	}
	if (p->o.fmt != MANRS_MRT_FMT_MM) {
		uint32_t as;
		uint8_t addr[4];

		if ((rc = fmt_communities(p, a)) != 0)
			return rc;
		if (p->o.large && (rc = fmt_large(p, a)) != 0)
			return rc;
		if (p->o.unknown && (rc = fmt_unknown(p, a)) != 0)
			return rc;
		p->ag = manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_ATOMIC_AGGREGATE);
		p->aggr.len = 0;
		if (manrs_bgp_aggregator(a, &as, addr) &&
		    !(addr[0] == 255 && addr[1] == 255 && addr[2] == 255 &&
		    addr[3] == 255)) {
			if ((rc = field_reserve(&p->aggr, 32)) != 0)
				return rc;
			p->aggr.len = fmt_u32(p->aggr.p, as);
			p->aggr.p[p->aggr.len++] = ' ';
			p->aggr.len += fmt_ip4(p->aggr.p + p->aggr.len, addr);
		}
	}
	p->key_off = rt->rec->offset;
	p->key_raw = a->raw;
	p->key_len = a->raw_len;
	p->key_valid = true;
	return 0;
}

static const char *
bgp4mp_name(const struct manrs_mrt_route *rt)
{
	static const char *names[8] = {
		"BGP4MP", "BGP4MP_AP", "BGP4MP_LOCAL", "BGP4MP_LOCAL_AP",
		"BGP4MP_ET", "BGP4MP_ET_AP", "BGP4MP_ET_LOCAL",
		"BGP4MP_ET_LOCAL_AP",
	};

	return names[(rt->rec->type == MANRS_MRT_BGP4MP_ET ? 4 : 0) |
	    (rt->local ? 2 : 0) | (rt->addpath ? 1 : 0)];
}

#define PUTS(s) do {							\
	size_t l_ = strlen(s);						\
	memcpy(d + n, (s), l_);						\
	n += l_;							\
} while (0)
#define PUTF(f) do {							\
	if ((f).len > 0)						\
		memcpy(d + n, (f).p, (f).len);				\
	n += (f).len;							\
} while (0)

/* "prefix/len" with the address bytes as sent. */
static size_t
fmt_prefix(char *d, const struct manrs_bgp_nlri *nl)
{
	size_t n = fmt_addr(d, nl->af, nl->addr);

	d[n++] = '/';
	return n + fmt_u32(d + n, nl->len);
}

/* The next-hop text bgpdump shows for this route. */
static size_t
fmt_nexthop(char *d, const struct manrs_mrt_route *rt)
{
	static const uint8_t none[4] = { 255, 255, 255, 255 };
	const struct manrs_bgp_attrs *a = rt->attrs;
	uint8_t v6[16];

	if (rt->kind == MANRS_MRT_ROUTE_RIB) {
		if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_MP_REACH) &&
		    (a->reach_abbrev || (a->reach.afi == MANRS_AFI_IPV6 &&
		    a->reach.safi == MANRS_SAFI_UNICAST))) {
			memset(v6, 0, 16);
			memcpy(v6, a->reach.nh, a->reach.nh_len < 16 ?
			    a->reach.nh_len : 16);
			return manrs_mrt_ntop6(v6, d);
		}
	} else if (rt->nh != NULL && rt->nlri.af == MANRS_AF_INET6) {
		memset(v6, 0, 16);
		memcpy(v6, rt->nh, rt->nh_len < 16 ? rt->nh_len : 16);
		return manrs_mrt_ntop6(v6, d);
	} else if (rt->nh != NULL && rt->afi == MANRS_AFI_IPV4 &&
	    rt->nh != a->next_hop) {
		uint8_t v4[4] = { 0, 0, 0, 0 };

		memcpy(v4, rt->nh, rt->nh_len < 4 ? rt->nh_len : 4);
		return fmt_ip4(d, v4);
	}
	if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_NEXT_HOP))
		return fmt_ip4(d, a->next_hop);
	return fmt_ip4(d, none);
}

static size_t
line_bound(const struct manrs_mrt_printer *p)
{
	return 512 + p->aspath.len + p->comm.len + p->lcomm.len +
	    p->unknown.len + p->aggr.len;
}

static int
print_m(struct manrs_mrt_printer *p, struct manrs_buf *out,
    const struct manrs_mrt_route *rt)
{
	const struct manrs_mrt_record *rec = rt->rec;
	bool rib = rt->kind == MANRS_MRT_ROUTE_RIB, et;
	bool mm = p->o.fmt == MANRS_MRT_FMT_MM;
	const char *tname, *t;
	uint32_t ts;
	size_t n = 0, tl;
	char *d;
	int rc;

	/* bgpdump 1.6.2 prints only the unicast TABLE_DUMP_V2 subtypes. */
	if (rib && rec->type == MANRS_MRT_TABLE_DUMP_V2 &&
	    rec->subtype != MANRS_MRT_RIB_IPV4_UNICAST &&
	    rec->subtype != MANRS_MRT_RIB_IPV6_UNICAST &&
	    rec->subtype != MANRS_MRT_RIB_IPV4_UNICAST_AP &&
	    rec->subtype != MANRS_MRT_RIB_IPV6_UNICAST_AP)
		return 0;
	if (rt->attrs != NULL && (rc = fmt_attrs(p, rt)) != 0)
		return rc;
	if (manrs_buf_reserve(out, line_bound(p)) != 0)
		return out->err != 0 ? out->err : MANRS_E_NOMEM;
	d = (char *)out->p + out->len;
	ts = rec->ts;
	et = rec->type == MANRS_MRT_BGP4MP_ET;
	if (rib) {
		tname = rec->type == MANRS_MRT_TABLE_DUMP ? "TABLE_DUMP" :
		    rt->addpath ? "TABLE_DUMP2_AP" : "TABLE_DUMP2";
		if (p->o.time_change)
			ts = rt->originated;
	} else if (rt->kind == MANRS_MRT_ROUTE_STATE)
		tname = et ? "BGP4MP_ET" : "BGP4MP";
	else
		tname = bgp4mp_name(rt);
	t = fmt_time(p, ts, et, rec->usec, &tl);
	PUTS(tname);
	d[n++] = '|';
	if (p->o.packet_index) {
		n += fmt_u32(d + n, (uint32_t)rt->index);
		d[n++] = '|';
	}
	memcpy(d + n, t, tl);
	n += tl;
	switch (rt->kind) {
	case MANRS_MRT_ROUTE_STATE:
		PUTS("|STATE|");
		break;
	case MANRS_MRT_ROUTE_WITHDRAW:
		PUTS("|W|");
		break;
	case MANRS_MRT_ROUTE_ANNOUNCE:
		PUTS("|A|");
		break;
	case MANRS_MRT_ROUTE_RIB:
		PUTS("|B|");
		break;
	case MANRS_MRT_ROUTE_FILTERED:
		break;
	}
	{
		/* TABLE_DUMP (v1): IPv4 text unless the subtype is AFI_IP6. */
		uint8_t af = rec->type != MANRS_MRT_TABLE_DUMP ? rt->peer_af :
		    rec->subtype == MANRS_MRT_TD_AFI_IPV6 ? MANRS_AF_INET6 :
		    MANRS_AF_INET;

		if (!p->pk_valid || p->pk_af != af ||
		    memcmp(p->pk_addr, rt->peer_addr, 16) != 0) {
			p->pk_len = fmt_addr(p->pk_text, af, rt->peer_addr);
			memcpy(p->pk_addr, rt->peer_addr, 16);
			p->pk_af = af;
			p->pk_valid = true;
		}
		memcpy(d + n, p->pk_text, p->pk_len);
		n += p->pk_len;
	}
	d[n++] = '|';
	n += fmt_u32(d + n, rt->peer_as);
	d[n++] = '|';
	if (rt->kind == MANRS_MRT_ROUTE_STATE) {
		n += fmt_u32(d + n, rt->old_state);
		d[n++] = '|';
		n += fmt_u32(d + n, rt->new_state);
		d[n++] = '\n';
		out->len += n;
		return 0;
	}
	n += fmt_prefix(d + n, &rt->nlri);
	if (rt->kind == MANRS_MRT_ROUTE_WITHDRAW) {
		if (rt->addpath) {
			d[n++] = '|';
			n += fmt_u32(d + n, rt->nlri.path_id);
		}
		d[n++] = '\n';
		out->len += n;
		return 0;
	}
	d[n++] = '|';
	if (rt->addpath) {
		n += fmt_u32(d + n, rt->nlri.path_id);
		d[n++] = '|';
	}
	PUTF(p->aspath);
	d[n++] = '|';
	PUTS(p->origin);
	if (mm) {
		d[n++] = '\n';
		out->len += n;
		return 0;
	}
	d[n++] = '|';
	n += fmt_nexthop(d + n, rt);
	d[n++] = '|';
	{
		const struct manrs_bgp_attrs *a = rt->attrs;
		uint32_t lp = manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_LOCAL_PREF)
		    ? a->local_pref : 0;
		uint32_t med = manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_MED) ?
		    a->med : 0;
		bool sgn = rt->kind == MANRS_MRT_ROUTE_ANNOUNCE &&
		    rt->afi == MANRS_AFI_IPV4 && rt->nh != NULL &&
		    rt->nh != a->next_hop;

		n += sgn ? fmt_i32(d + n, lp) : fmt_u32(d + n, lp);
		d[n++] = '|';
		n += sgn ? fmt_i32(d + n, med) : fmt_u32(d + n, med);
		d[n++] = '|';
	}
	PUTF(p->comm);
	d[n++] = '|';
	if (p->o.large) {
		PUTF(p->lcomm);
		d[n++] = '|';
	}
	PUTS(p->ag ? "AG" : "NAG");
	d[n++] = '|';
	PUTF(p->aggr);
	d[n++] = '|';
	if (p->o.unknown) {
		PUTF(p->unknown);
		d[n++] = '|';
	}
	d[n++] = '\n';
	out->len += n;
	return 0;
}

/* ---- JSON ---- */

/* The one JSON escaper (util.h): controls and bad UTF-8 escaped too. */
static void
json_str(struct manrs_buf *b, const char *s, size_t len)
{
	(void)manrs_buf_put_json_str(b, s, len);
}

/* Space-separated words as a JSON array of strings. */
static void
json_words(struct manrs_buf *b, const char *s, size_t len)
{
	size_t i = 0, j;
	bool first = true;

	manrs_buf_put_u8(b, '[');
	while (s != NULL && i < len) {
		for (j = i; j < len && s[j] != ' '; j++)
			;
		if (j > i) {
			if (!first)
				manrs_buf_put_u8(b, ',');
			json_str(b, s + i, j - i);
			first = false;
		}
		i = j + 1;
	}
	manrs_buf_put_u8(b, ']');
}

static int
print_json(struct manrs_mrt_printer *p, struct manrs_buf *out,
    const struct manrs_mrt_route *rt)
{
	static const char *kinds[] = { "rib", "announce", "withdraw",
	    "state" };
	const struct manrs_mrt_record *rec = rt->rec;
	char tmp[MANRS_ADDR_STRLEN + 8];
	size_t n;
	int rc;

	if (rt->attrs != NULL && (rc = fmt_attrs(p, rt)) != 0)
		return rc;
	manrs_buf_printf(out, "{\"type\":\"%s\",\"time\":%u", kinds[rt->kind],
	    rec->ts);
	if (rec->type == MANRS_MRT_BGP4MP_ET)
		manrs_buf_printf(out, ",\"usec\":%u", rec->usec);
	n = fmt_addr(tmp, rec->type == MANRS_MRT_TABLE_DUMP &&
	    rec->subtype != MANRS_MRT_TD_AFI_IPV6 ? MANRS_AF_INET :
	    rt->peer_af, rt->peer_addr);
	manrs_buf_puts(out, ",\"peer\":");
	json_str(out, tmp, n);
	manrs_buf_printf(out, ",\"peer_as\":%u", rt->peer_as);
	if (rt->kind == MANRS_MRT_ROUTE_STATE) {
		manrs_buf_printf(out, ",\"old_state\":%u,\"new_state\":%u}\n",
		    rt->old_state, rt->new_state);
		return out->err;
	}
	{
		/* JSON is for programs: the prefix with host bits cleared. */
		struct manrs_prefix px;

		manrs_bgp_nlri_prefix(&rt->nlri, &px);
		n = manrs_prefix_print(&px, tmp, sizeof(tmp));
		manrs_buf_puts(out, ",\"prefix\":");
		json_str(out, tmp, n);
	}
	if (rt->addpath)
		manrs_buf_printf(out, ",\"path_id\":%u", rt->nlri.path_id);
	if (rt->kind == MANRS_MRT_ROUTE_RIB)
		manrs_buf_printf(out, ",\"originated\":%u", rt->originated);
	if (rt->attrs != NULL) {
		const struct manrs_bgp_attrs *a = rt->attrs;

		manrs_buf_puts(out, ",\"as_path\":");
		json_str(out, p->aspath.p != NULL ? p->aspath.p : "",
		    p->aspath.len);
		manrs_buf_printf(out, ",\"origin\":\"%s\"", p->origin);
		{
			ptrdiff_t plen = path4_buf(p) == NULL ? -1 :
			    manrs_bgp_aspath4(a, p->path4);
			uint32_t oas;

			if (plen > 0 && manrs_bgp_aspath_origin(p->path4,
			    (size_t)plen, &oas))
				manrs_buf_printf(out, ",\"origin_as\":%u", oas);
		}
		/* no next hop: no member (the lines show 255.255.255.255) */
		if (rt->nh != NULL || manrs_bgp_attrs_has(a,
		    MANRS_BGP_ATTR_NEXT_HOP)) {
			n = fmt_nexthop(tmp, rt);
			manrs_buf_puts(out, ",\"next_hop\":");
			json_str(out, tmp, n);
		}
		if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_LOCAL_PREF))
			manrs_buf_printf(out, ",\"local_pref\":%u",
			    a->local_pref);
		if (manrs_bgp_attrs_has(a, MANRS_BGP_ATTR_MED))
			manrs_buf_printf(out, ",\"med\":%u", a->med);
		manrs_buf_puts(out, ",\"communities\":");
		json_words(out, p->comm.p, p->comm.len);
		if (fmt_large(p, a) == 0) {
			manrs_buf_puts(out, ",\"large_communities\":");
			json_words(out, p->lcomm.p, p->lcomm.len);
		}
		manrs_buf_printf(out, ",\"atomic_aggregate\":%s",
		    p->ag ? "true" : "false");
		if (p->aggr.len > 0) {
			manrs_buf_puts(out, ",\"aggregator\":");
			json_str(out, p->aggr.p, p->aggr.len);
		}
		if (fmt_unknown(p, a) == 0 && p->unknown.len > 0) {
			manrs_buf_puts(out, ",\"unknown\":");
			json_words(out, p->unknown.p, p->unknown.len);
		}
	}
	manrs_buf_puts(out, "}\n");
	return out->err;
}

int
manrs_mrt_printer_route(struct manrs_mrt_printer *p, struct manrs_buf *out,
    const struct manrs_mrt_route *rt)
{
	if (rt->kind == MANRS_MRT_ROUTE_FILTERED)
		return 0;	/* not decoded: nothing to print */
	if (p->o.fmt == MANRS_MRT_FMT_JSON)
		return print_json(p, out, rt);
	return print_m(p, out, rt);
}

/* ---- helpers for the multi-line printer (mrt_print_h.c) ---- */

size_t
mrt_fmt_ip4(char *d, const uint8_t a[4])
{
	return fmt_ip4(d, a);
}

size_t
mrt_time2str(char *d, uint32_t ts)
{
	int y;
	unsigned mo, da, sod = ts % 86400;
	size_t n = 0;

	civil(ts / 86400, &y, &mo, &da);
	n += put2(d + n, mo);
	d[n++] = '/';
	n += put2(d + n, da);
	d[n++] = '/';
	n += put2(d + n, (unsigned)(y % 100));
	d[n++] = ' ';
	n += put2(d + n, sod / 3600);
	d[n++] = ':';
	n += put2(d + n, sod / 60 % 60);
	d[n++] = ':';
	n += put2(d + n, sod % 60);
	d[n] = '\0';
	return n;
}

int
mrt_attr_text(struct manrs_mrt_printer *p, const struct manrs_bgp_attrs *a,
    struct mrt_attr_text *t)
{
	int rc;

	p->key_valid = false;
	if ((rc = fmt_aspath(p, a)) != 0 || (rc = fmt_communities(p, a)) != 0
	    || (rc = fmt_large(p, a)) != 0)
		return rc;
	t->aspath = p->aspath.p != NULL ? p->aspath.p : "";
	t->aspath_len = p->aspath.len;
	t->comm = p->comm.p != NULL ? p->comm.p : "";
	t->comm_len = p->comm.len;
	t->lcomm = p->lcomm.p != NULL ? p->lcomm.p : "";
	t->lcomm_len = p->lcomm.len;
	return 0;
}
