/*
 * kmhct: the client tests' legacy WDM driver. DriverEntry creates
 * \Device\KmhClientTest and \DosDevices\KmhClientTest. Reads and
 * IOCTL_KMHCT_PEND requests wait, cancelable, until a write hands them
 * its data (a write with nobody waiting is kept for the next read);
 * cleanup cancels the closing file's waiters. The IOCTLs in kmhct.h cover
 * buffered and neither transfers, warnings and failures, and an event
 * handle passed from the program.
 */
#include <ntddk.h>
#include <dontuse.h> /* as WDK samples do: must be on the driver include path */
#include "kmhct.h"

struct kmhct {
    KSPIN_LOCK lock;
    LIST_ENTRY waiting;          /* reads and PEND IOCTLs, oldest first */
    ULONG nwaiting;
    UCHAR stored[KMHCT_STORE_MAX];
    ULONG nstored;
    BOOLEAN has_stored;
};

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kmhct_unload;
static DRIVER_DISPATCH kmhct_create_close, kmhct_cleanup, kmhct_read, kmhct_write, kmhct_ioctl;
static DRIVER_CANCEL kmhct_cancel;

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static void kmhct_cancel(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhct *ext = device->DeviceExtension;
    KIRQL irql;

    IoReleaseCancelSpinLock(irp->CancelIrql);
    KeAcquireSpinLock(&ext->lock, &irql);
    RemoveEntryList(&irp->Tail.Overlay.ListEntry);
    ext->nwaiting--;
    KeReleaseSpinLock(&ext->lock, irql);
    complete(irp, STATUS_CANCELLED, 0);
}

/* Queues irp to wait for a write. */
static NTSTATUS wait_for_write(struct kmhct *ext, PIRP irp)
{
    KIRQL irql;

    KeAcquireSpinLock(&ext->lock, &irql);
    IoSetCancelRoutine(irp, kmhct_cancel);
    if (irp->Cancel && IoSetCancelRoutine(irp, NULL)) {
        KeReleaseSpinLock(&ext->lock, irql);
        return complete(irp, STATUS_CANCELLED, 0);
    }
    IoMarkIrpPending(irp);
    InsertTailList(&ext->waiting, &irp->Tail.Overlay.ListEntry);
    ext->nwaiting++;
    KeReleaseSpinLock(&ext->lock, irql);
    return STATUS_PENDING;
}

/* The oldest waiter (of file, when given) that is not being cancelled. */
static PIRP take_waiter(struct kmhct *ext, PFILE_OBJECT file)
{
    PIRP found = NULL;
    KIRQL irql;

    KeAcquireSpinLock(&ext->lock, &irql);
    for (PLIST_ENTRY e = ext->waiting.Flink; e != &ext->waiting && !found; e = e->Flink) {
        PIRP irp = CONTAINING_RECORD(e, IRP, Tail.Overlay.ListEntry);
        if (file && IoGetCurrentIrpStackLocation(irp)->FileObject != file)
            continue;
        if (IoSetCancelRoutine(irp, NULL)) {
            RemoveEntryList(e);
            ext->nwaiting--;
            found = irp;
        }
    }
    KeReleaseSpinLock(&ext->lock, irql);
    return found;
}

/* The buffer and length a waiter receives data into. */
static ULONG waiter_length(PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    return sp->MajorFunction == IRP_MJ_READ ? sp->Parameters.Read.Length
                                            : sp->Parameters.DeviceIoControl.OutputBufferLength;
}

static NTSTATUS hand_over(PIRP waiter, const void *data, ULONG length)
{
    ULONG n = min(length, waiter_length(waiter));
    RtlCopyMemory(waiter->AssociatedIrp.SystemBuffer, data, n);
    return complete(waiter, STATUS_SUCCESS, n);
}

static NTSTATUS kmhct_read(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhct *ext = device->DeviceExtension;
    KIRQL irql;

    KeAcquireSpinLock(&ext->lock, &irql);
    if (ext->has_stored) {
        UCHAR data[KMHCT_STORE_MAX];
        ULONG n = ext->nstored;
        RtlCopyMemory(data, ext->stored, n);
        ext->has_stored = FALSE;
        KeReleaseSpinLock(&ext->lock, irql);
        return hand_over(irp, data, n);
    }
    KeReleaseSpinLock(&ext->lock, irql);
    return wait_for_write(ext, irp);
}

static NTSTATUS kmhct_write(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhct *ext = device->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(irp)->Parameters.Write.Length;
    PIRP waiter = take_waiter(ext, NULL);
    KIRQL irql;

    if (waiter) {
        hand_over(waiter, irp->AssociatedIrp.SystemBuffer, length);
    } else {
        KeAcquireSpinLock(&ext->lock, &irql);
        ext->nstored = min(length, (ULONG)KMHCT_STORE_MAX);
        RtlCopyMemory(ext->stored, irp->AssociatedIrp.SystemBuffer, ext->nstored);
        ext->has_stored = TRUE;
        KeReleaseSpinLock(&ext->lock, irql);
    }
    return complete(irp, STATUS_SUCCESS, length);
}

