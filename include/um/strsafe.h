/*
 * strsafe.h: the user-mode safe string functions (StringCch*, StringCb*),
 * inline over the same libkmhost engine as the kernel's ntstrsafe.h, with
 * results as HRESULTs: S_OK, STRSAFE_E_INSUFFICIENT_BUFFER (the text was
 * cut), STRSAFE_E_INVALID_PARAMETER, STRSAFE_E_END_OF_FILE (the Gets
 * functions). The unsuffixed names follow UNICODE, as Windows' do.
 * STRSAFE_LIB and STRSAFE_NO_DEPRECATE are accepted and change nothing.
 */
#ifndef _STRSAFE_H_INCLUDED_
#define _STRSAFE_H_INCLUDED_

#include <ntdef.h>
#include <winerror.h>
#include <stdarg.h>
#include <kmh/strsafe_core.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STRSAFE_MAX_CCH 2147483647
#define STRSAFE_MAX_LENGTH (STRSAFE_MAX_CCH - 1)
#ifndef STRSAFE_E_INSUFFICIENT_BUFFER
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026L)
#endif

typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef wchar_t *STRSAFE_LPWSTR;
typedef const wchar_t *STRSAFE_LPCWSTR;
typedef const wchar_t UNALIGNED *STRSAFE_LPCUWSTR;
typedef const char *STRSAFE_PCNZCH;
typedef const wchar_t *STRSAFE_PCNZWCH;
typedef const wchar_t UNALIGNED *STRSAFE_PCUNZWCH;

/* The engine's NTSTATUS as the HRESULT strsafe.h documents. */
static inline HRESULT kmh_ss_hr(int status)
{
    switch (status) {
    case KMH_SS_SUCCESS: return S_OK;
    case KMH_SS_OVERFLOW: return STRSAFE_E_INSUFFICIENT_BUFFER;
    case KMH_SS_END_OF_FILE: return STRSAFE_E_END_OF_FILE;
    default: return STRSAFE_E_INVALID_PARAMETER;
    }
}

/* Gets: a line from stdin, without its newline. */
static inline int kmh_ss_gets(unsigned unit, void *d, size_t cch, void **end, size_t *rem,
    size_t scale, size_t extra, unsigned flags)
{
    void *e = NULL;
    size_t r = 0;
    int st = kmh_strsafe_gets(unit, d, cch, &e, &r, flags);
    if (kmh_ss_reported(st) && end)
        *end = e;
    if (kmh_ss_reported(st) && rem)
        *rem = r * scale + extra;
    return st;
}

#define KMH_STRSAFE static inline HRESULT

