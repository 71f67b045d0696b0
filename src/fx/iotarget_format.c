/*
 * The I/O target methods that build requests: WdfIoTargetFormatRequestFor*
 * (then WdfRequestSend) and WdfIoTargetSend*Synchronously, which format,
 * send with WDF_REQUEST_SEND_OPTION_SYNCHRONOUS and wait — with the
 * driver's request, or one of the framework's own when it passes NULL.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

static struct fx_io_target *target_lookup(WDFIOTARGET handle, const char *ddi)
{
    return FX_LOOKUP(fx_io_target, FX_TYPE_IOTARGET, handle, ddi);
}

/* A received request formatted without a buffer passes its own on. */
static NTSTATUS own_buffer(struct fx_request *request, bool output, struct fx_buffer *b)
{
    PFN_WDFREQUESTRETRIEVEOUTPUTBUFFER get =
        output ? (PFN_WDFREQUESTRETRIEVEOUTPUTBUFFER)fx_function_table()[WdfRequestRetrieveOutputBufferTableIndex]
               : (PFN_WDFREQUESTRETRIEVEOUTPUTBUFFER)fx_function_table()[WdfRequestRetrieveInputBufferTableIndex];
    memset(b, 0, sizeof(*b));
    if (request->flags & FX_RQF_CREATED)
        return STATUS_SUCCESS;
    NTSTATUS status = get(&request->object.globals->public, (WDFREQUEST)request->object.handle, 0, &b->buffer,
                          &b->length);
    return status == STATUS_BUFFER_TOO_SMALL ? STATUS_SUCCESS : status;
}

static NTSTATUS format_rw(WDFIOTARGET IoTarget, WDFREQUEST Request, WDFMEMORY memory, PWDFMEMORY_OFFSET offset,
                          PLONGLONG device_offset, UCHAR major, const char *ddi)
{
    struct fx_io_target *target = target_lookup(IoTarget, ddi);
    struct fx_request *request = fx_request_lookup(Request, ddi);
    struct fx_buffer b;

    if (!target || !request)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = memory ? fx_buffer_from_memory(memory, offset, &b, ddi)
                             : own_buffer(request, major == IRP_MJ_READ, &b);
    if (!NT_SUCCESS(status))
        return status;
    return fx_request_format_rw(target, request, major, &b, device_offset);
}

/* WdfIoTargetFormatRequestForRead: sets Request up as a read into
 * OutputBuffer (a window of it with OutputBufferOffset; a received
 * request's own buffer when NULL) at DeviceOffset. STATUS_INVALID_PARAMETER,
 * STATUS_REQUEST_NOT_ACCEPTED, STATUS_INSUFFICIENT_RESOURCES.
 * IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_io_target_format_request_for_read(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDFREQUEST Request,
                                                      WDFMEMORY OutputBuffer, PWDFMEMORY_OFFSET OutputBufferOffset,
                                                      PLONGLONG DeviceOffset)
{
    (void)g;
    return format_rw(IoTarget, Request, OutputBuffer, OutputBufferOffset, DeviceOffset, IRP_MJ_READ,
                     "WdfIoTargetFormatRequestForRead");
}
FX_EXPORT(WdfIoTargetFormatRequestForRead, PFN_WDFIOTARGETFORMATREQUESTFORREAD, ddi_io_target_format_request_for_read);

/* WdfIoTargetFormatRequestForWrite: the same, writing InputBuffer. */
static NTSTATUS ddi_io_target_format_request_for_write(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDFREQUEST Request,
                                                       WDFMEMORY InputBuffer, PWDFMEMORY_OFFSET InputBufferOffset,
                                                       PLONGLONG DeviceOffset)
{
    (void)g;
    return format_rw(IoTarget, Request, InputBuffer, InputBufferOffset, DeviceOffset, IRP_MJ_WRITE,
                     "WdfIoTargetFormatRequestForWrite");
}
FX_EXPORT(WdfIoTargetFormatRequestForWrite, PFN_WDFIOTARGETFORMATREQUESTFORWRITE,
          ddi_io_target_format_request_for_write);

