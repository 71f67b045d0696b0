/*
 * The framework's I/O family: queues, requests, memory objects, lookaside
 * lists and I/O targets. Shared by src/fx/queue*.c, request*.c, memory.c,
 * lookaside.c and iotarget*.c only (and their tests); the rest of src/fx
 * talks to this family through the functions fx.h declares.
 *
 * Ownership, in one paragraph: an IRP that reaches the framework becomes a
 * struct fx_request. While it waits in a queue the framework owns it (it is
 * on queue->pending, with a cancel routine in the IRP); once presented or
 * retrieved the driver owns it (queue->owned); completing it unlinks it and
 * completes the IRP. Every state change of a queue-held request happens
 * under that queue's spin lock; the owner word of a request says who may
 * act on it and turns the driver's mistakes (completing twice, touching a
 * queued request) into verifier reports.
 */
#ifndef KMHOST_FX_FXIO_H
#define KMHOST_FX_FXIO_H

#include "fx/fx.h"

struct fx_io_target;
struct fx_lookaside;

/* --- Memory objects (memory.c) --------------------------------------------- */
enum fx_memory_kind {
    FX_MEMORY_POOL,          /* WdfMemoryCreate: the buffer is freed with the object */
    FX_MEMORY_PREALLOCATED,  /* the driver's buffer (WdfMemoryCreatePreallocated) */
    FX_MEMORY_REQUEST,       /* a request's buffer: lives as long as the request */
    FX_MEMORY_LOOKASIDE,     /* buffer returns to its lookaside list */
    FX_MEMORY_LOCKED,        /* a probed and locked user buffer: unlocked with the object */
};

struct fx_memory {
    struct fx_object object;
    void *buffer;
    size_t size;
    enum fx_memory_kind kind;
    ULONG tag;
    struct fx_lookaside *lookaside;  /* FX_MEMORY_LOOKASIDE */
    PMDL mdl;                        /* FX_MEMORY_LOCKED */
};

/* A memory object over a buffer someone else owns (kind REQUEST, LOCKED or
 * PREALLOCATED), child of parent. NULL on failure with *status set. */
struct fx_memory *fx_memory_wrap(struct fx_globals *globals, struct fx_object *parent, PWDF_OBJECT_ATTRIBUTES attributes,
                                 void *buffer, size_t size, enum fx_memory_kind kind, NTSTATUS *status);
/* The lookaside's next buffer, and giving one back (lookaside.c). */
void *fx_lookaside_take(struct fx_lookaside *lookaside);
void fx_lookaside_give(struct fx_lookaside *lookaside, void *buffer);

/* --- Queues (queue*.c) ------------------------------------------------------- */
#define FX_QUEUE_CACHE_SLOTS 4

struct fx_queue {
    struct fx_object object;
    struct fx_device *device;
    LIST_ENTRY device_link;              /* device->queues, under fx_tree_lock */
    WDF_IO_QUEUE_CONFIG config;
    ULONG max_presented;                 /* sequential 1, parallel N, manual 0 */
    bool power_managed;
    bool passive;                        /* callbacks at PASSIVE_LEVEL */
    struct fx_callback_lock *cb_lock;    /* what the scope serializes on, or NULL */
    volatile LONG lock;                  /* fx_queue_lock: a word, held for a few instructions */
    /* Under lock. */
    LIST_ENTRY pending;                  /* framework-owned, waiting */
    LIST_ENTRY owned;                    /* delivered to the driver */
    volatile LONG pending_count;         /* read unlocked on the fast path */
    ULONG owned_count;
    ULONG presented;                     /* counted against max_presented */
    ULONG cancelling;                    /* off the list, cancel routine still to finish */
    ULONG stop_waits;                    /* EvtIoStop answers a power-down waits for */
    bool accepting;                      /* in-gate: new requests are queued */
    bool dispatching;                    /* out-gate: requests are presented */
    bool power_held;                     /* power-managed and the device is not in D0 */
    bool deleting;
    bool purging;                        /* a requeued request is cancelled at once */
    bool work_queued;                    /* a deferred presentation is scheduled */
    bool ready_due;                      /* the manual queue became non-empty */
    PFN_WDF_IO_QUEUE_STATE idle_fn;      /* stop/drain/purge completion */
    WDFCONTEXT idle_ctx;
    int idle_kind;                       /* enum fx_queue_idle */
    PKEVENT empty_waiter;                /* set when nothing is queued, cancelling or owned */
    PFN_WDF_IO_QUEUE_STATE ready_fn;     /* WdfIoQueueReadyNotify */
    WDFCONTEXT ready_ctx;
    KEVENT power_event;                  /* stop_waits reached zero */
    WORK_QUEUE_ITEM work;
    /* Recycled requests (one allocation each, context included). */
    struct fx_request *_Atomic cache[FX_QUEUE_CACHE_SLOTS];
};

