/*
 * The service control manager, for legacy kernel drivers: services are
 * keys under CurrentControlSet\Services (Type, Start, ErrorControl,
 * ImagePath ...), the same ones an INF's AddService writes; StartService
 * loads the driver into this process and runs DriverEntry
 * (pnp_service_start), ControlService(SERVICE_CONTROL_STOP) runs
 * DriverUnload (pnp_service_stop). DeleteService marks the service
 * (DeleteFlag, as Windows does); the key goes when the last handle to it is
 * closed and it is not running, or at exit, when a marked service still
 * running is stopped first. An SC_HANDLE is a pointer checked against the
 * live handles.
 *
 * ImagePath takes what lpBinaryPathName says: "\SystemRoot\System32\
 * drivers\x.sys" forms mean $KMHOST_ROOT/drivers/x.sys; a host path is
 * itself, with backslashes made slashes (samples build "<cwd>\x.sys").
 */
#include "client/client.h"
#include "loader/loader.h"
#include "nt/registry.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#define SERVICES_KEY "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"
#define SERVICE_NAME_MAX 256

struct sc_handle {
    LIST_ENTRY link;
    bool manager;
    char name[SERVICE_NAME_MAX + 1]; /* services: the service's name */
};

static pthread_mutex_t scm_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_ENTRY handles = { &handles, &handles };
static char **marked;      /* services this process marked for deletion */
static size_t nmarked;

/* SCM lock held. */
static struct sc_handle *live(SC_HANDLE handle, bool manager)
{
    for (PLIST_ENTRY e = handles.Flink; e != &handles; e = e->Flink) {
        struct sc_handle *h = CONTAINING_RECORD(e, struct sc_handle, link);
        if ((SC_HANDLE)h == handle)
            return h->manager == manager ? h : NULL;
    }
    return NULL;
}

static SC_HANDLE handle_new(bool manager, const char *name)
{
    struct sc_handle *h = calloc(1, sizeof(*h));
    if (!h)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL;
    h->manager = manager;
    snprintf(h->name, sizeof(h->name), "%s", name ? name : "");
    pthread_mutex_lock(&scm_lock);
    InsertTailList(&handles, &h->link);
    pthread_mutex_unlock(&scm_lock);
    return (SC_HANDLE)h;
}

/* The service name behind a service handle, copied out; false if none. */
static bool service_name(SC_HANDLE handle, char name[SERVICE_NAME_MAX + 1])
{
    pthread_mutex_lock(&scm_lock);
    struct sc_handle *h = live(handle, false);
    if (h)
        memcpy(name, h->name, SERVICE_NAME_MAX + 1);
    pthread_mutex_unlock(&scm_lock);
    return h != NULL;
}

static bool manager_ok(SC_HANDLE handle)
{
    pthread_mutex_lock(&scm_lock);
    bool ok = live(handle, true) != NULL;
    pthread_mutex_unlock(&scm_lock);
    return ok;
}

static bool name_ok(const char *name)
{
    return name && *name && strlen(name) <= SERVICE_NAME_MAX && !strpbrk(name, "/\\");
}

/* --- The service key ------------------------------------------------------ */
static int service_key(const char *name, struct regstore_key *key)
{
    struct regstore *rs = nt_registry();
    char path[sizeof(SERVICES_KEY) + SERVICE_NAME_MAX];

    if (!rs)
        return -ENODEV;
    snprintf(path, sizeof(path), SERVICES_KEY "%s", name);
    return regstore_key_open(rs, REGSTORE_KEY_NONE, path, key);
}

static bool service_dword(const char *name, const char *value_name, DWORD *out)
{
    struct regstore_key key;
    struct regstore_value value;

    if (service_key(name, &key) || regstore_value_query(nt_registry(), key, value_name, &value))
        return false;
    bool ok = value.type == REG_DWORD && value.size == sizeof(DWORD);
    if (ok)
        memcpy(out, value.data, sizeof(DWORD));
    regstore_value_clear(&value);
    return ok;
}

static bool marked_for_delete(const char *name)
{
    DWORD flag = 0;
    return service_dword(name, "DeleteFlag", &flag) && flag;
}

