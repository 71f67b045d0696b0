/*
 * The install plan: from a model to everything its DDInstall section and
 * companions ask for. The DDInstall section is the model's install section
 * with the platform extension Windows picks on amd64 (.NTamd64, else .NT,
 * else none); its companions carry the same decorated name plus .HW,
 * .CoInstallers, .Services, .Interfaces and .Wdf. Each section kind says
 * which directives count in it and what HKR means there.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "inf.h"

enum role { ROLE_INSTALL, ROLE_HW, ROLE_COINSTALLERS, ROLE_SERVICES, ROLE_INTERFACES,
            ROLE_WDF, ROLE_DEFAULT };

static const char *const role_suffix[] = {
    [ROLE_HW] = "HW", [ROLE_COINSTALLERS] = "CoInstallers", [ROLE_SERVICES] = "Services",
    [ROLE_INTERFACES] = "Interfaces", [ROLE_WDF] = "Wdf",
};

int inf_plan_warn(struct inf_plan_ctx *ctx, const char *fmt, ...)
{
    struct inf_plan *plan = ctx->plan;
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    const char **slot = inf_arena_grow(plan->arena, &plan->warnings, &plan->nwarnings,
                                       &ctx->capwarnings, sizeof(*slot));
    if (!slot || !(*slot = inf_arena_strdup(plan->arena, buf)))
        return -ENOMEM;
    return 0;
}

static int unknown_section(struct inf_plan_ctx *ctx, unsigned line, const char *name)
{
    return inf_error_set(ctx->err, ctx->inf->path, line, -EINVAL,
                         "unknown section [%s] referenced", name);
}

static int plan_interface(struct inf_plan_ctx *ctx, const struct inf_line *l)
{
    struct inf_plan *plan = ctx->plan;
    struct inf_interface *itf = inf_arena_grow(plan->arena, &plan->interfaces,
                                               &plan->ninterfaces, &ctx->capinterfaces,
                                               sizeof(*itf));
    if (!itf)
        return -ENOMEM;
    if (!l->nfields || !*l->fields[0])
        return inf_error_set(ctx->err, ctx->inf->path, l->lineno, -EINVAL,
                             "AddInterface names no interface class");
    itf->class_guid = l->fields[0];
    itf->reference = l->nfields > 1 && *l->fields[1] ? l->fields[1] : NULL;
    itf->section = l->nfields > 2 && *l->fields[2] ? l->fields[2] : NULL;
    itf->line = l->lineno;
    if (l->nfields > 3 && *l->fields[3] && inf_parse_u32(l->fields[3], &itf->flags) < 0)
        return inf_error_set(ctx->err, ctx->inf->path, l->lineno, -EINVAL,
                             "invalid AddInterface flags '%s'", l->fields[3]);
    if (!itf->section)
        return 0;
    const struct inf_section *s = inf_section_find(ctx->inf, itf->section);
    const char *key = itf->reference ? inf_arena_printf(plan->arena, "%s\\%s", itf->class_guid,
                                                        itf->reference)
                                     : itf->class_guid;
    if (!s)
        return unknown_section(ctx, l->lineno, itf->section);
    return key ? inf_addreg_directives(ctx, s, INF_ROOT_INTERFACE, key) : -ENOMEM;
}

static int plan_kmdf(struct inf_plan_ctx *ctx, const struct inf_line *l)
{
    struct inf_plan *plan = ctx->plan;
    const char *name = l->nfields > 1 ? l->fields[1] : "";
    const struct inf_section *s = inf_section_find(ctx->inf, name);

    if (!s)
        return unknown_section(ctx, l->lineno, name);
    const struct inf_line *v = inf_section_find_key(s, "KmdfLibraryVersion");
    if (!v || !v->nfields || !*v->fields[0])
        return inf_error_set(ctx->err, ctx->inf->path, l->lineno, -EINVAL,
                             "no KmdfLibraryVersion in [%s]", s->name);
    plan->has_kmdf = true;
    plan->kmdf_service = l->fields[0];
    plan->kmdf_section = s->name;
    plan->kmdf_library_version = v->fields[0];
    return 0;
}

static int reg_directive(struct inf_plan_ctx *ctx, const struct inf_line *l, enum role role)
{
    bool del = inf_strcaseeq(l->key, "DelReg");
    switch (role) {
    case ROLE_INSTALL:
    case ROLE_COINSTALLERS:
        return inf_addreg_run(ctx, l, del, INF_ROOT_DRIVER, NULL, true);
    case ROLE_HW:
        return inf_addreg_run(ctx, l, del, INF_ROOT_HARDWARE, NULL, true);
    case ROLE_DEFAULT:
        return inf_addreg_run(ctx, l, del, INF_ROOT_DRIVER, NULL, false);
    default:
        return 0;
    }
}

struct section_run {
    const struct inf_section *section;
    enum role role;
};

static int directive(struct inf_plan_ctx *ctx, const struct section_run *run,
                     const struct inf_line *l)
{
    const char *k = l->key;
    enum role role = run->role;
    bool installs = role == ROLE_INSTALL || role == ROLE_COINSTALLERS || role == ROLE_DEFAULT;

    if (inf_strcaseeq(k, "AddReg") || inf_strcaseeq(k, "DelReg"))
        return reg_directive(ctx, l, role);
    if (inf_strcaseeq(k, "CopyFiles") && installs)
        return inf_files_copy(ctx, l);
    if (inf_strcaseeq(k, "AddService") && role == ROLE_SERVICES)
        return inf_service_add(ctx, l);
    if (inf_strcaseeq(k, "AddInterface") && role == ROLE_INTERFACES)
        return plan_interface(ctx, l);
    if (inf_strcaseeq(k, "KmdfService") && role == ROLE_WDF)
        return plan_kmdf(ctx, l);
    if (inf_strcaseeq(k, "Include") || inf_strcaseeq(k, "Needs") ||
        inf_strcaseeq(k, "UmdfService"))
        return inf_plan_warn(ctx, "%s in [%s] (line %u) is not followed", k,
                             run->section->name, l->lineno);
    return 0;
}

static int run_section(struct inf_plan_ctx *ctx, const struct inf_section *s, enum role role)
{
    struct section_run run = { .section = s, .role = role };
    for (size_t i = 0; i < s->nlines; i++) {
        int r = s->lines[i].key ? directive(ctx, &run, &s->lines[i]) : 0;
        if (r < 0)
            return r;
    }
    return 0;
}

static int plan_install(struct inf_plan_ctx *ctx, const char *base, unsigned line, bool dflt)
{
    const struct inf_section *s = inf_section_for_platform(ctx->inf, base);
    char name[600];
    int r;

    if (!s)
        return unknown_section(ctx, line, base);
    ctx->plan->install_section = s->name;
    if ((r = run_section(ctx, s, dflt ? ROLE_DEFAULT : ROLE_INSTALL)) < 0)
        return r;
    for (enum role role = ROLE_HW; role <= ROLE_WDF; role++) {
        if (dflt && role != ROLE_SERVICES)
            continue;
        snprintf(name, sizeof(name), "%s.%s", s->name, role_suffix[role]);
        const struct inf_section *c = inf_section_find(ctx->inf, name);
        if (c && (r = run_section(ctx, c, role)) < 0)
            return r;
    }
    return 0;
}

static const char *catalog_file(const struct inf *inf)
{
    const char *c = inf_value(inf, "Version", "CatalogFile.NTamd64");
    if (!c)
        c = inf_value(inf, "Version", "CatalogFile.NT");
    return c ? c : inf_value(inf, "Version", "CatalogFile");
}

static int plan_new(const struct inf *inf, struct inf_plan_ctx *ctx, struct inf_error *err)
{
    struct inf_arena *arena = inf_arena_new();
    struct inf_plan *plan = arena ? inf_arena_alloc(arena, sizeof(*plan)) : NULL;

    if (!plan) {
        inf_arena_delete(arena);
        return inf_error_set(err, inf->path, 0, -ENOMEM, "out of memory");
    }
    *ctx = (struct inf_plan_ctx){ .inf = inf, .plan = plan, .err = err };
    plan->arena = arena;
    plan->inf_path = inf->path;
    plan->class_name = inf_value(inf, "Version", "Class");
    plan->class_guid = inf_value(inf, "Version", "ClassGuid");
    plan->provider = inf_value(inf, "Version", "Provider");
    plan->catalog_file = catalog_file(inf);
    const struct inf_line *dv = inf_section_find_key(inf_section_find(inf, "Version"),
                                                     "DriverVer");
    plan->driver_date = dv && dv->nfields > 0 ? dv->fields[0] : NULL;
    plan->driver_version = dv && dv->nfields > 1 ? dv->fields[1] : NULL;
    return 0;
}

static int plan_finish(struct inf_plan_ctx *ctx, int r, struct inf_plan **out)
{
    if (r < 0) {
        if (r == -ENOMEM)
            inf_error_set(ctx->err, ctx->inf->path, 0, r, "out of memory");
        inf_plan_free(ctx->plan);
        return r;
    }
    *out = ctx->plan;
    return 0;
}

static int plan_model(struct inf_plan_ctx *ctx, const struct inf_model *m)
{
    struct inf_plan *plan = ctx->plan;
    size_t n = m->ncompatible_ids;

    plan->model = *m;
    plan->model.compatible_ids = inf_arena_alloc(plan->arena, (n + 1) * sizeof(char *));
    if (!plan->model.compatible_ids)
        return -ENOMEM;
    if (n)
        memcpy(plan->model.compatible_ids, m->compatible_ids, n * sizeof(char *));
    if (m->undecorated) {
        int r = inf_plan_warn(ctx, "models section [%s] is not decorated for NTamd64, "
                              "which Windows requires on amd64", m->models_section);
        if (r < 0)
            return r;
    }
    return plan_install(ctx, m->install_section, m->line, false);
}

int inf_plan_for_model(const struct inf *inf, const struct inf_model *model,
                       struct inf_plan **out, struct inf_error *err)
{
    struct inf_plan_ctx ctx;
    int r;

    *out = NULL;
    if ((r = plan_new(inf, &ctx, err)) < 0)
        return r;
    return plan_finish(&ctx, plan_model(&ctx, model), out);
}

static bool model_matches(const struct inf_model *m, const char *hwid, bool compatible)
{
    if (!compatible)
        return m->hardware_id && inf_strcaseeq(m->hardware_id, hwid);
    for (size_t i = 0; i < m->ncompatible_ids; i++)
        if (inf_strcaseeq(m->compatible_ids[i], hwid))
            return true;
    return false;
}

/* A model whose hardware ID matches beats any whose compatible ID does. */
static int plan_hwid(struct inf_plan_ctx *ctx, const char *hwid)
{
    struct inf_model *models;
    size_t count;
    int r = inf_models_collect(ctx->inf, ctx->plan->arena, &models, &count, ctx->err);

    if (r < 0)
        return r;
    if (!count)
        return inf_error_set(ctx->err, ctx->inf->path, 0, -ENOENT, "no models for amd64");
    for (int compatible = 0; hwid && compatible < 2; compatible++)
        for (size_t i = 0; i < count; i++)
            if (model_matches(&models[i], hwid, compatible))
                return plan_model(ctx, &models[i]);
    if (hwid)
        return inf_error_set(ctx->err, ctx->inf->path, 0, -ENOENT,
                             "no model for hardware ID %s", hwid);
    return plan_model(ctx, &models[0]);
}

