/*
 * A bus FDO's children: the per-device bus state (its child lists and the
 * query interfaces of WdfDeviceAddQueryInterface, kept in a
 * framework-internal context of the WDFDEVICE), static enumeration
 * (WdfFdoAddStaticChild and the locked iteration over the static list),
 * and the BusRelations answer the device family's PnP dispatch asks for
 * through struct fx_device.query_bus_relations: the static children first,
 * then each child list in the order it was made.
 */
#include "fx/bus_private.h"

#include <stdlib.h>

/* --- Bus state ------------------------------------------------------------------ */
static const WDF_OBJECT_CONTEXT_TYPE_INFO bus_context_type = {
    .Size = sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO),
    .ContextName = "kmhost bus state",
    .ContextSize = sizeof(struct fx_bus),
    .UniqueType = &bus_context_type,
};

/* Serialise making a device's bus state, and its static list. */
static pthread_mutex_t bus_create_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t static_create_lock = PTHREAD_MUTEX_INITIALIZER;

static void bus_context_destroy(WDFOBJECT handle)
{
    struct fx_object *object = fx_handle_object(handle, FX_TYPE_DEVICE, "WDFDEVICE");
    struct fx_bus *bus = object ? fx_object_context(object, &bus_context_type) : NULL;
    if (!bus)
        return;
    fx_query_interfaces_free(bus);
    pthread_mutex_destroy(&bus->lock);
}

struct fx_bus *fx_bus_of(struct fx_device *device, bool create)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    struct fx_bus *bus;

    pthread_mutex_lock(&bus_create_lock);
    bus = fx_object_context(&device->object, &bus_context_type);
    if (!bus && create) {
        fx_bus_context_attributes(&attributes, &bus_context_type, NULL, bus_context_destroy);
        if (NT_SUCCESS(fx_object_add_context(&device->object, &attributes, (void **)&bus))) {
            pthread_mutex_init(&bus->lock, NULL);
            InitializeListHead(&bus->lists);
            InitializeListHead(&bus->interfaces);
        } else {
            bus = NULL;
        }
    }
    pthread_mutex_unlock(&bus_create_lock);
    return bus;
}

void fx_bus_add_list(struct fx_device *fdo, struct fx_child_list *list)
{
    struct fx_bus *bus = fx_bus_of(fdo, false);

    pthread_mutex_lock(&bus->lock);
    if (list->is_static) {
        InsertHeadList(&bus->lists, &list->bus_link);
        bus->static_list = list;
    } else
        InsertTailList(&bus->lists, &list->bus_link);
    pthread_mutex_unlock(&bus->lock);
    fdo->query_bus_relations = fx_bus_relations;
}

void fx_bus_remove_list(struct fx_device *fdo, struct fx_child_list *list)
{
    struct fx_bus *bus = fx_bus_of(fdo, false);
    if (!bus)
        return;
    pthread_mutex_lock(&bus->lock);
    RemoveEntryList(&list->bus_link);
    InitializeListHead(&list->bus_link);
    if (bus->static_list == list)
        bus->static_list = NULL;
    if (bus->default_list == list)
        bus->default_list = NULL;
    pthread_mutex_unlock(&bus->lock);
}

/* The FDO's child lists, each referenced; the caller unrefs and frees. */
static struct fx_child_list **lists_of(struct fx_device *fdo, ULONG *count)
{
    struct fx_bus *bus = fx_bus_of(fdo, false);
    struct fx_child_list **lists = NULL;
    ULONG n = 0;

    *count = 0;
    if (!bus)
        return NULL;
    pthread_mutex_lock(&bus->lock);
    for (PLIST_ENTRY e = bus->lists.Flink; e != &bus->lists; e = e->Flink)
        n++;
    if (n && (lists = calloc(n, sizeof(*lists))) != NULL) {
        for (PLIST_ENTRY e = bus->lists.Flink; e != &bus->lists; e = e->Flink) {
            struct fx_child_list *list = CONTAINING_RECORD(e, struct fx_child_list, bus_link);
            fx_object_ref(&list->object);
            lists[(*count)++] = list;
        }
    }
    pthread_mutex_unlock(&bus->lock);
    return lists;
}

