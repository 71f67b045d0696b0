/*
 * Callback locks: what automatic synchronization holds around a driver's
 * callbacks (queue I/O callbacks, file object events, timers, DPCs and
 * work items with AutomaticSerialization). A dispatch-level lock is a spin
 * lock, as KMDF's is; a passive-level one is a mutex, so callbacks may
 * wait. The owner is remembered so a recursive acquisition — a callback
 * calling back into something that takes the same lock — is reported.
 */
#include "fx/fx.h"

#include <stdlib.h>

struct fx_callback_lock *fx_callback_lock_new(bool passive)
{
    struct fx_callback_lock *lock = calloc(1, sizeof(*lock));
    if (!lock)
        return NULL;
    lock->passive = passive;
    KeInitializeSpinLock(&lock->spin);
    pthread_mutex_init(&lock->mutex, NULL);
    return lock;
}

void fx_callback_lock_free(struct fx_callback_lock *lock)
{
    if (!lock)
        return;
    pthread_mutex_destroy(&lock->mutex);
    free(lock);
}

void fx_callback_lock_acquire(struct fx_callback_lock *lock)
{
    PETHREAD self = PsGetCurrentThread();
    if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == self)
        fx_violation("automatic synchronization", "a callback re-entered the lock its own scope holds");
    if (lock->passive) {
        pthread_mutex_lock(&lock->mutex);
    } else {
        KIRQL irql;
        KeAcquireSpinLock(&lock->spin, &irql);
        lock->irql = irql;
    }
    __atomic_store_n(&lock->owner, self, __ATOMIC_RELAXED);
}

void fx_callback_lock_release(struct fx_callback_lock *lock)
{
    __atomic_store_n(&lock->owner, NULL, __ATOMIC_RELAXED);
    if (lock->passive)
        pthread_mutex_unlock(&lock->mutex);
    else
        KeReleaseSpinLock(&lock->spin, lock->irql);
}
