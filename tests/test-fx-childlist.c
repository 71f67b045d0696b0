/*
 * Dynamic enumeration end to end (src/fx/childlist*.c): toys plugged into
 * the fxbus test bus through its default child list get a PDO from
 * EvtChildListCreateDevice and a stack from the PnP manager; unplugged,
 * scanned away or failing to be created they go, their PDOs deleted; the
 * description callbacks run as KMDF documents them; iteration and lookups
 * report each child's state.
 */
#include "fx-bus-harness.h"

static void plug_builds_the_child_stack(void **state)
{
    struct bus *b = *state;
    char hardware[128];
    DEVICE_CAPABILITIES caps;
    ULONG serial;

    plug(b, 5, 3);
    struct node_seen toy = node_find(toy_instance(5));
    assert_true(toy.found);
    assert_string_equal(toy.state, "started");
    assert_string_equal(toy.service, FXTOY_SERVICE);
    assert_string_equal(toy.description, "fxbus toy 5");
    assert_true(node_ids(toy_instance(5), hardware, sizeof(hardware), &caps));
    assert_string_equal(hardware, "FXBUS\\Toy&Rev1|FXBUS\\Toy");
    assert_int_equal(caps.Address, 3);
    assert_int_equal(caps.UINumber, 5);
    assert_true(caps.EjectSupported);
    struct kmh_file *file = toy_open("5");
    assert_non_null(file);
    assert_int_equal(toy_ask(file, IOCTL_FXTOY_GET_SERIAL, &serial), STATUS_SUCCESS);
    assert_int_equal(serial, 5);
    kmh_close(file);
}

static void unplug_removes_the_stack_and_deletes_the_pdo(void **state)
{
    struct bus *b = *state;
    ULONG serial, slot;
    WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS status;

    plug(b, 5, 3);
    assert_int_equal(b->s->unplug(5), STATUS_SUCCESS);
    pnp_wait_idle();
    assert_false(node_find(toy_instance(5)).found);
    assert_int_equal(b->s->reported_missing, 1);
    assert_int_equal(b->s->pdos_cleaned, 1);
    assert_int_equal(b->s->count(WdfRetrieveAllChildren, &serial, &status, &slot), 0);
    assert_int_equal(b->s->unplug(5), STATUS_NO_SUCH_DEVICE);
    /* Plugged in again: a new PDO and a new stack. */
    plug(b, 5, 3);
    assert_true(node_started(toy_instance(5)));
    assert_int_equal(b->s->creates, 2);
}

static void plugging_an_existing_child_updates_it(void **state)
{
    struct bus *b = *state;
    ULONG serial = 0, slot = 0;
    WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS status;

    plug(b, 5, 3);
    assert_int_equal(b->s->plug(5, 9), STATUS_OBJECT_NAME_EXISTS);
    pnp_wait_idle();
    assert_int_equal(b->s->duplicates, 1);
    assert_true(b->s->compares >= 1);
    assert_int_equal(b->s->count(WdfRetrievePresentChildren, &serial, &status, &slot), 1);
    assert_int_equal(serial, 5);
    assert_int_equal(slot, 9);
    assert_int_equal(status, WdfChildListRetrieveDeviceSuccess);
    assert_int_equal(b->s->creates, 1);
}

static void scan_drops_children_not_reported_again(void **state)
{
    struct bus *b = *state;

    assert_int_equal(b->s->scans, 1); /* the bus entered D0 once */
    plug(b, 5, 1);
    plug(b, 6, 2);
    plug(b, 7, 3);
    b->s->begin_scan();
    assert_int_equal(b->s->plug(5, 1), STATUS_OBJECT_NAME_EXISTS);
    assert_int_equal(b->s->plug(7, 3), STATUS_OBJECT_NAME_EXISTS);
    /* Nothing changes before the scan ends. */
    pnp_wait_idle();
    assert_true(node_started(toy_instance(6)));
    b->s->end_scan();
    pnp_wait_idle();
    assert_false(node_find(toy_instance(6)).found);
    assert_true(node_started(toy_instance(5)));
    assert_true(node_started(toy_instance(7)));
    assert_int_equal(b->s->pdos_cleaned, 1);
}

