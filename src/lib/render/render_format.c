/*
 * render_format.c - bgpq4's -F user format: %n address, %l length,
 * %a / %A the low / high bound of the range (both the length for a
 * plain prefix), %N the list name, %m the netmask, %i the inverse mask,
 * %% a percent sign; \n and \t.  Without a trailing "\n" in the format
 * a newline ends the output (as bgpq4 does).
 */
#include <stdio.h>
#include <string.h>

#include <manrs/manrs.h>
#include <manrs/render.h>

#include "render_int.h"

int
manrs_render_format_check(const char *fmt)
{
	const char *c;

	if (fmt == NULL || strlen(fmt) > MANRS_RENDER_FORMAT_MAX)
		return MANRS_E_SYNTAX;
	for (c = fmt; *c != '\0'; c++) {
		if (*c == '%') {
			if (c[1] == '\0' || strchr("nlaANmi%", c[1]) == NULL)
				return MANRS_E_SYNTAX;
			c++;
		} else if (*c == '\\') {
			if (c[1] == '\0' || strchr("nt", c[1]) == NULL)
				return MANRS_E_SYNTAX;
			c++;
		}
	}
	return 0;
}

/* The netmask (inverse: the host bits) of p as an address. */
static void
maskaddr(const struct manrs_prefix *p, bool inverse, char *buf, size_t size)
{
	struct manrs_prefix q = *p;
	unsigned i, bits = manrs_af_bits(p->af);

	memset(q.addr, 0, sizeof(q.addr));
	for (i = 0; i < bits; i++) {
		bool set = i < p->len;

		if (set != inverse)
			q.addr[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	}
	manrs_addr_print(&q, buf, size);
}

static void
one(FILE *f, const char *fmt, const char *name,
    const struct manrs_prefix_range *r, unsigned lo, unsigned hi)
{
	char buf[MANRS_ADDR_STRLEN];
	const char *c;

	for (c = fmt; *c != '\0'; c++) {
		if (*c == '%') {
			switch (*++c) {
			case 'n':
				manrs_addr_print(&r->prefix, buf, sizeof(buf));
				fputs(buf, f);
				break;
			case 'l':
				fprintf(f, "%u", r->prefix.len);
				break;
			case 'a':
				fprintf(f, "%u", lo);
				break;
			case 'A':
				fprintf(f, "%u", hi);
				break;
			case 'N':
				fputs(name, f);
				break;
			case 'm':
			case 'i':
				maskaddr(&r->prefix, *c == 'i', buf,
				    sizeof(buf));
				fputs(buf, f);
				break;
			default:
				putc('%', f);
				break;
			}
		} else if (*c == '\\') {
			putc(*++c == 'n' ? '\n' : '\t', f);
		} else
			putc(*c, f);
	}
}

int
render_format(FILE *f, const struct manrs_render_opts *o,
    const struct manrs_prefix_range *r, size_t n)
{
	const char *name = o->name != NULL ? o->name : "NN";
	size_t i, len;

	if (manrs_render_format_check(o->format) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned lo = r[i].prefix.len, hi = r[i].prefix.len;

		if (r[i].min != r[i].prefix.len || r[i].max != r[i].prefix.len) {
			lo = r[i].min > r[i].prefix.len ? r[i].min :
			    r[i].prefix.len;
			hi = r[i].max;
		}
		one(f, o->format, name, &r[i], lo, hi);
	}
	len = strlen(o->format);
	if (len < 2 || !(o->format[len - 2] == '\\' &&
	    o->format[len - 1] == 'n'))
		putc('\n', f);
	return 0;
}
