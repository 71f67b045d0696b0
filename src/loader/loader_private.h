/*
 * Shared by the files of src/loader only.
 */
#ifndef KMHOST_LOADER_PRIVATE_H
#define KMHOST_LOADER_PRIVATE_H

#include "loader/loader.h"

/* A mapped driver file. */
struct ldr_image {
    LIST_ENTRY link;
    char *service;
    char *path;
    void *handle;                    /* dlopen */
    const char *lo, *hi;             /* the mapped range, for leak attribution */
    PDRIVER_INITIALIZE entry;
    bool kmdf;                       /* entered through FxDriverEntry */
    bool unload_pending;             /* a PnP driver lost its last device */
    struct io_driver *driver;
    WCHAR *registry_path;            /* \Registry\Machine\...\Services\<name> */
    UNICODE_STRING registry_path_us;
};

size_t ldr_utf16_to_utf8(const WCHAR *in, size_t in_chars, char *out, size_t size);
WCHAR *ldr_ascii_to_utf16(const char *in);
int ldr_service_key_path(const char *service_name, WCHAR **out);
NTSTATUS ldr_service_query_string(const char *service_name, const WCHAR *value_name, char *out, size_t size);
NTSTATUS ldr_service_query_dword(const char *service_name, const WCHAR *value_name, ULONG *out);

/* Reports, at unload, what the image leaves behind; returns the count. */
size_t ldr_report_leaks(const struct ldr_image *image);

#endif /* KMHOST_LOADER_PRIVATE_H */
