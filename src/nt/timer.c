/*
 * Timers: waitable objects that signal at a due time, optionally every
 * Period milliseconds, and queue their DPC when they do. One timer thread
 * (role "timer") keeps the pending timers on a list sorted by due time
 * (insertion walks from the back, where new timers usually go; O(n) is
 * plenty for a driver's handful of timers) and sleeps until the first one
 * is due. KTIMER.TimerListEntry.Flink is NULL while a timer is not queued.
 *
 * Expiry happens under the timer lock, so once KeCancelTimer (which takes
 * it) returns, the timer thread no longer touches the timer or its DPC.
 */
#include "nt/kernel.h"

#define TICKS_PER_MS 10000ull

static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cond;
static LIST_ENTRY timer_list = { &timer_list, &timer_list };
static bool timer_exit, timer_started;
static pthread_t timer_thread_id;
static pthread_once_t timer_once = PTHREAD_ONCE_INIT;

static void init_timer_cond(void)
{
    pthread_condattr_t attr;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&timer_cond, &attr);
    pthread_condattr_destroy(&attr);
}

static bool is_queued(PKTIMER timer)
{
    return timer->TimerListEntry.Flink != NULL;
}

static void dequeue(PKTIMER timer)
{
    RemoveEntryList(&timer->TimerListEntry);
    timer->TimerListEntry.Flink = timer->TimerListEntry.Blink = NULL;
}

/* Timer lock held; after every timer due no later, so equal due times
 * expire in the order they were set. */
static void enqueue(PKTIMER timer)
{
    LIST_ENTRY *at = timer_list.Blink;

    while (at != &timer_list &&
           kmh_container_of(at, KTIMER, TimerListEntry)->DueTime.QuadPart > timer->DueTime.QuadPart)
        at = at->Blink;
    InsertHeadList(at, &timer->TimerListEntry);
    if (timer_list.Flink == &timer->TimerListEntry)
        pthread_cond_signal(&timer_cond);
}

/* Timer lock held. The timer is signalled before its DPC is queued, as on
 * Windows: once the DPC is queued it may run and free the timer (drivers
 * often keep both in one allocation), so the timer's last touch comes first
 * and queueing touches only the DPC. */
static void expire(PKTIMER timer, uint64_t now)
{
    PKDPC dpc = timer->Dpc;
    LARGE_INTEGER when = { .QuadPart = nt_system_time() };

    dequeue(timer);
    if (timer->Period > 0) {
        uint64_t period = (uint64_t)timer->Period * TICKS_PER_MS;
        uint64_t next = timer->DueTime.QuadPart + period;
        timer->DueTime.QuadPart = next > now ? next : now + period; /* skip missed periods */
        enqueue(timer);
    }
    nt_dispatcher_set_state(&timer->Header, 1);
    if (dpc)
        KeInsertQueueDpc(dpc, (PVOID)(ULONG_PTR)when.LowPart, (PVOID)(ULONG_PTR)(ULONG)when.HighPart);
}

static void *timer_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&timer_lock);
    while (!timer_exit) {
        if (IsListEmpty(&timer_list)) {
            pthread_cond_wait(&timer_cond, &timer_lock);
            continue;
        }
        PKTIMER first = kmh_container_of(timer_list.Flink, KTIMER, TimerListEntry);
        uint64_t now = nt_interrupt_time();
        if (first->DueTime.QuadPart <= now) {
            expire(first, now);
            continue;
        }
        struct timespec when = nt_timespec_from_interrupt_time(first->DueTime.QuadPart);
        pthread_cond_timedwait(&timer_cond, &timer_lock, &when);
    }
    pthread_mutex_unlock(&timer_lock);
    return NULL;
}

int nt_timer_start(void)
{
    pthread_once(&timer_once, init_timer_cond);
    pthread_mutex_lock(&timer_lock);
    timer_exit = false;
    pthread_mutex_unlock(&timer_lock);
    int err = nt_thread_spawn(&timer_thread_id, "timer", timer_thread, NULL);
    timer_started = err == 0;
    return err;
}

