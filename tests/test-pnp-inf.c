/*
 * The INF parser and install plan (src/pnp/inf*.c) against the INFs in
 * tests/data/inf: a KMDF toaster, an .inx template, a filter, a legacy
 * INF, a UTF-16 one and malformed ones; then every fuzz corpus file.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pnp/inf.h"
#include "test-support.h"

#define INF_DIR KMH_TEST_DATA_DIR "/inf/"
#define CORPUS_DIR KMH_TEST_DATA_DIR "/../../fuzz/corpus/inf"

static struct inf *load(const char *name)
{
    struct inf *inf = NULL;
    struct inf_error err = { 0 };
    int r = inf_load(name, &inf, &err);
    if (r < 0)
        fail_msg("%s:%u: %s", err.file, err.line, err.message);
    return inf;
}

static struct inf *load_text(const char *text, unsigned flags)
{
    struct inf *inf = NULL;
    struct inf_error err = { 0 };
    if (inf_load_buffer("mem.inf", text, strlen(text), flags, &inf, &err) < 0)
        fail_msg("mem.inf:%u: %s", err.line, err.message);
    return inf;
}

static struct inf_plan *plan_for(const struct inf *inf, const char *hwid)
{
    struct inf_plan *plan = NULL;
    struct inf_error err = { 0 };
    if (inf_plan_for_hardware_id(inf, hwid, &plan, &err) < 0)
        fail_msg("%s:%u: %s", err.file, err.line, err.message);
    return plan;
}

/* ASCII text as REG_SZ data: UTF-16LE with its NUL. */
static void assert_sz(const struct inf_reg_op *op, const char *text)
{
    size_t n = strlen(text);
    assert_non_null(op);
    assert_int_equal(op->size, 2 * n + 2);
    for (size_t i = 0; i <= n; i++) {
        assert_int_equal(op->data[2 * i], (uint8_t)text[i]);
        assert_int_equal(op->data[2 * i + 1], 0);
    }
}

static void assert_dword(const struct inf_reg_op *op, uint32_t v)
{
    assert_non_null(op);
    assert_int_equal(op->type, INF_REG_DWORD);
    assert_int_equal(op->size, 4);
    assert_int_equal(op->data[0] | op->data[1] << 8 | op->data[2] << 16 |
                     (uint32_t)op->data[3] << 24, v);
}

static const struct inf_reg_op *find_op(const struct inf_plan *plan, enum inf_reg_action action,
                                        const char *value_name)
{
    for (size_t i = 0; i < plan->nregs; i++) {
        const struct inf_reg_op *op = &plan->regs[i];
        if (op->action == action && op->value_name && !strcmp(op->value_name, value_name))
            return op;
    }
    return NULL;
}

static void toaster_models_pick_newest_fitting_decoration(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_model_list *list = NULL;

    assert_int_equal(inf_plan_models(inf, &list, NULL), 0);
    assert_int_equal(list->count, 2);
    assert_string_equal(list->models[0].models_section, "Standard.NTamd64.10.0...16299");
    assert_string_equal(list->models[0].manufacturer, "(Standard system devices)");
    assert_string_equal(list->models[0].description, "kmhost Toaster");
    assert_string_equal(list->models[0].install_section, "Toaster_Device");
    assert_string_equal(list->models[0].hardware_id, "ROOT\\TOASTER");
    assert_int_equal(list->models[0].ncompatible_ids, 1);
    assert_string_equal(list->models[0].compatible_ids[0], "Toaster\\Compatible");
    assert_false(list->models[0].undecorated);
    assert_string_equal(list->models[1].description, "kmhost Toaster, the second");
    assert_string_equal(list->models[1].hardware_id, "ROOT\\TOASTER2");
    assert_int_equal(list->models[1].ncompatible_ids, 0);
    inf_models_free(list);
    inf_free(inf);
}

