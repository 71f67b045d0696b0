/*
 * Installing driver packages and devices (src/pnp/install*.c, driverdb.c)
 * into a fresh kmhost root per case: the driver store and database, oemN
 * numbering, device installs (Enum, driver, class, service and interface
 * keys, KMDF parameters, filters), lookups, uninstall, and that a failing
 * install leaves the registry and the root directory exactly as they were.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nt/registry.h"
#include "pnp/install.h"
#include "test-support.h"

#define INF_DIR KMH_TEST_DATA_DIR "/inf/"
#define TOASTER_GUID "{B85B7C50-6A01-11d2-B841-00C04FAD5171}"
#define TOASTER_ENUM PNP_REG_ENUM "\\ROOT\\TOASTER\\0000"

struct fixture {
    char *root;
    char *pkg; /* a package folder, as a WDK build leaves it */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char err[512] = "";

    f->root = kmh_test_tmpdir();
    f->pkg = kmh_test_tmpdir();
    if (nt_set_root_dir(f->root) != 0 || nt_registry_open(NULL, err, sizeof(err)) != 0) {
        fprintf(stderr, "nt_registry_open: %s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    nt_registry_close();
    kmh_test_rmtree(f->root);
    kmh_test_rmtree(f->pkg);
    free(f->root);
    free(f->pkg);
    free(f);
    return 0;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    fputs(text, out);
    fclose(out);
}

/* Copies tests/data/inf/<inf> into the package folder with dummy files. */
static char *package(struct fixture *f, const char *inf, const char *const *files)
{
    char src[1024], *text, *path = NULL;
    snprintf(src, sizeof(src), INF_DIR "%s", inf);
    text = kmh_test_read_file(src, NULL);
    assert_non_null(text);
    write_file(f->pkg, inf, text);
    free(text);
    for (size_t i = 0; files && files[i]; i++)
        write_file(f->pkg, files[i], "MZ dummy driver image");
    assert_true(asprintf(&path, "%s/%s", f->pkg, inf) > 0);
    return path;
}

/* The path of a file in the package folder (a buffer per call site). */
static const char *pkg_file(struct fixture *f, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", f->pkg, name);
    return buf;
}

static void install(const char *path, struct pnp_install_result *r)
{
    char err[1024] = "";
    int rc = pnp_inf_install(path, r, err, sizeof(err));
    if (rc != 0)
        fail_msg("pnp_inf_install(%s): %d %s", path, rc, err);
}

static char *install_toaster(struct fixture *f, struct pnp_install_result *r)
{
    static const char *const files[] = { "kmtoaster.sys", NULL };
    char *path = package(f, "toaster.inf", files);
    install(path, r);
    return path;
}

static void device(const char *instance, const char *const *hwids, const char *const *compat,
                   struct pnp_device_install_result *r)
{
    char err[1024] = "";
    int rc = pnp_device_install(instance, hwids, compat, r, err, sizeof(err));
    if (rc != 0)
        fail_msg("pnp_device_install(%s): %d %s", instance, rc, err);
}

static const char *const toaster_ids[] = { "ROOT\\TOASTER", NULL };

/* ---- registry and directory readers ---- */

static struct regstore_key key_at(const char *path)
{
    struct regstore_key key = REGSTORE_KEY_NONE;
    int rc = regstore_key_open(nt_registry(), REGSTORE_KEY_NONE, path, &key);
    if (rc != 0)
        fail_msg("no key %s (%d)", path, rc);
    return key;
}

static bool key_exists(const char *path)
{
    struct regstore_key key;
    return regstore_key_open(nt_registry(), REGSTORE_KEY_NONE, path, &key) == 0;
}

static void assert_sz(const char *path, const char *name, const char *want)
{
    char got[1024] = "";
    int rc = pnp_get_string(nt_registry(), key_at(path), name, got, sizeof(got));
    if (rc != 0)
        fail_msg("%s\\%s: %d", path, name, rc);
    assert_string_equal(got, want);
}

static uint32_t value_type(const char *path, const char *name)
{
    struct regstore_value v = { 0 };
    assert_int_equal(regstore_value_query(nt_registry(), key_at(path), name, &v), 0);
    uint32_t type = v.type;
    regstore_value_clear(&v);
    return type;
}

static void assert_dword(const char *path, const char *name, uint32_t want)
{
    struct regstore_value v = { 0 };
    assert_int_equal(regstore_value_query(nt_registry(), key_at(path), name, &v), 0);
    assert_int_equal(v.type, 4);
    assert_int_equal(v.size, 4);
    uint32_t got;
    memcpy(&got, v.data, 4);
    regstore_value_clear(&v);
    assert_int_equal(got, want);
}

/* The REG_MULTI_SZ joined with '|'. */
static void assert_multi(const char *path, const char *name, const char *want)
{
    char **list = NULL, got[1024] = "";
    assert_int_equal(value_type(path, name), 7);
    assert_int_equal(pnp_get_multi(nt_registry(), key_at(path), name, &list), 0);
    for (size_t i = 0; list[i]; i++)
        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? "|" : "", list[i]);
    pnp_strv_free(list);
    assert_string_equal(got, want);
}

