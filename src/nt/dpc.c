/*
 * Deferred procedure calls. As on Windows there is one DPC queue per
 * processor, each drained by its own thread (role "dpc") at
 * DISPATCH_LEVEL: DPCs for different processors run in parallel, so a
 * driver's DPC races with its other DPCs as it would on Windows (and
 * ThreadSanitizer can see it), while one queue runs its DPCs one at a
 * time, in order. A DPC goes to the queue of its target processor
 * (KeSetTargetProcessorDpc) or of the processor the inserter runs on;
 * high importance DPCs go to the front. Threaded DPCs run at
 * PASSIVE_LEVEL, as Windows runs them when threaded DPCs are enabled.
 *
 * KDPC.DpcData points at the queue while the DPC is queued; it is set and
 * cleared only under that queue's lock, which makes "already queued" and
 * removal exact.
 */
#include "nt/kernel.h"

struct dpc_queue {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    LIST_ENTRY list;
    bool exit;
    bool running;           /* a DPC routine from this queue is running */
    bool thread_started;
    pthread_t thread;
    ULONG number;
};

static struct dpc_queue queues[64];
static ULONG queue_count;
static pthread_once_t queues_once = PTHREAD_ONCE_INIT;

static void init_queues(void)
{
    queue_count = nt_processor_count();
    if (queue_count > KMH_ARRAY_SIZE(queues))
        queue_count = KMH_ARRAY_SIZE(queues);
    for (ULONG i = 0; i < queue_count; i++) {
        pthread_mutex_init(&queues[i].lock, NULL);
        pthread_cond_init(&queues[i].cond, NULL);
        InitializeListHead(&queues[i].list);
        queues[i].number = i;
    }
}

static struct dpc_queue *queue_for(PRKDPC dpc)
{
    USHORT number = __atomic_load_n(&dpc->Number, __ATOMIC_RELAXED);
    ULONG processor = number & NT_DPC_TARGETED ? (ULONG)(number & 0xff) : nt_current_processor();
    return &queues[processor % queue_count];
}

static void run_one(PRKDPC dpc, PKDEFERRED_ROUTINE routine, PVOID context, PVOID arg1, PVOID arg2,
                    KIRQL irql)
{
    nt_irql = irql;
    routine(dpc, context, arg1, arg2);
    nt_thread_check_return("DPC", (void *)routine, irql);
    nt_irql = PASSIVE_LEVEL;
}

static void *dpc_thread(void *arg)
{
    struct dpc_queue *queue = arg;

    nt_tls.processor = (int)queue->number + 1;
    pthread_mutex_lock(&queue->lock);
    for (;;) {
        while (IsListEmpty(&queue->list) && !queue->exit)
            pthread_cond_wait(&queue->cond, &queue->lock);
        if (IsListEmpty(&queue->list))
            break;
        PRKDPC dpc = kmh_container_of(RemoveHeadList(&queue->list), KDPC, DpcListEntry);
        PKDEFERRED_ROUTINE routine = dpc->DeferredRoutine;
        PVOID context = dpc->DeferredContext, arg1 = dpc->SystemArgument1, arg2 = dpc->SystemArgument2;
        KIRQL irql = dpc->Type == NT_THREADED_DPC_OBJECT ? PASSIVE_LEVEL : DISPATCH_LEVEL;
        /* Dequeued before it runs: the routine may queue it again. */
        __atomic_store_n(&dpc->DpcData, NULL, __ATOMIC_RELEASE);
        queue->running = true;
        pthread_mutex_unlock(&queue->lock);
        run_one(dpc, routine, context, arg1, arg2, irql);
        pthread_mutex_lock(&queue->lock);
        queue->running = false;
    }
    pthread_mutex_unlock(&queue->lock);
    return NULL;
}

int nt_dpc_start(void)
{
    pthread_once(&queues_once, init_queues);
    for (ULONG i = 0; i < queue_count; i++) {
        struct dpc_queue *queue = &queues[i];
        pthread_mutex_lock(&queue->lock);
        queue->exit = false;
        pthread_mutex_unlock(&queue->lock);
        int err = nt_thread_spawn(&queue->thread, "dpc", dpc_thread, queue);
        if (err) {
            nt_dpc_stop();
            return err;
        }
        queue->thread_started = true;
    }
    return 0;
}

void nt_dpc_stop(void)
{
    for (ULONG i = 0; i < queue_count; i++) {
        struct dpc_queue *queue = &queues[i];
        if (!queue->thread_started)
            continue;
        pthread_mutex_lock(&queue->lock);
        queue->exit = true;
        pthread_cond_signal(&queue->cond);
        pthread_mutex_unlock(&queue->lock);
        pthread_join(queue->thread, NULL);
        queue->thread_started = false;
    }
}

bool nt_dpc_is_idle(void)
{
    bool idle = true;

    pthread_once(&queues_once, init_queues);
    for (ULONG i = 0; i < queue_count && idle; i++) {
        pthread_mutex_lock(&queues[i].lock);
        idle = IsListEmpty(&queues[i].list) && !queues[i].running;
        pthread_mutex_unlock(&queues[i].lock);
    }
    return idle;
}

