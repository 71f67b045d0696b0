/*
 * WDFCHILDLIST: dynamic enumeration. A child list holds the framework's
 * copies of the driver's child descriptions (identification, and address
 * when the list has them); the PnP manager learns of changes through
 * IoInvalidateDeviceRelations, and each BusRelations query creates the
 * PDOs of new children (EvtChildListCreateDevice, at PASSIVE_LEVEL in the
 * PnP manager's thread), reports the present ones, and lets the missing
 * ones go: a child the PnP manager still holds is deleted by the
 * IRP_MN_REMOVE_DEVICE that follows, one it never built a stack on is
 * deleted at once. The static child list of WdfFdoAddStaticChild is the
 * same object without descriptions (fdo_children.c).
 *
 * While a scan or an iteration is open (WdfChildListBeginScan,
 * WdfChildListBeginIteration, WdfFdoLockStaticChildListForIteration) what
 * the driver says is recorded (next_present) and reaches the PnP manager
 * when the last one ends, as KMDF documents.
 */
#include "fx/bus_private.h"

#include <stdlib.h>

#define CREATE_RETRIES 3

struct fx_child_list *fx_child_list_lookup(WDFCHILDLIST handle, const char *ddi)
{
    return FX_LOOKUP(fx_child_list, FX_TYPE_CHILDLIST, handle, ddi);
}

static WDFCHILDLIST list_handle(struct fx_child_list *list)
{
    return (WDFCHILDLIST)list->object.handle;
}

static bool list_locked(const struct fx_child_list *list)
{
    return list->scans > 0 || list->iterations > 0;
}

/* --- Descriptions ---------------------------------------------------------------- */
bool fx_child_matches(struct fx_child_list *list, struct fx_child *child,
                      PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                      PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE compare)
{
    if (!child->id || !id)
        return false;
    if (!compare)
        compare = list->config.EvtChildListIdentificationDescriptionCompare;
    if (compare)
        return compare(list_handle(list), id, child->id) != FALSE;
    return memcmp(id, child->id, list->config.IdentificationDescriptionSize) == 0;
}

struct fx_child *fx_child_find(struct fx_child_list *list, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                               PFN_WDF_CHILD_LIST_IDENTIFICATION_DESCRIPTION_COMPARE compare)
{
    for (PLIST_ENTRY e = list->children.Flink; e != &list->children; e = e->Flink) {
        struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
        if (!child->dead && !child->gone && fx_child_matches(list, child, id, compare))
            return child;
    }
    return NULL;
}

void fx_child_copy_id_out(struct fx_child_list *list, struct fx_child *child,
                          PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER to)
{
    if (list->config.EvtChildListIdentificationDescriptionCopy)
        list->config.EvtChildListIdentificationDescriptionCopy(list_handle(list), child->id, to);
    else
        memcpy(to, child->id, list->config.IdentificationDescriptionSize);
}

void fx_child_copy_address_out(struct fx_child_list *list, struct fx_child *child,
                               PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER to)
{
    if (list->config.EvtChildListAddressDescriptionCopy)
        list->config.EvtChildListAddressDescriptionCopy(list_handle(list), child->address, to);
    else
        memcpy(to, child->address, list->config.AddressDescriptionSize);
}

void fx_child_copy_address_in(struct fx_child_list *list, struct fx_child *child,
                            PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER from)
{
    if (list->config.EvtChildListAddressDescriptionCopy)
        list->config.EvtChildListAddressDescriptionCopy(list_handle(list), from, child->address);
    else
        memcpy(child->address, from, list->config.AddressDescriptionSize);
}

/* The framework's own copy of a description: the Duplicate callback, else
 * the Copy callback, else the bytes. */
