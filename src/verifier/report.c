/*
 * Verifier reports: log, count, and abort in strict mode.
 */
#include "internal.h"
#include "verifier/verifier.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong vf_counts[VF_RULE_COUNT];
static atomic_int vf_strict = -1; /* -1: not yet read from the environment */

static const char *const vf_rule_names[VF_RULE_COUNT] = {
    [VF_IRQL] = "IRQL",         [VF_LOCK] = "LOCK",       [VF_IRP] = "IRP",
    [VF_POOL] = "POOL",         [VF_OBJECT] = "OBJECT",   [VF_HANDLE] = "HANDLE",
    [VF_WDF] = "WDF",           [VF_ASSERT] = "ASSERT",   [VF_BUGCHECK] = "BUGCHECK",
};

bool vf_is_strict(void)
{
    int strict = atomic_load(&vf_strict);
    if (strict < 0) {
        const char *env = getenv("KMHOST_VERIFIER");
        strict = env && strcmp(env, "strict") == 0;
        atomic_store(&vf_strict, strict);
    }
    return strict;
}

void vf_set_strict(bool strict)
{
    atomic_store(&vf_strict, strict ? 1 : 0);
}

const char *vf_symbolize(const void *address, char *buf, size_t size)
{
    Dl_info info;
    if (!address || !dladdr(address, &info) || !info.dli_fname) {
        snprintf(buf, size, "%p", address);
        return buf;
    }
    const char *module = strrchr(info.dli_fname, '/');
    module = module ? module + 1 : info.dli_fname;
    if (info.dli_sname)
        snprintf(buf, size, "%s!%s+0x%tx", module, info.dli_sname,
                 (const char *)address - (const char *)info.dli_saddr);
    else
        snprintf(buf, size, "%s+0x%tx", module, (const char *)address - (const char *)info.dli_fbase);
    return buf;
}

void vf_report(enum vf_rule rule, const char *ddi, void *caller, const char *fmt, ...)
{
    char message[512], where[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    atomic_fetch_add(&vf_counts[rule], 1);
    kmh_log(KMH_LOG_ERROR, "verifier", "%s violation in %s, called from %s: %s",
            vf_rule_names[rule], ddi ? ddi : "?", vf_symbolize(caller, where, sizeof(where)), message);
    if (vf_is_strict())
        abort();
}

unsigned long vf_report_count(enum vf_rule rule)
{
    return atomic_load(&vf_counts[rule]);
}

unsigned long vf_report_total(void)
{
    unsigned long total = 0;
    for (int i = 0; i < VF_RULE_COUNT; i++)
        total += atomic_load(&vf_counts[i]);
    return total;
}

void vf_reset_counts(void)
{
    for (int i = 0; i < VF_RULE_COUNT; i++)
        atomic_store(&vf_counts[i], 0);
}
