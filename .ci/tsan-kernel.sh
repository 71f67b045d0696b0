#!/bin/sh
# ThreadSanitizer job for the executive's kernel layer (src/nt: IRQL, spin
# locks, dispatcher, DPCs, timers, threads, executive locks, work items):
# builds the tree with KMHOST_SANITIZE=thread and runs those tests.
#   .ci/tsan-kernel.sh [build-dir]     (default: /work/build-ke-tsan)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-/work/build-ke-tsan}
tests='irql spinlock event wait timer dpc thread resource worker time'

cmake -S "$src" -B "$build" -DKMHOST_SANITIZE=thread -DKMHOST_WERROR=ON
targets=
for t in $tests; do targets="$targets test-nt-$t"; done
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target $targets
# halt_on_error: a race fails the test instead of scrolling past.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
    ctest --test-dir "$build" --output-on-failure \
    -R "test-nt-($(echo $tests | tr ' ' '|'))\$"
