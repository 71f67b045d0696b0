/*
 * User-mode buffers of METHOD_NEITHER (and neither-I/O reads and writes),
 * which only make sense in the requester's own thread: EvtIoInCallerContext
 * gets the raw pointers (WdfRequestRetrieveUnsafeUser*Buffer), probes and
 * locks them (WdfRequestProbeAndLockUserBufferFor*), and keeps the
 * resulting memory objects in the request's context for its queue handler.
 * A request is in caller context until it first enters a queue.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

static bool in_caller_context(const struct fx_request *request)
{
    return !(request->flags & (FX_RQF_FROM_QUEUE | FX_RQF_CREATED));
}

static struct fx_request *caller_context_request(WDFREQUEST handle, const char *ddi)
{
    struct fx_request *request = fx_request_lookup(handle, ddi);
    if (request && !in_caller_context(request)) {
        fx_violation(ddi, "request %p is not in EvtIoInCallerContext", (void *)handle);
        return NULL;
    }
    return request;
}

/* The raw user pointer of one side: METHOD_NEITHER IOCTLs, and reads or
 * writes of a neither-I/O device. */
static NTSTATUS unsafe_side(const struct fx_request *request, bool output, void **buffer, size_t *length)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(request->irp);

    switch (sp->MajorFunction) {
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if (METHOD_FROM_CTL_CODE(sp->Parameters.DeviceIoControl.IoControlCode) != METHOD_NEITHER)
            return STATUS_INVALID_DEVICE_REQUEST;
        *buffer = output ? request->irp->UserBuffer : sp->Parameters.DeviceIoControl.Type3InputBuffer;
        *length = output ? sp->Parameters.DeviceIoControl.OutputBufferLength
                         : sp->Parameters.DeviceIoControl.InputBufferLength;
        return STATUS_SUCCESS;
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        if (output != (sp->MajorFunction == IRP_MJ_READ) || fx_request_io_type(request) != WdfDeviceIoNeither)
            return STATUS_INVALID_DEVICE_REQUEST;
        *buffer = request->irp->UserBuffer;
        *length = sp->Parameters.Read.Length;
        return STATUS_SUCCESS;
    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}

static NTSTATUS retrieve_unsafe(WDFREQUEST handle, bool output, size_t minimum, void **buffer, size_t *length,
                                const char *ddi)
{
    void *found = NULL;
    size_t size = 0;

    if (buffer)
        *buffer = NULL;
    if (length)
        *length = 0;
    struct fx_request *request = caller_context_request(handle, ddi);
    if (!request)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!buffer)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = unsafe_side(request, output, &found, &size);
    if (!NT_SUCCESS(status))
        return status;
    if (!size || size < minimum)
        return STATUS_BUFFER_TOO_SMALL;
    *buffer = found;
    if (length)
        *length = size;
    return STATUS_SUCCESS;
}

/* WdfRequestRetrieveUnsafeUserInputBuffer: a METHOD_NEITHER IOCTL's (or a
 * neither-I/O write's) input pointer, unprobed. Only in
 * EvtIoInCallerContext. STATUS_INVALID_DEVICE_REQUEST (elsewhere, or
 * another transfer type), STATUS_BUFFER_TOO_SMALL. PASSIVE_LEVEL. */
static NTSTATUS ddi_request_retrieve_unsafe_user_input_buffer(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                              size_t MinimumRequiredLength, PVOID *InputBuffer,
                                                              size_t *Length)
{
    (void)g;
    return retrieve_unsafe(Request, false, MinimumRequiredLength, InputBuffer, Length,
                           "WdfRequestRetrieveUnsafeUserInputBuffer");
}
FX_EXPORT(WdfRequestRetrieveUnsafeUserInputBuffer, PFN_WDFREQUESTRETRIEVEUNSAFEUSERINPUTBUFFER,
          ddi_request_retrieve_unsafe_user_input_buffer);

