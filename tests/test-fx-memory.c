/*
 * WDFMEMORY and WDFLOOKASIDE (src/fx/memory.c, lookaside.c): pool memory
 * freed with its object, preallocated memory left to the driver, bounds
 * of the copies, lookaside buffers going back to their list, and the
 * fx_memory_new_pool engine other families use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test-fx-driver.h"
#include "fx/fxio.h"
#include "verifier/verifier.h"

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return fx_test_bind(L"fxmemory");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return vf_report_total() ? -1 : 0;
}

static void create_gives_a_zeroed_buffer_of_the_size(void **state)
{
    WDFMEMORY memory;
    PVOID buffer = NULL;
    size_t size = 0;

    (void)state;
    assert_int_equal(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 'tseT', 100, &memory, &buffer),
                     STATUS_SUCCESS);
    assert_non_null(buffer);
    assert_ptr_equal(WdfMemoryGetBuffer(memory, &size), buffer);
    assert_int_equal(size, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(((unsigned char *)buffer)[i], 0);
    WdfObjectDelete(memory);
}

static void create_refuses_zero_size(void **state)
{
    WDFMEMORY memory = (WDFMEMORY)1;

    (void)state;
    assert_int_equal(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0, 0, &memory, NULL),
                     STATUS_INVALID_PARAMETER);
    assert_null(memory);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    vf_reset_counts();
}

static void copies_are_bounds_checked(void **state)
{
    char in[8] = "abcdefg", out[8] = { 0 };
    WDFMEMORY memory;

    (void)state;
    assert_int_equal(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, 0, 16, &memory, NULL), STATUS_SUCCESS);
    assert_int_equal(WdfMemoryCopyFromBuffer(memory, 8, in, 8), STATUS_SUCCESS);
    assert_int_equal(WdfMemoryCopyToBuffer(memory, 8, out, 8), STATUS_SUCCESS);
    assert_string_equal(out, "abcdefg");
    assert_int_equal(WdfMemoryCopyFromBuffer(memory, 9, in, 8), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(WdfMemoryCopyToBuffer(memory, 0, out, 17), STATUS_BUFFER_TOO_SMALL);
    /* An offset that would wrap around is caught, not added. */
    assert_int_equal(WdfMemoryCopyToBuffer(memory, SIZE_MAX, out, 2), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(WdfMemoryCopyToBuffer(memory, 0, NULL, 1), STATUS_INVALID_PARAMETER);
    WdfObjectDelete(memory);
}

static void preallocated_memory_takes_a_new_buffer(void **state)
{
    static char first[32], second[4];
    WDFMEMORY memory, pool;
    size_t size;

    (void)state;
    assert_int_equal(WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, first, sizeof(first), &memory),
                     STATUS_SUCCESS);
    assert_ptr_equal(WdfMemoryGetBuffer(memory, &size), first);
    assert_int_equal(size, sizeof(first));
    assert_int_equal(WdfMemoryAssignBuffer(memory, second, sizeof(second)), STATUS_SUCCESS);
    assert_ptr_equal(WdfMemoryGetBuffer(memory, &size), second);
    assert_int_equal(size, sizeof(second));
    /* Only preallocated memory takes one; the rule is reported. */
    assert_int_equal(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0, 8, &pool, NULL), STATUS_SUCCESS);
    assert_int_equal(WdfMemoryAssignBuffer(pool, second, sizeof(second)), STATUS_INVALID_PARAMETER);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    vf_reset_counts();
    WdfObjectDelete(pool);
    WdfObjectDelete(memory); /* the driver's buffers stay the driver's */
}

static ULONG cleanups;

static void count_cleanup(WDFOBJECT object)
{
    (void)object;
    cleanups++;
}

static void memory_goes_with_its_parent(void **state)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFOBJECT parent;
    WDFMEMORY memory;

    (void)state;
    cleanups = 0;
    assert_int_equal(WdfObjectCreate(WDF_NO_OBJECT_ATTRIBUTES, &parent), STATUS_SUCCESS);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = parent;
    attributes.EvtCleanupCallback = count_cleanup;
    assert_int_equal(WdfMemoryCreate(&attributes, NonPagedPoolNx, 0, 64, &memory, NULL), STATUS_SUCCESS);
    WdfObjectDelete(parent);
    assert_int_equal(cleanups, 1);
    /* The handle is stale now: reported, not dereferenced. */
    assert_null(WdfMemoryGetBuffer(memory, NULL));
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

static void lookaside_buffers_are_reused(void **state)
{
    WDFLOOKASIDE list;
    WDFMEMORY a, b;
    size_t size;

    (void)state;
    assert_int_equal(WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 48, NonPagedPoolNx, WDF_NO_OBJECT_ATTRIBUTES, 0,
                                            &list),
                     STATUS_SUCCESS);
    assert_int_equal(WdfMemoryCreateFromLookaside(list, &a), STATUS_SUCCESS);
    void *first = WdfMemoryGetBuffer(a, &size);
    assert_int_equal(size, 48);
    WdfObjectDelete(a);
    assert_int_equal(WdfMemoryCreateFromLookaside(list, &b), STATUS_SUCCESS);
    assert_ptr_equal(WdfMemoryGetBuffer(b, NULL), first);
    /* Deleting the list takes its outstanding memory objects with it. */
    WdfObjectDelete(list);
    assert_null(WdfMemoryGetBuffer(b, NULL));
    vf_reset_counts();
}

static void lookaside_memory_attributes_may_not_name_a_parent(void **state)
{
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFLOOKASIDE list;
    WDFOBJECT parent;

    (void)state;
    assert_int_equal(WdfObjectCreate(WDF_NO_OBJECT_ATTRIBUTES, &parent), STATUS_SUCCESS);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = parent;
    assert_int_equal(WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 16, NonPagedPoolNx, &attributes, 0, &list),
                     STATUS_INVALID_PARAMETER);
    WdfObjectDelete(parent);
    vf_reset_counts();
}

static void new_pool_is_memory_create_for_other_families(void **state)
{
    WDFMEMORY memory;
    void *buffer = NULL;
    size_t size;

    (void)state;
    assert_int_equal(fx_memory_new_pool(fx_globals_of(WdfDriverGlobals), NULL, NonPagedPoolNx, 'looP', 24, &memory,
                                        &buffer),
                     STATUS_SUCCESS);
    assert_ptr_equal(WdfMemoryGetBuffer(memory, &size), buffer);
    assert_int_equal(size, 24);
    WdfObjectDelete(memory);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_gives_a_zeroed_buffer_of_the_size, setup, teardown),
        cmocka_unit_test_setup_teardown(create_refuses_zero_size, setup, teardown),
        cmocka_unit_test_setup_teardown(copies_are_bounds_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(preallocated_memory_takes_a_new_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(memory_goes_with_its_parent, setup, teardown),
        cmocka_unit_test_setup_teardown(lookaside_buffers_are_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(lookaside_memory_attributes_may_not_name_a_parent, setup, teardown),
        cmocka_unit_test_setup_teardown(new_pool_is_memory_create_for_other_families, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