static void decorations_rank_version_build_then_arch(void **state)
{
    (void)state;
    struct inf *inf = load_text(
        "[Version]\nSignature=$Windows NT$\n[Manufacturer]\n"
        "M = S, NT, NTamd64, NTamd64.10.0...17763, NTamd64.10.0...14393, NTamd64.10.0.2\n"
        "N = T, NT, NTamd64, NTx86.10.0\n"
        "[S.NTamd64.10.0...17763]\nD = I, ROOT\\NEWEST\n"
        "[T.NTamd64]\nD = I, ROOT\\AMD64\n", 0);
    struct inf_model_list *list = NULL;

    assert_int_equal(inf_plan_models(inf, &list, NULL), 0);
    assert_int_equal(list->count, 2);
    /* Newest build that fits; a domain controller (product type 2) does not. */
    assert_string_equal(list->models[0].hardware_id, "ROOT\\NEWEST");
    /* Same version: naming amd64 beats the generic NT. */
    assert_string_equal(list->models[1].hardware_id, "ROOT\\AMD64");
    assert_string_equal(list->models[1].models_section, "T.NTamd64");
    inf_models_free(list);
    inf_free(inf);
}

static void toaster_plan_version_and_install_section(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, "root\\toaster");

    assert_string_equal(plan->provider, "kmhost (en-US)"); /* [Strings.0409] */
    assert_string_equal(plan->class_name, "Toaster");
    assert_string_equal(plan->class_guid, "{B85B7C50-6A01-11d2-B841-00C04FAD5171}");
    assert_string_equal(plan->catalog_file, "toaster_amd64.cat");
    assert_string_equal(plan->driver_date, "03/14/2024");
    assert_string_equal(plan->driver_version, "1.2.3.4");
    assert_string_equal(plan->install_section, "Toaster_Device.NT");
    assert_string_equal(plan->model.hardware_id, "ROOT\\TOASTER");
    assert_string_equal(plan->model.description, "kmhost Toaster");
    assert_int_equal(plan->nwarnings, 0);
    inf_plan_free(plan);
    inf_free(inf);
}

static void toaster_plan_function_service(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, "ROOT\\TOASTER");

    assert_int_equal(plan->nservices, 1);
    assert_string_equal(plan->function_service, "kmtoaster");
    const struct inf_service *svc = inf_plan_find_service(plan, "KMTOASTER");
    assert_non_null(svc);
    assert_true(svc->is_function_driver);
    assert_int_equal(svc->flags, INF_SPSVCINST_ASSOCSERVICE);
    assert_string_equal(svc->install_section, "Toaster_Service_Inst");
    assert_int_equal(svc->service_type, 1);
    assert_int_equal(svc->start_type, 3);
    assert_int_equal(svc->error_control, 1);
    assert_string_equal(svc->binary, "%13%\\kmtoaster.sys");
    assert_int_equal(svc->binary_dirid, INF_DIRID_DRIVER_STORE);
    assert_string_equal(svc->binary_path, "kmtoaster.sys");
    assert_string_equal(svc->binary_file, "kmtoaster.sys");
    assert_string_equal(svc->display_name, "kmhost Toaster Service");
    assert_null(svc->load_order_group);
    inf_plan_free(plan);
    inf_free(inf);
}

static void toaster_plan_driver_key_values(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, NULL);
    static const uint8_t multi[] = { 'f', 0, 'i', 0, 'r', 0, 's', 0, 't', 0, 0, 0, 's', 0,
                                     'e', 0, 'c', 0, 'o', 0, 'n', 0, 'd', 0, 0, 0, 0, 0 };
    static const uint8_t bytes[] = { 0xde, 0xad, 0xbe, 0xef };
    static const uint8_t qword[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    const struct inf_reg_op *op = inf_plan_find_reg(plan, INF_ROOT_DRIVER, "FriendlyName");
    assert_sz(op, "kmhost Toaster");
    assert_int_equal(op->type, INF_REG_SZ);
    op = inf_plan_find_reg(plan, INF_ROOT_DRIVER, "PollInterval");
    assert_dword(op, 250);
    assert_string_equal(op->subkey, "Parameters");
    op = inf_plan_find_reg(plan, INF_ROOT_DRIVER, "Quoted \"Name\"");
    assert_non_null(op);
    assert_int_equal(op->type, INF_REG_MULTI_SZ);
    assert_memory_equal(op->data, multi, sizeof(multi));
    assert_int_equal(op->size, sizeof(multi));
    op = inf_plan_find_reg(plan, INF_ROOT_HKLM, "Bytes"); /* continued line */
    assert_non_null(op);
    assert_string_equal(op->subkey, "Software\\kmhost\\Toaster");
    assert_int_equal(op->type, INF_REG_BINARY);
    assert_int_equal(op->size, 4);
    assert_memory_equal(op->data, bytes, 4);
    op = inf_plan_find_reg(plan, INF_ROOT_DRIVER, "Big");
    assert_int_equal(op->type, INF_REG_QWORD);
    assert_memory_equal(op->data, qword, 8);
    inf_plan_free(plan);
    inf_free(inf);
}

