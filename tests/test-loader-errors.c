/*
 * What a driver writer sees when a driver cannot run: the loader and the
 * PnP manager name the problem — the missing DriverEntry, every DDI kmhost
 * lacks, the status a DriverEntry, AddDevice or start returned, the pool a
 * driver leaked — and leave the device tree and the registry as they were.
 * The driver is tests/drivers/kmhload built once per mistake; each test
 * writes the INF a package of it needs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmhost.h"
#include "loader/loader.h"
#include "pnp/pnp.h"
#include "test-support.h"

static char *root;
static bool runtime_running;
static char log_text[16384];
static size_t log_used;

static void capture_log(int level, const char *component, const char *message, void *ctx)
{
    (void)ctx;
    int n = snprintf(log_text + log_used, sizeof(log_text) - log_used, "%d %s: %s\n", level, component, message);
    if (n > 0 && (size_t)n < sizeof(log_text) - log_used)
        log_used += (size_t)n;
}

static void start_runtime(void)
{
    char message[512];
    if (kmh_runtime_start(message, sizeof(message)))
        fail_msg("starting the runtime: %s", message);
    runtime_running = true;
}

static void stop_runtime(void)
{
    runtime_running = false;
    kmh_runtime_stop();
}

static int setup(void **state)
{
    (void)state;
    root = kmh_test_tmpdir();
    assert_int_equal(kmh_set_root_dir(root), 0);
    log_used = 0;
    log_text[0] = 0;
    kmh_set_log_handler(capture_log, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (runtime_running)
        stop_runtime(); /* a failed test left it running */
    kmh_set_log_handler(NULL, NULL);
    kmh_test_rmtree(root);
    free(root);
    return 0;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
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

/* A package folder under the root holding kmhload_<variant>.sys and an INF
 * binding hardware ID ROOT\KMHLOAD_<VARIANT> to service KmhLoad_<variant>. */
static void install_variant(const char *variant)
{
    char dir[1024], path[1200], inf[2048], from[1024];
    snprintf(dir, sizeof(dir), "%s/pkg-%s", root, variant);
    snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
    assert_int_equal(system(path), 0);
    snprintf(from, sizeof(from), KMH_TEST_DRIVER_DIR "/kmhload_%s.sys", variant);
    snprintf(path, sizeof(path), "%s/kmhload_%s.sys", dir, variant);
    copy_file(from, path);
    snprintf(inf, sizeof(inf),
             "[Version]\nSignature=\"$WINDOWS NT$\"\nClass=System\n"
             "ClassGuid={4d36e97d-e325-11ce-bfc1-08002be10318}\nProvider=kmhost tests\n"
             "DriverVer=01/01/2025,1.0.0.0\n"
             "[DestinationDirs]\nDefaultDestDir=12\n"
             "[SourceDisksNames]\n1=disk\n[SourceDisksFiles]\nkmhload_%s.sys=1\n"
             "[Manufacturer]\nkmhost=Models,NTamd64\n"
             "[Models.NTamd64]\n\"kmhload %s\"=Install,ROOT\\KMHLOAD_%s\n"
             "[Install.NT]\nCopyFiles=Files\n[Files]\nkmhload_%s.sys\n"
             "[Install.NT.Services]\nAddService=KmhLoad_%s,0x00000002,Service\n"
             "[Service]\nServiceType=1\nStartType=3\nErrorControl=1\nServiceBinary=%%12%%\\kmhload_%s.sys\n",
             variant, variant, variant, variant, variant, variant);
    snprintf(path, sizeof(path), "%s/kmhload.inf", dir);
    write_text(path, inf);

    char installed[64], message[512];
    int err = kmh_inf_install(path, installed, sizeof(installed), message, sizeof(message));
    if (err)
        fail_msg("installing %s: %s", variant, message);
}

struct found_device {
    char hwid[64];
    char state[32];
    unsigned problem, status;
    char text[1024];
    bool found;
};

