/*
 * What a driver tells the framework about its device and asks of it:
 * properties, capabilities, PnP device state, failure, the state machines'
 * states, idle and wake settings (stored: this host never idles a device
 * or arms it for wake), removal relations, alignment and characteristics.
 */
#include "fx/device_private.h"

#include <stdlib.h>

static struct fx_device *pnp_device(WDFDEVICE handle, const char *ddi)
{
    struct fx_device *device = fx_device_lookup(handle, ddi);
    if (device && device->kind == FX_DEVICE_CONTROL) {
        fx_violation(ddi, "not for a control device (it has no PnP stack)");
        return NULL;
    }
    return device;
}

/* --- Properties ---------------------------------------------------------------- */
NTSTATUS fx_device_property_alloc(struct fx_globals *globals, PDEVICE_OBJECT pdo, DEVICE_REGISTRY_PROPERTY property,
                                  POOL_TYPE pool_type, PWDF_OBJECT_ATTRIBUTES attributes, WDFMEMORY *memory)
{
    ULONG length = 0;
    void *buffer = NULL;

    NTSTATUS status = IoGetDeviceProperty(pdo, property, 0, NULL, &length);
    if (status != STATUS_BUFFER_TOO_SMALL)
        return NT_SUCCESS(status) ? STATUS_UNSUCCESSFUL : status;
    ULONG tag = globals->driver ? globals->driver->pool_tag : globals->public.DriverTag;
    if (!NT_SUCCESS(status = fx_memory_new_pool(globals, attributes, pool_type, tag, length, memory, &buffer)))
        return status;
    status = IoGetDeviceProperty(pdo, property, length, buffer, &length);
    if (!NT_SUCCESS(status)) {
        struct fx_object *object = fx_handle_object(*memory, FX_TYPE_MEMORY, "WdfDeviceAllocAndQueryProperty");
        if (object)
            fx_object_delete(object);
        *memory = NULL;
    }
    return status;
}

/* WdfDeviceQueryProperty: IoGetDeviceProperty on the stack's PDO.
 * PASSIVE_LEVEL. Its statuses (STATUS_BUFFER_TOO_SMALL with *ResultLength). */
static NTSTATUS device_query_property(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, DEVICE_REGISTRY_PROPERTY DeviceProperty,
                                      ULONG BufferLength, PVOID PropertyBuffer, PULONG ResultLength)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceQueryProperty");
    if (!device)
        return STATUS_INVALID_PARAMETER;
    return IoGetDeviceProperty(device->pdo, DeviceProperty, BufferLength, PropertyBuffer, ResultLength);
}
FX_EXPORT(WdfDeviceQueryProperty, PFN_WDFDEVICEQUERYPROPERTY, device_query_property);

/* WdfDeviceAllocAndQueryProperty: the property in a new WDFMEMORY,
 * parented to the device unless the attributes say otherwise.
 * PASSIVE_LEVEL. IoGetDeviceProperty's and WdfMemoryCreate's statuses. */
static NTSTATUS device_alloc_and_query_property(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                                DEVICE_REGISTRY_PROPERTY DeviceProperty, POOL_TYPE PoolType,
                                                PWDF_OBJECT_ATTRIBUTES PropertyMemoryAttributes,
                                                WDFMEMORY *PropertyMemory)
{
    struct fx_device *device = pnp_device(Device, "WdfDeviceAllocAndQueryProperty");
    WDF_OBJECT_ATTRIBUTES attributes;

    if (PropertyMemory)
        *PropertyMemory = NULL;
    if (!device || !PropertyMemory)
        return STATUS_INVALID_PARAMETER;
    if (PropertyMemoryAttributes)
        attributes = *PropertyMemoryAttributes;
    else
        attributes = (WDF_OBJECT_ATTRIBUTES){ .Size = sizeof(attributes),
                                              .ExecutionLevel = WdfExecutionLevelInheritFromParent,
                                              .SynchronizationScope = WdfSynchronizationScopeInheritFromParent };
    if (!attributes.ParentObject)
        attributes.ParentObject = (WDFOBJECT)Device;
    return fx_device_property_alloc(fx_globals_of(g), device->pdo, DeviceProperty, PoolType, &attributes,
                                    PropertyMemory);
}
FX_EXPORT(WdfDeviceAllocAndQueryProperty, PFN_WDFDEVICEALLOCANDQUERYPROPERTY, device_alloc_and_query_property);