static void assert_no_value(const char *path, const char *name)
{
    struct regstore_value v = { 0 };
    assert_int_equal(regstore_value_query(nt_registry(), key_at(path), name, &v), -ENOENT);
}

static void dump_key(struct regstore_key key, const char *path, FILE *out)
{
    struct regstore *rs = nt_registry();
    struct regstore_value v = { 0 };
    struct regstore_key sub;

    fprintf(out, "[%s]\n", path);
    for (uint32_t i = 0; regstore_value_enum(rs, key, i, &v) == 0; i++) {
        fprintf(out, "%s:%u:", v.name, v.type);
        for (size_t j = 0; j < v.size; j++)
            fprintf(out, "%02x", ((const uint8_t *)v.data)[j]);
        fputc('\n', out);
        regstore_value_clear(&v);
    }
    for (uint32_t i = 0; regstore_key_enum(rs, key, i, &sub) == 0; i++) {
        struct regstore_key_info info = { 0 };
        char child[2048];
        assert_int_equal(regstore_key_query(rs, sub, &info), 0);
        snprintf(child, sizeof(child), "%s\\%s", path, info.name);
        regstore_key_info_clear(&info);
        dump_key(sub, child, out);
    }
}

/* Every key and value of the registry, as text. */
static char *registry_dump(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    dump_key(key_at("\\"), "", out);
    fclose(out);
    return text;
}

/* Equal texts, else a failure quoting the first line that differs. */
static void assert_same_text(const char *a, const char *b)
{
    size_t line = 1, i = 0;
    while (a[i] && a[i] == b[i])
        line += a[i++] == '\n';
    if (!a[i] && !b[i])
        return;
    while (i > 0 && a[i - 1] != '\n')
        i--;
    fail_msg("line %zu differs:\n- %.*s\n+ %.*s", line, (int)strcspn(a + i, "\n"), a + i,
             (int)strcspn(b + i, "\n"), b + i);
}

static FILE *listing_out;
static size_t listing_skip;

static int list_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)type, (void)ftw;
    const char *rel = path + listing_skip;
    /* The store's own files are there before and after; their sizes move. */
    if (!strstr(rel, "registry.sqlite"))
        fprintf(listing_out, "%s %lld\n", rel, S_ISREG(st->st_mode) ? (long long)st->st_size : -1);
    return 0;
}

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files under the root with their sizes, sorted. */
static char *root_listing(struct fixture *f)
{
    char *text = NULL, *lines[256], *sorted = NULL;
    size_t size = 0, n = 0;

    listing_out = open_memstream(&text, &size);
    listing_skip = strlen(f->root);
    nftw(f->root, list_one, 16, FTW_PHYS);
    fclose(listing_out);
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && n < 256;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    qsort(lines, n, sizeof(*lines), line_cmp);
    FILE *out = open_memstream(&sorted, &size);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s\n", lines[i]);
    fclose(out);
    free(text);
    return sorted;
}

static bool root_has(struct fixture *f, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", f->root, rel);
    return access(path, F_OK) == 0;
}

/* ---- package installs ---- */

static void inf_install_stores_inf_and_driver_files(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    char *path = install_toaster(f, &r), stored[4096];

    assert_string_equal(r.inf_name, "oem0.inf");
    assert_int_equal(r.model_count, 2);
    assert_false(r.reused);
    assert_int_equal(r.nservices, 0);
    snprintf(stored, sizeof(stored), "%s/inf/oem0.inf", f->root);
    assert_true(pnp_files_equal(stored, path));
    snprintf(stored, sizeof(stored), "%s/drivers/kmtoaster.sys", f->root);
    char *sys = kmh_test_read_file(stored, NULL);
    assert_non_null(sys);
    assert_string_equal(sys, "MZ dummy driver image");
    /* The KMDF co-installer is a user-mode DLL kmhost has no use for. */
    assert_false(root_has(f, "drivers/WdfCoInstaller01033.dll"));
    free(sys);
    free(path);
}