static void toaster_plan_key_only_entry(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, NULL);
    const struct inf_reg_op *key = NULL;

    for (size_t i = 0; i < plan->nregs; i++)
        if (plan->regs[i].action == INF_REG_CREATE_KEY)
            key = &plan->regs[i];
    assert_non_null(key);
    assert_int_equal(key->root, INF_ROOT_DRIVER);
    assert_string_equal(key->subkey, "Parameters\\Empty");
    assert_null(key->value_name);
    assert_string_equal(key->section, "Toaster_Device_AddReg");
    assert_int_equal(key->line, 67);
    inf_plan_free(plan);
    inf_free(inf);
}

static void toaster_plan_hw_and_service_keys(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, NULL);

    assert_dword(inf_plan_find_reg(plan, INF_ROOT_HARDWARE, "DeviceCharacteristics"), 0x100);
    /* Semicolons inside quotes are data, the one after is a comment. */
    assert_sz(inf_plan_find_reg(plan, INF_ROOT_HARDWARE, "Security"), "D:P(A;;GA;;;SY)");
    assert_null(inf_plan_find_reg(plan, INF_ROOT_DRIVER, "Security"));
    const struct inf_reg_op *op = inf_plan_find_reg(plan, INF_ROOT_SERVICE, "DebugLevel");
    assert_dword(op, 3);
    assert_string_equal(op->root_name, "kmtoaster");
    assert_string_equal(op->subkey, "Parameters");
    op = inf_plan_find_reg(plan, INF_ROOT_DRIVER, "CoInstallers32");
    assert_non_null(op);
    assert_int_equal(op->type, INF_REG_MULTI_SZ);
    assert_int_equal(op->size, 2 * (strlen("WdfCoInstaller01033.dll,WdfCoInstaller") + 2));
    inf_plan_free(plan);
    inf_free(inf);
}

static void toaster_plan_files(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, NULL);

    assert_int_equal(plan->nfiles, 2);
    /* [SourceDisksNames.amd64] wins over [SourceDisksNames]. */
    assert_string_equal(plan->files[0].source, "amd64/kmtoaster.sys");
    assert_string_equal(plan->files[0].dest_name, "kmtoaster.sys");
    assert_int_equal(plan->files[0].dest_dirid, INF_DIRID_DRIVER_STORE);
    assert_null(plan->files[0].dest_subdir);
    assert_string_equal(plan->files[1].source, "amd64/coinst/WdfCoInstaller01033.dll");
    assert_int_equal(plan->files[1].dest_dirid, INF_DIRID_SYSTEM);
    inf_plan_free(plan);
    inf_free(inf);
}

static void toaster_plan_kmdf_and_interface(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, NULL);

    assert_true(plan->has_kmdf);
    assert_string_equal(plan->kmdf_service, "kmtoaster");
    assert_string_equal(plan->kmdf_section, "Toaster_wdfsect");
    assert_string_equal(plan->kmdf_library_version, "1.33");
    assert_int_equal(plan->ninterfaces, 1);
    assert_string_equal(plan->interfaces[0].class_guid, "{781EF630-72B2-11d2-B852-00C04FAD5171}");
    assert_null(plan->interfaces[0].reference);
    assert_string_equal(plan->interfaces[0].section, "Toaster_Interface");
    const struct inf_reg_op *op = inf_plan_find_reg(plan, INF_ROOT_INTERFACE, "Label");
    assert_sz(op, "100% toasty"); /* %% is one percent */
    assert_string_equal(op->root_name, "{781EF630-72B2-11d2-B852-00C04FAD5171}");
    inf_plan_free(plan);
    inf_free(inf);
}

