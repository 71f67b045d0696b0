/*
 * AddService=ServiceName,[flags],service-install-section
 *            [,event-log-install-section[,[EventLogType][,EventName]]]
 * into a service of the plan: its start parameters, its binary (dirid and
 * file name apart, so kmhost can find the .so the driver was built into),
 * its group and dependencies, and the registry operations of its own
 * AddReg/DelReg (HKR: the service key) and of its event-log section (HKR:
 * Services\EventLog\<type>\<name>).
 */
#include "internal.h"

#include <errno.h>
#include <string.h>

#include "inf.h"

struct svc_ctx {
    struct inf_plan_ctx *ctx;
    struct inf_service *svc;
    const struct inf_section *section;
    bool have_type, have_start, have_error;
};

static int svc_error(const struct svc_ctx *s, unsigned line, const char *fmt, const char *arg)
{
    return inf_error_set(s->ctx->err, s->ctx->inf->path, line, -EINVAL, fmt, arg,
                         s->section->name);
}

/* "%12%\sub\x.sys": dirid 12, path "sub\x.sys", file "x.sys". */
static void service_binary(struct inf_service *svc, const char *text)
{
    const char *close = text[0] == '%' ? strchr(text + 1, '%') : NULL;
    uint32_t dirid;
    char num[16];
    size_t n = close ? (size_t)(close - text - 1) : 0;

    svc->binary = text;
    svc->binary_dirid = INF_DIRID_ABSOLUTE;
    svc->binary_path = text;
    if (n && n < sizeof(num)) {
        memcpy(num, text + 1, n);
        num[n] = 0;
        if (inf_parse_u32(num, &dirid) == 0 && dirid <= 0x7fffffff) {
            svc->binary_dirid = (int)dirid;
            svc->binary_path = close + 1 + (close[1] == '\\' || close[1] == '/');
        }
    }
    const char *slash = strrchr(svc->binary_path, '\\');
    const char *fslash = strrchr(svc->binary_path, '/');
    if (fslash && (!slash || fslash > slash))
        slash = fslash;
    svc->binary_file = slash ? slash + 1 : svc->binary_path;
}

static int svc_number(struct svc_ctx *s, const struct inf_line *l, uint32_t *v, bool *have)
{
    if (!l->nfields || inf_parse_u32(l->fields[0], v) < 0)
        return svc_error(s, l->lineno, "invalid number '%s' in [%s]",
                         l->nfields ? l->fields[0] : "");
    *have = true;
    return 0;
}

static int svc_dependencies(struct svc_ctx *s, const struct inf_line *l)
{
    struct inf_arena *arena = s->ctx->plan->arena;
    size_t n = s->svc->ndependencies + l->nfields;
    const char **deps = inf_arena_alloc(arena, (n + 1) * sizeof(*deps));
    if (!deps)
        return -ENOMEM;
    if (s->svc->ndependencies)
        memcpy(deps, s->svc->dependencies, s->svc->ndependencies * sizeof(*deps));
    s->svc->dependencies = deps;
    for (size_t i = 0; i < l->nfields; i++)
        if (*l->fields[i])
            deps[s->svc->ndependencies++] = l->fields[i];
    return 0;
}

static int svc_directive(struct svc_ctx *s, const struct inf_line *l)
{
    struct inf_service *svc = s->svc;
    const char *k = l->key, *v = l->nfields ? l->fields[0] : "";

    if (!k)
        return 0;
    if (inf_strcaseeq(k, "ServiceType"))
        return svc_number(s, l, &svc->service_type, &s->have_type);
    if (inf_strcaseeq(k, "StartType"))
        return svc_number(s, l, &svc->start_type, &s->have_start);
    if (inf_strcaseeq(k, "ErrorControl"))
        return svc_number(s, l, &svc->error_control, &s->have_error);
    if (inf_strcaseeq(k, "ServiceBinary"))
        service_binary(svc, v);
    else if (inf_strcaseeq(k, "LoadOrderGroup"))
        svc->load_order_group = v;
    else if (inf_strcaseeq(k, "DisplayName"))
        svc->display_name = v;
    else if (inf_strcaseeq(k, "Description"))
        svc->description = v;
    else if (inf_strcaseeq(k, "StartName"))
        svc->start_name = v;
    else if (inf_strcaseeq(k, "Dependencies"))
        return svc_dependencies(s, l);
    else if (inf_strcaseeq(k, "AddReg") || inf_strcaseeq(k, "DelReg"))
        return inf_addreg_run(s->ctx, l, inf_strcaseeq(k, "DelReg"), INF_ROOT_SERVICE,
                              svc->name, true);
    return 0; /* Security, ServiceSidType and the like change no plan */
}

