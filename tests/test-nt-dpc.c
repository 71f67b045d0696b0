/*
 * DPCs (src/nt/dpc.c) and the runtime that runs them (src/nt/runtime.c):
 * where and at what IRQL routines run, queueing twice, removal, ordering,
 * flushing, threaded DPCs, and stopping with DPCs still queued.
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

struct record {
    KEVENT ran;
    KIRQL irql;
    char role[32];
    pthread_t thread;
    PVOID arg1, arg2;
    LONG runs;
};

static void record_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct record *r = context;

    (void)dpc;
    r->irql = KeGetCurrentIrql();
    snprintf(r->role, sizeof(r->role), "%s", nt_thread_role());
    r->thread = pthread_self();
    r->arg1 = arg1;
    r->arg2 = arg2;
    __atomic_add_fetch(&r->runs, 1, __ATOMIC_SEQ_CST);
    KeSetEvent(&r->ran, IO_NO_INCREMENT, FALSE);
}

static NTSTATUS wait_ms(PVOID object, LONG ms)
{
    LARGE_INTEGER timeout = { .QuadPart = -10000ll * ms };
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &timeout);
}

static void init_record(struct record *r)
{
    memset(r, 0, sizeof(*r));
    KeInitializeEvent(&r->ran, NotificationEvent, FALSE);
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

static void dpc_runs_at_dispatch_on_dpc_thread(void **state)
{
    struct record r;
    KDPC dpc;

    (void)state;
    init_record(&r);
    KeInitializeDpc(&dpc, record_routine, &r);
    assert_true(KeInsertQueueDpc(&dpc, (PVOID)1, (PVOID)2));
    assert_int_equal(wait_ms(&r.ran, 10000), STATUS_SUCCESS);
    assert_int_equal(r.irql, DISPATCH_LEVEL);
    assert_string_equal(r.role, "dpc");
    assert_false(pthread_equal(r.thread, pthread_self()));
    assert_ptr_equal(r.arg1, (PVOID)1);
    assert_ptr_equal(r.arg2, (PVOID)2);
    assert_int_equal(vf_report_total(), 0);
}

/* A DPC that holds its queue busy (spinning is what DISPATCH_LEVEL code
 * may do) until the test lets it go. */
struct blocker {
    KDPC dpc;
    KEVENT running;
    volatile LONG release;
};

static void blocker_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    struct blocker *b = context;

    (void)dpc, (void)arg1, (void)arg2;
    KeSetEvent(&b->running, IO_NO_INCREMENT, FALSE);
    while (!__atomic_load_n(&b->release, __ATOMIC_ACQUIRE))
        YieldProcessor();
}

static void block_processor_zero(struct blocker *b)
{
    b->release = 0;
    KeInitializeEvent(&b->running, NotificationEvent, FALSE);
    KeInitializeDpc(&b->dpc, blocker_routine, b);
    KeSetTargetProcessorDpc(&b->dpc, 0);
    assert_true(KeInsertQueueDpc(&b->dpc, NULL, NULL));
    assert_int_equal(wait_ms(&b->running, 10000), STATUS_SUCCESS);
}

static void inserting_a_queued_dpc_returns_false(void **state)
{
    struct blocker b;
    struct record r;
    KDPC dpc;

    (void)state;
    block_processor_zero(&b);
    init_record(&r);
    KeInitializeDpc(&dpc, record_routine, &r);
    KeSetTargetProcessorDpc(&dpc, 0);
    assert_true(KeInsertQueueDpc(&dpc, (PVOID)1, NULL));
    assert_false(KeInsertQueueDpc(&dpc, (PVOID)2, NULL));
    __atomic_store_n(&b.release, 1, __ATOMIC_RELEASE);
    KeFlushQueuedDpcs();
    assert_int_equal(r.runs, 1);
    assert_ptr_equal(r.arg1, (PVOID)1); /* the second insertion changed nothing */
}

static void removed_dpc_does_not_run(void **state)
{
    struct blocker b;
    struct record r;
    KDPC dpc;

    (void)state;
    block_processor_zero(&b);
    init_record(&r);
    KeInitializeDpc(&dpc, record_routine, &r);
    KeSetTargetProcessorDpc(&dpc, 0);
    assert_true(KeInsertQueueDpc(&dpc, NULL, NULL));
    assert_true(KeRemoveQueueDpc(&dpc));
    assert_false(KeRemoveQueueDpc(&dpc));
    __atomic_store_n(&b.release, 1, __ATOMIC_RELEASE);
    KeFlushQueuedDpcs();
    assert_int_equal(r.runs, 0);
}

