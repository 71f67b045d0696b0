/*
 * For the bus-driver tests (tests/test-fx-bus*.c, test-fx-childlist*.c)
 * only: each case gets a fresh kmhost root with fxbus.inf and fxtoy.inf
 * installed, the runtime started and ROOT\FxBusTest added, so the bus,
 * its static children and their drivers are up end to end through the PnP
 * manager; the bus driver's struct fxbus_shared is at hand. Helpers look
 * devnodes up, open a toy through its device interface and ask it for
 * its serial number.
 *
 * Header-only, with definitions: include it in one file per program.
 */
#ifndef KMHOST_FX_BUS_HARNESS_H
#define KMHOST_FX_BUS_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fx/fx.h"
#include "kmhost.h"
#include "loader/loader.h"
#include "nt/registry.h"
#include "pnp/pnp_private.h"
#include "test-support.h"
#include <initguid.h>
#include "drivers/fxbus/fxbus.h"

#define BUS_HELPER static __attribute__((unused))

struct bus {
    char *root;
    char instance[128];                  /* the bus's devnode */
    struct fxbus_shared *s;
};

BUS_HELPER int bus_setup(void **state)
{
    static struct bus b;
    char message[PNP_MESSAGE_MAX];

    memset(&b, 0, sizeof(b));
    b.root = kmh_test_tmpdir();
    assert_int_equal(kmh_set_root_dir(b.root), 0);
    if (kmh_inf_install(KMH_TEST_DRIVER_DIR "/" FXBUS_INF, NULL, 0, message, sizeof(message)) ||
        kmh_inf_install(KMH_TEST_DRIVER_DIR "/" FXTOY_INF, NULL, 0, message, sizeof(message)))
        fail_msg("kmh_inf_install: %s", message);
    if (kmh_runtime_start(message, sizeof(message)))
        fail_msg("kmh_runtime_start: %s", message);
    if (kmh_device_add(FXBUS_HARDWARE_ID, b.instance, sizeof(b.instance), message, sizeof(message)))
        fail_msg("kmh_device_add: %s", message);
    pnp_wait_idle();
    struct io_driver *driver = ldr_driver_find(FXBUS_SERVICE);
    assert_non_null(driver);
    b.s = IoGetDriverObjectExtension(&driver->object, FXBUS_ID);
    io_driver_release(driver);
    assert_non_null(b.s);
    *state = &b;
    return 0;
}

BUS_HELPER int bus_teardown(void **state)
{
    struct bus *b = *state;
    kmh_runtime_stop();
    assert_int_equal(ldr_last_unload_leaks(FXBUS_SERVICE), 0);
    kmh_test_rmtree(b->root);
    free(b->root);
    return 0;
}

/* What the device tree says of one devnode. */
struct node_seen {
    const char *want;
    bool found;
    char service[64], state[32], description[128];
    unsigned problem;
};

BUS_HELPER void node_visit(const struct kmh_device_info *info, void *ctx)
{
    struct node_seen *n = ctx;
    if (strcmp(info->instance_path, n->want) != 0)
        return;
    n->found = true;
    snprintf(n->service, sizeof(n->service), "%s", info->service);
    snprintf(n->state, sizeof(n->state), "%s", info->state);
    snprintf(n->description, sizeof(n->description), "%s", info->description);
    n->problem = info->problem;
}

BUS_HELPER struct node_seen node_find(const char *instance)
{
    struct node_seen n = { .want = instance };
    kmh_devices_walk(node_visit, &n);
    return n;
}

BUS_HELPER bool node_started(const char *instance)
{
    struct node_seen n = node_find(instance);
    return n.found && strcmp(n.state, "started") == 0;
}

BUS_HELPER const char *toy_instance(ULONG serial)
{
    static char path[64];
    snprintf(path, sizeof(path), FXBUS_TOY_PREFIX "%lu", (unsigned long)serial);
    return path;
}

/* The devnode's IDs and capabilities, as the PnP manager recorded them. */
BUS_HELPER bool node_ids(const char *instance, char *hardware, size_t size, DEVICE_CAPABILITIES *caps)
{
    bool found = false;
    pthread_mutex_lock(&pnp_lock);
    struct pnp_node *node = pnp_node_find(instance);
    if (node) {
        /* The multi-string with '|' between its IDs. */
        const WCHAR *p = node->hardware_ids;
        size_t at = 0;
        while (p && *p) {
            while (*p && at + 1 < size)
                hardware[at++] = (char)*p++;
            while (*p)
                p++;
            if (*++p && at + 1 < size)
                hardware[at++] = '|';
        }
        hardware[at] = 0;
        *caps = node->capabilities;
        found = true;
    }
    pthread_mutex_unlock(&pnp_lock);
    return found;
}

struct link_find {
    char want[32];
    char path[256];
};

BUS_HELPER void link_visit(const UNICODE_STRING *link, void *ctx)
{
    struct link_find *f = ctx;
    char text[256];
    size_t n = link->Length / sizeof(WCHAR);
    if (n >= sizeof(text))
        return;
    for (size_t i = 0; i < n; i++)
        text[i] = (char)link->Buffer[i];
    text[n] = 0;
    if (strstr(text, f->want))
        snprintf(f->path, sizeof(f->path), "%s", text);
}

/* Opens the toy of the devnode whose instance ID is instance_id ("5",
 * "static0") through its GUID_DEVINTERFACE_FXTOY interface. */
BUS_HELPER struct kmh_file *toy_open(const char *instance_id)
{
    struct link_find f = { .path = "" };
    struct kmh_file *file = NULL;
    unsigned status = 0;

    snprintf(f.want, sizeof(f.want), "#%s#", instance_id);
    pnp_for_each_interface(&GUID_DEVINTERFACE_FXTOY, link_visit, &f);
    if (!f.path[0])
        return NULL;
    if (kmh_open(f.path, &file, &status) != 0)
        return NULL;
    return file;
}

/* An IOCTL with a ULONG answer: its NTSTATUS, and the value. */
BUS_HELPER NTSTATUS toy_ask(struct kmh_file *file, unsigned code, ULONG *value)
{
    size_t transferred = 0;
    unsigned status = 0;
    *value = 0;
    assert_int_equal(kmh_ioctl(file, code, NULL, 0, value, sizeof(*value), &transferred, &status), 0);
    return (NTSTATUS)status;
}

/* Plugs a toy in and waits for the PnP manager to build its stack. */
BUS_HELPER void plug(struct bus *b, ULONG serial, ULONG slot)
{
    assert_int_equal(b->s->plug(serial, slot), STATUS_SUCCESS);
    pnp_wait_idle();
}

#endif /* KMHOST_FX_BUS_HARNESS_H */
