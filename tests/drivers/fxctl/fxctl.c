/*
 * fxctl: a non-PnP KMDF driver whose DriverEntry makes a control device
 * \Device\FxCtl with the symbolic link \DosDevices\FxCtl, file cleanup and
 * close callbacks and a shutdown notification, all recorded in the struct
 * fxtest the test reads. The test deletes the device through delete_device,
 * as a driver deletes its control device with WdfObjectDelete.
 */
#include <ntddk.h>
#include <wdf.h>

#include "fxtest.h"

static struct fxtest *shared;

static void record(const char *name)
{
    LONG n = InterlockedIncrement(&shared->count) - 1;
    size_t i = 0;
    if (n >= FXTEST_MAX)
        return;
    for (const char *s = name; *s && i + 1 < sizeof(shared->log[0]); s++)
        shared->log[n][i++] = *s;
    shared->log[n][i] = 0;
}

static void FileCleanup(WDFFILEOBJECT FileObject)
{
    (void)FileObject;
    record("FileCleanup");
}

static void FileClose(WDFFILEOBJECT FileObject)
{
    (void)FileObject;
    record("FileClose");
}

static void Shutdown(WDFDEVICE Device)
{
    record(Device == shared->device ? "Shutdown" : "Shutdown!");
}

static void DeviceCleanup(WDFOBJECT Object)
{
    (void)Object;
    record("DeviceCleanup");
}

static void DeleteDevice(void)
{
    WdfObjectDelete(shared->device);
}

static NTSTATUS create_control_device(WDFDRIVER driver)
{
    DECLARE_CONST_UNICODE_STRING(sddl, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
    DECLARE_CONST_UNICODE_STRING(name, L"\\Device\\FxCtl");
    DECLARE_CONST_UNICODE_STRING(link, L"\\DosDevices\\FxCtl");
    WDF_FILEOBJECT_CONFIG files;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFDEVICE device;

    PWDFDEVICE_INIT init = WdfControlDeviceInitAllocate(driver, &sddl);
    if (!init)
        return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = WdfDeviceInitAssignName(init, &name);
    WDF_FILEOBJECT_CONFIG_INIT(&files, WDF_NO_EVENT_CALLBACK, FileClose, FileCleanup);
    WdfDeviceInitSetFileObjectConfig(init, &files, WDF_NO_OBJECT_ATTRIBUTES);
    WdfControlDeviceInitSetShutdownNotification(init, Shutdown, WdfDeviceShutdown);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.EvtCleanupCallback = DeviceCleanup;
    if (NT_SUCCESS(status))
        status = WdfDeviceCreate(&init, &attributes, &device);
    if (!NT_SUCCESS(status)) {
        WdfDeviceInitFree(init);
        return status;
    }
    shared->device = device;
    status = WdfDeviceCreateSymbolicLink(device, &link);
    if (!NT_SUCCESS(status))
        return status;
    WdfControlFinishInitializing(device);
    return STATUS_SUCCESS;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    WDFDRIVER driver;
    NTSTATUS status = IoAllocateDriverObjectExtension(DriverObject, FXTEST_ID, sizeof(*shared), (PVOID *)&shared);
    if (!NT_SUCCESS(status))
        return status;
    RtlZeroMemory(shared, sizeof(*shared));
    shared->delete_device = DeleteDevice;
    WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
    config.DriverInitFlags = WdfDriverInitNonPnpDriver;
    status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, &driver);
    if (NT_SUCCESS(status))
        status = create_control_device(driver);
    return status;
}
