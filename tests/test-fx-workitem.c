/*
 * WDFWORKITEM (src/fx/workitem.c): callbacks at PASSIVE_LEVEL on a worker,
 * a second enqueue before the item runs being ignored, requeueing from the
 * callback, flush and deletion waiting for a running callback, and the
 * creation rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sched.h>

#include "test-fx-driver.h"
#include "verifier/verifier.h"

struct runs {
    volatile LONG count;
    volatile LONG irql;
    LONG requeue_until;          /* the callback enqueues itself until count reaches it */
    LONG sleep_ms;               /* the callback sleeps this long */
    bool flush_self;             /* the callback flushes itself */
    volatile LONG done;
    const char *role;
};
typedef struct runs *RUNS_REF;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(RUNS_REF, runs_of);

static void sleep_ms(LONG ms)
{
    LARGE_INTEGER interval = { .QuadPart = WDF_REL_TIMEOUT_IN_MS(ms) };
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

static VOID NTAPI on_work(WDFWORKITEM item)
{
    struct runs *r = *runs_of(item);
    InterlockedExchange(&r->irql, KeGetCurrentIrql());
    r->role = nt_thread_role();
    if (r->sleep_ms)
        sleep_ms(r->sleep_ms);
    if (r->flush_self)
        WdfWorkItemFlush(item);
    if (InterlockedIncrement(&r->count) < r->requeue_until)
        WdfWorkItemEnqueue(item);
    InterlockedExchange(&r->done, 1);
}

static NTSTATUS item_new(WDFOBJECT parent, struct runs *r, WDFWORKITEM *item)
{
    WDF_WORKITEM_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;

    WDF_WORKITEM_CONFIG_INIT(&config, on_work);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, RUNS_REF);
    attributes.ParentObject = parent;
    NTSTATUS status = WdfWorkItemCreate(&config, &attributes, item);
    if (NT_SUCCESS(status))
        *runs_of(*item) = r;
    return status;
}

struct fixture {
    WDFDEVICE device;
    struct runs runs;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    vf_reset_counts();
    if (fx_test_bind(L"fxwork"))
        return -1;
    f->device = fx_test_device_new(WdfExecutionLevelPassive, WdfSynchronizationScopeDevice);
    f->runs.irql = -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    fx_test_drain();
    fx_test_device_delete(f->device);
    fx_test_unbind();
    free(f);
    return vf_report_count(VF_WDF) || vf_report_count(VF_OBJECT) ? -1 : 0;
}

static void runs_at_passive_level_on_a_worker(void **state)
{
    struct fixture *f = *state;
    WDFWORKITEM item;

    assert_int_equal(item_new(f->device, &f->runs, &item), STATUS_SUCCESS);
    assert_ptr_equal(WdfWorkItemGetParentObject(item), f->device);
    WdfWorkItemEnqueue(item);
    WdfWorkItemFlush(item);
    assert_int_equal(f->runs.count, 1);
    assert_int_equal(f->runs.irql, PASSIVE_LEVEL);
    assert_memory_equal(f->runs.role, "worker", 6);
}

/* More urgent items than the worker pool has threads (it grows to 16),
 * spinning until released: every worker is busy and the rest wait in the
 * urgent queue, so a work item (a delayed one) cannot start meanwhile. */
