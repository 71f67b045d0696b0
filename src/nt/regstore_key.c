/*
 * The registry store: keys, their paths, enumeration and deletion.
 */
#define REGSTORE_IMPL
#include "internal.h"
#include "nt/regstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The key behind a handle: -EINVAL for none, REGSTORE_E_KEY_DELETED. Call inside a
 * transaction; parent and is_volatile may be NULL. */
int regstore__key_check(struct regstore *rs, int64_t id, int64_t *parent, bool *is_volatile)
{
    if (id <= 0)
        return regstore__errorf(-EINVAL, "invalid registry key handle");
    sqlite3_stmt *st = regstore__stmt(rs, RS_KEY_GET);
    sqlite3_bind_int64(st, 1, id);
    int rc = regstore__step(rs, st, "looking up a key");
    if (rc == SQLITE_DONE)
        return regstore__errorf(REGSTORE_E_KEY_DELETED, "the registry key was deleted");
    if (rc < 0)
        return rc;
    if (parent)
        *parent = sqlite3_column_int64(st, 0);
    if (is_volatile)
        *is_volatile = sqlite3_column_int(st, 2) != 0;
    return 0;
}

int regstore__touch(struct regstore *rs, int64_t id)
{
    sqlite3_stmt *st = regstore__stmt(rs, RS_KEY_TOUCH);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, regstore__now());
    int rc = regstore__step(rs, st, "updating a key's last write time");
    return rc < 0 ? rc : 0;
}

/* Where a path starts and what is left of it after the leading '\', checking
 * every component: absolute without a parent, relative with one, as
 * OBJECT_ATTRIBUTES has it. */
static int path_start(struct regstore_key parent, const char **path, int64_t *start)
{
    const char *p = *path;
    if (!p || parent.id < 0 || (parent.id == 0) != (p[0] == '\\'))
        return regstore__errorf(-EINVAL, "bad registry path \"%s\"", p ? p : "(null)");
    *start = parent.id ? parent.id : REGSTORE_ROOT_ID;
    *path = p = parent.id ? p : p + 1;
    while (*p) {
        size_t len = strcspn(p, "\\");
        long units = regstore__u16len(p, len);
        if (len == 0 || units < 0)
            return regstore__errorf(-EINVAL, "bad registry path \"%s\"", *path);
        if (units > REGSTORE_KEY_NAME_MAX)
            return regstore__errorf(-ENAMETOOLONG, "registry key name over %d "
                                    "characters in \"%s\"", REGSTORE_KEY_NAME_MAX, *path);
        p += len;
        if (*p == '\\' && *++p == '\0')
            return regstore__errorf(-EINVAL, "bad registry path \"%s\"", *path);
    }
    return 0;
}

/* 1 and the child's id if parent has a child called name, 0 if not. */
static int child_find(struct regstore *rs, int64_t parent, const char *name, size_t len,
                      int64_t *child, bool *is_volatile)
{
    sqlite3_stmt *st = regstore__stmt(rs, RS_KEY_CHILD);
    sqlite3_bind_int64(st, 1, parent);
    sqlite3_bind_text(st, 2, name, (int)len, SQLITE_STATIC);
    int rc = regstore__step(rs, st, "looking up a key");
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : rc;
    *child = sqlite3_column_int64(st, 0);
    *is_volatile = sqlite3_column_int(st, 1) != 0;
    return 1;
}

static int child_insert(struct regstore *rs, int64_t parent, const char *name, size_t len,
                        bool is_volatile, int64_t *child)
{
    sqlite3_stmt *st = regstore__stmt(rs, RS_KEY_INSERT);
    sqlite3_bind_int64(st, 1, parent);
    sqlite3_bind_text(st, 2, name, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, is_volatile);
    sqlite3_bind_int64(st, 4, regstore__now());
    int rc = regstore__step(rs, st, "creating a key");
    if (rc < 0)
        return rc;
    *child = sqlite3_last_insert_rowid(rs->db);
    return regstore__touch(rs, parent);
}

/* Steps from *id into its child name, creating it if asked: 1 found, 0
 * created, -ENOENT missing. *is_volatile goes from the parent's to the child's. */
