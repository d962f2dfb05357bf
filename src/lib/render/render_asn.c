/*
 * render_asn.c - AS-path lists (-f: input, -G: output), Junos as-lists
 * (-H) and as-sets (-t) in bgpq4 1.9's dialects.  The list's own ASN
 * (-f/-G/-H number), when it is in the list, gets a line of its own
 * first, as bgpq4 prints it.
 */
#include <stdio.h>
#include <string.h>

#include <manrs/manrs.h>
#include <manrs/render.h>

#include "render_int.h"

unsigned
manrs_render_default_width(enum manrs_render_vendor v, enum manrs_render_gen g)
{
	if (g == MANRS_RENDER_ASPATH) {
		switch (v) {
		case MANRS_RENDER_ARISTA:
		case MANRS_RENDER_CISCO:
		case MANRS_RENDER_MIKROTIK6:
		case MANRS_RENDER_MIKROTIK7:
			return 4;
		case MANRS_RENDER_CISCO_XR:
			return 6;
		case MANRS_RENDER_JUNIPER:
		case MANRS_RENDER_NOKIA:
		case MANRS_RENDER_NOKIA_MD:
			return 8;
		case MANRS_RENDER_BIRD:
			return 10;
		default:
			return 8;
		}
	}
	if (g == MANRS_RENDER_OASPATH) {
		switch (v) {
		case MANRS_RENDER_ARISTA:
		case MANRS_RENDER_CISCO:
			return 5;
		case MANRS_RENDER_CISCO_XR:
			return 7;
		default:
			return 8;
		}
	}
	return 8;
}

/* The ASNs without the list's own one; *own says if it was there. */
struct alist {
	const uint32_t	*v;
	size_t		 n;
	uint32_t	 self;
	bool		 own;
};

#define FOREACH(l, i, a) \
	for ((i) = 0; (i) < (l)->n; (i)++) \
		if (((a) = (l)->v[i]) != (l)->self || !(l)->own)

static size_t
rest(const struct alist *l)
{
	return l->n - (l->own ? 1 : 0);
}

static void
alist_init(struct alist *l, const uint32_t *v, size_t n, uint32_t self)
{
	size_t lo = manrs_lower_bound_u32(v, n, sizeof(*v), 0, self);

	l->v = v;
	l->n = n;
	l->self = self;
	l->own = lo < n && v[lo] == self;
}

/*
 * The common line layout: pre [line number] post ASN (sep ASN)... tail,
 * at most w ASNs a line (0 = all on one).  comma (if not NULL) goes
 * before every line opener once *commaflag is set.
 */
struct lay {
	const char	*pre;
	bool		 numbered;
	const char	*post;
	const char	*sep;
	const char	*tail;
	const char	*comma;
	bool		*commaflag;
	unsigned	*lineno;
};

static void
lines(FILE *f, const struct alist *l, unsigned w, const struct lay *y)
{
	size_t i;
	uint32_t a;
	unsigned nc = 0;

	FOREACH(l, i, a) {
		if (nc == 0) {
			if (y->commaflag != NULL) {
				fputs(*y->commaflag ? y->comma : "", f);
				*y->commaflag = true;
			}
			fputs(y->pre, f);
			if (y->numbered)
				fprintf(f, "%u", *y->lineno);
			fprintf(f, "%s%u", y->post, a);
		} else
			fprintf(f, "%s%u", y->sep, a);
		nc++;
		if (w != 0 && nc == w) {
			fputs(y->tail, f);
			nc = 0;
			if (y->lineno != NULL)
				(*y->lineno)++;
		}
	}
	if (nc != 0)
		fputs(y->tail, f);
}

static const char *
nm(const struct manrs_render_opts *o)
{
	return o->name != NULL ? o->name : "NN";
}

