/*
 * Buffer description for requests (buffers.c); src/io only.
 */
#ifndef KMHOST_IO_BUFFERS_H
#define KMHOST_IO_BUFFERS_H

#include "io/io.h"

/* Fill the next stack location's DeviceIoControl parameters and the IRP's
 * buffers for the code's transfer method. Errors: STATUS_ACCESS_VIOLATION
 * (a bad caller buffer), STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS io_buffers_for_ioctl(PIRP irp, ULONG code, void *in, ULONG in_length, void *out, ULONG out_length,
                              KPROCESSOR_MODE mode);
/* The buffer of a read or write, as the top device's DO_BUFFERED_IO /
 * DO_DIRECT_IO flags ask. */
NTSTATUS io_buffers_for_transfer(PIRP irp, PDEVICE_OBJECT top, UCHAR major, void *buffer, ULONG length,
                                 KPROCESSOR_MODE mode);
/* At completion: buffered output back to the caller, then release. */
void io_buffers_copy_back(PIRP irp);
void io_buffers_release(PIRP irp);
void io_mdls_release(PIRP irp);

#endif /* KMHOST_IO_BUFFERS_H */
