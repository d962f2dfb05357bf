/*
 * fuzz_db.c - the snapshot reader (manrs_db_open_mem, manrs_irrdb_map).
 * The input is a snapshot file.  The header CRC is recomputed first
 * when the input is long enough to hold a header, so that mutations get
 * past it to the section table and the sections (a forged file would
 * do the same); the input is also tried as is.  What opens is queried
 * everywhere (db_digest.h: IRR queries, ROV, ASPA, router keys) and verified: every read must stay inside
 * the input (ASan), every walk must end.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <manrs/db.h>

#include "../../unit/db_digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR	4096

static void
try_open(const uint64_t *mem, size_t size)
{
	struct manrs_db *db;
	struct manrs_buf b;
	char why[256];
	int err;

	db = manrs_db_open_mem(mem, size, why, sizeof(why), &err);
	if (db == NULL)
		return;
	if (manrs_db_irrdb(db) != NULL) {
		manrs_buf_init(&b, 1u << 24);
		db_digest(manrs_db_irrdb(db), &b);
		manrs_buf_clear(&b);
	}
	if (manrs_db_vrps(db) != NULL) {
		manrs_buf_init(&b, 1u << 24);
		vrp_digest(manrs_db_vrps(db), &b);
		manrs_buf_clear(&b);
	}
	(void)manrs_db_verify(db, why, sizeof(why));
	manrs_db_close(db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t *mem;
	uint32_t c;

	/* Exactly size bytes, 8-byte aligned: ASan sees a read past it. */
	if ((mem = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(mem, data, size);
	try_open(mem, size);
	if (size >= HDR) {
		memset((uint8_t *)mem + 36, 0, 4);
		c = (uint32_t)crc32_z(0, (const uint8_t *)mem, HDR);
		memcpy((uint8_t *)mem + 36, &c, 4);
		try_open(mem, size);
	}
	free(mem);
	return 0;
}
