/*
 * WDFCOLLECTION: an ordered list of framework objects. The collection
 * holds a reference on each object in it (not on its lifetime: deleting an
 * object that is in a collection still runs its cleanup, but its destroy
 * and memory wait until the collection lets go), and drops them all when it
 * is deleted. An object may be in a collection more than once.
 */
#include "fx/fx.h"
#include "fx/support.h"

#include <stdlib.h>

struct fx_collection {
    struct fx_object object;
    pthread_mutex_t lock;          /* guards items and count */
    struct fx_object **items;
    ULONG count, capacity;
};

static void collection_dispose(struct fx_object *object)
{
    struct fx_collection *collection = (struct fx_collection *)object;

    pthread_mutex_lock(&collection->lock);
    struct fx_object **items = collection->items;
    ULONG count = collection->count;
    collection->items = NULL;
    collection->count = collection->capacity = 0;
    pthread_mutex_unlock(&collection->lock);
    /* Outside the lock: an item's destroy may run here. */
    for (ULONG i = 0; i < count; i++)
        fx_object_unref(items[i]);
    free(items);
}

static void collection_destroy(struct fx_object *object)
{
    pthread_mutex_destroy(&((struct fx_collection *)object)->lock);
}

const struct fx_type_ops fx_ops_collection = {
    .name = "WDFCOLLECTION",
    .driver_may_delete = true,
    .dispose = collection_dispose,
    .destroy = collection_destroy,
};

static struct fx_collection *lookup(WDFCOLLECTION handle, const char *ddi)
{
    return FX_LOOKUP(fx_collection, FX_TYPE_COLLECTION, handle, ddi);
}

/* Creates an empty collection, parented to the driver unless the
 * attributes say otherwise. IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER, STATUS_WDF_*_INVALID (levels in the
 * attributes), STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS collection_create(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES CollectionAttributes,
                                  WDFCOLLECTION *Collection)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (!Collection) {
        fx_violation("WdfCollectionCreate", "Collection is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    *Collection = NULL;
    if (!NT_SUCCESS(status = fx_attributes_check_levels(CollectionAttributes, false, "WdfCollectionCreate")))
        return status;
    struct fx_collection *collection =
        fx_object_new(globals, FX_TYPE_COLLECTION, sizeof(*collection), CollectionAttributes,
                      globals->driver ? &globals->driver->object : NULL, &status);
    if (!collection)
        return status;
    pthread_mutex_init(&collection->lock, NULL);
    *Collection = (WDFCOLLECTION)collection->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfCollectionCreate, PFN_WDFCOLLECTIONCREATE, collection_create);

/* How many objects the collection holds. IRQL <= DISPATCH_LEVEL. */
ULONG fx_collection_get_count(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection)
{
    (void)g;
    struct fx_collection *collection = lookup(Collection, "WdfCollectionGetCount");
    if (!collection)
        return 0;
    pthread_mutex_lock(&collection->lock);
    ULONG count = collection->count;
    pthread_mutex_unlock(&collection->lock);
    return count;
}
FX_EXPORT(WdfCollectionGetCount, PFN_WDFCOLLECTIONGETCOUNT, fx_collection_get_count);

static bool grow(struct fx_collection *collection)
{
    if (collection->count < collection->capacity)
        return true;
    ULONG capacity = collection->capacity ? collection->capacity * 2 : 8;
    struct fx_object **items = realloc(collection->items, capacity * sizeof(*items));
    if (!items)
        return false;
    collection->items = items;
    collection->capacity = capacity;
    return true;
}

/* Appends Object, taking a reference on it. IRQL <= DISPATCH_LEVEL.
 * STATUS_SUCCESS, STATUS_INVALID_PARAMETER (bad handles),
 * STATUS_DELETE_PENDING (the collection is being deleted),
 * STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS fx_collection_add(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection, WDFOBJECT Object)
{
    (void)g;
    struct fx_collection *collection = lookup(Collection, "WdfCollectionAdd");
    struct fx_object *object = fx_handle_object(Object, FX_TYPE_COUNT, "WdfCollectionAdd");
    if (!collection || !object)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = STATUS_SUCCESS;
    pthread_mutex_lock(&collection->lock);
    if (!fx_object_is_live(&collection->object))
        status = STATUS_DELETE_PENDING;
    else if (!grow(collection))
        status = STATUS_INSUFFICIENT_RESOURCES;
    else {
        fx_object_ref(object);
        collection->items[collection->count++] = object;
    }
    pthread_mutex_unlock(&collection->lock);
    return status;
}
FX_EXPORT(WdfCollectionAdd, PFN_WDFCOLLECTIONADD, fx_collection_add);

/* Collection lock held. Takes out the item at index; the caller drops its
 * reference once the lock is released. */
