/*
 * Sending to a target: the gate its state puts on new requests, the
 * formatting of reads, writes and IOCTLs for the target's transfer type
 * (a buffer given as memory object, MDL or pointer becomes a system
 * buffer, an MDL or a raw pointer as the target expects), and the
 * synchronous senders.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#include <stdlib.h>

enum fx_target_gate fx_io_target_gate(struct fx_io_target *target, ULONG options)
{
    if (!target->target_device)
        return FX_TARGET_REFUSE;
    if (options & WDF_REQUEST_SEND_OPTION_IGNORE_TARGET_STATE)
        return FX_TARGET_SEND;
    switch (target->state) {
    case WdfIoTargetStarted:
        return FX_TARGET_SEND;
    case WdfIoTargetStopped:
        return FX_TARGET_HOLD;
    default:
        return FX_TARGET_REFUSE;
    }
}

static void send_prepare(struct fx_io_target *target, struct fx_request *request, ULONG flags, KEVENT *done)
{
    struct fx_request_send *s = &request->send;
    PIRP irp = request->irp;

    fx_object_ref(&target->object);
    s->target = target;
    s->options = flags;
    s->synchronous = (flags & WDF_REQUEST_SEND_OPTION_SYNCHRONOUS) != 0;
    s->done = done;
    s->timed_out = false;
    s->seq_now++;
    atomic_store(&s->refs, 1);
    if (target->file)
        IoGetNextIrpStackLocation(irp)->FileObject = target->file;
    IoSetCompletionRoutine(irp, fx_request_sent_completed, request, TRUE, TRUE, TRUE);
    request->flags |= FX_RQF_SENT | FX_RQF_SEND_USED;
    if (request->flags & FX_RQF_CREATED)
        fx_object_ref(&request->object); /* a deleted-while-sent request stays readable */
}

static void send_undo(struct fx_io_target *target, struct fx_request *request)
{
    fx_request_disarm_timeout(request);
    request->flags &= ~FX_RQF_SENT;
    request->send.target = NULL;
    fx_object_unref(&target->object);
    if (request->flags & FX_RQF_CREATED)
        fx_object_unref(&request->object);
}

/* Puts the request on the target's lists; the gate it met. */
static enum fx_target_gate send_enter(struct fx_io_target *target, struct fx_request *request, ULONG flags)
{
    struct fx_request_send *s = &request->send;
    KIRQL irql;

    KeAcquireSpinLock(&target->lock, &irql);
    enum fx_target_gate gate = fx_io_target_gate(target, flags);
    if (gate == FX_TARGET_HOLD) {
        InsertTailList(&target->waiting, &s->target_link);
        s->where = FX_SEND_HELD;
    } else if (gate == FX_TARGET_SEND) {
        InsertTailList(&target->sent, &s->target_link);
        s->where = FX_SEND_SENT;
        s->counted = !(flags & WDF_REQUEST_SEND_OPTION_IGNORE_TARGET_STATE);
        if (s->counted && target->sent_count++ == 0)
            KeClearEvent(&target->idle);
    }
    KeReleaseSpinLock(&target->lock, irql);
    return gate;
}

bool fx_io_target_send(struct fx_io_target *target, struct fx_request *request, PWDF_REQUEST_SEND_OPTIONS options)
{
    ULONG flags = options ? options->Flags : 0;
    NTSTATUS status;
    KEVENT done;

    if (request->flags & FX_RQF_SENT) {
        fx_violation("WdfRequestSend", "request %p is at a target already", (void *)request->object.handle);
        request->status = STATUS_INVALID_DEVICE_REQUEST;
        return false;
    }
    if ((flags & WDF_REQUEST_SEND_OPTION_SYNCHRONOUS) && !fx_check_irql(PASSIVE_LEVEL, "WdfRequestSend")) {
        request->status = STATUS_INVALID_DEVICE_STATE;
        return false;
    }
    if (!NT_SUCCESS(status = fx_request_fit_target(request, target))) {
        request->status = status;
        return false;
    }
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    send_prepare(target, request, flags, &done);
    if ((flags & WDF_REQUEST_SEND_OPTION_TIMEOUT) && options->Timeout &&
        !NT_SUCCESS(status = fx_request_arm_timeout(request, options->Timeout))) {
        send_undo(target, request);
        request->status = status;
        return false;
    }
    enum fx_target_gate gate = send_enter(target, request, flags);
    if (gate == FX_TARGET_REFUSE) {
        send_undo(target, request);
        request->status = STATUS_INVALID_DEVICE_STATE;
        return false;
    }
    if (gate == FX_TARGET_SEND)
        (void)IoCallDriver(target->target_device, request->irp);
    if (flags & WDF_REQUEST_SEND_OPTION_SYNCHRONOUS)
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
    return true;
}

