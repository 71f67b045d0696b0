/*
 * Timers (src/nt/timer.c): one-shot and periodic, relative and absolute
 * due times, notification and synchronization kinds, their DPCs,
 * re-setting and cancelling, and DPCs that free their own timer.
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

#define MS 10000ll

static LARGE_INTEGER relative_ms(LONG ms)
{
    LARGE_INTEGER t = { .QuadPart = -MS * ms };
    return t;
}

static NTSTATUS wait_ms(PVOID object, LONG ms)
{
    LARGE_INTEGER timeout = relative_ms(ms);
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &timeout);
}

static uint64_t now_ms(void)
{
    return KeQueryInterruptTime() / MS;
}

struct ticks {
    LONG count;
    KIRQL irql;
    KSEMAPHORE fired;
};

static void tick_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct ticks *t = context;

    (void)dpc, (void)arg1, (void)arg2;
    /* Atomic: a periodic timer's DPC may run on two processors at once,
     * as on Windows (each expiry queues it where the timer expired). */
    __atomic_store_n(&t->irql, KeGetCurrentIrql(), __ATOMIC_RELAXED);
    __atomic_add_fetch(&t->count, 1, __ATOMIC_SEQ_CST);
    KeReleaseSemaphore(&t->fired, IO_NO_INCREMENT, 1, FALSE);
}

static void init_ticks(struct ticks *t)
{
    t->count = 0;
    t->irql = 0xff;
    KeInitializeSemaphore(&t->fired, 0, MAXLONG);
}

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return nt_runtime_start();
}

static int teardown(void **state)
{
    (void)state;
    nt_runtime_stop();
    return 0;
}

static void one_shot_timer_signals_and_queues_dpc(void **state)
{
    KTIMER timer;
    KDPC dpc;
    struct ticks t;

    (void)state;
    init_ticks(&t);
    KeInitializeTimer(&timer);
    KeInitializeDpc(&dpc, tick_routine, &t);
    uint64_t start = now_ms();
    assert_false(KeSetTimer(&timer, relative_ms(50), &dpc));
    assert_false(KeReadStateTimer(&timer));
    assert_int_equal(wait_ms(&timer, 10000), STATUS_SUCCESS);
    assert_true(now_ms() - start >= 50);
    assert_true(KeReadStateTimer(&timer)); /* a notification timer stays signalled */
    assert_int_equal(wait_ms(&t.fired, 10000), STATUS_SUCCESS);
    assert_int_equal(__atomic_load_n(&t.irql, __ATOMIC_RELAXED), DISPATCH_LEVEL);
    assert_false(KeCancelTimer(&timer)); /* no longer pending */
}

static void absolute_due_time(void **state)
{
    KTIMER timer;
    LARGE_INTEGER due;

    (void)state;
    KeInitializeTimer(&timer);
    uint64_t start = now_ms(); /* before the due time is computed: a stall after it cannot shorten the wait */
    KeQuerySystemTime(&due);
    due.QuadPart += 60 * MS;
    KeSetTimer(&timer, due, NULL);
    assert_int_equal(wait_ms(&timer, 10000), STATUS_SUCCESS);
    assert_true(now_ms() - start >= 59);
}

static void periodic_timer_fires_until_cancelled(void **state)
{
    KTIMER timer;
    KDPC dpc;
    struct ticks t;

    (void)state;
    init_ticks(&t);
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    KeInitializeDpc(&dpc, tick_routine, &t);
    KeSetTimerEx(&timer, relative_ms(10), 10, &dpc);
    for (int i = 0; i < 3; i++)
        assert_int_equal(wait_ms(&t.fired, 10000), STATUS_SUCCESS);
    assert_true(KeCancelTimer(&timer));
    KeFlushQueuedDpcs(); /* a DPC queued before the cancel may still run */
    LONG after_cancel = __atomic_load_n(&t.count, __ATOMIC_SEQ_CST);
    assert_true(after_cancel >= 3);
    for (LONG i = 3; i < after_cancel; i++)
        assert_int_equal(wait_ms(&t.fired, 0), STATUS_SUCCESS);
    assert_int_equal(wait_ms(&t.fired, 100), STATUS_TIMEOUT); /* no tick after the cancel */
    assert_int_equal(__atomic_load_n(&t.count, __ATOMIC_SEQ_CST), after_cancel);
    assert_false(KeCancelTimer(&timer));
}

