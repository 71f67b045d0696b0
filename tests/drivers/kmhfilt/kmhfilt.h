/*
 * kmhfilt, the WDM upper filter of tests/test-pnp-filter.c: its service
 * name and the one IOCTL it answers itself instead of passing down.
 */
#ifndef KMHFILT_H
#define KMHFILT_H

#include <devioctl.h>

#define KMHFILT_SERVICE "kmhfilt"
/* Out: ULONG, how many IOCTLs the filter has passed down on this device. */
#define IOCTL_KMHFILT_COUNT CTL_CODE(0x8A54, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)

#endif /* KMHFILT_H */
