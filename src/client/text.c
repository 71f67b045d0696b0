/*
 * Text: narrow ("ANSI") strings of the A functions are UTF-8, wide ones
 * UTF-16, as kmhost uses code page 65001 for the ANSI code page. Invalid
 * sequences become U+FFFD. Also MultiByteToWideChar and
 * WideCharToMultiByte, which programs use to build the W functions' names.
 */
#include "client/client.h"

#include <stdlib.h>

#define REPLACEMENT 0xFFFDu

size_t client_wcslen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* One code point from UTF-8 at s[*i] (n bytes in all); advances *i. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i, bool *bad)
{
    uint32_t c = s[(*i)++];
    int more = c < 0x80 ? 0 : c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
    uint32_t min = more == 3 ? 0x10000 : more == 2 ? 0x800 : 0x80;

    if (more < 0 || (more == 2 && c >= 0xF0))
        goto invalid;
    if (more == 0)
        return c;
    c &= 0x3F >> more;
    for (int k = 0; k < more; k++) {
        if (*i >= n || (s[*i] & 0xC0) != 0x80)
            goto invalid;
        c = (c << 6) | (s[(*i)++] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
        goto invalid;
    return c;
invalid:
    *bad = true;
    return REPLACEMENT;
}

static uint32_t utf16_next(const WCHAR *s, size_t n, size_t *i, bool *bad)
{
    uint32_t c = s[(*i)++];
    if (c >= 0xD800 && c < 0xDC00 && *i < n && s[*i] >= 0xDC00 && s[*i] < 0xE000)
        return 0x10000 + ((c - 0xD800) << 10) + (s[(*i)++] - 0xDC00);
    if (c >= 0xD800 && c < 0xE000) {
        *bad = true;
        return REPLACEMENT;
    }
    return c;
}

static size_t utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    size_t len = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (size_t k = len - 1; k > 0; k--, c >>= 6)
        out[k] = (char)(0x80 | (c & 0x3F));
    out[0] = (char)((len == 2 ? 0xC0 : len == 3 ? 0xE0 : 0xF0) | c);
    return len;
}

static size_t utf16_put(uint32_t c, WCHAR *out)
{
    if (c < 0x10000) {
        out[0] = (WCHAR)c;
        return 1;
    }
    c -= 0x10000;
    out[0] = (WCHAR)(0xD800 + (c >> 10));
    out[1] = (WCHAR)(0xDC00 + (c & 0x3FF));
    return 2;
}

/* Converts n units (terminators included if counted); out NULL counts.
 * Returns the units produced, or -1 when they exceed cap. */
static long to_wide(const char *s, size_t n, WCHAR *out, size_t cap, bool *bad)
{
    size_t i = 0, len = 0;
    WCHAR w[2];
    while (i < n) {
        size_t k = utf16_put(utf8_next((const unsigned char *)s, n, &i, bad), w);
        if (out && len + k > cap)
            return -1;
        if (out)
            memcpy(out + len, w, k * sizeof(WCHAR));
        len += k;
    }
    return (long)len;
}

static long to_narrow(const WCHAR *s, size_t n, char *out, size_t cap, bool *bad)
{
    size_t i = 0, len = 0;
    char b[4];
    while (i < n) {
        size_t k = utf8_put(utf16_next(s, n, &i, bad), b);
        if (out && len + k > cap)
            return -1;
        if (out)
            memcpy(out + len, b, k);
        len += k;
    }
    return (long)len;
}

char *client_utf8_from_wide(const WCHAR *s, bool *oom)
{
    bool bad = false;
    if (!s)
        return NULL;
    size_t n = client_wcslen(s) + 1;
    long len = to_narrow(s, n, NULL, 0, &bad);
    char *out = malloc((size_t)len);
    if (!out) {
        *oom = true;
        return NULL;
    }
    to_narrow(s, n, out, (size_t)len, &bad);
    return out;
}

WCHAR *client_wide_from_utf8(const char *s, bool *oom)
{
    bool bad = false;
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    long len = to_wide(s, n, NULL, 0, &bad);
    WCHAR *out = malloc((size_t)len * sizeof(WCHAR));
    if (!out) {
        *oom = true;
        return NULL;
    }
    to_wide(s, n, out, (size_t)len, &bad);
    return out;
}

static bool code_page_ok(UINT cp)
{
    return cp == CP_ACP || cp == CP_OEMCP || cp == CP_THREAD_ACP || cp == CP_UTF8;
}

/* Converts UTF-8 (every ANSI code page is UTF-8 here) to UTF-16; a count
 * of -1 includes the terminator. Returns the characters written (or
 * needed, when cchWideChar is 0); 0 with ERROR_INVALID_PARAMETER,
 * ERROR_INSUFFICIENT_BUFFER or, with MB_ERR_INVALID_CHARS,
 * ERROR_NO_UNICODE_TRANSLATION. */
KMH_EXPORT int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCCH lpMultiByteStr,
                                          int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar)
{
    bool bad = false;

    if (!lpMultiByteStr || cbMultiByte == 0 || cchWideChar < 0 || !code_page_ok(CodePage) ||
        (cchWideChar && !lpWideCharStr))
        return client_fail(ERROR_INVALID_PARAMETER);
    size_t n = cbMultiByte < 0 ? strlen(lpMultiByteStr) + 1 : (size_t)cbMultiByte;
    long len = to_wide(lpMultiByteStr, n, cchWideChar ? lpWideCharStr : NULL, (size_t)cchWideChar, &bad);
    if (bad && (dwFlags & MB_ERR_INVALID_CHARS))
        return client_fail(ERROR_NO_UNICODE_TRANSLATION);
    if (len < 0)
        return client_fail(ERROR_INSUFFICIENT_BUFFER);
    return (int)len;
}