static void find_device(const struct kmh_device_info *info, void *ctx)
{
    struct found_device *want = ctx;
    if (strncasecmp(info->instance_path, want->hwid, strlen(want->hwid)) != 0)
        return;
    want->found = true;
    snprintf(want->state, sizeof(want->state), "%s", info->state);
    want->problem = info->problem;
    want->status = info->status;
    snprintf(want->text, sizeof(want->text), "%s", info->problem_text ? info->problem_text : "");
}

/* Installs the variant, starts the runtime and adds its device: the state
 * the device tree shows for it afterwards. */
static struct found_device run_variant(const char *variant)
{
    struct found_device dev = { 0 };
    char message[512], instance[256];

    install_variant(variant);
    start_runtime();
    snprintf(dev.hwid, sizeof(dev.hwid), "ROOT\\KMHLOAD_%s", variant);
    if (kmh_device_add(dev.hwid, instance, sizeof(instance), message, sizeof(message)))
        fail_msg("adding %s: %s", dev.hwid, message);
    pnp_wait_idle();
    kmh_devices_walk(find_device, &dev);
    assert_true(dev.found);
    return dev;
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not in:\n%s", part, text);
}

static void good_driver_starts(void **state)
{
    (void)state;
    struct found_device dev = run_variant("ok");
    assert_string_equal(dev.state, "started");
    assert_int_equal(dev.problem, 0);
    stop_runtime();
    assert_int_equal(kmh_driver_leaks("KmhLoad_ok"), 0);
    assert_null(strstr(log_text, "verifier"));
}

static void missing_driver_entry_is_named(void **state)
{
    (void)state;
    struct found_device dev = run_variant("noentry");
    assert_string_equal(dev.state, "failed");
    assert_int_equal(dev.status, 0xC0000263); /* STATUS_DRIVER_ENTRYPOINT_NOT_FOUND */
    assert_contains(dev.text, "has no DriverEntry");
    assert_contains(log_text, "kmhload_noentry.sys");
    stop_runtime();
}

static void every_unknown_ddi_is_named_before_any_code_runs(void **state)
{
    (void)state;
    struct found_device dev = run_variant("unknownddi");
    assert_string_equal(dev.state, "failed");
    assert_contains(dev.text, "imports 2 DDIs kmhost does not implement");
    assert_contains(dev.text, "KmhTestNotADdi");
    assert_contains(dev.text, "IoKmhTestNotADdiEither");
    stop_runtime();

    char message[1024];
    assert_int_not_equal(ldr_check_imports(KMH_TEST_DRIVER_DIR "/kmhload_unknownddi.sys", message, sizeof(message)),
                         0);
    assert_contains(message, "KmhTestNotADdi");
    assert_contains(message, "IoKmhTestNotADdiEither");
    assert_int_equal(ldr_check_imports(KMH_TEST_DRIVER_DIR "/kmhload_ok.sys", message, sizeof(message)), 0);
}

static void wmi_library_routines_are_named(void **state)
{
    (void)state;
    struct found_device dev = run_variant("wmilib");
    assert_string_equal(dev.state, "failed");
    assert_contains(dev.text, "WmiSystemControl");
    assert_contains(dev.text, "WmiCompleteRequest");
    stop_runtime();
}

static void failing_driver_entry_status_is_shown(void **state)
{
    (void)state;
    struct found_device dev = run_variant("entryfails");
    assert_string_equal(dev.state, "failed");
    assert_int_equal(dev.status, 0xC0000182); /* STATUS_DEVICE_CONFIGURATION_ERROR */
    assert_contains(dev.text, "DriverEntry failed with STATUS_DEVICE_CONFIGURATION_ERROR");
    stop_runtime();
}

static void failing_add_device_status_is_shown(void **state)
{
    (void)state;
    struct found_device dev = run_variant("addfails");
    assert_string_equal(dev.state, "failed");
    assert_int_equal(dev.status, 0xC000009A); /* STATUS_INSUFFICIENT_RESOURCES */
    assert_contains(dev.text, "AddDevice of KmhLoad_addfails failed with STATUS_INSUFFICIENT_RESOURCES");
    stop_runtime();
}

