/*
 * IRPs drivers build for other drivers: IoBuildDeviceIoControlRequest and
 * IoBuildSynchronousFsdRequest (the I/O manager frees them at completion
 * and signals the caller's event), IoBuildAsynchronousFsdRequest (the
 * caller frees it), and associated IRPs.
 */
#include "io/io.h"
#include "io/io_private.h"
#include "io/buffers.h"

static PIRP build_irp(PDEVICE_OBJECT device, enum io_irp_origin origin, UCHAR major, PKEVENT event,
                      PIO_STATUS_BLOCK iosb)
{
    PIRP irp = io_irp_alloc(device->StackSize, origin);
    if (!irp)
        return NULL;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = major;
    irp->RequestorMode = KernelMode;
    irp->UserEvent = event;
    irp->UserIosb = iosb;
    irp->Tail.Overlay.Thread = PsGetCurrentThread();
    return irp;
}

static PIRP build_failed(PIRP irp)
{
    io_buffers_release(irp);
    io_mdls_release(irp);
    io_irp_free(irp);
    return NULL;
}

KMH_EXPORT PIRP IoBuildDeviceIoControlRequest(ULONG IoControlCode, PDEVICE_OBJECT DeviceObject, PVOID InputBuffer,
                                              ULONG InputBufferLength, PVOID OutputBuffer,
                                              ULONG OutputBufferLength, BOOLEAN InternalDeviceIoControl,
                                              PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    UCHAR major = InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
    PIRP irp = build_irp(DeviceObject, IO_IRP_THREAD, major, Event, IoStatusBlock);
    if (!irp)
        return NULL;
    if (!NT_SUCCESS(io_buffers_for_ioctl(irp, IoControlCode, InputBuffer, InputBufferLength, OutputBuffer,
                                         OutputBufferLength, KernelMode)))
        return build_failed(irp);
    return irp;
}

static bool fsd_major_valid(ULONG major)
{
    return major == IRP_MJ_READ || major == IRP_MJ_WRITE || major == IRP_MJ_FLUSH_BUFFERS ||
           major == IRP_MJ_SHUTDOWN || major == IRP_MJ_PNP || major == IRP_MJ_POWER;
}

static PIRP build_fsd(ULONG major, PDEVICE_OBJECT device, PVOID buffer, ULONG length, PLARGE_INTEGER offset,
                      enum io_irp_origin origin, PKEVENT event, PIO_STATUS_BLOCK iosb)
{
    if (!fsd_major_valid(major))
        return NULL;
    PIRP irp = build_irp(device, origin, (UCHAR)major, event, iosb);
    if (!irp)
        return NULL;
    if (major == IRP_MJ_READ || major == IRP_MJ_WRITE) {
        PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
        sp->Parameters.Read.Length = length;
        if (offset)
            sp->Parameters.Read.ByteOffset = *offset;
        if (!NT_SUCCESS(io_buffers_for_transfer(irp, device, (UCHAR)major, buffer, length, KernelMode)))
            return build_failed(irp);
    }
    return irp;
}

KMH_EXPORT PIRP IoBuildSynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                             ULONG Length, PLARGE_INTEGER StartingOffset, PKEVENT Event,
                                             PIO_STATUS_BLOCK IoStatusBlock)
{
    return build_fsd(MajorFunction, DeviceObject, Buffer, Length, StartingOffset, IO_IRP_THREAD, Event,
                     IoStatusBlock);
}

/* The caller owns the result: its completion routine frees the MDL and the
 * IRP and returns STATUS_MORE_PROCESSING_REQUIRED, as documented. */
KMH_EXPORT PIRP IoBuildAsynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                              ULONG Length, PLARGE_INTEGER StartingOffset,
                                              PIO_STATUS_BLOCK IoStatusBlock)
{
    return build_fsd(MajorFunction, DeviceObject, Buffer, Length, StartingOffset, IO_IRP_DRIVER, NULL,
                     IoStatusBlock);
}

static IO_COMPLETION_ROUTINE associated_completed;

/* An associated IRP completing counts down its master, which completes
 * when the last one does. */
static NTSTATUS associated_completed(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    PIRP master = context;
    (void)device;
    if (!NT_SUCCESS(irp->IoStatus.Status))
        master->IoStatus = irp->IoStatus;
    io_irp_free(irp);
    if (InterlockedDecrement(&master->AssociatedIrp.IrpCount) == 0)
        IoCompleteRequest(master, IO_NO_INCREMENT);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

KMH_EXPORT PIRP IoMakeAssociatedIrp(PIRP Irp, CCHAR StackSize)
{
    PIRP irp = io_irp_alloc((CCHAR)(StackSize + 1), IO_IRP_DRIVER);
    if (!irp)
        return NULL;
    irp->Flags |= IRP_ASSOCIATED_IRP;
    irp->AssociatedIrp.MasterIrp = Irp;
    irp->RequestorMode = Irp->RequestorMode;
    irp->Tail.Overlay.Thread = Irp->Tail.Overlay.Thread;
    /* The extra, topmost location is the I/O manager's own: completion
     * leaves it last and runs the count-down above. */
    PIO_STACK_LOCATION own = IoGetNextIrpStackLocation(irp);
    own->CompletionRoutine = associated_completed;
    own->Context = Irp;
    own->Control = SL_INVOKE_ON_SUCCESS | SL_INVOKE_ON_ERROR | SL_INVOKE_ON_CANCEL;
    IoSetNextIrpStackLocation(irp);
    return irp;
}
