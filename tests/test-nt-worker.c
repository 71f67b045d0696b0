/*
 * System work items (src/nt/worker.c): where and how they run, items that
 * wait for later items, verifier checks on return, and the runtime
 * draining them when it stops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "nt/nt.h"
#include "verifier/verifier.h"
#include "test-support.h"

static NTSTATUS wait_ms(PVOID object, LONG ms)
{
    LARGE_INTEGER timeout = { .QuadPart = -10000ll * ms };
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &timeout);
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

struct seen {
    WORK_QUEUE_ITEM item;
    KEVENT done;
    KIRQL irql;
    BOOLEAN system;
    char role[32];
    pthread_t thread;
};

static void see(PVOID parameter)
{
    struct seen *s = parameter;
    s->irql = KeGetCurrentIrql();
    s->system = PsIsSystemThread(PsGetCurrentThread());
    snprintf(s->role, sizeof(s->role), "%s", nt_thread_role());
    s->thread = pthread_self();
    KeSetEvent(&s->done, IO_NO_INCREMENT, FALSE);
}

static void work_item_runs_at_passive_on_worker(void **state)
{
    struct seen s;

    (void)state;
    KeInitializeEvent(&s.done, NotificationEvent, FALSE);
    ExInitializeWorkItem(&s.item, see, &s);
    ExQueueWorkItem(&s.item, DelayedWorkQueue);
    assert_int_equal(wait_ms(&s.done, 10000), STATUS_SUCCESS);
    assert_int_equal(s.irql, PASSIVE_LEVEL);
    assert_true(s.system);
    assert_memory_equal(s.role, "worker", 6);
    assert_false(pthread_equal(s.thread, pthread_self()));
}

static void queueing_from_dispatch_level(void **state)
{
    struct seen s;
    KIRQL old;

    (void)state;
    KeInitializeEvent(&s.done, NotificationEvent, FALSE);
    ExInitializeWorkItem(&s.item, see, &s);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    ExQueueWorkItem(&s.item, CriticalWorkQueue);
    KeLowerIrql(old);
    assert_int_equal(wait_ms(&s.done, 10000), STATUS_SUCCESS);
    assert_int_equal(vf_report_total(), 0);
}

#define CHAIN 6

/* Item i waits until item i+1 has run: every item must run at once, so
 * the pool has to grow past its initial size. */
struct link {
    WORK_QUEUE_ITEM item;
    KEVENT ran;
    struct link *next;
};

static void chain_step(PVOID parameter)
{
    struct link *l = parameter;
    if (l->next)
        KeWaitForSingleObject(&l->next->ran, Executive, KernelMode, FALSE, NULL);
    KeSetEvent(&l->ran, IO_NO_INCREMENT, FALSE);
}

static void items_waiting_for_later_items_complete(void **state)
{
    struct link links[CHAIN];

    (void)state;
    for (int i = 0; i < CHAIN; i++) {
        KeInitializeEvent(&links[i].ran, NotificationEvent, FALSE);
        links[i].next = i + 1 < CHAIN ? &links[i + 1] : NULL;
        ExInitializeWorkItem(&links[i].item, chain_step, &links[i]);
    }
    for (int i = 0; i < CHAIN; i++)
        ExQueueWorkItem(&links[i].item, DelayedWorkQueue);
    assert_int_equal(wait_ms(&links[0].ran, 10000), STATUS_SUCCESS);
}

static void leave_raised(PVOID parameter)
{
    KIRQL old;
    (void)parameter;
    KeRaiseIrql(APC_LEVEL, &old);
    KeEnterCriticalRegion();
}

static void item_returning_in_bad_state_is_reported(void **state)
{
    WORK_QUEUE_ITEM item;
    struct seen s;

    (void)state;
    ExInitializeWorkItem(&item, leave_raised, NULL);
    ExQueueWorkItem(&item, CriticalWorkQueue);
    nt_runtime_stop(); /* drains it */
    assert_int_equal(vf_report_count(VF_IRQL), 2); /* IRQL and critical region */
    assert_int_equal(nt_runtime_start(), 0);
    /* Workers start every item at PASSIVE_LEVEL whatever the last one did. */
    KeInitializeEvent(&s.done, NotificationEvent, FALSE);
    ExInitializeWorkItem(&s.item, see, &s);
    ExQueueWorkItem(&s.item, CriticalWorkQueue);
    assert_int_equal(wait_ms(&s.done, 10000), STATUS_SUCCESS);
    assert_int_equal(s.irql, PASSIVE_LEVEL);
}

static LONG counted;

static void count(PVOID parameter)
{
    (void)parameter;
    __atomic_add_fetch(&counted, 1, __ATOMIC_SEQ_CST);
}

static void stop_runs_every_queued_item(void **state)
{
    enum { ITEMS = 50 };
    WORK_QUEUE_ITEM items[ITEMS];

    (void)state;
    counted = 0;
    for (int i = 0; i < ITEMS; i++) {
        ExInitializeWorkItem(&items[i], count, NULL);
        ExQueueWorkItem(&items[i], i % 2 ? DelayedWorkQueue : HyperCriticalWorkQueue);
    }
    nt_runtime_stop();
    assert_int_equal(counted, ITEMS);
    assert_false(nt_runtime_is_running());
    assert_int_equal(nt_runtime_start(), 0);
}

static void bad_items_are_reported(void **state)
{
    WORK_QUEUE_ITEM item;

    (void)state;
    counted = 0;
    ExInitializeWorkItem(&item, NULL, NULL);
    ExQueueWorkItem(&item, DelayedWorkQueue);
    assert_int_equal(vf_report_count(VF_OBJECT), 1);
    ExInitializeWorkItem(&item, count, NULL);
    item.List.Flink = &item.List; /* as while it is queued */
    ExQueueWorkItem(&item, DelayedWorkQueue);
    assert_int_equal(vf_report_count(VF_OBJECT), 2);
    nt_runtime_stop();
    assert_int_equal(counted, 0); /* refused, not run */
    assert_int_equal(nt_runtime_start(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(work_item_runs_at_passive_on_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(queueing_from_dispatch_level, setup, teardown),
        cmocka_unit_test_setup_teardown(items_waiting_for_later_items_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(item_returning_in_bad_state_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_runs_every_queued_item, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_items_are_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
