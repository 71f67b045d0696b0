/*
 * The init methods that only make sense for one kind of device: function
 * and filter drivers' WdfFdoInit* (the PDO below is already there, so its
 * properties and registry keys can be read before the device exists), and
 * the control device's allocation and shutdown notification.
 */
#include "fx/device_private.h"

#include <stdlib.h>

/* Where a driver's property and registry-key calls on an FDO init go. */
static PWDFDEVICE_INIT fdo_init(PWDFDEVICE_INIT init, const char *ddi)
{
    if (!fx_device_init_check(init, ddi))
        return NULL;
    if (init->kind != FX_DEVICE_FDO && init->kind != FX_DEVICE_FILTER) {
        fx_violation(ddi, "the PWDFDEVICE_INIT is not an FDO's (it came from WdfPdoInitAllocate or "
                          "WdfControlDeviceInitAllocate)");
        return NULL;
    }
    return init;
}

/* WdfFdoInitSetFilter: the device is a filter (requests it does not handle
 * go down; it is not the power policy owner by default). PASSIVE_LEVEL. */
static void fdo_init_set_filter(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    if (fdo_init(DeviceInit, "WdfFdoInitSetFilter"))
        DeviceInit->kind = FX_DEVICE_FILTER;
}
FX_EXPORT(WdfFdoInitSetFilter, PFN_WDFFDOINITSETFILTER, fdo_init_set_filter);

/* WdfFdoInitWdmGetPhysicalDevice: the stack's PDO. PASSIVE_LEVEL. NULL for a bad init. */
static PDEVICE_OBJECT fdo_init_get_physical_device(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    return fdo_init(DeviceInit, "WdfFdoInitWdmGetPhysicalDevice") ? DeviceInit->pdo : NULL;
}
FX_EXPORT(WdfFdoInitWdmGetPhysicalDevice, PFN_WDFFDOINITWDMGETPHYSICALDEVICE, fdo_init_get_physical_device);

/* WdfFdoInitQueryProperty: IoGetDeviceProperty on the PDO. PASSIVE_LEVEL.
 * What IoGetDeviceProperty returns (STATUS_BUFFER_TOO_SMALL with
 * *ResultLength ...), or STATUS_INVALID_PARAMETER for a bad init. */
static NTSTATUS fdo_init_query_property(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                        DEVICE_REGISTRY_PROPERTY DeviceProperty, ULONG BufferLength,
                                        PVOID PropertyBuffer, PULONG ResultLength)
{
    (void)g;
    if (!fdo_init(DeviceInit, "WdfFdoInitQueryProperty"))
        return STATUS_INVALID_PARAMETER;
    return IoGetDeviceProperty(DeviceInit->pdo, DeviceProperty, BufferLength, PropertyBuffer, ResultLength);
}
FX_EXPORT(WdfFdoInitQueryProperty, PFN_WDFFDOINITQUERYPROPERTY, fdo_init_query_property);

/* WdfFdoInitAllocAndQueryProperty: the property in a new WDFMEMORY (parented
 * to the driver, as no device exists yet). PASSIVE_LEVEL. Statuses of
 * IoGetDeviceProperty and WdfMemoryCreate. */
static NTSTATUS fdo_init_alloc_and_query_property(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                                  DEVICE_REGISTRY_PROPERTY DeviceProperty, POOL_TYPE PoolType,
                                                  PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes,
                                                  WDFMEMORY *PropertyMemory)
{
    if (PropertyMemory)
        *PropertyMemory = NULL;
    if (!fdo_init(DeviceInit, "WdfFdoInitAllocAndQueryProperty") || !PropertyMemory)
        return STATUS_INVALID_PARAMETER;
    return fx_device_property_alloc(fx_globals_of(g), DeviceInit->pdo, DeviceProperty, PoolType,
                                    PropertyMemoryAttributes, PropertyMemory);
}
FX_EXPORT(WdfFdoInitAllocAndQueryProperty, PFN_WDFFDOINITALLOCANDQUERYPROPERTY, fdo_init_alloc_and_query_property);

/* WdfFdoInitOpenRegistryKey: the device's hardware (PLUGPLAY_REGKEY_DEVICE)
 * or software (PLUGPLAY_REGKEY_DRIVER) key as a WDFKEY. PASSIVE_LEVEL.
 * Statuses of IoOpenDeviceRegistryKey and the key object's creation. */
static NTSTATUS fdo_init_open_registry_key(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                           ULONG DeviceInstanceKeyType, ACCESS_MASK DesiredAccess,
                                           PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
    HANDLE handle = NULL;

    if (Key)
        *Key = NULL;
    if (!fdo_init(DeviceInit, "WdfFdoInitOpenRegistryKey") || !Key)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = IoOpenDeviceRegistryKey(DeviceInit->pdo, DeviceInstanceKeyType, DesiredAccess, &handle);
    if (!NT_SUCCESS(status))
        return status;
    /* The key object owns the handle from here, closing it if it fails. */
    return fx_key_new_from_handle(fx_globals_of(g), handle, KeyAttributes, Key);
}
FX_EXPORT(WdfFdoInitOpenRegistryKey, PFN_WDFFDOINITOPENREGISTRYKEY, fdo_init_open_registry_key);

