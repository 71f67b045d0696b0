/*
 * wdfglobals.h: the per-driver globals every Wdf call passes to the
 * framework, the KMDF version a driver is built for, and kmhost's import
 * marker that names, in the driver's dynamic symbols, each Wdf method the
 * driver really calls.
 */
#ifndef _WDFGLOBALS_H_
#define _WDFGLOBALS_H_

WDF_EXTERN_C_START

/* A build may pin another 1.x minor; the table layout here is 1.33's. */
#ifndef KMDF_VERSION_MAJOR
#define KMDF_VERSION_MAJOR 1
#endif
#ifndef KMDF_VERSION_MINOR
#define KMDF_VERSION_MINOR 33
#endif

#define WDF_DRIVER_GLOBALS_NAME_LEN (32)

typedef struct _WDF_DRIVER_GLOBALS {
    /* The driver's own WDFDRIVER, once WdfDriverCreate succeeded. */
    WDFDRIVER Driver;
    /* WDF_DRIVER_INIT_FLAGS plus the verifier flags the framework sets. */
    ULONG DriverFlags;
    /* Pool tag the framework uses for this driver's allocations. */
    ULONG DriverTag;
    CHAR DriverName[WDF_DRIVER_GLOBALS_NAME_LEN];
    /* TRUE when the framework owns DriverUnload on the driver's behalf. */
    BOOLEAN DisplaceDriverUnload;
} WDF_DRIVER_GLOBALS, *PWDF_DRIVER_GLOBALS;

/* Filled in by the FxDriverEntry stub linked into every driver. Hidden, so
 * each driver .so has its own and two drivers in one process never share. */
extern PWDF_DRIVER_GLOBALS WdfDriverGlobals __attribute__((visibility("hidden")));

/*
 * kmhost's load-time import marker. KMH_WDF_IMPORT_DECL declares, at file
 * scope, an external byte named after a Wdf method; KMH_WDF_IMPORT, inside
 * that method's inline wrapper, takes its address in an empty asm so the
 * reference survives every optimisation level. An unused wrapper is never
 * emitted, so a driver .so carries the undefined dynamic symbol
 * __kmhost_wdfimp_<Method> exactly for the methods it calls, and kmhost's
 * loader can refuse, by name, a driver that needs a method it lacks.
 * Default visibility keeps the reference dynamic under -fvisibility=hidden.
 */
#define KMH_WDF_IMPORT_DECL(name) \
    extern const char __kmhost_wdfimp_##name __attribute__((visibility("default")))
#define KMH_WDF_IMPORT(name) \
    __asm__ volatile("" : : "r"(&__kmhost_wdfimp_##name))

WDF_EXTERN_C_END

#endif /* _WDFGLOBALS_H_ */
