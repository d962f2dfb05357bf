#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

const char *
shared_path(const char *rel, char *buf, size_t size)
{
	const char *root = getenv("MANRS_SHARED_DATA");

	if (root == NULL)
		root = "../shared/data";
	snprintf(buf, size, "%s/%s", root, rel);
	if (access(buf, R_OK) != 0) {
		fprintf(stderr, "SKIP: shared data %s absent\n", buf);
		return NULL;
	}
	return buf;
}

const char *
source_path(const char *rel, char *buf, size_t size)
{
	const char *root = getenv("MANRS_SOURCE_ROOT");

	snprintf(buf, size, "%s/%s", root != NULL ? root : ".", rel);
	return buf;
}
