/*
 * kmh_open/kmh_ioctl/kmh_read/kmh_write: synchronous requests to a device
 * of this process's tree, for the kmhost command and tests that do not want
 * the Win32 layer.
 */
#include "internal.h"
#include "kmhost.h"
#include "io/io.h"

#include <stdlib.h>
#include <string.h>

/* The file is held by a handle, as a program's CreateFile holds it, so
 * closing sends IRP_MJ_CLEANUP and then IRP_MJ_CLOSE in the usual way. */
struct kmh_file {
    HANDLE handle;
    PFILE_OBJECT file;          /* borrowed: the handle keeps it */
};

/* \\.\X and \\?\X are the Win32 spellings of \??\X. */
static WCHAR *nt_path_from(const char *path)
{
    size_t n = strlen(path), skip = 0;
    const char *prefix = "";
    if (strncmp(path, "\\\\.\\", 4) == 0 || strncmp(path, "\\\\?\\", 4) == 0) {
        prefix = "\\??\\";
        skip = 4;
    }
    size_t total = strlen(prefix) + n - skip;
    WCHAR *wide = malloc((total + 1) * sizeof(WCHAR));
    if (!wide)
        return NULL;
    size_t o = 0;
    for (const char *p = prefix; *p; p++)
        wide[o++] = (WCHAR)*p;
    for (size_t i = skip; i < n; i++)
        wide[o++] = (WCHAR)(unsigned char)path[i];
    wide[o] = 0;
    return wide;
}

KMH_EXPORT int kmh_open(const char *path, struct kmh_file **out, unsigned *status)
{
    struct io_open_params params = {
        .desired_access = GENERIC_READ | GENERIC_WRITE,
        .share_access = FILE_SHARE_READ | FILE_SHARE_WRITE,
        .disposition = FILE_OPEN,
        .options = FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
        .mode = UserMode,
    };
    UNICODE_STRING name;
    WCHAR *wide = nt_path_from(path);
    struct kmh_file *file = calloc(1, sizeof(*file));

    *out = NULL;
    if (!wide || !file) {
        free(wide);
        free(file);
        return -ENOMEM;
    }
    RtlInitUnicodeString(&name, wide);
    NTSTATUS st = io_open_file(&name, &params, &file->file);
    free(wide);
    if (status)
        *status = (unsigned)st;
    if (!NT_SUCCESS(st)) {
        free(file);
        return st == STATUS_OBJECT_NAME_NOT_FOUND ? -ENOENT : -EIO;
    }
    int err = nt_handle_new(file->file, params.desired_access, &file->handle);
    ObfDereferenceObject(file->file);
    if (err) {
        free(file);
        return err;
    }
    *out = file;
    return 0;
}

KMH_EXPORT void kmh_close(struct kmh_file *file)
{
    if (!file)
        return;
    nt_handle_close(file->handle);
    free(file);
}

static int send(struct kmh_file *file, struct io_request *request, size_t *transferred, unsigned *status)
{
    ULONG_PTR information = 0;
    NTSTATUS st = io_send_request(file->file, request, &information);
    if (transferred)
        *transferred = information;
    if (status)
        *status = (unsigned)st;
    return 0;
}

KMH_EXPORT int kmh_ioctl(struct kmh_file *file, unsigned code, const void *in, size_t in_size, void *out,
                         size_t out_size, size_t *transferred, unsigned *status)
{
    struct io_request request = {
        .major = IRP_MJ_DEVICE_CONTROL, .code = code, .in = (void *)in, .in_length = (ULONG)in_size,
        .out = out, .out_length = (ULONG)out_size, .mode = UserMode,
    };
    return send(file, &request, transferred, status);
}

KMH_EXPORT int kmh_read(struct kmh_file *file, void *buffer, size_t size, size_t *transferred, unsigned *status)
{
    struct io_request request = {
        .major = IRP_MJ_READ, .out = buffer, .out_length = (ULONG)size, .mode = UserMode,
        .offset = { .QuadPart = (LONGLONG)FILE_USE_FILE_POINTER_POSITION },
    };
    return send(file, &request, transferred, status);
}

KMH_EXPORT int kmh_write(struct kmh_file *file, const void *buffer, size_t size, size_t *transferred,
                         unsigned *status)
{
    struct io_request request = {
        .major = IRP_MJ_WRITE, .out = (void *)buffer, .out_length = (ULONG)size, .mode = UserMode,
        .offset = { .QuadPart = (LONGLONG)FILE_USE_FILE_POINTER_POSITION },
    };
    return send(file, &request, transferred, status);
}
