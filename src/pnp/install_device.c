/*
 * Installing a device, as Windows does when a devnode first appears: the
 * best stored package for its IDs, planned for the ID that matched, is
 * applied to this device's keys (install.c's opening comment lists them).
 *
 * What the previous install of the device set is not left to linger: the
 * driver key is rewritten from the INF (keeping its number), and the Enum
 * key's values that installs own (IDs, Service, Driver..., and the device
 * properties: UpperFilters, LowerFilters...) are rebuilt, so the stack is
 * what the current INF says. Other values of the Enum key, and the Device
 * Parameters key where drivers and users store settings, are kept. Running
 * it twice yields the same registry.
 */
#include "pnp/install.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct device {
    const char *instance;
    const char *const *hardware_ids;
    const char *const *compatible_ids;
    char enum_key[PNP_KEY_PATH_MAX];
    struct inf *inf;
    struct inf_plan *plan;
};

/* ENUMERATOR\DEVICE\INSTANCE, three non-empty components. */
static bool instance_ok(const char *path)
{
    size_t parts = 1, len = path ? strlen(path) : 0;

    if (!len || len >= PNP_ID_MAX || path[0] == '\\' || path[len - 1] == '\\' ||
        strstr(path, "\\\\"))
        return false;
    for (const char *c = path; *c; c++)
        parts += *c == '\\';
    return parts == 3;
}

static int plan_device(struct pnp_txn *t, struct device *dev, struct pnp_driver_match *match)
{
    struct inf_error ierr = { 0 };
    int rc = pnp_driverdb_lookup(t->rs, dev->hardware_ids, dev->compatible_ids, match);

    if (rc == -ENOENT)
        return pnp_no_driver_error(t, dev->hardware_ids, dev->compatible_ids);
    if (rc < 0 || (rc = pnp_driverdb_load_inf(t, match->inf_name, &dev->inf)) < 0)
        return rc;
    rc = inf_plan_for_hardware_id(dev->inf, match->matching_id, &dev->plan, &ierr);
    if (rc < 0) {
        char msg[1024];
        inf_error_format(&ierr, msg, sizeof(msg));
        return pnp_errorf(t, rc, "%s", msg);
    }
    for (size_t i = 0; i < dev->plan->nwarnings; i++)
        kmh_log(KMH_LOG_WARNING, "pnp", "%s (%s): %s", match->inf_name,
                dev->plan->inf_path, dev->plan->warnings[i]);
    const char *guid = dev->plan->class_guid;
    if (!guid || !*guid || strchr(guid, '\\') || strlen(guid) >= PNP_GUID_STRING_MAX)
        return pnp_errorf(t, -EINVAL, "%s: no valid ClassGuid in [Version]", dev->plan->inf_path);
    return 0;
}

/* The device's driver key number: its own when it stays in the same
 * class, else the first free one. The old key's content goes. */
static int pick_driver_key(struct pnp_txn *t, const struct device *dev,
                           struct pnp_device_install_result *r)
{
    const char *guid = dev->plan->class_guid;
    size_t glen = strlen(guid);
    char old[PNP_KEY_PATH_MAX] = "", path[PNP_KEY_PATH_MAX * 2];
    struct regstore_key key;

    if (regstore_key_open(t->rs, REGSTORE_KEY_NONE, dev->enum_key, &key) == 0)
        pnp_get_string(t->rs, key, "Driver", old, sizeof(old));
    snprintf(path, sizeof(path), PNP_REG_CLASS "\\%s", old);
    if (*old && regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, &key) == 0) {
        int rc = regstore_key_delete_tree(t->rs, key);
        if (rc < 0)
            return pnp_reg_error(t, rc, "cannot clear the old driver key");
    }
    bool found = !strncasecmp(old, guid, glen) && old[glen] == '\\' &&
                 strlen(old + glen + 1) == 4; /* same class: keep the number */
    for (unsigned n = 0; !found && n < 10000; n++) {
        snprintf(old, sizeof(old), "%s\\%04u", guid, n);
        snprintf(path, sizeof(path), PNP_REG_CLASS "\\%s", old);
        found = regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, &key) == -ENOENT;
    }
    if (!found)
        return pnp_errorf(t, -ENOSPC, "class %s has no free driver key", guid);
    snprintf(r->driver, sizeof(r->driver), "%s", old);
    snprintf(r->driver_key, sizeof(r->driver_key), PNP_REG_CLASS "\\%s", old);
    return 0;
}

