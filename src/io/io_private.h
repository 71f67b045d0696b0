/*
 * Shared by the files of src/io only: the I/O manager's lock, object
 * procedures and the per-IRP bookkeeping.
 */
#ifndef KMHOST_IO_PRIVATE_H
#define KMHOST_IO_PRIVATE_H

#include "io/io.h"
#include <pthread.h>
#include <stdatomic.h>

/* Guards device lists, stack attachment and driver device lists. Never
 * held while calling into a driver. */
extern pthread_mutex_t io_lock;

void io_driver_delete_body(void *body);
void io_device_delete_body(void *body);
void io_file_last_handle_closed(void *body);
void io_file_delete_body(void *body);
/* The driver lost a device; runs the loader's hook when none are left. */
void io_driver_device_removed(struct io_driver *driver);

struct _DEVOBJ_EXTENSION {
    CSHORT Type;
    USHORT Size;
    PDEVICE_OBJECT DeviceObject;
};

/* Private IRP state, in front of every IRP the I/O manager allocates. */
struct __attribute__((aligned(16))) io_irp_private {
    uint32_t magic;
    uint8_t origin;          /* enum io_irp_origin */
    uint8_t cached;          /* came from (and returns to) the IRP cache */
    uint8_t completed;       /* IoCompleteRequest ran to the I/O manager's end */
    uint8_t dispatch_pending; /* the first dispatch returned STATUS_PENDING */
    _Atomic int refs;        /* request IRPs: the requester and the completion */
    uint16_t alloc_size;     /* stack size it was allocated for */
    void (*on_complete)(void *ctx, NTSTATUS status, ULONG_PTR information);
    void *ctx;               /* IO_IRP_REQUEST: copied from the request */
    struct io_file *file;
    LIST_ENTRY file_link;    /* on the file's outstanding list */
    PETHREAD thread;
    void *inline_buffer;     /* small system buffers live in the allocation */
    uint32_t inline_size;
    uint32_t out_length;     /* buffered output: at most this much is copied back */
    /* Request IRPs: 0 running, 1 completed, 2 a waiter sleeps on
     * waiter_event, 3 the requester returned STATUS_PENDING and expects
     * on_complete. Completion swaps in 1 and acts on what it replaced. */
    _Atomic int wait_state;
    PKEVENT waiter_event;
    NTSTATUS final_status;
    ULONG_PTR final_information;
};
#define IO_IRP_MAGIC 0x50524949u /* "IIRP" */

static inline struct io_irp_private *io_irp_private(PIRP irp)
{
    return (struct io_irp_private *)irp - 1;
}

void io_irp_free(PIRP irp);
void io_irp_unref(PIRP irp);

#endif /* KMHOST_IO_PRIVATE_H */
