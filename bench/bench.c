/*
 * kmhbench: kmhost's benchmarks (issue 4). Measures the in-process request
 * path against its floor, the baselines the hosted path will be held to,
 * throughput, framework costs and bring-up; prints a table and writes JSON.
 * Usage: kmhbench <driver dir> [results.json]
 *        kmhbench <driver dir> --loop <0 WDM|1 KMDF par|2 KMDF seq> <bytes> [direct]
 *        (round trips for 5 s, to run under perf)
 */
#include <kmhost.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

const size_t bench_sizes[BENCH_NSIZES] = { 0, 64, 4096, 65536 };
int bench_reps = 7;

static struct bench_row rows[128];
static int nrows;

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof(*values), compare_double);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double bench_median_ns(void (*fn)(void *ctx, long iters), void *ctx)
{
    double samples[64];
    long iters = 1;
    uint64_t t;
    int n = bench_reps < 64 ? bench_reps : 64;

    /* Calibrate: double until one repeat takes 10 ms. */
    for (;;) {
        t = bench_now_ns();
        fn(ctx, iters);
        t = bench_now_ns() - t;
        if (t >= 10000000 || iters >= (1L << 26))
            break;
        iters *= t < 1000000 ? 8 : 2;
    }
    for (int i = 0; i < n; i++) {
        t = bench_now_ns();
        fn(ctx, iters);
        samples[i] = (double)(bench_now_ns() - t) / (double)iters;
    }
    return bench_median(samples, n);
}

struct bench_row *bench_add(const char *section, const char *name, double value, const char *unit)
{
    struct bench_row *row = &rows[nrows < 127 ? nrows++ : 127];

    memset(row, 0, sizeof(*row));
    snprintf(row->section, sizeof(row->section), "%s", section);
    snprintf(row->name, sizeof(row->name), "%s", name);
    row->value = value;
    row->unit = unit;
    return row;
}

void bench_ratio(struct bench_row *row, int i, const char *label, double base)
{
    row->ratios[i].label = label;
    row->ratios[i].base = base;
    row->ratios[i].ratio = row->value / base;
}

void bench_target(struct bench_row *row, const char *target, bool pass)
{
    snprintf(row->target, sizeof(row->target), "%s", target);
    row->verdict = isnan(row->value) ? BENCH_MISS : pass ? BENCH_PASS : BENCH_MISS;
}

struct bench_row *bench_find(const char *section, const char *name)
{
    for (int i = 0; i < nrows; i++)
        if (!strcmp(rows[i].section, section) && !strcmp(rows[i].name, name))
            return &rows[i];
    return NULL;
}

static void format_value(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (v >= 100000)
        snprintf(buf, size, "%.3g", v);
    else
        snprintf(buf, size, "%.1f", v);
}

static void print_table(void)
{
    static const char *verdicts[] = { "", "PASS", "MISS" };
    static const char *sections[] = { "baseline", "in-process", "throughput", "framework", "hosted", "bring-up" };
    char value[32], ratio[2][48];

    printf("%-44s %12s %-6s %-26s %-26s %s\n", "case", "median", "unit", "ratio", "ratio", "target");
    for (int i = 0; i < nrows * 6; i++) {
        struct bench_row *r = &rows[i % nrows];
        if (strcmp(sections[i / nrows], r->section))
            continue;
        if (i % nrows == 0 || strcmp(rows[i % nrows - 1].section, r->section))
            printf("\n[%s]\n", r->section);
        format_value(value, sizeof(value), r->value);
        for (int k = 0; k < 2; k++) {
            ratio[k][0] = 0;
            if (r->ratios[k].label && !isnan(r->value))
                snprintf(ratio[k], sizeof(ratio[k]), "%.3gx %s", r->ratios[k].ratio, r->ratios[k].label);
        }
        printf("%-44s %12s %-6s %-26s %-26s %s %s\n", r->name, value, r->unit, ratio[0], ratio[1], r->target,
               verdicts[r->verdict]);
    }
}

static void json_number(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs("null", f);
    else
        fprintf(f, "%.6g", v);
}

static int write_json(const char *path)
{
    static const char *verdicts[] = { "none", "pass", "miss" };
    FILE *f = fopen(path, "w");

    if (!f)
        return -1;
    fprintf(f, "{\n  \"reps\": %d,\n  \"results\": [\n", bench_reps);
    for (int i = 0; i < nrows; i++) {
        struct bench_row *r = &rows[i];
        fprintf(f, "    {\"section\": \"%s\", \"name\": \"%s\", \"unit\": \"%s\", \"median\": ", r->section, r->name,
                r->unit);
        json_number(f, r->value);
        fputs(", \"baselines\": [", f);
        for (int k = 0, first = 1; k < 2; k++) {
            if (!r->ratios[k].label)
                continue;
            fprintf(f, "%s{\"name\": \"%s\", \"median\": ", first ? "" : ", ", r->ratios[k].label);
            json_number(f, r->ratios[k].base);
            fputs(", \"ratio\": ", f);
            json_number(f, r->ratios[k].ratio);
            fputs("}", f);
            first = 0;
        }
        fprintf(f, "], \"target\": \"%s\", \"verdict\": \"%s\"}%s\n", r->target, verdicts[r->verdict],
                i + 1 < nrows ? "," : "");
    }
    fputs("  ]\n}\n", f);
    return fclose(f);
}

static void quiet_log(int level, const char *component, const char *message, void *ctx)
{
    (void)ctx;
    if (level <= KMH_LEVEL_ERROR)
        fprintf(stderr, "kmhbench: %s: %s\n", component, message);
}

int main(int argc, char **argv)
{
    const char *reps = getenv("KMHBENCH_REPS");
    const char *json = argc > 2 ? argv[2] : "results.json";
    int failed = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: kmhbench <driver dir> [results.json]\n");
        return 2;
    }
    if (argc > 4 && !strcmp(argv[2], "--loop")) {
        kmh_set_log_handler(quiet_log, NULL);
        if (bench_setup_root(argv[1]))
            return 1;
        failed = bench_profile_loop(atoi(argv[3]), argc > 5, (unsigned)atoi(argv[4]), 5.0);
        bench_teardown_root();
        return failed;
    }
    if (reps && atoi(reps) > 0)
        bench_reps = atoi(reps);
    kmh_set_log_handler(quiet_log, NULL);
    kmh_set_log_level(KMH_LEVEL_ERROR);
    bench_baselines();
    /* Bring-up forks, so it runs before this process starts kmhost. */
    failed |= bench_bringup(argv[1]);
    if (bench_setup_root(argv[1]) == 0) {
        failed |= bench_round_trips() | bench_throughput() | bench_framework();
        bench_teardown_root();
    } else {
        failed = 1;
    }
    bench_hosted();
    print_table();
    if (write_json(json) != 0) {
        perror(json);
        return 1;
    }
    printf("\nwrote %s (each figure a median of %d repeats)\n", json, bench_reps);
    return failed ? 1 : 0;
}
