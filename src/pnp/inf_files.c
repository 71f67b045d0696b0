/*
 * CopyFiles=@file or CopyFiles=file-list-section[,...] into the files the
 * plan copies: where each comes from in the driver package (the path
 * [SourceDisksNames] and [SourceDisksFiles] give, relative to the INF) and
 * where it goes ([DestinationDirs]: the list's own entry, else
 * DefaultDestDir, else dirid 11 as setupapi's default).
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inf.h"

struct dest {
    int dirid;
    const char *subdir;
};

static int dest_for(struct inf_plan_ctx *ctx, const char *list, struct dest *d)
{
    const struct inf_section *dirs = inf_section_find(ctx->inf, "DestinationDirs");
    const struct inf_line *l = list ? inf_section_find_key(dirs, list) : NULL;
    uint32_t dirid;

    if (!l)
        l = inf_section_find_key(dirs, "DefaultDestDir");
    if (!l || !l->nfields) {
        d->dirid = INF_DIRID_SYSTEM;
        d->subdir = NULL;
        return inf_plan_warn(ctx, "no DestinationDirs entry for %s; using dirid 11",
                             list ? list : "CopyFiles=@");
    }
    if (inf_parse_u32(l->fields[0], &dirid) < 0)
        return inf_error_set(ctx->err, ctx->inf->path, l->lineno, -EINVAL,
                             "invalid dirid '%s'", l->fields[0]);
    d->dirid = (int32_t)dirid;
    d->subdir = l->nfields > 1 && *l->fields[1] ? l->fields[1] : NULL;
    return 0;
}

/* The decorated section if present: SourceDisksFiles.amd64 before the
 * undecorated one. */
static const struct inf_line *source_entry(const struct inf *inf, const char *section,
                                           const char *key)
{
    char name[64];
    snprintf(name, sizeof(name), "%s.amd64", section);
    const struct inf_line *l = inf_section_find_key(inf_section_find(inf, name), key);
    return l ? l : inf_section_find_key(inf_section_find(inf, section), key);
}

/* Appends one path part, '\' turned to '/', without leading "./" or "/". */
static char *path_join(struct inf_arena *arena, const char *a, const char *b)
{
    while (*b == '.' && (b[1] == '\\' || b[1] == '/'))
        b += 2;
    while (*b == '\\' || *b == '/')
        b++;
    char *p = *b ? inf_arena_printf(arena, "%s%s%s", a, *a ? "/" : "", b)
                 : inf_arena_strdup(arena, a);
    for (char *c = p; c && *c; c++)
        if (*c == '\\')
            *c = '/';
    if (p && *p && p[strlen(p) - 1] == '/')
        p[strlen(p) - 1] = 0;
    return p;
}

static int source_for(struct inf_plan_ctx *ctx, const char *file, const char **out)
{
    struct inf_arena *arena = ctx->plan->arena;
    const struct inf_line *f = source_entry(ctx->inf, "SourceDisksFiles", file);

    if (!f || !f->nfields) {
        *out = file;
        return inf_plan_warn(ctx, "%s is not in [SourceDisksFiles]; taken from the INF's "
                             "directory", file);
    }
    const struct inf_line *disk = source_entry(ctx->inf, "SourceDisksNames", f->fields[0]);
    const char *dir = disk && disk->nfields > 3 ? disk->fields[3] : "";
    char *p = path_join(arena, "", dir);
    p = p && f->nfields > 1 ? path_join(arena, p, f->fields[1]) : p;
    p = p ? path_join(arena, p, file) : NULL;
    *out = p;
    return p ? 0 : -ENOMEM;
}

static int copy_one(struct inf_plan_ctx *ctx, const struct inf_line *l, const char *dest_name,
                    const char *source_name, const char *flags, const struct dest *d)
{
    struct inf_plan *plan = ctx->plan;
    struct inf_file_copy *c = inf_arena_grow(plan->arena, &plan->files, &plan->nfiles,
                                             &ctx->capfiles, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->dest_name = dest_name;
    c->dest_dirid = d->dirid;
    c->dest_subdir = d->subdir;
    c->line = l->lineno;
    if (flags && *flags && inf_parse_u32(flags, &c->flags) < 0)
        return inf_error_set(ctx->err, ctx->inf->path, l->lineno, -EINVAL,
                             "invalid CopyFiles flags '%s'", flags);
    return source_for(ctx, source_name, &c->source);
}

static int copy_list(struct inf_plan_ctx *ctx, const struct inf_line *dl, const char *list)
{
    const struct inf_section *s = inf_section_find(ctx->inf, list);
    struct dest d;
    int r;

    if (!s)
        return inf_error_set(ctx->err, ctx->inf->path, dl->lineno, -EINVAL,
                             "unknown section [%s] referenced", list);
    if ((r = dest_for(ctx, list, &d)) < 0)
        return r;
    for (size_t i = 0; i < s->nlines; i++) {
        const struct inf_line *l = &s->lines[i];
        if (l->key || !l->nfields || !*l->fields[0])
            continue; /* not dest[,source][,temp][,flags] */
        const char *src = l->nfields > 1 && *l->fields[1] ? l->fields[1] : l->fields[0];
        if ((r = copy_one(ctx, l, l->fields[0], src, l->nfields > 3 ? l->fields[3] : NULL,
                          &d)) < 0)
            return r;
    }
    return 0;
}

int inf_files_copy(struct inf_plan_ctx *ctx, const struct inf_line *line)
{
    for (size_t i = 0; i < line->nfields; i++) {
        const char *f = line->fields[i];
        struct dest d;
        int r;

        if (!*f)
            continue;
        if (*f != '@') {
            r = copy_list(ctx, line, f);
        } else if ((r = dest_for(ctx, NULL, &d)) == 0) {
            r = copy_one(ctx, line, f + 1, f + 1, NULL, &d);
        }
        if (r < 0)
            return r;
    }
    return 0;
}
