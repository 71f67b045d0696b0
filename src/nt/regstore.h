/*
 * The registry store: Windows registry keys and values, kept persistently and
 * crash-safely in SQLite (<root>/registry.sqlite), shared by every process
 * that uses the same kmhost root. Private to src/nt/: the Zw registry
 * functions, the runtime's start-up and the INF installer include it; drivers
 * never see it. Plain C types only; the Zw layer converts UNICODE_STRING to
 * and from the UTF-8 names taken and returned here.
 *
 * Semantics, as on Windows unless said otherwise:
 * - A key path is components separated by '\'. Without a parent key the path
 *   is absolute ("\Registry\Machine\..."; "\" alone is the root); with one it
 *   is relative and must not start with '\' (OBJECT_ATTRIBUTES rules). A
 *   component is 1..255 UTF-16 units, no '\'. Names compare case-insensitively
 *   with ASCII folding and keep the case they were created with.
 * - Subkeys enumerate in name order (SQLite NOCASE, which folds to lower
 *   case: "[\]^_`" sort before letters, where Windows, folding to upper case,
 *   sorts them after). Values enumerate in creation order; overwriting a value
 *   keeps its place and its name's original case, as on Windows.
 * - A key handle (struct regstore_key) is the key's row id. Ids are never
 *   reused, so a handle to a deleted key can never reach a newer key: every
 *   call given one fails with REGSTORE_E_KEY_DELETED (STATUS_KEY_DELETED).
 *   A missing path, value or enumeration index is -ENOENT; REGSTORE_KEY_NONE
 *   where a key is needed is -EINVAL.
 * - Volatile keys live until the next boot (see regstore_begin_boot); a
 *   stable key cannot be created under a volatile one.
 *
 * Every mutating call is one SQLite transaction (atomic, durable when it
 * returns), or part of the caller's batch (regstore_begin). A store handle may
 * be shared by the threads of a process: each call holds the handle's mutex,
 * and a batch holds it from begin to commit, so other threads wait.
 * Calls return 0 or a negative errno; besides those listed, any call may fail
 * with -ENOMEM, -EBUSY (another process kept the database locked beyond the
 * busy timeout) or -EIO (SQLite failed; regstore_last_error() says how).
 */
#ifndef KMHOST_NT_REGSTORE_H
#define KMHOST_NT_REGSTORE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGSTORE_FILE_NAME "registry.sqlite"
#define REGSTORE_KEY_NAME_MAX 255     /* UTF-16 units in a key component */
#define REGSTORE_VALUE_NAME_MAX 16383 /* UTF-16 units in a value name */
#define REGSTORE_DATA_MAX (1024 * 1024)
#define REGSTORE_ERROR_MAX 512        /* enough for any message of ours */

/* What the Zw layer turns into STATUS_KEY_DELETED, STATUS_CHILD_MUST_BE_VOLATILE
 * and STATUS_REGISTRY_CORRUPT. */
#define REGSTORE_E_KEY_DELETED (-ESTALE)
#define REGSTORE_E_CHILD_MUST_BE_VOLATILE (-EPERM)
#define REGSTORE_E_CORRUPT (-EUCLEAN)

/* regstore_key_create options. */
#define REGSTORE_KEY_VOLATILE 0x1u

struct regstore;

/* A key handle: cheap to copy, valid across threads, never dangling. */
struct regstore_key {
    int64_t id;
};
#define REGSTORE_KEY_NONE ((struct regstore_key){0})

struct regstore_options {
    int busy_timeout_ms; /* how long to wait for another process; 0: 5000 */
};

struct regstore_key_info {
    char *name;              /* the last component; "" for the root; malloc'd */
    int64_t last_write;      /* FILETIME: 100 ns units since 1601-01-01 UTC */
    uint32_t subkeys;
    uint32_t values;
    uint32_t max_subkey_name; /* UTF-16 units (KEY_FULL_INFORMATION wants bytes: x2) */
    uint32_t max_value_name;  /* UTF-16 units */
    uint32_t max_value_data;  /* bytes */
    bool is_volatile;
};

