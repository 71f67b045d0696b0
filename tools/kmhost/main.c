/*
 * kmhost: install driver packages, add and remove devices, start and stop
 * legacy services, list the device tree, and send requests to devices.
 * Every command runs the device tree in this process, as a kmhost program
 * does, so what it prints is what the drivers did.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} commands[] = {
    { "install", cli_install, "install <file.inf|file.inx>     add a driver package to the root" },
    { "add", cli_add, "add <hardware-id>                create a root-enumerated device and start it" },
    { "remove", cli_remove, "remove [--surprise] <instance>   remove a device (orderly, or as if unplugged)" },
    { "restart", cli_remove, "restart <instance>               query-stop, stop and start a device again" },
    { "list", cli_list, "list                             the device tree with drivers, states and problems" },
    { "start", cli_start, "start <service>                  start a legacy (non-PnP) driver, as sc start" },
    { "stop", cli_stop, "stop <service>                   stop it, as sc stop" },
    { "ioctl", cli_ioctl, "ioctl <device> <code> [--in HEX] [--out N]   send a device I/O control" },
    { "read", cli_read, "read <device> <N>                read N bytes" },
    { "write", cli_write, "write <device> <HEX|text>        write bytes" },
    { "compare", cli_compare, "compare <script> <inf-a> <hwid-a> <inf-b> <hwid-b>   run one I/O script against two\n"
                              "                                   drivers (a WDM driver and its KMDF port) and compare" },
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kmhost: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_runtime_start(void)
{
    char message[1024] = "";
    if (kmh_runtime_start(message, sizeof(message)) == 0)
        return 0;
    cli_error("cannot start the device tree: %s", message);
    return -1;
}

static int usage(FILE *out)
{
    fputs("usage: kmhost [--root DIR] [-v] <command> [arguments]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fputs("\nThe root (registry, installed packages) is --root, else $KMHOST_ROOT, else\n"
          "$XDG_STATE_HOME/kmhost. Devices are named \\\\.\\Name, \\\\?\\<interface path> or \\Device\\Name.\n",
          out);
    return out == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) {
            setenv("KMHOST_ROOT", argv[++i], 1);
        } else if (strcmp(argv[i], "-v") == 0) {
            kmh_set_log_level(KMH_LEVEL_DEBUG);
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            return usage(stdout);
        } else {
            cli_error("unknown option %s", argv[i]);
            return usage(stderr);
        }
    }
    if (i >= argc)
        return usage(stderr);
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].run(argc - i, argv + i);
    cli_error("unknown command %s", argv[i]);
    return usage(stderr);
}