static int walk_one(struct regstore *rs, int64_t *id, const char *name, size_t len,
                    bool create, bool want_volatile, bool *is_volatile)
{
    bool parent_volatile = *is_volatile;
    int rc = child_find(rs, *id, name, len, id, is_volatile);
    if (rc != 0)
        return rc;
    if (!create)
        return regstore__errorf(-ENOENT, "no registry key \"%.*s\"", (int)len, name);
    if (parent_volatile && !want_volatile)
        return regstore__errorf(REGSTORE_E_CHILD_MUST_BE_VOLATILE,
                                "a stable registry key cannot be created under a volatile one");
    *is_volatile = want_volatile;
    return child_insert(rs, *id, name, len, want_volatile, id);
}

/* Walks a checked relative path from *id (creating what is missing if asked),
 * leaving *id at its end: 1 if the last key was created, 0 if it existed.
 * Missing intermediate keys are volatile only under a volatile key. */
static int walk(struct regstore *rs, int64_t *id, const char *path, bool create,
                bool want_volatile)
{
    bool is_volatile = false;
    int made = 0;
    int rc = regstore__key_check(rs, *id, NULL, &is_volatile);
    for (const char *p = path; rc >= 0 && *p;) {
        size_t len = strcspn(p, "\\");
        bool last = p[len] == '\0';
        rc = walk_one(rs, id, p, len, create, last ? want_volatile : is_volatile,
                      &is_volatile);
        made = rc == 0;
        p += len + !last;
    }
    return rc < 0 ? rc : made;
}

int regstore_key_create(struct regstore *rs, struct regstore_key parent,
                        const char *path, unsigned options,
                        struct regstore_key *out, bool *created)
{
    int64_t id;
    if (options & ~REGSTORE_KEY_VOLATILE)
        return regstore__errorf(-EINVAL, "unknown registry key options %#x", options);
    int rc = path_start(parent, &path, &id);
    if (rc == 0)
        rc = regstore__enter(rs, true);
    if (rc < 0)
        return rc;
    rc = regstore__leave(rs, walk(rs, &id, path, true, options & REGSTORE_KEY_VOLATILE));
    if (rc < 0)
        return rc;
    out->id = id;
    if (created)
        *created = rc == 1;
    return 0;
}

int regstore_key_open(struct regstore *rs, struct regstore_key parent,
                      const char *path, struct regstore_key *out)
{
    int64_t id;
    int rc = path_start(parent, &path, &id);
    if (rc == 0)
        rc = regstore__enter(rs, false);
    if (rc < 0)
        return rc;
    rc = regstore__leave(rs, walk(rs, &id, path, false, false));
    if (rc < 0)
        return rc;
    out->id = id;
    return 0;
}

static int key_delete(struct regstore *rs, struct regstore_key key, bool tree)
{
    int64_t parent = 0;
    sqlite3_stmt *st;
    if (key.id == REGSTORE_ROOT_ID)
        return regstore__errorf(-EACCES, "the registry root cannot be deleted");
    int rc = regstore__enter(rs, true);
    if (rc < 0)
        return rc;
    rc = regstore__key_check(rs, key.id, &parent, NULL);
    if (rc == 0 && !tree) {
        st = regstore__stmt(rs, RS_KEY_HAS_CHILD);
        sqlite3_bind_int64(st, 1, key.id);
        rc = regstore__step(rs, st, "looking for subkeys");
        if (rc == SQLITE_ROW)
            rc = regstore__errorf(-ENOTEMPTY, "the registry key has subkeys");
    }
    if (rc >= 0) {
        st = regstore__stmt(rs, RS_KEY_DELETE);
        sqlite3_bind_int64(st, 1, key.id);
        rc = regstore__step(rs, st, "deleting a key");
    }
    if (rc >= 0)
        rc = regstore__touch(rs, parent);
    return regstore__leave(rs, rc);
}

int regstore_key_delete(struct regstore *rs, struct regstore_key key)
{
    return key_delete(rs, key, false);
}

int regstore_key_delete_tree(struct regstore *rs, struct regstore_key key)
{
    return key_delete(rs, key, true);
}

