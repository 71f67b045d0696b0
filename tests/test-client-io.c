/*
 * The Win32 client's device I/O (src/client/file.c, io.c, overlapped.c,
 * iocp.c, apc.c) against the legacy test driver kmhct, installed and
 * started the way sample programs do it (CreateService + StartService):
 * synchronous and overlapped DeviceIoControl/ReadFile/WriteFile, the
 * results Windows documents for each, cancellation, completion ports and
 * ReadFileEx completion routines, and an event handle the driver sets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "client/client.h"
#include "nt/registry.h"
#include "test-support.h"
#include "drivers/kmhct/kmhct.h"

static char *root;

static int setup(void **state)
{
    (void)state;
    root = kmh_test_tmpdir();
    assert_int_equal(nt_set_root_dir(root), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    client_runtime_reset();
    kmh_test_rmtree(root);
    free(root);
    return 0;
}

/* Installs and starts kmhct as a legacy service. */
static void start_kmhct(void)
{
    SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    assert_non_null(scm);
    SC_HANDLE service = CreateServiceA(scm, KMHCT_SERVICE, KMHCT_SERVICE, SERVICE_ALL_ACCESS, SERVICE_KERNEL_DRIVER,
                                       SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
                                       KMH_TEST_DRIVER_DIR "/kmhct.sys", NULL, NULL, NULL, NULL, NULL);
    assert_non_null(service);
    assert_true(StartServiceA(service, 0, NULL));
    assert_true(CloseServiceHandle(service));
    assert_true(CloseServiceHandle(scm));
}

static HANDLE open_kmhct(DWORD flags)
{
    HANDLE h = CreateFileA(KMHCT_WIN32_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, flags, NULL);
    assert_ptr_not_equal(h, INVALID_HANDLE_VALUE);
    return h;
}

static OVERLAPPED overlapped_with_event(void)
{
    OVERLAPPED ov = { 0 };
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_non_null(ov.hEvent);
    return ov;
}