/* WdfRequestRetrieveUnsafeUserOutputBuffer: the output side, likewise. */
static NTSTATUS ddi_request_retrieve_unsafe_user_output_buffer(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                               size_t MinimumRequiredLength, PVOID *OutputBuffer,
                                                               size_t *Length)
{
    (void)g;
    return retrieve_unsafe(Request, true, MinimumRequiredLength, OutputBuffer, Length,
                           "WdfRequestRetrieveUnsafeUserOutputBuffer");
}
FX_EXPORT(WdfRequestRetrieveUnsafeUserOutputBuffer, PFN_WDFREQUESTRETRIEVEUNSAFEUSEROUTPUTBUFFER,
          ddi_request_retrieve_unsafe_user_output_buffer);

/* Probes and locks length bytes at buffer in the requester's mode. */
static NTSTATUS lock_user_buffer(struct fx_request *request, void *buffer, size_t length, LOCK_OPERATION operation,
                                 PMDL *out)
{
    volatile NTSTATUS status = STATUS_SUCCESS; /* set after longjmp */
    PMDL mdl = IoAllocateMdl(buffer, (ULONG)length, FALSE, FALSE, NULL);

    if (!mdl)
        return STATUS_INSUFFICIENT_RESOURCES;
    __try {
        MmProbeAndLockPages(mdl, request->irp->RequestorMode, operation);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    if (!NT_SUCCESS(status)) {
        IoFreeMdl(mdl);
        return status;
    }
    *out = mdl;
    return STATUS_SUCCESS;
}

static NTSTATUS probe_and_lock(WDFREQUEST handle, void *buffer, size_t length, LOCK_OPERATION operation,
                               WDFMEMORY *out, const char *ddi)
{
    PMDL mdl;
    NTSTATUS status;

    if (out)
        *out = NULL;
    struct fx_request *request = caller_context_request(handle, ddi);
    if (!request)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!out || !length || length > MAXULONG)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = lock_user_buffer(request, buffer, length, operation, &mdl)))
        return status;
    struct fx_memory *memory = fx_memory_wrap(request->object.globals, &request->object, NULL,
                                              MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority), length,
                                              FX_MEMORY_LOCKED, &status);
    if (!memory) {
        MmUnlockPages(mdl);
        IoFreeMdl(mdl);
        return status;
    }
    memory->mdl = mdl;
    *out = (WDFMEMORY)memory->object.handle;
    return STATUS_SUCCESS;
}

/* WdfRequestProbeAndLockUserBufferForRead: checks that the driver may read
 * the user buffer and locks it; the WDFMEMORY (a child of the request)
 * unlocks it when deleted. Only in EvtIoInCallerContext.
 * STATUS_ACCESS_VIOLATION for a bad buffer, STATUS_INVALID_DEVICE_REQUEST,
 * STATUS_INVALID_PARAMETER, STATUS_INSUFFICIENT_RESOURCES. PASSIVE_LEVEL. */
static NTSTATUS ddi_request_probe_and_lock_user_buffer_for_read(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                                PVOID Buffer, size_t Length, WDFMEMORY *MemoryObject)
{
    (void)g;
    return probe_and_lock(Request, Buffer, Length, IoReadAccess, MemoryObject,
                          "WdfRequestProbeAndLockUserBufferForRead");
}
FX_EXPORT(WdfRequestProbeAndLockUserBufferForRead, PFN_WDFREQUESTPROBEANDLOCKUSERBUFFERFORREAD,
          ddi_request_probe_and_lock_user_buffer_for_read);

/* WdfRequestProbeAndLockUserBufferForWrite: the same, for a buffer the
 * driver will write. */
static NTSTATUS ddi_request_probe_and_lock_user_buffer_for_write(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                                 PVOID Buffer, size_t Length, WDFMEMORY *MemoryObject)
{
    (void)g;
    return probe_and_lock(Request, Buffer, Length, IoWriteAccess, MemoryObject,
                          "WdfRequestProbeAndLockUserBufferForWrite");
}
FX_EXPORT(WdfRequestProbeAndLockUserBufferForWrite, PFN_WDFREQUESTPROBEANDLOCKUSERBUFFERFORWRITE,
          ddi_request_probe_and_lock_user_buffer_for_write);
