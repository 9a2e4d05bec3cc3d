#!/usr/bin/env bash
# Crash-safety harness (docs/reliability.md): builds o2c and o2c-crash, then runs
#   o2c-crash [--trials 50] [--instances 10000] [--seed N] [--keep] [--no-handlers]
# Prints `trials: N, lost: 0, duplicated: 0, undelivered: 0`; exits 1 on any violation.
# SCRATCH (default .build-rel) is the build folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
scratch="${SCRATCH:-.build-rel}"
swift build --scratch-path "$scratch" --product o2c 2>&1 | tail -1
swift build --scratch-path "$scratch" --product o2c-crash 2>&1 | tail -1
exec "$scratch/debug/o2c-crash" "$@"
