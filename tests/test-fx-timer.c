/*
 * WDFTIMER (src/fx/timer.c): periodic and one-shot timers, restart and
 * stop semantics, passive-level timers, parent and serialization rules,
 * deletion with the device, and stale handles — all through the DDIs as a
 * driver calls them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test-fx-driver.h"
#include "verifier/verifier.h"

struct ticks {
    volatile LONG count;
    volatile LONG irql;
    KSEMAPHORE fired;
    WDFTIMER stop_self;          /* the callback calls WdfTimerStop(stop_self, TRUE) */
    volatile LONG stop_result;
    bool delete_self;            /* the callback deletes its own timer */
};
typedef struct ticks *TICKS_REF;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(TICKS_REF, ticks_of);

static struct ticks *ticks_of_timer(WDFTIMER timer)
{
    return *ticks_of(timer);
}

static VOID NTAPI on_tick(WDFTIMER timer)
{
    struct ticks *t = ticks_of_timer(timer);
    InterlockedExchange(&t->irql, KeGetCurrentIrql());
    if (t->stop_self)
        InterlockedExchange(&t->stop_result, WdfTimerStop(t->stop_self, TRUE));
    InterlockedIncrement(&t->count);
    if (t->delete_self)
        WdfObjectDelete(timer);
    KeReleaseSemaphore(&t->fired, IO_NO_INCREMENT, 1, FALSE);
}

static void ticks_init(struct ticks *t)
{
    memset(t, 0, sizeof(*t));
    t->irql = -1;
    KeInitializeSemaphore(&t->fired, 0, MAXLONG);
}

static bool wait_tick(struct ticks *t, LONG ms)
{
    LARGE_INTEGER timeout = { .QuadPart = WDF_REL_TIMEOUT_IN_MS(ms) };
    return KeWaitForSingleObject(&t->fired, Executive, KernelMode, FALSE, &timeout) == STATUS_SUCCESS;
}

static void sleep_ms(LONG ms)
{
    LARGE_INTEGER interval = { .QuadPart = WDF_REL_TIMEOUT_IN_MS(ms) };
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

static NTSTATUS timer_new(WDFOBJECT parent, ULONG period, WDF_EXECUTION_LEVEL level, struct ticks *t, WDFTIMER *timer)
{
    WDF_TIMER_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;

    WDF_TIMER_CONFIG_INIT_PERIODIC(&config, on_tick, (LONG)period);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, TICKS_REF);
    attributes.ParentObject = parent;
    attributes.ExecutionLevel = level;
    NTSTATUS status = WdfTimerCreate(&config, &attributes, timer);
    if (NT_SUCCESS(status))
        *ticks_of(*timer) = t;
    return status;
}

struct fixture {
    WDFDEVICE device;
    struct ticks ticks;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    vf_reset_counts();
    if (fx_test_bind(L"fxtimer"))
        return -1;
    f->device = fx_test_device_new(WdfExecutionLevelInheritFromParent, WdfSynchronizationScopeNone);
    ticks_init(&f->ticks);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    fx_test_drain();
    if (f->device)
        fx_test_device_delete(f->device);
    fx_test_unbind();
    free(f);
    return vf_report_count(VF_WDF) ? -1 : 0;
}

static void periodic_timer_fires_until_stopped_with_wait(void **state)
{
    struct fixture *f = *state;
    WDFTIMER timer;

    assert_int_equal(timer_new(f->device, 5, WdfExecutionLevelInheritFromParent, &f->ticks, &timer), STATUS_SUCCESS);
    assert_false(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(5)));
    for (int i = 0; i < 3; i++)
        assert_true(wait_tick(&f->ticks, 5000));
    assert_int_equal(f->ticks.irql, DISPATCH_LEVEL);
    assert_true(WdfTimerStop(timer, TRUE));
    /* Wait returned after any callback in flight: nothing runs any more. */
    LONG count = f->ticks.count;
    sleep_ms(30);
    assert_int_equal(f->ticks.count, count);
    assert_false(WdfTimerStop(timer, TRUE));
}

