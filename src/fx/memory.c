/*
 * WDFMEMORY: a buffer and its size behind a handle. The framework frees
 * what it allocated (WdfMemoryCreate, lookaside buffers) when the object
 * goes, never what the driver lent it (WdfMemoryCreatePreallocated) or what
 * a request describes; copies in and out are bounds-checked.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

static void memory_destroy(struct fx_object *object)
{
    struct fx_memory *memory = (struct fx_memory *)object;

    switch (memory->kind) {
    case FX_MEMORY_POOL:
        if (memory->buffer)
            ExFreePoolWithTag(memory->buffer, memory->tag);
        break;
    case FX_MEMORY_LOOKASIDE:
        fx_lookaside_give(memory->lookaside, memory->buffer);
        break;
    case FX_MEMORY_LOCKED:
        if (memory->mdl) {
            MmUnlockPages(memory->mdl);
            IoFreeMdl(memory->mdl);
        }
        break;
    default:
        break;
    }
    memory->buffer = NULL;
}

const struct fx_type_ops fx_ops_memory = {
    .name = "WDFMEMORY",
    .driver_may_delete = true,
    .destroy = memory_destroy,
};

static ULONG pool_tag_or_default(struct fx_globals *globals, ULONG tag)
{
    if (tag)
        return tag;
    if (globals->driver && globals->driver->pool_tag)
        return globals->driver->pool_tag;
    return globals->public.DriverTag;
}

static struct fx_object *default_parent(struct fx_globals *globals)
{
    return globals->driver ? &globals->driver->object : NULL;
}

static POOL_FLAGS pool_flags(POOL_TYPE type)
{
    return (type & 1) ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED;
}

static NTSTATUS memory_create(struct fx_globals *globals, PWDF_OBJECT_ATTRIBUTES attributes, POOL_TYPE pool,
                              ULONG tag, size_t size, WDFMEMORY *out, void **buffer, void *caller)
{
    NTSTATUS status;

    if (out)
        *out = NULL;
    if (!out || !size) {
        fx_violation("WdfMemoryCreate", "%s", !out ? "Memory is NULL" : "BufferSize is zero");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_memory *memory = fx_object_new(globals, FX_TYPE_MEMORY, sizeof(*memory), attributes,
                                             default_parent(globals), &status);
    if (!memory)
        return status;
    memory->kind = FX_MEMORY_POOL;
    memory->tag = pool_tag_or_default(globals, tag);
    memory->size = size;
    memory->buffer = nt_pool_alloc_for(pool_flags(pool), size, memory->tag, caller);
    if (!memory->buffer) {
        fx_object_delete(&memory->object);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *out = (WDFMEMORY)memory->object.handle;
    if (buffer)
        *buffer = memory->buffer;
    return STATUS_SUCCESS;
}

/* A memory object with a pool buffer of size bytes, for other families
 * (strings, registry, property queries). Same rules and statuses as
 * WdfMemoryCreate. IRQL <= DISPATCH_LEVEL (PASSIVE_LEVEL for paged pool). */
NTSTATUS fx_memory_new_pool(struct fx_globals *globals, PWDF_OBJECT_ATTRIBUTES attributes, POOL_TYPE pool, ULONG tag,
                            size_t size, WDFMEMORY *memory, void **buffer)
{
    return memory_create(globals, attributes, pool, tag, size, memory, buffer, __builtin_return_address(0));
}