static NTSTATUS duplicate_id(struct fx_child_list *list, struct fx_child *child,
                             PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER from)
{
    const WDF_CHILD_LIST_CONFIG *c = &list->config;
    if (!(child->id = calloc(1, c->IdentificationDescriptionSize)))
        return STATUS_INSUFFICIENT_RESOURCES;
    child->id->IdentificationDescriptionSize = c->IdentificationDescriptionSize;
    NTSTATUS status = STATUS_SUCCESS;
    if (c->EvtChildListIdentificationDescriptionDuplicate)
        status = c->EvtChildListIdentificationDescriptionDuplicate(list_handle(list), from, child->id);
    else if (c->EvtChildListIdentificationDescriptionCopy)
        c->EvtChildListIdentificationDescriptionCopy(list_handle(list), from, child->id);
    else
        memcpy(child->id, from, c->IdentificationDescriptionSize);
    child->id_made = NT_SUCCESS(status);
    return status;
}

static NTSTATUS duplicate_address(struct fx_child_list *list, struct fx_child *child,
                                  PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER from)
{
    const WDF_CHILD_LIST_CONFIG *c = &list->config;
    if (!c->AddressDescriptionSize)
        return STATUS_SUCCESS;
    if (!(child->address = calloc(1, c->AddressDescriptionSize)))
        return STATUS_INSUFFICIENT_RESOURCES;
    child->address->AddressDescriptionSize = c->AddressDescriptionSize;
    if (!from)
        return STATUS_SUCCESS;
    NTSTATUS status = STATUS_SUCCESS;
    if (c->EvtChildListAddressDescriptionDuplicate)
        status = c->EvtChildListAddressDescriptionDuplicate(list_handle(list), from, child->address);
    else
        fx_child_copy_address_in(list, child, from);
    child->address_made = NT_SUCCESS(status);
    return status;
}

/* The cleanup callbacks see only descriptions a duplicate (or copy) made. */
void fx_child_free(struct fx_child *child)
{
    struct fx_child_list *list = child->list;
    if (child->id && list->config.EvtChildListIdentificationDescriptionCleanup && child->id_made)
        list->config.EvtChildListIdentificationDescriptionCleanup(list_handle(list), child->id);
    if (child->address && list->config.EvtChildListAddressDescriptionCleanup && child->address_made)
        list->config.EvtChildListAddressDescriptionCleanup(list_handle(list), child->address);
    free(child->id);
    free(child->address);
    fx_object_unref(&list->object);
    free(child);
}

struct fx_child *fx_child_new(struct fx_child_list *list, PWDF_CHILD_IDENTIFICATION_DESCRIPTION_HEADER id,
                              PWDF_CHILD_ADDRESS_DESCRIPTION_HEADER address, NTSTATUS *status)
{
    struct fx_child *child = calloc(1, sizeof(*child));
    if (!child) {
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return NULL;
    }
    child->list = list;
    InitializeListHead(&child->link);
    fx_object_ref(&list->object);
    *status = STATUS_SUCCESS;
    if (id && (!NT_SUCCESS(*status = duplicate_id(list, child, id)) ||
               !NT_SUCCESS(*status = duplicate_address(list, child, address)))) {
        fx_child_free(child);
        return NULL;
    }
    return child;
}

/* --- Presence ------------------------------------------------------------------ */
void fx_child_list_changed(struct fx_child_list *list)
{
    list->changed = true;
}

void fx_child_set_present(struct fx_child *child, bool present)
{
    struct fx_child_list *list = child->list;
    child->next_present = present;
    if (!list_locked(list) && child->present != present) {
        child->present = present;
        fx_child_list_changed(list);
    }
}

/* Out of the list, or, while an iteration may be standing on it, marked
 * dead until the iteration ends. True when the caller may free it now. */
static bool detach(struct fx_child_list *list, struct fx_child *child)
{
    if (child->pdo) {
        struct fx_pdo *pdo = child->pdo->pdo_state;
        if (pdo)
            pdo->child = NULL;
    }
    if (list->iterations) {
        child->dead = true;
        return false;
    }
    RemoveEntryList(&child->link);
    InitializeListHead(&child->link);
    return true;
}

/* Dead entries nobody iterates over any more (list mutex held). */
static void sweep(struct fx_child_list *list, LIST_ENTRY *freed)
{
    for (PLIST_ENTRY e = list->children.Flink; e != &list->children;) {
        struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
        e = e->Flink;
        if (child->dead) {
            RemoveEntryList(&child->link);
            InsertTailList(freed, &child->link);
        }
    }
}

