/*
 * The I/O manager's internals: the private wrappers around DRIVER_OBJECT,
 * DEVICE_OBJECT, FILE_OBJECT and IRP, the object namespace (\Device,
 * \??, symbolic links), and the request path the client API and the PnP
 * manager use. Included by src/io, src/pnp, src/loader, src/fx, src/client
 * and tests; drivers never see it.
 */
#ifndef KMHOST_IO_H
#define KMHOST_IO_H

#include "nt/nt.h"

/* --- Drivers ------------------------------------------------------------ */
struct io_driver {
    DRIVER_OBJECT object;            /* first: drivers see this */
    DRIVER_EXTENSION extension;
    WCHAR name_buffer[128];          /* \Driver\<service> */
    WCHAR service_buffer[128];
    char service[128];               /* the same, for messages (glibc's %ls wants 32-bit wchar_t) */
    LIST_ENTRY client_extensions;    /* IoAllocateDriverObjectExtension */
    LIST_ENTRY reinit_routines;      /* IoRegisterDriverReinitialization */
    void *loader_image;              /* the loader's record of the loaded file */
    void (*on_last_device_gone)(struct io_driver *driver); /* set by the loader */
    void *_Atomic framework;         /* the KMDF binding's globals (src/fx), or NULL */
};

static inline struct io_driver *io_driver_of(PDRIVER_OBJECT object)
{
    return (struct io_driver *)object;
}

/* A driver object named \Driver\<service>, its MajorFunction table filled
 * with the invalid-request routine, as the I/O manager does before
 * DriverEntry. One reference for the caller. */
int io_driver_new(const WCHAR *service_name, struct io_driver **out);
/* Drops the creator's reference; the object goes when its devices are gone. */
void io_driver_release(struct io_driver *driver);
size_t io_driver_device_count(PDRIVER_OBJECT object);
/* Runs the IoRegisterDriverReinitialization routines queued so far. */
void io_driver_run_reinitialization(PDRIVER_OBJECT object);

/* --- Devices ------------------------------------------------------------ */
struct io_device {
    DEVICE_OBJECT object;            /* first: drivers see this */
    struct _DEVOBJ_EXTENSION *devobj_extension;
    UNICODE_STRING name;             /* \Device\..., or empty */
    WCHAR *name_buffer;
    void *pnp_node;                  /* the PnP manager's devnode when this is a PDO */
    PDEVICE_OBJECT attached_to;      /* the device below in the stack, or NULL */
    bool delete_pending;             /* IoDeleteDevice called while referenced */
    bool shutdown_registered;
    bool start_io_deferred;
    bool start_io_noncancelable;
    PIO_TIMER timer;
    POWER_STATE device_power;        /* PoSetPowerState */
    POWER_STATE system_power;
    ULONG idle_counter;              /* PoRegisterDeviceForIdleDetection */
};

static inline struct io_device *io_device_of(PDEVICE_OBJECT object)
{
    return (struct io_device *)object;
}

/* The top of the stack that object is part of (IoGetAttachedDevice). */
PDEVICE_OBJECT io_device_stack_top(PDEVICE_OBJECT object);

/* --- Files -------------------------------------------------------------- */
struct io_file {
    FILE_OBJECT object;              /* first: drivers see this */
    ACCESS_MASK granted;
    ULONG share_access;
    ULONG create_options;
    bool created;                    /* IRP_MJ_CREATE succeeded */
    bool counted;                    /* holds one of the device's ReferenceCount opens */
    bool synchronous;                /* no FILE_FLAG_OVERLAPPED */
    void *completion_port;           /* the client's IOCP, if associated */
    ULONG_PTR completion_key;
};

static inline struct io_file *io_file_of(PFILE_OBJECT object)
{
    return (struct io_file *)object;
}

struct io_open_params {
    ACCESS_MASK desired_access;
    ULONG share_access;
    ULONG disposition;               /* FILE_OPEN ... */
    ULONG options;                   /* FILE_SYNCHRONOUS_IO_NONALERT ... */
    ULONG attributes;
    KPROCESSOR_MODE mode;            /* UserMode for programs */
};

