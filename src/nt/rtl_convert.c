/*
 * Conversions between ANSI (UTF-8 in kmhost), UTF-8 and UTF-16 strings,
 * between integers and text, and between GUIDs and their registry form
 * "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}". Statuses are those Windows
 * documents (and, where its documentation is silent, what it returns).
 */
#include "internal.h"
#include "nt/nt.h"
#include "text.h"

#include <string.h>

/* Paged pool charged to the driver's call site (see rtl_unicode.c). */
static void *alloc_string(size_t bytes, void *caller)
{
    return nt_pool_alloc_for(POOL_FLAG_PAGED, bytes, NT_STRING_POOL_TAG, caller);
}

/* Transcodes n units of src, storing whole characters while they fit in
 * cap units of dst (dst may be NULL to measure). Returns the units stored
 * (or needed); *rest is how many source units were left over, *bad whether
 * any were invalid. */
static size_t utf16_to_utf8(const WCHAR *src, size_t n, char *dst, size_t cap, size_t *rest, bool *bad)
{
    size_t i = 0, out = 0;

    while (i < n) {
        size_t at = i;
        char b[4];
        size_t k = nt_utf8_encode(nt_utf16_next(src, n, &i, bad), b);
        if (dst && k > cap - out) {
            i = at;
            break;
        }
        if (dst)
            memcpy(dst + out, b, k);
        out += k;
    }
    *rest = n - i;
    return out;
}

static size_t utf8_to_utf16(const char *src, size_t n, WCHAR *dst, size_t cap, size_t *rest, bool *bad)
{
    size_t i = 0, out = 0;

    while (i < n) {
        size_t at = i;
        WCHAR w[2];
        size_t k = nt_utf16_encode(nt_utf8_next(src, n, &i, bad), w);
        if (dst && k > cap - out) {
            i = at;
            break;
        }
        if (dst)
            memcpy(dst + out, w, k * sizeof(WCHAR));
        out += k;
    }
    *rest = n - i;
    return out;
}

/* Bytes the ANSI form of UnicodeString needs, terminator included. */
KMH_EXPORT ULONG RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString)
{
    size_t rest;
    bool bad;
    return (ULONG)utf16_to_utf8(UnicodeString->Buffer, UnicodeString->Length / sizeof(WCHAR), NULL, 0,
               &rest, &bad) + 1;
}

/* Bytes the UTF-16 form of AnsiString needs, terminator included. */
KMH_EXPORT ULONG RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString)
{
    size_t rest;
    bool bad;
    return (ULONG)(utf8_to_utf16(AnsiString->Buffer, AnsiString->Length, NULL, 0, &rest, &bad) + 1)
        * sizeof(WCHAR);
}

/* Converts to ANSI (UTF-8), terminated. PASSIVE_LEVEL when allocating.
 * STATUS_SUCCESS; STATUS_INVALID_PARAMETER_2 when the result would not fit
 * an ANSI_STRING; STATUS_NO_MEMORY; STATUS_BUFFER_OVERFLOW when the
 * caller's buffer is too small: what fits is converted and terminated. */
