/*
 * <conio.h>: console keyboard input for Windows programs. On a terminal,
 * keys are read one at a time without waiting for Enter (and without
 * echo for _getch); on a pipe or file they are read from stdin as it
 * comes, and _kbhit reports whether anything (or the end) is there.
 */
#ifndef _INC_CONIO
#define _INC_CONIO

#include <kmh/crt_common.h>

#ifdef __cplusplus
extern "C" {
#endif

int _kbhit(void) __asm__("kmh__kbhit");
int _getch(void) __asm__("kmh__getch");
int _getche(void) __asm__("kmh__getche");
int _putch(int c) __asm__("kmh__putch");
/* The old names, as oldnames.lib provides them. */
int kbhit(void) __asm__("kmh__kbhit");
int getch(void) __asm__("kmh__getch");
int getche(void) __asm__("kmh__getche");
int putch(int c) __asm__("kmh__putch");

#ifdef __cplusplus
}
#endif

#endif /* _INC_CONIO */
