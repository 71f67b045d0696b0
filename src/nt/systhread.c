/*
 * Threads kmhost starts: system threads drivers create with
 * PsCreateSystemThread (and end with PsTerminateSystemThread or by
 * returning), the thread-notify routines they trigger, and kmhost's own
 * DPC, timer and worker threads.
 */
#include "nt/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREAD_NOTIFY 64 /* Windows' limit too */

static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;
static PCREATE_THREAD_NOTIFY_ROUTINE thread_notify[MAX_THREAD_NOTIFY];
static PCREATE_PROCESS_NOTIFY_ROUTINE process_notify[MAX_THREAD_NOTIFY];

/* Calls every thread-notify routine, from a snapshot so a routine may
 * (un)register others. */
static void notify_thread(HANDLE thread_id, BOOLEAN create)
{
    PCREATE_THREAD_NOTIFY_ROUTINE routines[MAX_THREAD_NOTIFY];

    pthread_mutex_lock(&notify_lock);
    memcpy(routines, thread_notify, sizeof(routines));
    pthread_mutex_unlock(&notify_lock);
    for (int i = 0; i < MAX_THREAD_NOTIFY; i++)
        if (routines[i])
            routines[i](PsGetCurrentProcessId(), thread_id, create);
}

static void end_system_thread(NTSTATUS status)
{
    struct _KTHREAD *thread = nt_tls.thread;

    nt_thread_check_return("PsCreateSystemThread", (void *)thread->start_routine, PASSIVE_LEVEL);
    notify_thread(thread->thread_id, FALSE);
    nt_thread_detach(status);
}

static void *system_thread_main(void *arg)
{
    struct _KTHREAD *thread = arg;

    nt_tls.system = true;
    nt_thread_set_role("system thread");
    nt_thread_bind(thread);
    thread->start_routine(thread->start_context);
    end_system_thread(STATUS_SUCCESS);
    return NULL;
}

static int start_pthread(void *(*fn)(void *), void *arg, pthread_t *out)
{
    pthread_attr_t attr;
    pthread_t tid;

    pthread_attr_init(&attr);
    if (!out)
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int err = pthread_create(out ? out : &tid, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return -err;
}

/* A thread object for a system thread not started yet, with a handle
 * if asked for one. */
static NTSTATUS new_thread_object(PKSTART_ROUTINE routine, PVOID context, ACCESS_MASK access,
                                  HANDLE *handle, struct _KTHREAD **out)
{
    struct _ETHREAD *ethread = nt_object_new(&nt_thread_type, sizeof(*ethread));

    if (!ethread)
        return STATUS_INSUFFICIENT_RESOURCES;
    struct _KTHREAD *thread = &ethread->Tcb;
    nt_thread_init_object(thread, true);
    thread->ps_created = true;
    thread->start_routine = routine;
    thread->start_context = context;
    if (handle) {
        int err = nt_handle_new(thread, access ? access : THREAD_ALL_ACCESS, handle);
        if (err) {
            nt_object_unref(thread);
            return nt_status_from_errno(err);
        }
    }
    *out = thread;
    return STATUS_SUCCESS;
}

/* Starts a system thread running StartRoutine(StartContext) at
 * PASSIVE_LEVEL; puts a handle to its thread object (signalled when it
 * ends; close it with ZwClose) in *ThreadHandle and its IDs in *ClientId.
 * IRQL PASSIVE_LEVEL. ObjectAttributes and ProcessHandle change nothing
 * (kmhost has one process). Returns STATUS_SUCCESS,
 * STATUS_INVALID_PARAMETER without a start routine, or
 * STATUS_INSUFFICIENT_RESOURCES. Thread-notify routines run for its
 * creation here, in the creator, before it starts. */
KMH_EXPORT NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                                         PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                                         PVOID StartContext)
{
    HANDLE handle = NULL;
    struct _KTHREAD *thread = NULL;

    (void)ObjectAttributes, (void)ProcessHandle;
    NT_CHECK_IRQL(PASSIVE_LEVEL, "PsCreateSystemThread");
    if (!StartRoutine)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = new_thread_object(StartRoutine, StartContext, DesiredAccess,
                                        ThreadHandle ? &handle : NULL, &thread);
    if (!NT_SUCCESS(status))
        return status;
    HANDLE thread_id = thread->thread_id;
    notify_thread(thread_id, TRUE);
    /* From here the new thread owns the creation reference. */
    if (start_pthread(system_thread_main, thread, NULL) != 0) {
        notify_thread(thread_id, FALSE);
        if (handle)
            nt_handle_close(handle);
        nt_object_unref(thread);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    if (ThreadHandle)
        *ThreadHandle = handle;
    if (ClientId) {
        ClientId->UniqueProcess = PsGetCurrentProcessId();
        ClientId->UniqueThread = thread_id;
    }
    return STATUS_SUCCESS;
}

/* Ends the calling system thread with ExitStatus: its thread object is
 * signalled and the thread exits without returning. IRQL PASSIVE_LEVEL.
 * Only for threads PsCreateSystemThread started: for any other it is a
 * verifier report and returns STATUS_INVALID_PARAMETER. */
KMH_EXPORT NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus)
{
    struct _KTHREAD *thread = nt_tls.thread;

    if (!thread || !thread->ps_created) {
        vf_report(VF_OBJECT, "PsTerminateSystemThread", __builtin_return_address(0),
                  "called on a %s thread, not one PsCreateSystemThread started", nt_thread_role());
        return STATUS_INVALID_PARAMETER;
    }
    end_system_thread(ExitStatus);
    pthread_exit(NULL);
}