/* --- Capabilities and bus information -------------------------------------------- */
/* WdfDeviceSetPnpCapabilities: PnP capability bits reported on the next
 * IRP_MN_QUERY_CAPABILITIES (WdfUseDefault keeps the bus's). <= DISPATCH_LEVEL. */
static void device_set_pnp_capabilities(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                        PWDF_DEVICE_PNP_CAPABILITIES PnpCapabilities)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceSetPnpCapabilities");
    if (!device)
        return;
    if (!PnpCapabilities || PnpCapabilities->Size != sizeof(*PnpCapabilities)) {
        fx_violation("WdfDeviceSetPnpCapabilities", "bad WDF_DEVICE_PNP_CAPABILITIES");
        return;
    }
    struct fx_pnp *pnp = fx_pnp_of(device);
    pnp->pnp_caps = *PnpCapabilities;
    pnp->has_pnp_caps = true;
}
FX_EXPORT(WdfDeviceSetPnpCapabilities, PFN_WDFDEVICESETPNPCAPABILITIES, device_set_pnp_capabilities);

/* WdfDeviceSetPowerCapabilities: power capabilities reported on the next
 * IRP_MN_QUERY_CAPABILITIES. <= DISPATCH_LEVEL. */
static void device_set_power_capabilities(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                          PWDF_DEVICE_POWER_CAPABILITIES PowerCapabilities)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceSetPowerCapabilities");
    if (!device)
        return;
    if (!PowerCapabilities || PowerCapabilities->Size != sizeof(*PowerCapabilities)) {
        fx_violation("WdfDeviceSetPowerCapabilities", "bad WDF_DEVICE_POWER_CAPABILITIES");
        return;
    }
    struct fx_pnp *pnp = fx_pnp_of(device);
    pnp->power_caps = *PowerCapabilities;
    pnp->has_power_caps = true;
}
FX_EXPORT(WdfDeviceSetPowerCapabilities, PFN_WDFDEVICESETPOWERCAPABILITIES, device_set_power_capabilities);

/* WdfDeviceSetBusInformationForChildren: what the bus FDO's PDOs answer to
 * IRP_MN_QUERY_BUS_INFORMATION. <= DISPATCH_LEVEL. */
static void device_set_bus_information_for_children(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                                    PPNP_BUS_INFORMATION BusInformation)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceSetBusInformationForChildren");
    if (!device || !BusInformation)
        return;
    struct fx_pnp *pnp = fx_pnp_of(device);
    pnp->bus_info = *BusInformation;
    pnp->has_bus_info = true;
}
FX_EXPORT(WdfDeviceSetBusInformationForChildren, PFN_WDFDEVICESETBUSINFORMATIONFORCHILDREN,
          device_set_bus_information_for_children);

/* --- PnP device state and failure ------------------------------------------------ */
/* WdfDeviceGetDeviceState: the PNP_DEVICE_STATE bits the driver set
 * (WdfUseDefault for those it left alone). <= DISPATCH_LEVEL. */
static void device_get_device_state(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PWDF_DEVICE_STATE DeviceState)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceGetDeviceState");
    if (!device || !DeviceState || DeviceState->Size != sizeof(*DeviceState))
        return;
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    *DeviceState = pnp->device_state;
    pthread_mutex_unlock(&pnp->lock);
}
FX_EXPORT(WdfDeviceGetDeviceState, PFN_WDFDEVICEGETDEVICESTATE, device_get_device_state);

/* WdfDeviceSetDeviceState: PNP_DEVICE_STATE bits for the next
 * IRP_MN_QUERY_PNP_DEVICE_STATE, which it asks for (IoInvalidateDeviceState).
 * <= DISPATCH_LEVEL. */
static void device_set_device_state(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PWDF_DEVICE_STATE DeviceState)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceSetDeviceState");
    if (!device)
        return;
    if (!DeviceState || DeviceState->Size != sizeof(*DeviceState)) {
        fx_violation("WdfDeviceSetDeviceState", "bad WDF_DEVICE_STATE (use WDF_DEVICE_STATE_INIT)");
        return;
    }
    struct fx_pnp *pnp = fx_pnp_of(device);
    WDF_DEVICE_STATE *to = &pnp->device_state;
