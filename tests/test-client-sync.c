/*
 * The Win32 client's synchronisation and process services (src/client/
 * sync.c, named.c, wait.c, apc.c, thread.c, heap.c, process.c, error.c,
 * text.c, message.c): what Windows documents each call returns, without a
 * driver.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "client/client.h"
#include "nt/registry.h"
#include "test-support.h"

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

static void auto_reset_event_releases_one_wait(void **state)
{
    (void)state;
    HANDLE e = CreateEventA(NULL, FALSE, TRUE, NULL);
    assert_non_null(e);
    assert_int_equal(GetLastError(), 0);
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_TIMEOUT); /* consumed */
    assert_true(SetEvent(e));
    assert_true(ResetEvent(e));
    assert_int_equal(WaitForSingleObject(e, 10), WAIT_TIMEOUT);
    assert_true(CloseHandle(e));
    assert_false(SetEvent(e));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void manual_reset_event_stays_signalled(void **state)
{
    (void)state;
    HANDLE e = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_true(SetEvent(e));
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_OBJECT_0);
    assert_true(PulseEvent(e)); /* releases nobody here, then resets */
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    CloseHandle(e);
}

static void named_events_are_shared(void **state)
{
    (void)state;
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, "kmh-test-event");
    assert_non_null(a);
    assert_int_equal(GetLastError(), 0);
    HANDLE b = CreateEventW(NULL, FALSE, TRUE, L"kmh-test-event");
    assert_non_null(b);
    assert_int_equal(GetLastError(), ERROR_ALREADY_EXISTS);
    assert_int_equal(WaitForSingleObject(b, 0), WAIT_TIMEOUT); /* a's state, not b's arguments */
    HANDLE c = OpenEventA(EVENT_ALL_ACCESS, FALSE, "kmh-test-event");
    assert_true(SetEvent(c));
    assert_int_equal(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(c);
    assert_null(OpenEventA(EVENT_ALL_ACCESS, FALSE, "kmh-test-event")); /* gone with its last handle */
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    HANDLE s = CreateSemaphoreA(NULL, 0, 1, "kmh-test-sem");
    assert_null(CreateEventA(NULL, TRUE, FALSE, "kmh-test-sem"));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    CloseHandle(s);
}

