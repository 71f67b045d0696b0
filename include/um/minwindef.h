/*
 * <minwindef.h>: the Win32 base types that ntdef.h (shared with drivers)
 * does not already give: MAX_PATH, module and window handles, FILETIME,
 * message parameters. Part of <windows.h>; a program may include it alone.
 */
#ifndef _MINWINDEF_
#define _MINWINDEF_

#include <ntdef.h>

EXTERN_C_START

#ifndef MAX_PATH
#define MAX_PATH 260
#endif

#define FAR
#define NEAR
#define far
#define near
#define PASCAL
#define WINAPI_INLINE WINAPI
#ifndef CONST
#define CONST const
#endif

typedef UINT_PTR WPARAM;
typedef LONG_PTR LPARAM;
typedef LONG_PTR LRESULT;
typedef WORD ATOM;
typedef DWORD COLORREF, *LPCOLORREF;
typedef HANDLE HGLOBAL, HLOCAL, GLOBALHANDLE, LOCALHANDLE;
typedef HANDLE *LPHANDLE;
typedef LONG *LPLONG;

DECLARE_HANDLE(HWND);
DECLARE_HANDLE(HINSTANCE);
DECLARE_HANDLE(HKEY);
DECLARE_HANDLE(HICON);
DECLARE_HANDLE(HMENU);
DECLARE_HANDLE(HDC);
typedef HINSTANCE HMODULE;
typedef HKEY *PHKEY;

typedef INT_PTR(WINAPI *FARPROC)(void);
typedef INT_PTR(WINAPI *NEARPROC)(void);
typedef INT_PTR(WINAPI *PROC)(void);

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

#define MAKEWPARAM(l, h) ((WPARAM)(DWORD)MAKELONG(l, h))
#define MAKELPARAM(l, h) ((LPARAM)(DWORD)MAKELONG(l, h))
#define MAKELRESULT(l, h) ((LRESULT)(DWORD)MAKELONG(l, h))

EXTERN_C_END

#endif /* _MINWINDEF_ */
