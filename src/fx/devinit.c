/*
 * WDFDEVICE_INIT: what a driver fills in EvtDriverDeviceAdd (or for a
 * control device or PDO it allocated) before WdfDeviceCreate turns it into
 * a device. Every method is for PASSIVE_LEVEL and only before the create;
 * a consumed or bogus init is reported, never dereferenced further.
 */
#include "fx/device_private.h"

#include <stdlib.h>

PWDFDEVICE_INIT fx_device_init_new(struct fx_globals *globals, struct fx_driver *driver, enum fx_device_kind kind,
                                   PDEVICE_OBJECT pdo, struct fx_device *bus_parent)
{
    PWDFDEVICE_INIT init = calloc(1, sizeof(*init));
    if (!init)
        return NULL;
    init->magic = FX_DEVICE_INIT_MAGIC;
    init->globals = globals;
    init->driver = driver;
    init->kind = kind;
    init->pdo = pdo;
    init->bus_parent = bus_parent;
    init->io_type = WdfDeviceIoBuffered;
    init->ioctl_io_type = WdfDeviceIoBuffered;
    init->device_type = FILE_DEVICE_UNKNOWN;
    /* KMDF gives every device FILE_DEVICE_SECURE_OPEN unless told otherwise. */
    init->characteristics = FILE_DEVICE_SECURE_OPEN;
    init->power_policy_owner = -1;
    init->paging = FX_POWER_PAGEABLE;
    init->release_order = WdfReleaseHardwareOrderOnFailureEarly;
    return init;
}

void fx_device_init_free(PWDFDEVICE_INIT init)
{
    if (!init)
        return;
    if (init->pdo_init_free)
        init->pdo_init_free(init->pdo_init);
    free(init->name.Buffer);
    free(init->sddl.Buffer);
    init->magic = 0;
    free(init);
}

PWDFDEVICE_INIT fx_device_init_check(PWDFDEVICE_INIT init, const char *ddi)
{
    if (!init || init->magic != FX_DEVICE_INIT_MAGIC) {
        fx_violation(ddi, "%p is not a PWDFDEVICE_INIT", (void *)init);
        return NULL;
    }
    if (init->created) {
        fx_violation(ddi, "the PWDFDEVICE_INIT was already used by WdfDeviceCreate");
        return NULL;
    }
    fx_check_irql(PASSIVE_LEVEL, ddi);
    return init;
}

#define INIT_OR_RETURN(ddi, ...)                             \
    do {                                                     \
        if (!fx_device_init_check(DeviceInit, ddi))          \
            return __VA_ARGS__;                              \
    } while (0)

static NTSTATUS copy_string(UNICODE_STRING *to, PCUNICODE_STRING from)
{
    free(to->Buffer);
    memset(to, 0, sizeof(*to));
    if (!from || !from->Length)
        return STATUS_SUCCESS;
    if (!(to->Buffer = calloc(1, from->Length + sizeof(WCHAR))))
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(to->Buffer, from->Buffer, from->Length);
    to->Length = from->Length;
    to->MaximumLength = (USHORT)(from->Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

static bool io_type_valid(WDF_DEVICE_IO_TYPE type)
{
    return type >= WdfDeviceIoNeither && type <= WdfDeviceIoBufferedOrDirect;
}

/* WdfDeviceInitSetIoType: read/write buffering (buffered by default). PASSIVE_LEVEL. */
static void init_set_io_type(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, WDF_DEVICE_IO_TYPE IoType)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetIoType");
    if (!io_type_valid(IoType)) {
        fx_violation("WdfDeviceInitSetIoType", "IoType %d is not a WDF_DEVICE_IO_TYPE", (int)IoType);
        return;
    }
    /* BufferedOrDirect is a UMDF setting; KMDF treats it as buffered. */
    DeviceInit->io_type = IoType == WdfDeviceIoBufferedOrDirect ? WdfDeviceIoBuffered : IoType;
}
FX_EXPORT(WdfDeviceInitSetIoType, PFN_WDFDEVICEINITSETIOTYPE, init_set_io_type);

/* WdfDeviceInitSetIoTypeEx: read/write and device-control buffering. PASSIVE_LEVEL. */
static void init_set_io_type_ex(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, PWDF_IO_TYPE_CONFIG IoTypeConfig)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetIoTypeEx");
    if (!IoTypeConfig || IoTypeConfig->Size != sizeof(*IoTypeConfig) ||
        !io_type_valid(IoTypeConfig->ReadWriteIoType) || !io_type_valid(IoTypeConfig->DeviceControlIoType)) {
        fx_violation("WdfDeviceInitSetIoTypeEx", "bad WDF_IO_TYPE_CONFIG (use WDF_IO_TYPE_CONFIG_INIT)");
        return;
    }
    WDF_DEVICE_IO_TYPE rw = IoTypeConfig->ReadWriteIoType;
    DeviceInit->io_type = rw == WdfDeviceIoBufferedOrDirect ? WdfDeviceIoBuffered : rw;
    DeviceInit->ioctl_io_type = IoTypeConfig->DeviceControlIoType;
}
FX_EXPORT(WdfDeviceInitSetIoTypeEx, PFN_WDFDEVICEINITSETIOTYPEEX, init_set_io_type_ex);

