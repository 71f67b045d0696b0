/*
 * Events, semaphores and mutexes (src/nt/event.c, semaphore_mutex.c,
 * dispatcher.c): what each kind of signal releases and consumes, the
 * values the DDIs return, the semaphore limit and mutex ownership.
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

#define WAITERS 4

static LARGE_INTEGER relative_ms(LONG ms)
{
    LARGE_INTEGER t = { .QuadPart = -10000ll * ms };
    return t;
}

static NTSTATUS wait_ms(PVOID object, LONG ms)
{
    LARGE_INTEGER timeout = relative_ms(ms);
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &timeout);
}

static NTSTATUS poll(PVOID object)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &zero);
}

/* Waiters block on `object`, count how many got through in `released`
 * and tell the test each time through `progress` (a semaphore). */
struct waiters {
    PVOID object;
    KSEMAPHORE started, progress;
    LONG released;
    pthread_t threads[WAITERS];
};

static void *waiter(void *arg)
{
    struct waiters *w = arg;
    KeReleaseSemaphore(&w->started, IO_NO_INCREMENT, 1, FALSE);
    if (KeWaitForSingleObject(w->object, Executive, KernelMode, FALSE, NULL) == STATUS_SUCCESS)
        __atomic_add_fetch(&w->released, 1, __ATOMIC_SEQ_CST);
    KeReleaseSemaphore(&w->progress, IO_NO_INCREMENT, 1, FALSE);
    return NULL;
}

static void start_waiters(struct waiters *w, PVOID object)
{
    w->object = object;
    w->released = 0;
    KeInitializeSemaphore(&w->started, 0, MAXLONG);
    KeInitializeSemaphore(&w->progress, 0, MAXLONG);
    for (int i = 0; i < WAITERS; i++)
        assert_int_equal(pthread_create(&w->threads[i], NULL, waiter, w), 0);
    for (int i = 0; i < WAITERS; i++)
        assert_int_equal(wait_ms(&w->started, 10000), STATUS_SUCCESS);
}

static void join_waiters(struct waiters *w)
{
    for (int i = 0; i < WAITERS; i++)
        pthread_join(w->threads[i], NULL);
}

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return 0;
}

static void set_reset_and_read(void **state)
{
    KEVENT event;

    (void)state;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    assert_int_equal(KeReadStateEvent(&event), 0);
    assert_int_equal(KeSetEvent(&event, IO_NO_INCREMENT, FALSE), 0);
    assert_int_equal(KeSetEvent(&event, IO_NO_INCREMENT, FALSE), 1);
    assert_int_equal(KeReadStateEvent(&event), 1);
    assert_int_equal(KeResetEvent(&event), 1);
    assert_int_equal(KeResetEvent(&event), 0);
    KeSetEvent(&event, IO_NO_INCREMENT, FALSE);
    KeClearEvent(&event);
    assert_int_equal(KeReadStateEvent(&event), 0);
    KeInitializeEvent(&event, SynchronizationEvent, TRUE);
    assert_int_equal(KeReadStateEvent(&event), 1);
}

static void notification_event_releases_all(void **state)
{
    struct waiters w;
    KEVENT event;

    (void)state;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    start_waiters(&w, &event);
    KeSetEvent(&event, IO_NO_INCREMENT, FALSE);
    for (int i = 0; i < WAITERS; i++)
        assert_int_equal(wait_ms(&w.progress, 10000), STATUS_SUCCESS);
    join_waiters(&w);
    assert_int_equal(w.released, WAITERS);
    assert_int_equal(KeReadStateEvent(&event), 1); /* stays signalled */
    assert_int_equal(poll(&event), STATUS_SUCCESS);
}

