/*
 * Cancellation racing completion, through a real driver: kmhrace
 * (tests/drivers/kmhrace) completes its pending request from a timer DPC
 * or from its own system thread while the program cancels it with CancelIo or CancelIoEx (IoCancelIrp),
 * thousands of times with due times around the moment of the cancel. Each
 * request must end exactly once, with STATUS_SUCCESS or STATUS_CANCELLED;
 * the driver's own counts must agree with the program's; the verifier
 * (which reports a second IoCompleteRequest) must stay silent, the driver
 * must unload clean and the pool must be back where it was (a leaked IRP
 * the sanitizer's leak check reports at exit).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "kmhost.h"
#include "nt/registry.h"
#include "test-support.h"
#include "drivers/kmhrace/kmhrace.h"

#define ITERATIONS 3000

static char *root;
static size_t pool_before;
static char log_text[65536];
static size_t log_used;

static void capture_log(int level, const char *component, const char *message, void *ctx)
{
    (void)level;
    (void)ctx;
    int n = snprintf(log_text + log_used, sizeof(log_text) - log_used, "%s: %s\n", component, message);
    if (n > 0 && (size_t)n < sizeof(log_text) - log_used)
        log_used += (size_t)n;
}

/* The pool is back where it was; the driver's system thread drops its
 * last references as it exits, just after waiters see it signalled, so
 * give it a moment. */
static void assert_pool_back(void)
{
    for (int i = 0; i < 200 && nt_pool_live_count() != pool_before; i++)
        usleep(10000);
    assert_int_equal(nt_pool_live_count(), pool_before);
}

static int setup(void **state)
{
    (void)state;
    root = kmh_test_tmpdir();
    log_used = 0;
    log_text[0] = 0;
    kmh_set_log_handler(capture_log, NULL);
    assert_int_equal(nt_set_root_dir(root), 0);
    pool_before = nt_pool_live_count();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    client_runtime_reset();
    kmh_set_log_handler(NULL, NULL);
    kmh_test_rmtree(root);
    free(root);
    return 0;
}

static HANDLE start_and_open(void)
{
    SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    assert_non_null(scm);
    SC_HANDLE service = CreateServiceA(scm, KMHRACE_SERVICE, KMHRACE_SERVICE, SERVICE_ALL_ACCESS,
                                       SERVICE_KERNEL_DRIVER, SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
                                       KMH_TEST_DRIVER_DIR "/kmhrace.sys", NULL, NULL, NULL, NULL, NULL);
    assert_non_null(service);
    assert_true(StartServiceA(service, 0, NULL));
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
    HANDLE h = CreateFileA(KMHRACE_WIN32_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED, NULL);
    assert_ptr_not_equal(h, INVALID_HANDLE_VALUE);
    return h;
}

struct tally {
    LONG succeeded, cancelled;
};

/* One request, cancelled after a spin of 0 to about a millisecond,
 * while the DPC fires after a due time of 0 to 20 us (later, as the timer
 * thread wakes): each side wins a good share. */
static void race_once(HANDLE h, DWORD code, unsigned i, bool cancel_ex, struct tally *t)
{
    LONG due = -(LONG)(i % 200); /* 100 ns units, relative */
    OVERLAPPED ov = { 0 };
    DWORD bytes;

    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!DeviceIoControl(h, code, &due, sizeof(due), NULL, 0, NULL, &ov))
        assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    for (volatile unsigned spin = 0; spin < (i % 64) * 20000; spin++)
        ;
    if (cancel_ex) {
        /* ERROR_NOT_FOUND when the DPC already completed it. */
        if (!CancelIoEx(h, &ov))
            assert_int_equal(GetLastError(), ERROR_NOT_FOUND);
    } else {
        assert_true(CancelIo(h));
    }
    BOOL ok = GetOverlappedResult(h, &ov, &bytes, TRUE);
    if (ov.Internal == STATUS_SUCCESS) {
        assert_true(ok);
        t->succeeded++;
    } else if (ov.Internal == (ULONG)STATUS_CANCELLED) {
        assert_false(ok);
        assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
        t->cancelled++;
    } else {
        fail_msg("request %u ended with 0x%08lx", i, (unsigned long)ov.Internal);
    }
    CloseHandle(ov.hEvent);
}

