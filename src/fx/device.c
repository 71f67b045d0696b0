/*
 * WDFDEVICE: the framework's AddDevice (a WDFDEVICE_INIT handed to
 * EvtDriverDeviceAdd), WdfDeviceCreate (the WDM device under it, attached
 * to its stack), the device's lifetime, and the simple getters.
 *
 * The WDM device's extension holds a tagged pointer back to struct
 * fx_device, so the dispatch routines find the framework device of any
 * DEVICE_OBJECT and recognise one the framework does not own. The
 * WDFDEVICE keeps a reference on its DEVICE_OBJECT until it is destroyed,
 * so WdfDeviceWdmGetDeviceObject stays valid in EvtCleanupCallback.
 */
#include "fx/device_private.h"

#include <stdlib.h>

struct fx_wdm_extension {
    uint32_t magic;
    struct fx_device *device;
};
#define FX_WDM_EXTENSION_MAGIC 0x6d645746u /* "FWdm" */

struct fx_device *fx_device_from_wdm(PDEVICE_OBJECT device)
{
    struct fx_wdm_extension *ext = device ? device->DeviceExtension : NULL;
    if (!ext || !fx_globals_for_driver_object(device->DriverObject) || ext->magic != FX_WDM_EXTENSION_MAGIC)
        return NULL;
    return ext->device;
}

struct fx_device *fx_device_lookup(WDFDEVICE handle, const char *ddi)
{
    return FX_LOOKUP(fx_device, FX_TYPE_DEVICE, handle, ddi);
}

/* --- Lifetime -------------------------------------------------------------- */
/* Deletion (children first is the object model's): what the device owns
 * outside the object tree goes, then the WDM device leaves its stack. */
static void device_dispose(struct fx_object *object)
{
    struct fx_device *device = (struct fx_device *)object;
    PDEVICE_OBJECT wdm = device->wdm_device;

    /* Only WdfDeviceCreate's devices have their state (tests may build a
     * bare one on the object model). */
    if (!device->pnp)
        return;
    fx_file_objects_release(device);
    fx_device_links_delete(device);
    fx_device_interfaces_free(device);
    fx_cmreslists_delete(device);
    pthread_mutex_lock(&fx_tree_lock);
    RemoveEntryList(&device->driver_link);
    InitializeListHead(&device->driver_link);
    pthread_mutex_unlock(&fx_tree_lock);
    if (!wdm)
        return;
    if (device->attached_to)
        IoDetachDevice(device->attached_to);
    device->attached_to = NULL;
    IoDeleteDevice(wdm);
}

static void device_destroy(struct fx_object *object)
{
    struct fx_device *device = (struct fx_device *)object;
    struct fx_pnp *pnp = device->pnp;

    if (!pnp)
        return;
    if (device->wdm_device) {
        struct fx_wdm_extension *ext = device->wdm_device->DeviceExtension;
        ext->device = NULL;
        ext->magic = 0;
        ObfDereferenceObject(device->wdm_device);
    }
    pthread_mutex_destroy(&pnp->lock);
    free(pnp->mof_name.Buffer);
    free(pnp);
    fx_callback_lock_free(device->object.own_lock);
}

const struct fx_type_ops fx_ops_device = {
    .name = "WDFDEVICE",
    .driver_may_delete = false,
    .cleanup_at_passive = true,
    .dispose = device_dispose,
    .destroy = device_destroy,
};

/* A control device is the one WDFDEVICE a driver deletes itself
 * (WdfObjectDelete); ops are per object, so it carries this variant. */
static const struct fx_type_ops fx_ops_control_device = {
    .name = "WDFDEVICE",
    .driver_may_delete = true,
    .cleanup_at_passive = true,
    .dispose = device_dispose,
    .destroy = device_destroy,
};

void fx_device_destroy(struct fx_device *device)
{
    fx_object_delete(&device->object);
}

