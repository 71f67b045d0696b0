/*
 * <tchar.h>: generic-text names that become the wide functions when
 * _UNICODE is defined and the narrow ones otherwise, as in Microsoft's
 * CRT. The wide ones are kmhost's 16-bit functions (kmh/um_crt.h).
 * A program whose _tmain becomes wmain under _UNICODE needs its own main.
 */
#ifndef _INC_TCHAR
#define _INC_TCHAR

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <ctype.h>

#ifdef _UNICODE
typedef wchar_t _TCHAR, _TSCHAR, _TUCHAR, _TXCHAR;
typedef wint_t _TINT;
#define __T(x) L##x
#define _TEOF WEOF
#define _tmain wmain
#define _tprintf wprintf
#define _ftprintf fwprintf
#define _stprintf _swprintf
#define _sntprintf _snwprintf
#define _vtprintf vwprintf
#define _vftprintf vfwprintf
#define _vstprintf _vswprintf
#define _vsntprintf _vsnwprintf
#define _stprintf_s swprintf_s
#define _tprintf_s wprintf_s
#define _fputts fputws
#define _puttchar putwchar
#define _putts _putws
#define _tcslen wcslen
#define _tcsnlen wcsnlen
#define _tcscpy wcscpy
#define _tcsncpy wcsncpy
#define _tcscat wcscat
#define _tcsncat wcsncat
#define _tcscmp wcscmp
#define _tcsncmp wcsncmp
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tcspbrk wcspbrk
#define _tcsspn wcsspn
#define _tcscspn wcscspn
#define _tcsdup _wcsdup
#define _tcsupr _wcsupr
#define _tcslwr _wcslwr
#define _tcscpy_s wcscpy_s
#define _tcsncpy_s wcsncpy_s
#define _tcscat_s wcscat_s
#define _tcsncat_s wcsncat_s
#define _tcstol wcstol
#define _tcstoul wcstoul
#define _tcstoi64 _wcstoi64
#define _tcstod wcstod
#define _ttoi _wtoi
#define _ttol _wtol
#define _ttoi64 _wtoi64
#define _tstoi _wtoi
#define _itot _itow
#define _ltot _ltow
#define _ultot _ultow
#define _totupper towupper
#define _totlower towlower
#define _istdigit iswdigit
#define _istspace iswspace
#define _istalpha iswalpha
#else
typedef char _TCHAR, _TSCHAR;
typedef unsigned char _TUCHAR, _TXCHAR;
typedef int _TINT;
#define __T(x) x
#define _TEOF EOF
#define _tmain main
#define _tprintf printf
#define _ftprintf fprintf
#define _stprintf sprintf
#define _sntprintf _snprintf
#define _vtprintf vprintf
#define _vftprintf vfprintf
#define _vstprintf vsprintf
#define _vsntprintf _vsnprintf
#define _stprintf_s sprintf_s
#define _tprintf_s printf_s
#define _fputts fputs
#define _puttchar putchar
#define _putts puts
#define _tcslen strlen
#define _tcsnlen strnlen
#define _tcscpy strcpy
#define _tcsncpy strncpy
#define _tcscat strcat
#define _tcsncat strncat
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcspbrk strpbrk
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcsdup _strdup
#define _tcsupr _strupr
#define _tcslwr _strlwr
#define _tcscpy_s strcpy_s
#define _tcsncpy_s strncpy_s
#define _tcscat_s strcat_s
#define _tcsncat_s strncat_s
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstoi64 _strtoi64
#define _tcstod strtod
#define _ttoi atoi
#define _ttol atol
#define _ttoi64 _atoi64
#define _tstoi atoi
#define _itot _itoa
#define _ltot _ltoa
#define _ultot _ultoa
#define _totupper toupper
#define _totlower tolower
#define _istdigit isdigit
#define _istspace isspace
#define _istalpha isalpha
#endif

#define _T(x) __T(x)
#define _TEXT(x) __T(x)

#ifndef _TCHAR_DEFINED
#define _TCHAR_DEFINED
typedef _TCHAR TCHAR, *PTCHAR;
typedef _TUCHAR TBYTE, *PTBYTE;
#endif

#endif /* _INC_TCHAR */
