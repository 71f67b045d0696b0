/*
 * The registry DDIs (src/nt/registry*.c): creating and opening keys,
 * relative names, the value and key information classes with their buffer
 * rules, enumeration, access checks, deleted keys, volatile keys,
 * RtlQueryRegistryValues and friends, the store's lifetime and the Debug
 * Print Filter. Each case opens the registry of its own temporary root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nt/registry.h"
#include "verifier/verifier.h"
#include "test-support.h"

#define SOFTWARE L"\\Registry\\Machine\\Software"
#define SERVICES L"\\Registry\\Machine\\System\\CurrentControlSet\\Services"

struct fixture {
    char *root;
    size_t handles; /* open before the case, to check none leaked */
};

static int setup_root(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->root = kmh_test_tmpdir();
    f->handles = nt_handle_count();
    *state = f;
    return 0;
}

static int setup(void **state)
{
    char err[REGSTORE_ERROR_MAX] = "";
    setup_root(state);
    struct fixture *f = *state;
    if (nt_registry_open(f->root, err, sizeof(err)) != 0) {
        fprintf(stderr, "nt_registry_open: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    size_t leaked = nt_handle_count() - f->handles;
    while (nt_registry())
        nt_registry_close();
    kmh_test_rmtree(f->root);
    free(f->root);
    free(f);
    if (leaked)
        fprintf(stderr, "%zu handles left open\n", leaked);
    return leaked ? -1 : 0;
}

static UNICODE_STRING us(const WCHAR *s)
{
    USHORT n = 0;
    while (s && s[n])
        n++;
    return (UNICODE_STRING){ n * sizeof(WCHAR), (n + 1) * sizeof(WCHAR), (PWSTR)s };
}

static NTSTATUS create_key(HANDLE root, const WCHAR *path, ACCESS_MASK access, ULONG options, ULONG *disposition,
                           HANDLE *out)
{
    UNICODE_STRING name = us(path);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, root, NULL);
    return ZwCreateKey(out, access, &oa, 0, NULL, options, disposition);
}

static NTSTATUS open_key(HANDLE root, const WCHAR *path, ACCESS_MASK access, HANDLE *out)
{
    UNICODE_STRING name = us(path);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, root, NULL);
    return ZwOpenKey(out, access, &oa);
}

static HANDLE make_key(const WCHAR *path)
{
    HANDLE key = NULL;
    assert_int_equal(create_key(NULL, path, KEY_ALL_ACCESS, 0, NULL, &key), STATUS_SUCCESS);
    return key;
}

static NTSTATUS set_value(HANDLE key, const WCHAR *name, ULONG type, const void *data, ULONG size)
{
    UNICODE_STRING n = us(name);
    return ZwSetValueKey(key, &n, 0, type, (PVOID)data, size);
}

static NTSTATUS query_value(HANDLE key, const WCHAR *name, KEY_VALUE_INFORMATION_CLASS cls, void *buf, ULONG len,
                            ULONG *result)
{
    UNICODE_STRING n = us(name);
    return ZwQueryValueKey(key, &n, cls, buf, len, result);
}

