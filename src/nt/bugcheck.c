/*
 * Bug checks: a driver (or kmhost on its behalf) stopping the "system".
 * The verifier reports the code and parameters, naming the caller, and the
 * process aborts whatever the verifier mode: a bug check never returns.
 */
#include "nt/kernel.h"

#include <stdlib.h>

static void __attribute__((noreturn)) bug_check(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3,
                                                ULONG_PTR p4, void *caller)
{
    vf_report(VF_BUGCHECK, "KeBugCheckEx", caller,
              "bug check 0x%08lX (0x%lX, 0x%lX, 0x%lX, 0x%lX) on a %s thread at IRQL %u",
              (unsigned long)code, (unsigned long)p1, (unsigned long)p2, (unsigned long)p3,
              (unsigned long)p4, nt_thread_role(), (unsigned)nt_irql);
    abort();
}

/* Stops kmhost with BugCheckCode. Any IRQL. Does not return. */
KMH_EXPORT void KeBugCheck(ULONG BugCheckCode)
{
    bug_check(BugCheckCode, 0, 0, 0, 0, __builtin_return_address(0));
}

/* Stops kmhost with BugCheckCode and four parameters. Any IRQL. Does not return. */
KMH_EXPORT void KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3,
                             ULONG_PTR P4)
{
    bug_check(BugCheckCode, P1, P2, P3, P4, __builtin_return_address(0));
}