static NTSTATUS ioctl_neither(PIRP irp, PIO_STACK_LOCATION sp)
{
    const UCHAR *in = sp->Parameters.DeviceIoControl.Type3InputBuffer;
    ULONG in_length = sp->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out_length = sp->Parameters.DeviceIoControl.OutputBufferLength;
    NTSTATUS status = STATUS_SUCCESS;
    ULONG sum = 0;

    if (out_length < sizeof(ULONG))
        return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
    __try {
        ProbeForRead((PVOID)in, in_length, 1);
        ProbeForWrite(irp->UserBuffer, out_length, 1);
        for (ULONG i = 0; i < in_length; i++)
            sum += in[i];
        RtlCopyMemory(irp->UserBuffer, &sum, sizeof(sum));
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    return complete(irp, status, NT_SUCCESS(status) ? sizeof(ULONG) : 0);
}

static NTSTATUS ioctl_set_event(PIRP irp, PIO_STACK_LOCATION sp)
{
    PKEVENT event;
    HANDLE handle;

    if (sp->Parameters.DeviceIoControl.InputBufferLength < sizeof(HANDLE))
        return complete(irp, STATUS_INVALID_PARAMETER, 0);
    RtlCopyMemory(&handle, irp->AssociatedIrp.SystemBuffer, sizeof(handle));
    NTSTATUS status = ObReferenceObjectByHandle(handle, EVENT_MODIFY_STATE, *ExEventObjectType, irp->RequestorMode,
                                                (PVOID *)&event, NULL);
    if (NT_SUCCESS(status)) {
        KeSetEvent(event, IO_NO_INCREMENT, FALSE);
        ObDereferenceObject(event);
    }
    return complete(irp, status, 0);
}

static NTSTATUS kmhct_ioctl(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhct *ext = device->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG in = sp->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = irp->AssociatedIrp.SystemBuffer;
    ULONG value = 0;

    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_KMHCT_ECHO:
        return complete(irp, STATUS_SUCCESS, min(in, out)); /* input and output share the buffer */
    case IOCTL_KMHCT_OVERFLOW:
        RtlFillMemory(buffer, out, 0xAB);
        return complete(irp, STATUS_BUFFER_OVERFLOW, out);
    case IOCTL_KMHCT_FAIL:
        if (in >= sizeof(ULONG))
            RtlCopyMemory(&value, buffer, sizeof(value));
        return complete(irp, (NTSTATUS)value, 0);
    case IOCTL_KMHCT_NEITHER:
        return ioctl_neither(irp, sp);
    case IOCTL_KMHCT_SET_EVENT:
        return ioctl_set_event(irp, sp);
    case IOCTL_KMHCT_PEND:
        return wait_for_write(ext, irp);
    case IOCTL_KMHCT_PENDING_COUNT:
        if (out < sizeof(ULONG))
            return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
        value = ext->nwaiting;
        RtlCopyMemory(buffer, &value, sizeof(value));
        return complete(irp, STATUS_SUCCESS, sizeof(value));
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS kmhct_create_close(PDEVICE_OBJECT device, PIRP irp)
{
    UNREFERENCED_PARAMETER(device);
    return complete(irp, STATUS_SUCCESS, 0);
}

/* The closing file's waiters end now, as its handle is gone. */
static NTSTATUS kmhct_cleanup(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhct *ext = device->DeviceExtension;
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(irp)->FileObject;
    PIRP waiter;

    while ((waiter = take_waiter(ext, file)) != NULL)
        complete(waiter, STATUS_CANCELLED, 0);
    return complete(irp, STATUS_SUCCESS, 0);
}

static void kmhct_unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(KMHCT_LINK_NAME);

    IoDeleteSymbolicLink(&link);
    if (driver->DeviceObject)
        IoDeleteDevice(driver->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMHCT_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(KMHCT_LINK_NAME);
    PDEVICE_OBJECT device;

    UNREFERENCED_PARAMETER(registry_path);
    NTSTATUS status = IoCreateDevice(driver, sizeof(struct kmhct), &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    struct kmhct *ext = device->DeviceExtension;
    KeInitializeSpinLock(&ext->lock);
    InitializeListHead(&ext->waiting);
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    device->Flags |= DO_BUFFERED_IO;
    driver->MajorFunction[IRP_MJ_CREATE] = kmhct_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = kmhct_create_close;
    driver->MajorFunction[IRP_MJ_CLEANUP] = kmhct_cleanup;
    driver->MajorFunction[IRP_MJ_READ] = kmhct_read;
    driver->MajorFunction[IRP_MJ_WRITE] = kmhct_write;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kmhct_ioctl;
    driver->DriverUnload = kmhct_unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