#define BLOCKERS 64
static volatile LONG release_blockers;
static void spin_until_released(PVOID parameter)
{
    (void)parameter;
    while (!__atomic_load_n(&release_blockers, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void second_enqueue_before_it_runs_is_ignored(void **state)
{
    struct fixture *f = *state;
    static WORK_QUEUE_ITEM blockers[BLOCKERS];
    WDFWORKITEM item;

    assert_int_equal(item_new(f->device, &f->runs, &item), STATUS_SUCCESS);
    release_blockers = 0;
    /* Urgent items run before delayed ones, which is where work items go. */
    for (int i = 0; i < BLOCKERS; i++) {
        ExInitializeWorkItem(&blockers[i], spin_until_released, NULL);
        ExQueueWorkItem(&blockers[i], HyperCriticalWorkQueue);
    }
    WdfWorkItemEnqueue(item);
    WdfWorkItemEnqueue(item);
    assert_int_equal(f->runs.count, 0);
    __atomic_store_n(&release_blockers, 1, __ATOMIC_RELEASE);
    WdfWorkItemFlush(item);
    fx_test_drain();
    assert_int_equal(f->runs.count, 1);
    assert_int_equal(vf_report_count(VF_OBJECT), 0);
}

static void callback_may_requeue_and_flush_waits_for_all(void **state)
{
    struct fixture *f = *state;
    WDFWORKITEM item;

    f->runs.requeue_until = 5;
    assert_int_equal(item_new(f->device, &f->runs, &item), STATUS_SUCCESS);
    WdfWorkItemEnqueue(item);
    WdfWorkItemFlush(item);
    assert_int_equal(f->runs.count, 5);
}

static void flush_from_own_callback_is_reported(void **state)
{
    struct fixture *f = *state;
    WDFWORKITEM item;

    f->runs.flush_self = true;
    assert_int_equal(item_new(f->device, &f->runs, &item), STATUS_SUCCESS);
    WdfWorkItemEnqueue(item);
    WdfWorkItemFlush(item);
    assert_int_equal(f->runs.count, 1);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    vf_reset_counts();
}

static void deletion_waits_for_a_running_callback(void **state)
{
    struct fixture *f = *state;
    WDFWORKITEM item;

    f->runs.sleep_ms = 50;
    assert_int_equal(item_new(f->device, &f->runs, &item), STATUS_SUCCESS);
    WdfWorkItemEnqueue(item);
    while (__atomic_load_n(&f->runs.irql, __ATOMIC_ACQUIRE) < 0)
        sched_yield();
    WdfObjectDelete(item);
    assert_int_equal(f->runs.done, 1);
    fx_test_drain();
    WdfWorkItemEnqueue(item);
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

static void creation_rules(void **state)
{
    struct fixture *f = *state;
    WDF_WORKITEM_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFWORKITEM item;

    /* A parent that leads to a device is required. */
    assert_int_equal(item_new(WdfGetDriver(), &f->runs, &item), STATUS_INVALID_DEVICE_REQUEST);
    WDF_WORKITEM_CONFIG_INIT(&config, NULL);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = f->device;
    assert_int_equal(WdfWorkItemCreate(&config, &attributes, &item), STATUS_INVALID_PARAMETER);
    WDF_WORKITEM_CONFIG_INIT(&config, on_work);
    attributes.ExecutionLevel = WdfExecutionLevelPassive;
    assert_int_equal(WdfWorkItemCreate(&config, &attributes, &item), STATUS_WDF_EXECUTION_LEVEL_INVALID);
    /* A dispatch-level scope cannot serialize a passive callback. */
    WDFDEVICE dispatch = fx_test_device_new(WdfExecutionLevelDispatch, WdfSynchronizationScopeDevice);
    assert_int_equal(item_new(dispatch, &f->runs, &item), STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL);
    config.AutomaticSerialization = FALSE;
    attributes.ExecutionLevel = WdfExecutionLevelInheritFromParent;
    attributes.ParentObject = dispatch;
    assert_int_equal(WdfWorkItemCreate(&config, &attributes, &item), STATUS_SUCCESS);
    assert_int_equal(vf_report_count(VF_WDF), 4);
    fx_test_device_delete(dispatch);
    vf_reset_counts();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(runs_at_passive_level_on_a_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(second_enqueue_before_it_runs_is_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(callback_may_requeue_and_flush_waits_for_all, setup, teardown),
        cmocka_unit_test_setup_teardown(flush_from_own_callback_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(deletion_waits_for_a_running_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(creation_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
