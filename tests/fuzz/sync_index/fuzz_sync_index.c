/*
 * fuzz_sync_index.c - the folder index-page parser of manrs sync
 * (src/cmd/manrs/sync_index.c) and the file-name times: every name
 * returned must be a plain name in the folder (no "/", "\", NUL or
 * control byte, not "." or "..", bounded, unique), whatever the page.
 */
#include <stdlib.h>
#include <string.h>

#include "sync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **names;
	size_t n, i, j, l;

	if (sync_index_parse((const char *)data, size, &names, &n) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		l = strlen(names[i]);
		if (l == 0 || l > SYNC_NAME_MAX ||
		    strchr(names[i], '/') != NULL ||
		    strchr(names[i], '\\') != NULL ||
		    strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0)
			abort();
		for (j = 0; j < l; j++)
			if ((unsigned char)names[i][j] < 0x20)
				abort();
		for (j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				abort();
		(void)sync_name_time(names[i], "bview.");
		(void)sync_name_time(names[i], "");
	}
	sync_index_free(names, n);
	return 0;
}
