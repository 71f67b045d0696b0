/*
 * The process-wide registry: the kmhost root directory, opening and closing
 * the store behind the registry DDIs, key handles, and what every registry
 * DDI shares (holding the store for a call, access checks, statuses, the
 * copy-out rule of the query calls). The DDIs are in registry_key.c,
 * registry_value.c and registry_rtl.c.
 */
#define NT_REGISTRY_IMPL
#include "nt/registry.h"
#include "verifier/verifier.h"

#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- The root directory ---------------------------------------------------- */

static pthread_mutex_t root_lock = PTHREAD_MUTEX_INITIALIZER;
static char *root_dir; /* replaced only by nt_set_root_dir */

static int mkdir_p(const char *path)
{
    char *copy = strdup(path);
    int rc = 0;

    if (!copy)
        return -ENOMEM;
    for (char *p = copy + 1; *p && !rc; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0700) < 0 && errno != EEXIST)
            rc = -errno;
        *p = '/';
    }
    if (!rc && mkdir(copy, 0700) < 0 && errno != EEXIST)
        rc = -errno;
    free(copy);
    return rc;
}

static char *home_dir_path(const char *suffix)
{
    const char *home = getenv("HOME");
    struct passwd pw, *found = NULL;
    char buf[1024];
    char *path = NULL;

    if ((!home || !*home) && getpwuid_r(getuid(), &pw, buf, sizeof(buf), &found) == 0 && found)
        home = found->pw_dir;
    if (!home || !*home || asprintf(&path, "%s%s", home, suffix) < 0)
        return NULL;
    return path;
}

static char *default_root_dir(void)
{
    const char *env = getenv("KMHOST_ROOT");
    char *path = NULL;

    if (env && *env)
        return strdup(env);
    /* The XDG spec says to ignore a relative XDG_STATE_HOME. */
    env = getenv("XDG_STATE_HOME");
    if (env && env[0] == '/')
        return asprintf(&path, "%s/kmhost", env) < 0 ? NULL : path;
    return home_dir_path("/.local/state/kmhost");
}

/* The directory is created once, on first use; if that fails the path is
 * still returned, and whoever opens a file there reports the error. NULL
 * only without memory or any home directory. */
const char *nt_root_dir(void)
{
    const char *dir;

    pthread_mutex_lock(&root_lock);
    if (!root_dir && (root_dir = default_root_dir()) != NULL)
        (void)mkdir_p(root_dir);
    dir = root_dir;
    pthread_mutex_unlock(&root_lock);
    return dir;
}

int nt_set_root_dir(const char *path)
{
    char *copy;
    int rc;

    if (!path || !*path)
        return -EINVAL;
    if (!(copy = strdup(path)))
        return -ENOMEM;
    if ((rc = mkdir_p(copy)) < 0) {
        free(copy);
        return rc;
    }
    pthread_mutex_lock(&root_lock);
    free(root_dir);
    root_dir = copy;
    pthread_mutex_unlock(&root_lock);
    return 0;
}

/* --- The store --------------------------------------------------------------- */

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct regstore *reg_store;
static char *reg_root;
static unsigned reg_opens;  /* nt_registry_open references */
static unsigned reg_active; /* DDI calls running on reg_store */

/* What drivers find on any Windows machine, and the roots of the RTL_REGISTRY_*
 * paths. CurrentControlSet is a real key here, not a link to ControlSet001. */
static const char *const base_keys[] = {
    "\\Registry\\Machine\\System\\CurrentControlSet\\Services",
    "\\Registry\\Machine\\System\\CurrentControlSet\\Control",
    "\\Registry\\Machine\\System\\CurrentControlSet\\Enum",
    "\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion",
    "\\Registry\\Machine\\Hardware\\DeviceMap",
    "\\Registry\\User\\.Default",
};

static int create_base_keys(struct regstore *rs)
{
    int rc = regstore_begin(rs);

    for (size_t i = 0; !rc && i < KMH_ARRAY_SIZE(base_keys); i++) {
        struct regstore_key key;
        rc = regstore_key_create(rs, REGSTORE_KEY_NONE, base_keys[i], 0, &key, NULL);
    }
    if (rc) {
        regstore_rollback(rs);
        return rc;
    }
    return regstore_commit(rs);
}

