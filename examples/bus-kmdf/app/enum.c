/*
 * busenum: the kmhost bus example's test program, written for Windows.
 * It finds the bus through its interface class, plugs toys in, asks each
 * toy who it is, unplugs one, ejects another and the built-in one, and
 * lists the bus's children (SetupDi, by enumerator) after each step.
 * Enumeration is asynchronous, as on Windows: after each action it waits
 * for the device tree to show the change.
 */
#include <windows.h>
#include <setupapi.h>
#include <winioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <initguid.h>
#include "kmhbus_public.h"

static int checks, failures;

static void check(BOOL ok, const char *what)
{
    checks++;
    if (!ok)
        failures++;
    printf("busenum: %-52s %s\n", what, ok ? "ok" : "FAILED");
}

/* The device path of the n-th present interface of a class. */
static BOOL interface_path(const GUID *guid, DWORD n, char *path, DWORD size)
{
    SP_DEVICE_INTERFACE_DATA data;
    PSP_DEVICE_INTERFACE_DETAIL_DATA_A detail;
    DWORD needed = 0;
    BOOL found = FALSE;
    HDEVINFO set = SetupDiGetClassDevsA(guid, NULL, NULL, DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);

    if (set == INVALID_HANDLE_VALUE)
        return FALSE;
    data.cbSize = sizeof(data);
    if (SetupDiEnumDeviceInterfaces(set, NULL, guid, n, &data)) {
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

/* The bus's children in the device tree now; prints them when asked. */
static int children(BOOL print)
{
    SP_DEVINFO_DATA info;
    char id[256];
    int n = 0;
    HDEVINFO set = SetupDiGetClassDevsA(NULL, "KMHBUS", NULL, DIGCF_ALLCLASSES | DIGCF_PRESENT);

    if (set == INVALID_HANDLE_VALUE)
        return -1;
    info.cbSize = sizeof(info);
    for (DWORD i = 0; SetupDiEnumDeviceInfo(set, i, &info); i++) {
        if (!SetupDiGetDeviceInstanceIdA(set, &info, id, sizeof(id), NULL))
            continue;
        if (print)
            printf("busenum:     child %s\n", id);
        n++;
    }
    SetupDiDestroyDeviceInfoList(set);
    return n;
}

/* Waits (up to five seconds) for the bus to have this many children. */
static BOOL wait_for_children(int expected)
{
    for (int tries = 0; tries < 250; tries++) {
        if (children(FALSE) == expected)
            return TRUE;
        Sleep(20);
    }
    return FALSE;
}

static BOOL bus_request(HANDLE bus, DWORD code, ULONG serial)
{
    DWORD returned = 0;
    return DeviceIoControl(bus, code, &serial, sizeof(serial), NULL, 0, &returned, NULL);
}

/* Asks every toy present who it is; how many answered. */
static int toys_say_hello(void)
{
    char path[512];
    int answered = 0;

    for (DWORD n = 0; interface_path(&GUID_DEVINTERFACE_KMHTOY, n, path, sizeof(path)); n++) {
        KMHTOY_HELLO hello;
        DWORD returned = 0;
        HANDLE toy = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (toy == INVALID_HANDLE_VALUE)
            continue;
        if (DeviceIoControl(toy, IOCTL_KMHTOY_HELLO, NULL, 0, &hello, sizeof(hello), &returned, NULL) &&
            returned == sizeof(hello)) {
            printf("busenum:     toy %lu on port %lu says hello (#%lu)\n", (unsigned long)hello.SerialNumber,
                   (unsigned long)hello.Port, (unsigned long)hello.Hellos);
            answered++;
        }
        CloseHandle(toy);
    }
    return answered;
}

static void plug_in_two(HANDLE bus)
{
    check(bus_request(bus, IOCTL_KMHBUS_PLUG_IN, 11), "plug in toy 11");
    check(bus_request(bus, IOCTL_KMHBUS_PLUG_IN, 12), "plug in toy 12");
    check(wait_for_children(3), "the bus reports 3 children");
    children(TRUE);
    check(toys_say_hello() == 3, "each of the 3 toys answers through its driver");
    check(!bus_request(bus, IOCTL_KMHBUS_PLUG_IN, 11) && GetLastError() == ERROR_ALREADY_EXISTS,
          "plug in toy 11 again: ERROR_ALREADY_EXISTS");
}

static void take_them_out(HANDLE bus)
{
    check(bus_request(bus, IOCTL_KMHBUS_UNPLUG, 12), "unplug toy 12 (surprise removal)");
    check(wait_for_children(2), "the bus reports 2 children");
    children(TRUE);
    check(bus_request(bus, IOCTL_KMHBUS_EJECT, 11), "eject toy 11 (orderly removal, then eject)");
    check(wait_for_children(1), "the bus reports 1 child");
    check(bus_request(bus, IOCTL_KMHBUS_EJECT, KMHBUS_BUILTIN_SERIAL), "eject the built-in toy (a static child)");
    check(wait_for_children(0), "the bus reports no children");
    check(!bus_request(bus, IOCTL_KMHBUS_UNPLUG, 99), "unplug toy 99, never plugged in: refused");
    check(toys_say_hello() == 0, "no toy answers any more");
}

int main(void)
{
    char path[512];
    HANDLE bus;

    if (!interface_path(&GUID_DEVINTERFACE_KMHBUS, 0, path, sizeof(path))) {
        printf("busenum: no kmhost bus is present (install kmhbus.inx and kmhtoy.inx, add ROOT\\KMHBUS)\n");
        return 1;
    }
    printf("busenum: opening %s\n", path);
    bus = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (bus == INVALID_HANDLE_VALUE) {
        printf("busenum: CreateFile failed: error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    check(wait_for_children(1), "the bus reports its built-in toy");
    children(TRUE);
    plug_in_two(bus);
    take_them_out(bus);
    CloseHandle(bus);
    printf("busenum: %d of %d checks passed\n", checks - failures, checks);
    return failures ? 1 : 0;
}