KMH_STRSAFE StringCchCopyW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_w(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCopyA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_a(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCopyExW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchCopyExA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(0, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchCopyNW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToCopy)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCopyNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToCopy)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCopyNExW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToCopy,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchCopyNExA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToCopy,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_N, pszDest, cchDest, pszSrc, cchToCopy, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchCatW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCatA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCatExW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchCatExA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT, pszDest, cchDest, pszSrc, KMH_SS_ALL, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchCatNW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToAppend)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCatNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToAppend)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCchCatNExW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToAppend,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchCatNExA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToAppend,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcchRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, cchDest, pszSrc, cchToAppend, ppszDestEnd, pcchRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCchVPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_vw(pszDest, cchDest, NULL, NULL, 1, 0, 0, pszFormat, argList)); }
KMH_STRSAFE StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_va(pszDest, cchDest, NULL, NULL, 1, 0, 0, pszFormat, argList)); }
KMH_STRSAFE StringCchVPrintfExW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPWSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, STRSAFE_LPCWSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_vw(pszDest, cchDest, ppszDestEnd, pcchRemaining, 1, 0, dwFlags, pszFormat, argList)); }
KMH_STRSAFE StringCchVPrintfExA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, STRSAFE_LPCSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_va(pszDest, cchDest, ppszDestEnd, pcchRemaining, 1, 0, dwFlags, pszFormat, argList)); }
KMH_STRSAFE StringCchPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCchVPrintfW(pszDest, cchDest, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCchVPrintfA(pszDest, cchDest, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCchPrintfExW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPWSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, STRSAFE_LPCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCchVPrintfExW(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCchPrintfExA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags, STRSAFE_LPCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCchVPrintfExA(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCchLengthW(STRSAFE_PCNZWCH psz, size_t cchMax, size_t *pcchLength)
{ return kmh_ss_hr(kmh_ss_len(2, psz, cchMax, pcchLength, 1)); }
KMH_STRSAFE StringCchLengthA(STRSAFE_PCNZCH psz, size_t cchMax, size_t *pcchLength)
{ return kmh_ss_hr(kmh_ss_len(1, psz, cchMax, pcchLength, 1)); }
KMH_STRSAFE StringCchGetsExW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPWSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags)
{
    void *e = NULL;
    HRESULT h = kmh_ss_hr(kmh_ss_gets(2, pszDest, cchDest, ppszDestEnd ? &e : NULL, pcchRemaining, 1, 0, dwFlags));
    if (ppszDestEnd && e)
        *ppszDestEnd = KMH_SS_CAST(STRSAFE_LPWSTR, e);
    return h;
}
KMH_STRSAFE StringCchGetsExA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPSTR *ppszDestEnd,
    size_t *pcchRemaining, DWORD dwFlags)
{
    void *e = NULL;
    HRESULT h = kmh_ss_hr(kmh_ss_gets(1, pszDest, cchDest, ppszDestEnd ? &e : NULL, pcchRemaining, 1, 0, dwFlags));
    if (ppszDestEnd && e)
        *ppszDestEnd = KMH_SS_CAST(STRSAFE_LPSTR, e);
    return h;
}
KMH_STRSAFE StringCchGetsW(STRSAFE_LPWSTR pszDest, size_t cchDest)
{ return StringCchGetsExW(pszDest, cchDest, NULL, NULL, 0); }
KMH_STRSAFE StringCchGetsA(STRSAFE_LPSTR pszDest, size_t cchDest)
{ return StringCchGetsExA(pszDest, cchDest, NULL, NULL, 0); }

KMH_STRSAFE StringCbCopyW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_w(0, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, NULL, NULL, 2, 0, 0)); }
KMH_STRSAFE StringCbCopyA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_a(0, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCbCopyExW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(0, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags)); }
KMH_STRSAFE StringCbCopyExA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(0, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCbCopyNW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToCopy)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToCopy, 2), NULL, NULL, 2, 0, 0)); }
KMH_STRSAFE StringCbCopyNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToCopy)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToCopy, 1), NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCbCopyNExW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToCopy,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToCopy, 2), ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags)); }
KMH_STRSAFE StringCbCopyNExA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToCopy,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToCopy, 1), ppszDestEnd, pcbRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCbCatW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, NULL, NULL, 2, 0, 0)); }
KMH_STRSAFE StringCbCatA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCbCatExW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags)); }
KMH_STRSAFE StringCbCatExA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, KMH_SS_ALL, ppszDestEnd, pcbRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCbCatNW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToAppend)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToAppend, 2), NULL, NULL, 2, 0, 0)); }
KMH_STRSAFE StringCbCatNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToAppend)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToAppend, 1), NULL, NULL, 1, 0, 0)); }
KMH_STRSAFE StringCbCatNExW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToAppend,
    STRSAFE_LPWSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_w(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 2), pszSrc, kmh_ss_cch(cbToAppend, 2), ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags)); }
KMH_STRSAFE StringCbCatNExA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToAppend,
    STRSAFE_LPSTR *ppszDestEnd, size_t *pcbRemaining, DWORD dwFlags)
{ return kmh_ss_hr(kmh_ss_a(KMH_SS_CAT | KMH_SS_N, pszDest, kmh_ss_cch(cbDest, 1), pszSrc, kmh_ss_cch(cbToAppend, 1), ppszDestEnd, pcbRemaining, 1, 0, dwFlags)); }
KMH_STRSAFE StringCbVPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_vw(pszDest, kmh_ss_cch(cbDest, 2), NULL, NULL, 2, 0, 0, pszFormat, argList)); }
KMH_STRSAFE StringCbVPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_va(pszDest, kmh_ss_cch(cbDest, 1), NULL, NULL, 1, 0, 0, pszFormat, argList)); }
KMH_STRSAFE StringCbVPrintfExW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPWSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, STRSAFE_LPCWSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_vw(pszDest, kmh_ss_cch(cbDest, 2), ppszDestEnd, pcbRemaining, 2, cbDest % 2, dwFlags, pszFormat, argList)); }
KMH_STRSAFE StringCbVPrintfExA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, STRSAFE_LPCSTR pszFormat, va_list argList)
{ return kmh_ss_hr(kmh_ss_va(pszDest, kmh_ss_cch(cbDest, 1), ppszDestEnd, pcbRemaining, 1, 0, dwFlags, pszFormat, argList)); }
KMH_STRSAFE StringCbPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCbVPrintfW(pszDest, cbDest, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCbVPrintfA(pszDest, cbDest, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCbPrintfExW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPWSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, STRSAFE_LPCWSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCbVPrintfExW(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCbPrintfExA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags, STRSAFE_LPCSTR pszFormat, ...)
{ va_list ap; va_start(ap, pszFormat); HRESULT h = StringCbVPrintfExA(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags, pszFormat, ap); va_end(ap); return h; }
KMH_STRSAFE StringCbLengthW(STRSAFE_PCNZWCH psz, size_t cbMax, size_t *pcbLength)
{ return kmh_ss_hr(kmh_ss_len(2, psz, kmh_ss_cch(cbMax, 2), pcbLength, 2)); }
KMH_STRSAFE StringCbLengthA(STRSAFE_PCNZCH psz, size_t cbMax, size_t *pcbLength)
{ return kmh_ss_hr(kmh_ss_len(1, psz, kmh_ss_cch(cbMax, 1), pcbLength, 1)); }
KMH_STRSAFE StringCbGetsExW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPWSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags)
{
    void *e = NULL;
    HRESULT h = kmh_ss_hr(kmh_ss_gets(2, pszDest, kmh_ss_cch(cbDest, 2), ppszDestEnd ? &e : NULL, pcbRemaining, 2, cbDest % 2, dwFlags));
    if (ppszDestEnd && e)
        *ppszDestEnd = KMH_SS_CAST(STRSAFE_LPWSTR, e);
    return h;
}
KMH_STRSAFE StringCbGetsExA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPSTR *ppszDestEnd,
    size_t *pcbRemaining, DWORD dwFlags)
{
    void *e = NULL;
    HRESULT h = kmh_ss_hr(kmh_ss_gets(1, pszDest, kmh_ss_cch(cbDest, 1), ppszDestEnd ? &e : NULL, pcbRemaining, 1, 0, dwFlags));
    if (ppszDestEnd && e)
        *ppszDestEnd = KMH_SS_CAST(STRSAFE_LPSTR, e);
    return h;
}
KMH_STRSAFE StringCbGetsW(STRSAFE_LPWSTR pszDest, size_t cbDest)
{ return StringCbGetsExW(pszDest, cbDest, NULL, NULL, 0); }
KMH_STRSAFE StringCbGetsA(STRSAFE_LPSTR pszDest, size_t cbDest)
{ return StringCbGetsExA(pszDest, cbDest, NULL, NULL, 0); }

