/*
 * The registry store (src/nt/regstore*.c): keys, values, enumeration,
 * deletion, persistence, sharing between handles and processes, refusing bad
 * or locked databases, volatile keys and boots, batches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nt/regstore.h"
#include "test-support.h"

enum {
    REG_NONE = 0, REG_SZ = 1, REG_EXPAND_SZ = 2, REG_BINARY = 3, REG_DWORD = 4,
    REG_DWORD_BIG_ENDIAN = 5, REG_LINK = 6, REG_MULTI_SZ = 7, REG_QWORD = 11,
};

#define SERVICES "\\Registry\\Machine\\System\\CurrentControlSet\\Services"

struct fixture {
    char *root;
    char *db;
    struct regstore *rs;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->root = kmh_test_tmpdir();
    if (asprintf(&f->db, "%s/" REGSTORE_FILE_NAME, f->root) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    regstore_close(f->rs);
    kmh_test_rmtree(f->root);
    free(f->root);
    free(f->db);
    free(f);
    return 0;
}

static struct regstore *open_store(const char *root)
{
    struct regstore *rs = NULL;
    char err[REGSTORE_ERROR_MAX] = "";
    int rc = regstore_open(root, NULL, &rs, err, sizeof(err));
    if (rc != 0)
        fail_msg("regstore_open: %d %s", rc, err);
    return rs;
}

static struct regstore *fixture_store(void **state)
{
    struct fixture *f = *state;
    f->rs = open_store(f->root);
    return f->rs;
}

static struct regstore_key mk(struct regstore *rs, const char *path)
{
    struct regstore_key key = REGSTORE_KEY_NONE;
    assert_int_equal(regstore_key_create(rs, REGSTORE_KEY_NONE, path, 0, &key, NULL), 0);
    return key;
}

static int open_rc(struct regstore *rs, const char *path)
{
    struct regstore_key key;
    return regstore_key_open(rs, REGSTORE_KEY_NONE, path, &key);
}

static void set_dword(struct regstore *rs, struct regstore_key key, const char *name,
                      uint32_t v)
{
    assert_int_equal(regstore_value_set(rs, key, name, REG_DWORD, &v, sizeof(v)), 0);
}

static uint32_t get_dword(struct regstore *rs, struct regstore_key key, const char *name)
{
    struct regstore_value v;
    uint32_t out = 0;
    assert_int_equal(regstore_value_query(rs, key, name, &v), 0);
    assert_int_equal(v.size, sizeof(out));
    memcpy(&out, v.data, sizeof(out));
    regstore_value_clear(&v);
    return out;
}

static char *key_name(struct regstore *rs, struct regstore_key key)
{
    struct regstore_key_info info;
    assert_int_equal(regstore_key_query(rs, key, &info), 0);
    char *name = strdup(info.name);
    regstore_key_info_clear(&info);
    return name;
}

static void test_create_open_and_intermediate_keys(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key a, b, c;
    bool created = false;

    assert_int_equal(open_rc(rs, SERVICES "\\toaster"), -ENOENT);
    assert_int_equal(regstore_key_create(rs, REGSTORE_KEY_NONE, SERVICES "\\toaster", 0,
                                         &a, &created), 0);
    assert_true(created);
    assert_int_equal(regstore_key_create(rs, REGSTORE_KEY_NONE, SERVICES "\\toaster", 0,
                                         &b, &created), 0);
    assert_false(created);
    assert_int_equal(a.id, b.id);
    /* The intermediate keys exist in their own right. */
    assert_int_equal(regstore_key_open(rs, REGSTORE_KEY_NONE, SERVICES, &c), 0);
    assert_int_equal(open_rc(rs, "\\Registry\\Machine"), 0);
    struct regstore_key_info info;
    assert_int_equal(regstore_key_query(rs, c, &info), 0);
    assert_int_equal(info.subkeys, 1);
    assert_string_equal(info.name, "Services");
    regstore_key_info_clear(&info);
    assert_int_equal(open_rc(rs, SERVICES "\\toaster\\Parameters"), -ENOENT);
}