KMH_EXPORT NTSTATUS RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString,
    PCUNICODE_STRING SourceString, BOOLEAN AllocateDestinationString)
{
    ULONG size = RtlxUnicodeStringToAnsiSize(SourceString);
    NTSTATUS status = STATUS_SUCCESS;
    size_t cap, n, rest;
    bool bad = false;

    if (size > MAXUSHORT)
        return STATUS_INVALID_PARAMETER_2;
    if (AllocateDestinationString) {
        DestinationString->Buffer = alloc_string(size, __builtin_return_address(0));
        if (DestinationString->Buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->MaximumLength = (USHORT)size;
    } else if (size > DestinationString->MaximumLength) {
        status = STATUS_BUFFER_OVERFLOW;
    }
    if (DestinationString->MaximumLength == 0) {
        DestinationString->Length = 0;
        return status;
    }
    cap = DestinationString->MaximumLength - 1u;
    n = utf16_to_utf8(SourceString->Buffer, SourceString->Length / sizeof(WCHAR),
        DestinationString->Buffer, cap, &rest, &bad);
    DestinationString->Buffer[n] = 0;
    DestinationString->Length = (USHORT)n;
    return status;
}

/* Converts ANSI (UTF-8) to UTF-16, terminated. PASSIVE_LEVEL when
 * allocating. STATUS_SUCCESS; STATUS_INVALID_PARAMETER_2 when the result
 * would not fit a UNICODE_STRING; STATUS_NO_MEMORY; STATUS_BUFFER_OVERFLOW
 * (nothing written) when the caller's buffer is too small. */
KMH_EXPORT NTSTATUS RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
    PCANSI_STRING SourceString, BOOLEAN AllocateDestinationString)
{
    ULONG size = RtlxAnsiStringToUnicodeSize(SourceString);
    size_t n, rest;
    bool bad = false;

    if (size > MAXUSHORT)
        return STATUS_INVALID_PARAMETER_2;
    if (AllocateDestinationString) {
        DestinationString->Buffer = alloc_string(size, __builtin_return_address(0));
        if (DestinationString->Buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->MaximumLength = (USHORT)size;
    } else if (size > DestinationString->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    n = utf8_to_utf16(SourceString->Buffer, SourceString->Length, DestinationString->Buffer,
        size / sizeof(WCHAR) - 1, &rest, &bad);
    DestinationString->Buffer[n] = 0;
    DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* Shared tail of the two N conversions: the documented statuses. */
static NTSTATUS n_result(size_t rest, bool bad, size_t bytes, PULONG actual)
{
    if (actual)
        *actual = (ULONG)bytes;
    if (rest)
        return STATUS_BUFFER_TOO_SMALL;
    return bad ? STATUS_SOME_NOT_MAPPED : STATUS_SUCCESS;
}

/* UTF-8 to UTF-16; NULL destination measures. STATUS_SUCCESS,
 * STATUS_SOME_NOT_MAPPED (invalid input became U+FFFD),
 * STATUS_BUFFER_TOO_SMALL (what fits is written), STATUS_INVALID_PARAMETER
 * (no destination and no count), STATUS_INVALID_PARAMETER_4 (no source). */
KMH_EXPORT NTSTATUS RtlUTF8ToUnicodeN(PWSTR UnicodeStringDestination, ULONG UnicodeStringMaxByteCount,
    PULONG UnicodeStringActualByteCount, PCCH UTF8StringSource, ULONG UTF8StringByteCount)
{
    size_t n, rest;
    bool bad = false;

    if (UTF8StringSource == NULL)
        return STATUS_INVALID_PARAMETER_4;
    if (UnicodeStringDestination == NULL && UnicodeStringActualByteCount == NULL)
        return STATUS_INVALID_PARAMETER;
    n = utf8_to_utf16(UTF8StringSource, UTF8StringByteCount, UnicodeStringDestination,
        UnicodeStringMaxByteCount / sizeof(WCHAR), &rest, &bad);
    return n_result(rest, bad, n * sizeof(WCHAR), UnicodeStringActualByteCount);
}

/* UTF-16 to UTF-8; same rules and statuses as RtlUTF8ToUnicodeN. */
KMH_EXPORT NTSTATUS RtlUnicodeToUTF8N(PCHAR UTF8StringDestination, ULONG UTF8StringMaxByteCount,
    PULONG UTF8StringActualByteCount, PCWCH UnicodeStringSource, ULONG UnicodeStringByteCount)
{
    size_t n, rest;
    bool bad = false;

    if (UnicodeStringSource == NULL)
        return STATUS_INVALID_PARAMETER_4;
    if (UTF8StringDestination == NULL && UTF8StringActualByteCount == NULL)
        return STATUS_INVALID_PARAMETER;
    n = utf16_to_utf8(UnicodeStringSource, UnicodeStringByteCount / sizeof(WCHAR),
        UTF8StringDestination, UTF8StringMaxByteCount, &rest, &bad);
    return n_result(rest, bad, n, UTF8StringActualByteCount);
}

/* --- Integers ------------------------------------------------------------------ */

static NTSTATUS integer_to_string(ULONGLONG value, ULONG base, PUNICODE_STRING string)
{
    WCHAR digits[65];
    size_t n = 0;

    if (base == 0)
        base = 10;
    if (base != 2 && base != 8 && base != 10 && base != 16)
        return STATUS_INVALID_PARAMETER;
    do
        digits[sizeof(digits) / sizeof(WCHAR) - 1 - n++] = (WCHAR)"0123456789ABCDEF"[value % base];
    while ((value /= base) != 0);
    /* The text and its terminator must both fit. */
    if ((n + 1) * sizeof(WCHAR) > string->MaximumLength)
        return STATUS_BUFFER_OVERFLOW;
    memcpy(string->Buffer, digits + sizeof(digits) / sizeof(WCHAR) - n, n * sizeof(WCHAR));
    string->Buffer[n] = 0;
    string->Length = (USHORT)(n * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* Value (unsigned) in Base 2, 8, 10 or 16 (0 means 10), uppercase digits,
 * terminated. STATUS_SUCCESS, STATUS_INVALID_PARAMETER (base),
 * STATUS_BUFFER_OVERFLOW (text and terminator do not fit; unchanged). */
KMH_EXPORT NTSTATUS RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String)
{
    return integer_to_string(Value, Base, String);
}

/* The 64-bit RtlIntegerToUnicodeString, same statuses. */
KMH_EXPORT NTSTATUS RtlInt64ToUnicodeString(ULONGLONG Value, ULONG Base, PUNICODE_STRING String)
{
    return integer_to_string(Value, Base, String);
}

struct units_reader {
    const void *p;
    size_t n;
    bool wide;
};

static unsigned unit_at(const struct units_reader *r, size_t i)
{
    return i >= r->n ? 0 : r->wide ? ((const WCHAR *)r->p)[i] : (unsigned char)((const char *)r->p)[i];
}

/* [blanks][+|-][0x|0o|0b when base is 0]digits; stops at the first
 * character that is not a digit of the base. Wraps like a ULONG. */
static NTSTATUS text_to_integer(const struct units_reader *r, ULONG base, PULONG value)
{
    size_t i = 0;
    bool neg = false;
    ULONG v = 0;

    while (i < r->n && unit_at(r, i) != 0 && unit_at(r, i) <= ' ')
        i++;
    if (unit_at(r, i) == '+' || unit_at(r, i) == '-')
        neg = unit_at(r, i++) == '-';
    if (base == 0) {
        unsigned p = unit_at(r, i) == '0' ? unit_at(r, i + 1) : 0;
        base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
        if (base != 10)
            i += 2;
    } else if (base != 2 && base != 8 && base != 10 && base != 16) {
        return STATUS_INVALID_PARAMETER;
    }
    if (value == NULL)
        return STATUS_ACCESS_VIOLATION;
    for (;; i++) {
        unsigned c = unit_at(r, i);
        unsigned d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
        if (d >= base)
            break;
        v = v * base + d;
    }
    *value = neg ? 0u - v : v;
    return STATUS_SUCCESS;
}

/* Parses String's characters as a ULONG. STATUS_SUCCESS (no digits: 0),
 * STATUS_INVALID_PARAMETER (base not 0, 2, 8, 10, 16),
 * STATUS_ACCESS_VIOLATION (Value is NULL). */
KMH_EXPORT NTSTATUS RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value)
{
    struct units_reader r = { String->Buffer, String->Length / sizeof(WCHAR), true };
    return text_to_integer(&r, Base, Value);
}

/* RtlUnicodeStringToInteger for a NUL-terminated narrow string. */
KMH_EXPORT NTSTATUS RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value)
{
    struct units_reader r = { String, strlen(String), false };
    return text_to_integer(&r, Base, Value);
}

/* --- GUIDs ------------------------------------------------------------------------ */

#define GUID_TEXT_CHARS 38

/* Allocates the registry form of Guid (paged pool; free with
 * RtlFreeUnicodeString). PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_NO_MEMORY. */
KMH_EXPORT NTSTATUS RtlStringFromGUID(REFGUID Guid, PUNICODE_STRING GuidString)
{
    const size_t bytes = (GUID_TEXT_CHARS + 1) * sizeof(WCHAR);
    PWCH buffer = alloc_string(bytes, __builtin_return_address(0));

    if (buffer == NULL)
        return STATUS_NO_MEMORY;
    kmh__snwprintf(buffer, GUID_TEXT_CHARS + 1,
        L"{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", Guid->Data1, Guid->Data2,
        Guid->Data3, Guid->Data4[0], Guid->Data4[1], Guid->Data4[2], Guid->Data4[3],
        Guid->Data4[4], Guid->Data4[5], Guid->Data4[6], Guid->Data4[7]);
    GuidString->Buffer = buffer;
    GuidString->Length = GUID_TEXT_CHARS * sizeof(WCHAR);
    GuidString->MaximumLength = (USHORT)bytes;
    return STATUS_SUCCESS;
}

/* Reads digits hex digits at s[*i]; false if any is not one. */
static bool read_hex(const WCHAR *s, size_t *i, unsigned digits, ULONG *out)
{
    ULONG v = 0;
    for (unsigned k = 0; k < digits; k++, (*i)++) {
        WCHAR c = s[*i];
        unsigned d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 16;
        if (d == 16)
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

/* Parses the registry form, braces required, either case. STATUS_SUCCESS
 * or STATUS_INVALID_PARAMETER (Guid unchanged). */
KMH_EXPORT NTSTATUS RtlGUIDFromString(PCUNICODE_STRING GuidString, GUID *Guid)
{
    static const unsigned groups[] = { 8, 4, 4, 4, 12 };
    const WCHAR *s = GuidString->Buffer;
    ULONG part[5 + 6];
    size_t i = 1, p = 0;
    GUID g;

    if (GuidString->Length != GUID_TEXT_CHARS * sizeof(WCHAR) || s[0] != '{' || s[37] != '}')
        return STATUS_INVALID_PARAMETER;
    for (size_t k = 0; k < KMH_ARRAY_SIZE(groups); k++) {
        /* The last two groups are read a byte at a time, for Data4. */
        unsigned step = k >= 3 ? 2 : groups[k];
        for (unsigned done = 0; done < groups[k]; done += step)
            if (!read_hex(s, &i, step, &part[p++]))
                return STATUS_INVALID_PARAMETER;
        if (k < 4 && s[i++] != '-')
            return STATUS_INVALID_PARAMETER;
    }
    g.Data1 = part[0];
    g.Data2 = (USHORT)part[1];
    g.Data3 = (USHORT)part[2];
    for (size_t k = 0; k < 8; k++)
        g.Data4[k] = (UCHAR)part[3 + k];
    *Guid = g;
    return STATUS_SUCCESS;
}
