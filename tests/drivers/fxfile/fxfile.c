/*
 * fxfile: a KMDF function driver with the three file object callbacks and a
 * context on its file objects. EvtDeviceFileCreate completes the create
 * request with the status the test put in struct fxtest; the file
 * object's context cleanup shows when the framework deletes it.
 */
#include <ntddk.h>
#include <wdf.h>

#include "fxtest.h"

typedef struct {
    ULONG opened;
} FILE_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE(FILE_CONTEXT);

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

static void FileCreate(WDFDEVICE Device, WDFREQUEST Request, WDFFILEOBJECT FileObject)
{
    record(WdfFileObjectGetDevice(FileObject) == Device && WdfObjectGet_FILE_CONTEXT(FileObject) ? "FileCreate"
                                                                                                : "FileCreate!");
    WdfObjectGet_FILE_CONTEXT(FileObject)->opened = 1;
    WdfRequestComplete(Request, shared->create_status);
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

static void FileObjectCleanup(WDFOBJECT Object)
{
    (void)Object;
    record("FileObjectCleanup");
}

static NTSTATUS DeviceAdd(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit)
{
    WDF_FILEOBJECT_CONFIG files;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFDEVICE device;
    NTSTATUS status;

    (void)Driver;
    WDF_FILEOBJECT_CONFIG_INIT(&files, FileCreate, FileClose, FileCleanup);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, FILE_CONTEXT);
    attributes.EvtCleanupCallback = FileObjectCleanup;
    WdfDeviceInitSetFileObjectConfig(DeviceInit, &files, &attributes);
    status = WdfDeviceCreate(&DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, &device);
    if (!NT_SUCCESS(status))
        return status;
    shared->device = device;
    return WdfDeviceCreateDeviceInterface(device, &shared->interface_guid, NULL);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WDF_DRIVER_CONFIG config;
    NTSTATUS status = IoAllocateDriverObjectExtension(DriverObject, FXTEST_ID, sizeof(*shared), (PVOID *)&shared);
    if (!NT_SUCCESS(status))
        return status;
    RtlZeroMemory(shared, sizeof(*shared));
    WDF_DRIVER_CONFIG_INIT(&config, DeviceAdd);
    return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, WDF_NO_HANDLE);
}
