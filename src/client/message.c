/*
 * FormatMessage for FORMAT_MESSAGE_FROM_SYSTEM: the text of the errors a
 * driver's test program meets, worded as Windows words them, each ending
 * in "\r\n" as Windows' do. Inserts are not expanded (every text here is
 * without them); FROM_STRING and FROM_HMODULE are not supported.
 */
#include "client/client.h"

#include <stdlib.h>

static const struct {
    DWORD code;
    const char *text;
} messages[] = {
    { ERROR_SUCCESS, "The operation completed successfully." },
    { ERROR_INVALID_FUNCTION, "Incorrect function." },
    { ERROR_FILE_NOT_FOUND, "The system cannot find the file specified." },
    { ERROR_PATH_NOT_FOUND, "The system cannot find the path specified." },
    { ERROR_TOO_MANY_OPEN_FILES, "The system cannot open the file." },
    { ERROR_ACCESS_DENIED, "Access is denied." },
    { ERROR_INVALID_HANDLE, "The handle is invalid." },
    { ERROR_NOT_ENOUGH_MEMORY, "Not enough memory resources are available to process this command." },
    { ERROR_INVALID_DATA, "The data is invalid." },
    { ERROR_OUTOFMEMORY, "Not enough memory resources are available to complete this operation." },
    { ERROR_NOT_READY, "The device is not ready." },
    { ERROR_GEN_FAILURE, "A device attached to the system is not functioning." },
    { ERROR_SHARING_VIOLATION, "The process cannot access the file because it is being used by another process." },
    { ERROR_HANDLE_EOF, "Reached the end of the file." },
    { ERROR_NOT_SUPPORTED, "The request is not supported." },
    { ERROR_FILE_EXISTS, "The file exists." },
    { ERROR_INVALID_PARAMETER, "The parameter is incorrect." },
    { ERROR_INSUFFICIENT_BUFFER, "The data area passed to a system call is too small." },
    { ERROR_INVALID_NAME, "The filename, directory name, or volume label syntax is incorrect." },
    { ERROR_ALREADY_EXISTS, "Cannot create a file when that file already exists." },
    { ERROR_MORE_DATA, "More data is available." },
    { ERROR_NO_MORE_ITEMS, "No more data is available." },
    { ERROR_OPERATION_ABORTED, "The I/O operation has been aborted because of either a thread exit or an application request." },
    { ERROR_IO_INCOMPLETE, "Overlapped I/O event is not in a signaled state." },
    { ERROR_IO_PENDING, "Overlapped I/O operation is in progress." },
    { ERROR_INVALID_SERVICE_CONTROL, "The requested control is not valid for this service." },
    { ERROR_SERVICE_ALREADY_RUNNING, "An instance of the service is already running." },
    { ERROR_SERVICE_DISABLED, "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it." },
    { ERROR_SERVICE_DOES_NOT_EXIST, "The specified service does not exist as an installed service." },
    { ERROR_SERVICE_NOT_ACTIVE, "The service has not been started." },
    { ERROR_SERVICE_MARKED_FOR_DELETE, "The specified service has been marked for deletion." },
    { ERROR_SERVICE_EXISTS, "The specified service already exists." },
    { ERROR_NOT_FOUND, "Element not found." },
    { ERROR_INVALID_USER_BUFFER, "The supplied user buffer is not valid for the requested operation." },
    { ERROR_DEVICE_NOT_AVAILABLE, "The device is not ready for use." },
    { WAIT_TIMEOUT, "The wait operation timed out." },
};

static const char *message_text(DWORD code)
{
    for (size_t i = 0; i < KMH_ARRAY_SIZE(messages); i++)
        if (messages[i].code == code)
            return messages[i].text;
    return NULL;
}

/* The text (with "\r\n") as UTF-8 in a malloc'd string, or NULL with the
 * last error set. */
static char *system_message(DWORD flags, LPCVOID source, DWORD id)
{
    (void)source;
    if (!(flags & FORMAT_MESSAGE_FROM_SYSTEM) || (flags & (FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_HMODULE))) {
        client_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    const char *text = message_text(id);
    if (!text) {
        client_fail(ERROR_MR_MID_NOT_FOUND);
        return NULL;
    }
    size_t len = strlen(text);
    char *out = malloc(len + 3);
    if (!out) {
        client_fail(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    memcpy(out, text, len);
    memcpy(out + len, (flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) ? "" : "\r\n", 3);
    return out;
}

/* Places count units of text (terminator included) as FormatMessage's
 * caller asked: into buffer, or a LocalAlloc'd one stored at *buffer. */
static DWORD place(DWORD flags, const void *text, size_t count, size_t unit, void *buffer, DWORD size)
{
    void *dest = buffer;

    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        if (!(dest = LocalAlloc(LMEM_FIXED, (count > size ? count : size) * unit)))
            return 0;
        *(void **)buffer = dest;
    } else if (!buffer || count > size) {
        return client_fail(ERROR_INSUFFICIENT_BUFFER), 0;
    }
    memcpy(dest, text, count * unit);
    SetLastError(0);
    return (DWORD)(count - 1);
}

/* FORMAT_MESSAGE_FROM_SYSTEM: the text of Win32 error dwMessageId.
 * Returns its length in characters (terminator excluded); 0 with
 * ERROR_MR_MID_NOT_FOUND for a code without text here,
 * ERROR_INSUFFICIENT_BUFFER, or ERROR_INVALID_PARAMETER for other
 * sources. */
KMH_EXPORT DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                       LPSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    (void)dwLanguageId, (void)Arguments;
    char *text = system_message(dwFlags, lpSource, dwMessageId);
    if (!text)
        return 0;
    DWORD n = place(dwFlags, text, strlen(text) + 1, 1, lpBuffer, nSize);
    free(text);
    return n;
}

/* FormatMessageA in UTF-16. */
KMH_EXPORT DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                       LPWSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    bool oom = false;

    (void)dwLanguageId, (void)Arguments;
    char *text = system_message(dwFlags, lpSource, dwMessageId);
    if (!text)
        return 0;
    WCHAR *wide = client_wide_from_utf8(text, &oom);
    free(text);
    if (!wide)
        return client_fail(ERROR_NOT_ENOUGH_MEMORY), 0;
    DWORD n = place(dwFlags, wide, client_wcslen(wide) + 1, sizeof(WCHAR), lpBuffer, nSize);
    free(wide);
    return n;
}