#define TAKE(field)                                \
    do {                                           \
        if (DeviceState->field != WdfUseDefault)   \
            to->field = DeviceState->field;        \
    } while (0)
    pthread_mutex_lock(&pnp->lock);
    TAKE(Disabled);
    TAKE(DontDisplayInUI);
    TAKE(Failed);
    TAKE(NotDisableable);
    TAKE(Removed);
    TAKE(ResourcesChanged);
    TAKE(AssignedToGuest);
    pthread_mutex_unlock(&pnp->lock);
#undef TAKE
    if (pnp->ever_started)
        IoInvalidateDeviceState(device->pdo);
}
FX_EXPORT(WdfDeviceSetDeviceState, PFN_WDFDEVICESETDEVICESTATE, device_set_device_state);

/* WdfDeviceSetFailed: reports the device failed (PNP_DEVICE_FAILED); the
 * PnP manager then removes the stack (and restarts it for
 * WdfDeviceFailedAttemptRestart). <= DISPATCH_LEVEL. */
static void device_set_failed(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, WDF_DEVICE_FAILED_ACTION FailedAction)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceSetFailed");
    if (!device)
        return;
    if (FailedAction != WdfDeviceFailedAttemptRestart && FailedAction != WdfDeviceFailedNoRestart) {
        fx_violation("WdfDeviceSetFailed", "FailedAction %d is not a WDF_DEVICE_FAILED_ACTION", (int)FailedAction);
        return;
    }
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    pnp->failed = true;
    pthread_mutex_unlock(&pnp->lock);
    IoInvalidateDeviceState(device->pdo);
}
FX_EXPORT(WdfDeviceSetFailed, PFN_WDFDEVICESETFAILED, device_set_failed);

/* WdfDeviceSetStaticStopRemove: whether the device may be stopped or
 * removed (FALSE vetoes query-stop and query-remove). <= DISPATCH_LEVEL. */
static void device_set_static_stop_remove(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, BOOLEAN Stoppable)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceSetStaticStopRemove");
    if (device)
        fx_pnp_of(device)->static_not_stoppable = !Stoppable;
}
FX_EXPORT(WdfDeviceSetStaticStopRemove, PFN_WDFDEVICESETSTATICSTOPREMOVE, device_set_static_stop_remove);

/* WdfDeviceGetDevicePnpState / PowerState / PowerPolicyState: where the
 * state machines are. <= DISPATCH_LEVEL. */
static WDF_DEVICE_PNP_STATE device_get_device_pnp_state(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetDevicePnpState");
    return device ? fx_pnp_of(device)->pnp_state : WdfDevStatePnpInvalid;
}
FX_EXPORT(WdfDeviceGetDevicePnpState, PFN_WDFDEVICEGETDEVICEPNPSTATE, device_get_device_pnp_state);

static WDF_DEVICE_POWER_STATE device_get_device_power_state(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetDevicePowerState");
    return device ? fx_pnp_of(device)->power_state : WdfDevStatePowerInvalid;
}
FX_EXPORT(WdfDeviceGetDevicePowerState, PFN_WDFDEVICEGETDEVICEPOWERSTATE, device_get_device_power_state);

static WDF_DEVICE_POWER_POLICY_STATE device_get_device_power_policy_state(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetDevicePowerPolicyState");
    return device ? fx_pnp_of(device)->policy_state : WdfDevStatePwrPolInvalid;
}
FX_EXPORT(WdfDeviceGetDevicePowerPolicyState, PFN_WDFDEVICEGETDEVICEPOWERPOLICYSTATE,
          device_get_device_power_policy_state);

/* --- Idle and wake (stored; this host has no idle timeout and no wake) ------------- */
static bool dx_valid(DEVICE_POWER_STATE d)
{
    return (d >= PowerDeviceD1 && d <= PowerDeviceD3) || d == PowerDeviceMaximum;
}

/* WdfDeviceAssignS0IdleSettings: validates and keeps the idle settings;
 * the device is never idled to Dx here. PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (not the power
 * policy owner). */