static void inf_install_records_driver_database(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    free(install_toaster(f, &r));

    assert_sz(PNP_REG_DEVICE_IDS "\\ROOT\\TOASTER", "oem0.inf", "Toaster_Device");
    assert_sz(PNP_REG_DEVICE_IDS "\\root\\toaster2", "oem0.inf", "Toaster_Device");
    assert_sz(PNP_REG_DEVICE_IDS "\\Toaster\\Compatible", "oem0.inf", "Toaster_Device");
    /* Models of other platforms are not offered. */
    assert_false(key_exists(PNP_REG_DEVICE_IDS "\\ROOT\\TOASTER3"));
    const char *pkg = PNP_REG_DRIVER_PACKAGES "\\oem0.inf";
    assert_sz(pkg, "OriginalInfName", "toaster.inf");
    assert_sz(pkg, "Provider", "kmhost (en-US)");
    assert_sz(pkg, "Class", "Toaster");
    assert_sz(pkg, "ClassGuid", TOASTER_GUID);
    assert_sz(pkg, "DriverVer", "03/14/2024,1.2.3.4");
    char inf_path[4096];
    snprintf(inf_path, sizeof(inf_path), "%s/inf/oem0.inf", f->root);
    assert_sz(pkg, "InfPath", inf_path);
    assert_multi(pkg, "DeviceIds", "ROOT\\TOASTER|Toaster\\Compatible|ROOT\\TOASTER2");
}

static void reinstall_reuses_oem_name_another_package_gets_next(void **state)
{
    struct fixture *f = *state;
    static const char *const filter_files[] = { "kmfilter.sys", NULL };
    struct pnp_install_result r;
    char *path = install_toaster(f, &r), *before = registry_dump();

    install(path, &r);
    assert_string_equal(r.inf_name, "oem0.inf");
    assert_true(r.reused);
    char *after = registry_dump();
    assert_same_text(before, after);
    free(package(f, "filter.inf", filter_files));
    char buf[4096];
    install(pkg_file(f, "filter.inf", buf, sizeof(buf)), &r);
    assert_string_equal(r.inf_name, "oem1.inf");
    /* Same name, new content: a new version of the package, stored apart. */
    char *text = kmh_test_read_file(INF_DIR "toaster.inf", NULL);
    char *changed = NULL;
    assert_true(asprintf(&changed, "%s\n; rebuilt\n", text) > 0);
    write_file(f->pkg, "toaster.inf", changed);
    install(pkg_file(f, "toaster.inf", buf, sizeof(buf)), &r);
    assert_string_equal(r.inf_name, "oem2.inf");
    assert_sz(PNP_REG_DEVICE_IDS "\\ROOT\\TOASTER", "oem0.inf", "Toaster_Device");
    assert_sz(PNP_REG_DEVICE_IDS "\\ROOT\\TOASTER", "oem2.inf", "Toaster_Device");
    free(text), free(changed), free(before), free(after), free(path);
}

static void legacy_default_install_creates_its_service(void **state)
{
    struct fixture *f = *state;
    static const char *const files[] = { "kmlegacy.sys", NULL };
    struct pnp_install_result r;
    char *path = package(f, "legacy.inf", files);
    const char *svc = PNP_REG_SERVICES "\\kmlegacy";

    install(path, &r);
    assert_int_equal(r.nservices, 1);
    assert_string_equal(r.services[0], "kmlegacy");
    assert_dword(svc, "Type", 1);
    assert_dword(svc, "Start", 0);
    assert_dword(svc, "ErrorControl", 3);
    assert_sz(svc, "ImagePath", "\\SystemRoot\\System32\\drivers\\kmlegacy.sys");
    assert_int_equal(value_type(svc, "ImagePath"), 2);
    assert_sz(svc, "Group", "Boot Bus Extender");
    assert_multi(svc, "DependOnGroup", "Base");
    assert_multi(svc, "DependOnService", "kmother");
    assert_dword(PNP_REG_CCS "\\Control\\kmhost", "Installed", 1);
    assert_sz(PNP_REG_DEVICE_IDS "\\*PNP0C02", "oem0.inf", "LegacyInstall");
    assert_true(root_has(f, "drivers/kmlegacy.sys"));
    free(path);
}

