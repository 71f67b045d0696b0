/*
 * The driver's control of a queue: the two gates (accepting new requests,
 * presenting queued ones) and what each operation does to them —
 *
 *   operation        accepts  presents  cancels queued  cancels driver's  idle when
 *   Start            yes      yes       -               -                 -
 *   Stop             yes      no        -               -                 driver owns none
 *   Drain            no       (as is)   -               -                 nothing queued or owned
 *   Purge            no       (as is)   yes             cancelable ones   nothing queued or owned
 *   StopAndPurge     yes      no        yes             cancelable ones   driver owns none
 *
 * — plus WdfIoQueueGetState and WdfIoQueueReadyNotify. The "idle when"
 * condition fires the driver's EvtIoQueueState, or wakes the synchronous
 * variant, from fx_queue_unlock.
 */
#include "fx/fx.h"
#include "fx/fxio.h"

#include <stdlib.h>

enum queue_op { OP_STOP, OP_DRAIN, OP_PURGE, OP_STOP_PURGE };

static const char *const op_names[] = { "WdfIoQueueStop", "WdfIoQueueDrain", "WdfIoQueuePurge",
                                        "WdfIoQueueStopAndPurge" };

static void op_gates_locked(struct fx_queue *queue, enum queue_op op)
{
    switch (op) {
    case OP_STOP:
    case OP_STOP_PURGE:
        queue->accepting = !queue->deleting;
        queue->dispatching = false;
        queue->purging = false;
        break;
    case OP_DRAIN:
        queue->accepting = false;
        break;
    case OP_PURGE:
        queue->accepting = false;
        queue->purging = true;
        break;
    }
}

static int op_idle_kind(enum queue_op op)
{
    return op == OP_STOP ? FX_IDLE_STOP : op == OP_STOP_PURGE ? FX_IDLE_STOP_PURGE : FX_IDLE_EMPTY;
}

/* Runs the operation; done (if any) fires when the queue gets there. */
static void queue_op(struct fx_queue *queue, enum queue_op op, PFN_WDF_IO_QUEUE_STATE done, WDFCONTEXT ctx)
{
    bool cancels = op == OP_PURGE || op == OP_STOP_PURGE;
    struct fx_request **claimed = NULL;
    size_t claimed_count = 0;
    LIST_ENTRY taken;
    KIRQL irql;

    InitializeListHead(&taken);
    fx_queue_lock(queue, &irql);
    if (done && queue->idle_fn)
        fx_violation(op_names[op], "a stop, drain or purge of queue %p is still in progress",
                     (void *)queue->object.handle);
    op_gates_locked(queue, op);
    if (cancels) {
        fx_queue_take_all_locked(queue, &taken);
        claimed = fx_queue_claim_cancelable_locked(queue, &claimed_count);
    }
    if (done) {
        queue->idle_kind = op_idle_kind(op);
        queue->idle_fn = done;
        queue->idle_ctx = ctx;
    }
    fx_queue_unlock(queue, irql);
    fx_queue_cancel_taken(queue, &taken);
    fx_queue_cancel_claimed(claimed, claimed_count);
}

static void wake(WDFQUEUE queue, WDFCONTEXT ctx)
{
    (void)queue;
    KeSetEvent(ctx, IO_NO_INCREMENT, FALSE);
}

static void queue_op_wait(WDFQUEUE handle, enum queue_op op, const char *ddi)
{
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, handle, ddi);
    KEVENT done;

    if (!queue || !fx_check_irql(PASSIVE_LEVEL, ddi))
        return;
    if (fx_queue_in_callback(queue))
        fx_violation(ddi, "called from a callback of the same queue: it waits for requests that callback holds");
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    queue_op(queue, op, wake, &done);
    KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
}

static void queue_op_async(WDFQUEUE handle, enum queue_op op, PFN_WDF_IO_QUEUE_STATE done, WDFCONTEXT ctx)
{
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, handle, op_names[op]);
    if (queue && fx_check_irql(DISPATCH_LEVEL, op_names[op]))
        queue_op(queue, op, done, ctx);
}

/* WdfIoQueueStart: the queue accepts and presents requests again.
 * IRQL <= DISPATCH_LEVEL. */
