/*
 * The client tests' legacy driver (kmhct.c): its names and I/O controls,
 * shared by the driver and tests/test-client-*.c.
 */
#ifndef KMHCT_H
#define KMHCT_H

#include <devioctl.h>

#define KMHCT_SERVICE "kmhct"
#define KMHCT_DEVICE_NAME L"\\Device\\KmhClientTest"
#define KMHCT_LINK_NAME L"\\DosDevices\\KmhClientTest"
#define KMHCT_WIN32_NAME "\\\\.\\KmhClientTest"
#define KMHCT_STORE_MAX 256

/* Copies min(in, out) bytes of the input to the output. */
#define IOCTL_KMHCT_ECHO CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Fills the output with 0xAB and completes with STATUS_BUFFER_OVERFLOW. */
#define IOCTL_KMHCT_OVERFLOW CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Completes with the NTSTATUS the input ULONG holds. */
#define IOCTL_KMHCT_FAIL CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* METHOD_NEITHER: writes the sum of the input bytes as a ULONG to the
 * output, probing both user buffers. */
#define IOCTL_KMHCT_NEITHER CTL_CODE(FILE_DEVICE_UNKNOWN, 0x803, METHOD_NEITHER, FILE_ANY_ACCESS)
/* The input is an event HANDLE the driver references by handle and sets. */
#define IOCTL_KMHCT_SET_EVENT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Pends like a read: the next write completes it with its data. */
#define IOCTL_KMHCT_PEND CTL_CODE(FILE_DEVICE_UNKNOWN, 0x805, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Returns a ULONG: how many requests wait. */
#define IOCTL_KMHCT_PENDING_COUNT CTL_CODE(FILE_DEVICE_UNKNOWN, 0x806, METHOD_BUFFERED, FILE_ANY_ACCESS)

#endif /* KMHCT_H */