/* reg_lock held. */
static int store_start(const char *root, char *err, size_t err_size)
{
    struct regstore *rs;
    const char *step = "start a boot in";
    int rc = regstore_open(root, NULL, &rs, err, err_size);

    if (rc)
        return rc;
    rc = regstore_begin_boot(rs, NULL);
    if (!rc) {
        step = "create the base keys of";
        rc = create_base_keys(rs);
    }
    if (!rc && !(reg_root = strdup(root)))
        rc = -ENOMEM;
    if (rc) {
        if (err && err_size)
            snprintf(err, err_size, "cannot %s the registry in %s: %s", step, root, regstore_last_error());
        regstore_close(rs);
        return rc;
    }
    reg_store = rs;
    reg_opens = 1;
    return 0;
}

/* reg_lock held. The last user closes the store. */
static void store_release(void)
{
    if (reg_opens || reg_active || !reg_store)
        return;
    regstore_close(reg_store);
    reg_store = NULL;
    free(reg_root);
    reg_root = NULL;
}

int nt_registry_open(const char *root_dir, char *err, size_t err_size)
{
    int rc = 0;

    if (!root_dir && !(root_dir = nt_root_dir())) {
        if (err && err_size)
            snprintf(err, err_size, "no kmhost root directory: set KMHOST_ROOT or HOME");
        return -ENOENT;
    }
    pthread_mutex_lock(&reg_lock);
    if (!reg_store) {
        rc = store_start(root_dir, err, err_size);
    } else if (strcmp(reg_root, root_dir) == 0) {
        reg_opens++;
    } else {
        rc = -EBUSY;
        if (err && err_size)
            snprintf(err, err_size, "the registry of %s is open; cannot open %s too", reg_root, root_dir);
    }
    pthread_mutex_unlock(&reg_lock);
    return rc;
}

void nt_registry_close(void)
{
    pthread_mutex_lock(&reg_lock);
    if (reg_opens) {
        reg_opens--;
        store_release();
    }
    pthread_mutex_unlock(&reg_lock);
}

struct regstore *nt_registry(void)
{
    struct regstore *rs;

    pthread_mutex_lock(&reg_lock);
    rs = reg_opens ? reg_store : NULL;
    pthread_mutex_unlock(&reg_lock);
    return rs;
}

/* --- Calls and handles --------------------------------------------------------- */

/* How deep the running thread is in Rtl registry routines, whose own Zw
 * calls are not reported again. */
static __thread unsigned rtl_depth;

void nt_reg_check_irql(const char *ddi, void *caller)
{
    KIRQL irql = KeGetCurrentIrql();

    if (kmh_unlikely(irql != PASSIVE_LEVEL) && !rtl_depth)
        vf_report(VF_IRQL, ddi, caller, "called at IRQL %u; registry routines require PASSIVE_LEVEL",
                  (unsigned)irql);
}

void nt_reg_rtl_enter(const char *ddi, void *caller)
{
    if (ddi)
        nt_reg_check_irql(ddi, caller);
    rtl_depth++;
}

void nt_reg_rtl_leave(void)
{
    rtl_depth--;
}

NTSTATUS nt_reg_call_enter(struct nt_reg_call *call)
{
    pthread_mutex_lock(&reg_lock);
    call->rs = reg_opens ? reg_store : NULL;
    if (call->rs)
        reg_active++;
    pthread_mutex_unlock(&reg_lock);
    call->key = REGSTORE_KEY_NONE;
    return call->rs ? STATUS_SUCCESS : STATUS_DEVICE_NOT_READY;
}

void nt_reg_call_end(struct nt_reg_call *call)
{
    if (!call->rs)
        return;
    pthread_mutex_lock(&reg_lock);
    reg_active--;
    store_release();
    pthread_mutex_unlock(&reg_lock);
    call->rs = NULL;
}

NTSTATUS nt_reg_handle_lookup(HANDLE handle, struct regstore_key *key, ACCESS_MASK *granted)
{
    struct nt_key *body;
    int rc = nt_handle_ref(handle, &nt_key_type, (void **)&body, granted);

    if (rc == -EPROTOTYPE)
        return STATUS_OBJECT_TYPE_MISMATCH;
    if (rc)
        return STATUS_INVALID_HANDLE;
    *key = body->key;
    nt_object_unref(body);
    return STATUS_SUCCESS;
}