static void run_race(DWORD code, bool cancel_ex)
{
    struct tally t = { 0 };
    KMHRACE_COUNTS counts;
    DWORD bytes;

    HANDLE h = start_and_open();
    for (unsigned i = 0; i < ITERATIONS; i++)
        race_once(h, code, i, cancel_ex, &t);
    OVERLAPPED ov = { 0 };
    if (!DeviceIoControl(h, IOCTL_KMHRACE_COUNTS, NULL, 0, &counts, sizeof(counts), NULL, &ov))
        assert_true(GetOverlappedResult(h, &ov, &bytes, TRUE));
    /* Every request taken was completed once, by the side the program saw. */
    assert_int_equal(counts.Pended, ITERATIONS);
    assert_int_equal(counts.Completed, t.succeeded);
    assert_int_equal(counts.Cancelled, t.cancelled);
    assert_int_equal(t.succeeded + t.cancelled, ITERATIONS);
    /* Both sides won some: the race was run, not one side every time. */
    assert_true(t.succeeded > 0 && t.cancelled > 0);
    assert_true(CloseHandle(h));
    client_runtime_reset(); /* unloads the driver */
    assert_int_equal(kmh_driver_leaks(KMHRACE_SERVICE), 0);
    assert_pool_back();
    if (strstr(log_text, "verifier"))
        fail_msg("verifier report:\n%s", log_text);
}

static void cancel_io_races_dpc_completion(void **state)
{
    (void)state;
    run_race(IOCTL_KMHRACE_PEND, false);
}

static void cancel_io_ex_races_dpc_completion(void **state)
{
    (void)state;
    run_race(IOCTL_KMHRACE_PEND, true);
}

static void cancel_io_ex_races_thread_completion(void **state)
{
    (void)state;
    run_race(IOCTL_KMHRACE_PEND_THREAD, true);
}

/* A second thread cancels everything on the handle (CancelIoEx with no
 * OVERLAPPED) in a loop while this one issues and waits: IoCancelIrp meets
 * requests at every stage, from dispatch to completion. */
struct canceller {
    HANDLE file;
    volatile LONG stop;
};

static DWORD WINAPI cancel_loop(LPVOID arg)
{
    struct canceller *c = arg;
    while (!c->stop)
        CancelIoEx(c->file, NULL);
    return 0;
}

static void cancel_io_ex_from_another_thread(void **state)
{
    struct tally t = { 0 };
    KMHRACE_COUNTS counts;
    DWORD bytes;
    LONG due;

    (void)state;
    struct canceller c = { .file = start_and_open() };
    HANDLE thread = CreateThread(NULL, 0, cancel_loop, &c, 0, NULL);
    assert_non_null(thread);
    for (unsigned i = 0; i < ITERATIONS; i++) {
        OVERLAPPED ov = { 0 };
        due = -(LONG)(i % 200);
        if (!DeviceIoControl(c.file, i % 2 ? IOCTL_KMHRACE_PEND_THREAD : IOCTL_KMHRACE_PEND, &due, sizeof(due),
                             NULL, 0, NULL, &ov))
            assert_true(GetLastError() == ERROR_IO_PENDING || GetLastError() == ERROR_OPERATION_ABORTED);
        GetOverlappedResult(c.file, &ov, &bytes, TRUE);
        if (ov.Internal == STATUS_SUCCESS)
            t.succeeded++;
        else if (ov.Internal == (ULONG)STATUS_CANCELLED)
            t.cancelled++;
        else
            fail_msg("request %u ended with 0x%08lx", i, (unsigned long)ov.Internal);
    }
    c.stop = 1;
    assert_int_equal(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    OVERLAPPED ov = { 0 };
    if (!DeviceIoControl(c.file, IOCTL_KMHRACE_COUNTS, NULL, 0, &counts, sizeof(counts), NULL, &ov))
        assert_true(GetOverlappedResult(c.file, &ov, &bytes, TRUE));
    assert_int_equal(counts.Pended, ITERATIONS);
    assert_int_equal(counts.Completed, t.succeeded);
    assert_int_equal(counts.Cancelled, t.cancelled);
    assert_true(CloseHandle(c.file));
    client_runtime_reset();
    assert_int_equal(kmh_driver_leaks(KMHRACE_SERVICE), 0);
    assert_pool_back();
    if (strstr(log_text, "verifier"))
        fail_msg("verifier report:\n%s", log_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cancel_io_races_dpc_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_io_ex_races_dpc_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_io_ex_races_thread_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_io_ex_from_another_thread, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
