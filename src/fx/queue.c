/*
 * WDFQUEUE objects: creation with KMDF's rules (dispatch type, power
 * management default, handlers, the device's default queue), the queue
 * lock and the notifications that fire when it is released, the callback
 * lock a queue's synchronization scope implies, and the per-queue cache
 * of request objects that keeps the I/O path free of allocations.
 *
 * Presentation lives in queue_present.c, the driver's queue operations in
 * queue_ops.c, retrieval and forwarding in queue_retrieve.c, power in
 * queue_power.c.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#include <sched.h>
#include <stdlib.h>

/* Caching hides use-after-free from AddressSanitizer, as in io/irp.c. */
#if defined(__SANITIZE_ADDRESS__)
#define QUEUE_CACHE_ENABLED 0
#else
#define QUEUE_CACHE_ENABLED 1
#endif

/* --- The request cache -------------------------------------------------------
 * A handful of slots taken and filled with atomic exchanges: no lock, no
 * ABA (a slot is only ever swapped whole). */
struct fx_request *fx_queue_cache_take(struct fx_queue *queue)
{
    for (int i = 0; i < FX_QUEUE_CACHE_SLOTS; i++) {
        if (!atomic_load_explicit(&queue->cache[i], memory_order_relaxed))
            continue;
        struct fx_request *request = atomic_exchange_explicit(&queue->cache[i], NULL, memory_order_acquire);
        if (request)
            return request;
    }
    return NULL;
}

bool fx_queue_cache_give(struct fx_queue *queue, struct fx_request *request)
{
    if (!QUEUE_CACHE_ENABLED || __atomic_load_n(&queue->deleting, __ATOMIC_ACQUIRE))
        return false;
    for (int i = 0; i < FX_QUEUE_CACHE_SLOTS; i++) {
        struct fx_request *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(&queue->cache[i], &expected, request, memory_order_release,
                                                    memory_order_relaxed))
            return true;
    }
    return false;
}

static void queue_cache_drain(struct fx_queue *queue)
{
    struct fx_request *request;
    while ((request = fx_queue_cache_take(queue)))
        fx_request_dispose_object(request);
}

/* --- Deferred calls ------------------------------------------------------------ */
struct passive_call {
    WORK_QUEUE_ITEM item;
    void (*fn)(void *ctx);
    void *ctx;
};

static void passive_call_run(PVOID parameter)
{
    struct passive_call *call = parameter;
    call->fn(call->ctx);
    free(call);
}

void fx_call_at_passive(void (*fn)(void *ctx), void *ctx)
{
    struct passive_call *call = malloc(sizeof(*call));
    if (!call) {
        /* Out of memory: late is better than never, and the caller's IRQL
         * rule is the lesser evil. */
        fn(ctx);
        return;
    }
    call->fn = fn;
    call->ctx = ctx;
    ExInitializeWorkItem(&call->item, passive_call_run, call);
    ExQueueWorkItem(&call->item, DelayedWorkQueue);
}

/* --- The queue lock and its notifications ---------------------------------------- */
void fx_queue_lock(struct fx_queue *queue, KIRQL *irql)
{
    unsigned spins = 0;

    *irql = 0;
    while (kmh_unlikely(__atomic_exchange_n(&queue->lock, 1, __ATOMIC_ACQUIRE))) {
        while (__atomic_load_n(&queue->lock, __ATOMIC_RELAXED)) {
            if (++spins < 128)
                __builtin_ia32_pause();
            else
                sched_yield();
        }
    }
}

static void queue_lock_release(struct fx_queue *queue)
{
    __atomic_store_n(&queue->lock, 0, __ATOMIC_RELEASE);
}

static bool idle_reached(const struct fx_queue *queue)
{
    switch (queue->idle_kind) {
    case FX_IDLE_STOP:
        return queue->owned_count == 0;
    case FX_IDLE_STOP_PURGE:
        return queue->owned_count == 0 && queue->cancelling == 0;
    case FX_IDLE_EMPTY:
        return queue->owned_count == 0 && queue->cancelling == 0 && queue->pending_count == 0;
    default:
        return false;
    }
}

