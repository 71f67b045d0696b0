/*
 * The C runtime's string functions with a 16-bit wchar_t, and the
 * Microsoft-only narrow ones. Drivers and programs reach them under their
 * usual names through <kmh/crt_common.h>; glibc's wide functions assume a
 * 32-bit wchar_t and must never see our strings.
 *
 * Case-insensitive comparisons fold to lowercase, as Microsoft's CRT
 * documents (it matters for the characters between 'Z' and 'a'); narrow
 * ones fold ASCII only (the "C" locale), wide ones use the locale-free
 * tables of text_case.c, as the kernel's CRT does.
 *
 * Each function does what the C standard, or Microsoft's CRT reference
 * for the _-prefixed ones, says; callable at any IRQL (nothing here
 * blocks or allocates, except _wcsdup, which is user mode only).
 */
#include "internal.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

KMH_EXPORT size_t kmh_wcslen(const wchar_t *s)
{
    const wchar_t *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

KMH_EXPORT size_t kmh_wcsnlen(const wchar_t *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

KMH_EXPORT wchar_t *kmh_wcscpy(wchar_t *dst, const wchar_t *src)
{
    wchar_t *d = dst;
    while ((*d++ = *src++) != 0)
        ;
    return dst;
}

KMH_EXPORT wchar_t *kmh_wcsncpy(wchar_t *dst, const wchar_t *src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = 0;
    return dst;
}

KMH_EXPORT wchar_t *kmh_wcscat(wchar_t *dst, const wchar_t *src)
{
    kmh_wcscpy(dst + kmh_wcslen(dst), src);
    return dst;
}

KMH_EXPORT wchar_t *kmh_wcsncat(wchar_t *dst, const wchar_t *src, size_t n)
{
    wchar_t *d = dst + kmh_wcslen(dst);
    size_t i = 0;
    for (; i < n && src[i]; i++)
        d[i] = src[i];
    d[i] = 0;
    return dst;
}

KMH_EXPORT int kmh_wcscmp(const wchar_t *a, const wchar_t *b)
{
    return kmh_wcsncmp(a, b, (size_t)-1);
}

KMH_EXPORT int kmh_wcsncmp(const wchar_t *a, const wchar_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return (int)a[i] - (int)b[i];
        if (a[i] == 0)
            break;
    }
    return 0;
}

KMH_EXPORT int kmh__wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = nt_downcase(a[i]), cb = nt_downcase(b[i]);
        if (ca != cb)
            return ca - cb;
        if (ca == 0)
            break;
    }
    return 0;
}

KMH_EXPORT int kmh__wcsicmp(const wchar_t *a, const wchar_t *b)
{
    return kmh__wcsnicmp(a, b, (size_t)-1);
}

KMH_EXPORT wchar_t *kmh_wcschr(const wchar_t *s, wchar_t c)
{
    for (;; s++) {
        if (*s == c)
            return (wchar_t *)s;
        if (*s == 0)
            return NULL;
    }
}

KMH_EXPORT wchar_t *kmh_wcsrchr(const wchar_t *s, wchar_t c)
{
    const wchar_t *found = NULL;
    for (;; s++) {
        if (*s == c)
            found = s;
        if (*s == 0)
            return (wchar_t *)found;
    }
}

KMH_EXPORT wchar_t *kmh_wcsstr(const wchar_t *haystack, const wchar_t *needle)
{
    size_t n = kmh_wcslen(needle);
    for (; *haystack; haystack++)
        if (kmh_wcsncmp(haystack, needle, n) == 0)
            return (wchar_t *)haystack;
    return n == 0 ? (wchar_t *)haystack : NULL;
}

KMH_EXPORT size_t kmh_wcsspn(const wchar_t *s, const wchar_t *accept)
{
    size_t n = 0;
    while (s[n] && kmh_wcschr(accept, s[n]))
        n++;
    return n;
}

KMH_EXPORT size_t kmh_wcscspn(const wchar_t *s, const wchar_t *reject)
{
    size_t n = 0;
    while (s[n] && !kmh_wcschr(reject, s[n]))
        n++;
    return n;
}

KMH_EXPORT wchar_t *kmh_wcspbrk(const wchar_t *s, const wchar_t *accept)
{
    s += kmh_wcscspn(s, accept);
    return *s ? (wchar_t *)s : NULL;
}

KMH_EXPORT wchar_t *kmh_wcstok(wchar_t *s, const wchar_t *delim, wchar_t **save)
{
    wchar_t *tok;

    if (s == NULL)
        s = *save;
    if (s == NULL)
        return NULL;
    s += kmh_wcsspn(s, delim);
    if (*s == 0) {
        *save = NULL;
        return NULL;
    }
    tok = s;
    s += kmh_wcscspn(s, delim);
    *save = *s ? s + 1 : NULL;
    *s = 0;
    return tok;
}

KMH_EXPORT wchar_t *kmh__wcsupr(wchar_t *s)
{
    for (wchar_t *p = s; *p; p++)
        *p = nt_upcase(*p);
    return s;
}

KMH_EXPORT wchar_t *kmh__wcslwr(wchar_t *s)
{
    for (wchar_t *p = s; *p; p++)
        *p = nt_downcase(*p);
    return s;
}

KMH_EXPORT wchar_t *kmh__wcsdup(const wchar_t *s)
{
    size_t size = (kmh_wcslen(s) + 1) * sizeof(wchar_t);
    wchar_t *d = malloc(size);
    return d ? memcpy(d, s, size) : NULL;
}

KMH_EXPORT wchar_t *kmh_wmemcpy(wchar_t *dst, const wchar_t *src, size_t n)
{
    return memcpy(dst, src, n * sizeof(wchar_t));
}

KMH_EXPORT wchar_t *kmh_wmemmove(wchar_t *dst, const wchar_t *src, size_t n)
{
    return memmove(dst, src, n * sizeof(wchar_t));
}

KMH_EXPORT wchar_t *kmh_wmemset(wchar_t *dst, wchar_t c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = c;
    return dst;
}

KMH_EXPORT int kmh_wmemcmp(const wchar_t *a, const wchar_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

KMH_EXPORT wchar_t *kmh_wmemchr(const wchar_t *s, wchar_t c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == c)
            return (wchar_t *)&s[i];
    return NULL;
}

KMH_EXPORT unsigned int kmh_towupper(unsigned int c)
{
    return c <= 0xFFFF ? nt_upcase((WCHAR)c) : c;
}

KMH_EXPORT unsigned int kmh_towlower(unsigned int c)
{
    return c <= 0xFFFF ? nt_downcase((WCHAR)c) : c;
}

/* --- Narrow, Microsoft-only ------------------------------------------------ */

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

KMH_EXPORT int kmh__strnicmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = ascii_lower((unsigned char)a[i]), cb = ascii_lower((unsigned char)b[i]);
        if (ca != cb)
            return ca - cb;
        if (ca == 0)
            break;
    }
    return 0;
}

KMH_EXPORT int kmh__stricmp(const char *a, const char *b)
{
    return kmh__strnicmp(a, b, (size_t)-1);
}

KMH_EXPORT char *kmh__strupr(char *s)
{
    for (char *p = s; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    return s;
}

KMH_EXPORT char *kmh__strlwr(char *s)
{
    for (char *p = s; *p; p++)
        *p = (char)ascii_lower((unsigned char)*p);
    return s;
}
