/*
 * The printf engine with Windows semantics (see format.h for the rules).
 * One pass over the format, one conversion at a time, into a sink that
 * stores what fits and counts the rest. Strings are measured before they
 * are written (for the field width) by the same walk that writes them, so
 * the two always agree. Floating point is delegated to the C library with
 * a rebuilt spec; everything else is done here.
 *
 * Robustness: the format is read one unit at a time and never past its
 * NUL; strings are read only up to their NUL, their counted length or the
 * precision, whichever comes first; huge widths are counted in bulk, not
 * written unit by unit.
 */
#include "internal.h"
#include "format.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_W, LEN_BIGL, LEN_I32, LEN_I64 };

struct spec {
    unsigned flags;
    int width;
    int prec; /* -1: none */
    enum length len;
    unsigned conv;
};

/* A string argument: n units at p (SIZE_MAX: up to the NUL). */
struct text {
    const void *p;
    size_t n;
    bool wide;
};

/* --- Sink ---------------------------------------------------------------- */

static void sink_put(struct nt_sink *s, unsigned unit)
{
    if (s->pos == s->cap && s->flush && s->cap)
        s->flush(s);
    if (s->pos < s->cap) {
        if (s->wide)
            ((WCHAR *)s->buf)[s->pos] = (WCHAR)unit;
        else
            ((char *)s->buf)[s->pos] = (char)unit;
        s->pos++;
    }
    s->total++;
}

static void sink_repeat(struct nt_sink *s, unsigned unit, size_t n)
{
    /* Without a stream behind it, what does not fit is only counted. */
    while (n && (s->pos < s->cap || (s->flush && s->cap))) {
        sink_put(s, unit);
        n--;
    }
    s->total += n;
}

static void sink_ascii(struct nt_sink *s, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sink_put(s, (unsigned char)p[i]);
}

/* --- Reading the format ---------------------------------------------------- */

struct reader {
    const void *p;
    bool wide;
    size_t i;
};

static unsigned peek(const struct reader *r)
{
    return r->wide ? ((const WCHAR *)r->p)[r->i] : (unsigned char)((const char *)r->p)[r->i];
}

/* The unit after the current one; only called when the current one is not
 * the NUL, so it is still inside the format. */
static unsigned peek_second(const struct reader *r)
{
    struct reader ahead = { r->p, r->wide, r->i + 1 };
    return peek(&ahead);
}

static unsigned next(struct reader *r)
{
    unsigned c = peek(r);
    if (c)
        r->i++;
    return c;
}

static int read_number(struct reader *r)
{
    int v = 0;
    while (peek(r) >= '0' && peek(r) <= '9') {
        int d = (int)next(r) - '0';
        v = v > (INT_MAX - d) / 10 ? INT_MAX : v * 10 + d;
    }
    return v;
}

static void read_width(struct reader *r, struct spec *sp, va_list *ap)
{
    if (peek(r) == '*') {
        next(r);
        int w = va_arg(*ap, int);
        if (w < 0) {
            sp->flags |= F_LEFT;
            w = w == INT_MIN ? INT_MAX : -w;
        }
        sp->width = w;
    } else {
        sp->width = read_number(r);
    }
}

static void read_precision(struct reader *r, struct spec *sp, va_list *ap)
{
    if (peek(r) != '.')
        return;
    next(r);
    if (peek(r) == '*') {
        next(r);
        int p = va_arg(*ap, int);
        sp->prec = p < 0 ? -1 : p;
    } else {
        sp->prec = read_number(r);
    }
}

static enum length read_length(struct reader *r)
{
    switch (peek(r)) {
    case 'h':
        next(r);
        return peek(r) == 'h' ? (next(r), LEN_HH) : LEN_H;
    case 'l':
        next(r);
        return peek(r) == 'l' ? (next(r), LEN_LL) : LEN_L;
    case 'w': return next(r), LEN_W;
    case 'L': return next(r), LEN_BIGL;
    case 'z': case 't': case 'j': return next(r), LEN_I64;
    case 'I':
        next(r);
        if (peek(r) == '6' && peek_second(r) == '4')
            return next(r), next(r), LEN_I64;
        if (peek(r) == '3' && peek_second(r) == '2')
            return next(r), next(r), LEN_I32;
        return LEN_I64; /* plain I: pointer-sized */
    default: return LEN_NONE;
    }
}