static void
cisco_aspath(FILE *f, const struct manrs_render_opts *o,
    const struct alist *l, bool origin)
{
	char pre[256], post[32];
	const char *n = nm(o);
	struct lay y = { pre, false, post, "|", ")$\n", NULL, NULL, NULL };

	fprintf(f, "no ip as-path access-list %s\n", n);
	if (l->n == 0) {
		fprintf(f, "ip as-path access-list %s deny .*\n", n);
		return;
	}
	if (l->own) {
		if (origin)
			fprintf(f, "ip as-path access-list %s permit ^(_%u)*$\n",
			    n, l->self);
		else
			fprintf(f, "ip as-path access-list %s permit "
			    "^%u(_%u)*$\n", n, l->self, l->self);
	}
	snprintf(pre, sizeof(pre), "ip as-path access-list %s permit ^", n);
	if (origin)
		snprintf(post, sizeof(post), "(_[0-9]+)*_(");
	else
		snprintf(post, sizeof(post), "%u(_[0-9]+)*_(", o->asnumber);
	lines(f, l, o->aswidth, &y);
}

static void
huawei_aspath(FILE *f, const struct manrs_render_opts *o,
    const struct alist *l, bool origin)
{
	char pre[256], post[32];
	const char *n = nm(o);
	struct lay y = { pre, false, post, "|", ")$\n", NULL, NULL, NULL };

	fprintf(f, "undo ip as-path-filter %s\n", n);
	if (!origin && l->n == 0) {
		fprintf(f, "ip as-path-filter %s deny .*\n", n);
		return;
	}
	if (l->own) {
		if (origin)
			fprintf(f, "ip as-path-filter %s permit ^(_%u)*$\n", n,
			    l->self);
		else
			fprintf(f, "ip as-path-filter %s permit ^%u(_%u)*$\n",
			    n, l->self, l->self);
	}
	if (origin && rest(l) == 0) {
		fprintf(f, "ip as-path-filter %s deny .*\n", n);
		return;
	}
	snprintf(pre, sizeof(pre), "ip as-path-filter %s permit ^", n);
	if (origin)
		snprintf(post, sizeof(post), "(_[0-9]+)*_(");
	else
		snprintf(post, sizeof(post), "%u(_[0-9]+)*_(", o->asnumber);
	lines(f, l, o->aswidth, &y);
}

static void
xr_aspath(FILE *f, const struct manrs_render_opts *o, const struct alist *l,
    bool origin, bool xpl)
{
	const char *q = xpl ? "" : "'";
	const char *kw = xpl ? "regular " : "ios-regex ";
	char pre[64], post[32], tail[8];
	bool comma;
	struct lay y = { pre, false, post, "|", tail, ",", &comma, NULL };

	if (xpl)
		fprintf(f, "xpl as-path-list %s", nm(o));
	else
		fprintf(f, "as-path-set %s", nm(o));
	comma = !origin;	/* bgpq4 1.9: set for -f */
	if (l->own) {
		if (origin)
			fprintf(f, "\n  %s%s^(_%u)*$%s", kw, q, l->self, q);
		else
			fprintf(f, "\n  %s%s^%u(_%u)*$%s", kw, q, l->self,
			    l->self, q);
		comma = true;
	}
	snprintf(pre, sizeof(pre), "\n  %s%s^", kw, q);
	if (origin)
		snprintf(post, sizeof(post), "(_[0-9]+)*_(");
	else
		snprintf(post, sizeof(post), "%u(_[0-9]+)*_(", o->asnumber);
	snprintf(tail, sizeof(tail), ")$%s", q);
	lines(f, l, o->aswidth, &y);
	fprintf(f, xpl ? "\nend-list\n" : "\nend-set\n");
}

