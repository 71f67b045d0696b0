/*
 * Installing driver packages and devices, as pnputil and the Windows device
 * installer do. Included by the files of src/pnp, by the kmhost command
 * (tools/) and by the tests; drivers never see it. The second half (after
 * "Shared by the install*.c files") is for src/pnp/install*.c and
 * src/pnp/driverdb.c only.
 *
 * Everything lands in the registry store nt_registry() returns and in the
 * kmhost root directory nt_root_dir() names ($ROOT):
 *   $ROOT/inf/oemN.inf    the driver store: installed INFs under new names
 *   $ROOT/drivers/X       driver files, what \SystemRoot\System32\drivers\X
 *                         means to the loader
 * and under \Registry\Machine\System:
 *   DriverDatabase\DeviceIds\<id>           value <oemN.inf> = install section
 *   DriverDatabase\DriverPackages\<oemN.inf> the package (OriginalInfName...)
 *   CurrentControlSet\Enum\<instance>        the device (HardwareID, Service,
 *                                             Driver, UpperFilters...)
 *   CurrentControlSet\Control\Class\{guid}[\NNNN]  class and driver keys
 *   CurrentControlSet\Services\<name>        services
 *   CurrentControlSet\Control\DeviceClasses\{guid}  interfaces the INF adds
 * install.c's opening comment lists every key and value.
 *
 * Each mutating call is atomic: one registry batch, with files copied to
 * temporary names that are renamed into place only after the batch
 * committed. When a call fails, nothing stored before it changed. Calls are
 * made at PASSIVE_LEVEL from any thread (they hold the registry's write
 * lock for their duration, so they serialise with every other writer, in
 * this process and others). They return 0 or a negative errno and, when
 * err is not NULL, put a sentence saying what went wrong into err.
 */
#ifndef KMHOST_PNP_INSTALL_H
#define KMHOST_PNP_INSTALL_H

#include "internal.h"

#include <stdbool.h>
#include <stddef.h>

#define PNP_NAME_MAX 257        /* a service or section name: 256 chars and the NUL */
#define PNP_INF_NAME_MAX 32     /* "oem4294967295.inf" */
#define PNP_GUID_STRING_MAX 39  /* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" */
#define PNP_ID_MAX 512          /* a hardware ID or device instance path */
#define PNP_KEY_PATH_MAX 512
#define PNP_MAX_SERVICES 16
#define PNP_MAX_FILTERS 16

#define PNP_REG_MACHINE "\\Registry\\Machine"
#define PNP_REG_CCS PNP_REG_MACHINE "\\System\\CurrentControlSet"
#define PNP_REG_SERVICES PNP_REG_CCS "\\Services"
#define PNP_REG_ENUM PNP_REG_CCS "\\Enum"
#define PNP_REG_CLASS PNP_REG_CCS "\\Control\\Class"
#define PNP_REG_DEVICE_CLASSES PNP_REG_CCS "\\Control\\DeviceClasses"
#define PNP_REG_DRIVER_DATABASE PNP_REG_MACHINE "\\System\\DriverDatabase"
#define PNP_REG_DEVICE_IDS PNP_REG_DRIVER_DATABASE "\\DeviceIds"
#define PNP_REG_DRIVER_PACKAGES PNP_REG_DRIVER_DATABASE "\\DriverPackages"
/* The device's hardware key, where HKR of a DDInstall.HW section points. */
#define PNP_DEVICE_PARAMETERS "Device Parameters"

struct pnp_install_result {
    char inf_name[PNP_INF_NAME_MAX]; /* "oem0.inf" */
    size_t model_count;              /* models the INF offers on amd64 */
    bool reused;                     /* the same package was already stored */
    size_t nservices;                /* services [DefaultInstall] created */
    char services[PNP_MAX_SERVICES][PNP_NAME_MAX];
};

/* What the PnP manager builds for a device, bottom up: lower filters (the
 * device's, then its class's), the function driver, upper filters (the
 * device's, then its class's). Names are services. */
struct pnp_device_stack {
    char service[PNP_NAME_MAX]; /* "" when there is none (a raw device) */
    char class_guid[PNP_GUID_STRING_MAX];
    size_t nlower, nupper;
    char lower[PNP_MAX_FILTERS][PNP_NAME_MAX];
    char upper[PNP_MAX_FILTERS][PNP_NAME_MAX];
};

/* Which installed package a device's IDs select. */
struct pnp_driver_match {
    char inf_name[PNP_INF_NAME_MAX];
    char install_section[PNP_NAME_MAX]; /* as the models line names it */
    char matching_id[PNP_ID_MAX];       /* the device's ID that matched */
    bool compatible;                    /* matched one of its compatible IDs */
};

struct pnp_device_install_result {
    struct pnp_device_stack stack;
    struct pnp_driver_match match;
    char driver[PNP_KEY_PATH_MAX];     /* the Enum key's Driver: "{guid}\\0000" */
    char driver_key[PNP_KEY_PATH_MAX]; /* that key's full registry path */
};

