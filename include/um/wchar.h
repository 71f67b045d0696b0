/*
 * <wchar.h> for Windows programs and for libkmhost itself: glibc's, with
 * every wide function bound to kmhost's 16-bit implementation (see
 * kmh/um_crt.h). In C++ glibc declares const/non-const overload pairs of
 * a few search functions; those are given other names here, and the one
 * C declaration kmhost makes serves both.
 */
#pragma GCC system_header
#ifdef __cplusplus
#define wcschr __kmh_glibc_wcschr
#define wcsrchr __kmh_glibc_wcsrchr
#define wcsstr __kmh_glibc_wcsstr
#define wcspbrk __kmh_glibc_wcspbrk
#define wmemchr __kmh_glibc_wmemchr
#endif
#include_next <wchar.h>
#ifdef __cplusplus
#undef wcschr
#undef wcsrchr
#undef wcsstr
#undef wcspbrk
#undef wmemchr
#endif
#include <kmh/um_crt.h>
