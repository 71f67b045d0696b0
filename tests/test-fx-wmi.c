/*
 * WMI providers and instances (src/fx/wmi.c): creation with an existing
 * or an inline provider, registration, the queries, events with no WMI
 * service to receive them, and lifetimes under the device. Also the
 * verifier DDIs (src/fx/verifier.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-fx-driver.h"
#include "verifier/verifier.h"

static const GUID guid_a = { 0x1f6e1a2b, 0x1c2d, 0x4e5f, { 1, 2, 3, 4, 5, 6, 7, 8 } };
static const GUID guid_b = { 0x2f6e1a2b, 0x1c2d, 0x4e5f, { 1, 2, 3, 4, 5, 6, 7, 9 } };

static WDFDEVICE device;

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    if (fx_test_bind(L"fxwmi"))
        return -1;
    device = fx_test_device_new(WdfExecutionLevelInheritFromParent, WdfSynchronizationScopeNone);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (device)
        fx_test_device_delete(device);
    fx_test_unbind();
    return vf_report_count(VF_WDF) ? -1 : 0;
}

static void instance_of_an_existing_provider(void **state)
{
    WDF_WMI_PROVIDER_CONFIG provider_config;
    WDF_WMI_INSTANCE_CONFIG config;
    WDFWMIPROVIDER provider;
    WDFWMIINSTANCE instance;
    ULONG data = 7;

    (void)state;
    WDF_WMI_PROVIDER_CONFIG_INIT(&provider_config, &guid_a);
    provider_config.Flags = WdfWmiProviderExpensive;
    assert_int_equal(WdfWmiProviderCreate(device, &provider_config, WDF_NO_OBJECT_ATTRIBUTES, &provider),
                     STATUS_SUCCESS);
    WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER(&config, provider);
    config.Register = TRUE;
    assert_int_equal(WdfWmiInstanceCreate(device, &config, WDF_NO_OBJECT_ATTRIBUTES, &instance), STATUS_SUCCESS);
    assert_ptr_equal(WdfWmiInstanceGetProvider(instance), provider);
    assert_ptr_equal(WdfWmiInstanceGetDevice(instance), device);
    assert_ptr_equal(WdfWmiProviderGetDevice(provider), device);
    /* No WMI client ever enables anything here. */
    assert_false(WdfWmiProviderIsEnabled(provider, WdfWmiEventControl));
    assert_false(WdfWmiProviderIsEnabled(provider, WdfWmiInstanceControl));
    assert_int_equal(WdfWmiProviderGetTracingHandle(provider), 0);
    assert_int_equal(WdfWmiInstanceFireEvent(instance, sizeof(data), &data), STATUS_SUCCESS);
    WdfWmiInstanceDeregister(instance);
    assert_int_equal(WdfWmiInstanceRegister(instance), STATUS_SUCCESS);
}

static void instance_with_an_inline_provider(void **state)
{
    WDF_WMI_PROVIDER_CONFIG provider_config;
    WDF_WMI_INSTANCE_CONFIG config;
    WDFWMIINSTANCE first, second;

    (void)state;
    WDF_WMI_PROVIDER_CONFIG_INIT(&provider_config, &guid_b);
    WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER_CONFIG(&config, &provider_config);
    config.Register = TRUE;
    assert_int_equal(WdfWmiInstanceCreate(device, &config, WDF_NO_OBJECT_ATTRIBUTES, &first), STATUS_SUCCESS);
    WDFWMIPROVIDER provider = WdfWmiInstanceGetProvider(first);
    assert_non_null(provider);
    /* A second instance of the same provider, created unregistered. */
    WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER(&config, provider);
    assert_int_equal(WdfWmiInstanceCreate(device, &config, WDF_NO_OBJECT_ATTRIBUTES, &second), STATUS_SUCCESS);
    assert_ptr_equal(WdfWmiInstanceGetProvider(second), provider);
    /* The GUID has its provider on this device now. */
    WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER_CONFIG(&config, &provider_config);
    assert_int_equal(WdfWmiInstanceCreate(device, &config, WDF_NO_OBJECT_ATTRIBUTES, &second),
                     STATUS_OBJECT_NAME_COLLISION);
}

