/*
 * Driver packages: adding one to the driver store (pnputil /add-driver)
 * and removing it. What the installer writes, key by key (all under
 * \Registry\Machine\System; strings REG_SZ unless said):
 *
 * Package install (this file, driverdb.c):
 *   $ROOT/inf/oemN.inf, $ROOT/drivers/<every driver file of the package>
 *   DriverDatabase\DeviceIds\<id>            <oemN.inf> = install section
 *   DriverDatabase\DriverPackages\<oemN.inf> OriginalInfName, InfPath,
 *       Provider, Class, ClassGuid, DriverVer; DeviceIds (REG_MULTI_SZ)
 *   and for a [DefaultInstall]: its services and its AddReg (HKLM...).
 * Device install (install_device.c):
 *   CurrentControlSet\Enum\<instance>        HardwareID, CompatibleIDs
 *       (REG_MULTI_SZ), Service, ClassGUID, Class, DeviceDesc, Mfg,
 *       Driver ("{guid}\NNNN"), ConfigFlags (REG_DWORD 0), and the device
 *       properties of the .HW AddReg (UpperFilters, LowerFilters...)
 *   CurrentControlSet\Enum\<instance>\Device Parameters   the rest of the
 *       .HW AddReg (the hardware key)
 *   CurrentControlSet\Control\Class\{guid}   Class (and whatever the INF's
 *       AddReg puts there, e.g. class UpperFilters/LowerFilters)
 *   CurrentControlSet\Control\Class\{guid}\NNNN   the driver key: InfPath,
 *       InfSection, InfSectionExt, MatchingDeviceId, DriverDesc,
 *       DriverVersion, DriverDate, ProviderName, and the DDInstall and
 *       .CoInstallers AddReg
 *   CurrentControlSet\Services\<name>        see install_service.c, plus the
 *       service-install section's AddReg; EventLog\<log>\<name> for an
 *       event-log-install section
 *   CurrentControlSet\Control\DeviceClasses\{iface}\##?#<instance with
 *       '#'>#{iface}   DeviceInstance; its subkey "#<ref>" and that key's
 *       "Device Parameters" (HKR of the add-interface section)
 */
#include "pnp/install.h"
#include "nt/nt.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct package_file {
    const char *name; /* points into a plan */
    char *source;
};

/* Everything pnp_inf_install checks before it writes anything. */
struct package {
    const char *path;
    const char *base; /* the INF's file name */
    char dir[PATH_MAX];
    struct inf *inf;
    struct inf_model_list *models;
    struct inf_plan **plans; /* one per model, then [DefaultInstall]'s */
    size_t nplans;
    struct inf_plan *dflt;
    struct package_file *files;
    size_t nfiles;
};

static void package_free(struct package *p)
{
    for (size_t i = 0; i < p->nfiles; i++)
        free(p->files[i].source);
    free(p->files);
    for (size_t i = 0; i < p->nplans; i++)
        inf_plan_free(p->plans[i]);
    free(p->plans);
    inf_models_free(p->models);
    inf_free(p->inf);
}

static int inf_failed(struct pnp_txn *t, int rc, const struct inf_error *ierr)
{
    char msg[1024];

    if (!ierr->file[0] && !ierr->message[0])
        return pnp_errorf(t, rc, "%s", strerror(-rc));
    inf_error_format(ierr, msg, sizeof(msg));
    return pnp_errorf(t, rc, "%s", msg);
}

/* Plans every model and [DefaultInstall], so a package that could not
 * install a device is refused now rather than when the device appears. */
static int package_plan(struct pnp_txn *t, struct package *p)
{
    struct inf_error ierr = { 0 };
    int rc = inf_plan_models(p->inf, &p->models, &ierr);

    if (rc < 0)
        return inf_failed(t, rc, &ierr);
    p->plans = calloc(p->models->count + 1, sizeof(*p->plans));
    if (!p->plans)
        return pnp_errorf(t, -ENOMEM, "out of memory");
    for (size_t i = 0; i < p->models->count; i++, p->nplans++)
        if ((rc = inf_plan_for_model(p->inf, &p->models->models[i], &p->plans[i], &ierr)) < 0)
            return inf_failed(t, rc, &ierr);
    rc = inf_plan_default_install(p->inf, &p->dflt, &ierr);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return inf_failed(t, rc, &ierr);
    p->plans[p->nplans++] = p->dflt;
    return 0;
}

/* kmhost loads drivers only: files bound for the drivers directory or the
 * driver store, or that a service runs. Co-installers and other user-mode
 * files have no use here (the framework is built in). */