bool fx_request_cancel_sent(struct fx_request *request)
{
    struct fx_io_target *target = __atomic_load_n(&request->send.target, __ATOMIC_ACQUIRE);
    KIRQL irql;

    if (!target)
        return false;
    KeAcquireSpinLock(&target->lock, &irql);
    int where = request->send.target == target ? request->send.where : FX_SEND_NONE;
    if (where == FX_SEND_HELD)
        fx_io_target_unlink_locked(target, request);
    else if (where == FX_SEND_SENT)
        atomic_fetch_add(&request->send.refs, 1);
    KeReleaseSpinLock(&target->lock, irql);
    if (where == FX_SEND_NONE)
        return false;
    BOOLEAN cancelled = TRUE;
    if (where == FX_SEND_HELD) {
        request->irp->IoStatus.Status = STATUS_CANCELLED;
        request->irp->IoStatus.Information = 0;
    } else {
        cancelled = IoCancelIrp(request->irp);
    }
    if (atomic_fetch_sub(&request->send.refs, 1) == 1)
        fx_request_send_done(request);
    return cancelled;
}

/* --- Formatting ------------------------------------------------------------------------ */
static WDF_DEVICE_IO_TYPE target_io_type(const struct fx_io_target *target)
{
    ULONG flags = target->target_device ? target->target_device->Flags : 0;
    return (flags & DO_BUFFERED_IO) ? WdfDeviceIoBuffered : (flags & DO_DIRECT_IO) ? WdfDeviceIoDirect
                                                                                    : WdfDeviceIoNeither;
}

static void keep_memory(struct fx_request *request, int slot, const struct fx_buffer *b)
{
    struct fx_request_send *s = &request->send;
    if (b->memory) {
        fx_object_ref(&b->memory->object);
        s->memory[slot] = b->memory;
        s->offsets[slot] = (size_t)((char *)b->buffer - (char *)b->memory->buffer);
    }
    s->lengths[slot] = b->length;
}

static NTSTATUS mdl_for(struct fx_request *request, const struct fx_buffer *b, PMDL *out)
{
    *out = NULL;
    if (!b->length)
        return STATUS_SUCCESS;
    if (b->mdl) {
        *out = b->mdl;
        return STATUS_SUCCESS;
    }
    PMDL mdl = IoAllocateMdl(b->buffer, (ULONG)b->length, FALSE, FALSE, NULL);
    if (!mdl)
        return STATUS_INSUFFICIENT_RESOURCES;
    MmBuildMdlForNonPagedPool(mdl);
    request->send.built_mdl = mdl;
    *out = mdl;
    return STATUS_SUCCESS;
}

static PIO_STACK_LOCATION format_location(struct fx_io_target *target, struct fx_request *request, UCHAR major)
{
    PIRP irp = request->irp;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);

    sp->MajorFunction = major;
    sp->FileObject = target->file;
    irp->AssociatedIrp.SystemBuffer = NULL;
    irp->MdlAddress = NULL;
    irp->UserBuffer = NULL;
    irp->Flags &= ~(IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | IRP_INPUT_OPERATION);
    return sp;
}

static NTSTATUS format_done(struct fx_request *request, UCHAR major, NTSTATUS status)
{
    if (!NT_SUCCESS(status)) {
        fx_request_unformat(request);
        return status;
    }
    request->send.type = (WDF_REQUEST_TYPE)major;
    request->flags |= FX_RQF_FORMATTED;
    return STATUS_SUCCESS;
}

