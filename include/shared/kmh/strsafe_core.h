/*
 * What ntstrsafe.h and strsafe.h share: the STRSAFE_* flags and typed
 * inline adapters over the one strsafe engine in libkmhost
 * (<kmh/text_api.h>). The adapters turn byte counts into character
 * counts and back, and hand out the end pointer and remaining count only
 * when the engine produced them (success or truncation). Results are
 * NTSTATUS values as int; strsafe.h turns them into HRESULTs.
 */
#ifndef KMH_STRSAFE_CORE_H
#define KMH_STRSAFE_CORE_H

#include <kmh/text_api.h>

#ifndef STRSAFE_IGNORE_NULLS
#define STRSAFE_IGNORE_NULLS 0x00000100
#define STRSAFE_FILL_BEHIND_NULL 0x00000200
#define STRSAFE_FILL_ON_FAILURE 0x00000400
#define STRSAFE_NULL_ON_FAILURE 0x00000800
#define STRSAFE_NO_TRUNCATION 0x00001000
#define STRSAFE_FILL_BEHIND STRSAFE_FILL_BEHIND_NULL
#define STRSAFE_ZERO_LENGTH_ON_FAILURE STRSAFE_NULL_ON_FAILURE
#define STRSAFE_VALID_FLAGS (0x000000FF | STRSAFE_IGNORE_NULLS | STRSAFE_FILL_BEHIND_NULL \
    | STRSAFE_FILL_ON_FAILURE | STRSAFE_NULL_ON_FAILURE | STRSAFE_NO_TRUNCATION)
#define STRSAFE_UNICODE_STRING_VALID_FLAGS STRSAFE_VALID_FLAGS
#define STRSAFE_FILL_BYTE(x) ((unsigned)(((x) & 0x000000FF) | STRSAFE_FILL_BEHIND_NULL))
#define STRSAFE_FAILURE_BYTE(x) ((unsigned)(((x) & 0x000000FF) | STRSAFE_FILL_ON_FAILURE))
#define STRSAFE_GET_FILL_PATTERN(dwFlags) ((int)((dwFlags) & 0x000000FF))
#endif

#ifdef __cplusplus
#define KMH_SS_CAST(type, value) static_cast<type>(value)
#else
#define KMH_SS_CAST(type, value) ((type)(value))
#endif

/* A byte count as characters; too large a count stays too large. */
static inline size_t kmh_ss_cch(size_t cb, size_t unit)
{
    return cb > (size_t)KMH_SS_MAX_CCH * unit ? (size_t)KMH_SS_MAX_CCH + 1 : cb / unit;
}

/* Whether the engine reported an end and a remaining count. */
static inline int kmh_ss_reported(int st)
{
    return st == KMH_SS_SUCCESS || st == KMH_SS_OVERFLOW;
}

/* The adapters hand out the remaining characters times scale plus extra:
 * a Cb function's remaining bytes, its odd byte included. */
static inline int kmh_ss_w(unsigned op, wchar_t *d, size_t cch, const wchar_t *s, size_t max,
    wchar_t **end, size_t *rem, size_t scale, size_t extra, unsigned flags)
{
    void *e = NULL;
    size_t r = 0;
    int st = kmh_strsafe_put(op | 2, d, cch, s, max, &e, &r, flags);
    if (kmh_ss_reported(st) && end)
        *end = KMH_SS_CAST(wchar_t *, e);
    if (kmh_ss_reported(st) && rem)
        *rem = r * scale + extra;
    return st;
}

static inline int kmh_ss_a(unsigned op, char *d, size_t cch, const char *s, size_t max,
    char **end, size_t *rem, size_t scale, size_t extra, unsigned flags)
{
    void *e = NULL;
    size_t r = 0;
    int st = kmh_strsafe_put(op | 1, d, cch, s, max, &e, &r, flags);
    if (kmh_ss_reported(st) && end)
        *end = KMH_SS_CAST(char *, e);
    if (kmh_ss_reported(st) && rem)
        *rem = r * scale + extra;
    return st;
}

static inline int kmh_ss_vw(wchar_t *d, size_t cch, wchar_t **end, size_t *rem, size_t scale,
    size_t extra, unsigned flags, const wchar_t *fmt, va_list ap)
{
    void *e = NULL;
    size_t r = 0;
    int st = kmh_strsafe_vprintf(2, d, cch, &e, &r, flags, fmt, ap);
    if (kmh_ss_reported(st) && end)
        *end = KMH_SS_CAST(wchar_t *, e);
    if (kmh_ss_reported(st) && rem)
        *rem = r * scale + extra;
    return st;
}

static inline int kmh_ss_va(char *d, size_t cch, char **end, size_t *rem, size_t scale,
    size_t extra, unsigned flags, const char *fmt, va_list ap)
{
    void *e = NULL;
    size_t r = 0;
    int st = kmh_strsafe_vprintf(1, d, cch, &e, &r, flags, fmt, ap);
    if (kmh_ss_reported(st) && end)
        *end = KMH_SS_CAST(char *, e);
    if (kmh_ss_reported(st) && rem)
        *rem = r * scale + extra;
    return st;
}

/* Length in characters times scale (a Cb function's bytes). */
static inline int kmh_ss_len(unsigned unit, const void *s, size_t cch_max, size_t *len, size_t scale)
{
    size_t n = 0;
    int st = kmh_strsafe_length(unit, s, cch_max, &n);
    if (len)
        *len = n * scale;
    return st;
}

#endif /* KMH_STRSAFE_CORE_H */
