#!/usr/bin/env bash
# Fuzzes the YAML loader and the expression compiler with libFuzzer + AddressSanitizer
# (docs/reliability.md). Usage: Reliability/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
#
# Builds Fuzz/ (a separate package: its Sources/O2C* are symlinks to ../Sources) into
# .build-fuzz, then runs each target for SECONDS on a scratch copy of the committed seeds
# (Fuzz/corpus/{yaml,expr}), with a 5 s per-input timeout: a slower input is reported as a hang.
# Leak detection is off: caches held in Swift globals (`static let`) live for the whole process
# by design, and LeakSanitizer reports each first use as a leak. Crashes land in
# .build-fuzz/findings/<target>/; the script exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer off both during the run (-detect_leaks=0) and at exit (ASAN_OPTIONS).
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
seconds="${1:-60}"
root="$PWD"
# `-Xswiftc -sanitize=fuzzer,address`: SwiftPM passes `-sanitize=fuzzer -sanitize=address` as two
# flags, and swiftc keeps only the last one for instrumentation: the Swift code got no coverage
# counters (libFuzzer still linked, so it ran blind: "Is the code instrumented for coverage?").
# The combined flag, passed last, instruments for both.
for target in FuzzYAML FuzzExpr; do
    (cd Fuzz && swift build --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address \
        --product "$target" --scratch-path "$root/.build-fuzz" 2>&1 | tail -1)
    # A binary without coverage counters is not fuzzing: fail before running it.
    sections=$(readelf -S "$root/.build-fuzz/debug/$target")
    if [[ "$sections" != *__sancov_cntrs* ]]; then
        echo "$target: built without coverage instrumentation (no __sancov_cntrs section)"
        exit 1
    fi
done
status=0
for pair in FuzzYAML:yaml FuzzExpr:expr; do
    target="${pair%%:*}" corpus="${pair##*:}"
    work="$root/.build-fuzz/corpus-$corpus" findings="$root/.build-fuzz/findings/$target"
    rm -rf "$findings"
    mkdir -p "$work" "$findings"
    log="$root/.build-fuzz/$target.log"
    set +e
    "$root/.build-fuzz/debug/$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$work" "Fuzz/corpus/$corpus" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
    rate=$(grep -o 'average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
    crashes=$(find "$findings" -name 'crash-*' | wc -l)
    hangs=$(find "$findings" -name 'timeout-*' | wc -l)
    ooms=$(find "$findings" -name 'oom-*' | wc -l)
    echo "$target: ${seconds}s, execs: $execs ($rate/s), coverage: $cov edges, crashes: $crashes, hangs: $hangs, ooms: $ooms (exit $rc, log $log)"
    if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ] || [ "$ooms" -ne 0 ]; then status=1; fi
    if [ "$cov" -eq 0 ]; then echo "$target: no coverage reported (see $log)"; status=1; fi
done
exit $status
