/*
 * Status codes (src/nt/status*.c, include/shared/ntstatus.h, winerror.h):
 * RtlNtStatusToDosError against the values Windows documents and returns,
 * its pass-through and unmapped rules, status names, the header values, and
 * the errno conversions both ways.
 *
 * Expected values are written as numbers, taken from Microsoft's
 * documentation ([MS-ERREF], "System Error Codes", "Mapping NT Status Error
 * Codes to Win32 Error Codes"), never from kmhost's own headers or tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "internal.h"
#include "nt/status.h"
#include "test-support.h"

#include <ntstatus.h>
#include <winerror.h>

struct dos_case {
    ULONG status;
    ULONG error;
    const char *what;
};

static void check_dos_cases(const struct dos_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ULONG got = RtlNtStatusToDosError((NTSTATUS)cases[i].status);
        if (got != cases[i].error)
            fail_msg("%s (0x%08X): got %u, want %u", cases[i].what, cases[i].status, got,
                     cases[i].error);
    }
}

/* Pairs from Microsoft's "Mapping NT Status Error Codes to Win32 Error Codes". */
static void test_published_mappings(void **state)
{
    (void)state;
    static const struct dos_case cases[] = {
        { 0x80000002, 998, "DATATYPE_MISALIGNMENT -> NOACCESS" },
        { 0xC0000005, 998, "ACCESS_VIOLATION -> NOACCESS" },
        { 0xC0000016, 234, "MORE_PROCESSING_REQUIRED -> MORE_DATA" },
        { 0xC00000FD, 1001, "STACK_OVERFLOW" },
        { 0xC0000004, 24, "INFO_LENGTH_MISMATCH -> BAD_LENGTH" },
        { 0xC000014C, 1009, "REGISTRY_CORRUPT -> BADDB" },
        { 0xC0000135, 126, "DLL_NOT_FOUND -> MOD_NOT_FOUND" },
        { 0xC0000139, 127, "ENTRYPOINT_NOT_FOUND -> PROC_NOT_FOUND" },
        { 0xC0000095, 534, "INTEGER_OVERFLOW -> ARITHMETIC_OVERFLOW" },
        { 0x80000006, 18, "NO_MORE_FILES" },
        { 0x8000001A, 259, "NO_MORE_ENTRIES -> NO_MORE_ITEMS" },
        { 0xC0000001, 31, "UNSUCCESSFUL -> GEN_FAILURE" },
        { 0xC0000006, 999, "IN_PAGE_ERROR -> SWAPERROR" },
        { 0xC000000F, 2, "NO_SUCH_FILE -> FILE_NOT_FOUND" },
        { 0xC0000012, 34, "WRONG_VOLUME -> WRONG_DISK" },
        { 0xC0000013, 21, "NO_MEDIA_IN_DEVICE -> NOT_READY" },
        { 0xC0000017, 8, "NO_MEMORY -> NOT_ENOUGH_MEMORY" },
        { 0xC0000033, 123, "OBJECT_NAME_INVALID -> INVALID_NAME" },
        { 0xC0000035, 183, "OBJECT_NAME_COLLISION -> ALREADY_EXISTS" },
        { 0xC0000039, 161, "OBJECT_PATH_INVALID -> BAD_PATHNAME" },
        { 0xC000003E, 23, "DATA_ERROR -> CRC" },
        { 0xC0000043, 32, "SHARING_VIOLATION" },
        { 0xC0000054, 33, "FILE_LOCK_CONFLICT -> LOCK_VIOLATION" },
        { 0xC000007F, 112, "DISK_FULL" },
        { 0xC0000101, 145, "DIRECTORY_NOT_EMPTY -> DIR_NOT_EMPTY" },
        { 0xC0000103, 267, "NOT_A_DIRECTORY -> DIRECTORY" },
        { 0xC000010E, 1056, "IMAGE_ALREADY_LOADED -> SERVICE_ALREADY_RUNNING" },
        { 0xC000026C, 2001, "DRIVER_UNABLE_TO_LOAD -> BAD_DRIVER" },
        { 0xC00000A2, 19, "MEDIA_WRITE_PROTECTED -> WRITE_PROTECT" },
    };
    check_dos_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* What a program sees after DeviceIoControl or CreateFile fails with the
 * statuses drivers return most. */
static void test_driver_status_mappings(void **state)
{
    (void)state;
    static const struct dos_case cases[] = {
        { 0x00000000, 0, "SUCCESS" },
        { 0x00000103, 997, "PENDING -> IO_PENDING" },
        { 0x80000005, 234, "BUFFER_OVERFLOW -> MORE_DATA" },
        { 0xC0000120, 995, "CANCELLED -> OPERATION_ABORTED" },
        { 0xC0000010, 1, "INVALID_DEVICE_REQUEST -> INVALID_FUNCTION" },
        { 0xC0000002, 1, "NOT_IMPLEMENTED -> INVALID_FUNCTION" },
        { 0xC000000E, 2, "NO_SUCH_DEVICE -> FILE_NOT_FOUND" },
        { 0xC0000034, 2, "OBJECT_NAME_NOT_FOUND -> FILE_NOT_FOUND" },
        { 0xC000003A, 3, "OBJECT_PATH_NOT_FOUND -> PATH_NOT_FOUND" },
        { 0xC0000022, 5, "ACCESS_DENIED" },
        { 0xC0000056, 5, "DELETE_PENDING -> ACCESS_DENIED" },
        { 0xC0000008, 6, "INVALID_HANDLE" },
        { 0xC000000D, 87, "INVALID_PARAMETER" },
        { 0xC00000F1, 87, "INVALID_PARAMETER_3 -> INVALID_PARAMETER" },
        { 0xC0000023, 122, "BUFFER_TOO_SMALL -> INSUFFICIENT_BUFFER" },
        { 0xC000009A, 1450, "INSUFFICIENT_RESOURCES -> NO_SYSTEM_RESOURCES" },
        { 0xC00000BB, 50, "NOT_SUPPORTED" },
        { 0xC00000A3, 21, "DEVICE_NOT_READY -> NOT_READY" },
        { 0xC00000B5, 121, "IO_TIMEOUT -> SEM_TIMEOUT" },
        { 0xC00000C0, 55, "DEVICE_DOES_NOT_EXIST -> DEV_NOT_EXIST" },
        { 0xC0000011, 38, "END_OF_FILE -> HANDLE_EOF" },
        { 0xC00002B6, 1617, "DEVICE_REMOVED" },
        { 0xC000009D, 1167, "DEVICE_NOT_CONNECTED" },
        { 0xC0000225, 1168, "NOT_FOUND" },
        { 0x80000011, 170, "DEVICE_BUSY -> BUSY" },
        { 0xC0000184, 22, "INVALID_DEVICE_STATE -> BAD_COMMAND" },
        { 0xC0000185, 1117, "IO_DEVICE_ERROR -> IO_DEVICE" },
        { 0xC0000206, 1784, "INVALID_BUFFER_SIZE -> INVALID_USER_BUFFER" },
    };
    check_dos_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Exception codes and customer codes come back unchanged; a Win32 code
 * wrapped in a status or HRESULT comes back unwrapped; HRESULT_FROM_NT is
 * looked through. */
static void test_pass_through_and_wrapped(void **state)
{
    (void)state;
    static const struct dos_case cases[] = {
        { 0x80000003, 0x80000003, "BREAKPOINT (exception, unchanged)" },
        { 0xC0000094, 0xC0000094, "INTEGER_DIVIDE_BY_ZERO (exception, unchanged)" },
        { 0xC000008E, 0xC000008E, "FLOAT_DIVIDE_BY_ZERO (exception, unchanged)" },
        { 0xE0001234, 0xE0001234, "customer error code" },
        { 0x60000001, 0x60000001, "customer informational code" },
        { 0x80070005, 5, "HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)" },
        { 0x800703E5, 997, "NTSTATUS_FROM_WIN32(ERROR_IO_PENDING)" },
        { 0xC0070020, 32, "error-severity FACILITY_NTWIN32 (SHARING_VIOLATION)" },
        { 0xD0000022, 5, "HRESULT_FROM_NT(STATUS_ACCESS_DENIED)" },
        { 0xD000009A, 1450, "HRESULT_FROM_NT(STATUS_INSUFFICIENT_RESOURCES)" },
    };
    check_dos_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* A status Windows has no Win32 code for gives ERROR_MR_MID_NOT_FOUND (317),
 * as the RtlNtStatusToDosError documentation says. */
static void test_unmapped_give_mr_mid_not_found(void **state)
{
    (void)state;
    static const struct dos_case cases[] = {
        { 0xC0200204, 317, "WDF_BUSY (framework-internal)" },
        { 0xC0200209, 317, "WDF_OBJECT_ATTRIBUTES_INVALID" },
        { 0xC000036D, 317, "DRIVER_DATABASE_ERROR" },
        { 0xC0ABCDEF, 317, "no such status" },
        { 0xC000FFFF, 317, "unassigned main-range error" },
        { 0x8000FFFF, 317, "unassigned warning" },
        { 0x00000001, 317, "WAIT_1, a success code with no Win32 meaning" },
    };
    check_dos_cases(cases, sizeof(cases) / sizeof(cases[0]));
    assert_int_equal(ERROR_MR_MID_NOT_FOUND, 317);
}

static void assert_strictly_increasing(const void *rows, size_t count, size_t stride)
{
    const char *p = rows;

    for (size_t i = 1; i < count; i++) {
        ULONG prev = *(const ULONG *)(p + (i - 1) * stride);
        ULONG cur = *(const ULONG *)(p + i * stride);
        if (prev >= cur)
            fail_msg("row %zu: 0x%08X does not follow 0x%08X", i, cur, prev);
    }
}

/* Both tables are binary-searched: they must stay sorted, one row a value,
 * and every mapped status must be one ntstatus.h names. */
static void test_tables_sorted_and_named(void **state)
{
    (void)state;
    assert_true(nt_status_dos_count > 1000);
    assert_true(nt_status_name_count > 2500);
    assert_strictly_increasing(nt_status_dos_table, nt_status_dos_count,
                               sizeof(nt_status_dos_table[0]));
    assert_strictly_increasing(nt_status_name_table, nt_status_name_count,
                               sizeof(nt_status_name_table[0]));
    for (size_t i = 0; i < nt_status_dos_count; i++) {
        NTSTATUS status = (NTSTATUS)nt_status_dos_table[i].status;
        if (!nt_status_name(status))
            fail_msg("mapped status 0x%08X has no name", (ULONG)status);
        assert_int_equal(RtlNtStatusToDosError(status), nt_status_dos_table[i].error);
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(nt_status_name((NTSTATUS)0x00000000), "STATUS_SUCCESS");
    assert_string_equal(nt_status_name((NTSTATUS)0x00000080), "STATUS_ABANDONED");
    assert_string_equal(nt_status_name((NTSTATUS)0x00000103), "STATUS_PENDING");
    assert_string_equal(nt_status_name((NTSTATUS)0x80000005), "STATUS_BUFFER_OVERFLOW");
    assert_string_equal(nt_status_name((NTSTATUS)0xC0000001), "STATUS_UNSUCCESSFUL");
    assert_string_equal(nt_status_name((NTSTATUS)0xC000000D), "STATUS_INVALID_PARAMETER");
    assert_string_equal(nt_status_name((NTSTATUS)0xC0000184), "STATUS_INVALID_DEVICE_STATE");
    assert_string_equal(nt_status_name((NTSTATUS)0xC000013B), "STATUS_LOCAL_DISCONNECT");
    assert_string_equal(nt_status_name((NTSTATUS)0xC0000507), "STATUS_DEVICE_HUNG");
    assert_string_equal(nt_status_name((NTSTATUS)0xC0190021), "STATUS_OBJECT_NO_LONGER_EXISTS");
    assert_string_equal(nt_status_name((NTSTATUS)0x00010001), "DBG_EXCEPTION_HANDLED");
    assert_string_equal(nt_status_name((NTSTATUS)0xC0020017), "RPC_NT_SERVER_UNAVAILABLE");
    assert_string_equal(nt_status_name((NTSTATUS)0xC0200209),
                        "STATUS_WDF_OBJECT_ATTRIBUTES_INVALID");
    assert_null(nt_status_name((NTSTATUS)0xC0ABCDEF));
    assert_null(nt_status_name((NTSTATUS)0xFFFFFFFF));
    assert_null(nt_status_name((NTSTATUS)0x7FFFFFFF));
}

/* A spread of header values against [MS-ERREF] and "System Error Codes". */
static void test_header_values(void **state)
{
    (void)state;
    assert_int_equal((ULONG)STATUS_ACCESS_DENIED, 0xC0000022);
    assert_int_equal((ULONG)STATUS_INVALID_DEVICE_REQUEST, 0xC0000010);
    assert_int_equal((ULONG)STATUS_MORE_PROCESSING_REQUIRED, 0xC0000016);
    assert_int_equal((ULONG)STATUS_DEVICE_NOT_CONNECTED, 0xC000009D);
    assert_int_equal((ULONG)STATUS_POWER_STATE_INVALID, 0xC00002D3);
    assert_int_equal((ULONG)STATUS_PNP_REBOOT_REQUIRED, 0xC00002D2);
    assert_int_equal((ULONG)STATUS_PLUGPLAY_QUERY_VETOED, 0x80000028);
    assert_int_equal((ULONG)STATUS_NO_MORE_ENTRIES, 0x8000001A);
    assert_int_equal((ULONG)STATUS_REPARSE, 0x00000104);
    assert_int_equal((ULONG)STATUS_WAIT_63, 0x0000003F);
    assert_int_equal(ERROR_INVALID_FUNCTION, 1);
    assert_int_equal(ERROR_NOT_SUPPORTED, 50);
    assert_int_equal(ERROR_INSUFFICIENT_BUFFER, 122);
    assert_int_equal(ERROR_MORE_DATA, 234);
    assert_int_equal(ERROR_NO_MORE_ITEMS, 259);
    assert_int_equal(ERROR_NO_SUCH_DEVICE, 433);
    assert_int_equal(ERROR_OPERATION_ABORTED, 995);
    assert_int_equal(ERROR_IO_INCOMPLETE, 996);
    assert_int_equal(ERROR_IO_PENDING, 997);
    assert_int_equal(ERROR_NOACCESS, 998);
    assert_int_equal(ERROR_SERVICE_ALREADY_RUNNING, 1056);
    assert_int_equal(ERROR_SERVICE_DOES_NOT_EXIST, 1060);
    assert_int_equal(ERROR_SERVICE_MARKED_FOR_DELETE, 1072);
    assert_int_equal(ERROR_SERVICE_EXISTS, 1073);
    assert_int_equal(ERROR_NOT_FOUND, 1168);
    assert_int_equal(ERROR_DEVICE_REMOVED, 1617);
}

static void test_hresult_macros(void **state)
{
    (void)state;
    assert_int_equal((ULONG)E_INVALIDARG, 0x80070057);
    assert_int_equal((ULONG)E_ACCESSDENIED, 0x80070005);
    assert_int_equal((ULONG)E_OUTOFMEMORY, 0x8007000E);
    assert_int_equal((ULONG)E_NOTIMPL, 0x80004001);
    assert_int_equal((ULONG)E_FAIL, 0x80004005);
    assert_int_equal((ULONG)E_UNEXPECTED, 0x8000FFFF);
    assert_int_equal((ULONG)STRSAFE_E_INSUFFICIENT_BUFFER, 0x8007007A);
    assert_int_equal((ULONG)STRSAFE_E_INVALID_PARAMETER, 0x80070057);
    assert_int_equal((ULONG)STRSAFE_E_END_OF_FILE, 0x80070026);
    assert_int_equal((ULONG)HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER), 0x8007007A);
    assert_int_equal(HRESULT_FROM_WIN32(0), S_OK);
    assert_int_equal(HRESULT_FROM_WIN32(E_FAIL), E_FAIL);
    assert_int_equal((ULONG)HRESULT_FROM_NT(STATUS_ACCESS_DENIED), 0xD0000022);
    assert_int_equal(MAKE_HRESULT(SEVERITY_ERROR, FACILITY_WIN32, ERROR_ACCESS_DENIED),
                     E_ACCESSDENIED);
    assert_int_equal(HRESULT_CODE(E_INVALIDARG), ERROR_INVALID_PARAMETER);
    assert_int_equal(HRESULT_FACILITY(E_INVALIDARG), FACILITY_WIN32);
    assert_true(FAILED(E_FAIL) && SUCCEEDED(S_OK) && SUCCEEDED(S_FALSE));
}

/* Each errno kmhost uses reaches a status and comes back unchanged. */
static void test_errno_round_trips(void **state)
{
    (void)state;
    static const int errs[] = {
        ENOMEM, ENOENT, EINVAL, EEXIST, EACCES, ENOTEMPTY, EBUSY, ETIMEDOUT, ENOSYS,
        ENODEV, ENXIO, EIO, ECANCELED, ENOBUFS, EOVERFLOW, ENOSPC, ENOTSUP, ENOTTY, EBADF,
        EPROTOTYPE, EFAULT, ENAMETOOLONG, ENOTDIR, EISDIR, EMFILE, EFBIG, EDEADLK, EPIPE,
        EROFS, EXDEV, ERANGE, EILSEQ, ENOEXEC, EPROTO, EPROTONOSUPPORT, ESTALE, EUCLEAN,
        EINPROGRESS,
    };
    assert_int_equal(nt_status_from_errno(0), STATUS_SUCCESS);
    assert_int_equal(nt_errno_from_status(STATUS_SUCCESS), 0);
    for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
        NTSTATUS status = nt_status_from_errno(-errs[i]);
        if (status == STATUS_UNSUCCESSFUL || nt_errno_from_status(status) != -errs[i])
            fail_msg("%s: -> 0x%08X -> %d", strerror(errs[i]), (ULONG)status,
                     nt_errno_from_status(status));
    }
}

/* The pairs the internal API promises, by value ([MS-ERREF] numbers). */
static void test_errno_to_status_pairs(void **state)
{
    (void)state;
    assert_int_equal((ULONG)nt_status_from_errno(-ENOMEM), 0xC000009A);
    assert_int_equal((ULONG)nt_status_from_errno(-ENOENT), 0xC0000034);
    assert_int_equal((ULONG)nt_status_from_errno(-EINVAL), 0xC000000D);
    assert_int_equal((ULONG)nt_status_from_errno(-EEXIST), 0xC0000035);
    assert_int_equal((ULONG)nt_status_from_errno(-EACCES), 0xC0000022);
    assert_int_equal((ULONG)nt_status_from_errno(-EPERM), 0xC0000022);
    assert_int_equal((ULONG)nt_status_from_errno(-EBUSY), 0x80000011);
    assert_int_equal((ULONG)nt_status_from_errno(-ETIMEDOUT), 0xC00000B5);
    assert_int_equal((ULONG)nt_status_from_errno(-ENOSYS), 0xC0000002);
    assert_int_equal((ULONG)nt_status_from_errno(-ENODEV), 0xC000000E);
    assert_int_equal((ULONG)nt_status_from_errno(-ECANCELED), 0xC0000120);
    assert_int_equal((ULONG)nt_status_from_errno(-E2BIG), 0xC0000023);
    assert_int_equal((ULONG)nt_status_from_errno(-ENOBUFS), 0xC0000023);
    assert_int_equal((ULONG)nt_status_from_errno(-ENOSPC), 0xC000007F);
    assert_int_equal((ULONG)nt_status_from_errno(-EAGAIN), 0xC000009A);
    assert_int_equal((ULONG)nt_status_from_errno(-ENOTEMPTY), 0xC0000101);
    assert_int_equal((ULONG)nt_status_from_errno(-EIO), 0xC0000185);
    assert_int_equal((ULONG)nt_status_from_errno(-EINPROGRESS), 0x00000103);
}

/* Statuses with no errno of their own, and errnos with no status. */
static void test_errno_many_to_one_and_fallbacks(void **state)
{
    (void)state;
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC0000017), -ENOMEM); /* NO_MEMORY */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC0000061), -EPERM); /* PRIVILEGE_NOT_HELD */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC0000180), -ENOTEMPTY); /* KEY_HAS_CHILDREN */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC00000F5), -EINVAL); /* INVALID_PARAMETER_7 */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC0000001), -EIO);   /* UNSUCCESSFUL */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC000022D), -EAGAIN); /* RETRY */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0x8000001A), -ENOENT); /* NO_MORE_ENTRIES */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC00002B6), -ENODEV); /* DEVICE_REMOVED */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0x00000102), -ETIMEDOUT); /* TIMEOUT */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0xC0000163), -EIO);   /* unpaired error */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0x80000014), -EIO);   /* unpaired warning */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0x00000101), 0);      /* ALERTED */
    assert_int_equal(nt_errno_from_status((NTSTATUS)0x40000000), 0);      /* OBJECT_NAME_EXISTS */
    assert_int_equal(nt_status_from_errno(-EDOM), STATUS_UNSUCCESSFUL);
    assert_int_equal(nt_status_from_errno(-EHWPOISON), STATUS_UNSUCCESSFUL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_mappings),
        cmocka_unit_test(test_driver_status_mappings),
        cmocka_unit_test(test_pass_through_and_wrapped),
        cmocka_unit_test(test_unmapped_give_mr_mid_not_found),
        cmocka_unit_test(test_tables_sorted_and_named),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_header_values),
        cmocka_unit_test(test_hresult_macros),
        cmocka_unit_test(test_errno_round_trips),
        cmocka_unit_test(test_errno_to_status_pairs),
        cmocka_unit_test(test_errno_many_to_one_and_fallbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
