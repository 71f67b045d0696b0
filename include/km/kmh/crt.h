/*
 * Part of wdm.h: the C runtime a kernel driver may call (the kernel's own
 * CRT: wcslen, _wcsicmp, swprintf, _snwprintf, RtlString-less formatting,
 * _itoa ...), with 16-bit wchar_t and Windows format semantics, bound to
 * libkmhost (see <kmh/crt_common.h> for how). Include <wdm.h>, not this.
 * Never includes glibc's <wchar.h>; a driver may include <string.h> and
 * <stdlib.h> before or after.
 *
 * The kernel's swprintf and vswprintf are the legacy ones without a count
 * (ntoskrnl exports those), unless <wchar.h> was included first. sprintf, vsprintf, snprintf and vsnprintf are
 * macros for kmhost's versions: GCC would otherwise treat them as
 * builtins with glibc's format rules. A driver that includes glibc's
 * <stdio.h> after this gets glibc's format checking on snprintf.
 */
#ifndef _KMH_CRT_H
#define _KMH_CRT_H

#include <kmh/crt_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The legacy form, unless glibc's <wchar.h> came first and declared the
 * ISO one, which is then bound to kmhost instead. (<wchar.h> after
 * <wdm.h> would clash with the legacy form: a driver that wants it must
 * include it first.) Inside libkmhost, which calls kmh_ names, neither. */
#if defined(_WCHAR_H)
int swprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...) KMH_CRT(swprintf);
int vswprintf(wchar_t *buf, size_t n, const wchar_t *fmt, va_list ap) KMH_CRT(vswprintf);
#elif !defined(KMHOST_BUILDING)
int swprintf(wchar_t *buf, const wchar_t *fmt, ...) KMH_CRT(_swprintf);
int vswprintf(wchar_t *buf, const wchar_t *fmt, va_list ap) KMH_CRT(_vswprintf);
#endif

#ifdef __cplusplus
}
#endif

/* Inside libkmhost the narrow names stay glibc's: its own code formats
 * with Linux types (%zu, %ld of a 64-bit long). */
#ifndef KMHOST_BUILDING
#undef sprintf
#undef vsprintf
#undef snprintf
#undef vsnprintf
#define sprintf kmh_sprintf
#define vsprintf kmh_vsprintf
#define snprintf kmh_snprintf
#define vsnprintf kmh_vsnprintf
#endif

#endif /* _KMH_CRT_H */
