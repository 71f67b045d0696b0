/*
 * What the rest of the PnP manager reads back from an install: a device's
 * IDs, the services of its stack, and which package its IDs select. Reads
 * only, of committed state: an install is seen whole or not at all, as each
 * commits in one batch (only a read racing a reinstall of the same device
 * could mix the two).
 */
#include "pnp/install.h"
#include "nt/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_begin(struct pnp_txn *t, char *err, size_t err_size)
{
    *t = (struct pnp_txn){ .err = err, .err_size = err_size };
    if (err && err_size)
        err[0] = 0;
    return pnp_registry_hold(t);
}

static int read_end(struct pnp_txn *t, int rc)
{
    pnp_registry_release(t);
    return rc;
}

static int open_enum_key(struct pnp_txn *t, const char *instance, struct regstore_key *key)
{
    char path[PNP_KEY_PATH_MAX];

    if (!instance || snprintf(path, sizeof(path), PNP_REG_ENUM "\\%s", instance) >=
                         (int)sizeof(path))
        return pnp_errorf(t, -EINVAL, "bad device instance path");
    int rc = regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, key);
    if (rc == -ENOENT || rc == -EINVAL)
        return pnp_errorf(t, -ENOENT, "the device %s is not installed", instance);
    return rc < 0 ? pnp_reg_error(t, rc, "cannot open the device's key") : 0;
}

/* Appends the filters of key's value name to list; a missing value adds none. */
static int add_filters(struct pnp_txn *t, struct regstore_key key, const char *name,
                       char (*list)[PNP_NAME_MAX], size_t *n)
{
    char **v = NULL;
    int rc = pnp_get_multi(t->rs, key, name, &v);

    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return pnp_errorf(t, rc, "cannot read %s: %s", name, strerror(-rc));
    for (size_t i = 0; rc == 0 && v[i]; i++) {
        if (!*v[i])
            continue;
        if (*n == PNP_MAX_FILTERS || strlen(v[i]) >= PNP_NAME_MAX)
            rc = pnp_errorf(t, -E2BIG, "%s lists more or longer filters than kmhost takes", name);
        else
            snprintf(list[(*n)++], PNP_NAME_MAX, "%s", v[i]);
    }
    pnp_strv_free(v);
    return rc;
}

int pnp_stack_read(struct pnp_txn *t, const char *instance, struct pnp_device_stack *s)
{
    struct regstore_key dev, cls;
    char path[PNP_KEY_PATH_MAX];
    int rc = open_enum_key(t, instance, &dev);

    memset(s, 0, sizeof(*s));
    if (rc < 0)
        return rc;
    rc = pnp_get_string(t->rs, dev, "Service", s->service, sizeof(s->service));
    if (rc == 0 || rc == -ENOENT)
        rc = pnp_get_string(t->rs, dev, "ClassGUID", s->class_guid, sizeof(s->class_guid));
    if (rc < 0 && rc != -ENOENT)
        return pnp_errorf(t, rc, "cannot read the device's Service or ClassGUID: %s",
                          strerror(-rc));
    snprintf(path, sizeof(path), PNP_REG_CLASS "\\%s", s->class_guid);
    bool has_class = *s->class_guid &&
                     regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, &cls) == 0;
    /* Load order: device filters nearer the function driver than class filters. */
    rc = add_filters(t, dev, "LowerFilters", s->lower, &s->nlower);
    if (rc == 0 && has_class)
        rc = add_filters(t, cls, "LowerFilters", s->lower, &s->nlower);
    if (rc == 0)
        rc = add_filters(t, dev, "UpperFilters", s->upper, &s->nupper);
    if (rc == 0 && has_class)
        rc = add_filters(t, cls, "UpperFilters", s->upper, &s->nupper);
    return rc;
}

int pnp_registry_device_stack(const char *instance_path, struct pnp_device_stack *stack,
                              char *err, size_t err_size)
{
    struct pnp_txn t;
    int rc = read_begin(&t, err, err_size);
    return rc < 0 ? rc : read_end(&t, pnp_stack_read(&t, instance_path, stack));
}

bool pnp_device_is_installed(const char *instance_path)
{
    struct pnp_txn t;
    struct regstore_key key;
    char driver[PNP_KEY_PATH_MAX], path[PNP_KEY_PATH_MAX * 2];

    bool installed = false;

    if (read_begin(&t, NULL, 0) < 0)
        return false;
    if (open_enum_key(&t, instance_path, &key) == 0 &&
        pnp_get_string(t.rs, key, "Driver", driver, sizeof(driver)) == 0 && *driver &&
        snprintf(path, sizeof(path), PNP_REG_CLASS "\\%s", driver) < (int)sizeof(path))
        installed = regstore_key_open(t.rs, REGSTORE_KEY_NONE, path, &key) == 0;
    return read_end(&t, installed);
}

static int read_ids(struct pnp_txn *t, struct regstore_key key, const char *name, char ***out)
{
    if (!out)
        return 0;
    int rc = pnp_get_multi(t->rs, key, name, out);
    if (rc == -ENOENT) {
        *out = calloc(1, sizeof(**out));
        rc = *out ? 0 : -ENOMEM;
    }
    return rc < 0 ? pnp_errorf(t, rc, "cannot read %s: %s", name, strerror(-rc)) : 0;
}

int pnp_registry_device_ids(const char *instance_path, char ***hardware_ids,
                            char ***compatible_ids, char *err, size_t err_size)
{
    struct pnp_txn t;
    struct regstore_key key;
    int rc = read_begin(&t, err, err_size);

    if (hardware_ids)
        *hardware_ids = NULL;
    if (compatible_ids)
        *compatible_ids = NULL;
    if (rc == 0)
        rc = open_enum_key(&t, instance_path, &key);
    if (rc == 0)
        rc = read_ids(&t, key, "HardwareID", hardware_ids);
    if (rc == 0)
        rc = read_ids(&t, key, "CompatibleIDs", compatible_ids);
    if (rc < 0 && hardware_ids) {
        pnp_strv_free(*hardware_ids);
        *hardware_ids = NULL;
    }
    return read_end(&t, rc);
}

int pnp_no_driver_error(struct pnp_txn *t, const char *const *hardware_ids,
                        const char *const *compatible_ids)
{
    char ids[1024] = "";
    size_t at = 0;

    for (int pass = 0; pass < 2; pass++) {
        const char *const *list = pass ? compatible_ids : hardware_ids;
        for (size_t i = 0; list && list[i] && at < sizeof(ids); i++)
            at += (size_t)snprintf(ids + at, sizeof(ids) - at, "%s%s", at ? ", " : "",
                                   list[i]);
    }
    return pnp_errorf(t, -ENOENT, "no driver installed for %s", *ids ? ids : "a device with no IDs");
}

int pnp_driver_lookup(const char *const *hardware_ids, const char *const *compatible_ids,
                      struct pnp_driver_match *match, char *err, size_t err_size)
{
    struct pnp_txn t;
    int rc = read_begin(&t, err, err_size);

    if (rc < 0)
        return rc;
    rc = pnp_driverdb_lookup(t.rs, hardware_ids, compatible_ids, match);
    if (rc == -ENOENT)
        rc = pnp_no_driver_error(&t, hardware_ids, compatible_ids);
    return read_end(&t, rc);
}