/* Parses what follows a '%'; false at the end of the format. */
static bool read_spec(struct reader *r, struct spec *sp, va_list *ap)
{
    static const char flag_chars[] = "-+ #0";
    const char *f;

    *sp = (struct spec){ .prec = -1 };
    while (peek(r) && peek(r) < 0x80 && (f = strchr(flag_chars, (int)peek(r))) != NULL) {
        sp->flags |= 1u << (f - flag_chars);
        next(r);
    }
    read_width(r, sp, ap);
    read_precision(r, sp, ap);
    sp->len = read_length(r);
    sp->conv = next(r);
    return sp->conv != 0;
}

/* --- Fields ------------------------------------------------------------------ */

/* Writes prefix, zeros and body (ASCII) padded to the width. */
static void emit_field(struct nt_sink *s, const struct spec *sp, bool zero_pad_ok,
    const char *prefix, size_t zeros, const char *body, size_t nbody)
{
    size_t nprefix = strlen(prefix);
    size_t len = nprefix + zeros + nbody;
    size_t pad = (size_t)sp->width > len ? (size_t)sp->width - len : 0;

    if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && zero_pad_ok) {
        zeros += pad;
        pad = 0;
    }
    if (!(sp->flags & F_LEFT))
        sink_repeat(s, ' ', pad);
    sink_ascii(s, prefix, nprefix);
    sink_repeat(s, '0', zeros);
    sink_ascii(s, body, nbody);
    if (sp->flags & F_LEFT)
        sink_repeat(s, ' ', pad);
}

static uint64_t arg_unsigned(enum length len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LL: case LEN_I64: case LEN_BIGL: return va_arg(*ap, unsigned long long);
    default: return va_arg(*ap, unsigned int); /* l and I32 are 32-bit */
    }
}

static int64_t arg_signed(enum length len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_LL: case LEN_I64: case LEN_BIGL: return va_arg(*ap, long long);
    default: return va_arg(*ap, int);
    }
}

static void fmt_integer(struct nt_sink *s, const struct spec *sp, uint64_t v, bool neg)
{
    const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = sp->conv == 'o' ? 8 : (sp->conv == 'x' || sp->conv == 'X') ? 16 : 10;
    char body[24];
    size_t n = 0, zeros;
    const char *prefix = "";

    for (uint64_t x = v; x; x /= base)
        body[sizeof(body) - 1 - n++] = digits[x % base];
    if (sp->prec < 0 && v == 0)
        body[sizeof(body) - 1 - n++] = '0';
    zeros = sp->prec > (int)n ? (size_t)sp->prec - n : 0;
    if (sp->conv == 'o' && (sp->flags & F_ALT) && zeros == 0 && (n == 0 || v != 0))
        zeros = 1;
    if (sp->conv == 'd' || sp->conv == 'i')
        prefix = neg ? "-" : (sp->flags & F_PLUS) ? "+" : (sp->flags & F_SPACE) ? " " : "";
    else if (base == 16 && (sp->flags & F_ALT) && v != 0)
        prefix = sp->conv == 'X' ? "0X" : "0x";
    emit_field(s, sp, sp->prec < 0, prefix, zeros, body + sizeof(body) - n, n);
}

static void fmt_number(struct nt_sink *s, const struct spec *sp, va_list *ap)
{
    if (sp->conv == 'd' || sp->conv == 'i') {
        int64_t x = arg_signed(sp->len, ap);
        fmt_integer(s, sp, x < 0 ? -(uint64_t)x : (uint64_t)x, x < 0);
    } else {
        fmt_integer(s, sp, arg_unsigned(sp->len, ap), false);
    }
}

static void fmt_pointer(struct nt_sink *s, const struct spec *sp, va_list *ap)
{
    struct spec p = { .flags = sp->flags & F_LEFT, .width = sp->width, .prec = 16, .conv = 'X' };
    fmt_integer(s, &p, (uintptr_t)va_arg(*ap, void *), false);
}

/* The C library spec for a float conversion: flags and precision, no
 * width (padding is done here, so it can be counted in bulk). */