static int set_string(struct regstore *rs, struct regstore_key key, const char *value_name, uint32_t type,
                      const char *text)
{
    bool oom = false;
    WCHAR *wide = client_wide_from_utf8(text, &oom);
    if (!wide)
        return -ENOMEM;
    int err = regstore_value_set(rs, key, value_name, type, wide, (client_wcslen(wide) + 1) * sizeof(WCHAR));
    free(wide);
    return err;
}

static int set_dword(struct regstore *rs, struct regstore_key key, const char *value_name, DWORD value)
{
    return regstore_value_set(rs, key, value_name, REG_DWORD, &value, sizeof(value));
}

/* A double-NUL-ended list (UTF-8) as REG_MULTI_SZ. */
static int set_multi(struct regstore *rs, struct regstore_key key, const char *value_name, const char *list)
{
    size_t len = 0;
    while (list[len])
        len += strlen(list + len) + 1;
    bool oom = false;
    WCHAR *wide = calloc(len + 1, sizeof(WCHAR));
    size_t out = 0;
    for (const char *s = list; wide && *s; s += strlen(s) + 1) {
        WCHAR *w = client_wide_from_utf8(s, &oom);
        if (!w)
            break;
        memcpy(wide + out, w, (client_wcslen(w) + 1) * sizeof(WCHAR));
        out += client_wcslen(w) + 1;
        free(w);
    }
    int err = wide && !oom ? regstore_value_set(rs, key, value_name, REG_MULTI_SZ, wide,
                                                (out + 1) * sizeof(WCHAR))
                           : -ENOMEM;
    free(wide);
    return err;
}

/* lpBinaryPathName as the loader should see it (malloc'd). */
static char *image_path(const char *binary)
{
    char *path = strdup(binary);

    if (path && path[0] == '/')
        for (char *p = path; *p; p++)
            if (*p == '\\')
                *p = '/';
    return path;
}

struct service_config {
    const char *name, *display, *binary, *group, *dependencies, *start_name;
    DWORD type, start, error_control;
};

/* The store is fetched before the batch: nt_registry takes the registry's
 * lock, which must not be taken while the batch holds the store's. */
static int write_service(const struct service_config *c)
{
    struct regstore *rs = nt_registry();
    struct regstore_key key;
    char path[sizeof(SERVICES_KEY) + SERVICE_NAME_MAX];
    char *image = image_path(c->binary);
    int err = image ? regstore_begin(rs) : -ENOMEM;

    if (err) {
        free(image);
        return err;
    }
    snprintf(path, sizeof(path), SERVICES_KEY "%s", c->name);
    err = regstore_key_create(rs, REGSTORE_KEY_NONE, path, 0, &key, NULL);
    err = err ? err : set_dword(rs, key, "Type", c->type);
    err = err ? err : set_dword(rs, key, "Start", c->start);
    err = err ? err : set_dword(rs, key, "ErrorControl", c->error_control);
    err = err ? err : set_string(rs, key, "ImagePath", REG_EXPAND_SZ, image);
    err = err || !c->display ? err : set_string(rs, key, "DisplayName", REG_SZ, c->display);
    err = err || !c->group || !*c->group ? err : set_string(rs, key, "Group", REG_SZ, c->group);
    err = err || !c->dependencies || !*c->dependencies ? err : set_multi(rs, key, "DependOnService", c->dependencies);
    err = err || !c->start_name ? err : set_string(rs, key, "ObjectName", REG_SZ, c->start_name);
    free(image);
    if (err) {
        regstore_rollback(rs);
        return err;
    }
    return regstore_commit(rs);
}

/* --- Running state ----------------------------------------------------------- */
/* Whether the service's driver is loaded; can it stop (DriverUnload)? */
static bool service_running(const char *name, bool *stoppable)
{
    struct io_driver *driver = ldr_driver_find(name);
    if (stoppable)
        *stoppable = driver && driver->object.DriverUnload;
    if (driver)
        io_driver_release(driver);
    return driver != NULL;
}

static void fill_status(const char *name, LPSERVICE_STATUS status)
{
    bool stoppable = false;
    DWORD type = SERVICE_KERNEL_DRIVER;

    service_dword(name, "Type", &type);
    bool running = service_running(name, &stoppable);
    *status = (SERVICE_STATUS){
        .dwServiceType = type,
        .dwCurrentState = running ? SERVICE_RUNNING : SERVICE_STOPPED,
        .dwControlsAccepted = running && stoppable ? SERVICE_ACCEPT_STOP : 0,
    };
}

