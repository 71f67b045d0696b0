/*
 * Status conversions: NTSTATUS to Win32 error (RtlNtStatusToDosError), to
 * its name (nt_status_name), and to and from kmhost's negative errno. The
 * tables are in status_dos.c and status_names.c (see status.h).
 */
#include "internal.h"
#include "nt/status.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include <ntstatus.h>
#include <winerror.h>

/* Bit 29 marks a status a customer (not Microsoft) defined. */
#define NT_CUSTOMER_BIT 0x20000000u

/* bsearch comparison on the status both table rows begin with. */
static int status_cmp(const void *key, const void *row)
{
    ULONG a = *(const ULONG *)key;
    ULONG b = *(const ULONG *)row;

    return a < b ? -1 : a > b;
}

static const struct nt_status_dos *dos_find(ULONG code)
{
    return bsearch(&code, nt_status_dos_table, nt_status_dos_count,
                   sizeof(nt_status_dos_table[0]), status_cmp);
}

/* A Win32 code carried inside the status, or 0 if it carries none. Windows
 * unwraps NTSTATUS_FROM_WIN32 and HRESULT_FROM_WIN32 (both 0x8007xxxx),
 * 0xC007xxxx (FACILITY_NTWIN32 with error severity) and, as observed on
 * Windows, 0xC001xxxx. */
static ULONG wrapped_win32(ULONG code)
{
    ULONG high = code >> 16;

    if (high == 0x8007 || high == 0xC007 || high == 0xC001)
        return code & 0xFFFF;
    return 0;
}

/*
 * RtlNtStatusToDosError - the Win32 error code a status means.
 * @Status: any value, not only those in ntstatus.h.
 *
 * Any thread, any IRQL (Windows asks for < DISPATCH_LEVEL; nothing here
 * cares). Returns the code Windows returns: 0 for STATUS_SUCCESS, the status
 * itself for customer codes (bit 29) and for the exception codes Windows
 * passes through, the low word of a wrapped Win32 code, and
 * ERROR_MR_MID_NOT_FOUND for a status Windows has no code for.
 */
KMH_EXPORT ULONG RtlNtStatusToDosError(NTSTATUS Status)
{
    ULONG code = (ULONG)Status;
    const struct nt_status_dos *row;
    ULONG win32;

    if (code == 0 || (code & NT_CUSTOMER_BIT))
        return code;
    /* HRESULT_FROM_NT sets bit 28 of an error status: look past it. */
    if ((code & 0xF0000000u) == 0xD0000000u)
        code &= ~(ULONG)FACILITY_NT_BIT;
    row = dos_find(code);
    if (row)
        return row->error;
    win32 = wrapped_win32(code);
    return win32 ? win32 : ERROR_MR_MID_NOT_FOUND;
}

const char *nt_status_name(NTSTATUS status)
{
    ULONG code = (ULONG)status;
    const struct nt_status_name *row;

    row = bsearch(&code, nt_status_name_table, nt_status_name_count,
                  sizeof(nt_status_name_table[0]), status_cmp);
    return row ? row->name : NULL;
}

/*
 * The errno <-> NTSTATUS pairs. nt_status_from_errno takes the first row
 * with the errno and TO_NT set; nt_errno_from_status the first row with the
 * status and TO_ERRNO set. Where a pair is not the obvious one, why:
 *  - ENOMEM is a failed allocation, which drivers know as
 *    STATUS_INSUFFICIENT_RESOURCES (ExAllocatePool2 failing), not
 *    STATUS_NO_MEMORY (virtual memory).
 *  - EAGAIN comes from host limits (pthread_create, timers): a driver is
 *    told STATUS_INSUFFICIENT_RESOURCES, as PsCreateSystemThread does;
 *    STATUS_RETRY and STATUS_CANT_WAIT come back as EAGAIN.
 *  - ENOTEMPTY is STATUS_DIRECTORY_NOT_EMPTY, the general "container not
 *    empty"; the registry, where Windows says STATUS_CANNOT_DELETE for a key
 *    with subkeys, picks its own status. STATUS_KEY_HAS_CHILDREN comes back
 *    as ENOTEMPTY.
 *  - EIO is STATUS_IO_DEVICE_ERROR; STATUS_UNSUCCESSFUL, the generic
 *    failure, is also what an unlisted errno gives, and comes back as EIO.
 *  - ENOBUFS and E2BIG are STATUS_BUFFER_TOO_SMALL; EOVERFLOW is the
 *    warning STATUS_BUFFER_OVERFLOW (the data did not all fit).
 *  - ESTALE is STATUS_KEY_DELETED: the registry store's handle to a deleted
 *    key, the only stale handle kmhost has.
 *  - EINPROGRESS is STATUS_PENDING: not done yet, not an error either.
 *  - The end of an enumeration (STATUS_NO_MORE_ENTRIES, _FILES) comes back
 *    as ENOENT, which is how kmhost's own enumerations say it.
 */
