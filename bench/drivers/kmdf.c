/*
 * kmhbenchkmdf: the KMDF benchmark driver. ROOT\KMHBENCHKMDFPAR devices get
 * a parallel default queue and the name KmhBenchKmdfPar, ROOT\KMHBENCHKMDFSEQ
 * devices a sequential one and KmhBenchKmdfSeq. Besides the round-trip
 * IOCTLs it times framework operations from inside the driver: object and
 * request create+delete loops, timer and work item dispatch, and it holds
 * requests in a manual queue so the program can count their memory.
 */
#include <ntddk.h>
#include <wdf.h>
#include "kmhbench.h"

typedef struct _BENCH_CONTEXT {
    WDFTIMER Timer;
    WDFWORKITEM WorkItem;
    WDFQUEUE Held;
    WDFREQUEST Waiting;  /* the IOCTL_KMHBENCH_TIMER or _WORKITEM request */
    LONGLONG Start;
} BENCH_CONTEXT, *PBENCH_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(BENCH_CONTEXT, BenchGetContext)

DRIVER_INITIALIZE DriverEntry;
static EVT_WDF_DRIVER_DEVICE_ADD BenchEvtDeviceAdd;
static EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL BenchEvtIoDeviceControl;
static EVT_WDF_TIMER BenchEvtTimer;
static EVT_WDF_WORKITEM BenchEvtWorkItem;

static LONGLONG BenchTicks(void)
{
    return KeQueryPerformanceCounter(NULL).QuadPart;
}

/* Completes the waiting request with the ticks since Start. */
static VOID BenchFinishWait(PBENCH_CONTEXT Context)
{
    LONGLONG elapsed = BenchTicks() - Context->Start;
    WDFREQUEST request = Context->Waiting;
    LONGLONG *out;

    Context->Waiting = NULL;
    if (!NT_SUCCESS(WdfRequestRetrieveOutputBuffer(request, sizeof(*out), (PVOID *)&out, NULL))) {
        WdfRequestComplete(request, STATUS_BUFFER_TOO_SMALL);
        return;
    }
    *out = elapsed;
    WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, sizeof(*out));
}

static VOID BenchEvtTimer(_In_ WDFTIMER Timer)
{
    BenchFinishWait(BenchGetContext(WdfTimerGetParentObject(Timer)));
}

static VOID BenchEvtWorkItem(_In_ WDFWORKITEM WorkItem)
{
    BenchFinishWait(BenchGetContext(WdfWorkItemGetParentObject(WorkItem)));
}

static NTSTATUS BenchLoop(WDFREQUEST Request, ULONG_PTR *Information)
{
    struct kmhbench_loop *loop;
    LONGLONG *out, start;
    WDFOBJECT object;
    WDFREQUEST request;
    NTSTATUS status;

    status = WdfRequestRetrieveInputBuffer(Request, sizeof(*loop), (PVOID *)&loop, NULL);
    if (NT_SUCCESS(status))
        status = WdfRequestRetrieveOutputBuffer(Request, sizeof(*out), (PVOID *)&out, NULL);
    if (!NT_SUCCESS(status))
        return status;
    start = BenchTicks();
    for (unsigned i = 0; i < loop->count; i++) {
        if (loop->kind == KMHBENCH_LOOP_OBJECT) {
            status = WdfObjectCreate(WDF_NO_OBJECT_ATTRIBUTES, &object);
            if (!NT_SUCCESS(status))
                return status;
            WdfObjectDelete(object);
        } else {
            status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, NULL, &request);
            if (!NT_SUCCESS(status))
                return status;
            WdfObjectDelete(request);
        }
    }
    *out = BenchTicks() - start;
    *Information = sizeof(*out);
    return STATUS_SUCCESS;
}

static VOID BenchRelease(PBENCH_CONTEXT Context)
{
    WDFREQUEST request;

    while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(Context->Held, &request)))
        WdfRequestComplete(request, STATUS_SUCCESS);
}