struct queue_notices {
    PFN_WDF_IO_QUEUE_STATE idle_fn, ready_fn;
    WDFCONTEXT idle_ctx, ready_ctx;
    PKEVENT empty;
};

static void notices_take_locked(struct fx_queue *queue, struct queue_notices *n)
{
    memset(n, 0, sizeof(*n));
    if (queue->idle_kind != FX_IDLE_NONE && idle_reached(queue)) {
        n->idle_fn = queue->idle_fn;
        n->idle_ctx = queue->idle_ctx;
        queue->idle_kind = FX_IDLE_NONE;
        queue->idle_fn = NULL;
    }
    if (queue->ready_due) {
        queue->ready_due = false;
        if (queue->pending_count && queue->dispatching && !(queue->power_managed && queue->power_held)) {
            n->ready_fn = queue->ready_fn;
            n->ready_ctx = queue->ready_ctx;
        }
    }
    if (queue->empty_waiter && !queue->owned_count && !queue->pending_count && !queue->cancelling) {
        n->empty = queue->empty_waiter;
        queue->empty_waiter = NULL;
    }
}

/* EvtIoQueueState and the ready notification run under the queue's
 * callback lock, like its other callbacks. */
static void call_state_callback(struct fx_queue *queue, PFN_WDF_IO_QUEUE_STATE fn, WDFCONTEXT ctx)
{
    bool locked = fx_queue_try_enter_callback(queue);
    fn((WDFQUEUE)queue->object.handle, ctx);
    if (locked)
        fx_queue_leave_callback(queue);
}

void fx_queue_unlock(struct fx_queue *queue, KIRQL irql)
{
    struct queue_notices n;

    (void)irql;
    if (kmh_likely(queue->idle_kind == FX_IDLE_NONE && !queue->ready_due && !queue->empty_waiter)) {
        queue_lock_release(queue);
        return;
    }
    notices_take_locked(queue, &n);
    queue_lock_release(queue);
    if (n.empty)
        KeSetEvent(n.empty, IO_NO_INCREMENT, FALSE);
    if (n.idle_fn)
        call_state_callback(queue, n.idle_fn, n.idle_ctx);
    if (n.ready_fn)
        call_state_callback(queue, n.ready_fn, n.ready_ctx);
}

/* --- Callback locks --------------------------------------------------------------
 * A callback the framework makes while the current thread already holds
 * the scope's lock (the driver called a DDI from inside a callback) runs
 * under the hold it has: taking it again would deadlock. */
bool fx_queue_try_enter_callback(struct fx_queue *queue)
{
    struct fx_callback_lock *lock = queue->cb_lock;
    if (!lock || __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == PsGetCurrentThread())
        return false;
    fx_callback_lock_acquire(lock);
    return true;
}

void fx_queue_leave_callback(struct fx_queue *queue)
{
    fx_callback_lock_release(queue->cb_lock);
}

void fx_queue_call_stop(struct fx_queue *queue, struct fx_request *request, ULONG flags)
{
    bool locked = fx_queue_try_enter_callback(queue);
    queue->config.EvtIoStop((WDFQUEUE)queue->object.handle, (WDFREQUEST)request->object.handle, flags);
    if (locked)
        fx_queue_leave_callback(queue);
}

/* --- The object --------------------------------------------------------------------- */
static void queue_unlink_from_device(struct fx_queue *queue)
{
    struct fx_device *device = queue->device;

    pthread_mutex_lock(&fx_tree_lock);
    RemoveEntryList(&queue->device_link);
    InitializeListHead(&queue->device_link);
    if (device->default_queue == queue)
        device->default_queue = NULL;
    for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        if (device->dispatch_queues[i] == queue)
            device->dispatch_queues[i] = NULL;
    pthread_mutex_unlock(&fx_tree_lock);
}