static ULONG read_dword(HANDLE key, const WCHAR *name)
{
    UCHAR buf[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + 8];
    KEY_VALUE_PARTIAL_INFORMATION *info = (void *)buf;
    ULONG len, value;
    assert_int_equal(query_value(key, name, KeyValuePartialInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(info->DataLength, sizeof(ULONG));
    memcpy(&value, info->Data, sizeof(value));
    return value;
}

/* --- Keys ----------------------------------------------------------------------- */

static void test_create_reports_disposition(void **state)
{
    HANDLE a, b, c;
    ULONG disposition = 0;
    (void)state;
    assert_int_equal(create_key(NULL, SOFTWARE L"\\Vendor", KEY_ALL_ACCESS, 0, &disposition, &a), STATUS_SUCCESS);
    assert_int_equal(disposition, REG_CREATED_NEW_KEY);
    assert_int_equal(create_key(NULL, L"\\REGISTRY\\machine\\SOFTWARE\\vendor", KEY_READ, 0, &disposition, &b),
                     STATUS_SUCCESS);
    assert_int_equal(disposition, REG_OPENED_EXISTING_KEY);
    assert_int_equal(open_key(NULL, SOFTWARE L"\\VENDOR", KEY_READ, &c), STATUS_SUCCESS);
    assert_true(a != b && b != c);
    assert_int_equal(ZwClose(a), STATUS_SUCCESS);
    assert_int_equal(ZwClose(b), STATUS_SUCCESS);
    assert_int_equal(ZwClose(c), STATUS_SUCCESS);
}

static void test_only_the_last_component_is_created(void **state)
{
    HANDLE key = (HANDLE)4;
    (void)state;
    assert_int_equal(create_key(NULL, SOFTWARE L"\\No\\Such", KEY_ALL_ACCESS, 0, NULL, &key),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    assert_null(key);
    assert_int_equal(open_key(NULL, SOFTWARE L"\\No", KEY_READ, &key), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(open_key(NULL, L"Registry\\Machine", KEY_READ, &key), STATUS_OBJECT_PATH_SYNTAX_BAD);
    assert_int_equal(open_key(NULL, L"\\Device\\Null", KEY_READ, &key), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(create_key(NULL, SOFTWARE L"\\", KEY_ALL_ACCESS, 0, NULL, &key), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(create_key(NULL, SOFTWARE L"\\\\x", KEY_ALL_ACCESS, 0, NULL, &key), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(create_key(NULL, SOFTWARE L"\\x", KEY_ALL_ACCESS, 0x1000, NULL, &key),
                     STATUS_INVALID_PARAMETER);
}

static void test_relative_names_start_at_root_directory(void **state)
{
    HANDLE parent = make_key(SOFTWARE L"\\Parent"), child, grand, again;
    ULONG disposition;
    (void)state;
    assert_int_equal(create_key(parent, L"Child", KEY_ALL_ACCESS, 0, &disposition, &child), STATUS_SUCCESS);
    assert_int_equal(disposition, REG_CREATED_NEW_KEY);
    assert_int_equal(create_key(parent, L"child\\Grand", KEY_ALL_ACCESS, 0, &disposition, &grand),
                     STATUS_SUCCESS);
    assert_int_equal(disposition, REG_CREATED_NEW_KEY);
    assert_int_equal(open_key(NULL, SOFTWARE L"\\Parent\\Child\\Grand", KEY_READ, &again), STATUS_SUCCESS);
    ZwClose(again);
    assert_int_equal(open_key(parent, L"\\Child", KEY_READ, &again), STATUS_OBJECT_PATH_SYNTAX_BAD);
    assert_int_equal(open_key(child, L"", KEY_READ, &again), STATUS_SUCCESS); /* reopens Child */
    ZwClose(again);
    assert_int_equal(open_key((HANDLE)0x7ff0, L"Child", KEY_READ, &again), STATUS_INVALID_HANDLE);
    ZwClose(grand);
    ZwClose(child);
    ZwClose(parent);
}

static void test_read_only_handles_are_refused_writes(void **state)
{
    HANDLE writable = make_key(SOFTWARE L"\\Guarded"), ro, sub;
    ULONG one = 1;
    UNICODE_STRING name = us(L"Value");
    (void)state;
    assert_int_equal(set_value(writable, L"Value", REG_DWORD, &one, sizeof(one)), STATUS_SUCCESS);
    ZwClose(make_key(SOFTWARE L"\\Guarded\\Existing"));
    assert_int_equal(open_key(NULL, SOFTWARE L"\\Guarded", KEY_READ, &ro), STATUS_SUCCESS);
    assert_int_equal(set_value(ro, L"Value", REG_DWORD, &one, sizeof(one)), STATUS_ACCESS_DENIED);
    assert_int_equal(ZwDeleteValueKey(ro, &name), STATUS_ACCESS_DENIED);
    assert_int_equal(ZwDeleteKey(ro), STATUS_ACCESS_DENIED);
    assert_int_equal(read_dword(ro, L"Value"), 1);
    /* Creating under it needs KEY_CREATE_SUB_KEY; opening through it does not. */
    assert_int_equal(create_key(ro, L"New", KEY_ALL_ACCESS, 0, NULL, &sub), STATUS_ACCESS_DENIED);
    assert_int_equal(create_key(ro, L"Existing", KEY_ALL_ACCESS, 0, NULL, &sub), STATUS_SUCCESS);
    ZwClose(sub);
    ZwClose(ro);
    ZwClose(writable);
}

static void test_a_key_with_subkeys_cannot_be_deleted(void **state)
{
    HANDLE parent = make_key(SOFTWARE L"\\Doomed"), child = make_key(SOFTWARE L"\\Doomed\\Child"), gone;
    (void)state;
    assert_int_equal(ZwDeleteKey(parent), STATUS_CANNOT_DELETE);
    assert_int_equal(ZwDeleteKey(child), STATUS_SUCCESS);
    assert_int_equal(ZwDeleteKey(parent), STATUS_SUCCESS);
    assert_int_equal(open_key(NULL, SOFTWARE L"\\Doomed", KEY_READ, &gone), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(ZwClose(child), STATUS_SUCCESS);
    assert_int_equal(ZwClose(parent), STATUS_SUCCESS);
}

static void test_handles_to_a_deleted_key_fail(void **state)
{
    HANDLE first = make_key(SOFTWARE L"\\Short"), second, sub;
    ULONG one = 1, len;
    UCHAR buf[64];
    (void)state;
    assert_int_equal(open_key(NULL, SOFTWARE L"\\Short", KEY_ALL_ACCESS, &second), STATUS_SUCCESS);
    assert_int_equal(set_value(first, L"V", REG_DWORD, &one, sizeof(one)), STATUS_SUCCESS);
    assert_int_equal(ZwDeleteKey(first), STATUS_SUCCESS);
    assert_int_equal(query_value(second, L"V", KeyValuePartialInformation, buf, sizeof(buf), &len),
                     STATUS_KEY_DELETED);
    assert_int_equal(set_value(first, L"V", REG_DWORD, &one, sizeof(one)), STATUS_KEY_DELETED);
    assert_int_equal(ZwEnumerateKey(second, 0, KeyBasicInformation, buf, sizeof(buf), &len), STATUS_KEY_DELETED);
    assert_int_equal(ZwQueryKey(second, KeyFullInformation, buf, sizeof(buf), &len), STATUS_KEY_DELETED);
    assert_int_equal(create_key(second, L"Sub", KEY_ALL_ACCESS, 0, NULL, &sub), STATUS_KEY_DELETED);
    assert_int_equal(ZwFlushKey(second), STATUS_KEY_DELETED);
    assert_int_equal(ZwDeleteKey(second), STATUS_KEY_DELETED);
    assert_int_equal(ZwClose(first), STATUS_SUCCESS);
    assert_int_equal(ZwClose(second), STATUS_SUCCESS);
}

static void test_volatile_keys_end_with_the_boot(void **state)
{
    struct fixture *f = *state;
    HANDLE v, child, stable;
    ULONG disposition;
    assert_int_equal(create_key(NULL, SOFTWARE L"\\Fleeting", KEY_ALL_ACCESS, REG_OPTION_VOLATILE, &disposition, &v),
                     STATUS_SUCCESS);
    assert_int_equal(create_key(v, L"Stable", KEY_ALL_ACCESS, 0, NULL, &child), STATUS_CHILD_MUST_BE_VOLATILE);
    assert_int_equal(create_key(v, L"Also", KEY_ALL_ACCESS, REG_OPTION_VOLATILE, NULL, &child), STATUS_SUCCESS);
    stable = make_key(SOFTWARE L"\\Lasting");
    ZwClose(child);
    ZwClose(v);
    ZwClose(stable);
    /* The only process in this boot leaves it; the next open starts another. */
    nt_registry_close();
    assert_int_equal(nt_registry_open(f->root, NULL, 0), 0);
    assert_int_equal(open_key(NULL, SOFTWARE L"\\Fleeting", KEY_READ, &v), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(open_key(NULL, SOFTWARE L"\\Lasting", KEY_READ, &stable), STATUS_SUCCESS);
    ZwClose(stable);
}

static void test_names_are_utf16_with_surrogate_pairs(void **state)
{
    const WCHAR lone[] = { 'K', 0xD800, 'x', 0 };
    const WCHAR pair[] = { 'K', 0xD83D, 0xDE00, 0 };
    const WCHAR path[] = { '\\', 'R', 'e', 'g', 'i', 's', 't', 'r', 'y', '\\', 'U', 's', 'e', 'r', '\\',
                           'K', 0xD83D, 0xDE00, 0 };
    HANDLE user, key, again;
    UCHAR buf[64];
    KEY_BASIC_INFORMATION *basic = (void *)buf;
    ULONG len, one = 1;
    (void)state;
    assert_int_equal(open_key(NULL, L"\\Registry\\User", KEY_ALL_ACCESS, &user), STATUS_SUCCESS);
    assert_int_equal(create_key(user, lone, KEY_ALL_ACCESS, 0, NULL, &key), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(create_key(user, pair, KEY_ALL_ACCESS, 0, NULL, &key), STATUS_SUCCESS);
    assert_int_equal(open_key(NULL, path, KEY_READ, &again), STATUS_SUCCESS);
    assert_int_equal(ZwQueryKey(again, KeyBasicInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(basic->NameLength, 3 * sizeof(WCHAR));
    assert_memory_equal(basic->Name, pair, 3 * sizeof(WCHAR));
    assert_int_equal(set_value(key, lone, REG_DWORD, &one, sizeof(one)), STATUS_OBJECT_NAME_INVALID);
    ZwClose(again);
    ZwClose(key);
    ZwClose(user);
}

/* --- Values ----------------------------------------------------------------------- */

static void test_partial_information_buffer_rules(void **state)
{
    HANDLE key = make_key(SOFTWARE L"\\Sizes");
    ULONG value = 0x12345678, len = 0, need = offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data) + sizeof(ULONG);
    UCHAR buf[64];
    KEY_VALUE_PARTIAL_INFORMATION *info = (void *)buf;
    (void)state;
    assert_int_equal(set_value(key, L"Number", REG_DWORD, &value, sizeof(value)), STATUS_SUCCESS);
    assert_int_equal(query_value(key, L"Number", KeyValuePartialInformation, NULL, 0, &len), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(len, need);
    memset(buf, 0xAA, sizeof(buf));
    assert_int_equal(query_value(key, L"Number", KeyValuePartialInformation, buf, 8, &len), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(buf[0], 0xAA); /* nothing written */
    assert_int_equal(query_value(key, L"Number", KeyValuePartialInformation, buf, need - 2, &len),
                     STATUS_BUFFER_OVERFLOW);
    assert_int_equal(len, need);
    assert_int_equal(info->Type, REG_DWORD);
    assert_int_equal(info->DataLength, sizeof(ULONG));
    assert_int_equal(buf[need - 2], 0xAA); /* nothing past the buffer's length */
    assert_int_equal(query_value(key, L"Number", KeyValuePartialInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(len, need);
    assert_memory_equal(info->Data, &value, sizeof(value));
    ZwClose(key);
}

static void test_full_and_basic_information(void **state)
{
    HANDLE key = make_key(SOFTWARE L"\\Classes");
    UCHAR buf[128];
    KEY_VALUE_FULL_INFORMATION *full = (void *)buf;
    KEY_VALUE_BASIC_INFORMATION *basic = (void *)buf;
    ULONG len, name_at = offsetof(KEY_VALUE_FULL_INFORMATION, Name);
    (void)state;
    assert_int_equal(set_value(key, L"Greeting", REG_SZ, L"hello", sizeof(L"hello")), STATUS_SUCCESS);
    assert_int_equal(query_value(key, L"greeting", KeyValueFullInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(full->Type, REG_SZ);
    assert_int_equal(full->NameLength, 16);
    assert_memory_equal(full->Name, L"Greeting", 16);
    assert_int_equal(full->DataOffset % sizeof(ULONG), 0);
    assert_true(full->DataOffset >= name_at + 16);
    assert_int_equal(full->DataLength, sizeof(L"hello"));
    assert_memory_equal(buf + full->DataOffset, L"hello", sizeof(L"hello"));
    assert_int_equal(len, full->DataOffset + sizeof(L"hello"));
    assert_int_equal(query_value(key, L"Greeting", KeyValueBasicInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(len, offsetof(KEY_VALUE_BASIC_INFORMATION, Name) + 16);
    memset(buf, 0, sizeof(buf));
    len = offsetof(KEY_VALUE_BASIC_INFORMATION, Name) + 4;
    assert_int_equal(query_value(key, L"Greeting", KeyValueBasicInformation, buf, len, &len), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(basic->NameLength, 16); /* the whole name's length, two units of it copied */
    assert_memory_equal(basic->Name, L"Gr", 4);
    ZwClose(key);
}

static void test_align64_classes_need_aligned_buffers(void **state)
{
    HANDLE key = make_key(SOFTWARE L"\\Aligned");
    union {
        ULONGLONG align;
        UCHAR bytes[128];
    } u;
    KEY_VALUE_PARTIAL_INFORMATION_ALIGN64 *partial = (void *)u.bytes;
    KEY_VALUE_FULL_INFORMATION *full = (void *)u.bytes;
    ULONG seven = 7, len;
    (void)state;
    assert_int_equal(set_value(key, L"N", REG_DWORD, &seven, sizeof(seven)), STATUS_SUCCESS);
    assert_int_equal(query_value(key, L"N", KeyValuePartialInformationAlign64, u.bytes + 4, 100, &len),
                     STATUS_DATATYPE_MISALIGNMENT);
    assert_int_equal(query_value(key, L"N", KeyValuePartialInformationAlign64, u.bytes, sizeof(u), &len),
                     STATUS_SUCCESS);
    assert_int_equal(len, offsetof(KEY_VALUE_PARTIAL_INFORMATION_ALIGN64, Data) + sizeof(ULONG));
    assert_int_equal(partial->Type, REG_DWORD);
    assert_memory_equal(partial->Data, &seven, sizeof(seven));
    assert_int_equal(query_value(key, L"N", KeyValueFullInformationAlign64, u.bytes, sizeof(u), &len),
                     STATUS_SUCCESS);
    assert_int_equal(full->DataOffset % 8, 0);
    assert_memory_equal(u.bytes + full->DataOffset, &seven, sizeof(seven));
    ZwClose(key);
}

static void test_missing_values_and_bad_classes(void **state)
{
    HANDLE key = make_key(SOFTWARE L"\\Sparse");
    UNICODE_STRING name = us(L"Absent");
    UCHAR buf[64];
    ULONG len;
    (void)state;
    assert_int_equal(query_value(key, L"Absent", KeyValuePartialInformation, buf, sizeof(buf), &len),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(ZwDeleteValueKey(key, &name), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(query_value(key, L"Absent", KeyValueLayerInformation, buf, sizeof(buf), &len),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(ZwQueryKey(key, KeyFlagsInformation, buf, sizeof(buf), &len), STATUS_INVALID_PARAMETER);
    assert_int_equal(ZwEnumerateValueKey(key, 0, KeyValueBasicInformation, buf, sizeof(buf), &len),
                     STATUS_NO_MORE_ENTRIES);
    /* The default value has the empty name. */
    assert_int_equal(set_value(key, L"", REG_SZ, L"d", sizeof(L"d")), STATUS_SUCCESS);
    assert_int_equal(query_value(key, L"", KeyValuePartialInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    ZwClose(key);
}

/* --- Enumeration and key information ------------------------------------------ */

static void test_subkeys_enumerate_in_name_order(void **state)
{
    HANDLE parent = make_key(SOFTWARE L"\\Tree");
    const WCHAR *expected[] = { L"A", L"b", L"c" };
    UCHAR buf[128];
    KEY_BASIC_INFORMATION *basic = (void *)buf;
    KEY_NODE_INFORMATION *node = (void *)buf;
    KEY_FULL_INFORMATION *full = (void *)buf;
    ULONG len;
    (void)state;
    ZwClose(make_key(SOFTWARE L"\\Tree\\b"));
    ZwClose(make_key(SOFTWARE L"\\Tree\\A"));
    ZwClose(make_key(SOFTWARE L"\\Tree\\c"));
    for (ULONG i = 0; i < 3; i++) {
        assert_int_equal(ZwEnumerateKey(parent, i, KeyBasicInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
        assert_int_equal(basic->NameLength, sizeof(WCHAR));
        assert_memory_equal(basic->Name, expected[i], sizeof(WCHAR));
    }
    assert_int_equal(ZwEnumerateKey(parent, 3, KeyBasicInformation, buf, sizeof(buf), &len), STATUS_NO_MORE_ENTRIES);
    assert_int_equal(ZwEnumerateKey(parent, 1, KeyNodeInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(node->ClassLength, 0);
    assert_int_equal(len, offsetof(KEY_NODE_INFORMATION, Name) + sizeof(WCHAR));
    assert_int_equal(ZwEnumerateKey(parent, 2, KeyNameInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(((KEY_NAME_INFORMATION *)buf)->NameLength, sizeof(SOFTWARE L"\\Tree\\c") - sizeof(WCHAR));
    assert_int_equal(ZwEnumerateKey(parent, 0, KeyBasicInformation, buf, 4, &len), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(ZwQueryKey(parent, KeyFullInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(full->SubKeys, 3);
    assert_int_equal(full->MaxNameLen, sizeof(WCHAR));
    assert_int_equal(ZwEnumerateKey(parent, 0, KeyFlagsInformation, buf, sizeof(buf), &len), STATUS_INVALID_PARAMETER);
    ZwClose(parent);
}

static void test_values_enumerate_in_creation_order(void **state)
{
    HANDLE key = make_key(SOFTWARE L"\\Ordered");
    const WCHAR *names[] = { L"Zeta", L"alpha", L"Mid" };
    UCHAR blob[6] = { 1, 2, 3, 4, 5, 6 }, buf[128];
    KEY_VALUE_BASIC_INFORMATION *basic = (void *)buf;
    KEY_FULL_INFORMATION *full = (void *)buf;
    ULONG len, four = 4;
    (void)state;
    assert_int_equal(set_value(key, names[0], REG_DWORD, &four, sizeof(four)), STATUS_SUCCESS);
    assert_int_equal(set_value(key, names[1], REG_SZ, L"x", sizeof(L"x")), STATUS_SUCCESS);
    assert_int_equal(set_value(key, names[2], REG_BINARY, blob, sizeof(blob)), STATUS_SUCCESS);
    for (ULONG i = 0; i < 3; i++) {
        UNICODE_STRING expected = us(names[i]);
        assert_int_equal(ZwEnumerateValueKey(key, i, KeyValueBasicInformation, buf, sizeof(buf), &len),
                         STATUS_SUCCESS);
        assert_int_equal(basic->NameLength, expected.Length);
        assert_memory_equal(basic->Name, expected.Buffer, expected.Length);
    }
    assert_int_equal(ZwEnumerateValueKey(key, 3, KeyValueBasicInformation, buf, sizeof(buf), &len),
                     STATUS_NO_MORE_ENTRIES);
    assert_int_equal(ZwQueryKey(key, KeyFullInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(full->Values, 3);
    assert_int_equal(full->MaxValueNameLen, 5 * sizeof(WCHAR));
    assert_int_equal(full->MaxValueDataLen, sizeof(blob));
    ZwClose(key);
}

static void test_key_name_and_cached_information(void **state)
{
    HANDLE key = make_key(SOFTWARE L"\\Named"), write_only;
    UCHAR buf[256];
    KEY_NAME_INFORMATION *name = (void *)buf;
    KEY_CACHED_INFORMATION *cached = (void *)buf;
    ULONG len;
    (void)state;
    assert_int_equal(ZwQueryKey(key, KeyNameInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(name->NameLength, sizeof(SOFTWARE L"\\Named") - sizeof(WCHAR));
    assert_memory_equal(name->Name, SOFTWARE L"\\Named", name->NameLength);
    assert_int_equal(ZwQueryKey(key, KeyNameInformation, buf, 8, &len), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(len, offsetof(KEY_NAME_INFORMATION, Name) + sizeof(SOFTWARE L"\\Named") - sizeof(WCHAR));
    assert_int_equal(ZwQueryKey(key, KeyCachedInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    assert_int_equal(len, sizeof(KEY_CACHED_INFORMATION));
    assert_int_equal(cached->NameLength, 5 * sizeof(WCHAR));
    /* KeyNameInformation is the one class that needs no KEY_QUERY_VALUE. */
    assert_int_equal(open_key(NULL, SOFTWARE L"\\Named", KEY_SET_VALUE, &write_only), STATUS_SUCCESS);
    assert_int_equal(ZwQueryKey(write_only, KeyBasicInformation, buf, sizeof(buf), &len), STATUS_ACCESS_DENIED);
    assert_int_equal(ZwQueryKey(write_only, KeyNameInformation, buf, sizeof(buf), &len), STATUS_SUCCESS);
    ZwClose(write_only);
    ZwClose(key);
}

/* --- RtlQueryRegistryValues ---------------------------------------------------- */

static void write_services(const WCHAR *path, const WCHAR *name, ULONG type, const void *data, ULONG size)
{
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, path, name, type, (PVOID)data, size),
                     STATUS_SUCCESS);
}

static void test_direct_entries_store_by_type(void **state)
{
    ULONG three = 3, start = 0;
    UCHAR bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    UNICODE_STRING text = { 0 };
    union { LONG size; UCHAR data[8]; } raw = { .size = -(LONG)sizeof(raw) }; /* data only, from the start */
    struct { ULONG size; ULONG type; UCHAR data[8]; } described = { sizeof(described), 0, { 0 } };
    RTL_QUERY_REGISTRY_TABLE table[] = {
        { NULL, RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_TYPECHECK, L"Start", &start,
          REG_DWORD << RTL_QUERY_REGISTRY_TYPECHECK_SHIFT, NULL, 0 },
        { NULL, RTL_QUERY_REGISTRY_DIRECT, L"Display", &text, REG_NONE, NULL, 0 },
        { NULL, RTL_QUERY_REGISTRY_DIRECT, L"Blob", &raw, REG_NONE, NULL, 0 },
        { NULL, RTL_QUERY_REGISTRY_DIRECT, L"Blob", &described, REG_NONE, NULL, 0 },
        { 0 },
    };
    (void)state;
    write_services(L"kmdirect", L"Start", REG_DWORD, &three, sizeof(three));
    write_services(L"kmdirect", L"Display", REG_SZ, L"toaster", sizeof(L"toaster"));
    write_services(L"kmdirect", L"Blob", REG_BINARY, bytes, sizeof(bytes));
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmdirect", table, NULL, NULL), STATUS_SUCCESS);
    assert_int_equal(start, 3);
    assert_int_equal(text.Length, sizeof(L"toaster") - sizeof(WCHAR));
    assert_memory_equal(text.Buffer, L"toaster", sizeof(L"toaster")); /* terminated too */
    assert_memory_equal(raw.data, bytes, sizeof(bytes));
    assert_int_equal(described.size, sizeof(bytes));
    assert_int_equal(described.type, REG_BINARY);
    assert_memory_equal(described.data, bytes, sizeof(bytes));
    RtlFreeUnicodeString(&text);
}

static void test_direct_entries_check_type_and_room(void **state)
{
    ULONG three = 3;
    WCHAR small[4];
    UNICODE_STRING text = { 0, sizeof(small), small };
    UNICODE_STRING wrong = { 0 };
    union { LONG size; UCHAR data[7]; } raw = { .size = -7 };
    UCHAR bytes[8] = { 0 };
    RTL_QUERY_REGISTRY_TABLE typed[] = {
        { NULL, RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_TYPECHECK, L"Start", &wrong,
          REG_SZ << RTL_QUERY_REGISTRY_TYPECHECK_SHIFT, NULL, 0 },
        { 0 },
    };
    RTL_QUERY_REGISTRY_TABLE roomy[] = {
        { NULL, RTL_QUERY_REGISTRY_DIRECT, L"Display", &text, REG_NONE, NULL, 0 }, { 0 } };
    RTL_QUERY_REGISTRY_TABLE binary[] = {
        { NULL, RTL_QUERY_REGISTRY_DIRECT, L"Blob", &raw, REG_NONE, NULL, 0 }, { 0 } };
    /* Neither DIRECT nor a routine: nothing to hand the value to. */
    RTL_QUERY_REGISTRY_TABLE unrouted[] = { { NULL, 0, L"Start", NULL, REG_NONE, NULL, 0 }, { 0 } };
    (void)state;
    write_services(L"kmtyped", L"Start", REG_DWORD, &three, sizeof(three));
    write_services(L"kmtyped", L"Display", REG_SZ, L"toaster", sizeof(L"toaster"));
    write_services(L"kmtyped", L"Blob", REG_BINARY, bytes, sizeof(bytes));
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmtyped", typed, NULL, NULL),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_null(wrong.Buffer);
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmtyped", roomy, NULL, NULL),
                     STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmtyped", binary, NULL, NULL),
                     STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmtyped", unrouted, NULL, NULL),
                     STATUS_INVALID_PARAMETER);
}

/* What a QueryRoutine saw, one line per call: "name type text-or-size". */
struct calls {
    char log[512];
    NTSTATUS answer;
};

static NTSTATUS record(PWSTR name, ULONG type, PVOID data, ULONG size, PVOID context, PVOID entry)
{
    struct calls *c = context;
    char text[128] = "";
    size_t n = 0;
    (void)entry;
    if (type == REG_SZ)
        for (const WCHAR *s = data; *s && n + 1 < sizeof(text); s++)
            text[n++] = (char)*s;
    else
        snprintf(text, sizeof(text), "%u", size);
    text[n && type == REG_SZ ? n : strlen(text)] = '\0';
    size_t used = strlen(c->log);
    snprintf(c->log + used, sizeof(c->log) - used, "%c %u %s\n", name ? (char)name[0] : '-', type, text);
    return c->answer;
}

static void test_routines_see_split_and_expanded_strings(void **state)
{
    struct calls calls = { "", STATUS_SUCCESS };
    const WCHAR list[] = L"one\0two\0", path[] = L"%SystemRoot%\\x;%NoSuch%";
    RTL_QUERY_REGISTRY_TABLE table[] = {
        { record, 0, L"List", NULL, REG_NONE, NULL, 0 },
        { record, RTL_QUERY_REGISTRY_NOEXPAND, L"List", NULL, REG_NONE, NULL, 0 },
        { record, 0, L"Path", NULL, REG_NONE, NULL, 0 },
        { record, RTL_QUERY_REGISTRY_NOEXPAND, L"Path", NULL, REG_NONE, NULL, 0 },
        { 0 },
    };
    (void)state;
    write_services(L"kmsplit", L"List", REG_MULTI_SZ, list, sizeof(list));
    write_services(L"kmsplit", L"Path", REG_EXPAND_SZ, path, sizeof(path));
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmsplit", table, &calls, NULL), STATUS_SUCCESS);
    assert_string_equal(calls.log, "L 1 one\n"
                                   "L 1 two\n"
                                   "L 7 18\n"
                                   "P 1 C:\\Windows\\x;%NoSuch%\n"
                                   "P 2 48\n"); /* 23 units and the terminator */
}

static void test_routines_for_every_value_and_their_errors(void **state)
{
    struct calls calls = { "", STATUS_SUCCESS };
    ULONG one = 1;
    RTL_QUERY_REGISTRY_TABLE every[] = { { record, 0, NULL, NULL, REG_NONE, NULL, 0 }, { 0 } };
    (void)state;
    write_services(L"kmevery", L"First", REG_DWORD, &one, sizeof(one));
    write_services(L"kmevery", L"Second", REG_SZ, L"s", sizeof(L"s"));
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmevery", every, &calls, NULL), STATUS_SUCCESS);
    assert_string_equal(calls.log, "F 4 4\nS 1 s\n");
    /* A routine's error ends the query, except STATUS_BUFFER_TOO_SMALL. */
    calls = (struct calls){ "", STATUS_BUFFER_TOO_SMALL };
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmevery", every, &calls, NULL), STATUS_SUCCESS);
    assert_string_equal(calls.log, "F 4 4\nS 1 s\n");
    calls = (struct calls){ "", STATUS_UNSUCCESSFUL };
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmevery", every, &calls, NULL),
                     STATUS_UNSUCCESSFUL);
    assert_string_equal(calls.log, "F 4 4\n");
}

static void test_required_values_and_defaults(void **state)
{
    struct calls calls = { "", STATUS_SUCCESS };
    ULONG fallback = 9, one = 1;
    RTL_QUERY_REGISTRY_TABLE required[] = { { record, RTL_QUERY_REGISTRY_REQUIRED, L"Missing", NULL, REG_NONE, NULL, 0 },
                                            { 0 } };
    RTL_QUERY_REGISTRY_TABLE defaulted[] = {
        { record, 0, L"Missing", NULL, REG_DWORD, &fallback, sizeof(fallback) },
        { record, 0, L"Missing", NULL, REG_SZ, L"dflt", 0 }, /* length from the string */
        { record, 0, L"Missing", NULL, REG_NONE, NULL, 0 },  /* skipped */
        { 0 },
    };
    (void)state;
    write_services(L"kmreq", L"Present", REG_DWORD, &one, sizeof(one));
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmreq", required, &calls, NULL),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    assert_string_equal(calls.log, "");
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmreq", defaulted, &calls, NULL), STATUS_SUCCESS);
    assert_string_equal(calls.log, "M 4 4\nM 1 dflt\n");
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmnone", defaulted, &calls, NULL),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    calls.log[0] = '\0';
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES | RTL_REGISTRY_OPTIONAL, L"kmnone", defaulted,
                                            &calls, NULL), STATUS_SUCCESS);
    assert_string_equal(calls.log, "M 4 4\nM 1 dflt\n");
}

static void test_subkey_topkey_and_delete_entries(void **state)
{
    struct calls calls = { "", STATUS_SUCCESS };
    ULONG two = 2, one = 1, level = 0, top = 0;
    HANDLE key;
    RTL_QUERY_REGISTRY_TABLE table[] = {
        { NULL, RTL_QUERY_REGISTRY_SUBKEY, L"Parameters", NULL, REG_NONE, NULL, 0 },
        { NULL, RTL_QUERY_REGISTRY_DIRECT, L"Level", &level, REG_NONE, NULL, 0 },
        /* With a routine (NULL routine and Name would end the table), TOPKEY
         * also reports the top key's values. */
        { record, RTL_QUERY_REGISTRY_TOPKEY, NULL, NULL, REG_NONE, NULL, 0 },
        { NULL, RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_DELETE, L"Top", &top, REG_NONE, NULL, 0 },
        { 0 },
    };
    UCHAR buf[64];
    ULONG len;
    (void)state;
    write_services(L"kmsub", L"Top", REG_DWORD, &one, sizeof(one));
    write_services(L"kmsub\\Parameters", L"Level", REG_DWORD, &two, sizeof(two));
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmsub", table, &calls, NULL), STATUS_SUCCESS);
    assert_int_equal(level, 2);
    assert_int_equal(top, 1);
    assert_string_equal(calls.log, "T 4 4\n");
    assert_int_equal(open_key(NULL, SERVICES L"\\kmsub", KEY_READ, &key), STATUS_SUCCESS);
    assert_int_equal(query_value(key, L"Top", KeyValuePartialInformation, buf, sizeof(buf), &len),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    ZwClose(key);
    table[0].Flags |= RTL_QUERY_REGISTRY_REQUIRED;
    table[0].Name = L"Absent";
    assert_int_equal(RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"kmsub", table, &calls, NULL),
                     STATUS_OBJECT_NAME_NOT_FOUND);
}

/* --- The other Rtl helpers --------------------------------------------------------- */

static void test_write_relative_to_services(void **state)
{
    ULONG one = 1;
    HANDLE key;
    (void)state;
    assert_int_equal(RtlCheckRegistryKey(RTL_REGISTRY_SERVICES, L"kmsvc"), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, L"kmsvc", L"Type", REG_DWORD, &one, sizeof(one)),
                     STATUS_SUCCESS);
    assert_int_equal(RtlCheckRegistryKey(RTL_REGISTRY_SERVICES, L"kmsvc"), STATUS_SUCCESS);
    assert_int_equal(open_key(NULL, SERVICES L"\\kmsvc", KEY_READ, &key), STATUS_SUCCESS);
    assert_int_equal(read_dword(key, L"Type"), 1);
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_HANDLE, (PCWSTR)key, L"Via", REG_DWORD, &one, sizeof(one)),
                     STATUS_ACCESS_DENIED); /* the handle is KEY_READ */
    ZwClose(key);
    assert_int_equal(RtlCreateRegistryKey(RTL_REGISTRY_SERVICES, L"kmsvc\\a\\b"), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(RtlCreateRegistryKey(RTL_REGISTRY_SERVICES, L"kmsvc\\a"), STATUS_SUCCESS);
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, L"nope\\deeper", L"X", REG_DWORD, &one, 4),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(RtlDeleteRegistryValue(RTL_REGISTRY_SERVICES, L"kmsvc", L"Type"), STATUS_SUCCESS);
    assert_int_equal(RtlDeleteRegistryValue(RTL_REGISTRY_SERVICES, L"kmsvc", L"Type"), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(RtlCheckRegistryKey(RTL_REGISTRY_MAXIMUM, L"x"), STATUS_INVALID_PARAMETER);
}

static void test_base_keys_exist(void **state)
{
    const WCHAR *paths[] = {
        SERVICES, L"\\Registry\\Machine\\System\\CurrentControlSet\\Control",
        L"\\Registry\\Machine\\System\\CurrentControlSet\\Enum", L"\\Registry\\Machine\\Hardware\\DeviceMap",
        L"\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion", L"\\Registry\\User\\.Default",
    };
    HANDLE key;
    (void)state;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        assert_int_equal(open_key(NULL, paths[i], KEY_READ, &key), STATUS_SUCCESS);
        ZwClose(key);
    }
    assert_int_equal(RtlCheckRegistryKey(RTL_REGISTRY_WINDOWS_NT, NULL), STATUS_SUCCESS);
    assert_int_equal(RtlCheckRegistryKey(RTL_REGISTRY_DEVICEMAP, L"\\"), STATUS_SUCCESS);
}

/* --- The store's lifetime ------------------------------------------------------------ */

static void test_values_persist_across_close_and_open(void **state)
{
    struct fixture *f = *state;
    ULONG answer = 42;
    HANDLE key;
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_CONTROL, L"kmpersist", L"V", REG_DWORD, &answer, 4),
                     STATUS_SUCCESS);
    assert_int_equal(open_key(NULL, L"\\Registry\\Machine\\System\\CurrentControlSet\\Control\\kmpersist", KEY_READ,
                              &key), STATUS_SUCCESS);
    nt_registry_close();
    assert_null(nt_registry());
    /* A handle outlives the store; it works again once it reopens. */
    assert_int_equal(ZwFlushKey(key), STATUS_DEVICE_NOT_READY);
    assert_int_equal(RtlCheckRegistryKey(RTL_REGISTRY_CONTROL, L"kmpersist"), STATUS_DEVICE_NOT_READY);
    assert_int_equal(nt_registry_open(f->root, NULL, 0), 0);
    assert_int_equal(read_dword(key, L"V"), 42);
    assert_int_equal(ZwFlushKey(key), STATUS_SUCCESS);
    ZwClose(key);
}

static void test_opens_nest_at_one_root(void **state)
{
    struct fixture *f = *state;
    char err[REGSTORE_ERROR_MAX] = "";
    char *other = kmh_test_tmpdir();
    struct regstore *rs = nt_registry();
    assert_non_null(rs);
    assert_int_equal(nt_registry_open(f->root, err, sizeof(err)), 0);
    nt_registry_close();
    assert_ptr_equal(nt_registry(), rs);
    assert_int_equal(nt_registry_open(other, err, sizeof(err)), -EBUSY);
    assert_non_null(strstr(err, other));
    assert_ptr_equal(nt_registry(), rs);
    kmh_test_rmtree(other);
    free(other);
}

static void test_corrupt_store_is_refused_untouched(void **state)
{
    struct fixture *f = *state;
    char garbage[8192], err[REGSTORE_ERROR_MAX] = "", *path;
    size_t size;
    for (size_t i = 0; i < sizeof(garbage); i++)
        garbage[i] = (char)(i * 31 + 7);
    assert_true(asprintf(&path, "%s/" REGSTORE_FILE_NAME, f->root) > 0);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(garbage, 1, sizeof(garbage), file), sizeof(garbage));
    fclose(file);
    assert_int_equal(nt_registry_open(f->root, err, sizeof(err)), REGSTORE_E_CORRUPT);
    assert_non_null(strstr(err, path)); /* the store's own sentence, naming the file */
    assert_null(nt_registry());
    char *after = kmh_test_read_file(path, &size);
    assert_non_null(after);
    assert_int_equal(size, sizeof(garbage));
    assert_memory_equal(after, garbage, sizeof(garbage));
    free(after);
    free(path);
}

static int root_dir_in_child(const char *kmhost_root, const char *xdg, const char *expected)
{
    pid_t pid = fork();
    int status;
    if (pid == 0) {
        struct stat st;
        unsetenv("KMHOST_ROOT");
        if (kmhost_root)
            setenv("KMHOST_ROOT", kmhost_root, 1);
        setenv("XDG_STATE_HOME", xdg, 1);
        const char *dir = nt_root_dir();
        _exit(dir && strcmp(dir, expected) == 0 && stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700 ? 0 : 1);
    }
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_root_dir_from_environment(void **state)
{
    struct fixture *f = *state;
    char *explicit, *xdg_root, *nested;
    struct stat st;
    assert_true(asprintf(&explicit, "%s/explicit/root", f->root) > 0);
    assert_true(asprintf(&xdg_root, "%s/kmhost", f->root) > 0);
    assert_int_equal(root_dir_in_child(explicit, f->root, explicit), 0);
    assert_int_equal(root_dir_in_child(NULL, f->root, xdg_root), 0);
    assert_true(asprintf(&nested, "%s/set/by/hand", f->root) > 0);
    assert_int_equal(nt_set_root_dir(nested), 0);
    assert_string_equal(nt_root_dir(), nested);
    assert_int_equal(stat(nested, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(nt_set_root_dir(""), -EINVAL);
    free(explicit);
    free(xdg_root);
    free(nested);
}

static void *hammer(void *arg)
{
    HANDLE shared = arg, own;
    WCHAR name[] = L"T0";
    name[1] = (WCHAR)('0' + (uintptr_t)pthread_self() % 10);
    for (ULONG i = 0; i < 20; i++) {
        if (create_key(shared, name, KEY_ALL_ACCESS, 0, NULL, &own) != STATUS_SUCCESS ||
            set_value(own, L"I", REG_DWORD, &i, sizeof(i)) != STATUS_SUCCESS ||
            set_value(shared, name, REG_DWORD, &i, sizeof(i)) != STATUS_SUCCESS || ZwClose(own) != STATUS_SUCCESS)
            return (void *)1;
    }
    return NULL;
}

static void test_threads_share_the_store(void **state)
{
    HANDLE shared = make_key(SOFTWARE L"\\Shared");
    pthread_t threads[4];
    void *failed;
    UCHAR buf[256];
    ULONG len, values = 0;
    (void)state;
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, hammer, shared), 0);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], &failed), 0);
        assert_null(failed);
    }
    while (ZwEnumerateValueKey(shared, values, KeyValueBasicInformation, buf, sizeof(buf), &len) == STATUS_SUCCESS)
        values++;
    assert_true(values >= 1 && values <= 4);
    ZwClose(shared);
}

/* --- Debug Print Filter and IRQL ------------------------------------------------------ */

static void test_debug_print_filter(void **state)
{
    bool on = true;
    ULONG zero = 0, trace_only = 1u << DPFLTR_INFO_LEVEL;
    const WCHAR *key = L"Session Manager\\Debug Print Filter";
    (void)state;
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, &on), -ENOENT);
    assert_int_equal(RtlCreateRegistryKey(RTL_REGISTRY_CONTROL, L"Session Manager"), STATUS_SUCCESS);
    assert_int_equal(RtlCreateRegistryKey(RTL_REGISTRY_CONTROL, (PWSTR)key), STATUS_SUCCESS);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, &on), -ENOENT);
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_CONTROL, key, L"DEFAULT", REG_DWORD, &zero, 4), 0);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, &on), 0);
    assert_false(on);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, &on), 0);
    assert_true(on); /* WIN2000 defaults to errors */
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_CONTROL, key, L"IHVDRIVER", REG_DWORD, &trace_only, 4), 0);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, &on), 0);
    assert_true(on);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_TRACE_LEVEL, &on), 0);
    assert_false(on);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, &on), 0);
    assert_false(on);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_MASK | trace_only, &on), 0);
    assert_true(on);
    assert_int_equal(RtlWriteRegistryValue(RTL_REGISTRY_CONTROL, key, L"WIN2000", REG_DWORD, &zero, 4), 0);
    assert_int_equal(nt_registry_debug_filter(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, &on), 0);
    assert_false(on);
}

static void test_raised_irql_is_reported_once(void **state)
{
    HANDLE key = make_key(SOFTWARE L"\\Irql");
    unsigned long before = vf_report_count(VF_IRQL);
    KIRQL old;
    (void)state;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    assert_int_equal(ZwFlushKey(key), STATUS_SUCCESS);
    assert_int_equal(RtlCheckRegistryKey(RTL_REGISTRY_ABSOLUTE, SOFTWARE L"\\Irql"), STATUS_SUCCESS);
    KeLowerIrql(old);
    assert_int_equal(vf_report_count(VF_IRQL), before + 2);
    ZwClose(key);
}

#define CASE(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE(test_create_reports_disposition),
        CASE(test_only_the_last_component_is_created),
        CASE(test_relative_names_start_at_root_directory),
        CASE(test_read_only_handles_are_refused_writes),
        CASE(test_a_key_with_subkeys_cannot_be_deleted),
        CASE(test_handles_to_a_deleted_key_fail),
        CASE(test_volatile_keys_end_with_the_boot),
        CASE(test_names_are_utf16_with_surrogate_pairs),
        CASE(test_partial_information_buffer_rules),
        CASE(test_full_and_basic_information),
        CASE(test_align64_classes_need_aligned_buffers),
        CASE(test_missing_values_and_bad_classes),
        CASE(test_subkeys_enumerate_in_name_order),
        CASE(test_values_enumerate_in_creation_order),
        CASE(test_key_name_and_cached_information),
        CASE(test_direct_entries_store_by_type),
        CASE(test_direct_entries_check_type_and_room),
        CASE(test_routines_see_split_and_expanded_strings),
        CASE(test_routines_for_every_value_and_their_errors),
        CASE(test_required_values_and_defaults),
        CASE(test_subkey_topkey_and_delete_entries),
        CASE(test_write_relative_to_services),
        CASE(test_base_keys_exist),
        CASE(test_values_persist_across_close_and_open),
        CASE(test_opens_nest_at_one_root),
        CASE(test_threads_share_the_store),
        cmocka_unit_test_setup_teardown(test_corrupt_store_is_refused_untouched, setup_root, teardown),
        cmocka_unit_test_setup_teardown(test_root_dir_from_environment, setup_root, teardown),
        CASE(test_debug_print_filter),
        CASE(test_raised_irql_is_reported_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
