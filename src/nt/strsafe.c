/*
 * The strsafe engine for NUL-terminated strings: copy, concatenate, format
 * and measure into counted buffers, for both character widths. ntstrsafe.h
 * (RtlStringCch*, NTSTATUS) and strsafe.h (StringCch*, HRESULT) are thin
 * inline wrappers over these functions, so there is one set of rules:
 *
 *   - The destination is validated first (size 1..NTSTRSAFE_MAX_CCH, or
 *     NULL with size 0 under STRSAFE_IGNORE_NULLS); a bad one is
 *     STATUS_INVALID_PARAMETER and is never written.
 *   - What does not fit is cut, the result is always terminated, and the
 *     status is STATUS_BUFFER_OVERFLOW.
 *   - On any failure the flags decide what the buffer holds: filled with
 *     the fill byte (STRSAFE_FILL_ON_FAILURE), empty (NULL_ON_FAILURE), or
 *     for a truncation under STRSAFE_NO_TRUNCATION, the string it had
 *     before (concatenation) or an empty one (copy and format).
 *   - The end pointer and remaining count are reported on success and on
 *     truncation only.
 */
#include "internal.h"
#include "format.h"
#include "text.h"

#include <string.h>

/* The STRSAFE_* flag values, as both headers define them. */
#define SS_FILL_MASK 0x000000FFu
#define SS_IGNORE_NULLS 0x00000100u
#define SS_FILL_BEHIND_NULL 0x00000200u
#define SS_FILL_ON_FAILURE 0x00000400u
#define SS_NULL_ON_FAILURE 0x00000800u
#define SS_NO_TRUNCATION 0x00001000u
#define SS_VALID_FLAGS 0x00001FFFu

/* The state of one operation on a destination buffer. */
struct dest {
    char *p;      /* the buffer, as bytes */
    size_t cch;   /* its size in characters */
    size_t unit;  /* 1 or 2 */
    size_t start; /* where the new text goes (after the old string for cat) */
    size_t len;   /* characters in the buffer's string when done */
};

static unsigned get(const void *p, size_t unit, size_t i)
{
    return unit == 1 ? (unsigned char)((const char *)p)[i] : ((const WCHAR *)p)[i];
}

static void set(void *p, size_t unit, size_t i, unsigned v)
{
    if (unit == 1)
        ((char *)p)[i] = (char)v;
    else
        ((WCHAR *)p)[i] = (WCHAR)v;
}

static size_t length(const void *p, size_t unit, size_t max)
{
    size_t n = 0;
    while (n < max && get(p, unit, n))
        n++;
    return n;
}

