/*
 * The toaster filter's own IOCTL: the counts of what it has seen. Every
 * other request passes through it to the toaster.
 */
#ifndef KMHOST_EXAMPLE_FILTER_PUBLIC_H
#define KMHOST_EXAMPLE_FILTER_PUBLIC_H

#define FILE_DEVICE_KMH_FILTER 0x8a55
#define IOCTL_KMH_FILTER_GET_COUNTS CTL_CODE(FILE_DEVICE_KMH_FILTER, 0x900, METHOD_BUFFERED, FILE_READ_ACCESS)

typedef struct _KMH_FILTER_COUNTS {
    ULONG Forwarded;   /* IOCTLs sent down to the toaster */
    ULONG Completed;   /* of those, completed back through the filter */
    ULONG Failed;      /* of those, completed with an error status */
} KMH_FILTER_COUNTS;

#endif
