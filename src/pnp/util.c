/*
 * Small text helpers for the PnP manager: IDs arrive from drivers as
 * UTF-16 (multi-)strings and the registry and the user speak UTF-8.
 */
#include "pnp/pnp_private.h"

#include <stdlib.h>

char *pnp_utf16_to_utf8(const WCHAR *in)
{
    size_t n = 0;
    while (in && in[n])
        n++;
    char *out = malloc(n * 3 + 1), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = in[i];
        if (c >= 0xD800 && c < 0xDC00 && in[i + 1] >= 0xDC00 && in[i + 1] < 0xE000)
            c = 0x10000 + ((c - 0xD800) << 10) + (in[++i] - 0xDC00);
        if (c < 0x80) {
            *p++ = (char)c;
        } else if (c < 0x800) {
            *p++ = (char)(0xC0 | (c >> 6));
            *p++ = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *p++ = (char)(0xE0 | (c >> 12));
            *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *p++ = (char)(0x80 | (c & 0x3F));
        } else {
            *p++ = (char)(0xF0 | (c >> 18));
            *p++ = (char)(0x80 | ((c >> 12) & 0x3F));
            *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *p++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *p = 0;
    return out;
}

WCHAR *pnp_utf8_to_utf16(const char *in)
{
    size_t n = strlen(in), o = 0;
    WCHAR *out = malloc((n + 1) * sizeof(WCHAR));
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)in[i];
        uint32_t cp = c;
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len > 1) {
            cp = c & (0xFF >> (len + 1));
            for (size_t k = 1; k < len && i + k < n; k++)
                cp = (cp << 6) | ((unsigned char)in[i + k] & 0x3F);
        }
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[o++] = (WCHAR)(0xD800 + (cp >> 10));
            out[o++] = (WCHAR)(0xDC00 + (cp & 0x3FF));
        } else {
            out[o++] = (WCHAR)cp;
        }
    }
    out[o] = 0;
    return out;
}

/* Characters in a multi-string including its final terminator pair. */
size_t pnp_multi_sz_chars(const WCHAR *multi_sz)
{
    size_t n = 0;
    if (!multi_sz)
        return 0;
    while (multi_sz[n] || multi_sz[n + 1])
        n++;
    return n + 2;
}

/* A copy in paged pool, as drivers return IDs (the requester frees it with
 * ExFreePool). */
WCHAR *pnp_wcsdup_pool(const WCHAR *s, size_t chars)
{
    WCHAR *copy = ExAllocatePool2(POOL_FLAG_PAGED, chars * sizeof(WCHAR), 'IpnP');
    if (copy)
        memcpy(copy, s, chars * sizeof(WCHAR));
    return copy;
}

size_t pnp_wcslen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
