/*
 * Looking into a dynamic child list: iterations (WdfChildListBeginIteration,
 * RetrieveNextDevice, EndIteration), lookups by identification description
 * (RetrievePdo, RetrieveAddressDescription) and ejection requests.
 *
 * An iteration keeps its place in WDF_CHILD_LIST_ITERATOR.Reserved (the
 * list, and the last entry returned); while any iteration is open no entry
 * is freed (a child that goes is only marked dead), so the place stays
 * valid, and changes wait for the last EndIteration.
 */
#include "fx/bus_private.h"

enum { IT_LIST, IT_LAST };

ULONG fx_child_kind(const struct fx_child *child)
{
    if (child->dead)
        return 0;
    if (!child->next_present || child->gone)
        return WdfRetrieveMissingChildren;
    bool has_device = child->list->is_static ? child->instantiated : child->pdo != NULL;
    return has_device ? WdfRetrievePresentChildren : WdfRetrievePendingChildren;
}

static struct fx_child_list *dynamic_list(WDFCHILDLIST handle, const char *ddi)
{
    struct fx_child_list *list = fx_child_list_lookup(handle, ddi);
    return list && !list->is_static ? list : NULL;
}

/* WdfChildListBeginIteration: starts a walk over the children whose state
 * is among Iterator->Flags; changes wait for the matching
 * WdfChildListEndIteration. <= DISPATCH_LEVEL. */
static void child_list_begin_iteration(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator)
{
    (void)g;
    const char *ddi = "WdfChildListBeginIteration";
    struct fx_child_list *list = dynamic_list(ChildList, ddi);
    if (!list)
        return;
    if (!Iterator || Iterator->Size != sizeof(*Iterator) || !(Iterator->Flags & WdfRetrieveAllChildren)) {
        fx_violation(ddi, "bad WDF_CHILD_LIST_ITERATOR (use WDF_CHILD_LIST_ITERATOR_INIT with retrieve flags)");
        return;
    }
    pthread_mutex_lock(&list->lock);
    list->iterations++;
    pthread_mutex_unlock(&list->lock);
    Iterator->Reserved[IT_LIST] = list;
    Iterator->Reserved[IT_LAST] = NULL;
}
FX_EXPORT(WdfChildListBeginIteration, PFN_WDFCHILDLISTBEGINITERATION, child_list_begin_iteration);

/* WdfChildListEndIteration: ends a walk; the last one applies the changes
 * made meanwhile. <= DISPATCH_LEVEL. */
static void child_list_end_iteration(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList, PWDF_CHILD_LIST_ITERATOR Iterator)
{
    (void)g;
    const char *ddi = "WdfChildListEndIteration";
    struct fx_child_list *list = dynamic_list(ChildList, ddi);
    if (!list)
        return;
    if (!Iterator || Iterator->Reserved[IT_LIST] != list) {
        fx_violation(ddi, "the iterator was not begun on this list (WdfChildListBeginIteration)");
        return;
    }
    Iterator->Reserved[IT_LIST] = Iterator->Reserved[IT_LAST] = NULL;
    pthread_mutex_lock(&list->lock);
    if (list->iterations > 0)
        list->iterations--;
    pthread_mutex_unlock(&list->lock);
    fx_child_list_flush(list);
}
FX_EXPORT(WdfChildListEndIteration, PFN_WDFCHILDLISTENDITERATION, child_list_end_iteration);

static NTSTATUS check_info(struct fx_child_list *list, PWDF_CHILD_RETRIEVE_INFO info, bool id_required)
{
    if (!info)
        return id_required ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
    if (info->Size != sizeof(*info))
        return STATUS_INFO_LENGTH_MISMATCH;
    PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id = info->IdentificationDescription;
    if ((id_required || info->EvtChildListIdentificationDescriptionCompare) && !id)
        return STATUS_INVALID_PARAMETER;
    if (id && id->IdentificationDescriptionSize != list->config.IdentificationDescriptionSize)
        return STATUS_INVALID_PARAMETER;
    if (info->AddressDescription && (!list->config.AddressDescriptionSize ||
                                     info->AddressDescription->AddressDescriptionSize !=
                                         list->config.AddressDescriptionSize))
        return STATUS_INVALID_DEVICE_REQUEST;
    return STATUS_SUCCESS;
}

