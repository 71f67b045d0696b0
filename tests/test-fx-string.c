/*
 * WDFSTRING (src/fx/string.c): copies in, empty strings, reassignment by
 * the framework (fx_string_assign), the framework's version string, and
 * the argument checks.
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
    return fx_test_bind(L"fxstring");
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    return vf_report_count(VF_WDF) ? -1 : 0;
}

static UNICODE_STRING us(const WCHAR *s)
{
    USHORT n = 0;
    while (s[n])
        n++;
    return (UNICODE_STRING){ n * sizeof(WCHAR), n * sizeof(WCHAR), (PWSTR)s };
}

static bool equals(const UNICODE_STRING *a, const WCHAR *b)
{
    UNICODE_STRING expected = us(b);
    return a->Length == expected.Length && !memcmp(a->Buffer, b, a->Length);
}

static void create_copies_the_caller_string(void **state)
{
    WCHAR text[] = L"toaster";
    UNICODE_STRING source = us(text), value;
    WDFSTRING string;

    (void)state;
    assert_int_equal(WdfStringCreate(&source, WDF_NO_OBJECT_ATTRIBUTES, &string), STATUS_SUCCESS);
    text[0] = L'T';
    WdfStringGetUnicodeString(string, &value);
    assert_true(equals(&value, L"toaster"));
    assert_ptr_not_equal(value.Buffer, text);
    /* Terminated beyond Length, so %ws works on it. */
    assert_int_equal(value.Buffer[value.Length / sizeof(WCHAR)], 0);
    assert_true(value.MaximumLength >= value.Length);
    WdfObjectDelete(string);
}

static void empty_string_then_assigned_by_the_framework(void **state)
{
    UNICODE_STRING value, first = us(L"first"), second = us(L"a longer second value");
    WDFSTRING string;

    (void)state;
    assert_int_equal(WdfStringCreate(NULL, WDF_NO_OBJECT_ATTRIBUTES, &string), STATUS_SUCCESS);
    WdfStringGetUnicodeString(string, &value);
    assert_int_equal(value.Length, 0);
    assert_int_equal(fx_string_assign(string, &first), STATUS_SUCCESS);
    assert_int_equal(fx_string_assign(string, &second), STATUS_SUCCESS);
    WdfStringGetUnicodeString(string, &value);
    assert_true(equals(&value, L"a longer second value"));
    assert_int_equal(fx_string_assign(string, NULL), STATUS_SUCCESS);
    WdfStringGetUnicodeString(string, &value);
    assert_int_equal(value.Length, 0);
}

static void version_string_names_kmdf_1_33(void **state)
{
    UNICODE_STRING value;
    WDFSTRING string;

    (void)state;
    assert_int_equal(WdfStringCreate(NULL, WDF_NO_OBJECT_ATTRIBUTES, &string), STATUS_SUCCESS);
    assert_int_equal(WdfDriverRetrieveVersionString(WdfGetDriver(), string), STATUS_SUCCESS);
    WdfStringGetUnicodeString(string, &value);
    if (fx_globals_of(WdfDriverGlobals)->verifier)
        assert_true(equals(&value, L"Kernel Mode Driver Framework (verifier on) version 01.033.0"));
    else
        assert_true(equals(&value, L"Kernel Mode Driver Framework version 01.033.0"));
}

static void malformed_strings_and_handles_are_refused(void **state)
{
    UNICODE_STRING odd = us(L"abc"), value;
    WDFSTRING string;
    WDFCOLLECTION collection;

    (void)state;
    odd.Length = 3;
    assert_int_equal(WdfStringCreate(&odd, WDF_NO_OBJECT_ATTRIBUTES, &string), STATUS_INVALID_PARAMETER);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection), STATUS_SUCCESS);
    WdfStringGetUnicodeString((WDFSTRING)collection, &value);
    assert_int_equal(value.Length, 0);
    assert_null(value.Buffer);
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

static void strings_belong_to_the_driver_by_default(void **state)
{
    UNICODE_STRING source = us(L"kept");
    WDFSTRING string;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFOBJECT parent;

    (void)state;
    assert_int_equal(WdfStringCreate(&source, WDF_NO_OBJECT_ATTRIBUTES, &string), STATUS_SUCCESS);
    assert_ptr_equal(fx_handle_object(string, FX_TYPE_STRING, "test")->parent->handle, WdfGetDriver());
    /* With a parent, it goes with the parent. */
    assert_int_equal(WdfObjectCreate(WDF_NO_OBJECT_ATTRIBUTES, &parent), STATUS_SUCCESS);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = parent;
    assert_int_equal(WdfStringCreate(&source, &attributes, &string), STATUS_SUCCESS);
    WdfObjectDelete(parent);
    WdfStringGetUnicodeString(string, &source);
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_copies_the_caller_string, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_string_then_assigned_by_the_framework, setup, teardown),
        cmocka_unit_test_setup_teardown(version_string_names_kmdf_1_33, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_strings_and_handles_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(strings_belong_to_the_driver_by_default, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
