/*
 * Executive resources (ERESOURCE): reader/writer locks owned by threads,
 * recursive for both kinds of owner. Shared acquirers wait on a semaphore,
 * exclusive ones on a synchronization event; a release that frees the
 * resource hands it to the waiters before waking them (ownership never
 * goes to whoever runs first). An exclusive release prefers the shared
 * waiters, a shared release the exclusive ones, and a shared request
 * queues behind a waiting exclusive one unless it comes from
 * ExAcquireSharedStarveExclusive or from a thread already sharing it.
 *
 * The state lives in ERESOURCE.KmhOpaque behind a small spin lock held
 * only for bookkeeping; waits and wake-ups happen outside it.
 */
#include "nt/kernel.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#define RES_EXCLUSIVE 0x1
#define INLINE_OWNERS 3

struct owner {
    struct _KTHREAD *thread;
    ULONG count;
};

struct resource {
    LONG lock;
    USHORT flags;
    USHORT table_size;
    LONG active;                  /* acquisitions outstanding, all owners together */
    ULONG shared_waiters;
    ULONG exclusive_waiters;
    ULONG contention;
    struct owner *table;          /* owners past the inline ones */
    KSEMAPHORE shared_wait;
    KEVENT exclusive_wait;
    struct owner owners[INLINE_OWNERS]; /* owners[0] is the exclusive owner */
};
_Static_assert(sizeof(struct resource) <= sizeof(((ERESOURCE *)0)->KmhOpaque),
               "the resource fits its opaque space");

enum grant { GRANT_NONE, GRANT_SHARED, GRANT_EXCLUSIVE };

static struct resource *res_of(PERESOURCE resource)
{
    return (struct resource *)(void *)resource->KmhOpaque;
}

static void res_lock(struct resource *r)
{
    unsigned spins = 0;
    while (__atomic_exchange_n(&r->lock, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&r->lock, __ATOMIC_RELAXED)) {
            if (++spins < 64)
                __builtin_ia32_pause();
            else
                sched_yield();
        }
    }
}

static void res_unlock(struct resource *r)
{
    __atomic_store_n(&r->lock, 0, __ATOMIC_RELEASE);
}

static struct owner *find_owner(struct resource *r, struct _KTHREAD *thread)
{
    for (int i = 0; i < INLINE_OWNERS; i++)
        if (r->owners[i].thread == thread && r->owners[i].count)
            return &r->owners[i];
    for (USHORT i = 0; i < r->table_size; i++)
        if (r->table[i].thread == thread && r->table[i].count)
            return &r->table[i];
    return NULL;
}

static struct owner *free_slot(struct resource *r)
{
    for (int i = 0; i < INLINE_OWNERS; i++)
        if (!r->owners[i].count)
            return &r->owners[i];
    for (USHORT i = 0; i < r->table_size; i++)
        if (!r->table[i].count)
            return &r->table[i];
    USHORT size = r->table_size ? (USHORT)(r->table_size * 2) : 8;
    struct owner *table = realloc(r->table, size * sizeof(*table));
    if (!table) {
        kmh_log(KMH_LOG_ERROR, "nt", "out of memory for a resource's owner table");
        abort();
    }
    memset(table + r->table_size, 0, (size - r->table_size) * sizeof(*table));
    r->table = table;
    struct owner *slot = &table[r->table_size];
    r->table_size = size;
    return slot;
}

/* Lock held: one more acquisition by thread. */
static void add_hold(struct resource *r, struct _KTHREAD *thread)
{
    struct owner *owner = find_owner(r, thread);
    if (!owner) {
        owner = free_slot(r);
        owner->thread = thread;
    }
    owner->count++;
}

/* Lock held, resource just freed: hands it to waiters; the caller wakes
 * them once the lock is dropped. */
static enum grant grant_waiters(struct resource *r, bool was_exclusive, ULONG *shared_count)
{
    bool shared_first = was_exclusive || !r->exclusive_waiters;