enum fx_queue_idle { FX_IDLE_NONE, FX_IDLE_STOP, FX_IDLE_EMPTY, FX_IDLE_STOP_PURGE };

/* The queue lock: private to the family, never held across a call out,
 * so a plain test-and-set word (yielding if its holder was preempted)
 * does what a KSPIN_LOCK would at a fraction of the cost; IRQL is left
 * alone (irql receives it for symmetry). */
void fx_queue_lock(struct fx_queue *queue, KIRQL *irql);
/* Releases the lock, then runs the notifications that became due (state
 * callbacks, ready notification, waiters). */
void fx_queue_unlock(struct fx_queue *queue, KIRQL irql);
/* Called with queue->lock held: present what can be presented now. The lock
 * is dropped around each callback. */
void fx_queue_run_locked(struct fx_queue *queue, KIRQL *irql);
/* Takes every queued request off the list (their cancel routines reclaimed
 * or already running) onto out; counted as cancelling. Lock held. */
void fx_queue_take_all_locked(struct fx_queue *queue, PLIST_ENTRY out);
/* Cancels what fx_queue_take_all_locked took. Lock not held. */
void fx_queue_cancel_taken(struct fx_queue *queue, PLIST_ENTRY taken);
/* Takes one queued request (which, or the first when NULL) off the list;
 * NULL when its cancel routine got there first. Lock held. */
struct fx_request *fx_queue_take_locked(struct fx_queue *queue, struct fx_request *which);
/* The driver owns a request taken off the list (retrieved, not presented). */
void fx_queue_own_locked(struct fx_queue *queue, struct fx_request *request);
/* The driver-owned requests of the queue marked cancelable, their cancel
 * routines taken back so that the caller runs EvtRequestCancel for each
 * (fx_request_call_cancel). *count entries, malloc'd. Lock held. */
struct fx_request **fx_queue_claim_cancelable_locked(struct fx_queue *queue, size_t *count);
void fx_queue_cancel_claimed(struct fx_request **claimed, size_t count);
/* Runs fn(ctx) from a system worker thread (PASSIVE_LEVEL). */
void fx_call_at_passive(void (*fn)(void *ctx), void *ctx);
/* Puts a request the framework owns into the queue (tail, or head for a
 * stop-acknowledged requeue) and presents. STATUS_SUCCESS, or the status
 * the caller completes it with when the queue does not accept requests. */
NTSTATUS fx_queue_insert(struct fx_queue *queue, struct fx_request *request, bool head);
/* The driver stopped owning a request from this queue (completion,
 * forwarding, send-and-forget): unlink and account. Lock not held. */
void fx_queue_release(struct fx_queue *queue, struct fx_request *request);
/* Same, lock held; returns true when a presentation may be due. */
bool fx_queue_release_locked(struct fx_queue *queue, struct fx_request *request);
/* Presents again after a release, unless the releasing thread is inside a
 * callback of this queue (the outer frame then does it). */