static NTSTATUS format_ioctl(WDFIOTARGET IoTarget, WDFREQUEST Request, UCHAR major, ULONG code, WDFMEMORY in,
                             PWDFMEMORY_OFFSET in_offset, WDFMEMORY out, PWDFMEMORY_OFFSET out_offset, const char *ddi)
{
    struct fx_io_target *target = target_lookup(IoTarget, ddi);
    struct fx_request *request = fx_request_lookup(Request, ddi);
    struct fx_buffer bin, bout;
    NTSTATUS status;

    if (!target || !request)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = fx_buffer_from_memory(in, in_offset, &bin, ddi)) ||
        !NT_SUCCESS(status = fx_buffer_from_memory(out, out_offset, &bout, ddi)))
        return status;
    return fx_request_format_ioctl(target, request, major, code, &bin, &bout);
}

/* WdfIoTargetFormatRequestForIoctl: sets Request up as IOCTL IoctlCode with
 * the given input and output memory, described for the code's transfer
 * method. Statuses as WdfIoTargetFormatRequestForRead. */
static NTSTATUS ddi_io_target_format_request_for_ioctl(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDFREQUEST Request,
                                                       ULONG IoctlCode, WDFMEMORY InputBuffer,
                                                       PWDFMEMORY_OFFSET InputBufferOffset, WDFMEMORY OutputBuffer,
                                                       PWDFMEMORY_OFFSET OutputBufferOffset)
{
    (void)g;
    return format_ioctl(IoTarget, Request, IRP_MJ_DEVICE_CONTROL, IoctlCode, InputBuffer, InputBufferOffset,
                        OutputBuffer, OutputBufferOffset, "WdfIoTargetFormatRequestForIoctl");
}
FX_EXPORT(WdfIoTargetFormatRequestForIoctl, PFN_WDFIOTARGETFORMATREQUESTFORIOCTL,
          ddi_io_target_format_request_for_ioctl);

/* WdfIoTargetFormatRequestForInternalIoctl: the same, as an internal IOCTL. */
static NTSTATUS ddi_io_target_format_request_for_internal_ioctl(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget,
                                                                WDFREQUEST Request, ULONG IoctlCode,
                                                                WDFMEMORY InputBuffer,
                                                                PWDFMEMORY_OFFSET InputBufferOffset,
                                                                WDFMEMORY OutputBuffer,
                                                                PWDFMEMORY_OFFSET OutputBufferOffset)
{
    (void)g;
    return format_ioctl(IoTarget, Request, IRP_MJ_INTERNAL_DEVICE_CONTROL, IoctlCode, InputBuffer, InputBufferOffset,
                        OutputBuffer, OutputBufferOffset, "WdfIoTargetFormatRequestForInternalIoctl");
}
FX_EXPORT(WdfIoTargetFormatRequestForInternalIoctl, PFN_WDFIOTARGETFORMATREQUESTFORINTERNALIOCTL,
          ddi_io_target_format_request_for_internal_ioctl);

/* WdfIoTargetFormatRequestForInternalIoctlOthers: an internal IOCTL whose
 * Argument1, 2 and 4 are the three memory objects' buffers. */
static NTSTATUS ddi_io_target_format_request_for_internal_ioctl_others(
    PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, WDFMEMORY OtherArg1,
    PWDFMEMORY_OFFSET OtherArg1Offset, WDFMEMORY OtherArg2, PWDFMEMORY_OFFSET OtherArg2Offset, WDFMEMORY OtherArg4,
    PWDFMEMORY_OFFSET OtherArg4Offset)
{
    (void)g;
    const char *ddi = "WdfIoTargetFormatRequestForInternalIoctlOthers";
    struct fx_io_target *target = target_lookup(IoTarget, ddi);
    struct fx_request *request = fx_request_lookup(Request, ddi);
    struct fx_buffer args[3];
    NTSTATUS status;

    if (!target || !request)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = fx_buffer_from_memory(OtherArg1, OtherArg1Offset, &args[0], ddi)) ||
        !NT_SUCCESS(status = fx_buffer_from_memory(OtherArg2, OtherArg2Offset, &args[1], ddi)) ||
        !NT_SUCCESS(status = fx_buffer_from_memory(OtherArg4, OtherArg4Offset, &args[2], ddi)))
        return status;
    return fx_request_format_others(target, request, IoctlCode, args);
}
FX_EXPORT(WdfIoTargetFormatRequestForInternalIoctlOthers, PFN_WDFIOTARGETFORMATREQUESTFORINTERNALIOCTLOTHERS,
          ddi_io_target_format_request_for_internal_ioctl_others);

/* --- Synchronous senders ------------------------------------------------------------------- */
enum sync_kind { SYNC_READ, SYNC_WRITE, SYNC_IOCTL, SYNC_INTERNAL, SYNC_OTHERS };

