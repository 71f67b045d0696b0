/*
 * Interrupt request levels: one per thread, in a thread-local variable.
 * kmhost never masks anything by IRQL; it keeps the level drivers would
 * have on Windows so DDIs can check their callers and the verifier can
 * name the driver that broke a rule.
 */
#include "nt/kernel.h"

__thread KIRQL nt_irql NT_TLS = PASSIVE_LEVEL;

void nt_irql_report_above(KIRQL max, const char *ddi, void *caller)
{
    vf_report(VF_IRQL, ddi, caller, "called at IRQL %u; the highest allowed is %u",
              (unsigned)nt_irql, (unsigned)max);
}

/* Returns the calling thread's IRQL. Any IRQL. */
KMH_EXPORT KIRQL KeGetCurrentIrql(void)
{
    return nt_irql;
}

static KIRQL raise_to(KIRQL new_irql, const char *ddi, void *caller)
{
    KIRQL old = nt_irql;

    if (kmh_unlikely(new_irql < old || new_irql > HIGH_LEVEL)) {
        /* Windows bug checks (IRQL_NOT_GREATER_OR_EQUAL); here the level
         * stays where it was so the caller's later lower still balances. */
        vf_report(VF_IRQL, ddi, caller, "raising IRQL from %u to %u", (unsigned)old,
                  (unsigned)new_irql);
        return old;
    }
    nt_irql = new_irql;
    return old;
}

/* Raises the IRQL to NewIrql; returns the previous IRQL. Any IRQL at or
 * below NewIrql; a lower NewIrql is a verifier report and changes nothing. */
KMH_EXPORT KIRQL KfRaiseIrql(KIRQL NewIrql)
{
    return raise_to(NewIrql, "KeRaiseIrql", __builtin_return_address(0));
}

/* Lowers the IRQL to NewIrql, the value a matching raise returned. At or
 * above NewIrql; a higher NewIrql is a verifier report and changes nothing. */
KMH_EXPORT void KeLowerIrql(KIRQL NewIrql)
{
    if (kmh_unlikely(NewIrql > nt_irql)) {
        vf_report(VF_IRQL, "KeLowerIrql", __builtin_return_address(0),
                  "lowering IRQL from %u to %u", (unsigned)nt_irql, (unsigned)NewIrql);
        return;
    }
    if (kmh_unlikely(NewIrql < DISPATCH_LEVEL && nt_tls.spin_locks_held > 0))
        vf_report(VF_IRQL, "KeLowerIrql", __builtin_return_address(0),
                  "lowering IRQL to %u while holding %d spin lock(s)", (unsigned)NewIrql,
                  nt_tls.spin_locks_held);
    nt_irql = NewIrql;
}

/* Raises to DISPATCH_LEVEL; returns the previous IRQL. IRQL <= DISPATCH_LEVEL. */
KMH_EXPORT KIRQL KeRaiseIrqlToDpcLevel(void)
{
    return raise_to(DISPATCH_LEVEL, "KeRaiseIrqlToDpcLevel", __builtin_return_address(0));
}

/* Raises to SYNCH_LEVEL; returns the previous IRQL. IRQL <= SYNCH_LEVEL. */
KMH_EXPORT KIRQL KeRaiseIrqlToSynchLevel(void)
{
    return raise_to(SYNCH_LEVEL, "KeRaiseIrqlToSynchLevel", __builtin_return_address(0));
}
