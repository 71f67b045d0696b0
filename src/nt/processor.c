/*
 * Processors as drivers see them: KeNumberProcessors and the active set are
 * the host CPUs this process may run on, numbered densely from 0 (a
 * container allowed CPUs 4 and 5 sees processors 0 and 1), so per-processor
 * arrays indexed by KeGetCurrentProcessorNumber stay in bounds. A DPC
 * thread reports the processor whose queue it serves.
 */
#include "nt/kernel.h"

#include <sched.h>

#define MAX_PROCESSORS 64 /* one KAFFINITY; one processor group */

KMH_EXPORT CCHAR KeNumberProcessors = 1;

static int dense_of_cpu[CPU_SETSIZE]; /* host CPU -> 1 + dense number, 0 if not ours */
static ULONG processor_count = 1;

/* Runs at load, before any driver can read KeNumberProcessors. */
__attribute__((constructor)) static void processors_init(void)
{
    cpu_set_t set;
    ULONG count = 0;

    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        for (int cpu = 0; cpu < CPU_SETSIZE && count < MAX_PROCESSORS; cpu++)
            if (CPU_ISSET(cpu, &set))
                dense_of_cpu[cpu] = (int)++count;
    }
    processor_count = count ? count : 1;
    KeNumberProcessors = (CCHAR)processor_count;
}

ULONG nt_processor_count(void)
{
    return processor_count;
}

ULONG nt_current_processor(void)
{
    if (nt_tls.processor)
        return (ULONG)nt_tls.processor - 1;
    int cpu = sched_getcpu();
    if (cpu >= 0 && cpu < CPU_SETSIZE && dense_of_cpu[cpu])
        return (ULONG)dense_of_cpu[cpu] - 1;
    return cpu < 0 ? 0 : (ULONG)cpu % processor_count;
}

/* Returns the number of the processor the caller runs on (a hint: the
 * thread may move at once below DISPATCH_LEVEL). Any IRQL. */
KMH_EXPORT ULONG KeGetCurrentProcessorNumber(void)
{
    return nt_current_processor();
}

/* As KeGetCurrentProcessorNumber, also filling ProcNumber (group 0). Any IRQL. */
KMH_EXPORT ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
    ULONG number = nt_current_processor();
    if (ProcNumber) {
        ProcNumber->Group = 0;
        ProcNumber->Number = (UCHAR)number;
        ProcNumber->Reserved = 0;
    }
    return number;
}

static KAFFINITY active_mask(void)
{
    return processor_count >= 64 ? ~(KAFFINITY)0 : ((KAFFINITY)1 << processor_count) - 1;
}

/* Returns the number of active processors and, if asked, their mask. Any IRQL. */
KMH_EXPORT ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
    if (ActiveProcessors)
        *ActiveProcessors = active_mask();
    return processor_count;
}

/* Returns the active processors in GroupNumber (0 or ALL_PROCESSOR_GROUPS;
 * other groups have none). Any IRQL. */
KMH_EXPORT ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber)
{
    return GroupNumber == 0 || GroupNumber == 0xffff ? processor_count : 0;
}

/* Returns the most processors there can be (those present). Any IRQL. */
KMH_EXPORT ULONG KeQueryMaximumProcessorCount(void)
{
    return processor_count;
}

/* Returns the mask of active processors. Any IRQL. */
KMH_EXPORT KAFFINITY KeQueryActiveProcessors(void)
{
    return active_mask();
}

/* Floating point state is the thread's own in a user process: nothing to
 * save. IRQL <= DISPATCH_LEVEL. Returns STATUS_SUCCESS. */
KMH_EXPORT NTSTATUS KeSaveFloatingPointState(PKFLOATING_SAVE FloatSave)
{
    if (FloatSave)
        FloatSave->Dummy = 0;
    return STATUS_SUCCESS;
}

/* Pairs with KeSaveFloatingPointState. Returns STATUS_SUCCESS. */
KMH_EXPORT NTSTATUS KeRestoreFloatingPointState(PKFLOATING_SAVE FloatSave)
{
    (void)FloatSave;
    return STATUS_SUCCESS;
}
