/*
 * Waiting (src/nt/wait.c, dispatcher.c): WaitAny and WaitAll on several
 * objects, their return values, atomic consumption, relative, absolute and
 * zero timeouts, caller wait blocks, delays, and waiting on threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "nt/nt.h"
#include "verifier/verifier.h"
#include "test-support.h"

#define MS 10000ll /* 100 ns units */

static LARGE_INTEGER relative_ms(LONG ms)
{
    LARGE_INTEGER t = { .QuadPart = -MS * ms };
    return t;
}

static uint64_t now_ms(void)
{
    return KeQueryInterruptTime() / MS;
}

static NTSTATUS wait_many(ULONG count, PVOID *objects, WAIT_TYPE type, LONG ms, PKWAIT_BLOCK blocks)
{
    LARGE_INTEGER timeout = relative_ms(ms);
    return KeWaitForMultipleObjects(count, objects, type, Executive, KernelMode, FALSE,
                                    ms < 0 ? NULL : &timeout, blocks);
}

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return 0;
}

static void wait_any_returns_index(void **state)
{
    KEVENT events[3];
    PVOID objects[3] = { &events[0], &events[1], &events[2] };

    (void)state;
    for (int i = 0; i < 3; i++)
        KeInitializeEvent(&events[i], SynchronizationEvent, FALSE);
    assert_int_equal(wait_many(3, objects, WaitAny, 0, NULL), STATUS_TIMEOUT);
    KeSetEvent(&events[2], IO_NO_INCREMENT, FALSE);
    assert_int_equal(wait_many(3, objects, WaitAny, 1000, NULL), STATUS_WAIT_0 + 2);
    assert_int_equal(KeReadStateEvent(&events[2]), 0);
    KeSetEvent(&events[1], IO_NO_INCREMENT, FALSE);
    KeSetEvent(&events[2], IO_NO_INCREMENT, FALSE);
    /* The lowest signalled index wins and only it is consumed. */
    assert_int_equal(wait_many(3, objects, WaitAny, 1000, NULL), STATUS_WAIT_0 + 1);
    assert_int_equal(KeReadStateEvent(&events[2]), 1);
}

static void *set_later(void *arg)
{
    LARGE_INTEGER delay = relative_ms(20); /* likely, not necessarily, after the wait began */
    KeDelayExecutionThread(KernelMode, FALSE, &delay);
    KeSetEvent(arg, IO_NO_INCREMENT, FALSE);
    return NULL;
}

static void wait_any_wakes_on_later_signal(void **state)
{
    KEVENT a, b;
    PVOID objects[2] = { &a, &b };
    pthread_t thread;

    (void)state;
    KeInitializeEvent(&a, NotificationEvent, FALSE);
    KeInitializeEvent(&b, NotificationEvent, FALSE);
    assert_int_equal(pthread_create(&thread, NULL, set_later, &b), 0);
    assert_int_equal(wait_many(2, objects, WaitAny, 10000, NULL), STATUS_WAIT_0 + 1);
    pthread_join(thread, NULL);
}

static void wait_all_needs_all(void **state)
{
    KEVENT a, b;
    PVOID objects[2] = { &a, &b };

    (void)state;
    KeInitializeEvent(&a, SynchronizationEvent, TRUE);
    KeInitializeEvent(&b, SynchronizationEvent, FALSE);
    assert_int_equal(wait_many(2, objects, WaitAll, 0, NULL), STATUS_TIMEOUT);
    assert_int_equal(KeReadStateEvent(&a), 1); /* nothing consumed */
    KeSetEvent(&b, IO_NO_INCREMENT, FALSE);
    assert_int_equal(wait_many(2, objects, WaitAll, 1000, NULL), STATUS_SUCCESS);
    assert_int_equal(KeReadStateEvent(&a), 0); /* both consumed */
    assert_int_equal(KeReadStateEvent(&b), 0);
}

struct all_waiter {
    PVOID *objects;
    KSEMAPHORE *done;
    NTSTATUS status;
};

static void *wait_all_thread(void *arg)
{
    struct all_waiter *w = arg;
    w->status = wait_many(2, w->objects, WaitAll, 10000, NULL);
    KeReleaseSemaphore(w->done, IO_NO_INCREMENT, 1, FALSE);
    return NULL;
}

