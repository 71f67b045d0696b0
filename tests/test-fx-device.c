/*
 * Control devices and file objects: a non-PnP KMDF driver's control device
 * opened by its symbolic link, its file cleanup/close callbacks and
 * shutdown notification, and its deletion by the driver; a function
 * driver's file objects opened through its device interface.
 */
#include "fx-device-harness.h"
#include "fx-device-stubs.h"
#include "test-support.h"

static const GUID test_interface = { 0x2c0ffee0, 0x1234, 0x4bcd, { 0x9a, 0x01, 0x22, 0x33, 0x44, 0x55, 0x66, 0x78 } };

static void load_control(struct fx_stack *s)
{
    char path[512];
    struct ldr_error error;

    memset(s, 0, sizeof(*s));
    assert_int_equal(nt_runtime_start(), 0);
    snprintf(path, sizeof(path), "%s/fxctl.sys", KMH_TEST_DRIVER_DIR);
    if (!NT_SUCCESS(ldr_driver_load_file("fxctl", path, &s->driver, &error)))
        fail_msg("loading %s: %s", path, error.message);
    s->t = IoGetDriverObjectExtension(&s->driver->object, FXTEST_ID);
    assert_non_null(s->t);
}

static void control_device_by_symbolic_link(void **state)
{
    struct fx_stack s;
    PFILE_OBJECT file;
    LONG seen = 0;
    (void)state;

    load_control(&s);
    assert_int_equal(fx_open_path(L"\\??\\FxCtl", &file), STATUS_SUCCESS);
    fx_close_file(file);
    EXPECT(&s, &seen, "FileCleanup", "FileClose");
    io_shutdown_notify_all();
    EXPECT(&s, &seen, "Shutdown");
    ldr_driver_unload(s.driver);
    EXPECT(&s, &seen, "DeviceCleanup");
    assert_int_equal(fx_open_path(L"\\??\\FxCtl", &file), STATUS_OBJECT_NAME_NOT_FOUND);
    ObfDereferenceObject(&s.driver->object);
    nt_runtime_stop();
}

static void control_device_deleted_by_driver(void **state)
{
    struct fx_stack s;
    PFILE_OBJECT file;
    LONG seen = 0;
    (void)state;

    load_control(&s);
    unsigned long violations = vf_report_count(VF_WDF);
    s.t->delete_device();
    EXPECT(&s, &seen, "DeviceCleanup");
    assert_int_equal(vf_report_count(VF_WDF), violations);
    assert_null(s.driver->object.DeviceObject);
    assert_int_equal(fx_open_path(L"\\??\\FxCtl", &file), STATUS_OBJECT_NAME_NOT_FOUND);
    ldr_driver_unload(s.driver);
    ObfDereferenceObject(&s.driver->object);
    nt_runtime_stop();
}

static void pnp_device_refuses_driver_delete(void **state)
{
    struct fx_stack s;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    assert_true(NT_SUCCESS(fx_stack_add(&s)));
    unsigned long violations = vf_report_count(VF_WDF);
    struct fx_globals *globals = fx_globals_for_driver_object(&s.driver->object);
    ((PFN_WDFOBJECTDELETE)fx_function_table()[WdfObjectDeleteTableIndex])(&globals->public, (WDFOBJECT)s.t->device);
    assert_int_equal(vf_report_count(VF_WDF), violations + 1);
    assert_non_null(s.pdo->AttachedDevice);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    EXPECT(&s, &seen, "DeviceAdd", "DeviceCleanup");
    fx_stack_unload(&s);
}

static void file_objects_through_interface(void **state)
{
    struct fx_stack s;
    WCHAR link[256] = { 0 };
    PFILE_OBJECT file;
    LONG seen = 0;
    (void)state;

    fx_stack_load(&s, "fxpnp");
    s.t->interface_guid = test_interface;
    assert_true(NT_SUCCESS(fx_stack_add(&s)));
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_START_DEVICE), STATUS_SUCCESS);
    fx_first_interface(&test_interface, link);
    assert_int_equal(fx_open_path(link, &file), STATUS_SUCCESS);
    seen = s.t->count;
    fx_close_file(file);
    EXPECT(&s, &seen, "FileCleanup", "FileClose");
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    fx_stack_unload(&s);
}

int main(void)
{
    char *root = kmh_test_tmpdir();
    setenv("KMHOST_ROOT", root, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_device_by_symbolic_link),
        cmocka_unit_test(control_device_deleted_by_driver),
        cmocka_unit_test(pnp_device_refuses_driver_delete),
        cmocka_unit_test(file_objects_through_interface),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    kmh_test_rmtree(root);
    free(root);
    return failed;
}
