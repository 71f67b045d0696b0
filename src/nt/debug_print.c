/*
 * DbgPrint and friends: a driver's debugger output becomes kmhost log
 * messages of level "driver", formatted with Windows semantics. As on
 * Windows one call carries at most 512 bytes (longer text is cut), and the
 * text keeps its own line breaks.
 */
#include "internal.h"
#include "format.h"
#include "text.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wdm.h>

#define DEBUG_PRINT_MAX 512

bool nt_debug_print_enabled(ULONG component, ULONG level)
{
    /* Everything is wanted while a driver is under test. The registry's
     * Debug Print Filter values (component masks) will be consulted here;
     * a level above 31 is already a mask (DPFLTR_MASK), as on Windows. */
    (void)component;
    (void)level;
    return true;
}

static void debug_print(const char *prefix, ULONG component, ULONG level, const char *format,
    va_list ap)
{
    char text[DEBUG_PRINT_MAX];
    size_t n = 0;

    if (format == NULL || !nt_debug_print_enabled(component, level))
        return;
    if (prefix) {
        n = strnlen(prefix, sizeof(text) - 1);
        memcpy(text, prefix, n);
    }
    nt_vformat_buffer(false, text + n, sizeof(text) - n, format, ap, NULL);
    kmh_log(KMH_LOG_DRIVER, "driver", "%s", text);
}

/* Prints a driver's message (any IRQL). Returns STATUS_SUCCESS. */
KMH_EXPORT ULONG DbgPrint(PCSTR Format, ...)
{
    va_list ap;
    va_start(ap, Format);
    debug_print(NULL, DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, Format, ap);
    va_end(ap);
    return STATUS_SUCCESS;
}

/* DbgPrint, here without the debugger's Ctrl+C poll. Returns STATUS_SUCCESS. */
KMH_EXPORT ULONG DbgPrintReturnControlC(PCCH Format, ...)
{
    va_list ap;
    va_start(ap, Format);
    debug_print(NULL, DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, Format, ap);
    va_end(ap);
    return STATUS_SUCCESS;
}

/* Prints if the component's filter takes the level. Returns STATUS_SUCCESS. */
KMH_EXPORT ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    va_list ap;
    va_start(ap, Format);
    debug_print(NULL, ComponentId, Level, Format, ap);
    va_end(ap);
    return STATUS_SUCCESS;
}

/* DbgPrintEx with a va_list. Returns STATUS_SUCCESS. */
KMH_EXPORT ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist)
{
    debug_print(NULL, ComponentId, Level, Format, arglist);
    return STATUS_SUCCESS;
}

/* vDbgPrintEx with Prefix in front of the text. Returns STATUS_SUCCESS. */
KMH_EXPORT ULONG vDbgPrintExWithPrefix(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format,
    va_list arglist)
{
    debug_print(Prefix, ComponentId, Level, Format, arglist);
    return STATUS_SUCCESS;
}

static void debug_break(ULONG status)
{
    const char *env = getenv("KMHOST_BREAK");

    if (env && strcmp(env, "1") == 0) {
        raise(SIGTRAP);
        return;
    }
    kmh_log(KMH_LOG_WARNING, "driver",
        "DbgBreakPoint (status 0x%08x) ignored; set KMHOST_BREAK=1 to stop in a debugger",
        (unsigned)status);
}

/* Breaks into a debugger when KMHOST_BREAK=1, else logs and returns. */
KMH_EXPORT VOID DbgBreakPoint(VOID)
{
    debug_break(0);
}

/* DbgBreakPoint that says which status it reports. */
KMH_EXPORT VOID DbgBreakPointWithStatus(ULONG Status)
{
    debug_break(Status);
}
