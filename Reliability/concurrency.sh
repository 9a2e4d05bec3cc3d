#!/usr/bin/env bash
# Concurrency harness (docs/reliability.md): advance ×2, tick, worker and list on one database
# at once for --seconds (default 20), then checks timers, balances and stderr.
#   Reliability/concurrency.sh [--seconds 20] [--instances 20] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
scratch="${SCRATCH:-.build-rel}"
swift build --scratch-path "$scratch" --product o2c 2>&1 | tail -1
swift build --scratch-path "$scratch" --product o2c-crash 2>&1 | tail -1
exec "$scratch/debug/o2c-crash" concurrency "$@"
