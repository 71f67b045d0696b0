/*
 * The PnP and power state machine of a KMDF function driver, callback by
 * callback, in the order KMDF documents (the table in src/fx/pnp.c): start,
 * stop and restart, vetoes, surprise removal, removal, failures, system
 * sleep, device interfaces, and a stale WDFDEVICE after removal.
 */
#include "fx-device-harness.h"
#include "test-support.h"
#include "fx-device-stubs.h"
#include "fx/device_private.h"

static const GUID test_interface = { 0x1c0ffee0, 0x1234, 0x4bcd, { 0x9a, 0x01, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 } };

static void started(struct fx_stack *s, LONG *seen)
{
    assert_true(NT_SUCCESS(fx_stack_add(s)));
    assert_int_equal(fx_stack_pnp(s, IRP_MN_START_DEVICE), STATUS_SUCCESS);
    EXPECT(s, seen, "DeviceAdd", "PrepareHardware", "D0Entry(D3Final)", "D0EntryPostInterruptsEnabled(D3Final)",
           "SelfManagedIoInit");
}

static WDF_DEVICE_PNP_STATE pnp_state(struct fx_stack *s)
{
    struct fx_device *device = (struct fx_device *)fx_handle_object(s->t->device, FX_TYPE_DEVICE, "test");
    return fx_pnp_of(device)->pnp_state;
}

static void start_then_remove(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    started(&s, &seen);
    assert_int_equal(pnp_state(&s), WdfDevStatePnpStarted);
    struct fx_device *device = (struct fx_device *)fx_handle_object(s.t->device, FX_TYPE_DEVICE, "test");
    assert_ptr_equal(s.pdo->AttachedDevice, device->wdm_device);
    assert_true(device->wdm_device->Flags & DO_BUFFERED_IO);
    assert_false(device->wdm_device->Flags & DO_DEVICE_INITIALIZING);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_QUERY_REMOVE_DEVICE), STATUS_SUCCESS);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "QueryRemove", "SelfManagedIoSuspend", "D0ExitPreInterruptsDisabled(D3Final)",
           "D0Exit(D3Final)", "ReleaseHardware", "SelfManagedIoFlush", "SelfManagedIoCleanup", "DeviceCleanup");
    assert_null(s.pdo->AttachedDevice);
    assert_null(s.driver->object.DeviceObject);
    fx_stack_unload(&s);
}

static void stop_and_restart(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    started(&s, &seen);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_QUERY_STOP_DEVICE), STATUS_SUCCESS);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_STOP_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "QueryStop", "SelfManagedIoSuspend", "D0ExitPreInterruptsDisabled(D3Final)", "D0Exit(D3Final)",
           "ReleaseHardware");
    assert_int_equal(pnp_state(&s), WdfDevStatePnpStopped);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_START_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "PrepareHardware", "D0Entry(D3Final)", "D0EntryPostInterruptsEnabled(D3Final)",
           "SelfManagedIoRestart");
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "SelfManagedIoSuspend", "D0ExitPreInterruptsDisabled(D3Final)", "D0Exit(D3Final)",
           "ReleaseHardware", "SelfManagedIoFlush", "SelfManagedIoCleanup", "DeviceCleanup");
    fx_stack_unload(&s);
}

static void query_stop_veto(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    s.t->query_stop_status = STATUS_DEVICE_BUSY;
    started(&s, &seen);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_QUERY_STOP_DEVICE), STATUS_DEVICE_BUSY);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_CANCEL_STOP_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "QueryStop");
    assert_int_equal(pnp_state(&s), WdfDevStatePnpStarted);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    fx_stack_unload(&s);
}

static void surprise_removal(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    started(&s, &seen);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_SURPRISE_REMOVAL), STATUS_SUCCESS);
    EXPECT(&s, &seen, "SurpriseRemoval", "SelfManagedIoSuspend", "D0ExitPreInterruptsDisabled(D3Final)",
           "D0Exit(D3Final)", "ReleaseHardware", "SelfManagedIoFlush");
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "SelfManagedIoCleanup", "DeviceCleanup");
    fx_stack_unload(&s);
}

