/*
 * A WDM upper filter (tests/drivers/kmhfilt) over the WDM toaster,
 * installed the way a filtered device's package does it: the INF's .HW
 * AddReg names the filter in UpperFilters and its .Services section adds
 * both services. The PnP manager must call the filter's AddDevice after
 * the toaster's, so the filter attaches on top; a program's requests reach
 * the filter first (it counts them and rewrites SET_DARKNESS values, which
 * the toaster's GET_INFO then shows); removal takes down both devices.
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
#include <sys/stat.h>

#include "kmhost.h"
#include "pnp/pnp.h"
#include "test-support.h"
#include <ntddk.h>
#include <initguid.h>
#include "../examples/common/toaster_public.h"
#include "drivers/kmhfilt/kmhfilt.h"

static char *root;
static char instance[256];
static bool running;
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

static void copy_file(const char *from, const char *to)
{
    size_t size;
    void *data = kmh_test_read_file(from, &size);
    assert_non_null(data);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
    free(data);
}

/* The toaster's own install, plus the filter's service and the .HW AddReg
 * that puts it in the device's UpperFilters. */
static const char filtered_toaster_inf[] =
    "[Version]\nSignature=\"$WINDOWS NT$\"\nClass=KmhToaster\n"
    "ClassGuid={9b966558-2c31-4c17-8413-4c31c60c3e05}\nProvider=kmhost tests\nDriverVer=01/01/2026,1.0.0.0\n"
    "[DestinationDirs]\nDefaultDestDir=12\n"
    "[SourceDisksNames]\n1=disk\n[SourceDisksFiles]\ntoaster.sys=1\nkmhfilt.sys=1\n"
    "[Manufacturer]\nkmhost=Models,NTamd64\n"
    "[Models.NTamd64]\n\"filtered toaster\"=Install,ROOT\\KMHTOASTER\n"
    "[Install.NT]\nCopyFiles=Files\n[Files]\ntoaster.sys\nkmhfilt.sys\n"
    "[Install.NT.HW]\nAddReg=Filter_AddReg\n"
    "[Filter_AddReg]\nHKR,,\"UpperFilters\",0x00010000,\"kmhfilt\"\n"
    "[Install.NT.Services]\nAddService=KmhToaster,0x00000002,Toaster_Service\n"
    "AddService=kmhfilt,,Filter_Service\n"
    "[Toaster_Service]\nServiceType=1\nStartType=3\nErrorControl=1\nServiceBinary=%12%\\toaster.sys\n"
    "[Filter_Service]\nServiceType=1\nStartType=3\nErrorControl=1\nServiceBinary=%12%\\kmhfilt.sys\n";

static int setup(void **state)
{
    char dir[1024], path[1200], message[512];

    (void)state;
    root = kmh_test_tmpdir();
    log_used = 0;
    log_text[0] = 0;
    kmh_set_log_handler(capture_log, NULL);
    assert_int_equal(kmh_set_root_dir(root), 0);
    snprintf(dir, sizeof(dir), "%s/pkg", root);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof(path), "%s/toaster.sys", dir);
    copy_file(KMH_TEST_DRIVER_DIR "/toaster.sys", path);
    snprintf(path, sizeof(path), "%s/kmhfilt.sys", dir);
    copy_file(KMH_TEST_DRIVER_DIR "/kmhfilt.sys", path);
    snprintf(path, sizeof(path), "%s/toaster.inf", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(filtered_toaster_inf, f);
    assert_int_equal(fclose(f), 0);
    if (kmh_inf_install(path, NULL, 0, message, sizeof(message)))
        fail_msg("installing the filtered toaster: %s", message);
    if (kmh_runtime_start(message, sizeof(message)))
        fail_msg("starting the runtime: %s", message);
    running = true;
    if (kmh_device_add("ROOT\\KMHTOASTER", instance, sizeof(instance), message, sizeof(message)))
        fail_msg("adding the toaster: %s", message);
    pnp_wait_idle();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (running)
        kmh_runtime_stop();
    running = false;
    kmh_set_log_handler(NULL, NULL);
    kmh_test_rmtree(root);
    free(root);
    return 0;
}

struct found {
    char state[32], upper[64];
    bool found;
};

static void find_toaster(const struct kmh_device_info *info, void *ctx)
{
    struct found *f = ctx;
    if (strcasecmp(info->instance_path, instance) == 0) {
        f->found = true;
        snprintf(f->state, sizeof(f->state), "%s", info->state);
        snprintf(f->upper, sizeof(f->upper), "%s", info->upper_filters);
    }
}

static struct found toaster_node(void)
{
    struct found f = { 0 };
    pnp_wait_idle();
    kmh_devices_walk(find_toaster, &f);
    return f;
}

