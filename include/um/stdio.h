/*
 * <stdio.h> for Windows programs: glibc's, then the Microsoft CRT's
 * additions and Windows printf semantics (see kmh/um_crt.h). In C++ the
 * narrow printf family glibc declares is given other names, so that
 * kmh/um_crt.h can declare the real names without a conflict and
 * <cstdio>'s `using ::printf;` picks kmhost's.
 */
#pragma GCC system_header
#if defined(__cplusplus) && !defined(KMHOST_BUILDING)
#define printf __kmh_glibc_printf
#define vprintf __kmh_glibc_vprintf
#define fprintf __kmh_glibc_fprintf
#define vfprintf __kmh_glibc_vfprintf
#define sprintf __kmh_glibc_sprintf
#define vsprintf __kmh_glibc_vsprintf
#define snprintf __kmh_glibc_snprintf
#define vsnprintf __kmh_glibc_vsnprintf
#define sscanf __kmh_glibc_sscanf
#endif
#include_next <stdio.h>
#if defined(__cplusplus) && !defined(KMHOST_BUILDING)
#undef printf
#undef vprintf
#undef fprintf
#undef vfprintf
#undef sprintf
#undef vsprintf
#undef snprintf
#undef vsnprintf
#undef sscanf
#endif
#include <kmh/um_crt.h>