static void toaster_plan_by_compatible_or_unknown_id(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "toaster.inf");
    struct inf_plan *plan = plan_for(inf, "TOASTER\\COMPATIBLE");
    struct inf_error err = { 0 };

    assert_string_equal(plan->model.hardware_id, "ROOT\\TOASTER");
    inf_plan_free(plan);
    plan = plan_for(inf, "ROOT\\TOASTER2");
    assert_string_equal(plan->model.description, "kmhost Toaster, the second");
    inf_plan_free(plan);
    plan = (struct inf_plan *)&err; /* must be reset on failure */
    assert_int_equal(inf_plan_for_hardware_id(inf, "PCI\\VEN_1234", &plan, &err), -ENOENT);
    assert_null(plan);
    assert_string_equal(err.message, "no model for hardware ID PCI\\VEN_1234");
    assert_int_equal(err.line, 0);
    inf_free(inf);
}

static void inx_is_stamped(void **state)
{
    (void)state;
    setenv("STAMPINF_DATE", "05/06/2024", 1);
    setenv("STAMPINF_VERSION", "9.8.7.6", 1);
    struct inf *inf = load(INF_DIR "echo.inx");
    struct inf_plan *plan = plan_for(inf, "ROOT\\ECHO");

    assert_string_equal(plan->model.models_section, "Standard.NTamd64");
    assert_false(plan->model.undecorated);
    assert_string_equal(plan->driver_date, "05/06/2024");
    assert_string_equal(plan->driver_version, "9.8.7.6");
    assert_string_equal(plan->kmdf_library_version, "1.33");
    assert_int_equal(plan->nfiles, 2);
    assert_string_equal(plan->files[1].dest_name, "WdfCoInstaller01033.dll");
    assert_string_equal(plan->files[1].source, "WdfCoInstaller01033.dll");
    /* Not a stampinf keyword: left as written. */
    assert_sz(inf_plan_find_reg(plan, INF_ROOT_HARDWARE, "Unstamped"), "$WDFVERSION$");
    assert_int_equal(plan->nwarnings, 0);
    inf_plan_free(plan);
    inf_free(inf);
    unsetenv("STAMPINF_DATE");
    unsetenv("STAMPINF_VERSION");
}

static void inx_keeps_its_driver_ver(void **state)
{
    (void)state;
    struct inf *inf = load_text("[Version]\nSignature=\"$Windows NT$\"\n"
                                "DriverVer=01/01/2020,1.0.0.1\nArch=NT$ARCH$\n"
                                "Umdf=$UMDFVERSION$\n", INF_LOAD_INX);

    assert_string_equal(inf_value(inf, "Version", "DriverVer"), "01/01/2020");
    assert_string_equal(inf_value(inf, "Version", "Arch"), "NTamd64");
    assert_string_equal(inf_value(inf, "Version", "Umdf"), "2.33");
    inf_free(inf);
    /* The same text as a plain INF is not stamped. */
    inf = load_text("[Version]\nSignature=\"$Windows NT$\"\nArch=NT$ARCH$\n", 0);
    assert_string_equal(inf_value(inf, "Version", "Arch"), "NT$ARCH$");
    assert_null(inf_value(inf, "Version", "DriverVer"));
    inf_free(inf);
}