void nt_timer_stop(void)
{
    if (!timer_started)
        return;
    pthread_mutex_lock(&timer_lock);
    while (!IsListEmpty(&timer_list))
        dequeue(kmh_container_of(timer_list.Flink, KTIMER, TimerListEntry));
    timer_exit = true;
    pthread_cond_signal(&timer_cond);
    pthread_mutex_unlock(&timer_lock);
    pthread_join(timer_thread_id, NULL);
    timer_started = false;
}

/* Initializes a notification timer, not signalled. Any IRQL. */
KMH_EXPORT void KeInitializeTimer(PKTIMER Timer)
{
    KeInitializeTimerEx(Timer, NotificationTimer);
}

/* Initializes a timer of Type: a notification timer stays signalled until
 * set again, a synchronization timer releases one waiter and resets. Any
 * IRQL. */
KMH_EXPORT void KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
    UCHAR type = Type == SynchronizationTimer ? TimerSynchronizationObject : TimerNotificationObject;

    nt_dispatcher_init_header(&Timer->Header, type, sizeof(*Timer), 0);
    Timer->DueTime.QuadPart = 0;
    Timer->TimerListEntry.Flink = Timer->TimerListEntry.Blink = NULL;
    Timer->Dpc = NULL;
    Timer->Processor = 0;
    Timer->Period = 0;
}

/* Sets the timer to signal at DueTime (negative: relative, positive:
 * absolute system time, in 100 ns units) and then every Period ms if
 * Period > 0, queueing Dpc each time if given; a pending setting is
 * cancelled first and the timer reset. IRQL <= DISPATCH_LEVEL. Returns
 * TRUE if the timer was pending. */
KMH_EXPORT BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc)
{
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeSetTimerEx");
    if (Period < 0) {
        vf_report(VF_OBJECT, "KeSetTimerEx", __builtin_return_address(0), "negative period %ld",
                  (long)Period);
        Period = 0;
    }
    pthread_once(&timer_once, init_timer_cond);
    nt_runtime_ensure();
    uint64_t due = nt_deadline_from(&DueTime);
    if (due == NT_WAIT_POLL)
        due = nt_interrupt_time();

    pthread_mutex_lock(&timer_lock);
    BOOLEAN was_queued = is_queued(Timer);
    if (was_queued)
        dequeue(Timer);
    nt_dispatcher_set_state(&Timer->Header, 0);
    Timer->Dpc = Dpc;
    Timer->Period = Period;
    Timer->DueTime.QuadPart = due;
    enqueue(Timer);
    pthread_mutex_unlock(&timer_lock);
    return was_queued;
}

/* KeSetTimerEx without a period. IRQL <= DISPATCH_LEVEL. Returns TRUE if
 * the timer was pending. */
KMH_EXPORT BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

/* KeSetTimerEx; kmhost expires timers on time, so there is no tolerance
 * to use. IRQL <= DISPATCH_LEVEL. Returns TRUE if the timer was pending. */
KMH_EXPORT BOOLEAN KeSetCoalescableTimer(PKTIMER Timer, LARGE_INTEGER DueTime, ULONG Period,
                                         ULONG TolerableDelay, PKDPC Dpc)
{
    (void)TolerableDelay;
    return KeSetTimerEx(Timer, DueTime, (LONG)Period, Dpc);
}

/* Takes the timer off the queue if pending; its state is unchanged.
 * IRQL <= DISPATCH_LEVEL. Returns TRUE if it was pending. */
KMH_EXPORT BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeCancelTimer");
    pthread_mutex_lock(&timer_lock);
    BOOLEAN was_queued = is_queued(Timer);
    if (was_queued)
        dequeue(Timer);
    pthread_mutex_unlock(&timer_lock);
    return was_queued;
}

/* TRUE if the timer is signalled. Any IRQL. */
KMH_EXPORT BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
    return nt_hdr_state(nt_hdr_load(&Timer->Header)) != 0;
}