static void wait_all_consumes_atomically(void **state)
{
    KEVENT a, b;
    KSEMAPHORE done;
    PVOID objects[2] = { &a, &b };
    struct all_waiter w[2] = { { objects, &done, 0 }, { objects, &done, 0 } };
    pthread_t threads[2];
    LARGE_INTEGER timeout = relative_ms(10000);

    (void)state;
    KeInitializeEvent(&a, SynchronizationEvent, FALSE);
    KeInitializeEvent(&b, SynchronizationEvent, FALSE);
    KeInitializeSemaphore(&done, 0, 2);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, wait_all_thread, &w[i]), 0);
    KeSetEvent(&a, IO_NO_INCREMENT, FALSE);
    KeSetEvent(&b, IO_NO_INCREMENT, FALSE);
    assert_int_equal(KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, &timeout), STATUS_SUCCESS);
    /* One waiter took both; the other still waits for a second pair. */
    LARGE_INTEGER short_wait = relative_ms(50);
    assert_int_equal(KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, &short_wait), STATUS_TIMEOUT);
    assert_int_equal(KeReadStateEvent(&a) + KeReadStateEvent(&b), 0);
    KeSetEvent(&a, IO_NO_INCREMENT, FALSE);
    KeSetEvent(&b, IO_NO_INCREMENT, FALSE);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    assert_int_equal(w[0].status, STATUS_SUCCESS);
    assert_int_equal(w[1].status, STATUS_SUCCESS);
}

static void relative_timeout_is_honoured(void **state)
{
    KEVENT event;
    LARGE_INTEGER timeout = relative_ms(100);

    (void)state;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    uint64_t start = now_ms();
    assert_int_equal(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &timeout), STATUS_TIMEOUT);
    uint64_t elapsed = now_ms() - start;
    assert_true(elapsed >= 100);
    assert_true(elapsed < 5000); /* generous: the machine may be loaded */
}

static void absolute_timeout_is_honoured(void **state)
{
    KEVENT event;
    LARGE_INTEGER deadline;

    (void)state;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    uint64_t start = now_ms(); /* first: a stall before the wait cannot shorten what we measure */
    KeQuerySystemTime(&deadline);
    deadline.QuadPart += 100 * MS;
    assert_int_equal(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &deadline), STATUS_TIMEOUT);
    uint64_t elapsed = now_ms() - start;
    assert_true(elapsed >= 99); /* the two clocks are read a moment apart */
    assert_true(elapsed < 5000);
    deadline.QuadPart -= 1000 * MS; /* in the past: polls */
    assert_int_equal(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &deadline), STATUS_TIMEOUT);
}

static void caller_wait_blocks_allow_many_objects(void **state)
{
    enum { COUNT = 10 };
    KEVENT events[COUNT];
    PVOID objects[COUNT];
    KWAIT_BLOCK blocks[COUNT];

    (void)state;
    for (int i = 0; i < COUNT; i++) {
        KeInitializeEvent(&events[i], NotificationEvent, i >= 5);
        objects[i] = &events[i];
    }
    assert_int_equal(wait_many(COUNT, objects, WaitAny, 1000, blocks), STATUS_WAIT_0 + 5);
    assert_int_equal(wait_many(COUNT, objects, WaitAll, 0, blocks), STATUS_TIMEOUT);
    for (int i = 0; i < 5; i++)
        KeSetEvent(&events[i], IO_NO_INCREMENT, FALSE);
    assert_int_equal(wait_many(COUNT, objects, WaitAll, 1000, blocks), STATUS_SUCCESS);
}

static void mixed_objects_in_one_wait(void **state)
{
    KSEMAPHORE sem;
    KMUTEX mutex;
    KEVENT event;
    PVOID objects[3] = { &sem, &mutex, &event };

    (void)state;
    KeInitializeSemaphore(&sem, 1, 1);
    KeInitializeMutex(&mutex, 0);
    KeInitializeEvent(&event, NotificationEvent, TRUE);
    assert_int_equal(wait_many(3, objects, WaitAll, 1000, NULL), STATUS_SUCCESS);
    assert_int_equal(KeReadStateSemaphore(&sem), 0);
    assert_int_equal(KeReadStateMutex(&mutex), 0);
    assert_int_equal(KeReadStateEvent(&event), 1);
    KeReleaseMutex(&mutex, FALSE);
    assert_int_equal(vf_report_total(), 0);
}

