/*
 * Semaphores (a count up to a limit; each satisfied wait takes one) and
 * kernel mutexes (owned, recursive, released only by their owner; owning
 * one keeps normal kernel APCs off, as on Windows).
 */
#include "nt/kernel.h"

/* Initializes a semaphore with Count of Limit available. Any IRQL. */
KMH_EXPORT void KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit)
{
    nt_dispatcher_init_header(&Semaphore->Header, SemaphoreObject, sizeof(*Semaphore), Count);
    Semaphore->Limit = Limit;
}

static bool exceeds(LONG count, LONG adjustment, LONG limit)
{
    return adjustment < 0 || (LONG64)count + adjustment > limit;
}

/* Adds Adjustment to the count, releasing as many waiters; returns the
 * previous count. IRQL <= DISPATCH_LEVEL. Raises
 * STATUS_SEMAPHORE_LIMIT_EXCEEDED (count unchanged) if the count would pass
 * the limit. */
KMH_EXPORT LONG KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                                   BOOLEAN Wait)
{
    DISPATCHER_HEADER *header = &Semaphore->Header;
    LONG limit = Semaphore->Limit, old;
    uint64_t word = nt_hdr_load(header);

    (void)Increment, (void)Wait;
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeReleaseSemaphore");
    while (!nt_hdr_has_waiters(word)) {
        old = nt_hdr_state(word);
        if (exceeds(old, Adjustment, limit))
            ExRaiseStatus(STATUS_SEMAPHORE_LIMIT_EXCEEDED);
        if (nt_hdr_cas(header, &word, nt_hdr_with_state(word, old + Adjustment)))
            return old;
    }
    /* The waiters may have gone by the time we hold the lock, and then a
     * lock-free wait may take a count at any moment: add with a swap too,
     * never store a count computed from an earlier read. */
    pthread_mutex_lock(&nt_dispatcher_lock);
    word = nt_hdr_load(header);
    do {
        old = nt_hdr_state(word);
        if (exceeds(old, Adjustment, limit)) {
            pthread_mutex_unlock(&nt_dispatcher_lock);
            ExRaiseStatus(STATUS_SEMAPHORE_LIMIT_EXCEEDED);
        }
    } while (!nt_hdr_cas(header, &word, nt_hdr_with_state(word, old + Adjustment)));
    /* The flag cannot change while we hold the lock: without it, the swap
     * was the last touch. */
    if (nt_hdr_has_waiters(word))
        nt_dispatcher_satisfy_locked(header);
    pthread_mutex_unlock(&nt_dispatcher_lock);
    return old;
}

/* Returns the semaphore's count. Any IRQL. */
KMH_EXPORT LONG KeReadStateSemaphore(PRKSEMAPHORE Semaphore)
{
    return nt_hdr_state(nt_hdr_load(&Semaphore->Header));
}

/* Initializes a free (signalled) mutex; Level is reserved. Any IRQL. */
KMH_EXPORT void KeInitializeMutex(PRKMUTEX Mutex, ULONG Level)
{
    (void)Level;
    nt_dispatcher_init_header(&Mutex->Header, MutantObject, sizeof(*Mutex), 1);
    InitializeListHead(&Mutex->MutantListEntry);
    Mutex->OwnerThread = NULL;
    Mutex->Abandoned = FALSE;
    Mutex->ApcDisable = 1;
}

/* Releases one acquisition of a mutex the caller owns; the last one frees
 * it and releases a waiter. Returns the previous state (0: it is free
 * now). IRQL <= DISPATCH_LEVEL. A release by a thread that does not own
 * the mutex is a verifier report and changes nothing (Windows raises
 * STATUS_MUTANT_NOT_OWNED). */
KMH_EXPORT LONG KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait)
{
    DISPATCHER_HEADER *header = &Mutex->Header;
    struct _KTHREAD *self = nt_tls.thread;

    (void)Wait;
    NT_CHECK_IRQL(DISPATCH_LEVEL, "KeReleaseMutex");
    pthread_mutex_lock(&nt_dispatcher_lock);
    LONG old = nt_hdr_state(nt_hdr_load(header));
    if (!self || Mutex->OwnerThread != self) {
        pthread_mutex_unlock(&nt_dispatcher_lock);
        vf_report(VF_LOCK, "KeReleaseMutex", __builtin_return_address(0),
                  "mutex %p released by a thread that does not own it", (void *)Mutex);
        return old;
    }
    if (old == 0) {
        Mutex->OwnerThread = NULL;
        nt_tls.mutexes_held--;
        nt_tls.critical_depth--;
    }
    nt_dispatcher_set_state_locked(header, old + 1);
    pthread_mutex_unlock(&nt_dispatcher_lock);
    return old;
}

/* Returns the mutex's state (1: free; 0 or less: owned). Any IRQL. */
KMH_EXPORT LONG KeReadStateMutex(PRKMUTEX Mutex)
{
    return nt_hdr_state(nt_hdr_load(&Mutex->Header));
}
