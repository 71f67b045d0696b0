/*
 * Threads and processors (src/nt/thread.c, systhread.c, processor.c):
 * system threads, their objects, handles and notify routines,
 * PsTerminateSystemThread, thread identity, priorities, the process
 * object, previous mode, and processor numbering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nt/nt.h"
#include "verifier/verifier.h"
#include "test-support.h"

struct observed {
    KIRQL irql;
    BOOLEAN system;
    HANDLE id;
    PETHREAD thread;
    char role[32];
    KEVENT go;
    volatile LONG after_terminate;
};

static void observe(PVOID context)
{
    struct observed *o = context;

    o->irql = KeGetCurrentIrql();
    o->thread = PsGetCurrentThread();
    o->system = PsIsSystemThread(o->thread);
    o->id = PsGetCurrentThreadId();
    snprintf(o->role, sizeof(o->role), "%s", nt_thread_role());
    KeWaitForSingleObject(&o->go, Executive, KernelMode, FALSE, NULL);
}

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return 0;
}

static PVOID thread_from_handle(HANDLE handle)
{
    PVOID object = NULL;
    assert_int_equal(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &object, NULL),
                     STATUS_SUCCESS);
    return object;
}

static void system_thread_runs_and_signals_its_object(void **state)
{
    struct observed o = { 0 };
    HANDLE handle = NULL;
    CLIENT_ID client;
    LARGE_INTEGER zero = { .QuadPart = 0 };

    (void)state;
    KeInitializeEvent(&o.go, NotificationEvent, FALSE);
    assert_int_equal(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, &client, observe, &o),
                     STATUS_SUCCESS);
    PVOID thread = thread_from_handle(handle);
    assert_int_equal(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    KeSetEvent(&o.go, IO_NO_INCREMENT, FALSE);
    assert_int_equal(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    assert_int_equal(o.irql, PASSIVE_LEVEL);
    assert_true(o.system);
    assert_ptr_equal(o.thread, thread);
    assert_ptr_equal(o.id, client.UniqueThread);
    assert_ptr_equal(PsGetThreadId(thread), client.UniqueThread);
    assert_ptr_equal(client.UniqueProcess, PsGetCurrentProcessId());
    assert_string_equal(o.role, "system thread");
    ObDereferenceObject(thread);
    assert_int_equal(ZwClose(handle), STATUS_SUCCESS);
    assert_int_equal(ZwClose(handle), STATUS_INVALID_HANDLE); /* closed */
}

static void terminating(PVOID context)
{
    struct observed *o = context;
    PsTerminateSystemThread(STATUS_UNSUCCESSFUL);
    o->after_terminate = 1; /* never reached */
}

