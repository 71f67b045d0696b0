/*
 * A request's buffers, as KMDF hands them out. Which buffer is "input" and
 * which "output" depends on the request type (a write has only input, a
 * read only output), and where it lives on the transfer type: buffered
 * (the system buffer), direct (the MDL the I/O manager locked), neither
 * (the requester's raw pointers — only for kernel-mode requesters here;
 * a program's go through EvtIoInCallerContext and the Unsafe/ProbeAndLock
 * methods). Memory objects and MDLs the framework makes for a request
 * belong to it and go when it completes.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

WDF_DEVICE_IO_TYPE fx_request_io_type(const struct fx_request *request)
{
    PIRP irp = request->irp;
    if (irp->Flags & IRP_BUFFERED_IO)
        return WdfDeviceIoBuffered;
    if (irp->MdlAddress)
        return WdfDeviceIoDirect;
    ULONG flags = request->device && request->device->wdm_device ? request->device->wdm_device->Flags : 0;
    if (flags & DO_BUFFERED_IO)
        return WdfDeviceIoBuffered;
    if (flags & DO_DIRECT_IO)
        return WdfDeviceIoDirect;
    return WdfDeviceIoNeither;
}

static void *mdl_address(PMDL mdl)
{
    return mdl ? MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority) : NULL;
}

static bool neither_allowed(const struct fx_request *request, UCHAR major)
{
    return major == IRP_MJ_INTERNAL_DEVICE_CONTROL || request->irp->RequestorMode == KernelMode;
}

static NTSTATUS transfer_buffer(const struct fx_request *request, UCHAR major, void **buffer)
{
    switch (fx_request_io_type(request)) {
    case WdfDeviceIoBuffered:
        *buffer = request->irp->AssociatedIrp.SystemBuffer;
        return STATUS_SUCCESS;
    case WdfDeviceIoDirect:
        *buffer = mdl_address(request->irp->MdlAddress);
        return STATUS_SUCCESS;
    default:
        if (!neither_allowed(request, major))
            return STATUS_INVALID_DEVICE_REQUEST;
        *buffer = request->irp->UserBuffer;
        return STATUS_SUCCESS;
    }
}

static NTSTATUS ioctl_buffer(const struct fx_request *request, const IO_STACK_LOCATION *sp, bool output, void **buffer,
                             size_t *length)
{
    PIRP irp = request->irp;
    ULONG code = sp->Parameters.DeviceIoControl.IoControlCode;

    *length = output ? sp->Parameters.DeviceIoControl.OutputBufferLength
                     : sp->Parameters.DeviceIoControl.InputBufferLength;
    switch (METHOD_FROM_CTL_CODE(code)) {
    case METHOD_BUFFERED:
        *buffer = irp->AssociatedIrp.SystemBuffer;
        return STATUS_SUCCESS;
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        *buffer = output ? mdl_address(irp->MdlAddress) : irp->AssociatedIrp.SystemBuffer;
        return STATUS_SUCCESS;
    default:
        if (!neither_allowed(request, sp->MajorFunction))
            return STATUS_INVALID_DEVICE_REQUEST;
        *buffer = output ? irp->UserBuffer : sp->Parameters.DeviceIoControl.Type3InputBuffer;
        return STATUS_SUCCESS;
    }
}

/* The buffer and length of one side of the request, before size checks. */
static NTSTATUS request_side(const struct fx_request *request, bool output, void **buffer, size_t *length)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(request->irp);

    *buffer = NULL;
    *length = 0;
    if (request->flags & FX_RQF_CREATED)
        return STATUS_INVALID_DEVICE_REQUEST;
    switch (sp->MajorFunction) {
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        if (output != (sp->MajorFunction == IRP_MJ_READ))
            return STATUS_INVALID_DEVICE_REQUEST;
        *length = sp->Parameters.Read.Length;
        return transfer_buffer(request, sp->MajorFunction, buffer);
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        return ioctl_buffer(request, sp, output, buffer, length);
    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}

