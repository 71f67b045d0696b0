/*
 * The tables behind the status conversions (src/nt/status.c). Private to
 * src/nt/status*.c and the status tests: the rest of kmhost uses
 * nt_status_name and the errno conversions from internal.h, and drivers use
 * RtlNtStatusToDosError.
 *
 * Both tables are sorted by status taken as unsigned (0x00000000 first,
 * 0xFFFFFFFF last), so that a lookup is a binary search, and both begin with
 * that status, so that one comparison serves both.
 */
#ifndef KMHOST_NT_STATUS_H
#define KMHOST_NT_STATUS_H

#include <stddef.h>
#include <ntdef.h>

/* What RtlNtStatusToDosError returns for one status (status_dos.c). */
struct nt_status_dos {
    ULONG status;
    ULONG error; /* a Win32 code, or an HRESULT where Windows gives one */
};

/* The symbolic name of one status value (status_names.c). */
struct nt_status_name {
    ULONG status;
    const char *name;
};

extern const struct nt_status_dos nt_status_dos_table[];
extern const size_t nt_status_dos_count;
extern const struct nt_status_name nt_status_name_table[];
extern const size_t nt_status_name_count;

/* The DDI (ntifs.h declares it for drivers); repeated here for kmhost's own
 * callers and tests. */
ULONG RtlNtStatusToDosError(NTSTATUS Status);

#endif /* KMHOST_NT_STATUS_H */
