/*
 * The in-process request path: the bench root with the benchmark drivers,
 * IOCTL round trips through the Win32 client, overlapped throughput, and
 * the framework costs the KMDF driver times from inside.
 */
#define _GNU_SOURCE
#include <windows.h>
#include <kmhost.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"
#include "drivers/kmhbench.h"

enum { DEV_WDM, DEV_PAR, DEV_SEQ, NDEVS };
static const char *const dev_paths[NDEVS] = { "\\\\.\\KmhBenchWdm", "\\\\.\\KmhBenchKmdfPar",
                                              "\\\\.\\KmhBenchKmdfSeq" };
static const char *const dev_names[NDEVS] = { "WDM", "KMDF parallel", "KMDF sequential" };
static const char *const hardware_ids[NDEVS] = { "ROOT\\KMHBENCHWDM", "ROOT\\KMHBENCHKMDFPAR",
                                                 "ROOT\\KMHBENCHKMDFSEQ" };
static HANDLE devs[NDEVS] = { INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE };
static char root[64];
static unsigned char in_buf[65536], out_buf[65536];

int bench_setup_root(const char *driver_dir)
{
    static const char *const infs[] = { "kmhbenchwdm.inf", "kmhbenchkmdf.inx" };
    char path[4096], installed[64], instance[256], message[512];

    snprintf(root, sizeof(root), "/tmp/kmhbench.XXXXXX");
    if (!mkdtemp(root) || kmh_set_root_dir(root) || kmh_runtime_start(message, sizeof(message)))
        goto err;
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", driver_dir, infs[i]);
        if (kmh_inf_install(path, installed, sizeof(installed), message, sizeof(message)))
            goto err;
    }
    for (int i = 0; i < NDEVS; i++) {
        if (kmh_device_add(hardware_ids[i], instance, sizeof(instance), message, sizeof(message)))
            goto err;
        devs[i] = CreateFileA(dev_paths[i], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (devs[i] == INVALID_HANDLE_VALUE) {
            snprintf(message, sizeof(message), "cannot open %s: error %lu", dev_paths[i], GetLastError());
            goto err;
        }
    }
    return 0;
err:
    fprintf(stderr, "kmhbench: bench root: %s\n", message);
    return -1;
}

void bench_teardown_root(void)
{
    for (int i = 0; i < NDEVS; i++)
        if (devs[i] != INVALID_HANDLE_VALUE)
            CloseHandle(devs[i]);
    kmh_runtime_stop();
    bench_remove_tree(root);
}

/* --- Round trips ------------------------------------------------------ */

struct round_trip {
    HANDLE h;
    DWORD code, size;
    bool failed;
};

static void run_round_trip(void *ctx, long iters)
{
    struct round_trip *rt = ctx;
    DWORD returned;

    for (long i = 0; i < iters; i++)
        if (!DeviceIoControl(rt->h, rt->code, in_buf, rt->size, out_buf, rt->size, &returned, NULL))
            rt->failed = true;
}

static double round_trip_ns(HANDLE h, DWORD code, DWORD size)
{
    struct round_trip rt = { h, code, size, false };
    double ns = bench_median_ns(run_round_trip, &rt);
    return rt.failed ? NAN : ns;
}

static void add_round_trip(int dev, int size_index, bool direct, double ns)
{
    size_t n = bench_sizes[size_index];
    char name[64], target[48];
    struct bench_row *row;

    snprintf(name, sizeof(name), "%s, %s%zu B", dev_names[dev], direct ? "OUT_DIRECT " : "", n);
    row = bench_add("in-process", name, ns, "ns");
    bench_ratio(row, 0, "bare call", bench_floor_ns[size_index]);
    bench_ratio(row, 1, "syscall", bench_syscall_ns);
    if (n == 0 && dev != DEV_WDM) {
        bench_target(row, "<150ns, <syscall, <100x call",
                     ns < 150 && ns < bench_syscall_ns && ns < 100 * bench_floor_ns[0]);
    } else if (n == 65536) {
        double gbs = 2 * 65536.0 / ns, memcpy_gbs = 65536.0 / bench_memcpy_ns;
        snprintf(target, sizeof(target), "%.1f GB/s >= 0.5x memcpy", gbs);
        bench_target(row, target, gbs >= 0.5 * memcpy_gbs);
    }
}

