/*
 * File objects with EvtDeviceFileCreate: the create request the driver
 * completes, the WDFFILEOBJECT (with its context) made for each open, its
 * cleanup and close callbacks, and its deletion — after close, or at once
 * when the driver fails the create.
 */
#include "fx-device-harness.h"
#include "test-support.h"

static const GUID file_interface = { 0x3c0ffee0, 0x1234, 0x4bcd, { 0x9a, 0x01, 0x22, 0x33, 0x44, 0x55, 0x66, 0x79 } };

static void started_fxfile(struct fx_stack *s, WCHAR link[256])
{
    fx_stack_load(s, "fxfile");
    s->t->interface_guid = file_interface;
    assert_true(NT_SUCCESS(fx_stack_add(s)));
    assert_int_equal(fx_stack_pnp(s, IRP_MN_START_DEVICE), STATUS_SUCCESS);
    fx_first_interface(&file_interface, link);
    assert_true(link[0]);
}

static void create_cleanup_close(void **state)
{
    struct fx_stack s;
    WCHAR link[256];
    PFILE_OBJECT file;
    LONG seen = 0;
    (void)state;

    started_fxfile(&s, link);
    assert_int_equal(fx_open_path(link, &file), STATUS_SUCCESS);
    EXPECT(&s, &seen, "FileCreate");
    fx_close_file(file);
    EXPECT(&s, &seen, "FileCleanup", "FileClose", "FileObjectCleanup");
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    fx_stack_unload(&s);
}

static void failed_create_deletes_file_object(void **state)
{
    struct fx_stack s;
    WCHAR link[256];
    PFILE_OBJECT file;
    LONG seen = 0;
    (void)state;

    started_fxfile(&s, link);
    s.t->create_status = STATUS_ACCESS_DENIED;
    assert_int_equal(fx_open_path(link, &file), STATUS_ACCESS_DENIED);
    EXPECT(&s, &seen, "FileCreate", "FileObjectCleanup");
    s.t->create_status = STATUS_SUCCESS;
    assert_int_equal(fx_open_path(link, &file), STATUS_SUCCESS);
    fx_close_file(file);
    EXPECT(&s, &seen, "FileCreate", "FileCleanup", "FileClose", "FileObjectCleanup");
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    fx_stack_unload(&s);
}

static void open_file_at_removal(void **state)
{
    struct fx_stack s;
    WCHAR link[256];
    PFILE_OBJECT file;
    LONG seen = 0;
    (void)state;

    started_fxfile(&s, link);
    assert_int_equal(fx_open_path(link, &file), STATUS_SUCCESS);
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_SURPRISE_REMOVAL), STATUS_SUCCESS);
    fx_close_file(file);
    EXPECT(&s, &seen, "FileCreate", "FileCleanup", "FileClose", "FileObjectCleanup");
    assert_int_equal(fx_stack_pnp(&s, IRP_MN_REMOVE_DEVICE), STATUS_SUCCESS);
    fx_stack_unload(&s);
}

int main(void)
{
    char *root = kmh_test_tmpdir();
    setenv("KMHOST_ROOT", root, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_cleanup_close),
        cmocka_unit_test(failed_create_deletes_file_object),
        cmocka_unit_test(open_file_at_removal),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    kmh_test_rmtree(root);
    free(root);
    return failed;
}
