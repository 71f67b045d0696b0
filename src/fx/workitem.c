/*
 * WDFWORKITEM: an I/O work item on the parent device's DEVICE_OBJECT
 * (IoAllocateWorkItem/IoQueueWorkItem, so the device stays referenced
 * while it is queued) whose routine calls EvtWorkItemFunc at
 * PASSIVE_LEVEL, under the scope's passive callback lock with
 * AutomaticSerialization. Enqueueing an item that is already queued does
 * nothing, as documented; once its callback has started it may be queued
 * again (also from the callback). Flush and deletion wait until it is
 * neither queued nor running.
 */
#include "fx/fx.h"

struct fx_workitem {
    struct fx_object object;
    PFN_WDF_WORKITEM callback;
    struct fx_callback_lock *lock; /* AutomaticSerialization, or NULL */
    PIO_WORKITEM work;
    KEVENT idle;                   /* signalled while neither queued nor running */
    PETHREAD _Atomic thread;       /* running the callback */
    KSPIN_LOCK state_lock;         /* guards the fields below */
    bool enqueued;
    bool running_down;
    LONG running;
};

static void workitem_routine(PDEVICE_OBJECT device, PVOID context)
{
    struct fx_workitem *item = context;
    KIRQL irql;

    (void)device;
    KeAcquireSpinLock(&item->state_lock, &irql);
    /* Cleared before the callback, which may queue the item again. */
    item->enqueued = false;
    item->running++;
    KeReleaseSpinLock(&item->state_lock, irql);
    atomic_store(&item->thread, PsGetCurrentThread());
    if (item->lock)
        fx_callback_lock_acquire(item->lock);
    item->callback((WDFWORKITEM)item->object.handle);
    if (item->lock)
        fx_callback_lock_release(item->lock);
    atomic_store(&item->thread, NULL);
    KeAcquireSpinLock(&item->state_lock, &irql);
    if (--item->running == 0 && !item->enqueued)
        KeSetEvent(&item->idle, IO_NO_INCREMENT, FALSE);
    KeReleaseSpinLock(&item->state_lock, irql);
    /* The reference Enqueue took; the work item may go with it. */
    fx_object_unref(&item->object);
}

static bool in_own_callback(struct fx_workitem *item)
{
    return atomic_load(&item->thread) == PsGetCurrentThread();
}

static void workitem_dispose(struct fx_object *object)
{
    struct fx_workitem *item = (struct fx_workitem *)object;
    KIRQL irql;

    KeAcquireSpinLock(&item->state_lock, &irql);
    item->running_down = true;
    KeReleaseSpinLock(&item->state_lock, irql);
    /* Deleting from the callback itself is allowed: the callback's
     * reference keeps the object until it returns. */
    if (!in_own_callback(item))
        KeWaitForSingleObject(&item->idle, Executive, KernelMode, FALSE, NULL);
}

static void workitem_destroy(struct fx_object *object)
{
    struct fx_workitem *item = (struct fx_workitem *)object;
    if (item->work)
        IoFreeWorkItem(item->work);
}

const struct fx_type_ops fx_ops_workitem = {
    .name = "WDFWORKITEM",
    .driver_may_delete = true,
    .cleanup_at_passive = true,
    .dispose = workitem_dispose,
    .destroy = workitem_destroy,
};