static void synchronization_event_releases_one(void **state)
{
    struct waiters w;
    KEVENT event;

    (void)state;
    KeInitializeEvent(&event, SynchronizationEvent, FALSE);
    start_waiters(&w, &event);
    for (int round = 1; round <= WAITERS; round++) {
        KeSetEvent(&event, IO_NO_INCREMENT, FALSE);
        assert_int_equal(wait_ms(&w.progress, 10000), STATUS_SUCCESS);
        /* Exactly one per set: no other waiter gets through meanwhile. */
        assert_int_equal(wait_ms(&w.progress, 50), STATUS_TIMEOUT);
        assert_int_equal(__atomic_load_n(&w.released, __ATOMIC_SEQ_CST), round);
        assert_int_equal(KeReadStateEvent(&event), 0); /* reset by the wait */
    }
    join_waiters(&w);
}

static void synchronization_event_consumed_by_wait(void **state)
{
    KEVENT event;

    (void)state;
    KeInitializeEvent(&event, SynchronizationEvent, TRUE);
    assert_int_equal(poll(&event), STATUS_SUCCESS);
    assert_int_equal(poll(&event), STATUS_TIMEOUT);
    assert_int_equal(KeReadStateEvent(&event), 0);
}

static void pulse_releases_waiters_and_resets(void **state)
{
    struct waiters w;
    KEVENT event;

    (void)state;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    assert_int_equal(KePulseEvent(&event, IO_NO_INCREMENT, FALSE), 0);
    assert_int_equal(KeReadStateEvent(&event), 0);
    start_waiters(&w, &event);
    /* A waiter counted as started may not be waiting yet: pulse until all
     * are through, each pulse releasing whoever waits at that moment. */
    for (int i = 0; i < WAITERS; i++) {
        while (wait_ms(&w.progress, 20) == STATUS_TIMEOUT)
            KePulseEvent(&event, IO_NO_INCREMENT, FALSE);
        assert_int_equal(KeReadStateEvent(&event), 0);
    }
    join_waiters(&w);
    assert_int_equal(w.released, WAITERS);
}

static void semaphore_counts(void **state)
{
    KSEMAPHORE sem;

    (void)state;
    KeInitializeSemaphore(&sem, 2, 5);
    assert_int_equal(KeReadStateSemaphore(&sem), 2);
    assert_int_equal(poll(&sem), STATUS_SUCCESS);
    assert_int_equal(poll(&sem), STATUS_SUCCESS);
    assert_int_equal(poll(&sem), STATUS_TIMEOUT);
    assert_int_equal(KeReleaseSemaphore(&sem, IO_NO_INCREMENT, 3, FALSE), 0);
    assert_int_equal(KeReleaseSemaphore(&sem, IO_NO_INCREMENT, 2, FALSE), 3);
    assert_int_equal(KeReadStateSemaphore(&sem), 5);
}

static void semaphore_releases_as_many_waiters(void **state)
{
    struct waiters w;
    KSEMAPHORE sem;

    (void)state;
    KeInitializeSemaphore(&sem, 0, WAITERS);
    start_waiters(&w, &sem);
    KeReleaseSemaphore(&sem, IO_NO_INCREMENT, 2, FALSE);
    assert_int_equal(wait_ms(&w.progress, 10000), STATUS_SUCCESS);
    assert_int_equal(wait_ms(&w.progress, 10000), STATUS_SUCCESS);
    assert_int_equal(wait_ms(&w.progress, 50), STATUS_TIMEOUT);
    assert_int_equal(__atomic_load_n(&w.released, __ATOMIC_SEQ_CST), 2);
    KeReleaseSemaphore(&sem, IO_NO_INCREMENT, 2, FALSE);
    join_waiters(&w);
    assert_int_equal(w.released, WAITERS);
    assert_int_equal(KeReadStateSemaphore(&sem), 0);
}

