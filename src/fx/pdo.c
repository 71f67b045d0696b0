/*
 * A PDO's answers to the PnP manager (struct fx_pdo_ops, which the
 * device family's PnP dispatch calls for IRPs only the bus can answer):
 * IDs and device text from its init, capabilities, query-interface,
 * eject, and whether IRP_MN_REMOVE_DEVICE deletes it; and the WdfPdo*
 * methods a bus driver calls on a created PDO.
 *
 * Strings handed to the PnP manager come from paged pool, which it frees
 * (ExFreePool), as IRP_MN_QUERY_ID and IRP_MN_QUERY_DEVICE_TEXT require.
 * A query the PDO has nothing for completes with STATUS_NOT_SUPPORTED,
 * what the PnP manager initialised it with.
 */
#include "fx/bus_private.h"

#include <stdlib.h>

struct fx_pdo *fx_pdo_lookup(WDFDEVICE handle, const char *ddi, struct fx_device **out)
{
    struct fx_device *device = fx_device_lookup(handle, ddi);
    if (!device)
        return NULL;
    if (device->kind != FX_DEVICE_PDO || !device->pdo_state) {
        fx_violation(ddi, "the WDFDEVICE is not a PDO");
        return NULL;
    }
    if (out)
        *out = device;
    return device->pdo_state;
}

bool fx_pdo_in_stack(struct fx_device *device)
{
    return device->wdm_device->AttachedDevice != NULL || fx_pnp_of(device)->ever_started;
}