/* WdfDeviceInitSetExclusive: one open file at a time. PASSIVE_LEVEL. */
static void init_set_exclusive(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, BOOLEAN IsExclusive)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetExclusive");
    DeviceInit->exclusive = IsExclusive;
}
FX_EXPORT(WdfDeviceInitSetExclusive, PFN_WDFDEVICEINITSETEXCLUSIVE, init_set_exclusive);

/* WdfDeviceInitSetDeviceType: the DEVICE_TYPE of the WDM device. PASSIVE_LEVEL. */
static void init_set_device_type(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, DEVICE_TYPE DeviceType)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetDeviceType");
    DeviceInit->device_type = DeviceType;
}
FX_EXPORT(WdfDeviceInitSetDeviceType, PFN_WDFDEVICEINITSETDEVICETYPE, init_set_device_type);

/* WdfDeviceInitSetCharacteristics: sets (or ORs in) FILE_* characteristics. PASSIVE_LEVEL. */
static void init_set_characteristics(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, ULONG DeviceCharacteristics,
                                     BOOLEAN OrInValues)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetCharacteristics");
    DeviceInit->characteristics = OrInValues ? DeviceInit->characteristics | DeviceCharacteristics
                                             : DeviceCharacteristics;
}
FX_EXPORT(WdfDeviceInitSetCharacteristics, PFN_WDFDEVICEINITSETCHARACTERISTICS, init_set_characteristics);

/* WdfDeviceInitAssignName: names the WDM device (\Device\X); NULL removes
 * the name. PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INSUFFICIENT_RESOURCES,
 * STATUS_INVALID_PARAMETER for a bad init. */
static NTSTATUS init_assign_name(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceName)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitAssignName", STATUS_INVALID_PARAMETER);
    return copy_string(&DeviceInit->name, DeviceName);
}
FX_EXPORT(WdfDeviceInitAssignName, PFN_WDFDEVICEINITASSIGNNAME, init_assign_name);

/* WdfDeviceInitAssignSDDLString: the security descriptor the device is
 * created with (IoCreateDeviceSecure); NULL removes it. PASSIVE_LEVEL.
 * STATUS_SUCCESS, STATUS_INSUFFICIENT_RESOURCES, STATUS_INVALID_PARAMETER. */
static NTSTATUS init_assign_sddl(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING SDDLString)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitAssignSDDLString", STATUS_INVALID_PARAMETER);
    if (!SDDLString && DeviceInit->kind == FX_DEVICE_CONTROL) {
        fx_violation("WdfDeviceInitAssignSDDLString", "a control device must keep an SDDL string");
        return STATUS_INVALID_PARAMETER;
    }
    return copy_string(&DeviceInit->sddl, SDDLString);
}
FX_EXPORT(WdfDeviceInitAssignSDDLString, PFN_WDFDEVICEINITASSIGNSDDLSTRING, init_assign_sddl);