NTSTATUS fx_bus_relations(struct fx_device *fdo, PDEVICE_RELATIONS *relations)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG count;
    struct fx_child_list **lists = lists_of(fdo, &count);

    for (ULONG i = 0; i < count; i++) {
        if (NT_SUCCESS(status))
            status = fx_child_list_report(lists[i], relations);
        fx_object_unref(&lists[i]->object);
    }
    free(lists);
    return status;
}

/* The D0 entry of a bus FDO: each list's EvtChildListScanForChildren. */
void fx_child_lists_scan(struct fx_device *fdo)
{
    ULONG count;
    struct fx_child_list **lists = lists_of(fdo, &count);

    for (ULONG i = 0; i < count; i++) {
        PFN_WDF_CHILD_LIST_SCAN_FOR_CHILDREN scan = lists[i]->config.EvtChildListScanForChildren;
        if (scan && !lists[i]->is_static)
            scan((WDFCHILDLIST)lists[i]->object.handle);
        fx_object_unref(&lists[i]->object);
    }
    free(lists);
}

struct fx_child_list *fx_static_list_of(struct fx_device *fdo, bool create)
{
    struct fx_bus *bus = fx_bus_of(fdo, create);
    struct fx_child_list *list;

    if (!bus)
        return NULL;
    pthread_mutex_lock(&static_create_lock);
    pthread_mutex_lock(&bus->lock);
    list = bus->static_list;
    pthread_mutex_unlock(&bus->lock);
    if (!list && create && !NT_SUCCESS(fx_child_list_new(fdo, NULL, NULL, &list)))
        list = NULL;
    pthread_mutex_unlock(&static_create_lock);
    return list;
}

/* --- Static children --------------------------------------------------------------- */
static struct fx_device *bus_fdo(WDFDEVICE handle, const char *ddi)
{
    struct fx_device *fdo = fx_device_lookup(handle, ddi);
    if (fdo && !fx_device_has_lower(fdo)) {
        fx_violation(ddi, "the WDFDEVICE is not a function or filter device");
        return NULL;
    }
    return fdo;
}

/* WdfFdoAddStaticChild: Child (a PDO from WdfPdoInitAllocate on Fdo)
 * joins Fdo's static children; the PnP manager is asked to enumerate
 * (now, or when an iteration of the static list unlocks). The driver must
 * not delete Child afterwards. <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER (Fdo is not an FDO, Child not a PDO of it, or
 * already a child), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS fdo_add_static_child(PWDF_DRIVER_GLOBALS g, WDFDEVICE Fdo, WDFDEVICE Child)
{
    (void)g;
    struct fx_device *fdo = bus_fdo(Fdo, "WdfFdoAddStaticChild"), *device = NULL;
    struct fx_pdo *pdo = fx_pdo_lookup(Child, "WdfFdoAddStaticChild", &device);
    NTSTATUS status;

    if (!fdo || !pdo)
        return STATUS_INVALID_PARAMETER;
    if (pdo->parent != fdo || pdo->child) {
        fx_violation("WdfFdoAddStaticChild", "the PDO %s",
                     pdo->child ? "is already a child" : "was made for another parent");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_child_list *list = fx_static_list_of(fdo, true);
    struct fx_child *child = list ? fx_child_new(list, NULL, NULL, &status) : NULL;
    if (!child)
        return STATUS_INSUFFICIENT_RESOURCES;
    pthread_mutex_lock(&list->lock);
    fx_object_ref(&device->object);
    child->pdo = device;
    pdo->child = child;
    device->object.ops = &fx_ops_device; /* the framework's from now on */
    InsertTailList(&list->children, &child->link);
    fx_child_set_present(child, true);
    pthread_mutex_unlock(&list->lock);
    fx_child_list_flush(list);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfFdoAddStaticChild, PFN_WDFFDOADDSTATICCHILD, fdo_add_static_child);

