/*
 * AddReg and DelReg sections into registry operations. An entry is
 * reg-root,[subkey],[value-entry-name],[flags],[value][,[value]...]; the
 * flags' type bits (FLG_ADDREG_TYPE_*) say how the values become data, and
 * the data is what the registry will hold: strings as UTF-16LE with their
 * NULs, numbers little-endian. HKR means whatever key the directive's
 * section stands for (the caller says which); the other roots are kept by
 * name for the registry to resolve.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inf.h"

struct reg_entry {
    struct inf_plan_ctx *ctx;
    const struct inf_section *section;
    const struct inf_line *line;
    enum inf_reg_root hkr;
    const char *hkr_name;
    bool hkr_allowed;
};

static const char *field(const struct inf_line *l, size_t i)
{
    return i < l->nfields ? l->fields[i] : NULL;
}

static int entry_error(const struct reg_entry *e, const char *what, const char *text)
{
    return inf_error_set(e->ctx->err, e->ctx->inf->path, e->line->lineno, -EINVAL,
                         "%s '%s' in [%s]", what, text ? text : "", e->section->name);
}

static int entry_op(const struct reg_entry *e, enum inf_reg_action action,
                    struct inf_reg_op **out)
{
    static const struct {
        const char *name;
        enum inf_reg_root root;
    } roots[] = {
        { "HKLM", INF_ROOT_HKLM }, { "HKCR", INF_ROOT_HKCR },
        { "HKCU", INF_ROOT_HKCU }, { "HKU", INF_ROOT_HKU },
    };
    struct inf_plan *plan = e->ctx->plan;
    const char *root = field(e->line, 0);
    struct inf_reg_op op = { .action = action, .section = e->section->name,
                             .line = e->line->lineno };
    size_t i;

    for (i = 0; i < KMH_ARRAY_SIZE(roots) && !inf_strcaseeq(root, roots[i].name); i++)
        ;
    if (i < KMH_ARRAY_SIZE(roots)) {
        op.root = roots[i].root;
    } else if (inf_strcaseeq(root, "HKR") && e->hkr_allowed) {
        op.root = e->hkr;
        op.root_name = e->hkr_name;
    } else {
        return entry_error(e, "unknown registry root", root);
    }
    op.subkey = field(e->line, 1) ? field(e->line, 1) : "";
    op.value_name = field(e->line, 2);
    struct inf_reg_op *slot = inf_arena_grow(plan->arena, &plan->regs, &plan->nregs,
                                             &e->ctx->capregs, sizeof(*slot));
    if (!slot)
        return -ENOMEM;
    *slot = op;
    *out = slot;
    return 0;
}

/* The strings as REG_SZ (one) or REG_MULTI_SZ (a list, ending in a NUL). */
static int string_data(struct inf_plan *plan, struct inf_reg_op *op, const char *const *s,
                       size_t n, bool multi)
{
    size_t size = 0;
    for (size_t i = 0; i < n; i++)
        size += *s[i] || !multi ? inf_utf16le_encode(s[i], NULL) + 2 : 0;
    size += multi ? 2 : 0;
    uint8_t *d = inf_arena_alloc(plan->arena, size);
    if (!d)
        return -ENOMEM;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (!*s[i] && multi)
            continue; /* an empty string would end the list early */
        at += inf_utf16le_encode(s[i], d + at) + 2; /* the NUL is zeroed */
    }
    op->data = d;
    op->size = size;
    return 0;
}

static int byte_data(const struct reg_entry *e, struct inf_reg_op *op,
                     const char *const *v, size_t n)
{
    uint8_t *d = inf_arena_alloc(e->ctx->plan->arena, n ? n : 1);
    if (!d)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char hex[8];
        uint32_t b;
        int len = snprintf(hex, sizeof(hex), "0x%s", v[i]);
        bool prefixed = inf_strncaseeq(v[i], "0x", 2);
        if (!*v[i])
            continue; /* a trailing comma: a zero byte */
        if (len >= (int)sizeof(hex) || inf_parse_u32(prefixed ? v[i] : hex, &b) < 0 || b > 0xff)
            return entry_error(e, "invalid byte", v[i]);
        d[i] = (uint8_t)b;
    }
    op->data = d;
    op->size = n;
    return 0;
}

static int number_data(const struct reg_entry *e, struct inf_reg_op *op, const char *v,
                       size_t size)
{
    uint64_t x = 0;
    uint8_t *d = inf_arena_alloc(e->ctx->plan->arena, size);
    if (!d)
        return -ENOMEM;
    if (v && *v && inf_parse_u64(v, &x) < 0)
        return entry_error(e, "invalid number", v);
    if (size == 4 && x > UINT32_MAX && x < (uint64_t)0 - UINT32_MAX - 1)
        return entry_error(e, "invalid number", v);
    for (size_t i = 0; i < size; i++)
        d[i] = (uint8_t)(x >> (8 * i));
    op->data = d;
    op->size = size;
    return 0;
}

