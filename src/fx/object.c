/*
 * The WDF object model: every framework object starts with struct
 * fx_object. Objects form a tree (a child never outlives its parent's
 * deletion), carry typed contexts, are reference counted, and go in two
 * steps as KMDF documents: deletion (children first, then the object's own
 * dispose and EvtCleanupCallback, at PASSIVE_LEVEL) and, when the last
 * reference goes, EvtDestroyCallback and the memory.
 */
#include "fx/fx.h"
#include "fx/fx_private.h"
#include "verifier/verifier.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

pthread_mutex_t fx_tree_lock = PTHREAD_MUTEX_INITIALIZER;

#define FX_ALIGN16(n) (((n) + 15) & ~(size_t)15)

void fx_violation(const char *ddi, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    vf_report(VF_WDF, ddi, NULL, "%s", message);
}

static PCWDF_OBJECT_CONTEXT_TYPE_INFO unique_type(PCWDF_OBJECT_CONTEXT_TYPE_INFO type)
{
    return type && type->UniqueType ? type->UniqueType : type;
}

static size_t context_size(PWDF_OBJECT_ATTRIBUTES attributes)
{
    if (!attributes || !attributes->ContextTypeInfo)
        return 0;
    return attributes->ContextSizeOverride ? attributes->ContextSizeOverride
                                           : unique_type(attributes->ContextTypeInfo)->ContextSize;
}

static bool attributes_valid(PWDF_OBJECT_ATTRIBUTES attributes, const char *type_name)
{
    if (!attributes)
        return true;
    if (attributes->Size != sizeof(WDF_OBJECT_ATTRIBUTES)) {
        fx_violation(type_name, "WDF_OBJECT_ATTRIBUTES.Size is %u, expected %zu (use WDF_OBJECT_ATTRIBUTES_INIT)",
                     (unsigned)attributes->Size, sizeof(WDF_OBJECT_ATTRIBUTES));
        return false;
    }
    if (attributes->ContextSizeOverride && attributes->ContextTypeInfo &&
        attributes->ContextSizeOverride < unique_type(attributes->ContextTypeInfo)->ContextSize) {
        fx_violation(type_name, "ContextSizeOverride is smaller than the context type");
        return false;
    }
    return true;
}

static void context_init(struct fx_context *context, struct fx_object *owner, PWDF_OBJECT_ATTRIBUTES attributes,
                         size_t size)
{
    context->owner = owner;
    context->type = unique_type(attributes->ContextTypeInfo);
    context->size = size;
    context->cleanup = attributes->EvtCleanupCallback;
    context->destroy = attributes->EvtDestroyCallback;
}

/* Inherit from the parent what the attributes leave to it. */
static void resolve_levels(struct fx_object *object, PWDF_OBJECT_ATTRIBUTES attributes)
{
    WDF_EXECUTION_LEVEL level = attributes ? attributes->ExecutionLevel : WdfExecutionLevelInheritFromParent;
    WDF_SYNCHRONIZATION_SCOPE scope = attributes ? attributes->SynchronizationScope
                                                 : WdfSynchronizationScopeInheritFromParent;
    if (level == WdfExecutionLevelInheritFromParent || level == WdfExecutionLevelInvalid)
        level = object->parent ? object->parent->execution_level : WdfExecutionLevelDispatch;
    if (scope == WdfSynchronizationScopeInheritFromParent || scope == WdfSynchronizationScopeInvalid)
        scope = object->parent ? object->parent->sync_scope : WdfSynchronizationScopeNone;
    object->execution_level = level;
    object->sync_scope = scope;
}

static void link_parent(struct fx_object *object, struct fx_object *parent)
{
    object->parent = parent;
    if (!parent)
        return;
    fx_object_ref(parent);
    pthread_mutex_lock(&fx_tree_lock);
    InsertTailList(&parent->children, &object->sibling);
    pthread_mutex_unlock(&fx_tree_lock);
}

