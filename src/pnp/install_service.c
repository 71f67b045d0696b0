/*
 * Services, as AddService and the service control manager leave them in
 * Services\<name>: Type, Start, ErrorControl (REG_DWORD), ImagePath
 * (REG_EXPAND_SZ "\SystemRoot\System32\drivers\<file>", where the loader
 * and the package install put every driver file), DisplayName,
 * Description, Group, ObjectName (REG_SZ), DependOnService and
 * DependOnGroup (REG_MULTI_SZ, split at the '+' that marks a group, as the
 * SCM stores an AddService Dependencies list). An existing service is
 * updated; the SPSVCINST_NOCLOBBER_* flags keep what they name. The
 * service-install section's AddReg is part of the plan's registry
 * operations (pnp_apply_regs). A KMDF driver's service also gets
 * Parameters\Wdf\KmdfLibraryVersion (REG_SZ), which the WDK's co-installer
 * writes and the framework's loader reads to bind the driver.
 */
#include "pnp/install.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPSVCINST_NOCLOBBER_DISPLAYNAME 0x00000008u
#define SPSVCINST_NOCLOBBER_STARTTYPE 0x00000010u
#define SPSVCINST_NOCLOBBER_ERRORCONTROL 0x00000020u
#define SPSVCINST_NOCLOBBER_LOADORDERGROUP 0x00000040u
#define SPSVCINST_NOCLOBBER_DEPENDENCIES 0x00000080u
#define SPSVCINST_NOCLOBBER_DESCRIPTION 0x00000100u

/* Whether this value may be written: new services take everything. */
static bool may_write(const struct inf_service *svc, bool existed, uint32_t noclobber)
{
    return !existed || !(svc->flags & noclobber);
}

static int service_dwords(struct pnp_txn *t, struct regstore_key key,
                          const struct inf_service *svc, bool existed)
{
    int rc = pnp_set_dword(t, key, "Type", svc->service_type);
    if (rc == 0 && may_write(svc, existed, SPSVCINST_NOCLOBBER_STARTTYPE))
        rc = pnp_set_dword(t, key, "Start", svc->start_type);
    if (rc == 0 && may_write(svc, existed, SPSVCINST_NOCLOBBER_ERRORCONTROL))
        rc = pnp_set_dword(t, key, "ErrorControl", svc->error_control);
    return rc;
}

static int service_dependencies(struct pnp_txn *t, struct regstore_key key,
                                const struct inf_service *svc)
{
    size_t n = svc->ndependencies, nsvc = 0, ngroup = 0;
    const char **services = calloc(n + 1, sizeof(*services));
    const char **groups = calloc(n + 1, sizeof(*groups));
    int rc = services && groups ? 0 : pnp_errorf(t, -ENOMEM, "out of memory");

    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *d = svc->dependencies[i];
        if (*d == '+')
            groups[ngroup++] = d + 1;
        else if (*d)
            services[nsvc++] = d;
    }
    if (rc == 0)
        rc = nsvc ? pnp_set_multi(t, key, "DependOnService", services, nsvc)
                  : pnp_delete_value(t, key, "DependOnService");
    if (rc == 0)
        rc = ngroup ? pnp_set_multi(t, key, "DependOnGroup", groups, ngroup)
                    : pnp_delete_value(t, key, "DependOnGroup");
    free(services);
    free(groups);
    return rc;
}

static int service_strings(struct pnp_txn *t, struct regstore_key key,
                           const struct inf_service *svc, bool existed)
{
    const struct { const char *name, *value; uint32_t noclobber; } v[] = {
        { "DisplayName", svc->display_name, SPSVCINST_NOCLOBBER_DISPLAYNAME },
        { "Description", svc->description, SPSVCINST_NOCLOBBER_DESCRIPTION },
        { "Group", svc->load_order_group, SPSVCINST_NOCLOBBER_LOADORDERGROUP },
        { "ObjectName", svc->start_name, 0 },
    };
    int rc = 0;

    if (svc->binary_file && *svc->binary_file) {
        char image[PNP_KEY_PATH_MAX];
        snprintf(image, sizeof(image), "\\SystemRoot\\System32\\drivers\\%s", svc->binary_file);
        rc = pnp_set_string(t, key, "ImagePath", INF_REG_EXPAND_SZ, image);
    }
    for (size_t i = 0; rc == 0 && i < KMH_ARRAY_SIZE(v); i++)
        if (v[i].value && may_write(svc, existed, v[i].noclobber))
            rc = pnp_set_string(t, key, v[i].name, INF_REG_SZ, v[i].value);
    if (rc == 0 && may_write(svc, existed, SPSVCINST_NOCLOBBER_DEPENDENCIES))
        rc = service_dependencies(t, key, svc);
    return rc;
}

static int service_install(struct pnp_txn *t, const struct inf_service *svc)
{
    struct regstore_key key;
    bool created = false;
    char path[PNP_KEY_PATH_MAX];

    if (strchr(svc->name, '\\') || strlen(svc->name) >= PNP_NAME_MAX)
        return pnp_errorf(t, -EINVAL, "invalid service name '%s' (line %u)", svc->name,
                          svc->line);
    snprintf(path, sizeof(path), PNP_REG_SERVICES "\\%s", svc->name);
    int rc = regstore_key_create(t->rs, REGSTORE_KEY_NONE, path, 0, &key, &created);
    if (rc < 0)
        return pnp_reg_error(t, rc, "cannot create the service key");
    rc = service_dwords(t, key, svc, !created);
    return rc < 0 ? rc : service_strings(t, key, svc, !created);
}

static int kmdf_parameters(struct pnp_txn *t, const struct inf_plan *plan)
{
    struct regstore_key key;

    if (!plan->has_kmdf || !plan->kmdf_service || !*plan->kmdf_service)
        return 0;
    if (strchr(plan->kmdf_service, '\\'))
        return pnp_errorf(t, -EINVAL, "invalid KmdfService name '%s'", plan->kmdf_service);
    int rc = pnp_key_createf(t, &key, PNP_REG_SERVICES "\\%s\\Parameters\\Wdf",
                             plan->kmdf_service);
    return rc < 0 ? rc : pnp_set_string(t, key, "KmdfLibraryVersion", INF_REG_SZ,
                                        plan->kmdf_library_version);
}

int pnp_services_install(struct pnp_txn *t, const struct inf_plan *plan,
                         char (*names)[PNP_NAME_MAX], size_t max, size_t *count)
{
    size_t n = 0;

    for (size_t i = 0; i < plan->nservices; i++) {
        const struct inf_service *svc = &plan->services[i];
        if (!*svc->name)
            continue; /* AddService=,2: the device needs no driver */
        int rc = service_install(t, svc);
        if (rc < 0)
            return rc;
        if (names && n == max)
            return pnp_errorf(t, -E2BIG, "more than %zu services to report", max);
        if (names)
            snprintf(names[n], PNP_NAME_MAX, "%s", svc->name);
        n++;
    }
    if (count)
        *count = n;
    return kmdf_parameters(t, plan);
}