static void
juniper_aspath(FILE *f, const struct manrs_render_opts *o,
    const struct alist *l, bool origin)
{
	unsigned lineno = 0;
	char post[32];
	struct lay y = { "  as-path a", true, post, "|", ")$\";\n", NULL,
	    NULL, &lineno };

	fprintf(f, "policy-options {\nreplace:\n as-path-group %s {\n", nm(o));
	if (l->own) {
		fprintf(f, "  as-path a0 \"^%u(%u)*$\";\n", l->self, l->self);
		lineno++;
	}
	if (origin)
		snprintf(post, sizeof(post), " \"^(.)*(");
	else
		snprintf(post, sizeof(post), " \"^%u(.)*(", o->asnumber);
	lines(f, l, o->aswidth, &y);
	if (rest(l) == 0 && lineno == 0)
		fprintf(f, origin ? " as-path aNone \"!.*\";\n" :
		    "  as-path aNone \"!.*\";\n");
	fprintf(f, " }\n}\n");
}

static void
juniper_aslist(FILE *f, const struct manrs_render_opts *o,
    const struct alist *l)
{
	unsigned lineno = 0;
	struct lay y = { "  as-list a", true, " members [ ", " ", " ];\n",
	    NULL, NULL, &lineno };

	fprintf(f, "policy-options {\nreplace:\n as-list-group %s {\n", nm(o));
	if (l->own) {
		fprintf(f, "  as-list a0 members %u;\n", l->self);
		lineno++;
	}
	lines(f, l, o->aswidth, &y);
	fprintf(f, " }\n}\n");
}

static void
nokia_aspath(FILE *f, const struct manrs_render_opts *o,
    const struct alist *l, bool origin)
{
	unsigned lineno = 1;
	char post[32];
	struct lay y = { "  entry ", true, post, " ", "]\"\n", NULL, NULL,
	    &lineno };

	if (origin)
		fprintf(f, "configure router policy-options\nbegin\n"
		    "no as-path-group\"%s\"\n", nm(o));
	else
		fprintf(f, "configure router policy-options\nbegin\n"
		    "no as-path-group \"%s\"\n", nm(o));
	fprintf(f, "as-path-group \"%s\"\n", nm(o));
	if (l->own) {
		fprintf(f, "  entry %u expression \"%u+\"\n", lineno, l->self);
		lineno++;
	}
	if (origin)
		snprintf(post, sizeof(post), " expression \".*[");
	else
		snprintf(post, sizeof(post), " expression \"%u.*[",
		    o->asnumber);
	lines(f, l, o->aswidth, &y);
	if (!origin)
		fprintf(f, "exit\ncommit\n");
}

static void
nokia_md_aspath(FILE *f, const struct manrs_render_opts *o,
    const struct alist *l, bool origin)
{
	unsigned lineno = 1;
	char post[48];
	struct lay y = { "  entry ", true, post, " ", "]\"\n  }\n", NULL,
	    NULL, &lineno };

	fprintf(f, "/configure policy-options\ndelete as-path-group \"%s\"\n",
	    nm(o));
	fprintf(f, "as-path-group \"%s\" {\n", nm(o));
	if (l->own) {
		fprintf(f, "  entry %u {\n    expression \"%u+\"\n  }\n", lineno,
		    l->self);
		lineno++;
	}
	if (origin)
		snprintf(post, sizeof(post), " {\n    expression \".*[");
	else
		snprintf(post, sizeof(post), " {\n    expression \"%u.*[",
		    o->asnumber);
	lines(f, l, o->aswidth, &y);
	fprintf(f, "}\n");
}

static void
openbgpd_aspath(FILE *f, const struct manrs_render_opts *o,
    const uint32_t *v, size_t n, bool origin)
{
	size_t i;

	if (n == 0) {
		fprintf(f, "deny %s AS %u\n", origin ? "to" : "from",
		    o->asnumber);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "allow %s AS %u AS %u\n", origin ? "to" : "from",
		    o->asnumber, v[i]);
}

static void
json_asns(FILE *f, const struct manrs_render_opts *o, const uint32_t *v,
    size_t n)
{
	unsigned nc = 0;
	size_t i;

	fprintf(f, "{\"%s\": [", nm(o));
	for (i = 0; i < n; i++) {
		if (nc == 0)
			fprintf(f, "%s\n  %u", i > 0 ? "," : "", v[i]);
		else
			fprintf(f, ",%u", v[i]);
		nc++;
		if (o->aswidth != 0 && nc == o->aswidth)
			nc = 0;
	}
	fprintf(f, "\n]}\n");
}