static bool is_driver_file(const struct inf_plan *plan, const struct inf_file_copy *f)
{
    if (f->dest_dirid == INF_DIRID_DRIVERS || f->dest_dirid == INF_DIRID_DRIVER_STORE)
        return true;
    for (size_t i = 0; i < plan->nservices; i++)
        if (plan->services[i].binary_file && !strcasecmp(plan->services[i].binary_file,
                                                         f->dest_name))
            return true;
    return false;
}

/* dir/name when it is a regular file; NULL otherwise. */
static char *regular_file(const char *dir, const char *name)
{
    char *path = NULL;
    struct stat st;

    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    if (!stat(path, &st) && S_ISREG(st.st_mode))
        return path;
    free(path);
    return NULL;
}

/* Where SourceDisks* put the file, else beside the INF (a WDK package
 * folder is flat), else the same name in another case (INFs are written
 * for a case-insensitive file system). */
static char *find_source(const char *dir, const char *source)
{
    const char *base = strrchr(source, '/') ? strrchr(source, '/') + 1 : source;
    char *path = regular_file(dir, source);

    if (!path)
        path = regular_file(dir, base);
    DIR *d = path ? NULL : opendir(dir);
    for (struct dirent *e; d && !path && (e = readdir(d));)
        if (!strcasecmp(e->d_name, base))
            path = regular_file(dir, e->d_name);
    if (d)
        closedir(d);
    return path;
}

static int add_file(struct pnp_txn *t, struct package *p, const struct inf_file_copy *f)
{
    for (size_t i = 0; i < p->nfiles; i++)
        if (!strcasecmp(p->files[i].name, f->dest_name))
            return 0;
    if (strchr(f->dest_name, '/') || strchr(f->dest_name, '\\') || f->dest_name[0] == '.')
        return pnp_errorf(t, -EINVAL, "%s:%u: bad file name '%s'", p->path, f->line,
                          f->dest_name);
    char *src = find_source(p->dir, f->source);
    if (!src)
        return pnp_errorf(t, -ENOENT, "%s:%u: driver file %s is missing from the package "
                          "(looked for %s/%s%s)", p->path, f->line, f->dest_name, p->dir,
                          f->source, strchr(f->source, '/') ? " and beside the INF" : "");
    struct package_file *more = realloc(p->files, (p->nfiles + 1) * sizeof(*more));
    if (!more) {
        free(src);
        return pnp_errorf(t, -ENOMEM, "out of memory");
    }
    p->files = more;
    p->files[p->nfiles++] = (struct package_file){ .name = f->dest_name, .source = src };
    return 0;
}