static void semaphore_limit_raises(void **state)
{
    KSEMAPHORE sem;
    volatile NTSTATUS raised = STATUS_SUCCESS;
    volatile LONG previous = -1;

    (void)state;
    KeInitializeSemaphore(&sem, 1, 2);
    __try {
        previous = KeReleaseSemaphore(&sem, IO_NO_INCREMENT, 2, FALSE);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        raised = GetExceptionCode();
    }
    assert_int_equal(raised, STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    assert_int_equal(previous, -1);
    assert_int_equal(KeReadStateSemaphore(&sem), 1); /* unchanged */
    assert_int_equal(KeReleaseSemaphore(&sem, IO_NO_INCREMENT, 1, FALSE), 1);
}

static void mutex_is_recursive(void **state)
{
    KMUTEX mutex;

    (void)state;
    KeInitializeMutex(&mutex, 0);
    assert_int_equal(KeReadStateMutex(&mutex), 1);
    assert_int_equal(poll(&mutex), STATUS_SUCCESS);
    assert_int_equal(poll(&mutex), STATUS_SUCCESS);
    assert_int_equal(KeReadStateMutex(&mutex), -1);
    assert_true(KeAreApcsDisabled()); /* owning a mutex disables normal APCs */
    assert_int_equal(KeReleaseMutex(&mutex, FALSE), -1);
    assert_int_equal(KeReleaseMutex(&mutex, FALSE), 0);
    assert_int_equal(KeReadStateMutex(&mutex), 1);
    assert_false(KeAreApcsDisabled());
    assert_int_equal(vf_report_total(), 0);
}

struct mutex_contender {
    KMUTEX *mutex;
    NTSTATUS status;
    LONG release_state;
};

static void *poll_mutex(void *arg)
{
    struct mutex_contender *c = arg;
    c->status = poll(c->mutex);
    return NULL;
}

static void *take_and_release(void *arg)
{
    struct mutex_contender *c = arg;
    c->status = wait_ms(c->mutex, 10000);
    c->release_state = KeReleaseMutex(c->mutex, FALSE);
    return NULL;
}

static void mutex_excludes_other_threads(void **state)
{
    KMUTEX mutex;
    struct mutex_contender poller = { .mutex = &mutex }, taker = { .mutex = &mutex };
    pthread_t thread;

    (void)state;
    KeInitializeMutex(&mutex, 0);
    assert_int_equal(poll(&mutex), STATUS_SUCCESS);
    assert_int_equal(poll(&mutex), STATUS_SUCCESS);
    assert_int_equal(pthread_create(&thread, NULL, poll_mutex, &poller), 0);
    pthread_join(thread, NULL);
    assert_int_equal(poller.status, STATUS_TIMEOUT);
    assert_int_equal(pthread_create(&thread, NULL, take_and_release, &taker), 0);
    KeReleaseMutex(&mutex, FALSE); /* still owned once: the taker waits on */
    KeReleaseMutex(&mutex, FALSE);
    pthread_join(thread, NULL);
    assert_int_equal(taker.status, STATUS_SUCCESS);
    assert_int_equal(taker.release_state, 0);
    assert_int_equal(KeReadStateMutex(&mutex), 1);
}

static void *release_not_owned(void *arg)
{
    KeReleaseMutex(arg, FALSE);
    return NULL;
}

static void mutex_release_by_non_owner_is_reported(void **state)
{
    KMUTEX mutex;
    pthread_t thread;

    (void)state;
    KeInitializeMutex(&mutex, 0);
    assert_int_equal(poll(&mutex), STATUS_SUCCESS);
    assert_int_equal(pthread_create(&thread, NULL, release_not_owned, &mutex), 0);
    pthread_join(thread, NULL);
    assert_int_equal(vf_report_count(VF_LOCK), 1);
    assert_int_equal(KeReadStateMutex(&mutex), 0); /* still ours */
    assert_int_equal(KeReleaseMutex(&mutex, FALSE), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(set_reset_and_read, setup),
        cmocka_unit_test_setup(notification_event_releases_all, setup),
        cmocka_unit_test_setup(synchronization_event_releases_one, setup),
        cmocka_unit_test_setup(synchronization_event_consumed_by_wait, setup),
        cmocka_unit_test_setup(pulse_releases_waiters_and_resets, setup),
        cmocka_unit_test_setup(semaphore_counts, setup),
        cmocka_unit_test_setup(semaphore_releases_as_many_waiters, setup),
        cmocka_unit_test_setup(semaphore_limit_raises, setup),
        cmocka_unit_test_setup(mutex_is_recursive, setup),
        cmocka_unit_test_setup(mutex_excludes_other_threads, setup),
        cmocka_unit_test_setup(mutex_release_by_non_owner_is_reported, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
