/*
 * kmhbench's private header, for the bench/ C files only: timing, the
 * result rows every measurement adds, and the parts of the run.
 */
#ifndef KMHBENCH_BENCH_H
#define KMHBENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bench_verdict { BENCH_NO_TARGET, BENCH_PASS, BENCH_MISS };

struct bench_ratio {
    const char *label;  /* the baseline's name, "" when unused */
    double base;        /* the baseline's median, in the row's unit */
    double ratio;       /* value / base */
};

struct bench_row {
    char section[24];
    char name[64];
    double value;       /* median; NAN when not measured */
    const char *unit;
    struct bench_ratio ratios[2];
    char target[48];
    enum bench_verdict verdict;
};

/* The sizes every round-trip measurement uses. */
#define BENCH_NSIZES 4
extern const size_t bench_sizes[BENCH_NSIZES];

/* Repeats (KMHBENCH_REPS, default 7) and the time one repeat aims at. */
extern int bench_reps;

uint64_t bench_now_ns(void);
/* Median over bench_reps repeats of fn(ctx, iters)'s time, in ns per
 * iteration; iters is chosen once so one repeat takes about 10 ms. */
double bench_median_ns(void (*fn)(void *ctx, long iters), void *ctx);
double bench_median(double *values, int n);

struct bench_row *bench_add(const char *section, const char *name, double value, const char *unit);
void bench_ratio(struct bench_row *row, int i, const char *label, double base);
void bench_target(struct bench_row *row, const char *target, bool pass);
/* The row added under this section and name, or NULL. */
struct bench_row *bench_find(const char *section, const char *name);

/* Baselines measured without kmhost: a bare call doing the copies, a
 * syscall, memcpy, Unix-socket and pipe ping-pong, process spawn. */
extern double bench_floor_ns[BENCH_NSIZES], bench_syscall_ns, bench_memcpy_ns, bench_spawn_ns;
void bench_baselines(void);
void bench_hosted(void);

/* In-process parts: they need the bench root with the drivers installed. */
int bench_setup_root(const char *driver_dir);
void bench_teardown_root(void);
int bench_round_trips(void);
int bench_throughput(void);
int bench_framework(void);
int bench_bringup(const char *driver_dir);
/* For perf: round trips on device 0 (WDM), 1 (KMDF parallel) or 2 (KMDF
 * sequential) for the given time. */
int bench_profile_loop(int dev, bool direct, unsigned size, double seconds);

void bench_remove_tree(const char *path);

#endif