static void filter_adds_upper_filter_to_hardware_key(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "filter.inf");
    struct inf_plan *plan = plan_for(inf, "ROOT\\TOASTER");
    static const uint8_t kmfilter[] = { 'k', 0, 'm', 0, 'f', 0, 'i', 0, 'l', 0, 't', 0,
                                        'e', 0, 'r', 0, 0, 0, 0, 0 };

    assert_string_equal(plan->install_section, "Filter_Install.NTamd64");
    const struct inf_reg_op *op = inf_plan_find_reg(plan, INF_ROOT_HARDWARE, "UpperFilters");
    assert_non_null(op);
    assert_int_equal(op->type, INF_REG_MULTI_SZ);
    assert_true(op->flags & INF_FLG_ADDREG_APPEND);
    assert_int_equal(op->size, sizeof(kmfilter));
    assert_memory_equal(op->data, kmfilter, sizeof(kmfilter));
    op = find_op(plan, INF_REG_DELETE_VALUE, "LowerFilters");
    assert_non_null(op);
    assert_int_equal(op->root, INF_ROOT_HARDWARE);
    assert_null(plan->function_service);
    assert_int_equal(plan->nservices, 1);
    assert_false(plan->services[0].is_function_driver);
    assert_string_equal(plan->services[0].load_order_group, "PnP Filter");
    assert_int_equal(plan->nwarnings, 2); /* Include and Needs */
    assert_non_null(strstr(plan->warnings[0], "Include"));
    assert_int_equal(plan->nfiles, 1);
    assert_string_equal(plan->files[0].source, "kmfilter.sys");
    assert_int_equal(plan->files[0].dest_dirid, INF_DIRID_DRIVERS);
    inf_plan_free(plan);
    inf_free(inf);
}

static void legacy_undecorated_models_and_event_log(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "legacy.inf");
    struct inf_plan *plan = plan_for(inf, "*PNP0C01");

    assert_true(plan->model.undecorated);
    assert_string_equal(plan->install_section, "LegacyInstall");
    const struct inf_service *svc = inf_plan_find_service(plan, "kmlegacy");
    assert_non_null(svc);
    assert_int_equal(svc->start_type, 0);
    assert_int_equal(svc->error_control, 3);
    assert_int_equal(svc->binary_dirid, INF_DIRID_DRIVERS);
    assert_string_equal(svc->load_order_group, "Boot Bus Extender");
    assert_int_equal(svc->ndependencies, 2);
    assert_string_equal(svc->dependencies[0], "+Base");
    assert_string_equal(svc->dependencies[1], "kmother");
    assert_string_equal(svc->eventlog_section, "Legacy_EventLog");
    const struct inf_reg_op *op = inf_plan_find_reg(plan, INF_ROOT_EVENTLOG, "EventMessageFile");
    assert_int_equal(op->type, INF_REG_EXPAND_SZ);
    assert_sz(op, "%SystemRoot%\\System32\\IoLogMsg.dll");
    assert_string_equal(op->root_name, "System\\kmlegacy");
    assert_dword(inf_plan_find_reg(plan, INF_ROOT_EVENTLOG, "TypesSupported"), 7);
    assert_dword(inf_plan_find_reg(plan, INF_ROOT_DRIVER, "LegacySetting"), 1);
    inf_plan_free(plan);
    inf_free(inf);
}

static void legacy_warnings_and_compatible_match(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "legacy.inf");
    struct inf_plan *plan = plan_for(inf, "*pnp0c02");

    assert_string_equal(plan->model.hardware_id, "*PNP0C01");
    /* Undecorated models, and a file with no [SourceDisksFiles] entry. */
    assert_int_equal(plan->nwarnings, 2);
    assert_non_null(strstr(plan->warnings[0], "[LegacyModels] is not decorated"));
    assert_non_null(strstr(plan->warnings[1], "kmlegacy.sys is not in [SourceDisksFiles]"));
    assert_int_equal(plan->nfiles, 1);
    assert_string_equal(plan->files[0].source, "kmlegacy.sys");
    inf_plan_free(plan);
    inf_free(inf);
}

