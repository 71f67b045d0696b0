/*
 * The in-process Win32 client's private header: included by the client's
 * files in src/client (not by the crt_*.c files, which are the C runtime's) and by the client
 * tests; nothing else.
 *
 * How the pieces fit. A program's HANDLE is a handle of kmhost's one handle
 * table (nt_handle_*) to a kernel object: a file object (io_open_file), an
 * event (nt_event_type, body KEVENT), a semaphore, a thread (nt_thread_type,
 * the thread's own kernel object), a completion port or a host file (the
 * client's own types). The client remembers which handles are the
 * program's (client_handle_*), so a program cannot reach the kernel's own
 * handles and the runtime can close what is left at exit. Waits go through
 * the dispatcher (KeWaitForMultipleObjects), so a driver given an event
 * handle can set it. APCs (ReadFileEx completion routines, QueueUserAPC)
 * are the client's own per-thread queues, delivered by alertable waits.
 *
 * Errors: exported functions set the thread's last error (SetLastError)
 * and return what Win32 returns; internal helpers return a Win32 error
 * code (0 for success) unless they say otherwise.
 */
#ifndef KMHOST_CLIENT_H
#define KMHOST_CLIENT_H

#include "pnp/pnp.h"

#include <ntddk.h>
#include <windows.h>
#include <winioctl.h>
#include <setupapi.h>
#include <cfgmgr32.h>

/* --- Errors (error.c) ----------------------------------------------------- */
/* Sets the last error to the Win32 meaning of status; returns FALSE. */
BOOL client_fail_status(NTSTATUS status);
/* Sets the last error; returns FALSE. */
BOOL client_fail(DWORD error);
/* The Win32 error for a kmhost negative errno. */
DWORD client_error_from_errno(int negative_errno);

/* --- Runtime (runtime.c) ------------------------------------------------------
 * The device tree starts at the first device-related call and stops at
 * exit. Returns 0, or the Win32 error the call should fail with (the last
 * error is set too): ERROR_DEVICE_NOT_AVAILABLE when the tree cannot start
 * (a corrupt or locked registry; reported once through the log). */
DWORD client_runtime_ensure(void);
bool client_runtime_is_up(void);
/* Closes what the program left open and stops the tree (the atexit
 * handler; tests call it between cases). The next call starts again. */
void client_runtime_reset(void);

/* --- Handles (handle.c) ---------------------------------------------------- */
enum client_handle_kind { CLIENT_HANDLE_FILE = 1, CLIENT_HANDLE_OTHER = 2 };
/* A new program handle to body (one more reference on it). */
DWORD client_handle_new(void *body, ACCESS_MASK granted, enum client_handle_kind kind, HANDLE *out);
/* References the object behind a program handle of type (NULL: any);
 * ERROR_INVALID_HANDLE for anything else. Release with nt_object_unref. */
DWORD client_handle_ref(HANDLE handle, const nt_object_type *type, void **body);
/* Closes every program handle still open, files first. */
void client_handle_close_all(void);
/* The process and thread pseudo handles. */
#define CLIENT_CURRENT_PROCESS ((HANDLE)(LONG_PTR)-1)
#define CLIENT_CURRENT_THREAD ((HANDLE)(LONG_PTR)-2)

/* --- Text (text.c) --------------------------------------------------------------
 * Narrow ("ANSI") text is UTF-8. Both return malloc'd strings, NULL for a
 * NULL input or when out of memory (*oom set). */
char *client_utf8_from_wide(const WCHAR *s, bool *oom);
WCHAR *client_wide_from_utf8(const char *s, bool *oom);
/* UTF-16 data of a byte count (up to its first NUL) as UTF-8 (malloc'd). */
char *client_utf8_from_utf16(const void *data, size_t bytes);
size_t client_wcslen(const WCHAR *s);

/* --- Waits (wait.c, apc.c) ---------------------------------------------------- */
/* The dispatcher object a waitable body is waited on through (a file
 * object's Event), or NULL for what cannot be waited on. */
void *client_waitable(void *body);
/* Waits for dispatcher objects; ms INFINITE or a timeout; alertable waits
 * also end when an APC is queued to the thread (after running it). Returns
 * WAIT_OBJECT_0 + i, WAIT_ABANDONED_0 + i, WAIT_TIMEOUT,
 * WAIT_IO_COMPLETION, or WAIT_FAILED with the last error set. */
DWORD client_wait_objects(DWORD count, void **objects, bool wait_all, DWORD ms, bool alertable);

struct client_apc_queue;
/* The calling thread's APC queue, created on first use (a new reference). */
struct client_apc_queue *client_apc_queue_current(void);
void client_apc_queue_ref(struct client_apc_queue *queue);
void client_apc_queue_unref(struct client_apc_queue *queue);
/* Queues routine(arg1, arg2, arg3) to run in the queue's thread at its next
 * alertable wait; dropped if that thread has ended. 0 or ERROR_NOT_ENOUGH_MEMORY. */
DWORD client_apc_queue_push(struct client_apc_queue *queue, void (*routine)(void *, ULONG_PTR, ULONG_PTR),
                            void *arg1, ULONG_PTR arg2, ULONG_PTR arg3);
/* Runs the calling thread's queued APCs; true if it ran any. */
bool client_apc_run_pending(void);
/* The event an alertable wait adds to its objects (the current thread's). */
PKEVENT client_apc_event(struct client_apc_queue *queue);

