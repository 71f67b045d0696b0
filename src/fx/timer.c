/*
 * WDFTIMER: a KTIMER whose DPC calls the driver's EvtTimerFunc at
 * DISPATCH_LEVEL — or, for a timer created with ExecutionLevel passive,
 * queues an I/O work item on the device that calls it at PASSIVE_LEVEL,
 * one at a time (an expiry while the previous callback still runs is
 * dropped, as in KMDF). With AutomaticSerialization the callback holds
 * the callback lock of the parent's synchronization scope.
 *
 * Stopping with Wait cancels the timer, then waits for a DPC in flight
 * (KeFlushQueuedDpcs) and for the passive work item; a WdfTimerStart made
 * while a stop is waiting is ignored (the stop then reports the timer as
 * having been queued), and one that slipped in just before the stop's
 * cancel is caught by cancelling again. Deletion stops with Wait.
 */
#include "fx/fx.h"

#include <stdlib.h>

struct fx_timer {
    struct fx_object object;
    PFN_WDF_TIMER callback;
    LONG period;                   /* ms, 0 for one-shot */
    ULONG tolerable_delay;
    bool passive;
    struct fx_callback_lock *lock; /* AutomaticSerialization, or NULL */
    KTIMER ktimer;
    KDPC dpc;
    PIO_WORKITEM work;             /* passive timers */
    KEVENT work_idle;              /* signalled while no passive callback is queued or running */
    PETHREAD _Atomic callback_thread;
    KSPIN_LOCK state_lock;         /* guards the fields below */
    bool work_pending;
    bool running_down;
    PETHREAD stop_thread;          /* a WdfTimerStop(Wait) in progress */
    bool stop_again;               /* a start raced the stop's cancel */
    bool start_aborted;            /* a start was ignored during the stop */
};

static void timer_call(struct fx_timer *timer)
{
    if (!timer->callback)
        return;
    atomic_store(&timer->callback_thread, PsGetCurrentThread());
    if (timer->lock)
        fx_callback_lock_acquire(timer->lock);
    timer->callback((WDFTIMER)timer->object.handle);
    if (timer->lock)
        fx_callback_lock_release(timer->lock);
    atomic_store(&timer->callback_thread, NULL);
}

static void timer_work(PDEVICE_OBJECT device, PVOID context)
{
    struct fx_timer *timer = context;
    KIRQL irql;

    (void)device;
    timer_call(timer);
    KeAcquireSpinLock(&timer->state_lock, &irql);
    timer->work_pending = false;
    KeSetEvent(&timer->work_idle, IO_NO_INCREMENT, FALSE);
    KeReleaseSpinLock(&timer->state_lock, irql);
    /* The reference the queueing took; the timer may go with it. */
    fx_object_unref(&timer->object);
}

static void timer_queue_work(struct fx_timer *timer)
{
    KIRQL irql;
    bool queue;

    KeAcquireSpinLock(&timer->state_lock, &irql);
    queue = !timer->work_pending;
    if (queue) {
        timer->work_pending = true;
        KeClearEvent(&timer->work_idle);
        fx_object_ref(&timer->object);
    }
    KeReleaseSpinLock(&timer->state_lock, irql);
    if (queue)
        IoQueueWorkItem(timer->work, timer_work, DelayedWorkQueue, timer);
}

static void timer_dpc(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct fx_timer *timer = context;

    (void)dpc, (void)arg1, (void)arg2;
    if (timer->passive) {
        timer_queue_work(timer);
        return;
    }
    /* A callback that deletes its timer must not free it under us. */
    fx_object_ref(&timer->object);
    timer_call(timer);
    fx_object_unref(&timer->object);
}

/* Cancels, then waits until no callback runs; again while a start that
 * was under way when the stop began re-armed the timer (later ones are
 * ignored). Returns whether it was queued. */
static BOOLEAN timer_stop_and_wait(struct fx_timer *timer)
{
    BOOLEAN was_queued = FALSE;
    KIRQL irql;

    KeAcquireSpinLock(&timer->state_lock, &irql);
    if (timer->stop_thread)
        fx_violation("WdfTimerStop", "WDFTIMER %p is stopped by two threads at once", (void *)timer->object.handle);
    timer->stop_thread = PsGetCurrentThread();
    timer->start_aborted = false;
    do {
        timer->stop_again = false;
        KeReleaseSpinLock(&timer->state_lock, irql);
        was_queued |= KeCancelTimer(&timer->ktimer);
        KeFlushQueuedDpcs();
        KeWaitForSingleObject(&timer->work_idle, Executive, KernelMode, FALSE, NULL);
        KeAcquireSpinLock(&timer->state_lock, &irql);
    } while (timer->stop_again);
    if (timer->start_aborted)
        was_queued = TRUE;
    timer->stop_thread = NULL;
    timer->stop_again = timer->start_aborted = false;
    KeReleaseSpinLock(&timer->state_lock, irql);
    return was_queued;
}

static bool in_own_callback(struct fx_timer *timer)
{
    return atomic_load(&timer->callback_thread) == PsGetCurrentThread();
}

