/*
 * Sending PnP IRPs the way the PnP manager does: to the top of the device's
 * stack, with IoStatus initialised to STATUS_NOT_SUPPORTED so a stack that
 * ignores the request reports it as unsupported, and waited for.
 */
#include "pnp/pnp_private.h"

#include <stdlib.h>

static PIRP pnp_irp_new(struct pnp_node *node, UCHAR minor, PIO_STACK_LOCATION *next)
{
    PIRP irp = io_build_pnp_irp(node->pdo, IRP_MJ_PNP, minor);
    if (irp)
        *next = IoGetNextIrpStackLocation(irp);
    return irp;
}

NTSTATUS pnp_send_simple(struct pnp_node *node, UCHAR minor, ULONG_PTR *information)
{
    PIO_STACK_LOCATION next;
    PIRP irp = pnp_irp_new(node, minor, &next);
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    return io_call_and_wait(node->pdo, irp, information);
}

/* Takes a pool string a driver returned and makes it the caller's. */
static WCHAR *adopt_pool_string(ULONG_PTR information, bool multi)
{
    WCHAR *pool = (WCHAR *)information;
    size_t chars;
    WCHAR *copy;

    if (!pool)
        return NULL;
    if (multi) {
        chars = pnp_multi_sz_chars(pool);
    } else {
        for (chars = 0; pool[chars]; chars++)
            ;
        chars += 2; /* keep it a valid one-entry multi-string too */
    }
    copy = calloc(chars + 1, sizeof(WCHAR));
    if (copy)
        memcpy(copy, pool, (multi ? chars : chars - 1) * sizeof(WCHAR));
    ExFreePool(pool);
    return copy;
}

NTSTATUS pnp_query_id(struct pnp_node *node, BUS_QUERY_ID_TYPE type, WCHAR **out)
{
    PIO_STACK_LOCATION next;
    ULONG_PTR information = 0;
    PIRP irp = pnp_irp_new(node, IRP_MN_QUERY_ID, &next);

    *out = NULL;
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    next->Parameters.QueryId.IdType = type;
    NTSTATUS status = io_call_and_wait(node->pdo, irp, &information);
    if (NT_SUCCESS(status))
        *out = adopt_pool_string(information, type == BusQueryHardwareIDs || type == BusQueryCompatibleIDs);
    return status;
}

NTSTATUS pnp_query_text(struct pnp_node *node, DEVICE_TEXT_TYPE type, WCHAR **out)
{
    PIO_STACK_LOCATION next;
    ULONG_PTR information = 0;
    PIRP irp = pnp_irp_new(node, IRP_MN_QUERY_DEVICE_TEXT, &next);

    *out = NULL;
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    next->Parameters.QueryDeviceText.DeviceTextType = type;
    next->Parameters.QueryDeviceText.LocaleId = 0x409;
    NTSTATUS status = io_call_and_wait(node->pdo, irp, &information);
    if (NT_SUCCESS(status))
        *out = adopt_pool_string(information, false);
    return status;
}

NTSTATUS pnp_query_capabilities(struct pnp_node *node)
{
    PIO_STACK_LOCATION next;
    DEVICE_CAPABILITIES caps;
    PIRP irp = pnp_irp_new(node, IRP_MN_QUERY_CAPABILITIES, &next);

    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(&caps, 0, sizeof(caps));
    caps.Size = sizeof(caps);
    caps.Version = 1;
    caps.Address = (ULONG)-1;
    caps.UINumber = (ULONG)-1;
    next->Parameters.DeviceCapabilities.Capabilities = &caps;
    NTSTATUS status = io_call_and_wait(node->pdo, irp, NULL);
    if (NT_SUCCESS(status))
        node->capabilities = caps;
    return status;
}

NTSTATUS pnp_query_relations(struct pnp_node *node, DEVICE_RELATION_TYPE type, PDEVICE_RELATIONS *out)
{
    PIO_STACK_LOCATION next;
    ULONG_PTR information = 0;
    PIRP irp = pnp_irp_new(node, IRP_MN_QUERY_DEVICE_RELATIONS, &next);

    *out = NULL;
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    next->Parameters.QueryDeviceRelations.Type = type;
    NTSTATUS status = io_call_and_wait(node->pdo, irp, &information);
    if (NT_SUCCESS(status))
        *out = (PDEVICE_RELATIONS)information;
    else if (information)
        ExFreePool((PVOID)information);
    return status;
}
