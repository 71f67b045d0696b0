/*
 * Baselines measured without kmhost: a bare function call doing the copies
 * a buffered IOCTL makes (the floor), a Linux syscall round trip, memcpy
 * bandwidth, process spawn, and the two-process ping-pongs the hosted
 * round trip will be held to.
 */
#define _GNU_SOURCE
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

extern char **environ;

double bench_floor_ns[BENCH_NSIZES], bench_syscall_ns, bench_memcpy_ns, bench_spawn_ns;

static unsigned char src_buf[65536], sys_buf[65536], dst_buf[65536];

/* What a buffered IOCTL must do at least: copy in, call, copy out. */
static __attribute__((noinline)) void floor_call(void *sys, const void *in, void *out, size_t n)
{
    memcpy(sys, in, n);
    memcpy(out, sys, n);
    __asm__ volatile("" ::: "memory");
}
static void (*volatile floor_fn)(void *, const void *, void *, size_t) = floor_call;

static void run_floor(void *ctx, long iters)
{
    size_t n = *(size_t *)ctx;
    for (long i = 0; i < iters; i++)
        floor_fn(sys_buf, src_buf, dst_buf, n);
}

static void run_syscall(void *ctx, long iters)
{
    (void)ctx;
    for (long i = 0; i < iters; i++)
        syscall(SYS_getppid);
}

static void run_memcpy(void *ctx, long iters)
{
    (void)ctx;
    for (long i = 0; i < iters; i++) {
        memcpy(dst_buf, src_buf, sizeof(src_buf));
        __asm__ volatile("" ::: "memory");
    }
}

static void run_spawn(void *ctx, long iters)
{
    char *argv[] = { "/bin/true", NULL };
    pid_t pid;
    int status;

    (void)ctx;
    for (long i = 0; i < iters; i++)
        if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) == 0)
            waitpid(pid, &status, 0);
}

void bench_baselines(void)
{
    char name[64];
    struct bench_row *row;

    memset(src_buf, 0x5a, sizeof(src_buf));
    /* Warm up: let the CPU leave its idle clock before the first figure. */
    for (uint64_t end = bench_now_ns() + 200000000; bench_now_ns() < end;)
        run_floor(&(size_t){ 4096 }, 1000);
    for (int i = 0; i < BENCH_NSIZES; i++) {
        size_t n = bench_sizes[i];
        bench_floor_ns[i] = bench_median_ns(run_floor, &n);
        snprintf(name, sizeof(name), "bare call + copies, %zu B", n);
        bench_add("baseline", name, bench_floor_ns[i], "ns");
    }
    bench_syscall_ns = bench_median_ns(run_syscall, NULL);
    row = bench_add("baseline", "syscall(getppid)", bench_syscall_ns, "ns");
    bench_ratio(row, 0, "bare call", bench_floor_ns[0]);
    bench_memcpy_ns = bench_median_ns(run_memcpy, NULL);
    row = bench_add("baseline", "memcpy 64 KiB", 65536.0 / bench_memcpy_ns, "GB/s");
    bench_spawn_ns = bench_median_ns(run_spawn, NULL);
    bench_add("baseline", "posix_spawn+wait /bin/true", bench_spawn_ns / 1e6, "ms");
}

/* --- Two-process ping-pong ------------------------------------------- */

static int full_io(int fd, void *buf, size_t n, bool writing)
{
    for (size_t done = 0; done < n;) {
        ssize_t r = writing ? write(fd, (char *)buf + done, n - done) : read(fd, (char *)buf + done, n - done);
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

struct pingpong {
    int to_child, from_child;  /* the parent's ends */
    size_t n;
};

static void run_pingpong(void *ctx, long iters)
{
    struct pingpong *p = ctx;
    for (long i = 0; i < iters; i++)
        if (full_io(p->to_child, src_buf, p->n, true) || full_io(p->from_child, dst_buf, p->n, false))
            return;
}

/* The child echoes n-byte messages until its input closes. */
static void echo_child(int in, int out, size_t n)
{
    static unsigned char buf[65536];
    while (full_io(in, buf, n, false) == 0 && full_io(out, buf, n, true) == 0)
        ;
    _exit(0);
}

/* Ping-pong of n bytes (at least 1) over a socketpair or two pipes. */
static double pingpong_ns(bool socket, size_t n)
{
    int a[2], b[2];
    struct pingpong p = { .n = n ? n : 1 };
    pid_t pid;
    double ns;

    if (socket ? socketpair(AF_UNIX, SOCK_STREAM, 0, a) : pipe(a))
        return NAN;
    if (!socket && pipe(b)) {
        close(a[0]), close(a[1]);
        return NAN;
    }
    if (socket)
        b[0] = a[0], b[1] = a[0];
    pid = fork();
    if (pid == 0) {
        if (socket)
            close(a[0]), echo_child(a[1], a[1], p.n);
        close(a[1]), close(b[0]);
        echo_child(a[0], b[1], p.n);
    }
    if (socket) {
        close(a[1]);
        p.to_child = p.from_child = a[0];
    } else {
        close(a[0]), close(b[1]);
        p.to_child = a[1], p.from_child = b[0];
    }
    ns = pid < 0 ? NAN : bench_median_ns(run_pingpong, &p);
    close(p.to_child);
    if (!socket)
        close(p.from_child);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return ns;
}

void bench_hosted(void)
{
    char name[64];
    struct bench_row *row;

    signal(SIGPIPE, SIG_IGN);
    row = bench_add("hosted", "hosted round trip (host not built yet)", NAN, "ns");
    snprintf(row->target, sizeof(row->target), "<= 1.3x unix socket: n/a");
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < BENCH_NSIZES; i++) {
            snprintf(name, sizeof(name), "%s ping-pong, %zu B", s ? "pipe" : "unix socket", bench_sizes[i]);
            row = bench_add("hosted", name, pingpong_ns(s == 0, bench_sizes[i]), "ns");
            bench_ratio(row, 0, "syscall", bench_syscall_ns);
            snprintf(name, sizeof(name), "KMDF parallel, %zu B", bench_sizes[i]);
            struct bench_row *in_process = bench_find("in-process", name);
            if (in_process)
                bench_ratio(row, 1, "in-proc KMDF", in_process->value);
        }
}