/* \??\X as the \\?\X path a program opens (the name is ASCII). */
static void interface_path(const UNICODE_STRING *link, void *ctx)
{
    char *path = ctx;
    size_t n = link->Length / sizeof(WCHAR);
    assert_true(n > 4 && n < 500);
    for (size_t i = 0; i < n; i++)
        path[i] = (char)link->Buffer[i];
    path[n] = 0;
    path[1] = '\\';
}

static struct kmh_file *open_toaster(void)
{
    struct kmh_file *file = NULL;
    unsigned status = 0;
    char path[512] = "";
    pnp_for_each_interface(&GUID_DEVINTERFACE_KMH_TOASTER, interface_path, path);
    assert_true(path[0]);
    if (kmh_open(path, &file, &status))
        fail_msg("opening %s: 0x%08x", path, status);
    return file;
}

static void filter_attaches_above_the_toaster(void **state)
{
    (void)state;
    struct found node = toaster_node();
    assert_true(node.found);
    assert_string_equal(node.state, "started");
    assert_string_equal(node.upper, "kmhfilt");
    /* The toaster's FDO was on the PDO when the filter's AddDevice ran. */
    if (!strstr(log_text, "kmhfilt: AddDevice above \\Driver\\KmhToaster"))
        fail_msg("the filter did not attach above the toaster:\n%s", log_text);
}

static void requests_pass_through_the_filter_first(void **state)
{
    ULONG darkness = 3, count = 0;
    TOASTER_INFO info;
    size_t got;
    unsigned status;

    (void)state;
    struct kmh_file *file = open_toaster();
    assert_int_equal(kmh_ioctl(file, IOCTL_TOASTER_SET_DARKNESS, &darkness, sizeof(darkness), NULL, 0, &got,
                               &status), 0);
    assert_int_equal(status, STATUS_SUCCESS);
    assert_int_equal(kmh_ioctl(file, IOCTL_TOASTER_GET_INFO, NULL, 0, &info, sizeof(info), &got, &status), 0);
    assert_int_equal(status, STATUS_SUCCESS);
    assert_int_equal(info.Darkness, TOASTER_MAX_DARKNESS - 3); /* the filter's rewrite */
    assert_int_equal(kmh_ioctl(file, IOCTL_KMHFILT_COUNT, NULL, 0, &count, sizeof(count), &got, &status), 0);
    assert_int_equal(status, STATUS_SUCCESS);
    assert_int_equal(count, 2);
    kmh_close(file);
}

static void removal_tears_down_both(void **state)
{
    char message[512];

    (void)state;
    if (kmh_device_remove(instance, message, sizeof(message)))
        fail_msg("removing: %s", message);
    assert_false(toaster_node().found);
    assert_non_null(strstr(log_text, "kmhfilt: RemoveDevice"));
    kmh_runtime_stop(); /* unloads both drivers */
    running = false;
    assert_int_equal(kmh_driver_leaks("KmhToaster"), 0);
    assert_int_equal(kmh_driver_leaks(KMHFILT_SERVICE), 0);
    assert_non_null(strstr(log_text, "kmhfilt: Unload"));
    assert_null(strstr(log_text, "verifier"));
}

/* Surprise removal with a handle open: the filter passes
 * IRP_MN_SURPRISE_REMOVAL down, later requests still go through it to the
 * toaster, which fails them, and both devices go at the last close. */
static void surprise_removal_with_the_filter_open(void **state)
{
    char message[512];
    ULONG toast;
    size_t got;
    unsigned status = 0;

    (void)state;
    struct kmh_file *file = open_toaster();
    if (kmh_device_surprise_remove(instance, message, sizeof(message)))
        fail_msg("surprise removal: %s", message);
    /* Through the filter to the toaster, which refuses new work. */
    assert_int_equal(kmh_ioctl(file, IOCTL_TOASTER_WAIT_TOAST, NULL, 0, &toast, sizeof(toast), &got, &status), 0);
    assert_int_equal(status, (unsigned)STATUS_NO_SUCH_DEVICE);
    assert_int_equal(kmh_ioctl(file, IOCTL_KMHFILT_COUNT, NULL, 0, &toast, sizeof(toast), &got, &status), 0);
    assert_int_equal(toast, 1);
    assert_string_equal(toaster_node().state, "surprise removed");
    assert_null(strstr(log_text, "kmhfilt: RemoveDevice"));
    kmh_close(file);
    assert_false(toaster_node().found);
    assert_non_null(strstr(log_text, "kmhfilt: RemoveDevice"));
    assert_null(strstr(log_text, "verifier"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(filter_attaches_above_the_toaster, setup, teardown),
        cmocka_unit_test_setup_teardown(requests_pass_through_the_filter_first, setup, teardown),
        cmocka_unit_test_setup_teardown(removal_tears_down_both, setup, teardown),
        cmocka_unit_test_setup_teardown(surprise_removal_with_the_filter_open, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
