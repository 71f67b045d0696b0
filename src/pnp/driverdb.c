/*
 * The driver database: which stored package offers which device IDs. The
 * layout is kmhost's own (Windows keeps its DriverDatabase private):
 *
 *   \Registry\Machine\System\DriverDatabase\DeviceIds\<id>
 *       <oemN.inf> : REG_SZ   the install section of the model listing <id>
 *                             (as its models line names it, undecorated)
 *   \Registry\Machine\System\DriverDatabase\DriverPackages\<oemN.inf>
 *       OriginalInfName, InfPath ($ROOT/inf/oemN.inf), Provider, Class,
 *       ClassGuid, DriverVer ("mm/dd/yyyy,w.x.y.z") : REG_SZ
 *       DeviceIds : REG_MULTI_SZ  every <id> above, so uninstalling finds them
 *
 * An <id> with '\' in it ("ROOT\TOASTER") is a path of keys, as Windows
 * stores it; key names compare case-insensitively, as IDs do.
 */
#include "pnp/install.h"
#include "nt/nt.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int package_key(struct pnp_txn *t, const char *inf_name, struct regstore_key *key,
                       bool create)
{
    char path[PNP_KEY_PATH_MAX];

    snprintf(path, sizeof(path), PNP_REG_DRIVER_PACKAGES "\\%s", inf_name);
    if (create)
        return pnp_key_create(t, path, key);
    return regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, key);
}

/* Appends id to list unless there (case-insensitive); list has room. */
static void id_add(const char **list, size_t *n, const char *id)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcasecmp(list[i], id))
            return;
    list[(*n)++] = id;
}

/* Every ID of every model, once; the first model listing one names its section. */
static int collect_ids(const struct inf_model_list *models, const char ***ids,
                       const char ***sections, size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < models->count; i++)
        cap += 1 + models->models[i].ncompatible_ids;
    *n = 0;
    *ids = calloc(cap + 1, sizeof(**ids));
    *sections = calloc(cap + 1, sizeof(**sections));
    if (!*ids || !*sections)
        return -ENOMEM;
    for (size_t i = 0; i < models->count; i++) {
        const struct inf_model *m = &models->models[i];
        for (size_t j = 0; j <= m->ncompatible_ids; j++) {
            const char *id = j == 0 ? m->hardware_id : m->compatible_ids[j - 1];
            size_t before = *n;
            if (id && *id)
                id_add(*ids, n, id);
            if (*n > before)
                (*sections)[before] = m->install_section;
        }
    }
    return 0;
}

