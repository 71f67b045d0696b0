/*
 * The registry store: values. Data is an opaque blob; the type is the raw
 * REG_* number and the store never looks at either.
 */
#define REGSTORE_IMPL
#include "internal.h"
#include "nt/regstore.h"

#include <stdlib.h>
#include <string.h>

/* NULL names the default value, like "". */
static int check_name(const char **name)
{
    if (!*name)
        *name = "";
    long units = regstore__u16len(*name, strlen(*name));
    if (units < 0)
        return regstore__errorf(-EINVAL, "registry value name is not valid UTF-8");
    if (units > REGSTORE_VALUE_NAME_MAX)
        return regstore__errorf(-ENAMETOOLONG, "registry value name over %d characters",
                                REGSTORE_VALUE_NAME_MAX);
    return 0;
}

/* Enters a transaction on a live key with a checked value name. */
static int enter_key(struct regstore *rs, struct regstore_key key, const char **name,
                     bool write)
{
    int rc = name ? check_name(name) : 0;
    if (rc == 0)
        rc = regstore__enter(rs, write);
    if (rc < 0)
        return rc;
    rc = regstore__key_check(rs, key.id, NULL, NULL);
    if (rc < 0)
        regstore__leave(rs, rc);
    return rc;
}

/* Copies the current row (name, type, data) of st into *value. */
static int value_from_row(sqlite3_stmt *st, struct regstore_value *value)
{
    size_t size = (size_t)sqlite3_column_bytes(st, 2);
    const void *data = sqlite3_column_blob(st, 2);
    value->name = strdup(regstore__text(st, 0));
    value->type = (uint32_t)sqlite3_column_int64(st, 1);
    value->data = malloc(size ? size : 1);
    value->size = size;
    if (!value->name || !value->data) {
        regstore_value_clear(value);
        return -ENOMEM;
    }
    if (size)
        memcpy(value->data, data, size);
    return 0;
}

int regstore_value_set(struct regstore *rs, struct regstore_key key,
                       const char *name, uint32_t type, const void *data,
                       size_t size)
{
    if (size > REGSTORE_DATA_MAX)
        return regstore__errorf(-E2BIG, "registry value data over %d bytes",
                                REGSTORE_DATA_MAX);
    if (!data && size)
        return regstore__errorf(-EINVAL, "registry value data missing");
    int rc = enter_key(rs, key, &name, true);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = regstore__stmt(rs, RS_VAL_SET);
    sqlite3_bind_int64(st, 1, key.id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, type);
    /* A NULL blob would bind SQL NULL; empty data is a zero-length blob. */
    if (size)
        sqlite3_bind_blob(st, 4, data, (int)size, SQLITE_STATIC);
    else
        sqlite3_bind_zeroblob(st, 4, 0);
    rc = regstore__step(rs, st, "setting a value");
    if (rc >= 0)
        rc = regstore__touch(rs, key.id);
    return regstore__leave(rs, rc);
}

int regstore_value_query(struct regstore *rs, struct regstore_key key,
                         const char *name, struct regstore_value *value)
{
    memset(value, 0, sizeof(*value));
    int rc = enter_key(rs, key, &name, false);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = regstore__stmt(rs, RS_VAL_GET);
    sqlite3_bind_int64(st, 1, key.id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = regstore__step(rs, st, "reading a value");
    if (rc == SQLITE_ROW)
        rc = value_from_row(st, value);
    else if (rc == SQLITE_DONE)
        rc = regstore__errorf(-ENOENT, "no registry value \"%s\"", name);
    return regstore__leave(rs, rc);
}

int regstore_value_delete(struct regstore *rs, struct regstore_key key,
                          const char *name)
{
    int rc = enter_key(rs, key, &name, true);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = regstore__stmt(rs, RS_VAL_DELETE);
    sqlite3_bind_int64(st, 1, key.id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = regstore__step(rs, st, "deleting a value");
    if (rc >= 0 && sqlite3_changes(rs->db) == 0)
        rc = regstore__errorf(-ENOENT, "no registry value \"%s\"", name);
    if (rc >= 0)
        rc = regstore__touch(rs, key.id);
    return regstore__leave(rs, rc);
}

int regstore_value_enum(struct regstore *rs, struct regstore_key key,
                        uint32_t index, struct regstore_value *value)
{
    memset(value, 0, sizeof(*value));
    int rc = enter_key(rs, key, NULL, false);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = regstore__stmt(rs, RS_VAL_ENUM);
    sqlite3_bind_int64(st, 1, key.id);
    sqlite3_bind_int64(st, 2, index);
    rc = regstore__step(rs, st, "enumerating values");
    if (rc == SQLITE_ROW)
        rc = value_from_row(st, value);
    else if (rc == SQLITE_DONE)
        rc = regstore__errorf(-ENOENT, "no registry value at index %u", index);
    return regstore__leave(rs, rc);
}

void regstore_value_clear(struct regstore_value *value)
{
    free(value->name);
    free(value->data);
    memset(value, 0, sizeof(*value));
}
