/*
 * The client's service control manager (src/client/scm.c) with the legacy
 * test driver kmhct, and the runtime's start and failure (runtime.c): the
 * errors sample installers check (ERROR_SERVICE_EXISTS,
 * ERROR_SERVICE_ALREADY_RUNNING, ERROR_SERVICE_MARKED_FOR_DELETE ...), what
 * the service key holds, and deletion with the last handle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "client/client.h"
#include "kmhost.h"
#include "nt/registry.h"
#include "test-support.h"
#include "drivers/kmhct/kmhct.h"

#define DRIVER_PATH KMH_TEST_DRIVER_DIR "/kmhct.sys"

static char *root;

static int setup(void **state)
{
    (void)state;
    root = kmh_test_tmpdir();
    assert_int_equal(nt_set_root_dir(root), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    client_runtime_reset();
    kmh_set_log_handler(NULL, NULL);
    kmh_test_rmtree(root);
    free(root);
    return 0;
}

static SC_HANDLE create(SC_HANDLE scm, const char *binary)
{
    return CreateServiceA(scm, KMHCT_SERVICE, "kmhost client test", SERVICE_ALL_ACCESS, SERVICE_KERNEL_DRIVER,
                          SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL, binary, NULL, NULL, NULL, NULL, NULL);
}

static DWORD service_state(SC_HANDLE service)
{
    SERVICE_STATUS status = { 0 };
    assert_true(QueryServiceStatus(service, &status));
    assert_int_equal(status.dwServiceType, SERVICE_KERNEL_DRIVER);
    return status.dwCurrentState;
}

static void create_and_open_report_existence(void **state)
{
    (void)state;
    SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    assert_non_null(scm);
    assert_null(OpenServiceA(scm, KMHCT_SERVICE, SERVICE_ALL_ACCESS));
    assert_int_equal(GetLastError(), ERROR_SERVICE_DOES_NOT_EXIST);
    SC_HANDLE service = create(scm, DRIVER_PATH);
    assert_non_null(service);
    assert_null(create(scm, DRIVER_PATH));
    assert_int_equal(GetLastError(), ERROR_SERVICE_EXISTS);
    SC_HANDLE again = OpenServiceW(scm, L"KMHCT", SERVICE_ALL_ACCESS); /* names are case-insensitive */
    assert_non_null(again);
    assert_int_equal(service_state(again), SERVICE_STOPPED);
    assert_null(CreateServiceA(scm, "win32svc", NULL, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS,
                               SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL, "/bin/true", NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(OpenServiceA(scm, "bad\\name", SERVICE_ALL_ACCESS));
    assert_int_equal(GetLastError(), ERROR_INVALID_NAME);
    assert_null(OpenServiceA((SC_HANDLE)service, KMHCT_SERVICE, SERVICE_ALL_ACCESS)); /* not a manager */
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_true(CloseServiceHandle(again));
    assert_true(CloseServiceHandle(service));
    assert_true(CloseServiceHandle(scm));
    assert_false(CloseServiceHandle(scm));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void service_key_holds_what_was_asked(void **state)
{
    struct regstore_key key;
    struct regstore_value value;
    char binary[512];

    (void)state;
    /* A sample builds "<current directory>\\kmhct.sys". */
    snprintf(binary, sizeof(binary), "%s\\kmhct.sys", KMH_TEST_DRIVER_DIR);
    SC_HANDLE scm = OpenSCManagerW(NULL, SERVICES_ACTIVE_DATABASEW, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = create(scm, binary);
    assert_non_null(service);
    assert_int_equal(regstore_key_open(nt_registry(), REGSTORE_KEY_NONE,
                                       "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\kmhct", &key), 0);
    assert_int_equal(regstore_value_query(nt_registry(), key, "ImagePath", &value), 0);
    assert_int_equal(value.type, REG_EXPAND_SZ);
    char *text = client_utf8_from_utf16(value.data, value.size);
    assert_string_equal(text, DRIVER_PATH);
    free(text);
    regstore_value_clear(&value);
    assert_int_equal(regstore_value_query(nt_registry(), key, "Start", &value), 0);
    assert_int_equal(*(DWORD *)value.data, SERVICE_DEMAND_START);
    regstore_value_clear(&value);
    assert_true(StartServiceA(service, 0, NULL)); /* the converted path loads */
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
}

static void start_stop_and_their_errors(void **state)
{
    SERVICE_STATUS status;

    (void)state;
    SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = create(scm, DRIVER_PATH);
    assert_false(ControlService(service, SERVICE_CONTROL_STOP, &status));
    assert_int_equal(GetLastError(), ERROR_SERVICE_NOT_ACTIVE);
    assert_true(StartServiceA(service, 0, NULL));
    assert_int_equal(service_state(service), SERVICE_RUNNING);
    assert_false(StartServiceA(service, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_SERVICE_ALREADY_RUNNING);
    HANDLE device = CreateFileA(KMHCT_WIN32_NAME, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    assert_ptr_not_equal(device, INVALID_HANDLE_VALUE);
    CloseHandle(device);
    assert_false(ControlService(service, SERVICE_CONTROL_PAUSE, &status));
    assert_int_equal(GetLastError(), ERROR_INVALID_SERVICE_CONTROL);
    assert_true(ControlService(service, SERVICE_CONTROL_STOP, &status));
    assert_int_equal(status.dwCurrentState, SERVICE_STOPPED);
    assert_ptr_equal(CreateFileA(KMHCT_WIN32_NAME, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL),
                     INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    assert_true(StartServiceW(service, 0, NULL)); /* and again */
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
}

static void missing_driver_file_fails_start(void **state)
{
    (void)state;
    SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = create(scm, "/nonexistent/kmhct.sys");
    assert_non_null(service);
    assert_false(StartServiceA(service, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    assert_int_equal(service_state(service), SERVICE_STOPPED);
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
}

static void delete_marks_until_last_handle(void **state)
{
    SERVICE_STATUS status;

    (void)state;
    SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = create(scm, DRIVER_PATH);
    assert_true(StartServiceA(service, 0, NULL));
    SC_HANDLE other = OpenServiceA(scm, KMHCT_SERVICE, SERVICE_ALL_ACCESS);
    assert_true(DeleteService(service));
    assert_false(DeleteService(other));
    assert_int_equal(GetLastError(), ERROR_SERVICE_MARKED_FOR_DELETE);
    assert_null(create(scm, DRIVER_PATH));
    assert_int_equal(GetLastError(), ERROR_SERVICE_MARKED_FOR_DELETE);
    assert_true(CloseServiceHandle(other));
    assert_true(ControlService(service, SERVICE_CONTROL_STOP, &status)); /* still usable while held */
    assert_true(CloseServiceHandle(service)); /* the last handle: the service goes */
    assert_null(OpenServiceA(scm, KMHCT_SERVICE, SERVICE_ALL_ACCESS));
    assert_int_equal(GetLastError(), ERROR_SERVICE_DOES_NOT_EXIST);
    SC_HANDLE fresh = create(scm, DRIVER_PATH);
    assert_non_null(fresh);
    CloseServiceHandle(fresh);
    CloseServiceHandle(scm);
}

static void marked_running_service_goes_at_exit(void **state)
{
    (void)state;
    SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    SC_HANDLE service = create(scm, DRIVER_PATH);
    assert_true(StartServiceA(service, 0, NULL));
    assert_true(DeleteService(service));
    assert_true(CloseServiceHandle(service)); /* running: it stays for now */
    assert_null(create(scm, DRIVER_PATH));
    assert_int_equal(GetLastError(), ERROR_SERVICE_MARKED_FOR_DELETE);
    client_runtime_reset(); /* what the atexit handler does: stop it and delete it */
    scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    assert_null(OpenServiceA(scm, KMHCT_SERVICE, SERVICE_ALL_ACCESS));
    assert_int_equal(GetLastError(), ERROR_SERVICE_DOES_NOT_EXIST);
    CloseServiceHandle(scm);
}

static void manager_arguments(void **state)
{
    (void)state;
    assert_null(OpenSCManagerA("\\\\elsewhere", NULL, SC_MANAGER_ALL_ACCESS));
    assert_int_equal(GetLastError(), RPC_S_SERVER_UNAVAILABLE);
    assert_null(OpenSCManagerA(NULL, "ServicesFailed", SC_MANAGER_ALL_ACCESS));
    assert_int_equal(GetLastError(), ERROR_DATABASE_DOES_NOT_EXIST);
}

static int errors_logged;

static void count_errors(int level, const char *component, const char *message, void *ctx)
{
    (void)component, (void)message, (void)ctx;
    errors_logged += level == KMH_LEVEL_ERROR;
}

static void corrupt_registry_fails_device_calls(void **state)
{
    char path[512];

    (void)state;
    snprintf(path, sizeof(path), "%s/registry.sqlite", root);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("this is not a registry, nor any database at all, just text that is long enough", f);
    fclose(f);
    errors_logged = 0;
    kmh_set_log_handler(count_errors, NULL);
    assert_null(OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS));
    assert_int_equal(GetLastError(), ERROR_DEVICE_NOT_AVAILABLE);
    assert_ptr_equal(CreateFileA(KMHCT_WIN32_NAME, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_DEVICE_NOT_AVAILABLE);
    assert_ptr_equal(SetupDiGetClassDevsA(NULL, NULL, NULL, DIGCF_ALLCLASSES), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_DEVICE_NOT_AVAILABLE);
    assert_int_equal(errors_logged, 1); /* said once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_and_open_report_existence, setup, teardown),
        cmocka_unit_test_setup_teardown(service_key_holds_what_was_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(start_stop_and_their_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_driver_file_fails_start, setup, teardown),
        cmocka_unit_test_setup_teardown(delete_marks_until_last_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(marked_running_service_goes_at_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(manager_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_registry_fails_device_calls, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
