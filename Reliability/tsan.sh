#!/usr/bin/env bash
# ThreadSanitizer over the store/runtime concurrency tests (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
swift test --disable-xctest --sanitize thread --scratch-path "${SCRATCH:-.build-tsan}" --filter 'ReliabilityConcurrency'
