/*
 * FxDriverEntry: the stub linked into every KMDF driver, as the WDK links
 * WdfDriverEntry.lib. It is the driver's real entry point: it binds the
 * driver to kmhost's framework (function table and globals, checked
 * against the KMDF version the driver was built for), fills in shared
 * context types, calls the driver's own DriverEntry, and puts itself in
 * front of DriverUnload so the framework is unbound after the driver's
 * unload runs. Everything here is hidden: each driver has its own copy.
 */
#define WDF_STUB 1
#include <ntddk.h>
#include <wdf.h>
#include "kmhost_fx_bind.h"

#define STUB_HIDDEN __attribute__((visibility("hidden")))

STUB_HIDDEN const WDFFUNC *WdfFunctions_01033;
STUB_HIDDEN PWDF_DRIVER_GLOBALS WdfDriverGlobals;
STUB_HIDDEN BOOLEAN WdfClientVersionHigherThanFramework;
STUB_HIDDEN ULONG WdfFunctionCount;
STUB_HIDDEN ULONG WdfStructureCount;
STUB_HIDDEN WDF_STRUCT_INFO WdfStructures;
STUB_HIDDEN WDFFUNC WdfDriverMiniportUnloadOverride;

static PDRIVER_UNLOAD stub_displaced_unload;

extern __attribute__((weak)) WDF_OBJECT_CONTEXT_TYPE_INFO __start_kmdftypeinit[];
extern __attribute__((weak)) WDF_OBJECT_CONTEXT_TYPE_INFO __stop_kmdftypeinit[];

/* Shared context types learn their unique identity before DriverEntry. */
static void stub_init_shared_types(void)
{
    for (WDF_OBJECT_CONTEXT_TYPE_INFO *t = __start_kmdftypeinit; t && t < __stop_kmdftypeinit; t++)
        if (t->EvtDriverGetUniqueContextType && !t->UniqueType)
            t->UniqueType = t->EvtDriverGetUniqueContextType();
}

static DRIVER_UNLOAD stub_driver_unload;

static void stub_driver_unload(PDRIVER_OBJECT DriverObject)
{
    if (stub_displaced_unload)
        stub_displaced_unload(DriverObject);
    kmh_fx_unbind(WdfDriverGlobals);
    WdfDriverGlobals = NULL;
}

__attribute__((visibility("default"))) NTSTATUS FxDriverEntry(PDRIVER_OBJECT DriverObject,
                                                               PUNICODE_STRING RegistryPath)
{
    struct kmh_fx_bind bind = {
        .size = sizeof(bind),
        .major = KMDF_VERSION_MAJOR,
        .minor = KMDF_VERSION_MINOR,
        .function_count = WdfFunctionTableNumEntries,
        .driver_object = DriverObject,
        .registry_path = RegistryPath,
    };
    NTSTATUS status = kmh_fx_bind(&bind);
    if (!NT_SUCCESS(status))
        return status;
    WdfFunctions_01033 = bind.functions;
    WdfDriverGlobals = bind.globals;
    WdfFunctionCount = bind.framework_function_count;
    WdfClientVersionHigherThanFramework = bind.client_version_higher;
    stub_init_shared_types();
    status = DriverEntry(DriverObject, RegistryPath);
    if (!NT_SUCCESS(status)) {
        kmh_fx_unbind(WdfDriverGlobals);
        WdfDriverGlobals = NULL;
        return status;
    }
    /* Whatever unload the driver ended up with (the framework's, or its
     * own for a WDM-style one) runs first; the unbind comes after. */
    stub_displaced_unload = DriverObject->DriverUnload;
    DriverObject->DriverUnload = stub_driver_unload;
    return status;
}
