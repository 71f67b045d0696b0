#!/bin/sh
# kmhost-cc tests, one case per CTest test (tools/kmhost-cc/CMakeLists.txt):
#   run-tests.sh <case> <kmhost-cc> <fixture dir> <work dir> <cmake> <cc>
# Each case builds parts of tests/fixture/ and checks the result; any check
# that does not hold fails the case with a message saying which.
set -u

case_name=$1
KCC=$2
FIX=$(cd "$3" && pwd -P) # physical: the .d files name real paths
WORK=$4
CMAKE=$5
CC=$6

rm -rf "$WORK"
mkdir -p "$WORK/tmp"
WORK=$(cd "$WORK" && pwd -P)
# A private TMPDIR: the shadow trees land here, so a test can see them
# being made, kept or removed, and grep outputs for their paths.
TMPDIR=$WORK/tmp
export TMPDIR
unset KMHOST_CC_KEEP KMHOST_CC_VERBOSE KMHOST_CC_CC KMHOST_CC_CXX

fail() {
	echo "FAIL [$case_name]: $*" >&2
	exit 1
}

# expect_rc <want: 0 | nonzero> <what> <command...>; output in $WORK/out, err
expect_rc() {
	want=$1 what=$2
	shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ "$want" = 0 ] && [ $rc -ne 0 ]; then
		cat "$WORK/err" >&2
		fail "$what: exit $rc, expected success"
	fi
	if [ "$want" != 0 ] && [ $rc -eq 0 ]; then
		fail "$what: succeeded, expected failure"
	fi
}

has() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2'"; }
lacks() { ! grep -qF -- "$2" "$1" || fail "$1 has '$2'"; }

tmp_is_empty() {
	[ -z "$(ls -A "$TMPDIR")" ] || fail "shadow tree left behind: $(ls -A "$TMPDIR")"
}

exports() { # <so> <symbol>
	nm -D --defined-only "$1" | grep -qE " T $2\$" ||
		fail "$1 does not export $2"
}

case_driver_so() {
	cd "$FIX" || fail "no fixture"
	expect_rc 0 "build driver" "$KCC" -g -o "$WORK/fixture.sys" \
		src/Driver.C src/helper.c
	[ -f "$WORK/fixture.sys" ] || fail "no fixture.sys"
	exports "$WORK/fixture.sys" KmhCcFixtureEntry
	exports "$WORK/fixture.sys" KmhCcFixtureFile
	# left for kmhost's loader: the link must not have required it
	nm -D "$WORK/fixture.sys" | grep -qE ' U KmhCcImported$' ||
		fail "KmhCcImported is not an undefined import"
	readelf -d "$WORK/fixture.sys" | grep -q SYMBOLIC ||
		fail "not linked -Bsymbolic"
	# __FILE__ and the debug info name the original, not the shadow
	strings -a "$WORK/fixture.sys" | grep -qx 'src/Driver.C' ||
		fail "__FILE__ is not src/Driver.C"
	readelf --debug-dump=info,line "$WORK/fixture.sys" >"$WORK/dwarf" 2>&1
	has "$WORK/dwarf" "$FIX/src/Driver.C"
	lacks "$WORK/dwarf" "$TMPDIR"
	tmp_is_empty
}

case_dot_c_is_c() {
	cd "$FIX" || fail "no fixture"
	expect_rc 0 "compile .C" "$KCC" -c -o "$WORK/d.o" src/Driver.C
	[ -f "$WORK/d.o" ] || fail "no object"
	# control: the same file compiled as C++ must fail, or the check above
	# proves nothing
	expect_rc nonzero "compile .C as C++" "$KCC" -x c++ -c \
		-o "$WORK/d2.o" src/Driver.C
	tmp_is_empty
}

case_diag_names_original() {
	cd "$FIX" || fail "no fixture"
	expect_rc 0 "compile with warnings" "$KCC" -c -o "$WORK/w.o" bad/Warn.c
	grep -q '^bad/Warn.c:6:.*kcc-fixture-warning-in-source' "$WORK/err" ||
		fail "source warning does not name bad/Warn.c:6: $(cat "$WORK/err")"
	grep -q '^bad/noisy.h:5:.*kcc-fixture-warning-in-header' "$WORK/err" ||
		fail "header warning does not name bad/noisy.h:5: $(cat "$WORK/err")"
	has "$WORK/err" "In file included from bad/Warn.c:4"
	lacks "$WORK/err" "$TMPDIR"
	tmp_is_empty
}