static void all_present_keeps_every_child_of_a_scan(void **state)
{
    struct bus *b = *state;

    plug(b, 5, 1);
    plug(b, 6, 2);
    b->s->begin_scan();
    b->s->all_present();
    b->s->end_scan();
    pnp_wait_idle();
    assert_true(node_started(toy_instance(5)));
    assert_true(node_started(toy_instance(6)));
    assert_int_equal(b->s->pdos_cleaned, 0);
}

static void description_callbacks_pair_up(void **state)
{
    struct bus *b = *state;

    plug(b, 5, 1);
    plug(b, 6, 2);
    assert_int_equal(b->s->duplicates, 2);
    assert_int_equal(b->s->address_duplicates, 2);
    assert_int_equal(b->s->names_live, 2);
    assert_int_equal(b->s->cleanups, 0);
    assert_int_equal(b->s->unplug(5), STATUS_SUCCESS);
    pnp_wait_idle();
    assert_int_equal(b->s->cleanups, 1);
    assert_int_equal(b->s->address_cleanups, 1);
    assert_int_equal(b->s->names_live, 1);
}

static void failed_creation_leaves_the_child_out(void **state)
{
    struct bus *b = *state;
    ULONG serial, slot;
    WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS status;

    b->s->fail_serial = 8;
    plug(b, 8, 1);
    assert_false(node_find(toy_instance(8)).found);
    assert_int_equal(b->s->creates, 1);
    assert_int_equal(b->s->count(WdfRetrieveAllChildren, &serial, &status, &slot), 0);
    assert_int_equal(b->s->cleanups, b->s->duplicates);
    assert_int_equal(b->s->names_live, 0);
    /* Its neighbours are not affected. */
    plug(b, 9, 2);
    assert_true(node_started(toy_instance(9)));
}

static void iteration_reports_pending_and_present_children(void **state)
{
    struct bus *b = *state;
    ULONG serial = 0, slot = 0;
    WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS status = WdfChildListRetrieveDeviceUndefined;

    plug(b, 5, 1);
    b->s->begin_scan();
    assert_int_equal(b->s->plug(5, 1), STATUS_OBJECT_NAME_EXISTS);
    assert_int_equal(b->s->plug(6, 4), STATUS_SUCCESS);
    assert_int_equal(b->s->count(WdfRetrievePendingChildren, &serial, &status, &slot), 1);
    assert_int_equal(serial, 6);
    assert_int_equal(status, WdfChildListRetrieveDeviceNotYetCreated);
    assert_int_equal(slot, 4);
    assert_int_equal(b->s->count(WdfRetrieveAddedChildren, &serial, &status, &slot), 2);
    b->s->end_scan();
    pnp_wait_idle();
    assert_int_equal(b->s->count(WdfRetrievePresentChildren, &serial, &status, &slot), 2);
    assert_int_equal(status, WdfChildListRetrieveDeviceSuccess);
    assert_int_equal(b->s->count(WdfRetrieveMissingChildren, &serial, &status, &slot), 0);
}

static void retrieve_pdo_by_description(void **state)
{
    struct bus *b = *state;
    ULONG slot = 0;
    WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS status = WdfChildListRetrieveDeviceUndefined;

    plug(b, 5, 7);
    assert_non_null(b->s->retrieve(5, &status, &slot));
    assert_int_equal(status, WdfChildListRetrieveDeviceSuccess);
    assert_int_equal(slot, 7);
    assert_null(b->s->retrieve(99, &status, &slot));
    assert_int_equal(status, WdfChildListRetrieveDeviceNoSuchDevice);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(plug_builds_the_child_stack, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(unplug_removes_the_stack_and_deletes_the_pdo, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(plugging_an_existing_child_updates_it, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(scan_drops_children_not_reported_again, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(all_present_keeps_every_child_of_a_scan, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(description_callbacks_pair_up, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(failed_creation_leaves_the_child_out, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(iteration_reports_pending_and_present_children, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(retrieve_pdo_by_description, bus_setup, bus_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
