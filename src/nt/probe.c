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
#include <pthread.h>
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

/* process_vm_* need our pid; getpid() is a system call, so it is kept, and
 * renewed in a forked child (which must never probe its parent). */
static pid_t self_pid;
static pthread_once_t self_pid_once = PTHREAD_ONCE_INIT;

static void self_pid_renew(void)
{
    self_pid = getpid();
}

static void self_pid_init(void)
{
    self_pid_renew();
    pthread_atfork(NULL, NULL, self_pid_renew);
}

#define PROBE_BATCH 64 /* pages per system call */

/* Reads one byte of every page of [address, address+length) — and, for a
 * write probe, writes it back, as Windows' ProbeForWrite touches each page —
 * through the kernel, so an unmapped or read-only page yields EFAULT instead
 * of a fault: one system call (two for write) per PROBE_BATCH pages. */
static bool probe_pages(const char *address, size_t length, bool write)
{
    const char *p = address, *last = address + length - 1;
    char bytes[PROBE_BATCH];
    struct iovec local[PROBE_BATCH], remote[PROBE_BATCH];

    pthread_once(&self_pid_once, self_pid_init);
    while (p && p <= last) {
        ssize_t n = 0;
        for (; n < PROBE_BATCH && p && p <= last; n++) {
            local[n] = (struct iovec){ &bytes[n], 1 };
            remote[n] = (struct iovec){ (void *)p, 1 };
            const char *next = (const char *)PAGE_ALIGN(p) + PAGE_SIZE;
            p = next > p ? next : NULL; /* NULL: the top of the address space */
        }
        if (process_vm_readv(self_pid, local, (unsigned long)n, remote, (unsigned long)n, 0) != n ||
            (write && process_vm_writev(self_pid, local, (unsigned long)n, remote, (unsigned long)n, 0) != n))
            return errno == ENOSYS || errno == EPERM; /* cannot tell: let the access decide */
    }
    return true;
}

static bool probe_writable(volatile void *address, SIZE_T length)
{
    return !length || probe_pages((const char *)address, length, true);
}

bool nt_memory_accessible(const void *address, size_t length, bool write)
{
    return !length || probe_pages(address, length, write);
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
