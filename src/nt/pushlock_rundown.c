/*
 * Push locks (reader/writer locks in one pointer-sized word) and rundown
 * protection (a reference count that can be closed to new references and
 * waited out). Both keep all their state in the driver's word, so their
 * waiters sleep on a futex on its low 32 bits (x86-64 is little endian).
 */
#include "nt/kernel.h"

#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SPINS_BEFORE_SLEEP 100

static uint32_t *low_word(volatile ULONG_PTR *value)
{
    return (uint32_t *)(uintptr_t)value;
}

static void futex_wait(uint32_t *word, uint32_t expected)
{
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake_all(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* --- Push locks -----------------------------------------------------------
 * PL_EXCLUSIVE while a writer owns it, readers counted in units of
 * PL_READER, PL_WAITERS while someone sleeps on it. A release that finds
 * PL_WAITERS wakes every sleeper; each tries again. */
#define PL_EXCLUSIVE 0x1u
#define PL_WAITERS 0x2u
#define PL_READER 0x4u

/* Spins a little, then marks the lock waited-for and sleeps until it
 * changes; returns the word to try again with. */
static uint32_t wait_for_change(uint32_t *word, uint32_t seen, unsigned *spins)
{
    if (++*spins < SPINS_BEFORE_SLEEP) {
        __builtin_ia32_pause();
        return __atomic_load_n(word, __ATOMIC_RELAXED);
    }
    if (!(seen & PL_WAITERS) &&
        !__atomic_compare_exchange_n(word, &seen, seen | PL_WAITERS, false, __ATOMIC_RELAXED,
                                     __ATOMIC_RELAXED))
        return seen;
    futex_wait(word, seen | PL_WAITERS);
    return __atomic_load_n(word, __ATOMIC_RELAXED);
}

/* Makes the push lock free. Any IRQL. */
KMH_EXPORT void ExInitializePushLock(PEX_PUSH_LOCK PushLock)
{
    PushLock->Value = 0;
}

/* Acquires the push lock exclusively, waiting if needed. IRQL <= APC_LEVEL. */
KMH_EXPORT void ExAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    uint32_t *word = low_word(&PushLock->Value);
    uint32_t v = __atomic_load_n(word, __ATOMIC_RELAXED);
    unsigned spins = 0;

    (void)Flags;
    NT_CHECK_IRQL(APC_LEVEL, "ExAcquirePushLockExclusive");
    for (;;) {
        if (!(v & ~PL_WAITERS)) {
            if (__atomic_compare_exchange_n(word, &v, v | PL_EXCLUSIVE, true, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED))
                return;
            continue;
        }
        v = wait_for_change(word, v, &spins);
    }
}

/* Acquires the push lock shared, waiting while a writer owns it. IRQL <=
 * APC_LEVEL. */
KMH_EXPORT void ExAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    uint32_t *word = low_word(&PushLock->Value);
    uint32_t v = __atomic_load_n(word, __ATOMIC_RELAXED);
    unsigned spins = 0;

    (void)Flags;
    NT_CHECK_IRQL(APC_LEVEL, "ExAcquirePushLockShared");
    for (;;) {
        if (!(v & PL_EXCLUSIVE)) {
            if (__atomic_compare_exchange_n(word, &v, v + PL_READER, true, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED))
                return;
            continue;
        }
        v = wait_for_change(word, v, &spins);
    }
}

/* Releases an exclusive hold. IRQL <= APC_LEVEL. */
KMH_EXPORT void ExReleasePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    uint32_t *word = low_word(&PushLock->Value);

    (void)Flags;
    if (kmh_unlikely(!(__atomic_load_n(word, __ATOMIC_RELAXED) & PL_EXCLUSIVE))) {
        vf_report(VF_LOCK, "ExReleasePushLockExclusive", __builtin_return_address(0),
                  "push lock %p is not held exclusive", (void *)PushLock);
        return;
    }
    if (__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) & PL_WAITERS)
        futex_wake_all(word);
}

