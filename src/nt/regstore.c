/*
 * The registry store: opening, checking and closing the database, its schema
 * and its prepared statements. See regstore.h for the model.
 */
#define REGSTORE_IMPL
#include "internal.h"
#include "nt/regstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* PRAGMA application_id: tells our database from any other SQLite file. */
#define REGSTORE_APP_ID 1263355986 /* 0x4b4d4852, "KMHR" */
/* PRAGMA user_version: bump it, and add a migration, when the schema changes. */
#define REGSTORE_SCHEMA_VERSION 1
#define RS_STR_(x) #x
#define RS_STR(x) RS_STR_(x)
#define REGSTORE_DEFAULT_TIMEOUT_MS 5000

/* The root key is row 1 with no parent; every other key has one, so a
 * subtree goes with its key through ON DELETE CASCADE. AUTOINCREMENT keeps
 * ids from being reused: a stale handle must never reach a newer key. */
static const char schema_sql[] =
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "CREATE TABLE keys("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " parent INTEGER REFERENCES keys(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL COLLATE NOCASE,"
    " volatile INTEGER NOT NULL DEFAULT 0,"
    " boot INTEGER NOT NULL,"       /* the boot the key was created in */
    " last_write INTEGER NOT NULL);" /* FILETIME */
    "CREATE UNIQUE INDEX keys_by_name ON keys(parent, name);"
    "CREATE TABLE vals("
    " key INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL COLLATE NOCASE,"
    " type INTEGER NOT NULL,"
    " data BLOB NOT NULL);"
    "CREATE UNIQUE INDEX vals_by_name ON vals(key, name);"
    "INSERT INTO meta VALUES('boot', 0);"
    "PRAGMA user_version = " RS_STR(REGSTORE_SCHEMA_VERSION) ";"
    "PRAGMA application_id = " RS_STR(REGSTORE_APP_ID) ";";

const char *const regstore__sql[RS_STMT_COUNT] = {
    [RS_BEGIN_READ] = "BEGIN",
    [RS_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [RS_COMMIT] = "COMMIT",
    [RS_ROLLBACK] = "ROLLBACK",
    [RS_SAVEPOINT] = "SAVEPOINT op",
    [RS_RELEASE] = "RELEASE op",
    [RS_ROLLBACK_TO] = "ROLLBACK TO op",
    [RS_KEY_GET] = "SELECT parent, name, volatile, last_write FROM keys WHERE id = ?1",
    [RS_KEY_CHILD] = "SELECT id, volatile FROM keys WHERE parent = ?1 AND name = ?2",
    [RS_KEY_INSERT] = "INSERT INTO keys(parent, name, volatile, boot, last_write)"
                      " VALUES(?1, ?2, ?3, (SELECT value FROM meta WHERE name = 'boot'), ?4)",
    [RS_KEY_TOUCH] = "UPDATE keys SET last_write = ?2 WHERE id = ?1",
    [RS_KEY_HAS_CHILD] = "SELECT 1 FROM keys WHERE parent = ?1 LIMIT 1",
    [RS_KEY_DELETE] = "DELETE FROM keys WHERE id = ?1",
    [RS_KEY_ENUM] = "SELECT id FROM keys WHERE parent = ?1 ORDER BY name LIMIT 1 OFFSET ?2",
    [RS_KEY_COUNTS] = "SELECT count(*), coalesce(max(regstore_u16len(name)), 0)"
                      " FROM keys WHERE parent = ?1",
    [RS_VAL_SET] = "INSERT INTO vals(key, name, type, data) VALUES(?1, ?2, ?3, ?4)"
                   " ON CONFLICT(key, name) DO UPDATE SET type = excluded.type,"
                   " data = excluded.data",
    [RS_VAL_GET] = "SELECT name, type, data FROM vals WHERE key = ?1 AND name = ?2",
    [RS_VAL_DELETE] = "DELETE FROM vals WHERE key = ?1 AND name = ?2",
    [RS_VAL_ENUM] = "SELECT name, type, data FROM vals WHERE key = ?1"
                    " ORDER BY rowid LIMIT 1 OFFSET ?2",
    [RS_VAL_COUNTS] = "SELECT count(*), coalesce(max(regstore_u16len(name)), 0),"
                      " coalesce(max(length(data)), 0) FROM vals WHERE key = ?1",
    [RS_BOOT_GET] = "SELECT value FROM meta WHERE name = 'boot'",
    [RS_BOOT_NEXT] = "UPDATE meta SET value = value + 1 WHERE name = 'boot'",
    [RS_VOLATILE_WIPE] = "DELETE FROM keys WHERE volatile",
};

/* SQL length() counts code points; Windows sizes names in UTF-16 units. */
static void sql_u16len(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    long n = s ? regstore__u16len(s, (size_t)sqlite3_value_bytes(argv[0])) : 0;
    sqlite3_result_int64(ctx, n < 0 ? 0 : n);
}

static int make_dirs(const char *dir)
{
    char *copy = strdup(dir);
    if (!copy)
        return -ENOMEM;
    int rc = 0;
    for (char *p = copy + 1; rc == 0; p++) {
        bool end = *p == '\0';
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST)
            rc = regstore__errorf(-errno, "cannot create the kmhost root %s: %s",
                                  copy, strerror(errno));
        if (end)
            break;
        *p = '/';
    }
    free(copy);
    return rc;
}