static void free_all(LIST_ENTRY *freed)
{
    while (!IsListEmpty(freed))
        fx_child_free(CONTAINING_RECORD(RemoveHeadList(freed), struct fx_child, link));
}

void fx_child_list_flush(struct fx_child_list *list)
{
    LIST_ENTRY freed;
    bool tell = false;

    InitializeListHead(&freed);
    pthread_mutex_lock(&list->lock);
    if (!list_locked(list)) {
        for (PLIST_ENTRY e = list->children.Flink; e != &list->children; e = e->Flink) {
            struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
            if (child->present != child->next_present && !child->dead) {
                child->present = child->next_present;
                list->changed = true;
            }
        }
        sweep(list, &freed);
        tell = list->changed && !list->disposed;
        list->changed = false;
    }
    pthread_mutex_unlock(&list->lock);
    free_all(&freed);
    if (tell && list->fdo->pdo)
        IoInvalidateDeviceRelations(list->fdo->pdo, BusRelations);
}

/* --- The object ---------------------------------------------------------------- */
/* The FDO is going: every PDO the list still has goes with it (the PnP
 * manager removed their stacks before the parent's), then the entries. */
static void child_list_dispose(struct fx_object *object)
{
    struct fx_child_list *list = (struct fx_child_list *)object;

    fx_bus_remove_list(list->fdo, list);
    for (;;) {
        struct fx_device *pdo = NULL;
        struct fx_child *child = NULL;
        pthread_mutex_lock(&list->lock);
        list->disposed = true;
        list->iterations = list->scans = 0;
        if (!IsListEmpty(&list->children)) {
            child = CONTAINING_RECORD(list->children.Flink, struct fx_child, link);
            detach(list, child);
            pdo = child->pdo;
            child->pdo = NULL;
        }
        pthread_mutex_unlock(&list->lock);
        if (!child)
            break;
        if (pdo && fx_pdo_in_stack(pdo))
            fx_violation("WDFCHILDLIST", "a child PDO is still in a device stack as its parent goes");
        else if (pdo)
            fx_device_destroy(pdo);
        if (pdo)
            fx_object_unref(&pdo->object);
        fx_child_free(child);
    }
}

static void child_list_destroy(struct fx_object *object)
{
    pthread_mutex_destroy(&((struct fx_child_list *)object)->lock);
}

const struct fx_type_ops fx_ops_childlist = {
    .name = "WDFCHILDLIST",
    .driver_may_delete = false,
    .cleanup_at_passive = true,
    .dispose = child_list_dispose,
    .destroy = child_list_destroy,
};

NTSTATUS fx_child_list_new(struct fx_device *fdo, PWDF_CHILD_LIST_CONFIG config, PWDF_OBJECT_ATTRIBUTES attributes,
                           struct fx_child_list **out)
{
    NTSTATUS status;

    if (!fx_bus_of(fdo, true))
        return STATUS_INSUFFICIENT_RESOURCES;
    struct fx_child_list *list = fx_object_new(fdo->object.globals, FX_TYPE_CHILDLIST, sizeof(*list), attributes,
                                               &fdo->object, &status);
    if (!list)
        return status;
    list->fdo = fdo;
    list->is_static = config == NULL;
    if (config)
        list->config = *config;
    pthread_mutex_init(&list->lock, NULL);
    InitializeListHead(&list->children);
    InitializeListHead(&list->bus_link);
    fx_bus_add_list(fdo, list);
    *out = list;
    return STATUS_SUCCESS;
}

/* --- Creating PDOs ---------------------------------------------------------------- */
/* The next child whose PDO is to be made, marked as being made; NULL when none. */
static struct fx_child *next_to_create(struct fx_child_list *list)
{
    struct fx_child *found = NULL;
    pthread_mutex_lock(&list->lock);
    for (PLIST_ENTRY e = list->children.Flink; e != &list->children && !found; e = e->Flink) {
        struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
        if (child->present && !child->pdo && !child->creating && !child->dead && !child->gone &&
            child->retries < CREATE_RETRIES && !child->retry_wait)
            found = child;
    }
    if (found)
        found->creating = true;
    pthread_mutex_unlock(&list->lock);
    return found;
}