/* WdfDeviceInitSetDeviceClass: the setup class the SDDL override is looked up under. PASSIVE_LEVEL. */
static void init_set_device_class(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit, CONST GUID *DeviceClassGuid)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetDeviceClass");
    if (!DeviceClassGuid) {
        fx_violation("WdfDeviceInitSetDeviceClass", "DeviceClassGuid is NULL");
        return;
    }
    DeviceInit->class_guid = *DeviceClassGuid;
    DeviceInit->has_class_guid = true;
}
FX_EXPORT(WdfDeviceInitSetDeviceClass, PFN_WDFDEVICEINITSETDEVICECLASS, init_set_device_class);

/* WdfDeviceInitSetPnpPowerEventCallbacks: the PnP/power callbacks. PASSIVE_LEVEL. */
static void init_set_pnp_power_callbacks(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                         PWDF_PNPPOWER_EVENT_CALLBACKS PnpPowerEventCallbacks)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetPnpPowerEventCallbacks");
    if (!PnpPowerEventCallbacks || PnpPowerEventCallbacks->Size > sizeof(WDF_PNPPOWER_EVENT_CALLBACKS) ||
        PnpPowerEventCallbacks->Size < offsetof(WDF_PNPPOWER_EVENT_CALLBACKS, EvtDeviceUsageNotificationEx)) {
        fx_violation("WdfDeviceInitSetPnpPowerEventCallbacks",
                     "bad WDF_PNPPOWER_EVENT_CALLBACKS (use WDF_PNPPOWER_EVENT_CALLBACKS_INIT)");
        return;
    }
    memset(&DeviceInit->pnp_callbacks, 0, sizeof(DeviceInit->pnp_callbacks));
    memcpy(&DeviceInit->pnp_callbacks, PnpPowerEventCallbacks, PnpPowerEventCallbacks->Size);
}
FX_EXPORT(WdfDeviceInitSetPnpPowerEventCallbacks, PFN_WDFDEVICEINITSETPNPPOWEREVENTCALLBACKS,
          init_set_pnp_power_callbacks);

/* WdfDeviceInitSetPowerPolicyEventCallbacks: wake arming callbacks. PASSIVE_LEVEL. */
static void init_set_power_policy_callbacks(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                            PWDF_POWER_POLICY_EVENT_CALLBACKS PowerPolicyEventCallbacks)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetPowerPolicyEventCallbacks");
    if (!PowerPolicyEventCallbacks || PowerPolicyEventCallbacks->Size > sizeof(WDF_POWER_POLICY_EVENT_CALLBACKS) ||
        PowerPolicyEventCallbacks->Size < offsetof(WDF_POWER_POLICY_EVENT_CALLBACKS, EvtDeviceArmWakeFromSxWithReason)) {
        fx_violation("WdfDeviceInitSetPowerPolicyEventCallbacks", "bad WDF_POWER_POLICY_EVENT_CALLBACKS");
        return;
    }
    memset(&DeviceInit->policy_callbacks, 0, sizeof(DeviceInit->policy_callbacks));
    memcpy(&DeviceInit->policy_callbacks, PowerPolicyEventCallbacks, PowerPolicyEventCallbacks->Size);
}
FX_EXPORT(WdfDeviceInitSetPowerPolicyEventCallbacks, PFN_WDFDEVICEINITSETPOWERPOLICYEVENTCALLBACKS,
          init_set_power_policy_callbacks);

/* WdfDeviceInitSetPowerPolicyOwnership: whether this driver owns power policy. PASSIVE_LEVEL. */
static void init_set_power_policy_ownership(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                            BOOLEAN IsPowerPolicyOwner)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetPowerPolicyOwnership");
    DeviceInit->power_policy_owner = IsPowerPolicyOwner ? 1 : 0;
}
FX_EXPORT(WdfDeviceInitSetPowerPolicyOwnership, PFN_WDFDEVICEINITSETPOWERPOLICYOWNERSHIP,
          init_set_power_policy_ownership);

/* WdfDeviceInitSetPowerNotPageable / Pageable / Inrush: DO_POWER_PAGABLE
 * and DO_POWER_INRUSH of the WDM device. An inrush device is never
 * power-pageable. PASSIVE_LEVEL. */
static void init_set_power_not_pageable(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetPowerNotPageable");
    DeviceInit->paging = FX_POWER_NOT_PAGEABLE;
}
FX_EXPORT(WdfDeviceInitSetPowerNotPageable, PFN_WDFDEVICEINITSETPOWERNOTPAGEABLE, init_set_power_not_pageable);

