/*
 * WDFDPC (src/fx/dpc.c): callbacks at DISPATCH_LEVEL, enqueue and cancel
 * results, cancel with Wait, the KDPC inside, and deletion with the parent.
 * Enqueue and cancel race with the DPC thread unless they run on it, so
 * the cases that need the DPC to stay queued make their calls from a DPC
 * of their own: the one queued from there waits behind it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test-fx-driver.h"
#include "verifier/verifier.h"

static volatile LONG runs, run_irql = -1;
static KEVENT ran;

static VOID NTAPI on_dpc(WDFDPC dpc)
{
    (void)dpc;
    InterlockedExchange(&run_irql, KeGetCurrentIrql());
    InterlockedIncrement(&runs);
    KeSetEvent(&ran, IO_NO_INCREMENT, FALSE);
}

static NTSTATUS dpc_new(WDFOBJECT parent, WDFDPC *dpc)
{
    WDF_DPC_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;

    WDF_DPC_CONFIG_INIT(&config, on_dpc);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = parent;
    return WdfDpcCreate(&config, &attributes, dpc);
}

/* Runs fn(dpc) in a DPC and waits for it. */
struct on_dpc_thread {
    KDPC kdpc;
    KEVENT done;
    void (*fn)(WDFDPC dpc, BOOLEAN *results);
    WDFDPC dpc;
    BOOLEAN results[2];
};

static void run_on_dpc_thread(PKDPC kdpc, PVOID context, PVOID a1, PVOID a2)
{
    struct on_dpc_thread *c = context;
    (void)kdpc, (void)a1, (void)a2;
    c->fn(c->dpc, c->results);
    KeSetEvent(&c->done, IO_NO_INCREMENT, FALSE);
}

static void from_dpc(WDFDPC dpc, void (*fn)(WDFDPC, BOOLEAN *), BOOLEAN *results)
{
    struct on_dpc_thread c = { .fn = fn, .dpc = dpc };
    KeInitializeEvent(&c.done, NotificationEvent, FALSE);
    KeInitializeDpc(&c.kdpc, run_on_dpc_thread, &c);
    KeInsertQueueDpc(&c.kdpc, NULL, NULL);
    KeWaitForSingleObject(&c.done, Executive, KernelMode, FALSE, NULL);
    results[0] = c.results[0];
    results[1] = c.results[1];
}

static WDFDEVICE device;

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    runs = 0;
    run_irql = -1;
    KeInitializeEvent(&ran, NotificationEvent, FALSE);
    if (fx_test_bind(L"fxdpc"))
        return -1;
    device = fx_test_device_new(WdfExecutionLevelDispatch, WdfSynchronizationScopeDevice);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_test_drain();
    fx_test_device_delete(device);
    fx_test_unbind();
    return vf_report_count(VF_WDF) ? -1 : 0;
}

static void runs_at_dispatch_level(void **state)
{
    WDFDPC dpc;

    (void)state;
    assert_int_equal(dpc_new(device, &dpc), STATUS_SUCCESS);
    assert_ptr_equal(WdfDpcGetParentObject(dpc), device);
    assert_true(WdfDpcEnqueue(dpc));
    assert_int_equal(KeWaitForSingleObject(&ran, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    assert_int_equal(run_irql, DISPATCH_LEVEL);
    /* The KDPC inside is the object's: queueing it directly runs the callback. */
    KeClearEvent(&ran);
    assert_true(KeInsertQueueDpc(WdfDpcWdmGetDpc(dpc), NULL, NULL));
    KeWaitForSingleObject(&ran, Executive, KernelMode, FALSE, NULL);
    assert_int_equal(runs, 2);
}

static void enqueue_twice(WDFDPC dpc, BOOLEAN *results)
{
    results[0] = WdfDpcEnqueue(dpc);
    results[1] = WdfDpcEnqueue(dpc);
}

static void second_enqueue_while_queued_returns_false(void **state)
{
    BOOLEAN results[2];
    WDFDPC dpc;

    (void)state;
    assert_int_equal(dpc_new(device, &dpc), STATUS_SUCCESS);
    from_dpc(dpc, enqueue_twice, results);
    assert_true(results[0]);
    assert_false(results[1]);
    KeWaitForSingleObject(&ran, Executive, KernelMode, FALSE, NULL);
    fx_test_drain();
    assert_int_equal(runs, 1);
    assert_false(WdfDpcCancel(dpc, TRUE));
}

static void enqueue_then_cancel(WDFDPC dpc, BOOLEAN *results)
{
    results[0] = WdfDpcEnqueue(dpc);
    results[1] = WdfDpcCancel(dpc, FALSE);
}

static void cancel_takes_a_queued_dpc_off(void **state)
{
    BOOLEAN results[2];
    WDFDPC dpc;

    (void)state;
    assert_int_equal(dpc_new(device, &dpc), STATUS_SUCCESS);
    from_dpc(dpc, enqueue_then_cancel, results);
    assert_true(results[0]);
    assert_true(results[1]);
    fx_test_drain();
    assert_int_equal(runs, 0);
}

static void cancel_with_wait_from_a_dpc_is_reported(void **state)
{
    WDFDPC dpc;

    (void)state;
    assert_int_equal(dpc_new(device, &dpc), STATUS_SUCCESS);
    KIRQL irql = KeRaiseIrqlToDpcLevel();
    assert_false(WdfDpcCancel(dpc, TRUE));
    KeLowerIrql(irql);
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    vf_reset_counts();
}

static void creation_rules(void **state)
{
    WDFDPC dpc;

    (void)state;
    assert_int_equal(dpc_new(WdfGetDriver(), &dpc), STATUS_INVALID_DEVICE_REQUEST);
    /* A passive-level scope cannot serialize a DISPATCH_LEVEL callback. */
    WDFDEVICE passive = fx_test_device_new(WdfExecutionLevelPassive, WdfSynchronizationScopeDevice);
    assert_int_equal(dpc_new(passive, &dpc), STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL);
    assert_int_equal(vf_report_count(VF_WDF), 2);
    fx_test_device_delete(passive);
    vf_reset_counts();
}

static void deleted_with_its_parent_after_running(void **state)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFOBJECT parent;
    WDFDPC dpc;

    (void)state;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = device;
    assert_int_equal(WdfObjectCreate(&attributes, &parent), STATUS_SUCCESS);
    assert_int_equal(dpc_new(parent, &dpc), STATUS_SUCCESS);
    WdfDpcEnqueue(dpc);
    WdfObjectDelete(parent);
    fx_test_drain();
    assert_true(runs <= 1);
    assert_false(WdfDpcEnqueue(dpc));
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(runs_at_dispatch_level, setup, teardown),
        cmocka_unit_test_setup_teardown(second_enqueue_while_queued_returns_false, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_takes_a_queued_dpc_off, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_with_wait_from_a_dpc_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(creation_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(deleted_with_its_parent_after_running, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