/* ---- device installs ---- */

static void device_install_writes_enum_key(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    free(install_toaster(f, &r));

    device("ROOT\\TOASTER\\0000", toaster_ids, NULL, &d);
    assert_string_equal(d.stack.service, "kmtoaster");
    assert_string_equal(d.stack.class_guid, TOASTER_GUID);
    assert_string_equal(d.driver, TOASTER_GUID "\\0000");
    assert_string_equal(d.driver_key, PNP_REG_CLASS "\\" TOASTER_GUID "\\0000");
    assert_string_equal(d.match.inf_name, "oem0.inf");
    assert_multi(TOASTER_ENUM, "HardwareID", "ROOT\\TOASTER");
    assert_no_value(TOASTER_ENUM, "CompatibleIDs");
    assert_sz(TOASTER_ENUM, "Service", "kmtoaster");
    assert_sz(TOASTER_ENUM, "ClassGUID", TOASTER_GUID);
    assert_sz(TOASTER_ENUM, "Class", "Toaster");
    assert_sz(TOASTER_ENUM, "DeviceDesc", "kmhost Toaster");
    assert_sz(TOASTER_ENUM, "Mfg", "(Standard system devices)");
    assert_sz(TOASTER_ENUM, "Driver", TOASTER_GUID "\\0000");
    assert_dword(TOASTER_ENUM, "ConfigFlags", 0);
    /* .HW device properties sit on the instance key, where the PnP manager reads them. */
    assert_dword(TOASTER_ENUM, "DeviceCharacteristics", 0x100);
    assert_sz(TOASTER_ENUM, "Security", "D:P(A;;GA;;;SY)");
    assert_true(key_exists(TOASTER_ENUM "\\Device Parameters"));
    assert_sz(PNP_REG_CLASS "\\" TOASTER_GUID, "Class", "Toaster");
}

static void device_install_creates_service_with_kmdf_parameters(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    const char *svc = PNP_REG_SERVICES "\\kmtoaster";
    free(install_toaster(f, &r));

    assert_false(key_exists(svc)); /* a PnP package creates services per device */
    device("ROOT\\TOASTER\\0000", toaster_ids, NULL, &d);
    assert_dword(svc, "Type", 1);
    assert_dword(svc, "Start", 3);
    assert_dword(svc, "ErrorControl", 1);
    assert_sz(svc, "ImagePath", "\\SystemRoot\\System32\\drivers\\kmtoaster.sys");
    assert_int_equal(value_type(svc, "ImagePath"), 2);
    assert_sz(svc, "DisplayName", "kmhost Toaster Service");
    assert_dword(PNP_REG_SERVICES "\\kmtoaster\\Parameters", "DebugLevel", 3);
    assert_sz(PNP_REG_SERVICES "\\kmtoaster\\Parameters\\Wdf", "KmdfLibraryVersion", "1.33");
    assert_int_equal(value_type(PNP_REG_SERVICES "\\kmtoaster\\Parameters\\Wdf",
                                "KmdfLibraryVersion"), 1);
}

static void device_install_writes_driver_key_and_interfaces(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    const char *drv = PNP_REG_CLASS "\\" TOASTER_GUID "\\0000";
    const char *itf = PNP_REG_DEVICE_CLASSES "\\{781EF630-72B2-11d2-B852-00C04FAD5171}\\"
                      "##?#ROOT#TOASTER#0000#{781EF630-72B2-11d2-B852-00C04FAD5171}";
    free(install_toaster(f, &r));

    device("ROOT\\TOASTER\\0000", toaster_ids, NULL, &d);
    assert_sz(drv, "InfPath", "oem0.inf");
    assert_sz(drv, "InfSection", "Toaster_Device");
    assert_sz(drv, "InfSectionExt", ".NT");
    assert_sz(drv, "MatchingDeviceId", "root\\toaster");
    assert_sz(drv, "DriverDesc", "kmhost Toaster");
    assert_sz(drv, "DriverVersion", "1.2.3.4");
    assert_sz(drv, "DriverDate", "3-14-2024");
    assert_sz(drv, "ProviderName", "kmhost (en-US)");
    assert_sz(drv, "FriendlyName", "kmhost Toaster"); /* the DDInstall AddReg */
    assert_dword(PNP_REG_CLASS "\\" TOASTER_GUID "\\0000\\Parameters", "PollInterval", 250);
    assert_multi(drv, "CoInstallers32", "WdfCoInstaller01033.dll,WdfCoInstaller");
    assert_true(key_exists(PNP_REG_MACHINE "\\Software\\kmhost\\Toaster"));
    assert_sz(itf, "DeviceInstance", "ROOT\\TOASTER\\0000");
    char params[1024];
    snprintf(params, sizeof(params), "%s\\#\\Device Parameters", itf);
    assert_sz(params, "Label", "100% toasty");
}