static void init_set_power_pageable(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetPowerPageable");
    DeviceInit->paging = FX_POWER_PAGEABLE;
}
FX_EXPORT(WdfDeviceInitSetPowerPageable, PFN_WDFDEVICEINITSETPOWERPAGEABLE, init_set_power_pageable);

static void init_set_power_inrush(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetPowerInrush");
    DeviceInit->paging = FX_POWER_INRUSH;
}
FX_EXPORT(WdfDeviceInitSetPowerInrush, PFN_WDFDEVICEINITSETPOWERINRUSH, init_set_power_inrush);

/* WdfDeviceInitSetFileObjectConfig: file object callbacks, class and
 * attributes. PASSIVE_LEVEL. */
static void init_set_file_object_config(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                        PWDF_FILEOBJECT_CONFIG FileObjectConfig,
                                        PWDF_OBJECT_ATTRIBUTES FileObjectAttributes)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetFileObjectConfig");
    if (!FileObjectConfig || FileObjectConfig->Size != sizeof(*FileObjectConfig)) {
        fx_violation("WdfDeviceInitSetFileObjectConfig", "bad WDF_FILEOBJECT_CONFIG (use WDF_FILEOBJECT_CONFIG_INIT)");
        return;
    }
    ULONG class = (ULONG)FileObjectConfig->FileObjectClass & ~(ULONG)WdfFileObjectCanBeOptional;
    if (class < WdfFileObjectNotRequired || class > WdfFileObjectWdfCannotUseFsContexts) {
        fx_violation("WdfDeviceInitSetFileObjectConfig", "FileObjectClass %#x is not valid",
                     (unsigned)FileObjectConfig->FileObjectClass);
        return;
    }
    if (FileObjectAttributes && FileObjectAttributes->Size != sizeof(*FileObjectAttributes)) {
        fx_violation("WdfDeviceInitSetFileObjectConfig", "bad WDF_OBJECT_ATTRIBUTES for the file objects");
        return;
    }
    DeviceInit->file_config = *FileObjectConfig;
    if (FileObjectAttributes)
        DeviceInit->file_attributes = *FileObjectAttributes;
    else
        memset(&DeviceInit->file_attributes, 0, sizeof(DeviceInit->file_attributes));
    DeviceInit->has_file_config = true;
}
FX_EXPORT(WdfDeviceInitSetFileObjectConfig, PFN_WDFDEVICEINITSETFILEOBJECTCONFIG, init_set_file_object_config);

/* WdfDeviceInitSetRequestAttributes: the context every request of the device gets. PASSIVE_LEVEL. */
static void init_set_request_attributes(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                        PWDF_OBJECT_ATTRIBUTES RequestAttributes)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetRequestAttributes");
    if (!RequestAttributes || RequestAttributes->Size != sizeof(*RequestAttributes) ||
        RequestAttributes->ParentObject) {
        fx_violation("WdfDeviceInitSetRequestAttributes", "bad request attributes (a request has no chosen parent)");
        return;
    }
    DeviceInit->request_attributes = *RequestAttributes;
}
FX_EXPORT(WdfDeviceInitSetRequestAttributes, PFN_WDFDEVICEINITSETREQUESTATTRIBUTES, init_set_request_attributes);

/* WdfDeviceInitSetIoInCallerContextCallback: sees each I/O request in the
 * requester's thread before it is queued. PASSIVE_LEVEL. */
static void init_set_in_caller_context(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                       PFN_WDF_IO_IN_CALLER_CONTEXT EvtIoInCallerContext)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetIoInCallerContextCallback");
    DeviceInit->in_caller_context = EvtIoInCallerContext;
}
FX_EXPORT(WdfDeviceInitSetIoInCallerContextCallback, PFN_WDFDEVICEINITSETIOINCALLERCONTEXTCALLBACK,
          init_set_in_caller_context);

/* WdfDeviceInitAssignWdmIrpPreprocessCallback: a WDM routine that sees IRPs
 * of one major function (optionally only some minors) before the framework.
 * PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER (bad major,
 * too many minors), STATUS_INVALID_DEVICE_REQUEST (a different routine is
 * already set for the major). */