static NTSTATUS validate_dest(const void *p, size_t cch, unsigned flags)
{
    if (flags & ~SS_VALID_FLAGS)
        return STATUS_INVALID_PARAMETER;
    if (flags & SS_IGNORE_NULLS)
        return (p == NULL && cch != 0) || cch > KMH_SS_MAX_CCH ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
    return p == NULL || cch == 0 || cch > KMH_SS_MAX_CCH ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

/* A zero-sized destination (allowed only with STRSAFE_IGNORE_NULLS) holds
 * nothing: new text is an invalid parameter for a NULL one, an overflow
 * for a real one. */
static NTSTATUS no_room(const struct dest *d)
{
    return d->p == NULL ? STATUS_INVALID_PARAMETER : STATUS_BUFFER_OVERFLOW;
}

/* Applies the flags to the buffer after the operation ended in status. */
static void finish(struct dest *d, NTSTATUS status, unsigned flags, bool cat)
{
    unsigned fill = flags & SS_FILL_MASK;

    if (d->p == NULL || d->cch == 0)
        return;
    if (status == STATUS_SUCCESS) {
        if ((flags & SS_FILL_BEHIND_NULL) && d->len + 1 < d->cch)
            memset(d->p + (d->len + 1) * d->unit, (int)fill, (d->cch - d->len - 1) * d->unit);
        return;
    }
    if (flags & SS_FILL_ON_FAILURE) {
        memset(d->p, (int)fill, d->cch * d->unit);
        d->len = fill ? d->cch - 1 : 0;
        set(d->p, d->unit, d->len, 0);
    }
    if ((flags & SS_NO_TRUNCATION) && status == STATUS_BUFFER_OVERFLOW) {
        d->len = cat ? d->start : 0;
        set(d->p, d->unit, d->len, 0);
    }
    if (flags & SS_NULL_ON_FAILURE) {
        d->len = 0;
        set(d->p, d->unit, 0, 0);
    }
}

static NTSTATUS report(const struct dest *d, NTSTATUS status, void **end, size_t *remaining)
{
    if (status == STATUS_SUCCESS || status == STATUS_BUFFER_OVERFLOW) {
        if (end)
            *end = d->p ? d->p + d->len * d->unit : NULL;
        if (remaining)
            *remaining = d->cch - d->len;
    }
    return status;
}

static NTSTATUS put_text(struct dest *d, const void *src, size_t src_max, bool counted)
{
    size_t room = d->cch - d->start - 1, n = 0;

    if (d->cch == 0)
        return (counted ? src_max : length(src, d->unit, 1)) ? no_room(d) : STATUS_SUCCESS;
    while (n < src_max && (counted || get(src, d->unit, n)) && n < room)
        n++;
    if (n)
        memcpy(d->p + d->start * d->unit, src, n * d->unit);
    d->len = d->start + n;
    set(d->p, d->unit, d->len, 0);
    if (n < src_max && (counted || get(src, d->unit, n)))
        return STATUS_BUFFER_OVERFLOW;
    return STATUS_SUCCESS;
}

/* Copies (or with KMH_SS_CAT appends) src, at most src_max characters of
 * it (KMH_SS_COUNTED: exactly that many, NULs included). Results: see the
 * top of this file. */
KMH_EXPORT int kmh_strsafe_put(unsigned mode, void *dest, size_t cch_dest, const void *src,
    size_t src_max, void **end, size_t *remaining, unsigned flags)
{
    struct dest d = { dest, cch_dest, mode & KMH_SS_UNIT_MASK, 0, 0 };
    bool cat = mode & KMH_SS_CAT, counted = mode & KMH_SS_COUNTED;
    static const WCHAR empty = 0;
    NTSTATUS status = validate_dest(dest, cch_dest, flags);

    if (status != STATUS_SUCCESS)
        return status;
    if (dest && cat) {
        d.start = d.len = length(dest, d.unit, cch_dest);
        if (d.start == cch_dest && cch_dest)
            status = STATUS_INVALID_PARAMETER; /* no terminator: already full */
    }
    if (status == STATUS_SUCCESS && (mode & KMH_SS_N) && src_max > KMH_SS_MAX_CCH)
        status = STATUS_INVALID_PARAMETER;
    if (status == STATUS_SUCCESS && src == NULL && !(counted && src_max == 0)) {
        if (flags & SS_IGNORE_NULLS)
            src = &empty, counted = false;
        else
            status = STATUS_INVALID_PARAMETER;
    }
    if (status == STATUS_SUCCESS)
        status = put_text(&d, src, src_max, counted);
    finish(&d, status, flags, cat);
    return report(&d, status, end, remaining);
}

/* Formats into the buffer (Microsoft printf semantics). Results as for
 * kmh_strsafe_put; a refused format (%n) is STATUS_INVALID_PARAMETER. */
KMH_EXPORT int kmh_strsafe_vprintf(unsigned mode, void *dest, size_t cch_dest, void **end,
    size_t *remaining, unsigned flags, const void *format, va_list ap)
{
    size_t unit = mode & KMH_SS_UNIT_MASK;
    struct dest d = { dest, cch_dest, unit, 0, 0 };
    static const WCHAR empty = 0;
    NTSTATUS status = validate_dest(dest, cch_dest, flags);

    if (status != STATUS_SUCCESS)
        return status;
    if (format == NULL) {
        if (!(flags & SS_IGNORE_NULLS))
            status = STATUS_INVALID_PARAMETER;
        format = &empty;
    }
    if (status == STATUS_SUCCESS && cch_dest == 0) {
        status = get(format, unit, 0) ? no_room(&d) : STATUS_SUCCESS;
    } else if (status == STATUS_SUCCESS) {
        struct nt_sink s = { .buf = dest, .cap = cch_dest - 1, .wide = unit == 2 };
        int err = nt_vformat(&s, format, ap);
        d.len = s.pos;
        set(dest, unit, d.len, 0);
        status = err ? STATUS_INVALID_PARAMETER
            : s.total > s.pos ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    }
    finish(&d, status, flags, false);
    return report(&d, status, end, remaining);
}

/* Length of s, which must be terminated within cch_max characters.
 * STATUS_SUCCESS, or STATUS_INVALID_PARAMETER (NULL, cch_max too large,
 * no terminator) with *length (if given) set to 0. */
KMH_EXPORT int kmh_strsafe_length(unsigned mode, const void *s, size_t cch_max, size_t *len)
{
    size_t n = 0;
    NTSTATUS status = STATUS_INVALID_PARAMETER;

    if (s && cch_max <= KMH_SS_MAX_CCH) {
        n = length(s, mode & KMH_SS_UNIT_MASK, cch_max);
        if (n < cch_max)
            status = STATUS_SUCCESS;
        else
            n = 0;
    }
    if (len)
        *len = n;
    return status;
}