static void device_install_is_idempotent_and_numbers_driver_keys(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    free(install_toaster(f, &r));

    device("ROOT\\TOASTER\\0000", toaster_ids, NULL, &d);
    char *before = registry_dump();
    device("ROOT\\TOASTER\\0000", toaster_ids, NULL, &d);
    char *after = registry_dump();
    assert_same_text(before, after);
    assert_string_equal(d.driver, TOASTER_GUID "\\0000");
    /* Another device of the class gets the next driver key. */
    device("ROOT\\TOASTER\\0001", toaster_ids, NULL, &d);
    assert_string_equal(d.driver, TOASTER_GUID "\\0001");
    assert_sz(PNP_REG_ENUM "\\ROOT\\TOASTER\\0001", "Driver", TOASTER_GUID "\\0001");
    free(before);
    free(after);
}

static void compatible_id_selects_driver_after_hardware_ids(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    static const char *const hw[] = { "PCI\\VEN_1234&DEV_0001", "PCI\\VEN_1234", NULL };
    static const char *const compat[] = { "Nothing\\Here", "toaster\\compatible", NULL };
    free(install_toaster(f, &r));

    device("PCI\\VEN_1234&DEV_0001\\3&11", hw, compat, &d);
    assert_true(d.match.compatible);
    assert_string_equal(d.match.matching_id, "toaster\\compatible");
    assert_string_equal(d.stack.service, "kmtoaster");
    assert_sz(PNP_REG_CLASS "\\" TOASTER_GUID "\\0000", "MatchingDeviceId", "toaster\\compatible");
    char **ids = NULL, **cids = NULL;
    assert_int_equal(pnp_registry_device_ids("PCI\\VEN_1234&DEV_0001\\3&11", &ids, &cids,
                                             NULL, 0), 0);
    assert_string_equal(ids[1], "PCI\\VEN_1234");
    assert_null(ids[2]);
    assert_string_equal(cids[1], "toaster\\compatible");
    pnp_strv_free(ids);
    pnp_strv_free(cids);
}

static void filter_inf_upper_filter_lands_on_device(void **state)
{
    struct fixture *f = *state;
    static const char *const files[] = { "kmfilter.sys", NULL };
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    free(install_toaster(f, &r));
    char *path = package(f, "filter.inf", files);
    install(path, &r);

    /* Both list ROOT\TOASTER; the filter package's newer DriverVer wins. */
    device("ROOT\\TOASTER\\0000", toaster_ids, NULL, &d);
    assert_string_equal(d.match.inf_name, "oem1.inf");
    assert_multi(TOASTER_ENUM, "UpperFilters", "kmfilter");
    assert_false(key_exists(TOASTER_ENUM "\\Device Parameters\\UpperFilters"));
    assert_int_equal(d.stack.nupper, 1);
    assert_string_equal(d.stack.upper[0], "kmfilter");
    assert_int_equal(d.stack.nlower, 0);
    assert_sz(PNP_REG_SERVICES "\\kmfilter", "Group", "PnP Filter");
    free(path);
}