int inf_plan_for_hardware_id(const struct inf *inf, const char *hwid,
                             struct inf_plan **out, struct inf_error *err)
{
    struct inf_plan_ctx ctx;
    int r;

    *out = NULL;
    if ((r = plan_new(inf, &ctx, err)) < 0)
        return r;
    return plan_finish(&ctx, plan_hwid(&ctx, hwid), out);
}

int inf_plan_default_install(const struct inf *inf, struct inf_plan **out,
                             struct inf_error *err)
{
    struct inf_plan_ctx ctx;
    int r;

    *out = NULL;
    if (!inf_section_for_platform(inf, "DefaultInstall"))
        return inf_error_set(err, inf->path, 0, -ENOENT, "no [DefaultInstall] section");
    if ((r = plan_new(inf, &ctx, err)) < 0)
        return r;
    return plan_finish(&ctx, plan_install(&ctx, "DefaultInstall", 0, true), out);
}

void inf_plan_free(struct inf_plan *plan)
{
    if (plan)
        inf_arena_delete(plan->arena);
}

const struct inf_reg_op *inf_plan_find_reg(const struct inf_plan *plan, enum inf_reg_root root,
                                           const char *value_name)
{
    for (size_t i = plan->nregs; i-- > 0;) {
        const struct inf_reg_op *op = &plan->regs[i];
        const char *name = op->value_name ? op->value_name : "";
        if (op->action == INF_REG_SET && op->root == root &&
            inf_strcaseeq(name, value_name ? value_name : ""))
            return op;
    }
    return NULL;
}

const struct inf_service *inf_plan_find_service(const struct inf_plan *plan, const char *name)
{
    for (size_t i = 0; i < plan->nservices; i++)
        if (inf_strcaseeq(plan->services[i].name, name))
            return &plan->services[i];
    return NULL;
}
