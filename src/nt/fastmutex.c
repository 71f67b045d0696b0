/*
 * Fast mutexes and guarded mutexes (one structure): a count that is 1 when
 * free, decremented by each acquirer; whoever does not reach 0 waits on
 * the synchronization event, which each release with waiters sets once.
 * The fast mutex raises to APC_LEVEL, the guarded mutex enters a guarded
 * region. Neither is recursive: acquiring one the caller owns deadlocks on
 * Windows and is a verifier report here (the acquisition is then ignored).
 */
#include "nt/kernel.h"

static bool owned_by(PFAST_MUTEX mutex, struct _KTHREAD *thread)
{
    return __atomic_load_n(&mutex->Owner, __ATOMIC_RELAXED) == thread;
}

static bool lock(PFAST_MUTEX mutex, const char *ddi, void *caller)
{
    struct _KTHREAD *self = nt_thread_current();

    if (kmh_unlikely(owned_by(mutex, self))) {
        vf_report(VF_LOCK, ddi, caller, "mutex %p acquired again by its owner", (void *)mutex);
        return false;
    }
    if (__atomic_sub_fetch(&mutex->Count, 1, __ATOMIC_ACQ_REL) != 0) {
        __atomic_fetch_add(&mutex->Contention, 1, __ATOMIC_RELAXED);
        KeWaitForSingleObject(&mutex->Event, WrFastMutex, KernelMode, FALSE, NULL);
    }
    __atomic_store_n(&mutex->Owner, self, __ATOMIC_RELAXED);
    return true;
}

static bool try_lock(PFAST_MUTEX mutex)
{
    LONG free_count = 1;
    struct _KTHREAD *self = nt_thread_current();

    if (!__atomic_compare_exchange_n(&mutex->Count, &free_count, 0, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_RELAXED))
        return false;
    __atomic_store_n(&mutex->Owner, self, __ATOMIC_RELAXED);
    return true;
}

static bool unlock(PFAST_MUTEX mutex, const char *ddi, void *caller)
{
    if (kmh_unlikely(!nt_tls.thread || !owned_by(mutex, nt_tls.thread))) {
        vf_report(VF_LOCK, ddi, caller, "mutex %p released by a thread that does not own it",
                  (void *)mutex);
        return false;
    }
    __atomic_store_n(&mutex->Owner, NULL, __ATOMIC_RELAXED);
    if (__atomic_add_fetch(&mutex->Count, 1, __ATOMIC_ACQ_REL) != 1)
        KeSetEvent(&mutex->Event, IO_NO_INCREMENT, FALSE);
    return true;
}

/* The Unsafe variants leave APC protection to the caller. */
static void check_apcs_off(const char *ddi, void *caller)
{
    if (kmh_unlikely(nt_irql < APC_LEVEL && !nt_tls.critical_depth && !nt_tls.guarded_depth))
        vf_report(VF_IRQL, ddi, caller, "called with APCs enabled (below APC_LEVEL, outside a "
                                        "critical or guarded region)");
}

/* Initializes a free fast (or guarded) mutex. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT void ExInitializeFastMutex(PFAST_MUTEX FastMutex)
{
    FastMutex->Count = 1;
    FastMutex->Owner = NULL;
    FastMutex->Contention = 0;
    FastMutex->OldIrql = PASSIVE_LEVEL;
    KeInitializeEvent(&FastMutex->Event, SynchronizationEvent, FALSE);
}

/* Raises to APC_LEVEL and acquires the mutex, waiting if needed. IRQL <=
 * APC_LEVEL. */
KMH_EXPORT void ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    void *caller = __builtin_return_address(0);
    KIRQL old = nt_irql;

    if (kmh_unlikely(old > APC_LEVEL))
        nt_irql_report_above(APC_LEVEL, "ExAcquireFastMutex", caller);
    if (!lock(FastMutex, "ExAcquireFastMutex", caller))
        return;
    if (old < APC_LEVEL)
        nt_irql = APC_LEVEL;
    FastMutex->OldIrql = old;
}

