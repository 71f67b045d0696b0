/*
 * How the FxDriverEntry stub linked into a KMDF driver binds it to kmhost's
 * framework: the stub fills in what the driver was built for, the framework
 * answers with the function table and the driver's globals. The stub and
 * libkmhost are built together, so this is not a stable ABI.
 */
#ifndef KMHOST_FX_BIND_H
#define KMHOST_FX_BIND_H

#ifdef __cplusplus
extern "C" {
#endif

struct kmh_fx_bind {
    ULONG size;                            /* sizeof(struct kmh_fx_bind) */
    ULONG major, minor;                    /* KMDF_VERSION_MAJOR/MINOR of the driver's build */
    ULONG function_count;                  /* entries in the table the driver was built against */
    PDRIVER_OBJECT driver_object;
    PUNICODE_STRING registry_path;
    /* Filled in by the framework: */
    const WDFFUNC *functions;
    PWDF_DRIVER_GLOBALS globals;
    ULONG framework_function_count;
    BOOLEAN client_version_higher;
};

/* Binds the driver; STATUS_REVISION_MISMATCH (logged with both versions)
 * for a driver built for a newer KMDF than kmhost provides. */
__attribute__((visibility("default"))) NTSTATUS kmh_fx_bind(struct kmh_fx_bind *bind);
/* Frees the driver's framework state; after its DriverUnload, or when its
 * DriverEntry failed. */
__attribute__((visibility("default"))) void kmh_fx_unbind(PWDF_DRIVER_GLOBALS globals);

#ifdef __cplusplus
}
#endif

#endif /* KMHOST_FX_BIND_H */
