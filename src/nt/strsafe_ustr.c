/*
 * The strsafe engine for UNICODE_STRING destinations (RtlUnicodeString*).
 * Unlike the NUL-terminated forms these write no terminator: the text
 * fills up to MaximumLength and Length says how much there is. A
 * destination must be a valid UNICODE_STRING (even lengths, Length <=
 * MaximumLength <= NTSTRSAFE_UNICODE_STRING_MAX_CCH * 2, a Buffer unless
 * both are 0). Flags on failure: STRSAFE_FILL_ON_FAILURE fills the whole
 * buffer (Length becomes MaximumLength, or 0 for a zero fill byte),
 * STRSAFE_ZERO_LENGTH_ON_FAILURE empties it, STRSAFE_NO_TRUNCATION leaves
 * it untouched on overflow; STRSAFE_FILL_BEHIND fills past the text on
 * success.
 */
#include "internal.h"
#include "format.h"
#include "text.h"

#include <string.h>

#define SS_FILL_MASK 0x000000FFu
#define SS_IGNORE_NULLS 0x00000100u
#define SS_FILL_BEHIND 0x00000200u
#define SS_FILL_ON_FAILURE 0x00000400u
#define SS_ZERO_LENGTH_ON_FAILURE 0x00000800u
#define SS_NO_TRUNCATION 0x00001000u
#define SS_VALID_FLAGS 0x00001FFFu
#define USTR_MAX_BYTES (KMH_SS_USTR_MAX_CCH * sizeof(WCHAR))

static bool ustr_is_valid(const UNICODE_STRING *s)
{
    return !(s->Length & 1) && !(s->MaximumLength & 1) && s->Length <= s->MaximumLength
        && s->MaximumLength <= USTR_MAX_BYTES && (s->Buffer || s->MaximumLength == 0);
}

/* Checks a UNICODE_STRING (NULL is fine under STRSAFE_IGNORE_NULLS).
 * STATUS_SUCCESS or STATUS_INVALID_PARAMETER. */
