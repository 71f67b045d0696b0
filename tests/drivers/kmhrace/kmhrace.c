/*
 * kmhrace: a legacy WDM driver whose one pending request is completed by a
 * timer DPC, or by the driver's system thread, while the program may be
 * cancelling it. The classic
 * cancel-routine protocol decides the winner: whoever clears the cancel
 * routine (IoSetCancelRoutine(irp, NULL) returning non-NULL) completes;
 * a cancel routine that got in first always completes. Each request is
 * therefore completed exactly once, with STATUS_SUCCESS or STATUS_CANCELLED.
 */
#include <ntddk.h>
#include "kmhrace.h"

struct kmhrace {
    KSPIN_LOCK lock;
    PIRP pending;           /* the one waiting request, under lock */
    KTIMER timer;
    KDPC dpc;
    KEVENT wake;            /* the thread's: a request waits, or stop */
    BOOLEAN stopping;
    PETHREAD thread;
    KMHRACE_COUNTS counts;  /* interlocked */
};

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kmhrace_unload;
static DRIVER_DISPATCH kmhrace_create_close, kmhrace_ioctl;
static DRIVER_CANCEL kmhrace_cancel;
static KDEFERRED_ROUTINE kmhrace_dpc;
static KSTART_ROUTINE kmhrace_thread;

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

/* Runs only when IoCancelIrp found our routine still set: the request is
 * ours to complete, whatever the DPC does meanwhile. */
static void kmhrace_cancel(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhrace *ext = device->DeviceExtension;
    KIRQL irql;

    IoReleaseCancelSpinLock(irp->CancelIrql);
    KeAcquireSpinLock(&ext->lock, &irql);
    if (ext->pending == irp)
        ext->pending = NULL;
    KeReleaseSpinLock(&ext->lock, irql);
    InterlockedIncrement(&ext->counts.Cancelled);
    complete(irp, STATUS_CANCELLED, 0);
}

/* From the DPC or the thread: completes the waiting request unless its
 * cancel routine already owns it. */
static void complete_pending(struct kmhrace *ext)
{
    KIRQL irql;
    PIRP irp;

    /* The cancel routine is cleared under the lock, while the request is
     * still in the slot: NULL back means the cancel routine is running (or
     * about to), and it takes the request out of the slot under this lock
     * before completing it. Clearing it after letting go of the lock could
     * touch a request the cancel routine had already completed. */
    KeAcquireSpinLock(&ext->lock, &irql);
    irp = ext->pending;
    if (irp && IoSetCancelRoutine(irp, NULL))
        ext->pending = NULL;
    else
        irp = NULL;
    KeReleaseSpinLock(&ext->lock, irql);
    if (irp) {
        InterlockedIncrement(&ext->counts.Completed);
        complete(irp, STATUS_SUCCESS, 0);
    }
}

static void kmhrace_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    UNREFERENCED_PARAMETER(dpc);
    UNREFERENCED_PARAMETER(arg1);
    UNREFERENCED_PARAMETER(arg2);
    complete_pending(context);
}

static void kmhrace_thread(PVOID context)
{
    struct kmhrace *ext = context;

    for (;;) {
        KeWaitForSingleObject(&ext->wake, Executive, KernelMode, FALSE, NULL);
        if (ext->stopping)
            break;
        complete_pending(ext);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Takes irp as the waiting request; the timer (due <= 0) or the thread
 * (due > 0) completes it. */
static NTSTATUS pend(struct kmhrace *ext, PIRP irp, LONG due)
{
    LARGE_INTEGER when = { .QuadPart = due };
    KIRQL irql;

    KeAcquireSpinLock(&ext->lock, &irql);
    if (ext->pending) {
        KeReleaseSpinLock(&ext->lock, irql);
        return complete(irp, STATUS_DEVICE_BUSY, 0);
    }
    InterlockedIncrement(&ext->counts.Pended);
    IoSetCancelRoutine(irp, kmhrace_cancel);
    if (irp->Cancel && IoSetCancelRoutine(irp, NULL)) {
        KeReleaseSpinLock(&ext->lock, irql);
        InterlockedIncrement(&ext->counts.Cancelled);
        return complete(irp, STATUS_CANCELLED, 0);
    }
    IoMarkIrpPending(irp);
    ext->pending = irp;
    if (due > 0)
        KeSetEvent(&ext->wake, IO_NO_INCREMENT, FALSE);
    else
        KeSetTimer(&ext->timer, when, &ext->dpc);
    KeReleaseSpinLock(&ext->lock, irql);
    return STATUS_PENDING;
}

static NTSTATUS kmhrace_ioctl(PDEVICE_OBJECT device, PIRP irp)
{
    struct kmhrace *ext = device->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG in = sp->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = irp->AssociatedIrp.SystemBuffer;
    LONG due;

    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_KMHRACE_PEND:
        if (in < sizeof(LONG))
            return complete(irp, STATUS_INVALID_PARAMETER, 0);
        RtlCopyMemory(&due, buffer, sizeof(due));
        return pend(ext, irp, due > 0 ? 0 : due);
    case IOCTL_KMHRACE_PEND_THREAD:
        return pend(ext, irp, 1);
    case IOCTL_KMHRACE_COUNTS:
        if (out < sizeof(KMHRACE_COUNTS))
            return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlCopyMemory(buffer, &ext->counts, sizeof(KMHRACE_COUNTS));
        return complete(irp, STATUS_SUCCESS, sizeof(KMHRACE_COUNTS));
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS kmhrace_create_close(PDEVICE_OBJECT device, PIRP irp)
{
    UNREFERENCED_PARAMETER(device);
    return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS start_thread(struct kmhrace *ext)
{
    HANDLE handle;
    NTSTATUS status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, kmhrace_thread, ext);
    if (!NT_SUCCESS(status))
        return status;
    status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, (PVOID *)&ext->thread,
                                       NULL);
    ZwClose(handle);
    return status; /* cannot fail for a handle we were just given */
}

static void stop_thread(struct kmhrace *ext)
{
    ext->stopping = TRUE;
    KeSetEvent(&ext->wake, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(ext->thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(ext->thread);
}

static void kmhrace_unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(KMHRACE_LINK_NAME);
    struct kmhrace *ext = driver->DeviceObject->DeviceExtension;

    /* Closing the last handle cancelled what waited; the DPC may still be
     * queued and must not run after the device is gone. */
    KeCancelTimer(&ext->timer);
    KeFlushQueuedDpcs();
    stop_thread(ext);
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(driver->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMHRACE_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(KMHRACE_LINK_NAME);
    PDEVICE_OBJECT device;
    struct kmhrace *ext;

    UNREFERENCED_PARAMETER(registry_path);
    NTSTATUS status = IoCreateDevice(driver, sizeof(struct kmhrace), &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    ext = device->DeviceExtension;
    RtlZeroMemory(ext, sizeof(*ext));
    KeInitializeSpinLock(&ext->lock);
    KeInitializeTimer(&ext->timer);
    KeInitializeDpc(&ext->dpc, kmhrace_dpc, ext);
    KeInitializeEvent(&ext->wake, SynchronizationEvent, FALSE);
    status = start_thread(ext);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        stop_thread(ext);
        IoDeleteDevice(device);
        return status;
    }
    device->Flags |= DO_BUFFERED_IO;
    driver->MajorFunction[IRP_MJ_CREATE] = kmhrace_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = kmhrace_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kmhrace_ioctl;
    driver->DriverUnload = kmhrace_unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