enum { TO_NT = 1, TO_ERRNO = 2, BOTH = TO_NT | TO_ERRNO };

static const struct errno_pair {
    int err;
    NTSTATUS status;
    unsigned char dir;
} errno_pairs[] = {
    { ENOMEM, STATUS_INSUFFICIENT_RESOURCES, BOTH },
    { ENOMEM, STATUS_NO_MEMORY, TO_ERRNO },
    { ENOENT, STATUS_OBJECT_NAME_NOT_FOUND, BOTH },
    { ENOENT, STATUS_OBJECT_PATH_NOT_FOUND, TO_ERRNO },
    { ENOENT, STATUS_NO_SUCH_FILE, TO_ERRNO },
    { ENOENT, STATUS_NOT_FOUND, TO_ERRNO },
    { ENOENT, STATUS_NO_MORE_ENTRIES, TO_ERRNO },
    { ENOENT, STATUS_NO_MORE_FILES, TO_ERRNO },
    { EINVAL, STATUS_INVALID_PARAMETER, BOTH },
    { EINVAL, STATUS_INVALID_PARAMETER_MIX, TO_ERRNO },
    { EINVAL, STATUS_INVALID_INFO_CLASS, TO_ERRNO },
    { EINVAL, STATUS_INFO_LENGTH_MISMATCH, TO_ERRNO },
    { EINVAL, STATUS_OBJECT_NAME_INVALID, TO_ERRNO },
    { EINVAL, STATUS_OBJECT_PATH_SYNTAX_BAD, TO_ERRNO },
    { EEXIST, STATUS_OBJECT_NAME_COLLISION, BOTH },
    { EACCES, STATUS_ACCESS_DENIED, BOTH },
    { EPERM, STATUS_ACCESS_DENIED, TO_NT },
    { EPERM, STATUS_PRIVILEGE_NOT_HELD, TO_ERRNO },
    { ENOTEMPTY, STATUS_DIRECTORY_NOT_EMPTY, BOTH },
    { ENOTEMPTY, STATUS_KEY_HAS_CHILDREN, TO_ERRNO },
    { EBUSY, STATUS_DEVICE_BUSY, BOTH },
    { ETIMEDOUT, STATUS_IO_TIMEOUT, BOTH },
    { ETIMEDOUT, STATUS_TIMEOUT, TO_ERRNO },
    { ENOSYS, STATUS_NOT_IMPLEMENTED, BOTH },
    { ENODEV, STATUS_NO_SUCH_DEVICE, BOTH },
    { ENODEV, STATUS_DEVICE_REMOVED, TO_ERRNO },
    { ENXIO, STATUS_DEVICE_DOES_NOT_EXIST, BOTH },
    { EIO, STATUS_IO_DEVICE_ERROR, BOTH },
    { EIO, STATUS_UNSUCCESSFUL, TO_ERRNO },
    { ECANCELED, STATUS_CANCELLED, BOTH },
    { ENOBUFS, STATUS_BUFFER_TOO_SMALL, BOTH },
    { E2BIG, STATUS_BUFFER_TOO_SMALL, TO_NT },
    { EOVERFLOW, STATUS_BUFFER_OVERFLOW, BOTH },
    { ENOSPC, STATUS_DISK_FULL, BOTH },
    { EAGAIN, STATUS_INSUFFICIENT_RESOURCES, TO_NT },
    { EAGAIN, STATUS_RETRY, TO_ERRNO },
    { EAGAIN, STATUS_CANT_WAIT, TO_ERRNO },
    { ENOTSUP, STATUS_NOT_SUPPORTED, BOTH },
    { ENOTTY, STATUS_INVALID_DEVICE_REQUEST, BOTH },
    { EBADF, STATUS_INVALID_HANDLE, BOTH },
    { EPROTOTYPE, STATUS_OBJECT_TYPE_MISMATCH, BOTH },
    { EFAULT, STATUS_ACCESS_VIOLATION, BOTH },
    { ENAMETOOLONG, STATUS_NAME_TOO_LONG, BOTH },
    { ENOTDIR, STATUS_NOT_A_DIRECTORY, BOTH },
    { EISDIR, STATUS_FILE_IS_A_DIRECTORY, BOTH },
    { EMFILE, STATUS_TOO_MANY_OPENED_FILES, BOTH },
    { ENFILE, STATUS_TOO_MANY_OPENED_FILES, TO_NT },
    { EFBIG, STATUS_FILE_TOO_LARGE, BOTH },
    { EDEADLK, STATUS_POSSIBLE_DEADLOCK, BOTH },
    { EPIPE, STATUS_PIPE_BROKEN, BOTH },
    { EROFS, STATUS_MEDIA_WRITE_PROTECTED, BOTH },
    { EXDEV, STATUS_NOT_SAME_DEVICE, BOTH },
    { ERANGE, STATUS_INTEGER_OVERFLOW, BOTH },
    { EILSEQ, STATUS_NO_UNICODE_TRANSLATION, BOTH },
    { ENOEXEC, STATUS_INVALID_IMAGE_FORMAT, BOTH },
    { EPROTO, STATUS_DEVICE_PROTOCOL_ERROR, BOTH },
    { EPROTONOSUPPORT, STATUS_REVISION_MISMATCH, BOTH },
    { ENOMEDIUM, STATUS_NO_MEDIA_IN_DEVICE, BOTH },
    { ESTALE, STATUS_KEY_DELETED, BOTH },
    { ESTALE, STATUS_FILE_DELETED, TO_ERRNO },
    { EUCLEAN, STATUS_FILE_CORRUPT_ERROR, BOTH },
    { EUCLEAN, STATUS_REGISTRY_CORRUPT, TO_ERRNO },
    { EUCLEAN, STATUS_DISK_CORRUPT_ERROR, TO_ERRNO },
    { ECONNREFUSED, STATUS_CONNECTION_REFUSED, BOTH },
    { ECONNRESET, STATUS_CONNECTION_RESET, BOTH },
    { ECONNABORTED, STATUS_CONNECTION_ABORTED, BOTH },
    { EINPROGRESS, STATUS_PENDING, BOTH },
};

