/*
 * Bring-up of the toaster examples, each repeat in a fresh root: INF
 * install to device started (runtime already up), and runtime start to the
 * first request served (package installed and device added beforehand).
 */
#define _GNU_SOURCE
#include <windows.h>
#include <setupapi.h>
#include <kmhost.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <initguid.h>
#include "toaster_public.h"
#include "bench.h"

struct example {
    const char *name, *inf, *hardware_id;
};

static const struct example examples[] = {
    { "toaster-wdm", "toaster.inf", "ROOT\\KMHTOASTER" },
    { "toaster-kmdf", "toasterkmdf.inx", "ROOT\\KMHTOASTERKMDF" },
};

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void bench_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int install(const char *driver_dir, const struct example *ex)
{
    char path[4096], installed[64], instance[256], message[512];

    snprintf(path, sizeof(path), "%s/%s", driver_dir, ex->inf);
    if (kmh_inf_install(path, installed, sizeof(installed), message, sizeof(message)) ||
        kmh_device_add(ex->hardware_id, instance, sizeof(instance), message, sizeof(message))) {
        fprintf(stderr, "kmhbench: %s: %s\n", ex->name, message);
        return -1;
    }
    return 0;
}

/* Opens the toaster's interface and asks for its info, as toast does. */
static int first_request(void)
{
    SP_DEVICE_INTERFACE_DATA data = { .cbSize = sizeof(data) };
    PSP_DEVICE_INTERFACE_DETAIL_DATA_A detail = NULL;
    HDEVINFO set = SetupDiGetClassDevsA(&GUID_DEVINTERFACE_KMH_TOASTER, NULL, NULL,
                                        DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
    DWORD needed = 0, returned;
    unsigned char info[256];
    int ret = -1;
    HANDLE h;

    if (set == INVALID_HANDLE_VALUE)
        return -1;
    if (!SetupDiEnumDeviceInterfaces(set, NULL, &GUID_DEVINTERFACE_KMH_TOASTER, 0, &data))
        goto out;
    SetupDiGetDeviceInterfaceDetailA(set, &data, NULL, 0, &needed, NULL);
    detail = malloc(needed);
    if (!detail)
        goto out;
    detail->cbSize = sizeof(*detail);
    if (!SetupDiGetDeviceInterfaceDetailA(set, &data, detail, needed, NULL, NULL))
        goto out;
    h = CreateFileA(detail->DevicePath, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        goto out;
    if (DeviceIoControl(h, IOCTL_TOASTER_GET_INFO, NULL, 0, info, sizeof(info), &returned, NULL))
        ret = 0;
    CloseHandle(h);
out:
    free(detail);
    SetupDiDestroyDeviceInfoList(set);
    return ret;
}

/* One repeat in a fresh root: *install_ms and *first_ms, or -1. */
static int bringup_once(const char *driver_dir, const struct example *ex, double *install_ms, double *first_ms)
{
    char root[64] = "/tmp/kmhbench-up.XXXXXX", message[512];
    uint64_t t;
    int ret = -1;

    if (!mkdtemp(root) || kmh_set_root_dir(root))
        return -1;
    if (kmh_runtime_start(message, sizeof(message)))
        goto out;
    t = bench_now_ns();
    ret = install(driver_dir, ex);
    *install_ms = (double)(bench_now_ns() - t) / 1e6;
    kmh_runtime_stop();
    if (ret)
        goto out;
    ret = -1;
    t = bench_now_ns();
    if (kmh_runtime_start(message, sizeof(message)))
        goto out;
    ret = first_request();
    *first_ms = (double)(bench_now_ns() - t) / 1e6;
    kmh_runtime_stop();
out:
    if (ret)
        fprintf(stderr, "kmhbench: %s bring-up failed\n", ex->name);
    bench_remove_tree(root);
    return ret;
}

/* Each repeat runs in a child process of its own, as a program would: the
 * client keeps the runtime (and its root's registry) until the process exits. */
static int bringup_in_child(const char *driver_dir, const struct example *ex, double *install_ms, double *first_ms)
{
    double result[2] = { NAN, NAN };
    int fds[2], status;
    pid_t pid;

    if (pipe(fds))
        return -1;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (bringup_once(driver_dir, ex, &result[0], &result[1]) == 0 &&
            write(fds[1], result, sizeof(result)) == sizeof(result))
            _exit(0);
        _exit(1);
    }
    close(fds[1]);
    if (pid < 0 || read(fds[0], result, sizeof(result)) != sizeof(result))
        result[0] = NAN;
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, &status, 0);
    *install_ms = result[0];
    *first_ms = result[1];
    return isnan(result[0]) ? -1 : 0;
}

int bench_bringup(const char *driver_dir)
{
    double installs[64], firsts[64];
    int reps = bench_reps < 64 ? bench_reps : 64, failed = 0;
    char name[64];

    for (size_t e = 0; e < sizeof(examples) / sizeof(examples[0]); e++) {
        int ok = 1;
        for (int r = 0; r < reps && ok; r++)
            ok = bringup_in_child(driver_dir, &examples[e], &installs[r], &firsts[r]) == 0;
        failed |= !ok;
        snprintf(name, sizeof(name), "%s: INF install to started", examples[e].name);
        struct bench_row *row = bench_add("bring-up", name, ok ? bench_median(installs, reps) : NAN, "ms");
        bench_ratio(row, 0, "spawn /bin/true", bench_spawn_ns / 1e6);
        bench_target(row, "< 10 ms", row->value < 10);
        snprintf(name, sizeof(name), "%s: runtime start to 1st request", examples[e].name);
        row = bench_add("bring-up", name, ok ? bench_median(firsts, reps) : NAN, "ms");
        bench_ratio(row, 0, "spawn /bin/true", bench_spawn_ns / 1e6);
        bench_target(row, "< 10 ms", row->value < 10);
    }
    return failed;
}