int bench_round_trips(void)
{
    double ns;
    int failed = 0;

    for (int dev = 0; dev < NDEVS; dev++)
        for (int i = 0; i < BENCH_NSIZES; i++) {
            ns = round_trip_ns(devs[dev], IOCTL_KMHBENCH_BUFFERED, (DWORD)bench_sizes[i]);
            failed |= isnan(ns);
            add_round_trip(dev, i, false, ns);
        }
    for (int dev = 0; dev < NDEVS; dev++) {
        ns = round_trip_ns(devs[dev], IOCTL_KMHBENCH_OUT_DIRECT, 65536);
        failed |= isnan(ns);
        add_round_trip(dev, BENCH_NSIZES - 1, true, ns);
    }
    struct bench_row *wdm = bench_find("in-process", "WDM, 0 B");
    struct bench_row *kmdf = bench_find("in-process", "KMDF parallel, 0 B");
    bench_target(wdm, "< KMDF parallel 0 B", wdm->value < kmdf->value);
    return failed;
}

/* --- Throughput --------------------------------------------------------- */

struct flight {
    int depth;
    long requests;
    pthread_barrier_t *start;
    bool failed;
};

static bool issue(HANDLE h, DWORD code, OVERLAPPED *ov)
{
    memset(ov, 0, sizeof(*ov));
    return DeviceIoControl(h, code, NULL, 0, NULL, 0, NULL, ov) || GetLastError() == ERROR_IO_PENDING;
}

/* Keeps depth requests in flight on its own handle until requests completed. */
static void *flight_thread(void *arg)
{
    struct flight *f = arg;
    HANDLE h = CreateFileA(dev_paths[DEV_PAR], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED, NULL);
    HANDLE port = h == INVALID_HANDLE_VALUE ? NULL : CreateIoCompletionPort(h, NULL, 1, 0);
    OVERLAPPED *ovs = calloc((size_t)f->depth, sizeof(*ovs)), *ov;
    long issued = 0, done = 0;
    ULONG_PTR key;
    DWORD n;

    f->failed = !port || !ovs;
    pthread_barrier_wait(f->start);
    for (int i = 0; !f->failed && i < f->depth; i++, issued++)
        f->failed = !issue(h, IOCTL_KMHBENCH_BUFFERED, &ovs[i]);
    while (!f->failed && done < issued) {
        f->failed = !GetQueuedCompletionStatus(port, &n, &key, &ov, 5000);
        done++;
        if (!f->failed && issued < f->requests) {
            f->failed = !issue(h, IOCTL_KMHBENCH_BUFFERED, ov);
            issued++;
        }
    }
    free(ovs);
    if (port)
        CloseHandle(port);
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    return NULL;
}

/* Requests per second with threads x depth in flight. */
static double throughput(int threads, int depth, bool *failed)
{
    double samples[64];
    int reps = bench_reps < 64 ? bench_reps : 64;

    for (int r = 0; r < reps; r++) {
        struct flight f[2];
        pthread_t tids[2];
        pthread_barrier_t start;
        uint64_t t;

        pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
        for (int i = 0; i < threads; i++) {
            f[i] = (struct flight){ depth, 50000, &start, false };
            pthread_create(&tids[i], NULL, flight_thread, &f[i]);
        }
        pthread_barrier_wait(&start);
        t = bench_now_ns();
        for (int i = 0; i < threads; i++) {
            pthread_join(tids[i], NULL);
            *failed |= f[i].failed;
        }
        samples[r] = 50000.0 * threads * 1e9 / (double)(bench_now_ns() - t);
        pthread_barrier_destroy(&start);
    }
    return bench_median(samples, reps);
}

int bench_throughput(void)
{
    static const int depths[] = { 1, 8, 64 };
    struct bench_row *sync = bench_find("in-process", "KMDF parallel, 0 B");
    double sync_rate = sync ? 1e9 / sync->value : NAN;
    bool failed = false;
    char name[64];

    for (int threads = 1; threads <= 2; threads++)
        for (int d = 0; d < 3; d++) {
            snprintf(name, sizeof(name), "overlapped, %d thread%s, %d in flight", threads, threads > 1 ? "s" : "",
                     depths[d]);
            struct bench_row *row = bench_add("throughput", name, throughput(threads, depths[d], &failed), "req/s");
            bench_ratio(row, 0, "sync 0 B rate", sync_rate);
        }
    return failed;
}

/* --- Framework costs ---------------------------------------------------- */

static double loop_ns(unsigned kind)
{
    struct kmhbench_loop loop = { kind, 20000 };
    double samples[64];
    LONGLONG ticks;
    DWORD returned;
    int reps = bench_reps < 64 ? bench_reps : 64;

    for (int r = 0; r < reps; r++) {
        if (!DeviceIoControl(devs[DEV_PAR], IOCTL_KMHBENCH_LOOP, &loop, sizeof(loop), &ticks, sizeof(ticks),
                             &returned, NULL))
            return NAN;
        samples[r] = (double)ticks * 100.0 / loop.count;
    }
    return bench_median(samples, reps);
}

static void run_malloc(void *ctx, long iters)
{
    (void)ctx;
    for (long i = 0; i < iters; i++) {
        void *volatile p = malloc(256);
        free(p);
    }
}