NTSTATUS fx_request_format_rw(struct fx_io_target *target, struct fx_request *request, UCHAR major,
                              const struct fx_buffer *b, PLONGLONG offset)
{
    NTSTATUS status = b->length > MAXULONG ? STATUS_INVALID_PARAMETER : fx_request_format_begin(request, target);
    if (!NT_SUCCESS(status))
        return status;
    PIRP irp = request->irp;
    PIO_STACK_LOCATION sp = format_location(target, request, major);
    sp->Parameters.Read.Length = (ULONG)b->length;
    sp->Parameters.Read.ByteOffset.QuadPart = offset ? *offset : 0;
    switch (target_io_type(target)) {
    case WdfDeviceIoBuffered:
        irp->AssociatedIrp.SystemBuffer = b->buffer;
        irp->Flags |= IRP_BUFFERED_IO;
        break;
    case WdfDeviceIoDirect:
        status = mdl_for(request, b, &irp->MdlAddress);
        break;
    default:
        irp->UserBuffer = b->buffer;
        break;
    }
    keep_memory(request, 0, b);
    return format_done(request, major, status);
}

/* METHOD_BUFFERED: one system buffer holds the input and receives the
 * output; a bounce buffer when they are two different buffers. */
static NTSTATUS ioctl_buffered(struct fx_request *request, const struct fx_buffer *in, const struct fx_buffer *out)
{
    PIRP irp = request->irp;
    size_t size = in->length > out->length ? in->length : out->length;

    if (!size)
        return STATUS_SUCCESS;
    irp->Flags |= IRP_BUFFERED_IO;
    if (!out->length || !in->length || in->buffer == out->buffer) {
        irp->AssociatedIrp.SystemBuffer = in->length ? in->buffer : out->buffer;
        return STATUS_SUCCESS;
    }
    if (!(request->send.bounce = calloc(1, size)))
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(request->send.bounce, in->buffer, in->length);
    request->send.bounce_out = out->buffer;
    request->send.bounce_out_length = out->length;
    irp->AssociatedIrp.SystemBuffer = request->send.bounce;
    return STATUS_SUCCESS;
}

NTSTATUS fx_request_format_ioctl(struct fx_io_target *target, struct fx_request *request, UCHAR major, ULONG code,
                                 const struct fx_buffer *in, const struct fx_buffer *out)
{
    NTSTATUS status = in->length > MAXULONG || out->length > MAXULONG ? STATUS_INVALID_PARAMETER
                                                                      : fx_request_format_begin(request, target);
    if (!NT_SUCCESS(status))
        return status;
    PIRP irp = request->irp;
    PIO_STACK_LOCATION sp = format_location(target, request, major);
    sp->Parameters.DeviceIoControl.IoControlCode = code;
    sp->Parameters.DeviceIoControl.InputBufferLength = (ULONG)in->length;
    sp->Parameters.DeviceIoControl.OutputBufferLength = (ULONG)out->length;
    switch (METHOD_FROM_CTL_CODE(code)) {
    case METHOD_BUFFERED:
        status = ioctl_buffered(request, in, out);
        break;
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        irp->AssociatedIrp.SystemBuffer = in->buffer;
        status = mdl_for(request, out, &irp->MdlAddress);
        break;
    default:
        sp->Parameters.DeviceIoControl.Type3InputBuffer = in->buffer;
        irp->UserBuffer = out->buffer;
        break;
    }
    keep_memory(request, 0, in);
    keep_memory(request, 1, out);
    return format_done(request, major, status);
}

NTSTATUS fx_request_format_others(struct fx_io_target *target, struct fx_request *request, ULONG code,
                                  const struct fx_buffer args[3])
{
    NTSTATUS status = fx_request_format_begin(request, target);
    if (!NT_SUCCESS(status))
        return status;
    PIO_STACK_LOCATION sp = format_location(target, request, IRP_MJ_INTERNAL_DEVICE_CONTROL);
    sp->Parameters.Others.Argument1 = args[0].buffer;
    sp->Parameters.Others.Argument2 = args[1].buffer;
    sp->Parameters.Others.Argument3 = (PVOID)(ULONG_PTR)code;
    sp->Parameters.Others.Argument4 = args[2].buffer;
    for (int i = 0; i < 3; i++)
        keep_memory(request, i, &args[i]);
    return format_done(request, IRP_MJ_INTERNAL_DEVICE_CONTROL, STATUS_SUCCESS);
}
