/*
 * kmhost ioctl / read / write: one request to a device of the tree this
 * process brings up, with the status and the bytes that came back.
 */
#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUFFER (16u << 20)

/* "0a0b0c" (spaces allowed) -> bytes; -1 when it is not hex. */
static long parse_hex(const char *text, unsigned char **out)
{
    size_t n = 0, len = strlen(text);
    unsigned char *bytes = malloc(len / 2 + 1);
    if (!bytes)
        return -1;
    for (size_t i = 0; i < len;) {
        if (isspace((unsigned char)text[i])) {
            i++;
            continue;
        }
        unsigned value;
        if (i + 1 >= len || !isxdigit((unsigned char)text[i]) || !isxdigit((unsigned char)text[i + 1]) ||
            sscanf(text + i, "%2x", &value) != 1) {
            free(bytes);
            return -1;
        }
        bytes[n++] = (unsigned char)value;
        i += 2;
    }
    *out = bytes;
    return (long)n;
}

static void dump(const unsigned char *data, size_t size)
{
    for (size_t i = 0; i < size; i += 16) {
        printf("  %04zx ", i);
        for (size_t j = i; j < i + 16; j++)
            j < size ? printf(" %02x", data[j]) : printf("   ");
        printf("  ");
        for (size_t j = i; j < i + 16 && j < size; j++)
            putchar(isprint(data[j]) ? data[j] : '.');
        putchar('\n');
    }
}

static void print_result(unsigned status, size_t transferred)
{
    const char *name = kmh_status_name(status);
    printf("status %s (0x%08x), %zu bytes\n", name ? name : "?", status, transferred);
}

static struct kmh_file *open_device(const char *path)
{
    struct kmh_file *file = NULL;
    unsigned status = 0;
    if (kmh_open(path, &file, &status)) {
        const char *name = kmh_status_name(status);
        cli_error("cannot open %s: %s (0x%08x)", path, name ? name : "?", status);
        return NULL;
    }
    return file;
}

/* Runs one request against the device with the tree up around it. */
static int with_device(const char *path, int (*fn)(struct kmh_file *file, void *ctx), void *ctx)
{
    if (cli_runtime_start())
        return 1;
    struct kmh_file *file = open_device(path);
    int rc = file ? fn(file, ctx) : 1;
    kmh_close(file);
    kmh_runtime_stop();
    return rc;
}

struct ioctl_args {
    unsigned code;
    unsigned char *in;
    size_t in_size, out_size;
};

static int do_ioctl(struct kmh_file *file, void *ctx)
{
    struct ioctl_args *a = ctx;
    unsigned char *out = calloc(1, a->out_size ? a->out_size : 1);
    size_t transferred = 0;
    unsigned status = 0;
    if (!out || kmh_ioctl(file, a->code, a->in, a->in_size, out, a->out_size, &transferred, &status)) {
        cli_error("the request could not be sent");
        free(out);
        return 1;
    }
    print_result(status, transferred);
    dump(out, transferred < a->out_size ? transferred : a->out_size);
    free(out);
    return (int)status < 0 ? 1 : 0;
}

int cli_ioctl(int argc, char **argv)
{
    struct ioctl_args a = { 0 };
    char *end;
    if (argc < 3) {
        cli_error("usage: kmhost ioctl <device> <code> [--in HEX] [--out N]");
        return 2;
    }
    a.code = (unsigned)strtoul(argv[2], &end, 0);
    if (*end) {
        cli_error("bad IOCTL code %s", argv[2]);
        return 2;
    }
    for (int i = 3; i + 1 < argc; i += 2) {
        long n = 0;
        if (strcmp(argv[i], "--in") == 0 && (n = parse_hex(argv[i + 1], &a.in)) >= 0) {
            a.in_size = (size_t)n;
        } else if (strcmp(argv[i], "--out") == 0 && (a.out_size = strtoul(argv[i + 1], &end, 0)) <= MAX_BUFFER &&
                   !*end) {
        } else {
            cli_error("bad argument %s %s", argv[i], argv[i + 1]);
            free(a.in);
            return 2;
        }
    }
    int rc = with_device(argv[1], do_ioctl, &a);
    free(a.in);
    return rc;
}

static int do_read(struct kmh_file *file, void *ctx)
{
    size_t size = *(size_t *)ctx, transferred = 0;
    unsigned status = 0;
    unsigned char *buffer = calloc(1, size ? size : 1);
    if (!buffer || kmh_read(file, buffer, size, &transferred, &status)) {
        free(buffer);
        return 1;
    }
    print_result(status, transferred);
    dump(buffer, transferred < size ? transferred : size);
    free(buffer);
    return (int)status < 0 ? 1 : 0;
}

int cli_read(int argc, char **argv)
{
    char *end;
    size_t size;
    if (argc != 3 || (size = strtoul(argv[2], &end, 0)) > MAX_BUFFER || *end) {
        cli_error("usage: kmhost read <device> <N>");
        return 2;
    }
    return with_device(argv[1], do_read, &size);
}

struct write_args {
    const unsigned char *data;
    size_t size;
};

static int do_write(struct kmh_file *file, void *ctx)
{
    struct write_args *a = ctx;
    size_t transferred = 0;
    unsigned status = 0;
    if (kmh_write(file, a->data, a->size, &transferred, &status))
        return 1;
    print_result(status, transferred);
    return (int)status < 0 ? 1 : 0;
}

int cli_write(int argc, char **argv)
{
    unsigned char *hex = NULL;
    if (argc != 3) {
        cli_error("usage: kmhost write <device> <HEX|text>");
        return 2;
    }
    long n = parse_hex(argv[2], &hex);
    struct write_args a = { n > 0 ? hex : (const unsigned char *)argv[2], n > 0 ? (size_t)n : strlen(argv[2]) };
    int rc = with_device(argv[1], do_write, &a);
    free(hex);
    return rc;
}