/* FLG_ADDREG_TYPE_* to a REG_* type; *binary when the values are bytes. */
static int addreg_type(uint32_t flags, uint32_t *type, bool *binary)
{
    uint32_t t = flags & INF_FLG_ADDREG_TYPE_MASK;

    *binary = t & INF_FLG_ADDREG_BINVALUETYPE;
    switch (t) {
    case INF_FLG_ADDREG_TYPE_SZ: *type = INF_REG_SZ; return 0;
    case INF_FLG_ADDREG_TYPE_MULTI_SZ: *type = INF_REG_MULTI_SZ; return 0;
    case INF_FLG_ADDREG_TYPE_EXPAND_SZ: *type = INF_REG_EXPAND_SZ; return 0;
    case INF_FLG_ADDREG_TYPE_BINARY: *type = INF_REG_BINARY; return 0;
    case INF_FLG_ADDREG_TYPE_DWORD: *type = INF_REG_DWORD; return 0;
    case INF_FLG_ADDREG_TYPE_NONE: *type = INF_REG_NONE; return 0;
    }
    /* Binary data with the type in the high word: 0x000B0001 is REG_QWORD. */
    *type = t >> 16;
    return *binary ? 0 : -EINVAL;
}

static int addreg_value(const struct reg_entry *e, struct inf_reg_op *op)
{
    const struct inf_line *l = e->line;
    const char *const *v = l->nfields > 4 ? l->fields + 4 : NULL;
    size_t n = l->nfields > 4 ? l->nfields - 4 : 0;
    static const char *const empty[] = { "" };
    bool binary;

    if (addreg_type(op->flags, &op->type, &binary) < 0)
        return entry_error(e, "unsupported AddReg flags", field(l, 3));
    if (op->type == INF_REG_SZ || op->type == INF_REG_EXPAND_SZ)
        return string_data(e->ctx->plan, op, n ? v : empty, 1, false);
    if (op->type == INF_REG_MULTI_SZ)
        return string_data(e->ctx->plan, op, v, n, true);
    if (op->type == INF_REG_DWORD && n <= 1)
        return number_data(e, op, n ? v[0] : NULL, 4);
    if (op->type == INF_REG_QWORD && n == 1 && inf_strncaseeq(v[0], "0x", 2))
        return number_data(e, op, v[0], 8);
    return byte_data(e, op, v, n);
}

static int addreg_entry(const struct reg_entry *e)
{
    const struct inf_line *l = e->line;
    const char *flags_text = field(l, 3), *name = field(l, 2);
    uint32_t flags = 0;

    if (l->key)
        return entry_error(e, "unexpected key", l->key);
    if (flags_text && *flags_text && inf_parse_u32(flags_text, &flags) < 0)
        return entry_error(e, "invalid flags", flags_text);
    bool keyonly = flags & (INF_FLG_ADDREG_KEYONLY | INF_FLG_ADDREG_KEYONLY_COMMON);
    enum inf_reg_action action = INF_REG_SET;
    if (keyonly || (l->nfields <= 4 && (!name || !*name)))
        action = INF_REG_CREATE_KEY;
    else if (flags & INF_FLG_ADDREG_DELVAL)
        action = INF_REG_DELETE_VALUE;
    struct inf_reg_op *op;
    int r = entry_op(e, action, &op);
    if (r < 0)
        return r;
    op->flags = flags;
    return action == INF_REG_SET ? addreg_value(e, op) : 0;
}

static int delreg_entry(const struct reg_entry *e)
{
    const struct inf_line *l = e->line;
    const char *flags_text = field(l, 3), *name = field(l, 2);
    uint32_t flags = 0;

    if (l->key)
        return entry_error(e, "unexpected key", l->key);
    if (flags_text && *flags_text && inf_parse_u32(flags_text, &flags) < 0)
        return entry_error(e, "invalid flags", flags_text);
    enum inf_reg_action action = INF_REG_DELETE_VALUE;
    if (!name || !*name || (flags & INF_FLG_ADDREG_KEYONLY_COMMON))
        action = INF_REG_DELETE_KEY;
    else if (flags == INF_FLG_DELREG_MULTI_SZ_DELSTRING)
        action = INF_REG_DELETE_STRING;
    struct inf_reg_op *op;
    int r = entry_op(e, action, &op);
    if (r < 0)
        return r;
    op->flags = flags;
    if (action != INF_REG_DELETE_STRING)
        return 0;
    const char *s = field(l, 4) ? field(l, 4) : "";
    op->type = INF_REG_MULTI_SZ;
    return string_data(e->ctx->plan, op, &s, 1, false);
}

int inf_addreg_run(struct inf_plan_ctx *ctx, const struct inf_line *line, bool del,
                   enum inf_reg_root root, const char *root_name, bool hkr_allowed)
{
    struct reg_entry e = { .ctx = ctx, .hkr = root, .hkr_name = root_name,
                           .hkr_allowed = hkr_allowed };

    for (size_t i = 0; i < line->nfields; i++) {
        if (!*line->fields[i])
            continue;
        e.section = inf_section_find(ctx->inf, line->fields[i]);
        if (!e.section)
            return inf_error_set(ctx->err, ctx->inf->path, line->lineno, -EINVAL,
                                 "unknown section [%s] referenced", line->fields[i]);
        for (size_t j = 0; j < e.section->nlines; j++) {
            e.line = &e.section->lines[j];
            int r = del ? delreg_entry(&e) : addreg_entry(&e);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

int inf_addreg_directives(struct inf_plan_ctx *ctx, const struct inf_section *section,
                          enum inf_reg_root root, const char *root_name)
{
    for (size_t i = 0; i < section->nlines; i++) {
        const struct inf_line *d = &section->lines[i];
        bool del = d->key && inf_strcaseeq(d->key, "DelReg");
        if (!d->key || (!del && !inf_strcaseeq(d->key, "AddReg")))
            continue;
        int r = inf_addreg_run(ctx, d, del, root, root_name, true);
        if (r < 0)
            return r;
    }
    return 0;
}