static void legacy_model_device_gets_event_log_source(void **state)
{
    struct fixture *f = *state;
    static const char *const files[] = { "kmlegacy.sys", NULL };
    static const char *const ids[] = { "ACPI\\PNP0C01", "*PNP0C01", NULL };
    const char *log = PNP_REG_SERVICES "\\EventLog\\System\\kmlegacy";
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    char *path = package(f, "legacy.inf", files);
    install(path, &r);

    assert_false(pnp_device_is_installed("ACPI\\PNP0C01\\0"));
    device("ACPI\\PNP0C01\\0", ids, NULL, &d);
    assert_true(pnp_device_is_installed("ACPI\\PNP0C01\\0"));
    assert_string_equal(d.match.matching_id, "*PNP0C01");
    assert_string_equal(d.stack.service, "kmlegacy");
    assert_sz(log, "EventMessageFile", "%SystemRoot%\\System32\\IoLogMsg.dll");
    assert_int_equal(value_type(log, "EventMessageFile"), 2);
    assert_dword(log, "TypesSupported", 7);
    /* An undecorated DDInstall: no extension; its AddReg lands in the driver key. */
    assert_sz(d.driver_key, "InfSectionExt", "");
    assert_dword(d.driver_key, "LegacySetting", 1);
    assert_sz(PNP_REG_CLASS "\\{4d36e97d-e325-11ce-bfc1-08002be10318}", "Class", "System");
    free(path);
}

/* A function driver with a device upper filter and a class lower filter. */
static const char stacked_inf[] =
    "[Version]\nSignature=\"$Windows NT$\"\nClass=Stacked\n"
    "ClassGuid={11111111-2222-3333-4444-555555555555}\nProvider=kmhost\n"
    "DriverVer=01/01/2025,1.0.0.0\n"
    "[DestinationDirs]\nDefaultDestDir=12\n"
    "[Manufacturer]\nkmhost=M,NTamd64\n[M.NTamd64]\nStacked=S,ROOT\\STACKED\n"
    "[S.NT]\nCopyFiles=@fn.sys,@up.sys,@low.sys\n"
    "AddReg=ClassFilter\n[ClassFilter]\n"
    "HKLM,System\\CurrentControlSet\\Control\\Class\\{11111111-2222-3333-4444-555555555555},"
    "LowerFilters,0x00010008,low\n"
    "[S.NT.HW]\nAddReg=Hw\n[Hw]\nHKR,,UpperFilters,0x00010000,up\nHKR,,Setting,0x10001,7\n"
    "[S.NT.Services]\nAddService=fn,2,Svc_fn\nAddService=up,,Svc_up\nAddService=low,,Svc_low\n"
    "[Svc_fn]\nServiceType=1\nStartType=3\nErrorControl=1\nServiceBinary=%12%\\fn.sys\n"
    "[Svc_up]\nServiceType=1\nStartType=3\nErrorControl=1\nServiceBinary=%12%\\up.sys\n"
    "[Svc_low]\nServiceType=1\nStartType=3\nErrorControl=1\nServiceBinary=%12%\\low.sys\n";

static void device_stack_lists_filters_in_load_order(void **state)
{
    struct fixture *f = *state;
    static const char *const ids[] = { "ROOT\\STACKED", NULL };
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    struct pnp_device_stack s;
    char path[4096];

    write_file(f->pkg, "stacked.inf", stacked_inf);
    write_file(f->pkg, "fn.sys", "fn");
    write_file(f->pkg, "up.sys", "up");
    write_file(f->pkg, "low.sys", "low");
    install(pkg_file(f, "stacked.inf", path, sizeof(path)), &r);
    device("ROOT\\STACKED\\0000", ids, NULL, &d);
    assert_int_equal(pnp_registry_device_stack("ROOT\\STACKED\\0000", &s, NULL, 0), 0);
    assert_string_equal(s.service, "fn");
    assert_int_equal(s.nupper, 1);
    assert_string_equal(s.upper[0], "up");
    assert_int_equal(s.nlower, 1);
    assert_string_equal(s.lower[0], "low");
    assert_memory_equal(&s, &d.stack, sizeof(s));
    /* Not a device property: the hardware key (Device Parameters) keeps it. */
    assert_dword(PNP_REG_ENUM "\\ROOT\\STACKED\\0000\\Device Parameters", "Setting", 7);
}

/* ---- failures ---- */

static void unknown_hardware_id_is_enoent_naming_it(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    static const char *const ids[] = { "ROOT\\NOPE", NULL };
    static const char *const compat[] = { "Nope\\Compatible", NULL };
    char err[512] = "";
    free(install_toaster(f, &r));
    char *before = registry_dump();

    assert_int_equal(pnp_device_install("ROOT\\NOPE\\0000", ids, compat, NULL, err, sizeof(err)),
                     -ENOENT);
    assert_string_equal(err, "no driver installed for ROOT\\NOPE, Nope\\Compatible");
    struct pnp_driver_match m;
    assert_int_equal(pnp_driver_lookup(ids, NULL, &m, err, sizeof(err)), -ENOENT);
    assert_non_null(strstr(err, "ROOT\\NOPE"));
    char *after = registry_dump();
    assert_same_text(before, after);
    assert_int_equal(pnp_device_install("ROOT\\NOPE", ids, NULL, NULL, err, sizeof(err)), -EINVAL);
    free(before);
    free(after);
}