void *fx_object_new(struct fx_globals *globals, enum fx_type type, size_t body_size,
                    PWDF_OBJECT_ATTRIBUTES attributes, struct fx_object *default_parent, NTSTATUS *status)
{
    const struct fx_type_ops *ops = fx_type_ops(type);
    struct fx_object *parent = default_parent;

    if (!attributes_valid(attributes, ops->name)) {
        *status = STATUS_INVALID_PARAMETER;
        return NULL;
    }
    if (attributes && attributes->ParentObject &&
        !(parent = fx_handle_object(attributes->ParentObject, FX_TYPE_COUNT, ops->name))) {
        *status = STATUS_INVALID_PARAMETER;
        return NULL;
    }
    size_t context = context_size(attributes);
    size_t head = FX_ALIGN16(body_size);
    struct fx_object *object = calloc(1, head + (context ? sizeof(struct fx_context) + FX_ALIGN16(context) : 0));
    if (!object) {
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return NULL;
    }
    object->magic = FX_OBJECT_MAGIC;
    object->type = type;
    object->ops = ops;
    object->globals = globals;
    if (globals)
        atomic_fetch_add(&globals->refs, 1);
    InitializeListHead(&object->children);
    InitializeListHead(&object->sibling);
    atomic_init(&object->refs, 1);
    atomic_init(&object->state, FX_STATE_LIVE);
    if (context) {
        object->contexts = (struct fx_context *)((char *)object + head);
        object->contexts->inline_storage = true;
        context_init(object->contexts, object, attributes, context);
    } else if (attributes && (attributes->EvtCleanupCallback || attributes->EvtDestroyCallback)) {
        /* Callbacks without a context still need somewhere to live. */
        struct fx_context *holder = calloc(1, sizeof(*holder));
        if (holder) {
            holder->owner = object;
            holder->cleanup = attributes->EvtCleanupCallback;
            holder->destroy = attributes->EvtDestroyCallback;
            object->contexts = holder;
        }
    }
    link_parent(object, parent);
    resolve_levels(object, attributes);
    if (fx_handle_insert(object)) {
        fx_object_discard(object);
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return NULL;
    }
    *status = STATUS_SUCCESS;
    return object;
}

void fx_object_ref(struct fx_object *object)
{
    atomic_fetch_add_explicit(&object->refs, 1, memory_order_relaxed);
}

static void object_destroy(struct fx_object *object)
{
    struct fx_object *parent = object->parent;
    struct fx_globals *globals = object->globals;

    for (struct fx_context *c = object->contexts; c && !object->discarded; c = c->next)
        if (c->destroy)
            c->destroy(object->handle);
    if (object->ops->destroy)
        object->ops->destroy(object);
    fx_handle_remove(object);
    for (struct fx_context *c = object->contexts, *next; c; c = next) {
        next = c->next;
        if (!c->inline_storage)
            free(c);
    }
    object->magic = 0;
    free(object);
    if (parent)
        fx_object_unref(parent);
    if (globals)
        fx_globals_unref(globals);
}

void fx_object_unref(struct fx_object *object)
{
    long left = atomic_fetch_sub_explicit(&object->refs, 1, memory_order_acq_rel) - 1;
    if (left > 0)
        return;
    if (left < 0) {
        fx_violation("WdfObjectDereference", "%s %p dereferenced below zero", object->ops->name,
                     (void *)object->handle);
        return;
    }
    object_destroy(object);
}

bool fx_object_is_live(const struct fx_object *object)
{
    return atomic_load(&object->state) == FX_STATE_LIVE;
}

static void run_cleanup_callbacks(struct fx_object *object)
{
    for (struct fx_context *c = object->contexts; c && !object->discarded; c = c->next)
        if (c->cleanup)
            c->cleanup(object->handle);
}

