/*
 * Spin locks: KSPIN_LOCK (a word holding the owner's token, 0 when free),
 * in-stack queued spin locks over the same word, and the reader/writer
 * EX_SPIN_LOCK. kmhost threads can be preempted while they hold a lock
 * (the machine may have fewer cores than busy threads), so waiters spin a
 * little, then yield the processor instead of burning their time slice.
 *
 * The owner token is the address of the owner's thread-local state: unique
 * among live threads, free to compute, and it lets the verifier see a
 * thread acquire a lock it already holds (a deadlock on Windows) without
 * any bookkeeping outside the lock word.
 */
#include "nt/kernel.h"

#include <sched.h>

#define SPINS_BEFORE_YIELD 128

static inline ULONG_PTR my_token(void)
{
    return (ULONG_PTR)&nt_tls;
}

static void backoff(unsigned *spins)
{
    if (++*spins < SPINS_BEFORE_YIELD) {
        __builtin_ia32_pause();
        return;
    }
    sched_yield();
}

/* Takes the lock word; IRQL untouched. Recursion is reported and treated
 * as acquired, so the verifier counts it instead of the thread hanging. */
static void lock_word(volatile ULONG_PTR *lock, const char *ddi, void *caller)
{
    ULONG_PTR expected = 0, token = my_token();
    unsigned spins = 0;

    if (kmh_likely(__atomic_compare_exchange_n(lock, &expected, token, false, __ATOMIC_ACQUIRE,
                                               __ATOMIC_RELAXED)))
        goto acquired;
    if (expected == token) {
        vf_report(VF_LOCK, ddi, caller, "spin lock %p acquired again by its owner", (void *)lock);
        goto acquired;
    }
    for (;;) {
        backoff(&spins);
        expected = 0;
        if (__atomic_load_n(lock, __ATOMIC_RELAXED) == 0 &&
            __atomic_compare_exchange_n(lock, &expected, token, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            break;
    }
acquired:
    nt_tls.spin_locks_held++;
}

static void unlock_word(volatile ULONG_PTR *lock, const char *ddi, void *caller)
{
    ULONG_PTR owner = __atomic_load_n(lock, __ATOMIC_RELAXED);

    /* Counted down even on misuse: a reported recursion counted up twice. */
    if (nt_tls.spin_locks_held > 0)
        nt_tls.spin_locks_held--;
    if (kmh_unlikely(owner != my_token())) {
        vf_report(VF_LOCK, ddi, caller, "spin lock %p released %s", (void *)lock,
                  owner ? "by a thread that does not hold it" : "while not held");
        if (!owner)
            return;
    }
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

static void check_at_dpc(const char *ddi, void *caller)
{
    if (kmh_unlikely(nt_irql < DISPATCH_LEVEL))
        vf_report(VF_IRQL, ddi, caller, "called at IRQL %u; DISPATCH_LEVEL or above required",
                  (unsigned)nt_irql);
}

static KIRQL raise_to_dpc(const char *ddi, void *caller)
{
    KIRQL old = nt_irql;
    if (kmh_unlikely(old > DISPATCH_LEVEL))
        nt_irql_report_above(DISPATCH_LEVEL, ddi, caller);
    else
        nt_irql = DISPATCH_LEVEL;
    return old;
}

static void lower_from_dpc(KIRQL new_irql, const char *ddi, void *caller)
{
    if (kmh_unlikely(new_irql > nt_irql)) {
        vf_report(VF_IRQL, ddi, caller, "restoring IRQL %u above the current %u",
                  (unsigned)new_irql, (unsigned)nt_irql);
        return;
    }
    if (kmh_unlikely(new_irql < DISPATCH_LEVEL && nt_tls.spin_locks_held > 0))
        vf_report(VF_IRQL, ddi, caller, "lowering IRQL to %u while holding %d spin lock(s)",
                  (unsigned)new_irql, nt_tls.spin_locks_held);
    nt_irql = new_irql;
}

/* Marks a spin lock free. Any IRQL. */
KMH_EXPORT void KeInitializeSpinLock(PKSPIN_LOCK SpinLock)
{
    *SpinLock = 0;
}

/* Raises to DISPATCH_LEVEL and takes the lock; returns the previous IRQL.
 * IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT KIRQL KfAcquireSpinLock(PKSPIN_LOCK SpinLock)
{
    void *caller = __builtin_return_address(0);
    KIRQL old = raise_to_dpc("KeAcquireSpinLock", caller);
    lock_word(SpinLock, "KeAcquireSpinLock", caller);
    return old;
}

/* Releases the lock and returns to NewIrql (what the acquire returned).
 * DISPATCH_LEVEL. */
KMH_EXPORT void KfReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    void *caller = __builtin_return_address(0);
    unlock_word(SpinLock, "KeReleaseSpinLock", caller);
    lower_from_dpc(NewIrql, "KeReleaseSpinLock", caller);
}

/* As KfAcquireSpinLock; returns the previous IRQL. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
{
    void *caller = __builtin_return_address(0);
    KIRQL old = raise_to_dpc("KeAcquireSpinLockRaiseToDpc", caller);
    lock_word(SpinLock, "KeAcquireSpinLockRaiseToDpc", caller);
    return old;
}

/* Takes the lock without changing the IRQL. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    void *caller = __builtin_return_address(0);
    check_at_dpc("KeAcquireSpinLockAtDpcLevel", caller);
    lock_word(SpinLock, "KeAcquireSpinLockAtDpcLevel", caller);
}

/* Releases a lock taken at DISPATCH_LEVEL; IRQL unchanged. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    void *caller = __builtin_return_address(0);
    check_at_dpc("KeReleaseSpinLockFromDpcLevel", caller);
    unlock_word(SpinLock, "KeReleaseSpinLockFromDpcLevel", caller);
}

/* Takes the lock if it is free; TRUE if it did. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT BOOLEAN KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    ULONG_PTR expected = 0;

    check_at_dpc("KeTryToAcquireSpinLockAtDpcLevel", __builtin_return_address(0));
    if (!__atomic_compare_exchange_n(SpinLock, &expected, my_token(), false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return FALSE;
    nt_tls.spin_locks_held++;
    return TRUE;
}

/* TRUE if the lock is free right now (a hint, as on Windows). Any IRQL. */
KMH_EXPORT BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock)
{
    return __atomic_load_n(SpinLock, __ATOMIC_RELAXED) == 0;
}

/* Raises to DISPATCH_LEVEL and takes the lock, remembering both in
 * LockHandle. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT void KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    void *caller = __builtin_return_address(0);

    LockHandle->LockQueue.Next = NULL;
    LockHandle->LockQueue.Lock = SpinLock;
    LockHandle->OldIrql = raise_to_dpc("KeAcquireInStackQueuedSpinLock", caller);
    lock_word(SpinLock, "KeAcquireInStackQueuedSpinLock", caller);
}

/* Releases the lock LockHandle holds and restores its IRQL. DISPATCH_LEVEL. */
KMH_EXPORT void KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
{
    void *caller = __builtin_return_address(0);

    unlock_word(LockHandle->LockQueue.Lock, "KeReleaseInStackQueuedSpinLock", caller);
    lower_from_dpc(LockHandle->OldIrql, "KeReleaseInStackQueuedSpinLock", caller);
}

/* Takes the lock into LockHandle; IRQL unchanged. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
                                                         PKLOCK_QUEUE_HANDLE LockHandle)
{
    void *caller = __builtin_return_address(0);

    check_at_dpc("KeAcquireInStackQueuedSpinLockAtDpcLevel", caller);
    LockHandle->LockQueue.Next = NULL;
    LockHandle->LockQueue.Lock = SpinLock;
    LockHandle->OldIrql = nt_irql;
    lock_word(SpinLock, "KeAcquireInStackQueuedSpinLockAtDpcLevel", caller);
}

/* Releases the lock LockHandle holds; IRQL unchanged. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle)
{
    void *caller = __builtin_return_address(0);

    check_at_dpc("KeReleaseInStackQueuedSpinLockFromDpcLevel", caller);
    unlock_word(LockHandle->LockQueue.Lock, "KeReleaseInStackQueuedSpinLockFromDpcLevel", caller);
}

/* --- Reader/writer spin locks ---------------------------------------------
 * The LONG holds the reader count in its low bits, EX_EXCLUSIVE while a
 * writer owns it and EX_WRITER_WAITING while a writer waits, which holds
 * new readers back so a stream of readers cannot starve writers. */
#define EX_EXCLUSIVE 0x40000000
#define EX_WRITER_WAITING 0x20000000

static void ex_lock_shared(PEX_SPIN_LOCK lock)
{
    unsigned spins = 0;
    LONG v = __atomic_load_n(lock, __ATOMIC_RELAXED);

    for (;;) {
        if (!(v & (EX_EXCLUSIVE | EX_WRITER_WAITING)) &&
            __atomic_compare_exchange_n(lock, &v, v + 1, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            break;
        backoff(&spins);
        v = __atomic_load_n(lock, __ATOMIC_RELAXED);
    }
    nt_tls.spin_locks_held++;
}

static void ex_lock_exclusive(PEX_SPIN_LOCK lock)
{
    unsigned spins = 0;
    LONG v = __atomic_load_n(lock, __ATOMIC_RELAXED);

    for (;;) {
        if (!(v & ~EX_WRITER_WAITING) &&
            __atomic_compare_exchange_n(lock, &v, EX_EXCLUSIVE, true, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            break;
        if (!(v & EX_WRITER_WAITING))
            __atomic_fetch_or(lock, EX_WRITER_WAITING, __ATOMIC_RELAXED);
        backoff(&spins);
        v = __atomic_load_n(lock, __ATOMIC_RELAXED);
    }
    nt_tls.spin_locks_held++;
}

static void ex_unlock_shared(PEX_SPIN_LOCK lock, const char *ddi, void *caller)
{
    LONG v = __atomic_load_n(lock, __ATOMIC_RELAXED);

    if (nt_tls.spin_locks_held > 0)
        nt_tls.spin_locks_held--;
    if (kmh_unlikely(!(v & ~(EX_EXCLUSIVE | EX_WRITER_WAITING)))) {
        vf_report(VF_LOCK, ddi, caller, "shared spin lock %p released while not held shared",
                  (void *)lock);
        return;
    }
    __atomic_fetch_sub(lock, 1, __ATOMIC_RELEASE);
}

static void ex_unlock_exclusive(PEX_SPIN_LOCK lock, const char *ddi, void *caller)
{
    if (nt_tls.spin_locks_held > 0)
        nt_tls.spin_locks_held--;
    if (kmh_unlikely(!(__atomic_load_n(lock, __ATOMIC_RELAXED) & EX_EXCLUSIVE))) {
        vf_report(VF_LOCK, ddi, caller, "spin lock %p released exclusive while not held exclusive",
                  (void *)lock);
        return;
    }
    __atomic_fetch_and(lock, ~EX_EXCLUSIVE, __ATOMIC_RELEASE);
}

/* Raises to DISPATCH_LEVEL and takes the lock shared; returns the previous
 * IRQL. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT KIRQL ExAcquireSpinLockShared(PEX_SPIN_LOCK SpinLock)
{
    KIRQL old = raise_to_dpc("ExAcquireSpinLockShared", __builtin_return_address(0));
    ex_lock_shared(SpinLock);
    return old;
}

/* Releases a shared hold and restores OldIrql. DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseSpinLockShared(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql)
{
    void *caller = __builtin_return_address(0);
    ex_unlock_shared(SpinLock, "ExReleaseSpinLockShared", caller);
    lower_from_dpc(OldIrql, "ExReleaseSpinLockShared", caller);
}

/* Raises to DISPATCH_LEVEL and takes the lock exclusive; returns the
 * previous IRQL. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT KIRQL ExAcquireSpinLockExclusive(PEX_SPIN_LOCK SpinLock)
{
    KIRQL old = raise_to_dpc("ExAcquireSpinLockExclusive", __builtin_return_address(0));
    ex_lock_exclusive(SpinLock);
    return old;
}

/* Releases the exclusive hold and restores OldIrql. DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseSpinLockExclusive(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql)
{
    void *caller = __builtin_return_address(0);
    ex_unlock_exclusive(SpinLock, "ExReleaseSpinLockExclusive", caller);
    lower_from_dpc(OldIrql, "ExReleaseSpinLockExclusive", caller);
}

/* Takes the lock shared; IRQL unchanged. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void ExAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    check_at_dpc("ExAcquireSpinLockSharedAtDpcLevel", __builtin_return_address(0));
    ex_lock_shared(SpinLock);
}

/* Releases a shared hold; IRQL unchanged. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseSpinLockSharedFromDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    void *caller = __builtin_return_address(0);
    check_at_dpc("ExReleaseSpinLockSharedFromDpcLevel", caller);
    ex_unlock_shared(SpinLock, "ExReleaseSpinLockSharedFromDpcLevel", caller);
}

/* Takes the lock exclusive; IRQL unchanged. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void ExAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    check_at_dpc("ExAcquireSpinLockExclusiveAtDpcLevel", __builtin_return_address(0));
    ex_lock_exclusive(SpinLock);
}

/* Releases the exclusive hold; IRQL unchanged. IRQL >= DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseSpinLockExclusiveFromDpcLevel(PEX_SPIN_LOCK SpinLock)
{
    void *caller = __builtin_return_address(0);
    check_at_dpc("ExReleaseSpinLockExclusiveFromDpcLevel", caller);
    ex_unlock_exclusive(SpinLock, "ExReleaseSpinLockExclusiveFromDpcLevel", caller);
}