static void float_spec(char spec[32], const struct spec *sp, int prec)
{
    char *p = spec;

    *p++ = '%';
    if (sp->flags & F_PLUS)
        *p++ = '+';
    if (sp->flags & F_SPACE)
        *p++ = ' ';
    if (sp->flags & F_ALT)
        *p++ = '#';
    if (prec >= 0)
        p += sprintf(p, ".%d", prec);
    if (sp->len == LEN_BIGL)
        *p++ = 'L';
    *p++ = (char)sp->conv;
    *p = 0;
}

static void fmt_float(struct nt_sink *s, const struct spec *sp, va_list *ap)
{
    char spec[32], body[1024];
    size_t prefix = 0;
    bool finite;
    int n;

    int prec = sp->prec > 512 ? 512 : sp->prec;

    /* A precision of at most 512 keeps every result (up to 309 integer
     * digits) inside body. %a without one shows all 13 hex digits of a
     * double's fraction, as Microsoft's CRT does (glibc trims zeros). */
    if (prec < 0 && (sp->conv == 'a' || sp->conv == 'A'))
        prec = 13;
    float_spec(spec, sp, prec);
    if (sp->len == LEN_BIGL) {
        long double v = va_arg(*ap, long double);
        finite = isfinite(v);
        n = snprintf(body, sizeof(body), spec, v);
    } else {
        double v = va_arg(*ap, double);
        finite = isfinite(v);
        n = snprintf(body, sizeof(body), spec, v);
    }
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(body))
        n = sizeof(body) - 1;
    /* Zero padding goes after the sign and any 0x, as the C library would
     * have put it had it been given the width. */
    if (body[0] == '-' || body[0] == '+' || body[0] == ' ')
        prefix = 1;
    if ((sp->conv == 'a' || sp->conv == 'A') && n > (int)prefix + 1 && body[prefix] == '0')
        prefix += 2;
    char sign[4] = { 0 };
    memcpy(sign, body, prefix);
    emit_field(s, sp, finite, sign, 0, body + prefix, (size_t)n - prefix);
}

/* --- Characters and strings --------------------------------------------------- */

static unsigned text_unit(const struct text *t, size_t i)
{
    return t->wide ? ((const WCHAR *)t->p)[i] : (unsigned char)((const char *)t->p)[i];
}

/* Converts the code point at t[*i] to the output width; returns units. */
static size_t transcode(const struct text *t, size_t *i, bool out_wide, unsigned out[4])
{
    uint32_t cp = t->wide ? nt_utf16_next(t->p, t->n, i, NULL) : nt_utf8_next(t->p, t->n, i, NULL);
    size_t k;

    if (out_wide) {
        WCHAR w[2];
        k = nt_utf16_encode(cp, w);
        for (size_t j = 0; j < k; j++)
            out[j] = w[j];
    } else {
        char b[4];
        k = nt_utf8_encode(cp, b);
        for (size_t j = 0; j < k; j++)
            out[j] = (unsigned char)b[j];
    }
    return k;
}

/* Walks t in output units, stopping at its end, its NUL or at limit units;
 * writes to s unless s is NULL. Returns the units walked. */
static size_t text_walk(const struct text *t, bool out_wide, size_t limit, struct nt_sink *s)
{
    size_t i = 0, units = 0;

    while (units < limit && i < t->n && text_unit(t, i) != 0) {
        unsigned out[4];
        size_t k;
        if (t->wide == out_wide) {
            out[0] = text_unit(t, i++);
            k = 1;
        } else {
            k = transcode(t, &i, out_wide, out);
            if (k > limit - units)
                break; /* a character that does not fit whole is left out */
        }
        for (size_t j = 0; s && j < k; j++)
            sink_put(s, out[j]);
        units += k;
    }
    return units;
}

static void fmt_text(struct nt_sink *s, const struct spec *sp, struct text t)
{
    static const char null_text[] = "(null)";
    size_t limit = sp->prec >= 0 ? (size_t)sp->prec : SIZE_MAX;
    size_t len, pad;

    if (t.p == NULL)
        t = (struct text){ null_text, sizeof(null_text) - 1, false };
    len = text_walk(&t, s->wide, limit, NULL);
    pad = (size_t)sp->width > len ? (size_t)sp->width - len : 0;
    /* Microsoft's CRT honours '0' for strings and characters too. */
    if (!(sp->flags & F_LEFT))
        sink_repeat(s, (sp->flags & F_ZERO) ? '0' : ' ', pad);
    text_walk(&t, s->wide, limit, s);
    if (sp->flags & F_LEFT)
        sink_repeat(s, ' ', pad);
}

