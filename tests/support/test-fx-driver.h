/*
 * For the framework tests (tests/test-fx-*.c) only: makes the test program
 * a KMDF driver. fx_test_bind does what the FxDriverEntry stub does for a
 * real driver — binds to kmhost's framework and fills in WdfFunctions and
 * WdfDriverGlobals — and then calls WdfDriverCreate, so the test calls
 * WdfXxx through <wdf.h>'s inline wrappers exactly as a driver would.
 * fx_test_unbind gives it back (deleting the WDFDRIVER and everything
 * under it, and reporting what the test left behind) once what the test
 * queued has finished (fx_test_drain).
 *
 * fx_test_device_new makes a control device for the objects that need
 * one (timers, work items, DPCs, WMI), with the execution level and
 * synchronization scope a driver gives its device's attributes.
 *
 * Header-only, with definitions: include it in one file per program.
 */
#ifndef KMHOST_TEST_FX_DRIVER_H
#define KMHOST_TEST_FX_DRIVER_H

#include "fx/fx.h"
#include "kmhost_fx_bind.h"

#include <stdio.h>
#include <stdlib.h>

/* What the stub defines in a driver; here the test is the driver. */
const WDFFUNC *WdfFunctions_01033;
PWDF_DRIVER_GLOBALS WdfDriverGlobals;
BOOLEAN WdfClientVersionHigherThanFramework;
ULONG WdfFunctionCount;
ULONG WdfStructureCount;
WDF_STRUCT_INFO WdfStructures;

/* Each program uses some of these. */
#define FX_TEST_HELPER static __attribute__((unused))

static struct io_driver *fx_test_io_driver;

/* Binds the test as the KMDF driver of service `service` (its registry
 * path is Services\<service>) and creates its WDFDRIVER. 0 or -1. */
FX_TEST_HELPER int fx_test_bind(const WCHAR *service)
{
    static const WCHAR prefix[] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";
    static WCHAR path[160];
    UNICODE_STRING registry_path;
    WDF_DRIVER_CONFIG config;
    size_t n = 0;

    if (nt_runtime_start() || io_driver_new(service, &fx_test_io_driver))
        return -1;
    for (const WCHAR *s = prefix; *s; s++)
        path[n++] = *s;
    for (const WCHAR *s = service; *s && n + 1 < KMH_ARRAY_SIZE(path); s++)
        path[n++] = *s;
    path[n] = 0;
    registry_path = (UNICODE_STRING){ (USHORT)(n * sizeof(WCHAR)), (USHORT)((n + 1) * sizeof(WCHAR)), path };
    struct kmh_fx_bind bind = {
        .size = sizeof(bind),
        .major = KMDF_VERSION_MAJOR,
        .minor = KMDF_VERSION_MINOR,
        .function_count = WdfFunctionTableNumEntries,
        .driver_object = &fx_test_io_driver->object,
        .registry_path = &registry_path,
    };
    if (!NT_SUCCESS(kmh_fx_bind(&bind)))
        return -1;
    WdfFunctions_01033 = bind.functions;
    WdfDriverGlobals = bind.globals;
    WdfFunctionCount = bind.framework_function_count;
    WdfClientVersionHigherThanFramework = bind.client_version_higher;
    WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
    config.DriverInitFlags = WdfDriverInitNonPnpDriver;
    return NT_SUCCESS(WdfDriverCreate(&fx_test_io_driver->object, &registry_path, WDF_NO_OBJECT_ATTRIBUTES, &config,
                                      WDF_NO_HANDLE))
               ? 0
               : -1;
}

/* Lets every DPC and work item queued so far (and what they queue) run to
 * its end, as stopping the runtime does; pending timers are forgotten. */
FX_TEST_HELPER void fx_test_drain(void)
{
    nt_runtime_stop();
    nt_runtime_start();
}

FX_TEST_HELPER void fx_test_unbind(void)
{
    fx_test_drain();
    kmh_fx_unbind(WdfDriverGlobals);
    WdfDriverGlobals = NULL;
    WdfFunctions_01033 = NULL;
    io_driver_release(fx_test_io_driver);
    fx_test_io_driver = NULL;
    nt_runtime_stop();
}

/* A control device, as a non-PnP driver makes one, with the execution
 * level and synchronization scope of its WDF_OBJECT_ATTRIBUTES. */
FX_TEST_HELPER WDFDEVICE fx_test_device_new(WDF_EXECUTION_LEVEL level, WDF_SYNCHRONIZATION_SCOPE scope)
{
    DECLARE_CONST_UNICODE_STRING(sddl, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_FILEOBJECT_CONFIG files;
    WDFDEVICE device;

    PWDFDEVICE_INIT init = WdfControlDeviceInitAllocate(WdfGetDriver(), &sddl);
    /* File object callbacks run at PASSIVE_LEVEL: a dispatch-level scope
     * must not cover them (KMDF refuses the device otherwise). */
    WDF_FILEOBJECT_CONFIG_INIT(&files, WDF_NO_EVENT_CALLBACK, WDF_NO_EVENT_CALLBACK, WDF_NO_EVENT_CALLBACK);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.SynchronizationScope = WdfSynchronizationScopeNone;
    if (init)
        WdfDeviceInitSetFileObjectConfig(init, &files, &attributes);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ExecutionLevel = level;
    attributes.SynchronizationScope = scope;
    NTSTATUS status = init ? WdfDeviceCreate(&init, &attributes, &device) : STATUS_INSUFFICIENT_RESOURCES;
    if (!NT_SUCCESS(status)) {
        fprintf(stderr, "fx_test_device_new: 0x%08x\n", (unsigned)status);
        abort();
    }
    WdfControlFinishInitializing(device);
    return device;
}

/* A driver deletes its control devices itself. */
FX_TEST_HELPER void fx_test_device_delete(WDFDEVICE device)
{
    WdfObjectDelete(device);
}

#endif /* KMHOST_TEST_FX_DRIVER_H */
