/*
 * <windows.h> for the user-mode test programs of Windows drivers: the Win32
 * base types (shared with drivers through ntdef.h), errors, files and
 * device I/O, synchronisation, threads, heaps and the service control
 * manager, implemented by libkmhost's in-process client (src/client).
 * <setupapi.h> and <cfgmgr32.h> are separate, as on Windows; CTL_CODE and
 * the METHOD_ and FILE_*_ACCESS names come along (unless
 * WIN32_LEAN_AND_MEAN), as Windows' windows.h brings winioctl.h in through
 * winscard.h, and programs rely on it.
 *
 * Build programs with -fshort-wchar (WCHAR and L"..." are 16-bit) and
 * define UNICODE for the W forms of the generic names (CreateFile...).
 */
#ifndef _WINDOWS_
#define _WINDOWS_

#include <sal.h>
#include <ntdef.h>
#include <minwindef.h>
#include <winnt.h>
#include <winerror.h>
#include <winbase.h>
#include <winsvc.h>
#ifndef WIN32_LEAN_AND_MEAN
#include <winioctl.h>
#endif

#endif /* _WINDOWS_ */
