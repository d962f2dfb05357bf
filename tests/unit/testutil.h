/*
 * testutil.h - helpers shared by the unit tests.
 */
#ifndef MANRS_TESTUTIL_H
#define MANRS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <manrs/manrs.h>

/*
 * Path of a file in the shared real-data corpus, or NULL (and the test is
 * skipped with a message) when the corpus is absent.
 */
const char *shared_path(const char *rel, char *buf, size_t size);
/* A file under the source tree. */
const char *source_path(const char *rel, char *buf, size_t size);
/* View of a C string. */
#define V(s) manrs_view_cstr(s)

#endif
