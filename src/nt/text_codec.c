/*
 * UTF-8 and UTF-16, one code point at a time. Strict decoding: overlong
 * forms, encoded surrogates, values past U+10FFFF and unpaired surrogates
 * are invalid and yield U+FFFD, so every byte string maps to some text and
 * a decoder never reads past what it was given.
 */
#include "internal.h"
#include "text.h"

static bool is_high_surrogate(uint32_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

static bool is_low_surrogate(uint32_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

static uint32_t invalid(bool *bad)
{
    if (bad)
        *bad = true;
    return NT_REPLACEMENT_CHAR;
}

uint32_t nt_utf16_next(const WCHAR *s, size_t n, size_t *i, bool *bad)
{
    uint32_t u = s[(*i)++];

    if (is_low_surrogate(u))
        return invalid(bad);
    if (!is_high_surrogate(u))
        return u;
    /* A high surrogate needs its partner; a NUL or the end is not one. */
    if (*i >= n || !is_low_surrogate(s[*i]))
        return invalid(bad);
    return 0x10000 + ((u - 0xD800) << 10) + (s[(*i)++] - 0xDC00);
}

/* Length of the sequence a lead byte starts, with the smallest code point
 * it may encode (anything below is overlong); 0 for an invalid lead. */
static unsigned utf8_lead(unsigned char b, uint32_t *cp, uint32_t *min)
{
    if (b < 0xC2)
        return 0; /* continuation byte, or C0/C1 (always overlong) */
    if (b < 0xE0) {
        *cp = b & 0x1F, *min = 0x80;
        return 2;
    }
    if (b < 0xF0) {
        *cp = b & 0x0F, *min = 0x800;
        return 3;
    }
    if (b < 0xF5) {
        *cp = b & 0x07, *min = 0x10000;
        return 4;
    }
    return 0;
}

uint32_t nt_utf8_next(const char *s, size_t n, size_t *i, bool *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp = 0, min = 0;
    unsigned len;

    if (p[*i] < 0x80)
        return p[(*i)++];
    len = utf8_lead(p[*i], &cp, &min);
    if (len == 0 || n - *i < len) {
        (*i)++;
        return invalid(bad);
    }
    /* Each continuation byte is checked before the next is read, so a NUL
     * (never a continuation) ends the sequence without reading past it. */
    for (unsigned k = 1; k < len; k++) {
        unsigned char c = p[*i + k];
        if ((c & 0xC0) != 0x80) {
            (*i)++;
            return invalid(bad);
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        (*i)++;
        return invalid(bad);
    }
    *i += len;
    return cp;
}

size_t nt_utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = NT_REPLACEMENT_CHAR;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t nt_utf16_encode(uint32_t cp, WCHAR out[2])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = NT_REPLACEMENT_CHAR;
    if (cp < 0x10000) {
        out[0] = (WCHAR)cp;
        return 1;
    }
    cp -= 0x10000;
    out[0] = (WCHAR)(0xD800 + (cp >> 10));
    out[1] = (WCHAR)(0xDC00 + (cp & 0x3FF));
    return 2;
}