static struct fx_object *take_at(struct fx_collection *collection, ULONG index)
{
    struct fx_object *object = collection->items[index];
    memmove(&collection->items[index], &collection->items[index + 1],
            (collection->count - index - 1) * sizeof(*collection->items));
    collection->count--;
    return object;
}

/* Removes the first occurrence of Item and drops the collection's
 * reference on it. IRQL <= DISPATCH_LEVEL. An item that is not in the
 * collection is reported (KMDF bug checks). */
static void collection_remove(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection, WDFOBJECT Item)
{
    (void)g;
    struct fx_collection *collection = lookup(Collection, "WdfCollectionRemove");
    struct fx_object *removed = NULL;
    if (!collection)
        return;
    pthread_mutex_lock(&collection->lock);
    for (ULONG i = 0; i < collection->count && !removed; i++)
        if (collection->items[i]->handle == Item)
            removed = take_at(collection, i);
    pthread_mutex_unlock(&collection->lock);
    if (!removed) {
        fx_violation("WdfCollectionRemove", "object %p is not in WDFCOLLECTION %p", (void *)Item,
                     (void *)Collection);
        return;
    }
    fx_object_unref(removed);
}
FX_EXPORT(WdfCollectionRemove, PFN_WDFCOLLECTIONREMOVE, collection_remove);

/* Removes the item at Index and drops the collection's reference on it.
 * IRQL <= DISPATCH_LEVEL. An index past the end is reported. */
void fx_collection_remove_item(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection, ULONG Index)
{
    (void)g;
    struct fx_collection *collection = lookup(Collection, "WdfCollectionRemoveItem");
    struct fx_object *removed = NULL;
    ULONG count = 0;
    if (!collection)
        return;
    pthread_mutex_lock(&collection->lock);
    count = collection->count;
    if (Index < count)
        removed = take_at(collection, Index);
    pthread_mutex_unlock(&collection->lock);
    if (!removed) {
        fx_violation("WdfCollectionRemoveItem", "index %lu is past the end of WDFCOLLECTION %p (%lu items)",
                     (unsigned long)Index, (void *)Collection, (unsigned long)count);
        return;
    }
    fx_object_unref(removed);
}
FX_EXPORT(WdfCollectionRemoveItem, PFN_WDFCOLLECTIONREMOVEITEM, fx_collection_remove_item);

/* The handle at index (count - 1 for last), or NULL past the end. */
static WDFOBJECT item_at(WDFCOLLECTION Collection, ULONG index, bool last, const char *ddi)
{
    struct fx_collection *collection = lookup(Collection, ddi);
    WDFOBJECT handle = NULL;
    if (!collection)
        return NULL;
    pthread_mutex_lock(&collection->lock);
    if (last)
        index = collection->count - 1;
    if (index < collection->count)
        handle = collection->items[index]->handle;
    pthread_mutex_unlock(&collection->lock);
    return handle;
}

/* The object at Index, or NULL past the end. IRQL <= DISPATCH_LEVEL. */
WDFOBJECT fx_collection_get_item(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection, ULONG Index)
{
    (void)g;
    return item_at(Collection, Index, false, "WdfCollectionGetItem");
}
FX_EXPORT(WdfCollectionGetItem, PFN_WDFCOLLECTIONGETITEM, fx_collection_get_item);

/* The first object, or NULL when empty. IRQL <= DISPATCH_LEVEL. */
static WDFOBJECT collection_get_first_item(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection)
{
    (void)g;
    return item_at(Collection, 0, false, "WdfCollectionGetFirstItem");
}
FX_EXPORT(WdfCollectionGetFirstItem, PFN_WDFCOLLECTIONGETFIRSTITEM, collection_get_first_item);

/* The last object, or NULL when empty. IRQL <= DISPATCH_LEVEL. */
static WDFOBJECT collection_get_last_item(PWDF_DRIVER_GLOBALS g, WDFCOLLECTION Collection)
{
    (void)g;
    return item_at(Collection, 0, true, "WdfCollectionGetLastItem");
}
FX_EXPORT(WdfCollectionGetLastItem, PFN_WDFCOLLECTIONGETLASTITEM, collection_get_last_item);