static void legacy_default_install(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "legacy.inf");
    struct inf_plan *plan = NULL;

    assert_int_equal(inf_plan_default_install(inf, &plan, NULL), 0);
    assert_string_equal(plan->install_section, "DefaultInstall");
    assert_int_equal(plan->nservices, 1);
    assert_false(plan->services[0].is_function_driver);
    assert_null(plan->function_service);
    const struct inf_reg_op *op = inf_plan_find_reg(plan, INF_ROOT_HKLM, "Installed");
    assert_dword(op, 1);
    assert_string_equal(op->subkey, "System\\CurrentControlSet\\Control\\kmhost");
    assert_int_equal(plan->nfiles, 1);
    inf_plan_free(plan);
    /* HKR means nothing without a device. */
    struct inf_error err = { 0 };
    inf_free(inf);
    inf = load_text("[Version]\nSignature=$Windows NT$\n[DefaultInstall]\nAddReg=R\n"
                    "[R]\nHKR,,X,,y\n", 0);
    assert_int_equal(inf_plan_default_install(inf, &plan, &err), -EINVAL);
    assert_int_equal(err.line, 6);
    assert_string_equal(err.message, "unknown registry root 'HKR' in [R]");
    inf_free(inf);
}

static void utf16_inf_with_bom(void **state)
{
    (void)state;
    struct inf *inf = load(INF_DIR "utf16.inf");
    struct inf_plan *plan = plan_for(inf, "ROOT\\GRILLE");
    /* "pain ☃ 🍞" then the NUL: U+2603 and the pair for U+1F35E. */
    static const uint8_t tail[] = { 'p', 0, 'a', 0, 'i', 0, 'n', 0, ' ', 0, 0x03, 0x26,
                                    ' ', 0, 0x3c, 0xd8, 0x5e, 0xdf, 0, 0 };

    assert_string_equal(plan->provider, "Soci\xc3\xa9t\xc3\xa9 kmhost");
    assert_string_equal(plan->model.description,
                        "Grille-pain \xe2\x98\x83 \xf0\x9f\x8d\x9e");
    assert_string_equal(plan->driver_version, "1.0.0.7");
    const struct inf_reg_op *op = inf_plan_find_reg(plan, INF_ROOT_DRIVER, "FriendlyName");
    assert_non_null(op);
    assert_int_equal(op->size, 2 * strlen("Grille-") + sizeof(tail));
    assert_memory_equal(op->data + op->size - sizeof(tail), tail, sizeof(tail));
    assert_string_equal(plan->function_service, "kmgrille");
    inf_plan_free(plan);
    inf_free(inf);
}

static const struct {
    const char *file;
    unsigned line;
    const char *message;
} load_errors[] = {
    { "bad-quote.inf", 4, "unterminated quoted string" },
    { "bad-outside.inf", 2, "line outside any section" },
    { "bad-noversion.inf", 0, "missing [Version] section" },
    { "bad-string.inf", 3, "undefined string %NoSuchString%" },
    { "bad-signature.inf", 3, "Signature \"$Windows 3.1$\" is not $Windows NT$ or $Chicago$" },
    { "bad-header.inf", 3, "unterminated section name" },
};

static void malformed_infs_fail_to_load(void **state)
{
    (void)state;
    char path[512], text[1024];

    for (size_t i = 0; i < sizeof(load_errors) / sizeof(load_errors[0]); i++) {
        struct inf *inf = (struct inf *)path;
        struct inf_error err = { 0 };
        snprintf(path, sizeof(path), INF_DIR "%s", load_errors[i].file);
        assert_int_equal(inf_load(path, &inf, &err), -EINVAL);
        assert_null(inf);
        assert_string_equal(err.file, path);
        assert_int_equal(err.line, load_errors[i].line);
        assert_string_equal(err.message, load_errors[i].message);
        inf_error_format(&err, text, sizeof(text));
        assert_non_null(strstr(text, load_errors[i].file));
    }
}

static const struct {
    const char *file;
    unsigned line;
    const char *message;
} plan_errors[] = {
    { "bad-section.inf", 8, "unknown section [Missing_Install] referenced" },
    { "bad-addreg.inf", 11, "unknown registry root 'HKXX' in [Bad_AddReg]" },
    { "bad-service.inf", 9, "no ServiceBinary in service-install section [Svc]" },
};