static void malformed_inf_fails_with_location_and_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    char err[1024] = "";
    free(install_toaster(f, &r));
    char *path = package(f, "bad-quote.inf", NULL);
    char *reg = registry_dump(), *files = root_listing(f);

    assert_int_equal(pnp_inf_install(path, &r, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "bad-quote.inf:4:"));
    char *reg2 = registry_dump(), *files2 = root_listing(f);
    assert_same_text(reg, reg2);
    assert_same_text(files, files2);
    assert_false(root_has(f, "inf/oem1.inf"));
    free(path), free(reg), free(files), free(reg2), free(files2);
}

static void missing_driver_file_names_it_and_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    char err[1024] = "", *path = package(f, "filter.inf", NULL); /* no kmfilter.sys */
    char *reg = registry_dump(), *files = root_listing(f);

    assert_int_equal(pnp_inf_install(path, &r, err, sizeof(err)), -ENOENT);
    assert_non_null(strstr(err, "kmfilter.sys"));
    char *reg2 = registry_dump(), *files2 = root_listing(f);
    assert_same_text(reg, reg2);
    assert_same_text(files, files2);
    /* Not even the store's directories were left behind. */
    assert_false(root_has(f, "inf"));
    assert_false(root_has(f, "drivers"));
    free(path), free(reg), free(files), free(reg2), free(files2);
}

