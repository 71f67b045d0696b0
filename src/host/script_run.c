/*
 * Running an I/O script against this process's device tree and writing the
 * transcript: every step's status and bytes, the data that came back, and
 * the order in which asynchronous requests completed. Nothing in the
 * transcript depends on which driver served the device (no paths, no
 * addresses), so a WDM driver and its KMDF port can be compared line by
 * line.
 */
#include "host/script.h"
#include "io/io.h"
#include "pnp/pnp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HANDLES 16
#define MAX_ASYNC 64
#define SHOWN_BYTES 64
#define WAIT_TIMEOUT_MS 5000

struct run;

struct async_request {
    char name[SCRIPT_NAME_MAX];
    struct run *run;
    KEVENT done;
    NTSTATUS status;
    ULONG_PTR information;
    unsigned char *buffer;
    size_t size;
    long order;                      /* 1 for the first to complete, ... */
    bool used;
};

struct run {
    HANDLE handles[MAX_HANDLES + 1];
    char instances[MAX_HANDLES + 1][256];
    struct async_request async[MAX_ASYNC];
    volatile LONG completions;
    struct script_text *out;
};

static void show_status(struct script_text *out, NTSTATUS status)
{
    const char *name = nt_status_name(status);
    if (name)
        script_printf(out, "%s", name);
    else
        script_printf(out, "0x%08x", (unsigned)status);
}

static void show_result(struct script_text *out, NTSTATUS status, ULONG_PTR information, const unsigned char *data,
                        size_t size)
{
    script_printf(out, " -> ");
    show_status(out, status);
    script_printf(out, " info=%lu", (unsigned long)information);
    size_t shown = information < size ? information : size;
    if (data && !NT_ERROR(status) && shown) {
        script_printf(out, " data=");
        for (size_t i = 0; i < shown && i < SHOWN_BYTES; i++)
            script_printf(out, "%02x", data[i]);
        if (shown > SHOWN_BYTES)
            script_printf(out, "...");
    }
    script_printf(out, "\n");
}

struct first_link {
    WCHAR *path;
};

static void take_first(const UNICODE_STRING *link, void *ctx)
{
    struct first_link *first = ctx;
    if (first->path)
        return;
    first->path = calloc(link->Length / sizeof(WCHAR) + 1, sizeof(WCHAR));
    if (first->path)
        memcpy(first->path, link->Buffer, link->Length);
}

static int parse_guid(const char *text, GUID *guid)
{
    unsigned d[11];
    if (sscanf(text, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6],
               &d[7], &d[8], &d[9], &d[10]) != 11)
        return -EINVAL;
    guid->Data1 = d[0];
    guid->Data2 = (unsigned short)d[1];
    guid->Data3 = (unsigned short)d[2];
    for (int i = 0; i < 8; i++)
        guid->Data4[i] = (unsigned char)d[3 + i];
    return 0;
}

/* \\.\X and \\?\X are \??\X; {guid} is the first present interface of
 * that class, as a program would find it with SetupDi. */
static int resolve_target(const char *target, WCHAR **path)
{
    GUID guid;
    if (target[0] == '{') {
        struct first_link first = { NULL };
        if (parse_guid(target, &guid))
            return -EINVAL;
        pnp_for_each_interface(&guid, take_first, &first);
        *path = first.path;
        return first.path ? 0 : -ENOENT;
    }
    size_t n = strlen(target), skip = 0, o = 0;
    bool win32 = n >= 4 && target[0] == '\\' && target[1] == '\\' && (target[2] == '.' || target[2] == '?') &&
                 target[3] == '\\';
    if (win32)
        skip = 4;
    if (!(*path = malloc((n + 8) * sizeof(WCHAR))))
        return -ENOMEM;
    if (win32)
        for (const char *p = "\\??\\"; *p; p++)
            (*path)[o++] = (WCHAR)*p;
    for (size_t i = skip; i < n; i++)
        (*path)[o++] = (WCHAR)(unsigned char)target[i];
    (*path)[o] = 0;
    return 0;
}

static void async_complete(void *ctx, NTSTATUS status, ULONG_PTR information)
{
    struct async_request *a = ctx;
    a->status = status;
    a->information = information;
    a->order = InterlockedIncrement(&a->run->completions);
    KeSetEvent(&a->done, IO_NO_INCREMENT, FALSE);
}