/* Runs a statement that returns one integer (a pragma, a count). */
static int query_int(struct regstore *rs, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(rs->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return regstore__fail(rs, rc, sql);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    int err = rc == SQLITE_ROW ? 0 : regstore__fail(rs, rc, sql);
    sqlite3_finalize(st);
    return err;
}

static int open_db(struct regstore *rs)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(rs->db_path, &rs->db, flags, NULL);
    if (rc != SQLITE_OK)
        return regstore__errorf(rc == SQLITE_NOMEM ? -ENOMEM : -EIO,
                                "cannot open the registry %s: %s", rs->db_path,
                                rs->db ? sqlite3_errmsg(rs->db) : sqlite3_errstr(rc));
    sqlite3_extended_result_codes(rs->db, 1);
    sqlite3_busy_timeout(rs->db, rs->busy_timeout_ms);
    /* Until the file is known to be ours and sound, closing must not
     * checkpoint a stray write-ahead log into it. */
    sqlite3_db_config(rs->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    rc = sqlite3_create_function(rs->db, "regstore_u16len", 1,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                 NULL, sql_u16len, NULL, NULL);
    if (rc != SQLITE_OK)
        return regstore__fail(rs, rc, "registering regstore_u16len");
    return 0;
}

static int refuse_corrupt(struct regstore *rs, const char *problem)
{
    return regstore__errorf(REGSTORE_E_CORRUPT,
                            "the registry %s is corrupt (%s); refusing to use it, "
                            "the file was left unchanged", rs->db_path, problem);
}

/* A read-only integrity check: garbage, truncation and damaged pages. */
static int check_integrity(struct regstore *rs)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(rs->db, "PRAGMA quick_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int err = 0;
    if (rc == SQLITE_ROW) {
        const char *res = (const char *)sqlite3_column_text(st, 0);
        if (!res || strcmp(res, "ok") != 0)
            err = refuse_corrupt(rs, res ? res : "integrity check failed");
    } else if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
        err = refuse_corrupt(rs, sqlite3_errmsg(rs->db));
    } else {
        err = regstore__fail(rs, rc, "checking integrity");
    }
    sqlite3_finalize(st);
    return err;
}

/* Whether the file is ours (1), a fresh empty database (0) or refused (<0). */
static int check_identity(struct regstore *rs)
{
    int64_t app_id = 0, version = 0, tables = 0;
    int rc = query_int(rs, "PRAGMA application_id", &app_id);
    if (rc == 0)
        rc = query_int(rs, "PRAGMA user_version", &version);
    if (rc == 0)
        rc = query_int(rs, "SELECT count(*) FROM sqlite_master", &tables);
    if (rc < 0)
        return rc;
    if (app_id == 0 && version == 0 && tables == 0)
        return 0;
    if (app_id != REGSTORE_APP_ID)
        return regstore__errorf(REGSTORE_E_CORRUPT,
                                "%s is a SQLite database but not a kmhost registry; "
                                "refusing to use it", rs->db_path);
    if (version > REGSTORE_SCHEMA_VERSION)
        return regstore__errorf(-EPROTONOSUPPORT,
                                "the registry %s has schema version %lld, newer than "
                                "this kmhost knows (%d); refusing to use it",
                                rs->db_path, (long long)version, REGSTORE_SCHEMA_VERSION);
    return 1;
}