static void semaphore_counts_and_limits(void **state)
{
    LONG previous = -1;

    (void)state;
    assert_null(CreateSemaphoreA(NULL, 2, 1, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    HANDLE s = CreateSemaphoreA(NULL, 1, 2, NULL);
    assert_int_equal(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(s, 0), WAIT_TIMEOUT);
    assert_true(ReleaseSemaphore(s, 2, &previous));
    assert_int_equal(previous, 0);
    assert_false(ReleaseSemaphore(s, 1, &previous));
    assert_int_equal(GetLastError(), ERROR_TOO_MANY_POSTS);
    assert_false(ReleaseSemaphore(s, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(s);
}

static void wait_multiple_any_all_and_errors(void **state)
{
    HANDLE h[3];

    (void)state;
    for (int i = 0; i < 3; i++)
        h[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetEvent(h[2]);
    assert_int_equal(WaitForMultipleObjects(3, h, FALSE, 0), WAIT_OBJECT_0 + 2);
    assert_int_equal(WaitForMultipleObjects(3, h, TRUE, 0), WAIT_TIMEOUT);
    SetEvent(h[0]);
    SetEvent(h[1]);
    assert_int_equal(WaitForMultipleObjects(3, h, TRUE, 0), WAIT_OBJECT_0);
    HANDLE dup[2] = { h[0], h[0] };
    assert_int_equal(WaitForMultipleObjects(2, dup, TRUE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_int_equal(WaitForMultipleObjects(0, h, FALSE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    HANDLE bogus[2] = { h[0], (HANDLE)(ULONG_PTR)0x7ffc };
    assert_int_equal(WaitForMultipleObjects(2, bogus, FALSE, 0), WAIT_FAILED);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    for (int i = 0; i < 3; i++)
        CloseHandle(h[i]);
}

static DWORD WINAPI thread_body(LPVOID arg)
{
    DWORD *id = arg;
    *id = GetCurrentThreadId();
    Sleep(20);
    return 1234;
}

static void thread_handle_signals_with_exit_code(void **state)
{
    DWORD id = 0, seen = 0, code = 0;

    (void)state;
    HANDLE t = CreateThread(NULL, 0, thread_body, &seen, 0, &id);
    assert_non_null(t);
    assert_int_not_equal(id, GetCurrentThreadId());
    assert_int_equal(GetThreadId(t), id);
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, STILL_ACTIVE);
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    assert_int_equal(seen, id);
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, 1234);
    assert_true(CloseHandle(t));
    assert_null(CreateThread(NULL, 0, NULL, NULL, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

static DWORD WINAPI exits_early(LPVOID arg)
{
    (void)arg;
    ExitThread(77);
}

static void suspended_thread_waits_for_resume(void **state)
{
    DWORD code = 0;

    (void)state;
    HANDLE t = CreateThread(NULL, 0, exits_early, NULL, CREATE_SUSPENDED, NULL);
    assert_int_equal(WaitForSingleObject(t, 30), WAIT_TIMEOUT);
    assert_int_equal(ResumeThread(t), 1);
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, 77);
    assert_int_equal(ResumeThread(t), 0);
    CloseHandle(t);
}

static ULONG_PTR apc_data;

static VOID CALLBACK note_apc(ULONG_PTR data)
{
    apc_data = data;
}

static void queued_apc_runs_in_alertable_wait(void **state)
{
    (void)state;
    apc_data = 0;
    assert_int_not_equal(QueueUserAPC(note_apc, GetCurrentThread(), 55), 0);
    Sleep(1);
    assert_int_equal(apc_data, 0); /* not alertable */
    assert_int_equal(SleepEx(INFINITE, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc_data, 55);
    assert_int_equal(SleepEx(10, TRUE), 0);
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE both[2] = { e, e };
    QueueUserAPC(note_apc, GetCurrentThread(), 56);
    assert_int_equal(WaitForMultipleObjectsEx(1, both, TRUE, INFINITE, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc_data, 56);
    CloseHandle(e);
    assert_int_equal(QueueUserAPC(note_apc, (HANDLE)(ULONG_PTR)0x7ff0, 1), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static DWORD WINAPI waits_alertably(LPVOID arg)
{
    (void)arg;
    return SleepEx(INFINITE, TRUE);
}

static void apc_wakes_another_thread(void **state)
{
    DWORD code = 0;

    (void)state;
    apc_data = 0;
    HANDLE t = CreateThread(NULL, 0, waits_alertably, NULL, 0, NULL);
    Sleep(20);
    assert_int_not_equal(QueueUserAPC(note_apc, t, 9), 0);
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(t, &code));
    assert_int_equal(code, WAIT_IO_COMPLETION);
    assert_int_equal(apc_data, 9);
    CloseHandle(t);
}

static DWORD WINAPI sets_error(LPVOID arg)
{
    (void)arg;
    SetLastError(ERROR_ACCESS_DENIED);
    return GetLastError();
}

static void last_error_is_per_thread(void **state)
{
    DWORD code = 0;

    (void)state;
    SetLastError(ERROR_FILE_NOT_FOUND);
    HANDLE t = CreateThread(NULL, 0, sets_error, NULL, 0, NULL);
    WaitForSingleObject(t, 5000);
    GetExitCodeThread(t, &code);
    assert_int_equal(code, ERROR_ACCESS_DENIED);
    CloseHandle(t);
    SetLastError(ERROR_FILE_NOT_FOUND); /* CloseHandle succeeded; keep the error of our own */
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
}

static void heap_allocates_zeroes_and_resizes(void **state)
{
    (void)state;
    HANDLE heap = GetProcessHeap();
    assert_non_null(heap);
    unsigned char *p = HeapAlloc(heap, HEAP_ZERO_MEMORY, 16);
    assert_non_null(p);
    assert_int_equal(p[15], 0);
    assert_int_equal(HeapSize(heap, 0, p), 16);
    memset(p, 0x5a, 16);
    p = HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 64);
    assert_int_equal(p[15], 0x5a);
    assert_int_equal(p[63], 0);
    assert_null(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, 128));
    assert_true(HeapFree(heap, 0, p));
    assert_true(HeapFree(heap, 0, NULL));
    char *l = LocalAlloc(LPTR, 8);
    assert_int_equal(l[7], 0);
    assert_null(LocalFree(l));
}

static void format_message_texts(void **state)
{
    char buffer[128];
    LPWSTR allocated = NULL;

    (void)state;
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_FILE_NOT_FOUND,
                             0, buffer, sizeof(buffer), NULL);
    assert_int_equal(n, strlen("The system cannot find the file specified.\r\n"));
    assert_string_equal(buffer, "The system cannot find the file specified.\r\n");
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, ERROR_IO_PENDING,
                       MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPWSTR)&allocated, 0, NULL);
    assert_true(n > 0);
    assert_int_equal(allocated[0], L'O');
    LocalFree(allocated);
    assert_int_equal(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x7777, 0, buffer, sizeof(buffer), NULL), 0);
    assert_int_equal(GetLastError(), ERROR_MR_MID_NOT_FOUND);
    assert_int_equal(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_FILE_NOT_FOUND, 0, buffer, 4, NULL), 0);
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
}

static void text_conversions(void **state)
{
    WCHAR wide[16];
    char narrow[16];

    (void)state;
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, "h\xc3\xa9", -1, NULL, 0), 3);
    assert_int_equal(MultiByteToWideChar(CP_ACP, 0, "h\xc3\xa9", -1, wide, 16), 3);
    assert_int_equal(wide[1], 0xe9);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, "abc", 3, wide, 2), 0);
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "\xff", -1, wide, 16), 0);
    assert_int_equal(GetLastError(), ERROR_NO_UNICODE_TRANSLATION);
    assert_int_equal(WideCharToMultiByte(CP_UTF8, 0, L"h\u00e9", -1, narrow, 16, NULL, NULL), 4);
    assert_string_equal(narrow, "h\xc3\xa9");
}

