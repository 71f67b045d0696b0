/*
 * WMI providers (WDFWMIPROVIDER, one per GUID per device) and their
 * instances (WDFWMIINSTANCE, children of their provider, which is a child
 * of the device), with registration.
 *
 * What this is and is not: a kmhost process has no WMI service, so no
 * IRP_MJ_SYSTEM_CONTROL request will ever arrive and the instances'
 * query/set/method callbacks and the provider's function-control callback
 * are never called. The objects exist with the documented lifetimes and
 * checks so that drivers which publish WMI data run unchanged; registering
 * an instance is recorded with the I/O manager (IoWMIRegistrationControl:
 * REGISTER for the device's first registered instance, UPDATE_GUIDS for
 * later ones, DEREGISTER when the last goes), no provider is ever enabled,
 * and a fired event is logged at debug level and reported delivered.
 */
#include "fx/fx.h"

#include <stdlib.h>

struct fx_wmi_provider {
    struct fx_object object;
    struct fx_device *device;
    WDF_WMI_PROVIDER_CONFIG config;
    ULONG registered;              /* registered instances, under wmi_lock */
};

struct fx_wmi_instance {
    struct fx_object object;
    struct fx_wmi_provider *provider; /* referenced */
    WDF_WMI_INSTANCE_CONFIG config;
    bool registered;               /* under wmi_lock */
};

/* Orders registration changes, so REGISTER and DEREGISTER alternate. */
static pthread_mutex_t wmi_lock = PTHREAD_MUTEX_INITIALIZER;

/* wmi_lock held. Instances registered on the device, over its providers. */
static ULONG device_registered(struct fx_device *device)
{
    ULONG total = 0;
    pthread_mutex_lock(&fx_tree_lock);
    for (PLIST_ENTRY e = device->object.children.Flink; e != &device->object.children; e = e->Flink) {
        struct fx_object *child = CONTAINING_RECORD(e, struct fx_object, sibling);
        if (child->type == FX_TYPE_WMIPROVIDER)
            total += ((struct fx_wmi_provider *)child)->registered;
    }
    pthread_mutex_unlock(&fx_tree_lock);
    return total;
}

static void instance_deregister(struct fx_wmi_instance *instance)
{
    struct fx_wmi_provider *provider = instance->provider;

    pthread_mutex_lock(&wmi_lock);
    if (instance->registered) {
        instance->registered = false;
        provider->registered--;
        if (!device_registered(provider->device))
            IoWMIRegistrationControl(provider->device->wdm_device, WMIREG_ACTION_DEREGISTER);
    }
    pthread_mutex_unlock(&wmi_lock);
}

static NTSTATUS instance_register(struct fx_wmi_instance *instance)
{
    struct fx_wmi_provider *provider = instance->provider;
    NTSTATUS status = STATUS_SUCCESS;

    pthread_mutex_lock(&wmi_lock);
    if (!instance->registered) {
        ULONG action = device_registered(provider->device) ? WMIREG_ACTION_UPDATE_GUIDS : WMIREG_ACTION_REGISTER;
        status = IoWMIRegistrationControl(provider->device->wdm_device, action);
        if (NT_SUCCESS(status)) {
            instance->registered = true;
            provider->registered++;
        }
    }
    pthread_mutex_unlock(&wmi_lock);
    return status;
}

static void instance_dispose(struct fx_object *object)
{
    instance_deregister((struct fx_wmi_instance *)object);
}

static void instance_destroy(struct fx_object *object)
{
    struct fx_wmi_instance *instance = (struct fx_wmi_instance *)object;
    if (instance->provider)
        fx_object_unref(&instance->provider->object);
}

const struct fx_type_ops fx_ops_wmiprovider = {
    .name = "WDFWMIPROVIDER",
    .driver_may_delete = false,
};

const struct fx_type_ops fx_ops_wmiinstance = {
    .name = "WDFWMIINSTANCE",
    .driver_may_delete = true,
    .dispose = instance_dispose,
    .destroy = instance_destroy,
};

/* wmi_lock held. Whether a live provider of the device has guid. */
static bool guid_taken(struct fx_device *device, const GUID *guid)
{
    bool taken = false;
    pthread_mutex_lock(&fx_tree_lock);
    for (PLIST_ENTRY e = device->object.children.Flink; e != &device->object.children && !taken; e = e->Flink) {
        struct fx_object *child = CONTAINING_RECORD(e, struct fx_object, sibling);
        taken = child->type == FX_TYPE_WMIPROVIDER && fx_object_is_live(child) &&
                !memcmp(&((struct fx_wmi_provider *)child)->config.Guid, guid, sizeof(*guid));
    }
    pthread_mutex_unlock(&fx_tree_lock);
    return taken;
}