/* Deletion runs at PASSIVE_LEVEL (cleanup_at_passive): a timer deleted
 * from its own DISPATCH_LEVEL callback is finished by a work item. */
static void timer_dispose(struct fx_object *object)
{
    struct fx_timer *timer = (struct fx_timer *)object;
    KIRQL irql;

    KeAcquireSpinLock(&timer->state_lock, &irql);
    timer->running_down = true;
    KeReleaseSpinLock(&timer->state_lock, irql);
    if (in_own_callback(timer)) {
        /* Waiting for ourselves would never end; the callback's own
         * reference keeps the timer until it returns. */
        fx_violation("WdfObjectDelete", "WDFTIMER %p deleted from its own PASSIVE_LEVEL callback",
                     (void *)object->handle);
        KeCancelTimer(&timer->ktimer);
        return;
    }
    timer_stop_and_wait(timer);
}

static void timer_destroy(struct fx_object *object)
{
    struct fx_timer *timer = (struct fx_timer *)object;
    if (timer->work)
        IoFreeWorkItem(timer->work);
}

const struct fx_type_ops fx_ops_timer = {
    .name = "WDFTIMER",
    .driver_may_delete = true,
    .cleanup_at_passive = true,
    .dispose = timer_dispose,
    .destroy = timer_destroy,
};

/* The WDF_TIMER_CONFIG checks of KMDF: the three sizes the structure has
 * had (1.7, 1.11 and current), no period above MAXLONG, no tolerable
 * delay with a high-resolution timer, no periodic passive timer. */