static void ddi_io_queue_start(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue)
{
    (void)g;
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, "WdfIoQueueStart");
    KIRQL irql;

    if (!queue)
        return;
    fx_queue_lock(queue, &irql);
    queue->accepting = !queue->deleting;
    queue->dispatching = true;
    queue->purging = false;
    if (queue->pending_count && queue->ready_fn)
        queue->ready_due = true;
    fx_queue_run_locked(queue, &irql);
    fx_queue_unlock(queue, irql);
}
FX_EXPORT(WdfIoQueueStart, PFN_WDFIOQUEUESTART, ddi_io_queue_start);

/* WdfIoQueueStop: stops presenting (requests keep queueing); StopComplete
 * runs once the driver owns none of the queue's requests.
 * IRQL <= DISPATCH_LEVEL. */
static void ddi_io_queue_stop(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, PFN_WDF_IO_QUEUE_STATE StopComplete,
                              WDFCONTEXT Context)
{
    (void)g;
    queue_op_async(Queue, OP_STOP, StopComplete, Context);
}
FX_EXPORT(WdfIoQueueStop, PFN_WDFIOQUEUESTOP, ddi_io_queue_stop);

/* WdfIoQueueStopSynchronously: WdfIoQueueStop, returning when the driver
 * owns none of the queue's requests. PASSIVE_LEVEL. */
static void ddi_io_queue_stop_synchronously(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue)
{
    (void)g;
    queue_op_wait(Queue, OP_STOP, "WdfIoQueueStopSynchronously");
}
FX_EXPORT(WdfIoQueueStopSynchronously, PFN_WDFIOQUEUESTOPSYNCHRONOUSLY, ddi_io_queue_stop_synchronously);

/* WdfIoQueueDrain: no new requests (they fail with
 * STATUS_INVALID_DEVICE_STATE); queued ones still go to the driver;
 * DrainComplete runs when all are done. IRQL <= DISPATCH_LEVEL. */
static void ddi_io_queue_drain(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, PFN_WDF_IO_QUEUE_STATE DrainComplete,
                               WDFCONTEXT Context)
{
    (void)g;
    queue_op_async(Queue, OP_DRAIN, DrainComplete, Context);
}
FX_EXPORT(WdfIoQueueDrain, PFN_WDFIOQUEUEDRAIN, ddi_io_queue_drain);

/* WdfIoQueueDrainSynchronously: WdfIoQueueDrain, returning when it is
 * done. PASSIVE_LEVEL. */
static void ddi_io_queue_drain_synchronously(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue)
{
    (void)g;
    queue_op_wait(Queue, OP_DRAIN, "WdfIoQueueDrainSynchronously");
}
FX_EXPORT(WdfIoQueueDrainSynchronously, PFN_WDFIOQUEUEDRAINSYNCHRONOUSLY, ddi_io_queue_drain_synchronously);

/* WdfIoQueuePurge: no new requests; queued ones are cancelled
 * (EvtIoCanceledOnQueue for requests the driver has had, else
 * STATUS_CANCELLED), and cancelable ones the driver owns get
 * EvtRequestCancel; PurgeComplete runs when nothing is left.
 * IRQL <= DISPATCH_LEVEL. */
static void ddi_io_queue_purge(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, PFN_WDF_IO_QUEUE_STATE PurgeComplete,
                               WDFCONTEXT Context)
{
    (void)g;
    queue_op_async(Queue, OP_PURGE, PurgeComplete, Context);
}
FX_EXPORT(WdfIoQueuePurge, PFN_WDFIOQUEUEPURGE, ddi_io_queue_purge);

/* WdfIoQueuePurgeSynchronously: WdfIoQueuePurge, returning when it is
 * done. PASSIVE_LEVEL. */
static void ddi_io_queue_purge_synchronously(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue)
{
    (void)g;
    queue_op_wait(Queue, OP_PURGE, "WdfIoQueuePurgeSynchronously");
}
FX_EXPORT(WdfIoQueuePurgeSynchronously, PFN_WDFIOQUEUEPURGESYNCHRONOUSLY, ddi_io_queue_purge_synchronously);

/* WdfIoQueueStopAndPurge: stops presenting but keeps accepting, cancels
 * what is queued and the driver's cancelable requests; the callback runs
 * once the driver owns none. IRQL <= DISPATCH_LEVEL. */
