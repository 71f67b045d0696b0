/*
 * The framework's locks (src/fx/sync.c): WDFSPINLOCK raising to
 * DISPATCH_LEVEL with the verifier's owner checks, WDFWAITLOCK timeouts and
 * IRQL rules, and automatic synchronization keeping a device's timer and
 * work item callbacks from overlapping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>

#include "test-fx-driver.h"
#include "verifier/verifier.h"

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return fx_test_bind(L"fxsync");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return vf_report_count(VF_WDF) || vf_report_count(VF_IRQL) ? -1 : 0;
}

static void sleep_ms(LONG ms)
{
    LARGE_INTEGER interval = { .QuadPart = WDF_REL_TIMEOUT_IN_MS(ms) };
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

static void spin_lock_raises_to_dispatch_and_back(void **state)
{
    WDFSPINLOCK lock;

    (void)state;
    assert_int_equal(WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &lock), STATUS_SUCCESS);
    WdfSpinLockAcquire(lock);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
    WdfSpinLockRelease(lock);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    /* Acquired at DISPATCH_LEVEL, it stays there after the release. */
    KIRQL irql = KeRaiseIrqlToDpcLevel();
    WdfSpinLockAcquire(lock);
    WdfSpinLockRelease(lock);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(irql);
    WdfObjectDelete(lock);
}

static void spin_lock_recursion_is_reported_not_deadlocked(void **state)
{
    WDFSPINLOCK lock;

    (void)state;
    assert_int_equal(WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &lock), STATUS_SUCCESS);
    WdfSpinLockAcquire(lock);
    WdfSpinLockAcquire(lock);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    WdfSpinLockRelease(lock);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    WdfSpinLockRelease(lock);
    assert_int_equal(vf_report_count(VF_WDF), 2);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    vf_reset_counts();
}

static void *release_spin_lock(void *lock)
{
    WdfSpinLockRelease(lock);
    return NULL;
}

static void spin_lock_release_by_another_thread_is_reported(void **state)
{
    WDFSPINLOCK lock;
    pthread_t thread;

    (void)state;
    assert_int_equal(WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &lock), STATUS_SUCCESS);
    WdfSpinLockAcquire(lock);
    pthread_create(&thread, NULL, release_spin_lock, lock);
    pthread_join(thread, NULL);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    WdfSpinLockRelease(lock);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    vf_reset_counts();
}

struct try_lock {
    WDFWAITLOCK lock;
    LONGLONG timeout;
    NTSTATUS status;
};

static void *try_wait_lock(void *arg)
{
    struct try_lock *t = arg;
    t->status = WdfWaitLockAcquire(t->lock, &t->timeout);
    if (t->status == STATUS_SUCCESS)
        WdfWaitLockRelease(t->lock);
    return NULL;
}

static NTSTATUS try_from_other_thread(WDFWAITLOCK lock, LONGLONG timeout)
{
    struct try_lock t = { lock, timeout, -1 };
    pthread_t thread;
    pthread_create(&thread, NULL, try_wait_lock, &t);
    pthread_join(thread, NULL);
    return t.status;
}

static void wait_lock_times_out_while_held(void **state)
{
    WDFWAITLOCK lock;

    (void)state;
    assert_int_equal(WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &lock), STATUS_SUCCESS);
    assert_int_equal(WdfWaitLockAcquire(lock, NULL), STATUS_SUCCESS);
    assert_int_equal(try_from_other_thread(lock, 0), STATUS_TIMEOUT);
    assert_int_equal(try_from_other_thread(lock, WDF_REL_TIMEOUT_IN_MS(10)), STATUS_TIMEOUT);
    WdfWaitLockRelease(lock);
    assert_int_equal(try_from_other_thread(lock, 0), STATUS_SUCCESS);
    assert_int_equal(try_from_other_thread(lock, WDF_REL_TIMEOUT_IN_MS(10)), STATUS_SUCCESS);
}