/* WdfFdoInitSetEventCallbacks: resource-requirement filtering callbacks. PASSIVE_LEVEL. */
static void fdo_init_set_event_callbacks(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                         PWDF_FDO_EVENT_CALLBACKS FdoEventCallbacks)
{
    (void)g;
    if (!fdo_init(DeviceInit, "WdfFdoInitSetEventCallbacks"))
        return;
    if (!FdoEventCallbacks || FdoEventCallbacks->Size != sizeof(*FdoEventCallbacks)) {
        fx_violation("WdfFdoInitSetEventCallbacks", "bad WDF_FDO_EVENT_CALLBACKS");
        return;
    }
    DeviceInit->fdo_callbacks = *FdoEventCallbacks;
}
FX_EXPORT(WdfFdoInitSetEventCallbacks, PFN_WDFFDOINITSETEVENTCALLBACKS, fdo_init_set_event_callbacks);

/* WdfFdoInitSetDefaultChildListConfig: the default child list a bus FDO
 * gets (kept for the child-list family to build). PASSIVE_LEVEL. */
static void fdo_init_set_default_child_list_config(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                                   PWDF_CHILD_LIST_CONFIG Config,
                                                   PWDF_OBJECT_ATTRIBUTES DefaultChildListAttributes)
{
    (void)g;
    if (!fdo_init(DeviceInit, "WdfFdoInitSetDefaultChildListConfig"))
        return;
    if (!Config || Config->Size != sizeof(*Config) || !Config->EvtChildListCreateDevice ||
        Config->IdentificationDescriptionSize < sizeof(WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER)) {
        fx_violation("WdfFdoInitSetDefaultChildListConfig", "bad WDF_CHILD_LIST_CONFIG");
        return;
    }
    DeviceInit->child_list_config = *Config;
    if (DefaultChildListAttributes)
        DeviceInit->child_list_attributes = *DefaultChildListAttributes;
    DeviceInit->has_child_list_config = true;
}
FX_EXPORT(WdfFdoInitSetDefaultChildListConfig, PFN_WDFFDOINITSETDEFAULTCHILDLISTCONFIG,
          fdo_init_set_default_child_list_config);

/* WdfControlDeviceInitAllocate: an init for a control device (outside any
 * PnP stack), with the SDDL string it must be created with. PASSIVE_LEVEL.
 * NULL for a bad driver or SDDL string, or out of memory. */
static PWDFDEVICE_INIT control_init_allocate(PWDF_DRIVER_GLOBALS g, WDFDRIVER Driver, CONST UNICODE_STRING *SDDLString)
{
    struct fx_driver *driver = FX_LOOKUP(fx_driver, FX_TYPE_DRIVER, Driver, "WdfControlDeviceInitAllocate");
    if (!driver)
        return NULL;
    if (!SDDLString || !SDDLString->Length) {
        fx_violation("WdfControlDeviceInitAllocate", "a control device needs an SDDL string");
        return NULL;
    }
    PWDFDEVICE_INIT init = fx_device_init_new(fx_globals_of(g), driver, FX_DEVICE_CONTROL, NULL, NULL);
    if (!init)
        return NULL;
    if (!(init->sddl.Buffer = calloc(1, SDDLString->Length + sizeof(WCHAR)))) {
        fx_device_init_free(init);
        return NULL;
    }
    memcpy(init->sddl.Buffer, SDDLString->Buffer, SDDLString->Length);
    init->sddl.Length = SDDLString->Length;
    init->sddl.MaximumLength = (USHORT)(SDDLString->Length + sizeof(WCHAR));
    return init;
}
FX_EXPORT(WdfControlDeviceInitAllocate, PFN_WDFCONTROLDEVICEINITALLOCATE, control_init_allocate);

/* WdfControlDeviceInitSetShutdownNotification: EvtDeviceShutdownNotification
 * at system shutdown (WdfDeviceShutdown and/or WdfDeviceLastChanceShutdown). PASSIVE_LEVEL. */
static void control_init_set_shutdown(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                      PFN_WDF_DEVICE_SHUTDOWN_NOTIFICATION Notification, UCHAR Flags)
{
    (void)g;
    if (!fx_device_init_check(DeviceInit, "WdfControlDeviceInitSetShutdownNotification"))
        return;
    if (DeviceInit->kind != FX_DEVICE_CONTROL || !Notification ||
        !(Flags & (WdfDeviceShutdown | WdfDeviceLastChanceShutdown))) {
        fx_violation("WdfControlDeviceInitSetShutdownNotification",
                     "needs a control device's init, a callback and WDF_DEVICE_SHUTDOWN_FLAGS");
        return;
    }
    DeviceInit->shutdown = Notification;
    DeviceInit->shutdown_flags = Flags;
}
FX_EXPORT(WdfControlDeviceInitSetShutdownNotification, PFN_WDFCONTROLDEVICEINITSETSHUTDOWNNOTIFICATION,
          control_init_set_shutdown);