static void test_names_are_case_insensitive_and_keep_case(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key a = mk(rs, "\\Registry\\Machine\\MixedCase"), b;
    bool created = true;

    assert_int_equal(regstore_key_open(rs, REGSTORE_KEY_NONE, "\\REGISTRY\\machine\\MIXEDcase",
                                       &b), 0);
    assert_int_equal(a.id, b.id);
    assert_int_equal(regstore_key_create(rs, REGSTORE_KEY_NONE, "\\registry\\MACHINE\\mixedcase",
                                         0, &b, &created), 0);
    assert_false(created);
    assert_int_equal(a.id, b.id);
    char *name = key_name(rs, b);
    assert_string_equal(name, "MixedCase");
    free(name);
    char *path = NULL;
    assert_int_equal(regstore_key_path(rs, b, &path), 0);
    assert_string_equal(path, "\\Registry\\Machine\\MixedCase");
    free(path);
    set_dword(rs, a, "Start", 3);
    assert_int_equal(get_dword(rs, a, "START"), 3);
}

static void test_bad_paths_refused(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key k = mk(rs, "\\Registry"), out;
    char long_name[300];

    assert_int_equal(regstore_key_create(rs, REGSTORE_KEY_NONE, "Registry\\x", 0, &out, NULL),
                     -EINVAL);
    assert_int_equal(regstore_key_create(rs, k, "\\x", 0, &out, NULL), -EINVAL);
    assert_int_equal(regstore_key_create(rs, k, "a\\\\b", 0, &out, NULL), -EINVAL);
    assert_int_equal(regstore_key_create(rs, k, "a\\", 0, &out, NULL), -EINVAL);
    assert_int_equal(regstore_key_create(rs, k, "bad\xff", 0, &out, NULL), -EINVAL);
    memset(long_name, 'n', 256);
    long_name[256] = '\0';
    assert_int_equal(regstore_key_create(rs, k, long_name, 0, &out, NULL), -ENAMETOOLONG);
    long_name[255] = '\0';
    assert_int_equal(regstore_key_create(rs, k, long_name, 0, &out, NULL), 0);
    /* Relative paths go from the parent; an empty one reopens it. */
    assert_int_equal(regstore_key_create(rs, k, "Sub\\Deeper", 0, &out, NULL), 0);
    assert_int_equal(open_rc(rs, "\\Registry\\sub\\deeper"), 0);
    assert_int_equal(regstore_key_open(rs, k, "", &out), 0);
    assert_int_equal(out.id, k.id);
    /* Nothing was left behind by the refused calls. */
    assert_int_equal(open_rc(rs, "\\Registry\\a"), -ENOENT);
}

static void check_value(struct regstore *rs, struct regstore_key key, const char *name,
                        uint32_t type, const void *data, size_t size)
{
    struct regstore_value v;
    assert_int_equal(regstore_value_query(rs, key, name, &v), 0);
    assert_int_equal(v.type, type);
    assert_int_equal(v.size, size);
    assert_non_null(v.data);
    assert_memory_equal(v.data, data, size);
    regstore_value_clear(&v);
}

