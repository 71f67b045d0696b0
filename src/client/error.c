/*
 * The last error: one per thread, as Win32 keeps it in the TEB, and the
 * conversions every client function fails through.
 */
#include "client/client.h"

static __thread DWORD last_error;

/* Returns the calling thread's last error. Any thread. */
KMH_EXPORT DWORD WINAPI GetLastError(VOID)
{
    return last_error;
}

/* Sets the calling thread's last error. Any thread. */
KMH_EXPORT VOID WINAPI SetLastError(DWORD dwErrCode)
{
    last_error = dwErrCode;
}

BOOL client_fail(DWORD error)
{
    last_error = error;
    return FALSE;
}

BOOL client_fail_status(NTSTATUS status)
{
    last_error = RtlNtStatusToDosError(status);
    return FALSE;
}

DWORD client_error_from_errno(int negative_errno)
{
    switch (negative_errno) {
    case 0:
        return ERROR_SUCCESS;
    case -ENOMEM:
        return ERROR_NOT_ENOUGH_MEMORY;
    case -ENOENT:
        return ERROR_FILE_NOT_FOUND;
    case -EBADF:
    case -EPROTOTYPE:
        return ERROR_INVALID_HANDLE;
    case -EMFILE:
        return ERROR_TOO_MANY_OPEN_FILES;
    case -EACCES:
    case -EPERM:
        return ERROR_ACCESS_DENIED;
    case -EEXIST:
        return ERROR_ALREADY_EXISTS;
    case -EINVAL:
        return ERROR_INVALID_PARAMETER;
    case -EBUSY:
        return ERROR_BUSY;
    default:
        return RtlNtStatusToDosError(nt_status_from_errno(negative_errno));
    }
}
