/*
 * KMDF bus drivers end to end (src/fx/pdo*.c, fdo_children.c,
 * queryinterface.c): the fxbus test bus, installed from its INF and
 * brought up by the PnP manager, reports static children — one driven by
 * fxtoy through its compatible ID, one raw — answers their ID, text and
 * capability queries, exports interfaces on PDOs and on its FDO, ejects
 * children, and goes away children first, vetoed while a child is open.
 */
#include "fx-bus-harness.h"

static void static_children_appear_with_ids_and_drivers(void **state)
{
    struct bus *b = *state;
    char hardware[128];
    DEVICE_CAPABILITIES caps;

    struct node_seen toy = node_find(FXBUS_STATIC_INSTANCE);
    assert_true(toy.found);
    assert_string_equal(toy.state, "started");
    assert_string_equal(toy.service, FXTOY_SERVICE);
    assert_string_equal(toy.description, "fxbus static child 1");
    assert_true(node_ids(FXBUS_STATIC_INSTANCE, hardware, sizeof(hardware), &caps));
    assert_string_equal(hardware, "FXBUS\\StaticToy");
    assert_false(caps.RawDeviceOK);
    assert_int_equal(b->s->count_static(WdfRetrievePresentChildren), 2);
    assert_int_equal(b->s->count_static(WdfRetrieveMissingChildren), 0);
}

static void raw_child_starts_without_a_function_driver(void **state)
{
    (void)state;
    char hardware[128];
    DEVICE_CAPABILITIES caps;

    struct node_seen raw = node_find(FXBUS_RAW_INSTANCE);
    assert_true(raw.found);
    assert_string_equal(raw.state, "started");
    assert_string_equal(raw.service, "");
    assert_int_equal(raw.problem, 0);
    assert_true(node_ids(FXBUS_RAW_INSTANCE, hardware, sizeof(hardware), &caps));
    assert_true(caps.RawDeviceOK);
}

/* One query to the top of a devnode's stack, as the PnP manager sends it. */
static NTSTATUS query(const char *instance, UCHAR minor, void (*fill)(PIO_STACK_LOCATION sp), ULONG_PTR *info)
{
    pthread_mutex_lock(&pnp_lock);
    struct pnp_node *node = pnp_node_find(instance);
    PIRP irp = node ? io_build_pnp_irp(node->pdo, IRP_MJ_PNP, minor) : NULL;
    if (irp && fill)
        fill(IoGetNextIrpStackLocation(irp));
    NTSTATUS status = irp ? io_call_and_wait(node->pdo, irp, info) : STATUS_NO_SUCH_DEVICE;
    pthread_mutex_unlock(&pnp_lock);
    return status;
}

static LCID text_locale;
static DEVICE_TEXT_TYPE text_type;
static void fill_text(PIO_STACK_LOCATION sp)
{
    sp->Parameters.QueryDeviceText.DeviceTextType = text_type;
    sp->Parameters.QueryDeviceText.LocaleId = text_locale;
}

static void expect_text(const char *instance, DEVICE_TEXT_TYPE type, LCID locale, const char *want)
{
    ULONG_PTR info = 0;
    char text[64];
    size_t n = 0;

    text_type = type;
    text_locale = locale;
    assert_int_equal(query(instance, IRP_MN_QUERY_DEVICE_TEXT, fill_text, &info), STATUS_SUCCESS);
    for (const WCHAR *w = (const WCHAR *)info; *w && n + 1 < sizeof(text); w++)
        text[n++] = (char)*w;
    text[n] = 0;
    ExFreePool((PVOID)info);
    assert_string_equal(text, want);
}

static void pdo_answers_text_by_locale_and_bus_information(void **state)
{
    struct bus *b = *state;
    ULONG_PTR info = 0;

    plug(b, 5, 3);
    expect_text(toy_instance(5), DeviceTextDescription, 0x407, "fxbus Spielzeug 5");
    expect_text(toy_instance(5), DeviceTextDescription, 0x411, "fxbus toy 5"); /* the default locale's */
    expect_text(toy_instance(5), DeviceTextLocationInformation, 0x409, "fxbus slot 3");
    assert_int_equal(query(toy_instance(5), IRP_MN_QUERY_BUS_INFORMATION, NULL, &info), STATUS_SUCCESS);
    PPNP_BUS_INFORMATION bus = (PPNP_BUS_INFORMATION)info;
    assert_int_equal(bus->BusNumber, 7);
    assert_int_equal(bus->LegacyBusType, PNPBus);
    assert_true(IsEqualGUID(&bus->BusTypeGuid, &GUID_FXBUS_TOY_INTERFACE));
    ExFreePool(bus);
}

static void child_driver_reads_the_pdo_interface(void **state)
{
    (void)state;
    ULONG serial;

    struct kmh_file *file = toy_open("static0");
    assert_non_null(file);
    assert_int_equal(toy_ask(file, IOCTL_FXTOY_GET_SERIAL, &serial), STATUS_SUCCESS);
    assert_int_equal(serial, 1000);
    kmh_close(file);
}