case_missing_header() {
	cd "$FIX" || fail "no fixture"
	expect_rc nonzero "missing header" "$KCC" -c -o "$WORK/m.o" bad/Missing.c
	grep -q '^bad/Missing.c:3:.*NoSuchHeader.h: No such file' "$WORK/err" ||
		fail "no compiler message for the missing header: $(cat "$WORK/err")"
	[ ! -f "$WORK/m.o" ] || fail "object written despite the error"
	tmp_is_empty
}

case_launch_depfile() {
	cd "$WORK" && mkdir obj || fail "no work dir"
	# what CMake runs: the whole command, flags and dependency options
	# included, with the launcher in front
	# shellcheck disable=SC2046
	expect_rc 0 "launch" "$KCC" --launch "$CC" $("$KCC" --cflags) \
		-MD -MT obj/d.o -MF obj/d.o.d -o obj/d.o -c "$FIX/src/Driver.C"
	[ -f obj/d.o ] || fail "no object"
	for f in src/Driver.C src/public.h src/sub/deep.h inc/Shared.h \
		src/helper.h; do
		has obj/d.o.d "$FIX/$f"
	done
	has obj/d.o.d "/shared/ntdef.h"
	has obj/d.o.d "obj/d.o:"
	lacks obj/d.o.d "$TMPDIR"
	tmp_is_empty
}

case_fast_path() {
	cd "$FIX" || fail "no fixture"
	expect_rc 0 "clean compile" env KMHOST_CC_KEEP=1 KMHOST_CC_VERBOSE=1 \
		"$KCC" -MD -c -o "$WORK/clean.o" clean/clean.c
	tmp_is_empty # nothing needed rewriting: no shadow tree at all
	grep -q ' clean/clean.c' "$WORK/err" ||
		fail "original file not compiled in place: $(cat "$WORK/err")"
	has "$WORK/clean.d" "clean/clean.h"
	expect_rc 0 "link objects" "$KCC" -o "$WORK/clean.sys" "$WORK/clean.o"
	exports "$WORK/clean.sys" KmhCcCleanEntry
}

case_keep_shadow() {
	cd "$FIX" || fail "no fixture"
	expect_rc 0 "kept build" env KMHOST_CC_KEEP=1 "$KCC" -c -o "$WORK/d.o" \
		src/Driver.C
	root=$(ls -d "$TMPDIR"/kmhost-cc.* 2>/dev/null)
	[ -d "$root" ] || fail "KMHOST_CC_KEEP=1 kept no shadow tree"
	has "$WORK/err" "$root"
	shadow=$root$FIX
	head -n 1 "$shadow/src/Driver.C" | grep -qx '#line 1 "src/Driver.C"' ||
		fail "shadow source does not start with its #line"
	head -n 1 "$shadow/src/public.h" | grep -qx '#line 1 "src/public.h"' ||
		fail "shadow header does not start with its #line"
	has "$shadow/src/public.h" "#include \"$shadow/src/sub/deep.h\""
	has "$shadow/src/public.h" "#include <ntstatus.h>"
	has "$shadow/src/Driver.C" "#include <ntdef.h>"
	# the byte order mark may only open a file: it must not follow #line
	head -n 2 "$shadow/src/wintext.h" | od -c | grep -q '357 273 277' &&
		fail "byte order mark kept after #line"
	has "$shadow/src/wintext.h" "#include \"$shadow/inc/Shared.h\"" # dirty
	has "$shadow/src/Driver.C" "#include \"$FIX/src/helper.h\"" # clean
	[ ! -e "$shadow/src/helper.h" ] || fail "clean header was copied"
	[ ! -e "$shadow/src/helper.c" ] || fail "clean source was copied"
	find "$root" -name 'ntdef.h' | grep -q . && fail "kmhost header copied"
	return 0
}

case_flags() {
	expect_rc 0 "--cflags" "$KCC" --cflags
	has "$WORK/out" "-D_KERNEL_MODE=1"
	has "$WORK/out" "-fshort-wchar"
	has "$WORK/out" "/include/km"
	has "$WORK/out" "/include/shared"
	lacks "$WORK/out" "/include/wdf"
	expect_rc 0 "--kmdf --cflags" "$KCC" --kmdf --cflags
	has "$WORK/out" "/include/wdf/kmdf/1.33"
	expect_rc 0 "--app-cflags" "$KCC" --app-cflags
	has "$WORK/out" "/include/um"
	lacks "$WORK/out" "_KERNEL_MODE"
	expect_rc 0 "--libs" "$KCC" --libs
	has "$WORK/out" "-Wl,-Bsymbolic"
	has "$WORK/out" "-shared"
	lacks "$WORK/out" "no-undefined"
	expect_rc 0 "--app-libs" "$KCC" --app-libs
	has "$WORK/out" "-lkmhost"
	expect_rc nonzero "no arguments" "$KCC"
}

