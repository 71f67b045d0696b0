/*
 * The CRT's formatting-into-buffers functions, over the one engine
 * (format.c). Four truncation conventions coexist on Windows and drivers
 * rely on each:
 *   C99 (snprintf, vsnprintf): at most n - 1 units and a NUL; returns the
 *     would-be length.
 *   ISO wide (swprintf, vswprintf): the same, but -1 when truncated.
 *   Microsoft's _snprintf family: at most n units, a NUL only if there was
 *     room; the length if it fit, -1 if not.
 *   The secure CRT (_s): an error for a too-small buffer, leaving an
 *     empty string, unless asked to _TRUNCATE.
 * A %n in the format makes any of them return -1.
 */
#include "internal.h"
#include "format.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#define STRUNCATE 80 /* Microsoft's errno for a truncating copy */

/* The secure CRT calls its invalid-parameter handler here; kmhost's logs
 * and lets the function fail with its documented result. */
static int invalid_parameter(const char *function, int err)
{
    kmh_log(KMH_LOG_WARNING, "crt", "%s: invalid parameter (%s)", function,
        err == ERANGE ? "buffer too small" : "bad argument");
    errno = err;
    return err;
}

static int as_int(long n)
{
    return n < 0 || n > INT_MAX ? -1 : (int)n;
}

static void terminate(bool wide, void *buf, size_t at)
{
    if (wide)
        ((wchar_t *)buf)[at] = 0;
    else
        ((char *)buf)[at] = 0;
}

/* Microsoft's _vsnprintf: n units at most, NUL only when it fits. */
static int ms_vsnprintf(bool wide, void *buf, size_t n, const void *fmt, va_list ap)
{
    struct nt_sink s = { .buf = buf, .cap = n, .wide = wide };

    if (nt_vformat(&s, fmt, ap) < 0) {
        if (s.pos < n)
            terminate(wide, buf, s.pos);
        return -1;
    }
    if (s.total < n)
        terminate(wide, buf, s.total);
    return s.total <= n ? as_int((long)s.total) : -1;
}

/* The secure forms: count is the most units to write, or KMH_TRUNCATE. */
static int secure_vsnprintf(const char *function, bool wide, void *buf, size_t size, size_t count,
    const void *fmt, va_list ap)
{
    bool truncated;
    size_t cap;
    long n;

    if (buf == NULL || size == 0 || fmt == NULL) {
        if (buf && size)
            terminate(wide, buf, 0);
        invalid_parameter(function, EINVAL);
        return -1;
    }
    cap = (count != KMH_TRUNCATE && count < size) ? count + 1 : size;
    n = nt_vformat_buffer(wide, buf, cap, fmt, ap, &truncated);
    if (n < 0 || !truncated)
        return as_int(n);
    if (count == KMH_TRUNCATE || count < size)
        return -1; /* asked to truncate: the shortened string stays */
    terminate(wide, buf, 0);
    invalid_parameter(function, ERANGE);
    return -1;
}

/* --- Narrow ----------------------------------------------------------------- */

KMH_EXPORT int kmh_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    return as_int(nt_vformat_buffer(false, buf, n, fmt, ap, NULL));
}

KMH_EXPORT int kmh_vsprintf(char *buf, const char *fmt, va_list ap)
{
    return as_int(nt_vformat_buffer(false, buf, SIZE_MAX, fmt, ap, NULL));
}

KMH_EXPORT int kmh__vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    return ms_vsnprintf(false, buf, n, fmt, ap);
}

KMH_EXPORT int kmh__vscprintf(const char *fmt, va_list ap)
{
    return as_int(nt_vformat_buffer(false, NULL, 0, fmt, ap, NULL));
}

KMH_EXPORT int kmh_vsprintf_s(char *buf, size_t size, const char *fmt, va_list ap)
{
    return secure_vsnprintf("vsprintf_s", false, buf, size, size, fmt, ap);
}

KMH_EXPORT int kmh__vsnprintf_s(char *buf, size_t size, size_t count, const char *fmt, va_list ap)
{
    return secure_vsnprintf("_vsnprintf_s", false, buf, size, count, fmt, ap);
}

