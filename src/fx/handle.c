/*
 * WDF handles: an index into a table plus a generation, so a handle to a
 * deleted object (or a made-up one) is recognised and reported with the
 * DDI that received it, instead of being dereferenced.
 *
 * A handle is ((generation << 32) | ((index + 1) << 4)): never NULL, and
 * never equal to a live object's handle once its slot is reused, because
 * the generation moves on at every reuse.
 */
#include "fx/fx.h"
#include "fx/fx_private.h"
#include "verifier/verifier.h"

#include <stdlib.h>

#define CHUNK_SHIFT 10
#define CHUNK_SIZE (1u << CHUNK_SHIFT)
#define MAX_CHUNKS 4096

struct slot {
    struct fx_object *_Atomic object;
    _Atomic uint32_t generation;
    uint32_t next_free;              /* index + 1 */
};

static struct slot *_Atomic chunks[MAX_CHUNKS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t free_head, used_slots;

static struct slot *slot_at(uint32_t index)
{
    struct slot *chunk = atomic_load_explicit(&chunks[index >> CHUNK_SHIFT], memory_order_acquire);
    return chunk ? &chunk[index & (CHUNK_SIZE - 1)] : NULL;
}

static int take_index(uint32_t *index)
{
    if (free_head) {
        *index = free_head - 1;
        free_head = slot_at(*index)->next_free;
        return 0;
    }
    if (used_slots >= (uint32_t)MAX_CHUNKS * CHUNK_SIZE)
        return -ENOMEM;
    if (!atomic_load(&chunks[used_slots >> CHUNK_SHIFT])) {
        struct slot *chunk = calloc(CHUNK_SIZE, sizeof(*chunk));
        if (!chunk)
            return -ENOMEM;
        atomic_store_explicit(&chunks[used_slots >> CHUNK_SHIFT], chunk, memory_order_release);
    }
    *index = used_slots++;
    return 0;
}

int fx_handle_insert(struct fx_object *object)
{
    uint32_t index;
    pthread_mutex_lock(&table_lock);
    int err = take_index(&index);
    pthread_mutex_unlock(&table_lock);
    if (err)
        return err;
    struct slot *slot = slot_at(index);
    uint32_t generation = atomic_load(&slot->generation);
    object->handle = (WDFOBJECT)(uintptr_t)(((uint64_t)generation << 32) | ((uint64_t)(index + 1) << 4));
    atomic_store_explicit(&slot->object, object, memory_order_release);
    return 0;
}

static bool handle_decode(WDFOBJECT handle, uint32_t *index, uint32_t *generation)
{
    uint64_t value = (uint64_t)(uintptr_t)handle;
    uint64_t low = value & 0xffffffffu;
    if ((low & 0xf) || low == 0 || (low >> 4) > (uint64_t)MAX_CHUNKS * CHUNK_SIZE)
        return false;
    *index = (uint32_t)(low >> 4) - 1;
    *generation = (uint32_t)(value >> 32);
    return true;
}

void fx_handle_remove(struct fx_object *object)
{
    uint32_t index, generation;
    if (!handle_decode(object->handle, &index, &generation))
        return;
    struct slot *slot = slot_at(index);
    atomic_store_explicit(&slot->object, NULL, memory_order_release);
    atomic_fetch_add(&slot->generation, 1);
    pthread_mutex_lock(&table_lock);
    slot->next_free = free_head;
    free_head = index + 1;
    pthread_mutex_unlock(&table_lock);
}

struct fx_object *fx_handle_object(WDFOBJECT handle, enum fx_type type, const char *ddi)
{
    uint32_t index, generation;
    struct slot *slot;
    struct fx_object *object = NULL;

    if (handle && handle_decode(handle, &index, &generation) && (slot = slot_at(index)) &&
        atomic_load_explicit(&slot->generation, memory_order_acquire) == generation)
        object = atomic_load_explicit(&slot->object, memory_order_acquire);
    if (!object || object->magic != FX_OBJECT_MAGIC) {
        vf_report(VF_HANDLE, ddi, NULL, "%p is not a live WDF handle (deleted, or never created)", (void *)handle);
        return NULL;
    }
    if (type != FX_TYPE_COUNT && object->type != type) {
        vf_report(VF_HANDLE, ddi, NULL, "handle %p is a %s, not a %s", (void *)handle, object->ops->name,
                  fx_type_ops(type)->name);
        return NULL;
    }
    return object;
}

void fx_handle_for_each_of(const struct fx_globals *globals, void (*fn)(struct fx_object *object, void *ctx),
                           void *ctx)
{
    pthread_mutex_lock(&table_lock);
    uint32_t used = used_slots;
    pthread_mutex_unlock(&table_lock);
    for (uint32_t i = 0; i < used; i++) {
        struct fx_object *object = atomic_load(&slot_at(i)->object);
        if (object && object->globals == globals)
            fn(object, ctx);
    }
}

static void count_one(struct fx_object *object, void *ctx)
{
    (void)object;
    (*(size_t *)ctx)++;
}

size_t fx_handle_count_for(const struct fx_globals *globals)
{
    size_t count = 0;
    fx_handle_for_each_of(globals, count_one, &count);
    return count;
}
