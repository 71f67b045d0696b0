/*
 * The kernel layer's private header: per-thread kernel state, the
 * dispatcher (its lock, the object state word, waiting and satisfying
 * waits), time helpers, and the hooks between DPCs, timers, work items and
 * the runtime. Included only by the kernel layer's own files in src/nt
 * (irql.c, spinlock.c, dispatcher.c, wait.c, event.c, semaphore_mutex.c,
 * dpc.c, timer.c, thread.c, systhread.c, processor.c, worker.c,
 * fastmutex.c, resource.c, pushlock_rundown.c, slist.c, time.c,
 * rtltime.c, bugcheck.c, runtime.c). Other modules use nt.h.
 */
#ifndef KMHOST_NT_KERNEL_H
#define KMHOST_NT_KERNEL_H

#include "nt/nt.h"
#include "verifier/verifier.h"

#include <pthread.h>
#include <stdint.h>

/* Per-thread state is read on every DDI; initial-exec TLS is one
 * %fs-relative load. libkmhost is linked, not dlopened, by its users, and
 * its few hundred bytes fit glibc's static TLS surplus if it ever is. */
#define NT_TLS __attribute__((tls_model("initial-exec")))

/* --- IRQL (irql.c) -------------------------------------------------------- */
extern __thread KIRQL nt_irql NT_TLS;

/* Reports ddi called above max; call only when nt_irql > max (cold path). */
void nt_irql_report_above(KIRQL max, const char *ddi, void *caller);
#define NT_CHECK_IRQL(max, ddi) \
    do { \
        if (kmh_unlikely(nt_irql > (max))) \
            nt_irql_report_above((max), (ddi), __builtin_return_address(0)); \
    } while (0)

/* --- Threads (thread.c, systhread.c) ------------------------------------- */
struct nt_wait_state {
    pthread_cond_t cond;          /* CLOCK_MONOTONIC; waited on with nt_dispatcher_lock */
    KWAIT_BLOCK *blocks;          /* the current wait, linked on its objects */
    ULONG count;
    WAIT_TYPE type;
    bool satisfied;               /* set with status by whoever satisfied the wait */
    NTSTATUS status;
    KWAIT_BLOCK builtin[THREAD_WAIT_OBJECTS];
};

/* Everything per OS thread; zero-initialized means a fresh program thread
 * at PASSIVE_LEVEL in kernel mode. */
struct nt_tls {
    struct _KTHREAD *thread;      /* lazily created by nt_thread_current */
    int spin_locks_held;
    int mutexes_held;             /* KMUTEXes this thread owns */
    SHORT critical_depth;         /* KeEnterCriticalRegion */
    SHORT guarded_depth;          /* KeEnterGuardedRegion */
    KPROCESSOR_MODE previous_mode;
    bool system;                  /* kmhost or PsCreateSystemThread created it */
    bool runtime;                 /* a DPC, timer or worker thread */
    bool cond_ready;
    int processor;                /* 1 + processor a DPC thread serves, or 0 */
    char role[32];
    struct nt_wait_state wait;
};
extern __thread struct nt_tls nt_tls NT_TLS;

struct _KTHREAD {
    DISPATCHER_HEADER Header;     /* ThreadObject: signalled when the thread ends */
    struct nt_tls *tls;           /* the running thread's state; NULL once it ended */
    HANDLE thread_id;
    NTSTATUS exit_status;
    KPRIORITY priority;
    LONG base_increment;
    bool system;
    bool ps_created;              /* by PsCreateSystemThread: may PsTerminateSystemThread */
    PKSTART_ROUTINE start_routine;
    PVOID start_context;
};
struct _ETHREAD {
    struct _KTHREAD Tcb;
};
struct _KPROCESS {
    DISPATCHER_HEADER Header;     /* ProcessObject: never signalled, kmhost's process outlives drivers */
};
struct _EPROCESS {
    struct _KPROCESS Pcb;
    HANDLE UniqueProcessId;
};

/* Fills a fresh thread object; nt_thread_bind makes it the caller's. */
void nt_thread_init_object(struct _KTHREAD *thread, bool system);
void nt_thread_bind(struct _KTHREAD *thread);
struct _KTHREAD *nt_thread_attach(void);
/* The calling thread's kernel object, created on first use. */
static inline struct _KTHREAD *nt_thread_current(void)
{
    struct _KTHREAD *thread = nt_tls.thread;
    return kmh_likely(thread != NULL) ? thread : nt_thread_attach();
}
/* Ends the calling thread's kernel life: signals its thread object and
 * drops the thread's own reference to it. Idempotent. */
void nt_thread_detach(NTSTATUS exit_status);
/* Starts a kmhost thread (DPC, timer, worker) with the given role;
 * 0 or a negative errno. */
int nt_thread_spawn(pthread_t *out, const char *role, void *(*fn)(void *), void *arg);
/* Checks a DPC, work item or system thread returned with the kernel state
 * it was given; reports and repairs what it did not restore. */
void nt_thread_check_return(const char *what, void *routine, KIRQL expected_irql);