/* Median of 201 timer or work item dispatches, measured by the driver. */
static double dispatch_us(DWORD code)
{
    double samples[201];
    LONGLONG ticks;
    DWORD returned;

    for (int i = 0; i < 201; i++) {
        if (!DeviceIoControl(devs[DEV_PAR], code, NULL, 0, &ticks, sizeof(ticks), &returned, NULL))
            return NAN;
        samples[i] = (double)ticks / 10.0;
    }
    return bench_median(samples, 201);
}

struct wake {
    sem_t go;
    uint64_t posted, woken;
};

static void *wake_thread(void *arg)
{
    struct wake *w = arg;
    sem_wait(&w->go);
    w->woken = bench_now_ns();
    return NULL;
}

/* Baseline for dispatch latency: waking a thread blocked on a semaphore. */
static double thread_wake_us(void)
{
    double samples[101];

    for (int i = 0; i < 101; i++) {
        struct wake w;
        pthread_t tid;
        sem_init(&w.go, 0, 0);
        pthread_create(&tid, NULL, wake_thread, &w);
        usleep(200);
        w.posted = bench_now_ns();
        sem_post(&w.go);
        pthread_join(tid, NULL);
        samples[i] = (double)(w.woken - w.posted) / 1000.0;
        sem_destroy(&w.go);
    }
    return bench_median(samples, 101);
}

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* Heap bytes per request held in the driver's manual queue. */
static double bytes_per_held_request(int count)
{
    HANDLE h = CreateFileA(dev_paths[DEV_PAR], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED, NULL);
    HANDLE port = h == INVALID_HANDLE_VALUE ? NULL : CreateIoCompletionPort(h, NULL, 1, 0);
    OVERLAPPED *ovs = calloc((size_t)count, sizeof(*ovs)), *ov;
    double bytes = NAN;
    size_t before;
    ULONG_PTR key;
    DWORD n;
    int issued = 0;

    if (port && ovs) {
        before = heap_in_use();
        while (issued < count && issue(h, IOCTL_KMHBENCH_HOLD, &ovs[issued]))
            issued++;
        if (issued == count)
            bytes = (double)(heap_in_use() - before) / count;
        DeviceIoControl(devs[DEV_PAR], IOCTL_KMHBENCH_RELEASE, NULL, 0, NULL, 0, &n, NULL);
        for (int i = 0; i < issued; i++)
            if (!GetQueuedCompletionStatus(port, &n, &key, &ov, 5000))
                bytes = NAN;
    }
    free(ovs);
    if (port)
        CloseHandle(port);
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    return bytes;
}

int bench_framework(void)
{
    double malloc_ns = bench_median_ns(run_malloc, NULL), wake = thread_wake_us(), samples[5];
    struct bench_row *row;
    int failed = 0;

    row = bench_add("framework", "WdfObjectCreate+WdfObjectDelete", loop_ns(KMHBENCH_LOOP_OBJECT), "ns");
    bench_ratio(row, 0, "malloc+free", malloc_ns);
    failed |= isnan(row->value);
    row = bench_add("framework", "WdfRequestCreate+WdfObjectDelete", loop_ns(KMHBENCH_LOOP_REQUEST), "ns");
    bench_ratio(row, 0, "malloc+free", malloc_ns);
    failed |= isnan(row->value);
    row = bench_add("framework", "timer dispatch (1 us due)", dispatch_us(IOCTL_KMHBENCH_TIMER), "us");
    bench_ratio(row, 0, "thread wake", wake);
    failed |= isnan(row->value);
    row = bench_add("framework", "work item dispatch", dispatch_us(IOCTL_KMHBENCH_WORKITEM), "us");
    bench_ratio(row, 0, "thread wake", wake);
    failed |= isnan(row->value);
    for (int i = 0; i < 5; i++)
        samples[i] = bytes_per_held_request(2000);
    row = bench_add("framework", "heap per outstanding request (2000 held)", bench_median(samples, 5), "B");
    bench_ratio(row, 0, "1 KiB", 1024);
    bench_target(row, "< 1 KiB", row->value < 1024);
    failed |= isnan(row->value);
    return failed;
}

int bench_profile_loop(int dev, bool direct, unsigned size, double seconds)
{
    struct round_trip rt = { devs[dev % NDEVS], direct ? IOCTL_KMHBENCH_OUT_DIRECT : IOCTL_KMHBENCH_BUFFERED,
                             size > sizeof(in_buf) ? (DWORD)sizeof(in_buf) : size, false };
    uint64_t end = bench_now_ns() + (uint64_t)(seconds * 1e9);
    long n = 0;

    while (!rt.failed && bench_now_ns() < end) {
        run_round_trip(&rt, 1000);
        n += 1000;
    }
    printf("%ld round trips, %.1f ns each\n", n, seconds * 1e9 / (double)n);
    return rt.failed;
}
