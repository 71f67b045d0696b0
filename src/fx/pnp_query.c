/*
 * The PnP queries: capabilities and device state answered on the way up
 * (what the driver set with WdfDeviceSetPnp/PowerCapabilities and
 * WdfDeviceSetDeviceState laid over what the stack below said), device
 * relations (with the bus family's BusRelations hook), usage
 * notifications, and, for PDOs, the bus-side answers from struct
 * fx_pdo_ops. All arrive at PASSIVE_LEVEL.
 */
#include "fx/device_private.h"

#define FX_RELATIONS_TAG 'lRxF'

/* Down and wait (lower drivers first); a PDO is the bottom itself. */
static NTSTATUS down_and_wait(struct fx_device *device, PIRP irp)
{
    if (!fx_device_has_lower(device))
        return irp->IoStatus.Status;
    IoForwardIrpSynchronously(device->attached_to, irp);
    return irp->IoStatus.Status;
}

static NTSTATUS pass(struct fx_device *device, PIRP irp)
{
    if (fx_device_has_lower(device))
        return fx_dispatch_forward(device, irp);
    return fx_dispatch_complete(irp, irp->IoStatus.Status, irp->IoStatus.Information);
}

/* --- Capabilities ------------------------------------------------------------- */
#define TRI(caps, set, field)                       \
    do {                                            \
        if ((set)->field != WdfUseDefault)          \
            (caps)->field = (set)->field == WdfTrue; \
    } while (0)

static void apply_pnp_caps(PDEVICE_CAPABILITIES caps, const WDF_DEVICE_PNP_CAPABILITIES *set)
{
    TRI(caps, set, LockSupported);
    TRI(caps, set, EjectSupported);
    TRI(caps, set, Removable);
    TRI(caps, set, DockDevice);
    TRI(caps, set, UniqueID);
    TRI(caps, set, SilentInstall);
    TRI(caps, set, SurpriseRemovalOK);
    TRI(caps, set, HardwareDisabled);
    TRI(caps, set, NoDisplayInUI);
    if (set->Address != (ULONG)-1)
        caps->Address = set->Address;
    if (set->UINumber != (ULONG)-1)
        caps->UINumber = set->UINumber;
}

static void apply_power_caps(PDEVICE_CAPABILITIES caps, const WDF_DEVICE_POWER_CAPABILITIES *set)
{
    TRI(caps, set, DeviceD1);
    TRI(caps, set, DeviceD2);
    TRI(caps, set, WakeFromD0);
    TRI(caps, set, WakeFromD1);
    TRI(caps, set, WakeFromD2);
    TRI(caps, set, WakeFromD3);
    for (int i = 0; i < PowerSystemMaximum; i++)
        if (set->DeviceState[i] != PowerDeviceMaximum)
            caps->DeviceState[i] = set->DeviceState[i];
    if (set->DeviceWake != PowerDeviceMaximum)
        caps->DeviceWake = set->DeviceWake;
    if (set->SystemWake != PowerSystemMaximum)
        caps->SystemWake = set->SystemWake;
    if (set->D1Latency != (ULONG)-1)
        caps->D1Latency = set->D1Latency;
    if (set->D2Latency != (ULONG)-1)
        caps->D2Latency = set->D2Latency;
    if (set->D3Latency != (ULONG)-1)
        caps->D3Latency = set->D3Latency;
}

static NTSTATUS query_capabilities(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    PDEVICE_CAPABILITIES caps = IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceCapabilities.Capabilities;
    NTSTATUS status;

    if (fx_device_has_lower(device)) {
        status = down_and_wait(device, irp);
    } else {
        if (device->pdo_ops && device->pdo_ops->query_capabilities)
            device->pdo_ops->query_capabilities(device, caps);
        status = STATUS_SUCCESS;
    }
    if (NT_SUCCESS(status) && caps) {
        if (pnp->has_pnp_caps)
            apply_pnp_caps(caps, &pnp->pnp_caps);
        if (pnp->has_power_caps)
            apply_power_caps(caps, &pnp->power_caps);
    }
    return fx_dispatch_complete(irp, status, irp->IoStatus.Information);
}

/* --- Device state --------------------------------------------------------------- */
static ULONG apply_bit(ULONG state, WDF_TRI_STATE set, ULONG bit)
{
    if (set == WdfTrue)
        return state | bit;
    if (set == WdfFalse)
        return state & ~bit;
    return state;
}

