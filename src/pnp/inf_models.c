/*
 * [Manufacturer] and its models sections, chosen as an amd64 Windows 10
 * (10.0, build 26100, a workstation) chooses them. Each manufacturer line
 * names a models section and the TargetOSVersion decorations it comes in:
 * nt[Architecture][.[OSMajorVersion][.[OSMinorVersion][.[ProductType]
 * [.[SuiteMask][.[BuildNumber]]]]]]. Of those that fit this system the
 * newest version wins, then the one naming amd64 over a generic "NT".
 * Windows refuses an undecorated section on amd64; kmhost takes one when
 * nothing decorated fits, so old INFs still run, and marks the models.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inf.h"

#define OS_MAJOR 10u
#define OS_MINOR 0u
#define OS_BUILD 26100u
#define OS_PRODUCT_WORKSTATION 1u

struct target {
    uint32_t major, minor, build;
    bool arch;
};

/* Field i of a dotted decoration ("" when absent) into v; false when the
 * field is there but not a number. */
static bool dotted_field(const char *d, unsigned i, uint32_t *v, bool *present)
{
    char part[32];
    for (; i && d; i--)
        d = strchr(d, '.') ? strchr(d, '.') + 1 : NULL;
    size_t n = d ? strcspn(d, ".") : 0;
    *present = n > 0;
    *v = 0;
    if (!n)
        return true;
    if (n >= sizeof(part))
        return false;
    memcpy(part, d, n);
    part[n] = 0;
    return inf_parse_u32(part, v) == 0;
}

static bool decoration_fits(const char *d, struct target *t)
{
    static const char *const archs[] = { "x86", "ia64", "arm", "arm64" };
    uint32_t product, suite;
    bool has_major, has_minor, has_product, has_suite, has_build;

    if (!inf_strncaseeq(d, "NT", 2))
        return false;
    size_t alen = strcspn(d + 2, ".");
    t->arch = alen == 5 && inf_strncaseeq(d + 2, "amd64", 5);
    for (size_t i = 0; alen && !t->arch && i < KMH_ARRAY_SIZE(archs); i++)
        if (strlen(archs[i]) == alen && inf_strncaseeq(d + 2, archs[i], alen))
            return false; /* another platform's */
    if (alen && !t->arch)
        return false;
    const char *v = d[2 + alen] == '.' ? d + 3 + alen : NULL;
    if (!dotted_field(v, 0, &t->major, &has_major) || !dotted_field(v, 1, &t->minor, &has_minor) ||
        !dotted_field(v, 2, &product, &has_product) || !dotted_field(v, 3, &suite, &has_suite) ||
        !dotted_field(v, 4, &t->build, &has_build))
        return false;
    if (t->major > OS_MAJOR || (t->major == OS_MAJOR && t->minor > OS_MINOR))
        return false;
    if ((has_product && product != OS_PRODUCT_WORKSTATION) || (has_suite && suite != 0))
        return false;
    return !has_build || t->build <= OS_BUILD;
}

static bool target_better(const struct target *a, const struct target *b)
{
    if (a->major != b->major)
        return a->major > b->major;
    if (a->minor != b->minor)
        return a->minor > b->minor;
    if (a->build != b->build)
        return a->build > b->build;
    return a->arch && !b->arch;
}

/* The decoration of line (fields 1...) that fits best, or NULL. */
static const char *best_decoration(const struct inf_line *line)
{
    const char *best = NULL;
    struct target bt = { 0 }, t;

    for (size_t i = 1; line->key && i < line->nfields; i++) {
        if (decoration_fits(line->fields[i], &t) && (!best || target_better(&t, &bt))) {
            best = line->fields[i];
            bt = t;
        }
    }
    return best;
}