/*
 * nt_status_from_errno - the NTSTATUS a driver should see for an internal
 * result.
 * @negative_errno: 0 or a negative errno, as internal functions return.
 *
 * Any thread. Returns STATUS_SUCCESS for 0, the paired status (table above),
 * or STATUS_UNSUCCESSFUL for an errno with no NT counterpart.
 */
NTSTATUS nt_status_from_errno(int negative_errno)
{
    assert(negative_errno <= 0);
    if (negative_errno == 0)
        return STATUS_SUCCESS;
    for (size_t i = 0; i < KMH_ARRAY_SIZE(errno_pairs); i++) {
        if ((errno_pairs[i].dir & TO_NT) && -errno_pairs[i].err == negative_errno)
            return errno_pairs[i].status;
    }
    return STATUS_UNSUCCESSFUL;
}

/* STATUS_INVALID_PARAMETER_1 .. _12 all say "this argument is wrong". */
static bool is_invalid_parameter_n(NTSTATUS status)
{
    ULONG code = (ULONG)status;

    return code >= (ULONG)STATUS_INVALID_PARAMETER_1 && code <= (ULONG)STATUS_INVALID_PARAMETER_12;
}

/*
 * nt_errno_from_status - the internal result for a status a driver gave.
 * @status: any NTSTATUS.
 *
 * Any thread. Returns 0 for success and informational codes, except
 * STATUS_PENDING (-EINPROGRESS) and STATUS_TIMEOUT (-ETIMEDOUT), which say
 * the work is not done; the paired negative errno (table above); or -EIO for
 * any other warning or error.
 */
int nt_errno_from_status(NTSTATUS status)
{
    if (status == STATUS_SUCCESS)
        return 0;
    for (size_t i = 0; i < KMH_ARRAY_SIZE(errno_pairs); i++) {
        if ((errno_pairs[i].dir & TO_ERRNO) && errno_pairs[i].status == status)
            return -errno_pairs[i].err;
    }
    if (NT_SUCCESS(status))
        return 0;
    if (is_invalid_parameter_n(status))
        return -EINVAL;
    return -EIO;
}