static NTSTATUS workitem_config_check(PWDF_WORKITEM_CONFIG config, PWDF_OBJECT_ATTRIBUTES attributes)
{
    if (config->Size != sizeof(*config)) {
        fx_violation("WdfWorkItemCreate", "WDF_WORKITEM_CONFIG.Size is %lu, expected %zu",
                     (unsigned long)config->Size, sizeof(*config));
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (!config->EvtWorkItemFunc) {
        fx_violation("WdfWorkItemCreate", "EvtWorkItemFunc is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    return fx_attributes_check_levels(attributes, false, "WdfWorkItemCreate");
}

/* Creates a work item under a device (or one of its descendants), which
 * deletes it. IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_WDF_PARENT_NOT_SPECIFIED, STATUS_INVALID_DEVICE_REQUEST (no device
 * above the parent), STATUS_INFO_LENGTH_MISMATCH,
 * STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL (AutomaticSerialization with a
 * dispatch-level scope: use a WDFDPC), STATUS_INVALID_PARAMETER,
 * STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS workitem_create(PWDF_DRIVER_GLOBALS g, PWDF_WORKITEM_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes,
                                WDFWORKITEM *WorkItem)
{
    struct fx_callback_lock *lock = NULL;
    struct fx_object *parent;
    NTSTATUS status;

    if (!Config || !WorkItem) {
        fx_violation("WdfWorkItemCreate", "Config and WorkItem are required");
        return STATUS_INVALID_PARAMETER;
    }
    *WorkItem = NULL;
    if (!NT_SUCCESS(status = fx_deferred_parent(Attributes, "WdfWorkItemCreate", &parent)) ||
        !NT_SUCCESS(status = workitem_config_check(Config, Attributes)))
        return status;
    if (Config->AutomaticSerialization &&
        !NT_SUCCESS(status = fx_deferred_lock(parent, true, "WdfWorkItemCreate", &lock)))
        return status;
    struct fx_workitem *item = fx_object_new(fx_globals_of(g), FX_TYPE_WORKITEM, sizeof(*item), Attributes, NULL,
                                             &status);
    if (!item)
        return status;
    item->callback = Config->EvtWorkItemFunc;
    item->lock = lock;
    KeInitializeSpinLock(&item->state_lock);
    KeInitializeEvent(&item->idle, NotificationEvent, TRUE);
    struct fx_device *device = (struct fx_device *)fx_object_ancestor(parent, FX_TYPE_DEVICE);
    if (!(item->work = IoAllocateWorkItem(device->wdm_device))) {
        fx_object_delete(&item->object);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *WorkItem = (WDFWORKITEM)item->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfWorkItemCreate, PFN_WDFWORKITEMCREATE, workitem_create);

/* Queues the work item to a system worker thread; does nothing if it is
 * already queued. IRQL <= DISPATCH_LEVEL. Reported (and ignored) on a
 * work item being deleted. */
static void workitem_enqueue(PWDF_DRIVER_GLOBALS g, WDFWORKITEM WorkItem)
{
    (void)g;
    struct fx_workitem *item = FX_LOOKUP(fx_workitem, FX_TYPE_WORKITEM, WorkItem, "WdfWorkItemEnqueue");
    KIRQL irql;
    bool queue = false;

    if (!item || !fx_check_irql(DISPATCH_LEVEL, "WdfWorkItemEnqueue"))
        return;
    KeAcquireSpinLock(&item->state_lock, &irql);
    if (item->running_down) {
        fx_violation("WdfWorkItemEnqueue", "WDFWORKITEM %p is being deleted", (void *)WorkItem);
    } else if (!item->enqueued) {
        item->enqueued = queue = true;
        KeClearEvent(&item->idle);
        fx_object_ref(&item->object);
    }
    KeReleaseSpinLock(&item->state_lock, irql);
    if (queue)
        IoQueueWorkItem(item->work, workitem_routine, DelayedWorkQueue, item);
}
FX_EXPORT(WdfWorkItemEnqueue, PFN_WDFWORKITEMENQUEUE, workitem_enqueue);

/* The parent given at creation. IRQL <= DISPATCH_LEVEL. */
static WDFOBJECT workitem_get_parent_object(PWDF_DRIVER_GLOBALS g, WDFWORKITEM WorkItem)
{
    (void)g;
    struct fx_workitem *item = FX_LOOKUP(fx_workitem, FX_TYPE_WORKITEM, WorkItem, "WdfWorkItemGetParentObject");
    return item && item->object.parent ? item->object.parent->handle : NULL;
}
FX_EXPORT(WdfWorkItemGetParentObject, PFN_WDFWORKITEMGETPARENTOBJECT, workitem_get_parent_object);

/* Waits until the work item is neither queued nor running (including
 * requeues from its callback). IRQL PASSIVE_LEVEL. Flushing from its own
 * callback would never end: reported, returns at once. */
static void workitem_flush(PWDF_DRIVER_GLOBALS g, WDFWORKITEM WorkItem)
{
    (void)g;
    struct fx_workitem *item = FX_LOOKUP(fx_workitem, FX_TYPE_WORKITEM, WorkItem, "WdfWorkItemFlush");
    if (!item || !fx_check_irql(PASSIVE_LEVEL, "WdfWorkItemFlush"))
        return;
    if (in_own_callback(item)) {
        fx_violation("WdfWorkItemFlush", "WdfWorkItemFlush from WDFWORKITEM %p's own callback would deadlock",
                     (void *)WorkItem);
        return;
    }
    KeWaitForSingleObject(&item->idle, Executive, KernelMode, FALSE, NULL);
}
FX_EXPORT(WdfWorkItemFlush, PFN_WDFWORKITEMFLUSH, workitem_flush);
