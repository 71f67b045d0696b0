#!/bin/sh
# Hand-run check of the KMDF headers (not part of CTest):
#  1. every header compiles under gcc and clang, -Wall -Wextra -Werror,
#     C11 with -fms-extensions -fshort-wchar, after <ntddk.h>;
#  2. x64 sizes and offsets hold (sizes.c), as does every KMDF name the
#     public samples use (samples-ids.c);
#  3. a two-file scratch driver, built as a .so at -O0 and -O2, imports
#     exactly __kmhost_wdfimp_<Method> for the methods it calls and nothing
#     for those it does not;
#  4. a scratch host with a fake function table loads it, runs DriverEntry
#     (both files must agree on a context type's identity), and a host that
#     lacks one method's marker is refused by name.
# Usage: sh include/wdf/gen/check/run.sh     (from anywhere; builds in a temp dir)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
INC="-I$HERE/shim -I$ROOT/include/km -I$ROOT/include/shared -I$ROOT/include/wdf/kmdf/1.33 -I$HERE"
DEF="-D_AMD64_ -DAMD64 -D_WIN64 -D_M_AMD64=100 -D_M_X64=100 -D_KERNEL_MODE=1 -DNTDDI_VERSION=0x0A000010 -D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00 -DDBG=1"
FLAGS="-std=gnu11 -fms-extensions -fshort-wchar -fno-common -fvisibility=hidden -fPIC -Wall -Wextra -Werror"
fail=0
for cc in gcc clang; do
    $cc $FLAGS $INC $DEF -c "$HERE/sizes.c" -o "$OUT/sizes.o"
    for opt in -O0 -O2; do
        so="$OUT/drv-$cc$opt.so"
        $cc $FLAGS $opt $INC $DEF -shared "$HERE/drv_a.c" "$HERE/drv_b.c" "$HERE/stub.c" \
            "$HERE/samples-ids.c" -o "$so"
        nm -D "$so" | awk '/ U __kmhost_wdfimp_/ {print $2}' | sort > "$OUT/got"
        if ! diff -u "$HERE/expected-imports.txt" "$OUT/got"; then
            echo "FAIL: $cc $opt imports differ"; fail=1
        fi
    done
done
awk '{print "__attribute__((visibility(\"default\"))) const char " $1 " = 0;"}' \
    "$HERE/expected-imports.txt" > "$OUT/imports.h"
HOSTF="-std=gnu11 -fms-extensions -fshort-wchar -w -DWDF_STUB -rdynamic"
gcc $HOSTF $INC -I"$OUT" $DEF "$HERE/host.c" "$HERE/stub.c" -o "$OUT/host" -ldl
for so in "$OUT"/drv-*.so; do
    "$OUT/host" "$so" || { echo "FAIL: $so did not run"; fail=1; }
done
grep -v WdfTimerStart "$OUT/imports.h" > "$OUT/imports-short.h"
sed 's/"imports.h"/"imports-short.h"/' "$HERE/host.c" > "$OUT/host-short.c"
gcc $HOSTF $INC -I"$OUT" $DEF "$OUT/host-short.c" "$HERE/stub.c" -o "$OUT/host-short" -ldl
"$OUT/host-short" "$OUT/drv-gcc-O2.so" expect-refusal | grep -q "__kmhost_wdfimp_WdfTimerStart" \
    || { echo "FAIL: missing method not refused by name"; fail=1; }
[ $fail = 0 ] && echo "kmdf header check: ok"
exit $fail