static int write_ids(struct pnp_txn *t, const char *inf_name, const char **ids,
                     const char **sections, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct regstore_key key;
        int rc = pnp_key_createf(t, &key, PNP_REG_DEVICE_IDS "\\%s", ids[i]);
        if (rc == 0)
            rc = pnp_set_string(t, key, inf_name, INF_REG_SZ, sections[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int write_package(struct pnp_txn *t, const char *inf_name, const char *original,
                         const struct inf *inf, const char **ids, size_t n)
{
    const struct inf_line *dv = inf_section_find_key(inf_section_find(inf, "Version"),
                                                     "DriverVer");
    char inf_path[PATH_MAX], driver_ver[256];
    const char *values[][2] = {
        { "OriginalInfName", original },
        { "InfPath", inf_path },
        { "Provider", inf_value(inf, "Version", "Provider") },
        { "Class", inf_value(inf, "Version", "Class") },
        { "ClassGuid", inf_value(inf, "Version", "ClassGuid") },
        { "DriverVer", dv && dv->nfields ? driver_ver : NULL },
    };
    struct regstore_key key;
    int rc = package_key(t, inf_name, &key, true);

    snprintf(inf_path, sizeof(inf_path), "%s/inf/%s", nt_root_dir(), inf_name);
    snprintf(driver_ver, sizeof(driver_ver), "%s%s%s", dv && dv->nfields ? dv->fields[0] : "",
             dv && dv->nfields > 1 ? "," : "", dv && dv->nfields > 1 ? dv->fields[1] : "");
    for (size_t i = 0; rc == 0 && i < KMH_ARRAY_SIZE(values); i++)
        if (values[i][1])
            rc = pnp_set_string(t, key, values[i][0], INF_REG_SZ, values[i][1]);
    return rc < 0 ? rc : pnp_set_multi(t, key, "DeviceIds", ids, n);
}

int pnp_driverdb_add_package(struct pnp_txn *t, const char *inf_name, const char *original,
                             const struct inf *inf, const struct inf_model_list *models)
{
    const char **ids = NULL, **sections = NULL;
    size_t n;
    int rc = collect_ids(models, &ids, &sections, &n);

    if (rc < 0)
        rc = pnp_errorf(t, rc, "out of memory");
    if (rc == 0)
        rc = write_ids(t, inf_name, ids, sections, n);
    if (rc == 0)
        rc = write_package(t, inf_name, original, inf, ids, n);
    free(ids);
    free(sections);
    return rc;
}

/* Removes inf_name's value from DeviceIds\<id>, then the keys it leaves empty. */
static int remove_id(struct pnp_txn *t, const char *inf_name, const char *id)
{
    char path[PNP_KEY_PATH_MAX];
    struct regstore_key key;
    int rc;

    snprintf(path, sizeof(path), PNP_REG_DEVICE_IDS "\\%s", id);
    if (regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, &key) < 0)
        return 0;
    if ((rc = pnp_delete_value(t, key, inf_name)) < 0)
        return rc;
    /* Climb from DeviceIds\ROOT\TOASTER up, deleting keys left empty. */
    while (strlen(path) > strlen(PNP_REG_DEVICE_IDS)) {
        struct regstore_key_info info = { 0 };
        if (regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, &key) < 0 ||
            regstore_key_query(t->rs, key, &info) < 0)
            return pnp_reg_error(t, -EIO, "cannot read the driver database");
        bool empty = !info.subkeys && !info.values;
        regstore_key_info_clear(&info);
        if (!empty)
            break;
        if ((rc = regstore_key_delete(t->rs, key)) < 0)
            return pnp_reg_error(t, rc, "cannot prune the driver database");
        *strrchr(path, '\\') = 0;
    }
    return 0;
}

int pnp_driverdb_remove_package(struct pnp_txn *t, const char *inf_name)
{
    struct regstore_key key;
    char **ids = NULL;
    int rc = package_key(t, inf_name, &key, false);

    if (rc < 0)
        return rc == -ENOENT ? pnp_errorf(t, rc, "no driver package %s is installed", inf_name)
                             : pnp_reg_error(t, rc, "cannot open the driver package");
    rc = pnp_get_multi(t->rs, key, "DeviceIds", &ids);
    if (rc < 0 && rc != -ENOENT)
        return pnp_reg_error(t, rc, "cannot read the package's device IDs");
    for (size_t i = 0; ids && ids[i] && rc >= 0; i++)
        rc = remove_id(t, inf_name, ids[i]);
    pnp_strv_free(ids);
    if (rc >= 0 && (rc = regstore_key_delete_tree(t->rs, key)) < 0)
        rc = pnp_reg_error(t, rc, "cannot delete the driver package");
    return rc < 0 ? rc : 0;
}

int pnp_driverdb_find_same(struct pnp_txn *t, const char *original_name, const char *path,
                           char *inf_name, size_t size)
{
    struct regstore_key dir, key;

    if (regstore_key_open(t->rs, REGSTORE_KEY_NONE, PNP_REG_DRIVER_PACKAGES, &dir) < 0)
        return -ENOENT;
    for (uint32_t i = 0; regstore_key_enum(t->rs, dir, i, &key) == 0; i++) {
        struct regstore_key_info info = { 0 };
        char original[PATH_MAX], stored[PATH_MAX];
        bool same = false;
        if (regstore_key_query(t->rs, key, &info) < 0)
            continue;
        if (pnp_get_string(t->rs, key, "OriginalInfName", original, sizeof(original)) == 0 &&
            !strcasecmp(original, original_name)) {
            snprintf(stored, sizeof(stored), "%s/inf/%s", nt_root_dir(), info.name);
            same = pnp_files_equal(stored, path) && strlen(info.name) < size;
        }
        if (same)
            snprintf(inf_name, size, "%s", info.name);
        regstore_key_info_clear(&info);
        if (same)
            return 0;
    }
    return -ENOENT;
}

int pnp_driverdb_next_name(struct pnp_txn *t, char *inf_name, size_t size)
{
    for (unsigned n = 0; n < 100000; n++) {
        char file[PATH_MAX];
        struct regstore_key key;
        snprintf(inf_name, size, "oem%u.inf", n);
        snprintf(file, sizeof(file), "%s/inf/%s", nt_root_dir(), inf_name);
        /* A file without a record is a leftover of a crash: keep clear of it. */
        if (package_key(t, inf_name, &key, false) == -ENOENT && access(file, F_OK) < 0)
            return 0;
    }
    return pnp_errorf(t, -ENOSPC, "no free oemN.inf name left");
}

int pnp_driverdb_load_inf(struct pnp_txn *t, const char *inf_name, struct inf **out)
{
    char path[PATH_MAX], original[PATH_MAX] = "";
    struct regstore_key key;
    struct inf_error ierr = { 0 };
    size_t size = 0;

    snprintf(path, sizeof(path), "%s/inf/%s", nt_root_dir(), inf_name);
    if (package_key(t, inf_name, &key, false) == 0)
        pnp_get_string(t->rs, key, "OriginalInfName", original, sizeof(original));
    size_t olen = strlen(original);
    /* Stored as oemN.inf, an .inx still needs stampinf's substitutions. */
    unsigned flags = olen > 4 && !strcasecmp(original + olen - 4, ".inx") ? INF_LOAD_INX : 0;
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    if (!f)
        return pnp_errorf(t, -errno, "cannot read the stored INF %s: %s", path, strerror(errno));
    int rc = fseek(f, 0, SEEK_END) == 0 && (size = (size_t)ftell(f)) < (64u << 20) &&
             fseek(f, 0, SEEK_SET) == 0 && (data = malloc(size + 1)) &&
             fread(data, 1, size, f) == size ? 0 : -EIO;
    fclose(f);
    if (rc == 0 && (rc = inf_load_buffer(path, data, size, flags, out, &ierr)) < 0) {
        char msg[768];
        inf_error_format(&ierr, msg, sizeof(msg));
        pnp_errorf(t, rc, "%s", msg);
    } else if (rc < 0) {
        pnp_errorf(t, rc, "cannot read the stored INF %s", path);
    }
    free(data);
    return rc;
}

/* How a package ranks among those listing the same ID: newest DriverVer
 * date, then version, then the package stored last. */
struct candidate {
    char inf_name[PNP_INF_NAME_MAX];
    char section[PNP_NAME_MAX];
    uint32_t date;
    uint64_t version;
    unsigned long oem;
};

static void candidate_rank(struct regstore *rs, struct candidate *c)
{
    char path[PNP_KEY_PATH_MAX], ver[256] = "";
    struct regstore_key key;
    unsigned m = 0, d = 0, y = 0, part[4] = { 0 };

    snprintf(path, sizeof(path), PNP_REG_DRIVER_PACKAGES "\\%s", c->inf_name);
    if (regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) == 0)
        pnp_get_string(rs, key, "DriverVer", ver, sizeof(ver));
    sscanf(ver, "%u/%u/%u", &m, &d, &y);
    const char *v = strchr(ver, ',');
    if (v)
        sscanf(v + 1, "%u.%u.%u.%u", &part[0], &part[1], &part[2], &part[3]);
    c->date = y * 10000u + m * 100u + d;
    c->version = 0;
    for (int i = 0; i < 4; i++)
        c->version = c->version << 16 | (part[i] & 0xFFFFu);
    c->oem = strtoul(c->inf_name + 3, NULL, 10);
}