static void terminate_ends_the_thread(void **state)
{
    struct observed o = { 0 };
    HANDLE handle;

    (void)state;
    assert_int_equal(PsCreateSystemThread(&handle, 0, NULL, NULL, NULL, terminating, &o), STATUS_SUCCESS);
    PVOID thread = thread_from_handle(handle);
    ZwClose(handle);
    assert_int_equal(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    ObDereferenceObject(thread);
    assert_int_equal(o.after_terminate, 0);
    assert_int_equal(vf_report_total(), 0);
}

static void terminate_outside_system_thread_is_reported(void **state)
{
    (void)state;
    assert_int_equal(PsTerminateSystemThread(STATUS_SUCCESS), STATUS_INVALID_PARAMETER);
    assert_int_equal(vf_report_count(VF_OBJECT), 1);
    assert_false(PsIsSystemThread(PsGetCurrentThread()));
}

static void quick(PVOID context)
{
    (void)context;
}

static LONG seen_create, seen_exit;
static HANDLE seen_create_id, seen_exit_id;

static void record_notify(HANDLE process, HANDLE thread, BOOLEAN create)
{
    (void)process;
    if (create) {
        seen_create_id = thread;
        __atomic_add_fetch(&seen_create, 1, __ATOMIC_SEQ_CST);
    } else {
        seen_exit_id = thread;
        __atomic_add_fetch(&seen_exit, 1, __ATOMIC_SEQ_CST);
    }
}

static void notify_routine_gets_thread_ids(void **state)
{
    HANDLE handle;
    CLIENT_ID client;

    (void)state;
    seen_create = seen_exit = 0;
    assert_int_equal(PsSetCreateThreadNotifyRoutine(record_notify), STATUS_SUCCESS);
    assert_int_equal(PsCreateSystemThread(&handle, 0, NULL, NULL, &client, quick, NULL), STATUS_SUCCESS);
    assert_int_equal(seen_create, 1); /* in the creator, before the call returns */
    PVOID thread = thread_from_handle(handle);
    ZwClose(handle);
    KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(thread);
    PsRemoveCreateThreadNotifyRoutine(record_notify);
    assert_int_equal(seen_exit, 1);
    assert_ptr_equal(seen_create_id, client.UniqueThread);
    assert_ptr_equal(seen_exit_id, client.UniqueThread);
}

static void *current_thread_of(void *arg)
{
    *(PKTHREAD *)arg = KeGetCurrentThread();
    return NULL;
}

static void each_thread_has_its_own_object(void **state)
{
    PKTHREAD other = NULL;
    pthread_t id;

    (void)state;
    PKTHREAD self = KeGetCurrentThread();
    assert_ptr_equal(self, (PKTHREAD)PsGetCurrentThread());
    assert_ptr_equal(self, KeGetCurrentThread());
    assert_int_equal(pthread_create(&id, NULL, current_thread_of, &other), 0);
    pthread_join(id, NULL);
    assert_non_null(other);
    assert_ptr_not_equal(other, self);
    assert_ptr_not_equal(PsGetCurrentThreadId(), NULL);
}

static void priorities_are_remembered(void **state)
{
    PKTHREAD self = KeGetCurrentThread();

    (void)state;
    KPRIORITY before = KeQueryPriorityThread(self);
    assert_int_equal(KeSetPriorityThread(self, LOW_REALTIME_PRIORITY), before);
    assert_int_equal(KeQueryPriorityThread(self), LOW_REALTIME_PRIORITY);
    KeSetPriorityThread(self, before);
    assert_int_equal(KeSetBasePriorityThread(self, 2), 0);
    assert_int_equal(KeSetBasePriorityThread(self, 0), 2);
}

static void one_process(void **state)
{
    (void)state;
    PEPROCESS process = PsGetCurrentProcess();
    assert_non_null(process);
    assert_ptr_equal(process, IoGetCurrentProcess());
    assert_ptr_equal(PsGetProcessId(process), (HANDLE)(ULONG_PTR)getpid());
    assert_ptr_equal(PsGetCurrentProcessId(), (HANDLE)(ULONG_PTR)getpid());
}

static void previous_mode_is_per_call(void **state)
{
    (void)state;
    assert_int_equal(ExGetPreviousMode(), KernelMode);
    assert_int_equal(nt_thread_set_previous_mode(UserMode), KernelMode);
    assert_int_equal(ExGetPreviousMode(), UserMode);
    assert_int_equal(nt_thread_set_previous_mode(KernelMode), UserMode);
}

static void processors_are_numbered_densely(void **state)
{
    KAFFINITY mask = 0;
    PROCESSOR_NUMBER number;

    (void)state;
    ULONG count = KeQueryActiveProcessorCount(&mask);
    assert_true(count >= 1);
    assert_int_equal(count, (ULONG)KeNumberProcessors);
    assert_int_equal(count, KeQueryMaximumProcessorCount());
    assert_int_equal(count, KeQueryActiveProcessorCountEx(0));
    assert_int_equal(KeQueryActiveProcessorCountEx(1), 0);
    assert_int_equal(mask, KeQueryActiveProcessors());
    assert_int_equal(__builtin_popcountll(mask), count);
    assert_true(KeGetCurrentProcessorNumber() < count);
    assert_true(KeGetCurrentProcessorNumberEx(&number) < count);
    assert_int_equal(number.Group, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(system_thread_runs_and_signals_its_object, setup),
        cmocka_unit_test_setup(terminate_ends_the_thread, setup),
        cmocka_unit_test_setup(terminate_outside_system_thread_is_reported, setup),
        cmocka_unit_test_setup(notify_routine_gets_thread_ids, setup),
        cmocka_unit_test_setup(each_thread_has_its_own_object, setup),
        cmocka_unit_test_setup(priorities_are_remembered, setup),
        cmocka_unit_test_setup(one_process, setup),
        cmocka_unit_test_setup(previous_mode_is_per_call, setup),
        cmocka_unit_test_setup(processors_are_numbered_densely, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
