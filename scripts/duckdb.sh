#!/usr/bin/env bash
# The embedded SQL engine (DuckDB, MIT) for quiverd's Flight SQL front end, built once
# per version into a cache outside the clone, so later builds and CI skip it.
#
#   scripts/duckdb.sh build    build if missing; print the cache directory
#   scripts/duckdb.sh path     print the cache directory (exit 1 when not built)
#
# The route: the Rust registry crate `duckdb` (features bundled + parquet) compiles
# DuckDB's own sources; third_party/duckdb-shim is a crate of ours with no code that
# makes cargo emit them as one static library. The first build takes about 30 minutes
# on 2 cores (docs/sql.md). Needs cargo (rustup); the crate versions are pinned by
# third_party/duckdb-shim/Cargo.lock.
#
# Cache: ${QUIVER_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/quiver}/duckdb-<version>/
#   lib/libquiver_duckdb.a   DuckDB with its core functions and the parquet extension
#   include/                 duckdb.h, duckdb.hpp and DuckDB's C++ headers
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=2.0.1
CRATE=1.20001.0
CACHE=${QUIVER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quiver}/duckdb-$VERSION

die() { echo "duckdb: $*" >&2; exit 1; }

built() { [ -f "$CACHE/lib/libquiver_duckdb.a" ] && [ -f "$CACHE/include/duckdb.h" ]; }

build() {
  if built; then echo "$CACHE"; return; fi
  command -v cargo >/dev/null 2>&1 || die "cargo is not installed; it builds the SQL engine"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  if ! built; then
    echo "duckdb: building DuckDB $VERSION (crate duckdb $CRATE); the first build takes ~30 min" >&2
    local target=$CACHE/target
    CARGO_TARGET_DIR=$target cargo build --release --locked \
      --manifest-path third_party/duckdb-shim/Cargo.toml >&2
    local src
    # The crate unpacks the sources under its target directory (duckdb-sources/HASH/).
    src=$(find "$target" -maxdepth 6 -type d -path '*duckdb/src/include' -not -path '*/third_party/*' | head -1)
    [ -n "$src" ] || die "the crate's build left no duckdb/src/include"
    rm -rf "$CACHE/include.tmp" && mkdir -p "$CACHE/include.tmp" "$CACHE/lib"
    cp -r "$src"/. "$CACHE/include.tmp/"
    cp "$target/release/libquiver_duckdb.a" "$CACHE/lib/libquiver_duckdb.a.tmp"
    mv "$CACHE/lib/libquiver_duckdb.a.tmp" "$CACHE/lib/libquiver_duckdb.a"
    rm -rf "$CACHE/include" && mv "$CACHE/include.tmp" "$CACHE/include"
    # the target directory stays: a later rebuild of the same version is incremental
  fi
  echo "$CACHE"
}

case "${1:-}" in
  build) build ;;
  path) built && echo "$CACHE" || exit 1 ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
