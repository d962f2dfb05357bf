/*
 * mrt_read.c - streaming MRT record reader (RFC 6396 section 2-3) and the
 * TABLE_DUMP_V2 PEER_INDEX_TABLE (section 4.3.1).
 *
 * Invariants: records are parsed in place in one growable buffer (no
 * per-record allocation); a record body is handed out only when all its
 * bytes are present; a record longer than MANRS_MRT_RECORD_MAX is
 * treated as corruption (the stream cannot be resynchronised, so reading
 * stops with an error naming the offset); a stream that ends inside a
 * record yields every complete record and then one warning.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <manrs/mrt.h>

#include "mrt_int.h"

#define READ_CHUNK	(256u * 1024u)	/* most bytes one fill() asks for */
#define READ_FIRST	(16u * 1024u)	/* first chunk: small inputs cost
					   little; it doubles per fill */

struct manrs_mrt_reader {
	struct manrs_input	*in;
	struct manrs_diag_sink	*diag;
	char			*name;
	uint8_t			*buf;
	size_t			 cap;
	size_t			 chunk;		/* next read's minimum room */
	size_t			 start;		/* first unread byte */
	size_t			 end;		/* end of valid bytes */
	uint64_t		 buf_off;	/* stream offset of buf[0] */
	bool			 eof;
	int			 err;		/* sticky input error */
	struct manrs_mrt_peer	*peers;
	size_t			 npeers;
	uint32_t		 peer_tables;	/* decoded so far */
	uint64_t		 nrec;
	uint64_t		 nskip;
	uint32_t		 first_ts, last_ts;	/* 0 = none yet */
};

struct manrs_mrt_reader *
manrs_mrt_open_input(struct manrs_input *in, struct manrs_diag_sink *diag,
    int *err)
{
	struct manrs_mrt_reader *rd;

	if ((rd = calloc(1, sizeof(*rd))) == NULL ||
	    (rd->name = strdup(manrs_input_name(in))) == NULL ||
	    (rd->buf = malloc(READ_FIRST * 2)) == NULL) {
		if (rd != NULL)
			free(rd->name);
		free(rd);
		manrs_input_close(in);
		*err = MANRS_E_NOMEM;
		return NULL;
	}
	rd->cap = READ_FIRST * 2;
	rd->chunk = READ_FIRST;
	rd->in = in;
	rd->diag = diag;
	return rd;
}

struct manrs_mrt_reader *
manrs_mrt_open(const char *path, struct manrs_diag_sink *diag, int *err)
{
	struct manrs_input *in;

	if ((in = manrs_input_open(path, err)) == NULL)
		return NULL;
	return manrs_mrt_open_input(in, diag, err);
}

void
manrs_mrt_close(struct manrs_mrt_reader *rd)
{
	if (rd == NULL)
		return;
	manrs_input_close(rd->in);
	free(rd->peers);
	free(rd->buf);
	free(rd->name);
	free(rd);
}

const char *
manrs_mrt_name(const struct manrs_mrt_reader *rd)
{
	return rd->name;
}

uint64_t
manrs_mrt_records(const struct manrs_mrt_reader *rd)
{
	return rd->nrec;
}

uint64_t
manrs_mrt_skipped(const struct manrs_mrt_reader *rd)
{
	return rd->nskip;
}

const struct manrs_mrt_peer *
manrs_mrt_peers(const struct manrs_mrt_reader *rd, size_t *n)
{
	*n = rd->npeers;
	return rd->peers;
}

