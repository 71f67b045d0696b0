/*
 * Numbers to and from text, and multibyte conversion, with Windows types:
 * long and unsigned long are 32-bit there, so wcstol, wcstoul and _ltoa
 * saturate and wrap at 32 bits as they would on Windows even though the C
 * types here are 64-bit. Multibyte text is UTF-8 (text.h).
 */
#include "internal.h"
#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool wide_space(wchar_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int digit_value(wchar_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Parses [space][sign][0x]digits; returns the magnitude (saturated, with
 * *overflow set) and whether it was negative. *end gets s when there were
 * no digits. */
static uint64_t parse_magnitude(const wchar_t *s, wchar_t **end, int base, bool *neg, bool *overflow)
{
    const wchar_t *p = s;
    uint64_t v = 0;
    bool any = false;

    *neg = *overflow = false;
    while (wide_space(*p))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16)
        p += 2, base = 16;
    else if (base == 0)
        base = p[0] == '0' ? 8 : 10;
    if (base >= 2 && base <= 36) {
        for (int d; (d = digit_value(*p)) < base; p++, any = true) {
            if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
                *overflow = true, v = UINT64_MAX;
            else
                v = v * (uint64_t)base + (uint64_t)d;
        }
    }
    if (end)
        *end = (wchar_t *)(any ? p : s);
    return v;
}

/* Signed result within [-(max + 1), max], as strtol does for that width. */
static int64_t to_signed(uint64_t mag, bool neg, bool overflow, uint64_t max)
{
    if (overflow || mag > max + (neg ? 1 : 0)) {
        errno = ERANGE;
        return neg ? -(int64_t)max - 1 : (int64_t)max;
    }
    return neg ? (int64_t)(0 - mag) : (int64_t)mag;
}

static uint64_t to_unsigned(uint64_t mag, bool neg, bool overflow, uint64_t max)
{
    if (overflow || mag > max) {
        errno = ERANGE;
        return max;
    }
    return (neg ? 0 - mag : mag) & max;
}

KMH_EXPORT long kmh_wcstol(const wchar_t *s, wchar_t **end, int base)
{
    bool neg, ovf;
    uint64_t mag = parse_magnitude(s, end, base, &neg, &ovf);
    return (long)to_signed(mag, neg, ovf, INT32_MAX);
}

KMH_EXPORT unsigned long kmh_wcstoul(const wchar_t *s, wchar_t **end, int base)
{
    bool neg, ovf;
    uint64_t mag = parse_magnitude(s, end, base, &neg, &ovf);
    return (unsigned long)to_unsigned(mag, neg, ovf, UINT32_MAX);
}

KMH_EXPORT long long kmh_wcstoll(const wchar_t *s, wchar_t **end, int base)
{
    bool neg, ovf;
    uint64_t mag = parse_magnitude(s, end, base, &neg, &ovf);
    return to_signed(mag, neg, ovf, INT64_MAX);
}

KMH_EXPORT unsigned long long kmh_wcstoull(const wchar_t *s, wchar_t **end, int base)
{
    bool neg, ovf;
    uint64_t mag = parse_magnitude(s, end, base, &neg, &ovf);
    return to_unsigned(mag, neg, ovf, UINT64_MAX);
}

KMH_EXPORT double kmh_wcstod(const wchar_t *s, wchar_t **end)
{
    char buf[128];
    size_t n = 0;
    char *stop;
    double v;

    /* A number is ASCII; copy what could be one and let strtod decide. */
    while (n < sizeof(buf) - 1 && s[n] && s[n] < 0x80)
        buf[n] = (char)s[n], n++;
    buf[n] = 0;
    v = strtod(buf, &stop);
    if (end)
        *end = (wchar_t *)s + (stop - buf);
    return v;
}

KMH_EXPORT int kmh__wtoi(const wchar_t *s)
{
    return (int)kmh_wcstol(s, NULL, 10);
}

KMH_EXPORT long kmh__wtol(const wchar_t *s)
{
    return kmh_wcstol(s, NULL, 10);
}

KMH_EXPORT long long kmh__wtoi64(const wchar_t *s)
{
    return kmh_wcstoll(s, NULL, 10);
}

/* --- Integers to text ---------------------------------------------------- */

/* Writes v in radix (2..36, lowercase) with a '-' when neg, as chars or
 * wchar_ts; an invalid radix leaves an empty string. */
