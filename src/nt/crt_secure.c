/*
 * The secure CRT's string copies (strcpy_s, wcsncat_s, ...), one generic
 * implementation for both character widths. Failures follow Microsoft's
 * documentation: the destination becomes an empty string when it can be
 * written, errno and the result say why (EINVAL, ERANGE), and a _TRUNCATE
 * count copies what fits and returns STRUNCATE. The invalid-parameter
 * handler is a warning in the log; the program goes on.
 */
#include "internal.h"
#include "text.h"

#include <errno.h>
#include <string.h>

#define STRUNCATE 80

static unsigned get(const void *p, size_t size, size_t i)
{
    return size == 1 ? (unsigned char)((const char *)p)[i] : ((const wchar_t *)p)[i];
}

static void put(void *p, size_t size, size_t i, unsigned v)
{
    if (size == 1)
        ((char *)p)[i] = (char)v;
    else
        ((wchar_t *)p)[i] = (wchar_t)v;
}

static size_t length(const void *p, size_t size, size_t max)
{
    size_t n = 0;
    while (n < max && get(p, size, n))
        n++;
    return n;
}

static int fail(const char *function, void *dst, size_t size, size_t dst_size, int err)
{
    if (dst && dst_size)
        put(dst, size, 0, 0);
    kmh_log(KMH_LOG_WARNING, "crt", "%s: %s", function,
        err == ERANGE ? "buffer too small" : "invalid parameter");
    errno = err;
    return err;
}

/* Appends at most count units of src at dst[start] within dst_size units;
 * a count of (size_t)-1 (KMH_TRUNCATE) copies what fits. */
static int append(const char *function, void *dst, size_t unit, size_t dst_size, size_t start,
    const void *src, size_t count)
{
    size_t room = dst_size - start - 1;
    size_t n = length(src, unit, count);
    bool truncate = count == KMH_TRUNCATE;

    if (n > room && !truncate)
        return fail(function, dst, unit, dst_size, ERANGE);
    if (n > room)
        n = room;
    memcpy((char *)dst + start * unit, src, n * unit);
    put(dst, unit, start + n, 0);
    return truncate && length(src, unit, n + 1) > n ? STRUNCATE : 0;
}

/* strcpy_s and friends: cat appends after the string already in dst;
 * counted says count limits the source (KMH_TRUNCATE: copy what fits). */
static int copy_s(const char *function, void *dst, size_t unit, size_t dst_size, const void *src,
    size_t count, bool cat, bool counted)
{
    size_t start = 0;

    if (dst == NULL || dst_size == 0)
        return fail(function, NULL, unit, 0, EINVAL);
    if (cat) {
        start = length(dst, unit, dst_size);
        if (start == dst_size)
            return fail(function, dst, unit, dst_size, EINVAL); /* unterminated */
    }
    if (counted && count == 0) {
        put(dst, unit, start, 0);
        return 0;
    }
    if (src == NULL)
        return fail(function, dst, unit, dst_size, EINVAL);
    if (!counted)
        count = length(src, unit, (size_t)-1);
    return append(function, dst, unit, dst_size, start, src, count);
}

KMH_EXPORT int kmh_strcpy_s(char *dst, size_t size, const char *src)
{
    return copy_s("strcpy_s", dst, 1, size, src, 0, false, false);
}

KMH_EXPORT int kmh_strcat_s(char *dst, size_t size, const char *src)
{
    return copy_s("strcat_s", dst, 1, size, src, 0, true, false);
}

KMH_EXPORT int kmh_strncpy_s(char *dst, size_t size, const char *src, size_t count)
{
    return copy_s("strncpy_s", dst, 1, size, src, count, false, true);
}

KMH_EXPORT int kmh_strncat_s(char *dst, size_t size, const char *src, size_t count)
{
    return copy_s("strncat_s", dst, 1, size, src, count, true, true);
}

KMH_EXPORT int kmh_wcscpy_s(wchar_t *dst, size_t size, const wchar_t *src)
{
    return copy_s("wcscpy_s", dst, 2, size, src, 0, false, false);
}

KMH_EXPORT int kmh_wcscat_s(wchar_t *dst, size_t size, const wchar_t *src)
{
    return copy_s("wcscat_s", dst, 2, size, src, 0, true, false);
}

KMH_EXPORT int kmh_wcsncpy_s(wchar_t *dst, size_t size, const wchar_t *src, size_t count)
{
    return copy_s("wcsncpy_s", dst, 2, size, src, count, false, true);
}

KMH_EXPORT int kmh_wcsncat_s(wchar_t *dst, size_t size, const wchar_t *src, size_t count)
{
    return copy_s("wcsncat_s", dst, 2, size, src, count, true, true);
}

KMH_EXPORT size_t kmh_strnlen_s(const char *s, size_t max)
{
    return s ? length(s, 1, max) : 0;
}

KMH_EXPORT size_t kmh_wcsnlen_s(const wchar_t *s, size_t max)
{
    return s ? length(s, 2, max) : 0;
}