/* Deletes a marked service's key once nothing holds it. SCM lock held. */
static void delete_if_unused(const char *name)
{
    struct regstore_key key;

    for (PLIST_ENTRY e = handles.Flink; e != &handles; e = e->Flink)
        if (!strcasecmp(CONTAINING_RECORD(e, struct sc_handle, link)->name, name))
            return;
    if (!marked_for_delete(name) || service_running(name, NULL) || service_key(name, &key))
        return;
    regstore_key_delete_tree(nt_registry(), key);
    for (size_t i = 0; i < nmarked; i++)
        if (!strcasecmp(marked[i], name)) {
            free(marked[i]);
            marked[i] = marked[--nmarked];
            break;
        }
}

/* --- The API (UTF-8 inside; the W forms convert) ------------------------------ */
static SC_HANDLE open_manager(const char *machine, const char *database)
{
    if (machine && *machine)
        return client_fail(RPC_S_SERVER_UNAVAILABLE), NULL; /* no remote machines */
    if (database && strcasecmp(database, SERVICES_ACTIVE_DATABASEA) != 0)
        return client_fail(ERROR_DATABASE_DOES_NOT_EXIST), NULL;
    if (client_runtime_ensure())
        return NULL;
    return handle_new(true, NULL);
}

static SC_HANDLE create_service(SC_HANDLE manager, const struct service_config *c)
{
    struct regstore_key key;

    if (!manager_ok(manager))
        return client_fail(ERROR_INVALID_HANDLE), NULL;
    if (!name_ok(c->name))
        return client_fail(ERROR_INVALID_NAME), NULL;
    if ((c->type != SERVICE_KERNEL_DRIVER && c->type != SERVICE_FILE_SYSTEM_DRIVER) ||
        c->start > SERVICE_DISABLED || c->error_control > SERVICE_ERROR_CRITICAL || !c->binary || !*c->binary)
        return client_fail(ERROR_INVALID_PARAMETER), NULL;
    if (service_key(c->name, &key) == 0)
        return client_fail(marked_for_delete(c->name) ? ERROR_SERVICE_MARKED_FOR_DELETE : ERROR_SERVICE_EXISTS), NULL;
    int err = write_service(c);
    if (err)
        return client_fail(client_error_from_errno(err)), NULL;
    return handle_new(false, c->name);
}

static SC_HANDLE open_service(SC_HANDLE manager, const char *name)
{
    struct regstore_key key;

    if (!manager_ok(manager))
        return client_fail(ERROR_INVALID_HANDLE), NULL;
    if (!name_ok(name))
        return client_fail(ERROR_INVALID_NAME), NULL;
    if (service_key(name, &key))
        return client_fail(ERROR_SERVICE_DOES_NOT_EXIST), NULL;
    return handle_new(false, name);
}

/* Whether the service's driver file is there: Windows fails a start
 * without it with ERROR_FILE_NOT_FOUND (ERROR_PATH_NOT_FOUND for a path
 * that names no place kmhost knows); 0 when it is. */
static DWORD driver_file_error(const char *name)
{
    struct regstore_key key;
    struct regstore_value value;
    char host[4096];
    struct stat st;

    if (service_key(name, &key) || regstore_value_query(nt_registry(), key, "ImagePath", &value))
        return 0; /* no ImagePath: the loader finds its default and says what it lacks */
    char *image = client_utf8_from_utf16(value.data, value.size);
    regstore_value_clear(&value);
    DWORD error = !image ? ERROR_NOT_ENOUGH_MEMORY
                  : ldr_image_path_to_host(image, host, sizeof(host)) ? ERROR_PATH_NOT_FOUND
                  : stat(host, &st) != 0 ? ERROR_FILE_NOT_FOUND : 0;
    free(image);
    return error;
}