struct regstore_value {
    char *name;  /* malloc'd */
    uint32_t type; /* REG_SZ, REG_DWORD, ... as the raw number */
    void *data;  /* malloc'd, size bytes (never NULL, even when size is 0) */
    size_t size;
};

/* Opens the store in root_dir, creating the directory and the database if
 * missing. Opening takes the write lock briefly, to check and create the
 * schema atomically. Refuses, leaving the file untouched, a database that is corrupt
 * (REGSTORE_E_CORRUPT), not a kmhost registry (REGSTORE_E_CORRUPT), from a
 * newer kmhost (-EPROTONOSUPPORT) or locked beyond the timeout (-EBUSY); err
 * (may be NULL) receives a sentence naming the file and the problem.
 * Also -EINVAL, -ENOMEM, -errno of mkdir, -EIO. */
int regstore_open(const char *root_dir, const struct regstore_options *opts,
                  struct regstore **out, char *err, size_t err_size);
/* Closes the store; a batch still open is rolled back (call it then from the
 * batch's thread; no other thread may be using the handle). NULL is a no-op. */
void regstore_close(struct regstore *rs);
/* Describes the last failure of a regstore call on the calling thread. */
const char *regstore_last_error(void);

/* Joins or starts a boot. The first process to call this on a root while no
 * other process holding a boot is alive starts a new boot: the boot id grows
 * and every volatile key is deleted. Later callers join the running boot and
 * keep its volatile keys. A handle takes part (holds a shared lock on
 * <root>/registry.sqlite-boot) until regstore_close; a crashed process stops
 * taking part. Processes that never call this (an installer) neither keep a
 * boot alive nor end one. *started_new (may be NULL) says which happened.
 * -EALREADY if this handle already called it; -errno of the lock file. */
int regstore_begin_boot(struct regstore *rs, bool *started_new);
/* The current boot id (0 before the first boot of a new store). */
int regstore_boot_id(struct regstore *rs, int64_t *boot_id);

/* Starts a batch: until commit or rollback, the calls on this handle form one
 * transaction, and other threads using the handle wait. A failing call inside
 * a batch undoes only itself. -EALREADY if a batch is open on this thread. */
int regstore_begin(struct regstore *rs);
/* Commits the batch; if that fails the batch is rolled back. -EINVAL: none open. */
int regstore_commit(struct regstore *rs);
/* Rolls the batch back. -EINVAL: none open. */
int regstore_rollback(struct regstore *rs);
/* Makes everything committed durable in the main file (ZwFlushKey): commits
 * are already durable in the write-ahead log, this checkpoints it. */
int regstore_flush(struct regstore *rs);

/* Creates the key at path (and any missing intermediate keys, which are
 * volatile only under a volatile key) or opens it if it exists (options are
 * then ignored). *created (may be NULL) says which. -EINVAL bad path or
 * options, -ENAMETOOLONG component too long, REGSTORE_E_KEY_DELETED parent
 * deleted, REGSTORE_E_CHILD_MUST_BE_VOLATILE stable key under volatile one. */
int regstore_key_create(struct regstore *rs, struct regstore_key parent,
                        const char *path, unsigned options,
                        struct regstore_key *out, bool *created);
/* Opens an existing key; an empty relative path reopens parent. -ENOENT no
 * such key, -EINVAL bad path, -ENAMETOOLONG, REGSTORE_E_KEY_DELETED. */
int regstore_key_open(struct regstore *rs, struct regstore_key parent,
                      const char *path, struct regstore_key *out);
/* Deletes a key and its values (ZwDeleteKey). -ENOTEMPTY it has subkeys,
 * -EACCES the root, REGSTORE_E_KEY_DELETED. */
int regstore_key_delete(struct regstore *rs, struct regstore_key key);
/* Deletes a key with all its subkeys and values (the installer's way).
 * -EACCES the root, REGSTORE_E_KEY_DELETED. */
int regstore_key_delete_tree(struct regstore *rs, struct regstore_key key);
/* Fills *info (free with regstore_key_info_clear). REGSTORE_E_KEY_DELETED. */
int regstore_key_query(struct regstore *rs, struct regstore_key key,
                       struct regstore_key_info *info);
