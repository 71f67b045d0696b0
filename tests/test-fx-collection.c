/*
 * WDFCOLLECTION (src/fx/collection.c): order and lookups, the reference a
 * collection holds on each item (deletion runs an item's cleanup, but its
 * destroy waits for the collection), and the reported misuses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test-fx-driver.h"
#include "verifier/verifier.h"

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return fx_test_bind(L"fxcollect");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return vf_report_count(VF_WDF) ? -1 : 0;
}

static WDFOBJECT object_new(PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup, PFN_WDF_OBJECT_CONTEXT_DESTROY destroy)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFOBJECT object;

    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.EvtCleanupCallback = cleanup;
    attributes.EvtDestroyCallback = destroy;
    assert_int_equal(WdfObjectCreate(&attributes, &object), STATUS_SUCCESS);
    return object;
}

static void keeps_order_and_answers_lookups(void **state)
{
    WDFCOLLECTION collection;
    WDFOBJECT a = object_new(NULL, NULL), b = object_new(NULL, NULL), c = object_new(NULL, NULL);

    (void)state;
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionGetCount(collection), 0);
    assert_null(WdfCollectionGetFirstItem(collection));
    assert_null(WdfCollectionGetLastItem(collection));
    assert_int_equal(WdfCollectionAdd(collection, a), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionAdd(collection, b), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionAdd(collection, c), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionAdd(collection, a), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionGetCount(collection), 4);
    assert_ptr_equal(WdfCollectionGetItem(collection, 1), b);
    assert_ptr_equal(WdfCollectionGetFirstItem(collection), a);
    assert_ptr_equal(WdfCollectionGetLastItem(collection), a);
    assert_null(WdfCollectionGetItem(collection, 4));
    /* Remove takes out the first occurrence; RemoveItem by position. */
    WdfCollectionRemove(collection, a);
    assert_ptr_equal(WdfCollectionGetFirstItem(collection), b);
    WdfCollectionRemoveItem(collection, 1);
    assert_int_equal(WdfCollectionGetCount(collection), 2);
    assert_ptr_equal(WdfCollectionGetItem(collection, 0), b);
    assert_ptr_equal(WdfCollectionGetItem(collection, 1), a);
    WdfObjectDelete(collection);
    WdfObjectDelete(a);
    WdfObjectDelete(b);
    WdfObjectDelete(c);
}

static int cleaned, destroyed;
static VOID NTAPI count_cleanup(WDFOBJECT o) { (void)o; cleaned++; }
static VOID NTAPI count_destroy(WDFOBJECT o) { (void)o; destroyed++; }

static void holds_a_reference_on_each_item(void **state)
{
    WDFCOLLECTION collection;

    (void)state;
    cleaned = destroyed = 0;
    WDFOBJECT item = object_new(count_cleanup, count_destroy);
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionAdd(collection, item), STATUS_SUCCESS);
    WdfObjectDelete(item);
    assert_int_equal(cleaned, 1);
    assert_int_equal(destroyed, 0);
    /* Still in the collection, still a valid handle. */
    assert_ptr_equal(WdfCollectionGetItem(collection, 0), item);
    WdfCollectionRemoveItem(collection, 0);
    assert_int_equal(destroyed, 1);
    assert_int_equal(vf_report_count(VF_HANDLE), 0);
    WdfObjectDelete(collection);
}

static void deleting_the_collection_lets_go_of_its_items(void **state)
{
    WDFCOLLECTION collection;

    (void)state;
    cleaned = destroyed = 0;
    WDFOBJECT first = object_new(count_cleanup, count_destroy), second = object_new(count_cleanup, count_destroy);
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection), STATUS_SUCCESS);
    WdfCollectionAdd(collection, first);
    WdfCollectionAdd(collection, second);
    WdfObjectDelete(first);
    WdfObjectDelete(collection);
    assert_int_equal(destroyed, 1);
    WdfObjectDelete(second);
    assert_int_equal(destroyed, 2);
    assert_int_equal(cleaned, 2);
}

static void misuse_is_reported(void **state)
{
    WDFCOLLECTION collection;
    WDFOBJECT stranger = object_new(NULL, NULL);

    (void)state;
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection), STATUS_SUCCESS);
    WdfCollectionRemove(collection, stranger);
    WdfCollectionRemoveItem(collection, 0);
    assert_int_equal(vf_report_count(VF_WDF), 2);
    assert_int_equal(WdfCollectionAdd(collection, (WDFOBJECT)(uintptr_t)0x7770), STATUS_INVALID_PARAMETER);
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    WdfObjectDelete(stranger);
    vf_reset_counts();
}

static void the_driver_deletes_what_is_left(void **state)
{
    WDFCOLLECTION collection;

    (void)state;
    cleaned = destroyed = 0;
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection), STATUS_SUCCESS);
    WdfCollectionAdd(collection, object_new(count_cleanup, count_destroy));
    /* Children of the driver: unbinding deletes both, with no leak report. */
    fx_test_unbind();
    assert_int_equal(cleaned, 1);
    assert_int_equal(destroyed, 1);
    assert_int_equal(vf_report_count(VF_WDF), 0);
    fx_test_bind(L"fxcollect");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(keeps_order_and_answers_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(holds_a_reference_on_each_item, setup, teardown),
        cmocka_unit_test_setup_teardown(deleting_the_collection_lets_go_of_its_items, setup, teardown),
        cmocka_unit_test_setup_teardown(misuse_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(the_driver_deletes_what_is_left, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