/* WdfMemoryCreate: a buffer from pool, freed with the object. Parent: the
 * driver unless the attributes say otherwise. STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_memory_create(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES Attributes, POOL_TYPE PoolType,
                                  ULONG PoolTag, size_t BufferSize, WDFMEMORY *Memory, PVOID *Buffer)
{
    return memory_create(fx_globals_of(g), Attributes, PoolType, PoolTag, BufferSize, Memory, Buffer,
                         __builtin_return_address(0));
}
FX_EXPORT(WdfMemoryCreate, PFN_WDFMEMORYCREATE, ddi_memory_create);

struct fx_memory *fx_memory_wrap(struct fx_globals *globals, struct fx_object *parent, PWDF_OBJECT_ATTRIBUTES attributes,
                                 void *buffer, size_t size, enum fx_memory_kind kind, NTSTATUS *status)
{
    struct fx_memory *memory = fx_object_new(globals, FX_TYPE_MEMORY, sizeof(*memory), attributes, parent, status);
    if (!memory)
        return NULL;
    memory->kind = kind;
    memory->buffer = buffer;
    memory->size = size;
    return memory;
}

/* WdfMemoryCreatePreallocated: wraps the driver's buffer, which the
 * framework never frees. STATUS_INVALID_PARAMETER (no buffer or size zero),
 * STATUS_INSUFFICIENT_RESOURCES. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_memory_create_preallocated(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES Attributes, PVOID Buffer,
                                               size_t BufferSize, WDFMEMORY *Memory)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (Memory)
        *Memory = NULL;
    if (!Buffer || !BufferSize || !Memory) {
        fx_violation("WdfMemoryCreatePreallocated", "Buffer, BufferSize and Memory are required");
        return STATUS_INVALID_PARAMETER;
    }
    struct fx_memory *memory = fx_memory_wrap(globals, default_parent(globals), Attributes, Buffer, BufferSize,
                                              FX_MEMORY_PREALLOCATED, &status);
    if (memory)
        *Memory = (WDFMEMORY)memory->object.handle;
    return status;
}
FX_EXPORT(WdfMemoryCreatePreallocated, PFN_WDFMEMORYCREATEPREALLOCATED, ddi_memory_create_preallocated);

/* WdfMemoryAssignBuffer: points a preallocated memory object at another
 * driver buffer. STATUS_INVALID_PARAMETER for other kinds of memory or a
 * missing buffer. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_memory_assign_buffer(PWDF_DRIVER_GLOBALS g, WDFMEMORY Memory, PVOID Buffer, size_t BufferSize)
{
    (void)g;
    struct fx_memory *memory = FX_LOOKUP(fx_memory, FX_TYPE_MEMORY, Memory, "WdfMemoryAssignBuffer");
    if (!memory)
        return STATUS_INVALID_PARAMETER;
    if (memory->kind != FX_MEMORY_PREALLOCATED || !Buffer || !BufferSize) {
        fx_violation("WdfMemoryAssignBuffer", "%s", memory->kind != FX_MEMORY_PREALLOCATED
                                                        ? "only WdfMemoryCreatePreallocated objects take a new buffer"
                                                        : "Buffer and BufferSize are required");
        return STATUS_INVALID_PARAMETER;
    }
    memory->buffer = Buffer;
    memory->size = BufferSize;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfMemoryAssignBuffer, PFN_WDFMEMORYASSIGNBUFFER, ddi_memory_assign_buffer);

/* WdfMemoryGetBuffer: the buffer, and its size if asked. NULL for a bad
 * handle. Any IRQL. */
static PVOID ddi_memory_get_buffer(PWDF_DRIVER_GLOBALS g, WDFMEMORY Memory, size_t *BufferSize)
{
    (void)g;
    struct fx_memory *memory = FX_LOOKUP(fx_memory, FX_TYPE_MEMORY, Memory, "WdfMemoryGetBuffer");
    if (BufferSize)
        *BufferSize = memory ? memory->size : 0;
    return memory ? memory->buffer : NULL;
}
FX_EXPORT(WdfMemoryGetBuffer, PFN_WDFMEMORYGETBUFFER, ddi_memory_get_buffer);

/* Whether [offset, offset + count) lies in the memory object. */
static bool memory_range_ok(const struct fx_memory *memory, size_t offset, size_t count)
{
    return offset <= memory->size && count <= memory->size - offset;
}

/* WdfMemoryCopyToBuffer: count bytes from the object at offset into the
 * driver's buffer. STATUS_BUFFER_TOO_SMALL when the range overruns the
 * object, STATUS_INVALID_PARAMETER for a missing buffer. IRQL <=
 * DISPATCH_LEVEL for nonpaged memory. */