/* WdfFdoLockStaticChildListForIteration: changes to the static children
 * wait for the matching unlock. Nests. <= DISPATCH_LEVEL. */
static void fdo_lock_static_child_list(PWDF_DRIVER_GLOBALS g, WDFDEVICE Fdo)
{
    (void)g;
    struct fx_device *fdo = bus_fdo(Fdo, "WdfFdoLockStaticChildListForIteration");
    struct fx_child_list *list = fdo ? fx_static_list_of(fdo, true) : NULL;
    if (!list)
        return;
    pthread_mutex_lock(&list->lock);
    list->iterations++;
    pthread_mutex_unlock(&list->lock);
}
FX_EXPORT(WdfFdoLockStaticChildListForIteration, PFN_WDFFDOLOCKSTATICCHILDLISTFORITERATION,
          fdo_lock_static_child_list);

/* WdfFdoUnlockStaticChildListFromIteration: the last unlock hands the
 * changes made meanwhile to the PnP manager. <= DISPATCH_LEVEL. */
static void fdo_unlock_static_child_list(PWDF_DRIVER_GLOBALS g, WDFDEVICE Fdo)
{
    (void)g;
    struct fx_device *fdo = bus_fdo(Fdo, "WdfFdoUnlockStaticChildListFromIteration");
    struct fx_child_list *list = fdo ? fx_static_list_of(fdo, false) : NULL;
    if (!list)
        return;
    pthread_mutex_lock(&list->lock);
    bool was_locked = list->iterations > 0;
    if (was_locked)
        list->iterations--;
    pthread_mutex_unlock(&list->lock);
    if (!was_locked)
        fx_violation("WdfFdoUnlockStaticChildListFromIteration", "the static child list is not locked");
    fx_child_list_flush(list);
}
FX_EXPORT(WdfFdoUnlockStaticChildListFromIteration, PFN_WDFFDOUNLOCKSTATICCHILDLISTFROMITERATION,
          fdo_unlock_static_child_list);

/* WdfFdoRetrieveNextStaticChild: the static child after PreviousChild (the
 * first for NULL) whose state is among Flags (WDF_RETRIEVE_CHILD_FLAGS),
 * between the lock and the unlock. <= DISPATCH_LEVEL. NULL at the end, or
 * for bad arguments (reported). */
static WDFDEVICE fdo_retrieve_next_static_child(PWDF_DRIVER_GLOBALS g, WDFDEVICE Fdo, WDFDEVICE PreviousChild,
                                                ULONG Flags)
{
    (void)g;
    const char *ddi = "WdfFdoRetrieveNextStaticChild";
    struct fx_device *fdo = bus_fdo(Fdo, ddi);
    struct fx_child_list *list = fdo ? fx_static_list_of(fdo, false) : NULL;
    WDFDEVICE found = NULL;

    if (!fdo || !list)
        return NULL;
    if (!(Flags & WdfRetrieveAllChildren)) {
        fx_violation(ddi, "Flags must name WDF_RETRIEVE_CHILD_FLAGS");
        return NULL;
    }
    pthread_mutex_lock(&list->lock);
    if (!list->iterations)
        fx_violation(ddi, "the static child list is not locked (WdfFdoLockStaticChildListForIteration)");
    PLIST_ENTRY e = list->children.Flink;
    if (PreviousChild) {
        while (e != &list->children && (!CONTAINING_RECORD(e, struct fx_child, link)->pdo ||
                                        fx_device_handle(CONTAINING_RECORD(e, struct fx_child, link)->pdo) !=
                                            PreviousChild))
            e = e->Flink;
        if (e != &list->children)
            e = e->Flink;
    }
    for (; e != &list->children && !found; e = e->Flink) {
        struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
        if (child->pdo && (fx_child_kind(child) & Flags))
            found = fx_device_handle(child->pdo);
    }
    pthread_mutex_unlock(&list->lock);
    return found;
}
FX_EXPORT(WdfFdoRetrieveNextStaticChild, PFN_WDFFDORETRIEVENEXTSTATICCHILD, fdo_retrieve_next_static_child);