/* Opens a device by NT path (\Device\X, \??\X, an interface link): sends
 * IRP_MJ_CREATE down the target's stack. On success *out holds a
 * referenced file object. Returns the NTSTATUS of the open. */
NTSTATUS io_open_file(const UNICODE_STRING *path, const struct io_open_params *params, PFILE_OBJECT *out);

/* Sends IRP_MJ_SHUTDOWN to every device registered with
 * IoRegisterShutdownNotification (system shutdown). */
void io_shutdown_notify_all(void);

/* Called when the last file object open on a device goes (the PnP manager
 * finishes a surprise removal then). */
extern void (*io_device_closed_hook)(PDEVICE_OBJECT device);

/* --- Requests ------------------------------------------------------------
 * What the client API and ZwXxxFile send: one request on an open file,
 * buffered, direct or neither as the device and the code say. */
struct io_request {
    UCHAR major;                     /* IRP_MJ_READ / WRITE / DEVICE_CONTROL / INTERNAL... */
    ULONG code;                      /* IOCTL code for device control */
    void *in;
    ULONG in_length;
    void *out;                       /* the read buffer for reads, the write data for writes */
    ULONG out_length;
    LARGE_INTEGER offset;            /* reads and writes; -2 (FILE_USE_FILE_POINTER_POSITION) */
    KPROCESSOR_MODE mode;
    /* Asynchronous completion: called once, in the completing thread, after
     * output buffers are filled; status and information are final. */
    void (*on_complete)(void *ctx, NTSTATUS status, ULONG_PTR information);
    void *ctx;
};

/* Sends the request. Returns STATUS_PENDING when on_complete will report
 * the outcome later; otherwise the final status (on_complete is not called)
 * with *information set. Without on_complete the call waits. */
NTSTATUS io_send_request(PFILE_OBJECT file, const struct io_request *request, ULONG_PTR *information);

/* Cancels every request outstanding on file that the calling thread (or
 * any thread, when all_threads) issued. */
void io_cancel_file_requests(PFILE_OBJECT file, bool all_threads);

/* --- Namespace ------------------------------------------------------------ */
/* Resolves path through symbolic links to a device; *remaining receives an
 * allocated copy (free() it) of what follows the device name, for
 * FILE_OBJECT.FileName. Returns a referenced device or NULL. */
PDEVICE_OBJECT io_ns_lookup_device(const UNICODE_STRING *path, UNICODE_STRING *remaining);
int io_ns_add_device(PDEVICE_OBJECT device);
void io_ns_remove_device(PDEVICE_OBJECT device);
NTSTATUS io_ns_create_link(const UNICODE_STRING *link, const UNICODE_STRING *target);
NTSTATUS io_ns_delete_link(const UNICODE_STRING *link);

/* --- IRPs ----------------------------------------------------------------- */
enum io_irp_origin {
    IO_IRP_DRIVER,                   /* IoAllocateIrp: the driver frees it */
    IO_IRP_THREAD,                   /* IoBuild*Request: completion frees it */
    IO_IRP_REQUEST,                  /* io_send_request */
};

/* Allocates an IRP of the given origin (a cached one when possible). */
PIRP io_irp_alloc(CCHAR stack_size, enum io_irp_origin origin);
/* Runs the I/O manager's end of completion for thread and request IRPs:
 * copies buffered output back, unlocks MDLs, sets UserIosb, signals
 * UserEvent, reports to the requester and frees the IRP. */
void io_irp_finish(PIRP irp);

/* Statuses for an empty MajorFunction slot. */
DRIVER_DISPATCH io_invalid_device_request;

/* Sends an IRP from io_build_pnp_irp (or any IO_IRP_THREAD IRP without its
 * own event) and waits for it; returns its final status and information. */
NTSTATUS io_call_and_wait(PDEVICE_OBJECT device, PIRP irp, ULONG_PTR *information);
/* A synchronous PnP/power IRP to the top of target's stack, initialised
 * with Status = STATUS_NOT_SUPPORTED as the PnP manager does. */
PIRP io_build_pnp_irp(PDEVICE_OBJECT target, UCHAR major, UCHAR minor);

#endif /* KMHOST_IO_H */