static void resetting_pending_timer_cancels_it(void **state)
{
    KTIMER timer;
    KDPC dpc;
    struct ticks t;

    (void)state;
    init_ticks(&t);
    KeInitializeTimer(&timer);
    KeInitializeDpc(&dpc, tick_routine, &t);
    assert_false(KeSetTimer(&timer, relative_ms(60000), &dpc));
    assert_true(KeSetTimer(&timer, relative_ms(20), &dpc));
    assert_int_equal(wait_ms(&t.fired, 10000), STATUS_SUCCESS);
    assert_int_equal(wait_ms(&t.fired, 100), STATUS_TIMEOUT); /* fired once, not twice */
    /* Setting again resets a notification timer's signal. */
    assert_true(KeReadStateTimer(&timer));
    KeSetTimer(&timer, relative_ms(60000), NULL);
    assert_false(KeReadStateTimer(&timer));
    assert_true(KeCancelTimer(&timer));
}

struct timer_waiter {
    PKTIMER timer;
    KSEMAPHORE *done;
};

static void *wait_timer(void *arg)
{
    struct timer_waiter *w = arg;
    if (wait_ms(w->timer, 10000) == STATUS_SUCCESS)
        KeReleaseSemaphore(w->done, IO_NO_INCREMENT, 1, FALSE);
    return NULL;
}

static void synchronization_timer_releases_one_waiter(void **state)
{
    KTIMER timer;
    KSEMAPHORE done;
    struct timer_waiter w;
    pthread_t threads[2];

    (void)state;
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    KeInitializeSemaphore(&done, 0, 2);
    w.timer = &timer;
    w.done = &done;
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, wait_timer, &w), 0);
    KeSetTimer(&timer, relative_ms(30), NULL);
    assert_int_equal(wait_ms(&done, 10000), STATUS_SUCCESS);
    assert_int_equal(wait_ms(&done, 100), STATUS_TIMEOUT);
    assert_false(KeReadStateTimer(&timer));
    KeSetTimer(&timer, relative_ms(1), NULL);
    assert_int_equal(wait_ms(&done, 10000), STATUS_SUCCESS);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
}

/* A timer, its DPC and what they track often share one allocation that the
 * DPC frees when it has done its work (as drivers that arm one timer per
 * request do): the timer thread must be done with the timer before the DPC
 * can run. ASan reports the use after free this case once caught. */
struct self_freeing {
    KTIMER timer;
    KDPC dpc;
    KSEMAPHORE *done;
};

static void free_self_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct self_freeing *s = context;
    KSEMAPHORE *done = s->done;

    (void)dpc, (void)arg1, (void)arg2;
    ExFreePoolWithTag(s, 'fSmK');
    KeReleaseSemaphore(done, IO_NO_INCREMENT, 1, FALSE);
}

static void dpc_may_free_its_timer(void **state)
{
    KSEMAPHORE done;

    (void)state;
    KeInitializeSemaphore(&done, 0, MAXLONG);
    for (int i = 0; i < 50; i++) {
        struct self_freeing *s = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*s), 'fSmK');
        assert_non_null(s);
        s->done = &done;
        KeInitializeTimer(&s->timer);
        KeInitializeDpc(&s->dpc, free_self_routine, s);
        KeSetTimer(&s->timer, relative_ms(1), &s->dpc);
        assert_int_equal(wait_ms(&done, 10000), STATUS_SUCCESS);
    }
}

static void stop_forgets_pending_timers(void **state)
{
    KTIMER timer;

    (void)state;
    KeInitializeTimer(&timer);
    KeSetTimer(&timer, relative_ms(60000), NULL);
    nt_runtime_stop();
    assert_false(KeCancelTimer(&timer)); /* forgotten */
    assert_false(KeReadStateTimer(&timer));
    assert_int_equal(nt_runtime_start(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(one_shot_timer_signals_and_queues_dpc, setup, teardown),
        cmocka_unit_test_setup_teardown(absolute_due_time, setup, teardown),
        cmocka_unit_test_setup_teardown(periodic_timer_fires_until_cancelled, setup, teardown),
        cmocka_unit_test_setup_teardown(resetting_pending_timer_cancels_it, setup, teardown),
        cmocka_unit_test_setup_teardown(synchronization_timer_releases_one_waiter, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_forgets_pending_timers, setup, teardown),
        cmocka_unit_test_setup_teardown(dpc_may_free_its_timer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