static void test_values_of_each_type(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key k = mk(rs, SERVICES "\\toaster");
    static const uint8_t sz[] = { 'h', 0, 'i', 0, 0, 0 }; /* L"hi" */
    static const uint8_t multi[] = { 'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0 };
    static const uint8_t bin[] = { 0, 1, 2, 0xff };
    uint32_t dword = 0x12345678, be = 0x78563412;
    uint64_t qword = 0x1122334455667788ull;
    struct { const char *name; uint32_t type; const void *data; size_t size; } vals[] = {
        { "Sz", REG_SZ, sz, sizeof(sz) },
        { "Expand", REG_EXPAND_SZ, sz, sizeof(sz) },
        { "Bin", REG_BINARY, bin, sizeof(bin) },
        { "Dword", REG_DWORD, &dword, sizeof(dword) },
        { "BigEndian", REG_DWORD_BIG_ENDIAN, &be, sizeof(be) },
        { "Link", REG_LINK, sz, sizeof(sz) },
        { "Multi", REG_MULTI_SZ, multi, sizeof(multi) },
        { "Qword", REG_QWORD, &qword, sizeof(qword) },
        { "None", REG_NONE, "", 0 },
        { "Odd", 0x12345, bin, 3 }, /* the store keeps any type number */
    };
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        assert_int_equal(regstore_value_set(rs, k, vals[i].name, vals[i].type,
                                            vals[i].data, vals[i].size), 0);
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        check_value(rs, k, vals[i].name, vals[i].type, vals[i].data, vals[i].size);
    check_value(rs, k, "SZ", REG_SZ, sz, sizeof(sz));
}

static void test_default_value_overwrite_and_delete(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key k = mk(rs, "\\Registry\\K");
    struct regstore_value v;

    assert_int_equal(regstore_value_query(rs, k, NULL, &v), -ENOENT);
    set_dword(rs, k, NULL, 7);
    assert_int_equal(get_dword(rs, k, ""), 7);
    set_dword(rs, k, "Name", 1);
    assert_int_equal(regstore_value_set(rs, k, "NAME", REG_BINARY, "xyz", 3), 0);
    check_value(rs, k, "name", REG_BINARY, "xyz", 3);
    assert_int_equal(regstore_value_enum(rs, k, 0, &v), 0);
    assert_string_equal(v.name, "");
    regstore_value_clear(&v);
    assert_int_equal(regstore_value_enum(rs, k, 1, &v), 0);
    assert_string_equal(v.name, "Name"); /* the first spelling stays */
    regstore_value_clear(&v);
    assert_int_equal(regstore_value_delete(rs, k, "nAmE"), 0);
    assert_int_equal(regstore_value_query(rs, k, "Name", &v), -ENOENT);
    assert_int_equal(regstore_value_delete(rs, k, "Name"), -ENOENT);
    assert_int_equal(get_dword(rs, k, NULL), 7);
}

static void test_value_size_limit(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key k = mk(rs, "\\Registry\\K");
    uint8_t *big = malloc(REGSTORE_DATA_MAX + 1);
    struct regstore_value v;

    for (size_t i = 0; i < REGSTORE_DATA_MAX + 1; i++)
        big[i] = (uint8_t)(i * 7);
    assert_int_equal(regstore_value_set(rs, k, "Big", REG_BINARY, big, REGSTORE_DATA_MAX + 1),
                     -E2BIG);
    assert_int_equal(regstore_value_query(rs, k, "Big", &v), -ENOENT);
    assert_int_equal(regstore_value_set(rs, k, "Big", REG_BINARY, big, REGSTORE_DATA_MAX), 0);
    check_value(rs, k, "Big", REG_BINARY, big, REGSTORE_DATA_MAX);
    struct regstore_key_info info;
    assert_int_equal(regstore_key_query(rs, k, &info), 0);
    assert_int_equal(info.max_value_data, REGSTORE_DATA_MAX);
    regstore_key_info_clear(&info);
    free(big);
}

static void test_enumeration_order_and_info(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key k = mk(rs, "\\Registry\\K"), sub;
    const char *subs[] = { "gamma", "Alpha", "beta" }, *sorted[] = { "Alpha", "beta", "gamma" };
    const char *vals[] = { "z", "Abc", "M" };

    for (int i = 0; i < 3; i++) {
        assert_int_equal(regstore_key_create(rs, k, subs[i], 0, &sub, NULL), 0);
        set_dword(rs, k, vals[i], (uint32_t)i);
    }
    set_dword(rs, k, "z", 99); /* overwriting keeps the value's place */
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(regstore_key_enum(rs, k, i, &sub), 0);
        char *name = key_name(rs, sub);
        assert_string_equal(name, sorted[i]);
        free(name);
        struct regstore_value v;
        assert_int_equal(regstore_value_enum(rs, k, i, &v), 0);
        assert_string_equal(v.name, vals[i]);
        regstore_value_clear(&v);
    }
    assert_int_equal(regstore_key_enum(rs, k, 3, &sub), -ENOENT);
    struct regstore_value v;
    assert_int_equal(regstore_value_enum(rs, k, 3, &v), -ENOENT);
    struct regstore_key_info info;
    assert_int_equal(regstore_key_query(rs, k, &info), 0);
    assert_int_equal(info.subkeys, 3);
    assert_int_equal(info.values, 3);
    assert_int_equal(info.max_subkey_name, 5);
    assert_int_equal(info.max_value_name, 3);
    assert_int_equal(info.max_value_data, 4);
    regstore_key_info_clear(&info);
}