/* --- AddDevice ------------------------------------------------------------- */
NTSTATUS fx_wdm_add_device(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    struct fx_globals *globals = fx_globals_for_driver_object(DriverObject);
    struct fx_driver *driver = globals ? globals->driver : NULL;

    if (!driver || !driver->config.EvtDriverDeviceAdd)
        return STATUS_INVALID_DEVICE_REQUEST;
    PWDFDEVICE_INIT init = fx_device_init_new(globals, driver, FX_DEVICE_FDO, PhysicalDeviceObject, NULL);
    if (!init)
        return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = driver->config.EvtDriverDeviceAdd((WDFDRIVER)driver->object.handle, init);
    struct fx_device *device = init->device;
    /* A failed EvtDriverDeviceAdd takes its device with it; a successful
     * one that made none is a driver choosing not to join this stack. */
    if (device && !NT_SUCCESS(status)) {
        fx_device_destroy(device);
    } else if (device) {
        fx_pnp_set_state(device, WdfDevStatePnpInit);
        device->wdm_device->Flags &= ~DO_DEVICE_INITIALIZING;
    }
    fx_device_init_free(init);
    return status;
}

/* --- WdfDeviceCreate ------------------------------------------------------- */
static NTSTATUS check_attributes(PWDF_OBJECT_ATTRIBUTES attributes)
{
    if (!attributes)
        return STATUS_SUCCESS;
    if (attributes->ParentObject) {
        fx_violation("WdfDeviceCreate", "a WDFDEVICE's parent is its driver; ParentObject must be NULL");
        return STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED;
    }
    return STATUS_SUCCESS;
}

/* File objects inherit scope and level; their callbacks run at PASSIVE_LEVEL,
 * so a dispatch-level device lock over them is refused, as KMDF does. */
