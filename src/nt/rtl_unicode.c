/*
 * UNICODE_STRING copies, appends, comparisons, case and hashing. Lengths
 * are bytes; a terminator is written after the text only when the buffer
 * has room for it, never counted in Length. Buffers the Rtl allocates for
 * a caller come from paged pool with NT_STRING_POOL_TAG and go back with
 * RtlFreeUnicodeString.
 */
#include "internal.h"
#include "nt/nt.h"
#include "text.h"

#include <string.h>

static void terminate_if_room(PUNICODE_STRING s)
{
    if ((size_t)s->Length + sizeof(WCHAR) <= s->MaximumLength)
        s->Buffer[s->Length / sizeof(WCHAR)] = 0;
}

/* Paged pool charged to caller, the driver's call site, so a string it
 * never frees is reported where it asked for it. */
static PWCH alloc_string(size_t bytes, void *caller)
{
    /* Never ask the pool for nothing: an empty string still gets a buffer. */
    return nt_pool_alloc_for(POOL_FLAG_PAGED, bytes ? bytes : sizeof(WCHAR), NT_STRING_POOL_TAG, caller);
}

/* Copies what fits of SourceString (NULL: empties the destination). */
KMH_EXPORT VOID RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{
    USHORT n;

    if (SourceString == NULL) {
        DestinationString->Length = 0;
        return;
    }
    n = SourceString->Length < DestinationString->MaximumLength ? SourceString->Length
                                                                : DestinationString->MaximumLength;
    n &= (USHORT)~1u;
    memmove(DestinationString->Buffer, SourceString->Buffer, n);
    DestinationString->Length = n;
    terminate_if_room(DestinationString);
}

static NTSTATUS append(PUNICODE_STRING Destination, const WCHAR *src, size_t bytes)
{
    if ((size_t)Destination->Length + bytes > Destination->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    memmove((char *)Destination->Buffer + Destination->Length, src, bytes);
    Destination->Length = (USHORT)(Destination->Length + bytes);
    terminate_if_room(Destination);
    return STATUS_SUCCESS;
}

/* Appends a NUL-terminated string (NULL appends nothing). STATUS_SUCCESS,
 * or STATUS_BUFFER_TOO_SMALL with Destination unchanged. */
KMH_EXPORT NTSTATUS RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source)
{
    if (Source == NULL)
        return STATUS_SUCCESS;
    return append(Destination, Source, kmh_wcslen(Source) * sizeof(WCHAR));
}

/* Appends Source. STATUS_SUCCESS, or STATUS_BUFFER_TOO_SMALL with
 * Destination unchanged. */
KMH_EXPORT NTSTATUS RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source)
{
    if (Source->Length == 0)
        return STATUS_SUCCESS;
    return append(Destination, Source->Buffer, Source->Length);
}

/* Allocates a terminated copy of SourceString. PASSIVE_LEVEL. TRUE, or
 * FALSE when out of memory or longer than a UNICODE_STRING holds. */
KMH_EXPORT BOOLEAN RtlCreateUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    size_t bytes = (kmh_wcslen(SourceString) + 1) * sizeof(WCHAR);
    PWCH buffer;

    if (bytes > UNICODE_STRING_MAX_BYTES
        || (buffer = alloc_string(bytes, __builtin_return_address(0))) == NULL)
        return FALSE;
    memcpy(buffer, SourceString, bytes);
    DestinationString->Buffer = buffer;
    DestinationString->Length = (USHORT)(bytes - sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)bytes;
    return TRUE;
}

/* Allocates a copy of StringIn, terminated if Flags say so. PASSIVE_LEVEL.
 * STATUS_SUCCESS; STATUS_INVALID_PARAMETER for bad flags or strings;
 * STATUS_NAME_TOO_LONG when the terminator does not fit a UNICODE_STRING;
 * STATUS_NO_MEMORY. An empty string stays unallocated unless Flags has
 * RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING. */
KMH_EXPORT NTSTATUS RtlDuplicateUnicodeString(ULONG Flags, PCUNICODE_STRING StringIn,
    PUNICODE_STRING StringOut)
{
    const ULONG valid = RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE
        | RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING;
    size_t bytes;
    PWCH buffer;

    if (StringIn == NULL || StringOut == NULL || (Flags & ~valid)
        || StringIn->Length > StringIn->MaximumLength || (StringIn->Length & 1)
        || (StringIn->Buffer == NULL && StringIn->Length))
        return STATUS_INVALID_PARAMETER;
    if (StringIn->Length == 0 && !(Flags & RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING)) {
        memset(StringOut, 0, sizeof(*StringOut));
        return STATUS_SUCCESS;
    }
    bytes = StringIn->Length;
    if (Flags & RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE)
        bytes += sizeof(WCHAR);
    if (bytes > UNICODE_STRING_MAX_BYTES)
        return STATUS_NAME_TOO_LONG;
    if ((buffer = alloc_string(bytes, __builtin_return_address(0))) == NULL)
        return STATUS_NO_MEMORY;
    memcpy(buffer, StringIn->Buffer, StringIn->Length);
    if (Flags & RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE)
        buffer[StringIn->Length / sizeof(WCHAR)] = 0;
    StringOut->Buffer = buffer;
    StringOut->Length = StringIn->Length;
    StringOut->MaximumLength = (USHORT)bytes;
    return STATUS_SUCCESS;
}

