/*
 * The Debug Print Filter: which DbgPrintEx components and levels Windows
 * would let through, from Session Manager\Debug Print Filter. The text
 * module's DbgPrint path asks through nt_registry_debug_filter; with no
 * filter configured kmhost shows everything, since drivers run here to be
 * tested.
 */
#define NT_REGISTRY_IMPL
#include "nt/registry.h"

#include <string.h>

#define FILTER_KEY "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session Manager\\Debug Print Filter"

/* Value names are the DPFLTR_<NAME>_ID components, as Windows reads them. */
static const struct {
    ULONG id;
    const char *name;
} components[] = {
    { DPFLTR_SYSTEM_ID, "SYSTEM" },
    { DPFLTR_SERIAL_ID, "SERIAL" },
    { DPFLTR_FLTMGR_ID, "FLTMGR" },
    { DPFLTR_PCI_ID, "PCI" },
    { DPFLTR_INFINIBAND_ID, "INFINIBAND" },
    { DPFLTR_IHVDRIVER_ID, "IHVDRIVER" },
    { DPFLTR_IHVVIDEO_ID, "IHVVIDEO" },
    { DPFLTR_IHVAUDIO_ID, "IHVAUDIO" },
    { DPFLTR_IHVNETWORK_ID, "IHVNETWORK" },
    { DPFLTR_IHVSTREAMING_ID, "IHVSTREAMING" },
    { DPFLTR_IHVBUS_ID, "IHVBUS" },
    { DPFLTR_STORPORT_ID, "STORPORT" },
    { DPFLTR_STORMINIPORT_ID, "STORMINIPORT" },
    { DPFLTR_VERIFIER_ID, "VERIFIER" },
    { DPFLTR_DEFAULT_ID, "DEFAULT" },
    { DPFLTR_MM_ID, "MM" },
    { DPFLTR_WDI_ID, "WDI" },
    { DPFLTR_WHEA_ID, "WHEA" },
    { DPFLTR_TPM_ID, "TPM" },
};

static const char *component_name(ULONG id)
{
    for (size_t i = 0; i < KMH_ARRAY_SIZE(components); i++)
        if (components[i].id == id)
            return components[i].name;
    return NULL;
}

/* A DWORD value's number; -ENOENT if missing or not 4 bytes. */
static int read_mask(struct regstore *rs, struct regstore_key key, const char *name, ULONG *mask)
{
    struct regstore_value value;
    int rc = regstore_value_query(rs, key, name, &value);

    if (rc)
        return rc;
    if (value.size == sizeof(ULONG))
        memcpy(mask, value.data, sizeof(ULONG));
    else
        rc = -ENOENT;
    regstore_value_clear(&value);
    return rc;
}

int nt_registry_debug_filter(ULONG component, ULONG level, bool *enabled)
{
    struct nt_reg_call call;
    struct regstore_key key;
    const char *name = component_name(component);
    ULONG mask = 0, always = 1; /* WIN2000: errors pass unless it says otherwise */
    int rc;

    if (!NT_SUCCESS(nt_reg_call_enter(&call)))
        return -ENOENT;
    rc = regstore_key_open(call.rs, REGSTORE_KEY_NONE, FILTER_KEY, &key);
    if (!rc && (!name || read_mask(call.rs, key, name, &mask)))
        rc = read_mask(call.rs, key, "DEFAULT", &mask);
    if (!rc)
        (void)read_mask(call.rs, key, "WIN2000", &always);
    nt_reg_call_end(&call);
    if (rc)
        return -ENOENT;
    /* As Windows: a level up to 31 names one bit, a larger one is a mask. */
    *enabled = ((level > 31 ? level : 1u << level) & (mask | always)) != 0;
    return 0;
}