static void failure_inside_the_batch_rolls_everything_back(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    char err[1024] = "", path[4096], longname[300];
    free(install_toaster(f, &r));
    char *reg = registry_dump(), *files = root_listing(f);

    /* A key name past 255 characters fails in [DefaultInstall]'s AddReg,
     * after the driver database was written and before files are staged. */
    memset(longname, 'k', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    char *inf = NULL;
    assert_true(asprintf(&inf, "[Version]\nSignature=\"$Windows NT$\"\nClass=X\n"
                         "ClassGuid={11111111-2222-3333-4444-555555555555}\n"
                         "[Manufacturer]\nm=M,NTamd64\n[M.NTamd64]\nd=I,ROOT\\BROKEN\n[I]\n"
                         "[DefaultInstall]\nAddReg=R\n[R]\nHKLM,Software\\%s,v,0x10001,1\n",
                         longname) > 0);
    write_file(f->pkg, "broken.inf", inf);
    assert_int_equal(pnp_inf_install(pkg_file(f, "broken.inf", path, sizeof(path)), &r, err,
                                     sizeof(err)), -ENAMETOOLONG);
    assert_non_null(strstr(err, "broken.inf"));
    char *reg2 = registry_dump(), *files2 = root_listing(f);
    assert_same_text(reg, reg2);
    assert_same_text(files, files2);
    free(inf), free(reg), free(files), free(reg2), free(files2);
}

static void failing_device_install_changes_nothing(void **state)
{
    struct fixture *f = *state;
    static const char *const ids[] = { "ROOT\\BADDEV", NULL };
    struct pnp_install_result r;
    char err[1024] = "", path[4096], longname[300];

    memset(longname, 'k', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    char *inf = NULL;
    assert_true(asprintf(&inf, "[Version]\nSignature=\"$Windows NT$\"\nClass=X\n"
                         "ClassGuid={11111111-2222-3333-4444-555555555555}\n"
                         "[Manufacturer]\nm=M,NTamd64\n[M.NTamd64]\nd=I,ROOT\\BADDEV\n"
                         "[I.NT]\nAddReg=R\n[R]\nHKR,%s,v,0x10001,1\n", longname) > 0);
    write_file(f->pkg, "baddev.inf", inf);
    install(pkg_file(f, "baddev.inf", path, sizeof(path)), &r);
    char *reg = registry_dump();
    assert_int_equal(pnp_device_install("ROOT\\BADDEV\\0", ids, NULL, NULL, err, sizeof(err)),
                     -ENAMETOOLONG);
    assert_non_null(strstr(err, "[R] line"));
    char *reg2 = registry_dump();
    assert_same_text(reg, reg2);
    assert_false(key_exists(PNP_REG_ENUM "\\ROOT\\BADDEV"));
    free(inf), free(reg), free(reg2);
}

static void calls_without_open_registry_fail_with_enodev(void **state)
{
    struct fixture *f = *state;
    static const char *const files[] = { "kmtoaster.sys", NULL };
    char err[512] = "", *path = package(f, "toaster.inf", files);
    struct pnp_device_stack s;

    nt_registry_close();
    assert_int_equal(pnp_inf_install(path, NULL, err, sizeof(err)), -ENODEV);
    assert_string_equal(err, "the kmhost registry is not open");
    assert_false(root_has(f, "inf"));
    assert_int_equal(pnp_device_install("ROOT\\TOASTER\\0000", toaster_ids, NULL, NULL, err,
                                        sizeof(err)), -ENODEV);
    assert_int_equal(pnp_registry_device_stack("ROOT\\TOASTER\\0000", &s, err, sizeof(err)),
                     -ENODEV);
    assert_false(pnp_device_is_installed("ROOT\\TOASTER\\0000"));
    assert_int_equal(nt_registry_open(NULL, err, sizeof(err)), 0); /* for teardown */
    free(path);
}

/* ---- uninstall ---- */

static void uninstall_removes_package_keeps_services(void **state)
{
    struct fixture *f = *state;
    static const char *const files[] = { "kmlegacy.sys", NULL };
    struct pnp_install_result r;
    char err[512] = "";
    char *path = package(f, "legacy.inf", files);
    install(path, &r);

    assert_int_equal(pnp_inf_uninstall("oem0.inf", err, sizeof(err)), 0);
    assert_false(key_exists(PNP_REG_DRIVER_PACKAGES "\\oem0.inf"));
    assert_false(key_exists(PNP_REG_DEVICE_IDS "\\*PNP0C01"));
    assert_false(key_exists(PNP_REG_DEVICE_IDS "\\*PNP0C02"));
    assert_false(root_has(f, "inf/oem0.inf"));
    assert_true(key_exists(PNP_REG_SERVICES "\\kmlegacy"));
    assert_int_equal(pnp_inf_uninstall("oem0.inf", err, sizeof(err)), -ENOENT);
    assert_int_equal(pnp_inf_uninstall("../x.inf", err, sizeof(err)), -EINVAL);
    /* Installing again takes the freed number. */
    install(path, &r);
    assert_string_equal(r.inf_name, "oem0.inf");
    free(path);
}

static void uninstall_refuses_package_in_use(void **state)
{
    struct fixture *f = *state;
    struct pnp_install_result r;
    struct pnp_device_install_result d;
    char err[512] = "";
    free(install_toaster(f, &r));
    device("ROOT\\TOASTER\\0000", toaster_ids, NULL, &d);

    assert_int_equal(pnp_inf_uninstall("oem0.inf", err, sizeof(err)), -EBUSY);
    assert_non_null(strstr(err, "ROOT\\TOASTER\\0000"));
    assert_true(key_exists(PNP_REG_DRIVER_PACKAGES "\\oem0.inf"));
    assert_true(root_has(f, "inf/oem0.inf"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(inf_install_stores_inf_and_driver_files),
        T(inf_install_records_driver_database),
        T(reinstall_reuses_oem_name_another_package_gets_next),
        T(legacy_default_install_creates_its_service),
        T(device_install_writes_enum_key),
        T(device_install_creates_service_with_kmdf_parameters),
        T(device_install_writes_driver_key_and_interfaces),
        T(device_install_is_idempotent_and_numbers_driver_keys),
        T(compatible_id_selects_driver_after_hardware_ids),
        T(filter_inf_upper_filter_lands_on_device),
        T(legacy_model_device_gets_event_log_source),
        T(device_stack_lists_filters_in_load_order),
        T(unknown_hardware_id_is_enoent_naming_it),
        T(malformed_inf_fails_with_location_and_changes_nothing),
        T(missing_driver_file_names_it_and_changes_nothing),
        T(failure_inside_the_batch_rolls_everything_back),
        T(failing_device_install_changes_nothing),
        T(calls_without_open_registry_fail_with_enodev),
        T(uninstall_removes_package_keeps_services),
        T(uninstall_refuses_package_in_use),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
