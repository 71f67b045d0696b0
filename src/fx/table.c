/*
 * The function table drivers call through. Entries come from FX_EXPORT in
 * the files that implement them (a linker section collects them); every
 * other slot holds a stub that names the method and stops, as a call there
 * is only possible for a driver that went around the loader's check.
 */
#include "fx/fx.h"
#include "fx/fx_private.h"
#include "verifier/verifier.h"

#include <stdlib.h>

extern const struct fx_table_entry __start_kmh_fx_table[] __attribute__((weak));
extern const struct fx_table_entry __stop_kmh_fx_table[] __attribute__((weak));

static const char *const fx_names[] = {
#define FX_FUNCTION(name) #name,
#include "fx/fx_functions.h"
#undef FX_FUNCTION
};
_Static_assert(KMH_ARRAY_SIZE(fx_names) == WdfFunctionTableNumEntries, "fx_functions.h and wdffuncenum.h disagree");

static __attribute__((noreturn)) void fx_missing(const char *name)
{
    vf_report(VF_WDF, name, __builtin_return_address(0),
              "the driver called %s, which kmhost does not implement (the loader should have refused it)", name);
    abort();
}

#define FX_FUNCTION(name) \
    static void fx_missing_##name(void) { fx_missing(#name); }
#include "fx/fx_functions.h"
#undef FX_FUNCTION

static const WDFFUNC fx_missing_table[] = {
#define FX_FUNCTION(name) fx_missing_##name,
#include "fx/fx_functions.h"
#undef FX_FUNCTION
};

static WDFFUNC table[WdfFunctionTableNumEntries];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_fill(void)
{
    memcpy(table, fx_missing_table, sizeof(table));
    for (const struct fx_table_entry *e = __start_kmh_fx_table; e && e < __stop_kmh_fx_table; e++)
        if (e->index < WdfFunctionTableNumEntries)
            table[e->index] = e->function;
}

const WDFFUNC *fx_function_table(void)
{
    pthread_once(&table_once, table_fill);
    return table;
}

const char *fx_function_name(ULONG index)
{
    return index < WdfFunctionTableNumEntries ? fx_names[index] : "?";
}
