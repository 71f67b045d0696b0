/*
 * The registry store: errors, statements, transactions, batches, boots and
 * the small helpers the other regstore files share.
 */
#define REGSTORE_IMPL
#include "internal.h"
#include "nt/regstore.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Per thread, like errno, so threads sharing a handle keep their own. */
static _Thread_local char last_error[REGSTORE_ERROR_MAX];

const char *regstore_last_error(void)
{
    return last_error;
}

int regstore__errorf(int negative_errno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof(last_error), fmt, ap);
    va_end(ap);
    return negative_errno;
}

static int errno_from_sqlite(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return -EBUSY;
    case SQLITE_NOMEM:
        return -ENOMEM;
    case SQLITE_FULL:
        return -ENOSPC;
    case SQLITE_READONLY:
        return -EROFS;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return REGSTORE_E_CORRUPT;
    default:
        return -EIO;
    }
}

/* Records why SQLite failed while doing what, and returns the errno for it. */
int regstore__fail(struct regstore *rs, int sqlite_rc, const char *what)
{
    int err = errno_from_sqlite(sqlite_rc);
    if (err == -EBUSY)
        return regstore__errorf(err, "the registry %s is locked by another process "
                                "(gave up after %d ms, %s)", rs->db_path,
                                rs->busy_timeout_ms, what);
    return regstore__errorf(err, "the registry %s: %s: %s", rs->db_path, what,
                            sqlite3_errmsg(rs->db));
}

/* Statements are reset when taken, so a caller that stops early leaves no
 * harm behind; regstore__leave resets them all before ending a transaction. */
sqlite3_stmt *regstore__stmt(struct regstore *rs, enum regstore_stmt_id id)
{
    sqlite3_stmt *st = rs->stmt[id];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

/* SQLITE_ROW, SQLITE_DONE or a negative errno. */
int regstore__step(struct regstore *rs, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc;
    rc = regstore__fail(rs, rc, what);
    sqlite3_reset(st);
    return rc;
}

/* A text column, never NULL: SQLite may return NULL for an empty string. */
const char *regstore__text(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? s : "";
}

static int run(struct regstore *rs, enum regstore_stmt_id id)
{
    int rc = regstore__step(rs, regstore__stmt(rs, id), regstore__sql[id]);
    sqlite3_reset(rs->stmt[id]);
    return rc < 0 ? rc : 0;
}

static void reset_all(struct regstore *rs)
{
    for (int i = 0; i < RS_STMT_COUNT; i++)
        sqlite3_reset(rs->stmt[i]);
}

/* Locks the handle and starts a transaction, or a savepoint inside the
 * caller's batch so that a failing call undoes only itself. Writers take the
 * write lock up front: upgrading a read transaction could fail at once with
 * SQLITE_BUSY instead of waiting. */
int regstore__enter(struct regstore *rs, bool write)
{
    pthread_mutex_lock(&rs->lock);
    int rc = run(rs, rs->in_batch ? RS_SAVEPOINT : write ? RS_BEGIN_WRITE : RS_BEGIN_READ);
    if (rc < 0)
        pthread_mutex_unlock(&rs->lock);
    return rc;
}

/* Ends what regstore__enter started: commits if rc >= 0, else rolls back.
 * Returns rc, or the commit's error. */
int regstore__leave(struct regstore *rs, int rc)
{
    reset_all(rs);
    if (rs->in_batch) {
        if (rc < 0)
            run(rs, RS_ROLLBACK_TO);
        run(rs, RS_RELEASE);
    } else if (rc >= 0) {
        int commit = run(rs, RS_COMMIT);
        if (commit < 0) {
            run(rs, RS_ROLLBACK);
            rc = commit;
        }
    } else {
        run(rs, RS_ROLLBACK);
    }
    pthread_mutex_unlock(&rs->lock);
    return rc;
}

int regstore_begin(struct regstore *rs)
{
    pthread_mutex_lock(&rs->lock);
    if (rs->in_batch) {
        pthread_mutex_unlock(&rs->lock);
        return regstore__errorf(-EALREADY, "a registry batch is already open");
    }
    int rc = run(rs, RS_BEGIN_WRITE);
    if (rc < 0) {
        pthread_mutex_unlock(&rs->lock);
        return rc;
    }
    rs->in_batch = true;
    return 0; /* the mutex stays held until commit or rollback */
}

static int end_batch(struct regstore *rs, bool commit)
{
    pthread_mutex_lock(&rs->lock);
    if (!rs->in_batch) {
        pthread_mutex_unlock(&rs->lock);
        return regstore__errorf(-EINVAL, "no registry batch is open");
    }
    reset_all(rs);
    int rc = commit ? run(rs, RS_COMMIT) : 0;
    if (!commit || rc < 0)
        run(rs, RS_ROLLBACK);
    rs->in_batch = false;
    pthread_mutex_unlock(&rs->lock);
    pthread_mutex_unlock(&rs->lock); /* regstore_begin's */
    return rc;
}

int regstore_commit(struct regstore *rs)
{
    return end_batch(rs, true);
}

int regstore_rollback(struct regstore *rs)
{
    return end_batch(rs, false);
}

int regstore_flush(struct regstore *rs)
{
    pthread_mutex_lock(&rs->lock);
    int rc = SQLITE_OK;
    /* Inside a batch there is nothing committed to checkpoint yet. */
    if (!rs->in_batch)
        rc = sqlite3_wal_checkpoint_v2(rs->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    int err = rc == SQLITE_OK ? 0 : regstore__fail(rs, rc, "checkpointing");
    pthread_mutex_unlock(&rs->lock);
    return err;
}

static int read_boot_id(struct regstore *rs, int64_t *boot_id)
{
    sqlite3_stmt *st = regstore__stmt(rs, RS_BOOT_GET);
    int rc = regstore__step(rs, st, "reading the boot id");
    if (rc == SQLITE_ROW)
        *boot_id = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        rc = regstore__errorf(REGSTORE_E_CORRUPT, "the registry %s has no boot id",
                              rs->db_path);
    return rc < 0 ? rc : 0;
}

int regstore_boot_id(struct regstore *rs, int64_t *boot_id)
{
    int rc = regstore__enter(rs, false);
    if (rc < 0)
        return rc;
    return regstore__leave(rs, read_boot_id(rs, boot_id));
}

static int start_new_boot(struct regstore *rs)
{
    int rc = regstore__enter(rs, true);
    if (rc < 0)
        return rc;
    rc = run(rs, RS_BOOT_NEXT);
    if (rc == 0)
        rc = run(rs, RS_VOLATILE_WIPE);
    return regstore__leave(rs, rc);
}

/* The boot lock is an open-file-description lock on <db>-boot: every taking
 * part handle holds it shared, so winning it exclusively means no process of
 * the running boot is left. The kernel drops it when a process dies, and
 * turning exclusive into shared is atomic, so no newcomer can slip between
 * the wipe and our joining. */
static int take_boot_lock(struct regstore *rs, int fd, bool *started_new)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, F_OFD_SETLK, &fl) == 0) {
        int rc = start_new_boot(rs);
        if (rc < 0)
            return rc;
        *started_new = true;
    } else if (errno != EAGAIN && errno != EACCES) {
        return regstore__errorf(-errno, "cannot lock %s-boot: %s", rs->db_path,
                                strerror(errno));
    }
    fl.l_type = F_RDLCK;
    /* Waits only while a starting process wipes the last boot's keys. */
    if (fcntl(fd, F_OFD_SETLKW, &fl) < 0)
        return regstore__errorf(-errno, "cannot lock %s-boot: %s", rs->db_path,
                                strerror(errno));
    return 0;
}

