/*
 * Small helpers every test program gets (tests/CMakeLists.txt compiles
 * test-support.c into each one). Generic only: anything about one module
 * belongs in that module's test file.
 */
#ifndef KMHOST_TEST_SUPPORT_H
#define KMHOST_TEST_SUPPORT_H

#include <stddef.h>

/* Creates a fresh directory under $TMPDIR (or /tmp); the caller frees the
 * path and removes the directory with kmh_test_rmtree. Aborts on failure. */
char *kmh_test_tmpdir(void);
/* Removes path and everything under it; 0 or a negative errno. */
int kmh_test_rmtree(const char *path);
/* Reads a whole file into a malloc'd buffer (NUL-terminated, for text);
 * NULL with errno set on failure. *size may be NULL. */
void *kmh_test_read_file(const char *path, size_t *size);

#endif /* KMHOST_TEST_SUPPORT_H */