static void bad_waits_are_reported(void **state)
{
    KEVENT event;
    PVOID twice[2] = { &event, &event };
    char garbage[64] = { 0x7f };

    (void)state;
    KeInitializeEvent(&event, NotificationEvent, TRUE);
    assert_int_equal(wait_many(2, twice, WaitAll, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(KeWaitForSingleObject(garbage, Executive, KernelMode, FALSE, NULL),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(vf_report_count(VF_OBJECT), 2);
}

static void delay_execution_sleeps(void **state)
{
    LARGE_INTEGER interval = relative_ms(50);

    (void)state;
    uint64_t start = now_ms();
    assert_int_equal(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);
    assert_true(now_ms() - start >= 50);
    interval.QuadPart = 0;
    assert_int_equal(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);
}

#define STRESS_SEMS 3
#define STRESS_RELEASES 5000

struct stress {
    KSEMAPHORE sems[STRESS_SEMS];
    LONG taken;
    volatile LONG producers_done;
};

static void *stress_produce(void *arg)
{
    struct stress *s = arg;
    unsigned seed = (unsigned)(uintptr_t)pthread_self();
    for (int i = 0; i < STRESS_RELEASES; i++)
        KeReleaseSemaphore(&s->sems[rand_r(&seed) % STRESS_SEMS], IO_NO_INCREMENT, 1, FALSE);
    return NULL;
}

/* Single waits (lock-free when nobody waits) mixed with WaitAll and
 * WaitAny (which link wait blocks) on the same semaphores. */
static void *stress_consume(void *arg)
{
    struct stress *s = arg;
    PVOID objects[STRESS_SEMS] = { &s->sems[0], &s->sems[1], &s->sems[2] };
    unsigned seed = (unsigned)(uintptr_t)pthread_self();
    while (!__atomic_load_n(&s->producers_done, __ATOMIC_SEQ_CST)) {
        int pick = rand_r(&seed) % 3;
        LARGE_INTEGER timeout = relative_ms(rand_r(&seed) % 2);
        NTSTATUS status;
        if (pick == 0)
            status = KeWaitForSingleObject(objects[rand_r(&seed) % STRESS_SEMS], Executive, KernelMode,
                                           FALSE, &timeout);
        else
            status = wait_many(pick == 1 ? 2 : 3, objects, pick == 1 ? WaitAll : WaitAny, 2, NULL);
        if (status == STATUS_SUCCESS && pick == 1)
            __atomic_add_fetch(&s->taken, 2, __ATOMIC_SEQ_CST);
        else if (status >= 0 && status < STRESS_SEMS)
            __atomic_add_fetch(&s->taken, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static void semaphore_counts_add_up_under_stress(void **state)
{
    struct stress s = { .taken = 0, .producers_done = 0 };
    pthread_t producers[2], consumers[3];

    (void)state;
    for (int i = 0; i < STRESS_SEMS; i++)
        KeInitializeSemaphore(&s.sems[i], 0, MAXLONG);
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&consumers[i], NULL, stress_consume, &s), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&producers[i], NULL, stress_produce, &s), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(producers[i], NULL);
    __atomic_store_n(&s.producers_done, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < 3; i++)
        pthread_join(consumers[i], NULL);
    LONG left = 0;
    for (int i = 0; i < STRESS_SEMS; i++)
        left += KeReadStateSemaphore(&s.sems[i]);
    assert_int_equal(s.taken + left, 2 * STRESS_RELEASES);
}

static void *remember_thread(void *arg)
{
    PKTHREAD *out = arg;
    *out = KeGetCurrentThread();
    ObReferenceObject(*out);
    return NULL;
}

static void thread_object_signalled_when_thread_ends(void **state)
{
    PKTHREAD thread = NULL;
    pthread_t id;

    (void)state;
    assert_int_equal(pthread_create(&id, NULL, remember_thread, &thread), 0);
    pthread_join(id, NULL);
    assert_non_null(thread);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    assert_int_equal(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    ObDereferenceObject(thread);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(wait_any_returns_index, setup),
        cmocka_unit_test_setup(wait_any_wakes_on_later_signal, setup),
        cmocka_unit_test_setup(wait_all_needs_all, setup),
        cmocka_unit_test_setup(wait_all_consumes_atomically, setup),
        cmocka_unit_test_setup(relative_timeout_is_honoured, setup),
        cmocka_unit_test_setup(absolute_timeout_is_honoured, setup),
        cmocka_unit_test_setup(caller_wait_blocks_allow_many_objects, setup),
        cmocka_unit_test_setup(mixed_objects_in_one_wait, setup),
        cmocka_unit_test_setup(semaphore_counts_add_up_under_stress, setup),
        cmocka_unit_test_setup(bad_waits_are_reported, setup),
        cmocka_unit_test_setup(delay_execution_sleeps, setup),
        cmocka_unit_test_setup(thread_object_signalled_when_thread_ends, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