    if (r->shared_waiters && shared_first) {
        r->flags &= ~RES_EXCLUSIVE;
        r->active = (LONG)r->shared_waiters;
        *shared_count = r->shared_waiters;
        r->shared_waiters = 0;
        return GRANT_SHARED;
    }
    if (r->exclusive_waiters) {
        r->exclusive_waiters--;
        r->flags |= RES_EXCLUSIVE;
        r->active = 1;
        r->owners[0].thread = NULL; /* the woken waiter fills it in */
        r->owners[0].count = 1;
        return GRANT_EXCLUSIVE;
    }
    return GRANT_NONE;
}

static void wake_granted(struct resource *r, enum grant grant, ULONG shared_count)
{
    if (grant == GRANT_SHARED)
        KeReleaseSemaphore(&r->shared_wait, IO_NO_INCREMENT, (LONG)shared_count, FALSE);
    else if (grant == GRANT_EXCLUSIVE)
        KeSetEvent(&r->exclusive_wait, IO_NO_INCREMENT, FALSE);
}

static void check_context(const char *ddi, void *caller)
{
    if (kmh_unlikely(nt_irql > APC_LEVEL))
        nt_irql_report_above(APC_LEVEL, ddi, caller);
    else if (kmh_unlikely(nt_irql < APC_LEVEL && !nt_tls.critical_depth && !nt_tls.guarded_depth))
        vf_report(VF_IRQL, ddi, caller, "resource acquired with normal kernel APCs enabled "
                                        "(call KeEnterCriticalRegion first)");
}

/* Initializes a free resource. IRQL <= DISPATCH_LEVEL. Returns STATUS_SUCCESS. */
KMH_EXPORT NTSTATUS ExInitializeResourceLite(PERESOURCE Resource)
{
    struct resource *r = res_of(Resource);

    memset(Resource, 0, sizeof(*Resource));
    InitializeListHead(&Resource->SystemResourcesList);
    KeInitializeSemaphore(&r->shared_wait, 0, MAXLONG);
    KeInitializeEvent(&r->exclusive_wait, SynchronizationEvent, FALSE);
    return STATUS_SUCCESS;
}

/* Frees what the resource holds and makes it free again. IRQL <=
 * DISPATCH_LEVEL. Returns STATUS_SUCCESS. */
KMH_EXPORT NTSTATUS ExReinitializeResourceLite(PERESOURCE Resource)
{
    free(res_of(Resource)->table);
    return ExInitializeResourceLite(Resource);
}

/* Releases what the resource holds; it must be unused. IRQL <= APC_LEVEL.
 * Deleting one owned or waited for is a verifier report. Returns
 * STATUS_SUCCESS. */
KMH_EXPORT NTSTATUS ExDeleteResourceLite(PERESOURCE Resource)
{
    struct resource *r = res_of(Resource);

    if (r->active || r->shared_waiters || r->exclusive_waiters)
        vf_report(VF_LOCK, "ExDeleteResourceLite", __builtin_return_address(0),
                  "resource %p deleted while owned (%ld) or waited for (%lu shared, %lu exclusive)",
                  (void *)Resource, (long)r->active, (unsigned long)r->shared_waiters,
                  (unsigned long)r->exclusive_waiters);
    free(r->table);
    r->table = NULL;
    r->table_size = 0;
    return STATUS_SUCCESS;
}

/* Acquires the resource exclusively (recursively if the caller already
 * does). IRQL <= APC_LEVEL with normal kernel APCs disabled. Returns TRUE
 * when acquired; FALSE if Wait is FALSE and it is not free, or (a verifier
 * report: a deadlock on Windows) if the caller holds it shared. */