KMH_EXPORT int kmh_ustr_validate(const struct _UNICODE_STRING *s, unsigned flags)
{
    if (flags & ~SS_IGNORE_NULLS)
        return STATUS_INVALID_PARAMETER;
    if (s == NULL)
        return (flags & SS_IGNORE_NULLS) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    return ustr_is_valid(s) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

/* Points dest at src (NULL: an empty string). STATUS_SUCCESS, or
 * STATUS_INVALID_PARAMETER (src of 32767 characters or more, dest NULL
 * with a src, bad flags), which leaves dest empty. */
KMH_EXPORT int kmh_ustr_init(struct _UNICODE_STRING *dest, const wchar_t *src, unsigned flags)
{
    size_t n = src ? kmh_wcsnlen(src, KMH_SS_USTR_MAX_CCH) : 0;
    bool ok = !(flags & ~SS_IGNORE_NULLS) && n < KMH_SS_USTR_MAX_CCH
        && (dest || ((flags & SS_IGNORE_NULLS) && src == NULL));

    if (dest == NULL)
        return ok ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    if (!ok || src == NULL) {
        memset(dest, 0, sizeof(*dest));
        return ok ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    }
    dest->Buffer = (PWCH)src;
    dest->Length = (USHORT)(n * sizeof(WCHAR));
    dest->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

static NTSTATUS check_dest(const UNICODE_STRING *dest, unsigned flags)
{
    if (flags & ~SS_VALID_FLAGS)
        return STATUS_INVALID_PARAMETER;
    if (dest == NULL)
        return (flags & SS_IGNORE_NULLS) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    return ustr_is_valid(dest) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

/* Applies the flags after an operation that ended in status; old_length
 * is dest's Length before it. Then fills in remaining. */
static NTSTATUS finish(UNICODE_STRING *dest, USHORT old_length, NTSTATUS status, unsigned flags,
    UNICODE_STRING *remaining)
{
    unsigned fill = flags & SS_FILL_MASK;

    if (dest && dest->Buffer && status == STATUS_SUCCESS && (flags & SS_FILL_BEHIND))
        memset((char *)dest->Buffer + dest->Length, (int)fill, dest->MaximumLength - dest->Length);
    if (dest && dest->Buffer && status != STATUS_SUCCESS) {
        if ((flags & SS_NO_TRUNCATION) && status == STATUS_BUFFER_OVERFLOW)
            dest->Length = old_length;
        if (flags & SS_FILL_ON_FAILURE) {
            memset(dest->Buffer, (int)fill, dest->MaximumLength);
            dest->Length = fill ? dest->MaximumLength : 0;
        }
        if (flags & SS_ZERO_LENGTH_ON_FAILURE)
            dest->Length = 0;
    }
    if (remaining && (status == STATUS_SUCCESS || status == STATUS_BUFFER_OVERFLOW)) {
        remaining->Length = 0;
        remaining->Buffer = dest && dest->Buffer ? dest->Buffer + dest->Length / sizeof(WCHAR) : NULL;
        remaining->MaximumLength = dest ? (USHORT)(dest->MaximumLength - dest->Length) : 0;
    }
    return status;
}

static NTSTATUS put(UNICODE_STRING *dest, size_t start, const WCHAR *src, size_t src_len,
    unsigned flags)
{
    size_t cap = dest ? dest->MaximumLength / sizeof(WCHAR) : 0;
    size_t n = src_len < cap - start ? src_len : cap - start;

    if (src_len && cap == start)
        return dest && dest->Buffer ? STATUS_BUFFER_OVERFLOW : STATUS_INVALID_PARAMETER;
    if (n < src_len && (flags & SS_NO_TRUNCATION))
        return STATUS_BUFFER_OVERFLOW; /* finish() keeps the old text */
    if (n)
        memcpy(dest->Buffer + start, src, n * sizeof(WCHAR));
    if (dest)
        dest->Length = (USHORT)((start + n) * sizeof(WCHAR));
    return n < src_len ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

/* Copies or (KMH_SS_CAT) appends src: at most src_max characters of a
 * NUL-terminated string, or exactly src_max with KMH_SS_COUNTED.
 * STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW (cut), STATUS_INVALID_PARAMETER. */
KMH_EXPORT int kmh_ustr_put(unsigned mode, struct _UNICODE_STRING *dest, const wchar_t *src,
    size_t src_max, struct _UNICODE_STRING *remaining, unsigned flags)
{
    NTSTATUS status = check_dest(dest, flags);
    USHORT old_length = dest ? dest->Length : 0;
    size_t start = dest && (mode & KMH_SS_CAT) ? dest->Length / sizeof(WCHAR) : 0;
    size_t len = 0;

    if (status != STATUS_SUCCESS)
        return status;
    if ((mode & KMH_SS_N) && src_max > KMH_SS_USTR_MAX_CCH)
        return finish(dest, old_length, STATUS_INVALID_PARAMETER, flags, NULL);
    if (mode & KMH_SS_COUNTED)
        len = src_max;
    else if (src)
        /* Only as much as could fit, plus one to tell a truncation. */
        len = kmh_wcsnlen(src, src_max < KMH_SS_USTR_MAX_CCH + 1 ? src_max : KMH_SS_USTR_MAX_CCH + 1);
    else if (!(flags & SS_IGNORE_NULLS))
        return finish(dest, old_length, STATUS_INVALID_PARAMETER, flags, NULL);
    status = put(dest, start, src, len, flags);
    return finish(dest, old_length, status, flags, remaining);
}

/* Formats into dest's buffer (no terminator). Results as kmh_ustr_put; a
 * refused format (%n) is STATUS_INVALID_PARAMETER. */
KMH_EXPORT int kmh_ustr_vprintf(struct _UNICODE_STRING *dest, struct _UNICODE_STRING *remaining,
    unsigned flags, const wchar_t *format, va_list ap)
{
    NTSTATUS status = check_dest(dest, flags);
    USHORT old_length = dest ? dest->Length : 0;
    struct nt_sink s = { .wide = true };

    if (status != STATUS_SUCCESS)
        return status;
    if (format == NULL && !(flags & SS_IGNORE_NULLS))
        return finish(dest, old_length, STATUS_INVALID_PARAMETER, flags, NULL);
    if (format == NULL || format[0] == 0) {
        if (dest)
            dest->Length = 0;
        return finish(dest, old_length, STATUS_SUCCESS, flags, remaining);
    }
    if (dest == NULL || dest->MaximumLength == 0)
        return finish(dest, old_length, dest && dest->Buffer ? STATUS_BUFFER_OVERFLOW
            : STATUS_INVALID_PARAMETER, flags, remaining);
    if (flags & SS_NO_TRUNCATION) {
        /* Measure first: a result that does not fit must not touch dest. */
        if (nt_vformat(&s, format, ap) == 0 && s.total > dest->MaximumLength / sizeof(WCHAR))
            return finish(dest, old_length, STATUS_BUFFER_OVERFLOW, flags, remaining);
        s = (struct nt_sink){ .wide = true };
    }
    s.buf = dest->Buffer;
    s.cap = dest->MaximumLength / sizeof(WCHAR);
    status = nt_vformat(&s, format, ap) ? STATUS_INVALID_PARAMETER
        : s.total > s.pos ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    dest->Length = (USHORT)(s.pos * sizeof(WCHAR));
    return finish(dest, old_length, status, flags, remaining);
}