void
mrt_report(struct manrs_mrt_reader *rd, enum manrs_severity sev,
    uint64_t off, const char *msg, const char *detail)
{
	manrs_diag_report(rd->diag, sev, rd->name, 0, off, "%s%s%s", msg,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
}

/*
 * Room for the next read: at least a chunk, doubling, never past need
 * plus a chunk.  The buffer grows only as bytes arrive, so a record
 * header that claims megabytes on a short input costs no more than the
 * input does.  0 or MANRS_E_NOMEM.
 */
static int
grow(struct manrs_mrt_reader *rd, size_t need)
{
	size_t ncap = rd->cap * 2;
	uint8_t *nb;

	if (ncap < rd->end + rd->chunk)
		ncap = rd->end + rd->chunk;
	if (ncap > need + rd->chunk)
		ncap = need + rd->chunk;
	if (ncap <= rd->cap)
		return 0;
	if ((nb = realloc(rd->buf, ncap)) == NULL)
		return MANRS_E_NOMEM;
	rd->buf = nb;
	rd->cap = ncap;
	return 0;
}

/* Make at least need bytes available from start; returns what is there. */
static size_t
fill(struct manrs_mrt_reader *rd, size_t need)
{
	size_t avail = rd->end - rd->start;

	if (avail >= need || rd->eof)
		return avail;
	if (rd->start > 0) {
		memmove(rd->buf, rd->buf + rd->start, avail);
		rd->buf_off += rd->start;
		rd->start = 0;
		rd->end = avail;
	}
	while (rd->end < need) {
		ptrdiff_t n;

		if (rd->cap - rd->end < rd->chunk && grow(rd, need) != 0) {
			rd->err = MANRS_E_NOMEM;
			rd->eof = true;
			break;
		}
		n = manrs_input_read(rd->in, rd->buf + rd->end,
		    rd->cap - rd->end);

		if (n == 0) {
			rd->eof = true;
			break;
		}
		if (n < 0) {
			rd->eof = true;
			if (n == MANRS_E_SHORT)
				mrt_report(rd, MANRS_SEV_WARNING,
				    rd->buf_off + rd->end,
				    "compressed stream is truncated", NULL);
			else
				rd->err = (int)n;
			break;
		}
		rd->end += (size_t)n;
	}
	if (rd->chunk < READ_CHUNK)
		rd->chunk *= 2;
	return rd->end - rd->start;
}

static int
peer_index_decode(struct manrs_mrt_reader *rd,
    const struct manrs_mrt_record *rec)
{
	struct manrs_reader r;
	struct manrs_mrt_peer *peers;
	uint16_t vlen, count, i;
	uint8_t id[4], ptype;

	manrs_reader_init(&r, rec->body, rec->len, rec->offset);
	manrs_reader_copy(&r, id, 4);
	manrs_reader_u16(&r, &vlen);
	manrs_reader_skip(&r, vlen);
	manrs_reader_u16(&r, &count);
	if (r.err != 0)
		return r.err;
	if ((peers = calloc(count ? count : 1, sizeof(*peers))) == NULL)
		return MANRS_E_NOMEM;
	for (i = 0; i < count; i++) {
		struct manrs_mrt_peer *p = &peers[i];
		uint16_t as16;

		manrs_reader_u8(&r, &ptype);
		manrs_reader_copy(&r, p->bgp_id, 4);
		p->af = (ptype & 1) ? MANRS_AF_INET6 : MANRS_AF_INET;
		manrs_reader_copy(&r, p->addr, (ptype & 1) ? 16 : 4);
		if (ptype & 2)
			manrs_reader_u32(&r, &p->asn);
		else {
			manrs_reader_u16(&r, &as16);
			p->asn = as16;
		}
	}
	if (r.err != 0) {
		free(peers);
		return r.err;
	}
	free(rd->peers);
	rd->peers = peers;
	rd->npeers = count;
	rd->peer_tables++;
	return 0;
}

uint32_t
mrt_peer_tables(const struct manrs_mrt_reader *rd)
{
	return rd->peer_tables;
}

int
manrs_mrt_next(struct manrs_mrt_reader *rd, struct manrs_mrt_record *rec)
{
	for (;;) {
		const uint8_t *h;
		size_t avail, hlen = MANRS_MRT_HEADER_LEN;
		uint32_t len;
		uint64_t off;
		char det[96];

		/* A sticky input error ends reading once the buffer is used. */
		avail = fill(rd, hlen);
		off = rd->buf_off + rd->start;
		if (avail == 0)
			return rd->err;
		if (avail < hlen) {
			snprintf(det, sizeof(det), "%zu of %zu header bytes",
			    avail, hlen);
			mrt_report(rd, MANRS_SEV_WARNING, off,
			    "stream ends inside an MRT header", det);
			rd->start = rd->end;
			return rd->err;
		}
		h = rd->buf + rd->start;
		rec->ts = mrt_get32(h);
		rec->type = mrt_get16(h + 4);
		rec->subtype = mrt_get16(h + 6);
		len = mrt_get32(h + 8);
		rec->offset = off;
		if (len > MANRS_MRT_RECORD_MAX) {
			snprintf(det, sizeof(det), "length %u exceeds %u "
			    "(RFC 6396 section 2); cannot resynchronise", len,
			    MANRS_MRT_RECORD_MAX);
			mrt_report(rd, MANRS_SEV_ERROR, off,
			    "corrupt MRT header", det);
			rd->err = MANRS_E_LIMIT;
			rd->eof = true;
			rd->start = rd->end;
			return rd->err;
		}
		avail = fill(rd, hlen + len);
		if (avail < hlen + len) {
			snprintf(det, sizeof(det), "%zu of %u bytes",
			    avail - hlen, len);
			mrt_report(rd, MANRS_SEV_WARNING, off,
			    "stream ends inside a record", det);
			rd->start = rd->end;
			return rd->err;
		}
		h = rd->buf + rd->start;
		rd->start += hlen + len;
		rd->nrec++;
		if (rec->ts != 0 && (rd->first_ts == 0 ||
		    rec->ts < rd->first_ts))
			rd->first_ts = rec->ts;
		if (rec->ts > rd->last_ts)
			rd->last_ts = rec->ts;
		rec->body = h + hlen;
		rec->len = len;
		rec->usec = 0;
		if (rec->type == MANRS_MRT_BGP4MP_ET) {
			if (len < 4) {
				mrt_report(rd, MANRS_SEV_ERROR, off,
				    "record skipped", "BGP4MP_ET record "
				    "shorter than its microsecond field");
				rd->nskip++;
				continue;
			}
			rec->usec = mrt_get32(rec->body);
			rec->body += 4;
			rec->len -= 4;
		}
		if (rec->type == MANRS_MRT_TABLE_DUMP_V2 &&
		    rec->subtype == MANRS_MRT_PEER_INDEX_TABLE &&
		    peer_index_decode(rd, rec) != 0) {
			mrt_report(rd, MANRS_SEV_ERROR, off, "record skipped",
			    "PEER_INDEX_TABLE is truncated "
			    "(RFC 6396 section 4.3.1)");
			rd->nskip++;
			continue;
		}
		return 1;
	}
}

void
mrt_skip_report(struct manrs_mrt_reader *rd,
    const struct manrs_mrt_record *rec, const char *why)
{
	rd->nskip++;
	mrt_report(rd, MANRS_SEV_ERROR, rec->offset, "record skipped", why);
}

void
manrs_mrt_provenance(const struct manrs_mrt_reader *rd,
    struct manrs_provenance *p)
{
	p->records = rd->nrec;
	p->skipped = rd->nskip;
	p->first = rd->first_ts;
	p->last = rd->last_ts;
	if (rd->first_ts != 0)
		manrs_provenance_set_time(p, rd->first_ts,
		    MANRS_PROV_TIME_CONTENT, "first record");
	else
		(void)manrs_provenance_use_mtime(p);
}