static void init_dpc(PRKDPC dpc, UCHAR type, PKDEFERRED_ROUTINE routine, PVOID context)
{
    dpc->Type = type;
    dpc->Importance = MediumImportance;
    dpc->Number = 0;
    dpc->DpcListEntry.Flink = dpc->DpcListEntry.Blink = NULL;
    dpc->DeferredRoutine = routine;
    dpc->DeferredContext = context;
    dpc->SystemArgument1 = dpc->SystemArgument2 = NULL;
    dpc->DpcData = NULL;
}

/* Initializes a DPC that runs DeferredRoutine(Dpc, DeferredContext, ...)
 * at DISPATCH_LEVEL. Any IRQL. */
KMH_EXPORT void KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    init_dpc(Dpc, NT_DPC_OBJECT, DeferredRoutine, DeferredContext);
}

/* Initializes a threaded DPC: it runs at PASSIVE_LEVEL on the DPC thread.
 * IRQL PASSIVE_LEVEL. */
KMH_EXPORT void KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                                        PVOID DeferredContext)
{
    init_dpc(Dpc, NT_THREADED_DPC_OBJECT, DeferredRoutine, DeferredContext);
}

/* Queues Dpc with the two arguments its routine receives. Any IRQL.
 * Returns TRUE, or FALSE (arguments unchanged) if it is already queued. */
KMH_EXPORT BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    pthread_once(&queues_once, init_queues);
    nt_runtime_ensure();
    struct dpc_queue *queue = queue_for(Dpc);
    PVOID expected = NULL;

    pthread_mutex_lock(&queue->lock);
    if (!__atomic_compare_exchange_n(&Dpc->DpcData, &expected, queue, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        pthread_mutex_unlock(&queue->lock);
        return FALSE;
    }
    Dpc->SystemArgument1 = SystemArgument1;
    Dpc->SystemArgument2 = SystemArgument2;
    if (Dpc->Importance == HighImportance)
        InsertHeadList(&queue->list, &Dpc->DpcListEntry);
    else
        InsertTailList(&queue->list, &Dpc->DpcListEntry);
    pthread_cond_signal(&queue->cond);
    pthread_mutex_unlock(&queue->lock);
    return TRUE;
}

/* Takes Dpc off its queue if it is still waiting there. Any IRQL. Returns
 * TRUE if it was queued (its routine will not run for that insertion). */
KMH_EXPORT BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
    struct dpc_queue *queue = __atomic_load_n(&Dpc->DpcData, __ATOMIC_ACQUIRE);
    BOOLEAN removed = FALSE;

    if (!queue)
        return FALSE;
    pthread_mutex_lock(&queue->lock);
    if (__atomic_load_n(&Dpc->DpcData, __ATOMIC_ACQUIRE) == queue) {
        RemoveEntryList(&Dpc->DpcListEntry);
        __atomic_store_n(&Dpc->DpcData, NULL, __ATOMIC_RELEASE);
        removed = TRUE;
    }
    pthread_mutex_unlock(&queue->lock);
    return removed;
}

/* Sets where KeInsertQueueDpc puts Dpc: HighImportance at the front of
 * its queue, others at the back. Any IRQL. */
KMH_EXPORT void KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
    Dpc->Importance = (UCHAR)Importance;
}

/* Sends Dpc to processor Number's queue from its next insertion. Any IRQL. */
KMH_EXPORT void KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number)
{
    __atomic_store_n(&Dpc->Number, (USHORT)(NT_DPC_TARGETED | (UCHAR)Number), __ATOMIC_RELAXED);
}

struct flush_marker {
    KDPC dpc;
    KEVENT done;
};

static void flush_marker_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    (void)dpc, (void)arg1, (void)arg2;
    KeSetEvent(context, IO_NO_INCREMENT, FALSE);
}

/* A marker DPC queued behind everything already in each queue has run
 * when everything before it has. */
void nt_dpc_flush(void)
{
    struct flush_marker markers[64];

    pthread_once(&queues_once, init_queues);
    for (ULONG i = 0; i < queue_count; i++) {
        KeInitializeEvent(&markers[i].done, NotificationEvent, FALSE);
        KeInitializeDpc(&markers[i].dpc, flush_marker_routine, &markers[i].done);
        KeSetTargetProcessorDpc(&markers[i].dpc, (CCHAR)i);
        KeInsertQueueDpc(&markers[i].dpc, NULL, NULL);
    }
    for (ULONG i = 0; i < queue_count; i++)
        KeWaitForSingleObject(&markers[i].done, Executive, KernelMode, FALSE, NULL);
}

/* Returns once every DPC queued before the call has run. IRQL PASSIVE_LEVEL
 * (waiting for DPCs from a DPC would never end). */
KMH_EXPORT void KeFlushQueuedDpcs(void)
{
    if (nt_irql > PASSIVE_LEVEL) {
        nt_irql_report_above(PASSIVE_LEVEL, "KeFlushQueuedDpcs", __builtin_return_address(0));
        return;
    }
    if (nt_tls.processor) {
        vf_report(VF_IRQL, "KeFlushQueuedDpcs", __builtin_return_address(0),
                  "called from a (threaded) DPC, which would wait for itself");
        return;
    }
    nt_dpc_flush();
}