static NTSTATUS retrieve(WDFREQUEST handle, bool output, size_t minimum, void **buffer, size_t *length,
                         const char *ddi)
{
    void *found;
    size_t size;

    if (buffer)
        *buffer = NULL;
    if (length)
        *length = 0;
    struct fx_request *request = fx_request_lookup(handle, ddi);
    if (!request)
        return STATUS_INTERNAL_ERROR;
    if (!buffer)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = request_side(request, output, &found, &size);
    if (!NT_SUCCESS(status))
        return status;
    if (!size || size < minimum || !found)
        return STATUS_BUFFER_TOO_SMALL;
    *buffer = found;
    if (length)
        *length = size;
    return STATUS_SUCCESS;
}

/* WdfRequestRetrieveInputBuffer: the data a write or an IOCTL brings.
 * STATUS_BUFFER_TOO_SMALL (empty, or shorter than MinimumRequiredLength),
 * STATUS_INVALID_DEVICE_REQUEST (a read, a type without buffers, or a
 * user-mode METHOD_NEITHER buffer), STATUS_INTERNAL_ERROR (not the
 * driver's request: completed or queued). IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_request_retrieve_input_buffer(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                  size_t MinimumRequiredLength, PVOID *Buffer, size_t *Length)
{
    (void)g;
    return retrieve(Request, false, MinimumRequiredLength, Buffer, Length, "WdfRequestRetrieveInputBuffer");
}
FX_EXPORT(WdfRequestRetrieveInputBuffer, PFN_WDFREQUESTRETRIEVEINPUTBUFFER, ddi_request_retrieve_input_buffer);

/* WdfRequestRetrieveOutputBuffer: where a read or an IOCTL puts its
 * answer. Statuses as WdfRequestRetrieveInputBuffer (a write has none). */
static NTSTATUS ddi_request_retrieve_output_buffer(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request,
                                                   size_t MinimumRequiredSize, PVOID *Buffer, size_t *Length)
{
    (void)g;
    return retrieve(Request, true, MinimumRequiredSize, Buffer, Length, "WdfRequestRetrieveOutputBuffer");
}
FX_EXPORT(WdfRequestRetrieveOutputBuffer, PFN_WDFREQUESTRETRIEVEOUTPUTBUFFER, ddi_request_retrieve_output_buffer);

/* --- As memory objects ----------------------------------------------------------- */
static NTSTATUS retrieve_memory(WDFREQUEST handle, bool output, WDFMEMORY *out, const char *ddi)
{
    void *buffer;
    size_t size;
    NTSTATUS status;

    if (out)
        *out = NULL;
    struct fx_request *request = fx_request_lookup(handle, ddi);
    if (!request)
        return STATUS_INTERNAL_ERROR;
    if (!out)
        return STATUS_INVALID_PARAMETER;
    struct fx_memory **slot = output ? &request->out_memory : &request->in_memory;
    if (!*slot) {
        if (!NT_SUCCESS(status = request_side(request, output, &buffer, &size)))
            return status;
        if (!size || !buffer)
            return STATUS_BUFFER_TOO_SMALL;
        *slot = fx_memory_wrap(request->object.globals, &request->object, NULL, buffer, size, FX_MEMORY_REQUEST,
                               &status);
        if (!*slot)
            return status;
    }
    *out = (WDFMEMORY)(*slot)->object.handle;
    return STATUS_SUCCESS;
}

/* WdfRequestRetrieveInputMemory: the input buffer as a WDFMEMORY that
 * belongs to the request (gone when it completes). Statuses as
 * WdfRequestRetrieveInputBuffer, plus STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS ddi_request_retrieve_input_memory(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, WDFMEMORY *Memory)
{
    (void)g;
    return retrieve_memory(Request, false, Memory, "WdfRequestRetrieveInputMemory");
}
FX_EXPORT(WdfRequestRetrieveInputMemory, PFN_WDFREQUESTRETRIEVEINPUTMEMORY, ddi_request_retrieve_input_memory);

/* WdfRequestRetrieveOutputMemory: the output buffer as a WDFMEMORY. */
static NTSTATUS ddi_request_retrieve_output_memory(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, WDFMEMORY *Memory)
{
    (void)g;
    return retrieve_memory(Request, true, Memory, "WdfRequestRetrieveOutputMemory");
}
FX_EXPORT(WdfRequestRetrieveOutputMemory, PFN_WDFREQUESTRETRIEVEOUTPUTMEMORY, ddi_request_retrieve_output_memory);

