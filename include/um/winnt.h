/*
 * <winnt.h>: what Windows' winnt.h adds for programs on top of the base
 * types shared with drivers (ntdef.h): generic text (TCHAR, TEXT), the
 * status codes winnt.h itself defines, memory macros, heap flags and
 * language IDs. Part of <windows.h>.
 *
 * A kmhost source may include this and <wdm.h> in either order: every name
 * both define is defined here with the very same tokens, or only when the
 * kernel header has not defined it.
 */
#ifndef _WINNT_
#define _WINNT_

#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <ntdef.h>
#include <minwindef.h>

EXTERN_C_START

/* --- Generic text ------------------------------------------------------ */
#ifdef UNICODE
#ifndef _TCHAR_DEFINED
#define _TCHAR_DEFINED
typedef WCHAR TCHAR, *PTCHAR;
typedef WCHAR TBYTE, *PTBYTE;
#endif
typedef LPWCH LPTCH, PTCH;
typedef LPWSTR PTSTR, LPTSTR;
typedef LPCWSTR PCTSTR, LPCTSTR;
#define __TEXT(quote) L##quote
#else
#ifndef _TCHAR_DEFINED
#define _TCHAR_DEFINED
typedef char TCHAR, *PTCHAR;
typedef unsigned char TBYTE, *PTBYTE;
#endif
typedef LPCH LPTCH, PTCH;
typedef LPSTR PTSTR, LPTSTR;
typedef LPCSTR PCTSTR, LPCTSTR;
#define __TEXT(quote) quote
#endif
#define TEXT(quote) __TEXT(quote)

typedef void *PVOID64;
typedef LONG SCODE;
typedef DWORD LCTYPE;

/* --- Status codes winnt.h defines (as ntstatus.h spells them) ------------ */
#ifndef WIN32_NO_STATUS
#define STATUS_WAIT_0                                        ((NTSTATUS)0x00000000L)
#define STATUS_ABANDONED_WAIT_0                              ((NTSTATUS)0x00000080L)
#define STATUS_USER_APC                                      ((NTSTATUS)0x000000C0L)
#define STATUS_TIMEOUT                                       ((NTSTATUS)0x00000102L)
#define STATUS_PENDING                                       ((NTSTATUS)0x00000103L)
#define STATUS_ACCESS_VIOLATION                              ((NTSTATUS)0xC0000005L)
#define STATUS_INVALID_HANDLE                                ((NTSTATUS)0xC0000008L)
#define STATUS_INVALID_PARAMETER                             ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY                                     ((NTSTATUS)0xC0000017L)
#define STATUS_CONTROL_C_EXIT                                ((NTSTATUS)0xC000013AL)
#endif

/* --- Memory ------------------------------------------------------------- */
#ifndef RtlEqualMemory
#define RtlEqualMemory(Destination, Source, Length) (!memcmp((Destination), (Source), (Length)))
#endif
#ifndef RtlMoveMemory
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#endif
#ifndef RtlCopyMemory
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#endif
#ifndef RtlFillMemory
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#endif
#ifndef RtlZeroMemory
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#endif
#define MoveMemory RtlMoveMemory
#define CopyMemory RtlCopyMemory
#define FillMemory RtlFillMemory
#define ZeroMemory RtlZeroMemory
#define EqualMemory RtlEqualMemory
/* Never optimised away: the volatile stores must happen. Spelled as wdm.h
 * spells it; inside kmhost (which includes wdm.h too) wdm.h's serves. */
#if !defined(RtlSecureZeroMemory) && !defined(KMHOST_BUILDING)
static inline PVOID kmh_secure_zero(PVOID ptr, SIZE_T cnt)
{
    volatile char *p = (volatile char *)ptr;
    while (cnt--)
        *p++ = 0;
    return ptr;
}
#define RtlSecureZeroMemory(Destination, Length) kmh_secure_zero((Destination), (Length))
#endif
#define SecureZeroMemory RtlSecureZeroMemory

/* --- Heaps ---------------------------------------------------------------- */
#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GROWABLE 0x00000002
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY 0x00000010
#define HEAP_CREATE_ENABLE_EXECUTE 0x00040000

/* --- Waits ------------------------------------------------------------------ */
#define MAXIMUM_WAIT_OBJECTS 64
#define MAXIMUM_SUSPEND_COUNT MAXCHAR

/* --- Duplicating handles ------------------------------------------------------ */
#ifndef DUPLICATE_CLOSE_SOURCE
#define DUPLICATE_CLOSE_SOURCE 0x00000001
#endif
#ifndef DUPLICATE_SAME_ACCESS
#define DUPLICATE_SAME_ACCESS 0x00000002
#endif

/* --- Language IDs (FormatMessage) ---------------------------------------------- */
#define LANG_NEUTRAL 0x00
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(lgid) ((WORD)(lgid) & 0x3ff)
#define SUBLANGID(lgid) ((WORD)(lgid) >> 10)
#define LANG_SYSTEM_DEFAULT (MAKELANGID(LANG_NEUTRAL, SUBLANG_SYS_DEFAULT))
#define LANG_USER_DEFAULT (MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT))

EXTERN_C_END

#endif /* _WINNT_ */