static bool candidate_beats(const struct candidate *a, const struct candidate *b)
{
    if (a->date != b->date)
        return a->date > b->date;
    if (a->version != b->version)
        return a->version > b->version;
    return a->oem > b->oem;
}

/* The best package listing id; false when none does. */
static bool lookup_id(struct regstore *rs, const char *id, struct candidate *best)
{
    char path[PNP_KEY_PATH_MAX];
    struct regstore_key key;
    struct regstore_value v = { 0 };
    bool found = false;

    if (snprintf(path, sizeof(path), PNP_REG_DEVICE_IDS "\\%s", id) >= (int)sizeof(path) ||
        regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key) < 0)
        return false;
    for (uint32_t i = 0; regstore_value_enum(rs, key, i, &v) == 0; i++) {
        struct candidate c = { 0 };
        char *section = v.type == INF_REG_SZ ? pnp_utf8_from_utf16le(v.data, v.size) : NULL;
        if (section && strlen(v.name) < sizeof(c.inf_name) && strlen(section) < sizeof(c.section)) {
            strcpy(c.inf_name, v.name);
            strcpy(c.section, section);
            candidate_rank(rs, &c);
            if (!found || candidate_beats(&c, best))
                *best = c;
            found = true;
        }
        free(section);
        regstore_value_clear(&v);
    }
    return found;
}

int pnp_driverdb_lookup(struct regstore *rs, const char *const *hardware_ids,
                        const char *const *compatible_ids, struct pnp_driver_match *match)
{
    for (int compatible = 0; compatible < 2; compatible++) {
        const char *const *ids = compatible ? compatible_ids : hardware_ids;
        for (size_t i = 0; ids && ids[i]; i++) {
            struct candidate best;
            if (!*ids[i] || strlen(ids[i]) >= sizeof(match->matching_id) ||
                !lookup_id(rs, ids[i], &best))
                continue;
            memset(match, 0, sizeof(*match));
            strcpy(match->inf_name, best.inf_name);
            strcpy(match->install_section, best.section);
            strcpy(match->matching_id, ids[i]);
            match->compatible = compatible;
            return 0;
        }
    }
    return -ENOENT;
}
