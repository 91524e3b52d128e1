#!/usr/bin/env bash
# quiver's developer entry point. Every command first installs what is missing
# (scripts/bootstrap.sh) and builds (CMake preset "dev": build/bin/...).
#
#   scripts/dev.sh run [quiverd flags]  build and start quiverd (default: 127.0.0.1:8815, ./datasets)
#   scripts/dev.sh test                 build and run every test: C++ (ctest) and interop (pytest)
#   scripts/dev.sh asan                 the C++ tests under AddressSanitizer + UBSan (build-asan/)
#   scripts/dev.sh build                build only
#   scripts/dev.sh install PREFIX       build, then install quiverd, quiver, their Arrow libraries and docs
#   scripts/dev.sh format               clang-format the C++ sources in place
#   scripts/dev.sh bench [args]         run the benchmark (bench/bench.py)
set -euo pipefail
cd "$(dirname "$0")/.."

build() {
  local preset=${1:-dev} dir=build
  [ "$preset" = asan ] && dir=build-asan
  scripts/bootstrap.sh
  [ -f "$dir/build.ninja" ] || cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
}

cmd=${1:-help}
shift || true
case "$cmd" in
  run)
    build dev
    exec build/bin/quiverd "$@"
    ;;
  build)
    build dev
    ;;
  test)
    build dev
    ctest --preset dev -j2
    .venv/bin/python -m pytest -q tests/interop "$@"
    ;;
  install)
    [ $# -eq 1 ] || { echo "usage: scripts/dev.sh install PREFIX" >&2; exit 2; }
    build dev
    cmake --install build --prefix "$1"
    ;;
  asan)
    build asan
    ctest --preset asan -j2
    ;;
  format)
    git ls-files '*.cc' '*.h' | xargs clang-format -i
    ;;
  bench)
    build dev
    exec .venv/bin/python bench/bench.py "$@"
    ;;
  *)
    sed -n '2,13p' "$0"
    exit 2
    ;;
esac