KMH_EXPORT BOOLEAN ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait)
{
    void *caller = __builtin_return_address(0);
    struct resource *r = res_of(Resource);
    struct _KTHREAD *self = nt_thread_current();

    check_context("ExAcquireResourceExclusiveLite", caller);
    res_lock(r);
    if (!r->active || ((r->flags & RES_EXCLUSIVE) && r->owners[0].thread == self)) {
        r->flags |= RES_EXCLUSIVE;
        r->active++;
        r->owners[0].thread = self;
        r->owners[0].count++;
        res_unlock(r);
        return TRUE;
    }
    if (!(r->flags & RES_EXCLUSIVE) && find_owner(r, self)) {
        res_unlock(r);
        vf_report(VF_LOCK, "ExAcquireResourceExclusiveLite", caller,
                  "resource %p acquired exclusive by a thread holding it shared", (void *)Resource);
        return FALSE;
    }
    if (!Wait) {
        res_unlock(r);
        return FALSE;
    }
    r->exclusive_waiters++;
    r->contention++;
    res_unlock(r);
    KeWaitForSingleObject(&r->exclusive_wait, WrResource, KernelMode, FALSE, NULL);
    res_lock(r);
    r->owners[0].thread = self;
    res_unlock(r);
    return TRUE;
}

enum shared_kind { SHARED_NORMAL, SHARED_STARVE_EXCLUSIVE, SHARED_WAIT_FOR_EXCLUSIVE };

/* Lock held: whether self may take a shared hold right now. */
static bool shared_now(struct resource *r, struct _KTHREAD *self, enum shared_kind kind)
{
    if (!r->active)
        return true;
    if (r->flags & RES_EXCLUSIVE)
        return r->owners[0].thread == self;
    if (kind == SHARED_STARVE_EXCLUSIVE || !r->exclusive_waiters)
        return true;
    return kind == SHARED_NORMAL && find_owner(r, self);
}

static BOOLEAN acquire_shared(PERESOURCE Resource, BOOLEAN Wait, enum shared_kind kind)
{
    struct resource *r = res_of(Resource);
    struct _KTHREAD *self = nt_thread_current();

    res_lock(r);
    if (shared_now(r, self, kind)) {
        /* An exclusive owner's shared request is one more exclusive hold. */
        if (!r->active)
            r->flags &= ~RES_EXCLUSIVE;
        r->active++;
        add_hold(r, self);
        res_unlock(r);
        return TRUE;
    }
    if (!Wait) {
        res_unlock(r);
        return FALSE;
    }
    r->shared_waiters++;
    r->contention++;
    res_unlock(r);
    KeWaitForSingleObject(&r->shared_wait, WrResource, KernelMode, FALSE, NULL);
    res_lock(r);
    add_hold(r, self); /* the releaser counted us in active */
    res_unlock(r);
    return TRUE;
}

/* Acquires the resource shared: at once if it is free, shared with no
 * exclusive waiter, or already held by the caller (then recursively, in
 * the kind already held). IRQL <= APC_LEVEL with normal kernel APCs
 * disabled. Returns TRUE when acquired, FALSE if Wait is FALSE and it
 * cannot be at once. */
KMH_EXPORT BOOLEAN ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait)
{
    check_context("ExAcquireResourceSharedLite", __builtin_return_address(0));
    return acquire_shared(Resource, Wait, SHARED_NORMAL);
}

/* As ExAcquireResourceSharedLite, but ahead of exclusive waiters. */
KMH_EXPORT BOOLEAN ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    check_context("ExAcquireSharedStarveExclusive", __builtin_return_address(0));
    return acquire_shared(Resource, Wait, SHARED_STARVE_EXCLUSIVE);
}

/* As ExAcquireResourceSharedLite, but behind exclusive waiters even for a
 * caller that already holds it shared. */
KMH_EXPORT BOOLEAN ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    check_context("ExAcquireSharedWaitForExclusive", __builtin_return_address(0));
    return acquire_shared(Resource, Wait, SHARED_WAIT_FOR_EXCLUSIVE);
}

static void release_for(PERESOURCE Resource, struct _KTHREAD *thread, const char *ddi, void *caller)
{
    struct resource *r = res_of(Resource);

    res_lock(r);
    struct owner *owner = find_owner(r, thread);
    if (!owner) {
        res_unlock(r);
        vf_report(VF_LOCK, ddi, caller, "resource %p released by a thread that does not hold it",
                  (void *)Resource);
        return;
    }
    bool was_exclusive = r->flags & RES_EXCLUSIVE;
    if (--owner->count == 0)
        owner->thread = NULL;
    enum grant grant = GRANT_NONE;
    ULONG shared_count = 0;
    if (--r->active == 0)
        grant = grant_waiters(r, was_exclusive, &shared_count);
    res_unlock(r);
    wake_granted(r, grant, shared_count);
}

