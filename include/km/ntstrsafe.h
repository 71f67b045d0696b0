/*
 * ntstrsafe.h: the kernel's safe string functions (RtlStringCch*,
 * RtlStringCb*, RtlUnicodeString*). As in the WDK they are inline here;
 * each is a one-line adapter over libkmhost's strsafe engine, which holds
 * the rules (see src/nt/strsafe.c). NTSTRSAFE_LIB, NTSTRSAFE_NO_DEPRECATE
 * and NTSTRSAFE_USE_SECURE_CRT are accepted and change nothing: nothing is
 * deprecated, and there is no library to link. NTSTRSAFE_NO_CCH_FUNCTIONS,
 * NTSTRSAFE_NO_CB_FUNCTIONS and NTSTRSAFE_NO_UNICODE_STRING_FUNCTIONS
 * leave those groups out. Formats follow Windows' rules (%ws, %wZ, l is
 * 32-bit), and results are exactly the documented NTSTATUS values.
 */
#ifndef _NTSTRSAFE_H_INCLUDED_
#define _NTSTRSAFE_H_INCLUDED_

#include <ntdef.h>
#include <ntstatus.h>
#include <stdarg.h>
#include <kmh/strsafe_core.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NTSTRSAFE_MAX_CCH 2147483647
#define NTSTRSAFE_MAX_LENGTH (NTSTRSAFE_MAX_CCH - 1)
#define NTSTRSAFE_UNICODE_STRING_MAX_CCH (0xffff / sizeof(wchar_t))

typedef char *NTSTRSAFE_PSTR;
typedef const char *NTSTRSAFE_PCSTR;
typedef wchar_t *NTSTRSAFE_PWSTR;
typedef const wchar_t *NTSTRSAFE_PCWSTR;
typedef const wchar_t UNALIGNED *NTSTRSAFE_PCUWSTR;
typedef const char *STRSAFE_PCNZCH;
typedef const wchar_t *STRSAFE_PCNZWCH;
typedef const wchar_t UNALIGNED *STRSAFE_PCUNZWCH;

/* ntdef.h defines NTSTRSAFEDDI away; these are simply inline here. */
#define KMH_NTSTRSAFE static inline NTSTATUS