/* --- Dispatcher (dispatcher.c, wait.c) ---------------------------------------
 * The first eight bytes of a DISPATCHER_HEADER (Type, Signalling, Size,
 * Reserved1, SignalState) are one 64-bit word changed only by atomic
 * operations. Reserved1 carries NT_HDR_WAITERS while the wait list is not
 * empty. The rule that makes the lock-free paths safe: a word with
 * NT_HDR_WAITERS set changes only under nt_dispatcher_lock; without it, one
 * compare-and-swap may signal, consume or reset the object, and that swap is
 * the operation's last touch of the object (a waiter may free it as soon as
 * it sees the new state). */
#define NT_HDR_WAITERS 0x01u

static inline uint64_t *nt_hdr_word(DISPATCHER_HEADER *header)
{
    return (uint64_t *)(void *)header;
}
static inline uint64_t nt_hdr_load(DISPATCHER_HEADER *header)
{
    return __atomic_load_n(nt_hdr_word(header), __ATOMIC_ACQUIRE);
}
static inline LONG nt_hdr_state(uint64_t word)
{
    return (LONG)(uint32_t)(word >> 32);
}
static inline bool nt_hdr_has_waiters(uint64_t word)
{
    return (word >> 24) & NT_HDR_WAITERS;
}
static inline uint64_t nt_hdr_with_state(uint64_t word, LONG state)
{
    return (word & 0xffffffffull) | ((uint64_t)(uint32_t)state << 32);
}
static inline bool nt_hdr_cas(DISPATCHER_HEADER *header, uint64_t *expected, uint64_t desired)
{
    return __atomic_compare_exchange_n(nt_hdr_word(header), expected, desired, false,
                                       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

extern pthread_mutex_t nt_dispatcher_lock;

void nt_dispatcher_init_header(DISPATCHER_HEADER *header, UCHAR type, size_t size, LONG state);
/* Sets the state; without waiters in one swap, otherwise under the lock,
 * satisfying the waiters the new state allows. Returns the old state. */
LONG nt_dispatcher_set_state(DISPATCHER_HEADER *header, LONG state);
/* As nt_dispatcher_set_state, with the lock already held. */
LONG nt_dispatcher_set_state_locked(DISPATCHER_HEADER *header, LONG state);
/* Satisfies what waiters the object's state now allows; lock held. Its
 * last touch of header is the swap that may clear NT_HDR_WAITERS. */
void nt_dispatcher_satisfy_locked(DISPATCHER_HEADER *header);
/* Signals, satisfies the current waiters, resets; returns the old state. */
LONG nt_dispatcher_pulse(DISPATCHER_HEADER *header);
/* Lock-free attempt to satisfy a one-object wait; true if consumed. */
bool nt_dispatcher_try_fast(DISPATCHER_HEADER *header);
/* False for what no thread can wait on (queues, garbage). */
bool nt_dispatcher_is_waitable(DISPATCHER_HEADER *header);
/* The wait itself: deadline in interrupt-time units (NT_WAIT_POLL,
 * NT_WAIT_FOREVER or an absolute value). */
#define NT_WAIT_POLL 0ull
#define NT_WAIT_FOREVER UINT64_MAX
NTSTATUS nt_dispatcher_wait(ULONG count, DISPATCHER_HEADER **objects, WAIT_TYPE type,
                            KWAIT_BLOCK *blocks, uint64_t deadline);

/* --- Time (time.c) ----------------------------------------------------------- */
#define NT_TICKS_PER_SECOND 10000000ll
#define NT_TIME_INCREMENT 156250u  /* 15.625 ms, as Windows' default clock */
/* 100 ns units since 1601-01-01 UTC. */
LONGLONG nt_system_time(void);
/* 100 ns units of CLOCK_MONOTONIC (KeQueryInterruptTime). */
uint64_t nt_interrupt_time(void);
/* A wait or timer due time (negative relative, positive absolute system
 * time, NULL forever) as an absolute interrupt time. */
uint64_t nt_deadline_from(const LARGE_INTEGER *due);
struct timespec nt_timespec_from_interrupt_time(uint64_t t);

/* --- Processors (processor.c) ------------------------------------------------- */
ULONG nt_processor_count(void);
ULONG nt_current_processor(void);

/* --- DPCs, timers, workers, runtime ------------------------------------------- */
#define NT_DPC_OBJECT 19
#define NT_THREADED_DPC_OBJECT 24
#define NT_DPC_TARGETED 0x8000u   /* KDPC.Number: a target processor was set */

int nt_dpc_start(void);
/* Runs what is queued, then joins the DPC threads. */
void nt_dpc_stop(void);
/* Waits until every DPC queued before the call has run; PASSIVE_LEVEL. */
void nt_dpc_flush(void);
bool nt_dpc_is_idle(void);

int nt_timer_start(void);
/* Forgets every pending timer, then joins the timer thread. */
void nt_timer_stop(void);

int nt_worker_start(void);
void nt_worker_stop(void);
/* Waits until no work item is queued or running. */
void nt_worker_wait_idle(void);
bool nt_worker_is_idle(void);

/* Starts the runtime threads if they are not running (queueing a DPC, a
 * timer or a work item does, so none is stranded); takes no reference. */
void nt_runtime_ensure(void);

#endif /* KMHOST_NT_KERNEL_H */