struct sync_call {
    enum sync_kind kind;
    ULONG code;
    PWDF_MEMORY_DESCRIPTOR descriptors[3];
    PLONGLONG offset;
};

static NTSTATUS sync_format(struct fx_io_target *target, struct fx_request *request, const struct sync_call *c,
                            const char *ddi)
{
    struct fx_buffer b[3];
    NTSTATUS status;

    for (int i = 0; i < 3; i++)
        if (!NT_SUCCESS(status = fx_buffer_from_descriptor(c->descriptors[i], &b[i], ddi)))
            return status;
    switch (c->kind) {
    case SYNC_READ:
        return fx_request_format_rw(target, request, IRP_MJ_READ, &b[0], c->offset);
    case SYNC_WRITE:
        return fx_request_format_rw(target, request, IRP_MJ_WRITE, &b[0], c->offset);
    case SYNC_IOCTL:
        return fx_request_format_ioctl(target, request, IRP_MJ_DEVICE_CONTROL, c->code, &b[0], &b[1]);
    case SYNC_INTERNAL:
        return fx_request_format_ioctl(target, request, IRP_MJ_INTERNAL_DEVICE_CONTROL, c->code, &b[0], &b[1]);
    default:
        return fx_request_format_others(target, request, c->code, b);
    }
}

static NTSTATUS sync_send(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDFREQUEST Request,
                          PWDF_REQUEST_SEND_OPTIONS options, const struct sync_call *c, PULONG_PTR information,
                          const char *ddi)
{
    struct fx_io_target *target = target_lookup(IoTarget, ddi);
    struct fx_request *request = Request ? fx_request_lookup(Request, ddi) : NULL;
    WDF_REQUEST_SEND_OPTIONS send;
    NTSTATUS status;

    if (information)
        *information = 0;
    if (!target || (Request && !request))
        return STATUS_INVALID_PARAMETER;
    if (options && options->Size != sizeof(*options))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (!fx_check_irql(PASSIVE_LEVEL, ddi))
        return STATUS_INVALID_DEVICE_STATE;
    if (!request && !(request = fx_request_create_internal(fx_globals_of(g), target, &status)))
        return status;
    if (NT_SUCCESS(status = sync_format(target, request, c, ddi))) {
        /* Not WDF_REQUEST_SEND_OPTIONS_INIT: its Size is a driver's notion. */
        send = (WDF_REQUEST_SEND_OPTIONS){ .Size = sizeof(send), .Flags = WDF_REQUEST_SEND_OPTION_SYNCHRONOUS };
        if (options)
            send.Flags |= options->Flags & (WDF_REQUEST_SEND_OPTION_TIMEOUT | WDF_REQUEST_SEND_OPTION_IGNORE_TARGET_STATE);
        send.Timeout = options ? options->Timeout : 0;
        fx_io_target_send(target, request, &send);
        status = request->status;
        if (information && (request->flags & FX_RQF_SENT_ONCE))
            *information = request->irp->IoStatus.Information;
    }
    if (!Request)
        fx_object_delete(&request->object);
    return status;
}

/* WdfIoTargetSendReadSynchronously: reads into OutputBuffer and waits.
 * The read's status, or STATUS_INVALID_PARAMETER, STATUS_INFO_LENGTH_MISMATCH,
 * STATUS_INVALID_DEVICE_STATE (target not started), STATUS_IO_TIMEOUT,
 * STATUS_REQUEST_NOT_ACCEPTED. PASSIVE_LEVEL. */
static NTSTATUS ddi_io_target_send_read_synchronously(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDFREQUEST Request,
                                                      PWDF_MEMORY_DESCRIPTOR OutputBuffer, PLONGLONG DeviceOffset,
                                                      PWDF_REQUEST_SEND_OPTIONS RequestOptions, PULONG_PTR BytesRead)
{
    struct sync_call c = { .kind = SYNC_READ, .descriptors = { OutputBuffer }, .offset = DeviceOffset };
    return sync_send(g, IoTarget, Request, RequestOptions, &c, BytesRead, "WdfIoTargetSendReadSynchronously");
}
FX_EXPORT(WdfIoTargetSendReadSynchronously, PFN_WDFIOTARGETSENDREADSYNCHRONOUSLY,
          ddi_io_target_send_read_synchronously);