/* --- Completion ports (iocp.c) ---------------------------------------------- */
struct client_iocp;
extern nt_object_type client_iocp_type;
void client_iocp_post(struct client_iocp *port, ULONG_PTR key, DWORD bytes, OVERLAPPED *ov, NTSTATUS status);
/* The port a file is associated with (a new reference) and its key, or NULL. */
struct client_iocp *client_iocp_of_file(PFILE_OBJECT file, ULONG_PTR *key);
/* Forgets a file's association (its handle is closing). */
void client_iocp_detach_file(PFILE_OBJECT file);

/* --- Host files (hostfile.c) ---------------------------------------------------
 * CreateFile on an ordinary path opens a Linux file, so that programs that
 * check a driver file exists (or read one) work. */
extern nt_object_type client_host_file_type;
HANDLE client_host_file_open(const char *path, DWORD access, DWORD disposition, DWORD flags);
BOOL client_host_file_transfer(void *body, bool writing, void *buffer, DWORD length, DWORD *done,
                               OVERLAPPED *ov);

/* --- Threads (thread.c) ------------------------------------------------------- */
/* The record of a thread CreateThread started; NULL for others. */
struct client_apc_queue *client_thread_apc_queue(void *thread_body);
/* Forgets the record of a thread whose handle is being closed. */
void client_thread_handle_closed(void *thread_body);

/* --- Named objects (named.c) ---------------------------------------------------- */
/* Looks name up: a new reference to its object in *body, or NULL. */
void *client_named_find(const WCHAR *name, const nt_object_type *type, DWORD *error);
/* Gives body a name (the table holds a reference until the last handle). */
DWORD client_named_add(const WCHAR *name, void *body);
/* A handle to body was closed: the name goes with the last one. */
void client_named_handle_closed(void *body);
void client_named_handle_opened(void *body);

/* --- Devices (devinst.c) ------------------------------------------------------
 * Instance paths ("ROOT\\X\\0000") and the DEVINST numbers the CM_* and
 * SetupDi functions hand out for them, and what the registry says. */
DEVINST client_devinst_of(const char *instance_path);
/* The instance path of a DEVINST (valid until the runtime resets), or NULL. */
const char *client_devinst_path(DEVINST devinst);
/* Whether the device is in the tree now; its state when so. */
bool client_device_present(const char *instance_path, enum pnp_state *state, ULONG *problem);
/* The device instance that registered an interface (its \??\ link), from
 * DeviceClasses; malloc'd, or NULL. */
char *client_interface_device(const GUID *class_guid, const char *link);
/* The named value of Enum\<instance> (free with regstore_value_clear);
 * 0 or -ENOENT. */
struct regstore_value;
int client_enum_value(const char *instance_path, const char *name, struct regstore_value *value);
/* Whether the registry knows the device (it has an Enum key). */
bool client_enum_value_exists(const char *instance_path);
bool client_guid_parse(const char *text, GUID *guid);
void client_guid_format(const GUID *guid, char out[39]);

/* Interfaces: the \\?\ paths (UTF-8) of a class, present ones or all
 * registered; device filters to one instance (may be NULL). Calls fn for
 * each with its device instance (NULL when unknown) and whether it is
 * enabled now. */
typedef void client_interface_fn(const GUID *guid, const char *path, const char *device, bool active,
                                 void *ctx);
void client_for_each_interface(const GUID *class_guid, bool present_only, client_interface_fn *fn,
                               void *ctx);
/* Devices: instance paths present in the tree, or every one the registry
 * knows. */
void client_for_each_device(bool present_only, void (*fn)(const char *instance, void *ctx), void *ctx);

/* --- Device information sets (setupapi*.c) -------------------------------------
 * An HDEVINFO points at one of these. Devices and interfaces are
 * numbered from 1 (SP_DEVINFO_DATA.Reserved, SP_DEVICE_INTERFACE_DATA.Reserved). */
struct devinfo_device {
    char *instance;
    GUID class_guid;
    DEVINST devinst;
};
struct devinfo_iface {
    GUID guid;
    char *path;          /* \\?\..., UTF-8 */
    DWORD flags;         /* SPINT_ACTIVE */
    size_t device;       /* its device's number, 0 when unknown */
};
struct devinfo_set {
    LIST_ENTRY link;     /* on the list of live sets */
    bool interfaces;     /* made with DIGCF_DEVICEINTERFACE */
    struct devinfo_device *devices;
    size_t ndevices, capdevices;
    struct devinfo_iface *ifaces;
    size_t nifaces, capifaces;
    GUID *loaded;        /* interface classes looked up for a device set */
    size_t nloaded;
};
/* The live set behind a handle, or NULL. */
struct devinfo_set *client_devinfo_set(HDEVINFO handle);
/* Adds (once) and returns the device's number, 0 when out of memory. */
size_t client_devinfo_add_device(struct devinfo_set *set, const char *instance);
bool client_devinfo_add_interface(struct devinfo_set *set, const GUID *guid, const char *path, const char *device,
                                  bool active);
/* The device a caller's SP_DEVINFO_DATA names (0 with *error set:
 * ERROR_INVALID_USER_BUFFER for a bad cbSize, ERROR_INVALID_PARAMETER). */
size_t client_devinfo_device_of(struct devinfo_set *set, const SP_DEVINFO_DATA *data, DWORD *error);
void client_devinfo_fill(struct devinfo_set *set, size_t device, PSP_DEVINFO_DATA data);
/* The setup class recorded in the device's Enum key (false: none). */
bool client_device_class(const char *instance, GUID *guid);

/* --- Service control manager (scm.c) ------------------------------------------ */
/* Deletes the services marked for deletion that nothing holds (runtime exit). */
void client_scm_cleanup(void);

#endif /* KMHOST_CLIENT_H */