/*
 * pnp_inf_install - add a driver package to the driver store, as
 * "pnputil /add-driver x.inf": the INF becomes $ROOT/inf/oemN.inf (the
 * first free N; the same package, by original name and content, keeps its
 * N), every model's hardware and compatible IDs go into the driver
 * database, the files its models and [DefaultInstall] copy (taken from
 * beside the INF) go to $ROOT/drivers. A [DefaultInstall] section (a legacy
 * driver) is performed too: its services are created and its AddReg
 * applied. Devices are not touched: pnp_device_install binds them.
 * result may be NULL. Returns -EINVAL for a malformed INF or one whose
 * models cannot be planned (err: "file:line: message"), -ENOENT for a
 * missing INF or package file (err names it), -ENODEV when the registry is
 * not open, -E2BIG for more than PNP_MAX_SERVICES legacy services, -errno of
 * file operations, or the registry's errors.
 */
int pnp_inf_install(const char *inf_path, struct pnp_install_result *result, char *err,
                    size_t err_size);

/*
 * pnp_inf_uninstall - remove a stored package ("oem3.inf"): its driver
 * database entries and $ROOT/inf/oemN.inf. Services, driver files and
 * devices it installed stay, as with "pnputil /delete-driver" (a service
 * may be shared with other packages, and a running host may have the file
 * mapped). -ENOENT when no such package is stored, -EBUSY when a device is
 * still installed from it (err names the device), -EINVAL for a bad name.
 */
int pnp_inf_uninstall(const char *stored_inf_name, char *err, size_t err_size);

/*
 * pnp_driver_lookup - which stored package and section the PnP manager
 * would install for a device with these IDs (NULL-terminated lists;
 * compatible_ids may be NULL). Hardware IDs are tried first, then
 * compatible IDs, each list in order; the first ID some package lists
 * decides, and among the packages listing it the newest DriverVer (date,
 * then version) wins, then the most recently numbered. Changes nothing.
 * -ENOENT with "no driver installed for ROOT\\X" when none matches.
 */
int pnp_driver_lookup(const char *const *hardware_ids, const char *const *compatible_ids,
                      struct pnp_driver_match *match, char *err, size_t err_size);

/*
 * pnp_device_install - install a device that has just appeared, as Windows
 * does for a new devnode: pick its driver (pnp_driver_lookup), then write
 * its Enum key (IDs, Service, filters, Driver...), its driver key under
 * Control\Class\{guid}, the services of the INF's .Services section, the
 * AddReg of every section in the plan and the interfaces it adds. Running
 * it again for an installed device is idempotent and keeps its driver key.
 * instance_path is "ENUMERATOR\DEVICE\INSTANCE" ("ROOT\TOASTER\0000").
 * result may be NULL. -ENOENT when no package matches (err names the IDs),
 * -EINVAL for a bad path or empty ID list, -ENOSPC when the class has 10000
 * driver keys, -E2BIG past PNP_MAX_FILTERS filters, the errors of
 * pnp_inf_install for a stored INF that no longer loads.
 */
int pnp_device_install(const char *instance_path, const char *const *hardware_ids,
                       const char *const *compatible_ids,
                       struct pnp_device_install_result *result, char *err, size_t err_size);

/*
 * What the PnP device tree reads back; these read the registry only.
 *
 * pnp_device_is_installed - whether the device has been installed: its
 * Enum key names a driver key that exists. A devnode that is installed
 * need not be installed again when it reappears (Windows does not either);
 * false also when the registry is not open.
 *
 * pnp_registry_device_ids - the HardwareID and CompatibleIDs of an
 * installed device as malloc'd NULL-terminated lists (free them with
 * pnp_strv_free); either pointer may be NULL; a missing value is an empty
 * list. -ENOENT when the device has no Enum key.
 *
 * pnp_registry_device_stack - the services to load for a device, in the
 * order of struct pnp_device_stack, from its Enum key's Service,
 * LowerFilters and UpperFilters and its class key's. -ENOENT when the
 * device has no Enum key, -E2BIG past PNP_MAX_FILTERS filters.
 */
bool pnp_device_is_installed(const char *instance_path);
int pnp_registry_device_ids(const char *instance_path, char ***hardware_ids,
                            char ***compatible_ids, char *err, size_t err_size);
int pnp_registry_device_stack(const char *instance_path, struct pnp_device_stack *stack,
                              char *err, size_t err_size);
void pnp_strv_free(char **strv);

/* ---- Shared by the install*.c files; nothing else uses what follows ---- */

#include <stdint.h>

#include "nt/regstore.h"
#include "pnp/inf.h"

/* One mutating call: its registry batch and the files it stages. */
struct pnp_txn {
    struct regstore *rs;
    char *err;
    size_t err_size;
    struct pnp_staged *staged; /* files waiting for their rename */
    size_t nstaged, capstaged;
    char *made_dirs[2];        /* directories this call created */
    size_t nmade_dirs;
    bool held;                 /* holds a registry reference */
};

/* Takes a reference on the open registry for t (t->rs), so that it stays
 * open while t uses it; -ENODEV when it is not open, -EBUSY when it is open
 * at another root than nt_root_dir(). Release drops it (idempotent). */