static NTSTATUS timer_config_check(PWDF_TIMER_CONFIG config, PWDF_OBJECT_ATTRIBUTES attributes)
{
    const char *ddi = "WdfTimerCreate";
    ULONG size = config->Size;

    if (size != sizeof(*config) && size != offsetof(WDF_TIMER_CONFIG, UseHighResolutionTimer) &&
        size != (offsetof(WDF_TIMER_CONFIG, TolerableDelay) + 7) / 8 * 8) {
        fx_violation(ddi, "WDF_TIMER_CONFIG.Size is %lu (use WDF_TIMER_CONFIG_INIT)", (unsigned long)size);
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (config->Period > MAXLONG) {
        fx_violation(ddi, "Period %lu ms is above MAXLONG", (unsigned long)config->Period);
        return STATUS_INVALID_PARAMETER;
    }
    if (size == sizeof(*config) && config->UseHighResolutionTimer && config->TolerableDelay) {
        fx_violation(ddi, "a high-resolution timer must have TolerableDelay 0");
        return STATUS_INVALID_PARAMETER;
    }
    if (config->Period && attributes && attributes->ExecutionLevel == WdfExecutionLevelPassive) {
        fx_violation(ddi, "a passive-level timer cannot be periodic (restart it from its callback)");
        return STATUS_NOT_SUPPORTED;
    }
    return fx_attributes_check_levels(attributes, true, ddi);
}

static NTSTATUS timer_init(struct fx_timer *timer, PWDF_TIMER_CONFIG config, bool passive,
                           struct fx_callback_lock *lock)
{
    timer->callback = config->EvtTimerFunc;
    timer->period = (LONG)config->Period;
    timer->tolerable_delay = config->Size > offsetof(WDF_TIMER_CONFIG, TolerableDelay) ? config->TolerableDelay : 0;
    timer->passive = passive;
    timer->lock = lock;
    KeInitializeSpinLock(&timer->state_lock);
    KeInitializeEvent(&timer->work_idle, NotificationEvent, TRUE);
    KeInitializeTimerEx(&timer->ktimer, NotificationTimer);
    KeInitializeDpc(&timer->dpc, timer_dpc, timer);
    if (!passive)
        return STATUS_SUCCESS;
    struct fx_device *device = (struct fx_device *)fx_object_ancestor(&timer->object, FX_TYPE_DEVICE);
    timer->work = IoAllocateWorkItem(device->wdm_device);
    return timer->work ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

/* Creates a timer under a device (or one of its descendants), which
 * deletes it. Attributes->ExecutionLevel passive makes its callback run at
 * PASSIVE_LEVEL from a work item. IRQL <= DISPATCH_LEVEL. STATUS_SUCCESS,
 * STATUS_WDF_PARENT_NOT_SPECIFIED, STATUS_INVALID_DEVICE_REQUEST (no device
 * above the parent), STATUS_INFO_LENGTH_MISMATCH,
 * STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL (AutomaticSerialization with a
 * scope lock of the other level), STATUS_NOT_SUPPORTED (periodic passive
 * timer), STATUS_INVALID_PARAMETER, STATUS_INSUFFICIENT_RESOURCES. */
static NTSTATUS timer_object_create(PWDF_DRIVER_GLOBALS g, PWDF_TIMER_CONFIG Config, PWDF_OBJECT_ATTRIBUTES Attributes,
                             WDFTIMER *Timer)
{
    struct fx_callback_lock *lock = NULL;
    struct fx_object *parent;
    NTSTATUS status;

    if (!Config || !Timer) {
        fx_violation("WdfTimerCreate", "Config and Timer are required");
        return STATUS_INVALID_PARAMETER;
    }
    *Timer = NULL;
    if (!NT_SUCCESS(status = fx_deferred_parent(Attributes, "WdfTimerCreate", &parent)) ||
        !NT_SUCCESS(status = timer_config_check(Config, Attributes)))
        return status;
    bool passive = Attributes->ExecutionLevel == WdfExecutionLevelPassive;
    if (Config->AutomaticSerialization && !NT_SUCCESS(status = fx_deferred_lock(parent, passive, "WdfTimerCreate",
                                                                                 &lock)))
        return status;
    struct fx_timer *timer = fx_object_new(fx_globals_of(g), FX_TYPE_TIMER, sizeof(*timer), Attributes, NULL,
                                           &status);
    if (!timer)
        return status;
    if (!NT_SUCCESS(status = timer_init(timer, Config, passive, lock))) {
        fx_object_delete(&timer->object);
        return status;
    }
    *Timer = (WDFTIMER)timer->object.handle;
    return STATUS_SUCCESS;
}
FX_EXPORT(WdfTimerCreate, PFN_WDFTIMERCREATE, timer_object_create);

/* Starts (or restarts) the timer: DueTime in 100 ns units, negative for
 * relative (WDF_REL_TIMEOUT_IN_MS), positive for absolute system time;
 * then every Period ms if periodic. IRQL <= DISPATCH_LEVEL. Returns TRUE
 * if the timer was already queued (it is restarted). Ignored (FALSE) while
 * a WdfTimerStop(Wait) runs, and reported on a timer being deleted. */
static BOOLEAN timer_start(PWDF_DRIVER_GLOBALS g, WDFTIMER Timer, LONGLONG DueTime)
{
    (void)g;
    struct fx_timer *timer = FX_LOOKUP(fx_timer, FX_TYPE_TIMER, Timer, "WdfTimerStart");
    KIRQL irql;
    bool start = false;

    if (!timer || !fx_check_irql(DISPATCH_LEVEL, "WdfTimerStart"))
        return FALSE;
    KeAcquireSpinLock(&timer->state_lock, &irql);
    if (timer->running_down)
        fx_violation("WdfTimerStart", "WDFTIMER %p is being deleted", (void *)Timer);
    else if (timer->stop_thread)
        timer->start_aborted = true;
    else
        start = true;
    KeReleaseSpinLock(&timer->state_lock, irql);
    if (!start)
        return FALSE;
    LARGE_INTEGER due = { .QuadPart = DueTime };
    BOOLEAN was_queued = KeSetCoalescableTimer(&timer->ktimer, due, (ULONG)timer->period, timer->tolerable_delay,
                                               &timer->dpc);
    KeAcquireSpinLock(&timer->state_lock, &irql);
    if (timer->stop_thread)
        timer->stop_again = true;
    KeReleaseSpinLock(&timer->state_lock, irql);
    return was_queued;
}
FX_EXPORT(WdfTimerStart, PFN_WDFTIMERSTART, timer_start);

/* Stops the timer; with Wait, also waits for a callback in progress (or
 * queued) to return. IRQL PASSIVE_LEVEL with Wait, else <= DISPATCH_LEVEL.
 * Returns TRUE if the timer was queued. Waiting from the timer's own
 * callback would never end: reported, FALSE. */
static BOOLEAN timer_stop(PWDF_DRIVER_GLOBALS g, WDFTIMER Timer, BOOLEAN Wait)
{
    (void)g;
    struct fx_timer *timer = FX_LOOKUP(fx_timer, FX_TYPE_TIMER, Timer, "WdfTimerStop");

    if (!timer || !fx_check_irql(Wait ? PASSIVE_LEVEL : DISPATCH_LEVEL, "WdfTimerStop"))
        return FALSE;
    if (!Wait)
        return KeCancelTimer(&timer->ktimer);
    if (in_own_callback(timer)) {
        fx_violation("WdfTimerStop", "WdfTimerStop(Wait = TRUE) from WDFTIMER %p's own callback would deadlock",
                     (void *)Timer);
        return FALSE;
    }
    return timer_stop_and_wait(timer);
}
FX_EXPORT(WdfTimerStop, PFN_WDFTIMERSTOP, timer_stop);

/* The parent given at creation. IRQL <= DISPATCH_LEVEL. */
static WDFOBJECT timer_get_parent_object(PWDF_DRIVER_GLOBALS g, WDFTIMER Timer)
{
    (void)g;
    struct fx_timer *timer = FX_LOOKUP(fx_timer, FX_TYPE_TIMER, Timer, "WdfTimerGetParentObject");
    return timer && timer->object.parent ? timer->object.parent->handle : NULL;
}
FX_EXPORT(WdfTimerGetParentObject, PFN_WDFTIMERGETPARENTOBJECT, timer_get_parent_object);