static NTSTATUS ddi_memory_copy_to_buffer(PWDF_DRIVER_GLOBALS g, WDFMEMORY SourceMemory, size_t SourceOffset,
                                          PVOID Buffer, size_t NumBytesToCopyTo)
{
    (void)g;
    struct fx_memory *memory = FX_LOOKUP(fx_memory, FX_TYPE_MEMORY, SourceMemory, "WdfMemoryCopyToBuffer");
    if (!memory || !Buffer)
        return STATUS_INVALID_PARAMETER;
    if (!memory_range_ok(memory, SourceOffset, NumBytesToCopyTo))
        return STATUS_BUFFER_TOO_SMALL;
    memmove(Buffer, (char *)memory->buffer + SourceOffset, NumBytesToCopyTo);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfMemoryCopyToBuffer, PFN_WDFMEMORYCOPYTOBUFFER, ddi_memory_copy_to_buffer);

/* WdfMemoryCopyFromBuffer: count bytes of the driver's buffer into the
 * object at offset. Statuses as WdfMemoryCopyToBuffer. */
static NTSTATUS ddi_memory_copy_from_buffer(PWDF_DRIVER_GLOBALS g, WDFMEMORY DestinationMemory,
                                            size_t DestinationOffset, PVOID Buffer, size_t NumBytesToCopyFrom)
{
    (void)g;
    struct fx_memory *memory = FX_LOOKUP(fx_memory, FX_TYPE_MEMORY, DestinationMemory, "WdfMemoryCopyFromBuffer");
    if (!memory || !Buffer)
        return STATUS_INVALID_PARAMETER;
    if (!memory_range_ok(memory, DestinationOffset, NumBytesToCopyFrom))
        return STATUS_BUFFER_TOO_SMALL;
    memmove((char *)memory->buffer + DestinationOffset, Buffer, NumBytesToCopyFrom);
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfMemoryCopyFromBuffer, PFN_WDFMEMORYCOPYFROMBUFFER, ddi_memory_copy_from_buffer);

/* A buffer description from a memory handle and optional window: the
 * window must lie inside the object. */
NTSTATUS fx_buffer_from_memory(WDFMEMORY handle, PWDFMEMORY_OFFSET offset, struct fx_buffer *out, const char *ddi)
{
    memset(out, 0, sizeof(*out));
    if (!handle)
        return STATUS_SUCCESS;
    struct fx_memory *memory = FX_LOOKUP(fx_memory, FX_TYPE_MEMORY, handle, ddi);
    if (!memory)
        return STATUS_INVALID_PARAMETER;
    size_t start = offset ? offset->BufferOffset : 0;
    size_t length = offset && offset->BufferLength ? offset->BufferLength : memory->size - (start <= memory->size ? start : 0);
    if (!memory_range_ok(memory, start, length)) {
        fx_violation(ddi, "WDFMEMORY_OFFSET %zu+%zu lies outside a %zu-byte memory object", start, length,
                     memory->size);
        return STATUS_INVALID_PARAMETER;
    }
    out->memory = memory;
    out->buffer = (char *)memory->buffer + start;
    out->length = length;
    return STATUS_SUCCESS;
}

/* A buffer description from a WDF_MEMORY_DESCRIPTOR (buffer, MDL or handle). */
NTSTATUS fx_buffer_from_descriptor(PWDF_MEMORY_DESCRIPTOR descriptor, struct fx_buffer *out, const char *ddi)
{
    memset(out, 0, sizeof(*out));
    if (!descriptor)
        return STATUS_SUCCESS;
    switch (descriptor->Type) {
    case WdfMemoryDescriptorTypeBuffer:
        out->buffer = descriptor->u.BufferType.Buffer;
        out->length = descriptor->u.BufferType.Length;
        return out->buffer || !out->length ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    case WdfMemoryDescriptorTypeMdl:
        out->mdl = descriptor->u.MdlType.Mdl;
        if (!out->mdl)
            return STATUS_INVALID_PARAMETER;
        out->buffer = MmGetSystemAddressForMdlSafe(out->mdl, NormalPagePriority);
        out->length = descriptor->u.MdlType.BufferLength ? descriptor->u.MdlType.BufferLength
                                                         : MmGetMdlByteCount(out->mdl);
        return STATUS_SUCCESS;
    case WdfMemoryDescriptorTypeHandle:
        return fx_buffer_from_memory(descriptor->u.HandleType.Memory, descriptor->u.HandleType.Offsets, out, ddi);
    default:
        fx_violation(ddi, "WDF_MEMORY_DESCRIPTOR has type %d", (int)descriptor->Type);
        return STATUS_INVALID_PARAMETER;
    }
}