static int step_open(struct run *run, const struct script_step *step, int index)
{
    struct io_open_params params = {
        .desired_access = GENERIC_READ | GENERIC_WRITE,
        .share_access = FILE_SHARE_READ | FILE_SHARE_WRITE,
        .disposition = FILE_OPEN,
        .options = step->overlapped ? FILE_NON_DIRECTORY_FILE
                                    : FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
        .mode = UserMode,
    };
    WCHAR *path = NULL;
    UNICODE_STRING name;
    PFILE_OBJECT file = NULL;
    NTSTATUS status = STATUS_OBJECT_NAME_NOT_FOUND;

    if (index > MAX_HANDLES)
        return -E2BIG;
    if (resolve_target(step->target, &path) == 0) {
        RtlInitUnicodeString(&name, path);
        status = io_open_file(&name, &params, &file);
    }
    free(path);
    script_printf(run->out, "open h%d %s%s -> ", index, step->target, step->overlapped ? " overlapped" : "");
    show_status(run->out, status);
    script_printf(run->out, "\n");
    if (NT_SUCCESS(status)) {
        pnp_instance_of_device(file->DeviceObject, run->instances[index], sizeof(run->instances[index]));
        nt_handle_new(file, params.desired_access, &run->handles[index]);
        ObfDereferenceObject(file);
    }
    return 0;
}

static struct async_request *async_slot(struct run *run, const char *name)
{
    for (int i = 0; i < MAX_ASYNC; i++)
        if (run->async[i].used && strcmp(run->async[i].name, name) == 0)
            return &run->async[i];
    for (int i = 0; i < MAX_ASYNC; i++)
        if (!run->async[i].used) {
            struct async_request *a = &run->async[i];
            memset(a, 0, sizeof(*a));
            a->used = true;
            a->run = run;
            snprintf(a->name, sizeof(a->name), "%s", name);
            KeInitializeEvent(&a->done, NotificationEvent, FALSE);
            return a;
        }
    return NULL;
}

static void request_describe(struct script_text *out, const struct script_step *step)
{
    static const char *const verbs[] = { [SCRIPT_IOCTL] = "ioctl", [SCRIPT_READ] = "read", [SCRIPT_WRITE] = "write" };
    script_printf(out, "%s h%d", verbs[step->op], step->handle);
    if (step->op == SCRIPT_IOCTL)
        script_printf(out, " 0x%08x in=%zu out=%zu", step->code, step->data_size, step->out_size);
    else
        script_printf(out, " %zu", step->op == SCRIPT_READ ? step->out_size : step->data_size);
    if (step->async[0])
        script_printf(out, " async %s", step->async);
}

static int step_request(struct run *run, const struct script_step *step)
{
    PFILE_OBJECT file;
    size_t size = step->op == SCRIPT_WRITE ? step->data_size : step->out_size;
    unsigned char *buffer = calloc(1, size + 1);
    struct io_request request = {
        .major = step->op == SCRIPT_IOCTL ? IRP_MJ_DEVICE_CONTROL : step->op == SCRIPT_READ ? IRP_MJ_READ : IRP_MJ_WRITE,
        .code = step->code, .in = step->data, .in_length = (ULONG)step->data_size,
        .out = buffer, .out_length = (ULONG)size, .mode = UserMode,
        .offset = { .QuadPart = (LONGLONG)FILE_USE_FILE_POINTER_POSITION },
    };
    struct async_request *a = NULL;
    ULONG_PTR information = 0;

    if (!buffer)
        return -ENOMEM;
    if (step->op == SCRIPT_WRITE)
        memcpy(buffer, step->data, size);
    if (step->handle > MAX_HANDLES) {
        free(buffer);
        return -EBADF;
    }
    /* A handle whose open failed (or that was closed) is part of what the
     * transcript compares, not an error of the script. */
    if (nt_handle_ref(run->handles[step->handle], &nt_file_type, (void **)&file, NULL)) {
        free(buffer);
        request_describe(run->out, step);
        script_printf(run->out, " -> handle not open\n");
        return 0;
    }
    if (step->async[0] && !(a = async_slot(run, step->async))) {
        ObfDereferenceObject(file);
        free(buffer);
        return -E2BIG;
    }
    if (a) {
        a->buffer = buffer;
        a->size = size;
        request.on_complete = async_complete;
        request.ctx = a;
    }
    NTSTATUS status = io_send_request(file, &request, &information);
    ObfDereferenceObject(file);
    request_describe(run->out, step);
    if (status == STATUS_PENDING) {
        script_printf(run->out, " -> STATUS_PENDING\n");
        return 0;
    }
    if (a) /* completed without pending: nothing will call back */
        a->used = false;
    show_result(run->out, status, information, step->op == SCRIPT_WRITE ? NULL : buffer, size);
    free(buffer);
    return 0;
}

