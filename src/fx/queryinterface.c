/*
 * Driver-defined interfaces: WdfDeviceAddQueryInterface registers an
 * INTERFACE (copied) under a GUID on a device, the framework answers
 * IRP_MN_QUERY_INTERFACE for it on FDOs, filters and PDOs, and
 * WdfFdoQueryForInterface asks a driver's own stack for one.
 *
 * Answering, as WDF_QUERY_INTERFACE_CONFIG documents:
 *   not ours                 FDO/filter: passed down; PDO: completed as it came
 *   SendQueryToParentStack   (PDO) sent to the top of the parent's stack;
 *                            its answer is ours
 *   export (ImportInterface FALSE)  the requester's Size and Version may
 *                            not exceed ours (else STATUS_INVALID_PARAMETER);
 *                            our interface is copied into its structure,
 *                            then EvtDeviceProcessQueryInterfaceRequest may
 *                            change it
 *   import (TRUE)            only the callback fills the requester's structure
 *   callback STATUS_NOT_SUPPORTED: treated as not ours; another failure fails
 *   the IRP; success continues down the stack (an FDO's) or completes it (a
 *   PDO's), and the exposed interface is referenced for the requester
 *   (InterfaceReference), as WDM requires of the driver that hands one out.
 */
#include "fx/bus_private.h"

#include <stdlib.h>

struct fx_query_interface {
    LIST_ENTRY link;
    GUID type;
    PINTERFACE exported;                     /* our copy, or NULL */
    bool import, to_parent;
    PFN_WDF_DEVICE_PROCESS_QUERY_INTERFACE_REQUEST process;
};

void fx_query_interfaces_free(struct fx_bus *bus)
{
    while (!IsListEmpty(&bus->interfaces)) {
        struct fx_query_interface *qi =
            CONTAINING_RECORD(RemoveHeadList(&bus->interfaces), struct fx_query_interface, link);
        free(qi->exported);
        free(qi);
    }
}

/* WdfDeviceAddQueryInterface: registers an interface other drivers get
 * with IRP_MN_QUERY_INTERFACE (WdfFdoQueryForInterface). The INTERFACE is
 * copied (Interface->Size bytes), so it may live on the stack.
 * PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER (bad device or
 * config: no GUID; an export without Interface; an import without
 * EvtDeviceProcessQueryInterfaceRequest; SendQueryToParentStack on a
 * device that is not a PDO), STATUS_INFO_LENGTH_MISMATCH (config size),
 * STATUS_INVALID_DEVICE_REQUEST (IRQL, or a control device),
 * STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS device_add_query_interface(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                           PWDF_QUERY_INTERFACE_CONFIG InterfaceConfig)
{
    (void)g;
    const char *ddi = "WdfDeviceAddQueryInterface";
    struct fx_device *device = fx_device_lookup(Device, ddi);
    PWDF_QUERY_INTERFACE_CONFIG c = InterfaceConfig;

    if (!device || !c)
        return STATUS_INVALID_PARAMETER;
    if (!fx_check_irql(PASSIVE_LEVEL, ddi) || device->kind == FX_DEVICE_CONTROL) {
        fx_violation(ddi, "not for a control device, and only at PASSIVE_LEVEL");
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (c->Size != sizeof(*c))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (!c->InterfaceType || (c->SendQueryToParentStack && device->kind != FX_DEVICE_PDO) ||
        (!c->SendQueryToParentStack && !c->ImportInterface && !c->Interface) ||
        (c->ImportInterface && !c->EvtDeviceProcessQueryInterfaceRequest) ||
        (c->Interface && c->Interface->Size < sizeof(INTERFACE))) {
        fx_violation(ddi, "bad WDF_QUERY_INTERFACE_CONFIG (GUID, Interface, import callback or parent stack)");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_bus *bus = fx_bus_of(device, true);
    struct fx_query_interface *qi = bus ? calloc(1, sizeof(*qi)) : NULL;
    if (!qi || (c->Interface && !(qi->exported = malloc(c->Interface->Size)))) {
        free(qi);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    qi->type = *c->InterfaceType;
    if (c->Interface)
        memcpy(qi->exported, c->Interface, c->Interface->Size);
    qi->import = c->ImportInterface;
    qi->to_parent = c->SendQueryToParentStack;
    qi->process = c->EvtDeviceProcessQueryInterfaceRequest;
    pthread_mutex_lock(&bus->lock);
    InsertTailList(&bus->interfaces, &qi->link);
    pthread_mutex_unlock(&bus->lock);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfDeviceAddQueryInterface, PFN_WDFDEVICEADDQUERYINTERFACE, device_add_query_interface);

/* Sends IRP_MN_QUERY_INTERFACE to the top of target's stack and waits. */
static NTSTATUS query_stack(PDEVICE_OBJECT target, const GUID *type, PINTERFACE iface, USHORT size, USHORT version,
                            PVOID specific)
{
    IO_STATUS_BLOCK iosb = { .Status = STATUS_NOT_SUPPORTED };
    KEVENT event;
    PDEVICE_OBJECT top = IoGetAttachedDeviceReference(target);

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildSynchronousFsdRequest(IRP_MJ_PNP, top, NULL, 0, NULL, &event, &iosb);
    if (!irp) {
        ObfDereferenceObject(top);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    irp->IoStatus.Status = STATUS_NOT_SUPPORTED;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MinorFunction = IRP_MN_QUERY_INTERFACE;
    sp->Parameters.QueryInterface.InterfaceType = type;
    sp->Parameters.QueryInterface.Size = size;
    sp->Parameters.QueryInterface.Version = version;
    sp->Parameters.QueryInterface.Interface = iface;
    sp->Parameters.QueryInterface.InterfaceSpecificData = specific;
    NTSTATUS status = IoCallDriver(top, irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = iosb.Status;
    }
    ObfDereferenceObject(top);
    return status;
}

/* Not ours: down the stack from an FDO, as it came from a PDO. */
static NTSTATUS not_ours(struct fx_device *device, PIRP irp)
{
    if (fx_device_has_lower(device))
        return fx_dispatch_forward(device, irp);
    return fx_dispatch_complete(irp, irp->IoStatus.Status, irp->IoStatus.Information);
}

static NTSTATUS answered(struct fx_device *device, PIRP irp)
{
    irp->IoStatus.Status = STATUS_SUCCESS;
    return not_ours(device, irp);
}

/* Runs the registered interface for the IRP's requester. The lookup
 * copied what it needs, so no lock is held around the driver's callback. */
static NTSTATUS serve(struct fx_device *device, PIRP irp, struct fx_query_interface *qi)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    PINTERFACE want = sp->Parameters.QueryInterface.Interface;
    USHORT size = sp->Parameters.QueryInterface.Size, version = sp->Parameters.QueryInterface.Version;
    NTSTATUS status = STATUS_SUCCESS;

    if (!want || size < sizeof(INTERFACE))
        return fx_dispatch_complete(irp, STATUS_INVALID_PARAMETER, 0);
    if (qi->exported && (size > qi->exported->Size || version > qi->exported->Version))
        return fx_dispatch_complete(irp, STATUS_INVALID_PARAMETER, 0);
    if (!qi->import) {
        memcpy(want, qi->exported, size);
        want->Size = size;
        want->Version = version;
    }
    if (qi->process)
        status = qi->process(fx_device_handle(device), (LPGUID)sp->Parameters.QueryInterface.InterfaceType, want,
                             sp->Parameters.QueryInterface.InterfaceSpecificData);
    if (status == STATUS_NOT_SUPPORTED)
        return not_ours(device, irp);
    if (!NT_SUCCESS(status))
        return fx_dispatch_complete(irp, status, 0);
    if (want->InterfaceReference)
        want->InterfaceReference(want->Context);
    return answered(device, irp);
}

