/*
 * sscanf and sscanf_s with Windows types: %d, %u, %x and %ld store 32-bit
 * integers (a LONG), %lld, %I64d and %zd 64-bit ones; glibc's sscanf
 * would write 64 bits through a %ld pointer. sscanf_s takes a buffer size
 * (an unsigned, in characters) after each %s, %c and %[ pointer, and
 * stops with the buffer emptied when the field does not fit.
 * Conversions: d i u o x X p c s [ ] n e f g E G a A and %%, with
 * assignment suppression (*), widths and h hh l ll L I I32 I64 z t j.
 */
#include "internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SZ_L is Windows' l: a 32-bit integer, or a double. */
enum size { SZ_INT, SZ_CHAR, SZ_SHORT, SZ_L, SZ_64, SZ_LDOUBLE };

struct scan {
    const char *in;
    size_t pos;
    int assigned;
    bool secure;
    va_list ap;
};

struct field {
    bool suppress;
    size_t width; /* 0: none */
    enum size size;
    char conv;
};

static void skip_space(struct scan *sc)
{
    while (isspace((unsigned char)sc->in[sc->pos]))
        sc->pos++;
}

static const char *read_field(const char *f, struct field *fl)
{
    *fl = (struct field){ .size = SZ_INT };
    if (*f == '*')
        fl->suppress = true, f++;
    while (isdigit((unsigned char)*f))
        fl->width = fl->width * 10 + (size_t)(*f++ - '0');
    if (f[0] == 'h')
        fl->size = f[1] == 'h' ? (f += 2, SZ_CHAR) : (f++, SZ_SHORT);
    else if (f[0] == 'l')
        fl->size = f[1] == 'l' ? (f += 2, SZ_64) : (f++, SZ_L);
    else if (f[0] == 'L')
        fl->size = SZ_LDOUBLE, f++;
    else if (f[0] == 'I' && f[1] == '6' && f[2] == '4')
        fl->size = SZ_64, f += 3;
    else if (f[0] == 'I' && f[1] == '3' && f[2] == '2')
        f += 3;
    else if (f[0] == 'I' || f[0] == 'z' || f[0] == 't' || f[0] == 'j')
        fl->size = SZ_64, f++;
    fl->conv = *f;
    return *f ? f + 1 : f;
}

/* Copies at most width characters of what could be a number. */
static size_t number_text(struct scan *sc, size_t width, char *buf, size_t cap)
{
    size_t n = 0, limit = width && width < cap - 1 ? width : cap - 1;
    while (n < limit && sc->in[sc->pos + n] && !isspace((unsigned char)sc->in[sc->pos + n]))
        buf[n] = sc->in[sc->pos + n], n++;
    buf[n] = 0;
    return n;
}

static void store_integer(struct scan *sc, const struct field *fl, unsigned long long v)
{
    void *p = va_arg(sc->ap, void *);
    switch (fl->size) {
    case SZ_CHAR: *(unsigned char *)p = (unsigned char)v; break;
    case SZ_SHORT: *(unsigned short *)p = (unsigned short)v; break;
    case SZ_64: *(unsigned long long *)p = v; break;
    default: *(unsigned int *)p = (unsigned int)v; break;
    }
}

static bool scan_number(struct scan *sc, const struct field *fl)
{
    char buf[128], *end;
    int base = fl->conv == 'd' || fl->conv == 'u' ? 10 : fl->conv == 'o' ? 8
        : fl->conv == 'i' ? 0 : 16;
    bool floating = strchr("eEfgGaA", fl->conv) != NULL;

    skip_space(sc);
    number_text(sc, fl->width, buf, sizeof(buf));
    if (floating) {
        long double v = strtold(buf, &end);
        if (end == buf)
            return false;
        if (!fl->suppress) {
            void *p = va_arg(sc->ap, void *);
            if (fl->size == SZ_LDOUBLE)
                *(long double *)p = v;
            else if (fl->size == SZ_L)
                *(double *)p = (double)v;
            else
                *(float *)p = (float)v;
        }
    } else {
        unsigned long long v = strtoull(buf, &end, base);
        if (end == buf)
            return false;
        if (fl->conv == 'p' && !fl->suppress)
            *va_arg(sc->ap, void **) = (void *)(uintptr_t)v;
        else if (!fl->suppress)
            store_integer(sc, fl, v);
    }
    sc->pos += (size_t)(end - buf);
    sc->assigned += !fl->suppress;
    return true;
}