static int package_files(struct pnp_txn *t, struct package *p)
{
    for (size_t i = 0; i < p->nplans; i++) {
        const struct inf_plan *plan = p->plans[i];
        for (size_t j = 0; j < plan->nfiles; j++) {
            const struct inf_file_copy *f = &plan->files[j];
            if (!is_driver_file(plan, f)) {
                kmh_log(KMH_LOG_DEBUG, "pnp", "%s: %s (dirid %d) is no driver; not copied",
                        p->path, f->dest_name, f->dest_dirid);
                continue;
            }
            int rc = add_file(t, p, f);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int package_load(struct pnp_txn *t, const char *path, struct package *p)
{
    struct inf_error ierr = { 0 };
    const char *slash = strrchr(path, '/');
    int rc;

    p->path = path;
    p->base = slash ? slash + 1 : path;
    snprintf(p->dir, sizeof(p->dir), "%.*s", slash ? (int)(slash - path) : 1,
             slash ? path : ".");
    if (slash == path)
        snprintf(p->dir, sizeof(p->dir), "/");
    if ((rc = inf_load(path, &p->inf, &ierr)) < 0)
        return inf_failed(t, rc, &ierr);
    if ((rc = package_plan(t, p)) < 0)
        return rc;
    return package_files(t, p);
}

static int package_store(struct pnp_txn *t, struct package *p, struct pnp_install_result *r)
{
    char dir[PATH_MAX];
    int rc = pnp_driverdb_find_same(t, p->base, p->path, r->inf_name, sizeof(r->inf_name));

    r->reused = rc == 0;
    r->model_count = p->models->count;
    rc = r->reused ? pnp_driverdb_remove_package(t, r->inf_name)
                   : pnp_driverdb_next_name(t, r->inf_name, sizeof(r->inf_name));
    if (rc == 0)
        rc = pnp_driverdb_add_package(t, r->inf_name, p->base, p->inf, p->models);
    if (rc == 0 && p->dflt)
        rc = pnp_services_install(t, p->dflt, r->services, PNP_MAX_SERVICES, &r->nservices);
    if (rc == 0 && p->dflt)
        rc = pnp_apply_regs(t, p->dflt, &(struct pnp_reg_roots){ 0 });
    snprintf(dir, sizeof(dir), "%s/inf", nt_root_dir());
    if (rc == 0 && !r->reused)
        rc = pnp_stage_file(t, p->path, dir, r->inf_name);
    snprintf(dir, sizeof(dir), "%s/drivers", nt_root_dir());
    for (size_t i = 0; rc == 0 && i < p->nfiles; i++)
        rc = pnp_stage_file(t, p->files[i].source, dir, p->files[i].name);
    return rc;
}

int pnp_inf_install(const char *inf_path, struct pnp_install_result *result, char *err,
                    size_t err_size)
{
    struct pnp_install_result local;
    struct package p = { 0 };
    struct pnp_txn check = { .err = err, .err_size = err_size }, t;

    if (!result)
        result = &local;
    memset(result, 0, sizeof(*result));
    if (!inf_path || !*inf_path)
        return pnp_errorf(&check, -EINVAL, "no INF path given");
    int rc = package_load(&check, inf_path, &p);
    if (rc == 0 && (rc = pnp_txn_begin(&t, err, err_size)) == 0)
        rc = pnp_txn_end(&t, package_store(&t, &p, result));
    if (rc < 0)
        memset(result, 0, sizeof(*result)); /* nothing was installed */
    package_free(&p);
    return rc;
}

/* -EBUSY when an installed device's driver key names the package. */
static int check_unused(struct pnp_txn *t, const char *inf_name)
{
    struct regstore_key e, d, inst, key;
    char driver[PNP_KEY_PATH_MAX], inf[PNP_INF_NAME_MAX];
    int rc = 0;

    if (regstore_key_open(t->rs, REGSTORE_KEY_NONE, PNP_REG_ENUM, &e) < 0)
        return 0;
    for (uint32_t i = 0; rc == 0 && regstore_key_enum(t->rs, e, i, &d) == 0; i++)
        for (uint32_t j = 0; rc == 0 && regstore_key_enum(t->rs, d, j, &inst) == 0; j++)
            for (uint32_t k = 0; rc == 0 && regstore_key_enum(t->rs, inst, k, &key) == 0; k++) {
                char path[PNP_KEY_PATH_MAX];
                struct regstore_key drv;
                if (pnp_get_string(t->rs, key, "Driver", driver, sizeof(driver)) < 0 ||
                    snprintf(path, sizeof(path), PNP_REG_CLASS "\\%s", driver) >= (int)sizeof(path) ||
                    regstore_key_open(t->rs, REGSTORE_KEY_NONE, path, &drv) < 0 ||
                    pnp_get_string(t->rs, drv, "InfPath", inf, sizeof(inf)) < 0 ||
                    strcasecmp(inf, inf_name))
                    continue;
                char *full = NULL;
                regstore_key_path(t->rs, key, &full);
                rc = pnp_errorf(t, -EBUSY, "%s is in use by the device %s", inf_name,
                                full ? full + strlen(PNP_REG_ENUM "\\") : "?");
                free(full);
            }
    return rc;
}

static bool is_stored_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 8 || n >= PNP_INF_NAME_MAX || strncasecmp(name, "oem", 3) ||
        strcasecmp(name + n - 4, ".inf"))
        return false;
    for (size_t i = 3; i < n - 4; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

int pnp_inf_uninstall(const char *stored_inf_name, char *err, size_t err_size)
{
    struct pnp_txn t = { .err = err, .err_size = err_size };
    char path[PATH_MAX];

    if (!is_stored_name(stored_inf_name))
        return pnp_errorf(&t, -EINVAL, "'%s' is not a stored INF name (oemN.inf)",
                          stored_inf_name ? stored_inf_name : "(null)");
    int rc = pnp_txn_begin(&t, err, err_size);
    if (rc < 0)
        return rc;
    rc = check_unused(&t, stored_inf_name);
    if (rc == 0)
        rc = pnp_driverdb_remove_package(&t, stored_inf_name);
    if ((rc = pnp_txn_end(&t, rc)) < 0)
        return rc;
    /* After the commit: a file left by a crash here is skipped by
     * pnp_driverdb_next_name and never matched by a reinstall. */
    snprintf(path, sizeof(path), "%s/inf/%s", nt_root_dir(), stored_inf_name);
    if (unlink(path) < 0 && errno != ENOENT)
        kmh_log(KMH_LOG_WARNING, "pnp", "cannot remove %s: %s", path, strerror(errno));
    return 0;
}