static int64_t filetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
}

static int64_t last_write(struct regstore *rs, struct regstore_key key)
{
    struct regstore_key_info info;
    assert_int_equal(regstore_key_query(rs, key, &info), 0);
    int64_t t = info.last_write;
    regstore_key_info_clear(&info);
    return t;
}

static void test_last_write_time(void **state)
{
    struct regstore *rs = fixture_store(state);
    int64_t before = filetime_now();
    struct regstore_key k = mk(rs, "\\Registry\\K"), sub;
    int64_t created = last_write(rs, k);

    assert_true(created >= before && created <= filetime_now());
    usleep(2000);
    set_dword(rs, k, "v", 1);
    int64_t after_value = last_write(rs, k);
    assert_true(after_value > created);
    usleep(2000);
    assert_int_equal(regstore_key_create(rs, k, "Sub", 0, &sub, NULL), 0);
    assert_true(last_write(rs, k) > after_value);
    /* Reading changes nothing. */
    int64_t now = last_write(rs, k);
    assert_int_equal(get_dword(rs, k, "v"), 1);
    assert_int_equal(last_write(rs, k), now);
}

static void test_delete_with_subkeys_refused(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key a = mk(rs, "\\Registry\\A"), b = mk(rs, "\\Registry\\A\\B");

    set_dword(rs, a, "v", 1);
    assert_int_equal(regstore_key_delete(rs, a), -ENOTEMPTY);
    assert_int_equal(open_rc(rs, "\\Registry\\A\\B"), 0);
    assert_int_equal(get_dword(rs, a, "v"), 1);
    assert_int_equal(regstore_key_delete(rs, b), 0);
    assert_int_equal(open_rc(rs, "\\Registry\\A\\B"), -ENOENT);
    /* Values do not block deleting a key; they go with it. */
    assert_int_equal(regstore_key_delete(rs, a), 0);
    assert_int_equal(open_rc(rs, "\\Registry\\A"), -ENOENT);
    assert_int_equal(open_rc(rs, "\\Registry"), 0);
    struct regstore_key root;
    assert_int_equal(regstore_key_open(rs, REGSTORE_KEY_NONE, "\\", &root), 0);
    assert_int_equal(regstore_key_delete(rs, root), -EACCES);
    assert_int_equal(regstore_key_delete_tree(rs, root), -EACCES);
    char *name = key_name(rs, root), *path = NULL;
    assert_string_equal(name, "");
    assert_int_equal(regstore_key_path(rs, root, &path), 0);
    assert_string_equal(path, "\\");
    free(name);
    free(path);
}

static int64_t count_rows(const char *db_path, const char *table)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[64];
    int64_t n = -1;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_delete_tree(void **state)
{
    struct fixture *f = *state;
    struct regstore *rs = fixture_store(state);
    struct regstore_key a = mk(rs, "\\Registry\\A"), keep = mk(rs, "\\Registry\\Keep");
    struct regstore_key d = mk(rs, "\\Registry\\A\\B\\C\\D");
    struct regstore_key c;

    assert_int_equal(regstore_key_open(rs, REGSTORE_KEY_NONE, "\\Registry\\A\\B\\C", &c), 0);
    set_dword(rs, a, "va", 1);
    set_dword(rs, c, "vc", 2);
    set_dword(rs, d, "vd", 3);
    set_dword(rs, keep, "vk", 4);
    assert_int_equal(regstore_key_delete_tree(rs, a), 0);
    assert_int_equal(open_rc(rs, "\\Registry\\A"), -ENOENT);
    assert_int_equal(open_rc(rs, "\\Registry\\A\\B\\C\\D"), -ENOENT);
    assert_int_equal(regstore_key_query(rs, d, &(struct regstore_key_info){0}),
                     REGSTORE_E_KEY_DELETED);
    assert_int_equal(get_dword(rs, keep, "vk"), 4);
    /* Nothing orphaned: root, Registry and Keep remain, with Keep's value. */
    assert_int_equal(count_rows(f->db, "keys"), 3);
    assert_int_equal(count_rows(f->db, "vals"), 1);
}

