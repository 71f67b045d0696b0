/*
 * Reads, writes and IOCTLs. A write "makes a toast": its bytes go into the
 * device's buffer and everyone waiting is told. A read takes bytes, or
 * waits in the cancel-safe queue when there are none.
 */
#include "toaster.h"

/* Under the toast lock. */
static ULONG ToasterPutBytes(PTOASTER_EXTENSION Ext, PUCHAR In, ULONG Length)
{
    ULONG room = TOASTER_BUFFER_SIZE - Ext->Count, n = Length < room ? Length : room;
    for (ULONG i = 0; i < n; i++)
        Ext->Buffer[(Ext->Head + Ext->Count + i) % TOASTER_BUFFER_SIZE] = In[i];
    Ext->Count += n;
    return n;
}

ULONG ToasterTakeBytes(PTOASTER_EXTENSION Ext, PUCHAR Out, ULONG Length)
{
    KIRQL irql;
    ULONG n;

    KeAcquireSpinLock(&Ext->Lock, &irql);
    n = Length < Ext->Count ? Length : Ext->Count;
    for (ULONG i = 0; i < n; i++)
        Out[i] = Ext->Buffer[(Ext->Head + i) % TOASTER_BUFFER_SIZE];
    Ext->Head = (Ext->Head + n) % TOASTER_BUFFER_SIZE;
    Ext->Count -= n;
    KeReleaseSpinLock(&Ext->Lock, irql);
    return n;
}