static int exec_sql(struct regstore *rs, const char *sql, const char *what)
{
    int rc = sqlite3_exec(rs->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : regstore__fail(rs, rc, what);
}

static int set_journal_wal(struct regstore *rs)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(rs->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int err = 0;
    if (rc != SQLITE_ROW)
        err = regstore__fail(rs, rc, "switching to write-ahead logging");
    else if (strcmp(regstore__text(st, 0), "wal") != 0)
        err = regstore__errorf(-EIO, "%s: the file system does not allow "
                               "write-ahead logging", rs->db_path);
    sqlite3_finalize(st);
    return err;
}

static int create_schema(struct regstore *rs)
{
    int rc = exec_sql(rs, schema_sql, "creating the schema");
    if (rc < 0)
        return rc;
    char *root = sqlite3_mprintf("INSERT INTO keys(id, parent, name, boot, last_write)"
                                 " VALUES(%d, NULL, '', 0, %lld)", REGSTORE_ROOT_ID,
                                 (long long)regstore__now());
    if (!root)
        return -ENOMEM;
    rc = exec_sql(rs, root, "creating the root key");
    sqlite3_free(root);
    return rc;
}

/* Checks again under the write lock, since another process may have created
 * the schema since check_identity. Taking the write lock here means a store
 * that another process keeps locked is refused at open, not at first write. */
static int setup_schema(struct regstore *rs)
{
    int rc = exec_sql(rs, "BEGIN IMMEDIATE", "opening");
    if (rc < 0)
        return rc;
    rc = check_identity(rs);
    if (rc == 0)
        rc = create_schema(rs);
    if (rc >= 0)
        return exec_sql(rs, "COMMIT", "creating the schema");
    sqlite3_exec(rs->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int prepare_all(struct regstore *rs)
{
    for (int i = 0; i < RS_STMT_COUNT; i++) {
        int rc = sqlite3_prepare_v3(rs->db, regstore__sql[i], -1,
                                    SQLITE_PREPARE_PERSISTENT, &rs->stmt[i], NULL);
        if (rc != SQLITE_OK)
            return regstore__fail(rs, rc, regstore__sql[i]);
    }
    return 0;
}

/* Nothing is written before the file has passed both checks. */
static int setup_db(struct regstore *rs)
{
    int rc = open_db(rs);
    if (rc == 0)
        rc = check_integrity(rs);
    if (rc == 0)
        rc = check_identity(rs);
    if (rc < 0)
        return rc;
    /* FULL: a call that returned is on disk, so a crash never loses it. */
    rc = exec_sql(rs, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL",
                  "configuring the connection");
    if (rc == 0)
        rc = set_journal_wal(rs);
    if (rc == 0)
        rc = setup_schema(rs);
    if (rc == 0)
        rc = prepare_all(rs);
    if (rc == 0)
        sqlite3_db_config(rs->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
    return rc;
}

static struct regstore *store_new(const char *root_dir, const struct regstore_options *opts)
{
    struct regstore *rs = calloc(1, sizeof(*rs));
    if (!rs)
        return NULL;
    if (asprintf(&rs->db_path, "%s/%s", root_dir, REGSTORE_FILE_NAME) < 0) {
        free(rs);
        return NULL;
    }
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rs->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    rs->boot_fd = -1;
    rs->busy_timeout_ms = opts && opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms
                                                            : REGSTORE_DEFAULT_TIMEOUT_MS;
    return rs;
}

int regstore_open(const char *root_dir, const struct regstore_options *opts,
                  struct regstore **out, char *err, size_t err_size)
{
    int rc;
    struct regstore *rs = NULL;

    if (!root_dir || !*root_dir || !out) {
        rc = regstore__errorf(-EINVAL, "regstore_open: no root directory given");
        goto err;
    }
    *out = NULL;
    rc = make_dirs(root_dir);
    if (rc < 0)
        goto err;
    rs = store_new(root_dir, opts);
    if (!rs) {
        rc = regstore__errorf(-ENOMEM, "out of memory opening the registry");
        goto err;
    }
    rc = setup_db(rs);
    if (rc < 0)
        goto err_close;
    *out = rs;
    return 0;

err_close:
    regstore_close(rs);
err:
    if (err && err_size)
        snprintf(err, err_size, "%s", regstore_last_error());
    return rc;
}

void regstore_close(struct regstore *rs)
{
    if (!rs)
        return;
    if (rs->in_batch) {
        sqlite3_exec(rs->db, "ROLLBACK", NULL, NULL, NULL);
        pthread_mutex_unlock(&rs->lock); /* regstore_begin's */
    }
    for (int i = 0; i < RS_STMT_COUNT; i++)
        sqlite3_finalize(rs->stmt[i]);
    sqlite3_close(rs->db);
    if (rs->boot_fd >= 0)
        close(rs->boot_fd);
    pthread_mutex_destroy(&rs->lock);
    free(rs->db_path);
    free(rs);
}