static BOOL start_service(SC_HANDLE service)
{
    char name[SERVICE_NAME_MAX + 1], message[PNP_MESSAGE_MAX] = "";
    DWORD start = SERVICE_DEMAND_START;

    if (!service_name(service, name))
        return client_fail(ERROR_INVALID_HANDLE);
    if (marked_for_delete(name))
        return client_fail(ERROR_SERVICE_MARKED_FOR_DELETE);
    if (service_dword(name, "Start", &start) && start == SERVICE_DISABLED)
        return client_fail(ERROR_SERVICE_DISABLED);
    if (!service_running(name, NULL)) {
        DWORD error = driver_file_error(name);
        if (error)
            return client_fail(error);
    }
    int err = pnp_service_start(name, message, sizeof(message));
    if (err == -EALREADY)
        return client_fail(ERROR_SERVICE_ALREADY_RUNNING);
    if (err) {
        kmh_log(KMH_LOG_WARNING, "client", "StartService %s: %s", name, message);
        return client_fail(err == -ENOENT ? ERROR_FILE_NOT_FOUND : ERROR_GEN_FAILURE);
    }
    return TRUE;
}

/* Opens the service control manager of this machine (lpMachineName NULL
 * or ""; the database NULL or "ServicesActive"), bringing up the device
 * runtime. NULL with RPC_S_SERVER_UNAVAILABLE for another machine,
 * ERROR_DATABASE_DOES_NOT_EXIST, ERROR_DEVICE_NOT_AVAILABLE (the registry
 * could not be opened), ERROR_NOT_ENOUGH_MEMORY. Access is not checked. */
KMH_EXPORT SC_HANDLE WINAPI OpenSCManagerA(LPCSTR lpMachineName, LPCSTR lpDatabaseName, DWORD dwDesiredAccess)
{
    (void)dwDesiredAccess;
    return open_manager(lpMachineName, lpDatabaseName);
}

/* OpenSCManagerA with UTF-16 names. */
KMH_EXPORT SC_HANDLE WINAPI OpenSCManagerW(LPCWSTR lpMachineName, LPCWSTR lpDatabaseName, DWORD dwDesiredAccess)
{
    bool oom = false;
    char *machine = client_utf8_from_wide(lpMachineName, &oom);
    char *database = client_utf8_from_wide(lpDatabaseName, &oom);
    SC_HANDLE h = oom ? (client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL) : OpenSCManagerA(machine, database, dwDesiredAccess);
    free(machine);
    free(database);
    return h;
}

/* Creates a kernel (or file system) driver service: writes its key and
 * returns a handle to it. NULL with ERROR_SERVICE_EXISTS,
 * ERROR_SERVICE_MARKED_FOR_DELETE (an old one of that name awaits
 * deletion), ERROR_INVALID_NAME, ERROR_INVALID_PARAMETER (another service
 * type, a bad start type or error control, no binary),
 * ERROR_INVALID_HANDLE, or the registry's error. lpdwTagId gets 0;
 * lpPassword is ignored. */
KMH_EXPORT SC_HANDLE WINAPI CreateServiceA(SC_HANDLE hSCManager, LPCSTR lpServiceName, LPCSTR lpDisplayName,
                                           DWORD dwDesiredAccess, DWORD dwServiceType, DWORD dwStartType,
                                           DWORD dwErrorControl, LPCSTR lpBinaryPathName, LPCSTR lpLoadOrderGroup,
                                           LPDWORD lpdwTagId, LPCSTR lpDependencies, LPCSTR lpServiceStartName,
                                           LPCSTR lpPassword)
{
    struct service_config c = {
        .name = lpServiceName, .display = lpDisplayName, .binary = lpBinaryPathName, .group = lpLoadOrderGroup,
        .dependencies = lpDependencies, .start_name = lpServiceStartName, .type = dwServiceType,
        .start = dwStartType, .error_control = dwErrorControl,
    };
    (void)dwDesiredAccess, (void)lpPassword;
    if (lpdwTagId)
        *lpdwTagId = 0;
    return create_service(hSCManager, &c);
}

/* A double-NUL-ended UTF-16 list as UTF-8 (malloc'd). */
static char *multi_from_wide(const WCHAR *list, bool *oom)
{
    size_t size = 1, used = 0;
    char *out = NULL;

    if (!list)
        return NULL;
    for (const WCHAR *s = list;; s += client_wcslen(s) + 1) {
        char *item = *s ? client_utf8_from_wide(s, oom) : NULL;
        size_t n = item ? strlen(item) + 1 : 0;
        char *more = *oom ? NULL : realloc(out, size += n);
        if (!more) {
            free(item);
            free(out);
            *oom = true;
            return NULL;
        }
        out = more;
        memcpy(out + used, item ? item : "", item ? n : 1);
        used += n;
        free(item);
        if (!*s)
            return out;
    }
}