/* Whether c is in the scanset set[0..n) (after any ^). */
static bool in_set(const char *set, size_t n, char c)
{
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n && set[i + 1] == '-') {
            if ((unsigned char)c >= (unsigned char)set[i] && (unsigned char)c <= (unsigned char)set[i + 2])
                return true;
            i += 2;
        } else if (set[i] == c) {
            return true;
        }
    }
    return false;
}

/* %s, %c and %[ : how many input characters the field takes. */
static size_t text_extent(struct scan *sc, const struct field *fl, const char *set, size_t nset, bool negate)
{
    size_t n = 0, width = fl->width ? fl->width : fl->conv == 'c' ? 1 : SIZE_MAX;
    while (n < width && sc->in[sc->pos + n]) {
        char c = sc->in[sc->pos + n];
        if (fl->conv == 's' && isspace((unsigned char)c))
            break;
        if (fl->conv == '[' && in_set(set, nset, c) == negate)
            break;
        n++;
    }
    return fl->conv == 'c' && n < width ? 0 : n;
}

static bool scan_text(struct scan *sc, const struct field *fl, const char **fmt)
{
    const char *set = NULL;
    size_t nset = 0, n;
    bool negate = false;

    if (fl->conv == '[') {
        set = *fmt;
        negate = *set == '^';
        set += negate;
        nset = (*set == ']') + strcspn(set + (*set == ']'), "]");
        *fmt = set[nset] ? set + nset + 1 : set + nset;
    }
    if (fl->conv == 's')
        skip_space(sc);
    n = text_extent(sc, fl, set, nset, negate);
    if (n == 0)
        return false;
    if (!fl->suppress) {
        char *dst = va_arg(sc->ap, char *);
        size_t size = sc->secure ? va_arg(sc->ap, unsigned) : SIZE_MAX;
        size_t need = n + (fl->conv != 'c');
        if (need > size) {
            if (size)
                dst[0] = 0; /* sscanf_s: the field does not fit */
            return false;
        }
        memcpy(dst, sc->in + sc->pos, n);
        if (fl->conv != 'c')
            dst[n] = 0;
        sc->assigned++;
    }
    sc->pos += n;
    return true;
}

static int vscan(const char *in, const char *fmt, va_list ap, bool secure)
{
    struct scan sc = { .in = in, .secure = secure };
    bool converted = false;
    struct field fl;
    int ret;

    va_copy(sc.ap, ap);
    while (*fmt) {
        if (isspace((unsigned char)*fmt)) {
            skip_space(&sc), fmt++;
            continue;
        }
        if (*fmt != '%' || fmt[1] == '%') {
            fmt += *fmt == '%';
            if (in[sc.pos] != *fmt)
                break;
            sc.pos++, fmt++;
            continue;
        }
        fmt = read_field(fmt + 1, &fl);
        if (fl.conv == 'n') {
            if (!fl.suppress)
                *va_arg(sc.ap, int *) = (int)sc.pos;
            continue;
        }
        if (fl.conv != 'c' && fl.conv != '[')
            skip_space(&sc);
        if (in[sc.pos] == 0 && !converted) {
            va_end(sc.ap);
            return EOF;
        }
        if (fl.conv == 0 || !strchr("sc[diouxXpeEfgGaA", fl.conv))
            break;
        if (!(strchr("sc[", fl.conv) ? scan_text(&sc, &fl, &fmt) : scan_number(&sc, &fl)))
            break;
        converted = true;
    }
    ret = sc.assigned;
    va_end(sc.ap);
    return ret;
}

/* sscanf with Windows integer sizes; fields assigned, or EOF. */
KMH_EXPORT int kmh_sscanf(const char *s, const char *fmt, ...)
{
    va_list ap;
    int ret;
    va_start(ap, fmt);
    ret = s && fmt ? vscan(s, fmt, ap, false) : EOF;
    va_end(ap);
    return ret;
}

/* sscanf_s: sizes follow %s, %c and %[ pointers. Fields assigned, or EOF. */
KMH_EXPORT int kmh_sscanf_s(const char *s, const char *fmt, ...)
{
    va_list ap;
    int ret;
    va_start(ap, fmt);
    ret = s && fmt ? vscan(s, fmt, ap, true) : EOF;
    va_end(ap);
    return ret;
}