static void finish_delete(struct fx_object *object)
{
    if (object->ops->dispose)
        object->ops->dispose(object);
    run_cleanup_callbacks(object);
    pthread_mutex_lock(&fx_tree_lock);
    RemoveEntryList(&object->sibling);
    InitializeListHead(&object->sibling);
    pthread_mutex_unlock(&fx_tree_lock);
    atomic_store(&object->state, FX_STATE_DELETED);
    fx_object_unref(object);
}

static void delete_at_passive(PVOID parameter)
{
    finish_delete(parameter);
}

void fx_object_delete(struct fx_object *object)
{
    int expected = FX_STATE_LIVE;
    if (!atomic_compare_exchange_strong(&object->state, &expected, FX_STATE_DELETING))
        return;
    for (;;) {
        pthread_mutex_lock(&fx_tree_lock);
        struct fx_object *child = IsListEmpty(&object->children)
                                      ? NULL
                                      : CONTAINING_RECORD(object->children.Flink, struct fx_object, sibling);
        if (child) {
            /* Unlinked now, so a child whose deletion completes later (a
             * deferred one) is not found again. */
            RemoveEntryList(&child->sibling);
            InitializeListHead(&child->sibling);
        }
        pthread_mutex_unlock(&fx_tree_lock);
        if (!child)
            break;
        fx_object_delete(child);
    }
    if (object->ops->cleanup_at_passive && KeGetCurrentIrql() > PASSIVE_LEVEL) {
        ExInitializeWorkItem(&object->delete_work, delete_at_passive, object);
        ExQueueWorkItem(&object->delete_work, DelayedWorkQueue);
        return;
    }
    finish_delete(object);
}

void fx_object_discard(struct fx_object *object)
{
    object->discarded = true;
    fx_object_delete(object);
}

void *fx_object_context(struct fx_object *object, PCWDF_OBJECT_CONTEXT_TYPE_INFO type)
{
    PCWDF_OBJECT_CONTEXT_TYPE_INFO wanted = unique_type(type);
    for (struct fx_context *c = object->contexts; c; c = c->next)
        if (c->type == wanted && c->type)
            return c + 1;
    return NULL;
}

struct fx_object *fx_object_ancestor(struct fx_object *object, enum fx_type type)
{
    for (; object; object = object->parent)
        if (object->type == type)
            return object;
    return NULL;
}

struct fx_callback_lock *fx_object_callback_lock(struct fx_object *object)
{
    if (object->sync_scope == WdfSynchronizationScopeNone)
        return NULL;
    enum fx_type owner = object->sync_scope == WdfSynchronizationScopeQueue ? FX_TYPE_QUEUE : FX_TYPE_DEVICE;
    for (struct fx_object *o = object; o; o = o->parent)
        if (o->type == owner && o->own_lock)
            return o->own_lock;
    return NULL;
}

/* An added context (WdfObjectAllocateContext). */
NTSTATUS fx_object_add_context(struct fx_object *object, PWDF_OBJECT_ATTRIBUTES attributes, void **context)
{
    size_t size = context_size(attributes);
    struct fx_context *c;

    if (!attributes_valid(attributes, "WdfObjectAllocateContext") || !size)
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&fx_tree_lock);
    if (fx_object_context(object, attributes->ContextTypeInfo)) {
        pthread_mutex_unlock(&fx_tree_lock);
        return STATUS_OBJECT_NAME_EXISTS;
    }
    if (!(c = calloc(1, sizeof(*c) + FX_ALIGN16(size)))) {
        pthread_mutex_unlock(&fx_tree_lock);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context_init(c, object, attributes, size);
    struct fx_context **tail = &object->contexts;
    while (*tail)
        tail = &(*tail)->next;
    *tail = c;
    pthread_mutex_unlock(&fx_tree_lock);
    *context = c + 1;
    return STATUS_SUCCESS;
}

struct fx_object *fx_object_from_context(void *context)
{
    struct fx_context *c = (struct fx_context *)context - 1;
    return c->owner && c->owner->magic == FX_OBJECT_MAGIC ? c->owner : NULL;
}