static void test_persists_across_reopen(void **state)
{
    struct fixture *f = *state;
    struct regstore *rs = open_store(f->root);
    struct regstore_key k = mk(rs, SERVICES "\\toaster\\Parameters");
    set_dword(rs, k, "Start", 3);
    assert_int_equal(regstore_value_set(rs, k, "Image", REG_SZ, "t\0o\0\0", 6), 0);
    regstore_close(rs);

    rs = fixture_store(state);
    struct regstore_key again;
    assert_int_equal(regstore_key_open(rs, REGSTORE_KEY_NONE, SERVICES "\\TOASTER\\parameters",
                                       &again), 0);
    assert_int_equal(again.id, k.id);
    assert_int_equal(get_dword(rs, again, "Start"), 3);
    check_value(rs, again, "Image", REG_SZ, "t\0o\0\0", 6);
}

static void test_two_handles_see_each_other(void **state)
{
    struct fixture *f = *state;
    struct regstore *a = fixture_store(state);
    struct regstore *b = open_store(f->root);
    struct regstore_key ka = mk(a, "\\Registry\\Shared"), kb;

    set_dword(a, ka, "FromA", 1);
    assert_int_equal(regstore_key_open(b, REGSTORE_KEY_NONE, "\\Registry\\Shared", &kb), 0);
    assert_int_equal(get_dword(b, kb, "FromA"), 1);
    set_dword(b, kb, "FromB", 2);
    assert_int_equal(get_dword(a, ka, "FromB"), 2);
    /* A deletion through one handle is seen through the other's key. */
    assert_int_equal(regstore_key_delete(b, kb), 0);
    assert_int_equal(regstore_value_set(a, ka, "Late", REG_DWORD, "1234", 4),
                     REGSTORE_E_KEY_DELETED);
    regstore_close(b);
}

static void test_deleted_key_handle_reports_deletion(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key k = mk(rs, "\\Registry\\Gone"), again, out;
    struct regstore_value v;
    struct regstore_key_info info;
    char *path;

    set_dword(rs, k, "v", 1);
    assert_int_equal(regstore_key_delete(rs, k), 0);
    assert_int_equal(regstore_value_query(rs, k, "v", &v), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_value_set(rs, k, "v", REG_DWORD, "1234", 4), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_value_delete(rs, k, "v"), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_value_enum(rs, k, 0, &v), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_key_query(rs, k, &info), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_key_enum(rs, k, 0, &out), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_key_create(rs, k, "Sub", 0, &out, NULL), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_key_open(rs, k, "", &out), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_key_path(rs, k, &path), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_key_delete(rs, k), REGSTORE_E_KEY_DELETED);
    /* The same path again is a new key; the old handle stays deleted, even
     * though the new key is the newest row, whose id SQLite could reuse. */
    again = mk(rs, "\\Registry\\Gone");
    assert_true(again.id != k.id);
    assert_int_equal(regstore_value_query(rs, k, "v", &v), REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_value_query(rs, again, "v", &v), -ENOENT);
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, size, fp), size);
    assert_int_equal(fclose(fp), 0);
}

/* Opening must fail with rc, a message naming the file and saying what, and
 * the file's bytes exactly as they were. */
static void expect_refused(struct fixture *f, int rc, const char *what)
{
    size_t before_size, after_size;
    char *before = kmh_test_read_file(f->db, &before_size);
    struct regstore *rs = NULL;
    char err[REGSTORE_ERROR_MAX] = "";
    assert_non_null(before);
    assert_int_equal(regstore_open(f->root, NULL, &rs, err, sizeof(err)), rc);
    assert_null(rs);
    assert_non_null(strstr(err, f->db));
    if (!strstr(err, what))
        fail_msg("message \"%s\" does not say \"%s\"", err, what);
    char *after = kmh_test_read_file(f->db, &after_size);
    assert_non_null(after);
    assert_int_equal(after_size, before_size);
    assert_memory_equal(after, before, before_size);
    free(before);
    free(after);
}

