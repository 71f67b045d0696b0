/*
 * The WdfChildList* methods that make a child list and change what it
 * says: creation (and the FDO's default list), adding, updating and
 * losing children, and scans. What the PnP manager is told follows from
 * src/fx/childlist.c; iteration is in childlist_iter.c.
 *
 * A description's size must be the list's (the header's size field says
 * it): STATUS_INVALID_DEVICE_REQUEST otherwise, as KMDF documents.
 */
#include "fx/bus_private.h"

/* Checks a driver's descriptions against the list. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER (no identification description),
 * STATUS_INVALID_DEVICE_REQUEST (a size is not the list's). */
static NTSTATUS check_descriptions(struct fx_child_list *list, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                                   PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER address, const char *ddi)
{
    if (!id) {
        fx_violation(ddi, "IdentificationDescription is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    if (id->IdentificationDescriptionSize != list->config.IdentificationDescriptionSize) {
        fx_violation(ddi, "the identification description is %lu bytes, the list's are %lu",
                     (unsigned long)id->IdentificationDescriptionSize,
                     (unsigned long)list->config.IdentificationDescriptionSize);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (address && (!list->config.AddressDescriptionSize ||
                    address->AddressDescriptionSize != list->config.AddressDescriptionSize)) {
        fx_violation(ddi, "the address description does not have the list's size");
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    return STATUS_SUCCESS;
}

static struct fx_child_list *dynamic_list(WDFCHILDLIST handle, const char *ddi)
{
    struct fx_child_list *list = fx_child_list_lookup(handle, ddi);
    return list && !list->is_static ? list : NULL;
}

static bool config_ok(PWDF_CHILD_LIST_CONFIG config)
{
    return config && config->Size == sizeof(*config) && config->EvtChildListCreateDevice &&
           config->IdentificationDescriptionSize >= sizeof(WDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER) &&
           (!config->AddressDescriptionSize ||
            config->AddressDescriptionSize >= sizeof(WDF_CHILD_ADDRESS_DESCRIPTION_HEADER));
}

/* WdfChildListCreate: one more child list for Device, a bus FDO (its
 * default list comes from WdfFdoInitSetDefaultChildListConfig). Deleted
 * with the device. PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER
 * (bad device or config, or attributes naming a parent),
 * STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS child_list_create(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PWDF_CHILD_LIST_CONFIG Config,
                                  PWDF_OBJECT_ATTRIBUTES ChildListAttributes, WDFCHILDLIST *ChildList)
{
    (void)g;
    const char *ddi = "WdfChildListCreate";
    struct fx_device *fdo = fx_device_lookup(Device, ddi);
    struct fx_child_list *list;

    if (ChildList)
        *ChildList = NULL;
    if (!fdo || !ChildList || !fx_check_irql(PASSIVE_LEVEL, ddi))
        return STATUS_INVALID_PARAMETER;
    if (!fx_device_has_lower(fdo) || !config_ok(Config) || (ChildListAttributes && ChildListAttributes->ParentObject)) {
        fx_violation(ddi, "needs a function device, a WDF_CHILD_LIST_CONFIG with EvtChildListCreateDevice and "
                          "description sizes, and attributes without a parent");
        return STATUS_INVALID_PARAMETER;
    }
    NTSTATUS status = fx_child_list_new(fdo, Config, ChildListAttributes, &list);
    if (NT_SUCCESS(status))
        *ChildList = (WDFCHILDLIST)list->object.handle;
    return status;
}
FX_EXPORT(WdfChildListCreate, PFN_WDFCHILDLISTCREATE, child_list_create);

/* WdfChildListGetDevice: the parent device of the list. Any IRQL. */
static WDFDEVICE child_list_get_device(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList)
{
    (void)g;
    struct fx_child_list *list = fx_child_list_lookup(ChildList, "WdfChildListGetDevice");
    return list ? fx_device_handle(list->fdo) : NULL;
}
FX_EXPORT(WdfChildListGetDevice, PFN_WDFCHILDLISTGETDEVICE, child_list_get_device);

/* WdfFdoGetDefaultChildList: the list WdfFdoInitSetDefaultChildListConfig
 * configured, or NULL when it was not. <= DISPATCH_LEVEL. */
static WDFCHILDLIST fdo_get_default_child_list(PWDF_DRIVER_GLOBALS g, WDFDEVICE Fdo)
{
    (void)g;
    struct fx_device *fdo = fx_device_lookup(Fdo, "WdfFdoGetDefaultChildList");
    struct fx_bus *bus = fdo ? fx_bus_of(fdo, false) : NULL;
    if (!bus)
        return NULL;
    pthread_mutex_lock(&bus->lock);
    struct fx_child_list *list = bus->default_list;
    pthread_mutex_unlock(&bus->lock);
    return list ? (WDFCHILDLIST)list->object.handle : NULL;
}
FX_EXPORT(WdfFdoGetDefaultChildList, PFN_WDFFDOGETDEFAULTCHILDLIST, fdo_get_default_child_list);

/* The child matching id marked present, or a new one linked in (made
 * outside the mutex: the Duplicate callbacks are the driver's). Returns
 * as the DDI. */
static NTSTATUS add_or_update(struct fx_child_list *list, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                              PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER address)
{
    struct fx_child *fresh = NULL;
    NTSTATUS status = STATUS_SUCCESS;
    bool done = false;

    while (!done) {
        pthread_mutex_lock(&list->lock);
        struct fx_child *child = fx_child_find(list, id, NULL);
        if (child) {
            if (address && child->address)
                fx_child_copy_address_in(list, child, address);
            fx_child_set_present(child, true);
            status = STATUS_OBJECT_NAME_EXISTS;
            done = true;
        } else if (fresh) {
            InsertTailList(&list->children, &fresh->link);
            fx_child_set_present(fresh, true);
            fx_child_list_changed(list);
            fresh = NULL;
            done = true;
        }
        pthread_mutex_unlock(&list->lock);
        if (!done && !(fresh = fx_child_new(list, id, address, &status)))
            return status;
    }
    if (fresh) /* another thread added the same child meanwhile */
        fx_child_free(fresh);
    fx_child_list_flush(list);
    return status;
}

/* WdfChildListAddOrUpdateChildDescriptionAsPresent: a child is on the bus.
 * A new one gets the framework's copy of its descriptions and, at the next
 * enumeration, its PDO (EvtChildListCreateDevice); one the list has (by
 * EvtChildListIdentificationDescriptionCompare, else the bytes) is marked
 * present again and gets the new address description. <= DISPATCH_LEVEL.
 * STATUS_SUCCESS, STATUS_OBJECT_NAME_EXISTS (the child was there),
 * STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST (a size is
 * wrong), STATUS_INSUFFICIENT_RESOURCES, or a Duplicate callback's failure. */
static NTSTATUS child_list_add_or_update(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList,
                                         PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription,
                                         PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER AddressDescription)
{
    (void)g;
    const char *ddi = "WdfChildListAddOrUpdateChildDescriptionAsPresent";
    struct fx_child_list *list = dynamic_list(ChildList, ddi);
    NTSTATUS status = STATUS_INVALID_PARAMETER;

    if (!list || !NT_SUCCESS(status = check_descriptions(list, IdentificationDescription, AddressDescription, ddi)))
        return status;
    return add_or_update(list, IdentificationDescription, AddressDescription);
}
FX_EXPORT(WdfChildListAddOrUpdateChildDescriptionAsPresent, PFN_WDFCHILDLISTADDORUPDATECHILDDESCRIPTIONASPRESENT,
          child_list_add_or_update);

/* WdfChildListUpdateChildDescriptionAsMissing: a child left the bus; its
 * PDO is reported missing (and deleted once the PnP manager has removed
 * it). <= DISPATCH_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER,
 * STATUS_INVALID_DEVICE_REQUEST (wrong size), STATUS_NO_SUCH_DEVICE (no
 * such child in the list). */
static NTSTATUS child_list_update_as_missing(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList,
                                             PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER IdentificationDescription)
{
    (void)g;
    const char *ddi = "WdfChildListUpdateChildDescriptionAsMissing";
    struct fx_child_list *list = dynamic_list(ChildList, ddi);
    NTSTATUS status = STATUS_INVALID_PARAMETER;

    if (!list || !NT_SUCCESS(status = check_descriptions(list, IdentificationDescription, NULL, ddi)))
        return status;
    pthread_mutex_lock(&list->lock);
    struct fx_child *child = fx_child_find(list, IdentificationDescription, NULL);
    if (child)
        fx_child_mark_missing(child);
    pthread_mutex_unlock(&list->lock);
    fx_child_list_flush(list);
    return child ? STATUS_SUCCESS : STATUS_NO_SUCH_DEVICE;
}
FX_EXPORT(WdfChildListUpdateChildDescriptionAsMissing, PFN_WDFCHILDLISTUPDATECHILDDESCRIPTIONASMISSING,
          child_list_update_as_missing);

/* WdfChildListUpdateAllChildDescriptionsAsPresent: every child the list
 * has is on the bus (after WdfChildListBeginScan marked them missing,
 * say). <= DISPATCH_LEVEL. */
static void child_list_update_all_as_present(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList)
{
    (void)g;
    struct fx_child_list *list = dynamic_list(ChildList, "WdfChildListUpdateAllChildDescriptionsAsPresent");
    if (!list)
        return;
    pthread_mutex_lock(&list->lock);
    for (PLIST_ENTRY e = list->children.Flink; e != &list->children; e = e->Flink) {
        struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
        if (!child->dead && !child->gone)
            fx_child_set_present(child, true);
    }
    pthread_mutex_unlock(&list->lock);
    fx_child_list_flush(list);
}
FX_EXPORT(WdfChildListUpdateAllChildDescriptionsAsPresent, PFN_WDFCHILDLISTUPDATEALLCHILDDESCRIPTIONSASPRESENT,
          child_list_update_all_as_present);

/* WdfChildListBeginScan: every child is marked missing; those the driver
 * reports again before WdfChildListEndScan stay. Nests with iterations.
 * <= DISPATCH_LEVEL. */
static void child_list_begin_scan(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList)
{
    (void)g;
    struct fx_child_list *list = dynamic_list(ChildList, "WdfChildListBeginScan");
    if (!list)
        return;
    pthread_mutex_lock(&list->lock);
    list->scans++;
    for (PLIST_ENTRY e = list->children.Flink; e != &list->children; e = e->Flink)
        CONTAINING_RECORD(e, struct fx_child, link)->next_present = false;
    pthread_mutex_unlock(&list->lock);
}
FX_EXPORT(WdfChildListBeginScan, PFN_WDFCHILDLISTBEGINSCAN, child_list_begin_scan);

/* WdfChildListEndScan: when no scan or iteration is left open, what the
 * driver reported reaches the PnP manager: children not reported again go
 * missing, new ones are enumerated. <= DISPATCH_LEVEL. */
static void child_list_end_scan(PWDF_DRIVER_GLOBALS g, WDFCHILDLIST ChildList)
{
    (void)g;
    struct fx_child_list *list = dynamic_list(ChildList, "WdfChildListEndScan");
    if (!list)
        return;
    pthread_mutex_lock(&list->lock);
    bool open = list->scans > 0;
    if (open)
        list->scans--;
    pthread_mutex_unlock(&list->lock);
    if (!open)
        fx_violation("WdfChildListEndScan", "no scan is open (WdfChildListBeginScan)");
    fx_child_list_flush(list);
}
FX_EXPORT(WdfChildListEndScan, PFN_WDFCHILDLISTENDSCAN, child_list_end_scan);