static void process_environment(void **state)
{
    char cwd[4096], path[8];
    WCHAR wcwd[4096];

    (void)state;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(GetCurrentDirectoryA(sizeof(path), path), strlen(cwd) + 1 > sizeof(path) ? strlen(cwd) + 1 : strlen(cwd));
    assert_int_equal(GetCurrentDirectoryA(sizeof(cwd), cwd), strlen(cwd));
    assert_int_equal(GetCurrentDirectoryW(4096, wcwd), strlen(cwd));
    assert_int_equal(wcwd[0], L'/');
    assert_true(GetModuleFileNameA(NULL, cwd, sizeof(cwd)) > 0);
    assert_non_null(strstr(cwd, "test-client-sync"));
    assert_int_equal(GetModuleFileNameA(NULL, path, sizeof(path)), sizeof(path));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    assert_int_equal(path[sizeof(path) - 1], 0);
    assert_int_equal(GetCurrentProcessId(), (DWORD)getpid());
    LARGE_INTEGER f, a, b;
    assert_true(QueryPerformanceFrequency(&f));
    assert_true(f.QuadPart > 0);
    QueryPerformanceCounter(&a);
    ULONGLONG t = GetTickCount64();
    Sleep(20);
    QueryPerformanceCounter(&b);
    assert_true(b.QuadPart > a.QuadPart);
    assert_true(GetTickCount64() - t >= 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(auto_reset_event_releases_one_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(manual_reset_event_stays_signalled, setup, teardown),
        cmocka_unit_test_setup_teardown(named_events_are_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(semaphore_counts_and_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_multiple_any_all_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(thread_handle_signals_with_exit_code, setup, teardown),
        cmocka_unit_test_setup_teardown(suspended_thread_waits_for_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(queued_apc_runs_in_alertable_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(apc_wakes_another_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(last_error_is_per_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(heap_allocates_zeroes_and_resizes, setup, teardown),
        cmocka_unit_test_setup_teardown(format_message_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(text_conversions, setup, teardown),
        cmocka_unit_test_setup_teardown(process_environment, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
