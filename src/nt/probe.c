/*
 * Probing caller buffers, PAGED_CODE checks and driver assertions.
 *
 * In a kmhost process "user" buffers are ordinary process memory, so the
 * user range is the Linux user range. ProbeForRead/ProbeForWrite check the
 * range and alignment as Windows does; ProbeForWrite also checks every page
 * is writable, as Windows does by touching it (a real fault inside __try is
 * caught by the SIGSEGV handler either way).
 */
#include "nt/nt.h"
#include "verifier/verifier.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

KMH_EXPORT ULONG_PTR MmUserProbeAddress = 0x00007fffffff0000ULL;
KMH_EXPORT PVOID MmHighestUserAddress = (PVOID)0x00007ffffffeffffULL;
KMH_EXPORT PVOID MmSystemRangeStart = (PVOID)0xffff800000000000ULL;

static void probe_range(const volatile void *address, SIZE_T length, ULONG alignment, void *caller)
{
    ULONG_PTR start = (ULONG_PTR)address;
    ULONG_PTR end = start + length;

    if (length == 0)
        return;
    if (alignment != 1 && alignment != 2 && alignment != 4 && alignment != 8 && alignment != 16)
        vf_report(VF_IRP, "ProbeFor*", caller, "alignment %u is not 1, 2, 4, 8 or 16",
                  (unsigned)alignment);
    if (alignment && (start & (alignment - 1)))
        ExRaiseDatatypeMisalignment();
    if (end < start || end > MmUserProbeAddress)
        ExRaiseAccessViolation();
}

/* Touches one byte of every page of [address, address+length) the way
 * Windows' ProbeForWrite does (read it, write it back), but through the
 * kernel so an unmapped or read-only page yields EFAULT instead of a fault. */
static bool probe_page_writable(char *p)
{
    char byte;
    struct iovec local = { &byte, 1 }, remote = { p, 1 };

    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
        return errno == ENOSYS || errno == EPERM; /* cannot tell: let the access decide */
    if (process_vm_writev(getpid(), &local, 1, &remote, 1, 0) != 1)
        return errno == ENOSYS || errno == EPERM;
    return true;
}

static bool probe_writable(volatile void *address, SIZE_T length)
{
    if (!length)
        return true;
    char *p = (char *)address, *last = p + length - 1;

    for (; p <= last; p = (char *)PAGE_ALIGN(p) + PAGE_SIZE)
        if (!probe_page_writable(p))
            return false;
    return probe_page_writable(last);
}

static bool probe_page_readable(const char *p)
{
    char byte;
    struct iovec local = { &byte, 1 }, remote = { (void *)p, 1 };
    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 1)
        return true;
    return errno == ENOSYS || errno == EPERM;
}

bool nt_memory_accessible(const void *address, size_t length, bool write)
{
    const char *p = address, *last;

    if (!length)
        return true;
    if (write)
        return probe_writable((void *)address, length);
    last = p + length - 1;
    for (; p <= last; p = (const char *)PAGE_ALIGN(p) + PAGE_SIZE)
        if (!probe_page_readable(p))
            return false;
    return probe_page_readable(last);
}

KMH_EXPORT void ProbeForRead(const volatile void *Address, SIZE_T Length, ULONG Alignment)
{
    probe_range(Address, Length, Alignment, __builtin_return_address(0));
}

KMH_EXPORT void ProbeForWrite(volatile void *Address, SIZE_T Length, ULONG Alignment)
{
    probe_range(Address, Length, Alignment, __builtin_return_address(0));
    if (Length && !probe_writable(Address, Length))
        ExRaiseAccessViolation();
}

KMH_EXPORT void kmh_paged_code_check(const char *function)
{
    KIRQL irql = KeGetCurrentIrql();
    if (irql > APC_LEVEL)
        vf_report(VF_IRQL, "PAGED_CODE", __builtin_return_address(0),
                  "%s is pageable but runs at IRQL %u", function, (unsigned)irql);
}

KMH_EXPORT void RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber, PSTR MutableMessage)
{
    vf_report(VF_ASSERT, "RtlAssert", __builtin_return_address(0), "%s(%u): %s%s%s",
              (const char *)VoidFileName, (unsigned)LineNumber, (const char *)VoidFailedAssertion,
              MutableMessage ? ": " : "", MutableMessage ? (const char *)MutableMessage : "");
}