int regstore_begin_boot(struct regstore *rs, bool *started_new)
{
    bool started = false;
    char *path = NULL;
    int rc = 0;

    pthread_mutex_lock(&rs->lock);
    if (rs->boot_fd >= 0) {
        rc = regstore__errorf(-EALREADY, "this registry handle already began a boot");
        goto out;
    }
    if (asprintf(&path, "%s-boot", rs->db_path) < 0) {
        rc = -ENOMEM;
        goto out;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = regstore__errorf(-errno, "cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    rc = take_boot_lock(rs, fd, &started);
    if (rc < 0)
        close(fd);
    else
        rs->boot_fd = fd;
out:
    pthread_mutex_unlock(&rs->lock);
    free(path);
    if (rc == 0 && started_new)
        *started_new = started;
    return rc;
}

/* UTF-16 units in len bytes of UTF-8, or -1 if they are not valid UTF-8. */
long regstore__u16len(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    long units = 0;
    while (p < end) {
        int extra = *p < 0x80 ? 0 : *p < 0xc2 ? -1 : *p < 0xe0 ? 1 : *p < 0xf0 ? 2
                  : *p < 0xf5 ? 3 : -1;
        if (extra < 0 || end - p <= extra)
            return -1;
        for (int i = 1; i <= extra; i++)
            if ((p[i] & 0xc0) != 0x80)
                return -1;
        units += extra == 3 ? 2 : 1; /* beyond the BMP: a surrogate pair */
        p += extra + 1;
    }
    return units;
}

/* Now as a Windows FILETIME. */
int64_t regstore__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
}