/* Windows skips this check for kernel-mode callers of the Zw routines; kmhost
 * makes it, so a driver that writes through a read-only handle hears of it
 * here instead of failing later where the handle comes from user mode. */
NTSTATUS nt_reg_call_begin(struct nt_reg_call *call, HANDLE handle, ACCESS_MASK needed)
{
    ACCESS_MASK granted;
    struct regstore_key key;
    NTSTATUS status = nt_reg_handle_lookup(handle, &key, &granted);

    call->rs = NULL;
    if (!NT_SUCCESS(status))
        return status;
    if ((granted & needed) != needed)
        return STATUS_ACCESS_DENIED;
    status = nt_reg_call_enter(call);
    call->key = key;
    return status;
}

/* Generic rights as the key type maps them; MAXIMUM_ALLOWED is everything,
 * as no security descriptor limits a kernel caller here. */
static ACCESS_MASK key_access(ACCESS_MASK desired)
{
    ACCESS_MASK access = desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL |
                                     MAXIMUM_ALLOWED | KEY_WOW64_RES);

    if (desired & (GENERIC_READ | GENERIC_EXECUTE))
        access |= KEY_READ;
    if (desired & GENERIC_WRITE)
        access |= KEY_WRITE;
    if (desired & (GENERIC_ALL | MAXIMUM_ALLOWED))
        access |= KEY_ALL_ACCESS;
    return access;
}

int nt_registry_handle_new(struct regstore_key key, ACCESS_MASK access, HANDLE *out)
{
    struct nt_key *body = nt_object_new(&nt_key_type, sizeof(*body));
    int rc;

    if (!body)
        return -ENOMEM;
    body->key = key;
    body->granted = key_access(access);
    rc = nt_handle_new(body, body->granted, out);
    nt_object_unref(body); /* the handle holds the object now */
    return rc;
}

int nt_registry_handle_key(HANDLE handle, struct regstore_key *key)
{
    ACCESS_MASK granted;
    NTSTATUS status = nt_reg_handle_lookup(handle, key, &granted);

    if (status == STATUS_OBJECT_TYPE_MISMATCH)
        return -EPROTOTYPE;
    return NT_SUCCESS(status) ? 0 : -EBADF;
}

/* --- Statuses and results ------------------------------------------------------- */

NTSTATUS nt_reg_status(int rc, enum nt_reg_op op)
{
    switch (rc) {
    case 0:
        return STATUS_SUCCESS;
    case REGSTORE_E_KEY_DELETED:
        return STATUS_KEY_DELETED;
    case REGSTORE_E_CHILD_MUST_BE_VOLATILE:
        return STATUS_CHILD_MUST_BE_VOLATILE;
    case REGSTORE_E_CORRUPT:
        return STATUS_REGISTRY_CORRUPT;
    case -ENOTEMPTY: /* ZwDeleteKey of a key with subkeys, as Windows says it */
        return STATUS_CANNOT_DELETE;
    case -EACCES:
        return op == NT_REG_DELETE ? STATUS_CANNOT_DELETE : STATUS_ACCESS_DENIED;
    case -ENOENT:
        return op == NT_REG_ENUM ? STATUS_NO_MORE_ENTRIES : STATUS_OBJECT_NAME_NOT_FOUND;
    case -EINVAL:
    case -ENAMETOOLONG:
        return op == NT_REG_KEY ? STATUS_OBJECT_NAME_INVALID : STATUS_INVALID_PARAMETER;
    case -E2BIG:
    case -ENOMEM:
        return STATUS_INSUFFICIENT_RESOURCES;
    case -EBUSY:
        /* Another process held the database past the busy timeout: an
         * error, not the warning STATUS_DEVICE_BUSY, so drivers stop. */
        kmh_log(KMH_LOG_WARNING, "registry", "%s", regstore_last_error());
        return STATUS_IO_TIMEOUT;
    case -EIO:
        kmh_log(KMH_LOG_ERROR, "registry", "%s", regstore_last_error());
        return STATUS_REGISTRY_IO_FAILED;
    default:
        return nt_status_from_errno(rc);
    }
}

NTSTATUS nt_reg_copy_out(const void *image, ULONG required, ULONG fixed, PVOID out,
                         ULONG length, PULONG result_length)
{
    *result_length = required;
    if (length < fixed)
        return STATUS_BUFFER_TOO_SMALL;
    memcpy(out, image, length < required ? length : required);
    return length < required ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}