/* Fills a driver's WDF_CHILD_RETRIEVE_INFO from an entry (list mutex held). */
static void fill_info(struct fx_child_list *list, struct fx_child *child, PWDF_CHILD_RETRIEVE_INFO info)
{
    if (!info)
        return;
    if (info->IdentificationDescription)
        fx_child_copy_id_out(list, child, info->IdentificationDescription);
    if (info->AddressDescription && child->address)
        fx_child_copy_address_out(list, child, info->AddressDescription);
    info->Status = child->pdo ? WdfChildListRetrieveDeviceSuccess : WdfChildListRetrieveDeviceNotYetCreated;
}

/* The entry after the iterator's place whose state is among its flags and
 * that the info's compare callback accepts (list mutex held). */
static struct fx_child *next_match(struct fx_child_list *list, PWDF_CHILD_LIST_ITERATOR it,
                                   PWDF_CHILD_RETRIEVE_INFO info)
{
    struct fx_child *last = it->Reserved[IT_LAST];
    PLIST_ENTRY e = last ? last->link.Flink : list->children.Flink;

    for (; e != &list->children; e = e->Flink) {
        struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
        if (!(fx_child_kind(child) & it->Flags))
            continue;
        if (info && info->EvtChildListIdentificationDescriptionCompare &&
            !fx_child_matches(list, child, info->IdentificationDescription,
                              info->EvtChildListIdentificationDescriptionCompare))
            continue;
        return child;
    }
    return NULL;
}

/* WdfChildListRetrieveNextDevice: the next child of the iteration. *Device
 * is its PDO (NULL for a child pending creation); Info, when given,
 * receives its descriptions and status. <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_NO_MORE_ENTRIES (the end: Info->Status is
 * WdfChildListRetrieveDeviceNoSuchDevice), STATUS_INVALID_PARAMETER,
 * STATUS_INFO_LENGTH_MISMATCH (iterator or info size),
 * STATUS_INVALID_DEVICE_REQUEST (an address description asked of a list
 * without them), STATUS_INVALID_DEVICE_STATE (no WdfChildListBeginIteration). */
static NTSTATUS child_list_retrieve_next_device(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList,
                                                PWDF_CHILD_LIST_ITERATOR Iterator, WDFDEVICE *Device,
                                                PWDF_CHILD_RETRIEVE_INFO Info)
{
    (void)g;
    struct fx_child_list *list = dynamic_list(ChildList, "WdfChildListRetrieveNextDevice");
    NTSTATUS status;

    if (Device)
        *Device = NULL;
    if (!list || !Iterator || !Device)
        return STATUS_INVALID_PARAMETER;
    if (Iterator->Size != sizeof(*Iterator))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (Iterator->Reserved[IT_LIST] != list)
        return STATUS_INVALID_DEVICE_STATE;
    if (!NT_SUCCESS(status = check_info(list, Info, false)))
        return status;
    pthread_mutex_lock(&list->lock);
    struct fx_child *child = next_match(list, Iterator, Info);
    if (child) {
        Iterator->Reserved[IT_LAST] = child;
        fill_info(list, child, Info);
        if (child->pdo && fx_child_kind(child) != WdfRetrievePendingChildren)
            *Device = fx_device_handle(child->pdo);
    } else if (Info) {
        Info->Status = WdfChildListRetrieveDeviceNoSuchDevice;
    }
    pthread_mutex_unlock(&list->lock);
    return child ? STATUS_SUCCESS : STATUS_NO_MORE_ENTRIES;
}
FX_EXPORT(WdfChildListRetrieveNextDevice, PFN_WDFCHILDLISTRETRIEVENEXTDEVICE, child_list_retrieve_next_device);

/* WdfChildListRetrievePdo: the PDO of the child RetrieveInfo identifies,
 * once the PnP manager has been told of it; NULL otherwise, with
 * RetrieveInfo->Status saying why (NotYetCreated, NoSuchDevice). Its
 * address description is filled in when asked for. <= DISPATCH_LEVEL. */
