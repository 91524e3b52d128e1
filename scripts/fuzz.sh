#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/, CMake preset "fuzz": clang, ASan + UBSan, in
# build-fuzz/) and run each for a bounded time, starting from the committed seeds in
# fuzz/corpus/<target>/ plus the working corpus kept in build-fuzz/corpus/<target>/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 20 s, every target
#
# A crash, a sanitizer report or a broken invariant stops with exit 1 and leaves the
# input in build-fuzz/artifacts/ (replay: build-fuzz/bin/<target> <file>). The last
# lines print executions per target. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_dataset_name fuzz_ticket fuzz_request fuzz_filter fuzz_manifest fuzz_traceparent
           fuzz_users_file fuzz_token fuzz_ipc_upload fuzz_parquet_load fuzz_sql_command)
fi

scripts/bootstrap.sh --fuzz
[ -f build-fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
start=$(date +%s)
cmake --build --preset fuzz
echo "fuzz: build took $(( $(date +%s) - start )) s"

mkdir -p build-fuzz/artifacts
# Scratch directories of the targets (in memory when possible), removed at the end even
# when a target aborted.
scratch=$(mktemp -d /dev/shm/quiver-fuzz-XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export QUIVER_FUZZ_SCRATCH=$scratch
summary=()
status=0
passed=0
failed=0
for target in "${targets[@]}"; do
  work=build-fuzz/corpus/$target
  mkdir -p "$work"
  log=build-fuzz/$target.log
  echo "fuzz: $target for ${seconds}s"
  # -rss_limit_mb / -malloc_limit_mb: a hostile length must not make us allocate
  # gigabytes; -timeout: one input must not take more than 10 s.
  if ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-16/bin/llvm-symbolizer \
     ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "build-fuzz/bin/$target" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2560 -malloc_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="build-fuzz/artifacts/$target-" \
       "$work" "fuzz/corpus/$target" >"$log" 2>&1; then
    result=ok
    passed=$((passed + 1))
  else
    result=FAILED
    status=1
    failed=$((failed + 1))
    tail -40 "$log"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary+=("$(printf '%-20s %12s execs  %s' "$target" "${execs:-?}" "$result")")
done
echo "fuzz: ${seconds}s per target"
printf '%s\n' "${summary[@]}"
echo "fuzz: $passed passed, $failed failed"
exit $status
