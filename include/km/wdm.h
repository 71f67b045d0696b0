/*
 * wdm.h: the Windows Driver Model interface drivers compile against. The
 * declarations are split into parts under kmh/ by subsystem; this file
 * includes them in dependency order. Every DDI declared here either exists
 * in libkmhost or is reported by name when a driver that imports it loads.
 */
#ifndef _WDMDDK_
#define _WDMDDK_

#ifndef _KERNEL_MODE
#define _KERNEL_MODE 1
#endif
#ifndef NTDDI_VERSION
#define NTDDI_VERSION 0x0A000010
#endif
#ifndef DBG
#define DBG 0
#endif

#include <ntdef.h>
#include <ntstatus.h>
#include <devioctl.h>
#include <devpropdef.h>
#include <string.h>

#define NTDDI_WIN2K 0x05000000
#define NTDDI_WINXP 0x05010000
#define NTDDI_WS03 0x05020000
#define NTDDI_VISTA 0x06000000
#define NTDDI_WS08 0x06000100
#define NTDDI_WIN7 0x06010000
#define NTDDI_WIN8 0x06020000
#define NTDDI_WINBLUE 0x06030000
#define NTDDI_WIN10 0x0A000000
#define NTDDI_WIN10_RS1 0x0A000002
#define NTDDI_WIN10_RS2 0x0A000003
#define NTDDI_WIN10_RS3 0x0A000004
#define NTDDI_WIN10_RS4 0x0A000005
#define NTDDI_WIN10_RS5 0x0A000006
#define NTDDI_WIN10_19H1 0x0A000007
#define NTDDI_WIN10_VB 0x0A000008
#define NTDDI_WIN10_MN 0x0A000009
#define NTDDI_WIN10_FE 0x0A00000A
#define NTDDI_WIN10_CO 0x0A00000B
#define NTDDI_WIN10_NI 0x0A00000C
#define NTDDI_WIN10_CU 0x0A00000D
#define NTDDI_WIN11_ZN 0x0A00000E
#define NTDDI_WIN11_GA 0x0A00000F
#define NTDDI_WIN11_GE 0x0A000010
#define WDM_MAJORVERSION 0x06
#define WDM_MINORVERSION 0x30

EXTERN_C_START

#include <kmh/ke.h>
#include <kmh/seh.h>
#include <kmh/rtl.h>
#if __has_include(<kmh/rtl_string.h>)
#include <kmh/rtl_string.h>
#endif
#if __has_include(<kmh/crt.h>)
#include <kmh/crt.h>
#endif
#include <kmh/ex.h>
#include <kmh/iotypes.h>
#include <kmh/pnptypes.h>
#include <kmh/irp.h>
#include <kmh/mm.h>
#include <kmh/ob.h>
#include <kmh/io.h>
#include <kmh/hal.h>

/* Every driver's entry point, exported from its image whatever the build's
 * default visibility, so the loader (or the KMDF stub) can find it. */
__attribute__((visibility("default"))) NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

EXTERN_C_END

#endif /* _WDMDDK_ */
