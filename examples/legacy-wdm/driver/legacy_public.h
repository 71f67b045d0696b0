/*
 * The legacy example's device name and IOCTLs, shared with its program.
 */
#ifndef LEGACY_PUBLIC_H
#define LEGACY_PUBLIC_H

#define LEGACY_DEVICE_TYPE 0x8A55
#define LEGACY_DOS_NAME "\\\\.\\KmhLegacy"

/* Buffered: in any bytes; out a greeting followed by the input, reversed. */
#define IOCTL_LEGACY_HELLO CTL_CODE(LEGACY_DEVICE_TYPE, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Buffered: in a HANDLE to an event the program made; the driver signals it. */
#define IOCTL_LEGACY_SIGNAL_EVENT CTL_CODE(LEGACY_DEVICE_TYPE, 0x901, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define LEGACY_GREETING "Hello from kernel mode: "

#endif /* LEGACY_PUBLIC_H */