static NTSTATUS init_assign_preprocess(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                       PFN_WDFDEVICE_WDM_IRP_PREPROCESS EvtDeviceWdmIrpPreprocess,
                                       UCHAR MajorFunction, PUCHAR MinorFunctions, ULONG NumMinorFunctions)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitAssignWdmIrpPreprocessCallback", STATUS_INVALID_PARAMETER);
    if (!EvtDeviceWdmIrpPreprocess || MajorFunction > IRP_MJ_MAXIMUM_FUNCTION ||
        (NumMinorFunctions && !MinorFunctions)) {
        fx_violation("WdfDeviceInitAssignWdmIrpPreprocessCallback", "bad callback, major or minor list");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_preprocess *p = &DeviceInit->preprocess[MajorFunction];
    if (p->callback && p->callback != EvtDeviceWdmIrpPreprocess)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (p->minor_count + NumMinorFunctions > KMH_ARRAY_SIZE(p->minors))
        return STATUS_INVALID_PARAMETER;
    p->callback = EvtDeviceWdmIrpPreprocess;
    memcpy(p->minors + p->minor_count, MinorFunctions, NumMinorFunctions);
    p->minor_count += NumMinorFunctions;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceInitAssignWdmIrpPreprocessCallback, PFN_WDFDEVICEINITASSIGNWDMIRPPREPROCESSCALLBACK,
          init_assign_preprocess);

/* WdfDeviceInitSetRemoveLockOptions: whether the framework holds the
 * remove lock across each request (it always finishes requests before the
 * remove goes down here, so the flag is kept for queries). PASSIVE_LEVEL. */
static void init_set_remove_lock_options(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                         PWDF_REMOVE_LOCK_OPTIONS Options)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetRemoveLockOptions");
    if (!Options || Options->Size != sizeof(*Options) || (Options->Flags & ~WDF_REMOVE_LOCK_OPTION_ACQUIRE_FOR_IO)) {
        fx_violation("WdfDeviceInitSetRemoveLockOptions", "bad WDF_REMOVE_LOCK_OPTIONS");
        return;
    }
    DeviceInit->remove_lock_flags = Options->Flags;
}
FX_EXPORT(WdfDeviceInitSetRemoveLockOptions, PFN_WDFDEVICEINITSETREMOVELOCKOPTIONS, init_set_remove_lock_options);

/* WdfDeviceInitSetReleaseHardwareOrderOnFailure: when a bus driver's
 * EvtDeviceReleaseHardware runs after a failed power transition. PASSIVE_LEVEL. */
static void init_set_release_order(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit,
                                   WDF_RELEASE_HARDWARE_ORDER_ON_FAILURE ReleaseHardwareOrderOnFailure)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitSetReleaseHardwareOrderOnFailure");
    if (ReleaseHardwareOrderOnFailure != WdfReleaseHardwareOrderOnFailureEarly &&
        ReleaseHardwareOrderOnFailure != WdfReleaseHardwareOrderOnFailureAfterDescendants) {
        fx_violation("WdfDeviceInitSetReleaseHardwareOrderOnFailure", "bad order %d",
                     (int)ReleaseHardwareOrderOnFailure);
        return;
    }
    DeviceInit->release_order = ReleaseHardwareOrderOnFailure;
}
FX_EXPORT(WdfDeviceInitSetReleaseHardwareOrderOnFailure, PFN_WDFDEVICEINITSETRELEASEHARDWAREORDERONFAILURE,
          init_set_release_order);

/* WdfDeviceInitFree: frees an init the driver allocated (control device,
 * PDO) and did not hand to a successful WdfDeviceCreate. PASSIVE_LEVEL. */
static void init_free(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT DeviceInit)
{
    (void)g;
    INIT_OR_RETURN("WdfDeviceInitFree");
    if (DeviceInit->kind == FX_DEVICE_FDO || DeviceInit->kind == FX_DEVICE_FILTER) {
        fx_violation("WdfDeviceInitFree", "the framework owns the PWDFDEVICE_INIT of EvtDriverDeviceAdd");
        return;
    }
    fx_device_init_free(DeviceInit);
}
FX_EXPORT(WdfDeviceInitFree, PFN_WDFDEVICEINITFREE, init_free);
