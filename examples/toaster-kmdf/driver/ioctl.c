/*
 * The KMDF toaster's IOCTLs: the framework hands each buffer over in the
 * form its transfer method gives (system buffer, MDL, or — for
 * METHOD_NEITHER — the caller's own pointers, locked in the caller's
 * context before the request is queued).
 */
#include "toaster.h"

static NTSTATUS ToasterGetInfo(PTOASTER_CONTEXT Context, WDFREQUEST Request, ULONG_PTR *Information)
{
    PTOASTER_INFO info;
    NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(TOASTER_INFO), (PVOID *)&info, NULL);
    if (!NT_SUCCESS(status))
        return status;
    WdfSpinLockAcquire(Context->Lock);
    info->Version = TOASTER_VERSION;
    info->Darkness = Context->Darkness;
    info->ToastsMade = Context->ToastsMade;
    info->LastChecksum = Context->LastChecksum;
    info->BytesQueued = Context->Count;
    info->OpenCount = (ULONG)Context->OpenCount;
    WdfSpinLockRelease(Context->Lock);
    *Information = sizeof(TOASTER_INFO);
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterSetDarkness(PTOASTER_CONTEXT Context, WDFREQUEST Request)
{
    PULONG darkness;
    NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, sizeof(ULONG), (PVOID *)&darkness, NULL);
    if (!NT_SUCCESS(status))
        return status;
    if (*darkness > TOASTER_MAX_DARKNESS)
        return STATUS_INVALID_PARAMETER;
    Context->Darkness = *darkness;
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterFillPattern(PTOASTER_CONTEXT Context, WDFREQUEST Request, ULONG_PTR *Information)
{
    PUCHAR out;
    size_t length;
    NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 1, (PVOID *)&out, &length);
    if (!NT_SUCCESS(status))
        return status;
    for (size_t i = 0; i < length; i++)
        out[i] = (UCHAR)((i * 7 + Context->Darkness) & 0xff);
    *Information = length;
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterChecksum(PTOASTER_CONTEXT Context, WDFREQUEST Request, size_t OutLength,
                                ULONG_PTR *Information)
{
    PULONG seed;
    PUCHAR data;
    size_t length = 0;
    NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, sizeof(ULONG), (PVOID *)&seed, NULL);
    if (!NT_SUCCESS(status))
        return status;
    ULONG sum = *seed;
    if (OutLength) {
        status = WdfRequestRetrieveOutputBuffer(Request, 1, (PVOID *)&data, &length);
        if (!NT_SUCCESS(status))
            return status;
        for (size_t i = 0; i < length; i++)
            sum = TOASTER_CHECKSUM_STEP(sum, data[i]);
    }
    Context->LastChecksum = sum;
    *Information = length;
    return STATUS_SUCCESS;
}

static NTSTATUS ToasterReverse(WDFREQUEST Request, ULONG_PTR *Information)
{
    PREVERSE_CONTEXT locked = ReverseGetContext(Request);
    size_t inLength, outLength;
    PUCHAR in, out;

    if (locked == NULL || locked->In == NULL)
        return STATUS_INVALID_PARAMETER;
    in = (PUCHAR)WdfMemoryGetBuffer(locked->In, &inLength);
    out = (PUCHAR)WdfMemoryGetBuffer(locked->Out, &outLength);
    if (outLength < inLength)
        return STATUS_BUFFER_TOO_SMALL;
    for (size_t i = 0; i < inLength; i++)
        out[i] = in[inLength - 1 - i];
    *Information = inLength;
    return STATUS_SUCCESS;
}

VOID ToasterEvtIoDeviceControl(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t OutputBufferLength,
                               _In_ size_t InputBufferLength, _In_ ULONG IoControlCode)
{
    PTOASTER_CONTEXT context = ToasterGetContext(WdfIoQueueGetDevice(Queue));
    ULONG_PTR information = 0;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(InputBufferLength);
    switch (IoControlCode) {
    case IOCTL_TOASTER_GET_INFO:
        status = ToasterGetInfo(context, Request, &information);
        break;
    case IOCTL_TOASTER_SET_DARKNESS:
        status = ToasterSetDarkness(context, Request);
        break;
    case IOCTL_TOASTER_FILL_PATTERN:
        status = ToasterFillPattern(context, Request, &information);
        break;
    case IOCTL_TOASTER_CHECKSUM:
        status = ToasterChecksum(context, Request, OutputBufferLength, &information);
        break;
    case IOCTL_TOASTER_REVERSE:
        status = ToasterReverse(Request, &information);
        break;
    case IOCTL_TOASTER_WAIT_TOAST:
        if (OutputBufferLength < sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        status = WdfRequestForwardToIoQueue(Request, context->PendingWaits);
        if (NT_SUCCESS(status))
            return;
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    WdfRequestCompleteWithInformation(Request, status, information);
}

/* Only METHOD_NEITHER needs the caller's context: its buffers are locked
 * here, where the caller's pointers mean something, then queued. */
static NTSTATUS ToasterLockNeither(WDFREQUEST Request)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    PREVERSE_CONTEXT locked;
    PVOID in, out;
    size_t inLength, outLength;
    NTSTATUS status;

    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, REVERSE_CONTEXT);
    status = WdfObjectAllocateContext(Request, &attributes, (PVOID *)&locked);
    if (!NT_SUCCESS(status))
        return status;
    status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, 0, &in, &inLength);
    if (NT_SUCCESS(status))
        status = WdfRequestRetrieveUnsafeUserOutputBuffer(Request, 0, &out, &outLength);
    if (NT_SUCCESS(status) && inLength)
        status = WdfRequestProbeAndLockUserBufferForRead(Request, in, inLength, &locked->In);
    if (NT_SUCCESS(status) && outLength)
        status = WdfRequestProbeAndLockUserBufferForWrite(Request, out, outLength, &locked->Out);
    return status;
}

VOID ToasterEvtIoInCallerContext(_In_ WDFDEVICE Device, _In_ WDFREQUEST Request)
{
    WDF_REQUEST_PARAMETERS params;
    NTSTATUS status;

    WDF_REQUEST_PARAMETERS_INIT(&params);
    WdfRequestGetParameters(Request, &params);
    if (params.Type == WdfRequestTypeDeviceControl &&
        params.Parameters.DeviceIoControl.IoControlCode == IOCTL_TOASTER_REVERSE) {
        status = ToasterLockNeither(Request);
        if (!NT_SUCCESS(status)) {
            WdfRequestComplete(Request, status);
            return;
        }
    }
    status = WdfDeviceEnqueueRequest(Device, Request);
    if (!NT_SUCCESS(status))
        WdfRequestComplete(Request, status);
}