static void missing_device_is_file_not_found(void **state)
{
    (void)state;
    SetLastError(0);
    HANDLE h = CreateFileA("\\\\.\\NoSuchKmhDevice", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    assert_ptr_equal(h, INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    h = CreateFileA(KMHCT_WIN32_NAME, GENERIC_READ, 0, NULL, 0, 0, NULL);
    assert_ptr_equal(h, INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER); /* disposition 0 */
}

static void buffered_ioctl_echoes(void **state)
{
    char in[16] = "kmhost echo", out[32] = { 0 };
    DWORD bytes = 99;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(0);
    assert_true(DeviceIoControl(h, IOCTL_KMHCT_ECHO, in, sizeof(in), out, sizeof(out), &bytes, NULL));
    assert_int_equal(bytes, sizeof(in));
    assert_string_equal(out, "kmhost echo");
    assert_true(DeviceIoControl(h, IOCTL_KMHCT_ECHO, in, sizeof(in), out, 4, &bytes, NULL));
    assert_int_equal(bytes, 4);
    assert_true(CloseHandle(h));
    assert_false(CloseHandle(h));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void ioctl_warning_and_errors(void **state)
{
    unsigned char out[8] = { 0 };
    ULONG status = (ULONG)STATUS_ACCESS_DENIED;
    DWORD bytes = 99;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(0);
    /* A warning still reports its bytes: FALSE with ERROR_MORE_DATA. */
    assert_false(DeviceIoControl(h, IOCTL_KMHCT_OVERFLOW, NULL, 0, out, sizeof(out), &bytes, NULL));
    assert_int_equal(GetLastError(), ERROR_MORE_DATA);
    assert_int_equal(bytes, sizeof(out));
    assert_int_equal(out[7], 0xAB);
    assert_false(DeviceIoControl(h, IOCTL_KMHCT_FAIL, &status, sizeof(status), NULL, 0, &bytes, NULL));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_int_equal(bytes, 0);
    assert_false(DeviceIoControl(h, CTL_CODE(FILE_DEVICE_UNKNOWN, 0x9ff, METHOD_BUFFERED, FILE_ANY_ACCESS), NULL, 0,
                                 NULL, 0, &bytes, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_FUNCTION);
    CloseHandle(h);
    assert_false(DeviceIoControl(h, IOCTL_KMHCT_ECHO, NULL, 0, NULL, 0, &bytes, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void neither_ioctl_reads_user_buffers(void **state)
{
    unsigned char in[4] = { 1, 2, 3, 250 };
    ULONG sum = 0;
    DWORD bytes = 0;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(0);
    assert_true(DeviceIoControl(h, IOCTL_KMHCT_NEITHER, in, sizeof(in), &sum, sizeof(sum), &bytes, NULL));
    assert_int_equal(bytes, sizeof(ULONG));
    assert_int_equal(sum, 256);
    assert_false(DeviceIoControl(h, IOCTL_KMHCT_NEITHER, in, sizeof(in), &sum, 2, &bytes, NULL));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CloseHandle(h);
}

static void driver_sets_program_event(void **state)
{
    DWORD bytes;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(0);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_int_equal(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    assert_true(DeviceIoControl(h, IOCTL_KMHCT_SET_EVENT, &event, sizeof(event), NULL, 0, &bytes, NULL));
    assert_int_equal(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    /* A handle that is not an event: the driver's reference fails. */
    assert_false(DeviceIoControl(h, IOCTL_KMHCT_SET_EVENT, &h, sizeof(h), NULL, 0, &bytes, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    CloseHandle(event);
    CloseHandle(h);
}

static void synchronous_write_then_read(void **state)
{
    char data[] = "stored", buffer[32] = { 0 };
    DWORD bytes = 0;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(0);
    assert_true(WriteFile(h, data, sizeof(data), &bytes, NULL));
    assert_int_equal(bytes, sizeof(data));
    assert_true(ReadFile(h, buffer, sizeof(buffer), &bytes, NULL));
    assert_int_equal(bytes, sizeof(data));
    assert_string_equal(buffer, "stored");
    CloseHandle(h);
}

static void overlapped_read_pends_until_write(void **state)
{
    char data[] = "late", buffer[16] = { 0 };
    DWORD bytes = 99;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(FILE_FLAG_OVERLAPPED);
    OVERLAPPED ov = overlapped_with_event(), wov = overlapped_with_event();
    SetEvent(ov.hEvent); /* the read resets it */
    assert_false(ReadFile(h, buffer, sizeof(buffer), NULL, &ov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_false(HasOverlappedIoCompleted(&ov));
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    assert_false(GetOverlappedResult(h, &ov, &bytes, FALSE));
    assert_int_equal(GetLastError(), ERROR_IO_INCOMPLETE);
    assert_true(WriteFile(h, data, sizeof(data), &bytes, &wov));
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_true(GetOverlappedResult(h, &ov, &bytes, TRUE));
    assert_int_equal(bytes, sizeof(data));
    assert_int_equal(ov.Internal, STATUS_SUCCESS);
    assert_int_equal(ov.InternalHigh, sizeof(data));
    assert_string_equal(buffer, "late");
    CloseHandle(ov.hEvent);
    CloseHandle(wov.hEvent);
    CloseHandle(h);
}

static void cancel_io_aborts_pending_read(void **state)
{
    char buffer[8];
    DWORD bytes = 99;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(FILE_FLAG_OVERLAPPED);
    OVERLAPPED ov = overlapped_with_event();
    assert_false(ReadFile(h, buffer, sizeof(buffer), NULL, &ov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_true(CancelIo(h));
    assert_false(GetOverlappedResult(h, &ov, &bytes, TRUE));
    assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
    assert_int_equal(bytes, 0);
    assert_int_equal(ov.Internal, (ULONG)STATUS_CANCELLED);
    /* Nothing left to cancel. */
    assert_false(CancelIoEx(h, NULL));
    assert_int_equal(GetLastError(), ERROR_NOT_FOUND);
    assert_false(CancelIoEx(h, &ov));
    assert_int_equal(GetLastError(), ERROR_NOT_FOUND);
    CloseHandle(ov.hEvent);
    CloseHandle(h);
}

/* A thread that issues an overlapped read, then stays alive (Windows
 * cancels a thread's I/O when it exits) until told to go. */
struct reader {
    HANDLE file, issued, go;
    OVERLAPPED ov;
    char buffer[8];
    DWORD error;
};

static DWORD WINAPI issue_read(LPVOID arg)
{
    struct reader *r = arg;
    r->error = ReadFile(r->file, r->buffer, sizeof(r->buffer), NULL, &r->ov) ? 0 : GetLastError();
    SetEvent(r->issued);
    WaitForSingleObject(r->go, INFINITE);
    return 7;
}

static void cancel_io_ex_reaches_other_threads(void **state)
{
    struct reader r = { 0 };
    DWORD bytes, code = 0;

    (void)state;
    start_kmhct();
    r.file = open_kmhct(FILE_FLAG_OVERLAPPED);
    r.ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    r.issued = CreateEventA(NULL, TRUE, FALSE, NULL);
    r.go = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, issue_read, &r, 0, NULL);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(r.issued, 5000), WAIT_OBJECT_0);
    assert_int_equal(r.error, ERROR_IO_PENDING);
    assert_true(CancelIo(r.file)); /* this thread issued nothing: no effect */
    assert_false(GetOverlappedResult(r.file, &r.ov, &bytes, FALSE));
    assert_int_equal(GetLastError(), ERROR_IO_INCOMPLETE);
    assert_true(CancelIoEx(r.file, &r.ov));
    assert_false(GetOverlappedResult(r.file, &r.ov, &bytes, TRUE));
    assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
    SetEvent(r.go);
    assert_int_equal(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(thread, &code));
    assert_int_equal(code, 7);
    CloseHandle(thread);
    CloseHandle(r.issued);
    CloseHandle(r.go);
    CloseHandle(r.ov.hEvent);
    CloseHandle(r.file);
}

static void file_event_serves_without_hevent(void **state)
{
    char buffer[8], data[] = "x";
    OVERLAPPED ov = { 0 };
    DWORD bytes = 0;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(FILE_FLAG_OVERLAPPED);
    assert_false(ReadFile(h, buffer, sizeof(buffer), NULL, &ov));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(h, 0), WAIT_TIMEOUT);
    assert_false(GetOverlappedResultEx(h, &ov, &bytes, 10, FALSE));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    HANDLE writer = open_kmhct(0);
    assert_true(WriteFile(writer, data, sizeof(data), &bytes, NULL));
    assert_true(GetOverlappedResult(h, &ov, &bytes, TRUE)); /* waits on the file */
    assert_int_equal(bytes, sizeof(data));
    CloseHandle(writer);
    CloseHandle(h);
}

static void closing_handle_cancels_pending_read(void **state)
{
    char buffer[8];

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(FILE_FLAG_OVERLAPPED);
    OVERLAPPED ov = overlapped_with_event();
    assert_false(ReadFile(h, buffer, sizeof(buffer), NULL, &ov));
    assert_true(CloseHandle(h)); /* IRP_MJ_CLEANUP: the driver cancels the file's reads */
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_int_equal(ov.Internal, (ULONG)STATUS_CANCELLED);
    CloseHandle(ov.hEvent);
}

static void completion_port_gets_packets(void **state)
{
    char in[4] = "abc", out[4], pend[8], data[] = "pk";
    OVERLAPPED ov1 = { 0 }, ov2 = { 0 }, *got;
    ULONG_PTR key;
    DWORD bytes;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(FILE_FLAG_OVERLAPPED);
    HANDLE port = CreateIoCompletionPort(h, NULL, 42, 0);
    assert_non_null(port);
    assert_null(CreateIoCompletionPort(h, port, 43, 0)); /* already associated */
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    assert_null(got);
    /* Completed at once: still a packet. */
    assert_true(DeviceIoControl(h, IOCTL_KMHCT_ECHO, in, sizeof(in), out, sizeof(out), &bytes, &ov1));
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 1000));
    assert_ptr_equal(got, &ov1);
    assert_int_equal(key, 42);
    assert_int_equal(bytes, 4);
    /* Pending, then completed by a write from another handle. */
    assert_false(DeviceIoControl(h, IOCTL_KMHCT_PEND, NULL, 0, pend, sizeof(pend), NULL, &ov2));
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    HANDLE writer = open_kmhct(0);
    assert_true(WriteFile(writer, data, sizeof(data), &bytes, NULL));
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_ptr_equal(got, &ov2);
    assert_int_equal(bytes, sizeof(data));
    assert_string_equal(pend, "pk");
    CloseHandle(writer);
    CloseHandle(h);
    CloseHandle(port);
}

static void completion_port_reports_failures_and_posts(void **state)
{
    char pend[8];
    OVERLAPPED ov = { 0 }, *got;
    OVERLAPPED_ENTRY entries[4];
    ULONG removed;
    ULONG_PTR key;
    DWORD bytes;

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(FILE_FLAG_OVERLAPPED);
    HANDLE port = CreateIoCompletionPort(h, NULL, 7, 0);
    assert_false(DeviceIoControl(h, IOCTL_KMHCT_PEND, NULL, 0, pend, sizeof(pend), NULL, &ov));
    assert_true(CancelIo(h));
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
    assert_ptr_equal(got, &ov);
    assert_true(PostQueuedCompletionStatus(port, 11, 12, NULL));
    assert_true(PostQueuedCompletionStatus(port, 13, 14, &ov));
    assert_true(GetQueuedCompletionStatusEx(port, entries, 4, &removed, 0, FALSE));
    assert_int_equal(removed, 2);
    assert_int_equal(entries[0].dwNumberOfBytesTransferred, 11);
    assert_int_equal(entries[1].lpCompletionKey, 14);
    assert_ptr_equal(entries[1].lpOverlapped, &ov);
    assert_false(GetQueuedCompletionStatusEx(port, entries, 4, &removed, 0, FALSE));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    CloseHandle(h);
    CloseHandle(port);
}

static DWORD apc_error = 99, apc_bytes = 99, apc_calls;
static LPOVERLAPPED apc_ov;

static VOID CALLBACK read_done(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    apc_error = error;
    apc_bytes = bytes;
    apc_ov = ov;
    apc_calls++;
}

static void read_file_ex_runs_routine_in_alertable_wait(void **state)
{
    char buffer[8], data[] = "apc";
    OVERLAPPED ov = { 0 };
    DWORD bytes;

    (void)state;
    apc_calls = 0;
    start_kmhct();
    HANDLE h = open_kmhct(FILE_FLAG_OVERLAPPED);
    assert_true(ReadFileEx(h, buffer, sizeof(buffer), &ov, read_done));
    assert_int_equal(SleepEx(0, TRUE), 0); /* pending: no routine yet */
    HANDLE writer = open_kmhct(0);
    assert_true(WriteFile(writer, data, sizeof(data), &bytes, NULL));
    assert_int_equal(apc_calls, 0); /* not before the thread waits alertably */
    assert_int_equal(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc_calls, 1);
    assert_int_equal(apc_error, 0);
    assert_int_equal(apc_bytes, sizeof(data));
    assert_ptr_equal(apc_ov, &ov);
    /* A cancelled one reports ERROR_OPERATION_ABORTED; a plain wait runs nothing. */
    assert_true(ReadFileEx(h, buffer, sizeof(buffer), &ov, read_done));
    assert_true(CancelIo(h));
    Sleep(10);
    assert_int_equal(apc_calls, 1);
    assert_int_equal(WaitForSingleObjectEx(writer, 5000, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc_calls, 2);
    assert_int_equal(apc_error, ERROR_OPERATION_ABORTED);
    CloseHandle(writer);
    CloseHandle(h);
}

static void read_file_ex_needs_overlapped(void **state)
{
    char buffer[8];
    OVERLAPPED ov = { 0 };

    (void)state;
    start_kmhct();
    HANDLE h = open_kmhct(0);
    assert_false(ReadFileEx(h, buffer, sizeof(buffer), NULL, read_done));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_false(ReadFileEx(h, buffer, sizeof(buffer), &ov, read_done)); /* a synchronous handle */
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(h);
}

static void host_files_open_read_and_report_missing(void **state)
{
    char path[512], buffer[16] = { 0 };
    DWORD bytes = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s\\note.txt", root); /* a sample's "<dir>\\<file>" */
    HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_ptr_not_equal(h, INVALID_HANDLE_VALUE);
    assert_true(WriteFile(h, "hello", 5, &bytes, NULL));
    assert_int_equal(bytes, 5);
    CloseHandle(h);
    assert_ptr_equal(CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_EXISTS);
    h = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(ReadFile(h, buffer, sizeof(buffer), &bytes, NULL));
    assert_int_equal(bytes, 5);
    assert_true(ReadFile(h, buffer, sizeof(buffer), &bytes, NULL)); /* end of file: 0 bytes */
    assert_int_equal(bytes, 0);
    CloseHandle(h);
    snprintf(path, sizeof(path), "%s/missing.sys", root);
    assert_ptr_equal(CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    snprintf(path, sizeof(path), "%s/no/dir/x.sys", root);
    assert_ptr_equal(CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_PATH_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_device_is_file_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(buffered_ioctl_echoes, setup, teardown),
        cmocka_unit_test_setup_teardown(ioctl_warning_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(neither_ioctl_reads_user_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(driver_sets_program_event, setup, teardown),
        cmocka_unit_test_setup_teardown(synchronous_write_then_read, setup, teardown),
        cmocka_unit_test_setup_teardown(overlapped_read_pends_until_write, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_io_aborts_pending_read, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_io_ex_reaches_other_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(file_event_serves_without_hevent, setup, teardown),
        cmocka_unit_test_setup_teardown(closing_handle_cancels_pending_read, setup, teardown),
        cmocka_unit_test_setup_teardown(completion_port_gets_packets, setup, teardown),
        cmocka_unit_test_setup_teardown(completion_port_reports_failures_and_posts, setup, teardown),
        cmocka_unit_test_setup_teardown(read_file_ex_runs_routine_in_alertable_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(read_file_ex_needs_overlapped, setup, teardown),
        cmocka_unit_test_setup_teardown(host_files_open_read_and_report_missing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
