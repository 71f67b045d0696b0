/*
 * The verifier: what Driver Verifier and the KMDF verifier would catch —
 * IRQL rules, lock misuse, double completion, leaks at unload, bad handles.
 * Any module under src/ reports through here; tests read the counters.
 *
 * A report names the rule, the DDI that noticed, and the driver function
 * that called it (symbolized from the return address). By default a report
 * is logged at error level and counted; with KMHOST_VERIFIER=strict (or
 * vf_set_strict) it also aborts, as a bug check would.
 */
#ifndef KMHOST_VERIFIER_H
#define KMHOST_VERIFIER_H

#include "internal.h"

enum vf_rule {
    VF_IRQL,        /* called at an IRQL the DDI does not allow */
    VF_LOCK,        /* spin lock, mutex or remove lock misuse */
    VF_IRP,         /* double completion, completing with STATUS_PENDING, stack misuse */
    VF_POOL,        /* bad free, tag mismatch, leak at unload */
    VF_OBJECT,      /* reference count underflow, bad object type */
    VF_HANDLE,      /* stale or wrong-type handle (WDF and NT) */
    VF_WDF,         /* KMDF rule broken (documented DDI contract) */
    VF_ASSERT,      /* a driver's ASSERT/NT_ASSERT failed */
    VF_BUGCHECK,    /* the driver called KeBugCheck(Ex) */
    VF_RULE_COUNT
};

/* Reports one violation. caller is the driver's return address into the
 * DDI (__builtin_return_address(0) in the DDI), or NULL. */
void vf_report(enum vf_rule rule, const char *ddi, void *caller, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
unsigned long vf_report_count(enum vf_rule rule);
unsigned long vf_report_total(void);
void vf_reset_counts(void);
void vf_set_strict(bool strict);
bool vf_is_strict(void);
/* "toaster.sys!ToasterAddDevice+0x1c" for an address in a driver, into buf. */
const char *vf_symbolize(const void *address, char *buf, size_t size);

#endif /* KMHOST_VERIFIER_H */
