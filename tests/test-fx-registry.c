/*
 * WDFKEY (src/fx/registry*.c): opening and creating keys, the driver's
 * Parameters key, typed value round trips (ULONG, UNICODE_STRING,
 * WDFSTRING, WDFMEMORY, multi-string collections, raw values) with KMDF's
 * statuses,
 * removal, and the IRQL rule. Each case has its own registry under a
 * temporary KMHOST_ROOT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "test-fx-driver.h"
#include "nt/registry.h"
#include "verifier/verifier.h"
#include "test-support.h"

#define SERVICE L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\fxreg"

static char *root;

static UNICODE_STRING us(const WCHAR *s)
{
    USHORT n = 0;
    while (s[n])
        n++;
    return (UNICODE_STRING){ n * sizeof(WCHAR), (n + 1) * sizeof(WCHAR), (PWSTR)s };
}

static bool equals(const UNICODE_STRING *a, const WCHAR *b)
{
    UNICODE_STRING expected = us(b);
    return a->Length == expected.Length && !memcmp(a->Buffer, b, a->Length);
}

static int setup(void **state)
{
    char err[256];
    (void)state;
    vf_reset_counts();
    root = kmh_test_tmpdir();
    if (nt_registry_open(root, err, sizeof(err)) || fx_test_bind(L"fxreg"))
        return -1;
    /* The service key, as installing the driver would have made it. */
    UNICODE_STRING service = us(SERVICE);
    WDFKEY key;
    if (!NT_SUCCESS(WdfRegistryCreateKey(NULL, &service, KEY_ALL_ACCESS, 0, NULL, NULL, &key)))
        return -1;
    WdfRegistryClose(key);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_test_unbind();
    nt_registry_close();
    kmh_test_rmtree(root);
    free(root);
    return vf_report_count(VF_WDF) ? -1 : 0;
}

/* A fresh key under the service key, writable. */
static WDFKEY scratch_key(void)
{
    UNICODE_STRING name = us(SERVICE L"\\Scratch");
    ULONG disposition = 0;
    WDFKEY key;
    assert_int_equal(WdfRegistryCreateKey(NULL, &name, KEY_ALL_ACCESS, REG_OPTION_NON_VOLATILE, &disposition,
                                          WDF_NO_OBJECT_ATTRIBUTES, &key),
                     STATUS_SUCCESS);
    assert_int_equal(disposition, REG_CREATED_NEW_KEY);
    return key;
}

