/*
 * Applying an install plan's registry operations (AddReg and DelReg of
 * every section it ran) with the meaning setupapi gives their flags, each
 * HKR resolved to the key it stands for in this install.
 *
 * HKR of a DDInstall.HW section is the device's hardware key, the one
 * drivers open with IoOpenDeviceRegistryKey(PLUGPLAY_REGKEY_DEVICE):
 * Enum\<instance>\Device Parameters. The device properties an INF sets
 * there (UpperFilters, LowerFilters, DeviceCharacteristics, DeviceType,
 * Exclusive, Security) are not driver parameters but properties the PnP
 * manager reads (IoGetDeviceProperty, stack building), which Windows keeps
 * on the device instance key: they go to Enum\<instance> itself.
 */
#include "pnp/install.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const pnp_device_properties[] = {
    "UpperFilters", "LowerFilters", "DeviceCharacteristics", "DeviceType", "Exclusive",
    "Security", NULL,
};

static bool is_device_property(const struct inf_reg_op *op)
{
    if (op->subkey && *op->subkey)
        return false;
    for (size_t i = 0; op->value_name && pnp_device_properties[i]; i++)
        if (!strcasecmp(op->value_name, pnp_device_properties[i]))
            return true;
    return false;
}

int pnp_interface_key_path(const char *instance, const char *guid, const char *reference,
                           char *out, size_t size)
{
    char link[PNP_ID_MAX];
    int n = snprintf(link, sizeof(link), "%s", instance);

    if (n < 0 || (size_t)n >= sizeof(link))
        return -ENAMETOOLONG;
    for (char *c = link; *c; c++)
        if (*c == '\\')
            *c = '#';
    /* The key is named after the interface's symbolic link, \\?\ROOT#X#0000#{guid},
     * with '\' turned to '#'; the reference string keys the instance under it. */
    n = snprintf(out, size, PNP_REG_DEVICE_CLASSES "\\%s\\##?#%s#%s\\#%s", guid, link, guid,
                 reference ? reference : "");
    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* The interface HKR names "guid" or "guid\ref": its Device Parameters key. */
static int interface_root(const struct pnp_reg_roots *r, const char *root_name, char *out,
                          size_t size)
{
    char guid[PNP_GUID_STRING_MAX + 1];
    const char *ref = strchr(root_name, '\\');
    size_t glen = ref ? (size_t)(ref - root_name) : strlen(root_name);

    if (glen >= sizeof(guid))
        return -EINVAL;
    memcpy(guid, root_name, glen);
    guid[glen] = 0;
    int rc = pnp_interface_key_path(r->instance, guid, ref ? ref + 1 : NULL, out, size);
    size_t len = strlen(out);
    if (rc == 0 && snprintf(out + len, size - len, "\\" PNP_DEVICE_PARAMETERS) >=
                       (int)(size - len))
        rc = -ENAMETOOLONG;
    return rc;
}

/* The key HKR (or HKLM...) stands for; NULL base when this install has none. */
static int root_path(const struct pnp_reg_roots *r, const struct inf_reg_op *op, char *out,
                     size_t size)
{
    const char *base = NULL, *fmt = "%s";
    switch (op->root) {
    case INF_ROOT_SERVICE: fmt = PNP_REG_SERVICES "\\%s"; base = op->root_name; break;
    case INF_ROOT_EVENTLOG: fmt = PNP_REG_SERVICES "\\EventLog\\%s"; base = op->root_name; break;
    case INF_ROOT_DRIVER: base = r->driver_key; break;
    case INF_ROOT_HARDWARE:
        fmt = is_device_property(op) ? "%s" : "%s\\" PNP_DEVICE_PARAMETERS;
        base = r->instance_key;
        break;
    case INF_ROOT_INTERFACE:
        return r->instance ? interface_root(r, op->root_name, out, size) : -ENXIO;
    case INF_ROOT_HKLM: base = PNP_REG_MACHINE; break;
    case INF_ROOT_HKCR: base = PNP_REG_MACHINE "\\Software\\Classes"; break;
    /* Installs run as LocalSystem, whose HKCU is the default user's hive. */
    case INF_ROOT_HKCU: base = "\\Registry\\User\\.DEFAULT"; break;
    case INF_ROOT_HKU: base = "\\Registry\\User"; break;
    }
    if (!base)
        return -ENXIO;
    int n = snprintf(out, size, fmt, base);
    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* root_path plus the op's subkey, without the stray '\' INFs put around it. */
static int op_path(struct pnp_txn *t, const struct pnp_reg_roots *r,
                   const struct inf_reg_op *op, char *out, size_t size)
{
    int rc = root_path(r, op, out, size);
    const char *sub = op->subkey ? op->subkey : "";

    if (rc == -ENXIO)
        return pnp_errorf(t, -EINVAL, "HKR has no key to stand for here");
    if (rc < 0)
        return pnp_errorf(t, rc, "registry path too long");
    while (*sub == '\\')
        sub++;
    size_t len = strlen(out), sublen = strlen(sub);
    while (sublen && sub[sublen - 1] == '\\')
        sublen--;
    if (sublen && snprintf(out + len, size - len, "\\%.*s", (int)sublen, sub) >= (int)(size - len))
        return pnp_errorf(t, -ENAMETOOLONG, "registry path too long");
    return 0;
}

static bool strv_has(char **list, const char *s)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcasecmp(list[i], s))
            return true;
    return false;
}