void fx_queue_kick(struct fx_queue *queue);
/* Calls the queue's EvtIoStop, EvtIoResume... under its callback lock. */
void fx_queue_call_stop(struct fx_queue *queue, struct fx_request *request, ULONG flags);
bool fx_queue_try_enter_callback(struct fx_queue *queue);
void fx_queue_leave_callback(struct fx_queue *queue);
/* True when the current thread runs a callback presented by queue. */
bool fx_queue_in_callback(const struct fx_queue *queue);
/* A request cancelled while queued: EvtIoCanceledOnQueue or STATUS_CANCELLED. */
void fx_queue_cancelled_request(struct fx_queue *queue, struct fx_request *request);
/* A request for the queue's cache, or NULL. */
struct fx_request *fx_queue_cache_take(struct fx_queue *queue);
bool fx_queue_cache_give(struct fx_queue *queue, struct fx_request *request);

/* --- Requests (request*.c) ----------------------------------------------------- */
enum fx_request_owner {
    FX_RQ_FREE,              /* in a cache */
    FX_RQ_QUEUED,            /* in a queue: the framework's */
    FX_RQ_DRIVER,            /* the driver's */
    FX_RQ_COMPLETED,         /* completed, object going or gone */
};

/* request->flags: the owner's (the driver's thread, or the framework's
 * before anyone else can see the request). */
enum {
    FX_RQF_FROM_QUEUE = 0x1,         /* came through a queue (forwardable, stoppable) */
    FX_RQF_CREATED = 0x10,           /* WdfRequestCreate / CreateFromIrp: deleted, not completed */
    FX_RQF_FREES_IRP = 0x20,         /* the IRP goes with the request */
    FX_RQF_FORMATTED = 0x100,        /* the next stack location is set up */
    FX_RQF_SENT = 0x200,             /* at a target; not back yet */
    FX_RQF_SENT_ONCE = 0x400,        /* completion params are meaningful */
    FX_RQF_FROM_IRP = 0x1000,        /* WdfRequestCreateFromIrp: may take a new IRP on reuse */
    FX_RQF_SEND_USED = 0x2000,       /* request->send holds something: reset and unformat it */
};

/* request->qflags: changed only under the lock of request->queue. */
enum {
    FX_RQQ_DELIVERED = 0x1,          /* the driver has had it: cancel in a queue asks EvtIoCanceledOnQueue */
    FX_RQQ_PRESENTED = 0x2,          /* counted in queue->presented */
    FX_RQQ_STOP_PENDING = 0x4,       /* EvtIoStop called, answer awaited */
    FX_RQQ_STOP_ACKED = 0x8,         /* acknowledged without requeue: EvtIoResume due */
};

/* request->cancelable */
enum { FX_CANCEL_NONE, FX_CANCEL_MARKED, FX_CANCEL_CLAIMED };

/* Per-send state, reset at each format. */
struct fx_request_send {
    struct fx_io_target *target;          /* referenced while sent */
    PFN_WDF_REQUEST_COMPLETION_ROUTINE routine;
    WDFCONTEXT context;
    WDF_REQUEST_COMPLETION_PARAMS params;
    ULONG options;
    WDF_REQUEST_TYPE type;                /* what formatting set up */
    LIST_ENTRY target_link;               /* target->sent or target->waiting (target lock) */
    int where;                            /* enum fx_send_where (target lock) */
    bool counted;                         /* in target->sent_count (a stop waits for it) */
    uint32_t seq_now;                     /* which send this is: a late timer leaves a later one alone */
    _Atomic int refs;                     /* completion + cancellers in flight */
    bool timed_out;
    bool timer_armed;
    bool synchronous;
    KEVENT *done;                         /* synchronous sender's event */
    struct fx_request_timer *timer;       /* WdfRequestAllocateTimer or the first timeout */
    /* What formatting put in the IRP, undone before the IRP goes back up. */
    struct fx_memory *memory[3];          /* referenced */
    size_t offsets[3];
    size_t lengths[3];
    PMDL built_mdl;
    void *bounce;                         /* METHOD_BUFFERED system buffer we allocated */
    void *bounce_out;                     /* ... and where its output goes */
    size_t bounce_out_length;
    bool saved;
    void *saved_system_buffer;
    PMDL saved_mdl;
    void *saved_user_buffer;
    ULONG saved_flags;
};

