#!/bin/sh
# Runs one libFuzzer target (docs/hardening.md), nice'd:
#   fuzz/run.sh TARGET [SECONDS] [BUILD_DIR]
# TARGET: project_loader, npy, npz, csv or params. SECONDS: 600 unless given.
# BUILD_DIR: build-fuzz unless given, configured with -DNEUROLOOM_FUZZ=ON.
# The seeds (fuzz/corpus/TARGET) are read, never written: new inputs go to
# BUILD_DIR/fuzz/work/TARGET and a crashing input to BUILD_DIR/fuzz/crashes/TARGET/.
# (The kept inputs in fuzz/regressions are not seeds: some are large, and
# libFuzzer would grow every input to their size.)
set -eu
source=$(cd "$(dirname "$0")/.." && pwd)
target=$1
seconds=${2:-600}
build=${3:-$source/build-fuzz}
work=$build/fuzz/work/$target
crashes=$build/fuzz/crashes/$target
mkdir -p "$work" "$crashes"
set -- "$work" "$source/fuzz/corpus/$target"
[ -f "$source/fuzz/$target.dict" ] && set -- "$@" -dict="$source/fuzz/$target.dict"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
# The CSV and params targets write each input to a scratch file: keep it in memory.
[ -z "${TMPDIR:-}" ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
exec nice -n 19 "$build/fuzz/fuzz_$target" "$@" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$crashes/" -print_final_stats=1