static void configuration_rules(void **state)
{
    WDF_WMI_PROVIDER_CONFIG provider_config;
    WDF_WMI_INSTANCE_CONFIG config;
    WDFWMIPROVIDER provider;
    WDFWMIINSTANCE instance;

    (void)state;
    WDF_WMI_PROVIDER_CONFIG_INIT(&provider_config, &guid_a);
    assert_int_equal(WdfWmiProviderCreate(device, &provider_config, NULL, &provider), STATUS_SUCCESS);
    WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER(&config, provider);
    config.ProviderConfig = &provider_config;
    assert_int_equal(WdfWmiInstanceCreate(device, &config, NULL, &instance), STATUS_INVALID_PARAMETER);
    config.Provider = NULL;
    config.ProviderConfig = NULL;
    assert_int_equal(WdfWmiInstanceCreate(device, &config, NULL, &instance), STATUS_INVALID_PARAMETER);
    provider_config.Flags = WdfWmiProviderTracing | WdfWmiProviderExpensive;
    provider_config.Guid = guid_b;
    assert_int_equal(WdfWmiProviderCreate(device, &provider_config, NULL, &provider), STATUS_INVALID_PARAMETER);
    assert_int_equal(vf_report_count(VF_WDF), 3);
    vf_reset_counts();
    /* The framework owns a provider's lifetime. */
    WDF_WMI_PROVIDER_CONFIG_INIT(&provider_config, &guid_b);
    assert_int_equal(WdfWmiProviderCreate(device, &provider_config, NULL, &provider), STATUS_SUCCESS);
    WdfObjectDelete(provider);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    vf_reset_counts();
}

static int notes;
static char order[8];
static VOID NTAPI note_instance(WDFOBJECT o) { (void)o; order[notes++] = 'i'; }
static VOID NTAPI note_provider(WDFOBJECT o) { (void)o; order[notes++] = 'p'; }

static void deleted_with_the_device_instances_first(void **state)
{
    WDF_WMI_PROVIDER_CONFIG provider_config;
    WDF_WMI_INSTANCE_CONFIG config;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFWMIPROVIDER provider;
    WDFWMIINSTANCE instance;

    (void)state;
    notes = 0;
    WDF_WMI_PROVIDER_CONFIG_INIT(&provider_config, &guid_a);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.EvtCleanupCallback = note_provider;
    assert_int_equal(WdfWmiProviderCreate(device, &provider_config, &attributes, &provider), STATUS_SUCCESS);
    WDF_WMI_INSTANCE_CONFIG_INIT_PROVIDER(&config, provider);
    config.Register = TRUE;
    attributes.EvtCleanupCallback = note_instance;
    assert_int_equal(WdfWmiInstanceCreate(device, &config, &attributes, &instance), STATUS_SUCCESS);
    fx_test_device_delete(device);
    device = NULL;
    assert_int_equal(notes, 2);
    assert_memory_equal(order, "ip", 2);
    assert_null(WdfWmiInstanceGetProvider(instance));
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

static void verifier_break_point_and_bug_check(void **state)
{
    (void)state;
    /* Without KMHOST_BREAK this only logs, verifier on or not. */
    WdfVerifierDbgBreakPoint();
    pid_t child = fork();
    if (child == 0) {
        WdfVerifierKeBugCheck(0xE0, 1, 2, 3, 4);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(instance_of_an_existing_provider, setup, teardown),
        cmocka_unit_test_setup_teardown(instance_with_an_inline_provider, setup, teardown),
        cmocka_unit_test_setup_teardown(configuration_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(deleted_with_the_device_instances_first, setup, teardown),
        cmocka_unit_test_setup_teardown(verifier_break_point_and_bug_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