struct fx_request {
    struct fx_object object;
    PIRP irp;
    struct fx_device *device;
    struct fx_device *alloc_device;       /* whose request attributes sized it */
    struct fx_queue *queue;               /* the queue it is in or came from; referenced */
    LIST_ENTRY link;                      /* queue->pending or queue->owned */
    _Atomic int owner;                    /* enum fx_request_owner */
    uint32_t flags;                       /* FX_RQF_* */
    uint32_t qflags;                      /* FX_RQQ_*, under the queue lock */
    NTSTATUS status;
    ULONG_PTR information;
    PFN_WDF_REQUEST_CANCEL cancel_routine;
    _Atomic int cancelable;               /* the IRP has our cancel routine (one object ref held) */
    bool in_cancel_callback;              /* EvtRequestCancel runs */
    struct fx_memory *in_memory, *out_memory;
    PMDL in_mdl, out_mdl;                 /* built over system buffers; freed at completion */
    struct fx_request_send send;
};

static inline struct fx_request *fx_request_of_link(PLIST_ENTRY entry)
{
    return CONTAINING_RECORD(entry, struct fx_request, link);
}

/* The request a WDFREQUEST names, the driver's to use; NULL (and a report)
 * when the handle is stale or the request is completed or queued. */
struct fx_request *fx_request_lookup(WDFREQUEST handle, const char *ddi);
/* Any live request object, whatever its owner (reports only bad handles). */
struct fx_request *fx_request_lookup_any(WDFREQUEST handle, const char *ddi);
/* A fresh or recycled request object for irp, for queue (may be NULL). */
struct fx_request *fx_request_new(struct fx_device *device, struct fx_queue *queue, PIRP irp, NTSTATUS *status);
/* Completes: unlinks from its queue, finishes the IRP, recycles or deletes. */
void fx_request_finish(struct fx_request *request, NTSTATUS status, ULONG_PTR information, CCHAR boost);
/* Drops the request object after the framework let go of its IRP. */
void fx_request_dispose_object(struct fx_request *request);
/* The IRP's cancel routine while a request waits in a queue. */
DRIVER_CANCEL fx_request_queued_cancel;
/* Puts the framework's pointer to the request in / out of the IRP. */
static inline void fx_request_tag_irp(PIRP irp, struct fx_request *request)
{
    irp->Tail.Overlay.DriverContext[3] = request;
}
static inline struct fx_request *fx_request_from_tag(PIRP irp)
{
    return irp->Tail.Overlay.DriverContext[3];
}
/* WDF_REQUEST_PARAMETERS of any request object (found ones included). */
void fx_request_get_parameters(struct fx_request *request, PWDF_REQUEST_PARAMETERS parameters);
/* Releases buffers and MDLs the framework made for the request. */
void fx_request_release_buffers(struct fx_request *request);
/* Undoes what formatting did to the IRP and drops its memory references. */
void fx_request_unformat(struct fx_request *request);
/* EvtRequestCancel, under the right lock and at the right IRQL. */
void fx_request_call_cancel(struct fx_request *request);
/* Reclaims a cancel routine the driver left set; true if it was still set. */
bool fx_request_reclaim_cancel(struct fx_request *request);
/* The requests's transfer type for its major function. */
WDF_DEVICE_IO_TYPE fx_request_io_type(const struct fx_request *request);

/* --- I/O targets (iotarget*.c) ----------------------------------------------------- */
struct fx_io_target {
    struct fx_object object;
    struct fx_device *device;
    LIST_ENTRY all_link;                  /* every target, for fx_io_targets_stop_all */
    WDF_IO_TARGET_STATE state;
    bool local;                           /* the default target: the lower stack */
    bool self;
    PDEVICE_OBJECT target_device;         /* where IRPs go */
    PDEVICE_OBJECT target_pdo;
    PFILE_OBJECT file;                    /* referenced, for remote targets */
    HANDLE file_handle;
    bool owns_device_ref;
    PVOID notification;                   /* IoRegisterPlugPlayNotification entry */
    WDF_IO_TARGET_OPEN_PARAMS open;       /* for reopening; name buffer owned */
    KSPIN_LOCK lock;
    LIST_ENTRY sent;                      /* requests at the target */
    LIST_ENTRY waiting;                   /* requests held while stopped */
    ULONG sent_count;                     /* of sent that a stop waits for */
    KEVENT idle;                          /* sent_count reached zero */
};