/* After EvtChildListCreateDevice: keep the PDO, or take the failure (the
 * child is left out; STATUS_RETRY tries again at a later enumeration). */
static void creation_done(struct fx_child_list *list, struct fx_child *child, NTSTATUS status)
{
    struct fx_device *failed = NULL;
    bool free_child = false;

    pthread_mutex_lock(&list->lock);
    child->creating = false;
    if (NT_SUCCESS(status) && child->pdo) {
        child->instantiated = true;
    } else {
        failed = child->pdo;
        child->pdo = NULL;
        if (failed && failed->pdo_state)
            ((struct fx_pdo *)failed->pdo_state)->child = NULL;
        if (status == STATUS_RETRY && ++child->retries < CREATE_RETRIES) {
            child->retry_wait = true;
            fx_child_list_changed(list);
        } else {
            child->present = child->next_present = false;
            free_child = detach(list, child);
        }
    }
    pthread_mutex_unlock(&list->lock);
    if (failed) {
        fx_device_destroy(failed);
        fx_object_unref(&failed->object);
    }
    if (free_child)
        fx_child_free(child);
}

static void create_one(struct fx_child_list *list, struct fx_child *child)
{
    struct fx_pdo *pdo = NULL;
    NTSTATUS status = STATUS_INSUFFICIENT_RESOURCES;
    PWDFDEVICE_INIT init = fx_pdo_init_new(list->object.globals, list->fdo, &pdo);

    if (init) {
        pdo->creator_holds = true;
        pdo->child = child;
        status = list->config.EvtChildListCreateDevice(list_handle(list), child->id, init);
        if (NT_SUCCESS(status) && !child->pdo) {
            fx_violation("EvtChildListCreateDevice", "returned success without creating a PDO (WdfDeviceCreate)");
            status = STATUS_UNSUCCESSFUL;
        }
    }
    /* An init WdfDeviceCreate did not consume is the framework's to free. */
    if (pdo && pdo->init)
        fx_device_init_free(pdo->init);
    if (pdo && !pdo->device)
        fx_pdo_free(pdo);
    creation_done(list, child, status);
}

static void create_pending(struct fx_child_list *list)
{
    struct fx_child *child;
    if (list->is_static)
        return;
    while ((child = next_to_create(list)) != NULL)
        create_one(list, child);
}

/* --- BusRelations ----------------------------------------------------------------- */
static NTSTATUS relations_grow(PDEVICE_RELATIONS *relations, ULONG more)
{
    PDEVICE_RELATIONS old = *relations;
    ULONG have = old ? old->Count : 0;
    PDEVICE_RELATIONS r = ExAllocatePool2(POOL_FLAG_PAGED,
                                          FIELD_OFFSET(DEVICE_RELATIONS, Objects) + (have + more + 1) * sizeof(PVOID),
                                          FX_BUS_TAG);
    if (!r)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (have)
        memcpy(r->Objects, old->Objects, have * sizeof(PVOID));
    r->Count = have;
    if (old)
        ExFreePool(old);
    *relations = r;
    return STATUS_SUCCESS;
}

struct going {
    struct fx_device *missing[64];           /* newly reported missing: EvtDeviceReportedMissing */
    ULONG nmissing;
    LIST_ENTRY freed;                        /* entries to free */
    struct fx_device *doomed[64];            /* PDOs the PnP manager does not hold: deleted now */
    ULONG ndoomed;
};

/* A child that is not present any more (list mutex held). */
static void let_go(struct fx_child_list *list, struct fx_child *child, struct going *g)
{
    struct fx_device *pdo = child->pdo;

    if (child->reported) {
        child->reported = false;
        child->gone = true;
        if (pdo && g->nmissing < KMH_ARRAY_SIZE(g->missing)) {
            fx_object_ref(&pdo->object);
            g->missing[g->nmissing++] = pdo;
        }
    }
    /* One the PnP manager holds is deleted by its IRP_MN_REMOVE_DEVICE. */
    if (pdo && (fx_pdo_in_stack(pdo) || g->ndoomed == KMH_ARRAY_SIZE(g->doomed)))
        return;
    if (pdo)
        g->doomed[g->ndoomed++] = pdo; /* the entry's reference goes with it */
    bool now = detach(list, child);
    child->pdo = NULL;
    if (now)
        InsertTailList(&g->freed, &child->link);
}