#ifndef NTSTRSAFE_NO_CCH_FUNCTIONS
KMH_NTSTRSAFE RtlStringCchCopyW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc)
{ return kmh_ss_w(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCopyA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc)
{ return kmh_ss_a(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_w(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchCopyExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
    NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_a(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToCopy)
{ return kmh_ss_w(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCopyNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToCopy)
{ return kmh_ss_a(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCopyNExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
    size_t cchToCopy, NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_w(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchCopyNExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
    size_t cchToCopy, NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_a(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchCatW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc)
{ return kmh_ss_w(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCatA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc)
{ return kmh_ss_a(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCatExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_w(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchCatExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
    NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_a(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchCatNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToAppend)
{ return kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCatNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToAppend)
{ return kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCchCatNExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
    size_t cchToAppend, NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchCatNExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
    size_t cchToAppend, NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, ppszDestEnd, pcchRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCchVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{ return kmh_ss_vw(pszDest, cchDest, NULL, NULL, 1, 0, 0, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCchVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{ return kmh_ss_va(pszDest, cchDest, NULL, NULL, 1, 0, 0, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCchVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PWSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{ return kmh_ss_vw(pszDest, cchDest, ppszDestEnd, pcchRemaining, 1, 0, dwFlags, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCchVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{ return kmh_ss_va(pszDest, cchDest, ppszDestEnd, pcchRemaining, 1, 0, dwFlags, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCchPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCchVPrintfW(pszDest, cchDest, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCchPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCchVPrintfA(pszDest, cchDest, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCchPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PWSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCchVPrintfExW(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCchPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCchVPrintfExA(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCchLengthW(NTSTRSAFE_PCWSTR psz, size_t cchMax, size_t *pcchLength)
{ return kmh_ss_len(2, psz, cchMax, pcchLength, 1); }
KMH_NTSTRSAFE RtlStringCchLengthA(STRSAFE_PCNZCH psz, size_t cchMax, size_t *pcchLength)
{ return kmh_ss_len(1, psz, cchMax, pcchLength, 1); }
#endif /* NTSTRSAFE_NO_CCH_FUNCTIONS */

#ifndef NTSTRSAFE_NO_CB_FUNCTIONS
KMH_NTSTRSAFE RtlStringCbCopyW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc)
{ return kmh_ss_w(0, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, NULL, NULL, 2, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCopyA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc)
{ return kmh_ss_a(0, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_w(0, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags); }
KMH_NTSTRSAFE RtlStringCbCopyExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
    NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_a(0, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCbCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToCopy)
{ return kmh_ss_w(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToCopy, 2), NULL, NULL, 2, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCopyNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToCopy)
{ return kmh_ss_a(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToCopy, 1), NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCopyNExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
    size_t cbToCopy, NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_w(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToCopy, 2), ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags); }
KMH_NTSTRSAFE RtlStringCbCopyNExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
    size_t cbToCopy, NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_a(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToCopy, 1), ppszDestEnd, pcbRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCbCatW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc)
{ return kmh_ss_w(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, NULL, NULL, 2, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCatA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc)
{ return kmh_ss_a(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCatExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_w(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags); }
KMH_NTSTRSAFE RtlStringCbCatExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
    NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_a(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCbCatNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToAppend)
{ return kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToAppend, 2), NULL, NULL, 2, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCatNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToAppend)
{ return kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToAppend, 1), NULL, NULL, 1, 0, 0); }
KMH_NTSTRSAFE RtlStringCbCatNExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
    size_t cbToAppend, NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToAppend, 2), ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags); }
KMH_NTSTRSAFE RtlStringCbCatNExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
    size_t cbToAppend, NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToAppend, 1), ppszDestEnd, pcbRemaining, 1, 0, dwFlags); }
KMH_NTSTRSAFE RtlStringCbVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{ return kmh_ss_vw(pszDest, kmh_ss_cch(cbDest, 2), NULL, NULL, 2, 0, 0, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCbVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{ return kmh_ss_va(pszDest, kmh_ss_cch(cbDest, 1), NULL, NULL, 1, 0, 0, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCbVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PWSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{ return kmh_ss_vw(pszDest, kmh_ss_cch(cbDest, 2), ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCbVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{ return kmh_ss_va(pszDest, kmh_ss_cch(cbDest, 1), ppszDestEnd, pcbRemaining, 1, 0, dwFlags, pszFormat, argList); }
KMH_NTSTRSAFE RtlStringCbPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCbVPrintfW(pszDest, cbDest, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCbPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCbVPrintfA(pszDest, cbDest, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCbPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PWSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCbVPrintfExW(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCbPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = RtlStringCbVPrintfExA(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlStringCbLengthW(NTSTRSAFE_PCWSTR psz, size_t cbMax, size_t *pcbLength)
{ return kmh_ss_len(2, psz, kmh_ss_cch(cbMax, 2), pcbLength, 2); }
KMH_NTSTRSAFE RtlStringCbLengthA(STRSAFE_PCNZCH psz, size_t cbMax, size_t *pcbLength)
{ return kmh_ss_len(1, psz, kmh_ss_cch(cbMax, 1), pcbLength, 1); }
#endif /* NTSTRSAFE_NO_CB_FUNCTIONS */

#ifndef NTSTRSAFE_NO_UNICODE_STRING_FUNCTIONS
/* A UNICODE_STRING source, checked, as a counted run for the engine. */
static inline NTSTATUS kmh_ss_ustr_src(PCUNICODE_STRING src, size_t limit, DWORD flags,
    PCWSTR *text, size_t *cch)
{
    NTSTATUS s = kmh_ustr_validate(src, flags & STRSAFE_IGNORE_NULLS);
    if (!NT_SUCCESS(s))
        return s;
    if (limit != KMH_SS_ALL && limit > NTSTRSAFE_UNICODE_STRING_MAX_CCH)
        return STATUS_INVALID_PARAMETER;
    *text = src ? src->Buffer : NULL;
    *cch = src ? src->Length / sizeof(WCHAR) : 0;
    if (*cch > limit)
        *cch = limit;
    return STATUS_SUCCESS;
}

/* Copy (op 0) or cat (KMH_SS_CAT) from a UNICODE_STRING, at most limit characters. */
static inline NTSTATUS kmh_ss_ustr(unsigned op, PUNICODE_STRING dest, PCUNICODE_STRING src,
    size_t limit, PUNICODE_STRING rem, DWORD flags)
{
    PCWSTR text;
    size_t cch;
    NTSTATUS s = kmh_ss_ustr_src(src, limit, flags, &text, &cch);
    return NT_SUCCESS(s) ? kmh_ustr_put(op | KMH_SS_COUNTED, dest, text, cch, rem, flags) : s;
}

KMH_NTSTRSAFE RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc)
{ return kmh_ustr_init(DestinationString, pszSrc, 0); }
KMH_NTSTRSAFE RtlUnicodeStringInitEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc, DWORD dwFlags)
{ return kmh_ustr_init(DestinationString, pszSrc, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringValidate(PCUNICODE_STRING SourceString)
{ return kmh_ustr_validate(SourceString, 0); }
KMH_NTSTRSAFE RtlUnicodeStringValidateEx(PCUNICODE_STRING SourceString, DWORD dwFlags)
{ return kmh_ustr_validate(SourceString, dwFlags); }

KMH_NTSTRSAFE RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc)
{ return kmh_ustr_put(0, DestinationString, pszSrc, KMH_SS_ALL, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCopyStringEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
    PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ustr_put(0, DestinationString, pszSrc, KMH_SS_ALL, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCchCopyStringN(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc, size_t cchToCopy)
{ return kmh_ustr_put(KMH_SS_N, DestinationString, pszSrc, cchToCopy, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCchCopyStringNEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
    size_t cchToCopy, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ustr_put(KMH_SS_N, DestinationString, pszSrc, cchToCopy, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCbCopyStringN(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc, size_t cbToCopy)
{ return kmh_ustr_put(KMH_SS_N, DestinationString, pszSrc, kmh_ss_cch(cbToCopy, 2), NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCbCopyStringNEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
    size_t cbToCopy, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ustr_put(KMH_SS_N, DestinationString, pszSrc, kmh_ss_cch(cbToCopy, 2), RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCatString(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc)
{ return kmh_ustr_put(KMH_SS_CAT, DestinationString, pszSrc, KMH_SS_ALL, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCatStringEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
    PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ustr_put(KMH_SS_CAT, DestinationString, pszSrc, KMH_SS_ALL, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCchCatStringN(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc, size_t cchToAppend)
{ return kmh_ustr_put(KMH_SS_CAT | KMH_SS_N, DestinationString, pszSrc, cchToAppend, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCchCatStringNEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
    size_t cchToAppend, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ustr_put(KMH_SS_CAT | KMH_SS_N, DestinationString, pszSrc, cchToAppend, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCbCatStringN(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc, size_t cbToAppend)
{ return kmh_ustr_put(KMH_SS_CAT | KMH_SS_N, DestinationString, pszSrc, kmh_ss_cch(cbToAppend, 2), NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCbCatStringNEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
    size_t cbToAppend, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ustr_put(KMH_SS_CAT | KMH_SS_N, DestinationString, pszSrc, kmh_ss_cch(cbToAppend, 2), RemainingString, dwFlags); }

KMH_NTSTRSAFE RtlUnicodeStringCopy(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{ return kmh_ss_ustr(0, DestinationString, SourceString, KMH_SS_ALL, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCopyEx(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
    PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ss_ustr(0, DestinationString, SourceString, KMH_SS_ALL, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCchCopyN(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString, size_t cchToCopy)
{ return kmh_ss_ustr(0, DestinationString, SourceString, cchToCopy, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCchCopyNEx(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
    size_t cchToCopy, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ss_ustr(0, DestinationString, SourceString, cchToCopy, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCbCopyN(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString, size_t cbToCopy)
{ return kmh_ss_ustr(0, DestinationString, SourceString, kmh_ss_cch(cbToCopy, 2), NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCbCopyNEx(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
    size_t cbToCopy, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ss_ustr(0, DestinationString, SourceString, kmh_ss_cch(cbToCopy, 2), RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCat(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{ return kmh_ss_ustr(KMH_SS_CAT, DestinationString, SourceString, KMH_SS_ALL, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCatEx(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
    PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ss_ustr(KMH_SS_CAT, DestinationString, SourceString, KMH_SS_ALL, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCchCatN(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString, size_t cchToAppend)
{ return kmh_ss_ustr(KMH_SS_CAT, DestinationString, SourceString, cchToAppend, NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCchCatNEx(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
    size_t cchToAppend, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ss_ustr(KMH_SS_CAT, DestinationString, SourceString, cchToAppend, RemainingString, dwFlags); }
KMH_NTSTRSAFE RtlUnicodeStringCbCatN(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString, size_t cbToAppend)
{ return kmh_ss_ustr(KMH_SS_CAT, DestinationString, SourceString, kmh_ss_cch(cbToAppend, 2), NULL, 0); }
KMH_NTSTRSAFE RtlUnicodeStringCbCatNEx(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
    size_t cbToAppend, PUNICODE_STRING RemainingString, DWORD dwFlags)
{ return kmh_ss_ustr(KMH_SS_CAT, DestinationString, SourceString, kmh_ss_cch(cbToAppend, 2), RemainingString, dwFlags); }

KMH_NTSTRSAFE RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{ return kmh_ustr_vprintf(DestinationString, NULL, 0, pszFormat, argList); }
KMH_NTSTRSAFE RtlUnicodeStringVPrintfEx(PUNICODE_STRING DestinationString, PUNICODE_STRING RemainingString,
    DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{ return kmh_ustr_vprintf(DestinationString, RemainingString, dwFlags, pszFormat, argList); }
KMH_NTSTRSAFE RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = kmh_ustr_vprintf(DestinationString, NULL, 0, pszFormat, ap); va_end(ap); return s; }
KMH_NTSTRSAFE RtlUnicodeStringPrintfEx(PUNICODE_STRING DestinationString, PUNICODE_STRING RemainingString,
    DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); NTSTATUS s = kmh_ustr_vprintf(DestinationString, RemainingString, dwFlags, pszFormat, ap); va_end(ap); return s; }

/* Copies a UNICODE_STRING into a NUL-terminated buffer. */
KMH_NTSTRSAFE RtlStringCchCopyUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cchDest, PCUNICODE_STRING SourceString,
    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{
    PCWSTR text;
    size_t cch;
    NTSTATUS s = kmh_ss_ustr_src(SourceString, KMH_SS_ALL, dwFlags, &text, &cch);
    return NT_SUCCESS(s) ? kmh_ss_w(KMH_SS_COUNTED, pszDest, cchDest, text, cch, ppszDestEnd, pcchRemaining, 1, 0, dwFlags) : s;
}
KMH_NTSTRSAFE RtlStringCchCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cchDest, PCUNICODE_STRING SourceString)
{ return RtlStringCchCopyUnicodeStringEx(pszDest, cchDest, SourceString, NULL, NULL, 0); }
KMH_NTSTRSAFE RtlStringCbCopyUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cbDest, PCUNICODE_STRING SourceString,
    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{
    PCWSTR text;
    size_t cch;
    NTSTATUS s = kmh_ss_ustr_src(SourceString, KMH_SS_ALL, dwFlags, &text, &cch);
    return NT_SUCCESS(s) ? kmh_ss_w(KMH_SS_COUNTED, pszDest, kmh_ss_cch(cbDest, 2), text, cch, ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags) : s;
}
KMH_NTSTRSAFE RtlStringCbCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cbDest, PCUNICODE_STRING SourceString)
{ return RtlStringCbCopyUnicodeStringEx(pszDest, cbDest, SourceString, NULL, NULL, 0); }
#endif /* NTSTRSAFE_NO_UNICODE_STRING_FUNCTIONS */

#ifdef __cplusplus
}
#endif

#endif /* _NTSTRSAFE_H_INCLUDED_ */
