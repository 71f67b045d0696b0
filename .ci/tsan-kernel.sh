#!/bin/sh
# ThreadSanitizer job for the code where races live: the executive's kernel
# layer (IRQL, spin locks, dispatcher, DPCs, timers, threads, executive
# locks, work items) and cancellation racing completion in the I/O manager
# and the framework. Builds with KMHOST_SANITIZE=thread and runs those tests.
#   .ci/tsan-kernel.sh [build-dir]     (default: build/tsan)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/tsan}
tests='test-nt-irql test-nt-spinlock test-nt-event test-nt-wait test-nt-timer test-nt-dpc test-nt-thread
test-nt-resource test-nt-worker test-nt-time test-io-cancel-race test-fx-request-cancel test-fx-iotarget'

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKMHOST_SANITIZE=thread -DKMHOST_WERROR=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target $tests
# halt_on_error: a race fails the test instead of scrolling past.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
    ctest --test-dir "$build" --output-on-failure \
    -R "^($(echo $tests | tr ' ' '|'))\$"