static void malformed_infs_fail_to_plan(void **state)
{
    (void)state;
    char path[512];

    for (size_t i = 0; i < sizeof(plan_errors) / sizeof(plan_errors[0]); i++) {
        struct inf_plan *plan = NULL;
        struct inf_error err = { 0 };
        snprintf(path, sizeof(path), INF_DIR "%s", plan_errors[i].file);
        struct inf *inf = load(path);
        assert_int_equal(inf_plan_for_hardware_id(inf, NULL, &plan, &err), -EINVAL);
        assert_null(plan);
        assert_string_equal(err.file, path);
        assert_int_equal(err.line, plan_errors[i].line);
        assert_string_equal(err.message, plan_errors[i].message);
        inf_free(inf);
    }
}

static void lexer_quotes_comments_continuations(void **state)
{
    (void)state;
    struct inf *inf = load_text(
        "[version] ; comment after a header\n"
        "Signature = \"$Windows NT$\"\n"
        "[A]\n"
        "key = \"  kept  \" , plain text  ,, \"a\"\"b\" ; gone\n"
        "long = one, \\\n"
        "       two ; comment\n"
        "list = x\\y, \"c;d\"\n"
        "nokey, \"=\", e=f\n"
        "pct = \"50% of 100%\", %%x%%\n"
        "q = \"ab \\\ncd\"\n", 0);
    const struct inf_section *a = inf_section_find(inf, "a");
    assert_non_null(a);
    assert_int_equal(a->nlines, 6);
    assert_int_equal(a->lines[0].nfields, 4);
    assert_string_equal(a->lines[0].fields[0], "  kept  ");
    assert_string_equal(a->lines[0].fields[1], "plain text");
    assert_string_equal(a->lines[0].fields[2], "");
    assert_string_equal(a->lines[0].fields[3], "a\"b");
    assert_int_equal(a->lines[1].nfields, 2);
    assert_string_equal(a->lines[1].fields[1], "two");
    assert_int_equal(a->lines[2].lineno, 7);
    assert_string_equal(a->lines[2].fields[0], "x\\y");
    assert_string_equal(a->lines[2].fields[1], "c;d");
    assert_null(a->lines[3].key); /* '=' after a comma is data */
    assert_string_equal(a->lines[3].fields[2], "e=f");
    assert_string_equal(a->lines[4].fields[0], "50% of 100%");
    assert_string_equal(a->lines[4].fields[1], "%x%");
    assert_string_equal(a->lines[5].fields[0], "ab cd"); /* continued inside quotes */
    inf_free(inf);
}

static void sections_merge_and_ignore_case(void **state)
{
    (void)state;
    struct inf *inf = load_text("[Version]\nSignature=$CHICAGO$\n[Dup]\na=1\n"
                                "[DUP]\nb=2\n[\"Quoted Name\"]\nc=%12%\\x\n", 0);

    assert_int_equal(inf_section_count(inf), 3);
    const struct inf_section *dup = inf_section_find(inf, "dup");
    assert_int_equal(dup->nlines, 2);
    assert_string_equal(inf_value(inf, "DUP", "B"), "2");
    assert_string_equal(inf_value(inf, "quoted name", "c"), "%12%\\x");
    assert_null(inf_value(inf, "Dup", "missing"));
    assert_null(inf_value(inf, "Missing", "a"));
    inf_free(inf);
}

static void hostile_bytes_fail_cleanly(void **state)
{
    (void)state;
    static const uint8_t odd[] = { 0xff, 0xfe, '[', 0, 'V' };
    static const uint8_t nul[] = "[Version]\nSignature=$Chicago$\nA=\0\n";
    struct inf *inf = NULL;
    struct inf_error err = { 0 };

    assert_int_equal(inf_load_buffer("odd.inf", odd, sizeof(odd), 0, &inf, &err), -EINVAL);
    assert_string_equal(err.message, "UTF-16 file has an odd number of bytes");
    assert_int_equal(inf_load_buffer("nul.inf", nul, sizeof(nul) - 1, 0, &inf, &err), -EINVAL);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.message, "NUL character (UTF-16 without a byte order mark?)");
    assert_int_equal(inf_load_buffer("empty.inf", "", 0, 0, &inf, &err), -EINVAL);
    assert_string_equal(err.message, "missing [Version] section");
    assert_int_equal(inf_load("/nonexistent/x.inf", &inf, &err), -ENOENT);
    assert_null(inf);
}