static int svc_install(struct svc_ctx *s, unsigned line)
{
    int r;

    for (size_t i = 0; i < s->section->nlines; i++)
        if ((r = svc_directive(s, &s->section->lines[i])) < 0)
            return r;
    const char *missing = !s->have_type ? "ServiceType" : !s->have_start ? "StartType"
                        : !s->have_error ? "ErrorControl" : !s->svc->binary ? "ServiceBinary"
                        : NULL;
    if (missing)
        return svc_error(s, line, "no %s in service-install section [%s]", missing);
    return 0;
}

/* The event-log section's AddReg/DelReg: HKR is the log's source key. */
static int svc_eventlog(struct svc_ctx *s, const struct inf_line *l)
{
    const char *type = l->nfields > 4 && *l->fields[4] ? l->fields[4] : "System";
    const char *name = l->nfields > 5 && *l->fields[5] ? l->fields[5] : s->svc->name;
    const char *key = inf_arena_printf(s->ctx->plan->arena, "%s\\%s", type, name);
    const struct inf_section *sec = inf_section_find(s->ctx->inf, s->svc->eventlog_section);

    if (!key)
        return -ENOMEM;
    if (!sec)
        return inf_error_set(s->ctx->err, s->ctx->inf->path, l->lineno, -EINVAL,
                             "unknown section [%s] referenced", s->svc->eventlog_section);
    return inf_addreg_directives(s->ctx, sec, INF_ROOT_EVENTLOG, key);
}

static int svc_claim_function(struct inf_plan_ctx *ctx, const struct inf_service *svc)
{
    if (ctx->plan->function_service)
        return inf_plan_warn(ctx, "services %s and %s both claim SPSVCINST_ASSOCSERVICE",
                             ctx->plan->function_service, svc->name);
    ctx->plan->function_service = svc->name;
    return 0;
}

int inf_service_add(struct inf_plan_ctx *ctx, const struct inf_line *l)
{
    struct inf_plan *plan = ctx->plan;
    struct inf_service *svc = inf_arena_grow(plan->arena, &plan->services, &plan->nservices,
                                             &ctx->capservices, sizeof(*svc));
    struct svc_ctx s = { .ctx = ctx, .svc = svc };
    const char *install = l->nfields > 2 ? l->fields[2] : "";
    int r;

    if (!svc)
        return -ENOMEM;
    svc->name = l->nfields ? l->fields[0] : "";
    svc->line = l->lineno;
    if (l->nfields > 1 && *l->fields[1] && inf_parse_u32(l->fields[1], &svc->flags) < 0)
        return inf_error_set(ctx->err, ctx->inf->path, l->lineno, -EINVAL,
                             "invalid AddService flags '%s'", l->fields[1]);
    svc->is_function_driver = svc->flags & INF_SPSVCINST_ASSOCSERVICE;
    if (svc->is_function_driver && (r = svc_claim_function(ctx, svc)) < 0)
        return r;
    if (!*svc->name && !*install)
        return 0; /* AddService=,2: the device needs no driver */
    if (!*install || !(s.section = inf_section_find(ctx->inf, install)))
        return inf_error_set(ctx->err, ctx->inf->path, l->lineno, -EINVAL,
                             "unknown section [%s] referenced", install);
    svc->install_section = s.section->name;
    if ((r = svc_install(&s, l->lineno)) < 0)
        return r;
    svc->eventlog_section = l->nfields > 3 && *l->fields[3] ? l->fields[3] : NULL;
    return svc->eventlog_section ? svc_eventlog(&s, l) : 0;
}