/* WdfIoTargetSendWriteSynchronously: writes InputBuffer and waits. */
static NTSTATUS ddi_io_target_send_write_synchronously(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget,
                                                       WDFREQUEST Request, PWDF_MEMORY_DESCRIPTOR InputBuffer,
                                                       PLONGLONG DeviceOffset, PWDF_REQUEST_SEND_OPTIONS RequestOptions,
                                                       PULONG_PTR BytesWritten)
{
    struct sync_call c = { .kind = SYNC_WRITE, .descriptors = { InputBuffer }, .offset = DeviceOffset };
    return sync_send(g, IoTarget, Request, RequestOptions, &c, BytesWritten, "WdfIoTargetSendWriteSynchronously");
}
FX_EXPORT(WdfIoTargetSendWriteSynchronously, PFN_WDFIOTARGETSENDWRITESYNCHRONOUSLY,
          ddi_io_target_send_write_synchronously);

/* WdfIoTargetSendIoctlSynchronously: sends IOCTL IoctlCode and waits. */
static NTSTATUS ddi_io_target_send_ioctl_synchronously(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget,
                                                       WDFREQUEST Request, ULONG IoctlCode,
                                                       PWDF_MEMORY_DESCRIPTOR InputBuffer,
                                                       PWDF_MEMORY_DESCRIPTOR OutputBuffer,
                                                       PWDF_REQUEST_SEND_OPTIONS RequestOptions,
                                                       PULONG_PTR BytesReturned)
{
    struct sync_call c = { .kind = SYNC_IOCTL, .code = IoctlCode, .descriptors = { InputBuffer, OutputBuffer } };
    return sync_send(g, IoTarget, Request, RequestOptions, &c, BytesReturned, "WdfIoTargetSendIoctlSynchronously");
}
FX_EXPORT(WdfIoTargetSendIoctlSynchronously, PFN_WDFIOTARGETSENDIOCTLSYNCHRONOUSLY,
          ddi_io_target_send_ioctl_synchronously);

/* WdfIoTargetSendInternalIoctlSynchronously: the same, internal. */
static NTSTATUS ddi_io_target_send_internal_ioctl_synchronously(PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget,
                                                                WDFREQUEST Request, ULONG IoctlCode,
                                                                PWDF_MEMORY_DESCRIPTOR InputBuffer,
                                                                PWDF_MEMORY_DESCRIPTOR OutputBuffer,
                                                                PWDF_REQUEST_SEND_OPTIONS RequestOptions,
                                                                PULONG_PTR BytesReturned)
{
    struct sync_call c = { .kind = SYNC_INTERNAL, .code = IoctlCode, .descriptors = { InputBuffer, OutputBuffer } };
    return sync_send(g, IoTarget, Request, RequestOptions, &c, BytesReturned,
                     "WdfIoTargetSendInternalIoctlSynchronously");
}
FX_EXPORT(WdfIoTargetSendInternalIoctlSynchronously, PFN_WDFIOTARGETSENDINTERNALIOCTLSYNCHRONOUSLY,
          ddi_io_target_send_internal_ioctl_synchronously);

/* WdfIoTargetSendInternalIoctlOthersSynchronously: an internal IOCTL with
 * Argument1, 2 and 4, sent and waited for. */
static NTSTATUS ddi_io_target_send_internal_ioctl_others_synchronously(
    PWDF_DRIVER_GLOBALS g, WDFIOTARGET IoTarget, WDFREQUEST Request, ULONG IoctlCode, PWDF_MEMORY_DESCRIPTOR OtherArg1,
    PWDF_MEMORY_DESCRIPTOR OtherArg2, PWDF_MEMORY_DESCRIPTOR OtherArg4, PWDF_REQUEST_SEND_OPTIONS RequestOptions,
    PULONG_PTR BytesReturned)
{
    struct sync_call c = { .kind = SYNC_OTHERS, .code = IoctlCode, .descriptors = { OtherArg1, OtherArg2, OtherArg4 } };
    return sync_send(g, IoTarget, Request, RequestOptions, &c, BytesReturned,
                     "WdfIoTargetSendInternalIoctlOthersSynchronously");
}
FX_EXPORT(WdfIoTargetSendInternalIoctlOthersSynchronously, PFN_WDFIOTARGETSENDINTERNALIOCTLOTHERSSYNCHRONOUSLY,
          ddi_io_target_send_internal_ioctl_others_synchronously);