case_kmdf_stub() {
	cd "$FIX" || fail "no fixture"
	stub=$("$KCC" --kmdf --libs | tr ' ' '\n' | grep 'kmhost_fxstub')
	[ -n "$stub" ] || fail "--kmdf --libs names no stub library"
	expect_rc 0 "--wdm overrides detection" \
		env KMHOST_CC_VERBOSE=1 "$KCC" --wdm -o "$WORK/wdm.sys" kmdf/Auto.c
	lacks "$WORK/err" "whole-archive"
	if [ -f "$stub" ]; then
		expect_rc 0 "KMDF link" \
			env KMHOST_CC_VERBOSE=1 "$KCC" -o "$WORK/kmdf.sys" kmdf/Auto.c
		has "$WORK/err" "-Wl,--whole-archive $stub -Wl,--no-whole-archive"
		has "$WORK/err" "/include/wdf/kmdf/1.33"
	else
		# detected from <WDF.H>, so the missing stub must be reported
		expect_rc nonzero "KMDF link without stub" \
			"$KCC" -o "$WORK/kmdf.sys" kmdf/Auto.c
		has "$WORK/err" "$stub"
		[ ! -f "$WORK/kmdf.sys" ] || fail "linked without the stub"
	fi
	tmp_is_empty
}

case_app() {
	cd "$WORK" || fail "no work dir"
	expect_rc 0 "C and C++ app sources" \
		env KMHOST_CC_VERBOSE=1 "$KCC" --app -c -DKCC_NO_MAIN "$FIX/app/toast.c" "$FIX/app/Toast.cpp"
	[ -f toast.o ] && [ -f Toast.o ] || fail "objects missing"
	has "$WORK/err" "/include/um"
	lacks "$WORK/err" "_KERNEL_MODE"
	lib=$("$KCC" --app-libs | tr ' ' '\n' | sed -n 's/^-L//p')/libkmhost.so
	if [ -f "$lib" ]; then
		expect_rc 0 "app link" "$KCC" --app -o toast "$FIX/app/toast.c"
		./toast || fail "toast exited $?"
	else
		expect_rc nonzero "app link without libkmhost" \
			"$KCC" --app -o toast "$FIX/app/toast.c"
		has "$WORK/err" "$lib"
	fi
}

# CMake's own launcher integration: configure, build, touch a header that
# only the shadowed includes reach, and check the rebuild follows.
case_cmake_launcher() {
	mkdir -p "$WORK/tree" && cp -R "$FIX/src" "$FIX/inc" "$WORK/tree/" ||
		fail "copying the tree"
	expect_rc 0 "configure" "$CMAKE" -S "$FIX/cmake" -B "$WORK/b" \
		-DKCC="$KCC" -DTREE="$WORK/tree" -DCMAKE_C_COMPILER="$CC"
	expect_rc 0 "build" "$CMAKE" --build "$WORK/b"
	exports "$WORK/b/fixture.sys.so" KmhCcFixtureEntry
	dep=$(find "$WORK/b" -name 'Driver.C.o.d')
	[ -n "$dep" ] || fail "no depfile for Driver.C"
	has "$dep" "$WORK/tree/src/sub/deep.h"
	lacks "$dep" "$TMPDIR"
	sleep 1
	touch "$WORK/tree/src/sub/deep.h"
	expect_rc 0 "rebuild" "$CMAKE" --build "$WORK/b"
	has "$WORK/out" "Driver.C.o"
	lacks "$WORK/out" "helper.c.o"
	tmp_is_empty
}

case "$case_name" in
driver-so) case_driver_so ;;
dot-c-is-c) case_dot_c_is_c ;;
diag-names-original) case_diag_names_original ;;
missing-header) case_missing_header ;;
launch-depfile) case_launch_depfile ;;
fast-path) case_fast_path ;;
keep-shadow) case_keep_shadow ;;
flags) case_flags ;;
kmdf-stub) case_kmdf_stub ;;
app) case_app ;;
cmake-launcher) case_cmake_launcher ;;
*) fail "unknown case" ;;
esac
echo "ok [$case_name]"