static void *integer_text(uint64_t v, bool neg, void *buf, int radix, bool wide)
{
    char tmp[66];
    size_t n = 0;

    if (radix >= 2 && radix <= 36) {
        do
            tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % (unsigned)radix];
        while ((v /= (unsigned)radix) != 0);
        if (neg)
            tmp[n++] = '-';
    }
    for (size_t i = 0; i < n; i++) {
        if (wide)
            ((wchar_t *)buf)[i] = (wchar_t)tmp[n - 1 - i];
        else
            ((char *)buf)[i] = tmp[n - 1 - i];
    }
    if (wide)
        ((wchar_t *)buf)[n] = 0;
    else
        ((char *)buf)[n] = 0;
    return buf;
}

/* Only radix 10 prints a sign; other radixes show the two's complement. */
static void *signed_text(int64_t v, uint64_t width_mask, void *buf, int radix, bool wide)
{
    bool neg = radix == 10 && v < 0;
    return integer_text(neg ? 0 - (uint64_t)v : (uint64_t)v & width_mask, neg, buf, radix, wide);
}

KMH_EXPORT char *kmh__itoa(int v, char *buf, int radix) { return signed_text(v, UINT32_MAX, buf, radix, false); }
KMH_EXPORT char *kmh__ltoa(long v, char *buf, int radix) { return signed_text((int32_t)v, UINT32_MAX, buf, radix, false); }
KMH_EXPORT char *kmh__ultoa(unsigned long v, char *buf, int radix) { return integer_text((uint32_t)v, false, buf, radix, false); }
KMH_EXPORT char *kmh__i64toa(long long v, char *buf, int radix) { return signed_text(v, UINT64_MAX, buf, radix, false); }
KMH_EXPORT char *kmh__ui64toa(unsigned long long v, char *buf, int radix) { return integer_text(v, false, buf, radix, false); }
KMH_EXPORT wchar_t *kmh__itow(int v, wchar_t *buf, int radix) { return signed_text(v, UINT32_MAX, buf, radix, true); }
KMH_EXPORT wchar_t *kmh__ltow(long v, wchar_t *buf, int radix) { return signed_text((int32_t)v, UINT32_MAX, buf, radix, true); }
KMH_EXPORT wchar_t *kmh__ultow(unsigned long v, wchar_t *buf, int radix) { return integer_text((uint32_t)v, false, buf, radix, true); }
KMH_EXPORT wchar_t *kmh__i64tow(long long v, wchar_t *buf, int radix) { return signed_text(v, UINT64_MAX, buf, radix, true); }
KMH_EXPORT wchar_t *kmh__ui64tow(unsigned long long v, wchar_t *buf, int radix) { return integer_text(v, false, buf, radix, true); }

/* --- Multibyte (UTF-8) ----------------------------------------------------- */

KMH_EXPORT size_t kmh_mbstowcs(wchar_t *dst, const char *src, size_t n)
{
    size_t i = 0, out = 0;

    while (src[i] && (dst == NULL || out < n)) {
        bool bad = false;
        WCHAR w[2];
        size_t k = nt_utf16_encode(nt_utf8_next(src, (size_t)-1, &i, &bad), w);
        if (bad)
            return (size_t)-1;
        if (dst && k > n - out)
            break;
        if (dst)
            memcpy(dst + out, w, k * sizeof(WCHAR));
        out += k;
    }
    if (dst && out < n)
        dst[out] = 0;
    return out;
}

KMH_EXPORT size_t kmh_wcstombs(char *dst, const wchar_t *src, size_t n)
{
    size_t i = 0, out = 0;

    while (src[i] && (dst == NULL || out < n)) {
        bool bad = false;
        char b[4];
        size_t k = nt_utf8_encode(nt_utf16_next(src, (size_t)-1, &i, &bad), b);
        if (bad)
            return (size_t)-1;
        if (dst && k > n - out)
            break;
        if (dst)
            memcpy(dst + out, b, k);
        out += k;
    }
    if (dst && out < n)
        dst[out] = 0;
    return out;
}

KMH_EXPORT int kmh_mbtowc(wchar_t *dst, const char *src, size_t n)
{
    size_t i = 0;
    bool bad = false;
    uint32_t cp;

    if (src == NULL)
        return 0; /* UTF-8 has no shift state */
    if (n == 0)
        return -1;
    cp = nt_utf8_next(src, n, &i, &bad);
    if (bad || cp > 0xFFFF)
        return -1; /* one wchar_t cannot hold it */
    if (dst)
        *dst = (wchar_t)cp;
    return cp ? (int)i : 0;
}

KMH_EXPORT int kmh_wctomb(char *dst, wchar_t wc)
{
    if (dst == NULL)
        return 0;
    if (wc >= 0xD800 && wc <= 0xDFFF)
        return -1;
    return (int)nt_utf8_encode(wc, dst);
}
