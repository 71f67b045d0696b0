/*
 * WDFLOOKASIDE: fixed-size buffers kept for reuse, handed out as memory
 * objects (WdfMemoryCreateFromLookaside). Deleting the memory object gives
 * its buffer back; deleting the list frees what it keeps. The memory
 * objects are the list's children, and a child holds a reference on its
 * parent, so a list outlives its last buffer.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#define LOOKASIDE_DEPTH 32

struct fx_lookaside {
    struct fx_object object;
    size_t size;
    POOL_TYPE pool;
    ULONG tag;
    WDF_OBJECT_ATTRIBUTES memory_attributes;
    bool has_memory_attributes;
    KSPIN_LOCK lock;
    void *free[LOOKASIDE_DEPTH];
    unsigned count;
};

static void lookaside_destroy(struct fx_object *object)
{
    struct fx_lookaside *list = (struct fx_lookaside *)object;
    while (list->count)
        ExFreePoolWithTag(list->free[--list->count], list->tag);
}

const struct fx_type_ops fx_ops_lookaside = {
    .name = "WDFLOOKASIDE",
    .driver_may_delete = true,
    .destroy = lookaside_destroy,
};

void *fx_lookaside_take(struct fx_lookaside *list)
{
    void *buffer = NULL;
    KIRQL irql;

    KeAcquireSpinLock(&list->lock, &irql);
    if (list->count)
        buffer = list->free[--list->count];
    KeReleaseSpinLock(&list->lock, irql);
    if (buffer)
        return buffer;
    return ExAllocatePool2((list->pool & 1) ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED, list->size, list->tag);
}

void fx_lookaside_give(struct fx_lookaside *list, void *buffer)
{
    KIRQL irql;

    if (!buffer)
        return;
    KeAcquireSpinLock(&list->lock, &irql);
    if (list->count < LOOKASIDE_DEPTH) {
        list->free[list->count++] = buffer;
        buffer = NULL;
    }
    KeReleaseSpinLock(&list->lock, irql);
    if (buffer)
        ExFreePoolWithTag(buffer, list->tag);
}

/* WdfLookasideListCreate: a list of BufferSize-byte buffers from PoolType,
 * tagged PoolTag (the driver's tag when 0); MemoryAttributes apply to each
 * memory object made from it and may not name a parent (the list is the
 * parent). STATUS_INVALID_PARAMETER, STATUS_INSUFFICIENT_RESOURCES. IRQL <=
 * DISPATCH_LEVEL. */
static NTSTATUS ddi_lookaside_list_create(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES LookasideAttributes,
                                          size_t BufferSize, POOL_TYPE PoolType,
                                          PWDF_OBJECT_ATTRIBUTES MemoryAttributes, ULONG PoolTag,
                                          WDFLOOKASIDE *Lookaside)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (Lookaside)
        *Lookaside = NULL;
    if (!Lookaside || !BufferSize || (MemoryAttributes && MemoryAttributes->ParentObject)) {
        fx_violation("WdfLookasideListCreate", "%s", !BufferSize ? "BufferSize is zero"
                                                     : !Lookaside ? "Lookaside is NULL"
                                                                  : "MemoryAttributes may not name a parent");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_lookaside *list = fx_object_new(globals, FX_TYPE_LOOKASIDE, sizeof(*list), LookasideAttributes,
                                              globals->driver ? &globals->driver->object : NULL, &status);
    if (!list)
        return status;
    list->size = BufferSize;
    list->pool = PoolType;
    list->tag = PoolTag ? PoolTag
                        : (globals->driver && globals->driver->pool_tag ? globals->driver->pool_tag
                                                                         : globals->public.DriverTag);
    if (MemoryAttributes) {
        list->memory_attributes = *MemoryAttributes;
        list->has_memory_attributes = true;
    }
    KeInitializeSpinLock(&list->lock);
    *Lookaside = (WDFLOOKASIDE)list->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfLookasideListCreate, PFN_WDFLOOKASIDELISTCREATE, ddi_lookaside_list_create);

/* WdfMemoryCreateFromLookaside: a memory object over one of the list's
 * buffers, child of the list. STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_memory_create_from_lookaside(PWDF_DRIVER_GLOBALS g, WDFLOOKASIDE Lookaside, WDFMEMORY *Memory)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (Memory)
        *Memory = NULL;
    struct fx_lookaside *list = FX_LOOKUP(fx_lookaside, FX_TYPE_LOOKASIDE, Lookaside, "WdfMemoryCreateFromLookaside");
    if (!list || !Memory)
        return STATUS_INVALID_PARAMETER;
    void *buffer = fx_lookaside_take(list);
    if (!buffer)
        return STATUS_INSUFFICIENT_RESOURCES;
    struct fx_memory *memory = fx_memory_wrap(globals, &list->object,
                                              list->has_memory_attributes ? &list->memory_attributes : NULL,
                                              buffer, list->size, FX_MEMORY_LOOKASIDE, &status);
    if (!memory) {
        fx_lookaside_give(list, buffer);
        return status;
    }
    memory->lookaside = list; /* kept alive by the parent reference */
    memory->tag = list->tag;
    *Memory = (WDFMEMORY)memory->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfMemoryCreateFromLookaside, PFN_WDFMEMORYCREATEFROMLOOKASIDE, ddi_memory_create_from_lookaside);