static void wait_lock_irql_rules(void **state)
{
    WDFWAITLOCK lock;
    LONGLONG zero = 0, ten_ms = WDF_REL_TIMEOUT_IN_MS(10);

    (void)state;
    assert_int_equal(WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &lock), STATUS_SUCCESS);
    KIRQL irql = KeRaiseIrqlToDpcLevel();
    /* Polling is allowed at DISPATCH_LEVEL, waiting is not. */
    assert_int_equal(WdfWaitLockAcquire(lock, &zero), STATUS_SUCCESS);
    WdfWaitLockRelease(lock);
    assert_int_equal(WdfWaitLockAcquire(lock, &ten_ms), STATUS_INVALID_DEVICE_REQUEST);
    KeLowerIrql(irql);
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    /* Recursion would deadlock: reported, and refused. */
    assert_int_equal(WdfWaitLockAcquire(lock, NULL), STATUS_SUCCESS);
    assert_int_equal(WdfWaitLockAcquire(lock, &ten_ms), STATUS_TIMEOUT);
    WdfWaitLockRelease(lock);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    vf_reset_counts();
}

static void locks_refuse_scope_and_level_attributes(void **state)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFSPINLOCK spin;
    WDFWAITLOCK wait;

    (void)state;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.SynchronizationScope = WdfSynchronizationScopeDevice;
    assert_int_equal(WdfSpinLockCreate(&attributes, &spin), STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ExecutionLevel = WdfExecutionLevelPassive;
    assert_int_equal(WdfWaitLockCreate(&attributes, &wait), STATUS_WDF_EXECUTION_LEVEL_INVALID);
    assert_int_equal(vf_report_count(VF_WDF), 2);
    vf_reset_counts();
}

/* A timer and a work item of one passive, device-scoped device: their
 * callbacks must never overlap. */
static volatile LONG inside, overlaps, timer_runs, work_runs;
static KEVENT both_done;
#define RUNS 20

static void serialized_body(volatile LONG *mine, LONG *other_runs)
{
    if (InterlockedExchange(&inside, 1))
        InterlockedIncrement(&overlaps);
    sleep_ms(1);
    InterlockedExchange(&inside, 0);
    if (InterlockedIncrement(mine) >= RUNS && *other_runs >= RUNS)
        KeSetEvent(&both_done, IO_NO_INCREMENT, FALSE);
}

static VOID NTAPI serialized_timer(WDFTIMER timer)
{
    serialized_body(&timer_runs, (LONG *)&work_runs);
    if (timer_runs < RUNS)
        WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
}

static VOID NTAPI serialized_work(WDFWORKITEM item)
{
    serialized_body(&work_runs, (LONG *)&timer_runs);
    if (work_runs < RUNS)
        WdfWorkItemEnqueue(item);
}

static void automatic_serialization_excludes_timer_and_work_item(void **state)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_TIMER_CONFIG timer_config;
    WDF_WORKITEM_CONFIG work_config;
    WDFTIMER timer;
    WDFWORKITEM item;

    (void)state;
    inside = overlaps = timer_runs = work_runs = 0;
    KeInitializeEvent(&both_done, NotificationEvent, FALSE);
    WDFDEVICE device = fx_test_device_new(WdfExecutionLevelPassive, WdfSynchronizationScopeDevice);
    WDF_TIMER_CONFIG_INIT(&timer_config, serialized_timer);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = device;
    attributes.ExecutionLevel = WdfExecutionLevelPassive;
    assert_int_equal(WdfTimerCreate(&timer_config, &attributes, &timer), STATUS_SUCCESS);
    WDF_WORKITEM_CONFIG_INIT(&work_config, serialized_work);
    attributes.ExecutionLevel = WdfExecutionLevelInheritFromParent;
    assert_int_equal(WdfWorkItemCreate(&work_config, &attributes, &item), STATUS_SUCCESS);
    WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
    WdfWorkItemEnqueue(item);
    LARGE_INTEGER timeout = { .QuadPart = WDF_REL_TIMEOUT_IN_SEC(20) };
    assert_int_equal(KeWaitForSingleObject(&both_done, Executive, KernelMode, FALSE, &timeout), STATUS_SUCCESS);
    assert_int_equal(overlaps, 0);
    fx_test_drain();
    fx_test_device_delete(device);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(spin_lock_raises_to_dispatch_and_back, setup, teardown),
        cmocka_unit_test_setup_teardown(spin_lock_recursion_is_reported_not_deadlocked, setup, teardown),
        cmocka_unit_test_setup_teardown(spin_lock_release_by_another_thread_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_lock_times_out_while_held, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_lock_irql_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(locks_refuse_scope_and_level_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(automatic_serialization_excludes_timer_and_work_item, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