int pnp_registry_hold(struct pnp_txn *t);
void pnp_registry_release(struct pnp_txn *t);
/* Holds the registry and opens a batch. */
int pnp_txn_begin(struct pnp_txn *t, char *err, size_t err_size);
/* Commits, then renames the staged files into place; on any failure before
 * the commit everything is undone. Returns rc when rc < 0 (after undoing).
 * Releases the registry. */
int pnp_txn_end(struct pnp_txn *t, int rc);

/* Formats err and returns code (negative). */
int pnp_errorf(struct pnp_txn *t, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A registry failure: rc with what was being done and regstore's reason. */
int pnp_reg_error(struct pnp_txn *t, int rc, const char *what);

/* Copies src to dir/name.tmp (creating dir) to be renamed at commit. */
int pnp_stage_file(struct pnp_txn *t, const char *src, const char *dir, const char *name);
/* Whether two files have the same bytes (false when either is unreadable). */
bool pnp_files_equal(const char *a, const char *b);

/* Registry helpers: paths are absolute; values are UTF-8 here. */
int pnp_key_create(struct pnp_txn *t, const char *path, struct regstore_key *key);
int pnp_key_createf(struct pnp_txn *t, struct regstore_key *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int pnp_set_string(struct pnp_txn *t, struct regstore_key key, const char *name,
                   uint32_t type, const char *value);
int pnp_set_dword(struct pnp_txn *t, struct regstore_key key, const char *name,
                  uint32_t value);
int pnp_set_multi(struct pnp_txn *t, struct regstore_key key, const char *name,
                  const char *const *list, size_t n);
int pnp_delete_value(struct pnp_txn *t, struct regstore_key key, const char *name);
/* A REG_SZ/REG_EXPAND_SZ value as UTF-8; -ENOENT, -ENAMETOOLONG if it does
 * not fit, -EPROTOTYPE for another type. */
int pnp_get_string(struct regstore *rs, struct regstore_key key, const char *name,
                   char *out, size_t size);
/* A REG_MULTI_SZ (or REG_SZ) value as a NULL-terminated malloc'd list. */
int pnp_get_multi(struct regstore *rs, struct regstore_key key, const char *name,
                  char ***out);
/* The strings of REG_MULTI_SZ data as a malloc'd NULL-terminated list. */
char **pnp_multi_parse(const uint8_t *data, size_t size);

size_t pnp_utf16le_from_utf8(const char *s, uint8_t *out); /* out NULL: count */
char *pnp_utf8_from_utf16le(const uint8_t *data, size_t size); /* malloc'd */

/* Where each HKR of a plan points, for one install. NULL: not available. */
struct pnp_reg_roots {
    const char *driver_key;   /* INF_ROOT_DRIVER */
    const char *instance_key; /* the Enum key (device properties) */
    const char *instance;     /* "ROOT\\TOASTER\\0000", for interface keys */
};
/* The value names a .HW AddReg sets on the instance key (NULL-terminated). */
extern const char *const pnp_device_properties[];
/* Applies every registry operation of plan, in order. */
int pnp_apply_regs(struct pnp_txn *t, const struct inf_plan *plan,
                   const struct pnp_reg_roots *roots);
/* The key of one device interface: DeviceClasses\{guid}\##?#...#{guid}\#ref. */
int pnp_interface_key_path(const char *instance, const char *guid, const char *reference,
                           char *out, size_t size);

/* Creates or updates every service of plan (and its KMDF parameters);
 * lists the names created in names (may be NULL) up to max. */
int pnp_services_install(struct pnp_txn *t, const struct inf_plan *plan,
                         char (*names)[PNP_NAME_MAX], size_t max, size_t *count);

/* -ENOENT with "no driver installed for ROOT\X, ..." naming every ID. */
int pnp_no_driver_error(struct pnp_txn *t, const char *const *hardware_ids,
                        const char *const *compatible_ids);
/* The stack of an installed device (pnp_registry_device_stack in a batch). */
int pnp_stack_read(struct pnp_txn *t, const char *instance, struct pnp_device_stack *stack);

/* Driver database (driverdb.c). */
int pnp_driverdb_add_package(struct pnp_txn *t, const char *inf_name, const char *original,
                             const struct inf *inf, const struct inf_model_list *models);
int pnp_driverdb_remove_package(struct pnp_txn *t, const char *inf_name);
/* The stored package with that original name and the content of path. */
int pnp_driverdb_find_same(struct pnp_txn *t, const char *original_name, const char *path,
                           char *inf_name, size_t size);
/* The first N with neither a package record nor a file $ROOT/inf/oemN.inf. */
int pnp_driverdb_next_name(struct pnp_txn *t, char *inf_name, size_t size);
int pnp_driverdb_lookup(struct regstore *rs, const char *const *hardware_ids,
                        const char *const *compatible_ids, struct pnp_driver_match *match);
/* Loads a stored INF (stamping it when the original was an .inx). */
int pnp_driverdb_load_inf(struct pnp_txn *t, const char *inf_name, struct inf **out);

#endif /* KMHOST_PNP_INSTALL_H */
