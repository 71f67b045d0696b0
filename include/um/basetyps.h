/*
 * <basetyps.h>: interface-declaration helpers on Windows; here the Win32
 * base types and GUIDs, which is what driver test programs include it for.
 */
#ifndef _BASETYPS_H_
#define _BASETYPS_H_

#include <windows.h>
#include <guiddef.h>

#endif /* _BASETYPS_H_ */
