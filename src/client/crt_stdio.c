/*
 * The stream side of a Windows program's C runtime: printf and wprintf
 * with Windows format rules, wide output, and strsafe's Gets. Wide text
 * leaves the program as UTF-8, the terminal's encoding; a surrogate pair
 * split across two buffer flushes is kept together.
 */
#include "internal.h"
#include "nt/format.h"
#include "nt/text.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_BUFFER 256

struct stream {
    FILE *file;
    bool error;
    bool final; /* last flush: a lone high surrogate is written as U+FFFD */
};

static void write_bytes(struct stream *st, const char *p, size_t n)
{
    if (n && fwrite(p, 1, n, st->file) != n)
        st->error = true;
}

static void flush_narrow(struct nt_sink *s)
{
    write_bytes(s->ctx, s->buf, s->pos);
    s->pos = 0;
}

static void flush_wide(struct nt_sink *s)
{
    struct stream *st = s->ctx;
    const WCHAR *w = s->buf;
    char out[STREAM_BUFFER * 3] = { 0 }; /* (GCC cannot see that only written bytes are read) */
    size_t n = s->pos, i = 0, len = 0;
    bool carry = !st->final && n && w[n - 1] >= 0xD800 && w[n - 1] <= 0xDBFF;

    if (carry)
        n--; /* its low half comes with the next flush */
    while (i < n)
        len += nt_utf8_encode(nt_utf16_next(w, n, &i, NULL), out + len);
    write_bytes(st, out, len);
    if (carry)
        ((WCHAR *)s->buf)[0] = w[n];
    s->pos = carry ? 1 : 0;
}

static int stream_vformat(FILE *file, bool wide, const void *fmt, va_list ap)
{
    union {
        char c[STREAM_BUFFER];
        WCHAR w[STREAM_BUFFER];
    } buf;
    struct stream st = { file, false, false };
    struct nt_sink s = { .buf = &buf, .cap = STREAM_BUFFER, .wide = wide,
        .flush = wide ? flush_wide : flush_narrow, .ctx = &st };
    int err;

    if (file == NULL || fmt == NULL) {
        errno = EINVAL;
        return -1;
    }
    flockfile(file);
    err = nt_vformat(&s, fmt, ap);
    st.final = true;
    s.flush(&s);
    funlockfile(file);
    if (err || st.error)
        return -1;
    return s.total > INT_MAX ? -1 : (int)s.total;
}

/* printf with Windows semantics; the characters written, or -1. */
KMH_EXPORT int kmh_vfprintf(FILE *f, const char *fmt, va_list ap)
{
    return stream_vformat(f, false, fmt, ap);
}

KMH_EXPORT int kmh_vprintf(const char *fmt, va_list ap)
{
    return stream_vformat(stdout, false, fmt, ap);
}

/* wprintf: wide characters formatted (not bytes written), or -1. */
KMH_EXPORT int kmh_vfwprintf(FILE *f, const wchar_t *fmt, va_list ap)
{
    return stream_vformat(f, true, fmt, ap);
}

KMH_EXPORT int kmh_vwprintf(const wchar_t *fmt, va_list ap)
{
    return stream_vformat(stdout, true, fmt, ap);
}

#define STREAM_VARIADIC(call, last) \
    do {                            \
        va_list ap;                 \
        int ret;                    \
        va_start(ap, last);         \
        ret = call;                 \
        va_end(ap);                 \
        return ret;                 \
    } while (0)

KMH_EXPORT int kmh_printf(const char *fmt, ...) { STREAM_VARIADIC(kmh_vprintf(fmt, ap), fmt); }
KMH_EXPORT int kmh_fprintf(FILE *f, const char *fmt, ...) { STREAM_VARIADIC(kmh_vfprintf(f, fmt, ap), fmt); }
KMH_EXPORT int kmh_wprintf(const wchar_t *fmt, ...) { STREAM_VARIADIC(kmh_vwprintf(fmt, ap), fmt); }
KMH_EXPORT int kmh_fwprintf(FILE *f, const wchar_t *fmt, ...) { STREAM_VARIADIC(kmh_vfwprintf(f, fmt, ap), fmt); }