static int count_children(struct regstore *rs, int64_t id, struct regstore_key_info *info)
{
    sqlite3_stmt *st = regstore__stmt(rs, RS_KEY_COUNTS);
    sqlite3_bind_int64(st, 1, id);
    int rc = regstore__step(rs, st, "counting subkeys");
    if (rc != SQLITE_ROW)
        return rc < 0 ? rc : -EIO;
    info->subkeys = (uint32_t)sqlite3_column_int64(st, 0);
    info->max_subkey_name = (uint32_t)sqlite3_column_int64(st, 1);
    st = regstore__stmt(rs, RS_VAL_COUNTS);
    sqlite3_bind_int64(st, 1, id);
    rc = regstore__step(rs, st, "counting values");
    if (rc != SQLITE_ROW)
        return rc < 0 ? rc : -EIO;
    info->values = (uint32_t)sqlite3_column_int64(st, 0);
    info->max_value_name = (uint32_t)sqlite3_column_int64(st, 1);
    info->max_value_data = (uint32_t)sqlite3_column_int64(st, 2);
    return 0;
}

static int key_row(struct regstore *rs, int64_t id, struct regstore_key_info *info)
{
    int rc = regstore__key_check(rs, id, NULL, &info->is_volatile);
    if (rc < 0)
        return rc;
    /* regstore__key_check left the row on RS_KEY_GET. */
    sqlite3_stmt *st = rs->stmt[RS_KEY_GET];
    info->last_write = sqlite3_column_int64(st, 3);
    info->name = strdup(regstore__text(st, 1));
    return info->name ? 0 : -ENOMEM;
}

int regstore_key_query(struct regstore *rs, struct regstore_key key,
                       struct regstore_key_info *info)
{
    memset(info, 0, sizeof(*info));
    int rc = regstore__enter(rs, false);
    if (rc < 0)
        return rc;
    rc = key_row(rs, key.id, info);
    if (rc == 0)
        rc = count_children(rs, key.id, info);
    rc = regstore__leave(rs, rc);
    if (rc < 0)
        regstore_key_info_clear(info);
    return rc;
}

void regstore_key_info_clear(struct regstore_key_info *info)
{
    free(info->name);
    memset(info, 0, sizeof(*info));
}

int regstore_key_enum(struct regstore *rs, struct regstore_key key,
                      uint32_t index, struct regstore_key *subkey)
{
    int rc = regstore__enter(rs, false);
    if (rc < 0)
        return rc;
    rc = regstore__key_check(rs, key.id, NULL, NULL);
    if (rc == 0) {
        sqlite3_stmt *st = regstore__stmt(rs, RS_KEY_ENUM);
        sqlite3_bind_int64(st, 1, key.id);
        sqlite3_bind_int64(st, 2, index);
        rc = regstore__step(rs, st, "enumerating subkeys");
        if (rc == SQLITE_ROW)
            subkey->id = sqlite3_column_int64(st, 0);
        else if (rc == SQLITE_DONE)
            rc = regstore__errorf(-ENOENT, "no subkey at index %u", index);
    }
    return regstore__leave(rs, rc < 0 ? rc : 0);
}

/* Prepends "\name" of each key from id up to the root. */
static int build_path(struct regstore *rs, int64_t id, char **path)
{
    char *acc = strdup("");
    int rc = acc ? 0 : -ENOMEM;
    while (rc == 0 && id != REGSTORE_ROOT_ID) {
        rc = regstore__key_check(rs, id, &id, NULL);
        char *next = NULL;
        if (rc == 0 && asprintf(&next, "\\%s%s",
                                regstore__text(rs->stmt[RS_KEY_GET], 1),
                                acc) < 0)
            rc = -ENOMEM;
        if (rc == 0) {
            free(acc);
            acc = next;
        }
    }
    if (rc == 0 && !*acc) {
        free(acc);
        acc = strdup("\\");
        rc = acc ? 0 : -ENOMEM;
    }
    if (rc < 0)
        free(acc);
    *path = rc < 0 ? NULL : acc;
    return rc;
}

int regstore_key_path(struct regstore *rs, struct regstore_key key, char **path)
{
    *path = NULL;
    int rc = regstore__enter(rs, false);
    if (rc < 0)
        return rc;
    rc = regstore__key_check(rs, key.id, NULL, NULL);
    if (rc == 0)
        rc = build_path(rs, key.id, path);
    rc = regstore__leave(rs, rc);
    if (rc < 0) {
        free(*path);
        *path = NULL;
    }
    return rc;
}