/* --- Wide ------------------------------------------------------------------- */

KMH_EXPORT int kmh_vswprintf(wchar_t *buf, size_t n, const wchar_t *fmt, va_list ap)
{
    bool truncated;
    long len = nt_vformat_buffer(true, buf, n, fmt, ap, &truncated);
    return truncated || n == 0 ? -1 : as_int(len);
}

KMH_EXPORT int kmh__vswprintf(wchar_t *buf, const wchar_t *fmt, va_list ap)
{
    return as_int(nt_vformat_buffer(true, buf, SIZE_MAX / sizeof(wchar_t), fmt, ap, NULL));
}

KMH_EXPORT int kmh__vsnwprintf(wchar_t *buf, size_t n, const wchar_t *fmt, va_list ap)
{
    return ms_vsnprintf(true, buf, n, fmt, ap);
}

KMH_EXPORT int kmh__vscwprintf(const wchar_t *fmt, va_list ap)
{
    return as_int(nt_vformat_buffer(true, NULL, 0, fmt, ap, NULL));
}

KMH_EXPORT int kmh_vswprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, va_list ap)
{
    return secure_vsnprintf("vswprintf_s", true, buf, size, size, fmt, ap);
}

KMH_EXPORT int kmh__vsnwprintf_s(wchar_t *buf, size_t size, size_t count, const wchar_t *fmt,
    va_list ap)
{
    return secure_vsnprintf("_vsnwprintf_s", true, buf, size, count, fmt, ap);
}

/* --- The variadic forms ------------------------------------------------------ */

#define KMH_VARIADIC(call, last)          \
    do {                                  \
        va_list ap;                       \
        int ret;                          \
        va_start(ap, last);               \
        ret = call;                       \
        va_end(ap);                       \
        return ret;                       \
    } while (0)

KMH_EXPORT int kmh_snprintf(char *buf, size_t n, const char *fmt, ...)
{ KMH_VARIADIC(kmh_vsnprintf(buf, n, fmt, ap), fmt); }
KMH_EXPORT int kmh_sprintf(char *buf, const char *fmt, ...)
{ KMH_VARIADIC(kmh_vsprintf(buf, fmt, ap), fmt); }
KMH_EXPORT int kmh__snprintf(char *buf, size_t n, const char *fmt, ...)
{ KMH_VARIADIC(kmh__vsnprintf(buf, n, fmt, ap), fmt); }
KMH_EXPORT int kmh__scprintf(const char *fmt, ...)
{ KMH_VARIADIC(kmh__vscprintf(fmt, ap), fmt); }
KMH_EXPORT int kmh_sprintf_s(char *buf, size_t size, const char *fmt, ...)
{ KMH_VARIADIC(kmh_vsprintf_s(buf, size, fmt, ap), fmt); }
KMH_EXPORT int kmh__snprintf_s(char *buf, size_t size, size_t count, const char *fmt, ...)
{ KMH_VARIADIC(kmh__vsnprintf_s(buf, size, count, fmt, ap), fmt); }
KMH_EXPORT int kmh_swprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...)
{ KMH_VARIADIC(kmh_vswprintf(buf, n, fmt, ap), fmt); }
KMH_EXPORT int kmh__swprintf(wchar_t *buf, const wchar_t *fmt, ...)
{ KMH_VARIADIC(kmh__vswprintf(buf, fmt, ap), fmt); }
KMH_EXPORT int kmh__snwprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...)
{ KMH_VARIADIC(kmh__vsnwprintf(buf, n, fmt, ap), fmt); }
KMH_EXPORT int kmh__scwprintf(const wchar_t *fmt, ...)
{ KMH_VARIADIC(kmh__vscwprintf(fmt, ap), fmt); }
KMH_EXPORT int kmh_swprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, ...)
{ KMH_VARIADIC(kmh_vswprintf_s(buf, size, fmt, ap), fmt); }
KMH_EXPORT int kmh__snwprintf_s(wchar_t *buf, size_t size, size_t count, const wchar_t *fmt, ...)
{ KMH_VARIADIC(kmh__vsnwprintf_s(buf, size, count, fmt, ap), fmt); }
