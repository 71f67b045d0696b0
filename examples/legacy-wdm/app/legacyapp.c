/*
 * legacyapp: the legacy driver's test program, written for Windows. As the
 * WDK's legacy samples do, it installs and starts the driver with the
 * service control manager, talks to \\.\KmhLegacy, then stops and deletes
 * the service. Usage: legacyapp <path to kmhlegacy.sys>
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "legacy_public.h"

#define SERVICE_NAME "KmhLegacyApp"

static int failures;

static void check(BOOL ok, const char *what)
{
    if (!ok)
        failures++;
    printf("legacyapp: %-40s %s (error %lu)\n", what, ok ? "ok" : "FAILED", ok ? 0 : GetLastError());
}

static SC_HANDLE install(SC_HANDLE scm, const char *driver_path)
{
    SC_HANDLE service = CreateServiceA(scm, SERVICE_NAME, SERVICE_NAME, SERVICE_ALL_ACCESS, SERVICE_KERNEL_DRIVER,
                                       SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL, driver_path, NULL, NULL, NULL,
                                       NULL, NULL);
    if (!service && GetLastError() == ERROR_SERVICE_EXISTS)
        service = OpenServiceA(scm, SERVICE_NAME, SERVICE_ALL_ACCESS);
    check(service != NULL, "CreateService");
    return service;
}

static void talk(HANDLE device)
{
    char out[64] = { 0 };
    DWORD returned = 0;
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);

    check(DeviceIoControl(device, IOCTL_LEGACY_HELLO, "abc", 3, out, sizeof(out), &returned, NULL) &&
              returned == strlen(LEGACY_GREETING) + 3 && memcmp(out + strlen(LEGACY_GREETING), "cba", 3) == 0,
          "IOCTL_LEGACY_HELLO");
    printf("legacyapp: the driver says \"%.*s\"\n", (int)returned, out);
    check(DeviceIoControl(device, IOCTL_LEGACY_SIGNAL_EVENT, &event, sizeof(event), NULL, 0, &returned, NULL) &&
              WaitForSingleObject(event, 5000) == WAIT_OBJECT_0,
          "the driver signals our event");
    CloseHandle(event);
}

int main(int argc, char **argv)
{
    SERVICE_STATUS status;
    SC_HANDLE scm, service;
    HANDLE device;

    if (argc != 2) {
        printf("usage: legacyapp <path to kmhlegacy.sys>\n");
        return 2;
    }
    scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
    check(scm != NULL, "OpenSCManager");
    if (!scm || !(service = install(scm, argv[1])))
        return 1;
    check(StartServiceA(service, 0, NULL) || GetLastError() == ERROR_SERVICE_ALREADY_RUNNING, "StartService");
    device = CreateFileA(LEGACY_DOS_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         FILE_ATTRIBUTE_NORMAL, NULL);
    check(device != INVALID_HANDLE_VALUE, "CreateFile \\\\.\\KmhLegacy");
    if (device != INVALID_HANDLE_VALUE) {
        talk(device);
        CloseHandle(device);
    }
    check(ControlService(service, SERVICE_CONTROL_STOP, &status), "ControlService stop");
    check(DeleteService(service), "DeleteService");
    CloseServiceHandle(service);
    CloseServiceHandle(scm);
    printf("legacyapp: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
