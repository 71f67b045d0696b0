/*
 * Executive locks (src/nt/resource.c, fastmutex.c, pushlock_rundown.c):
 * ERESOURCE sharing, exclusion, recursion, waiter preferences and release
 * for another thread; fast and guarded mutexes; push locks; rundown
 * protection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>

#include "nt/nt.h"
#include "verifier/verifier.h"
#include "test-support.h"

#define THREADS 4
#define ROUNDS 2000

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return 0;
}

/* Polls cond (waiting 1 ms between looks) for up to 10 s: for states no
 * event announces, such as "another thread is now waiting". */
static bool eventually(bool (*cond)(void *), void *arg)
{
    LARGE_INTEGER ms = { .QuadPart = -10000 };
    for (int i = 0; i < 10000; i++) {
        if (cond(arg))
            return true;
        KeDelayExecutionThread(KernelMode, FALSE, &ms);
    }
    return false;
}

struct try_res {
    PERESOURCE res;
    BOOLEAN (*acquire)(PERESOURCE, BOOLEAN);
    BOOLEAN wait, got;
};

static void *try_in_thread(void *arg)
{
    struct try_res *t = arg;
    KeEnterCriticalRegion();
    t->got = t->acquire(t->res, t->wait);
    if (t->got)
        ExReleaseResourceLite(t->res);
    KeLeaveCriticalRegion();
    return NULL;
}

static BOOLEAN other_thread(PERESOURCE res, BOOLEAN (*acquire)(PERESOURCE, BOOLEAN), BOOLEAN wait)
{
    struct try_res t = { .res = res, .acquire = acquire, .wait = wait };
    pthread_t id;
    assert_int_equal(pthread_create(&id, NULL, try_in_thread, &t), 0);
    pthread_join(id, NULL);
    return t.got;
}

static void resource_shared_by_many(void **state)
{
    ERESOURCE res;

    (void)state;
    ExInitializeResourceLite(&res);
    KeEnterCriticalRegion();
    assert_true(ExAcquireResourceSharedLite(&res, TRUE));
    assert_true(other_thread(&res, ExAcquireResourceSharedLite, FALSE));
    assert_false(other_thread(&res, ExAcquireResourceExclusiveLite, FALSE));
    assert_int_equal(ExIsResourceAcquiredSharedLite(&res), 1);
    assert_false(ExIsResourceAcquiredExclusiveLite(&res));
    ExReleaseResourceLite(&res);
    KeLeaveCriticalRegion();
    assert_true(other_thread(&res, ExAcquireResourceExclusiveLite, FALSE));
    ExDeleteResourceLite(&res);
    assert_int_equal(vf_report_total(), 0);
}

static void resource_exclusive_is_recursive_and_exclusive(void **state)
{
    ERESOURCE res;

    (void)state;
    ExInitializeResourceLite(&res);
    KeEnterCriticalRegion();
    assert_true(ExAcquireResourceExclusiveLite(&res, TRUE));
    assert_true(ExAcquireResourceExclusiveLite(&res, FALSE));
    assert_true(ExAcquireResourceSharedLite(&res, FALSE)); /* exclusive owner: recursive */
    assert_true(ExIsResourceAcquiredExclusiveLite(&res));
    assert_int_equal(ExIsResourceAcquiredSharedLite(&res), 3);
    assert_false(other_thread(&res, ExAcquireResourceSharedLite, FALSE));
    assert_false(other_thread(&res, ExAcquireSharedStarveExclusive, FALSE));
    for (int i = 0; i < 3; i++)
        ExReleaseResourceLite(&res);
    assert_false(ExIsResourceAcquiredExclusiveLite(&res));
    KeLeaveCriticalRegion();
    assert_true(other_thread(&res, ExAcquireResourceSharedLite, FALSE));
    ExDeleteResourceLite(&res);
}

static bool has_exclusive_waiter(void *res)
{
    return ExGetExclusiveWaiterCount(res) == 1;
}

static void exclusive_waiter_holds_back_new_sharers(void **state)
{
    ERESOURCE res;
    struct try_res waiter = { .res = &res, .acquire = ExAcquireResourceExclusiveLite, .wait = TRUE };
    pthread_t id;

    (void)state;
    ExInitializeResourceLite(&res);
    KeEnterCriticalRegion();
    assert_true(ExAcquireResourceSharedLite(&res, TRUE));
    assert_int_equal(pthread_create(&id, NULL, try_in_thread, &waiter), 0);
    assert_true(eventually(has_exclusive_waiter, &res));
    assert_false(other_thread(&res, ExAcquireResourceSharedLite, FALSE));
    assert_true(other_thread(&res, ExAcquireSharedStarveExclusive, FALSE));
    assert_true(ExAcquireResourceSharedLite(&res, FALSE));          /* already shared: recursive */
    assert_false(ExAcquireSharedWaitForExclusive(&res, FALSE));     /* ...but not this one */
    ExReleaseResourceLite(&res);
    ExReleaseResourceLite(&res);
    KeLeaveCriticalRegion();
    pthread_join(id, NULL); /* the exclusive waiter got it and released it */
    assert_true(waiter.got);
    assert_int_equal(ExGetExclusiveWaiterCount(&res), 0);
    ExDeleteResourceLite(&res);
}

