/*
 * CreateFile. "\\.\Name" opens the device the symbolic link \??\Name
 * names; "\\?\..." (what SetupDiGetDeviceInterfaceDetail returns) opens
 * \??\...; both send IRP_MJ_CREATE down the device's stack through the
 * I/O manager, and the referenced file object it returns becomes the
 * handle. Every other path is a file of the Linux host (hostfile.c).
 */
#include "client/client.h"

#include <stdlib.h>

/* CreateFile's dispositions, in order, as the create IRP's. */
static const ULONG dispositions[] = { 0, FILE_CREATE, FILE_OVERWRITE_IF, FILE_OPEN, FILE_OPEN_IF, FILE_OVERWRITE };

static bool is_sep(WCHAR c)
{
    return c == '\\' || c == '/';
}

/* The part after "\\.\" or "\\?\" when the path names an object of the
 * NT namespace, or NULL for a host path ("\\?\C:\x" is a long file path). */
static const WCHAR *device_part(const WCHAR *path)
{
    if (!is_sep(path[0]) || !is_sep(path[1]) || (path[2] != '.' && path[2] != '?') || !is_sep(path[3]))
        return NULL;
    const WCHAR *rest = path + 4;
    if (path[2] == '?' && rest[0] && rest[1] == ':')
        return NULL;
    return rest;
}

static ACCESS_MASK map_access(DWORD access)
{
    ACCESS_MASK mapped = access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);

    if (access & GENERIC_READ)
        mapped |= FILE_GENERIC_READ;
    if (access & GENERIC_WRITE)
        mapped |= FILE_GENERIC_WRITE;
    if (access & GENERIC_EXECUTE)
        mapped |= FILE_GENERIC_EXECUTE;
    if (access & GENERIC_ALL)
        mapped |= FILE_ALL_ACCESS;
    return mapped | SYNCHRONIZE | FILE_READ_ATTRIBUTES; /* as CreateFile asks */
}

static ULONG create_options(DWORD flags)
{
    ULONG options = FILE_NON_DIRECTORY_FILE;

    if (!(flags & FILE_FLAG_OVERLAPPED))
        options |= FILE_SYNCHRONOUS_IO_NONALERT;
    if (flags & FILE_FLAG_WRITE_THROUGH)
        options |= FILE_WRITE_THROUGH;
    if (flags & FILE_FLAG_NO_BUFFERING)
        options |= FILE_NO_INTERMEDIATE_BUFFERING;
    if (flags & FILE_FLAG_RANDOM_ACCESS)
        options |= FILE_RANDOM_ACCESS;
    if (flags & FILE_FLAG_SEQUENTIAL_SCAN)
        options |= FILE_SEQUENTIAL_ONLY;
    if (flags & FILE_FLAG_DELETE_ON_CLOSE)
        options |= FILE_DELETE_ON_CLOSE;
    if (flags & FILE_FLAG_BACKUP_SEMANTICS)
        options |= FILE_OPEN_FOR_BACKUP_INTENT;
    if (flags & FILE_FLAG_OPEN_REPARSE_POINT)
        options |= FILE_OPEN_REPARSE_POINT;
    return options;
}

static HANDLE open_device(const WCHAR *rest, DWORD access, DWORD share, DWORD disposition, DWORD flags)
{
    size_t len = client_wcslen(rest);
    PFILE_OBJECT file;
    HANDLE handle;

    if ((len + 4) * sizeof(WCHAR) > UNICODE_STRING_MAX_BYTES)
        return client_fail(ERROR_FILENAME_EXCED_RANGE), INVALID_HANDLE_VALUE;
    WCHAR *nt_path = malloc((len + 5) * sizeof(WCHAR));
    if (!nt_path)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    memcpy(nt_path, L"\\??\\", 4 * sizeof(WCHAR));
    memcpy(nt_path + 4, rest, (len + 1) * sizeof(WCHAR));
    UNICODE_STRING path = { (USHORT)((len + 4) * sizeof(WCHAR)), (USHORT)((len + 5) * sizeof(WCHAR)), nt_path };
    struct io_open_params params = {
        .desired_access = map_access(access), .share_access = share & FILE_SHARE_VALID_FLAGS,
        .disposition = dispositions[disposition], .options = create_options(flags),
        .attributes = flags & FILE_ATTRIBUTE_VALID_FLAGS, .mode = UserMode,
    };
    NTSTATUS status = io_open_file(&path, &params, &file);
    free(nt_path);
    if (!NT_SUCCESS(status))
        return client_fail_status(status), INVALID_HANDLE_VALUE;
    DWORD error = client_handle_new(file, params.desired_access, CLIENT_HANDLE_FILE, &handle);
    nt_object_unref(file); /* the handle holds the file now */
    if (error)
        return client_fail(error), INVALID_HANDLE_VALUE;
    SetLastError(0);
    return handle;
}

/* Opens a device ("\\.\Name", "\\?\<interface path>") or a host file.
 * FILE_FLAG_OVERLAPPED makes the handle's I/O asynchronous. Returns the
 * handle, or INVALID_HANDLE_VALUE with ERROR_FILE_NOT_FOUND (no such
 * device or file), ERROR_PATH_NOT_FOUND, ERROR_INVALID_PARAMETER (a bad
 * disposition), ERROR_DEVICE_NOT_AVAILABLE (the device tree did not
 * start), or the driver's IRP_MJ_CREATE status as a Win32 error
 * (ERROR_ACCESS_DENIED for a second open of an exclusive device...). */
KMH_EXPORT HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                     DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    (void)lpSecurityAttributes, (void)hTemplateFile;
    if (!lpFileName || !*lpFileName)
        return client_fail(lpFileName ? ERROR_PATH_NOT_FOUND : ERROR_INVALID_PARAMETER), INVALID_HANDLE_VALUE;
    if (dwCreationDisposition < CREATE_NEW || dwCreationDisposition > TRUNCATE_EXISTING)
        return client_fail(ERROR_INVALID_PARAMETER), INVALID_HANDLE_VALUE;
    const WCHAR *rest = device_part(lpFileName);
    if (rest) {
        if (client_runtime_ensure())
            return INVALID_HANDLE_VALUE;
        return open_device(rest, dwDesiredAccess, dwShareMode, dwCreationDisposition, dwFlagsAndAttributes);
    }
    bool oom = false;
    char *path = client_utf8_from_wide(lpFileName, &oom);
    if (!path)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    HANDLE handle = client_host_file_open(path, dwDesiredAccess, dwCreationDisposition, dwFlagsAndAttributes);
    free(path);
    return handle;
}

/* CreateFileW with a UTF-8 path. */
KMH_EXPORT HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                     DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    bool oom = false;
    WCHAR *name = client_wide_from_utf8(lpFileName, &oom);

    if (oom)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    HANDLE handle = CreateFileW(name, dwDesiredAccess, dwShareMode, lpSecurityAttributes, dwCreationDisposition,
                                dwFlagsAndAttributes, hTemplateFile);
    DWORD error = GetLastError();
    free(name);
    SetLastError(error);
    return handle;
}