/* Every I/O request holds the remove lock until it completes. */
static NTSTATUS ToasterBeginIo(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    NTSTATUS status = IoAcquireRemoveLock(&Ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status))
        return status;
    if (Ext->State != Started) {
        IoReleaseRemoveLock(&Ext->RemoveLock, Irp);
        return Ext->State == SurpriseRemoved || Ext->State == Deleted ? STATUS_NO_SUCH_DEVICE
                                                                      : STATUS_DEVICE_NOT_READY;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterEndIo(PTOASTER_EXTENSION Ext, PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    ToasterCompleteRequest(Irp, Status, Information);
    IoReleaseRemoveLock(&Ext->RemoveLock, Irp);
    return Status;
}

/* Pends the request in the cancel-safe queue; the queue's completion
 * releases the remove lock. */
static NTSTATUS ToasterPend(PTOASTER_EXTENSION Ext, PIRP Irp)
{
    IoCsqInsertIrp(&Ext->PendingQueue, Irp, NULL);
    return STATUS_PENDING;
}

NTSTATUS ToasterRead(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    NTSTATUS status = ToasterBeginIo(ext, Irp);

    if (!NT_SUCCESS(status))
        return ToasterCompleteRequest(Irp, status, 0);
    if (length == 0)
        return ToasterEndIo(ext, Irp, STATUS_SUCCESS, 0);
    ULONG taken = ToasterTakeBytes(ext, (PUCHAR)Irp->AssociatedIrp.SystemBuffer, length);
    if (taken == 0)
        return ToasterPend(ext, Irp);
    return ToasterEndIo(ext, Irp, STATUS_SUCCESS, taken);
}

NTSTATUS ToasterWrite(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    NTSTATUS status = ToasterBeginIo(ext, Irp);
    KIRQL irql;
    ULONG put;

    if (!NT_SUCCESS(status))
        return ToasterCompleteRequest(Irp, status, 0);
    KeAcquireSpinLock(&ext->Lock, &irql);
    put = ToasterPutBytes(ext, (PUCHAR)Irp->AssociatedIrp.SystemBuffer, length);
    if (put)
        ext->ToastsMade++;
    KeReleaseSpinLock(&ext->Lock, irql);
    if (put)
        ToasterQueueToastReady(ext);
    KdPrint(("Toaster: toast %lu, %lu bytes\n", ext->ToastsMade, put));
    /* A full buffer takes what fits, as a pipe would. */
    return ToasterEndIo(ext, Irp, put || length == 0 ? STATUS_SUCCESS : STATUS_DEVICE_BUSY, put);
}

static NTSTATUS ToasterGetInfo(PTOASTER_EXTENSION Ext, PIRP Irp, ULONG OutLength, ULONG_PTR *Information)
{
    PTOASTER_INFO info = (PTOASTER_INFO)Irp->AssociatedIrp.SystemBuffer;
    KIRQL irql;

    if (OutLength < sizeof(TOASTER_INFO))
        return STATUS_BUFFER_TOO_SMALL;
    KeAcquireSpinLock(&Ext->Lock, &irql);
    info->Version = TOASTER_VERSION;
    info->Darkness = Ext->Darkness;
    info->ToastsMade = Ext->ToastsMade;
    info->LastChecksum = Ext->LastChecksum;
    info->BytesQueued = Ext->Count;
    info->OpenCount = (ULONG)Ext->OpenCount;
    KeReleaseSpinLock(&Ext->Lock, irql);
    *Information = sizeof(TOASTER_INFO);
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterSetDarkness(PTOASTER_EXTENSION Ext, PIRP Irp, ULONG InLength)
{
    ULONG darkness;
    if (InLength < sizeof(ULONG))
        return STATUS_BUFFER_TOO_SMALL;
    darkness = *(PULONG)Irp->AssociatedIrp.SystemBuffer;
    if (darkness > TOASTER_MAX_DARKNESS)
        return STATUS_INVALID_PARAMETER;
    Ext->Darkness = darkness;
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterFillPattern(PTOASTER_EXTENSION Ext, PIRP Irp, ULONG OutLength, ULONG_PTR *Information)
{
    PUCHAR out;
    if (OutLength == 0 || Irp->MdlAddress == NULL)
        return STATUS_BUFFER_TOO_SMALL;
    out = (PUCHAR)MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority | MdlMappingNoExecute);
    if (out == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    for (ULONG i = 0; i < OutLength; i++)
        out[i] = (UCHAR)((i * 7 + Ext->Darkness) & 0xff);
    *Information = OutLength;
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterChecksum(PTOASTER_EXTENSION Ext, PIRP Irp, ULONG InLength, ULONG OutLength,
                                ULONG_PTR *Information)
{
    PUCHAR data;
    ULONG sum;
    if (InLength < sizeof(ULONG))
        return STATUS_BUFFER_TOO_SMALL;
    sum = *(PULONG)Irp->AssociatedIrp.SystemBuffer;
    if (OutLength && Irp->MdlAddress) {
        data = (PUCHAR)MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority | MdlMappingNoExecute);
        if (data == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        for (ULONG i = 0; i < OutLength; i++)
            sum = TOASTER_CHECKSUM_STEP(sum, data[i]);
    }
    Ext->LastChecksum = sum;
    *Information = OutLength;
    return STATUS_SUCCESS;
}

/* METHOD_NEITHER: the buffers are the caller's own; probe them and touch
 * them only inside __try, as a hostile caller may pass anything. */
static NTSTATUS ToasterReverse(PIRP Irp, PIO_STACK_LOCATION Stack, ULONG_PTR *Information)
{
    PUCHAR in = (PUCHAR)Stack->Parameters.DeviceIoControl.Type3InputBuffer;
    PUCHAR out = (PUCHAR)Irp->UserBuffer;
    ULONG inLength = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    NTSTATUS status = STATUS_SUCCESS;

    if (outLength < inLength)
        return STATUS_BUFFER_TOO_SMALL;
    __try {
        if (Irp->RequestorMode != KernelMode) {
            ProbeForRead(in, inLength, 1);
            ProbeForWrite(out, outLength, 1);
        }
        for (ULONG i = 0; i < inLength / 2; i++) {
            UCHAR c = in[i];
            out[i] = in[inLength - 1 - i];
            out[inLength - 1 - i] = c;
        }
        if (inLength % 2)
            out[inLength / 2] = in[inLength / 2];
        *Information = inLength;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    return status;
}

NTSTATUS ToasterDeviceControl(_In_ PDEVICE_OBJECT DeviceObject, _Inout_ PIRP Irp)
{
    PTOASTER_EXTENSION ext = (PTOASTER_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG in = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = stack->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG_PTR information = 0;
    NTSTATUS status = ToasterBeginIo(ext, Irp);

    if (!NT_SUCCESS(status))
        return ToasterCompleteRequest(Irp, status, 0);
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_TOASTER_GET_INFO:
        status = ToasterGetInfo(ext, Irp, out, &information);
        break;
    case IOCTL_TOASTER_SET_DARKNESS:
        status = ToasterSetDarkness(ext, Irp, in);
        break;
    case IOCTL_TOASTER_FILL_PATTERN:
        status = ToasterFillPattern(ext, Irp, out, &information);
        break;
    case IOCTL_TOASTER_CHECKSUM:
        status = ToasterChecksum(ext, Irp, in, out, &information);
        break;
    case IOCTL_TOASTER_REVERSE:
        status = ToasterReverse(Irp, stack, &information);
        break;
    case IOCTL_TOASTER_WAIT_TOAST:
        if (out < sizeof(ULONG))
            return ToasterEndIo(ext, Irp, STATUS_BUFFER_TOO_SMALL, 0);
        return ToasterPend(ext, Irp);
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    return ToasterEndIo(ext, Irp, status, information);
}