static void report_locked(struct fx_child_list *list, PDEVICE_RELATIONS relations, struct going *g)
{
    for (PLIST_ENTRY e = list->children.Flink; e != &list->children;) {
        struct fx_child *child = CONTAINING_RECORD(e, struct fx_child, link);
        e = e->Flink;
        child->retry_wait = false;
        if (child->dead || child->creating)
            continue;
        /* Re-reported while the list is locked: still there for the PnP manager. */
        if (child->pdo && (child->present || (child->next_present && child->reported))) {
            ObfReferenceObject(child->pdo->wdm_device);
            relations->Objects[relations->Count++] = child->pdo->wdm_device;
            child->reported = child->instantiated = true;
        } else if (!child->present && !child->next_present) {
            let_go(list, child, g);
        }
    }
}

static void report_finish(struct going *g)
{
    for (ULONG i = 0; i < g->nmissing; i++) {
        struct fx_pdo *pdo = g->missing[i]->pdo_state;
        if (pdo && pdo->cb.EvtDeviceReportedMissing)
            pdo->cb.EvtDeviceReportedMissing(fx_device_handle(g->missing[i]));
        fx_object_unref(&g->missing[i]->object);
    }
    for (ULONG i = 0; i < g->ndoomed; i++) {
        fx_device_destroy(g->doomed[i]);
        fx_object_unref(&g->doomed[i]->object);
    }
    free_all(&g->freed);
}

NTSTATUS fx_child_list_report(struct fx_child_list *list, PDEVICE_RELATIONS *relations)
{
    struct going g = { .nmissing = 0 };
    ULONG count = 0;

    InitializeListHead(&g.freed);
    create_pending(list);
    pthread_mutex_lock(&list->lock);
    for (PLIST_ENTRY e = list->children.Flink; e != &list->children; e = e->Flink)
        count++;
    NTSTATUS status = relations_grow(relations, count);
    if (NT_SUCCESS(status))
        report_locked(list, *relations, &g);
    bool retry = list->changed;
    pthread_mutex_unlock(&list->lock);
    report_finish(&g);
    /* A child whose creation asked for STATUS_RETRY: enumerate once more. */
    if (retry)
        fx_child_list_flush(list);
    return status;
}

void fx_child_list_pdo_deleted(struct fx_pdo *pdo)
{
    struct fx_child *child = pdo->child;
    struct fx_device *device = NULL;
    bool free_child = false;

    if (!child)
        return;
    struct fx_child_list *list = child->list;
    pthread_mutex_lock(&list->lock);
    if ((child = pdo->child) != NULL) {
        device = child->pdo;
        child->pdo = NULL;
        pdo->child = NULL;
        /* A static entry is its PDO; a dynamic one that is still present
         * gets a new PDO at the next enumeration. */
        if (list->is_static || (!child->present && !child->next_present))
            free_child = detach(list, child);
    }
    pthread_mutex_unlock(&list->lock);
    if (device)
        fx_object_unref(&device->object);
    if (free_child)
        fx_child_free(child);
}

/* --- Scanning at D0 and the default list --------------------------------------------- */
NTSTATUS fx_child_list_create_default(struct fx_device *fdo)
{
    struct fx_pnp *pnp = fx_pnp_of(fdo);
    struct fx_child_list *list;

    if (!pnp->has_child_list_config)
        return STATUS_SUCCESS;
    PWDF_OBJECT_ATTRIBUTES attributes = pnp->child_list_attributes.Size ? &pnp->child_list_attributes : NULL;
    NTSTATUS status = fx_child_list_new(fdo, &pnp->child_list_config, attributes, &list);
    if (NT_SUCCESS(status))
        fx_bus_of(fdo, false)->default_list = list;
    return status;
}