static int add_model(const struct inf *inf, struct inf_arena *arena, struct inf_model *m,
                     const struct inf_line *l, struct inf_error *err)
{
    if (!l->key || !*l->key)
        return inf_error_set(err, inf->path, l->lineno, -EINVAL,
                             "models entry has no device description");
    if (!l->nfields || !*l->fields[0])
        return inf_error_set(err, inf->path, l->lineno, -EINVAL,
                             "models entry has no install section");
    m->description = l->key;
    m->install_section = l->fields[0];
    m->hardware_id = l->nfields > 1 && *l->fields[1] ? l->fields[1] : NULL;
    m->line = l->lineno;
    size_t n = l->nfields > 2 ? l->nfields - 2 : 0;
    m->compatible_ids = inf_arena_alloc(arena, (n + 1) * sizeof(char *));
    if (!m->compatible_ids)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (*l->fields[2 + i])
            m->compatible_ids[m->ncompatible_ids++] = l->fields[2 + i];
    return 0;
}

/* The models section a [Manufacturer] line leads to on amd64, or NULL
 * (and 0) when it offers nothing for amd64. */
static int models_section(const struct inf *inf, struct inf_arena *arena,
                          const struct inf_line *l, const struct inf_section **out,
                          bool *undecorated, struct inf_error *err)
{
    const char *base = l->nfields ? l->fields[0] : "";
    const char *deco = best_decoration(l);
    const char *name = deco ? inf_arena_printf(arena, "%s.%s", base, deco) : base;

    *out = NULL;
    if (!name)
        return -ENOMEM;
    if (!*base)
        return inf_error_set(err, inf->path, l->lineno, -EINVAL,
                             "Manufacturer entry names no models section");
    *out = inf_section_find(inf, name);
    *undecorated = !deco;
    if (*out || (!deco && l->key && l->nfields > 1))
        return 0; /* decorated only for other platforms: nothing here */
    return inf_error_set(err, inf->path, l->lineno, -EINVAL,
                         "unknown section [%s] referenced", name);
}

int inf_models_collect(const struct inf *inf, struct inf_arena *arena,
                       struct inf_model **models, size_t *count, struct inf_error *err)
{
    const struct inf_section *mfg = inf_section_find(inf, "Manufacturer");
    size_t cap = 0;

    *models = NULL;
    *count = 0;
    for (size_t i = 0; mfg && i < mfg->nlines; i++) {
        const struct inf_line *l = &mfg->lines[i];
        const struct inf_section *s;
        bool undecorated;
        int r = models_section(inf, arena, l, &s, &undecorated, err);
        if (r < 0)
            return r;
        for (size_t j = 0; s && j < s->nlines; j++) {
            struct inf_model *m = inf_arena_grow(arena, models, count, &cap, sizeof(*m));
            if (!m)
                return -ENOMEM;
            m->manufacturer = l->key ? l->key : l->fields[0];
            m->models_section = s->name;
            m->undecorated = undecorated;
            if ((r = add_model(inf, arena, m, &s->lines[j], err)) < 0)
                return r;
        }
    }
    return 0;
}

const struct inf_section *inf_section_for_platform(const struct inf *inf, const char *base)
{
    static const char *const exts[] = { ".NTamd64", ".NT", "" };
    char name[600];

    for (size_t i = 0; i < KMH_ARRAY_SIZE(exts); i++) {
        int n = snprintf(name, sizeof(name), "%s%s", base, exts[i]);
        if (n < 0 || (size_t)n >= sizeof(name))
            continue; /* longer than any section name Windows allows */
        const struct inf_section *s = inf_section_find(inf, name);
        if (s)
            return s;
    }
    return NULL;
}

int inf_plan_models(const struct inf *inf, struct inf_model_list **out, struct inf_error *err)
{
    struct inf_arena *arena = inf_arena_new();
    struct inf_model_list *list = arena ? inf_arena_alloc(arena, sizeof(*list)) : NULL;

    *out = NULL;
    if (!list) {
        inf_arena_delete(arena);
        return -ENOMEM;
    }
    list->arena = arena;
    int r = inf_models_collect(inf, arena, &list->models, &list->count, err);
    if (r < 0) {
        inf_arena_delete(arena);
        return r;
    }
    *out = list;
    return 0;
}

void inf_models_free(struct inf_model_list *list)
{
    if (list)
        inf_arena_delete(list->arena);
}