void regstore_key_info_clear(struct regstore_key_info *info);
/* The subkey at index in name order. -ENOENT past the end,
 * REGSTORE_E_KEY_DELETED. */
int regstore_key_enum(struct regstore *rs, struct regstore_key key,
                      uint32_t index, struct regstore_key *subkey);
/* The key's full path, "\Registry\..." (malloc'd). REGSTORE_E_KEY_DELETED. */
int regstore_key_path(struct regstore *rs, struct regstore_key key, char **path);

/* Sets a value (NULL or "" names the default value). -ENAMETOOLONG,
 * -EINVAL bad name, -E2BIG data over REGSTORE_DATA_MAX, REGSTORE_E_KEY_DELETED. */
int regstore_value_set(struct regstore *rs, struct regstore_key key,
                       const char *name, uint32_t type, const void *data,
                       size_t size);
/* Reads a value into *value (free with regstore_value_clear). -ENOENT no such
 * value, -EINVAL, -ENAMETOOLONG, REGSTORE_E_KEY_DELETED. */
int regstore_value_query(struct regstore *rs, struct regstore_key key,
                         const char *name, struct regstore_value *value);
/* Deletes a value. -ENOENT no such value, -EINVAL, -ENAMETOOLONG,
 * REGSTORE_E_KEY_DELETED. */
int regstore_value_delete(struct regstore *rs, struct regstore_key key,
                          const char *name);
/* The value at index in creation order. -ENOENT past the end,
 * REGSTORE_E_KEY_DELETED. */
int regstore_value_enum(struct regstore *rs, struct regstore_key key,
                        uint32_t index, struct regstore_value *value);
void regstore_value_clear(struct regstore_value *value);

#ifdef REGSTORE_IMPL
/* Shared by the regstore*.c files only (they define REGSTORE_IMPL). */
#include <pthread.h>
#include <sqlite3.h>

enum regstore_stmt_id {
    RS_BEGIN_READ, RS_BEGIN_WRITE, RS_COMMIT, RS_ROLLBACK,
    RS_SAVEPOINT, RS_RELEASE, RS_ROLLBACK_TO,
    RS_KEY_GET, RS_KEY_CHILD, RS_KEY_INSERT, RS_KEY_TOUCH, RS_KEY_HAS_CHILD,
    RS_KEY_DELETE, RS_KEY_ENUM, RS_KEY_COUNTS,
    RS_VAL_SET, RS_VAL_GET, RS_VAL_DELETE, RS_VAL_ENUM, RS_VAL_COUNTS,
    RS_BOOT_GET, RS_BOOT_NEXT, RS_VOLATILE_WIPE,
    RS_STMT_COUNT
};

struct regstore {
    pthread_mutex_t lock; /* recursive: a batch holds it across calls */
    sqlite3 *db;
    sqlite3_stmt *stmt[RS_STMT_COUNT];
    char *db_path;
    int busy_timeout_ms;
    bool in_batch;
    int boot_fd; /* holds the boot lock; -1 until regstore_begin_boot */
};

#define REGSTORE_ROOT_ID 1

extern const char *const regstore__sql[RS_STMT_COUNT];

int regstore__fail(struct regstore *rs, int sqlite_rc, const char *what);
int regstore__errorf(int negative_errno, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
sqlite3_stmt *regstore__stmt(struct regstore *rs, enum regstore_stmt_id id);
int regstore__step(struct regstore *rs, sqlite3_stmt *st, const char *what);
const char *regstore__text(sqlite3_stmt *st, int col);
int regstore__enter(struct regstore *rs, bool write);
int regstore__leave(struct regstore *rs, int rc);
long regstore__u16len(const char *s, size_t len);
int64_t regstore__now(void);
int regstore__key_check(struct regstore *rs, int64_t id, int64_t *parent,
                        bool *is_volatile);
int regstore__touch(struct regstore *rs, int64_t id);
#endif /* REGSTORE_IMPL */

#endif /* KMHOST_NT_REGSTORE_H */