static void one_shot_restart_reports_it_was_queued(void **state)
{
    struct fixture *f = *state;
    WDFTIMER timer;

    assert_int_equal(timer_new(f->device, 0, WdfExecutionLevelInheritFromParent, &f->ticks, &timer), STATUS_SUCCESS);
    assert_false(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_SEC(60)));
    assert_true(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_SEC(60)));
    assert_true(WdfTimerStop(timer, FALSE));
    assert_false(WdfTimerStop(timer, FALSE));
    /* A one-shot fires once, and may be started again afterwards. */
    assert_false(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1)));
    assert_true(wait_tick(&f->ticks, 5000));
    assert_false(wait_tick(&f->ticks, 30));
    assert_false(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1)));
    assert_true(wait_tick(&f->ticks, 5000));
    assert_int_equal(f->ticks.count, 2);
}

static void passive_timer_calls_back_at_passive_level(void **state)
{
    struct fixture *f = *state;
    WDFTIMER timer;

    assert_int_equal(timer_new(f->device, 0, WdfExecutionLevelPassive, &f->ticks, &timer), STATUS_SUCCESS);
    WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
    assert_true(wait_tick(&f->ticks, 5000));
    assert_int_equal(f->ticks.irql, PASSIVE_LEVEL);
    /* Periodic passive timers are not supported, as in KMDF. */
    assert_int_equal(timer_new(f->device, 10, WdfExecutionLevelPassive, &f->ticks, &timer), STATUS_NOT_SUPPORTED);
    vf_reset_counts();
}

static void parent_must_lead_to_a_device(void **state)
{
    struct fixture *f = *state;
    WDF_TIMER_CONFIG config;
    WDFTIMER timer;
    WDFOBJECT child;
    WDF_OBJECT_ATTRIBUTES attributes;

    assert_int_equal(timer_new(WdfGetDriver(), 0, WdfExecutionLevelInheritFromParent, &f->ticks, &timer),
                     STATUS_INVALID_DEVICE_REQUEST);
    WDF_TIMER_CONFIG_INIT(&config, on_tick);
    assert_int_equal(WdfTimerCreate(&config, WDF_NO_OBJECT_ATTRIBUTES, &timer), STATUS_WDF_PARENT_NOT_SPECIFIED);
    assert_int_equal(vf_report_count(VF_WDF), 2);
    /* Any descendant of a device will do. */
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = f->device;
    assert_int_equal(WdfObjectCreate(&attributes, &child), STATUS_SUCCESS);
    assert_int_equal(timer_new(child, 0, WdfExecutionLevelInheritFromParent, &f->ticks, &timer), STATUS_SUCCESS);
    assert_ptr_equal(WdfTimerGetParentObject(timer), child);
    vf_reset_counts();
}

static void serialization_needs_matching_levels(void **state)
{
    struct fixture *f = *state;
    WDFTIMER timer;
    WDFDEVICE passive = fx_test_device_new(WdfExecutionLevelPassive, WdfSynchronizationScopeDevice);

    assert_int_equal(timer_new(passive, 0, WdfExecutionLevelInheritFromParent, &f->ticks, &timer),
                     STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    assert_int_equal(timer_new(passive, 0, WdfExecutionLevelPassive, &f->ticks, &timer), STATUS_SUCCESS);
    fx_test_device_delete(passive);
    vf_reset_counts();
}

static void stop_with_wait_from_own_callback_is_reported(void **state)
{
    struct fixture *f = *state;
    WDFTIMER timer;

    assert_int_equal(timer_new(f->device, 0, WdfExecutionLevelPassive, &f->ticks, &timer), STATUS_SUCCESS);
    f->ticks.stop_self = timer;
    f->ticks.stop_result = -1;
    WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
    assert_true(wait_tick(&f->ticks, 5000));
    assert_int_equal(f->ticks.stop_result, FALSE);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    vf_reset_counts();
}

static void deleting_stops_it_and_stales_the_handle(void **state)
{
    struct fixture *f = *state;
    WDFTIMER timer;

    assert_int_equal(timer_new(f->device, 2, WdfExecutionLevelInheritFromParent, &f->ticks, &timer), STATUS_SUCCESS);
    WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(2));
    assert_true(wait_tick(&f->ticks, 5000));
    WdfObjectDelete(timer);
    LONG count = f->ticks.count;
    sleep_ms(20);
    assert_int_equal(f->ticks.count, count);
    assert_int_equal(vf_report_count(VF_HANDLE), 0);
    assert_false(WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1)));
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

