/*
 * wdfassert.h: WDFVERIFY, the framework's assertion, which fires only when
 * the driver runs with the KMDF verifier on (WdfVerifyOn in DriverFlags), and
 * WDFCASSERT, a compile-time check usable inside a function body.
 */
#ifndef _WDFASSERT_H_
#define _WDFASSERT_H_

WDF_EXTERN_C_START

#if DBG
#define WDFVERIFY(exp) \
    do { \
        if ((WdfDriverGlobals->DriverFlags & WdfVerifyOn) && !(exp)) { \
            RtlAssert((PVOID) #exp, (PVOID)__FILE__, __LINE__, WDF_NULL_POINTER); \
        } \
    } while (0)
#define VERIFY_IS_IRQL_PASSIVE_LEVEL() WDFVERIFY(KeGetCurrentIrql() == PASSIVE_LEVEL)
#else
#define WDFVERIFY(exp) ((void)0)
#define VERIFY_IS_IRQL_PASSIVE_LEVEL() ((void)0)
#endif

/* A duplicate case label is a compile error, so a false condition fails. */
#define WDFCASSERT(c) do { switch (0) case (c): case 0:; } while (0)

WDF_EXTERN_C_END

#endif /* _WDFASSERT_H_ */