/* CreateServiceA with UTF-16 strings. */
KMH_EXPORT SC_HANDLE WINAPI CreateServiceW(SC_HANDLE hSCManager, LPCWSTR lpServiceName, LPCWSTR lpDisplayName,
                                           DWORD dwDesiredAccess, DWORD dwServiceType, DWORD dwStartType,
                                           DWORD dwErrorControl, LPCWSTR lpBinaryPathName, LPCWSTR lpLoadOrderGroup,
                                           LPDWORD lpdwTagId, LPCWSTR lpDependencies, LPCWSTR lpServiceStartName,
                                           LPCWSTR lpPassword)
{
    bool oom = false;
    char *s[6] = {
        client_utf8_from_wide(lpServiceName, &oom), client_utf8_from_wide(lpDisplayName, &oom),
        client_utf8_from_wide(lpBinaryPathName, &oom), client_utf8_from_wide(lpLoadOrderGroup, &oom),
        multi_from_wide(lpDependencies, &oom), client_utf8_from_wide(lpServiceStartName, &oom),
    };
    SC_HANDLE h = NULL;

    (void)lpPassword;
    if (oom)
        client_fail(ERROR_NOT_ENOUGH_MEMORY);
    else
        h = CreateServiceA(hSCManager, s[0], s[1], dwDesiredAccess, dwServiceType, dwStartType, dwErrorControl, s[2],
                           s[3], lpdwTagId, s[4], s[5], NULL);
    for (int i = 0; i < 6; i++)
        free(s[i]);
    return h;
}

/* Opens an existing service. NULL with ERROR_SERVICE_DOES_NOT_EXIST,
 * ERROR_INVALID_NAME, ERROR_INVALID_HANDLE. */
KMH_EXPORT SC_HANDLE WINAPI OpenServiceA(SC_HANDLE hSCManager, LPCSTR lpServiceName, DWORD dwDesiredAccess)
{
    (void)dwDesiredAccess;
    return open_service(hSCManager, lpServiceName);
}

/* OpenServiceA with a UTF-16 name. */
KMH_EXPORT SC_HANDLE WINAPI OpenServiceW(SC_HANDLE hSCManager, LPCWSTR lpServiceName, DWORD dwDesiredAccess)
{
    bool oom = false;
    char *name = client_utf8_from_wide(lpServiceName, &oom);
    SC_HANDLE h = oom ? (client_fail(ERROR_NOT_ENOUGH_MEMORY), NULL) : open_service(hSCManager, name);
    (void)dwDesiredAccess;
    free(name);
    return h;
}

/* Loads the service's driver into this process and runs its DriverEntry
 * (arguments are ignored: drivers get none). FALSE with
 * ERROR_SERVICE_ALREADY_RUNNING, ERROR_SERVICE_MARKED_FOR_DELETE,
 * ERROR_SERVICE_DISABLED, ERROR_FILE_NOT_FOUND (no driver file),
 * ERROR_PATH_NOT_FOUND (an ImagePath kmhost cannot map to a file),
 * ERROR_GEN_FAILURE (it failed to load or DriverEntry failed; the log
 * says why), ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI StartServiceA(SC_HANDLE hService, DWORD dwNumServiceArgs, LPCSTR *lpServiceArgVectors)
{
    (void)dwNumServiceArgs, (void)lpServiceArgVectors;
    return start_service(hService);
}

/* StartServiceA; the arguments are ignored. */
KMH_EXPORT BOOL WINAPI StartServiceW(SC_HANDLE hService, DWORD dwNumServiceArgs, LPCWSTR *lpServiceArgVectors)
{
    (void)dwNumServiceArgs, (void)lpServiceArgVectors;
    return start_service(hService);
}