#ifdef UNICODE
#define StringCchCopy StringCchCopyW
#define StringCchCopyEx StringCchCopyExW
#define StringCchCopyN StringCchCopyNW
#define StringCchCopyNEx StringCchCopyNExW
#define StringCchCat StringCchCatW
#define StringCchCatEx StringCchCatExW
#define StringCchCatN StringCchCatNW
#define StringCchCatNEx StringCchCatNExW
#define StringCchPrintf StringCchPrintfW
#define StringCchPrintfEx StringCchPrintfExW
#define StringCchVPrintf StringCchVPrintfW
#define StringCchVPrintfEx StringCchVPrintfExW
#define StringCchLength StringCchLengthW
#define StringCchGets StringCchGetsW
#define StringCchGetsEx StringCchGetsExW
#define StringCbCopy StringCbCopyW
#define StringCbCopyEx StringCbCopyExW
#define StringCbCopyN StringCbCopyNW
#define StringCbCopyNEx StringCbCopyNExW
#define StringCbCat StringCbCatW
#define StringCbCatEx StringCbCatExW
#define StringCbCatN StringCbCatNW
#define StringCbCatNEx StringCbCatNExW
#define StringCbPrintf StringCbPrintfW
#define StringCbPrintfEx StringCbPrintfExW
#define StringCbVPrintf StringCbVPrintfW
#define StringCbVPrintfEx StringCbVPrintfExW
#define StringCbLength StringCbLengthW
#define StringCbGets StringCbGetsW
#define StringCbGetsEx StringCbGetsExW
#else
#define StringCchCopy StringCchCopyA
#define StringCchCopyEx StringCchCopyExA
#define StringCchCopyN StringCchCopyNA
#define StringCchCopyNEx StringCchCopyNExA
#define StringCchCat StringCchCatA
#define StringCchCatEx StringCchCatExA
#define StringCchCatN StringCchCatNA
#define StringCchCatNEx StringCchCatNExA
#define StringCchPrintf StringCchPrintfA
#define StringCchPrintfEx StringCchPrintfExA
#define StringCchVPrintf StringCchVPrintfA
#define StringCchVPrintfEx StringCchVPrintfExA
#define StringCchLength StringCchLengthA
#define StringCchGets StringCchGetsA
#define StringCchGetsEx StringCchGetsExA
#define StringCbCopy StringCbCopyA
#define StringCbCopyEx StringCbCopyExA
#define StringCbCopyN StringCbCopyNA
#define StringCbCopyNEx StringCbCopyNExA
#define StringCbCat StringCbCatA
#define StringCbCatEx StringCbCatExA
#define StringCbCatN StringCbCatNA
#define StringCbCatNEx StringCbCatNExA
#define StringCbPrintf StringCbPrintfA
#define StringCbPrintfEx StringCbPrintfExA
#define StringCbVPrintf StringCbVPrintfA
#define StringCbVPrintfEx StringCbVPrintfExA
#define StringCbLength StringCbLengthA
#define StringCbGets StringCbGetsA
#define StringCbGetsEx StringCbGetsExA
#endif

#ifdef __cplusplus
}
#endif

#endif /* _STRSAFE_H_INCLUDED_ */