/* Releases the mutex and restores the IRQL it was acquired at. APC_LEVEL. */
KMH_EXPORT void ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
    void *caller = __builtin_return_address(0);
    KIRQL old = (KIRQL)FastMutex->OldIrql;

    if (!unlock(FastMutex, "ExReleaseFastMutex", caller))
        return;
    if (kmh_unlikely(nt_irql != (old > APC_LEVEL ? old : APC_LEVEL)))
        vf_report(VF_IRQL, "ExReleaseFastMutex", caller, "released at IRQL %u; acquired at %u",
                  (unsigned)nt_irql, (unsigned)APC_LEVEL);
    if (old <= nt_irql)
        nt_irql = old;
}

/* Acquires the mutex at APC_LEVEL if it is free. IRQL <= APC_LEVEL.
 * Returns TRUE if acquired (the IRQL is then APC_LEVEL). */
KMH_EXPORT BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    KIRQL old = nt_irql;

    NT_CHECK_IRQL(APC_LEVEL, "ExTryToAcquireFastMutex");
    if (!try_lock(FastMutex))
        return FALSE;
    if (old < APC_LEVEL)
        nt_irql = APC_LEVEL;
    FastMutex->OldIrql = old;
    return TRUE;
}

/* Acquires the mutex without raising the IRQL. APC_LEVEL, or in a critical
 * or guarded region. */
KMH_EXPORT void ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    void *caller = __builtin_return_address(0);

    NT_CHECK_IRQL(APC_LEVEL, "ExAcquireFastMutexUnsafe");
    check_apcs_off("ExAcquireFastMutexUnsafe", caller);
    lock(FastMutex, "ExAcquireFastMutexUnsafe", caller);
}

/* Releases a mutex taken with ExAcquireFastMutexUnsafe. Same context. */
KMH_EXPORT void ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    void *caller = __builtin_return_address(0);

    check_apcs_off("ExReleaseFastMutexUnsafe", caller);
    unlock(FastMutex, "ExReleaseFastMutexUnsafe", caller);
}

/* Initializes a free guarded mutex. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT void KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    ExInitializeFastMutex(Mutex);
}

/* Enters a guarded region and acquires the mutex. IRQL <= APC_LEVEL. */
KMH_EXPORT void KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    void *caller = __builtin_return_address(0);

    NT_CHECK_IRQL(APC_LEVEL, "KeAcquireGuardedMutex");
    nt_tls.guarded_depth++;
    if (!lock(Mutex, "KeAcquireGuardedMutex", caller))
        nt_tls.guarded_depth--;
}

/* Releases the mutex and leaves the guarded region. IRQL <= APC_LEVEL. */
KMH_EXPORT void KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    if (unlock(Mutex, "KeReleaseGuardedMutex", __builtin_return_address(0)) &&
        nt_tls.guarded_depth > 0)
        nt_tls.guarded_depth--;
}

/* Acquires the mutex in a guarded region if it is free. IRQL <=
 * APC_LEVEL. Returns TRUE if acquired. */
KMH_EXPORT BOOLEAN KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    NT_CHECK_IRQL(APC_LEVEL, "KeTryToAcquireGuardedMutex");
    if (!try_lock(Mutex))
        return FALSE;
    nt_tls.guarded_depth++;
    return TRUE;
}

/* Acquires the mutex; the caller is in a guarded region or at APC_LEVEL. */
KMH_EXPORT void KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX Mutex)
{
    void *caller = __builtin_return_address(0);

    NT_CHECK_IRQL(APC_LEVEL, "KeAcquireGuardedMutexUnsafe");
    check_apcs_off("KeAcquireGuardedMutexUnsafe", caller);
    lock(Mutex, "KeAcquireGuardedMutexUnsafe", caller);
}

/* Releases a mutex taken with KeAcquireGuardedMutexUnsafe. Same context. */
KMH_EXPORT void KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX Mutex)
{
    unlock(Mutex, "KeReleaseGuardedMutexUnsafe", __builtin_return_address(0));
}