enum fx_send_where { FX_SEND_NONE, FX_SEND_HELD, FX_SEND_SENT };

/* Sends a formatted request; false with request->status set when it could
 * not. Used by WdfRequestSend and the synchronous helpers. */
bool fx_io_target_send(struct fx_io_target *target, struct fx_request *request, PWDF_REQUEST_SEND_OPTIONS options);
/* Whether the target may take the request now, queue it, or refuses. */
enum fx_target_gate { FX_TARGET_SEND, FX_TARGET_HOLD, FX_TARGET_REFUSE };
enum fx_target_gate fx_io_target_gate(struct fx_io_target *target, ULONG options);
/* The stack size IRPs need to reach the target. */
CCHAR fx_io_target_stack_size(const struct fx_io_target *target);
/* Completion of a sent request, once the IRP is back (request_send.c). */
void fx_request_send_done(struct fx_request *request);
/* The IO_COMPLETION_ROUTINE of every sent IRP (context: the request). */
IO_COMPLETION_ROUTINE fx_request_sent_completed;
/* Takes the request off the target's lists. Target lock held. */
void fx_io_target_unlink_locked(struct fx_io_target *target, struct fx_request *request);
/* Arms the send timeout (100 ns units, negative relative); disarming
 * drops the timer's reference unless its DPC already runs. */
NTSTATUS fx_request_arm_timeout(struct fx_request *request, LONGLONG timeout);
void fx_request_disarm_timeout(struct fx_request *request);
/* The framework lets go of a request whose IRP the caller passes on
 * (send-and-forget): as completion, without completing the IRP. False
 * (reported) when the driver does not own it. */
bool fx_request_forget(struct fx_request *request, const char *ddi);
/* Clears the previous format, fits the IRP to target, and saves the IRP's
 * buffer fields for unformat. */
NTSTATUS fx_request_format_begin(struct fx_request *request, struct fx_io_target *target);
/* Cancels a sent or held request; TRUE if something was cancelled. */
bool fx_request_cancel_sent(struct fx_request *request);

/* The formatting helpers behind WdfIoTargetFormatRequestFor* and the
 * synchronous senders: a buffer as memory object, MDL or raw pointer. */
struct fx_buffer {
    struct fx_memory *memory;             /* or NULL */
    void *buffer;
    size_t length;
    PMDL mdl;
};
NTSTATUS fx_buffer_from_memory(WDFMEMORY memory, PWDFMEMORY_OFFSET offset, struct fx_buffer *out, const char *ddi);
NTSTATUS fx_buffer_from_descriptor(PWDF_MEMORY_DESCRIPTOR descriptor, struct fx_buffer *out, const char *ddi);
NTSTATUS fx_request_format_rw(struct fx_io_target *target, struct fx_request *request, UCHAR major,
                              const struct fx_buffer *buffer, PLONGLONG offset);
NTSTATUS fx_request_format_ioctl(struct fx_io_target *target, struct fx_request *request, UCHAR major, ULONG code,
                                 const struct fx_buffer *in, const struct fx_buffer *out);
NTSTATUS fx_request_format_others(struct fx_io_target *target, struct fx_request *request, ULONG code,
                                  const struct fx_buffer args[3]);
/* A request object the framework makes for itself (synchronous senders). */
struct fx_request *fx_request_create_internal(struct fx_globals *globals, struct fx_io_target *target,
                                              NTSTATUS *status);
/* Makes sure the request's IRP can reach target (driver-created requests get
 * a bigger IRP when they need one). STATUS_REQUEST_NOT_ACCEPTED otherwise. */
NTSTATUS fx_request_fit_target(struct fx_request *request, struct fx_io_target *target);

#endif /* KMHOST_FX_FXIO_H */