static VOID BenchEvtIoDeviceControl(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t OutputBufferLength,
                                    _In_ size_t InputBufferLength, _In_ ULONG IoControlCode)
{
    PBENCH_CONTEXT context = BenchGetContext(WdfIoQueueGetDevice(Queue));
    ULONG_PTR information = 0;
    PVOID in, out;
    NTSTATUS status = STATUS_SUCCESS;
    size_t n;

    switch (IoControlCode) {
    case IOCTL_KMHBENCH_BUFFERED:
        information = OutputBufferLength;
        break;
    case IOCTL_KMHBENCH_OUT_DIRECT:
        n = min(InputBufferLength, OutputBufferLength);
        if (n == 0)
            break;
        status = WdfRequestRetrieveInputBuffer(Request, n, &in, NULL);
        if (NT_SUCCESS(status))
            status = WdfRequestRetrieveOutputBuffer(Request, n, &out, NULL);
        if (NT_SUCCESS(status)) {
            RtlCopyMemory(out, in, n);
            information = n;
        }
        break;
    case IOCTL_KMHBENCH_LOOP:
        status = BenchLoop(Request, &information);
        break;
    case IOCTL_KMHBENCH_TIMER:
    case IOCTL_KMHBENCH_WORKITEM:
        context->Waiting = Request;
        context->Start = BenchTicks();
        if (IoControlCode == IOCTL_KMHBENCH_TIMER)
            WdfTimerStart(context->Timer, WDF_REL_TIMEOUT_IN_US(1));
        else
            WdfWorkItemEnqueue(context->WorkItem);
        return;
    case IOCTL_KMHBENCH_HOLD:
        status = WdfRequestForwardToIoQueue(Request, context->Held);
        if (NT_SUCCESS(status))
            return;
        break;
    case IOCTL_KMHBENCH_RELEASE:
        BenchRelease(context);
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    WdfRequestCompleteWithInformation(Request, status, information);
}

/* TRUE when the device's first hardware ID ends in "SEQ". */
static BOOLEAN BenchIsSequential(PWDFDEVICE_INIT DeviceInit)
{
    WCHAR ids[128] = { 0 };
    ULONG length = 0, n = 0;

    if (!NT_SUCCESS(WdfFdoInitQueryProperty(DeviceInit, DevicePropertyHardwareID, sizeof(ids) - sizeof(WCHAR), ids,
                                            &length)))
        return FALSE;
    while (n < 127 && ids[n])
        n++;
    return n >= 3 && (ids[n - 3] | 0x20) == 's' && (ids[n - 2] | 0x20) == 'e' && (ids[n - 1] | 0x20) == 'q';
}

static NTSTATUS BenchCreateHelpers(WDFDEVICE Device, PBENCH_CONTEXT Context)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_TIMER_CONFIG timer;
    WDF_WORKITEM_CONFIG work;
    WDF_IO_QUEUE_CONFIG queue;
    NTSTATUS status;

    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = Device;
    WDF_TIMER_CONFIG_INIT(&timer, BenchEvtTimer);
    status = WdfTimerCreate(&timer, &attributes, &Context->Timer);
    if (!NT_SUCCESS(status))
        return status;
    WDF_WORKITEM_CONFIG_INIT(&work, BenchEvtWorkItem);
    status = WdfWorkItemCreate(&work, &attributes, &Context->WorkItem);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG_INIT(&queue, WdfIoQueueDispatchManual);
    return WdfIoQueueCreate(Device, &queue, WDF_NO_OBJECT_ATTRIBUTES, &Context->Held);
}

static NTSTATUS BenchEvtDeviceAdd(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit)
{
    BOOLEAN sequential = BenchIsSequential(DeviceInit);
    DECLARE_CONST_UNICODE_STRING(parName, L"\\Device\\KmhBenchKmdfPar");
    DECLARE_CONST_UNICODE_STRING(seqName, L"\\Device\\KmhBenchKmdfSeq");
    DECLARE_CONST_UNICODE_STRING(parLink, L"\\DosDevices\\KmhBenchKmdfPar");
    DECLARE_CONST_UNICODE_STRING(seqLink, L"\\DosDevices\\KmhBenchKmdfSeq");
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG queue;
    WDFDEVICE device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);
    WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);
    status = WdfDeviceInitAssignName(DeviceInit, sequential ? &seqName : &parName);
    if (!NT_SUCCESS(status))
        return status;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, BENCH_CONTEXT);
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = WdfDeviceCreateSymbolicLink(device, sequential ? &seqLink : &parLink);
    if (!NT_SUCCESS(status))
        return status;
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queue,
                                           sequential ? WdfIoQueueDispatchSequential : WdfIoQueueDispatchParallel);
    queue.EvtIoDeviceControl = BenchEvtIoDeviceControl;
    status = WdfIoQueueCreate(device, &queue, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
    if (!NT_SUCCESS(status))
        return status;
    return BenchCreateHelpers(device, BenchGetContext(device));
}

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;

    WDF_DRIVER_CONFIG_INIT(&config, BenchEvtDeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
