/*
 * kmhrace, the legacy driver of tests/test-io-cancel-race.c: its names and
 * I/O controls, shared by the driver and the test.
 */
#ifndef KMHRACE_H
#define KMHRACE_H

#include <devioctl.h>

#define KMHRACE_SERVICE "kmhrace"
#define KMHRACE_DEVICE_NAME L"\\Device\\KmhRace"
#define KMHRACE_LINK_NAME L"\\DosDevices\\KmhRace"
#define KMHRACE_WIN32_NAME "\\\\.\\KmhRace"

/* In: LONG due time (KeSetTimer units, <= 0: relative). Pends, cancelable,
 * until a timer DPC completes it with STATUS_SUCCESS. One at a time per
 * device (a second fails with STATUS_DEVICE_BUSY). */
#define IOCTL_KMHRACE_PEND CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* The same, but a system thread of the driver completes it (at
 * PASSIVE_LEVEL) as soon as it wakes; the input is ignored. */
#define IOCTL_KMHRACE_PEND_THREAD CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Out: KMHRACE_COUNTS. */
#define IOCTL_KMHRACE_COUNTS CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _KMHRACE_COUNTS {
    LONG Pended;      /* PEND requests the driver took */
    LONG Completed;   /* completed by the DPC with STATUS_SUCCESS */
    LONG Cancelled;   /* completed by the cancel routine or at dispatch */
} KMHRACE_COUNTS;

#endif /* KMHRACE_H */
