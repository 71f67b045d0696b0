/*
 * End to end through a real KMDF driver (tests/drivers/fxmisc), loaded by
 * kmhost's loader: its DriverEntry uses locks, strings, a collection, the
 * version string and its Parameters key under its WDFDRIVER, finds that
 * timers and work items need a device, then makes a control device whose
 * timer queues a work item; it reports through the registry, where this
 * test reads it with the Zw calls. Unloading runs its EvtDriverUnload and
 * leaves nothing behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "loader/loader.h"
#include "nt/registry.h"
#include "verifier/verifier.h"
#include "test-support.h"

#define SERVICE L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\fxmisc"
#define PARAMETERS SERVICE L"\\Parameters"

static char *root;

static UNICODE_STRING us(const WCHAR *s)
{
    USHORT n = 0;
    while (s[n])
        n++;
    return (UNICODE_STRING){ n * sizeof(WCHAR), (n + 1) * sizeof(WCHAR), (PWSTR)s };
}

static HANDLE create_key(const WCHAR *path)
{
    UNICODE_STRING name = us(path);
    OBJECT_ATTRIBUTES oa;
    HANDLE key;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    assert_int_equal(ZwCreateKey(&key, KEY_ALL_ACCESS, &oa, 0, NULL, 0, NULL), STATUS_SUCCESS);
    return key;
}

/* The value's data into out (NUL-padded); returns its type. */
static ULONG read_value(HANDLE key, const WCHAR *name, void *out, ULONG size)
{
    UNICODE_STRING value = us(name);
    UCHAR buffer[512];
    KEY_VALUE_PARTIAL_INFORMATION *info = (void *)buffer;
    ULONG result;
    assert_int_equal(ZwQueryValueKey(key, &value, KeyValuePartialInformation, info, sizeof(buffer), &result),
                     STATUS_SUCCESS);
    memset(out, 0, size);
    memcpy(out, info->Data, info->DataLength < size ? info->DataLength : size);
    return info->Type;
}

/* Waits (up to 5 s) for the driver's work item to have written name. */
static bool wait_for_value(HANDLE key, const WCHAR *name)
{
    UNICODE_STRING value = us(name);
    UCHAR buffer[64];
    ULONG result;
    LARGE_INTEGER interval = { .QuadPart = -10000 * 5 };
    for (int i = 0; i < 1000; i++) {
        if (ZwQueryValueKey(key, &value, KeyValuePartialInformation, buffer, sizeof(buffer), &result) ==
            STATUS_SUCCESS)
            return true;
        KeDelayExecutionThread(KernelMode, FALSE, &interval);
    }
    return false;
}

static int setup(void **state)
{
    char err[256];
    (void)state;
    vf_reset_counts();
    root = kmh_test_tmpdir();
    if (nt_registry_open(root, err, sizeof(err)) || nt_runtime_start())
        return -1;
    /* What installing the driver would have left: Parameters\Input. */
    ZwClose(create_key(SERVICE));
    HANDLE key = create_key(PARAMETERS);
    UNICODE_STRING input = us(L"Input");
    ULONG value = 21;
    ZwSetValueKey(key, &input, 0, REG_DWORD, &value, sizeof(value));
    ZwClose(key);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    nt_runtime_stop();
    nt_registry_close();
    kmh_test_rmtree(root);
    free(root);
    return 0;
}

static void driver_entry_uses_support_objects_under_its_driver(void **state)
{
    struct io_driver *driver;
    struct ldr_error error;
    ULONG value;
    WCHAR text[128];

    (void)state;
    NTSTATUS status = ldr_driver_load_file("fxmisc", KMH_TEST_DRIVER_DIR "/fxmisc.sys", &driver, &error);
    if (!NT_SUCCESS(status))
        fail_msg("load failed: %s", error.message);
    HANDLE key = create_key(PARAMETERS);
    assert_int_equal(read_value(key, L"Output", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, 42);
    assert_int_equal(read_value(key, L"Locks", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, 1);
    assert_int_equal(read_value(key, L"Version", text, sizeof(text)), REG_SZ);
    assert_memory_equal(text, L"Kernel Mode Driver Framework", 28 * sizeof(WCHAR));
    assert_int_equal(read_value(key, L"Names", text, sizeof(text)), REG_MULTI_SZ);
    assert_memory_equal(text, L"alpha\0beta\0", 12 * sizeof(WCHAR));
    /* Timers and work items need a device: the verifier said so twice. */
    assert_int_equal(read_value(key, L"TimerStatus", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, (ULONG)STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(read_value(key, L"WorkStatus", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, (ULONG)STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(vf_report_count(VF_WDF), 2);
    /* The control device: no PnP keys; its timer fired at DISPATCH_LEVEL
     * and queued its work item, which ran at PASSIVE_LEVEL. */
    assert_int_equal(read_value(key, L"DeviceKey", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, (ULONG)STATUS_INVALID_DEVICE_REQUEST);
    assert_true(wait_for_value(key, L"WorkIrql"));
    assert_int_equal(read_value(key, L"TimerIrql", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, DISPATCH_LEVEL);
    assert_int_equal(read_value(key, L"WorkIrql", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, PASSIVE_LEVEL);
    ldr_driver_unload(driver);
    io_driver_release(driver);
    assert_int_equal(read_value(key, L"Unloaded", &value, sizeof(value)), REG_DWORD);
    assert_int_equal(value, 1);
    ZwClose(key);
    /* The spin lock it left to its WDFDRIVER went with it, unreported. */
    assert_int_equal(vf_report_count(VF_WDF), 2);
    assert_int_equal(ldr_last_unload_leaks("fxmisc"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(driver_entry_uses_support_objects_under_its_driver, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