/* SERVICE_CONTROL_STOP runs the driver's DriverUnload and unloads it;
 * SERVICE_CONTROL_INTERROGATE reports. *lpServiceStatus gets the status
 * after. FALSE with ERROR_SERVICE_NOT_ACTIVE (not running),
 * ERROR_INVALID_SERVICE_CONTROL (another control, or a driver without
 * DriverUnload), ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI ControlService(SC_HANDLE hService, DWORD dwControl, LPSERVICE_STATUS lpServiceStatus)
{
    char name[SERVICE_NAME_MAX + 1], message[PNP_MESSAGE_MAX] = "";
    bool stoppable;
    DWORD error = 0;

    if (!service_name(hService, name))
        return client_fail(ERROR_INVALID_HANDLE);
    if (dwControl != SERVICE_CONTROL_STOP && dwControl != SERVICE_CONTROL_INTERROGATE)
        error = ERROR_INVALID_SERVICE_CONTROL;
    else if (!service_running(name, &stoppable))
        error = ERROR_SERVICE_NOT_ACTIVE;
    else if (dwControl == SERVICE_CONTROL_STOP && !stoppable)
        error = ERROR_INVALID_SERVICE_CONTROL;
    else if (dwControl == SERVICE_CONTROL_STOP) {
        int err = pnp_service_stop(name, message, sizeof(message));
        error = err == -ESRCH ? ERROR_SERVICE_NOT_ACTIVE : err ? ERROR_INVALID_SERVICE_CONTROL : 0;
    }
    if (lpServiceStatus)
        fill_status(name, lpServiceStatus);
    return error ? client_fail(error) : TRUE;
}

/* Marks the service for deletion; it goes when its last handle closes and
 * it is not running. FALSE with ERROR_SERVICE_MARKED_FOR_DELETE (marked
 * already), ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI DeleteService(SC_HANDLE hService)
{
    char name[SERVICE_NAME_MAX + 1];
    struct regstore_key key;

    if (!service_name(hService, name))
        return client_fail(ERROR_INVALID_HANDLE);
    if (marked_for_delete(name))
        return client_fail(ERROR_SERVICE_MARKED_FOR_DELETE);
    int err = service_key(name, &key);
    err = err ? err : set_dword(nt_registry(), key, "DeleteFlag", 1);
    if (err)
        return client_fail(err == -ENOENT ? ERROR_SERVICE_DOES_NOT_EXIST : client_error_from_errno(err));
    pthread_mutex_lock(&scm_lock);
    char **more = realloc(marked, (nmarked + 1) * sizeof(*more));
    if (more && (more[nmarked] = strdup(name)) != NULL)
        nmarked++;
    if (more)
        marked = more;
    pthread_mutex_unlock(&scm_lock);
    return TRUE;
}

/* The service's type and state (running while its driver is loaded).
 * FALSE with ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI QueryServiceStatus(SC_HANDLE hService, LPSERVICE_STATUS lpServiceStatus)
{
    char name[SERVICE_NAME_MAX + 1];

    if (!service_name(hService, name))
        return client_fail(ERROR_INVALID_HANDLE);
    fill_status(name, lpServiceStatus);
    return TRUE;
}

/* Closes a manager or service handle; the last handle to a service marked
 * for deletion deletes it (once it is stopped). FALSE with
 * ERROR_INVALID_HANDLE. */
KMH_EXPORT BOOL WINAPI CloseServiceHandle(SC_HANDLE hSCObject)
{
    pthread_mutex_lock(&scm_lock);
    struct sc_handle *h = live(hSCObject, true);
    if (!h)
        h = live(hSCObject, false);
    if (h) {
        RemoveEntryList(&h->link);
        if (!h->manager)
            delete_if_unused(h->name);
    }
    pthread_mutex_unlock(&scm_lock);
    bool found = h != NULL;
    free(h);
    return found ? TRUE : client_fail(ERROR_INVALID_HANDLE);
}

void client_scm_cleanup(void)
{
    char message[PNP_MESSAGE_MAX];

    pthread_mutex_lock(&scm_lock);
    while (!IsListEmpty(&handles))
        free(CONTAINING_RECORD(RemoveHeadList(&handles), struct sc_handle, link));
    /* A service marked for deletion goes now, as Windows deletes it at the
     * latest when the system restarts. */
    while (nmarked > 0) {
        char *name = marked[nmarked - 1];
        if (service_running(name, NULL))
            pnp_service_stop(name, message, sizeof(message));
        delete_if_unused(name);
        if (nmarked > 0 && marked[nmarked - 1] == name) { /* still there: could not delete */
            free(name);
            nmarked--;
        }
    }
    free(marked);
    marked = NULL;
    pthread_mutex_unlock(&scm_lock);
}