static KEVENT destroyed;
static VOID NTAPI on_destroy(WDFOBJECT object)
{
    (void)object;
    KeSetEvent(&destroyed, IO_NO_INCREMENT, FALSE);
}

static void timer_may_delete_itself_from_its_callback(void **state)
{
    struct fixture *f = *state;
    WDFTIMER timer;
    WDF_TIMER_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;

    KeInitializeEvent(&destroyed, NotificationEvent, FALSE);
    WDF_TIMER_CONFIG_INIT(&config, on_tick);
    WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, TICKS_REF);
    attributes.ParentObject = f->device;
    attributes.EvtDestroyCallback = on_destroy;
    assert_int_equal(WdfTimerCreate(&config, &attributes, &timer), STATUS_SUCCESS);
    *ticks_of(timer) = &f->ticks;
    f->ticks.delete_self = true;
    WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
    assert_true(wait_tick(&f->ticks, 5000));
    /* Deleted from DISPATCH_LEVEL: the deletion finishes at PASSIVE_LEVEL
     * on a worker, then the handle is stale. */
    LARGE_INTEGER timeout = { .QuadPart = WDF_REL_TIMEOUT_IN_SEC(5) };
    assert_int_equal(KeWaitForSingleObject(&destroyed, Executive, KernelMode, FALSE, &timeout), STATUS_SUCCESS);
    fx_test_drain();
    assert_false(WdfTimerStop(timer, FALSE));
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

/* Cleanup and destroy order of a timer deleted with its device. */
static char order[8]; /* NUL-terminated: at most four notes */
static int order_n;
static VOID NTAPI note_timer_cleanup(WDFOBJECT o) { (void)o; order[order_n++] = 't'; }
static VOID NTAPI note_timer_destroy(WDFOBJECT o) { (void)o; order[order_n++] = 'T'; }
static VOID NTAPI note_child_cleanup(WDFOBJECT o) { (void)o; order[order_n++] = 'c'; }
static VOID NTAPI note_child_destroy(WDFOBJECT o) { (void)o; order[order_n++] = 'C'; }

static void deleted_with_its_device_children_first(void **state)
{
    struct fixture *f = *state;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDF_TIMER_CONFIG config;
    WDFOBJECT child;
    WDFTIMER timer;

    order_n = 0;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = f->device;
    attributes.EvtCleanupCallback = note_child_cleanup;
    attributes.EvtDestroyCallback = note_child_destroy;
    assert_int_equal(WdfObjectCreate(&attributes, &child), STATUS_SUCCESS);
    WDF_TIMER_CONFIG_INIT_PERIODIC(&config, on_tick, 1);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = child;
    attributes.EvtCleanupCallback = note_timer_cleanup;
    attributes.EvtDestroyCallback = note_timer_destroy;
    assert_int_equal(WdfTimerCreate(&config, &attributes, &timer), STATUS_SUCCESS);
    fx_test_device_delete(f->device);
    f->device = NULL;
    /* Children before parents, and each cleanup before its destroy. */
    assert_int_equal(order_n, 4);
    const char *o = order;
    assert_true(strchr(o, 't') < strchr(o, 'c'));
    assert_true(strchr(o, 't') < strchr(o, 'T') && strchr(o, 'c') < strchr(o, 'C'));
    assert_true(strchr(o, 'T') < strchr(o, 'C'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(periodic_timer_fires_until_stopped_with_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(one_shot_restart_reports_it_was_queued, setup, teardown),
        cmocka_unit_test_setup_teardown(passive_timer_calls_back_at_passive_level, setup, teardown),
        cmocka_unit_test_setup_teardown(parent_must_lead_to_a_device, setup, teardown),
        cmocka_unit_test_setup_teardown(serialization_needs_matching_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_with_wait_from_own_callback_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(deleting_stops_it_and_stales_the_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(timer_may_delete_itself_from_its_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(deleted_with_its_device_children_first, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
