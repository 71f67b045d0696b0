/*
 * fxpnp: a KMDF function (or filter) driver that implements every PnP and
 * power callback by writing its name, and the power state it was given,
 * into the struct fxtest the test reads. It creates a device interface when
 * the test asks, and file object cleanup/close callbacks (creates are
 * completed by the framework: there is no EvtDeviceFileCreate).
 */
#include <ntddk.h>
#include <wdf.h>

#include "fxtest.h"

static struct fxtest *shared;

static void record(const char *name, const char *state)
{
    LONG n = InterlockedIncrement(&shared->count) - 1;
    char *out;
    size_t i = 0;

    if (n >= FXTEST_MAX)
        return;
    out = shared->log[n];
    for (const char *s = name; *s && i + 1 < sizeof(shared->log[0]); s++)
        out[i++] = *s;
    if (state) {
        out[i++] = '(';
        for (const char *s = state; *s && i + 2 < sizeof(shared->log[0]); s++)
            out[i++] = *s;
        out[i++] = ')';
    }
    out[i] = 0;
}

static const char *state_name(WDF_POWER_DEVICE_STATE state)
{
    switch (state) {
    case WdfPowerDeviceD0: return "D0";
    case WdfPowerDeviceD1: return "D1";
    case WdfPowerDeviceD2: return "D2";
    case WdfPowerDeviceD3: return "D3";
    case WdfPowerDeviceD3Final: return "D3Final";
    default: return "?";
    }
}

static NTSTATUS PrepareHardware(WDFDEVICE Device, WDFCMRESLIST Raw, WDFCMRESLIST Translated)
{
    (void)Device;
    /* No hardware on this bus: both lists are empty. */
    record(WdfCmResourceListGetCount(Raw) == 0 && WdfCmResourceListGetCount(Translated) == 0 ? "PrepareHardware"
                                                                                              : "PrepareHardware!",
           NULL);
    return shared->prepare_status;
}

static NTSTATUS ReleaseHardware(WDFDEVICE Device, WDFCMRESLIST Translated)
{
    (void)Device;
    (void)Translated;
    record("ReleaseHardware", NULL);
    return STATUS_SUCCESS;
}