/* Deletion: nothing new gets in, what waits is cancelled; requests the
 * driver owns keep the object alive (each holds a reference) until done. */
static void queue_dispose(struct fx_object *object)
{
    struct fx_queue *queue = (struct fx_queue *)object;
    LIST_ENTRY taken;
    KIRQL irql;

    queue_unlink_from_device(queue);
    fx_queue_lock(queue, &irql);
    __atomic_store_n(&queue->deleting, true, __ATOMIC_RELEASE);
    queue->accepting = false;
    queue->ready_fn = NULL;
    fx_queue_take_all_locked(queue, &taken);
    fx_queue_unlock(queue, irql);
    fx_queue_cancel_taken(queue, &taken);
    queue_cache_drain(queue);
}

static void queue_destroy(struct fx_object *object)
{
    struct fx_queue *queue = (struct fx_queue *)object;
    queue_cache_drain(queue);
    if (queue->object.own_lock) {
        fx_callback_lock_free(queue->object.own_lock);
        queue->object.own_lock = NULL;
    }
}

const struct fx_type_ops fx_ops_queue = {
    .name = "WDFQUEUE",
    .driver_may_delete = true,
    .cleanup_at_passive = true,
    .dispose = queue_dispose,
    .destroy = queue_destroy,
};

/* --- WdfIoQueueCreate ------------------------------------------------------------------ */
static bool config_has_handler(const WDF_IO_QUEUE_CONFIG *c)
{
    return c->EvtIoDefault || c->EvtIoRead || c->EvtIoWrite || c->EvtIoDeviceControl || c->EvtIoInternalDeviceControl;
}

