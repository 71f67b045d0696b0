/*
 * Describing a caller's buffers to a driver, as the three transfer types
 * require: buffered (a system buffer copied in, and back on completion),
 * direct (an MDL over the caller's pages) and neither (the raw pointers).
 * Used for program requests and for IoBuild*Request alike; the mode says
 * whether the caller's pointers must be probed first.
 */
#include "io/io.h"
#include "io/io_private.h"
#include "io/buffers.h"
#include "verifier/verifier.h"

#include <stdlib.h>

static void *system_buffer_alloc(PIRP irp, ULONG length)
{
    struct io_irp_private *priv = io_irp_private(irp);
    if (priv->inline_buffer && length <= priv->inline_size)
        return priv->inline_buffer;
    return malloc(length);
}

void io_buffers_release(PIRP irp)
{
    struct io_irp_private *priv = io_irp_private(irp);
    void *buffer = irp->AssociatedIrp.SystemBuffer;

    if ((irp->Flags & IRP_DEALLOCATE_BUFFER) && buffer && buffer != priv->inline_buffer)
        free(buffer);
    irp->AssociatedIrp.SystemBuffer = NULL;
    irp->Flags &= ~(IRP_DEALLOCATE_BUFFER | IRP_BUFFERED_IO);
}

void io_mdls_release(PIRP irp)
{
    while (irp->MdlAddress) {
        PMDL mdl = irp->MdlAddress;
        irp->MdlAddress = mdl->Next;
        if (mdl->MdlFlags & MDL_PAGES_LOCKED)
            MmUnlockPages(mdl);
        IoFreeMdl(mdl);
    }
}

/* A system buffer of max(in, out) bytes holding the input; output is
 * copied back to out at completion (IRP_INPUT_OPERATION). */
static NTSTATUS buffered(PIRP irp, void *in, ULONG in_length, void *out, ULONG out_length, KPROCESSOR_MODE mode)
{
    ULONG length = in_length > out_length ? in_length : out_length;
    volatile NTSTATUS status = STATUS_SUCCESS; /* set after longjmp */

    irp->UserBuffer = out;
    io_irp_private(irp)->out_length = out_length;
    if (!length)
        return STATUS_SUCCESS;
    void *system = system_buffer_alloc(irp, length);
    if (!system)
        return STATUS_INSUFFICIENT_RESOURCES;
    irp->AssociatedIrp.SystemBuffer = system;
    irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | (out_length ? IRP_INPUT_OPERATION : 0);
    __try {
        if (mode == UserMode && in_length)
            ProbeForRead(in, in_length, 1);
        if (mode == UserMode && out_length)
            ProbeForWrite(out, out_length, 1);
        if (in_length)
            memcpy(system, in, in_length);
        if (length > in_length)
            memset((char *)system + in_length, 0, length - in_length);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    return status;
}

/* An MDL over the caller's buffer, probed and locked for the access the
 * device will make. */
static NTSTATUS direct(PIRP irp, void *buffer, ULONG length, LOCK_OPERATION operation, KPROCESSOR_MODE mode)
{
    volatile NTSTATUS status = STATUS_SUCCESS; /* set after longjmp */
    PMDL mdl;

    if (!length)
        return STATUS_SUCCESS;
    if (!(mdl = IoAllocateMdl(buffer, length, FALSE, FALSE, irp)))
        return STATUS_INSUFFICIENT_RESOURCES;
    __try {
        MmProbeAndLockPages(mdl, mode, operation);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    return status;
}

NTSTATUS io_buffers_for_ioctl(PIRP irp, ULONG code, void *in, ULONG in_length, void *out, ULONG out_length,
                              KPROCESSOR_MODE mode)
{
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    NTSTATUS status;

    sp->Parameters.DeviceIoControl.IoControlCode = code;
    sp->Parameters.DeviceIoControl.InputBufferLength = in_length;
    sp->Parameters.DeviceIoControl.OutputBufferLength = out_length;
    switch (METHOD_FROM_CTL_CODE(code)) {
    case METHOD_BUFFERED:
        return buffered(irp, in, in_length, out, out_length, mode);
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        status = buffered(irp, in, in_length, NULL, 0, mode);
        if (!NT_SUCCESS(status))
            return status;
        irp->UserBuffer = out;
        return direct(irp, out, out_length,
                      METHOD_FROM_CTL_CODE(code) == METHOD_IN_DIRECT ? IoReadAccess : IoWriteAccess, mode);
    default: /* METHOD_NEITHER: the driver probes, in __try */
        sp->Parameters.DeviceIoControl.Type3InputBuffer = in;
        irp->UserBuffer = out;
        return STATUS_SUCCESS;
    }
}

NTSTATUS io_buffers_for_transfer(PIRP irp, PDEVICE_OBJECT top, UCHAR major, void *buffer, ULONG length,
                                 KPROCESSOR_MODE mode)
{
    bool reading = major == IRP_MJ_READ;

    if (top->Flags & DO_BUFFERED_IO) {
        return reading ? buffered(irp, NULL, 0, buffer, length, mode)
                       : buffered(irp, buffer, length, NULL, 0, mode);
    }
    irp->UserBuffer = buffer;
    if (top->Flags & DO_DIRECT_IO)
        return direct(irp, buffer, length, reading ? IoWriteAccess : IoReadAccess, mode);
    return STATUS_SUCCESS;
}

void io_buffers_copy_back(PIRP irp)
{
    struct io_irp_private *priv = io_irp_private(irp);
    ULONG_PTR length = irp->IoStatus.Information;

    if (!(irp->Flags & IRP_BUFFERED_IO) || !(irp->Flags & IRP_INPUT_OPERATION) ||
        NT_ERROR(irp->IoStatus.Status) || !irp->UserBuffer || !length)
        return;
    if (length > priv->out_length) {
        vf_report(VF_IRP, "IoCompleteRequest", NULL,
                  "IRP %p reports %lu bytes of output in a %u-byte buffer; copying %u", (void *)irp,
                  (unsigned long)length, (unsigned)priv->out_length, (unsigned)priv->out_length);
        length = priv->out_length;
    }
    memcpy(irp->UserBuffer, irp->AssociatedIrp.SystemBuffer, length);
}