struct sharer {
    PERESOURCE res;
    ERESOURCE_THREAD owner;
    KEVENT acquired, go;
};

/* Takes the resource shared and stays alive (its thread object with it)
 * until told, without releasing. */
static void *share_and_linger(void *arg)
{
    struct sharer *s = arg;
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(s->res, TRUE);
    s->owner = ExGetCurrentResourceThread();
    KeSetEvent(&s->acquired, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(&s->go, Executive, KernelMode, FALSE, NULL);
    KeLeaveCriticalRegion();
    return NULL;
}

static void release_for_another_thread(void **state)
{
    ERESOURCE res;
    struct sharer s = { .res = &res };
    pthread_t id;

    (void)state;
    ExInitializeResourceLite(&res);
    KeInitializeEvent(&s.acquired, NotificationEvent, FALSE);
    KeInitializeEvent(&s.go, NotificationEvent, FALSE);
    assert_int_equal(pthread_create(&id, NULL, share_and_linger, &s), 0);
    KeWaitForSingleObject(&s.acquired, Executive, KernelMode, FALSE, NULL);
    assert_false(other_thread(&res, ExAcquireResourceExclusiveLite, FALSE));
    ExReleaseResourceForThreadLite(&res, s.owner);
    assert_true(other_thread(&res, ExAcquireResourceExclusiveLite, FALSE));
    KeSetEvent(&s.go, IO_NO_INCREMENT, FALSE);
    pthread_join(id, NULL);
    ExDeleteResourceLite(&res);
    assert_int_equal(vf_report_total(), 0);
}

struct counter {
    ERESOURCE res;
    FAST_MUTEX fast;
    EX_PUSH_LOCK push;
    LONG value;
    int kind;
};

static void *count_up(void *arg)
{
    struct counter *c = arg;
    for (int i = 0; i < ROUNDS; i++) {
        if (c->kind == 0) {
            KeEnterCriticalRegion();
            ExAcquireResourceExclusiveLite(&c->res, TRUE);
        } else if (c->kind == 1) {
            ExAcquireFastMutex(&c->fast);
        } else {
            KeEnterCriticalRegion();
            ExAcquirePushLockExclusive(&c->push);
        }
        LONG v = c->value; /* a lost update shows if exclusion fails */
        c->value = v + 1;
        if (c->kind == 0) {
            ExReleaseResourceLite(&c->res);
            KeLeaveCriticalRegion();
        } else if (c->kind == 1) {
            ExReleaseFastMutex(&c->fast);
        } else {
            ExReleasePushLockExclusive(&c->push);
            KeLeaveCriticalRegion();
        }
    }
    return NULL;
}

static void exclusion_under_contention(void **state)
{
    struct counter c;
    pthread_t ids[THREADS];

    (void)state;
    ExInitializeResourceLite(&c.res);
    ExInitializeFastMutex(&c.fast);
    ExInitializePushLock(&c.push);
    for (c.kind = 0; c.kind < 3; c.kind++) {
        c.value = 0;
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(pthread_create(&ids[i], NULL, count_up, &c), 0);
        for (int i = 0; i < THREADS; i++)
            pthread_join(ids[i], NULL);
        assert_int_equal(c.value, THREADS * ROUNDS);
    }
    ExDeleteResourceLite(&c.res);
    assert_int_equal(vf_report_total(), 0);
}

static void resource_misuse_is_reported(void **state)
{
    ERESOURCE res;

    (void)state;
    ExInitializeResourceLite(&res);
    assert_true(ExAcquireResourceSharedLite(&res, TRUE)); /* APCs enabled */
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    KeEnterCriticalRegion();
    assert_false(ExAcquireResourceExclusiveLite(&res, TRUE)); /* shared to exclusive: deadlock */
    assert_int_equal(vf_report_count(VF_LOCK), 1);
    ExReleaseResourceLite(&res);
    ExReleaseResourceLite(&res); /* not held any more */
    assert_int_equal(vf_report_count(VF_LOCK), 2);
    KeLeaveCriticalRegion();
    ExDeleteResourceLite(&res);
}

static void *try_fast_mutex(void *arg)
{
    BOOLEAN got = ExTryToAcquireFastMutex(arg);
    if (got)
        ExReleaseFastMutex(arg);
    return (void *)(uintptr_t)got;
}

static void fast_mutex_raises_to_apc_and_is_not_recursive(void **state)
{
    FAST_MUTEX mutex;
    pthread_t id;
    void *got;

    (void)state;
    ExInitializeFastMutex(&mutex);
    ExAcquireFastMutex(&mutex);
    assert_int_equal(KeGetCurrentIrql(), APC_LEVEL);
    assert_int_equal(pthread_create(&id, NULL, try_fast_mutex, &mutex), 0);
    pthread_join(id, &got);
    assert_false((uintptr_t)got);
    ExAcquireFastMutex(&mutex); /* recursion: a deadlock on Windows */
    assert_int_equal(vf_report_count(VF_LOCK), 1);
    ExReleaseFastMutex(&mutex);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    assert_true(ExTryToAcquireFastMutex(&mutex));
    ExReleaseFastMutex(&mutex);
}

static void guarded_mutex_enters_guarded_region(void **state)
{
    KGUARDED_MUTEX mutex;

    (void)state;
    KeInitializeGuardedMutex(&mutex);
    KeAcquireGuardedMutex(&mutex);
    assert_true(KeAreAllApcsDisabled());
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KeReleaseGuardedMutex(&mutex);
    assert_false(KeAreAllApcsDisabled());
    assert_true(KeTryToAcquireGuardedMutex(&mutex));
    KeReleaseGuardedMutex(&mutex);
    ExAcquireFastMutexUnsafe(&mutex); /* APCs enabled: reported */
    ExReleaseFastMutexUnsafe(&mutex);
    assert_int_equal(vf_report_count(VF_IRQL), 2);
}

static void *share_push_lock(void *arg)
{
    ExAcquirePushLockShared((PEX_PUSH_LOCK)arg);
    ExReleasePushLockShared((PEX_PUSH_LOCK)arg);
    return NULL;
}

static void push_lock_shares(void **state)
{
    EX_PUSH_LOCK lock;
    pthread_t id;

    (void)state;
    ExInitializePushLock(&lock);
    ExAcquirePushLockShared(&lock);
    assert_int_equal(pthread_create(&id, NULL, share_push_lock, &lock), 0);
    pthread_join(id, NULL); /* did not block on our shared hold */
    ExReleasePushLockShared(&lock);
    ExReleasePushLockShared(&lock); /* not held */
    assert_int_equal(vf_report_count(VF_LOCK), 1);
}

struct rundown {
    EX_RUNDOWN_REF ref;
    KEVENT acquired, go;
    volatile LONG released;
};

static void *hold_rundown(void *arg)
{
    struct rundown *r = arg;
    assert_true(ExAcquireRundownProtection(&r->ref));
    KeSetEvent(&r->acquired, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(&r->go, Executive, KernelMode, FALSE, NULL);
    __atomic_store_n(&r->released, 1, __ATOMIC_SEQ_CST);
    ExReleaseRundownProtection(&r->ref);
    return NULL;
}

static void rundown_waits_for_references(void **state)
{
    struct rundown r;
    pthread_t id;

    (void)state;
    ExInitializeRundownProtection(&r.ref);
    KeInitializeEvent(&r.acquired, NotificationEvent, FALSE);
    KeInitializeEvent(&r.go, NotificationEvent, FALSE);
    r.released = 0;
    assert_true(ExAcquireRundownProtectionEx(&r.ref, 2));
    ExReleaseRundownProtectionEx(&r.ref, 2);
    assert_int_equal(pthread_create(&id, NULL, hold_rundown, &r), 0);
    KeWaitForSingleObject(&r.acquired, Executive, KernelMode, FALSE, NULL);
    KeSetEvent(&r.go, IO_NO_INCREMENT, FALSE);
    ExWaitForRundownProtectionRelease(&r.ref);
    assert_int_equal(r.released, 1);
    assert_false(ExAcquireRundownProtection(&r.ref));
    ExRundownCompleted(&r.ref);
    assert_false(ExAcquireRundownProtection(&r.ref));
    ExReInitializeRundownProtection(&r.ref);
    assert_true(ExAcquireRundownProtection(&r.ref));
    ExReleaseRundownProtection(&r.ref);
    pthread_join(id, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(resource_shared_by_many, setup),
        cmocka_unit_test_setup(resource_exclusive_is_recursive_and_exclusive, setup),
        cmocka_unit_test_setup(exclusive_waiter_holds_back_new_sharers, setup),
        cmocka_unit_test_setup(release_for_another_thread, setup),
        cmocka_unit_test_setup(exclusion_under_contention, setup),
        cmocka_unit_test_setup(resource_misuse_is_reported, setup),
        cmocka_unit_test_setup(fast_mutex_raises_to_apc_and_is_not_recursive, setup),
        cmocka_unit_test_setup(guarded_mutex_enters_guarded_region, setup),
        cmocka_unit_test_setup(push_lock_shares, setup),
        cmocka_unit_test_setup(rundown_waits_for_references, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