static NTSTATUS add_routine(void **table, void *routine)
{
    NTSTATUS status = STATUS_INSUFFICIENT_RESOURCES;

    pthread_mutex_lock(&notify_lock);
    for (int i = 0; i < MAX_THREAD_NOTIFY; i++) {
        if (!table[i]) {
            table[i] = routine;
            status = STATUS_SUCCESS;
            break;
        }
    }
    pthread_mutex_unlock(&notify_lock);
    return status;
}

static NTSTATUS remove_routine(void **table, void *routine)
{
    NTSTATUS status = STATUS_PROCEDURE_NOT_FOUND;

    pthread_mutex_lock(&notify_lock);
    for (int i = 0; i < MAX_THREAD_NOTIFY; i++) {
        if (table[i] == routine) {
            table[i] = NULL;
            status = STATUS_SUCCESS;
            break;
        }
    }
    pthread_mutex_unlock(&notify_lock);
    return status;
}

/* Registers a routine called when a system thread is created (in the
 * creator) and when it ends (in the thread). kmhost's own DPC, timer and
 * worker threads and programs' threads are not reported. IRQL
 * PASSIVE_LEVEL. Returns STATUS_SUCCESS or STATUS_INSUFFICIENT_RESOURCES
 * when 64 are registered. */
KMH_EXPORT NTSTATUS PsSetCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine)
{
    NT_CHECK_IRQL(PASSIVE_LEVEL, "PsSetCreateThreadNotifyRoutine");
    return add_routine((void **)thread_notify, (void *)NotifyRoutine);
}

/* Unregisters a thread-notify routine. IRQL PASSIVE_LEVEL. Returns
 * STATUS_SUCCESS or STATUS_PROCEDURE_NOT_FOUND. */
KMH_EXPORT NTSTATUS PsRemoveCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine)
{
    NT_CHECK_IRQL(PASSIVE_LEVEL, "PsRemoveCreateThreadNotifyRoutine");
    return remove_routine((void **)thread_notify, (void *)NotifyRoutine);
}

/* Registers (Remove FALSE) or unregisters a process-notify routine. kmhost
 * is one process that neither starts nor ends others, so the routine is
 * never called. IRQL PASSIVE_LEVEL. Returns STATUS_SUCCESS,
 * STATUS_INSUFFICIENT_RESOURCES, or STATUS_INVALID_PARAMETER to remove one
 * never registered. */
KMH_EXPORT NTSTATUS PsSetCreateProcessNotifyRoutine(PCREATE_PROCESS_NOTIFY_ROUTINE NotifyRoutine,
                                                    BOOLEAN Remove)
{
    NT_CHECK_IRQL(PASSIVE_LEVEL, "PsSetCreateProcessNotifyRoutine");
    if (!Remove)
        return add_routine((void **)process_notify, (void *)NotifyRoutine);
    return remove_routine((void **)process_notify, (void *)NotifyRoutine) == STATUS_SUCCESS
               ? STATUS_SUCCESS
               : STATUS_INVALID_PARAMETER;
}

struct spawn_args {
    void *(*fn)(void *);
    void *arg;
    char role[32];
};

static void *runtime_thread_main(void *p)
{
    struct spawn_args args = *(struct spawn_args *)p;

    free(p);
    nt_tls.system = true;
    nt_tls.runtime = true;
    nt_thread_set_role(args.role);
    return args.fn(args.arg);
}

int nt_thread_spawn(pthread_t *out, const char *role, void *(*fn)(void *), void *arg)
{
    struct spawn_args *args = malloc(sizeof(*args));

    if (!args)
        return -ENOMEM;
    args->fn = fn;
    args->arg = arg;
    snprintf(args->role, sizeof(args->role), "%s", role);
    int err = start_pthread(runtime_thread_main, args, out);
    if (err)
        free(args);
    return err;
}