static void
bird_asns(FILE *f, const struct manrs_render_opts *o, const uint32_t *v,
    size_t n)
{
	unsigned nc = 0;
	size_t i;

	fprintf(f, "%s = [", nm(o));
	if (n == 0) {
		fprintf(f, "];\n");
		return;
	}
	for (i = 0; i < n; i++) {
		if (nc == 0)
			fprintf(f, "%s\n    %u", i > 0 ? "," : "", v[i]);
		else
			fprintf(f, ", %u", v[i]);
		nc++;
		if (o->aswidth != 0 && nc == o->aswidth)
			nc = 0;
	}
	fprintf(f, "\n];\n");
}

static void
openbgpd_asset(FILE *f, const struct manrs_render_opts *o, const uint32_t *v,
    size_t n)
{
	unsigned nc = 0;
	size_t i;

	fprintf(f, "as-set %s {", nm(o));
	for (i = 0; i < n; i++) {
		fprintf(f, "%s%u", nc == 0 ? "\n\t" : " ", v[i]);
		nc++;
		if (o->aswidth != 0 && nc == o->aswidth)
			nc = 0;
	}
	fprintf(f, "\n}\n");
}

int
manrs_render_asns(FILE *f, const struct manrs_render_opts *o,
    const uint32_t *v, size_t n)
{
	struct alist l;
	bool origin = o->gen == MANRS_RENDER_OASPATH;

	alist_init(&l, v, n, o->asnumber);
	switch (o->gen) {
	case MANRS_RENDER_ASPATH:
	case MANRS_RENDER_OASPATH:
		switch (o->vendor) {
		case MANRS_RENDER_JUNIPER:
			juniper_aspath(f, o, &l, origin);
			break;
		case MANRS_RENDER_CISCO:
		case MANRS_RENDER_ARISTA:
			cisco_aspath(f, o, &l, origin);
			break;
		case MANRS_RENDER_CISCO_XR:
			xr_aspath(f, o, &l, origin, false);
			break;
		case MANRS_RENDER_HUAWEI_XPL:
			xr_aspath(f, o, &l, origin, true);
			break;
		case MANRS_RENDER_JSON:
			if (origin)
				return MANRS_E_INVAL;
			json_asns(f, o, v, n);
			break;
		case MANRS_RENDER_BIRD:
			if (origin)
				return MANRS_E_INVAL;
			bird_asns(f, o, v, n);
			break;
		case MANRS_RENDER_OPENBGPD:
			openbgpd_aspath(f, o, v, n, origin);
			break;
		case MANRS_RENDER_NOKIA:
			nokia_aspath(f, o, &l, origin);
			break;
		case MANRS_RENDER_NOKIA_MD:
			nokia_md_aspath(f, o, &l, origin);
			break;
		case MANRS_RENDER_HUAWEI:
			huawei_aspath(f, o, &l, origin);
			break;
		default:
			return MANRS_E_INVAL;
		}
		break;
	case MANRS_RENDER_ASLIST:
		if (o->vendor != MANRS_RENDER_JUNIPER)
			return MANRS_E_INVAL;
		juniper_aslist(f, o, &l);
		break;
	case MANRS_RENDER_ASSET:
		switch (o->vendor) {
		case MANRS_RENDER_JSON:
			json_asns(f, o, v, n);
			break;
		case MANRS_RENDER_OPENBGPD:
			openbgpd_asset(f, o, v, n);
			break;
		case MANRS_RENDER_BIRD:
			bird_asns(f, o, v, n);
			break;
		default:
			return MANRS_E_INVAL;
		}
		break;
	default:
		return MANRS_E_INVAL;
	}
	return ferror(f) ? MANRS_E_IO : 0;
}