static int step_wait(struct run *run, const struct script_step *step)
{
    struct async_request *a = NULL;
    LARGE_INTEGER timeout = { .QuadPart = -10000LL * WAIT_TIMEOUT_MS };

    for (int i = 0; i < MAX_ASYNC; i++)
        if (run->async[i].used && strcmp(run->async[i].name, step->async) == 0)
            a = &run->async[i];
    script_printf(run->out, "wait %s", step->async);
    if (!a) {
        script_printf(run->out, " -> no such pending request\n");
        return 0;
    }
    if (KeWaitForSingleObject(&a->done, Executive, KernelMode, FALSE, &timeout) == STATUS_TIMEOUT) {
        script_printf(run->out, " -> still pending after %d ms\n", WAIT_TIMEOUT_MS);
        return 0;
    }
    script_printf(run->out, " (completion #%ld)", a->order);
    show_result(run->out, a->status, a->information, a->buffer, a->size);
    free(a->buffer);
    a->used = false;
    return 0;
}

static int step_handle_op(struct run *run, const struct script_step *step)
{
    char message[PNP_MESSAGE_MAX] = "";
    PFILE_OBJECT file;
    int err = 0;

    if (step->handle > MAX_HANDLES)
        return -EBADF;
    switch (step->op) {
    case SCRIPT_CANCEL:
        script_printf(run->out, "cancel h%d\n", step->handle);
        if (nt_handle_ref(run->handles[step->handle], &nt_file_type, (void **)&file, NULL) == 0) {
            io_cancel_file_requests(file, true);
            ObfDereferenceObject(file);
        }
        return 0;
    case SCRIPT_CLOSE:
        script_printf(run->out, "close h%d -> %s\n", step->handle,
                      nt_handle_close(run->handles[step->handle]) ? "not open" : "closed");
        run->handles[step->handle] = NULL;
        return 0;
    default:
        err = step->op == SCRIPT_REMOVE ? pnp_device_remove(run->instances[step->handle], message, sizeof(message))
                                        : pnp_device_surprise_remove(run->instances[step->handle], message,
                                                                     sizeof(message));
        script_printf(run->out, "%s h%d -> %s\n", step->op == SCRIPT_REMOVE ? "remove" : "surprise-remove",
                      step->handle, err ? "refused" : "removed");
        return 0;
    }
}

int script_execute(const struct script *script, struct script_text *transcript, char *message, size_t size)
{
    struct run *run = calloc(1, sizeof(*run));
    int opened = 0, err = 0;

    if (!run)
        return -ENOMEM;
    run->out = transcript;
    for (size_t i = 0; i < script->count && !err; i++) {
        const struct script_step *step = &script->steps[i];
        if (step->op == SCRIPT_OPEN)
            err = step_open(run, step, ++opened);
        else if (step->op == SCRIPT_IOCTL || step->op == SCRIPT_READ || step->op == SCRIPT_WRITE)
            err = step_request(run, step);
        else if (step->op == SCRIPT_WAIT)
            err = step_wait(run, step);
        else
            err = step_handle_op(run, step);
        if (err)
            snprintf(message, size, "line %u: %s", step->line,
                     err == -EBADF ? "no such open handle" : "too many handles or requests");
    }
    for (int h = 1; h <= MAX_HANDLES; h++)
        if (run->handles[h])
            nt_handle_close(run->handles[h]);
    /* Requests still pending were cancelled by cleanup; collect them. */
    for (int i = 0; i < MAX_ASYNC; i++)
        if (run->async[i].used) {
            LARGE_INTEGER timeout = { .QuadPart = -10000LL * WAIT_TIMEOUT_MS };
            KeWaitForSingleObject(&run->async[i].done, Executive, KernelMode, FALSE, &timeout);
            free(run->async[i].buffer);
        }
    free(run);
    return err;
}