static void failing_start_status_is_shown(void **state)
{
    (void)state;
    struct found_device dev = run_variant("startfails");
    assert_string_equal(dev.state, "failed");
    assert_int_equal(dev.problem, 10); /* CM_PROB_FAILED_START, "Code 10" */
    assert_int_equal(dev.status, 0xC000009E); /* STATUS_DEVICE_POWER_FAILURE */
    stop_runtime();
}

static void leaked_pool_is_reported_at_unload(void **state)
{
    (void)state;
    struct found_device dev = run_variant("leaks");
    assert_string_equal(dev.state, "started");
    stop_runtime();
    if (kmh_driver_leaks("KmhLoad_leaks") != 1)
        fail_msg("expected one leak reported; the log:\n%s", log_text);
    assert_contains(log_text, "KmhLoad_leaks");
    assert_contains(log_text, "'KmLd'");
}

static void missing_driver_file_is_named(void **state)
{
    (void)state;
    char path[1200];
    install_variant("ok");
    snprintf(path, sizeof(path), "%s/drivers/kmhload_ok.sys", root);
    assert_int_equal(remove(path), 0);
    char message[512], instance[256];
    start_runtime();
    assert_int_equal(kmh_device_add("ROOT\\KMHLOAD_ok", instance, sizeof(instance), message, sizeof(message)), 0);
    pnp_wait_idle();
    struct found_device dev = { .hwid = "ROOT\\KMHLOAD_ok" };
    kmh_devices_walk(find_device, &dev);
    assert_true(dev.found);
    assert_string_equal(dev.state, "failed");
    assert_contains(dev.text, "kmhload_ok.sys");
    stop_runtime();
}

static void unknown_hardware_id_is_refused_and_nothing_stored(void **state)
{
    (void)state;
    char message[512], instance[256];
    install_variant("ok");
    start_runtime();
    assert_int_equal(kmh_device_add("ROOT\\NOBODY_HAS_THIS", instance, sizeof(instance), message, sizeof(message)),
                     -ENOENT);
    assert_contains(message, "ROOT\\NOBODY_HAS_THIS");
    struct found_device dev = { .hwid = "ROOT\\NOBODY" };
    kmh_devices_walk(find_device, &dev);
    assert_false(dev.found);
    stop_runtime();
}

static void malformed_inf_is_refused_and_installed_packages_stay(void **state)
{
    (void)state;
    char path[1200], installed[64], message[512], instance[256];
    install_variant("ok");
    snprintf(path, sizeof(path), "%s/broken.inf", root);
    write_text(path, "[Version]\nSignature=\"$WINDOWS NT$\"\n[Manufacturer\nx=Models\n");
    assert_int_not_equal(kmh_inf_install(path, installed, sizeof(installed), message, sizeof(message)), 0);
    assert_contains(message, "broken.inf");
    assert_contains(message, "3");    /* the line */

    /* The package installed before is still whole: its device starts. */
    start_runtime();
    assert_int_equal(kmh_device_add("ROOT\\KMHLOAD_ok", instance, sizeof(instance), message, sizeof(message)), 0);
    pnp_wait_idle();
    struct found_device dev = { .hwid = "ROOT\\KMHLOAD_ok" };
    kmh_devices_walk(find_device, &dev);
    assert_string_equal(dev.state, "started");
    stop_runtime();
}

static void opening_a_missing_device_fails_with_name_not_found(void **state)
{
    (void)state;
    struct kmh_file *file = NULL;
    unsigned status = 0;
    start_runtime();
    assert_int_not_equal(kmh_open("\\\\.\\NoSuchKmhostDevice", &file, &status), 0);
    assert_null(file);
    assert_int_equal(status, 0xC0000034); /* STATUS_OBJECT_NAME_NOT_FOUND */
    stop_runtime();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(good_driver_starts, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_driver_entry_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(every_unknown_ddi_is_named_before_any_code_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(wmi_library_routines_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_driver_entry_status_is_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_add_device_status_is_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_start_status_is_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(leaked_pool_is_reported_at_unload, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_driver_file_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_hardware_id_is_refused_and_nothing_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_inf_is_refused_and_installed_packages_stay, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_a_missing_device_fails_with_name_not_found, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