/* "03/14/2024" as Windows writes DriverDate: "3-14-2024". */
static void driver_date(const char *date, char *out, size_t size)
{
    unsigned m = 0, d = 0, y = 0;

    if (date && sscanf(date, "%u/%u/%u", &m, &d, &y) == 3)
        snprintf(out, size, "%u-%u-%u", m, d, y);
    else
        snprintf(out, size, "%s", date ? date : "");
}

static int driver_values(struct pnp_txn *t, const struct device *dev,
                         const struct pnp_device_install_result *r)
{
    const struct inf_plan *plan = dev->plan;
    const char *base = plan->model.install_section;
    size_t blen = strlen(base);
    char date[64], id[PNP_ID_MAX];
    struct regstore_key key;
    int rc = pnp_key_create(t, r->driver_key, &key);

    driver_date(plan->driver_date, date, sizeof(date));
    for (size_t i = 0; i <= strlen(r->match.matching_id); i++) /* Windows keeps it lower case */
        id[i] = (char)tolower((unsigned char)r->match.matching_id[i]);
    const char *values[][2] = {
        { "InfPath", r->match.inf_name },
        { "InfSection", base },
        { "InfSectionExt", !strncasecmp(plan->install_section, base, blen)
                               ? plan->install_section + blen : "" },
        { "MatchingDeviceId", id },
        { "DriverDesc", plan->model.description },
        { "DriverVersion", plan->driver_version },
        { "DriverDate", plan->driver_date ? date : NULL },
        { "ProviderName", plan->provider },
    };
    for (size_t i = 0; rc == 0 && i < KMH_ARRAY_SIZE(values); i++)
        if (values[i][1])
            rc = pnp_set_string(t, key, values[i][0], INF_REG_SZ, values[i][1]);
    return rc;
}

static int set_ids(struct pnp_txn *t, struct regstore_key key, const char *name,
                   const char *const *ids)
{
    size_t n = 0;
    while (ids && ids[n])
        n++;
    return n ? pnp_set_multi(t, key, name, ids, n) : pnp_delete_value(t, key, name);
}

/* The values an install owns go first, so that each install writes them
 * afresh in the same order: the result does not depend on what was there. */
static int enum_clear(struct pnp_txn *t, struct regstore_key key)
{
    static const char *const owned[] = { "HardwareID", "CompatibleIDs", "Service", "ClassGUID",
                                         "Class", "DeviceDesc", "Mfg", "Driver",
                                         "ConfigFlags" };
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < KMH_ARRAY_SIZE(owned); i++)
        rc = pnp_delete_value(t, key, owned[i]);
    for (size_t i = 0; rc == 0 && pnp_device_properties[i]; i++)
        rc = pnp_delete_value(t, key, pnp_device_properties[i]);
    return rc;
}

static int enum_values(struct pnp_txn *t, const struct device *dev,
                       const struct pnp_device_install_result *r)
{
    const struct inf_plan *plan = dev->plan;
    struct regstore_key key, params;
    int rc = pnp_key_create(t, dev->enum_key, &key);

    if (rc == 0)
        rc = enum_clear(t, key);
    if (rc == 0)
        rc = set_ids(t, key, "HardwareID", dev->hardware_ids);
    if (rc == 0)
        rc = set_ids(t, key, "CompatibleIDs", dev->compatible_ids);
    const char *values[][2] = {
        { "Service", plan->function_service && *plan->function_service
                         ? plan->function_service : NULL },
        { "ClassGUID", plan->class_guid }, { "Class", plan->class_name },
        { "DeviceDesc", plan->model.description }, { "Mfg", plan->model.manufacturer },
        { "Driver", r->driver },
    };
    for (size_t i = 0; rc == 0 && i < KMH_ARRAY_SIZE(values); i++)
        if (values[i][1])
            rc = pnp_set_string(t, key, values[i][0], INF_REG_SZ, values[i][1]);
    if (rc == 0)
        rc = pnp_set_dword(t, key, "ConfigFlags", 0);
    if (rc == 0)
        rc = pnp_key_createf(t, &params, "%s\\" PNP_DEVICE_PARAMETERS, dev->enum_key);
    return rc;
}