static NTSTATUS device_assign_s0_idle_settings(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                               PWDF_DEVICE_POWER_POLICY_IDLE_SETTINGS Settings)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceAssignS0IdleSettings");
    if (!device)
        return STATUS_INVALID_PARAMETER;
    if (!Settings || Settings->Size != sizeof(*Settings) || Settings->IdleCaps < IdleCannotWakeFromS0 ||
        Settings->IdleCaps > IdleUsbSelectiveSuspend || !dx_valid(Settings->DxState)) {
        fx_violation("WdfDeviceAssignS0IdleSettings", "bad WDF_DEVICE_POWER_POLICY_IDLE_SETTINGS");
        return STATUS_INVALID_PARAMETER;
    }
    if (!device->power_policy_owner)
        return STATUS_INVALID_DEVICE_REQUEST;
    fx_pnp_of(device)->idle_settings = *Settings;
    fx_pnp_of(device)->has_idle_settings = true;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceAssignS0IdleSettings, PFN_WDFDEVICEASSIGNS0IDLESETTINGS, device_assign_s0_idle_settings);

/* WdfDeviceAssignSxWakeSettings: validates and keeps the wake settings;
 * nothing wakes the system here. PASSIVE_LEVEL. As above. */
static NTSTATUS device_assign_sx_wake_settings(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                               PWDF_DEVICE_POWER_POLICY_WAKE_SETTINGS Settings)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceAssignSxWakeSettings");
    if (!device)
        return STATUS_INVALID_PARAMETER;
    if (!Settings || Settings->Size != sizeof(*Settings) || !dx_valid(Settings->DxState)) {
        fx_violation("WdfDeviceAssignSxWakeSettings", "bad WDF_DEVICE_POWER_POLICY_WAKE_SETTINGS");
        return STATUS_INVALID_PARAMETER;
    }
    if (!device->power_policy_owner)
        return STATUS_INVALID_DEVICE_REQUEST;
    fx_pnp_of(device)->wake_settings = *Settings;
    fx_pnp_of(device)->has_wake_settings = true;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceAssignSxWakeSettings, PFN_WDFDEVICEASSIGNSXWAKESETTINGS, device_assign_sx_wake_settings);

/* WdfDeviceIndicateWakeStatus: a bus driver reporting a child's wake
 * signal. No device is ever armed for wake here, so there is no wait-wake
 * to complete. <= DISPATCH_LEVEL. STATUS_INVALID_DEVICE_REQUEST. */
static NTSTATUS device_indicate_wake_status(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, NTSTATUS WaitWakeStatus)
{
    (void)g;
    (void)WaitWakeStatus;
    return pnp_device(Device, "WdfDeviceIndicateWakeStatus") ? STATUS_INVALID_DEVICE_REQUEST
                                                               : STATUS_INVALID_PARAMETER;
}
FX_EXPORT(WdfDeviceIndicateWakeStatus, PFN_WDFDEVICEINDICATEWAKESTATUS, device_indicate_wake_status);

/* WdfDeviceAssignMofResourceName: the MOF resource WMI reads (kept for the
 * WMI family). PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_DEVICE_REQUEST
 * (already assigned), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS device_assign_mof_resource_name(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                                PCUNICODE_STRING MofResourceName)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceAssignMofResourceName");
    if (!device || !MofResourceName || !MofResourceName->Length)
        return STATUS_INVALID_PARAMETER;
    struct fx_pnp *pnp = fx_pnp_of(device);
    if (pnp->mof_name.Buffer)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!(pnp->mof_name.Buffer = calloc(1, MofResourceName->Length + sizeof(WCHAR))))
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(pnp->mof_name.Buffer, MofResourceName->Buffer, MofResourceName->Length);
    pnp->mof_name.Length = MofResourceName->Length;
    pnp->mof_name.MaximumLength = (USHORT)(MofResourceName->Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceAssignMofResourceName, PFN_WDFDEVICEASSIGNMOFRESOURCENAME, device_assign_mof_resource_name);

/* --- Removal relations ------------------------------------------------------------ */
/* WdfDeviceAddRemovalRelationsPhysicalDevice: a PDO removed with this
 * device (reported in RemovalRelations). PASSIVE_LEVEL. STATUS_SUCCESS,
 * STATUS_INSUFFICIENT_RESOURCES (full), STATUS_INVALID_PARAMETER. */
