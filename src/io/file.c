/*
 * File objects: opening a device (IRP_MJ_CREATE down its stack), and the
 * two ends of its life — IRP_MJ_CLEANUP when the last handle closes,
 * IRP_MJ_CLOSE when the last reference goes — as the I/O manager sends them.
 */
#include "io/io.h"
#include "io/io_private.h"
#include "verifier/verifier.h"

#include <stdlib.h>

void (*io_device_closed_hook)(PDEVICE_OBJECT device);

/* Cleanup and close go through the file's own stack, with the file object
 * in the stack location, and are waited for. */
static NTSTATUS file_send(struct io_file *file, UCHAR major)
{
    PIRP irp = io_build_pnp_irp(file->object.DeviceObject, major, 0);
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    IoGetNextIrpStackLocation(irp)->FileObject = &file->object;
    irp->Tail.Overlay.OriginalFileObject = &file->object;
    irp->IoStatus.Status = STATUS_SUCCESS;
    irp->Flags |= major == IRP_MJ_CLOSE ? IRP_CLOSE_OPERATION : 0;
    return io_call_and_wait(file->object.DeviceObject, irp, NULL);
}

void io_file_last_handle_closed(void *body)
{
    struct io_file *file = body;
    if (!file->created)
        return;
    /* Outstanding requests are the driver's to complete in its cleanup
     * routine; Windows does not cancel them before sending cleanup. */
    file_send(file, IRP_MJ_CLEANUP);
    file->object.Flags |= FO_CLEANUP_COMPLETE;
}

void io_file_delete_body(void *body)
{
    struct io_file *file = body;
    if (file->created)
        file_send(file, IRP_MJ_CLOSE);
    free(file->object.FileName.Buffer);
    if (file->object.DeviceObject) {
        if (file->counted && InterlockedDecrement(&file->object.DeviceObject->ReferenceCount) == 0 &&
            io_device_closed_hook)
            io_device_closed_hook(file->object.DeviceObject);
        ObfDereferenceObject(file->object.DeviceObject);
    }
}

static struct io_file *file_new(PDEVICE_OBJECT device, UNICODE_STRING *name, const struct io_open_params *params)
{
    struct io_file *file = nt_object_new(&nt_file_type, sizeof(*file));
    if (!file)
        return NULL;
    FILE_OBJECT *f = &file->object;
    f->Type = IO_TYPE_FILE;
    f->Size = sizeof(FILE_OBJECT);
    f->DeviceObject = device; /* the reference the lookup took moves here */
    f->FileName = *name;
    f->ReadAccess = (params->desired_access & (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL)) != 0;
    f->WriteAccess = (params->desired_access & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE | GENERIC_ALL)) != 0;
    f->SharedRead = (params->share_access & FILE_SHARE_READ) != 0;
    f->SharedWrite = (params->share_access & FILE_SHARE_WRITE) != 0;
    f->SharedDelete = (params->share_access & FILE_SHARE_DELETE) != 0;
    if (params->options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))
        f->Flags |= FO_SYNCHRONOUS_IO;
    KeInitializeEvent(&f->Lock, SynchronizationEvent, FALSE);
    KeInitializeEvent(&f->Event, NotificationEvent, FALSE);
    KeInitializeSpinLock(&f->IrpListLock);
    InitializeListHead(&f->IrpList);
    file->granted = params->desired_access;
    file->share_access = params->share_access;
    file->create_options = params->options;
    file->synchronous = (f->Flags & FO_SYNCHRONOUS_IO) != 0;
    return file;
}

/* What Windows checks before a create reaches the driver. */
static NTSTATUS file_open_checks(PDEVICE_OBJECT device)
{
    PDEVICE_OBJECT top = io_device_stack_top(device);
    if (io_device_of(device)->delete_pending || io_device_of(top)->delete_pending)
        return STATUS_DELETE_PENDING;
    if ((device->Flags | top->Flags) & DO_DEVICE_INITIALIZING)
        return STATUS_NO_SUCH_DEVICE;
    /* An exclusive device takes one open file at a time. */
    if (((device->Flags | top->Flags) & DO_EXCLUSIVE) &&
        InterlockedCompareExchange(&device->ReferenceCount, 1, 0) != 0)
        return STATUS_ACCESS_DENIED;
    if (!((device->Flags | top->Flags) & DO_EXCLUSIVE))
        InterlockedIncrement(&device->ReferenceCount);
    return STATUS_SUCCESS;
}

static NTSTATUS file_send_create(struct io_file *file, const struct io_open_params *params)
{
    IO_SECURITY_CONTEXT security = { .DesiredAccess = params->desired_access };
    PIRP irp = io_build_pnp_irp(file->object.DeviceObject, IRP_MJ_CREATE, 0);
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->FileObject = &file->object;
    sp->Parameters.Create.SecurityContext = &security;
    sp->Parameters.Create.Options = (params->disposition << 24) | (params->options & FILE_VALID_OPTION_FLAGS);
    sp->Parameters.Create.FileAttributes = (USHORT)params->attributes;
    sp->Parameters.Create.ShareAccess = (USHORT)params->share_access;
    irp->Flags |= IRP_CREATE_OPERATION | IRP_SYNCHRONOUS_API;
    irp->RequestorMode = params->mode;
    irp->Tail.Overlay.OriginalFileObject = &file->object;
    irp->IoStatus.Status = STATUS_SUCCESS;
    KPROCESSOR_MODE previous = nt_thread_set_previous_mode(params->mode);
    NTSTATUS status = io_call_and_wait(file->object.DeviceObject, irp, NULL);
    nt_thread_set_previous_mode(previous);
    return status;
}

NTSTATUS io_open_file(const UNICODE_STRING *path, const struct io_open_params *params, PFILE_OBJECT *out)
{
    UNICODE_STRING remaining;
    PDEVICE_OBJECT device = io_ns_lookup_device(path, &remaining);
    NTSTATUS status;

    *out = NULL;
    if (!device)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    status = file_open_checks(device);
    if (!NT_SUCCESS(status)) {
        free(remaining.Buffer);
        ObfDereferenceObject(device);
        return status;
    }
    struct io_file *file = file_new(device, &remaining, params);
    if (!file) {
        InterlockedDecrement(&device->ReferenceCount);
        free(remaining.Buffer);
        ObfDereferenceObject(device);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    file->counted = true;
    status = file_send_create(file, params);
    if (!NT_SUCCESS(status)) {
        nt_object_unref(file); /* no cleanup or close for a failed create */
        return status;
    }
    file->created = true;
    file->object.Flags |= FO_FILE_OPEN | FO_HANDLE_CREATED;
    *out = &file->object;
    return status;
}