static NTSTATUS config_check(struct fx_device *device, PWDF_IO_QUEUE_CONFIG config)
{
    if (!config)
        return STATUS_INVALID_PARAMETER;
    if (config->Size != sizeof(WDF_IO_QUEUE_CONFIG)) {
        fx_violation("WdfIoQueueCreate", "WDF_IO_QUEUE_CONFIG.Size is %u (use WDF_IO_QUEUE_CONFIG_INIT)",
                     (unsigned)config->Size);
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (config->DispatchType <= WdfIoQueueDispatchInvalid || config->DispatchType >= WdfIoQueueDispatchMax) {
        fx_violation("WdfIoQueueCreate", "DispatchType %d is not a dispatch type", (int)config->DispatchType);
        return STATUS_INVALID_PARAMETER;
    }
    if (config->DispatchType != WdfIoQueueDispatchManual && !config_has_handler(config))
        return STATUS_WDF_NO_CALLBACK;
    if (config->PowerManaged == WdfTrue && device->kind == FX_DEVICE_CONTROL) {
        fx_violation("WdfIoQueueCreate", "a control device's queues cannot be power-managed");
        return STATUS_INVALID_PARAMETER;
    }
    if (config->DefaultQueue && device->default_queue)
        return STATUS_UNSUCCESSFUL;
    return STATUS_SUCCESS;
}

/* WdfUseDefault: power-managed unless the driver is a filter (or the
 * device has no power to manage). */
static bool resolve_power_managed(const struct fx_device *device, WDF_TRI_STATE setting)
{
    if (setting == WdfTrue)
        return true;
    if (setting == WdfFalse)
        return false;
    return device->kind != FX_DEVICE_FILTER && device->kind != FX_DEVICE_CONTROL;
}

static ULONG resolve_max_presented(const WDF_IO_QUEUE_CONFIG *config)
{
    switch (config->DispatchType) {
    case WdfIoQueueDispatchSequential:
        return 1;
    case WdfIoQueueDispatchParallel:
        /* 0 from a config built by hand means what -1 means. */
        return config->Settings.Parallel.NumberOfPresentedRequests ? config->Settings.Parallel.NumberOfPresentedRequests
                                                                   : (ULONG)-1;
    default:
        return 0;
    }
}

static NTSTATUS queue_init_locks(struct fx_queue *queue)
{
    queue->passive = queue->object.execution_level == WdfExecutionLevelPassive;
    if (queue->object.sync_scope == WdfSynchronizationScopeQueue) {
        queue->object.own_lock = fx_callback_lock_new(queue->passive);
        if (!queue->object.own_lock)
            return STATUS_INSUFFICIENT_RESOURCES;
    }
    queue->cb_lock = fx_object_callback_lock(&queue->object);
    return STATUS_SUCCESS;
}

static void queue_init(struct fx_queue *queue, struct fx_device *device, PWDF_IO_QUEUE_CONFIG config)
{
    queue->device = device;
    queue->config = *config;
    queue->max_presented = resolve_max_presented(config);
    queue->power_managed = resolve_power_managed(device, config->PowerManaged);
    queue->lock = 0;
    InitializeListHead(&queue->pending);
    InitializeListHead(&queue->owned);
    InitializeListHead(&queue->device_link);
    KeInitializeEvent(&queue->power_event, NotificationEvent, TRUE);
    queue->accepting = true;
    queue->dispatching = true;
    queue->power_held = queue->power_managed && !device->in_d0;
}

static void queue_link_to_device(struct fx_queue *queue, bool is_default)
{
    struct fx_device *device = queue->device;
    pthread_mutex_lock(&fx_tree_lock);
    InsertTailList(&device->queues, &queue->device_link);
    if (is_default)
        device->default_queue = queue;
    pthread_mutex_unlock(&fx_tree_lock);
}

/* WdfIoQueueCreate: a queue of the device (its parent unless the
 * attributes name another object under the device), the device's default
 * queue when Config->DefaultQueue. STATUS_INFO_LENGTH_MISMATCH,
 * STATUS_INVALID_PARAMETER, STATUS_WDF_NO_CALLBACK (no handler on a queue
 * that presents), STATUS_UNSUCCESSFUL (a second default queue),
 * STATUS_INSUFFICIENT_RESOURCES. IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_io_queue_create(PWDF_DRIVER_GLOBALS g, WDFDEVICE Device, PWDF_IO_QUEUE_CONFIG Config,
                                    PWDF_OBJECT_ATTRIBUTES QueueAttributes, WDFQUEUE *Queue)
{
    struct fx_globals *globals = fx_globals_of(g);
    NTSTATUS status;

    if (Queue)
        *Queue = NULL;
    struct fx_device *device = FX_LOOKUP(fx_device, FX_TYPE_DEVICE, Device, "WdfIoQueueCreate");
    if (!device)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(status = config_check(device, Config)))
        return status;
    struct fx_queue *queue = fx_object_new(globals, FX_TYPE_QUEUE, sizeof(*queue), QueueAttributes,
                                           &device->object, &status);
    if (!queue)
        return status;
    if (fx_object_ancestor(queue->object.parent, FX_TYPE_DEVICE) != &device->object) {
        fx_violation("WdfIoQueueCreate", "the queue's parent must be the device or an object under it");
        fx_object_delete(&queue->object);
        return STATUS_INVALID_PARAMETER;
    }
    queue_init(queue, device, Config);
    if (!NT_SUCCESS(status = queue_init_locks(queue))) {
        fx_object_delete(&queue->object);
        return status;
    }
    queue_link_to_device(queue, Config->DefaultQueue);
    if (Queue)
        *Queue = (WDFQUEUE)queue->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfIoQueueCreate, PFN_WDFIOQUEUECREATE, ddi_io_queue_create);

/* WdfIoQueueGetDevice: the queue's device, or NULL for a bad handle. Any IRQL. */
static WDFDEVICE ddi_io_queue_get_device(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue)
{
    (void)g;
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, "WdfIoQueueGetDevice");
    return queue ? (WDFDEVICE)queue->device->object.handle : NULL;
}
FX_EXPORT(WdfIoQueueGetDevice, PFN_WDFIOQUEUEGETDEVICE, ddi_io_queue_get_device);