static NTSTATUS query_pnp_device_state(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    NTSTATUS status = down_and_wait(device, irp);
    /* No one below answering is no state to add to. */
    ULONG state = NT_SUCCESS(status) ? (ULONG)irp->IoStatus.Information : 0;

    pthread_mutex_lock(&pnp->lock);
    const WDF_DEVICE_STATE *s = &pnp->device_state;
    state = apply_bit(state, s->Disabled, PNP_DEVICE_DISABLED);
    state = apply_bit(state, s->DontDisplayInUI, PNP_DEVICE_DONT_DISPLAY_IN_UI);
    state = apply_bit(state, s->Failed, PNP_DEVICE_FAILED);
    state = apply_bit(state, s->NotDisableable, PNP_DEVICE_NOT_DISABLEABLE);
    state = apply_bit(state, s->Removed, PNP_DEVICE_REMOVED);
    state = apply_bit(state, s->ResourcesChanged, PNP_DEVICE_RESOURCE_REQUIREMENTS_CHANGED);
    if (pnp->failed)
        state |= PNP_DEVICE_FAILED;
    pthread_mutex_unlock(&pnp->lock);
    return fx_dispatch_complete(irp, STATUS_SUCCESS, state);
}

/* --- Relations ------------------------------------------------------------------- */
/* A pool DEVICE_RELATIONS with old's entries and the extra ones (each
 * referenced, as the PnP manager dereferences them); old is freed. */
static PDEVICE_RELATIONS relations_append(PDEVICE_RELATIONS old, PDEVICE_OBJECT *extra, ULONG count)
{
    ULONG have = old ? old->Count : 0;
    PDEVICE_RELATIONS r = ExAllocatePool2(POOL_FLAG_PAGED,
                                          FIELD_OFFSET(DEVICE_RELATIONS, Objects) + (have + count + 1) * sizeof(PVOID),
                                          FX_RELATIONS_TAG);
    if (!r)
        return NULL;
    if (have)
        memcpy(r->Objects, old->Objects, have * sizeof(PVOID));
    for (ULONG i = 0; i < count; i++) {
        ObfReferenceObject(extra[i]);
        r->Objects[have + i] = extra[i];
    }
    r->Count = have + count;
    if (old)
        ExFreePool(old);
    return r;
}

static NTSTATUS query_relations(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    DEVICE_RELATION_TYPE type = IoGetCurrentIrpStackLocation(irp)->Parameters.QueryDeviceRelations.Type;
    PDEVICE_RELATIONS relations = (PDEVICE_RELATIONS)irp->IoStatus.Information;

    if (pnp->cb.EvtDeviceRelationsQuery)
        pnp->cb.EvtDeviceRelationsQuery(fx_device_handle(device), type);
    if (type == BusRelations && device->query_bus_relations) {
        NTSTATUS status = device->query_bus_relations(device, &relations);
        if (!NT_SUCCESS(status))
            return fx_dispatch_complete(irp, status, 0);
        irp->IoStatus.Status = STATUS_SUCCESS;
    } else if (type == RemovalRelations && pnp->removal_relation_count) {
        pthread_mutex_lock(&pnp->lock);
        PDEVICE_RELATIONS r = relations_append(relations, pnp->removal_relations, pnp->removal_relation_count);
        pthread_mutex_unlock(&pnp->lock);
        if (!r)
            return fx_dispatch_complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        relations = r;
        irp->IoStatus.Status = STATUS_SUCCESS;
    } else if (type == TargetDeviceRelation && device->kind == FX_DEVICE_PDO) {
        if (!(relations = relations_append(NULL, &device->wdm_device, 1)))
            return fx_dispatch_complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        irp->IoStatus.Status = STATUS_SUCCESS;
    }
    irp->IoStatus.Information = (ULONG_PTR)relations;
    return pass(device, irp);
}