static NTSTATUS D0Entry(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
{
    (void)Device;
    record("D0Entry", state_name(PreviousState));
    return STATUS_SUCCESS;
}

static NTSTATUS D0EntryPostInterruptsEnabled(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
{
    (void)Device;
    record("D0EntryPostInterruptsEnabled", state_name(PreviousState));
    return STATUS_SUCCESS;
}

static NTSTATUS D0ExitPreInterruptsDisabled(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState)
{
    (void)Device;
    record("D0ExitPreInterruptsDisabled", state_name(TargetState));
    return STATUS_SUCCESS;
}

static NTSTATUS D0Exit(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState)
{
    (void)Device;
    record("D0Exit", state_name(TargetState));
    return STATUS_SUCCESS;
}

static NTSTATUS SelfManagedIoInit(WDFDEVICE Device)
{
    (void)Device;
    record("SelfManagedIoInit", NULL);
    return STATUS_SUCCESS;
}

static NTSTATUS SelfManagedIoRestart(WDFDEVICE Device)
{
    (void)Device;
    record("SelfManagedIoRestart", NULL);
    return STATUS_SUCCESS;
}

static NTSTATUS SelfManagedIoSuspend(WDFDEVICE Device)
{
    (void)Device;
    record("SelfManagedIoSuspend", NULL);
    return STATUS_SUCCESS;
}

static void SelfManagedIoFlush(WDFDEVICE Device)
{
    (void)Device;
    record("SelfManagedIoFlush", NULL);
}

static void SelfManagedIoCleanup(WDFDEVICE Device)
{
    (void)Device;
    record("SelfManagedIoCleanup", NULL);
}

static NTSTATUS QueryStop(WDFDEVICE Device)
{
    (void)Device;
    record("QueryStop", NULL);
    return shared->query_stop_status;
}

static NTSTATUS QueryRemove(WDFDEVICE Device)
{
    (void)Device;
    record("QueryRemove", NULL);
    return shared->query_remove_status;
}

static void SurpriseRemoval(WDFDEVICE Device)
{
    (void)Device;
    record("SurpriseRemoval", NULL);
}

static void DeviceCleanup(WDFOBJECT Object)
{
    (void)Object;
    record("DeviceCleanup", NULL);
}

static void FileCleanup(WDFFILEOBJECT FileObject)
{
    record(WdfFileObjectGetDevice(FileObject) == shared->device ? "FileCleanup" : "FileCleanup!", NULL);
}

static void FileClose(WDFFILEOBJECT FileObject)
{
    (void)FileObject;
    record("FileClose", NULL);
}

static void set_callbacks(PWDFDEVICE_INIT DeviceInit)
{
    WDF_PNPPOWER_EVENT_CALLBACKS pnp;
    WDF_FILEOBJECT_CONFIG files;

    WDF_PNPPOWER_EVENT_CALLBACKS_INIT(&pnp);
    pnp.EvtDevicePrepareHardware = PrepareHardware;
    pnp.EvtDeviceReleaseHardware = ReleaseHardware;
    pnp.EvtDeviceD0Entry = D0Entry;
    pnp.EvtDeviceD0EntryPostInterruptsEnabled = D0EntryPostInterruptsEnabled;
    pnp.EvtDeviceD0ExitPreInterruptsDisabled = D0ExitPreInterruptsDisabled;
    pnp.EvtDeviceD0Exit = D0Exit;
    pnp.EvtDeviceSelfManagedIoInit = SelfManagedIoInit;
    pnp.EvtDeviceSelfManagedIoRestart = SelfManagedIoRestart;
    pnp.EvtDeviceSelfManagedIoSuspend = SelfManagedIoSuspend;
    pnp.EvtDeviceSelfManagedIoFlush = SelfManagedIoFlush;
    pnp.EvtDeviceSelfManagedIoCleanup = SelfManagedIoCleanup;
    pnp.EvtDeviceQueryStop = QueryStop;
    pnp.EvtDeviceQueryRemove = QueryRemove;
    pnp.EvtDeviceSurpriseRemoval = SurpriseRemoval;
    WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, &pnp);
    WDF_FILEOBJECT_CONFIG_INIT(&files, WDF_NO_EVENT_CALLBACK, FileClose, FileCleanup);
    WdfDeviceInitSetFileObjectConfig(DeviceInit, &files, WDF_NO_OBJECT_ATTRIBUTES);
}

static NTSTATUS DeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
    static const GUID none;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFDEVICE device;
    NTSTATUS status;

    (void)Driver;
    record("DeviceAdd", NULL);
    if (shared->filter)
        WdfFdoInitSetFilter(DeviceInit);
    set_callbacks(DeviceInit);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.EvtCleanupCallback = DeviceCleanup;
    status = WdfDeviceCreate(&DeviceInit, &attributes, &device);
    if (!NT_SUCCESS(status))
        return status;
    shared->device = device;
    if (!IsEqualGUID(&shared->interface_guid, &none)) {
        status = WdfDeviceCreateDeviceInterface(device, &shared->interface_guid, NULL);
        if (!NT_SUCCESS(status))
            return status;
    }
    return shared->add_status;
}

static WDFDRIVER GetDriver(WDFDEVICE Device)
{
    return WdfDeviceGetDriver(Device);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    NTSTATUS status = IoAllocateDriverObjectExtension(DriverObject, FXTEST_ID, sizeof(*shared), (PVOID *)&shared);
    if (!NT_SUCCESS(status))
        return status;
    RtlZeroMemory(shared, sizeof(*shared));
    shared->get_driver = GetDriver;
    WDF_DRIVER_CONFIG_INIT(&config, DeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