/* Converts UTF-16 to UTF-8, as MultiByteToWideChar the other way;
 * lpDefaultChar and lpUsedDefaultChar must be NULL for UTF-8, as on
 * Windows (ERROR_INVALID_PARAMETER). */
KMH_EXPORT int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWCH lpWideCharStr,
                                          int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
                                          LPCCH lpDefaultChar, LPBOOL lpUsedDefaultChar)
{
    bool bad = false;

    if (!lpWideCharStr || cchWideChar == 0 || cbMultiByte < 0 || !code_page_ok(CodePage) ||
        (cbMultiByte && !lpMultiByteStr) || lpDefaultChar || lpUsedDefaultChar)
        return client_fail(ERROR_INVALID_PARAMETER);
    size_t n = cchWideChar < 0 ? client_wcslen(lpWideCharStr) + 1 : (size_t)cchWideChar;
    long len = to_narrow(lpWideCharStr, n, cbMultiByte ? lpMultiByteStr : NULL, (size_t)cbMultiByte, &bad);
    if (bad && (dwFlags & WC_ERR_INVALID_CHARS))
        return client_fail(ERROR_NO_UNICODE_TRANSLATION);
    if (len < 0)
        return client_fail(ERROR_INSUFFICIENT_BUFFER);
    return (int)len;
}

char *client_utf8_from_utf16(const void *data, size_t bytes)
{
    size_t n = bytes / sizeof(WCHAR);
    WCHAR *copy = malloc((n + 1) * sizeof(WCHAR));
    bool bad = false;

    if (!copy)
        return NULL;
    memcpy(copy, data, n * sizeof(WCHAR)); /* registry data need not be aligned */
    copy[n] = 0;
    n = client_wcslen(copy);
    long len = to_narrow(copy, n, NULL, 0, &bad);
    char *out = malloc((size_t)len + 1);
    if (out) {
        to_narrow(copy, n, out, (size_t)len, &bad);
        out[len] = 0;
    }
    free(copy);
    return out;
}
