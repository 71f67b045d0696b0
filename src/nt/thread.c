/*
 * Kernel state of threads: every thread that calls into kmhost has a
 * struct nt_tls (thread-local, zero means a program thread at
 * PASSIVE_LEVEL in kernel mode) and, from the first DDI that needs one, a
 * thread object: a dispatcher object signalled when the thread ends. Also
 * the one process object, critical and guarded regions, priorities,
 * previous mode and the thread's role in reports.
 */
#include "nt/kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DEFAULT_PRIORITY 8
#define FIRST_THREAD_ID 0x40

__thread struct nt_tls nt_tls NT_TLS;

static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static LONG next_thread_id = FIRST_THREAD_ID;

static struct _EPROCESS *the_process;
static pthread_once_t process_once = PTHREAD_ONCE_INIT;

/* A thread that ends without PsTerminateSystemThread (a program's own, or
 * kmhost's) ends its kernel life here. TLS is still readable in key
 * destructors. */
static void on_thread_exit(void *value)
{
    (void)value;
    nt_thread_detach(STATUS_SUCCESS);
}

static void make_thread_key(void)
{
    if (pthread_key_create(&thread_key, on_thread_exit) != 0)
        abort();
}

void nt_thread_init_object(struct _KTHREAD *thread, bool system)
{
    nt_dispatcher_init_header(&thread->Header, ThreadObject, sizeof(struct _ETHREAD), 0);
    LONG id = __atomic_add_fetch(&next_thread_id, 1, __ATOMIC_RELAXED);
    thread->thread_id = (HANDLE)(ULONG_PTR)((ULONG)id * 4);
    thread->priority = DEFAULT_PRIORITY;
    thread->system = system;
    thread->exit_status = STATUS_PENDING;
}

void nt_thread_bind(struct _KTHREAD *thread)
{
    pthread_condattr_t attr;

    pthread_once(&thread_key_once, make_thread_key);
    if (!nt_tls.cond_ready) {
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&nt_tls.wait.cond, &attr);
        pthread_condattr_destroy(&attr);
        nt_tls.cond_ready = true;
    }
    thread->tls = &nt_tls;
    nt_tls.thread = thread;
    pthread_setspecific(thread_key, thread);
}

struct _KTHREAD *nt_thread_attach(void)
{
    struct _ETHREAD *ethread = nt_object_new(&nt_thread_type, sizeof(*ethread));

    if (!ethread) {
        kmh_log(KMH_LOG_ERROR, "nt", "out of memory for a thread object");
        abort();
    }
    nt_thread_init_object(&ethread->Tcb, nt_tls.system);
    nt_thread_bind(&ethread->Tcb);
    return &ethread->Tcb;
}

void nt_thread_detach(NTSTATUS exit_status)
{
    struct _KTHREAD *thread = nt_tls.thread;

    if (!thread)
        return;
    thread->exit_status = exit_status;
    pthread_mutex_lock(&nt_dispatcher_lock);
    thread->tls = NULL;
    nt_dispatcher_set_state_locked(&thread->Header, 1);
    pthread_mutex_unlock(&nt_dispatcher_lock);
    nt_tls.thread = NULL;
    pthread_setspecific(thread_key, NULL);
    if (nt_tls.cond_ready) {
        pthread_cond_destroy(&nt_tls.wait.cond);
        nt_tls.cond_ready = false;
    }
    nt_object_unref(thread);
}

void nt_thread_check_return(const char *what, void *routine, KIRQL expected_irql)
{
    if (kmh_unlikely(nt_irql != expected_irql)) {
        vf_report(VF_IRQL, what, routine, "returned at IRQL %u; it was called at %u",
                  (unsigned)nt_irql, (unsigned)expected_irql);
        nt_irql = expected_irql;
    }
    if (kmh_unlikely(nt_tls.spin_locks_held)) {
        vf_report(VF_LOCK, what, routine, "returned holding %d spin lock(s)", nt_tls.spin_locks_held);
        nt_tls.spin_locks_held = 0;
    }
    if (kmh_unlikely(nt_tls.mutexes_held))
        vf_report(VF_LOCK, what, routine, "returned owning %d mutex(es)", nt_tls.mutexes_held);
    if (kmh_unlikely(nt_tls.critical_depth != nt_tls.mutexes_held || nt_tls.guarded_depth)) {
        vf_report(VF_IRQL, what, routine, "returned inside %d critical and %d guarded region(s)",
                  nt_tls.critical_depth - nt_tls.mutexes_held, nt_tls.guarded_depth);
        nt_tls.critical_depth = (SHORT)nt_tls.mutexes_held;
        nt_tls.guarded_depth = 0;
    }
}

const char *nt_thread_role(void)
{
    if (nt_tls.role[0])
        return nt_tls.role;
    return nt_tls.system ? "system" : "program";
}

void nt_thread_set_role(const char *role)
{
    snprintf(nt_tls.role, sizeof(nt_tls.role), "%s", role ? role : "");
}

KPROCESSOR_MODE nt_thread_set_previous_mode(KPROCESSOR_MODE mode)
{
    KPROCESSOR_MODE old = nt_tls.previous_mode;
    nt_tls.previous_mode = mode;
    return old;
}

/* Returns the mode the current DDI call came from (KernelMode unless a
 * program's request set UserMode). Any IRQL. */
