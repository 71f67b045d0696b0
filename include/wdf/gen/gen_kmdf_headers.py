#!/usr/bin/env python3
"""Expand the KMDF header templates into include/wdf/kmdf/<ver>/.

Why a generator: KMDF has 458 table-dispatched methods, each needing the same
three pieces (a PFN_ typedef taking the driver globals first, the load-time
import marker, and the FORCEINLINE wrapper that indexes WdfFunctions). Writing
them by hand invites slips in exactly the place the ABI is least forgiving.

Template syntax (everything else is copied verbatim):
    @fn  RET Name(TYPE Arg, ...)   table method, plain wrapper
    @fn! RET Name(TYPE Arg, ...)   method added after the always-available
                                   count: the wrapper checks availability first
                                   and reports the missing API otherwise,
                                   as the WDK does
    @functable                     the WDFFUNCENUM body, from functable.txt

Run:  python3 include/wdf/gen/gen_kmdf_headers.py [--check]
--check fails if a generated header differs from what is committed.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = "1.33"
SRC = os.path.join(HERE, "kmdf-" + VERSION)
DST = os.path.normpath(os.path.join(HERE, "..", "kmdf", VERSION))

FN_RE = re.compile(r"^@fn(!?)\s+(.+?)\s*\b(Wdf\w+)\s*\((.*)\)\s*;?\s*$")


def load_table():
    names = []
    with open(os.path.join(SRC, "functable.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    if len(set(names)) != len(names):
        sys.exit("functable.txt: duplicate names")
    return names


def split_params(text):
    text = text.strip()
    if text in ("", "VOID", "void"):
        return []
    params, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            params.append(cur.strip())
            cur = ""
            continue
        depth += ch in "(["
        depth -= ch in ")]"
        cur += ch
    params.append(cur.strip())
    return params


def param_name(p):
    m = re.search(r"(\w+)\s*(\[[^\]]*\])?$", p)
    if not m:
        sys.exit("cannot find parameter name in %r" % p)
    return m.group(1)


def expand_fn(guarded, ret, name, params_text, table):
    if name not in table:
        sys.exit("%s is not in functable.txt" % name)
    params = split_params(params_text)
    names = [param_name(p) for p in params]
    pfn = "PFN_" + name.upper()
    idx = name + "TableIndex"
    is_void = ret.strip() in ("VOID", "void")
    lines = ["KMH_WDF_IMPORT_DECL(%s);" % name]
    lines.append("typedef %s (*%s)(%s);" % (
        ret, pfn, ", ".join(["PWDF_DRIVER_GLOBALS DriverGlobals"] + params)))
    lines.append("FORCEINLINE %s %s(%s)" % (ret, name, ", ".join(params) or "VOID"))
    lines.append("{")
    lines.append("    KMH_WDF_IMPORT(%s);" % name)
    call = "((%s)WdfFunctions[%s])(%s)" % (
        pfn, idx, ", ".join(["WdfDriverGlobals"] + names))
    if not guarded:
        lines.append("    %s%s;" % ("" if is_void else "return ", call))
    else:
        missing = ("((PFN_WDFDRIVERERRORREPORTAPIMISSING)WdfFunctions["
                   "WdfDriverErrorReportApiMissingTableIndex])(WdfDriverGlobals, "
                   "WdfGetDriver(), WDF_NULL_POINTER, %s, %s)" % (idx, "FALSE" if is_void else "TRUE"))
        # The fallback is a table call too, so the driver imports it as well.
        lines.append("    KMH_WDF_IMPORT(WdfDriverErrorReportApiMissing);")
        lines.append("    if (WDF_IS_FUNCTION_AVAILABLE(%s)) {" % name)
        lines.append("        %s%s;" % ("" if is_void else "return ", call))
        lines.append("    } else {")
        if is_void:
            lines.append("        %s;" % missing)
        else:
            lines.append("        return (%s)%s;" % (ret, missing))
        lines.append("    }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def expand(path, table, seen):
    out = []
    with open(path) as f:
        for line in f:
            s = line.rstrip("\n")
            if s.startswith("@functable"):
                for i, n in enumerate(table):
                    out.append("    %sTableIndex = %d,\n" % (n, i))
                out.append("    WdfFunctionTableNumEntries = %d,\n" % len(table))
                continue
            if s.startswith("@fn"):
                m = FN_RE.match(s)
                if not m:
                    sys.exit("%s: bad @fn line: %s" % (path, s))
                guarded, ret, name, params = m.groups()
                if name in seen:
                    sys.exit("%s declared twice" % name)
                seen.add(name)
                out.append(expand_fn(bool(guarded), ret, name, params, table))
                continue
            out.append(line)
    return "".join(out)


def main():
    check = "--check" in sys.argv
    table = load_table()
    seen, stale = set(), []
    for fn in sorted(os.listdir(SRC)):
        if not fn.endswith(".h.in"):
            continue
        text = expand(os.path.join(SRC, fn), table, seen)
        dst = os.path.join(DST, fn[:-3])
        old = open(dst).read() if os.path.exists(dst) else None
        if old != text:
            if check:
                stale.append(dst)
            else:
                with open(dst, "w") as f:
                    f.write(text)
    missing = [n for n in table if n not in seen]
    print("table entries: %d, wrappers: %d, table-only (no wrapper): %d"
          % (len(table), len(seen), len(missing)))
    if "--list-missing" in sys.argv:
        print("\n".join(missing))
    if stale:
        sys.exit("stale generated headers: " + ", ".join(stale))


if __name__ == "__main__":
    main()
