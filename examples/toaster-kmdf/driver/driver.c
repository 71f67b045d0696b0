/*
 * DriverEntry and EvtDriverDeviceAdd of the KMDF toaster, with the PnP,
 * power and file object callbacks it needs.
 */
#include <ntddk.h>
#include <wdf.h>
#include <initguid.h> /* this file defines the interface GUID */
#include "toaster.h"

NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;

    KdPrint(("ToasterKmdf: DriverEntry %wZ\n", RegistryPath));
    WDF_DRIVER_CONFIG_INIT(&config, ToasterEvtDeviceAdd);
    config.EvtDriverUnload = ToasterEvtDriverUnload;
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}

VOID ToasterEvtDriverUnload(_In_ WDFDRIVER Driver)
{
    UNREFERENCED_PARAMETER(Driver);
    KdPrint(("ToasterKmdf: DriverUnload\n"));
}

static VOID ToasterSetCallbacks(PWDFDEVICE_INIT DeviceInit)
{
    WDF_PNPPOWER_EVENT_CALLBACKS pnp;
    WDF_FILEOBJECT_CONFIG file;

    WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnp);
    pnp.EvtDevicePrepareHardware = ToasterEvtPrepareHardware;
    pnp.EvtDeviceD0Entry = ToasterEvtD0Entry;
    pnp.EvtDeviceD0Exit = ToasterEvtD0Exit;
    WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnp);
    WDF_FILEOBJECT_CONFIG_INIT(&file, ToasterEvtFileCreate, ToasterEvtFileClose, ToasterEvtFileCleanup);
    WdfDeviceInitSetFileObjectConfig(DeviceInit, &file, WDF_NO_OBJECT_ATTRIBUTES);
    WdfDeviceInitSetIoInCallerContextCallback(DeviceInit, ToasterEvtIoInCallerContext);
}

NTSTATUS ToasterEvtDeviceAdd(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFDEVICE device;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Driver);
    KdPrint(("ToasterKmdf: AddDevice\n"));
    WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);
    ToasterSetCallbacks(DeviceInit);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, TOASTER_CONTEXT);
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = device;
    status = WdfSpinLockCreate(&attributes, &ToasterGetContext(device)->Lock);
    if (!NT_SUCCESS(status))
        return status;
    status = WdfDeviceCreateDeviceInterface(device, &GUID_DEVINTERFACE_KMH_TOASTER, NULL);
    if (!NT_SUCCESS(status))
        return status;
    return ToasterQueuesCreate(device);
}

NTSTATUS ToasterEvtPrepareHardware(_In_ WDFDEVICE Device, _In_ WDFCMRESLIST ResourcesRaw,
                                   _In_ WDFCMRESLIST ResourcesTranslated)
{
    UNREFERENCED_PARAMETER(Device);
    UNREFERENCED_PARAMETER(ResourcesRaw);
    UNREFERENCED_PARAMETER(ResourcesTranslated);
    KdPrint(("ToasterKmdf: PrepareHardware\n"));
    return STATUS_SUCCESS;
}

/* D3Final is where a device starts from and goes to at removal. */
static const char *PowerStateName(WDF_POWER_DEVICE_STATE State)
{
    switch (State) {
    case WdfPowerDeviceD0: return "D0";
    case WdfPowerDeviceD1: return "D1";
    case WdfPowerDeviceD2: return "D2";
    case WdfPowerDeviceD3: return "D3";
    case WdfPowerDeviceD3Final: return "D3Final";
    case WdfPowerDevicePrepareForHibernation: return "hibernation";
    default: return "an unknown state";
    }
}

NTSTATUS ToasterEvtD0Entry(_In_ WDFDEVICE Device, _In_ WDF_POWER_DEVICE_STATE PreviousState)
{
    UNREFERENCED_PARAMETER(Device);
    KdPrint(("ToasterKmdf: D0Entry from %s\n", PowerStateName(PreviousState)));
    return STATUS_SUCCESS;
}

NTSTATUS ToasterEvtD0Exit(_In_ WDFDEVICE Device, _In_ WDF_POWER_DEVICE_STATE TargetState)
{
    UNREFERENCED_PARAMETER(Device);
    KdPrint(("ToasterKmdf: D0Exit to %s\n", PowerStateName(TargetState)));
    return STATUS_SUCCESS;
}

VOID ToasterEvtFileCreate(_In_ WDFDEVICE Device, _In_ WDFREQUEST Request, _In_ WDFFILEOBJECT FileObject)
{
    PTOASTER_CONTEXT context = ToasterGetContext(Device);
    UNREFERENCED_PARAMETER(FileObject);
    InterlockedIncrement(&context->OpenCount);
    KdPrint(("ToasterKmdf: Create (%d open)\n", context->OpenCount));
    WdfRequestComplete(Request, STATUS_SUCCESS);
}

/* The handle is gone: its waiting requests can never be collected. */
VOID ToasterEvtFileCleanup(_In_ WDFFILEOBJECT FileObject)
{
    PTOASTER_CONTEXT context = ToasterGetContext(WdfFileObjectGetDevice(FileObject));
    WDFQUEUE queues[2] = { context->PendingReads, context->PendingWaits };
    WDFREQUEST request;

    for (int i = 0; i < 2; i++)
        while (NT_SUCCESS(WdfIoQueueRetrieveRequestByFileObject(queues[i], FileObject, &request)))
            WdfRequestComplete(request, STATUS_CANCELLED);
    KdPrint(("ToasterKmdf: Cleanup\n"));
}

VOID ToasterEvtFileClose(_In_ WDFFILEOBJECT FileObject)
{
    PTOASTER_CONTEXT context = ToasterGetContext(WdfFileObjectGetDevice(FileObject));
    InterlockedDecrement(&context->OpenCount);
    KdPrint(("ToasterKmdf: Close (%d open)\n", context->OpenCount));
}