static void create_then_open_relative_and_absolute(void **state)
{
    UNICODE_STRING sub = us(L"Sub"), absolute = us(SERVICE L"\\Scratch\\Sub"), missing = us(L"Missing");
    ULONG disposition;
    WDFKEY key = scratch_key(), child, again;

    (void)state;
    assert_int_equal(WdfRegistryCreateKey(key, &sub, KEY_ALL_ACCESS, 0, &disposition, NULL, &child), STATUS_SUCCESS);
    assert_int_equal(disposition, REG_CREATED_NEW_KEY);
    WdfRegistryClose(child);
    assert_int_equal(WdfRegistryCreateKey(key, &sub, KEY_READ, 0, &disposition, NULL, &child), STATUS_SUCCESS);
    assert_int_equal(disposition, REG_OPENED_EXISTING_KEY);
    assert_int_equal(WdfRegistryOpenKey(NULL, &absolute, KEY_READ, NULL, &again), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryOpenKey(key, &missing, KEY_READ, NULL, &again), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_null(again);
    /* Keys belong to the driver unless the attributes say otherwise. */
    assert_ptr_equal(fx_handle_object(child, FX_TYPE_KEY, "test")->parent->handle, WdfGetDriver());
    WdfRegistryClose(child);
    WdfRegistryClose(key);
}

static void ulong_round_trip_and_type_mismatch(void **state)
{
    UNICODE_STRING count = us(L"Count"), text = us(L"Text"), missing = us(L"Missing");
    WDFKEY key = scratch_key();
    ULONG value = 0;

    (void)state;
    assert_int_equal(WdfRegistryAssignULong(key, &count, 42), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryULong(key, &count, &value), STATUS_SUCCESS);
    assert_int_equal(value, 42);
    assert_int_equal(WdfRegistryAssignUnicodeString(key, &text, &count), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryULong(key, &text, &value), STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(WdfRegistryQueryULong(key, &missing, &value), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(value, 42);
    WdfRegistryClose(key);
}

static void query_value_reports_the_length_it_needs(void **state)
{
    UNICODE_STRING name = us(L"Blob");
    UCHAR data[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, out[16] = { 0 };
    ULONG length = 0, type = 0;
    WDFKEY key = scratch_key();

    (void)state;
    assert_int_equal(WdfRegistryAssignValue(key, &name, REG_BINARY, sizeof(data), data), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryValue(key, &name, 0, NULL, &length, &type), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(length, 10);
    assert_int_equal(type, REG_BINARY);
    assert_int_equal(WdfRegistryQueryValue(key, &name, 4, out, &length, NULL), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(length, 10);
    assert_int_equal(WdfRegistryQueryValue(key, &name, sizeof(out), out, &length, &type), STATUS_SUCCESS);
    assert_memory_equal(out, data, sizeof(data));
    WdfRegistryClose(key);
}

static void memory_round_trip_with_offsets(void **state)
{
    UNICODE_STRING name = us(L"Bytes"), missing = us(L"Missing");
    UCHAR data[8] = { 10, 11, 12, 13, 14, 15, 16, 17 };
    WDFMEMORY source, copy;
    WDFMEMORY_OFFSET window = { 2, 3 }, past_end = { 6, 4 };
    size_t size;
    ULONG type = 0;
    WDFKEY key = scratch_key();

    (void)state;
    assert_int_equal(WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, data, sizeof(data), &source),
                     STATUS_SUCCESS);
    assert_int_equal(WdfRegistryAssignMemory(key, &name, REG_BINARY, source, &window), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryMemory(key, &name, PagedPool, WDF_NO_OBJECT_ATTRIBUTES, &copy, &type),
                     STATUS_SUCCESS);
    assert_int_equal(type, REG_BINARY);
    UCHAR *bytes = WdfMemoryGetBuffer(copy, &size);
    assert_int_equal(size, 3);
    assert_memory_equal(bytes, data + 2, 3);
    WdfObjectDelete(copy);
    /* All of it without offsets; a window past the end is refused. */
    assert_int_equal(WdfRegistryAssignMemory(key, &name, REG_BINARY, source, NULL), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryMemory(key, &name, NonPagedPoolNx, NULL, &copy, NULL), STATUS_SUCCESS);
    WdfMemoryGetBuffer(copy, &size);
    assert_int_equal(size, sizeof(data));
    assert_int_equal(WdfRegistryAssignMemory(key, &name, REG_BINARY, source, &past_end), STATUS_INVALID_BUFFER_SIZE);
    assert_int_equal(vf_report_count(VF_WDF), 1);
    assert_int_equal(WdfRegistryQueryMemory(key, &missing, PagedPool, NULL, &copy, NULL), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_null(copy);
    WdfObjectDelete(source);
    WdfRegistryClose(key);
    vf_reset_counts();
}

static void unicode_string_and_wdfstring_round_trips(void **state)
{
    UNICODE_STRING name = us(L"Name"), value = us(L"Contoso toaster"), got;
    WCHAR small[4], big[64];
    USHORT bytes = 0;
    WDFSTRING string;
    WDFKEY key = scratch_key();

    (void)state;
    assert_int_equal(WdfRegistryAssignUnicodeString(key, &name, &value), STATUS_SUCCESS);
    got = (UNICODE_STRING){ 0, sizeof(small), small };
    assert_int_equal(WdfRegistryQueryUnicodeString(key, &name, &bytes, &got), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(bytes, value.Length + sizeof(WCHAR));
    got = (UNICODE_STRING){ 0, sizeof(big), big };
    assert_int_equal(WdfRegistryQueryUnicodeString(key, &name, NULL, &got), STATUS_SUCCESS);
    assert_true(equals(&got, L"Contoso toaster"));
    assert_int_equal(WdfStringCreate(NULL, WDF_NO_OBJECT_ATTRIBUTES, &string), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryString(key, &name, string), STATUS_SUCCESS);
    WdfStringGetUnicodeString(string, &got);
    assert_true(equals(&got, L"Contoso toaster"));
    UNICODE_STRING copy_name = us(L"Copy");
    assert_int_equal(WdfRegistryAssignString(key, &copy_name, string), STATUS_SUCCESS);
    got = (UNICODE_STRING){ 0, sizeof(big), big };
    assert_int_equal(WdfRegistryQueryUnicodeString(key, &copy_name, NULL, &got), STATUS_SUCCESS);
    assert_true(equals(&got, L"Contoso toaster"));
    WdfRegistryClose(key);
}

static WDFSTRING string_new(const WCHAR *text, WDFOBJECT parent)
{
    UNICODE_STRING value = us(text);
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFSTRING string;
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = parent;
    assert_int_equal(WdfStringCreate(&value, &attributes, &string), STATUS_SUCCESS);
    return string;
}

static void multi_string_round_trip_through_collections(void **state)
{
    UNICODE_STRING name = us(L"Ports"), got;
    WDFCOLLECTION in, out;
    WDF_OBJECT_ATTRIBUTES attributes;
    WDFKEY key = scratch_key();

    (void)state;
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &in), STATUS_SUCCESS);
    WdfCollectionAdd(in, string_new(L"COM1", in));
    WdfCollectionAdd(in, string_new(L"", in));
    WdfCollectionAdd(in, string_new(L"LPT2", in));
    assert_int_equal(WdfRegistryAssignMultiString(key, &name, in), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &out), STATUS_SUCCESS);
    WDF_OBJECT_ATTRIBUTES_INIT(&attributes);
    attributes.ParentObject = out;
    assert_int_equal(WdfRegistryQueryMultiString(key, &name, &attributes, out), STATUS_SUCCESS);
    /* An empty entry ends a REG_MULTI_SZ: what follows it is not read. */
    assert_int_equal(WdfCollectionGetCount(out), 1);
    WdfStringGetUnicodeString(WdfCollectionGetItem(out, 0), &got);
    assert_true(equals(&got, L"COM1"));
    WdfCollectionRemoveItem(in, 1);
    WdfCollectionRemoveItem(out, 0);
    assert_int_equal(WdfRegistryAssignMultiString(key, &name, in), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryMultiString(key, &name, &attributes, out), STATUS_SUCCESS);
    assert_int_equal(WdfCollectionGetCount(out), 2);
    WdfStringGetUnicodeString(WdfCollectionGetItem(out, 1), &got);
    assert_true(equals(&got, L"LPT2"));
    WdfObjectDelete(in);
    WdfObjectDelete(out);
    WdfRegistryClose(key);
}

static void multi_string_statuses(void **state)
{
    UNICODE_STRING empty = us(L"Empty"), single = us(L"Single"), unterminated = us(L"Unterminated");
    WCHAR bad[] = { L'a', L'b' };
    WDFCOLLECTION collection;
    WDFKEY key = scratch_key();

    (void)state;
    assert_int_equal(WdfCollectionCreate(WDF_NO_OBJECT_ATTRIBUTES, &collection), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryAssignValue(key, &empty, REG_MULTI_SZ, 0, NULL), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryMultiString(key, &empty, NULL, collection), STATUS_RESOURCE_DATA_NOT_FOUND);
    assert_int_equal(WdfRegistryAssignULong(key, &single, 1), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryMultiString(key, &single, NULL, collection), STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(WdfRegistryAssignValue(key, &unterminated, REG_MULTI_SZ, sizeof(bad), bad), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryMultiString(key, &unterminated, NULL, collection), STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(WdfCollectionGetCount(collection), 0);
    /* Only strings make a multi-string. */
    WDFOBJECT object;
    assert_int_equal(WdfObjectCreate(WDF_NO_OBJECT_ATTRIBUTES, &object), STATUS_SUCCESS);
    WdfCollectionAdd(collection, object);
    assert_int_equal(WdfRegistryAssignMultiString(key, &single, collection), STATUS_INVALID_PARAMETER);
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    WdfObjectDelete(collection);
    WdfObjectDelete(object);
    WdfRegistryClose(key);
    vf_reset_counts();
}

static void remove_value_and_key(void **state)
{
    UNICODE_STRING name = us(L"Gone"), scratch = us(SERVICE L"\\Scratch");
    ULONG value;
    WDFKEY key = scratch_key(), again;

    (void)state;
    assert_int_equal(WdfRegistryAssignULong(key, &name, 1), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryRemoveValue(key, &name), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryULong(key, &name, &value), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(WdfRegistryRemoveValue(key, &name), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(WdfRegistryRemoveKey(key), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryOpenKey(NULL, &scratch, KEY_READ, NULL, &again), STATUS_OBJECT_NAME_NOT_FOUND);
    /* RemoveKey deleted the object too. */
    assert_null(WdfRegistryWdmGetHandle(key));
    assert_int_equal(vf_report_count(VF_HANDLE), 1);
    vf_reset_counts();
}

static void parameters_key_is_created_when_missing(void **state)
{
    UNICODE_STRING name = us(L"Answer"), parameters = us(SERVICE L"\\Parameters");
    HANDLE handle;
    WDFKEY key, check;
    ULONG value;

    (void)state;
    assert_int_equal(WdfRegistryOpenKey(NULL, &parameters, KEY_READ, NULL, &check), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(WdfDriverOpenParametersRegistryKey(WdfGetDriver(), KEY_ALL_ACCESS, NULL, &key), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryAssignULong(key, &name, 42), STATUS_SUCCESS);
    /* The WDM handle is the key itself. */
    handle = WdfRegistryWdmGetHandle(key);
    UCHAR info[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    ULONG result;
    assert_int_equal(ZwQueryValueKey(handle, &name, KeyValuePartialInformation, info, sizeof(info), &result),
                     STATUS_SUCCESS);
    WdfRegistryClose(key);
    assert_int_equal(WdfRegistryOpenKey(NULL, &parameters, KEY_READ, NULL, &check), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryULong(check, &name, &value), STATUS_SUCCESS);
    assert_int_equal(value, 42);
    WdfRegistryClose(check);
}

static void key_from_a_wdm_handle_owns_it(void **state)
{
    UNICODE_STRING service = us(SERVICE), name = us(L"Start");
    OBJECT_ATTRIBUTES oa;
    HANDLE handle;
    WDFKEY key;
    ULONG value;

    (void)state;
    InitializeObjectAttributes(&oa, &service, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    assert_int_equal(ZwOpenKey(&handle, KEY_ALL_ACCESS, &oa), STATUS_SUCCESS);
    assert_int_equal(fx_key_new_from_handle(fx_globals_of(WdfDriverGlobals), handle, NULL, &key), STATUS_SUCCESS);
    assert_ptr_equal(WdfRegistryWdmGetHandle(key), handle);
    assert_int_equal(WdfRegistryAssignULong(key, &name, 3), STATUS_SUCCESS);
    assert_int_equal(WdfRegistryQueryULong(key, &name, &value), STATUS_SUCCESS);
    WdfObjectDelete(key);
    /* Deleting the object closed the handle. */
    assert_int_equal(ZwClose(handle), STATUS_INVALID_HANDLE);
}

static void registry_calls_need_passive_level(void **state)
{
    UNICODE_STRING name = us(L"Value");
    WDFKEY key = scratch_key();

    (void)state;
    KIRQL irql = KeRaiseIrqlToDpcLevel();
    assert_int_equal(WdfRegistryAssignULong(key, &name, 1), STATUS_INVALID_DEVICE_REQUEST);
    KeLowerIrql(irql);
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    WdfRegistryClose(key);
    vf_reset_counts();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_then_open_relative_and_absolute, setup, teardown),
        cmocka_unit_test_setup_teardown(ulong_round_trip_and_type_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(query_value_reports_the_length_it_needs, setup, teardown),
        cmocka_unit_test_setup_teardown(memory_round_trip_with_offsets, setup, teardown),
        cmocka_unit_test_setup_teardown(unicode_string_and_wdfstring_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(multi_string_round_trip_through_collections, setup, teardown),
        cmocka_unit_test_setup_teardown(multi_string_statuses, setup, teardown),
        cmocka_unit_test_setup_teardown(remove_value_and_key, setup, teardown),
        cmocka_unit_test_setup_teardown(parameters_key_is_created_when_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(key_from_a_wdm_handle_owns_it, setup, teardown),
        cmocka_unit_test_setup_teardown(registry_calls_need_passive_level, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