static int class_values(struct pnp_txn *t, const struct inf_plan *plan)
{
    struct regstore_key key;
    int rc = pnp_key_createf(t, &key, PNP_REG_CLASS "\\%s", plan->class_guid);
    if (rc == 0 && plan->class_name)
        rc = pnp_set_string(t, key, "Class", INF_REG_SZ, plan->class_name);
    return rc;
}

static int interfaces(struct pnp_txn *t, const struct device *dev)
{
    for (size_t i = 0; i < dev->plan->ninterfaces; i++) {
        const struct inf_interface *itf = &dev->plan->interfaces[i];
        char path[PNP_KEY_PATH_MAX * 2];
        struct regstore_key key;
        if (pnp_interface_key_path(dev->instance, itf->class_guid, itf->reference, path,
                                   sizeof(path)) < 0)
            return pnp_errorf(t, -ENAMETOOLONG, "interface key path too long");
        int rc = pnp_key_create(t, path, &key);
        *strrchr(path, '\\') = 0; /* the ##?# key above "#ref" */
        if (rc == 0)
            rc = pnp_key_create(t, path, &key);
        if (rc == 0)
            rc = pnp_set_string(t, key, "DeviceInstance", INF_REG_SZ, dev->instance);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int device_apply(struct pnp_txn *t, struct device *dev,
                        struct pnp_device_install_result *r)
{
    struct pnp_reg_roots roots = { .driver_key = r->driver_key,
                                   .instance_key = dev->enum_key,
                                   .instance = dev->instance };
    int rc = plan_device(t, dev, &r->match);

    if (rc == 0)
        rc = class_values(t, dev->plan);
    if (rc == 0)
        rc = pick_driver_key(t, dev, r);
    if (rc == 0)
        rc = driver_values(t, dev, r);
    if (rc == 0)
        rc = enum_values(t, dev, r);
    if (rc == 0)
        rc = pnp_services_install(t, dev->plan, NULL, 0, NULL);
    if (rc == 0)
        rc = interfaces(t, dev);
    if (rc == 0)
        rc = pnp_apply_regs(t, dev->plan, &roots);
    if (rc == 0)
        rc = pnp_stack_read(t, dev->instance, &r->stack);
    return rc;
}

int pnp_device_install(const char *instance_path, const char *const *hardware_ids,
                       const char *const *compatible_ids,
                       struct pnp_device_install_result *result, char *err, size_t err_size)
{
    struct pnp_device_install_result local;
    struct device dev = { .instance = instance_path, .hardware_ids = hardware_ids,
                          .compatible_ids = compatible_ids };
    struct pnp_txn t = { .err = err, .err_size = err_size };

    if (!result)
        result = &local;
    memset(result, 0, sizeof(*result));
    if (!instance_ok(instance_path))
        return pnp_errorf(&t, -EINVAL, "'%s' is not a device instance path "
                          "(ENUMERATOR\\DEVICE\\INSTANCE)", instance_path ? instance_path : "");
    if (!hardware_ids || !hardware_ids[0])
        return pnp_errorf(&t, -EINVAL, "%s has no hardware ID", instance_path);
    if (snprintf(dev.enum_key, sizeof(dev.enum_key), PNP_REG_ENUM "\\%s", instance_path) >=
        (int)sizeof(dev.enum_key))
        return pnp_errorf(&t, -ENAMETOOLONG, "device instance path too long");
    int rc = pnp_txn_begin(&t, err, err_size);
    if (rc == 0)
        rc = pnp_txn_end(&t, device_apply(&t, &dev, result));
    if (rc < 0)
        memset(result, 0, sizeof(*result));
    inf_plan_free(dev.plan);
    inf_free(dev.inf);
    return rc;
}
