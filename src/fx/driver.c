/*
 * WDFDRIVER: WdfDriverCreate takes over the DRIVER_OBJECT the way KMDF
 * does — the framework's own dispatch routines and AddDevice go into it,
 * and its DriverUnload calls EvtDriverUnload — plus the driver queries.
 */
#include "fx/fx.h"
#include "fx/fx_private.h"

#include <stdlib.h>

static void driver_destroy(struct fx_object *object)
{
    struct fx_driver *driver = (struct fx_driver *)object;
    free(driver->registry_path.Buffer);
    if (driver->globals && driver->globals->driver == driver)
        driver->globals->driver = NULL;
}

const struct fx_type_ops fx_ops_driver = {
    .name = "WDFDRIVER",
    .driver_may_delete = false,
    .destroy = driver_destroy,
};

static NTSTATUS copy_registry_path(struct fx_driver *driver, PCUNICODE_STRING path)
{
    USHORT length = path ? path->Length : 0;
    driver->registry_path.Buffer = calloc(1, length + sizeof(WCHAR));
    if (!driver->registry_path.Buffer)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (length)
        memcpy(driver->registry_path.Buffer, path->Buffer, length);
    driver->registry_path.Length = length;
    driver->registry_path.MaximumLength = (USHORT)(length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

static void take_over_driver_object(struct fx_driver *driver)
{
    PDRIVER_OBJECT object = driver->wdm_driver;

    if (!(driver->config.DriverInitFlags & WdfDriverInitNoDispatchOverride)) {
        for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
            object->MajorFunction[i] = fx_wdm_dispatch;
    }
    if (!(driver->config.DriverInitFlags & WdfDriverInitNonPnpDriver))
        object->DriverExtension->AddDevice = fx_wdm_add_device;
    object->DriverUnload = fx_driver_unload;
}

static NTSTATUS driver_create(PWDF_DRIVER_GLOBALS public_globals, PDRIVER_OBJECT DriverObject,
                              PCUNICODE_STRING RegistryPath, PWDF_OBJECT_ATTRIBUTES DriverAttributes,
                              PWDF_DRIVER_CONFIG DriverConfig, WDFDRIVER *Driver)
{
    struct fx_globals *globals = fx_globals_of(public_globals);
    NTSTATUS status;

    if (Driver)
        *Driver = NULL;
    if (globals->driver) {
        fx_violation("WdfDriverCreate", "called twice");
        return STATUS_DRIVER_INTERNAL_ERROR;
    }
    if (!DriverObject || !DriverConfig || DriverConfig->Size != sizeof(WDF_DRIVER_CONFIG)) {
        fx_violation("WdfDriverCreate", "missing DriverObject or WDF_DRIVER_CONFIG with a wrong Size");
        return STATUS_INVALID_PARAMETER;
    }
    if (DriverAttributes && DriverAttributes->ParentObject) {
        fx_violation("WdfDriverCreate", "a WDFDRIVER has no parent");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_driver *driver = fx_object_new(globals, FX_TYPE_DRIVER, sizeof(*driver), DriverAttributes, NULL,
                                             &status);
    if (!driver)
        return status;
    driver->globals = globals;
    driver->wdm_driver = DriverObject;
    driver->config = *DriverConfig;
    driver->pool_tag = DriverConfig->DriverPoolTag ? DriverConfig->DriverPoolTag : globals->public.DriverTag;
    InitializeListHead(&driver->devices);
    if (!NT_SUCCESS(status = copy_registry_path(driver, RegistryPath))) {
        fx_object_delete(&driver->object);
        return status;
    }
    globals->driver = driver;
    globals->public.Driver = (WDFDRIVER)driver->object.handle;
    globals->public.DriverFlags |= DriverConfig->DriverInitFlags;
    take_over_driver_object(driver);
    if (Driver)
        *Driver = (WDFDRIVER)driver->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDriverCreate, PFN_WDFDRIVERCREATE, driver_create);

void fx_driver_unload(PDRIVER_OBJECT DriverObject)
{
    struct fx_driver *driver = NULL;

    /* The driver object's own globals: every device of it points there. */
    struct fx_globals *globals = fx_globals_for_driver_object(DriverObject);
    if (globals)
        driver = globals->driver;
    if (!driver)
        return;
    if (driver->config.EvtDriverUnload)
        driver->config.EvtDriverUnload((WDFDRIVER)driver->object.handle);
    fx_object_delete(&driver->object);
}

static PWSTR driver_get_registry_path(PWDF_DRIVER_GLOBALS g, WDFDRIVER Driver)
{
    (void)g;
    struct fx_driver *driver = FX_LOOKUP(fx_driver, FX_TYPE_DRIVER, Driver, "WdfDriverGetRegistryPath");
    return driver ? driver->registry_path.Buffer : NULL;
}
FX_EXPORT(WdfDriverGetRegistryPath, PFN_WDFDRIVERGETREGISTRYPATH, driver_get_registry_path);

static PDRIVER_OBJECT driver_wdm_get_driver_object(PWDF_DRIVER_GLOBALS g, WDFDRIVER Driver)
{
    (void)g;
    struct fx_driver *driver = FX_LOOKUP(fx_driver, FX_TYPE_DRIVER, Driver, "WdfDriverWdmGetDriverObject");
    return driver ? driver->wdm_driver : NULL;
}
FX_EXPORT(WdfDriverWdmGetDriverObject, PFN_WDFDRIVERWDMGETDRIVEROBJECT, driver_wdm_get_driver_object);

static WDFDRIVER wdm_driver_get_wdf_driver_handle(PWDF_DRIVER_GLOBALS g, PDRIVER_OBJECT DriverObject)
{
    struct fx_globals *globals = fx_globals_for_driver_object(DriverObject);
    (void)g;
    return globals && globals->driver ? (WDFDRIVER)globals->driver->object.handle : NULL;
}
FX_EXPORT(WdfWdmDriverGetWdfDriverHandle, PFN_WDFWDMDRIVERGETWDFDRIVERHANDLE, wdm_driver_get_wdf_driver_handle);

/* WPP tracing registers here; kmhost has no ETW session to connect it to,
 * and the documented result for a driver without one is success. */
static NTSTATUS driver_register_trace_info(PWDF_DRIVER_GLOBALS g, PDRIVER_OBJECT DriverObject,
                                           PFN_WDF_TRACE_CALLBACK EvtTraceCallback, PVOID ControlBlock)
{
    (void)g;
    (void)DriverObject;
    (void)EvtTraceCallback;
    (void)ControlBlock;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDriverRegisterTraceInfo, PFN_WDFDRIVERREGISTERTRACEINFO, driver_register_trace_info);

static BOOLEAN driver_is_version_available(PWDF_DRIVER_GLOBALS g, WDFDRIVER Driver,
                                           PWDF_DRIVER_VERSION_AVAILABLE_PARAMS Params)
{
    (void)g;
    if (!FX_LOOKUP(fx_driver, FX_TYPE_DRIVER, Driver, "WdfDriverIsVersionAvailable") || !Params ||
        Params->Size != sizeof(*Params)) {
        fx_violation("WdfDriverIsVersionAvailable", "bad WDF_DRIVER_VERSION_AVAILABLE_PARAMS");
        return FALSE;
    }
    return Params->MajorVersion < 1 || (Params->MajorVersion == 1 && Params->MinorVersion <= 33);
}
FX_EXPORT(WdfDriverIsVersionAvailable, PFN_WDFDRIVERISVERSIONAVAILABLE, driver_is_version_available);

/* A call the WDK's inline wrapper makes when a method is newer than the
 * framework: report it by name and fail. */
static NTSTATUS driver_error_report_api_missing(PWDF_DRIVER_GLOBALS g, WDFDRIVER Driver, PCWSTR FrameworkExtensionName,
                                                ULONG ApiIndex, BOOLEAN DoesApiReturnNtstatus)
{
    (void)g;
    (void)Driver;
    (void)FrameworkExtensionName;
    fx_violation(fx_function_name(ApiIndex), "the driver called %s, which this framework version lacks",
                 fx_function_name(ApiIndex));
    return DoesApiReturnNtstatus ? STATUS_NOT_IMPLEMENTED : STATUS_SUCCESS;
}
FX_EXPORT(WdfDriverErrorReportApiMissing, PFN_WDFDRIVERERRORREPORTAPIMISSING, driver_error_report_api_missing);