static WDFDEVICE child_list_retrieve_pdo(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList,
                                         PWDF_CHILD_RETRIEVE_INFO RetrieveInfo)
{
    (void)g;
    const char *ddi = "WdfChildListRetrievePdo";
    struct fx_child_list *list = dynamic_list(ChildList, ddi);
    WDFDEVICE found = NULL;

    if (!list)
        return NULL;
    if (!NT_SUCCESS(check_info(list, RetrieveInfo, true))) {
        fx_violation(ddi, "bad WDF_CHILD_RETRIEVE_INFO (use WDF_CHILD_RETRIEVE_INFO_INIT with a description)");
        return NULL;
    }
    pthread_mutex_lock(&list->lock);
    struct fx_child *child = fx_child_find(list, RetrieveInfo->IdentificationDescription,
                                           RetrieveInfo->EvtChildListIdentificationDescriptionCompare);
    if (!child) {
        RetrieveInfo->Status = WdfChildListRetrieveDeviceNoSuchDevice;
    } else {
        if (RetrieveInfo->AddressDescription && child->address)
            fx_child_copy_address_out(list, child, RetrieveInfo->AddressDescription);
        bool reported = child->pdo && child->reported;
        RetrieveInfo->Status = reported ? WdfChildListRetrieveDeviceSuccess : WdfChildListRetrieveDeviceNotYetCreated;
        if (reported)
            found = fx_device_handle(child->pdo);
    }
    pthread_mutex_unlock(&list->lock);
    return found;
}
FX_EXPORT(WdfChildListRetrievePdo, PFN_WDFCHILDLISTRETRIEVEPDO, child_list_retrieve_pdo);

/* WdfChildListRetrieveAddressDescription: the current address description
 * of a child. <= DISPATCH_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER,
 * STATUS_INVALID_DEVICE_REQUEST (the list has no address descriptions, or
 * a size is wrong), STATUS_NO_SUCH_DEVICE. */
static NTSTATUS child_list_retrieve_address_description(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList,
                                                        PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Id,
                                                        PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER Address)
{
    (void)g;
    struct fx_child_list *list = dynamic_list(ChildList, "WdfChildListRetrieveAddressDescription");

    if (!list || !Id || !Address)
        return STATUS_INVALID_PARAMETER;
    if (!list->config.AddressDescriptionSize ||
        Id->IdentificationDescriptionSize != list->config.IdentificationDescriptionSize ||
        Address->AddressDescriptionSize != list->config.AddressDescriptionSize)
        return STATUS_INVALID_DEVICE_REQUEST;
    pthread_mutex_lock(&list->lock);
    struct fx_child *child = fx_child_find(list, Id, NULL);
    if (child && child->address)
        fx_child_copy_address_out(list, child, Address);
    pthread_mutex_unlock(&list->lock);
    return child ? STATUS_SUCCESS : STATUS_NO_SUCH_DEVICE;
}
FX_EXPORT(WdfChildListRetrieveAddressDescription, PFN_WDFCHILDLISTRETRIEVEADDRESSDESCRIPTION,
          child_list_retrieve_address_description);

/* WdfChildListRequestChildEject: as WdfPdoRequestEject, for the child an
 * identification description names. <= DISPATCH_LEVEL. TRUE when the
 * child has a PDO to eject, FALSE otherwise. */
static BOOLEAN child_list_request_child_eject(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList,
                                              PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER Id)
{
    (void)g;
    struct fx_child_list *list = dynamic_list(ChildList, "WdfChildListRequestChildEject");
    PDEVICE_OBJECT wdm = NULL;

    if (!list || !Id || Id->IdentificationDescriptionSize != list->config.IdentificationDescriptionSize)
        return FALSE;
    pthread_mutex_lock(&list->lock);
    struct fx_child *child = fx_child_find(list, Id, NULL);
    if (child && child->pdo && child->reported) {
        wdm = child->pdo->wdm_device;
        ObfReferenceObject(wdm);
    }
    pthread_mutex_unlock(&list->lock);
    if (!wdm)
        return FALSE;
    IoRequestDeviceEject(wdm);
    ObfDereferenceObject(wdm);
    return TRUE;
}
FX_EXPORT(WdfChildListRequestChildEject, PFN_WDFCHILDLISTREQUESTCHILDEJECT, child_list_request_child_eject);