/* --- As MDLs -------------------------------------------------------------------------- */
static PMDL mdl_over(void *buffer, size_t length)
{
    PMDL mdl = IoAllocateMdl(buffer, (ULONG)length, FALSE, FALSE, NULL);
    if (mdl)
        MmBuildMdlForNonPagedPool(mdl);
    return mdl;
}

static NTSTATUS retrieve_mdl(WDFREQUEST handle, bool output, PMDL *out, const char *ddi)
{
    void *buffer;
    size_t size;

    if (out)
        *out = NULL;
    struct fx_request *request = fx_request_lookup(handle, ddi);
    if (!request)
        return STATUS_INTERNAL_ERROR;
    if (!out)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = request_side(request, output, &buffer, &size);
    if (!NT_SUCCESS(status))
        return status;
    if (!size || !buffer)
        return STATUS_BUFFER_TOO_SMALL;
    PIRP irp = request->irp;
    if (irp->MdlAddress && buffer == mdl_address(irp->MdlAddress)) {
        *out = irp->MdlAddress;
        return STATUS_SUCCESS;
    }
    if (buffer != irp->AssociatedIrp.SystemBuffer)
        return STATUS_INVALID_DEVICE_REQUEST; /* neither I/O: no MDL to give */
    PMDL *slot = output ? &request->out_mdl : &request->in_mdl;
    if (!*slot && !(*slot = mdl_over(buffer, size)))
        return STATUS_INSUFFICIENT_RESOURCES;
    *out = *slot;
    return STATUS_SUCCESS;
}

/* WdfRequestRetrieveInputWdmMdl: an MDL for the input buffer — the I/O
 * manager's for direct I/O, one the framework builds over the system
 * buffer otherwise (freed when the request completes). Statuses as
 * WdfRequestRetrieveInputBuffer; STATUS_INVALID_DEVICE_REQUEST for neither
 * I/O. */
static NTSTATUS ddi_request_retrieve_input_wdm_mdl(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, PMDL *Mdl)
{
    (void)g;
    return retrieve_mdl(Request, false, Mdl, "WdfRequestRetrieveInputWdmMdl");
}
FX_EXPORT(WdfRequestRetrieveInputWdmMdl, PFN_WDFREQUESTRETRIEVEINPUTWDMMDL, ddi_request_retrieve_input_wdm_mdl);

/* WdfRequestRetrieveOutputWdmMdl: an MDL for the output buffer. */
static NTSTATUS ddi_request_retrieve_output_wdm_mdl(PWDF_DRIVER_GLOBALS g, WDFREQUEST Request, PMDL *Mdl)
{
    (void)g;
    return retrieve_mdl(Request, true, Mdl, "WdfRequestRetrieveOutputWdmMdl");
}
FX_EXPORT(WdfRequestRetrieveOutputWdmMdl, PFN_WDFREQUESTRETRIEVEOUTPUTWDMMDL, ddi_request_retrieve_output_wdm_mdl);

void fx_request_release_buffers(struct fx_request *request)
{
    if (!request->in_memory && !request->out_memory && !request->in_mdl && !request->out_mdl)
        return;
    if (request->in_memory) {
        fx_object_delete(&request->in_memory->object);
        request->in_memory = NULL;
    }
    if (request->out_memory) {
        fx_object_delete(&request->out_memory->object);
        request->out_memory = NULL;
    }
    if (request->in_mdl) {
        IoFreeMdl(request->in_mdl);
        request->in_mdl = NULL;
    }
    if (request->out_mdl) {
        IoFreeMdl(request->out_mdl);
        request->out_mdl = NULL;
    }
}