/* Frees a buffer an Rtl function allocated and empties the string. */
KMH_EXPORT VOID RtlFreeUnicodeString(PUNICODE_STRING UnicodeString)
{
    if (UnicodeString->Buffer)
        ExFreePoolWithTag(UnicodeString->Buffer, NT_STRING_POOL_TAG);
    memset(UnicodeString, 0, sizeof(*UnicodeString));
}

/* --- Comparing ---------------------------------------------------------------- */

/* Orders two arrays of characters (uppercased if asked), then by length. */
KMH_EXPORT LONG RtlCompareUnicodeStrings(PCWCH String1, SIZE_T String1Length, PCWCH String2,
    SIZE_T String2Length, BOOLEAN CaseInSensitive)
{
    SIZE_T n = String1Length < String2Length ? String1Length : String2Length;

    for (SIZE_T i = 0; i < n; i++) {
        WCHAR a = String1[i], b = String2[i];
        if (CaseInSensitive) {
            a = nt_upcase(a);
            b = nt_upcase(b);
        }
        if (a != b)
            return (LONG)a - (LONG)b;
    }
    return String1Length < String2Length ? -1 : String1Length > String2Length ? 1 : 0;
}

/* Orders two strings: negative, zero or positive. */
KMH_EXPORT LONG RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
    BOOLEAN CaseInSensitive)
{
    return RtlCompareUnicodeStrings(String1->Buffer, String1->Length / sizeof(WCHAR),
        String2->Buffer, String2->Length / sizeof(WCHAR), CaseInSensitive);
}

/* TRUE when both strings hold the same characters. */
KMH_EXPORT BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
    BOOLEAN CaseInSensitive)
{
    return String1->Length == String2->Length
        && RtlCompareUnicodeString(String1, String2, CaseInSensitive) == 0;
}

/* TRUE when String1 is a prefix of String2. */
KMH_EXPORT BOOLEAN RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
    BOOLEAN CaseInSensitive)
{
    SIZE_T n = String1->Length / sizeof(WCHAR);

    return String1->Length <= String2->Length
        && RtlCompareUnicodeStrings(String1->Buffer, n, String2->Buffer, n, CaseInSensitive) == 0;
}

/* The documented x65599 hash (the default algorithm). STATUS_SUCCESS, or
 * STATUS_INVALID_PARAMETER for NULL pointers or another algorithm. */
KMH_EXPORT NTSTATUS RtlHashUnicodeString(PCUNICODE_STRING String, BOOLEAN CaseInSensitive,
    ULONG HashAlgorithm, PULONG HashValue)
{
    ULONG hash = 0;

    if (String == NULL || HashValue == NULL
        || (HashAlgorithm != HASH_STRING_ALGORITHM_DEFAULT && HashAlgorithm != HASH_STRING_ALGORITHM_X65599))
        return STATUS_INVALID_PARAMETER;
    for (USHORT i = 0; i < String->Length / sizeof(WCHAR); i++) {
        WCHAR c = String->Buffer[i];
        hash = hash * 65599u + (CaseInSensitive ? nt_upcase(c) : c);
    }
    *HashValue = hash;
    return STATUS_SUCCESS;
}

/* --- Case --------------------------------------------------------------------- */

/* Uppercase of one character (locale-free; see text.h for the coverage). */
KMH_EXPORT WCHAR RtlUpcaseUnicodeChar(WCHAR SourceCharacter)
{
    return nt_upcase(SourceCharacter);
}

/* Lowercase of one character. */
KMH_EXPORT WCHAR RtlDowncaseUnicodeChar(WCHAR SourceCharacter)
{
    return nt_downcase(SourceCharacter);
}

static NTSTATUS change_case(PUNICODE_STRING Dest, PCUNICODE_STRING Src, BOOLEAN Allocate,
    WCHAR (*map)(WCHAR), void *caller)
{
    USHORT n = Src->Length / sizeof(WCHAR);

    if (Allocate) {
        Dest->Buffer = alloc_string(Src->Length, caller);
        if (Dest->Buffer == NULL)
            return STATUS_NO_MEMORY;
        Dest->MaximumLength = Src->Length;
    } else if (Src->Length > Dest->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    for (USHORT i = 0; i < n; i++)
        Dest->Buffer[i] = map(Src->Buffer[i]);
    Dest->Length = (USHORT)(n * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* Uppercases SourceString into DestinationString, or into a new buffer.
 * STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW (destination too small, nothing
 * written), STATUS_NO_MEMORY. No terminator is added. */
KMH_EXPORT NTSTATUS RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString,
    PCUNICODE_STRING SourceString, BOOLEAN AllocateDestinationString)
{
    return change_case(DestinationString, SourceString, AllocateDestinationString, nt_upcase,
        __builtin_return_address(0));
}

/* Lowercase counterpart of RtlUpcaseUnicodeString, same results. */
KMH_EXPORT NTSTATUS RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString,
    PCUNICODE_STRING SourceString, BOOLEAN AllocateDestinationString)
{
    return change_case(DestinationString, SourceString, AllocateDestinationString, nt_downcase,
        __builtin_return_address(0));
}