static void prepare_hardware_failure(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    s.t->prepare_status = STATUS_DEVICE_CONFIGURATION_ERROR;
    assert_true(NT_SUCCESS(fx_stack_add(&s)));
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_START_DEVICE), STATUS_DEVICE_CONFIGURATION_ERROR);
    EXPECT(&s, &seen, "DeviceAdd", "PrepareHardware", "ReleaseHardware");
    assert_int_equal(pnp_state(&s), WdfDevStatePnpFailed);
    ULONG_PTR device_state = 0;
    PIRP irp = io_build_pnp_irp(s.pdo, IRP_MJ_PNP, IRP_MN_QUERY_PNP_DEVICE_STATE);
    assert_int_equal(io_call_and_wait(s.pdo, irp, &device_state), STATUS_SUCCESS);
    assert_true(device_state & PNP_DEVICE_FAILED);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "DeviceCleanup");
    fx_stack_unload(&s);
}

static void device_add_failure(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    s.t->add_status = STATUS_INSUFFICIENT_RESOURCES;
    assert_int_equal(fx_stack_add(&s), STATUS_INSUFFICIENT_RESOURCES);
    EXPECT(&s, &seen, "DeviceAdd", "DeviceCleanup");
    assert_null(s.pdo->AttachedDevice);
    assert_null(s.driver->object.DeviceObject);
    fx_stack_unload(&s);
}

static void stale_handle_after_removal(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    started(&s, &seen);
    assert_non_null(s.t->get_driver(s.t->device));
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    unsigned long reports = vf_report_count(VF_HANDLE);
    assert_null(s.t->get_driver(s.t->device));
    assert_int_equal(vf_report_count(VF_HANDLE), reports + 1);
    fx_stack_unload(&s);
}

static void count_link(const UNICODE_STRING *link, void *ctx)
{
    (void)link;
    (*(int *)ctx)++;
}

static int enabled_interfaces(void)
{
    int n = 0;
    pnp_for_each_interface(&test_interface, count_link, &n);
    return n;
}

static void interface_enabled_while_started(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    s.t->interface_guid = test_interface;
    assert_true(NT_SUCCESS(fx_stack_add(&s)));
    assert_int_equal(enabled_interfaces(), 0);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_START_DEVICE), STATUS_SUCCESS);
    assert_int_equal(enabled_interfaces(), 1);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    assert_int_equal(enabled_interfaces(), 0);
    (void)seen;
    fx_stack_unload(&s);
}

static void system_sleep_and_wake(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    started(&s, &seen);
    assert_int_equal(fx_stack_system_power(&s, PowerSystemSleeping3, PowerActionSleep), STATUS_SUCCESS);
    EXPECT(&s, &seen, "SelfManagedIoSuspend", "D0ExitPreInterruptsDisabled(D3)", "D0Exit(D3)");
    assert_int_equal(fx_stack_system_power(&s, PowerSystemWorking, PowerActionNone), STATUS_SUCCESS);
    EXPECT(&s, &seen, "D0Entry(D3)", "D0EntryPostInterruptsEnabled(D3)", "SelfManagedIoRestart");
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    fx_stack_unload(&s);
}

static void filter_takes_lower_flags(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    s.t->filter = TRUE;
    started(&s, &seen);
    PDEVICE_OBJECT filter = s.pdo->AttachedDevice;
    assert_int_equal(filter->DeviceType, FILE_DEVICE_BUS_EXTENDER);
    assert_int_equal(filter->Flags & (DO_BUFFERED_IO | DO_DIRECT_IO | DO_POWER_PAGABLE), 0);
    /* Not the power policy owner: the S-IRP passes, no D-IRP follows. */
    assert_int_equal(fx_stack_system_power(&s, PowerSystemSleeping3, PowerActionSleep), STATUS_SUCCESS);
    assert_int_equal(s.t->count, seen);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    fx_stack_unload(&s);
}

int main(void)
{
    char *root = kmh_test_tmpdir();
    setenv("KMHOST_ROOT", root, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(start_then_remove),
        cmocka_unit_test(stop_and_restart),
        cmocka_unit_test(query_stop_veto),
        cmocka_unit_test(surprise_removal),
        cmocka_unit_test(prepare_hardware_failure),
        cmocka_unit_test(device_add_failure),
        cmocka_unit_test(stale_handle_after_removal),
        cmocka_unit_test(interface_enabled_while_started),
        cmocka_unit_test(system_sleep_and_wake),
        cmocka_unit_test(filter_takes_lower_flags),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    kmh_test_rmtree(root);
    free(root);
    return failed;
}
