/*
 * IRQL (src/nt/irql.c): one level per thread, raises and lowers that
 * balance, verifier reports for raising down or lowering up, critical and
 * guarded regions, and the IRQL rules of waits.
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

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return 0;
}

static void raise_and_lower_balance(void **state)
{
    KIRQL old;

    (void)state;
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KeRaiseIrql(APC_LEVEL, &old);
    assert_int_equal(old, PASSIVE_LEVEL);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    assert_int_equal(old, APC_LEVEL);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
    assert_int_equal(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(PASSIVE_LEVEL);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    assert_int_equal(vf_report_total(), 0);
}

static void raise_to_dpc_and_synch(void **state)
{
    (void)state;
    assert_int_equal(KeRaiseIrqlToDpcLevel(), PASSIVE_LEVEL);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
    assert_int_equal(KeRaiseIrqlToSynchLevel(), DISPATCH_LEVEL);
    assert_int_equal(KeGetCurrentIrql(), SYNCH_LEVEL);
    KeLowerIrql(PASSIVE_LEVEL);
    assert_int_equal(vf_report_total(), 0);
}

static void raising_down_is_reported(void **state)
{
    KIRQL old;

    (void)state;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeRaiseIrql(APC_LEVEL, &old);
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    assert_int_equal(old, DISPATCH_LEVEL);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL); /* unchanged */
    KeLowerIrql(PASSIVE_LEVEL);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

static void lowering_up_is_reported(void **state)
{
    (void)state;
    KeLowerIrql(DISPATCH_LEVEL);
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

static void *report_irql(void *arg)
{
    *(KIRQL *)arg = KeGetCurrentIrql();
    return NULL;
}

static void irql_is_per_thread(void **state)
{
    KIRQL old, seen = 0xff;
    pthread_t thread;

    (void)state;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    assert_int_equal(pthread_create(&thread, NULL, report_irql, &seen), 0);
    pthread_join(thread, NULL);
    KeLowerIrql(old);
    assert_int_equal(seen, PASSIVE_LEVEL);
}

static void critical_and_guarded_regions(void **state)
{
    (void)state;
    assert_false(KeAreApcsDisabled());
    KeEnterCriticalRegion();
    assert_true(KeAreApcsDisabled());
    assert_false(KeAreAllApcsDisabled());
    KeEnterGuardedRegion();
    assert_true(KeAreAllApcsDisabled());
    KeLeaveGuardedRegion();
    KeLeaveCriticalRegion();
    assert_false(KeAreApcsDisabled());
    KeLeaveCriticalRegion(); /* one too many */
    KeLeaveGuardedRegion();
    assert_int_equal(vf_report_count(VF_IRQL), 2);
}

static void apc_level_disables_apcs(void **state)
{
    KIRQL old;

    (void)state;
    KeRaiseIrql(APC_LEVEL, &old);
    assert_true(KeAreApcsDisabled());
    assert_true(KeAreAllApcsDisabled());
    KeLowerIrql(old);
    assert_false(KeAreAllApcsDisabled());
}

static void waits_at_dispatch_level(void **state)
{
    KEVENT event;
    KIRQL old;
    LARGE_INTEGER zero = { .QuadPart = 0 }, later = { .QuadPart = -10000 };

    (void)state;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    assert_int_equal(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    assert_int_equal(vf_report_count(VF_IRQL), 0); /* polling is allowed */
    assert_int_equal(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &later), STATUS_TIMEOUT);
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    KeLowerIrql(old);
}

static void set_event_above_dispatch_is_reported(void **state)
{
    KEVENT event;
    KIRQL old;

    (void)state;
    KeInitializeEvent(&event, SynchronizationEvent, FALSE);
    KeRaiseIrql(HIGH_LEVEL, &old);
    KeSetEvent(&event, IO_NO_INCREMENT, FALSE);
    KeLowerIrql(old);
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    assert_int_equal(KeReadStateEvent(&event), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(raise_and_lower_balance, setup),
        cmocka_unit_test_setup(raise_to_dpc_and_synch, setup),
        cmocka_unit_test_setup(raising_down_is_reported, setup),
        cmocka_unit_test_setup(lowering_up_is_reported, setup),
        cmocka_unit_test_setup(irql_is_per_thread, setup),
        cmocka_unit_test_setup(critical_and_guarded_regions, setup),
        cmocka_unit_test_setup(apc_level_disables_apcs, setup),
        cmocka_unit_test_setup(waits_at_dispatch_level, setup),
        cmocka_unit_test_setup(set_event_above_dispatch_is_reported, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