/* Whether a c, s or Z argument is wide: h says narrow, l and w wide, and
 * otherwise it has the output's width (C and S the other one). */
static bool arg_is_wide(const struct spec *sp, bool out_wide)
{
    if (sp->len == LEN_H)
        return false;
    if (sp->len == LEN_L || sp->len == LEN_W)
        return true;
    return (sp->conv == 'C' || sp->conv == 'S') ? !out_wide : out_wide;
}

static void fmt_char(struct nt_sink *s, const struct spec *sp, va_list *ap)
{
    bool wide = arg_is_wide(sp, s->wide);
    unsigned c = va_arg(*ap, unsigned int);
    WCHAR w = (WCHAR)c;
    char b = (char)c;
    struct text t = { wide ? (const void *)&w : (const void *)&b, 1, wide };
    struct spec one = *sp;

    one.prec = -1;
    if ((wide ? w : (WCHAR)(unsigned char)b) == 0) {
        /* A NUL character is output as one unit, unlike a string's NUL. */
        size_t pad = sp->width > 1 ? (size_t)sp->width - 1 : 0;
        if (!(sp->flags & F_LEFT))
            sink_repeat(s, (sp->flags & F_ZERO) ? '0' : ' ', pad);
        sink_put(s, 0);
        if (sp->flags & F_LEFT)
            sink_repeat(s, ' ', pad);
        return;
    }
    fmt_text(s, &one, t);
}

static void fmt_string(struct nt_sink *s, const struct spec *sp, va_list *ap)
{
    const void *p = va_arg(*ap, const void *);
    fmt_text(s, sp, (struct text){ p, SIZE_MAX, arg_is_wide(sp, s->wide) });
}

/* %Z and %wZ: a counted ANSI_STRING or UNICODE_STRING (same layout). */
static void fmt_counted(struct nt_sink *s, const struct spec *sp, va_list *ap)
{
    const STRING *str = va_arg(*ap, const STRING *);
    bool wide = arg_is_wide(sp, s->wide);
    struct text t = { NULL, 0, wide };

    if (str && str->Buffer) {
        t.p = str->Buffer;
        t.n = wide ? str->Length / sizeof(WCHAR) : str->Length;
    }
    fmt_text(s, sp, t);
}

static int convert(struct nt_sink *s, const struct spec *sp, va_list *ap)
{
    switch (sp->conv) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
        fmt_number(s, sp, ap);
        break;
    case 'p': fmt_pointer(s, sp, ap); break;
    case 'c': case 'C': fmt_char(s, sp, ap); break;
    case 's': case 'S': fmt_string(s, sp, ap); break;
    case 'Z': fmt_counted(s, sp, ap); break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        fmt_float(s, sp, ap);
        break;
    case 'n':
        /* The secure CRT refuses %n: it writes through a pointer that a
         * format string can be tricked into supplying. */
        return -EINVAL;
    default:
        /* %% and unknown conversions print the character, as msvcrt did. */
        sink_put(s, sp->conv);
        break;
    }
    return 0;
}

int nt_vformat(struct nt_sink *s, const void *format, va_list ap)
{
    struct reader r = { format, s->wide, 0 };
    struct spec sp;
    va_list args;
    unsigned c;
    int ret = 0;

    va_copy(args, ap);
    while ((c = next(&r)) != 0) {
        if (c != '%') {
            sink_put(s, c);
            continue;
        }
        if (!read_spec(&r, &sp, &args))
            break;
        ret = convert(s, &sp, &args);
        if (ret < 0)
            break;
    }
    va_end(args);
    return ret;
}

long nt_vformat_buffer(bool wide, void *buf, size_t cap, const void *format, va_list ap,
    bool *truncated)
{
    struct nt_sink s = { .buf = buf, .cap = cap ? cap - 1 : 0, .wide = wide };
    int err = nt_vformat(&s, format, ap);

    if (cap) {
        if (wide)
            ((WCHAR *)buf)[s.pos] = 0;
        else
            ((char *)buf)[s.pos] = 0;
    }
    if (truncated)
        *truncated = s.total > s.pos;
    if (err)
        return -1;
    return s.total > LONG_MAX ? LONG_MAX : (long)s.total;
}