/* --- IDs and text --------------------------------------------------------------- */
static size_t wcs_chars(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static WCHAR *pool_string(const WCHAR *s)
{
    size_t bytes = (wcs_chars(s) + 1) * sizeof(WCHAR);
    WCHAR *copy = ExAllocatePool2(POOL_FLAG_PAGED, bytes, FX_BUS_TAG);
    if (copy)
        memcpy(copy, s, bytes);
    return copy;
}

/* A REG_MULTI_SZ layout: each ID and its NUL, then one more NUL. */
static WCHAR *pool_multi_string(WCHAR *const *ids)
{
    size_t chars = 1, at = 0;
    for (size_t i = 0; ids[i]; i++)
        chars += wcs_chars(ids[i]) + 1;
    WCHAR *multi = ExAllocatePool2(POOL_FLAG_PAGED, chars * sizeof(WCHAR), FX_BUS_TAG);
    if (!multi)
        return NULL;
    for (size_t i = 0; ids[i]; i++) {
        size_t n = wcs_chars(ids[i]) + 1;
        memcpy(multi + at, ids[i], n * sizeof(WCHAR));
        at += n;
    }
    multi[at] = 0;
    return multi;
}

static NTSTATUS answer(WCHAR *pool, ULONG_PTR *information)
{
    if (!pool)
        return STATUS_INSUFFICIENT_RESOURCES;
    *information = (ULONG_PTR)pool;
    return STATUS_SUCCESS;
}

static NTSTATUS pdo_query_id(struct fx_device *device, BUS_QUERY_ID_TYPE type, ULONG_PTR *information)
{
    struct fx_pdo *pdo = device->pdo_state;
    const WCHAR *one = NULL;
    WCHAR **many = NULL;

    switch (type) {
    case BusQueryDeviceID: one = pdo->device_id; break;
    case BusQueryInstanceID: one = pdo->instance_id; break;
    case BusQueryContainerID: one = pdo->container_id; break;
    case BusQueryHardwareIDs: many = pdo->hardware_ids; break;
    case BusQueryCompatibleIDs: many = pdo->compatible_ids; break;
    default: break;
    }
    if (one)
        return answer(pool_string(one), information);
    if (many)
        return answer(pool_multi_string(many), information);
    return STATUS_NOT_SUPPORTED;
}

/* The text for a locale: its own, else the default locale's, else any. */
static const struct fx_pdo_text *text_for(const struct fx_pdo *pdo, LCID locale)
{
    for (const struct fx_pdo_text *t = pdo->texts; t; t = t->next)
        if (t->locale == locale)
            return t;
    for (const struct fx_pdo_text *t = pdo->texts; pdo->has_default_locale && t; t = t->next)
        if (t->locale == pdo->default_locale)
            return t;
    return pdo->texts;
}

static NTSTATUS pdo_query_text(struct fx_device *device, DEVICE_TEXT_TYPE type, LCID locale, ULONG_PTR *information)
{
    const struct fx_pdo_text *t = text_for(device->pdo_state, locale);
    const WCHAR *text = !t ? NULL : type == DeviceTextDescription ? t->description
                                  : type == DeviceTextLocationInformation ? t->location : NULL;
    return text ? answer(pool_string(text), information) : STATUS_NOT_SUPPORTED;
}

/* --- Capabilities ------------------------------------------------------------- */
/* What a bus says of a child it knows nothing more about: working in S0,
 * off in every sleep state, raw when the driver said so.
 * WdfDeviceSetPnp/PowerCapabilities are laid over this by the caller. */
static void pdo_query_capabilities(struct fx_device *device, PDEVICE_CAPABILITIES caps)
{
    struct fx_pdo *pdo = device->pdo_state;

    caps->RawDeviceOK = pdo->raw;
    caps->DeviceState[PowerSystemWorking] = PowerDeviceD0;
    for (int s = PowerSystemSleeping1; s < PowerSystemMaximum; s++)
        if (caps->DeviceState[s] == PowerDeviceUnspecified)
            caps->DeviceState[s] = PowerDeviceD3;
}

/* --- Eject and removal ----------------------------------------------------------- */
/* IRP_MN_EJECT, after the orderly removal of the child's stack:
 * EvtDeviceEject, and on success the child is gone from the bus. */
static NTSTATUS pdo_eject(struct fx_device *device)
{
    struct fx_pdo *pdo = device->pdo_state;
    NTSTATUS status = pdo->cb.EvtDeviceEject ? pdo->cb.EvtDeviceEject(fx_device_handle(device)) : STATUS_SUCCESS;
    struct fx_child_list *list = NULL;

    if (!NT_SUCCESS(status))
        return status;
    struct fx_child *child = pdo->child;
    if (child && (list = child->list) != NULL) {
        pthread_mutex_lock(&list->lock);
        if (pdo->child)
            fx_child_mark_missing(pdo->child);
        pthread_mutex_unlock(&list->lock);
        fx_child_list_flush(list);
    }
    return status;
}

/* A REMOVE deletes the PDO when the child was left out of the last
 * BusRelations answer; otherwise it stays for the next start, as a WDM
 * bus driver keeps a PDO that is still on the bus. While the function
 * driver's device is still attached above (it detaches once this IRP is
 * back), the PDO is kept too and a new enumeration asked for, which
 * deletes it then. */
static bool pdo_remove_deletes(struct fx_device *device)
{
    struct fx_pdo *pdo = device->pdo_state;
    struct fx_child *child = pdo->child;
    if (!child)
        return true;
    struct fx_child_list *list = child->list;
    pthread_mutex_lock(&list->lock);
    bool gone = !pdo->child || !pdo->child->reported || list->disposed;
    pthread_mutex_unlock(&list->lock);
    if (gone && device->wdm_device->AttachedDevice && pdo->parent && pdo->parent->pdo) {
        IoInvalidateDeviceRelations(pdo->parent->pdo, BusRelations);
        return false;
    }
    return gone;
}

static NTSTATUS pdo_query_interface(struct fx_device *device, PIRP irp)
{
    return fx_query_interface_dispatch(device, irp);
}

const struct fx_pdo_ops fx_pdo_ops_table = {
    .query_id = pdo_query_id,
    .query_text = pdo_query_text,
    .query_capabilities = pdo_query_capabilities,
    .query_interface = pdo_query_interface,
    .eject = pdo_eject,
    .remove_deletes = pdo_remove_deletes,
};

/* --- The DDIs ------------------------------------------------------------------------ */
/* WdfPdoMarkMissing: the child is no longer on the bus; the PnP manager is
 * told (at once, or when a static list locked for iteration unlocks).
 * <= DISPATCH_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER (not a PDO),
 * STATUS_NO_SUCH_DEVICE (the PDO is in no child list, or already missing). */
static NTSTATUS pdo_mark_missing(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_pdo *pdo = fx_pdo_lookup(Device, "WdfPdoMarkMissing", NULL);
    NTSTATUS status = STATUS_NO_SUCH_DEVICE;

    if (!pdo)
        return STATUS_INVALID_PARAMETER;
    struct fx_child *child = pdo->child;
    struct fx_child_list *list = child ? child->list : NULL;
    if (!list)
        return STATUS_NO_SUCH_DEVICE;
    pthread_mutex_lock(&list->lock);
    if (pdo->child && pdo->child->next_present) {
        fx_child_mark_missing(pdo->child);
        status = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&list->lock);
    fx_child_list_flush(list);
    return status;
}
FX_EXPORT(WdfPdoMarkMissing, PFN_WDFPDOMARKMISSING, pdo_mark_missing);

/* WdfPdoRequestEject: the user asked to eject the child; the PnP manager
 * removes its stack (queries first) and sends IRP_MN_EJECT, which runs
 * EvtDeviceEject. Asynchronous. <= DISPATCH_LEVEL. */
static void pdo_request_eject(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_device *device = NULL;
    if (fx_pdo_lookup(Device, "WdfPdoRequestEject", &device))
        IoRequestDeviceEject(device->wdm_device);
}
FX_EXPORT(WdfPdoRequestEject, PFN_WDFPDOREQUESTEJECT, pdo_request_eject);

/* WdfPdoGetParent: the bus FDO that enumerated the PDO. Any IRQL. NULL for
 * a device that is not a PDO. */
static WDFDEVICE pdo_get_parent(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device)
{
    (void)g;
    struct fx_pdo *pdo = fx_pdo_lookup(Device, "WdfPdoGetParent", NULL);
    return pdo && pdo->parent ? fx_device_handle(pdo->parent) : NULL;
}
FX_EXPORT(WdfPdoGetParent, PFN_WDFPDOGETPARENT, pdo_get_parent);

/* The dynamic child behind a PDO, with its list locked; NULL (and
 * *status) for a device that is not a PDO or not from a dynamic list. */
static struct fx_child *locked_child(WDFDEVICE handle, const char *ddi, NTSTATUS *status)
{
    struct fx_pdo *pdo = fx_pdo_lookup(handle, ddi, NULL);
    struct fx_child *child = pdo ? pdo->child : NULL;
    struct fx_child_list *list = child ? child->list : NULL;

    *status = pdo ? STATUS_INVALID_DEVICE_REQUEST : STATUS_INVALID_PARAMETER;
    if (!list || list->is_static)
        return NULL;
    pthread_mutex_lock(&list->lock);
    if (!pdo->child) {
        pthread_mutex_unlock(&list->lock);
        return NULL;
    }
    return pdo->child;
}

/* WdfPdoRetrieveIdentificationDescription: a copy of the dynamic child's
 * identification description (with EvtChildListIdentificationDescriptionCopy
 * when the list has one). <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER (not a PDO, or the buffer's size is not the
 * list's), STATUS_INVALID_DEVICE_REQUEST (a static child). */
static NTSTATUS pdo_retrieve_identification_description(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                                        PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Id)
{
    (void)g;
    NTSTATUS status;
    struct fx_child *child = locked_child(Device, "WdfPdoRetrieveIdentificationDescription", &status);
    if (!child)
        return status;
    struct fx_child_list *list = child->list;
    if (!Id || Id->IdentificationDescriptionSize != list->config.IdentificationDescriptionSize) {
        status = STATUS_INVALID_PARAMETER;
    } else {
        fx_child_copy_id_out(list, child, Id);
        status = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&list->lock);
    return status;
}
FX_EXPORT(WdfPdoRetrieveIdentificationDescription, PFN_WDFPDORETRIEVEIDENTIFICATIONDESCRIPTION,
          pdo_retrieve_identification_description);

/* WdfPdoRetrieveAddressDescription: a copy of the child's address
 * description. <= DISPATCH_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER,
 * STATUS_INVALID_DEVICE_REQUEST (a static child, or a list without address descriptions). */
static NTSTATUS pdo_retrieve_address_description(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                                 PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER Address)
{
    (void)g;
    NTSTATUS status;
    struct fx_child *child = locked_child(Device, "WdfPdoRetrieveAddressDescription", &status);
    if (!child)
        return status;
    struct fx_child_list *list = child->list;
    if (!list->config.AddressDescriptionSize || !child->address)
        status = STATUS_INVALID_DEVICE_REQUEST;
    else if (!Address || Address->AddressDescriptionSize != list->config.AddressDescriptionSize)
        status = STATUS_INVALID_PARAMETER;
    else {
        fx_child_copy_address_out(list, child, Address);
        status = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&list->lock);
    return status;
}
FX_EXPORT(WdfPdoRetrieveAddressDescription, PFN_WDFPDORETRIEVEADDRESSDESCRIPTION, pdo_retrieve_address_description);

/* WdfPdoUpdateAddressDescription: replaces the child's address description
 * (EvtChildListAddressDescriptionCopy when the list has one).
 * <= DISPATCH_LEVEL. Statuses as WdfPdoRetrieveAddressDescription's. */
static NTSTATUS pdo_update_address_description(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device,
                                               PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER Address)
{
    (void)g;
    NTSTATUS status;
    struct fx_child *child = locked_child(Device, "WdfPdoUpdateAddressDescription", &status);
    if (!child)
        return status;
    struct fx_child_list *list = child->list;
    if (!list->config.AddressDescriptionSize || !child->address)
        status = STATUS_INVALID_DEVICE_REQUEST;
    else if (!Address || Address->AddressDescriptionSize != list->config.AddressDescriptionSize)
        status = STATUS_INVALID_PARAMETER;
    else {
        fx_child_copy_address_in(list, child, Address);
        status = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&list->lock);
    return status;
}
FX_EXPORT(WdfPdoUpdateAddressDescription, PFN_WDFPDOUPDATEADDRESSDESCRIPTION, pdo_update_address_description);
