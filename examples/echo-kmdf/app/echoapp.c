/*
 * echoapp: the echo driver's test program, written for Windows. It finds
 * the device through the configuration manager, writes and reads back,
 * queues overlapped requests the sequential queue serves in order, and
 * cancels one the driver is holding.
 */
#include <windows.h>
#include <cfgmgr32.h>
#include <initguid.h>
#include <stdio.h>
#include <string.h>
#include "echo_public.h"

static int checks, failures;

static void check(BOOL ok, const char *what)
{
    checks++;
    if (!ok)
        failures++;
    printf("echoapp: %-48s %s\n", what, ok ? "ok" : "FAILED");
}

static BOOL find_echo(char *path, ULONG size)
{
    ULONG length = 0;
    if (CM_Get_Device_Interface_List_SizeA(&length, (LPGUID)&GUID_DEVINTERFACE_KMH_ECHO, NULL,
                                           CM_GET_DEVICE_INTERFACE_LIST_PRESENT) != CR_SUCCESS ||
        length <= 1 || length > size)
        return FALSE;
    return CM_Get_Device_Interface_ListA((LPGUID)&GUID_DEVINTERFACE_KMH_ECHO, NULL, path, size,
                                         CM_GET_DEVICE_INTERFACE_LIST_PRESENT) == CR_SUCCESS;
}

static void echo_back(HANDLE h)
{
    static const char text[] = "kmhost echo";
    char out[64] = { 0 };
    DWORD done = 0;

    check(WriteFile(h, text, sizeof(text) - 1, &done, NULL) && done == sizeof(text) - 1, "WriteFile");
    check(ReadFile(h, out, sizeof(out), &done, NULL) && done == sizeof(text) - 1 &&
              memcmp(out, text, done) == 0, "ReadFile gives the same bytes back");
    check(ReadFile(h, out, 4, &done, NULL) && done == 4 && memcmp(out, "kmho", 4) == 0,
          "a shorter read gets the first bytes");

    static char big[ECHO_MAX_LENGTH + 1];
    check(!WriteFile(h, big, sizeof(big), &done, NULL) && GetLastError() == ERROR_INVALID_USER_BUFFER,
          "a write over the limit: ERROR_INVALID_USER_BUFFER");
}

/* Three overlapped requests: the sequential queue presents them one after
 * another, so the read sees the second write. */
static void in_order(HANDLE h)
{
    OVERLAPPED ov[3] = { { 0 } };
    char out[64] = { 0 };
    DWORD done[3] = { 0 };
    BOOL ok = TRUE;

    for (int i = 0; i < 3; i++)
        ov[i].hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL w1 = WriteFile(h, "first", 5, NULL, &ov[0]);
    BOOL w2 = WriteFile(h, "second!", 7, NULL, &ov[1]);
    BOOL r = ReadFile(h, out, sizeof(out), NULL, &ov[2]);
    check(!w1 && !w2 && !r && GetLastError() == ERROR_IO_PENDING, "three overlapped requests pend");
    for (int i = 0; i < 3; i++)
        ok = GetOverlappedResult(h, &ov[i], &done[i], TRUE) && ok;
    check(ok && done[0] == 5 && done[1] == 7, "both writes complete");
    check(done[2] == 7 && memcmp(out, "second!", 7) == 0, "the read, served last, returns the second write");
    for (int i = 0; i < 3; i++)
        CloseHandle(ov[i].hEvent);
}

static void cancel_held(HANDLE h)
{
    OVERLAPPED ov = { 0 };
    char out[16];
    DWORD done = 0;

    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL r = ReadFile(h, out, sizeof(out), NULL, &ov);
    check(!r && GetLastError() == ERROR_IO_PENDING, "a read the driver holds pends");
    check(CancelIo(h), "CancelIo");
    check(!GetOverlappedResult(h, &ov, &done, TRUE) && GetLastError() == ERROR_OPERATION_ABORTED,
          "the held read ends: ERROR_OPERATION_ABORTED");
    CloseHandle(ov.hEvent);
}

int main(void)
{
    char path[1024];

    if (!find_echo(path, sizeof(path))) {
        printf("echoapp: no echo device (install kmhecho.inx and add ROOT\\KMHECHO)\n");
        return 1;
    }
    printf("echoapp: opening %s\n", path);
    HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    HANDLE overlapped = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                    FILE_FLAG_OVERLAPPED, NULL);
    if (h == INVALID_HANDLE_VALUE || overlapped == INVALID_HANDLE_VALUE) {
        printf("echoapp: CreateFile failed: error %lu\n", GetLastError());
        return 1;
    }
    echo_back(h);
    in_order(overlapped);
    cancel_held(overlapped);
    CloseHandle(overlapped);
    CloseHandle(h);
    printf("echoapp: %d of %d checks passed\n", checks - failures, checks);
    return failures ? 1 : 0;
}