static void utf16_lone_surrogate_becomes_replacement(void **state)
{
    (void)state;
    const char *text = "[Version]\nSignature=$Chicago$\nX=a";
    uint8_t buf[128] = { 0xff, 0xfe };
    size_t n = 2;
    struct inf *inf = NULL;

    for (const char *p = text; *p; p++) {
        buf[n++] = (uint8_t)*p;
        buf[n++] = 0;
    }
    buf[n++] = 0x00; /* U+D800 with no low half after it */
    buf[n++] = 0xd8;
    assert_int_equal(inf_load_buffer("lone.inf", buf, n, 0, &inf, NULL), 0);
    assert_string_equal(inf_value(inf, "Version", "X"), "a\xef\xbf\xbd");
    inf_free(inf);
}

/* What fuzz/fuzz-inf.c does with each input, minus the fuzzer. */
static void replay_one(const char *path, const void *data, size_t size, unsigned flags)
{
    struct inf *inf = NULL;
    struct inf_model_list *models = NULL;
    struct inf_error err = { 0 };

    if (inf_load_buffer(path, data, size, flags, &inf, &err) < 0) {
        assert_true(err.message[0] != 0);
        return;
    }
    if (inf_plan_models(inf, &models, &err) == 0) {
        for (size_t i = 0; i < models->count; i++) {
            struct inf_plan *plan = NULL;
            if (inf_plan_for_model(inf, &models->models[i], &plan, &err) == 0)
                inf_plan_free(plan);
        }
        inf_models_free(models);
    }
    inf_free(inf);
}

static void fuzz_corpus_replays(void **state)
{
    (void)state;
    DIR *dir = opendir(CORPUS_DIR);
    struct dirent *de;
    char path[1024];
    size_t n = 0;

    assert_non_null(dir);
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, de->d_name);
        size_t size;
        void *data = kmh_test_read_file(path, &size);
        assert_non_null(data);
        replay_one(path, data, size, 0);
        replay_one(path, data, size, INF_LOAD_INX);
        free(data);
        n++;
    }
    closedir(dir);
    assert_true(n >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(toaster_models_pick_newest_fitting_decoration),
        cmocka_unit_test(decorations_rank_version_build_then_arch),
        cmocka_unit_test(toaster_plan_version_and_install_section),
        cmocka_unit_test(toaster_plan_function_service),
        cmocka_unit_test(toaster_plan_driver_key_values),
        cmocka_unit_test(toaster_plan_key_only_entry),
        cmocka_unit_test(toaster_plan_hw_and_service_keys),
        cmocka_unit_test(toaster_plan_files),
        cmocka_unit_test(toaster_plan_kmdf_and_interface),
        cmocka_unit_test(toaster_plan_by_compatible_or_unknown_id),
        cmocka_unit_test(inx_is_stamped),
        cmocka_unit_test(inx_keeps_its_driver_ver),
        cmocka_unit_test(filter_adds_upper_filter_to_hardware_key),
        cmocka_unit_test(legacy_undecorated_models_and_event_log),
        cmocka_unit_test(legacy_warnings_and_compatible_match),
        cmocka_unit_test(legacy_default_install),
        cmocka_unit_test(utf16_inf_with_bom),
        cmocka_unit_test(malformed_infs_fail_to_load),
        cmocka_unit_test(malformed_infs_fail_to_plan),
        cmocka_unit_test(lexer_quotes_comments_continuations),
        cmocka_unit_test(sections_merge_and_ignore_case),
        cmocka_unit_test(hostile_bytes_fail_cleanly),
        cmocka_unit_test(utf16_lone_surrogate_becomes_replacement),
        cmocka_unit_test(fuzz_corpus_replays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
