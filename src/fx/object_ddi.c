/*
 * The WdfObject* methods: generic objects, contexts, references and
 * deletion with KMDF's rule on what a driver may delete.
 */
#include "fx/fx.h"
#include "fx/fx_private.h"

static PVOID object_get_typed_context_worker(PWDF_DRIVER_GLOBALS g, WDFOBJECT Handle,
                                             PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo)
{
    (void)g;
    struct fx_object *object = fx_handle_object(Handle, FX_TYPE_COUNT, "WdfObjectGetTypedContext");
    return object ? fx_object_context(object, TypeInfo) : NULL;
}
FX_EXPORT(WdfObjectGetTypedContextWorker, PFN_WDFOBJECTGETTYPEDCONTEXTWORKER, object_get_typed_context_worker);

static NTSTATUS object_allocate_context(PWDF_DRIVER_GLOBALS g, WDFOBJECT Handle, PWDF_OBJECT_ATTRIBUTES Attributes,
                                        PVOID *Context)
{
    (void)g;
    struct fx_object *object = fx_handle_object(Handle, FX_TYPE_COUNT, "WdfObjectAllocateContext");
    if (Context)
        *Context = NULL;
    if (!object || !Attributes || !Attributes->ContextTypeInfo || Attributes->ParentObject)
        return STATUS_INVALID_PARAMETER;
    if (!fx_object_is_live(object))
        return STATUS_DELETE_PENDING;
    void *context = NULL;
    NTSTATUS status = fx_object_add_context(object, Attributes, &context);
    if (Context)
        *Context = context;
    return status;
}
FX_EXPORT(WdfObjectAllocateContext, PFN_WDFOBJECTALLOCATECONTEXT, object_allocate_context);

static WDFOBJECT object_context_get_object(PWDF_DRIVER_GLOBALS g, PVOID ContextPointer)
{
    (void)g;
    struct fx_object *object = ContextPointer ? fx_object_from_context(ContextPointer) : NULL;
    if (!object)
        fx_violation("WdfObjectContextGetObject", "%p is not a WDF object context", ContextPointer);
    return object ? object->handle : NULL;
}
FX_EXPORT(WdfObjectContextGetObject, PFN_WDFOBJECTCONTEXTGETOBJECT, object_context_get_object);

static void object_reference_actual(PWDF_DRIVER_GLOBALS g, WDFOBJECT Handle, PVOID Tag, LONG Line, PCCH File)
{
    (void)g;
    (void)Tag;
    (void)Line;
    (void)File;
    struct fx_object *object = fx_handle_object(Handle, FX_TYPE_COUNT, "WdfObjectReference");
    if (object)
        fx_object_ref(object);
}
FX_EXPORT(WdfObjectReferenceActual, PFN_WDFOBJECTREFERENCEACTUAL, object_reference_actual);

static void object_dereference_actual(PWDF_DRIVER_GLOBALS g, WDFOBJECT Handle, PVOID Tag, LONG Line, PCCH File)
{
    (void)g;
    (void)Tag;
    (void)Line;
    (void)File;
    struct fx_object *object = fx_handle_object(Handle, FX_TYPE_COUNT, "WdfObjectDereference");
    if (object)
        fx_object_unref(object);
}
FX_EXPORT(WdfObjectDereferenceActual, PFN_WDFOBJECTDEREFERENCEACTUAL, object_dereference_actual);

static NTSTATUS object_create(PWDF_DRIVER_GLOBALS g, PWDF_OBJECT_ATTRIBUTES Attributes, WDFOBJECT *Object)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    *Object = NULL;
    /* Without a parent a general object belongs to the driver. */
    struct fx_object *object = fx_object_new(globals, FX_TYPE_OBJECT, sizeof(struct fx_object), Attributes,
                                             globals->driver ? &globals->driver->object : NULL, &status);
    if (object)
        *Object = object->handle;
    return status;
}
FX_EXPORT(WdfObjectCreate, PFN_WDFOBJECTCREATE, object_create);

static void object_delete(PWDF_DRIVER_GLOBALS g, WDFOBJECT Object)
{
    (void)g;
    struct fx_object *object = fx_handle_object(Object, FX_TYPE_COUNT, "WdfObjectDelete");
    if (!object)
        return;
    if (!object->ops->driver_may_delete) {
        fx_violation("WdfObjectDelete", "a driver may not delete a %s (the framework owns its lifetime)",
                     object->ops->name);
        return;
    }
    fx_object_delete(object);
}
FX_EXPORT(WdfObjectDelete, PFN_WDFOBJECTDELETE, object_delete);

/* No object answers a query by interface GUID yet. */
static NTSTATUS object_query(PWDF_DRIVER_GLOBALS g, WDFOBJECT Object, CONST GUID *Guid, ULONG QueryBufferLength,
                             PVOID QueryBuffer)
{
    (void)g;
    (void)Guid;
    (void)QueryBufferLength;
    (void)QueryBuffer;
    return fx_handle_object(Object, FX_TYPE_COUNT, "WdfObjectQuery") ? STATUS_NOT_FOUND : STATUS_INVALID_PARAMETER;
}
FX_EXPORT(WdfObjectQuery, PFN_WDFOBJECTQUERY, object_query);

static void object_acquire_lock(PWDF_DRIVER_GLOBALS g, WDFOBJECT Object)
{
    (void)g;
    struct fx_object *object = fx_handle_object(Object, FX_TYPE_COUNT, "WdfObjectAcquireLock");
    if (!object)
        return;
    if (!object->own_lock) {
        fx_violation("WdfObjectAcquireLock", "a %s has no synchronization lock", object->ops->name);
        return;
    }
    fx_callback_lock_acquire(object->own_lock);
}
FX_EXPORT(WdfObjectAcquireLock, PFN_WDFOBJECTACQUIRELOCK, object_acquire_lock);

static void object_release_lock(PWDF_DRIVER_GLOBALS g, WDFOBJECT Object)
{
    (void)g;
    struct fx_object *object = fx_handle_object(Object, FX_TYPE_COUNT, "WdfObjectReleaseLock");
    if (object && object->own_lock)
        fx_callback_lock_release(object->own_lock);
}
FX_EXPORT(WdfObjectReleaseLock, PFN_WDFOBJECTRELEASELOCK, object_release_lock);
