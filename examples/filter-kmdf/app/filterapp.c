/*
 * filterapp: the toaster filter's test program. It opens the toaster's
 * interface — which now leads to the filter at the top of the stack — and
 * checks that the toaster still behaves (IOCTLs, a refused value, direct
 * I/O, writes and reads the filter passes on by itself, a pending wait that
 * CancelIo ends through both drivers) while the filter counts what it sent
 * down and what came back.
 */
#include <windows.h>
#include <setupapi.h>
#include <initguid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toaster_public.h"
#include "filter_public.h"

static int checks, failures;

static void check(BOOL ok, const char *what)
{
    checks++;
    if (!ok)
        failures++;
    printf("filterapp: %-48s %s\n", what, ok ? "ok" : "FAILED");
}

static BOOL find_toaster(char *path, DWORD size)
{
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };
    char storage[1024];
    PSP_DEVICE_INTERFACE_DETAIL_DATA_A detail = (PSP_DEVICE_INTERFACE_DETAIL_DATA_A)storage;
    HDEVINFO set = SetupDiGetClassDevsA(&GUID_DEVINTERFACE_KMH_TOASTER, NULL, NULL,
                                        DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
    BOOL found = FALSE;

    if (set == INVALID_HANDLE_VALUE)
        return FALSE;
    detail->cbSize = sizeof(*detail);
    if (SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMH_TOASTER, 0, &data) &&
        SetupDiGetDeviceInterfaceDetailA(set, &data, detail, sizeof(storage), NULL, NULL) &&
        strlen(detail->DevicePath) < size) {
        strcpy(path, detail->DevicePath);
        found = TRUE;
    }
    SetupDiDestroyDeviceInfoList(set);
    return found;
}

static KMH_FILTER_COUNTS counts(HANDLE h)
{
    KMH_FILTER_COUNTS c = { 0 };
    DWORD returned = 0;
    if (!DeviceIoControl(h, IOCTL_KMH_FILTER_GET_COUNTS, NULL, 0, &c, sizeof(c), &returned, NULL) ||
        returned != sizeof(c))
        printf("filterapp: GET_COUNTS failed: error %lu\n", GetLastError());
    return c;
}

static void through_the_filter(HANDLE h, HANDLE overlapped)
{
    TOASTER_INFO info;
    ULONG darkness = 3, too_dark = 42, toast = 0;
    unsigned char pattern[128];
    DWORD returned = 0;
    OVERLAPPED ov = { 0 };

    check(DeviceIoControl(h, IOCTL_TOASTER_SET_DARKNESS, &darkness, sizeof(darkness), NULL, 0, &returned, NULL),
          "SET_DARKNESS 3 through the filter");
    check(!DeviceIoControl(h, IOCTL_TOASTER_SET_DARKNESS, &too_dark, sizeof(too_dark), NULL, 0, &returned, NULL) &&
              GetLastError() == ERROR_INVALID_PARAMETER,
          "SET_DARKNESS 42 still refused by the toaster");
    check(DeviceIoControl(h, IOCTL_TOASTER_GET_INFO, NULL, 0, &info, sizeof(info), &returned, NULL) &&
              returned == sizeof(info) && info.Darkness == 3,
          "GET_INFO shows darkness 3");
    check(DeviceIoControl(h, IOCTL_TOASTER_FILL_PATTERN, NULL, 0, pattern, sizeof(pattern), &returned, NULL) &&
              returned == sizeof(pattern) && pattern[1] == (unsigned char)(7 + 3),
          "FILL_PATTERN (direct out) through the filter");
    check(WriteFile(h, "rye", 3, &returned, NULL) && returned == 3, "WriteFile passed on by the framework");
    char bread[8] = { 0 };
    check(ReadFile(h, bread, sizeof(bread), &returned, NULL) && returned == 3 && memcmp(bread, "rye", 3) == 0,
          "ReadFile passed on by the framework");

    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL waited = DeviceIoControl(overlapped, IOCTL_TOASTER_WAIT_TOAST, NULL, 0, &toast, sizeof(toast), NULL, &ov);
    check(!waited && GetLastError() == ERROR_IO_PENDING, "WAIT_TOAST pends in the toaster");
    check(CancelIo(overlapped), "CancelIo");
    check(!GetOverlappedResult(overlapped, &ov, &returned, TRUE) && GetLastError() == ERROR_OPERATION_ABORTED,
          "the wait ends through both drivers: ERROR_OPERATION_ABORTED");
    CloseHandle(ov.hEvent);
}

int main(void)
{
    char path[1024];

    if (!find_toaster(path, sizeof(path))) {
        printf("filterapp: no toaster (install toasterfiltered.inx and add ROOT\\KMHTOASTERFILTERED)\n");
        return 1;
    }
    printf("filterapp: opening %s\n", path);
    HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    HANDLE overlapped = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                    FILE_FLAG_OVERLAPPED, NULL);
    if (h == INVALID_HANDLE_VALUE || overlapped == INVALID_HANDLE_VALUE) {
        printf("filterapp: CreateFile failed: error %lu\n", GetLastError());
        return 1;
    }
    KMH_FILTER_COUNTS before = counts(h);
    check(before.Forwarded == 0 && before.Completed == 0, "the filter has sent nothing down yet");
    through_the_filter(h, overlapped);
    KMH_FILTER_COUNTS after = counts(h);
    printf("filterapp: forwarded %lu, completed %lu, failed %lu\n", (unsigned long)after.Forwarded,
           (unsigned long)after.Completed, (unsigned long)after.Failed);
    check(after.Forwarded == 5 && after.Completed == 5, "the filter saw the five IOCTLs go down and come back");
    check(after.Failed == 2, "two of them failed (the refused value, the cancelled wait)");
    CloseHandle(overlapped);
    CloseHandle(h);
    printf("filterapp: %d of %d checks passed\n", checks - failures, checks);
    return failures ? 1 : 0;
}