/* Writes a wide string as UTF-8. 0, or -1 (WEOF) on error. */
KMH_EXPORT int kmh_fputws(const wchar_t *s, FILE *f)
{
    char out[4];
    size_t i = 0;
    int ret = 0;

    flockfile(f);
    while (s[i] && ret == 0) {
        size_t n = nt_utf8_encode(nt_utf16_next(s, (size_t)-1, &i, NULL), out);
        if (fwrite(out, 1, n, f) != n)
            ret = -1;
    }
    funlockfile(f);
    return ret;
}

/* One wide character (a lone surrogate becomes U+FFFD); c, or WEOF. */
KMH_EXPORT unsigned int kmh_fputwc(wchar_t c, FILE *f)
{
    char out[4];
    size_t n = nt_utf8_encode(c, out);
    return fwrite(out, 1, n, f) == n ? c : 0xFFFFFFFFu;
}

KMH_EXPORT unsigned int kmh_putwchar(wchar_t c)
{
    return kmh_fputwc(c, stdout);
}

/* The wide puts: the string and a newline. 0, or WEOF. */
KMH_EXPORT int kmh__putws(const wchar_t *s)
{
    return kmh_fputws(s, stdout) == 0 && putchar('\n') != EOF ? 0 : -1;
}

/* --- strsafe's Gets -------------------------------------------------------- */

/* Reads one character of stdin as units of the given size into out;
 * returns how many (0 at the end of the input). */
static size_t read_char(size_t unit, WCHAR out[2])
{
    char bytes[4];
    size_t n = 0, i = 0;
    int c = getchar();

    if (c == EOF)
        return 0;
    if (unit == 1) {
        out[0] = (WCHAR)(unsigned char)c;
        return 1;
    }
    bytes[n++] = (char)c;
    /* Continuation bytes complete the character. */
    while (n < 4 && (c = getchar()) != EOF) {
        if ((c & 0xC0) != 0x80) {
            ungetc(c, stdin);
            break;
        }
        bytes[n++] = (char)c;
    }
    return nt_utf16_encode(nt_utf8_next(bytes, n, &i, NULL), out);
}

/* Appends units to a growing buffer; false when out of memory. */
static bool line_append(void **line, size_t *len, size_t *cap, size_t unit, const WCHAR *u, size_t n)
{
    if (*len + n > *cap) {
        size_t new_cap = *cap ? *cap * 2 : 64;
        void *p = realloc(*line, new_cap * unit);
        if (p == NULL)
            return false;
        *line = p;
        *cap = new_cap;
    }
    for (size_t k = 0; k < n; k++, (*len)++) {
        if (unit == 1)
            ((char *)*line)[*len] = (char)u[k];
        else
            ((WCHAR *)*line)[*len] = u[k];
    }
    return true;
}

/* StringCchGets: one line of stdin, without its newline, into dest.
 * Results as kmh_strsafe_put, plus STATUS_END_OF_FILE when nothing was
 * left to read. A line longer than dest is cut; the rest stays in stdin. */
KMH_EXPORT int kmh_strsafe_gets(unsigned mode, void *dest, size_t cch_dest, void **end,
    size_t *remaining, unsigned flags)
{
    size_t unit = mode & KMH_SS_UNIT_MASK, len = 0, cap = 0;
    const WCHAR more = 'x'; /* stands for what did not fit */
    void *line = NULL;
    bool eof = false, cut = false;
    int status;

    while (cch_dest > 1) {
        WCHAR u[2];
        size_t n;
        if (len + 1 >= cch_dest) {
            /* Full: only a newline or the end may follow. */
            int c = getchar();
            if (c != '\n' && c != EOF) {
                ungetc(c, stdin);
                cut = true;
            }
            break;
        }
        n = read_char(unit, u);
        if (n == 0 || u[0] == '\n') {
            eof = n == 0 && len == 0;
            break;
        }
        if (len + n + 1 > cch_dest || !line_append(&line, &len, &cap, unit, u, n)) {
            cut = true;
            break;
        }
    }
    if (cut || cch_dest <= 1)
        line_append(&line, &len, &cap, unit, &more, 1);
    status = kmh_strsafe_put(unit | KMH_SS_COUNTED, dest, cch_dest, line, len, end, remaining, flags);
    free(line);
    return eof && status == KMH_SS_SUCCESS ? KMH_SS_END_OF_FILE : status;
}
