/*
 * <wtypes.h>: on Windows, the base types of the COM world. Driver test
 * programs include it (with <basetyps.h>) for the Win32 base types, which
 * is all it gives here.
 */
#ifndef __wtypes_h__
#define __wtypes_h__

#include <windows.h>

#endif /* __wtypes_h__ */