/* --- Usage notifications ----------------------------------------------------------- */
static NTSTATUS usage_notification(struct fx_device *device, PIRP irp)
{
    struct fx_pnp *pnp = fx_pnp_of(device);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    /* DEVICE_USAGE_NOTIFICATION_TYPE and WDF_SPECIAL_FILE_TYPE number alike. */
    WDF_SPECIAL_FILE_TYPE type = (WDF_SPECIAL_FILE_TYPE)sp->Parameters.UsageNotification.Type;
    BOOLEAN in_path = sp->Parameters.UsageNotification.InPath;

    if (pnp->cb.EvtDeviceUsageNotificationEx) {
        NTSTATUS status = pnp->cb.EvtDeviceUsageNotificationEx(fx_device_handle(device), type, in_path);
        if (!NT_SUCCESS(status))
            return fx_dispatch_complete(irp, status, 0);
    } else if (pnp->cb.EvtDeviceUsageNotification) {
        pnp->cb.EvtDeviceUsageNotification(fx_device_handle(device), type, in_path);
    }
    if (!fx_device_has_lower(device))
        irp->IoStatus.Status = STATUS_SUCCESS;
    return pass(device, irp);
}

/* --- PDO answers ------------------------------------------------------------------------ */
static NTSTATUS bus_information(struct fx_device *device, PIRP irp)
{
    struct fx_device *parent = fx_pnp_of(device)->bus_parent;
    struct fx_pnp *ppnp = parent ? fx_pnp_of(parent) : NULL;

    if (!ppnp || !ppnp->has_bus_info)
        return fx_dispatch_complete(irp, irp->IoStatus.Status, irp->IoStatus.Information);
    PPNP_BUS_INFORMATION info = ExAllocatePool2(POOL_FLAG_PAGED, sizeof(*info), FX_RELATIONS_TAG);
    if (!info)
        return fx_dispatch_complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    *info = ppnp->bus_info;
    return fx_dispatch_complete(irp, STATUS_SUCCESS, (ULONG_PTR)info);
}

static NTSTATUS pdo_query(struct fx_device *device, PIRP irp)
{
    const struct fx_pdo_ops *ops = device->pdo_ops;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG_PTR information = irp->IoStatus.Information;
    NTSTATUS status = irp->IoStatus.Status;

    switch (sp->MinorFunction) {
    case IRP_MN_QUERY_ID:
        if (ops && ops->query_id)
            status = ops->query_id(device, sp->Parameters.QueryId.IdType, &information);
        break;
    case IRP_MN_QUERY_DEVICE_TEXT:
        if (ops && ops->query_text)
            status = ops->query_text(device, sp->Parameters.QueryDeviceText.DeviceTextType,
                                     sp->Parameters.QueryDeviceText.LocaleId, &information);
        break;
    case IRP_MN_QUERY_RESOURCES:
        if (ops && ops->query_resources)
            status = ops->query_resources(device, &information);
        break;
    case IRP_MN_QUERY_RESOURCE_REQUIREMENTS:
        if (ops && ops->query_resource_requirements)
            status = ops->query_resource_requirements(device, &information);
        break;
    case IRP_MN_QUERY_INTERFACE:
        if (ops && ops->query_interface)
            return ops->query_interface(device, irp);
        break;
    case IRP_MN_EJECT:
        if (ops && ops->eject)
            status = ops->eject(device);
        break;
    case IRP_MN_QUERY_BUS_INFORMATION:
        return bus_information(device, irp);
    default:
        break;
    }
    return fx_dispatch_complete(irp, status, information);
}

NTSTATUS fx_pnp_dispatch_query(struct fx_device *device, PIRP irp)
{
    switch (IoGetCurrentIrpStackLocation(irp)->MinorFunction) {
    case IRP_MN_QUERY_CAPABILITIES: return query_capabilities(device, irp);
    case IRP_MN_QUERY_PNP_DEVICE_STATE: return query_pnp_device_state(device, irp);
    case IRP_MN_QUERY_DEVICE_RELATIONS: return query_relations(device, irp);
    case IRP_MN_DEVICE_USAGE_NOTIFICATION: return usage_notification(device, irp);
    default: break;
    }
    /* WdfDeviceAddQueryInterface's interfaces (the bus family); a PDO's
     * come through its pdo_ops like its other answers. */
    if (IoGetCurrentIrpStackLocation(irp)->MinorFunction == IRP_MN_QUERY_INTERFACE && fx_device_has_lower(device))
        return fx_query_interface_dispatch(device, irp);
    if (device->kind == FX_DEVICE_PDO)
        return pdo_query(device, irp);
    return pass(device, irp);
}
