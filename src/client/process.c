/*
 * The process's environment and clock: the current directory and the
 * program's own path (Linux paths, as they are), tick counts and the
 * performance counter.
 */
#include "client/client.h"

#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Copies a UTF-8 string to a caller's buffer of size characters, the
 * GetCurrentDirectory way: the length without the terminator when it fits,
 * else the size needed with it (nothing written). */
static DWORD copy_out_a(const char *s, LPSTR buffer, DWORD size)
{
    size_t len = strlen(s);
    if (!buffer || len + 1 > size)
        return (DWORD)len + 1;
    memcpy(buffer, s, len + 1);
    return (DWORD)len;
}

static DWORD copy_out_w(const char *s, LPWSTR buffer, DWORD size)
{
    bool oom = false;
    WCHAR *wide = client_wide_from_utf8(s, &oom);
    if (!wide)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), 0;
    size_t len = client_wcslen(wide);
    DWORD result = (DWORD)len + 1;
    if (buffer && len + 1 <= size) {
        memcpy(buffer, wide, (len + 1) * sizeof(WCHAR));
        result = (DWORD)len;
    }
    free(wide);
    return result;
}

/* The current directory (a Linux path). Returns its length; or, when
 * nBufferLength is too small, the size needed including the terminator; 0
 * with the error when it cannot be read. */
KMH_EXPORT DWORD WINAPI GetCurrentDirectoryA(DWORD nBufferLength, LPSTR lpBuffer)
{
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        return client_fail(client_error_from_errno(-errno)), 0;
    DWORD result = copy_out_a(cwd, lpBuffer, nBufferLength);
    free(cwd);
    return result;
}

/* GetCurrentDirectoryA in UTF-16. */
KMH_EXPORT DWORD WINAPI GetCurrentDirectoryW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        return client_fail(client_error_from_errno(-errno)), 0;
    DWORD result = copy_out_w(cwd, lpBuffer, nBufferLength);
    free(cwd);
    return result;
}

static bool self_path(HMODULE module, char *path, size_t size)
{
    if (module) {
        client_fail(ERROR_MOD_NOT_FOUND); /* only the program itself is known by handle */
        return false;
    }
    ssize_t n = readlink("/proc/self/exe", path, size - 1);
    if (n < 0) {
        client_fail(client_error_from_errno(-errno));
        return false;
    }
    path[n] = 0;
    return true;
}

/* The program's path (hModule NULL). Returns its length; when nSize is
 * too small, nSize with the path truncated and terminated and
 * ERROR_INSUFFICIENT_BUFFER. 0 with ERROR_MOD_NOT_FOUND for a module
 * handle. */
KMH_EXPORT DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize)
{
    char path[PATH_MAX];
    if (!self_path(hModule, path, sizeof(path)))
        return 0;
    size_t len = strlen(path);
    if (nSize == 0)
        return client_fail(ERROR_INSUFFICIENT_BUFFER), 0;
    if (len + 1 > nSize) {
        memcpy(lpFilename, path, nSize - 1);
        lpFilename[nSize - 1] = 0;
        return client_fail(ERROR_INSUFFICIENT_BUFFER), nSize;
    }
    memcpy(lpFilename, path, len + 1);
    SetLastError(0);
    return (DWORD)len;
}

/* GetModuleFileNameA in UTF-16. */
KMH_EXPORT DWORD WINAPI GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize)
{
    char path[PATH_MAX];
    bool oom = false;
    if (!self_path(hModule, path, sizeof(path)))
        return 0;
    WCHAR *wide = client_wide_from_utf8(path, &oom);
    if (!wide)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), 0;
    size_t len = client_wcslen(wide);
    DWORD result = (DWORD)len;
    if (nSize == 0) {
        result = client_fail(ERROR_INSUFFICIENT_BUFFER);
    } else if (len + 1 > nSize) {
        memcpy(lpFilename, wide, (nSize - 1) * sizeof(WCHAR));
        lpFilename[nSize - 1] = 0;
        client_fail(ERROR_INSUFFICIENT_BUFFER);
        result = nSize;
    } else {
        memcpy(lpFilename, wide, (len + 1) * sizeof(WCHAR));
        SetLastError(0);
    }
    free(wide);
    return result;
}

static ULONGLONG monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ULONGLONG)ts.tv_sec * 1000 + (ULONGLONG)ts.tv_nsec / 1000000;
}

/* Milliseconds since the host booted (wraps after 49.7 days). */
KMH_EXPORT DWORD WINAPI GetTickCount(VOID)
{
    return (DWORD)monotonic_ms();
}

/* Milliseconds since the host booted. */
KMH_EXPORT ULONGLONG WINAPI GetTickCount64(VOID)
{
    return monotonic_ms();
}

/* The performance counter: the kernel's (KeQueryPerformanceCounter), so a
 * program and its driver read the same clock. Always TRUE. */
KMH_EXPORT BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount)
{
    *lpPerformanceCount = KeQueryPerformanceCounter(NULL);
    return TRUE;
}

/* The performance counter's ticks per second. Always TRUE. */
KMH_EXPORT BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency)
{
    KeQueryPerformanceCounter(lpFrequency);
    return TRUE;
}

/* The time as a FILETIME (100 ns units since 1601, UTC). */
KMH_EXPORT VOID WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime)
{
    LARGE_INTEGER now;
    KeQuerySystemTime(&now);
    lpSystemTimeAsFileTime->dwLowDateTime = (DWORD)now.QuadPart;
    lpSystemTimeAsFileTime->dwHighDateTime = (DWORD)(now.QuadPart >> 32);
}