/* Releases one acquisition by the calling thread. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseResourceLite(PERESOURCE Resource)
{
    void *caller = __builtin_return_address(0);
    NT_CHECK_IRQL(DISPATCH_LEVEL, "ExReleaseResourceLite");
    release_for(Resource, nt_thread_current(), "ExReleaseResourceLite", caller);
}

/* Releases one acquisition made by ResourceThreadId (an
 * ExGetCurrentResourceThread value of the acquirer). IRQL <=
 * DISPATCH_LEVEL. */
KMH_EXPORT void ExReleaseResourceForThreadLite(PERESOURCE Resource, ERESOURCE_THREAD ResourceThreadId)
{
    void *caller = __builtin_return_address(0);
    NT_CHECK_IRQL(DISPATCH_LEVEL, "ExReleaseResourceForThreadLite");
    release_for(Resource, (struct _KTHREAD *)ResourceThreadId, "ExReleaseResourceForThreadLite",
                caller);
}

/* TRUE if the caller holds the resource exclusively. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT BOOLEAN ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource)
{
    struct resource *r = res_of(Resource);
    struct _KTHREAD *self = nt_thread_current();

    res_lock(r);
    BOOLEAN held = (r->flags & RES_EXCLUSIVE) && r->active && r->owners[0].thread == self;
    res_unlock(r);
    return held;
}

/* Returns how many times the caller holds the resource (shared or
 * exclusive), 0 if not at all. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT ULONG ExIsResourceAcquiredSharedLite(PERESOURCE Resource)
{
    struct resource *r = res_of(Resource);
    struct _KTHREAD *self = nt_thread_current();

    res_lock(r);
    struct owner *owner = find_owner(r, self);
    ULONG count = owner ? owner->count : 0;
    res_unlock(r);
    return count;
}

/* Returns the number of threads waiting for exclusive access. IRQL <=
 * DISPATCH_LEVEL. */
KMH_EXPORT ULONG ExGetExclusiveWaiterCount(PERESOURCE Resource)
{
    struct resource *r = res_of(Resource);

    res_lock(r);
    ULONG count = r->exclusive_waiters;
    res_unlock(r);
    return count;
}

/* Returns the number of threads waiting for shared access. IRQL <=
 * DISPATCH_LEVEL. */
KMH_EXPORT ULONG ExGetSharedWaiterCount(PERESOURCE Resource)
{
    struct resource *r = res_of(Resource);

    res_lock(r);
    ULONG count = r->shared_waiters;
    res_unlock(r);
    return count;
}

/* Returns the identifier ExReleaseResourceForThreadLite takes for the
 * calling thread. Any IRQL. */
KMH_EXPORT ERESOURCE_THREAD ExGetCurrentResourceThread(void)
{
    return (ERESOURCE_THREAD)nt_thread_current();
}

/* Enters a critical region and acquires the resource exclusively, waiting
 * if needed. IRQL <= APC_LEVEL. Returns the thread's Win32 thread, which a
 * kmhost thread does not have (NULL). */
KMH_EXPORT PVOID ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource)
{
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(Resource, TRUE);
    return NULL;
}

/* Enters a critical region and acquires the resource shared, waiting if
 * needed. IRQL <= APC_LEVEL. Returns NULL (see above). */
KMH_EXPORT PVOID ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource)
{
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(Resource, TRUE);
    return NULL;
}

/* Releases the resource and leaves the critical region. IRQL <= APC_LEVEL. */
KMH_EXPORT void ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource)
{
    release_for(Resource, nt_thread_current(), "ExReleaseResourceAndLeaveCriticalRegion",
                __builtin_return_address(0));
    KeLeaveCriticalRegion();
}
