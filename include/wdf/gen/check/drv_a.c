/* Scratch KMDF driver: a broad sample of structures, INIT helpers and wrappers. */
#include "ctx.h"
static const GUID GUID_KMH_TEST = { 0x6d1f2a4b, 0x1c2d, 0x4e5f, { 0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x40, 0x51 } };

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_DEVICE_ADD EvtDeviceAdd;
EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL EvtIoDeviceControl;
EVT_WDF_IO_QUEUE_IO_READ EvtIoRead;
EVT_WDF_TIMER EvtTimer;
EVT_WDF_DEVICE_CONTEXT_CLEANUP EvtCleanup;
EVT_WDF_DEVICE_PREPARE_HARDWARE EvtPrepare;
EVT_WDF_CHILD_LIST_CREATE_DEVICE EvtChildCreate;

__attribute__((visibility("default"))) NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;

    WDF_DRIVER_CONFIG_INIT(&config, EvtDeviceAdd);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.EvtCleanupCallback = EvtCleanup;
    return WdfDriverCreate(DriverObject, RegistryPath, &attributes, &config, WDF_NO_HANDLE);
}

VOID EvtCleanup(WDFOBJECT Object) { UNREFERENCED_PARAMETER(Object); }

NTSTATUS EvtPrepare(WDFDEVICE Device, WDFCMRESLIST Raw, WDFCMRESLIST Translated)
{
    UNREFERENCED_PARAMETER(Device);
    UNREFERENCED_PARAMETER(Raw);
    return WdfCmResourceListGetCount(Translated) ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}

NTSTATUS EvtChildCreate(WDFCHILDLIST List, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Id, PWDFDEVICE_INIT ChildInit)
{
    DECLARE_CONST_UNICODE_STRING(hwid, L"KMH\\Child");
    UNREFERENCED_PARAMETER(List);
    UNREFERENCED_PARAMETER(Id);
    return WdfPdoInitAddHardwareID(ChildInit, &hwid);
}

NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
    WDF_PNPPOWER_EVENT_CALLBACKS pnp;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_IO_QUEUE_CONFIG queueConfig;
    WDF_TIMER_CONFIG timerConfig;
    WDF_DEVICE_PNP_CAPABILITIES pnpCaps;
    WDF_DEVICE_POWER_CAPABILITIES powerCaps;
    WDF_CHILD_LIST_CONFIG childConfig;
    WDF_DEVICE_POWER_POLICY_IDLE_SETTINGS idle;
    WDFDEVICE device;
    WDFTIMER timer;
    PDEVICE_CONTEXT ctx;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);
    WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnp);
    pnp.EvtDevicePrepareHardware = EvtPrepare;
    WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnp);
    WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);
    WDF_CHILD_LIST_CONFIG_INIT(&childConfig, sizeof(WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER), EvtChildCreate);
    WdfFdoInitSetDefaultChildListConfig(DeviceInit, &childConfig, WDF_NO_OBJECT_ATTRIBUTES);

    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, DEVICE_CONTEXT);
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    ctx = DeviceGetContext(device);
    if (ctx == NULL || ctx != drv_b_get(device))
        return STATUS_UNSUCCESSFUL;
    ctx->Magic = 0x4b4d4831;

    WDF_DEVICE_PNP_CAPABILITIES_INIT(&pnpCaps);
    pnpCaps.SurpriseRemovalOK = WdfTrue;
    WdfDeviceSetPnpCapabilities(device, &pnpCaps);
    WDF_DEVICE_POWER_CAPABILITIES_INIT(&powerCaps);
    WdfDeviceSetPowerCapabilities(device, &powerCaps);
    WDF_DEVICE_POWER_POLICY_IDLE_SETTINGS_INIT(&idle, IdleCannotWakeFromS0);
    (void)WdfDeviceAssignS0IdleSettings(device, &idle);

    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queueConfig, WdfIoQueueDispatchParallel);
    queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;
    queueConfig.EvtIoRead = EvtIoRead;
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, QUEUE_CONTEXT);
    status = WdfIoQueueCreate(device, &queueConfig, &attributes, &ctx->Queue);
    if (!NT_SUCCESS(status))
        return status;
    WdfObjectGet_QUEUE_CONTEXT(ctx->Queue)->Count = 0;

    WDF_TIMER_CONFIG_INIT_PERIODIC(&timerConfig, EvtTimer, 10);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = device;
    status = WdfTimerCreate(&timerConfig, &attributes, &timer);
    if (!NT_SUCCESS(status))
        return status;
    WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(10));
    (void)WdfObjectAddCustomType(device, KMH_TAG);
    WdfObjectReference(device);
    WdfObjectDereference(device);
    return WdfDeviceCreateDeviceInterface(device, &GUID_KMH_TEST, NULL);
}

VOID EvtTimer(WDFTIMER Timer)
{
    PDEVICE_CONTEXT ctx = DeviceGetContext(WdfTimerGetParentObject(Timer));
    ctx->Magic++;
}

VOID EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, size_t Length)
{
    WDFMEMORY memory;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Queue);
    status = WdfRequestRetrieveOutputMemory(Request, &memory);
    if (NT_SUCCESS(status))
        status = WdfMemoryCopyFromBuffer(memory, 0, (PVOID)"kmhost", Length < 6 ? Length : 6);
    WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? Length : 0);
}

VOID EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength,
                        ULONG IoControlCode)
{
    WDF_REQUEST_PARAMETERS params;
    PVOID in;
    size_t len;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(OutputBufferLength);
    UNREFERENCED_PARAMETER(InputBufferLength);
    WDF_REQUEST_PARAMETERS_INIT(&params);
    WdfRequestGetParameters(Request, &params);
    if (params.Type != WdfRequestTypeDeviceControl || params.Parameters.DeviceIoControl.IoControlCode != IoControlCode) {
        WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
        return;
    }
    status = WdfRequestRetrieveInputBuffer(Request, 4, &in, &len);
    if (NT_SUCCESS(status)) {
        WdfObjectGet_QUEUE_CONTEXT(Queue)->Count++;
        WdfObjectAcquireLock(Queue);
        WdfObjectReleaseLock(Queue);
    }
    WdfRequestComplete(Request, status);
}