NTSTATUS fx_query_interface_dispatch(struct fx_device *device, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    const GUID *type = sp->Parameters.QueryInterface.InterfaceType;
    struct fx_bus *bus = fx_bus_of(device, false);
    struct fx_query_interface found = { .exported = NULL };
    bool have = false;

    if (!bus || !type)
        return not_ours(device, irp);
    pthread_mutex_lock(&bus->lock);
    for (PLIST_ENTRY e = bus->interfaces.Flink; e != &bus->interfaces && !have; e = e->Flink) {
        struct fx_query_interface *qi = CONTAINING_RECORD(e, struct fx_query_interface, link);
        if (IsEqualGUID(&qi->type, type)) {
            found = *qi;
            have = true;
        }
    }
    pthread_mutex_unlock(&bus->lock);
    if (!have)
        return not_ours(device, irp);
    if (found.to_parent && fx_pnp_of(device)->bus_parent) {
        NTSTATUS status = query_stack(fx_pnp_of(device)->bus_parent->wdm_device, type,
                                      sp->Parameters.QueryInterface.Interface, sp->Parameters.QueryInterface.Size,
                                      sp->Parameters.QueryInterface.Version,
                                      sp->Parameters.QueryInterface.InterfaceSpecificData);
        return fx_dispatch_complete(irp, status, 0);
    }
    return serve(device, irp, &found);
}

/* WdfFdoQueryForInterface: asks the device's own stack, from its top, for
 * a driver-defined interface (IRP_MN_QUERY_INTERFACE); Interface receives
 * it, referenced for the caller, who dereferences it when done.
 * PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES, STATUS_NOT_SUPPORTED (no driver in the
 * stack has it), or the answering driver's failure. */
static NTSTATUS fdo_query_for_interface(PWDF_DRIVER_GLOBALS g, WDFDEVICE Fdo, LPCGUID InterfaceType,
                                        PINTERFACE Interface, USHORT Size, USHORT Version,
                                        PVOID InterfaceSpecificData)
{
    (void)g;
    const char *ddi = "WdfFdoQueryForInterface";
    struct fx_device *fdo = fx_device_lookup(Fdo, ddi);

    if (!fdo || !InterfaceType || !Interface || !fx_check_irql(PASSIVE_LEVEL, ddi))
        return STATUS_INVALID_PARAMETER;
    if (fdo->kind == FX_DEVICE_CONTROL) {
        fx_violation(ddi, "a control device has no stack to ask");
        return STATUS_INVALID_PARAMETER;
    }
    return query_stack(fdo->wdm_device, InterfaceType, Interface, Size, Version, InterfaceSpecificData);
}
FX_EXPORT(WdfFdoQueryForInterface, PFN_WDFFDOQUERYFORINTERFACE, fdo_query_for_interface);
