/*
 * Removing the WDM toaster (examples/toaster-wdm) while a program holds it
 * open, through the Win32 client: surprise removal completes the requests
 * the toaster holds pending with the status its IRP_MN_SURPRISE_REMOVAL
 * handler gives (STATUS_NO_SUCH_DEVICE), later requests on the handle fail,
 * and IRP_MN_REMOVE_DEVICE waits for the last close; orderly removal is
 * vetoed while a handle is open and goes through once it is closed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/client.h"
#include "kmhost.h"
#include "nt/registry.h"
#include "pnp/install.h"
#include "test-support.h"
#include <initguid.h>
#include "../examples/common/toaster_public.h"

#define HARDWARE_ID "ROOT\\KMHTOASTER"

static char *root;
static char instance[PNP_ID_MAX];
static char log_text[65536];
static size_t log_used;

static void capture_log(int level, const char *component, const char *message, void *ctx)
{
    (void)level;
    (void)ctx;
    int n = snprintf(log_text + log_used, sizeof(log_text) - log_used, "%s: %s\n", component, message);
    if (n > 0 && (size_t)n < sizeof(log_text) - log_used)
        log_used += (size_t)n;
}

/* Installs the toaster and records its device; the client's first call
 * builds the tree. */
static int setup(void **state)
{
    char message[PNP_MESSAGE_MAX];

    (void)state;
    root = kmh_test_tmpdir();
    log_used = 0;
    log_text[0] = 0;
    kmh_set_log_handler(capture_log, NULL);
    assert_int_equal(nt_set_root_dir(root), 0);
    assert_int_equal(nt_registry_open(NULL, message, sizeof(message)), 0);
    if (pnp_inf_install(KMH_TEST_DRIVER_DIR "/toaster.inf", NULL, message, sizeof(message)))
        fail_msg("installing the toaster: %s", message);
    if (pnp_root_device_add(HARDWARE_ID, instance, sizeof(instance), message, sizeof(message)))
        fail_msg("adding the toaster: %s", message);
    nt_registry_close();
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

/* The toaster's interface path, found the way a program finds it. */
static HANDLE open_toaster(void)
{
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };
    char buffer[512];
    PSP_DEVICE_INTERFACE_DETAIL_DATA_A detail = (PSP_DEVICE_INTERFACE_DETAIL_DATA_A)buffer;

    HDEVINFO set = SetupDiGetClassDevsA(&GUID_DEVINTERFACE_KMH_TOASTER, NULL, NULL,
                                        DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
    assert_ptr_not_equal(set, INVALID_HANDLE_VALUE);
    assert_true(SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMH_TOASTER, 0, &data));
    detail->cbSize = sizeof(*detail);
    assert_true(SetupDiGetDeviceInterfaceDetailA(set, &data, detail, sizeof(buffer), NULL, NULL));
    HANDLE h = CreateFileA(detail->DevicePath, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED, NULL);
    assert_ptr_not_equal(h, INVALID_HANDLE_VALUE);
    SetupDiDestroyDeviceInfoList(set);
    return h;
}

struct found {
    char state[32];
    bool found;
};

static void find_toaster(const struct kmh_device_info *info, void *ctx)
{
    struct found *f = ctx;
    if (strcasecmp(info->instance_path, instance) == 0) {
        f->found = true;
        snprintf(f->state, sizeof(f->state), "%s", info->state);
    }
}

static struct found toaster_node(void)
{
    struct found f = { 0 };
    pnp_wait_idle();
    kmh_devices_walk(find_toaster, &f);
    return f;
}

/* The runtime goes down and the toaster unloads having freed everything. */
static void assert_clean_unload(void)
{
    client_runtime_reset();
    assert_int_equal(kmh_driver_leaks("KmhToaster"), 0);
    if (strstr(log_text, "verifier"))
        fail_msg("verifier report:\n%s", log_text);
}

/* A request on an overlapped handle, waited for: its final NTSTATUS. */
static NTSTATUS ioctl_status(HANDLE h, DWORD code, void *out, DWORD out_size)
{
    OVERLAPPED ov = { 0 };
    DWORD bytes;
    if (!DeviceIoControl(h, code, NULL, 0, out, out_size, NULL, &ov) && GetLastError() == ERROR_IO_PENDING)
        GetOverlappedResult(h, &ov, &bytes, TRUE);
    return (NTSTATUS)ov.Internal;
}

static void surprise_removal_completes_pending_requests(void **state)
{
    char buffer[16], message[PNP_MESSAGE_MAX];
    ULONG toast;
    TOASTER_INFO info;
    DWORD bytes = 99;
    OVERLAPPED rov = { 0 }, wov = { 0 };

    (void)state;
    HANDLE h = open_toaster();
    assert_false(ReadFile(h, buffer, sizeof(buffer), NULL, &rov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_false(DeviceIoControl(h, IOCTL_TOASTER_WAIT_TOAST, NULL, 0, &toast, sizeof(toast), NULL, &wov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);

    if (kmh_device_surprise_remove(instance, message, sizeof(message)))
        fail_msg("surprise removal: %s", message);
    /* The toaster flushes its queue with STATUS_NO_SUCH_DEVICE. */
    assert_false(GetOverlappedResult(h, &rov, &bytes, TRUE));
    assert_int_equal(rov.Internal, (ULONG)STATUS_NO_SUCH_DEVICE);
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    assert_false(GetOverlappedResult(h, &wov, &bytes, TRUE));
    assert_int_equal(wov.Internal, (ULONG)STATUS_NO_SUCH_DEVICE);
    assert_int_equal(bytes, 0);

    /* The handle still reaches the driver, which refuses new work. */
    assert_int_equal(ioctl_status(h, IOCTL_TOASTER_GET_INFO, &info, sizeof(info)), STATUS_NO_SUCH_DEVICE);
    /* REMOVE_DEVICE waits for the handle. */
    assert_string_equal(toaster_node().state, "surprise removed");
    assert_true(CloseHandle(h));
    assert_false(toaster_node().found);
    assert_clean_unload();
}

static void orderly_removal_is_vetoed_while_open(void **state)
{
    char message[PNP_MESSAGE_MAX] = "";
    TOASTER_INFO info;

    (void)state;
    HANDLE h = open_toaster();
    assert_int_equal(kmh_device_remove(instance, message, sizeof(message)), -EBUSY);
    if (!strstr(message, "vetoed") || !strstr(message, "open handle"))
        fail_msg("the veto does not say why: %s", message);
    /* Nothing happened to the device: the handle still works. */
    assert_string_equal(toaster_node().state, "started");
    assert_int_equal(ioctl_status(h, IOCTL_TOASTER_GET_INFO, &info, sizeof(info)), STATUS_SUCCESS);
    assert_int_equal(info.OpenCount, 1);

    assert_true(CloseHandle(h));
    if (kmh_device_remove(instance, message, sizeof(message)))
        fail_msg("removal after close: %s", message);
    assert_false(toaster_node().found);
    assert_clean_unload();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(surprise_removal_completes_pending_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(orderly_removal_is_vetoed_while_open, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