static LONG order[3], order_next;

static void order_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    (void)dpc, (void)arg1, (void)arg2;
    order[__atomic_fetch_add(&order_next, 1, __ATOMIC_SEQ_CST)] = (LONG)(ULONG_PTR)context;
}

static void high_importance_runs_first(void **state)
{
    struct blocker b;
    KDPC dpcs[3];

    (void)state;
    order_next = 0;
    block_processor_zero(&b);
    for (int i = 0; i < 3; i++) {
        KeInitializeDpc(&dpcs[i], order_routine, (PVOID)(ULONG_PTR)(i + 1));
        KeSetTargetProcessorDpc(&dpcs[i], 0);
    }
    KeSetImportanceDpc(&dpcs[2], HighImportance);
    for (int i = 0; i < 3; i++)
        assert_true(KeInsertQueueDpc(&dpcs[i], NULL, NULL));
    __atomic_store_n(&b.release, 1, __ATOMIC_RELEASE);
    KeFlushQueuedDpcs();
    assert_int_equal(order_next, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 2);
}

static void threaded_dpc_runs_at_passive(void **state)
{
    struct record r;
    KDPC dpc;

    (void)state;
    init_record(&r);
    KeInitializeThreadedDpc(&dpc, record_routine, &r);
    assert_true(KeInsertQueueDpc(&dpc, NULL, NULL));
    assert_int_equal(wait_ms(&r.ran, 10000), STATUS_SUCCESS);
    assert_int_equal(r.irql, PASSIVE_LEVEL);
}

static void lowering_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    (void)dpc, (void)context, (void)arg1, (void)arg2;
    KeLowerIrql(PASSIVE_LEVEL);
}

static void dpc_returning_at_wrong_irql_is_reported(void **state)
{
    KDPC dpc;

    (void)state;
    KeInitializeDpc(&dpc, lowering_routine, NULL);
    assert_true(KeInsertQueueDpc(&dpc, NULL, NULL));
    KeFlushQueuedDpcs();
    assert_int_equal(vf_report_count(VF_IRQL), 1);
}

static void requeue_routine(PKDPC dpc, PVOID context, PVOID arg1, PVOID arg2)
{
    LONG *left = context;

    (void)arg1, (void)arg2;
    if (__atomic_sub_fetch(left, 1, __ATOMIC_SEQ_CST) > 0)
        KeInsertQueueDpc(dpc, NULL, NULL); /* a DPC may requeue itself */
}

static void stop_runs_queued_dpcs(void **state)
{
    struct blocker b;
    KDPC dpc;
    LONG left = 5;

    (void)state;
    block_processor_zero(&b);
    KeInitializeDpc(&dpc, requeue_routine, &left);
    assert_true(KeInsertQueueDpc(&dpc, NULL, NULL));
    __atomic_store_n(&b.release, 1, __ATOMIC_RELEASE);
    nt_runtime_stop(); /* the reference setup took */
    assert_false(nt_runtime_is_running());
    assert_int_equal(left, 0);
    assert_int_equal(nt_runtime_start(), 0); /* for teardown */
}

static void dpc_queued_while_stopped_still_runs(void **state)
{
    struct record r;
    KDPC dpc;

    (void)state;
    nt_runtime_stop();
    assert_false(nt_runtime_is_running());
    init_record(&r);
    KeInitializeDpc(&dpc, record_routine, &r);
    assert_true(KeInsertQueueDpc(&dpc, NULL, NULL));
    assert_int_equal(wait_ms(&r.ran, 10000), STATUS_SUCCESS);
    assert_true(nt_runtime_is_running()); /* started lazily */
    assert_int_equal(nt_runtime_start(), 0);
}

static void start_and_stop_nest(void **state)
{
    (void)state;
    assert_true(nt_runtime_is_running());
    assert_int_equal(nt_runtime_start(), 0);
    nt_runtime_stop();
    assert_true(nt_runtime_is_running());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dpc_runs_at_dispatch_on_dpc_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(inserting_a_queued_dpc_returns_false, setup, teardown),
        cmocka_unit_test_setup_teardown(removed_dpc_does_not_run, setup, teardown),
        cmocka_unit_test_setup_teardown(high_importance_runs_first, setup, teardown),
        cmocka_unit_test_setup_teardown(threaded_dpc_runs_at_passive, setup, teardown),
        cmocka_unit_test_setup_teardown(dpc_returning_at_wrong_irql_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_runs_queued_dpcs, setup, teardown),
        cmocka_unit_test_setup_teardown(dpc_queued_while_stopped_still_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(start_and_stop_nest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