static void pdo_sends_a_query_to_the_parent_stack(void **state)
{
    struct bus *b = *state;
    ULONG cookie;

    struct kmh_file *file = toy_open("static0");
    assert_non_null(file);
    assert_int_equal(toy_ask(file, IOCTL_FXTOY_GET_BUS_COOKIE, &cookie), STATUS_SUCCESS);
    assert_int_equal(cookie, FXBUS_FDO_COOKIE);
    assert_int_equal(b->s->toy_queries, 1);
    kmh_close(file);
    /* A dynamic toy's PDO does not have it: nobody in its stack answers. */
    plug(b, 5, 1);
    file = toy_open("5");
    assert_non_null(file);
    assert_int_equal(toy_ask(file, IOCTL_FXTOY_GET_BUS_COOKIE, &cookie), STATUS_NOT_SUPPORTED);
    kmh_close(file);
}

static void fdo_queries_its_own_stack(void **state)
{
    struct bus *b = *state;
    ULONG cookie = 0;

    assert_int_equal(b->s->query_fdo(&cookie), STATUS_SUCCESS);
    assert_int_equal(cookie, FXBUS_FDO_COOKIE);
    assert_int_equal(b->s->toy_queries, 1);
}

static void static_child_marked_missing_goes_away(void **state)
{
    struct bus *b = *state;
    NTSTATUS again;

    assert_int_equal(b->s->static_missing(&again), STATUS_SUCCESS);
    assert_int_equal(again, STATUS_NO_SUCH_DEVICE);
    pnp_wait_idle();
    assert_false(node_find(FXBUS_STATIC_INSTANCE).found);
    assert_int_equal(b->s->pdos_cleaned, 1);
    assert_int_equal(b->s->count_static(WdfRetrieveAllChildren), 1);
    assert_true(node_started(FXBUS_RAW_INSTANCE));
}

static void eject_removes_the_child_then_ejects_it(void **state)
{
    struct bus *b = *state;

    plug(b, 5, 1);
    assert_true(node_started(toy_instance(5)));
    assert_true(b->s->eject(5));
    assert_false(b->s->eject(6));
    pnp_wait_idle();
    assert_int_equal(b->s->ejects, 1);
    assert_false(node_find(toy_instance(5)).found);
    assert_int_equal(b->s->pdos_cleaned, 1);
    ULONG serial, slot;
    WDF_CHILD_LIST_RETRIEVE_DEVICE_STATUS status;
    assert_int_equal(b->s->count(WdfRetrieveAllChildren, &serial, &status, &slot), 0);
}

static void failed_eject_keeps_the_child(void **state)
{
    struct bus *b = *state;

    plug(b, 5, 1);
    b->s->eject_status = STATUS_UNSUCCESSFUL;
    assert_true(b->s->eject(5));
    pnp_wait_idle();
    assert_int_equal(b->s->ejects, 1);
    assert_int_equal(b->s->pdos_cleaned, 0);
    /* Still on the bus: its stack was removed, and the next enumeration
     * (another toy arriving) builds it again on the same PDO. */
    assert_false(node_find(toy_instance(5)).found);
    assert_int_equal(b->s->plug(5, 1), STATUS_OBJECT_NAME_EXISTS);
    plug(b, 6, 2);
    assert_true(node_started(toy_instance(5)));
    assert_true(node_started(toy_instance(6)));
    assert_int_equal(b->s->creates, 2);
}

static void query_remove_of_the_bus_removes_children_first(void **state)
{
    struct bus *b = *state;
    char message[PNP_MESSAGE_MAX];

    plug(b, 5, 1);
    assert_int_equal(kmh_device_remove(b->instance, message, sizeof(message)), 0);
    assert_false(node_find(b->instance).found);
    assert_false(node_find(toy_instance(5)).found);
    assert_false(node_find(FXBUS_STATIC_INSTANCE).found);
    assert_false(node_find(FXBUS_RAW_INSTANCE).found);
    /* Both drivers unloaded with nothing left behind: every PDO went. */
    assert_null(ldr_driver_find(FXBUS_SERVICE));
    assert_int_equal(ldr_last_unload_leaks(FXBUS_SERVICE), 0);
    assert_int_equal(ldr_last_unload_leaks(FXTOY_SERVICE), 0);
}

static void open_child_vetoes_removal_until_surprise_removal(void **state)
{
    struct bus *b = *state;
    char message[PNP_MESSAGE_MAX];

    plug(b, 5, 1);
    struct kmh_file *file = toy_open("5");
    assert_non_null(file);
    assert_int_equal(kmh_device_remove(b->instance, message, sizeof(message)), -EBUSY);
    assert_non_null(strstr(message, "open handle"));
    assert_true(node_started(toy_instance(5)));
    assert_int_equal(kmh_device_surprise_remove(b->instance, message, sizeof(message)), 0);
    pnp_wait_idle();
    struct node_seen toy = node_find(toy_instance(5));
    assert_true(toy.found);
    assert_string_equal(toy.state, "surprise removed");
    kmh_close(file);
    pnp_wait_idle();
    assert_false(node_find(toy_instance(5)).found);
    assert_false(node_find(b->instance).found);
    assert_int_equal(ldr_last_unload_leaks(FXBUS_SERVICE), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(static_children_appear_with_ids_and_drivers, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(raw_child_starts_without_a_function_driver, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(pdo_answers_text_by_locale_and_bus_information, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(child_driver_reads_the_pdo_interface, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(pdo_sends_a_query_to_the_parent_stack, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(fdo_queries_its_own_stack, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(static_child_marked_missing_goes_away, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(eject_removes_the_child_then_ejects_it, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(failed_eject_keeps_the_child, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(query_remove_of_the_bus_removes_children_first, bus_setup, bus_teardown),
        cmocka_unit_test_setup_teardown(open_child_vetoes_removal_until_surprise_removal, bus_setup, bus_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
