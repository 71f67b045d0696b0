/*
 * Host files: CreateFile on a path that names no device opens a file of
 * the Linux host, so that a test program that checks its driver file is
 * there (the samples' SetupDriverName opens "<dir>\\<name>.sys") or reads
 * a data file works. Backslashes become slashes, so "<cwd>\\x.sys" built
 * from GetCurrentDirectory names the file. Reads and writes are synchronous (an OVERLAPPED gives the offset and is
 * completed before the call returns).
 */
#include "client/client.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct host_file {
    int fd;
};

static void host_file_delete(void *body)
{
    struct host_file *f = body;
    if (f->fd >= 0)
        close(f->fd);
}

nt_object_type client_host_file_type = { .name = "HostFile", .pool_tag = 'lFtH', .delete_body = host_file_delete };

static int open_flags(DWORD access, DWORD disposition)
{
    bool r = access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA);
    bool w = access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA);
    int flags = O_CLOEXEC | (r && w ? O_RDWR : w ? O_WRONLY : O_RDONLY);

    switch (disposition) {
    case CREATE_NEW:
        return flags | O_CREAT | O_EXCL;
    case CREATE_ALWAYS:
        return flags | O_CREAT | O_TRUNC;
    case OPEN_ALWAYS:
        return flags | O_CREAT;
    case TRUNCATE_EXISTING:
        return flags | O_TRUNC;
    default:
        return flags;
    }
}

/* ENOENT means ERROR_PATH_NOT_FOUND when the directory is missing too. */
static DWORD open_error(int err, const char *path)
{
    if (err == ENOENT || err == ENOTDIR) {
        char *dir = strdup(path);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        struct stat st;
        bool dir_ok = !slash || slash == dir || (*slash = 0, stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
        free(dir);
        return dir_ok && err == ENOENT ? ERROR_FILE_NOT_FOUND : ERROR_PATH_NOT_FOUND;
    }
    if (err == EEXIST)
        return ERROR_FILE_EXISTS;
    if (err == EACCES || err == EPERM || err == EISDIR || err == EROFS)
        return ERROR_ACCESS_DENIED;
    return client_error_from_errno(-err);
}

static int open_path(const char *path, DWORD access, DWORD disposition, bool *existed)
{
    struct stat st;
    *existed = stat(path, &st) == 0;
    return open(path, open_flags(access, disposition), 0666);
}

HANDLE client_host_file_open(const char *path, DWORD access, DWORD disposition, DWORD flags)
{
    char *host = strdup(path);
    bool existed;
    HANDLE handle;

    (void)flags;
    if (!host)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    for (char *p = host; *p; p++)
        if (*p == '\\')
            *p = '/';
    int fd = open_path(host, access, disposition, &existed);
    DWORD error = fd < 0 ? open_error(errno, host) : 0;
    free(host);
    if (error)
        return client_fail(error), INVALID_HANDLE_VALUE;
    struct host_file *f = nt_object_new(&client_host_file_type, sizeof(*f));
    if (!f) {
        close(fd);
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    }
    f->fd = fd;
    error = client_handle_new(f, access, CLIENT_HANDLE_OTHER, &handle);
    nt_object_unref(f);
    if (error)
        return client_fail(error), INVALID_HANDLE_VALUE;
    /* CREATE_ALWAYS and OPEN_ALWAYS say whether the file was there. */
    SetLastError(existed && (disposition == CREATE_ALWAYS || disposition == OPEN_ALWAYS) ? ERROR_ALREADY_EXISTS : 0);
    return handle;
}

BOOL client_host_file_transfer(void *body, bool writing, void *buffer, DWORD length, DWORD *done, OVERLAPPED *ov)
{
    struct host_file *f = body;
    off_t offset = ov ? (off_t)(((ULONGLONG)ov->OffsetHigh << 32) | ov->Offset) : -1;
    ssize_t n;

    if (!buffer && writing && !length)
        return fsync(f->fd) == 0 ? TRUE : client_fail(client_error_from_errno(-errno));
    if (offset >= 0)
        n = writing ? pwrite(f->fd, buffer, length, offset) : pread(f->fd, buffer, length, offset);
    else
        n = writing ? write(f->fd, buffer, length) : read(f->fd, buffer, length);
    if (n < 0)
        return client_fail(client_error_from_errno(-errno));
    if (done)
        *done = (DWORD)n;
    if (ov) {
        ov->InternalHigh = (ULONG_PTR)n;
        ov->Internal = STATUS_SUCCESS;
        if (ov->hEvent)
            SetEvent((HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1));
    }
    return TRUE;
}