static void test_garbage_file_refused_unchanged(void **state)
{
    struct fixture *f = *state;
    char garbage[8192];
    for (size_t i = 0; i < sizeof(garbage); i++)
        garbage[i] = (char)(i * 31 + 7);
    write_file(f->db, garbage, sizeof(garbage));
    expect_refused(f, REGSTORE_E_CORRUPT, "corrupt");
    expect_refused(f, REGSTORE_E_CORRUPT, "not a database");
}

static void test_truncated_file_refused_unchanged(void **state)
{
    struct fixture *f = *state;
    struct regstore *rs = open_store(f->root);
    struct regstore_key k = mk(rs, "\\Registry\\Many");
    char name[32];
    assert_int_equal(regstore_begin(rs), 0);
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof(name), "Key%04d", i);
        struct regstore_key sub;
        assert_int_equal(regstore_key_create(rs, k, name, 0, &sub, NULL), 0);
    }
    assert_int_equal(regstore_commit(rs), 0);
    regstore_close(rs);
    size_t size;
    char *whole = kmh_test_read_file(f->db, &size);
    assert_true(size > 8 * 4096);
    write_file(f->db, whole, size / 2);
    free(whole);
    expect_refused(f, REGSTORE_E_CORRUPT, "corrupt");
}

static void exec_raw(const char *db_path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_foreign_and_newer_databases_refused(void **state)
{
    struct fixture *f = *state;
    exec_raw(f->db, "CREATE TABLE photos(id INTEGER PRIMARY KEY, data BLOB)");
    expect_refused(f, REGSTORE_E_CORRUPT, "not a kmhost registry");
    assert_int_equal(unlink(f->db), 0);

    regstore_close(open_store(f->root));
    exec_raw(f->db, "PRAGMA user_version = 99");
    expect_refused(f, -EPROTONOSUPPORT, "newer");
}

static void test_locked_store_refused_then_opens(void **state)
{
    struct fixture *f = *state;
    struct regstore *rs = open_store(f->root);
    set_dword(rs, mk(rs, "\\Registry\\K"), "v", 42);
    regstore_close(rs);

    sqlite3 *holder;
    assert_int_equal(sqlite3_open(f->db, &holder), SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    struct regstore_options opts = { .busy_timeout_ms = 100 };
    char err[REGSTORE_ERROR_MAX] = "";
    rs = NULL;
    assert_int_equal(regstore_open(f->root, &opts, &rs, err, sizeof(err)), -EBUSY);
    assert_null(rs);
    assert_non_null(strstr(err, "locked"));
    assert_non_null(strstr(err, f->db));
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);

    rs = fixture_store(state);
    struct regstore_key k;
    assert_int_equal(regstore_key_open(rs, REGSTORE_KEY_NONE, "\\Registry\\K", &k), 0);
    assert_int_equal(get_dword(rs, k, "v"), 42);
}

static void test_write_while_locked_fails_cleanly(void **state)
{
    struct fixture *f = *state;
    struct regstore_options opts = { .busy_timeout_ms = 100 };
    struct regstore *rs = NULL;
    assert_int_equal(regstore_open(f->root, &opts, &rs, NULL, 0), 0);
    f->rs = rs;
    struct regstore_key k = mk(rs, "\\Registry\\K");
    set_dword(rs, k, "v", 1);

    sqlite3 *holder;
    assert_int_equal(sqlite3_open(f->db, &holder), SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    uint32_t two = 2;
    assert_int_equal(regstore_value_set(rs, k, "v", REG_DWORD, &two, 4), -EBUSY);
    assert_non_null(strstr(regstore_last_error(), "locked"));
    assert_int_equal(get_dword(rs, k, "v"), 1); /* readers are not blocked */
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
    set_dword(rs, k, "v", 2);
    assert_int_equal(get_dword(rs, k, "v"), 2);
}

static void test_volatile_keys_live_one_boot(void **state)
{
    struct fixture *f = *state;
    struct regstore *a = open_store(f->root), *b = open_store(f->root);
    struct regstore_key v, s, out;
    bool started = false;
    int64_t first, second;

    assert_int_equal(regstore_begin_boot(a, &started), 0);
    assert_true(started);
    assert_int_equal(regstore_begin_boot(a, &started), -EALREADY);
    assert_int_equal(regstore_boot_id(a, &first), 0);
    assert_int_equal(regstore_key_create(a, REGSTORE_KEY_NONE, "\\Registry\\Vol",
                                         REGSTORE_KEY_VOLATILE, &v, NULL), 0);
    assert_int_equal(regstore_key_create(a, v, "Child\\Grandchild", REGSTORE_KEY_VOLATILE,
                                         &out, NULL), 0);
    assert_int_equal(regstore_key_create(a, v, "Stable", 0, &out, NULL),
                     REGSTORE_E_CHILD_MUST_BE_VOLATILE);
    s = mk(a, "\\Registry\\Stable");
    /* A second process joining the running boot keeps its volatile keys. */
    assert_int_equal(regstore_begin_boot(b, &started), 0);
    assert_false(started);
    assert_int_equal(open_rc(b, "\\Registry\\Vol\\Child\\Grandchild"), 0);
    regstore_close(a);
    regstore_close(b);

    struct regstore *c = fixture_store(state);
    assert_int_equal(open_rc(c, "\\Registry\\Vol"), 0); /* no boot yet */
    assert_int_equal(regstore_begin_boot(c, &started), 0);
    assert_true(started);
    assert_int_equal(regstore_boot_id(c, &second), 0);
    assert_true(second > first);
    assert_int_equal(open_rc(c, "\\Registry\\Vol"), -ENOENT);
    assert_int_equal(regstore_key_query(c, v, &(struct regstore_key_info){0}),
                     REGSTORE_E_KEY_DELETED);
    assert_int_equal(regstore_key_open(c, REGSTORE_KEY_NONE, "\\Registry\\Stable", &out), 0);
    assert_int_equal(out.id, s.id);
}

static void test_batch_commit_and_rollback(void **state)
{
    struct fixture *f = *state;
    struct regstore *rs = fixture_store(state), *other = open_store(f->root);
    struct regstore_key a, out;

    assert_int_equal(regstore_commit(rs), -EINVAL);
    assert_int_equal(regstore_begin(rs), 0);
    assert_int_equal(regstore_begin(rs), -EALREADY);
    a = mk(rs, "\\Registry\\Batch\\A");
    mk(rs, "\\Registry\\Batch\\B");
    assert_int_equal(regstore_rollback(rs), 0);
    assert_int_equal(open_rc(rs, "\\Registry\\Batch"), -ENOENT);
    assert_int_equal(regstore_key_query(rs, a, &(struct regstore_key_info){0}),
                     REGSTORE_E_KEY_DELETED);

    assert_int_equal(regstore_begin(rs), 0);
    a = mk(rs, "\\Registry\\Batch\\A");
    mk(rs, "\\Registry\\Batch\\A\\Child");
    /* A failing call undoes only itself; the batch goes on. */
    assert_int_equal(regstore_key_delete(rs, a), -ENOTEMPTY);
    set_dword(rs, a, "v", 5);
    assert_int_equal(open_rc(rs, "\\Registry\\Batch\\A\\Child"), 0);
    assert_int_equal(regstore_commit(rs), 0);
    assert_int_equal(regstore_key_open(other, REGSTORE_KEY_NONE, "\\Registry\\Batch\\A", &out), 0);
    assert_int_equal(get_dword(other, out, "v"), 5);
    assert_int_equal(open_rc(other, "\\Registry\\Batch\\A\\Child"), 0);
    regstore_close(other);
}

static void test_crash_mid_batch_keeps_committed_only(void **state)
{
    struct fixture *f = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct regstore *rs = NULL;
        if (regstore_open(f->root, NULL, &rs, NULL, 0) != 0)
            _exit(1);
        struct regstore_key k;
        if (regstore_key_create(rs, REGSTORE_KEY_NONE, "\\Registry\\Kept", 0, &k, NULL) != 0 ||
            regstore_begin(rs) != 0 ||
            regstore_key_create(rs, REGSTORE_KEY_NONE, "\\Registry\\Lost", 0, &k, NULL) != 0)
            _exit(2);
        _exit(0); /* dies holding the batch, never closing */
    }
    int status = -1;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    struct regstore *rs = fixture_store(state);
    assert_int_equal(open_rc(rs, "\\Registry\\Kept"), 0);
    assert_int_equal(open_rc(rs, "\\Registry\\Lost"), -ENOENT);
    mk(rs, "\\Registry\\After"); /* the dead writer's lock is gone */
}

static void test_flush_puts_commits_in_the_main_file(void **state)
{
    struct fixture *f = *state;
    struct regstore *rs = fixture_store(state);
    set_dword(rs, mk(rs, "\\Registry\\Flushed"), "v", 9);
    assert_int_equal(regstore_flush(rs), 0);

    /* The main file alone, without the write-ahead log, has the key. */
    char *copy_root = kmh_test_tmpdir(), *copy = NULL;
    size_t size;
    char *bytes = kmh_test_read_file(f->db, &size);
    assert_non_null(bytes);
    assert_true(asprintf(&copy, "%s/" REGSTORE_FILE_NAME, copy_root) > 0);
    write_file(copy, bytes, size);
    struct regstore *alone = open_store(copy_root);
    struct regstore_key k;
    assert_int_equal(regstore_key_open(alone, REGSTORE_KEY_NONE, "\\Registry\\Flushed", &k), 0);
    assert_int_equal(get_dword(alone, k, "v"), 9);
    regstore_close(alone);
    kmh_test_rmtree(copy_root);
    free(copy_root);
    free(copy);
    free(bytes);
}

struct thread_arg {
    struct regstore *rs;
    struct regstore_key key;
    int base;
};

static void *writer(void *p)
{
    struct thread_arg *arg = p;
    char name[32];
    for (int i = 0; i < 50; i++) {
        uint32_t v = (uint32_t)(arg->base + i);
        snprintf(name, sizeof(name), "v%d", arg->base + i);
        if (regstore_value_set(arg->rs, arg->key, name, REG_DWORD, &v, 4) != 0)
            return (void *)1;
    }
    return NULL;
}

static void test_threads_share_a_handle(void **state)
{
    struct regstore *rs = fixture_store(state);
    struct regstore_key k = mk(rs, "\\Registry\\Threads");
    struct thread_arg args[4];
    pthread_t threads[4];

    for (int i = 0; i < 4; i++) {
        args[i] = (struct thread_arg){ rs, k, i * 1000 };
        assert_int_equal(pthread_create(&threads[i], NULL, writer, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *ret;
        assert_int_equal(pthread_join(threads[i], &ret), 0);
        assert_null(ret);
    }
    struct regstore_key_info info;
    assert_int_equal(regstore_key_query(rs, k, &info), 0);
    assert_int_equal(info.values, 200);
    regstore_key_info_clear(&info);
    assert_int_equal(get_dword(rs, k, "v3049"), 3049);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_open_and_intermediate_keys),
        T(test_names_are_case_insensitive_and_keep_case),
        T(test_bad_paths_refused),
        T(test_values_of_each_type),
        T(test_default_value_overwrite_and_delete),
        T(test_value_size_limit),
        T(test_enumeration_order_and_info),
        T(test_last_write_time),
        T(test_delete_with_subkeys_refused),
        T(test_delete_tree),
        T(test_persists_across_reopen),
        T(test_two_handles_see_each_other),
        T(test_deleted_key_handle_reports_deletion),
        T(test_garbage_file_refused_unchanged),
        T(test_truncated_file_refused_unchanged),
        T(test_foreign_and_newer_databases_refused),
        T(test_locked_store_refused_then_opens),
        T(test_write_while_locked_fails_cleanly),
        T(test_volatile_keys_live_one_boot),
        T(test_batch_commit_and_rollback),
        T(test_crash_mid_batch_keeps_committed_only),
        T(test_flush_puts_commits_in_the_main_file),
        T(test_threads_share_a_handle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
