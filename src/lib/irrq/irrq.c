/*
 * irrq.c - incremental decoder of IRRd "!" query answers (see
 * manrs/irrq.h): "A<len>\n" data "C\n", "C", "D", "E", "F msg".
 */
#include <stdio.h>
#include <string.h>

#include <manrs/irrq.h>

enum { S_HEAD, S_DATA, S_TRAIL, S_DEAD };

void
manrs_irrq_dec_init(struct manrs_irrq_dec *d)
{
	memset(d, 0, sizeof(*d));
	manrs_buf_init(&d->line, MANRS_IRRQ_LINE_MAX);
	manrs_buf_init(&d->data, MANRS_IRRQ_DATA_MAX);
}

void
manrs_irrq_dec_free(struct manrs_irrq_dec *d)
{
	manrs_buf_clear(&d->line);
	manrs_buf_clear(&d->data);
}

static int
fail(struct manrs_irrq_dec *d, int rc, const char *what)
{
	snprintf(d->err, sizeof(d->err), "%s at byte %llu", what,
	    (unsigned long long)d->offset);
	d->state = S_DEAD;
	return rc;
}

/* Gather a line (without "\n") into d->line; true when complete. */
static int
take_line(struct manrs_irrq_dec *d, const uint8_t *p, size_t n, size_t *k,
    bool *done)
{
	*done = false;
	while (*k < n) {
		uint8_t c = p[(*k)++];

		d->offset++;
		if (c == '\n') {
			if (d->line.len > 0 &&
			    d->line.p[d->line.len - 1] == '\r')
				d->line.len--;
			*done = true;
			return 0;
		}
		if (d->line.len >= MANRS_IRRQ_LINE_MAX)
			return fail(d, MANRS_E_LIMIT, "status line longer than "
			    "1024 bytes");
		if (manrs_buf_put(&d->line, &c, 1) != 0)
			return fail(d, MANRS_E_NOMEM, "out of memory");
	}
	return 0;
}

int
manrs_irrq_dec_feed(struct manrs_irrq_dec *d, const uint8_t *p, size_t n,
    size_t *used, struct manrs_irrq_answer *a)
{
	size_t k = 0;
	bool done;
	int rc;

	*used = 0;
	for (;;) {
		switch (d->state) {
		case S_DEAD:
			return MANRS_E_SYNTAX;
		case S_HEAD:
			if ((rc = take_line(d, p, n, &k, &done)) != 0)
				return rc;
			*used = k;
			if (!done)
				return 0;
			if (d->line.len == 0)
				return fail(d, MANRS_E_SYNTAX, "empty status "
				    "line");
			switch (d->line.p[0]) {
			case 'A': {
				uint64_t len = 0;
				size_t i;

				if (d->line.len < 2 || d->line.len > 12)
					return fail(d, MANRS_E_SYNTAX, "bad A "
					    "length");
				for (i = 1; i < d->line.len; i++) {
					uint8_t c = d->line.p[i];

					if (c < '0' || c > '9')
						return fail(d, MANRS_E_SYNTAX,
						    "bad A length");
					len = len * 10 + (c - '0');
				}
				if (len > MANRS_IRRQ_DATA_MAX)
					return fail(d, MANRS_E_LIMIT, "answer "
					    "longer than 256 MiB");
				d->need = (size_t)len;
				manrs_buf_reset(&d->data);
				manrs_buf_reset(&d->line);
				d->state = S_DATA;
				continue;
			}
			case 'C':
			case 'D':
			case 'E':
				if (d->line.len != 1)
					return fail(d, MANRS_E_SYNTAX, "junk "
					    "after status");
				a->kind = (enum manrs_irrq_kind)d->line.p[0];
				a->data = manrs_view_make(NULL, 0);
				manrs_buf_reset(&d->line);
				return 1;
			case 'F':
				a->kind = MANRS_IRRQ_ERROR;
				{
					size_t s = 1;

					while (s < d->line.len &&
					    d->line.p[s] == ' ')
						s++;
					a->data = manrs_view_make(
					    (const char *)d->line.p + s,
					    d->line.len - s);
				}
				d->line.len = 0;	/* data stays valid */
				return 1;
			default:
				return fail(d, MANRS_E_SYNTAX, "unknown answer "
				    "code");
			}
		case S_DATA: {
			size_t take = n - k < d->need ? n - k : d->need;

			if (take > 0 && manrs_buf_put(&d->data, p + k,
			    take) != 0)
				return fail(d, MANRS_E_NOMEM, "out of memory");
			k += take;
			d->offset += take;
			d->need -= take;
			*used = k;
			if (d->need > 0)
				return 0;
			d->state = S_TRAIL;
			continue;
		}
		case S_TRAIL:
			if ((rc = take_line(d, p, n, &k, &done)) != 0)
				return rc;
			*used = k;
			if (!done)
				return 0;
			if (d->line.len != 1 || d->line.p[0] != 'C')
				return fail(d, MANRS_E_SYNTAX, "data not "
				    "followed by C");
			manrs_buf_reset(&d->line);
			d->state = S_HEAD;
			a->kind = MANRS_IRRQ_DATA;
			a->data = manrs_view_make((const char *)d->data.p,
			    d->data.len);
			return 1;
		}
	}
}