static size_t strv_len(char **list)
{
    size_t n = 0;
    while (list && list[n])
        n++;
    return n;
}

/* FLG_ADDREG_APPEND: the op's strings that the value lacks go at its end;
 * DELSTRING: the op's string leaves the value. Case-insensitive, as setupapi. */
static int edit_multi(struct pnp_txn *t, struct regstore_key key, const struct inf_reg_op *op,
                      bool append)
{
    char **old = NULL, **add = NULL;
    int rc = pnp_get_multi(t->rs, key, op->value_name, &old);

    if (rc < 0 && rc != -ENOENT && rc != -EPROTOTYPE)
        return pnp_reg_error(t, rc, "cannot read a REG_MULTI_SZ value");
    if (rc < 0 && !append)
        return 0; /* no list to remove the string from */
    add = pnp_multi_parse(op->data, op->size);
    size_t nold = strv_len(old), nadd = strv_len(add), n = 0;
    const char **out = calloc(nold + nadd + 1, sizeof(*out));
    if (!add || !out) {
        rc = pnp_errorf(t, -ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nold; i++)
        if (append || !strv_has(add, old[i]))
            out[n++] = old[i];
    for (size_t i = 0; append && i < nadd; i++)
        if (!strv_has(old, add[i]) && !strv_has((char **)out, add[i]))
            out[n++] = add[i];
    rc = pnp_set_multi(t, key, op->value_name, out, n);
out:
    free(out);
    pnp_strv_free(old);
    pnp_strv_free(add);
    return rc;
}

static int apply_set(struct pnp_txn *t, struct regstore_key key, const struct inf_reg_op *op)
{
    struct regstore_value old = { 0 };
    int rc = regstore_value_query(t->rs, key, op->value_name, &old);

    if (rc < 0 && rc != -ENOENT)
        return pnp_reg_error(t, rc, "cannot read a value");
    bool exists = rc == 0;
    regstore_value_clear(&old);
    if ((exists && (op->flags & INF_FLG_ADDREG_NOCLOBBER)) ||
        (!exists && (op->flags & INF_FLG_ADDREG_OVERWRITEONLY)))
        return 0;
    if ((op->flags & INF_FLG_ADDREG_APPEND) && op->type == INF_REG_MULTI_SZ)
        return edit_multi(t, key, op, true);
    rc = regstore_value_set(t->rs, key, op->value_name, op->type, op->data, op->size);
    return rc < 0 ? pnp_reg_error(t, rc, "cannot set a value") : 0;
}

/* Deleting what is not there is no error, as in setupapi. */
static int apply_delete(struct pnp_txn *t, const char *path, const struct inf_reg_op *op)
{
    struct regstore_key key;
    int rc = regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, &key);

    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return pnp_reg_error(t, rc, "cannot open a key");
    switch (op->action) {
    case INF_REG_DELETE_VALUE:
        return pnp_delete_value(t, key, op->value_name);
    case INF_REG_DELETE_STRING:
        return edit_multi(t, key, op, false);
    case INF_REG_DELETE_KEY:
        /* "HKR," alone would delete the device's or service's own key. */
        if (!op->subkey || !*op->subkey)
            return 0;
        rc = regstore_key_delete_tree(t->rs, key);
        return rc < 0 ? pnp_reg_error(t, rc, "cannot delete a key") : 0;
    default:
        return 0;
    }
}

static int apply_one(struct pnp_txn *t, const struct pnp_reg_roots *roots,
                     const struct inf_reg_op *op)
{
    char path[PNP_KEY_PATH_MAX * 2];
    struct regstore_key key;
    int rc = op_path(t, roots, op, path, sizeof(path));

    if (rc < 0)
        return rc;
    if (op->action != INF_REG_SET && op->action != INF_REG_CREATE_KEY)
        return apply_delete(t, path, op);
    if ((rc = pnp_key_create(t, path, &key)) < 0)
        return rc;
    return op->action == INF_REG_SET ? apply_set(t, key, op) : 0;
}

int pnp_apply_regs(struct pnp_txn *t, const struct inf_plan *plan,
                   const struct pnp_reg_roots *roots)
{
    for (size_t i = 0; i < plan->nregs; i++) {
        const struct inf_reg_op *op = &plan->regs[i];
        int rc = apply_one(t, roots, op);
        if (rc < 0) {
            /* Say where in the INF the failing entry was. */
            char why[256];
            snprintf(why, sizeof(why), "%s", t->err && t->err_size ? t->err : "");
            return pnp_errorf(t, rc, "%s: [%s] line %u: %s", plan->inf_path, op->section,
                              op->line, why);
        }
    }
    return 0;
}