static NTSTATUS device_add_removal_relations(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PDEVICE_OBJECT PhysicalDevice)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceAddRemovalRelationsPhysicalDevice");
    if (!device || !PhysicalDevice)
        return STATUS_INVALID_PARAMETER;
    struct fx_pnp *pnp = fx_pnp_of(device);
    NTSTATUS status = STATUS_SUCCESS;
    pthread_mutex_lock(&pnp->lock);
    if (pnp->removal_relation_count == KMH_ARRAY_SIZE(pnp->removal_relations))
        status = STATUS_INSUFFICIENT_RESOURCES;
    else
        pnp->removal_relations[pnp->removal_relation_count++] = PhysicalDevice;
    pthread_mutex_unlock(&pnp->lock);
    return status;
}
FX_EXPORT(WdfDeviceAddRemovalRelationsPhysicalDevice, PFN_WDFDEVICEADDREMOVALRELATIONSPHYSICALDEVICE,
          device_add_removal_relations);

/* WdfDeviceRemoveRemovalRelationsPhysicalDevice: forgets one. PASSIVE_LEVEL. */
static void device_remove_removal_relations(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PDEVICE_OBJECT PhysicalDevice)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceRemoveRemovalRelationsPhysicalDevice");
    if (!device)
        return;
    struct fx_pnp *pnp = fx_pnp_of(device);
    pthread_mutex_lock(&pnp->lock);
    for (ULONG i = 0; i < pnp->removal_relation_count; i++)
        if (pnp->removal_relations[i] == PhysicalDevice)
            pnp->removal_relations[i--] = pnp->removal_relations[--pnp->removal_relation_count];
    pthread_mutex_unlock(&pnp->lock);
}
FX_EXPORT(WdfDeviceRemoveRemovalRelationsPhysicalDevice, PFN_WDFDEVICEREMOVEREMOVALRELATIONSPHYSICALDEVICE,
          device_remove_removal_relations);

/* WdfDeviceClearRemovalRelationsDevices: forgets them all. PASSIVE_LEVEL. */
static void device_clear_removal_relations(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = pnp_device(Device, "WdfDeviceClearRemovalRelationsDevices");
    if (device)
        fx_pnp_of(device)->removal_relation_count = 0;
}
FX_EXPORT(WdfDeviceClearRemovalRelationsDevices, PFN_WDFDEVICECLEARREMOVALRELATIONSDEVICES,
          device_clear_removal_relations);

/* --- WDM device fields ------------------------------------------------------------ */
/* WdfDeviceGetAlignmentRequirement / Set...: the WDM device's
 * AlignmentRequirement (a FILE_*_ALIGNMENT mask). <= DISPATCH_LEVEL. */
static ULONG device_get_alignment_requirement(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetAlignmentRequirement");
    return device ? device->wdm_device->AlignmentRequirement : 0;
}
FX_EXPORT(WdfDeviceGetAlignmentRequirement, PFN_WDFDEVICEGETALIGNMENTREQUIREMENT, device_get_alignment_requirement);

static void device_set_alignment_requirement(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, ULONG AlignmentRequirement)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceSetAlignmentRequirement");
    if (device)
        device->wdm_device->AlignmentRequirement = AlignmentRequirement;
}
FX_EXPORT(WdfDeviceSetAlignmentRequirement, PFN_WDFDEVICESETALIGNMENTREQUIREMENT, device_set_alignment_requirement);

/* WdfDeviceGetCharacteristics / Set...: the WDM device's FILE_* characteristics. PASSIVE_LEVEL. */
static ULONG device_get_characteristics(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetCharacteristics");
    return device ? device->wdm_device->Characteristics : 0;
}
FX_EXPORT(WdfDeviceGetCharacteristics, PFN_WDFDEVICEGETCHARACTERISTICS, device_get_characteristics);

static void device_set_characteristics(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, ULONG DeviceCharacteristics)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceSetCharacteristics");
    if (device)
        device->wdm_device->Characteristics = DeviceCharacteristics;
}
FX_EXPORT(WdfDeviceSetCharacteristics, PFN_WDFDEVICESETCHARACTERISTICS, device_set_characteristics);