static void ddi_io_queue_stop_and_purge(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue,
                                        PFN_WDF_IO_QUEUE_STATE StopAndPurgeComplete, WDFCONTEXT Context)
{
    (void)g;
    queue_op_async(Queue, OP_STOP_PURGE, StopAndPurgeComplete, Context);
}
FX_EXPORT(WdfIoQueueStopAndPurge, PFN_WDFIOQUEUESTOPANDPURGE, ddi_io_queue_stop_and_purge);

/* WdfIoQueueStopAndPurgeSynchronously: the same, returning when done.
 * PASSIVE_LEVEL. */
static void ddi_io_queue_stop_and_purge_synchronously(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue)
{
    (void)g;
    queue_op_wait(Queue, OP_STOP_PURGE, "WdfIoQueueStopAndPurgeSynchronously");
}
FX_EXPORT(WdfIoQueueStopAndPurgeSynchronously, PFN_WDFIOQUEUESTOPANDPURGESYNCHRONOUSLY,
          ddi_io_queue_stop_and_purge_synchronously);

/* WdfIoQueueGetState: the WDF_IO_QUEUE_STATE bits, and how many requests
 * are queued and how many the driver owns. IRQL <= DISPATCH_LEVEL. */
static WDF_IO_QUEUE_STATE ddi_io_queue_get_state(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, PULONG QueueRequests,
                                                 PULONG DriverRequests)
{
    (void)g;
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, "WdfIoQueueGetState");
    ULONG queued = 0, owned = 0;
    int state = 0;
    KIRQL irql;

    if (queue) {
        fx_queue_lock(queue, &irql);
        queued = (ULONG)queue->pending_count + queue->cancelling;
        owned = queue->owned_count;
        state = (queue->accepting ? WdfIoQueueAcceptRequests : 0) |
                (queue->dispatching ? WdfIoQueueDispatchRequests : 0) | (queued ? 0 : WdfIoQueueNoRequests) |
                (owned ? 0 : WdfIoQueueDriverNoRequests) |
                (queue->power_managed && queue->power_held ? WdfIoQueuePnpHeld : 0);
        fx_queue_unlock(queue, irql);
    }
    if (QueueRequests)
        *QueueRequests = queued;
    if (DriverRequests)
        *DriverRequests = owned;
    return (WDF_IO_QUEUE_STATE)state;
}
FX_EXPORT(WdfIoQueueGetState, PFN_WDFIOQUEUEGETSTATE, ddi_io_queue_get_state);

/* WdfIoQueueReadyNotify: for a manual queue, QueueReady runs each time the
 * queue goes from empty to holding requests (and at once if it holds some
 * now); NULL unregisters. STATUS_SUCCESS, STATUS_INVALID_DEVICE_REQUEST
 * (not a manual queue), STATUS_INVALID_DEVICE_STATE (registered already).
 * IRQL <= DISPATCH_LEVEL. */
static NTSTATUS ddi_io_queue_ready_notify(PWDF_DRIVER_GLOBALS g, WDFQUEUE Queue, PFN_WDF_IO_QUEUE_STATE QueueReady,
                                          WDFCONTEXT Context)
{
    (void)g;
    struct fx_queue *queue = FX_LOOKUP(fx_queue, FX_TYPE_QUEUE, Queue, "WdfIoQueueReadyNotify");
    NTSTATUS status = STATUS_SUCCESS;
    KIRQL irql;

    if (!queue)
        return STATUS_INVALID_PARAMETER;
    if (queue->config.DispatchType != WdfIoQueueDispatchManual) {
        fx_violation("WdfIoQueueReadyNotify", "queue %p is not a manual queue", (void *)Queue);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    fx_queue_lock(queue, &irql);
    if (QueueReady && queue->ready_fn) {
        status = STATUS_INVALID_DEVICE_STATE;
    } else {
        queue->ready_fn = QueueReady;
        queue->ready_ctx = Context;
        queue->ready_due = QueueReady && queue->pending_count;
    }
    fx_queue_unlock(queue, irql);
    return status;
}
FX_EXPORT(WdfIoQueueReadyNotify, PFN_WDFIOQUEUEREADYNOTIFY, ddi_io_queue_ready_notify);
