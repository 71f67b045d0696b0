/*
 * <string.h> for Windows programs and for libkmhost itself: glibc's, then the
 * Microsoft CRT names bound to kmhost's implementations (kmh/um_crt.h).
 */
#pragma GCC system_header
#include_next <string.h>
#include <kmh/um_crt.h>
