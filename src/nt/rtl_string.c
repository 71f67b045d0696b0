/*
 * Counted narrow strings (STRING, ANSI_STRING) and the initializers of
 * both kinds, with the Length/MaximumLength rules of the WDK: lengths are
 * bytes without the terminator; an initializer's MaximumLength counts the
 * terminator; copies take what fits and add a terminator only if there is
 * room past the copied text.
 */
#include "internal.h"
#include "text.h"

#include <string.h>
#include <wdm.h>

/* The longest strings a USHORT byte count describes with a terminator. */
#define MAX_UNICODE_INIT_BYTES (UNICODE_STRING_MAX_BYTES - sizeof(WCHAR)) /* 65532 */
#define MAX_ANSI_INIT_BYTES (MAXUSHORT - 1)                                /* 65534 */

/* Points DestinationString at SourceString (not copied). Any IRQL for
 * nonpaged text. Text longer than 32766 characters is cut to that. */
KMH_EXPORT VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    size_t bytes = SourceString ? kmh_wcslen(SourceString) * sizeof(WCHAR) : 0;

    if (bytes > MAX_UNICODE_INIT_BYTES)
        bytes = MAX_UNICODE_INIT_BYTES;
    DestinationString->Buffer = (PWCH)SourceString;
    DestinationString->Length = (USHORT)bytes;
    DestinationString->MaximumLength = SourceString ? (USHORT)(bytes + sizeof(WCHAR)) : 0;
}

/* RtlInitUnicodeString that refuses what does not fit. STATUS_SUCCESS, or
 * STATUS_NAME_TOO_LONG (DestinationString unchanged). */
KMH_EXPORT NTSTATUS RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    if (SourceString && kmh_wcsnlen(SourceString, MAX_UNICODE_INIT_BYTES / 2 + 1) * sizeof(WCHAR)
            > MAX_UNICODE_INIT_BYTES)
        return STATUS_NAME_TOO_LONG;
    RtlInitUnicodeString(DestinationString, SourceString);
    return STATUS_SUCCESS;
}

/* Points DestinationString at SourceString; text past 65534 bytes is cut. */
KMH_EXPORT VOID RtlInitString(PSTRING DestinationString, PCSZ SourceString)
{
    size_t bytes = SourceString ? strlen(SourceString) : 0;

    if (bytes > MAX_ANSI_INIT_BYTES)
        bytes = MAX_ANSI_INIT_BYTES;
    DestinationString->Buffer = (PCHAR)SourceString;
    DestinationString->Length = (USHORT)bytes;
    DestinationString->MaximumLength = SourceString ? (USHORT)(bytes + 1) : 0;
}

/* The ANSI_STRING spelling of RtlInitString. */
KMH_EXPORT VOID RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString)
{
    RtlInitString(DestinationString, SourceString);
}

/* STATUS_SUCCESS, or STATUS_NAME_TOO_LONG past 65534 bytes. */
KMH_EXPORT NTSTATUS RtlInitAnsiStringEx(PANSI_STRING DestinationString, PCSZ SourceString)
{
    if (SourceString && strnlen(SourceString, MAX_ANSI_INIT_BYTES + 1) > MAX_ANSI_INIT_BYTES)
        return STATUS_NAME_TOO_LONG;
    RtlInitString(DestinationString, SourceString);
    return STATUS_SUCCESS;
}

/* Copies what fits of SourceString (NULL: empties the destination). */
KMH_EXPORT VOID RtlCopyString(PSTRING DestinationString, const STRING *SourceString)
{
    USHORT n;

    if (SourceString == NULL) {
        DestinationString->Length = 0;
        return;
    }
    n = SourceString->Length < DestinationString->MaximumLength ? SourceString->Length
                                                                : DestinationString->MaximumLength;
    memmove(DestinationString->Buffer, SourceString->Buffer, n);
    DestinationString->Length = n;
    if (n < DestinationString->MaximumLength)
        DestinationString->Buffer[n] = 0;
}

/* Uppercase of an ANSI character: ASCII letters only, UTF-8 being the
 * ANSI code page (other bytes are parts of characters). */
KMH_EXPORT CHAR RtlUpperChar(CHAR Character)
{
    return (Character >= 'a' && Character <= 'z') ? (CHAR)(Character - 32) : Character;
}

/* Copies what fits of SourceString, uppercased. */
KMH_EXPORT VOID RtlUpperString(PSTRING DestinationString, const STRING *SourceString)
{
    USHORT n = SourceString->Length < DestinationString->MaximumLength
        ? SourceString->Length : DestinationString->MaximumLength;

    for (USHORT i = 0; i < n; i++)
        DestinationString->Buffer[i] = RtlUpperChar(SourceString->Buffer[i]);
    DestinationString->Length = n;
}

/* Orders two strings byte by byte (uppercased if asked), then by length:
 * negative, zero or positive. */
KMH_EXPORT LONG RtlCompareString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive)
{
    USHORT n = String1->Length < String2->Length ? String1->Length : String2->Length;

    for (USHORT i = 0; i < n; i++) {
        UCHAR a = (UCHAR)String1->Buffer[i], b = (UCHAR)String2->Buffer[i];
        if (CaseInSensitive) {
            a = (UCHAR)RtlUpperChar((CHAR)a);
            b = (UCHAR)RtlUpperChar((CHAR)b);
        }
        if (a != b)
            return (LONG)a - (LONG)b;
    }
    return (LONG)String1->Length - (LONG)String2->Length;
}

/* TRUE when both strings have the same length and bytes. */
KMH_EXPORT BOOLEAN RtlEqualString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive)
{
    return String1->Length == String2->Length
        && RtlCompareString(String1, String2, CaseInSensitive) == 0;
}

/* TRUE when String1 is a prefix of String2. */
KMH_EXPORT BOOLEAN RtlPrefixString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive)
{
    STRING head;

    if (String1->Length > String2->Length)
        return FALSE;
    head = *String2;
    head.Length = String1->Length;
    return RtlCompareString(String1, &head, CaseInSensitive) == 0;
}

/* Frees a buffer an Rtl conversion allocated; NULL Buffer is fine. */
KMH_EXPORT VOID RtlFreeAnsiString(PANSI_STRING AnsiString)
{
    if (AnsiString->Buffer)
        ExFreePoolWithTag(AnsiString->Buffer, NT_STRING_POOL_TAG);
    memset(AnsiString, 0, sizeof(*AnsiString));
}

/* Number of leading bytes that are equal. */
KMH_EXPORT SIZE_T RtlCompareMemory(const void *Source1, const void *Source2, SIZE_T Length)
{
    const UCHAR *a = Source1, *b = Source2;
    SIZE_T i = 0;

    while (i < Length && a[i] == b[i])
        i++;
    return i;
}
