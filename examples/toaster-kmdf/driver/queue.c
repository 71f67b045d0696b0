/*
 * The KMDF toaster's queues and requests: a parallel default queue for
 * reads, writes and IOCTLs, and two manual queues where reads wait for
 * bytes and IOCTL_TOASTER_WAIT_TOAST waits for the next toast. The
 * framework cancels requests in manual queues by itself.
 */
#include "toaster.h"

NTSTATUS ToasterQueuesCreate(WDFDEVICE Device)
{
    PTOASTER_CONTEXT context = ToasterGetContext(Device);
    WDF_IO_QUEUE_CONFIG config;
    NTSTATUS status;

    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&config, WdfIoQueueDispatchParallel);
    config.EvtIoRead = ToasterEvtIoRead;
    config.EvtIoWrite = ToasterEvtIoWrite;
    config.EvtIoDeviceControl = ToasterEvtIoDeviceControl;
    status = WdfIoQueueCreate(Device, &config, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG_INIT(&config, WdfIoQueueDispatchManual);
    status = WdfIoQueueCreate(Device, &config, WDF_NO_OBJECT_ATTRIBUTES, &context->PendingReads);
    if (!NT_SUCCESS(status))
        return status;
    return WdfIoQueueCreate(Device, &config, WDF_NO_OBJECT_ATTRIBUTES, &context->PendingWaits);
}

/* Under the context's lock. */
static ULONG ToasterPutBytes(PTOASTER_CONTEXT Context, const UCHAR *In, ULONG Length)
{
    ULONG room = TOASTER_BUFFER_SIZE - Context->Count, n = Length < room ? Length : room;
    for (ULONG i = 0; i < n; i++)
        Context->Buffer[(Context->Head + Context->Count + i) % TOASTER_BUFFER_SIZE] = In[i];
    Context->Count += n;
    return n;
}

ULONG ToasterTakeBytes(PTOASTER_CONTEXT Context, PUCHAR Out, ULONG Length)
{
    ULONG n;
    WdfSpinLockAcquire(Context->Lock);
    n = Length < Context->Count ? Length : Context->Count;
    for (ULONG i = 0; i < n; i++)
        Out[i] = Context->Buffer[(Context->Head + i) % TOASTER_BUFFER_SIZE];
    Context->Head = (Context->Head + n) % TOASTER_BUFFER_SIZE;
    Context->Count -= n;
    WdfSpinLockRelease(Context->Lock);
    return n;
}

/* Completes a read with what the toaster holds, or says there was nothing. */
static BOOLEAN ToasterTryRead(PTOASTER_CONTEXT Context, WDFREQUEST Request, size_t Length)
{
    PVOID buffer;
    ULONG taken;

    if (!NT_SUCCESS(WdfRequestRetrieveOutputBuffer(Request, 1, &buffer, NULL)))
        return FALSE;
    taken = ToasterTakeBytes(Context, (PUCHAR)buffer, (ULONG)Length);
    if (taken == 0)
        return FALSE;
    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, taken);
    return TRUE;
}

VOID ToasterToastReady(PTOASTER_CONTEXT Context)
{
    WDFREQUEST request;
    WDF_REQUEST_PARAMETERS params;

    while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(Context->PendingReads, &request))) {
        WDF_REQUEST_PARAMETERS_INIT(&params);
        WdfRequestGetParameters(request, &params);
        if (!ToasterTryRead(Context, request, params.Parameters.Read.Length)) {
            /* Another read took the bytes: this one waits again. */
            if (!NT_SUCCESS(WdfRequestRequeue(request)))
                WdfRequestComplete(request, STATUS_CANCELLED);
            break;
        }
    }
    while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(Context->PendingWaits, &request))) {
        PULONG number;
        if (NT_SUCCESS(WdfRequestRetrieveOutputBuffer(request, sizeof(ULONG), (PVOID *)&number, NULL))) {
            *number = Context->ToastsMade;
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, sizeof(ULONG));
        } else {
            WdfRequestComplete(request, STATUS_BUFFER_TOO_SMALL);
        }
    }
}

VOID ToasterEvtIoRead(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t Length)
{
    PTOASTER_CONTEXT context = ToasterGetContext(WdfIoQueueGetDevice(Queue));
    NTSTATUS status;

    if (Length == 0) {
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
        return;
    }
    if (ToasterTryRead(context, Request, Length))
        return;
    status = WdfRequestForwardToIoQueue(Request, context->PendingReads);
    if (!NT_SUCCESS(status))
        WdfRequestComplete(Request, status);
}

VOID ToasterEvtIoWrite(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t Length)
{
    PTOASTER_CONTEXT context = ToasterGetContext(WdfIoQueueGetDevice(Queue));
    PVOID buffer = NULL;
    ULONG put = 0;

    if (Length && !NT_SUCCESS(WdfRequestRetrieveInputBuffer(Request, Length, &buffer, NULL))) {
        WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
        return;
    }
    WdfSpinLockAcquire(context->Lock);
    put = ToasterPutBytes(context, (const UCHAR *)buffer, (ULONG)Length);
    if (put)
        context->ToastsMade++;
    WdfSpinLockRelease(context->Lock);
    if (put)
        ToasterToastReady(context);
    KdPrint(("ToasterKmdf: toast %lu, %lu bytes\n", context->ToastsMade, put));
    /* A full buffer takes what fits, as a pipe would. */
    WdfRequestCompleteWithInformation(Request, put || Length == 0 ? STATUS_SUCCESS : STATUS_DEVICE_BUSY, put);
}
