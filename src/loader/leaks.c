/*
 * What a driver leaves behind at unload: devices it never deleted and pool
 * blocks it never freed, each named by tag and allocating call site, as
 * Driver Verifier's pool tracking reports them.
 */
#include "loader/loader.h"
#include "loader/loader_private.h"
#include "verifier/verifier.h"

#include <stdio.h>

struct leak_context {
    const struct ldr_image *image;
    size_t shown;
};

static void tag_text(ULONG tag, char out[5])
{
    for (int i = 0; i < 4; i++) {
        char c = (char)((tag >> (8 * i)) & 0xff);
        out[i] = (c >= 0x20 && c < 0x7f) ? c : '.';
    }
    out[4] = 0;
}

static void report_pool_leak(const struct nt_pool_leak *leak, void *ctx)
{
    struct leak_context *context = ctx;
    char tag[5], where[256];

    if (context->shown++ >= 20)
        return;
    tag_text(leak->tag, tag);
    vf_report(VF_POOL, "DriverUnload", leak->caller, "%s left %zu bytes of pool with tag '%s' allocated at %s",
              context->image->service, (size_t)leak->size, tag, vf_symbolize(leak->caller, where, sizeof(where)));
}

size_t ldr_report_leaks(const struct ldr_image *image)
{
    struct leak_context context = { .image = image };
    size_t devices = 0, blocks;

    for (PDEVICE_OBJECT d = image->driver->object.DeviceObject; d; d = d->NextDevice)
        devices++;
    if (devices)
        vf_report(VF_OBJECT, "DriverUnload", NULL, "%s unloaded with %zu device object%s not deleted",
                  image->service, devices, devices == 1 ? "" : "s");
    blocks = nt_pool_for_each_in_range(image->lo, image->hi, report_pool_leak, &context);
    if (blocks > context.shown)
        kmh_log(KMH_LOG_ERROR, "verifier", "%s: %zu more leaked pool blocks not shown", image->service,
                blocks - context.shown);
    return devices + blocks;
}