KMH_EXPORT KPROCESSOR_MODE ExGetPreviousMode(void)
{
    return nt_tls.previous_mode;
}

/* Returns the calling thread's thread object. Any IRQL. */
KMH_EXPORT PKTHREAD KeGetCurrentThread(void)
{
    return nt_thread_current();
}

/* Returns the calling thread's thread object. Any IRQL. */
KMH_EXPORT PETHREAD PsGetCurrentThread(void)
{
    return (PETHREAD)nt_thread_current();
}

/* Returns the calling thread's ID. Any IRQL. */
KMH_EXPORT HANDLE PsGetCurrentThreadId(void)
{
    return nt_thread_current()->thread_id;
}

/* Returns Thread's ID. Any IRQL. */
KMH_EXPORT HANDLE PsGetThreadId(PETHREAD Thread)
{
    return Thread->Tcb.thread_id;
}

/* TRUE for threads kmhost or PsCreateSystemThread created; FALSE for a
 * program's own threads. Any IRQL. */
KMH_EXPORT BOOLEAN PsIsSystemThread(PETHREAD Thread)
{
    return Thread->Tcb.system;
}

/* Records Thread's priority (scheduling is the host's); returns the old
 * one. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority)
{
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeSetPriorityThread");
    return __atomic_exchange_n(&Thread->priority, Priority, __ATOMIC_RELAXED);
}

/* Returns the priority last set for Thread (8 by default). Any IRQL. */
KMH_EXPORT KPRIORITY KeQueryPriorityThread(PKTHREAD Thread)
{
    return __atomic_load_n(&Thread->priority, __ATOMIC_RELAXED);
}

/* Records Thread's base priority increment; returns the previous one.
 * IRQL PASSIVE_LEVEL. */
KMH_EXPORT LONG KeSetBasePriorityThread(PKTHREAD Thread, LONG Increment)
{
    NT_CHECK_IRQL(PASSIVE_LEVEL, "KeSetBasePriorityThread");
    return __atomic_exchange_n(&Thread->base_increment, Increment, __ATOMIC_RELAXED);
}

/* Enters a critical region (normal kernel APCs off). IRQL <= APC_LEVEL. */
KMH_EXPORT void KeEnterCriticalRegion(void)
{
    nt_tls.critical_depth++;
}

/* Leaves a critical region. IRQL <= APC_LEVEL. Leaving one not entered is
 * a verifier report. */
KMH_EXPORT void KeLeaveCriticalRegion(void)
{
    if (kmh_unlikely(nt_tls.critical_depth <= 0)) {
        vf_report(VF_IRQL, "KeLeaveCriticalRegion", __builtin_return_address(0),
                  "no critical region to leave");
        return;
    }
    nt_tls.critical_depth--;
}

/* Enters a guarded region (all APCs off). IRQL <= APC_LEVEL. */
KMH_EXPORT void KeEnterGuardedRegion(void)
{
    nt_tls.guarded_depth++;
}

/* Leaves a guarded region. IRQL <= APC_LEVEL. Leaving one not entered is a
 * verifier report. */
KMH_EXPORT void KeLeaveGuardedRegion(void)
{
    if (kmh_unlikely(nt_tls.guarded_depth <= 0)) {
        vf_report(VF_IRQL, "KeLeaveGuardedRegion", __builtin_return_address(0),
                  "no guarded region to leave");
        return;
    }
    nt_tls.guarded_depth--;
}

/* TRUE inside a critical or guarded region or at APC_LEVEL and above. Any IRQL. */
KMH_EXPORT BOOLEAN KeAreApcsDisabled(void)
{
    return nt_tls.critical_depth > 0 || nt_tls.guarded_depth > 0 || nt_irql >= APC_LEVEL;
}

/* TRUE inside a guarded region or at APC_LEVEL and above. Any IRQL. */
KMH_EXPORT BOOLEAN KeAreAllApcsDisabled(void)
{
    return nt_tls.guarded_depth > 0 || nt_irql >= APC_LEVEL;
}

/* kmhost's process is one object for the life of the process. */
static void make_process(void)
{
    struct _EPROCESS *process = nt_object_new(&nt_process_type, sizeof(*process));

    if (!process) {
        kmh_log(KMH_LOG_ERROR, "nt", "out of memory for the process object");
        abort();
    }
    nt_dispatcher_init_header(&process->Pcb.Header, ProcessObject, sizeof(*process), 0);
    process->UniqueProcessId = (HANDLE)(ULONG_PTR)getpid();
    the_process = process;
}

/* Returns the process object (one for all of kmhost). Any IRQL. */
KMH_EXPORT PEPROCESS PsGetCurrentProcess(void)
{
    pthread_once(&process_once, make_process);
    return the_process;
}

/* As PsGetCurrentProcess. Any IRQL. */
KMH_EXPORT PEPROCESS IoGetCurrentProcess(void)
{
    return PsGetCurrentProcess();
}

/* Returns the process ID (the host process's). Any IRQL. */
KMH_EXPORT HANDLE PsGetCurrentProcessId(void)
{
    return (HANDLE)(ULONG_PTR)getpid();
}

/* Returns Process's ID. Any IRQL. */
KMH_EXPORT HANDLE PsGetProcessId(PEPROCESS Process)
{
    (void)Process;
    return (HANDLE)(ULONG_PTR)getpid();
}
