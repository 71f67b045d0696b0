/*
 * Small helpers every test program gets: temporary directories and reading
 * files. See test-support.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, nftw */
#endif
#include "test-support.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *kmh_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *path = NULL;
    if (asprintf(&path, "%s/kmhost-test-XXXXXX", base && *base ? base : "/tmp") < 0)
        abort();
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    return remove(path) < 0 ? -errno : 0;
}

int kmh_test_rmtree(const char *path)
{
    /* Depth first, without following symbolic links out of the tree. */
    int rc = nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    return rc < 0 ? -errno : rc;
}

void *kmh_test_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = (cap ? cap * 2 : 8192);
            char *more = realloc(buf, cap);
            if (!more)
                goto err;
            buf = more;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f))
        goto err;
    fclose(f);
    buf[len] = '\0';
    if (size)
        *size = len;
    return buf;
err:
    free(buf);
    fclose(f);
    errno = errno ? errno : EIO;
    return NULL;
}
