#!/usr/bin/env bash
# Install what quiver needs and is missing, and nothing else:
#   - Debian packages (apt-get, skipped when already installed); with --fuzz also
#     clang and libFuzzer for scripts/fuzz.sh
#   - .venv/ with the pinned pyarrow wheel (Arrow C++ libraries and headers)
#     and the test-only Python packages from requirements-dev.txt
#   - web/console/node_modules from the committed package-lock.json (npm ci): the
#     web console's bundler and charts, built into quiverd
# Safe to run again: it only acts on what is missing or out of date.
#
#   scripts/bootstrap.sh        the above
#   - the SQL engine (DuckDB, scripts/duckdb.sh): built once per version into
#     ~/.cache/quiver (about 30 minutes on 2 cores the first time, then cached)
#   scripts/bootstrap.sh --s3   also build the S3 test server now (scripts/s3-server.sh
#                               build: needs Go; minutes the first time, then cached in
#                               ~/.cache/quiver). Otherwise the S3 tests build it on
#                               first use.
set -euo pipefail
cd "$(dirname "$0")/.."

with_s3=0
with_sql_engine=1
for arg in "$@"; do
  case "$arg" in
    --s3) with_s3=1 ;;
    --no-sql-engine) with_sql_engine=0 ;;  # for builds with -DQUIVER_SQL_ENGINE=OFF
    --fuzz) ;;  # handled with the apt packages below
    *) echo "bootstrap: unknown option $arg (see the top of $0)" >&2; exit 2 ;;
  esac
done

APT_PACKAGES=(
  g++ make cmake ninja-build pkg-config git
  libgtest-dev libgmock-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libsodium-dev libcurl4-openssl-dev
  libcpp-httplib-dev libtomlplusplus-dev
  protobuf-compiler libprotobuf-dev
  clang-format openssl curl ccache
  python3 python3-venv python3-dev
  # The web console's browser tests: headless Chromium and its WebDriver.
  chromium chromium-driver
)
# Only for scripts/fuzz.sh (libFuzzer comes with clang's runtime libraries).
if [[ " $* " == *" --fuzz "* ]]; then
  APT_PACKAGES+=(clang-16 libclang-rt-16-dev)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "bootstrap: Python >= 3.11 is required for the pinned pyarrow wheel" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.quiver-requirements
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: installing Python packages into .venv"
  .venv/bin/pip install -q --disable-pip-version-check --only-binary=:all: -r requirements-dev.txt
  echo "$want" >"$stamp"
fi

# The web console's front end (bundled by CMake with esbuild from these packages).
# Debian's nodejs and npm when neither is on the PATH (a machine may bring its own).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "bootstrap: installing Debian packages: nodejs npm"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    nodejs npm || true
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "bootstrap: the web console needs Node.js (18 or newer) and npm on the PATH;" \
       "install them and run this again" >&2
  exit 1
fi
lock=web/console/node_modules/.package-lock.json
if [ ! -f "$lock" ] || [ web/console/package-lock.json -nt "$lock" ]; then
  echo "bootstrap: installing the web console's npm packages (npm ci)"
  (cd web/console && npm ci --no-audit --no-fund --loglevel=error)
fi

# The SQL engine (docs/sql.md): about 30 minutes the first time, then cached.
if [ $with_sql_engine -eq 1 ] && ! scripts/duckdb.sh path >/dev/null 2>&1; then
  command -v cargo >/dev/null 2>&1 || {
    echo "bootstrap: the SQL engine is built with cargo (Rust, by rustup): install it," \
         "or pass --no-sql-engine and build with -DQUIVER_SQL_ENGINE=OFF" >&2
    exit 1
  }
  scripts/duckdb.sh build >/dev/null
fi

if [ $with_s3 -eq 1 ]; then
  scripts/s3-server.sh build >/dev/null
fi
