/*
 * toast: the toaster's test program, written for Windows. It finds the
 * device through its interface class, then exercises every request the
 * toaster understands — each transfer method, reads that wait, a request
 * cancelled while pending — and checks each answer. The same program
 * drives the WDM toaster and its KMDF port.
 */
#include <windows.h>
#include <setupapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <initguid.h>
#include "toaster_public.h"

static int checks, failures;

static void check(BOOL ok, const char *what)
{
    checks++;
    if (!ok)
        failures++;
    printf("toast: %-44s %s\n", what, ok ? "ok" : "FAILED");
}

/* The first present toaster interface's path, as Windows programs find it. */
static BOOL find_toaster(char *path, DWORD size)
{
    SP_DEVICE_INTERFACE_DATA data;
    PSP_DEVICE_INTERFACE_DETAIL_DATA_A detail;
    DWORD needed = 0;
    BOOL found = FALSE;
    HDEVINFO set = SetupDiGetClassDevsA(&GUID_DEVINTERFACE_KMH_TOASTER, NULL, NULL,
                                        DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);

    if (set == INVALID_HANDLE_VALUE)
        return FALSE;
    data.cbSize = sizeof(data);
    if (SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMH_TOASTER, 0, &data)) {
        SetupDiGetDeviceInterfaceDetailA(set, &data, NULL, 0, &needed, NULL);
        detail = (PSP_DEVICE_INTERFACE_DETAIL_DATA_A)malloc(needed);
        if (detail) {
            detail->cbSize = sizeof(*detail);
            if (SetupDiGetDeviceInterfaceDetailA(set, &data, detail, needed, NULL, NULL) &&
                strlen(detail->DevicePath) < size) {
                strcpy(path, detail->DevicePath);
                found = TRUE;
            }
            free(detail);
        }
    }
    SetupDiDestroyDeviceInfoList(set);
    return found;
}

static BOOL ioctl(HANDLE h, DWORD code, void *in, DWORD in_size, void *out, DWORD out_size, DWORD *returned)
{
    return DeviceIoControl(h, code, in, in_size, out, out_size, returned, NULL);
}

static void test_info_and_darkness(HANDLE h)
{
    TOASTER_INFO info;
    DWORD returned = 0, darkness = 7, too_dark = 42;

    check(ioctl(h, IOCTL_TOASTER_GET_INFO, NULL, 0, &info, sizeof(info), &returned) &&
              returned == sizeof(info) && info.Version == TOASTER_VERSION,
          "GET_INFO (buffered out)");
    check(ioctl(h, IOCTL_TOASTER_SET_DARKNESS, &darkness, sizeof(darkness), NULL, 0, &returned),
          "SET_DARKNESS 7 (buffered in)");
    check(!ioctl(h, IOCTL_TOASTER_SET_DARKNESS, &too_dark, sizeof(too_dark), NULL, 0, &returned) &&
              GetLastError() == ERROR_INVALID_PARAMETER,
          "SET_DARKNESS 42 refused: ERROR_INVALID_PARAMETER");
    check(!ioctl(h, IOCTL_TOASTER_GET_INFO, NULL, 0, &info, 4, &returned) &&
              GetLastError() == ERROR_INSUFFICIENT_BUFFER,
          "GET_INFO into 4 bytes: ERROR_INSUFFICIENT_BUFFER");
}

static void test_write_read(HANDLE h)
{
    const char toast[] = "Golden brown";
    char buffer[64] = { 0 };
    DWORD done = 0;

    check(WriteFile(h, toast, (DWORD)strlen(toast), &done, NULL) && done == strlen(toast), "WriteFile 12 bytes");
    check(ReadFile(h, buffer, sizeof(buffer), &done, NULL) && done == strlen(toast) &&
              memcmp(buffer, toast, done) == 0,
          "ReadFile gives them back");
}