static NTSTATUS provider_config_check(PWDF_WMI_PROVIDER_CONFIG config, const char *ddi)
{
    if (config->Size != sizeof(*config)) {
        fx_violation(ddi, "WDF_WMI_PROVIDER_CONFIG.Size is %lu, expected %zu", (unsigned long)config->Size,
                     sizeof(*config));
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if ((config->Flags & ~(ULONG)WdfWmiProviderValidFlags) ||
        ((config->Flags & WdfWmiProviderTracing) && config->Flags != WdfWmiProviderTracing)) {
        fx_violation(ddi, "WDF_WMI_PROVIDER_CONFIG.Flags 0x%lx: unknown flags, or tracing combined with others",
                     (unsigned long)config->Flags);
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS provider_new(struct fx_globals *globals, struct fx_device *device, PWDF_WMI_PROVIDER_CONFIG config,
                             PWDF_OBJECT_ATTRIBUTES attributes, const char *ddi, struct fx_wmi_provider **out)
{
    NTSTATUS status;

    *out = NULL;
    if (!NT_SUCCESS(status = provider_config_check(config, ddi)) ||
        !NT_SUCCESS(status = fx_attributes_check_levels(attributes, false, ddi)))
        return status;
    if (attributes && attributes->ParentObject && attributes->ParentObject != device->object.handle) {
        fx_violation(ddi, "a WMI provider's parent is its device");
        return STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED;
    }
    pthread_mutex_lock(&wmi_lock);
    struct fx_wmi_provider *provider = NULL;
    /* KMDF answers a second provider for a GUID with an informational
     * status; kmhost fails the creation plainly. */
    if (guid_taken(device, &config->Guid))
        status = STATUS_OBJECT_NAME_COLLISION;
    else if ((provider = fx_object_new(globals, FX_TYPE_WMIPROVIDER, sizeof(*provider), attributes, &device->object,
                                       &status))) {
        provider->device = device;
        provider->config = *config;
    }
    pthread_mutex_unlock(&wmi_lock);
    *out = provider;
    return status;
}

/* Creates the device's provider for a WMI GUID; the device deletes it.
 * IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS, STATUS_INFO_LENGTH_MISMATCH,
 * STATUS_INVALID_PARAMETER (bad flags or handles),
 * STATUS_OBJECT_NAME_COLLISION (the GUID already has a provider on the
 * device), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS wmi_provider_create(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PWDF_WMI_PROVIDER_CONFIG WmiProviderConfig,
                                    PWDF_OBJECT_ATTRIBUTES ProviderAttributes, WDFWMIPROVIDER *WmiProvider)
{
    struct fx_device *device = FX_LOOKUP(fx_device, FX_TYPE_DEVICE, Device, "WdfWmiProviderCreate");
    struct fx_wmi_provider *provider;

    if (!device || !WmiProviderConfig || !WmiProvider) {
        fx_violation("WdfWmiProviderCreate", "Device, WmiProviderConfig and WmiProvider are required");
        return STATUS_INVALID_PARAMETER;
    }
    *WmiProvider = NULL;
    NTSTATUS status = provider_new(fx_globals_of(g), device, WmiProviderConfig, ProviderAttributes,
                                   "WdfWmiProviderCreate", &provider);
    if (provider)
        *WmiProvider = (WDFWMIPROVIDER)provider->object.handle;
    return status;
}
FX_EXPORT(WdfWmiProviderCreate, PFN_WDFWMIPROVIDERCREATE, wmi_provider_create);

static struct fx_wmi_provider *lookup_provider(WDFWMIPROVIDER handle, const char *ddi)
{
    return FX_LOOKUP(fx_wmi_provider, FX_TYPE_WMIPROVIDER, handle, ddi);
}

static struct fx_wmi_instance *lookup_instance(WDFWMIINSTANCE handle, const char *ddi)
{
    return FX_LOOKUP(fx_wmi_instance, FX_TYPE_WMIINSTANCE, handle, ddi);
}

/* The device the provider belongs to. IRQL <= DISPATCH_LEVEL. */
static WDFDEVICE wmi_provider_get_device(PWDF_DRIVER_GLOBALS g, WDFWMIPROVIDER WmiProvider)
{
    (void)g;
    struct fx_wmi_provider *provider = lookup_provider(WmiProvider, "WdfWmiProviderGetDevice");
    return provider ? (WDFDEVICE)provider->device->object.handle : NULL;
}
FX_EXPORT(WdfWmiProviderGetDevice, PFN_WDFWMIPROVIDERGETDEVICE, wmi_provider_get_device);

/* Whether a WMI client has enabled the provider's events or collection:
 * never, in a process with no WMI service. IRQL <= DISPATCH_LEVEL. */
static BOOLEAN wmi_provider_is_enabled(PWDF_DRIVER_GLOBALS g, WDFWMIPROVIDER WmiProvider,
                                       WDF_WMI_PROVIDER_CONTROL ProviderControl)
{
    (void)g;
    if (!lookup_provider(WmiProvider, "WdfWmiProviderIsEnabled"))
        return FALSE;
    if (ProviderControl != WdfWmiEventControl && ProviderControl != WdfWmiInstanceControl)
        fx_violation("WdfWmiProviderIsEnabled", "ProviderControl %d is not a WDF_WMI_PROVIDER_CONTROL value",
                     (int)ProviderControl);
    return FALSE;
}
FX_EXPORT(WdfWmiProviderIsEnabled, PFN_WDFWMIPROVIDERISENABLED, wmi_provider_is_enabled);

/* The trace logger handle a tracing provider gets when a session enables
 * it: 0, as no session ever does here. IRQL <= DISPATCH_LEVEL. */
static ULONGLONG wmi_provider_get_tracing_handle(PWDF_DRIVER_GLOBALS g, WDFWMIPROVIDER WmiProvider)
{
    (void)g;
    lookup_provider(WmiProvider, "WdfWmiProviderGetTracingHandle");
    return 0;
}
FX_EXPORT(WdfWmiProviderGetTracingHandle, PFN_WDFWMIPROVIDERGETTRACINGHANDLE, wmi_provider_get_tracing_handle);

static NTSTATUS instance_config_check(PWDF_WMI_INSTANCE_CONFIG config)
{
    if (config->Size != sizeof(*config)) {
        fx_violation("WdfWmiInstanceCreate", "WDF_WMI_INSTANCE_CONFIG.Size is %lu, expected %zu",
                     (unsigned long)config->Size, sizeof(*config));
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (!config->Provider == !config->ProviderConfig) {
        fx_violation("WdfWmiInstanceCreate", "exactly one of Provider and ProviderConfig must be given");
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

/* The provider an instance goes under: the given one (referenced), or a
 * new one from the inline configuration (*created). */
static NTSTATUS instance_provider(struct fx_globals *globals, struct fx_device *device,
                                  PWDF_WMI_INSTANCE_CONFIG config, struct fx_wmi_provider **provider, bool *created)
{
    *created = false;
    if (config->Provider) {
        *provider = lookup_provider(config->Provider, "WdfWmiInstanceCreate");
        return *provider ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    }
    NTSTATUS status = provider_new(globals, device, config->ProviderConfig, NULL, "WdfWmiInstanceCreate", provider);
    *created = *provider != NULL;
    return status;
}

/* Creates an instance of a provider — an existing one, or one created
 * from InstanceConfig->ProviderConfig — and registers it if
 * InstanceConfig->Register. The instance is a child of its provider.
 * IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS, STATUS_INFO_LENGTH_MISMATCH,
 * STATUS_INVALID_PARAMETER, the statuses of WdfWmiProviderCreate,
 * STATUS_INSUFFICIENT_RESOURCES; on failure a provider made here is
 * deleted again. */
static NTSTATUS wmi_instance_create(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PWDF_WMI_INSTANCE_CONFIG InstanceConfig,
                                    PWDF_OBJECT_ATTRIBUTES InstanceAttributes, WDFWMIINSTANCE *Instance)
{
    struct fx_globals *globals = fx_globals_of(g);
    struct fx_device *device = FX_LOOKUP(fx_device, FX_TYPE_DEVICE, Device, "WdfWmiInstanceCreate");
    struct fx_wmi_provider *provider;
    bool created;
    NTSTATUS status;

    if (Instance)
        *Instance = NULL;
    if (!device || !InstanceConfig) {
        fx_violation("WdfWmiInstanceCreate", "Device and InstanceConfig are required");
        return STATUS_INVALID_PARAMETER;
    }
    if (!NT_SUCCESS(status = instance_config_check(InstanceConfig)) ||
        !NT_SUCCESS(status = fx_attributes_check_levels(InstanceAttributes, false, "WdfWmiInstanceCreate")) ||
        !NT_SUCCESS(status = instance_provider(globals, device, InstanceConfig, &provider, &created)))
        return status;
    struct fx_wmi_instance *instance = fx_object_new(globals, FX_TYPE_WMIINSTANCE, sizeof(*instance),
                                                     InstanceAttributes, &provider->object, &status);
    if (instance) {
        fx_object_ref(&provider->object);
        instance->provider = provider;
        instance->config = *InstanceConfig;
        instance->config.Provider = (WDFWMIPROVIDER)provider->object.handle;
        instance->config.ProviderConfig = NULL;
        if (InstanceConfig->Register && !NT_SUCCESS(status = instance_register(instance))) {
            fx_object_delete(&instance->object);
            instance = NULL;
        }
    }
    if (!instance) {
        if (created)
            fx_object_delete(&provider->object);
        return status;
    }
    if (Instance)
        *Instance = (WDFWMIINSTANCE)instance->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfWmiInstanceCreate, PFN_WDFWMIINSTANCECREATE, wmi_instance_create);

/* Registers the instance with WMI (recorded: see the top of the file);
 * registering twice is harmless. IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER (bad handle), STATUS_DELETE_PENDING. */
static NTSTATUS wmi_instance_register(PWDF_DRIVER_GLOBALS g, WDFWMIINSTANCE WmiInstance)
{
    (void)g;
    struct fx_wmi_instance *instance = lookup_instance(WmiInstance, "WdfWmiInstanceRegister");
    if (!instance)
        return STATUS_INVALID_PARAMETER;
    if (!fx_object_is_live(&instance->object))
        return STATUS_DELETE_PENDING;
    return instance_register(instance);
}
FX_EXPORT(WdfWmiInstanceRegister, PFN_WDFWMIINSTANCEREGISTER, wmi_instance_register);

/* Takes the instance out of WMI; it stays usable and may register again.
 * IRQL <= DISPATCH_LEVEL. */
static void wmi_instance_deregister(PWDF_DRIVER_GLOBALS g, WDFWMIINSTANCE WmiInstance)
{
    (void)g;
    struct fx_wmi_instance *instance = lookup_instance(WmiInstance, "WdfWmiInstanceDeregister");
    if (instance)
        instance_deregister(instance);
}
FX_EXPORT(WdfWmiInstanceDeregister, PFN_WDFWMIINSTANCEDEREGISTER, wmi_instance_deregister);

/* The device the instance's provider belongs to. IRQL <= DISPATCH_LEVEL. */
static WDFDEVICE wmi_instance_get_device(PWDF_DRIVER_GLOBALS g, WDFWMIINSTANCE WmiInstance)
{
    (void)g;
    struct fx_wmi_instance *instance = lookup_instance(WmiInstance, "WdfWmiInstanceGetDevice");
    return instance ? (WDFDEVICE)instance->provider->device->object.handle : NULL;
}
FX_EXPORT(WdfWmiInstanceGetDevice, PFN_WDFWMIINSTANCEGETDEVICE, wmi_instance_get_device);

/* The instance's provider. IRQL <= DISPATCH_LEVEL. */
static WDFWMIPROVIDER wmi_instance_get_provider(PWDF_DRIVER_GLOBALS g, WDFWMIINSTANCE WmiInstance)
{
    (void)g;
    struct fx_wmi_instance *instance = lookup_instance(WmiInstance, "WdfWmiInstanceGetProvider");
    return instance ? (WDFWMIPROVIDER)instance->provider->object.handle : NULL;
}
FX_EXPORT(WdfWmiInstanceGetProvider, PFN_WDFWMIINSTANCEGETPROVIDER, wmi_instance_get_provider);

/* Fires a WMI event for the instance: with no WMI service to deliver it
 * to, it is logged at debug level and reported delivered. IRQL <=
 * APC_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER (bad handle, or
 * EventData NULL with a size), STATUS_INVALID_DEVICE_REQUEST (IRQL). */
static NTSTATUS wmi_instance_fire_event(PWDF_DRIVER_GLOBALS g, WDFWMIINSTANCE WmiInstance, ULONG EventDataSize,
                                        PVOID EventData)
{
    (void)g;
    struct fx_wmi_instance *instance = lookup_instance(WmiInstance, "WdfWmiInstanceFireEvent");
    if (!instance)
        return STATUS_INVALID_PARAMETER;
    if (!fx_check_irql(APC_LEVEL, "WdfWmiInstanceFireEvent"))
        return STATUS_INVALID_DEVICE_REQUEST;
    if (EventDataSize && !EventData) {
        fx_violation("WdfWmiInstanceFireEvent", "EventData is NULL with EventDataSize %lu",
                     (unsigned long)EventDataSize);
        return STATUS_INVALID_PARAMETER;
    }
    const GUID *guid = &instance->provider->config.Guid;
    kmh_log(KMH_LOG_DEBUG, "wmi", "%s: WMI event {%08x-%04x-%04x-...} with %lu bytes (no WMI service to deliver it)",
            instance->object.globals ? instance->object.globals->public.DriverName : "?", (unsigned)guid->Data1,
            guid->Data2, guid->Data3, (unsigned long)EventDataSize);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfWmiInstanceFireEvent, PFN_WDFWMIINSTANCEFIREEVENT, wmi_instance_fire_event);
