/*
 * kmhost install / add / remove / restart / list / start / stop.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int cli_install(int argc, char **argv)
{
    char name[64], message[1024] = "";
    if (argc != 2) {
        cli_error("usage: kmhost install <file.inf>");
        return 2;
    }
    if (kmh_inf_install(argv[1], name, sizeof(name), message, sizeof(message))) {
        cli_error("%s", message);
        return 1;
    }
    printf("installed %s as %s\n", argv[1], name);
    return 0;
}

static void print_device(const struct kmh_device_info *d, void *ctx)
{
    (void)ctx;
    printf("%*s%-28s %-10s %-10s", d->depth * 2, "", d->instance_path, d->service[0] ? d->service : "-", d->state);
    if (d->upper_filters[0] || d->lower_filters[0])
        printf(" filters: %s%s%s", d->lower_filters, d->lower_filters[0] && d->upper_filters[0] ? " | " : "",
               d->upper_filters);
    if (d->problem)
        printf(" problem %u%s%s (0x%08x): %s", d->problem, d->status_name[0] ? " " : "", d->status_name,
               d->status, d->problem_text);
    else if (d->description[0])
        printf(" \"%s\"", d->description);
    putchar('\n');
}

int cli_list(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        cli_error("usage: kmhost list");
        return 2;
    }
    if (cli_runtime_start())
        return 1;
    kmh_devices_walk(print_device, NULL);
    kmh_runtime_stop();
    return 0;
}

struct state_query {
    const char *instance;
    bool found, failed;
};

static void find_state(const struct kmh_device_info *d, void *ctx)
{
    struct state_query *q = ctx;
    if (strcasecmp(d->instance_path, q->instance) != 0)
        return;
    q->found = true;
    q->failed = d->problem != 0;
    print_device(d, NULL);
}

int cli_add(int argc, char **argv)
{
    char instance[512], message[1024] = "";
    if (argc != 2) {
        cli_error("usage: kmhost add <hardware-id>");
        return 2;
    }
    if (cli_runtime_start())
        return 1;
    int err = kmh_device_add(argv[1], instance, sizeof(instance), message, sizeof(message));
    if (err) {
        cli_error("%s", message);
        kmh_runtime_stop();
        return 1;
    }
    struct state_query q = { .instance = instance };
    kmh_devices_walk(find_state, &q);
    kmh_runtime_stop();
    return q.found && !q.failed ? 0 : 1;
}

int cli_remove(int argc, char **argv)
{
    bool restart = strcmp(argv[0], "restart") == 0;
    bool surprise = argc == 3 && strcmp(argv[1], "--surprise") == 0;
    char message[1024] = "";
    const char *instance = argv[argc - 1];

    if (argc != (surprise ? 3 : 2) || (restart && surprise)) {
        cli_error(restart ? "usage: kmhost restart <instance>" : "usage: kmhost remove [--surprise] <instance>");
        return 2;
    }
    if (cli_runtime_start())
        return 1;
    int err = restart    ? kmh_device_restart(instance, message, sizeof(message))
              : surprise ? kmh_device_surprise_remove(instance, message, sizeof(message))
                         : kmh_device_remove(instance, message, sizeof(message));
    if (err)
        cli_error("%s", message);
    else
        printf("%s %s\n", restart ? "restarted" : "removed", instance);
    kmh_runtime_stop();
    return err ? 1 : 0;
}

static int service_command(int argc, char **argv, bool start)
{
    char message[1024] = "";
    if (argc != 2) {
        cli_error("usage: kmhost %s <service>", start ? "start" : "stop");
        return 2;
    }
    if (cli_runtime_start())
        return 1;
    int err = start ? kmh_service_start(argv[1], message, sizeof(message))
                    : kmh_service_stop(argv[1], message, sizeof(message));
    if (err)
        cli_error("%s", message);
    else
        printf("%s %s\n", start ? "started" : "stopped", argv[1]);
    kmh_runtime_stop();
    return err ? 1 : 0;
}

int cli_start(int argc, char **argv)
{
    return service_command(argc, argv, true);
}

int cli_stop(int argc, char **argv)
{
    return service_command(argc, argv, false);
}