static void test_direct(HANDLE h)
{
    unsigned char pattern[256], data[256];
    DWORD returned = 0, seed = 2166136261u, sum = seed;
    TOASTER_INFO info;
    BOOL ok;

    ok = ioctl(h, IOCTL_TOASTER_FILL_PATTERN, NULL, 0, pattern, sizeof(pattern), &returned) &&
         returned == sizeof(pattern);
    for (DWORD i = 0; ok && i < sizeof(pattern); i++)
        ok = pattern[i] == (unsigned char)((i * 7 + 7) & 0xff);
    check(ok, "FILL_PATTERN 256 bytes (direct out)");
    for (DWORD i = 0; i < sizeof(data); i++) {
        data[i] = (unsigned char)(i ^ 0x5a);
        sum = TOASTER_CHECKSUM_STEP(sum, data[i]);
    }
    check(ioctl(h, IOCTL_TOASTER_CHECKSUM, &seed, sizeof(seed), data, sizeof(data), &returned) &&
              returned == sizeof(data) &&
              ioctl(h, IOCTL_TOASTER_GET_INFO, NULL, 0, &info, sizeof(info), &returned) && info.LastChecksum == sum,
          "CHECKSUM 256 bytes (direct in)");
}

static void test_neither(HANDLE h)
{
    char in[] = "toast", out[8] = { 0 };
    DWORD returned = 0;
    check(ioctl(h, IOCTL_TOASTER_REVERSE, in, 5, out, sizeof(out), &returned) && returned == 5 &&
              memcmp(out, "tsaot", 5) == 0,
          "REVERSE \"toast\" (neither)");
    check(!ioctl(h, IOCTL_TOASTER_REVERSE, (void *)(ULONG_PTR)16, 5, out, sizeof(out), &returned) &&
              GetLastError() == ERROR_NOACCESS,
          "REVERSE from a bad pointer: ERROR_NOACCESS");
}

static void test_pending_read(HANDLE overlapped_handle, HANDLE h)
{
    char buffer[16] = { 0 };
    OVERLAPPED ov = { 0 };
    DWORD done = 0;

    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    check(!ReadFile(overlapped_handle, buffer, sizeof(buffer), NULL, &ov) && GetLastError() == ERROR_IO_PENDING,
          "ReadFile on an empty toaster pends");
    check(WriteFile(h, "crumbs", 6, &done, NULL) && done == 6, "WriteFile \"crumbs\"");
    check(GetOverlappedResult(overlapped_handle, &ov, &done, TRUE) && done == 6 && memcmp(buffer, "crumbs", 6) == 0,
          "the pending read completes with them");
    CloseHandle(ov.hEvent);
}

static void test_cancel(HANDLE overlapped_handle)
{
    OVERLAPPED ov = { 0 };
    DWORD number = 0, done = 0;

    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    check(!DeviceIoControl(overlapped_handle, IOCTL_TOASTER_WAIT_TOAST, NULL, 0, &number, sizeof(number), NULL,
                           &ov) &&
              GetLastError() == ERROR_IO_PENDING,
          "WAIT_TOAST pends");
    check(CancelIo(overlapped_handle), "CancelIo");
    check(!GetOverlappedResult(overlapped_handle, &ov, &done, TRUE) && GetLastError() == ERROR_OPERATION_ABORTED,
          "the wait ends: ERROR_OPERATION_ABORTED");
    CloseHandle(ov.hEvent);
}

int main(void)
{
    char path[512];
    HANDLE h, overlapped_handle;

    if (!find_toaster(path, sizeof(path))) {
        printf("toast: no toaster device is present (install toaster.inf and add ROOT\\KMHTOASTER)\n");
        return 1;
    }
    printf("toast: opening %s\n", path);
    h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    overlapped_handle = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                    FILE_FLAG_OVERLAPPED, NULL);
    if (h == INVALID_HANDLE_VALUE || overlapped_handle == INVALID_HANDLE_VALUE) {
        printf("toast: CreateFile failed: error %lu\n", GetLastError());
        return 1;
    }
    test_info_and_darkness(h);
    test_write_read(h);
    test_direct(h);
    test_neither(h);
    test_pending_read(overlapped_handle, h);
    test_cancel(overlapped_handle);
    CloseHandle(overlapped_handle);
    CloseHandle(h);
    printf("toast: %d of %d checks passed\n", checks - failures, checks);
    return failures ? 1 : 0;
}
