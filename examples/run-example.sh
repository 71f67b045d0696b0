#!/bin/sh
# Runs one example as its user would, in a fresh kmhost root:
#   run-example.sh <kmhost> <package.inf> <hardware ID> <program> [args...]
# installs the package, adds the root-enumerated device, runs the program.
# A package of "-" skips install and add (legacy drivers install themselves).
set -eu
kmhost=$1 inf=$2 hwid=$3
shift 3
KMHOST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/kmhost-example.XXXXXX")
export KMHOST_ROOT
trap 'rm -rf "$KMHOST_ROOT"' EXIT
if [ "$inf" != - ]; then
  "$kmhost" install "$inf"
  "$kmhost" add "$hwid"
fi
"$@"