static NTSTATUS check_file_levels(struct fx_device *device, PWDFDEVICE_INIT init)
{
    PWDF_OBJECT_ATTRIBUTES a = init->has_file_config && init->file_attributes.Size ? &init->file_attributes : NULL;
    WDF_SYNCHRONIZATION_SCOPE scope = a ? a->SynchronizationScope : WdfSynchronizationScopeInheritFromParent;
    WDF_EXECUTION_LEVEL level = a ? a->ExecutionLevel : WdfExecutionLevelInheritFromParent;

    if (scope == WdfSynchronizationScopeInheritFromParent || scope == WdfSynchronizationScopeInvalid)
        scope = device->object.sync_scope;
    if (level == WdfExecutionLevelInheritFromParent || level == WdfExecutionLevelInvalid)
        level = device->object.execution_level;
    if (scope != WdfSynchronizationScopeNone && scope != WdfSynchronizationScopeQueue &&
        level != WdfExecutionLevelPassive) {
        fx_violation("WdfDeviceCreate", "file object callbacks would be serialised at DISPATCH_LEVEL: set "
                                        "WdfSynchronizationScopeNone or WdfExecutionLevelPassive in their attributes");
        return STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS create_wdm_device(struct fx_device *device, PWDFDEVICE_INIT init)
{
    PUNICODE_STRING name = init->name.Length ? &init->name : NULL;
    ULONG characteristics = init->characteristics;
    PDEVICE_OBJECT wdm = NULL;
    NTSTATUS status;

    /* A PDO must have a name; KMDF makes one up when the driver gave none. */
    if (init->kind == FX_DEVICE_PDO && !name)
        characteristics |= FILE_AUTOGENERATED_DEVICE_NAME;
    if (init->sddl.Length)
        status = IoCreateDeviceSecure(init->driver->wdm_driver, sizeof(struct fx_wdm_extension), name,
                                      init->device_type, characteristics, init->exclusive, &init->sddl,
                                      init->has_class_guid ? &init->class_guid : NULL, &wdm);
    else
        status = IoCreateDevice(init->driver->wdm_driver, sizeof(struct fx_wdm_extension), name, init->device_type,
                                characteristics, init->exclusive, &wdm);
    if (!NT_SUCCESS(status))
        return status;
    struct fx_wdm_extension *ext = wdm->DeviceExtension;
    ext->magic = FX_WDM_EXTENSION_MAGIC;
    ext->device = device;
    ObfReferenceObject(wdm);
    device->wdm_device = wdm;
    return STATUS_SUCCESS;
}

static void set_wdm_flags(struct fx_device *device, PWDFDEVICE_INIT init)
{
    PDEVICE_OBJECT wdm = device->wdm_device;

    if (init->io_type == WdfDeviceIoBuffered)
        wdm->Flags |= DO_BUFFERED_IO;
    else if (init->io_type == WdfDeviceIoDirect)
        wdm->Flags |= DO_DIRECT_IO;
    if (init->paging == FX_POWER_PAGEABLE)
        wdm->Flags |= DO_POWER_PAGABLE;
    else if (init->paging == FX_POWER_INRUSH)
        wdm->Flags |= DO_POWER_INRUSH;
}

/* A filter must not change how the stack buffers I/O or pages power
 * code: it takes the lower device's flags (and its type), as WDM filters do. */
static void filter_copy_lower(struct fx_device *device, PWDFDEVICE_INIT init)
{
    const ULONG copied = DO_BUFFERED_IO | DO_DIRECT_IO | DO_POWER_PAGABLE | DO_POWER_INRUSH;
    PDEVICE_OBJECT wdm = device->wdm_device, lower = device->attached_to;

    wdm->Flags = (wdm->Flags & ~copied) | (lower->Flags & copied);
    if (init->device_type == FILE_DEVICE_UNKNOWN)
        wdm->DeviceType = lower->DeviceType;
    device->io_type = (lower->Flags & DO_BUFFERED_IO) ? WdfDeviceIoBuffered
                      : (lower->Flags & DO_DIRECT_IO) ? WdfDeviceIoDirect
                                                      : WdfDeviceIoNeither;
}

static NTSTATUS join_stack(struct fx_device *device, PWDFDEVICE_INIT init)
{
    PDEVICE_OBJECT lower = NULL;
    NTSTATUS status = IoAttachDeviceToDeviceStackSafe(device->wdm_device, init->pdo, &lower);
    if (!NT_SUCCESS(status) || !lower)
        return STATUS_NO_SUCH_DEVICE;
    device->attached_to = lower;
    if (init->kind == FX_DEVICE_FILTER)
        filter_copy_lower(device, init);
    return fx_io_target_new_default(device, &device->default_target);
}

static struct fx_pnp *pnp_new(PWDFDEVICE_INIT init)
{
    struct fx_pnp *pnp = calloc(1, sizeof(*pnp));
    if (!pnp)
        return NULL;
    pthread_mutex_init(&pnp->lock, NULL);
    pnp->cb = init->pnp_callbacks;
    pnp->policy_cb = init->policy_callbacks;
    pnp->fdo_cb = init->fdo_callbacks;
    memcpy(pnp->preprocess, init->preprocess, sizeof(pnp->preprocess));
    pnp->bus_parent = init->bus_parent;
    pnp->paging = init->paging;
    pnp->pnp_state = WdfDevStatePnpObjectCreated;
    pnp->power_state = WdfDevStatePowerObjectCreated;
    pnp->policy_state = WdfDevStatePwrPolObjectCreated;
    pnp->dx = WdfPowerDeviceD3Final;
    pnp->system_state = PowerSystemWorking;
    pnp->system_action = PowerActionNone;
    KeInitializeEvent(&pnp->d0_event, NotificationEvent, FALSE);
    /* As WDF_DEVICE_STATE_INIT does (whose size lookup is the driver's). */
    pnp->device_state.Size = sizeof(pnp->device_state);
    pnp->device_state.Disabled = pnp->device_state.DontDisplayInUI = pnp->device_state.Failed = WdfUseDefault;
    pnp->device_state.NotDisableable = pnp->device_state.Removed = WdfUseDefault;
    pnp->device_state.ResourcesChanged = pnp->device_state.AssignedToGuest = WdfUseDefault;
    InitializeListHead(&pnp->interfaces);
    InitializeListHead(&pnp->symbolic_links);
    InitializeListHead(&pnp->files);
    pnp->release_order = init->release_order;
    pnp->remove_lock_flags = init->remove_lock_flags;
    pnp->child_list_config = init->child_list_config;
    pnp->child_list_attributes = init->child_list_attributes;
    pnp->has_child_list_config = init->has_child_list_config;
    pnp->shutdown = init->shutdown;
    pnp->shutdown_flags = init->shutdown_flags;
    return pnp;
}

static void take_settings(struct fx_device *device, PWDFDEVICE_INIT init)
{
    device->kind = init->kind;
    device->driver = init->driver;
    device->pdo = init->kind == FX_DEVICE_PDO ? device->wdm_device : init->pdo;
    device->io_type = init->io_type;
    device->ioctl_io_type = init->ioctl_io_type;
    device->request_attributes = init->request_attributes;
    device->in_caller_context = init->in_caller_context;
    device->file_config = init->file_config;
    device->file_attributes = init->file_attributes;
    device->has_file_config = init->has_file_config;
    device->power_policy_owner = init->power_policy_owner >= 0 ? init->power_policy_owner != 0
                                                               : init->kind == FX_DEVICE_FDO;
}

static NTSTATUS device_build(struct fx_device *device, PWDFDEVICE_INIT init)
{
    NTSTATUS status;

    InitializeListHead(&device->queues);
    if (!(device->pnp = pnp_new(init)))
        return STATUS_INSUFFICIENT_RESOURCES;
    /* Every device has a lock (WdfObjectAcquireLock works on it); the
     * device scope makes it the one its queues' callbacks take. */
    if (!(device->object.own_lock = fx_callback_lock_new(device->object.execution_level == WdfExecutionLevelPassive)))
        return STATUS_INSUFFICIENT_RESOURCES;
    take_settings(device, init);
    if (!NT_SUCCESS(status = check_file_levels(device, init)) || !NT_SUCCESS(status = create_wdm_device(device, init)))
        return status;
    set_wdm_flags(device, init);
    if (init->kind == FX_DEVICE_FDO || init->kind == FX_DEVICE_FILTER)
        status = join_stack(device, init);
    else if (init->kind == FX_DEVICE_CONTROL && init->shutdown)
        status = (init->shutdown_flags & WdfDeviceShutdown) ? IoRegisterShutdownNotification(device->wdm_device)
                                                            : IoRegisterLastChanceShutdownNotification(device->wdm_device);
    /* The bus family makes the default child list now, as KMDF does. */
    if (NT_SUCCESS(status) && fx_device_has_lower(device))
        status = fx_child_list_create_default(device);
    if (init->kind == FX_DEVICE_CONTROL) {
        device->object.ops = &fx_ops_control_device;
        /* Outside PnP, a control device is always working. */
        device->in_d0 = 1;
    }
    return status;
}

/* WdfDeviceCreate: a framework device from an init, parented to the driver.
 * PASSIVE_LEVEL. On success *DeviceInit becomes NULL (the init is used up)
 * and *Device is the new handle. STATUS_SUCCESS, STATUS_INVALID_PARAMETER,
 * STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED, STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL,
 * STATUS_OBJECT_NAME_COLLISION (the name is taken), STATUS_NO_SUCH_DEVICE
 * (the stack is going away), STATUS_INSUFFICIENT_RESOURCES. On failure the
 * init stays the driver's (control devices and PDOs free it). */
static NTSTATUS device_create(PWDF_DRIVER_GLOBALS g, PWDFDEVICE_INIT *DeviceInit,
                              PWDF_OBJECT_ATTRIBUTES DeviceAttributes, WDFDEVICE *Device)
{
    NTSTATUS status;

    if (Device)
        *Device = NULL;
    if (!DeviceInit || !Device || !fx_device_init_check(*DeviceInit, "WdfDeviceCreate"))
        return STATUS_INVALID_PARAMETER;
    PWDFDEVICE_INIT init = *DeviceInit;
    if (!NT_SUCCESS(status = check_attributes(DeviceAttributes)))
        return status;
    struct fx_device *device = fx_object_new(fx_globals_of(g), FX_TYPE_DEVICE, sizeof(*device), DeviceAttributes,
                                             &init->driver->object, &status);
    if (!device)
        return status;
    InitializeListHead(&device->driver_link);
    if (!NT_SUCCESS(status = device_build(device, init))) {
        fx_object_delete(&device->object);
        return status;
    }
    pthread_mutex_lock(&fx_tree_lock);
    InsertTailList(&init->driver->devices, &device->driver_link);
    pthread_mutex_unlock(&fx_tree_lock);
    init->created = true;
    init->device = device;
    /* The framework keeps an FDO's init until EvtDriverDeviceAdd returns;
     * a control device's or PDO's nobody else holds. */
    if (init->kind == FX_DEVICE_CONTROL || init->kind == FX_DEVICE_PDO)
        fx_device_init_free(init);
    *DeviceInit = NULL;
    *Device = fx_device_handle(device);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceCreate, PFN_WDFDEVICECREATE, device_create);

/* --- Getters ----------------------------------------------------------------- */
/* WdfDeviceGetDriver: the device's WDFDRIVER. Any IRQL. NULL for a bad handle. */
static WDFDRIVER device_get_driver(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetDriver");
    return device ? (WDFDRIVER)device->driver->object.handle : NULL;
}
FX_EXPORT(WdfDeviceGetDriver, PFN_WDFDEVICEGETDRIVER, device_get_driver);

/* WdfDeviceWdmGetDeviceObject: the WDM device under the WDFDEVICE. Any IRQL. */
static PDEVICE_OBJECT device_wdm_get_device_object(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceWdmGetDeviceObject");
    return device ? device->wdm_device : NULL;
}
FX_EXPORT(WdfDeviceWdmGetDeviceObject, PFN_WDFDEVICEWDMGETDEVICEOBJECT, device_wdm_get_device_object);

/* WdfDeviceWdmGetAttachedDevice: the next lower device (NULL for PDOs and
 * control devices). Any IRQL. */
static PDEVICE_OBJECT device_wdm_get_attached_device(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceWdmGetAttachedDevice");
    return device ? device->attached_to : NULL;
}
FX_EXPORT(WdfDeviceWdmGetAttachedDevice, PFN_WDFDEVICEWDMGETATTACHEDDEVICE, device_wdm_get_attached_device);

/* WdfDeviceWdmGetPhysicalDevice: the stack's PDO (NULL for control devices). Any IRQL. */
static PDEVICE_OBJECT device_wdm_get_physical_device(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceWdmGetPhysicalDevice");
    return device ? device->pdo : NULL;
}
FX_EXPORT(WdfDeviceWdmGetPhysicalDevice, PFN_WDFDEVICEWDMGETPHYSICALDEVICE, device_wdm_get_physical_device);

/* WdfWdmDeviceGetWdfDeviceHandle: the WDFDEVICE of a DEVICE_OBJECT, or
 * NULL when the framework does not own it. Any IRQL. */
static WDFDEVICE wdm_device_get_wdf_device_handle(PWDF_DRIVER_GLOBALS g, PDEVICE_OBJECT DeviceObject)
{
    (void)g;
    struct fx_device *device = fx_device_from_wdm(DeviceObject);
    return device ? fx_device_handle(device) : NULL;
}
FX_EXPORT(WdfWdmDeviceGetWdfDeviceHandle, PFN_WDFWDMDEVICEGETWDFDEVICEHANDLE, wdm_device_get_wdf_device_handle);

/* WdfDeviceGetIoTarget: the default target (the lower stack) of an FDO or
 * filter; NULL for PDOs and control devices. IRQL <= DISPATCH_LEVEL. */
static WDFIOTARGET device_get_io_target(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetIoTarget");
    if (!device || !device->default_target)
        return NULL;
    return (WDFIOTARGET)((struct fx_object *)device->default_target)->handle;
}
FX_EXPORT(WdfDeviceGetIoTarget, PFN_WDFDEVICEGETIOTARGET, device_get_io_target);

/* WdfDeviceGetDefaultQueue: the queue made with WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE,
 * or NULL. IRQL <= DISPATCH_LEVEL. */
static WDFQUEUE device_get_default_queue(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = fx_device_lookup(Device, "WdfDeviceGetDefaultQueue");
    if (!device || !device->default_queue)
        return NULL;
    return (WDFQUEUE)((struct fx_object *)device->default_queue)->handle;
}
FX_EXPORT(WdfDeviceGetDefaultQueue, PFN_WDFDEVICEGETDEFAULTQUEUE, device_get_default_queue);