/* Releases a shared hold. IRQL <= APC_LEVEL. */
KMH_EXPORT void ExReleasePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    uint32_t *word = low_word(&PushLock->Value);

    (void)Flags;
    if (kmh_unlikely(__atomic_load_n(word, __ATOMIC_RELAXED) < PL_READER)) {
        vf_report(VF_LOCK, "ExReleasePushLockShared", __builtin_return_address(0),
                  "push lock %p is not held shared", (void *)PushLock);
        return;
    }
    uint32_t v = __atomic_sub_fetch(word, PL_READER, __ATOMIC_RELEASE);
    if (v == PL_WAITERS) {
        __atomic_fetch_and(word, ~PL_WAITERS, __ATOMIC_RELAXED);
        futex_wake_all(word);
    }
}

/* --- Rundown protection ----------------------------------------------------
 * References count in units of 2; RUNDOWN_ACTIVE (bit 0) closes the count
 * to new references once the owner waits for rundown. */
#define RUNDOWN_ACTIVE 0x1u
#define RUNDOWN_UNIT 0x2u

/* Opens rundown protection (no references, not run down). Any IRQL. */
KMH_EXPORT void ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count = 0;
}

/* Reopens run-down protection after a completed rundown. Any IRQL. */
KMH_EXPORT void ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    __atomic_store_n(&RunRef->Count, 0, __ATOMIC_RELEASE);
}

/* Takes Count references unless rundown has begun. IRQL <= DISPATCH_LEVEL.
 * Returns TRUE if taken. */
KMH_EXPORT BOOLEAN ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    ULONG_PTR v = __atomic_load_n(&RunRef->Count, __ATOMIC_RELAXED);

    do {
        if (v & RUNDOWN_ACTIVE)
            return FALSE;
    } while (!__atomic_compare_exchange_n(&RunRef->Count, &v, v + (ULONG_PTR)Count * RUNDOWN_UNIT, true,
                                          __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
    return TRUE;
}

/* Takes one reference unless rundown has begun. IRQL <= DISPATCH_LEVEL.
 * Returns TRUE if taken. */
KMH_EXPORT BOOLEAN ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    return ExAcquireRundownProtectionEx(RunRef, 1);
}

/* Drops Count references; the last one during rundown wakes the waiter.
 * IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    ULONG_PTR drop = (ULONG_PTR)Count * RUNDOWN_UNIT;

    if (kmh_unlikely(__atomic_load_n(&RunRef->Count, __ATOMIC_RELAXED) < drop)) {
        vf_report(VF_LOCK, "ExReleaseRundownProtection", __builtin_return_address(0),
                  "%lu reference(s) released, fewer held on %p", (unsigned long)Count, (void *)RunRef);
        return;
    }
    if (__atomic_sub_fetch(&RunRef->Count, drop, __ATOMIC_RELEASE) == RUNDOWN_ACTIVE)
        futex_wake_all(low_word(&RunRef->Count));
}

/* Drops one reference. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    ExReleaseRundownProtectionEx(RunRef, 1);
}

/* Refuses new references and waits until the held ones are released.
 * IRQL <= APC_LEVEL. */
KMH_EXPORT void ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    NT_CHECK_IRQL(APC_LEVEL, "ExWaitForRundownProtectionRelease");
    ULONG_PTR v = __atomic_or_fetch(&RunRef->Count, RUNDOWN_ACTIVE, __ATOMIC_ACQUIRE);
    while (v != RUNDOWN_ACTIVE) {
        futex_wait(low_word(&RunRef->Count), (uint32_t)v);
        v = __atomic_load_n(&RunRef->Count, __ATOMIC_ACQUIRE);
    }
}

/* Marks the rundown complete: the object stays closed to new references
 * until ExReInitializeRundownProtection. Any IRQL. */
KMH_EXPORT void ExRundownCompleted(PEX_RUNDOWN_REF RunRef)
{
    __atomic_store_n(&RunRef->Count, RUNDOWN_ACTIVE, __ATOMIC_RELEASE);
}
